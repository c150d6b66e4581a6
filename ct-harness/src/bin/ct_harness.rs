//! The valgrind secret-taint check of tsubaki's Camellia backends (DESIGN §9).
//!
//! This program marks keys and plaintexts secret with [`tsubaki::ct::secret`], runs key
//! setup, bulk and one-block encryption and decryption, and marks the results public with
//! [`tsubaki::ct::declassify`] before anything looks at them. Under valgrind's memcheck a
//! secret is "undefined" memory, so every branch or memory address that depends on a secret
//! is reported as a use of an uninitialised value, and `--error-exitcode=1` turns any report
//! into a failing exit status. `tests/ct_valgrind.rs` runs it for every backend; it is also
//! meant as a model: any program that depends on tsubaki can copy `mark_secret` and
//! `make_public` (`ct-harness/src/lib.rs`), enable the `ct-valgrind` feature, and run
//! itself under valgrind.
//!
//! # Running it by hand
//!
//! ```text
//! cargo build --release --features ct-valgrind --manifest-path ct-harness/Cargo.toml
//! valgrind -q --error-exitcode=1 --track-origins=yes target/release/ct_harness bitsliced
//! echo $?    # 0: no secret-dependent branch or address; 1: valgrind printed reports
//! ```
//!
//! (Use `--target-dir`/`CARGO_TARGET_DIR` consistently if you build elsewhere.) Adding
//! `CARGO_PROFILE_RELEASE_DEBUG=line-tables-only` to the build gives reports with file and
//! line numbers without changing the generated code.
//!
//! # Usage
//!
//! ```text
//! ct_harness --list
//! ct_harness TARGET [--bits 128|192|256|all] [--op OP|all] [--secret key|data|both]
//! ```
//!
//! - `TARGET` is a backend name from `--list` (`Backend::name()`: `bitsliced`, `table`, and
//!   any backend added later). `--list` prints the backends this CPU can run; under
//!   valgrind that is valgrind's virtual CPU, which lacks AVX-512, GFNI and VAES, so
//!   backends built on them are not listed there and cannot be checked this way (DESIGN §9
//!   covers them with a timing test). TARGET may also be one of the harness's own controls:
//!   `control-xor` (XOR of two secret buffers: constant-time, must not be reported),
//!   `control-index` (a table load at a secret index: must be reported) and
//!   `control-branch` (a branch on a secret bit: must be reported).
//! - `OP` is `key-setup`, `encrypt-blocks`, `decrypt-blocks` (bulk: [`BULK_LENGTHS`] calls,
//!   [`BULK_BLOCKS`] blocks in all, so that every batch path and tail runs),
//!   `encrypt-block`, `decrypt-block`, `modes` (every mode of `camellia::modes`, key and
//!   data secret, IVs and counters public), `aead` (GCM, CCM, CMAC, key wrap: key, data
//!   and AAD secret, nonces public) or `raw-block` (the C ABI's `CAMELLIA_KEY` path:
//!   `raw::ExpandedKey`'s in-place one-block encryption and decryption, on the default
//!   backend whatever the TARGET).
//!   Every operation includes key setup, since it needs a key.
//! - `--secret` chooses what is marked (default: both). Marking one at a time shows which
//!   input a leak depends on.
//!
//! The exit status is 0 when every operation ran and agreed with the same computation done
//! on unmarked inputs, 2 on a usage error or a disagreement. Valgrind replaces it with 1 if
//! it printed any report. memcheck prints each leaking code site once per process, so run
//! one `--op` and `--bits` at a time to attribute reports to one operation; the harness
//! prints a `ct_harness: begin ...` line on stderr before each case to help with that.
//!
//! Outside valgrind the client requests are a few no-op instructions, so this program then
//! only checks that marked and unmarked runs agree.

use core::hint::black_box;
use std::process::ExitCode;

use tsubaki::camellia::{Backend, Camellia};
use tsubaki_ct_harness::{make_public, mark_secret};

/// The bulk operations call `encrypt_blocks`/`decrypt_blocks` once per length here, so that
/// every path a backend chooses by length runs with secret data: 2 and 3 blocks (the
/// SIMD backends' one-block path; the bitsliced 8-block path), 67 (a full 64-block SIMD
/// batch and a padded tail), 812 (the bitsliced 512-block batch and a padded 300-block
/// tail; twelve SIMD batches and a padded tail).
const BULK_LENGTHS: [usize; 4] = [2, 3, 67, 812];
const BULK_BLOCKS: usize = 2 + 3 + 67 + 812;

