//! STREAM over Camellia-GCM (`camellia::aead::stream`): round trips of every size around
//! chunk boundaries through the `io` adapters and the chunk API, and each attack the
//! construction must stop: truncation (at and inside a chunk), reordering, chunks swapped
//! between streams, appended data, a changed header, the wrong key, an unknown version.

use std::io::{Read, Write};

use tsubaki::Error;
use tsubaki::camellia::aead::CamelliaGcm;
use tsubaki::camellia::aead::stream::{
    Decryptor, Encryptor, HEADER_LEN, Header, StreamOpener, StreamSealer, TAG_LEN,
};

const KEY: [u8; 32] = [0x42; 32];

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 + i / 251) as u8).collect()
}

/// Encrypts with 1 KiB chunks and the given prefix, writing in pieces of `piece` bytes.
fn encrypt(key: &[u8], prefix: [u8; 7], pt: &[u8], piece: usize) -> Vec<u8> {
    let header = Header::new(key.len(), 10, prefix).unwrap();
    let mut e = Encryptor::with_header(key, header, Vec::new()).unwrap();
    for p in pt.chunks(piece.max(1)) {
        e.write_all(p).unwrap();
    }
    e.finish().unwrap()
}

fn decrypt(key: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let r = Decryptor::new(key, sealed).and_then(|mut d| d.read_to_end(&mut out));
    match r {
        Ok(_) => Ok(out),
        Err(e) => Err(*e
            .get_ref()
            .and_then(|e| e.downcast_ref::<Error>())
            .unwrap_or_else(|| panic!("not a tsubaki error: {e}"))),
    }
}

#[test]
fn roundtrip_around_chunk_boundaries() {
    for key_len in [16, 24, 32] {
        let key = &KEY[..key_len];
        for n in [0, 1, 1023, 1024, 1025, 2047, 2048, 2049, 5000] {
            let pt = data(n);
            // Every way of writing gives the same bytes: buffered pieces, whole chunks
            // that may be the last, and chunks sealed straight from the caller's data.
            let reference = encrypt(key, [1; 7], &pt, 7);
            for piece in [1, 7, 1024, 1025, 3000, 100_000] {
                if piece == 1 && n > 2049 {
                    continue;
                }
                let sealed = encrypt(key, [1; 7], &pt, piece);
                assert_eq!(sealed, reference, "{key_len} {n} {piece}");
                let chunks = n.div_ceil(1024).max(1);
                assert_eq!(sealed.len(), HEADER_LEN + n + chunks * TAG_LEN, "{n}");
                assert_eq!(decrypt(key, &sealed).unwrap(), pt, "{key_len} {n} {piece}");
            }
        }
    }
}

#[test]
fn default_chunks_and_random_prefix() {
    let pt = data(200_000);
    let mut e = Encryptor::new(&KEY, Vec::new()).unwrap();
    e.write_all(&pt).unwrap();
    let a = e.finish().unwrap();
    let mut e = Encryptor::new(&KEY, Vec::new()).unwrap();
    e.write_all(&pt).unwrap();
    let b = e.finish().unwrap();
    assert_ne!(a[..HEADER_LEN], b[..HEADER_LEN], "fresh prefix per stream");
    assert_eq!(
        Header::from_bytes(&a[..HEADER_LEN]).unwrap().chunk_len(),
        65536
    );
    assert_eq!(a.len(), HEADER_LEN + 200_000 + 4 * TAG_LEN);
    assert_eq!(decrypt(&KEY, &a).unwrap(), pt);
    // Small reads see the same bytes.
    let mut d = Decryptor::new(&KEY, &b[..]).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 333];
    loop {
        let n = d.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    assert_eq!(out, pt);
}

