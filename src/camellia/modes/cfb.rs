//! CFB with 128-, 8- and 1-bit feedback (NIST SP 800-38A §6.3), with OpenSSL's state
//! conventions: `iv` is the shift register, `num` the position inside the current
//! keystream block (CFB128 only).

use zeroize::Zeroize;

use super::{BlockCipher, PAR_BLOCKS, as_blocks_mut, xor_in_place};
use crate::Error;

/// The CFB128 core: `DECRYPT` selects which side (input or output) is fed back.
fn cfb128<C: BlockCipher + ?Sized, const DECRYPT: bool>(
    cipher: &C,
    iv: &mut [u8; 16],
    num: &mut usize,
    data: &mut [u8],
) {
    let mut n = *num % 16;
    let mut used = 0;
    // Finish the keystream block a previous call started.
    while n != 0 && used < data.len() {
        let b = &mut data[used];
        let c = if DECRYPT { *b } else { *b ^ iv[n] };
        *b ^= iv[n];
        iv[n] = c;
        n = (n + 1) % 16;
        used += 1;
    }
    let rest = &mut data[used..];
    let full = rest.len() / 16 * 16;
    let (blocks, tail) = rest.split_at_mut(full);
    let blocks = as_blocks_mut(blocks);
    if DECRYPT {
        // The whole ciphertext is known: the keystream blocks are E(iv), E(c0), E(c1)…,
        // computed a batch at a time.
        let mut ks = [[0u8; 16]; PAR_BLOCKS];
        let mut touched = 0;
        for chunk in blocks.chunks_mut(PAR_BLOCKS) {
            let m = chunk.len();
            touched = touched.max(m);
            ks[0] = *iv;
            ks[1..m].copy_from_slice(&chunk[..m - 1]);
            *iv = chunk[m - 1];
            cipher.encrypt_blocks(&mut ks[..m]);
            for (b, k) in chunk.iter_mut().zip(&ks) {
                xor_in_place(b, k);
            }
        }
        crate::ct::wipe_blocks(&mut ks[..touched]);
    } else {
        for b in blocks {
            cipher.encrypt_block(iv);
            xor_in_place(b, iv);
            *iv = *b;
        }
    }
    if !tail.is_empty() {
        cipher.encrypt_block(iv);
        for b in tail {
            let c = if DECRYPT { *b } else { *b ^ iv[n] };
            *b ^= iv[n];
            iv[n] = c;
            n += 1;
        }
    }
    *num = n;
}

/// CFB128-encrypts `data` in place, continuing from (`iv`, `num`) — OpenSSL's
/// `Camellia_cfb128_encrypt` with `CAMELLIA_ENCRYPT`.
pub fn cfb128_encrypt<C: BlockCipher + ?Sized>(
    cipher: &C,
    iv: &mut [u8; 16],
    num: &mut usize,
    data: &mut [u8],
) {
    cfb128::<C, false>(cipher, iv, num, data)
}

/// CFB128-decrypts `data` in place (batched through the bulk path).
pub fn cfb128_decrypt<C: BlockCipher + ?Sized>(
    cipher: &C,
    iv: &mut [u8; 16],
    num: &mut usize,
    data: &mut [u8],
) {
    cfb128::<C, true>(cipher, iv, num, data)
}

/// CFB8-encrypts `data` in place: one block encryption per byte.
pub fn cfb8_encrypt<C: BlockCipher + ?Sized>(cipher: &C, iv: &mut [u8; 16], data: &mut [u8]) {
    let mut ks = [0u8; 16];
    for b in data {
        ks = *iv;
        cipher.encrypt_block(&mut ks);
        *b ^= ks[0];
        iv.copy_within(1.., 0);
        iv[15] = *b;
    }
    ks.zeroize();
}

/// CFB8-decrypts `data` in place: the shift registers are windows of the known
/// ciphertext, so [`PAR_BLOCKS`] of them are encrypted at once.
pub fn cfb8_decrypt<C: BlockCipher + ?Sized>(cipher: &C, iv: &mut [u8; 16], data: &mut [u8]) {
    // window = iv ‖ ciphertext chunk; register i is window[i..i + 16].
    let mut window = [0u8; 16 + PAR_BLOCKS];
    let mut regs = [[0u8; 16]; PAR_BLOCKS];
    let mut touched = 0;
    for chunk in data.chunks_mut(PAR_BLOCKS) {
        let m = chunk.len();
        touched = touched.max(m);
        window[..16].copy_from_slice(iv);
        window[16..16 + m].copy_from_slice(chunk);
        for (i, r) in regs[..m].iter_mut().enumerate() {
            r.copy_from_slice(&window[i..i + 16]);
        }
        cipher.encrypt_blocks(&mut regs[..m]);
        for (b, r) in chunk.iter_mut().zip(&regs) {
            *b ^= r[0];
        }
        iv.copy_from_slice(&window[m..m + 16]);
    }
    crate::ct::wipe_blocks(&mut regs[..touched]);
}