/// One Camellia operation to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    KeySetup,
    EncryptBlocks,
    DecryptBlocks,
    EncryptBlock,
    DecryptBlock,
    /// Every mode of `camellia::modes` over the data (IVs and counters public).
    Modes,
    /// The AEADs and MACs of `camellia::aead` and `camellia::mac` (issue 13): GCM and CCM
    /// seal and open, CMAC, key wrap and unwrap; key, data and AAD secret, nonces public.
    Aead,
    /// The C ABI's per-call path (issue 17): `camellia::raw::ExpandedKey` set from the key,
    /// `encrypt_block` on one block and `decrypt_block` (the encryption schedule walked
    /// backwards) on another, in place. It runs on the backend `ExpandedKey` picks (the
    /// default constant-time one: `AesniAvx2` under valgrind), whatever the TARGET.
    RawBlock,
}

impl Op {
    const ALL: [Op; 8] = [
        Op::KeySetup,
        Op::EncryptBlocks,
        Op::DecryptBlocks,
        Op::EncryptBlock,
        Op::DecryptBlock,
        Op::Modes,
        Op::Aead,
        Op::RawBlock,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::KeySetup => "key-setup",
            Op::EncryptBlocks => "encrypt-blocks",
            Op::DecryptBlocks => "decrypt-blocks",
            Op::EncryptBlock => "encrypt-block",
            Op::DecryptBlock => "decrypt-block",
            Op::Modes => "modes",
            Op::Aead => "aead",
            Op::RawBlock => "raw-block",
        }
    }

    /// How many blocks the operation takes (none for key setup).
    fn blocks(self) -> usize {
        match self {
            Op::KeySetup => 0,
            Op::EncryptBlocks | Op::DecryptBlocks | Op::Modes | Op::Aead => BULK_BLOCKS,
            Op::EncryptBlock | Op::DecryptBlock => 1,
            Op::RawBlock => 2,
        }
    }

    /// Runs the operation in place on `blocks` (of length [`Op::blocks`]).
    fn apply<const N: usize>(self, cipher: &Camellia<N>, key: &[u8; N], blocks: &mut [[u8; 16]]) {
        match self {
            Op::Aead => run_aead(cipher.backend(), key, blocks),
            Op::KeySetup => {}
            Op::EncryptBlocks | Op::DecryptBlocks => {
                let mut rest = blocks;
                for n in BULK_LENGTHS {
                    let (part, tail) = rest.split_at_mut(n);
                    if matches!(self, Op::EncryptBlocks) {
                        cipher.encrypt_blocks(part);
                    } else {
                        cipher.decrypt_blocks(part);
                    }
                    rest = tail;
                }
            }
            Op::EncryptBlock => cipher.encrypt_block(&mut blocks[0]),
            Op::DecryptBlock => cipher.decrypt_block(&mut blocks[0]),
            Op::Modes => run_modes(cipher, blocks),
            Op::RawBlock => {
                let k = tsubaki::camellia::raw::ExpandedKey::new(key).unwrap();
                assert!(k.encrypt_block(&mut blocks[0]));
                assert!(k.decrypt_block(&mut blocks[1]));
            }
        }
    }
}

