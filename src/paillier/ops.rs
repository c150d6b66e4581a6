//! Encryption, decryption and the homomorphic operations.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::keys::{PublicInner, PublicKey, SecretKey, fits_small_bit};
use crate::Error;
use crate::bigint::limbs::{self, lt_bit, mask_from_bit, select_assign};
use crate::bigint::vartime;
use crate::ct;

/// The bound on draws of r in [`PublicKey::random_below_n`] (each rejected with
/// probability below 1/2).
const MAX_DRAWS: usize = 128;

/// A Paillier ciphertext: an element of Z*ₙ² under one public key.
///
/// It carries its key (shared, so that [`to_bytes`](Self::to_bytes) needs no argument and
/// mixing keys is detected by key id) and is held in Montgomery form, so that a
/// homomorphic addition is one modular multiplication.
///
/// **Invalid ciphertexts.** The operations of [`PublicKey`] that return a `Ciphertext`
/// (not a `Result`) never panic: given a ciphertext of another key, they return an
/// *invalid* ciphertext instead. Every later operation propagates it, decryption returns
/// [`Error::KeyMismatch`], and [`to_bytes`](Self::to_bytes) encodes it as zeros (which
/// [`from_bytes`](Self::from_bytes) rejects). The `checked_*` variants return
/// `Err(KeyMismatch)` at once. The operations that take an `rng` also return an invalid
/// ciphertext if the RNG fails (constant output: see [`Error::RngFailure`]); their
/// `checked_*` variants (and [`PublicKey::checked_encrypt_i64`]) return
/// `Err(RngFailure)`.
#[derive(Clone)]
pub struct Ciphertext {
    pub(crate) key: Arc<PublicInner>,
    /// c·R mod n², 2·n_len/8 limbs.
    pub(crate) value: Vec<u64>,
    pub(crate) valid: bool,
}

impl PartialEq for Ciphertext {
    fn eq(&self, other: &Self) -> bool {
        self.key.key_id == other.key.key_id
            && self.valid == other.valid
            && self.value == other.value
    }
}

impl Eq for Ciphertext {}

impl core::fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Ciphertext {{ key_id: ")?;
        for b in &self.key.key_id[..8] {
            write!(f, "{b:02x}")?;
        }
        write!(f, "…, valid: {}, ", self.valid)?;
        let bytes = self.to_bytes();
        write!(f, "bytes: ")?;
        for b in bytes.iter().take(16) {
            write!(f, "{b:02x}")?;
        }
        f.write_str("… }")
    }
}

impl Ciphertext {
    /// Big-endian c, exactly `ciphertext_len()` bytes of its key (zeros for an invalid
    /// ciphertext, see the type's documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let len = 2 * self.key.n_len();
        if !self.valid {
            return vec![0u8; len];
        }
        limbs::to_be_bytes(&self.key.nn.out_of_mont(&self.value), len)
    }

    /// Parses a big-endian ciphertext of exactly `pk.ciphertext_len()` bytes and checks
    /// 0 < c < n² and gcd(c, n) = 1; otherwise [`Error::InvalidCiphertext`]. (The checks
    /// are on public data and variable-time.)
    pub fn from_bytes(pk: &PublicKey, bytes: &[u8]) -> Result<Self, Error> {
        let inner = &pk.inner;
        if bytes.len() != pk.ciphertext_len() {
            return Err(Error::InvalidCiphertext);
        }
        let k2 = inner.nn.limbs();
        let c = limbs::from_be_bytes(bytes, k2).ok_or(Error::InvalidCiphertext)?;
        if lt_bit(&c, inner.nn.modulus()) == 0 {
            return Err(Error::InvalidCiphertext);
        }
        let c_mod_n = inner.n_ctx.reduce_wide(&c);
        if !vartime::coprime_vartime(&c_mod_n, &inner.n) {
            // Also rejects c = 0 (and c ≡ 0 mod n).
            return Err(Error::InvalidCiphertext);
        }
        Ok(Ciphertext {
            key: inner.clone(),
            value: inner.nn.to_mont(&c),
            valid: true,
        })
    }

    /// The id of the key this ciphertext belongs to ([`PublicKey::key_id`]).
    pub fn key_id(&self) -> [u8; 32] {
        self.key.key_id
    }

    /// Whether this is a valid ciphertext (false after mixing keys; see above).
    pub fn is_valid(&self) -> bool {
        self.valid
    }
}

