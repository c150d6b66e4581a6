//! Paillier core: known answers from `vectors/paillier/kat.txt` (an independent Python
//! computation), homomorphism laws (proptest), boundary values, and every bad input.

use std::sync::OnceLock;

mod common;

use common::hex;
use common::rng::{ConstRng, ReplayRng, TestRng};
use proptest::prelude::*;
use tsubaki::Error;
use tsubaki::paillier::{Ciphertext, KeyGenOptions, PublicKey, SecretKey, ShortExponentEncryptor};

/// One block of `name = value` lines.
#[derive(Debug, Default, Clone)]
struct Block {
    line: usize,
    fields: Vec<(String, String)>,
}

impl Block {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn hex(&self, name: &str) -> Vec<u8> {
        hex(self
            .get(name)
            .unwrap_or_else(|| panic!("line {}: no {name}", self.line)))
    }
}

fn blocks() -> &'static Vec<Block> {
    static B: OnceLock<Vec<Block>> = OnceLock::new();
    B.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/vectors/paillier/kat.txt"
        ))
        .expect("vectors/paillier/kat.txt");
        let mut out = Vec::new();
        let mut cur = Block::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            if line.is_empty() {
                if !cur.fields.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
            let (k, v) = line.split_once(" = ").expect("name = value");
            if cur.fields.is_empty() {
                cur.line = i + 1;
            }
            cur.fields.push((k.to_owned(), v.to_owned()));
        }
        if !cur.fields.is_empty() {
            out.push(cur);
        }
        out
    })
}

/// The test keys (from the vector file's fixed primes), built once.
fn key(bits: usize) -> &'static SecretKey {
    static K: OnceLock<Vec<(usize, SecretKey)>> = OnceLock::new();
    let keys = K.get_or_init(|| {
        blocks()
            .iter()
            .filter(|b| b.get("key").is_some())
            .map(|b| {
                let bits: usize = b.get("key").unwrap().parse().unwrap();
                let sk = SecretKey::from_primes(&b.hex("p"), &b.hex("q")).expect("fixed primes");
                assert_eq!(sk.public_key().modulus_be(), b.hex("n"));
                (bits, sk)
            })
            .collect()
    });
    &keys.iter().find(|(b, _)| *b == bits).expect("key size").1
}

fn key2048() -> &'static SecretKey {
    key(2048)
}

#[test]
fn known_answers() {
    let mut cases = 0;
    let mut current: Option<&SecretKey> = None;
    for b in blocks() {
        if let Some(bits) = b.get("key") {
            current = Some(key(bits.parse().unwrap()));
            continue;
        }
        let sk = current.expect("a key block first");
        let pk = sk.public_key();
        let m = b.hex("m");
        let want = b.hex("c");
        let mut rng = ReplayRng::new(b.hex("rng"));
        let c = match b.get("mode").unwrap() {
            "public" => pk.encrypt_be(&mut rng, &m).unwrap(),
            "crt" => sk.encrypt_be(&mut rng, &m).unwrap(),
            "short" => {
                let mut base_rng = ReplayRng::new(b.hex("base_rng"));
                let enc = ShortExponentEncryptor::new(&pk, &mut base_rng).unwrap();
                assert_eq!(enc.base_be(), b.hex("base"), "line {}: base", b.line);
                let again = ShortExponentEncryptor::from_base(&pk, &b.hex("base")).unwrap();
                let c2 = again
                    .encrypt_be(&mut ReplayRng::new(b.hex("rng")), &m)
                    .unwrap();
                assert_eq!(c2.to_bytes(), want, "line {}: from_base", b.line);
                enc.encrypt_be(&mut rng, &m).unwrap()
            }
            other => panic!("line {}: mode {other}", b.line),
        };
        assert!(rng.exhausted(), "line {}: RNG bytes left", b.line);
        assert_eq!(c.to_bytes(), want, "line {}: ciphertext", b.line);
        let parsed = Ciphertext::from_bytes(&pk, &want).unwrap();
        assert_eq!(parsed, c);
        assert_eq!(
            &*sk.decrypt_be(&parsed).unwrap(),
            m.as_slice(),
            "line {}: decrypt",
            b.line
        );
        cases += 1;
    }
    assert!(cases >= 30, "only {cases} vectors");
}

