//! Private statistics rounds for C (`tsubaki_stats_*`): the four steps after setup —
//! contribute, aggregate, partial, combine — over byte buffers holding the same JSON
//! messages the CLI reads and writes (`round.json`, contributions, aggregates, partial
//! decryptions, the report; `tsubaki::stats::*::{to_json, from_json}`, pretty-printed with
//! a final newline exactly as `tsubaki stats …` writes its files). Both engines of the
//! round's manifest (threshold Paillier, Shamir servers) run through the same functions.
//!
//! Every rule is the library's (`tsubaki::stats`): reading the round checks the
//! coordinator's signature; the aggregator verifies and refuses each input with its own
//! reason; a member re-checks the aggregate against the signed contributions, the quorum,
//! and records the round in its decrypt-once journal file (`tsubaki::stats::FileJournal`,
//! the CLI's `--journal` file: one journal can serve both edges) before any share leaves;
//! the combiner verifies every partial.
//!
//! # Results are message handles
//! Each step returns a [`TsubakiStatsMessage`] handle holding the JSON it made; read it
//! with [`tsubaki_stats_message_json`] (the usual output-buffer convention, exact size) and
//! free it with [`tsubaki_stats_message_free`]. Not a caller buffer directly, because a
//! partial decryption is made once per round: a too-small buffer after the journal entry
//! would lose it for good. The same shape is used for all four steps.
//!
//! # Inputs
//! Messages are `(pointer, length)` byte buffers; several messages are two arrays
//! (`const uint8_t *const *msgs`, `const size_t *msg_lens`) and a count. Ids and the
//! journal path are NUL-terminated UTF-8 strings. A signing key is a P-256 private key in
//! one of the `TSUBAKI_KEY_*` formats of the ECDSA functions. A sealed key share is the
//! `keyshare-<member>.sealed` file the coordinator wrote at setup, opened here with the
//! member's key (`tsubaki::stats::open_key_share`).
//!
//! # Errors
//! A JSON text that does not parse, or a round manifest that does not verify, is
//! `TSUBAKI_STATUS_INVALID_ENCODING`; the protocol's refusals have their own codes
//! (`TSUBAKI_STATUS_WRONG_ROUND`, `_NOT_ON_ROSTER`, `_DUPLICATE_CONTRIBUTOR`,
//! `_QUORUM_NOT_MET`, `_ALREADY_DECRYPTED`, `_AGGREGATE_MISMATCH`, `_KEY_MISMATCH`,
//! `_JOURNAL_FAILURE`), a bad signature is `TSUBAKI_STATUS_INVALID_SIGNATURE`, a value
//! outside the schema `TSUBAKI_STATUS_INVALID_ARGUMENT`.

use core::ffi::{CStr, c_char};
use std::path::PathBuf;

use serde::Serialize;
use tsubaki_core::Error;
use tsubaki_core::ec::p256::SigningKey;
use tsubaki_core::paillier::threshold::KeyShare;
use tsubaki_core::stats::engine::RoundEngine;
use tsubaki_core::stats::{
    Aggregate, AggregateJson, Aggregator, Contribution, ContributionJson, FileJournal,
    PartialDecryption, PartialJson, Round, Values, ValuesFile,
};

use crate::abi::{call, export_bytes, free, handle, handle_out, input, non_null, put};
use crate::ecdsa::{
    TSUBAKI_KEY_PKCS8_DER, TSUBAKI_KEY_PKCS8_PEM, TSUBAKI_KEY_RAW, TSUBAKI_KEY_SEC1_DER,
    TSUBAKI_KEY_SEC1_PEM, TsubakiKeyFormat,
};
use crate::error::TsubakiStatus;

/// The most messages one call takes (far above any roster: `tsubaki::stats::MAX_ROSTER`).
pub const TSUBAKI_STATS_MAX_MESSAGES: usize = 1 << 20;

/// A JSON message made by a `tsubaki_stats_*` step (C: `tsubaki_stats_message`). Opaque.
#[repr(C)]
pub struct TsubakiStatsMessage {
    tag: u64,
    inner: Vec<u8>,
}
handle!(TsubakiStatsMessage(Vec<u8>), 0x7473_6b5f_7374_6d31);

