//! x86-64 SIMD backends: byte-sliced Camellia with the S-boxes computed by GFNI or AES-NI.
//! This module and `ffi/` are the only places in the crate with `unsafe`.
//!
//! | backend | needs | bulk batch | S-box per plane |
//! |---|---|---|---|
//! | [`GfniAvx512`] | AVX-512F/BW/VL, GFNI | 64 blocks in zmm | `vgf2p8affineqb` + `vgf2p8affineinvqb` |
//! | [`GfniAvx2`] | AVX2, GFNI | 32 blocks in ymm | the same on ymm |
//! | [`AesniAvx2`] | AVX2, AES-NI | 32 blocks in ymm | nibble filters around `aesenclast` (`vaesenclast ymm` with VAES) |
//!
//! - **Byte slicing** ([`sliced`], [`width`], [`gfni`], [`aesni`]): a batch is transposed
//!   into 16 byte planes, the rounds run on the planes (key bytes broadcast from the rows
//!   of [`keys`], S-boxes per plane, P and FL as plane XORs, ANDs and ORs), and the planes
//!   are transposed back. A tail that does not fill a batch goes into the narrowest batch
//!   that holds it (64, 32 or 16 blocks), one block per 128-bit lane and zeros in the
//!   rest, so its cost depends only on its length and the data is never copied out of the
//!   caller's buffer but into registers.
//! - **CTR** (`bulk_ctr`, [`sliced::ctr_batches`]) makes its counter blocks in registers —
//!   as byte planes directly where only the last two bytes change within a batch, which
//!   saves the first transpose — and XORs the keystream into the data right after the
//!   transpose back; batches across a 64-bit carry or a 32-bit wrap, and a last partial
//!   batch, go through an exact buffered path.
//! - **One to four blocks** ([`single`]) take a path whose latency is short: the 64-bit
//!   halves stay in xmm registers with the next round key folded in, and one F-function
//!   is two GFNI instructions per pair of S-box kinds (or two nibble filters around one
//!   `aesenclast`) and eight byte shuffles. The key schedule uses the same F, so
//!   `Camellia*::new` never touches a table.
//! - The S-box matrices and tables ([`sbox`]) are computed at compile time and tested
//!   exhaustively.
//!
//! Constant time: no instruction here has a data-dependent latency on the CPUs that
//! have these extensions (vector logic, shuffles with data as the *selector* only inside
//! a register, `aesenclast`, GFNI), there is no branch or address computed from data, and
//! the batch a tail takes depends only on its length.
//!
//! Each backend is a zero-sized proof that the CPU has what it needs: only `detect`
//! makes one, after `cpufeatures` (and, for GFNI and VAES outside AVX-512, CPUID leaf 7)
//! has said so. Its methods call the `#[target_feature]` entry points below, compiled
//! for exactly those features. Valgrind (the constant-time harness, DESIGN §9) hides
//! AVX-512, GFNI and VAES from CPUID, so under it only [`AesniAvx2`] on AES-NI is listed.

/// Straight-line code without closures or loops. The hot network must be straight-line
/// code for the planes to stay in registers: LLVM does not always unroll a loop over an
/// array of vectors, nor always inline a closure called many times; and a closure it
/// does not inline is compiled without the entry point's target features, so every
/// vector operation in it becomes a call. These macros write the expression out.
///
/// `map4!(|i| e)` is `[e with i = 0, .., e with i = 3]`; `map8!`, `map16!` likewise.
macro_rules! unroll {
    ([$($n:literal),*], |$i:ident| $e:expr) => {
        [$({
            let $i: usize = $n;
            $e
        }),*]
    };
}

macro_rules! map4 {
    (|$i:ident| $e:expr) => {
        unroll!([0, 1, 2, 3], |$i| $e)
    };
}

macro_rules! map8 {
    (|$i:ident| $e:expr) => {
        unroll!([0, 1, 2, 3, 4, 5, 6, 7], |$i| $e)
    };
}

macro_rules! map16 {
    (|$i:ident| $e:expr) => {
        unroll!(
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
            |$i| $e
        )
    };
}

