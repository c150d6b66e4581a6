//! The P-256 field multiplication on BMI2 + ADX: Montgomery form `a·b·2^−256 mod p`,
//! p = 2^256 − 2^224 + 2^192 + 2^96 − 1, the same representation and bounds as the
//! portable `ec::arith::p256::field::mont_mul` and fiat-crypto's `fiat_p256_mul`.
//!
//! Operand scanning (CIOS) in four rounds. Each round adds `a·bᵢ` with `mulx` and two
//! independent carry chains (`adcx` for the low halves, `adox` for the high halves), then
//! one Montgomery step specialised to the shape of p (the technique of Gueron–Krasnov 2015):
//! −p⁻¹ ≡ 1 (mod 2^64), so the quotient digit is the low limb `q = t₀` itself, and
//! `q·p = q·2^96 − q + q·p₃·2^192`, hence
//! `(t + q·p)/2^64 = ⌊t/2^64⌋ + q·2^32 + q·p₃·2^128`: a shift by 32 in both directions
//! and one `mulx` by `p₃ = 2^64 − 2^32 + 1`, no multiplication by p₀ or p₁.
//!
//! Bounds. Inputs below p < 2^256. The running value `t` (five limbs plus a sixth word)
//! satisfies `t < 2p` after every round: `(t + a·bᵢ + q·p)/2^64 <
//! (2p + (2^64 − 1)·p + (2^64 − 1)·p)/2^64 < 2p`. Before the step `t + a·bᵢ < 2p + 2^64·p
//! < 2^321`, so the sixth word (`x5`, rotating) holds at most 1 and every carry chain
//! ends inside it. After four rounds `t < 2p < 2^257`: one subtraction of p, kept unless
//! it borrows, with the borrow turned into a mask by `sbb r, r` (no branch, no `cmov`).
//!
//! The register names rotate: round i keeps the limbs t₀ … t₅ in `x_i … x_{i+5}` (mod 6),
//! so the limb that the step clears becomes the next round's top word without a move.
//! The rounds are written out (generated, then checked: `tests::p256_adx_*` compare with
//! fiat-crypto on 10,000 random pairs and on the edge values 0, 1, p − 1, p − 2, 2^64 − 1
//! and 2^255).

use core::arch::asm;

/// `a·b·2^−256 mod p`.
///
/// # Safety
/// The CPU must support BMI2 (`mulx`) and ADX (`adcx`, `adox`); [`super::Adx`] is the
/// proof. Without them the instructions fault (SIGILL); memory safety does not depend on
/// it, the function only reads `a` and `b`.
#[inline(always)]
pub(super) unsafe fn mont_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    const P3: u64 = 0xffff_ffff_0000_0001;
    let (r0, r1, r2, r3): (u64, u64, u64, u64);
    // SAFETY: BMI2 and ADX are present (the caller's contract); the block reads the 32
    // bytes behind each of `a` and `b` and writes only registers.
    unsafe {
        asm!(
            "mov rdx, qword ptr [{b}]",
            "mulx {x1}, {x0}, qword ptr [{a}]",
            "mulx {x2}, {lo}, qword ptr [{a} + 8]",
            "add {x1}, {lo}",
            "mulx {x3}, {lo}, qword ptr [{a} + 16]",
            "adc {x2}, {lo}",
            "mulx {x4}, {lo}, qword ptr [{a} + 24]",
            "adc {x3}, {lo}",
            "adc {x4}, 0",
            "xor {x5:e}, {x5:e}",
            "mov rdx, {x0}",
            "mulx {hi}, {lo}, {p3}",
            "shl {x0}, 32",
            "shr rdx, 32",
            "add {x1}, {x0}",
            "adc {x2}, rdx",
            "adc {x3}, {lo}",
            "adc {x4}, {hi}",
            "adc {x5}, 0",
            "mov rdx, qword ptr [{b} + 8]",
            "xor {x0:e}, {x0:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adcx {x1}, {lo}",
            "adox {x2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adcx {x2}, {lo}",
            "adox {x3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {x3}, {lo}",
            "adox {x4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adcx {x4}, {lo}",
            "adox {x5}, {hi}",
            "adox {x0}, {x0}",
            "adc {x5}, 0",
            "adc {x0}, 0",
            "mov rdx, {x1}",
            "mulx {hi}, {lo}, {p3}",
            "shl {x1}, 32",
            "shr rdx, 32",
            "add {x2}, {x1}",
            "adc {x3}, rdx",
            "adc {x4}, {lo}",
            "adc {x5}, {hi}",
            "adc {x0}, 0",
            "mov rdx, qword ptr [{b} + 16]",
            "xor {x1:e}, {x1:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adcx {x2}, {lo}",
            "adox {x3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adcx {x3}, {lo}",
            "adox {x4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {x4}, {lo}",
            "adox {x5}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adcx {x5}, {lo}",
            "adox {x0}, {hi}",
            "adox {x1}, {x1}",
            "adc {x0}, 0",
            "adc {x1}, 0",
            "mov rdx, {x2}",
            "mulx {hi}, {lo}, {p3}",
            "shl {x2}, 32",
            "shr rdx, 32",
            "add {x3}, {x2}",
            "adc {x4}, rdx",
            "adc {x5}, {lo}",
            "adc {x0}, {hi}",
            "adc {x1}, 0",
            "mov rdx, qword ptr [{b} + 24]",
            "xor {x2:e}, {x2:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adcx {x3}, {lo}",
            "adox {x4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adcx {x4}, {lo}",
            "adox {x5}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {x5}, {lo}",
            "adox {x0}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adcx {x0}, {lo}",
            "adox {x1}, {hi}",
            "adox {x2}, {x2}",
            "adc {x1}, 0",
            "adc {x2}, 0",
            "mov rdx, {x3}",
            "mulx {hi}, {lo}, {p3}",
            "shl {x3}, 32",
            "shr rdx, 32",
            "add {x4}, {x3}",
            "adc {x5}, rdx",
            "adc {x0}, {lo}",
            "adc {x1}, {hi}",
            "adc {x2}, 0",
            "mov {b:e}, 0xffffffff",
            "mov {lo}, {x4}",
            "sub {lo}, -1",
            "mov {hi}, {x5}",
            "sbb {hi}, {b}",
            "mov rdx, {x0}",
            "sbb rdx, 0",
            "mov {a}, {x1}",
            "sbb {a}, {p3}",
            "sbb {x2}, 0",
            "sbb {x2}, {x2}",
            "xor {x4}, {lo}",
            "and {x4}, {x2}",
            "xor {lo}, {x4}",
            "xor {x5}, {hi}",
            "and {x5}, {x2}",
            "xor {hi}, {x5}",
            "xor {x0}, rdx",
            "and {x0}, {x2}",
            "xor rdx, {x0}",
            "xor {x1}, {a}",
            "and {x1}, {x2}",
            "xor {a}, {x1}",
            a = inout(reg) a.as_ptr() => r3,
            b = inout(reg) b.as_ptr() => _,
            p3 = in(reg) P3,
            x0 = out(reg) _,
            x1 = out(reg) _,
            x2 = out(reg) _,
            x3 = out(reg) _,
            x4 = out(reg) _,
            x5 = out(reg) _,
            lo = out(reg) r0,
            hi = out(reg) r1,
            out("rdx") r2,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}

/// `a²·2^−256 mod p`.
///
/// # Safety
/// As for [`mont_mul`].
#[inline(always)]
pub(super) unsafe fn mont_square(a: &[u64; 4]) -> [u64; 4] {
    // SAFETY: the caller's contract is the same.
    unsafe { mont_mul(a, a) }
}
