//! The `tsubaki` binary over real files in a temporary directory: a whole round, and every
//! bad input of issue 15, each giving one line on stderr that names the file and the
//! cause, a non-zero exit and no partial output (except `aggregate`, which keeps what it
//! accepted). Keys are dealt from the fixed safe primes of `vectors/stats/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_tsubaki");

fn primes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/stats/safe_primes_2048.txt")
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(BIN)
        .args(args.iter().map(|a| a.as_ref()))
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

/// Expects exit code `code` and stderr containing every one of `needles`.
fn refused(o: &Output, code: i32, needles: &[&str]) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
    assert!(!err.contains("panicked"), "panic: {err}");
    err
}

/// `tsubaki stats contribute --round R --org ORG --key KEY --values V -o OUT`.
fn contribute(round: &Path, org: &str, key: &Path, values: &Path, out: &Path) -> Output {
    run(&[
        &"stats",
        &"contribute",
        &"--round",
        &round,
        &"--org",
        &org,
        &"--key",
        &key,
        &"--values",
        &values,
        &"-o",
        &out,
    ])
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
}

const ORGS: [&str; 4] = ["org-a", "org-b", "org-c", "org-d"];
const MEMBERS: [&str; 3] = ["m1", "m2", "m3"];

fn values(i: u64) -> Value {
    json!({
        "incidents": 10 * i + 1,
        "phishing": [i, 2 * i, 500],
        "campaign_x": i.is_multiple_of(2),
        "hours": 100 + i,
        "contain": 7 * i,
        "severity": if i < 2 { "low" } else { "high" }
    })
}

fn write_json(path: &Path, v: &Value) {
    fs::write(path, serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

fn setup_round(dir: &Path, out: &str) {
    ok(&run(&[
        &"stats",
        &"setup",
        &"--schema",
        &dir.join("schema.json"),
        &"--roster",
        &dir.join("roster.json"),
        &"--committee",
        &dir.join("committee.json"),
        &"-t",
        &"2",
        &"--quorum",
        &"3",
        &"--key",
        &dir.join("coord.pem"),
        &"--primes",
        &primes(),
        &"-o",
        &dir.join(out),
        &"--title",
        &"test round",
    ]));
}

/// One round: keys, setup (t = 2 of 3, quorum 3), four contributions.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        for name in ORGS.iter().chain(&MEMBERS).chain(&["coord", "outsider"]) {
            ok(&run(&[&"keygen", &"-o", &dir.join(name)]));
        }
        let pem = |n: &str| fs::read_to_string(dir.join(format!("{n}.pub.pem"))).unwrap();
        write_json(
            &dir.join("roster.json"),
            &json!({"contributors":
            ORGS.iter().map(|o| json!({"id": o, "public_key": pem(o)})).collect::<Vec<_>>()}),
        );
        write_json(
            &dir.join("committee.json"),
            &json!({"members":
            MEMBERS.iter().map(|m| json!({"id": m, "public_key": pem(m)})).collect::<Vec<_>>()}),
        );
        write_json(
            &dir.join("schema.json"),
            &json!({"metrics": [
                {"name": "incidents", "kind": "sum", "max": 1000},
                {"name": "phishing", "kind": "sumvec", "len": 3, "max": 500},
                {"name": "campaign_x", "kind": "count"},
                {"name": "hours", "kind": "mean", "max": 720},
                {"name": "contain", "kind": "variance", "max": 720},
                {"name": "severity", "kind": "histogram", "buckets": ["low", "high"]}
            ]}),
        );
        setup_round(&dir, "round");
        fs::create_dir(dir.join("contrib")).unwrap();
        for (i, o) in ORGS.iter().enumerate() {
            let v = dir.join(format!("values-{o}.json"));
            write_json(&v, &values(i as u64));
            ok(&contribute(
                &dir.join("round/round.json"),
                o,
                &dir.join(format!("{o}.pem")),
                &v,
                &dir.join(format!("contrib/{o}.json")),
            ));
        }
        Fixture { dir, _tmp: tmp }
    })
}

