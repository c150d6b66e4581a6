//! ECDSA P-256 and P-384 against every published vector in `vectors/ecdsa/` (see its
//! README for sources, formats and counts):
//!
//! - Wycheproof verification tests, DER and IEEE P1363, with each group's public key read
//!   from SEC 1, SPKI DER and SPKI PEM;
//! - RFC 6979 A.2.5/A.2.6: all 20 deterministic signatures, bit for bit;
//! - NIST CAVP 186-3: KeyPair, PKV, SigGen (fixed nonces) and SigVer;
//! - ring's public-key validation, digest-to-scalar and k·G files.
//!
//! Every file's counts are asserted (a vector that is silently skipped fails the test) and
//! printed: run with `--nocapture` to see them. A failing vector is reported with its id
//! and fields, and all failures of a file are reported together.

mod common;

use common::ecdsa::{
    Curve, Hash, ModN, P256, P384, Tally, bn, bn_bytes, hex_number, pad, prime, split_sig,
    uncompressed,
};
use common::{TestCase, hex, parse_key_value, read_key_value, read_vector_file, to_hex};
use serde_json::Value;
use tsubaki::Error;

// --- Wycheproof ---------------------------------------------------------------------------

/// A JSON string field, or a panic naming it.
fn str_field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("no string field {name} in {v}"))
}

/// The expected counts of one Wycheproof file, from `vectors/ecdsa/README.md`.
struct Expect {
    tests: usize,
    valid: usize,
    invalid: usize,
    groups: usize,
    /// Valid signatures with s > n/2 (the README gives 71 and 89 for the two DER files
    /// with the curve's own hash; the others were counted with OpenSSL's BIGNUM here).
    high_s: usize,
}