/// `for16!(i => body)` runs `body` with `i` = 0, 1, .., 15, written out.
macro_rules! for16 {
    ($i:ident => $body:expr) => {
        for16!(@ $i => $body; 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    };
    (@ $i:ident => $body:expr; $($n:literal),*) => {
        $({
            let $i: usize = $n;
            $body;
        })*
    };
}

mod aesni;
mod fast;
mod gfni;
pub(crate) mod ghash;
mod keys;
mod sbox;
mod single;
mod sliced;
mod width;

use core::sync::atomic::{AtomicU64, Ordering};

use super::Backend;
use super::key_schedule::RoundKeys;
use super::modes::CtrFlavor;
use super::modes::ctr::{blocks_without_carry, step_by};
use keys::SlicedKeys;

// AVX2 too: the AVX-512 backend runs its tails through the ymm (`Ymm<Gfni>`) code, and
// AVX-512F does not guarantee the AVX2 CPUID bit (issue 18).
cpufeatures::new!(
    cpuid_avx512_gfni,
    "avx512f",
    "avx512bw",
    "avx512vl",
    "gfni",
    "avx2"
);
cpufeatures::new!(cpuid_avx2, "avx2");
cpufeatures::new!(cpuid_avx2_aes, "avx2", "aes", "sse4.1");

/// ECX of CPUID leaf 7 (sub-leaf 0), read once: the GFNI (bit 8), VAES (bit 9) and
/// VPCLMULQDQ (bit 10) flags. `cpufeatures` ties all three to the AVX-512 register state,
/// but they also come on CPUs without AVX-512 (Alder Lake has GFNI, Zen 3 VAES and
/// VPCLMULQDQ) and there need only the ymm state, which [`cpuid_avx2`] checks.
fn leaf7_ecx() -> u32 {
    static CACHE: AtomicU64 = AtomicU64::new(u64::MAX);
    let v = CACHE.load(Ordering::Relaxed);
    if v != u64::MAX {
        return v as u32;
    }
    use core::arch::x86_64::{__cpuid, __cpuid_count};
    let ecx = if __cpuid(0).eax >= 7 {
        __cpuid_count(7, 0).ecx
    } else {
        0
    };
    CACHE.store(u64::from(ecx), Ordering::Relaxed);
    ecx
}

const LEAF7_GFNI: u32 = 1 << 8;
const LEAF7_VAES: u32 = 1 << 9;
const LEAF7_VPCLMULQDQ: u32 = 1 << 10;

// Both checks ask `cpufeatures` first: it answers `false` without executing CPUID where
// CPUID is not available (SGX enclaves), so `leaf7_ecx` never runs there.
fn has_gfni_avx2() -> bool {
    cpuid_avx2::get() && leaf7_ecx() & LEAF7_GFNI != 0
}

fn has_vaes_avx2() -> bool {
    cpuid_avx2_aes::get() && leaf7_ecx() & LEAF7_VAES != 0
}

cpufeatures::new!(cpuid_avx2_pclmul, "avx2", "pclmulqdq");

/// VPCLMULQDQ on ymm (GHASH two blocks per instruction): AVX2 and PCLMULQDQ through
/// `cpufeatures`, the VPCLMULQDQ bit from [`leaf7_ecx`]. (Asking `cpufeatures` for
/// "vpclmulqdq" answers `false` on every CPU without AVX-512, Zen 3 included.)
pub(crate) fn has_vpclmul_avx2() -> bool {
    cpuid_avx2_pclmul::get() && leaf7_ecx() & LEAF7_VPCLMULQDQ != 0
}

/// Up to this many blocks, `crypt_blocks` takes the one-block path (four blocks
/// interleaved) instead of a padded byte-sliced batch.
const FEW: usize = 4;

/// One batch width's entry point: runs `sliced::crypt_batch` on up to its width of blocks.
type Batch<'a> = &'a dyn Fn(&SlicedKeys, &mut [[u8; 16]]);

/// The bulk path every backend shares: batches of `widths[0].0` blocks, and a last partial
/// batch in the narrowest width that holds it (its missing blocks are zeros in
/// registers), or through `few` if it has at most [`FEW`] blocks. `widths` is widest
/// first. Every caller has AVX2.
fn bulk(
    rk: &RoundKeys,
    blocks: &mut [[u8; 16]],
    widths: &[(usize, Batch<'_>)],
    few: &dyn Fn(&mut [[u8; 16]]),
) {
    if blocks.len() <= FEW {
        few(blocks);
        return;
    }
    let keys = sliced_keys(rk);
    for c in blocks.chunks_mut(widths[0].0) {
        one_batch(&keys, c, widths, few);
    }
}

/// The byte-sliced key rows of `rk`.
fn sliced_keys(rk: &RoundKeys) -> SlicedKeys {
    let mut keys = SlicedKeys::zeroed(rk);
    // SAFETY: every backend of this module, and so every caller, has AVX2.
    unsafe { keys::fill(&mut keys, rk) };
    keys
}

/// At most `widths[0].0` blocks: through `few` if they are at most [`FEW`], else in the
/// narrowest width that holds them.
fn one_batch(
    keys: &SlicedKeys,
    c: &mut [[u8; 16]],
    widths: &[(usize, Batch<'_>)],
    few: &dyn Fn(&mut [[u8; 16]]),
) {
    if c.len() <= FEW {
        few(c);
        return;
    }
    let mut pick = widths[0];
    for &w in widths {
        if w.0 >= c.len() {
            pick = w;
        }
    }
    (pick.1)(keys, c);
}

/// One width's fused CTR entry point on whole batches (`sliced::ctr_batches`).
type CtrBatches<'a> = &'a dyn Fn(&SlicedKeys, u128, &mut [[u8; 16]]);

/// CTR over whole blocks for every backend (see `BlockCipher::ctr_xor_blocks`): runs of
/// whole `widths[0].0`-block batches whose counter blocks differ from the first only in
/// the low 64 bits, without carry, go through `fused` (counter blocks made in registers,
/// keystream XORed into the data); the rest — a last partial batch, or a batch across a
/// carry out of the low 64 bits (`Be128`) or a 32-bit wrap (`Be32`) — has its counter
/// blocks written exactly, one at a time, into a stack batch that [`one_batch`]
/// encrypts and that is XORed into the data and wiped.
///
/// The counter is public (it is the IV), so the choice of path depends on public values
/// and lengths only.
fn bulk_ctr(
    rk: &RoundKeys,
    counter: &mut u128,
    flavor: CtrFlavor,
    blocks: &mut [[u8; 16]],
    fused: CtrBatches<'_>,
    widths: &[(usize, Batch<'_>)],
    few: &dyn Fn(&mut [[u8; 16]]),
) {
    if blocks.is_empty() {
        return;
    }
    let width = widths[0].0;
    let keys = sliced_keys(rk);
    let mut rest = blocks;
    while !rest.is_empty() {
        let c = *counter;
        let fit = usize::try_from(blocks_without_carry(c, flavor)).unwrap_or(usize::MAX);
        let n = rest.len().min(fit) / width * width;
        if n > 0 {
            let (now, later) = rest.split_at_mut(n);
            fused(&keys, c, now);
            *counter = step_by(c, n as u64, flavor);
            rest = later;
            continue;
        }
        let mut batch = [[0u8; 16]; 64];
        let take = rest.len().min(width);
        let (now, later) = rest.split_at_mut(take);
        for b in &mut batch[..take] {
            *b = counter.to_be_bytes();
            *counter = step_by(*counter, 1, flavor);
        }
        one_batch(&keys, &mut batch[..take], widths, few);
        for (d, k) in now.iter_mut().zip(&batch) {
            *d = (u128::from_ne_bytes(*d) ^ u128::from_ne_bytes(*k)).to_ne_bytes();
        }
        crate::ct::wipe_blocks(&mut batch[..take]);
        rest = later;
    }
}

/// Defines the `#[target_feature]` entry points of one backend, in a module of their own:
/// one function per batch width (running `sliced::crypt_batch` on the width's token, for
/// a whole or a partial batch), one for fused CTR on whole batches of the widest width
/// (`sliced::ctr_batches`), `few`
/// (1 to [`FEW`] blocks at a time through the one-block path) and `expand` (the key
/// schedule with the one-block F). Calling any of them is sound only where `$features` are
/// present, which is what makes the tokens made inside sound: each token's requirements
/// are a subset of `$features`.
macro_rules! entry_points {
    (
        $name:ident,
        $features:literal,
        $(one = $one:ty,)?
        batches = [$($f:ident: $tok:ty),+ $(,)?],
        ctr = $cf:ident: $ctok:ty $(,)?
    ) => {
        mod $name {
            #[allow(unused_imports)]
            use super::super::key_schedule::RoundKeys;
            #[allow(unused_imports)]
            use super::single;
            use super::keys::SlicedKeys;
            use super::sliced::{crypt_batch, ctr_batches};
            #[allow(unused_imports)]
            use super::width::{Aes, Gfni, GfniVl, Vaes, Xmm, Ymm, Zmm};

            $(
                #[target_feature(enable = $features)]
                pub(super) fn $f(keys: &SlicedKeys, blocks: &mut [[u8; 16]]) {
                    // SAFETY: this function runs only where its target features are, and
                    // they include the token's requirements.
                    crypt_batch(unsafe { <$tok>::new() }, keys, blocks)
                }
            )+

            #[target_feature(enable = $features)]
            pub(super) fn $cf(keys: &SlicedKeys, counter: u128, blocks: &mut [[u8; 16]]) {
                // SAFETY: as above.
                ctr_batches(unsafe { <$ctok>::new() }, keys, counter, blocks)
            }

            $(
                #[target_feature(enable = $features)]
                pub(super) fn few(rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
                    // SAFETY: as above.
                    let t = unsafe { <$one>::new() };
                    for c in blocks.chunks_mut(super::FEW) {
                        match c.len() {
                            1 => single::crypt_lanes::<_, 1>(t, rk, c),
                            2 => single::crypt_lanes::<_, 2>(t, rk, c),
                            3 => single::crypt_lanes::<_, 3>(t, rk, c),
                            _ => single::crypt_lanes::<_, 4>(t, rk, c),
                        }
                    }
                }

                #[target_feature(enable = $features)]
                pub(super) fn expand(key: &[u8]) -> RoundKeys {
                    // SAFETY: as above.
                    let t = unsafe { <$one>::new() };
                    RoundKeys::expand(key, |x, k| single::f_u64(t, x, k))
                }
            )?
        }
    };
}

entry_points!(
    avx512,
    "avx512f,avx512bw,avx512vl,gfni,avx2",
    one = Xmm<GfniVl>,
    batches = [zmm: Zmm<Gfni>, ymm: Ymm<Gfni>, xmm: Xmm<Gfni>],
    ctr = zmm_ctr: Zmm<Gfni>,
);
entry_points!(
    gfni_avx2,
    "avx2,gfni",
    one = Xmm<Gfni>,
    batches = [ymm: Ymm<Gfni>, xmm: Xmm<Gfni>],
    ctr = ymm_ctr: Ymm<Gfni>,
);
entry_points!(
    aes_avx2,
    "avx2,aes",
    one = Xmm<Aes>,
    batches = [ymm: Ymm<Aes>, xmm: Xmm<Aes>],
    ctr = ymm_ctr: Ymm<Aes>,
);
/// The one-block AES-NI path of [`fast`], for one call's block.
mod aes_one {
    use super::fast;

    /// Encrypts one block with the schedule (or decrypts with an inverse schedule).
    #[target_feature(enable = "avx2,aes")]
    pub(super) fn enc(kw: &[u64; 4], k: &[u64; 24], ke: &[u64; 6], n: usize, b: &mut [u8; 16]) {
        // SAFETY: AVX2 (so SSE4.1, SSSE3) and AES-NI are enabled here.
        unsafe { fast::crypt::<false>(kw, k, ke, n, b) }
    }

    /// Decrypts one block with the encryption schedule, walked backwards.
    #[target_feature(enable = "avx2,aes")]
    pub(super) fn dec(kw: &[u64; 4], k: &[u64; 24], ke: &[u64; 6], n: usize, b: &mut [u8; 16]) {
        // SAFETY: as above.
        unsafe { fast::crypt::<true>(kw, k, ke, n, b) }
    }
}

entry_points!(
    vaes_avx2,
    "avx2,vaes",
    batches = [ymm: Ymm<Vaes>],
    ctr = ymm_ctr: Ymm<Vaes>,
);

// ---------------------------------------------------------------------------- the backends

/// GFNI on AVX-512: 64 blocks per batch in zmm registers (tails in ymm/xmm with the
/// AVX-512VL encodings), one to four blocks through GFNI on xmm.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GfniAvx512(());

impl GfniAvx512 {
    pub(crate) fn detect() -> Option<Self> {
        cpuid_avx512_gfni::get().then_some(GfniAvx512(()))
    }

    pub(crate) fn expand(self, key: &[u8]) -> RoundKeys {
        // SAFETY: `self` proves AVX-512F/BW/VL and GFNI (`detect`).
        unsafe { avx512::expand(key) }
    }

    pub(crate) fn crypt_block(self, rk: &RoundKeys, block: &mut [u8; 16]) {
        // SAFETY: `self` proves AVX-512F/BW/VL and GFNI (`detect`).
        unsafe { avx512::few(rk, core::slice::from_mut(block)) }
    }

    /// Hands `run` this backend's batch widths, short path and fused CTR batch.
    fn paths<R>(self, rk: &RoundKeys, run: impl FnOnce(Paths<'_>) -> R) -> R {
        // SAFETY (every closure): `self` proves AVX-512F/BW/VL and GFNI (`detect`).
        run(Paths {
            widths: &[
                (64, &|k, b| unsafe { avx512::zmm(k, b) }),
                (32, &|k, b| unsafe { avx512::ymm(k, b) }),
                (16, &|k, b| unsafe { avx512::xmm(k, b) }),
            ],
            few: &|b| unsafe { avx512::few(rk, b) },
            fused: &|k, c, b| unsafe { avx512::zmm_ctr(k, c, b) },
        })
    }
}

/// GFNI on AVX2: 32 blocks per batch in ymm registers, one to four blocks through GFNI
/// on xmm. For CPUs with GFNI but without AVX-512.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GfniAvx2(());

impl GfniAvx2 {
    pub(crate) fn detect() -> Option<Self> {
        has_gfni_avx2().then_some(GfniAvx2(()))
    }

    pub(crate) fn expand(self, key: &[u8]) -> RoundKeys {
        // SAFETY: `self` proves AVX2 and GFNI (`detect`).
        unsafe { gfni_avx2::expand(key) }
    }

    pub(crate) fn crypt_block(self, rk: &RoundKeys, block: &mut [u8; 16]) {
        // SAFETY: `self` proves AVX2 and GFNI (`detect`).
        unsafe { gfni_avx2::few(rk, core::slice::from_mut(block)) }
    }

    /// Hands `run` this backend's batch widths, short path and fused CTR batch.
    fn paths<R>(self, rk: &RoundKeys, run: impl FnOnce(Paths<'_>) -> R) -> R {
        // SAFETY (every closure): `self` proves AVX2 and GFNI (`detect`).
        run(Paths {
            widths: &[
                (32, &|k, b| unsafe { gfni_avx2::ymm(k, b) }),
                (16, &|k, b| unsafe { gfni_avx2::xmm(k, b) }),
            ],
            few: &|b| unsafe { gfni_avx2::few(rk, b) },
            fused: &|k, c, b| unsafe { gfni_avx2::ymm_ctr(k, c, b) },
        })
    }
}

/// AES-NI on AVX2: 32 blocks per batch in ymm registers, `aesenclast` on each 128-bit
/// lane (or `vaesenclast ymm` where the CPU has VAES); one to four blocks through AES-NI
/// on xmm.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AesniAvx2 {
    vaes: bool,
}

impl AesniAvx2 {
    pub(crate) fn detect() -> Option<Self> {
        cpuid_avx2_aes::get().then(|| AesniAvx2 {
            vaes: has_vaes_avx2(),
        })
    }

    pub(crate) fn expand(self, key: &[u8]) -> RoundKeys {
        // SAFETY: `self` proves AVX2, AES-NI and SSE4.1 (`detect`).
        unsafe { aes_avx2::expand(key) }
    }

    pub(crate) fn crypt_block(self, rk: &RoundKeys, block: &mut [u8; 16]) {
        // SAFETY: `self` proves AVX2, AES-NI and SSE4.1 (`detect`).
        unsafe { aes_one::enc(&rk.kw, &rk.k, &rk.ke, rk.rounds, block) }
    }

    /// One block with an encryption schedule given as its parts: encrypted, or decrypted
    /// (`dec`) by walking the schedule backwards.
    pub(crate) fn crypt_block_parts(
        self,
        kw: &[u64; 4],
        k: &[u64; 24],
        ke: &[u64; 6],
        rounds: usize,
        dec: bool,
        block: &mut [u8; 16],
    ) {
        // SAFETY: `self` proves AVX2, AES-NI and SSE4.1 (`detect`).
        unsafe {
            if dec {
                aes_one::dec(kw, k, ke, rounds, block)
            } else {
                aes_one::enc(kw, k, ke, rounds, block)
            }
        }
    }

    /// Hands `run` this backend's batch widths, short path and fused CTR batch (VAES's
    /// `vaesenclast ymm` for the 32-block batch where the CPU has it).
    fn paths<R>(self, rk: &RoundKeys, run: impl FnOnce(Paths<'_>) -> R) -> R {
        // SAFETY (every closure): `self` proves AVX2, AES-NI and SSE4.1, and VAES when
        // `self.vaes` (`detect`).
        let (ymm, fused): (Batch<'_>, CtrBatches<'_>) = if self.vaes {
            (&|k, b| unsafe { vaes_avx2::ymm(k, b) }, &|k, c, b| unsafe {
                vaes_avx2::ymm_ctr(k, c, b)
            })
        } else {
            (&|k, b| unsafe { aes_avx2::ymm(k, b) }, &|k, c, b| unsafe {
                aes_avx2::ymm_ctr(k, c, b)
            })
        };
        run(Paths {
            widths: &[(32, ymm), (16, &|k, b| unsafe { aes_avx2::xmm(k, b) })],
            few: &|b| unsafe { aes_avx2::few(rk, b) },
            fused,
        })
    }
}

/// A backend's code paths, as [`bulk`] and [`bulk_ctr`] take them: whole batches by
/// width (widest first), the 1–[`FEW`]-block path, and the fused CTR batch of the widest
/// width.
struct Paths<'a> {
    widths: &'a [(usize, Batch<'a>)],
    few: &'a dyn Fn(&mut [[u8; 16]]),
    fused: CtrBatches<'a>,
}

macro_rules! bulk_methods {
    ($($backend:ident),*) => {$(
        impl $backend {
            pub(crate) fn crypt_blocks(self, rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
                self.paths(rk, |p| bulk(rk, blocks, p.widths, p.few))
            }

            pub(crate) fn ctr_xor(
                self,
                rk: &RoundKeys,
                counter: &mut u128,
                flavor: CtrFlavor,
                blocks: &mut [[u8; 16]],
            ) {
                self.paths(rk, |p| bulk_ctr(rk, counter, flavor, blocks, p.fused, p.widths, p.few))
            }
        }
    )*};
}

bulk_methods!(GfniAvx512, GfniAvx2, AesniAvx2);

/// One of the backends of this module, holding the proof that this CPU runs it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Simd {
    GfniAvx512(GfniAvx512),
    GfniAvx2(GfniAvx2),
    AesniAvx2(AesniAvx2),
}

impl Simd {
    /// The backend `b` names, if it is one of this module's and this CPU runs it.
    pub(crate) fn new(b: Backend) -> Option<Simd> {
        match b {
            Backend::GfniAvx512 => GfniAvx512::detect().map(Simd::GfniAvx512),
            Backend::GfniAvx2 => GfniAvx2::detect().map(Simd::GfniAvx2),
            Backend::AesniAvx2 => AesniAvx2::detect().map(Simd::AesniAvx2),
            _ => None,
        }
    }

    /// Expands a 16-, 24- or 32-byte key (checked by the caller).
    pub(crate) fn expand(self, key: &[u8]) -> RoundKeys {
        match self {
            Simd::GfniAvx512(b) => b.expand(key),
            Simd::GfniAvx2(b) => b.expand(key),
            Simd::AesniAvx2(b) => b.expand(key),
        }
    }

    /// Runs the network on one block.
    pub(crate) fn crypt_block(self, rk: &RoundKeys, block: &mut [u8; 16]) {
        match self {
            Simd::GfniAvx512(b) => b.crypt_block(rk, block),
            Simd::GfniAvx2(b) => b.crypt_block(rk, block),
            Simd::AesniAvx2(b) => b.crypt_block(rk, block),
        }
    }

    /// Runs the network on independent blocks.
    pub(crate) fn crypt_blocks(self, rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
        match self {
            Simd::GfniAvx512(b) => b.crypt_blocks(rk, blocks),
            Simd::GfniAvx2(b) => b.crypt_blocks(rk, blocks),
            Simd::AesniAvx2(b) => b.crypt_blocks(rk, blocks),
        }
    }

    /// CTR over whole blocks, fused (see `BlockCipher::ctr_xor_blocks`).
    pub(crate) fn ctr_xor(
        self,
        rk: &RoundKeys,
        counter: &mut u128,
        flavor: CtrFlavor,
        blocks: &mut [[u8; 16]],
    ) {
        match self {
            Simd::GfniAvx512(b) => b.ctr_xor(rk, counter, flavor, blocks),
            Simd::GfniAvx2(b) => b.ctr_xor(rk, counter, flavor, blocks),
            Simd::AesniAvx2(b) => b.ctr_xor(rk, counter, flavor, blocks),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    /// Issue 18: the AVX-512 backend called AVX2 (ymm) code without checking the AVX2 bit.
    /// No CPU here lacks AVX2 beside AVX-512, so this checks the source itself: every
    /// entry point's target features must be checked by its backend's detection, and an
    /// entry point that uses a ymm token must name AVX2.
    #[test]
    fn detection_covers_every_target_feature() {
        let src = include_str!("mod.rs");
        let features = |from: &str| -> Vec<&str> {
            let s = &src[src.find(from).unwrap() + from.len()..];
            s[..s.find(')').unwrap()]
                .split(',')
                .map(|f| f.trim().trim_matches('"'))
                .filter(|f| !f.is_empty())
                .collect()
        };
        let detected = features("cpufeatures::new!(\n    cpuid_avx512_gfni,");
        let at = src.find("entry_points!(\n    avx512,\n").unwrap();
        let entry = &src[at..at + src[at..].find(");").unwrap()];
        let enabled: Vec<&str> = entry
            .lines()
            .nth(2)
            .unwrap()
            .trim()
            .trim_matches(|c| c == '"' || c == ',')
            .split(',')
            .collect();
        for f in &enabled {
            assert!(detected.contains(f), "{f} is enabled but not detected");
        }
        assert!(
            entry.contains("Ymm<"),
            "the AVX-512 entry points use ymm tokens"
        );
        assert!(enabled.contains(&"avx2"), "ymm code needs AVX2");
    }

    use std::println;
    use std::vec::Vec;

    use super::super::soft::table;
    use super::*;

    /// Every way this module can run a schedule: name, key expansion, one block, bulk.
    type Expand = fn(&[u8]) -> RoundKeys;
    type One = fn(&RoundKeys, &mut [u8; 16]);
    type Bulk = fn(&RoundKeys, &mut [[u8; 16]]);

    fn engines() -> Vec<(&'static str, Expand, One, Bulk)> {
        let mut v: Vec<(&'static str, Expand, One, Bulk)> = Vec::new();
        match GfniAvx512::detect() {
            Some(_) => v.push((
                "gfni_avx512",
                |k| GfniAvx512::detect().unwrap().expand(k),
                |rk, b| GfniAvx512::detect().unwrap().crypt_block(rk, b),
                |rk, b| GfniAvx512::detect().unwrap().crypt_blocks(rk, b),
            )),
            None => println!("note: no AVX-512 + GFNI here, GfniAvx512 not tested"),
        }
        match GfniAvx2::detect() {
            Some(_) => v.push((
                "gfni_avx2",
                |k| GfniAvx2::detect().unwrap().expand(k),
                |rk, b| GfniAvx2::detect().unwrap().crypt_block(rk, b),
                |rk, b| GfniAvx2::detect().unwrap().crypt_blocks(rk, b),
            )),
            None => println!("note: no AVX2 + GFNI here, GfniAvx2 not tested"),
        }
        match AesniAvx2::detect() {
            Some(_) => v.push((
                "aesni_avx2 (aesenclast per lane)",
                |k| AesniAvx2::detect().unwrap().expand(k),
                |rk, b| AesniAvx2::detect().unwrap().crypt_block(rk, b),
                |rk, b| AesniAvx2 { vaes: false }.crypt_blocks(rk, b),
            )),
            None => println!("note: no AVX2 + AES-NI here, AesniAvx2 not tested"),
        }
        match AesniAvx2::detect() {
            Some(AesniAvx2 { vaes: true }) => v.push((
                "aesni_avx2 (vaesenclast)",
                |k| AesniAvx2::detect().unwrap().expand(k),
                |rk, b| AesniAvx2::detect().unwrap().crypt_block(rk, b),
                |rk, b| AesniAvx2 { vaes: true }.crypt_blocks(rk, b),
            )),
            _ => println!("note: no VAES here, AesniAvx2's VAES path not tested"),
        }
        v
    }

    fn key(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(73) ^ seed)
            .collect()
    }

    fn data(n: usize) -> Vec<[u8; 16]> {
        (0..n)
            .map(|i| core::array::from_fn(|j| (i * 31 + j * 7 + (i >> 3)) as u8))
            .collect()
    }

    #[test]
    fn key_schedules_equal_the_table_backends() {
        for (name, expand, _, _) in engines() {
            for len in [16, 24, 32] {
                for seed in 0..8u8 {
                    let k = key(len, seed.wrapping_mul(37));
                    let (a, b) = (expand(&k), table::expand_vartime(&k));
                    assert_eq!(
                        (a.kw, a.k, a.ke, a.rounds),
                        (b.kw, b.k, b.ke, b.rounds),
                        "{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn rfc3713_appendix_a() {
        let hex = |s: &str| -> Vec<u8> {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                .collect()
        };
        let pt: [u8; 16] = hex(super::super::consts::RFC3713_PLAINTEXT)
            .try_into()
            .unwrap();
        for (name, expand, one, bulk) in engines() {
            for (k, c) in super::super::consts::RFC3713_APPENDIX_A {
                let ct: [u8; 16] = hex(c).try_into().unwrap();
                let enc = expand(&hex(k));
                let dec = enc.inverse();
                let mut x = pt;
                one(&enc, &mut x);
                assert_eq!(x, ct, "{name}, key {k}");
                one(&dec, &mut x);
                assert_eq!(x, pt, "{name}, key {k}");
                for n in [1, 5, 16, 17, 33, 64, 65] {
                    let mut m = std::vec![pt; n];
                    bulk(&enc, &mut m);
                    assert!(m.iter().all(|x| *x == ct), "{name}, key {k}, {n} blocks");
                    bulk(&dec, &mut m);
                    assert!(m.iter().all(|x| *x == pt), "{name}, key {k}, {n} blocks");
                }
            }
        }
    }

    /// 0..=200 blocks (every tail length of every batch width, several batches), every
    /// key size, both directions, one block at a time and in bulk.
    #[test]
    fn equal_to_the_table_backend_for_0_to_200_blocks() {
        let all = data(200);
        for (name, expand, one, bulk) in engines() {
            for len in [16, 24, 32] {
                let k = key(len, 0xa5);
                let enc = expand(&k);
                let reference = table::expand_vartime(&k);
                for rk_pair in [
                    (enc.clone(), reference.clone()),
                    (enc.inverse(), reference.inverse()),
                ] {
                    let (rk, rt) = rk_pair;
                    let mut want = all.clone();
                    table::crypt_blocks_vartime(&rt, &mut want);
                    for n in 0..=200 {
                        let mut got = all[..n].to_vec();
                        bulk(&rk, &mut got);
                        assert!(got == want[..n], "{name}, {len}-byte key, {n} blocks");
                    }
                    let mut got = all[..24].to_vec();
                    got.iter_mut().for_each(|b| one(&rk, b));
                    assert!(got == want[..24], "{name}, {len}-byte key, one block");
                }
            }
        }
    }

    /// Each batch width on its own, with full batches (the tails above reach the narrow
    /// widths only padded).
    #[test]
    fn every_batch_width_alone() {
        let k = key(32, 3);
        let rk = table::expand_vartime(&k);
        let keys = SlicedKeys::new_portable(&rk);
        let mut want = data(64);
        table::crypt_blocks_vartime(&rk, &mut want);
        let run = |name: &str, n: usize, f: &dyn Fn(&mut [[u8; 16]])| {
            let mut got = data(n);
            f(&mut got);
            assert!(got == want[..n], "{name}");
        };
        if GfniAvx512::detect().is_some() {
            // SAFETY (these three): AVX-512F/BW/VL and GFNI were just detected.
            run("avx512 zmm", 64, &|b| unsafe { avx512::zmm(&keys, b) });
            run("avx512 ymm", 32, &|b| unsafe { avx512::ymm(&keys, b) });
            run("avx512 xmm", 16, &|b| unsafe { avx512::xmm(&keys, b) });
        }
        if GfniAvx2::detect().is_some() {
            // SAFETY (these two): AVX2 and GFNI were just detected.
            run("gfni ymm", 32, &|b| unsafe { gfni_avx2::ymm(&keys, b) });
            run("gfni xmm", 16, &|b| unsafe { gfni_avx2::xmm(&keys, b) });
        }
        if let Some(a) = AesniAvx2::detect() {
            // SAFETY (these two): AVX2, AES-NI and SSE4.1 were just detected.
            run("aes ymm", 32, &|b| unsafe { aes_avx2::ymm(&keys, b) });
            run("aes xmm", 16, &|b| unsafe { aes_avx2::xmm(&keys, b) });
            if a.vaes {
                // SAFETY: AVX2 and VAES were just detected.
                run("vaes ymm", 32, &|b| unsafe { vaes_avx2::ymm(&keys, b) });
            }
        }
    }

    #[test]
    fn new_picks_the_fastest_constant_time_backend() {
        let forced = cfg!(any(
            tsubaki_backend = "gfni_avx512",
            tsubaki_backend = "gfni_avx2",
            tsubaki_backend = "aesni_avx2",
            tsubaki_backend = "bitsliced",
            tsubaki_backend = "table"
        ));
        if forced {
            println!("note: tsubaki_backend forces a backend, detection order not tested");
            return;
        }
        let best = Backend::available().find(|b| b.is_constant_time());
        assert_eq!(Some(Backend::detect()), best);
        let order: Vec<Backend> = Backend::ALL.to_vec();
        let rank = |b| order.iter().position(|&x| x == b).unwrap();
        assert!(rank(Backend::GfniAvx512) < rank(Backend::GfniAvx2));
        assert!(rank(Backend::GfniAvx2) < rank(Backend::AesniAvx2));
        assert!(rank(Backend::AesniAvx2) < rank(Backend::Bitsliced));
        if GfniAvx512::detect().is_some() {
            assert_eq!(Backend::detect(), Backend::GfniAvx512);
        }
    }

    #[test]
    fn detection_is_consistent() {
        // Each backend's requirements imply the next one's CPU state checks.
        if GfniAvx512::detect().is_some() {
            assert!(cpuid_avx2::get());
            assert!(leaf7_ecx() & LEAF7_GFNI != 0);
        }
        if GfniAvx2::detect().is_some() {
            assert!(cpuid_avx2::get());
        }
        for b in [Backend::GfniAvx512, Backend::GfniAvx2, Backend::AesniAvx2] {
            println!(
                "{b}: {}",
                if Simd::new(b).is_some() {
                    "available"
                } else {
                    "not available"
                }
            );
        }
    }
}
