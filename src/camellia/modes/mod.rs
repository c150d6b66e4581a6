//! Confidentiality modes over Camellia (NIST SP 800-38A, RFC 5528), all streaming.
//!
//! Two layers:
//! - **Stateless functions** ([`cbc_encrypt`], [`cfb128_encrypt`], [`ctr128_apply`], …) that
//!   take the chaining value and the in-block position as `&mut` arguments, exactly the
//!   state OpenSSL's `camellia.h` functions carry in `ivec` and `num`. The C ABI is built
//!   on them, and so are the types below.
//! - **Streaming types** ([`Cbc`], [`Cfb128`], [`Cfb8`], [`Cfb1`], [`Ofb`], [`Ctr`]) that own a
//!   cipher and that state. Feeding input in arbitrary pieces gives the same output as one
//!   call (whole blocks for CBC, bits for CFB1, bytes otherwise).
//!
//! Every mode is generic over [`BlockCipher`], implemented by
//! [`Camellia128`](super::Camellia128) and its siblings, so one piece of code serves all
//! key sizes and all backends. Where the mode allows it (ECB, CTR, CBC decryption, CFB128
//! and CFB8 decryption) input is processed in batches of [`PAR_BLOCKS`] through the
//! backend's bulk path; CTR on the x86 SIMD backends builds its counter blocks in
//! registers and XORs the keystream into the data without a buffer
//! ([`BlockCipher::ctr_xor_blocks`]).
//!
//! None of these modes authenticates: an attacker can flip ciphertext bits and the
//! corresponding plaintext bits (CTR, OFB, CFB) or blocks (CBC) change undetected. Use an
//! AEAD (`camellia::aead`) where the data crosses an untrusted channel. CBC decryption
//! with PKCS#7 unpadding, a padding oracle in most protocols, is in [`hazmat`].
//!
//! Constant time: the modes branch only on lengths and positions, never on data; PKCS#7
//! unpadding examines the whole last block with masks ([`pkcs7_unpad`]).

/// `Debug` for a streaming mode that prints the cipher (key size and backend only) and
/// nothing of the chaining state, which may hold keystream.
macro_rules! debug_without_state {
    ($($mode:ident),*) => {$(
        impl<C: core::fmt::Debug> core::fmt::Debug for $mode<C> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($mode))
                    .field("cipher", &self.cipher)
                    .finish_non_exhaustive()
            }
        }
    )*};
}

mod cbc;
mod cfb;
pub(crate) mod ctr;
pub mod hazmat;
mod ofb;

pub use cbc::{Cbc, cbc_decrypt, cbc_encrypt, pkcs7_pad, pkcs7_unpad};
pub use cfb::{
    Cfb1, Cfb8, Cfb128, cfb1_decrypt, cfb1_encrypt, cfb8_decrypt, cfb8_encrypt, cfb128_decrypt,
    cfb128_encrypt,
};
pub(crate) use ctr::ctr_xor_buffered;
pub use ctr::{Ctr, CtrFlavor, ctr128_apply};
pub use ofb::{Ofb, ofb128_apply};

use super::Camellia;

/// Blocks processed per batch by the parallel paths: the bitsliced backend's wide batch
/// (8 × 64 blocks), a multiple of every SIMD batch. Costs 8 KiB of stack per call.
pub const PAR_BLOCKS: usize = 512;

/// A 128-bit block cipher, as the modes see it.
pub trait BlockCipher {
    /// Encrypts one block in place.
    fn encrypt_block(&self, block: &mut [u8; 16]);
    /// Decrypts one block in place.
    fn decrypt_block(&self, block: &mut [u8; 16]);
    /// Encrypts independent blocks in place (the parallel path).
    fn encrypt_blocks(&self, blocks: &mut [[u8; 16]]);
    /// Decrypts independent blocks in place (the parallel path).
    fn decrypt_blocks(&self, blocks: &mut [[u8; 16]]);
    /// CTR over whole blocks: XORs the encryptions of the counter blocks `*counter`,
    /// its successor, … (stepped as `flavor` says) into `blocks`, and leaves `*counter`
    /// at the next unused counter block. The default writes the counter blocks into a
    /// buffer and runs [`encrypt_blocks`](Self::encrypt_blocks) on it; a backend may
    /// build them in registers and XOR the keystream into the data directly.
    fn ctr_xor_blocks(&self, counter: &mut u128, flavor: CtrFlavor, blocks: &mut [[u8; 16]]) {
        ctr::ctr_xor_buffered(self, counter, flavor, blocks)
    }
}

impl<const N: usize> BlockCipher for Camellia<N> {
    fn encrypt_block(&self, block: &mut [u8; 16]) {
        Camellia::encrypt_block(self, block)
    }
    fn decrypt_block(&self, block: &mut [u8; 16]) {
        Camellia::decrypt_block(self, block)
    }
    fn encrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        Camellia::encrypt_blocks(self, blocks)
    }
    fn decrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        Camellia::decrypt_blocks(self, blocks)
    }
    fn ctr_xor_blocks(&self, counter: &mut u128, flavor: CtrFlavor, blocks: &mut [[u8; 16]]) {
        if !self.ctr_xor_fused(counter, flavor, blocks) {
            ctr::ctr_xor_buffered(self, counter, flavor, blocks)
        }
    }
}

impl<C: BlockCipher + ?Sized> BlockCipher for &C {
    fn encrypt_block(&self, block: &mut [u8; 16]) {
        (**self).encrypt_block(block)
    }
    fn decrypt_block(&self, block: &mut [u8; 16]) {
        (**self).decrypt_block(block)
    }
    fn encrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        (**self).encrypt_blocks(blocks)
    }
    fn decrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        (**self).decrypt_blocks(blocks)
    }
    fn ctr_xor_blocks(&self, counter: &mut u128, flavor: CtrFlavor, blocks: &mut [[u8; 16]]) {
        (**self).ctr_xor_blocks(counter, flavor, blocks)
    }
}

/// ECB encryption of whole blocks: each block alone, through the bulk path.
///
/// ECB shows equal plaintext blocks as equal ciphertext blocks; it is here for
/// interoperability and as a building block, not for messages.
pub fn ecb_encrypt<C: BlockCipher + ?Sized>(cipher: &C, blocks: &mut [[u8; 16]]) {
    cipher.encrypt_blocks(blocks)
}

/// ECB decryption of whole blocks.
pub fn ecb_decrypt<C: BlockCipher + ?Sized>(cipher: &C, blocks: &mut [[u8; 16]]) {
    cipher.decrypt_blocks(blocks)
}

#[inline(always)]
fn xor_in_place(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= *s;
    }
}

/// Views a byte slice whose length is a multiple of 16 as blocks.
#[inline(always)]
fn as_blocks_mut(bytes: &mut [u8]) -> &mut [[u8; 16]] {
    let (blocks, rest) = bytes.as_chunks_mut::<16>();
    debug_assert!(rest.is_empty());
    blocks
}
