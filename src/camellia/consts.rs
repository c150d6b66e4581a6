//! Constants of RFC 3713: the S-box `s1` and the key schedule's Σ constants.
//!
//! `s2`, `s3` and `s4` are not stored: RFC 3713 §2.4.4 defines them from `s1`
//! (`s2(x) = s1(x) <<< 1`, `s3(x) = s1(x) >>> 1`, `s4(x) = s1(x <<< 1)`), and so do the
//! backends.

/// `SBOX1` of RFC 3713 §2.4.4, in the RFC's layout (decimal, 16 entries a row).
pub(crate) const SBOX1: [u8; 256] = [
    112, 130, 44, 236, 179, 39, 192, 229, 228, 133, 87, 53, 234, 12, 174, 65, 35, 239, 107, 147,
    69, 25, 165, 33, 237, 14, 79, 78, 29, 101, 146, 189, 134, 184, 175, 143, 124, 235, 31, 206, 62,
    48, 220, 95, 94, 197, 11, 26, 166, 225, 57, 202, 213, 71, 93, 61, 217, 1, 90, 214, 81, 86, 108,
    77, 139, 13, 154, 102, 251, 204, 176, 45, 116, 18, 43, 32, 240, 177, 132, 153, 223, 76, 203,
    194, 52, 126, 118, 5, 109, 183, 169, 49, 209, 23, 4, 215, 20, 88, 58, 97, 222, 27, 17, 28, 50,
    15, 156, 22, 83, 24, 242, 34, 254, 68, 207, 178, 195, 181, 122, 145, 36, 8, 232, 168, 96, 252,
    105, 80, 170, 208, 160, 125, 161, 137, 98, 151, 84, 91, 30, 149, 224, 255, 100, 210, 16, 196,
    0, 72, 163, 247, 117, 219, 138, 3, 230, 218, 9, 63, 221, 148, 135, 92, 131, 2, 205, 74, 144,
    51, 115, 103, 246, 243, 157, 127, 191, 226, 82, 155, 216, 38, 200, 55, 198, 59, 129, 150, 111,
    75, 19, 190, 99, 46, 233, 121, 167, 140, 159, 110, 188, 142, 41, 245, 249, 182, 47, 253, 180,
    89, 120, 152, 6, 106, 231, 70, 113, 186, 212, 37, 171, 66, 136, 162, 141, 250, 114, 7, 185, 85,
    248, 238, 172, 10, 54, 73, 42, 104, 60, 56, 241, 164, 64, 40, 211, 123, 187, 201, 67, 193, 21,
    227, 173, 244, 119, 199, 128, 158,
];

/// Σ1..Σ6 of RFC 3713 §2.2: the "keys" of the F-functions that derive KA and KB.
pub(crate) const SIGMA: [u64; 6] = [
    0xA09E_667F_3BCC_908B,
    0xB67A_E858_4CAA_73B2,
    0xC6EF_372F_E94F_82BE,
    0x54FF_53A5_F1D3_6F1C,
    0x10E5_27FA_DE68_2D1D,
    0xB056_88C2_B3E6_C1FD,
];

/// `s1` through `s4` as functions of `s1`, for tables and tests (variable-time: indexes
/// `SBOX1` by `x`; never called on secrets outside the opt-in table backend).
pub(crate) const fn sbox_vartime(which: usize, x: u8) -> u8 {
    match which {
        1 => SBOX1[x as usize],
        2 => SBOX1[x as usize].rotate_left(1),
        3 => SBOX1[x as usize].rotate_right(1),
        _ => SBOX1[x.rotate_left(1) as usize],
    }
}

/// RFC 3713 Appendix A: the plaintext and (key, ciphertext) of the three example vectors,
/// shared by the backends' unit tests (the integration tests read `vectors/`).
#[cfg(test)]
pub(crate) const RFC3713_PLAINTEXT: &str = "0123456789abcdeffedcba9876543210";
/// See [`RFC3713_PLAINTEXT`].
#[cfg(test)]
pub(crate) const RFC3713_APPENDIX_A: [(&str, &str); 3] = [
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
