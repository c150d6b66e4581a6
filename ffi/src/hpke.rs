//! HPKE (RFC 9180) and ECDH (SEC 1 §3.3.1) for C: `tsubaki_hpke_*` and `tsubaki_ecdh_*`.
//!
//! Everything is byte buffers: keys are serialized (private key = big-endian scalar of 32 or
//! 48 bytes; public key = uncompressed SEC 1, 65 or 97 bytes), the suite is a
//! [`TsubakiHpkeSuite`] value. Every function:
//! - returns a [`TsubakiStatus`] (`crate::error`; 0 = OK), never panics into C
//!   (`crate::boundary`);
//! - checks every pointer for NULL (an empty input may be NULL with length 0) and every
//!   output buffer's length before writing anything;
//! - answers a size query: the `*_len` functions give the exact output sizes, and a
//!   too-small output buffer is `TSUBAKI_STATUS_BUFFER_TOO_SMALL` with nothing written;
//! - on any failure writes nothing to its outputs except zeros (opened plaintext is never
//!   released unless the tag verified), and wipes its own copies of secrets.
//!
//! Randomness comes from the operating system (`tsubaki::OsRng`).

use core::ffi::c_int;
use core::slice;

use tsubaki_core::Error;
use tsubaki_core::ec::{p256, p384};
use tsubaki_core::hpke::{self, Keypair, Suite};
use zeroize::{Zeroize, Zeroizing};

use crate::boundary;

use crate::error::TsubakiStatus;

const TSUBAKI_STATUS_OK: TsubakiStatus = TsubakiStatus::Ok;
const TSUBAKI_STATUS_NULL_POINTER: TsubakiStatus = TsubakiStatus::NullPointer;
const TSUBAKI_STATUS_BUFFER_TOO_SMALL: TsubakiStatus = TsubakiStatus::BufferTooSmall;
const TSUBAKI_STATUS_INVALID_LENGTH: TsubakiStatus = TsubakiStatus::InvalidLength;
#[cfg(test)]
const TSUBAKI_STATUS_INVALID_ENCODING: TsubakiStatus = TsubakiStatus::InvalidEncoding;
#[cfg(test)]
const TSUBAKI_STATUS_INVALID_PUBLIC_KEY: TsubakiStatus = TsubakiStatus::InvalidPublicKey;
#[cfg(test)]
const TSUBAKI_STATUS_INVALID_SECRET_KEY: TsubakiStatus = TsubakiStatus::InvalidSecretKey;
#[cfg(test)]
const TSUBAKI_STATUS_AUTHENTICATION_FAILED: TsubakiStatus = TsubakiStatus::AuthenticationFailed;
const TSUBAKI_STATUS_UNSUPPORTED: TsubakiStatus = TsubakiStatus::Unsupported;
const TSUBAKI_STATUS_INTERNAL: TsubakiStatus = TsubakiStatus::Panic;

/// An HPKE suite.
pub type TsubakiHpkeSuite = u32;
/// DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, Camellia-128-GCM (aead_id 0xFF01).
pub const TSUBAKI_HPKE_P256_SHA256_CAMELLIA128_GCM: TsubakiHpkeSuite = 1;
/// DHKEM(P-384, HKDF-SHA384), HKDF-SHA384, Camellia-256-GCM (aead_id 0xFF02).
pub const TSUBAKI_HPKE_P384_SHA384_CAMELLIA256_GCM: TsubakiHpkeSuite = 2;

/// An ECDH curve: 256 (P-256) or 384 (P-384).
pub type TsubakiCurve = u32;

/// The tag length of the Camellia-GCM suites.
const TAG_LEN: usize = 16;

fn status_of(e: Error) -> TsubakiStatus {
    TsubakiStatus::from(e)
}

