//! ECDSA on P-256 and P-384 for C (`tsubaki_ecdsa_*`): key handles, the encodings
//! OpenSSL reads and writes (PKCS#8, SEC 1 `ECPrivateKey`, SubjectPublicKeyInfo, each DER
//! or PEM; SEC 1 points), signing (RFC 6979, the curve's hash, or a caller's digest) and
//! verification, with DER or fixed-size (r ‖ s) signatures.
//!
//! Conventions: those of every `tsubaki_*` function ([`crate::abi`]). Handles come from
//! `tsubaki_ecdsa_key_new` / `_import` (`tsubaki_ecdsa_key_free`) and
//! `tsubaki_ecdsa_pubkey_*` (`tsubaki_ecdsa_pubkey_free`); `_free(NULL)` does nothing.
//! PEM is written as text without a NUL (`*out_len` bytes) and read from `in_len` bytes.
//! The library is a thin layer over `tsubaki::ec::{p256, p384}`; all rules live there.

use tsubaki_core::ec::{p256, p384};
use zeroize::Zeroizing;

use crate::abi::{
    Res, call, export_bytes, free, get, handle, handle_from, handle_out, import_into, input,
    non_null, put,
};
use crate::error::TsubakiStatus;
use crate::hpke::TsubakiCurve;

/// A private-key encoding (`TSUBAKI_KEY_*`).
pub type TsubakiKeyFormat = u32;
/// PKCS#8 `PrivateKeyInfo`, DER (`openssl pkey -outform DER`).
pub const TSUBAKI_KEY_PKCS8_DER: TsubakiKeyFormat = 1;
/// PKCS#8, PEM `-----BEGIN PRIVATE KEY-----` (`openssl genpkey`).
pub const TSUBAKI_KEY_PKCS8_PEM: TsubakiKeyFormat = 2;
/// SEC 1 `ECPrivateKey` (RFC 5915), DER (`openssl ec -outform DER`).
pub const TSUBAKI_KEY_SEC1_DER: TsubakiKeyFormat = 3;
/// SEC 1, PEM `-----BEGIN EC PRIVATE KEY-----` (`openssl ecparam -genkey`).
pub const TSUBAKI_KEY_SEC1_PEM: TsubakiKeyFormat = 4;
/// The raw big-endian private scalar (32 or 48 bytes).
pub const TSUBAKI_KEY_RAW: TsubakiKeyFormat = 5;

/// A public-key encoding (`TSUBAKI_PUBKEY_*`).
pub type TsubakiPubkeyFormat = u32;
/// SubjectPublicKeyInfo (RFC 5480), DER (`openssl pkey -pubout -outform DER`).
pub const TSUBAKI_PUBKEY_SPKI_DER: TsubakiPubkeyFormat = 1;
/// SubjectPublicKeyInfo, PEM `-----BEGIN PUBLIC KEY-----`.
pub const TSUBAKI_PUBKEY_SPKI_PEM: TsubakiPubkeyFormat = 2;
/// An uncompressed SEC 1 point (65 / 97 bytes; import takes compressed points too).
pub const TSUBAKI_PUBKEY_SEC1: TsubakiPubkeyFormat = 3;
/// A compressed SEC 1 point (33 / 49 bytes).
pub const TSUBAKI_PUBKEY_SEC1_COMPRESSED: TsubakiPubkeyFormat = 4;

/// A signature encoding (`TSUBAKI_SIG_*`).
pub type TsubakiSigFormat = u32;
/// DER `SEQUENCE { r INTEGER, s INTEGER }` (what OpenSSL writes; at most 72 / 104 bytes).
pub const TSUBAKI_SIG_DER: TsubakiSigFormat = 1;
/// Fixed-size r ‖ s (64 / 96 bytes; JOSE, PKCS#11).
pub const TSUBAKI_SIG_FIXED: TsubakiSigFormat = 2;

/// A private key of either curve.
pub(crate) enum Priv {
    P256(p256::SigningKey),
    P384(p384::SigningKey),
}

/// A public key of either curve.
#[derive(Clone, Copy)]
pub(crate) enum Pub {
    P256(p256::VerifyingKey),
    P384(p384::VerifyingKey),
}

/// An ECDSA private key (C: `tsubaki_ecdsa_key`), P-256 or P-384. Opaque.
#[repr(C)]
pub struct TsubakiEcdsaKey {
    tag: u64,
    inner: Priv,
}
handle!(TsubakiEcdsaKey(Priv), 0x7473_6b5f_6563_6b31);

