//! STREAM: chunked authenticated encryption for files of any size in constant memory
//! (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption and its
//! Nonce-Reuse Misuse-Resistance", CRYPTO 2015, §7 — the construction age and Tink's
//! streaming AEADs use), over [`CamelliaGcm`].
//!
//! ## Format
//! A stream is a header followed by chunks:
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 8 | magic `tsubakiS` |
//! | 8 | 1 | version, 1 |
//! | 9 | 1 | algorithm: 1 = Camellia-128-GCM, 2 = Camellia-192-GCM, 3 = Camellia-256-GCM |
//! | 10 | 1 | log₂ of the chunk length, 10..=24 (16: 64 KiB, the default) |
//! | 11 | 7 | nonce prefix, random per stream |
//!
//! Then chunks `i = 0, 1, …`, each the GCM ciphertext of `chunk_len` plaintext bytes and
//! its 16-byte tag, except the last, which holds 0..=`chunk_len` bytes (an empty stream
//! is one empty last chunk: a tag alone). Chunk `i` is sealed with the nonce
//! `prefix ‖ [i]₃₂ ‖ last` (`last` = 1 for the final chunk, else 0) and with the 18
//! header bytes as associated data. So:
//! - reordering or swapping chunks changes their counter: the tag fails;
//! - cutting the stream at a chunk boundary leaves a last chunk sealed with `last` = 0:
//!   the tag fails; cutting inside a chunk leaves a chunk that does not authenticate;
//! - appending data turns the true last chunk into a non-last one: the tag fails;
//! - chunks of another stream have another prefix (and, usually, key); a changed header
//!   changes every chunk's associated data.
//! - A reader never releases a chunk's plaintext before its tag is checked, and a
//!   [`Decryptor`] returns end-of-file only after the last chunk authenticated.
//!
//! An unknown version is [`Error::UnsupportedVersion`] (upgrade tsubaki), an unknown
//! algorithm [`Error::UnsupportedAlgorithm`], a key of the wrong size for the header's
//! algorithm [`Error::InvalidKeyLength`], any other malformed header
//! [`Error::InvalidEncoding`]. At most 2³² chunks (256 TiB with 64 KiB chunks):
//! [`Error::MessageTooLong`] beyond.
//!
//! ## Layers
//! - [`StreamSealer`] / [`StreamOpener`]: one chunk at a time, caller's buffers, no `std`
//!   and no allocation.
//! - [`Encryptor`] / [`Decryptor`] (feature `std`): `std::io::Write` / `std::io::Read`
//!   adapters holding one chunk in memory. Errors come back as `io::Error` of kind
//!   `InvalidData` wrapping the [`Error`] (`e.get_ref()` and `downcast_ref`).
//!
//! The key must be used for one stream only unless every stream gets a fresh random
//! prefix (56 bits: keep it well under 2²⁰ streams per key); deriving a key per stream
//! (as HPKE does) removes the question.

use core::fmt;

use rand_core::CryptoRng;

use super::gcm::{CamelliaGcm, Tag};
use crate::Error;

/// The magic bytes that open a stream.
pub const MAGIC: [u8; 8] = *b"tsubakiS";
/// The format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Length of the header in bytes.
pub const HEADER_LEN: usize = 18;
/// Length of the random nonce prefix in bytes.
pub const PREFIX_LEN: usize = 7;
/// The default chunk length's log₂ (64 KiB).
pub const DEFAULT_CHUNK_LOG2: u8 = 16;
/// Bytes a chunk adds: its tag.
pub const TAG_LEN: usize = 16;

/// The parsed header of a stream.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Header {
    key_len: usize,
    chunk_log2: u8,
    prefix: [u8; PREFIX_LEN],
}

