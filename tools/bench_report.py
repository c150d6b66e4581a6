#!/usr/bin/env python3
"""Turn criterion's results into Markdown tables with per-byte or per-operation costs and
peer ratios.

Usage:
    cargo bench --bench camellia      # or camellia_modes, ecdsa, shamir, paillier
    python3 tools/bench_report.py [CRITERION_DIR] [--estimate slope|mean|median]
                                  [--ghz GHZ | --no-clock] [--clock-runs N]

    cd benches/peers && cargo bench   # Paillier with kzen-paillier, libpaillier, phe
    python3 ../../tools/bench_report.py target/criterion

CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion, else target/criterion next to this
tools/ folder. Every benchmark with a `new/benchmark.json` and `new/estimates.json` is
listed, group by group, in one of two forms:

- groups that declare `Throughput::Bytes` (Camellia): time per iteration in ns, MB/s (10^6
  bytes per second) and cycles per byte;
- groups without a throughput (ECDSA and scalar multiplication: `ecdsa-sign`,
  `ecdsa-verify`, `ec-keygen`, `ec-mul-base`, `ec-mul`; Shamir sharing: `shamir-key`,
  `shamir-vector`): time per operation in µs and thousands of cycles per operation, rows
  ordered by parameter (the curve, or `t-of-n`) so that each case's implementations sit
  together.

Both forms give, for each peer (benchmark functions named `ring`, `rustcrypto`, `openssl`,
`libgcrypt`, `vsss-rs`, `sharks`, `kzen`, `libpaillier` or `phe` in the same group with the
same parameter), the speed ratio peer time / this time: above 1 means faster than the peer.
After the tables, the targets of issue 4 (ECDSA), issue 5 (Paillier) and issue 6 (Shamir:
split + combine of a 32-byte key, 3-of-5, at least 3× faster than the fastest of vsss-rs and
sharks) are checked against the `tsubaki` rows and each is printed as met or missed.

Paillier groups (`paillier-*`) print each row in ms (from 0.1 ms up) or µs, and cycles in
millions (M) or thousands (k). python-paillier is measured by `tools/bench_phe.py` (run by the peer bench), not
by criterion: its `CRITERION_DIR/python-paillier.json` is merged into the same groups as
function `phe`, with the median of its runs and half their spread as the ± figure. The
packing rows also get a per-counter line: the cost of adding one counter when
`slots` counters share a ciphertext (`paillier-packed/add` / slots) against one ciphertext
per value (`paillier-add/tsubaki`).

Cycles per byte need the core clock, and on this machine the TSC is not it: a Zen 5 core
boosts well above the TSC rate, and a VM hides the cycle counter. So this script measures
the clock it needs: it compiles (with `cc`) a few lines of C that time a chain of 1000
dependent register-to-register `add`s, each of which takes exactly one cycle, and divides
adds by seconds of the thread's CPU time (so that time spent preempted by other processes
does not count). It runs that several times right away (so run this script right after the
bench) and uses the median; it warns when wall time shows the machine was busy. If `perf stat -e
cycles` works, its count is printed as a cross-check; nothing depends on it. `--ghz` skips
the measurement and uses the given clock; `--no-clock` leaves cycles/byte out.

Only the Python 3 standard library is used.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

PEERS = [
    ("ring", "ring"),
    ("rustcrypto", "RustCrypto"),
    ("openssl", "OpenSSL"),
    ("libgcrypt", "libgcrypt"),
    ("vsss-rs", "vsss-rs"),
    ("sharks", "sharks"),
    ("kzen", "kzen-paillier"),
    ("libpaillier", "libpaillier"),
    ("phe", "python-paillier"),
]

# Groups printed first, in this order; any others follow alphabetically.
GROUP_ORDER = ["ecdsa-sign", "ecdsa-verify", "ec-keygen", "ec-mul-base", "ec-mul",
               "shamir-key", "shamir-vector",
               "paillier-keygen", "paillier-encrypt", "paillier-decrypt", "paillier-add",
               "paillier-packed"]

# Packed vectors measured by benches/paillier_common: 16-bit counters, headroom for 1,000
# contributors, as many slots as fit below 2^(bits-1).
PACKED_COUNTER_MAX = 65535
PACKED_CONTRIBUTORS = 1000

# Performance targets (issue 4): (group, parameter, our function, peers, strict). Not
# strict: our time is at most each peer's time in this run (ratio >= 1.00); strict: ahead
# of each peer (ratio > 1.00).
TARGETS = [
    ("ecdsa-sign", "P-256", "tsubaki", ["ring"], False),
    ("ecdsa-verify", "P-256", "tsubaki", ["openssl"], False),
    ("ecdsa-sign", "P-384", "tsubaki", ["ring", "rustcrypto", "openssl"], True),
    ("ecdsa-verify", "P-384", "tsubaki", ["ring", "rustcrypto", "openssl"], True),
]

# Speed-up targets (issue 6): (group, parameter, our function, peers, factor): our time
# times `factor` is at most the fastest peer's time in this run.
FACTOR_TARGETS = [
    ("shamir-key", "3-of-5", "tsubaki", ["vsss-rs", "sharks"], 3.0),
]

CLOCK_C = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds_of(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint64_t tsc(void) {
#if defined(__x86_64__)
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
#else
    return 0;
#endif
}

/* 1000 adds, each depending on the previous one: 1000 cycles. The addend is a register
 * the compiler cannot see through, so no core can fold the chain into fewer operations;
 * the loop counter runs in parallel, off the chain. */
#if defined(__x86_64__)
#define CHAIN(x, one) __asm__ volatile(".rept 1000\n\taddq %1, %0\n\t.endr" : "+r"(x) : "r"(one))
#elif defined(__aarch64__)
#define CHAIN(x, one) __asm__ volatile(".rept 1000\n\tadd %0, %0, %1\n\t.endr" : "+r"(x) : "r"(one))
#else
#error "no add chain for this architecture"
#endif

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 0.2;
    uint64_t x = 0, one = (uint64_t)argc;
    for (long iters = 1000;; iters *= 2) {
        double w0 = seconds_of(CLOCK_MONOTONIC), c0 = seconds_of(CLOCK_THREAD_CPUTIME_ID);
        uint64_t t0 = tsc();
        for (long i = 0; i < iters; i++) CHAIN(x, one);
        uint64_t t1 = tsc();
        double c1 = seconds_of(CLOCK_THREAD_CPUTIME_ID), w1 = seconds_of(CLOCK_MONOTONIC);
        if (c1 - c0 >= seconds) {
            double adds = 1e3 * (double)iters;
            /* GHz over this thread's CPU time (the core clock while it ran), GHz over wall
             * time (lower if the thread was preempted), TSC GHz (0 if none); x is printed
             * so that the chain is used */
            printf("%.6f %.6f %.6f %llu\n", adds / (c1 - c0) / 1e9, adds / (w1 - w0) / 1e9,
                   (double)(t1 - t0) / (w1 - w0) / 1e9, (unsigned long long)(x & 1));
            return 0;
        }
    }
}
"""


