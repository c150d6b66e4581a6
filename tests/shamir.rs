//! Shamir secret sharing (issue 6): known answers with fixed coefficients
//! (`vectors/shamir/kat.txt`, computed in Python), proptest laws (any t of n rebuild,
//! additivity, vectors), a seeded statistical test that t − 1 shares are uniform, one
//! regression test per rejected input, and random bytes into `Share::from_bytes`.

mod common;

use common::hex;
use common::rng::{ConstRng, ReplayRng};
use proptest::prelude::*;
use rand_chacha::ChaCha8Rng;
use tsubaki::Error;
use tsubaki::rand_core::SeedableRng;
use tsubaki::shamir::{FieldId, Goldilocks, P256Scalar, PrimeField, Share, feldman, gf256, prime};

// ----------------------------------------------------------------------------------------
// helpers

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn reencode(share: &Share) -> Share {
    Share::from_bytes(&share.to_bytes()).expect("a share's own encoding parses")
}

/// The encoding of `share` with one byte changed.
fn with_byte(share: &Share, at: usize, value: u8) -> Vec<u8> {
    let mut b = share.to_bytes();
    b[at] = value;
    b
}

fn gl(values: &[u64]) -> Vec<Goldilocks> {
    values.iter().map(|&v| Goldilocks::new(v)).collect()
}

fn gl_values(v: &[Goldilocks]) -> Vec<u64> {
    v.iter().map(|g| g.to_u64()).collect()
}

fn scalar(last: u64) -> P256Scalar {
    let mut b = [0u8; 32];
    b[24..].copy_from_slice(&last.to_be_bytes());
    b[0] = 0x42;
    P256Scalar::from_be_bytes(&b).unwrap()
}

// ----------------------------------------------------------------------------------------
// known answers

struct Block {
    fields: Vec<(String, String)>,
}

impl Block {
    fn get(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("missing `{key}`"))
    }

    fn num(&self, key: &str) -> usize {
        self.get(key).parse().expect("number")
    }
}

fn kat_blocks() -> Vec<Block> {
    let text = include_str!("../vectors/shamir/kat.txt");
    let mut blocks = Vec::new();
    let mut cur = Vec::new();
    for line in text.lines().chain([""]) {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !cur.is_empty() {
                blocks.push(Block {
                    fields: std::mem::take(&mut cur),
                });
            }
            continue;
        }
        let (k, v) = line.split_once(" = ").expect("key = value");
        cur.push((k.to_owned(), v.to_owned()));
    }
    blocks
}

fn check_prime_kat<F: PrimeField>(b: &Block, name: &str, secrets: Vec<F>) {
    let (t, n) = (b.num("threshold"), b.num("count"));
    let mut r = ReplayRng::new(hex(b.get("rng")));
    let shares = if b.fields.iter().any(|(k, _)| k == "commitments") {
        let p256 = secrets
            .iter()
            .map(|s| {
                let mut buf = vec![0u8; 32];
                s.write_bytes(&mut buf);
                P256Scalar::read_bytes(&buf).unwrap()
            })
            .collect::<Vec<_>>();
        let (shares, com) = feldman::split(&mut r, &p256[0], t, n).unwrap();
        assert_eq!(
            com.to_bytes(),
            hex(b.get("commitments")),
            "{name}: commitments"
        );
        let parsed = feldman::Commitments::from_bytes(&com.to_bytes()).unwrap();
        assert_eq!(parsed, com);
        for s in &shares {
            assert_eq!(
                feldman::verify_share(&parsed, s),
                Ok(()),
                "{name}: share {}",
                s.index()
            );
        }
        shares
    } else {
        prime::split_vec(&mut r, &secrets, t, n).unwrap()
    };
    assert!(
        r.exhausted(),
        "{name}: the split drew fewer bytes than the vector holds"
    );
    for s in &shares {
        let want = hex(b.get(&format!("share{}", s.index())));
        assert_eq!(s.to_bytes(), want, "{name}: share {}", s.index());
        let parsed = Share::from_bytes(&want).unwrap();
        assert_eq!(parsed.to_bytes(), want);
    }
    let got = prime::combine_vec::<F, _>(&shares[n - t..]).unwrap();
    let mut a = vec![0u8; F::BYTES * secrets.len()];
    let mut e = a.clone();
    for (i, (g, s)) in got.iter().zip(&secrets).enumerate() {
        g.write_bytes(&mut a[i * F::BYTES..(i + 1) * F::BYTES]);
        s.write_bytes(&mut e[i * F::BYTES..(i + 1) * F::BYTES]);
    }
    assert_eq!(a, e, "{name}: combine of the last t shares");
}