/// Runs every mode over secret data with public IVs: CBC (and PKCS#7 padding, whose
/// verdict the library declassifies on purpose), CFB128, CFB8, CFB1, OFB, and CTR in both
/// counter layouts; each pair of calls leaves the data as it was, so the result can be
/// compared with the unmarked run.
fn run_modes<const N: usize>(cipher: &Camellia<N>, blocks: &mut [[u8; 16]]) {
    use tsubaki::camellia::modes::hazmat::DecryptPadded;
    use tsubaki::camellia::modes::{self, Cbc, Ctr};
    let iv = [0x24u8; 16];
    let (mut v, mut n) = (iv, 0);
    modes::cbc_encrypt(cipher, &mut v, blocks);
    v = iv;
    modes::cbc_decrypt(cipher, &mut v, blocks);
    let bytes = blocks.as_flattened_mut();
    let len = bytes.len();
    let msg_len = len - 16 - 5;
    let ct_len = Cbc::new(cipher, &iv)
        .encrypt_padded(bytes, msg_len)
        .map(<[u8]>::len);
    if let Ok(ct_len) = ct_len {
        let pt_len = Cbc::new(cipher, &iv)
            .decrypt_padded(&mut bytes[..ct_len])
            .map(<[u8]>::len);
        assert_eq!(pt_len, Ok(msg_len));
    }
    modes::cfb128_encrypt(cipher, &mut v, &mut n, bytes);
    (v, n) = (iv, 0);
    modes::cfb128_decrypt(cipher, &mut v, &mut n, bytes);
    (v, n) = (iv, 0);
    modes::cfb8_encrypt(cipher, &mut v, &mut bytes[..200]);
    v = iv;
    modes::cfb8_decrypt(cipher, &mut v, &mut bytes[..200]);
    v = iv;
    let _ = modes::cfb1_encrypt(cipher, &mut v, &mut bytes[..9], 69);
    v = iv;
    let _ = modes::cfb1_decrypt(cipher, &mut v, &mut bytes[..9], 69);
    v = iv;
    for _ in 0..2 {
        modes::ofb128_apply(cipher, &mut v, &mut n, bytes);
        (v, n) = (iv, 0);
    }
    for _ in 0..2 {
        let _ = Ctr::new(cipher, &[0xff; 16]).apply_keystream(bytes);
        let _ = Ctr::rfc5528(cipher, &[1; 4], &[2; 8]).apply_keystream(&mut bytes[..len - 7]);
    }
}

/// Runs the AEADs and MACs over secret data with public nonces; each seal is followed by
/// its open (whose tag verdict the library declassifies on purpose), so the data comes
/// back as it was, and the CMAC tag and the wrapped key are folded into the first block.
fn run_aead<const N: usize>(backend: Backend, key: &[u8; N], blocks: &mut [[u8; 16]]) {
    use tsubaki::camellia::aead::{CamelliaCcm, CamelliaGcm};
    use tsubaki::camellia::mac;
    let bytes = blocks.as_flattened_mut();
    let (aad, msg) = bytes.split_at_mut(40);
    let gcm = CamelliaGcm::with_backend(key, backend).unwrap();
    // Whole fused chunks, a block tail and a byte tail; and a short message.
    for len in [msg.len() - 5, 100, 7] {
        let part = &mut msg[..len];
        let tag = gcm.seal_in_place_detached(&[9; 12], aad, part);
        gcm.open_in_place_detached(&[9; 12], aad, part, &tag)
            .unwrap();
    }
    // Out of place (what STREAM uses for whole chunks): sealed into a copy, opened there.
    let mut out = vec![0u8; msg.len() - 3];
    let tag = gcm
        .try_seal_detached(&[8; 12], aad, &msg[..out.len()], &mut out)
        .unwrap();
    gcm.open_in_place_detached(&[8; 12], aad, &mut out, &tag)
        .unwrap();
    // A non-96-bit IV goes through GHASH.
    let tag = gcm
        .seal_in_place_detached_with_iv(&[3; 20], aad, &mut msg[..33])
        .unwrap();
    gcm.open_in_place_detached_with_iv(&[3; 20], aad, &mut msg[..33], &tag)
        .unwrap();
    let ccm = CamelliaCcm::with_backend(key, 12, 16, backend).unwrap();
    let mut tag = [0u8; 16];
    let part = &mut msg[..1000 + 3];
    ccm.seal_in_place_detached(&[5; 12], aad, part, &mut tag)
        .unwrap();
    ccm.open_in_place_detached(&[5; 12], aad, part, &tag)
        .unwrap();
    let t = mac::Cmac::with_backend(key, backend).map(|mut m| {
        m.update(msg);
        m.finalize()
    });
    let mut wrapped = [0u8; 40];
    wrapped[8..].copy_from_slice(&msg[..32]);
    mac::wrap_in_place(key, &mut wrapped).unwrap();
    let mut unwrapped = wrapped;
    mac::unwrap_in_place(key, &mut unwrapped).unwrap();
    for (i, x) in aad.iter_mut().enumerate() {
        *x ^= t.unwrap()[i % 16] ^ wrapped[i] ^ unwrapped[i];
    }
}

/// Which inputs are marked secret.
#[derive(Clone, Copy, Debug)]
struct Secrecy {
    key: bool,
    data: bool,
}

