//! `tsubaki::stats` with the Shamir engine (issue 16): each rule tested with the attack it
//! stops — a share sealed to another server, a tampered sealed share, a contribution
//! missing a server's share, a server that summed another set, a forged server signature,
//! fewer than t consistent sums, a second run of a server, a short aggregate — the
//! canonical forms, and a round whose report equals the plain sums. P-256 keys only: no
//! test waits for key generation.

use sha2::{Digest, Sha256};
use tsubaki::Error;
use tsubaki::OsRng;
use tsubaki::ec::p256::SigningKey;
use tsubaki::stats::engine::RoundEngine;
use tsubaki::stats::engine::shamir::SHARES_HASH_DOMAIN;
use tsubaki::stats::{
    Aggregate, Aggregator, CONTRIBUTION_DOMAIN, CONTRIBUTION_SIGNED_DOMAIN, Contribution,
    EngineParams, MemoryJournal, Metric, MetricKind, MetricResult, PartialDecryption, Party, Round,
    Schema, Value, Values, combine, rules,
};

const ORGS: usize = 5;
const SERVERS: usize = 3;
const T: usize = 2;
const SLOTS: usize = 1 + 2 + 3;

struct World {
    round: Round,
    orgs: Vec<(String, SigningKey)>,
    servers: Vec<(String, SigningKey)>,
}

fn schema() -> Schema {
    Schema::new(vec![
        Metric {
            name: "incidents".into(),
            kind: MetricKind::Sum { max: 1000 },
        },
        Metric {
            name: "severity".into(),
            kind: MetricKind::Histogram {
                buckets: vec!["low".into(), "high".into()],
            },
        },
        Metric {
            name: "weekly".into(),
            kind: MetricKind::SumVec { len: 3, max: 50 },
        },
    ])
    .unwrap()
}

fn party((id, k): &(String, SigningKey)) -> Party {
    Party {
        id: id.clone(),
        public_key: k.verifying_key(),
    }
}

fn world() -> World {
    let orgs: Vec<_> = (0..ORGS)
        .map(|i| (format!("org-{i}"), SigningKey::random(&mut OsRng)))
        .collect();
    let servers: Vec<_> = (1..=SERVERS)
        .map(|i| (format!("server-{i}"), SigningKey::random(&mut OsRng)))
        .collect();
    let round = Round::create(
        &mut OsRng,
        "shamir test",
        schema(),
        EngineParams::Shamir { threshold: T },
        orgs.iter().map(party).collect(),
        servers.iter().map(party).collect(),
        3,
        &SigningKey::random(&mut OsRng),
    )
    .unwrap();
    World {
        round,
        orgs,
        servers,
    }
}

fn values(i: u64) -> Values {
    let mut v = Values::new();
    let _ = v.insert("incidents".into(), Value::Int(100 * i + 7));
    let _ = v.insert(
        "severity".into(),
        Value::Bucket(if i.is_multiple_of(2) { "low" } else { "high" }.into()),
    );
    let _ = v.insert("weekly".into(), Value::Vec(vec![i, 2 * i, 50]));
    v
}

fn contribute(w: &World, i: usize) -> Contribution {
    let slots = w.round.schema().encode(&values(i as u64)).unwrap();
    let (org, key) = &w.orgs[i];
    Contribution::create(&mut OsRng, &w.round, org, key, &slots).unwrap()
}

fn aggregate(w: &World, cs: &[Contribution]) -> Aggregate {
    let mut a = Aggregator::new(&w.round);
    for c in cs {
        a.add(c).unwrap();
    }
    a.finish().unwrap()
}

fn server_sum(
    w: &World,
    s: usize,
    agg: &Aggregate,
    cs: &[Contribution],
) -> Result<PartialDecryption, Error> {
    let (id, key) = &w.servers[s];
    PartialDecryption::create_server(&w.round, id, key, agg, cs, &mut MemoryJournal::default())
}

/// Offsets in a contribution's canonical form: the sealed shares start after the domain,
/// the round id and the org id; each is `enc` (65 bytes) ‖ `ct` (8 per slot + 16).
fn share_range(w: &World, c: &Contribution, server: usize) -> core::ops::Range<usize> {
    let start = CONTRIBUTION_DOMAIN.len() + 16 + 2 + c.org().len();
    let len = 65 + 8 * SLOTS + 16;
    let _ = w;
    start + server * len..start + (server + 1) * len
}

