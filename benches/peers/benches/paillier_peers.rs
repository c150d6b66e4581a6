//! Paillier: tsubaki next to kzen-paillier 0.4.3 and libpaillier 0.5.0 (both on GMP) in
//! one process, and python-paillier 1.5.0 with gmpy2 run by `tools/bench_phe.py` at the
//! start of the same run.
//!
//! Groups and ids as in `benches/paillier.rs` (`<implementation>/<bits>`); the tsubaki rows
//! are the same code (`benches/paillier_common/mod.rs`, included below). Every
//! implementation uses the fixed keys of `vectors/paillier/` and encrypts the same 64-bit
//! message. Peers:
//! - `kzen`: `Paillier::encrypt(&EncryptionKey, RawPlaintext)` (r^n mod n², GMP
//!   `mpz_powm`), `kzen-crt`: `Paillier::encrypt(&DecryptionKey, ..)` (its CRT encryption),
//!   `Paillier::decrypt(&DecryptionKey, &RawCiphertext)` (CRT; it recomputes its CRT
//!   constants on every call, which is its API), `Paillier::add`, and
//!   `Paillier::keypair_with_modulus_size(2048)` (two random primes, no safe primes).
//!   kzen runs the two CRT halves with `rayon::join`; rayon is pinned to **one thread**
//!   here so that every implementation uses one core.
//! - `libpaillier`: `EncryptionKey::encrypt(bytes, None)` ((n+1)^m by `modpow` and r^n),
//!   `DecryptionKey::decrypt` (c^λ mod n², no CRT), `EncryptionKey::add`,
//!   `DecryptionKey::random()` (two 1024-bit primes).
//! - `phe`: see `tools/bench_phe.py`. Its results go to `<criterion dir>/python-paillier.json`,
//!   which `tools/bench_report.py` merges into the same tables. The Python interpreter is
//!   `$TSUBAKI_BENCH_PYTHON` if set; otherwise a venv under the target directory, created
//!   on first use with `pip install phe==1.5.0 gmpy2`. `TSUBAKI_BENCH_NO_PHE=1` skips it.
//!
//! Before anything is timed, every implementation decrypts every other implementation's
//! ciphertext of the message (same key, same scheme g = n + 1).
//!
//! Run: `cd benches/peers && cargo bench`, then
//! `python3 ../../tools/bench_report.py target/criterion`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::Criterion;
use curv::arithmetic::traits::Converter;
use kzen_paillier::{
    Add as _, BigInt, Decrypt as _, DecryptionKey as KzenDk, Encrypt as _, EncryptionKey as KzenEk,
    KeyGeneration as _, Paillier, RawCiphertext, RawPlaintext,
};
use libpaillier::unknown_order::BigNumber;
use libpaillier::{DecryptionKey as LibDk, EncryptionKey as LibEk};
use tsubaki::OsRng;
use tsubaki::paillier::Ciphertext;

#[path = "../../paillier_common/mod.rs"]
mod paillier_common;
use paillier_common::{self as ours, Fixture, Group, MESSAGE};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

struct Peers {
    bits: usize,
    kzen_ek: KzenEk,
    kzen_dk: KzenDk,
    lib_dk: LibDk,
    lib_ek: LibEk,
}

fn peers(f: &Fixture) -> Peers {
    let (p, q) = f.sk.primes_be();
    let (kp, kq) = (BigInt::from_bytes(&p), BigInt::from_bytes(&q));
    let n = &kp * &kq;
    let lib_dk = LibDk::with_primes(&BigNumber::from_slice(&*p), &BigNumber::from_slice(&*q))
        .expect("libpaillier accepts the key");
    let lib_ek = LibEk::from(&lib_dk);
    assert_eq!(BigInt::from_bytes(&f.pk.modulus_be()), n);
    Peers {
        bits: f.bits,
        kzen_ek: KzenEk::from(&n),
        kzen_dk: KzenDk { p: kp, q: kq },
        lib_dk,
        lib_ek,
    }
}

fn kzen_encrypt(p: &Peers) -> BigInt {
    let m = BigInt::from(MESSAGE as u64);
    let c: RawCiphertext = Paillier::encrypt(&p.kzen_ek, RawPlaintext::from(m));
    c.into()
}

fn lib_encrypt(p: &Peers) -> BigNumber {
    p.lib_ek.encrypt(MESSAGE.to_be_bytes(), None).unwrap().0
}

/// Everyone decrypts everyone's ciphertext of MESSAGE.
fn assert_peers_agree(f: &Fixture, p: &Peers) {
    let len = f.pk.ciphertext_len();
    let pad = |b: Vec<u8>| {
        let mut v = vec![0u8; len - b.len()];
        v.extend_from_slice(&b);
        v
    };
    let ours_c = f.pk.encrypt_i64(&mut OsRng, MESSAGE);
    let kzen_c = kzen_encrypt(p);
    let lib_c = lib_encrypt(p);
    let from_kzen = Ciphertext::from_bytes(&f.pk, &pad(kzen_c.to_bytes())).unwrap();
    let from_lib = Ciphertext::from_bytes(&f.pk, &pad(lib_c.to_bytes())).unwrap();
    assert_eq!(f.sk.decrypt_i64(&from_kzen).unwrap(), MESSAGE);
    assert_eq!(f.sk.decrypt_i64(&from_lib).unwrap(), MESSAGE);
    let want = BigInt::from(MESSAGE as u64);
    for c in [BigInt::from_bytes(&ours_c.to_bytes()), BigInt::from_bytes(&lib_c.to_bytes())] {
        let m: RawPlaintext = Paillier::decrypt(&p.kzen_dk, &RawCiphertext::from(&c));
        assert_eq!(BigInt::from(m), want);
    }
    for c in [BigNumber::from_slice(ours_c.to_bytes()), BigNumber::from_slice(kzen_c.to_bytes())] {
        let m = p.lib_dk.decrypt(&c).unwrap();
        assert_eq!(BigNumber::from_slice(m), BigNumber::from_slice(MESSAGE.to_be_bytes()));
    }
}

