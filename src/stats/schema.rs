//! The schema of a round: named metrics, their bounds, and how values become slots.
//!
//! Every metric is a set of non-negative integer slots, each with its own bound (the most
//! one contributor may put in it):
//!
//! | kind | value | slots (bound) |
//! |---|---|---|
//! | `count` | `true`/`false` | 1 (1) |
//! | `sum{max}` | integer ≤ max | Σx (max) |
//! | `mean{max}` | integer ≤ max | Σx (max) |
//! | `variance{max}` | integer ≤ max | Σx (max), Σx² (max²) |
//! | `histogram{buckets}` | a bucket name | one per bucket, one-hot (1) |
//! | `sumvec{len,max}` | `len` integers ≤ max | one per entry (max) |
//!
//! [`Schema::encode`] checks every value against its bound, so an honest contribution
//! cannot overflow; the slot widths are sized for the roster (see `engine`).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::codec::{self, Reader, Writer};
use crate::Error;

/// Most metrics in one schema.
pub const MAX_METRICS: usize = 1024;
/// Most slots (counters) in one schema.
pub const MAX_SLOTS: usize = 65_536;
/// Largest `max` of a metric whose slots include a square (`variance`): max² must fit 40
/// bits so that a sum over a large roster still fits 64.
pub const MAX_VARIANCE_BOUND: u64 = 1 << 20;
/// Largest `max` of any other metric.
pub const MAX_BOUND: u64 = 1 << 40;

/// What a metric measures and how its value is bounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// Yes/no per contributor; the report counts the yeses.
    Count,
    /// An integer in 0..=max; the report gives the sum.
    Sum {
        /// Largest value one contributor may give.
        max: u64,
    },
    /// An integer in 0..=max; the report gives the sum and the mean.
    Mean {
        /// Largest value one contributor may give.
        max: u64,
    },
    /// An integer in 0..=max; the report gives sum, mean and (population) variance.
    Variance {
        /// Largest value one contributor may give.
        max: u64,
    },
    /// One of named buckets; the report gives each bucket's count.
    Histogram {
        /// The bucket names, in order.
        buckets: Vec<String>,
    },
    /// A vector of integers, each in 0..=max; the report gives the vector of sums.
    SumVec {
        /// Number of entries.
        len: usize,
        /// Largest value of one entry from one contributor.
        max: u64,
    },
}

/// A named metric.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metric {
    /// Its name (unique in the schema).
    pub name: String,
    /// Its kind and bounds.
    pub kind: MetricKind,
}

impl Metric {
    /// The bound of each of this metric's slots, in order.
    pub fn slot_bounds(&self) -> Vec<u64> {
        match &self.kind {
            MetricKind::Count => alloc::vec![1],
            MetricKind::Sum { max } | MetricKind::Mean { max } => alloc::vec![*max],
            MetricKind::Variance { max } => alloc::vec![*max, max * max],
            MetricKind::Histogram { buckets } => alloc::vec![1; buckets.len()],
            MetricKind::SumVec { len, max } => alloc::vec![*max; *len],
        }
    }

    fn slots(&self) -> usize {
        match &self.kind {
            MetricKind::Count | MetricKind::Sum { .. } | MetricKind::Mean { .. } => 1,
            MetricKind::Variance { .. } => 2,
            MetricKind::Histogram { buckets } => buckets.len(),
            MetricKind::SumVec { len, .. } => *len,
        }
    }
}

/// The metrics of a round. Built with [`Schema::new`], which checks names and bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    metrics: Vec<Metric>,
}

/// One contributor's value for one metric (the JSON values file's shapes).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Value {
    /// `count`: whether this contributor saw it.
    Bool(bool),
    /// `sum`, `mean`, `variance`.
    Int(u64),
    /// `sumvec`.
    Vec(Vec<u64>),
    /// `histogram`: the bucket's name.
    Bucket(String),
}

/// A contributor's values, by metric name.
pub type Values = BTreeMap<String, Value>;

/// A values file as read from JSON: [`Values`], except that a metric named twice
/// (`{"x": 3, "x": 4}`) is refused instead of the last one silently winning (a plain
/// map's behaviour). Serde only (`serde` feature).
#[cfg(feature = "serde")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValuesFile(pub Values);