def default_criterion_dir():
    target = os.environ.get("CARGO_TARGET_DIR")
    if not target:
        target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target")
    return os.path.join(target, "criterion")


def load_results(root, estimate):
    """Yields dicts with group, function, param, ns, ci (half-width, ns), bytes."""
    for dirpath, _dirnames, filenames in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in filenames:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            est = json.load(f)
        chosen = est.get(estimate) or est["mean"]  # slope is null in flat sampling mode
        ci = chosen["confidence_interval"]
        throughput = bench.get("throughput") or {}
        yield {
            "group": bench["group_id"],
            "function": bench.get("function_id") or "",
            "param": bench.get("value_str") or "",
            "ns": chosen["point_estimate"],
            "ci": (ci["upper_bound"] - ci["lower_bound"]) / 2,
            "bytes": throughput.get("Bytes") or throughput.get("BytesDecimal"),
        }


def load_phe_results(root):
    """python-paillier's results from tools/bench_phe.py, shaped like criterion's."""
    path = os.path.join(root, "python-paillier.json")
    if not os.path.exists(path):
        return None, []
    with open(path) as f:
        data = json.load(f)
    rows = []
    for r in data["results"]:
        runs = r.get("runs_ns") or [r["ns"]]
        rows.append({"group": r["group"], "function": r["function"], "param": r["param"],
                     "ns": r["ns"], "ci": (max(runs) - min(runs)) / 2, "bytes": None})
    return data, rows


def packed_slots(bits):
    width = (PACKED_COUNTER_MAX * PACKED_CONTRIBUTORS).bit_length()
    return (bits - 1) // width, width


def run_clock_program(exe, seconds):
    out = subprocess.run([exe, str(seconds)], capture_output=True, text=True, check=True)
    cpu_ghz, wall_ghz, tsc_ghz, _ = out.stdout.split()
    return float(cpu_ghz), float(wall_ghz), float(tsc_ghz)


