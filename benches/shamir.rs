//! Shamir secret sharing: tsubaki against `vsss-rs` (6.0, default features off) and
//! `sharks` (0.5) in the same process.
//!
//! Every benchmark times one **split + combine**: split a secret into n shares, then
//! rebuild it from t of them. Ids are `<implementation>/<case>`.
//!
//! - `shamir-key` (a 32-byte secret over GF(2⁸)), cases `3-of-5` and `10-of-20`:
//!   `tsubaki` is `shamir::gf256::{split, combine}` (table-free, constant-time, shares
//!   carry the self-describing metadata); `vsss-rs` is `Gf256::{split_array,
//!   combine_array}`; `sharks` is `Sharks(t).dealer_rng` (n shares taken) and `recover`
//!   (log/exp tables: not constant-time).
//! - `shamir-vector` (1,000 values of 64 bits), cases `2-of-3` and `3-of-5` (3 and 5
//!   aggregation servers, majority threshold): `tsubaki` shares the 1,000 counters as
//!   elements of GF(2⁶⁴ − 2³² + 1) (`prime::{split_vec, combine_vec}`, additive, what the
//!   statistics engine uses); `tsubaki-gf256` shares the same 8,000 bytes over GF(2⁸);
//!   neither peer has a 64-bit prime field, so `vsss-rs` and `sharks` share the 8,000
//!   bytes over GF(2⁸) through the same calls as above (their shares are not additive over
//!   the integers).
//!
//! RNG: ChaCha8 seeded with a fixed seed, for everyone: `rand_chacha` 0.10's `ChaCha8Rng`
//! drives tsubaki and vsss-rs (both take rand_core 0.10 RNGs); sharks takes rand 0.8, so
//! it gets `rand_chacha` 0.3's `ChaCha8Rng`, the same generator of the older rand_core.
//!
//! Before anything is timed, each implementation's result is checked against the secret.
//! `tools/bench_report.py` turns the results into the table of BENCHMARKS.md with the
//! ratio to the fastest peer and the target of issue 6 (3-of-5 key ≥ 3× faster).
//!
//! Run with `cargo bench --bench shamir` (about a minute on a quiet machine).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand_chacha::ChaCha8Rng;
use tsubaki::rand_core::SeedableRng;
use tsubaki::shamir::{Goldilocks, gf256, prime};
use zeroize::Zeroizing;

const SEED: u64 = 0x5eed_5eed;

fn key() -> Vec<u8> {
    (0..32u8).map(|i| i.wrapping_mul(0x3b) ^ 0xa7).collect()
}

fn counters() -> Vec<u64> {
    (0..1000u64)
        .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 20)
        .collect()
}

fn counter_bytes() -> Vec<u8> {
    counters().iter().flat_map(|v| v.to_be_bytes()).collect()
}

fn tsubaki_gf256(rng: &mut ChaCha8Rng, secret: &[u8], t: u8, n: u8) -> Zeroizing<Vec<u8>> {
    let shares = gf256::split(rng, secret, t, n).unwrap();
    gf256::combine(&shares[..usize::from(t)]).unwrap()
}

fn vsss_gf256(rng: &mut ChaCha8Rng, secret: &[u8], t: usize, n: usize) -> Vec<u8> {
    let shares = vsss_rs::Gf256::split_array(t, n, secret, &mut *rng).unwrap();
    vsss_rs::Gf256::combine_array(&shares[..t]).unwrap()
}

fn sharks_gf256(rng: &mut rand_chacha_03::ChaCha8Rng, secret: &[u8], t: u8, n: usize) -> Vec<u8> {
    let sharks = sharks::Sharks(t);
    let shares: Vec<sharks::Share> = sharks.dealer_rng(secret, rng).take(n).collect();
    sharks.recover(&shares[..usize::from(t)]).unwrap()
}

