//! The rules that protect the contributors, one function each, named for the rule and
//! called by the role that enforces it (DESIGN §7). Each is tested with the attack it
//! stops (`tests/stats_rules.rs` and the CLI tests).
//!
//! | rule | role | stops |
//! |---|---|---|
//! | [`check_round_parameters`] | coordinator, everyone reading a manifest | a quorum of 1 (one contribution decrypted alone), a committee that is not the key's |
//! | [`check_majority`] | coordinator, everyone reading a manifest | two disjoint groups of t members each opening another aggregate of one round (their difference) |
//! | [`check_coordinator`] | everyone reading a manifest | a manifest re-signed by someone else (e.g. with their own threshold key) |
//! | [`check_round`] | everyone | replay of a message into another round |
//! | [`check_on_roster`] | aggregator, member | contributions from outside the circle |
//! | [`verify_contribution_signature`] | aggregator, member | forged or tampered contributions |
//! | [`refuse_duplicate`] | aggregator, member | one organization weighing twice; an aggregate merged twice |
//! | [`verify_against_contributions`] | member | decrypting a single contribution or the difference of two aggregates dressed as an aggregate |
//! | [`check_quorum`] | member | decrypting a sum of too few contributions |
//! | [`decrypt_once`] | member | decrypting two aggregates of one round (their difference) |
//! | [`check_member`] | member, combiner | a part made with another member's key or index |
//! | [`verify_partial`] | combiner | forged or tampered parts, parts of another aggregate |
//! | [`open_own_shares`] | server (Shamir) | a share sealed to another server, for another round or org, by another key, or altered, being summed |
//! | [`check_slot_bounds`] | combiner | a contributor exceeding a bound going unnoticed |

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use super::aggregate::Aggregate;
use super::codec;
use super::contribution::Contribution;
use super::engine::RoundEngine;
use super::engine::shamir::{SealedShare, ShareContext, SumShare};
use super::partial::{Journal, PartialDecryption};
use super::round::{Party, Round};
use super::schema::Schema;
use crate::Error;
use crate::ec::p256::{SigningKey, VerifyingKey};

/// A manifest's parameters must protect the contributors: distinct, valid ids on the
/// roster and the committee; a committee of exactly the threshold key's `parties`
/// members; a quorum of at least 2 and at most the roster's size.
pub fn check_round_parameters(
    roster: &[Party],
    committee: &[Party],
    quorum: u32,
    parties: usize,
) -> Result<(), Error> {
    for list in [roster, committee] {
        let mut seen = BTreeSet::new();
        for p in list {
            codec::check_name(&p.id)?;
            if !seen.insert(p.id.as_str()) {
                return Err(Error::DuplicateContributor);
            }
        }
    }
    if committee.len() != parties || committee.len() > super::round::MAX_COMMITTEE {
        return Err(Error::InvalidThreshold);
    }
    if roster.is_empty() || roster.len() > super::round::MAX_ROSTER {
        return Err(Error::InvalidLength);
    }
    if quorum < 2 || quorum as usize > roster.len() {
        return Err(Error::QuorumNotMet);
    }
    Ok(())
}

/// t of n members (servers) open a sum only if t is a majority, 2t > n
/// ([`Error::InvalidThreshold`] otherwise). Each member decrypts once per round
/// ([`decrypt_once`]), but that stops two aggregates of one round being opened (and
/// their difference: one contribution) only if no two disjoint groups of t exist.
pub fn check_majority(threshold: usize, parties: usize) -> Result<(), Error> {
    if threshold.checked_mul(2).is_none_or(|d| d <= parties) {
        return Err(Error::InvalidThreshold);
    }
    Ok(())
}

/// The manifest must be signed by the coordinator the reader pinned out of band (DESIGN
/// §7): [`Error::KeyMismatch`] otherwise. Reading a manifest only checks its signature
/// against the key the manifest itself names, so whoever can replace the file (the
/// transport: a shared folder, e-mail, MISP) can sign one of their own — with a threshold
/// key whose primes they know — and every contribution made under it is theirs to read.
pub fn check_coordinator(round: &Round, pinned: &VerifyingKey) -> Result<(), Error> {
    if round.coordinator() != pinned {
        return Err(Error::KeyMismatch);
    }
    Ok(())
}

