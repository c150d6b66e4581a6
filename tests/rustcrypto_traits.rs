//! The RustCrypto traits (features `cipher` and `aead`, issue 13): generic crates built over
//! tsubaki's `cipher` impl must agree with tsubaki's own modes, and with the same crates
//! over RustCrypto's independent `camellia` crate, on random keys, nonces, AAD and lengths
//! (0, 1, 15, 16, 17, 255, 256, 257 and 4 KiB + 3: the 16-block parallel path and its tails).
//! Our GCM and CCM behind `aead::AeadInOut` must round-trip, refuse a flipped bit, and
//! agree with `aes-gcm`'s and `ccm`'s generic code.

use aead::{Aead, AeadInOut, KeyInit, Payload};
use cipher::consts::{U8, U12, U13, U16};
use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, BlockModeEncrypt, KeyIvInit, StreamCipher};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use tsubaki::camellia::aead::{CamelliaCcm, CamelliaGcm, Ccm};
use tsubaki::camellia::modes::{Cbc, Ctr};
use tsubaki::camellia::{Camellia128, Camellia192, Camellia256, mac};

const LENGTHS: [usize; 9] = [0, 1, 15, 16, 17, 255, 256, 257, 4096 + 3];

fn bytes(rng: &mut ChaCha8Rng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng.fill_bytes(&mut v);
    v
}

