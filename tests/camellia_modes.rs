//! The confidentiality modes against official vectors and against OpenSSL.
//!
//! - OpenSSL's `evpciph_camellia.txt`: all 87 stanzas (ECB, CBC, CFB128, OFB, CTR), the
//!   `NextIV` values included, on every backend.
//! - RFC 5528 §4.1 Camellia-CTR: 9 vectors, through both counter layouts.
//! - Wycheproof `camellia_cbc_pkcs5_test.json`: 216 tests, valid ones decrypt and encrypt
//!   exactly, invalid paddings are rejected with `Error::InvalidPadding`.
//! - Differential: every mode against the system libcrypto (EVP) on random keys, lengths,
//!   and random split points for our streaming side.

mod common;

use common::{backends, camellia, hex, read_key_value, to_hex};
use openssl::cipher::Cipher as EvpCipher;
use openssl::cipher_ctx::CipherCtx;
use proptest::prelude::*;
use tsubaki::Error;
use tsubaki::camellia::modes::hazmat::DecryptPadded;
use tsubaki::camellia::modes::{self, BlockCipher, Cbc, Ctr};

fn iv16(bytes: &[u8]) -> [u8; 16] {
    bytes.try_into().expect("16-byte IV")
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Ecb,
    Cbc,
    Cfb128,
    Cfb8,
    Cfb1,
    Ofb,
    Ctr,
}

const MODES: [Mode; 7] = [
    Mode::Ecb,
    Mode::Cbc,
    Mode::Cfb128,
    Mode::Cfb8,
    Mode::Cfb1,
    Mode::Ofb,
    Mode::Ctr,
];

impl Mode {
    fn evp_name(self, bits: usize) -> String {
        let m = match self {
            Mode::Ecb => "ECB",
            Mode::Cbc => "CBC",
            Mode::Cfb128 => "CFB",
            Mode::Cfb8 => "CFB8",
            Mode::Cfb1 => "CFB1",
            Mode::Ofb => "OFB",
            Mode::Ctr => "CTR",
        };
        format!("CAMELLIA-{bits}-{m}")
    }

    fn whole_blocks(self) -> bool {
        matches!(self, Mode::Ecb | Mode::Cbc)
    }
}

/// Runs `mode` over `data` as a stream cut at `cuts` (byte offsets), returning the next IV
/// (the mode's chaining state after the last piece).
fn run(
    mode: Mode,
    c: &dyn BlockCipher,
    iv: &[u8; 16],
    encrypt: bool,
    data: &mut [u8],
    cuts: &[usize],
) -> [u8; 16] {
    let mut iv = *iv;
    let mut num = 0usize;
    let mut ks = [0u8; 16];
    let mut start = 0;
    let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&p| p < data.len()).collect();
    if mode.whole_blocks() {
        bounds.iter_mut().for_each(|p| *p -= *p % 16);
    }
    bounds.sort_unstable();
    bounds.push(data.len());
    for end in bounds {
        let piece = &mut data[start..end];
        start = end;
        if mode.whole_blocks() {
            let blocks = piece.as_chunks_mut::<16>().0;
            match (mode, encrypt) {
                (Mode::Ecb, true) => modes::ecb_encrypt(c, blocks),
                (Mode::Ecb, false) => modes::ecb_decrypt(c, blocks),
                (_, true) => modes::cbc_encrypt(c, &mut iv, blocks),
                (_, false) => modes::cbc_decrypt(c, &mut iv, blocks),
            }
            continue;
        }
        match (mode, encrypt) {
            (Mode::Cfb128, true) => modes::cfb128_encrypt(c, &mut iv, &mut num, piece),
            (Mode::Cfb128, false) => modes::cfb128_decrypt(c, &mut iv, &mut num, piece),
            (Mode::Cfb8, true) => modes::cfb8_encrypt(c, &mut iv, piece),
            (Mode::Cfb8, false) => modes::cfb8_decrypt(c, &mut iv, piece),
            (Mode::Cfb1, true) => modes::cfb1_encrypt(c, &mut iv, piece, piece.len() * 8).unwrap(),
            (Mode::Cfb1, false) => modes::cfb1_decrypt(c, &mut iv, piece, piece.len() * 8).unwrap(),
            (Mode::Ofb, _) => modes::ofb128_apply(c, &mut iv, &mut num, piece),
            (Mode::Ctr, _) => modes::ctr128_apply(c, &mut iv, &mut ks, &mut num, piece),
            (Mode::Ecb | Mode::Cbc, _) => unreachable!("whole-block modes handled above"),
        }
    }
    iv
}

