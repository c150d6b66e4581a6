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
//! ends inside it. After four rounds `t < 2p < 2^257`: p is subtracted in place through
//! the sixth word, which then holds 0 (`t ≥ p`) or all ones (`t < p`: the difference is
//! negative, above −2^256) — itself the mask with which p's limbs (`m`, `m mod 2^32`, 0,
//! `m & p₃`) are added back (no branch, no `cmov`). That is 12 instructions where keeping
//! both values and selecting with xor/and took 23; in the doubling-bound k·P (issue 14)
//! the fewer instructions measured faster, in verification the two had measured the same.
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
            // t − p in place; the top word then is 0 (t ≥ p) or all ones (t < p: add p back).
            "mov {b:e}, 0xffffffff",
            "sub {x4}, -1",
            "sbb {x5}, {b}",
            "sbb {x0}, 0",
            "sbb {x1}, {p3}",
            "sbb {x2}, 0",
            "mov {b:e}, {x2:e}",
            "and {p3}, {x2}",
            "add {x4}, {x2}",
            "adc {x5}, {b}",
            "adc {x0}, 0",
            "adc {x1}, {p3}",
            a = in(reg) a.as_ptr(),
            b = inout(reg) b.as_ptr() => _,
            p3 = inout(reg) P3 => _,
            x0 = out(reg) r2,
            x1 = out(reg) r3,
            x2 = out(reg) _,
            x3 = out(reg) _,
            x4 = out(reg) r0,
            x5 = out(reg) r1,
            lo = out(reg) _,
            hi = out(reg) _,
            out("rdx") _,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}

