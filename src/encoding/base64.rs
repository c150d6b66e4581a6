//! Base64 (RFC 4648 §4, the standard alphabet with `=` padding), in constant time.
//!
//! PEM bodies carry private keys, so neither direction looks anything up in a table
//! indexed by a secret byte, and no branch depends on one: each character is mapped to and
//! from its 6-bit value by comparisons done as arithmetic on `i16` (a range test yields an
//! all-ones or all-zero mask from the sign of a subtraction). Decoding accumulates
//! "invalid character" into one flag that is tested once, at the end; what stays variable
//! is only the input length and the place of the padding, which follow from the
//! (public) length of the data.
//!
//! Decoding is strict: the length must be a multiple of four, `=` may appear only as one
//! or two final padding characters, and the bits that padding leaves over must be zero
//! (the canonical encoding, RFC 4648 §3.5). No whitespace is accepted here; the PEM layer
//! removes line breaks first.

use crate::Error;

/// All ones if `lo <= c <= hi`, else zero. `c`, `lo`, `hi` are in 0..=255, so both
/// differences fit in an `i16` and their sign bits decide: `lo - 1 - c` is negative iff
/// `c >= lo`, `c - (hi + 1)` is negative iff `c <= hi`; the arithmetic shift spreads the
/// AND of the two sign bits over the whole word.
#[inline(always)]
fn range_mask(c: i16, lo: i16, hi: i16) -> i16 {
    opaque(((lo - 1).wrapping_sub(c) & c.wrapping_sub(hi + 1)) >> 15)
}

/// All ones if `x < 0`, else zero, hidden from the optimiser.
///
/// Without the barrier LLVM recognises `(x >> 15) & k` as "x < 0 ? k : 0" and may emit a
/// `cmov` or a branch on the secret (valgrind's taint check caught exactly that in
/// `encode_char`); [`core::hint::black_box`] makes the mask an opaque value, so only the
/// AND remains. (`black_box` is documented as best effort; with rustc's LLVM backend it is
/// an inline-assembly barrier, as in `crate::ct::wipe_blocks`.)
#[inline(always)]
fn sign_mask(x: i16) -> i16 {
    opaque(x >> 15)
}

#[inline(always)]
fn opaque(x: i16) -> i16 {
    core::hint::black_box(x)
}

/// The 6-bit value of a base64 character, or −1 if `c` is not in the alphabet
/// (padding `=` included), without branches or table lookups.
#[inline(always)]
fn decode_char(c: u8) -> i16 {
    let c = i16::from(c);
    // Each range contributes (value + 1) when c is in it, and the sum starts at −1, so a
    // character outside every range stays −1. Wrapping arithmetic: the sums stay within
    // −1..=63 anyway, and an overflow check would be a branch on the secret.
    let mut v: i16 = -1;
    v = v.wrapping_add(range_mask(c, b'A' as i16, b'Z' as i16) & c.wrapping_sub(b'A' as i16 - 1));
    v = v.wrapping_add(range_mask(c, b'a' as i16, b'z' as i16) & c.wrapping_sub(b'a' as i16 - 27));
    v = v.wrapping_add(range_mask(c, b'0' as i16, b'9' as i16) & c.wrapping_sub(b'0' as i16 - 53));
    v = v.wrapping_add(range_mask(c, b'+' as i16, b'+' as i16) & (62 + 1));
    v = v.wrapping_add(range_mask(c, b'/' as i16, b'/' as i16) & (63 + 1));
    v
}

/// The base64 character of a 6-bit value (`v < 64`), without branches or table lookups.
#[inline(always)]
fn encode_char(v: u8) -> u8 {
    let v = i16::from(v & 0x3F);
    // Start from 'A' + v and correct by the offset of each later range, selected by the
    // sign of (last value of the previous range − v).
    let mut c = v.wrapping_add(b'A' as i16);
    // v ≥ 26: 'a' + (v − 26)
    c = c.wrapping_add(sign_mask(25i16.wrapping_sub(v)) & (b'a' as i16 - 26 - b'A' as i16));
    // v ≥ 52: '0' + (v − 52)
    c = c.wrapping_add(sign_mask(51i16.wrapping_sub(v)) & (b'0' as i16 - 52 - (b'a' as i16 - 26)));
    // v = 62: '+'
    c = c.wrapping_add(sign_mask(61i16.wrapping_sub(v)) & (b'+' as i16 - 62 - (b'0' as i16 - 52)));
    // v = 63: '/'
    c = c.wrapping_add(sign_mask(62i16.wrapping_sub(v)) & (b'/' as i16 - b'+' as i16 - 1));
    // c is an ASCII code in 43..=122.
    c as u8
}

