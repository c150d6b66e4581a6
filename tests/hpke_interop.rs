//! HPKE against rust-hpke (the `hpke` crate, feature `nistp`), on both KEMs:
//! DeriveKeyPair on random inputs; rust-hpke sender → tsubaki receiver and the reverse in
//! all four modes, compared through exported secrets (export-only, `aead_id` 0xFFFF, which
//! every RFC 9180 implementation has), and end to end through seal/open with Camellia-GCM:
//! rust-hpke has no Camellia, so it is given one (RustCrypto's generic `AesGcm` over the
//! `camellia` crate) under tsubaki's ids 0xFF01/0xFF02. The RFC has no DHKEM(P-384)
//! vectors: this is the P-384 KEM's reference check.

use hpke::aead::ExportOnlyAead;
use hpke::kdf::{HkdfSha256, HkdfSha384};
use hpke::kem::{DhP256HkdfSha256, DhP384HkdfSha384};
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, PskBundle, Serializable};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use tsubaki::hpke::{self as th, Keypair, Psk, Suite};

/// Camellia-128-GCM for rust-hpke, from RustCrypto's generic GCM and `camellia` crate.
struct RcCamellia128Gcm;
impl hpke::aead::Aead for RcCamellia128Gcm {
    type AeadImpl = aes_gcm::AesGcm<camellia::Camellia128, aes_gcm::aead::consts::U12>;
    const AEAD_ID: u16 = 0xFF01;
}

/// Camellia-256-GCM for rust-hpke.
struct RcCamellia256Gcm;
impl hpke::aead::Aead for RcCamellia256Gcm {
    type AeadImpl = aes_gcm::AesGcm<camellia::Camellia256, aes_gcm::aead::consts::U12>;
    const AEAD_ID: u16 = 0xFF02;
}

const INFO: &[u8] = b"tsubaki interop";
const PSK: &[u8] = b"a pre-shared key of 32 bytes....";
const PSK_ID: &[u8] = b"circle-7";
const EXPORTS: [(&[u8], usize); 4] = [(b"", 32), (b"file key", 16), (b"x", 1), (b"long", 300)];

/// The four modes, by name, for the loops.
#[derive(Clone, Copy, Debug)]
enum M {
    Base,
    Psk,
    Auth,
    AuthPsk,
}
const MODES: [M; 4] = [M::Base, M::Psk, M::Auth, M::AuthPsk];

fn psk() -> Psk<'static> {
    Psk {
        key: PSK,
        id: PSK_ID,
    }
}

fn exports_of(f: impl Fn(&[u8], &mut [u8])) -> Vec<Vec<u8>> {
    EXPORTS
        .iter()
        .map(|(ctx, len)| {
            let mut out = vec![0u8; *len];
            f(ctx, &mut out);
            out
        })
        .collect()
}