/// Runs one Wycheproof ECDSA file: `p1363` selects `r ‖ s` signatures instead of DER.
fn wycheproof<C: Curve>(file: &'static str, p1363: bool, expect: Expect) {
    let path = format!("ecdsa/wycheproof/{file}");
    let json: Value = serde_json::from_str(&read_vector_file(&path)).expect(file);
    let want_type = if p1363 {
        "EcdsaP1363Verify"
    } else {
        "EcdsaVerify"
    };
    let groups = json["testGroups"].as_array().expect("testGroups");
    let mut tally = Tally::new(file);
    let mut high_s_valid = 0;
    let modn = ModN::new::<C>();
    for group in groups {
        assert_eq!(str_field(group, "type"), want_type, "{file}: group type");
        let key = &group["publicKey"];
        assert_eq!(str_field(key, "curve"), C::SEC_NAME, "{file}: group curve");
        let hash = Hash::from_name(str_field(group, "sha"));

        // The group's key, three ways; all must give the same point.
        let sec1 = hex(str_field(key, "uncompressed"));
        assert_eq!(
            sec1,
            uncompressed::<C>(&hex(str_field(key, "wx")), &hex(str_field(key, "wy"))),
            "{file}: uncompressed is not wx, wy"
        );
        let vk = C::vk_from_sec1(&sec1)
            .unwrap_or_else(|e| panic!("{file}: public key {}: {e:?}", to_hex(&sec1)));
        assert_eq!(C::vk_to_sec1(&vk, false), sec1, "{file}: SEC 1 round trip");
        let der = hex(str_field(group, "publicKeyDer"));
        let from_der = C::vk_from_spki_der(&der)
            .unwrap_or_else(|e| panic!("{file}: publicKeyDer {}: {e:?}", to_hex(&der)));
        assert_eq!(
            C::vk_to_sec1(&from_der, false),
            sec1,
            "{file}: publicKeyDer"
        );
        assert_eq!(
            C::vk_to_spki_der(&vk),
            der,
            "{file}: our SPKI is Wycheproof's"
        );
        let pem = str_field(group, "publicKeyPem");
        let from_pem = C::vk_from_spki_pem(pem)
            .unwrap_or_else(|e| panic!("{file}: publicKeyPem {pem}: {e:?}"));
        assert_eq!(
            C::vk_to_sec1(&from_pem, false),
            sec1,
            "{file}: publicKeyPem"
        );

        for test in group["tests"].as_array().expect("tests") {
            let id = test["tcId"].as_u64().expect("tcId");
            let valid = match str_field(test, "result") {
                "valid" => true,
                "invalid" => false,
                other => panic!("{file} tcId {id}: result {other:?} (v1 has no acceptable)"),
            };
            tally.count(valid);
            let msg = hex(str_field(test, "msg"));
            let sig_bytes = hex(str_field(test, "sig"));
            let digest = hash.digest(&msg);
            let describe = || {
                format!(
                    "tcId {id} ({}) flags {} expected {}: sig {}",
                    str_field(test, "comment"),
                    test["flags"],
                    if valid { "valid" } else { "invalid" },
                    str_field(test, "sig"),
                )
            };

            let parsed = if p1363 {
                C::sig_from_slice(&sig_bytes)
            } else {
                C::sig_from_der(&sig_bytes)
            };
            let sig = match parsed {
                Ok(sig) => sig,
                Err(e) => {
                    // Malformed (DER) or the wrong length (P1363), or r, s out of range.
                    let expected = match e {
                        Error::InvalidSignature => true,
                        Error::InvalidEncoding => !p1363,
                        Error::InvalidLength => p1363,
                        _ => false,
                    };
                    if valid || !expected {
                        tally.fail(format!("{}: rejected at parse: {e:?}", describe()));
                    } else {
                        tally.rejected_at_parse += 1;
                    }
                    continue;
                }
            };
            // An accepted encoding is the canonical one: strict DER, exact length.
            let again = if p1363 {
                C::sig_to_bytes(&sig)
            } else {
                C::sig_to_der(&sig)
            };
            tally.check(again == sig_bytes, || {
                format!(
                    "{}: parsed, but re-encodes as {}",
                    describe(),
                    to_hex(&again)
                )
            });

            let verdict = C::verify_prehash(&vk, &digest, &sig);
            match (&verdict, valid) {
                (Ok(()), true) => {
                    let fixed = C::sig_to_bytes(&sig);
                    if modn.is_high(split_sig(&fixed).1) {
                        high_s_valid += 1;
                    }
                }
                (Err(Error::InvalidSignature), false) => {}
                _ => tally.fail(format!("{}: verify_prehash gave {verdict:?}", describe())),
            }
            // `verify` hashes with the curve's own hash: same verdict when that is the
            // group's hash.
            if hash == C::HASH {
                let whole = C::verify(&vk, &msg, &sig);
                tally.check(whole == verdict, || {
                    format!("{}: verify gave {whole:?}, prehash {verdict:?}", describe())
                });
            }
            // The DER and SPKI keys must give the same verdict (same point).
            let other = C::verify_prehash(&from_der, &digest, &sig);
            tally.check(other == verdict, || {
                format!("{}: key from publicKeyDer disagrees", describe())
            });
        }
    }
    println!(
        "{file}: {} groups, {high_s_valid} valid signatures with high s",
        groups.len()
    );
    assert_eq!(
        json["numberOfTests"].as_u64(),
        Some(expect.tests as u64),
        "{file}: numberOfTests"
    );
    assert_eq!(groups.len(), expect.groups, "{file}: groups");
    let counts = tally.finish();
    assert_eq!(
        counts,
        (expect.tests, expect.valid, expect.invalid),
        "{file}: (tested, valid, invalid)"
    );
    // The README: high-S signatures are valid in Wycheproof; a low-S-only verifier fails.
    assert_eq!(
        high_s_valid, expect.high_s,
        "{file}: valid signatures with high s"
    );
}

#[test]
fn wycheproof_p256_sha256_der() {
    wycheproof::<P256>(
        "ecdsa_secp256r1_sha256_test.json",
        false,
        Expect {
            tests: 484,
            valid: 174,
            invalid: 310,
            groups: 113,
            high_s: 71,
        },
    );
}

#[test]
fn wycheproof_p256_sha256_p1363() {
    wycheproof::<P256>(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        true,
        Expect {
            tests: 262,
            valid: 173,
            invalid: 89,
            groups: 112,
            high_s: 70,
        },
    );
}

#[test]
fn wycheproof_p256_sha512_der() {
    wycheproof::<P256>(
        "ecdsa_secp256r1_sha512_test.json",
        false,
        Expect {
            tests: 554,
            valid: 243,
            invalid: 311,
            groups: 113,
            high_s: 116,
        },
    );
}

#[test]
fn wycheproof_p384_sha384_der() {
    wycheproof::<P384>(
        "ecdsa_secp384r1_sha384_test.json",
        false,
        Expect {
            tests: 504,
            valid: 194,
            invalid: 310,
            groups: 105,
            high_s: 89,
        },
    );
}

#[test]
fn wycheproof_p384_sha384_p1363() {
    wycheproof::<P384>(
        "ecdsa_secp384r1_sha384_p1363_test.json",
        true,
        Expect {
            tests: 280,
            valid: 193,
            invalid: 87,
            groups: 104,
            high_s: 88,
        },
    );
}

