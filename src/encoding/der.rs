//! A strict reader and a small writer for the subset of ASN.1 DER (ITU-T X.690 §8 and
//! §10) that key and signature encodings use.
//!
//! The reader accepts distinguished encodings only: single-byte tags (low tag numbers),
//! definite lengths in the shortest form (X.690 §10.1), no indefinite lengths, INTEGERs in
//! their minimal two's-complement form (§8.3.2), BIT STRINGs that this crate needs with no
//! unused bits, well-formed OBJECT IDENTIFIERs (§8.19), and no bytes left over at any level.
//! Every violation is [`Error::InvalidEncoding`]. It never panics and never indexes out of
//! range, whatever the input.
//!
//! Lengths and tags of the structures are public; the reader looks at nothing else, so it
//! can walk a private key without branching on its secret bytes (it only hands out borrowed
//! slices of them).

use crate::Error;

/// Tag of a universal INTEGER.
pub(crate) const INTEGER: u8 = 0x02;
/// Tag of a universal BIT STRING (primitive).
pub(crate) const BIT_STRING: u8 = 0x03;
/// Tag of a universal OCTET STRING (primitive).
pub(crate) const OCTET_STRING: u8 = 0x04;
/// Tag of a universal NULL.
pub(crate) const NULL: u8 = 0x05;
/// Tag of a universal OBJECT IDENTIFIER.
pub(crate) const OID: u8 = 0x06;
/// Tag of a universal SEQUENCE (always constructed).
pub(crate) const SEQUENCE: u8 = 0x30;

/// Tag of a constructed context-specific `[n]` (an EXPLICIT tag, or an IMPLICIT tag over a
/// constructed type).
pub(crate) const fn context_constructed(n: u8) -> u8 {
    0xA0 | n
}

/// Tag of a primitive context-specific `[n]` (an IMPLICIT tag over a primitive type).
pub(crate) const fn context_primitive(n: u8) -> u8 {
    0x80 | n
}

/// Lengths above this many bytes of length field are refused (4 bytes cover 4 GiB, far
/// beyond any key); this also keeps the arithmetic below free of overflow on 32-bit targets.
const MAX_LENGTH_OCTETS: usize = 4;

/// A cursor over DER input. Every method either consumes a whole TLV or leaves the cursor
/// unusable behind an error (callers return the error at once).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `input`.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    /// True once every byte has been consumed.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, if any, without consuming it.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Fails with [`Error::InvalidEncoding`] unless every byte has been consumed.
    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidEncoding)
        }
    }

    /// Reads one element: its tag and its contents (borrowed).
    pub(crate) fn read_any(&mut self) -> Result<(u8, &'a [u8]), Error> {
        let (&tag, after_tag) = self.rest.split_first().ok_or(Error::InvalidEncoding)?;
        // High tag numbers (low five bits all set) are never used by the structures read
        // here; refusing them keeps "one byte = one tag".
        if tag & 0x1F == 0x1F {
            return Err(Error::InvalidEncoding);
        }
        let (&first, after_len0) = after_tag.split_first().ok_or(Error::InvalidEncoding)?;
        let (len, after_len) = if first < 0x80 {
            (usize::from(first), after_len0)
        } else {
            // 0x80 is the indefinite form (BER only); 0x81.. give the count of length
            // octets that follow.
            let count = usize::from(first & 0x7F);
            if count == 0 || count > MAX_LENGTH_OCTETS {
                return Err(Error::InvalidEncoding);
            }
            let (octets, after) = after_len0
                .split_at_checked(count)
                .ok_or(Error::InvalidEncoding)?;
            // Minimal: no leading zero octet, and the short form when it fits.
            if octets.first() == Some(&0) {
                return Err(Error::InvalidEncoding);
            }
            let mut len: usize = 0;
            for &o in octets {
                // At most 4 octets: fits in 32 bits, so no overflow on any target we build for.
                len = len
                    .checked_mul(256)
                    .and_then(|l| l.checked_add(usize::from(o)))
                    .ok_or(Error::InvalidEncoding)?;
            }
            if len < 0x80 {
                return Err(Error::InvalidEncoding);
            }
            (len, after)
        };
        let (contents, rest) = after_len
            .split_at_checked(len)
            .ok_or(Error::InvalidEncoding)?;
        self.rest = rest;
        Ok((tag, contents))
    }

    /// Reads one element that must carry `tag`; returns its contents.
    pub(crate) fn read(&mut self, tag: u8) -> Result<&'a [u8], Error> {
        match self.read_any()? {
            (t, contents) if t == tag => Ok(contents),
            _ => Err(Error::InvalidEncoding),
        }
    }

    /// Reads the element if the next tag is `tag`; `Ok(None)` if another tag (or nothing)
    /// follows.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, Error> {
        if self.peek_tag() == Some(tag) {
            self.read(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a SEQUENCE and returns a reader over its contents.
    pub(crate) fn read_sequence(&mut self) -> Result<Reader<'a>, Error> {
        self.read(SEQUENCE).map(Reader::new)
    }

    /// Reads a non-negative INTEGER; returns its magnitude big-endian with no leading zero
    /// bytes (empty for zero).
    pub(crate) fn read_unsigned_integer(&mut self) -> Result<&'a [u8], Error> {
        unsigned_integer_magnitude(self.read(INTEGER)?)
    }

    /// Reads a non-negative INTEGER that fits in a `u8` (a version number).
    pub(crate) fn read_small_uint(&mut self) -> Result<u8, Error> {
        match self.read_unsigned_integer()? {
            [] => Ok(0),
            [v] => Ok(*v),
            _ => Err(Error::InvalidEncoding),
        }
    }

    /// Reads an OBJECT IDENTIFIER and checks that its contents are well formed; returns the
    /// contents.
    pub(crate) fn read_oid(&mut self) -> Result<&'a [u8], Error> {
        let contents = self.read(OID)?;
        check_oid(contents)?;
        Ok(contents)
    }

    /// Reads a BIT STRING with no unused bits and returns its bytes (without the leading
    /// unused-bits octet).
    pub(crate) fn read_bit_string_octets(&mut self) -> Result<&'a [u8], Error> {
        match self.read(BIT_STRING)? {
            [0, bytes @ ..] => Ok(bytes),
            _ => Err(Error::InvalidEncoding),
        }
    }
}

