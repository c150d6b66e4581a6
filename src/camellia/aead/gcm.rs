//! Camellia-GCM: Galois/Counter Mode (NIST SP 800-38D) over Camellia, the AEAD of the
//! Camellia TLS suites of RFC 6367.
//!
//! - `H = E(K, 0¹²⁸)`; for a 96-bit nonce `J₀ = nonce ‖ 0³¹1`, for any other length
//!   `J₀ = GHASH(IV ‖ 0ˢ⁺⁶⁴ ‖ [len(IV)]₆₄)` (§7.1).
//! - The plaintext is encrypted in CTR mode from `inc₃₂(J₀)` (only the low 32 bits count).
//! - `T = MSB_t(E(K, J₀) ⊕ GHASH(A ‖ 0ᵛ ‖ C ‖ 0ᵘ ‖ [len(A)]₆₄ ‖ [len(C)]₆₄))`.
//!
//! Limits (§5.2.1.1): plaintext ≤ 2³⁹ − 256 bits (64 GiB − 32 bytes), AAD and IV
//! < 2⁶⁴ bits; beyond them [`Error::MessageTooLong`].
//!
//! The bulk path takes `CHUNK` (256) blocks at a time: the backend's fused CTR
//! (`BlockCipher::ctr_xor_blocks`) over the chunk, then GHASH over the same 4 KiB
//! while it sits in L1 (opening hashes first, then decrypts). Opening decrypts and hashes
//! in the same pass and wipes the buffer if the tag does not match, so the caller never
//! sees unauthenticated plaintext.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::ghash::{Ghash, GhashKey};
use super::{Cipher, wipe};
use crate::Error;
use crate::camellia::Backend;
use crate::camellia::modes::{BlockCipher, CtrFlavor, ctr_xor_buffered};

/// A full GCM tag.
pub type Tag = [u8; 16];

/// Blocks per fused CTR + GHASH step: 4 KiB, four batches of the widest SIMD backend,
/// small enough to stay in L1 between the two passes, large enough that the per-call
/// set-up of the fused CTR path (key rows) is spread thin.
pub(crate) const CHUNK: usize = 256;

/// Camellia-GCM with a 128-, 192- or 256-bit key (chosen by the key's length).
///
/// ```
/// use tsubaki::camellia::aead::CamelliaGcm;
///
/// let gcm = CamelliaGcm::new(&[7u8; 16])?;
/// let nonce = [1u8; 12];
/// let sealed = gcm.seal(&nonce, b"header", b"incident report");
/// assert_eq!(sealed.len(), 15 + 16);
/// assert_eq!(gcm.open(&nonce, b"header", &sealed)?, b"incident report");
/// assert!(gcm.open(&nonce, b"other header", &sealed).is_err());
/// # Ok::<(), tsubaki::Error>(())
/// ```
///
/// A nonce must never repeat under one key: GCM loses both confidentiality and
/// authenticity when it does. Random 96-bit nonces are safe for up to 2³² messages per
/// key (SP 800-38D §8.3).
///
/// The expanded key and the hash key are zeroized on drop; `Debug` prints the key size,
/// the tag length and the backend only.
pub struct CamelliaGcm {
    cipher: Cipher,
    ghash: GhashKey,
    tag_len: usize,
}

impl CamelliaGcm {
    /// The nonce length of [`seal`](Self::seal) and [`open`](Self::open), in bytes.
    pub const NONCE_LEN: usize = 12;
    /// The full tag length, in bytes.
    pub const TAG_LEN: usize = 16;
    /// The longest plaintext, in bytes: 2³⁹ − 256 bits.
    pub const MAX_PLAINTEXT_LEN: u64 = (1 << 36) - 32;
    /// The longest associated data (and IV), in bytes: under 2⁶⁴ bits.
    pub const MAX_AAD_LEN: u64 = (1 << 61) - 1;