/// The status of a library error in this module: a key that is not the roster's or
/// committee's is `KEY_MISMATCH` here (elsewhere a key of another curve).
fn status(e: Error) -> TsubakiStatus {
    match e {
        Error::KeyMismatch => TsubakiStatus::KeyMismatch,
        e => e.into(),
    }
}

/// A NUL-terminated UTF-8 string.
///
/// # Safety
/// `p` NULL or a NUL-terminated string, unchanged while the result lives.
unsafe fn string<'a>(p: *const c_char) -> Result<&'a str, TsubakiStatus> {
    // SAFETY: non-NULL (checked) and NUL-terminated (the caller's contract).
    let s = unsafe { CStr::from_ptr(non_null(p)?) };
    s.to_str().map_err(|_| TsubakiStatus::InvalidEncoding)
}

/// `count` buffers from two arrays.
///
/// # Safety
/// With `count > 0`: `ptrs` and `lens` readable for `count` entries, each buffer as in
/// [`input`].
unsafe fn inputs<'a>(
    ptrs: *const *const u8,
    lens: *const usize,
    count: usize,
) -> Result<Vec<&'a [u8]>, TsubakiStatus> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if count > TSUBAKI_STATS_MAX_MESSAGES {
        return Err(TsubakiStatus::InvalidLength);
    }
    let (ptrs, lens) = (non_null(ptrs)?, non_null(lens)?);
    (0..count)
        // SAFETY: the contract above.
        .map(|i| unsafe { input(non_null(*ptrs.add(i))?, *lens.add(i)) })
        .collect()
}

/// Checks `count` (at most [`TSUBAKI_STATS_MAX_MESSAGES`], before anything is written)
/// and clears the optional status array (`count` entries) to `TSUBAKI_STATUS_OK`.
///
/// # Safety
/// `statuses` NULL or writable for `count` entries.
unsafe fn clear_statuses(statuses: *mut TsubakiStatus, count: usize) -> Result<(), TsubakiStatus> {
    if count > TSUBAKI_STATS_MAX_MESSAGES {
        return Err(TsubakiStatus::InvalidLength);
    }
    if !statuses.is_null() {
        for i in 0..count {
            // SAFETY: the contract above.
            unsafe { statuses.add(i).write(TsubakiStatus::Ok) };
        }
    }
    Ok(())
}

/// Records the status of input `i` (if the caller asked for them).
///
/// # Safety
/// As [`clear_statuses`], `i < count`.
unsafe fn set_status(statuses: *mut TsubakiStatus, i: usize, s: TsubakiStatus) {
    if !statuses.is_null() {
        // SAFETY: the contract above.
        unsafe { statuses.add(i).write(s) };
    }
}

fn parse<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, TsubakiStatus> {
    serde_json::from_slice(bytes).map_err(|_| TsubakiStatus::InvalidEncoding)
}

/// The JSON text as the CLI writes it: pretty, with a final newline.
fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, TsubakiStatus> {
    let mut v = serde_json::to_vec_pretty(value).map_err(|_| TsubakiStatus::Panic)?;
    v.push(b'\n');
    Ok(v)
}

fn signing_key(format: TsubakiKeyFormat, b: &[u8]) -> Result<SigningKey, TsubakiStatus> {
    let text = || core::str::from_utf8(b).map_err(|_| TsubakiStatus::InvalidEncoding);
    Ok(match format {
        TSUBAKI_KEY_PKCS8_DER => SigningKey::from_pkcs8_der(b)?,
        TSUBAKI_KEY_PKCS8_PEM => SigningKey::from_pkcs8_pem(text()?)?,
        TSUBAKI_KEY_SEC1_DER => SigningKey::from_sec1_der(b)?,
        TSUBAKI_KEY_SEC1_PEM => SigningKey::from_sec1_pem(text()?)?,
        TSUBAKI_KEY_RAW => SigningKey::from_slice(b)?,
        _ => return Err(TsubakiStatus::InvalidArgument),
    })
}

