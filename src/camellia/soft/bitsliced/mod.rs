//! The bitsliced backend: Camellia (RFC 3713) in constant time, in portable Rust.
//!
//! Camellia's S-box `s1` is affine-equivalent to inversion in the AES field,
//! `s1(x) = B·inv(A·x ⊕ a) ⊕ b` (Kivilinna, "Block Ciphers: Fast Implementations on
//! x86-64 Architecture", 2013), and `s2`, `s3`, `s4` are `s1` with a rotation of the
//! output or the input. [`sbox`] is a Boolean circuit for `s1` (112 gates: 33 AND, 79
//! XOR), generated and checked by `tools/camellia_sbox.py`, which derives `A`, `a`, `B`,
//! `b` from `SBOX1` and builds the inversion in a tower field after Canright ("A very
//! compact S-box for AES", 2005) with the top/AND-middle/bottom organisation and linear
//! minimisation of Boyar–Peralta (2010; "A depth-16 circuit for the AES S-box", 2012).
//! The circuit runs on bit-planes, so one pass computes the S-box of as many bytes as a
//! plane has bits, with no table and no data-dependent index. The rotations of `s2`,
//! `s3`, `s4` never enter the circuit: they relabel planes, or move lanes between
//! neighbouring planes under a constant mask.
//!
//! Three data layouts, chosen by the number of blocks only:
//! - [`planes`], the bulk path: 512 blocks as 128 planes of eight `u64` (plane `q` of a
//!   half holds bit `q` of that half of every block). The key is added with masks, P is
//!   24 byte-XORs of planes, FL is AND/OR with masks. Every plane operation is a loop over
//!   the eight words, which the compiler turns into 128-bit vector code on x86-64 (SSE2,
//!   checked in the generated code) and, by the same loop vectorizer, AArch64 (NEON, not
//!   measured here) without any target-specific source; on other targets this path is
//!   not used (see `BULK`).
//! - [`octets`], up to eight blocks as eight planes of `u64` per half (byte `i` of plane
//!   `j` holds bit `j` of byte `i` of the eight blocks): one circuit pass per F for all
//!   64 S-boxes, P as word operations per plane. Tails of up to 240 blocks run here in
//!   groups of eight; longer ones are padded to a bulk batch.
//! - [`bytes`], the one-block path (also the F of the key schedule): each half stays
//!   transposed as eight 8-bit planes of its own bytes, one circuit pass per F for its
//!   eight S-boxes, P as rotations within nibbles.
//!
//! The sliced paths fold the whitening keys and the constants of the S-box into the round
//! keys ([`keys`]), so the data only ever meets one mask XOR per bit and round.
//!
//! Constant-time argument: every operation on secret data (key, plaintext, ciphertext,
//! the state) is AND, OR, XOR, NOT, a shift or rotation by a constant, a subtraction
//! (to turn key bits into masks), or a copy; no multiplication; the indices of every array access
//! and the bounds of every loop depend only on the number of blocks and the key length,
//! which are public; key bits become masks by arithmetic (`0 - bit`), never by a branch.
//! Nothing divides. The key schedule is [`RoundKeys::expand`] with this backend's F, so
//! it is constant-time too. Buffers that held secrets (the plane states, the scratch
//! planes, the padded tail, the key masks and folded keys) are zeroized before they are
//! released; scalar temporaries that live in registers (and the compiler's spill slots)
//! are not.
#![deny(unsafe_code)]

mod bytes;
mod keys;
mod octets;
mod planes;
mod sbox;

use zeroize::Zeroize;

use super::super::key_schedule::RoundKeys;
use octets::{OCTET, OctetKey, crypt_octet};
use planes::{BulkKey, crypt_batch};

/// The bulk batch width in 64-bit words per plane (64 blocks per word): long enough
/// word loops for the compiler to use 128-bit registers where the target has them.
const WIDE: usize = 8;

/// Whether the bulk path is used: it pays where the compiler has 128-bit vector
/// registers without any target feature being enabled (SSE2 on x86-64, NEON on
/// AArch64; only the former measured). Elsewhere its loops are plain 64-bit code, no
/// faster per block than groups of eight, and it needs some 35 KiB of stack (key masks,
/// state, a padded tail) where groups of eight need under 2 KiB, which matters on small
/// targets.
const BULK: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));

/// A tail of more than this many blocks is padded to a bulk batch rather than run in
/// groups of eight (measured on x86-64: a 512-block batch, key masks included, costs
/// about as much as thirty groups of eight).
const WIDE_PAD_THRESHOLD: usize = 30 * OCTET;

/// Expands a 16-, 24- or 32-byte key, in constant time.
pub(crate) fn expand(key: &[u8]) -> RoundKeys {
    RoundKeys::expand(key, bytes::f)
}

/// Encrypts one block (decrypts it with the inverse schedule), in constant time.
pub(crate) fn crypt_block(rk: &RoundKeys, block: &mut [u8; 16]) {
    bytes::crypt_block(rk, block);
}

