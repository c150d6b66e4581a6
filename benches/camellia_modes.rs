//! Camellia modes at full speed: CTR and ECB on 16 KiB and 1 MiB, CBC encryption and
//! decryption on 16 KiB — every tsubaki backend and key size, with three peers in the same
//! process:
//! - OpenSSL's libcrypto through EVP (`openssl::cipher_ctx::CipherCtx`, one context reused);
//! - libgcrypt (the system's libgcrypt20, whose Camellia has byte-sliced AES-NI/VAES AVX2
//!   code), called through its C API; linked into this bench only (`#[link]` below), never
//!   into the library;
//! - RustCrypto's `camellia` (ECB) and `camellia` + `ctr` (CTR).
//!
//! Ids are `<implementation>/<key bits>`; `tools/bench_report.py` makes the table with
//! cycles/byte and ratios. Run: `cargo bench --bench camellia_modes` (filter e.g. `-- ctr`).

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use openssl::cipher::Cipher as EvpCipher;
use openssl::cipher_ctx::CipherCtx;
use tsubaki::camellia::modes::{Ctr, cbc_decrypt, cbc_encrypt};
use tsubaki::camellia::{Backend, Camellia};

const KIB16: usize = 16 * 1024;
const MIB: usize = 1024 * 1024;

fn key(bits: usize) -> Vec<u8> {
    (0..bits / 8)
        .map(|i| (i as u8).wrapping_mul(0x3b) ^ 0xa7)
        .collect()
}

const IV: [u8; 16] = [
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
];

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Ctr,
    Ecb,
    CbcEnc,
    CbcDec,
}

/// libgcrypt's C API, just what the bench needs (gcrypt.h, libgcrypt 1.10).
mod gcry {
    use std::ffi::{c_char, c_int, c_uint, c_void};

    pub type Handle = *mut c_void;
    pub const CAMELLIA128: c_int = 310;
    pub const MODE_ECB: c_int = 1;
    pub const MODE_CBC: c_int = 3;
    pub const MODE_CTR: c_int = 6;
    pub const CTL_INITIALIZATION_FINISHED: c_int = 38;

    #[link(name = "gcrypt")]
    unsafe extern "C" {
        pub fn gcry_check_version(req: *const c_char) -> *const c_char;
        pub fn gcry_control(cmd: c_int, ...) -> c_uint;
        pub fn gcry_cipher_open(h: *mut Handle, algo: c_int, mode: c_int, flags: c_uint) -> c_uint;
        pub fn gcry_cipher_setkey(h: Handle, key: *const c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_setiv(h: Handle, iv: *const c_void, len: usize) -> c_uint;
        pub fn gcry_cipher_setctr(h: Handle, ctr: *const c_void, len: usize) -> c_uint;
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
        pub fn gcry_cipher_close(h: Handle);
    }
}

/// A libgcrypt cipher handle for `op`, closed on drop.
struct Gcrypt(gcry::Handle, Op);

impl Gcrypt {
    fn new(op: Op, key: &[u8]) -> Gcrypt {
        let algo = gcry::CAMELLIA128 + (key.len() as i32 - 16) / 8;
        let mode = match op {
            Op::Ctr => gcry::MODE_CTR,
            Op::Ecb => gcry::MODE_ECB,
            Op::CbcEnc | Op::CbcDec => gcry::MODE_CBC,
        };
        let mut h: gcry::Handle = std::ptr::null_mut();
        // SAFETY: plain libgcrypt calls with valid pointers and lengths; the library is
        // initialised once (check_version, then INITIALIZATION_FINISHED) before any use.
        unsafe {
            static INIT: std::sync::Once = std::sync::Once::new();
            INIT.call_once(|| {
                assert!(!gcry::gcry_check_version(std::ptr::null()).is_null());
                gcry::gcry_control(gcry::CTL_INITIALIZATION_FINISHED, 0);
            });
            assert_eq!(
                gcry::gcry_cipher_open(&mut h, algo, mode, 0),
                0,
                "gcry_cipher_open"
            );
            assert_eq!(
                gcry::gcry_cipher_setkey(h, key.as_ptr().cast(), key.len()),
                0
            );
            match op {
                Op::Ctr => assert_eq!(gcry::gcry_cipher_setctr(h, IV.as_ptr().cast(), 16), 0),
                Op::CbcEnc | Op::CbcDec => {
                    assert_eq!(gcry::gcry_cipher_setiv(h, IV.as_ptr().cast(), 16), 0)
                }
                Op::Ecb => {}
            }
        }
        Gcrypt(h, op)
    }

