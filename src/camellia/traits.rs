//! The RustCrypto block-cipher traits of the `cipher` crate (0.5) for [`Camellia128`],
//! [`Camellia192`] and [`Camellia256`] (feature `cipher`), so generic modes — `ctr`, `cbc`,
//! `aes-gcm`'s `AesGcm<Camellia128, U12>`, `ccm`, `cmac`, `aes-kw` — run over tsubaki's
//! constant-time backends.
//!
//! The backend reports 16 parallel blocks: the modes hand over 256 bytes at a time, which
//! go through [`Camellia::encrypt_blocks`], the SIMD backends' batched path. Every copy of
//! a block made here is wiped (plaintext or keystream may be secret).

use cipher::array::Array;
use cipher::block::{
    BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherDecrypt, BlockCipherEncBackend,
    BlockCipherEncClosure, BlockCipherEncrypt,
};
use cipher::consts::{U16, U24, U32};
use cipher::inout::InOut;
use cipher::{
    AlgorithmName, Block, BlockSizeUser, Key, KeyInit, KeySizeUser, ParBlocks, ParBlocksSizeUser,
};
use zeroize::Zeroize;

use super::{Camellia, Camellia128, Camellia192, Camellia256};

impl<const KEY_LEN: usize> BlockSizeUser for Camellia<KEY_LEN> {
    type BlockSize = U16;
}

impl<const KEY_LEN: usize> ParBlocksSizeUser for Camellia<KEY_LEN> {
    type ParBlocksSize = U16;
}

macro_rules! key_init {
    ($ty:ty, $size:ty, $name:literal) => {
        impl KeySizeUser for $ty {
            type KeySize = $size;
        }

        impl KeyInit for $ty {
            fn new(key: &Key<Self>) -> Self {
                let key: &[u8; { <$ty>::KEY_SIZE }] = key.as_ref();
                <$ty>::new(key)
            }
        }

        impl AlgorithmName for $ty {
            fn write_alg_name(f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str($name)
            }
        }

        impl BlockCipherEncrypt for $ty {
            fn encrypt_with_backend(&self, f: impl BlockCipherEncClosure<BlockSize = U16>) {
                f.call(&Enc(self))
            }
        }

        impl BlockCipherDecrypt for $ty {
            fn decrypt_with_backend(&self, f: impl BlockCipherDecClosure<BlockSize = U16>) {
                f.call(&Dec(self))
            }
        }
    };
}

key_init!(Camellia128, U16, "Camellia128");
key_init!(Camellia192, U24, "Camellia192");
key_init!(Camellia256, U32, "Camellia256");

/// The encryption direction as a `cipher` backend.
struct Enc<'a, const KEY_LEN: usize>(&'a Camellia<KEY_LEN>);
/// The decryption direction as a `cipher` backend.
struct Dec<'a, const KEY_LEN: usize>(&'a Camellia<KEY_LEN>);

impl<const KEY_LEN: usize> BlockSizeUser for Enc<'_, KEY_LEN> {
    type BlockSize = U16;
}
impl<const KEY_LEN: usize> ParBlocksSizeUser for Enc<'_, KEY_LEN> {
    type ParBlocksSize = U16;
}
impl<const KEY_LEN: usize> BlockSizeUser for Dec<'_, KEY_LEN> {
    type BlockSize = U16;
}
impl<const KEY_LEN: usize> ParBlocksSizeUser for Dec<'_, KEY_LEN> {
    type ParBlocksSize = U16;
}

/// Runs `f` on a copy of one block and writes the result out; the copy is wiped.
fn one_block(mut block: InOut<'_, '_, Array<u8, U16>>, f: impl FnOnce(&mut [u8; 16])) {
    let mut b: [u8; 16] = (*block.get_in()).into();
    f(&mut b);
    *block.get_out() = b.into();
    b.zeroize();
}

/// Runs `f` on a copy of 16 blocks and writes the results out; the copy is wiped.
fn par_blocks(
    mut blocks: InOut<'_, '_, Array<Array<u8, U16>, U16>>,
    f: impl FnOnce(&mut [[u8; 16]]),
) {
    let mut b = [[0u8; 16]; 16];
    for (o, i) in b.iter_mut().zip(blocks.get_in().iter()) {
        *o = (*i).into();
    }
    f(&mut b);
    for (o, i) in blocks.get_out().iter_mut().zip(b.iter()) {
        *o = (*i).into();
    }
    b.zeroize();
}

impl<const KEY_LEN: usize> BlockCipherEncBackend for Enc<'_, KEY_LEN> {
    fn encrypt_block(&self, block: InOut<'_, '_, Block<Self>>) {
        one_block(block, |b| self.0.encrypt_block(b));
    }

    fn encrypt_par_blocks(&self, blocks: InOut<'_, '_, ParBlocks<Self>>) {
        par_blocks(blocks, |b| self.0.encrypt_blocks(b));
    }
}

impl<const KEY_LEN: usize> BlockCipherDecBackend for Dec<'_, KEY_LEN> {
    fn decrypt_block(&self, block: InOut<'_, '_, Block<Self>>) {
        one_block(block, |b| self.0.decrypt_block(b));
    }

    fn decrypt_par_blocks(&self, blocks: InOut<'_, '_, ParBlocks<Self>>) {
        par_blocks(blocks, |b| self.0.decrypt_blocks(b));
    }
}
