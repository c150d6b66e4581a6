//! Paillier encodings and formats on real keys: signed and fixed-point values, packed
//! vectors up to their declared number of contributors, the versioned binary form (every
//! truncation, random bytes and mutations: typed errors, no panic), key mixing, serde.
//!
//! Keys are the fixed test keys of `vectors/paillier/` (no key generation here).

#![cfg(feature = "std")]

use proptest::prelude::*;
use serde_json::Value;
use tsubaki::Error;
use tsubaki::OsRng;
use tsubaki::paillier::encoding::{
    FixedPoint, PackedCiphertext, PackedLayout, decrypt_i128, encode_i128, encrypt_i128,
    packed_capacity, slot_bits_for,
};
use tsubaki::paillier::format::{
    self, KeyedCiphertext, ciphertext_from_bytes, ciphertext_to_bytes, packed_from_bytes,
    packed_to_bytes, public_key_from_bytes, public_key_to_bytes, secret_key_from_bytes,
    secret_key_to_bytes,
};
use tsubaki::paillier::phe::{PhePrivateJwk, PhePublicJwk};
use tsubaki::paillier::{Ciphertext, PublicKey, SecretKey};

fn key(bits: usize) -> SecretKey {
    let path = format!(
        "{}/vectors/paillier/phe_{bits}_private.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let s = |x: &Value| x.as_str().unwrap().to_owned();
    let ops = |x: &Value| x.as_array().unwrap().iter().map(s).collect::<Vec<_>>();
    PhePrivateJwk {
        kty: s(&v["kty"]),
        key_ops: ops(&v["key_ops"]),
        p: s(&v["p"]),
        q: s(&v["q"]),
        public: PhePublicJwk {
            kty: s(&v["pub"]["kty"]),
            alg: s(&v["pub"]["alg"]),
            key_ops: ops(&v["pub"]["key_ops"]),
            n: s(&v["pub"]["n"]),
            kid: None,
        },
        kid: None,
    }
    .to_secret_key()
    .unwrap()
}

fn keys() -> &'static (SecretKey, PublicKey, SecretKey, PublicKey) {
    static K: std::sync::OnceLock<(SecretKey, PublicKey, SecretKey, PublicKey)> =
        std::sync::OnceLock::new();
    K.get_or_init(|| {
        let (a, b) = (key(2048), key(3072));
        let (pa, pb) = (a.public_key(), b.public_key());
        (a, pa, b, pb)
    })
}

#[test]
fn signed_and_fixed_point_values_survive_encryption_and_sums() {
    let (sk, pk, ..) = keys();
    let vals = [i128::MAX / 4, -(i128::MAX / 4), -5, 17, 0];
    let cs: Vec<Ciphertext> = vals
        .iter()
        .map(|&v| encrypt_i128(pk, &mut OsRng, v).unwrap())
        .collect();
    for (c, &v) in cs.iter().zip(&vals) {
        assert_eq!(decrypt_i128(sk, c).unwrap(), v);
    }
    let sum = cs[1..].iter().fold(cs[0].clone(), |a, c| pk.add(&a, c));
    assert_eq!(decrypt_i128(sk, &sum).unwrap(), vals.iter().sum::<i128>());
    // i64 interop with the core's own signed encoding.
    let c = pk.encrypt_i64(&mut OsRng, -42);
    assert_eq!(decrypt_i128(sk, &c).unwrap(), -42);
    assert_eq!(
        &*encode_i128(pk, -42).unwrap(),
        &*sk.decrypt_be(&c).unwrap()
    );
    // A sum that leaves the i128 range is a typed error.
    let big = encrypt_i128(pk, &mut OsRng, i128::MAX).unwrap();
    let over = pk.add(&big, &encrypt_i128(pk, &mut OsRng, 1).unwrap());
    assert_eq!(decrypt_i128(sk, &over), Err(Error::PlaintextOutOfRange));

    let fx = FixedPoint::new(24).unwrap();
    let xs = [1.5, -2.25, 1000.0078125, -0.5];
    let cs: Vec<Ciphertext> = xs
        .iter()
        .map(|&x| fx.encrypt(pk, &mut OsRng, x).unwrap())
        .collect();
    for (c, &x) in cs.iter().zip(&xs) {
        assert_eq!(fx.decrypt(sk, c).unwrap(), x);
    }
    let sum = cs[1..].iter().fold(cs[0].clone(), |a, c| pk.add(&a, c));
    assert_eq!(fx.decrypt(sk, &sum).unwrap(), xs.iter().sum::<f64>());
    assert_eq!(
        fx.encrypt(pk, &mut OsRng, f64::NAN).unwrap_err(),
        Error::PlaintextOutOfRange
    );
    assert_eq!(
        fx.encrypt(pk, &mut OsRng, 1e35).unwrap_err(),
        Error::PlaintextOutOfRange
    );
}