/// Length of the encoding of `n` bytes, padding included.
pub(crate) const fn encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// Writes the base64 encoding of `input` to `out`, which must hold exactly
/// [`encoded_len`]`(input.len())` bytes; otherwise returns [`Error::BufferTooSmall`]
/// (too short) or [`Error::InvalidLength`] (too long) and writes nothing.
pub(crate) fn encode_to(input: &[u8], out: &mut [u8]) -> Result<(), Error> {
    let need = encoded_len(input.len());
    if out.len() < need {
        return Err(Error::BufferTooSmall);
    }
    if out.len() > need {
        return Err(Error::InvalidLength);
    }
    for (chunk, quad) in input.chunks(3).zip(out.chunks_exact_mut(4)) {
        // The chunk length is public; missing bytes are zero and become padding below.
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let chars = [
            encode_char(b0 >> 2),
            encode_char((b0 << 4 | b1 >> 4) & 0x3F),
            encode_char((b1 << 2 | b2 >> 6) & 0x3F),
            encode_char(b2 & 0x3F),
        ];
        // One byte gives two characters, two give three, three give four.
        let keep = chunk.len() + 1;
        for (i, (o, c)) in quad.iter_mut().zip(chars).enumerate() {
            *o = if i < keep { c } else { b'=' };
        }
    }
    Ok(())
}

/// How many `=` end `input` (0, 1 or 2), computed without branching on the characters and
/// then made public: the padding follows from the length of the data, which is public.
fn padding(input: &[u8]) -> usize {
    let is_pad =
        |c: Option<&u8>| c.map_or(0, |&c| range_mask(i16::from(c), b'=' as i16, b'=' as i16));
    let last = is_pad(input.last());
    let second = is_pad(input.len().checked_sub(2).and_then(|i| input.get(i)));
    let count = super::make_public((last & 1).wrapping_add(last & second & 1));
    // 0, 1 or 2.
    count as usize
}

/// The length of the decoding of `input`, from its length and its padding only (public);
/// [`Error::InvalidEncoding`] if the length is not a multiple of four.
pub(crate) fn decoded_len(input: &[u8]) -> Result<usize, Error> {
    if !input.len().is_multiple_of(4) {
        return Err(Error::InvalidEncoding);
    }
    // A multiple of four with padding is at least 4 long, so no underflow.
    Ok((input.len() / 4 * 3).saturating_sub(padding(input)))
}