/// The signed encoding of an i64 as limbs mod n: m ≥ 0 → m, m < 0 → n + m; constant-time
/// in m (the sign is selected with a mask).
pub(crate) fn encode_i64(n: &[u64], m: i64) -> Zeroizing<Vec<u64>> {
    let k = n.len();
    let neg = ((m as u64) >> 63) & 1;
    let mask = mask_from_bit(neg);
    let abs = ((m as u64) ^ mask).wrapping_sub(mask); // |m| as u64 (2^63 for i64::MIN)
    let mut pos = Zeroizing::new(vec![0u64; k]);
    pos[0] = abs;
    let mut wrapped = Zeroizing::new(n.to_vec());
    let _ = limbs::sub_assign(&mut wrapped, &pos);
    select_assign(&mut pos, &wrapped, mask);
    pos
}

impl PublicKey {
    pub(crate) fn same_key(&self, c: &Ciphertext) -> bool {
        c.valid && (Arc::ptr_eq(&self.inner, &c.key) || self.inner.key_id == c.key.key_id)
    }

    pub(crate) fn invalid(&self) -> Ciphertext {
        Ciphertext {
            key: self.inner.clone(),
            value: vec![0u64; self.inner.nn.limbs()],
            valid: false,
        }
    }

    pub(crate) fn wrap(&self, value: Vec<u64>) -> Ciphertext {
        Ciphertext {
            key: self.inner.clone(),
            value,
            valid: true,
        }
    }

    /// gᵐ·R = (1 + m·n)·R mod n² for m < n (no reduction needed: (n−1)·n + 1 < n²).
    pub(crate) fn g_pow_mont(&self, m: &[u64]) -> Vec<u64> {
        let inner = &self.inner;
        let mut gm = Zeroizing::new(limbs::mul(m, &inner.n));
        let _ = limbs::add_assign(&mut gm, &[1]);
        inner.nn.to_mont(&gm)
    }

    /// r uniform in [1, n) (rejection sampling: the verdict "r in range" is declassified;
    /// a rejected r is discarded). n has its top bit set, so a draw of `n_len` bytes is
    /// rejected with probability below 1/2: after [`MAX_DRAWS`] rejections (probability
    /// below 2⁻¹²⁸ for a working RNG) [`Error::RngFailure`] instead of spinning forever
    /// on an RNG with constant output.
    pub(crate) fn random_below_n<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<Zeroizing<Vec<u64>>, Error> {
        let inner = &self.inner;
        let k = inner.n.len();
        let mut bytes = Zeroizing::new(vec![0u8; inner.n_len()]);
        for _ in 0..MAX_DRAWS {
            rng.fill_bytes(&mut bytes);
            let r = Zeroizing::new(limbs::from_be_bytes(&bytes, k).unwrap_or_default());
            let ok = lt_bit(&r, &inner.n) & (limbs::is_zero_slice_bit(&r) ^ 1);
            if ct::declassify_choice(subtle::Choice::from(ok as u8)) {
                return Ok(r);
            }
        }
        Err(Error::RngFailure)
    }

