//! HPKE (RFC 9180) and ECDH (SEC 1 §3.3.1) for C: `tsubaki_hpke_*` and `tsubaki_ecdh_*`.
//!
//! Everything is byte buffers: keys are serialized (private key = big-endian scalar of 32 or
//! 48 bytes; public key = uncompressed SEC 1, 65 or 97 bytes), the suite is a
//! [`TsubakiHpkeSuite`] value. Inputs, outputs, size queries and failures follow the
//! convention of every `tsubaki_*` function ([`crate::abi`]); outputs must not overlap
//! inputs. Opened plaintext is never released unless the tag verified.
//!
//! Randomness comes from the operating system (`tsubaki::OsRng`).

use core::ffi::c_int;

use tsubaki_core::ec::{p256, p384};
use tsubaki_core::hpke::{self, Keypair, Suite};
use zeroize::Zeroizing;

use crate::abi::{Outs, Res, call, input, non_null, opt_input};
use crate::boundary;
use crate::error::TsubakiStatus;

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

fn suite_of(s: TsubakiHpkeSuite) -> Result<Suite, TsubakiStatus> {
    match s {
        TSUBAKI_HPKE_P256_SHA256_CAMELLIA128_GCM => Ok(Suite::P256_SHA256_CAMELLIA128_GCM),
        TSUBAKI_HPKE_P384_SHA384_CAMELLIA256_GCM => Ok(Suite::P384_SHA384_CAMELLIA256_GCM),
        _ => Err(TsubakiStatus::Unsupported),
    }
}

// --- sizes ---------------------------------------------------------------------------------

/// The sizes for `suite`: private key, public key (= encapsulated key), and the tag the
/// ciphertext adds to the plaintext. Any pointer may be NULL (that size is not written).
/// (Every function also answers a size query; this one needs no inputs.)
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
    boundary(TsubakiStatus::Panic, || {
        let s = match suite_of(suite) {
            Ok(s) => s,
            Err(e) => return e,
        };
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
        TsubakiStatus::Ok
    })
}

// --- keys ----------------------------------------------------------------------------------

/// The key pair outputs of `suite` (private key, public key): the size step, then the pair
/// `make()` gives (not called for a size query or a too-small buffer).
fn keypair_out(
    o: &mut Outs<2>,
    s: Suite,
    make: impl FnOnce() -> Result<Keypair, TsubakiStatus>,
) -> Res {
    if !o.reserve([s.kem().private_key_len(), s.kem().public_key_len()])? {
        return Ok(());
    }
    let k = make()?;
    o.write(0, &k.private_key_bytes())?;
    o.write(1, &k.public_key_bytes())
}

/// A fresh key pair for `suite` (GenerateKeyPair, OS randomness): the private key (Nsk
/// bytes into `sk`) and the public key (Npk bytes into `pk`).
///
/// # Safety
/// `sk`/`sk_len` and `pk`/`pk_len` as in the output convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_hpke_keygen(
    suite: TsubakiHpkeSuite,
    sk: *mut u8,
    sk_len: *mut usize,
    pk: *mut u8,
    pk_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(sk, sk_len), (pk, pk_len)], |o| {
            let s = suite_of(suite)?;
            keypair_out(o, s, || Ok(Keypair::generate(s, &mut tsubaki_core::OsRng)))
        })
    }
}

/// DeriveKeyPair(ikm) (RFC 9180 §7.1.3): the same `ikm` always gives the same key pair.
///
/// # Safety
/// `ikm` readable for `ikm_len` bytes; the outputs as in [`tsubaki_hpke_keygen`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_hpke_derive_keypair(
    suite: TsubakiHpkeSuite,
    ikm: *const u8,
    ikm_len: usize,
    sk: *mut u8,
    sk_len: *mut usize,
    pk: *mut u8,
    pk_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(sk, sk_len), (pk, pk_len)], |o| {
            let s = suite_of(suite)?;
            let ikm = input(ikm, ikm_len)?;
            keypair_out(o, s, || Ok(Keypair::derive(s, ikm)?))
        })
    }
}