macro_rules! interop {
    ($m:ident, $suite:expr, $aead_suite:expr, $Kem:ty, $Kdf:ty, $RAead:ty) => {
        mod $m {
            use super::*;
            type RKem = $Kem;
            type RPriv = <RKem as hpke::Kem>::PrivateKey;
            type RPub = <RKem as hpke::Kem>::PublicKey;
            type REnc = <RKem as hpke::Kem>::EncappedKey;
            const SUITE: Suite = $suite;
            const AEAD_SUITE: Suite = $aead_suite;

            /// Seal/open with Camellia-GCM both ways, several messages per context, in all
            /// four modes.
            #[test]
            fn camellia_gcm_seal_open_both_ways() {
                let mut rng = ChaCha8Rng::seed_from_u64(0x4743_4d00 + SUITE.kem().id() as u64);
                let recipient = Keypair::generate(AEAD_SUITE, &mut rng);
                let sender = Keypair::generate(AEAD_SUITE, &mut rng);
                let (sk_r, pk_r_rust) = to_rust(&recipient);
                let pk_r = recipient.public_key_bytes();
                let pk_s = sender.public_key_bytes();
                let msgs: Vec<Vec<u8>> = [0usize, 1, 15, 16, 17, 1024, 5000]
                    .iter()
                    .map(|&n| {
                        let mut m = vec![0u8; n];
                        rng.fill_bytes(&mut m);
                        m
                    })
                    .collect();
                for mode in MODES {
                    // tsubaki seals, rust-hpke opens.
                    let (enc, mut ours) = match mode {
                        M::Base => th::setup_sender(AEAD_SUITE, &mut rng, &pk_r, INFO),
                        M::Psk => th::setup_sender_psk(AEAD_SUITE, &mut rng, &pk_r, INFO, psk()),
                        M::Auth => {
                            th::setup_sender_auth(AEAD_SUITE, &mut rng, &pk_r, INFO, &sender)
                        }
                        M::AuthPsk => th::setup_sender_auth_psk(
                            AEAD_SUITE,
                            &mut rng,
                            &pk_r,
                            INFO,
                            psk(),
                            &sender,
                        ),
                    }
                    .unwrap();
                    let bundle = PskBundle::new(PSK, PSK_ID).unwrap();
                    let (_, rpk_s) = to_rust(&sender);
                    let rmode = match mode {
                        M::Base => OpModeR::Base,
                        M::Psk => OpModeR::Psk(bundle),
                        M::Auth => OpModeR::Auth(rpk_s),
                        M::AuthPsk => OpModeR::AuthPsk(rpk_s, bundle),
                    };
                    let mut theirs = hpke::setup_receiver::<$RAead, $Kdf, RKem>(
                        &rmode,
                        &sk_r,
                        &REnc::from_bytes(&enc).unwrap(),
                        INFO,
                    )
                    .unwrap();
                    for (i, m) in msgs.iter().enumerate() {
                        let aad = [i as u8; 3];
                        let ct = ours.seal(&aad, m).unwrap();
                        assert_eq!(ct.len(), m.len() + 16);
                        assert_eq!(&theirs.open(&ct, &aad).unwrap(), m, "{mode:?} msg {i}");
                    }
                    assert_eq!(ours.sequence_number(), msgs.len() as u64);

                    // rust-hpke seals, tsubaki opens.
                    let bundle = PskBundle::new(PSK, PSK_ID).unwrap();
                    let rmode = match mode {
                        M::Base => OpModeS::Base,
                        M::Psk => OpModeS::Psk(bundle),
                        M::Auth => OpModeS::Auth(to_rust(&sender)),
                        M::AuthPsk => OpModeS::AuthPsk(to_rust(&sender), bundle),
                    };
                    let (enc, mut theirs) = hpke::setup_sender_with_rng::<$RAead, $Kdf, RKem>(
                        &rmode, &pk_r_rust, INFO, &mut rng,
                    )
                    .unwrap();
                    let enc = enc.to_bytes();
                    let mut ours = match mode {
                        M::Base => th::setup_receiver(AEAD_SUITE, &recipient, &enc, INFO),
                        M::Psk => th::setup_receiver_psk(AEAD_SUITE, &recipient, &enc, INFO, psk()),
                        M::Auth => {
                            th::setup_receiver_auth(AEAD_SUITE, &recipient, &enc, INFO, &pk_s)
                        }
                        M::AuthPsk => th::setup_receiver_auth_psk(
                            AEAD_SUITE,
                            &recipient,
                            &enc,
                            INFO,
                            psk(),
                            &pk_s,
                        ),
                    }
                    .unwrap();
                    for (i, m) in msgs.iter().enumerate() {
                        let aad = [i as u8; 5];
                        let ct = theirs.seal(m, &aad).unwrap();
                        assert_eq!(&ours.open(&aad, &ct).unwrap(), m, "{mode:?} msg {i}");
                    }
                }
                // Single-shot, base and auth.
                let (enc, ct) =
                    th::seal(AEAD_SUITE, &mut rng, &pk_r, INFO, b"aad", &msgs[5]).unwrap();
                let pt = hpke::single_shot_open::<$RAead, $Kdf, RKem>(
                    &OpModeR::Base,
                    &sk_r,
                    &REnc::from_bytes(&enc).unwrap(),
                    INFO,
                    &ct,
                    b"aad",
                )
                .unwrap();
                assert_eq!(pt, msgs[5]);
                assert_eq!(
                    th::open(AEAD_SUITE, &recipient, &enc, INFO, b"aad", &ct).unwrap(),
                    msgs[5]
                );
                let (enc, ct) =
                    th::seal_auth(AEAD_SUITE, &mut rng, &pk_r, &sender, INFO, b"", &msgs[6])
                        .unwrap();
                assert_eq!(
                    th::open_auth(AEAD_SUITE, &recipient, &pk_s, &enc, INFO, b"", &ct).unwrap(),
                    msgs[6]
                );
            }

            fn to_rust(k: &Keypair) -> (RPriv, RPub) {
                (
                    RPriv::from_bytes(&k.private_key_bytes()).unwrap(),
                    RPub::from_bytes(&k.public_key_bytes()).unwrap(),
                )
            }

            #[test]
            fn derive_keypair_matches() {
                let mut rng = ChaCha8Rng::seed_from_u64(0x4b45_4d00 + SUITE.kem().id() as u64);
                for len in [0usize, 1, 16, 32, 48, 64, 100] {
                    for _ in 0..4 {
                        let mut ikm = vec![0u8; len];
                        rng.fill_bytes(&mut ikm);
                        let ours = Keypair::derive(SUITE, &ikm).unwrap();
                        let (sk, pk) = RKem::derive_keypair(&ikm);
                        assert_eq!(&ours.private_key_bytes()[..], &sk.to_bytes()[..], "{len}");
                        assert_eq!(ours.public_key_bytes(), pk.to_bytes().to_vec(), "{len}");
                    }
                }
            }

            #[test]
            fn rust_hpke_sender_tsubaki_receiver() {
                let mut rng = ChaCha8Rng::seed_from_u64(0x5345_4e44 + SUITE.kem().id() as u64);
                let recipient = Keypair::generate(SUITE, &mut rng);
                let sender = Keypair::generate(SUITE, &mut rng);
                let (_, pk_r) = to_rust(&recipient);
                for mode in MODES {
                    let bundle = PskBundle::new(PSK, PSK_ID).unwrap();
                    let rmode = match mode {
                        M::Base => OpModeS::Base,
                        M::Psk => OpModeS::Psk(bundle),
                        M::Auth => OpModeS::Auth(to_rust(&sender)),
                        M::AuthPsk => OpModeS::AuthPsk(to_rust(&sender), bundle),
                    };
                    let (enc, ctx) = hpke::setup_sender_with_rng::<ExportOnlyAead, $Kdf, RKem>(
                        &rmode, &pk_r, INFO, &mut rng,
                    )
                    .unwrap();
                    let enc = enc.to_bytes();
                    let pk_s = sender.public_key_bytes();
                    let ours = match mode {
                        M::Base => th::setup_receiver(SUITE, &recipient, &enc, INFO),
                        M::Psk => th::setup_receiver_psk(SUITE, &recipient, &enc, INFO, psk()),
                        M::Auth => th::setup_receiver_auth(SUITE, &recipient, &enc, INFO, &pk_s),
                        M::AuthPsk => {
                            th::setup_receiver_auth_psk(SUITE, &recipient, &enc, INFO, psk(), &pk_s)
                        }
                    }
                    .unwrap();
                    let theirs = exports_of(|c, o| ctx.export(c, o).unwrap());
                    let mine = exports_of(|c, o| ours.export_into(c, o).unwrap());
                    assert_eq!(mine, theirs, "{mode:?}");
                    // The Vec form agrees with the slice form.
                    assert_eq!(ours.export(b"file key", 16).unwrap(), mine[1]);
                }
            }

            #[test]
            fn tsubaki_sender_rust_hpke_receiver() {
                let mut rng = ChaCha8Rng::seed_from_u64(0x5245_4356 + SUITE.kem().id() as u64);
                let recipient = Keypair::generate(SUITE, &mut rng);
                let sender = Keypair::generate(SUITE, &mut rng);
                let (sk_r, _) = to_rust(&recipient);
                let pk_r = recipient.public_key_bytes();
                for mode in MODES {
                    let (enc, ours) = match mode {
                        M::Base => th::setup_sender(SUITE, &mut rng, &pk_r, INFO),
                        M::Psk => th::setup_sender_psk(SUITE, &mut rng, &pk_r, INFO, psk()),
                        M::Auth => th::setup_sender_auth(SUITE, &mut rng, &pk_r, INFO, &sender),
                        M::AuthPsk => {
                            th::setup_sender_auth_psk(SUITE, &mut rng, &pk_r, INFO, psk(), &sender)
                        }
                    }
                    .unwrap();
                    assert_eq!(enc.len(), SUITE.kem().public_key_len());
                    let bundle = PskBundle::new(PSK, PSK_ID).unwrap();
                    let (_, pk_s) = to_rust(&sender);
                    let rmode = match mode {
                        M::Base => OpModeR::Base,
                        M::Psk => OpModeR::Psk(bundle),
                        M::Auth => OpModeR::Auth(pk_s),
                        M::AuthPsk => OpModeR::AuthPsk(pk_s, bundle),
                    };
                    let ctx = hpke::setup_receiver::<ExportOnlyAead, $Kdf, RKem>(
                        &rmode,
                        &sk_r,
                        &REnc::from_bytes(&enc).unwrap(),
                        INFO,
                    )
                    .unwrap();
                    let theirs = exports_of(|c, o| ctx.export(c, o).unwrap());
                    let mine = exports_of(|c, o| ours.export_into(c, o).unwrap());
                    assert_eq!(mine, theirs, "{mode:?}");
                }
            }

            /// Auth mode binds the sender: a receiver that names another sender key (or no
            /// key at all) derives different secrets.
            #[test]
            fn auth_mode_binds_the_sender_key() {
                let mut rng = ChaCha8Rng::seed_from_u64(0x4155_5448 + SUITE.kem().id() as u64);
                let recipient = Keypair::generate(SUITE, &mut rng);
                let sender = Keypair::generate(SUITE, &mut rng);
                let other = Keypair::generate(SUITE, &mut rng);
                let (enc, ctx) = th::setup_sender_auth(
                    SUITE,
                    &mut rng,
                    &recipient.public_key_bytes(),
                    INFO,
                    &sender,
                )
                .unwrap();
                let want = ctx.export(b"k", 32).unwrap();
                let right = th::setup_receiver_auth(
                    SUITE,
                    &recipient,
                    &enc,
                    INFO,
                    &sender.public_key_bytes(),
                )
                .unwrap();
                assert_eq!(right.export(b"k", 32).unwrap(), want);
                let wrong = th::setup_receiver_auth(
                    SUITE,
                    &recipient,
                    &enc,
                    INFO,
                    &other.public_key_bytes(),
                )
                .unwrap();
                assert_ne!(wrong.export(b"k", 32).unwrap(), want);
                let base = th::setup_receiver(SUITE, &recipient, &enc, INFO).unwrap();
                assert_ne!(base.export(b"k", 32).unwrap(), want);
            }
        }
    };
}

interop!(
    p256,
    Suite::P256_SHA256_EXPORT_ONLY,
    Suite::P256_SHA256_CAMELLIA128_GCM,
    DhP256HkdfSha256,
    HkdfSha256,
    RcCamellia128Gcm
);
interop!(
    p384,
    Suite::P384_SHA384_EXPORT_ONLY,
    Suite::P384_SHA384_CAMELLIA256_GCM,
    DhP384HkdfSha384,
    HkdfSha384,
    RcCamellia256Gcm
);