/// Reads `round.json` (checking the coordinator's signature).
fn round(b: &[u8]) -> Result<Round, TsubakiStatus> {
    parse(b)
}

fn contribution(round: &Round, b: &[u8]) -> Result<Contribution, TsubakiStatus> {
    let j: ContributionJson = parse(b)?;
    Contribution::from_json(round, &j).map_err(status)
}

fn aggregate(round: &Round, b: &[u8]) -> Result<Aggregate, TsubakiStatus> {
    let j: AggregateJson = parse(b)?;
    Aggregate::from_json(round, &j).map_err(status)
}

/// The JSON text of `msg` into `out` (exact size; a size query with `out` NULL).
///
/// # Safety
/// `msg` a live message handle; `out`/`out_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_stats_message_json(
    msg: *const TsubakiStatsMessage,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe { export_bytes(msg, out, out_len, Ok) }
}

/// Frees a message. NULL or another type's handle is left alone.
///
/// # Safety
/// `msg` NULL or a message handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_stats_message_free(msg: *mut TsubakiStatsMessage) {
    // SAFETY: the caller's contract.
    unsafe { free(msg) }
}

/// The contributor's step (`tsubaki stats contribute`): checks `values` (the values JSON:
/// `{"metric": 12, "vector": [..], "flag": true, "histogram": "bucket"}`) against the
/// round's schema, encrypts (Paillier) or shares and seals (Shamir) them, and signs the
/// contribution as organization `org` with `key` (`key_format`: a `TSUBAKI_KEY_*`).
/// Errors: `NOT_ON_ROSTER`, `KEY_MISMATCH` (not the key the roster lists for `org`),
/// `INVALID_ARGUMENT` (a value outside the schema), `INVALID_ENCODING`.
///
/// # Safety
/// Buffers readable for their lengths; `org` a NUL-terminated string; `out` valid for
/// writing one pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tsubaki_stats_contribute(
    round_json: *const u8,
    round_len: usize,
    org: *const c_char,
    key_format: TsubakiKeyFormat,
    key: *const u8,
    key_len: usize,
    values_json: *const u8,
    values_len: usize,
    out: *mut *mut TsubakiStatsMessage,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            let round = round(input(non_null(round_json)?, round_len)?)?;
            let org = string(org)?;
            let key = signing_key(key_format, input(non_null(key)?, key_len)?)?;
            // A metric given twice is refused (`ValuesFile`), as by the CLI.
            let values: Values = parse::<ValuesFile>(input(non_null(values_json)?, values_len)?)?.0;
            let slots = zeroize::Zeroizing::new(
                round
                    .schema()
                    .encode(&values)
                    .map_err(|_| TsubakiStatus::InvalidArgument)?,
            );
            let c = Contribution::create(&mut tsubaki_core::OsRng, &round, org, &key, &slots)
                .map_err(status)?;
            put(out, json(&c.to_json())?)
        })
    }
}