// --- seal / open ---------------------------------------------------------------------------

/// Single-shot HPKE seal in base mode to the recipient's public key `pk_r`: writes the
/// encapsulated key (Npk bytes into `enc`) and the ciphertext (`pt_len` + 16 bytes into
/// `ct`). `info` and `aad` may be NULL when their length is 0. `sender_sk` (NULL for
/// base mode) selects auth mode: the sender's private key, `sender_sk_len` = Nsk.
///
/// # Safety
/// Every non-NULL pointer valid for its length; the outputs as in the convention and not
/// overlapping the inputs.
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
    enc_len: *mut usize,
    ct: *mut u8,
    ct_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(enc, enc_len), (ct, ct_len)], |o| {
            let s = suite_of(suite)?;
            let pk_r = input(non_null(pk_r)?, pk_r_len)?;
            let (info, aad, pt) = (
                input(info, info_len)?,
                input(aad, aad_len)?,
                input(pt, pt_len)?,
            );
            let sender = match opt_input(sender_sk, sender_sk_len)? {
                None => None,
                Some(b) => Some(Keypair::from_private_key_bytes(s, b)?),
            };
            let need_ct = pt
                .len()
                .checked_add(TAG_LEN)
                .ok_or(TsubakiStatus::InvalidLength)?;
            if !o.reserve([s.kem().public_key_len(), need_ct])? {
                return Ok(());
            }
            let mut rng = tsubaki_core::OsRng;
            let (e, c) = match &sender {
                None => hpke::seal(s, &mut rng, pk_r, info, aad, pt),
                Some(k) => hpke::seal_auth(s, &mut rng, pk_r, k, info, aad, pt),
            }?;
            o.write(0, &e)?;
            o.write(1, &c)
        })
    }
}

/// Single-shot HPKE open with the recipient's private key `sk_r` (Nsk bytes): writes the
/// plaintext (`ct_len` − 16 bytes) to `pt`. `sender_pk` (NULL for base mode) selects
/// auth mode: the sender's public key.
///
/// # Safety
/// Every non-NULL pointer valid for its length; `pt`/`pt_len` as in the convention, not
/// overlapping the inputs.
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
    pt_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(pt, pt_len)], |o| {
            let s = suite_of(suite)?;
            let sk_r = input(non_null(sk_r)?, sk_r_len)?;
            let enc = input(non_null(enc)?, enc_len)?;
            let ct = input(non_null(ct)?, ct_len)?;
            let (info, aad) = (input(info, info_len)?, input(aad, aad_len)?);
            let sender_pk = opt_input(sender_pk, sender_pk_len)?;
            let need = ct
                .len()
                .checked_sub(TAG_LEN)
                .ok_or(TsubakiStatus::InvalidLength)?;
            if !o.reserve([need])? {
                return Ok(());
            }
            let key = Keypair::from_private_key_bytes(s, sk_r)?;
            let opened = Zeroizing::new(match sender_pk {
                None => hpke::open(s, &key, enc, info, aad, ct),
                Some(pk) => hpke::open_auth(s, &key, pk, enc, info, aad, ct),
            }?);
            o.write(0, &opened)
        })
    }
}

// --- ECDH ----------------------------------------------------------------------------------

fn curve_len(curve: TsubakiCurve) -> Result<usize, TsubakiStatus> {
    match curve {
        256 => Ok(32),
        384 => Ok(48),
        _ => Err(TsubakiStatus::Unsupported),
    }
}

/// A fresh ECDH key on `curve` (256 or 384): the private scalar (32 / 48 bytes into
/// `sk`) and the uncompressed public key (65 / 97 bytes into `pk`).
///
/// # Safety
/// The outputs as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdh_keygen(
    curve: TsubakiCurve,
    sk: *mut u8,
    sk_len: *mut usize,
    pk: *mut u8,
    pk_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(sk, sk_len), (pk, pk_len)], |o| {
            let n = curve_len(curve)?;
            if !o.reserve([n, 2 * n + 1])? {
                return Ok(());
            }
            let mut rng = tsubaki_core::OsRng;
            if n == 32 {
                let k = p256::ecdh::SecretKey::random(&mut rng);
                o.write(0, k.to_bytes().as_ref())?;
                o.write(1, &k.public_key_sec1(false))
            } else {
                let k = p384::ecdh::SecretKey::random(&mut rng);
                o.write(0, k.to_bytes().as_ref())?;
                o.write(1, &k.public_key_sec1(false))
            }
        })
    }
}

