//! `tsubaki stats … --engine shamir` over real files in a temporary directory (issue 16): a
//! whole round whose report equals the plain sums, and every bad input of the issue — a
//! share sealed to another server, a tampered sealed share, a contribution missing one
//! server's share, a server sum of another set, a forged server signature, fewer than t
//! consistent sums — plus the Paillier engine's cases that apply (duplicate, quorum, a
//! second run, wrong flags), each giving a clear error naming the file, a non-zero exit
//! and no panic. P-256 keys only: nothing waits for key generation.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{Value, json};
use tsubaki::ec::p256::SigningKey;
use tsubaki::stats::{Contribution, ContributionJson, Round};

const BIN: &str = env!("CARGO_BIN_EXE_tsubaki");
const ORGS: [&str; 4] = ["org-a", "org-b", "org-c", "org-d"];
const SERVERS: [&str; 3] = ["s1", "s2", "s3"];

fn run<I: IntoIterator<Item = S>, S: Into<OsString>>(args: I) -> Output {
    Command::new(BIN)
        .args(args.into_iter().map(Into::into))
        .output()
        .expect("run tsubaki")
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "expected success, got {:?}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

fn refused(o: &Output, needles: &[&str]) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
    assert!(!err.contains("panicked"), "panic: {err}");
    err
}

fn write_json(path: &Path, v: &Value) {
    fs::write(path, serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn values(i: u64) -> Value {
    json!({
        "incidents": 10 * i + 1,
        "phishing": [i, 2 * i, 500],
        "campaign_x": i.is_multiple_of(2),
        "contain": 7 * i,
        "severity": if i < 2 { "low" } else { "high" }
    })
}

struct Fixture {
    dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Fixture {
    fn p(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
    fn round(&self) -> PathBuf {
        self.p("round/round.json")
    }
    fn contrib(&self, o: &str) -> PathBuf {
        self.p(&format!("contrib/{o}.json"))
    }
}

fn s(p: &Path) -> OsString {
    p.as_os_str().to_owned()
}

/// Keys, setup (--engine shamir, t = 2 of 3 servers, quorum 3), four contributions.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        for name in ORGS.iter().chain(&SERVERS).chain(&["coord"]) {
            ok(&run([
                s(Path::new("keygen")),
                "-o".into(),
                s(&dir.join(name)),
            ]));
        }
        let pem = |n: &str| fs::read_to_string(dir.join(format!("{n}.pub.pem"))).unwrap();
        write_json(
            &dir.join("roster.json"),
            &json!({"contributors":
            ORGS.iter().map(|o| json!({"id": o, "public_key": pem(o)})).collect::<Vec<_>>()}),
        );
        write_json(
            &dir.join("servers.json"),
            &json!({"members":
            SERVERS.iter().map(|m| json!({"id": m, "public_key": pem(m)})).collect::<Vec<_>>()}),
        );
        write_json(
            &dir.join("schema.json"),
            &json!({"metrics": [
                {"name": "incidents", "kind": "sum", "max": 1000},
                {"name": "phishing", "kind": "sumvec", "len": 3, "max": 500},
                {"name": "campaign_x", "kind": "count"},
                {"name": "contain", "kind": "variance", "max": 720},
                {"name": "severity", "kind": "histogram", "buckets": ["low", "high"]}
            ]}),
        );
        let mut setup: Vec<OsString> = [
            "stats", "setup", "--engine", "shamir", "-t", "2", "--quorum", "3", "--title", "t",
        ]
        .map(OsString::from)
        .to_vec();
        for (flag, file) in [
            ("--schema", "schema.json"),
            ("--roster", "roster.json"),
            ("--servers", "servers.json"),
            ("--key", "coord.pem"),
            ("-o", "round"),
        ] {
            setup.push(flag.into());
            setup.push(s(&dir.join(file)));
        }
        ok(&run(setup));
        assert!(!dir.join("round/keyshare-s1.sealed").exists(), "no dealer");
        fs::create_dir(dir.join("contrib")).unwrap();
        for (i, o) in ORGS.iter().enumerate() {
            let v = dir.join(format!("values-{o}.json"));
            write_json(&v, &values(i as u64));
            ok(&run([
                s(Path::new("stats")),
                "contribute".into(),
                "--engine".into(),
                "shamir".into(),
                "--round".into(),
                s(&dir.join("round/round.json")),
                "--org".into(),
                (*o).into(),
                "--key".into(),
                s(&dir.join(format!("{o}.pem"))),
                "--values".into(),
                s(&v),
                "-o".into(),
                s(&dir.join(format!("contrib/{o}.json"))),
            ]));
        }
        Fixture { dir, _tmp: tmp }
    })
}

