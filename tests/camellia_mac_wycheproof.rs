//! Wycheproof vectors for Camellia-CCM (552), Camellia-CMAC (311) and Camellia key wrap
//! (159), run as published (`vectors/wycheproof_camellia_{ccm,cmac,wrap}_test.json`):
//! every valid case must give the expected output and round-trip, every invalid case
//! must be rejected with a typed error; "acceptable" cases may go either way but must
//! not panic. Every CCM case runs on every backend.

mod common;

use common::{backends, hex, read_vector_file};
use serde_json::Value;
use tsubaki::Error;
use tsubaki::camellia::aead::CamelliaCcm;
use tsubaki::camellia::mac;

fn load(file: &str) -> Value {
    serde_json::from_str(&read_vector_file(file)).unwrap()
}

/// Calls `f(group, test)` for every test, and returns how many there were.
fn each(v: &Value, mut f: impl FnMut(&Value, &Value)) -> usize {
    let mut n = 0;
    for g in v["testGroups"].as_array().unwrap() {
        for t in g["tests"].as_array().unwrap() {
            f(g, t);
            n += 1;
        }
    }
    assert_eq!(n as u64, v["numberOfTests"].as_u64().unwrap());
    n
}

fn field(t: &Value, name: &str) -> Vec<u8> {
    hex(t[name].as_str().unwrap())
}

fn id(t: &Value) -> String {
    format!("tcId {} ({}; {})", t["tcId"], t["comment"], t["flags"])
}

#[test]
fn ccm() {
    let v = load("wycheproof_camellia_ccm_test.json");
    let (mut valid, mut invalid) = (0, 0);
    let n = each(&v, |g, t| {
        let (key, iv, aad, msg, ct, tag) = (
            field(t, "key"),
            field(t, "iv"),
            field(t, "aad"),
            field(t, "msg"),
            field(t, "ct"),
            field(t, "tag"),
        );
        let tag_len = g["tagSize"].as_u64().unwrap() as usize / 8;
        let result = t["result"].as_str().unwrap();
        for b in backends() {
            let ccm = CamelliaCcm::with_backend(&key, iv.len(), tag_len, b);
            match result {
                "valid" => {
                    let ccm = ccm.unwrap_or_else(|e| panic!("{}: {e}", id(t)));
                    let sealed = ccm.seal(&iv, &aad, &msg).unwrap();
                    assert_eq!(sealed, [&ct[..], &tag[..]].concat(), "{} on {b}", id(t));
                    assert_eq!(ccm.open(&iv, &aad, &sealed).unwrap(), msg, "{}", id(t));
                }
                "invalid" => {
                    let r = ccm.and_then(|c| c.open(&iv, &aad, &[&ct[..], &tag[..]].concat()));
                    assert!(
                        matches!(
                            r,
                            Err(Error::AuthenticationFailed
                                | Error::InvalidNonceLength { .. }
                                | Error::InvalidTagLength { .. })
                        ),
                        "{} on {b}: {r:?}",
                        id(t)
                    );
                }
                other => panic!("{}: result {other}", id(t)),
            }
        }
        match result {
            "valid" => valid += 1,
            _ => invalid += 1,
        }
    });
    assert_eq!((n, valid, invalid), (552, 405, 147));
}

#[test]
fn cmac() {
    let v = load("wycheproof_camellia_cmac_test.json");
    let (mut valid, mut invalid) = (0, 0);
    let n = each(&v, |_, t| {
        let (key, msg, tag) = (field(t, "key"), field(t, "msg"), field(t, "tag"));
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert_eq!(mac::cmac(&key, &msg).unwrap()[..], tag[..], "{}", id(t));
                mac::cmac_verify(&key, &msg, &tag).unwrap();
                // The same message fed in pieces.
                let mut m = mac::Cmac::new(&key).unwrap();
                for piece in msg.chunks(7) {
                    m.update(piece);
                }
                assert_eq!(m.finalize()[..], tag[..], "{}", id(t));
                valid += 1;
            }
            "invalid" => {
                let r = mac::cmac_verify(&key, &msg, &tag);
                assert!(
                    matches!(
                        r,
                        Err(Error::AuthenticationFailed | Error::InvalidKeyLength { .. })
                    ),
                    "{}: {r:?}",
                    id(t)
                );
                invalid += 1;
            }
            other => panic!("{}: result {other}", id(t)),
        }
    });
    assert_eq!((n, valid, invalid), (311, 63, 248));
}

