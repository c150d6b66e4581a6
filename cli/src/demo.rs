//! `tsubaki stats demo`: a whole round over files — keys for every party, setup, every
//! organization contributing random values, aggregation, t partial decryptions, combine —
//! timing each phase, then the plain sums recomputed and compared with the report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tsubaki::ec::p256::SigningKey;
use tsubaki::rand_core::Rng;
use tsubaki::stats::{MetricResult, Report, Value, Values};

use crate::commands::{
    self, AggregateArgs, CombineArgs, CommitteeFile, EngineArg, PartialArgs, PartyFile, RosterFile,
    SetupArgs,
};
use crate::files::{CliError, Output, fail, fail_at};
use crate::progress;

/// `tsubaki stats demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of contributing organizations.
    #[arg(long, default_value_t = 1000)]
    pub orgs: usize,
    /// Counters per organization (a `sumvec` of 16-bit values).
    #[arg(long, default_value_t = 64)]
    pub counters: usize,
    /// The engine: paillier (threshold key dealt at setup) or shamir (aggregation servers
    /// with their own keys).
    #[arg(long, value_enum, default_value_t = EngineArg::Paillier)]
    pub engine: EngineArg,
    /// Committee size (the number of servers with `--engine shamir`).
    #[arg(long, default_value_t = 5)]
    pub committee: usize,
    /// Members needed to decrypt.
    #[arg(short = 't', long = "threshold", default_value_t = 3)]
    pub threshold: usize,
    /// Size of the Paillier modulus.
    #[arg(long, default_value_t = 2048)]
    pub bits: usize,
    /// Work in this directory (kept) instead of a temporary one (removed).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Deal from these safe primes instead of generating them (tests).
    #[arg(long, hide = true, value_name = "FILE")]
    pub primes: Option<PathBuf>,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where the demo's throwaway round goes without `--dir`: `$TMPDIR` if set, else the RAM
/// file system `/dev/shm` where there is one (the round's ~3,000 small files are deleted at
/// the end; on a disk-backed /tmp each create + rename can cost a millisecond, measured
/// 1.2 ms on the project VM's ext4, which would dominate the Shamir demo), else the
/// system's temporary directory. The directory is printed either way.
fn scratch_root() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if std::env::var_os("TMPDIR").is_none() && cfg!(target_os = "linux") && shm.is_dir() {
        let probe = shm.join(format!(".tsubaki-probe-{}", std::process::id()));
        if std::fs::create_dir(&probe).is_ok() {
            let _ = std::fs::remove_dir(&probe);
            return shm.to_path_buf();
        }
    }
    std::env::temp_dir()
}

