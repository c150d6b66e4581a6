//! Known-answer tests of the KEM, the key schedule, the nonces and export against RFC 9180
//! Appendix A.3–A.5 (`vectors/hpke/rfc9180_p256.txt`), run with each vector's own KDF and
//! `aead_id`; and the internal checks that need private items.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::context::compute_nonce;
use super::kem::{self, KemKey};
use super::key_schedule::{self, Mode, SuiteIds};
use super::{Kdf, Kem};

const VECTORS: &str = include_str!("../../vectors/hpke/rfc9180_p256.txt");

/// One `case = ...` block: its name and its `key = value` lines in order.
struct Case {
    name: String,
    lines: Vec<(String, String)>,
}

impl Case {
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| hex(v))
    }

    fn must(&self, key: &str) -> Vec<u8> {
        self.get(key)
            .unwrap_or_else(|| panic!("{}: no {key}", self.name))
    }

    fn num(&self, key: &str) -> u64 {
        let (_, v) = self.lines.iter().find(|(k, _)| k == key).unwrap();
        v.parse().unwrap()
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.lines
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    for line in VECTORS.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (k, v) = line.split_once('=').unwrap();
        let (k, v) = (k.trim(), v.trim());
        if k == "case" {
            out.push(Case {
                name: v.to_string(),
                lines: Vec::new(),
            });
        } else {
            out.last_mut()
                .unwrap()
                .lines
                .push((k.to_string(), v.to_string()));
        }
    }
    out
}

fn kdf_of(id: u64) -> Kdf {
    match id {
        1 => Kdf::HkdfSha256,
        2 => Kdf::HkdfSha384,
        3 => Kdf::HkdfSha512,
        _ => panic!("kdf {id}"),
    }
}

/// (`Nk`, `Nn`) of the RFC's AEADs (AES-128-GCM, AES-256-GCM, ChaCha20Poly1305).
fn aead_lens(id: u64) -> (usize, usize) {
    match id {
        1 => (16, 12),
        2 | 3 => (32, 12),
        _ => panic!("aead {id}"),
    }
}

fn mode_of(m: u64) -> Mode {
    match m {
        0 => Mode::Base,
        1 => Mode::Psk,
        2 => Mode::Auth,
        3 => Mode::AuthPsk,
        _ => panic!("mode {m}"),
    }
}

/// DeriveKeyPair(ikmX) gives skXm and pkXm.
fn derive_checked(c: &Case, who: char) -> Option<KemKey> {
    let ikm = c.get(&alloc::format!("ikm{who}"))?;
    let key = KemKey::derive(Kem::P256HkdfSha256, &ikm).unwrap();
    assert_eq!(
        &key.private_key_bytes()[..],
        &c.must(&alloc::format!("sk{who}m"))[..],
        "{}: sk{who}m",
        c.name
    );
    assert_eq!(
        key.public_key_bytes(),
        c.must(&alloc::format!("pk{who}m")),
        "{}: pk{who}m",
        c.name
    );
    Some(key)
}

#[test]
fn rfc9180_appendix_a_p256_suites() {
    let cases = cases();
    assert_eq!(cases.len(), 12, "A.3–A.5, four modes each");
    let mut exports = 0;
    let mut nonces = 0;
    for c in &cases {
        assert_eq!(c.num("kem_id"), 0x10, "{}", c.name);
        let mode = mode_of(c.num("mode"));
        let e = derive_checked(c, 'E').unwrap();
        let r = derive_checked(c, 'R').unwrap();
        let s = derive_checked(c, 'S');
        assert_eq!(
            s.is_some(),
            matches!(mode, Mode::Auth | Mode::AuthPsk),
            "{}",
            c.name
        );

        // Encap / AuthEncap with the RFC's ephemeral key, Decap / AuthDecap with skR.
        let pk_r = c.must("pkRm");
        let (enc, shared) = kem::encap(&e, &pk_r, s.as_ref()).unwrap();
        assert_eq!(enc, c.must("enc"), "{}: enc", c.name);
        assert_eq!(
            shared.as_bytes(),
            &c.must("shared_secret")[..],
            "{}: shared_secret (sender)",
            c.name
        );
        let pk_s = c.get("pkSm");
        let shared_r = kem::decap(&r, &enc, pk_s.as_deref()).unwrap();
        assert_eq!(
            shared_r.as_bytes(),
            &c.must("shared_secret")[..],
            "{}: shared_secret (receiver)",
            c.name
        );

        // The key schedule with the vector's KDF and aead_id.
        let (nk, nn) = aead_lens(c.num("aead_id"));
        let ids = SuiteIds {
            kem_id: 0x10,
            kdf: kdf_of(c.num("kdf_id")),
            aead_id: c.num("aead_id") as u16,
            nk,
            nn,
        };
        let psk = c.get("psk").unwrap_or_default();
        let psk_id = c.get("psk_id").unwrap_or_default();
        let sched = key_schedule::key_schedule(
            &ids,
            mode,
            shared.as_bytes(),
            &c.must("info"),
            &psk,
            &psk_id,
        )
        .unwrap();
        assert_eq!(
            &sched.context[..sched.context_len],
            &c.must("key_schedule_context")[..],
            "{}: key_schedule_context",
            c.name
        );
        assert_eq!(
            sched.secret.as_bytes(),
            &c.must("secret")[..],
            "{}: secret",
            c.name
        );
        assert_eq!(sched.key.as_bytes(), &c.must("key")[..], "{}: key", c.name);
        assert_eq!(
            &sched.base_nonce[..],
            &c.must("base_nonce")[..],
            "{}: base_nonce",
            c.name
        );
        assert_eq!(
            sched.exporter_secret.as_bytes(),
            &c.must("exporter_secret")[..],
            "{}: exporter_secret",
            c.name
        );

        // ComputeNonce for each listed sequence number.
        let seqs = c.all("seq");
        let ns = c.all("nonce");
        assert_eq!(seqs.len(), ns.len());
        for (seq, nonce) in seqs.iter().zip(ns) {
            let got = compute_nonce(&sched.base_nonce, seq.parse().unwrap());
            assert_eq!(&got[..], &hex(nonce)[..], "{}: nonce {seq}", c.name);
            nonces += 1;
        }

        // Export.
        let ctxs = c.all("exporter_context");
        let lens = c.all("L");
        let vals = c.all("exported_value");
        assert_eq!(ctxs.len(), 3, "{}", c.name);
        for ((ctx, len), val) in ctxs.iter().zip(lens).zip(vals) {
            let mut out = alloc::vec![0u8; len.parse().unwrap()];
            key_schedule::export(&ids, &sched.exporter_secret, &hex(ctx), &mut out).unwrap();
            assert_eq!(out, hex(val), "{}: export({ctx})", c.name);
            exports += 1;
        }
    }
    assert_eq!(exports, 36);
    assert_eq!(nonces, 72);
}

