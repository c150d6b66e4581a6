//! Wire formats of the threshold types: the versioned binary form of `paillier::format`
//! (magic `TP`, version 1, a kind byte) with three new kinds, and serde on top of it.
//!
//! | kind | contents after the header |
//! |---|---|
//! | 5, threshold public key | key id (32) ‖ len(N) (u16) ‖ N ‖ t (u8) ‖ n (u8) ‖ v ‖ v₁ ‖ … ‖ vₙ |
//! | 6, key share | the threshold public key's contents (as in kind 5) ‖ i (u8) ‖ sᵢ |
//! | 7, decryption share | key id (32) ‖ i (u8) ‖ len(cᵢ) (u16) ‖ cᵢ ‖ e (32) ‖ len(z) (u16) ‖ z |
//!
//! v, vᵢ and sᵢ are `2·n_len` bytes each (their length follows from N's); N has no leading
//! zero byte. The key id is recomputed from the contents and must match. Parsing never
//! panics and allocates no more than the input's length: a wrong magic, kind, length or a
//! trailing byte is [`Error::InvalidEncoding`], an unknown version
//! [`Error::UnsupportedVersion`], t and n out of range [`Error::InvalidThreshold`], an
//! index of 0 or beyond n [`Error::InvalidShareIndex`], v or a vᵢ that is not a unit
//! below N² [`Error::InvalidPublicKey`], a key share whose v^(Δ·sᵢ) is not its stored vᵢ
//! [`Error::InvalidShare`]. A decryption share is only parsed here; its values are checked
//! by [`ThresholdPublicKey::verify_share`].
//!
//! A key share's bytes are returned in a [`Zeroizing`] buffer.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::{DecryptionShare, KeyShare, ThresholdPublicKey};
use crate::Error;
use crate::bigint::limbs;
use crate::ct;
use crate::paillier::PublicKey;
use crate::paillier::format::VERSION;

const MAGIC: [u8; 2] = *b"TP";
const KIND_THRESHOLD_PUBLIC_KEY: u8 = 5;
const KIND_KEY_SHARE: u8 = 6;
const KIND_DECRYPTION_SHARE: u8 = 7;

/// The largest cᵢ accepted in a decryption share: N² of a 4096-bit N.
pub(crate) const MAX_CIPHERTEXT_LEN: usize = 1024;
/// The largest z accepted (a 4096-bit N with 255 parties needs 1,296 bytes).
pub(crate) const MAX_Z_LEN: usize = 2048;

fn header(kind: u8) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.push(kind);
    out
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(input: &'a [u8], kind: u8) -> Result<Self, Error> {
        let [m0, m1, version, k, rest @ ..] = input else {
            return Err(Error::InvalidEncoding);
        };
        if [*m0, *m1] != MAGIC {
            return Err(Error::InvalidEncoding);
        }
        if *version != VERSION {
            return Err(Error::UnsupportedVersion);
        }
        if *k != kind {
            return Err(Error::InvalidEncoding);
        }
        Ok(Self { rest })
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.rest.len() < n {
            return Err(Error::InvalidEncoding);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn field(&mut self) -> Result<&'a [u8], Error> {
        let len = u16::from_be_bytes(self.array()?);
        self.take(usize::from(len))
    }

    fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidEncoding)
        }
    }
}

fn push_field(out: &mut Vec<u8>, x: &[u8]) {
    out.extend_from_slice(&(x.len() as u16).to_be_bytes());
    out.extend_from_slice(x);
}

/// The contents of kind 5 (after the header).
fn push_public(tpk: &ThresholdPublicKey, out: &mut Vec<u8>) {
    out.extend_from_slice(&tpk.inner.key_id);
    push_field(out, &tpk.inner.pk.modulus_be());
    out.push(tpk.inner.t as u8);
    out.push(tpk.inner.parties as u8);
    out.extend_from_slice(&tpk.v_be());
    let len = tpk.inner.pk.ciphertext_len();
    for vi in &tpk.inner.vis {
        out.extend_from_slice(&limbs::to_be_bytes(vi, len));
    }
}

/// Parses the contents of kind 5.
fn read_public(r: &mut Reader<'_>) -> Result<ThresholdPublicKey, Error> {
    let key_id: [u8; 32] = r.array()?;
    let n_be = r.field()?;
    if n_be.first().is_none_or(|&b| b == 0) {
        return Err(Error::InvalidEncoding);
    }
    let pk = PublicKey::from_modulus(n_be)?;
    let t = usize::from(r.byte()?);
    let parties = usize::from(r.byte()?);
    super::check_threshold(t, parties)?;
    let len = pk.ciphertext_len();
    // A temporary key to check v and the vᵢ are units below N².
    let unit = |x_be: &[u8]| -> Result<Vec<u64>, Error> {
        let pinner = &pk.inner;
        let x = limbs::from_be_bytes(x_be, pinner.nn.limbs()).ok_or(Error::InvalidPublicKey)?;
        if limbs::lt_bit(&x, pinner.nn.modulus()) == 0 {
            return Err(Error::InvalidPublicKey);
        }
        let x_mod_n = pinner.n_ctx.reduce_wide(&x);
        if !crate::bigint::vartime::coprime_vartime(&x_mod_n, &pinner.n) {
            return Err(Error::InvalidPublicKey);
        }
        Ok(x)
    };
    let v = unit(r.take(len)?)?;
    let mut vis = Vec::with_capacity(parties);
    for _ in 0..parties {
        vis.push(unit(r.take(len)?)?);
    }
    let tpk = ThresholdPublicKey::from_parts(pk, t, parties, v, vis)?;
    if tpk.inner.key_id != key_id {
        return Err(Error::KeyMismatch);
    }
    Ok(tpk)
}

