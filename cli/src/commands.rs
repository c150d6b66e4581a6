//! The commands: each reads like the step a CSIRT operator takes; the rules are the
//! library's (`tsubaki::stats::rules`).

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::{Deserialize, Serialize};
use tsubaki::Error;
use tsubaki::ec::p256::{SigningKey, VerifyingKey};
use tsubaki::paillier::KeyGenProgress;
use tsubaki::paillier::threshold::{self, KeyShare, ThresholdPublicKey};
use tsubaki::stats::{
    Aggregate, AggregateJson, Aggregator, Contribution, ContributionJson, EngineParams,
    MetricResult, PartialDecryption, PartialJson, Party, Report, Round, Schema, Values, ValuesFile,
};
use tsubaki::stats::{engine::RoundEngine, rules};

use crate::files::{self, CliError, Context, Output, fail, fail_at};
use crate::{progress, seal};
use zeroize::Zeroizing;

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

/// `tsubaki keygen -o NAME`.
pub fn keygen(name: &Path, force: bool) -> Result<(), CliError> {
    let (secret, public) = key_paths(name);
    let (so, po) = (Output::new(&secret, force), Output::new(&public, force));
    so.check(&[])?;
    po.check(&[])?;
    let key = SigningKey::random(&mut tsubaki::OsRng);
    so.write(key.to_pkcs8_pem().as_bytes(), true)?;
    po.write(key.verifying_key().to_public_key_pem().as_bytes(), false)?;
    Ok(())
}

/// NAME.pem and NAME.pub.pem.
pub fn key_paths(name: &Path) -> (PathBuf, PathBuf) {
    let s = name.as_os_str().to_string_lossy();
    (
        PathBuf::from(format!("{s}.pem")),
        PathBuf::from(format!("{s}.pub.pem")),
    )
}

/// Reads a P-256 private key (PKCS#8 or SEC 1 PEM).
pub fn read_signing_key(path: &Path) -> Result<SigningKey, CliError> {
    let pem = files::read_secret_text(path)?;
    SigningKey::from_pkcs8_pem(&pem)
        .or_else(|_| SigningKey::from_sec1_pem(&pem))
        .map_err(|e| {
            if pem.contains("PUBLIC KEY") {
                fail_at(
                    path,
                    "is a public key; the private key (NAME.pem, not NAME.pub.pem) is needed here",
                )
            } else {
                fail_at(path, format!("not a P-256 private key in PEM ({e})"))
            }
        })
}

// ---------------------------------------------------------------------------------------
// Files of the round
// ---------------------------------------------------------------------------------------

/// A party in the roster and committee files.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyFile {
    /// Its id.
    pub id: String,
    /// Its SPKI PEM public key.
    pub public_key: String,
}

/// `{"contributors":[..]}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterFile {
    /// The contributors.
    pub contributors: Vec<PartyFile>,
}

/// `{"members":[..]}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitteeFile {
    /// The members, in share-index order.
    pub members: Vec<PartyFile>,
}

fn parties(path: &Path, list: Vec<PartyFile>, what: &str) -> Result<Vec<Party>, CliError> {
    list.into_iter()
        .map(|p| {
            files::check_file_id(&p.id, what).map_err(|e| fail_at(path, e))?;
            let public_key = VerifyingKey::from_public_key_pem(&p.public_key).map_err(|e| {
                fail_at(
                    path,
                    format!(
                        "{what} \"{}\": public_key is not a P-256 SPKI PEM key ({e})",
                        p.id
                    ),
                )
            })?;
            Ok(Party {
                id: p.id,
                public_key,
            })
        })
        .collect()
}

/// Reads and verifies `round.json` (the coordinator's signature).
pub fn read_round(path: &Path) -> Result<Round, CliError> {
    files::read_json(path, "round manifest")
}

/// Reads `round.json` and, with `--coordinator`, checks that it is signed by that pinned
/// key ([`rules::check_coordinator`]); the manifest's own signature only proves that
/// whoever signed it named their own key.
pub fn read_round_pinned(path: &Path, coordinator: Option<&Path>) -> Result<Round, CliError> {
    let round = read_round(path)?;
    if let Some(pin) = coordinator {
        let pem = files::read_text(pin)?;
        let key = VerifyingKey::from_public_key_pem(&pem)
            .map_err(|e| fail_at(pin, format!("not a P-256 SPKI PEM public key ({e})")))?;
        rules::check_coordinator(&round, &key).map_err(|_| {
            fail_at(
                path,
                format!(
                    "not signed by the pinned coordinator key {} (another party signed this manifest; do not use it)",
                    pin.display()
                ),
            )
        })?;
    }
    Ok(round)
}