    /// A GCM object for a 16-, 24- or 32-byte key, on the best constant-time backend of
    /// this CPU, with 16-byte tags. [`Error::InvalidKeyLength`] for any other length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Self::build(key, None, 16)
    }

    /// Like [`new`](Self::new) on the Camellia backend `backend` (tests, benches);
    /// [`Error::BackendUnavailable`] where this CPU cannot run it.
    pub fn with_backend(key: &[u8], backend: Backend) -> Result<Self, Error> {
        Self::build(key, Some(backend), 16)
    }

    /// GCM with tags truncated to `tag_len` bytes, 12 to 16 (SP 800-38D §5.2.1.2 allows
    /// 12..16 for general use; shorter ones are refused). [`Error::InvalidTagLength`]
    /// otherwise. Shorter tags are weaker against forgery: use them only where a
    /// protocol demands them.
    pub fn new_with_tag_len(key: &[u8], tag_len: usize) -> Result<Self, Error> {
        if !(12..=16).contains(&tag_len) {
            return Err(Error::InvalidTagLength { got: tag_len });
        }
        Self::build(key, None, tag_len)
    }

    fn build(key: &[u8], backend: Option<Backend>, tag_len: usize) -> Result<Self, Error> {
        let cipher = Cipher::new(key, backend)?;
        let mut h = [0u8; 16];
        cipher.encrypt_block(&mut h);
        let portable = matches!(cipher.backend(), Backend::Bitsliced | Backend::Table);
        let ghash = GhashKey::new(&h, portable);
        h.zeroize();
        Ok(CamelliaGcm {
            cipher,
            ghash,
            tag_len,
        })
    }

    /// The Camellia backend this object runs on.
    pub fn backend(&self) -> Backend {
        self.cipher.backend()
    }

    /// The tag length in bytes (16 unless made with [`new_with_tag_len`](Self::new_with_tag_len)).
    pub fn tag_len(&self) -> usize {
        self.tag_len
    }

    /// Encrypts `plaintext` and returns ciphertext ‖ tag (`tag_len` bytes).
    ///
    /// # Panics
    /// If `plaintext` is longer than [`MAX_PLAINTEXT_LEN`](Self::MAX_PLAINTEXT_LEN)
    /// (64 GiB); [`try_seal`](Self::try_seal) returns an error instead.
    #[cfg(feature = "alloc")]
    pub fn seal(&self, nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        self.try_seal(nonce, aad, plaintext)
            .expect("Camellia-GCM plaintext longer than 2^39 - 256 bits")
    }

    /// [`seal`](Self::seal), with [`Error::MessageTooLong`] beyond the limits.
    #[cfg(feature = "alloc")]
    pub fn try_seal(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, Error> {
        check_lengths(aad.len(), plaintext.len())?;
        let mut out = Vec::with_capacity(plaintext.len() + self.tag_len);
        out.extend_from_slice(plaintext);
        let tag = self.try_seal_in_place_detached(nonce, aad, &mut out)?;
        out.extend_from_slice(&tag[..self.tag_len]);
        Ok(out)
    }

    /// Decrypts ciphertext ‖ tag. [`Error::InvalidLength`] if `sealed` is shorter than a
    /// tag, [`Error::AuthenticationFailed`] if the tag does not match (nothing is
    /// returned), [`Error::MessageTooLong`] beyond the limits.
    #[cfg(feature = "alloc")]
    pub fn open(&self, nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
        let ct_len = sealed
            .len()
            .checked_sub(self.tag_len)
            .ok_or(Error::InvalidLength)?;
        let (ct, tag) = sealed.split_at(ct_len);
        let mut out = ct.to_vec();
        self.open_in_place_detached_slice(&J0::Nonce(nonce), aad, &mut out, tag)?;
        Ok(out)
    }

    /// Encrypts `buf` in place and returns the full 16-byte tag (truncate it to
    /// [`tag_len`](Self::tag_len) yourself for a truncated-tag object).
    ///
    /// # Panics
    /// If `buf` is longer than [`MAX_PLAINTEXT_LEN`](Self::MAX_PLAINTEXT_LEN);
    /// [`try_seal_in_place_detached`](Self::try_seal_in_place_detached) returns an error
    /// instead.
    pub fn seal_in_place_detached(&self, nonce: &[u8; 12], aad: &[u8], buf: &mut [u8]) -> Tag {
        self.try_seal_in_place_detached(nonce, aad, buf)
            .expect("Camellia-GCM plaintext longer than 2^39 - 256 bits")
    }

    /// [`seal_in_place_detached`](Self::seal_in_place_detached), with
    /// [`Error::MessageTooLong`] (and `buf` unchanged) beyond the limits.
    pub fn try_seal_in_place_detached(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<Tag, Error> {
        self.seal_j0(&J0::Nonce(nonce), aad, buf)
    }

    /// Encrypts `plaintext` into `out` (of the same length) and returns the full 16-byte
    /// tag: the out-of-place form of
    /// [`try_seal_in_place_detached`](Self::try_seal_in_place_detached), which reads the
    /// plaintext once, as it goes (no separate copy pass). [`Error::InvalidLength`] if the
    /// lengths differ, [`Error::MessageTooLong`] beyond the limits; `out` is then
    /// unchanged.
    pub fn try_seal_detached(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
        out: &mut [u8],
    ) -> Result<Tag, Error> {
        if plaintext.len() != out.len() {
            return Err(Error::InvalidLength);
        }
        check_lengths(aad.len(), out.len())?;
        let iv = J0::Nonce(nonce);
        let j0 = self.j0(&iv);
        let mut g = Ghash::new(&self.ghash);
        g.update_padded(aad);
        self.ctr_and_hash(
            j0,
            iv.counter_is_public(),
            out,
            Some(plaintext),
            &mut g,
            true,
        );
        Ok(self.tag(j0, aad.len(), out.len(), g))
    }

    /// Decrypts `buf` in place if `tag` authenticates it (the first
    /// [`tag_len`](Self::tag_len) bytes of `tag` are compared, in constant time); on
    /// [`Error::AuthenticationFailed`] `buf` is wiped to zeros.
    pub fn open_in_place_detached(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
        tag: &Tag,
    ) -> Result<(), Error> {
        self.open_in_place_detached_slice(&J0::Nonce(nonce), aad, buf, &tag[..self.tag_len])
    }

    /// [`try_seal_in_place_detached`](Self::try_seal_in_place_detached) with an IV of any
    /// length from 1 byte up (SP 800-38D: `J₀` through GHASH unless it is 12 bytes).
    /// [`Error::InvalidNonceLength`] for an empty IV. Prefer 12-byte nonces.
    pub fn seal_in_place_detached_with_iv(
        &self,
        iv: &[u8],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<Tag, Error> {
        self.seal_j0(&J0::iv(iv)?, aad, buf)
    }

    /// [`open_in_place_detached`](Self::open_in_place_detached) with an IV of any length
    /// from 1 byte up, and a tag of exactly [`tag_len`](Self::tag_len) bytes
    /// ([`Error::InvalidTagLength`] otherwise).
    pub fn open_in_place_detached_with_iv(
        &self,
        iv: &[u8],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8],
    ) -> Result<(), Error> {
        self.open_in_place_detached_slice(&J0::iv(iv)?, aad, buf, tag)
    }

    fn seal_j0(&self, iv: &J0<'_>, aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error> {
        check_lengths(aad.len(), buf.len())?;
        let j0 = self.j0(iv);
        let mut g = Ghash::new(&self.ghash);
        g.update_padded(aad);
        self.ctr_and_hash(j0, iv.counter_is_public(), buf, None, &mut g, true);
        Ok(self.tag(j0, aad.len(), buf.len(), g))
    }

    fn open_in_place_detached_slice(
        &self,
        iv: &J0<'_>,
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8],
    ) -> Result<(), Error> {
        if tag.len() != self.tag_len {
            return Err(Error::InvalidTagLength { got: tag.len() });
        }
        check_lengths(aad.len(), buf.len())?;
        let j0 = self.j0(iv);
        let mut g = Ghash::new(&self.ghash);
        g.update_padded(aad);
        self.ctr_and_hash(j0, iv.counter_is_public(), buf, None, &mut g, false);
        let mut want = self.tag(j0, aad.len(), buf.len(), g);
        let ok = want[..self.tag_len].ct_eq(tag);
        want.zeroize();
        if crate::ct::declassify_choice(ok) {
            Ok(())
        } else {
            wipe(buf);
            Err(Error::AuthenticationFailed)
        }
    }

    /// The pre-counter block `J₀` as a big-endian number.
    fn j0(&self, iv: &J0<'_>) -> u128 {
        match iv {
            J0::Nonce(n) => {
                let mut b = [0u8; 16];
                b[..12].copy_from_slice(&n[..]);
                b[15] = 1;
                u128::from_be_bytes(b)
            }
            J0::Iv(iv) => {
                let mut g = Ghash::new(&self.ghash);
                g.update_padded(iv);
                let bits = (iv.len() as u128) * 8;
                g.update_blocks(&[bits.to_be_bytes()]);
                u128::from_be_bytes(g.finalize())
            }
        }
    }

    /// CTR from `inc₃₂(j0)` over `buf`, with the ciphertext hashed into `g`: after the
    /// encryption when sealing, before the decryption when opening.
    ///
    /// With a 96-bit nonce the counter blocks are public and the backend's fused CTR may
    /// choose its path by them (where the 32-bit counter wraps). With any other IV
    /// length `J₀` comes out of GHASH under the secret H, so the counter is secret: then
    /// the counter blocks are made with branch-free arithmetic and encrypted through the
    /// plain bulk path (slower, constant-time).
    ///
    /// With `src` (sealing only; as long as `buf`), each chunk of `buf` is first copied
    /// from `src`: out-of-place sealing reads the plaintext a chunk at a time, right
    /// before the chunk is encrypted, so the copy stays in L1 instead of being a pass of
    /// its own.
    fn ctr_and_hash(
        &self,
        j0: u128,
        counter_is_public: bool,
        buf: &mut [u8],
        src: Option<&[u8]>,
        g: &mut Ghash<'_>,
        seal: bool,
    ) {
        debug_assert!(src.is_none_or(|s| seal && s.len() == buf.len()));
        let mut counter = inc32(j0);
        let (blocks, tail) = buf.as_chunks_mut::<16>();
        let (src_blocks, src_tail) = match src {
            Some(s) => {
                let (b, t) = s.as_chunks::<16>();
                (Some(b), t)
            }
            None => (None, &[][..]),
        };
        let ctr = |counter: &mut u128, chunk: &mut [[u8; 16]]| {
            if counter_is_public {
                self.cipher.ctr_xor_blocks(counter, CtrFlavor::Be32, chunk);
            } else {
                ctr_xor_buffered(&self.cipher, counter, CtrFlavor::Be32, chunk);
            }
        };
        for (i, chunk) in blocks.chunks_mut(CHUNK).enumerate() {
            if let Some(from) = src_blocks {
                let start = i * CHUNK;
                chunk.copy_from_slice(&from[start..start + chunk.len()]);
                // Ask for the next chunk's plaintext now, so that its reads overlap
                // this chunk's rounds instead of stalling the next copy.
                let next = (start + CHUNK).min(from.len())..(start + 2 * CHUNK).min(from.len());
                crate::camellia::prefetch(from[next].as_flattened());
            }
            if seal {
                ctr(&mut counter, chunk);
                g.update_blocks(chunk);
            } else {
                g.update_blocks(chunk);
                ctr(&mut counter, chunk);
            }
        }
        if !tail.is_empty() {
            if src.is_some() {
                tail.copy_from_slice(src_tail);
            }
            let mut ks = counter.to_be_bytes();
            self.cipher.encrypt_block(&mut ks);
            if !seal {
                g.update_padded(tail);
            }
            for (d, k) in tail.iter_mut().zip(&ks) {
                *d ^= k;
            }
            if seal {
                g.update_padded(tail);
            }
            ks.zeroize();
        }
    }

    /// `E(K, J₀) ⊕ GHASH(… ‖ [len(A)]₆₄ ‖ [len(C)]₆₄)`.
    fn tag(&self, j0: u128, aad_len: usize, ct_len: usize, mut g: Ghash<'_>) -> Tag {
        let lens = ((aad_len as u128 * 8) << 64) | (ct_len as u128 * 8);
        g.update_blocks(&[lens.to_be_bytes()]);
        let s = g.finalize();
        let mut t = j0.to_be_bytes();
        self.cipher.encrypt_block(&mut t);
        for (t, s) in t.iter_mut().zip(&s) {
            *t ^= s;
        }
        t
    }
}