/// Checks the contents of an INTEGER for the minimal form and a non-negative value and
/// returns the magnitude without leading zero bytes (empty for zero).
pub(crate) fn unsigned_integer_magnitude(contents: &[u8]) -> Result<&[u8], Error> {
    match contents {
        // X.690 §8.3.1: at least one content octet.
        [] => Err(Error::InvalidEncoding),
        // Zero.
        [0] => Ok(&[]),
        // A leading 0x00 is allowed only to clear the sign of a set top bit (§8.3.2).
        [0, next, ..] if next & 0x80 == 0 => Err(Error::InvalidEncoding),
        [0, magnitude @ ..] => Ok(magnitude),
        // Negative.
        [first, ..] if first & 0x80 != 0 => Err(Error::InvalidEncoding),
        magnitude => Ok(magnitude),
    }
}

/// Checks OBJECT IDENTIFIER contents (X.690 §8.19): at least one subidentifier, each in
/// base 128 with no leading 0x80 octet, the last octet ending a subidentifier.
pub(crate) fn check_oid(contents: &[u8]) -> Result<(), Error> {
    let mut at_start = true;
    for &b in contents {
        if at_start && b == 0x80 {
            return Err(Error::InvalidEncoding);
        }
        at_start = b & 0x80 == 0;
    }
    if contents.is_empty() || !at_start {
        return Err(Error::InvalidEncoding);
    }
    Ok(())
}

// --- writing ---------------------------------------------------------------------------

/// Number of bytes the tag and length of an element with `content_len` bytes take.
pub(crate) const fn header_len(content_len: usize) -> usize {
    let mut octets = 0;
    let mut l = content_len;
    while l > 0 {
        octets += 1;
        l >>= 8;
    }
    if content_len < 0x80 { 2 } else { 2 + octets }
}

/// Total size of an element with `content_len` bytes of contents.
pub(crate) const fn tlv_len(content_len: usize) -> usize {
    header_len(content_len) + content_len
}

/// Size of the contents of a minimal non-negative INTEGER with the big-endian magnitude
/// `value` (leading zero bytes are dropped, a 0x00 is added before a set top bit).
pub(crate) fn unsigned_integer_content_len(value: &[u8]) -> usize {
    let stripped = strip_leading_zeros(value);
    match stripped.first() {
        None => 1,
        Some(b) if b & 0x80 != 0 => stripped.len() + 1,
        Some(_) => stripped.len(),
    }
}

