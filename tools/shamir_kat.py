#!/usr/bin/env python3
"""Writes vectors/shamir/kat.txt: Shamir known-answer tests with fixed coefficients.

Independent of the Rust code: plain Python integers, GF(2^8) by bitwise multiplication,
P-256 points in affine coordinates with Python's pow() for inverses. Run once:

    python3 tools/shamir_kat.py > vectors/shamir/kat.txt

Each block gives the exact bytes a deterministic RNG hands to the split (`rng`): the
16-byte set identifier, then the coefficients a_1 .. a_{t-1} (GF(2^8): coefficient 1 for
every byte of the secret, then coefficient 2, ...; prime fields: a_1 .. a_{t-1} of value 0
as big-endian elements, then those of value 1, ...). `shareN` is the full versioned
encoding of share N (Share::to_bytes); Feldman blocks add `commitments`
(Commitments::to_bytes).
"""
import hashlib

GOLDILOCKS = 2**64 - 2**32 + 1
P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff
P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b
P256_G = (0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296,
          0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5)


def stream(label, n):
    """Deterministic pseudo-random bytes (SHA-256 in counter mode)."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}/{i}".encode()).digest()
        i += 1
    return out[:n]


def gf_mul(a, b):
    p = 0
    for i in range(8):
        if (b >> i) & 1:
            p ^= a << i
    for i in range(14, 7, -1):  # reduce by x^8 + x^4 + x^3 + x + 1 (0x11b)
        if (p >> i) & 1:
            p ^= 0x11b << (i - 8)
    return p


def gf_eval(coeffs, x):
    y = 0
    for c in reversed(coeffs):
        y = gf_mul(y, x) ^ c
    return y


def encode(field, set_id, t, x, payload):
    return bytes([1, field]) + set_id + bytes([t, x]) + len(payload).to_bytes(4, "big") + payload


def ec_add(p, q):
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P256_P == 0:
        return None
    if p == q:
        lam = (3 * p[0] * p[0] - 3) * pow(2 * p[1], -1, P256_P) % P256_P
    else:
        lam = (q[1] - p[1]) * pow(q[0] - p[0], -1, P256_P) % P256_P
    x = (lam * lam - p[0] - q[0]) % P256_P
    return (x, (lam * (p[0] - x) - p[1]) % P256_P)


def ec_mul(k, p):
    acc = None
    for bit in bin(k)[2:] if k else "":
        acc = ec_add(acc, acc)
        if bit == "1":
            acc = ec_add(acc, p)
    return acc


def point_bytes(p):
    if p is None:
        return bytes(65)
    return b"\x04" + p[0].to_bytes(32, "big") + p[1].to_bytes(32, "big")


def gf256_block(name, secret, t, n):
    set_id = stream(name + "/set", 16)
    coeffs = stream(name + "/coeffs", (t - 1) * len(secret))
    if name.endswith("zero"):
        coeffs = bytes(len(coeffs))  # all-zero coefficients are allowed
    print(f"name = {name}\nfield = gf256\nthreshold = {t}\ncount = {n}")
    print(f"secret = {secret.hex()}\nrng = {(set_id + coeffs).hex()}")
    L = len(secret)
    for x in range(1, n + 1):
        payload = bytes(
            gf_eval([secret[b]] + [coeffs[j * L + b] for j in range(t - 1)], x) for b in range(L))
        print(f"share{x} = {encode(1, set_id, t, x, payload).hex()}")
    print()


def prime_block(name, field, modulus, width, values, t, n, feldman=False):
    set_id = stream(name + "/set", 16)
    rng = set_id
    polys = []
    for k, v in enumerate(values):
        raw = stream(f"{name}/coeffs/{k}", (t - 1) * width)
        cs = [int.from_bytes(raw[j * width:(j + 1) * width], "big") for j in range(t - 1)]
        assert all(c < modulus for c in cs)  # no rejection in these vectors
        rng += raw
        polys.append([v] + cs)
    print(f"name = {name}\nfield = {'goldilocks' if field == 2 else 'p256'}")
    print(f"threshold = {t}\ncount = {n}")
    print("secret = " + "".join(v.to_bytes(width, "big").hex() for v in values))
    print(f"rng = {rng.hex()}")
    for x in range(1, n + 1):
        payload = b"".join(
            (sum(c * pow(x, j, modulus) for j, c in enumerate(p)) % modulus).to_bytes(width, "big")
            for p in polys)
        print(f"share{x} = {encode(field, set_id, t, x, payload).hex()}")
    if feldman:
        com = bytes([1, 3]) + set_id + bytes([t])
        for c in polys[0]:
            com += point_bytes(ec_mul(c, P256_G))
        print(f"commitments = {com.hex()}")
    print()


print("# Shamir known answers with fixed coefficients; written by tools/shamir_kat.py")
print("# (see vectors/shamir/README.md). Do not edit by hand.\n")
gf256_block("gf256-3of5", stream("secret32", 32), 3, 5)
gf256_block("gf256-2of3-odd-length", b"tsubaki", 2, 3)
gf256_block("gf256-4of7-zero", stream("secret13", 13), 4, 7)
gf256_block("gf256-2of255", bytes([0x5a, 0x00, 0xff]), 2, 255)
prime_block("goldilocks-3of5", 2, GOLDILOCKS, 8, [0, 1, 2**64 - 2**32, 123456789], 3, 5)
prime_block("goldilocks-2of2", 2, GOLDILOCKS, 8, [42], 2, 2)
prime_block("p256-3of4-feldman", 3, P256_N, 32, [P256_N - 1], 3, 4, feldman=True)
prime_block("p256-2of3-feldman-zero-secret", 3, P256_N, 32, [0], 2, 3, feldman=True)