/// The directory holds exactly the five files above (and the schemas): a new vector file
/// must get a test.
#[test]
fn wycheproof_every_file_is_tested() {
    let dir = format!("{}/vectors/ecdsa/wycheproof", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect(&dir)
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with("_test.json"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "ecdsa_secp256r1_sha256_p1363_test.json",
            "ecdsa_secp256r1_sha256_test.json",
            "ecdsa_secp256r1_sha512_test.json",
            "ecdsa_secp384r1_sha384_p1363_test.json",
            "ecdsa_secp384r1_sha384_test.json",
        ]
    );
}

// --- RFC 6979 -----------------------------------------------------------------------------

fn rfc6979_curve<C: Curve>(entry: &Value, tally: &mut Tally) {
    let x = hex(str_field(entry, "x"));
    assert_eq!(
        str_field(entry, "q"),
        C::N,
        "{}: q is not the group order",
        C::NAME
    );
    let sk = C::sk_from_bytes(&x).unwrap_or_else(|e| panic!("{}: x: {e:?}", C::NAME));
    let want_u = uncompressed::<C>(&hex(str_field(entry, "Ux")), &hex(str_field(entry, "Uy")));
    assert_eq!(
        C::vk_to_sec1(&C::sk_public(&sk), false),
        want_u,
        "{}: U = xG",
        C::NAME
    );
    let vk = C::sk_public(&sk);
    for sig in entry["signatures"].as_array().expect("signatures") {
        let hash = Hash::from_name(str_field(sig, "hash"));
        let message = str_field(sig, "message").as_bytes();
        let mut want = hex(str_field(sig, "r"));
        want.extend(hex(str_field(sig, "s")));
        let at = format!(
            "{} {hash:?} message {:?}",
            C::NAME,
            str_field(sig, "message")
        );
        tally.count(true);

        let digest = hash.digest(message);
        match C::sign_prehash_rfc6979(&sk, hash, &digest) {
            Ok(got) => {
                let got = C::sig_to_bytes(&got);
                tally.check(got == want, || {
                    format!(
                        "{at}: sign_prehash_rfc6979 gave {}, RFC {}",
                        to_hex(&got),
                        to_hex(&want)
                    )
                });
            }
            Err(e) => tally.fail(format!("{at}: sign_prehash_rfc6979: {e:?}")),
        }
        if hash == C::HASH {
            let got = C::sig_to_bytes(&C::sign(&sk, message));
            tally.check(got == want, || {
                format!("{at}: sign gave {}, RFC {}", to_hex(&got), to_hex(&want))
            });
        }
        // And the published signature verifies (s is as published: high s included).
        let parsed = C::sig_from_slice(&want).expect("RFC signature parses");
        let verdict = C::verify_prehash(&vk, &digest, &parsed);
        tally.check(verdict.is_ok(), || {
            format!("{at}: verify_prehash: {verdict:?}")
        });
    }
}

#[test]
fn rfc6979() {
    let json: Value =
        serde_json::from_str(&read_vector_file("ecdsa/rfc6979/rfc6979_p256_p384.json")).unwrap();
    let curves = json["curves"].as_array().expect("curves");
    let mut tally = Tally::new("rfc6979_p256_p384.json");
    let mut seen = Vec::new();
    for entry in curves {
        let name = str_field(entry, "curve");
        seen.push(name.to_owned());
        match name {
            "P-256" => rfc6979_curve::<P256>(entry, &mut tally),
            "P-384" => rfc6979_curve::<P384>(entry, &mut tally),
            other => panic!("unexpected curve {other}"),
        }
    }
    assert_eq!(seen, ["P-256", "P-384"]);
    assert_eq!(tally.finish(), (20, 20, 0));
}

// --- NIST CAVP ----------------------------------------------------------------------------

