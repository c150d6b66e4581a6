//! # tsubaki-ffi: the C ABI of tsubaki
//!
//! This crate builds `libtsubaki.a` and `libtsubaki.so` (installed with
//! `ffi/scripts/install.sh`: soname, headers, `tsubaki.pc`). Two headers:
//! - [`camellia`]: the functions of OpenSSL's `<openssl/camellia.h>`, with the same names,
//!   types and constants, declared for C in `ffi/include/tsubaki/camellia.h`. A C program
//!   written for OpenSSL's header compiles against ours by changing the `#include` and
//!   links with `-ltsubaki`;
//! - everything else is `tsubaki_*` in the cbindgen-generated `ffi/include/tsubaki.h`:
//!   [`aead`], [`hpke`] (and ECDH), [`ecdsa`], [`paillier`] (with [`threshold`] and
//!   [`packed`]), [`shamir`], [`stats`], with the status
//!   codes of [`error`] and the conventions of [`abi`] (panic boundary, input checks, one
//!   output-buffer protocol with size queries, typed opaque handles).
//!
//! ## The boundary
//! Every exported function:
//! - runs its body inside [`std::panic::catch_unwind`]; no panic crosses into C. No panic
//!   is reachable from any input, but if one were, the function would return as described
//!   in its documentation (output bytes zeroed, a failure code, or `*num = -1`);
//! - checks every pointer for NULL first: a function returning `int` returns its error
//!   code, a `void` function does nothing at all;
//! - defines what OpenSSL leaves undefined (`num` out of range, a `CAMELLIA_KEY` never set)
//!   as "nothing happens", documented per function;
//! - reads the caller's `CAMELLIA_KEY` in place (copied only if misaligned), copies its IV
//!   and counter into locals (zeroized afterwards) and works
//!   on the output buffer only after copying the input into it with `memmove` semantics,
//!   so `in == out` (in place) is supported as in OpenSSL.
//!
//! This crate is the only place with `unsafe` outside `tsubaki::camellia::x86`; every
//! `unsafe` block states the caller's contract it relies on.
//!
//! Do not link libtsubaki and OpenSSL's libcrypto into one program: both define the
//! `Camellia_*` symbols.

#![deny(unsafe_op_in_unsafe_fn)]
#![deny(missing_docs)]
#![warn(unused_results)]
// Without `camellia` (see its cfg below) nothing uses the boundary helpers yet.
#![cfg_attr(
    not(any(
        target_pointer_width = "64",
        target_arch = "arm",
        target_arch = "riscv32",
        target_arch = "wasm32"
    )),
    allow(dead_code)
)]

pub mod abi;
pub mod aead;
// The same cfg as `tsubaki::camellia::raw`: targets whose `CAMELLIA_KEY` layout (280
// bytes, 8-aligned) this crate reproduces. Elsewhere (32-bit x86) the library builds with
// no `Camellia_*` symbol rather than with a wrong layout.
#[cfg(any(
    target_pointer_width = "64",
    target_arch = "arm",
    target_arch = "riscv32",
    target_arch = "wasm32"
))]
pub mod camellia;
pub mod ecdsa;
pub mod error;
pub mod paillier;
pub mod shamir;
// HPKE and ECDH (issue 14).
pub mod hpke;
// --- issue 17 (capi2): statistics messages, threshold Paillier, packed vectors ---
pub mod packed;
pub mod stats;
pub mod threshold;

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `body`, and returns `on_panic` if it panicked instead of letting the panic unwind
/// into C (which would abort the process).
fn boundary<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// Runs its closure if it is dropped while the thread panics: the clean-up a function
/// does on its way out of a caught panic (wiping partial output, marking state invalid).
/// Dropped normally, it does nothing.
struct OnUnwind<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnUnwind<F> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            (self.0)();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_panic_becomes_the_fallback_and_runs_the_clean_up() {
        let wiped = Cell::new(false);
        let r = boundary(-3, || {
            let _guard = OnUnwind(|| wiped.set(true));
            if wiped.get() {
                return 0;
            }
            panic!("boundary test: this panic is expected");
        });
        assert_eq!(r, -3);
        assert!(wiped.get());
    }

    #[test]
    fn no_panic_no_clean_up() {
        let wiped = Cell::new(false);
        let r = boundary(-3, || {
            let _guard = OnUnwind(|| wiped.set(true));
            7
        });
        assert_eq!(r, 7);
        assert!(!wiped.get());
    }
}
