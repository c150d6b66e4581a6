//! Montgomery arithmetic modulo an odd modulus that may be secret (p², q², p, q) or
//! public (n²), portable `u64` code.
//!
//! Representation: a value x mod m is held as x·R mod m with R = 2^(64·k), k = the
//! modulus' limb count, fully reduced (in [0, m)). Multiplication is the CIOS/FIOS
//! interleaving of Koç, Acar and Kaliski ("Analyzing and comparing Montgomery
//! multiplication algorithms", IEEE Micro 1996) with **one masked final subtraction**:
//! the intermediate t stays below 2m (a, b < m ⇒ (ab + um)/R < 2m), so a single
//! subtract-if-≥-m, done with a mask, reduces it — no data-dependent branch.
//!
//! Building a context is constant-time too (the modulus may be secret): −m⁻¹ mod 2⁶⁴ by
//! Newton's iteration, R mod m and R² mod m by 2·64·k masked modular doublings.
#![deny(unsafe_code)]

use alloc::vec;
use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

use super::limbs::{
    self, adc, bit, lt_bit, mac, mask_from_bit, masked_sub_assign, select_assign, window,
};

/// Precomputed constants for Montgomery arithmetic modulo one odd modulus.
#[derive(Clone)]
pub struct Monty {
    /// The modulus, k limbs, little-endian.
    pub(crate) m: Vec<u64>,
    /// −m⁻¹ mod 2⁶⁴.
    pub(crate) m0inv: u64,
    /// R mod m (the Montgomery form of 1).
    pub(crate) one: Vec<u64>,
    /// R² mod m (multiplying by it converts into Montgomery form).
    pub(crate) r2: Vec<u64>,
    /// The AVX-512 IFMA backend, if this CPU has it (detected once, here).
    #[cfg(target_arch = "x86_64")]
    pub(crate) ifma: Option<super::x86::Ifma>,
    /// The BMI2/ADX backend, if this CPU has it and IFMA is not used (detected once, here).
    #[cfg(target_arch = "x86_64")]
    pub(crate) adx: Option<super::x86::Adx>,
}

impl core::fmt::Debug for Monty {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The modulus may be secret (p²): print its size only.
        f.debug_struct("Monty")
            .field("limbs", &self.m.len())
            .finish_non_exhaustive()
    }
}

impl Zeroize for Monty {
    fn zeroize(&mut self) {
        self.m.zeroize();
        self.m0inv.zeroize();
        self.one.zeroize();
        self.r2.zeroize();
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = self.ifma.as_mut() {
            f.zeroize();
        }
    }
}

impl Drop for Monty {
    fn drop(&mut self) {
        self.zeroize();
    }
}

/// `x = 2x mod m` for x < m (k limbs), constant-time.
pub(crate) fn double_mod(x: &mut [u64], m: &[u64]) {
    let mut carry = 0;
    for xi in x.iter_mut() {
        let top = *xi >> 63;
        *xi = (*xi << 1) | carry;
        carry = top;
    }
    // Subtract m if 2x ≥ m: either the doubling carried out, or x ≥ m without it.
    let need = carry | (lt_bit(x, m) ^ 1);
    let _ = masked_sub_assign(x, m, mask_from_bit(need));
}

