//! `tsubaki::stats`: each rule tested with the attack it stops, the canonical forms
//! (round trips, every truncation and extension refused without a panic), and a round
//! whose report equals the plain sums. Keys are dealt from the fixed safe primes of
//! `vectors/stats/` (no test waits for key generation).

use std::sync::OnceLock;

use tsubaki::Error;
use tsubaki::OsRng;
use tsubaki::ec::p256::SigningKey;
use tsubaki::paillier::threshold::{self, KeyShare};
use tsubaki::stats::{
    Aggregate, Aggregator, Contribution, EngineParams, MemoryJournal, Metric, MetricKind,
    MetricResult, PartialDecryption, Party, Round, Schema, Value, Values, combine, rules,
};

struct World {
    round: Round,
    orgs: Vec<(String, SigningKey)>,
    members: Vec<(String, SigningKey)>,
    shares: Vec<KeyShare>,
    coordinator: SigningKey,
}

fn primes() -> (Vec<u8>, Vec<u8>) {
    let text = include_str!("../vectors/stats/safe_primes_2048.txt");
    let mut it = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let hex = |s: &str| -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    (
        hex(it.next().unwrap().trim()),
        hex(it.next().unwrap().trim()),
    )
}

fn schema() -> Schema {
    Schema::new(vec![
        Metric {
            name: "incidents".into(),
            kind: MetricKind::Sum { max: 1000 },
        },
        Metric {
            name: "hours".into(),
            kind: MetricKind::Variance { max: 100 },
        },
        Metric {
            name: "seen".into(),
            kind: MetricKind::Count,
        },
    ])
    .unwrap()
}

fn make_round(
    orgs: &[(String, SigningKey)],
    members: &[(String, SigningKey)],
    coordinator: &SigningKey,
) -> (Round, Vec<KeyShare>) {
    let (p, q) = primes();
    let (tpk, shares) = threshold::deal(&mut OsRng, &p, &q, 2, 3).unwrap();
    let party = |(id, k): &(String, SigningKey)| Party {
        id: id.clone(),
        public_key: k.verifying_key(),
    };
    let round = Round::create(
        &mut OsRng,
        "rules",
        schema(),
        EngineParams::Paillier(tpk),
        orgs.iter().map(party).collect(),
        members.iter().map(party).collect(),
        3,
        coordinator,
    )
    .unwrap();
    (round, shares)
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let orgs: Vec<_> = (0..5)
            .map(|i| (format!("org-{i}"), SigningKey::random(&mut OsRng)))
            .collect();
        let members: Vec<_> = (1..=3)
            .map(|i| (format!("m{i}"), SigningKey::random(&mut OsRng)))
            .collect();
        let coordinator = SigningKey::random(&mut OsRng);
        let (round, shares) = make_round(&orgs, &members, &coordinator);
        World {
            round,
            orgs,
            members,
            shares,
            coordinator,
        }
    })
}

fn values(i: u64) -> Values {
    let mut v = Values::new();
    let _ = v.insert("incidents".into(), Value::Int(100 + i));
    let _ = v.insert("hours".into(), Value::Int(10 * i));
    let _ = v.insert("seen".into(), Value::Bool(i % 2 == 1));
    v
}

fn contribution(i: usize) -> Contribution {
    let w = world();
    let slots = w.round.schema().encode(&values(i as u64)).unwrap();
    Contribution::create(&mut OsRng, &w.round, &w.orgs[i].0, &w.orgs[i].1, &slots).unwrap()
}

fn contributions() -> &'static Vec<Contribution> {
    static C: OnceLock<Vec<Contribution>> = OnceLock::new();
    C.get_or_init(|| (0..5).map(contribution).collect())
}

fn aggregate_of(cs: &[Contribution]) -> Aggregate {
    let mut a = Aggregator::new(&world().round);
    for c in cs {
        a.add(c).unwrap();
    }
    a.finish().unwrap()
}

fn partial(
    m: usize,
    agg: &Aggregate,
    cs: &[Contribution],
    journal: &mut MemoryJournal,
) -> Result<PartialDecryption, Error> {
    let w = world();
    PartialDecryption::create(
        &mut OsRng,
        &w.round,
        &w.members[m].0,
        &w.members[m].1,
        &w.shares[m],
        agg,
        cs,
        journal,
    )
}