/// Reads a CAVP file (CRLF, `[P-256]` or `[P-256,SHA-1]` sections) into `(curve, hash,
/// case)` triples, dropping count-only records (`N = 10`).
fn read_cavp(file: &'static str) -> Vec<(String, Option<Hash>, TestCase)> {
    let text = read_vector_file(file);
    let mut out = Vec::new();
    // Some files put another `[...]` line under the curve's, so the curve is taken from
    // the last `[P-...]` line seen, by splitting the text at each one.
    let mut pieces: Vec<(String, Option<Hash>, usize)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if let Some(inner) = t.strip_prefix("[P-").and_then(|l| l.strip_suffix(']')) {
            let (curve, hash) = match inner.split_once(',') {
                Some((c, h)) => (format!("P-{c}"), Some(Hash::from_name(h))),
                None => (format!("P-{inner}"), None),
            };
            pieces.push((curve, hash, offset));
        }
        offset += line.len();
    }
    assert!(!pieces.is_empty(), "{file}: no [P-...] sections");
    for (i, (curve, hash, start)) in pieces.iter().enumerate() {
        let end = pieces.get(i + 1).map_or(text.len(), |p| p.2);
        for case in parse_key_value(file, &text[*start..end]) {
            if case.names().eq(["N"]) {
                continue;
            }
            out.push((curve.clone(), *hash, case));
        }
    }
    out
}

/// A hex field of a CAVP or ring case as a number's bytes (unpadded, odd lengths allowed).
fn number(case: &TestCase, name: &str) -> Vec<u8> {
    hex_number(
        case.get(name)
            .unwrap_or_else(|| panic!("{case}\nno field {name}")),
    )
}

/// `Result = P (0 )` / `F (2 - ...)` as a bool.
fn pass(case: &TestCase) -> bool {
    match case.get("Result").map(|r| r.as_bytes().first()) {
        Some(Some(b'P')) => true,
        Some(Some(b'F')) => false,
        _ => panic!("{case}\nResult is not P or F"),
    }
}

/// The point `04 ‖ x ‖ y` with both coordinates padded to the field width, or wider if a
/// coordinate needs more bytes (CAVP's out-of-range cases): such a point has the wrong
/// length and must be rejected for it.
fn cavp_point<C: Curve>(x: &[u8], y: &[u8]) -> Vec<u8> {
    let xs = pad(x, x.len().max(C::BYTES));
    let ys = pad(y, y.len().max(C::BYTES));
    let width = xs.len().max(ys.len()).max(C::BYTES);
    let mut out = vec![4];
    out.extend(pad(&xs, width));
    out.extend(pad(&ys, width));
    out
}

fn keypair_case<C: Curve>(case: &TestCase, tally: &mut Tally) {
    case.expect_fields(&["d", "Qx", "Qy"]);
    tally.count(true);
    let want = uncompressed::<C>(&number(case, "Qx"), &number(case, "Qy"));
    match C::sk_from_bytes(&pad(&number(case, "d"), C::BYTES)) {
        Ok(sk) => {
            let got = C::vk_to_sec1(&C::sk_public(&sk), false);
            tally.check(got == want, || format!("{case}\ngot Q = {}", to_hex(&got)));
        }
        Err(e) => tally.fail(format!("{case}\nfrom_bytes: {e:?}")),
    }
}

#[test]
fn cavp_keypair() {
    let mut tally = Tally::new("KeyPair_P256_P384.rsp");
    let mut per_curve = [0; 2];
    for (curve, _, case) in read_cavp("ecdsa/cavp/KeyPair_P256_P384.rsp") {
        match curve.as_str() {
            "P-256" => (keypair_case::<P256>(&case, &mut tally), per_curve[0] += 1),
            "P-384" => (keypair_case::<P384>(&case, &mut tally), per_curve[1] += 1),
            _ => panic!("{case}\nunexpected curve {curve}"),
        };
    }
    assert_eq!(per_curve, [10, 10]);
    assert_eq!(tally.finish(), (20, 20, 0));
}

fn pkv_case<C: Curve>(case: &TestCase, tally: &mut Tally) {
    case.expect_fields(&["Qx", "Qy", "Result"]);
    let valid = pass(case);
    tally.count(valid);
    let (x, y) = (number(case, "Qx"), number(case, "Qy"));
    let point = cavp_point::<C>(&x, &y);
    let got = C::vk_from_sec1(&point);
    let result = case.get("Result").unwrap();
    let ok = match (&got, valid) {
        (Ok(vk), true) => C::vk_to_sec1(vk, false) == point,
        // Out of range: wider than the field, so the wrong length for a SEC 1 point.
        (Err(Error::InvalidEncoding), false) => point.len() != 1 + 2 * C::BYTES,
        // Not on the curve.
        (Err(Error::InvalidPublicKey), false) => {
            point.len() == 1 + 2 * C::BYTES && result.starts_with("F (2")
        }
        _ => false,
    };
    tally.check(ok, || format!("{case}\nfrom_sec1_bytes gave {got:?}"));
    if got.is_err() {
        tally.rejected_at_parse += 1;
    }
}

