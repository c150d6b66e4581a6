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
    /// A Paillier modulus (or the primes offered for one) that is not acceptable: even, of a
    /// size that is not allowed, p = q, primes of unequal length, or gcd(n, φ(n)) ≠ 1.
    InvalidModulus,
    /// A ciphertext that is not an element of the group it claims: of the wrong length,
    /// zero, not a unit, or not below the modulus.
    InvalidCiphertext,
    /// A plaintext or decoded value outside the range the encoding can represent.
    PlaintextOutOfRange,
    /// A bounded slot or counter would overflow (a packed-vector slot, a declared number of
    /// contributors).
    Overflow,
    /// Values made under different keys, sets or parameters were mixed.
    KeyMismatch,
    /// A sharing threshold or share count that is not allowed: t < 2, t > n, or n beyond
    /// what the field can index.
    InvalidThreshold,
    /// A share index that is not allowed (0, or beyond the field's range).
    InvalidShareIndex,
    /// Two shares with the same index were given to a reconstruction.
    DuplicateShareIndex,
    /// Fewer shares than the threshold were given.
    NotEnoughShares,
    /// Shares that do not belong together: different lengths, sets, thresholds or fields.
    ShareMismatch,
    /// A share that fails its verification against the dealer's commitments.
    InvalidShare,
    /// A versioned encoding whose version this build does not know.
    UnsupportedVersion,

    // --- issue 18 (hardening) ---
    /// A random source gave values that a working one gives with negligible probability,
    /// so a rejection-sampling loop gave up after its documented bound instead of spinning
    /// forever: an RNG passed by the caller that returns constant (or otherwise broken)
    /// output, or an RFC 6979 nonce generator over a degenerate hash.
    RngFailure,
    // --- Threshold Paillier (issue 12): decryption shares name the member they came from.
    /// A threshold Paillier decryption share that does not verify: its proof fails against
    /// the stored verification key, it belongs to another key or ciphertext, its index is
    /// beyond the key's parties, or a value in it is out of range.
    InvalidDecryptionShare {
        /// The index (1..=255) the share claims.
        index: u8,
    },
    /// Two decryption shares with the same index were given to one combination.
    DuplicateDecryptionShare {
        /// The repeated index.
        index: u8,
    },
    /// Fewer than the threshold of the decryption shares given verify; `first_invalid` is
    /// the index of the first one that did not.
    NotEnoughValidShares {
        /// Shares that verified.
        valid: usize,
        /// Shares needed.
        threshold: usize,
        /// The index of the first share that failed verification.
        first_invalid: u8,
    },

    // --- Statistics rounds (`stats`, issue 15): protocol failures and per-input rejections.
    /// A message of another statistics round than the one at hand.
    WrongRound,
    /// A contributor (org id) that is not on the round's roster, or a member not on its
    /// committee.
    NotOnRoster,
    /// The same organization appears twice (in one aggregate, or across merged ones).
    DuplicateContributor,
    /// Fewer distinct roster organizations than the round's quorum.
    QuorumNotMet,
    /// This committee member already produced its decryption shares for this round.
    AlreadyDecrypted,
    /// An aggregate that does not match the signed contributions it claims to sum.
    AggregateMismatch,
    /// A metric of the schema has no value, a value names no metric, or a value has the
    /// wrong type for its metric.
    InvalidValue,
    /// A value above its metric's bound.
    ValueAboveBound,
    /// A journal (the committee member's record of decrypted rounds) could not be read
    /// or written.
    JournalFailure,

    // --- AEAD and MACs (issue 13: camellia::aead, camellia::mac) ---
    /// An authentication tag, MAC or key-wrap integrity check did not verify: the data was
    /// changed, truncated, extended, or made under another key, nonce or associated data.
    /// Deliberately says nothing about which; the output buffer has been wiped.
    AuthenticationFailed,
    /// A nonce (IV) whose length the mode or this object does not take.
    InvalidNonceLength {
        /// The length that was passed, in bytes.
        got: usize,
    },
    /// A tag length the mode does not allow (GCM 12..=16, CCM 4..=16 and even).
    InvalidTagLength {
        /// The length that was passed, in bytes.
        got: usize,
    },
    /// A message or associated data longer than the mode allows (GCM: 2³⁹ − 256 bits of
    /// plaintext; CCM: what its length field can encode; STREAM: 2³² chunks).
    MessageTooLong,
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
            Error::InvalidModulus => f.write_str("invalid modulus"),
            Error::InvalidCiphertext => f.write_str("invalid ciphertext"),
            Error::PlaintextOutOfRange => f.write_str("plaintext out of range"),
            Error::Overflow => f.write_str("bounded value would overflow"),
            Error::KeyMismatch => f.write_str("values of different keys or sets mixed"),
            Error::InvalidThreshold => f.write_str("invalid threshold or share count"),
            Error::InvalidShareIndex => f.write_str("invalid share index"),
            Error::DuplicateShareIndex => f.write_str("duplicate share index"),
            Error::NotEnoughShares => f.write_str("fewer shares than the threshold"),
            Error::ShareMismatch => f.write_str("shares do not belong together"),
            Error::InvalidShare => f.write_str("share fails verification"),
            Error::UnsupportedVersion => f.write_str("unsupported encoding version"),
            Error::RngFailure => f.write_str(
                "the random number generator failed (rejection sampling reached its bound)",
            ),
            Error::InvalidDecryptionShare { index } => {
                write!(f, "decryption share {index} does not verify")
            }
            Error::DuplicateDecryptionShare { index } => {
                write!(f, "two decryption shares with index {index}")
            }
            Error::NotEnoughValidShares {
                valid,
                threshold,
                first_invalid,
            } => write!(
                f,
                "only {valid} of the {threshold} decryption shares needed verify \
                 (share {first_invalid} does not)"
            ),
            Error::WrongRound => f.write_str("message of another round"),
            Error::NotOnRoster => f.write_str("not on the round's roster or committee"),
            Error::DuplicateContributor => f.write_str("organization already included"),
            Error::QuorumNotMet => f.write_str("fewer contributors than the round's quorum"),
            Error::AlreadyDecrypted => {
                f.write_str("already produced decryption shares for this round")
            }
            Error::AggregateMismatch => {
                f.write_str("aggregate does not match its signed contributions")
            }
            Error::InvalidValue => f.write_str("missing, unknown or mistyped value"),
            Error::ValueAboveBound => f.write_str("value above its metric's bound"),
            Error::JournalFailure => f.write_str("decryption journal unreadable or unwritable"),
            // --- AEAD and MACs (issue 13) ---
            Error::AuthenticationFailed => f.write_str("authentication failed"),
            Error::InvalidNonceLength { got } => write!(f, "invalid nonce length: {got} bytes"),
            Error::InvalidTagLength { got } => write!(f, "invalid tag length: {got} bytes"),
            Error::MessageTooLong => f.write_str("message longer than the mode allows"),
        }
    }
}

impl core::error::Error for Error {}
