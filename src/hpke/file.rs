//! Sealed files: a file of any size sealed to a recipient's HPKE public key (optionally
//! authenticated by the sender's key), written and read in constant memory. What the CLI's
//! `seal`/`open` and the statistics rounds (key shares to committee members, Shamir shares
//! to servers) use.
//!
//! ## Format, version 1
//!
//! | offset | bytes  | field |
//! |--------|--------|-------|
//! | 0      | 8      | magic `tsubakiH` |
//! | 8      | 1      | version, 1 |
//! | 9      | 1      | HPKE mode: 0x00 base, 0x02 auth |
//! | 10     | 2      | `kem_id` (0x0010 P-256, 0x0011 P-384), big-endian |
//! | 12     | 2      | `kdf_id` (0x0001 HKDF-SHA256, 0x0002 HKDF-SHA384, 0x0003 HKDF-SHA512) |
//! | 14     | 2      | `aead_id` of the body: 0xFF01 Camellia-128-GCM, 0xFF02 Camellia-256-GCM |
//! | 16     | 16     | recipient key id: [`key_id`] of the recipient's public key |
//! | 32     | 16     | sender key id (auth mode), or 16 zero bytes (base mode) |
//! | 48     | `Nenc` | `enc`, the HPKE encapsulated key (65 bytes for P-256, 97 for P-384) |
//! | 48 + `Nenc` | … | body: a `camellia::aead::stream` STREAM (its own 18-byte header, then 64 KiB chunks) |
//!
//! ## Construction
//! The sender runs HPKE (RFC 9180) with the file's KEM and KDF and **export-only**
//! (`aead_id` 0xFFFF in the key schedule, so any RFC 9180 implementation can do this step)
//! in the header's mode, with
//! `info = "tsubaki/hpke/v1/sealed-file" ‖ header[0..48] ‖ application info`,
//! and exports the body key, `Nk` bytes, with the exporter context
//! `"tsubaki/hpke/v1/sealed-file/body-key"`. The body is STREAM over Camellia-GCM under
//! that key. Every header byte is in `info` (or is `enc`, bound by the KEM), so changing
//! any of them changes the body key and the first chunk fails to authenticate; the STREAM
//! layer detects truncation, reordering and appended data.
//!
//! ## Errors
//! A reader checks the header before any secret work: a bad magic or a malformed field is
//! `Error::InvalidEncoding`, another version `Error::UnsupportedVersion` (upgrade tsubaki),
//! an unknown suite `Error::UnsupportedAlgorithm`, a file sealed to another key — or one
//! whose authentication does not match what the caller asked (a sender key given for a
//! base-mode file, none for an auth-mode file, or another sender's key id) —
//! `Error::KeyMismatch`. Body failures are the STREAM's (`Error::AuthenticationFailed`,
//! `Error::InvalidLength`). Through `std::io` they arrive as `io::Error` of kind
//! `InvalidData` wrapping the [`Error`](crate::Error).
//!
//! [`open_file`] writes a chunk's plaintext only after that chunk authenticated, but a
//! file cut short or changed late fails only at its end: a caller that writes to a file
//! must delete the output when `open_file` fails (the CLI does). [`open_to_vec`] returns
//! nothing unless the whole file authenticated.

use alloc::vec::Vec;
use std::io::{self, Read, Write};

use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{Aead, Keypair, Suite, setup_receiver_any, setup_sender_any};
use crate::Error;
use crate::camellia::aead::stream::{self, Decryptor, Encryptor, Header};

/// The magic bytes that open a sealed file.
pub const MAGIC: [u8; 8] = *b"tsubakiH";
/// The format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Length of the header before `enc`.
pub const FIXED_HEADER_LEN: usize = 48;
/// Length of a key id.
pub const KEY_ID_LEN: usize = 16;

/// Domain separation of the HPKE `info` (STYLE: one constant per message kind).
const INFO_LABEL: &[u8] = b"tsubaki/hpke/v1/sealed-file";
/// The exporter context of the body key.
const BODY_KEY_LABEL: &[u8] = b"tsubaki/hpke/v1/sealed-file/body-key";
/// Domain separation of key ids.
const KEY_ID_LABEL: &[u8] = b"tsubaki/hpke/v1/key-id";

