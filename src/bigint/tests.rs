//! Differential tests of the Montgomery code against OpenSSL's libcrypto (`BN_*`).

use alloc::vec;
use alloc::vec::Vec;

use openssl::bn::{BigNum, BigNumContext};
use proptest::prelude::*;

use super::limbs;
use super::vartime;
use super::{Modulus, Monty};
use crate::Error;

fn bn(be: &[u8]) -> BigNum {
    BigNum::from_slice(be).unwrap()
}

fn be(x: &BigNum, len: usize) -> Vec<u8> {
    x.to_vec_padded(len as i32).unwrap()
}

/// An odd modulus of `bytes` bytes from a seed (top byte nonzero unless `short_top`).
fn modulus_strategy(max_limbs: usize) -> impl Strategy<Value = Vec<u8>> {
    (1..=max_limbs, any::<u64>(), any::<bool>()).prop_map(|(k, seed, short_top)| {
        let mut s = seed | 1;
        let mut m: Vec<u8> = (0..8 * k)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                s as u8
            })
            .collect();
        let last = m.len() - 1;
        m[last] |= 1;
        if short_top {
            m[0] = 0; // top limb not full: exercises m < R/2^8
        } else {
            m[0] |= 0x80;
        }
        if m.iter().rev().skip(1).all(|&b| b == 0) && m[last] < 3 {
            m[last] = 5;
        }
        m
    })
}

fn below(m: &[u8], seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    let raw: Vec<u8> = (0..m.len())
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s as u8
        })
        .collect();
    let mut ctx = BigNumContext::new().unwrap();
    let mut r = BigNum::new().unwrap();
    r.nnmod(&bn(&raw), &bn(m), &mut ctx).unwrap();
    be(&r, m.len())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mul_matches_openssl(m in modulus_strategy(20), sa in any::<u64>(), sb in any::<u64>()) {
        let ctx = Modulus::new(&m).unwrap();
        let (a, b) = (below(&m, sa), below(&m, sb));
        let mut c = BigNumContext::new().unwrap();
        let mut want = BigNum::new().unwrap();
        want.mod_mul(&bn(&a), &bn(&b), &bn(&m), &mut c).unwrap();
        prop_assert_eq!(ctx.mul_be(&a, &b).unwrap(), be(&want, ctx.len_bytes()));
    }

    #[test]
    fn pow_matches_openssl(m in modulus_strategy(12), sa in any::<u64>(), e in proptest::collection::vec(any::<u8>(), 0..100)) {
        let ctx = Modulus::new(&m).unwrap();
        let a = below(&m, sa);
        let mut c = BigNumContext::new().unwrap();
        let mut want = BigNum::new().unwrap();
        want.mod_exp(&bn(&a), &bn(&e), &bn(&m), &mut c).unwrap();
        // OpenSSL returns 1 mod m = 1; ours too (m ≥ 3).
        let want = be(&want, ctx.len_bytes());
        prop_assert_eq!(ctx.pow_secret_be(&a, &e).unwrap(), want.clone());
        prop_assert_eq!(ctx.pow_public_vartime_be(&a, &e).unwrap(), want);
    }

    #[test]
    fn reduce_matches_openssl(m in modulus_strategy(16), x in proptest::collection::vec(any::<u8>(), 0..256)) {
        let ctx = Modulus::new(&m).unwrap();
        let x = &x[..x.len().min(2 * ctx.len_bytes())];
        let mut c = BigNumContext::new().unwrap();
        let mut want = BigNum::new().unwrap();
        want.nnmod(&bn(x), &bn(&m), &mut c).unwrap();
        prop_assert_eq!(ctx.reduce_be(x).unwrap(), be(&want, ctx.len_bytes()));
    }

    #[test]
    fn inverse_matches_openssl(m in modulus_strategy(10), sa in any::<u64>()) {
        let ctx = Modulus::new(&m).unwrap();
        let a = below(&m, sa);
        let mut c = BigNumContext::new().unwrap();
        let mut want = BigNum::new().unwrap();
        let ok = want.mod_inverse(&bn(&a), &bn(&m), &mut c).is_ok();
        match ctx.inv_vartime_be(&a) {
            Some(inv) => { prop_assert!(ok); prop_assert_eq!(inv, be(&want, ctx.len_bytes())); }
            None => prop_assert!(!ok),
        }
    }

    #[test]
    fn inverse_mod_pow2(x in proptest::collection::vec(any::<u64>(), 1..20)) {
        let mut x = x;
        x[0] |= 1;
        let y = limbs::inv_mod_pow2(&x);
        let prod = limbs::mul_lo(&x, &y, x.len());
        let mut one = vec![0u64; x.len()];
        one[0] = 1;
        prop_assert_eq!(prod, one);
    }

    #[test]
    fn fixed_base_matches_pow(m in modulus_strategy(8), sa in any::<u64>(), e in proptest::collection::vec(any::<u64>(), 4)) {
        let k = m.len() / 8;
        let ctx = Monty::new(limbs::from_be_bytes(&m, k).unwrap()).unwrap();
        let a = limbs::from_be_bytes(&below(&m, sa), k).unwrap();
        let am = ctx.to_mont(&a);
        let fb = super::FixedBase::new(&ctx, &am, 256);
        prop_assert_eq!(fb.pow(&ctx, &e), ctx.pow_secret(&am, &e));
    }
}

