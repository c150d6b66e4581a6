//! Packed Paillier vectors for C (`tsubaki_paillier_packed_*`): many bounded counters in
//! one ciphertext (`tsubaki::paillier::encoding::PackedLayout`): a layout of `slots`
//! counters, each contribution at most `max_value` per slot, at most `contributors`
//! contributions summed, for one key; encryption of a `uint64_t` vector, homomorphic
//! addition, decryption with the secret key or with threshold decryption shares.
//!
//! A packed ciphertext is the binary Paillier ciphertext plus the number of contributions
//! it sums, passed next to it as a `uint64_t`. **That count is unauthenticated**
//! (see `PackedCiphertext` in the Rust documentation): take it from something verified,
//! such as the signed contributions a sum was built from. Conventions: those of every
//! `tsubaki_*` function ([`crate::abi`]).

use tsubaki_core::paillier::encoding::{PackedCiphertext, PackedLayout};
use tsubaki_core::paillier::{PublicKey, format};

use crate::abi::{call, free, get, handle, handle_out, input, non_null, put};
use crate::error::TsubakiStatus;
use crate::paillier::{TsubakiPaillierPubkey, TsubakiPaillierSeckey};
use crate::threshold::{TsubakiThresholdPubkey, decryption_shares};

/// A packed-vector layout (C: `tsubaki_paillier_packed_layout`). Opaque.
#[repr(C)]
pub struct TsubakiPaillierPackedLayout {
    tag: u64,
    inner: PackedLayout,
}
handle!(
    TsubakiPaillierPackedLayout(PackedLayout),
    0x7473_6b5f_706b_6c31
);

/// A layout of `slots` counters, each contribution's value at most `max_value`, for at most
/// `contributors` contributions, under `key`. A layout that does not fit the key, a zero
/// bound, or `max_value · contributors` beyond 64 bits is `TSUBAKI_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `key` a live Paillier public-key handle; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_packed_new(
    key: *const TsubakiPaillierPubkey,
    slots: usize,
    max_value: u64,
    contributors: u64,
    out: *mut *mut TsubakiPaillierPackedLayout,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            put(
                out,
                PackedLayout::new(get(key)?, slots, max_value, contributors)?,
            )
        })
    }
}

/// The number of slots of `layout` into `*slots`.
///
/// # Safety
/// `layout` a live layout handle; `slots` valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_packed_slots(
    layout: *const TsubakiPaillierPackedLayout,
    slots: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let l = get(layout)?;
            *non_null(slots)?.cast_mut() = l.slots();
            Ok(())
        })
    }
}

/// Frees a layout. NULL or another type's handle is left alone.
///
/// # Safety
/// `layout` NULL or a layout handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_packed_free(layout: *mut TsubakiPaillierPackedLayout) {
    // SAFETY: the caller's contract.
    unsafe { free(layout) }
}

/// The values of a packed vector: exactly `slots` entries.
///
/// # Safety
/// `values` readable for `count` entries.
unsafe fn values<'a>(
    l: &PackedLayout,
    values: *const u64,
    count: usize,
) -> Result<&'a [u64], TsubakiStatus> {
    if count != l.slots() {
        return Err(TsubakiStatus::InvalidLength);
    }
    // SAFETY: non-NULL (checked), readable for `count` ≥ 1 entries (the contract);
    // `count` = slots, far below isize::MAX / 8.
    Ok(unsafe { core::slice::from_raw_parts(non_null(values)?, count) })
}

/// A packed ciphertext from its bytes and stated count.
///
/// # Safety
/// `c` readable for `c_len` bytes.
unsafe fn packed(
    l: &PackedLayout,
    pk: &PublicKey,
    c: *const u8,
    c_len: usize,
    contributions: u64,
) -> Result<PackedCiphertext, TsubakiStatus> {
    // SAFETY: the caller's contract.
    let bytes = unsafe { input(non_null(c)?, c_len)? };
    let c = format::ciphertext_from_bytes(pk, bytes)?;
    Ok(PackedCiphertext::from_parts(*l, pk, c, contributions)?)
}

/// The `uint64_t` output of a decryption: `*out_count` is the capacity on entry; 0 on
/// any failure; the slot count after a size query (`out` NULL), a too-small buffer
/// (`TSUBAKI_STATUS_BUFFER_TOO_SMALL`) or success. `Ok(None)`: a size query, answered.
///
/// # Safety
/// `out_count` NULL or valid; `out` NULL or writable for `*out_count` entries.
unsafe fn slots_out(
    slots: usize,
    out: *mut u64,
    out_count: *mut usize,
) -> Result<Option<(*mut u64, *mut usize)>, TsubakiStatus> {
    let out_count = non_null(out_count)?.cast_mut();
    // SAFETY: the contract above.
    unsafe {
        let cap = *out_count;
        *out_count = slots;
        if out.is_null() {
            return Ok(None);
        }
        if cap < slots {
            return Err(TsubakiStatus::BufferTooSmall);
        }
        *out_count = 0;
    }
    Ok(Some((out, out_count)))
}