/// A fresh working directory inside the fixture.
fn workdir(name: &str) -> PathBuf {
    let d = fixture().p(&format!("work-{name}"));
    fs::create_dir_all(&d).unwrap();
    d
}

fn contrib(o: &str) -> PathBuf {
    fixture().p(&format!("contrib/{o}.json"))
}

fn aggregate(out: &Path, files: &[PathBuf]) -> Output {
    let f = fixture();
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"stats", &"aggregate", &"--round"];
    let round = f.round();
    args.push(&round);
    args.push(&"-o");
    args.push(&out);
    for x in files {
        args.push(x);
    }
    run(&args)
}

fn partial(w: &Path, member: &str, agg: &Path, contributions: &Path, out: &Path) -> Output {
    let f = fixture();
    run(&[
        &"stats",
        &"partial",
        &"--round",
        &f.round(),
        &"--member",
        &member,
        &"--key",
        &f.p(&format!("{member}.pem")),
        &"--share",
        &f.p(&format!("round/keyshare-{member}.sealed")),
        &"--aggregate",
        &agg,
        &"--contributions",
        &contributions,
        &"--journal",
        &w.join(format!("journal-{member}")),
        &"-o",
        &out,
    ])
}

fn combine(agg: &Path, out: &Path, partials: &[PathBuf]) -> Output {
    let f = fixture();
    let round = f.round();
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
        &"stats",
        &"combine",
        &"--round",
        &round,
        &"--aggregate",
        &agg,
        &"-o",
        &out,
    ];
    for p in partials {
        args.push(p);
    }
    run(&args)
}

fn all_contribs() -> Vec<PathBuf> {
    ORGS.iter().map(|o| contrib(o)).collect()
}

fn edit_json(src: &Path, dst: &Path, f: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_slice(&fs::read(src).unwrap()).unwrap();
    f(&mut v);
    write_json(dst, &v);
}

/// Flips one hex digit of a string field (`path` is a JSON pointer).
fn flip_hex(v: &mut Value, pointer: &str, at: usize) {
    let s = v.pointer_mut(pointer).unwrap();
    let mut t: Vec<u8> = s.as_str().unwrap().bytes().collect();
    t[at] = if t[at] == b'0' { b'1' } else { b'0' };
    *s = Value::String(String::from_utf8(t).unwrap());
}

/// A full round: aggregate, two partials, combine; the report equals the plain sums.
fn full_round(w: &Path) -> (PathBuf, Vec<PathBuf>) {
    let agg = w.join("aggregate.json");
    ok(&aggregate(&agg, &all_contribs()));
    let parts: Vec<PathBuf> = MEMBERS
        .iter()
        .map(|m| w.join(format!("partial-{m}.json")))
        .collect();
    for (m, p) in MEMBERS.iter().zip(&parts) {
        ok(&partial(w, m, &agg, &fixture().p("contrib"), p));
    }
    (agg, parts)
}

#[test]
fn a_whole_round_reports_the_plain_sums() {
    let w = workdir("happy");
    let (agg, parts) = full_round(&w);
    let report = w.join("report.json");
    let o = combine(&agg, &report, &parts[..2]);
    ok(&o);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("report valid"), "{stdout}");
    let r: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["valid"], true);
    assert_eq!(r["contributors"], 4);
    assert_eq!(r["orgs"], json!(ORGS));
    let m = &r["metrics"];
    // i = 0..3: incidents 10i+1; phishing [i, 2i, 500]; campaign i even; hours 100+i;
    // contain 7i; severity low for i < 2.
    assert_eq!(m["incidents"], json!({"count": 4, "sum": 64}));
    assert_eq!(m["phishing"], json!({"sum": [6, 12, 2000]}));
    assert_eq!(m["campaign_x"], json!({"count": 2}));
    assert_eq!(m["hours"], json!({"count": 4, "sum": 406, "mean": 101.5}));
    // contain: 0, 7, 14, 21: mean 10.5, population variance 61.25.
    assert_eq!(
        m["contain"],
        json!({"count": 4, "sum": 42, "mean": 10.5, "variance": 61.25})
    );
    assert_eq!(m["severity"], json!({"histogram": {"low": 2, "high": 2}}));
    // Any two of the three partials give the same report.
    let report2 = w.join("report2.json");
    ok(&combine(&agg, &report2, &parts[1..]));
    let r2: Value = serde_json::from_slice(&fs::read(&report2).unwrap()).unwrap();
    assert_eq!(r2["metrics"], r["metrics"]);
}

