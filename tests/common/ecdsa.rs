//! Helpers shared by the ECDSA integration tests (`ecdsa_vectors`, `ecdsa_openssl`,
//! `ecdsa_api`).
//!
//! [`Curve`] puts P-256 and P-384 behind one interface, so that every test is written once
//! and run on both curves; [`P256`] and [`P384`] implement it over `tsubaki::ec`. It is the
//! only place that names tsubaki's ECDSA functions. Around it: [`Hash`] (the five hashes of
//! the vector files), [`TestRng`] (a seeded RNG, so that random tests are reproducible),
//! big-number helpers over OpenSSL's `BIGNUM` for the checks that need modular arithmetic,
//! and [`Tally`], which counts vectors and collects failures so that one run reports all
//! of them.

use std::convert::Infallible;
use std::fmt::Debug;
use std::fmt::Write as _;

use openssl::bn::{BigNum, BigNumContext};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use sha2::Digest as _;
use tsubaki::Error;
use tsubaki::ec::{hazmat, p256, p384};
use tsubaki::rand_core::{TryCryptoRng, TryRng};

/// The hashes the vector files use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1 (CAVP and RFC 6979 only).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// All five, shortest first.
    pub const ALL: [Hash; 5] = [
        Hash::Sha1,
        Hash::Sha224,
        Hash::Sha256,
        Hash::Sha384,
        Hash::Sha512,
    ];

    /// Reads `SHA-256`, `SHA256` or `sha256` (the files spell it all three ways).
    pub fn from_name(name: &str) -> Hash {
        match name.to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Hash::Sha1,
            "SHA224" => Hash::Sha224,
            "SHA256" => Hash::Sha256,
            "SHA384" => Hash::Sha384,
            "SHA512" => Hash::Sha512,
            _ => panic!("unknown hash {name:?}"),
        }
    }

    /// The digest of `msg`.
    pub fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => sha1::Sha1::digest(msg).to_vec(),
            Hash::Sha224 => sha2::Sha224::digest(msg).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(msg).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(msg).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(msg).to_vec(),
        }
    }

    /// The digest length in bytes.
    pub fn len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The same hash in OpenSSL.
    pub fn openssl(self) -> MessageDigest {
        match self {
            Hash::Sha1 => MessageDigest::sha1(),
            Hash::Sha224 => MessageDigest::sha224(),
            Hash::Sha256 => MessageDigest::sha256(),
            Hash::Sha384 => MessageDigest::sha384(),
            Hash::Sha512 => MessageDigest::sha512(),
        }
    }
}