/// Why a set of values does not fit the schema: the metric concerned and the cause
/// ([`Error::InvalidValue`] or [`Error::ValueAboveBound`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    /// The metric (or the unknown name given).
    pub metric: String,
    /// The cause.
    pub error: Error,
    /// What was expected, in words.
    pub expected: String,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "metric \"{}\": {} ({})",
            self.metric, self.error, self.expected
        )
    }
}

impl core::error::Error for ValueError {}

impl Schema {
    /// Checks and builds a schema: 1..=[`MAX_METRICS`] metrics with distinct valid names,
    /// bounds ≥ 1 (≤ [`MAX_BOUND`], ≤ [`MAX_VARIANCE_BOUND`] for `variance`), histograms
    /// of ≥ 2 distinct buckets, vectors of ≥ 1 entries, ≤ [`MAX_SLOTS`] slots in all.
    pub fn new(metrics: Vec<Metric>) -> Result<Self, Error> {
        if metrics.is_empty() || metrics.len() > MAX_METRICS {
            return Err(Error::InvalidLength);
        }
        // Duplicates are found with sets: the manifest's schema is parsed before its
        // signature is checked, so nothing here may be quadratic in the input (a
        // 65,536-bucket histogram took 2·10⁹ comparisons with pairwise checks).
        let mut names = BTreeSet::new();
        let mut slots = 0usize;
        for m in &metrics {
            codec::check_name(&m.name)?;
            if !names.insert(m.name.as_str()) {
                return Err(Error::InvalidEncoding);
            }
            match &m.kind {
                MetricKind::Count => {}
                MetricKind::Sum { max } | MetricKind::Mean { max } => check_bound(*max, MAX_BOUND)?,
                MetricKind::Variance { max } => check_bound(*max, MAX_VARIANCE_BOUND)?,
                MetricKind::Histogram { buckets } => {
                    if buckets.len() < 2 || buckets.len() > MAX_SLOTS {
                        return Err(Error::InvalidLength);
                    }
                    let mut seen = BTreeSet::new();
                    for b in buckets {
                        codec::check_name(b)?;
                        if !seen.insert(b.as_str()) {
                            return Err(Error::InvalidEncoding);
                        }
                    }
                }
                MetricKind::SumVec { len, max } => {
                    if *len == 0 || *len > MAX_SLOTS {
                        return Err(Error::InvalidLength);
                    }
                    check_bound(*max, MAX_BOUND)?;
                }
            }
            slots += m.slots();
            if slots > MAX_SLOTS {
                return Err(Error::InvalidLength);
            }
        }
        Ok(Schema { metrics })
    }

    /// The metrics, in order.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// Number of slots of one contribution.
    pub fn slot_count(&self) -> usize {
        self.metrics.iter().map(Metric::slots).sum()
    }

    /// The bound of every slot, in order.
    pub fn slot_bounds(&self) -> Vec<u64> {
        self.metrics.iter().flat_map(|m| m.slot_bounds()).collect()
    }

    /// The largest slot bound.
    pub fn max_slot_bound(&self) -> u64 {
        self.slot_bounds().into_iter().max().unwrap_or(1)
    }

