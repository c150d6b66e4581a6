//! Paillier public and secret keys: import, validation, derived constants.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::primes;
use crate::Error;
use crate::bigint::Monty;
use crate::bigint::limbs::{self, eq_bit, lt_bit, mask_from_bit};
use crate::ct;

/// The modulus sizes accepted: the bit length of n must be exactly one of these.
pub const ALLOWED_BITS: [usize; 3] = [2048, 3072, 4096];

/// What a public key holds (shared by its clones and by every ciphertext under it).
pub(crate) struct PublicInner {
    /// n, `bits / 64` limbs.
    pub(crate) n: Vec<u64>,
    pub(crate) bits: usize,
    /// Montgomery context modulo n² (2·`bits`/64 limbs).
    pub(crate) nn: Monty,
    /// Montgomery context modulo n.
    pub(crate) n_ctx: Monty,
    pub(crate) key_id: [u8; 32],
}

impl PublicInner {
    pub(crate) fn n_len(&self) -> usize {
        self.bits / 8
    }
}

/// A Paillier public key (n, with g = n + 1). Cheap to clone (shared).
#[derive(Clone)]
pub struct PublicKey {
    pub(crate) inner: Arc<PublicInner>,
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner.key_id == other.inner.key_id && self.inner.n == other.inner.n
    }
}

impl Eq for PublicKey {}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PublicKey {{ bits: {}, key_id: ", self.inner.bits)?;
        for b in &self.inner.key_id[..8] {
            write!(f, "{b:02x}")?;
        }
        f.write_str("… }")
    }
}

/// The domain separator of [`PublicKey::key_id`].
const KEY_ID_DOMAIN: &[u8] = b"tsubaki/paillier/key-id/v1\0";

impl PublicKey {
    /// Builds the key from n as limbs (already validated: odd, allowed bit length).
    pub(crate) fn from_n_limbs(n: Vec<u64>, bits: usize) -> Result<Self, Error> {
        let nn_val = limbs::mul(&n, &n);
        let nn = Monty::new(nn_val).ok_or(Error::InvalidModulus)?;
        let n_ctx = Monty::new(n.clone()).ok_or(Error::InvalidModulus)?;
        let n_be = limbs::to_be_bytes(&n, bits / 8);
        let mut h = Sha256::new();
        h.update(KEY_ID_DOMAIN);
        h.update((n_be.len() as u32).to_be_bytes());
        h.update(&n_be);
        let key_id: [u8; 32] = h.finalize().into();
        Ok(PublicKey {
            inner: Arc::new(PublicInner {
                n,
                bits,
                nn,
                n_ctx,
                key_id,
            }),
        })
    }

    /// Imports n (big-endian; leading zero bytes allowed). n must be odd and its bit
    /// length exactly 2048, 3072 or 4096 ([`ALLOWED_BITS`]); otherwise
    /// [`Error::InvalidModulus`]. (That n is a product of two primes cannot be checked.)
    pub fn from_modulus(n_be: &[u8]) -> Result<Self, Error> {
        let start = n_be.iter().position(|&b| b != 0).unwrap_or(n_be.len());
        let n_be = &n_be[start..];
        let bits = match n_be.first() {
            Some(&top) => 8 * n_be.len() - top.leading_zeros() as usize,
            None => 0,
        };
        if !ALLOWED_BITS.contains(&bits) || n_be[n_be.len() - 1] & 1 == 0 {
            return Err(Error::InvalidModulus);
        }
        let n = limbs::from_be_bytes(n_be, bits / 64).ok_or(Error::InvalidModulus)?;
        Self::from_n_limbs(n, bits)
    }

    /// n, big-endian, exactly [`n_len`](Self::n_len) bytes.
    pub fn modulus_be(&self) -> Vec<u8> {
        limbs::to_be_bytes(&self.inner.n, self.n_len())
    }

    /// The bit length of n (2048, 3072 or 4096).
    pub fn bits(&self) -> usize {
        self.inner.bits
    }

