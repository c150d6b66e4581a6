//! The Camellia key schedule (RFC 3713 §2.2–2.3) and the round structure every
//! single-block path shares (§2.3.2–2.3.3, §2.4.2).
//!
//! The schedule only rotates, XORs and applies the F-function: it is constant-time as long
//! as the F-function it is given is. Each backend passes its own F, so the constant-time
//! backends derive KA/KB in constant time too.

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Where a 64-bit subkey comes from: one of the four 128-bit key values, rotated left
/// by a fixed amount, left (`Hi`) or right (`Lo`) half. RFC 3713 §2.2 tables.
#[derive(Clone, Copy)]
enum Src {
    L(u32, Half),
    R(u32, Half),
    A(u32, Half),
    B(u32, Half),
}

#[derive(Clone, Copy)]
enum Half {
    Hi,
    Lo,
}

use Half::{Hi, Lo};
use Src::{A, B, L, R};

/// Subkeys for 128-bit keys: kw1..kw4, k1..k18, ke1..ke4.
const KW_128: [Src; 4] = [L(0, Hi), L(0, Lo), A(111, Hi), A(111, Lo)];
const K_128: [Src; 18] = [
    A(0, Hi),
    A(0, Lo),
    L(15, Hi),
    L(15, Lo),
    A(15, Hi),
    A(15, Lo),
    L(45, Hi),
    L(45, Lo),
    A(45, Hi),
    L(60, Lo),
    A(60, Hi),
    A(60, Lo),
    L(94, Hi),
    L(94, Lo),
    A(94, Hi),
    A(94, Lo),
    L(111, Hi),
    L(111, Lo),
];
const KE_128: [Src; 4] = [A(30, Hi), A(30, Lo), L(77, Hi), L(77, Lo)];

/// Subkeys for 192- and 256-bit keys: kw1..kw4, k1..k24, ke1..ke6.
const KW_256: [Src; 4] = [L(0, Hi), L(0, Lo), B(111, Hi), B(111, Lo)];
const K_256: [Src; 24] = [
    B(0, Hi),
    B(0, Lo),
    R(15, Hi),
    R(15, Lo),
    A(15, Hi),
    A(15, Lo),
    B(30, Hi),
    B(30, Lo),
    L(45, Hi),
    L(45, Lo),
    A(45, Hi),
    A(45, Lo),
    R(60, Hi),
    R(60, Lo),
    B(60, Hi),
    B(60, Lo),
    L(77, Hi),
    L(77, Lo),
    R(94, Hi),
    R(94, Lo),
    A(94, Hi),
    A(94, Lo),
    L(111, Hi),
    L(111, Lo),
];
const KE_256: [Src; 6] = [
    R(30, Hi),
    R(30, Lo),
    L(60, Hi),
    L(60, Lo),
    A(77, Hi),
    A(77, Lo),
];

/// The subkey `s` names: its source rotated left, then one half. Inlined where `s` is a
/// constant, so the rotation is by a constant.
#[inline(always)]
fn pick(s: Src, kl: u128, kr: u128, ka: u128, kb: u128) -> u64 {
    let (v, rot, half) = match s {
        L(r, h) => (kl, r, h),
        R(r, h) => (kr, r, h),
        A(r, h) => (ka, r, h),
        B(r, h) => (kb, r, h),
    };
    let v = v.rotate_left(rot);
    match half {
        Hi => (v >> 64) as u64,
        Lo => v as u64,
    }
}

/// The expanded key of one direction. Decryption is encryption with the subkeys in
/// reverse order (RFC 3713 §2.3.3), so a cipher object holds two of these and every
/// backend implements encryption only.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct RoundKeys {
    /// Whitening keys: `kw[0..2]` before the rounds, `kw[2..4]` after.
    pub(crate) kw: [u64; 4],
    /// Round keys; the first `rounds` are used.
    pub(crate) k: [u64; 24],
    /// FL / FL⁻¹ keys, a pair per FL layer; the first `rounds / 3 - 2` are used.
    pub(crate) ke: [u64; 6],
    /// 18 for 128-bit keys, 24 for 192/256 (public: a function of the key length only).
    pub(crate) rounds: usize,
}

