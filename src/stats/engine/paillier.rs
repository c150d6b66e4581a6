//! The threshold Paillier engine (Damgård–Jurik–Nielsen with s = 1, Shoup's technique;
//! `paillier::threshold`).
//!
//! A contribution's slots are packed into as few plaintexts as the key allows
//! ([`PackedLayout`], one width for every slot: that of the largest slot bound times the
//! roster's size, so no honest round can overflow) and each is encrypted under the
//! round's threshold public key. A sum is the product of the ciphertexts; a member's part
//! is one decryption share with its proof per ciphertext; any t verified parts open it.

use alloc::vec::Vec;
use rand_core::CryptoRng;

use super::Engine;
use crate::Error;
use crate::paillier::encoding::PackedLayout;
use crate::paillier::threshold::{DecryptionShare, KeyShare, ThresholdPublicKey};
use crate::paillier::{Ciphertext, PublicKey};
use crate::stats::codec::{Reader, Writer};

/// Longest encoded decryption share accepted, as a multiple of the ciphertext length (a
/// share is one ciphertext-sized value and a proof of a few more).
const SHARE_LEN_FACTOR: usize = 8;

/// The Paillier engine of one round: the threshold public key and the packing.
#[derive(Clone, Debug)]
pub struct PaillierEngine {
    tpk: ThresholdPublicKey,
    layout: PackedLayout,
    slots: usize,
    chunks: usize,
}

impl PaillierEngine {
    /// The engine for `slots` slots each at most `max_slot` per contribution, summed over at
    /// most `contributors` contributions, under `tpk`. [`Error::Overflow`] if
    /// `max_slot · contributors` does not fit 64 bits.
    pub fn new(
        tpk: ThresholdPublicKey,
        slots: usize,
        max_slot: u64,
        contributors: u64,
    ) -> Result<Self, Error> {
        let pk = tpk.public_key();
        let capacity =
            crate::paillier::encoding::packed_capacity(pk.bits(), max_slot, contributors)?;
        if capacity == 0 || slots == 0 {
            return Err(Error::PlaintextOutOfRange);
        }
        let chunks = slots.div_ceil(capacity);
        // Spread the slots evenly so that every ciphertext has the same layout.
        let per_chunk = slots.div_ceil(chunks);
        let layout = PackedLayout::new(pk, per_chunk, max_slot, contributors)?;
        Ok(PaillierEngine {
            tpk,
            layout,
            slots,
            chunks,
        })
    }

    /// The threshold public key.
    pub fn threshold_key(&self) -> &ThresholdPublicKey {
        &self.tpk
    }

    /// How many ciphertexts a contribution carries.
    pub fn ciphertexts(&self) -> usize {
        self.chunks
    }

    /// The packing of one ciphertext.
    pub fn layout(&self) -> &PackedLayout {
        &self.layout
    }

    fn pk(&self) -> &PublicKey {
        self.tpk.public_key()
    }

    fn read_ciphertexts(&self, r: &mut Reader<'_>) -> Result<Vec<Ciphertext>, Error> {
        let len = self.pk().ciphertext_len();
        (0..self.chunks)
            .map(|_| Ciphertext::from_bytes(self.pk(), r.fixed(len)?))
            .collect()
    }

    fn write_ciphertexts(cs: &[Ciphertext], w: &mut Writer) {
        for c in cs {
            w.fixed(&c.to_bytes());
        }
    }
}

impl Engine for PaillierEngine {
    type Payload = Vec<Ciphertext>;
    type Sum = Vec<Ciphertext>;
    type MemberKey = KeyShare;
    type Part = Vec<DecryptionShare>;

    fn slots(&self) -> usize {
        self.slots
    }

