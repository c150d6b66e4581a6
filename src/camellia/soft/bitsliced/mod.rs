//! The bitsliced backend: Camellia (RFC 3713) in constant time, in portable Rust.
//!
//! Camellia's S-box `s1` is affine-equivalent to inversion in the AES field,
//! `s1(x) = B·inv(A·x ⊕ a) ⊕ b` (Kivilinna, "Block Ciphers: Fast Implementations on
//! x86-64 Architecture", 2013), and `s2`, `s3`, `s4` are `s1` with a rotation of the
//! output or the input. [`sbox`] is a Boolean circuit for `s1` (112 gates: 33 AND, 79
//! XOR), generated and checked by `tools/camellia_sbox.py`, which derives `A`, `a`, `B`,
//! `b` from `SBOX1` and builds the inversion in a tower field after Canright (2005) and
//! Boyar–Peralta (2010, 2012). The circuit runs on bit-planes, so one pass computes the
//! S-box of as many bytes as a plane has bits, with no table and no data-dependent index.
//!
//! Two data layouts:
//! - [`planes`], the bulk path: 64 blocks as 128 planes of `u64` (plane `q` of a half
//!   holds bit `q` of that half of every block). The key is added with masks, P is 24
//!   byte-XORs of planes, FL is AND/OR with masks. Fewer than 64 remaining blocks are
//!   padded to a batch or, when that would be wasteful, go through the one-block path.
//! - [`bytes`], the one-block path (also the F of the key schedule): the eight bytes of
//!   an F input become eight 8-bit lanes of eight planes (an 8×8 bit transpose), the
//!   circuit runs once for all eight S-boxes, and P works on the word after transposing
//!   back.
//!
//! Constant-time argument: every operation on secret data (key, plaintext, ciphertext,
//! the state) is AND, OR, XOR, NOT, a shift or rotation by a constant, or a copy; the
//! indices of every array access and the bounds of every loop depend only on the number
//! of blocks and the key length, which are public; key bits become masks by arithmetic
//! (`0 - bit`), never by a branch. Nothing divides. The key schedule is
//! [`RoundKeys::expand`] with this backend's F, so it is constant-time too. Buffers that
//! held secrets (the plane state, the padded tail, the key masks) are zeroized before they
//! are released; the scalar temporaries of one F live in registers and are not.
#![deny(unsafe_code)]

mod bytes;
mod planes;
mod sbox;

use zeroize::Zeroize;

use super::super::key_schedule::RoundKeys;
use planes::{BulkKey, crypt_batch};

/// Bulk batch widths, in 64-bit words per plane (64 blocks per word). The wide batch
/// vectorizes (its word loops are long enough for the compiler to use 128-bit registers
/// where the target has them); the narrow one is plain 64-bit code for the rest.
const WIDE: usize = 8;
const NARROW: usize = 1;

/// A tail of more than this many blocks is padded to a wide batch rather than run in
/// narrow ones (measured on x86-64: a wide batch costs about five narrow ones).
const WIDE_PAD_THRESHOLD: usize = 5 * 64 * NARROW;

/// Below this many blocks a narrow batch is not worth padding: blocks go one at a time.
const NARROW_PAD_THRESHOLD: usize = 6;

/// Expands a 16-, 24- or 32-byte key, in constant time.
pub(crate) fn expand(key: &[u8]) -> RoundKeys {
    RoundKeys::expand(key, bytes::f)
}

/// Encrypts one block (decrypts it with the inverse schedule), in constant time.
pub(crate) fn crypt_block(rk: &RoundKeys, block: &mut [u8; 16]) {
    bytes::crypt_block(rk, block);
}

