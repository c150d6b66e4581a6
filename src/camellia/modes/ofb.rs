//! OFB (NIST SP 800-38A §6.4): the keystream is E(iv), E(E(iv)), …; encryption and
//! decryption are the same operation. Sequential by nature.

use super::BlockCipher;

/// XORs the OFB keystream into `data`, continuing from (`iv`, `num`) — OpenSSL's
/// `Camellia_ofb128_encrypt`. `iv` holds the current keystream block.
pub fn ofb128_apply<C: BlockCipher + ?Sized>(
    cipher: &C,
    iv: &mut [u8; 16],
    num: &mut usize,
    data: &mut [u8],
) {
    let mut n = *num % 16;
    for b in data {
        if n == 0 {
            cipher.encrypt_block(iv);
        }
        *b ^= iv[n];
        n = (n + 1) % 16;
    }
    *num = n;
}

/// Streaming OFB.
pub struct Ofb<C> {
    cipher: C,
    iv: [u8; 16],
    num: usize,
}

impl<C: BlockCipher> Ofb<C> {
    /// Starts OFB with `iv` (must never repeat under one key).
    pub fn new(cipher: C, iv: &[u8; 16]) -> Self {
        Ofb {
            cipher,
            iv: *iv,
            num: 0,
        }
    }
    /// Encrypts or decrypts the next piece in place.
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        ofb128_apply(&self.cipher, &mut self.iv, &mut self.num, data)
    }
}

impl<C> Drop for Ofb<C> {
    fn drop(&mut self) {
        // `iv` holds keystream once used.
        zeroize::Zeroize::zeroize(&mut self.iv);
    }
}

debug_without_state!(Ofb);
