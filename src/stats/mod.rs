//! Private statistics rounds across organizations (DESIGN §7): security teams contribute
//! their numbers, only the aggregate over enough of them is ever revealed, and no single
//! party — not the aggregator, not one committee member — can read one team's numbers.
//!
//! The roles and their messages, one type each, each with a canonical binary form
//! (`to_bytes`/`from_bytes`: versioned, domain-separated, what is hashed and signed;
//! decoding takes lengths from the round, refuses leftover bytes and never panics) and a
//! JSON form (with the `serde` feature: what people read and the CLI writes):
//!
//! | role | does | writes |
//! |---|---|---|
//! | coordinator | [`Round::create`]: schema, roster, committee, quorum, threshold key (as the dealer) | [`Round`] |
//! | contributor | [`Schema::encode`] (bounds), [`Contribution::create`] (pack, encrypt, sign) | [`Contribution`] |
//! | aggregator (any relay) | [`Aggregator`]: verify, refuse with a reason each, add, merge | [`Aggregate`] |
//! | committee member | [`PartialDecryption::create`]: re-check, quorum, once per round | [`PartialDecryption`] |
//! | server (Shamir engine) | [`PartialDecryption::create_server`]: the same rules, open own shares, add | [`PartialDecryption`] (a sum share) |
//! | combiner (anyone) | [`combine`]: verify proofs and signatures, open with t, check bounds | [`Report`] |
//!
//! The rules live in [`rules`], one function each; the cryptography behind the
//! [`engine::RoundEngine`] the manifest names: threshold Paillier (a dealer at setup, any
//! relay adds ciphertexts, t of n members decrypt) or Shamir shares sealed to k
//! aggregation servers (no dealer; each server adds the shares it opens; any t sums
//! rebuild the totals).
//!
//! Threat model (DESIGN §7): each contribution stays confidential against the aggregator,
//! relays, the combiner and any coalition of fewer than t committee members; the dealer
//! (coordinator) is trusted during setup; a contributor who lies within bounds is not
//! detected, one beyond bounds makes the report invalid.

mod aggregate;
pub mod codec;
mod contribution;
pub mod engine;
// --- issue 17: sealed key shares and the file journal, shared by the CLI and the C ABI ---
#[cfg(feature = "std")]
mod journal;
#[cfg(feature = "std")]
mod keyshare;
mod partial;
mod report;
mod round;
pub mod rules;
mod schema;

#[cfg(feature = "serde")]
pub use aggregate::AggregateJson;
pub use aggregate::{AGGREGATE_DIGEST_DOMAIN, AGGREGATE_DOMAIN, Aggregate, Aggregator, Sum};
#[cfg(feature = "std")]
pub use aggregate::{cores, parallel_map};
pub use codec::MAX_NAME;
// --- issue 17 ---
#[cfg(feature = "serde")]
pub use contribution::ContributionJson;
pub use contribution::{CONTRIBUTION_DOMAIN, CONTRIBUTION_SIGNED_DOMAIN, Contribution, Payload};
#[cfg(feature = "std")]
pub use journal::FileJournal;
#[cfg(feature = "std")]
pub use keyshare::{KEYSHARE_DOMAIN, KEYSHARE_SUITE, open_key_share, seal_key_share};
#[cfg(feature = "serde")]
pub use partial::PartialJson;
pub use partial::{
    Journal, MemoryJournal, PARTIAL_DOMAIN, PARTIAL_SIGNED_DOMAIN, Part, PartialDecryption,
};
pub use report::{Combined, MetricResult, Report, combine};
pub use round::{EngineParams, MAX_COMMITTEE, MAX_ROSTER, MAX_TITLE, Party, ROUND_DOMAIN, Round};
#[cfg(feature = "serde")]
pub use schema::ValuesFile;
pub use schema::{
    MAX_BOUND, MAX_METRICS, MAX_SLOTS, MAX_VARIANCE_BOUND, Metric, MetricKind, Schema, Value,
    ValueError, Values,
};

/// Lower-case hex (ids, hashes), as the JSON forms write them.
pub fn to_hex(bytes: &[u8]) -> alloc::string::String {
    codec::hex(bytes)
}