#[test]
fn openssl_evpciph_all_stanzas_every_backend() {
    let cases: Vec<_> = read_key_value("evpciph_camellia.txt")
        .into_iter()
        .filter(|c| c.get("Cipher").is_some())
        .collect();
    assert_eq!(
        cases.len(),
        87,
        "evpciph_camellia.txt has 87 Camellia stanzas"
    );
    for backend in backends() {
        let (mut checked, mut next_ivs) = (0, 0);
        for case in &cases {
            let name = case.get("Cipher").unwrap();
            let mode = match name.rsplit('-').next().unwrap() {
                "ECB" => Mode::Ecb,
                "CBC" => Mode::Cbc,
                "CFB" => Mode::Cfb128,
                "OFB" => Mode::Ofb,
                "CTR" => Mode::Ctr,
                other => panic!("{case}\nunexpected mode {other}"),
            };
            let c = camellia(&case.bytes("Key"), backend);
            let iv = case.get("IV").map(|v| iv16(&hex(v))).unwrap_or([0; 16]);
            let (pt, ct) = (case.bytes("Plaintext"), case.bytes("Ciphertext"));
            let op = case.get("Operation");
            for encrypt in [true, false] {
                if op == Some(if encrypt { "DECRYPT" } else { "ENCRYPT" }) {
                    continue;
                }
                let (input, expected) = if encrypt { (&pt, &ct) } else { (&ct, &pt) };
                let mut buf = input.clone();
                let next = run(mode, &*c, &iv, encrypt, &mut buf, &[]);
                assert_eq!(
                    to_hex(&buf),
                    to_hex(expected),
                    "{backend} encrypt={encrypt}\n{case}"
                );
                if let Some(n) = case.get("NextIV") {
                    assert_eq!(to_hex(&next), n.to_uppercase(), "{backend} NextIV\n{case}");
                    next_ivs += 1;
                }
                checked += 1;
            }
        }
        println!(
            "evpciph_camellia.txt on {backend}: 87 stanzas, {checked} directions checked, {next_ivs} NextIV values"
        );
    }
}

#[test]
fn rfc5528_ctr_every_backend() {
    let cases = read_key_value("rfc5528_ctr.txt");
    assert_eq!(cases.len(), 9);
    for backend in backends() {
        for case in &cases {
            let c = camellia(&case.bytes("KEY"), backend);
            let nonce: [u8; 4] = case.bytes("NONCE").try_into().unwrap();
            let iv: [u8; 8] = case.bytes("IV").try_into().unwrap();
            let (pt, ct) = (case.bytes("PT"), case.bytes("CT"));
            // RFC 5528 layout, 32-bit counter, fed a byte at a time then whole.
            let mut buf = pt.clone();
            let mut ctr = Ctr::rfc5528(&*c, &nonce, &iv);
            for b in buf.chunks_mut(1) {
                ctr.apply_keystream(b).unwrap();
            }
            assert_eq!(buf, ct, "{backend} RFC 5528 layout\n{case}");
            // The same through OpenSSL's 128-bit counter, starting at CTRBLK.
            let mut buf = ct.clone();
            Ctr::new(&*c, &iv16(&case.bytes("CTRBLK")))
                .apply_keystream(&mut buf)
                .unwrap();
            assert_eq!(buf, pt, "{backend} 128-bit counter\n{case}");
        }
        println!("rfc5528_ctr.txt on {backend}: 9 vectors, both counter layouts");
    }
}