/// The id of a public key in sealed-file headers: the first 16 bytes of
/// SHA-256(`"tsubaki/hpke/v1/key-id"` ‖ the serialized public key). It names the key; it
/// proves nothing (a wrong id only makes opening fail early).
pub fn key_id(public_key: &[u8]) -> [u8; KEY_ID_LEN] {
    let digest = Sha256::new()
        .chain_update(KEY_ID_LABEL)
        .chain_update(public_key)
        .finalize();
    let mut id = [0u8; KEY_ID_LEN];
    id.copy_from_slice(&digest[..KEY_ID_LEN]);
    id
}

/// The parsed header of a sealed file (everything before the body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileHeader {
    suite: Suite,
    recipient_key_id: [u8; KEY_ID_LEN],
    sender_key_id: Option<[u8; KEY_ID_LEN]>,
    enc: Vec<u8>,
}

impl FileHeader {
    /// The suite: KEM and KDF of the HPKE step, and the body's Camellia-GCM.
    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// The id of the key the file is sealed to.
    pub fn recipient_key_id(&self) -> [u8; KEY_ID_LEN] {
        self.recipient_key_id
    }

    /// The id of the sender's key for an auth-mode file, `None` for base mode.
    pub fn sender_key_id(&self) -> Option<[u8; KEY_ID_LEN]> {
        self.sender_key_id
    }

    /// The HPKE encapsulated key.
    pub fn enc(&self) -> &[u8] {
        &self.enc
    }

    fn fixed_bytes(&self) -> [u8; FIXED_HEADER_LEN] {
        let mut b = [0u8; FIXED_HEADER_LEN];
        let (kem, kdf, aead) = self.suite.ids();
        b[..8].copy_from_slice(&MAGIC);
        b[8] = VERSION;
        b[9] = if self.sender_key_id.is_some() {
            0x02
        } else {
            0x00
        };
        b[10..12].copy_from_slice(&kem.to_be_bytes());
        b[12..14].copy_from_slice(&kdf.to_be_bytes());
        b[14..16].copy_from_slice(&aead.to_be_bytes());
        b[16..32].copy_from_slice(&self.recipient_key_id);
        if let Some(id) = self.sender_key_id {
            b[32..48].copy_from_slice(&id);
        }
        b
    }

    /// The header's bytes (fixed part and `enc`).
    pub fn to_bytes(&self) -> Vec<u8> {
        [&self.fixed_bytes()[..], &self.enc].concat()
    }

    /// Parses the fixed part; returns the header with an empty `enc` and `Nenc`.
    fn parse_fixed(b: &[u8; FIXED_HEADER_LEN]) -> Result<(FileHeader, usize), Error> {
        if b[..8] != MAGIC {
            return Err(Error::InvalidEncoding);
        }
        if b[8] != VERSION {
            return Err(Error::UnsupportedVersion);
        }
        let be = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
        let suite = Suite::from_ids(be(10), be(12), be(14))?;
        if suite.aead() == Aead::ExportOnly {
            return Err(Error::UnsupportedAlgorithm);
        }
        let mut recipient_key_id = [0u8; KEY_ID_LEN];
        recipient_key_id.copy_from_slice(&b[16..32]);
        let mut sender = [0u8; KEY_ID_LEN];
        sender.copy_from_slice(&b[32..48]);
        let sender_key_id = match b[9] {
            0x00 if sender == [0; KEY_ID_LEN] => None,
            0x02 => Some(sender),
            _ => return Err(Error::InvalidEncoding),
        };
        let header = FileHeader {
            suite,
            recipient_key_id,
            sender_key_id,
            enc: Vec::new(),
        };
        Ok((header, suite.kem().public_key_len()))
    }