impl Header {
    /// A header for a `key_len`-byte key (16, 24 or 32), chunks of 2^`chunk_log2` bytes
    /// (10..=24) and the nonce prefix `prefix` (random per stream).
    pub fn new(key_len: usize, chunk_log2: u8, prefix: [u8; PREFIX_LEN]) -> Result<Self, Error> {
        if !matches!(key_len, 16 | 24 | 32) {
            return Err(Error::InvalidKeyLength { got: key_len });
        }
        if !(10..=24).contains(&chunk_log2) {
            return Err(Error::InvalidLength);
        }
        Ok(Header {
            key_len,
            chunk_log2,
            prefix,
        })
    }

    /// The chunk length in bytes (plaintext; each chunk adds a 16-byte tag).
    pub fn chunk_len(&self) -> usize {
        1 << self.chunk_log2
    }

    /// The key length the header names.
    pub fn key_len(&self) -> usize {
        self.key_len
    }

    /// The 18-byte encoding.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[..8].copy_from_slice(&MAGIC);
        b[8] = VERSION;
        b[9] = (self.key_len / 8 - 1) as u8;
        b[10] = self.chunk_log2;
        b[11..].copy_from_slice(&self.prefix);
        b
    }

    /// Parses exactly [`HEADER_LEN`] bytes (see the module docs for the errors).
    pub fn from_bytes(b: &[u8]) -> Result<Self, Error> {
        let b: &[u8; HEADER_LEN] = b.try_into().map_err(|_| Error::InvalidEncoding)?;
        if b[..8] != MAGIC {
            return Err(Error::InvalidEncoding);
        }
        if b[8] != VERSION {
            return Err(Error::UnsupportedVersion);
        }
        let key_len = match b[9] {
            1 => 16,
            2 => 24,
            3 => 32,
            _ => return Err(Error::UnsupportedAlgorithm),
        };
        let prefix = b[11..].try_into().map_err(|_| Error::InvalidEncoding)?;
        Header::new(key_len, b[10], prefix).map_err(|_| Error::InvalidEncoding)
    }
}

/// The state both directions share: the AEAD, the header bytes, the next chunk number.
struct Chunks {
    gcm: CamelliaGcm,
    header: Header,
    header_bytes: [u8; HEADER_LEN],
    counter: u64,
    finished: bool,
}

impl Chunks {
    fn new(key: &[u8], header: Header) -> Result<Self, Error> {
        if key.len() != header.key_len {
            return Err(Error::InvalidKeyLength { got: key.len() });
        }
        Ok(Chunks {
            gcm: CamelliaGcm::new(key)?,
            header_bytes: header.to_bytes(),
            header,
            counter: 0,
            finished: false,
        })
    }

    /// The nonce of the next chunk, and a check of the chunk's length and of the state.
    fn next_nonce(&mut self, len: usize, last: bool) -> Result<[u8; 12], Error> {
        if self.finished {
            return Err(Error::InvalidLength);
        }
        let ok_len = if last {
            len <= self.header.chunk_len()
        } else {
            len == self.header.chunk_len()
        };
        if !ok_len {
            return Err(Error::InvalidLength);
        }
        let counter = u32::try_from(self.counter).map_err(|_| Error::MessageTooLong)?;
        let mut nonce = [0u8; 12];
        nonce[..PREFIX_LEN].copy_from_slice(&self.header.prefix);
        nonce[PREFIX_LEN..11].copy_from_slice(&counter.to_be_bytes());
        nonce[11] = u8::from(last);
        Ok(nonce)
    }

    fn advance(&mut self, last: bool) {
        self.counter += 1;
        self.finished = last;
    }
}

/// Seals a stream chunk by chunk into the caller's buffers (no `std`, no allocation).
///
/// Write [`header`](Self::header) first, then for each chunk its sealed bytes and tag.
pub struct StreamSealer(Chunks);

impl StreamSealer {
    /// A sealer for `key` (16, 24 or 32 bytes) with 64 KiB chunks and a random prefix.
    pub fn new<R: CryptoRng + ?Sized>(key: &[u8], rng: &mut R) -> Result<Self, Error> {
        let mut prefix = [0u8; PREFIX_LEN];
        rng.fill_bytes(&mut prefix);
        Self::with_header(key, Header::new(key.len(), DEFAULT_CHUNK_LOG2, prefix)?)
    }