#[test]
fn keys_and_accessors() {
    let sk = key2048();
    let pk = sk.public_key();
    assert_eq!(pk.bits(), 2048);
    assert_eq!(pk.n_len(), 256);
    assert_eq!(pk.ciphertext_len(), 512);
    let again = PublicKey::from_modulus(&pk.modulus_be()).unwrap();
    assert_eq!(again, pk);
    assert_eq!(again.key_id(), pk.key_id());
    assert_ne!(key(3072).public_key().key_id(), pk.key_id());
    let (p, q) = sk.primes_be();
    assert_eq!((p.len(), q.len()), (128, 128));
    let sk2 = SecretKey::from_primes(&q, &p).unwrap();
    assert_eq!(sk2.public_key(), pk);
    // Leading zero bytes are padding.
    let mut p0 = vec![0u8; 3];
    p0.extend_from_slice(&p);
    assert!(SecretKey::from_primes(&p0, &q).is_ok());
    let dbg = format!("{sk:?}");
    assert!(!dbg.contains(&format!("{:02x}{:02x}{:02x}", p[0], p[1], p[2])));
}

#[test]
fn boundary_values() {
    let sk = key2048();
    let pk = sk.public_key();
    let mut rng = TestRng(1);
    for m in [
        0i64,
        1,
        -1,
        2,
        -2,
        i64::MIN,
        i64::MAX,
        i64::MIN + 1,
        i64::MAX - 1,
    ] {
        let c = pk.encrypt_i64(&mut rng, m);
        assert_eq!(sk.decrypt_i64(&c), Ok(m), "{m}");
        let c = sk.encrypt_i64(&mut rng, m);
        assert_eq!(sk.decrypt_i64(&c), Ok(m), "crt {m}");
    }
    // n − 1 decrypts as −1; n − 2^63 as i64::MIN; 2^63 and n − 2^63 − 1 are out of range.
    let n = pk.modulus_be();
    let sub = |k: u128| -> Vec<u8> {
        let mut v = n.clone();
        let mut borrow = k;
        for b in v.iter_mut().rev() {
            let t = *b as i128 - (borrow & 0xff) as i128;
            borrow >>= 8;
            if t < 0 {
                *b = (t + 256) as u8;
                borrow += 1;
            } else {
                *b = t as u8;
            }
        }
        v
    };
    let c = pk.encrypt_be(&mut rng, &sub(1)).unwrap();
    assert_eq!(sk.decrypt_i64(&c), Ok(-1));
    let c = pk.encrypt_be(&mut rng, &sub(1 << 63)).unwrap();
    assert_eq!(sk.decrypt_i64(&c), Ok(i64::MIN));
    let c = pk.encrypt_be(&mut rng, &sub((1 << 63) + 1)).unwrap();
    assert_eq!(sk.decrypt_i64(&c), Err(Error::PlaintextOutOfRange));
    let c = pk
        .encrypt_be(&mut rng, &(1u64 << 63).to_be_bytes())
        .unwrap();
    assert_eq!(sk.decrypt_i64(&c), Err(Error::PlaintextOutOfRange));
    assert_eq!(
        &*sk.decrypt_be(&c).unwrap(),
        {
            let mut v = vec![0u8; 248];
            v.extend_from_slice(&(1u64 << 63).to_be_bytes());
            v
        }
        .as_slice()
    );
    // Plaintext n and above, and longer than n_len, are rejected.
    assert_eq!(
        pk.encrypt_be(&mut rng, &n).err(),
        Some(Error::PlaintextOutOfRange)
    );
    assert_eq!(
        pk.encrypt_be(&mut rng, &[0xff; 256]).err(),
        Some(Error::PlaintextOutOfRange)
    );
    assert_eq!(
        pk.encrypt_be(&mut rng, &[0; 257]).err(),
        Some(Error::PlaintextOutOfRange)
    );
    assert_eq!(
        sk.encrypt_be(&mut rng, &n).err(),
        Some(Error::PlaintextOutOfRange)
    );
    // Empty input is zero.
    let c = pk.encrypt_be(&mut rng, &[]).unwrap();
    assert_eq!(sk.decrypt_i64(&c), Ok(0));
    // 3072-bit key round trip.
    let sk3 = key(3072);
    let c = sk3.public_key().encrypt_i64(&mut rng, -77);
    assert_eq!(sk3.decrypt_i64(&c), Ok(-77));
    assert_eq!(sk3.public_key().ciphertext_len(), 768);
}