/// The aggregator's step (`tsubaki stats aggregate`): reads `count` messages, each a
/// contribution or an aggregate of the round (an aggregate is told by its `"orgs"` field),
/// verifies and adds them in order (runs of contributions checked on `threads` threads; 0:
/// all cores), and returns the aggregate of the accepted ones. Each input's fate goes to
/// `statuses[k]` (`count` entries; NULL if not wanted): `TSUBAKI_STATUS_OK` if it was
/// added, else why it was refused — `INVALID_SIGNATURE` (tampered, or not signed with the
/// roster key), `DUPLICATE_CONTRIBUTOR`, `NOT_ON_ROSTER`, `WRONG_ROUND`,
/// `INVALID_ENCODING`, … — as the CLI prints "FILE: rejected: reason" and goes on.
/// Returns `TSUBAKI_STATUS_REJECTED` (and no handle) when no input was accepted.
///
/// # Safety
/// `round_json` readable for `round_len`; `msgs`/`msg_lens` readable for `count` entries,
/// each message for its length; `statuses` NULL or writable for `count` entries; `out`
/// valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_stats_aggregate(
    round_json: *const u8,
    round_len: usize,
    msgs: *const *const u8,
    msg_lens: *const usize,
    count: usize,
    threads: usize,
    statuses: *mut TsubakiStatus,
    out: *mut *mut TsubakiStatsMessage,
) -> TsubakiStatus {
    enum In {
        C(Contribution),
        A(Aggregate),
    }
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            clear_statuses(statuses, count)?;
            let round = round(input(non_null(round_json)?, round_len)?)?;
            let msgs = inputs(msgs, msg_lens, count)?;
            let threads = if threads == 0 {
                tsubaki_core::stats::cores()
            } else {
                threads
            };
            let parsed: Vec<Result<In, TsubakiStatus>> = msgs
                .iter()
                .map(|m| {
                    let v: serde_json::Value = parse(m)?;
                    if v.get("orgs").is_some() {
                        aggregate(&round, m).map(In::A)
                    } else {
                        contribution(&round, m).map(In::C)
                    }
                })
                .collect();
            let mut agg = Aggregator::new(&round);
            let mut batch: Vec<(usize, Contribution)> = Vec::new();
            let flush = |agg: &mut Aggregator<'_>, batch: &mut Vec<(usize, Contribution)>| {
                let cs: Vec<Contribution> = batch.iter().map(|(_, c)| c.clone()).collect();
                for ((k, _), r) in batch.iter().zip(agg.add_all(&cs, threads)) {
                    if let Err(e) = r {
                        set_status(statuses, *k, status(e));
                    }
                }
                batch.clear();
            };
            for (k, r) in parsed.into_iter().enumerate() {
                match r {
                    Ok(In::C(c)) => batch.push((k, c)),
                    Ok(In::A(g)) => {
                        flush(&mut agg, &mut batch);
                        if let Err(e) = agg.merge(&g) {
                            set_status(statuses, k, status(e));
                        }
                    }
                    Err(s) => set_status(statuses, k, s),
                }
            }
            flush(&mut agg, &mut batch);
            let agg = agg.finish().map_err(|_| TsubakiStatus::Rejected)?;
            put(out, json(&agg.to_json())?)
        })
    }
}

/// The committee member's (Paillier) or server's (Shamir) step (`tsubaki stats
/// partial`): as `member` with its signing `key`, checks that `aggregate_json` is exactly
/// the sum of the signed contributions it lists (found among the `count` contribution
/// messages; messages that are not contributions of this round are skipped, as the CLI
/// skips other files in its directory) and that it meets the quorum, records the round in
/// the journal file `journal_path` (created if missing; a second partial of the same
/// member in the same round is refused with `TSUBAKI_STATUS_ALREADY_DECRYPTED`, whichever
/// edge wrote the first), and decrypts its part. Paillier rounds: `sealed_share` is the
/// member's `keyshare-<member>.sealed` (opened here with `key`; one that does not open is
/// `TSUBAKI_STATUS_AUTHENTICATION_FAILED`); Shamir rounds: NULL (the server opens its
/// shares of the contributions with `key`).
///
/// # Safety
/// Buffers readable for their lengths (`sealed_share` may be NULL); `member` and
/// `journal_path` NUL-terminated strings; `msgs`/`msg_lens` readable for `count` entries;
/// `out` valid for writing one pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tsubaki_stats_partial(
    round_json: *const u8,
    round_len: usize,
    member: *const c_char,
    key_format: TsubakiKeyFormat,
    key: *const u8,
    key_len: usize,
    sealed_share: *const u8,
    sealed_share_len: usize,
    aggregate_json: *const u8,
    aggregate_len: usize,
    msgs: *const *const u8,
    msg_lens: *const usize,
    count: usize,
    journal_path: *const c_char,
    out: *mut *mut TsubakiStatsMessage,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            let round = round(input(non_null(round_json)?, round_len)?)?;
            let member = string(member)?;
            let key = signing_key(key_format, input(non_null(key)?, key_len)?)?;
            let aggregate = aggregate(&round, input(non_null(aggregate_json)?, aggregate_len)?)?;
            let contributions: Vec<Contribution> = inputs(msgs, msg_lens, count)?
                .into_iter()
                .filter_map(|m| contribution(&round, m).ok())
                .collect();
            let mut journal = FileJournal::new(PathBuf::from(string(journal_path)?));
            let sealed = if sealed_share.is_null() {
                None
            } else {
                Some(input(sealed_share, sealed_share_len)?)
            };
            let made = match (round.engine(), sealed) {
                (RoundEngine::Paillier(_), Some(sealed)) => {
                    let bytes = tsubaki_core::stats::open_key_share(
                        &key,
                        round.coordinator(),
                        round.id(),
                        member,
                        sealed,
                    )
                    .map_err(|e| match e {
                        Error::InvalidEncoding | Error::UnsupportedVersion => status(e),
                        _ => TsubakiStatus::AuthenticationFailed,
                    })?;
                    let share = KeyShare::from_bytes(&bytes).map_err(status)?;
                    PartialDecryption::create(
                        &mut tsubaki_core::OsRng,
                        &round,
                        member,
                        &key,
                        &share,
                        &aggregate,
                        &contributions,
                        &mut journal,
                    )
                }
                (RoundEngine::Paillier(_), None) => return Err(TsubakiStatus::NullPointer),
                (RoundEngine::Shamir(_), None) => PartialDecryption::create_server(
                    &round,
                    member,
                    &key,
                    &aggregate,
                    &contributions,
                    &mut journal,
                ),
                (RoundEngine::Shamir(_), Some(_)) => return Err(TsubakiStatus::InvalidArgument),
                _ => return Err(TsubakiStatus::Unsupported),
            };
            let p = made.map_err(status)?;
            put(out, json(&p.to_json(aggregate.orgs()))?)
        })
    }
}

