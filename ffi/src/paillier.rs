//! Paillier encryption for C (`tsubaki_paillier_*`): key handles, key generation with a
//! progress callback, tsubaki's binary key and ciphertext formats
//! (`tsubaki::paillier::format`, the same bytes the CLI and the Rust library write),
//! encryption of signed 64-bit integers, homomorphic addition and decryption.
//!
//! Conventions: those of every `tsubaki_*` function ([`crate::abi`]). Ciphertexts are
//! byte buffers in the binary ciphertext form; a ciphertext that is not one under the key
//! given is `TSUBAKI_STATUS_INVALID_ENCODING` (malformed) or `TSUBAKI_STATUS_INVALID_ARGUMENT`.
//! Randomness comes from the operating system.

use core::ffi::{c_int, c_void};

use tsubaki_core::paillier::{KeyGenOptions, KeyGenProgress, PublicKey, SecretKey, format};

use crate::abi::{
    call, export_bytes, free, get, handle, handle_from, handle_out, import_into, input, non_null,
    put,
};
use crate::error::TsubakiStatus;

/// A Paillier public key (C: `tsubaki_paillier_pubkey`). Opaque.
#[repr(C)]
pub struct TsubakiPaillierPubkey {
    tag: u64,
    inner: PublicKey,
}
handle!(TsubakiPaillierPubkey(PublicKey), 0x7473_6b5f_7061_7031);

/// A Paillier secret key (C: `tsubaki_paillier_seckey`). Opaque; wiped when freed.
#[repr(C)]
pub struct TsubakiPaillierSeckey {
    tag: u64,
    inner: SecretKey,
}
handle!(TsubakiPaillierSeckey(SecretKey), 0x7473_6b5f_7061_7331);

/// The key-generation progress callback: `prime` 0 (p) or 1 (q), `candidates` drawn so far
/// for it, `found` nonzero when that prime was just found. Called on the calling thread.
/// It must return normally (no `longjmp` out of it).
pub type TsubakiProgressFn =
    Option<unsafe extern "C" fn(ctx: *mut c_void, prime: u32, candidates: u64, found: c_int)>;

/// The key-generation report that calls `progress` (if given) with `ctx`: for every
/// candidate (`found` 0) and every prime found (`found` 1); other events are not passed on.
///
/// # Safety
/// `progress`, if given, safe to call with `ctx` while the closure lives.
pub(crate) unsafe fn reporter(
    progress: TsubakiProgressFn,
    ctx: *mut c_void,
) -> impl FnMut(KeyGenProgress) {
    move |p: KeyGenProgress| {
        if let Some(f) = progress {
            let (prime, n, found) = match p {
                KeyGenProgress::Candidate { prime, candidates } => (prime, candidates, 0),
                KeyGenProgress::PrimeFound { prime, candidates } => (prime, candidates, 1),
                _ => return,
            };
            // SAFETY: the contract above.
            unsafe { f(ctx, u32::from(prime), n, found) };
        }
    }
}

/// Generates a secret key with an n of `bits` bits (2048, 3072 or 4096, else
/// `TSUBAKI_STATUS_INVALID_ARGUMENT`); `safe_primes` nonzero for safe primes (what
/// threshold decryption needs; much slower). `progress` (may be NULL) is called with `ctx`
/// for every candidate and every prime found.
///
/// # Safety
/// `out` valid for writing one pointer; `progress`, if given, safe to call with `ctx`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_keygen(
    bits: u32,
    safe_primes: c_int,
    progress: TsubakiProgressFn,
    ctx: *mut c_void,
    out: *mut *mut TsubakiPaillierSeckey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            let options = KeyGenOptions {
                bits: bits as usize,
                safe_primes: safe_primes != 0,
            };
            let mut report = reporter(progress, ctx);
            let sk = SecretKey::generate_with(&mut tsubaki_core::OsRng, &options, &mut report)?;
            put(out, sk)
        })
    }
}

/// A secret key from its primes p and q (big-endian; validated as
/// `tsubaki::paillier::SecretKey::from_primes` does).
///
/// # Safety
/// `p`, `q` readable for their lengths; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_seckey_from_primes(
    p: *const u8,
    p_len: usize,
    q: *const u8,
    q_len: usize,
    out: *mut *mut TsubakiPaillierSeckey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            let (p, q) = (input(non_null(p)?, p_len)?, input(non_null(q)?, q_len)?);
            put(out, SecretKey::from_primes(p, q)?)
        })
    }
}