fn suite_of(s: TsubakiHpkeSuite) -> Result<Suite, TsubakiStatus> {
    match s {
        TSUBAKI_HPKE_P256_SHA256_CAMELLIA128_GCM => Ok(Suite::P256_SHA256_CAMELLIA128_GCM),
        TSUBAKI_HPKE_P384_SHA384_CAMELLIA256_GCM => Ok(Suite::P384_SHA384_CAMELLIA256_GCM),
        _ => Err(TSUBAKI_STATUS_UNSUPPORTED),
    }
}

/// An input buffer: NULL is allowed only with length 0.
///
/// # Safety
/// A non-NULL `ptr` must be valid for reads of `len` bytes for the returned lifetime.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], TsubakiStatus> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(TSUBAKI_STATUS_NULL_POINTER)
        };
    }
    // SAFETY: the caller's contract (non-NULL, valid for `len` bytes).
    Ok(unsafe { slice::from_raw_parts(ptr, len) })
}

/// An output buffer of at least `need` bytes (NULL or shorter is an error).
///
/// # Safety
/// A non-NULL `ptr` must be valid for writes of `len` bytes for the returned lifetime.
unsafe fn output<'a>(ptr: *mut u8, len: usize, need: usize) -> Result<&'a mut [u8], TsubakiStatus> {
    if ptr.is_null() {
        return Err(TSUBAKI_STATUS_NULL_POINTER);
    }
    if len < need {
        return Err(TSUBAKI_STATUS_BUFFER_TOO_SMALL);
    }
    // SAFETY: the caller's contract (non-NULL, valid for `len` ≥ `need` bytes).
    Ok(unsafe { slice::from_raw_parts_mut(ptr, need) })
}

/// Runs `body` inside the panic boundary and turns its result into a status.
fn run(body: impl FnOnce() -> Result<(), TsubakiStatus>) -> TsubakiStatus {
    boundary(TSUBAKI_STATUS_INTERNAL, || match body() {
        Ok(()) => TSUBAKI_STATUS_OK,
        Err(s) => s,
    })
}

// --- sizes ---------------------------------------------------------------------------------

/// The sizes for `suite`: private key, public key (= encapsulated key), and the tag the
/// ciphertext adds to the plaintext. Any pointer may be NULL (that size is not written).
///
/// # Safety
/// Each non-NULL pointer must be valid for a write of one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_hpke_sizes(
    suite: TsubakiHpkeSuite,
    private_key_len: *mut usize,
    public_key_len: *mut usize,
    tag_len: *mut usize,
) -> TsubakiStatus {
    run(|| {
        let s = suite_of(suite)?;
        for (p, v) in [
            (private_key_len, s.kem().private_key_len()),
            (public_key_len, s.kem().public_key_len()),
            (tag_len, TAG_LEN),
        ] {
            if !p.is_null() {
                // SAFETY: non-NULL, valid for one write by the caller's contract.
                unsafe { p.write(v) };
            }
        }
        Ok(())
    })
}

// --- keys ----------------------------------------------------------------------------------

fn write_keypair(k: &Keypair, sk: &mut [u8], pk: &mut [u8]) {
    sk.copy_from_slice(&k.private_key_bytes());
    pk.copy_from_slice(&k.public_key_bytes());
}

/// A fresh key pair for `suite` (GenerateKeyPair, OS randomness): the private key
/// (`sk_len` ≥ Nsk) and the public key (`pk_len` ≥ Npk).
///
/// # Safety
/// `sk` valid for writes of `sk_len` bytes, `pk` of `pk_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_hpke_keygen(
    suite: TsubakiHpkeSuite,
    sk: *mut u8,
    sk_len: usize,
    pk: *mut u8,
    pk_len: usize,
) -> TsubakiStatus {
    run(|| {
        let s = suite_of(suite)?;
        // SAFETY: the caller's contract.
        let sk = unsafe { output(sk, sk_len, s.kem().private_key_len())? };
        // SAFETY: the caller's contract.
        let pk = unsafe { output(pk, pk_len, s.kem().public_key_len())? };
        write_keypair(&Keypair::generate(s, &mut tsubaki_core::OsRng), sk, pk);
        Ok(())
    })
}

