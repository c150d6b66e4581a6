//! The aggregator's role: verify contributions, refuse bad ones with a reason each, add the
//! rest; and the [`Aggregate`] it writes, which merges with other aggregates of the same
//! round (associative and commutative, so relays can form a tree).
//!
//! An aggregate is not signed: the aggregator is trusted with nothing. It lists every
//! included organization with its contribution's hash; committee members re-check it
//! against the signed contributions (`rules::verify_against_contributions`) and sign its
//! digest, which binds the round, the list (hence the number of contributions) and the sum.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

#[cfg(feature = "serde")]
use super::codec;
use super::codec::{Reader, Writer};
use super::contribution::Contribution;
use super::round::Round;
use super::rules;
use crate::Error;

/// Domain separation of an aggregate's canonical form.
pub const AGGREGATE_DOMAIN: &[u8] = b"tsubaki/stats/v1/aggregate";
/// Domain separation of an aggregate's digest (what partial decryptions bind).
pub const AGGREGATE_DIGEST_DOMAIN: &[u8] = b"tsubaki/stats/v1/aggregate-digest";

pub use super::engine::Sum;

/// The sum of the contributions of a set of organizations, and the list of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    round: [u8; 16],
    entries: BTreeMap<String, [u8; 32]>,
    sum: Sum,
}

impl Aggregate {
    /// The round id.
    pub fn round_id(&self) -> &[u8; 16] {
        &self.round
    }

    /// Included organizations and their contributions' hashes, ordered by org id.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[u8; 32])> {
        self.entries.iter().map(|(o, h)| (o.as_str(), h))
    }

    /// The included organizations, ordered.
    pub fn orgs(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }

    /// Number of included contributions.
    pub fn contributors(&self) -> usize {
        self.entries.len()
    }

    /// The sum.
    pub fn sum(&self) -> &Sum {
        &self.sum
    }

    /// The digest that partial decryptions sign: SHA-256 over the domain, the round's
    /// digest and the canonical form.
    pub fn digest(&self, round: &Round) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(AGGREGATE_DIGEST_DOMAIN);
        h.update(round.digest());
        h.update(self.to_bytes(round));
        h.finalize().into()
    }

    /// The canonical form.
    pub fn to_bytes(&self, round: &Round) -> Vec<u8> {
        let mut w = Writer::new(AGGREGATE_DOMAIN);
        w.fixed(&self.round);
        w.u32(self.entries.len() as u32);
        for (org, hash) in &self.entries {
            w.str(org);
            w.fixed(hash);
        }
        round.engine().write_sum(&self.sum, &mut w);
        w.finish()
    }

    /// Parses the canonical form under `round`: at most the roster's size of entries, in
    /// strictly increasing org order (so each org once), then the sum.
    pub fn from_bytes(round: &Round, input: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(input, AGGREGATE_DOMAIN)?;
        let id = r.array::<16>()?;
        rules::check_round(round, &id)?;
        let n = r.count(round.roster().len())?;
        let mut entries = BTreeMap::new();
        let mut last: Option<String> = None;
        for _ in 0..n {
            let org = r.str()?;
            if last.as_ref().is_some_and(|l| *l >= org) {
                return Err(Error::DuplicateContributor);
            }
            let hash = r.array::<32>()?;
            last = Some(org.clone());
            let _ = entries.insert(org, hash);
        }
        let sum = round.engine().read_sum(&mut r)?;
        r.finish()?;
        Self::assemble(id, entries, sum)
    }

    fn assemble(
        round: [u8; 16],
        entries: BTreeMap<String, [u8; 32]>,
        sum: Sum,
    ) -> Result<Self, Error> {
        if entries.is_empty() {
            return Err(Error::InvalidLength);
        }
        Ok(Aggregate {
            round,
            entries,
            sum,
        })
    }
}

/// The aggregator: adds contributions and merges aggregates of one round, refusing each
/// bad input with its reason and keeping the rest.
#[derive(Debug)]
pub struct Aggregator<'r> {
    round: &'r Round,
    entries: BTreeMap<String, [u8; 32]>,
    sum: Option<Sum>,
}

impl<'r> Aggregator<'r> {
    /// An empty aggregation for `round`.
    pub fn new(round: &'r Round) -> Self {
        Aggregator {
            round,
            entries: BTreeMap::new(),
            sum: None,
        }
    }

    /// Number of contributions accepted so far.
    pub fn contributors(&self) -> usize {
        self.entries.len()
    }

    /// Whether `org` is already included.
    pub fn includes(&self, org: &str) -> bool {
        self.entries.contains_key(org)
    }