    /// Encodes one contributor's values into slots, checking each against the schema:
    /// every metric present, no unknown name, the right type, every integer within its
    /// bound. Nothing is returned unless all of them pass.
    pub fn encode(&self, values: &Values) -> Result<Vec<u64>, ValueError> {
        if let Some(name) = values
            .keys()
            .find(|k| !self.metrics.iter().any(|m| &m.name == *k))
        {
            return Err(ValueError {
                metric: name.clone(),
                error: Error::InvalidValue,
                expected: "no such metric in the round's schema".to_string(),
            });
        }
        let mut slots = Vec::with_capacity(self.slot_count());
        for m in &self.metrics {
            let err = |error: Error, expected: String| ValueError {
                metric: m.name.clone(),
                error,
                expected,
            };
            let v = values
                .get(&m.name)
                .ok_or_else(|| err(Error::InvalidValue, "a value is missing".to_string()))?;
            let bounded = |x: u64, max: u64| {
                if x > max {
                    Err(err(
                        Error::ValueAboveBound,
                        alloc::format!("{x} is above the bound {max}"),
                    ))
                } else {
                    Ok(x)
                }
            };
            match (&m.kind, v) {
                (MetricKind::Count, Value::Bool(b)) => slots.push(u64::from(*b)),
                (MetricKind::Sum { max } | MetricKind::Mean { max }, Value::Int(x)) => {
                    slots.push(bounded(*x, *max)?);
                }
                (MetricKind::Variance { max }, Value::Int(x)) => {
                    let x = bounded(*x, *max)?;
                    slots.push(x);
                    slots.push(x * x);
                }
                (MetricKind::Histogram { buckets }, Value::Bucket(b)) => {
                    let pos = buckets.iter().position(|c| c == b).ok_or_else(|| {
                        err(
                            Error::InvalidValue,
                            alloc::format!("\"{b}\" is not one of its buckets {buckets:?}"),
                        )
                    })?;
                    slots.extend((0..buckets.len()).map(|i| u64::from(i == pos)));
                }
                (MetricKind::SumVec { len, max }, Value::Vec(xs)) => {
                    if xs.len() != *len {
                        return Err(err(
                            Error::InvalidValue,
                            alloc::format!("{} entries given, {len} expected", xs.len()),
                        ));
                    }
                    for &x in xs {
                        slots.push(bounded(x, *max)?);
                    }
                }
                (kind, _) => {
                    return Err(err(
                        Error::InvalidValue,
                        alloc::format!("wrong type: {} expected", kind_expects(kind)),
                    ));
                }
            }
        }
        Ok(slots)
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.metrics.len() as u32);
        for m in &self.metrics {
            w.str(&m.name);
            match &m.kind {
                MetricKind::Count => w.u8(0),
                MetricKind::Sum { max } => {
                    w.u8(1);
                    w.u64(*max);
                }
                MetricKind::Mean { max } => {
                    w.u8(2);
                    w.u64(*max);
                }
                MetricKind::Variance { max } => {
                    w.u8(3);
                    w.u64(*max);
                }
                MetricKind::Histogram { buckets } => {
                    w.u8(4);
                    w.u32(buckets.len() as u32);
                    for b in buckets {
                        w.str(b);
                    }
                }
                MetricKind::SumVec { len, max } => {
                    w.u8(5);
                    w.u32(*len as u32);
                    w.u64(*max);
                }
            }
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let count = r.count(MAX_METRICS)?;
        let mut metrics = Vec::with_capacity(count);
        for _ in 0..count {
            let name = r.str()?;
            let kind = match r.u8()? {
                0 => MetricKind::Count,
                1 => MetricKind::Sum { max: r.u64()? },
                2 => MetricKind::Mean { max: r.u64()? },
                3 => MetricKind::Variance { max: r.u64()? },
                4 => {
                    let n = r.count(MAX_SLOTS)?;
                    let mut buckets = Vec::new();
                    for _ in 0..n {
                        buckets.push(r.str()?);
                    }
                    MetricKind::Histogram { buckets }
                }
                5 => {
                    let len = r.count(MAX_SLOTS)?;
                    MetricKind::SumVec { len, max: r.u64()? }
                }
                _ => return Err(Error::InvalidEncoding),
            };
            metrics.push(Metric { name, kind });
        }
        Schema::new(metrics)
    }
}

fn check_bound(max: u64, limit: u64) -> Result<(), Error> {
    if max == 0 || max > limit {
        return Err(Error::PlaintextOutOfRange);
    }
    Ok(())
}

