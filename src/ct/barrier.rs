//! An optimisation barrier for masks derived from secrets.
//!
//! Code written with masks (`(x & m) | (y & !m)` with `m` all-ones or zero) is
//! constant-time as written, but LLVM often proves that `m` can only be 0 or −1 and turns
//! the expression back into a `select`, which it may then compile to a conditional move or,
//! worse, a branch. Passing the mask through [`value_barrier`] hides its value from the
//! optimiser: the result is "some u64", so the masked arithmetic stays arithmetic.
//!
//! On x86-64 and AArch64 the barrier is an empty inline-assembly statement that takes the
//! value in a register and gives it back in the same register: no instruction is emitted,
//! nothing is spilled. Elsewhere it is [`core::hint::black_box`] (a store and a load).
//! This is the one place outside `camellia::x86` and the valgrind shim with `unsafe`.

#![allow(unsafe_code)]

/// Returns `x` unchanged, with its value hidden from the optimiser.
#[inline(always)]
pub(crate) fn value_barrier(x: u64) -> u64 {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        let mut x = x;
        // SAFETY: the template is empty: the statement executes no instruction, reads and
        // writes no memory, does not touch the stack or the flags, and returns its input
        // register unchanged. It only stops the compiler from reasoning about `x`.
        unsafe {
            core::arch::asm!("/* {0} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
        }
        x
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        core::hint::black_box(x)
    }
}

/// [`value_barrier`] for a signed mask.
#[inline(always)]
pub(crate) fn value_barrier_i64(x: i64) -> i64 {
    value_barrier(x as u64) as i64
}