/// A message must name the round at hand: [`Error::WrongRound`] otherwise.
pub fn check_round(round: &Round, id: &[u8; 16]) -> Result<(), Error> {
    if id != round.id() {
        return Err(Error::WrongRound);
    }
    Ok(())
}

/// The organization must be on the roster: its entry, or [`Error::NotOnRoster`].
pub fn check_on_roster<'r>(round: &'r Round, org: &str) -> Result<&'r Party, Error> {
    round.contributor(org).ok_or(Error::NotOnRoster)
}

/// The contribution must be signed by its organization's roster key (one ECDSA
/// verification over the contribution's hash): [`Error::InvalidSignature`] otherwise.
pub fn verify_contribution_signature(round: &Round, c: &Contribution) -> Result<(), Error> {
    let party = check_on_roster(round, c.org())?;
    party.public_key.verify_prehash(c.hash(), c.signature())
}

/// An organization counts once: [`Error::DuplicateContributor`] if `org` is already in
/// `included`; otherwise it is added.
pub fn refuse_duplicate(included: &mut BTreeSet<String>, org: &str) -> Result<(), Error> {
    if !included.insert(org.into()) {
        return Err(Error::DuplicateContributor);
    }
    Ok(())
}

/// The aggregate must be exactly the sum of signed, valid contributions of this round,
/// one per listed organization: for each listed (org, hash) the contribution with that
/// hash is looked up in `contributions`, checked ([`check_round`], [`check_on_roster`],
/// [`verify_contribution_signature`]) and multiplied in; the product must equal the
/// aggregate's ciphertexts. [`Error::AggregateMismatch`] if a listed contribution is
/// missing or the product differs; the contribution's own error if one is invalid.
pub fn verify_against_contributions(
    round: &Round,
    aggregate: &Aggregate,
    contributions: &[Contribution],
) -> Result<(), Error> {
    check_round(round, aggregate.round_id())?;
    let by_hash: BTreeMap<&[u8; 32], &Contribution> =
        contributions.iter().map(|c| (c.hash(), c)).collect();
    let mut seen = BTreeSet::new();
    let mut listed: Vec<&Contribution> = Vec::with_capacity(aggregate.contributors());
    for (org, hash) in aggregate.entries() {
        refuse_duplicate(&mut seen, org)?;
        let c = by_hash.get(hash).ok_or(Error::AggregateMismatch)?;
        if c.org() != org {
            return Err(Error::AggregateMismatch);
        }
        check_round(round, c.round_id())?;
        listed.push(c);
    }
    // One signature check each (over all cores with `std`), then one multiplication each.
    #[cfg(feature = "std")]
    let checks = super::aggregate::parallel_map(&listed, super::aggregate::cores(), |c| {
        verify_contribution_signature(round, c)
    });
    #[cfg(not(feature = "std"))]
    let checks: alloc::vec::Vec<Result<(), Error>> = listed
        .iter()
        .map(|c| verify_contribution_signature(round, c))
        .collect();
    for r in checks {
        r?;
    }
    let engine = round.engine();
    let mut sum = None;
    for c in listed {
        match &mut sum {
            None => sum = Some(engine.start_sum(c.payload())?),
            Some(s) => engine.add(s, c.payload())?,
        }
    }
    match sum {
        Some(s) if &s == aggregate.sum() => Ok(()),
        _ => Err(Error::AggregateMismatch),
    }
}

/// A sum is decrypted only if it holds at least the round's quorum of distinct roster
/// organizations: [`Error::QuorumNotMet`] otherwise.
pub fn check_quorum(round: &Round, aggregate: &Aggregate) -> Result<(), Error> {
    let distinct: BTreeSet<&str> = aggregate
        .entries()
        .filter(|(org, _)| round.contributor(org).is_some())
        .map(|(org, _)| org)
        .collect();
    if distinct.len() < round.quorum() as usize || distinct.len() != aggregate.contributors() {
        return Err(Error::QuorumNotMet);
    }
    Ok(())
}