/// One curve's ECDSA API, as the tests use it. Byte outputs are `Vec<u8>` and PEM outputs
/// `String`, whatever tsubaki returns, so that the tests compare them directly.
pub trait Curve: 'static {
    /// "P-256" / "P-384", as CAVP, ring and RFC 6979 write it.
    const NAME: &'static str;
    /// "secp256r1" / "secp384r1", as Wycheproof writes it.
    const SEC_NAME: &'static str;
    /// Length of a field element and of a scalar, in bytes.
    const BYTES: usize;
    /// The hash that `sign` and `verify` use (SHA-256 / SHA-384).
    const HASH: Hash;
    /// The curve in OpenSSL.
    const NID: Nid;
    /// The field prime p, big-endian hex.
    const P: &'static str;
    /// The group order n, big-endian hex.
    const N: &'static str;

    /// tsubaki's signing key.
    type SigningKey: Debug;
    /// tsubaki's verifying key.
    type VerifyingKey: Debug;
    /// tsubaki's signature.
    type Signature: Debug;

    /// `SigningKey::from_bytes` on a big-endian scalar.
    fn sk_from_bytes(d: &[u8]) -> Result<Self::SigningKey, Error>;
    /// The scalar, big-endian, `BYTES` long.
    fn sk_to_bytes(sk: &Self::SigningKey) -> Vec<u8>;
    /// A fresh key from `rng`.
    fn sk_random(rng: &mut TestRng) -> Self::SigningKey;
    /// The public key.
    fn sk_public(sk: &Self::SigningKey) -> Self::VerifyingKey;
    /// `{:?}` of the key.
    fn sk_debug(sk: &Self::SigningKey) -> String;
    /// PKCS#8 `PrivateKeyInfo`, DER.
    fn sk_from_pkcs8_der(der: &[u8]) -> Result<Self::SigningKey, Error>;
    /// PKCS#8, PEM (`PRIVATE KEY`).
    fn sk_from_pkcs8_pem(pem: &str) -> Result<Self::SigningKey, Error>;
    /// SEC 1 `ECPrivateKey`, DER.
    fn sk_from_sec1_der(der: &[u8]) -> Result<Self::SigningKey, Error>;
    /// SEC 1, PEM (`EC PRIVATE KEY`).
    fn sk_from_sec1_pem(pem: &str) -> Result<Self::SigningKey, Error>;
    /// See [`Self::sk_from_pkcs8_der`].
    fn sk_to_pkcs8_der(sk: &Self::SigningKey) -> Vec<u8>;
    /// See [`Self::sk_from_pkcs8_pem`].
    fn sk_to_pkcs8_pem(sk: &Self::SigningKey) -> String;
    /// See [`Self::sk_from_sec1_der`].
    fn sk_to_sec1_der(sk: &Self::SigningKey) -> Vec<u8>;
    /// See [`Self::sk_from_sec1_pem`].
    fn sk_to_sec1_pem(sk: &Self::SigningKey) -> String;

    /// RFC 6979 signature of `msg` hashed with [`Self::HASH`].
    fn sign(sk: &Self::SigningKey, msg: &[u8]) -> Self::Signature;
    /// Hedged signature (RFC 6979 with added randomness).
    fn sign_with_rng(sk: &Self::SigningKey, rng: &mut TestRng, msg: &[u8]) -> Self::Signature;
    /// RFC 6979 signature of a digest (any hash; HMAC with the curve's hash).
    fn sign_prehash(sk: &Self::SigningKey, digest: &[u8]) -> Result<Self::Signature, Error>;
    /// `hazmat::sign_prehash_rfc6979` with HMAC over `hash`.
    fn sign_prehash_rfc6979(
        sk: &Self::SigningKey,
        hash: Hash,
        digest: &[u8],
    ) -> Result<Self::Signature, Error>;
    /// `hazmat::sign_prehash_with_nonce`: the signature with nonce `k` (big-endian).
    fn sign_prehash_with_nonce(
        sk: &Self::SigningKey,
        k: &[u8],
        digest: &[u8],
    ) -> Result<Self::Signature, Error>;

    /// `hazmat::mul`: k·P for a public point P (k big-endian, 0 < k < n).
    fn mul(k: &[u8], point: &Self::VerifyingKey) -> Result<Self::VerifyingKey, Error>;

    /// SEC 1 point, compressed or uncompressed.
    fn vk_from_sec1(bytes: &[u8]) -> Result<Self::VerifyingKey, Error>;
    /// SEC 1 point.
    fn vk_to_sec1(vk: &Self::VerifyingKey, compressed: bool) -> Vec<u8>;
    /// SPKI, DER.
    fn vk_from_spki_der(der: &[u8]) -> Result<Self::VerifyingKey, Error>;
    /// SPKI, PEM (`PUBLIC KEY`).
    fn vk_from_spki_pem(pem: &str) -> Result<Self::VerifyingKey, Error>;
    /// See [`Self::vk_from_spki_der`].
    fn vk_to_spki_der(vk: &Self::VerifyingKey) -> Vec<u8>;
    /// See [`Self::vk_from_spki_pem`].
    fn vk_to_spki_pem(vk: &Self::VerifyingKey) -> String;
    /// Verification of `msg` hashed with [`Self::HASH`].
    fn verify(vk: &Self::VerifyingKey, msg: &[u8], sig: &Self::Signature) -> Result<(), Error>;
    /// Verification of a digest.
    fn verify_prehash(
        vk: &Self::VerifyingKey,
        digest: &[u8],
        sig: &Self::Signature,
    ) -> Result<(), Error>;

    /// Strict DER `SEQUENCE { r, s }`.
    fn sig_from_der(der: &[u8]) -> Result<Self::Signature, Error>;
    /// See [`Self::sig_from_der`].
    fn sig_to_der(sig: &Self::Signature) -> Vec<u8>;
    /// `r ‖ s`, `2 * BYTES` long.
    fn sig_from_slice(bytes: &[u8]) -> Result<Self::Signature, Error>;
    /// See [`Self::sig_from_slice`].
    fn sig_to_bytes(sig: &Self::Signature) -> Vec<u8>;
    /// The low-S form (s replaced by n − s if s > n/2).
    fn sig_normalize_s(sig: &Self::Signature) -> Self::Signature;
    /// Whether s > n/2.
    fn sig_is_high_s(sig: &Self::Signature) -> bool;
}

