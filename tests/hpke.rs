//! HPKE through the public API: round trips on every suite and mode, and every bad input
//! the issue lists — off-curve, identity, wrong-length and other-curve keys and
//! encapsulated keys, a flipped byte anywhere in `enc` or the ciphertext, truncation and
//! extension, a wrong recipient or sender key, a wrong `info` or `aad` — each a typed
//! error with no plaintext, and nothing panics. Keys come from `Keypair::derive` on fixed
//! inputs (no key generation wait).

use tsubaki::Error;
use tsubaki::hpke::{self, Aead, Kdf, Kem, Keypair, Psk, Suite};

const SUITES: [Suite; 4] = [
    Suite::P256_SHA256_CAMELLIA128_GCM,
    Suite::P384_SHA384_CAMELLIA256_GCM,
    Suite::P256_SHA256_EXPORT_ONLY,
    Suite::P384_SHA384_EXPORT_ONLY,
];
const AEAD_SUITES: [Suite; 2] = [
    Suite::P256_SHA256_CAMELLIA128_GCM,
    Suite::P384_SHA384_CAMELLIA256_GCM,
];

fn key(suite: Suite, tag: &str) -> Keypair {
    Keypair::derive(suite, tag.as_bytes()).unwrap()
}

/// A deterministic RNG for the tests (tsubaki's API takes any rand_core 0.10 CryptoRng).
fn rng() -> rand_chacha::ChaCha8Rng {
    use rand_chacha::rand_core::SeedableRng;
    rand_chacha::ChaCha8Rng::seed_from_u64(9180)
}

#[test]
fn api_shape_of_the_issue() {
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let mut rng = rng();
    let team = Keypair::generate(suite, &mut rng);
    let pk: Vec<u8> = team.public_key_bytes();
    assert_eq!(pk.len(), 65);
    assert_eq!(pk[0], 4);
    let (enc, ct): (Vec<u8>, Vec<u8>) =
        hpke::seal(suite, &mut rng, &pk, b"info", b"aad", b"incident 4711").unwrap();
    let pt: Vec<u8> = hpke::open(suite, &team, &enc, b"info", b"aad", &ct).unwrap();
    assert_eq!(pt, b"incident 4711");
    let ctx: hpke::Context = hpke::setup_receiver(suite, &team, &enc, b"info").unwrap();
    let secret: Vec<u8> = ctx.export(b"ctx", 42).unwrap();
    assert_eq!(secret.len(), 42);
    let derived: Result<Keypair, Error> = Keypair::derive(suite, &[7u8; 32]);
    assert_eq!(
        derived.unwrap().public_key_bytes(),
        Keypair::derive(suite, &[7u8; 32])
            .unwrap()
            .public_key_bytes()
    );
    assert_eq!(
        Suite::P384_SHA384_CAMELLIA256_GCM.ids(),
        (0x0011, 0x0002, 0xFF02)
    );
    assert_eq!(
        Suite::P256_SHA256_EXPORT_ONLY.ids(),
        (0x0010, 0x0001, 0xFFFF)
    );
}

#[test]
fn suites_from_ids() {
    for s in SUITES {
        let (k, f, a) = s.ids();
        assert_eq!(Suite::from_ids(k, f, a), Ok(s));
    }
    assert_eq!(
        Suite::from_ids(0x0010, 0x0001, 0x0001),
        Err(Error::UnsupportedAlgorithm),
        "AES-128-GCM is not offered"
    );
    assert_eq!(
        Suite::from_ids(0x0020, 0x0001, 0xFFFF),
        Err(Error::UnsupportedAlgorithm)
    );
    assert_eq!(
        Suite::from_ids(0x0010, 0x0009, 0xFFFF),
        Err(Error::UnsupportedAlgorithm)
    );
    let any = Suite::new(Kem::P256HkdfSha256, Kdf::HkdfSha512, Aead::Camellia256Gcm);
    assert_eq!(Suite::from_ids(0x0010, 0x0003, 0xFF02), Ok(any));
}

