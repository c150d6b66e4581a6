#!/usr/bin/env python3
"""Known answers for tsubaki's threshold Paillier (issue 12), computed independently.

Written from the issue's equations with Python integers, pow() and hashlib only: no
tsubaki code. Damgård–Jurik (PKC 2001) with s = 1 and Shoup's technique (EUROCRYPT 2000):

  dealer   p = 2p'+1, q = 2q'+1 safe primes, N = pq, m = p'q', d = m * (m^-1 mod N)
           (d = 0 mod m, d = 1 mod N), f(X) = d + sum a_j X^j (j = 1..t-1), a_j in [0, N*m),
           s_i = f(i) mod N*m, Delta = n!, v = r^2 mod N^2, v_i = v^(Delta*s_i) mod N^2
  share    c_i = c^(2*Delta*s_i) mod N^2
  proof    r of 8*ceil((bits(N^2) + bits(Delta) + 384)/64) bytes, a = c^(4r), b = v^r,
           e = SHA-256(field(tag) | field(N) | field(v) | field(v_i) | field(i) | field(c)
                       | field(c_i) | field(a) | field(b)), field(x) = u32be(len x) | x,
           z = r + e*Delta*s_i
  combine  lambda_i = Delta * prod_{j != i} j/(j - i), c' = prod c_i^(2 lambda_i),
           M = L(c') * (4 Delta^2)^-1 mod N with L(x) = (x - 1)/N

The dealer's randomness is given as the bytes tsubaki's `threshold::deal` draws: for each
a_j, 2*n_len + 16 bytes read big-endian and reduced mod N*m; then 2*n_len + 16 bytes reduced
mod N^2, the root r of v. The bytes come from a SHA-256 counter stream with a fixed seed, so
the file regenerates byte for byte:

    python3 tools/threshold_kat.py > vectors/paillier/threshold_kat.txt
"""

import hashlib
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = b"tsubaki/paillier/threshold/v1/share-proof"


def primes(name):
    path = os.path.join(ROOT, "vectors", "paillier", "threshold_primes.txt")
    key, out = None, {}
    for line in open(path):
        line = line.strip()
        if line.startswith("key = "):
            key = line[6:]
        elif line.startswith("p = ") and key == name:
            out["p"] = int(line[4:], 16)
        elif line.startswith("q = ") and key == name:
            out["q"] = int(line[4:], 16)
    return out["p"], out["q"]


class Stream:
    """A SHA-256 counter stream: SHA-256(seed | u32be(counter)) blocks."""

    def __init__(self, seed):
        self.seed, self.counter, self.buf = seed, 0, b""

    def take(self, n):
        while len(self.buf) < n:
            self.buf += hashlib.sha256(self.seed + self.counter.to_bytes(4, "big")).digest()
            self.counter += 1
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


def field(x):
    return len(x).to_bytes(4, "big") + x


def be(x, length):
    return x.to_bytes(length, "big")


