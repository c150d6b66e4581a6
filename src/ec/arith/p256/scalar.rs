//! Integers modulo the order n of the P-256 group (FIPS 186-5, SP 800-186 §3.2.1.3), in
//! Montgomery form over fiat-crypto's `p256_scalar_64`.

use fiat_crypto::p256_scalar_64 as fiat;

use crate::ec::arith::field::fiat_field;

fiat_field!(
    /// An integer modulo n, n the P-256 group order, in Montgomery form (`a·2^256 mod n`).
    Scalar,
    limbs: 4,
    bytes: 32,
    modulus: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    mont: fiat_p256_scalar_montgomery_domain_field_element,
    non_mont: fiat_p256_scalar_non_montgomery_domain_field_element,
    mul: fiat::fiat_p256_scalar_mul,
    square: fiat::fiat_p256_scalar_square,
    add: fiat::fiat_p256_scalar_add,
    sub: fiat::fiat_p256_scalar_sub,
    opp: fiat_p256_scalar_opp,
    from_mont: fiat_p256_scalar_from_montgomery,
    to_mont: fiat_p256_scalar_to_montgomery,
    set_one: fiat_p256_scalar_set_one,
    signed62_limbs: 5,
);