fn workdir(name: &str) -> PathBuf {
    let d = fixture().p(&format!("work-{name}"));
    fs::create_dir_all(&d).unwrap();
    d
}

fn aggregate(out: &Path, files: &[PathBuf]) -> Output {
    let mut args = vec![
        OsString::from("stats"),
        "aggregate".into(),
        "--engine".into(),
        "shamir".into(),
        "--round".into(),
        s(&fixture().round()),
        "-o".into(),
        s(out),
    ];
    args.extend(files.iter().map(|f| s(f)));
    run(args)
}

fn partial(w: &Path, server: &str, agg: &Path, contributions: &Path, out: &Path) -> Output {
    let f = fixture();
    run([
        OsString::from("stats"),
        "partial".into(),
        "--engine".into(),
        "shamir".into(),
        "--round".into(),
        s(&f.round()),
        "--member".into(),
        server.into(),
        "--key".into(),
        s(&f.p(&format!("{server}.pem"))),
        "--aggregate".into(),
        s(agg),
        "--contributions".into(),
        s(contributions),
        "--journal".into(),
        s(&w.join(format!("journal-{server}"))),
        "-o".into(),
        s(out),
    ])
}

fn combine(agg: &Path, out: &Path, partials: &[PathBuf]) -> Output {
    let mut args = vec![
        OsString::from("stats"),
        "combine".into(),
        "--round".into(),
        s(&fixture().round()),
        "--aggregate".into(),
        s(agg),
        "-o".into(),
        s(out),
    ];
    args.extend(partials.iter().map(|p| s(p)));
    run(args)
}

fn all_contribs() -> Vec<PathBuf> {
    ORGS.iter().map(|o| fixture().contrib(o)).collect()
}

/// The contributions directory with `org`'s file replaced by `v`.
fn contrib_dir_with(w: &Path, org: &str, v: &Value) -> PathBuf {
    let d = w.join("contrib");
    fs::create_dir_all(&d).unwrap();
    for o in ORGS {
        fs::copy(fixture().contrib(o), d.join(format!("{o}.json"))).unwrap();
    }
    write_json(&d.join(format!("{org}.json")), v);
    d
}

/// `v` (a contribution of `org` whose sealed shares were changed) signed again by the org
/// over the new shares, as a contributor that sealed wrongly would have signed it.
fn resign(org: &str, v: &Value) -> Value {
    let f = fixture();
    let round: Round = serde_json::from_slice(&fs::read(f.round()).unwrap()).unwrap();
    let j: ContributionJson = serde_json::from_value(v.clone()).unwrap();
    let c = Contribution::from_json(&round, &j).unwrap();
    let key = SigningKey::from_pkcs8_pem(&fs::read_to_string(f.p(&format!("{org}.pem"))).unwrap())
        .unwrap();
    let sig = key.sign_prehash(c.hash()).unwrap();
    let mut v = v.clone();
    v["signature"] = json!(tsubaki::stats::to_hex(sig.to_bytes().as_ref()));
    v
}

fn expected_metrics() -> Value {
    json!({
        "incidents": {"count": 4, "sum": 1 + 11 + 21 + 31},
        "phishing": {"sum": [6, 12, 2000]},
        "campaign_x": {"count": 2},
        "severity": {"histogram": {"low": 2, "high": 2}}
    })
}