#[test]
fn a_round_reports_the_plain_sums() {
    let cs = contributions();
    let agg = aggregate_of(cs);
    let mut j = MemoryJournal::default();
    let p1 = partial(0, &agg, cs, &mut j).unwrap();
    let p3 = partial(2, &agg, cs, &mut j).unwrap();
    let out = combine(&world().round, &agg, &[p1, p3]);
    assert!(out.rejected.is_empty());
    let r = out.report.unwrap();
    assert!(r.valid);
    assert_eq!(r.contributors, 5);
    // incidents 100..104 → 510; hours 0,10,..,40 → 100, Σx² 3000, mean 20, var 200; seen 2.
    assert_eq!(
        r.metrics[0].1,
        MetricResult::Stats {
            count: 5,
            sum: 510,
            mean: None,
            variance: None
        }
    );
    assert_eq!(
        r.metrics[1].1,
        MetricResult::Stats {
            count: 5,
            sum: 100,
            mean: Some(20.0),
            variance: Some(200.0)
        }
    );
    assert_eq!(r.metrics[2].1, MetricResult::Count { count: 2 });
}

#[test]
fn canonical_forms_round_trip_and_refuse_every_truncation() {
    let w = world();
    let bytes = w.round.to_bytes();
    let again = Round::from_bytes(&bytes).unwrap();
    assert_eq!(again.digest(), w.round.digest());
    let c = &contributions()[0];
    let cb = c.to_bytes(&w.round);
    assert_eq!(
        Contribution::from_bytes(&w.round, &cb).unwrap().hash(),
        c.hash()
    );
    let agg = aggregate_of(&contributions()[..3]);
    let ab = agg.to_bytes(&w.round);
    assert_eq!(Aggregate::from_bytes(&w.round, &ab).unwrap(), agg);
    for cut in (0..cb.len()).step_by(7) {
        assert!(Contribution::from_bytes(&w.round, &cb[..cut]).is_err());
    }
    for cut in (0..ab.len()).step_by(11) {
        assert!(Aggregate::from_bytes(&w.round, &ab[..cut]).is_err());
    }
    for cut in (0..bytes.len()).step_by(97) {
        assert!(Round::from_bytes(&bytes[..cut]).is_err());
    }
    let mut long = cb.clone();
    long.push(0);
    assert_eq!(
        Contribution::from_bytes(&w.round, &long).unwrap_err(),
        Error::InvalidEncoding
    );
    // A flipped bit of the manifest breaks the coordinator's signature (or its encoding).
    let mut bad = bytes.clone();
    bad[40] ^= 1;
    assert!(Round::from_bytes(&bad).is_err());
    // Another version of the message.
    let mut v2 = cb.clone();
    v2[15] = b'2';
    assert_eq!(
        Contribution::from_bytes(&w.round, &v2).unwrap_err(),
        Error::UnsupportedVersion
    );
}

#[test]
fn check_round_parameters_refuses_a_quorum_of_one() {
    // A quorum of 1 would let any single contribution be decrypted alone.
    let w = world();
    assert_eq!(
        rules::check_round_parameters(w.round.roster(), w.round.committee(), 1, 3),
        Err(Error::QuorumNotMet)
    );
    assert_eq!(
        rules::check_round_parameters(w.round.roster(), w.round.committee(), 3, 4),
        Err(Error::InvalidThreshold)
    );
    let mut dup = w.round.roster().to_vec();
    dup.push(dup[0].clone());
    assert_eq!(
        rules::check_round_parameters(&dup, w.round.committee(), 3, 3),
        Err(Error::DuplicateContributor)
    );
}