impl ThresholdPublicKey {
    /// The binary form (kind 5).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(KIND_THRESHOLD_PUBLIC_KEY);
        push_public(self, &mut out);
        out
    }

    /// Parses the binary form (see the module documentation for the errors).
    pub fn from_bytes(input: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(input, KIND_THRESHOLD_PUBLIC_KEY)?;
        let tpk = read_public(&mut r)?;
        r.finish()?;
        Ok(tpk)
    }
}

impl KeyShare {
    /// The binary form (kind 6), in a buffer wiped on drop.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(header(KIND_KEY_SHARE));
        push_public(&self.tpk, &mut out);
        out.push(self.index);
        let s = Zeroizing::new(limbs::to_be_bytes(
            &self.s,
            self.tpk.inner.pk.ciphertext_len(),
        ));
        out.extend_from_slice(&s);
        out
    }

    /// Parses the binary form and checks v^(Δ·sᵢ) = vᵢ (constant-time in sᵢ; only the
    /// verdict is public): a share of another key, or a corrupted one, is
    /// [`Error::InvalidShare`].
    pub fn from_bytes(input: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(input, KIND_KEY_SHARE)?;
        let tpk = read_public(&mut r)?;
        let index = r.byte()?;
        if index == 0 || usize::from(index) > tpk.inner.parties {
            return Err(Error::InvalidShareIndex);
        }
        let len = tpk.inner.pk.ciphertext_len();
        let s_be = r.take(len)?;
        r.finish()?;
        let nn = &tpk.inner.pk.inner.nn;
        let s =
            Zeroizing::new(limbs::from_be_bytes(s_be, nn.limbs()).ok_or(Error::InvalidEncoding)?);
        let ds = Zeroizing::new(limbs::mul(&s, &tpk.inner.delta_limbs));
        let vi = Zeroizing::new(nn.pow_secret(&tpk.inner.v_mont, &ds));
        let ok = limbs::eq_bit(&vi, &tpk.inner.vis_mont[usize::from(index) - 1]);
        if !ct::declassify_choice(subtle::Choice::from(ok as u8)) {
            return Err(Error::InvalidShare);
        }
        Ok(KeyShare::new(tpk, index, s.to_vec()))
    }
}

impl DecryptionShare {
    /// The binary form (kind 7).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(KIND_DECRYPTION_SHARE);
        out.extend_from_slice(&self.key_id);
        out.push(self.index);
        push_field(&mut out, &self.ci);
        out.extend_from_slice(&self.e);
        push_field(&mut out, &self.z);
        out
    }

    /// Parses the binary form: structure only (index ≠ 0, lengths within bounds); the
    /// values are checked by [`ThresholdPublicKey::verify_share`].
    pub fn from_bytes(input: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(input, KIND_DECRYPTION_SHARE)?;
        let key_id: [u8; 32] = r.array()?;
        let index = r.byte()?;
        let ci = r.field()?;
        let e: [u8; 32] = r.array()?;
        let z = r.field()?;
        r.finish()?;
        if ci.len() > MAX_CIPHERTEXT_LEN || z.len() > MAX_Z_LEN {
            return Err(Error::InvalidEncoding);
        }
        DecryptionShare::from_parts(key_id, index, ci, e, z)
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    //! serde through the binary form: hex for human-readable formats, bytes otherwise.

    use serde::de::{self, Deserializer};
    use serde::ser::Serializer;
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::paillier::format::{deserialize_bytes, serialize_bytes};

    impl Serialize for ThresholdPublicKey {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&self.to_bytes(), s)
        }
    }

    impl<'de> Deserialize<'de> for ThresholdPublicKey {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let b = deserialize_bytes(d, "threshold Paillier public key")?;
            ThresholdPublicKey::from_bytes(&b).map_err(de::Error::custom)
        }
    }

    impl Serialize for KeyShare {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&self.to_bytes(), s)
        }
    }

    impl<'de> Deserialize<'de> for KeyShare {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let b = deserialize_bytes(d, "threshold Paillier key share")?;
            KeyShare::from_bytes(&b).map_err(de::Error::custom)
        }
    }

    impl Serialize for DecryptionShare {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&self.to_bytes(), s)
        }
    }

    impl<'de> Deserialize<'de> for DecryptionShare {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let b = deserialize_bytes(d, "threshold Paillier decryption share")?;
            DecryptionShare::from_bytes(&b).map_err(de::Error::custom)
        }
    }
}
