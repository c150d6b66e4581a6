//! Threshold Paillier for C (`tsubaki_threshold_*`): a key dealt to n parties of which any
//! t decrypt (`tsubaki::paillier::threshold`): key generation from fresh safe primes (with a
//! progress callback) or from given ones, the binary forms of the threshold public key, the
//! key shares and the decryption shares (`to_bytes`/`from_bytes`, the same bytes the Rust
//! library writes), decryption shares with their proof of correctness, their verification,
//! and the combination of t shares into the plaintext.
//!
//! Conventions: those of every `tsubaki_*` function ([`crate::abi`]). Ciphertexts are the
//! binary ciphertext form of the Paillier functions, under the threshold key's Paillier
//! public key ([`tsubaki_threshold_pubkey_paillier`] gives it to
//! `tsubaki_paillier_encrypt_i64` and `tsubaki_paillier_add`). Decryption shares travel as
//! byte buffers in their binary form; several are two arrays and a count.

use core::ffi::c_void;

use tsubaki_core::paillier::threshold::{self, DecryptionShare, KeyShare, ThresholdPublicKey};
use tsubaki_core::paillier::{Ciphertext, format};

use crate::abi::{
    Res, call, export_bytes, free, get, handle, handle_from, handle_out, import_into, input,
    non_null, put,
};
use crate::error::TsubakiStatus;
use crate::paillier::{TsubakiPaillierPubkey, TsubakiProgressFn, reporter};

/// A threshold Paillier public key (C: `tsubaki_threshold_pubkey`). Opaque.
#[repr(C)]
pub struct TsubakiThresholdPubkey {
    tag: u64,
    inner: ThresholdPublicKey,
}
handle!(
    TsubakiThresholdPubkey(ThresholdPublicKey),
    0x7473_6b5f_7468_7031
);

/// One party's key share (C: `tsubaki_threshold_keyshare`). Opaque; wiped when freed.
#[repr(C)]
pub struct TsubakiThresholdKeyshare {
    tag: u64,
    inner: KeyShare,
}
handle!(TsubakiThresholdKeyshare(KeyShare), 0x7473_6b5f_7468_7331);

/// Hands the dealt key out: `*pub_out` and `shares[0..n]` (`count` must be n).
///
/// # Safety
/// `shares` writable for `count` pointers; `pub_out` checked by `handle_out`.
unsafe fn put_dealt(
    dealt: (ThresholdPublicKey, Vec<KeyShare>),
    pub_out: *mut *mut TsubakiThresholdPubkey,
    shares: *mut *mut TsubakiThresholdKeyshare,
) -> Res {
    let (tpk, ks) = dealt;
    for (i, k) in ks.into_iter().enumerate() {
        // SAFETY: `count` = n entries (checked by the caller against the dealt n).
        unsafe { put(shares.add(i), k)? };
    }
    // SAFETY: the contract above.
    unsafe { put(pub_out, tpk) }
}

/// Sets every share output to NULL (what the caller holds on failure).
///
/// # Safety
/// `shares` NULL or writable for `count` pointers.
unsafe fn clear_shares(
    shares: *mut *mut TsubakiThresholdKeyshare,
    count: usize,
) -> Result<(), TsubakiStatus> {
    let shares = non_null(shares)?.cast_mut();
    if count == 0 || count > 255 {
        return Err(TsubakiStatus::InvalidArgument);
    }
    for i in 0..count {
        // SAFETY: the contract above.
        unsafe { shares.add(i).write(core::ptr::null_mut()) };
    }
    Ok(())
}

/// Deals a threshold key from the safe primes p and q (big-endian, equal length; checked as
/// `tsubaki::paillier::threshold::deal` does: `TSUBAKI_STATUS_INVALID_SECRET_KEY` if either
/// is not a safe prime) to `n` parties, any `t` of which decrypt (2 ≤ t ≤ n ≤ 255, else
/// `TSUBAKI_STATUS_INVALID_ARGUMENT`). The public key goes to `*pub_out`, party i's share
/// (index i + 1) to `shares[i]`; `shares` has room for `n` handles. On failure every
/// output is NULL.
///
/// # Safety
/// `p`, `q` readable for their lengths; `pub_out` valid for one pointer; `shares` writable
/// for `n` pointers.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tsubaki_threshold_deal(
    p: *const u8,
    p_len: usize,
    q: *const u8,
    q_len: usize,
    t: u32,
    n: u32,
    pub_out: *mut *mut TsubakiThresholdPubkey,
    shares: *mut *mut TsubakiThresholdKeyshare,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(pub_out)?;
            clear_shares(shares, n as usize)?;
            let (p, q) = (input(non_null(p)?, p_len)?, input(non_null(q)?, q_len)?);
            let dealt = threshold::deal(&mut tsubaki_core::OsRng, p, q, t as usize, n as usize)?;
            put_dealt(dealt, pub_out, shares)
        })
    }
}