/// A member decrypts once per round: the journal records the round before any share is
/// released, and refuses a second time with [`Error::AlreadyDecrypted`].
pub fn decrypt_once(journal: &mut dyn Journal, round: &Round, member: &str) -> Result<(), Error> {
    journal.record_once(round.id(), member)
}

/// The member must be on the committee at `index` with `key`: [`Error::NotOnRoster`] if
/// it is not a member, [`Error::KeyMismatch`] if the key or the share index differ.
pub fn check_member(
    round: &Round,
    member: &str,
    key: &VerifyingKey,
    index: u8,
) -> Result<(), Error> {
    let (i, party) = round.member(member).ok_or(Error::NotOnRoster)?;
    if i != index || &party.public_key != key {
        return Err(Error::KeyMismatch);
    }
    Ok(())
}

/// A partial decryption must be of this round and this aggregate, by a committee member
/// at its own index, signed with its key, and each share's proof must verify against the
/// aggregate's ciphertexts.
pub fn verify_partial(
    round: &Round,
    aggregate: &Aggregate,
    p: &PartialDecryption,
) -> Result<(), Error> {
    check_round(round, p.round_id())?;
    let (index, party) = round.member(p.member()).ok_or(Error::NotOnRoster)?;
    if index != p.index() {
        return Err(Error::KeyMismatch);
    }
    party
        .public_key
        .verify_prehash(&p.signed_digest(round), p.signature())?;
    if p.aggregate_digest() != &aggregate.digest(round) {
        return Err(Error::AggregateMismatch);
    }
    let engine = round.engine();
    if engine.part_index(p.part()) != index {
        return Err(Error::InvalidShare);
    }
    engine.verify_part(aggregate.sum(), p.part())
}