impl Monty {
    /// A context for the odd modulus `m` (k limbs, 1 ≤ k ≤ [`MAX_LIMBS`]; the top limb may
    /// be zero, but m must be odd and at least 3). Constant-time in m's value; `None` if
    /// m is even or < 3 (the caller has checked this publicly already for secret moduli)
    /// or k is out of range.
    pub(crate) fn new(m: Vec<u64>) -> Option<Self> {
        // The modulus may be secret (p, p²): wiped if it is refused.
        let mut m = Zeroizing::new(m);
        let k = m.len();
        if k == 0 || k > MAX_LIMBS {
            return None;
        }
        let odd = m[0] & 1;
        let small = limbs::lt_bit(&m, &{
            let mut three = vec![0u64; k];
            three[0] = 3;
            three
        });
        let bad = (odd ^ 1) | small;
        crate::ct::declassify(&bad);
        if core::hint::black_box(bad) != 0 {
            return None;
        }
        let m0inv = limbs::neg_inv64(m[0]);
        // 1 mod m, then doubled 64k times: R mod m; 64k more: R² mod m.
        let mut x = vec![0u64; k];
        x[0] = 1;
        for _ in 0..64 * k {
            double_mod(&mut x, &m);
        }
        let one = x.clone();
        for _ in 0..64 * k {
            double_mod(&mut x, &m);
        }
        #[cfg(target_arch = "x86_64")]
        let ifma = super::x86::Ifma::new(&m, &one);
        Some(Monty {
            m: core::mem::take(&mut *m),
            m0inv,
            one,
            r2: x,
            #[cfg(target_arch = "x86_64")]
            adx: super::x86::Adx::detect().filter(|_| ifma.is_none()),
            #[cfg(target_arch = "x86_64")]
            ifma,
        })
    }

    /// A context for an odd modulus m ≥ R/4 (its top limb at least 2⁶²), built in about
    /// twenty multiplications instead of [`new`](Self::new)'s 128·k doublings: for such m,
    /// R mod m = (R − m) reduced by at most two masked subtractions (R − m ≤ 3m), and
    /// R² mod m is 2^(64k) in Montgomery form, by a square-and-double ladder on the public
    /// exponent 64k starting from 2·R mod m. Constant-time in m; `None` (a declassified
    /// verdict, always 1 for the prime candidates that call this: their top two bits are
    /// set) if m is even or below R/4.
    pub(crate) fn new_large(m: Vec<u64>) -> Option<Self> {
        let k = m.len();
        if k == 0 {
            return None;
        }
        let bad = ((m[0] & 1) ^ 1) | limbs::is_zero_bit(m[k - 1] >> 62);
        crate::ct::declassify(&bad);
        if core::hint::black_box(bad) != 0 {
            return None;
        }
        let m0inv = limbs::neg_inv64(m[0]);
        // R − m = −m mod R; then at most two subtractions of m (R − m ≤ 3m for m ≥ R/4).
        let mut one = vec![0u64; k];
        let _ = limbs::sub_assign(&mut one, &m);
        for _ in 0..2 {
            let ge = lt_bit(&one, &m) ^ 1;
            let _ = masked_sub_assign(&mut one, &m, mask_from_bit(ge));
        }
        // x = 2^e·R mod m for e growing along the bits of 64k (public), ending at e = 64k.
        let e = 64 * k;
        let mut x = one.clone();
        double_mod(&mut x, &m); // 2·R: e = 1 (the top bit of 64k)
        let mut t = vec![0u64; k];
        for i in (0..usize::BITS - 1 - e.leading_zeros()).rev() {
            mont_sqr_portable(&mut t, &x, &m, m0inv);
            core::mem::swap(&mut t, &mut x);
            if (e >> i) & 1 == 1 {
                double_mod(&mut x, &m);
            }
        }
        t.zeroize();
        #[cfg(target_arch = "x86_64")]
        let ifma = super::x86::Ifma::new(&m, &one);
        Some(Monty {
            m,
            m0inv,
            one,
            r2: x,
            #[cfg(target_arch = "x86_64")]
            adx: super::x86::Adx::detect().filter(|_| ifma.is_none()),
            #[cfg(target_arch = "x86_64")]
            ifma,
        })
    }

