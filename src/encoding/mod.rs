//! Encodings shared by the public-key parts of the crate: strict ASN.1 DER (ITU-T X.690),
//! constant-time base64 (RFC 4648) and PEM armour (RFC 7468).
//!
//! The DER reader and base64 need no allocator; PEM returns heap buffers and needs
//! `alloc`. The structures built from them (PKCS#8, SEC 1, SPKI, ECDSA signatures) live
//! with their algorithm, in `ec::pkcs`.

#[cfg(feature = "alloc")]
pub(crate) mod base64;
pub(crate) mod der;
#[cfg(feature = "alloc")]
pub(crate) mod pem;

/// Marks a value derived from secrets as public on purpose (a validity verdict, a padding
/// length that follows from public lengths) and returns it for branching.
///
/// Under the `ct-valgrind` feature, [`crate::ct::declassify`] marks the memory defined; the
/// opaque `&mut` use then forces the optimiser to reload the value from that memory, so
/// the branch after it does not read a register copy that valgrind still considers secret.
/// Without the feature this is the identity.
#[inline(always)]
pub(crate) fn make_public<T: Copy>(mut value: T) -> T {
    crate::ct::declassify(&value);
    let _ = core::hint::black_box(&mut value);
    value
}