    /// Byte length of n (and of plaintexts in big-endian form).
    pub fn n_len(&self) -> usize {
        self.inner.n_len()
    }

    /// Byte length of a ciphertext's encoding (that of n²: 2·`n_len`).
    pub fn ciphertext_len(&self) -> usize {
        2 * self.inner.n_len()
    }

    /// SHA-256 over `"tsubaki/paillier/key-id/v1\0" ‖ u32-be(n_len) ‖ n` (n big-endian,
    /// `n_len` bytes): an identifier of the key, carried by its ciphertexts.
    pub fn key_id(&self) -> [u8; 32] {
        self.inner.key_id
    }
}

/// A Paillier secret key: the primes p and q and the constants of CRT decryption and
/// encryption. Zeroized on drop; prints nothing secret.
pub struct SecretKey {
    pub(crate) pk: PublicKey,
    pub(crate) p: Vec<u64>,
    pub(crate) q: Vec<u64>,
    /// Montgomery contexts modulo p, q, p², q² (all secret moduli).
    pub(crate) pm: Monty,
    pub(crate) qm: Monty,
    pub(crate) p2: Monty,
    pub(crate) q2: Monty,
    /// p − 1 and q − 1 (decryption exponents).
    pub(crate) pm1: Vec<u64>,
    pub(crate) qm1: Vec<u64>,
    /// p⁻¹ and q⁻¹ modulo 2^(64·k) (exact division in L).
    pub(crate) p_inv_pow2: Vec<u64>,
    pub(crate) q_inv_pow2: Vec<u64>,
    /// (−q)⁻¹ mod p and (−p)⁻¹ mod q in Montgomery form (hp, hq for g = n + 1).
    pub(crate) hp: Vec<u64>,
    pub(crate) hq: Vec<u64>,
    /// q⁻¹ mod p in Montgomery form (CRT recombination of m).
    pub(crate) q_inv_p: Vec<u64>,
    /// (q²)⁻¹ mod p² in Montgomery form (CRT recombination of rⁿ).
    pub(crate) q2_inv_p2: Vec<u64>,
}

impl Zeroize for SecretKey {
    fn zeroize(&mut self) {
        self.p.zeroize();
        self.q.zeroize();
        self.pm.zeroize();
        self.qm.zeroize();
        self.p2.zeroize();
        self.q2.zeroize();
        self.pm1.zeroize();
        self.qm1.zeroize();
        self.p_inv_pow2.zeroize();
        self.q_inv_pow2.zeroize();
        self.hp.zeroize();
        self.hq.zeroize();
        self.q_inv_p.zeroize();
        self.q2_inv_p2.zeroize();
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for SecretKey {}

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SecretKey")
            .field("public", &self.pk)
            .finish_non_exhaustive()
    }
}

/// x mod m for x < 2m (same limb count), constant-time.
fn reduce_once(x: &[u64], m: &[u64]) -> Vec<u64> {
    let mut r = x.to_vec();
    let ge = lt_bit(x, m) ^ 1;
    let _ = limbs::masked_sub_assign(&mut r, m, mask_from_bit(ge));
    r
}

impl SecretKey {
    /// Imports the primes p and q (big-endian; leading zero bytes allowed). Checks, in
    /// constant time with declassified verdicts only: p and q are odd, have the same byte
    /// length (128, 192 or 256 bytes once leading zeros are dropped — the length is taken
    /// from the input lengths, not from the values) with the top bit set, p ≠ q,
    /// |p − q| ≥ 2^(half − 100) (the distance rule of key generation, FIPS 186-5 A.1.3),
    /// n = pq has exactly 16 times that many bits, and both are prime by Baillie–PSW
    /// (Miller–Rabin to the base 2 and a strong Lucas test) plus 32 Miller–Rabin rounds with
    /// random bases (see `primes`: the bases come from the operating system under `std`).
    /// Any failure: [`Error::InvalidSecretKey`].
    ///
    /// gcd(n, φ(n)) = 1 then holds without a test: for distinct odd primes of the same bit
    /// length b, q − 1 < 2^b ≤ 2p, so p | q − 1 would need q − 1 = p (q even); likewise
    /// for q | p − 1.
    pub fn from_primes(p_be: &[u8], q_be: &[u8]) -> Result<Self, Error> {
        let key = Self::from_primes_untested(p_be, q_be)?;
        if !primes::check_imported(&key.pm, &key.p) || !primes::check_imported(&key.qm, &key.q) {
            return Err(Error::InvalidSecretKey);
        }
        Ok(key)
    }

