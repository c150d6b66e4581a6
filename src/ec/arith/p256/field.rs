//! The base field of P-256, GF(p) with p = 2^256 − 2^224 + 2^192 + 2^96 − 1 (FIPS 186-5,
//! SP 800-186 §3.2.1.3), in Montgomery form over fiat-crypto's `p256_64`.

use fiat_crypto::p256_64 as fiat;

use crate::ec::arith::field::fiat_field;

fiat_field!(
    /// An element of GF(p), p the P-256 prime, in Montgomery form (`a·2^256 mod p`).
    FieldElement,
    limbs: 4,
    bytes: 32,
    modulus: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    mont: fiat_p256_montgomery_domain_field_element,
    non_mont: fiat_p256_non_montgomery_domain_field_element,
    mul: fiat_p256_mul,
    square: fiat_p256_square,
    add: fiat_p256_add,
    sub: fiat_p256_sub,
    opp: fiat_p256_opp,
    from_mont: fiat_p256_from_montgomery,
    to_mont: fiat_p256_to_montgomery,
    set_one: fiat_p256_set_one,
);

impl FieldElement {
    /// `self⁻¹` (0 for 0), constant-time.
    pub(crate) fn invert(&self) -> Self {
        self.invert_fermat()
    }
}