/// The contribution with its payload bytes replaced, re-signed by the org (a contributor
/// who seals wrongly, or someone holding its key), computing the documented digest.
fn resign(w: &World, org: usize, bytes: &[u8]) -> Contribution {
    let (id, key) = &w.orgs[org];
    let c0 = contribute(w, org);
    let start = share_range(w, &c0, 0).start;
    let end = share_range(w, &c0, SERVERS - 1).end;
    let mut h = Sha256::new();
    h.update(SHARES_HASH_DOMAIN);
    let len = (end - start) / SERVERS;
    for s in 0..SERVERS {
        h.update(Sha256::digest(
            &bytes[start + s * len..start + (s + 1) * len],
        ));
    }
    let payload_hash: [u8; 32] = h.finalize().into();
    let mut d = Sha256::new();
    d.update(CONTRIBUTION_SIGNED_DOMAIN);
    d.update(w.round.id());
    d.update(w.round.digest());
    d.update((id.len() as u16).to_be_bytes());
    d.update(id.as_bytes());
    d.update(payload_hash);
    let digest: [u8; 32] = d.finalize().into();
    let sig = key.sign_prehash(&digest).unwrap();
    let mut out = bytes[..end].to_vec();
    out.extend_from_slice(sig.to_bytes().as_ref());
    let c = Contribution::from_bytes(&w.round, &out).unwrap();
    assert_eq!(
        c.hash(),
        &digest,
        "the documented digest is the contribution's hash"
    );
    Aggregator::check(&w.round, &c).expect("re-signed contribution verifies");
    c
}

fn plain_slots(n: usize) -> Vec<u64> {
    let mut t = vec![0u64; SLOTS];
    for i in 0..n {
        for (a, b) in t
            .iter_mut()
            .zip(schema().encode(&values(i as u64)).unwrap())
        {
            *a += b;
        }
    }
    t
}

#[test]
fn a_round_reports_the_plain_sums_from_any_t_servers() {
    let w = world();
    assert!(matches!(w.round.engine(), RoundEngine::Shamir(_)));
    assert_eq!(w.round.threshold(), T);
    // The manifest round-trips (and its engine parameters are signed).
    let again = Round::from_bytes(&w.round.to_bytes()).unwrap();
    assert_eq!(again.digest(), w.round.digest());
    let cs: Vec<Contribution> = (0..ORGS).map(|i| contribute(&w, i)).collect();
    for c in &cs {
        let back = Contribution::from_bytes(&w.round, &c.to_bytes(&w.round)).unwrap();
        assert_eq!(back.hash(), c.hash());
    }
    let agg = aggregate(&w, &cs);
    assert_eq!(
        Aggregate::from_bytes(&w.round, &agg.to_bytes(&w.round)).unwrap(),
        agg
    );
    let parts: Vec<PartialDecryption> = (0..SERVERS)
        .map(|s| server_sum(&w, s, &agg, &cs).unwrap())
        .collect();
    for p in &parts {
        let back = PartialDecryption::from_bytes(&w.round, &p.to_bytes(&w.round)).unwrap();
        assert_eq!(back.to_bytes(&w.round), p.to_bytes(&w.round));
    }
    let want = plain_slots(ORGS);
    for pair in [[0, 1], [1, 2], [2, 0]] {
        let used = vec![parts[pair[0]].clone(), parts[pair[1]].clone()];
        let c = combine(&w.round, &agg, &used);
        let r = c.report.unwrap();
        assert!(c.rejected.is_empty());
        assert!(r.valid);
        assert_eq!(r.slots, want);
        assert_eq!(r.contributors, ORGS as u64);
        assert_eq!(
            r.metrics[1].1,
            MetricResult::Histogram(vec![("low".into(), 3), ("high".into(), 2)])
        );
    }
    // A single server's sum reveals nothing: it does not open.
    let c = combine(&w.round, &agg, &parts[..1]);
    assert_eq!(c.report.unwrap_err(), Error::NotEnoughShares);
}

#[test]
fn a_share_sealed_to_another_server_is_refused_and_nothing_is_journaled() {
    let w = world();
    let mut cs: Vec<Contribution> = (0..ORGS - 1).map(|i| contribute(&w, i)).collect();
    // Org 4 puts server 2's sealed share where server 1's belongs, and signs that.
    let good = contribute(&w, ORGS - 1);
    let mut bytes = good.to_bytes(&w.round);
    let (r0, r1) = (share_range(&w, &good, 0), share_range(&w, &good, 1));
    let s1 = bytes[r1.clone()].to_vec();
    bytes[r0].copy_from_slice(&s1);
    cs.push(resign(&w, ORGS - 1, &bytes));
    let agg = aggregate(&w, &cs);
    let (id, key) = &w.servers[0];
    let mut journal = MemoryJournal::default();
    let e = PartialDecryption::create_server(&w.round, id, key, &agg, &cs, &mut journal);
    assert_eq!(e.unwrap_err(), Error::AuthenticationFailed);
    let (org, e) = rules::open_own_shares(&w.round, 1, key, &agg, &cs).unwrap_err();
    assert_eq!((org.as_str(), e), ("org-4", Error::AuthenticationFailed));
    // Nothing was journaled: the server can still sum a corrected aggregate.
    let fixed = aggregate(&w, &cs[..ORGS - 1]);
    PartialDecryption::create_server(&w.round, id, key, &fixed, &cs, &mut journal).unwrap();
    // Server 2 opens its own share of org 4 fine.
    assert!(server_sum(&w, 1, &agg, &cs).is_ok());
}