#[test]
fn the_aggregator_refuses_each_bad_contribution_and_keeps_going() {
    let w = world();
    let cs = contributions();
    let mut a = Aggregator::new(&w.round);
    a.add(&cs[0]).unwrap();
    // refuse_duplicate: a second contribution of org-0.
    assert_eq!(a.add(&contribution(0)), Err(Error::DuplicateContributor));
    // verify_contribution_signature: org-1's payload signed by org-2's key under org-1's name.
    let slots = w.round.schema().encode(&values(1)).unwrap();
    let forged = Contribution::create(&mut OsRng, &w.round, "org-2", &w.orgs[2].1, &slots).unwrap();
    let mut fb = forged.to_bytes(&w.round);
    // Rename org-2 → org-1 in place (same length): the signature no longer matches.
    let pos = fb.windows(5).position(|x| x == b"org-2").unwrap();
    fb[pos + 4] = b'1';
    let forged = Contribution::from_bytes(&w.round, &fb).unwrap();
    assert_eq!(a.add(&forged), Err(Error::InvalidSignature));
    // check_on_roster: an outsider, even with a valid signature of its own.
    fb[pos + 4] = b'9';
    let outsider = Contribution::from_bytes(&w.round, &fb).unwrap();
    assert_eq!(a.add(&outsider), Err(Error::NotOnRoster));
    // check_round: a contribution of another round.
    let (other, _) = make_round(&w.orgs, &w.members, &w.coordinator);
    let slots = other.schema().encode(&values(1)).unwrap();
    let foreign = Contribution::create(&mut OsRng, &other, "org-1", &w.orgs[1].1, &slots).unwrap();
    assert_eq!(
        Contribution::from_bytes(&w.round, &foreign.to_bytes(&other)).unwrap_err(),
        Error::WrongRound
    );
    assert_eq!(a.add(&foreign), Err(Error::WrongRound));
    // Nothing refused changed the sum: the rest still adds up.
    for c in &cs[1..] {
        a.add(c).unwrap();
    }
    assert_eq!(a.finish().unwrap(), aggregate_of(cs));
    // The parallel path gives the same outcome, duplicates included.
    let mut b = Aggregator::new(&w.round);
    let mut batch = cs.clone();
    batch.push(cs[3].clone());
    let res = b.add_all(&batch, 2);
    assert_eq!(res[5], Err(Error::DuplicateContributor));
    assert!(res[..5].iter().all(Result::is_ok));
    assert_eq!(b.finish().unwrap(), aggregate_of(cs));
}

#[test]
fn refuse_duplicate_across_merged_aggregates() {
    let w = world();
    let cs = contributions();
    let left = aggregate_of(&cs[..3]);
    let right = aggregate_of(&cs[2..]);
    let mut a = Aggregator::new(&w.round);
    a.merge(&left).unwrap();
    assert_eq!(a.merge(&right), Err(Error::DuplicateContributor));
    assert_eq!(a.merge(&left), Err(Error::DuplicateContributor));
    a.merge(&aggregate_of(&cs[3..])).unwrap();
    assert_eq!(a.finish().unwrap(), aggregate_of(cs));
}

#[test]
fn check_quorum_stops_decrypting_too_few_contributions() {
    let cs = contributions();
    let mut j = MemoryJournal::default();
    // One contribution alone, and two: below the quorum of 3.
    assert_eq!(
        partial(0, &aggregate_of(&cs[..1]), cs, &mut j).unwrap_err(),
        Error::QuorumNotMet
    );
    assert_eq!(
        partial(0, &aggregate_of(&cs[..2]), cs, &mut j).unwrap_err(),
        Error::QuorumNotMet
    );
}

#[test]
fn decrypt_once_stops_the_difference_of_two_aggregates() {
    // Decrypting Σ(org-0..4) and then Σ(org-1..4) would reveal org-0 by subtraction.
    let cs = contributions();
    let mut j = MemoryJournal::default();
    let _ = partial(1, &aggregate_of(cs), cs, &mut j).unwrap();
    assert_eq!(
        partial(1, &aggregate_of(&cs[1..]), cs, &mut j).unwrap_err(),
        Error::AlreadyDecrypted
    );
    // Another member's journal is its own.
    let _ = partial(0, &aggregate_of(&cs[1..]), cs, &mut j).unwrap();
}