    /// Parses a header from the start of `bytes`; returns it and its length (where the
    /// body starts). Errors as in the module docs; a header cut short is
    /// `Error::InvalidEncoding`.
    pub fn from_bytes(bytes: &[u8]) -> Result<(FileHeader, usize), Error> {
        let fixed: &[u8; FIXED_HEADER_LEN] = bytes
            .get(..FIXED_HEADER_LEN)
            .and_then(|b| b.try_into().ok())
            .ok_or(Error::InvalidEncoding)?;
        let (mut header, nenc) = Self::parse_fixed(fixed)?;
        let enc = bytes
            .get(FIXED_HEADER_LEN..FIXED_HEADER_LEN + nenc)
            .ok_or(Error::InvalidEncoding)?;
        header.enc = enc.to_vec();
        Ok((header, FIXED_HEADER_LEN + nenc))
    }

    /// Reads exactly the header from `input` (at most 48 + 97 bytes).
    pub fn read_from<R: Read>(input: &mut R) -> io::Result<FileHeader> {
        let mut fixed = [0u8; FIXED_HEADER_LEN];
        read_exact_or(input, &mut fixed)?;
        let (mut header, nenc) = Self::parse_fixed(&fixed).map_err(invalid)?;
        header.enc = alloc::vec![0u8; nenc];
        read_exact_or(input, &mut header.enc)?;
        Ok(header)
    }

    /// HPKE `info` for this header.
    fn info(&self, app_info: &[u8]) -> Vec<u8> {
        [INFO_LABEL, &self.fixed_bytes()[..], app_info].concat()
    }
}

fn invalid(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// `read_exact`, with a short read reported as a malformed header.
fn read_exact_or<R: Read>(input: &mut R, buf: &mut [u8]) -> io::Result<()> {
    input.read_exact(buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            invalid(Error::InvalidEncoding)
        } else {
            e
        }
    })
}

/// The HPKE suite of the key step: the file's KEM and KDF, export-only.
fn export_suite(suite: Suite) -> Suite {
    Suite::new(suite.kem(), suite.kdf(), Aead::ExportOnly)
}

/// Starts a sealed file: writes the header to `output` and returns the writer that
/// encrypts the body. Write the plaintext into it, then call `finish()` (a body that is
/// not finished is truncated and will not open). `sender` selects auth mode.
/// `info` is bound to the file but not stored: the opener must pass the same bytes.
/// Errors: those of [`super::setup_sender`] for the recipient key, `Error::KeyMismatch`
/// for a sender key of another KEM, `Error::UnsupportedAlgorithm` for an export-only suite.
pub fn sealer<G: CryptoRng + ?Sized, W: Write>(
    suite: Suite,
    rng: &mut G,
    recipient_pk: &[u8],
    sender: Option<&Keypair>,
    info: &[u8],
    mut output: W,
) -> io::Result<Encryptor<W>> {
    if suite.aead() == Aead::ExportOnly {
        return Err(invalid(Error::UnsupportedAlgorithm));
    }
    let mut header = FileHeader {
        suite,
        recipient_key_id: key_id(recipient_pk),
        sender_key_id: sender.map(|s| key_id(&s.public_key_bytes())),
        enc: Vec::new(),
    };
    let hpke_info = header.info(info);
    let (enc, ctx) = setup_sender_any(
        export_suite(suite),
        rng,
        recipient_pk,
        &hpke_info,
        None,
        sender,
    )
    .map_err(invalid)?;
    header.enc = enc;
    let key = body_key(&ctx, suite)?;
    let mut prefix = [0u8; stream::PREFIX_LEN];
    rng.fill_bytes(&mut prefix);
    let body =
        Header::new(suite.aead().key_len(), stream::DEFAULT_CHUNK_LOG2, prefix).map_err(invalid)?;
    output.write_all(&header.to_bytes())?;
    Encryptor::with_header(&key, body, output)
}

fn body_key<R: super::Role>(
    ctx: &super::Context<R>,
    suite: Suite,
) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut key = Zeroizing::new(alloc::vec![0u8; suite.aead().key_len()]);
    ctx.export_into(BODY_KEY_LABEL, &mut key).map_err(invalid)?;
    Ok(key)
}

