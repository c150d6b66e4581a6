//! The combiner's role: verify every partial decryption, open the aggregate with any t
//! valid ones, name the invalid ones, and write the [`Report`].
//!
//! A report is marked invalid (and says so) if some slot total exceeds the number of
//! contributors times its bound, a metric's totals are ones no in-bound values give
//! (a histogram not adding up to the contributors, a variance's Σx² inconsistent with its
//! Σx), or the plaintext is not a sum of in-bound vectors at all: some contributor lied
//! about a bound (`rules::check_slot_bounds`).

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;

use super::aggregate::Aggregate;
use super::codec;
use super::partial::{Part, PartialDecryption};
use super::round::Round;
use super::rules;
use super::schema::MetricKind;
use crate::Error;

/// The result for one metric.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricResult {
    /// `count`: how many contributors said yes.
    Count {
        /// Number of yeses.
        count: u64,
    },
    /// `sum`, `mean`, `variance`: the contributor count and the sum; the mean for `mean`
    /// and `variance`, the population variance for `variance`.
    Stats {
        /// Number of contributors.
        count: u64,
        /// Σx.
        sum: u64,
        /// Σx / count, if asked for.
        mean: Option<f64>,
        /// Σx²/count − mean², if asked for.
        variance: Option<f64>,
    },
    /// `histogram`: each bucket's count, in the schema's order.
    Histogram(Vec<(String, u64)>),
    /// `sumvec`: the vector of sums.
    SumVec(Vec<u64>),
}

/// What a round revealed, with everything needed to re-verify it (the aggregate's digest
/// and the members whose partial decryptions were used).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Round id.
    pub round: [u8; 16],
    /// False if a slot exceeds contributors × its bound, or the totals are ones no
    /// in-bound values give (`rules::check_slot_bounds`): someone broke a bound.
    pub valid: bool,
    /// Number of contributors.
    pub contributors: u64,
    /// The organizations that took part.
    pub orgs: Vec<String>,
    /// Per metric, in the schema's order (empty if the plaintext could not be unpacked).
    pub metrics: Vec<(String, MetricResult)>,
    /// Digest of the aggregate opened.
    pub aggregate: [u8; 32],
    /// Members whose partial decryptions were used.
    pub members: Vec<String>,
    /// The raw slot totals (empty if they could not be unpacked).
    pub slots: Vec<u64>,
}

/// The outcome of combining: the report (or why none could be made) and the partial
/// decryptions refused, by position in the input, with the member they claim and why.
#[derive(Debug)]
pub struct Combined {
    /// The report, or [`Error::NotEnoughShares`] if fewer than t partials were valid.
    pub report: Result<Report, Error>,
    /// Partials refused: (position, claimed member, reason).
    pub rejected: Vec<(usize, String, Error)>,
}

/// The combiner's step: verifies every partial ([`rules::verify_partial`]: round,
/// committee membership and index, signature, aggregate digest, every proof), ignores a
/// second partial of the same member, opens the aggregate with the first t valid ones.
pub fn combine(round: &Round, aggregate: &Aggregate, partials: &[PartialDecryption]) -> Combined {
    let mut rejected = Vec::new();
    let mut valid: Vec<&PartialDecryption> = Vec::new();
    let mut members = BTreeSet::new();
    // Each check is a proof verification (exponentiations modulo n²): on every core
    // under `std`.
    #[cfg(feature = "std")]
    let verdicts = super::aggregate::parallel_map(partials, super::aggregate::cores(), |p| {
        rules::verify_partial(round, aggregate, p)
    });
    #[cfg(not(feature = "std"))]
    let verdicts: Vec<Result<(), Error>> = partials
        .iter()
        .map(|p| rules::verify_partial(round, aggregate, p))
        .collect();
    for (i, (p, verdict)) in partials.iter().zip(verdicts).enumerate() {
        match verdict {
            Ok(()) => {
                if members.insert(p.member()) {
                    valid.push(p);
                } else {
                    rejected.push((i, p.member().into(), Error::DuplicateShareIndex));
                }
            }
            Err(e) => rejected.push((i, p.member().into(), e)),
        }
    }
    let report = open(round, aggregate, &valid);
    Combined { report, rejected }
}