    /// The multiplication backend in use (see [`super::Modulus::backend`]).
    pub(crate) fn backend(&self) -> &'static str {
        #[cfg(target_arch = "x86_64")]
        if self.ifma.is_some() {
            return "avx512ifma";
        }
        #[cfg(target_arch = "x86_64")]
        if self.adx.is_some() {
            return "bmi2-adx";
        }
        "portable"
    }

    /// Number of limbs k.
    #[inline]
    pub(crate) fn limbs(&self) -> usize {
        self.m.len()
    }

    /// The modulus.
    pub(crate) fn modulus(&self) -> &[u64] {
        &self.m
    }

    /// `out = a·b·R⁻¹ mod m`, for a·b < m·R (e.g. a, b < m; or a < R and b < m).
    /// `out` may not alias the inputs; all have k limbs. `t` is scratch of k+2 limbs.
    #[inline]
    pub(crate) fn mul_into(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        let k = self.m.len();
        debug_assert!(a.len() == k && b.len() == k && out.len() == k);
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = &self.ifma {
            f.mul64(out, a, b);
            return;
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(x) = self.adx {
            x.mont_mul(out, a, b, &self.m, self.m0inv);
            return;
        }
        mont_mul_portable(out, a, b, &self.m, self.m0inv);
    }

    /// a·b·R⁻¹ mod m into a new vector.
    pub(crate) fn mul(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        let mut out = vec![0u64; self.m.len()];
        self.mul_into(&mut out, a, b);
        out
    }

    /// x·R mod m (into Montgomery form) for any k-limb x (x < R).
    pub(crate) fn to_mont(&self, x: &[u64]) -> Vec<u64> {
        self.mul(x, &self.r2)
    }

    /// x·R⁻¹ mod m (out of Montgomery form), fully reduced.
    pub(crate) fn out_of_mont(&self, x: &[u64]) -> Vec<u64> {
        let mut one = vec![0u64; self.m.len()];
        one[0] = 1;
        self.mul(x, &one)
    }

    /// `x mod m` for `x` of up to 2k limbs (missing limbs zero), constant-time; works for
    /// a secret modulus (no division): with x = xh·R + xl,
    /// x ≡ (xh·R⁻¹·R² ...) — computed as ((xh mod m) + xl·R⁻¹)·R² · R⁻¹.
    /// Every intermediate is wiped (x or m may be secret).
    pub(crate) fn reduce_wide(&self, x: &[u64]) -> Vec<u64> {
        let k = self.m.len();
        debug_assert!(x.len() <= 2 * k);
        let mut xl = Zeroizing::new(vec![0u64; k]);
        let mut xh = Zeroizing::new(vec![0u64; k]);
        for (i, &xi) in x.iter().enumerate() {
            if i < k {
                xl[i] = xi;
            } else {
                xh[i - k] = xi;
            }
        }
        // xh mod m = REDC(REDC(xh·R²)) with xh < R, R² mod m < m: each product < m·R.
        let xh_mont = Zeroizing::new(self.to_mont(&xh));
        let xh_red = Zeroizing::new(self.out_of_mont(&xh_mont));
        // xl·R⁻¹ mod m.
        let xl_r = Zeroizing::new(self.out_of_mont(&xl));
        // z = xh + xl·R⁻¹ ≡ x·R⁻¹; then z·R²·R⁻¹ = x·R... so one more REDC of z·R² gives x.
        let z = Zeroizing::new(self.add(&xh_red, &xl_r));
        // (x·R⁻¹)·R²·R⁻¹ = x mod m.
        self.mul(&z, &self.r2)
    }

    /// (a + b) mod m for a, b < m.
    pub(crate) fn add(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        let mut s = a.to_vec();
        let carry = limbs::add_assign(&mut s, b);
        let need = carry | (lt_bit(&s, &self.m) ^ 1);
        let _ = masked_sub_assign(&mut s, &self.m, mask_from_bit(need));
        s
    }

    /// (a − b) mod m for a, b < m.
    pub(crate) fn sub(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        let mut d = a.to_vec();
        let borrow = limbs::sub_assign(&mut d, b);
        let _ = limbs::masked_add_assign(&mut d, &self.m, mask_from_bit(borrow));
        d
    }

    /// base^exp in Montgomery form, **constant-time in base and exponent**: fixed 5-bit
    /// windows over all `64·exp.len()` bits (a public length), each table entry read with
    /// a mask. `base` is in Montgomery form (k limbs).
    pub(crate) fn pow_secret(&self, base: &[u64], exp: &[u64]) -> Vec<u64> {
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = &self.ifma {
            // The base and the power in the IFMA domain are wiped after use.
            let b = Zeroizing::new(f.enter(base));
            let r = Zeroizing::new(pow_secret_with(f, &b, exp));
            return f.leave(&r, self.m.len());
        }
        pow_secret_with(&Single(self), base, exp)
    }

    /// base^exp in Montgomery form for a **public** exponent (sliding window; the time
    /// depends on the exponent only; table indices come from its bits). The base may be
    /// secret.
    pub(crate) fn pow_public_vartime(&self, base: &[u64], exp: &[u64]) -> Vec<u64> {
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = &self.ifma {
            // The base may be secret (r of rⁿ): wiped after use, like its power.
            let b = Zeroizing::new(f.enter(base));
            let r = Zeroizing::new(pow_public_with_vartime(f, &b, exp));
            return f.leave(&r, self.m.len());
        }
        pow_public_with_vartime(&Single(self), base, exp)
    }

    /// `out = a²·R⁻¹ mod m`.
    #[inline]
    pub(crate) fn sqr_into(&self, out: &mut [u64], a: &[u64]) {
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = &self.ifma {
            f.mul64(out, a, a);
            return;
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(x) = self.adx {
            x.mont_sqr(out, a, &self.m, self.m0inv);
            return;
        }
        mont_sqr_portable(out, a, &self.m, self.m0inv);
    }

    /// The table [1, b, b², ..., b^(count−1)] (Montgomery form), flattened.
    pub(crate) fn power_table(&self, base: &[u64], count: usize) -> Vec<u64> {
        power_table_with(&Single(self), base, count)
    }
}

/// The context's own single operations (which use a platform backend when present).
struct Single<'a>(&'a Monty);

