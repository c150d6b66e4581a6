//! Plaintext encodings for Paillier: signed integers, fixed point with a fixed public scale,
//! and packed vectors of bounded counters.
//!
//! A Paillier plaintext is an element of Z/nZ, written here as `n_len()` big-endian bytes
//! (what [`PublicKey::encrypt_be`] takes and [`SecretKey::decrypt_be`] returns). Every
//! encoding maps numbers into that ring so that Paillier's addition of plaintexts becomes
//! addition of the numbers, and says how far it can go before the sum wraps.
//!
//! - **Signed integers** ([`encode_i128`], [`decode_i128`], [`encrypt_i128`],
//!   [`decrypt_i128`]): v ≥ 0 is v, v < 0 is n + v (n − |v|), the convention of
//!   python-paillier and of the core's `encrypt_i64`. Decoding accepts m ≤ 2¹²⁷ − 1 as
//!   positive and n − m ≤ 2¹²⁷ as negative; anything in between (a sum that left the i128
//!   range) is [`Error::PlaintextOutOfRange`]. Since n > 2²⁵⁶ the two ranges are far apart.
//! - **Fixed point** ([`FixedPoint`]): x ↦ round(x · 2^f) as a signed i128, with one scale
//!   2^f fixed and public for every value of a computation. Python-paillier instead picks an
//!   exponent per value, which tells anyone holding the ciphertext roughly how large (and
//!   how precise) the value is; a fixed scale leaks nothing but the scale. Sums of values
//!   with the same scale keep it.
//! - **Packed vectors** ([`PackedLayout`], [`PackedCiphertext`]): `slots` unsigned counters
//!   of at most `max_value` each, for at most `contributors` contributions, in one
//!   plaintext. Each slot is w = bitlen(max_value · contributors) bits wide, slot i occupies
//!   bits i·w .. (i+1)·w, and slots · w ≤ bitlen(n) − 1, so the whole packed number stays
//!   below 2^(bitlen(n)−1) < n. A contribution is checked on encode (every value ≤
//!   `max_value`), and a [`PackedCiphertext`] counts the contributions it sums: adding
//!   beyond the declared number is refused with [`Error::Overflow`]. With both checks no
//!   slot can carry into the next one and the sum never wraps mod n: overflow is impossible
//!   by construction, not detected after the fact. (A contributor who bypasses
//!   [`PackedLayout::encrypt`] and encrypts an arbitrary plaintext is not stopped by this;
//!   that needs a range proof. [`PackedLayout::decode`] does reject sums whose slots exceed
//!   `max_value` × contributions or whose free top bits are set.)
//!
//! Constant time: values, contributions and plaintexts are secret. Encoding and decoding
//! use only public shift amounts and positions (slot index, width, the scale), mask
//! selections and comparisons done as arithmetic; range checks accumulate into one flag
//! that is made public once, as the `Ok`/`Err` verdict. The conversions between `f64` and
//! `i128` in [`FixedPoint`] are compiled to compiler-rt routines whose timing may depend on
//! the value's magnitude; the integer encodings do not have that caveat.

use alloc::vec;
use alloc::vec::Vec;

use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::encoding::make_public;

use super::threshold::{DecryptionShare, ThresholdPublicKey};
use super::{Ciphertext, PublicKey, SecretKey};

// ---------------------------------------------------------------------------------------
// Byte-level helpers: big-endian numbers of equal length, constant time.
// ---------------------------------------------------------------------------------------

/// All ones if `x` has its top bit set, else zero; hidden from the optimiser so that it
/// stays a mask and does not become a branch on a secret.
#[inline(always)]
fn top_bit_mask_u128(x: u128) -> u128 {
    core::hint::black_box(0u128.wrapping_sub(x >> 127))
}

/// All ones if `x != 0`, else zero.
#[inline(always)]
fn nonzero_mask_u128(x: u128) -> u128 {
    // x | −x has its top bit set iff x ≠ 0.
    top_bit_mask_u128(x | x.wrapping_neg())
}

/// 1 if `a > b`, else 0, without a branch: the borrow out of b − a.
#[inline(always)]
fn gt_u64(a: u64, b: u64) -> u64 {
    let (_, borrow) = b.overflowing_sub(a);
    core::hint::black_box(borrow as u64)
}

