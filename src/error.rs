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
    /// PKCS#7 padding (or the ciphertext length it implies) is invalid. Deliberately says
    /// nothing about which check failed.
    InvalidPadding,
    /// An input length is not acceptable for the operation (e.g. more bits than the buffer
    /// holds, or not a whole number of blocks).
    InvalidLength,
    /// The output buffer is too small for the result.
    BufferTooSmall,
    /// A counter-mode keystream would wrap around and repeat.
    KeystreamExhausted,
    /// Malformed encoding: DER that is not strict DER, bad PEM armour or base64, a SEC 1
    /// point of the wrong length or tag, trailing bytes.
    InvalidEncoding,
    /// Well-formed, but for another algorithm or curve than the one asked for.
    UnsupportedAlgorithm,
    /// A secret key (scalar) outside 1..n−1.
    InvalidSecretKey,
    /// A public key that is not a point of the curve: coordinate ≥ p, off the curve, or the
    /// identity.
    InvalidPublicKey,
    /// A signature that does not verify, or whose r or s is outside 1..n−1.
    InvalidSignature,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidKeyLength { got } => {
                write!(f, "invalid key length: {got} bytes")
            }
            Error::BackendUnavailable => f.write_str("backend not available on this CPU"),
            Error::InvalidPadding => f.write_str("invalid padding"),
            Error::InvalidLength => f.write_str("invalid input length"),
            Error::BufferTooSmall => f.write_str("output buffer too small"),
            Error::KeystreamExhausted => f.write_str("counter-mode keystream exhausted"),
            Error::InvalidEncoding => f.write_str("malformed encoding"),
            Error::UnsupportedAlgorithm => f.write_str("unsupported algorithm or curve"),
            Error::InvalidSecretKey => f.write_str("invalid secret key"),
            Error::InvalidPublicKey => f.write_str("invalid public key"),
            Error::InvalidSignature => f.write_str("invalid signature"),
        }
    }
}

impl core::error::Error for Error {}
