//! Camellia throughput: every tsubaki backend against two peers run in the same process,
//! RustCrypto's `camellia` crate and OpenSSL's libcrypto (through the `openssl` crate).
//!
//! Two groups, one per operation, each with `Throughput::Bytes` so that criterion prints
//! bytes per second:
//! - `camellia-encrypt-block`: one 16-byte block, per backend and key size;
//! - `camellia-ecb-16KiB`: 16 KiB of independent blocks (ECB), per backend and key size.
//!
//! Benchmark ids are `<implementation>/<key bits>` with implementations
//! `tsubaki-<backend name>`, `rustcrypto` and `openssl`; `tools/bench_report.py` turns the
//! results into a table with cycles per byte and the ratio to each peer.
//!
//! OpenSSL is reached through `EVP_CipherUpdate` (`openssl::symm::Crypter`) on a context
//! created once per benchmark, with padding off. That is OpenSSL's ordinary public API, but
//! each call costs a few tens of nanoseconds of dispatch that neither Rust implementation
//! pays, so its one-block figure measures call overhead as much as the cipher. Its bulk
//! figure is representative: the overhead is spread over 1024 blocks. `Crypter` cannot work
//! in place, so OpenSSL also writes to a separate output buffer.
//!
//! Run with `cargo bench --bench camellia`; pass a filter to run part of it, e.g.
//! `cargo bench --bench camellia -- ecb`.

use std::hint::black_box;
use std::time::Duration;

use camellia::cipher::{Block, BlockCipherEncrypt, KeyInit};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use openssl::symm::{Cipher, Crypter, Mode};
use tsubaki::camellia::{Backend, Camellia};

/// Bytes per bulk call.
const BULK_BYTES: usize = 16 * 1024;
const BULK_BLOCKS: usize = BULK_BYTES / 16;

fn key<const N: usize>() -> [u8; N] {
    core::array::from_fn(|i| (i as u8).wrapping_mul(0x3b) ^ 0xa7)
}

fn data(blocks: usize) -> Vec<[u8; 16]> {
    (0..blocks)
        .map(|j| core::array::from_fn(|i| ((16 * j + i) as u8).wrapping_mul(0x1d) ^ 0x6c))
        .collect()
}

fn openssl_ecb(bits: usize) -> Cipher {
    match bits {
        128 => Cipher::camellia_128_ecb(),
        192 => Cipher::camellia_192_ecb(),
        _ => Cipher::camellia_256_ecb(),
    }
}

/// An OpenSSL ECB encryption context for `key`, padding off, reused across iterations.
fn openssl_crypter(key: &[u8]) -> Crypter {
    let mut crypter = Crypter::new(openssl_ecb(8 * key.len()), Mode::Encrypt, key, None)
        .expect("OpenSSL lacks Camellia-ECB");
    crypter.pad(false);
    crypter
}

fn tsubaki_block<const N: usize>(g: &mut BenchmarkGroup<'_, WallTime>, backend: Backend) {
    let cipher = Camellia::<N>::with_backend(&key::<N>(), backend).unwrap();
    let mut block = data(1)[0];
    g.bench_function(BenchmarkId::new(format!("tsubaki-{backend}"), 8 * N), |b| {
        b.iter(|| cipher.encrypt_block(black_box(&mut block)))
    });
}

fn tsubaki_bulk<const N: usize>(g: &mut BenchmarkGroup<'_, WallTime>, backend: Backend) {
    let cipher = Camellia::<N>::with_backend(&key::<N>(), backend).unwrap();
    let mut blocks = data(BULK_BLOCKS);
    g.bench_function(BenchmarkId::new(format!("tsubaki-{backend}"), 8 * N), |b| {
        b.iter(|| cipher.encrypt_blocks(black_box(&mut blocks)))
    });
}

fn rustcrypto_block<C: KeyInit + BlockCipherEncrypt>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    bits: usize,
) {
    let cipher = C::new_from_slice(&key::<32>()[..bits / 8]).unwrap();
    let mut block = Block::<C>::try_from(&data(1)[0][..]).unwrap();
    g.bench_function(BenchmarkId::new("rustcrypto", bits), |b| {
        b.iter(|| cipher.encrypt_block(black_box(&mut block)))
    });
}

fn rustcrypto_bulk<C: KeyInit + BlockCipherEncrypt>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    bits: usize,
) {
    let cipher = C::new_from_slice(&key::<32>()[..bits / 8]).unwrap();
    let mut blocks: Vec<Block<C>> = data(BULK_BLOCKS)
        .iter()
        .map(|b| Block::<C>::try_from(&b[..]).unwrap())
        .collect();
    g.bench_function(BenchmarkId::new("rustcrypto", bits), |b| {
        b.iter(|| cipher.encrypt_blocks(black_box(&mut blocks)))
    });
}