#[test]
fn aggregate_refuses_each_bad_contribution_and_keeps_the_rest() {
    let w = workdir("bad-contribs");
    let tampered_ct = w.join("tampered-ct.json");
    edit_json(&contrib("org-b"), &tampered_ct, |v| {
        flip_hex(v, "/ciphertexts/0", 100)
    });
    let tampered_sig = w.join("tampered-sig.json");
    edit_json(&contrib("org-c"), &tampered_sig, |v| {
        flip_hex(v, "/signature", 10)
    });
    let foreign = w.join("foreign.json");
    edit_json(&contrib("org-d"), &foreign, |v| v["org"] = json!("org-x"));
    let malformed = w.join("malformed.json");
    edit_json(&contrib("org-d"), &malformed, |v| {
        v["ciphertexts"][0] = json!("00")
    });
    let not_unit = w.join("zero-ct.json");
    edit_json(&contrib("org-d"), &not_unit, |v| {
        let len = v["ciphertexts"][0].as_str().unwrap().len();
        v["ciphertexts"][0] = json!("0".repeat(len));
    });
    let truncated = w.join("truncated.json");
    let bytes = fs::read(contrib("org-d")).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let agg = w.join("aggregate.json");
    let o = aggregate(
        &agg,
        &[
            contrib("org-a"),
            tampered_ct.clone(),
            tampered_sig.clone(),
            foreign.clone(),
            malformed.clone(),
            not_unit.clone(),
            truncated.clone(),
            contrib("org-a"),
            contrib("org-d"),
        ],
    );
    let err = refused(
        &o,
        0,
        &[
            "tampered-ct.json: rejected: bad signature",
            "tampered-sig.json: rejected: bad signature",
            "foreign.json: rejected: org \"org-x\" is not on the round's roster",
            "malformed.json: rejected: malformed ciphertext",
            "zero-ct.json: rejected: malformed ciphertext",
            "truncated.json: rejected:",
            "truncated file",
            "duplicate: org \"org-a\"",
        ],
    );
    assert_eq!(
        err.lines().filter(|l| l.starts_with("tsubaki:")).count(),
        7,
        "{err}"
    );
    let a: Value = serde_json::from_slice(&fs::read(&agg).unwrap()).unwrap();
    assert_eq!(a["orgs"], json!(["org-a", "org-d"]));
    assert_eq!(a["contributors"], 2);
}

#[test]
fn aggregate_refuses_another_rounds_contribution_and_a_twice_merged_aggregate() {
    let f = fixture();
    let w = workdir("other-round");
    setup_round(&f.dir, "work-other-round/round2");
    let other = w.join("other.json");
    ok(&contribute(
        &w.join("round2/round.json"),
        "org-a",
        &f.p("org-a.pem"),
        &f.p("values-org-a.json"),
        &other,
    ));
    let agg = w.join("agg-ab.json");
    let o = aggregate(&agg, &[other.clone(), contrib("org-a"), contrib("org-b")]);
    refused(&o, 0, &["other.json", "contribution of another round"]);
    // Merging: a tree of aggregates; the same aggregate twice, or an org already in.
    let agg_cd = w.join("agg-cd.json");
    ok(&aggregate(&agg_cd, &[contrib("org-c"), contrib("org-d")]));
    let merged = w.join("merged.json");
    let o = aggregate(
        &merged,
        &[
            agg.clone(),
            agg_cd.clone(),
            agg_cd.clone(),
            contrib("org-a"),
        ],
    );
    refused(
        &o,
        0,
        &[
            "agg-cd.json: rejected: duplicate",
            "org-a.json: rejected: duplicate: org \"org-a\"",
        ],
    );
    let m: Value = serde_json::from_slice(&fs::read(&merged).unwrap()).unwrap();
    assert_eq!(m["orgs"], json!(ORGS));
    // Nothing accepted: exit 1 and no output.
    let none = w.join("none.json");
    let o = aggregate(&none, &[other]);
    refused(&o, 1, &["no input accepted"]);
    assert!(!none.exists());
    // The merged aggregate decrypts like a direct one.
    let p1 = w.join("p1.json");
    let p2 = w.join("p2.json");
    ok(&partial(&w, "m1", &merged, &f.p("contrib"), &p1));
    ok(&partial(&w, "m2", &merged, &f.p("contrib"), &p2));
    ok(&combine(&merged, &w.join("report.json"), &[p1, p2]));
}