    /// **For the valgrind harness only** (feature `ct-valgrind`, hidden): the import of
    /// [`from_primes`](Self::from_primes) — every check and constant but the primality
    /// tests — for the harness's known test primes, so that its operations other than the
    /// import itself do not spend most of their valgrind time proving them prime again.
    /// Constant-time like the rest of the import. Never call it on primes from outside.
    #[cfg(feature = "ct-valgrind")]
    #[doc(hidden)]
    pub fn from_test_primes_for_ct_harness(p_be: &[u8], q_be: &[u8]) -> Result<Self, Error> {
        Self::from_primes_untested(p_be, q_be)
    }

    /// [`from_primes`](Self::from_primes) up to, not including, the primality tests.
    fn from_primes_untested(p_be: &[u8], q_be: &[u8]) -> Result<Self, Error> {
        // The prime length comes from the input *lengths* only (public): the largest
        // allowed length not above it; any bytes in front must be zero (checked in
        // constant time by `from_be_bytes`, which declassifies only that verdict).
        let fit = |len: usize| {
            ALLOWED_BITS
                .iter()
                .rev()
                .map(|b| b / 16)
                .find(|&l| l <= len)
        };
        let (Some(len), Some(len_q)) = (fit(p_be.len()), fit(q_be.len())) else {
            return Err(Error::InvalidSecretKey);
        };
        if len != len_q {
            return Err(Error::InvalidSecretKey);
        }
        let kp = len / 8;
        let p = Zeroizing::new(limbs::from_be_bytes(p_be, kp).ok_or(Error::InvalidSecretKey)?);
        let q = Zeroizing::new(limbs::from_be_bytes(q_be, kp).ok_or(Error::InvalidSecretKey)?);
        let mut ok = p[0] & q[0] & 1;
        ok &= (p[kp - 1] >> 63) & (q[kp - 1] >> 63);
        ok &= eq_bit(&p, &q) ^ 1;
        if !ct::declassify_choice(subtle::Choice::from(ok as u8)) {
            return Err(Error::InvalidSecretKey);
        }
        // Key generation's distance rule: |p − q| ≥ 2^(half − 100).
        let far = primes::far_apart_bit(&p, &q, 64 * kp);
        if !ct::declassify_choice(subtle::Choice::from(far as u8)) {
            return Err(Error::InvalidSecretKey);
        }
        Self::from_prime_limbs(p.to_vec(), q.to_vec())
    }

