//! x86-64 backend: Montgomery multiplication in radix 2⁵² with AVX-512 IFMA
//! (`vpmadd52luq`/`vpmadd52huq`), chosen at run time.
//!
//! Technique: the "almost Montgomery multiplication" of Gueron and Krasnov ("Accelerating
//! big integer arithmetic using Intel IFMA extensions", ARITH 2016), which OpenSSL's
//! RSAZ-AVX512 code also uses (read for technique only). A value has L = 8·N digits of 52
//! bits in N zmm registers, N fixed per modulus size (const generic); R₅₂ = 2^(52·L) with
//! 52·L ≥ bits(m) + 2, so 4m ≤ R₅₂ and products of values below 2m stay below 2m without
//! any final subtraction. Each of the L steps adds a·bᵢ and u·m (u from lane 0, one scalar
//! multiplication), shifts the accumulator down by one 64-bit lane (`valignq`), and adds
//! the high halves — a fixed sequence of instructions, no data-dependent branch or address.
//!
//! Interface with the portable code (radix 2⁶⁴, R₆₄ = 2^(64k), fully reduced values): a value
//! x·R₆₄ is taken into the IFMA domain as AMM(x·R₆₄, C) = x·R₅₂ with C = R₅₂²/R₆₄ mod m, and
//! brought back as AMM(y·R₅₂, R₆₄ mod m) = y·R₆₄ followed by one masked subtraction. So a
//! whole exponentiation runs in the IFMA domain and only its ends convert.
//!
//! Every `unsafe` block calls a `#[target_feature(enable = "avx512f,avx512ifma")]` function
//! and is reached only through an [`Ifma`] value, which exists only after
//! `cpufeatures` reported AVX512F and AVX512-IFMA.

use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroize;

use super::limbs::{self, mask_from_bit};

mod adx;
mod amm;

pub(crate) use adx::Adx;
#[cfg(feature = "ct-valgrind")]
pub(crate) use adx::force as force_adx;

cpufeatures::new!(cpuid_ifma, "avx512f", "avx512ifma");

const MASK52: u64 = (1 << 52) - 1;

/// The IFMA constants of one modulus.
#[derive(Clone)]
pub(crate) struct Ifma {
    /// Number of zmm registers per value; L = 8·nv digits.
    nv: usize,
    /// m in radix 2⁵², L digits.
    m: Vec<u64>,
    /// −m⁻¹ mod 2⁵².
    m0: u64,
    /// C = R₅₂²/R₆₄ mod m, radix 2⁵².
    c: Vec<u64>,
    /// R₆₄ mod m, radix 2⁵².
    r64: Vec<u64>,
    /// R₅₂ mod m (the IFMA form of 1), radix 2⁵².
    pub(crate) one: Vec<u64>,
}

impl Zeroize for Ifma {
    fn zeroize(&mut self) {
        self.m.zeroize();
        self.m0.zeroize();
        self.c.zeroize();
        self.r64.zeroize();
        self.one.zeroize();
    }
}

/// Register counts with a compiled kernel, for k = 16, 24, 32, 48, 64, 96, 128 limbs.
fn registers_for(k: usize) -> Option<usize> {
    let nv = (64 * k + 2).div_ceil(416);
    [3usize, 4, 5, 8, 10, 15, 20].contains(&nv).then_some(nv)
}

/// Radix 2⁶⁴ → radix 2⁵² (L digits); bit positions are public.
pub(crate) fn to_radix52(x: &[u64], l: usize) -> Vec<u64> {
    let mut out = vec![0u64; l];
    radix52_into(&mut out, x);
    out
}

/// Radix 2⁶⁴ (k limbs) → radix 2⁵² into `out` (L digits, 52·L ≥ 64·k).
fn radix52_into(out: &mut [u64], x: &[u64]) {
    let k = x.len();
    for (j, o) in out.iter_mut().enumerate() {
        let bit = 52 * j;
        let (w, s) = (bit / 64, bit % 64);
        let lo = if w < k { x[w] >> s } else { 0 };
        let hi = if s > 12 && w + 1 < k {
            x[w + 1] << (64 - s)
        } else {
            0
        };
        *o = (lo | hi) & MASK52;
    }
}

impl Ifma {
    /// The constants for modulus `m` (k limbs, odd; may be secret: constant-time), if this
    /// CPU has AVX-512 IFMA and a kernel exists for this size.
    pub(crate) fn new(m: &[u64], one64: &[u64]) -> Option<Self> {
        if cfg!(tsubaki_bigint_backend = "portable") || !cpuid_ifma::get() {
            return None;
        }
        let k = m.len();
        let nv = registers_for(k)?;
        let l = 8 * nv;
        let m52 = to_radix52(m, l);
        let m0 = limbs::neg_inv64(m[0]) & MASK52;
        // C = 2^(104·L − 64·k) mod m by masked doublings from 1.
        let mut c64 = vec![0u64; k];
        c64[0] = 1;
        for _ in 0..(104 * l - 64 * k) {
            super::monty::double_mod(&mut c64, m);
        }
        let mut this = Ifma {
            nv,
            m: m52,
            m0,
            c: to_radix52(&c64, l),
            r64: to_radix52(one64, l),
            one: Vec::new(),
        };
        c64.zeroize();
        this.one = this.enter(one64);
        Some(this)
    }