    /// rⁿ·R mod n² for a fresh uniformly random r ∈ [1, n): one exponentiation by the
    /// public exponent n (variable-time in n only; r is secret and only multiplied).
    /// [`Error::RngFailure`] from [`random_below_n`](Self::random_below_n).
    pub(crate) fn random_rn_mont<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<Vec<u64>, Error> {
        let inner = &self.inner;
        let r = self.random_below_n(rng)?;
        let mut r_wide = Zeroizing::new(vec![0u64; inner.nn.limbs()]);
        r_wide[..r.len()].copy_from_slice(&r);
        let r_mont = Zeroizing::new(inner.nn.to_mont(&r_wide));
        Ok(inner.nn.pow_public_vartime(&r_mont, &inner.n))
    }

    /// (1 + m·n)·(rⁿ) with rⁿ given in Montgomery form.
    pub(crate) fn encrypt_with_rn(&self, m: &[u64], rn_mont: &[u64]) -> Ciphertext {
        let gm = Zeroizing::new(self.g_pow_mont(m));
        self.wrap(self.inner.nn.mul(&gm, rn_mont))
    }

    /// Parses a big-endian plaintext (at most `n_len` bytes) that must be below n.
    pub(crate) fn plaintext_be(&self, m_be: &[u8]) -> Result<Zeroizing<Vec<u64>>, Error> {
        if m_be.len() > self.n_len() {
            return Err(Error::PlaintextOutOfRange);
        }
        let m = Zeroizing::new(
            limbs::from_be_bytes(m_be, self.inner.n.len()).ok_or(Error::PlaintextOutOfRange)?,
        );
        // The verdict is public (the caller learns it from the result).
        if !ct::declassify_choice(subtle::Choice::from(lt_bit(&m, &self.inner.n) as u8)) {
            return Err(Error::PlaintextOutOfRange);
        }
        Ok(m)
    }