#[test]
fn bad_moduli() {
    let n = key2048().public_key().modulus_be();
    let mut even = n.clone();
    even[255] &= 0xfe;
    assert_eq!(
        PublicKey::from_modulus(&even).err(),
        Some(Error::InvalidModulus)
    );
    assert_eq!(
        PublicKey::from_modulus(&n[1..]).err(),
        Some(Error::InvalidModulus)
    );
    assert_eq!(
        PublicKey::from_modulus(&[]).err(),
        Some(Error::InvalidModulus)
    );
    assert_eq!(
        PublicKey::from_modulus(&[0; 256]).err(),
        Some(Error::InvalidModulus)
    );
    let mut short = vec![0u8; 256];
    short[0] = 0x7f;
    short[255] = 1;
    assert_eq!(
        PublicKey::from_modulus(&short).err(),
        Some(Error::InvalidModulus)
    );
    let mut big = vec![0u8; 257];
    big[0] = 1;
    big[256] = 1;
    assert_eq!(
        PublicKey::from_modulus(&big).err(),
        Some(Error::InvalidModulus)
    );
    let mut padded = vec![0u8; 5];
    padded.extend_from_slice(&n);
    assert!(PublicKey::from_modulus(&padded).is_ok());
    for bits in [1024usize, 2048, 3072, 4096, 8192] {
        let mut v = vec![0xffu8; bits / 8];
        v[0] = 0x80;
        let ok = PublicKey::from_modulus(&v).is_ok();
        assert_eq!(ok, [2048, 3072, 4096].contains(&bits), "{bits}");
    }
}

#[test]
fn bad_primes() {
    let (p, q) = key2048().primes_be();
    let bad = |a: &[u8], b: &[u8]| SecretKey::from_primes(a, b).err();
    assert_eq!(bad(&p, &p), Some(Error::InvalidSecretKey), "p = q");
    assert_eq!(bad(&p, &q[1..]), Some(Error::InvalidSecretKey), "lengths");
    let mut even = p.to_vec();
    even[127] ^= 1;
    assert_eq!(bad(&even, &q), Some(Error::InvalidSecretKey), "even");
    let mut composite = p.to_vec();
    composite[127] ^= 2; // p ± 2: odd, same size, (almost surely) composite
    assert_eq!(
        bad(&composite, &q),
        Some(Error::InvalidSecretKey),
        "composite"
    );
    let mut low = p.to_vec();
    low[0] &= 0x7f;
    assert_eq!(bad(&low, &q), Some(Error::InvalidSecretKey), "top bit");
    assert_eq!(
        bad(&p[..64], &q[..64]),
        Some(Error::InvalidSecretKey),
        "1024-bit n"
    );
    assert_eq!(bad(&[], &[]), Some(Error::InvalidSecretKey));
    // Two primes with the top bit set whose product has 2047 bits.
    let mut small = vec![0u8; 128];
    small[0] = 0x80;
    small[127] = 0x01;
    assert!(bad(&small, &small).is_some());
}

/// Regression (issue 18): key generation's distance rule |p − q| ≥ 2^(half − 100) holds
/// on import too. `vectors/paillier/close_primes.txt`: two 1024-bit primes 110 apart.
#[test]
fn primes_too_close_are_refused() {
    let text = include_str!("../vectors/paillier/close_primes.txt");
    let field = |name: &str| {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} = ")))
            .unwrap();
        hex(line)
    };
    let (p, q) = (field("p"), field("q"));
    assert_eq!(p.len(), 128);
    assert_eq!(
        SecretKey::from_primes(&p, &q).err(),
        Some(Error::InvalidSecretKey)
    );
    assert_eq!(
        SecretKey::from_primes(&q, &p).err(),
        Some(Error::InvalidSecretKey)
    );
    // Each prime on its own is fine: paired with a far prime the key is accepted.
    let (_, far) = key2048().primes_be();
    assert!(SecretKey::from_primes(&p, &far).is_ok());
    assert!(SecretKey::from_primes(&far, &q).is_ok());
}

#[test]
fn bad_ciphertexts() {
    let sk = key2048();
    let pk = sk.public_key();
    let len = pk.ciphertext_len();
    let bad = |b: &[u8]| Ciphertext::from_bytes(&pk, b).err();
    assert_eq!(bad(&vec![0u8; len]), Some(Error::InvalidCiphertext), "zero");
    assert_eq!(
        bad(&vec![0u8; len - 1]),
        Some(Error::InvalidCiphertext),
        "short"
    );
    assert_eq!(
        bad(&vec![0u8; len + 1]),
        Some(Error::InvalidCiphertext),
        "long"
    );
    assert_eq!(
        bad(&vec![0xffu8; len]),
        Some(Error::InvalidCiphertext),
        "≥ n²"
    );
    // n² itself, and n (a non-unit), and p·something.
    let n = pk.modulus_be();
    let mut nn = num_square(&n);
    assert_eq!(bad(&nn), Some(Error::InvalidCiphertext), "n²");
    let mut n_wide = vec![0u8; 256];
    n_wide.extend_from_slice(&n);
    assert_eq!(bad(&n_wide), Some(Error::InvalidCiphertext), "n");
    let (p, _) = sk.primes_be();
    let mut p_wide = vec![0u8; 384];
    p_wide.extend_from_slice(&p);
    assert_eq!(bad(&p_wide), Some(Error::InvalidCiphertext), "p");
    // n² − 1 is a unit: accepted.
    for b in nn.iter_mut().rev() {
        if *b == 0 {
            *b = 0xff;
        } else {
            *b -= 1;
            break;
        }
    }
    assert!(Ciphertext::from_bytes(&pk, &nn).is_ok());
    let mut one = vec![0u8; len];
    one[len - 1] = 1;
    let c = Ciphertext::from_bytes(&pk, &one).unwrap();
    assert_eq!(sk.decrypt_i64(&c), Ok(0));
}