fn openssl(g: &mut BenchmarkGroup<'_, WallTime>, bits: usize, bytes: usize) {
    let mut crypter = openssl_crypter(&key::<32>()[..bits / 8]);
    let input = data(bytes / 16).concat();
    // `update` wants room for one extra block, even with padding off.
    let mut output = vec![0u8; bytes + 16];
    g.bench_function(BenchmarkId::new("openssl", bits), |b| {
        b.iter(|| {
            let n = crypter
                .update(black_box(&input), black_box(&mut output))
                .unwrap();
            assert_eq!(n, bytes);
        })
    });
}

/// Before timing anything: every implementation must compute the same ciphertext for the
/// keys and data used here, or the comparison would be between different functions.
fn assert_peers_agree() {
    fn tsubaki<const N: usize>(backend: Backend) -> Vec<u8> {
        let cipher = Camellia::<N>::with_backend(&key::<N>(), backend).unwrap();
        let mut blocks = data(4);
        cipher.encrypt_blocks(&mut blocks);
        blocks.concat()
    }
    fn rustcrypto<C: KeyInit + BlockCipherEncrypt>(bits: usize) -> Vec<u8> {
        let cipher = C::new_from_slice(&key::<32>()[..bits / 8]).unwrap();
        let mut out = Vec::new();
        for b in data(4) {
            let mut block = Block::<C>::try_from(&b[..]).unwrap();
            cipher.encrypt_block(&mut block);
            out.extend_from_slice(&block);
        }
        out
    }
    fn openssl(bits: usize) -> Vec<u8> {
        let mut crypter = openssl_crypter(&key::<32>()[..bits / 8]);
        let input = data(4).concat();
        let mut out = vec![0u8; input.len() + 16];
        let n = crypter.update(&input, &mut out).unwrap();
        out.truncate(n);
        out
    }
    for backend in Backend::available() {
        let ours = [
            tsubaki::<16>(backend),
            tsubaki::<24>(backend),
            tsubaki::<32>(backend),
        ];
        let rc = [
            rustcrypto::<camellia::Camellia128>(128),
            rustcrypto::<camellia::Camellia192>(192),
            rustcrypto::<camellia::Camellia256>(256),
        ];
        for (i, bits) in [128, 192, 256].into_iter().enumerate() {
            assert_eq!(
                ours[i], rc[i],
                "tsubaki-{backend} and RustCrypto differ, {bits}-bit"
            );
            assert_eq!(
                ours[i],
                openssl(bits),
                "tsubaki-{backend} and OpenSSL differ, {bits}-bit"
            );
        }
    }
}

fn encrypt_block(c: &mut Criterion) {
    assert_peers_agree();
    let mut g = c.benchmark_group("camellia-encrypt-block");
    let _ = g.throughput(Throughput::Bytes(16));
    for backend in Backend::available() {
        tsubaki_block::<16>(&mut g, backend);
        tsubaki_block::<24>(&mut g, backend);
        tsubaki_block::<32>(&mut g, backend);
    }
    rustcrypto_block::<camellia::Camellia128>(&mut g, 128);
    rustcrypto_block::<camellia::Camellia192>(&mut g, 192);
    rustcrypto_block::<camellia::Camellia256>(&mut g, 256);
    for bits in [128, 192, 256] {
        openssl(&mut g, bits, 16);
    }
    g.finish();
}

fn ecb_16kib(c: &mut Criterion) {
    let mut g = c.benchmark_group("camellia-ecb-16KiB");
    let _ = g.throughput(Throughput::Bytes(BULK_BYTES as u64));
    for backend in Backend::available() {
        tsubaki_bulk::<16>(&mut g, backend);
        tsubaki_bulk::<24>(&mut g, backend);
        tsubaki_bulk::<32>(&mut g, backend);
    }
    rustcrypto_bulk::<camellia::Camellia128>(&mut g, 128);
    rustcrypto_bulk::<camellia::Camellia192>(&mut g, 192);
    rustcrypto_bulk::<camellia::Camellia256>(&mut g, 256);
    for bits in [128, 192, 256] {
        openssl(&mut g, bits, BULK_BYTES);
    }
    g.finish();
}

/// Short runs: 24 benchmarks at about 3 s each keep the whole bench to a couple of minutes.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(2))
        .sample_size(60)
}

criterion_group! {
    name = benches;
    config = config();
    targets = encrypt_block, ecb_16kib
}
criterion_main!(benches);