/// `out = a − b` (big-endian, equal lengths, wrapping); returns the final borrow (0 or 1).
fn sub_be(a: &[u8], b: &[u8], out: &mut [u8]) -> u8 {
    debug_assert!(a.len() == b.len() && b.len() == out.len());
    let mut borrow = 0u16;
    for i in (0..out.len()).rev() {
        let d = u16::from(a[i])
            .wrapping_sub(u16::from(b[i]))
            .wrapping_sub(borrow);
        out[i] = d as u8;
        // d wrapped iff its high byte is 0xff; borrow is its top bit.
        borrow = d >> 15;
    }
    borrow as u8
}

/// OR of all bytes (zero iff every byte is zero), constant time.
fn or_bytes(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |acc, b| acc | b)
}

/// The low 16 bytes of a big-endian number as a u128.
fn low_u128(bytes: &[u8]) -> u128 {
    let mut w = [0u8; 16];
    w.copy_from_slice(&bytes[bytes.len() - 16..]);
    let v = u128::from_be_bytes(w);
    w.zeroize();
    v
}

/// The smallest modulus length this module works with: n > 2²⁵⁶ keeps the positive and
/// negative ranges of i128 apart with room for the sums of many values.
const MIN_N_LEN: usize = 33;

fn check_modulus(n_be: &[u8]) -> Result<(), Error> {
    if n_be.len() < MIN_N_LEN || n_be[0] == 0 {
        return Err(Error::InvalidModulus);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Signed integers
// ---------------------------------------------------------------------------------------

/// Encodes `v` as a plaintext mod n (`n_be`: the modulus, big-endian, no leading zero
/// byte): `v` if v ≥ 0, n − |v| if v < 0. Constant time in `v`.
pub fn encode_i128_with_modulus(n_be: &[u8], v: i128) -> Result<Zeroizing<Vec<u8>>, Error> {
    check_modulus(n_be)?;
    let len = n_be.len();
    let neg = top_bit_mask_u128(v as u128);
    // |v| as u128 (2¹²⁷ for i128::MIN): two's complement negation under the mask.
    let mag = ((v as u128) ^ neg).wrapping_add(neg & 1);
    let mut pos = Zeroizing::new(vec![0u8; len]);
    pos[len - 16..].copy_from_slice(&mag.to_be_bytes());
    let mut negv = Zeroizing::new(vec![0u8; len]);
    let _ = sub_be(n_be, &pos, &mut negv);
    let m = (neg & 0xff) as u8;
    let mut out = Zeroizing::new(vec![0u8; len]);
    for i in 0..len {
        out[i] = (pos[i] & !m) | (negv[i] & m);
    }
    Ok(out)
}

/// Decodes a plaintext `m_be` (big-endian, `n_be.len()` bytes, m < n) as a signed i128.
/// [`Error::PlaintextOutOfRange`] if m is neither ≤ 2¹²⁷ − 1 nor ≥ n − 2¹²⁷.
pub fn decode_i128_with_modulus(n_be: &[u8], m_be: &[u8]) -> Result<i128, Error> {
    check_modulus(n_be)?;
    let len = n_be.len();
    if m_be.len() != len {
        return Err(Error::InvalidLength);
    }
    // Positive: all bytes above the low 16 are zero and bit 127 is clear.
    let hi_m = or_bytes(&m_be[..len - 16]);
    let lo_m = low_u128(m_be);
    let pos_ok = !nonzero_mask_u128(u128::from(hi_m)) & !top_bit_mask_u128(lo_m);
    // Negative: d = n − m has zero high bytes and 1 ≤ d ≤ 2¹²⁷.
    let mut d = Zeroizing::new(vec![0u8; len]);
    let borrow = sub_be(n_be, m_be, &mut d);
    let hi_d = or_bytes(&d[..len - 16]) | borrow;
    let lo_d = low_u128(&d);
    let neg_ok = !nonzero_mask_u128(u128::from(hi_d))
        & nonzero_mask_u128(lo_d)
        & !top_bit_mask_u128(lo_d.wrapping_sub(1));
    let value = (lo_m & pos_ok) | (lo_d.wrapping_neg() & !pos_ok);
    // Both verdicts together say only "in range or not", which the caller learns anyway.
    if make_public((pos_ok | neg_ok) as u8) == 0 {
        return Err(Error::PlaintextOutOfRange);
    }
    Ok(value as i128)
}

/// [`encode_i128_with_modulus`] for a public key's modulus.
pub fn encode_i128(pk: &PublicKey, v: i128) -> Result<Zeroizing<Vec<u8>>, Error> {
    encode_i128_with_modulus(&pk.modulus_be(), v)
}

/// [`decode_i128_with_modulus`] for a public key's modulus.
pub fn decode_i128(pk: &PublicKey, m_be: &[u8]) -> Result<i128, Error> {
    decode_i128_with_modulus(&pk.modulus_be(), m_be)
}

/// Encrypts a signed 128-bit integer (full-strength encryption, as `encrypt_be`).
pub fn encrypt_i128<R: CryptoRng + ?Sized>(
    pk: &PublicKey,
    rng: &mut R,
    v: i128,
) -> Result<Ciphertext, Error> {
    let m = encode_i128(pk, v)?;
    pk.encrypt_be(rng, &m)
}

/// Decrypts a ciphertext of a signed integer (or of a sum of them) to an i128;
/// [`Error::PlaintextOutOfRange`] if the plaintext is outside the i128 range.
pub fn decrypt_i128(sk: &SecretKey, c: &Ciphertext) -> Result<i128, Error> {
    let m = sk.decrypt_be(c)?;
    decode_i128(&sk.public_key(), &m)
}

// ---------------------------------------------------------------------------------------
// Fixed point
// ---------------------------------------------------------------------------------------

/// Fixed-point numbers with one public binary scale: x is encoded as the signed integer
/// round(x · 2^`frac_bits`) (ties away from zero), then as in [`encode_i128`].
///
/// Every value of one computation must use the same `FixedPoint`; a sum of k encoded
/// values decodes to the sum of the rounded values, exactly as long as the integer sum
/// stays within i128. Decoding rounds the i128 to the nearest `f64`.
///
/// Interop with python-paillier: its `EncodedNumber` is mantissa · 16^exponent, so a scale
/// 2^f with f a multiple of 4 is phe's exponent −f/4 ([`FixedPoint::phe_exponent`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedPoint {
    frac_bits: u32,
}

impl FixedPoint {
    /// The largest scale accepted: 2¹¹².
    pub const MAX_FRAC_BITS: u32 = 112;

    /// A fixed-point encoding with scale 2^`frac_bits` (0 ≤ `frac_bits` ≤ 112);
    /// [`Error::PlaintextOutOfRange`] beyond.
    pub fn new(frac_bits: u32) -> Result<Self, Error> {
        if frac_bits > Self::MAX_FRAC_BITS {
            return Err(Error::PlaintextOutOfRange);
        }
        Ok(Self { frac_bits })
    }

    /// The scale's exponent of two.
    pub fn frac_bits(&self) -> u32 {
        self.frac_bits
    }

    /// The python-paillier exponent (base 16) equal to this scale, if `frac_bits` is a
    /// multiple of 4.
    pub fn phe_exponent(&self) -> Option<i32> {
        self.frac_bits
            .is_multiple_of(4)
            .then(|| -((self.frac_bits / 4) as i32))
    }

    /// The fixed-point integer round(x · 2^f); [`Error::PlaintextOutOfRange`] if `x` is not
    /// finite or |x · 2^f| ≥ 2¹²⁷.
    pub fn to_fixed(&self, x: f64) -> Result<i128, Error> {
        // Multiplying by a power of two is exact (no overflow below: f ≤ 112 and the range
        // check follows).
        let s = x * pow2(self.frac_bits as i32);
        // |s| < 2¹²⁷ also rejects ±∞; NaN fails every comparison.
        let in_range = (s.abs() < pow2(127)) as u8;
        if make_public(in_range) == 0 {
            return Err(Error::PlaintextOutOfRange);
        }
        // Truncate toward zero, then round half away from zero using the remainder, which
        // is exact: for |s| < 2⁵² the difference of s and its truncation is representable,
        // and above that s is already an integer.
        let t = s as i128;
        let rem = s - t as f64;
        let up = (rem >= 0.5) as i128;
        let down = (rem <= -0.5) as i128;
        Ok(t + up - down)
    }

    /// The `f64` nearest to the fixed-point integer `v` / 2^f.
    pub fn from_fixed(&self, v: i128) -> f64 {
        (v as f64) * pow2(-(self.frac_bits as i32))
    }

    /// Encodes `x` as a plaintext for `pk`.
    pub fn encode(&self, pk: &PublicKey, x: f64) -> Result<Zeroizing<Vec<u8>>, Error> {
        encode_i128(pk, self.to_fixed(x)?)
    }

    /// Decodes a plaintext for `pk` (a value or a sum of values of this scale).
    pub fn decode(&self, pk: &PublicKey, m_be: &[u8]) -> Result<f64, Error> {
        Ok(self.from_fixed(decode_i128(pk, m_be)?))
    }

    /// Encodes and encrypts `x` (full-strength encryption).
    pub fn encrypt<R: CryptoRng + ?Sized>(
        &self,
        pk: &PublicKey,
        rng: &mut R,
        x: f64,
    ) -> Result<Ciphertext, Error> {
        pk.encrypt_be(rng, &self.encode(pk, x)?)
    }

    /// Decrypts and decodes a ciphertext of this scale.
    pub fn decrypt(&self, sk: &SecretKey, c: &Ciphertext) -> Result<f64, Error> {
        let m = sk.decrypt_be(c)?;
        self.decode(&sk.public_key(), &m)
    }
}

/// 2^k as an f64 for −1022 ≤ k ≤ 1023 (built from its bits: no libm in `no_std`).
fn pow2(k: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

// ---------------------------------------------------------------------------------------
// Packed vectors
// ---------------------------------------------------------------------------------------

/// The shape of a packed vector: how many counters, how large each contribution may be,
/// how many contributions may be summed, and the key it is laid out for.
///
/// Built by [`PackedLayout::new`], which refuses a layout that does not fit the key. Slot
/// i holds bits i·w .. (i+1)·w of the plaintext (w = [`slot_bits`](Self::slot_bits)); the
/// bits above `slots`·w stay zero in every valid sum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedLayout {
    slots: usize,
    slot_bits: u32,
    max_value: u64,
    contributors: u64,
    n_len: usize,
    key_id: [u8; 32],
}

/// The number of bits needed for `max_value · contributors`, the largest value a slot can
/// reach; [`Error::Overflow`] if that product does not fit in 64 bits, or either is 0.
pub fn slot_bits_for(max_value: u64, contributors: u64) -> Result<u32, Error> {
    if max_value == 0 || contributors == 0 {
        return Err(Error::PlaintextOutOfRange);
    }
    let top = max_value.checked_mul(contributors).ok_or(Error::Overflow)?;
    Ok(64 - top.leading_zeros())
}

/// How many slots of counters bounded by `max_value`, with headroom for `contributors`
/// contributions, fit under a modulus of `modulus_bits` bits: ⌊(modulus_bits − 1) / w⌋.
pub fn packed_capacity(
    modulus_bits: usize,
    max_value: u64,
    contributors: u64,
) -> Result<usize, Error> {
    let w = slot_bits_for(max_value, contributors)? as usize;
    Ok(modulus_bits.saturating_sub(1) / w)
}

impl PackedLayout {
    /// A layout of `slots` counters, each contribution's value at most `max_value`, for at
    /// most `contributors` contributions, under `pk`.
    ///
    /// Errors: [`Error::Overflow`] if `max_value · contributors` exceeds 64 bits;
    /// [`Error::PlaintextOutOfRange`] if `slots` is 0, a bound is 0, or `slots` slots of
    /// that width do not fit below 2^(bitlen(n) − 1).
    pub fn new(
        pk: &PublicKey,
        slots: usize,
        max_value: u64,
        contributors: u64,
    ) -> Result<Self, Error> {
        Self::for_modulus(
            pk.bits(),
            pk.n_len(),
            pk.key_id(),
            slots,
            max_value,
            contributors,
        )
    }

    /// [`PackedLayout::new`] from the modulus size and key id alone.
    pub(crate) fn for_modulus(
        modulus_bits: usize,
        n_len: usize,
        key_id: [u8; 32],
        slots: usize,
        max_value: u64,
        contributors: u64,
    ) -> Result<Self, Error> {
        let slot_bits = slot_bits_for(max_value, contributors)?;
        if slots == 0 || slots > packed_capacity(modulus_bits, max_value, contributors)? {
            return Err(Error::PlaintextOutOfRange);
        }
        if modulus_bits > n_len * 8 || n_len < MIN_N_LEN {
            return Err(Error::InvalidModulus);
        }
        Ok(Self {
            slots,
            slot_bits,
            max_value,
            contributors,
            n_len,
            key_id,
        })
    }

    /// Number of counters.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Width of a slot in bits.
    pub fn slot_bits(&self) -> u32 {
        self.slot_bits
    }

    /// Largest value of one contribution in one slot.
    pub fn max_value(&self) -> u64 {
        self.max_value
    }

    /// Largest number of contributions a sum may hold.
    pub fn contributors(&self) -> u64 {
        self.contributors
    }

    /// The key id of the public key this layout is for.
    pub fn key_id(&self) -> [u8; 32] {
        self.key_id
    }

    fn limbs(&self) -> usize {
        self.n_len.div_ceil(8)
    }

    fn check_key(&self, pk: &PublicKey) -> Result<(), Error> {
        if pk.key_id() != self.key_id {
            return Err(Error::KeyMismatch);
        }
        Ok(())
    }

    /// Packs one contribution: `values.len()` must be `slots` ([`Error::InvalidLength`])
    /// and every value ≤ `max_value` ([`Error::Overflow`]). Returns the plaintext,
    /// `n_len` big-endian bytes. Constant time in the values.
    pub fn encode(&self, values: &[u64]) -> Result<Zeroizing<Vec<u8>>, Error> {
        if values.len() != self.slots {
            return Err(Error::InvalidLength);
        }
        let w = self.slot_bits as usize;
        let mut limbs = Zeroizing::new(vec![0u64; self.limbs()]);
        let mut bad = 0u64;
        for (i, &v) in values.iter().enumerate() {
            bad |= gt_u64(v, self.max_value);
            // Positions are public; v < 2^w because v ≤ max_value < 2^w.
            let bit = i * w;
            let (j, sh) = (bit / 64, bit % 64);
            limbs[j] |= v << sh;
            if sh + w > 64 {
                limbs[j + 1] |= v >> (64 - sh);
            }
        }
        if make_public(bad) != 0 {
            return Err(Error::Overflow);
        }
        Ok(limbs_to_be(&limbs, self.n_len))
    }

    /// Unpacks a decrypted sum of `contributions` contributions. Every slot must be at
    /// most `max_value · contributions` and the bits above the last slot zero, else
    /// [`Error::PlaintextOutOfRange`] (not a sum of valid contributions for this layout);
    /// `contributions` must be 1..=`contributors` ([`Error::Overflow`] beyond).
    pub fn decode(&self, m_be: &[u8], contributions: u64) -> Result<Vec<u64>, Error> {
        if m_be.len() != self.n_len {
            return Err(Error::InvalidLength);
        }
        if contributions == 0 || contributions > self.contributors {
            return Err(Error::Overflow);
        }
        // Cannot overflow: max_value · contributors fits (checked in `new`).
        let bound = self.max_value * contributions;
        let limbs = be_to_limbs(m_be, self.limbs());
        let w = self.slot_bits as usize;
        let slot_mask = if w == 64 { u64::MAX } else { (1u64 << w) - 1 };
        let mut out = Vec::with_capacity(self.slots);
        let mut bad = 0u64;
        for i in 0..self.slots {
            let bit = i * w;
            let (j, sh) = (bit / 64, bit % 64);
            let mut v = limbs[j] >> sh;
            if sh + w > 64 {
                v |= limbs[j + 1] << (64 - sh);
            }
            let v = v & slot_mask;
            bad |= gt_u64(v, bound);
            out.push(v);
        }
        // The free bits above the last slot.
        let used = self.slots * w;
        for (j, &limb) in limbs.iter().enumerate() {
            let lo = j * 64;
            let free = if used <= lo {
                u64::MAX
            } else if used >= lo + 64 {
                0
            } else {
                u64::MAX << (used - lo)
            };
            bad |= u64::from(limb & free != 0);
        }
        if make_public(bad) != 0 {
            out.zeroize();
            return Err(Error::PlaintextOutOfRange);
        }
        Ok(out)
    }

    /// Encodes and encrypts one contribution (full-strength encryption); the result counts
    /// one contribution.
    pub fn encrypt<R: CryptoRng + ?Sized>(
        &self,
        pk: &PublicKey,
        rng: &mut R,
        values: &[u64],
    ) -> Result<PackedCiphertext, Error> {
        self.check_key(pk)?;
        let m = self.encode(values)?;
        Ok(PackedCiphertext {
            layout: *self,
            ciphertext: pk.encrypt_be(rng, &m)?,
            contributions: 1,
        })
    }

    /// The homomorphic sum of two packed ciphertexts of this layout.
    ///
    /// [`Error::KeyMismatch`] if either was made for another layout, `pk` is not the
    /// layout's key, or a ciphertext is not under `pk`; [`Error::Overflow`] if together they would hold more than
    /// `contributors` contributions (the sum is not computed).
    pub fn add(
        &self,
        pk: &PublicKey,
        a: &PackedCiphertext,
        b: &PackedCiphertext,
    ) -> Result<PackedCiphertext, Error> {
        self.check_key(pk)?;
        if a.layout != *self || b.layout != *self {
            return Err(Error::KeyMismatch);
        }
        let contributions = a
            .contributions
            .checked_add(b.contributions)
            .filter(|&c| c <= self.contributors)
            .ok_or(Error::Overflow)?;
        Ok(PackedCiphertext {
            layout: *self,
            ciphertext: pk.checked_add(&a.ciphertext, &b.ciphertext)?,
            contributions,
        })
    }

    /// Decrypts and unpacks a packed sum.
    pub fn decrypt(&self, sk: &SecretKey, c: &PackedCiphertext) -> Result<Vec<u64>, Error> {
        self.check_key(&sk.public_key())?;
        if c.layout != *self {
            return Err(Error::KeyMismatch);
        }
        let m = sk.decrypt_be(&c.ciphertext)?;
        self.decode(&m, c.contributions)
    }

    /// Decrypts and unpacks a packed sum from threshold decryption shares
    /// ([`ThresholdPublicKey::combine`]: any t that verify; the errors are its errors).
    /// [`Error::KeyMismatch`] if the layout or `c` is not for `tpk`'s key.
    pub fn combine(
        &self,
        tpk: &ThresholdPublicKey,
        c: &PackedCiphertext,
        shares: &[DecryptionShare],
    ) -> Result<Vec<u64>, Error> {
        self.check_key(tpk.public_key())?;
        if c.layout != *self {
            return Err(Error::KeyMismatch);
        }
        let m = tpk.combine(&c.ciphertext, shares)?;
        self.decode(&m, c.contributions)
    }
}

/// A ciphertext of a packed vector with the layout it follows and the number of
/// contributions it sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackedCiphertext {
    layout: PackedLayout,
    ciphertext: Ciphertext,
    contributions: u64,
}

