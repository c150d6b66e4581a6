//! Key shares and decryption shares: cᵢ = c^(2Δ·sᵢ) mod N² with its proof
//! (Damgård–Jurik 2001 §4.1, "share decryption").

use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::ThresholdPublicKey;
use super::proof;
use crate::Error;
use crate::bigint::limbs;
use crate::ct;
use crate::paillier::Ciphertext;

/// One party's key share sᵢ with the public key it belongs to. Secret: zeroized on drop,
/// printed without the share, not `Clone`.
pub struct KeyShare {
    pub(crate) tpk: ThresholdPublicKey,
    pub(crate) index: u8,
    /// sᵢ ∈ [0, N·m), 2k limbs.
    pub(crate) s: Vec<u64>,
}

impl Zeroize for KeyShare {
    fn zeroize(&mut self) {
        self.s.zeroize();
    }
}

impl Drop for KeyShare {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for KeyShare {}

impl core::fmt::Debug for KeyShare {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyShare")
            .field("index", &self.index)
            .field("public", &self.tpk)
            .finish_non_exhaustive()
    }
}

impl KeyShare {
    pub(crate) fn new(tpk: ThresholdPublicKey, index: u8, s: Vec<u64>) -> Self {
        KeyShare { tpk, index, s }
    }

    /// The party's index i (1..=n).
    pub fn index(&self) -> u8 {
        self.index
    }

    /// The threshold public key this share belongs to.
    pub fn public_key(&self) -> &ThresholdPublicKey {
        &self.tpk
    }

    /// The decryption share cᵢ = c^(2Δ·sᵢ) mod N² of `c`, with its proof of correctness.
    /// [`Error::KeyMismatch`] if `c` is not a valid ciphertext of this key.
    ///
    /// Constant-time in sᵢ and in the proof's randomness r (drawn from `rng`:
    /// `8·⌈(bits(N²) + bits(Δ) + 384)/64⌉` bytes, big-endian).
    pub fn decrypt_share<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        c: &Ciphertext,
    ) -> Result<DecryptionShare, Error> {
        let inner = &self.tpk.inner;
        let pk = &inner.pk;
        if !pk.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        let nn = &pk.inner.nn;
        let len = pk.ciphertext_len();
        // Δ·sᵢ (public length: 2k + limbs(Δ)).
        let ds = Zeroizing::new(limbs::mul(&self.s, &inner.delta_limbs));
        let c2 = nn.mul(&c.value, &c.value);
        let c4 = nn.mul(&c2, &c2);
        // cᵢ = (c²)^(Δsᵢ).
        let mut ci = nn.out_of_mont(&nn.pow_secret(&c2, &ds));
        ct::declassify(ci.as_slice());
        let ci = core::hint::black_box(&mut ci);
        // The proof: a = (c⁴)^r, b = v^r.
        let r_limbs = inner.r_limbs;
        let mut r_bytes = Zeroizing::new(alloc::vec![0u8; 8 * r_limbs]);
        rng.fill_bytes(&mut r_bytes);
        let r = Zeroizing::new(limbs::from_be_bytes(&r_bytes, r_limbs).unwrap_or_default());
        let mut a = nn.out_of_mont(&nn.pow_secret(&c4, &r));
        let mut b = nn.out_of_mont(&nn.pow_secret(&inner.v_mont, &r));
        ct::declassify(a.as_slice());
        ct::declassify(b.as_slice());
        let a = core::hint::black_box(&mut a);
        let b = core::hint::black_box(&mut b);
        let ci_be = limbs::to_be_bytes(ci, len);
        let e = proof::challenge(
            &self.tpk,
            self.index,
            &c.to_bytes(),
            &ci_be,
            &limbs::to_be_bytes(a, len),
            &limbs::to_be_bytes(b, len),
        );
        // z = r + e·Δ·sᵢ over the integers: r_limbs + 1 limbs (e·Δ·sᵢ < 2^(64·r_limbs − 128)).
        let e_limbs = proof::e_limbs(&e);
        let eds = Zeroizing::new(limbs::mul(&ds, &e_limbs));
        let mut z = alloc::vec![0u64; r_limbs + 1];
        z[..r_limbs].copy_from_slice(&r);
        let _ = limbs::add_assign(&mut z, &eds);
        ct::declassify(z.as_slice());
        let z = core::hint::black_box(&mut z);
        Ok(DecryptionShare {
            key_id: inner.key_id,
            index: self.index,
            ci: ci_be,
            e,
            z: limbs::to_be_bytes(z, self.tpk.z_len()),
        })
    }
}

/// A decryption share: party i's cᵢ = c^(2Δsᵢ) with the proof (e, z) that it used its key
/// share, and the key id of the threshold key. Public; checked by
/// [`ThresholdPublicKey::verify_share`] against the ciphertext and the stored vᵢ.
#[derive(Clone, PartialEq, Eq)]
pub struct DecryptionShare {
    pub(crate) key_id: [u8; 32],
    pub(crate) index: u8,
    /// cᵢ, big-endian (2·n_len bytes when valid).
    pub(crate) ci: Vec<u8>,
    /// The challenge e (SHA-256 output, a 256-bit big-endian integer).
    pub(crate) e: [u8; 32],
    /// The response z, big-endian.
    pub(crate) z: Vec<u8>,
}

impl core::fmt::Debug for DecryptionShare {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "DecryptionShare {{ index: {}, key_id: ", self.index)?;
        for b in &self.key_id[..8] {
            write!(f, "{b:02x}")?;
        }
        f.write_str("… }")
    }
}

impl DecryptionShare {
    /// The index i of the party that made it.
    pub fn index(&self) -> u8 {
        self.index
    }

    /// The id of the threshold key it claims ([`ThresholdPublicKey::key_id`]).
    pub fn key_id(&self) -> [u8; 32] {
        self.key_id
    }

    /// cᵢ, big-endian.
    pub fn share_be(&self) -> &[u8] {
        &self.ci
    }

    /// The proof's challenge e (big-endian, 32 bytes).
    pub fn proof_e(&self) -> [u8; 32] {
        self.e
    }

    /// The proof's response z, big-endian.
    pub fn proof_z_be(&self) -> &[u8] {
        &self.z
    }

    /// Assembles a share from its parts (e.g. received separately); nothing is checked
    /// until [`ThresholdPublicKey::verify_share`]. [`Error::InvalidShareIndex`] for index 0.
    pub fn from_parts(
        key_id: [u8; 32],
        index: u8,
        ci_be: &[u8],
        e: [u8; 32],
        z_be: &[u8],
    ) -> Result<Self, Error> {
        if index == 0 {
            return Err(Error::InvalidShareIndex);
        }
        if ci_be.len() > super::format::MAX_CIPHERTEXT_LEN || z_be.len() > super::format::MAX_Z_LEN
        {
            return Err(Error::InvalidLength);
        }
        Ok(DecryptionShare {
            key_id,
            index,
            ci: ci_be.to_vec(),
            e,
            z: z_be.to_vec(),
        })
    }
}