#[test]
fn keys_serialize_and_derive_deterministically() {
    for suite in SUITES {
        let k = key(suite, "recipient");
        let again = Keypair::from_private_key_bytes(suite, &k.private_key_bytes()).unwrap();
        assert_eq!(again.public_key_bytes(), k.public_key_bytes());
        assert_eq!(k.public_key_bytes().len(), suite.kem().public_key_len());
        assert_eq!(k.private_key_bytes().len(), suite.kem().private_key_len());
        // Debug never shows the private key.
        let dbg = format!("{k:?}");
        let sk: String = k
            .private_key_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(!dbg.contains(&sk), "{dbg}");
        // Bad private keys.
        let n = suite.kem().private_key_len();
        assert_eq!(
            Keypair::from_private_key_bytes(suite, &vec![0u8; n]).err(),
            Some(Error::InvalidSecretKey)
        );
        assert_eq!(
            Keypair::from_private_key_bytes(suite, &vec![0xffu8; n]).err(),
            Some(Error::InvalidSecretKey),
            "above the order"
        );
        assert_eq!(
            Keypair::from_private_key_bytes(suite, &vec![1u8; n + 1]).err(),
            Some(Error::InvalidLength)
        );
    }
}

#[test]
fn round_trip_every_suite_and_mode() {
    let mut rng = rng();
    let psk = Psk {
        key: &[0x42; 32],
        id: b"psk-1",
    };
    for suite in SUITES {
        let r = key(suite, "r");
        let s = key(suite, "s");
        let pk_r = r.public_key_bytes();
        let pk_s = s.public_key_bytes();
        type SetupS<'a> = Box<
            dyn Fn(
                    &mut rand_chacha::ChaCha8Rng,
                ) -> Result<(Vec<u8>, hpke::Context<hpke::Sender>), Error>
                + 'a,
        >;
        type SetupR<'a> = Box<dyn Fn(&[u8]) -> Result<hpke::Context, Error> + 'a>;
        let pairs: Vec<(&str, SetupS, SetupR)> = vec![
            (
                "base",
                Box::new(|g| hpke::setup_sender(suite, g, &pk_r, b"i")),
                Box::new(|e| hpke::setup_receiver(suite, &r, e, b"i")),
            ),
            (
                "psk",
                Box::new(|g| hpke::setup_sender_psk(suite, g, &pk_r, b"i", psk)),
                Box::new(|e| hpke::setup_receiver_psk(suite, &r, e, b"i", psk)),
            ),
            (
                "auth",
                Box::new(|g| hpke::setup_sender_auth(suite, g, &pk_r, b"i", &s)),
                Box::new(|e| hpke::setup_receiver_auth(suite, &r, e, b"i", &pk_s)),
            ),
            (
                "auth_psk",
                Box::new(|g| hpke::setup_sender_auth_psk(suite, g, &pk_r, b"i", psk, &s)),
                Box::new(|e| hpke::setup_receiver_auth_psk(suite, &r, e, b"i", psk, &pk_s)),
            ),
        ];
        for (name, ss, rr) in &pairs {
            let (enc, mut sctx) = ss(&mut rng).unwrap();
            let mut rctx = rr(&enc).unwrap();
            assert_eq!(
                sctx.export(b"e", 64).unwrap(),
                rctx.export(b"e", 64).unwrap(),
                "{suite:?} {name}"
            );
            if suite.aead() == Aead::ExportOnly {
                assert_eq!(sctx.seal(b"", b"x"), Err(Error::UnsupportedAlgorithm));
                assert_eq!(rctx.open(b"", &[0; 17]), Err(Error::UnsupportedAlgorithm));
                continue;
            }
            for i in 0..5u8 {
                let m = vec![i; 100 * i as usize];
                let ct = sctx.seal(&[i], &m).unwrap();
                assert_eq!(rctx.open(&[i], &ct).unwrap(), m, "{suite:?} {name} {i}");
            }
            // Detached in-place forms share the sequence.
            let mut buf = *b"in place";
            let tag = sctx.seal_in_place_detached(b"a", &mut buf).unwrap();
            assert_ne!(&buf, b"in place");
            rctx.open_in_place_detached(b"a", &mut buf, &tag).unwrap();
            assert_eq!(&buf, b"in place");
            assert_eq!(rctx.sequence_number(), 6);
        }
    }
}

