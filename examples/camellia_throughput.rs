//! The README's main job until the statistics demo exists: encrypt and decrypt a large
//! buffer with every Camellia backend this CPU can run, check the round trip and that all
//! backends agree, and print the throughput.
//!
//! ```text
//! cargo run --release --example camellia_throughput [MiB]
//! ```

use std::process::ExitCode;
use std::time::Instant;

use tsubaki::OsRng;
use tsubaki::camellia::{Backend, Camellia};
use tsubaki::rand_core::Rng;

/// Runs one key size on one backend: returns (ciphertext, encrypt MB/s, decrypt MB/s, ok).
fn run<const N: usize>(
    key: &[u8; N],
    backend: Backend,
    data: &[[u8; 16]],
) -> (Vec<[u8; 16]>, f64, f64, bool) {
    let cipher = Camellia::<N>::with_backend(key, backend).expect("backend listed as available");
    let mut buf = data.to_vec();
    let mb = (data.len() * 16) as f64 / 1e6;

    let t = Instant::now();
    cipher.encrypt_blocks(&mut buf);
    let enc = mb / t.elapsed().as_secs_f64();
    let ct = buf.clone();

    let t = Instant::now();
    cipher.decrypt_blocks(&mut buf);
    let dec = mb / t.elapsed().as_secs_f64();

    // The one-block path must agree with the bulk path on a sample.
    let mut one = data[..data.len().min(257)].to_vec();
    one.iter_mut().for_each(|b| cipher.encrypt_block(b));
    let ok = buf == data && one[..] == ct[..one.len()];
    (ct, enc, dec, ok)
}

fn main() -> ExitCode {
    let mib: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let mut data = vec![[0u8; 16]; mib * 1024 * 1024 / 16];
    data.iter_mut().for_each(|b| OsRng.fill_bytes(b));
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);

    println!(
        "Camellia ECB on a {mib} MiB random buffer, random keys, every backend available here"
    );
    println!(
        "{:<11} {:>4} {:>14} {:>12} {:>12}  result",
        "backend", "key", "constant-time", "enc MB/s", "dec MB/s"
    );
    let mut all_ok = true;
    for bits in [128, 192, 256] {
        let mut reference: Option<Vec<[u8; 16]>> = None;
        for backend in Backend::available() {
            let (ct, enc, dec, ok) = match bits {
                128 => run::<16>(key[..16].try_into().unwrap(), backend, &data),
                192 => run::<24>(key[..24].try_into().unwrap(), backend, &data),
                _ => run::<32>(&key, backend, &data),
            };
            let agrees = reference.get_or_insert_with(|| ct.clone()) == &ct;
            let ok = ok && agrees;
            all_ok &= ok;
            println!(
                "{:<11} {:>4} {:>14} {:>12.0} {:>12.0}  {}",
                backend.name(),
                bits,
                if backend.is_constant_time() {
                    "yes"
                } else {
                    "NO"
                },
                enc,
                dec,
                if ok {
                    "ok (round trip, 1-block = bulk, agrees with other backends)"
                } else {
                    "MISMATCH"
                }
            );
        }
    }
    let default = tsubaki::camellia::Camellia128::new(&[0; 16]).backend();
    println!("Camellia128::new picks: {default}");
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