fn id(name: &str, bits: usize) -> criterion::BenchmarkId {
    criterion::BenchmarkId::new(name, bits)
}

fn encrypt(g: &mut Group, p: &Peers) {
    let _ = g.bench_function(id("kzen", p.bits), |b| b.iter(|| kzen_encrypt(black_box(p))));
    let _ = g.bench_function(id("kzen-crt", p.bits), |b| {
        b.iter(|| {
            let m = BigInt::from(black_box(MESSAGE) as u64);
            let c: RawCiphertext = Paillier::encrypt(&p.kzen_dk, RawPlaintext::from(m));
            c
        })
    });
    let _ = g.bench_function(id("libpaillier", p.bits), |b| b.iter(|| lib_encrypt(black_box(p))));
}

fn decrypt(g: &mut Group, p: &Peers) {
    let kc = kzen_encrypt(p);
    let _ = g.bench_function(id("kzen", p.bits), |b| {
        b.iter(|| {
            let m: RawPlaintext = Paillier::decrypt(&p.kzen_dk, &RawCiphertext::from(black_box(&kc)));
            m
        })
    });
    let lc = lib_encrypt(p);
    let _ = g.bench_function(id("libpaillier", p.bits), |b| {
        b.iter(|| p.lib_dk.decrypt(black_box(&lc)).unwrap())
    });
}

fn add(g: &mut Group, p: &Peers) {
    let (k1, k2) = (kzen_encrypt(p), kzen_encrypt(p));
    let _ = g.bench_function(id("kzen", p.bits), |b| {
        b.iter(|| {
            let c: RawCiphertext = Paillier::add(
                &p.kzen_ek,
                RawCiphertext::from(black_box(&k1)),
                RawCiphertext::from(black_box(&k2)),
            );
            c
        })
    });
    let (l1, l2) = (lib_encrypt(p), lib_encrypt(p));
    let _ = g.bench_function(id("libpaillier", p.bits), |b| {
        b.iter(|| p.lib_ek.add(black_box(&l1), black_box(&l2)).unwrap())
    });
}

/// A Python with phe and gmpy2: `$TSUBAKI_BENCH_PYTHON`, or a venv under the target dir
/// filled with pip on first use.
fn python() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("TSUBAKI_BENCH_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let venv = target_dir().join("phe-bench-venv");
    let py = venv.join("bin/python");
    let ok = |py: &Path| {
        Command::new(py)
            .args(["-c", "import phe, gmpy2; assert phe.__version__ == '1.5.0'"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if ok(&py) {
        return Ok(py);
    }
    let run = |cmd: &mut Command| -> Result<(), String> {
        match cmd.status() {
            Ok(s) if s.success() => Ok(()),
            other => Err(format!("{cmd:?}: {other:?}")),
        }
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&py).args(["-m", "pip", "install", "--quiet", "phe==1.5.0", "gmpy2"]))?;
    if ok(&py) { Ok(py) } else { Err("phe or gmpy2 not importable after pip".into()) }
}

fn run_phe() {
    if std::env::var_os("TSUBAKI_BENCH_NO_PHE").is_some() {
        eprintln!("python-paillier skipped (TSUBAKI_BENCH_NO_PHE)");
        return;
    }
    let out = target_dir().join("criterion/python-paillier.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let py = python().unwrap_or_else(|e| panic!("no Python with phe + gmpy2: {e}"));
    let status = Command::new(py)
        .arg(repo_root().join("tools/bench_phe.py"))
        .arg(&out)
        .status()
        .expect("run tools/bench_phe.py");
    assert!(status.success(), "tools/bench_phe.py failed");
}

fn main() {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("rayon pinned to one thread");
    // A filter argument (`cargo bench -- encrypt`) still runs everything below; phe runs
    // first, in the same invocation.
    let fx = ours::fixtures(&repo_root());
    let ps: Vec<Peers> = fx.iter().map(peers).collect();
    for (f, p) in fx.iter().zip(&ps) {
        assert_peers_agree(f, p);
    }
    run_phe();

    let mut cr = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
        .configure_from_args();
    {
        let mut g = cr.benchmark_group("paillier-keygen");
        let _ = g.sample_size(10).measurement_time(Duration::from_secs(5));
        ours::keygen(&mut g);
        let _ = g.bench_function(id("kzen", 2048), |b| {
            b.iter(|| Paillier::keypair_with_modulus_size(black_box(2048)).keys())
        });
        let _ = g.bench_function(id("libpaillier", 2048), |b| b.iter(|| LibDk::random().unwrap()));
        g.finish();
    }
    let mut g = cr.benchmark_group("paillier-encrypt");
    for (f, p) in fx.iter().zip(&ps) {
        ours::encrypt(&mut g, f);
        encrypt(&mut g, p);
    }
    g.finish();
    let mut g = cr.benchmark_group("paillier-decrypt");
    for (f, p) in fx.iter().zip(&ps) {
        ours::decrypt(&mut g, f);
        decrypt(&mut g, p);
    }
    g.finish();
    let mut g = cr.benchmark_group("paillier-add");
    for (f, p) in fx.iter().zip(&ps) {
        ours::add(&mut g, f);
        add(&mut g, p);
    }
    g.finish();
    let mut g = cr.benchmark_group("paillier-packed");
    fx.iter().for_each(|f| ours::packed(&mut g, f));
    g.finish();
    cr.final_summary();
}