impl Engine for Single<'_> {
    fn digits(&self) -> usize {
        self.0.m.len()
    }
    fn one(&self) -> &[u64] {
        &self.0.one
    }
    fn mul(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        self.0.mul_into(out, a, b);
    }
    fn sqr(&self, out: &mut [u64], a: &[u64]) {
        self.0.sqr_into(out, a);
    }
}

/// `out = table[idx]` (entries of `k` limbs) reading **every** entry with a mask, so the
/// memory addresses do not depend on the secret index.
#[inline]
pub(crate) fn table_lookup(out: &mut [u64], table: &[u64], k: usize, idx: u64) {
    out.fill(0);
    for (i, entry) in table.chunks_exact(k).enumerate() {
        let mask = mask_from_bit(limbs::is_zero_bit(i as u64 ^ idx));
        for (o, &e) in out.iter_mut().zip(entry) {
            *o |= e & mask;
        }
    }
}

/// Portable Montgomery multiplication (FIOS: the product row and the reduction row share
/// one pass). Invariant: t < 2m after every outer step when a, b < m (or a < R, b < m),
/// so t fits in k limbs plus one bit (t[k] ∈ {0, 1}); the final masked subtraction leaves
/// out < m.
pub(crate) fn mont_mul_portable(out: &mut [u64], a: &[u64], b: &[u64], m: &[u64], m0inv: u64) {
    match m.len() {
        16 => mont_mul_fixed::<16>(out, a, b, m, m0inv),
        24 => mont_mul_fixed::<24>(out, a, b, m, m0inv),
        32 => mont_mul_fixed::<32>(out, a, b, m, m0inv),
        _ => mont_mul_generic(out, a, b, m, m0inv),
    }
}

/// [`mont_mul_portable`] for any k (loops over slices).
pub(crate) fn mont_mul_generic(out: &mut [u64], a: &[u64], b: &[u64], m: &[u64], m0inv: u64) {
    let k = m.len();
    // t[0..k] plus a top word `t_hi`.
    let t = out;
    t.fill(0);
    let mut t_hi = 0u64;
    for &bi in b.iter() {
        let (lo, mut c1) = mac(t[0], a[0], bi, 0);
        let u = lo.wrapping_mul(m0inv);
        let (_, mut c2) = mac(lo, u, m[0], 0);
        for j in 1..k {
            let x;
            (x, c1) = mac(t[j], a[j], bi, c1);
            (t[j - 1], c2) = mac(x, u, m[j], c2);
        }
        let (s, cc1) = adc(t_hi, c1, 0);
        let (s, cc2) = adc(s, c2, 0);
        t[k - 1] = s;
        t_hi = cc1 + cc2;
        debug_assert!(t_hi <= 1);
    }
    final_sub(t, t_hi, m);
}

