//! Camellia AEADs and MACs: GCM seal/open on 1 KiB, 16 KiB and 1 MiB, CCM and CMAC on
//! 16 KiB, STREAM over 64 MiB — tsubaki on every backend with peers in the same process:
//! - libgcrypt's Camellia-GCM (`GCRY_CIPHER_MODE_GCM`; the system's libgcrypt20 with its
//!   AES-NI/VAES byte-sliced Camellia and PCLMUL GHASH), through its C API;
//! - nettle's `gcm_camellia128_*` (the system's nettle);
//! - OpenSSL's AES-128-GCM (EVP), the reference point (AES has its own instructions);
//! - OpenSSL's Camellia-CMAC for CMAC.
//!
//! libgcrypt and nettle are linked into this bench only (`#[link]` below), never into the
//! library. Ids are `<implementation>/<key bits>`; `tools/bench_report.py` makes the
//! table. Run: `cargo bench --bench camellia_aead -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use tsubaki::camellia::Backend;
use tsubaki::camellia::aead::stream::{Encryptor, Header};
use tsubaki::camellia::aead::{CamelliaCcm, CamelliaGcm};
use tsubaki::camellia::mac;

const NONCE: [u8; 12] = [0xca; 12];
const AAD: &[u8] = b"tsubaki bench aad";

fn key(bits: usize) -> Vec<u8> {
    (0..bits / 8)
        .map(|i| (i as u8).wrapping_mul(0x3b) ^ 0xa7)
        .collect()
}