/// `value` without its leading zero bytes (variable-time: for public values only).
fn strip_leading_zeros(value: &[u8]) -> &[u8] {
    let zeros = value.iter().take_while(|&&b| b == 0).count();
    value.get(zeros..).unwrap_or(&[])
}

/// Where the writer puts bytes: a `Vec` (with `alloc`) or a [`SliceSink`].
pub(crate) trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
}

#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// A fixed buffer written from the front. Writing past its end sets a flag instead of
/// panicking; [`SliceSink::finish`] reports it.
#[derive(Debug)]
pub(crate) struct SliceSink<'a> {
    buf: &'a mut [u8],
    len: usize,
    overflow: bool,
}

impl<'a> SliceSink<'a> {
    /// An empty sink over `buf`.
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Self {
            buf,
            len: 0,
            overflow: false,
        }
    }

    /// The number of bytes written, or [`Error::BufferTooSmall`] if they did not fit.
    pub(crate) fn finish(self) -> Result<usize, Error> {
        if self.overflow {
            Err(Error::BufferTooSmall)
        } else {
            Ok(self.len)
        }
    }
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len.checked_add(bytes.len());
        match end.and_then(|end| self.buf.get_mut(self.len..end)) {
            Some(dst) if !self.overflow => {
                dst.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            _ => self.overflow = true,
        }
    }
}

/// Appends the tag and the minimal definite length of an element with `content_len`
/// bytes of contents.
pub(crate) fn push_header(out: &mut impl Sink, tag: u8, content_len: usize) {
    if content_len < 0x80 {
        // Short form (X.690 §8.1.3.4); the cast cannot truncate.
        out.put(&[tag, content_len as u8]);
    } else {
        let bytes = content_len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let octets = bytes.get(skip..).unwrap_or(&[]);
        // At most size_of::<usize>() ≤ 16 octets, so the count fits in the low 7 bits.
        out.put(&[tag, 0x80 | octets.len() as u8]);
        out.put(octets);
    }
}

/// Appends a whole element.
#[cfg_attr(not(feature = "alloc"), allow(dead_code))] // the no-alloc build writes signatures only
pub(crate) fn push_tlv(out: &mut impl Sink, tag: u8, contents: &[u8]) {
    push_header(out, tag, contents.len());
    out.put(contents);
}

