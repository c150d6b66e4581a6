//! Integers modulo the order n of the P-384 group (FIPS 186-5, SP 800-186 §3.2.1.4), in
//! Montgomery form over fiat-crypto's `p384_scalar_64`.

use fiat_crypto::p384_scalar_64 as fiat;

use crate::ec::arith::field::fiat_field;

fiat_field!(
    /// An integer modulo n, n the P-384 group order, in Montgomery form (`a·2^384 mod n`).
    Scalar,
    limbs: 6,
    bytes: 48,
    modulus: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
    mont: fiat_p384_scalar_montgomery_domain_field_element,
    non_mont: fiat_p384_scalar_non_montgomery_domain_field_element,
    mul: fiat::fiat_p384_scalar_mul,
    square: fiat::fiat_p384_scalar_square,
    add: fiat::fiat_p384_scalar_add,
    sub: fiat::fiat_p384_scalar_sub,
    opp: fiat_p384_scalar_opp,
    from_mont: fiat_p384_scalar_from_montgomery,
    to_mont: fiat_p384_scalar_to_montgomery,
    set_one: fiat_p384_scalar_set_one,
    signed62_limbs: 7,
);