/// Copies the decoded slots out (after [`slots_out`] checked the room).
///
/// # Safety
/// As [`slots_out`], with room for `v.len()` entries.
unsafe fn write_slots(out: (*mut u64, *mut usize), v: &[u64]) {
    // SAFETY: the contract above.
    unsafe {
        core::ptr::copy_nonoverlapping(v.as_ptr(), out.0, v.len());
        *out.1 = v.len();
    }
}

/// Encrypts one contribution (`count` = the layout's slots, each at most its `max_value`,
/// else `TSUBAKI_STATUS_INVALID_ARGUMENT`) under `key` into `out` (a Paillier ciphertext
/// that counts one contribution).
///
/// # Safety
/// `layout`, `key` live handles; `values` readable for `count` entries; `out`/`out_len` as
/// in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_packed_encrypt(
    layout: *const TsubakiPaillierPackedLayout,
    key: *const TsubakiPaillierPubkey,
    values_: *const u64,
    count: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let (l, pk) = (get(layout)?, get(key)?);
            let v = values(l, values_, count)?;
            let c = l.encrypt(pk, &mut tsubaki_core::OsRng, v)?;
            o.reserve_write(&format::ciphertext_to_bytes(c.ciphertext()))
        })
    }
}

/// The sum of packed ciphertexts `a` (summing `a_count` contributions) and `b`
/// (`b_count`) into `out`, its count into `*sum_count`. More than the layout's
/// `contributors` in total is `TSUBAKI_STATUS_INVALID_ARGUMENT` (nothing computed).
///
/// # Safety
/// `layout`, `key` live handles; `a`, `b` readable for their lengths; `out`/`out_len` as in
/// the convention; `sum_count` valid for one write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tsubaki_paillier_packed_add(
    layout: *const TsubakiPaillierPackedLayout,
    key: *const TsubakiPaillierPubkey,
    a: *const u8,
    a_len: usize,
    a_count: u64,
    b: *const u8,
    b_len: usize,
    b_count: u64,
    out: *mut u8,
    out_len: *mut usize,
    sum_count: *mut u64,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let sum_count = non_null(sum_count)?.cast_mut();
            *sum_count = 0;
            let (l, pk) = (get(layout)?, get(key)?);
            let a = packed(l, pk, a, a_len, a_count)?;
            let b = packed(l, pk, b, b_len, b_count)?;
            let s = l.add(pk, &a, &b)?;
            let bytes = format::ciphertext_to_bytes(s.ciphertext());
            if o.reserve([bytes.len()])? {
                o.write(0, &bytes)?;
                *sum_count = s.contributions();
            }
            Ok(())
        })
    }
}

/// Decrypts the packed sum `c` (of `contributions` contributions) with the secret `key`
/// into `out` (`*out_count`: on entry the capacity in `uint64_t`s, on return the number of
/// slots; `out` NULL is a size query). A slot beyond `contributions · max_value` (someone
/// broke a bound) is `TSUBAKI_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `layout`, `key` live handles; `c` readable for `c_len`; `out` NULL or writable for
/// `*out_count` entries; `out_count` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_packed_decrypt(
    layout: *const TsubakiPaillierPackedLayout,
    key: *const TsubakiPaillierSeckey,
    c: *const u8,
    c_len: usize,
    contributions: u64,
    out: *mut u64,
    out_count: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let (l, sk) = (get(layout)?, get(key)?);
            let Some(dst) = slots_out(l.slots(), out, out_count)? else {
                return Ok(());
            };
            let c = packed(l, &sk.public_key(), c, c_len, contributions)?;
            write_slots(dst, &l.decrypt(sk, &c)?);
            Ok(())
        })
    }
}

/// Decrypts the packed sum `c` from threshold decryption shares of it (binary forms; any t
/// that verify are used) into `out`, as [`tsubaki_paillier_packed_decrypt`].
///
/// # Safety
/// As [`tsubaki_paillier_packed_decrypt`]; `shares`/`share_lens` readable for `count`
/// entries.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tsubaki_paillier_packed_combine(
    layout: *const TsubakiPaillierPackedLayout,
    key: *const TsubakiThresholdPubkey,
    c: *const u8,
    c_len: usize,
    contributions: u64,
    shares: *const *const u8,
    share_lens: *const usize,
    count: usize,
    out: *mut u64,
    out_count: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let (l, tpk) = (get(layout)?, get(key)?);
            let Some(dst) = slots_out(l.slots(), out, out_count)? else {
                return Ok(());
            };
            let c = packed(l, tpk.public_key(), c, c_len, contributions)?;
            let s = decryption_shares(shares, share_lens, count)?;
            write_slots(dst, &l.combine(tpk, &c, &s)?);
            Ok(())
        })
    }
}
