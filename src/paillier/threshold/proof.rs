//! The proof that a decryption share is correct: Chaum–Pedersen equality of discrete
//! logarithms log_{c⁴}(cᵢ²) = log_v(vᵢ), made non-interactive with Fiat–Shamir
//! (Shoup 2000 §2, Damgård–Jurik 2001 §4.1).
//!
//! Transcript: SHA-256 over the domain tag and then N, v, vᵢ, i, c, cᵢ, a, b, each as
//! u32-be(length) ‖ bytes (the tag too); N is `n_len` bytes, the group elements
//! `2·n_len` bytes, i one byte. The verifier takes v and vᵢ from the public key, never
//! from the share, and hashes the index the share claims.
//!
//! Everything here is public and variable-time.

use alloc::vec::Vec;
use sha2::{Digest, Sha256};

use super::{DecryptionShare, ThresholdPublicKey, hash_field};
use crate::Error;
use crate::bigint::limbs;
use crate::bigint::vartime;
use crate::paillier::Ciphertext;

/// The domain tag of the proof's transcript.
pub(crate) const PROOF_DOMAIN: &[u8] = b"tsubaki/paillier/threshold/v1/share-proof";

/// e = SHA-256(tag, N, v, vᵢ, i, c, cᵢ, a, b), with vᵢ the stored key of `index`.
pub(crate) fn challenge(
    tpk: &ThresholdPublicKey,
    index: u8,
    c_be: &[u8],
    ci_be: &[u8],
    a_be: &[u8],
    b_be: &[u8],
) -> [u8; 32] {
    let inner = &tpk.inner;
    let len = inner.pk.ciphertext_len();
    let mut h = Sha256::new();
    hash_field(&mut h, PROOF_DOMAIN);
    hash_field(&mut h, &inner.pk.modulus_be());
    hash_field(&mut h, &limbs::to_be_bytes(&inner.v, len));
    hash_field(
        &mut h,
        &limbs::to_be_bytes(&inner.vis[usize::from(index) - 1], len),
    );
    hash_field(&mut h, &[index]);
    hash_field(&mut h, c_be);
    hash_field(&mut h, ci_be);
    hash_field(&mut h, a_be);
    hash_field(&mut h, b_be);
    h.finalize().into()
}

/// e as four little-endian limbs.
pub(crate) fn e_limbs(e: &[u8; 32]) -> [u64; 4] {
    let mut out = [0u64; 4];
    for (i, o) in out.iter_mut().enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&e[32 - 8 * (i + 1)..32 - 8 * i]);
        *o = u64::from_be_bytes(w);
    }
    out
}

/// A public value x < N² that is a unit (gcd(x, N) = 1), as limbs; `None` otherwise.
pub(crate) fn unit_mod_nn(tpk: &ThresholdPublicKey, x_be: &[u8]) -> Option<Vec<u64>> {
    let pinner = &tpk.inner.pk.inner;
    if x_be.len() != tpk.inner.pk.ciphertext_len() {
        return None;
    }
    let x = limbs::from_be_bytes(x_be, pinner.nn.limbs())?;
    if limbs::lt_bit(&x, pinner.nn.modulus()) == 0 {
        return None;
    }
    let x_mod_n = pinner.n_ctx.reduce_wide(&x);
    vartime::coprime_vartime(&x_mod_n, &pinner.n).then_some(x)
}

/// Checks `share` against `c` and the stored verification key of its index.
pub(crate) fn verify(
    tpk: &ThresholdPublicKey,
    c: &Ciphertext,
    share: &DecryptionShare,
) -> Result<(), Error> {
    let inner = &tpk.inner;
    let pk = &inner.pk;
    if !pk.same_key(c) {
        return Err(Error::KeyMismatch);
    }
    let index = share.index;
    let bad = Error::InvalidDecryptionShare { index };
    let i = usize::from(index);
    if share.key_id != inner.key_id || i == 0 || i > inner.parties {
        return Err(bad);
    }
    let nn = &pk.inner.nn;
    // cᵢ: a unit below N².
    let ci = unit_mod_nn(tpk, &share.ci).ok_or(bad)?;
    let ci_inv = vartime::inv_mod_vartime(&ci, nn.modulus()).ok_or(bad)?;
    // z: exactly z_len bytes, z < 2^(64·r_limbs + 1) (what an honest share can reach).
    let r_limbs = inner.r_limbs;
    if share.z.len() != tpk.z_len() {
        return Err(bad);
    }
    let z = limbs::from_be_bytes(&share.z, r_limbs + 1).ok_or(bad)?;
    if z[r_limbs] > 1 {
        return Err(bad);
    }
    let e = e_limbs(&share.e);
    // a = (c⁴)^z · (cᵢ⁻¹)^(2e)
    let mut z4 = Vec::with_capacity(r_limbs + 2);
    z4.extend_from_slice(&z);
    z4.push(0);
    super::dealer::shl_assign(&mut z4, 2);
    let mut e2 = [e[0], e[1], e[2], e[3], 0];
    super::dealer::shl_assign(&mut e2, 1);
    let a1 = nn.pow_public_vartime(&c.value, &z4);
    let a2 = nn.pow_public_vartime(&nn.to_mont(&ci_inv), &e2);
    let a = nn.out_of_mont(&nn.mul(&a1, &a2));
    // b = v^z · (vᵢ⁻¹)^e
    let vi_inv = vartime::inv_mod_vartime(&inner.vis[i - 1], nn.modulus()).ok_or(bad)?;
    let b1 = nn.pow_public_vartime(&inner.v_mont, &z);
    let b2 = nn.pow_public_vartime(&nn.to_mont(&vi_inv), &e);
    let b = nn.out_of_mont(&nn.mul(&b1, &b2));
    let len = pk.ciphertext_len();
    let e_check = challenge(
        tpk,
        index,
        &c.to_bytes(),
        &share.ci,
        &limbs::to_be_bytes(&a, len),
        &limbs::to_be_bytes(&b, len),
    );
    if e_check != share.e {
        return Err(bad);
    }
    Ok(())
}

impl ThresholdPublicKey {
    /// Verifies a decryption share of `c`: its key id and index (1..=n), cᵢ a unit below
    /// N², z in range, and the proof against the **stored** vᵢ. Any failure is
    /// [`Error::InvalidDecryptionShare`] naming the share's index; a `c` that is not a
    /// valid ciphertext of this key is [`Error::KeyMismatch`].
    pub fn verify_share(&self, c: &Ciphertext, share: &DecryptionShare) -> Result<(), Error> {
        verify(self, c, share)
    }
}