    fn seal<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        slots: &[u64],
    ) -> Result<Self::Payload, Error> {
        if slots.len() != self.slots {
            return Err(Error::InvalidLength);
        }
        let per = self.layout.slots();
        let mut chunk = alloc::vec![0u64; per];
        let mut out = Vec::with_capacity(self.chunks);
        for i in 0..self.chunks {
            let part = &slots[(i * per).min(slots.len())..((i + 1) * per).min(slots.len())];
            chunk.iter_mut().for_each(|x| *x = 0);
            chunk[..part.len()].copy_from_slice(part);
            let m = self.layout.encode(&chunk)?;
            out.push(self.pk().encrypt_be(rng, &m)?);
        }
        zeroize::Zeroize::zeroize(&mut chunk);
        Ok(out)
    }

    fn write_payload(&self, p: &Self::Payload, w: &mut Writer) {
        Self::write_ciphertexts(p, w);
    }

    fn read_payload(&self, r: &mut Reader<'_>) -> Result<Self::Payload, Error> {
        self.read_ciphertexts(r)
    }

    fn start_sum(&self, p: &Self::Payload) -> Self::Sum {
        p.clone()
    }

    fn add(&self, sum: &mut Self::Sum, p: &Self::Payload) -> Result<(), Error> {
        if sum.len() != self.chunks || p.len() != self.chunks {
            return Err(Error::InvalidLength);
        }
        for (s, c) in sum.iter_mut().zip(p) {
            *s = self.pk().checked_add(s, c)?;
        }
        Ok(())
    }

    fn merge(&self, sum: &mut Self::Sum, other: &Self::Sum) -> Result<(), Error> {
        self.add(sum, other)
    }

    fn write_sum(&self, s: &Self::Sum, w: &mut Writer) {
        Self::write_ciphertexts(s, w);
    }

    fn read_sum(&self, r: &mut Reader<'_>) -> Result<Self::Sum, Error> {
        self.read_ciphertexts(r)
    }

    fn member_index(&self, key: &KeyShare) -> Result<u8, Error> {
        Ok(key.index())
    }

    fn open_part<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        key: &KeyShare,
        sum: &Self::Sum,
    ) -> Result<Self::Part, Error> {
        sum.iter().map(|c| key.decrypt_share(rng, c)).collect()
    }

    fn part_index(&self, part: &Self::Part) -> u8 {
        part.first().map_or(0, DecryptionShare::index)
    }

    fn verify_part(&self, sum: &Self::Sum, part: &Self::Part) -> Result<(), Error> {
        if part.len() != sum.len() {
            return Err(Error::InvalidShare);
        }
        let index = self.part_index(part);
        for (c, s) in sum.iter().zip(part) {
            if s.index() != index {
                return Err(Error::InvalidShare);
            }
            self.tpk
                .verify_share(c, s)
                .map_err(|_| Error::InvalidShare)?;
        }
        Ok(())
    }

    fn write_part(&self, p: &Self::Part, w: &mut Writer) {
        for s in p {
            w.var(&s.to_bytes());
        }
    }

    fn read_part(&self, r: &mut Reader<'_>) -> Result<Self::Part, Error> {
        let max = SHARE_LEN_FACTOR * self.pk().ciphertext_len();
        (0..self.chunks)
            .map(|_| DecryptionShare::from_bytes(r.var(max)?))
            .collect()
    }

    fn threshold(&self) -> usize {
        self.tpk.threshold()
    }

    fn open(
        &self,
        sum: &Self::Sum,
        parts: &[Self::Part],
        contributions: u64,
    ) -> Result<Option<Vec<u64>>, Error> {
        let mut out = Vec::with_capacity(self.chunks * self.layout.slots());
        for (i, c) in sum.iter().enumerate() {
            let shares: Vec<DecryptionShare> = parts
                .iter()
                .map(|p| p.get(i).cloned().ok_or(Error::InvalidShare))
                .collect::<Result<_, _>>()?;
            let m = self.tpk.combine(c, &shares)?;
            match self.layout.decode(&m, contributions) {
                Ok(slots) => out.extend(slots),
                Err(Error::PlaintextOutOfRange) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        // The padding slots of the last ciphertext must be zero too.
        if out[self.slots..].iter().any(|&x| x != 0) {
            return Ok(None);
        }
        out.truncate(self.slots);
        Ok(Some(out))
    }
}