    /// Encrypts the signed integer m (encoded as m mod n: m ≥ 0 → m, m < 0 → n + m) with
    /// fresh randomness: (1 + m·n)·rⁿ mod n². Constant-time in m and r. An RNG that fails
    /// (constant output, see [`Error::RngFailure`]) gives an *invalid* ciphertext (see
    /// [`Ciphertext`]); [`checked_encrypt_i64`](Self::checked_encrypt_i64) reports it.
    pub fn encrypt_i64<R: CryptoRng + ?Sized>(&self, rng: &mut R, m: i64) -> Ciphertext {
        self.checked_encrypt_i64(rng, m)
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`encrypt_i64`](Self::encrypt_i64), or [`Error::RngFailure`] if the RNG fails.
    pub fn checked_encrypt_i64<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        m: i64,
    ) -> Result<Ciphertext, Error> {
        let m = encode_i64(&self.inner.n, m);
        let rn = Zeroizing::new(self.random_rn_mont(rng)?);
        Ok(self.encrypt_with_rn(&m, &rn))
    }

    /// Encrypts m given big-endian (any length up to `n_len`); m must be below n, else
    /// [`Error::PlaintextOutOfRange`]; [`Error::RngFailure`] if the RNG fails.
    /// Constant-time in m and r.
    pub fn encrypt_be<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        m_be: &[u8],
    ) -> Result<Ciphertext, Error> {
        let m = self.plaintext_be(m_be)?;
        let rn = Zeroizing::new(self.random_rn_mont(rng)?);
        Ok(self.encrypt_with_rn(&m, &rn))
    }

    /// Enc(a + b): one multiplication mod n². Mixed keys: an invalid ciphertext.
    pub fn add(&self, a: &Ciphertext, b: &Ciphertext) -> Ciphertext {
        self.checked_add(a, b).unwrap_or_else(|_| self.invalid())
    }

    /// [`add`](Self::add), or [`Error::KeyMismatch`] if either ciphertext is not valid
    /// under this key.
    pub fn checked_add(&self, a: &Ciphertext, b: &Ciphertext) -> Result<Ciphertext, Error> {
        if !self.same_key(a) || !self.same_key(b) {
            return Err(Error::KeyMismatch);
        }
        Ok(self.wrap(self.inner.nn.mul(&a.value, &b.value)))
    }

    /// c·rⁿ mod n² for a fresh r: what every operation below that takes an `rng` applies
    /// to its result (an invalid ciphertext stays invalid and costs nothing);
    /// [`Error::RngFailure`] if the RNG fails.
    fn fresh<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        mut c: Ciphertext,
    ) -> Result<Ciphertext, Error> {
        if c.valid {
            let rn = Zeroizing::new(self.random_rn_mont(rng)?);
            c.value = self.inner.nn.mul(&c.value, &rn);
        }
        Ok(c)
    }

    /// Enc(m + k) for the signed plaintext k, **rerandomized** (multiplied by a fresh rⁿ,
    /// as python-paillier does), so that whoever saw `c` cannot test guesses of k
    /// against the result. Mixed keys: an invalid ciphertext.
    pub fn add_plain_i64<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
        k: i64,
    ) -> Ciphertext {
        self.fresh(rng, self.add_plain_i64_raw(c, k))
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`add_plain_i64`](Self::add_plain_i64) with [`Error::KeyMismatch`] on a foreign
    /// ciphertext.
    pub fn checked_add_plain_i64<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
        k: i64,
    ) -> Result<Ciphertext, Error> {
        self.fresh(rng, self.checked_add_plain_i64_raw(c, k)?)
    }

    /// Enc(m + k) **without** rerandomization: deterministic, c·(1 + k·n), so anyone who
    /// holds `c` can recompute it for a guessed k and compare. Only for a caller that
    /// rerandomizes the result (or a sum it enters) before anyone else sees it, or whose
    /// k is public.
    pub fn add_plain_i64_raw(&self, c: &Ciphertext, k: i64) -> Ciphertext {
        self.checked_add_plain_i64_raw(c, k)
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`add_plain_i64_raw`](Self::add_plain_i64_raw) with [`Error::KeyMismatch`] on a
    /// foreign ciphertext.
    pub fn checked_add_plain_i64_raw(&self, c: &Ciphertext, k: i64) -> Result<Ciphertext, Error> {
        if !self.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        let k = encode_i64(&self.inner.n, k);
        let gk = Zeroizing::new(self.g_pow_mont(&k));
        Ok(self.wrap(self.inner.nn.mul(&c.value, &gk)))
    }

    /// Enc(m + k) for k big-endian below n, rerandomized like
    /// [`add_plain_i64`](Self::add_plain_i64) ([`Error::PlaintextOutOfRange`] otherwise,
    /// [`Error::KeyMismatch`] for a foreign ciphertext).
    pub fn add_plain_be<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
        k_be: &[u8],
    ) -> Result<Ciphertext, Error> {
        self.fresh(rng, self.add_plain_be_raw(c, k_be)?)
    }

    /// [`add_plain_be`](Self::add_plain_be) **without** rerandomization (deterministic: see
    /// [`add_plain_i64_raw`](Self::add_plain_i64_raw) for when that is safe).
    pub fn add_plain_be_raw(&self, c: &Ciphertext, k_be: &[u8]) -> Result<Ciphertext, Error> {
        if !self.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        let k = self.plaintext_be(k_be)?;
        let gk = Zeroizing::new(self.g_pow_mont(&k));
        Ok(self.wrap(self.inner.nn.mul(&c.value, &gk)))
    }

    /// Enc(−m), rerandomized: the inverse of c mod n² (binary extended GCD, variable-time
    /// in the public ciphertext) times a fresh rⁿ.
    pub fn negate<R: CryptoRng + ?Sized>(&self, rng: &mut R, c: &Ciphertext) -> Ciphertext {
        self.fresh(rng, self.negate_raw(c))
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`negate`](Self::negate) with [`Error::KeyMismatch`] on a foreign ciphertext.
    pub fn checked_negate<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
    ) -> Result<Ciphertext, Error> {
        self.fresh(rng, self.checked_negate_raw(c)?)
    }

    /// Enc(−m) **without** rerandomization: c⁻¹ mod n², which anyone can compute from c
    /// and link to it. Only for a caller that rerandomizes later.
    pub fn negate_raw(&self, c: &Ciphertext) -> Ciphertext {
        self.checked_negate_raw(c)
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`negate_raw`](Self::negate_raw) with [`Error::KeyMismatch`] on a foreign
    /// ciphertext.
    pub fn checked_negate_raw(&self, c: &Ciphertext) -> Result<Ciphertext, Error> {
        if !self.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        let nn = &self.inner.nn;
        let plain = nn.out_of_mont(&c.value);
        // Valid ciphertexts are units (checked on import, kept by every operation).
        let inv = vartime::inv_mod_vartime(&plain, nn.modulus()).ok_or(Error::InvalidCiphertext)?;
        Ok(self.wrap(nn.to_mont(&inv)))
    }

    /// Enc(a − b), rerandomized.
    pub fn sub<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        a: &Ciphertext,
        b: &Ciphertext,
    ) -> Ciphertext {
        self.fresh(rng, self.sub_raw(a, b))
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`sub`](Self::sub) with [`Error::KeyMismatch`] on a foreign ciphertext.
    pub fn checked_sub<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        a: &Ciphertext,
        b: &Ciphertext,
    ) -> Result<Ciphertext, Error> {
        self.fresh(rng, self.checked_sub_raw(a, b)?)
    }

    /// Enc(a − b) **without** rerandomization (a·b⁻¹ mod n², computable by anyone holding
    /// a and b). Only for a caller that rerandomizes later.
    pub fn sub_raw(&self, a: &Ciphertext, b: &Ciphertext) -> Ciphertext {
        self.checked_sub_raw(a, b)
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`sub_raw`](Self::sub_raw) with [`Error::KeyMismatch`] on a foreign ciphertext.
    pub fn checked_sub_raw(&self, a: &Ciphertext, b: &Ciphertext) -> Result<Ciphertext, Error> {
        let nb = self.checked_negate_raw(b)?;
        self.checked_add(a, &nb)
    }

    /// Enc(k·m) for the signed scalar k, rerandomized: c^|k| (negated for k < 0) times a
    /// fresh rⁿ, so that whoever saw `c` cannot test guesses of k (without it, k = 0 would
    /// give the fixed ciphertext 1). The magnitude of k goes through a constant-time
    /// 64-bit exponentiation; its **sign is treated as public** (it decides whether c is
    /// inverted first).
    pub fn mul_plain<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
        k: i64,
    ) -> Ciphertext {
        self.fresh(rng, self.mul_plain_raw(c, k))
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`mul_plain`](Self::mul_plain) with [`Error::KeyMismatch`] on a foreign ciphertext.
    pub fn checked_mul_plain<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
        k: i64,
    ) -> Result<Ciphertext, Error> {
        self.fresh(rng, self.checked_mul_plain_raw(c, k)?)
    }

    /// Enc(k·m) **without** rerandomization: c^k, deterministic, so anyone who holds `c`
    /// can test guesses of k (k = 0 gives the ciphertext 1). Only for a caller that
    /// rerandomizes the result (or a sum it enters) before anyone else sees it.
    pub fn mul_plain_raw(&self, c: &Ciphertext, k: i64) -> Ciphertext {
        self.checked_mul_plain_raw(c, k)
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`mul_plain_raw`](Self::mul_plain_raw) with [`Error::KeyMismatch`] on a foreign
    /// ciphertext.
    pub fn checked_mul_plain_raw(&self, c: &Ciphertext, k: i64) -> Result<Ciphertext, Error> {
        // The sign is public (documented); take it from bit 63 alone, through a barrier, so
        // that the branch depends on that bit only and not on the magnitude.
        let negative = core::hint::black_box((k as u64) >> 63) == 1;
        let base = if negative {
            self.checked_negate_raw(c)?
        } else if self.same_key(c) {
            c.clone()
        } else {
            return Err(Error::KeyMismatch);
        };
        let e = Zeroizing::new([k.unsigned_abs()]);
        Ok(self.wrap(self.inner.nn.pow_secret(&base.value, &e[..])))
    }

    /// Enc(k·m) for a big-endian scalar k of at most `n_len` bytes, rerandomized like
    /// [`mul_plain`](Self::mul_plain) (constant-time in k; its length is public).
    /// [`Error::PlaintextOutOfRange`] if longer, [`Error::KeyMismatch`] for a foreign
    /// ciphertext.
    pub fn mul_plain_be<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
        k_be: &[u8],
    ) -> Result<Ciphertext, Error> {
        self.fresh(rng, self.mul_plain_be_raw(c, k_be)?)
    }

    /// [`mul_plain_be`](Self::mul_plain_be) **without** rerandomization (deterministic:
    /// see [`mul_plain_raw`](Self::mul_plain_raw) for when that is safe).
    pub fn mul_plain_be_raw(&self, c: &Ciphertext, k_be: &[u8]) -> Result<Ciphertext, Error> {
        if !self.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        if k_be.len() > self.n_len() {
            return Err(Error::PlaintextOutOfRange);
        }
        let k = Zeroizing::new(
            limbs::from_be_bytes(k_be, k_be.len().div_ceil(8)).ok_or(Error::PlaintextOutOfRange)?,
        );
        Ok(self.wrap(self.inner.nn.pow_secret(&c.value, &k)))
    }

    /// The same plaintext under fresh randomness: c·rⁿ mod n².
    pub fn rerandomize<R: CryptoRng + ?Sized>(&self, rng: &mut R, c: &Ciphertext) -> Ciphertext {
        self.checked_rerandomize(rng, c)
            .unwrap_or_else(|_| self.invalid())
    }

    /// [`rerandomize`](Self::rerandomize) with [`Error::KeyMismatch`] on a foreign
    /// ciphertext and [`Error::RngFailure`] if the RNG fails.
    pub fn checked_rerandomize<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
    ) -> Result<Ciphertext, Error> {
        if !self.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        self.fresh(rng, c.clone())
    }
}

