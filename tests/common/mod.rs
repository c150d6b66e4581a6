//! Helpers shared by the Camellia integration tests: readers for the vector files in
//! `vectors/`, hex helpers, and [`camellia`], one constructor for the three key sizes.
//!
//! The readers follow the shape of ring's `src/testutil.rs`. A file is a list of
//! [`TestCase`]s, and each case is a list of `name = value` fields. A case prints its file,
//! line, number and fields, so a failing assertion shows which vector failed.

// Each test crate uses only part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;

use tsubaki::camellia::{Backend, Camellia};

pub mod ecdsa;
pub mod rng;

/// Camellia of any key size behind one interface, for tests whose key sizes are only known
/// at run time (vector files, random key lengths). The modes take it too.
pub use tsubaki::camellia::modes::BlockCipher;

/// One test vector, with its fields in file order and where it came from.
pub struct TestCase {
    /// The file name, relative to `vectors/`.
    pub file: &'static str,
    /// The position of the case in its file, counting from 1.
    pub number: usize,
    /// The line the case starts on.
    pub line: usize,
    /// The `[section]` the case is in (Botan's `Camellia-128`, ...), if any.
    pub section: Option<String>,
    /// The comment lines right before the case (KEY/PT/CT files), or NESSIE's
    /// `Set 1, vector#  0` heading.
    pub label: String,
    fields: Vec<(String, String)>,
}

impl TestCase {
    fn new(file: &'static str, number: usize, line: usize) -> Self {
        TestCase {
            file,
            number,
            line,
            section: None,
            label: String::new(),
            fields: Vec::new(),
        }
    }

    fn push(&mut self, name: &str, value: &str) {
        let name = name.trim();
        assert!(self.get(name).is_none(), "{self}\nfield {name} given twice");
        self.fields.push((name.to_owned(), value.trim().to_owned()));
    }

    /// The names of the fields, in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(n, _)| n.as_str())
    }

    /// The value of field `name`, if the case has one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The bytes of the hex field `name`. Panics, naming the case, if the field is
    /// missing or not hex.
    pub fn bytes(&self, name: &str) -> Vec<u8> {
        let value = self
            .get(name)
            .unwrap_or_else(|| panic!("{self}\nno field {name}"));
        try_hex(value).unwrap_or_else(|e| panic!("{self}\nfield {name}: {e}"))
    }

    /// The hex field `name` as one 16-byte block.
    pub fn block(&self, name: &str) -> [u8; 16] {
        self.bytes(name).try_into().unwrap_or_else(|v: Vec<u8>| {
            panic!("{self}\nfield {name} is {} bytes, not 16", v.len())
        })
    }

    /// The hex field `name` as whole 16-byte blocks.
    pub fn blocks(&self, name: &str) -> Vec<[u8; 16]> {
        let bytes = self.bytes(name);
        assert!(
            bytes.len().is_multiple_of(16),
            "{self}\nfield {name} is {} bytes, not whole blocks",
            bytes.len()
        );
        to_blocks(&bytes)
    }

    /// Panics unless the case has exactly the fields `names`, in any order, so that a
    /// misspelt or unexpected field cannot be ignored.
    pub fn expect_fields(&self, names: &[&str]) {
        let mut got: Vec<&str> = self.names().collect();
        let mut want = names.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{self}\nunexpected set of fields");
    }
}

impl fmt::Display for TestCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: vector {}", self.file, self.line, self.number)?;
        if let Some(section) = &self.section {
            write!(f, " [{section}]")?;
        }
        if !self.label.is_empty() {
            write!(f, " ({})", self.label)?;
        }
        for (name, value) in &self.fields {
            write!(f, "\n  {name} = {value}")?;
        }
        Ok(())
    }
}

/// Reads `vectors/<file>`.
pub fn read_vector_file(file: &str) -> String {
    let path = format!("{}/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Reads a file of `name = value` blocks separated by blank lines: the KEY/PT/CT files
/// and Botan's `.vec` files, whose `[section]` lines go into [`TestCase::section`].
/// `#` lines are comments; those right before a block become its label.
pub fn read_key_value(file: &'static str) -> Vec<TestCase> {
    parse_key_value(file, &read_vector_file(file))
}

/// [`read_key_value`] on text already in memory.
pub fn parse_key_value(file: &'static str, text: &str) -> Vec<TestCase> {
    let mut cases = Vec::new();
    let mut current: Option<TestCase> = None;
    let mut section: Option<String> = None;
    let mut comments: Vec<&str> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            cases.extend(current.take());
            comments.clear();
        } else if let Some(comment) = line.strip_prefix('#') {
            comments.push(comment.trim());
        } else if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            cases.extend(current.take());
            section = Some(name.to_owned());
        } else {
            let (name, value) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("{file}:{}: not `name = value`: {line}", i + 1));
            let case = current.get_or_insert_with(|| {
                let mut case = TestCase::new(file, cases.len() + 1, i + 1);
                case.section = section.clone();
                case.label = comments.join("; ");
                case
            });
            case.push(name, value);
        }
    }
    cases.extend(current);
    cases
}