/// Portable Montgomery squaring: the off-diagonal products once, doubled, plus the
/// diagonal, then a separate Montgomery reduction of the 2k-limb square (same bound and
/// same masked final subtraction as [`mont_mul_portable`]).
pub(crate) fn mont_sqr_portable(out: &mut [u64], a: &[u64], m: &[u64], m0inv: u64) {
    match m.len() {
        16 => mont_sqr_fixed::<16, 32>(out, a, m, m0inv),
        24 => mont_sqr_fixed::<24, 48>(out, a, m, m0inv),
        32 => mont_sqr_fixed::<32, 64>(out, a, m, m0inv),
        _ => mont_sqr_generic(out, a, m, m0inv),
    }
}

/// The same FIOS multiplication for a limb count N fixed at compile time (16, 24 and 32
/// limbs: the primes of 2048-, 3072- and 4096-bit keys and n of 2048 bits), so the loops
/// unroll and the operands stay in registers or on the stack; same bounds, same masked
/// final subtraction.
#[inline(never)]
fn mont_mul_fixed<const N: usize>(out: &mut [u64], a: &[u64], b: &[u64], m: &[u64], m0inv: u64) {
    let (a, b, m): (&[u64; N], &[u64; N], &[u64; N]) =
        match (a.try_into(), b.try_into(), m.try_into()) {
            (Ok(a), Ok(b), Ok(m)) => (a, b, m),
            _ => return mont_mul_generic(out, a, b, m, m0inv),
        };
    let mut t = [0u64; N];
    let mut t_hi = 0u64;
    for &bi in b.iter() {
        let (lo, mut c1) = mac(t[0], a[0], bi, 0);
        let u = lo.wrapping_mul(m0inv);
        let (_, mut c2) = mac(lo, u, m[0], 0);
        for j in 1..N {
            let x;
            (x, c1) = mac(t[j], a[j], bi, c1);
            (t[j - 1], c2) = mac(x, u, m[j], c2);
        }
        let (s, cc1) = adc(t_hi, c1, 0);
        let (s, cc2) = adc(s, c2, 0);
        t[N - 1] = s;
        t_hi = cc1 + cc2;
    }
    out.copy_from_slice(&t);
    t.zeroize();
    final_sub(out, t_hi, m);
}

/// Montgomery squaring for a limb count N fixed at compile time (W = 2N), as
/// [`mont_sqr_generic`].
#[inline(never)]
fn mont_sqr_fixed<const N: usize, const W: usize>(
    out: &mut [u64],
    a: &[u64],
    m: &[u64],
    m0inv: u64,
) {
    debug_assert_eq!(W, 2 * N);
    let (a, m): (&[u64; N], &[u64; N]) = match (a.try_into(), m.try_into()) {
        (Ok(a), Ok(m)) => (a, m),
        _ => return mont_sqr_generic(out, a, m, m0inv),
    };
    let mut w = [0u64; W];
    for i in 0..N {
        let mut carry = 0;
        for j in i + 1..N {
            (w[i + j], carry) = mac(w[i + j], a[i], a[j], carry);
        }
        w[i + N] = carry;
    }
    let mut top = 0;
    for wi in w.iter_mut() {
        let t = *wi >> 63;
        *wi = (*wi << 1) | top;
        top = t;
    }
    let mut carry = 0;
    for i in 0..N {
        let sq = (a[i] as u128) * (a[i] as u128);
        let (lo, c) = adc(w[2 * i], sq as u64, carry);
        let (hi, c2) = adc(w[2 * i + 1], (sq >> 64) as u64, c);
        w[2 * i] = lo;
        w[2 * i + 1] = hi;
        carry = c2;
    }
    let mut carry_hi = 0u64;
    for i in 0..N {
        let u = w[i].wrapping_mul(m0inv);
        let mut c = 0;
        for j in 0..N {
            (w[i + j], c) = mac(w[i + j], u, m[j], c);
        }
        let (s, c1) = adc(w[i + N], c, carry_hi);
        w[i + N] = s;
        carry_hi = c1;
    }
    out.copy_from_slice(&w[N..]);
    w.zeroize();
    final_sub(out, carry_hi, m);
}