def case(name, key, t, n, seed, plaintext):
    p, q = primes(key)
    pp, qq = (p - 1) // 2, (q - 1) // 2
    N = p * q
    n_len = N.bit_length() // 8
    NN = N * N
    m = pp * qq
    nm = N * m
    d = m * pow(m, -1, N)
    assert d % m == 0 and d % N == 1 and d < nm
    stream = Stream(seed.encode())
    deal_rng = b""
    wide = 2 * n_len + 16
    coeffs = [d]
    for _ in range(1, t):
        x = stream.take(wide)
        deal_rng += x
        coeffs.append(int.from_bytes(x, "big") % nm)
    x = stream.take(wide)
    deal_rng += x
    root = int.from_bytes(x, "big") % NN
    v = root * root % NN
    assert math.gcd(v, N) == 1
    delta = math.factorial(n)

    def f(i):
        return sum(a * i**j for j, a in enumerate(coeffs)) % nm

    s = {i: f(i) for i in range(1, n + 1)}
    vk = {i: pow(v, delta * s[i], NN) for i in range(1, n + 1)}
    # The ciphertext: (1 + M*N) * r^N mod N^2.
    r_enc = int.from_bytes(stream.take(n_len), "big") % N
    c = (1 + plaintext * N) * pow(r_enc, N, NN) % NN
    r_bits = 2 * N.bit_length() + delta.bit_length() + 256 + 128
    r_limbs = (r_bits + 63) // 64
    out = [
        f"case = {name}",
        f"t = {t}",
        f"n = {n}",
        f"p = {be(p, n_len // 2).hex()}",
        f"q = {be(q, n_len // 2).hex()}",
        f"deal_rng = {deal_rng.hex()}",
        f"v = {be(v, 2 * n_len).hex()}",
        f"c = {be(c, 2 * n_len).hex()}",
        f"m = {be(plaintext, n_len).hex()}",
    ]
    shares = {}
    for i in range(1, n + 1):
        r_bytes = stream.take(8 * r_limbs)
        r = int.from_bytes(r_bytes, "big")
        ci = pow(c, 2 * delta * s[i], NN)
        a = pow(c, 4 * r, NN)
        b = pow(v, r, NN)
        h = hashlib.sha256()
        for x in [TAG, be(N, n_len), be(v, 2 * n_len), be(vk[i], 2 * n_len), bytes([i]),
                  be(c, 2 * n_len), be(ci, 2 * n_len), be(a, 2 * n_len), be(b, 2 * n_len)]:
            h.update(field(x))
        e = int.from_bytes(h.digest(), "big")
        z = r + e * delta * s[i]
        # The verifier's equations hold.
        assert pow(c, 4 * z, NN) == a * pow(ci, 2 * e, NN) % NN
        assert pow(v, z, NN) == b * pow(vk[i], e, NN) % NN
        shares[i] = ci
        out += [
            f"s{i} = {be(s[i], 2 * n_len).hex()}",
            f"v{i} = {be(vk[i], 2 * n_len).hex()}",
            f"r{i} = {r_bytes.hex()}",
            f"c{i} = {be(ci, 2 * n_len).hex()}",
            f"e{i} = {be(e, 32).hex()}",
            f"z{i} = {be(z, 8 * (r_limbs + 1)).hex()}",
        ]
    # Combine the last t shares.
    subset = list(range(n - t + 1, n + 1))
    cp = 1
    for i in subset:
        num, den = delta, 1
        for j in subset:
            if j != i:
                num *= j
                den *= j - i
        assert num % den == 0
        lam = num // den
        cp = cp * pow(shares[i], 2 * lam, NN) % NN
    assert (cp - 1) % N == 0
    got = (cp - 1) // N * pow(4 * delta * delta, -1, N) % N
    assert got == plaintext, "combination disagrees"
    return out


def main():
    print("# Threshold Paillier known answers (issue 12), made by tools/threshold_kat.py")
    print("# (Python integers, pow, hashlib; no tsubaki code). Primes: key 2048-a of")
    print("# threshold_primes.txt. Fields: deal_rng = the bytes threshold::deal draws")
    print("# (coefficients a_1..a_{t-1}, then the root of v); s_i, v_i the key shares and")
    print("# verification keys; r_i the bytes decrypt_share draws for party i's proof; c_i, e_i,")
    print("# z_i its decryption share and proof; m the plaintext of c, recovered from the last t.")
    print()
    p, q = primes("2048-a")
    n_big = p * q
    cases = [
        ("2048-a/2-of-3", 2, 3, "tsubaki threshold kat 1", 42),
        ("2048-a/3-of-5", 3, 5, "tsubaki threshold kat 2", n_big - 1),
        ("2048-a/4-of-4", 4, 4, "tsubaki threshold kat 3",
         int.from_bytes(hashlib.sha256(b"plaintext").digest() * 7, "big") % n_big),
    ]
    for name, t, n, seed, plaintext in cases:
        print("\n".join(case(name, "2048-a", t, n, seed, plaintext)))
        print()


if __name__ == "__main__":
    sys.exit(main())
