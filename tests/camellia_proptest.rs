//! Properties of the Camellia block cipher that hold for every key, every input and every
//! backend: decryption inverts encryption, all backends agree, the bulk functions equal
//! block-by-block calls, and a wrong key length is a typed error, never a panic.
//!
//! The case count is modest so the suite stays fast; `PROPTEST_CASES=n` raises it.

mod common;

use common::{backends, prop_assert_blocks, proptest_cases};
use proptest::collection::vec;
use proptest::prelude::*;
use tsubaki::Error;
use tsubaki::camellia::{Backend, Camellia};

/// 0 to 200 blocks. Half the time the length is drawn from around the batch sizes of the
/// parallel paths (16, 32, 64 blocks and their multiples), where off-by-one errors live.
fn blocks() -> impl Strategy<Value = Vec<[u8; 16]>> {
    let edges = prop::sample::select(vec![
        1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 193,
    ]);
    prop_oneof![0usize..=200, edges].prop_flat_map(|n| vec(any::<[u8; 16]>(), n))
}

fn cipher<const N: usize>(key: &[u8; N], backend: Backend) -> Camellia<N> {
    let c = Camellia::<N>::with_backend(key, backend).expect("available backend");
    assert_eq!(c.backend(), backend);
    c
}

fn encrypt_each<const N: usize>(c: &Camellia<N>, blocks: &[[u8; 16]]) -> Vec<[u8; 16]> {
    let mut out = blocks.to_vec();
    out.iter_mut().for_each(|b| c.encrypt_block(b));
    out
}

fn decrypt_each<const N: usize>(c: &Camellia<N>, blocks: &[[u8; 16]]) -> Vec<[u8; 16]> {
    let mut out = blocks.to_vec();
    out.iter_mut().for_each(|b| c.decrypt_block(b));
    out
}

fn encrypt_bulk<const N: usize>(c: &Camellia<N>, blocks: &[[u8; 16]]) -> Vec<[u8; 16]> {
    let mut out = blocks.to_vec();
    c.encrypt_blocks(&mut out);
    out
}

fn decrypt_bulk<const N: usize>(c: &Camellia<N>, blocks: &[[u8; 16]]) -> Vec<[u8; 16]> {
    let mut out = blocks.to_vec();
    c.decrypt_blocks(&mut out);
    out
}

/// Decrypting an encryption gives the input back, and so does encrypting a decryption,
/// one block at a time and in bulk.
fn round_trip<const N: usize>(key: &[u8; N], blocks: &[[u8; 16]]) -> Result<(), TestCaseError> {
    for backend in backends() {
        let c = cipher(key, backend);
        let at = format!("{backend}, {N}-byte key, {} blocks", blocks.len());
        let each = decrypt_each(&c, &encrypt_each(&c, blocks));
        prop_assert_blocks(
            &each,
            blocks,
            &format!("{at}: decrypt_block(encrypt_block)"),
        )?;
        let each = encrypt_each(&c, &decrypt_each(&c, blocks));
        prop_assert_blocks(
            &each,
            blocks,
            &format!("{at}: encrypt_block(decrypt_block)"),
        )?;
        let bulk = decrypt_bulk(&c, &encrypt_bulk(&c, blocks));
        prop_assert_blocks(
            &bulk,
            blocks,
            &format!("{at}: decrypt_blocks(encrypt_blocks)"),
        )?;
        let bulk = encrypt_bulk(&c, &decrypt_bulk(&c, blocks));
        prop_assert_blocks(
            &bulk,
            blocks,
            &format!("{at}: encrypt_blocks(decrypt_blocks)"),
        )?;
    }
    Ok(())
}

/// Every backend, one block at a time and in bulk, gives what the first backend gives one
/// block at a time, in both directions.
fn backends_agree<const N: usize>(key: &[u8; N], blocks: &[[u8; 16]]) -> Result<(), TestCaseError> {
    let all = backends();
    let first = cipher(key, all[0]);
    let (enc, dec) = (encrypt_each(&first, blocks), decrypt_each(&first, blocks));
    for &backend in &all {
        let c = cipher(key, backend);
        let vs = format!(
            "{backend} vs {}, {N}-byte key, {} blocks",
            all[0],
            blocks.len()
        );
        prop_assert_blocks(
            &encrypt_each(&c, blocks),
            &enc,
            &format!("{vs}: encrypt_block"),
        )?;
        prop_assert_blocks(
            &decrypt_each(&c, blocks),
            &dec,
            &format!("{vs}: decrypt_block"),
        )?;
        prop_assert_blocks(
            &encrypt_bulk(&c, blocks),
            &enc,
            &format!("{vs}: encrypt_blocks"),
        )?;
        prop_assert_blocks(
            &decrypt_bulk(&c, blocks),
            &dec,
            &format!("{vs}: decrypt_blocks"),
        )?;
    }
    Ok(())
}

