//! Status codes of the `tsubaki_*` functions and their texts.
//!
//! Every `tsubaki_*` function returns a [`TsubakiStatus`]: 0 for success, a stable
//! non-zero number for each cause. Numbers are never reused: a retired code stays
//! reserved. [`tsubaki_error_string`] gives a short English text for each.

use core::ffi::c_char;

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
            _ => TsubakiStatus::Other,
        }
    }
}

impl TsubakiStatus {
    /// The text of a status number; unknown numbers get a text saying so.
    fn text(code: u32) -> &'static str {
        match code {
            0 => "success",
            1 => "a required pointer was NULL",
            2 => "invalid key length",
            3 => "invalid nonce length",
            4 => "invalid tag length",
            5 => "invalid input length",
            6 => "output buffer too small",
            7 => "authentication failed",
            8 => "message longer than the mode allows",
            9 => "internal error (panic caught at the C boundary)",
            10 => "other error",
            11 => "malformed encoding",
            12 => "invalid public key",
            13 => "invalid private key",
            14 => "unsupported suite or curve, or a key of another curve",
            _ => "unknown status code",
        }
    }
}

/// Writes the text of `status` into `buf` (at most `len` bytes, always NUL-terminated
/// when `len > 0`, truncated if needed) and returns the length of the full text without
/// its NUL. With `buf` NULL or `len` 0 nothing is written: a size query. Unknown codes
/// (the argument is taken as a plain number) get the text "unknown status code".
///
/// # Safety
/// `buf` is NULL or writable for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_error_string(status: u32, buf: *mut c_char, len: usize) -> usize {
    boundary(0, || {
        let text = TsubakiStatus::text(status).as_bytes();
        if !buf.is_null() && len > 0 {
            let n = text.len().min(len - 1);
            // SAFETY: `buf` is writable for `len` bytes (contract) and n + 1 <= len.
            unsafe {
                core::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
                *buf.add(n) = 0;
            }
        }
        text.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_and_every_code_has_a_text() {
        for code in 0..=14 {
            assert_ne!(TsubakiStatus::text(code), "unknown status code");
        }
        assert_eq!(TsubakiStatus::text(15), "unknown status code");
        assert_eq!(
            TsubakiStatus::from(Error::AuthenticationFailed),
            TsubakiStatus::AuthenticationFailed
        );
        let mut buf = [0x55 as c_char; 8];
        // SAFETY: buf is 8 writable bytes.
        let n = unsafe { tsubaki_error_string(7, buf.as_mut_ptr(), 8) };
        assert_eq!(n, "authentication failed".len());
        assert_eq!(buf[7], 0);
        // SAFETY: a size query writes nothing.
        assert_eq!(
            unsafe { tsubaki_error_string(0, core::ptr::null_mut(), 0) },
            7
        );
        // SAFETY: len 0 writes nothing even with a pointer.
        assert_eq!(unsafe { tsubaki_error_string(0, buf.as_mut_ptr(), 0) }, 7);
    }
}
