//! The Shamir engine (issue 16): no dealer; k aggregation servers, each with its own P-256
//! key, and any t of them rebuild the totals.
//!
//! - **Contributor** ([`ShamirEngine::seal`]): the slot vector, one Goldilocks element per
//!   slot, is split t-of-k with [`shamir::prime::split_vec`](crate::shamir::prime::split_vec)
//!   (independent polynomials of degree t − 1, evaluated at x = 1, …, k; server i of the
//!   manifest holds x = i); each server's share vector is sealed to that server with HPKE
//!   (RFC 9180, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, Camellia-128-GCM) in **auth** mode
//!   with the organization's key as the sender's, so a server knows who sealed what it
//!   opens. The HPKE `info` binds the round (id and manifest digest), the server's index
//!   and the organization: a share sealed for another server, round or organization does
//!   not open. The organization signs the hashes of the sealed shares
//!   ([`payload_hash`](ShamirEngine::payload_hash), under the contribution's signature).
//! - **Aggregator**: cannot add anything (it holds no key); an aggregate of this engine is
//!   the list of the included contributions and their hashes, with an empty sum.
//! - **Server** ([`ShamirEngine::open_and_add`]): opens its own share of each listed
//!   contribution and adds them slot-wise mod p; its part is that sum share, which it signs
//!   with the digest of the aggregate (the set of organizations and their contributions'
//!   hashes). The rules before that — signatures, roster, round, uniqueness, quorum, once
//!   per round — are the committee member's (`stats::partial`).
//! - **Combiner** ([`ShamirEngine::open`]): Lagrange interpolation at 0 of t sum shares.
//!
//! Bounds: every slot is below its schema bound and the manifest is refused unless the
//! largest bound times the roster's size is below p = 2⁶⁴ − 2³² + 1, so an honest round's
//! totals cannot wrap. A contributor who seals a value beyond its bound (e.g. p − 5, which
//! subtracts 5) is caught by the report's bound check only if the total leaves the range;
//! validity proofs are future work (DESIGN §7).
//!
//! Keys: the servers' and the organizations' P-256 keys serve both ECDSA (signatures) and
//! HPKE (the DH of DHKEM), as the manifest carries one key per party.
//!
//! Constant time: the slot values, polynomial coefficients, opened shares and their sums
//! only meet Goldilocks arithmetic (constant-time) and the HPKE/ECDH code (constant-time
//! in the private keys); buffers holding them are wiped. The sum share a server signs is
//! released on purpose (fewer than t of them reveal nothing).

use alloc::vec;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;
use crate::ec::p256::{SigningKey, VerifyingKey};
use crate::hpke::{self, Keypair, Suite};
use crate::shamir::{FieldId, Goldilocks, PrimeField, Share, prime};
use crate::stats::codec::{Reader, Writer};

/// A thread's partial sum, or the position and cause of the first share that did not open.
#[cfg(feature = "std")]
type Opened = Result<Zeroizing<Vec<Goldilocks>>, (usize, Error)>;

/// The HPKE suite shares are sealed with.
pub const SHARE_SUITE: Suite = Suite::P256_SHA256_CAMELLIA128_GCM;
/// Domain separation of the HPKE `info` of a sealed share.
pub const SHARE_INFO_DOMAIN: &[u8] = b"tsubaki/stats/v1/shamir-share";
/// Domain separation of the hash over a contribution's sealed shares' hashes.
pub const SHARES_HASH_DOMAIN: &[u8] = b"tsubaki/stats/v1/shamir-shares";

/// Bytes of an HPKE `enc` for P-256 (uncompressed SEC 1).
const ENC_LEN: usize = 65;
/// Bytes of the AEAD tag.
const TAG_LEN: usize = 16;

/// One server's share vector, sealed to it: HPKE `enc` and `ct ‖ tag`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedShare {
    /// The encapsulated key (65 bytes).
    pub enc: Vec<u8>,
    /// The AEAD ciphertext of the share values (8 bytes each, big-endian) and its tag.
    pub ct: Vec<u8>,
}

impl SealedShare {
    /// SHA-256 of `enc ‖ ct`: what the organization's signature covers.
    pub fn hash(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(&self.enc);
        h.update(&self.ct);
        h.finalize().into()
    }
}