    fn run(&mut self, buf: &mut [u8]) {
        // SAFETY: in-place operation (in = NULL, inlen = 0) on a valid buffer.
        let rc = unsafe {
            if self.1 == Op::CbcDec {
                gcry::gcry_cipher_decrypt(
                    self.0,
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    std::ptr::null(),
                    0,
                )
            } else {
                gcry::gcry_cipher_encrypt(
                    self.0,
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    std::ptr::null(),
                    0,
                )
            }
        };
        assert_eq!(rc, 0);
    }
}

impl Drop for Gcrypt {
    fn drop(&mut self) {
        // SAFETY: the handle came from gcry_cipher_open and is closed once.
        unsafe { gcry::gcry_cipher_close(self.0) }
    }
}

fn evp(op: Op, key: &[u8]) -> CipherCtx {
    let m = match op {
        Op::Ctr => "CTR",
        Op::Ecb => "ECB",
        Op::CbcEnc | Op::CbcDec => "CBC",
    };
    let cipher = EvpCipher::fetch(None, &format!("CAMELLIA-{}-{m}", key.len() * 8), None).unwrap();
    let mut ctx = CipherCtx::new().unwrap();
    let iv = (op != Op::Ecb).then_some(&IV[..]);
    if op == Op::CbcDec {
        ctx.decrypt_init(Some(&cipher), Some(key), iv).unwrap();
    } else {
        ctx.encrypt_init(Some(&cipher), Some(key), iv).unwrap();
    }
    ctx.set_padding(false);
    ctx
}

/// One run of `op` with tsubaki on `backend` (fresh state each call, in place).
fn tsubaki_run<const N: usize>(cipher: &Camellia<N>, op: Op, buf: &mut [u8]) {
    let blocks = buf.as_chunks_mut::<16>().0;
    let mut iv = IV;
    match op {
        Op::Ctr => Ctr::new(cipher, &IV).apply_keystream(buf).unwrap(),
        Op::Ecb => cipher.encrypt_blocks(blocks),
        Op::CbcEnc => cbc_encrypt(cipher, &mut iv, blocks),
        Op::CbcDec => cbc_decrypt(cipher, &mut iv, blocks),
    }
}

fn tsubaki<const N: usize>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    op: Op,
    backend: Backend,
    bytes: usize,
) {
    let k: [u8; N] = key(8 * N).try_into().unwrap();
    let cipher = Camellia::<N>::with_backend(&k, backend).unwrap();
    let mut buf = vec![0x5au8; bytes];
    g.bench_function(BenchmarkId::new(format!("tsubaki-{backend}"), 8 * N), |b| {
        b.iter(|| tsubaki_run(&cipher, op, black_box(&mut buf)))
    });
}

fn peers(g: &mut BenchmarkGroup<'_, WallTime>, op: Op, bits: usize, bytes: usize) {
    let k = key(bits);
    let input = vec![0x5au8; bytes];
    let mut out = vec![0u8; bytes + 16];
    let mut ctx = evp(op, &k);
    g.bench_function(BenchmarkId::new("openssl", bits), |b| {
        b.iter(|| {
            ctx.cipher_update(black_box(&input), Some(&mut out))
                .unwrap()
        })
    });
    let mut gc = Gcrypt::new(op, &k);
    let mut buf = input.clone();
    g.bench_function(BenchmarkId::new("libgcrypt", bits), |b| {
        b.iter(|| gc.run(black_box(&mut buf)))
    });
    rustcrypto(g, op, bits, bytes);
}