fn read_contribution(round: &Round, path: &Path) -> Result<Contribution, CliError> {
    let j: ContributionJson = files::read_json(path, "contribution")?;
    Contribution::from_json(round, &j).map_err(|e| fail_at(path, reason(e, "contribution")))
}

fn read_aggregate(round: &Round, path: &Path) -> Result<Aggregate, CliError> {
    let j: AggregateJson = files::read_json(path, "aggregate")?;
    Aggregate::from_json(round, &j).map_err(|e| fail_at(path, reason(e, "aggregate")))
}

/// The cause of a refusal, in words.
pub fn reason(e: Error, what: &str) -> String {
    match e {
        Error::WrongRound => format!("{what} of another round"),
        Error::NotOnRoster => "organization not on the round's roster".into(),
        Error::InvalidSignature => {
            "bad signature (not made with the roster key, or the file was altered)".into()
        }
        Error::DuplicateContributor => "duplicate: this organization is already included".into(),
        Error::InvalidCiphertext => "malformed ciphertext".into(),
        Error::InvalidEncoding => format!("malformed {what}"),
        Error::UnsupportedVersion => format!("{what} of a newer format version; upgrade tsubaki"),
        Error::AggregateMismatch => {
            "the aggregate does not match the signed contributions it lists".into()
        }
        Error::QuorumNotMet => "fewer contributors than the round's quorum".into(),
        Error::AlreadyDecrypted => {
            "this member already produced its partial decryption for this round".into()
        }
        Error::InvalidShare => "a decryption share's proof does not verify".into(),
        Error::KeyMismatch => "key or share index does not match the committee entry".into(),
        Error::AuthenticationFailed => "a sealed share does not open (sealed to another server, for another round or organization, by another key, or altered)".into(),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------

/// The engine of a round (`--engine`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    /// Threshold Paillier: a dealer at setup, t of n committee members decrypt.
    Paillier,
    /// Shamir shares sealed to k aggregation servers: no dealer, any t sums rebuild.
    Shamir,
}

impl EngineArg {
    fn name(self) -> &'static str {
        match self {
            EngineArg::Paillier => "paillier",
            EngineArg::Shamir => "shamir",
        }
    }
}