#[test]
fn cavp_pkv() {
    let mut tally = Tally::new("PKV_P256_P384.rsp");
    let mut per_curve = [0; 2];
    for (curve, _, case) in read_cavp("ecdsa/cavp/PKV_P256_P384.rsp") {
        match curve.as_str() {
            "P-256" => (pkv_case::<P256>(&case, &mut tally), per_curve[0] += 1),
            "P-384" => (pkv_case::<P384>(&case, &mut tally), per_curve[1] += 1),
            _ => panic!("{case}\nunexpected curve {curve}"),
        };
    }
    assert_eq!(per_curve, [12, 12]);
    assert_eq!(tally.finish(), (24, 8, 16));
}

fn siggen_case<C: Curve>(hash: Hash, case: &TestCase, tally: &mut Tally) {
    case.expect_fields(&["Msg", "d", "Qx", "Qy", "k", "R", "S"]);
    tally.count(true);
    let digest = hash.digest(&hex(case.get("Msg").unwrap()));
    let sk = match C::sk_from_bytes(&pad(&number(case, "d"), C::BYTES)) {
        Ok(sk) => sk,
        Err(e) => return tally.fail(format!("{case}\nfrom_bytes: {e:?}")),
    };
    let q = uncompressed::<C>(&number(case, "Qx"), &number(case, "Qy"));
    let got_q = C::vk_to_sec1(&C::sk_public(&sk), false);
    tally.check(got_q == q, || format!("{case}\ngot Q = {}", to_hex(&got_q)));
    let mut want = pad(&number(case, "R"), C::BYTES);
    want.extend(pad(&number(case, "S"), C::BYTES));
    let k = pad(&number(case, "k"), C::BYTES);
    match C::sign_prehash_with_nonce(&sk, &k, &digest) {
        Ok(sig) => {
            let got = C::sig_to_bytes(&sig);
            tally.check(got == want, || {
                format!("{case}\ngot R‖S = {}", to_hex(&got))
            });
        }
        Err(e) => tally.fail(format!("{case}\nsign_prehash_with_nonce: {e:?}")),
    }
    let sig = C::sig_from_slice(&want).expect("CAVP signature parses");
    let verdict = C::verify_prehash(&C::sk_public(&sk), &digest, &sig);
    tally.check(verdict.is_ok(), || {
        format!("{case}\nverify_prehash: {verdict:?}")
    });
}

#[test]
fn cavp_siggen() {
    let mut tally = Tally::new("SigGen_P256_P384.txt");
    let mut per_section = std::collections::BTreeMap::new();
    for (curve, hash, case) in read_cavp("ecdsa/cavp/SigGen_P256_P384.txt") {
        let hash = hash.unwrap_or_else(|| panic!("{case}\nno hash in section"));
        *per_section.entry((curve.clone(), hash.len())).or_insert(0) += 1;
        match curve.as_str() {
            "P-256" => siggen_case::<P256>(hash, &case, &mut tally),
            "P-384" => siggen_case::<P384>(hash, &case, &mut tally),
            _ => panic!("{case}\nunexpected curve {curve}"),
        }
    }
    assert_eq!(per_section.len(), 10, "{per_section:?}");
    assert!(per_section.values().all(|&n| n == 15), "{per_section:?}");
    assert_eq!(tally.finish(), (150, 150, 0));
}

fn sigver_case<C: Curve>(hash: Hash, case: &TestCase, tally: &mut Tally) {
    case.expect_fields(&["Msg", "Qx", "Qy", "R", "S", "Result"]);
    let valid = pass(case);
    tally.count(valid);
    let digest = hash.digest(&hex(case.get("Msg").unwrap()));
    let point = cavp_point::<C>(&number(case, "Qx"), &number(case, "Qy"));
    let (r, s) = (number(case, "R"), number(case, "S"));
    let verdict = C::vk_from_sec1(&point).and_then(|vk| {
        if r.len() > C::BYTES || s.len() > C::BYTES {
            return Err(Error::InvalidSignature);
        }
        let mut rs = pad(&r, C::BYTES);
        rs.extend(pad(&s, C::BYTES));
        let sig = C::sig_from_slice(&rs)?;
        C::verify_prehash(&vk, &digest, &sig)
    });
    let ok = match &verdict {
        Ok(()) => valid,
        // "Q changed" may leave the curve: then the key is rejected.
        Err(Error::InvalidPublicKey) => !valid && case.get("Result").unwrap().contains("Q"),
        Err(Error::InvalidSignature) => !valid,
        Err(_) => false,
    };
    tally.check(ok, || format!("{case}\ngot {verdict:?}"));
}