impl RoundKeys {
    /// Expands a 16-, 24- or 32-byte key with the F-function `f(x, k)` of the caller's
    /// backend. The caller has checked the length.
    pub(crate) fn expand(key: &[u8], f: impl Fn(u64, u64) -> u64) -> RoundKeys {
        debug_assert!(matches!(key.len(), 16 | 24 | 32));
        let mut kl = [0u8; 16];
        let mut kr = [0u8; 16];
        kl.copy_from_slice(&key[..16]);
        match key.len() {
            24 => {
                kr[..8].copy_from_slice(&key[16..24]);
                for i in 0..8 {
                    kr[8 + i] = !key[16 + i];
                }
            }
            32 => kr.copy_from_slice(&key[16..32]),
            _ => {}
        }
        let mut kl = u128::from_be_bytes(kl);
        let mut kr = u128::from_be_bytes(kr);

        // RFC 3713 §2.2: KA from KL and KR by four F-rounds keyed by Σ1..Σ4, KB from KA
        // and KR by two more keyed by Σ5, Σ6.
        let sig = &super::consts::SIGMA;
        let mut d = kl ^ kr;
        let (mut d1, mut d2) = ((d >> 64) as u64, d as u64);
        d2 ^= f(d1, sig[0]);
        d1 ^= f(d2, sig[1]);
        d1 ^= (kl >> 64) as u64;
        d2 ^= kl as u64;
        d2 ^= f(d1, sig[2]);
        d1 ^= f(d2, sig[3]);
        let mut ka = (u128::from(d1) << 64) | u128::from(d2);
        d = ka ^ kr;
        (d1, d2) = ((d >> 64) as u64, d as u64);
        d2 ^= f(d1, sig[4]);
        d1 ^= f(d2, sig[5]);
        let mut kb = (u128::from(d1) << 64) | u128::from(d2);

        let mut rk = RoundKeys {
            kw: [0; 4],
            k: [0; 24],
            ke: [0; 6],
            rounds: 18,
        };
        // Written out (`picks!`), so that every rotation is by a constant: a loop over the
        // tables rotated by a variable amount and dispatched on the source per subkey, a
        // large part of `Camellia_set_key`'s time.
        macro_rules! picks {
            ($dst:expr, $tab:expr, [$($i:literal),*]) => {
                $( $dst[$i] = pick($tab[$i], kl, kr, ka, kb); )*
            };
        }
        if key.len() == 16 {
            picks!(rk.kw, KW_128, [0, 1, 2, 3]);
            picks!(
                rk.k,
                K_128,
                [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
            );
            picks!(rk.ke, KE_128, [0, 1, 2, 3]);
        } else {
            rk.rounds = 24;
            picks!(rk.kw, KW_256, [0, 1, 2, 3]);
            picks!(
                rk.k,
                K_256,
                [
                    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                    22, 23
                ]
            );
            picks!(rk.ke, KE_256, [0, 1, 2, 3, 4, 5]);
        }
        for v in [&mut kl, &mut kr, &mut ka, &mut kb, &mut d] {
            v.zeroize();
        }
        d1.zeroize();
        d2.zeroize();
        rk
    }

    /// The schedule that runs the same network backwards (RFC 3713 §2.3.3): whitening
    /// pairs swapped, round keys and FL keys reversed.
    pub(crate) fn inverse(&self) -> RoundKeys {
        let n = self.rounds;
        let fl = n / 3 - 2;
        let mut inv = RoundKeys {
            kw: [0; 4],
            k: [0; 24],
            ke: [0; 6],
            rounds: n,
        };
        inv.kw = [self.kw[2], self.kw[3], self.kw[0], self.kw[1]];
        for i in 0..n {
            inv.k[i] = self.k[n - 1 - i];
        }
        for i in 0..fl {
            inv.ke[i] = self.ke[fl - 1 - i];
        }
        inv
    }

    /// The FL-layer keys used before round `r` (r = 6, 12, 18), if any.
    #[inline(always)]
    pub(crate) fn fl_keys(&self, r: usize) -> Option<(u64, u64)> {
        if r > 0 && r.is_multiple_of(6) && r < self.rounds {
            let i = (r / 6 - 1) * 2;
            Some((self.ke[i], self.ke[i + 1]))
        } else {
            None
        }
    }
}

/// FL (RFC 3713 §2.4.2): constant-time by construction (AND, OR, XOR, fixed rotation).
#[inline(always)]
pub(crate) fn fl(x: u64, k: u64) -> u64 {
    let (mut x1, mut x2) = ((x >> 32) as u32, x as u32);
    let (k1, k2) = ((k >> 32) as u32, k as u32);
    x2 ^= (x1 & k1).rotate_left(1);
    x1 ^= x2 | k2;
    (u64::from(x1) << 32) | u64::from(x2)
}

/// FL⁻¹ (RFC 3713 §2.4.3).
#[inline(always)]
pub(crate) fn fl_inv(y: u64, k: u64) -> u64 {
    let (mut y1, mut y2) = ((y >> 32) as u32, y as u32);
    let (k1, k2) = ((k >> 32) as u32, k as u32);
    y1 ^= y2 | k2;
    y2 ^= (y1 & k1).rotate_left(1);
    (u64::from(y1) << 32) | u64::from(y2)
}

/// Runs the whole network (RFC 3713 §2.3.2) on `L` independent blocks at once, with the
/// F-function `f`. With `L > 1` the blocks' rounds interleave, which hides the latency of
/// one F behind another's. Decryption is this function with the [`RoundKeys::inverse`]
/// schedule.
#[inline(always)]
pub(crate) fn crypt_lanes<const LANES: usize>(
    rk: &RoundKeys,
    blocks: &mut [[u8; 16]],
    f: impl Fn(u64, u64) -> u64,
) {
    debug_assert_eq!(blocks.len(), LANES);
    let mut d1 = [0u64; LANES];
    let mut d2 = [0u64; LANES];
    for i in 0..LANES {
        let v = u128::from_be_bytes(blocks[i]);
        d1[i] = (v >> 64) as u64 ^ rk.kw[0];
        d2[i] = v as u64 ^ rk.kw[1];
    }
    let mut r = 0;
    while r < rk.rounds {
        if let Some((ka, kb)) = rk.fl_keys(r) {
            for i in 0..LANES {
                d1[i] = fl(d1[i], ka);
                d2[i] = fl_inv(d2[i], kb);
            }
        }
        for i in 0..LANES {
            d2[i] ^= f(d1[i], rk.k[r]);
        }
        for i in 0..LANES {
            d1[i] ^= f(d2[i], rk.k[r + 1]);
        }
        r += 2;
    }
    for i in 0..LANES {
        d2[i] ^= rk.kw[2];
        d1[i] ^= rk.kw[3];
        blocks[i] = ((u128::from(d2[i]) << 64) | u128::from(d1[i])).to_be_bytes();
    }
    d1.zeroize();
    d2.zeroize();
}
