//! Statistics rounds with the Shamir engine (issue 16): 3 servers, t = 2, a roster of
//! 1,000, 64 counters of 16 bits; and libprio's Prio3SumVec (64 × 16-bit, two
//! aggregators) in the same process as the peer.
//!
//! - `contribution-64x3`: one organization's step (schema check, split 2-of-3 over
//!   Goldilocks, three HPKE auth-mode seals, ECDSA signature); then its parts alone:
//!   `split-64x3`, `hpke-seal-auth` (one 512-byte share), `ecdsa-sign`;
//! - `server-1000/1-thread`: one server's work per contribution on one core — the
//!   signature check (`Aggregator::check`) and opening + adding its share — over 1,000
//!   contributions (throughput = contributions per second per core); `hpke-open-auth` and
//!   `ecdsa-verify` alone; `server-1000/all-cores`: `PartialDecryption::create_server`
//!   whole (re-check, open, add, sign) on every core;
//! - `combine-2`: verify two servers' signatures, interpolate, write the report;
//! - `prio3-sumvec-64x16/shard` and `/prepare` (both aggregators' `verify_init`, the
//!   message, both `verify_next`).
//!
//! Run with `cargo bench --bench stats_shamir`.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
#[path = "prio_peer/mod.rs"]
mod prio_peer;

use tsubaki::OsRng;
use tsubaki::ec::p256::SigningKey;
use tsubaki::hpke::{self, Keypair};
use tsubaki::shamir::{Goldilocks, PrimeField, prime};
use tsubaki::stats::engine::shamir::{SHARE_SUITE, SealedShare, ShareContext};
use tsubaki::stats::engine::{Payload, RoundEngine};
use tsubaki::stats::{
    Aggregator, Contribution, EngineParams, MemoryJournal, Metric, MetricKind, PartialDecryption,
    Party, Round, Schema, Value, Values, combine,
};

const ORGS: usize = 1000;

struct Fx {
    round: Round,
    orgs: Vec<(String, SigningKey)>,
    servers: Vec<(String, SigningKey)>,
}

fn fixture() -> Fx {
    let orgs: Vec<_> = (0..ORGS)
        .map(|i| (format!("org-{i:04}"), SigningKey::random(&mut OsRng)))
        .collect();
    let servers: Vec<_> = (1..=3)
        .map(|i| (format!("s{i}"), SigningKey::random(&mut OsRng)))
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
        EngineParams::Shamir { threshold: 2 },
        orgs.iter().map(party).collect(),
        servers.iter().map(party).collect(),
        500,
        &SigningKey::random(&mut OsRng),
    )
    .unwrap();
    Fx {
        round,
        orgs,
        servers,
    }
}

fn counters(i: usize) -> Vec<u64> {
    (0..64)
        .map(|j| ((i * 7919 + j * 104_729) % 65_536) as u64)
        .collect()
}

fn values(i: usize) -> Values {
    let mut v = Values::new();
    let _ = v.insert("counters".into(), Value::Vec(counters(i)));
    v
}

fn contribute(fx: &Fx, i: usize) -> Contribution {
    let slots = fx.round.schema().encode(&values(i)).unwrap();
    Contribution::create(&mut OsRng, &fx.round, &fx.orgs[i].0, &fx.orgs[i].1, &slots).unwrap()
}

fn all(cr: &mut Criterion) {
    let fx = fixture();
    let RoundEngine::Shamir(engine) = fx.round.engine() else {
        unreachable!()
    };
    let mut g = cr.benchmark_group("stats-shamir");

    // The contributor.
    let _ = g.bench_function("contribution-64x3", |b| b.iter(|| contribute(&fx, 1)));
    let secrets: Vec<Goldilocks> = counters(1).into_iter().map(Goldilocks::from_u64).collect();
    let _ = g.bench_function("split-64x3", |b| {
        b.iter(|| prime::split_vec(&mut OsRng, &secrets, 2, 3).unwrap())
    });
    let sender =
        Keypair::from_private_key_bytes(SHARE_SUITE, fx.orgs[1].1.to_bytes().as_ref()).unwrap();
    let server_pk = fx.servers[0].1.verifying_key().to_sec1_bytes(false);
    let plain = [7u8; 512];
    let _ = g.bench_function("hpke-seal-auth", |b| {
        b.iter(|| {
            hpke::seal_auth(
                SHARE_SUITE,
                &mut OsRng,
                &server_pk,
                &sender,
                b"info",
                b"",
                &plain,
            )
            .unwrap()
        })
    });
    let digest = [3u8; 32];
    let _ = g.bench_function("ecdsa-sign", |b| {
        b.iter(|| fx.orgs[1].1.sign_prehash(&digest).unwrap())
    });

    // The server.
    let cs: Vec<Contribution> = (0..ORGS).map(|i| contribute(&fx, i)).collect();
    let mut a = Aggregator::new(&fx.round);
    assert!(a.add_all(&cs, 2).iter().all(Result::is_ok));
    let agg = a.finish().unwrap();
    let orgs_pk: Vec<_> = fx.orgs.iter().map(|(_, k)| k.verifying_key()).collect();
    let items: Vec<(ShareContext<'_>, _, &[SealedShare])> = cs
        .iter()
        .zip(&orgs_pk)
        .map(|(c, pk)| {
            let Payload::Shamir(s) = c.payload() else {
                unreachable!()
            };
            (
                ShareContext {
                    round: fx.round.id(),
                    digest: fx.round.digest(),
                    org: c.org(),
                },
                pk,
                s.as_slice(),
            )
        })
        .collect();
    let server_key = &fx.servers[0].1;
    let _ = g.throughput(Throughput::Elements(ORGS as u64));
    let _ = g.bench_function("server-1000/1-thread", |b| {
        b.iter(|| {
            for c in &cs {
                Aggregator::check(&fx.round, c).unwrap();
            }
            engine
                .open_and_add_threads(1, server_key, &items, 1)
                .unwrap()
        })
    });
    let _ = g.bench_function("server-1000/all-cores", |b| {
        b.iter(|| {
            PartialDecryption::create_server(
                &fx.round,
                &fx.servers[0].0,
                server_key,
                &agg,
                &cs,
                &mut MemoryJournal::default(),
            )
            .unwrap()
        })
    });
    let _ = g.throughput(Throughput::Elements(1));
    let kp = Keypair::from_private_key_bytes(SHARE_SUITE, server_key.to_bytes().as_ref()).unwrap();
    let (ctx, pk, payload) = &items[0];
    let _ = g.bench_function("hpke-open-auth", |b| {
        b.iter(|| engine.open_share(ctx, 1, &kp, pk, payload).unwrap())
    });
    let _ = g.bench_function("ecdsa-verify", |b| {
        b.iter(|| Aggregator::check(&fx.round, &cs[0]).unwrap())
    });

    // The combiner.
    let parts: Vec<_> = (0..2)
        .map(|s| {
            PartialDecryption::create_server(
                &fx.round,
                &fx.servers[s].0,
                &fx.servers[s].1,
                &agg,
                &cs,
                &mut MemoryJournal::default(),
            )
            .unwrap()
        })
        .collect();
    let _ = g.bench_function("combine-2", |b| {
        b.iter(|| {
            let out = combine(&fx.round, &agg, &parts);
            assert!(out.report.unwrap().valid);
        })
    });

    // The peer: Prio3SumVec, 64 counters of 16 bits, two aggregators.
    let measurement: Vec<u128> = counters(1).into_iter().map(u128::from).collect();
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