/// libgcrypt's C API, just what the bench needs (gcrypt.h, libgcrypt 1.10).
mod gcry {
    use std::ffi::{c_char, c_int, c_uint, c_void};
    pub type Handle = *mut c_void;
    pub const CAMELLIA128: c_int = 310;
    pub const MODE_GCM: c_int = 9;
    pub const CTL_INITIALIZATION_FINISHED: c_int = 38;
    /// `GCRYCTL_FINALIZE`: what the `gcry_cipher_final` macro passes.
    pub const CTL_FINALIZE: c_int = 5;
    #[link(name = "gcrypt")]
    unsafe extern "C" {
        pub fn gcry_check_version(req: *const c_char) -> *const c_char;
        pub fn gcry_control(cmd: c_int, ...) -> c_uint;
        pub fn gcry_cipher_open(h: *mut Handle, algo: c_int, mode: c_int, flags: c_uint) -> c_uint;
        pub fn gcry_cipher_setkey(h: Handle, key: *const c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_setiv(h: Handle, iv: *const c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_authenticate(h: Handle, aad: *const c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_ctl(h: Handle, cmd: c_int, buf: *mut c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_encrypt(
            h: Handle,
            out: *mut c_void,
            outlen: usize,
            inp: *const c_void,
            inlen: usize,
        ) -> c_uint;
        pub fn gcry_cipher_decrypt(
            h: Handle,
            out: *mut c_void,
            outlen: usize,
            inp: *const c_void,
            inlen: usize,
        ) -> c_uint;
        pub fn gcry_cipher_gettag(h: Handle, tag: *mut c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_checktag(h: Handle, tag: *const c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_close(h: Handle);
    }
}

/// A libgcrypt Camellia-128-GCM handle, closed on drop.
struct Gcrypt(gcry::Handle);

impl Gcrypt {
    fn new(key: &[u8]) -> Self {
        let mut h: gcry::Handle = std::ptr::null_mut();
        // SAFETY: plain libgcrypt calls with valid pointers and lengths.
        unsafe {
            assert!(!gcry::gcry_check_version(std::ptr::null()).is_null());
            gcry::gcry_control(gcry::CTL_INITIALIZATION_FINISHED, 0);
            assert_eq!(
                gcry::gcry_cipher_open(&mut h, gcry::CAMELLIA128, gcry::MODE_GCM, 0),
                0
            );
            assert_eq!(
                gcry::gcry_cipher_setkey(h, key.as_ptr().cast(), key.len()),
                0
            );
        }
        Gcrypt(h)
    }

    /// One whole message: set the IV, AAD, encrypt (or decrypt) in place, tag.
    fn run(&mut self, buf: &mut [u8], tag: &mut [u8; 16], seal: bool) {
        // SAFETY: valid handle, buffers and lengths; in-place operation (in = NULL).
        unsafe {
            let h = self.0;
            assert_eq!(gcry::gcry_cipher_setiv(h, NONCE.as_ptr().cast(), 12), 0);
            assert_eq!(
                gcry::gcry_cipher_authenticate(h, AAD.as_ptr().cast(), AAD.len()),
                0
            );
            assert_eq!(
                gcry::gcry_cipher_ctl(h, gcry::CTL_FINALIZE, std::ptr::null_mut(), 0),
                0
            );
            let p = buf.as_mut_ptr().cast();
            if seal {
                assert_eq!(
                    gcry::gcry_cipher_encrypt(h, p, buf.len(), std::ptr::null(), 0),
                    0
                );
                assert_eq!(gcry::gcry_cipher_gettag(h, tag.as_mut_ptr().cast(), 16), 0);
            } else {
                assert_eq!(
                    gcry::gcry_cipher_decrypt(h, p, buf.len(), std::ptr::null(), 0),
                    0
                );
                assert_eq!(gcry::gcry_cipher_checktag(h, tag.as_ptr().cast(), 16), 0);
            }
        }
    }
}

impl Drop for Gcrypt {
    fn drop(&mut self) {
        // SAFETY: the handle came from gcry_cipher_open and is closed once.
        unsafe { gcry::gcry_cipher_close(self.0) }
    }
}

/// nettle's Camellia-128-GCM (nettle/gcm.h).
mod nettle {
    use std::ffi::c_void;
    #[link(name = "nettle")]
    unsafe extern "C" {
        pub fn nettle_gcm_camellia128_set_key(ctx: *mut c_void, key: *const u8);
        pub fn nettle_gcm_camellia128_set_iv(ctx: *mut c_void, len: usize, iv: *const u8);
        pub fn nettle_gcm_camellia128_update(ctx: *mut c_void, len: usize, data: *const u8);
        pub fn nettle_gcm_camellia128_encrypt(
            ctx: *mut c_void,
            len: usize,
            dst: *mut u8,
            src: *const u8,
        );
        pub fn nettle_gcm_camellia128_decrypt(
            ctx: *mut c_void,
            len: usize,
            dst: *mut u8,
            src: *const u8,
        );
        pub fn nettle_gcm_camellia128_digest(ctx: *mut c_void, len: usize, digest: *mut u8);
    }
}

/// A `struct gcm_camellia128_ctx`: 4352 bytes, alignment 8 with nettle 3.x on x86-64
/// (`sizeof` checked with the C compiler); 8 KiB of u64 leaves room.
struct Nettle(Box<[u64; 1024]>);

impl Nettle {
    fn new(key: &[u8]) -> Self {
        assert_eq!(key.len(), 16);
        let mut ctx = Box::new([0u64; 1024]);
        // SAFETY: ctx is larger than the struct and aligned; key is 16 bytes.
        unsafe { nettle::nettle_gcm_camellia128_set_key(ctx.as_mut_ptr().cast(), key.as_ptr()) };
        Nettle(ctx)
    }

    fn run(&mut self, buf: &mut [u8], tag: &mut [u8; 16], seal: bool) {
        let c = self.0.as_mut_ptr().cast();
        // SAFETY: valid context and buffers; nettle allows dst == src.
        unsafe {
            nettle::nettle_gcm_camellia128_set_iv(c, 12, NONCE.as_ptr());
            nettle::nettle_gcm_camellia128_update(c, AAD.len(), AAD.as_ptr());
            let p = buf.as_mut_ptr();
            if seal {
                nettle::nettle_gcm_camellia128_encrypt(c, buf.len(), p, p);
            } else {
                nettle::nettle_gcm_camellia128_decrypt(c, buf.len(), p, p);
            }
            nettle::nettle_gcm_camellia128_digest(c, 16, tag.as_mut_ptr());
        }
    }
}

fn openssl_aes_gcm(buf: &mut [u8], out: &mut [u8], tag: &mut [u8; 16]) {
    use openssl::symm::{Cipher, Crypter, Mode};
    let mut c = Crypter::new(Cipher::aes_128_gcm(), Mode::Encrypt, &[7; 16], Some(&NONCE)).unwrap();
    c.aad_update(AAD).unwrap();
    let n = c.update(buf, out).unwrap();
    let _ = c.finalize(&mut out[n..]).unwrap();
    c.get_tag(tag).unwrap();
}

/// Before timing: tsubaki (every backend), libgcrypt and nettle give the same sealed
/// message, and each opens the others'.
fn assert_agree() {
    let k = key(128);
    let pt: Vec<u8> = (0..5000).map(|i| i as u8).collect();
    let want = CamelliaGcm::new(&k).unwrap().seal(&NONCE, AAD, &pt);
    for b in Backend::available() {
        assert_eq!(
            CamelliaGcm::with_backend(&k, b)
                .unwrap()
                .seal(&NONCE, AAD, &pt),
            want
        );
    }
    let mut buf = pt.clone();
    let mut tag = [0u8; 16];
    Gcrypt::new(&k).run(&mut buf, &mut tag, true);
    assert_eq!([&buf[..], &tag[..]].concat(), want, "libgcrypt");
    let mut buf = pt.clone();
    Nettle::new(&k).run(&mut buf, &mut tag, true);
    assert_eq!([&buf[..], &tag[..]].concat(), want, "nettle");
}

fn gcm(c: &mut Criterion) {
    assert_agree();
    let k = key(128);
    for (name, bytes) in [("1KiB", 1024), ("16KiB", 16 * 1024), ("1MiB", 1024 * 1024)] {
        for seal in [true, false] {
            let op = if seal { "seal" } else { "open" };
            let mut g = c.benchmark_group(format!("camellia-gcm-{op}-{name}"));
            g.throughput(Throughput::Bytes(bytes as u64));
            for b in Backend::available().filter(|b| b.is_constant_time()) {
                let gcm = CamelliaGcm::with_backend(&k, b).unwrap();
                let mut buf = vec![0x5au8; bytes];
                let tag = gcm.seal_in_place_detached(&NONCE, AAD, &mut buf);
                g.bench_function(BenchmarkId::new(format!("tsubaki-{b}"), 128), |bn| {
                    if seal {
                        bn.iter(|| gcm.seal_in_place_detached(&NONCE, AAD, black_box(&mut buf)))
                    } else {
                        // Each run opens a fresh copy of the ciphertext (the copy is
                        // made outside the timing).
                        let sealed = buf.clone();
                        bn.iter_batched_ref(
                            || sealed.clone(),
                            |x| gcm.open_in_place_detached(&NONCE, AAD, x, &tag).unwrap(),
                            criterion::BatchSize::LargeInput,
                        )
                    }
                });
            }
            let mut gc = Gcrypt::new(&k);
            let mut buf = vec![0x5au8; bytes];
            let mut tag = [0u8; 16];
            gc.run(&mut buf, &mut tag, true);
            g.bench_function(BenchmarkId::new("libgcrypt", 128), |bn| {
                if seal {
                    bn.iter(|| gc.run(black_box(&mut buf), &mut tag, true))
                } else {
                    let sealed = buf.clone();
                    bn.iter_batched_ref(
                        || sealed.clone(),
                        |x| gc.run(x, &mut tag, false),
                        criterion::BatchSize::LargeInput,
                    )
                }
            });
            let mut ne = Nettle::new(&k);
            g.bench_function(BenchmarkId::new("nettle", 128), |bn| {
                let mut t = [0u8; 16];
                bn.iter(|| ne.run(black_box(&mut buf), &mut t, seal))
            });
            if seal {
                let mut input = vec![0x5au8; bytes];
                let mut out = vec![0u8; bytes + 16];
                g.bench_function(BenchmarkId::new("openssl-aes128gcm", 128), |bn| {
                    let mut t = [0u8; 16];
                    bn.iter(|| openssl_aes_gcm(black_box(&mut input), &mut out, &mut t))
                });
            }
            g.finish();
        }
    }
}

fn ccm_cmac(c: &mut Criterion) {
    let k = key(128);
    let bytes = 16 * 1024;
    let mut g = c.benchmark_group("camellia-ccm-16KiB");
    g.throughput(Throughput::Bytes(bytes as u64));
    let ccm = CamelliaCcm::new(&k, 12, 16).unwrap();
    let mut buf = vec![0x5au8; bytes];
    let mut tag = [0u8; 16];
    g.bench_function(BenchmarkId::new("tsubaki", 128), |bn| {
        bn.iter(|| ccm.seal_in_place_detached(&NONCE, AAD, black_box(&mut buf), &mut tag))
    });
    g.finish();

    let mut g = c.benchmark_group("camellia-cmac-16KiB");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(BenchmarkId::new("tsubaki", 128), |bn| {
        bn.iter(|| mac::cmac(&k, black_box(&buf)).unwrap())
    });
    let pkey = openssl::pkey::PKey::cmac(&openssl::symm::Cipher::camellia_128_cbc(), &k).unwrap();
    let ours = mac::cmac(&k, &buf).unwrap();
    let mut s = openssl::sign::Signer::new_without_digest(&pkey).unwrap();
    assert_eq!(s.sign_oneshot_to_vec(&buf).unwrap(), ours, "OpenSSL agrees");
    g.bench_function(BenchmarkId::new("openssl", 128), |bn| {
        bn.iter(|| {
            let mut s = openssl::sign::Signer::new_without_digest(&pkey).unwrap();
            s.sign_oneshot_to_vec(black_box(&buf)).unwrap()
        })
    });
    g.finish();
}

fn stream(c: &mut Criterion) {
    let k = key(128);
    let bytes = 64 * 1024 * 1024;
    let mut g = c.benchmark_group("camellia-stream-64MiB");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    let data = vec![0x5au8; bytes];
    let header = Header::new(16, 16, [1; 7]).unwrap();
    g.bench_function(BenchmarkId::new("tsubaki-stream", 128), |bn| {
        bn.iter(|| {
            let mut e = Encryptor::with_header(&k, header, std::io::sink()).unwrap();
            for piece in black_box(&data).chunks(1 << 20) {
                e.write_all(piece).unwrap();
            }
            e.finish().unwrap()
        })
    });
    let gcm = CamelliaGcm::new(&k).unwrap();
    let mut buf = data.clone();
    g.bench_function(BenchmarkId::new("tsubaki-gcm", 128), |bn| {
        bn.iter(|| gcm.seal_in_place_detached(&NONCE, AAD, black_box(&mut buf)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = gcm, ccm_cmac, stream
}
/// With `TSUBAKI_INTERLEAVED=<rounds>`: before criterion, the rows the issue compares run
/// in alternation and the fastest round of each is reported with the ratios: GCM seal and
/// open of 16 KiB (tsubaki's default backend and libgcrypt, 64 messages a round), and
/// STREAM against one GCM call over 64 MiB (one each a round). On a machine whose speed
/// changes from second to second, the minimum over many short alternating rounds puts
/// every row under the same conditions (a preempted or slowed round is not the minimum).
fn interleaved() {
    let Some(rounds) = std::env::var("TSUBAKI_INTERLEAVED")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    use std::time::Instant;
    const BATCH: usize = 64;
    let k = key(128);
    let gcm = CamelliaGcm::new(&k).unwrap();
    let mut gc = Gcrypt::new(&k);
    let mut buf = vec![0x5au8; 16 * 1024];
    let (sealed, tag) = {
        let mut b = buf.clone();
        let tag = gcm.seal_in_place_detached(&NONCE, AAD, &mut b);
        (b, tag)
    };
    let big = vec![0x5au8; 64 * 1024 * 1024];
    let mut big_buf = big.clone();
    let header = Header::new(16, 16, [1; 7]).unwrap();
    let names = [
        "GCM seal 16 KiB, tsubaki",
        "GCM seal 16 KiB, libgcrypt",
        "GCM open 16 KiB, tsubaki",
        "GCM open 16 KiB, libgcrypt",
        "STREAM 64 MiB, tsubaki",
        "GCM 64 MiB one call, tsubaki",
    ];
    let mut best = [f64::INFINITY; 6];
    let mut time = |i: usize, n: usize, f: &mut dyn FnMut()| {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        best[i] = best[i].min(t.elapsed().as_secs_f64() / n as f64);
    };
    for _ in 0..rounds {
        time(0, BATCH, &mut || {
            black_box(gcm.seal_in_place_detached(&NONCE, AAD, black_box(&mut buf)));
        });
        time(1, BATCH, &mut || {
            gc.run(black_box(&mut buf), &mut tag.clone(), true)
        });
        time(2, BATCH, &mut || {
            buf.copy_from_slice(&sealed);
            gcm.open_in_place_detached(&NONCE, AAD, black_box(&mut buf), &tag)
                .unwrap();
        });
        time(3, BATCH, &mut || {
            buf.copy_from_slice(&sealed);
            gc.run(black_box(&mut buf), &mut tag.clone(), false);
        });
        time(4, 1, &mut || {
            let mut e = Encryptor::with_header(&k, header, std::io::sink()).unwrap();
            for piece in black_box(&big).chunks(1 << 20) {
                e.write_all(piece).unwrap();
            }
            black_box(e.finish().unwrap());
        });
        time(5, 1, &mut || {
            black_box(gcm.seal_in_place_detached(&NONCE, AAD, black_box(&mut big_buf)));
        });
    }
    // The open rows include a 16 KiB copy of the sealed message into the buffer (both
    // libraries alike); it is timed alone and subtracted.
    let mut copy = f64::INFINITY;
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..BATCH {
            buf.copy_from_slice(black_box(&sealed));
            black_box(&mut buf);
        }
        copy = copy.min(t.elapsed().as_secs_f64() / BATCH as f64);
    }
    best[2] -= copy;
    best[3] -= copy;
    println!(
        "interleaved, {rounds} rounds, fastest round of each (open rows less a 16 KiB copy, {:.2} us):",
        copy * 1e6
    );
    for (n, b) in names.iter().zip(best) {
        if b > 1e-3 {
            println!("  {n:32} {:10.2} ms", b * 1e3);
        } else {
            println!("  {n:32} {:10.2} us", b * 1e6);
        }
    }
    println!(
        "  seal: tsubaki {:.2}x libgcrypt's speed; open: {:.2}x; open/seal time (tsubaki) {:.3}; STREAM at {:.1}% of GCM's speed",
        best[1] / best[0],
        best[3] / best[2],
        best[2] / best[0],
        100.0 * best[5] / best[4]
    );
}

fn main() {
    interleaved();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