impl SecretKey {
    /// m ∈ [0, n) as limbs, by CRT (Paillier 1999 §7): m_p = L_p(c^(p−1) mod p²)·h_p mod p
    /// with L_p(x) = (x − 1)/p and h_p = (−q)⁻¹ mod p (for g = n + 1), the same for q, then
    /// m = m_q + q·((m_p − m_q)·q⁻¹ mod p). Everything constant-time; the division by p is
    /// a multiplication by p⁻¹ mod 2^(64k) (exact, since p | x − 1).
    pub(crate) fn decrypt_limbs(&self, c: &Ciphertext) -> Result<Zeroizing<Vec<u64>>, Error> {
        if !self.pk.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        let inner = &self.pk.inner;
        let c_plain = Zeroizing::new(inner.nn.out_of_mont(&c.value));
        let mp = Zeroizing::new(half_decrypt(
            &self.p2,
            &self.pm,
            &self.pm1,
            &self.p_inv_pow2,
            &self.hp,
            &c_plain,
        ));
        let mq = Zeroizing::new(half_decrypt(
            &self.q2,
            &self.qm,
            &self.qm1,
            &self.q_inv_pow2,
            &self.hq,
            &c_plain,
        ));
        Ok(self.crt_mod_n(&mp, &mq))
    }