#[test]
fn a_shamir_round_over_files_reports_the_plain_sums() {
    let f = fixture();
    let w = workdir("round");
    let agg = w.join("aggregate.json");
    ok(&aggregate(&agg, &all_contribs()));
    let a = read_json(&agg);
    assert_eq!(a["orgs"], json!(ORGS));
    assert_eq!(a["hashes"].as_array().unwrap().len(), 4);
    assert_eq!(a["ciphertexts"], json!([]));
    let parts: Vec<PathBuf> = ["s3", "s1"]
        .iter()
        .map(|m| {
            let out = w.join(format!("partial-{m}.json"));
            ok(&partial(&w, m, &agg, &f.p("contrib"), &out));
            out
        })
        .collect();
    let p = read_json(&parts[0]);
    assert_eq!(p["orgs"], json!(ORGS));
    let report = w.join("report.json");
    let o = combine(&agg, &report, &parts);
    ok(&o);
    let r = read_json(&report);
    assert_eq!(r["valid"], json!(true));
    assert_eq!(r["contributors"], json!(4));
    for (k, v) in expected_metrics().as_object().unwrap() {
        for (field, want) in v.as_object().unwrap() {
            assert_eq!(&r["metrics"][k][field], want, "{k}.{field}");
        }
    }
    let contain = &r["metrics"]["contain"];
    assert_eq!(contain["sum"], json!(42));
    assert!((contain["variance"].as_f64().unwrap() - 49.0 * 1.25).abs() < 1e-9);
    // A second run of the same server in this round is refused by its journal.
    let o = partial(&w, "s1", &agg, &f.p("contrib"), &w.join("again.json"));
    refused(&o, &["journal-s1", "already decrypted"]);
    assert!(!w.join("again.json").exists());
}

#[test]
fn the_demo_runs_with_the_shamir_engine() {
    let w = workdir("demo");
    let o = run([
        OsString::from("stats"),
        "demo".into(),
        "--engine".into(),
        "shamir".into(),
        "--orgs".into(),
        "6".into(),
        "--counters".into(),
        "4".into(),
        "--committee".into(),
        "3".into(),
        "-t".into(),
        "2".into(),
        "--dir".into(),
        s(&w),
    ]);
    ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("equals the plain sums"), "{out}");
}

#[test]
fn a_share_sealed_to_another_server_is_named_by_that_server() {
    let f = fixture();
    let w = workdir("swapped");
    let mut v = read_json(&f.contrib("org-b"));
    let cts = v["ciphertexts"].as_array().unwrap().clone();
    v["ciphertexts"] = json!([cts[1], cts[0], cts[2]]);
    // Swapped without a new signature: the aggregator refuses it and keeps the rest.
    let bad = w.join("org-b-swapped.json");
    write_json(&bad, &v);
    let agg = w.join("aggregate-unsigned.json");
    let mut files = all_contribs();
    files[1] = bad.clone();
    let o = aggregate(&agg, &files);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("org-b-swapped.json: rejected: bad signature"),
        "{err}"
    );
    assert_eq!(read_json(&agg)["contributors"], json!(3));
    // Signed by the org over the swapped shares: accepted by the aggregator (which cannot
    // open anything), refused by server s1, which names the file; nothing journaled.
    let v = resign("org-b", &v);
    let dir = contrib_dir_with(&w, "org-b", &v);
    let agg = w.join("aggregate.json");
    ok(&aggregate(
        &agg,
        &ORGS.map(|o| dir.join(format!("{o}.json"))),
    ));
    let out = w.join("partial-s1.json");
    let o = partial(&w, "s1", &agg, &dir, &out);
    refused(
        &o,
        &[
            "org-b.json",
            "\"org-b\"",
            "does not open",
            "nothing was summed",
        ],
    );
    assert!(!out.exists());
    assert!(!w.join("journal-s1").exists());
    // s3's own share is where it belongs: s3 sums.
    ok(&partial(&w, "s3", &agg, &dir, &w.join("partial-s3.json")));
}

#[test]
fn a_tampered_sealed_share_is_refused() {
    let f = fixture();
    let w = workdir("tampered");
    let mut v = read_json(&f.contrib("org-c"));
    let ct = v["ciphertexts"][2].as_str().unwrap().to_string();
    let mut chars: Vec<char> = ct.chars().collect();
    chars[200] = if chars[200] == '0' { '1' } else { '0' };
    v["ciphertexts"][2] = json!(chars.into_iter().collect::<String>());
    let bad = w.join("org-c-tampered.json");
    write_json(&bad, &v);
    let mut files = all_contribs();
    files[2] = bad;
    let o = aggregate(&w.join("a.json"), &files);
    ok(&o);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("org-c-tampered.json: rejected: bad signature")
    );
    // Re-signed: server s3 cannot open it.
    let dir = contrib_dir_with(&w, "org-c", &resign("org-c", &v));
    let agg = w.join("aggregate.json");
    ok(&aggregate(
        &agg,
        &ORGS.map(|o| dir.join(format!("{o}.json"))),
    ));
    let o = partial(&w, "s3", &agg, &dir, &w.join("p.json"));
    refused(&o, &["org-c.json", "does not open"]);
}