#[test]
fn contribute_refuses_values_that_do_not_fit_and_writes_nothing() {
    let f = fixture();
    let w = workdir("values");
    let cases = [
        (
            "above",
            json!({"incidents": 1001}),
            "incidents",
            "above its metric's bound",
        ),
        (
            "vec-above",
            json!({"phishing": [1, 2, 501]}),
            "phishing",
            "above",
        ),
        ("type", json!({"campaign_x": 1}), "campaign_x", "wrong type"),
        ("missing", json!({"hours": null}), "hours", "missing"),
        (
            "unknown-bucket",
            json!({"severity": "mid"}),
            "severity",
            "not one of its buckets",
        ),
        // Regression (review): these were refused as "data did not match any variant of
        // untagged enum Value", which names no cause an operator can act on.
        (
            "negative",
            json!({"hours": -1}),
            "not a valid values file",
            "-1 is negative",
        ),
        (
            "fraction",
            json!({"hours": 1.5}),
            "not a valid values file",
            "1.5 is not an integer",
        ),
        (
            "vec-negative",
            json!({"phishing": [1, -2, 3]}),
            "not a valid values file",
            "-2 is negative",
        ),
        ("extra", json!({"other": 1}), "other", "no such metric"),
    ];
    for (name, patch, metric, cause) in cases {
        let mut v = values(1);
        for (k, x) in patch.as_object().unwrap() {
            if x.is_null() {
                let _ = v.as_object_mut().unwrap().remove(k);
            } else {
                v[k] = x.clone();
            }
        }
        let vf = w.join(format!("{name}.json"));
        write_json(&vf, &v);
        let out = w.join(format!("out-{name}.json"));
        let o = contribute(&f.round(), "org-a", &f.p("org-a.pem"), &vf, &out);
        refused(&o, 1, &[&format!("{name}.json"), metric, cause]);
        assert!(!out.exists(), "{name}: output written");
    }
    // Regression (review): a metric given twice was accepted, the last one winning.
    let vf = w.join("twice.json");
    let text = serde_json::to_string(&values(1)).unwrap();
    let text = text.replacen('{', "{\"hours\": 719, ", 1);
    std::fs::write(&vf, text).unwrap();
    let out = w.join("out-twice.json");
    let o = contribute(&f.round(), "org-a", &f.p("org-a.pem"), &vf, &out);
    refused(&o, 1, &["twice.json", "metric \"hours\" is given twice"]);
    assert!(!out.exists(), "twice: output written");
    // Not on the roster; a key that is not the roster's; a public key as --key.
    let vf = f.p("values-org-a.json");
    let out = w.join("out.json");
    let o = contribute(&f.round(), "outsider", &f.p("outsider.pem"), &vf, &out);
    refused(&o, 1, &["not on this round's roster"]);
    let o = contribute(&f.round(), "org-a", &f.p("org-b.pem"), &vf, &out);
    refused(&o, 1, &["not the key the roster lists"]);
    let o = contribute(&f.round(), "org-a", &f.p("org-a.pub.pem"), &vf, &out);
    refused(&o, 1, &["org-a.pub.pem", "is a public key"]);
    assert!(!out.exists());
}