/// Encrypts (decrypts) any number of blocks: wide batches, then narrow ones, then single
/// blocks, padding a last batch with zero blocks where that is cheaper. Which path runs
/// depends only on the number of blocks.
pub(crate) fn crypt_blocks(rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
    if blocks.len() < NARROW_PAD_THRESHOLD {
        for block in blocks {
            crypt_block(rk, block);
        }
        return;
    }
    let bk = BulkKey::new(rk);
    let mut wide = blocks.chunks_exact_mut(64 * WIDE);
    for chunk in &mut wide {
        crypt_batch::<WIDE>(&bk, chunk);
    }
    let tail = wide.into_remainder();
    if tail.len() > WIDE_PAD_THRESHOLD {
        padded::<WIDE>(&bk, tail);
        return;
    }
    let mut narrow = tail.chunks_exact_mut(64 * NARROW);
    for chunk in &mut narrow {
        crypt_batch::<NARROW>(&bk, chunk);
    }
    let tail = narrow.into_remainder();
    if tail.len() >= NARROW_PAD_THRESHOLD {
        padded::<NARROW>(&bk, tail);
    } else {
        for block in tail {
            crypt_block(rk, block);
        }
    }
}

/// Runs fewer than `64 * W` blocks as one batch padded with zero blocks.
fn padded<const W: usize>(bk: &BulkKey, blocks: &mut [[u8; 16]]) {
    let mut buf = [[[0u8; 16]; 64]; W];
    let flat = buf.as_flattened_mut();
    flat[..blocks.len()].copy_from_slice(blocks);
    crypt_batch::<W>(bk, flat);
    blocks.copy_from_slice(&flat[..blocks.len()]);
    buf.zeroize();
}

#[cfg(test)]
mod tests {
    use super::super::super::consts::sbox_vartime;
    use super::super::table;
    use super::*;

    /// xorshift64: a fixed pseudo-random sequence for tests.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    fn hex16(s: &str) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    /// The circuit on 8-bit planes, lane `i` = input byte `i` of eight, for all four
    /// S-boxes through the same masks the one-block path uses.
    #[test]
    fn sbox_circuit_all_four_sboxes_exhaustive() {
        for x in 0..=255u8 {
            // Every lane gets x: lane t(p+1) is byte 7-p of the word.
            let word = u64::from_ne_bytes([x; 8]);
            let out = bytes::s_layer(word).to_be_bytes();
            for (p, &got) in out.iter().enumerate() {
                let which = match p {
                    0 | 7 => 1,
                    1 | 4 => 2,
                    2 | 5 => 3,
                    _ => 4,
                };
                assert_eq!(
                    got,
                    sbox_vartime(which, x),
                    "s{which}({x:#04x}) in byte t{}",
                    p + 1
                );
            }
        }
    }

    /// The circuit alone on wide planes: all 256 inputs at once, as 256 lanes of four
    /// u64 planes per bit, against s1 with the folded constants.
    #[test]
    fn sbox_circuit_on_u64_planes_exhaustive() {
        for chunk in 0..4u32 {
            let planes: [u64; 8] = core::array::from_fn(|j| {
                (0..64u32).fold(0u64, |acc, lane| {
                    let u = (chunk * 64 + lane) as u8;
                    acc | (u64::from((u >> j) & 1) << lane)
                })
            });
            let out = sbox::s1_core(planes);
            for lane in 0..64u32 {
                let u = (chunk * 64 + lane) as u8;
                let got = (0..8).fold(0u8, |acc, j| acc | ((((out[j] >> lane) & 1) as u8) << j));
                let x = u ^ sbox::S1_IN;
                assert_eq!(got ^ sbox::S1_OUT, sbox_vartime(1, x), "s1({x:#04x})");
            }
        }
    }