/// Whatever byte container tsubaki returns, as a `Vec`.
fn bytes_of(bytes: impl AsRef<[u8]>) -> Vec<u8> {
    bytes.as_ref().to_vec()
}

/// P-256 with SHA-256.
#[derive(Debug)]
pub struct P256;
/// P-384 with SHA-384.
#[derive(Debug)]
pub struct P384;

macro_rules! impl_curve {
    ($ty:ident, $m:ident, $curve:ty, $hash:expr, $name:literal, $sec:literal, $bytes:literal,
     $nid:expr, $p:literal, $n:literal) => {
        impl Curve for $ty {
            const NAME: &'static str = $name;
            const SEC_NAME: &'static str = $sec;
            const BYTES: usize = $bytes;
            const HASH: Hash = $hash;
            const NID: Nid = $nid;
            const P: &'static str = $p;
            const N: &'static str = $n;

            type SigningKey = $m::SigningKey;
            type VerifyingKey = $m::VerifyingKey;
            type Signature = $m::Signature;

            fn sk_from_bytes(d: &[u8]) -> Result<Self::SigningKey, Error> {
                $m::SigningKey::from_slice(d)
            }
            fn sk_to_bytes(sk: &Self::SigningKey) -> Vec<u8> {
                bytes_of(&*sk.to_bytes())
            }
            fn sk_random(rng: &mut TestRng) -> Self::SigningKey {
                $m::SigningKey::random(rng)
            }
            fn sk_public(sk: &Self::SigningKey) -> Self::VerifyingKey {
                sk.verifying_key()
            }
            fn sk_debug(sk: &Self::SigningKey) -> String {
                format!("{sk:?}")
            }
            fn sk_from_pkcs8_der(der: &[u8]) -> Result<Self::SigningKey, Error> {
                $m::SigningKey::from_pkcs8_der(der)
            }
            fn sk_from_pkcs8_pem(pem: &str) -> Result<Self::SigningKey, Error> {
                $m::SigningKey::from_pkcs8_pem(pem)
            }
            fn sk_from_sec1_der(der: &[u8]) -> Result<Self::SigningKey, Error> {
                $m::SigningKey::from_sec1_der(der)
            }
            fn sk_from_sec1_pem(pem: &str) -> Result<Self::SigningKey, Error> {
                $m::SigningKey::from_sec1_pem(pem)
            }
            fn sk_to_pkcs8_der(sk: &Self::SigningKey) -> Vec<u8> {
                sk.to_pkcs8_der().to_vec()
            }
            fn sk_to_pkcs8_pem(sk: &Self::SigningKey) -> String {
                sk.to_pkcs8_pem().to_string()
            }
            fn sk_to_sec1_der(sk: &Self::SigningKey) -> Vec<u8> {
                sk.to_sec1_der().to_vec()
            }
            fn sk_to_sec1_pem(sk: &Self::SigningKey) -> String {
                sk.to_sec1_pem().to_string()
            }

            fn sign(sk: &Self::SigningKey, msg: &[u8]) -> Self::Signature {
                sk.sign(msg)
            }
            fn sign_with_rng(
                sk: &Self::SigningKey,
                rng: &mut TestRng,
                msg: &[u8],
            ) -> Self::Signature {
                sk.sign_with_rng(rng, msg)
            }
            fn sign_prehash(
                sk: &Self::SigningKey,
                digest: &[u8],
            ) -> Result<Self::Signature, Error> {
                sk.sign_prehash(digest)
            }
            fn sign_prehash_rfc6979(
                sk: &Self::SigningKey,
                hash: Hash,
                digest: &[u8],
            ) -> Result<Self::Signature, Error> {
                match hash {
                    Hash::Sha1 => hazmat::sign_prehash_rfc6979::<$curve, sha1::Sha1>(sk, digest),
                    Hash::Sha224 => {
                        hazmat::sign_prehash_rfc6979::<$curve, sha2::Sha224>(sk, digest)
                    }
                    Hash::Sha256 => {
                        hazmat::sign_prehash_rfc6979::<$curve, sha2::Sha256>(sk, digest)
                    }
                    Hash::Sha384 => {
                        hazmat::sign_prehash_rfc6979::<$curve, sha2::Sha384>(sk, digest)
                    }
                    Hash::Sha512 => {
                        hazmat::sign_prehash_rfc6979::<$curve, sha2::Sha512>(sk, digest)
                    }
                }
            }
            fn sign_prehash_with_nonce(
                sk: &Self::SigningKey,
                k: &[u8],
                digest: &[u8],
            ) -> Result<Self::Signature, Error> {
                hazmat::sign_prehash_with_nonce::<$curve>(sk, digest, k)
            }

            fn mul(
                k: &[u8],
                point: &Self::VerifyingKey,
            ) -> Result<Self::VerifyingKey, Error> {
                hazmat::mul::<$curve>(k, point)
            }

            fn vk_from_sec1(bytes: &[u8]) -> Result<Self::VerifyingKey, Error> {
                $m::VerifyingKey::from_sec1_bytes(bytes)
            }
            fn vk_to_sec1(vk: &Self::VerifyingKey, compressed: bool) -> Vec<u8> {
                bytes_of(vk.to_sec1_bytes(compressed))
            }
            fn vk_from_spki_der(der: &[u8]) -> Result<Self::VerifyingKey, Error> {
                $m::VerifyingKey::from_public_key_der(der)
            }
            fn vk_from_spki_pem(pem: &str) -> Result<Self::VerifyingKey, Error> {
                $m::VerifyingKey::from_public_key_pem(pem)
            }
            fn vk_to_spki_der(vk: &Self::VerifyingKey) -> Vec<u8> {
                vk.to_public_key_der().to_vec()
            }
            fn vk_to_spki_pem(vk: &Self::VerifyingKey) -> String {
                vk.to_public_key_pem().to_string()
            }
            fn verify(
                vk: &Self::VerifyingKey,
                msg: &[u8],
                sig: &Self::Signature,
            ) -> Result<(), Error> {
                vk.verify(msg, sig)
            }
            fn verify_prehash(
                vk: &Self::VerifyingKey,
                digest: &[u8],
                sig: &Self::Signature,
            ) -> Result<(), Error> {
                vk.verify_prehash(digest, sig)
            }

            fn sig_from_der(der: &[u8]) -> Result<Self::Signature, Error> {
                $m::Signature::from_der(der)
            }
            fn sig_to_der(sig: &Self::Signature) -> Vec<u8> {
                bytes_of(sig.to_der())
            }
            fn sig_from_slice(bytes: &[u8]) -> Result<Self::Signature, Error> {
                $m::Signature::from_slice(bytes)
            }
            fn sig_to_bytes(sig: &Self::Signature) -> Vec<u8> {
                bytes_of(sig.to_bytes())
            }
            fn sig_normalize_s(sig: &Self::Signature) -> Self::Signature {
                sig.normalize_s()
            }
            fn sig_is_high_s(sig: &Self::Signature) -> bool {
                sig.is_high_s()
            }
        }
    };
}