/// An ECDSA public key (C: `tsubaki_ecdsa_pubkey`), P-256 or P-384. Opaque.
#[repr(C)]
pub struct TsubakiEcdsaPubkey {
    tag: u64,
    inner: Pub,
}
handle!(TsubakiEcdsaPubkey(Pub), 0x7473_6b5f_6563_7031);

/// Runs `$body` with `$k` bound to the P-256 or P-384 value of `$e`.
macro_rules! either {
    ($e:expr, $ty:ident, $k:ident => $body:expr) => {
        match $e {
            $ty::P256($k) => $body,
            $ty::P384($k) => $body,
        }
    };
}

fn text(bytes: &[u8]) -> Result<&str, TsubakiStatus> {
    core::str::from_utf8(bytes).map_err(|_| TsubakiStatus::InvalidEncoding)
}

fn check_curve(curve: TsubakiCurve) -> Result<(), TsubakiStatus> {
    match curve {
        256 | 384 => Ok(()),
        _ => Err(TsubakiStatus::Unsupported),
    }
}

impl Priv {
    fn import(
        curve: TsubakiCurve,
        format: TsubakiKeyFormat,
        b: &[u8],
    ) -> Result<Self, TsubakiStatus> {
        macro_rules! parse {
            ($m:ident, $v:ident) => {
                Priv::$v(match format {
                    TSUBAKI_KEY_PKCS8_DER => $m::SigningKey::from_pkcs8_der(b)?,
                    TSUBAKI_KEY_PKCS8_PEM => $m::SigningKey::from_pkcs8_pem(text(b)?)?,
                    TSUBAKI_KEY_SEC1_DER => $m::SigningKey::from_sec1_der(b)?,
                    TSUBAKI_KEY_SEC1_PEM => $m::SigningKey::from_sec1_pem(text(b)?)?,
                    TSUBAKI_KEY_RAW => $m::SigningKey::from_slice(b)?,
                    _ => return Err(TsubakiStatus::InvalidArgument),
                })
            };
        }
        Ok(match curve {
            256 => parse!(p256, P256),
            384 => parse!(p384, P384),
            _ => return Err(TsubakiStatus::Unsupported),
        })
    }

    fn export(&self, format: TsubakiKeyFormat) -> Result<Zeroizing<Vec<u8>>, TsubakiStatus> {
        Ok(Zeroizing::new(either!(self, Priv, k => match format {
            TSUBAKI_KEY_PKCS8_DER => k.to_pkcs8_der(),
            TSUBAKI_KEY_PKCS8_PEM => k.to_pkcs8_pem().into_bytes(),
            TSUBAKI_KEY_SEC1_DER => k.to_sec1_der(),
            TSUBAKI_KEY_SEC1_PEM => k.to_sec1_pem().into_bytes(),
            TSUBAKI_KEY_RAW => k.to_bytes().as_ref().to_vec(),
            _ => return Err(TsubakiStatus::InvalidArgument),
        })))
    }

    fn public(&self) -> Pub {
        match self {
            Priv::P256(k) => Pub::P256(k.verifying_key()),
            Priv::P384(k) => Pub::P384(k.verifying_key()),
        }
    }

    /// The largest signature in `format`.
    fn sig_len(&self, format: TsubakiSigFormat) -> Result<usize, TsubakiStatus> {
        let (der, fixed) = match self {
            Priv::P256(_) => (p256::Signature::MAX_DER_LEN, 64),
            Priv::P384(_) => (p384::Signature::MAX_DER_LEN, 96),
        };
        match format {
            TSUBAKI_SIG_DER => Ok(der),
            TSUBAKI_SIG_FIXED => Ok(fixed),
            _ => Err(TsubakiStatus::InvalidArgument),
        }
    }
}

impl Pub {
    fn import(
        curve: TsubakiCurve,
        format: TsubakiPubkeyFormat,
        b: &[u8],
    ) -> Result<Self, TsubakiStatus> {
        macro_rules! parse {
            ($m:ident, $v:ident) => {
                Pub::$v(match format {
                    TSUBAKI_PUBKEY_SPKI_DER => $m::VerifyingKey::from_public_key_der(b)?,
                    TSUBAKI_PUBKEY_SPKI_PEM => $m::VerifyingKey::from_public_key_pem(text(b)?)?,
                    TSUBAKI_PUBKEY_SEC1 | TSUBAKI_PUBKEY_SEC1_COMPRESSED => {
                        $m::VerifyingKey::from_sec1_bytes(b)?
                    }
                    _ => return Err(TsubakiStatus::InvalidArgument),
                })
            };
        }
        Ok(match curve {
            256 => parse!(p256, P256),
            384 => parse!(p384, P384),
            _ => return Err(TsubakiStatus::Unsupported),
        })
    }