#[test]
fn partial_refuses_below_quorum_a_second_time_and_a_mismatching_aggregate() {
    let f = fixture();
    let w = workdir("partial");
    // Quorum is 3: two contributions are not enough.
    let two = w.join("two.json");
    ok(&aggregate(&two, &[contrib("org-a"), contrib("org-b")]));
    let out = w.join("p.json");
    refused(
        &partial(&w, "m1", &two, &f.p("contrib"), &out),
        1,
        &["two.json", "quorum is 3"],
    );
    assert!(!out.exists());
    // An aggregate whose sum is not the product of what it lists (one contribution's
    // ciphertext under four orgs: decrypting it would reveal org-a alone).
    let agg = w.join("agg.json");
    ok(&aggregate(&agg, &all_contribs()));
    let forged = w.join("forged.json");
    let a_ct: Value = serde_json::from_slice(&fs::read(contrib("org-a")).unwrap()).unwrap();
    edit_json(&agg, &forged, |v| {
        v["ciphertexts"] = a_ct["ciphertexts"].clone()
    });
    refused(
        &partial(&w, "m1", &forged, &f.p("contrib"), &out),
        1,
        &["forged.json", "does not match the signed contributions"],
    );
    // A listed contribution missing from the directory.
    let partial_dir = w.join("some");
    fs::create_dir_all(&partial_dir).unwrap();
    for o in &ORGS[..3] {
        fs::copy(contrib(o), partial_dir.join(format!("{o}.json"))).unwrap();
    }
    refused(
        &partial(&w, "m1", &agg, &partial_dir, &out),
        1,
        &["does not match"],
    );
    assert!(!out.exists());
    // Once per round: the first succeeds, the second (even of another aggregate) is refused.
    ok(&partial(&w, "m1", &agg, &f.p("contrib"), &out));
    let out2 = w.join("p2.json");
    refused(
        &partial(&w, "m1", &agg, &f.p("contrib"), &out2),
        1,
        &["journal-m1", "already decrypted"],
    );
    assert!(!out2.exists());
    // The wrong member key or share.
    let o = run(&[
        &"stats",
        &"partial",
        &"--round",
        &f.round(),
        &"--member",
        &"m2",
        &"--key",
        &f.p("m2.pem"),
        &"--share",
        &f.p("round/keyshare-m3.sealed"),
        &"--aggregate",
        &agg,
        &"--contributions",
        &f.p("contrib"),
        &"--journal",
        &w.join("j2"),
        &"-o",
        &out2,
    ]);
    refused(
        &o,
        1,
        &[
            "keyshare-m3.sealed",
            "sealed to another key, for another member",
        ],
    );
    assert!(!out2.exists());
}

#[test]
fn combine_names_forged_partials_and_needs_t_valid_ones() {
    let w = workdir("combine");
    let (agg, parts) = full_round(&w);
    let forged_sig = w.join("forged-sig.json");
    edit_json(&parts[0], &forged_sig, |v| flip_hex(v, "/signature", 5));
    let tampered_share = w.join("tampered-share.json");
    edit_json(&parts[1], &tampered_share, |v| {
        let s = v["shares"][0].as_str().unwrap().len();
        flip_hex(v, "/shares/0", s - 10)
    });
    let impostor = w.join("impostor.json");
    edit_json(&parts[1], &impostor, |v| v["member"] = json!("m3"));
    let truncated = w.join("truncated.json");
    let bytes = fs::read(&parts[2]).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() - 20]).unwrap();
    // One valid among bad ones: refused, each bad one named, nothing written.
    let report = w.join("report.json");
    let o = combine(
        &agg,
        &report,
        &[
            forged_sig.clone(),
            tampered_share.clone(),
            impostor.clone(),
            truncated.clone(),
            parts[2].clone(),
        ],
    );
    refused(
        &o,
        1,
        &[
            "forged-sig.json: rejected",
            "signature",
            "tampered-share.json: rejected",
            "impostor.json: rejected",
            "truncated.json",
            "only 1 valid partial",
            "2 are needed",
        ],
    );
    assert!(!report.exists());
    // Two valid among bad ones: the report is made, the bad ones still named.
    let o = combine(
        &agg,
        &report,
        &[
            forged_sig,
            parts[1].clone(),
            tampered_share,
            parts[2].clone(),
        ],
    );
    refused(
        &o,
        0,
        &["forged-sig.json: rejected", "tampered-share.json: rejected"],
    );
    assert!(report.exists());
    // Partials of another aggregate are refused.
    let other = w.join("agg-other.json");
    ok(&aggregate(&other, &all_contribs()[..3]));
    let o = combine(&other, &w.join("r2.json"), &parts[1..]);
    refused(&o, 1, &["made for another aggregate", "only 0 valid"]);
}

