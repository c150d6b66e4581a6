//! Prime candidates free of small factors: built by the Chinese remainder theorem for the
//! smallest primes (Joye–Paillier–Vaudenay, CHES 2000), then sieved by constant-time
//! residues modulo the larger small primes, with Wiener's combined condition for safe
//! primes (eprint 2003/186: q and 2q + 1 are both free of the factor r ⇔ q mod r ∉
//! {0, (r − 1)/2}).
//!
//! Every table here is computed from public sizes; every operation on a candidate is
//! constant-time: multiplications, additions and masked selections over public lengths,
//! no `/` or `%` with a secret operand, no secret-dependent address.
#![deny(unsafe_code)]

use alloc::vec;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::bigint::limbs::{self, is_zero_bit, lt_bit, mac, mask_from_bit};
use crate::ct;

/// The odd primes up to `limit` (public; sieve of Eratosthenes).
pub(crate) fn odd_primes_up_to(limit: u32) -> Vec<u32> {
    let n = limit as usize + 1;
    let mut composite = vec![false; n];
    let mut out = Vec::new();
    let mut i = 3usize;
    while i < n {
        if !composite[i] {
            out.push(i as u32);
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += 2 * i;
            }
        }
        i += 2;
    }
    out
}

/// x mod s for a secret `x` and a public s < 2¹⁶, without division: 16-bit chunks from the
/// top, each step reducing v = r·2¹⁶ + chunk < 2³² by a Barrett quotient with
/// μ = ⌊2³²/s⌋ (the estimate is low by at most 2, fixed by two masked subtractions).
pub(crate) fn residue(x: &[u64], s: u64) -> u64 {
    debug_assert!((2..1 << 16).contains(&s));
    let mu = (1u64 << 32) / s; // s is public
    let mut r = 0u64;
    for &limb in x.iter().rev() {
        for c in (0..4).rev() {
            let v = (r << 16) | ((limb >> (16 * c)) & 0xffff);
            let q = (v * mu) >> 32;
            let mut t = v - q * s;
            for _ in 0..2 {
                let ge = ((t.wrapping_sub(s)) >> 63) ^ 1; // t ≥ s (t < 3s < 2^63)
                t -= s & mask_from_bit(ge);
            }
            r = t;
        }
    }
    r
}

// --- Variable-time helpers on public numbers (table construction only) -------------------

/// a·s + c for a public multi-limb a and small s (the result has one more limb).
fn mul_small_vartime(a: &[u64], s: u64) -> Vec<u64> {
    let mut out = vec![0u64; a.len() + 1];
    let mut carry = 0;
    for (o, &x) in out.iter_mut().zip(a) {
        (*o, carry) = mac(0, x, s, carry);
    }
    out[a.len()] = carry;
    trim(out)
}

/// (a / s, a mod s) for a public a and a small public s > 0.
fn div_small_vartime(a: &[u64], s: u64) -> (Vec<u64>, u64) {
    let mut q = vec![0u64; a.len()];
    let mut r = 0u128;
    for i in (0..a.len()).rev() {
        let cur = (r << 64) | a[i] as u128;
        q[i] = (cur / s as u128) as u64;
        r = cur % s as u128;
    }
    (trim(q), r as u64)
}

fn trim(mut v: Vec<u64>) -> Vec<u64> {
    while v.len() > 1 && v[v.len() - 1] == 0 {
        let _ = v.pop();
    }
    v
}