#[test]
fn known_answers_with_fixed_coefficients() {
    let blocks = kat_blocks();
    assert_eq!(blocks.len(), 8, "vector count");
    for b in &blocks {
        let name = b.get("name");
        let (t, n) = (b.num("threshold"), b.num("count"));
        let secret = hex(b.get("secret"));
        match b.get("field") {
            "gf256" => {
                let mut r = ReplayRng::new(hex(b.get("rng")));
                let shares = gf256::split(&mut r, &secret, t as u8, n as u8).unwrap();
                assert!(r.exhausted(), "{name}: rng not fully used");
                assert_eq!(shares.len(), n);
                for s in &shares {
                    let want = hex(b.get(&format!("share{}", s.index())));
                    assert_eq!(s.to_bytes(), want, "{name}: share {}", s.index());
                }
                // From the encodings, first t and last t.
                let parsed: Vec<Share> = (1..=n)
                    .map(|i| Share::from_bytes(&hex(b.get(&format!("share{i}")))).unwrap())
                    .collect();
                assert_eq!(*gf256::combine(&parsed[..t]).unwrap(), secret, "{name}");
                assert_eq!(*gf256::combine(&parsed[n - t..]).unwrap(), secret, "{name}");
            }
            "goldilocks" => {
                let v = secret
                    .chunks(8)
                    .map(|c| Goldilocks::read_bytes(c).unwrap())
                    .collect();
                check_prime_kat::<Goldilocks>(b, name, v);
            }
            "p256" => {
                let v = secret
                    .chunks(32)
                    .map(|c| P256Scalar::read_bytes(c).unwrap())
                    .collect();
                check_prime_kat::<P256Scalar>(b, name, v);
            }
            other => panic!("unknown field {other}"),
        }
    }
}

// ----------------------------------------------------------------------------------------
// laws

