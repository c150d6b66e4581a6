//! Known-answer tests: every vector file in `vectors/` on every backend this CPU runs.
//!
//! Each vector goes through `encrypt_block` and `decrypt_block`. All the vectors of one key
//! also go through `encrypt_blocks`/`decrypt_blocks` together (NTT has 128 per key, NESSIE
//! sets 2 and 6 have 128), so the bulk paths run on batches of 64 and more distinct blocks.
//! Botan's multi-block inputs go through `encrypt_blocks` whole.
//!
//! Every test prints how many vectors it checked per backend and asserts the count given in
//! `vectors/README.md`, so a reader that silently skips entries fails.
//! `cargo test --test camellia_vectors -- --nocapture` shows the counts.

mod common;

use common::{
    BlockCipher, TestCase, backends, camellia, first_difference, group_by, parse_nessie,
    read_key_value, read_nessie, to_hex,
};
use tsubaki::camellia::Backend;

/// Checks `encrypt_block(pt) == ct` and `decrypt_block(ct) == pt`.
fn check_block(c: &dyn BlockCipher, backend: Backend, case: &TestCase, pt: [u8; 16], ct: [u8; 16]) {
    let mut x = pt;
    c.encrypt_block(&mut x);
    assert_eq!(to_hex(&x), to_hex(&ct), "{case}\n{backend}: encrypt_block");
    c.decrypt_block(&mut x);
    assert_eq!(to_hex(&x), to_hex(&pt), "{case}\n{backend}: decrypt_block");
}

/// Checks `encrypt_blocks(pts) == cts` and `decrypt_blocks(cts) == pts` in one batch,
/// where `pts[i]`/`cts[i]` belong to `cases[i]`.
fn check_batch(
    c: &dyn BlockCipher,
    backend: Backend,
    cases: &[&TestCase],
    pts: &[[u8; 16]],
    cts: &[[u8; 16]],
) {
    let n = pts.len();
    let mut x = pts.to_vec();
    c.encrypt_blocks(&mut x);
    for (i, case) in cases.iter().enumerate() {
        assert_eq!(
            to_hex(&x[i]),
            to_hex(&cts[i]),
            "{case}\n{backend}: encrypt_blocks, block {i} of {n}"
        );
    }
    let mut x = cts.to_vec();
    c.decrypt_blocks(&mut x);
    for (i, case) in cases.iter().enumerate() {
        assert_eq!(
            to_hex(&x[i]),
            to_hex(&pts[i]),
            "{case}\n{backend}: decrypt_blocks, block {i} of {n}"
        );
    }
}

/// Runs a KEY/PT/CT file on every backend and asserts it holds `expected` vectors.
fn check_kat_file(file: &'static str, expected: usize) {
    let cases = read_key_value(file);
    for case in &cases {
        case.expect_fields(&["KEY", "PT", "CT"]);
    }
    for backend in backends() {
        let mut checked = 0;
        for group in group_by(&cases, "KEY") {
            let c = camellia(&group[0].bytes("KEY"), backend);
            let pts: Vec<[u8; 16]> = group.iter().map(|case| case.block("PT")).collect();
            let cts: Vec<[u8; 16]> = group.iter().map(|case| case.block("CT")).collect();
            for ((case, &pt), &ct) in group.iter().zip(&pts).zip(&cts) {
                check_block(&*c, backend, case, pt, ct);
                checked += 1;
            }
            check_batch(&*c, backend, &group, &pts, &cts);
        }
        println!("{file}: {checked} vectors on {backend}");
        assert_eq!(checked, expected, "{file} on {backend}: vectors checked");
    }
}

#[test]
fn rfc3713_appendix_a() {
    check_kat_file("rfc3713_appendix_a.txt", 3);
}

#[test]
fn nessie_128_sets_1_to_8() {
    check_kat_file("nessie_camellia128_sets1-8.txt", 1028);
}

#[test]
fn nessie_192_sets_1_to_8() {
    check_kat_file("nessie_camellia192_sets1-8.txt", 1156);
}

#[test]
fn nessie_256_sets_1_to_8() {
    check_kat_file("nessie_camellia256_sets1-8.txt", 1284);
}

#[test]
fn ntt_kat() {
    check_kat_file("ntt_camellia_kat.txt", 3840);
}