/// [`mont_sqr_portable`] for any k (loops over slices).
pub(crate) fn mont_sqr_generic(out: &mut [u64], a: &[u64], m: &[u64], m0inv: u64) {
    let k = m.len();
    let mut w = [0u64; 2 * MAX_STACK_LIMBS];
    if k > MAX_STACK_LIMBS {
        mont_mul_generic(out, a, a, m, m0inv);
        return;
    }
    let w = &mut w[..2 * k];
    // Off-diagonal: sum_{i<j} a_i a_j 2^(64(i+j)).
    for i in 0..k {
        let mut carry = 0;
        for j in i + 1..k {
            (w[i + j], carry) = mac(w[i + j], a[i], a[j], carry);
        }
        w[i + k] = carry;
    }
    double_add_diagonal(w, a);
    // a² < m² < R·m, so Montgomery reduction gives < 2m.
    redc(out, w, m, m0inv);
    w.zeroize();
}

/// Squaring's middle step: w (2k limbs, the off-diagonal sum Σ_{i<j} aᵢaⱼ) ← 2w + Σ aᵢ².
#[inline]
pub(crate) fn double_add_diagonal(w: &mut [u64], a: &[u64]) {
    let mut top = 0;
    for wi in w.iter_mut() {
        let t = *wi >> 63;
        *wi = (*wi << 1) | top;
        top = t;
    }
    let mut carry = 0;
    for (i, &ai) in a.iter().enumerate() {
        let (lo, hi) = mac(0, ai, ai, 0);
        let (x, c) = adc(w[2 * i], lo, carry);
        let (y, c2) = adc(w[2 * i + 1], hi, c);
        w[2 * i] = x;
        w[2 * i + 1] = y;
        carry = c2;
    }
}

/// Limb count up to which squaring keeps its 2k-limb buffer on the stack (8192-bit
/// moduli: n² of 4096-bit keys).
const MAX_STACK_LIMBS: usize = 128;

/// The largest modulus a context is built for, in limbs (8192 bits: n² of 4096-bit keys).
/// Building one costs O(k²) time, so the length is bounded (issue 18).
pub(crate) const MAX_LIMBS: usize = MAX_STACK_LIMBS;

/// Montgomery reduction of the 2k-limb `w` (< m·R) into `out` (< m), destroying `w`.
fn redc(out: &mut [u64], w: &mut [u64], m: &[u64], m0inv: u64) {
    let k = m.len();
    let mut carry_hi = 0u64;
    for i in 0..k {
        let u = w[i].wrapping_mul(m0inv);
        let mut c = 0;
        for j in 0..k {
            (w[i + j], c) = mac(w[i + j], u, m[j], c);
        }
        // Add c into w[i + k], carrying the previous outer step's carry too.
        let (s, c1) = adc(w[i + k], c, carry_hi);
        w[i + k] = s;
        carry_hi = c1;
    }
    out.copy_from_slice(&w[k..2 * k]);
    final_sub(out, carry_hi, m);
}

/// t (k limbs plus the bit `hi`) < 2m → t mod m, with a masked subtraction.
#[inline(always)]
pub(crate) fn final_sub(t: &mut [u64], hi: u64, m: &[u64]) {
    // Compute t − m; keep it if there was no borrow beyond the top bit.
    let mut d = [0u64; MAX_STACK_LIMBS];
    let k = m.len();
    if k > MAX_STACK_LIMBS {
        // Very large moduli (not used by Paillier's sizes): same logic on the heap.
        let mut dv = t.to_vec();
        let borrow = limbs::sub_assign(&mut dv, m);
        let (_, b2) = limbs::sbb(hi, 0, borrow);
        select_assign(t, &dv, mask_from_bit(b2 ^ 1));
        dv.zeroize();
        return;
    }
    let d = &mut d[..k];
    let mut borrow = 0;
    for j in 0..k {
        (d[j], borrow) = limbs::sbb(t[j], m[j], borrow);
    }
    let (_, b2) = limbs::sbb(hi, 0, borrow);
    // b2 = 1 means t < m: keep t.
    select_assign(t, d, mask_from_bit(b2 ^ 1));
    d.zeroize();
}