/// The IV as given: the 96-bit fast case or any other length.
enum J0<'a> {
    Nonce(&'a [u8; 12]),
    Iv(&'a [u8]),
}

impl<'a> J0<'a> {
    /// Whether the counter blocks are public: only `J₀ = nonce ‖ 0³¹1` is.
    fn counter_is_public(&self) -> bool {
        matches!(self, J0::Nonce(_))
    }

    fn iv(iv: &'a [u8]) -> Result<Self, Error> {
        if iv.is_empty() {
            return Err(Error::InvalidNonceLength { got: 0 });
        }
        if iv.len() as u64 > CamelliaGcm::MAX_AAD_LEN {
            return Err(Error::MessageTooLong);
        }
        Ok(match <&[u8; 12]>::try_from(iv) {
            Ok(n) => J0::Nonce(n),
            Err(_) => J0::Iv(iv),
        })
    }
}

/// `inc₃₂`: +1 on the low 32 bits only.
fn inc32(x: u128) -> u128 {
    (x & !0xFFFF_FFFF) | u128::from((x as u32).wrapping_add(1))
}

pub(super) fn check_lengths(aad_len: usize, text_len: usize) -> Result<(), Error> {
    if text_len as u64 > CamelliaGcm::MAX_PLAINTEXT_LEN || aad_len as u64 > CamelliaGcm::MAX_AAD_LEN
    {
        return Err(Error::MessageTooLong);
    }
    Ok(())
}

impl ZeroizeOnDrop for CamelliaGcm {}

impl fmt::Debug for CamelliaGcm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CamelliaGcm")
            .field("cipher", &self.cipher)
            .field("tag_len", &self.tag_len)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_rejections_every_backend() {
        for b in Backend::available() {
            for klen in [16, 24, 32] {
                let key: alloc::vec::Vec<u8> = (0..klen as u8).collect();
                let gcm = CamelliaGcm::with_backend(&key, b).unwrap();
                for len in [0, 1, 15, 16, 17, 63, 64, 65, 1023, 1024, 1025, 4097] {
                    let pt: alloc::vec::Vec<u8> = (0..len).map(|i| (i * 13) as u8).collect();
                    let nonce = [len as u8; 12];
                    let sealed = gcm.seal(&nonce, b"aad", &pt);
                    assert_eq!(sealed.len(), len + 16);
                    // Out of place: the same bytes; a length mismatch changes nothing.
                    let mut out = alloc::vec![0xa5u8; len];
                    let tag = gcm
                        .try_seal_detached(&nonce, b"aad", &pt, &mut out)
                        .unwrap();
                    assert_eq!([&out[..], &tag].concat(), sealed, "{b} {len}");
                    let mut short = alloc::vec![0xa5u8; len.saturating_sub(1)];
                    if len > 0 {
                        assert_eq!(
                            gcm.try_seal_detached(&nonce, b"aad", &pt, &mut short),
                            Err(Error::InvalidLength)
                        );
                        assert!(short.iter().all(|&x| x == 0xa5));
                    }
                    assert_eq!(gcm.open(&nonce, b"aad", &sealed).unwrap(), pt, "{b} {len}");
                    let mut bad = sealed.clone();
                    let last = bad.len() - 1;
                    bad[last] ^= 1;
                    assert_eq!(
                        gcm.open(&nonce, b"aad", &bad),
                        Err(Error::AuthenticationFailed)
                    );
                    assert!(gcm.open(&nonce, b"aae", &sealed).is_err());
                    let mut other = nonce;
                    other[11] ^= 1;
                    assert!(gcm.open(&other, b"aad", &sealed).is_err());
                    let mut buf = sealed[..len].to_vec();
                    let mut tag = [0u8; 16];
                    tag.copy_from_slice(&sealed[len..]);
                    tag[0] ^= 0x80;
                    assert!(
                        gcm.open_in_place_detached(&nonce, b"aad", &mut buf, &tag)
                            .is_err()
                    );
                    assert!(buf.iter().all(|&x| x == 0), "wiped on failure");
                }
            }
        }
    }

    #[test]
    fn bad_lengths() {
        assert_eq!(
            CamelliaGcm::new(&[0; 15]).unwrap_err(),
            Error::InvalidKeyLength { got: 15 }
        );
        assert_eq!(
            CamelliaGcm::new_with_tag_len(&[0; 16], 11).unwrap_err(),
            Error::InvalidTagLength { got: 11 }
        );
        let gcm = CamelliaGcm::new(&[0; 16]).unwrap();
        assert_eq!(gcm.open(&[0; 12], b"", &[0; 15]), Err(Error::InvalidLength));
        assert_eq!(
            gcm.seal_in_place_detached_with_iv(&[], b"", &mut []),
            Err(Error::InvalidNonceLength { got: 0 })
        );
        assert_eq!(
            gcm.open_in_place_detached_with_iv(&[1; 12], b"", &mut [], &[0; 15]),
            Err(Error::InvalidTagLength { got: 15 })
        );
    }

    #[test]
    fn truncated_tags() {
        let full = CamelliaGcm::new(&[3; 32]).unwrap();
        let short = CamelliaGcm::new_with_tag_len(&[3; 32], 12).unwrap();
        let a = full.seal(&[9; 12], b"x", b"hello world");
        let s = short.seal(&[9; 12], b"x", b"hello world");
        assert_eq!(&a[..a.len() - 4], &s[..]);
        assert_eq!(short.open(&[9; 12], b"x", &s).unwrap(), b"hello world");
        assert!(full.open(&[9; 12], b"x", &s).is_err());
    }

    #[test]
    fn twelve_byte_iv_through_the_general_path_is_the_nonce_path() {
        let gcm = CamelliaGcm::new(&[5; 16]).unwrap();
        let mut a = *b"some plaintext!!!";
        let mut b = a;
        let ta = gcm.seal_in_place_detached(&[4; 12], b"h", &mut a);
        let tb = gcm
            .seal_in_place_detached_with_iv(&[4; 12], b"h", &mut b)
            .unwrap();
        assert_eq!((a, ta), (b, tb));
        let tc = gcm
            .seal_in_place_detached_with_iv(&[4; 13], b"h", &mut b)
            .unwrap();
        assert_ne!(tc, tb);
        gcm.open_in_place_detached_with_iv(&[4; 13], b"h", &mut b, &tc)
            .unwrap();
        assert_eq!(&b[..], &a[..]);
    }
}
