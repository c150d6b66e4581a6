//! The tsubaki fuzz harnesses: the bodies live in [`bodies`] (shared with the stable
//! corpus replay test `tests/fuzz_corpus.rs`); each target in `fuzz_targets/` is one line
//! calling one body. See `FUZZING.md` at the top of the repository.

#[path = "bodies.rs"]
pub mod bodies;