#[test]
fn a_tampered_sealed_share_is_refused() {
    let w = world();
    let mut cs: Vec<Contribution> = (0..ORGS).map(|i| contribute(&w, i)).collect();
    let mut bytes = cs[2].to_bytes(&w.round);
    let r = share_range(&w, &cs[2], 2);
    bytes[r.start + 70] ^= 1;
    // Not re-signed: the aggregator refuses the signature.
    let c = Contribution::from_bytes(&w.round, &bytes).unwrap();
    assert_eq!(
        Aggregator::new(&w.round).add(&c).unwrap_err(),
        Error::InvalidSignature
    );
    // Re-signed by the org: server 3's share does not open.
    cs[2] = resign(&w, 2, &bytes);
    let agg = aggregate(&w, &cs);
    assert_eq!(
        server_sum(&w, 2, &agg, &cs).unwrap_err(),
        Error::AuthenticationFailed
    );
    assert!(server_sum(&w, 0, &agg, &cs).is_ok());
    // A share sealed by another key (another org's contribution under this org's name)
    // does not open either: the HPKE sender and info bind the org.
    let other = contribute(&w, 3).to_bytes(&w.round);
    let mut b2 = cs[2].to_bytes(&w.round);
    let r = share_range(&w, &cs[2], 0);
    let r3 = share_range(&w, &contribute(&w, 3), 0);
    b2[r].copy_from_slice(&other[r3]);
    cs[2] = resign(&w, 2, &b2);
    let agg = aggregate(&w, &cs);
    assert_eq!(
        server_sum(&w, 0, &agg, &cs).unwrap_err(),
        Error::AuthenticationFailed
    );
}