/// A server's sum share: the slot-wise sum, mod p, of its shares of every contribution of
/// an aggregate, at x = `index`.
#[derive(Clone, PartialEq, Eq)]
pub struct SumShare {
    index: u8,
    values: Vec<u64>,
}

impl SumShare {
    /// The server's index (its x, 1-based order in the manifest).
    pub fn index(&self) -> u8 {
        self.index
    }

    /// The values (canonical Goldilocks elements).
    pub fn values(&self) -> &[u64] {
        &self.values
    }
}

impl Zeroize for SumShare {
    fn zeroize(&mut self) {
        self.values.zeroize();
    }
}

impl Drop for SumShare {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for SumShare {}

impl core::fmt::Debug for SumShare {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SumShare")
            .field("index", &self.index)
            .field("len", &self.values.len())
            .finish_non_exhaustive()
    }
}

/// What a seal or an open binds: the round and the organization.
#[derive(Clone, Copy, Debug)]
pub struct ShareContext<'a> {
    /// The round id.
    pub round: &'a [u8; 16],
    /// The manifest's digest.
    pub digest: &'a [u8; 32],
    /// The organization.
    pub org: &'a str,
}

/// The Shamir engine of one round: the servers' keys, t, the slot count.
#[derive(Clone, Debug)]
pub struct ShamirEngine {
    threshold: usize,
    servers: Vec<Vec<u8>>,
    slots: usize,
}

impl ShamirEngine {
    /// The engine for `slots` slots each at most `max_slot`, summed over at most
    /// `contributors` contributions, shared `threshold`-of-`servers.len()`.
    /// [`Error::InvalidThreshold`] unless 2 ≤ t ≤ k ≤ 255; [`Error::Overflow`] unless
    /// `max_slot · contributors < p` (no honest total can wrap).
    pub fn new(
        threshold: usize,
        servers: &[VerifyingKey],
        slots: usize,
        max_slot: u64,
        contributors: u64,
    ) -> Result<Self, Error> {
        crate::shamir::check_params(threshold, servers.len())?;
        match max_slot.checked_mul(contributors) {
            Some(m) if m < Goldilocks::MODULUS => {}
            _ => return Err(Error::Overflow),
        }
        if slots == 0 {
            return Err(Error::InvalidLength);
        }
        Ok(ShamirEngine {
            threshold,
            servers: servers.iter().map(|k| k.to_sec1_bytes(false)).collect(),
            slots,
        })
    }

    /// Number of slots.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// t.
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// k, the number of servers (and of sealed shares per contribution).
    pub fn servers(&self) -> usize {
        self.servers.len()
    }

    fn ct_len(&self) -> usize {
        self.slots * 8 + TAG_LEN
    }

    fn info(ctx: &ShareContext<'_>, index: u8) -> Vec<u8> {
        let mut info = Vec::with_capacity(SHARE_INFO_DOMAIN.len() + 51 + ctx.org.len());
        info.extend_from_slice(SHARE_INFO_DOMAIN);
        info.extend_from_slice(ctx.round);
        info.extend_from_slice(ctx.digest);
        info.push(index);
        info.extend_from_slice(&(ctx.org.len() as u16).to_be_bytes());
        info.extend_from_slice(ctx.org.as_bytes());
        info
    }

