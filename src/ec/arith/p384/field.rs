//! The base field of P-384, GF(p) with p = 2^384 − 2^128 − 2^96 + 2^32 − 1 (FIPS 186-5,
//! SP 800-186 §3.2.1.4), in Montgomery form over fiat-crypto's `p384_64`.

use fiat_crypto::p384_64 as fiat;

use crate::ec::arith::field::fiat_field;

fiat_field!(
    /// An element of GF(p), p the P-384 prime, in Montgomery form (`a·2^384 mod p`).
    FieldElement,
    limbs: 6,
    bytes: 48,
    modulus: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
    mont: fiat_p384_montgomery_domain_field_element,
    non_mont: fiat_p384_non_montgomery_domain_field_element,
    mul: fiat::fiat_p384_mul,
    square: fiat::fiat_p384_square,
    add: fiat_p384_add,
    sub: fiat_p384_sub,
    opp: fiat_p384_opp,
    from_mont: fiat_p384_from_montgomery,
    to_mont: fiat_p384_to_montgomery,
    set_one: fiat_p384_set_one,
    signed62_limbs: 7,
);