/// DeriveKeyPair(ikm) (RFC 9180 §7.1.3): the same `ikm` always gives the same key pair.
///
/// # Safety
/// `ikm` valid for reads of `ikm_len` bytes; `sk`/`pk` as in [`tsubaki_hpke_keygen`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_hpke_derive_keypair(
    suite: TsubakiHpkeSuite,
    ikm: *const u8,
    ikm_len: usize,
    sk: *mut u8,
    sk_len: usize,
    pk: *mut u8,
    pk_len: usize,
) -> TsubakiStatus {
    run(|| {
        let s = suite_of(suite)?;
        // SAFETY: the caller's contract.
        let ikm = unsafe { input(ikm, ikm_len)? };
        // SAFETY: the caller's contract.
        let sk = unsafe { output(sk, sk_len, s.kem().private_key_len())? };
        // SAFETY: the caller's contract.
        let pk = unsafe { output(pk, pk_len, s.kem().public_key_len())? };
        write_keypair(&Keypair::derive(s, ikm).map_err(status_of)?, sk, pk);
        Ok(())
    })
}

// --- seal / open ---------------------------------------------------------------------------

/// Single-shot HPKE seal in base mode to the recipient's public key `pk_r`: writes the
/// encapsulated key (`enc_len` ≥ Npk; exactly Npk bytes are written) and the ciphertext
/// (`ct_len` ≥ `pt_len` + 16; exactly `pt_len` + 16 bytes are written). `info` and `aad`
/// may be NULL when their length is 0. `sender_sk` (NULL for base mode) selects auth mode:
/// the sender's private key, `sender_sk_len` = Nsk.
///
/// # Safety
/// Every non-NULL pointer valid for its length (reads for inputs, writes for outputs);
/// the output buffers must not overlap the inputs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_hpke_seal(
    suite: TsubakiHpkeSuite,
    pk_r: *const u8,
    pk_r_len: usize,
    sender_sk: *const u8,
    sender_sk_len: usize,
    info: *const u8,
    info_len: usize,
    aad: *const u8,
    aad_len: usize,
    pt: *const u8,
    pt_len: usize,
    enc: *mut u8,
    enc_len: usize,
    ct: *mut u8,
    ct_len: usize,
) -> TsubakiStatus {
    run(|| {
        let s = suite_of(suite)?;
        if pk_r.is_null() {
            return Err(TSUBAKI_STATUS_NULL_POINTER);
        }
        // SAFETY (all four): the caller's contract.
        let pk_r = unsafe { input(pk_r, pk_r_len)? };
        let info = unsafe { input(info, info_len)? };
        let aad = unsafe { input(aad, aad_len)? };
        let pt = unsafe { input(pt, pt_len)? };
        let sender = if sender_sk.is_null() {
            None
        } else {
            // SAFETY: the caller's contract.
            let bytes = unsafe { input(sender_sk, sender_sk_len)? };
            Some(Keypair::from_private_key_bytes(s, bytes).map_err(status_of)?)
        };
        let need_ct = pt
            .len()
            .checked_add(TAG_LEN)
            .ok_or(TSUBAKI_STATUS_INVALID_LENGTH)?;
        // SAFETY: the caller's contract.
        let enc_out = unsafe { output(enc, enc_len, s.kem().public_key_len())? };
        // SAFETY: the caller's contract.
        let ct_out = unsafe { output(ct, ct_len, need_ct)? };
        let mut rng = tsubaki_core::OsRng;
        let (e, c) = match &sender {
            None => hpke::seal(s, &mut rng, pk_r, info, aad, pt),
            Some(k) => hpke::seal_auth(s, &mut rng, pk_r, k, info, aad, pt),
        }
        .map_err(status_of)?;
        enc_out.copy_from_slice(&e);
        ct_out.copy_from_slice(&c);
        Ok(())
    })
}