/// `t` distinct indices out of 1..=n chosen by a seed, in a shuffled order.
fn subset(n: usize, t: usize, seed: u64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let mut s = seed | 1;
    for i in (1..n).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        idx.swap(i, (s % (i as u64 + 1)) as usize);
    }
    idx.truncate(t);
    idx
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn gf256_any_t_of_n_rebuild(
        secret in proptest::collection::vec(any::<u8>(), 1..80),
        n in 2u8..=40, t_frac in 0.0f64..1.0, extra in 0usize..3, pick in any::<u64>(), seed in any::<u64>(),
    ) {
        let t = (2 + ((n - 2) as f64 * t_frac) as u8).min(n);
        let shares = gf256::split(&mut rng(seed), &secret, t, n).unwrap();
        prop_assert_eq!(shares.len(), usize::from(n));
        let k = (usize::from(t) + extra).min(usize::from(n));
        let chosen: Vec<&Share> = subset(n.into(), k, pick).into_iter().map(|i| &shares[i]).collect();
        prop_assert_eq!(&*gf256::combine(&chosen).unwrap(), &secret);
        if t > 2 {
            // t − 1 shares are refused, not wrongly combined.
            prop_assert_eq!(gf256::combine(&chosen[..usize::from(t) - 1]).unwrap_err(), Error::NotEnoughShares);
        }
    }

    #[test]
    fn goldilocks_vectors_any_t_of_n_rebuild(
        values in proptest::collection::vec(any::<u64>(), 1..40),
        n in 2usize..=20, t_frac in 0.0f64..1.0, pick in any::<u64>(), seed in any::<u64>(),
    ) {
        let t = (2 + ((n - 2) as f64 * t_frac) as usize).min(n);
        let secrets = gl(&values);
        let shares = prime::split_vec(&mut rng(seed), &secrets, t, n).unwrap();
        let chosen: Vec<&Share> = subset(n, t, pick).into_iter().map(|i| &shares[i]).collect();
        let got = prime::combine_vec::<Goldilocks, _>(&chosen).unwrap();
        prop_assert_eq!(gl_values(&got), gl_values(&secrets));
    }

    #[test]
    fn p256_any_t_of_n_rebuild_and_verify(
        last in any::<u64>(), n in 2usize..=8, t_frac in 0.0f64..1.0, pick in any::<u64>(), seed in any::<u64>(),
    ) {
        let t = (2 + ((n - 2) as f64 * t_frac) as usize).min(n);
        let secret = scalar(last);
        let (shares, com) = feldman::split(&mut rng(seed), &secret, t, n).unwrap();
        for s in &shares {
            prop_assert_eq!(feldman::verify_share(&com, s), Ok(()));
        }
        let chosen: Vec<&Share> = subset(n, t, pick).into_iter().map(|i| &shares[i]).collect();
        let got: P256Scalar = prime::combine(&chosen).unwrap();
        prop_assert_eq!(got.to_be_bytes(), secret.to_be_bytes());
        let plain = prime::split(&mut rng(seed ^ 1), &secret, t, n).unwrap();
        let got: P256Scalar = prime::combine(&plain[n - t..]).unwrap();
        prop_assert_eq!(got.to_be_bytes(), secret.to_be_bytes());
    }

    /// Three contributors, each splitting a vector among 5 servers (3 needed); each server
    /// adds the shares it holds, in its own order; 3 sums rebuild the total.
    #[test]
    fn goldilocks_share_wise_sums_rebuild_the_sum(
        a in proptest::collection::vec(any::<u64>(), 1..20), seed in any::<u64>(), pick in any::<u64>(),
    ) {
        let m = a.len();
        let b: Vec<u64> = a.iter().map(|v| v.rotate_left(17) ^ 0x5555).collect();
        let c: Vec<u64> = a.iter().map(|v| v.wrapping_mul(3)).collect();
        let mut r = rng(seed);
        let sa = prime::split_vec(&mut r, &gl(&a), 3, 5).unwrap();
        let sb = prime::split_vec(&mut r, &gl(&b), 3, 5).unwrap();
        let sc = prime::split_vec(&mut r, &gl(&c), 3, 5).unwrap();
        let sums: Vec<Share> = (0..5)
            .map(|i| match i % 3 {
                0 => prime::add(&prime::add(&sa[i], &sb[i]).unwrap(), &sc[i]).unwrap(),
                1 => prime::add(&sc[i], &prime::add(&sb[i], &sa[i]).unwrap()).unwrap(),
                _ => prime::add(&prime::add(&sb[i], &sc[i]).unwrap(), &sa[i]).unwrap(),
            })
            .collect();
        prop_assert!(sums.iter().all(|s| s.set_id() == sums[0].set_id()));
        let chosen: Vec<&Share> = subset(5, 3, pick).into_iter().map(|i| &sums[i]).collect();
        let got = prime::combine_vec::<Goldilocks, _>(&chosen).unwrap();
        let p = u128::from(Goldilocks::MODULUS);
        let want: Vec<u64> = (0..m)
            .map(|k| ((u128::from(a[k]) % p + u128::from(b[k]) % p + u128::from(c[k]) % p) % p) as u64)
            .collect();
        prop_assert_eq!(gl_values(&got), want);
    }

    #[test]
    fn gf256_share_wise_sums_rebuild_the_xor(
        a in proptest::collection::vec(any::<u8>(), 1..40), seed in any::<u64>(),
    ) {
        let b: Vec<u8> = a.iter().map(|v| v.wrapping_mul(7) ^ 0x3c).collect();
        let mut r = rng(seed);
        let sa = gf256::split(&mut r, &a, 2, 3).unwrap();
        let sb = gf256::split(&mut r, &b, 2, 3).unwrap();
        let sums: Vec<Share> = sa.iter().zip(&sb).map(|(x, y)| prime::add(x, y).unwrap()).collect();
        let want: Vec<u8> = a.iter().zip(&b).map(|(x, y)| x ^ y).collect();
        prop_assert_eq!(&*gf256::combine(&sums[1..]).unwrap(), &want);
    }

    /// Arbitrary bytes never panic, and whatever parses re-encodes to the same bytes.
    #[test]
    fn from_bytes_never_panics_on_random_input(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
        if let Ok(s) = Share::from_bytes(&bytes) {
            prop_assert_eq!(&s.to_bytes(), &bytes);
        }
        let _ = feldman::Commitments::from_bytes(&bytes);
    }

    /// Valid encodings with one byte changed, or cut, never panic either.
    #[test]
    fn from_bytes_never_panics_on_mutated_shares(at in any::<usize>(), v in any::<u8>(), cut in any::<usize>(), field in 0u8..3) {
        let mut r = rng(7);
        let share = match field {
            0 => gf256::split(&mut r, b"sixteen byte key", 2, 3).unwrap().remove(0),
            1 => prime::split_vec(&mut r, &gl(&[1, 2, 3]), 2, 3).unwrap().remove(0),
            _ => prime::split(&mut r, &scalar(9), 2, 3).unwrap().remove(0),
        };
        let mut bytes = share.to_bytes();
        let i = at % bytes.len();
        bytes[i] = v;
        if let Ok(s) = Share::from_bytes(&bytes) {
            prop_assert_eq!(s.to_bytes(), bytes.clone());
        }
        bytes.truncate(cut % (bytes.len() + 1));
        let _ = Share::from_bytes(&bytes);
    }
}

// ----------------------------------------------------------------------------------------
// uniformity of t − 1 shares

