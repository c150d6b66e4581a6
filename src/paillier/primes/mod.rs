//! Prime generation and primality testing for Paillier keys, constant-time on the primes
//! that are kept.
//!
//! # Generation
//!
//! Every candidate is drawn **fresh** from the RNG (no incremental search), so a rejected
//! candidate says nothing about the prime finally kept. The verdict on each candidate ("has
//! a small factor in block j of the sieve", "failed the base-2 Fermat test", "failed a
//! Miller–Rabin round") is declassified with [`crate::ct::declassify`] and the candidate
//! discarded (DESIGN §9). Everything computed on a candidate is constant-time, so the kept
//! prime went through the same code as any candidate that got as far. What an observer
//! learns is written in `SIDE-CHANNELS.md`: the number of candidates and how far each
//! discarded one got, nothing about the kept prime.
//!
//! A candidate of b bits (top two bits set) is made in three steps (`sieve`):
//! 1. **Built free of the smallest factors** (Joye, Paillier and Vaudenay, "Efficient
//!    generation of prime numbers", CHES 2000, in its CRT form): for every prime r of
//!    Π = 2·3·5·…·r_max < 2^(b−131) (primes up to about 620 for b = 1023) a residue a_r is
//!    drawn uniformly among those allowed, and q = Σ a_r·E_r + t·Π with the CRT basis E_r
//!    and a uniform multiple t that places q in [3·2^(b−2), 2^b). Allowed: a_r ≠ 0; for
//!    the q of a safe prime p = 2q + 1 also a_r ≠ (r − 1)/2, since r | 2q + 1 ⇔
//!    q ≡ (r − 1)/2 (mod r) — Wiener's combined sieve ("Safe prime generation with a
//!    combined sieve", eprint 2003/186). One candidate costs about 120 word-by-limb
//!    multiply-adds instead of the tens of fresh candidates a sieve would throw away.
//! 2. **Sieved** by the primes from there up to [`SIEVE_LIMIT`] (about 3,400 primes),
//!    with the same two conditions for safe primes: q mod m for products m < 2²⁷ of
//!    consecutive primes from a table of 2^(32j) mod m (32-bit chunks of q times table
//!    words, summed without overflow, one Barrett reduction), then q mod r by Barrett —
//!    multiplications only, no division with a secret operand. Verdicts are declassified
//!    once per block of 48 products, so a candidate with a small factor is dropped early.
//! 3. **Fermat's test to the base 2** ([`mr::fermat2`]: squarings and masked doublings, no
//!    table) on q, and for a safe prime then on p = 2q + 1.
//!
//! Then the full test:
//! - **Ordinary primes**: Miller–Rabin with uniformly random bases, the number of rounds
//!   from the average-case bound of Damgård, Landrock and Pomerance (1993) for random
//!   candidates: 6 rounds at 1024 bits, 4 at 1536, 3 at 2048, each for an error below
//!   2⁻¹²⁹ ([`mr::rounds_for_random`]; the bound holds for candidates conditioned on
//!   passing the sieve and the base-2 test too: the conditioning removes composites only,
//!   and every prime passes both).
//! - **Safe primes**: the q of p = 2q + 1 gets 64 rounds with random bases (Rabin's
//!   worst-case bound 4⁻⁶⁴ = 2⁻¹²⁸: the average-case bound is for uniformly random odd
//!   numbers, and a q for which 2q + 1 passed a test is not one), and p is then **proven**
//!   prime by Pocklington's criterion: p − 1 = 2q with q prime and q > √p, so p is prime
//!   if 2^(p−1) ≡ 1 (mod p) — the Fermat test already passed — and gcd(2² − 1, p) = 1,
//!   which the sieve ensures (q ≡ 2 mod 3).
//!
//! Speed: a 1024-bit safe prime needs about 190,000 random odd q on average; the
//! construction makes that about 3,200–3,800 candidates (3,209 measured over 20 primes),
//! of which about 1,460 survive the sieve and need a 1023-bit Fermat test. See
//! `BENCHMARKS.md` ("Prime generation").
//!
//! Generation fails with [`Error::RngFailure`] instead of running forever if the RNG
//! repeats itself (a candidate equal to the previous one, checked in constant time) or
//! after [`max_candidates`] candidates (more than 250 times the expected number).
//!
//! # Imported primes
//!
//! [`check_imported`]: Baillie–PSW — Miller–Rabin to the base 2 and the strong Lucas test
//! with Selfridge's parameters (`lucas`) — then [`IMPORT_RANDOM_ROUNDS`] Miller–Rabin
//! rounds with random bases (from the operating system under `std`; without `std` from an
//! HMAC_DRBG seeded with the number itself, which the party who chose the number can
//! predict, so there Baillie–PSW carries the weight). Worst case for a composite built to
//! pass: 4⁻³² = 2⁻⁶⁴ from the random rounds alone, on top of Baillie–PSW, for which no
//! pseudoprime is known. Constant-time; one declassified verdict per test.