impl PackedCiphertext {
    /// Reassembles a packed ciphertext received from elsewhere; [`Error::Overflow`] if
    /// `contributions` is 0 or beyond the layout's bound, [`Error::KeyMismatch`] if `pk` or
    /// the ciphertext's key is not the layout's key.
    pub fn from_parts(
        layout: PackedLayout,
        pk: &PublicKey,
        ciphertext: Ciphertext,
        contributions: u64,
    ) -> Result<Self, Error> {
        layout.check_key(pk)?;
        if ciphertext.key_id() != layout.key_id {
            return Err(Error::KeyMismatch);
        }
        if contributions == 0 || contributions > layout.contributors {
            return Err(Error::Overflow);
        }
        Ok(Self {
            layout,
            ciphertext,
            contributions,
        })
    }

    /// The layout.
    pub fn layout(&self) -> &PackedLayout {
        &self.layout
    }

    /// The Paillier ciphertext.
    pub fn ciphertext(&self) -> &Ciphertext {
        &self.ciphertext
    }

    /// How many contributions this ciphertext sums.
    pub fn contributions(&self) -> u64 {
        self.contributions
    }
}

/// Little-endian u64 limbs to `len` big-endian bytes (limbs beyond `len` bytes are zero).
fn limbs_to_be(limbs: &[u64], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(vec![0u8; len]);
    for (k, byte) in out.iter_mut().rev().enumerate() {
        *byte = (limbs[k / 8] >> (8 * (k % 8))) as u8;
    }
    out
}

