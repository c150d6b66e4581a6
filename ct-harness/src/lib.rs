//! What the valgrind programs of `src/bin/` share: marking memory secret or public so the
//! optimiser cannot keep a stale register copy, and a deterministic RNG whose output is
//! marked secret. An outside program that runs the same check (DESIGN §9) needs the same
//! three pieces.

use core::convert::Infallible;
use core::hint::black_box;

use tsubaki::ct;
use tsubaki::rand_core::{TryCryptoRng, TryRng, utils};

/// Marks `value` secret, then makes the optimiser forget what it knew about it.
///
/// `ct::secret` only changes valgrind's view of the memory; without the `black_box`, the
/// compiler could keep using a copy of the bytes it already had in registers (or fold a
/// constant key into the code), and the computation would never read the marked memory.
/// `black_box(&mut ..)` tells it the bytes may have changed, so they are read again.
pub fn mark_secret<T: ?Sized>(value: &mut T) {
    ct::secret(value);
    let _ = black_box(value);
}

/// Marks `value` public (a ciphertext, a decrypted message that is about to be compared),
/// then makes the optimiser reload it, so that later code branches on the declassified
/// memory and not on a register copy valgrind still considers secret.
pub fn make_public<T: ?Sized>(value: &mut T) {
    ct::declassify(value);
    let _ = black_box(value);
}

/// A deterministic RNG whose every output byte is marked secret (or not, for the unmarked
/// replay that checks the marked run computed the same thing).
pub struct TaintedRng {
    state: u64,
    mark: bool,
}

impl TaintedRng {
    /// The stream every program uses for the operation under test.
    pub fn new(mark: bool) -> Self {
        Self::with_seed(0x2545_f491_4f6c_dd1d, mark)
    }

    /// Another stream (e.g. for setting up public inputs).
    pub fn with_seed(state: u64, mark: bool) -> Self {
        Self { state, mark }
    }
}

impl TryRng for TaintedRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for b in dst.iter_mut() {
            // splitmix64: any irregular stream does; valgrind tracks definedness only.
            self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            *b = (z ^ (z >> 31)) as u8;
        }
        if self.mark {
            mark_secret(dst);
        }
        Ok(())
    }
}

impl TryCryptoRng for TaintedRng {}