#[test]
fn cavp_sigver() {
    let mut tally = Tally::new("SigVer_P256_P384.rsp");
    let mut per_curve = [(0, 0); 2];
    for (curve, hash, case) in read_cavp("ecdsa/cavp/SigVer_P256_P384.rsp") {
        let hash = hash.unwrap_or_else(|| panic!("{case}\nno hash in section"));
        let i = match curve.as_str() {
            "P-256" => (sigver_case::<P256>(hash, &case, &mut tally), 0).1,
            "P-384" => (sigver_case::<P384>(hash, &case, &mut tally), 1).1,
            _ => panic!("{case}\nunexpected curve {curve}"),
        };
        if pass(&case) {
            per_curve[i].0 += 1;
        } else {
            per_curve[i].1 += 1;
        }
    }
    assert_eq!(per_curve, [(15, 60), (15, 60)]);
    assert_eq!(tally.finish(), (150, 30, 120));
}

// --- ring ---------------------------------------------------------------------------------

/// ring's `Q = ""` is the empty string.
fn ring_bytes(case: &TestCase, name: &str) -> Vec<u8> {
    match case.get(name) {
        Some("\"\"") => Vec::new(),
        Some(v) => hex(v),
        None => panic!("{case}\nno field {name}"),
    }
}

/// Whether OpenSSL decodes `bytes` as a point of the curve (any SEC 1 form).
fn openssl_decodes<C: Curve>(bytes: &[u8]) -> bool {
    let group = openssl::ec::EcGroup::from_curve_name(C::NID).unwrap();
    let mut ctx = openssl::bn::BigNumContext::new().unwrap();
    openssl::ec::EcPoint::from_bytes(&group, bytes, &mut ctx).is_ok()
}

/// One case of `suite_b_public_key_tests.txt`. ring accepts only uncompressed points, so
/// its `F` on a well-formed compressed point is policy, not validity: for those we expect
/// a decode exactly when the point is valid (OpenSSL decides), with the y parity the tag
/// asks for.
fn ring_public_key_case<C: Curve>(case: &TestCase, tally: &mut Tally, compressed_ok: &mut usize) {
    let q = ring_bytes(case, "Q");
    let ring_valid = pass(case);
    let got = C::vk_from_sec1(&q);
    let well_formed_compressed = q.len() == 1 + C::BYTES && matches!(q[0], 2 | 3);
    if well_formed_compressed {
        let valid = openssl_decodes::<C>(&q);
        tally.count(valid);
        match &got {
            Ok(vk) => {
                let full = C::vk_to_sec1(vk, false);
                let parity_ok =
                    full[1..=C::BYTES] == q[1..] && (full[2 * C::BYTES] & 1) == q[0] - 2;
                tally.check(valid && parity_ok, || {
                    format!(
                        "{case}\ndecoded to {} (OpenSSL: valid = {valid})",
                        to_hex(&full)
                    )
                });
                tally.check(C::vk_to_sec1(vk, true) == q, || {
                    format!("{case}\ncompressed round trip")
                });
                *compressed_ok += 1;
            }
            Err(e) => tally.check(!valid && *e == Error::InvalidPublicKey, || {
                format!("{case}\ncompressed point: {e:?} (OpenSSL: valid = {valid})")
            }),
        }
        return;
    }
    tally.count(ring_valid);
    let ok = match &got {
        Ok(vk) => ring_valid && C::vk_to_sec1(vk, false) == q,
        Err(Error::InvalidEncoding | Error::InvalidPublicKey) => !ring_valid,
        Err(_) => false,
    };
    tally.check(ok, || format!("{case}\nfrom_sec1_bytes gave {got:?}"));
    if !ring_valid {
        tally.rejected_at_parse += usize::from(got.is_err());
    }
    // Hybrid encodings (06/07 ‖ x ‖ y, X9.62) of the valid points: OpenSSL takes them; we
    // do not (SEC 1 §2.3.4 has no hybrid form).
    if ring_valid {
        for tag in [6, 7] {
            let mut hybrid = q.clone();
            hybrid[0] = tag;
            let got = C::vk_from_sec1(&hybrid);
            tally.check(matches!(got, Err(Error::InvalidEncoding)), || {
                format!("{case}\nhybrid {tag:02x} form gave {got:?}")
            });
        }
    }
}