#[test]
fn packed_2048_holds_78_sixteen_bit_counters_for_1000_contributors_and_cannot_overflow() {
    let (sk, pk, _, other) = keys();
    assert_eq!(slot_bits_for(65_535, 1_000).unwrap(), 26);
    let slots = packed_capacity(pk.bits(), 65_535, 1_000).unwrap();
    assert_eq!(slots, 78);
    assert!(slots >= 64);
    let l = PackedLayout::new(pk, slots, 65_535, 1_000).unwrap();
    assert_eq!(
        PackedLayout::new(pk, slots + 1, 65_535, 1_000).unwrap_err(),
        Error::PlaintextOutOfRange
    );
    // The worst case: every contribution at the maximum in every slot. 1,000 of them are
    // built by doubling one (1, 2, 4, …, 512) and adding the binary digits of 1,000.
    let max = vec![65_535u64; slots];
    let one = l.encrypt(pk, &mut OsRng, &max).unwrap();
    let mut powers = vec![one.clone()];
    while powers.last().unwrap().contributions() < 512 {
        let p = powers.last().unwrap();
        powers.push(l.add(pk, p, p).unwrap());
    }
    let mut total: Option<PackedCiphertext> = None;
    for (i, p) in powers.iter().enumerate() {
        if 1000 >> i & 1 == 1 {
            total = Some(match total {
                None => p.clone(),
                Some(t) => l.add(pk, &t, p).unwrap(),
            });
        }
    }
    let total = total.unwrap();
    assert_eq!(total.contributions(), 1000);
    assert_eq!(l.decrypt(sk, &total).unwrap(), vec![65_535_000u64; slots]);
    // The 1,001st contribution is refused; the sum is never formed.
    assert_eq!(l.add(pk, &total, &one).unwrap_err(), Error::Overflow);
    // A value above the bound is refused on encode.
    let mut bad = max.clone();
    bad[77] = 65_536;
    assert_eq!(
        l.encrypt(pk, &mut OsRng, &bad).unwrap_err(),
        Error::Overflow
    );
    assert_eq!(
        l.encrypt(pk, &mut OsRng, &max[1..]).unwrap_err(),
        Error::InvalidLength
    );
    // Distinct values come back slot by slot.
    let a: Vec<u64> = (0..slots as u64).map(|i| i * 800).collect();
    let b: Vec<u64> = (0..slots as u64).map(|i| 65_535 - i).collect();
    let s = l
        .add(
            pk,
            &l.encrypt(pk, &mut OsRng, &a).unwrap(),
            &l.encrypt(pk, &mut OsRng, &b).unwrap(),
        )
        .unwrap();
    let want: Vec<u64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
    assert_eq!(l.decrypt(sk, &s).unwrap(), want);

    // Mixing keys and layouts.
    assert_eq!(
        l.encrypt(other, &mut OsRng, &a).unwrap_err(),
        Error::KeyMismatch
    );
    let l2 = PackedLayout::new(pk, 10, 65_535, 1_000).unwrap();
    let c2 = l2.encrypt(pk, &mut OsRng, &[1; 10]).unwrap();
    assert_eq!(l.add(pk, &one, &c2).unwrap_err(), Error::KeyMismatch);
    assert_eq!(l.decrypt(sk, &c2).unwrap_err(), Error::KeyMismatch);
    let foreign = other.encrypt_i64(&mut OsRng, 1);
    assert_eq!(
        PackedCiphertext::from_parts(l, pk, foreign, 1).unwrap_err(),
        Error::KeyMismatch
    );
    assert_eq!(
        PackedCiphertext::from_parts(l, pk, one.ciphertext().clone(), 1001).unwrap_err(),
        Error::Overflow
    );
}