#[test]
fn attacks_are_detected() {
    let pt = data(3000); // chunks of 1024, 1024, 952
    let sealed = encrypt(&KEY, [9; 7], &pt, 4096);
    let c = 1024 + TAG_LEN;
    let (h, body) = sealed.split_at(HEADER_LEN);
    let chunk = |i: usize| &body[i * c..((i + 1) * c).min(body.len())];

    // Truncation at a chunk boundary (the survivor was not sealed as last) and inside.
    for cut in [
        HEADER_LEN,
        HEADER_LEN + c,
        HEADER_LEN + 2 * c,
        sealed.len() - 1,
        HEADER_LEN + 5,
    ] {
        assert!(decrypt(&KEY, &sealed[..cut]).is_err(), "cut at {cut}");
    }
    // Reordering.
    let swapped = [h, chunk(1), chunk(0), chunk(2)].concat();
    assert_eq!(decrypt(&KEY, &swapped), Err(Error::AuthenticationFailed));
    // Appended data, and a repeated last chunk.
    let mut longer = sealed.clone();
    longer.push(0);
    assert!(decrypt(&KEY, &longer).is_err());
    let doubled = [&sealed[..], chunk(2)].concat();
    assert!(decrypt(&KEY, &doubled).is_err());
    // A chunk from another stream (same key, other prefix).
    let other = encrypt(&KEY, [8; 7], &pt, 4096);
    let mixed = [
        h,
        chunk(0),
        &other[HEADER_LEN + c..HEADER_LEN + 2 * c],
        chunk(2),
    ]
    .concat();
    assert_eq!(decrypt(&KEY, &mixed), Err(Error::AuthenticationFailed));
    // Any header byte changed.
    for i in 0..HEADER_LEN {
        let mut bad = sealed.clone();
        bad[i] ^= 1;
        assert!(decrypt(&KEY, &bad).is_err(), "header byte {i}");
    }
    let mut v2 = sealed.clone();
    v2[8] = 2;
    assert_eq!(decrypt(&KEY, &v2), Err(Error::UnsupportedVersion));
    let mut alg = sealed.clone();
    alg[9] = 7;
    assert_eq!(decrypt(&KEY, &alg), Err(Error::UnsupportedAlgorithm));
    // Wrong key, and a key of the wrong size for the header.
    let mut k2 = KEY;
    k2[0] ^= 1;
    assert_eq!(decrypt(&k2, &sealed), Err(Error::AuthenticationFailed));
    assert_eq!(
        decrypt(&KEY[..16], &sealed),
        Err(Error::InvalidKeyLength { got: 16 })
    );
    // Too short for a header.
    assert_eq!(decrypt(&KEY, &sealed[..10]), Err(Error::InvalidEncoding));
    // A flipped ciphertext bit in the middle chunk: nothing of it is released.
    let mut flipped = sealed.clone();
    flipped[HEADER_LEN + c + 100] ^= 4;
    let mut d = Decryptor::new(&KEY, &flipped[..]).unwrap();
    let mut out = Vec::new();
    assert!(d.read_to_end(&mut out).is_err());
    assert_eq!(
        out,
        pt[..1024],
        "only the first, authenticated chunk came out"
    );
}

#[test]
fn chunk_api_matches_gcm_and_refuses_misuse() {
    let header = Header::new(16, 10, [3; 7]).unwrap();
    let mut s = StreamSealer::with_header(&KEY[..16], header).unwrap();
    let hb = s.header();
    let mut c0 = data(1024);
    let t0 = s.seal_chunk(&mut c0).unwrap();
    // Chunk 0 is GCM with nonce prefix ‖ 0 ‖ 0 and the header as AAD.
    let gcm = CamelliaGcm::new(&KEY[..16]).unwrap();
    let mut nonce = [0u8; 12];
    nonce[..7].copy_from_slice(&[3; 7]);
    assert_eq!(gcm.seal(&nonce, &hb, &data(1024)), [&c0[..], &t0].concat());
    assert_eq!(s.seal_chunk(&mut [0; 1000]), Err(Error::InvalidLength));
    // Out of place: chunk 1 from the caller's bytes equals chunk 1 sealed in place.
    let mut twin = StreamSealer::with_header(&KEY[..16], header).unwrap();
    twin.seal_chunk(&mut data(1024)).unwrap();
    let mut in_place = data(1024);
    let t_in = twin.seal_chunk(&mut in_place).unwrap();
    let mut out = vec![0u8; 1024];
    assert_eq!(
        s.seal_chunk_from(&data(1024), &mut out[..1000]),
        Err(Error::InvalidLength)
    );
    assert_eq!(
        s.seal_chunk_from(&data(1000), &mut out[..1000]),
        Err(Error::InvalidLength)
    );
    let t_out = s.seal_chunk_from(&data(1024), &mut out).unwrap();
    assert_eq!((out, t_out), (in_place.clone(), t_in));
    let c1_twin = (in_place, t_in);
    let mut c1 = data(10);
    let t1 = s.seal_last(&mut c1).unwrap();
    assert_eq!(
        s.seal_last(&mut []),
        Err(Error::InvalidLength),
        "nothing after the last"
    );

    let mut o = StreamOpener::new(&KEY[..16], &hb).unwrap();
    assert!(!o.is_finished());
    // Opening chunk 0 as the last fails and wipes it.
    let mut x = c0.clone();
    assert_eq!(o.open_last(&mut x, &t0), Err(Error::AuthenticationFailed));
    assert!(x.iter().all(|&b| b == 0));
    o.open_chunk(&mut c0, &t0).unwrap();
    let (mut c1_mid, t1_mid) = c1_twin;
    o.open_chunk(&mut c1_mid, &t1_mid).unwrap();
    assert_eq!(c1_mid, data(1024));
    o.open_last(&mut c1, &t1).unwrap();
    assert!(o.is_finished());
    assert_eq!(c0, data(1024));
    assert_eq!(c1, data(10));
    assert_eq!(Header::new(16, 9, [0; 7]), Err(Error::InvalidLength));
    assert_eq!(Header::new(16, 25, [0; 7]), Err(Error::InvalidLength));
    assert_eq!(
        Header::new(20, 16, [0; 7]),
        Err(Error::InvalidKeyLength { got: 20 })
    );
}
