//! HPKE single-shot seal and open of 1 KiB with DHKEM(P-256, HKDF-SHA256), HKDF-SHA256:
//! tsubaki against rust-hpke (the `hpke` crate) in the same process.
//!
//! Group `hpke-1KiB`, ids `<implementation>/<seal|open>`:
//! - `tsubaki`: `hpke::seal` / `hpke::open`, Camellia-128-GCM (aead_id 0xFF01).
//! - `rust-hpke-aes`: `single_shot_seal_with_rng` / `single_shot_open` with AES-128-GCM
//!   (RustCrypto `aes-gcm`, AES-NI + CLMUL): the reference for the protocol overhead the
//!   issue names.
//! - `rust-hpke-camellia`: the same with RustCrypto's generic GCM over the `camellia`
//!   crate under tsubaki's id 0xFF01, the same AEAD as tsubaki's row.
//!
//! Seal = a fresh ephemeral key (k·G), one DH (k·P), the HKDF key schedule, the AEAD over
//! 1 KiB. Open = one DH, the key schedule, the AEAD. Every implementation draws its
//! ephemeral key from a ChaCha8 RNG (no system calls in the timed loop). Before timing, each
//! sealed message is opened by the other implementation (the Camellia rows interoperate).
//!
//! Run with `cargo bench --bench hpke -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hpke::aead::AesGcm128;
use hpke::kdf::HkdfSha256;
use hpke::kem::DhP256HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use tsubaki::hpke::{self as th, Keypair, Suite};

/// Camellia-128-GCM for rust-hpke (RustCrypto generic GCM + `camellia`), tsubaki's id.
struct RcCamellia128Gcm;
impl hpke::aead::Aead for RcCamellia128Gcm {
    type AeadImpl = aes_gcm::AesGcm<camellia::Camellia128, aes_gcm::aead::consts::U12>;
    const AEAD_ID: u16 = 0xFF01;
}

type RKem = DhP256HkdfSha256;
const INFO: &[u8] = b"tsubaki bench";
const AAD: &[u8] = b"round 7";

fn bench_hpke(c: &mut Criterion) {
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let pt = vec![0x5au8; 1024];
    let recipient = Keypair::derive(suite, b"bench recipient").unwrap();
    let pk = recipient.public_key_bytes();
    let (r_sk, r_pk) = RKem::derive_keypair(b"bench recipient");
    assert_eq!(r_pk.to_bytes().to_vec(), pk, "same key on both sides");
    let mut rng = ChaCha8Rng::seed_from_u64(1);

    // Cross-checks before timing.
    let (enc, ct) = th::seal(suite, &mut rng, &pk, INFO, AAD, &pt).unwrap();
    let r_enc = <RKem as hpke::Kem>::EncappedKey::from_bytes(&enc).unwrap();
    let back = hpke::single_shot_open::<RcCamellia128Gcm, HkdfSha256, RKem>(
        &OpModeR::Base,
        &r_sk,
        &r_enc,
        INFO,
        &ct,
        AAD,
    )
    .unwrap();
    assert_eq!(back, pt);
    let (r_enc_c, r_ct_c) = hpke::single_shot_seal_with_rng::<RcCamellia128Gcm, HkdfSha256, RKem>(
        &OpModeS::Base,
        &r_pk,
        INFO,
        &pt,
        AAD,
        &mut rng,
    )
    .unwrap();
    assert_eq!(
        th::open(suite, &recipient, &r_enc_c.to_bytes(), INFO, AAD, &r_ct_c).unwrap(),
        pt
    );
    let (r_enc_a, r_ct_a) = hpke::single_shot_seal_with_rng::<AesGcm128, HkdfSha256, RKem>(
        &OpModeS::Base,
        &r_pk,
        INFO,
        &pt,
        AAD,
        &mut rng,
    )
    .unwrap();

    let mut g = c.benchmark_group("hpke-1KiB");
    g.bench_function("tsubaki/seal", |b| {
        b.iter(|| th::seal(suite, &mut rng, black_box(&pk), INFO, AAD, black_box(&pt)).unwrap())
    });
    g.bench_function("rust-hpke-aes/seal", |b| {
        b.iter(|| {
            hpke::single_shot_seal_with_rng::<AesGcm128, HkdfSha256, RKem>(
                &OpModeS::Base,
                black_box(&r_pk),
                INFO,
                black_box(&pt),
                AAD,
                &mut rng,
            )
            .unwrap()
        })
    });
    g.bench_function("rust-hpke-camellia/seal", |b| {
        b.iter(|| {
            hpke::single_shot_seal_with_rng::<RcCamellia128Gcm, HkdfSha256, RKem>(
                &OpModeS::Base,
                black_box(&r_pk),
                INFO,
                black_box(&pt),
                AAD,
                &mut rng,
            )
            .unwrap()
        })
    });
    g.bench_function("tsubaki/open", |b| {
        b.iter(|| th::open(suite, &recipient, black_box(&enc), INFO, AAD, black_box(&ct)).unwrap())
    });
    g.bench_function("rust-hpke-aes/open", |b| {
        b.iter(|| {
            hpke::single_shot_open::<AesGcm128, HkdfSha256, RKem>(
                &OpModeR::Base,
                &r_sk,
                black_box(&r_enc_a),
                INFO,
                black_box(&r_ct_a),
                AAD,
            )
            .unwrap()
        })
    });
    g.bench_function("rust-hpke-camellia/open", |b| {
        b.iter(|| {
            hpke::single_shot_open::<RcCamellia128Gcm, HkdfSha256, RKem>(
                &OpModeR::Base,
                &r_sk,
                black_box(&r_enc_c),
                INFO,
                black_box(&r_ct_c),
                AAD,
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench_hpke);
criterion_main!(benches);
