//! Wire formats for Paillier keys and ciphertexts: a compact versioned binary form and,
//! with the `serde` feature, `Serialize`/`Deserialize` built on it.
//!
//! # Binary form (version 1)
//! Every encoding starts with the same four bytes: `b'T'`, `b'P'`, the version (1) and a
//! kind byte; all lengths are big-endian `u16`, all integers big-endian without leading
//! zero bytes (keys) or at their fixed length (ciphertexts).
//!
//! | kind | contents after the header |
//! |---|---|
//! | 1, public key | len(n) ‖ n |
//! | 2, secret key | len(p) ‖ p ‖ len(q) ‖ q |
//! | 3, ciphertext | key id (32 bytes) ‖ len(c) ‖ c, c of exactly `ciphertext_len()` bytes |
//! | 4, packed ciphertext | key id ‖ slots (u32) ‖ max value (u64) ‖ contributors (u64) ‖ contributions (u64) ‖ len(c) ‖ c |
//!
//! The key id ([`PublicKey::key_id`]) travels with every ciphertext, so a ciphertext opened
//! with another key is refused with [`Error::KeyMismatch`] before any arithmetic. Parsing
//! never panics: a wrong magic, kind, length or trailing byte is [`Error::InvalidEncoding`],
//! an unknown version [`Error::UnsupportedVersion`], and the numbers are then validated by
//! the key and ciphertext constructors ([`PublicKey::from_modulus`],
//! [`SecretKey::from_primes`], [`Ciphertext::from_bytes`]).
//!
//! # serde
//! [`PublicKey`], [`SecretKey`], [`Ciphertext`], [`KeyedCiphertext`] and
//! [`PackedCiphertext`] serialize as their binary form: a lowercase hex string for
//! human-readable formats (JSON), bytes for binary ones. A ciphertext can only be checked
//! (c < n², gcd(c, n) = 1) against its key, which a deserializer does not have: deserialize
//! a [`KeyedCiphertext`] (same form) and [`open`](KeyedCiphertext::open) it with the key,
//! or use the seeds [`CiphertextSeed`] and [`PackedSeed`], which take the key.
//!
//! Secret keys are written to and read from [`Zeroizing`] buffers here and their hex is
//! computed without tables or branches on the digits; what a serializer does with the
//! string it is handed (serde_json copies it into its output) is outside this crate.

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::encoding::{PackedCiphertext, PackedLayout};
use super::{Ciphertext, PublicKey, SecretKey};
use crate::Error;

/// The first two bytes of every encoding.
const MAGIC: [u8; 2] = *b"TP";
/// The version this build writes and reads.
pub const VERSION: u8 = 1;

const KIND_PUBLIC_KEY: u8 = 1;
const KIND_SECRET_KEY: u8 = 2;
const KIND_CIPHERTEXT: u8 = 3;
const KIND_PACKED: u8 = 4;

fn header(kind: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.push(kind);
}

/// Appends len(x) ‖ x; lengths are bounded by the key sizes the core accepts (far below
/// 65 535 bytes).
fn push_field(out: &mut Vec<u8>, x: &[u8]) {
    debug_assert!(x.len() <= usize::from(u16::MAX));
    out.extend_from_slice(&(x.len() as u16).to_be_bytes());
    out.extend_from_slice(x);
}

fn strip_leading_zeros(x: &[u8]) -> &[u8] {
    let first = x.iter().position(|&b| b != 0).unwrap_or(x.len());
    &x[first..]
}

/// A cursor over an encoding that refuses to read past the end.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Checks magic, version and kind.
    fn new(input: &'a [u8], kind: u8) -> Result<Self, Error> {
        let [m0, m1, version, k, rest @ ..] = input else {
            return Err(Error::InvalidEncoding);
        };
        if [*m0, *m1] != MAGIC {
            return Err(Error::InvalidEncoding);
        }
        if *version != VERSION {
            return Err(Error::UnsupportedVersion);
        }
        if *k != kind {
            return Err(Error::InvalidEncoding);
        }
        Ok(Self { rest })
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.rest.len() < n {
            return Err(Error::InvalidEncoding);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn field(&mut self) -> Result<&'a [u8], Error> {
        let len = u16::from_be_bytes(self.array()?);
        self.take(usize::from(len))
    }

    /// A key integer: non-empty, no leading zero byte (one encoding per number).
    fn integer(&mut self) -> Result<&'a [u8], Error> {
        let x = self.field()?;
        match x.first() {
            Some(&b) if b != 0 => Ok(x),
            _ => Err(Error::InvalidEncoding),
        }
    }

    fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidEncoding)
        }
    }
}