def perf_cross_check(exe):
    """The core clock from perf's cycle counter, or a reason it is unavailable."""
    if shutil.which("perf") is None:
        return None, "perf is not installed"
    try:
        out = subprocess.run(
            ["perf", "stat", "-x", ",", "-e", "cycles,task-clock", exe, "0.3"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"perf failed: {e}"
    counts = {}
    for line in out.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2:
            counts[fields[2].split(":")[0]] = fields[0]
    cycles, task_ms = counts.get("cycles", ""), counts.get("task-clock", "")
    try:
        return float(cycles) / (float(task_ms) * 1e6), None
    except ValueError:
        return None, f"perf stat -e cycles gives `{cycles or 'nothing'}` here"


def measure_clock(runs, seconds):
    """Returns (GHz, description of how it was measured)."""
    cc = os.environ.get("CC", "cc")
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "clock.c"), os.path.join(tmp, "clock")
        with open(src, "w") as f:
            f.write(CLOCK_C)
        subprocess.run([cc, "-O2", "-o", exe, src], check=True)
        run_clock_program(exe, 0.2)  # wake the core up to its running clock
        samples = [run_clock_program(exe, seconds) for _ in range(runs)]
        perf_ghz, perf_why = perf_cross_check(exe)
    ghz = statistics.median(s[0] for s in samples)
    lo, hi = min(s[0] for s in samples), max(s[0] for s in samples)
    wall = statistics.median(s[1] for s in samples)
    tsc = statistics.median(s[2] for s in samples)
    how = (
        f"core clock {ghz:.3f} GHz, measured by this script just now: median of {runs} runs "
        f"({lo:.3f}–{hi:.3f} GHz) of a chain of dependent register `add`s (1 cycle each) "
        f"timed over {seconds} s of the thread's CPU time"
    )
    if wall < 0.9 * ghz:
        how += (
            f". WARNING: over wall time the same chain ran at only {wall:.3f} GHz, so the "
            f"machine is busy and criterion's wall-clock times include waits"
        )
    if tsc > 0:
        how += f"; the TSC ticks at {tsc:.3f} GHz and is not used"
    if perf_ghz is not None:
        how += f"; cross-check: perf stat cycles/task-clock = {perf_ghz:.3f} GHz"
    else:
        how += f"; no perf cross-check ({perf_why})"
    return ghz, how


def fmt_time(ns, ci=None):
    """Milliseconds from 0.1 ms up, else microseconds, with the ± half-width if given."""
    scale, unit = (1e6, "ms") if ns >= 1e5 else (1e3, "µs")
    pm = f" ± {ci / scale:,.3f}" if ci is not None else ""
    return f"{ns / scale:,.3f}{pm} {unit}"


def fmt_ratio(peer_ns, ns):
    return f"{peer_ns / ns:.2f}×" if peer_ns else "—"


def print_row(cells):
    print("| " + " | ".join(cells) + " |")


def print_group(group, rows, by_key, ghz):
    """One group's table: per byte if its benchmarks declare a byte throughput, else per
    operation."""
    per_byte = any(r["bytes"] for r in rows)
    if per_byte:
        rows.sort(key=lambda r: (r["function"] in dict(PEERS), r["function"], r["param"]))
    else:
        peer_rank = {fid: i for i, (fid, _) in enumerate(PEERS)}

        def rank(fid):
            # tsubaki rows first, then the peers in PEERS order, a peer's variants
            # (`kzen-crt`) right after it.
            if fid in peer_rank:
                return peer_rank[fid]
            return peer_rank.get(fid.split("-")[0], -1.5) + 0.5

        rows.sort(key=lambda r: (r["param"], rank(r["function"]), r["function"]))
    peers = [(fid, name) for fid, name in PEERS if any(r["function"] == fid for r in rows)]
    print(f"### {group}\n")
    paillier = group.startswith("paillier-")
    if per_byte:
        header = ["benchmark", "ns", "MB/s", "cycles/byte"]
    elif paillier:
        header = ["benchmark", "time", "cycles"]
    else:
        header = ["benchmark", "µs", "kcycles"]
    header += [f"speed vs {name}" for _, name in peers]
    print_row(header)
    print("|---|" + "---:|" * (len(header) - 1))
    for r in rows:
        ns, nbytes = r["ns"], r["bytes"]
        cells = [f"{r['function']}/{r['param']}" if r["param"] else r["function"]]
        if per_byte:
            cells += [
                f"{ns:,.1f} ± {r['ci']:,.1f}",
                f"{nbytes / ns * 1e3:,.0f}" if nbytes else "—",
                f"{ns * ghz / nbytes:.2f}" if nbytes and ghz else "—",
            ]
        elif paillier:
            cells += [
                fmt_time(ns, r["ci"]),
                (f"{ns * ghz / 1e6:,.2f} M" if ns > 1e5 else f"{ns * ghz / 1e3:,.1f} k")
                if ghz else "—",
            ]
        else:
            cells += [
                f"{ns / 1e3:,.2f} ± {r['ci'] / 1e3:,.2f}",
                f"{ns * ghz / 1e3:,.1f}" if ghz else "—",
            ]
        for fid, _ in peers:
            peer = by_key.get((group, fid, r["param"]))
            cells.append(fmt_ratio(peer["ns"] if peer else None, ns))
        print_row(cells)
    print()
    return per_byte


def print_targets(by_key):
    """The issue 4 targets whose benchmarks are in the results, each met or missed; a
    difference smaller than the two 95% half-widths together is flagged as within noise."""
    lines = []
    for group, param, ours, peers, strict in TARGETS:
        mine = by_key.get((group, ours, param))
        if mine is None:
            continue
        parts, met = [], True
        for peer in peers:
            theirs = by_key.get((group, peer, param))
            if theirs is None:
                parts.append(f"{peer} not measured")
                met = False
                continue
            ratio = theirs["ns"] / mine["ns"]
            met &= ratio > 1.0 if strict else ratio >= 1.0
            noise = abs(theirs["ns"] - mine["ns"]) < theirs["ci"] + mine["ci"]
            parts.append(f"{peer} {theirs['ns'] / 1e3:,.2f} µs ({ratio:.2f}×"
                         f"{', within noise' if noise else ''})")
        want = "ahead of" if strict else "at least as fast as"
        verdict = "met" if met else "MISSED"
        lines.append(
            f"- {group} {param}: {ours} {mine['ns'] / 1e3:,.2f} µs, {want} "
            f"{', '.join(peers)}: **{verdict}** — {'; '.join(parts)}"
        )
    if lines:
        print("### Targets (issue 4)\n")
        print("\n".join(lines))
        print()
    lines = []
    for group, param, ours, peers, factor in FACTOR_TARGETS:
        mine = by_key.get((group, ours, param))
        theirs = [(p, by_key.get((group, p, param))) for p in peers]
        measured = [(p, r) for p, r in theirs if r is not None]
        if mine is None or not measured:
            continue
        fastest, best = min(measured, key=lambda pr: pr[1]["ns"])
        ratio = best["ns"] / mine["ns"]
        met = ratio >= factor and len(measured) == len(peers)
        missing = [p for p, r in theirs if r is None]
        lines.append(
            f"- {group} {param}: {ours} {mine['ns'] / 1e3:,.2f} µs, fastest peer {fastest} "
            f"{best['ns'] / 1e3:,.2f} µs: {ratio:.2f}× (target ≥ {factor:.0f}×): "
            f"**{'met' if met else 'MISSED'}**"
            + (f" ({', '.join(missing)} not measured)" if missing else "")
        )
    if lines:
        print("### Targets (issue 6)\n")
        print("\n".join(lines))
        print()




def print_paillier_targets(by_key):
    """Issue 5's targets, at 2048 bits (and the same checks at 3072 for information)."""
    lines = []
    for bits in ("2048", "3072"):
        def get(group, fid):
            return by_key.get((group, fid, bits))

        # Default encryption and decryption: at least as fast as the fastest GMP-based
        # peer in this run (kzen-paillier, libpaillier, python-paillier + gmpy2).
        for group, what in (("paillier-encrypt", "encryption"), ("paillier-decrypt", "decryption")):
            mine = get(group, "tsubaki")
            peers = [(fid, get(group, fid)) for fid in ("kzen", "libpaillier", "phe")]
            peers = [(fid, r) for fid, r in peers if r]
            if not mine or not peers:
                continue
            fid, best = min(peers, key=lambda p: p[1]["ns"])
            ratio = best["ns"] / mine["ns"]
            noise = abs(best["ns"] - mine["ns"]) < best["ci"] + mine["ci"]
            lines.append(
                f"- {bits}: default {what} {fmt_time(mine['ns'])}, at least as fast as the "
                f"fastest GMP peer ({fid}, {fmt_time(best['ns'])}): "
                f"**{'met' if ratio >= 1 else 'MISSED'}** ({ratio:.2f}×"
                f"{', within noise' if noise else ''})")
        for group, fid, ours, want, what in (
            ("paillier-encrypt", "phe", "tsubaki-short", 3.0, "short-exponent encryption"),
            ("paillier-add", "phe", "tsubaki", 2.0, "add"),
        ):
            mine, theirs = get(group, ours), get(group, fid)
            if not mine or not theirs:
                continue
            ratio = theirs["ns"] / mine["ns"]
            lines.append(
                f"- {bits}: {what} {fmt_time(mine['ns'])} ≥ {want:.0f}× faster than phe "
                f"({fmt_time(theirs['ns'])}): **{'met' if ratio >= want else 'MISSED'}** "
                f"({ratio:.2f}×)")
        add, padd = get("paillier-add", "tsubaki"), get("paillier-packed", "add")
        if add and padd:
            slots, width = packed_slots(int(bits))
            per_counter = padd["ns"] / slots
            ratio = add["ns"] / per_counter
            ok = slots >= 64 and ratio >= 50
            lines.append(
                f"- {bits}: packing {slots} counters of 16 bits with headroom for "
                f"{PACKED_CONTRIBUTORS:,} contributors ({width}-bit slots); aggregation per "
                f"counter {per_counter:,.1f} ns (packed add {fmt_time(padd['ns'])} / {slots}) "
                f"vs {fmt_time(add['ns'])} for one ciphertext per value: {ratio:.0f}× lower, "
                f"target ≥ 64 counters and ≥ 50×: **{'met' if ok else 'MISSED'}**")
    if lines:
        print("### Targets (issue 5, Paillier; the issue states them at 2048 bits)\n")
        print("\n".join(lines))
        print()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("criterion_dir", nargs="?", default=default_criterion_dir())
    p.add_argument("--estimate", choices=["slope", "mean", "median"], default="slope",
                   help="which criterion estimate to report (default: slope, the one "
                        "criterion prints as `time`)")
    clock = p.add_mutually_exclusive_group()
    clock.add_argument("--ghz", type=float, help="core clock to use instead of measuring it")
    clock.add_argument("--no-clock", action="store_true",
                       help="leave out cycles/byte and kcycles/operation")
    p.add_argument("--clock-runs", type=int, default=9)
    p.add_argument("--clock-seconds", type=float, default=0.1)
    args = p.parse_args()

    results = list(load_results(args.criterion_dir, args.estimate))
    phe_meta, phe_rows = load_phe_results(args.criterion_dir)
    results += phe_rows
    if not results:
        sys.exit(f"no criterion results under {args.criterion_dir}: run `cargo bench` first")

    if args.no_clock:
        ghz, how = None, "cycles not computed (--no-clock)"
    elif args.ghz:
        ghz, how = args.ghz, f"core clock {args.ghz:.3f} GHz, given with --ghz"
    else:
        ghz, how = measure_clock(args.clock_runs, args.clock_seconds)

    print(f"Criterion results from `{args.criterion_dir}` ({args.estimate} estimate).\n")
    print(f"Clock: {how}.\n")
    if phe_meta:
        print(f"python-paillier {phe_meta['phe']} (Python {phe_meta['python']}, gmpy2 "
              f"{phe_meta['gmpy2'] or 'ABSENT: pure Python'}): median of {phe_meta['runs']} "
              f"timeit runs of about {phe_meta['seconds_per_run']} s each, from "
              f"`python-paillier.json`.\n")
    by_key = {(r["group"], r["function"], r["param"]): r for r in results}
    kinds = set()
    groups = sorted({r["group"] for r in results},
                    key=lambda g: (GROUP_ORDER.index(g) if g in GROUP_ORDER else len(GROUP_ORDER), g))
    for group in groups:
        rows = [r for r in results if r["group"] == group]
        kinds.add(print_group(group, rows, by_key, ghz))
    print_targets(by_key)
    print_paillier_targets(by_key)
    notes = []
    if True in kinds:
        notes.append(
            "ns: time per iteration with the half-width of criterion's 95% interval. "
            "OpenSSL's Camellia runs through EVP (`openssl::symm::Crypter`): its one-block "
            "figure includes the EVP call overhead."
        )
    if False in kinds and any(g.startswith("ec") for g in groups):
        notes.append(
            "µs: time per operation with the half-width of criterion's 95% interval; "
            "kcycles: thousands of core cycles per operation at the clock above. See "
            "`benches/ecdsa.rs` for what each implementation's operation includes (hashing, "
            "nonce derivation, key parsing, conversion to affine), and `benches/shamir.rs` "
            "for the Shamir cases (each row is one split + one combine)."
        )
    if any(g.startswith("paillier-") for g in groups):
        notes.append(
            "Paillier: time per operation (± the half-width of criterion's 95% interval; for "
            "phe half the spread of its runs) and cycles per operation; see "
            "`benches/paillier_common/mod.rs` (tsubaki rows) and "
            "`benches/peers/benches/paillier_peers.rs` (peers) for what each row includes."
        )
    notes.append("speed vs peer: peer time / this time (above 1: faster than the peer).")
    print(" ".join(notes))


if __name__ == "__main__":
    main()