/// Generates a threshold key with an N of `bits` bits (2048, 3072 or 4096) from two fresh
/// safe primes and deals it as [`tsubaki_threshold_deal`] does. Slow (seconds to minutes:
/// safe primes); `progress` (may be NULL) is called with `ctx` for every candidate and
/// every prime found, as in `tsubaki_paillier_keygen`.
///
/// # Safety
/// `pub_out` valid for one pointer; `shares` writable for `n` pointers; `progress`, if
/// given, safe to call with `ctx`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_generate(
    bits: u32,
    t: u32,
    n: u32,
    progress: TsubakiProgressFn,
    ctx: *mut c_void,
    pub_out: *mut *mut TsubakiThresholdPubkey,
    shares: *mut *mut TsubakiThresholdKeyshare,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(pub_out)?;
            clear_shares(shares, n as usize)?;
            let mut report = reporter(progress, ctx);
            let dealt = threshold::generate(
                &mut tsubaki_core::OsRng,
                bits as usize,
                t as usize,
                n as usize,
                &mut report,
            )
            .map_err(|e| match e {
                tsubaki_core::Error::InvalidModulus => TsubakiStatus::InvalidArgument,
                e => e.into(),
            })?;
            put_dealt(dealt, pub_out, shares)
        })
    }
}

/// Reads a threshold public key in its binary form.
///
/// # Safety
/// `in` readable for `in_len` bytes; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_pubkey_import(
    in_: *const u8,
    in_len: usize,
    out: *mut *mut TsubakiThresholdPubkey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { import_into(in_, in_len, out, ThresholdPublicKey::from_bytes) }
}

/// Writes `key` in its binary form.
///
/// # Safety
/// `key` a live threshold public-key handle; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_pubkey_export(
    key: *const TsubakiThresholdPubkey,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { export_bytes(key, out, out_len, |k| Ok(k.to_bytes())) }
}

/// The threshold t and the number of parties n of `key` (either pointer may be NULL).
///
/// # Safety
/// `key` a live threshold public-key handle; `t`, `n` NULL or valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_pubkey_params(
    key: *const TsubakiThresholdPubkey,
    t: *mut u32,
    n: *mut u32,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let k = get(key)?;
            if !t.is_null() {
                *t = k.threshold() as u32;
            }
            if !n.is_null() {
                *n = k.parties() as u32;
            }
            Ok(())
        })
    }
}

/// The Paillier public key under which to encrypt for `key` into `*out` (a
/// `tsubaki_paillier_pubkey`, freed with `tsubaki_paillier_pubkey_free`).
///
/// # Safety
/// `key` a live threshold public-key handle; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_pubkey_paillier(
    key: *const TsubakiThresholdPubkey,
    out: *mut *mut TsubakiPaillierPubkey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { handle_from(key, out, |k| k.public_key().clone()) }
}

/// Frees a threshold public key. NULL or another type's handle is left alone.
///
/// # Safety
/// `key` NULL or a threshold public-key handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_pubkey_free(key: *mut TsubakiThresholdPubkey) {
    // SAFETY: the caller's contract.
    unsafe { free(key) }
}

/// Reads a key share in its binary form, checking it against the public key it carries
/// (a share of another key, or corrupted: `TSUBAKI_STATUS_REJECTED`).
///
/// # Safety
/// `in` readable for `in_len` bytes; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_keyshare_import(
    in_: *const u8,
    in_len: usize,
    out: *mut *mut TsubakiThresholdKeyshare,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { import_into(in_, in_len, out, KeyShare::from_bytes) }
}

/// Writes `share` in its binary form (secret: wipe it when done).
///
/// # Safety
/// `share` a live key-share handle; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_keyshare_export(
    share: *const TsubakiThresholdKeyshare,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { export_bytes(share, out, out_len, |s| Ok(s.to_bytes())) }
}

/// The index (1..=n) of `share` into `*index`.
///
/// # Safety
/// `share` a live key-share handle; `index` valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_keyshare_index(
    share: *const TsubakiThresholdKeyshare,
    index: *mut u32,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let s = get(share)?;
            *non_null(index)?.cast_mut() = u32::from(s.index());
            Ok(())
        })
    }
}

/// The threshold public key of `share` into `*out`.
///
/// # Safety
/// `share` a live key-share handle; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_keyshare_public(
    share: *const TsubakiThresholdKeyshare,
    out: *mut *mut TsubakiThresholdPubkey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { handle_from(share, out, |s| s.public_key().clone()) }
}

/// Frees a key share (wiped). NULL or another type's handle is left alone.
///
/// # Safety
/// `share` NULL or a key-share handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_keyshare_free(share: *mut TsubakiThresholdKeyshare) {
    // SAFETY: the caller's contract.
    unsafe { free(share) }
}

