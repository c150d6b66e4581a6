//! A committee member's decrypt-once [`Journal`](super::Journal) in a local file (feature
//! `std`): one line `<round id hex> <member>` per decryption, appended and synced to disk
//! before any share is released. The CLI (`tsubaki stats partial --journal`) and the C ABI
//! (`tsubaki_stats_partial`) both keep it here, so "only once per round" holds across
//! processes and across the two edges sharing one file.

use std::fs;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use super::Journal;
use crate::Error;

/// A journal in a local file (created on first use, mode 0600 on Unix).
#[derive(Debug)]
pub struct FileJournal {
    path: PathBuf,
}

impl FileJournal {
    /// The journal at `path` (created on first use, mode 0600).
    pub fn new(path: PathBuf) -> Self {
        FileJournal { path }
    }
}

impl Journal for FileJournal {
    fn record_once(&mut self, round: &[u8; 16], member: &str) -> Result<(), Error> {
        let line = alloc::format!("{} {member}", super::to_hex(round));
        match fs::File::open(&self.path) {
            Ok(f) => {
                // Exact comparison: ids may begin or end with spaces (any non-control
                // character is allowed), so trimming would let such a member's own line
                // never match. `lines` already drops the "\n" or "\r\n".
                for l in std::io::BufReader::new(f).lines() {
                    if l.map_err(|_| Error::JournalFailure)? == line {
                        return Err(Error::AlreadyDecrypted);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return Err(Error::JournalFailure),
        }
        let mut opts = fs::OpenOptions::new();
        let _ = opts.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let _ = opts.mode(0o600);
        }
        let mut f = opts.open(&self.path).map_err(|_| Error::JournalFailure)?;
        writeln!(f, "{line}").map_err(|_| Error::JournalFailure)?;
        f.sync_all().map_err(|_| Error::JournalFailure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_record_of_the_same_round_and_member_is_refused() {
        let dir = std::env::temp_dir().join(alloc::format!(
            "tsubaki-journal-test-{}",
            std::process::id()
        ));
        let _ = fs::remove_file(&dir);
        let mut j = FileJournal::new(dir.clone());
        assert_eq!(j.record_once(&[1; 16], "m1"), Ok(()));
        assert_eq!(j.record_once(&[1; 16], "m2"), Ok(()));
        assert_eq!(j.record_once(&[2; 16], "m1"), Ok(()));
        // A fresh handle on the same file (another process, the other edge) refuses too.
        let mut again = FileJournal::new(dir.clone());
        assert_eq!(
            again.record_once(&[1; 16], "m1"),
            Err(Error::AlreadyDecrypted)
        );
        let text = fs::read_to_string(&dir).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.starts_with("01010101010101010101010101010101 m1\n"));
        let _ = fs::remove_file(&dir);
    }

    /// Regression (review): the journal compared each line *trimmed* with the untrimmed
    /// `"<round> <member>"`, so a member id ending in a space (allowed by the manifest's
    /// name rules: no control characters) never matched its own line, and the member
    /// decrypted the same round again and again.
    #[test]
    fn a_member_id_with_trailing_whitespace_is_still_decrypt_once() {
        let path = std::env::temp_dir().join(alloc::format!(
            "tsubaki-journal-ws-test-{}",
            std::process::id()
        ));
        let _ = fs::remove_file(&path);
        for member in ["m1 ", "m2\u{a0}", " m3"] {
            crate::stats::codec::check_name(member).unwrap();
            let mut j = FileJournal::new(path.clone());
            assert_eq!(j.record_once(&[7; 16], member), Ok(()), "{member:?}");
            assert_eq!(
                j.record_once(&[7; 16], member),
                Err(Error::AlreadyDecrypted),
                "{member:?}"
            );
        }
        // Members differing only by surrounding whitespace are distinct ids.
        let mut j = FileJournal::new(path.clone());
        assert_eq!(j.record_once(&[7; 16], "m1"), Ok(()));
        let _ = fs::remove_file(&path);
    }
}