/// The binary form of a public key.
pub fn public_key_to_bytes(pk: &PublicKey) -> Vec<u8> {
    let n = pk.modulus_be();
    let mut out = Vec::with_capacity(6 + n.len());
    header(KIND_PUBLIC_KEY, &mut out);
    push_field(&mut out, strip_leading_zeros(&n));
    out
}

/// Parses and validates the binary form of a public key.
pub fn public_key_from_bytes(input: &[u8]) -> Result<PublicKey, Error> {
    let mut r = Reader::new(input, KIND_PUBLIC_KEY)?;
    let n = r.integer()?;
    r.finish()?;
    PublicKey::from_modulus(n)
}

/// The binary form of a secret key (its primes), in a buffer wiped on drop.
pub fn secret_key_to_bytes(sk: &SecretKey) -> Zeroizing<Vec<u8>> {
    let (p, q) = sk.primes_be();
    // The primes' lengths are public (half the modulus), so stripping by position is fine:
    // `primes_be` returns them at their own length already, this only normalises.
    let (p, q) = (strip_leading_zeros(&p), strip_leading_zeros(&q));
    let mut out = Zeroizing::new(Vec::with_capacity(8 + p.len() + q.len()));
    header(KIND_SECRET_KEY, &mut out);
    push_field(&mut out, p);
    push_field(&mut out, q);
    out
}

/// Parses the binary form of a secret key and rebuilds it from its primes (which
/// [`SecretKey::from_primes`] validates).
pub fn secret_key_from_bytes(input: &[u8]) -> Result<SecretKey, Error> {
    let mut r = Reader::new(input, KIND_SECRET_KEY)?;
    let p = r.integer()?;
    let q = r.integer()?;
    r.finish()?;
    SecretKey::from_primes(p, q)
}

/// A ciphertext with the id of the key it was made under: the form in which ciphertexts
/// travel. Its bytes are only checked structurally until [`open`](Self::open)ed with a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyedCiphertext {
    key_id: [u8; 32],
    bytes: Vec<u8>,
}

impl KeyedCiphertext {
    /// Wraps `c` with the id of its key.
    pub fn new(c: &Ciphertext) -> Self {
        Self {
            key_id: c.key_id(),
            bytes: c.to_bytes(),
        }
    }

    /// The id of the key the ciphertext claims to be under.
    pub fn key_id(&self) -> [u8; 32] {
        self.key_id
    }

    /// The ciphertext under `pk`: [`Error::KeyMismatch`] if it was made under another key,
    /// otherwise as [`Ciphertext::from_bytes`] (length, range and unit checks).
    pub fn open(&self, pk: &PublicKey) -> Result<Ciphertext, Error> {
        if self.key_id != pk.key_id() {
            return Err(Error::KeyMismatch);
        }
        Ciphertext::from_bytes(pk, &self.bytes)
    }

    /// The binary form (kind 3).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(38 + self.bytes.len());
        header(KIND_CIPHERTEXT, &mut out);
        out.extend_from_slice(&self.key_id);
        push_field(&mut out, &self.bytes);
        out
    }

    /// Parses the binary form (structure only; see [`open`](Self::open)).
    pub fn from_bytes(input: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(input, KIND_CIPHERTEXT)?;
        let key_id = r.array()?;
        let bytes = r.field()?.to_vec();
        r.finish()?;
        if bytes.is_empty() {
            return Err(Error::InvalidEncoding);
        }
        Ok(Self { key_id, bytes })
    }
}

/// The binary form of a ciphertext, its key id included.
pub fn ciphertext_to_bytes(c: &Ciphertext) -> Vec<u8> {
    KeyedCiphertext::new(c).to_bytes()
}

/// Parses a ciphertext and opens it with `pk` ([`Error::KeyMismatch`] for another key's).
pub fn ciphertext_from_bytes(pk: &PublicKey, input: &[u8]) -> Result<Ciphertext, Error> {
    KeyedCiphertext::from_bytes(input)?.open(pk)
}

/// The binary form of a packed ciphertext: its layout, contribution count and ciphertext.
pub fn packed_to_bytes(c: &PackedCiphertext) -> Vec<u8> {
    let l = c.layout();
    let ct = c.ciphertext().to_bytes();
    let mut out = Vec::with_capacity(68 + ct.len());
    header(KIND_PACKED, &mut out);
    out.extend_from_slice(&l.key_id());
    // `slots` is at most bitlen(n) − 1, far below 2³² for any key.
    out.extend_from_slice(&(l.slots() as u32).to_be_bytes());
    out.extend_from_slice(&l.max_value().to_be_bytes());
    out.extend_from_slice(&l.contributors().to_be_bytes());
    out.extend_from_slice(&c.contributions().to_be_bytes());
    push_field(&mut out, &ct);
    out
}