fn rustcrypto(g: &mut BenchmarkGroup<'_, WallTime>, op: Op, bits: usize, bytes: usize) {
    use camellia::cipher::consts::U16;
    use camellia::cipher::{BlockCipherEncrypt, BlockSizeUser, KeyInit, KeyIvInit, StreamCipher};
    fn bench<C: KeyInit + BlockCipherEncrypt + BlockSizeUser<BlockSize = U16>>(
        g: &mut BenchmarkGroup<'_, WallTime>,
        op: Op,
        bits: usize,
        bytes: usize,
    ) {
        let k = key(bits);
        let mut buf = vec![0x5au8; bytes];
        match op {
            Op::Ecb => {
                let c = C::new_from_slice(&k).unwrap();
                let mut blocks: Vec<_> = buf
                    .chunks(16)
                    .map(|b| camellia::cipher::Block::<C>::try_from(b).unwrap())
                    .collect();
                g.bench_function(BenchmarkId::new("rustcrypto", bits), |b| {
                    b.iter(|| c.encrypt_blocks(black_box(&mut blocks)))
                });
            }
            Op::Ctr => {
                let mut c = ctr::Ctr128BE::<C>::new_from_slices(&k, &IV).unwrap();
                g.bench_function(BenchmarkId::new("rustcrypto", bits), |b| {
                    b.iter(|| c.apply_keystream(black_box(&mut buf)))
                });
            }
            Op::CbcEnc | Op::CbcDec => {}
        }
    }
    match bits {
        128 => bench::<camellia::Camellia128>(g, op, bits, bytes),
        192 => bench::<camellia::Camellia192>(g, op, bits, bytes),
        _ => bench::<camellia::Camellia256>(g, op, bits, bytes),
    }
}

/// Before timing: tsubaki (every backend), OpenSSL and libgcrypt agree on every op.
fn assert_agree() {
    for bits in [128, 192, 256] {
        let k = key(bits);
        for op in [Op::Ctr, Op::Ecb, Op::CbcEnc, Op::CbcDec] {
            let input: Vec<u8> = (0..4096u32).map(|i| (i * 7 + 3) as u8).collect();
            let mut reference = vec![0u8; input.len() + 16];
            let n = evp(op, &k)
                .cipher_update(&input, Some(&mut reference))
                .unwrap();
            reference.truncate(n);
            let mut g = input.clone();
            Gcrypt::new(op, &k).run(&mut g);
            assert_eq!(g, reference, "libgcrypt vs OpenSSL, {bits}-bit");
            for backend in Backend::available() {
                let mut ours = input.clone();
                match bits {
                    128 => tsubaki_run(
                        &Camellia::<16>::with_backend(&k[..].try_into().unwrap(), backend).unwrap(),
                        op,
                        &mut ours,
                    ),
                    192 => tsubaki_run(
                        &Camellia::<24>::with_backend(&k[..].try_into().unwrap(), backend).unwrap(),
                        op,
                        &mut ours,
                    ),
                    _ => tsubaki_run(
                        &Camellia::<32>::with_backend(&k[..].try_into().unwrap(), backend).unwrap(),
                        op,
                        &mut ours,
                    ),
                }
                assert_eq!(ours, reference, "tsubaki-{backend} vs OpenSSL, {bits}-bit");
            }
        }
    }
}

fn group(c: &mut Criterion, name: &str, op: Op, bytes: usize) {
    let mut g = c.benchmark_group(name);
    let _ = g.throughput(Throughput::Bytes(bytes as u64));
    if bytes >= MIB {
        let _ = g.sample_size(20);
    }
    for backend in Backend::available() {
        tsubaki::<16>(&mut g, op, backend, bytes);
        tsubaki::<24>(&mut g, op, backend, bytes);
        tsubaki::<32>(&mut g, op, backend, bytes);
    }
    for bits in [128, 192, 256] {
        peers(&mut g, op, bits, bytes);
    }
    g.finish();
}

fn modes(c: &mut Criterion) {
    assert_agree();
    group(c, "camellia-ctr-16KiB", Op::Ctr, KIB16);
    group(c, "camellia-ctr-1MiB", Op::Ctr, MIB);
    group(c, "camellia-ecb-1MiB", Op::Ecb, MIB);
    group(c, "camellia-cbc-encrypt-16KiB", Op::CbcEnc, KIB16);
    group(c, "camellia-cbc-decrypt-16KiB", Op::CbcDec, KIB16);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = modes
}
criterion_main!(benches);
