//! Portable backends: no `unsafe`, no CPU-specific code.

pub(crate) mod bitsliced;
pub(crate) mod table;
