//! x86-64 code for the curve arithmetic: the P-256 field multiplication and squaring on
//! BMI2/ADX (`mulx`, `adcx`, `adox`), the P-256 field addition and subtraction in
//! baseline x86-64 (`adc`/`sbb` chains, which LLVM does not produce from the portable
//! Rust), and the AVX2 masked scan of the fixed-base table. With the
//! Camellia backends and `ffi/`, the only `unsafe` in the crate.
//!
//! Each fast path that needs a CPU feature is reached only through a zero-sized token
//! ([`Adx`], [`Avx2`]) that [`adx`] / [`avx2`] hand out after `cpufeatures` has reported
//! the features the path's instructions need. The answer is detected once per process and
//! cached in a static. The check is made per field multiplication (and per table scan),
//! not once per signature: it is one load and one well-predicted branch on a public value,
//! and it keeps the field type and the formulas free of a backend parameter. What made the
//! per-operation switch cheap is keeping the portable fallback *out of line*
//! (`p256::field::mul_fallback`): inlined, every one of the hundreds of call sites in a
//! scalar multiplication carried both versions, and verification ran 25 % slower.
//! The addition and subtraction ([`p256_add`], [`p256_sub`]) need only baseline x86-64
//! and take no token: a switch there cost 15 % of verification (see
//! `p256::field::add_sub_dispatch!`).
//!
//! `--cfg tsubaki_ec_backend="portable"` makes both return `None` and the field code skip
//! the addition and subtraction here, so CI can run the whole suite on the portable Rust
//! code that other CPUs get.
//!
//! Constant time: `mulx`, `adcx`, `adox`, `adc`, `sbb`, shifts and logic have
//! data-independent latency on every x86-64 CPU; the code has no branch and no address
//! computed from the operands (the final reduction is a borrow turned into a mask).
//! AVX2 loads, compares and logic likewise.
//!
//! `p256_point` holds the P-256 doubling and mixed addition of the variable-base k·P
//! written directly on these field operations, so that k·P checks the CPU once rather than
//! at every field operation.

mod lookup;
mod p256;
mod p256_point;

use core::sync::atomic::{AtomicU8, Ordering};

cpufeatures::new!(cpuid_bmi2_adx, "bmi2", "adx");
cpufeatures::new!(cpuid_avx2, "avx2");

/// Proof that the CPU runs BMI2 and ADX (made only by [`adx`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Adx(());

/// Proof that the CPU runs AVX2 (made only by [`avx2`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2(());

const UNKNOWN: u8 = 0;
const NO: u8 = 1;
const YES: u8 = 2;

/// The cached answers: [`UNKNOWN`] until the first call, then [`NO`] or [`YES`].
static ADX: AtomicU8 = AtomicU8::new(UNKNOWN);
static AVX2: AtomicU8 = AtomicU8::new(UNKNOWN);

#[cold]
#[inline(never)]
fn detect_adx() -> bool {
    detect(&ADX, cpuid_bmi2_adx::get())
}

#[cold]
#[inline(never)]
fn detect_avx2() -> bool {
    detect(&AVX2, cpuid_avx2::get())
}

fn detect(cache: &AtomicU8, found: bool) -> bool {
    // Races only store the same answer twice (or lose to `force_adx`, which is the point).
    let _ = cache.compare_exchange(
        UNKNOWN,
        if found { YES } else { NO },
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    cache.load(Ordering::Relaxed) == YES
}

/// `Some` iff the BMI2/ADX field multiplication may run here.
#[inline(always)]
pub(crate) fn adx() -> Option<Adx> {
    if cfg!(tsubaki_ec_backend = "portable") {
        return None;
    }
    let known = match ADX.load(Ordering::Relaxed) {
        UNKNOWN => detect_adx(),
        v => v == YES,
    };
    known.then_some(Adx(()))
}

/// `Some` iff the AVX2 table scan may run here.
#[inline(always)]
pub(crate) fn avx2() -> Option<Avx2> {
    if cfg!(tsubaki_ec_backend = "portable") {
        return None;
    }
    let known = match AVX2.load(Ordering::Relaxed) {
        UNKNOWN => detect_avx2(),
        v => v == YES,
    };
    known.then_some(Avx2(()))
}

/// For the valgrind harness only: select the BMI2/ADX path (`true`) or the portable one
/// (`false`) regardless of CPUID. Valgrind 3.19 executes `mulx`/`adcx`/`adox` but hides
/// ADX from its virtual CPUID, so without this the harness could not check that path.
/// Forcing `true` on a CPU without BMI2/ADX makes the next field operation fault
/// (SIGILL); it is never undefined behaviour, as the instructions sit in `asm!` blocks.
#[cfg(any(test, feature = "ct-valgrind"))]
pub(crate) fn force_adx(on: bool) {
    ADX.store(if on { YES } else { NO }, Ordering::Relaxed);
}

impl Adx {
    /// `a·b·2^−256 mod p` for the P-256 prime, inputs and output below p.
    #[inline(always)]
    pub(crate) fn p256_mul(self, a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        // SAFETY: `self` exists only if `adx()` found BMI2 and ADX (cpufeatures, CPUID).
        unsafe { p256::mont_mul(a, b) }
    }

    /// [`Self::p256_mul`] with `b` in registers (`x86::p256::mont_mul_rb`), for the tests.
    #[cfg(test)]
    pub(crate) fn p256_mul_rb(self, a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        // SAFETY: as in `p256_mul`: BMI2 and ADX were detected by `adx()`.
        unsafe { p256::mont_mul_rb(a, b) }
    }

    /// `a²·2^−256 mod p` for the P-256 prime, input and output below p.
    #[inline(always)]
    pub(crate) fn p256_square(self, a: &[u64; 4]) -> [u64; 4] {
        // SAFETY: as in `p256_mul`: BMI2 and ADX were detected by `adx()`.
        unsafe { p256::mont_square(a) }
    }
}

/// `a + b mod p` for the P-256 prime (Montgomery form or not: the same map), inputs and
/// output below p. Baseline x86-64, so no token: every x86-64 CPU runs it.
#[cfg_attr(tsubaki_ec_backend = "portable", allow(dead_code))] // the tests still compare it
#[inline(always)]
pub(crate) fn p256_add(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    p256::add(a, b)
}

/// `a − b mod p` for the P-256 prime, inputs and output below p. Baseline x86-64.
#[cfg_attr(tsubaki_ec_backend = "portable", allow(dead_code))] // the tests still compare it
#[inline(always)]
pub(crate) fn p256_sub(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    p256::sub(a, b)
}

/// `a/2 mod p` for the P-256 prime (the halving of `p256_point`'s doubling), for the tests.
#[cfg(test)]
pub(crate) fn p256_half(a: &[u64; 4]) -> [u64; 4] {
    p256::half(a)
}

impl Avx2 {
    /// The masked scan of [`lookup::select`]: the one entry of `table` whose position
    /// (1-based) is `idx`, zero for `idx = 0`, reading every entry.
    #[inline(always)]
    pub(crate) fn select<const N: usize>(self, table: &[[u64; N]], idx: u64) -> [u64; N] {
        // SAFETY: `self` exists only if `avx2()` found AVX2 (cpufeatures, CPUID + XGETBV).
        unsafe { lookup::select(table, idx) }
    }
}