    /// A sealer for `key` and an explicit header (its prefix must be fresh for the key).
    pub fn with_header(key: &[u8], header: Header) -> Result<Self, Error> {
        Ok(StreamSealer(Chunks::new(key, header)?))
    }

    /// The header to write before the first chunk.
    pub fn header(&self) -> [u8; HEADER_LEN] {
        self.0.header_bytes
    }

    /// The plaintext length of every chunk but the last.
    pub fn chunk_len(&self) -> usize {
        self.0.header.chunk_len()
    }

    /// Seals a chunk that is not the last one: exactly [`chunk_len`](Self::chunk_len)
    /// bytes ([`Error::InvalidLength`] otherwise, or after the last chunk).
    pub fn seal_chunk(&mut self, chunk: &mut [u8]) -> Result<Tag, Error> {
        self.seal(chunk, false)
    }

    /// [`seal_chunk`](Self::seal_chunk) out of place: seals `plaintext` (exactly
    /// [`chunk_len`](Self::chunk_len) bytes) into `out` (the same length), reading the
    /// plaintext once ([`CamelliaGcm::try_seal_detached`]). [`Error::InvalidLength`] if a
    /// length is wrong or after the last chunk.
    pub fn seal_chunk_from(&mut self, plaintext: &[u8], out: &mut [u8]) -> Result<Tag, Error> {
        let c = &mut self.0;
        if out.len() != plaintext.len() {
            return Err(Error::InvalidLength);
        }
        let nonce = c.next_nonce(plaintext.len(), false)?;
        let tag = c
            .gcm
            .try_seal_detached(&nonce, &c.header_bytes, plaintext, out)?;
        c.advance(false);
        Ok(tag)
    }

    /// Seals the last chunk: 0..=[`chunk_len`](Self::chunk_len) bytes. No chunk may follow.
    pub fn seal_last(&mut self, chunk: &mut [u8]) -> Result<Tag, Error> {
        self.seal(chunk, true)
    }

    fn seal(&mut self, chunk: &mut [u8], last: bool) -> Result<Tag, Error> {
        let c = &mut self.0;
        let nonce = c.next_nonce(chunk.len(), last)?;
        let tag = c
            .gcm
            .try_seal_in_place_detached(&nonce, &c.header_bytes, chunk)?;
        c.advance(last);
        Ok(tag)
    }
}

/// Opens a stream chunk by chunk in the caller's buffers (no `std`, no allocation).
///
/// The caller must know which chunk is the last (the one that ends the input: read one
/// byte ahead) and must treat a stream whose last chunk never opened as truncated.
pub struct StreamOpener(Chunks);

impl StreamOpener {
    /// An opener for `key` and the stream's header bytes.
    pub fn new(key: &[u8], header: &[u8]) -> Result<Self, Error> {
        Ok(StreamOpener(Chunks::new(key, Header::from_bytes(header)?)?))
    }

    /// The parsed header.
    pub fn header(&self) -> Header {
        self.0.header
    }

    /// The plaintext length of every chunk but the last.
    pub fn chunk_len(&self) -> usize {
        self.0.header.chunk_len()
    }

    /// Opens a chunk that is not the last one ([`chunk_len`](Self::chunk_len) bytes);
    /// on [`Error::AuthenticationFailed`] `chunk` is wiped.
    pub fn open_chunk(&mut self, chunk: &mut [u8], tag: &Tag) -> Result<(), Error> {
        self.open(chunk, tag, false)
    }

    /// Opens the last chunk; after it the stream is complete.
    pub fn open_last(&mut self, chunk: &mut [u8], tag: &Tag) -> Result<(), Error> {
        self.open(chunk, tag, true)
    }

    /// Whether the last chunk has been opened.
    pub fn is_finished(&self) -> bool {
        self.0.finished
    }