impl Secrecy {
    fn name(self) -> &'static str {
        match (self.key, self.data) {
            (true, true) => "key+data",
            (true, false) => "key",
            (false, true) => "data",
            (false, false) => "nothing",
        }
    }
}

/// A fixed, irregular key (its value does not matter; valgrind tracks definedness, not
/// values). It goes through `black_box` in [`mark_secret`] or in [`check_camellia`], so it
/// is never a compile-time constant.
fn key_bytes<const N: usize>() -> [u8; N] {
    core::array::from_fn(|i| (i as u8).wrapping_mul(0x3b) ^ 0xa7)
}

/// `n` blocks of irregular data.
fn data_blocks(n: usize) -> Vec<[u8; 16]> {
    (0..n)
        .map(|j| core::array::from_fn(|i| ((16 * j + i) as u8).wrapping_mul(0x1d) ^ 0x6c))
        .collect()
}

/// Runs `op` with a `N`-byte key on `backend` with the inputs chosen by `secrecy` marked
/// secret, declassifies the output, and compares it with the same operation on unmarked
/// copies of the inputs.
fn check_camellia<const N: usize>(
    backend: Backend,
    op: Op,
    secrecy: Secrecy,
) -> Result<(), String> {
    let setup_error = |e| format!("{backend}: key setup failed: {e}");

    // The checked run. Everything from here to `make_public` runs on secrets.
    let mut key = key_bytes::<N>();
    if secrecy.key {
        mark_secret(&mut key);
    } else {
        let _ = black_box(&mut key);
    }
    let cipher = Camellia::<N>::with_backend(&key, backend).map_err(setup_error)?;
    let mut blocks = data_blocks(op.blocks());
    if secrecy.data {
        mark_secret(blocks.as_mut_slice());
    }
    op.apply(&cipher, &key, &mut blocks);
    // The ciphertext (or recovered plaintext) is the output: public from here on.
    make_public(blocks.as_mut_slice());
    drop(cipher);

    // The reference run, on inputs that were never marked: the checked run must agree.
    let reference_cipher =
        Camellia::<N>::with_backend(&key_bytes::<N>(), backend).map_err(setup_error)?;
    let mut reference = data_blocks(op.blocks());
    op.apply(&reference_cipher, &key_bytes::<N>(), &mut reference);
    if blocks == reference {
        Ok(())
    } else {
        Err(format!(
            "{backend} {}-bit {}: the run on marked inputs disagrees with the unmarked run",
            8 * N,
            op.name()
        ))
    }
}

fn check_camellia_bits(
    bits: u32,
    backend: Backend,
    op: Op,
    secrecy: Secrecy,
) -> Result<(), String> {
    match bits {
        128 => check_camellia::<16>(backend, op, secrecy),
        192 => check_camellia::<24>(backend, op, secrecy),
        256 => check_camellia::<32>(backend, op, secrecy),
        _ => unreachable!("key sizes are validated when parsing"),
    }
}

/// The harness's own controls, which show that the check itself works: one that is
/// constant-time and must stay silent, two that are not and must be reported.
#[derive(Clone, Copy, Debug)]
enum Control {
    Xor,
    Index,
    Branch,
}

/// A 256-byte table with no arithmetic pattern the optimiser could turn into code.
static CONTROL_TABLE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut x: u32 = 0x2545_f491;
    let mut i = 0;
    while i < 256 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        t[i] = (x >> 24) as u8;
        i += 1;
    }
    t
};

/// The target of the secret branch in [`Control::Branch`]: a call the compiler cannot
/// turn into a conditional move.
#[inline(never)]
fn count_odd(counter: &mut u32) {
    *counter = black_box(*counter + 1);
}