/// Decodes canonical padded base64 into `out`, which must hold exactly
/// [`decoded_len`]`(input)` bytes ([`Error::InvalidLength`] otherwise).
///
/// [`Error::InvalidEncoding`] for a character outside the alphabet, misplaced or excess
/// padding, or non-zero leftover bits. On error `out` may hold partial output (the caller
/// wipes it).
pub(crate) fn decode_to(input: &[u8], out: &mut [u8]) -> Result<(), Error> {
    let len = decoded_len(input)?;
    if out.len() != len {
        return Err(Error::InvalidLength);
    }
    let pad = padding(input);
    // Accumulates −1 (all ones) if any character is invalid; tested once at the end.
    let mut bad: i16 = 0;
    let mut quads = input.chunks_exact(4).peekable();
    let mut outs = out.chunks_mut(3);
    while let (Some(quad), Some(dst)) = (quads.next(), outs.next()) {
        let last = quads.peek().is_none();
        let [c0, c1, c2, c3] = <[u8; 4]>::try_from(quad).map_err(|_| Error::InvalidEncoding)?;
        // Padding may only end the last quad; its amount is public (see `padding`), so
        // branching on it is fine. A '=' anywhere else decodes as invalid.
        let (pad2, pad3) = if last {
            (pad == 2, pad >= 1)
        } else {
            (false, false)
        };
        let v0 = decode_char(c0);
        let v1 = decode_char(c1);
        let v2 = if pad2 { 0 } else { decode_char(c2) };
        let v3 = if pad3 { 0 } else { decode_char(c3) };
        // Valid values are 0..=63 (sign bit clear); −1 has it set, and the arithmetic shift
        // turns "any sign bit set" into all ones.
        bad |= sign_mask(v0 | v1 | v2 | v3);
        // Each v is in 0..=63 when valid (−1 is caught by `bad`), so the casts keep the
        // six bits that matter.
        let bits = (u32::from(v0 as u8 & 0x3F) << 18)
            | (u32::from(v1 as u8 & 0x3F) << 12)
            | (u32::from(v2 as u8 & 0x3F) << 6)
            | u32::from(v3 as u8 & 0x3F);
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        // Canonical form: the bits under the padding must be zero (RFC 4648 §3.5). Folded
        // into the same flag without a branch on their value.
        let leftover = if pad2 {
            bits & 0xFFFF
        } else if pad3 {
            bits & 0xFF
        } else {
            0
        };
        // −1 if leftover ≠ 0: (0 − x) has its top bit set for any x in 1..=0xFFFF.
        bad |= opaque((0i32.wrapping_sub(leftover as i32) >> 31) as i16);
        for (d, b) in dst.iter_mut().zip(bytes) {
            *d = b;
        }
    }
    // Whether the text was valid is the one fact about it that becomes public.
    if super::make_public(bad) != 0 {
        return Err(Error::InvalidEncoding);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn enc(input: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; encoded_len(input.len())];
        encode_to(input, &mut out).unwrap();
        out
    }

    fn dec(input: &[u8]) -> Result<Vec<u8>, Error> {
        let mut out = vec![0u8; decoded_len(input)?];
        decode_to(input, &mut out)?;
        Ok(out)
    }

    /// RFC 4648 §10.
    const RFC4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc4648_vectors() {
        for (plain, b64) in RFC4648 {
            assert_eq!(enc(plain.as_bytes()), b64.as_bytes(), "encode {plain:?}");
            assert_eq!(
                dec(b64.as_bytes()).as_deref(),
                Ok(plain.as_bytes()),
                "decode {b64:?}"
            );
        }
    }

    #[test]
    fn alphabet_both_ways() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (v, &c) in alphabet.iter().enumerate() {
            assert_eq!(encode_char(v as u8), c, "value {v}");
            assert_eq!(decode_char(c), v as i16, "char {}", c as char);
        }
        for c in 0..=255u8 {
            if !alphabet.contains(&c) {
                assert_eq!(decode_char(c), -1, "byte {c:#04x}");
            }
        }
    }

    #[test]
    fn rejections() {
        for bad in [
            "Zg=",        // length not a multiple of 4
            "Zg",         // unpadded
            "Z===",       // three padding characters
            "Zg=a",       // padding then data
            "Zm=v",       // padding in the middle of a quad
            "Zg==Zm9v",   // padding before the last quad
            "Zm9v====",   // a quad of padding only
            "Zh==",       // non-zero leftover bits (canonical is Zg==)
            "Zm9=",       // non-zero leftover bits (canonical is Zm8=)
            "Zm9v\nYg==", // whitespace
            "Zm9-",       // URL-safe alphabet
            "Zm9_",
            "Zm9\u{0}",
            "Zm9\u{7f}",
        ] {
            assert_eq!(dec(bad.as_bytes()), Err(Error::InvalidEncoding), "{bad:?}");
        }
        // Non-ASCII bytes.
        assert_eq!(dec(&[b'Z', b'm', b'9', 0xC3]), Err(Error::InvalidEncoding));
    }

    #[test]
    fn wrong_buffer_sizes() {
        let mut small = [0u8; 3];
        assert_eq!(encode_to(b"ab", &mut small), Err(Error::BufferTooSmall));
        let mut big = [0u8; 5];
        assert_eq!(encode_to(b"ab", &mut big), Err(Error::InvalidLength));
        let mut out = [0u8; 2];
        assert_eq!(decode_to(b"Zm9v", &mut out), Err(Error::InvalidLength));
    }

    proptest::proptest! {
        #[test]
        fn round_trip(data in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let e = enc(&data);
            proptest::prop_assert_eq!(dec(&e), Ok(data));
        }

        #[test]
        fn decode_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            // Valid results must re-encode to the same text (canonical decoding).
            if let Ok(plain) = dec(&data) {
                proptest::prop_assert_eq!(enc(&plain), data);
            }
        }

        #[test]
        fn decode_alphabet_soup(s in "[A-Za-z0-9+/=]{0,40}") {
            if let Ok(plain) = dec(s.as_bytes()) {
                proptest::prop_assert_eq!(enc(&plain), s.as_bytes());
            }
        }
    }
}