    /// [`rules::refuse_duplicate`] against what is included and `new` (the orgs of the
    /// input at hand), without copying the included set: one lookup per org, so merging
    /// many small aggregates or batches stays linear in the inputs (copying the set per
    /// input made 20,000 one-org aggregates cost 48 s).
    fn refuse_duplicate(&self, new: &mut BTreeSet<String>, org: &str) -> Result<(), Error> {
        if self.entries.contains_key(org) {
            return Err(Error::DuplicateContributor);
        }
        rules::refuse_duplicate(new, org)
    }

    /// Checks a contribution without adding it: [`rules::check_round`],
    /// [`rules::check_on_roster`], [`rules::verify_contribution_signature`].
    pub fn check(round: &Round, c: &Contribution) -> Result<(), Error> {
        rules::check_round(round, c.round_id())?;
        let _ = rules::check_on_roster(round, c.org())?;
        rules::verify_contribution_signature(round, c)
    }

    /// Verifies and adds one contribution; on error nothing changes.
    pub fn add(&mut self, c: &Contribution) -> Result<(), Error> {
        Self::check(self.round, c)?;
        self.add_checked(c)
    }

    fn add_checked(&mut self, c: &Contribution) -> Result<(), Error> {
        self.refuse_duplicate(&mut BTreeSet::new(), c.org())?;
        let engine = self.round.engine();
        match &mut self.sum {
            None => self.sum = Some(engine.start_sum(c.payload())?),
            Some(s) => {
                let mut next = s.clone();
                engine.add(&mut next, c.payload())?;
                *s = next;
            }
        }
        let _ = self.entries.insert(c.org().into(), *c.hash());
        Ok(())
    }

    /// Merges an aggregate of the same round whose organizations are all new
    /// ([`Error::DuplicateContributor`] if any was already included: an aggregate cannot be
    /// merged twice) and on the roster; on error nothing changes.
    pub fn merge(&mut self, a: &Aggregate) -> Result<(), Error> {
        rules::check_round(self.round, a.round_id())?;
        let mut new = BTreeSet::new();
        for (org, _) in a.entries() {
            let _ = rules::check_on_roster(self.round, org)?;
            self.refuse_duplicate(&mut new, org)?;
        }
        let engine = self.round.engine();
        let sum = match &self.sum {
            None => a.sum.clone(),
            Some(s) => {
                let mut next = s.clone();
                engine.merge(&mut next, &a.sum)?;
                next
            }
        };
        self.sum = Some(sum);
        for (org, hash) in a.entries() {
            let _ = self.entries.insert(org.into(), *hash);
        }
        Ok(())
    }

    /// Verifies and adds many contributions using `threads` threads (signature checks and
    /// multiplications split over them); returns one result per input, in order. The
    /// outcome is the same as calling [`add`](Self::add) on each in order.
    #[cfg(feature = "std")]
    pub fn add_all(&mut self, cs: &[Contribution], threads: usize) -> Vec<Result<(), Error>> {
        let threads = threads.clamp(1, 64);
        let round = self.round;
        // 1. Independent checks, in parallel.
        let mut results: Vec<Result<(), Error>> =
            parallel_map(cs, threads, |c| Self::check(round, c));
        // 2. Duplicates, in order (against what is included and among the inputs).
        let mut new = BTreeSet::new();
        for (c, res) in cs.iter().zip(results.iter_mut()) {
            if res.is_ok() {
                *res = self.refuse_duplicate(&mut new, c.org());
            }
        }
        // 3. The product of the accepted ones, in parallel chunks.
        let accepted: Vec<&Contribution> = cs
            .iter()
            .zip(&results)
            .filter(|(_, r)| r.is_ok())
            .map(|(c, _)| c)
            .collect();
        if accepted.is_empty() {
            return results;
        }
        let engine = round.engine();
        let chunk = accepted.len().div_ceil(threads);
        let partial_sums: Vec<Result<Sum, Error>> = std::thread::scope(|s| {
            let handles: Vec<_> = accepted
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        let mut sum = engine.start_sum(part[0].payload())?;
                        for c in &part[1..] {
                            engine.add(&mut sum, c.payload())?;
                        }
                        Ok(sum)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Err(Error::InvalidCiphertext)))
                .collect()
        });
        let mut total = self.sum.clone();
        for ps in partial_sums {
            match ps {
                Ok(ps) => match &mut total {
                    None => total = Some(ps),
                    Some(t) => {
                        if let Err(e) = engine.merge(t, &ps) {
                            return cs.iter().map(|_| Err(e)).collect();
                        }
                    }
                },
                // Cannot happen for ciphertexts parsed under the round's key; refuse all.
                Err(e) => return cs.iter().map(|_| Err(e)).collect(),
            }
        }
        self.sum = total;
        for c in accepted {
            let _ = self.entries.insert(c.org().into(), *c.hash());
        }
        results
    }

    /// The aggregate of everything accepted; [`Error::InvalidLength`] if nothing was.
    pub fn finish(self) -> Result<Aggregate, Error> {
        let sum = self.sum.ok_or(Error::InvalidLength)?;
        Aggregate::assemble(*self.round.id(), self.entries, sum)
    }
}

