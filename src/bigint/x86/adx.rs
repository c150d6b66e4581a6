//! x86-64 backend for CPUs without AVX-512 IFMA: Montgomery multiplication and squaring in
//! radix 2⁶⁴ on BMI2 `mulx` and ADX `adcx`/`adox`, chosen at run time.
//!
//! Technique: the two independent carry chains of Gueron and Krasnov's "Ingrid" (Intel,
//! "New instructions supporting large integer arithmetic on Intel architecture processors",
//! 2012), which OpenSSL's `mulx4x` code also uses (read for technique only). One primitive
//! does all the work: [`addmul_1`], t[0..n] += a[0..n]·b, returning the carry word. In it
//! `mulx` forms each 128-bit product without touching the flags, `adcx` adds the low halves
//! and t[j] on the carry flag, `adox` adds the previous high half on the overflow flag, so
//! the two additions of a limb do not wait for each other. The loop runs over four limbs at
//! a time and then single limbs; its counter moves with `lea` and is tested with `jrcxz`,
//! which leave both flags alone, so the chains run from the first limb to the last.
//!
//! Montgomery multiplication (separated rows, no shifting: row i adds a·bᵢ into
//! w[i..i+k], then u·m with u = w[i]·(−m⁻¹), which clears w[i]; the result is w[k..2k]
//! plus one bit) and squaring (the off-diagonal triangle by rows, doubled, plus the
//! diagonal, then k reduction rows) keep the portable code's convention and bound: fully
//! reduced values in, t < 2m before one masked subtraction, fully reduced out. Every branch
//! and address depends on the limb count only.
//!
//! Every `unsafe` call is reached only through an [`Adx`] value, which exists only after
//! `cpufeatures` reported BMI2 and ADX.

use core::sync::atomic::{AtomicU8, Ordering};

use zeroize::Zeroize;

use super::super::limbs::adc;
use super::super::monty::final_sub;

cpufeatures::new!(cpuid_adx, "bmi2", "adx");

/// Proof that this CPU has BMI2 and ADX (the only way to reach the kernels).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Adx(());

/// 0: not yet known; 1: no; 2: yes (CPUID, or what the valgrind harness forced).
static STATE: AtomicU8 = AtomicU8::new(0);

impl Adx {
    /// `Some` if the CPU has BMI2 and ADX and the build does not force the portable code.
    pub(crate) fn detect() -> Option<Self> {
        if cfg!(tsubaki_bigint_backend = "portable") {
            return None;
        }
        let mut state = STATE.load(Ordering::Relaxed);
        if state == 0 {
            // Races only store the same answer twice (or lose to `force`, the point of it).
            let found = if cpuid_adx::get() { 2 } else { 1 };
            let _ = STATE.compare_exchange(0, found, Ordering::Relaxed, Ordering::Relaxed);
            state = STATE.load(Ordering::Relaxed);
        }
        (state == 2).then_some(Adx(()))
    }
}

/// For the valgrind harness only: contexts built afterwards take the BMI2/ADX kernels
/// (`true`) or the portable code (`false`) whatever CPUID says. Valgrind 3.19 executes
/// `mulx`/`adcx`/`adox` but hides ADX from its virtual CPUID. Forcing `true` on a CPU
/// without them makes the next multiplication fault (SIGILL), never undefined behaviour:
/// the instructions sit in an `asm!` block.
#[cfg(feature = "ct-valgrind")]
pub(crate) fn force(on: bool) {
    STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
}

/// The largest limb count the kernels take (8192-bit moduli), as the portable code.
const MAX: usize = 128;

/// t[0..n] += a[0..n]·b; returns the carry word (t + a·b < 2^(64(n+1)), so it fits).
///
/// # Safety
/// The CPU has BMI2 and ADX; `t` and `a` are valid for n limbs (t writable; they may not
/// overlap unless equal... they never are here).
#[inline]
unsafe fn addmul_1(t: *mut u64, a: *const u64, n: usize, b: u64) -> u64 {
    let carry: u64;
    // SAFETY: the caller guarantees the pointers cover n limbs and the CPU features; the
    // asm reads a[0..n], reads and writes t[0..n], and touches nothing else.
    unsafe {
        core::arch::asm!(
            "xor {z:e}, {z:e}",
            "xor {hp:e}, {hp:e}",
            "jrcxz 3f",
            "2:",
            "mulx {h1}, {lo}, qword ptr [{a}]",
            "adcx {lo}, qword ptr [{t}]",
            "adox {lo}, {hp}",
            "mov qword ptr [{t}], {lo}",
            "mulx {hp}, {lo}, qword ptr [{a} + 8]",
            "adcx {lo}, qword ptr [{t} + 8]",
            "adox {lo}, {h1}",
            "mov qword ptr [{t} + 8], {lo}",
            "mulx {h1}, {lo}, qword ptr [{a} + 16]",
            "adcx {lo}, qword ptr [{t} + 16]",
            "adox {lo}, {hp}",
            "mov qword ptr [{t} + 16], {lo}",
            "mulx {hp}, {lo}, qword ptr [{a} + 24]",
            "adcx {lo}, qword ptr [{t} + 24]",
            "adox {lo}, {h1}",
            "mov qword ptr [{t} + 24], {lo}",
            "lea {a}, [{a} + 32]",
            "lea {t}, [{t} + 32]",
            "lea rcx, [rcx - 1]",
            "jrcxz 3f",
            "jmp 2b",
            "3:",
            "mov rcx, {rem}",
            "jrcxz 5f",
            "4:",
            "mulx {h1}, {lo}, qword ptr [{a}]",
            "adcx {lo}, qword ptr [{t}]",
            "adox {lo}, {hp}",
            "mov qword ptr [{t}], {lo}",
            "mov {hp}, {h1}",
            "lea {a}, [{a} + 8]",
            "lea {t}, [{t} + 8]",
            "lea rcx, [rcx - 1]",
            "jrcxz 5f",
            "jmp 4b",
            "5:",
            "adcx {hp}, {z}",
            "adox {hp}, {z}",
            t = inout(reg) t => _,
            a = inout(reg) a => _,
            rem = in(reg) n % 4,
            inout("rcx") n / 4 => _,
            in("rdx") b,
            z = out(reg) _,
            hp = out(reg) carry,
            h1 = out(reg) _,
            lo = out(reg) _,
            options(nostack),
        );
    }
    carry
}

