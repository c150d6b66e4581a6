//! The fuzz corpora on stable: every file under `fuzz/corpus/<target>/` goes through the
//! body of that target (`fuzz/src/bodies.rs`, the same code the libFuzzer targets run), so
//! CI keeps replaying every input that once mattered. A body panics on a broken property
//! (a round trip that changes a value, a disagreement with OpenSSL or `num-bigint`); a
//! typed error is the expected answer. Each crash fuzzing found is a named test below
//! replaying its input from `fuzz/regressions/` (so far only the harness's own oracle
//! errors: no input crashed the library). See `FUZZING.md`.
//!
//! The corpora were seeded by `generate_seeds` (ignored: it deals a threshold key, creates
//! the fixed round `fuzz/fixtures/round.bin`, and writes valid encodings of every kind):
//! `cargo test --features serde --test fuzz_corpus -- --ignored generate_seeds`.

#![cfg(feature = "std")]

#[path = "../fuzz/src/bodies.rs"]
#[allow(dead_code)]
mod bodies;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn body(name: &str) -> bodies::Body {
    bodies::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no fuzz body {name}"))
        .1
}

/// Runs every file of `dir` through `body`; the names of the files whose run panicked.
fn replay_dir(body: bodies::Body, dir: &Path) -> (usize, Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    let mut failed = Vec::new();
    for path in &entries {
        let data = std::fs::read(path).unwrap();
        if catch_unwind(AssertUnwindSafe(|| body(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    (entries.len(), failed)
}

#[test]
fn every_target_has_a_corpus_and_replays_it() {
    let mut failed = Vec::new();
    for (name, body) in bodies::TARGETS {
        let dir = fuzz_dir().join("corpus").join(name);
        let (count, f) = replay_dir(*body, &dir);
        assert!(count > 0, "empty corpus for {name}");
        failed.extend(f);
    }
    assert!(failed.is_empty(), "fuzz bodies panicked on: {failed:#?}");
}

#[test]
fn every_target_has_a_libfuzzer_binary() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (name, _) in bodies::TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz/Cargo.toml has no [[bin]] {name}"
        );
        let src = std::fs::read_to_string(fuzz_dir().join(format!("fuzz_targets/{name}.rs")))
            .unwrap_or_else(|e| panic!("fuzz_targets/{name}.rs: {e}"));
        assert!(src.contains(&format!("bodies::{name}(data)")));
    }
}

/// The framing reader: fields clamp to what is left, short input reads as zeros.
#[test]
fn input_framing_round_trips() {
    let data = bodies::frame(7, &[b"ab", b"", b"xyz"]);
    let mut i = bodies::Input::new(&data);
    assert_eq!(i.byte(), 7);
    assert_eq!(i.field(), b"ab");
    assert_eq!(i.field(), b"");
    assert_eq!(i.rest(), b"xyz");
    let mut i = bodies::Input::new(&[1, 0xff, 0xff, 9]);
    assert_eq!(i.byte(), 1);
    assert_eq!(i.field(), &[9]);
    assert_eq!(i.fixed::<2>(), [0, 0]);
    assert_eq!(i.byte(), 0);
}

// ---------------------------------------------------------------------------------------
// Regressions: one test per crash fuzzing found (inputs in fuzz/regressions/<target>/).
// ---------------------------------------------------------------------------------------

fn regression(target: &str, file: &str) -> Vec<u8> {
    let data = std::fs::read(fuzz_dir().join("regressions").join(target).join(file)).unwrap();
    body(target)(&data);
    data
}

/// The first campaign's `pkcs8` failure: a P-384 `OneAsymmetricKey` (RFC 5958, version 1)
/// that the library accepts, as documented, and writes back as `PrivateKeyInfo` version 0.
/// The body had demanded a byte-identical re-encoding; it now demands the same scalar.
#[test]
fn regression_pkcs8_v2_key_reencodes_as_v1() {
    use tsubaki::ec::p384;
    let der = regression("pkcs8", "oneasymmetrickey-v2-p384");
    let key = p384::SigningKey::from_pkcs8_der(&der).unwrap();
    let v1 = key.to_pkcs8_der();
    assert_ne!(v1, der);
    assert_eq!(v1[..6], [0x30, 0x81, 0xb6, 0x02, 0x01, 0x00]);
    assert_eq!(der[..6], [0x30, 0x81, 0xb6, 0x02, 0x01, 0x01]);
}

/// The first campaign's `pem_base64` failure: `"ADQIBAX_"` decodes to 00 34 08 04 05 ff,
/// and `base64url_to_int` drops the leading zero byte (python-paillier's `base64_to_int`),
/// so encoding it back gives another string for the same integer.
#[test]
fn regression_base64url_leading_zero_is_dropped() {
    use tsubaki::paillier::phe;
    let data = regression("pem_base64", "base64url-leading-zero");
    assert_eq!(&data[1..], b"ADQIBAX_");
    let x = phe::base64url_to_int("ADQIBAX_").unwrap();
    assert_eq!(*x, [0x34, 0x08, 0x04, 0x05, 0xff]);
    assert_eq!(*phe::int_to_base64url(&x), "NAgEBf8");
}

// ---------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------

#[test]
#[ignore = "writes fuzz/fixtures/round.bin and seeds into fuzz/corpus/ (run once, by hand)"]
fn generate_seeds() {
    seeds::generate();
}

mod seeds {
    use tsubaki::OsRng;
    use tsubaki::camellia::Camellia128;
    use tsubaki::camellia::aead::{CamelliaCcm, CamelliaGcm};
    use tsubaki::camellia::modes::Cbc;
    use tsubaki::ec::{p256, p384};
    use tsubaki::hpke;
    use tsubaki::paillier::encoding::PackedLayout;
    use tsubaki::paillier::format;
    use tsubaki::paillier::phe;
    use tsubaki::paillier::threshold;
    use tsubaki::shamir;
    use tsubaki::stats::{
        Aggregator, Contribution, EngineParams, MemoryJournal, Metric, MetricKind,
        PartialDecryption, Party, Round, Schema, Value, Values,
    };

    use super::bodies::{self, frame};

    fn write(target: &str, name: &str, data: &[u8]) {
        let dir = super::fuzz_dir().join("corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("seed-{name}")), data).unwrap();
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn safe_primes() -> (Vec<u8>, Vec<u8>) {
        let text = include_str!("../vectors/stats/safe_primes_2048.txt");
        let mut it = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        (
            hex(it.next().unwrap().trim()),
            hex(it.next().unwrap().trim()),
        )
    }

    pub fn generate() {
        let rng = &mut OsRng;
        ec_seeds();
        paillier_seeds();
        threshold_and_stats_seeds(rng);
        symmetric_seeds(rng);
        differential_seeds();
    }

    fn ec_seeds() {
        let k256 = p256::SigningKey::from_slice(&[0x11; 32]).unwrap();
        let k384 = p384::SigningKey::from_slice(&[0x22; 48]).unwrap();
        write(
            "pem_base64",
            "pkcs8-p256",
            &[&[0u8][..], k256.to_pkcs8_pem().as_bytes()].concat(),
        );
        write(
            "pem_base64",
            "sec1-p384",
            &[&[1u8][..], k384.to_sec1_pem().as_bytes()].concat(),
        );
        let spki = k256.verifying_key().to_public_key_pem();
        write(
            "pem_base64",
            "spki-p256",
            &[&[2u8][..], spki.as_bytes()].concat(),
        );
        let spki = k384.verifying_key().to_public_key_pem();
        write(
            "pem_base64",
            "spki-p384",
            &[&[3u8][..], spki.as_bytes()].concat(),
        );
        let b64 = phe::int_to_base64url(&[1, 2, 3, 4, 5, 0xff]);
        write(
            "pem_base64",
            "base64url",
            &[&[5u8][..], b64.as_bytes()].concat(),
        );
        write("pem_base64", "decimal", b"\x0712345678901234567890");

        write("pkcs8", "p256", &k256.to_pkcs8_der());
        write("pkcs8", "p384", &k384.to_pkcs8_der());
        write("sec1_der", "p256", &k256.to_sec1_der());
        write("sec1_der", "p384", &k384.to_sec1_der());
        write("spki", "p256", &k256.verifying_key().to_public_key_der());
        write("spki", "p384", &k384.verifying_key().to_public_key_der());
        let s256 = k256.sign(b"seed");
        let s384 = k384.sign(b"seed");
        write("signature", "der-p256", &s256.to_der());
        write("signature", "der-p384", &s384.to_der());
        write("signature", "raw-p256", s256.to_bytes().as_ref());
        write("signature", "raw-p384", s384.to_bytes().as_ref());
        for c in [false, true] {
            let v = k256.verifying_key().to_sec1_bytes(c);
            write("sec1_point", &format!("p256-{c}"), &v);
            let v = k384.verifying_key().to_sec1_bytes(c);
            write("sec1_point", &format!("p384-{c}"), &v);
        }
    }

    fn paillier_seeds() {
        let rng = &mut OsRng;
        let sk = bodies::paillier_key();
        let pk = bodies::paillier_pk();
        let c = pk.encrypt_i64(rng, 42);
        write(
            "paillier_binary",
            "public-key",
            &frame(0, &[&format::public_key_to_bytes(pk)]),
        );
        let keyed = format::KeyedCiphertext::new(&c);
        write("paillier_binary", "keyed", &frame(1, &[&keyed.to_bytes()]));
        write(
            "paillier_binary",
            "ciphertext",
            &frame(2, &[&format::ciphertext_to_bytes(&c)]),
        );
        let layout = PackedLayout::new(pk, 4, 1000, 10).unwrap();
        let packed = layout.encrypt(pk, rng, &[1, 2, 3, 4]).unwrap();
        write(
            "paillier_binary",
            "packed",
            &frame(3, &[&format::packed_to_bytes(&packed)]),
        );
        write("paillier_ciphertext", "c42", &c.to_bytes());

        let jwk = phe::PhePrivateJwk::from_secret_key(sk, Some("seed"));
        let (p, q) = (
            phe::base64url_to_int(&jwk.p).unwrap(),
            phe::base64url_to_int(&jwk.q).unwrap(),
        );
        write("paillier_secret_import", "primes", &frame(0, &[&p, &q]));
        write(
            "paillier_secret_import",
            "binary",
            &frame(1, &[&format::secret_key_to_bytes(sk)]),
        );
        #[cfg(feature = "serde")]
        {
            write(
                "paillier_json",
                "public-key",
                &frame(0, &[&serde_json::to_vec(pk).unwrap()]),
            );
            write(
                "paillier_json",
                "keyed",
                &frame(1, &[&serde_json::to_vec(&keyed).unwrap()]),
            );
            write(
                "paillier_json",
                "ciphertext",
                &frame(2, &[&serde_json::to_vec(&c).unwrap()]),
            );
            write(
                "paillier_json",
                "packed",
                &frame(2, &[&serde_json::to_vec(&packed).unwrap()]),
            );
            let pub_jwk = phe::PhePublicJwk::from_public_key(pk, Some("seed"));
            write(
                "paillier_json",
                "phe-public",
                &frame(3, &[&serde_json::to_vec(&pub_jwk).unwrap()]),
            );
            let pc = phe::PheCiphertext::from_ciphertext(&c, phe::PheScale::Integer).unwrap();
            write(
                "paillier_json",
                "phe-ciphertext",
                &frame(4, &[&serde_json::to_vec(&pc).unwrap()]),
            );
            write(
                "paillier_secret_import",
                "json",
                &frame(2, &[&serde_json::to_vec(sk).unwrap()]),
            );
            write(
                "paillier_secret_import",
                "phe-private",
                &frame(3, &[&serde_json::to_vec(&jwk).unwrap()]),
            );
        }
    }

    fn schema() -> Schema {
        Schema::new(vec![
            Metric {
                name: "incidents".into(),
                kind: MetricKind::Sum { max: 1000 },
            },
            Metric {
                name: "hours".into(),
                kind: MetricKind::Variance { max: 100 },
            },
            Metric {
                name: "seen".into(),
                kind: MetricKind::Count,
            },
        ])
        .unwrap()
    }

    fn threshold_and_stats_seeds(rng: &mut OsRng) {
        let (p, q) = safe_primes();
        let (tpk, shares) = threshold::deal(rng, &p, &q, 2, 3).unwrap();
        let c = tpk.public_key().encrypt_i64(rng, 7);
        let ds = shares[0].decrypt_share(rng, &c).unwrap();
        write("threshold", "public-key", &frame(0, &[&tpk.to_bytes()]));
        write(
            "threshold",
            "key-share",
            &frame(1, &[&shares[0].to_bytes()]),
        );
        write(
            "threshold",
            "decryption-share",
            &frame(2, &[&ds.to_bytes()]),
        );
        #[cfg(feature = "serde")]
        {
            write(
                "threshold",
                "public-key-json",
                &frame(3, &[&serde_json::to_vec(&tpk).unwrap()]),
            );
            write(
                "threshold",
                "key-share-json",
                &frame(4, &[&serde_json::to_vec(&shares[0]).unwrap()]),
            );
            write(
                "threshold",
                "decryption-share-json",
                &frame(5, &[&serde_json::to_vec(&ds).unwrap()]),
            );
        }

        // Shamir shares (GF(2^8), prime fields) and Feldman commitments.
        let s = shamir::gf256::split(rng, b"a secret of some bytes", 2, 3).unwrap();
        write("shamir_share", "gf256", &frame(0, &[&s[0].to_bytes()]));
        let g = shamir::prime::split::<shamir::Goldilocks, _>(
            rng,
            &shamir::Goldilocks::new(12345),
            3,
            5,
        )
        .unwrap();
        write("shamir_share", "goldilocks", &frame(0, &[&g[1].to_bytes()]));
        let secret = shamir::P256Scalar::from_be_bytes(&[3u8; 32]).unwrap();
        let (fs, comm) = shamir::feldman::split(rng, &secret, 2, 3).unwrap();
        write("shamir_share", "p256", &frame(0, &[&fs[2].to_bytes()]));
        write("shamir_share", "feldman", &frame(1, &[&comm.to_bytes()]));

        // The fixed round and its messages.
        let key = |i: u8| p256::SigningKey::from_slice(&[i; 32]).unwrap();
        let orgs: Vec<_> = (1..=5u8).map(|i| (format!("org-{i}"), key(i))).collect();
        let members: Vec<_> = (11..=13u8).map(|i| (format!("m{i}"), key(i))).collect();
        let coordinator = key(99);
        let party = |(id, k): &(String, p256::SigningKey)| Party {
            id: id.clone(),
            public_key: k.verifying_key(),
        };
        let round = Round::create(
            rng,
            "fuzz fixture",
            schema(),
            EngineParams::Paillier(tpk),
            orgs.iter().map(party).collect(),
            members.iter().map(party).collect(),
            3,
            &coordinator,
        )
        .unwrap();
        let round_bytes = round.to_bytes();
        std::fs::write(super::fuzz_dir().join("fixtures/round.bin"), &round_bytes).unwrap();
        write("stats_binary", "round", &frame(0, &[&round_bytes]));

        let values = |i: u64| -> Values {
            let mut v = Values::new();
            let _ = v.insert("incidents".into(), Value::Int(100 + i));
            let _ = v.insert("hours".into(), Value::Int(10 * i));
            let _ = v.insert("seen".into(), Value::Bool(i % 2 == 1));
            v
        };
        let contributions: Vec<Contribution> = orgs
            .iter()
            .enumerate()
            .map(|(i, (id, k))| {
                let slots = round.schema().encode(&values(i as u64)).unwrap();
                Contribution::create(rng, &round, id, k, &slots).unwrap()
            })
            .collect();
        let mut agg = Aggregator::new(&round);
        for c in &contributions {
            agg.add(c).unwrap();
        }
        let aggregate = agg.finish().unwrap();
        let mut journal = MemoryJournal::default();
        let partial = PartialDecryption::create(
            rng,
            &round,
            &members[0].0,
            &members[0].1,
            &shares[0],
            &aggregate,
            &contributions,
            &mut journal,
        )
        .unwrap();
        write(
            "stats_binary",
            "contribution",
            &frame(1, &[&contributions[0].to_bytes(&round)]),
        );
        write(
            "stats_binary",
            "aggregate",
            &frame(2, &[&aggregate.to_bytes(&round)]),
        );
        write(
            "stats_binary",
            "partial",
            &frame(3, &[&partial.to_bytes(&round)]),
        );
        #[cfg(feature = "serde")]
        {
            let orgs: Vec<String> = aggregate.orgs();
            write(
                "stats_json",
                "round",
                &frame(0, &[&serde_json::to_vec(&round).unwrap()]),
            );
            write(
                "stats_json",
                "contribution",
                &frame(
                    1,
                    &[&serde_json::to_vec(&contributions[0].to_json()).unwrap()],
                ),
            );
            write(
                "stats_json",
                "aggregate",
                &frame(2, &[&serde_json::to_vec(&aggregate.to_json()).unwrap()]),
            );
            write(
                "stats_json",
                "partial",
                &frame(3, &[&serde_json::to_vec(&partial.to_json(orgs)).unwrap()]),
            );
            write(
                "cli_json",
                "schema",
                &frame(0, &[&serde_json::to_vec(&schema()).unwrap()]),
            );
            write(
                "cli_json",
                "values",
                &frame(1, &[&serde_json::to_vec(&values(3)).unwrap()]),
            );
            let roster = serde_json::json!({ "contributors": orgs_json(&orgs_keys()) });
            write(
                "cli_json",
                "roster",
                &frame(2, &[roster.to_string().as_bytes()]),
            );
        }
    }

    #[cfg(feature = "serde")]
    fn orgs_keys() -> Vec<(String, String)> {
        (1..=2u8)
            .map(|i| {
                let k = p256::SigningKey::from_slice(&[i; 32]).unwrap();
                (format!("org-{i}"), k.verifying_key().to_public_key_pem())
            })
            .collect()
    }

    #[cfg(feature = "serde")]
    fn orgs_json(list: &[(String, String)]) -> serde_json::Value {
        serde_json::Value::Array(
            list.iter()
                .map(|(id, pem)| serde_json::json!({ "id": id, "public_key": pem }))
                .collect(),
        )
    }

    fn symmetric_seeds(rng: &mut OsRng) {
        // HPKE: base and auth mode messages for both suites, a sealed file, a header.
        for (w, (suite, recipient)) in bodies::hpke_recipients().iter().enumerate() {
            let pk = recipient.public_key_bytes();
            let (enc, ct) = hpke::seal(*suite, rng, &pk, b"info", b"aad", b"hello").unwrap();
            let sel = w as u8;
            write(
                "hpke_open",
                &format!("base-{w}"),
                &frame(sel, &[&enc, b"info", b"aad", &ct]),
            );
            let sender = &bodies::hpke_senders()[w];
            let (enc, ct) =
                hpke::seal_auth(*suite, rng, &pk, sender, b"info", b"aad", b"hello").unwrap();
            write(
                "hpke_open",
                &format!("auth-{w}"),
                &frame(sel | 2, &[&enc, b"info", b"aad", &ct]),
            );
            let file =
                hpke::file::seal_to_vec(*suite, rng, &pk, None, b"info", b"file body").unwrap();
            write(
                "hpke_open",
                &format!("file-{w}"),
                &frame(sel | 4, &[b"info", &file]),
            );
            write(
                "hpke_open",
                &format!("header-{w}"),
                &frame(sel | 6, &[&file]),
            );
        }

        // GCM and CCM under the body's fixed key 0x42…, 16-byte key (selector 0 and 3).
        let key = [0x42u8; 16];
        let gcm = CamelliaGcm::new(&key).unwrap();
        let nonce = [9u8; 12];
        let sealed = gcm.seal(&nonce, b"aad", b"gcm plaintext");
        let mut d = vec![0u8, 16];
        d.extend_from_slice(&nonce);
        d.extend_from_slice(&frame(0, &[b"aad", &sealed])[1..]);
        write("aead_open", "gcm", &d);
        let ccm = CamelliaCcm::new(&key, 13, 16).unwrap();
        let sealed = ccm.seal(&[5u8; 13], b"aad", b"ccm plaintext").unwrap();
        let mut d = vec![3u8, 13, 16];
        d.extend_from_slice(&frame(0, &[&[5u8; 13], b"aad", &sealed])[1..]);
        write("aead_open", "ccm", &d);
        let sealer = tsubaki::camellia::aead::stream::StreamSealer::new(&key, rng).unwrap();
        let header = sealer.header();
        write("aead_open", "stream-header", &frame(6, &[&header]));

        // Key wrap, CBC with padding (the body's key 7…).
        let wrapped = tsubaki::camellia::mac::wrap(&[1u8; 16], &[2u8; 32]).unwrap();
        write(
            "key_unwrap",
            "wrap",
            &frame(0, &[&[1u8; 16], &wrapped])[1..],
        );
        let iv = [3u8; 16];
        let ct = Cbc::new(Camellia128::new(&[7u8; 16]), &iv).encrypt_padded_vec(b"cbc message");
        write("cbc_unpad", "cbc", &[&iv[..], &ct].concat());
    }

    fn differential_seeds() {
        for (n, len) in [(0u8, 16usize), (1, 48), (2, 33 * 16), (0, 520 * 16 + 7)] {
            let mut d = vec![n];
            d.extend((0..(16 + 16 + 2 + len)).map(|i| (i * 31 + 7) as u8));
            write("camellia_diff", &format!("k{n}-{len}"), &d);
        }
        for (sel, key, digest) in [
            (2u8 | 8, vec![0x11u8; 32], vec![0xabu8; 32]),
            (3 | 8, vec![0x22u8; 48], vec![0xcdu8; 48]),
            (2 | 4 | 8, vec![0x33u8; 32], vec![0x01u8; 64]),
        ] {
            let mut d = frame(sel, &[&key, &digest, &[0xff, 0xff]]);
            write("ecdsa_openssl", &format!("valid-{sel}"), &d);
            let n = d.len();
            d[n - 2] = 5;
            d[n - 1] = 0;
            write("ecdsa_openssl", &format!("flipped-{sel}"), &d);
        }
        let k = p256::SigningKey::from_slice(&[0x44; 32]).unwrap();
        let point = k.verifying_key().to_sec1_bytes(false);
        let sig = k.sign_prehash(&[7u8; 32]).unwrap();
        write(
            "ecdsa_openssl",
            "raw-point",
            &frame(
                0,
                &[
                    &point,
                    &[7u8; 32],
                    &[&[0xff, 0xff], sig.to_bytes().as_ref()].concat(),
                ],
            ),
        );

        let m = hex("f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        for sel in 0..6u8 {
            let d = frame(
                sel,
                &[&m, &hex("0102030405060708090a0b0c0d0e0f"), &[0x10, 0x01]],
            );
            write("bigint_diff", &format!("op{sel}"), &d);
        }
        write(
            "bigint_diff",
            "small",
            &frame(3, &[&[0x65], &[0x07], &[0x11]]),
        );
    }
}