#[test]
fn binary_forms_round_trip_and_carry_the_key() {
    let (sk, pk, sk3, pk3) = keys();
    let pkb = public_key_to_bytes(pk);
    assert_eq!(&pkb[..4], b"TP\x01\x01");
    assert_eq!(pkb.len(), 4 + 2 + 256);
    assert_eq!(&public_key_from_bytes(&pkb).unwrap(), pk);
    let skb = secret_key_to_bytes(sk);
    assert_eq!(secret_key_from_bytes(&skb).unwrap().public_key(), *pk);
    assert_eq!(
        secret_key_from_bytes(&secret_key_to_bytes(sk3))
            .unwrap()
            .public_key(),
        *pk3
    );

    let c = pk.encrypt_i64(&mut OsRng, 99);
    let cb = ciphertext_to_bytes(&c);
    assert_eq!(cb.len(), 4 + 32 + 2 + 512);
    assert_eq!(ciphertext_from_bytes(pk, &cb).unwrap(), c);
    assert_eq!(
        ciphertext_from_bytes(pk3, &cb).unwrap_err(),
        Error::KeyMismatch
    );
    let kc = KeyedCiphertext::from_bytes(&cb).unwrap();
    assert_eq!(kc.key_id(), pk.key_id());
    assert_eq!(kc.open(pk3).unwrap_err(), Error::KeyMismatch);

    let l = PackedLayout::new(pk, 5, 255, 10).unwrap();
    let pc = l.encrypt(pk, &mut OsRng, &[1, 2, 3, 4, 5]).unwrap();
    let pcb = packed_to_bytes(&pc);
    let back = packed_from_bytes(pk, &pcb).unwrap();
    assert_eq!(back, pc);
    assert_eq!(l.decrypt(sk, &back).unwrap(), vec![1, 2, 3, 4, 5]);
    assert_eq!(
        packed_from_bytes(pk3, &pcb).unwrap_err(),
        Error::KeyMismatch
    );

    // Versions and kinds.
    for enc in [&pkb[..], &skb[..], &cb[..], &pcb[..]] {
        let mut v = enc.to_vec();
        v[2] = 2;
        assert_eq!(
            public_key_from_bytes(&v).unwrap_err(),
            Error::UnsupportedVersion
        );
        v[2] = format::VERSION;
        v[0] = b'X';
        assert_eq!(
            public_key_from_bytes(&v).unwrap_err(),
            Error::InvalidEncoding
        );
    }
    assert_eq!(
        public_key_from_bytes(&cb).unwrap_err(),
        Error::InvalidEncoding
    );
    assert_eq!(
        ciphertext_from_bytes(pk, &pkb).unwrap_err(),
        Error::InvalidEncoding
    );
    // Trailing bytes.
    let mut long = cb.clone();
    long.push(0);
    assert_eq!(
        ciphertext_from_bytes(pk, &long).unwrap_err(),
        Error::InvalidEncoding
    );
}

#[test]
fn every_truncation_is_a_typed_error() {
    let (sk, pk, ..) = keys();
    let c = pk.encrypt_i64(&mut OsRng, 5);
    let l = PackedLayout::new(pk, 3, 9, 2).unwrap();
    let pc = l.encrypt(pk, &mut OsRng, &[1, 2, 3]).unwrap();
    let pkb = public_key_to_bytes(pk);
    let skb = secret_key_to_bytes(sk);
    let cb = ciphertext_to_bytes(&c);
    let pcb = packed_to_bytes(&pc);
    for i in 0..pkb.len() {
        assert!(
            public_key_from_bytes(&pkb[..i]).is_err(),
            "public key cut at {i}"
        );
    }
    for i in 0..skb.len() {
        assert!(
            secret_key_from_bytes(&skb[..i]).is_err(),
            "secret key cut at {i}"
        );
    }
    for i in 0..cb.len() {
        assert!(
            ciphertext_from_bytes(pk, &cb[..i]).is_err(),
            "ciphertext cut at {i}"
        );
    }
    for i in 0..pcb.len() {
        assert!(
            packed_from_bytes(pk, &pcb[..i]).is_err(),
            "packed cut at {i}"
        );
    }
}