/// A server (Shamir engine) opens its own share of every contribution the aggregate
/// lists (found by hash in `contributions`, as [`verify_against_contributions`] checked),
/// each sealed to server `index` with HPKE auth mode by the listed organization's roster
/// key, for this round; and adds them. On the first that does not open, its org and
/// [`Error::AuthenticationFailed`] (or [`Error::InvalidShare`] for values that are not
/// field elements); nothing is released.
pub fn open_own_shares(
    round: &Round,
    index: u8,
    key: &SigningKey,
    aggregate: &Aggregate,
    contributions: &[Contribution],
) -> Result<SumShare, (String, Error)> {
    let RoundEngine::Shamir(engine) = round.engine() else {
        return Err((String::new(), Error::UnsupportedAlgorithm));
    };
    let by_hash: BTreeMap<&[u8; 32], &Contribution> =
        contributions.iter().map(|c| (c.hash(), c)).collect();
    let mut items: Vec<(ShareContext<'_>, &VerifyingKey, &[SealedShare])> = Vec::new();
    let mut orgs: Vec<&str> = Vec::new();
    for (org, hash) in aggregate.entries() {
        let c = by_hash
            .get(hash)
            .ok_or((String::from(org), Error::AggregateMismatch))?;
        let party = check_on_roster(round, c.org()).map_err(|e| (String::from(org), e))?;
        let super::engine::Payload::Shamir(shares) = c.payload() else {
            return Err((String::from(org), Error::InvalidCiphertext));
        };
        items.push((
            ShareContext {
                round: round.id(),
                digest: round.digest(),
                org: c.org(),
            },
            &party.public_key,
            shares.as_slice(),
        ));
        orgs.push(org);
    }
    engine
        .open_and_add(index, key, &items)
        .map_err(|(i, e)| (orgs.get(i).copied().unwrap_or("").into(), e))
}

/// Every slot total must be at most `contributors ×` its bound, and the totals of a
/// metric must be ones that `contributors` in-bound values can give: a histogram's
/// buckets add up to exactly the contributors (one-hot), and a variance's Σx and Σx²
/// satisfy (Σx)² ≤ n·Σx² (Cauchy–Schwarz) and Σx² ≤ max·Σx (x² ≤ max·x on 0..=max).
/// False means some contributor put something beyond a bound in (its slots are sealed
/// as given, not checked), and the report is marked invalid rather than silently wrong.
pub fn check_slot_bounds(schema: &Schema, totals: &[u64], contributors: u64) -> bool {
    use super::schema::MetricKind;
    let bounds = schema.slot_bounds();
    if bounds.len() != totals.len()
        || !bounds
            .iter()
            .zip(totals)
            .all(|(&b, &t)| b.checked_mul(contributors).is_some_and(|m| t <= m))
    {
        return false;
    }
    let n = u128::from(contributors);
    let mut at = 0;
    for m in schema.metrics() {
        let width = m.slot_bounds().len();
        let t = &totals[at..at + width];
        at += width;
        let consistent = match &m.kind {
            MetricKind::Histogram { .. } => t.iter().map(|&x| u128::from(x)).sum::<u128>() == n,
            MetricKind::Variance { max } => {
                let (sum, sq) = (u128::from(t[0]), u128::from(t[1]));
                sum * sum <= n * sq && sq <= u128::from(*max) * sum
            }
            _ => true,
        };
        if !consistent {
            return false;
        }
    }
    true
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::stats::{
        Aggregator, EngineParams, MemoryJournal, Metric, MetricKind, MetricResult, combine,
    };
    use alloc::vec;

    fn key(i: u8) -> SigningKey {
        let mut b = [0u8; 32];
        b[0] = 0x22;
        b[31] = i;
        SigningKey::from_bytes(&b).unwrap()
    }

    /// A Shamir round (no dealer, so no key generation) of `metric`, two orgs (quorum 2)
    /// contributing the raw `slots` given (as a modified client could: the library's
    /// `Contribution::create` takes slots, not values), two servers; the report.
    fn report_of(metric: MetricKind, slots: [&[u64]; 2]) -> crate::stats::Report {
        let mut rng = crate::OsRng;
        let schema = Schema::new(vec![Metric {
            name: "m".into(),
            kind: metric,
        }])
        .unwrap();
        let orgs = [key(1), key(2)];
        let servers = [key(11), key(12)];
        let party = |id: &str, k: &SigningKey| Party {
            id: id.into(),
            public_key: k.verifying_key(),
        };
        let round = Round::create(
            &mut rng,
            "",
            schema,
            EngineParams::Shamir { threshold: 2 },
            vec![party("a", &orgs[0]), party("b", &orgs[1])],
            vec![party("s1", &servers[0]), party("s2", &servers[1])],
            2,
            &key(99),
        )
        .unwrap();
        let cs: Vec<Contribution> = ["a", "b"]
            .iter()
            .zip(&orgs)
            .zip(slots)
            .map(|((id, k), s)| Contribution::create(&mut rng, &round, id, k, s).unwrap())
            .collect();
        let mut agg = Aggregator::new(&round);
        for c in &cs {
            agg.add(c).unwrap();
        }
        let agg = agg.finish().unwrap();
        let parts: Vec<PartialDecryption> = ["s1", "s2"]
            .iter()
            .zip(&servers)
            .map(|(id, k)| {
                PartialDecryption::create_server(
                    &round,
                    id,
                    k,
                    &agg,
                    &cs,
                    &mut MemoryJournal::default(),
                )
                .unwrap()
            })
            .collect();
        combine(&round, &agg, &parts).report.unwrap()
    }

    /// Regression (review): a variance metric's Σx² slot that no set of in-bound values
    /// can give was reported as a valid round with variance 0 (the negative numerator was
    /// clamped), and a histogram whose buckets do not add up to the contributors (a
    /// contributor ticked every bucket) as valid too: the report must be invalid.
    #[test]
    fn totals_no_in_bound_values_can_give_make_the_report_invalid() {
        // Honest: x = 3 and 5 → Σx = 8, Σx² = 34.
        let r = report_of(MetricKind::Variance { max: 10 }, [&[3, 9], &[5, 25]]);
        assert!(r.valid);
        assert_eq!(
            r.metrics[0].1,
            MetricResult::Stats {
                count: 2,
                sum: 8,
                mean: Some(4.0),
                variance: Some(1.0)
            }
        );
        // Σx² slot 0 with Σx = 10 + 10 (every slot within its bound): n·Σx² < (Σx)².
        assert!(!report_of(MetricKind::Variance { max: 10 }, [&[10, 0], &[10, 0]]).valid);
        // Σx² above max·Σx (x² ≤ max·x for 0 ≤ x ≤ max): 1 and 100 with max 10.
        assert!(!report_of(MetricKind::Variance { max: 10 }, [&[1, 100], &[0, 0]]).valid);
        let h = || MetricKind::Histogram {
            buckets: vec!["low".into(), "high".into()],
        };
        assert!(report_of(h(), [&[1, 0], &[0, 1]]).valid);
        // Every bucket ticked by one contributor, none by the other.
        assert!(!report_of(h(), [&[1, 1], &[1, 1]]).valid);
        assert!(!report_of(h(), [&[1, 1], &[1, 0]]).valid);
    }

    /// Regression (review): "once per round" is per member, so with n ≥ 2t two disjoint
    /// groups of t members (servers) could each open a different aggregate of the same
    /// round, every one of them decrypting once: an aggregator who hands {a, b, c} to one
    /// group and {b, c} to the other learns org a's values from the difference — what the
    /// journal is there to stop (DESIGN §7). A manifest must ask for a majority, 2t > n.
    #[test]
    fn two_disjoint_groups_cannot_open_two_aggregates_of_one_round() {
        let mut rng = crate::OsRng;
        let schema = || {
            Schema::new(vec![Metric {
                name: "m".into(),
                kind: MetricKind::Sum { max: 100 },
            }])
            .unwrap()
        };
        let orgs = [key(1), key(2), key(3)];
        let ids = ["a", "b", "c"];
        let servers: Vec<SigningKey> = (11..16).map(key).collect();
        let sids = ["s1", "s2", "s3", "s4", "s5"];
        let make = |t: usize, k: usize| {
            Round::create(
                &mut crate::OsRng,
                "",
                schema(),
                EngineParams::Shamir { threshold: t },
                ids.iter()
                    .zip(&orgs)
                    .map(|(id, k)| Party {
                        id: (*id).into(),
                        public_key: k.verifying_key(),
                    })
                    .collect(),
                sids[..k]
                    .iter()
                    .zip(&servers)
                    .map(|(id, k)| Party {
                        id: (*id).into(),
                        public_key: k.verifying_key(),
                    })
                    .collect(),
                2,
                &key(99),
            )
        };
        let made = make(2, 4);
        if let Ok(round) = &made {
            let cs: Vec<Contribution> = ids
                .iter()
                .zip(&orgs)
                .zip([[42u64], [7], [9]])
                .map(|((id, k), v)| Contribution::create(&mut rng, round, id, k, &v).unwrap())
                .collect();
            let open = |members: &[usize], include: &[usize]| {
                let mut agg = Aggregator::new(round);
                for &i in include {
                    agg.add(&cs[i]).unwrap();
                }
                let agg = agg.finish().unwrap();
                let parts: Vec<PartialDecryption> = members
                    .iter()
                    .map(|&m| {
                        PartialDecryption::create_server(
                            round,
                            sids[m],
                            &servers[m],
                            &agg,
                            &cs,
                            &mut MemoryJournal::default(),
                        )
                        .unwrap()
                    })
                    .collect();
                combine(round, &agg, &parts).report.unwrap().slots[0]
            };
            let (all, without_a) = (open(&[0, 1], &[0, 1, 2]), open(&[2, 3], &[1, 2]));
            panic!(
                "t = 2 of 4: servers 1-2 opened {{a,b,c}} = {all}, servers 3-4 opened {{b,c}} = \
                 {without_a}, each once: org a's value {} revealed",
                all - without_a
            );
        }
        assert_eq!(made.unwrap_err(), Error::InvalidThreshold);
        assert_eq!(make(2, 5).unwrap_err(), Error::InvalidThreshold);
        assert!(make(2, 3).is_ok());
        assert!(make(3, 4).is_ok());
        assert!(make(3, 5).is_ok());
    }
}