    /// Builds the key from p and q (kp limbs each, odd, top bit set, distinct: checked by
    /// the callers) and derives every constant in constant time. p, q and every
    /// intermediate are wiped on every path, errors included.
    pub(crate) fn from_prime_limbs(p: Vec<u64>, q: Vec<u64>) -> Result<Self, Error> {
        let (mut p, mut q) = (Zeroizing::new(p), Zeroizing::new(q));
        let kp = p.len();
        let n = limbs::mul(&p, &q);
        // n is public: its top bit decides whether the size is exact.
        let mut n_top = n[2 * kp - 1] >> 63;
        ct::declassify(n.as_slice());
        ct::declassify(&n_top);
        n_top = core::hint::black_box(n_top);
        if n_top != 1 {
            return Err(Error::InvalidSecretKey);
        }
        let pk = PublicKey::from_n_limbs(n, 128 * kp)?;
        let pm = Monty::new(p.to_vec()).ok_or(Error::InvalidSecretKey)?;
        let qm = Monty::new(q.to_vec()).ok_or(Error::InvalidSecretKey)?;
        let p2 = Monty::new(limbs::mul(&p, &p)).ok_or(Error::InvalidSecretKey)?;
        let q2 = Monty::new(limbs::mul(&q, &q)).ok_or(Error::InvalidSecretKey)?;
        let mut pm1 = p.to_vec();
        let _ = limbs::sub_assign(&mut pm1, &[1]);
        let mut qm1 = q.to_vec();
        let _ = limbs::sub_assign(&mut qm1, &[1]);
        let mut pm2 = Zeroizing::new(p.to_vec());
        let _ = limbs::sub_assign(&mut pm2, &[2]);
        let mut qm2 = Zeroizing::new(q.to_vec());
        let _ = limbs::sub_assign(&mut qm2, &[2]);
        // q mod p and p mod q: same bit length, so each is below twice the other.
        let q_mod_p = Zeroizing::new(reduce_once(&q, &p));
        let p_mod_q = Zeroizing::new(reduce_once(&p, &q));
        // Inverses modulo the primes by Fermat (constant-time exponent p − 2), results in
        // Montgomery form.
        // Montgomery forms of secret values: wiped once used (`w` for "wiped").
        let w = |v: Vec<u64>| Zeroizing::new(v);
        let q_inv_p = pm.pow_secret(&w(pm.to_mont(&q_mod_p)), &pm2);
        let mut neg_q = Zeroizing::new(p.to_vec());
        let _ = limbs::sub_assign(&mut neg_q, &q_mod_p);
        let hp = pm.pow_secret(&w(pm.to_mont(&neg_q)), &pm2);
        let mut neg_p = Zeroizing::new(q.to_vec());
        let _ = limbs::sub_assign(&mut neg_p, &p_mod_q);
        let hq = qm.pow_secret(&w(qm.to_mont(&neg_p)), &qm2);
        // (q²)⁻¹ mod p²: Fermat modulo p, then one Hensel (Newton) step x(2 − a·x).
        let a = Zeroizing::new(p2.reduce_wide(q2.modulus()));
        let a_mod_p = Zeroizing::new(pm.reduce_wide(q2.modulus()));
        let x_mont = w(pm.pow_secret(&w(pm.to_mont(&a_mod_p)), &pm2));
        let x = Zeroizing::new(pm.out_of_mont(&x_mont));
        let mut x_wide = Zeroizing::new(vec![0u64; 2 * kp]);
        x_wide[..kp].copy_from_slice(&x);
        let ax = Zeroizing::new(p2.mul(&w(p2.to_mont(&a)), &x_wide));
        let mut two = vec![0u64; 2 * kp];
        two[0] = 2;
        let two_minus = Zeroizing::new(p2.sub(&two, &ax));
        let x2 = Zeroizing::new(p2.mul(&w(p2.to_mont(&x_wide)), &two_minus));
        let q2_inv_p2 = p2.to_mont(&x2);
        Ok(SecretKey {
            pk,
            p_inv_pow2: limbs::inv_mod_pow2(&p),
            q_inv_pow2: limbs::inv_mod_pow2(&q),
            p: core::mem::take(&mut *p),
            q: core::mem::take(&mut *q),
            pm,
            qm,
            p2,
            q2,
            pm1,
            qm1,
            hp,
            hq,
            q_inv_p,
            q2_inv_p2,
        })
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey {
        self.pk.clone()
    }

    /// p and q, big-endian, `n_len / 2` bytes each (for serialization).
    pub fn primes_be(&self) -> (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>) {
        let len = 8 * self.p.len();
        (
            Zeroizing::new(limbs::to_be_bytes(&self.p, len)),
            Zeroizing::new(limbs::to_be_bytes(&self.q, len)),
        )
    }
}

/// 1 if the limbs of `x` are all zero except the lowest, which is ≤ `max` (constant-time).
pub(crate) fn fits_small_bit(x: &[u64], max: u64) -> u64 {
    let high = limbs::is_zero_slice_bit(&x[1..]);
    let (_, borrow) = limbs::sbb(max, x[0], 0);
    high & (borrow ^ 1)
}
