//! Sealing a key share to its committee member's P-256 key (`keyshare-<member>.sealed`).
//!
//! STAND-IN until `tsubaki::hpke` (issue 14) lands: ECIES over P-256 — an ephemeral key
//! e, the shared x-coordinate of e·M, HMAC-SHA-256 as the KDF (labels below),
//! Camellia-128-CTR and an HMAC-SHA-256 tag over everything before it (encrypt-then-MAC).
//! Only [`seal`] and [`open`] know the format; replacing them with HPKE's sealed files
//! changes nothing else.

use hmac::{KeyInit, Mac};
use sha2::Sha256;
use tsubaki::camellia::Camellia128;
use tsubaki::camellia::modes::Ctr;
use tsubaki::ec::hazmat;
use tsubaki::ec::p256::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

const MAGIC: &[u8] = b"tsubaki sealed key share v0 (ecies-p256-camellia128ctr-hmacsha256)\n";
const LABEL_ENC: &[u8] = b"tsubaki/stats/v1/keyshare-seal/enc";
const LABEL_MAC: &[u8] = b"tsubaki/stats/v1/keyshare-seal/mac";

type HmacSha256 = hmac::Hmac<Sha256>;

fn kdf(shared_x: &[u8], label: &[u8], epk: &[u8], rpk: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(shared_x).expect("any key length");
    m.update(label);
    m.update(epk);
    m.update(rpk);
    Zeroizing::new(m.finalize().into_bytes().into())
}

fn keys(shared: &VerifyingKey, epk: &[u8], rpk: &[u8]) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
    let (x, _) = shared.to_affine_coordinates();
    (
        kdf(x.as_ref(), LABEL_ENC, epk, rpk),
        kdf(x.as_ref(), LABEL_MAC, epk, rpk),
    )
}

fn ctr(key: &[u8; 32], data: &mut [u8]) {
    let k: [u8; 16] = key[..16].try_into().expect("16 bytes");
    let mut c = Ctr::new(Camellia128::new(&k), &[0u8; 16]);
    c.apply_keystream(data).expect("short input");
}

fn tag(mac_key: &[u8; 32], data: &[u8]) -> [u8; 32] {
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(mac_key).expect("any key length");
    m.update(data);
    m.finalize().into_bytes().into()
}

/// Seals `plaintext` to `recipient`.
pub fn seal(recipient: &VerifyingKey, plaintext: &[u8]) -> Vec<u8> {
    let e = SigningKey::random(&mut tsubaki::OsRng);
    let epk = e.verifying_key().to_sec1_bytes(false);
    let rpk = recipient.to_sec1_bytes(false);
    let shared = hazmat::mul(e.to_bytes().as_ref(), recipient).expect("valid scalar and point");
    let (enc, mac) = keys(&shared, &epk, &rpk);
    let mut out = Vec::with_capacity(MAGIC.len() + 65 + plaintext.len() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&epk);
    let start = out.len();
    out.extend_from_slice(plaintext);
    ctr(&enc, &mut out[start..]);
    let t = tag(&mac, &out);
    out.extend_from_slice(&t);
    out
}

/// Opens a sealed file with the recipient's key; an error names the cause.
pub fn open(key: &SigningKey, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    let rest = sealed
        .strip_prefix(MAGIC)
        .ok_or("not a sealed key share (unknown header)")?;
    if rest.len() < 65 + 32 {
        return Err("truncated sealed key share".into());
    }
    let (epk, rest) = rest.split_at(65);
    let (body, t) = rest.split_at(rest.len() - 32);
    let e = VerifyingKey::from_sec1_bytes(epk).map_err(|_| "corrupt sealed key share")?;
    let rpk = key.verifying_key().to_sec1_bytes(false);
    let shared = hazmat::mul(key.to_bytes().as_ref(), &e).map_err(|_| "corrupt sealed key share")?;
    let (enc, mac) = keys(&shared, epk, &rpk);
    let expect = tag(&mac, &sealed[..sealed.len() - 32]);
    use subtle_eq::ct_eq;
    if !ct_eq(&expect, t) {
        return Err(
            "sealed to another key, or tampered (check --key is this member's key)".into(),
        );
    }
    let mut pt = Zeroizing::new(body.to_vec());
    ctr(&enc, &mut pt);
    Ok(pt)
}

mod subtle_eq {
    /// Constant-time equality of two 32-byte tags.
    pub fn ct_eq(a: &[u8; 32], b: &[u8]) -> bool {
        if b.len() != 32 {
            return false;
        }
        let mut d = 0u8;
        for (x, y) in a.iter().zip(b) {
            d |= x ^ y;
        }
        d == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_to_one_key_only() {
        let m = SigningKey::random(&mut tsubaki::OsRng);
        let other = SigningKey::random(&mut tsubaki::OsRng);
        let sealed = seal(&m.verifying_key(), b"key share bytes");
        assert_eq!(open(&m, &sealed).unwrap().as_slice(), b"key share bytes");
        assert!(open(&other, &sealed).is_err());
        let mut bad = sealed.clone();
        let last = bad.len() - 40;
        bad[last] ^= 1;
        assert!(open(&m, &bad).is_err());
        assert!(open(&m, &sealed[..sealed.len() - 1]).is_err());
    }
}