/// Party `share`'s decryption share of ciphertext `c`, with its proof of correctness, in
/// the binary form into `out` (its size is fixed by the key; a size query computes the
/// share and discards it). A ciphertext of another key is `TSUBAKI_STATUS_UNSUPPORTED`.
///
/// # Safety
/// `share` a live key-share handle; `c` readable for `c_len` bytes; `out`/`out_len` as in
/// the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_decrypt_share(
    share: *const TsubakiThresholdKeyshare,
    c: *const u8,
    c_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let s = get(share)?;
            let c = ciphertext(s.public_key(), c, c_len)?;
            o.reserve_write(&s.decrypt_share(&mut tsubaki_core::OsRng, &c)?.to_bytes())
        })
    }
}

/// Checks a decryption share of `c` (binary form) against `key`: `TSUBAKI_STATUS_OK` if its
/// proof verifies against the stored verification key of its index,
/// `TSUBAKI_STATUS_REJECTED` if not, `TSUBAKI_STATUS_INVALID_ENCODING` if malformed.
///
/// # Safety
/// `key` a live threshold public-key handle; `c`, `share` readable for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_verify_share(
    key: *const TsubakiThresholdPubkey,
    c: *const u8,
    c_len: usize,
    share: *const u8,
    share_len: usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let k = get(key)?;
            let c = ciphertext(k, c, c_len)?;
            let s = DecryptionShare::from_bytes(input(non_null(share)?, share_len)?)?;
            Ok(k.verify_share(&c, &s)?)
        })
    }
}

/// The ciphertext `c` under `tpk`'s Paillier key.
///
/// # Safety
/// `c` readable for `c_len` bytes.
unsafe fn ciphertext(
    tpk: &ThresholdPublicKey,
    c: *const u8,
    c_len: usize,
) -> Result<Ciphertext, TsubakiStatus> {
    // SAFETY: the caller's contract.
    let bytes = unsafe { input(non_null(c)?, c_len)? };
    Ok(format::ciphertext_from_bytes(tpk.public_key(), bytes)?)
}

/// `count` decryption shares from two arrays (binary forms).
///
/// # Safety
/// `shares`/`share_lens` readable for `count` entries, each share for its length.
pub(crate) unsafe fn decryption_shares(
    shares: *const *const u8,
    share_lens: *const usize,
    count: usize,
) -> Result<Vec<DecryptionShare>, TsubakiStatus> {
    if count > 255 {
        return Err(TsubakiStatus::InvalidLength);
    }
    if count == 0 {
        return Ok(Vec::new());
    }
    let (shares, lens) = (non_null(shares)?, non_null(share_lens)?);
    (0..count)
        .map(|i| {
            // SAFETY: the contract above.
            let b = unsafe { input(non_null(*shares.add(i))?, *lens.add(i))? };
            Ok(DecryptionShare::from_bytes(b)?)
        })
        .collect()
}

/// Combines decryption shares of `c` (any t that verify are used; each is verified) into
/// the plaintext, big-endian, exactly the key's n_len bytes, into `out`. Errors:
/// `TSUBAKI_STATUS_REJECTED` with fewer than t shares, or fewer than t that verify.
///
/// # Safety
/// `key` a live threshold public-key handle; `c` readable for `c_len`; `shares`/
/// `share_lens` readable for `count` entries; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_combine(
    key: *const TsubakiThresholdPubkey,
    c: *const u8,
    c_len: usize,
    shares: *const *const u8,
    share_lens: *const usize,
    count: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let k = get(key)?;
            if !o.reserve([k.public_key().n_len()])? {
                return Ok(());
            }
            let c = ciphertext(k, c, c_len)?;
            let s = decryption_shares(shares, share_lens, count)?;
            let m = k.combine(&c, &s)?;
            o.write(0, &m)
        })
    }
}

/// [`tsubaki_threshold_combine`] decoded as a signed 64-bit integer into `*m` (as
/// `tsubaki_paillier_decrypt_i64`: a plaintext outside the i64 range is
/// `TSUBAKI_STATUS_INVALID_ARGUMENT`).
///
/// # Safety
/// As [`tsubaki_threshold_combine`]; `m` valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_threshold_combine_i64(
    key: *const TsubakiThresholdPubkey,
    c: *const u8,
    c_len: usize,
    shares: *const *const u8,
    share_lens: *const usize,
    count: usize,
    m: *mut i64,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let k = get(key)?;
            let m = non_null(m)?.cast_mut();
            *m = 0;
            let c = ciphertext(k, c, c_len)?;
            let s = decryption_shares(shares, share_lens, count)?;
            *m = k.combine_i64(&c, &s)?;
            Ok(())
        })
    }
}