/// Single blocks and 16-block batches through the trait, both directions, against the
/// RustCrypto `camellia` crate.
#[test]
fn block_traits_match_rustcrypto_camellia() {
    fn check<T, P>(rng: &mut ChaCha8Rng)
    where
        T: KeyInit + BlockCipherEncrypt + BlockCipherDecrypt,
        P: KeyInit + BlockCipherEncrypt + BlockCipherDecrypt,
    {
        for _ in 0..20 {
            let key = bytes(rng, T::key_size());
            let ours = T::new_from_slice(&key).unwrap();
            let peer = P::new_from_slice(&key).unwrap();
            let n = (rng.next_u32() % 40) as usize;
            let data = bytes(rng, 16 * n);
            let mut a: Vec<cipher::Block<T>> = data
                .chunks(16)
                .map(|c| cipher::Block::<T>::try_from(c).unwrap())
                .collect();
            let mut b: Vec<cipher::Block<P>> = data
                .chunks(16)
                .map(|c| cipher::Block::<P>::try_from(c).unwrap())
                .collect();
            ours.encrypt_blocks(&mut a);
            peer.encrypt_blocks(&mut b);
            assert!(a.iter().zip(&b).all(|(x, y)| x.as_slice() == y.as_slice()));
            ours.decrypt_blocks(&mut a);
            assert!(a.iter().flatten().copied().eq(data.iter().copied()));
            if let Some(first) = a.first_mut() {
                ours.encrypt_block(first);
                let p = P::new_from_slice(&key).unwrap();
                let mut pb = cipher::Block::<P>::try_from(&data[..16]).unwrap();
                p.encrypt_block(&mut pb);
                assert_eq!(first.as_slice(), pb.as_slice());
                ours.decrypt_block(first);
                assert_eq!(first.as_slice(), &data[..16]);
            }
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    check::<Camellia128, camellia::Camellia128>(&mut rng);
    check::<Camellia192, camellia::Camellia192>(&mut rng);
    check::<Camellia256, camellia::Camellia256>(&mut rng);
}

/// `ctr::Ctr128BE` and `cbc::Encryptor` over our cipher against our own CTR and CBC.
#[test]
fn ctr_and_cbc_over_our_cipher_match_our_modes() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    for len in LENGTHS {
        let key: [u8; 16] = bytes(&mut rng, 16).try_into().unwrap();
        let iv: [u8; 16] = bytes(&mut rng, 16).try_into().unwrap();
        let data = bytes(&mut rng, len);

        let mut generic = data.clone();
        let mut c = ctr::Ctr128BE::<Camellia128>::new(&key.into(), &iv.into());
        c.apply_keystream(&mut generic);
        let mut ours = data.clone();
        Ctr::new(Camellia128::new(&key), &iv)
            .apply_keystream(&mut ours)
            .unwrap();
        assert_eq!(generic, ours, "CTR, {len} bytes");

        let blocks = len / 16;
        let mut generic = data[..16 * blocks].to_vec();
        let mut e = cbc::Encryptor::<Camellia128>::new(&key.into(), &iv.into());
        for chunk in generic.chunks_mut(16) {
            e.encrypt_block(chunk.try_into().unwrap());
        }
        let mut ours: Vec<[u8; 16]> = data[..16 * blocks]
            .chunks(16)
            .map(|c| c.try_into().unwrap())
            .collect();
        Cbc::new(Camellia128::new(&key), &iv).encrypt_blocks(&mut ours);
        assert_eq!(generic, ours.concat(), "CBC, {blocks} blocks");
    }
}

/// `aes_gcm::AesGcm<Camellia, U12>` over our cipher, our `CamelliaGcm` inherent API and our
/// `CamelliaGcm` through `aead::Aead` all give the same sealed bytes; a flipped bit is
/// refused through the trait and the in-place buffer comes back wiped.
#[test]
fn gcm_agrees_with_generic_aes_gcm() {
    let mut rng = ChaCha8Rng::seed_from_u64(15);
    for (i, len) in LENGTHS.into_iter().enumerate() {
        let klen = [16, 24, 32][i % 3];
        let key = bytes(&mut rng, klen);
        let nonce: [u8; 12] = bytes(&mut rng, 12).try_into().unwrap();
        let aad_len = (rng.next_u32() % 40) as usize;
        let aad = bytes(&mut rng, aad_len);
        let msg = bytes(&mut rng, len);
        let ours = CamelliaGcm::new(&key).unwrap();
        let want = ours.seal(&nonce, &aad, &msg);
        let payload = || Payload {
            msg: &msg,
            aad: &aad,
        };
        let generic = match klen {
            16 => aes_gcm::AesGcm::<Camellia128, U12>::new_from_slice(&key)
                .unwrap()
                .encrypt(&nonce.into(), payload())
                .unwrap(),
            24 => aes_gcm::AesGcm::<Camellia192, U12>::new_from_slice(&key)
                .unwrap()
                .encrypt(&nonce.into(), payload())
                .unwrap(),
            _ => aes_gcm::AesGcm::<Camellia256, U12>::new_from_slice(&key)
                .unwrap()
                .encrypt(&nonce.into(), payload())
                .unwrap(),
        };
        assert_eq!(generic, want, "aes-gcm generic, key {klen}, {len} bytes");
        let through_trait = Aead::encrypt(&ours, &nonce.into(), payload()).unwrap();
        assert_eq!(through_trait, want, "aead::Aead, key {klen}, {len} bytes");
        let back = Aead::decrypt(
            &ours,
            &nonce.into(),
            Payload {
                msg: &want,
                aad: &aad,
            },
        )
        .unwrap();
        assert_eq!(back, msg);
        // A flipped bit anywhere: refused, in-place buffer wiped.
        let mut bad = want.clone();
        let at = (rng.next_u32() as usize) % bad.len();
        bad[at] ^= 1;
        let (ct, tag) = bad.split_at_mut(len);
        let tag: [u8; 16] = (&*tag).try_into().unwrap();
        assert!(
            ours.decrypt_inout_detached(&nonce.into(), &aad, ct.into(), &tag.into())
                .is_err()
        );
        assert!(ct.iter().all(|&b| b == 0), "buffer wiped on failure");
    }
    // A truncated-tag object refuses the 16-byte-tag trait.
    let short = CamelliaGcm::new_with_tag_len(&[0u8; 16], 12).unwrap();
    assert!(Aead::encrypt(&short, &[0u8; 12].into(), &b"x"[..]).is_err());
}

/// `ccm::Ccm<Camellia128, U16, U13>` and `<.., U8, U12>` over our cipher against our
/// `CamelliaCcm` and our `Ccm<N, T>` through the trait.
#[test]
fn ccm_agrees_with_generic_ccm() {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    for len in LENGTHS {
        let key = bytes(&mut rng, 16);
        let aad_len = (rng.next_u32() % 40) as usize;
        let aad = bytes(&mut rng, aad_len);
        let msg = bytes(&mut rng, len);

        let nonce13: [u8; 13] = bytes(&mut rng, 13).try_into().unwrap();
        let want = CamelliaCcm::new(&key, 13, 16)
            .unwrap()
            .seal(&nonce13, &aad, &msg)
            .unwrap();
        let payload = || Payload {
            msg: &msg,
            aad: &aad,
        };
        let generic = ccm::Ccm::<Camellia128, U16, U13>::new_from_slice(&key)
            .unwrap()
            .encrypt(&nonce13.into(), payload())
            .unwrap();
        assert_eq!(generic, want, "ccm generic U16/U13, {len} bytes");
        let typed = Ccm::<U13, U16>::new(&key).unwrap();
        assert_eq!(
            Aead::encrypt(&typed, &nonce13.into(), payload()).unwrap(),
            want
        );
        let mut bad = want.clone();
        bad[0] ^= 0x80;
        assert!(
            Aead::decrypt(
                &typed,
                &nonce13.into(),
                Payload {
                    msg: &bad,
                    aad: &aad
                }
            )
            .is_err()
        );

        let nonce12: [u8; 12] = bytes(&mut rng, 12).try_into().unwrap();
        let want = CamelliaCcm::new(&key, 12, 8)
            .unwrap()
            .seal(&nonce12, &aad, &msg)
            .unwrap();
        let generic = ccm::Ccm::<Camellia128, U8, U12>::new_from_slice(&key)
            .unwrap()
            .encrypt(&nonce12.into(), payload())
            .unwrap();
        assert_eq!(generic, want, "ccm generic U8/U12, {len} bytes");
        let typed = Ccm::<U12, U8>::new(&key).unwrap();
        let back = Aead::decrypt(
            &typed,
            &nonce12.into(),
            Payload {
                msg: &want,
                aad: &aad,
            },
        )
        .unwrap();
        assert_eq!(back, msg);
    }
    // Sizes CCM does not allow are refused by the typed constructor.
    assert!(Ccm::<U16, U16>::new(&[0u8; 16]).is_err());
}

/// `cmac::Cmac<Camellia*>` and `aes_kw::AesKw<Camellia*>` over our cipher against
/// `mac::cmac` and `mac::wrap`/`unwrap`.
#[test]
fn cmac_and_key_wrap_agree_with_generic_crates() {
    use cmac::{KeyInit as _, Mac};
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    for len in LENGTHS {
        let key = bytes(&mut rng, 16);
        let msg = bytes(&mut rng, len);
        let mut m = <cmac::Cmac<Camellia128> as cmac::KeyInit>::new_from_slice(&key).unwrap();
        m.update(&msg);
        let generic: [u8; 16] = m.finalize().into_bytes().into();
        assert_eq!(generic, mac::cmac(&key, &msg).unwrap(), "CMAC, {len} bytes");
    }
    for n in [2usize, 3, 4, 8] {
        let kek = bytes(&mut rng, 32);
        let key = bytes(&mut rng, 8 * n);
        let ours = mac::wrap(&kek, &key).unwrap();
        let kw = aes_kw::AesKw::<Camellia256>::new_from_slice(&kek).unwrap();
        let mut buf = vec![0u8; key.len() + 8];
        let generic = kw.wrap_key(&key, &mut buf).unwrap();
        assert_eq!(generic, &ours[..], "key wrap, {} bytes", key.len());
        let mut out = vec![0u8; key.len()];
        assert_eq!(kw.unwrap_key(&ours, &mut out).unwrap(), &key[..]);
        assert_eq!(&mac::unwrap(&kek, generic).unwrap()[..], &key[..]);
    }
}