#[test]
fn verify_against_contributions_stops_a_single_contribution_dressed_as_an_aggregate() {
    let w = world();
    let cs = contributions();
    let honest = aggregate_of(cs);
    // The aggregate lists five orgs but carries org-0's ciphertext alone.
    let mut bytes = honest.to_bytes(&w.round);
    let ct = cs[0].to_bytes(&w.round);
    let len = 512;
    let at = bytes.len() - len;
    bytes[at..].copy_from_slice(&ct[ct.len() - 64 - len..ct.len() - 64]);
    let forged = Aggregate::from_bytes(&w.round, &bytes).unwrap();
    let mut j = MemoryJournal::default();
    assert_eq!(
        partial(0, &forged, cs, &mut j).unwrap_err(),
        Error::AggregateMismatch
    );
    // A listed contribution the member does not have.
    assert_eq!(
        partial(0, &honest, &cs[1..], &mut j).unwrap_err(),
        Error::AggregateMismatch
    );
    // Refusals did not use up the member's one decryption.
    let _ = partial(0, &honest, cs, &mut j).unwrap();
}

#[test]
fn check_member_refuses_another_members_share() {
    let w = world();
    let cs = contributions();
    let agg = aggregate_of(cs);
    let mut j = MemoryJournal::default();
    let r = PartialDecryption::create(
        &mut OsRng,
        &w.round,
        "m1",
        &w.members[0].1,
        &w.shares[1],
        &agg,
        cs,
        &mut j,
    );
    assert_eq!(r.unwrap_err(), Error::KeyMismatch);
    let r = PartialDecryption::create(
        &mut OsRng,
        &w.round,
        "m9",
        &w.members[0].1,
        &w.shares[0],
        &agg,
        cs,
        &mut j,
    );
    assert_eq!(r.unwrap_err(), Error::NotOnRoster);
}

#[test]
fn verify_partial_names_forged_parts_and_combine_needs_t_valid() {
    let w = world();
    let cs = contributions();
    let agg = aggregate_of(cs);
    let mut j = MemoryJournal::default();
    let parts: Vec<_> = (0..3)
        .map(|m| partial(m, &agg, cs, &mut j).unwrap())
        .collect();
    // A part whose share bytes were altered (signature then fails too).
    let mut b = parts[0].to_bytes(&w.round);
    let at = b.len() - 100;
    b[at] ^= 1;
    let tampered = PartialDecryption::from_bytes(&w.round, &b);
    let out = match tampered {
        Ok(t) => combine(&w.round, &agg, &[t, parts[1].clone()]),
        Err(_) => combine(&w.round, &agg, &[parts[1].clone()]),
    };
    assert_eq!(out.report.unwrap_err(), Error::NotEnoughShares);
    // Valid ones among an invalid one: the report is made, the bad one named.
    let forged = PartialDecryption::from_bytes(&w.round, &b);
    if let Ok(f) = forged {
        let out = combine(&w.round, &agg, &[f, parts[1].clone(), parts[2].clone()]);
        assert_eq!(out.rejected.len(), 1);
        assert_eq!(out.rejected[0].1, "m1");
        assert!(out.report.unwrap().valid);
    }
    // Parts of another aggregate.
    let other = aggregate_of(&cs[..4]);
    let out = combine(&w.round, &other, &parts);
    assert_eq!(out.rejected.len(), 3);
    assert!(
        out.rejected
            .iter()
            .all(|(_, _, e)| *e == Error::AggregateMismatch)
    );
}

#[test]
fn check_slot_bounds_marks_a_lying_contributor_invalid() {
    // org-0 bypasses the schema and puts 5000 into a slot bounded by 1000.
    let w = world();
    let mut cs = contributions()[1..].to_vec();
    let liar = Contribution::create(
        &mut OsRng,
        &w.round,
        "org-0",
        &w.orgs[0].1,
        &[5000, 0, 0, 0],
    )
    .unwrap();
    cs.push(liar);
    let agg = aggregate_of(&cs);
    let mut j = MemoryJournal::default();
    let parts: Vec<_> = (0..2)
        .map(|m| partial(m, &agg, &cs, &mut j).unwrap())
        .collect();
    let r = combine(&w.round, &agg, &parts).report.unwrap();
    assert!(!r.valid);
    assert!(!rules::check_slot_bounds(w.round.schema(), &r.slots, 5));
}
