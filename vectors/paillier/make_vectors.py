#!/usr/bin/env python3
"""Writes vectors/paillier/kat.txt: fixed Paillier keys and known-answer ciphertexts.

An independent computation with Python's integers and pow(): no tsubaki code is involved.
Primes come from a SHA-256 counter stream (seeded per key), top two bits and the low bit
set, tested with 64 Miller-Rabin rounds (bases from Python's `random` seeded alike).
Run once: `python3 vectors/paillier/make_vectors.py > vectors/paillier/kat.txt`.
"""
import hashlib
import random


def stream(seed: bytes):
    counter = 0
    while True:
        yield from hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        counter += 1


def take(gen, n):
    return bytes(next(gen) for _ in range(n))


def is_probable_prime(w, rnd, rounds=64):
    if w < 4:
        return w in (2, 3)
    for s in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if w % s == 0:
            return w == s
    d, s = w - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rnd.randrange(2, w - 1)
        x = pow(a, d, w)
        if x in (1, w - 1):
            continue
        for _ in range(s - 1):
            x = x * x % w
            if x == w - 1:
                break
        else:
            return False
    return True


def prime(seed: bytes, bits: int) -> int:
    gen = stream(seed)
    rnd = random.Random(seed)
    while True:
        x = int.from_bytes(take(gen, bits // 8), "big")
        x |= (3 << (bits - 2)) | 1
        if is_probable_prime(x, rnd):
            return x


def h(x, length):
    return x.to_bytes(length, "big").hex()


def enc(n, m, rn):
    nn = n * n
    return (1 + m * n) * rn % nn


def main():
    print("# Paillier known-answer vectors (g = n + 1), made by vectors/paillier/make_vectors.py")
    print("# with Python integers and pow(); see vectors/paillier/README.md.")
    print("# rng = the exact bytes the encryption draws from its RNG, in order.")
    for bits in (2048, 3072):
        p = prime(b"tsubaki paillier test p %d" % bits, bits // 2)
        q = prime(b"tsubaki paillier test q %d" % bits, bits // 2)
        assert p != q
        n = p * q
        assert n.bit_length() == bits
        nn = n * n
        nl, kl = bits // 8, bits // 16
        print()
        print("key = %d" % bits)
        print("p = " + h(p, kl))
        print("q = " + h(q, kl))
        print("n = " + h(n, nl))
        gen = stream(b"tsubaki paillier test cases %d" % bits)
        ms = [0, 1, n - 1, 2**63 - 1, n - 2**63, 12345678901234567890 % n]
        ms += [int.from_bytes(take(gen, nl), "big") % n for _ in range(3)]
        for i, m in enumerate(ms):
            # Public encryption: r is read as n_len bytes big-endian (here r < n, r > 0).
            r = int.from_bytes(take(gen, nl), "big") % n or 1
            print()
            print("mode = public")
            print("m = " + h(m, nl))
            print("rng = " + h(r, nl))
            print("c = " + h(enc(n, m, pow(r, n, nn)), 2 * nl))
            # CRT encryption: 2*kl bytes for a (reduced mod p^2), then 2*kl for b.
            a_raw = take(gen, 2 * kl)
            b_raw = take(gen, 2 * kl)
            a = int.from_bytes(a_raw, "big") % (p * p)
            b = int.from_bytes(b_raw, "big") % (q * q)
            xp, xq = pow(a, p, p * p), pow(b, q, q * q)
            x = (xq + q * q * ((xp - xq) * pow(q * q, -1, p * p) % (p * p))) % nn
            assert x % (p * p) == xp and x % (q * q) == xq
            print()
            print("mode = crt")
            print("m = " + h(m, nl))
            print("rng = " + (a_raw + b_raw).hex())
            print("c = " + h(enc(n, m, x), 2 * nl))
        # Short-exponent mode: x (n_len bytes) for the base h = x^n, then 32 bytes of k.
        xr = int.from_bytes(take(gen, nl), "big") % n or 1
        base = pow(xr, n, nn)
        for m in (0, 7, n - 5):
            k = take(gen, 32)
            print()
            print("mode = short")
            print("base_rng = " + h(xr, nl))
            print("base = " + h(base, 2 * nl))
            print("m = " + h(m, nl))
            print("rng = " + k.hex())
            print("c = " + h(enc(n, m, pow(base, int.from_bytes(k, "big"), nn)), 2 * nl))


if __name__ == "__main__":
    main()