#[test]
fn ring_public_keys() {
    let mut tally = Tally::new("suite_b_public_key_tests.txt");
    let (mut p256, mut p384, mut compressed_ok) = (0, 0, 0);
    for case in read_key_value("ecdsa/ring/suite_b_public_key_tests.txt") {
        case.expect_fields(&["Curve", "Q", "Result"]);
        match case.get("Curve").unwrap() {
            "P-256" => (
                ring_public_key_case::<P256>(&case, &mut tally, &mut compressed_ok),
                p256 += 1,
            ),
            "P-384" => (
                ring_public_key_case::<P384>(&case, &mut tally, &mut compressed_ok),
                p384 += 1,
            ),
            other => panic!("{case}\nunexpected curve {other}"),
        };
    }
    assert_eq!((p256, p384), (24, 23));
    println!("suite_b_public_key_tests.txt: {compressed_ok} well-formed compressed points decoded");
    // 8 P in the file, plus the 4 well-formed compressed points of valid x (2 per curve).
    assert_eq!(compressed_ok, 4);
    assert_eq!(tally.finish(), (47, 12, 35));
}

/// The digest → scalar conversion: with d and k fixed, s = k⁻¹(e + r·d), so the scalar e
/// the signer used is s·k − r·d mod n. It must be ring's `Output`; and the signature must
/// verify with the same digest.
fn digest_scalar_case<C: Curve>(case: &TestCase, tally: &mut Tally) {
    case.expect_fields(&["Curve", "Digest", "Input", "Output"]);
    tally.count(true);
    let hash = Hash::from_name(case.get("Digest").unwrap());
    let input = hex(case.get("Input").unwrap());
    assert_eq!(input.len(), hash.len(), "{case}\nInput is not a digest");
    let want = hex(case.get("Output").unwrap());
    // Any fixed d and k will do.
    let mut d = vec![0; C::BYTES];
    d[C::BYTES - 1] = 7;
    let mut k = vec![0; C::BYTES];
    k[0] = 0x5a;
    k[C::BYTES - 1] = 3;
    let sk = C::sk_from_bytes(&d).unwrap();
    let sig = match C::sign_prehash_with_nonce(&sk, &k, &input) {
        Ok(sig) => C::sig_to_bytes(&sig),
        Err(e) => return tally.fail(format!("{case}\nsign_prehash_with_nonce: {e:?}")),
    };
    let (r, s) = split_sig(&sig);
    let mut modn = ModN::new::<C>();
    let sk_ = modn.mul(s, &k);
    let rd = modn.mul(r, &d);
    let e = modn.sub(&sk_, &rd);
    tally.check(e == want, || {
        format!("{case}\nthe signer used e = {}", to_hex(&e))
    });
    let parsed = C::sig_from_slice(&sig).unwrap();
    let verdict = C::verify_prehash(&C::sk_public(&sk), &input, &parsed);
    tally.check(verdict.is_ok(), || {
        format!("{case}\nverify_prehash: {verdict:?}")
    });
}

#[test]
fn ring_digest_scalar() {
    let mut tally = Tally::new("ecdsa_digest_scalar_tests.txt");
    for case in read_key_value("ecdsa/ring/ecdsa_digest_scalar_tests.txt") {
        match case.get("Curve") {
            Some("P-256") => digest_scalar_case::<P256>(&case, &mut tally),
            Some("P-384") => digest_scalar_case::<P384>(&case, &mut tally),
            _ => panic!("{case}\nunexpected curve"),
        }
    }
    assert_eq!(tally.finish(), (14, 14, 0));
}

/// k·G through the public API: the public key of secret key k. k = 0 has no key.
fn point_mul_base<C: Curve>(file: &'static str) {
    let mut tally = Tally::new(file);
    for case in read_key_value(file) {
        case.expect_fields(&["g_scalar", "r"]);
        let k = pad(&number(&case, "g_scalar"), C::BYTES);
        let r = case.get("r").unwrap();
        let got = C::sk_from_bytes(&k);
        if r == "inf" {
            tally.count(false);
            tally.check(matches!(got, Err(Error::InvalidSecretKey)), || {
                format!("{case}\nfrom_bytes gave {:?}", got.as_ref().err())
            });
            continue;
        }
        tally.count(true);
        let (x, y) = r
            .split_once(',')
            .unwrap_or_else(|| panic!("{case}\nr is not `x, y`"));
        let want = uncompressed::<C>(&hex_number(x.trim()), &hex_number(y.trim()));
        match got {
            Ok(sk) => {
                let q = C::vk_to_sec1(&C::sk_public(&sk), false);
                tally.check(q == want, || format!("{case}\ngot {}", to_hex(&q)));
            }
            Err(e) => tally.fail(format!("{case}\nfrom_bytes: {e:?}")),
        }
    }
    assert_eq!(tally.finish(), (384, 383, 1));
}