impl_curve!(
    P256,
    p256,
    tsubaki::ec::NistP256,
    Hash::Sha256,
    "P-256",
    "secp256r1",
    32,
    Nid::X9_62_PRIME256V1,
    "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
    "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"
);

impl_curve!(
    P384,
    p384,
    tsubaki::ec::NistP384,
    Hash::Sha384,
    "P-384",
    "secp384r1",
    48,
    Nid::SECP384R1,
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF",
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973"
);

// --- byte and number helpers -------------------------------------------------------------

/// `bytes` as a big-endian number `width` bytes long: zeros added on the left, or leading
/// zero bytes removed. Panics if the number needs more than `width` bytes.
pub fn pad(bytes: &[u8], width: usize) -> Vec<u8> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let digits = &bytes[start..];
    assert!(
        digits.len() <= width,
        "{} does not fit in {width} bytes",
        super::to_hex(bytes)
    );
    let mut out = vec![0; width - digits.len()];
    out.extend_from_slice(digits);
    out
}

/// Unpadded big-endian hex (CAVP and ring write odd digit counts) as bytes.
pub fn hex_number(s: &str) -> Vec<u8> {
    if s.len() % 2 == 1 {
        super::hex(&format!("0{s}"))
    } else {
        super::hex(s)
    }
}