#[test]
fn edge_moduli() {
    // m = 3, m = 2^64 − 1 (one limb, all ones), m = R − 1 for two limbs.
    for m in [vec![3u8], vec![0xff; 8], vec![0xff; 16]] {
        let ctx = Modulus::new(&m).unwrap();
        let a = below(&m, 7);
        let mut c = BigNumContext::new().unwrap();
        let mut want = BigNum::new().unwrap();
        want.mod_exp(&bn(&a), &bn(&[0xff, 0x13]), &bn(&m), &mut c)
            .unwrap();
        assert_eq!(
            ctx.pow_secret_be(&a, &[0xff, 0x13]).unwrap(),
            be(&want, ctx.len_bytes())
        );
    }
    assert_eq!(Modulus::new(&[4]).err(), Some(Error::InvalidModulus));
    assert_eq!(Modulus::new(&[1]).err(), Some(Error::InvalidModulus));
    assert_eq!(Modulus::new(&[]).err(), Some(Error::InvalidModulus));
    assert!(vartime::inv_mod_vartime(&[0], &[7]).is_none());
}

/// The approximate binary GCD of `coprime_vartime` against the bit-at-a-time extended
/// Euclid and OpenSSL's gcd: random odd moduli of 1 … 70 limbs, values sharing a factor
/// with the modulus (small and large), and the edges 0, 1, m − 1, 2^j.
#[test]
fn coprime_vartime_matches_gcd() {
    let mut seed = 1u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed
    };
    let mut ctx = BigNumContext::new().unwrap();
    for k in (1..=70usize).chain([32, 32, 64, 64]) {
        for trial in 0..12 {
            // A random odd modulus m and a random odd f of 1 … 4k bytes.
            let mut m_be: Vec<u8> = (0..8 * k).map(|_| next() as u8).collect();
            m_be[0] |= 0x80 >> (trial % 8);
            *m_be.last_mut().unwrap() |= 1;
            let m_bn = bn(&m_be);
            let fl = 1 + (next() as usize) % (4 * k).max(1);
            let mut f_be: Vec<u8> = (0..fl).map(|_| next() as u8).collect();
            *f_be.last_mut().unwrap() |= 1;
            let f_bn = bn(&f_be);
            let mut a_bn = BigNum::new().unwrap();
            let r = bn(&(0..8 * k).map(|_| next() as u8).collect::<Vec<u8>>());
            match trial % 4 {
                // a random below m, or f times one (a common factor only by chance).
                0 | 1 => {
                    a_bn.nnmod(&r, &m_bn, &mut ctx).unwrap();
                }
                _ => {
                    a_bn.checked_mul(&r, &f_bn, &mut ctx).unwrap();
                    let t = a_bn.to_owned().unwrap();
                    a_bn.nnmod(&t, &m_bn, &mut ctx).unwrap();
                }
            }
            let mut edges = vec![a_bn.to_vec()];
            if trial == 0 {
                let mut m1 = m_bn.to_owned().unwrap();
                m1.sub_word(1).unwrap();
                edges.extend([vec![], vec![1], m1.to_vec(), vec![2], vec![0x80; 1]]);
            }
            let m_l = limbs::from_be_bytes(&m_be, k).unwrap();
            for a_be in edges {
                let a_l = limbs::from_be_bytes(&a_be, k).unwrap();
                let mut g = BigNum::new().unwrap();
                g.gcd(&bn(&a_be), &m_bn, &mut ctx).unwrap();
                let want = g == BigNum::from_u32(1).unwrap();
                assert_eq!(
                    vartime::coprime_vartime(&a_l, &m_l),
                    want,
                    "k={k} trial={trial}"
                );
                assert_eq!(vartime::inv_mod_vartime(&a_l, &m_l).is_some(), want);
            }
            if f_bn.num_bits() < m_bn.num_bits() - 1 && f_bn != BigNum::from_u32(1).unwrap() {
                // m2 = f·q < 2^(64k), odd; a2 = f·s mod m2: never coprime.
                let mut q = BigNum::new().unwrap();
                q.rshift(&m_bn, f_bn.num_bits()).unwrap();
                q.set_bit(0).unwrap();
                let mut m2 = BigNum::new().unwrap();
                m2.checked_mul(&f_bn, &q, &mut ctx).unwrap();
                let mut a2 = BigNum::new().unwrap();
                a2.checked_mul(&f_bn, &r, &mut ctx).unwrap();
                let t = a2.to_owned().unwrap();
                a2.nnmod(&t, &m2, &mut ctx).unwrap();
                let m2_l = limbs::from_be_bytes(&m2.to_vec(), k).unwrap();
                let a2_l = limbs::from_be_bytes(&a2.to_vec(), k).unwrap();
                assert!(
                    !vartime::coprime_vartime(&a2_l, &m2_l),
                    "k={k} trial={trial}"
                );
            }
        }
    }
}