fn run_control(control: Control) -> Result<(), String> {
    let len = 16 * BULK_BLOCKS;
    let bytes = |salt: u8| -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(0x35) ^ salt)
            .collect()
    };
    let mut a = bytes(0x5c);
    let mut b = bytes(0xc5);
    mark_secret(a.as_mut_slice());
    mark_secret(b.as_mut_slice());
    let (mut out, reference): (Vec<u8>, Vec<u8>) = match control {
        Control::Xor => {
            let xor = |a: &[u8], b: &[u8]| a.iter().zip(b).map(|(x, y)| x ^ y).collect();
            (xor(&a, &b), xor(&bytes(0x5c), &bytes(0xc5)))
        }
        Control::Index => {
            let sum = |a: &[u8]| {
                let s = a.iter().fold(0u32, |s, &x| {
                    s.wrapping_add(u32::from(CONTROL_TABLE[usize::from(x)]))
                });
                s.to_le_bytes().to_vec()
            };
            (sum(&a), sum(&bytes(0x5c)))
        }
        Control::Branch => {
            let odd = |a: &[u8]| {
                let mut n = 0u32;
                for &x in a {
                    if x & 1 == 1 {
                        count_odd(&mut n);
                    }
                }
                n.to_le_bytes().to_vec()
            };
            (odd(&a), odd(&bytes(0x5c)))
        }
    };
    make_public(out.as_mut_slice());
    if out == reference {
        Ok(())
    } else {
        Err(format!(
            "{control:?} control: marked and unmarked runs disagree"
        ))
    }
}

enum Target {
    Camellia(Backend),
    Control(Control),
}

struct Args {
    target: Target,
    bits: Vec<u32>,
    ops: Vec<Op>,
    secrecy: Secrecy,
}

const USAGE: &str = "usage: ct_harness --list
       ct_harness TARGET [--bits 128|192|256|all] [--op OP|all] [--secret key|data|both]
  TARGET: a backend name (see --list), control-xor, control-index or control-branch
  OP: key-setup, encrypt-blocks, decrypt-blocks, encrypt-block, decrypt-block, modes, aead";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let Some(target) = args.next() else {
        return Err("missing TARGET".into());
    };
    let target = match target.as_str() {
        "--list" => return Ok(None),
        "control-xor" => Target::Control(Control::Xor),
        "control-index" => Target::Control(Control::Index),
        "control-branch" => Target::Control(Control::Branch),
        name => match Backend::available().find(|b| b.name() == name) {
            Some(b) => Target::Camellia(b),
            None if Backend::ALL.iter().any(|b| b.name() == name) => {
                return Err(format!("backend `{name}` cannot run on this CPU"));
            }
            None => return Err(format!("unknown target `{name}`")),
        },
    };
    let mut parsed = Args {
        target,
        bits: vec![128, 192, 256],
        ops: Op::ALL.to_vec(),
        secrecy: Secrecy {
            key: true,
            data: true,
        },
    };
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        match (flag.as_str(), value.as_str()) {
            ("--bits", "all") => {}
            ("--bits", v) => match v.parse() {
                Ok(b @ (128 | 192 | 256)) => parsed.bits = vec![b],
                _ => return Err(format!("key size `{v}` is not 128, 192, 256 or all")),
            },
            ("--op", "all") => {}
            ("--op", v) => match Op::ALL.into_iter().find(|op| op.name() == v) {
                Some(op) => parsed.ops = vec![op],
                None => return Err(format!("unknown operation `{v}`")),
            },
            ("--secret", v) => {
                parsed.secrecy = match v {
                    "key" => Secrecy {
                        key: true,
                        data: false,
                    },
                    "data" => Secrecy {
                        key: false,
                        data: true,
                    },
                    "both" => Secrecy {
                        key: true,
                        data: true,
                    },
                    _ => return Err(format!("`--secret {v}`: expected key, data or both")),
                }
            }
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    Ok(Some(parsed))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            for b in Backend::available() {
                let ct = if b.is_constant_time() {
                    "constant-time"
                } else {
                    "NOT constant-time"
                };
                println!("{}\t{ct}", b.name());
            }
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ct_harness: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut failed = false;
    let mut report = |case: String, result: Result<(), String>| match result {
        Ok(()) => println!("ran {case}"),
        Err(e) => {
            eprintln!("ct_harness: FAILED {case}: {e}");
            failed = true;
        }
    };
    match args.target {
        Target::Control(control) => {
            eprintln!("ct_harness: begin {control:?} control");
            report(format!("{control:?} control"), run_control(control));
        }
        Target::Camellia(backend) => {
            for &bits in &args.bits {
                for &op in &args.ops {
                    let case = format!(
                        "{backend} {bits}-bit {} (secret: {})",
                        op.name(),
                        args.secrecy.name()
                    );
                    eprintln!("ct_harness: begin {case}");
                    report(case, check_camellia_bits(bits, backend, op, args.secrecy));
                }
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
