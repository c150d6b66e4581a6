#!/usr/bin/env python3
"""The python-paillier (`phe`) side of tsubaki's interop test (`tests/paillier_phe.rs`).

Usage:
    phe_interop.py make-key OUT.json [BITS]
        Writes the fixed 2048-bit (or BITS-bit) test key of `vectors/paillier/` as pheutil writes keys
        (`phe.command_line.generate_keypair`'s JWK dicts), from primes derived
        deterministically from a label (SHA-256 counter mode, top two bits set, next prime
        with phe's own primality test), so that anyone can regenerate the file.

    phe_interop.py check IN.json OUT.json
        IN.json is written by the Rust test:
          {"private_jwk": <tsubaki's PhePrivateJwk of the key>,
           "vector_jwk": <the key file the test started from>,
           "ints": ["<decimal>"...], "int_ciphertexts": [{"v","e"}...],
           "fixed_frac_bits": f, "fixed": [...], "fixed_ciphertexts": [...]}
        This script loads tsubaki's key with phe's own CLI loaders (load_public_key,
        PaillierPrivateKey(pub, p, q)), checks it is the vector key, decrypts tsubaki's
        ciphertexts and compares them with the plaintexts, adds tsubaki's ciphertexts
        homomorphically, encrypts its own integers and fixed-point values, adds those, and
        writes OUT.json:
          {"ints": ["<decimal>"...], "int_ciphertexts": [...], "int_sum": {"v","e"},
           "sum_of_ours": {"v","e"}, "fixed": [...], "fixed_ciphertexts": [...],
           "fixed_sum": {"v","e"}, "fixed_sum_of_ours": {"v","e"}}
        Any disagreement exits with status 1 and a message.

Fixed point: tsubaki's scale is 2^f with f a multiple of 4, which is phe's exponent -f/4.
This script builds `EncodedNumber(pub, round(x * 16**k) % n, -k)` itself rather than
letting phe choose a per-value exponent.
"""

import hashlib
import json
import random
import sys

import phe
from phe import EncodedNumber, EncryptedNumber, PaillierPrivateKey
from phe.command_line import load_public_key
from phe.util import base64_to_int, int_to_base64, is_prime

LABEL = b"tsubaki paillier interop test key"


def derive_prime(label, bits):
    out, counter = b"", 0
    while len(out) * 8 < bits:
        out += hashlib.sha256(label + counter.to_bytes(4, "big")).digest()
        counter += 1
    x = int.from_bytes(out, "big") >> (len(out) * 8 - bits)
    x |= (3 << (bits - 2)) | 1
    while not is_prime(x):
        x += 2
    assert x.bit_length() == bits
    return x


def make_key(path, bits=2048):
    label = LABEL + b" %d" % bits
    p = derive_prime(label + b" p", bits // 2)
    q = derive_prime(label + b" q", bits // 2)
    pub = phe.PaillierPublicKey(p * q)
    assert pub.n.bit_length() == bits
    kid = f"tsubaki {bits}-bit test key (tools/phe_interop.py make-key)"
    # The same dicts as phe.command_line.generate_keypair.
    jwk_public = {
        "kty": "DAJ",
        "alg": "PAI-GN1",
        "key_ops": ["encrypt"],
        "n": int_to_base64(pub.n),
        "kid": kid,
    }
    jwk_private = {
        "kty": "DAJ",
        "key_ops": ["decrypt"],
        "p": int_to_base64(p),
        "q": int_to_base64(q),
        "pub": jwk_public,
        "kid": kid,
    }
    with open(path, "w") as f:
        json.dump(jwk_private, f, indent=1)
        f.write("\n")


def load_private(jwk):
    """What `pheutil decrypt` does with a private key file."""
    assert jwk["kty"] == "DAJ" and "decrypt" in jwk["key_ops"], "not a phe private key"
    pub = load_public_key(jwk["pub"])
    return pub, PaillierPrivateKey(pub, base64_to_int(jwk["p"]), base64_to_int(jwk["q"]))


def ser(enc):
    return {"v": str(enc.ciphertext()), "e": enc.exponent}


def fail(msg):
    print(f"phe_interop: {msg}", file=sys.stderr)
    sys.exit(1)


def check(inp, outp):
    with open(inp) as f:
        data = json.load(f)
    pub, priv = load_private(data["private_jwk"])
    vpub, _ = load_private(data["vector_jwk"])
    if pub.n != vpub.n:
        fail("tsubaki's JWK is not the vector key")

    # tsubaki -> phe: integers.
    ours = [EncryptedNumber(pub, int(c["v"]), exponent=c["e"]) for c in data["int_ciphertexts"]]
    for i, (enc, want) in enumerate(zip(ours, map(int, data["ints"]))):
        got = priv.decrypt(enc)
        if got != want:
            fail(f"tsubaki ciphertext {i}: phe decrypts {got}, expected {want}")
    sum_of_ours = sum(ours[1:], ours[0])

    # tsubaki -> phe: fixed point at exponent -f/4.
    f = data["fixed_frac_bits"]
    assert f % 4 == 0
    k = f // 4
    ours_fx = [EncryptedNumber(pub, int(c["v"]), exponent=c["e"]) for c in data["fixed_ciphertexts"]]
    for i, (enc, want) in enumerate(zip(ours_fx, data["fixed"])):
        if enc.exponent != -k:
            fail(f"tsubaki fixed ciphertext {i} has exponent {enc.exponent}, expected {-k}")
        got = priv.decrypt(enc)
        if abs(got - want) > 2.0 ** -f:
            fail(f"tsubaki fixed ciphertext {i}: phe decrypts {got}, expected {want}")
    fixed_sum_of_ours = sum(ours_fx[1:], ours_fx[0])

    # phe -> tsubaki.
    rng = random.Random(20261122)
    ints = [rng.randrange(-(2**62), 2**62) for _ in range(6)] + [0, -1, 2**100, -(2**100)]
    theirs = [pub.encrypt(x) for x in ints]
    if any(c.exponent != 0 for c in theirs):
        fail("phe chose a non-zero exponent for an integer")
    fixed = [rng.uniform(-1e6, 1e6) for _ in range(6)] + [0.5, -0.25]
    theirs_fx = [pub.encrypt(EncodedNumber(pub, round(x * 16**k) % pub.n, -k)) for x in fixed]

    out = {
        "ints": [str(x) for x in ints],
        "int_ciphertexts": [ser(c) for c in theirs],
        "int_sum": ser(sum(theirs[1:], theirs[0])),
        "sum_of_ours": ser(sum_of_ours),
        "fixed": fixed,
        "fixed_ciphertexts": [ser(c) for c in theirs_fx],
        "fixed_sum": ser(sum(theirs_fx[1:], theirs_fx[0])),
        "fixed_sum_of_ours": ser(fixed_sum_of_ours),
    }
    with open(outp, "w") as f_out:
        json.dump(out, f_out)


def main():
    if len(sys.argv) in (3, 4) and sys.argv[1] == "make-key":
        make_key(sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 2048)
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
