//! PEM armour as RFC 7468 describes it ("textual encodings"), the way OpenSSL writes it.
//!
//! Writing follows RFC 7468's strict form exactly as OpenSSL does: the `-----BEGIN
//! {label}-----` line, the base64 (RFC 4648) of the DER in lines of 64 characters, the
//! last one shorter, the `-----END {label}-----` line, each line ended by LF.
//!
//! Reading is the "lax" parser of RFC 7468 §3 with a few limits: text before the block and
//! after it is ignored (so are other blocks before it, such as the `EC PARAMETERS` block
//! `openssl ecparam -genkey` writes first), lines may end in CRLF, spaces and tabs around a
//! line are ignored and so are blank lines; anything else inside the block must be base64
//! in its canonical padded form. A missing END line, another boundary line inside the
//! block, a character outside the alphabet or a non-canonical ending are
//! [`Error::InvalidEncoding`]. RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, the legacy
//! encrypted `EC PRIVATE KEY`) and a block labelled `ENCRYPTED {label}` (an encrypted
//! PKCS#8 key, RFC 5958 §3) when `{label}` alone is not present are
//! [`Error::UnsupportedAlgorithm`]: well-formed, but nothing this crate decrypts.
//!
//! The base64 itself is decoded and encoded in constant time (see [`super::base64`]). What
//! the parser branches on besides is the line structure: where line breaks, boundary lines
//! and surrounding whitespace are, which is public layout. The intermediate and final
//! buffers are sized exactly before they are filled (so no reallocation leaves a copy of
//! a key behind) and are wiped on drop.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::{Zeroize, Zeroizing};

use super::base64;
use crate::Error;

/// Base64 characters per line, as OpenSSL and RFC 7468 §2 write them.
const LINE_CHARS: usize = 64;
/// Input bytes per full line.
const LINE_BYTES: usize = LINE_CHARS / 4 * 3;

/// Which boundary line a line is, with its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Boundary<'a> {
    Begin(&'a str),
    End(&'a str),
}

/// Classifies a (trimmed) line as a boundary line, if it is one.
fn boundary(line: &str) -> Option<Boundary<'_>> {
    let inner = line.strip_prefix("-----")?.strip_suffix("-----")?;
    if let Some(label) = inner.strip_prefix("BEGIN ") {
        Some(Boundary::Begin(label))
    } else {
        inner.strip_prefix("END ").map(Boundary::End)
    }
}

/// A line without the spaces, tabs and carriage return around it.
fn trim(line: &str) -> &str {
    line.trim_matches([' ', '\t', '\r'])
}

/// Finds the body (the text strictly between the BEGIN and END lines) of the first block
/// labelled `label`.
fn find_body<'a>(pem: &'a str, label: &str) -> Result<&'a str, Error> {
    let mut offset = 0usize;
    let mut body_start: Option<usize> = None;
    let mut saw_encrypted = false;
    for raw in pem.split_inclusive('\n') {
        let line_start = offset;
        offset = offset.saturating_add(raw.len());
        let line = trim(raw.strip_suffix('\n').unwrap_or(raw));
        match body_start {
            None => match boundary(line) {
                Some(Boundary::Begin(l)) if l == label => body_start = Some(offset),
                Some(Boundary::Begin(l)) if l.strip_prefix("ENCRYPTED ") == Some(label) => {
                    saw_encrypted = true;
                }
                // Text or other blocks before ours.
                _ => {}
            },
            Some(start) => {
                if line.starts_with("-----") {
                    return match boundary(line) {
                        Some(Boundary::End(l)) if l == label => {
                            pem.get(start..line_start).ok_or(Error::InvalidEncoding)
                        }
                        _ => Err(Error::InvalidEncoding),
                    };
                }
            }
        }
    }
    if body_start.is_none() && saw_encrypted {
        Err(Error::UnsupportedAlgorithm)
    } else {
        Err(Error::InvalidEncoding)
    }
}