    /// m_q + q·((m_p − m_q)·q⁻¹ mod p), constant-time.
    fn crt_mod_n(&self, mp: &[u64], mq: &[u64]) -> Zeroizing<Vec<u64>> {
        let kp = self.p.len();
        // m_q < q < 2p: one masked subtraction reduces it mod p.
        let mut mq_p = Zeroizing::new(mq.to_vec());
        let ge = lt_bit(&mq_p, &self.p) ^ 1;
        let _ = limbs::masked_sub_assign(&mut mq_p, &self.p, mask_from_bit(ge));
        let d = Zeroizing::new(self.pm.sub(mp, &mq_p));
        let h = Zeroizing::new(self.pm.mul(&d, &self.q_inv_p));
        let mut m = Zeroizing::new(limbs::mul(&self.q, &h));
        let _ = limbs::add_assign(&mut m, mq);
        debug_assert_eq!(m.len(), 2 * kp);
        m
    }

    /// Decrypts to m ∈ [0, n), big-endian, exactly `n_len` bytes.
    /// [`Error::KeyMismatch`] for a ciphertext of another key or an invalid one.
    pub fn decrypt_be(&self, c: &Ciphertext) -> Result<Zeroizing<Vec<u8>>, Error> {
        let m = self.decrypt_limbs(c)?;
        Ok(Zeroizing::new(limbs::to_be_bytes(&m, self.pk.n_len())))
    }