/// Opens a sealed file: reads and checks the header from `input` and returns it with the
/// reader of the body's plaintext (which hands out each chunk only after its tag verified
/// and reports end of file only after the last chunk did). `sender_pk` must be given
/// exactly for auth-mode files and must be the sender's key (`Error::KeyMismatch`
/// otherwise), and `info` must be the sealer's.
pub fn opener<R: Read>(
    recipient: &Keypair,
    sender_pk: Option<&[u8]>,
    info: &[u8],
    mut input: R,
) -> io::Result<(FileHeader, Decryptor<R>)> {
    let header = FileHeader::read_from(&mut input)?;
    check_keys(&header, recipient, sender_pk).map_err(invalid)?;
    let suite = header.suite;
    let ctx = setup_receiver_any(
        export_suite(suite),
        recipient,
        &header.enc,
        &header.info(info),
        None,
        sender_pk,
    )
    .map_err(invalid)?;
    let key = body_key(&ctx, suite)?;
    // A body whose STREAM header names another key size than the file header's AEAD
    // is a malformed file, not a caller's key-length mistake.
    let body = Decryptor::new(&key, input).map_err(|e| {
        match e.get_ref().and_then(|i| i.downcast_ref::<Error>()) {
            Some(Error::InvalidKeyLength { .. }) => invalid(Error::InvalidEncoding),
            _ => e,
        }
    })?;
    Ok((header, body))
}

/// The header's key ids against the keys the caller holds and expects.
fn check_keys(
    header: &FileHeader,
    recipient: &Keypair,
    sender_pk: Option<&[u8]>,
) -> Result<(), Error> {
    if recipient.kem() != header.suite.kem()
        || key_id(&recipient.public_key_bytes()) != header.recipient_key_id
    {
        return Err(Error::KeyMismatch);
    }
    match (header.sender_key_id, sender_pk) {
        (None, None) => Ok(()),
        (Some(id), Some(pk)) if id == key_id(pk) => Ok(()),
        _ => Err(Error::KeyMismatch),
    }
}

/// Seals all of `input` to `recipient_pk` into `output` (header and body) in constant
/// memory; returns `output`. See [`sealer`].
pub fn seal_file<G: CryptoRng + ?Sized, R: Read, W: Write>(
    suite: Suite,
    rng: &mut G,
    recipient_pk: &[u8],
    sender: Option<&Keypair>,
    info: &[u8],
    mut input: R,
    output: W,
) -> io::Result<W> {
    let mut body = sealer(suite, rng, recipient_pk, sender, info, output)?;
    let _ = io::copy(&mut input, &mut body)?;
    body.finish()
}

/// Opens a sealed file from `input` into `output` in constant memory; returns the number
/// of plaintext bytes. On error, `output` may hold the authenticated chunks before the
/// failure: discard it. See [`opener`].
pub fn open_file<R: Read, W: Write>(
    recipient: &Keypair,
    sender_pk: Option<&[u8]>,
    info: &[u8],
    input: R,
    mut output: W,
) -> io::Result<u64> {
    let (_, mut body) = opener(recipient, sender_pk, info, input)?;
    io::copy(&mut body, &mut output)
}

/// Opens a sealed file held in memory; the plaintext only if the whole file authenticated.
pub fn open_to_vec(
    recipient: &Keypair,
    sender_pk: Option<&[u8]>,
    info: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut out = Zeroizing::new(Vec::new());
    match open_file(recipient, sender_pk, info, sealed, &mut *out) {
        Ok(_) => Ok(out),
        Err(e) => Err(unwrap_io(e)),
    }
}

/// Seals `plaintext` held in memory into a sealed file in memory.
pub fn seal_to_vec<G: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut G,
    recipient_pk: &[u8],
    sender: Option<&Keypair>,
    info: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, Error> {
    seal_file(
        suite,
        rng,
        recipient_pk,
        sender,
        info,
        plaintext,
        Vec::new(),
    )
    .map_err(unwrap_io)
}

/// The crate error inside an `io::Error` from this module (in-memory I/O cannot fail
/// otherwise).
fn unwrap_io(e: io::Error) -> Error {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<Error>())
        .copied()
        .unwrap_or(Error::InvalidEncoding)
}