/// Runs the demo.
pub fn run(a: &DemoArgs) -> Result<(), CliError> {
    if a.orgs < 2 || a.counters == 0 || a.counters > 4096 {
        return Err(fail("--orgs must be at least 2 and --counters 1..=4096"));
    }
    // The sizes the manifest will be checked against, before any key is made (a key pair
    // per party is written first; millions of them would fill /dev/shm for minutes).
    if a.orgs > tsubaki::stats::MAX_ROSTER {
        return Err(fail(format!(
            "--orgs {} is above the largest roster ({})",
            a.orgs,
            tsubaki::stats::MAX_ROSTER
        )));
    }
    if a.committee > tsubaki::stats::MAX_COMMITTEE {
        return Err(fail(format!(
            "--committee {} is above the largest committee ({})",
            a.committee,
            tsubaki::stats::MAX_COMMITTEE
        )));
    }
    if a.threshold < 2
        || a.threshold > a.committee
        || tsubaki::stats::rules::check_majority(a.threshold, a.committee).is_err()
    {
        return Err(fail(format!(
            "-t {} must be at least 2, at most --committee ({}) and more than half of it",
            a.threshold, a.committee
        )));
    }
    let (dir, _guard) = match &a.dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| fail_at(d, e))?;
            (d.clone(), None)
        }
        None => {
            let mut bytes = [0u8; 8];
            tsubaki::OsRng.fill_bytes(&mut bytes);
            let d = scratch_root().join(format!("tsubaki-demo-{}", tsubaki::stats::to_hex(&bytes)));
            std::fs::create_dir_all(&d).map_err(|e| fail_at(&d, e))?;
            (d.clone(), Some(TempDir(d)))
        }
    };
    let total = Instant::now();
    let mut phase = Phase::new();
    let shamir = a.engine == EngineArg::Shamir;
    if shamir {
        println!(
            "tsubaki stats demo (Shamir engine): {} organizations × {} counters, {} servers (t = {}), in {}",
            a.orgs,
            a.counters,
            a.committee,
            a.threshold,
            dir.display()
        );
    } else {
        println!(
            "tsubaki stats demo: {} organizations × {} counters, committee {} (t = {}), {}-bit key, in {}",
            a.orgs,
            a.counters,
            a.committee,
            a.threshold,
            a.bits,
            dir.display()
        );
    }

    // 1. Keys for every party.
    let keys_dir = dir.join("keys");
    std::fs::create_dir_all(&keys_dir).map_err(|e| fail_at(&keys_dir, e))?;
    let org_ids: Vec<String> = (1..=a.orgs).map(|i| format!("org-{i:05}")).collect();
    let member_ids: Vec<String> = (1..=a.committee)
        .map(|i| {
            if shamir {
                format!("server-{i}")
            } else {
                format!("member-{i}")
            }
        })
        .collect();
    let mut all_ids: Vec<String> = vec!["coordinator".into()];
    all_ids.extend(org_ids.iter().cloned());
    all_ids.extend(member_ids.iter().cloned());
    let bar = progress::bar(all_ids.len() as u64, "keys");
    let pubs = commands::parallel(&all_ids, commands::cores(), |id| {
        let key = SigningKey::random(&mut tsubaki::OsRng);
        let (s, p) = commands::key_paths(&keys_dir.join(id));
        let pem = key.verifying_key().to_public_key_pem();
        let r = Output::new(&s, true)
            .write(key.to_pkcs8_pem().as_bytes(), true)
            .and_then(|_| Output::new(&p, true).write(pem.as_bytes(), false));
        bar.inc(1);
        r.map(|_| pem)
    });
    bar.finish_and_clear();
    let pubs: Vec<String> = pubs.into_iter().collect::<Result<_, _>>()?;
    // Every later step pins the coordinator's key, as the parties of a real round do.
    let coordinator_pub_path = commands::key_paths(&keys_dir.join("coordinator")).1;
    let coordinator_pub = &coordinator_pub_path;
    let party = |i: usize, id: &str| PartyFile {
        id: id.into(),
        public_key: pubs[i].clone(),
    };
    let roster = RosterFile {
        contributors: org_ids
            .iter()
            .enumerate()
            .map(|(i, id)| party(1 + i, id))
            .collect(),
    };
    let committee = CommitteeFile {
        members: member_ids
            .iter()
            .enumerate()
            .map(|(i, id)| party(1 + a.orgs + i, id))
            .collect(),
    };
    Output::new(dir.join("roster.json"), true).write_json(&roster)?;
    Output::new(dir.join("committee.json"), true).write_json(&committee)?;
    let schema = serde_json::json!({"metrics": [
        {"name": "counters", "kind": "sumvec", "len": a.counters, "max": 65535},
        {"name": "hours_to_contain", "kind": "variance", "max": 720},
        {"name": "saw_campaign", "kind": "count"},
        {"name": "severity", "kind": "histogram", "buckets": ["low", "medium", "high"]}
    ]});
    Output::new(dir.join("schema.json"), true).write_json(&schema)?;
    phase.done("keys (P-256, every party)");

    // 2. Setup: the threshold key and the signed manifest.
    let round_dir = dir.join("round");
    let round = commands::setup(&SetupArgs {
        schema: dir.join("schema.json"),
        roster: dir.join("roster.json"),
        engine: a.engine,
        committee: (!shamir).then(|| dir.join("committee.json")),
        servers: shamir.then(|| dir.join("committee.json")),
        threshold: a.threshold,
        quorum: (a.orgs as u32).div_ceil(2).max(2),
        key: keys_dir.join("coordinator.pem"),
        bits: a.bits,
        title: "tsubaki demo".into(),
        primes: a.primes.clone(),
        output: round_dir.clone(),
        force: true,
    })?;
    phase.done(if shamir {
        "setup (manifest with the servers' keys; no dealer)"
    } else {
        "setup (threshold key + manifest)"
    });

    // 3. Every organization contributes random values.
    let contrib_dir = dir.join("contributions");
    std::fs::create_dir_all(&contrib_dir).map_err(|e| fail_at(&contrib_dir, e))?;
    let bar = progress::bar(a.orgs as u64, "contributions");
    let round_path = round_dir.join("round.json");
    let made = commands::parallel(
        &org_ids,
        commands::cores(),
        |org| -> Result<Values, CliError> {
            let values = random_values(a.counters);
            let key_path = keys_dir.join(format!("{org}.pem"));
            let key = commands::read_signing_key(&key_path)?;
            let c = commands::contribute_values(
                &round,
                org,
                &key,
                &key_path,
                &values,
                Path::new("values"),
                &round_path,
            )?;
            Output::new(contrib_dir.join(format!("{org}.json")), true).write_json(&c.to_json())?;
            bar.inc(1);
            Ok(values)
        },
    );
    bar.finish_and_clear();
    let plain: Vec<Values> = made.into_iter().collect::<Result<_, _>>()?;
    phase.done(if shamir {
        "contributions (encode + split + HPKE-seal per server + sign)"
    } else {
        "contributions (encode + encrypt + sign)"
    });

    // 4. Aggregation.
    let files: Vec<PathBuf> = org_ids
        .iter()
        .map(|o| contrib_dir.join(format!("{o}.json")))
        .collect();
    commands::aggregate(&AggregateArgs {
        round: round_path.clone(),
        coordinator: Some(coordinator_pub.clone()),
        output: dir.join("aggregate.json"),
        force: true,
        threads: None,
        engine: None,
        files,
    })?;
    phase.done(if shamir {
        "aggregation (verify + list)"
    } else {
        "aggregation (verify + add)"
    });

    // 5. t committee members decrypt.
    let partial_paths: Vec<PathBuf> = member_ids[..a.threshold]
        .iter()
        .map(|m| dir.join(format!("partial-{m}.json")))
        .collect();
    // The members work independently (each on their own machine in a real round), so the
    // demo runs them side by side.
    let partials: Vec<Result<(), CliError>> = std::thread::scope(|scope| {
        let running: Vec<_> = member_ids[..a.threshold]
            .iter()
            .zip(&partial_paths)
            .map(|(m, out)| {
                let (dir, round_dir, keys_dir) = (&dir, &round_dir, &keys_dir);
                let (round_path, contrib_dir) = (&round_path, &contrib_dir);
                scope.spawn(move || {
                    let share = (!shamir).then(|| round_dir.join(format!("keyshare-{m}.sealed")));
                    let _ = std::fs::remove_file(dir.join(format!("journal-{m}")));
                    commands::partial(&PartialArgs {
                        round: round_path.clone(),
                        coordinator: Some(coordinator_pub.clone()),
                        member: m.clone(),
                        key: keys_dir.join(format!("{m}.pem")),
                        share,
                        engine: None,
                        aggregate: dir.join("aggregate.json"),
                        contributions: contrib_dir.clone(),
                        journal: Some(dir.join(format!("journal-{m}"))),
                        output: out.clone(),
                        force: true,
                    })
                })
            })
            .collect();
        running
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(fail("a partial decryption thread panicked")))
            })
            .collect()
    });
    for r in partials {
        r?;
    }
    phase.done(&if shamir {
        format!(
            "{} servers side by side (re-check + open own shares + add + sign)",
            a.threshold
        )
    } else {
        format!(
            "{} partial decryptions side by side (re-check + shares + proofs)",
            a.threshold
        )
    });

    // 6. Combine.
    let report = commands::combine(&CombineArgs {
        round: round_path,
        coordinator: Some(coordinator_pub.clone()),
        aggregate: dir.join("aggregate.json"),
        output: dir.join("report.json"),
        force: true,
        engine: None,
        partials: partial_paths,
    })?;
    phase.done(if shamir {
        "combine (verify signatures + interpolate + report)"
    } else {
        "combine (verify proofs + open + report)"
    });

    // 7. The plain sums.
    check_against_plain(&report, &plain)?;
    println!("{}", phase.summary());
    println!(
        "total {:.2} s; the report equals the plain sums of {} organizations",
        total.elapsed().as_secs_f64(),
        plain.len()
    );
    Ok(())
}