/// Pearson's χ² of observed counts against the uniform distribution.
fn chi_square(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    let expected = total as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum()
}

/// A loose upper bound for χ² with `df` degrees of freedom: mean + 7 standard deviations
/// (χ² has mean df and variance 2·df). With a seeded RNG the test is deterministic; the
/// bound is far enough that a correct implementation passes with any seed in practice.
fn chi_bound(df: usize) -> f64 {
    df as f64 + 7.0 * (2.0 * df as f64).sqrt()
}

const LEN: usize = 4096;

/// Over GF(2⁸), 2-of-3: one share of a fixed secret is uniform over the 256 values. A
/// dealer that forbids zero coefficients never gives a share equal to the secret byte at
/// index 1 (y = s + a₁·1 ≠ s), which the same statistic catches.
#[test]
fn one_share_of_a_2_of_n_split_is_uniform() {
    let secret = vec![0x5au8; LEN];
    let mut r = rng(0x5eed_0001);
    let mut counts = vec![0u64; 256];
    for _ in 0..128 {
        let shares = gf256::split(&mut r, &secret, 2, 3).unwrap();
        let share = &shares[0];
        let bytes = share.to_bytes();
        for &y in &bytes[24..] {
            counts[usize::from(y)] += 1;
        }
    }
    let chi = chi_square(&counts);
    assert!(
        chi < chi_bound(255),
        "χ² = {chi} over 256 cells: share 1 is not uniform"
    );

    // The same statistic on a broken dealer (coefficients in 1..=255) must fail.
    let mut broken = vec![0u64; 256];
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..128 * LEN {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let a1 = 1 + (s % 255) as u8;
        broken[usize::from(0x5a ^ gf256::mul(a1, 1))] += 1;
    }
    assert!(
        chi_square(&broken) > chi_bound(255),
        "the test cannot see a missing value"
    );
}

/// Over GF(2⁸), 3-of-5: the pair of shares at x = 1, 2 is uniform over 65,536 values
/// (a bijective image of the two coefficients). Forbidding zero coefficients empties 511
/// cells, which the same statistic catches.
#[test]
fn two_shares_of_a_3_of_n_split_are_jointly_uniform() {
    let secret: Vec<u8> = (0..LEN).map(|i| i as u8).collect();
    let mut r = rng(0x5eed_0002);
    let mut counts = vec![0u64; 65536];
    for _ in 0..512 {
        let shares = gf256::split(&mut r, &secret, 3, 5).unwrap();
        let (b1, b2) = (shares[0].to_bytes(), shares[1].to_bytes());
        for k in 0..LEN {
            // Remove the secret so that every byte position is drawn from one distribution.
            let y1 = b1[24 + k] ^ secret[k];
            let y2 = b2[24 + k] ^ secret[k];
            counts[usize::from(y1) << 8 | usize::from(y2)] += 1;
        }
    }
    let chi = chi_square(&counts);
    assert!(
        chi < chi_bound(65535),
        "χ² = {chi} over 65536 cells: shares 1, 2 are not uniform"
    );

    let mut broken = vec![0u64; 65536];
    let mut s = 0x0123_4567_89ab_cdefu64;
    for _ in 0..512 * LEN {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let (a1, a2) = (1 + (s % 255) as u8, 1 + ((s >> 16) % 255) as u8);
        let y1 = a1 ^ a2;
        let y2 = gf256::mul(a1, 2) ^ gf256::mul(a2, 4);
        broken[usize::from(y1) << 8 | usize::from(y2)] += 1;
    }
    assert!(
        chi_square(&broken) > chi_bound(65535),
        "the test cannot see empty cells"
    );
}

/// Goldilocks: with t = 2, share 1 of the secret 0 is the coefficient a₁ itself; over many
/// draws its top byte is uniform (coarse check that the sampler is not biased, e.g. by a
/// reduction of 64 random bits modulo p that would be visible only at 2⁻³², or by a
/// shifted range).
#[test]
fn goldilocks_coefficients_are_uniform_in_their_top_byte() {
    let mut r = rng(0x5eed_0003);
    let mut counts = vec![0u64; 256];
    let zeros = gl(&[0; 512]);
    for _ in 0..256 {
        let shares = prime::split_vec(&mut r, &zeros, 2, 2).unwrap();
        for v in prime::values::<Goldilocks>(&shares[0]).unwrap().iter() {
            counts[(v.to_u64() >> 56) as usize] += 1;
        }
    }
    let chi = chi_square(&counts);
    assert!(chi < chi_bound(255), "χ² = {chi}");
}

// ----------------------------------------------------------------------------------------
// rejections, one regression test each

