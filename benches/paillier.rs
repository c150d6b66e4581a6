//! Paillier, tsubaki alone: keygen, encryption in each mode, decryption, homomorphic
//! addition and packed vectors, at 2048 and 3072 bits. What each row measures is described
//! in `benches/paillier_common/mod.rs`.
//!
//! The comparison with kzen-paillier, libpaillier (both on GMP) and python-paillier (with
//! gmpy2), in the same run, is the separate crate `benches/peers/` (not in the workspace,
//! so that CI does not build GMP bindings and curv): see BENCHMARKS.md.
//!
//! Run with `cargo bench --bench paillier`; `python3 tools/bench_report.py` prints the
//! tables.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "paillier_common/mod.rs"]
mod paillier_common;
use paillier_common as ours;

fn all(cr: &mut Criterion) {
    let fx = ours::fixtures(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    {
        let mut g = cr.benchmark_group("paillier-keygen");
        let _ = g.sample_size(10);
        ours::keygen(&mut g);
        g.finish();
    }
    let mut g = cr.benchmark_group("paillier-encrypt");
    fx.iter().for_each(|f| ours::encrypt(&mut g, f));
    g.finish();
    let mut g = cr.benchmark_group("paillier-decrypt");
    fx.iter().for_each(|f| ours::decrypt(&mut g, f));
    g.finish();
    let mut g = cr.benchmark_group("paillier-add");
    fx.iter().for_each(|f| ours::add(&mut g, f));
    g.finish();
    let mut g = cr.benchmark_group("paillier-packed");
    fx.iter().for_each(|f| ours::packed(&mut g, f));
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = all
}
criterion_main!(benches);
