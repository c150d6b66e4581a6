//! The trusted dealer: safe primes → N, d, the polynomial f, the key shares sᵢ = f(i),
//! v and the verification keys vᵢ = v^(Δ·sᵢ) (Damgård–Jurik 2001 §4.1, Shoup 2000 §2).
//!
//! Everything derived from p and q (p′, q′, m = p′q′, m⁻¹ mod N, d, N·m, the coefficients
//! and the shares) is computed with the constant-time limb and Montgomery code of
//! `bigint` and wiped when dropped. The only verdicts made public are those of the prime
//! checks (the primes are refused or not) and the outputs: N, v and the vᵢ.

use alloc::vec;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::super::keys::{ALLOWED_BITS, SecretKey};
use super::super::{KeyGenProgress, primes};
use super::share::KeyShare;
use super::{ThresholdPublicKey, check_threshold};
use crate::Error;
use crate::bigint::limbs;
use crate::bigint::{Monty, vartime};
use crate::ct;

/// Generates a threshold key with an N of exactly `bits` bits (2048, 3072 or 4096, else
/// [`Error::InvalidModulus`]) from two fresh safe primes, and deals it to `n` parties of
/// which any `t` decrypt (2 ≤ t ≤ n ≤ 255, else [`Error::InvalidThreshold`]).
/// `progress` is called for each prime candidate and each prime found.
///
/// The dealer is trusted: whoever runs this learns the factorisation until it returns;
/// the primes and every value derived from them are wiped before it does.
pub fn generate<R: CryptoRng + ?Sized>(
    rng: &mut R,
    bits: usize,
    t: usize,
    n: usize,
    progress: &mut dyn FnMut(KeyGenProgress),
) -> Result<(ThresholdPublicKey, Vec<KeyShare>), Error> {
    if !ALLOWED_BITS.contains(&bits) {
        return Err(Error::InvalidModulus);
    }
    check_threshold(t, n)?;
    let half = bits / 2;
    let (p, q) = safe_prime_pair(rng, half, progress)?;
    let p_be = Zeroizing::new(limbs::to_be_bytes(&p, half / 8));
    let q_be = Zeroizing::new(limbs::to_be_bytes(&q, half / 8));
    deal(rng, &p_be, &q_be, t, n)
}

/// Two safe primes of `half` bits (top two bits set) that `deal` accepts: distinct and
/// |p − q| ≥ 2^(half − 100). Found by `primes::random_prime_pair`: under `std` both cores search
/// until they have two primes between them, each thread on its own DRBG seeded from `rng`.
fn safe_prime_pair<R: CryptoRng + ?Sized>(
    rng: &mut R,
    half: usize,
    progress: &mut dyn FnMut(KeyGenProgress),
) -> Result<primes::PrimePair, Error> {
    // A pair too close together has probability about 2⁻⁹⁹; the bound only keeps a broken
    // generator from looping.
    for _ in 0..8 {
        let (p, q) = primes::random_prime_pair(rng, half, true, progress)?;
        if ct::declassify_choice(subtle::Choice::from(
            primes::far_apart_bit(&p, &q, half) as u8
        )) {
            return Ok((p, q));
        }
    }
    Err(Error::RngFailure)
}