#[test]
fn a_contribution_missing_a_share_or_with_a_bad_one_does_not_parse() {
    let w = world();
    let c = contribute(&w, 0);
    let bytes = c.to_bytes(&w.round);
    let r = share_range(&w, &c, 2);
    let mut short = bytes[..r.start].to_vec();
    short.extend_from_slice(&bytes[r.end..]);
    assert!(Contribution::from_bytes(&w.round, &short).is_err());
    let mut bad_enc = bytes.clone();
    bad_enc[share_range(&w, &c, 1).start] = 0x02;
    assert_eq!(
        Contribution::from_bytes(&w.round, &bad_enc).unwrap_err(),
        Error::InvalidCiphertext
    );
    for cut in [1, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(Contribution::from_bytes(&w.round, &bytes[..cut]).is_err());
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(Contribution::from_bytes(&w.round, &long).is_err());
}

#[test]
fn a_server_that_summed_another_set_is_named_and_left_out() {
    let w = world();
    let cs: Vec<Contribution> = (0..ORGS).map(|i| contribute(&w, i)).collect();
    let agg = aggregate(&w, &cs);
    let dropped = aggregate(&w, &cs[..ORGS - 1]);
    let parts = vec![
        server_sum(&w, 0, &dropped, &cs).unwrap(),
        server_sum(&w, 1, &agg, &cs).unwrap(),
        server_sum(&w, 2, &agg, &cs).unwrap(),
    ];
    let c = combine(&w.round, &agg, &parts);
    assert_eq!(c.rejected.len(), 1);
    assert_eq!(
        (c.rejected[0].0, c.rejected[0].1.as_str(), c.rejected[0].2),
        (0, "server-1", Error::AggregateMismatch)
    );
    let r = c.report.unwrap();
    assert_eq!(r.slots, plain_slots(ORGS));
    assert_eq!(r.members, vec!["server-2", "server-3"]);
    // With two of three on another set, fewer than t consistent sums remain.
    let parts = vec![
        server_sum(&w, 0, &dropped, &cs).unwrap(),
        server_sum(&w, 1, &dropped, &cs).unwrap(),
        server_sum(&w, 2, &agg, &cs).unwrap(),
    ];
    let c = combine(&w.round, &agg, &parts);
    assert_eq!(c.report.unwrap_err(), Error::NotEnoughShares);
    assert_eq!(c.rejected.len(), 2);
}

#[test]
fn a_forged_or_altered_server_sum_is_refused() {
    let w = world();
    let cs: Vec<Contribution> = (0..ORGS).map(|i| contribute(&w, i)).collect();
    let agg = aggregate(&w, &cs);
    let good = server_sum(&w, 0, &agg, &cs).unwrap();
    let other = server_sum(&w, 1, &agg, &cs).unwrap();
    // Altered value.
    let mut bytes = good.to_bytes(&w.round);
    let n = bytes.len();
    bytes[n - 64 - 1] ^= 1;
    let altered = PartialDecryption::from_bytes(&w.round, &bytes).unwrap();
    // Signed by server 2's key under server 1's name.
    let (_, k2) = &w.servers[1];
    let forged = PartialDecryption::create_server(
        &w.round,
        "server-1",
        k2,
        &agg,
        &cs,
        &mut MemoryJournal::default(),
    );
    assert_eq!(forged.unwrap_err(), Error::KeyMismatch);
    let c = combine(&w.round, &agg, &[altered, other.clone()]);
    assert_eq!(c.rejected[0].2, Error::InvalidSignature);
    assert_eq!(c.report.unwrap_err(), Error::NotEnoughShares);
    // The same server twice counts once.
    let c = combine(&w.round, &agg, &[good.clone(), good]);
    assert_eq!(c.rejected[0].2, Error::DuplicateShareIndex);
    assert_eq!(c.report.unwrap_err(), Error::NotEnoughShares);
}

#[test]
fn a_server_sums_once_per_round_and_only_a_quorum() {
    let w = world();
    let cs: Vec<Contribution> = (0..ORGS).map(|i| contribute(&w, i)).collect();
    let agg = aggregate(&w, &cs);
    let (id, key) = &w.servers[0];
    let mut journal = MemoryJournal::default();
    PartialDecryption::create_server(&w.round, id, key, &agg, &cs, &mut journal).unwrap();
    let smaller = aggregate(&w, &cs[..4]);
    assert_eq!(
        PartialDecryption::create_server(&w.round, id, key, &smaller, &cs, &mut journal)
            .unwrap_err(),
        Error::AlreadyDecrypted
    );
    let two = aggregate(&w, &cs[..2]);
    assert_eq!(
        server_sum(&w, 1, &two, &cs).unwrap_err(),
        Error::QuorumNotMet
    );
    // An aggregate listing a contribution the server was not given.
    assert_eq!(
        server_sum(&w, 1, &agg, &cs[..4]).unwrap_err(),
        Error::AggregateMismatch
    );
    // A duplicate org is refused by the aggregator.
    let mut a = Aggregator::new(&w.round);
    a.add(&cs[0]).unwrap();
    assert_eq!(a.add(&cs[0]).unwrap_err(), Error::DuplicateContributor);
    // The manifest's engine lists every server.
    assert!(matches!(
        w.round.engine(),
        RoundEngine::Shamir(e) if e.servers() == SERVERS
    ));
}

#[test]
fn a_value_beyond_its_bound_makes_the_report_invalid() {
    let w = world();
    let mut cs: Vec<Contribution> = (0..ORGS - 1).map(|i| contribute(&w, i)).collect();
    let (org, key) = &w.orgs[ORGS - 1];
    let mut slots = vec![0u64; SLOTS];
    slots[0] = 1_000_000;
    cs.push(Contribution::create(&mut OsRng, &w.round, org, key, &slots).unwrap());
    let agg = aggregate(&w, &cs);
    let parts: Vec<_> = (0..T)
        .map(|s| server_sum(&w, s, &agg, &cs).unwrap())
        .collect();
    let r = combine(&w.round, &agg, &parts).report.unwrap();
    assert!(!r.valid);
}

#[test]
fn a_manifest_whose_totals_could_wrap_or_with_a_bad_threshold_is_refused() {
    let orgs: Vec<_> = (0..3)
        .map(|i| (format!("o{i}"), SigningKey::random(&mut OsRng)))
        .collect();
    let servers: Vec<_> = (0..3)
        .map(|i| (format!("s{i}"), SigningKey::random(&mut OsRng)))
        .collect();
    let make = |schema: Schema, t: usize| {
        Round::create(
            &mut OsRng,
            "",
            schema,
            EngineParams::Shamir { threshold: t },
            orgs.iter().map(party).collect(),
            servers.iter().map(party).collect(),
            2,
            &SigningKey::random(&mut OsRng),
        )
    };
    let huge = Schema::new(vec![Metric {
        name: "x".into(),
        kind: MetricKind::Sum {
            max: tsubaki::stats::MAX_BOUND,
        },
    }]);
    if let Ok(huge) = huge {
        // MAX_BOUND × 3 must still be below p, or be refused.
        let r = make(huge, 2);
        let fits = tsubaki::stats::MAX_BOUND
            .checked_mul(3)
            .is_some_and(|m| m < tsubaki::shamir::Goldilocks::MODULUS);
        assert_eq!(r.is_ok(), fits);
    }
    assert_eq!(make(schema(), 1).unwrap_err(), Error::InvalidThreshold);
    assert_eq!(make(schema(), 4).unwrap_err(), Error::InvalidThreshold);
    assert!(make(schema(), 3).is_ok());
}
