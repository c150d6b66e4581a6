#!/usr/bin/env python3
"""Times the Python `damgard-jurik` package (threshold Damgård–Jurik on gmpy2) on the same
keys as `benches/paillier_threshold.rs`, for BENCHMARKS.md.

Installs `damgard-jurik==0.0.3` (and gmpy2, its dependency) with pip into a virtual
environment under target/tmp/dj-venv, then re-runs itself there. The keys are dealt here
from the fixed safe primes of vectors/paillier/threshold_primes.txt (the package's own
keygen would search for safe primes): its PublicKey(n, s=1, m, threshold, delta) and
PrivateKeyShare(public_key, i, s_i) with s_i = f(i) mod n*m as in the issue.

Rows (median of several runs, milliseconds):
- share:   PrivateKeyShare.decrypt(c) = c^(2*delta*s_i) mod n^2 (gmpy2 powmod, variable-time;
           the package makes no proof);
- combine: PrivateKeyRing(t shares).decrypt(c): the t shares' c^(2*delta*s_i) and the
           combination (it verifies nothing); `combine-only` subtracts t x share.
The package has no share verification. Note that its PublicKey holds m = p'q', which
reveals the factorisation of n to anyone holding the public key.

    python3 tools/bench_threshold_py.py
"""

import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "target", "tmp", "dj-venv")


def ensure_venv():
    python = os.path.join(VENV, "bin", "python")
    if sys.executable != python:
        if not os.path.exists(python):
            subprocess.check_call([sys.executable, "-m", "venv", VENV])
            subprocess.check_call([python, "-m", "pip", "install", "-q",
                                   "--disable-pip-version-check", "damgard-jurik==0.0.3"])
        os.execv(python, [python] + sys.argv)


def primes(name):
    path = os.path.join(ROOT, "vectors", "paillier", "threshold_primes.txt")
    key, out = None, {}
    for line in open(path):
        line = line.strip()
        if line.startswith("key = "):
            key = line[6:]
        elif line.startswith(("p = ", "q = ")) and key == name:
            out[line[0]] = int(line[4:], 16)
    return out["p"], out["q"]


def median_ms(f, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    times.sort()
    return 1000 * times[len(times) // 2]


def main():
    ensure_venv()
    import math
    import secrets

    from damgard_jurik.crypto import PrivateKeyRing, PrivateKeyShare, PublicKey

    print(f"# {os.uname().nodename}: load {os.getloadavg()}")
    for key, bits in [("2048-a", 2048), ("3072-a", 3072)]:
        p, q = primes(key)
        n = p * q
        m = (p - 1) // 2 * ((q - 1) // 2)
        nm = n * m
        d = m * pow(m, -1, n)
        for t, parties in [(3, 5), (5, 9)]:
            delta = math.factorial(parties)
            coeffs = [d] + [secrets.randbelow(nm) for _ in range(t - 1)]
            pk = PublicKey(n, 1, m, t, delta)
            shares = [PrivateKeyShare(pk, i, sum(a * i**j for j, a in enumerate(coeffs)) % nm)
                      for i in range(1, parties + 1)]
            c = pk.encrypt(0x01234567)
            ring = PrivateKeyRing(shares[:t])
            assert ring.decrypt(c) == 0x01234567
            runs = 5
            share = median_ms(lambda: shares[0].decrypt(c), runs)
            combine = median_ms(lambda: ring.decrypt(c), runs)
            print(f"threshold-{bits}-t{t}/share/damgard-jurik: {share:.1f} ms")
            print(f"threshold-{bits}-t{t}/combine/damgard-jurik: {combine:.1f} ms "
                  f"(combine-only {combine - t * share:.1f} ms)")
    print(f"# load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
