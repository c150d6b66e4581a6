#!/usr/bin/env python3
"""python-paillier (`phe`, with gmpy2) measured on the operations of tsubaki's Paillier
benchmarks, for `tools/bench_report.py`.

Usage:
    bench_phe.py OUT.json [--keys DIR] [--runs N] [--seconds S] [--no-keygen]

Run by `benches/peers/benches/paillier_peers.rs` at the start of the peer run (so phe is
measured in the same run as tsubaki, kzen-paillier and libpaillier), or by hand.

Keys: DIR/phe_2048_private.json and DIR/phe_3072_private.json (default:
vectors/paillier next to this tools/ folder), the fixed keys every implementation uses.
For each operation, `timeit` finds a loop count that takes about S seconds (default 0.3),
then runs it N times (default 3); the result is the median time per operation, with the
individual runs. Operations (ids as in the Rust benches):

- paillier-keygen/phe/2048: `phe.generate_paillier_keypair(n_length=2048)` (random
  primes; phe draws them with gmpy2 when present);
- paillier-encrypt/phe/{bits}: `pub.encrypt(m)` for the same 64-bit m as the Rust
  benches: encoding (exponent 0), g^m as 1 + m·n, and the obfuscation r^n mod n² with a
  fresh r (gmpy2.powmod);
- paillier-decrypt/phe/{bits}: `priv.decrypt(c)` (CRT, phe's default);
- paillier-add/phe/{bits}: `c1 + c2` on two EncryptedNumbers of the same exponent (one
  multiplication mod n², plus phe's object handling).

Writes OUT.json: {"python": ..., "phe": ..., "gmpy2": ..., "results": [{"group",
"function", "param", "ns", "runs_ns"}...]}.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import timeit

import phe
from phe import PaillierPrivateKey, PaillierPublicKey
from phe.util import base64_to_int

try:
    import gmpy2
except ImportError:  # phe falls back to pure Python: say so in the output
    gmpy2 = None

MESSAGE = 0x0123_4567_89AB_CDEF  # benches/paillier_common/mod.rs MESSAGE


def load_key(path):
    with open(path) as f:
        jwk = json.load(f)
    pub = PaillierPublicKey(base64_to_int(jwk["pub"]["n"]))
    return pub, PaillierPrivateKey(pub, base64_to_int(jwk["p"]), base64_to_int(jwk["q"]))


def measure(stmt, seconds, runs):
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    # autorange stops at >= 0.2 s; scale to the requested duration.
    per = timer.timeit(number) / number
    number = max(1, int(seconds / per))
    samples = [timer.timeit(number) / number * 1e9 for _ in range(runs)]
    return statistics.median(samples), samples


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--keys", default=os.path.join(here, "..", "vectors", "paillier"))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seconds", type=float, default=0.3)
    p.add_argument("--no-keygen", action="store_true")
    args = p.parse_args()

    results = []

    def record(group, bits, stmt, seconds=args.seconds):
        ns, runs = measure(stmt, seconds, args.runs)
        results.append({"group": group, "function": "phe", "param": str(bits), "ns": ns,
                        "runs_ns": runs})
        print(f"bench_phe: {group}/phe/{bits}: {ns / 1e3:,.1f} µs", file=sys.stderr)

    for bits in (2048, 3072):
        pub, priv = load_key(os.path.join(args.keys, f"phe_{bits}_private.json"))
        assert pub.n.bit_length() == bits
        c1, c2 = pub.encrypt(MESSAGE), pub.encrypt(7)
        assert priv.decrypt(c1 + c2) == MESSAGE + 7
        record("paillier-encrypt", bits, lambda: pub.encrypt(MESSAGE))
        record("paillier-decrypt", bits, lambda: priv.decrypt(c1))
        record("paillier-add", bits, lambda: c1 + c2)
    if not args.no_keygen:
        # One keygen takes a large fraction of a second: a single call per run.
        samples = []
        for _ in range(args.runs):
            samples.append(timeit.timeit(lambda: phe.generate_paillier_keypair(n_length=2048),
                                         number=1) * 1e9)
        results.append({"group": "paillier-keygen", "function": "phe", "param": "2048",
                        "ns": statistics.median(samples), "runs_ns": samples})

    out = {
        "python": platform.python_version(),
        "phe": phe.__version__,
        "gmpy2": gmpy2.version() if gmpy2 else None,
        "runs": args.runs,
        "seconds_per_run": args.seconds,
        "results": results,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