#[test]
fn wycheproof_cbc_pkcs5_every_backend() {
    let text = common::read_vector_file("wycheproof_camellia_cbc_pkcs5_test.json");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    for backend in backends() {
        let (mut valid, mut invalid) = (0, 0);
        for group in doc["testGroups"].as_array().unwrap() {
            for t in group["tests"].as_array().unwrap() {
                let field = |k: &str| hex(t[k].as_str().unwrap());
                let (id, key, iv, msg, ct) = (
                    &t["tcId"],
                    field("key"),
                    iv16(&field("iv")),
                    field("msg"),
                    field("ct"),
                );
                let c = camellia(&key, backend);
                let got = Cbc::new(&*c, &iv).decrypt_padded_vec(&ct);
                match t["result"].as_str().unwrap() {
                    "valid" => {
                        assert_eq!(got.as_deref(), Ok(&msg[..]), "{backend} tcId {id}");
                        assert_eq!(
                            Cbc::new(&*c, &iv).encrypt_padded_vec(&msg),
                            ct,
                            "{backend} tcId {id}"
                        );
                        valid += 1;
                    }
                    _ => {
                        assert_eq!(
                            got,
                            Err(Error::InvalidPadding),
                            "{backend} tcId {id} must be rejected"
                        );
                        invalid += 1;
                    }
                }
            }
        }
        assert_eq!((valid, invalid), (72, 144));
        println!("wycheproof CBC-PKCS5 on {backend}: {valid} valid, {invalid} invalid (rejected)");
    }
}

#[test]
fn pkcs7_unpad_rejects_every_malformation() {
    assert_eq!(modes::pkcs7_unpad(&[]), Err(Error::InvalidPadding));
    assert_eq!(modes::pkcs7_unpad(&[1; 15]), Err(Error::InvalidPadding));
    for pad in 0..=255u8 {
        let mut block = [0xAA; 32];
        block[32 - 16..].fill(pad);
        let ok = (1..=16).contains(&pad);
        assert_eq!(modes::pkcs7_unpad(&block).is_ok(), ok, "pad byte {pad}");
        if ok {
            assert_eq!(modes::pkcs7_unpad(&block).unwrap().len(), 32 - pad as usize);
            // One wrong byte anywhere inside the padding invalidates it.
            for i in 32 - pad as usize..31 {
                let mut bad = block;
                bad[i] ^= 1;
                assert!(
                    modes::pkcs7_unpad(&bad).is_err(),
                    "pad {pad} flipped at {i}"
                );
            }
        }
    }
}

#[test]
fn cfb1_rejects_more_bits_than_the_buffer() {
    let c = camellia(&[0; 16], backends()[0]);
    let mut iv = [0; 16];
    assert_eq!(
        modes::cfb1_encrypt(&*c, &mut iv, &mut [0; 2], 17),
        Err(Error::InvalidLength)
    );
    assert_eq!(iv, [0; 16], "state unchanged on error");
}

/// OpenSSL's answer for `mode` (one EVP update, no padding).
fn openssl(mode: Mode, key: &[u8], iv: &[u8; 16], encrypt: bool, data: &[u8]) -> Vec<u8> {
    let cipher = EvpCipher::fetch(None, &mode.evp_name(key.len() * 8), None).unwrap();
    let mut ctx = CipherCtx::new().unwrap();
    let iv = (mode != Mode::Ecb).then_some(&iv[..]);
    if encrypt {
        ctx.encrypt_init(Some(&cipher), Some(key), iv).unwrap();
    } else {
        ctx.decrypt_init(Some(&cipher), Some(key), iv).unwrap();
    }
    ctx.set_padding(false);
    let mut out = vec![0u8; data.len() + 32];
    let n = ctx.cipher_update(data, Some(&mut out)).unwrap();
    out.truncate(n);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(96)))]

    /// Every mode, key size and backend agrees with OpenSSL in both directions, with our
    /// side fed in random pieces.
    #[test]
    fn every_mode_matches_openssl(
        mode in proptest::sample::select(&MODES[..]),
        key_len in proptest::sample::select(&[16usize, 24, 32][..]),
        key in proptest::collection::vec(any::<u8>(), 32),
        iv in any::<[u8; 16]>(),
        data in proptest::collection::vec(any::<u8>(), 0..1500),
        cuts in proptest::collection::vec(0usize..1500, 0..6),
        backend_pick in any::<proptest::sample::Index>(),
    ) {
        let key = &key[..key_len];
        let mut data = data;
        if mode.whole_blocks() {
            data.truncate(data.len() / 16 * 16);
        }
        let all = backends();
        let backend = all[backend_pick.index(all.len())];
        let c = camellia(key, backend);
        for encrypt in [true, false] {
            let expected = openssl(mode, key, &iv, encrypt, &data);
            let mut ours = data.clone();
            run(mode, &*c, &iv, encrypt, &mut ours, &cuts);
            prop_assert_eq!(to_hex(&ours), to_hex(&expected), "{:?} {} encrypt={} len {}", mode, backend, encrypt, data.len());
        }
    }
}