#[test]
fn key_wrap() {
    let v = load("wycheproof_camellia_wrap_test.json");
    let (mut valid, mut invalid, mut acceptable) = (0, 0, 0);
    let n = each(&v, |_, t| {
        let (kek, msg, ct) = (field(t, "key"), field(t, "msg"), field(t, "ct"));
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert_eq!(mac::wrap(&kek, &msg).unwrap(), ct, "{}", id(t));
                assert_eq!(*mac::unwrap(&kek, &ct).unwrap(), msg, "{}", id(t));
                valid += 1;
            }
            "invalid" => {
                let r = mac::unwrap(&kek, &ct);
                assert!(
                    matches!(r, Err(Error::AuthenticationFailed | Error::InvalidLength)),
                    "{}: {:?}",
                    id(t),
                    r.map(|_| ())
                );
                // Wrapping a key of a length the scheme does not take is refused too.
                if msg.len() < 16 || msg.len() % 8 != 0 {
                    assert_eq!(
                        mac::wrap(&kek, &msg),
                        Err(Error::InvalidLength),
                        "{}",
                        id(t)
                    );
                }
                invalid += 1;
            }
            "acceptable" => {
                // 8-byte keys: RFC 3394 needs two blocks; we refuse them.
                assert_eq!(
                    mac::wrap(&kek, &msg),
                    Err(Error::InvalidLength),
                    "{}",
                    id(t)
                );
                assert!(mac::unwrap(&kek, &ct).is_err(), "{}", id(t));
                acceptable += 1;
            }
            other => panic!("{}: result {other}", id(t)),
        }
    });
    assert_eq!((n, valid, invalid, acceptable), (159, 30, 126, 3));
}

#[test]
fn bad_parameters_are_typed_errors() {
    assert_eq!(
        CamelliaCcm::new(&[0; 16], 6, 16).unwrap_err(),
        Error::InvalidNonceLength { got: 6 }
    );
    assert_eq!(
        CamelliaCcm::new(&[0; 16], 14, 16).unwrap_err(),
        Error::InvalidNonceLength { got: 14 }
    );
    for bad in [0, 2, 5, 17] {
        assert_eq!(
            CamelliaCcm::new(&[0; 16], 12, bad).unwrap_err(),
            Error::InvalidTagLength { got: bad }
        );
    }
    let ccm = CamelliaCcm::new(&[0; 16], 13, 8).unwrap();
    // L = 2: messages up to 65535 bytes.
    assert_eq!(ccm.max_message_len(), 65535);
    assert_eq!(
        ccm.seal(&[0; 13], b"", &vec![0; 65536]),
        Err(Error::MessageTooLong)
    );
    assert!(ccm.seal(&[0; 13], b"", &vec![0; 65535]).is_ok());
    assert_eq!(
        ccm.seal(&[0; 12], b"", b"x"),
        Err(Error::InvalidNonceLength { got: 12 })
    );
    assert_eq!(ccm.open(&[0; 13], b"", &[0; 7]), Err(Error::InvalidLength));
    let sealed = ccm.seal(&[0; 13], b"a", b"secret").unwrap();
    let mut buf = sealed[..6].to_vec();
    let mut tag = sealed[6..].to_vec();
    tag[0] ^= 1;
    assert_eq!(
        ccm.open_in_place_detached(&[0; 13], b"a", &mut buf, &tag),
        Err(Error::AuthenticationFailed)
    );
    assert_eq!(buf, [0; 6], "wiped");
    // Long AAD takes the 0xFFFE length encoding.
    let aad = vec![7u8; 70_000];
    let s = ccm.seal(&[1; 13], &aad, b"m").unwrap();
    assert_eq!(ccm.open(&[1; 13], &aad, &s).unwrap(), b"m");
    assert!(ccm.open(&[1; 13], &aad[1..], &s).is_err());

    assert_eq!(
        mac::cmac(&[0; 20], b"").unwrap_err(),
        Error::InvalidKeyLength { got: 20 }
    );
    assert_eq!(
        mac::cmac_verify(&[0; 16], b"", &[0; 4]),
        Err(Error::InvalidTagLength { got: 4 })
    );
    assert_eq!(
        mac::wrap(&[0; 15], &[0; 16]),
        Err(Error::InvalidKeyLength { got: 15 })
    );
    assert_eq!(
        mac::unwrap(&[0; 16], &[0; 23]).map(|_| ()),
        Err(Error::InvalidLength)
    );
    let w = mac::wrap(&[1; 32], &[2; 24]).unwrap();
    let mut bad = w.clone();
    bad[20] ^= 1;
    assert_eq!(
        mac::unwrap(&[1; 32], &bad).map(|_| ()),
        Err(Error::AuthenticationFailed)
    );
    let mut in_place = bad.clone();
    assert!(mac::unwrap_in_place(&[1; 32], &mut in_place).is_err());
    assert!(in_place.iter().all(|&b| b == 0), "wiped");
}