/// Every size with a platform kernel (k = 16 … 128 limbs): the context's dispatch (IFMA
/// where the CPU has it) against the portable engine and against OpenSSL.
#[test]
fn platform_backend_matches_portable() {
    use super::monty::{Portable, pow_public_with_vartime, pow_secret_with};
    let mut seed = 1u64;
    for k in [16usize, 24, 32, 48, 64, 96, 128] {
        for short_top in [false, true] {
            for round in 0..3 {
                seed += 1;
                let mut m = below(&vec![0xffu8; 8 * k], seed);
                m[8 * k - 1] |= 1;
                if short_top {
                    m[0] = 0x01 + round as u8; // m much smaller than R
                } else {
                    m[0] |= 0x80;
                    if round == 2 {
                        m.iter_mut().for_each(|b| *b = 0xff); // m = R − 1
                    }
                }
                let ctx = Monty::new(limbs::from_be_bytes(&m, k).unwrap()).unwrap();
                std::eprintln!("k = {k}: backend {}", ctx.backend());
                let a = limbs::from_be_bytes(&below(&m, seed * 7), k).unwrap();
                let b = limbs::from_be_bytes(&below(&m, seed * 11), k).unwrap();
                let e: Vec<u64> = (0..k / 2)
                    .map(|i| (seed + i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
                    .collect();
                let p = Portable(&ctx);
                let mut want = vec![0u64; k];
                super::monty::mont_mul_portable(&mut want, &a, &b, ctx.modulus(), ctx.m0inv);
                assert_eq!(ctx.mul(&a, &b), want, "mul k={k}");
                let mut sq = vec![0u64; k];
                ctx.sqr_into(&mut sq, &a);
                assert_eq!(sq, ctx.mul(&a, &a), "sqr k={k}");
                let am = ctx.to_mont(&a);
                let ps = pow_secret_with(&p, &am, &e);
                assert_eq!(ctx.pow_secret(&am, &e), ps, "pow_secret k={k}");
                assert_eq!(ctx.pow_public_vartime(&am, &e), ps, "pow_public k={k}");
                // And against OpenSSL.
                let a_be = limbs::to_be_bytes(&a, 8 * k);
                let e_be = limbs::to_be_bytes(&e, 4 * k);
                let mut c = BigNumContext::new().unwrap();
                let mut r = BigNum::new().unwrap();
                r.mod_exp(&bn(&a_be), &bn(&e_be), &bn(&m), &mut c).unwrap();
                assert_eq!(
                    limbs::to_be_bytes(&ctx.out_of_mont(&ps), 8 * k),
                    be(&r, 8 * k),
                    "openssl k={k}"
                );
                let wide: Vec<u64> = (0..2 * k)
                    .map(|i| (seed ^ i as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9))
                    .collect();
                let mut r2 = BigNum::new().unwrap();
                r2.nnmod(&bn(&limbs::to_be_bytes(&wide, 16 * k)), &bn(&m), &mut c)
                    .unwrap();
                assert_eq!(
                    limbs::to_be_bytes(&ctx.reduce_wide(&wide), 8 * k),
                    be(&r2, 8 * k)
                );
                let _ = pow_public_with_vartime(&p, &am, &e);
            }
        }
    }
}

/// The fixed-size kernels (16, 24, 32 limbs) against the generic loops, on random values
/// and at the edges (a = m − 1, moduli near R and near R/2).
#[test]
fn fixed_size_kernels_match_generic() {
    let mut x = 0x0123_4567_89ab_cdefu64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for k in [16usize, 24, 32] {
        for round in 0..40 {
            let mut m: Vec<u64> = (0..k).map(|_| next()).collect();
            m[0] |= 1;
            match round % 3 {
                0 => m[k - 1] |= 1 << 63,
                1 => m.iter_mut().skip(1).for_each(|l| *l = u64::MAX),
                _ => m[k - 1] = (m[k - 1] >> 2) | (1 << 61),
            }
            let ctx = Monty::new(m.clone()).unwrap();
            let mut a: Vec<u64> = (0..k).map(|_| next()).collect();
            let mut b: Vec<u64> = (0..k).map(|_| next()).collect();
            a = ctx.reduce_wide(&a);
            b = ctx.reduce_wide(&b);
            if round == 5 {
                a = m.clone();
                let _ = limbs::sub_assign(&mut a, &[1]);
                b = a.clone();
            }
            let (mut f, mut g) = (vec![0u64; k], vec![0u64; k]);
            super::monty::mont_mul_portable(&mut f, &a, &b, &m, ctx.m0inv);
            super::monty::mont_mul_generic(&mut g, &a, &b, &m, ctx.m0inv);
            assert_eq!(f, g, "mul k={k} round {round}");
            super::monty::mont_sqr_portable(&mut f, &a, &m, ctx.m0inv);
            super::monty::mont_sqr_generic(&mut g, &a, &m, ctx.m0inv);
            assert_eq!(f, g, "sqr k={k} round {round}");
            super::monty::mont_mul_generic(&mut g, &a, &a, &m, ctx.m0inv);
            assert_eq!(f, g, "sqr = mul k={k} round {round}");
        }
    }
}

/// Timing of the raw kernels (run by hand: `cargo test --lib kernel_timing -- --ignored --nocapture`).
#[test]
#[ignore = "timing, by hand"]
fn kernel_timing() {
    for k in [16usize, 32] {
        let mut m = vec![0xa5u8; 8 * k];
        m[0] = 0xc3;
        let ctx = Monty::new(limbs::from_be_bytes(&m, k).unwrap()).unwrap();
        let a = ctx.one.clone();
        let mut out = vec![0u64; k];
        let t = std::time::Instant::now();
        for _ in 0..10_000 {
            super::monty::mont_sqr_generic(&mut out, &a, ctx.modulus(), ctx.m0inv);
        }
        std::eprintln!("k={k} generic sqr: {:?}", t.elapsed() / 10_000);
        let t = std::time::Instant::now();
        for _ in 0..10_000 {
            super::monty::mont_mul_generic(&mut out, &a, &ctx.r2, ctx.modulus(), ctx.m0inv);
        }
        std::eprintln!("k={k} generic mul: {:?}", t.elapsed() / 10_000);
        // Minimum over short runs: filters out the time the thread is descheduled on a
        // loaded machine.
        let (mut g, mut f, mut gm, mut fm) = (
            [u128::MAX; 1],
            [u128::MAX; 1],
            [u128::MAX; 1],
            [u128::MAX; 1],
        );
        for _ in 0..300 {
            let t = std::time::Instant::now();
            for _ in 0..100 {
                super::monty::mont_sqr_generic(&mut out, &a, ctx.modulus(), ctx.m0inv);
            }
            g[0] = g[0].min(t.elapsed().as_nanos());
            let t = std::time::Instant::now();
            for _ in 0..100 {
                super::monty::mont_sqr_portable(&mut out, &a, ctx.modulus(), ctx.m0inv);
            }
            f[0] = f[0].min(t.elapsed().as_nanos());
            let t = std::time::Instant::now();
            for _ in 0..100 {
                super::monty::mont_mul_generic(&mut out, &a, &ctx.r2, ctx.modulus(), ctx.m0inv);
            }
            gm[0] = gm[0].min(t.elapsed().as_nanos());
            let t = std::time::Instant::now();
            for _ in 0..100 {
                super::monty::mont_mul_portable(&mut out, &a, &ctx.r2, ctx.modulus(), ctx.m0inv);
            }
            fm[0] = fm[0].min(t.elapsed().as_nanos());
        }
        std::eprintln!(
            "k={k} min ns: sqr generic {} fixed {}; mul generic {} fixed {}",
            g[0] / 100,
            f[0] / 100,
            gm[0] / 100,
            fm[0] / 100
        );
    }
    for k in [32usize, 64] {
        let mut m = vec![0xa5u8; 8 * k];
        m[0] = 0xc3;
        let ctx = Monty::new(limbs::from_be_bytes(&m, k).unwrap()).unwrap();
        let a = ctx.one.clone();
        let mut out = vec![0u64; k];
        let t = std::time::Instant::now();
        for _ in 0..10_000 {
            super::monty::mont_mul_portable(&mut out, &a, &ctx.r2, ctx.modulus(), ctx.m0inv);
        }
        std::eprintln!("k={k} portable mul: {:?}", t.elapsed() / 10_000);
        let t = std::time::Instant::now();
        for _ in 0..10_000 {
            super::monty::mont_sqr_portable(&mut out, &a, ctx.modulus(), ctx.m0inv);
        }
        std::eprintln!("k={k} portable sqr: {:?}", t.elapsed() / 10_000);
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = &ctx.ifma {
            let x = f.enter(&a);
            let mut o = x.clone();
            let t = std::time::Instant::now();
            for _ in 0..10_000 {
                f.amm(&mut o, &x, &x);
            }
            std::eprintln!("k={k} ifma amm: {:?}", t.elapsed() / 10_000);
            let t = std::time::Instant::now();
            for _ in 0..10_000 {
                ctx.mul_into(&mut out, &a, &ctx.r2);
            }
            std::eprintln!("k={k} ifma mul64: {:?}", t.elapsed() / 10_000);
            let e: Vec<u64> = (0..k / 2)
                .map(|i| (i as u64 + 3).wrapping_mul(0x9e37_79b9_7f4a_7c15))
                .collect();
            let t = std::time::Instant::now();
            for _ in 0..20 {
                let _ = core::hint::black_box(ctx.pow_secret(&a, &e));
            }
            std::eprintln!("k={k} ifma pow_secret (k/2 limbs): {:?}", t.elapsed() / 20);
            let t = std::time::Instant::now();
            for _ in 0..20 {
                let _ = core::hint::black_box(ctx.pow_public_vartime(&a, &e));
            }
            std::eprintln!("k={k} ifma pow_public (k/2 limbs): {:?}", t.elapsed() / 20);
        }
    }
}

/// Issue 18: the modulus length is bounded before any work (building a context is
/// quadratic in it: 8 KiB took half a second, 1 MiB would take hours).
#[test]
fn modulus_length_is_bounded() {
    let mut m = vec![0xffu8; Modulus::MAX_BYTES];
    let ctx = Modulus::new(&m).unwrap();
    assert_eq!(ctx.len_bytes(), Modulus::MAX_BYTES);
    m.push(0xff);
    assert_eq!(Modulus::new(&m).err(), Some(Error::InvalidLength));
    // A leading zero byte counts: the limb count comes from the input length.
    let mut z = vec![0u8];
    z.extend_from_slice(&m[1..]);
    assert_eq!(Modulus::new(&z).err(), Some(Error::InvalidLength));
    // 1 MiB: refused at once (before the fix this ran for hours).
    let big = vec![0xffu8; 1 << 20];
    assert_eq!(Modulus::new(&big).err(), Some(Error::InvalidLength));
    assert!(Monty::new(vec![u64::MAX; super::monty::MAX_LIMBS + 1]).is_none());
}

/// The BMI2/ADX kernels (when this CPU has them) against the portable code for every limb
/// count 1 … 128 (all remainders of the four-limb loop), on random values and at the edges:
/// a = b = m − 1, m = R − 1, moduli far below R, and a < R with b < m (to_mont's case).
#[cfg(target_arch = "x86_64")]
#[test]
fn adx_kernels_match_portable() {
    let Some(adx) = super::x86::Adx::detect() else {
        std::eprintln!("no BMI2/ADX on this CPU: nothing to compare");
        return;
    };
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for k in 1usize..=128 {
        for round in 0..6 {
            let mut m: Vec<u64> = (0..k).map(|_| next()).collect();
            m[0] |= 1;
            match round {
                0 => m[k - 1] |= 1 << 63,
                1 => m.iter_mut().for_each(|l| *l = u64::MAX),
                2 => m[k - 1] >>= 40,
                _ => {}
            }
            if m.iter().skip(1).all(|&l| l == 0) && m[0] < 3 {
                m[0] = 5;
            }
            let ctx = Monty::new(m.clone()).unwrap();
            let mut a: Vec<u64> = (0..k).map(|_| next()).collect();
            let mut b: Vec<u64> = (0..k).map(|_| next()).collect();
            a = ctx.reduce_wide(&a);
            b = ctx.reduce_wide(&b);
            if round == 3 {
                a = m.clone();
                let _ = limbs::sub_assign(&mut a, &[1]);
                b = a.clone();
            }
            let (mut f, mut g) = (vec![0u64; k], vec![0u64; k]);
            super::monty::mont_mul_portable(&mut f, &a, &b, &m, ctx.m0inv);
            adx.mont_mul(&mut g, &a, &b, &m, ctx.m0inv);
            assert_eq!(f, g, "mul k={k} round {round}");
            super::monty::mont_sqr_portable(&mut f, &a, &m, ctx.m0inv);
            adx.mont_sqr(&mut g, &a, &m, ctx.m0inv);
            assert_eq!(f, g, "sqr k={k} round {round}");
            if round == 4 {
                // a < R (not reduced) times R² mod m: to_mont's product.
                let big: Vec<u64> = (0..k).map(|_| next() | (1 << 63)).collect();
                super::monty::mont_mul_portable(&mut f, &big, &ctx.r2, &m, ctx.m0inv);
                adx.mont_mul(&mut g, &big, &ctx.r2, &m, ctx.m0inv);
                assert_eq!(f, g, "to_mont k={k}");
            }
        }
    }
}

/// By hand (`cargo test --release --lib adx_timing -- --ignored --nocapture`): the BMI2/ADX
/// kernels against the portable ones, minimum over short runs (robust to a loaded machine).
#[cfg(target_arch = "x86_64")]
#[test]
#[ignore = "timing, by hand"]
fn adx_timing() {
    let Some(adx) = super::x86::Adx::detect() else {
        return;
    };
    for k in [16usize, 32, 64] {
        let mut m = vec![0xa5u8; 8 * k];
        m[0] = 0xc3;
        let ctx = Monty::new(limbs::from_be_bytes(&m, k).unwrap()).unwrap();
        let a = ctx.r2.clone();
        let mut out = vec![0u64; k];
        let min_ns = |f: &mut dyn FnMut()| {
            let mut best = u128::MAX;
            for _ in 0..200 {
                let t = std::time::Instant::now();
                for _ in 0..50 {
                    f();
                }
                best = best.min(t.elapsed().as_nanos() / 50);
            }
            best
        };
        let pm = min_ns(&mut || {
            super::monty::mont_mul_portable(&mut out, &a, &ctx.r2, ctx.modulus(), ctx.m0inv)
        });
        let ps =
            min_ns(&mut || super::monty::mont_sqr_portable(&mut out, &a, ctx.modulus(), ctx.m0inv));
        let xm = min_ns(&mut || adx.mont_mul(&mut out, &a, &ctx.r2, ctx.modulus(), ctx.m0inv));
        let xs = min_ns(&mut || adx.mont_sqr(&mut out, &a, ctx.modulus(), ctx.m0inv));
        std::eprintln!(
            "k={k}: mul portable {pm} ns, adx {xm} ns ({:.2}x); sqr portable {ps} ns, adx {xs} ns ({:.2}x)",
            pm as f64 / xm as f64,
            ps as f64 / xs as f64
        );
    }
}