    #[test]
    fn f_matches_table_backend() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let (x, k) = (rng.next(), rng.next());
            assert_eq!(
                bytes::f(x, k),
                table::f_vartime(x, k),
                "x={x:016x} k={k:016x}"
            );
        }
        for (x, k) in [(0, 0), (u64::MAX, 0), (0, u64::MAX), (u64::MAX, u64::MAX)] {
            assert_eq!(bytes::f(x, k), table::f_vartime(x, k));
        }
    }

    #[test]
    fn transpose64_is_a_transpose() {
        let mut rng = XorShift(7);
        let orig: [u64; 64] = core::array::from_fn(|_| rng.next());
        let mut a = orig;
        planes::transpose64(&mut a);
        for (i, row) in orig.iter().enumerate() {
            for (j, col) in a.iter().enumerate() {
                assert_eq!((col >> i) & 1, (row >> j) & 1, "({i},{j})");
            }
        }
    }

    /// RFC 3713 Appendix A, on every path: one block, a padded batch, a full batch.
    #[test]
    fn rfc3713_appendix_a() {
        let pt = hex16("0123456789abcdeffedcba9876543210");
        let cases: [(&str, &str); 3] = [
            (
                "0123456789abcdeffedcba9876543210",
                "67673138549669730857065648eabe43",
            ),
            (
                "0123456789abcdeffedcba98765432100011223344556677",
                "b4993401b3e996f84ee5cee7d79b09b9",
            ),
            (
                "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff",
                "9acc237dff16d76c20ef7c919e3a7509",
            ),
        ];
        for (key_hex, ct_hex) in cases {
            let key: alloc::vec::Vec<u8> = (0..key_hex.len() / 2)
                .map(|i| u8::from_str_radix(&key_hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            let ct = hex16(ct_hex);
            let rk = expand(&key);
            let table_rk = table::expand_vartime(&key);
            assert_eq!(rk.k, table_rk.k, "key schedule, {}-bit", key.len() * 8);
            assert_eq!(rk.ke, table_rk.ke);
            assert_eq!(rk.kw, table_rk.kw);
            let inv = rk.inverse();

            let mut block = pt;
            crypt_block(&rk, &mut block);
            assert_eq!(block, ct, "one block, {}-bit", key.len() * 8);
            crypt_block(&inv, &mut block);
            assert_eq!(block, pt);

            for n in [
                1,
                NARROW_PAD_THRESHOLD,
                64,
                200,
                64 * WIDE,
                64 * WIDE + 1,
                1500,
            ] {
                let mut blocks = alloc::vec![pt; n];
                crypt_blocks(&rk, &mut blocks);
                assert!(
                    blocks.iter().all(|b| *b == ct),
                    "{n} blocks, {}-bit",
                    key.len() * 8
                );
                crypt_blocks(&inv, &mut blocks);
                assert!(blocks.iter().all(|b| *b == pt));
            }
        }
    }

    /// Bulk against the table backend for every length 0..=130 and lengths around each
    /// switch between paths, both directions, all key sizes.
    #[test]
    fn bulk_matches_table_backend() {
        let mut rng = XorShift(0x0123_4567_89AB_CDEF);
        for key_len in [16, 24, 32] {
            let key: alloc::vec::Vec<u8> = (0..key_len).map(|_| rng.next() as u8).collect();
            let rk = expand(&key);
            let inv = rk.inverse();
            let around_switches = [
                WIDE_PAD_THRESHOLD,
                WIDE_PAD_THRESHOLD + 1,
                64 * WIDE - 1,
                64 * WIDE,
                64 * WIDE + NARROW_PAD_THRESHOLD - 1,
                64 * WIDE + NARROW_PAD_THRESHOLD,
                64 * WIDE + 64 * NARROW + 1,
                2 * 64 * WIDE + WIDE_PAD_THRESHOLD + 1,
            ];
            for n in (0..=130).chain(around_switches) {
                let blocks: alloc::vec::Vec<[u8; 16]> = (0..n)
                    .map(|_| {
                        let v = (u128::from(rng.next()) << 64) | u128::from(rng.next());
                        v.to_be_bytes()
                    })
                    .collect();
                let mut ours = blocks.clone();
                let mut theirs = blocks.clone();
                crypt_blocks(&rk, &mut ours);
                table::crypt_blocks_vartime(&rk, &mut theirs);
                assert_eq!(ours, theirs, "encrypt {n} blocks, {key_len}-byte key");
                crypt_blocks(&inv, &mut ours);
                assert_eq!(ours, blocks, "decrypt {n} blocks, {key_len}-byte key");
                table::crypt_blocks_vartime(&inv, &mut theirs);
                assert_eq!(theirs, blocks);
            }
        }
    }
}