    fn export(&self, format: TsubakiPubkeyFormat) -> Result<Vec<u8>, TsubakiStatus> {
        Ok(either!(self, Pub, k => match format {
            TSUBAKI_PUBKEY_SPKI_DER => k.to_public_key_der(),
            TSUBAKI_PUBKEY_SPKI_PEM => k.to_public_key_pem().into_bytes(),
            TSUBAKI_PUBKEY_SEC1 => k.to_sec1_bytes(false),
            TSUBAKI_PUBKEY_SEC1_COMPRESSED => k.to_sec1_bytes(true),
            _ => return Err(TsubakiStatus::InvalidArgument),
        }))
    }

    fn verify(&self, prehashed: bool, format: TsubakiSigFormat, m: &[u8], sig: &[u8]) -> Res {
        macro_rules! go {
            ($m:ident, $k:ident) => {{
                let s = match format {
                    TSUBAKI_SIG_DER => $m::Signature::from_der(sig)?,
                    TSUBAKI_SIG_FIXED => $m::Signature::from_slice(sig)?,
                    _ => return Err(TsubakiStatus::InvalidArgument),
                };
                if prehashed {
                    $k.verify_prehash(m, &s)?
                } else {
                    $k.verify(m, &s)?
                }
            }};
        }
        match self {
            Pub::P256(k) => go!(p256, k),
            Pub::P384(k) => go!(p384, k),
        }
        Ok(())
    }
}

/// Generates a fresh private key on `curve` (256 or 384) from the operating system's
/// randomness into `*out` (NULL on failure).
///
/// # Safety
/// `out` NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_key_new(
    curve: TsubakiCurve,
    out: *mut *mut TsubakiEcdsaKey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            check_curve(curve)?;
            let mut rng = tsubaki_core::OsRng;
            put(
                out,
                if curve == 256 {
                    Priv::P256(p256::SigningKey::random(&mut rng))
                } else {
                    Priv::P384(p384::SigningKey::random(&mut rng))
                },
            )
        })
    }
}

/// Reads a private key of `curve` in `format` (`TSUBAKI_KEY_*`) into `*out`. A key of
/// another curve or algorithm is `TSUBAKI_STATUS_UNSUPPORTED`, a malformed one
/// `TSUBAKI_STATUS_INVALID_ENCODING`, a scalar out of range
/// `TSUBAKI_STATUS_INVALID_SECRET_KEY`.
///
/// # Safety
/// `in` readable for `in_len` bytes; `out` as in [`tsubaki_ecdsa_key_new`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_key_import(
    curve: TsubakiCurve,
    format: TsubakiKeyFormat,
    in_: *const u8,
    in_len: usize,
    out: *mut *mut TsubakiEcdsaKey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { import_into(in_, in_len, out, |b| Priv::import(curve, format, b)) }
}

/// Writes `key` in `format` (`TSUBAKI_KEY_*`) to `out` (size query with `out` NULL).
/// The output holds the private key: wipe it when done.
///
/// # Safety
/// `key` a live key handle; `out`/`out_len` as in the output convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_key_export(
    key: *const TsubakiEcdsaKey,
    format: TsubakiKeyFormat,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { export_bytes(key, out, out_len, |k| k.export(format)) }
}

/// The curve of `key` (256 or 384) into `*curve`.
///
/// # Safety
/// `key` a live key handle; `curve` valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_key_curve(
    key: *const TsubakiEcdsaKey,
    curve: *mut TsubakiCurve,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let c = match get(key)? {
                Priv::P256(_) => 256,
                Priv::P384(_) => 384,
            };
            *non_null(curve)?.cast_mut() = c;
            Ok(())
        })
    }
}

/// Frees a private key (its scalar is wiped). NULL, or a handle of another type, is left
/// alone.
///
/// # Safety
/// `key` NULL or a key handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_key_free(key: *mut TsubakiEcdsaKey) {
    // SAFETY: the caller's contract.
    unsafe { free(key) }
}

/// The public key of `key` into `*out`.
///
/// # Safety
/// `key` a live key handle; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_key_public(
    key: *const TsubakiEcdsaKey,
    out: *mut *mut TsubakiEcdsaPubkey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { handle_from(key, out, Priv::public) }
}

/// Reads a public key of `curve` in `format` (`TSUBAKI_PUBKEY_*`; the SEC 1 formats both
/// take compressed and uncompressed points) into `*out`. Off-curve points and the
/// identity are `TSUBAKI_STATUS_INVALID_PUBLIC_KEY`.
///
/// # Safety
/// `in` readable for `in_len` bytes; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_pubkey_import(
    curve: TsubakiCurve,
    format: TsubakiPubkeyFormat,
    in_: *const u8,
    in_len: usize,
    out: *mut *mut TsubakiEcdsaPubkey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { import_into(in_, in_len, out, |b| Pub::import(curve, format, b)) }
}

