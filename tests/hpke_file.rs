//! Sealed files (`tsubaki::hpke::file`): round trips around the chunk boundaries on both
//! suites and both modes, constant memory for a 32 MiB file (a counting allocator measures
//! the peak heap), and every bad input: a flipped byte anywhere (header, enc, body header,
//! chunks, tags), truncation and extension, header fields changed, a wrong recipient,
//! sender or info — each a typed error and no plaintext from `open_to_vec`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{self, Read, Write};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use sha2::{Digest, Sha256};
use tsubaki::Error;
use tsubaki::hpke::file::{self, FileHeader};
use tsubaki::hpke::{Keypair, Suite};

// --- a counting allocator: live and peak heap bytes of the measuring thread ----------

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let _ = COUNTING.try_with(|on| {
            if on.get() {
                LIVE.with(|live| {
                    live.set(live.get() + l.size() as isize);
                    PEAK.with(|p| p.set(p.get().max(live.get())));
                });
            }
        });
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        let _ = COUNTING.try_with(|on| {
            if on.get() {
                LIVE.with(|live| live.set(live.get() - l.size() as isize));
            }
        });
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` on this thread with the allocator counting; returns its result and the peak
/// of live heap bytes it reached.
fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, isize) {
    LIVE.with(|l| l.set(0));
    PEAK.with(|p| p.set(0));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (out, PEAK.with(|p| p.get()))
}

// ---------------------------------------------------------------------------------------

const SUITES: [Suite; 2] = [
    Suite::P256_SHA256_CAMELLIA128_GCM,
    Suite::P384_SHA384_CAMELLIA256_GCM,
];
const CHUNK: usize = 1 << 16;

fn key(suite: Suite, tag: &str) -> Keypair {
    Keypair::derive(suite, tag.as_bytes()).unwrap()
}

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut v = vec![0u8; len];
    rng(seed).fill_bytes(&mut v);
    v
}

fn err_of<T: std::fmt::Debug>(r: io::Result<T>) -> Error {
    let e = r.unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidData, "{e}");
    *e.get_ref().unwrap().downcast_ref::<Error>().unwrap()
}

#[test]
fn round_trips_at_chunk_boundaries() {
    for suite in SUITES {
        let r = key(suite, "committee member 2");
        let s = key(suite, "dealer");
        let pk_r = r.public_key_bytes();
        let pk_s = s.public_key_bytes();
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5] {
            let pt = data(len, len as u64);
            for sender in [None, Some(&s)] {
                let sealed =
                    file::seal_to_vec(suite, &mut rng(1), &pk_r, sender, b"round 7", &pt).unwrap();
                let nenc = suite.kem().public_key_len();
                let chunks = len.div_ceil(CHUNK).max(1);
                assert_eq!(sealed.len(), 48 + nenc + 18 + len + 16 * chunks, "{len}");
                let (h, body_at) = FileHeader::from_bytes(&sealed).unwrap();
                assert_eq!(body_at, 48 + nenc);
                assert_eq!(h.suite(), suite);
                assert_eq!(h.recipient_key_id(), file::key_id(&pk_r));
                assert_eq!(h.sender_key_id(), sender.map(|_| file::key_id(&pk_s)));
                assert_eq!(h.to_bytes(), sealed[..body_at]);
                let spk = sender.map(|_| &pk_s[..]);
                let got = file::open_to_vec(&r, spk, b"round 7", &sealed).unwrap();
                assert_eq!(
                    &got[..],
                    &pt[..],
                    "{suite:?} {len} auth={}",
                    sender.is_some()
                );
                // The streaming reader agrees.
                let mut out = Vec::new();
                let n = file::open_file(&r, spk, b"round 7", &sealed[..], &mut out).unwrap();
                assert_eq!(n as usize, len);
                assert_eq!(out, pt);
            }
        }
    }
}

/// A reader of `len` pseudo-random bytes made on the fly, hashing what it hands out.
struct Source {
    left: usize,
    rng: ChaCha8Rng,
    hash: Sha256,
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.left).min(10_000);
        self.rng.fill_bytes(&mut buf[..n]);
        self.hash.update(&buf[..n]);
        self.left -= n;
        Ok(n)
    }
}

/// A writer that hashes and counts.
struct Sink {
    hash: Sha256,
    n: usize,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hash.update(buf);
        self.n += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn constant_memory_for_a_32_mib_file() {
    const LEN: usize = 32 << 20;
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let r = key(suite, "server");
    let pk_r = r.public_key_bytes();

    // Seal: 32 MiB in, sealed bytes hashed out, never held.
    let mut src = Source {
        left: LEN,
        rng: rng(32),
        hash: Sha256::new(),
    };
    let sink = Sink {
        hash: Sha256::new(),
        n: 0,
    };
    let (sink, seal_peak) = peak_heap(|| {
        file::seal_file(suite, &mut rng(5), &pk_r, None, b"", &mut src, sink).unwrap()
    });
    assert_eq!(sink.n, 48 + 65 + 18 + LEN + 16 * (LEN / CHUNK));
    let pt_hash = src.hash.finalize();

    // Open: the sealed stream is made again on the fly by a sealing thread into a pipe.
    let (mut reader, writer) = io::pipe().unwrap();
    let pk = pk_r.clone();
    let producer = std::thread::spawn(move || {
        let mut src = Source {
            left: LEN,
            rng: rng(32),
            hash: Sha256::new(),
        };
        file::seal_file(suite, &mut rng(5), &pk, None, b"", &mut src, writer).unwrap();
    });
    let mut out = Sink {
        hash: Sha256::new(),
        n: 0,
    };
    let (n, open_peak) =
        peak_heap(|| file::open_file(&r, None, b"", &mut reader, &mut out).unwrap());
    producer.join().unwrap();
    assert_eq!(n as usize, LEN);
    assert_eq!(out.hash.finalize(), pt_hash);
    // One 64 KiB chunk (+ tag) buffered, io::copy's 8 KiB buffer and small things:
    // independent of the file's 32 MiB.
    assert!(seal_peak < 256 << 10, "seal peak heap {seal_peak} bytes");
    assert!(open_peak < 256 << 10, "open peak heap {open_peak} bytes");
    eprintln!("32 MiB sealed file: peak heap {seal_peak} B sealing, {open_peak} B opening");
}

/// A small two-chunk-and-a-bit file and its regions.
fn sample(suite: Suite, sender: Option<&Keypair>) -> (Keypair, Vec<u8>, Vec<u8>) {
    let r = key(suite, "r");
    let pt = data(2 * CHUNK + 100, 77);
    let sealed = file::seal_to_vec(
        suite,
        &mut rng(2),
        &r.public_key_bytes(),
        sender,
        b"ctx",
        &pt,
    )
    .unwrap();
    (r, pt, sealed)
}

#[test]
fn flipped_bytes_anywhere_are_refused() {
    for suite in SUITES {
        let s = key(suite, "s");
        let pk_s = s.public_key_bytes();
        for sender in [None, Some(&s)] {
            let (r, pt, sealed) = sample(suite, sender);
            let spk = sender.map(|_| &pk_s[..]);
            let nenc = suite.kem().public_key_len();
            let body = 48 + nenc;
            // Every byte of the header, enc and body header; a spread over the chunks
            // and each chunk's tag.
            let mut positions: Vec<usize> = (0..body + 18).collect();
            let c0 = body + 18;
            let c1 = c0 + CHUNK + 16;
            let c2 = c1 + CHUNK + 16;
            for base in [c0, c1, c2] {
                positions.extend([base, base + 1, base + 99]);
            }
            positions.extend(
                (c1 - 16..c1)
                    .chain(c2 - 16..c2)
                    .chain(sealed.len() - 16..sealed.len()),
            );
            for &i in &positions {
                for bit in [0x01u8, 0x80] {
                    let mut bad = sealed.clone();
                    bad[i] ^= bit;
                    let got = file::open_to_vec(&r, spk, b"ctx", &bad);
                    assert!(
                        matches!(
                            got,
                            Err(Error::InvalidEncoding
                                | Error::UnsupportedVersion
                                | Error::UnsupportedAlgorithm
                                | Error::KeyMismatch
                                | Error::InvalidPublicKey
                                | Error::InvalidKeyLength { .. }
                                | Error::AuthenticationFailed)
                        ),
                        "{suite:?} auth={} byte {i} bit {bit:#x}: {:?}",
                        sender.is_some(),
                        got.map(|_| ())
                    );
                }
            }
            assert_eq!(
                &file::open_to_vec(&r, spk, b"ctx", &sealed).unwrap()[..],
                &pt[..]
            );
        }
    }
}

#[test]
fn truncation_and_extension_are_refused() {
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let (r, _, sealed) = sample(suite, None);
    let body = 48 + 65;
    let c0 = body + 18;
    let c1 = c0 + CHUNK + 16;
    let c2 = c1 + CHUNK + 16;
    let n = sealed.len();
    for cut in [
        0,
        1,
        47,
        48,
        body - 1,
        body,
        c0 - 1,
        c0,
        c0 + 15,
        c1 - 1,
        c1,
        c1 + 1,
        c2,
        n - 17,
        n - 16,
        n - 1,
    ] {
        let got = file::open_to_vec(&r, None, b"ctx", &sealed[..cut]);
        assert!(
            matches!(
                got,
                Err(Error::InvalidEncoding | Error::InvalidLength | Error::AuthenticationFailed)
            ),
            "cut at {cut}: {:?}",
            got.map(|_| ())
        );
    }
    // Appending one byte, a copy of the last tag, or a whole chunk.
    for extra in [&[0u8][..], &sealed[n - 16..], &sealed[c0..c1]] {
        let longer = [&sealed[..], extra].concat();
        assert_eq!(
            file::open_to_vec(&r, None, b"ctx", &longer).map(|_| ()),
            Err(Error::AuthenticationFailed),
            "{} extra bytes",
            extra.len()
        );
    }
    // Chunks swapped.
    let mut swapped = sealed.clone();
    swapped[c0..c1].copy_from_slice(&sealed[c1..c2]);
    swapped[c1..c2].copy_from_slice(&sealed[c0..c1]);
    assert_eq!(
        file::open_to_vec(&r, None, b"ctx", &swapped).map(|_| ()),
        Err(Error::AuthenticationFailed)
    );
}

#[test]
fn header_fields_are_checked() {
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let (r, _, sealed) = sample(suite, None);
    let with = |i: usize, v: u8| {
        let mut b = sealed.clone();
        b[i] = v;
        file::open_to_vec(&r, None, b"ctx", &b).map(|_| ())
    };
    assert_eq!(with(0, b'X'), Err(Error::InvalidEncoding), "magic");
    assert_eq!(with(8, 2), Err(Error::UnsupportedVersion), "version");
    assert_eq!(
        with(9, 1),
        Err(Error::InvalidEncoding),
        "psk mode is not a file mode"
    );
    assert_eq!(
        with(9, 2),
        Err(Error::KeyMismatch),
        "auth claimed, no sender key given"
    );
    assert_eq!(
        with(11, 0x20),
        Err(Error::UnsupportedAlgorithm),
        "X25519 kem"
    );
    assert_eq!(with(13, 0x09), Err(Error::UnsupportedAlgorithm), "kdf");
    assert_eq!(
        with(15, 0xFF),
        Err(Error::UnsupportedAlgorithm),
        "export-only body"
    );
    assert_eq!(
        with(14, 0x00),
        Err(Error::UnsupportedAlgorithm),
        "AES-128-GCM body"
    );
    assert_eq!(
        with(15, 0x02),
        Err(Error::InvalidEncoding),
        "Camellia-256 claimed, 128 inside"
    );
    assert_eq!(
        with(11, 0x11),
        Err(Error::KeyMismatch),
        "P-384 claimed for a P-256 key"
    );
    assert_eq!(
        with(40, 1),
        Err(Error::InvalidEncoding),
        "sender id in base mode"
    );
    assert_eq!(
        with(16, sealed[16] ^ 1),
        Err(Error::KeyMismatch),
        "recipient id"
    );
    // A header changed consistently (kdf SHA-512 is a valid suite) still fails: info
    // binds every header byte into the body key.
    assert_eq!(
        with(13, 0x03),
        Err(Error::AuthenticationFailed),
        "kdf changed"
    );
}

#[test]
fn wrong_keys_and_info_are_refused() {
    for suite in SUITES {
        let s = key(suite, "org A");
        let m = key(suite, "org B");
        let pk_s = s.public_key_bytes();
        let pk_m = m.public_key_bytes();
        let (r, pt, base) = sample(suite, None);
        let (_, _, auth) = sample(suite, Some(&s));
        let open = |sealed: &[u8], who: &Keypair, spk: Option<&[u8]>, info: &[u8]| {
            file::open_to_vec(who, spk, info, sealed).map(|z| z.to_vec())
        };
        assert_eq!(
            open(&base, &key(suite, "not r"), None, b"ctx"),
            Err(Error::KeyMismatch)
        );
        let other = if suite.kem().id() == 0x10 {
            SUITES[1]
        } else {
            SUITES[0]
        };
        assert_eq!(
            open(&base, &key(other, "r"), None, b"ctx"),
            Err(Error::KeyMismatch)
        );
        assert_eq!(
            open(&base, &r, None, b"ctX"),
            Err(Error::AuthenticationFailed)
        );
        assert_eq!(
            open(&base, &r, Some(&pk_s), b"ctx"),
            Err(Error::KeyMismatch),
            "auth expected"
        );
        assert_eq!(
            open(&auth, &r, None, b"ctx"),
            Err(Error::KeyMismatch),
            "sender not named"
        );
        assert_eq!(
            open(&auth, &r, Some(&pk_m), b"ctx"),
            Err(Error::KeyMismatch),
            "other sender"
        );
        assert_eq!(open(&auth, &r, Some(&pk_s), b"ctx").unwrap(), pt);
        // Mallory rewrites the sender id to hers: the auth DH no longer matches.
        let mut forged = auth.clone();
        forged[32..48].copy_from_slice(&file::key_id(&pk_m));
        assert_eq!(
            open(&forged, &r, Some(&pk_m), b"ctx"),
            Err(Error::AuthenticationFailed)
        );
        // An export-only suite cannot seal a file.
        let eo = Suite::new(suite.kem(), suite.kdf(), tsubaki::hpke::Aead::ExportOnly);
        assert_eq!(
            file::seal_to_vec(eo, &mut rng(0), &r.public_key_bytes(), None, b"", b"x"),
            Err(Error::UnsupportedAlgorithm)
        );
        // A bad recipient key.
        assert_eq!(
            file::seal_to_vec(suite, &mut rng(0), &[4u8; 65], None, b"", b"x"),
            Err(if suite.kem().id() == 0x10 {
                Error::InvalidPublicKey
            } else {
                Error::InvalidEncoding
            })
        );
    }
}

#[test]
fn streaming_reader_errors_are_typed() {
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let (r, _, sealed) = sample(suite, None);
    let mut bad = sealed.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let mut out = Vec::new();
    assert_eq!(
        err_of(file::open_file(&r, None, b"ctx", &bad[..], &mut out)),
        Error::AuthenticationFailed
    );
    // Only whole authenticated chunks were written before the failure.
    assert_eq!(out.len(), 2 * CHUNK);
    assert_eq!(
        err_of(file::opener(&r, None, b"ctx", &sealed[..10]).map(|_| ())),
        Error::InvalidEncoding
    );
}