/// The number of cores (1 if unknown).
#[cfg(feature = "std")]
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` over `items` on `threads` threads, results in order: what the roles use to check
/// signatures and parse inputs on every core. The threads take small runs of items from a
/// shared counter as they go (not one equal share each up front), so a thread slowed by
/// the rest of the machine does not leave the others idle at the end.
#[cfg(feature = "std")]
pub fn parallel_map<T: Sync, U: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> U + Sync,
) -> Vec<U> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    if items.is_empty() {
        return Vec::new();
    }
    let threads = threads.clamp(1, items.len());
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    // About 16 runs per thread: small enough to balance, large enough that the counter
    // is touched rarely.
    let run = items.len().div_ceil(threads * 16);
    let runs = items.len().div_ceil(run);
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let mut done: Vec<(usize, Vec<U>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let r = next.fetch_add(1, Ordering::Relaxed);
                        if r >= runs {
                            break mine;
                        }
                        let part = &items[r * run..((r + 1) * run).min(items.len())];
                        mine.push((r, part.iter().map(f).collect::<Vec<U>>()));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(p) => std::panic::resume_unwind(p),
            })
            .collect()
    });
    done.sort_unstable_by_key(|(r, _)| *r);
    done.into_iter().flat_map(|(_, v)| v).collect()
}

/// The JSON form of an aggregate (what `tsubaki stats aggregate` writes).
#[cfg(feature = "serde")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregateJson {
    /// Format version (1).
    pub version: u32,
    /// Round id, hex.
    pub round: String,
    /// Number of included contributions.
    pub contributors: usize,
    /// The included organizations, ordered.
    pub orgs: Vec<String>,
    /// Each included contribution's hash, hex, in the order of `orgs`.
    pub hashes: Vec<String>,
    /// The sum's ciphertexts, hex (Paillier; empty for Shamir, whose servers add the
    /// shares of the listed contributions).
    pub ciphertexts: Vec<String>,
}

#[cfg(feature = "serde")]
impl Aggregate {
    /// The JSON form.
    pub fn to_json(&self) -> AggregateJson {
        AggregateJson {
            version: 1,
            round: codec::hex(&self.round),
            contributors: self.entries.len(),
            orgs: self.orgs(),
            hashes: self.entries.values().map(|h| codec::hex(h)).collect(),
            ciphertexts: match &self.sum {
                Sum::Paillier(c) => c.iter().map(|c| codec::hex(&c.to_bytes())).collect(),
                Sum::Shamir => Vec::new(),
            },
        }
    }

    /// Reads the JSON form under `round`: the count must match the lists, each org
    /// appear once, and every ciphertext be valid under the round's key.
    pub fn from_json(round: &Round, j: &AggregateJson) -> Result<Self, Error> {
        if j.version != 1 {
            return Err(Error::UnsupportedVersion);
        }
        rules::check_round(round, &codec::unhex_array::<16>(&j.round)?)?;
        if j.orgs.len() != j.hashes.len()
            || j.orgs.len() != j.contributors
            || j.orgs.len() > round.roster().len()
        {
            return Err(Error::AggregateMismatch);
        }
        let mut entries = BTreeMap::new();
        for (org, hash) in j.orgs.iter().zip(&j.hashes) {
            codec::check_name(org)?;
            if entries
                .insert(org.clone(), codec::unhex_array::<32>(hash)?)
                .is_some()
            {
                return Err(Error::DuplicateContributor);
            }
        }
        let sum = super::contribution::read_items_hex(round, &j.ciphertexts)
            .and_then(|items| round.engine().sum_from_items(&items))?;
        Self::assemble(*round.id(), entries, sum)
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use alloc::vec::Vec;

    /// Results come back in the items' order whatever the thread count and run size.
    #[test]
    fn parallel_map_keeps_order() {
        for n in [1usize, 2, 3, 31, 32, 33, 1000] {
            let items: Vec<usize> = (0..n).collect();
            let want: Vec<usize> = items.iter().map(|x| x * 3 + 1).collect();
            for threads in [0, 1, 2, 3, 7, 64] {
                assert_eq!(super::parallel_map(&items, threads, |x| x * 3 + 1), want);
            }
        }
        assert!(super::parallel_map(&[] as &[u8], 2, |x| *x).is_empty());
    }
}
