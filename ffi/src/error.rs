//! Status codes of the `tsubaki_*` functions and their texts.
//!
//! Every `tsubaki_*` function returns a [`TsubakiStatus`]: 0 for success, a stable
//! non-zero number for each cause. Numbers are never reused: a retired code stays
//! reserved. [`tsubaki_error_string`] gives a short English text for each.

use core::ffi::{CStr, c_char};

use tsubaki_core::Error;

use crate::boundary;

/// The result of a `tsubaki_*` call (C: `tsubaki_status`, values `TSUBAKI_STATUS_*`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsubakiStatus {
    /// Success.
    Ok = 0,
    /// A required pointer was NULL (a buffer may be NULL only when its length is 0, or
    /// an output buffer for a size query).
    NullPointer = 1,
    /// A key of a length the algorithm does not take (Camellia: 16, 24 or 32 bytes).
    InvalidKeyLength = 2,
    /// A nonce of a length the mode does not take.
    InvalidNonceLength = 3,
    /// A tag length the mode does not allow.
    InvalidTagLength = 4,
    /// An input of a length the operation does not take (a sealed message shorter than
    /// its tag, a key to wrap that is not whole 8-byte blocks, …).
    InvalidLength = 5,
    /// The output buffer is too small: `*out_len` now holds the size needed.
    BufferTooSmall = 6,
    /// The tag or integrity check failed; the output buffer was wiped.
    AuthenticationFailed = 7,
    /// A message or associated data beyond the mode's limit.
    MessageTooLong = 8,
    /// An internal error was caught at the boundary (a bug: please report it); the output
    /// buffer was wiped.
    Panic = 9,
    /// Any other error of the library.
    Other = 10,

    // --- HPKE and ECDH (issue 14) ---
    /// Malformed encoding: a public or encapsulated key not in the SEC 1 form required.
    InvalidEncoding = 11,
    /// A public key that is not a valid point (off the curve, the identity, a
    /// coordinate ≥ p).
    InvalidPublicKey = 12,
    /// A private key outside 1..n−1.
    InvalidSecretKey = 13,
    /// An unknown suite or curve, or a key of another curve than the suite's.
    Unsupported = 14,

    // --- issue 17: handles, signatures, Paillier, Shamir, statistics ---
    /// A signature that does not verify (or whose r or s is out of range).
    InvalidSignature = 15,
    /// A handle that is not a live handle of the expected type (freed, of another type,
    /// or not from this library), where that is detectable.
    InvalidHandle = 16,
    /// An argument outside its documented range (an unknown format or mode, a threshold
    /// above the share count, a value above its bound, …).
    InvalidArgument = 17,
    /// Input that is well-formed but does not belong (a share or partial decryption that
    /// fails its check, a message of another round or key, …).
    Rejected = 18,

    // --- issue 17 (capi2): the statistics protocol's refusals, one code each ---
    /// A message of another round than the manifest's.
    WrongRound = 19,
    /// An organization (or member) not on the round's roster (or committee).
    NotOnRoster = 20,
    /// An organization already included (a second contribution, or overlapping aggregates).
    DuplicateContributor = 21,
    /// Fewer distinct contributors than the round's quorum: nothing is decrypted.
    QuorumNotMet = 22,
    /// This member already produced its partial decryption for this round (its journal
    /// says so): refused, whichever program made the first.
    AlreadyDecrypted = 23,
    /// An aggregate that is not the sum of the signed contributions it lists, or a partial
    /// made for another aggregate.
    AggregateMismatch = 24,
    /// A signing key (or key share) that is not the one the round lists for this party.
    KeyMismatch = 25,
    /// The decrypt-once journal cannot be read or written: nothing was decrypted.
    JournalFailure = 26,
}