/// Single-shot HPKE open with the recipient's private key `sk_r` (Nsk bytes): writes the
/// plaintext (`pt_len` ≥ `ct_len` − 16) and its length to `*pt_written`.
/// `sender_pk` (NULL for base mode) selects auth mode: the sender's public key. On any
/// failure nothing but zeros is written and `*pt_written` is 0.
///
/// # Safety
/// Every non-NULL pointer valid for its length; `pt_written` valid for one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_hpke_open(
    suite: TsubakiHpkeSuite,
    sk_r: *const u8,
    sk_r_len: usize,
    sender_pk: *const u8,
    sender_pk_len: usize,
    enc: *const u8,
    enc_len: usize,
    info: *const u8,
    info_len: usize,
    aad: *const u8,
    aad_len: usize,
    ct: *const u8,
    ct_len: usize,
    pt: *mut u8,
    pt_len: usize,
    pt_written: *mut usize,
) -> TsubakiStatus {
    run(|| {
        let s = suite_of(suite)?;
        if sk_r.is_null() || enc.is_null() || ct.is_null() || pt_written.is_null() {
            return Err(TSUBAKI_STATUS_NULL_POINTER);
        }
        // SAFETY: non-NULL, valid for one write by the caller's contract.
        unsafe { pt_written.write(0) };
        // SAFETY (all): the caller's contract.
        let sk_r = unsafe { input(sk_r, sk_r_len)? };
        let enc = unsafe { input(enc, enc_len)? };
        let info = unsafe { input(info, info_len)? };
        let aad = unsafe { input(aad, aad_len)? };
        let ct = unsafe { input(ct, ct_len)? };
        let sender_pk = if sender_pk.is_null() {
            None
        } else {
            // SAFETY: the caller's contract.
            Some(unsafe { input(sender_pk, sender_pk_len)? })
        };
        let need = ct
            .len()
            .checked_sub(TAG_LEN)
            .ok_or(TSUBAKI_STATUS_INVALID_LENGTH)?;
        // SAFETY: the caller's contract.
        let out = unsafe { output(pt, pt_len, need)? };
        let key = Keypair::from_private_key_bytes(s, sk_r).map_err(status_of)?;
        let opened = match sender_pk {
            None => hpke::open(s, &key, enc, info, aad, ct),
            Some(pk) => hpke::open_auth(s, &key, pk, enc, info, aad, ct),
        };
        let mut opened = Zeroizing::new(opened.map_err(status_of)?);
        out.copy_from_slice(&opened);
        opened.zeroize();
        // SAFETY: as above.
        unsafe { pt_written.write(need) };
        Ok(())
    })
}

// --- ECDH ----------------------------------------------------------------------------------

fn curve_len(curve: TsubakiCurve) -> Result<usize, TsubakiStatus> {
    match curve {
        256 => Ok(32),
        384 => Ok(48),
        _ => Err(TSUBAKI_STATUS_UNSUPPORTED),
    }
}

/// A fresh ECDH key on `curve` (256 or 384): the private scalar (`sk_len` ≥ 32 / 48) and
/// the uncompressed public key (`pk_len` ≥ 65 / 97).
///
/// # Safety
/// `sk` valid for writes of `sk_len` bytes, `pk` of `pk_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdh_keygen(
    curve: TsubakiCurve,
    sk: *mut u8,
    sk_len: usize,
    pk: *mut u8,
    pk_len: usize,
) -> TsubakiStatus {
    run(|| {
        let n = curve_len(curve)?;
        // SAFETY: the caller's contract.
        let sk = unsafe { output(sk, sk_len, n)? };
        // SAFETY: the caller's contract.
        let pk = unsafe { output(pk, pk_len, 2 * n + 1)? };
        let mut rng = tsubaki_core::OsRng;
        if n == 32 {
            let k = p256::ecdh::SecretKey::random(&mut rng);
            sk.copy_from_slice(k.to_bytes().as_ref());
            pk.copy_from_slice(&k.public_key_sec1(false));
        } else {
            let k = p384::ecdh::SecretKey::random(&mut rng);
            sk.copy_from_slice(k.to_bytes().as_ref());
            pk.copy_from_slice(&k.public_key_sec1(false));
        }
        Ok(())
    })
}