/// Reads a file in the original NESSIE layout:
///
/// ```text
/// Set 1, vector#  0:
///                            key=80000000000000000000000000000000
///                          plain=00000000000000000000000000000000
///             Iterated 100 times=F77AEC22A6043FE27A3BCB861C4BB0AC
/// ```
///
/// A case runs from its `Set s, vector# v:` line to the next blank line. A line of bare hex
/// inside a case continues the value above it (NESSIE wraps values longer than a line).
/// Headings between the sets are skipped.
pub fn read_nessie(file: &'static str) -> Vec<TestCase> {
    parse_nessie(file, &read_vector_file(file))
}

/// [`read_nessie`] on text already in memory.
pub fn parse_nessie(file: &'static str, text: &str) -> Vec<TestCase> {
    let mut cases = Vec::new();
    let mut current: Option<TestCase> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            cases.extend(current.take());
        } else if line.starts_with("Set ") && line.ends_with(':') {
            cases.extend(current.take());
            let mut case = TestCase::new(file, cases.len() + 1, i + 1);
            case.label = line.trim_end_matches(':').to_owned();
            current = Some(case);
        } else if let Some(case) = current.as_mut() {
            if let Some((name, value)) = line.split_once('=') {
                case.push(name, value);
            } else if line.bytes().all(|b| b.is_ascii_hexdigit()) && !case.fields.is_empty() {
                case.fields.last_mut().unwrap().1.push_str(line);
            } else {
                panic!("{file}:{}: unexpected line in a vector: {line}", i + 1);
            }
        } else {
            // Between vectors only headings may appear (`Test vectors -- set 2`,
            // `=====`, `Key size: 128 bits`); a field there means a lost `Set` line.
            assert!(
                !matches!(line.split_once('='), Some((name, _)) if !name.trim().is_empty()),
                "{file}:{}: field outside a vector: {line}",
                i + 1
            );
        }
    }
    cases.extend(current);
    cases
}

/// Splits `cases` into groups that share the value of the field `key`, in the order each key
/// first appears, so that all vectors of one key can go through the bulk functions together.
pub fn group_by<'a>(cases: &'a [TestCase], key: &str) -> Vec<Vec<&'a TestCase>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<Vec<&TestCase>> = Vec::new();
    for case in cases {
        let value = case
            .get(key)
            .unwrap_or_else(|| panic!("{case}\nno field {key}"));
        let i = *index.entry(value).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(case);
    }
    groups
}

/// Decodes hex (either case), or says what is wrong with it.
pub fn try_hex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits: {s}"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("not hex: {s}"))
        })
        .collect()
}

/// Decodes hex; panics on anything else.
pub fn hex(s: &str) -> Vec<u8> {
    try_hex(s).unwrap_or_else(|e| panic!("{e}"))
}

/// Encodes bytes as upper-case hex, the way the vector files write them.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Cuts `bytes` (a whole number of blocks) into 16-byte blocks.
pub fn to_blocks(bytes: &[u8]) -> Vec<[u8; 16]> {
    assert!(
        bytes.len().is_multiple_of(16),
        "{} bytes is not whole blocks",
        bytes.len()
    );
    bytes
        .chunks_exact(16)
        .map(|c| c.try_into().unwrap())
        .collect()
}

/// Where two runs of blocks first differ (`None` if they are equal), in hex, for failure
/// messages that stay readable with hundreds of blocks.
pub fn first_difference(got: &[[u8; 16]], want: &[[u8; 16]]) -> Option<String> {
    if got.len() != want.len() {
        return Some(format!("{} blocks, expected {}", got.len(), want.len()));
    }
    let i = got.iter().zip(want).position(|(g, w)| g != w)?;
    Some(format!(
        "block {i} of {} is {}, expected {}",
        got.len(),
        to_hex(&got[i]),
        to_hex(&want[i])
    ))
}

/// Fails the proptest case with `what` and the first difference unless `got == want`.
pub fn prop_assert_blocks(
    got: &[[u8; 16]],
    want: &[[u8; 16]],
    what: &str,
) -> Result<(), proptest::test_runner::TestCaseError> {
    match first_difference(got, want) {
        None => Ok(()),
        Some(diff) => Err(proptest::test_runner::TestCaseError::fail(format!(
            "{what}: {diff}"
        ))),
    }
}

/// The backends this CPU runs; a test that loops over them must not loop over nothing.
pub fn backends() -> Vec<Backend> {
    let all: Vec<Backend> = Backend::available().collect();
    assert!(!all.is_empty(), "no Camellia backend available");
    all
}

/// A cipher for `key` (16, 24 or 32 bytes) on `backend`, which must be available.
pub fn camellia(key: &[u8], backend: Backend) -> Box<dyn BlockCipher> {
    fn build<const N: usize>(key: &[u8], backend: Backend) -> Box<dyn BlockCipher> {
        Box::new(
            Camellia::<N>::with_backend_from_slice(key, backend)
                .unwrap_or_else(|e| panic!("{}-byte key on {backend}: {e}", key.len())),
        )
    }
    match key.len() {
        16 => build::<16>(key, backend),
        24 => build::<24>(key, backend),
        32 => build::<32>(key, backend),
        n => panic!("Camellia has no {n}-byte key"),
    }
}

/// The number of proptest cases: `PROPTEST_CASES` from the environment if set (CI can raise
/// it), else `default`. An explicit `ProptestConfig` does not read the variable itself.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}
