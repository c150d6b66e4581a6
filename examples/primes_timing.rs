//! Prime and key generation timings with median and mean over many samples, tsubaki and
//! OpenSSL alternating in one run (so both see the same machine load). Criterion's
//! statistics assume a steady per-iteration cost; prime search times are geometric-like
//! with a long tail, so this program reports median, mean and the spread instead.
//!
//! ```text
//! cargo run --release --example primes_timing -- safe 20         # 1024-bit safe primes: tsubaki vs BN_generate_prime(safe)
//! cargo run --release --example primes_timing -- key 20 2048 safe # safe-prime Paillier keys (two threads), RSA keygen alongside
//! cargo run --release --example primes_timing -- key 20 2048      # ordinary Paillier keys, RSA-2048 keygen alongside
//! ```

use std::time::Instant;

use openssl::bn::BigNum;
use openssl::rsa::Rsa;
use tsubaki::OsRng;
use tsubaki::paillier::{KeyGenOptions, SecretKey, generate_prime};

fn stats(name: &str, v: &mut [f64]) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    let mean = v.iter().sum::<f64>() / n as f64;
    println!(
        "{name:<40} n = {n:>3}  median {:>9.1} ms  mean {:>9.1} ms  min {:>8.1}  max {:>8.1}",
        median * 1e3,
        mean * 1e3,
        v[0] * 1e3,
        v[n - 1] * 1e3
    );
    (median, mean)
}

fn time<T>(f: impl FnOnce() -> T) -> f64 {
    let t = Instant::now();
    let r = f();
    let e = t.elapsed().as_secs_f64();
    drop(r);
    e
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("safe");
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    println!("load before: {}", load().trim());
    match what {
        "safe" | "prime" => {
            let bits: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1024);
            let safe = what == "safe";
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            let mut candidates = Vec::new();
            for i in 0..n {
                // Alternate which goes first so drifting load hits both alike.
                let mut run_ours = || {
                    let mut c = 0u64;
                    ours.push(time(|| {
                        generate_prime(&mut OsRng, bits, safe, &mut |_| c += 1).unwrap()
                    }));
                    candidates.push(c as f64);
                };
                let mut run_theirs = || {
                    theirs.push(time(|| {
                        let mut p = BigNum::new().unwrap();
                        p.generate_prime(bits as i32, safe, None, None).unwrap();
                        p
                    }))
                };
                if i % 2 == 0 {
                    run_ours();
                    run_theirs();
                } else {
                    run_theirs();
                    run_ours();
                }
            }
            let kind = if safe { "safe prime" } else { "prime" };
            let (mo, ao) = stats(&format!("tsubaki {bits}-bit {kind}"), &mut ours);
            let (mt, at) = stats(&format!("OpenSSL {bits}-bit {kind}"), &mut theirs);
            let c: f64 = candidates.iter().sum::<f64>() / n as f64;
            println!("tsubaki candidates per prime (mean): {c:.0}");
            println!(
                "ratio OpenSSL/tsubaki: median {:.2}x  mean {:.2}x",
                mt / mo,
                at / ao
            );
        }
        "key" => {
            let bits: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2048);
            let safe = args.get(3).map(String::as_str) == Some("safe");
            let (mut ours, mut rsa) = (Vec::new(), Vec::new());
            let opts = KeyGenOptions {
                bits,
                safe_primes: safe,
            };
            for i in 0..n {
                let mut run_ours = || {
                    ours.push(time(|| {
                        SecretKey::generate_with(&mut OsRng, &opts, &mut |_| {}).unwrap()
                    }))
                };
                let mut run_rsa = || rsa.push(time(|| Rsa::generate(bits as u32).unwrap()));
                if i % 2 == 0 {
                    run_ours();
                    run_rsa();
                } else {
                    run_rsa();
                    run_ours();
                }
            }
            let kind = if safe { "safe-prime" } else { "ordinary" };
            let (mo, ao) = stats(&format!("tsubaki Paillier-{bits} ({kind})"), &mut ours);
            let (mr, ar) = stats(&format!("OpenSSL RSA-{bits} keygen"), &mut rsa);
            println!(
                "ratio RSA/tsubaki: median {:.2}x  mean {:.2}x",
                mr / mo,
                ar / ao
            );
        }
        _ => eprintln!("usage: primes_timing safe|prime|key N [bits] [safe]"),
    }
    println!("load after: {}", load().trim());
}