/// Public keys that are not points of the curve, or not in HPKE's form.
fn bad_public_keys(kem: Kem, good: &[u8]) -> Vec<(&'static str, Vec<u8>, Error)> {
    let n = kem.private_key_len();
    let mut off_curve = good.to_vec();
    *off_curve.last_mut().unwrap() ^= 1;
    let mut x_too_big = vec![0x04];
    x_too_big.extend(vec![0xff; 2 * n]);
    let mut zeros = vec![0x04];
    zeros.extend(vec![0; 2 * n]);
    let mut compressed = vec![0x02 | (good[2 * n] & 1)];
    compressed.extend_from_slice(&good[1..1 + n]);
    let mut hybrid = good.to_vec();
    hybrid[0] = 0x06 | (good[2 * n] & 1);
    let other_len = if n == 32 { 97 } else { 65 };
    let mut other_curve = vec![0x04];
    other_curve.extend(vec![0x11; other_len - 1]);
    vec![
        ("off curve", off_curve, Error::InvalidPublicKey),
        ("coordinates >= p", x_too_big, Error::InvalidPublicKey),
        ("(0, 0)", zeros, Error::InvalidPublicKey),
        ("identity", vec![0x00], Error::InvalidEncoding),
        ("empty", vec![], Error::InvalidEncoding),
        ("compressed", compressed, Error::InvalidEncoding),
        ("hybrid", hybrid, Error::InvalidEncoding),
        (
            "one short",
            good[..good.len() - 1].to_vec(),
            Error::InvalidEncoding,
        ),
        ("one long", [good, &[0]].concat(), Error::InvalidEncoding),
        ("other curve's length", other_curve, Error::InvalidEncoding),
    ]
}

#[test]
fn bad_recipient_keys_are_refused_before_sealing() {
    let mut rng = rng();
    for suite in SUITES {
        let good = key(suite, "r").public_key_bytes();
        for (what, pk, err) in bad_public_keys(suite.kem(), &good) {
            assert_eq!(
                hpke::seal(suite, &mut rng, &pk, b"", b"", b"m").err(),
                Some(err),
                "{suite:?}: {what}"
            );
            assert_eq!(
                hpke::setup_sender(suite, &mut rng, &pk, b"").err(),
                Some(err),
                "{suite:?}: {what}"
            );
        }
    }
}

#[test]
fn bad_encapsulated_keys_and_sender_keys_are_refused() {
    let mut rng = rng();
    for suite in SUITES {
        let r = key(suite, "r");
        let s = key(suite, "s");
        let (enc, _) = hpke::setup_sender(suite, &mut rng, &r.public_key_bytes(), b"").unwrap();
        for (what, bad, err) in bad_public_keys(suite.kem(), &enc) {
            assert_eq!(
                hpke::setup_receiver(suite, &r, &bad, b"").err(),
                Some(err),
                "{suite:?}: enc {what}"
            );
            assert_eq!(
                hpke::setup_receiver_auth(suite, &r, &enc, b"", &bad).err(),
                Some(err),
                "{suite:?}: pkS {what}"
            );
            assert_eq!(
                hpke::setup_sender_auth(suite, &mut rng, &bad, b"", &s).err(),
                Some(err),
                "{suite:?}: pkR {what} (auth)"
            );
        }
    }
}