    /// Digits per value.
    pub(crate) fn digits(&self) -> usize {
        8 * self.nv
    }

    /// out = a·b/R₅₂ mod m, almost reduced (< 2m) for a, b < 2m (L digits each).
    #[inline]
    pub(crate) fn amm(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        debug_assert!(a.len() == self.digits() && b.len() == self.digits());
        debug_assert!(out.len() == self.digits());
        // SAFETY: `self` exists only if `cpufeatures` found AVX512F and AVX512-IFMA (see
        // `new`); the kernels need exactly those features; lengths are checked above and
        // inside the kernel.
        unsafe {
            match self.nv {
                3 => amm::amm::<3>(out, a, b, &self.m, self.m0),
                4 => amm::amm::<4>(out, a, b, &self.m, self.m0),
                5 => amm::amm::<5>(out, a, b, &self.m, self.m0),
                8 => amm::amm::<8>(out, a, b, &self.m, self.m0),
                10 => amm::amm::<10>(out, a, b, &self.m, self.m0),
                15 => amm::amm::<15>(out, a, b, &self.m, self.m0),
                _ => amm::amm::<20>(out, a, b, &self.m, self.m0),
            }
        }
    }

    /// x·R₆₄ (fully reduced, k limbs) → x·R₅₂ (almost reduced, L digits).
    pub(crate) fn enter(&self, x: &[u64]) -> Vec<u64> {
        let l = self.digits();
        let mut x52 = to_radix52(x, l);
        let mut out = vec![0u64; l];
        self.amm(&mut out, &x52, &self.c);
        x52.zeroize();
        out
    }

    /// y·R₅₂ (almost reduced) → y·R₆₄ mod m, fully reduced, k limbs.
    pub(crate) fn leave(&self, y: &[u64], k: usize) -> Vec<u64> {
        let l = self.digits();
        let mut t = vec![0u64; l];
        self.amm(&mut t, y, &self.r64);
        self.finish(t, k)
    }

    /// One Montgomery product in the portable code's convention: out = a·b/R₆₄ mod m
    /// (a < R₆₄, b < m, k limbs), as AMM(AMM(a, b), C) = a·b/R₅₂ · R₅₂²/R₆₄ / R₅₂.
    /// Scratch on the stack (at most 160 digits: 8192-bit moduli), wiped afterwards.
    pub(crate) fn mul64(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        const MAX: usize = 160;
        let l = self.digits();
        let mut buf = [0u64; 3 * MAX];
        {
            let (a52, rest) = buf.split_at_mut(MAX);
            let (b52, t) = rest.split_at_mut(MAX);
            let (a52, b52, t) = (&mut a52[..l], &mut b52[..l], &mut t[..l]);
            radix52_into(a52, a);
            radix52_into(b52, b);
            self.amm(t, a52, b52);
            self.amm(a52, t, &self.c);
            self.finish_into(out, a52, b52);
        }
        buf[..l].zeroize();
        buf[MAX..MAX + l].zeroize();
        buf[2 * MAX..2 * MAX + l].zeroize();
    }

    /// out (k limbs, radix 2⁶⁴) = t mod m for t < 2m (radix 2⁵², normalized); `d` is
    /// scratch of L digits. Constant-time: one masked subtraction.
    fn finish_into(&self, out: &mut [u64], t: &mut [u64], d: &mut [u64]) {
        let mut borrow = 0u64;
        for j in 0..t.len() {
            let v = t[j].wrapping_sub(self.m[j]).wrapping_sub(borrow);
            borrow = v >> 63;
            d[j] = v & MASK52;
        }
        limbs::select_assign(t, d, mask_from_bit(borrow ^ 1));
        out.fill(0);
        let k = out.len();
        for (j, &dj) in t.iter().enumerate() {
            let bit = 52 * j;
            let (w, s) = (bit / 64, bit % 64);
            if w < k {
                out[w] |= dj << s;
            }
            if s > 12 && w + 1 < k {
                out[w + 1] |= dj >> (64 - s);
            }
        }
    }

    /// t < 2m (radix 2⁵², normalized) → t mod m as k limbs of radix 2⁶⁴.
    fn finish(&self, mut t: Vec<u64>, k: usize) -> Vec<u64> {
        let mut d = vec![0u64; t.len()];
        let mut out = vec![0u64; k];
        self.finish_into(&mut out, &mut t, &mut d);
        t.zeroize();
        d.zeroize();
        out
    }
}