/// The NESSIE file in its original layout. Sets 1-4 encrypt `plain` to `cipher`, and
/// `decrypted` is the decryption of `cipher`; they also give the result of encrypting
/// `plain` 100 and 1000 times in a row. Sets 5-8 decrypt `cipher` to `plain`, and
/// `encrypted` is the encryption of `plain`.
#[test]
fn nessie_128_full_with_iterations() {
    const FILE: &str = "nessie_camellia128_full.txt";
    let cases = read_nessie(FILE);
    for case in &cases {
        if case.get("decrypted").is_some() {
            case.expect_fields(&[
                "key",
                "plain",
                "cipher",
                "decrypted",
                "Iterated 100 times",
                "Iterated 1000 times",
            ]);
        } else {
            case.expect_fields(&["key", "cipher", "plain", "encrypted"]);
        }
    }
    for backend in backends() {
        let (mut checked, mut iterated) = (0, 0);
        for group in group_by(&cases, "key") {
            let c = camellia(&group[0].bytes("key"), backend);
            let pts: Vec<[u8; 16]> = group.iter().map(|case| case.block("plain")).collect();
            let cts: Vec<[u8; 16]> = group.iter().map(|case| case.block("cipher")).collect();
            for ((case, &pt), &ct) in group.iter().zip(&pts).zip(&cts) {
                check_block(&*c, backend, case, pt, ct);
                // `decrypted`/`encrypted` are NESSIE's own round trip of the vector.
                if case.get("decrypted").is_some() {
                    let mut x = ct;
                    c.decrypt_block(&mut x);
                    assert_eq!(
                        to_hex(&x),
                        case.get("decrypted").unwrap(),
                        "{case}\n{backend}"
                    );
                } else {
                    let mut x = pt;
                    c.encrypt_block(&mut x);
                    assert_eq!(
                        to_hex(&x),
                        case.get("encrypted").unwrap(),
                        "{case}\n{backend}"
                    );
                }
                checked += 1;

                if case.get("Iterated 1000 times").is_some() {
                    let mut x = pt;
                    for i in 1..=1000 {
                        c.encrypt_block(&mut x);
                        if i == 100 || i == 1000 {
                            let name = format!("Iterated {i} times");
                            assert_eq!(
                                to_hex(&x),
                                to_hex(&case.block(&name)),
                                "{case}\n{backend}: {name}"
                            );
                            iterated += 1;
                        }
                    }
                }
            }
            check_batch(&*c, backend, &group, &pts, &cts);
        }
        println!("{FILE}: {checked} vectors and {iterated} iterated values on {backend}");
        assert_eq!(checked, 1028, "{FILE} on {backend}: vectors checked");
        assert_eq!(
            iterated,
            2 * 514,
            "{FILE} on {backend}: iterated values checked"
        );
    }
}

/// Botan's `camellia.vec`: `Key`/`In`/`Out` under `[Camellia-128]`, `[Camellia-192]` and
/// `[Camellia-256]`, where `In` may be many blocks (ECB).
#[test]
fn botan() {
    const FILE: &str = "botan_camellia.vec";
    let cases = read_key_value(FILE);
    for case in &cases {
        case.expect_fields(&["Key", "In", "Out"]);
    }
    for backend in backends() {
        let mut checked = 0;
        for case in &cases {
            let key = case.bytes("Key");
            let section = format!("Camellia-{}", key.len() * 8);
            assert_eq!(case.section.as_deref(), Some(&*section), "{case}\nkey size");
            let c = camellia(&key, backend);
            let (pt, ct) = (case.blocks("In"), case.blocks("Out"));
            assert_eq!(pt.len(), ct.len(), "{case}\nIn and Out differ in length");
            for (&p, &q) in pt.iter().zip(&ct) {
                check_block(&*c, backend, case, p, q);
            }
            let mut x = pt.clone();
            c.encrypt_blocks(&mut x);
            if let Some(diff) = first_difference(&x, &ct) {
                panic!("{case}\n{backend}: encrypt_blocks: {diff}");
            }
            c.decrypt_blocks(&mut x);
            if let Some(diff) = first_difference(&x, &pt) {
                panic!("{case}\n{backend}: decrypt_blocks: {diff}");
            }
            checked += 1;
        }
        println!("{FILE}: {checked} vectors on {backend}");
        assert_eq!(checked, 17, "{FILE} on {backend}: vectors checked");
    }
}

/// The NESSIE reader joins a value wrapped over several lines (none of the Camellia values
/// is long enough to wrap, so the vector files do not exercise this).
#[test]
fn nessie_reader_joins_wrapped_values() {
    let text = "\
Test vectors -- set 1
=====================

Set 1, vector#  0:
                           key=00112233
                               44556677
                         plain=8899

Set 1, vector#  1:
                           key=AB
";
    let cases = parse_nessie("inline", text);
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].get("key"), Some("0011223344556677"));
    assert_eq!(cases[0].get("plain"), Some("8899"));
    assert_eq!(cases[0].label, "Set 1, vector#  0");
    assert_eq!((cases[1].number, cases[1].line), (2, 9));
}

/// A field outside any vector (after a lost `Set` line) stops the NESSIE reader instead of
/// being skipped without a word.
#[test]
#[should_panic(expected = "inline:5: field outside a vector: plain=11")]
fn nessie_reader_refuses_stray_fields() {
    let _ = parse_nessie("inline", "\nSet 1, vector#  0:\n  key=00\n\n  plain=11\n");
}