#[test]
fn a_contribution_missing_a_share_is_malformed() {
    let f = fixture();
    let w = workdir("missing");
    let mut v = read_json(&f.contrib("org-d"));
    let _ = v["ciphertexts"].as_array_mut().unwrap().pop();
    let bad = w.join("org-d-short.json");
    write_json(&bad, &v);
    let mut files = all_contribs();
    files[3] = bad;
    let o = aggregate(&w.join("a.json"), &files);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("org-d-short.json: rejected: malformed ciphertext"),
        "{err}"
    );
    // Only bad inputs: nothing written, exit 1; a duplicate is named.
    let o = aggregate(&w.join("b.json"), &[w.join("org-d-short.json")]);
    refused(&o, &["no input accepted"]);
    assert!(!w.join("b.json").exists());
    let o = aggregate(&w.join("c.json"), &[f.contrib("org-a"), f.contrib("org-a")]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("duplicate"));
}

#[test]
fn a_server_sum_of_another_set_or_forged_is_left_out() {
    let f = fixture();
    let w = workdir("sets");
    let agg = w.join("aggregate.json");
    ok(&aggregate(&agg, &all_contribs()));
    let small = w.join("aggregate-3.json");
    ok(&aggregate(&small, &all_contribs()[..3]));
    let contrib = f.p("contrib");
    let p1 = w.join("p1.json");
    let p2 = w.join("p2.json");
    let p3 = w.join("p3-small.json");
    ok(&partial(&w, "s1", &agg, &contrib, &p1));
    ok(&partial(&w, "s2", &agg, &contrib, &p2));
    ok(&partial(&w, "s3", &small, &contrib, &p3));
    // s3 summed another set: named and left out; s1 and s2 are consistent.
    let o = combine(
        &agg,
        &w.join("r.json"),
        &[p3.clone(), p1.clone(), p2.clone()],
    );
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("p3-small.json: rejected: sum share of \"s3\": summed another set"),
        "{err}"
    );
    assert_eq!(read_json(&w.join("r.json"))["valid"], json!(true));
    // Fewer than t consistent sums: refused, nothing written.
    let o = combine(&agg, &w.join("r2.json"), &[p3.clone(), p1.clone()]);
    refused(&o, &["only 1 valid sum shares", "2 are needed"]);
    assert!(!w.join("r2.json").exists());
    // A forged signature on a server's sum share.
    let mut v = read_json(&p2);
    let sig = v["signature"].as_str().unwrap().to_string();
    let flipped = format!(
        "{}{}",
        if sig.starts_with('0') { "1" } else { "0" },
        &sig[1..]
    );
    v["signature"] = json!(flipped);
    let forged = w.join("p2-forged.json");
    write_json(&forged, &v);
    let o = combine(&agg, &w.join("r3.json"), &[forged, p1.clone()]);
    let err = refused(&o, &["p2-forged.json", "signature does not verify"]);
    assert!(err.contains("only 1 valid"), "{err}");
    // A tampered sum value (signature no longer matches).
    let mut v = read_json(&p1);
    let val = v["shares"][0].as_str().unwrap().to_string();
    let flipped = format!(
        "{}{}",
        &val[..val.len() - 1],
        if val.ends_with('0') { "2" } else { "0" }
    );
    v["shares"][0] = json!(flipped);
    let bad = w.join("p1-tampered.json");
    write_json(&bad, &v);
    let o = combine(&agg, &w.join("r4.json"), &[bad, p2]);
    refused(&o, &["p1-tampered.json", "signature does not verify"]);
}