fn cfb1<C: BlockCipher + ?Sized, const DECRYPT: bool>(
    cipher: &C,
    iv: &mut [u8; 16],
    data: &mut [u8],
    bits: usize,
) -> Result<(), Error> {
    if bits > data.len().saturating_mul(8) {
        return Err(Error::InvalidLength);
    }
    let mut ks = [0u8; 16];
    for i in 0..bits {
        let (byte, shift) = (i / 8, 7 - (i % 8) as u32);
        ks = *iv;
        cipher.encrypt_block(&mut ks);
        let input = (data[byte] >> shift) & 1;
        let output = input ^ (ks[0] >> 7);
        data[byte] = (data[byte] & !(1 << shift)) | (output << shift);
        let feedback = if DECRYPT { input } else { output };
        // Shift the 128-bit register left by one bit and append the ciphertext bit.
        let r = (u128::from_be_bytes(*iv) << 1) | u128::from(feedback);
        *iv = r.to_be_bytes();
    }
    ks.zeroize();
    Ok(())
}

/// CFB1-encrypts the first `bits` bits of `data` (most significant bit of each byte first),
/// leaving the other bits untouched — OpenSSL's `Camellia_cfb1_encrypt`, whose length is
/// also in bits. Fails with [`Error::InvalidLength`] if `bits > 8 * data.len()`.
pub fn cfb1_encrypt<C: BlockCipher + ?Sized>(
    cipher: &C,
    iv: &mut [u8; 16],
    data: &mut [u8],
    bits: usize,
) -> Result<(), Error> {
    cfb1::<C, false>(cipher, iv, data, bits)
}

/// CFB1-decrypts the first `bits` bits of `data`.
pub fn cfb1_decrypt<C: BlockCipher + ?Sized>(
    cipher: &C,
    iv: &mut [u8; 16],
    data: &mut [u8],
    bits: usize,
) -> Result<(), Error> {
    cfb1::<C, true>(cipher, iv, data, bits)
}

/// Streaming CFB128: any split of the input into pieces gives the same output.
pub struct Cfb128<C> {
    cipher: C,
    iv: [u8; 16],
    num: usize,
}

impl<C: BlockCipher> Cfb128<C> {
    /// Starts CFB128 with `iv`.
    pub fn new(cipher: C, iv: &[u8; 16]) -> Self {
        Cfb128 {
            cipher,
            iv: *iv,
            num: 0,
        }
    }
    /// Encrypts the next piece in place.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        cfb128_encrypt(&self.cipher, &mut self.iv, &mut self.num, data)
    }
    /// Decrypts the next piece in place.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        cfb128_decrypt(&self.cipher, &mut self.iv, &mut self.num, data)
    }
    /// The shift register (after whole blocks: the last ciphertext block).
    pub fn iv(&self) -> [u8; 16] {
        self.iv
    }
}

impl<C> Drop for Cfb128<C> {
    fn drop(&mut self) {
        // After a partial block, `iv[num..]` holds keystream not yet used.
        self.iv.zeroize();
    }
}

/// Streaming CFB8.
pub struct Cfb8<C> {
    cipher: C,
    iv: [u8; 16],
}

impl<C: BlockCipher> Cfb8<C> {
    /// Starts CFB8 with `iv`.
    pub fn new(cipher: C, iv: &[u8; 16]) -> Self {
        Cfb8 { cipher, iv: *iv }
    }
    /// Encrypts the next piece in place.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        cfb8_encrypt(&self.cipher, &mut self.iv, data)
    }
    /// Decrypts the next piece in place.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        cfb8_decrypt(&self.cipher, &mut self.iv, data)
    }
    /// The shift register: the last 16 ciphertext bytes.
    pub fn iv(&self) -> [u8; 16] {
        self.iv
    }
}

/// Streaming CFB1: each call processes the first `bits` bits of the slice it is given.
pub struct Cfb1<C> {
    cipher: C,
    iv: [u8; 16],
}

impl<C: BlockCipher> Cfb1<C> {
    /// Starts CFB1 with `iv`.
    pub fn new(cipher: C, iv: &[u8; 16]) -> Self {
        Cfb1 { cipher, iv: *iv }
    }
    /// Encrypts the first `bits` bits of `data`.
    pub fn encrypt_bits(&mut self, data: &mut [u8], bits: usize) -> Result<(), Error> {
        cfb1_encrypt(&self.cipher, &mut self.iv, data, bits)
    }
    /// Decrypts the first `bits` bits of `data`.
    pub fn decrypt_bits(&mut self, data: &mut [u8], bits: usize) -> Result<(), Error> {
        cfb1_decrypt(&self.cipher, &mut self.iv, data, bits)
    }
    /// The shift register: the last 128 ciphertext bits.
    pub fn iv(&self) -> [u8; 16] {
        self.iv
    }
}

debug_without_state!(Cfb128, Cfb8, Cfb1);
