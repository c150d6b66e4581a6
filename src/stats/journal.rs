//! A committee member's decrypt-once [`Journal`](super::Journal) in a local file (feature
//! `std`): one line `<round id hex> <member>` per decryption, appended and synced to disk
//! before any share is released, under an exclusive file lock from the read to the sync.
//! The CLI (`tsubaki stats partial --journal`) and the C ABI (`tsubaki_stats_partial`)
//! both keep it here, so "only once per round" holds across processes and across the two
//! edges sharing one file.

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
        let mut opts = fs::OpenOptions::new();
        let _ = opts.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let _ = opts.mode(0o600);
        }
        let mut f = opts.open(&self.path).map_err(|_| Error::JournalFailure)?;
        // An exclusive lock from the read to the synced append (released when `f` is
        // closed): two processes (two `partial` runs, the CLI and the C ABI) recording the
        // same round at once must not both find no line and both decrypt.
        f.lock().map_err(|_| Error::JournalFailure)?;
        // Exact comparison: ids may begin or end with spaces (any non-control
        // character is allowed), so trimming would let such a member's own line
        // never match. `lines` already drops the "\n" or "\r\n".
        for l in std::io::BufReader::new(&f).lines() {
            if l.map_err(|_| Error::JournalFailure)? == line {
                return Err(Error::AlreadyDecrypted);
            }
        }
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

    /// Regression (review): `record_once` read the file, then appended, with nothing
    /// between two processes doing the same: both could find no line and both decrypt.
    /// Many handles race on one file (as two `tsubaki stats partial` runs, or the CLI and
    /// the C ABI, would): for each round exactly one may win.
    #[test]
    fn concurrent_records_of_one_round_let_exactly_one_through() {
        let path = std::env::temp_dir().join(alloc::format!(
            "tsubaki-journal-race-test-{}",
            std::process::id()
        ));
        let _ = fs::remove_file(&path);
        const THREADS: usize = 8;
        for round in 0..40u8 {
            let barrier = std::sync::Barrier::new(THREADS);
            let wins: usize = std::thread::scope(|s| {
                let hs: alloc::vec::Vec<_> = (0..THREADS)
                    .map(|_| {
                        s.spawn(|| {
                            let mut j = FileJournal::new(path.clone());
                            let _ = barrier.wait();
                            j.record_once(&[round; 16], "m1")
                        })
                    })
                    .collect();
                hs.into_iter()
                    .map(|h| h.join().unwrap())
                    .filter(|r| {
                        assert!(matches!(r, Ok(()) | Err(Error::AlreadyDecrypted)), "{r:?}");
                        r.is_ok()
                    })
                    .count()
            });
            assert_eq!(wins, 1, "round {round}: {wins} handles decrypted");
        }
        let _ = fs::remove_file(&path);
    }
}