/// Decodes the first block labelled `label` in `pem` to its DER bytes.
///
/// Errors: [`Error::InvalidEncoding`] if there is no such block, it has no END line, its
/// body is not canonical base64, or it holds something besides base64 and whitespace;
/// [`Error::UnsupportedAlgorithm`] for an encrypted key (see the module docs).
pub(crate) fn decode(pem: &str, label: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let body = find_body(pem, label)?;
    let lines = || body.split('\n').map(trim).filter(|l| !l.is_empty());
    // RFC 1421 encapsulated headers come first in the body. Only the first line is
    // looked at: for a key it starts with the public DER header ("MI…").
    if let Some(first) = lines().next()
        && first.contains(':')
    {
        return Err(if first.starts_with("Proc-Type:") {
            Error::UnsupportedAlgorithm
        } else {
            Error::InvalidEncoding
        });
    }
    let text_len = lines().fold(0usize, |n, l| n.saturating_add(l.len()));
    let mut text = Zeroizing::new(Vec::with_capacity(text_len));
    for line in lines() {
        text.extend_from_slice(line.as_bytes());
    }
    let mut der = Zeroizing::new(alloc::vec![0u8; base64::decoded_len(&text)?]);
    base64::decode_to(&text, &mut der)?;
    Ok(der)
}