#[test]
fn rejects_index_zero() {
    let s = gf256::split(&mut rng(1), b"key", 2, 3).unwrap();
    assert_eq!(
        Share::from_bytes(&with_byte(&s[0], 19, 0)).unwrap_err(),
        Error::InvalidShareIndex
    );
    let p = prime::split(&mut rng(1), &Goldilocks::new(5), 2, 3).unwrap();
    assert_eq!(
        Share::from_bytes(&with_byte(&p[0], 19, 0)).unwrap_err(),
        Error::InvalidShareIndex
    );
}

#[test]
fn rejects_duplicate_indices() {
    let s = gf256::split(&mut rng(2), b"key", 3, 5).unwrap();
    let dup = [&s[0], &s[1], &s[0]];
    assert_eq!(
        gf256::combine(&dup).unwrap_err(),
        Error::DuplicateShareIndex
    );
    // The same index twice is refused even when enough other shares are present.
    let dup = [&s[0], &s[1], &s[2], &s[1]];
    assert_eq!(
        gf256::combine(&dup).unwrap_err(),
        Error::DuplicateShareIndex
    );
    let p = prime::split(&mut rng(2), &Goldilocks::new(5), 2, 3).unwrap();
    let copy = reencode(&p[1]);
    assert_eq!(
        prime::combine::<Goldilocks, _>(&[&p[1], &copy]).unwrap_err(),
        Error::DuplicateShareIndex
    );
}

#[test]
fn rejects_fewer_shares_than_the_threshold() {
    let s = gf256::split(&mut rng(3), b"key", 3, 5).unwrap();
    assert_eq!(gf256::combine(&s[..2]).unwrap_err(), Error::NotEnoughShares);
    assert_eq!(
        gf256::combine::<Share>(&[]).unwrap_err(),
        Error::NotEnoughShares
    );
    let p = prime::split_vec(&mut rng(3), &gl(&[1, 2]), 4, 4).unwrap();
    assert_eq!(
        prime::combine_vec::<Goldilocks, _>(&p[1..]).unwrap_err(),
        Error::NotEnoughShares
    );
}

#[test]
fn rejects_threshold_below_two() {
    for t in [0, 1] {
        assert_eq!(
            gf256::split(&mut rng(4), b"key", t, 3).unwrap_err(),
            Error::InvalidThreshold
        );
        let e = prime::split(&mut rng(4), &Goldilocks::new(1), usize::from(t), 3).unwrap_err();
        assert_eq!(e, Error::InvalidThreshold);
        let e = feldman::split(&mut rng(4), &scalar(1), usize::from(t), 3).unwrap_err();
        assert_eq!(e, Error::InvalidThreshold);
    }
    // And in an encoding.
    let s = gf256::split(&mut rng(4), b"key", 2, 3).unwrap();
    assert_eq!(
        Share::from_bytes(&with_byte(&s[0], 18, 1)).unwrap_err(),
        Error::InvalidThreshold
    );
}

#[test]
fn rejects_threshold_above_count() {
    assert_eq!(
        gf256::split(&mut rng(5), b"key", 4, 3).unwrap_err(),
        Error::InvalidThreshold
    );
    assert_eq!(
        gf256::split(&mut rng(5), b"key", 2, 0).unwrap_err(),
        Error::InvalidThreshold
    );
    let e = prime::split(&mut rng(5), &Goldilocks::new(1), 6, 5).unwrap_err();
    assert_eq!(e, Error::InvalidThreshold);
    let e = feldman::split(&mut rng(5), &scalar(1), 6, 5).unwrap_err();
    assert_eq!(e, Error::InvalidThreshold);
}

#[test]
fn rejects_counts_beyond_the_index_range() {
    // Indices are one byte; share 256 would wrap to index 0 (the secret itself).
    for n in [256, 1000, usize::MAX] {
        let e = prime::split(&mut rng(6), &Goldilocks::new(1), 2, n).unwrap_err();
        assert_eq!(e, Error::InvalidThreshold, "n = {n}");
        let e = prime::split(&mut rng(6), &scalar(1), 2, n).unwrap_err();
        assert_eq!(e, Error::InvalidThreshold, "n = {n}");
        let e = feldman::split(&mut rng(6), &scalar(1), 2, n).unwrap_err();
        assert_eq!(e, Error::InvalidThreshold, "n = {n}");
    }
}

#[test]
fn largest_count_does_not_overflow_the_index() {
    // 255 shares: indices 1..=255, none wraps to 0, and the last t rebuild.
    let s = gf256::split(&mut rng(7), b"officers", 3, 255).unwrap();
    let idx: Vec<u8> = s.iter().map(Share::index).collect();
    assert_eq!(idx, (1..=255).collect::<Vec<u8>>());
    assert_eq!(&*gf256::combine(&s[252..]).unwrap(), b"officers");
    let p = prime::split(&mut rng(7), &Goldilocks::new(99), 2, 255).unwrap();
    assert_eq!(p[254].index(), 255);
    let got: Goldilocks = prime::combine(&p[253..]).unwrap();
    assert_eq!(got.to_u64(), 99);
}