/// Encrypts (decrypts) any number of blocks: bulk batches of `64 * WIDE`, then groups of
/// eight, or a bulk batch padded with zero blocks where that is cheaper. A lone block
/// takes the one-block path. Which path runs depends only on the number of blocks.
pub(crate) fn crypt_blocks(rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
    if let [block] = blocks {
        crypt_block(rk, block);
        return;
    }
    let mut rest = blocks;
    if BULK && rest.len() > WIDE_PAD_THRESHOLD {
        let bk = BulkKey::new(rk);
        let mut wide = rest.chunks_exact_mut(64 * WIDE);
        for chunk in &mut wide {
            crypt_batch::<WIDE>(&bk, chunk);
        }
        rest = wide.into_remainder();
        if rest.len() > WIDE_PAD_THRESHOLD {
            padded::<WIDE>(&bk, rest);
            return;
        }
    }
    if !rest.is_empty() {
        let ok = OctetKey::new(rk);
        for chunk in rest.chunks_mut(OCTET) {
            crypt_octet(&ok, chunk);
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

    /// Which S-box byte t(p+1) of an F input goes through (RFC 3713 §2.4.1).
    fn sbox_of_byte(p: usize) -> usize {
        [1, 2, 3, 4, 2, 3, 4, 1][p]
    }

    /// Byte t(p+1) of a word.
    fn byte_of(word: u64, p: usize) -> u8 {
        word.to_be_bytes()[p]
    }

    /// The S-layer of the one-block path (transposed planes, masked rotations), every
    /// byte of every input, against s1..s4.
    #[test]
    fn sboxes_one_block_path_exhaustive() {
        for x in 0..=255u8 {
            let out = bytes::s_layer(u64::from_ne_bytes([x; 8]));
            for p in 0..8 {
                let which = sbox_of_byte(p);
                let want = sbox_vartime(which, x);
                assert_eq!(
                    byte_of(out, p),
                    want,
                    "s{which}({x:#04x}) in byte t{}",
                    p + 1
                );
            }
        }
    }

    /// The S-layer of the eight-block path, every byte of every input, against s1..s4.
    #[test]
    fn sboxes_octet_path_exhaustive() {
        for chunk in 0..32u8 {
            // Block b holds x = 8 chunk + b in all its bytes (with IN_CONST, which the
            // keys normally carry).
            let mut planes: [u64; 8] = core::array::from_fn(|b| {
                u64::from_ne_bytes([8 * chunk + b as u8; 8]) ^ bytes::IN_CONST
            });
            octets::transpose_lanes(&mut planes);
            let mut out = octets::s_planes(planes);
            octets::transpose_lanes(&mut out);
            for (b, word) in out.iter().enumerate() {
                let x = 8 * chunk + b as u8;
                for p in 0..8 {
                    let which = sbox_of_byte(p);
                    let want = sbox_vartime(which, x) ^ byte_of(bytes::S_CONST, p);
                    assert_eq!(
                        byte_of(*word, p),
                        want,
                        "s{which}({x:#04x}) in byte t{}",
                        p + 1
                    );
                }
            }
        }
    }

    /// The S-box of byte t(B+1) on the bulk path, all 256 inputs, against its S-box.
    fn check_bulk_sbox<const B: usize>() {
        let which = sbox_of_byte(B);
        let km: [u64; 64] = core::array::from_fn(|q| keys::mask(bytes::IN_CONST, q));
        for chunk in 0..4usize {
            let x = |lane: usize| (64 * chunk + lane) as u8;
            let mut src = [[0u64; 1]; 64];
            for j in 0..8 {
                src[8 * (7 - B) + j][0] =
                    (0..64).fold(0, |acc, lane| acc | (u64::from((x(lane) >> j) & 1) << lane));
            }
            let mut z = [[0u64; 1]; 8];
            planes::sbox_byte::<1, B>(&src, &km, &mut z);
            for lane in 0..64 {
                let got = (0..8).fold(0u8, |acc, j| acc | ((((z[j][0] >> lane) & 1) as u8) << j));
                let want = sbox_vartime(which, x(lane)) ^ byte_of(bytes::S_CONST, B);
                assert_eq!(got, want, "s{which}({:#04x}) in byte t{}", x(lane), B + 1);
            }
        }
    }

    #[test]
    fn sboxes_bulk_path_exhaustive() {
        check_bulk_sbox::<0>();
        check_bulk_sbox::<1>();
        check_bulk_sbox::<2>();
        check_bulk_sbox::<3>();
        check_bulk_sbox::<4>();
        check_bulk_sbox::<5>();
        check_bulk_sbox::<6>();
        check_bulk_sbox::<7>();
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
        let orig: [[u64; 3]; 64] = core::array::from_fn(|_| core::array::from_fn(|_| rng.next()));
        let mut a = orig;
        planes::transpose64(&mut a);
        for w in 0..3 {
            for (i, row) in orig.iter().enumerate() {
                for (j, col) in a.iter().enumerate() {
                    assert_eq!(
                        (col[w] >> i) & 1,
                        (row[w] >> j) & 1,
                        "({i},{j}) of matrix {w}"
                    );
                }
            }
        }
    }

    /// RFC 3713 Appendix A, on every path: one block, a padded batch, a full batch.
    #[test]
    fn rfc3713_appendix_a() {
        let pt = hex16(super::super::super::consts::RFC3713_PLAINTEXT);
        let cases = super::super::super::consts::RFC3713_APPENDIX_A;
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
                2,
                OCTET,
                OCTET + 1,
                WIDE_PAD_THRESHOLD + 1,
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
                64 * WIDE + 1,
                64 * WIDE + WIDE_PAD_THRESHOLD,
                64 * WIDE + WIDE_PAD_THRESHOLD + 1,
                2 * 64 * WIDE + 9,
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