    /// Decrypts a signed integer (m ≤ 2⁶³ − 1 → m; m ≥ n − 2⁶³ → m − n); any other
    /// plaintext is [`Error::PlaintextOutOfRange`] (that verdict is declassified; the
    /// value itself is extracted in constant time).
    pub fn decrypt_i64(&self, c: &Ciphertext) -> Result<i64, Error> {
        let m = self.decrypt_limbs(c)?;
        let pos = fits_small_bit(&m, i64::MAX as u64);
        let mut d = Zeroizing::new(self.pk.inner.n.clone());
        let _ = limbs::sub_assign(&mut d, &m); // n − m ∈ (0, n]
        let neg = fits_small_bit(&d, 1u64 << 63);
        if !ct::declassify_choice(subtle::Choice::from((pos | neg) as u8)) {
            return Err(Error::PlaintextOutOfRange);
        }
        let mask = mask_from_bit(pos);
        let v = (m[0] & mask) | ((d[0].wrapping_neg()) & !mask);
        let mut out = v as i64;
        let result = core::hint::black_box(&mut out);
        Ok(*result)
    }

    /// rⁿ·R mod n² for fresh randomness, by CRT (see [`SecretKey::encrypt_i64`]).
    ///
    /// Distribution argument: for r uniform in Z*ₙ, (r mod p, r mod q) is uniform in
    /// Z*_p × Z*_q and rⁿ mod p² depends only on r mod p ((r + tp)ⁿ ≡ rⁿ mod p² since p | n).
    /// The map f(a) = aⁿ mod p² is a homomorphism from Z*_p into G_p, the subgroup of order
    /// p − 1 of Z*_p², and it is injective (aⁿ ≡ 1 mod p² ⇒ a^q ≡ aⁿ ≡ 1 mod p, and
    /// gcd(q, p − 1) = 1 ⇒ a ≡ 1), hence a bijection: rⁿ mod p² is uniform on G_p. So is
    /// a^p mod p² for a uniform in Z*_p (g(a) = a^p is well defined mod p by the same
    /// binomial argument and injective since a^p ≡ a mod p). The two halves are
    /// independent, so (a^p mod p², b^q mod q²) recombined by CRT has exactly the
    /// distribution of rⁿ mod n² — with exponents of half the size modulo half-size
    /// moduli. a and b are drawn with 64·k extra bits and reduced (statistical distance
    /// ≤ 2^-(64k)); a = 0 has probability ≈ 2^-(64k) and is not excluded.
    pub(crate) fn random_rn_mont_crt<R: CryptoRng + ?Sized>(&self, rng: &mut R) -> Vec<u64> {
        let kp = self.p.len();
        let xp = Zeroizing::new(random_pth_power(rng, &self.p2, &self.p, kp));
        let xq = Zeroizing::new(random_pth_power(rng, &self.q2, &self.q, kp));
        // X = x_q + q²·((x_p − x_q)·(q²)⁻¹ mod p²) < n².
        let xq_p = Zeroizing::new(self.p2.reduce_wide(&xq));
        let d = Zeroizing::new(self.p2.sub(&xp, &xq_p));
        let h = Zeroizing::new(self.p2.mul(&d, &self.q2_inv_p2));
        let mut x = Zeroizing::new(limbs::mul(self.q2.modulus(), &h));
        let _ = limbs::add_assign(&mut x, &xq);
        self.pk.inner.nn.to_mont(&x)
    }