/// `bytes` (big-endian) as `n` little-endian u64 limbs.
fn be_to_limbs(bytes: &[u8], n: usize) -> Zeroizing<Vec<u64>> {
    let mut limbs = Zeroizing::new(vec![0u64; n]);
    for (k, &b) in bytes.iter().rev().enumerate() {
        limbs[k / 8] |= u64::from(b) << (8 * (k % 8));
    }
    limbs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An odd 2048-bit "modulus" for the byte-level tests (its factors do not matter here).
    fn n2048() -> Vec<u8> {
        let mut n: Vec<u8> = (0..256u32).map(|i| (i * 37 + 11) as u8).collect();
        n[0] |= 0x80;
        n[255] |= 1;
        n
    }

    #[test]
    fn i128_round_trips_at_the_edges() {
        let n = n2048();
        for v in [
            0i128,
            1,
            -1,
            42,
            -42,
            i128::MAX,
            i128::MIN,
            i128::MIN + 1,
            1 << 100,
        ] {
            let m = encode_i128_with_modulus(&n, v).unwrap();
            assert_eq!(m.len(), n.len());
            assert_eq!(decode_i128_with_modulus(&n, &m).unwrap(), v, "{v}");
        }
        // −1 is n − 1.
        let m = encode_i128_with_modulus(&n, -1).unwrap();
        let mut n_minus_1 = n.clone();
        n_minus_1[255] -= 1;
        assert_eq!(&m[..], &n_minus_1[..]);
    }

    #[test]
    fn i128_rejects_the_middle_of_the_ring() {
        let n = n2048();
        // 2^127: one above i128::MAX.
        let mut m = vec![0u8; 256];
        m[240] = 0x80;
        assert_eq!(
            decode_i128_with_modulus(&n, &m),
            Err(Error::PlaintextOutOfRange)
        );
        // n − 2^127 − 1: one below i128::MIN.
        let mut big = vec![0u8; 256];
        big[240] = 0x80;
        big[255] = 1;
        let mut below = vec![0u8; 256];
        let _ = sub_be(&n, &big, &mut below);
        assert_eq!(
            decode_i128_with_modulus(&n, &below),
            Err(Error::PlaintextOutOfRange)
        );
        // A wrong length and a too small modulus are typed errors.
        assert_eq!(
            decode_i128_with_modulus(&n, &m[1..]),
            Err(Error::InvalidLength)
        );
        assert_eq!(
            encode_i128_with_modulus(&n[..20], 1).unwrap_err(),
            Error::InvalidModulus
        );
    }

    #[test]
    fn fixed_point_rounds_and_checks_range() {
        let f = FixedPoint::new(16).unwrap();
        assert_eq!(f.to_fixed(1.5).unwrap(), 3 << 15);
        assert_eq!(f.to_fixed(-1.5).unwrap(), -(3 << 15));
        // Half a unit rounds away from zero, less than half rounds toward it.
        let unit = 1.0 / 65536.0;
        assert_eq!(f.to_fixed(unit / 2.0).unwrap(), 1);
        assert_eq!(f.to_fixed(-unit / 2.0).unwrap(), -1);
        assert_eq!(f.to_fixed(unit * 0.49).unwrap(), 0);
        assert_eq!(f.from_fixed(f.to_fixed(-3.25).unwrap()), -3.25);
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e40, -1e40] {
            assert_eq!(f.to_fixed(bad), Err(Error::PlaintextOutOfRange), "{bad}");
        }
        assert_eq!(FixedPoint::new(113), Err(Error::PlaintextOutOfRange));
        assert_eq!(FixedPoint::new(32).unwrap().phe_exponent(), Some(-8));
        assert_eq!(FixedPoint::new(30).unwrap().phe_exponent(), None);
    }

    fn layout(slots: usize, max: u64, contributors: u64) -> Result<PackedLayout, Error> {
        PackedLayout::for_modulus(2048, 256, [7; 32], slots, max, contributors)
    }

    #[test]
    fn packing_capacity_of_2048_bits_for_16_bit_counters_and_1000_contributors() {
        assert_eq!(slot_bits_for(65535, 1000).unwrap(), 26);
        assert_eq!(packed_capacity(2048, 65535, 1000).unwrap(), 78);
        assert!(layout(78, 65535, 1000).is_ok());
        assert_eq!(layout(79, 65535, 1000), Err(Error::PlaintextOutOfRange));
        assert_eq!(layout(0, 65535, 1000), Err(Error::PlaintextOutOfRange));
        assert_eq!(layout(1, u64::MAX, 2), Err(Error::Overflow));
    }

    #[test]
    fn packed_sums_decode_slot_by_slot() {
        let l = layout(78, 65535, 1000).unwrap();
        let a: Vec<u64> = (0..78).map(|i| (i * 841) % 65536).collect();
        let b: Vec<u64> = (0..78).map(|i| 65535 - i).collect();
        let (ma, mb) = (l.encode(&a).unwrap(), l.encode(&b).unwrap());
        // Plaintext addition of packed values (what Paillier's add does mod n, and the
        // layout keeps below n) is slot-wise addition.
        let mut sum = vec![0u8; 256];
        let mut carry = 0u16;
        for i in (0..256).rev() {
            let s = u16::from(ma[i]) + u16::from(mb[i]) + carry;
            sum[i] = s as u8;
            carry = s >> 8;
        }
        assert_eq!(carry, 0);
        let got = l.decode(&sum, 2).unwrap();
        let want: Vec<u64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
        assert_eq!(got, want);
        assert_eq!(l.decode(&ma, 1).unwrap(), a);
        // The top bit of the top slot stays below 2^(2048−1).
        assert_eq!(ma[0] & 0x80, 0);
    }

    #[test]
    fn packed_encode_refuses_oversized_values_and_decode_refuses_garbage() {
        let l = layout(10, 65535, 1000).unwrap();
        let mut v = vec![65535u64; 10];
        assert!(l.encode(&v).is_ok());
        v[3] = 65536;
        assert_eq!(l.encode(&v).unwrap_err(), Error::Overflow);
        assert_eq!(l.encode(&v[..9]).unwrap_err(), Error::InvalidLength);
        let m = l.encode(&[65535; 10]).unwrap();
        // A slot above max_value × contributions.
        assert_eq!(l.decode(&m, 1).unwrap(), vec![65535; 10]);
        let mut m3 = vec![0u8; 256];
        m3[255] = 0xfe;
        m3[254] = 0xff;
        m3[253] = 0x01; // slot 0 = 0x1fffe = 2 × 65535: too much for one contribution
        assert_eq!(l.decode(&m3, 1).unwrap_err(), Error::PlaintextOutOfRange);
        assert_eq!(l.decode(&m3, 2).unwrap(), {
            let mut w = vec![0u64; 10];
            w[0] = 0x1fffe;
            w
        });
        // Bits above the last slot.
        let mut m4 = vec![0u8; 256];
        m4[0] = 1;
        assert_eq!(l.decode(&m4, 5).unwrap_err(), Error::PlaintextOutOfRange);
        assert_eq!(l.decode(&m4, 0).unwrap_err(), Error::Overflow);
        assert_eq!(l.decode(&m4, 1001).unwrap_err(), Error::Overflow);
    }

    #[test]
    fn packing_handles_slots_straddling_limbs_for_every_width() {
        for w in 1..=40u32 {
            let max = (1u64 << w) - 1;
            let slots = packed_capacity(2048, max, 1).unwrap();
            let l = layout(slots, max, 1).unwrap();
            assert_eq!(l.slot_bits(), w);
            let v: Vec<u64> = (0..slots as u64)
                .map(|i| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7) & max)
                .collect();
            let m = l.encode(&v).unwrap();
            assert_eq!(l.decode(&m, 1).unwrap(), v, "w = {w}");
        }
    }
}
