//! Deterministic RNGs for the tests: [`ReplayRng`] hands out the randomness a known-answer
//! vector recorded, [`TestRng`] is a seeded splitmix64 stream for reproducible random tests.

use std::convert::Infallible;

use tsubaki::rand_core::{TryCryptoRng, TryRng, utils};

/// Replays a vector's recorded RNG bytes, in order; panics if the code under test draws more
/// than the vector holds (the vector and the code disagree).
pub struct ReplayRng {
    bytes: Vec<u8>,
    at: usize,
}

impl ReplayRng {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self { bytes, at: 0 }
    }

    /// Whether every recorded byte was drawn.
    pub fn exhausted(&self) -> bool {
        self.at == self.bytes.len()
    }
}

impl TryRng for ReplayRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let end = self.at + dst.len();
        assert!(
            end <= self.bytes.len(),
            "the code drew more randomness than the vector holds"
        );
        dst.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
        Ok(())
    }
}

impl TryCryptoRng for ReplayRng {}

/// A seeded RNG (splitmix64) for reproducible random tests. Not for keys outside tests.
pub struct TestRng(pub u64);

impl TryRng for TestRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
        Ok(())
    }
}

impl TryCryptoRng for TestRng {}

/// A broken RNG that returns the same byte forever (issue 18: rejection-sampling loops
/// must give up with `Error::RngFailure` instead of spinning). Counts the bytes drawn.
pub struct ConstRng {
    pub byte: u8,
    pub drawn: usize,
}

impl ConstRng {
    pub fn new(byte: u8) -> Self {
        Self { byte, drawn: 0 }
    }
}

impl TryRng for ConstRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        dst.fill(self.byte);
        self.drawn += dst.len();
        Ok(())
    }
}

impl TryCryptoRng for ConstRng {}