/// Parses a packed ciphertext under `pk`: the layout is rebuilt and checked against the key
/// ([`PackedLayout::new`]), the count against the layout, the ciphertext against the key.
pub fn packed_from_bytes(pk: &PublicKey, input: &[u8]) -> Result<PackedCiphertext, Error> {
    let mut r = Reader::new(input, KIND_PACKED)?;
    let key_id: [u8; 32] = r.array()?;
    let slots = u32::from_be_bytes(r.array()?);
    let max_value = u64::from_be_bytes(r.array()?);
    let contributors = u64::from_be_bytes(r.array()?);
    let contributions = u64::from_be_bytes(r.array()?);
    let ct = r.field()?;
    r.finish()?;
    if key_id != pk.key_id() {
        return Err(Error::KeyMismatch);
    }
    let slots = usize::try_from(slots).map_err(|_| Error::InvalidEncoding)?;
    let layout = PackedLayout::new(pk, slots, max_value, contributors)?;
    let c = Ciphertext::from_bytes(pk, ct)?;
    PackedCiphertext::from_parts(layout, pk, c, contributions)
}

// ---------------------------------------------------------------------------------------
// Hex, constant time (secret keys go through it).
// ---------------------------------------------------------------------------------------

/// The lowercase hex digit of a nibble, without a table or a branch.
#[cfg(any(feature = "serde", test))]
#[inline(always)]
fn hex_digit(n: u8) -> u8 {
    let n = i16::from(n & 0xf);
    // 9 − n is negative iff n ≥ 10; then add the distance from '0'+10 to 'a'.
    let alpha = core::hint::black_box((9 - n) >> 15);
    (n + i16::from(b'0') + (alpha & (i16::from(b'a') - i16::from(b'0') - 10))) as u8
}

/// The value of a hex digit (either case), or −1, without a table or a branch.
#[cfg(any(feature = "serde", test))]
#[inline(always)]
fn hex_value(c: u8) -> i16 {
    let c = i16::from(c);
    let in_range = |lo: u8, hi: u8| -> i16 {
        let (lo, hi) = (i16::from(lo), i16::from(hi));
        core::hint::black_box(((lo - 1 - c) & (c - hi - 1)) >> 15)
    };
    let mut v: i16 = -1;
    v += in_range(b'0', b'9') & (c - i16::from(b'0') + 1);
    v += in_range(b'a', b'f') & (c - i16::from(b'a') + 11);
    v += in_range(b'A', b'F') & (c - i16::from(b'A') + 11);
    v
}

/// Lowercase hex of `bytes`.
#[cfg(any(feature = "serde", test))]
pub(crate) fn hex_encode(bytes: &[u8]) -> Zeroizing<alloc::string::String> {
    let mut s = Zeroizing::new(alloc::string::String::with_capacity(2 * bytes.len()));
    for &b in bytes {
        s.push(char::from(hex_digit(b >> 4)));
        s.push(char::from(hex_digit(b)));
    }
    s
}

/// Bytes of a hex string (either case, even length); [`Error::InvalidEncoding`] otherwise.
/// Validity is accumulated and checked once at the end.
#[cfg(any(feature = "serde", test))]
pub(crate) fn hex_decode(s: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    if !s.len().is_multiple_of(2) {
        return Err(Error::InvalidEncoding);
    }
    let mut out = Zeroizing::new(Vec::with_capacity(s.len() / 2));
    let mut bad = 0i16;
    for pair in s.chunks_exact(2) {
        let (hi, lo) = (hex_value(pair[0]), hex_value(pair[1]));
        bad |= hi | lo;
        out.push(((hi << 4) | (lo & 0xf)) as u8);
    }
    if crate::encoding::make_public(bad) < 0 {
        return Err(Error::InvalidEncoding);
    }
    Ok(out)
}

#[cfg(feature = "serde")]
mod serde_impls {
    //! `Serialize`/`Deserialize` through the binary form: hex strings for human-readable
    //! formats, bytes for the others. Deserialization accepts either shape.

    use alloc::vec::Vec;
    use core::fmt;

    use serde::de::{self, Deserializer, SeqAccess, Visitor};
    use serde::ser::Serializer;
    use serde::{Deserialize, Serialize};
    use zeroize::Zeroizing;

    use super::*;