/// `--engine`, if given, must be the manifest's.
fn check_engine(
    round: &Round,
    round_path: &Path,
    engine: Option<EngineArg>,
) -> Result<(), CliError> {
    match engine {
        Some(e) if e.name() != round.engine().name() => Err(fail_at(
            round_path,
            format!(
                "this round runs the {} engine, not {} (drop --engine or use --engine {})",
                round.engine().name(),
                e.name(),
                round.engine().name()
            ),
        )),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// setup
// ---------------------------------------------------------------------------------------

/// `tsubaki stats setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// The schema (metrics and bounds), JSON.
    #[arg(long, value_name = "S.json")]
    pub schema: PathBuf,
    /// The roster of contributors, JSON.
    #[arg(long, value_name = "R.json")]
    pub roster: PathBuf,
    /// The engine: paillier (threshold key dealt here) or shamir (servers with their own
    /// keys, no dealer).
    #[arg(long, value_enum, default_value_t = EngineArg::Paillier)]
    pub engine: EngineArg,
    /// The committee, JSON (member i holds key share i): with `--engine paillier`.
    #[arg(long, value_name = "C.json", required_unless_present = "servers")]
    pub committee: Option<PathBuf>,
    /// The aggregation servers, JSON (`{"members":[..]}`, server i holds share x = i):
    /// with `--engine shamir`.
    #[arg(long, value_name = "SERVERS.json", conflicts_with = "committee")]
    pub servers: Option<PathBuf>,
    /// Members (servers) needed to decrypt (rebuild the totals).
    #[arg(short = 't', long = "threshold", value_name = "T")]
    pub threshold: usize,
    /// Least number of distinct contributors before anything is decrypted.
    #[arg(long, value_name = "Q")]
    pub quorum: u32,
    /// The coordinator's private key (signs the manifest).
    #[arg(long, value_name = "COORD.pem")]
    pub key: PathBuf,
    /// Size of the Paillier modulus.
    #[arg(long, default_value_t = 2048, value_parser = parse_bits)]
    pub bits: usize,
    /// A title for the round.
    #[arg(long, default_value = "")]
    pub title: String,
    /// Deal from these safe primes (two hex lines p, q) instead of generating them
    /// (tests and reproducible demos only: whoever has the file can decrypt everything).
    #[arg(long, hide = true, value_name = "FILE")]
    pub primes: Option<PathBuf>,
    /// Output directory (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

/// The coordinator's step. Returns the round.
pub fn setup(a: &SetupArgs) -> Result<Round, CliError> {
    let schema: Schema = files::read_json(&a.schema, "schema")?;
    let roster_file: RosterFile = files::read_json(&a.roster, "roster")?;
    let committee_path = match (a.engine, &a.committee, &a.servers) {
        (EngineArg::Paillier, Some(c), None) => c,
        (EngineArg::Shamir, None, Some(s)) => s,
        (EngineArg::Paillier, _, _) => {
            return Err(fail(
                "--engine paillier takes --committee C.json (--servers is for --engine shamir)",
            ));
        }
        (EngineArg::Shamir, _, _) => {
            return Err(fail(
                "--engine shamir takes --servers SERVERS.json (--committee is for --engine paillier)",
            ));
        }
    };
    let (file_kind, member_kind) = match a.engine {
        EngineArg::Paillier => ("committee", "member"),
        EngineArg::Shamir => ("servers", "server"),
    };
    let committee_file: CommitteeFile = files::read_json(committee_path, file_kind)?;
    let roster = parties(&a.roster, roster_file.contributors, "contributor")?;
    let committee = parties(committee_path, committee_file.members, member_kind)?;
    let coordinator = read_signing_key(&a.key)?;
    fs::create_dir_all(&a.output).at(&a.output)?;
    let round_out = Output::new(a.output.join("round.json"), a.force);
    round_out.check(&[])?;
    let shamir = a.engine == EngineArg::Shamir;
    let share_outs: Vec<Output> = committee
        .iter()
        .filter(|_| !shamir)
        .map(|m| Output::new(a.output.join(format!("keyshare-{}.sealed", m.id)), a.force))
        .collect();
    for o in &share_outs {
        o.check(&[])?;
    }
    if a.threshold < 2 || a.threshold > committee.len() {
        return Err(fail_at(
            committee_path,
            format!(
                "-t {} must be between 2 and the {file_kind}' size ({})",
                a.threshold,
                committee.len()
            ),
        ));
    }
    if rules::check_majority(a.threshold, committee.len()).is_err() {
        return Err(fail_at(
            committee_path,
            format!(
                "-t {} must be more than half of the {file_kind}' size ({}): with 2t <= n two \
                 disjoint groups of t could each decrypt another aggregate of the round, and their \
                 difference reveals a contribution",
                a.threshold,
                committee.len()
            ),
        ));
    }
    if a.quorum < 2 || a.quorum as usize > roster.len() {
        return Err(fail_at(
            &a.roster,
            format!(
                "--quorum {} must be between 2 and the roster's size ({})",
                a.quorum,
                roster.len()
            ),
        ));
    }
    let (params, shares) = if shamir {
        (
            EngineParams::Shamir {
                threshold: a.threshold,
            },
            Vec::new(),
        )
    } else {
        let (tpk, shares) = deal_key(a, committee.len())?;
        (EngineParams::Paillier(tpk), shares)
    };
    let round = Round::create(
        &mut tsubaki::OsRng,
        &a.title,
        schema,
        params,
        roster,
        committee,
        a.quorum,
        &coordinator,
    )
    .map_err(|e| match e {
        Error::PlaintextOutOfRange | Error::Overflow => fail_at(
            &a.schema,
            if shamir {
                "bounds too large for the roster's size (a slot's bound × contributors must stay below the field's p = 2^64 - 2^32 + 1)"
            } else {
                "bounds too large for the roster's size (a slot's bound × contributors must fit 64 bits)"
            },
        ),
        e => fail(format!("cannot create the round: {e}")),
    })?;
    round_out.write_json(&round)?;
    for ((share, member), out) in shares.iter().zip(round.committee()).zip(&share_outs) {
        let sealed = seal::seal(
            &coordinator,
            &member.public_key,
            round.id(),
            &member.id,
            &share.to_bytes(),
        )
        .map_err(|e| fail_at(out.path(), format!("cannot seal the key share: {e}")))?;
        out.write(&sealed, true)?;
    }
    Ok(round)
}

fn parse_bits(s: &str) -> Result<usize, String> {
    match s {
        "2048" | "3072" | "4096" => Ok(s.parse().unwrap_or(2048)),
        _ => Err("use 2048, 3072 or 4096".into()),
    }
}

fn deal_key(a: &SetupArgs, n: usize) -> Result<(ThresholdPublicKey, Vec<KeyShare>), CliError> {
    if let Some(path) = &a.primes {
        // The dealer's primes: the text and the decoded values are wiped when dropped.
        let text = files::read_secret_text(path)?;
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let mut next = || -> Result<Zeroizing<Vec<u8>>, CliError> {
            let l = lines
                .next()
                .ok_or_else(|| fail_at(path, "two hex lines p and q expected"))?;
            tsubaki_hex(l)
                .map(Zeroizing::new)
                .ok_or_else(|| fail_at(path, "not hex"))
        };
        let (p, q) = (next()?, next()?);
        return threshold::deal(&mut tsubaki::OsRng, &p, &q, a.threshold, n)
            .map_err(|e| fail_at(path, format!("cannot deal from these primes: {e}")));
    }
    let spin = progress::spinner("generating the threshold key (safe primes)");
    let mut on_progress = |p: KeyGenProgress| {
        if let KeyGenProgress::Candidate { prime, candidates } = p
            && candidates % 64 == 0
        {
            spin.set_message(format!(
                "generating the threshold key: prime {} of 2, candidate {candidates}",
                prime + 1
            ));
        }
    };
    let r = threshold::generate(
        &mut tsubaki::OsRng,
        a.bits,
        a.threshold,
        n,
        &mut on_progress,
    )
    .map_err(|e| fail(format!("threshold key generation failed: {e}")));
    spin.finish_and_clear();
    r
}

fn tsubaki_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.strip_prefix("0x").unwrap_or(s);
    let s = if s.len() % 2 == 1 {
        format!("0{s}")
    } else {
        s.to_string()
    };
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

// ---------------------------------------------------------------------------------------
// contribute
// ---------------------------------------------------------------------------------------

/// `tsubaki stats contribute`.
#[derive(Debug, Args)]
pub struct ContributeArgs {
    /// The round manifest.
    #[arg(long, value_name = "round.json")]
    pub round: PathBuf,
    /// The coordinator's public key, pinned out of band: the manifest must be signed by it.
    #[arg(long, value_name = "COORD.pub.pem")]
    pub coordinator: Option<PathBuf>,
    /// This organization's id on the roster.
    #[arg(long, value_name = "ID")]
    pub org: String,
    /// This organization's private key.
    #[arg(long, value_name = "ORG.pem")]
    pub key: PathBuf,
    /// The values, JSON: {"metric": 12, "vector": [..], "flag": true, "histogram": "bucket"}.
    #[arg(long, value_name = "V.json")]
    pub values: PathBuf,
    /// Output file.
    #[arg(short = 'o', long = "output", value_name = "OUT.json")]
    pub output: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    pub force: bool,
    /// The engine the round must run (checked against the manifest).
    #[arg(long, value_enum)]
    pub engine: Option<EngineArg>,
}

/// The contributor's step.
pub fn contribute(a: &ContributeArgs) -> Result<(), CliError> {
    let out = Output::new(&a.output, a.force);
    out.check(&[&a.round, &a.key, &a.values])?;
    let round = read_round_pinned(&a.round, a.coordinator.as_deref())?;
    check_engine(&round, &a.round, a.engine)?;
    let key = read_signing_key(&a.key)?;
    let values: Values = files::read_secret_json::<ValuesFile>(&a.values, "values")?.0;
    let c = contribute_values(&round, &a.org, &key, &a.key, &values, &a.values, &a.round)?;
    out.write_json(&c.to_json())
}

/// Checks `values` against the schema, then encrypts and signs them.
pub fn contribute_values(
    round: &Round,
    org: &str,
    key: &SigningKey,
    key_path: &Path,
    values: &Values,
    values_path: &Path,
    round_path: &Path,
) -> Result<Contribution, CliError> {
    // The encoded values are the organization's secret: wiped when dropped.
    let slots = Zeroizing::new(
        round
            .schema()
            .encode(values)
            .map_err(|e| fail_at(values_path, e))?,
    );
    Contribution::create(&mut tsubaki::OsRng, round, org, key, &slots).map_err(|e| match e {
        Error::NotOnRoster => fail_at(
            round_path,
            format!("org \"{org}\" is not on this round's roster"),
        ),
        Error::KeyMismatch => fail_at(
            key_path,
            format!("--key is not the key the roster lists for \"{org}\""),
        ),
        e => fail(format!("cannot contribute: {e}")),
    })
}

// ---------------------------------------------------------------------------------------
// aggregate
// ---------------------------------------------------------------------------------------

/// `tsubaki stats aggregate`.
#[derive(Debug, Args)]
pub struct AggregateArgs {
    /// The round manifest.
    #[arg(long, value_name = "round.json")]
    pub round: PathBuf,
    /// The coordinator's public key, pinned out of band: the manifest must be signed by it.
    #[arg(long, value_name = "COORD.pub.pem")]
    pub coordinator: Option<PathBuf>,
    /// Output file.
    #[arg(short = 'o', long = "output", value_name = "aggregate.json")]
    pub output: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    pub force: bool,
    /// Threads for signature checks and additions (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// The engine the round must run (checked against the manifest).
    #[arg(long, value_enum)]
    pub engine: Option<EngineArg>,
    /// Contributions and/or aggregates of this round.
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
}

/// The aggregator's step: refuses each bad input on stderr, writes the aggregate of the
/// accepted ones; fails only if none was accepted.
pub fn aggregate(a: &AggregateArgs) -> Result<(), CliError> {
    let out = Output::new(&a.output, a.force);
    let mut inputs: Vec<&Path> = a.files.iter().map(PathBuf::as_path).collect();
    inputs.push(&a.round);
    out.check(&inputs)?;
    let round = read_round_pinned(&a.round, a.coordinator.as_deref())?;
    check_engine(&round, &a.round, a.engine)?;
    let threads = a.threads.unwrap_or_else(cores);
    let (agg, rejected) = aggregate_files(&round, &a.files, threads)?;
    for line in &rejected {
        progress::eprintln(&format!("tsubaki: {line}"));
    }
    let agg = agg.ok_or_else(|| {
        fail(format!(
            "no input accepted ({} rejected): nothing written",
            rejected.len()
        ))
    })?;
    out.write_json(&agg.to_json())?;
    progress::eprintln(&format!(
        "aggregated {} contributions ({} inputs rejected) into {}",
        agg.contributors(),
        rejected.len(),
        a.output.display()
    ));
    Ok(())
}

pub use tsubaki::stats::{cores, parallel_map as parallel};

enum Input {
    Contribution(Contribution),
    Aggregate(Aggregate),
}

/// Reads and adds `files` in order (runs of contributions verified in parallel).
/// Returns the aggregate (if anything was accepted) and one line per rejected input.
pub fn aggregate_files(
    round: &Round,
    paths: &[PathBuf],
    threads: usize,
) -> Result<(Option<Aggregate>, Vec<String>), CliError> {
    let bar = progress::bar(paths.len() as u64, "reading");
    let parsed: Vec<Result<Input, String>> = parallel(paths, threads, |p| {
        let r = read_input(round, p);
        bar.inc(1);
        r
    });
    bar.finish_and_clear();
    let mut rejected = Vec::new();
    let mut agg = Aggregator::new(round);
    let mut batch: Vec<(&PathBuf, Contribution)> = Vec::new();
    let flush = |agg: &mut Aggregator<'_>,
                 batch: &mut Vec<(&PathBuf, Contribution)>,
                 rejected: &mut Vec<String>| {
        let cs: Vec<Contribution> = batch.iter().map(|(_, c)| c.clone()).collect();
        let results = agg.add_all(&cs, threads);
        for ((p, c), r) in batch.iter().zip(results) {
            if let Err(e) = r {
                let why = match e {
                    Error::DuplicateContributor => {
                        format!("duplicate: org \"{}\" is already included", c.org())
                    }
                    Error::NotOnRoster => {
                        format!("org \"{}\" is not on the round's roster", c.org())
                    }
                    e => format!("{} (org \"{}\")", reason(e, "contribution"), c.org()),
                };
                rejected.push(format!("{}: rejected: {why}", p.display()));
            }
        }
        batch.clear();
    };
    for (p, r) in paths.iter().zip(parsed) {
        match r {
            Ok(Input::Contribution(c)) => batch.push((p, c)),
            Ok(Input::Aggregate(g)) => {
                flush(&mut agg, &mut batch, &mut rejected);
                if let Err(e) = agg.merge(&g) {
                    let why = match e {
                        Error::DuplicateContributor => {
                            let dup: Vec<String> =
                                g.orgs().into_iter().filter(|o| agg.includes(o)).collect();
                            format!("duplicate: org(s) {dup:?} already included")
                        }
                        e => reason(e, "aggregate"),
                    };
                    rejected.push(format!("{}: rejected: {why}", p.display()));
                }
            }
            Err(cause) => rejected.push(format!("{}: rejected: {cause}", p.display())),
        }
    }
    flush(&mut agg, &mut batch, &mut rejected);
    Ok((agg.finish().ok(), rejected))
}

fn read_input(round: &Round, p: &Path) -> Result<Input, String> {
    let strip = |e: CliError| {
        let prefix = format!("{}: ", p.display());
        e.msg
            .strip_prefix(&prefix)
            .map(str::to_string)
            .unwrap_or(e.msg)
    };
    let v: serde_json::Value = files::read_json(p, "contribution or aggregate").map_err(strip)?;
    if v.get("orgs").is_some() {
        let j: AggregateJson =
            serde_json::from_value(v).map_err(|e| format!("not a valid aggregate: {e}"))?;
        Aggregate::from_json(round, &j)
            .map(Input::Aggregate)
            .map_err(|e| reason(e, "aggregate"))
    } else {
        let j: ContributionJson =
            serde_json::from_value(v).map_err(|e| format!("not a valid contribution: {e}"))?;
        Contribution::from_json(round, &j)
            .map(Input::Contribution)
            .map_err(|e| reason(e, "contribution"))
    }
}

// ---------------------------------------------------------------------------------------
// partial
// ---------------------------------------------------------------------------------------

/// `tsubaki stats partial`.
#[derive(Debug, Args)]
pub struct PartialArgs {
    /// The round manifest.
    #[arg(long, value_name = "round.json")]
    pub round: PathBuf,
    /// The coordinator's public key, pinned out of band: the manifest must be signed by it.
    #[arg(long, value_name = "COORD.pub.pem")]
    pub coordinator: Option<PathBuf>,
    /// This member's id on the committee.
    #[arg(long, value_name = "ID")]
    pub member: String,
    /// This member's private key (opens the sealed share, signs the partial).
    #[arg(long, value_name = "M.pem")]
    pub key: PathBuf,
    /// This member's sealed key share (Paillier engine; a Shamir server has none).
    #[arg(long, value_name = "keyshare-ID.sealed")]
    pub share: Option<PathBuf>,
    /// The engine the round must run (checked against the manifest).
    #[arg(long, value_enum)]
    pub engine: Option<EngineArg>,
    /// The aggregate to decrypt.
    #[arg(long, value_name = "aggregate.json")]
    pub aggregate: PathBuf,
    /// Directory holding the contributions the aggregate lists (other files are ignored).
    #[arg(long, value_name = "DIR")]
    pub contributions: PathBuf,
    /// The journal of rounds this member decrypted in (default: the share file's path,
    /// or the key's for a Shamir server, with `.journal` appended).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Output file.
    #[arg(short = 'o', long = "output", value_name = "partial-ID.json")]
    pub output: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    pub force: bool,
}

/// The decrypt-once journal in a local file (the library's, shared with the C ABI).
pub use tsubaki::stats::FileJournal;

/// The committee member's (or Shamir server's) step.
pub fn partial(a: &PartialArgs) -> Result<(), CliError> {
    let out = Output::new(&a.output, a.force);
    let mut inputs = vec![a.round.as_path(), a.aggregate.as_path(), a.key.as_path()];
    if let Some(s) = &a.share {
        inputs.push(s);
    }
    out.check(&inputs)?;
    let journal_path = a.journal.clone().unwrap_or_else(|| {
        let mut s = a
            .share
            .clone()
            .unwrap_or_else(|| a.key.clone())
            .into_os_string();
        s.push(".journal");
        PathBuf::from(s)
    });
    // The journal is an input too, whether it exists yet or not: a partial written over it
    // would erase the record of this round and let the next run decrypt again.
    if files::same_path(&a.output, &journal_path) {
        return Err(fail_at(
            &a.output,
            "is also an input (the decrypt-once journal); choose another output",
        ));
    }
    let round = read_round_pinned(&a.round, a.coordinator.as_deref())?;
    check_engine(&round, &a.round, a.engine)?;
    let key = read_signing_key(&a.key)?;
    let aggregate = read_aggregate(&round, &a.aggregate)?;
    let shamir = matches!(round.engine(), RoundEngine::Shamir(_));
    let share = match (&a.share, shamir) {
        (Some(path), false) => {
            let sealed = files::read(path)?;
            let share_bytes = seal::open(&key, round.coordinator(), round.id(), &a.member, &sealed)
                .map_err(|e| fail_at(path, e))?;
            Some(
                KeyShare::from_bytes(&share_bytes)
                    .map_err(|e| fail_at(path, format!("not a key share: {e}")))?,
            )
        }
        (None, false) => {
            return Err(fail_at(
                &a.round,
                "a Paillier round: --share keyshare-ID.sealed (this member's sealed key share) is needed",
            ));
        }
        (Some(path), true) => {
            return Err(fail_at(
                path,
                "a Shamir round has no key shares: drop --share (the server opens its shares with --key)",
            ));
        }
        (None, true) => None,
    };
    let contributions = read_contribution_files(&round, &a.contributions)?;
    let mut journal = FileJournal::new(journal_path.clone());
    let cs: Vec<Contribution> = contributions.iter().map(|(_, c)| c.clone()).collect();
    let made = match &share {
        Some(share) => PartialDecryption::create(
            &mut tsubaki::OsRng,
            &round,
            &a.member,
            &key,
            share,
            &aggregate,
            &cs,
            &mut journal,
        ),
        None => {
            PartialDecryption::create_server(&round, &a.member, &key, &aggregate, &cs, &mut journal)
        }
    };
    let p = made.map_err(|e| match e {
        Error::NotOnRoster => fail_at(&a.round, format!("\"{}\" is not on this round's committee", a.member)),
        Error::KeyMismatch if shamir => fail_at(&a.key, format!(
            "--key is not server \"{}\"'s (the manifest lists another key)",
            a.member
        )),
        Error::KeyMismatch => fail_at(&a.key, format!(
            "--key or --share is not member \"{}\"'s (the committee lists another key or index)",
            a.member
        )),
        Error::AggregateMismatch => fail_at(
            &a.aggregate,
            format!("does not match the signed contributions in {} (a listed contribution is missing, or the sum differs)", a.contributions.display()),
        ),
        Error::QuorumNotMet => fail_at(
            &a.aggregate,
            format!("only {} contributors; the round's quorum is {}", aggregate.contributors(), round.quorum()),
        ),
        Error::AlreadyDecrypted => fail_at(
            &journal_path,
            format!("member \"{}\" already decrypted in round {}: refusing a second partial decryption", a.member, round.id_hex()),
        ),
        Error::JournalFailure => fail_at(&journal_path, "cannot read or write the journal"),
        e @ (Error::AuthenticationFailed | Error::InvalidShare) if shamir => {
            // Name the contribution whose share does not open (only on this failure path).
            let culprit = round
                .member(&a.member)
                .and_then(|(index, _)| {
                    rules::open_own_shares(&round, index, &key, &aggregate, &cs).err()
                })
                .and_then(|(org, _)| contributions.iter().find(|(_, c)| c.org() == org))
                .map(|(path, c)| (path.clone(), c.org().to_string()));
            match culprit {
                Some((path, org)) => fail_at(
                    &path,
                    format!("org \"{org}\": {}; nothing was summed or journaled", reason(e, "contribution")),
                ),
                None => fail_at(&a.aggregate, reason(e, "aggregate")),
            }
        }
        e => fail_at(&a.aggregate, reason(e, "aggregate")),
    })?;
    out.write_json(&p.to_json(aggregate.orgs()))
}

/// Every `*.json` in `dir` that is a contribution of `round`, with its path; others are
/// skipped.
pub fn read_contribution_files(
    round: &Round,
    dir: &Path,
) -> Result<Vec<(PathBuf, Contribution)>, CliError> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| fail_at(dir, format!("cannot read the directory: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let parsed = parallel(&paths, cores(), |p| read_contribution(round, p).ok());
    Ok(paths
        .into_iter()
        .zip(parsed)
        .filter_map(|(p, c)| c.map(|c| (p, c)))
        .collect())
}

// ---------------------------------------------------------------------------------------
// combine
// ---------------------------------------------------------------------------------------

/// `tsubaki stats combine`.
#[derive(Debug, Args)]
pub struct CombineArgs {
    /// The round manifest.
    #[arg(long, value_name = "round.json")]
    pub round: PathBuf,
    /// The coordinator's public key, pinned out of band: the manifest must be signed by it.
    #[arg(long, value_name = "COORD.pub.pem")]
    pub coordinator: Option<PathBuf>,
    /// The aggregate the partials decrypt.
    #[arg(long, value_name = "aggregate.json")]
    pub aggregate: PathBuf,
    /// Output file (the report).
    #[arg(short = 'o', long = "output", value_name = "report.json")]
    pub output: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    pub force: bool,
    /// The engine the round must run (checked against the manifest).
    #[arg(long, value_enum)]
    pub engine: Option<EngineArg>,
    /// Partial decryptions or server sum shares (any t valid ones are used).
    #[arg(required = true, value_name = "PARTIALS")]
    pub partials: Vec<PathBuf>,
}

/// The combiner's step: writes the report and prints it as a table. Fails (and writes
/// nothing) with fewer than t valid partials; writes the report but exits 1 if it is
/// invalid.
pub fn combine(a: &CombineArgs) -> Result<Report, CliError> {
    let out = Output::new(&a.output, a.force);
    let mut inputs: Vec<&Path> = a.partials.iter().map(PathBuf::as_path).collect();
    inputs.extend([a.round.as_path(), a.aggregate.as_path()]);
    out.check(&inputs)?;
    let round = read_round_pinned(&a.round, a.coordinator.as_deref())?;
    check_engine(&round, &a.round, a.engine)?;
    let aggregate = read_aggregate(&round, &a.aggregate)?;
    let shamir = matches!(round.engine(), RoundEngine::Shamir(_));
    let mut partials = Vec::new();
    let mut ppaths = Vec::new();
    let mut unreadable = 0;
    for p in &a.partials {
        let parsed = files::read_json::<PartialJson>(p, "partial decryption").and_then(|j| {
            PartialDecryption::from_json(&round, &j)
                .map_err(|e| fail_at(p, reason(e, "partial decryption")))
        });
        match parsed {
            Ok(x) => {
                partials.push(x);
                ppaths.push(p);
            }
            Err(e) => {
                unreadable += 1;
                progress::eprintln(&format!("tsubaki: {e} (rejected)"));
            }
        }
    }
    let combined = tsubaki::stats::combine(&round, &aggregate, &partials);
    for (i, member, e) in &combined.rejected {
        progress::eprintln(&format!(
            "tsubaki: {}: rejected: {} of \"{member}\": {}",
            ppaths[*i].display(),
            if shamir {
                "sum share"
            } else {
                "partial decryption"
            },
            partial_reason(*e, shamir)
        ));
    }
    let report = combined.report.map_err(|e| match e {
        Error::NotEnoughShares => fail(format!(
            "only {} valid {} of {} given ({} rejected); {} are needed",
            partials.len() - combined.rejected.len(),
            if shamir {
                "sum shares (over the aggregate's set)"
            } else {
                "partial decryptions"
            },
            a.partials.len(),
            combined.rejected.len() + unreadable,
            round.threshold()
        )),
        e => fail_at(&a.aggregate, format!("cannot open the aggregate: {e}")),
    })?;
    out.write_json(&report)?;
    print!("{}", table(&round, &report));
    if !report.valid {
        return Err(fail_at(
            &a.output,
            "report INVALID: a total exceeds contributors × its bound, or the totals are ones no in-bound values give (a contributor broke a bound); written for inspection",
        ));
    }
    Ok(report)
}

fn partial_reason(e: Error, shamir: bool) -> String {
    match e {
        Error::AggregateMismatch if shamir => {
            "summed another set of contributions than the aggregate lists (dropped or added one): left out".into()
        }
        Error::InvalidShare if shamir => "malformed sum share".into(),
        Error::InvalidSignature => {
            "the member's signature does not verify (forged or altered)".into()
        }
        Error::InvalidShare => "a decryption share's proof does not verify (tampered)".into(),
        Error::AggregateMismatch => "made for another aggregate".into(),
        Error::NotOnRoster => "not a committee member".into(),
        Error::KeyMismatch => "share index does not match the member's".into(),
        Error::DuplicateShareIndex => "second partial of the same member".into(),
        e => reason(e, "partial decryption"),
    }
}

/// The report as a text table.
pub fn table(round: &Round, r: &Report) -> String {
    let mut s = String::new();
    let title = if round.title().is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", round.title())
    };
    s.push_str(&format!(
        "round {}{title}: {} contributors, report {}\n",
        r.round_hex(),
        r.contributors,
        if r.valid { "valid" } else { "INVALID" }
    ));
    let w = r
        .metrics
        .iter()
        .map(|(n, _)| n.len())
        .max()
        .unwrap_or(6)
        .max(6);
    s.push_str(&format!(
        "{:w$}  {:>8}  {:>14}  {:>12}  {:>14}\n",
        "metric", "count", "sum", "mean", "variance"
    ));
    for (name, m) in &r.metrics {
        match m {
            MetricResult::Count { count } => s.push_str(&format!("{name:w$}  {count:>8}\n")),
            MetricResult::Stats {
                count,
                sum,
                mean,
                variance,
            } => {
                let f = |x: &Option<f64>| x.map_or(String::new(), |v| format!("{v:.3}"));
                s.push_str(&format!(
                    "{name:w$}  {count:>8}  {sum:>14}  {:>12}  {:>14}\n",
                    f(mean),
                    f(variance)
                ));
            }
            MetricResult::Histogram(b) => {
                let parts: Vec<String> = b.iter().map(|(k, v)| format!("{k}={v}")).collect();
                s.push_str(&format!("{name:w$}  histogram: {}\n", parts.join(" ")));
            }
            MetricResult::SumVec(v) => {
                let shown: Vec<String> = v.iter().take(8).map(u64::to_string).collect();
                let more = if v.len() > 8 {
                    format!(" … ({} entries)", v.len())
                } else {
                    String::new()
                };
                s.push_str(&format!("{name:w$}  sums: [{}]{more}\n", shown.join(", ")));
            }
        }
    }
    s
}