/// One public key and one ciphertext encoding, made once for all proptest cases.
fn encodings() -> &'static [Vec<u8>; 2] {
    static E: std::sync::OnceLock<[Vec<u8>; 2]> = std::sync::OnceLock::new();
    E.get_or_init(|| {
        let (_, pk, ..) = keys();
        let c = pk.encrypt_i64(&mut OsRng, 5);
        [public_key_to_bytes(pk), ciphertext_to_bytes(&c)]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), kind in 1u8..=4) {
        let (_, pk, ..) = keys();
        let mut b = bytes;
        // Half of the inputs get a valid header so that the body parsers are reached.
        if b.len() >= 4 && b[0] & 1 == 0 {
            b[..4].copy_from_slice(&[b'T', b'P', 1, kind]);
        }
        let _ = public_key_from_bytes(&b);
        let _ = ciphertext_from_bytes(pk, &b);
        let _ = packed_from_bytes(pk, &b);
        let _ = KeyedCiphertext::from_bytes(&b);
    }

    #[test]
    fn mutated_encodings_never_panic(at in 0usize..600, xor in 1u8..=255) {
        let (_, pk, ..) = keys();
        for enc in encodings() {
            let mut m = enc.to_vec();
            let i = at % m.len();
            m[i] ^= xor;
            let _ = public_key_from_bytes(&m);
            // A flipped bit inside c may give another valid ciphertext; anywhere else
            // (header, key id, length) it must be refused.
            if ciphertext_from_bytes(pk, &m).is_ok() {
                prop_assert!(enc[3] == 3 && i >= 38);
            }
        }
    }
}

#[test]
fn secret_key_mutations_are_refused_or_make_another_key() {
    let (sk, pk, ..) = keys();
    let skb = secret_key_to_bytes(sk);
    // Header, lengths, and a few bytes of each prime.
    for i in [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
        70,
        130,
        131,
        132,
        133,
        200,
        skb.len() - 1,
    ] {
        let mut m = skb.to_vec();
        m[i] ^= 0x40;
        if let Ok(k) = secret_key_from_bytes(&m) {
            assert_ne!(k.public_key(), *pk, "byte {i}");
        }
    }
}

#[cfg(feature = "serde")]
mod serde_tests {
    use serde::de::DeserializeSeed;
    use tsubaki::paillier::format::CiphertextSeed;

    use super::*;

    #[test]
    fn json_round_trips_and_rejections() {
        let (sk, pk, _, pk3) = keys();
        let j = serde_json::to_string(pk).unwrap();
        assert!(j.starts_with("\"54500101"));
        assert_eq!(&serde_json::from_str::<PublicKey>(&j).unwrap(), pk);
        let js = serde_json::to_string(sk).unwrap();
        assert_eq!(
            serde_json::from_str::<SecretKey>(&js).unwrap().public_key(),
            *pk
        );

        let c = pk.encrypt_i64(&mut OsRng, -7);
        let jc = serde_json::to_string(&c).unwrap();
        let kc: KeyedCiphertext = serde_json::from_str(&jc).unwrap();
        assert_eq!(sk.decrypt_i64(&kc.open(pk).unwrap()).unwrap(), -7);
        assert_eq!(kc.open(pk3).unwrap_err(), Error::KeyMismatch);
        let mut de = serde_json::Deserializer::from_str(&jc);
        assert_eq!(CiphertextSeed(pk).deserialize(&mut de).unwrap(), c);
        let mut de = serde_json::Deserializer::from_str(&jc);
        assert!(CiphertextSeed(pk3).deserialize(&mut de).is_err());

        for bad in [
            "\"\"",
            "\"5450010\"",
            "\"zz\"",
            "42",
            "\"54500102\"",
            "[1,2]",
        ] {
            assert!(serde_json::from_str::<PublicKey>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<SecretKey>(bad).is_err(), "{bad}");
            assert!(
                serde_json::from_str::<KeyedCiphertext>(bad).is_err(),
                "{bad}"
            );
        }
        // A public key where a secret key is expected, and the other way round.
        assert!(serde_json::from_str::<SecretKey>(&j).is_err());
        assert!(serde_json::from_str::<PublicKey>(&js).is_err());
    }
}