mod drbg;
mod lucas;
pub(crate) mod mr;
mod sieve;

use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::KeyGenProgress;
use crate::Error;
use crate::bigint::Monty;
use crate::bigint::limbs::{self, eq_bit};
use crate::ct;

pub(crate) use drbg::HmacDrbg;

/// The largest prime of the residue sieve (step 2 of the module docs). A prime r in the
/// sieve costs about 35 cycles per candidate that reaches it (one table product per
/// 32-bit chunk once r·r′ no longer fits a group) and saves 2/r (safe) or 1/r of a
/// Fermat test of about a million cycles at 1024 bits: the gain flattens out near 2¹⁵–2¹⁶
/// (estimated from the kernel timings in BENCHMARKS.md; 2¹⁶ would save about 12% of the
/// Fermat tests for 8% more sieving).
pub(crate) const SIEVE_LIMIT: u32 = 1 << 15;

/// Random-base Miller–Rabin rounds for imported primes (after Baillie–PSW).
pub(crate) const IMPORT_RANDOM_ROUNDS: usize = 32;

/// The most candidates one prime search draws before it gives up with
/// [`Error::RngFailure`]: 2²⁰ for ordinary primes (the expected number is 60–130), 2²²
/// for safe primes (about 3,800 expected at 1024 bits, about 12,000 at 2048): with a
/// working generator, running out has probability below e⁻³⁰⁰.
pub(crate) fn max_candidates(safe: bool) -> u64 {
    if safe { 1 << 22 } else { 1 << 20 }
}

/// A random prime of exactly `bits` bits (top two bits set; `bits` a multiple of 64, at
/// least 256); with `safe`, a safe prime p = 2p′ + 1 with p′ prime too. `index` (0 or 1)
/// is passed to the progress callback, once per candidate and once when the prime is
/// found. [`Error::InvalidLength`] for an unsupported size; [`Error::RngFailure`] if the
/// RNG repeats itself or the search runs past [`max_candidates`].
pub(crate) fn random_prime<R: CryptoRng + ?Sized>(
    rng: &mut R,
    bits: usize,
    safe: bool,
    index: u8,
    progress: &mut dyn FnMut(KeyGenProgress),
) -> Result<Zeroizing<Vec<u64>>, Error> {
    search(rng, bits, safe, index, progress, &|| false)
}

/// [`random_prime`] that also gives up (with [`Error::RngFailure`]'s sibling: the caller
/// ignores the result) when `stop()` turns true — a sibling thread failed.
fn search<R: CryptoRng + ?Sized>(
    rng: &mut R,
    bits: usize,
    safe: bool,
    index: u8,
    progress: &mut dyn FnMut(KeyGenProgress),
    stop: &dyn Fn() -> bool,
) -> Result<Zeroizing<Vec<u64>>, Error> {
    if !bits.is_multiple_of(64) || !(256..=8192).contains(&bits) {
        return Err(Error::InvalidLength);
    }
    let cand_bits = if safe { bits - 1 } else { bits };
    let table = sieve::Sieve::new(cand_bits, safe, SIEVE_LIMIT);
    let rounds = mr::rounds_for_random(bits);
    let k = table.limbs();
    let mut previous = Zeroizing::new(alloc::vec![0u64; k]);
    let mut candidates = 0u64;
    while candidates < max_candidates(safe) {
        if stop() {
            return Err(Error::RngFailure);
        }
        candidates += 1;
        progress(KeyGenProgress::Candidate {
            prime: index,
            candidates,
        });
        let c = table.candidate(rng)?;
        // A generator that repeats itself would make this loop spin: refuse it.
        if ct::declassify_choice(subtle::Choice::from(eq_bit(&c, &previous) as u8)) {
            return Err(Error::RngFailure);
        }
        previous.copy_from_slice(&c);
        if !table.passes(&c) {
            continue;
        }
        let Some(ctx) = Monty::new_large(c.to_vec()) else {
            continue; // unreachable: candidates have their top two bits set
        };
        if !ct::declassify_choice(subtle::Choice::from(mr::fermat2(&ctx, &c) as u8)) {
            continue;
        }
        let p = if safe {
            // p = 2q + 1 (q < 2^(bits−1), so p fits the same limbs).
            let mut p = Zeroizing::new(c.to_vec());
            let mut carry = 1;
            for limb in p.iter_mut() {
                let top = *limb >> 63;
                *limb = (*limb << 1) | carry;
                carry = top;
            }
            let Some(ctx_p) = Monty::new_large(p.to_vec()) else {
                continue;
            };
            if !ct::declassify_choice(subtle::Choice::from(mr::fermat2(&ctx_p, &p) as u8)) {
                continue;
            }
            // q: 64 random-base rounds (worst case 2^-128); p: Pocklington (module docs).
            if !mr::random_bases(rng, &ctx, &c, mr::MR_ROUNDS_WORST_CASE) {
                continue;
            }
            p
        } else {
            if !mr::random_bases(rng, &ctx, &c, rounds) {
                continue;
            }
            c
        };
        progress(KeyGenProgress::PrimeFound {
            prime: index,
            candidates,
        });
        return Ok(p);
    }
    Err(Error::RngFailure)
}