#[test]
fn ring_p256_point_mul_base() {
    point_mul_base::<P256>("ecdsa/ring/p256_point_mul_base_tests.txt");
}

#[test]
fn ring_p384_point_mul_base() {
    point_mul_base::<P384>("ecdsa/ring/p384_point_mul_base_tests.txt");
}

/// k·P for a point P that is not G (`hazmat::mul`): ring's two regression cases from Go
/// issue 20040.
#[test]
fn ring_p256_point_mul_serialized() {
    let mut tally = Tally::new("p256_point_mul_serialized_tests.txt");
    for case in read_key_value("ecdsa/ring/p256_point_mul_serialized_tests.txt") {
        case.expect_fields(&["p_scalar", "p", "r"]);
        tally.count(true);
        let k = pad(&number(&case, "p_scalar"), P256::BYTES);
        let p = P256::vk_from_sec1(&case.bytes("p")).expect("p is a valid point");
        match P256::mul(&k, &p) {
            Ok(r) => {
                let got = P256::vk_to_sec1(&r, false);
                tally.check(got == case.bytes("r"), || {
                    format!("{case}\ngot {}", to_hex(&got))
                });
            }
            Err(e) => tally.fail(format!("{case}\nmul: {e:?}")),
        }
    }
    assert_eq!(tally.finish(), (2, 2, 0));
}

/// k·G again, through the variable-base `hazmat::mul` on G rather than through key
/// generation, for every scalar of ring's k·G files: the two multiplications agree.
fn point_mul_generic_base<C: Curve>(file: &'static str) {
    let mut one = vec![0; C::BYTES];
    one[C::BYTES - 1] = 1;
    let g = C::sk_public(&C::sk_from_bytes(&one).unwrap());
    let mut tally = Tally::new(&format!("{file} via hazmat::mul"));
    for case in read_key_value(file) {
        let k = pad(&number(&case, "g_scalar"), C::BYTES);
        let r = case.get("r").unwrap();
        let got = C::mul(&k, &g);
        if r == "inf" {
            tally.count(false);
            tally.check(matches!(got, Err(Error::InvalidSecretKey)), || {
                format!("{case}\nmul gave {:?}", got.as_ref().err())
            });
            continue;
        }
        tally.count(true);
        let (x, y) = r.split_once(',').unwrap();
        let want = uncompressed::<C>(&hex_number(x.trim()), &hex_number(y.trim()));
        match got {
            Ok(q) => {
                let q = C::vk_to_sec1(&q, false);
                tally.check(q == want, || format!("{case}\ngot {}", to_hex(&q)));
            }
            Err(e) => tally.fail(format!("{case}\nmul: {e:?}")),
        }
    }
    assert_eq!(tally.finish(), (384, 383, 1));
}

#[test]
fn ring_p256_point_mul_via_mul() {
    point_mul_generic_base::<P256>("ecdsa/ring/p256_point_mul_base_tests.txt");
}

#[test]
fn ring_p384_point_mul_via_mul() {
    point_mul_generic_base::<P384>("ecdsa/ring/p384_point_mul_base_tests.txt");
}

/// A coordinate equal to p is out of range even though it is 0 mod p (ring covers x = p
/// on its own points; this is y = p, and x = p with G's y), while (x, p − y) = −G is fine.
#[test]
fn coordinates_at_p_are_rejected() {
    fn check<C: Curve>() {
        let p = prime::<C>();
        let mut one = vec![0; C::BYTES];
        one[C::BYTES - 1] = 1;
        let g = C::vk_to_sec1(&C::sk_public(&C::sk_from_bytes(&one).unwrap()), false);
        let (x, y) = (&g[1..=C::BYTES], &g[1 + C::BYTES..]);
        for bad in [uncompressed::<C>(x, &p), uncompressed::<C>(&p, y)] {
            let got = C::vk_from_sec1(&bad);
            assert_eq!(got.err(), Some(Error::InvalidPublicKey), "{}", to_hex(&bad));
        }
        let mut p_minus_y = openssl::bn::BigNum::new().unwrap();
        p_minus_y.checked_sub(&bn(&p), &bn(y)).unwrap();
        let minus_g = uncompressed::<C>(x, &bn_bytes(&p_minus_y, C::BYTES));
        let got = C::vk_from_sec1(&minus_g);
        assert!(got.is_ok(), "{}: -G: {:?}", C::NAME, got.err());
    }
    check::<P256>();
    check::<P384>();
}