/// [`mont_mul`] with `b` in registers (the fresh operand of a formula: no store and
/// reload on the way in) and `a` read from memory. The same rounds, bounds and final
/// subtraction; what changes is the register plan, which fits the 13 registers `asm!`
/// may use: `b₀`'s register holds p₃ once `b₀` is in rdx, `b₁`'s register is the high
/// half of every product once `b₁` is in rdx, and the first reduction puts its high half
/// in the then unused top word. Tested against fiat-crypto (`tests::p256_adx_*`).
///
/// # Safety
/// As for [`mont_mul`]: the CPU must support BMI2 and ADX.
#[inline(always)]
pub(super) unsafe fn mont_mul_rb(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    const P3: u64 = 0xffff_ffff_0000_0001;
    let (r0, r1, r2, r3): (u64, u64, u64, u64);
    // SAFETY: BMI2 and ADX are present (the caller's contract); the block reads the 32
    // bytes behind `a` and writes only registers.
    unsafe {
        asm!(
            "mov rdx, {b0}",
            "mov {b0}, {p3imm}",
            "mulx {x1}, {x0}, qword ptr [{a}]",
            "mulx {x2}, {lo}, qword ptr [{a} + 8]",
            "add {x1}, {lo}",
            "mulx {x3}, {lo}, qword ptr [{a} + 16]",
            "adc {x2}, {lo}",
            "mulx {x4}, {lo}, qword ptr [{a} + 24]",
            "adc {x3}, {lo}",
            "adc {x4}, 0",
            "mov rdx, {x0}",
            "mulx {x5}, {lo}, {b0}",
            "shl {x0}, 32",
            "shr rdx, 32",
            "add {x1}, {x0}",
            "adc {x2}, rdx",
            "adc {x3}, {lo}",
            "adc {x4}, {x5}",
            "mov {x5:e}, 0",
            "adc {x5}, 0",
            "mov rdx, {b1}",
            "xor {x0:e}, {x0:e}",
            "mulx {b1}, {lo}, qword ptr [{a}]",
            "adcx {x1}, {lo}",
            "adox {x2}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 8]",
            "adcx {x2}, {lo}",
            "adox {x3}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 16]",
            "adcx {x3}, {lo}",
            "adox {x4}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 24]",
            "adcx {x4}, {lo}",
            "adox {x5}, {b1}",
            "adox {x0}, {x0}",
            "adc {x5}, 0",
            "adc {x0}, 0",
            "mov rdx, {x1}",
            "mulx {b1}, {lo}, {b0}",
            "shl {x1}, 32",
            "shr rdx, 32",
            "add {x2}, {x1}",
            "adc {x3}, rdx",
            "adc {x4}, {lo}",
            "adc {x5}, {b1}",
            "adc {x0}, 0",
            "mov rdx, {b2}",
            "xor {x1:e}, {x1:e}",
            "mulx {b1}, {lo}, qword ptr [{a}]",
            "adcx {x2}, {lo}",
            "adox {x3}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 8]",
            "adcx {x3}, {lo}",
            "adox {x4}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 16]",
            "adcx {x4}, {lo}",
            "adox {x5}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 24]",
            "adcx {x5}, {lo}",
            "adox {x0}, {b1}",
            "adox {x1}, {x1}",
            "adc {x0}, 0",
            "adc {x1}, 0",
            "mov rdx, {x2}",
            "mulx {b1}, {lo}, {b0}",
            "shl {x2}, 32",
            "shr rdx, 32",
            "add {x3}, {x2}",
            "adc {x4}, rdx",
            "adc {x5}, {lo}",
            "adc {x0}, {b1}",
            "adc {x1}, 0",
            "mov rdx, {b3}",
            "xor {x2:e}, {x2:e}",
            "mulx {b1}, {lo}, qword ptr [{a}]",
            "adcx {x3}, {lo}",
            "adox {x4}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 8]",
            "adcx {x4}, {lo}",
            "adox {x5}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 16]",
            "adcx {x5}, {lo}",
            "adox {x0}, {b1}",
            "mulx {b1}, {lo}, qword ptr [{a} + 24]",
            "adcx {x0}, {lo}",
            "adox {x1}, {b1}",
            "adox {x2}, {x2}",
            "adc {x1}, 0",
            "adc {x2}, 0",
            "mov rdx, {x3}",
            "mulx {b1}, {lo}, {b0}",
            "shl {x3}, 32",
            "shr rdx, 32",
            "add {x4}, {x3}",
            "adc {x5}, rdx",
            "adc {x0}, {lo}",
            "adc {x1}, {b1}",
            "adc {x2}, 0",
            // t − p in place; the top word then is 0 (t ≥ p) or all ones (t < p).
            "mov {b2:e}, 0xffffffff",
            "sub {x4}, -1",
            "sbb {x5}, {b2}",
            "sbb {x0}, 0",
            "sbb {x1}, {b0}",
            "sbb {x2}, 0",
            "mov {b2:e}, {x2:e}",
            "and {b0}, {x2}",
            "add {x4}, {x2}",
            "adc {x5}, {b2}",
            "adc {x0}, 0",
            "adc {x1}, {b0}",
            p3imm = const P3,
            a = in(reg) a.as_ptr(),
            b0 = inout(reg) b[0] => _,
            b1 = inout(reg) b[1] => _,
            b2 = inout(reg) b[2] => _,
            b3 = inout(reg) b[3] => _,
            x0 = out(reg) r2,
            x1 = out(reg) r3,
            x2 = out(reg) _,
            x3 = out(reg) _,
            x4 = out(reg) r0,
            x5 = out(reg) r1,
            lo = out(reg) _,
            out("rdx") _,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}

/// `a²·2^−256 mod p`, a dedicated squaring (separated operand scanning).
///
/// 1. The 512-bit square: the six cross products `aᵢ·aⱼ` (i < j) once, doubled by the
///    `adcx` chain while the `adox` chain adds the four squares `aᵢ²` (10 `mulx`, not 16).
/// 2. Montgomery reduction of the low half `L = t₀ … t₃` alone, in four rounds over a
///    rotating four-limb buffer. With `q` the buffer's low limb, `(t + q·p)/2^64 =
///    ⌊t/2^64⌋ + q·2^32 + q·p₃·2^128` (the shape of p, as in [`mont_mul`]), which is below
///    `2^192 + 2^96 + (2^64 − 1)·p₃·2^128 < 2^256` for any `t < 2^256`: every round fits the
///    four limbs (the top limb is `hi(q·p₃)` plus a carry, at most `p₃ − 1 + 1`), and its
///    next quotient `t₁ + (q << 32)` is ready two instructions after q, so the four rounds
///    cost little more than their `mulx` latencies. The result `R = (L + Q·p)/2^256 ≤ p`.
/// 3. `a² R⁻¹ ≡ H + R` with `H = ⌊a²/2^256⌋ < p` (as `a < p`), so `H + R ≤ 2p − 1` takes
///    four limbs and a carry; p subtracted in place through the carry word leaves it 0
///    or all ones, the mask with which p is added back (as in [`mont_mul`]): the residue
///    below p.
///
/// Register use: 13 general registers (all Rust allows in `asm!` here), so the input
/// registers are reused: `a₀`'s register holds t₀ and then the buffer, `a₁`'s the top
/// limb t₇, `a₂`'s the constant p₃ (then its masked copy), `a₃`'s a shift temporary.
/// Tested against fiat-crypto's
/// `fiat_p256_square` (`tests::p256_adx_*`).
///
/// # Safety
/// As for [`mont_mul`]: the CPU must support BMI2 and ADX.
#[inline(always)]
pub(super) unsafe fn mont_square(a: &[u64; 4]) -> [u64; 4] {
    const P3: u64 = 0xffff_ffff_0000_0001;
    let (r0, r1, r2, r3): (u64, u64, u64, u64);
    // SAFETY: BMI2 and ADX are present (the caller's contract); the block reads and
    // writes registers only.
    unsafe {
        asm!(
        "mov rdx, {a0}",
        "mulx {t2}, {t1}, {a1}",
        "mulx {t3}, {lo}, {a2}",
        "add {t2}, {lo}",
        "mulx {t4}, {lo}, {a3}",
        "adc {t3}, {lo}",
        "adc {t4}, 0",
        "mov rdx, {a1}",
        "xor {t5:e}, {t5:e}",
        "mulx {hi}, {lo}, {a2}",
        "adcx {t3}, {lo}",
        "adox {t4}, {hi}",
        "mulx {hi}, {lo}, {a3}",
        "adcx {t4}, {lo}",
        "adox {t5}, {hi}",
        "mov {t6:e}, 0",
        "adcx {t5}, {t6}",
        "mov rdx, {a2}",
        "mulx {t6}, {lo}, {a3}",
        "add {t5}, {lo}",
        "adc {t6}, 0",
        // double t1..t6 (carry into t7 = a1's register), add the squares; t0 = a0's register
        "mov rdx, {a0}",
        "mulx {hi}, {a0}, rdx",
        "mov rdx, {a1}",
        "xor {a1:e}, {a1:e}",
        "adcx {t1}, {t1}",
        "adox {t1}, {hi}",
        "mulx {hi}, {lo}, rdx",
        "adcx {t2}, {t2}",
        "adox {t2}, {lo}",
        "adcx {t3}, {t3}",
        "adox {t3}, {hi}",
        "mov rdx, {a2}",
        "mulx {hi}, {lo}, rdx",
        "adcx {t4}, {t4}",
        "adox {t4}, {lo}",
        "adcx {t5}, {t5}",
        "adox {t5}, {hi}",
        "mov rdx, {a3}",
        "mulx {hi}, {lo}, rdx",
        "adcx {t6}, {t6}",
        "adox {t6}, {lo}",
        "adcx {a1}, {a1}",
        "adox {a1}, {hi}",
        "mov {a2}, {p3imm}",
        // reduce t0 (a0) t1 t2 t3: q = low limb
        "mov rdx, {a0}",
        "mulx {hi}, {lo}, {a2}",
        "mov {a3}, {a0}",
        "shl {a3}, 32",
        "shr {a0}, 32",
        "add {t1}, {a3}",
        "adc {t2}, {a0}",
        "adc {t3}, {lo}",
        "adc {hi}, 0",
        "mov {a0}, {hi}",
        // buffer t1 t2 t3 a0
        "mov rdx, {t1}",
        "mulx {hi}, {lo}, {a2}",
        "mov {a3}, {t1}",
        "shl {a3}, 32",
        "shr {t1}, 32",
        "add {t2}, {a3}",
        "adc {t3}, {t1}",
        "adc {a0}, {lo}",
        "adc {hi}, 0",
        "mov {t1}, {hi}",
        // t2 t3 a0 t1
        "mov rdx, {t2}",
        "mulx {hi}, {lo}, {a2}",
        "mov {a3}, {t2}",
        "shl {a3}, 32",
        "shr {t2}, 32",
        "add {t3}, {a3}",
        "adc {a0}, {t2}",
        "adc {t1}, {lo}",
        "adc {hi}, 0",
        "mov {t2}, {hi}",
        // t3 a0 t1 t2
        "mov rdx, {t3}",
        "mulx {hi}, {lo}, {a2}",
        "mov {a3}, {t3}",
        "shl {a3}, 32",
        "shr {t3}, 32",
        "add {a0}, {a3}",
        "adc {t1}, {t3}",
        "adc {t2}, {lo}",
        "adc {hi}, 0",
        // R = a0 t1 t2 hi; sum = H + R into t4 t5 t6 a1 (t7), carry t3
        "xor {t3:e}, {t3:e}",
        "add {t4}, {a0}",
        "adc {t5}, {t1}",
        "adc {t6}, {t2}",
        "adc {a1}, {hi}",
        "adc {t3}, 0",
        // (H + R) − p in place; the top word t3 then is 0 or all ones (add p back).
        "mov {lo:e}, 0xffffffff",
        "sub {t4}, -1",
        "sbb {t5}, {lo}",
        "sbb {t6}, 0",
        "sbb {a1}, {a2}",
        "sbb {t3}, 0",
        "mov {lo:e}, {t3:e}",
        "and {a2}, {t3}",
        "add {t4}, {t3}",
        "adc {t5}, {lo}",
        "adc {t6}, 0",
        "adc {a1}, {a2}",
        p3imm = const P3,
        a0 = inout(reg) a[0] => _, a1 = inout(reg) a[1] => r3, a2 = inout(reg) a[2] => _, a3 = inout(reg) a[3] => _,
        t1 = out(reg) _, t2 = out(reg) _, t3 = out(reg) _,
        t4 = out(reg) r0, t5 = out(reg) r1, t6 = out(reg) r2,
        lo = out(reg) _, hi = out(reg) _,
        out("rdx") _,
        options(pure, nomem, nostack),
        );
    }
    [r0, r1, r2, r3]
}

/// `a + b mod p` for `a, b < p`, in plain x86-64 (`add`/`adc`/`sbb`, no CPU feature).
///
/// `s = a + b < 2p` takes four limbs and a carry word; `s − p` is computed in place
/// through the carry word, which then is all ones exactly when `s < p`: the mask with
/// which p is added back (as in [`mont_mul`]; no branch, no `cmov`, which the valgrind
/// harness would rightly report on secret data). The constants live in the operand
/// registers `b` frees. 20 instructions; the earlier form that kept `s` and `s − p` and
/// selected with xor/and (27, two cycles shorter latency) made the issue 14 k·P 2.5 %
/// slower. About 24 cycles of latency for the portable Rust, whose carries LLVM
/// materialises with `setb`.
#[cfg_attr(tsubaki_ec_backend = "portable", allow(dead_code))] // the tests still compare it
#[inline(always)]
pub(super) fn add(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    const P3: u64 = 0xffff_ffff_0000_0001;
    let [mut a0, mut a1, mut a2, mut a3] = *a;
    // SAFETY: baseline x86-64 instructions on registers only.
    unsafe {
        asm!(
            "xor {c:e}, {c:e}",
            "add {a0}, {b0}",
            "adc {a1}, {b1}",
            "adc {a2}, {b2}",
            "adc {a3}, {b3}",
            "adc {c}, 0",
            // s − p in place; c then is 0 (s ≥ p) or all ones (s < p: add p back).
            "mov {b1:e}, 0xffffffff",
            "mov {b3}, {p3}",
            "sub {a0}, -1",
            "sbb {a1}, {b1}",
            "sbb {a2}, 0",
            "sbb {a3}, {b3}",
            "sbb {c}, 0",
            "mov {b1:e}, {c:e}",
            "and {b3}, {c}",
            "add {a0}, {c}",
            "adc {a1}, {b1}",
            "adc {a2}, 0",
            "adc {a3}, {b3}",
            a0 = inout(reg) a0,
            a1 = inout(reg) a1,
            a2 = inout(reg) a2,
            a3 = inout(reg) a3,
            b0 = in(reg) b[0],
            b1 = inout(reg) b[1] => _,
            b2 = in(reg) b[2],
            b3 = inout(reg) b[3] => _,
            c = out(reg) _,
            p3 = const P3,
            options(pure, nomem, nostack),
        );
    }
    [a0, a1, a2, a3]
}

/// `a − b mod p` for `a, b < p`, in plain x86-64: the four-limb difference, then p masked
/// by the borrow (`sbb m, m`: 0 or all ones) added back. The masked limbs of p are
/// `m`, `m mod 2^32` (a 32-bit `mov` of m), 0 and `m & p₃`. The result is `a − b` or
/// `a − b + p`, both below p; the final carry is dropped (it only undoes the wrap-around).
#[cfg_attr(tsubaki_ec_backend = "portable", allow(dead_code))] // the tests still compare it
#[inline(always)]
pub(super) fn sub(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    const P3: u64 = 0xffff_ffff_0000_0001;
    let [mut a0, mut a1, mut a2, mut a3] = *a;
    // SAFETY: baseline x86-64 instructions on registers only.
    unsafe {
        asm!(
            "sub {a0}, {b0}",
            "sbb {a1}, {b1}",
            "sbb {a2}, {b2}",
            "sbb {a3}, {b3}",
            "sbb {m}, {m}",
            "mov {b1:e}, {m:e}",
            "mov {b3}, {p3}",
            "and {b3}, {m}",
            "add {a0}, {m}",
            "adc {a1}, {b1}",
            "adc {a2}, 0",
            "adc {a3}, {b3}",
            a0 = inout(reg) a0,
            a1 = inout(reg) a1,
            a2 = inout(reg) a2,
            a3 = inout(reg) a3,
            b0 = in(reg) b[0],
            b1 = inout(reg) b[1] => _,
            b2 = in(reg) b[2],
            b3 = inout(reg) b[3] => _,
            m = out(reg) _,
            p3 = const P3,
            options(pure, nomem, nostack),
        );
    }
    [a0, a1, a2, a3]
}

/// `a/2 mod p` for `a < p`, in plain x86-64: p masked by a's low bit (`neg` of the bit
/// gives 0 or all ones, the masked limbs of p as in [`sub`]) is added, which makes the
/// 257-bit sum even, and the sum is shifted right by one across its five words. For odd
/// a the result is `(a + p)/2 < p`, for even a it is `a/2`; no branch, no `cmov`.
#[inline(always)]
pub(super) fn half(a: &[u64; 4]) -> [u64; 4] {
    const P3: u64 = 0xffff_ffff_0000_0001;
    let [mut a0, mut a1, mut a2, mut a3] = *a;
    // SAFETY: baseline x86-64 instructions on registers only.
    unsafe {
        asm!(
            "mov {m}, {a0}",
            "and {m}, 1",
            "neg {m}",
            "mov {m1:e}, {m:e}",
            "mov {m3}, {p3}",
            "and {m3}, {m}",
            "xor {c:e}, {c:e}",
            "add {a0}, {m}",
            "adc {a1}, {m1}",
            "adc {a2}, 0",
            "adc {a3}, {m3}",
            "adc {c}, 0",
            "shrd {a0}, {a1}, 1",
            "shrd {a1}, {a2}, 1",
            "shrd {a2}, {a3}, 1",
            "shrd {a3}, {c}, 1",
            a0 = inout(reg) a0,
            a1 = inout(reg) a1,
            a2 = inout(reg) a2,
            a3 = inout(reg) a3,
            m = out(reg) _,
            m1 = out(reg) _,
            m3 = out(reg) _,
            c = out(reg) _,
            p3 = const P3,
            options(pure, nomem, nostack),
        );
    }
    [a0, a1, a2, a3]
}