fn cmp_vartime(a: &[u64], b: &[u64]) -> core::cmp::Ordering {
    let n = a.len().max(b.len());
    for i in (0..n).rev() {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    core::cmp::Ordering::Equal
}

fn padded(a: &[u64], k: usize) -> Vec<u64> {
    let mut v = vec![0u64; k.max(a.len())];
    v[..a.len()].copy_from_slice(a);
    v
}

/// (a / b, a mod b) for public a, b (b ≠ 0), bit by bit.
fn div_rem_vartime(a: &[u64], b: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let k = a.len().max(b.len()) + 1;
    let b = padded(b, k);
    let mut q = vec![0u64; a.len()];
    let mut r = vec![0u64; k];
    for i in (0..64 * a.len()).rev() {
        // r = 2r + bit i of a
        let mut carry = limbs::bit(a, i);
        for x in r.iter_mut() {
            let top = *x >> 63;
            *x = (*x << 1) | carry;
            carry = top;
        }
        if cmp_vartime(&r, &b) != core::cmp::Ordering::Less {
            let _ = limbs::sub_assign(&mut r, &b);
            q[i / 64] |= 1 << (i % 64);
        }
    }
    (trim(q), trim(r))
}

/// x⁻¹ mod r for public x, r (r prime, x ≢ 0), by Fermat.
fn inv_mod_small(x: u64, r: u64) -> u64 {
    let (mut b, mut e, mut acc) = (x % r, r - 2, 1u64);
    while e > 0 {
        if e & 1 == 1 {
            acc = acc * b % r;
        }
        b = b * b % r;
        e >>= 1;
    }
    acc
}

/// A group of small primes whose product m fits the residue bound: x mod m from a table
/// of 2^(32j) mod m, then x mod r for each prime r of the group.
struct Group {
    m: u64,
    /// ⌊2⁶⁴ / m⌋ (Barrett).
    mu: u64,
    /// Index of the group's first prime in `Sieve::primes` and their number.
    first: usize,
    count: usize,
}

/// One small prime of the residue sieve.
struct SmallPrime {
    r: u64,
    /// ⌊2³² / r⌋ (Barrett for values below 2³²).
    mu: u64,
    /// (r − 1)/2: q ≡ (r − 1)/2 (mod r) ⇔ r | 2q + 1.
    half: u64,
}

/// The precomputed tables for candidates of one size and kind (safe or ordinary).
pub(crate) struct Sieve {
    /// Candidate bit length b (the top two bits set: candidates lie in [3·2^(b−2), 2^b)).
    bits: usize,
    /// Limbs of a candidate.
    k: usize,
    safe: bool,
    /// The odd primes of Π (the CRT part), with their CRT basis elements E_r (k limbs each).
    crt_primes: Vec<u64>,
    basis: Vec<u64>,
    /// E_2 = Π/2 (q odd).
    basis2: Vec<u64>,
    /// Π = 2·3·5·…, k limbs.
    pi: Vec<u64>,
    /// t₀ = ⌈L/Π⌉ and the range D of the random multiple, `kt` limbs each.
    t0: Vec<u64>,
    d: Vec<u64>,
    kt: usize,
    d_bits: usize,
    /// The residue sieve: groups, primes, and per group 2k table words 2^(32j) mod m.
    groups: Vec<Group>,
    primes: Vec<SmallPrime>,
    table: Vec<u32>,
}

/// Groups per block of the residue sieve: after each block the candidate's verdict so far
/// is declassified and a candidate with a small factor is discarded.
const BLOCK: usize = 48;

/// Bits left for the random multiple of Π: at least 2¹²⁸ choices (see [`Sieve::new`]).
const MULTIPLE_BITS: usize = 131;

impl Sieve {
    /// Tables for candidates of `bits` bits (a multiple of 64, or one less for the q of a
    /// safe prime; at least 256), the residue sieve running over the primes up to `limit`.
    ///
    /// The CRT part: Π is the product of 2 and the odd primes in increasing order while
    /// Π < 2^(b − 131). A candidate is q = S + (t₀ + t)·Π with S = E₂ + Σ a_r·E_r, a_r
    /// uniform among the residues allowed mod r (1..r−1, and for safe primes not
    /// (r − 1)/2 either), E_r the CRT basis of Π (E_r ≡ 1 mod r, ≡ 0 mod the other primes),
    /// so q ≡ a_r (mod r) for every r | Π. S < K·Π with K = 1 + Σ(r − 1). With t₀ = ⌈L/Π⌉,
    /// L = 3·2^(b−2), and t uniform in [0, D), D = ⌊(U − L)/Π⌋ − K − 1, U = 2^b:
    /// q ≥ t₀Π ≥ L and q < (K + t₀ + D)·Π ≤ L + Π + (U − L) − Π = U. D ≥ 2¹²⁸ − K − 1, so the
    /// candidates are spread over all of [L, U) up to a fraction of about 2⁻¹²⁸ at its top.
    pub(crate) fn new(bits: usize, safe: bool, limit: u32) -> Self {
        let k = bits.div_ceil(64);
        let all = odd_primes_up_to(limit);
        // Π and its primes.
        let mut pi = vec![2u64];
        let mut crt_primes = Vec::new();
        for &r in &all {
            let next = mul_small_vartime(&pi, r as u64);
            if limbs::bits_vartime(&next) >= bits - MULTIPLE_BITS {
                break;
            }
            pi = next;
            crt_primes.push(r as u64);
        }
        let mut basis = Vec::with_capacity(crt_primes.len() * k);
        let mut kk = 1u64;
        for &r in &crt_primes {
            let (m_r, rem) = div_small_vartime(&pi, r);
            debug_assert_eq!(rem, 0);
            let (_, m_mod_r) = div_small_vartime(&m_r, r);
            let y = inv_mod_small(m_mod_r, r);
            basis.extend_from_slice(&padded(&mul_small_vartime(&m_r, y), k)[..k]);
            kk += r - 1;
        }
        let (half_pi, _) = div_small_vartime(&pi, 2);
        let basis2 = padded(&half_pi, k)[..k].to_vec();
        // L = 3·2^(b−2), U − L = 2^(b−2).
        let mut quarter = vec![0u64; k + 1];
        quarter[(bits - 2) / 64] = 1 << ((bits - 2) % 64);
        let l = mul_small_vartime(&quarter, 3);
        let (mut t0, r0) = div_rem_vartime(&l, &pi);
        if r0.iter().any(|&x| x != 0) {
            t0 = trim(padded(&t0, t0.len() + 1));
            let _ = limbs::add_assign(&mut t0, &[1]);
            t0 = trim(t0);
        }
        let (span, _) = div_rem_vartime(&quarter, &pi);
        let mut d = padded(&span, span.len());
        let _ = limbs::sub_assign(&mut d, &[kk + 1]);
        let d = trim(d);
        let d_bits = limbs::bits_vartime(&d);
        let kt = d.len().max(t0.len()) + 1;
        let t0 = padded(&t0, kt);
        let d = padded(&d, kt);
        let pi = padded(&pi, k)[..k].to_vec();

        // The residue sieve over the remaining primes: groups with m below the bound that
        // keeps Σ chunk·(2^(32j) mod m) over 2k chunks below 2⁶⁴.
        let chunks = 2 * k;
        let m_max: u64 = if chunks <= 32 { 1 << 27 } else { 1 << 26 };
        debug_assert!(chunks <= 64);
        let rest = &all[crt_primes.len()..];
        let mut groups = Vec::new();
        let mut primes = Vec::with_capacity(rest.len());
        let mut table = Vec::new();
        let mut i = 0;
        while i < rest.len() {
            let first = i;
            let mut m = 1u64;
            while i < rest.len() && m * rest[i] as u64 <= m_max {
                m *= rest[i] as u64;
                let r = rest[i] as u64;
                primes.push(SmallPrime {
                    r,
                    mu: (1u64 << 32) / r,
                    half: (r - 1) / 2,
                });
                i += 1;
            }
            if i == first {
                break; // a prime above the bound (not with the limits used)
            }
            let mut c = 1u64 % m;
            for _ in 0..chunks {
                table.push(c as u32);
                c = (c << 32) % m;
            }
            groups.push(Group {
                m,
                mu: u64::MAX / m, // = ⌊2⁶⁴/m⌋ for odd m > 1
                first,
                count: i - first,
            });
        }
        Sieve {
            bits,
            k,
            safe,
            crt_primes,
            basis,
            basis2,
            pi,
            t0,
            d,
            kt,
            d_bits,
            groups,
            primes,
            table,
        }
    }

    /// Limbs of a candidate.
    pub(crate) fn limbs(&self) -> usize {
        self.k
    }

    /// A fresh candidate free of the factors of Π (and, for safe primes, with 2q + 1 free of
    /// them too), uniform among such numbers in [3·2^(b−2), 2^b) up to 2⁻¹²⁸. The only
    /// verdict made public is that of the rejection sampling of the multiple t < D (a
    /// fact about discarded random bytes). [`Error::RngFailure`] if 64 draws of t in a
    /// row are rejected (probability below 2⁻⁶⁴ for a working generator).
    pub(crate) fn candidate<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<Zeroizing<Vec<u64>>, Error> {
        let k = self.k;
        let n = self.crt_primes.len();
        let mut raw = Zeroizing::new(vec![0u8; 8 * n]);
        rng.fill_bytes(&mut raw);
        let mut s = Zeroizing::new(self.basis2.clone());
        for (i, &r) in self.crt_primes.iter().enumerate() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&raw[8 * i..8 * i + 8]);
            let x = u64::from_le_bytes(w);
            w.zeroize();
            // u uniform in [0, choices) up to 2⁻⁶⁴·r: the top word of x·choices.
            let choices = if self.safe { r - 2 } else { r - 1 };
            let u = ((x as u128 * choices as u128) >> 64) as u64;
            let mut a = u + 1;
            if self.safe {
                // Skip (r − 1)/2: a ≥ (r − 1)/2 ⇒ a + 1 (masked; both public bounds).
                let ge = ((a.wrapping_sub((r - 1) / 2)) >> 63) ^ 1;
                a += ge;
            }
            let e = &self.basis[i * k..(i + 1) * k];
            let mut carry = 0;
            for (sj, &ej) in s.iter_mut().zip(e) {
                (*sj, carry) = mac(*sj, ej, a, carry);
            }
            // S < K·Π < 2^(64k): no carry out (bounds in `new`).
        }
        // t uniform in [0, D): rejection sampling on d_bits random bits.
        let kt = self.kt;
        let mut t = Zeroizing::new(vec![0u64; kt]);
        let mut tries = 0;
        loop {
            tries += 1;
            if tries > 64 {
                return Err(Error::RngFailure);
            }
            let mut tb = Zeroizing::new(vec![0u8; 8 * kt]);
            rng.fill_bytes(&mut tb);
            for (j, limb) in t.iter_mut().enumerate() {
                let mut w = [0u8; 8];
                w.copy_from_slice(&tb[8 * j..8 * j + 8]);
                *limb = u64::from_le_bytes(w);
                w.zeroize();
            }
            for (j, limb) in t.iter_mut().enumerate() {
                let lo = 64 * j;
                if lo >= self.d_bits {
                    *limb = 0;
                } else if self.d_bits - lo < 64 {
                    *limb &= (1u64 << (self.d_bits - lo)) - 1;
                }
            }
            if ct::declassify_choice(subtle::Choice::from(lt_bit(&t, &self.d) as u8)) {
                break;
            }
        }
        let _ = limbs::add_assign(&mut t, &self.t0);
        // q = S + t·Π (the product fits k limbs: q < 2^b).
        let tp = Zeroizing::new(limbs::mul_lo(&self.pi, &t, k));
        let _ = limbs::add_assign(&mut s, &tp);
        debug_assert!(self.bits <= 64 * k);
        Ok(s)
    }

    /// 1 if neither q nor (for safe primes) 2q + 1 has a factor among the sieve's primes,
    /// else 0 — constant-time within each block of groups; between blocks the verdict
    /// so far is declassified and a candidate with a factor is discarded at once (its
    /// verdict, not the kept prime's, is what an observer sees).
    pub(crate) fn passes(&self, q: &[u64]) -> bool {
        let k = self.k;
        debug_assert_eq!(q.len(), k);
        let chunks = 2 * k;
        let mut c = [0u64; 64];
        for (i, &limb) in q.iter().enumerate() {
            c[2 * i] = limb & 0xffff_ffff;
            c[2 * i + 1] = limb >> 32;
        }
        let mut ok = true;
        for block in self.groups.chunks(BLOCK).enumerate() {
            let (b, groups) = block;
            let mut bad = 0u64;
            for (g, group) in groups.iter().enumerate() {
                let idx = b * BLOCK + g;
                let row = &self.table[idx * chunks..(idx + 1) * chunks];
                // y = Σ chunk_j·(2^(32j) mod m) < 2k·2³²·m ≤ 2⁶⁴ (m bounded in `new`).
                let mut y = 0u64;
                for (&cj, &tj) in c[..chunks].iter().zip(row) {
                    y = y.wrapping_add(cj * tj as u64);
                }
                // y mod m: Barrett (quotient estimate low by at most 2).
                let qh = ((y as u128 * group.mu as u128) >> 64) as u64;
                let mut rm = y.wrapping_sub(qh.wrapping_mul(group.m));
                for _ in 0..2 {
                    let ge = (rm.wrapping_sub(group.m) >> 63) ^ 1;
                    rm -= group.m & mask_from_bit(ge);
                }
                for sp in &self.primes[group.first..group.first + group.count] {
                    // rm < 2²⁷: quotient estimate low by at most 1.
                    let qh = (rm * sp.mu) >> 32;
                    let mut z = rm - qh * sp.r;
                    let ge = (z.wrapping_sub(sp.r) >> 63) ^ 1;
                    z -= sp.r & mask_from_bit(ge);
                    bad |= is_zero_bit(z);
                    if self.safe {
                        bad |= is_zero_bit(z ^ sp.half);
                    }
                }
            }
            if ct::declassify_choice(subtle::Choice::from(bad as u8)) {
                ok = false;
                break;
            }
        }
        c.zeroize();
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rem_vartime(x: &[u64], r: u64) -> u64 {
        div_small_vartime(x, r).1
    }

    struct Lcg(u64);
    impl rand_core::TryRng for Lcg {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            rand_core::utils::next_word_via_fill(self)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            rand_core::utils::next_word_via_fill(self)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            for b in dst {
                self.0 = self
                    .0
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *b = (self.0 >> 56) as u8;
            }
            Ok(())
        }
    }
    impl rand_core::TryCryptoRng for Lcg {}

    #[test]
    fn candidates_are_in_range_and_free_of_crt_factors() {
        for (bits, safe) in [(1023, true), (1024, false), (1535, true), (2048, false)] {
            let s = Sieve::new(bits, safe, 1 << 12);
            let mut rng = Lcg(bits as u64);
            for _ in 0..20 {
                let q = s.candidate(&mut rng).unwrap();
                assert_eq!(limbs::bits_vartime(&q), bits);
                assert_eq!(limbs::bit(&q, bits - 2), 1, "top two bits");
                assert_eq!(q[0] & 1, 1);
                for &r in &s.crt_primes {
                    let z = rem_vartime(&q, r);
                    assert_ne!(z, 0);
                    if safe {
                        assert_ne!(z, (r - 1) / 2, "2q + 1 divisible by {r}");
                    }
                }
            }
        }
    }

    #[test]
    fn residue_sieve_matches_division() {
        for (bits, safe) in [(1023, true), (1024, false), (2048, false)] {
            let s = Sieve::new(bits, safe, 1 << 14);
            let mut rng = Lcg(7 + bits as u64);
            let (mut pass, mut fail) = (0, 0);
            for _ in 0..200 {
                let q = s.candidate(&mut rng).unwrap();
                let want = s.primes.iter().all(|sp| {
                    let z = rem_vartime(&q, sp.r);
                    z != 0 && !(safe && z == sp.half)
                });
                assert_eq!(s.passes(&q), want);
                if want { pass += 1 } else { fail += 1 }
            }
            assert!(pass > 0 && fail > 0, "both outcomes seen ({pass}, {fail})");
        }
    }
}