impl Adx {
    /// out = a·b·R⁻¹ mod m for a, b < m (k limbs each, k ≤ 128), fully reduced.
    pub(crate) fn mont_mul(self, out: &mut [u64], a: &[u64], b: &[u64], m: &[u64], m0inv: u64) {
        // The scratch is sized for the modulus: zeroing 2·MAX limbs per call cost a 16-limb
        // multiplication about 15% (a prime search's Fermat tests).
        match m.len() {
            0..=16 => self.mont_mul_w::<33>(out, a, b, m, m0inv),
            17..=32 => self.mont_mul_w::<65>(out, a, b, m, m0inv),
            33..=64 => self.mont_mul_w::<129>(out, a, b, m, m0inv),
            _ => self.mont_mul_w::<{ 2 * MAX + 1 }>(out, a, b, m, m0inv),
        }
    }

    /// [`mont_mul`](Self::mont_mul) with a scratch of W ≥ 2k + 1 limbs.
    #[inline(always)]
    fn mont_mul_w<const W: usize>(
        self,
        out: &mut [u64],
        a: &[u64],
        b: &[u64],
        m: &[u64],
        m0inv: u64,
    ) {
        let k = m.len();
        assert!(k <= MAX && 2 * k < W && a.len() == k && b.len() == k && out.len() == k);
        let mut w = [0u64; W];
        for i in 0..k {
            // SAFETY: `self` proves BMI2/ADX; w[i..i+k] lies inside w (i + k < 2k + 1),
            // a and m have k limbs.
            let c1 = unsafe { addmul_1(w.as_mut_ptr().add(i), a.as_ptr(), k, b[i]) };
            let u = w[i].wrapping_mul(m0inv);
            // SAFETY: as above.
            let c2 = unsafe { addmul_1(w.as_mut_ptr().add(i), m.as_ptr(), k, u) };
            let (s, k1) = adc(w[i + k], c1, 0);
            let (s, k2) = adc(s, c2, 0);
            w[i + k] = s;
            w[i + k + 1] += k1 + k2;
        }
        out.copy_from_slice(&w[k..2 * k]);
        let hi = w[2 * k];
        w[..2 * k + 1].zeroize();
        final_sub(out, hi, m);
    }

    /// out = a²·R⁻¹ mod m for a < m (k limbs, k ≤ 128), fully reduced.
    pub(crate) fn mont_sqr(self, out: &mut [u64], a: &[u64], m: &[u64], m0inv: u64) {
        match m.len() {
            0..=16 => self.mont_sqr_w::<32>(out, a, m, m0inv),
            17..=32 => self.mont_sqr_w::<64>(out, a, m, m0inv),
            33..=64 => self.mont_sqr_w::<128>(out, a, m, m0inv),
            _ => self.mont_sqr_w::<{ 2 * MAX }>(out, a, m, m0inv),
        }
    }

    /// [`mont_sqr`](Self::mont_sqr) with a scratch of W ≥ 2k limbs.
    #[inline(always)]
    fn mont_sqr_w<const W: usize>(self, out: &mut [u64], a: &[u64], m: &[u64], m0inv: u64) {
        let k = m.len();
        assert!(k <= MAX && 2 * k <= W && a.len() == k && out.len() == k);
        let mut w = [0u64; W];
        // Off-diagonal triangle: row i adds a[i+1..k]·a[i] at w[2i+1..i+k], carry to w[i+k].
        for i in 0..k.saturating_sub(1) {
            // SAFETY: `self` proves BMI2/ADX; w[2i+1 .. 2i+1 + (k−1−i)] = w[2i+1 .. i+k] is
            // inside w, a[i+1..k] has k−1−i limbs.
            w[i + k] = unsafe {
                addmul_1(
                    w.as_mut_ptr().add(2 * i + 1),
                    a.as_ptr().add(i + 1),
                    k - 1 - i,
                    a[i],
                )
            };
        }
        super::super::monty::double_add_diagonal(&mut w[..2 * k], a);
        // Reduction rows: a² < m·R, so the result is < 2m.
        let mut carry_hi = 0u64;
        for i in 0..k {
            let u = w[i].wrapping_mul(m0inv);
            // SAFETY: as above; w[i..i+k] is inside w, m has k limbs.
            let c = unsafe { addmul_1(w.as_mut_ptr().add(i), m.as_ptr(), k, u) };
            let (s, c1) = adc(w[i + k], c, carry_hi);
            w[i + k] = s;
            carry_hi = c1;
        }
        out.copy_from_slice(&w[k..2 * k]);
        w[..2 * k].zeroize();
        final_sub(out, carry_hi, m);
    }
}