/// A fixed-base table for exponents of at most `exp_bits` bits: entry (i, j) =
/// base^(j·2^(W·i)) in Montgomery form, so base^e is one multiplication per W-bit window
/// of e with no squarings, each entry read with a mask.
#[derive(Clone)]
pub(crate) struct FixedBase {
    table: Vec<u64>,
    windows: usize,
}

impl FixedBase {
    const W: usize = 4;

    /// Builds the table for `base` (Montgomery form) and exponents of `exp_bits` bits.
    pub(crate) fn new(ctx: &Monty, base: &[u64], exp_bits: usize) -> Self {
        let k = ctx.limbs();
        let windows = exp_bits.div_ceil(Self::W);
        let per = 1usize << Self::W;
        let mut table = Vec::with_capacity(windows * per * k);
        let mut b = base.to_vec();
        for _ in 0..windows {
            table.extend_from_slice(&Zeroizing::new(ctx.power_table(&b, per)));
            // b ← b^(2^W)
            for _ in 0..Self::W {
                b = ctx.mul(&b, &b);
            }
        }
        b.zeroize();
        FixedBase { table, windows }
    }

    /// base^e in Montgomery form, constant-time in `e` (limbs, at most the table's bits).
    pub(crate) fn pow(&self, ctx: &Monty, e: &[u64]) -> Vec<u64> {
        let k = ctx.limbs();
        let per = 1usize << Self::W;
        let mut acc = ctx.one.clone();
        let mut entry = vec![0u64; k];
        let mut tmp = vec![0u64; k];
        for i in 0..self.windows {
            let idx = window(e, i * Self::W, Self::W);
            table_lookup(
                &mut entry,
                &self.table[i * per * k..(i + 1) * per * k],
                k,
                idx,
            );
            ctx.mul_into(&mut tmp, &acc, &entry);
            core::mem::swap(&mut tmp, &mut acc);
        }
        entry.zeroize();
        tmp.zeroize();
        acc
    }
}

impl Drop for FixedBase {
    fn drop(&mut self) {
        self.table.zeroize();
    }
}

/// A Montgomery multiplier: the portable code, or a platform backend with its own
/// representation (values in its domain, `one` its form of 1).
pub(crate) trait Engine {
    /// Digits (limbs) per value.
    fn digits(&self) -> usize;
    /// The engine's form of 1.
    fn one(&self) -> &[u64];
    /// out = a·b (Montgomery product in the engine's domain).
    fn mul(&self, out: &mut [u64], a: &[u64], b: &[u64]);
    /// out = a².
    fn sqr(&self, out: &mut [u64], a: &[u64]);
}

/// The portable engine over a context (the reference the tests compare backends with).
#[cfg(test)]
pub(crate) struct Portable<'a>(pub(crate) &'a Monty);

#[cfg(test)]
impl Engine for Portable<'_> {
    fn digits(&self) -> usize {
        self.0.m.len()
    }
    fn one(&self) -> &[u64] {
        &self.0.one
    }
    #[inline]
    fn mul(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        mont_mul_portable(out, a, b, &self.0.m, self.0.m0inv);
    }
    #[inline]
    fn sqr(&self, out: &mut [u64], a: &[u64]) {
        mont_sqr_portable(out, a, &self.0.m, self.0.m0inv);
    }
}

#[cfg(target_arch = "x86_64")]
impl Engine for super::x86::Ifma {
    fn digits(&self) -> usize {
        super::x86::Ifma::digits(self)
    }
    fn one(&self) -> &[u64] {
        &self.one
    }
    #[inline]
    fn mul(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        self.amm(out, a, b);
    }
    #[inline]
    fn sqr(&self, out: &mut [u64], a: &[u64]) {
        self.amm(out, a, a);
    }
}