    pub(crate) fn serialize_bytes<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&hex_encode(bytes))
        } else {
            s.serialize_bytes(bytes)
        }
    }

    /// Collects the binary form from a hex string, a byte string or a sequence of bytes.
    struct BytesVisitor(&'static str);

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Zeroizing<Vec<u8>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a tsubaki {} (hex string or bytes)", self.0)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            hex_decode(v.as_bytes()).map_err(E::custom)
        }

        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            Ok(Zeroizing::new(v.to_vec()))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out =
                Zeroizing::new(Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096)));
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(out)
        }
    }

    pub(crate) fn deserialize_bytes<'de, D: Deserializer<'de>>(
        d: D,
        what: &'static str,
    ) -> Result<Zeroizing<Vec<u8>>, D::Error> {
        if d.is_human_readable() {
            d.deserialize_str(BytesVisitor(what))
        } else {
            d.deserialize_bytes(BytesVisitor(what))
        }
    }

    impl Serialize for PublicKey {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&public_key_to_bytes(self), s)
        }
    }

    impl<'de> Deserialize<'de> for PublicKey {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let b = deserialize_bytes(d, "Paillier public key")?;
            public_key_from_bytes(&b).map_err(de::Error::custom)
        }
    }

    impl Serialize for SecretKey {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&secret_key_to_bytes(self), s)
        }
    }

    impl<'de> Deserialize<'de> for SecretKey {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let b = deserialize_bytes(d, "Paillier secret key")?;
            secret_key_from_bytes(&b).map_err(de::Error::custom)
        }
    }

    impl Serialize for Ciphertext {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&ciphertext_to_bytes(self), s)
        }
    }

    /// Deserializes a ciphertext under a given public key ([`Error::KeyMismatch`] for
    /// another key's): `CiphertextSeed(&pk).deserialize(deserializer)`.
    #[derive(Clone, Copy, Debug)]
    pub struct CiphertextSeed<'a>(pub &'a PublicKey);

    impl<'de> de::DeserializeSeed<'de> for CiphertextSeed<'_> {
        type Value = Ciphertext;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            let b = deserialize_bytes(d, "Paillier ciphertext")?;
            ciphertext_from_bytes(self.0, &b).map_err(de::Error::custom)
        }
    }

    impl Serialize for KeyedCiphertext {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&self.to_bytes(), s)
        }
    }

    impl<'de> Deserialize<'de> for KeyedCiphertext {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let b = deserialize_bytes(d, "Paillier ciphertext")?;
            KeyedCiphertext::from_bytes(&b).map_err(de::Error::custom)
        }
    }

    impl Serialize for PackedCiphertext {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_bytes(&packed_to_bytes(self), s)
        }
    }

    /// Deserializes a packed ciphertext for a given public key (the layout and the
    /// ciphertext are checked against it): `PackedSeed(&pk).deserialize(deserializer)`.
    #[derive(Clone, Copy, Debug)]
    pub struct PackedSeed<'a>(pub &'a PublicKey);

    impl<'de> de::DeserializeSeed<'de> for PackedSeed<'_> {
        type Value = PackedCiphertext;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            let b = deserialize_bytes(d, "packed Paillier ciphertext")?;
            packed_from_bytes(self.0, &b).map_err(de::Error::custom)
        }
    }
}

#[cfg(feature = "serde")]
pub use serde_impls::{CiphertextSeed, PackedSeed};
#[cfg(feature = "serde")]
pub(crate) use serde_impls::{deserialize_bytes, serialize_bytes};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects() {
        let all: Vec<u8> = (0..=255).collect();
        let h = hex_encode(&all);
        assert_eq!(&h[..8], "00010203");
        assert_eq!(&h[h.len() - 4..], "feff");
        assert_eq!(&hex_decode(h.as_bytes()).unwrap()[..], &all[..]);
        assert_eq!(&hex_decode(b"ABcd").unwrap()[..], &[0xab, 0xcd]);
        for bad in [&b"abc"[..], b"0g", b"g0", b"/0", b":0", b"@0", b"G0", b"`0"] {
            assert_eq!(hex_decode(bad).unwrap_err(), Error::InvalidEncoding);
        }
    }

    #[test]
    fn reader_checks_header_and_lengths() {
        assert_eq!(Reader::new(b"TP", 1).err(), Some(Error::InvalidEncoding));
        assert_eq!(
            Reader::new(b"TQ\x01\x01", 1).err(),
            Some(Error::InvalidEncoding)
        );
        assert_eq!(
            Reader::new(b"TP\x02\x01", 1).err(),
            Some(Error::UnsupportedVersion)
        );
        assert_eq!(
            Reader::new(b"TP\x01\x02", 1).err(),
            Some(Error::InvalidEncoding)
        );
        let mut r = Reader::new(b"TP\x01\x01\x00\x02\x01", 1).unwrap();
        assert_eq!(r.integer().err(), Some(Error::InvalidEncoding));
        let mut r = Reader::new(b"TP\x01\x01\x00\x01\x00", 1).unwrap();
        assert_eq!(r.integer().err(), Some(Error::InvalidEncoding));
        let mut r = Reader::new(b"TP\x01\x01\x00\x01\x07\x00", 1).unwrap();
        assert_eq!(r.integer().unwrap(), &[7]);
        assert_eq!(r.finish().err(), Some(Error::InvalidEncoding));
    }
}
