//! # tsubaki (椿)
//!
//! An embeddable cryptography library for security teams that must encrypt, sign and
//! compute on the data they share without trusting one another with raw numbers.
//!
//! The crate is `#![no_std]`; everything it needs to work on a bare target is in the core.
//!
//! ## Features
//! - `std` (default): implies `alloc`; provides [`OsRng`], an RNG over the operating
//!   system's source.
//! - `alloc`: enables the parts of the API that return heap buffers.
//! - `serde`: implies `alloc`; `Serialize`/`Deserialize` for Paillier keys and ciphertexts
//!   (through their versioned binary form, `paillier::format`) and for the python-paillier
//!   JSON types of `paillier::phe`.
//! - `ct-valgrind`: builds a small C shim over valgrind's client requests so that
//!   [`ct::secret`] and [`ct::declassify`] mark memory for memcheck. Off by default; without
//!   it both functions compile to nothing. See `SIDE-CHANNELS.md`.
//!
//! ## Primitives
//! - [`camellia`]: the Camellia block cipher (RFC 3713), 128/192/256-bit keys, with
//!   constant-time byte-sliced SIMD backends on x86-64 (GFNI on AVX-512 or AVX2, AES-NI on
//!   AVX2; chosen at run time), a portable bitsliced constant-time backend (the default
//!   elsewhere) and an opt-in table backend that is **not** cache-timing safe.
//!   `camellia::aead`: GCM (SP 800-38D, RFC 6367), CCM (RFC 3610) and STREAM files;
//!   `camellia::mac`: CMAC (SP 800-38B) and key wrap (RFC 3394/3657).
//! - [`ec`]: ECDSA over P-256 and P-384 (FIPS 186-5, RFC 6979 deterministic or hedged
//!   nonces), constant-time signing and key generation on fiat-crypto's verified field
//!   arithmetic, and the SEC 1 / PKCS#8 / SPKI key formats (DER and PEM) OpenSSL uses.
//! - [`shamir`]: Shamir secret sharing over GF(2⁸) (byte secrets, table-free), over the
//!   prime fields GF(2⁶⁴ − 2³² + 1) and Z/nZ of P-256 (vectors, share-wise addition for
//!   aggregation), and Feldman-verifiable over P-256; constant-time split and combine,
//!   self-describing versioned shares. Split and combine need `alloc`.
//! - [`paillier`] (feature `alloc`): the Paillier cryptosystem (g = n + 1) with 2048-,
//!   3072- and 4096-bit keys, CRT decryption, public-key, CRT, pooled and short-exponent
//!   encryption and the homomorphic operations, constant-time on every secret; plaintext
//!   encodings (signed, fixed point with a public scale, packed vectors of bounded
//!   counters), a versioned binary form, and python-paillier's key and ciphertext formats;
//!   threshold decryption (`paillier::threshold`: Damgård–Jurik with Shoup's technique, any
//!   t of n key shares decrypt, each decryption share carries a proof of correctness).
//! - [`hpke`] (feature `alloc`): Hybrid Public Key Encryption (RFC 9180) with
//!   DHKEM(P-256, HKDF-SHA256) and DHKEM(P-384, HKDF-SHA384), modes base, auth, psk and
//!   auth_psk, export, and Camellia-GCM under tsubaki's unregistered AEAD ids 0xFF01/0xFF02.
//! - [`bigint`] (feature `alloc`): the constant-time Montgomery arithmetic under Paillier
//!   (portable `u64` code; AVX-512 IFMA on x86-64 CPUs that have it, chosen at run time).
//!
//! ## Configuration flags
//! - `--cfg tsubaki_backend="..."` with `"gfni_avx512"`, `"gfni_avx2"`, `"aesni_avx2"`,
//!   `"bitsliced"` or `"table"` forces the backend that `Camellia*::new` selects (if the
//!   CPU runs it), so that CI can run the whole suite on each backend. Forcing `table`
//!   makes `new` variable-time: never ship a build with it.
//! - `--cfg tsubaki_bigint_backend="portable"` makes the big-integer code ignore AVX-512
//!   IFMA, so that CI can test the portable Montgomery code on a CPU that has IFMA.
//! - `--cfg tsubaki_ec_backend="portable"` turns off the x86-64 fast paths of the curve
//!   arithmetic (the P-256 field multiplication on BMI2/ADX, the AVX2 scan of the
//!   fixed-base table), which are otherwise chosen at run time, so that CI can run the
//!   ECDSA suite on the portable code. Both paths are constant-time.
//!
//! ## `unsafe`
//! Only these places: the x86-64 SIMD backends (`camellia::x86`, `bigint::x86`, and
//! `ec::arith::x86` with its `mulx`/`adcx`/`adox` assembly), CPU intrinsics called after
//! feature detection, each `unsafe` block naming the feature it relies on; and, with
//! `ct-valgrind`, the calls into the valgrind shim.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(missing_docs)]
#![warn(unused_results)]
#![warn(missing_debug_implementations)]
#![deny(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "alloc")]
pub mod bigint;
pub mod camellia;
#[cfg_attr(feature = "ct-valgrind", allow(unsafe_code))]
pub mod ct;
pub mod ec;
mod encoding;
mod error;
// HPKE (RFC 9180), DHKEM(P-256/P-384) with Camellia-GCM; needs `alloc` (issue 14).
#[cfg(feature = "alloc")]
pub mod hpke;
#[cfg(feature = "alloc")]
pub mod paillier;
#[cfg(feature = "std")]
mod rng;
pub mod shamir;
// Statistics rounds (issue 15): needs alloc (Paillier).
#[cfg(feature = "alloc")]
pub mod stats;

pub use error::Error;
/// The `rand_core` version every `rng` parameter of this crate is written against
/// (the one current RustCrypto crates use).
pub use rand_core;
#[cfg(feature = "std")]
pub use rng::OsRng;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