    /// Encrypts like [`PublicKey::encrypt_i64`], with the same output distribution, but
    /// computes rⁿ by CRT with the secret primes (about four times faster).
    pub fn encrypt_i64<R: CryptoRng + ?Sized>(&self, rng: &mut R, m: i64) -> Ciphertext {
        let m = encode_i64(&self.pk.inner.n, m);
        let rn = Zeroizing::new(self.random_rn_mont_crt(rng));
        self.pk.encrypt_with_rn(&m, &rn)
    }

    /// Encrypts like [`PublicKey::encrypt_be`], with rⁿ computed by CRT.
    pub fn encrypt_be<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        m_be: &[u8],
    ) -> Result<Ciphertext, Error> {
        let m = self.pk.plaintext_be(m_be)?;
        let rn = Zeroizing::new(self.random_rn_mont_crt(rng));
        Ok(self.pk.encrypt_with_rn(&m, &rn))
    }
}

/// One CRT half of decryption, modulo p (or q): L_p(c^(p−1) mod p²)·h_p mod p.
fn half_decrypt(
    p2: &crate::bigint::Monty,
    pm: &crate::bigint::Monty,
    pm1: &[u64],
    p_inv_pow2: &[u64],
    hp: &[u64],
    c_plain: &[u64],
) -> Vec<u64> {
    let kp = pm.limbs();
    // c mod p² (with c, it gives a multiple of p²) and c^(p−1): secret, wiped.
    let cp = Zeroizing::new(p2.reduce_wide(c_plain));
    let cp_mont = Zeroizing::new(p2.to_mont(&cp));
    let x_mont = Zeroizing::new(p2.pow_secret(&cp_mont, pm1));
    let x = Zeroizing::new(p2.out_of_mont(&x_mont));
    // x ≡ 1 (mod p); (x − 1)/p < p is exact, so it equals (x − 1)·p⁻¹ mod 2^(64·kp).
    let mut xm1 = Zeroizing::new(x.to_vec());
    let _ = limbs::sub_assign(&mut xm1, &[1]);
    let mut l = limbs::mul_lo(&xm1[..kp], p_inv_pow2, kp);
    let out = pm.mul(&l, hp);
    l.zeroize();
    out
}

/// a^p mod p² (Montgomery form removed: plain value, 2kp limbs) for a uniform in Z_p,
/// drawn as 2·kp random limbs reduced mod p (constant-time).
fn random_pth_power<R: CryptoRng + ?Sized>(
    rng: &mut R,
    p2: &crate::bigint::Monty,
    p: &[u64],
    kp: usize,
) -> Vec<u64> {
    let mut bytes = Zeroizing::new(vec![0u8; 16 * kp]);
    rng.fill_bytes(&mut bytes);
    let wide = Zeroizing::new(limbs::from_be_bytes(&bytes, 2 * kp).unwrap_or_default());
    // Reduce mod p² first, then the a^p map only depends on a mod p, so reducing mod p²
    // (statistically uniform mod p², hence mod p) is enough.
    let a = Zeroizing::new(p2.reduce_wide(&wide));
    let a_mont = Zeroizing::new(p2.to_mont(&a));
    let ap_mont = Zeroizing::new(p2.pow_secret(&a_mont, p));
    p2.out_of_mont(&ap_mont)
}