#[test]
fn wrong_flags_quorum_and_foreign_inputs_are_refused() {
    let f = fixture();
    let w = workdir("flags");
    let agg = w.join("aggregate.json");
    ok(&aggregate(&agg, &all_contribs()));
    // --share on a Shamir round.
    let o = run([
        OsString::from("stats"),
        "partial".into(),
        "--round".into(),
        s(&f.round()),
        "--member".into(),
        "s1".into(),
        "--key".into(),
        s(&f.p("s1.pem")),
        "--share".into(),
        s(&f.p("roster.json")),
        "--aggregate".into(),
        s(&agg),
        "--contributions".into(),
        s(&f.p("contrib")),
        "-o".into(),
        s(&w.join("p.json")),
    ]);
    refused(&o, &["roster.json", "no key shares", "drop --share"]);
    // --engine paillier on a Shamir round.
    let o = run([
        OsString::from("stats"),
        "aggregate".into(),
        "--engine".into(),
        "paillier".into(),
        "--round".into(),
        s(&f.round()),
        "-o".into(),
        s(&w.join("x.json")),
        s(&f.contrib("org-a")),
    ]);
    refused(&o, &["round.json", "runs the shamir engine"]);
    // setup --engine shamir with --committee instead of --servers.
    let o = run([
        OsString::from("stats"),
        "setup".into(),
        "--engine".into(),
        "shamir".into(),
        "--schema".into(),
        s(&f.p("schema.json")),
        "--roster".into(),
        s(&f.p("roster.json")),
        "--committee".into(),
        s(&f.p("servers.json")),
        "-t".into(),
        "2".into(),
        "--quorum".into(),
        "3".into(),
        "--key".into(),
        s(&f.p("coord.pem")),
        "-o".into(),
        s(&w.join("r")),
    ]);
    refused(&o, &["--engine shamir takes --servers"]);
    // Below the quorum: the server refuses.
    let two = w.join("aggregate-2.json");
    ok(&aggregate(&two, &all_contribs()[..2]));
    let o = partial(&w, "s2", &two, &f.p("contrib"), &w.join("p2.json"));
    refused(&o, &["aggregate-2.json", "quorum is 3"]);
    // A key that is not the server's.
    let o = run([
        OsString::from("stats"),
        "partial".into(),
        "--round".into(),
        s(&f.round()),
        "--member".into(),
        "s1".into(),
        "--key".into(),
        s(&f.p("s2.pem")),
        "--aggregate".into(),
        s(&agg),
        "--contributions".into(),
        s(&f.p("contrib")),
        "--journal".into(),
        s(&w.join("j")),
        "-o".into(),
        s(&w.join("p3.json")),
    ]);
    // (Regression, review: the key file is named, as in every other error.)
    refused(
        &o,
        &[
            &format!("{}: ", f.p("s2.pem").display()),
            "--key is not server \"s1\"",
        ],
    );
    // Truncated JSON.
    let t = w.join("truncated.json");
    fs::write(&t, &fs::read(f.contrib("org-a")).unwrap()[..100]).unwrap();
    let o = combine(&agg, &w.join("r.json"), &[t]);
    refused(&o, &["truncated.json"]);
}

/// Regression (review): the demo checked its sizes only when `setup` refused them, after
/// generating and writing a key pair for every party: a committee whose t is not a
/// majority (or above 255 members) failed after all the keys, and `--orgs` beyond the
/// largest roster (2^20) wrote millions of key files — to RAM-backed /dev/shm by default —
/// for minutes before "cannot create the round". Refused before any key is made.
#[test]
fn the_demo_refuses_impossible_sizes_before_making_any_key() {
    for (extra, needle) in [
        (["--orgs", "6", "--committee", "4", "-t", "2"], "-t"),
        (
            ["--orgs", "6", "--committee", "300", "-t", "200"],
            "--committee",
        ),
        (
            ["--orgs", "1048577", "--committee", "3", "-t", "2"],
            "--orgs",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let mut args: Vec<OsString> = ["stats", "demo", "--engine", "shamir", "--counters", "2"]
            .iter()
            .chain(&extra)
            .map(OsString::from)
            .collect();
        args.extend([OsString::from("--dir"), s(tmp.path())]);
        let err = refused(&run(args), &[needle]);
        assert_eq!(err.lines().count(), 1, "{err}");
        let keys = tmp.path().join("keys");
        let made = fs::read_dir(&keys).map_or(0, |d| d.count());
        assert_eq!(
            made, 0,
            "{extra:?}: {made} key files written before refusing: {err}"
        );
    }
}
