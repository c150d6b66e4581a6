//! The canonical binary form of the round's messages: what is hashed and signed.
//!
//! Big-endian integers, strings and opaque blobs with a length prefix whose bound comes
//! from the caller (the round's parameters), fixed-size fields (ciphertexts, hashes,
//! signatures) without one. Every message starts with its domain-separation constant
//! (`b"tsubaki/stats/v1/<kind>"`, which carries the version) and decoding refuses leftover
//! bytes, as libprio's `codec` does. Decoding never panics and never allocates more than
//! the input's length.

use alloc::string::String;
use alloc::vec::Vec;

use crate::Error;

/// Appends fields to a buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    /// A writer whose buffer starts with `domain`.
    pub fn new(domain: &[u8]) -> Self {
        let mut w = Writer { buf: Vec::new() };
        w.buf.extend_from_slice(domain);
        w
    }

    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// A big-endian u16.
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// A big-endian u32.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// A big-endian u64.
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Bytes whose length the reader knows from elsewhere.
    pub fn fixed(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// Bytes with a 32-bit length prefix.
    pub fn var(&mut self, b: &[u8]) {
        // Lengths are bounded by the messages' own bounds (far below 4 GiB).
        self.u32(b.len() as u32);
        self.buf.extend_from_slice(b);
    }

    /// A short string (an id, a name): 16-bit length prefix.
    pub fn str(&mut self, s: &str) {
        self.u16(s.len() as u16);
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// A longer string (a title): 32-bit length prefix.
    pub fn var_str(&mut self, s: &str) {
        self.var(s.as_bytes());
    }

    /// The bytes written.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads fields from a message; every read checks the remaining length.
#[derive(Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading a message that must begin with `domain` (its kind and version):
    /// [`Error::UnsupportedVersion`] if it begins with the same kind under another version,
    /// [`Error::InvalidEncoding`] otherwise.
    pub fn new(input: &'a [u8], domain: &[u8]) -> Result<Self, Error> {
        match input.strip_prefix(domain) {
            Some(rest) => Ok(Reader { rest }),
            None => {
                // Same family, other version: b"tsubaki/stats/v" then something else.
                let family = b"tsubaki/stats/v";
                if input.starts_with(family) && !input.starts_with(b"tsubaki/stats/v1/") {
                    Err(Error::UnsupportedVersion)
                } else {
                    Err(Error::InvalidEncoding)
                }
            }
        }
    }

    /// `len` bytes (a length known from the round's parameters).
    pub fn fixed(&mut self, len: usize) -> Result<&'a [u8], Error> {
        if self.rest.len() < len {
            return Err(Error::InvalidEncoding);
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    /// `N` bytes.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.fixed(N)?);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.array::<1>()?[0])
    }

    /// A big-endian u16.
    pub fn u16(&mut self) -> Result<u16, Error> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// A big-endian u32.
    pub fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A big-endian u64.
    pub fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// A length-prefixed blob of at most `max` bytes.
    pub fn var(&mut self, max: usize) -> Result<&'a [u8], Error> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(Error::InvalidEncoding);
        }
        self.fixed(len)
    }

    /// A length-prefixed UTF-8 string of at most [`MAX_NAME`] bytes.
    pub fn str(&mut self) -> Result<String, Error> {
        let len = self.u16()? as usize;
        if len > MAX_NAME {
            return Err(Error::InvalidEncoding);
        }
        let bytes = self.fixed(len)?;
        core::str::from_utf8(bytes)
            .map(String::from)
            .map_err(|_| Error::InvalidEncoding)
    }

    /// A 32-bit length-prefixed UTF-8 string of at most `max` bytes.
    pub fn str_max(&mut self, max: usize) -> Result<String, Error> {
        let bytes = self.var(max)?;
        core::str::from_utf8(bytes)
            .map(String::from)
            .map_err(|_| Error::InvalidEncoding)
    }

    /// A count of list elements, at most `max`.
    pub fn count(&mut self, max: usize) -> Result<usize, Error> {
        let n = self.u32()? as usize;
        if n > max {
            return Err(Error::InvalidEncoding);
        }
        Ok(n)
    }

    /// Ends the message: leftover bytes are an error.
    pub fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidEncoding)
        }
    }
}

/// Longest id or name (org, member, metric, bucket, title), in bytes.
pub const MAX_NAME: usize = 256;

/// Checks an id or name: 1..=[`MAX_NAME`] bytes, no control characters.
pub(crate) fn check_name(s: &str) -> Result<(), Error> {
    if s.is_empty() || s.len() > MAX_NAME || s.chars().any(char::is_control) {
        return Err(Error::InvalidEncoding);
    }
    Ok(())
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(any(feature = "serde", test))]
/// Parses hex (either case); [`Error::InvalidEncoding`] on odd length or a non-hex digit.
pub(crate) fn unhex(s: &str) -> Result<Vec<u8>, Error> {
    fn digit(c: u8) -> Result<u8, Error> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(Error::InvalidEncoding),
        }
    }
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(Error::InvalidEncoding);
    }
    b.chunks_exact(2)
        .map(|p| Ok((digit(p[0])? << 4) | digit(p[1])?))
        .collect()
}

#[cfg(any(feature = "serde", test))]
/// Parses hex of exactly `N` bytes.
pub(crate) fn unhex_array<const N: usize>(s: &str) -> Result<[u8; N], Error> {
    unhex(s)?.try_into().map_err(|_| Error::InvalidEncoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_refuses_short_long_and_foreign_input() {
        let mut w = Writer::new(b"tsubaki/stats/v1/test");
        w.str("org-1");
        w.u64(7);
        let bytes = w.finish();
        let mut r = Reader::new(&bytes, b"tsubaki/stats/v1/test").unwrap();
        assert_eq!(r.str().unwrap(), "org-1");
        assert_eq!(r.u64().unwrap(), 7);
        r.finish().unwrap();
        // Leftover byte.
        let mut long = bytes.clone();
        long.push(0);
        let mut r = Reader::new(&long, b"tsubaki/stats/v1/test").unwrap();
        let _ = r.str().unwrap();
        let _ = r.u64().unwrap();
        assert_eq!(r.finish(), Err(Error::InvalidEncoding));
        // Every truncation fails without panicking.
        for cut in 0..bytes.len() {
            let res = Reader::new(&bytes[..cut], b"tsubaki/stats/v1/test")
                .and_then(|mut r| Ok((r.str()?, r.u64()?)));
            assert!(res.is_err(), "cut {cut}");
        }
        // Another version of the family.
        assert_eq!(
            Reader::new(b"tsubaki/stats/v2/test", b"tsubaki/stats/v1/test").unwrap_err(),
            Error::UnsupportedVersion
        );
        assert_eq!(
            Reader::new(b"something else", b"tsubaki/stats/v1/test").unwrap_err(),
            Error::InvalidEncoding
        );
    }

    #[test]
    fn hex_round_trips_and_refuses_junk() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(unhex("00AB10").unwrap(), [0, 0xab, 0x10]);
        assert!(unhex("0").is_err());
        assert!(unhex("zz").is_err());
        assert!(unhex_array::<2>("001122").is_err());
    }
}