/// The combiner's step (`tsubaki stats combine`): verifies the `count` partial
/// decryptions (or Shamir sum shares) against the round and `aggregate_json`, opens the
/// aggregate with the first t valid ones, and returns the report JSON (which says
/// `"valid": false` if a total exceeds contributors × its bound: the CLI writes it too and
/// exits 1). `statuses[k]` (NULL if not wanted) says why partial k was left out:
/// `INVALID_SIGNATURE`, `REJECTED` (a proof that fails, a second partial of a member),
/// `AGGREGATE_MISMATCH` (made for another aggregate), `INVALID_ENCODING`, …; fewer than t
/// valid is `TSUBAKI_STATUS_REJECTED` with no handle.
///
/// # Safety
/// Buffers readable for their lengths; `msgs`/`msg_lens` readable for `count` entries;
/// `statuses` NULL or writable for `count` entries; `out` valid for writing one pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tsubaki_stats_combine(
    round_json: *const u8,
    round_len: usize,
    aggregate_json: *const u8,
    aggregate_len: usize,
    msgs: *const *const u8,
    msg_lens: *const usize,
    count: usize,
    statuses: *mut TsubakiStatus,
    out: *mut *mut TsubakiStatsMessage,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([], |_| {
            handle_out(out)?;
            clear_statuses(statuses, count)?;
            let round = round(input(non_null(round_json)?, round_len)?)?;
            let aggregate = aggregate(&round, input(non_null(aggregate_json)?, aggregate_len)?)?;
            let mut partials = Vec::new();
            let mut positions = Vec::new();
            for (k, m) in inputs(msgs, msg_lens, count)?.into_iter().enumerate() {
                let parsed = parse::<PartialJson>(m)
                    .and_then(|j| PartialDecryption::from_json(&round, &j).map_err(status));
                match parsed {
                    Ok(p) => {
                        partials.push(p);
                        positions.push(k);
                    }
                    Err(s) => set_status(statuses, k, s),
                }
            }
            let combined = tsubaki_core::stats::combine(&round, &aggregate, &partials);
            for (i, _, e) in &combined.rejected {
                set_status(statuses, positions[*i], status(*e));
            }
            let report = combined.report.map_err(status)?;
            put(out, json(&report)?)
        })
    }
}