/// `encrypt_blocks`/`decrypt_blocks` equal `encrypt_block`/`decrypt_block` on each block.
fn bulk_is_one_by_one<const N: usize>(
    key: &[u8; N],
    blocks: &[[u8; 16]],
) -> Result<(), TestCaseError> {
    for backend in backends() {
        let c = cipher(key, backend);
        let at = format!("{backend}, {N}-byte key, {} blocks", blocks.len());
        let (bulk, each) = (encrypt_bulk(&c, blocks), encrypt_each(&c, blocks));
        prop_assert_blocks(
            &bulk,
            &each,
            &format!("{at}: encrypt_blocks vs encrypt_block"),
        )?;
        let (bulk, each) = (decrypt_bulk(&c, blocks), decrypt_each(&c, blocks));
        prop_assert_blocks(
            &bulk,
            &each,
            &format!("{at}: decrypt_blocks vs decrypt_block"),
        )?;
    }
    Ok(())
}

/// `new_from_slice` and `with_backend_from_slice` accept exactly `N` bytes and answer
/// anything else with `InvalidKeyLength` carrying the length passed.
fn key_length<const N: usize>(key: &[u8]) -> Result<(), TestCaseError> {
    let got = key.len();
    let want = if got == N {
        None
    } else {
        Some(Error::InvalidKeyLength { got })
    };
    prop_assert_eq!(
        Camellia::<N>::new_from_slice(key).err(),
        want,
        "Camellia<{}>::new_from_slice, {} bytes",
        N,
        got
    );
    for backend in backends() {
        prop_assert_eq!(
            Camellia::<N>::with_backend_from_slice(key, backend).err(),
            want,
            "Camellia<{}>::with_backend_from_slice on {}, {} bytes",
            N,
            backend,
            got
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(64)))]

    #[test]
    fn decrypt_inverts_encrypt(
        k16 in any::<[u8; 16]>(),
        k24 in any::<[u8; 24]>(),
        k32 in any::<[u8; 32]>(),
        blocks in blocks(),
    ) {
        round_trip(&k16, &blocks)?;
        round_trip(&k24, &blocks)?;
        round_trip(&k32, &blocks)?;
    }

    #[test]
    fn all_backends_agree(
        k16 in any::<[u8; 16]>(),
        k24 in any::<[u8; 24]>(),
        k32 in any::<[u8; 32]>(),
        blocks in blocks(),
    ) {
        backends_agree(&k16, &blocks)?;
        backends_agree(&k24, &blocks)?;
        backends_agree(&k32, &blocks)?;
    }

    #[test]
    fn bulk_equals_one_by_one(
        k16 in any::<[u8; 16]>(),
        k24 in any::<[u8; 24]>(),
        k32 in any::<[u8; 32]>(),
        blocks in blocks(),
    ) {
        bulk_is_one_by_one(&k16, &blocks)?;
        bulk_is_one_by_one(&k24, &blocks)?;
        bulk_is_one_by_one(&k32, &blocks)?;
    }

    #[test]
    fn wrong_key_length_is_an_error(key in vec(any::<u8>(), 0..=80)) {
        key_length::<16>(&key)?;
        key_length::<24>(&key)?;
        key_length::<32>(&key)?;
    }
}

/// The lengths a caller is most likely to get wrong, for sure rather than by chance: every
/// length from 0 to 64 bytes, so each key size is also seen accepting its own length.
#[test]
fn every_key_length_up_to_64() {
    for len in 0..=64 {
        let key = vec![0xA5; len];
        for result in [
            key_length::<16>(&key),
            key_length::<24>(&key),
            key_length::<32>(&key),
        ] {
            if let Err(e) = result {
                panic!("{e}");
            }
        }
    }
}