fn num_square(n: &[u8]) -> Vec<u8> {
    let a = openssl::bn::BigNum::from_slice(n).unwrap();
    let mut r = openssl::bn::BigNum::new().unwrap();
    r.sqr(&a, &mut openssl::bn::BigNumContext::new().unwrap())
        .unwrap();
    r.to_vec_padded(2 * n.len() as i32).unwrap()
}

#[test]
fn mixing_keys() {
    let sk = key2048();
    let pk = sk.public_key();
    let sk3 = key(3072);
    let pk3 = sk3.public_key();
    let mut rng = TestRng(9);
    let a = pk.encrypt_i64(&mut rng, 5);
    let b = pk3.encrypt_i64(&mut rng, 6);
    // Unchecked operations never panic; they give an invalid ciphertext.
    let mixed = pk.add(&a, &b);
    assert!(!mixed.is_valid());
    assert_eq!(sk.decrypt_i64(&mixed), Err(Error::KeyMismatch));
    assert_eq!(mixed.to_bytes(), vec![0u8; 512]);
    assert!(Ciphertext::from_bytes(&pk, &mixed.to_bytes()).is_err());
    // And it propagates.
    let later = pk.add(&mixed, &a);
    assert!(!later.is_valid());
    assert!(!pk.mul_plain(&mut rng, &mixed, 3).is_valid());
    assert!(!pk.negate(&mut rng, &b).is_valid());
    assert!(!pk.sub(&mut rng, &a, &b).is_valid());
    assert!(!pk.add_plain_i64(&mut rng, &b, 1).is_valid());
    assert!(!pk.rerandomize(&mut rng, &b).is_valid());
    assert!(!pk.mul_plain(&mut rng, &b, -3).is_valid());
    assert!(!pk.mul_plain_raw(&mixed, 3).is_valid());
    assert!(!pk.negate_raw(&b).is_valid());
    assert!(!pk.sub_raw(&a, &b).is_valid());
    assert!(!pk.add_plain_i64_raw(&b, 1).is_valid());
    assert_eq!(pk.checked_add(&a, &b).err(), Some(Error::KeyMismatch));
    assert_eq!(
        pk.checked_sub(&mut rng, &a, &b).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(pk.checked_sub_raw(&a, &b).err(), Some(Error::KeyMismatch));
    assert_eq!(
        pk.checked_mul_plain(&mut rng, &b, 2).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        pk.checked_mul_plain_raw(&b, 2).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        pk.checked_negate(&mut rng, &b).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(pk.checked_negate_raw(&b).err(), Some(Error::KeyMismatch));
    assert_eq!(
        pk.checked_add_plain_i64(&mut rng, &b, 2).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        pk.checked_add_plain_i64_raw(&b, 2).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        pk.add_plain_be(&mut rng, &b, &[1]).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        pk.add_plain_be_raw(&b, &[1]).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        pk.mul_plain_be(&mut rng, &b, &[1]).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        pk.mul_plain_be_raw(&b, &[1]).err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(sk.decrypt_i64(&b), Err(Error::KeyMismatch));
    assert_eq!(sk.decrypt_be(&b).err(), Some(Error::KeyMismatch));
    // The same key imported twice is the same key.
    let pk_again = PublicKey::from_modulus(&pk.modulus_be()).unwrap();
    assert_eq!(sk.decrypt_i64(&pk_again.add(&a, &a)), Ok(10));
}

/// Issue 18: the homomorphic operations with a plaintext operand rerandomize by default.
/// Without it, k = 0 gave the fixed ciphertext 1 and any result could be recomputed by
/// whoever held `c` for a guessed k (an offline guessing attack on k).
#[test]
fn plaintext_operations_rerandomize() {
    let sk = key2048();
    let pk = sk.public_key();
    let mut rng = TestRng(18);
    let c = pk.encrypt_i64(&mut rng, 7);
    let d = pk.encrypt_i64(&mut rng, 3);
    let mut one = vec![0u8; pk.ciphertext_len()];
    *one.last_mut().unwrap() = 1;
    let one = Ciphertext::from_bytes(&pk, &one).unwrap();
    // The raw forms are the deterministic ones (and k = 0 is the ciphertext 1).
    assert_eq!(pk.mul_plain_raw(&c, 0), one);
    assert_eq!(pk.mul_plain_be_raw(&c, &[0]).unwrap(), one);
    assert_eq!(pk.mul_plain_raw(&c, 5), pk.mul_plain_raw(&c, 5));
    // The defaults are not.
    let z1 = pk.mul_plain(&mut rng, &c, 0);
    let z2 = pk.mul_plain(&mut rng, &c, 0);
    assert_ne!(z1, one);
    assert_ne!(z1, z2);
    assert_eq!(sk.decrypt_i64(&z1), Ok(0));
    let zb = pk.mul_plain_be(&mut rng, &c, &[0]).unwrap();
    assert_ne!(zb, one);
    assert_eq!(sk.decrypt_i64(&zb), Ok(0));
    let twice = |f: &mut dyn FnMut(&mut TestRng) -> Ciphertext, rng: &mut TestRng, want: i64| {
        let (x, y) = (f(rng), f(rng));
        assert_ne!(x, y);
        assert_eq!(sk.decrypt_i64(&x), Ok(want));
        assert_eq!(sk.decrypt_i64(&y), Ok(want));
        x
    };
    let m = twice(&mut |r| pk.mul_plain(r, &c, -2), &mut rng, -14);
    assert_ne!(m, pk.mul_plain_raw(&c, -2));
    let m = twice(&mut |r| pk.mul_plain_be(r, &c, &[5]).unwrap(), &mut rng, 35);
    assert_ne!(m, pk.mul_plain_be_raw(&c, &[5]).unwrap());
    let m = twice(&mut |r| pk.negate(r, &c), &mut rng, -7);
    assert_ne!(m, pk.negate_raw(&c));
    let m = twice(&mut |r| pk.sub(r, &c, &d), &mut rng, 4);
    assert_ne!(m, pk.sub_raw(&c, &d));
    let m = twice(&mut |r| pk.add_plain_i64(r, &c, 0), &mut rng, 7);
    assert_ne!(m, pk.add_plain_i64_raw(&c, 0));
    assert_ne!(m, c);
    let m = twice(&mut |r| pk.add_plain_be(r, &c, &[1]).unwrap(), &mut rng, 8);
    assert_ne!(m, pk.add_plain_be_raw(&c, &[1]).unwrap());
    let m = twice(
        &mut |r| pk.checked_mul_plain(r, &c, 0).unwrap(),
        &mut rng,
        0,
    );
    assert_ne!(m, one);
    let m = twice(&mut |r| pk.checked_negate(r, &c).unwrap(), &mut rng, -7);
    assert_ne!(m, pk.negate_raw(&c));
    let m = twice(&mut |r| pk.checked_sub(r, &c, &d).unwrap(), &mut rng, 4);
    assert_ne!(m, pk.sub_raw(&c, &d));
    let m = twice(
        &mut |r| pk.checked_add_plain_i64(r, &c, 0).unwrap(),
        &mut rng,
        7,
    );
    assert_ne!(m, c);
}

/// Issue 18: an RNG with constant output made the rejection sampling of r spin forever
/// (all-ones bytes are never below n, all-zero bytes give r = 0). Now every operation
/// that draws r gives up after a bounded number of draws with `Error::RngFailure` (or an
/// invalid ciphertext where the signature has no `Result`).
#[test]
fn constant_rng_fails_instead_of_spinning() {
    let sk = key2048();
    let pk = sk.public_key();
    let c = pk.encrypt_i64(&mut TestRng(3), 5);
    for byte in [0x00, 0xff] {
        let rng = &mut ConstRng::new(byte);
        assert_eq!(
            pk.checked_encrypt_i64(rng, 1).err(),
            Some(Error::RngFailure)
        );
        assert!(!pk.encrypt_i64(rng, 1).is_valid());
        assert_eq!(pk.encrypt_be(rng, &[1]).err(), Some(Error::RngFailure));
        assert!(!pk.rerandomize(rng, &c).is_valid());
        assert_eq!(
            pk.checked_rerandomize(rng, &c).err(),
            Some(Error::RngFailure)
        );
        assert!(!pk.mul_plain(rng, &c, 3).is_valid());
        assert_eq!(
            pk.checked_mul_plain(rng, &c, 3).err(),
            Some(Error::RngFailure)
        );
        assert_eq!(
            pk.mul_plain_be(rng, &c, &[3]).err(),
            Some(Error::RngFailure)
        );
        assert_eq!(
            pk.add_plain_be(rng, &c, &[3]).err(),
            Some(Error::RngFailure)
        );
        assert_eq!(
            pk.checked_add_plain_i64(rng, &c, 3).err(),
            Some(Error::RngFailure)
        );
        assert_eq!(pk.checked_negate(rng, &c).err(), Some(Error::RngFailure));
        assert_eq!(pk.checked_sub(rng, &c, &c).err(), Some(Error::RngFailure));
        assert_eq!(pk.precompute(rng, 1).err(), Some(Error::RngFailure));
        assert_eq!(
            ShortExponentEncryptor::new(&pk, rng).err(),
            Some(Error::RngFailure)
        );
        // The bound: 128 draws of n_len bytes per attempt.
        let rng = &mut ConstRng::new(byte);
        let _ = pk.checked_encrypt_i64(rng, 1);
        assert_eq!(rng.drawn, 128 * pk.n_len());
    }
    // A pool keeps what it computed before the RNG failed.
    let mut pool = pk.precompute(&mut TestRng(4), 1).unwrap();
    assert_eq!(
        pool.refill(&mut ConstRng::new(0xff), 3).err(),
        Some(Error::RngFailure)
    );
    assert_eq!(pool.len(), 1);
    // The CRT path draws a uniform value mod p² with no rejection, so it cannot spin.
    assert!(sk.encrypt_i64(&mut ConstRng::new(0xff), 1).is_valid());
}

#[test]
fn keygen_options_and_errors() {
    let mut rng = TestRng(3);
    for bits in [0usize, 1024, 2047, 2049, 8192] {
        assert_eq!(
            SecretKey::generate(&mut rng, bits).err(),
            Some(Error::InvalidModulus)
        );
    }
    assert_eq!(
        KeyGenOptions::default(),
        KeyGenOptions {
            bits: 2048,
            safe_primes: false
        }
    );
}

/// Differential: primes from `generate_prime` (small sizes, so the test stays fast) pass
/// OpenSSL's primality test (64 rounds), have exactly the requested size with the top two
/// bits set, and for safe primes (p − 1)/2 is prime too.
#[test]
fn generated_primes_pass_openssl() {
    let mut rng = TestRng(0x9e1);
    let mut ctx = openssl::bn::BigNumContext::new().unwrap();
    for (bits, safe, count) in [(512usize, false, 4), (1024, false, 1), (512, true, 2)] {
        for _ in 0..count {
            let mut events = 0u64;
            let p = tsubaki::paillier::generate_prime(&mut rng, bits, safe, &mut |_| events += 1)
                .unwrap();
            assert!(events >= 2, "progress is reported");
            assert_eq!(p.len(), bits / 8);
            assert_eq!(p[0] >> 6, 3, "top two bits");
            let bn = openssl::bn::BigNum::from_slice(&p).unwrap();
            assert!(bn.is_prime(64, &mut ctx).unwrap(), "{bits}-bit prime");
            if safe {
                let mut half = openssl::bn::BigNum::new().unwrap();
                half.rshift1(&bn).unwrap();
                assert!(half.is_prime(64, &mut ctx).unwrap(), "(p − 1)/2");
            }
        }
    }
    assert_eq!(
        tsubaki::paillier::generate_prime(&mut rng, 1000, false, &mut |_| {}).err(),
        Some(Error::InvalidLength)
    );
}

/// 2048-bit key generation (about a second or two in release). Run by hand:
/// `cargo test --release --test paillier_core -- --ignored --nocapture generate_2048`.
#[test]
#[ignore = "slow: generates a 2048-bit key"]
fn generate_2048() {
    let mut rng = TestRng(0x5eed);
    let start = std::time::Instant::now();
    let mut events = 0u64;
    let sk = SecretKey::generate_with(&mut rng, &KeyGenOptions::default(), &mut |_| events += 1)
        .unwrap();
    let elapsed = start.elapsed();
    eprintln!("2048-bit key in {elapsed:?} ({events} progress events)");
    let pk = sk.public_key();
    assert_eq!(pk.bits(), 2048);
    let c = pk.encrypt_i64(&mut rng, -42);
    assert_eq!(sk.decrypt_i64(&c), Ok(-42));
    // The primes pass OpenSSL's primality test and reimport to the same key.
    let (p, q) = sk.primes_be();
    let mut ctx = openssl::bn::BigNumContext::new().unwrap();
    for x in [&p, &q] {
        let bn = openssl::bn::BigNum::from_slice(x).unwrap();
        assert!(bn.is_prime(64, &mut ctx).unwrap());
        assert_eq!(bn.num_bits(), 1024);
    }
    assert_eq!(SecretKey::from_primes(&p, &q).unwrap().public_key(), pk);
}

/// 3072/4096-bit and safe-prime generation: minutes. Run by hand.
#[test]
#[ignore = "slow: 3072/4096-bit and safe-prime key generation"]
fn generate_large_and_safe() {
    let mut rng = TestRng(0x5eed5);
    for bits in [3072, 4096] {
        let start = std::time::Instant::now();
        let sk = SecretKey::generate(&mut rng, bits).unwrap();
        eprintln!("{bits}-bit key in {:?}", start.elapsed());
        let c = sk.public_key().encrypt_i64(&mut rng, 7);
        assert_eq!(sk.decrypt_i64(&c), Ok(7));
    }
    let start = std::time::Instant::now();
    let mut candidates = 0u64;
    let sk = SecretKey::generate_with(
        &mut rng,
        &KeyGenOptions {
            bits: 2048,
            safe_primes: true,
        },
        &mut |e| {
            if let tsubaki::paillier::KeyGenProgress::Candidate { .. } = e {
                candidates += 1
            }
        },
    )
    .unwrap();
    eprintln!(
        "2048-bit safe-prime key in {:?} ({candidates} candidates)",
        start.elapsed()
    );
    let (p, _) = sk.primes_be();
    let mut ctx = openssl::bn::BigNumContext::new().unwrap();
    let p = openssl::bn::BigNum::from_slice(&p).unwrap();
    let mut half = openssl::bn::BigNum::new().unwrap();
    half.rshift1(&p).unwrap();
    assert!(half.is_prime(64, &mut ctx).unwrap());
}

#[test]
fn pool_and_short_exponent() {
    let sk = key2048();
    let pk = sk.public_key();
    let mut rng = TestRng(4);
    let mut pool = pk.precompute(&mut rng, 2).unwrap();
    let mut crt_pool = sk.precompute(&mut rng, 1);
    assert_eq!(pool.len(), 2);
    let a = pool.encrypt_i64(-5).unwrap();
    let b = pool.encrypt_be(&[9]).unwrap().unwrap();
    assert!(pool.is_empty());
    assert!(pool.encrypt_i64(1).is_none());
    assert_eq!(pool.encrypt_be(&[1]).unwrap(), None);
    assert_ne!(a, b);
    assert_eq!(sk.decrypt_i64(&pk.add(&a, &b)), Ok(4));
    let c = crt_pool.encrypt_i64(i64::MIN).unwrap();
    assert_eq!(sk.decrypt_i64(&c), Ok(i64::MIN));
    pool.refill(&mut rng, 1).unwrap();
    assert_eq!(pool.len(), 1);
    assert_eq!(
        pool.encrypt_be(&pk.modulus_be()).err(),
        Some(Error::PlaintextOutOfRange)
    );
    assert_eq!(pool.len(), 1, "a rejected plaintext consumes nothing");

    let enc = ShortExponentEncryptor::new(&pk, &mut rng).unwrap();
    let x = enc.encrypt_i64(&mut rng, 123);
    let y = enc.encrypt_i64(&mut rng, 123);
    assert_ne!(x, y);
    assert_eq!(sk.decrypt_i64(&pk.add(&x, &y)), Ok(246));
    assert_eq!(
        enc.encrypt_be(&mut rng, &pk.modulus_be()).err(),
        Some(Error::PlaintextOutOfRange)
    );
    assert_eq!(
        ShortExponentEncryptor::from_base(&pk, &[0u8; 512]).err(),
        Some(Error::InvalidCiphertext)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn homomorphism_laws(a in any::<i32>(), b in any::<i32>(), k in any::<i16>(), seed in any::<u64>()) {
        let sk = key2048();
        let pk = sk.public_key();
        let mut rng = TestRng(seed);
        let (a, b, k) = (a as i64, b as i64, k as i64);
        let ca = pk.encrypt_i64(&mut rng, a);
        let cb = sk.encrypt_i64(&mut rng, b);
        prop_assert_eq!(sk.decrypt_i64(&pk.add(&ca, &cb)), Ok(a + b));
        prop_assert_eq!(sk.decrypt_i64(&pk.sub(&mut rng, &ca, &cb)), Ok(a - b));
        prop_assert_eq!(sk.decrypt_i64(&pk.negate(&mut rng, &ca)), Ok(-a));
        prop_assert_eq!(sk.decrypt_i64(&pk.mul_plain(&mut rng, &ca, k)), Ok(a * k));
        prop_assert_eq!(sk.decrypt_i64(&pk.add_plain_i64(&mut rng, &ca, b)), Ok(a + b));
        prop_assert_eq!(sk.decrypt_i64(&pk.sub_raw(&ca, &cb)), Ok(a - b));
        prop_assert_eq!(sk.decrypt_i64(&pk.negate_raw(&ca)), Ok(-a));
        prop_assert_eq!(sk.decrypt_i64(&pk.mul_plain_raw(&ca, k)), Ok(a * k));
        prop_assert_eq!(sk.decrypt_i64(&pk.add_plain_i64_raw(&ca, b)), Ok(a + b));
        let r = pk.rerandomize(&mut rng, &ca);
        prop_assert_ne!(&r, &ca);
        prop_assert_eq!(sk.decrypt_i64(&r), Ok(a));
        // Big-endian forms agree with the i64 forms.
        let kb = (k.unsigned_abs()).to_be_bytes();
        if k >= 0 {
            prop_assert_eq!(pk.mul_plain_be_raw(&ca, &kb).unwrap(), pk.mul_plain_raw(&ca, k));
            let c = pk.mul_plain_be(&mut rng, &ca, &kb).unwrap();
            prop_assert_eq!(sk.decrypt_i64(&c), Ok(a * k));
        }
        let bb = (b.unsigned_abs()).to_be_bytes();
        if b >= 0 {
            prop_assert_eq!(pk.add_plain_be_raw(&ca, &bb).unwrap(), pk.add_plain_i64_raw(&ca, b));
            let c = pk.add_plain_be(&mut rng, &ca, &bb).unwrap();
            prop_assert_eq!(sk.decrypt_i64(&c), Ok(a + b));
        }
        // Serialization round trip.
        let bytes = ca.to_bytes();
        prop_assert_eq!(bytes.len(), pk.ciphertext_len());
        prop_assert_eq!(Ciphertext::from_bytes(&pk, &bytes).unwrap(), ca);
    }

    #[test]
    fn packed_slots(slots in proptest::collection::vec(0u32..1 << 20, 1..8), seed in any::<u64>()) {
        // Many 32-bit slots in one plaintext: Enc(x) ⊕ Enc(y) adds slot-wise while no slot
        // overflows (each slot < 2^20, sum < 2^21).
        let sk = key2048();
        let pk = sk.public_key();
        let mut rng = TestRng(seed);
        let pack = |v: &[u32]| -> Vec<u8> { v.iter().flat_map(|x| x.to_be_bytes()).collect() };
        let other: Vec<u32> = slots.iter().map(|x| x ^ 0x5_5555).collect();
        let ca = pk.encrypt_be(&mut rng, &pack(&slots)).unwrap();
        let cb = pk.encrypt_be(&mut rng, &pack(&other)).unwrap();
        let sum = sk.decrypt_be(&pk.add(&ca, &cb)).unwrap();
        let want: Vec<u32> = slots.iter().zip(&other).map(|(x, y)| x + y).collect();
        let tail = &sum[sum.len() - 4 * slots.len()..];
        let want = pack(&want);
        prop_assert_eq!(tail, want.as_slice());
        prop_assert!(sum[..sum.len() - 4 * slots.len()].iter().all(|&b| b == 0));
    }

    #[test]
    fn crt_and_public_encryption_agree_on_plaintexts(m in proptest::collection::vec(any::<u8>(), 0..255), seed in any::<u64>()) {
        let sk = key2048();
        let pk = sk.public_key();
        let mut rng = TestRng(seed);
        let a = pk.encrypt_be(&mut rng, &m).unwrap();
        let b = sk.encrypt_be(&mut rng, &m).unwrap();
        prop_assert_ne!(&a, &b);
        prop_assert_eq!(sk.decrypt_be(&a).unwrap(), sk.decrypt_be(&b).unwrap());
        let mut want = vec![0u8; 256 - m.len()];
        want.extend_from_slice(&m);
        prop_assert_eq!(sk.decrypt_be(&b).unwrap().to_vec(), want);
        // Their quotient is an encryption of zero: a·b⁻¹ decrypts to 0.
        prop_assert_eq!(sk.decrypt_i64(&pk.sub(&mut rng, &a, &b)), Ok(0));
    }
}