#[test]
fn keys_of_the_other_kem_are_a_key_mismatch() {
    let mut rng = rng();
    let p256 = Suite::P256_SHA256_CAMELLIA128_GCM;
    let p384 = Suite::P384_SHA384_CAMELLIA256_GCM;
    let r256 = key(p256, "r");
    let r384 = key(p384, "r");
    let (enc, _) = hpke::setup_sender(p256, &mut rng, &r256.public_key_bytes(), b"").unwrap();
    assert_eq!(
        hpke::setup_receiver(p256, &r384, &enc, b"").err(),
        Some(Error::KeyMismatch)
    );
    assert_eq!(
        hpke::setup_sender_auth(p256, &mut rng, &r256.public_key_bytes(), b"", &r384).err(),
        Some(Error::KeyMismatch)
    );
    // A P-384 encapsulated key offered to a P-256 recipient.
    let (enc384, _) = hpke::setup_sender(p384, &mut rng, &r384.public_key_bytes(), b"").unwrap();
    assert_eq!(
        hpke::setup_receiver(p256, &r256, &enc384, b"").err(),
        Some(Error::InvalidEncoding)
    );
    // A P-384 public key for a P-256 suite.
    assert_eq!(
        hpke::seal(p256, &mut rng, &r384.public_key_bytes(), b"", b"", b"").err(),
        Some(Error::InvalidEncoding)
    );
}

#[test]
fn every_flipped_byte_fails_without_plaintext() {
    let mut rng = rng();
    for suite in AEAD_SUITES {
        let r = key(suite, "r");
        let (enc, ct) = hpke::seal(
            suite,
            &mut rng,
            &r.public_key_bytes(),
            b"info",
            b"aad",
            b"0123456789abcdef!",
        )
        .unwrap();
        assert_eq!(ct.len(), 17 + 16);
        for i in 0..enc.len() {
            for bit in [0x01u8, 0x80] {
                let mut e = enc.clone();
                e[i] ^= bit;
                let got = hpke::open(suite, &r, &e, b"info", b"aad", &ct);
                assert!(
                    matches!(
                        got,
                        Err(Error::InvalidEncoding
                            | Error::InvalidPublicKey
                            | Error::AuthenticationFailed)
                    ),
                    "{suite:?}: enc byte {i} bit {bit:#x}: {got:?}"
                );
            }
        }
        for i in 0..ct.len() {
            for bit in [0x01u8, 0x80] {
                let mut c = ct.clone();
                c[i] ^= bit;
                assert_eq!(
                    hpke::open(suite, &r, &enc, b"info", b"aad", &c),
                    Err(Error::AuthenticationFailed),
                    "{suite:?}: ct byte {i} bit {bit:#x}"
                );
            }
        }
        // Truncation and extension.
        for cut in [1, 16, ct.len() - 16, ct.len()] {
            let got = hpke::open(suite, &r, &enc, b"info", b"aad", &ct[..ct.len() - cut]);
            assert!(
                matches!(got, Err(Error::AuthenticationFailed | Error::InvalidLength)),
                "{suite:?}: cut {cut}: {got:?}"
            );
        }
        let longer = [&ct[..], &[0]].concat();
        assert_eq!(
            hpke::open(suite, &r, &enc, b"info", b"aad", &longer),
            Err(Error::AuthenticationFailed)
        );
        // Wrong info, aad, recipient.
        assert_eq!(
            hpke::open(suite, &r, &enc, b"infO", b"aad", &ct),
            Err(Error::AuthenticationFailed)
        );
        assert_eq!(
            hpke::open(suite, &r, &enc, b"info", b"", &ct),
            Err(Error::AuthenticationFailed)
        );
        assert_eq!(
            hpke::open(suite, &key(suite, "not r"), &enc, b"info", b"aad", &ct),
            Err(Error::AuthenticationFailed)
        );
        // The untouched message still opens.
        assert_eq!(
            hpke::open(suite, &r, &enc, b"info", b"aad", &ct).unwrap(),
            b"0123456789abcdef!"
        );
    }
}