impl From<Error> for TsubakiStatus {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidKeyLength { .. } => TsubakiStatus::InvalidKeyLength,
            Error::InvalidNonceLength { .. } => TsubakiStatus::InvalidNonceLength,
            Error::InvalidTagLength { .. } => TsubakiStatus::InvalidTagLength,
            Error::InvalidLength => TsubakiStatus::InvalidLength,
            Error::BufferTooSmall => TsubakiStatus::BufferTooSmall,
            Error::AuthenticationFailed => TsubakiStatus::AuthenticationFailed,
            Error::MessageTooLong => TsubakiStatus::MessageTooLong,
            // --- HPKE and ECDH (issue 14) ---
            Error::InvalidEncoding => TsubakiStatus::InvalidEncoding,
            Error::InvalidPublicKey => TsubakiStatus::InvalidPublicKey,
            Error::InvalidSecretKey => TsubakiStatus::InvalidSecretKey,
            Error::UnsupportedAlgorithm | Error::KeyMismatch => TsubakiStatus::Unsupported,
            // --- issue 17 ---
            Error::InvalidSignature => TsubakiStatus::InvalidSignature,
            Error::InvalidModulus
            | Error::InvalidCiphertext
            | Error::PlaintextOutOfRange
            | Error::Overflow
            | Error::InvalidThreshold
            | Error::InvalidShareIndex
            | Error::UnsupportedVersion
            | Error::InvalidValue
            | Error::ValueAboveBound => TsubakiStatus::InvalidArgument,
            Error::DuplicateShareIndex
            | Error::NotEnoughShares
            | Error::ShareMismatch
            | Error::InvalidShare
            | Error::InvalidDecryptionShare { .. }
            | Error::DuplicateDecryptionShare { .. }
            | Error::NotEnoughValidShares { .. } => TsubakiStatus::Rejected,
            // --- issue 17 (capi2) ---
            Error::WrongRound => TsubakiStatus::WrongRound,
            Error::NotOnRoster => TsubakiStatus::NotOnRoster,
            Error::DuplicateContributor => TsubakiStatus::DuplicateContributor,
            Error::QuorumNotMet => TsubakiStatus::QuorumNotMet,
            Error::AlreadyDecrypted => TsubakiStatus::AlreadyDecrypted,
            Error::AggregateMismatch => TsubakiStatus::AggregateMismatch,
            Error::JournalFailure => TsubakiStatus::JournalFailure,
            _ => TsubakiStatus::Other,
        }
    }
}

impl TsubakiStatus {
    /// The text of a status number; unknown numbers get a text saying so.
    fn text(code: u32) -> &'static CStr {
        match code {
            0 => c"success",
            1 => c"a required pointer was NULL",
            2 => c"invalid key length",
            3 => c"invalid nonce length",
            4 => c"invalid tag length",
            5 => c"invalid input length",
            6 => c"output buffer too small (the size needed is in *out_len)",
            7 => c"authentication failed",
            8 => c"message longer than the mode allows",
            9 => c"internal error (panic caught at the C boundary)",
            10 => c"other error",
            11 => c"malformed encoding",
            12 => c"invalid public key",
            13 => c"invalid private key",
            14 => c"unsupported suite or curve, or a key of another curve",
            15 => c"invalid signature",
            16 => c"invalid handle (freed, of another type, or foreign)",
            17 => c"argument out of range",
            18 => c"input rejected (a share, partial or message that fails its check)",
            19 => c"a message of another round",
            20 => c"not on the round's roster or committee",
            21 => c"duplicate: this organization is already included",
            22 => c"fewer contributors than the round's quorum",
            23 => c"this member already produced its partial decryption for this round",
            24 => c"the aggregate does not match the signed contributions it lists",
            25 => c"key or share does not match the round's entry for this party",
            26 => c"cannot read or write the decrypt-once journal",
            _ => c"unknown status code",
        }
    }
}

/// The text of `status`: a static, NUL-terminated English string that the caller must
/// not free or modify, never NULL. Unknown codes (the argument is taken as a plain
/// number, so any value is safe) give "unknown status code".
#[unsafe(no_mangle)]
pub extern "C" fn tsubaki_error_string(status: u32) -> *const c_char {
    boundary(c"internal error".as_ptr(), || {
        TsubakiStatus::text(status).as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_and_every_code_has_a_text() {
        for code in 0..=26 {
            assert_ne!(TsubakiStatus::text(code), c"unknown status code");
        }
        assert_eq!(TsubakiStatus::text(27), c"unknown status code");
        assert_eq!(
            TsubakiStatus::from(Error::AuthenticationFailed),
            TsubakiStatus::AuthenticationFailed
        );
        // SAFETY: the function returns a static NUL-terminated string.
        let s = unsafe { CStr::from_ptr(tsubaki_error_string(7)) };
        assert_eq!(s, c"authentication failed");
        // SAFETY: as above.
        let s = unsafe { CStr::from_ptr(tsubaki_error_string(u32::MAX)) };
        assert_eq!(s, c"unknown status code");
    }
}