/// Encodes `der` as a PEM block labelled `label`: 64-character lines, LF line ends, a
/// final newline — byte for byte what OpenSSL writes.
pub(crate) fn encode(label: &str, der: &[u8]) -> Zeroizing<String> {
    const BEGIN: &str = "-----BEGIN ";
    const END: &str = "-----END ";
    const DASHES: &str = "-----\n";
    let b64_len = base64::encoded_len(der.len());
    let body_len = b64_len + b64_len.div_ceil(LINE_CHARS);
    let total = BEGIN.len() + END.len() + 2 * (label.len() + DASHES.len()) + body_len;

    let mut out = Zeroizing::new(Vec::with_capacity(total));
    out.extend_from_slice(BEGIN.as_bytes());
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(DASHES.as_bytes());
    for chunk in der.chunks(LINE_BYTES) {
        let start = out.len();
        out.resize(start + base64::encoded_len(chunk.len()), 0);
        if let Some(dst) = out.get_mut(start..) {
            // `dst` has exactly the encoded length of `chunk`, so this cannot fail.
            let r = base64::encode_to(chunk, dst);
            debug_assert!(r.is_ok());
        }
        out.push(b'\n');
    }
    out.extend_from_slice(END.as_bytes());
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(DASHES.as_bytes());
    debug_assert_eq!(out.len(), total);
    debug_assert_eq!(
        out.capacity(),
        total,
        "the buffer must not have been reallocated"
    );

    // Move the bytes (not copy them) into the String.
    match String::from_utf8(core::mem::take(&mut *out)) {
        Ok(s) => Zeroizing::new(s),
        Err(e) => {
            // Unreachable: `label` is a str and base64 is ASCII. Wipe and return nothing.
            e.into_bytes().zeroize();
            Zeroizing::new(String::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    const FOOBAR: &str = "-----BEGIN TEST-----\nZm9vYmFy\n-----END TEST-----\n";

    #[test]
    fn encode_simple() {
        assert_eq!(encode("TEST", b"foobar").as_str(), FOOBAR);
        assert_eq!(
            encode("TEST", b"").as_str(),
            "-----BEGIN TEST-----\n-----END TEST-----\n"
        );
    }

    #[test]
    fn encode_wraps_at_64() {
        for n in [47usize, 48, 49, 96, 97, 200] {
            let data: Vec<u8> = (0..n).map(|i| i as u8).collect();
            let pem = encode("X", &data);
            let body: Vec<&str> = pem
                .lines()
                .skip(1)
                .take_while(|l| !l.starts_with("-----"))
                .collect();
            assert!(body.iter().rev().skip(1).all(|l| l.len() == 64), "n = {n}");
            assert!(
                body.last().is_some_and(|l| !l.is_empty() && l.len() <= 64),
                "n = {n}"
            );
            assert_eq!(decode(&pem, "X").map(|v| v.to_vec()), Ok(data));
        }
    }

    #[test]
    fn decode_tolerances() {
        let want: &[u8] = b"foobar";
        for pem in [
            FOOBAR.to_string(),
            FOOBAR.replace('\n', "\r\n"),
            "-----BEGIN TEST-----\nZm9v \nYmFy\t\n-----END TEST-----".to_string(),
            "-----BEGIN TEST-----\n\nZm9v\n\n  YmFy\n-----END TEST-----   \r\n".to_string(),
            format!(
                "leading text\n-----BEGIN OTHER-----\nAAAA\n-----END OTHER-----\n{FOOBAR}trailing"
            ),
            format!(
                "-----BEGIN OTHER-----\nAAAA\n-----END OTHER-----\n\n{FOOBAR}{}",
                FOOBAR.replace("Zm9vYmFy", "AAAA")
            ),
        ] {
            assert_eq!(
                decode(&pem, "TEST").map(|v| v.to_vec()),
                Ok(want.to_vec()),
                "{pem:?}"
            );
        }
    }

    #[test]
    fn decode_rejections() {
        for (pem, err) in [
            ("", Error::InvalidEncoding),
            ("Zm9vYmFy", Error::InvalidEncoding),
            ("-----BEGIN TEST-----\nZm9vYmFy\n", Error::InvalidEncoding), // no END
            (
                "-----BEGIN TEST-----\nZm9vYmFy\n-----END OTHER-----\n",
                Error::InvalidEncoding,
            ),
            (
                "-----BEGIN TEST-----\nZm9v\n-----BEGIN TEST-----\nYmFy\n-----END TEST-----\n",
                Error::InvalidEncoding,
            ),
            (
                "-----BEGIN TEST-----\nZm9v YmFy\n-----END TEST-----\n",
                Error::InvalidEncoding,
            ), // space inside
            (
                "-----BEGIN TEST-----\nZm9v*mFy\n-----END TEST-----\n",
                Error::InvalidEncoding,
            ),
            (
                "-----BEGIN TEST-----\nZm9vYmF\n-----END TEST-----\n",
                Error::InvalidEncoding,
            ), // unpadded
            (
                "-----BEGIN TEST-----\nZm9vYh==\n-----END TEST-----\n",
                Error::InvalidEncoding,
            ), // non-canonical
            (
                "-----BEGIN TEST-----\nZm9v\nYg==\nYmFy\n-----END TEST-----\n",
                Error::InvalidEncoding,
            ), // padding mid-body
            (
                "-----BEGIN OTHER-----\nZm9vYmFy\n-----END OTHER-----\n",
                Error::InvalidEncoding,
            ), // wrong label
            (
                "-----BEGIN TESTX-----\nZm9vYmFy\n-----END TESTX-----\n",
                Error::InvalidEncoding,
            ),
            (
                "-----BEGIN TEST-----\nComment: hi\n\nZm9vYmFy\n-----END TEST-----\n",
                Error::InvalidEncoding,
            ),
            (
                "-----BEGIN TEST-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nZm9vYmFy\n-----END TEST-----\n",
                Error::UnsupportedAlgorithm,
            ),
            (
                "-----BEGIN ENCRYPTED TEST-----\nZm9vYmFy\n-----END ENCRYPTED TEST-----\n",
                Error::UnsupportedAlgorithm,
            ),
        ] {
            assert_eq!(decode(pem, "TEST").map(|_| ()), Err(err), "{pem:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn round_trip(data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let pem = encode("EC PRIVATE KEY", &data);
            let back = decode(&pem, "EC PRIVATE KEY").map(|v| v.to_vec());
            proptest::prop_assert_eq!(back, Ok(data));
        }

        #[test]
        fn never_panics(s in "(-----(BEGIN|END) (TEST|X)-----|[A-Za-z0-9+/= \r\n:-]{0,20}|\n){0,8}") {
            if let Ok(der) = decode(&s, "TEST") {
                // Whatever decodes must re-encode and decode to itself.
                let again = encode("TEST", &der);
                let back = decode(&again, "TEST").map(|v| v.to_vec());
                proptest::prop_assert_eq!(back, Ok(der.to_vec()));
            }
        }

        #[test]
        fn never_panics_any_text(s in "\\PC{0,200}") {
            let _ = decode(&s, "TEST");
        }
    }
}