#[test]
fn rejects_shares_of_different_lengths() {
    let s = gf256::split(&mut rng(8), b"sixteen byte key", 2, 3).unwrap();
    // The encoding of share 2, same set and threshold, one byte shorter.
    let mut b = s[1].to_bytes();
    let _ = b.pop();
    let len = (b.len() - 24) as u32;
    b[20..24].copy_from_slice(&len.to_be_bytes());
    let short = Share::from_bytes(&b).unwrap();
    assert_eq!(
        gf256::combine(&[&s[0], &short]).unwrap_err(),
        Error::ShareMismatch
    );
    let p = prime::split_vec(&mut rng(8), &gl(&[1, 2]), 2, 3).unwrap();
    let mut b = p[1].to_bytes();
    b.truncate(b.len() - 8);
    b[20..24].copy_from_slice(&8u32.to_be_bytes());
    let short = Share::from_bytes(&b).unwrap();
    assert_eq!(
        prime::combine_vec::<Goldilocks, _>(&[&p[0], &short]).unwrap_err(),
        Error::ShareMismatch
    );
    assert_eq!(prime::add(&p[0], &short).unwrap_err(), Error::ShareMismatch);
    // A vector share is not a single element.
    assert_eq!(
        prime::combine::<Goldilocks, _>(&p[..2]).unwrap_err(),
        Error::ShareMismatch
    );
}

#[test]
fn rejects_shares_of_different_sets() {
    let a = gf256::split(&mut rng(9), b"same secret", 2, 3).unwrap();
    let b = gf256::split(&mut rng(10), b"same secret", 2, 3).unwrap();
    assert_ne!(a[0].set_id(), b[0].set_id());
    assert_eq!(
        gf256::combine(&[&a[0], &b[1]]).unwrap_err(),
        Error::ShareMismatch
    );
    let a = prime::split(&mut rng(9), &Goldilocks::new(3), 2, 3).unwrap();
    let b = prime::split(&mut rng(10), &Goldilocks::new(3), 2, 3).unwrap();
    assert_eq!(
        prime::combine::<Goldilocks, _>(&[&a[0], &b[1]]).unwrap_err(),
        Error::ShareMismatch
    );
    let (_, com) = feldman::split(&mut rng(11), &scalar(3), 2, 3).unwrap();
    let (other, _) = feldman::split(&mut rng(12), &scalar(3), 2, 3).unwrap();
    assert_eq!(
        feldman::verify_share(&com, &other[0]).unwrap_err(),
        Error::ShareMismatch
    );
}

#[test]
fn rejects_shares_of_different_thresholds() {
    let s = gf256::split(&mut rng(13), b"key", 2, 3).unwrap();
    let relabelled = Share::from_bytes(&with_byte(&s[1], 18, 3)).unwrap();
    assert_eq!(
        gf256::combine(&[&s[0], &relabelled, &s[2]]).unwrap_err(),
        Error::ShareMismatch
    );
    let p = prime::split(&mut rng(13), &Goldilocks::new(3), 2, 3).unwrap();
    let relabelled = Share::from_bytes(&with_byte(&p[1], 18, 3)).unwrap();
    assert_eq!(
        prime::add(&p[1], &relabelled).unwrap_err(),
        Error::ShareMismatch
    );
    assert_eq!(
        prime::combine::<Goldilocks, _>(&[&p[0], &relabelled]).unwrap_err(),
        Error::ShareMismatch
    );
}

#[test]
fn rejects_shares_of_different_fields() {
    let g = gf256::split(&mut rng(14), &[0u8; 8], 2, 3).unwrap();
    let p = prime::split(&mut rng(114), &Goldilocks::new(0), 2, 3).unwrap();
    let q = prime::split(&mut rng(214), &scalar(0), 2, 3).unwrap();
    // Same length in bytes (8), different field: refused both ways.
    assert_eq!(g[0].field(), FieldId::Gf256);
    assert_eq!(
        prime::combine::<Goldilocks, _>(&g).unwrap_err(),
        Error::ShareMismatch
    );
    assert_eq!(gf256::combine(&p).unwrap_err(), Error::ShareMismatch);
    assert_eq!(
        prime::combine::<P256Scalar, _>(&p).unwrap_err(),
        Error::ShareMismatch
    );
    assert_eq!(
        prime::combine::<Goldilocks, _>(&q).unwrap_err(),
        Error::ShareMismatch
    );
    assert_eq!(prime::add(&g[0], &p[0]).unwrap_err(), Error::ShareMismatch);
    // The field byte is part of the encoding: relabelling a GF(2^8) share as Goldilocks
    // (same payload length) still gives a Goldilocks share of another set's data, refused
    // next to the real Goldilocks shares by their set identifier.
    let relabelled = Share::from_bytes(&with_byte(&g[0], 1, 2)).unwrap();
    assert_eq!(
        prime::combine::<Goldilocks, _>(&[&relabelled, &p[1]]).unwrap_err(),
        Error::ShareMismatch
    );
    let (_, com) = feldman::split(&mut rng(14), &scalar(0), 2, 3).unwrap();
    assert_eq!(
        feldman::verify_share(&com, &p[0]).unwrap_err(),
        Error::ShareMismatch
    );
}