/// The public key of the private scalar `sk` (32 / 48 bytes, in 1..n−1): uncompressed
/// (`compressed` = 0, 65 / 97 bytes) or compressed (33 / 49 bytes); the length written
/// goes to `*pk_written`.
///
/// # Safety
/// `sk` valid for reads of `sk_len` bytes, `pk` for writes of `pk_len`, `pk_written` for
/// one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdh_public_key(
    curve: TsubakiCurve,
    sk: *const u8,
    sk_len: usize,
    compressed: c_int,
    pk: *mut u8,
    pk_len: usize,
    pk_written: *mut usize,
) -> TsubakiStatus {
    run(|| {
        let n = curve_len(curve)?;
        if sk.is_null() || pk_written.is_null() {
            return Err(TSUBAKI_STATUS_NULL_POINTER);
        }
        // SAFETY: the caller's contract.
        let sk = unsafe { input(sk, sk_len)? };
        let compressed = compressed != 0;
        let need = if compressed { n + 1 } else { 2 * n + 1 };
        // SAFETY: the caller's contract.
        let out = unsafe { output(pk, pk_len, need)? };
        let public = if n == 32 {
            p256::ecdh::SecretKey::from_slice(sk)
                .map_err(status_of)?
                .public_key_sec1(compressed)
        } else {
            p384::ecdh::SecretKey::from_slice(sk)
                .map_err(status_of)?
                .public_key_sec1(compressed)
        };
        out.copy_from_slice(&public);
        // SAFETY: non-NULL, valid for one write by the caller's contract.
        unsafe { pk_written.write(need) };
        Ok(())
    })
}