/// Deals a threshold key from the given safe primes p and q (big-endian, equal length:
/// 128, 192 or 256 bytes once leading zeros are dropped) to `n` parties, `t` of which
/// decrypt.
///
/// Checks, in constant time with only the verdicts made public: everything
/// [`SecretKey::from_primes`] checks (odd, equal length with the top bit set, p ≠ q,
/// N of the full size, Baillie–PSW plus random-base Miller–Rabin, the distance rule), and
/// that (p − 1)/2 and (q − 1)/2 pass the same primality test: otherwise
/// [`Error::InvalidSecretKey`].
/// 2 ≤ t ≤ n ≤ 255, else [`Error::InvalidThreshold`].
///
/// The RNG supplies, in this order: t − 1 coefficients aⱼ, each `2·n_len + 16` bytes read
/// big-endian and reduced modulo N·m (statistically uniform to 2⁻¹²⁸), and the root of v,
/// `2·n_len + 16` bytes reduced modulo N² and squared.
pub fn deal<R: CryptoRng + ?Sized>(
    rng: &mut R,
    p_be: &[u8],
    q_be: &[u8],
    t: usize,
    n: usize,
) -> Result<(ThresholdPublicKey, Vec<KeyShare>), Error> {
    check_threshold(t, n)?;
    let sk = SecretKey::from_primes(p_be, q_be)?;
    // p′ = (p − 1)/2 = p >> 1 and q′ likewise: prime too (the same import test).
    let pp = Zeroizing::new(shr1(&sk.p));
    let qq = Zeroizing::new(shr1(&sk.q));
    let half_prime = |x: &[u64]| -> bool {
        match Monty::new(x.to_vec()) {
            Some(ctx) => primes::check_imported(&ctx, x),
            None => false, // even: p ≡ 1 (mod 4), not a safe prime
        }
    };
    if !half_prime(&pp) || !half_prime(&qq) {
        return Err(Error::InvalidSecretKey);
    }
    let pk = sk.public_key();
    let pinner = &pk.inner;
    let k = pinner.n.len();
    let nn = &pinner.nn;
    // m = p′q′ (< N/4, k limbs). m is coprime to N: p′ < 2^(b−1) ≤ q and p′ < p.
    let m = Zeroizing::new(limbs::mul(&pp, &qq));
    // m⁻¹ mod N = m^(φ(N) − 1) with φ(N) = 4m (constant-time: secret exponent).
    let mut exp = Zeroizing::new(vec![0u64; k + 1]);
    exp[..k].copy_from_slice(&m);
    shl_assign(&mut exp, 2);
    let _ = limbs::sub_assign(&mut exp, &[1]);
    let n_ctx = &pinner.n_ctx;
    let m_mont = Zeroizing::new(n_ctx.to_mont(&m));
    let minv = Zeroizing::new(n_ctx.out_of_mont(&n_ctx.pow_secret(&m_mont, &exp)));
    // d = m·(m⁻¹ mod N) < N·m: d ≡ 0 (mod m), d ≡ 1 (mod N).
    let d = Zeroizing::new(limbs::mul(&m, &minv));
    // N·m, odd (both factors odd): the modulus of the share arithmetic, secret.
    let nm = Monty::new(limbs::mul(&pinner.n, &m)).ok_or(Error::InvalidSecretKey)?;
    // Coefficients a₁..a_{t−1}, uniform in [0, N·m).
    let wide = 2 * k + 2;
    let mut coeffs: Vec<Zeroizing<Vec<u64>>> = Vec::with_capacity(t);
    coeffs.push(d);
    for _ in 1..t {
        let x = random_wide(rng, wide);
        coeffs.push(Zeroizing::new(nm.reduce_wide(&x)));
    }
    // v = r² mod N² for r uniform in Z_{N²} (a unit except with negligible probability,
    // which would reveal a factor of N; checked).
    let v = loop {
        let x = random_wide(rng, wide);
        let r = Zeroizing::new(nn.to_mont(&nn.reduce_wide(&x)));
        let v = nn.out_of_mont(&nn.mul(&r, &r));
        ct::declassify(v.as_slice());
        let v = core::hint::black_box(v);
        if vartime::coprime_vartime(&n_ctx.reduce_wide(&v), &pinner.n) {
            break v;
        }
    };
    let v_mont = nn.to_mont(&v);
    // Shares sᵢ = f(i) mod N·m by Horner's rule; vᵢ = v^(Δ·sᵢ).
    let delta = super::factorial(n);
    let dl = delta.bits().div_ceil(64) as usize;
    let delta_limbs = super::biguint_limbs(&delta, dl);
    let mut shares_s = Vec::with_capacity(n);
    let mut vis = Vec::with_capacity(n);
    for i in 1..=n {
        let mut i_limbs = vec![0u64; 2 * k];
        i_limbs[0] = i as u64;
        let i_mont = nm.to_mont(&i_limbs);
        let mut acc = Zeroizing::new(coeffs[t - 1].to_vec());
        for j in (0..t - 1).rev() {
            let prod = Zeroizing::new(nm.mul(&acc, &i_mont));
            *acc = nm.add(&prod, &coeffs[j]);
        }
        let ds = Zeroizing::new(limbs::mul(&acc, &delta_limbs));
        let vi = nn.out_of_mont(&nn.pow_secret(&v_mont, &ds));
        ct::declassify(vi.as_slice());
        vis.push(core::hint::black_box(vi));
        shares_s.push(acc);
    }
    let tpk = ThresholdPublicKey::from_parts(pk.clone(), t, n, v, vis)?;
    let shares = shares_s
        .into_iter()
        .enumerate()
        .map(|(i, s)| KeyShare::new(tpk.clone(), (i + 1) as u8, s.to_vec()))
        .collect();
    Ok((tpk, shares))
}

/// `len` limbs from `8·len` RNG bytes read big-endian.
fn random_wide<R: CryptoRng + ?Sized>(rng: &mut R, len: usize) -> Zeroizing<Vec<u64>> {
    let mut bytes = Zeroizing::new(vec![0u8; 8 * len]);
    rng.fill_bytes(&mut bytes);
    Zeroizing::new(limbs::from_be_bytes(&bytes, len).unwrap_or_default())
}

/// x >> 1 (constant-time).
fn shr1(x: &[u64]) -> Vec<u64> {
    let mut out = x.to_vec();
    let mut carry = 0;
    for limb in out.iter_mut().rev() {
        let low = *limb & 1;
        *limb = (*limb >> 1) | (carry << 63);
        carry = low;
    }
    out
}

/// x <<= s for 0 < s < 64 (bits shifted out of the top are lost; constant-time).
pub(crate) fn shl_assign(x: &mut [u64], s: u32) {
    debug_assert!(s > 0 && s < 64);
    let mut carry = 0;
    for limb in x.iter_mut() {
        let top = *limb >> (64 - s);
        *limb = (*limb << s) | carry;
        carry = top;
    }
}