    /// The contributor's step: splits `slots` t-of-k and seals share i to server i, from
    /// `sender` (the organization's key).
    pub fn seal<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        ctx: &ShareContext<'_>,
        sender: &SigningKey,
        slots: &[u64],
    ) -> Result<Vec<SealedShare>, Error> {
        if slots.len() != self.slots {
            return Err(Error::InvalidLength);
        }
        let secrets: Zeroizing<Vec<Goldilocks>> =
            Zeroizing::new(slots.iter().map(|&v| Goldilocks::from_u64(v)).collect());
        let shares = prime::split_vec(rng, &secrets, self.threshold, self.servers.len())?;
        let sender = Keypair::from_private_key_bytes(SHARE_SUITE, sender.to_bytes().as_ref())?;
        let mut out = Vec::with_capacity(self.servers.len());
        for (share, pk) in shares.iter().zip(&self.servers) {
            let (enc, ct) = hpke::seal_auth(
                SHARE_SUITE,
                rng,
                pk,
                &sender,
                &Self::info(ctx, share.index()),
                b"",
                &share.payload,
            )?;
            out.push(SealedShare { enc, ct });
        }
        Ok(out)
    }

    /// SHA-256 over the domain and each sealed share's [`hash`](SealedShare::hash), in
    /// server order: what the organization signs (inside the contribution's digest).
    pub fn payload_hash(&self, p: &[SealedShare]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(SHARES_HASH_DOMAIN);
        for s in p {
            h.update(s.hash());
        }
        h.finalize().into()
    }

    /// Writes a payload: per server, `enc` and `ct` at their fixed lengths.
    pub fn write_payload(&self, p: &[SealedShare], w: &mut Writer) {
        for s in p {
            w.fixed(&s.enc);
            w.fixed(&s.ct);
        }
    }

    /// Reads a payload: exactly one sealed share per server, each of the lengths the round
    /// gives, `enc` an uncompressed point encoding ([`Error::InvalidCiphertext`]
    /// otherwise).
    pub fn read_payload(&self, r: &mut Reader<'_>) -> Result<Vec<SealedShare>, Error> {
        let mut out = Vec::with_capacity(self.servers.len());
        for _ in 0..self.servers.len() {
            let enc = r.fixed(ENC_LEN).map_err(|_| Error::InvalidCiphertext)?;
            let ct = r
                .fixed(self.ct_len())
                .map_err(|_| Error::InvalidCiphertext)?;
            out.push(self.sealed(enc, ct)?);
        }
        Ok(out)
    }

    /// A sealed share from its bytes (`enc ‖ ct`), lengths checked.
    pub fn sealed_from_bytes(&self, b: &[u8]) -> Result<SealedShare, Error> {
        if b.len() != ENC_LEN + self.ct_len() {
            return Err(Error::InvalidCiphertext);
        }
        let (enc, ct) = b.split_at(ENC_LEN);
        self.sealed(enc, ct)
    }

    fn sealed(&self, enc: &[u8], ct: &[u8]) -> Result<SealedShare, Error> {
        if enc.len() != ENC_LEN || enc[0] != 0x04 || ct.len() != self.ct_len() {
            return Err(Error::InvalidCiphertext);
        }
        Ok(SealedShare {
            enc: enc.to_vec(),
            ct: ct.to_vec(),
        })
    }

    /// Opens server `index`'s share of one contribution with the server's key, checking
    /// that `sender` (the organization's roster key) sealed it:
    /// [`Error::AuthenticationFailed`] if it does not open (sealed to another server, for
    /// another round or organization, by another key, or altered), [`Error::InvalidShare`]
    /// if a value is not a field element.
    pub fn open_share(
        &self,
        ctx: &ShareContext<'_>,
        index: u8,
        key: &Keypair,
        sender: &VerifyingKey,
        payload: &[SealedShare],
    ) -> Result<Zeroizing<Vec<Goldilocks>>, Error> {
        let i = usize::from(index);
        if i == 0 || i > self.servers.len() || payload.len() != self.servers.len() {
            return Err(Error::InvalidShareIndex);
        }
        let s = &payload[i - 1];
        let plain = Zeroizing::new(
            hpke::open_auth(
                SHARE_SUITE,
                key,
                &sender.to_sec1_bytes(false),
                &s.enc,
                &Self::info(ctx, index),
                b"",
                &s.ct,
            )
            .map_err(|_| Error::AuthenticationFailed)?,
        );
        if plain.len() != self.slots * 8 {
            return Err(Error::InvalidShare);
        }
        let mut ok = subtle::Choice::from(1);
        let values: Zeroizing<Vec<Goldilocks>> = Zeroizing::new(
            plain
                .chunks_exact(8)
                .map(|c| {
                    let v = Goldilocks::read_bytes(c);
                    ok &= v.is_some();
                    v.unwrap_or(Goldilocks::ZERO)
                })
                .collect(),
        );
        if !crate::ct::declassify_choice(ok) {
            return Err(Error::InvalidShare);
        }
        Ok(values)
    }

    /// The server's step after the rules: opens its share of each `(context, sender key,
    /// payload)` and adds them. The first failure is returned with its position in
    /// `items`, and nothing is released.
    pub fn open_and_add(
        &self,
        index: u8,
        key: &SigningKey,
        items: &[(ShareContext<'_>, &VerifyingKey, &[SealedShare])],
    ) -> Result<SumShare, (usize, Error)> {
        #[cfg(feature = "std")]
        let threads = crate::stats::cores();
        #[cfg(not(feature = "std"))]
        let threads = 1;
        self.open_and_add_threads(index, key, items, threads)
    }

    /// [`open_and_add`](Self::open_and_add) on `threads` threads (with `std`; one
    /// otherwise).
    pub fn open_and_add_threads(
        &self,
        index: u8,
        key: &SigningKey,
        items: &[(ShareContext<'_>, &VerifyingKey, &[SealedShare])],
        threads: usize,
    ) -> Result<SumShare, (usize, Error)> {
        let kp = Keypair::from_private_key_bytes(SHARE_SUITE, key.to_bytes().as_ref())
            .map_err(|e| (0, e))?;
        let mut acc = Zeroizing::new(vec![Goldilocks::ZERO; self.slots]);
        let add = |acc: &mut [Goldilocks], v: &[Goldilocks]| {
            for (a, x) in acc.iter_mut().zip(v) {
                *a = a.add(x);
            }
        };
        #[cfg(not(feature = "std"))]
        let _ = threads;
        #[cfg(feature = "std")]
        {
            let chunk = items.len().div_ceil(threads.max(1)).max(1);
            let kp = &kp;
            let parts: Vec<Opened> = std::thread::scope(|s| {
                let handles: Vec<_> = items
                    .chunks(chunk)
                    .enumerate()
                    .map(|(c, part)| {
                        s.spawn(move || {
                            let mut acc = Zeroizing::new(vec![Goldilocks::ZERO; self.slots]);
                            for (j, (ctx, sender, payload)) in part.iter().enumerate() {
                                let v = self
                                    .open_share(ctx, index, kp, sender, payload)
                                    .map_err(|e| (c * chunk + j, e))?;
                                add(&mut acc, &v);
                            }
                            Ok(acc)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or(Err((0, Error::InvalidShare))))
                    .collect()
            });
            for p in parts {
                add(&mut acc, &p?);
            }
        }
        #[cfg(not(feature = "std"))]
        for (j, (ctx, sender, payload)) in items.iter().enumerate() {
            let v = self
                .open_share(ctx, index, &kp, sender, payload)
                .map_err(|e| (j, e))?;
            add(&mut acc, &v);
        }
        Ok(SumShare {
            index,
            values: acc.iter().map(|x| x.to_u64()).collect(),
        })
    }

    /// Writes a part: the index, then the values (8 bytes each).
    pub fn write_part(&self, p: &SumShare, w: &mut Writer) {
        w.u8(p.index);
        for v in &p.values {
            w.fixed(&v.to_be_bytes());
        }
    }

    /// Reads a part: the index, then exactly one canonical element per slot.
    pub fn read_part(&self, r: &mut Reader<'_>) -> Result<SumShare, Error> {
        let index = r.u8()?;
        let values = (0..self.slots)
            .map(|_| {
                let b = r.array::<8>()?;
                let v = u64::from_be_bytes(b);
                if v >= Goldilocks::MODULUS {
                    return Err(Error::InvalidShare);
                }
                Ok(v)
            })
            .collect::<Result<Vec<u64>, Error>>()?;
        Ok(SumShare { index, values })
    }

    /// The values of a part in hex (what the JSON form carries).
    pub fn part_values_bytes(&self, p: &SumShare) -> Vec<u8> {
        p.values.iter().flat_map(|v| v.to_be_bytes()).collect()
    }

    /// A part from its index and the values' bytes.
    pub fn part_from_bytes(&self, index: u8, b: &[u8]) -> Result<SumShare, Error> {
        let mut w = Writer::new(b"");
        w.u8(index);
        w.fixed(b);
        let bytes = w.finish();
        let mut r = Reader::new(&bytes, b"")?;
        let p = self.read_part(&mut r)?;
        r.finish().map_err(|_| Error::InvalidShare)?;
        Ok(p)
    }

    /// A part must claim a server index and hold one value per slot.
    pub fn verify_part(&self, p: &SumShare) -> Result<(), Error> {
        if p.index == 0 || usize::from(p.index) > self.servers.len() || p.values.len() != self.slots
        {
            return Err(Error::InvalidShare);
        }
        Ok(())
    }

    /// Rebuilds the slot totals from exactly t parts of distinct servers (Lagrange at 0).
    pub fn open(&self, parts: &[&SumShare]) -> Result<Vec<u64>, Error> {
        if parts.len() != self.threshold {
            return Err(Error::NotEnoughShares);
        }
        let shares: Vec<Share> = parts
            .iter()
            .map(|p| Share {
                field: FieldId::Goldilocks,
                set_id: [0; 16],
                threshold: self.threshold as u8,
                index: p.index,
                payload: self.part_values_bytes(p),
            })
            .collect();
        let totals = prime::combine_vec::<Goldilocks, _>(&shares)?;
        Ok(totals.iter().map(|x| x.to_u64()).collect())
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::ec::p256::SigningKey;

    fn key(i: u8) -> SigningKey {
        let mut b = [0u8; 32];
        b[31] = i;
        b[0] = 0x11;
        SigningKey::from_bytes(&b).unwrap()
    }

    #[test]
    fn seal_open_add_combine() {
        let servers: Vec<SigningKey> = (1..=3).map(key).collect();
        let pubs: Vec<VerifyingKey> = servers.iter().map(|k| k.verifying_key()).collect();
        let e = ShamirEngine::new(2, &pubs, 4, 1000, 10).unwrap();
        let mut rng = crate::OsRng;
        let orgs = [key(10), key(11)];
        let digest = [9u8; 32];
        let ids = ["a", "b"];
        let vals = [[1u64, 2, 3, 1000], [5, 0, 7, 1]];
        let payloads: Vec<Vec<SealedShare>> = (0..2)
            .map(|j| {
                let ctx = ShareContext {
                    round: &[1; 16],
                    digest: &digest,
                    org: ids[j],
                };
                e.seal(&mut rng, &ctx, &orgs[j], &vals[j]).unwrap()
            })
            .collect();
        let opk: Vec<VerifyingKey> = orgs.iter().map(|k| k.verifying_key()).collect();
        let items: Vec<(ShareContext<'_>, &VerifyingKey, &[SealedShare])> = (0..2)
            .map(|j| {
                (
                    ShareContext {
                        round: &[1; 16],
                        digest: &digest,
                        org: ids[j],
                    },
                    &opk[j],
                    payloads[j].as_slice(),
                )
            })
            .collect();
        let sums: Vec<SumShare> = (1..=3u8)
            .map(|i| {
                e.open_and_add(i, &servers[usize::from(i) - 1], &items)
                    .unwrap()
            })
            .collect();
        for pair in [[0, 1], [1, 2], [2, 0]] {
            let got = e.open(&[&sums[pair[0]], &sums[pair[1]]]).unwrap();
            assert_eq!(got, vec![6, 2, 10, 1001]);
        }
        // Server 2 cannot open server 1's share; a wrong sender or org does not open.
        let ctx = ShareContext {
            round: &[1; 16],
            digest: &digest,
            org: "a",
        };
        let kp2 =
            Keypair::from_private_key_bytes(SHARE_SUITE, servers[1].to_bytes().as_ref()).unwrap();
        let kp1 =
            Keypair::from_private_key_bytes(SHARE_SUITE, servers[0].to_bytes().as_ref()).unwrap();
        assert_eq!(
            e.open_share(&ctx, 1, &kp2, &opk[0], &payloads[0])
                .unwrap_err(),
            Error::AuthenticationFailed
        );
        assert_eq!(
            e.open_share(&ctx, 1, &kp1, &opk[1], &payloads[0])
                .unwrap_err(),
            Error::AuthenticationFailed
        );
        let ctx_b = ShareContext {
            round: &[1; 16],
            digest: &digest,
            org: "b",
        };
        assert_eq!(
            e.open_share(&ctx_b, 1, &kp1, &opk[0], &payloads[0])
                .unwrap_err(),
            Error::AuthenticationFailed
        );
        assert!(e.open_share(&ctx, 1, &kp1, &opk[0], &payloads[0]).is_ok());
        // One share alone does not open; bounds that could wrap are refused.
        assert_eq!(e.open(&[&sums[0]]).unwrap_err(), Error::NotEnoughShares);
        assert_eq!(
            ShamirEngine::new(2, &pubs, 4, u64::MAX / 2, 3).unwrap_err(),
            Error::Overflow
        );
        assert_eq!(
            ShamirEngine::new(4, &pubs, 4, 1, 3).unwrap_err(),
            Error::InvalidThreshold
        );
    }
}