/// Appends a minimal non-negative INTEGER whose big-endian magnitude is `value`
/// (variable-time in the number of leading zero bytes: public values only).
pub(crate) fn push_unsigned_integer(out: &mut impl Sink, value: &[u8]) {
    let stripped = strip_leading_zeros(value);
    let len = unsigned_integer_content_len(value);
    push_header(out, INTEGER, len);
    if len > stripped.len() {
        out.put(&[0]);
    }
    out.put(stripped);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_short_and_long_forms() {
        let mut r = Reader::new(&[0x04, 0x02, 0xAA, 0xBB]);
        assert_eq!(r.read(OCTET_STRING), Ok(&[0xAA, 0xBB][..]));
        assert!(r.finish().is_ok());

        let mut long = alloc::vec![0x04, 0x81, 0x80];
        long.extend_from_slice(&[7u8; 0x80]);
        let mut r = Reader::new(&long);
        assert_eq!(r.read(OCTET_STRING).map(<[u8]>::len), Ok(0x80));
        assert!(r.is_empty());

        let mut two = alloc::vec![0x04, 0x82, 0x01, 0x00];
        two.extend_from_slice(&[7u8; 0x100]);
        assert_eq!(
            Reader::new(&two).read(OCTET_STRING).map(<[u8]>::len),
            Ok(0x100)
        );
    }

    #[test]
    fn non_minimal_and_indefinite_lengths_rejected() {
        for bad in [
            &[0x04, 0x81, 0x01, 0xAA][..],         // long form where short fits
            &[0x04, 0x82, 0x00, 0x01, 0xAA][..],   // leading zero length octet
            &[0x30, 0x80, 0x05, 0x00, 0x00, 0x00], // indefinite
            &[0x04, 0x85, 1, 0, 0, 0, 0],          // too many length octets
            &[0x04, 0x02, 0xAA],                   // truncated contents
            &[0x04],                               // no length
            &[],                                   // nothing
            &[0x1F, 0x01, 0x00],                   // high tag number
        ] {
            assert_eq!(
                Reader::new(bad).read_any(),
                Err(Error::InvalidEncoding),
                "{bad:02x?}"
            );
        }
        // 0x81 0x7F is non-minimal even though the value is representable.
        let mut v = alloc::vec![0x04, 0x81, 0x7F];
        v.extend_from_slice(&[0u8; 0x7F]);
        assert_eq!(Reader::new(&v).read_any(), Err(Error::InvalidEncoding));
    }

    #[test]
    fn integers() {
        let ok: &[(&[u8], &[u8])] = &[
            (&[0x00], &[]),
            (&[0x01], &[0x01]),
            (&[0x7F], &[0x7F]),
            (&[0x00, 0x80], &[0x80]),
            (&[0x01, 0x00], &[0x01, 0x00]),
        ];
        for (contents, magnitude) in ok {
            assert_eq!(unsigned_integer_magnitude(contents), Ok(*magnitude));
        }
        for bad in [&[][..], &[0x80], &[0xFF], &[0x00, 0x7F], &[0x00, 0x00]] {
            assert_eq!(unsigned_integer_magnitude(bad), Err(Error::InvalidEncoding));
        }
    }

    #[test]
    fn oids() {
        assert!(check_oid(&[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]).is_ok());
        assert!(check_oid(&[0x2B, 0x81, 0x04, 0x00, 0x22]).is_ok());
        for bad in [&[][..], &[0x2A, 0x86], &[0x2A, 0x80, 0x01], &[0x80, 0x01]] {
            assert_eq!(check_oid(bad), Err(Error::InvalidEncoding));
        }
    }

    #[test]
    fn bit_string_unused_bits() {
        assert_eq!(
            Reader::new(&[0x03, 0x02, 0x00, 0x04]).read_bit_string_octets(),
            Ok(&[0x04][..])
        );
        for bad in [
            &[0x03, 0x02, 0x01, 0x04][..],
            &[0x03, 0x00],
            &[0x23, 0x02, 0x00, 0x04],
        ] {
            assert_eq!(
                Reader::new(bad).read_bit_string_octets(),
                Err(Error::InvalidEncoding)
            );
        }
    }

    #[test]
    fn writer_matches_reader() {
        for len in [0usize, 1, 0x7F, 0x80, 0xFF, 0x100, 0x1234, 0x10000] {
            let contents = alloc::vec![0x5Au8; len];
            let mut out = alloc::vec::Vec::new();
            push_tlv(&mut out, OCTET_STRING, &contents);
            assert_eq!(out.len(), tlv_len(len));
            let mut r = Reader::new(&out);
            assert_eq!(r.read(OCTET_STRING), Ok(&contents[..]), "len {len}");
            assert!(r.finish().is_ok());
        }
        for (value, expect) in [
            (&[][..], &[0x02, 0x01, 0x00][..]),
            (&[0, 0, 0], &[0x02, 0x01, 0x00]),
            (&[0, 0x7F], &[0x02, 0x01, 0x7F]),
            (&[0, 0x80], &[0x02, 0x02, 0x00, 0x80]),
            (&[0x80, 0x00], &[0x02, 0x03, 0x00, 0x80, 0x00]),
        ] {
            let mut out = alloc::vec::Vec::new();
            push_unsigned_integer(&mut out, value);
            assert_eq!(out, expect);
        }
    }

    #[test]
    fn slice_sink() {
        let mut buf = [0u8; 4];
        let mut sink = SliceSink::new(&mut buf);
        push_tlv(&mut sink, OCTET_STRING, &[1, 2]);
        assert_eq!(sink.finish(), Ok(4));
        assert_eq!(buf, [0x04, 0x02, 1, 2]);
        let mut sink = SliceSink::new(&mut buf);
        push_tlv(&mut sink, OCTET_STRING, &[1, 2, 3]);
        assert_eq!(sink.finish(), Err(Error::BufferTooSmall));
    }

    proptest::proptest! {
        #[test]
        fn reader_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let mut r = Reader::new(&bytes);
            while let Ok((_, contents)) = r.read_any() {
                let mut inner = Reader::new(contents);
                let _ = inner.read_sequence();
                let _ = inner.read_unsigned_integer();
                let _ = inner.read_oid();
                let _ = inner.read_bit_string_octets();
            }
        }
    }
}