#[test]
fn rejects_adding_shares_of_different_indices() {
    let a = prime::split(&mut rng(15), &Goldilocks::new(1), 2, 3).unwrap();
    let b = prime::split(&mut rng(16), &Goldilocks::new(2), 2, 3).unwrap();
    assert_eq!(prime::add(&a[0], &b[1]).unwrap_err(), Error::ShareMismatch);
}

#[test]
fn rejects_empty_secrets() {
    assert_eq!(
        gf256::split(&mut rng(17), b"", 2, 3).unwrap_err(),
        Error::InvalidLength
    );
    assert_eq!(
        prime::split_vec::<Goldilocks, _>(&mut rng(17), &[], 2, 3).unwrap_err(),
        Error::InvalidLength
    );
}

#[test]
fn rejects_malformed_encodings() {
    let s = gf256::split(&mut rng(18), b"key", 2, 3).unwrap();
    let good = s[0].to_bytes();
    assert_eq!(Share::from_bytes(&good).unwrap().index(), 1);
    // Version.
    assert_eq!(
        Share::from_bytes(&with_byte(&s[0], 0, 2)).unwrap_err(),
        Error::UnsupportedVersion
    );
    assert_eq!(
        Share::from_bytes(&with_byte(&s[0], 0, 0)).unwrap_err(),
        Error::UnsupportedVersion
    );
    // Unknown field.
    for f in [0, 4, 0xff] {
        assert_eq!(
            Share::from_bytes(&with_byte(&s[0], 1, f)).unwrap_err(),
            Error::InvalidEncoding
        );
    }
    // Empty, short header, cut payload, trailing byte, zero payload.
    assert_eq!(Share::from_bytes(&[]).unwrap_err(), Error::InvalidEncoding);
    assert_eq!(
        Share::from_bytes(&good[..23]).unwrap_err(),
        Error::InvalidEncoding
    );
    assert_eq!(
        Share::from_bytes(&good[..good.len() - 1]).unwrap_err(),
        Error::InvalidEncoding
    );
    let mut long = good.clone();
    long.push(0);
    assert_eq!(
        Share::from_bytes(&long).unwrap_err(),
        Error::InvalidEncoding
    );
    let mut empty = good[..24].to_vec();
    empty[20..24].copy_from_slice(&0u32.to_be_bytes());
    assert_eq!(
        Share::from_bytes(&empty).unwrap_err(),
        Error::InvalidEncoding
    );
    // A payload length that does not fit the element size.
    let p = prime::split(&mut rng(18), &Goldilocks::new(7), 2, 3).unwrap();
    let mut b = p[0].to_bytes();
    b.truncate(b.len() - 1);
    b[20..24].copy_from_slice(&7u32.to_be_bytes());
    assert_eq!(Share::from_bytes(&b).unwrap_err(), Error::InvalidEncoding);
    // A Goldilocks element ≥ p, and a P-256 scalar ≥ n.
    let mut b = p[0].to_bytes();
    b[24..32].copy_from_slice(&Goldilocks::MODULUS.to_be_bytes());
    assert_eq!(Share::from_bytes(&b).unwrap_err(), Error::InvalidEncoding);
    let q = prime::split(&mut rng(18), &scalar(7), 2, 3).unwrap();
    let mut b = q[0].to_bytes();
    b[24..56].fill(0xff);
    assert_eq!(Share::from_bytes(&b).unwrap_err(), Error::InvalidEncoding);
}

// ----------------------------------------------------------------------------------------
// Feldman: a cheating dealer is caught

