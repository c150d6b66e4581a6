//! Prime and key generation next to OpenSSL, in one run (issue 12): 1024-bit safe primes
//! (tsubaki's `paillier::generate_prime` against `BN_generate_prime_ex(safe = 1)` through
//! the `openssl` crate, one thread each), 2048-bit Paillier keys from safe primes (two
//! threads) and from ordinary primes, RSA-2048 key generation by OpenSSL as a reference.
//!
//! Prime search times are geometric-like with a long tail, so criterion's mean and
//! confidence interval over 10 samples say little; `examples/primes_timing.rs` reports
//! median and mean over 20 or more primes, alternating the two implementations. Both are
//! in BENCHMARKS.md ("Prime generation").
//!
//! `cargo bench --bench primes` (several minutes: each sample is one prime or key).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openssl::bn::BigNum;
use openssl::rsa::Rsa;
use tsubaki::OsRng;
use tsubaki::paillier::{KeyGenOptions, SecretKey, generate_prime};

fn safe_prime(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("safe-prime");
    let _ = g.sample_size(10);
    let _ = g.bench_function("tsubaki/1024", |b| {
        b.iter(|| generate_prime(&mut OsRng, black_box(1024), true, &mut |_| {}).unwrap())
    });
    let _ = g.bench_function("openssl/1024", |b| {
        b.iter(|| {
            let mut p = BigNum::new().unwrap();
            p.generate_prime(black_box(1024), true, None, None).unwrap();
            p
        })
    });
    g.finish();
}

fn keys(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("keygen");
    let _ = g.sample_size(10);
    let safe = KeyGenOptions {
        bits: 2048,
        safe_primes: true,
    };
    let _ = g.bench_function("tsubaki-paillier-safe/2048", |b| {
        b.iter(|| SecretKey::generate_with(&mut OsRng, black_box(&safe), &mut |_| {}).unwrap())
    });
    let _ = g.bench_function("tsubaki-paillier/2048", |b| {
        b.iter(|| SecretKey::generate(&mut OsRng, black_box(2048)).unwrap())
    });
    let _ = g.bench_function("tsubaki-two-primes-one-thread/2048", |b| {
        b.iter(|| {
            let p = generate_prime(&mut OsRng, black_box(1024), false, &mut |_| {}).unwrap();
            let q = generate_prime(&mut OsRng, black_box(1024), false, &mut |_| {}).unwrap();
            (p, q)
        })
    });
    let _ = g.bench_function("openssl-rsa/2048", |b| {
        b.iter(|| Rsa::generate(black_box(2048)).unwrap())
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = safe_prime, keys
}
criterion_main!(benches);