fn kind_expects(kind: &MetricKind) -> &'static str {
    match kind {
        MetricKind::Count => "true or false",
        MetricKind::Sum { .. } | MetricKind::Mean { .. } | MetricKind::Variance { .. } => {
            "a non-negative integer"
        }
        MetricKind::Histogram { .. } => "a bucket name",
        MetricKind::SumVec { .. } => "an array of non-negative integers",
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    //! The schema file's JSON shape:
    //! `{"metrics":[{"name":"..","kind":"sum","max":1000}, ..]}`.
    use super::*;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct MetricJson {
        name: String,
        kind: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        len: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        buckets: Option<Vec<String>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SchemaJson {
        metrics: Vec<MetricJson>,
    }

    impl Serialize for Schema {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let metrics = self
                .metrics
                .iter()
                .map(|m| {
                    let (kind, max, len, buckets) = match &m.kind {
                        MetricKind::Count => ("count", None, None, None),
                        MetricKind::Sum { max } => ("sum", Some(*max), None, None),
                        MetricKind::Mean { max } => ("mean", Some(*max), None, None),
                        MetricKind::Variance { max } => ("variance", Some(*max), None, None),
                        MetricKind::Histogram { buckets } => {
                            ("histogram", None, None, Some(buckets.clone()))
                        }
                        MetricKind::SumVec { len, max } => ("sumvec", Some(*max), Some(*len), None),
                    };
                    MetricJson {
                        name: m.name.clone(),
                        kind: kind.to_string(),
                        max,
                        len,
                        buckets,
                    }
                })
                .collect();
            SchemaJson { metrics }.serialize(s)
        }
    }

    /// `Value` reads the same four shapes as an untagged enum would, but refuses what is
    /// none of them with the cause (a negative number, a fraction, null) instead of
    /// "data did not match any variant of untagged enum Value".
    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            use serde::de::{SeqAccess, Visitor};
            struct V;
            const EXPECTED: &str = "true or false, a non-negative integer, an array of \
                                    non-negative integers, or a bucket name";
            fn negative<E: serde::de::Error>(v: i64) -> E {
                E::custom(alloc::format!(
                    "{v} is negative: values are non-negative integers"
                ))
            }
            fn fraction<E: serde::de::Error>(v: f64) -> E {
                // Integral without `f64::trunc` (std only): at 2^53 and above every f64 is.
                let integral = v.is_finite() && (v.abs() >= 9.0e15 || v == (v as i64) as f64);
                E::custom(if !integral {
                    alloc::format!("{v} is not an integer: values are non-negative integers")
                } else if v.abs() >= 1.8e19 {
                    alloc::format!("{v} is too large for a value (at most 2^64 - 1)")
                } else if v < 0.0 {
                    alloc::format!("{v:?} is negative: values are non-negative integers")
                } else {
                    alloc::format!("{v:?}: write values as integers (no decimal point or exponent)")
                })
            }
            impl<'de> Visitor<'de> for V {
                type Value = Value;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(EXPECTED)
                }
                fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
                    Ok(Value::Bool(v))
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
                    Ok(Value::Int(v))
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
                    u64::try_from(v).map(Value::Int).map_err(|_| negative(v))
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
                    Err(fraction(v))
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
                    Ok(Value::Bucket(v.into()))
                }
                fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
                    Err(E::custom(alloc::format!(
                        "null is not a value ({EXPECTED})"
                    )))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                    struct Entry(u64);
                    impl<'de> Deserialize<'de> for Entry {
                        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                            struct E;
                            impl<'de> Visitor<'de> for E {
                                type Value = u64;
                                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                                    f.write_str("a non-negative integer")
                                }
                                fn visit_u64<X: serde::de::Error>(self, v: u64) -> Result<u64, X> {
                                    Ok(v)
                                }
                                fn visit_i64<X: serde::de::Error>(self, v: i64) -> Result<u64, X> {
                                    u64::try_from(v).map_err(|_| negative(v))
                                }
                                fn visit_f64<X: serde::de::Error>(self, v: f64) -> Result<u64, X> {
                                    Err(fraction(v))
                                }
                            }
                            d.deserialize_any(E).map(Entry)
                        }
                    }
                    // No capacity from the input's size hint: grows with what is read.
                    let mut out = Vec::new();
                    while let Some(Entry(x)) = seq.next_element()? {
                        out.push(x);
                    }
                    Ok(Value::Vec(out))
                }
            }
            d.deserialize_any(V)
        }
    }

    impl<'de> Deserialize<'de> for ValuesFile {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = ValuesFile;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object of values by metric name")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<ValuesFile, A::Error> {
                    use serde::de::Error as _;
                    let mut out = Values::new();
                    while let Some(name) = map.next_key::<String>()? {
                        let value = map.next_value::<Value>()?;
                        if out.contains_key(&name) {
                            return Err(A::Error::custom(alloc::format!(
                                "metric \"{name}\" is given twice"
                            )));
                        }
                        let _ = out.insert(name, value);
                    }
                    Ok(ValuesFile(out))
                }
            }
            d.deserialize_map(V)
        }
    }

    impl<'de> Deserialize<'de> for Schema {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            use serde::de::Error as _;
            let json = SchemaJson::deserialize(d)?;
            let mut metrics = Vec::with_capacity(json.metrics.len());
            for m in json.metrics {
                let need_max = || {
                    m.max.ok_or_else(|| {
                        D::Error::custom(alloc::format!("metric \"{}\": \"max\" missing", m.name))
                    })
                };
                let extra = |what: &str| {
                    D::Error::custom(alloc::format!(
                        "metric \"{}\": \"{what}\" does not apply to kind \"{}\"",
                        m.name,
                        m.kind
                    ))
                };
                let kind = match m.kind.as_str() {
                    "count" => MetricKind::Count,
                    "sum" => MetricKind::Sum { max: need_max()? },
                    "mean" => MetricKind::Mean { max: need_max()? },
                    "variance" => MetricKind::Variance { max: need_max()? },
                    "histogram" => MetricKind::Histogram {
                        buckets: m.buckets.clone().ok_or_else(|| {
                            D::Error::custom(alloc::format!(
                                "metric \"{}\": \"buckets\" missing",
                                m.name
                            ))
                        })?,
                    },
                    "sumvec" => MetricKind::SumVec {
                        len: m.len.ok_or_else(|| {
                            D::Error::custom(alloc::format!(
                                "metric \"{}\": \"len\" missing",
                                m.name
                            ))
                        })?,
                        max: need_max()?,
                    },
                    other => {
                        return Err(D::Error::custom(alloc::format!(
                            "metric \"{}\": unknown kind \"{other}\" (count, sum, mean, variance, histogram, sumvec)",
                            m.name
                        )));
                    }
                };
                if m.max.is_some()
                    && matches!(kind, MetricKind::Count | MetricKind::Histogram { .. })
                {
                    return Err(extra("max"));
                }
                if m.len.is_some() && !matches!(kind, MetricKind::SumVec { .. }) {
                    return Err(extra("len"));
                }
                if m.buckets.is_some() && !matches!(kind, MetricKind::Histogram { .. }) {
                    return Err(extra("buckets"));
                }
                metrics.push(Metric { name: m.name, kind });
            }
            Schema::new(metrics).map_err(|e| {
                D::Error::custom(alloc::format!(
                    "invalid schema: {e} (names must be distinct and 1..=256 bytes, bounds 1..=2^40 (2^20 for variance), histograms of >= 2 distinct buckets)"
                ))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// Regression (review): a plain map keeps the last of two values given for one
    /// metric; a values file must refuse it instead.
    #[cfg(feature = "serde")]
    #[test]
    fn values_file_refuses_a_metric_given_twice() {
        let e = serde_json::from_str::<ValuesFile>(r#"{"x": 3, "y": true, "x": 4}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("metric \"x\" is given twice"), "{e}");
        let ok = serde_json::from_str::<ValuesFile>(r#"{"x": 3, "y": [1, 2], "z": "low"}"#)
            .unwrap()
            .0;
        assert_eq!(ok.len(), 3);
        assert_eq!(ok["x"], Value::Int(3));
        assert_eq!(ok["y"], Value::Vec(vec![1, 2]));
        assert_eq!(ok["z"], Value::Bucket("low".into()));
        // Not an object: refused with serde's own message.
        assert!(serde_json::from_str::<ValuesFile>("[1]").is_err());
    }

    pub(crate) fn sample() -> Schema {
        Schema::new(vec![
            Metric {
                name: "incidents".into(),
                kind: MetricKind::Sum { max: 1000 },
            },
            Metric {
                name: "phishing".into(),
                kind: MetricKind::SumVec { len: 3, max: 500 },
            },
            Metric {
                name: "campaign_x".into(),
                kind: MetricKind::Count,
            },
            Metric {
                name: "hours".into(),
                kind: MetricKind::Mean { max: 720 },
            },
            Metric {
                name: "contain".into(),
                kind: MetricKind::Variance { max: 720 },
            },
            Metric {
                name: "severity".into(),
                kind: MetricKind::Histogram {
                    buckets: vec!["low".into(), "high".into()],
                },
            },
        ])
        .unwrap()
    }

    fn values() -> Values {
        let mut v = Values::new();
        let _ = v.insert("incidents".into(), Value::Int(12));
        let _ = v.insert("phishing".into(), Value::Vec(vec![1, 2, 500]));
        let _ = v.insert("campaign_x".into(), Value::Bool(true));
        let _ = v.insert("hours".into(), Value::Int(5));
        let _ = v.insert("contain".into(), Value::Int(7));
        let _ = v.insert("severity".into(), Value::Bucket("high".into()));
        v
    }

    #[test]
    fn encodes_each_kind_into_its_slots() {
        let s = sample();
        assert_eq!(s.slot_count(), 10);
        assert_eq!(
            s.encode(&values()).unwrap(),
            [12, 1, 2, 500, 1, 5, 7, 49, 0, 1]
        );
        assert_eq!(
            s.slot_bounds(),
            [1000, 500, 500, 500, 1, 720, 720, 720 * 720, 1, 1]
        );
    }

    #[test]
    fn refuses_values_that_do_not_fit() {
        let s = sample();
        let mut v = values();
        let _ = v.insert("incidents".into(), Value::Int(1001));
        assert_eq!(s.encode(&v).unwrap_err().error, Error::ValueAboveBound);
        let mut v = values();
        let _ = v.insert("phishing".into(), Value::Vec(vec![1, 2]));
        assert_eq!(s.encode(&v).unwrap_err().error, Error::InvalidValue);
        let mut v = values();
        let _ = v.insert("campaign_x".into(), Value::Int(1));
        assert_eq!(s.encode(&v).unwrap_err().metric, "campaign_x");
        let mut v = values();
        let _ = v.remove("hours");
        assert_eq!(s.encode(&v).unwrap_err().metric, "hours");
        let mut v = values();
        let _ = v.insert("nope".into(), Value::Int(1));
        assert_eq!(s.encode(&v).unwrap_err().metric, "nope");
        let mut v = values();
        let _ = v.insert("severity".into(), Value::Bucket("mid".into()));
        assert_eq!(s.encode(&v).unwrap_err().error, Error::InvalidValue);
    }

    #[test]
    fn refuses_bad_schemas() {
        let m = |name: &str, kind| Metric {
            name: name.into(),
            kind,
        };
        assert!(Schema::new(vec![]).is_err());
        assert!(Schema::new(vec![m("a", MetricKind::Count), m("a", MetricKind::Count)]).is_err());
        assert!(Schema::new(vec![m("a", MetricKind::Sum { max: 0 })]).is_err());
        assert!(Schema::new(vec![m("a", MetricKind::Variance { max: 1 << 21 })]).is_err());
        assert!(Schema::new(vec![m("", MetricKind::Count)]).is_err());
        assert!(
            Schema::new(vec![m(
                "h",
                MetricKind::Histogram {
                    buckets: vec!["x".into()]
                }
            )])
            .is_err()
        );
    }

    /// Regression (review): duplicate names were found by pairwise comparison, quadratic
    /// in an input parsed before the manifest's signature is checked (a 655 kB round
    /// file with one 65,536-bucket histogram cost 28 s of CPU in a debug build of
    /// `tsubaki stats setup`). The largest histogram is still checked whole: a
    /// duplicate at its very end is found, distinct buckets are accepted.
    #[test]
    fn largest_histogram_duplicates_are_found_without_pairwise_checks() {
        let mut buckets: Vec<String> = (0..MAX_SLOTS).map(|i| alloc::format!("b{i}")).collect();
        let h = |buckets: Vec<String>| {
            Schema::new(vec![Metric {
                name: "h".into(),
                kind: MetricKind::Histogram { buckets },
            }])
        };
        assert_eq!(h(buckets.clone()).unwrap().slot_count(), MAX_SLOTS);
        buckets[MAX_SLOTS - 1] = "b0".into();
        assert_eq!(h(buckets).unwrap_err(), Error::InvalidEncoding);
        let m = |name: &str| Metric {
            name: name.into(),
            kind: MetricKind::Count,
        };
        let mut many: Vec<Metric> = (0..MAX_METRICS)
            .map(|i| m(&alloc::format!("m{i}")))
            .collect();
        assert!(Schema::new(many.clone()).is_ok());
        many[MAX_METRICS - 1] = m("m0");
        assert_eq!(Schema::new(many).unwrap_err(), Error::InvalidEncoding);
    }

    #[test]
    fn canonical_form_round_trips() {
        let s = sample();
        let mut w = Writer::new(b"tsubaki/stats/v1/test");
        s.write(&mut w);
        let bytes = w.finish();
        let mut r = Reader::new(&bytes, b"tsubaki/stats/v1/test").unwrap();
        assert_eq!(Schema::read(&mut r).unwrap(), s);
        r.finish().unwrap();
    }
}