fn random_values(counters: usize) -> Values {
    let mut rng = tsubaki::OsRng;
    let mut v = Values::new();
    let counts: Vec<u64> = (0..counters).map(|_| rng.next_u64() % 65_536).collect();
    let _ = v.insert("counters".into(), Value::Vec(counts));
    let _ = v.insert("hours_to_contain".into(), Value::Int(rng.next_u64() % 721));
    let _ = v.insert("saw_campaign".into(), Value::Bool(rng.next_u32() & 1 == 1));
    let bucket = ["low", "medium", "high"][(rng.next_u32() % 3) as usize];
    let _ = v.insert("severity".into(), Value::Bucket(bucket.into()));
    v
}

fn check_against_plain(report: &Report, plain: &[Values]) -> Result<(), CliError> {
    let n = plain.len() as u64;
    let mut sums = vec![
        0u64;
        plain.first().map_or(0, |v| match &v["counters"] {
            Value::Vec(x) => x.len(),
            _ => 0,
        })
    ];
    let (mut hours, mut hours_sq, mut yes) = (0u64, 0u64, 0u64);
    let mut hist = [0u64; 3];
    for v in plain {
        if let Value::Vec(x) = &v["counters"] {
            for (s, x) in sums.iter_mut().zip(x) {
                *s += x;
            }
        }
        if let Value::Int(h) = v["hours_to_contain"] {
            hours += h;
            hours_sq += h * h;
        }
        if let Value::Bool(true) = v["saw_campaign"] {
            yes += 1;
        }
        if let Value::Bucket(b) = &v["severity"] {
            hist[["low", "medium", "high"]
                .iter()
                .position(|x| x == b)
                .unwrap_or(0)] += 1;
        }
    }
    let var = (u128::from(n) * u128::from(hours_sq) - u128::from(hours).pow(2)) as f64
        / (n as f64 * n as f64);
    let expect = vec![
        ("counters".to_string(), MetricResult::SumVec(sums)),
        (
            "hours_to_contain".to_string(),
            MetricResult::Stats {
                count: n,
                sum: hours,
                mean: Some(hours as f64 / n as f64),
                variance: Some(var),
            },
        ),
        (
            "saw_campaign".to_string(),
            MetricResult::Count { count: yes },
        ),
        (
            "severity".to_string(),
            MetricResult::Histogram(
                ["low", "medium", "high"]
                    .iter()
                    .map(|s| s.to_string())
                    .zip(hist)
                    .collect(),
            ),
        ),
    ];
    if !report.valid || report.contributors != n || report.metrics != expect {
        return Err(fail("the report differs from the plain sums"));
    }
    Ok(())
}

struct Phase {
    last: Instant,
    lines: Vec<(String, f64)>,
}

impl Phase {
    fn new() -> Self {
        Phase {
            last: Instant::now(),
            lines: Vec::new(),
        }
    }

    fn done(&mut self, what: &str) {
        let t = self.last.elapsed().as_secs_f64();
        self.lines.push((what.into(), t));
        self.last = Instant::now();
    }

    fn summary(&self) -> String {
        let width = self
            .lines
            .iter()
            .map(|(w, _)| w.chars().count())
            .max()
            .unwrap_or(0);
        let mut s = format!("{:<width$} {:>9}\n", "phase", "seconds");
        for (w, t) in &self.lines {
            s.push_str(&format!("{w:<width$} {t:>9.3}\n"));
        }
        s
    }
}
