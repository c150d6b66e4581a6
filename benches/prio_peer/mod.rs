//! The libprio peer of the statistics benches (`stats`, `stats_shamir`): Prio3SumVec with
//! two aggregators, `len` counters below 2¹⁶ (the reference per-report cost of issue 15 and
//! 16). `prio3-sumvec-{len}x16/shard` is the client's step; `/prepare` is both aggregators'
//! `verify_init`, the message and both `verify_next`.

use criterion::BenchmarkGroup;
use criterion::measurement::WallTime;
use prio::vdaf::prio3::{Prio3, optimal_chunk_length};
use prio::vdaf::{Aggregator as _, Client as _, VerifyTransition};
use tsubaki::OsRng;
use tsubaki::rand_core::Rng;

/// Adds the two Prio3SumVec rows for `measurement` (one counter per entry) to `g`.
pub fn bench_prio3_sumvec(g: &mut BenchmarkGroup<'_, WallTime>, measurement: &[u128]) {
    let len = measurement.len();
    let prio = Prio3::new_sum_vec(2, 65535, len, optimal_chunk_length(len * 16)).unwrap();
    let mut verify_key = [0u8; 32];
    OsRng.fill_bytes(&mut verify_key);
    let ctx = b"tsubaki bench";
    let measurement = measurement.to_vec();
    let _ = g.bench_function(format!("prio3-sumvec-{len}x16/shard"), |b| {
        b.iter(|| {
            let mut nonce = [0u8; 16];
            OsRng.fill_bytes(&mut nonce);
            prio.shard(ctx, &measurement, &nonce).unwrap()
        })
    });
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let (public, inputs) = prio.shard(ctx, &measurement, &nonce).unwrap();
    let _ = g.bench_function(format!("prio3-sumvec-{len}x16/prepare"), |b| {
        b.iter(|| {
            let (mut states, mut shares) = (Vec::new(), Vec::new());
            for (id, input) in inputs.iter().enumerate() {
                let (st, sh) = prio
                    .verify_init(&verify_key, ctx, id, &(), &nonce, &public, input)
                    .unwrap();
                states.push(st);
                shares.push(sh);
            }
            let msg = prio.verifier_shares_to_message(ctx, &(), shares).unwrap();
            for st in states {
                match prio.verify_next(ctx, st, msg.clone()).unwrap() {
                    VerifyTransition::Finish(out) => drop(out),
                    _ => unreachable!("Prio3 prepares in one round"),
                }
            }
        })
    });
}
