//! Statistics rounds (`tsubaki::stats`, Paillier engine, 2048-bit threshold key dealt from
//! the fixed safe primes of `vectors/stats/`, committee 5, t = 3, a roster of 1,000):
//!
//! - `contribution-64`: one organization's step for 64 counters of 16 bits (schema check,
//!   packing into one plaintext, encryption, ECDSA signature);
//! - `aggregate-1000/{1,2}-threads`: verify (round, roster, signature) and add 1,000
//!   contributions (throughput in contributions per second);
//! - `partial-1000`: one committee member's step over an aggregate of 1,000 (re-check
//!   against the 1,000 signed contributions, decryption share with proof, signature);
//! - `combine-3`: verify three partials' proofs and signatures, open, write the report.
//!
//! - `prio3-sumvec-64x16/shard` and `/prepare`: the libprio peer in the same run, the same
//!   64 counters of 16 bits (Prio3SumVec, two aggregators; `benches/prio_peer/`).
//!
//! Run with `cargo bench --bench stats`.

use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
#[path = "prio_peer/mod.rs"]
mod prio_peer;

use tsubaki::OsRng;
use tsubaki::ec::p256::SigningKey;
use tsubaki::paillier::threshold::{self, KeyShare};
use tsubaki::stats::{
    Aggregator, Contribution, EngineParams, MemoryJournal, Metric, MetricKind, PartialDecryption,
    Party, Round, Schema, Value, Values, combine,
};

struct Fx {
    round: Round,
    orgs: Vec<(String, SigningKey)>,
    members: Vec<(String, SigningKey)>,
    shares: Vec<KeyShare>,
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn fixture() -> Fx {
    let text = include_str!("../vectors/stats/safe_primes_2048.txt");
    let mut it = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let (p, q) = (
        hex(it.next().unwrap().trim()),
        hex(it.next().unwrap().trim()),
    );
    let (tpk, shares) = threshold::deal(&mut OsRng, &p, &q, 3, 5).unwrap();
    let orgs: Vec<_> = (0..1000)
        .map(|i| (format!("org-{i:04}"), SigningKey::random(&mut OsRng)))
        .collect();
    let members: Vec<_> = (1..=5)
        .map(|i| (format!("m{i}"), SigningKey::random(&mut OsRng)))
        .collect();
    let party = |(id, k): &(String, SigningKey)| Party {
        id: id.clone(),
        public_key: k.verifying_key(),
    };
    let schema = Schema::new(vec![Metric {
        name: "counters".into(),
        kind: MetricKind::SumVec {
            len: 64,
            max: 65535,
        },
    }])
    .unwrap();
    let round = Round::create(
        &mut OsRng,
        "bench",
        schema,
        EngineParams::Paillier(tpk),
        orgs.iter().map(party).collect(),
        members.iter().map(party).collect(),
        500,
        &SigningKey::random(&mut OsRng),
    )
    .unwrap();
    Fx {
        round,
        orgs,
        members,
        shares,
    }
}

fn values(i: usize) -> Values {
    let mut v = Values::new();
    let _ = v.insert(
        "counters".into(),
        Value::Vec(
            (0..64)
                .map(|j| ((i * 7919 + j * 104_729) % 65_536) as u64)
                .collect(),
        ),
    );
    v
}

fn contribute(fx: &Fx, i: usize) -> Contribution {
    let slots = fx.round.schema().encode(&values(i)).unwrap();
    Contribution::create(&mut OsRng, &fx.round, &fx.orgs[i].0, &fx.orgs[i].1, &slots).unwrap()
}

fn all(cr: &mut Criterion) {
    let fx = fixture();
    let mut g = cr.benchmark_group("stats");
    let _ = g.bench_function("contribution-64", |b| b.iter(|| contribute(&fx, 1)));
    let cs: Vec<Contribution> = (0..1000).map(|i| contribute(&fx, i)).collect();
    let _ = g.throughput(Throughput::Elements(1000));
    for threads in [1, 2] {
        let _ = g.bench_function(format!("aggregate-1000/{threads}-threads"), |b| {
            b.iter(|| {
                let mut a = Aggregator::new(&fx.round);
                let r = a.add_all(&cs, threads);
                assert!(r.iter().all(Result::is_ok));
                a.finish().unwrap()
            })
        });
    }
    let mut a = Aggregator::new(&fx.round);
    let _ = a.add_all(&cs, 2);
    let agg = a.finish().unwrap();
    let _ = g.throughput(Throughput::Elements(1));
    let partial = |m: usize| {
        PartialDecryption::create(
            &mut OsRng,
            &fx.round,
            &fx.members[m].0,
            &fx.members[m].1,
            &fx.shares[m],
            &agg,
            &cs,
            &mut MemoryJournal::default(),
        )
        .unwrap()
    };
    let _ = g.bench_function("partial-1000", |b| {
        b.iter_batched(|| (), |_| partial(0), BatchSize::SmallInput)
    });
    let parts: Vec<_> = (0..3).map(partial).collect();
    let _ = g.bench_function("combine-3", |b| {
        b.iter(|| {
            let out = combine(&fx.round, &agg, &parts);
            assert!(out.report.unwrap().valid);
        })
    });
    let Some(Value::Vec(counters)) = values(1).get("counters").cloned() else {
        unreachable!("values() fills the counters")
    };
    let measurement: Vec<u128> = counters.into_iter().map(u128::from).collect();
    prio_peer::bench_prio3_sumvec(&mut g, &measurement);
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10)
}

criterion_group! {
    name = benches;
    config = config();
    targets = all
}
criterion_main!(benches);