#[test]
fn auth_mode_refuses_another_sender() {
    let mut rng = rng();
    for suite in AEAD_SUITES {
        let r = key(suite, "r");
        let s = key(suite, "org A");
        let mallory = key(suite, "org B");
        let (enc, ct) = hpke::seal_auth(
            suite,
            &mut rng,
            &r.public_key_bytes(),
            &s,
            b"",
            b"",
            b"share 3",
        )
        .unwrap();
        assert_eq!(
            hpke::open_auth(suite, &r, &s.public_key_bytes(), &enc, b"", b"", &ct).unwrap(),
            b"share 3"
        );
        assert_eq!(
            hpke::open_auth(suite, &r, &mallory.public_key_bytes(), &enc, b"", b"", &ct),
            Err(Error::AuthenticationFailed)
        );
        assert_eq!(
            hpke::open(suite, &r, &enc, b"", b"", &ct),
            Err(Error::AuthenticationFailed),
            "an auth message does not open in base mode"
        );
    }
}

#[test]
fn a_failed_open_leaves_the_sequence_alone() {
    let mut rng = rng();
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let r = key(suite, "r");
    let (enc, mut s) = hpke::setup_sender(suite, &mut rng, &r.public_key_bytes(), b"").unwrap();
    let mut rc = hpke::setup_receiver(suite, &r, &enc, b"").unwrap();
    let c0 = s.seal(b"", b"zero").unwrap();
    let c1 = s.seal(b"", b"one").unwrap();
    assert_eq!(
        rc.open(b"", &c1),
        Err(Error::AuthenticationFailed),
        "out of order"
    );
    assert_eq!(rc.sequence_number(), 0);
    let mut bad = c0.clone();
    bad[0] ^= 1;
    assert_eq!(rc.open(b"", &bad), Err(Error::AuthenticationFailed));
    let mut tag = [0u8; 16];
    tag.copy_from_slice(&bad[bad.len() - 16..]);
    let mut body = bad[..bad.len() - 16].to_vec();
    assert_eq!(
        rc.open_in_place_detached(b"", &mut body, &tag),
        Err(Error::AuthenticationFailed)
    );
    assert!(body.iter().all(|&b| b == 0), "buffer wiped on failure");
    assert_eq!(rc.open(b"", &c0).unwrap(), b"zero");
    assert_eq!(rc.open(b"", &c1).unwrap(), b"one");
    assert_eq!(
        rc.open(b"", &c1),
        Err(Error::AuthenticationFailed),
        "replay"
    );
}

#[test]
fn export_lengths_and_psk_rules() {
    let mut rng = rng();
    for suite in SUITES {
        let r = key(suite, "r");
        let (enc, s) = hpke::setup_sender(suite, &mut rng, &r.public_key_bytes(), b"").unwrap();
        let nh = suite.kdf().hash_len();
        assert_eq!(s.export(b"", 255 * nh).unwrap().len(), 255 * nh);
        assert_eq!(s.export(b"", 255 * nh + 1), Err(Error::InvalidLength));
        assert_eq!(s.export(b"", 0).unwrap(), Vec::<u8>::new());
        let short = Psk {
            key: &[1; 31],
            id: b"id",
        };
        assert_eq!(
            hpke::setup_receiver_psk(suite, &r, &enc, b"", short).err(),
            Some(Error::InvalidLength)
        );
        let no_id = Psk {
            key: &[1; 32],
            id: b"",
        };
        assert_eq!(
            hpke::setup_sender_psk(suite, &mut rng, &r.public_key_bytes(), b"", no_id).err(),
            Some(Error::InvalidLength)
        );
    }
}

#[test]
fn debug_output_holds_no_secret() {
    let mut rng = rng();
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let r = key(suite, "r");
    let (_, s) = hpke::setup_sender(suite, &mut rng, &r.public_key_bytes(), b"").unwrap();
    let d = format!("{s:?}");
    assert!(
        d.contains("seq") && !d.contains("key:") && !d.contains("nonce"),
        "{d}"
    );
    let p = Psk {
        key: b"0123456789abcdef0123456789abcdef",
        id: b"x",
    };
    assert!(!format!("{p:?}").contains("0123456789"));
}