/// Reads a secret key in tsubaki's binary form.
///
/// # Safety
/// `in` readable for `in_len` bytes; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_seckey_import(
    in_: *const u8,
    in_len: usize,
    out: *mut *mut TsubakiPaillierSeckey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { import_into(in_, in_len, out, format::secret_key_from_bytes) }
}

/// Writes `key` in tsubaki's binary form (it holds the primes: wipe it when done).
///
/// # Safety
/// `key` a live secret-key handle; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_seckey_export(
    key: *const TsubakiPaillierSeckey,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { export_bytes(key, out, out_len, |k| Ok(format::secret_key_to_bytes(k))) }
}

/// The public key of `key` into `*out`.
///
/// # Safety
/// `key` a live secret-key handle; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_seckey_public(
    key: *const TsubakiPaillierSeckey,
    out: *mut *mut TsubakiPaillierPubkey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { handle_from(key, out, SecretKey::public_key) }
}

/// Frees a secret key (wiped). NULL or another type's handle is left alone.
///
/// # Safety
/// `key` NULL or a secret-key handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_seckey_free(key: *mut TsubakiPaillierSeckey) {
    // SAFETY: the caller's contract.
    unsafe { free(key) }
}

/// Reads a public key in tsubaki's binary form.
///
/// # Safety
/// `in` readable for `in_len` bytes; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_pubkey_import(
    in_: *const u8,
    in_len: usize,
    out: *mut *mut TsubakiPaillierPubkey,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { import_into(in_, in_len, out, format::public_key_from_bytes) }
}

/// Writes `key` in tsubaki's binary form.
///
/// # Safety
/// `key` a live public-key handle; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_pubkey_export(
    key: *const TsubakiPaillierPubkey,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { export_bytes(key, out, out_len, |k| Ok(format::public_key_to_bytes(k))) }
}

/// Frees a public key. NULL or another type's handle is left alone.
///
/// # Safety
/// `key` NULL or a public-key handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_pubkey_free(key: *mut TsubakiPaillierPubkey) {
    // SAFETY: the caller's contract.
    unsafe { free(key) }
}

/// Encrypts the signed integer `m` under `key` (fresh randomness) into `out`.
///
/// # Safety
/// `key` a live public-key handle; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_encrypt_i64(
    key: *const TsubakiPaillierPubkey,
    m: i64,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let pk = get(key)?;
            let c = pk.checked_encrypt_i64(&mut tsubaki_core::OsRng, m)?;
            o.reserve_write(&format::ciphertext_to_bytes(&c))
        })
    }
}

/// The ciphertext of the sum of the plaintexts of `a` and `b` (mod n) into `out`.
///
/// # Safety
/// `key` a live public-key handle; `a`, `b` readable for their lengths; `out`/`out_len`
/// as in the convention, not overlapping the inputs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_add(
    key: *const TsubakiPaillierPubkey,
    a: *const u8,
    a_len: usize,
    b: *const u8,
    b_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(out, out_len)], |o| {
            let pk = get(key)?;
            let a = format::ciphertext_from_bytes(pk, input(non_null(a)?, a_len)?)?;
            let b = format::ciphertext_from_bytes(pk, input(non_null(b)?, b_len)?)?;
            o.reserve_write(&format::ciphertext_to_bytes(&pk.checked_add(&a, &b)?))
        })
    }
}

/// Decrypts a signed 64-bit integer into `*m`; a plaintext outside the i64 range is
/// `TSUBAKI_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `key` a live secret-key handle; `c` readable for `c_len` bytes; `m` valid for one
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_paillier_decrypt_i64(
    key: *const TsubakiPaillierSeckey,
    c: *const u8,
    c_len: usize,
    m: *mut i64,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            let sk = get(key)?;
            let m = non_null(m)?.cast_mut();
            *m = 0;
            let c = format::ciphertext_from_bytes(&sk.public_key(), input(non_null(c)?, c_len)?)?;
            *m = sk.decrypt_i64(&c)?;
            Ok(())
        })
    }
}