#[test]
fn unreadable_or_truncated_inputs_and_existing_outputs() {
    let f = fixture();
    let w = workdir("io");
    let truncated_round = w.join("round.json");
    let bytes = fs::read(f.round()).unwrap();
    fs::write(&truncated_round, &bytes[..bytes.len() / 3]).unwrap();
    let out = w.join("agg.json");
    let o = run(&[
        &"stats",
        &"aggregate",
        &"--round",
        &truncated_round,
        &"-o",
        &out,
        &contrib("org-a"),
    ]);
    refused(&o, 1, &["round.json", "truncated"]);
    // A manifest whose signature does not verify.
    let tampered_round = w.join("tampered-round.json");
    edit_json(&f.round(), &tampered_round, |v| v["quorum"] = json!(2));
    let o = run(&[
        &"stats",
        &"aggregate",
        &"--round",
        &tampered_round,
        &"-o",
        &out,
        &contrib("org-a"),
    ]);
    refused(&o, 1, &["tampered-round.json", "signature does not verify"]);
    let o = run(&[
        &"stats",
        &"aggregate",
        &"--round",
        &w.join("missing.json"),
        &"-o",
        &out,
        &contrib("org-a"),
    ]);
    refused(&o, 1, &["missing.json", "cannot read"]);
    assert!(!out.exists());
    // Outputs are created new unless --force, and never over an input.
    ok(&aggregate(&out, &all_contribs()));
    refused(
        &aggregate(&out, &all_contribs()),
        1,
        &["agg.json", "already exists", "--force"],
    );
    let o = run(&[
        &"stats",
        &"aggregate",
        &"--round",
        &f.round(),
        &"--force",
        &"-o",
        &contrib("org-a"),
        &contrib("org-a"),
    ]);
    refused(&o, 1, &["is also an input"]);
    // Usage errors exit 2.
    let o = run(&[&"stats", &"aggregate", &"--round"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn keygen_writes_an_openssl_readable_private_key_with_mode_0600() {
    let w = workdir("keygen");
    let name = w.join("k");
    ok(&run(&[&"keygen", &"-o", &name]));
    let secret = w.join("k.pem");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&secret).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    refused(
        &run(&[&"keygen", &"-o", &name]),
        1,
        &["k.pem", "already exists"],
    );
    // OpenSSL (on every machine of this kind: libssl-dev's openssl) reads the key we wrote.
    let o = Command::new("openssl")
        .args(["pkey", "-in"])
        .arg(&secret)
        .args(["-pubout"])
        .output()
        .expect("openssl");
    assert!(o.status.success(), "openssl pkey refused the key");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        fs::read_to_string(w.join("k.pub.pem")).unwrap()
    );
}

/// Regression (review): nothing in the CLI checked who signed `round.json`, only that it
/// verifies under the key it names itself. Whoever can replace the file on its way (a
/// shared folder, e-mail, MISP) signs one of their own, with a threshold key whose primes
/// they know, and reads every contribution made under it. `--coordinator` pins the key
/// (DESIGN §7: everyone pins the coordinator's key out of band); the rule is
/// `rules::check_coordinator`.
#[test]
fn a_manifest_not_signed_by_the_pinned_coordinator_is_refused() {
    let f = fixture();
    let w = workdir("pinned-coordinator");
    // The impostor: same roster, committee and schema, its own key (and known primes).
    ok(&run(&[
        &"stats",
        &"setup",
        &"--schema",
        &f.p("schema.json"),
        &"--roster",
        &f.p("roster.json"),
        &"--committee",
        &f.p("committee.json"),
        &"-t",
        &"2",
        &"--quorum",
        &"3",
        &"--key",
        &f.p("outsider.pem"),
        &"--primes",
        &primes(),
        &"-o",
        &w.join("impostor"),
    ]));
    let impostor = w.join("impostor/round.json");
    let contribute = |round: &Path, out: &Path| {
        run(&[
            &"stats",
            &"contribute",
            &"--round",
            &round,
            &"--coordinator",
            &f.p("coord.pub.pem"),
            &"--org",
            &"org-a",
            &"--key",
            &f.p("org-a.pem"),
            &"--values",
            &f.p("values-org-a.json"),
            &"-o",
            &out,
        ])
    };
    let out = w.join("org-a.json");
    let err = refused(
        &contribute(&impostor, &out),
        1,
        &[
            &impostor.display().to_string(),
            "not signed by the pinned coordinator",
        ],
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        !out.exists(),
        "a contribution was written under the impostor's key"
    );
    // The genuine manifest passes the same pin.
    ok(&contribute(&f.round(), &out));
    // The other steps pin too.
    let agg = w.join("aggregate.json");
    refused(
        &run(&[
            &"stats",
            &"aggregate",
            &"--round",
            &impostor,
            &"--coordinator",
            &f.p("coord.pub.pem"),
            &"-o",
            &agg,
            &contrib("org-a"),
        ]),
        1,
        &["not signed by the pinned coordinator"],
    );
    assert!(!agg.exists());
}

/// Regression (review): a key that is not the roster's (contribute) or the committee's
/// (partial: `stats_shamir_cli`) was refused with "--key is not ..." but without naming
/// the file, unlike every other error (DESIGN §8a: one line naming the file and the
/// cause).
#[test]
fn a_wrong_key_is_refused_naming_the_key_file() {
    let f = fixture();
    let w = workdir("wrong-key");
    let out = w.join("org-a.json");
    let wrong = f.p("org-b.pem");
    let err = refused(
        &contribute(&f.round(), "org-a", &wrong, &f.p("values-org-a.json"), &out),
        1,
        &[&wrong.display().to_string(), "org-a"],
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!out.exists());
}

/// Regression (review): `partial -o` was checked against its inputs but not against the
/// journal, so `-o <journal> --force` wrote the partial decryption over the journal the
/// round had just been recorded in, and the next run decrypted the round again.
#[test]
fn partial_refuses_to_write_over_its_journal() {
    let f = fixture();
    let w = workdir("journal-as-output");
    let agg = w.join("aggregate.json");
    ok(&aggregate(&agg, &all_contribs()));
    let journal = w.join("journal-m1");
    let run_partial = |out: &Path| {
        run(&[
            &"stats",
            &"partial",
            &"--round",
            &f.round(),
            &"--member",
            &"m1",
            &"--key",
            &f.p("m1.pem"),
            &"--share",
            &f.p("round/keyshare-m1.sealed"),
            &"--aggregate",
            &agg,
            &"--contributions",
            &f.p("contrib"),
            &"--journal",
            &journal,
            &"--force",
            &"-o",
            &out,
        ])
    };
    // Not there yet (created by this very run), then there.
    refused(&run_partial(&journal), 1, &["journal-m1", "input"]);
    assert!(!journal.exists());
    fs::write(&journal, "").unwrap();
    let err = refused(&run_partial(&journal), 1, &["journal-m1", "input"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        fs::read_to_string(&journal).unwrap(),
        "",
        "nothing decrypted"
    );
    // Elsewhere it decrypts once, and only once.
    ok(&run_partial(&w.join("p1.json")));
    refused(&run_partial(&w.join("p2.json")), 1, &["already decrypted"]);
}
