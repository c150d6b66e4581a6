//! Constant-time helpers that are ours, and the hooks of the valgrind secret-taint check.
//!
//! [`secret`] and [`declassify`] follow the technique of BoringSSL's constant-time
//! validation (and Adam Langley's ctgrind): memory holding a secret is marked *undefined*
//! for valgrind's memcheck, so that any branch or memory index computed from it is
//! reported as a use of uninitialised data. A value that becomes public on purpose (a
//! ciphertext, a tag comparison's verdict) is marked *defined* again with [`declassify`].
//!
//! Without the `ct-valgrind` feature both functions are empty and inline to nothing.
//! With it, they call a small C shim (`csrc/ct_valgrind.c`) built over
//! `<valgrind/memcheck.h>`; outside valgrind the client requests are a few no-op
//! instructions, so a `ct-valgrind` build also runs normally.

/// Marks the bytes of `value` as secret: under valgrind memcheck, any branch or memory
/// address that depends on them is reported.
#[inline(always)]
pub fn secret<T: ?Sized>(value: &T) {
    #[cfg(feature = "ct-valgrind")]
    imp::make_undefined(value);
    #[cfg(not(feature = "ct-valgrind"))]
    let _ = value;
}

/// Marks the bytes of `value` as public again (they may now decide branches and indices).
#[inline(always)]
pub fn declassify<T: ?Sized>(value: &T) {
    #[cfg(feature = "ct-valgrind")]
    imp::make_defined(value);
    #[cfg(not(feature = "ct-valgrind"))]
    let _ = value;
}

/// For constant-time harnesses (`ct-valgrind` builds only): makes P-256's field
/// multiplication take the x86-64 BMI2/ADX code (`true`) or the portable code (`false`),
/// whatever CPUID reports. Valgrind executes `mulx`, `adcx` and `adox` but hides ADX from
/// the program's CPUID, so without this the fast path would never run under it. Forcing
/// `true` on a CPU without BMI2/ADX makes the next P-256 operation fault with SIGILL.
/// Does nothing on other architectures.
#[cfg(feature = "ct-valgrind")]
pub fn force_p256_adx(on: bool) {
    #[cfg(target_arch = "x86_64")]
    crate::ec::arith::x86::force_adx(on);
    #[cfg(not(target_arch = "x86_64"))]
    let _ = on;
}

/// For constant-time harnesses (`ct-valgrind` builds only): big-integer contexts built
/// afterwards take the x86-64 BMI2/ADX Montgomery kernels (`true`) or the portable code
/// (`false`), whatever CPUID reports (valgrind hides ADX from its virtual CPUID; the IFMA
/// backend, where present, is still preferred). Forcing `true` on a CPU without BMI2/ADX
/// makes the next multiplication fault with SIGILL. Does nothing on other architectures.
#[cfg(feature = "ct-valgrind")]
pub fn force_bigint_adx(on: bool) {
    #[cfg(target_arch = "x86_64")]
    crate::bigint::x86::force_adx(on);
    #[cfg(not(target_arch = "x86_64"))]
    let _ = on;
}

/// Returns a verdict the caller receives anyway (a key is valid or not) as a public `bool`,
/// declassifying that one bit first. The values the verdict was computed from stay secret.
#[inline(always)]
pub(crate) fn declassify_choice(choice: subtle::Choice) -> bool {
    let mut bit = choice.unwrap_u8();
    declassify(&bit);
    // Reload from the declassified memory, not a register copy valgrind still sees as secret.
    let _ = core::hint::black_box(&mut bit);
    bit == 1
}

/// Clears buffers of blocks that held secrets (keystream, padded batches) at memset speed.
///
/// `zeroize` writes through volatile stores one element at a time, which for `[[u8; 16]]`
/// means one byte per store: on multi-kilobyte batch buffers reused per call that costs
/// more than the cipher. Here a plain `fill` (vectorised) is followed by
/// [`core::hint::black_box`] of the buffer, an opaque use the optimiser must assume reads
/// the zeros, so the stores cannot be removed as dead. (`black_box` is documented as best
/// effort; with rustc's LLVM backend it is an inline-assembly barrier.)
#[inline]
pub(crate) fn wipe_blocks(blocks: &mut [[u8; 16]]) {
    blocks.fill([0u8; 16]);
    let _ = core::hint::black_box(&mut *blocks);
}

#[cfg(feature = "ct-valgrind")]
mod imp {
    use core::ffi::c_void;

    unsafe extern "C" {
        fn tsubaki_ct_make_undefined(ptr: *const c_void, len: usize);
        fn tsubaki_ct_make_defined(ptr: *const c_void, len: usize);
    }

    pub(super) fn make_undefined<T: ?Sized>(value: &T) {
        let len = core::mem::size_of_val(value);
        // SAFETY: the pointer and length describe the live, borrowed object `value`; the
        // shim only issues a valgrind client request about that range and touches no memory.
        unsafe { tsubaki_ct_make_undefined((value as *const T).cast(), len) }
    }

    pub(super) fn make_defined<T: ?Sized>(value: &T) {
        let len = core::mem::size_of_val(value);
        // SAFETY: as above.
        unsafe { tsubaki_ct_make_defined((value as *const T).cast(), len) }
    }
}