    fn open(&mut self, chunk: &mut [u8], tag: &Tag, last: bool) -> Result<(), Error> {
        let c = &mut self.0;
        let nonce = c.next_nonce(chunk.len(), last)?;
        c.gcm
            .open_in_place_detached(&nonce, &c.header_bytes, chunk, tag)?;
        c.advance(last);
        Ok(())
    }
}

impl fmt::Debug for StreamSealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSealer")
            .field("chunk", &self.0.counter)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for StreamOpener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamOpener")
            .field("chunk", &self.0.counter)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "std")]
pub use io::{Decryptor, Encryptor};

#[cfg(feature = "std")]
mod io {
    use alloc::vec;
    use alloc::vec::Vec;
    use std::io::{self, Read, Write};

    use zeroize::Zeroizing;

    use super::{Header, StreamOpener, StreamSealer, TAG_LEN, Tag};
    use crate::Error;

    fn invalid(e: Error) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }

    /// Encrypts everything written to it into `W` as a STREAM: the header at once, then a
    /// chunk each time a full chunk is buffered and more data follows. Call
    /// [`finish`](Self::finish): it seals the last chunk. A stream dropped without
    /// `finish` is truncated, and readers will refuse it.
    pub struct Encryptor<W: Write> {
        sealer: StreamSealer,
        inner: W,
        /// One chunk and room for its tag; the first `filled` bytes are plaintext of the
        /// chunk being filled (wiped on drop).
        buf: Zeroizing<Vec<u8>>,
        filled: usize,
    }

    impl<W: Write> Encryptor<W> {
        /// A stream for `key` (16, 24 or 32 bytes) with 64 KiB chunks and a random prefix
        /// from the OS; writes the header to `inner`.
        pub fn new(key: &[u8], inner: W) -> io::Result<Self> {
            let sealer = StreamSealer::new(key, &mut crate::OsRng).map_err(invalid)?;
            Self::with_sealer(sealer, inner)
        }

        /// A stream with an explicit header (tests, or another chunk size).
        pub fn with_header(key: &[u8], header: Header, inner: W) -> io::Result<Self> {
            let sealer = StreamSealer::with_header(key, header).map_err(invalid)?;
            Self::with_sealer(sealer, inner)
        }

        fn with_sealer(sealer: StreamSealer, mut inner: W) -> io::Result<Self> {
            inner.write_all(&sealer.header())?;
            let buf = Zeroizing::new(vec![0u8; sealer.chunk_len() + TAG_LEN]);
            Ok(Encryptor {
                sealer,
                inner,
                buf,
                filled: 0,
            })
        }

        /// Seals the buffered data as the last chunk, writes it and returns `inner`.
        pub fn finish(self) -> io::Result<W> {
            let Encryptor {
                mut sealer,
                mut inner,
                mut buf,
                filled,
            } = self;
            let tag = sealer.seal_last(&mut buf[..filled]).map_err(invalid)?;
            buf[filled..filled + TAG_LEN].copy_from_slice(&tag);
            inner.write_all(&buf[..filled + TAG_LEN])?;
            inner.flush()?;
            Ok(inner)
        }

        /// Writes the sealed chunk in `buf` with its tag; the buffer is then empty.
        fn write_sealed(&mut self, tag: &Tag) -> io::Result<()> {
            let chunk_len = self.sealer.chunk_len();
            self.buf[chunk_len..].copy_from_slice(tag);
            self.inner.write_all(&self.buf)?;
            self.filled = 0;
            Ok(())
        }
    }

    impl<W: Write> Write for Encryptor<W> {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            if data.is_empty() {
                return Ok(0);
            }
            let chunk_len = self.sealer.chunk_len();
            if self.filled == chunk_len {
                // More data follows a full chunk: that chunk is not the last.
                let tag = self
                    .sealer
                    .seal_chunk(&mut self.buf[..chunk_len])
                    .map_err(invalid)?;
                self.write_sealed(&tag)?;
            }
            if self.filled == 0 && data.len() > chunk_len {
                // A whole chunk with more data after it (so not the last): sealed straight
                // from the caller's bytes, without buffering the plaintext first.
                let tag = self
                    .sealer
                    .seal_chunk_from(&data[..chunk_len], &mut self.buf[..chunk_len])
                    .map_err(invalid)?;
                self.write_sealed(&tag)?;
                return Ok(chunk_len);
            }
            let take = data.len().min(chunk_len - self.filled);
            self.buf[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            Ok(take)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()
        }
    }

    /// Decrypts a STREAM read from `R`: reads the header at once, then one chunk (plus one
    /// byte of look-ahead, to know whether it is the last) at a time, and hands out a
    /// chunk's plaintext only after its tag verified. End of file is reported only after
    /// the last chunk authenticated; a stream that ends early is an error.
    pub struct Decryptor<R: Read> {
        opener: StreamOpener,
        inner: R,
        /// One chunk and its tag, plus one look-ahead byte (wiped on drop).
        buf: Zeroizing<Vec<u8>>,
        /// Bytes of `buf` filled (ciphertext not yet opened, or the look-ahead byte).
        filled: usize,
        /// Plaintext ready in `buf[pos..end]`.
        pos: usize,
        end: usize,
    }

    impl<R: Read> Decryptor<R> {
        /// Reads and checks the header; `key` must match its algorithm.
        pub fn new(key: &[u8], mut inner: R) -> io::Result<Self> {
            let mut header = [0u8; super::HEADER_LEN];
            inner.read_exact(&mut header).map_err(|e| {
                if e.kind() == io::ErrorKind::UnexpectedEof {
                    invalid(Error::InvalidEncoding)
                } else {
                    e
                }
            })?;
            let opener = StreamOpener::new(key, &header).map_err(invalid)?;
            let buf = Zeroizing::new(vec![0u8; opener.chunk_len() + TAG_LEN + 1]);
            Ok(Decryptor {
                opener,
                inner,
                buf,
                filled: 0,
                pos: 0,
                end: 0,
            })
        }

        /// The stream's header.
        pub fn header(&self) -> Header {
            self.opener.header()
        }

        /// Reads, checks and decrypts the next chunk into `buf[..end]`.
        fn next_chunk(&mut self) -> io::Result<()> {
            let full = self.buf.len();
            while self.filled < full {
                match self.inner.read(&mut self.buf[self.filled..]) {
                    Ok(0) => break,
                    Ok(n) => self.filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let chunk_len = self.opener.chunk_len();
            let last = self.filled < full;
            let sealed_len = if last {
                self.filled
            } else {
                chunk_len + TAG_LEN
            };
            if sealed_len < TAG_LEN {
                // Cut inside a tag, or no last chunk at all.
                return Err(invalid(Error::InvalidLength));
            }
            let ct_len = sealed_len - TAG_LEN;
            let mut tag = [0u8; TAG_LEN];
            tag.copy_from_slice(&self.buf[ct_len..sealed_len]);
            let chunk = &mut self.buf[..ct_len];
            let r = if last {
                self.opener.open_last(chunk, &tag)
            } else {
                self.opener.open_chunk(chunk, &tag)
            };
            r.map_err(invalid)?;
            self.pos = 0;
            self.end = ct_len;
            self.filled -= sealed_len;
            Ok(())
        }
    }

    impl<W: Write> core::fmt::Debug for Encryptor<W> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("Encryptor")
                .field("sealer", &self.sealer)
                .finish_non_exhaustive()
        }
    }

    impl<R: Read> core::fmt::Debug for Decryptor<R> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("Decryptor")
                .field("opener", &self.opener)
                .finish_non_exhaustive()
        }
    }

    impl<R: Read> Read for Decryptor<R> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if out.is_empty() {
                return Ok(0);
            }
            while self.pos == self.end {
                if self.opener.is_finished() {
                    return Ok(0);
                }
                // The look-ahead byte of the previous read starts the next chunk.
                if self.filled == 1 {
                    let full = self.buf.len();
                    self.buf[0] = self.buf[full - 1];
                }
                self.next_chunk()?;
            }
            let n = out.len().min(self.end - self.pos);
            out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }
}