fn tsubaki_vector(rng: &mut ChaCha8Rng, values: &[Goldilocks], t: usize, n: usize) -> usize {
    let shares = prime::split_vec(rng, values, t, n).unwrap();
    prime::combine_vec::<Goldilocks, _>(&shares[..t])
        .unwrap()
        .len()
}

/// Every implementation rebuilds what it split.
fn assert_peers_agree() {
    let mut r = ChaCha8Rng::seed_from_u64(SEED);
    let mut r03 =
        <rand_chacha_03::ChaCha8Rng as rand_chacha_03::rand_core::SeedableRng>::seed_from_u64(SEED);
    for secret in [key(), counter_bytes()] {
        for (t, n) in [(3u8, 5u8), (10, 20), (2, 3)] {
            assert_eq!(*tsubaki_gf256(&mut r, &secret, t, n), secret);
            assert_eq!(vsss_gf256(&mut r, &secret, t.into(), n.into()), secret);
            assert_eq!(sharks_gf256(&mut r03, &secret, t, n.into()), secret);
        }
    }
    let values: Vec<Goldilocks> = counters().into_iter().map(Goldilocks::new).collect();
    let shares = prime::split_vec(&mut r, &values, 3, 5).unwrap();
    let got = prime::combine_vec::<Goldilocks, _>(&shares[2..]).unwrap();
    assert!(
        got.iter()
            .zip(&values)
            .all(|(a, b)| a.to_u64() == b.to_u64())
    );
}

fn bench_key(c: &mut Criterion) {
    assert_peers_agree();
    let secret = key();
    let mut g = c.benchmark_group("shamir-key");
    for (t, n) in [(3u8, 5u8), (10, 20)] {
        let case = format!("{t}-of-{n}");
        let mut r = ChaCha8Rng::seed_from_u64(SEED);
        let _ = g.bench_function(BenchmarkId::new("tsubaki", &case), |b| {
            b.iter(|| tsubaki_gf256(&mut r, black_box(&secret), t, n))
        });
        let _ = g.bench_function(BenchmarkId::new("vsss-rs", &case), |b| {
            b.iter(|| vsss_gf256(&mut r, black_box(&secret), t.into(), n.into()))
        });
        let mut r03 =
            <rand_chacha_03::ChaCha8Rng as rand_chacha_03::rand_core::SeedableRng>::seed_from_u64(
                SEED,
            );
        let _ = g.bench_function(BenchmarkId::new("sharks", &case), |b| {
            b.iter(|| sharks_gf256(&mut r03, black_box(&secret), t, n.into()))
        });
    }
    g.finish();
}

fn bench_vector(c: &mut Criterion) {
    let values: Vec<Goldilocks> = counters().into_iter().map(Goldilocks::new).collect();
    let bytes = counter_bytes();
    let mut g = c.benchmark_group("shamir-vector");
    for (t, n) in [(2u8, 3u8), (3, 5)] {
        let case = format!("{t}-of-{n}");
        let mut r = ChaCha8Rng::seed_from_u64(SEED);
        let _ = g.bench_function(BenchmarkId::new("tsubaki", &case), |b| {
            b.iter(|| tsubaki_vector(&mut r, black_box(&values), t.into(), n.into()))
        });
        let _ = g.bench_function(BenchmarkId::new("tsubaki-gf256", &case), |b| {
            b.iter(|| tsubaki_gf256(&mut r, black_box(&bytes), t, n))
        });
        let _ = g.bench_function(BenchmarkId::new("vsss-rs", &case), |b| {
            b.iter(|| vsss_gf256(&mut r, black_box(&bytes), t.into(), n.into()))
        });
        let mut r03 =
            <rand_chacha_03::ChaCha8Rng as rand_chacha_03::rand_core::SeedableRng>::seed_from_u64(
                SEED,
            );
        let _ = g.bench_function(BenchmarkId::new("sharks", &case), |b| {
            b.iter(|| sharks_gf256(&mut r03, black_box(&bytes), t, n.into()))
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(40)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_key, bench_vector
}
criterion_main!(benches);
