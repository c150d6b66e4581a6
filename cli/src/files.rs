//! Reading inputs and writing outputs: every error names the file and the cause; outputs
//! are created new unless `--force`, secret keys with mode 0600, written whole or not at
//! all (a temporary file renamed into place), never over an input.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

/// A command's failure: one line for stderr and the exit code (1: refused or failed).
#[derive(Debug)]
pub struct CliError {
    /// The message, naming the file and the cause.
    pub msg: String,
    /// The exit code.
    pub code: u8,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

/// A refusal or failure (exit code 1).
pub fn fail(msg: impl Into<String>) -> CliError {
    CliError {
        msg: msg.into(),
        code: 1,
    }
}

/// A failure about `path`.
pub fn fail_at(path: &Path, cause: impl fmt::Display) -> CliError {
    fail(format!("{}: {cause}", path.display()))
}

/// Attaches a file name to an error.
pub trait Context<T> {
    /// `path: cause`.
    fn at(self, path: &Path) -> Result<T, CliError>;
}

impl<T, E: fmt::Display> Context<T> for Result<T, E> {
    fn at(self, path: &Path) -> Result<T, CliError> {
        self.map_err(|e| fail_at(path, e))
    }
}

/// Reads a whole file.
pub fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    fs::read(path).map_err(|e| fail_at(path, format!("cannot read: {e}")))
}

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    String::from_utf8(read(path)?).map_err(|_| fail_at(path, "not UTF-8 text"))
}

/// Reads a UTF-8 file that holds a secret (a private key): the bytes read and the text
/// are wiped when dropped.
pub fn read_secret_text(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let bytes = Zeroizing::new(read(path)?);
    let text = core::str::from_utf8(&bytes).map_err(|_| fail_at(path, "not UTF-8 text"))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// Reads and parses a JSON file as a `what`.
pub fn read_json<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, CliError> {
    parse_json(path, what, &read(path)?)
}

/// [`read_json`] for a file whose content is secret (an organization's values): the
/// bytes read are wiped once parsed.
pub fn read_secret_json<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, CliError> {
    parse_json(path, what, &Zeroizing::new(read(path)?))
}

fn parse_json<T: DeserializeOwned>(path: &Path, what: &str, bytes: &[u8]) -> Result<T, CliError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let hint = if e.is_eof() { " (truncated file?)" } else { "" };
        fail_at(path, format!("not a valid {what} file: {e}{hint}"))
    })
}

/// An output file: refuses to replace an existing file unless `force`.
#[derive(Clone, Debug)]
pub struct Output {
    path: PathBuf,
    force: bool,
}

impl Output {
    /// The output at `path`.
    pub fn new(path: impl Into<PathBuf>, force: bool) -> Self {
        Output {
            path: path.into(),
            force,
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Fails early if the file exists and `--force` was not given, or it is one of
    /// `inputs`.
    pub fn check(&self, inputs: &[&Path]) -> Result<(), CliError> {
        if !self.force && fs::symlink_metadata(&self.path).is_ok() {
            return Err(fail_at(
                &self.path,
                "already exists (remove it or pass --force to overwrite)",
            ));
        }
        let me = fs::canonicalize(&self.path).ok();
        for i in inputs {
            if me.is_some() && fs::canonicalize(i).ok() == me {
                return Err(fail_at(
                    &self.path,
                    "is also an input; choose another output",
                ));
            }
        }
        Ok(())
    }

    /// Writes `bytes` whole (temporary file, then rename); mode 0600 if `secret`.
    pub fn write(&self, bytes: &[u8], secret: bool) -> Result<(), CliError> {
        self.check(&[])?;
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .ok_or_else(|| fail_at(&self.path, "not a file name"))?;
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let mut opts = fs::OpenOptions::new();
        let _ = opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let _ = opts.mode(if secret { 0o600 } else { 0o644 });
        }
        let result = (|| -> std::io::Result<()> {
            let mut f = opts.open(&tmp)?;
            f.write_all(bytes)?;
            // Whole or nothing comes from the rename; durability is the journal's concern
            // (it syncs), not every output's (1,000 fsyncs would dominate the demo).
            fs::rename(&tmp, &self.path)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(fail_at(&self.path, format!("cannot write: {e}")));
        }
        Ok(())
    }

    /// Writes `value` as pretty JSON with a final newline.
    pub fn write_json<T: Serialize>(&self, value: &T) -> Result<(), CliError> {
        let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| fail_at(&self.path, e))?;
        bytes.push(b'\n');
        self.write(&bytes, false)
    }
}

/// Whether `a` and `b` name the same file, existing or not (their directories resolved,
/// so `./j` and `j`, or a path through a symlinked directory, compare equal).
pub fn same_path(a: &Path, b: &Path) -> bool {
    fn resolve(p: &Path) -> Option<PathBuf> {
        if let Ok(c) = fs::canonicalize(p) {
            return Some(c);
        }
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = fs::canonicalize(dir.unwrap_or(Path::new("."))).ok()?;
        Some(dir.join(p.file_name()?))
    }
    match (resolve(a), resolve(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Ids used in file names (org, member): letters, digits, `.`, `_`, `-`, not starting
/// with `.`.
pub fn check_file_id(id: &str, what: &str) -> Result<(), CliError> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(fail(format!(
            "{what} id \"{id}\": use 1..128 letters, digits, '.', '_' or '-' (not starting with '.')"
        )))
    }
}