/// The uncompressed SEC 1 encoding `04 ‖ x ‖ y` of coordinates given as numbers.
pub fn uncompressed<C: Curve>(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut out = vec![4];
    out.extend(pad(x, C::BYTES));
    out.extend(pad(y, C::BYTES));
    out
}

/// A big-endian number as an OpenSSL `BIGNUM`.
pub fn bn(bytes: &[u8]) -> BigNum {
    BigNum::from_slice(bytes).expect("BN_bin2bn")
}

/// A hex constant as a `BIGNUM`.
pub fn bn_hex(s: &str) -> BigNum {
    BigNum::from_hex_str(s).expect("BN_hex2bn")
}

/// A `BIGNUM` as `width` big-endian bytes.
pub fn bn_bytes(n: &BigNum, width: usize) -> Vec<u8> {
    n.to_vec_padded(width as i32).expect("BN_bn2binpad")
}

/// The group order n as bytes.
pub fn order<C: Curve>() -> Vec<u8> {
    super::hex(C::N)
}

/// The field prime p as bytes.
pub fn prime<C: Curve>() -> Vec<u8> {
    super::hex(C::P)
}

/// `(a op b) mod n` helpers over `BIGNUM`.
pub struct ModN {
    n: BigNum,
    ctx: BigNumContext,
    width: usize,
}

impl ModN {
    /// Arithmetic modulo the group order of `C`.
    pub fn new<C: Curve>() -> Self {
        ModN {
            n: bn_hex(C::N),
            ctx: BigNumContext::new().expect("BN_CTX_new"),
            width: C::BYTES,
        }
    }

    /// a · b mod n.
    pub fn mul(&mut self, a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut r = BigNum::new().unwrap();
        r.mod_mul(&bn(a), &bn(b), &self.n, &mut self.ctx)
            .expect("BN_mod_mul");
        bn_bytes(&r, self.width)
    }

    /// a − b mod n.
    pub fn sub(&mut self, a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut r = BigNum::new().unwrap();
        r.mod_sub(&bn(a), &bn(b), &self.n, &mut self.ctx)
            .expect("BN_mod_sub");
        bn_bytes(&r, self.width)
    }

    /// n − a (for 0 < a < n).
    pub fn neg(&mut self, a: &[u8]) -> Vec<u8> {
        self.sub(&[0], a)
    }

    /// a + k·n for a small k, as a number that may be wider than n.
    pub fn plus_multiple_of_n(&self, a: &[u8], k: u32) -> Vec<u8> {
        let mut kn = BigNum::new().unwrap();
        let mut ctx = BigNumContext::new().unwrap();
        kn.checked_mul(&BigNum::from_u32(k).unwrap(), &self.n, &mut ctx)
            .unwrap();
        let mut r = BigNum::new().unwrap();
        r.checked_add(&bn(a), &kn).unwrap();
        r.to_vec()
    }