/// Writes `key` in `format` (`TSUBAKI_PUBKEY_*`) to `out`.
///
/// # Safety
/// `key` a live public-key handle; `out`/`out_len` as in the output convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_pubkey_export(
    key: *const TsubakiEcdsaPubkey,
    format: TsubakiPubkeyFormat,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { export_bytes(key, out, out_len, |k| k.export(format)) }
}

/// Frees a public key. NULL, or a handle of another type, is left alone.
///
/// # Safety
/// `key` NULL or a public-key handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_pubkey_free(key: *mut TsubakiEcdsaPubkey) {
    // SAFETY: the caller's contract.
    unsafe { free(key) }
}

/// Signs: `prehashed` 0 → `msg` is the message, hashed with the curve's hash (SHA-256 /
/// SHA-384); otherwise `msg` is the caller's digest (at least 16 bytes; longer than the
/// order is truncated, as FIPS 186-5 says). RFC 6979 deterministic nonces. The signature
/// goes to `out` in `format` (`TSUBAKI_SIG_*`); the size query gives the largest DER
/// length (72 / 104), `*out_len` the length written.
unsafe fn sign(
    key: *const TsubakiEcdsaKey,
    format: TsubakiSigFormat,
    prehashed: bool,
    msg: *const u8,
    msg_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let k = get(key)?;
            let m = input(msg, msg_len)?;
            if !o.reserve([k.sig_len(format)?])? {
                return Ok(());
            }
            either!(k, Priv, k => {
                let s = if prehashed { k.sign_prehash(m)? } else { k.sign(m) };
                if format == TSUBAKI_SIG_DER {
                    let n = s.write_der(o.slice(0))?;
                    o.set_written(0, n);
                    Ok(())
                } else {
                    o.write(0, s.to_bytes().as_ref())
                }
            })
        })
    }
}

/// Signs message `msg` (hashed with SHA-256 for P-256, SHA-384 for P-384; RFC 6979) into
/// `out` in `format` (`TSUBAKI_SIG_DER` or `TSUBAKI_SIG_FIXED`). `*out_len` gets the
/// length written (DER: at most 72 / 104, which the size query answers).
///
/// # Safety
/// `key` a live key handle; `msg` readable for `msg_len` bytes (NULL if 0); `out`/
/// `out_len` as in the output convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_sign(
    key: *const TsubakiEcdsaKey,
    format: TsubakiSigFormat,
    msg: *const u8,
    msg_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { sign(key, format, false, msg, msg_len, out, out_len) }
}

/// Signs a digest the caller computed (at least 16 bytes, else
/// `TSUBAKI_STATUS_INVALID_LENGTH`; longer than the order is truncated to its bit length).
///
/// # Safety
/// As [`tsubaki_ecdsa_sign`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_sign_prehash(
    key: *const TsubakiEcdsaKey,
    format: TsubakiSigFormat,
    digest: *const u8,
    digest_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { sign(key, format, true, digest, digest_len, out, out_len) }
}

/// Verifies `sig` (in `format`) over message `msg`: `TSUBAKI_STATUS_OK` if it verifies,
/// `TSUBAKI_STATUS_INVALID_SIGNATURE` if not (or r, s out of range),
/// `TSUBAKI_STATUS_INVALID_ENCODING` for DER that is not strict DER,
/// `TSUBAKI_STATUS_INVALID_LENGTH` for a fixed signature of the wrong length.
///
/// # Safety
/// `key` a live public-key handle; `msg` and `sig` readable for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_verify(
    key: *const TsubakiEcdsaPubkey,
    format: TsubakiSigFormat,
    msg: *const u8,
    msg_len: usize,
    sig: *const u8,
    sig_len: usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            get(key)?.verify(
                false,
                format,
                input(msg, msg_len)?,
                input(non_null(sig)?, sig_len)?,
            )
        })
    }
}

/// As [`tsubaki_ecdsa_verify`] over a digest the caller computed (at least 16 bytes).
///
/// # Safety
/// As [`tsubaki_ecdsa_verify`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdsa_verify_prehash(
    key: *const TsubakiEcdsaPubkey,
    format: TsubakiSigFormat,
    digest: *const u8,
    digest_len: usize,
    sig: *const u8,
    sig_len: usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            get(key)?.verify(
                true,
                format,
                input(non_null(digest)?, digest_len)?,
                input(non_null(sig)?, sig_len)?,
            )
        })
    }
}