/// The ECDH shared secret x(sk·peer) (32 / 48 bytes into `out`, `out_len` ≥ that) of the
/// private scalar `sk` and the peer's SEC 1 public key (compressed or not), which is
/// validated first. Feed it to a KDF; never use it as a key directly.
///
/// # Safety
/// `sk`, `peer` valid for reads of their lengths; `out` for writes of `out_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdh_shared_secret(
    curve: TsubakiCurve,
    sk: *const u8,
    sk_len: usize,
    peer: *const u8,
    peer_len: usize,
    out: *mut u8,
    out_len: usize,
) -> TsubakiStatus {
    run(|| {
        let n = curve_len(curve)?;
        if sk.is_null() || peer.is_null() {
            return Err(TSUBAKI_STATUS_NULL_POINTER);
        }
        // SAFETY: the caller's contract.
        let sk = unsafe { input(sk, sk_len)? };
        // SAFETY: the caller's contract.
        let peer = unsafe { input(peer, peer_len)? };
        // SAFETY: the caller's contract.
        let out = unsafe { output(out, out_len, n)? };
        if n == 32 {
            let z = p256::ecdh::SecretKey::from_slice(sk)
                .map_err(status_of)?
                .diffie_hellman(peer)
                .map_err(status_of)?;
            out.copy_from_slice(z.as_bytes());
        } else {
            let z = p384::ecdh::SecretKey::from_slice(sk)
                .map_err(status_of)?
                .diffie_hellman(peer)
                .map_err(status_of)?;
            out.copy_from_slice(z.as_bytes());
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;

    const S1: TsubakiHpkeSuite = TSUBAKI_HPKE_P256_SHA256_CAMELLIA128_GCM;

    fn keygen(suite: TsubakiHpkeSuite) -> (Vec<u8>, Vec<u8>) {
        let (mut nsk, mut npk) = (0usize, 0usize);
        // SAFETY: valid pointers to locals.
        let st = unsafe { tsubaki_hpke_sizes(suite, &mut nsk, &mut npk, ptr::null_mut()) };
        assert_eq!(st, TSUBAKI_STATUS_OK);
        let (mut sk, mut pk) = (vec![0u8; nsk], vec![0u8; npk]);
        // SAFETY: buffers of the stated lengths.
        let st = unsafe { tsubaki_hpke_keygen(suite, sk.as_mut_ptr(), nsk, pk.as_mut_ptr(), npk) };
        assert_eq!(st, TSUBAKI_STATUS_OK);
        (sk, pk)
    }

    /// Seals `pt` (auth mode when `sender` is given); returns (status, enc, ct).
    fn seal(
        suite: TsubakiHpkeSuite,
        pk: &[u8],
        sender: Option<&[u8]>,
        pt: &[u8],
    ) -> (TsubakiStatus, Vec<u8>, Vec<u8>) {
        let mut enc = vec![0u8; 97];
        let mut ct = vec![0u8; pt.len() + 16];
        let (sp, sl) = sender.map_or((ptr::null(), 0), |s| (s.as_ptr(), s.len()));
        // SAFETY: every buffer valid for its length.
        let st = unsafe {
            tsubaki_hpke_seal(
                suite,
                pk.as_ptr(),
                pk.len(),
                sp,
                sl,
                b"info".as_ptr(),
                4,
                ptr::null(),
                0,
                pt.as_ptr(),
                pt.len(),
                enc.as_mut_ptr(),
                enc.len(),
                ct.as_mut_ptr(),
                ct.len(),
            )
        };
        enc.truncate(pk.len());
        (st, enc, ct)
    }

    fn open(
        suite: TsubakiHpkeSuite,
        sk: &[u8],
        sender: Option<&[u8]>,
        enc: &[u8],
        ct: &[u8],
        pt_len: usize,
    ) -> (TsubakiStatus, Vec<u8>, usize) {
        let mut pt = vec![0xeeu8; pt_len];
        let mut written = 99usize;
        let (sp, sl) = sender.map_or((ptr::null(), 0), |s| (s.as_ptr(), s.len()));
        // SAFETY: every buffer valid for its length.
        let st = unsafe {
            tsubaki_hpke_open(
                suite,
                sk.as_ptr(),
                sk.len(),
                sp,
                sl,
                enc.as_ptr(),
                enc.len(),
                b"info".as_ptr(),
                4,
                ptr::null(),
                0,
                ct.as_ptr(),
                ct.len(),
                pt.as_mut_ptr(),
                pt.len(),
                &mut written,
            )
        };
        (st, pt, written)
    }

    #[test]
    fn seal_open_round_trip_base_and_auth_both_suites() {
        for suite in [S1, TSUBAKI_HPKE_P384_SHA384_CAMELLIA256_GCM] {
            let (sk, pk) = keygen(suite);
            let (ssk, spk) = keygen(suite);
            let msg = b"incident report 2026-12-06";
            let (st, enc, ct) = seal(suite, &pk, None, msg);
            assert_eq!(st, TSUBAKI_STATUS_OK);
            let (st, pt, n) = open(suite, &sk, None, &enc, &ct, msg.len());
            assert_eq!((st, n), (TSUBAKI_STATUS_OK, msg.len()));
            assert_eq!(&pt, msg);
            // The core library opens what C sealed.
            let s = suite_of(suite).unwrap();
            let key = Keypair::from_private_key_bytes(s, &sk).unwrap();
            assert_eq!(hpke::open(s, &key, &enc, b"info", b"", &ct).unwrap(), msg);
            // Auth mode.
            let (st, enc, ct) = seal(suite, &pk, Some(&ssk), msg);
            assert_eq!(st, TSUBAKI_STATUS_OK);
            let (st, pt, _) = open(suite, &sk, Some(&spk), &enc, &ct, msg.len());
            assert_eq!((st, &pt[..]), (TSUBAKI_STATUS_OK, &msg[..]));
            let (st, pt, n) = open(suite, &sk, Some(&pk), &enc, &ct, msg.len());
            assert_eq!((st, n), (TSUBAKI_STATUS_AUTHENTICATION_FAILED, 0));
            assert!(pt.iter().all(|&b| b == 0xee), "nothing written on failure");
        }
    }

    #[test]
    fn bad_inputs_give_status_codes() {
        let (sk, pk) = keygen(S1);
        let msg = [7u8; 40];
        let (_, enc, ct) = seal(S1, &pk, None, &msg);
        let mut bad = ct.clone();
        bad[3] ^= 1;
        assert_eq!(
            open(S1, &sk, None, &enc, &bad, 40).0,
            TSUBAKI_STATUS_AUTHENTICATION_FAILED
        );
        let mut off = pk.clone();
        off[64] ^= 1;
        assert_eq!(
            seal(S1, &off, None, &msg).0,
            TSUBAKI_STATUS_INVALID_PUBLIC_KEY
        );
        assert_eq!(
            seal(S1, &pk[..33], None, &msg).0,
            TSUBAKI_STATUS_INVALID_ENCODING
        );
        assert_eq!(seal(7, &pk, None, &msg).0, TSUBAKI_STATUS_UNSUPPORTED);
        assert_eq!(
            open(S1, &sk, None, &enc, &ct, 39).0,
            TSUBAKI_STATUS_BUFFER_TOO_SMALL
        );
        assert_eq!(
            open(S1, &sk, None, &enc, &ct[..15], 40).0,
            TSUBAKI_STATUS_INVALID_LENGTH
        );
        assert_eq!(
            open(S1, &[0u8; 32], None, &enc, &ct, 40).0,
            TSUBAKI_STATUS_INVALID_SECRET_KEY
        );
        assert_eq!(
            open(S1, &sk, None, &enc[..64], &ct, 40).0,
            TSUBAKI_STATUS_INVALID_ENCODING
        );
        let mut w = 0usize;
        // SAFETY: NULL pointers are what is tested; the rest are valid.
        let st = unsafe {
            tsubaki_hpke_open(
                S1,
                ptr::null(),
                0,
                ptr::null(),
                0,
                enc.as_ptr(),
                enc.len(),
                ptr::null(),
                0,
                ptr::null(),
                0,
                ct.as_ptr(),
                ct.len(),
                ptr::null_mut(),
                0,
                &mut w,
            )
        };
        assert_eq!(st, TSUBAKI_STATUS_NULL_POINTER);
        // SAFETY: NULL pointers are what is tested.
        let st = unsafe { tsubaki_hpke_keygen(S1, ptr::null_mut(), 32, ptr::null_mut(), 65) };
        assert_eq!(st, TSUBAKI_STATUS_NULL_POINTER);
        let mut small = [0u8; 10];
        // SAFETY: buffers valid for their stated lengths.
        let st = unsafe { tsubaki_hpke_keygen(S1, small.as_mut_ptr(), 10, small.as_mut_ptr(), 10) };
        assert_eq!(st, TSUBAKI_STATUS_BUFFER_TOO_SMALL);
    }

    #[test]
    fn derive_keypair_matches_the_library() {
        let (mut sk, mut pk) = ([0u8; 48], [0u8; 97]);
        // SAFETY: buffers valid for their lengths.
        let st = unsafe {
            tsubaki_hpke_derive_keypair(
                TSUBAKI_HPKE_P384_SHA384_CAMELLIA256_GCM,
                b"ikm".as_ptr(),
                3,
                sk.as_mut_ptr(),
                48,
                pk.as_mut_ptr(),
                97,
            )
        };
        assert_eq!(st, TSUBAKI_STATUS_OK);
        let k = Keypair::derive(Suite::P384_SHA384_CAMELLIA256_GCM, b"ikm").unwrap();
        assert_eq!(&sk[..], &k.private_key_bytes()[..]);
        assert_eq!(&pk[..], &k.public_key_bytes()[..]);
    }

    #[test]
    fn ecdh_agrees_both_ways_and_checks_keys() {
        for (curve, n) in [(256u32, 32usize), (384, 48)] {
            let (mut a, mut apk) = (vec![0u8; n], vec![0u8; 2 * n + 1]);
            let (mut b, mut bpk) = (vec![0u8; n], vec![0u8; 2 * n + 1]);
            // SAFETY: buffers valid for their lengths.
            unsafe {
                assert_eq!(
                    tsubaki_ecdh_keygen(curve, a.as_mut_ptr(), n, apk.as_mut_ptr(), 2 * n + 1),
                    TSUBAKI_STATUS_OK
                );
                assert_eq!(
                    tsubaki_ecdh_keygen(curve, b.as_mut_ptr(), n, bpk.as_mut_ptr(), 2 * n + 1),
                    TSUBAKI_STATUS_OK
                );
            }
            let (mut z1, mut z2) = (vec![0u8; n], vec![0u8; n]);
            // SAFETY: buffers valid for their lengths.
            unsafe {
                assert_eq!(
                    tsubaki_ecdh_shared_secret(
                        curve,
                        a.as_ptr(),
                        n,
                        bpk.as_ptr(),
                        bpk.len(),
                        z1.as_mut_ptr(),
                        n
                    ),
                    TSUBAKI_STATUS_OK
                );
                assert_eq!(
                    tsubaki_ecdh_shared_secret(
                        curve,
                        b.as_ptr(),
                        n,
                        apk.as_ptr(),
                        apk.len(),
                        z2.as_mut_ptr(),
                        n
                    ),
                    TSUBAKI_STATUS_OK
                );
            }
            assert_eq!(z1, z2);
            assert_ne!(z1, vec![0u8; n]);
            // The compressed public key works as the peer too.
            let mut cpk = vec![0u8; n + 1];
            let mut w = 0usize;
            // SAFETY: buffers valid for their lengths.
            unsafe {
                assert_eq!(
                    tsubaki_ecdh_public_key(
                        curve,
                        b.as_ptr(),
                        n,
                        1,
                        cpk.as_mut_ptr(),
                        n + 1,
                        &mut w
                    ),
                    TSUBAKI_STATUS_OK
                );
                assert_eq!(w, n + 1);
                assert_eq!(
                    tsubaki_ecdh_shared_secret(
                        curve,
                        a.as_ptr(),
                        n,
                        cpk.as_ptr(),
                        n + 1,
                        z2.as_mut_ptr(),
                        n
                    ),
                    TSUBAKI_STATUS_OK
                );
            }
            assert_eq!(z1, z2);
            // Off-curve peer, identity, short output, unknown curve.
            let mut off = bpk.clone();
            off[2 * n] ^= 1;
            // SAFETY: buffers valid for their lengths.
            unsafe {
                assert_eq!(
                    tsubaki_ecdh_shared_secret(
                        curve,
                        a.as_ptr(),
                        n,
                        off.as_ptr(),
                        off.len(),
                        z2.as_mut_ptr(),
                        n
                    ),
                    TSUBAKI_STATUS_INVALID_PUBLIC_KEY
                );
                assert_eq!(
                    tsubaki_ecdh_shared_secret(
                        curve,
                        a.as_ptr(),
                        n,
                        [0u8].as_ptr(),
                        1,
                        z2.as_mut_ptr(),
                        n
                    ),
                    TSUBAKI_STATUS_INVALID_PUBLIC_KEY
                );
                assert_eq!(
                    tsubaki_ecdh_shared_secret(
                        curve,
                        a.as_ptr(),
                        n,
                        bpk.as_ptr(),
                        bpk.len(),
                        z2.as_mut_ptr(),
                        n - 1
                    ),
                    TSUBAKI_STATUS_BUFFER_TOO_SMALL
                );
                assert_eq!(
                    tsubaki_ecdh_shared_secret(
                        521,
                        a.as_ptr(),
                        n,
                        bpk.as_ptr(),
                        bpk.len(),
                        z2.as_mut_ptr(),
                        n
                    ),
                    TSUBAKI_STATUS_UNSUPPORTED
                );
            }
        }
    }
}
