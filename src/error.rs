//! The crate's one error type.

use core::fmt;

/// Everything that can go wrong in tsubaki, as a small closed set of typed causes.
///
/// No variant carries secret material; `Display` texts are safe to log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A key had the wrong length for the algorithm (Camellia takes 16, 24 or 32 bytes).
    InvalidKeyLength {
        /// The length that was passed, in bytes.
        got: usize,
    },
    /// The requested implementation backend cannot run on this CPU or in this build.
    BackendUnavailable,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidKeyLength { got } => {
                write!(f, "invalid key length: {got} bytes")
            }
            Error::BackendUnavailable => f.write_str("backend not available on this CPU"),
        }
    }
}

impl core::error::Error for Error {}