/// A test that can fail: one wrong bit in the RFC's ikm, info or psk changes the output.
#[test]
fn rfc9180_vectors_detect_a_changed_input() {
    let cases = cases();
    let c = cases.iter().find(|c| c.name.starts_with("A.3.4")).unwrap();
    let mut ikm = c.must("ikmR");
    ikm[0] ^= 1;
    let key = KemKey::derive(Kem::P256HkdfSha256, &ikm).unwrap();
    assert_ne!(key.public_key_bytes(), c.must("pkRm"));

    let shared = c.must("shared_secret");
    let ids = SuiteIds {
        kem_id: 0x10,
        kdf: Kdf::HkdfSha256,
        aead_id: 1,
        nk: 16,
        nn: 12,
    };
    let mut psk = c.must("psk");
    psk[31] ^= 0x80;
    let sched = key_schedule::key_schedule(
        &ids,
        Mode::AuthPsk,
        &shared,
        &c.must("info"),
        &psk,
        &c.must("psk_id"),
    )
    .unwrap();
    assert_ne!(sched.key.as_bytes(), &c.must("key")[..]);
    assert_ne!(
        sched.exporter_secret.as_bytes(),
        &c.must("exporter_secret")[..]
    );
}

#[test]
fn psk_inputs_are_checked() {
    let ids = SuiteIds {
        kem_id: 0x10,
        kdf: Kdf::HkdfSha256,
        aead_id: 0xFFFF,
        nk: 0,
        nn: 0,
    };
    let ss = [7u8; 32];
    let psk = [9u8; 32];
    let e = crate::Error::InvalidLength;
    let ks = |mode, psk: &[u8], id: &[u8]| {
        key_schedule::key_schedule(&ids, mode, &ss, b"", psk, id).map(|_| ())
    };
    assert_eq!(ks(Mode::Base, &psk, b"id"), Err(e), "psk in base mode");
    assert_eq!(ks(Mode::Auth, &psk, b"id"), Err(e), "psk in auth mode");
    assert_eq!(ks(Mode::Psk, b"", b""), Err(e), "psk mode without psk");
    assert_eq!(ks(Mode::Psk, &psk, b""), Err(e), "psk without id");
    assert_eq!(ks(Mode::Psk, b"", b"id"), Err(e), "id without psk");
    assert_eq!(ks(Mode::AuthPsk, &psk[..31], b"id"), Err(e), "31-byte psk");
    assert_eq!(ks(Mode::Psk, &psk, b"id"), Ok(()));
    assert_eq!(ks(Mode::Base, b"", b""), Ok(()));
}

#[test]
fn nonce_counter_wraps_per_byte_as_big_endian() {
    let base = [0u8; 12];
    assert_eq!(compute_nonce(&base, 1)[11], 1);
    assert_eq!(compute_nonce(&base, 256)[10..], [1, 0]);
    assert_eq!(compute_nonce(&base, u64::MAX)[..4], [0; 4]);
    assert_eq!(compute_nonce(&base, u64::MAX)[4..], [0xff; 8]);
}