/// The table [1, b, b², …, b^(count−1)] in the engine's domain, flattened.
fn power_table_with<E: Engine>(e: &E, base: &[u64], count: usize) -> Vec<u64> {
    let k = e.digits();
    let mut table = vec![0u64; count * k];
    table[..k].copy_from_slice(e.one());
    if count > 1 {
        table[k..2 * k].copy_from_slice(base);
    }
    for i in 2..count {
        let (prev, cur) = table.split_at_mut(i * k);
        if i % 2 == 0 {
            e.sqr(&mut cur[..k], &prev[(i / 2) * k..(i / 2) * k + k]);
        } else {
            e.mul(&mut cur[..k], &prev[(i - 1) * k..], base);
        }
    }
    table
}

/// Fixed-window exponentiation, constant-time in base and exponent (see
/// [`Monty::pow_secret`]).
pub(crate) fn pow_secret_with<E: Engine>(e: &E, base: &[u64], exp: &[u64]) -> Vec<u64> {
    const W: usize = 5;
    let k = e.digits();
    let mut table = power_table_with(e, base, 1 << W);
    let nbits = 64 * exp.len();
    let mut acc = e.one().to_vec();
    let mut tmp = vec![0u64; k];
    let mut entry = vec![0u64; k];
    let mut pos = nbits.div_ceil(W) * W;
    let mut first = true;
    while pos > 0 {
        let take = W.min(pos);
        pos -= take;
        if !first {
            for _ in 0..take {
                e.sqr(&mut tmp, &acc);
                core::mem::swap(&mut tmp, &mut acc);
            }
        }
        let idx = window(exp, pos, take);
        table_lookup(&mut entry, &table, k, idx);
        if first {
            acc.copy_from_slice(&entry);
            first = false;
        } else {
            e.mul(&mut tmp, &acc, &entry);
            core::mem::swap(&mut tmp, &mut acc);
        }
    }
    tmp.zeroize();
    entry.zeroize();
    table.zeroize();
    acc
}

/// Sliding-window exponentiation by a public exponent (see [`Monty::pow_public_vartime`]).
pub(crate) fn pow_public_with_vartime<E: Engine>(e: &E, base: &[u64], exp: &[u64]) -> Vec<u64> {
    let k = e.digits();
    let nbits = limbs::bits_vartime(exp);
    if nbits == 0 {
        return e.one().to_vec();
    }
    let w = match nbits {
        0..=64 => 3,
        65..=512 => 4,
        513..=1536 => 5,
        _ => 6,
    };
    // Odd powers base^1, base^3, ..., base^(2^w − 1).
    let half = 1usize << (w - 1);
    let mut odd = vec![0u64; half * k];
    odd[..k].copy_from_slice(base);
    let mut b2 = vec![0u64; k];
    e.sqr(&mut b2, base);
    for i in 1..half {
        let (prev, cur) = odd.split_at_mut(i * k);
        e.mul(&mut cur[..k], &prev[(i - 1) * k..], &b2);
    }
    let mut acc = e.one().to_vec();
    let mut tmp = vec![0u64; k];
    let mut started = false;
    let mut i = nbits as isize - 1;
    while i >= 0 {
        if bit(exp, i as usize) == 0 {
            if started {
                e.sqr(&mut tmp, &acc);
                core::mem::swap(&mut tmp, &mut acc);
            }
            i -= 1;
            continue;
        }
        // Longest window ending in a 1 bit, at most w bits.
        let mut j = (i - w as isize + 1).max(0);
        while bit(exp, j as usize) == 0 {
            j += 1;
        }
        let len = (i - j + 1) as usize;
        let val = window(exp, j as usize, len) as usize;
        let entry = &odd[(val >> 1) * k..(val >> 1) * k + k];
        if started {
            for _ in 0..len {
                e.sqr(&mut tmp, &acc);
                core::mem::swap(&mut tmp, &mut acc);
            }
            e.mul(&mut tmp, &acc, entry);
            core::mem::swap(&mut tmp, &mut acc);
        } else {
            acc.copy_from_slice(entry);
            started = true;
        }
        i = j - 1;
    }
    odd.zeroize();
    tmp.zeroize();
    b2.zeroize();
    acc
}