/// Two primes (p, q), little-endian limbs, wiped on drop.
pub(crate) type PrimePair = (Zeroizing<Vec<u64>>, Zeroizing<Vec<u64>>);

/// Two primes of `half_bits` bits each (safe primes if `safe`), as [`random_prime`] with
/// indices 0 and 1. With the `std` feature two threads search together until they have
/// found two primes between them, each thread drawing from its own HMAC_DRBG seeded with
/// 48 bytes of `rng` (and its index as personalization); the progress callback runs on
/// the caller's thread. Without `std` (or if a thread cannot be started), one after the other from
/// `rng`. Nothing is checked about the pair (the caller applies its distance rule).
pub(crate) fn random_prime_pair<R: CryptoRng + ?Sized>(
    rng: &mut R,
    half_bits: usize,
    safe: bool,
    progress: &mut dyn FnMut(KeyGenProgress),
) -> Result<PrimePair, Error> {
    #[cfg(feature = "std")]
    {
        if let Some(pair) = threaded::pair(rng, half_bits, safe, progress) {
            return pair;
        }
    }
    let p = random_prime(rng, half_bits, safe, 0, progress)?;
    let q = random_prime(rng, half_bits, safe, 1, progress)?;
    Ok((p, q))
}

#[cfg(feature = "std")]
mod threaded {
    extern crate std;

    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Mutex, mpsc};
    use std::thread;

    use super::*;

    /// The two-thread search; `None` if a thread could not be started (the caller then
    /// searches sequentially; nothing was drawn from `rng` but the seeds).
    ///
    /// Both workers search until two primes are found between them, wherever they come
    /// from: the pair is ready after the second success of the two searches together,
    /// about the time one search needs for one prime on average, where one prime per
    /// worker waits for the slower of two searches (1.5 times that; the median drops by
    /// the same third). Every candidate is fresh from its worker's generator, so which
    /// worker found a prime, and when, says nothing about the prime.
    pub(super) fn pair<R: CryptoRng + ?Sized>(
        rng: &mut R,
        half_bits: usize,
        safe: bool,
        progress: &mut dyn FnMut(KeyGenProgress),
    ) -> Option<Result<PrimePair, Error>> {
        let mut seeds = Zeroizing::new([[0u8; 48]; 2]);
        for s in seeds.iter_mut() {
            rng.fill_bytes(s);
        }
        // Two equal seeds would give two equal primes: a broken generator.
        let same = subtle::ConstantTimeEq::ct_eq(&seeds[0][..], &seeds[1][..]);
        if ct::declassify_choice(same) {
            return Some(Err(Error::RngFailure));
        }
        // `stop`: two primes found, or a worker failed (then `error` says why).
        let stop = AtomicBool::new(false);
        let found: Mutex<Vec<Zeroizing<Vec<u64>>>> = Mutex::new(Vec::with_capacity(3));
        let error: Mutex<Option<Error>> = Mutex::new(None);
        thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<KeyGenProgress>();
            let mut started = 0;
            for index in 0..2u8 {
                let tx = tx.clone();
                let seed = Zeroizing::new(seeds[index as usize]);
                let (stop, found, error) = (&stop, &found, &error);
                let worker = move || {
                    let mut drbg = HmacDrbg::new(
                        seed.as_slice(),
                        &[b"tsubaki/paillier/prime-pair/v1".as_slice(), &[index]].concat(),
                    );
                    let mut report = |p: KeyGenProgress| {
                        let _ = tx.send(p);
                    };
                    let halt = || stop.load(Ordering::Relaxed);
                    while !halt() {
                        match search(&mut drbg, half_bits, safe, index, &mut report, &halt) {
                            Ok(p) => {
                                let mut primes = found.lock().unwrap_or_else(|e| e.into_inner());
                                primes.push(p);
                                if primes.len() >= 2 {
                                    stop.store(true, Ordering::Relaxed);
                                }
                            }
                            // Stopped because the pair is complete or the other worker
                            // failed: not an error of this one.
                            Err(_) if halt() => break,
                            Err(e) => {
                                let mut slot = error.lock().unwrap_or_else(|e| e.into_inner());
                                let _ = slot.get_or_insert(e);
                                stop.store(true, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                };
                match thread::Builder::new()
                    .name(std::format!("tsubaki-prime-{index}"))
                    .spawn_scoped(scope, worker)
                {
                    Ok(_) => started += 1,
                    Err(_) => {
                        stop.store(true, Ordering::Relaxed);
                        break;
                    }
                }
            }
            drop(tx);
            // Runs until every worker has dropped its sender (finished). The events are
            // renumbered for the pair: `prime` is 0 until the first prime is found, then
            // 1, and `candidates` counts both workers' candidates for that prime.
            let (mut which, mut count) = (0u8, 0u64);
            for msg in rx {
                match msg {
                    KeyGenProgress::Candidate { .. } if which < 2 => {
                        count += 1;
                        progress(KeyGenProgress::Candidate {
                            prime: which,
                            candidates: count,
                        });
                    }
                    KeyGenProgress::PrimeFound { .. } if which < 2 => {
                        progress(KeyGenProgress::PrimeFound {
                            prime: which,
                            candidates: count,
                        });
                        which += 1;
                        count = 0;
                    }
                    _ => {}
                }
            }
            if started < 2 {
                return None;
            }
            if let Some(e) = error.lock().ok().and_then(|mut e| e.take()) {
                return Some(Err(e));
            }
            let mut primes = core::mem::take(&mut *found.lock().unwrap_or_else(|e| e.into_inner()));
            // A third prime (both workers succeeded at once) is wiped with the vector.
            primes.truncate(2);
            let q = primes.pop();
            let p = primes.pop();
            Some(match (p, q) {
                (Some(p), Some(q)) => Ok((p, q)),
                _ => Err(Error::RngFailure),
            })
        })
    }
}

/// 1 if |p − q| ≥ 2^(half − 100) (FIPS 186-5 A.1.3's distance rule for primes of
/// `half` bits), constant-time: the top 100 bits of |p − q| are not all zero.
pub(crate) fn far_apart_bit(p: &[u64], q: &[u64], half: usize) -> u64 {
    let mut d = Zeroizing::new(p.to_vec());
    let borrow = limbs::sub_assign(&mut d, q);
    let mut neg = Zeroizing::new(alloc::vec![0u64; d.len()]);
    let _ = limbs::sub_assign(&mut neg, &d);
    limbs::select_assign(&mut d, &neg, limbs::mask_from_bit(borrow));
    let mut top = 0u64;
    for i in half - 100..half {
        top |= limbs::bit(&d, i);
    }
    top
}

/// The primality check of an imported prime w (context `ctx`): Baillie–PSW, then
/// [`IMPORT_RANDOM_ROUNDS`] random-base Miller–Rabin rounds (module docs). Constant-time;
/// the verdict of each test is declassified (a refused key is refused whatever failed).
pub(crate) fn check_imported(ctx: &Monty, w: &[u64]) -> bool {
    let bpsw = mr::small_base(ctx, w, 2) & lucas::strong_lucas(ctx, w);
    if !ct::declassify_choice(subtle::Choice::from(bpsw as u8)) {
        return false;
    }
    #[cfg(feature = "std")]
    let mut rng = crate::OsRng;
    #[cfg(not(feature = "std"))]
    let mut rng = {
        let mut seed = Zeroizing::new(alloc::vec![0u8; 8 * w.len()]);
        for (chunk, &limb) in seed.chunks_exact_mut(8).zip(w) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        HmacDrbg::new(&seed, b"tsubaki/paillier/import-bases/v1")
    };
    mr::random_bases(&mut rng, ctx, w, IMPORT_RANDOM_ROUNDS)
}

/// Big-endian bytes of a prime (for the public [`super::generate_prime`]).
pub(crate) fn to_be(p: &[u64]) -> Zeroizing<Vec<u8>> {
    let mut v = limbs::to_be_bytes(p, 8 * p.len());
    let out = Zeroizing::new(v.clone());
    v.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Always the same bytes.
    struct Constant;
    impl rand_core::TryRng for Constant {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(0x5a5a_5a5a)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(0x5a5a_5a5a_5a5a_5a5a)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.fill(0x5a);
            Ok(())
        }
    }
    impl rand_core::TryCryptoRng for Constant {}

    /// Regression (issue 18): a constant RNG made `random_prime` spin forever.
    #[test]
    fn constant_rng_fails_with_a_typed_error() {
        for safe in [false, true] {
            let mut n = 0u64;
            let r = random_prime(&mut Constant, 1024, safe, 0, &mut |_| n += 1);
            assert_eq!(r.unwrap_err(), Error::RngFailure);
            assert!(n <= 2, "gave up after {n} candidates");
        }
        let r = random_prime_pair(&mut Constant, 1024, true, &mut |_| {});
        assert_eq!(r.unwrap_err(), Error::RngFailure);
    }

    #[test]
    fn unsupported_sizes_are_refused() {
        for bits in [0, 100, 1000, 128] {
            let r = random_prime(&mut Constant, bits, false, 0, &mut |_| {});
            assert_eq!(r.unwrap_err(), Error::InvalidLength);
        }
    }

    /// A small safe prime and a small ordinary prime, checked with the import test
    /// (these sizes take milliseconds; no test waits for a full-size key).
    #[test]
    fn small_primes_are_prime() {
        let mut rng = HmacDrbg::new(b"small primes test seed, 48 bytes long........", b"");
        for safe in [false, true] {
            let mut found = 0;
            let p = random_prime(&mut rng, 256, safe, 1, &mut |e| {
                if let KeyGenProgress::PrimeFound { prime, .. } = e {
                    assert_eq!(prime, 1);
                    found += 1;
                }
            })
            .unwrap();
            assert_eq!(found, 1);
            assert_eq!(limbs::bits_vartime(&p), 256);
            assert_eq!(p[3] >> 62, 3);
            let ctx = Monty::new(p.to_vec()).unwrap();
            assert!(check_imported(&ctx, &p));
            if safe {
                let mut q = p.to_vec();
                let mut carry = 0;
                for limb in q.iter_mut().rev() {
                    let low = *limb & 1;
                    *limb = (*limb >> 1) | (carry << 63);
                    carry = low;
                }
                let ctx = Monty::new(q.clone()).unwrap();
                assert!(check_imported(&ctx, &q), "p' of a safe prime");
            }
        }
    }

    /// The pair search (two workers under `std`): two distinct primes, and the progress
    /// events renumbered for the pair — candidates for prime 0, its `PrimeFound`, then the
    /// same for prime 1, exactly two `PrimeFound`.
    #[test]
    fn prime_pair_is_two_distinct_primes() {
        let mut rng = HmacDrbg::new(b"prime pair test seed, 48 bytes long...........", b"");
        for safe in [false, true] {
            let mut events = alloc::vec::Vec::new();
            let (p, q) = random_prime_pair(&mut rng, 256, safe, &mut |e| events.push(e)).unwrap();
            assert_ne!(&p[..], &q[..]);
            for x in [&p, &q] {
                assert_eq!(limbs::bits_vartime(x), 256);
                let ctx = Monty::new(x.to_vec()).unwrap();
                assert!(check_imported(&ctx, x));
            }
            let found: alloc::vec::Vec<(u8, u64)> = events
                .iter()
                .filter_map(|e| match *e {
                    KeyGenProgress::PrimeFound { prime, candidates } => Some((prime, candidates)),
                    _ => None,
                })
                .collect();
            assert_eq!(found.len(), 2, "{events:?}");
            assert_eq!((found[0].0, found[1].0), (0, 1));
            let mut which = 0u8;
            let mut count = 0u64;
            for e in &events {
                match *e {
                    KeyGenProgress::Candidate { prime, candidates } => {
                        count += 1;
                        assert_eq!((prime, candidates), (which, count));
                    }
                    KeyGenProgress::PrimeFound { prime, candidates } => {
                        assert_eq!((prime, candidates), (which, count));
                        which += 1;
                        count = 0;
                    }
                }
            }
        }
    }

    #[test]
    fn distance_rule() {
        let half = 1024;
        let mut p = alloc::vec![0u64; 16];
        p[15] = 0xc000_0000_0000_0000;
        p[0] = 1;
        let mut q = p.clone();
        q[14] = 1 << 59; // |p − q| = 2^955 < 2^924? no: 2^(64·14 + 59) = 2^955 ≥ 2^924
        assert_eq!(far_apart_bit(&p, &q, half), 1);
        assert_eq!(far_apart_bit(&q, &p, half), 1);
        let mut q = p.clone();
        q[14] = 1 << 27; // 2^923 < 2^924
        assert_eq!(far_apart_bit(&p, &q, half), 0);
        assert_eq!(far_apart_bit(&q, &p, half), 0);
    }
}