#[test]
fn feldman_catches_a_cheating_dealer() {
    let (shares, com) = feldman::split(&mut rng(19), &scalar(77), 3, 5).unwrap();
    for s in &shares {
        assert_eq!(feldman::verify_share(&com, s), Ok(()));
    }
    // A share value off the polynomial (the last byte changed).
    let mut b = shares[2].to_bytes();
    b[55] ^= 1;
    let bad = Share::from_bytes(&b).unwrap();
    assert_eq!(
        feldman::verify_share(&com, &bad).unwrap_err(),
        Error::InvalidShare
    );
    // A share of the right set but moved to another index.
    let moved = Share::from_bytes(&with_byte(&shares[2], 19, 4)).unwrap();
    assert_eq!(
        feldman::verify_share(&com, &moved).unwrap_err(),
        Error::InvalidShare
    );
    // Shares of a polynomial of degree t (one too many coefficients), relabelled with the
    // set of the published commitments: at least one holder is caught.
    let (high, _) = feldman::split(&mut rng(20), &scalar(77), 4, 5).unwrap();
    let caught = high
        .iter()
        .map(|s| {
            let mut b = s.to_bytes();
            b[2..18].copy_from_slice(com.set_id());
            b[18] = 3;
            Share::from_bytes(&b).unwrap()
        })
        .filter(|s| feldman::verify_share(&com, s) == Err(Error::InvalidShare))
        .count();
    assert!(
        caught >= 1,
        "a dealer using a degree-3 polynomial went unnoticed"
    );
    // Commitments changed (C₁ replaced by C₂): every share with x ≠ 0 fails.
    let mut cb = com.to_bytes();
    let (c1, c2) = (19 + 65, 19 + 130);
    let c2_bytes = cb[c2..c2 + 65].to_vec();
    cb[c1..c1 + 65].copy_from_slice(&c2_bytes);
    let forged = feldman::Commitments::from_bytes(&cb).unwrap();
    for s in &shares {
        assert_eq!(
            feldman::verify_share(&forged, s).unwrap_err(),
            Error::InvalidShare
        );
    }
    // Malformed commitments.
    assert_eq!(
        feldman::Commitments::from_bytes(&cb[..cb.len() - 1]).unwrap_err(),
        Error::InvalidEncoding
    );
    let mut off = com.to_bytes();
    off[19 + 64] ^= 1; // y of C₀ changed: off the curve
    assert_eq!(
        feldman::Commitments::from_bytes(&off).unwrap_err(),
        Error::InvalidPublicKey
    );
    let mut v = com.to_bytes();
    v[0] = 9;
    assert_eq!(
        feldman::Commitments::from_bytes(&v).unwrap_err(),
        Error::UnsupportedVersion
    );
}

#[test]
fn shares_print_no_value() {
    let s = gf256::split(&mut rng(21), &[0xab; 4], 2, 3).unwrap();
    let text = format!("{:?}", s[0]);
    let hexval = s[0].to_bytes()[24..]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    assert!(
        !text.contains(&hexval) && text.contains("index: 1"),
        "{text}"
    );
    assert_eq!(format!("{:?}", Goldilocks::new(5)), "Goldilocks(..)");
}

/// Issue 18: an RNG with constant all-ones output made `PrimeField::random` (and so every
/// split over a prime field) spin forever; now it gives up after `MAX_DRAWS` draws.
#[test]
fn constant_rng_fails_instead_of_spinning() {
    use tsubaki::shamir::MAX_DRAWS;
    let mut r = ConstRng::new(0xff);
    assert_eq!(Goldilocks::random(&mut r).err(), Some(Error::RngFailure));
    assert_eq!(r.drawn, 8 * MAX_DRAWS);
    let mut r = ConstRng::new(0xff);
    assert_eq!(P256Scalar::random(&mut r).err(), Some(Error::RngFailure));
    assert_eq!(r.drawn, 32 * MAX_DRAWS);
    let r = &mut ConstRng::new(0xff);
    assert_eq!(
        prime::split(r, &Goldilocks::from_u64(7), 2, 3).err(),
        Some(Error::RngFailure)
    );
    assert_eq!(
        prime::split_vec(r, &gl(&[1, 2, 3]), 3, 5).err(),
        Some(Error::RngFailure)
    );
    assert_eq!(
        prime::split(r, &scalar(7), 2, 3).err(),
        Some(Error::RngFailure)
    );
    assert_eq!(
        feldman::split(r, &scalar(7), 2, 3).err(),
        Some(Error::RngFailure)
    );
    // A constant that is a field element is accepted (rejection sampling cannot tell).
    assert!(Goldilocks::random(&mut ConstRng::new(0)).is_ok());
    assert!(prime::split(&mut ConstRng::new(0), &Goldilocks::from_u64(7), 2, 3).is_ok());
    // GF(2⁸) has no rejection: no failure mode.
    assert!(gf256::split(&mut ConstRng::new(0xff), &[1, 2], 2, 3).is_ok());
}