fn open(
    round: &Round,
    aggregate: &Aggregate,
    valid: &[&PartialDecryption],
) -> Result<Report, Error> {
    rules::check_round(round, aggregate.round_id())?;
    let engine = round.engine();
    let t = engine.threshold();
    if valid.len() < t {
        return Err(Error::NotEnoughShares);
    }
    let used = &valid[..t];
    let parts: Vec<&Part> = used.iter().map(|p| p.part()).collect();
    let n = aggregate.contributors() as u64;
    let opened = engine.open(aggregate.sum(), &parts, n)?;
    let mut report = Report {
        round: *round.id(),
        valid: false,
        contributors: n,
        orgs: aggregate.orgs(),
        metrics: Vec::new(),
        aggregate: aggregate.digest(round),
        members: used.iter().map(|p| p.member().into()).collect(),
        slots: Vec::new(),
    };
    let Some(slots) = opened else {
        return Ok(report);
    };
    report.valid = rules::check_slot_bounds(round.schema(), &slots, n);
    let mut at = 0;
    for m in round.schema().metrics() {
        let r = match &m.kind {
            MetricKind::Count => {
                at += 1;
                MetricResult::Count {
                    count: slots[at - 1],
                }
            }
            MetricKind::Sum { .. } => {
                at += 1;
                MetricResult::Stats {
                    count: n,
                    sum: slots[at - 1],
                    mean: None,
                    variance: None,
                }
            }
            MetricKind::Mean { .. } => {
                at += 1;
                let sum = slots[at - 1];
                MetricResult::Stats {
                    count: n,
                    sum,
                    mean: Some(sum as f64 / n as f64),
                    variance: None,
                }
            }
            MetricKind::Variance { .. } => {
                at += 2;
                let (sum, sq) = (slots[at - 2], slots[at - 1]);
                // (n·Σx² − (Σx)²) / n², exactly in integers first (u128 holds both).
                let num = (u128::from(n) * u128::from(sq)).saturating_sub(u128::from(sum).pow(2));
                MetricResult::Stats {
                    count: n,
                    sum,
                    mean: Some(sum as f64 / n as f64),
                    variance: Some(num as f64 / (n as f64 * n as f64)),
                }
            }
            MetricKind::Histogram { buckets } => {
                let start = at;
                at += buckets.len();
                MetricResult::Histogram(
                    buckets
                        .iter()
                        .cloned()
                        .zip(slots[start..at].iter().copied())
                        .collect(),
                )
            }
            MetricKind::SumVec { len, .. } => {
                let start = at;
                at += len;
                MetricResult::SumVec(slots[start..at].to_vec())
            }
        };
        report.metrics.push((m.name.clone(), r));
    }
    report.slots = slots;
    Ok(report)
}

impl Report {
    /// The round id in hex.
    pub fn round_hex(&self) -> String {
        codec::hex(&self.round)
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    //! The report file: `{"round":"<hex>","valid":true,"contributors":N,"orgs":[..],
    //! "metrics":{"<name>":{..}},"aggregate":"<hex>","members":[..]}`.
    use super::*;
    use serde::ser::{SerializeMap, SerializeStruct};
    use serde::{Serialize, Serializer};

    struct Metrics<'a>(&'a [(String, MetricResult)]);
    struct One<'a>(&'a MetricResult);

    impl Serialize for One<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            match self.0 {
                MetricResult::Count { count } => m.serialize_entry("count", count)?,
                MetricResult::Stats {
                    count,
                    sum,
                    mean,
                    variance,
                } => {
                    m.serialize_entry("count", count)?;
                    m.serialize_entry("sum", sum)?;
                    if let Some(mean) = mean {
                        m.serialize_entry("mean", mean)?;
                    }
                    if let Some(v) = variance {
                        m.serialize_entry("variance", v)?;
                    }
                }
                MetricResult::Histogram(buckets) => {
                    m.serialize_entry("histogram", &Buckets(buckets))?;
                }
                MetricResult::SumVec(v) => m.serialize_entry("sum", v)?,
            }
            m.end()
        }
    }

    struct Buckets<'a>(&'a [(String, u64)]);

    impl Serialize for Buckets<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in self.0 {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }

    impl Serialize for Metrics<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in self.0 {
                m.serialize_entry(k, &One(v))?;
            }
            m.end()
        }
    }

    impl Serialize for Report {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("Report", 7)?;
            st.serialize_field("round", &self.round_hex())?;
            st.serialize_field("valid", &self.valid)?;
            st.serialize_field("contributors", &self.contributors)?;
            st.serialize_field("orgs", &self.orgs)?;
            st.serialize_field("metrics", &Metrics(&self.metrics))?;
            st.serialize_field("aggregate", &codec::hex(&self.aggregate))?;
            st.serialize_field("members", &self.members)?;
            st.end()
        }
    }
}