/// The public key of the private scalar `sk` (32 / 48 bytes, in 1..n−1): uncompressed
/// (`compressed` = 0, 65 / 97 bytes) or compressed (33 / 49 bytes) into `pk`.
///
/// # Safety
/// `sk` readable for `sk_len` bytes; `pk`/`pk_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdh_public_key(
    curve: TsubakiCurve,
    sk: *const u8,
    sk_len: usize,
    compressed: c_int,
    pk: *mut u8,
    pk_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(pk, pk_len)], |o| {
            let n = curve_len(curve)?;
            let sk = input(non_null(sk)?, sk_len)?;
            let compressed = compressed != 0;
            if !o.reserve([if compressed { n + 1 } else { 2 * n + 1 }])? {
                return Ok(());
            }
            let public = if n == 32 {
                p256::ecdh::SecretKey::from_slice(sk)?.public_key_sec1(compressed)
            } else {
                p384::ecdh::SecretKey::from_slice(sk)?.public_key_sec1(compressed)
            };
            o.write(0, &public)
        })
    }
}

/// The ECDH shared secret x(sk·peer) (32 / 48 bytes into `out`) of the private scalar
/// `sk` and the peer's SEC 1 public key (compressed or not), which is validated first.
/// Feed it to a KDF; never use it as a key directly.
///
/// # Safety
/// `sk`, `peer` readable for their lengths; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_ecdh_shared_secret(
    curve: TsubakiCurve,
    sk: *const u8,
    sk_len: usize,
    peer: *const u8,
    peer_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let n = curve_len(curve)?;
            let sk = input(non_null(sk)?, sk_len)?;
            let peer = input(non_null(peer)?, peer_len)?;
            if !o.reserve([n])? {
                return Ok(());
            }
            if n == 32 {
                let z = p256::ecdh::SecretKey::from_slice(sk)?.diffie_hellman(peer)?;
                o.write(0, z.as_bytes())
            } else {
                let z = p384::ecdh::SecretKey::from_slice(sk)?.diffie_hellman(peer)?;
                o.write(0, z.as_bytes())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TsubakiStatus as St;
    use core::ptr;

    const S1: TsubakiHpkeSuite = TSUBAKI_HPKE_P256_SHA256_CAMELLIA128_GCM;
    const S2: TsubakiHpkeSuite = TSUBAKI_HPKE_P384_SHA384_CAMELLIA256_GCM;

    fn keygen(suite: TsubakiHpkeSuite) -> (Vec<u8>, Vec<u8>) {
        let (mut nsk, mut npk) = (0usize, 0usize);
        // SAFETY: a size query (NULL buffers, valid lengths).
        let st = unsafe {
            tsubaki_hpke_keygen(suite, ptr::null_mut(), &mut nsk, ptr::null_mut(), &mut npk)
        };
        assert_eq!(st, St::Ok);
        let (mut sk, mut pk) = (vec![0u8; nsk], vec![0u8; npk]);
        // SAFETY: buffers of the stated lengths.
        let st = unsafe {
            tsubaki_hpke_keygen(suite, sk.as_mut_ptr(), &mut nsk, pk.as_mut_ptr(), &mut npk)
        };
        assert_eq!((st, nsk, npk), (St::Ok, sk.len(), pk.len()));
        (sk, pk)
    }

    /// Seals `pt` (auth mode when `sender` is given); returns (status, enc, ct).
    fn seal(
        suite: TsubakiHpkeSuite,
        pk: &[u8],
        sender: Option<&[u8]>,
        pt: &[u8],
    ) -> (St, Vec<u8>, Vec<u8>) {
        let (mut enc, mut ct) = (vec![0u8; 97], vec![0u8; pt.len() + 16]);
        let (mut el, mut cl) = (enc.len(), ct.len());
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
                &mut el,
                ct.as_mut_ptr(),
                &mut cl,
            )
        };
        enc.truncate(el);
        ct.truncate(cl);
        (st, enc, ct)
    }

    fn open(
        suite: TsubakiHpkeSuite,
        sk: &[u8],
        sender: Option<&[u8]>,
        enc: &[u8],
        ct: &[u8],
        pt_cap: usize,
    ) -> (St, Vec<u8>, usize) {
        let mut pt = vec![0xeeu8; pt_cap];
        let mut n = pt_cap;
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
                &mut n,
            )
        };
        (st, pt, n)
    }

    #[test]
    fn seal_open_round_trip_base_and_auth_both_suites() {
        for suite in [S1, S2] {
            let (sk, pk) = keygen(suite);
            let (ssk, spk) = keygen(suite);
            let msg = b"incident report 2026-12-06";
            let (st, enc, ct) = seal(suite, &pk, None, msg);
            assert_eq!(
                (st, enc.len(), ct.len()),
                (St::Ok, pk.len(), msg.len() + 16)
            );
            let (st, pt, n) = open(suite, &sk, None, &enc, &ct, msg.len());
            assert_eq!((st, n), (St::Ok, msg.len()));
            assert_eq!(&pt, msg);
            // The core library opens what C sealed.
            let s = suite_of(suite).unwrap();
            let key = Keypair::from_private_key_bytes(s, &sk).unwrap();
            assert_eq!(hpke::open(s, &key, &enc, b"info", b"", &ct).unwrap(), msg);
            // Auth mode.
            let (st, enc, ct) = seal(suite, &pk, Some(&ssk), msg);
            assert_eq!(st, St::Ok);
            let (st, pt, _) = open(suite, &sk, Some(&spk), &enc, &ct, msg.len());
            assert_eq!((st, &pt[..]), (St::Ok, &msg[..]));
            let (st, pt, n) = open(suite, &sk, Some(&pk), &enc, &ct, msg.len());
            assert_eq!((st, n), (St::AuthenticationFailed, 0));
            assert!(pt.iter().all(|&b| b == 0), "output wiped on failure");
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
            St::AuthenticationFailed
        );
        let mut off = pk.clone();
        off[64] ^= 1;
        assert_eq!(seal(S1, &off, None, &msg).0, St::InvalidPublicKey);
        assert_eq!(seal(S1, &pk[..33], None, &msg).0, St::InvalidEncoding);
        assert_eq!(seal(7, &pk, None, &msg).0, St::Unsupported);
        let (st, pt, n) = open(S1, &sk, None, &enc, &ct, 39);
        assert_eq!(
            (st, n),
            (St::BufferTooSmall, 40),
            "too small: the size is told"
        );
        assert!(pt.iter().all(|&b| b == 0xee), "nothing written");
        assert_eq!(
            open(S1, &sk, None, &enc, &ct[..15], 40).0,
            St::InvalidLength
        );
        assert_eq!(
            open(S1, &[0u8; 32], None, &enc, &ct, 40).0,
            St::InvalidSecretKey
        );
        assert_eq!(
            open(S1, &sk, None, &enc[..64], &ct, 40).0,
            St::InvalidEncoding
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
                &mut w,
            )
        };
        assert_eq!(st, St::NullPointer);
        // SAFETY: NULL length pointers are what is tested.
        let st = unsafe {
            tsubaki_hpke_keygen(
                S1,
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
                &mut w,
            )
        };
        assert_eq!(st, St::NullPointer);
        let mut small = [0u8; 10];
        let (mut a, mut b) = (10usize, 10usize);
        // SAFETY: `small` is valid for 10 bytes; only one output is given it.
        let st =
            unsafe { tsubaki_hpke_keygen(S1, small.as_mut_ptr(), &mut a, ptr::null_mut(), &mut b) };
        assert_eq!(
            (st, a, b),
            (St::Ok, 32, 65),
            "a NULL output makes a size query"
        );
        let (mut a, mut b) = (32usize, 10usize);
        let mut sk_buf = [0u8; 32];
        // SAFETY: buffers valid for their stated lengths.
        let st = unsafe {
            tsubaki_hpke_keygen(S1, sk_buf.as_mut_ptr(), &mut a, small.as_mut_ptr(), &mut b)
        };
        assert_eq!((st, a, b), (St::BufferTooSmall, 32, 65));
        assert_eq!(sk_buf, [0; 32], "nothing written");
    }

    #[test]
    fn derive_keypair_matches_the_library() {
        let (mut sk, mut pk) = ([0u8; 48], [0u8; 97]);
        let (mut a, mut b) = (48usize, 97usize);
        // SAFETY: buffers valid for their lengths.
        let st = unsafe {
            tsubaki_hpke_derive_keypair(
                S2,
                b"ikm".as_ptr(),
                3,
                sk.as_mut_ptr(),
                &mut a,
                pk.as_mut_ptr(),
                &mut b,
            )
        };
        assert_eq!((st, a, b), (St::Ok, 48, 97));
        let k = Keypair::derive(Suite::P384_SHA384_CAMELLIA256_GCM, b"ikm").unwrap();
        assert_eq!(&sk[..], &k.private_key_bytes()[..]);
        assert_eq!(&pk[..], &k.public_key_bytes()[..]);
    }

    fn shared(curve: u32, sk: &[u8], peer: &[u8], cap: usize) -> (St, Vec<u8>) {
        let mut z = vec![0u8; cap];
        let mut n = cap;
        // SAFETY: buffers valid for their lengths.
        let st = unsafe {
            tsubaki_ecdh_shared_secret(
                curve,
                sk.as_ptr(),
                sk.len(),
                peer.as_ptr(),
                peer.len(),
                z.as_mut_ptr(),
                &mut n,
            )
        };
        z.truncate(n);
        (st, z)
    }

    #[test]
    fn ecdh_agrees_both_ways_and_checks_keys() {
        for (curve, n) in [(256u32, 32usize), (384, 48)] {
            let keygen = || {
                let (mut sk, mut pk) = (vec![0u8; n], vec![0u8; 2 * n + 1]);
                let (mut a, mut b) = (n, 2 * n + 1);
                // SAFETY: buffers valid for their lengths.
                let st = unsafe {
                    tsubaki_ecdh_keygen(curve, sk.as_mut_ptr(), &mut a, pk.as_mut_ptr(), &mut b)
                };
                assert_eq!((st, a, b), (St::Ok, n, 2 * n + 1));
                (sk, pk)
            };
            let ((a, apk), (b, bpk)) = (keygen(), keygen());
            let (st, z1) = shared(curve, &a, &bpk, n);
            assert_eq!(st, St::Ok);
            assert_eq!(shared(curve, &b, &apk, n), (St::Ok, z1.clone()));
            assert_ne!(z1, vec![0u8; n]);
            // The compressed public key works as the peer too.
            let mut cpk = vec![0u8; n + 1];
            let mut w = cpk.len();
            // SAFETY: buffers valid for their lengths.
            let st = unsafe {
                tsubaki_ecdh_public_key(curve, b.as_ptr(), n, 1, cpk.as_mut_ptr(), &mut w)
            };
            assert_eq!((st, w), (St::Ok, n + 1));
            assert_eq!(shared(curve, &a, &cpk, n), (St::Ok, z1.clone()));
            // Off-curve peer, identity, short output, unknown curve.
            let mut off = bpk.clone();
            off[2 * n] ^= 1;
            assert_eq!(shared(curve, &a, &off, n).0, St::InvalidPublicKey);
            assert_eq!(shared(curve, &a, &[0u8], n).0, St::InvalidPublicKey);
            let (st, z) = shared(curve, &a, &bpk, n - 1);
            assert_eq!((st, z.len()), (St::BufferTooSmall, n - 1));
            assert_eq!(shared(521, &a, &bpk, n).0, St::Unsupported);
        }
    }
}
