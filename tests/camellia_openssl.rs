//! Differential tests: every backend against the system OpenSSL (libcrypto, through the
//! `openssl` crate) in ECB with padding off, for all three key sizes.
//!
//! Our `encrypt_blocks`/`encrypt_block` must give OpenSSL's encryption of the same blocks,
//! and our `decrypt_blocks`/`decrypt_block` of random data must give OpenSSL's decryption.

mod common;

use common::{backends, camellia, prop_assert_blocks, proptest_cases, to_blocks, to_hex};
use openssl::symm::{Cipher, Crypter, Mode};
use proptest::collection::vec;
use proptest::prelude::*;
use tsubaki::OsRng;
use tsubaki::rand_core::Rng;

/// OpenSSL's Camellia-ECB of `data` (whole blocks) in direction `mode`, padding off.
fn openssl_ecb(mode: Mode, key: &[u8], data: &[u8]) -> Vec<u8> {
    let cipher = match key.len() {
        16 => Cipher::camellia_128_ecb(),
        24 => Cipher::camellia_192_ecb(),
        32 => Cipher::camellia_256_ecb(),
        n => panic!("Camellia has no {n}-byte key"),
    };
    let mut crypter = Crypter::new(cipher, mode, key, None).expect("OpenSSL Camellia-ECB");
    crypter.pad(false);
    let mut out = vec![0; data.len() + 16];
    let mut n = crypter.update(data, &mut out).expect("EVP_CipherUpdate");
    n += crypter.finalize(&mut out[n..]).expect("EVP_CipherFinal");
    out.truncate(n);
    assert_eq!(out.len(), data.len(), "OpenSSL returned a different length");
    out
}

/// Checks every backend against OpenSSL on `blocks` with `key`, both directions, bulk and
/// one block at a time.
fn check_against_openssl(key: &[u8], blocks: &[[u8; 16]]) -> Result<(), TestCaseError> {
    let data = blocks.as_flattened();
    let want_enc = to_blocks(&openssl_ecb(Mode::Encrypt, key, data));
    let want_dec = to_blocks(&openssl_ecb(Mode::Decrypt, key, data));
    for backend in backends() {
        let c = camellia(key, backend);
        let at = format!(
            "{backend}, {}-byte key {}, {} blocks",
            key.len(),
            to_hex(key),
            blocks.len()
        );

        let mut bulk = blocks.to_vec();
        c.encrypt_blocks(&mut bulk);
        prop_assert_blocks(&bulk, &want_enc, &format!("{at}: encrypt_blocks"))?;
        let mut bulk = blocks.to_vec();
        c.decrypt_blocks(&mut bulk);
        prop_assert_blocks(&bulk, &want_dec, &format!("{at}: decrypt_blocks"))?;

        let mut each = blocks.to_vec();
        each.iter_mut().for_each(|b| c.encrypt_block(b));
        prop_assert_blocks(&each, &want_enc, &format!("{at}: encrypt_block"))?;
        let mut each = blocks.to_vec();
        each.iter_mut().for_each(|b| c.decrypt_block(b));
        prop_assert_blocks(&each, &want_dec, &format!("{at}: decrypt_block"))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(48)))]

    /// Random keys of each size, random data of 0 to 300 blocks.
    #[test]
    fn ecb_matches_openssl(
        k16 in any::<[u8; 16]>(),
        k24 in any::<[u8; 24]>(),
        k32 in any::<[u8; 32]>(),
        blocks in vec(any::<[u8; 16]>(), 0..=300),
    ) {
        check_against_openssl(&k16, &blocks)?;
        check_against_openssl(&k24, &blocks)?;
        check_against_openssl(&k32, &blocks)?;
    }
}

/// Every length from 0 to 130 blocks, so each remainder around the 16-, 32- and 64-block
/// batch sizes is hit for sure rather than by chance. Keys and data come from the OS.
#[test]
fn every_length_up_to_130_blocks_matches_openssl() {
    let mut data = vec![0u8; 130 * 16];
    OsRng.fill_bytes(&mut data);
    for key_len in [16, 24, 32] {
        let mut key = vec![0u8; key_len];
        OsRng.fill_bytes(&mut key);
        for n in 0..=130 {
            let blocks = to_blocks(&data[..n * 16]);
            if let Err(e) = check_against_openssl(&key, &blocks) {
                panic!("{e}");
            }
        }
    }
}