    /// True if s > (n − 1)/2 (the "high" half).
    pub fn is_high(&self, s: &[u8]) -> bool {
        let mut half = BigNum::new().unwrap();
        half.rshift1(&self.n).expect("BN_rshift1");
        bn(s) > half
    }
}

/// Halves of a fixed-length signature: (r, s).
pub fn split_sig(bytes: &[u8]) -> (&[u8], &[u8]) {
    bytes.split_at(bytes.len() / 2)
}

// --- a reproducible RNG ------------------------------------------------------------------

/// A deterministic RNG for tests: SHA-256 in counter mode over a seed. Not for keys that
/// matter; here so that a failing random test fails the same way on the next run.
#[derive(Clone, Debug)]
pub struct TestRng {
    seed: [u8; 8],
    counter: u64,
    buf: [u8; 32],
    used: usize,
}

impl TestRng {
    /// The stream for `seed`.
    pub fn new(seed: u64) -> Self {
        TestRng {
            seed: seed.to_le_bytes(),
            counter: 0,
            buf: [0; 32],
            used: 32,
        }
    }

    /// `n` bytes of the stream.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0; n];
        self.fill(&mut out);
        out
    }

    /// A number in `0..bound` (slightly biased; fine for picking lengths).
    pub fn below(&mut self, bound: usize) -> usize {
        let mut b = [0; 8];
        self.fill(&mut b);
        (u64::from_le_bytes(b) % bound as u64) as usize
    }

    fn fill(&mut self, dst: &mut [u8]) {
        for byte in dst {
            if self.used == self.buf.len() {
                let mut h = sha2::Sha256::new();
                h.update(b"tsubaki ecdsa tests");
                h.update(self.seed);
                h.update(self.counter.to_le_bytes());
                self.buf.copy_from_slice(&h.finalize());
                self.counter += 1;
                self.used = 0;
            }
            *byte = self.buf[self.used];
            self.used += 1;
        }
    }
}

impl TryRng for TestRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.fill(dst);
        Ok(())
    }
}

impl TryCryptoRng for TestRng {}

// --- counting and collecting failures -----------------------------------------------------

/// Counts the vectors of one file and collects the failures, so that a run reports every
/// failing vector, not just the first; [`Tally::finish`] prints the counts, asserts there
/// were no failures and returns the counts for the caller to assert.
#[derive(Debug, Default)]
pub struct Tally {
    /// What is being counted (a file name, usually).
    pub name: String,
    /// Vectors run.
    pub tested: usize,
    /// Vectors expected to pass (verify, decode, ...).
    pub valid: usize,
    /// Vectors expected to be rejected.
    pub invalid: usize,
    /// Of the rejected ones, how many were rejected while parsing (vs. at verification).
    pub rejected_at_parse: usize,
    failures: Vec<String>,
}

impl Tally {
    /// An empty tally for `name`.
    pub fn new(name: &str) -> Self {
        Tally {
            name: name.to_owned(),
            ..Tally::default()
        }
    }

    /// Counts one vector whose expected outcome is `valid`.
    pub fn count(&mut self, valid: bool) {
        self.tested += 1;
        if valid {
            self.valid += 1;
        } else {
            self.invalid += 1;
        }
    }

    /// Records a failure (the message should name the vector).
    pub fn fail(&mut self, msg: impl Into<String>) {
        self.failures.push(msg.into());
    }

    /// Records a failure unless `ok`.
    pub fn check(&mut self, ok: bool, msg: impl FnOnce() -> String) {
        if !ok {
            self.fail(msg());
        }
    }

    /// Prints the counts, fails with every collected failure if there were any, and returns
    /// `(tested, valid, invalid)`.
    pub fn finish(self) -> (usize, usize, usize) {
        println!(
            "{}: {} tested, {} valid, {} invalid ({} rejected at parse)",
            self.name, self.tested, self.valid, self.invalid, self.rejected_at_parse
        );
        if !self.failures.is_empty() {
            let mut msg = format!("{}: {} failures\n", self.name, self.failures.len());
            for f in &self.failures {
                let _ = writeln!(msg, "- {f}");
            }
            panic!("{msg}");
        }
        (self.tested, self.valid, self.invalid)
    }
}
