/* The tsubaki_* ECDSA API (include/tsubaki.h) tested from C, against OpenSSL's libcrypto:
 * - P-256 and P-384: generate, export/import in every format (PKCS#8, SEC 1, SPKI; DER
 *   and PEM; raw scalar; SEC 1 points), sign and sign_prehash in DER and fixed form,
 *   verify and verify_prehash;
 * - tsubaki signs, libcrypto verifies (key handed over as SPKI DER), and libcrypto signs
 *   with the key tsubaki exported as PKCS#8, tsubaki verifies;
 * - bad input through the ABI: NULL pointers and handles, a handle of another type or
 *   not from the library, zero and huge lengths, too-small buffers (the size query and
 *   BUFFER_TOO_SMALL tell the right size), malformed encodings, unknown formats and
 *   curves, each a typed status;
 * - with a directory argument, writes each curve's keys as PEM files there for
 *   `openssl pkey` (run by ffi/tests/c_abi.rs).
 * Every handle is freed: valgrind's leak check must find nothing.
 * Prints "N checks, 0 failures"; exits non-zero on any failure. */
#define _POSIX_C_SOURCE 200809L
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tsubaki.h"

static unsigned long checks, failures;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
    fputc('\n', stderr); } } while (0)
#define ST(call, want, what) do { tsubaki_status st_ = (call); \
    CHECK(st_ == (want), "%s: got %u (%s), want %u", what, (unsigned)st_, \
          tsubaki_error_string(st_), (unsigned)(want)); } while (0)

/* Exports `key` in `fmt` into a fresh malloc'ed buffer of the exact size (size query
 * first, as a C caller would). */
static uint8_t *export_key(const tsubaki_ecdsa_key *key, tsubaki_key_format fmt, size_t *len) {
    *len = 0;
    ST(tsubaki_ecdsa_key_export(key, fmt, NULL, len), TSUBAKI_STATUS_OK, "key size query");
    uint8_t *buf = malloc(*len);
    ST(tsubaki_ecdsa_key_export(key, fmt, buf, len), TSUBAKI_STATUS_OK, "key export");
    return buf;
}

static uint8_t *export_pub(const tsubaki_ecdsa_pubkey *key, tsubaki_pubkey_format fmt, size_t *len) {
    *len = 0;
    ST(tsubaki_ecdsa_pubkey_export(key, fmt, NULL, len), TSUBAKI_STATUS_OK, "pubkey size query");
    uint8_t *buf = malloc(*len);
    ST(tsubaki_ecdsa_pubkey_export(key, fmt, buf, len), TSUBAKI_STATUS_OK, "pubkey export");
    return buf;
}

static const EVP_MD *md_of(tsubaki_curve c) { return c == 256 ? EVP_sha256() : EVP_sha384(); }

static void write_file(const char *dir, const char *name, const uint8_t *p, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "open %s", path);
    if (f) { fwrite(p, 1, n, f); fclose(f); }
}

static void curve_tests(tsubaki_curve curve, const char *dir) {
    const size_t nb = curve == 256 ? 32 : 48;
    const char *name = curve == 256 ? "p256" : "p384";
    tsubaki_ecdsa_key *key = NULL;
    ST(tsubaki_ecdsa_key_new(curve, &key), TSUBAKI_STATUS_OK, "generate");
    tsubaki_curve got = 0;
    ST(tsubaki_ecdsa_key_curve(key, &got), TSUBAKI_STATUS_OK, "curve");
    CHECK(got == curve, "curve %u", got);
    tsubaki_ecdsa_pubkey *pub = NULL;
    ST(tsubaki_ecdsa_key_public(key, &pub), TSUBAKI_STATUS_OK, "public");

    /* Every private format round-trips to the same scalar. */
    size_t raw_len;
    uint8_t *raw = export_key(key, TSUBAKI_KEY_RAW, &raw_len);
    CHECK(raw_len == nb, "raw length %zu", raw_len);
    static const tsubaki_key_format fmts[] = {TSUBAKI_KEY_PKCS8_DER, TSUBAKI_KEY_PKCS8_PEM,
                                              TSUBAKI_KEY_SEC1_DER, TSUBAKI_KEY_SEC1_PEM};
    for (size_t i = 0; i < 4; i++) {
        size_t n, n2;
        uint8_t *enc = export_key(key, fmts[i], &n);
        tsubaki_ecdsa_key *back = NULL;
        ST(tsubaki_ecdsa_key_import(curve, fmts[i], enc, n, &back), TSUBAKI_STATUS_OK, "import");
        uint8_t *raw2 = export_key(back, TSUBAKI_KEY_RAW, &n2);
        CHECK(n2 == nb && memcmp(raw, raw2, nb) == 0, "format %u round trip", fmts[i]);
        /* Every truncation is a typed error, never a crash, and leaves *out NULL. */
        /* (A PEM text without its final newline is still whole.) */
        for (size_t cut = 0; cut + 1 < n; cut += 1 + n / 17) {
            tsubaki_ecdsa_key *bad = (tsubaki_ecdsa_key *)1;
            tsubaki_status st = tsubaki_ecdsa_key_import(curve, fmts[i], enc, cut, &bad);
            CHECK(st == TSUBAKI_STATUS_INVALID_ENCODING && bad == NULL,
                  "format %u cut %zu: %u", fmts[i], cut, (unsigned)st);
        }
        /* The other curve's parser refuses it as another curve. */
        tsubaki_ecdsa_key *other = NULL;
        if (fmts[i] == TSUBAKI_KEY_PKCS8_DER)
            ST(tsubaki_ecdsa_key_import(curve == 256 ? 384 : 256, fmts[i], enc, n, &other),
               TSUBAKI_STATUS_UNSUPPORTED, "other curve");
        if (dir && fmts[i] == TSUBAKI_KEY_PKCS8_PEM) {
            char fname[64]; snprintf(fname, sizeof fname, "%s_pkcs8.pem", name);
            write_file(dir, fname, enc, n);
        }
        if (dir && fmts[i] == TSUBAKI_KEY_SEC1_PEM) {
            char fname[64]; snprintf(fname, sizeof fname, "%s_sec1.pem", name);
            write_file(dir, fname, enc, n);
        }
        memset(enc, 0, n); free(enc); free(raw2);
        tsubaki_ecdsa_key_free(back);
    }
    /* Public formats. */
    size_t spki_len, pem_len, pt_len, cpt_len;
    uint8_t *spki = export_pub(pub, TSUBAKI_PUBKEY_SPKI_DER, &spki_len);
    uint8_t *pem = export_pub(pub, TSUBAKI_PUBKEY_SPKI_PEM, &pem_len);
    uint8_t *pt = export_pub(pub, TSUBAKI_PUBKEY_SEC1, &pt_len);
    uint8_t *cpt = export_pub(pub, TSUBAKI_PUBKEY_SEC1_COMPRESSED, &cpt_len);
    CHECK(pt_len == 2 * nb + 1 && cpt_len == nb + 1, "point lengths %zu %zu", pt_len, cpt_len);
    if (dir) { char f[64]; snprintf(f, sizeof f, "%s_pub.pem", name); write_file(dir, f, pem, pem_len); }
    tsubaki_ecdsa_pubkey *p2 = NULL, *p3 = NULL, *p4 = NULL;
    ST(tsubaki_ecdsa_pubkey_import(curve, TSUBAKI_PUBKEY_SPKI_PEM, pem, pem_len, &p2), TSUBAKI_STATUS_OK, "spki pem");
    ST(tsubaki_ecdsa_pubkey_import(curve, TSUBAKI_PUBKEY_SEC1, cpt, cpt_len, &p3), TSUBAKI_STATUS_OK, "compressed point");
    ST(tsubaki_ecdsa_pubkey_import(curve, TSUBAKI_PUBKEY_SPKI_DER, spki, spki_len, &p4), TSUBAKI_STATUS_OK, "spki der");
    /* Off-curve point, identity. */
    pt[pt_len - 1] ^= 1;
    tsubaki_ecdsa_pubkey *bad = NULL;
    ST(tsubaki_ecdsa_pubkey_import(curve, TSUBAKI_PUBKEY_SEC1, pt, pt_len, &bad), TSUBAKI_STATUS_INVALID_PUBLIC_KEY, "off curve");
    pt[pt_len - 1] ^= 1;
    uint8_t zero = 0;
    ST(tsubaki_ecdsa_pubkey_import(curve, TSUBAKI_PUBKEY_SEC1, &zero, 1, &bad), TSUBAKI_STATUS_INVALID_PUBLIC_KEY, "identity");

    /* Sign and verify, both forms, message and prehash. */
    const uint8_t msg[] = "the statistics round of 2026-12-06";
    uint8_t digest[48];
    size_t dlen = curve == 256 ? 32 : 48;
    if (curve == 256) SHA256(msg, sizeof msg, digest); else SHA384(msg, sizeof msg, digest);
    uint8_t sig[128], sig2[128];
    size_t sl = 0, sl2;
    ST(tsubaki_ecdsa_sign(key, TSUBAKI_SIG_DER, msg, sizeof msg, NULL, &sl), TSUBAKI_STATUS_OK, "sig size query");
    CHECK(sl == (curve == 256 ? 72u : 104u), "max DER length %zu", sl);
    sl = 8;
    ST(tsubaki_ecdsa_sign(key, TSUBAKI_SIG_DER, msg, sizeof msg, sig, &sl), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "sig too small");
    CHECK(sl == (curve == 256 ? 72u : 104u), "too small tells the size: %zu", sl);
    sl = sizeof sig;
    ST(tsubaki_ecdsa_sign(key, TSUBAKI_SIG_DER, msg, sizeof msg, sig, &sl), TSUBAKI_STATUS_OK, "sign der");
    sl2 = sizeof sig2;
    ST(tsubaki_ecdsa_sign_prehash(key, TSUBAKI_SIG_DER, digest, dlen, sig2, &sl2), TSUBAKI_STATUS_OK, "sign prehash");
    CHECK(sl == sl2 && memcmp(sig, sig2, sl) == 0, "sign == sign_prehash(H(m)) (RFC 6979)");
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, msg, sizeof msg, sig, sl), TSUBAKI_STATUS_OK, "verify");
    ST(tsubaki_ecdsa_verify(p2, TSUBAKI_SIG_DER, msg, sizeof msg, sig, sl), TSUBAKI_STATUS_OK, "verify (pem key)");
    ST(tsubaki_ecdsa_verify(p3, TSUBAKI_SIG_DER, msg, sizeof msg, sig, sl), TSUBAKI_STATUS_OK, "verify (compressed key)");
    ST(tsubaki_ecdsa_verify_prehash(p4, TSUBAKI_SIG_DER, digest, dlen, sig, sl), TSUBAKI_STATUS_OK, "verify prehash");
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, msg, sizeof msg - 1, sig, sl), TSUBAKI_STATUS_INVALID_SIGNATURE, "wrong message");
    sl2 = sizeof sig2;
    ST(tsubaki_ecdsa_sign_prehash(key, TSUBAKI_SIG_DER, digest, 15, sig2, &sl2), TSUBAKI_STATUS_INVALID_LENGTH, "15-byte digest");
    CHECK(sl2 == 0, "failure zeroes *out_len");
    size_t fl = sizeof sig2;
    ST(tsubaki_ecdsa_sign(key, TSUBAKI_SIG_FIXED, msg, sizeof msg, sig2, &fl), TSUBAKI_STATUS_OK, "sign fixed");
    CHECK(fl == 2 * nb, "fixed length %zu", fl);
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_FIXED, msg, sizeof msg, sig2, fl), TSUBAKI_STATUS_OK, "verify fixed");
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_FIXED, msg, sizeof msg, sig2, fl - 1), TSUBAKI_STATUS_INVALID_LENGTH, "fixed short");
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, msg, sizeof msg, sig2, fl), TSUBAKI_STATUS_INVALID_ENCODING, "fixed as DER");
    uint8_t der_bad[128]; memcpy(der_bad, sig, sl); der_bad[1] = 0x81;
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, msg, sizeof msg, der_bad, sl), TSUBAKI_STATUS_INVALID_ENCODING, "BER length");
    ST(tsubaki_ecdsa_sign(key, 9, msg, sizeof msg, sig2, &fl), TSUBAKI_STATUS_INVALID_ARGUMENT, "unknown sig format");

    /* libcrypto verifies tsubaki's signature (key via SPKI DER). */
    const unsigned char *q = spki;
    EVP_PKEY *opub = d2i_PUBKEY(NULL, &q, (long)spki_len);
    CHECK(opub != NULL, "d2i_PUBKEY");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    CHECK(EVP_DigestVerifyInit(ctx, NULL, md_of(curve), NULL, opub) == 1 &&
          EVP_DigestVerify(ctx, sig, sl, msg, sizeof msg) == 1, "openssl verifies tsubaki's signature");
    EVP_MD_CTX_free(ctx);
    /* libcrypto signs with the key tsubaki exported (PKCS#8 DER); tsubaki verifies. */
    size_t p8_len;
    uint8_t *p8 = export_key(key, TSUBAKI_KEY_PKCS8_DER, &p8_len);
    q = p8;
    EVP_PKEY *opriv = d2i_AutoPrivateKey(NULL, &q, (long)p8_len);
    CHECK(opriv != NULL, "d2i_AutoPrivateKey");
    unsigned char osig[128]; size_t osl = sizeof osig;
    ctx = EVP_MD_CTX_new();
    CHECK(EVP_DigestSignInit(ctx, NULL, md_of(curve), NULL, opriv) == 1 &&
          EVP_DigestSign(ctx, osig, &osl, msg, sizeof msg) == 1, "openssl signs");
    EVP_MD_CTX_free(ctx);
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, msg, sizeof msg, osig, osl), TSUBAKI_STATUS_OK, "tsubaki verifies openssl's signature");
    osig[osl - 1] ^= 1;
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, msg, sizeof msg, osig, osl), TSUBAKI_STATUS_INVALID_SIGNATURE, "tampered openssl signature");
    /* And openssl's own key, exported by libcrypto, imports into tsubaki (SPKI). */
    unsigned char *ospki = NULL;
    int ospki_len = i2d_PUBKEY(opriv, &ospki);
    tsubaki_ecdsa_pubkey *p5 = NULL;
    ST(tsubaki_ecdsa_pubkey_import(curve, TSUBAKI_PUBKEY_SPKI_DER, ospki, (size_t)ospki_len, &p5), TSUBAKI_STATUS_OK, "openssl SPKI");
    OPENSSL_free(ospki);
    EVP_PKEY_free(opub); EVP_PKEY_free(opriv);
    memset(p8, 0, p8_len); free(p8);
    memset(raw, 0, raw_len); free(raw);
    free(spki); free(pem); free(pt); free(cpt);
    tsubaki_ecdsa_pubkey_free(p2); tsubaki_ecdsa_pubkey_free(p3); tsubaki_ecdsa_pubkey_free(p4);
    tsubaki_ecdsa_pubkey_free(p5);
    tsubaki_ecdsa_pubkey_free(pub);
    tsubaki_ecdsa_key_free(key);
}

static void bad_input(void) {
    tsubaki_ecdsa_key *key = NULL;
    tsubaki_ecdsa_pubkey *pub = NULL;
    uint8_t buf[200];
    size_t n = sizeof buf;
    ST(tsubaki_ecdsa_key_new(521, &key), TSUBAKI_STATUS_UNSUPPORTED, "curve 521");
    CHECK(key == NULL, "no key on failure");
    ST(tsubaki_ecdsa_key_new(256, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL out");
    ST(tsubaki_ecdsa_key_export(NULL, TSUBAKI_KEY_RAW, buf, &n), TSUBAKI_STATUS_NULL_POINTER, "NULL key");
    ST(tsubaki_ecdsa_key_import(256, TSUBAKI_KEY_RAW, NULL, 32, &key), TSUBAKI_STATUS_NULL_POINTER, "NULL input");
    ST(tsubaki_ecdsa_key_import(256, TSUBAKI_KEY_RAW, buf, 0, &key), TSUBAKI_STATUS_INVALID_LENGTH, "zero length");
    ST(tsubaki_ecdsa_key_import(256, TSUBAKI_KEY_PKCS8_DER, buf, SIZE_MAX, &key), TSUBAKI_STATUS_INVALID_LENGTH, "huge length");
    memset(buf, 0, 32);
    ST(tsubaki_ecdsa_key_import(256, TSUBAKI_KEY_RAW, buf, 32, &key), TSUBAKI_STATUS_INVALID_SECRET_KEY, "zero scalar");
    memset(buf, 0xff, 32);
    ST(tsubaki_ecdsa_key_import(256, TSUBAKI_KEY_RAW, buf, 32, &key), TSUBAKI_STATUS_INVALID_SECRET_KEY, "scalar >= n");
    ST(tsubaki_ecdsa_key_import(256, 77, buf, 32, &key), TSUBAKI_STATUS_INVALID_ARGUMENT, "unknown format");
    const char junk[] = "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n";
    ST(tsubaki_ecdsa_key_import(256, TSUBAKI_KEY_PKCS8_PEM, (const uint8_t *)junk, strlen(junk), &key), TSUBAKI_STATUS_INVALID_ENCODING, "bad PEM");
    uint8_t latin1[] = {0xff, 0xfe, 0x41};
    ST(tsubaki_ecdsa_key_import(256, TSUBAKI_KEY_PKCS8_PEM, latin1, 3, &key), TSUBAKI_STATUS_INVALID_ENCODING, "PEM not UTF-8");
    CHECK(key == NULL, "still no key");

    ST(tsubaki_ecdsa_key_new(256, &key), TSUBAKI_STATUS_OK, "generate");
    ST(tsubaki_ecdsa_key_public(key, &pub), TSUBAKI_STATUS_OK, "public");
    /* A handle of another type, or memory that is no handle. */
    n = sizeof buf;
    ST(tsubaki_ecdsa_key_export((const tsubaki_ecdsa_key *)pub, TSUBAKI_KEY_RAW, buf, &n), TSUBAKI_STATUS_INVALID_HANDLE, "pubkey as key");
    CHECK(n == 0, "*out_len 0 on failure");
    uint64_t fake[8] = {0};
    ST(tsubaki_ecdsa_verify((const tsubaki_ecdsa_pubkey *)fake, TSUBAKI_SIG_DER, buf, 1, buf, 8), TSUBAKI_STATUS_INVALID_HANDLE, "fake handle");
    ST(tsubaki_ecdsa_verify((const tsubaki_ecdsa_pubkey *)((char *)fake + 1), TSUBAKI_SIG_DER, buf, 1, buf, 8), TSUBAKI_STATUS_INVALID_HANDLE, "misaligned handle");
    tsubaki_ecdsa_key_free((tsubaki_ecdsa_key *)pub); /* another type: left alone */
    tsubaki_ecdsa_key_free((tsubaki_ecdsa_key *)fake); /* not ours: left alone */
    tsubaki_ecdsa_key_free(NULL);
    tsubaki_ecdsa_pubkey_free(NULL);
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, NULL, 0, buf, 8), TSUBAKI_STATUS_INVALID_ENCODING, "pub still alive; empty message ok, junk sig");
    ST(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, buf, 4, NULL, 8), TSUBAKI_STATUS_NULL_POINTER, "NULL sig");
    ST(tsubaki_ecdsa_sign(key, TSUBAKI_SIG_DER, buf, 4, buf, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL out_len");
    ST(tsubaki_ecdsa_key_curve(key, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL curve");
    n = 3;
    ST(tsubaki_ecdsa_key_export(key, TSUBAKI_KEY_PKCS8_DER, buf, &n), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "export too small");
    size_t need = n;
    n = 0;
    ST(tsubaki_ecdsa_key_export(key, TSUBAKI_KEY_PKCS8_DER, NULL, &n), TSUBAKI_STATUS_OK, "export size query");
    CHECK(n == need && n > 100, "the sizes agree: %zu %zu", n, need);
    tsubaki_ecdsa_pubkey_free(pub);
    tsubaki_ecdsa_key_free(key);
    /* Error strings for the new codes. */
    CHECK(strcmp(tsubaki_error_string(TSUBAKI_STATUS_INVALID_HANDLE), "unknown status code") != 0, "text");
    CHECK(strcmp(tsubaki_error_string(TSUBAKI_STATUS_INVALID_SIGNATURE), "invalid signature") == 0, "text");
}

/* Shamir: both fields, every t-subset of a 3-of-5 split rebuilds, fewer do not. */
static void shamir_tests(void) {
    static const tsubaki_shamir_field fields[] = {TSUBAKI_SHAMIR_GF256, TSUBAKI_SHAMIR_GOLDILOCKS};
    uint8_t secret[40];
    for (size_t i = 0; i < sizeof secret; i++) secret[i] = (uint8_t)(i * 37 + 11);
    secret[0] = 0x7f; /* Goldilocks elements must be below p: keep the top byte small */
    for (size_t i = 8; i < sizeof secret; i += 8) secret[i] = 0x10;
    for (int fi = 0; fi < 2; fi++) {
        tsubaki_shamir_field f = fields[fi];
        size_t n = 0;
        ST(tsubaki_shamir_split(f, secret, sizeof secret, 3, 5, NULL, &n), TSUBAKI_STATUS_OK, "split size query");
        CHECK(n > 5 * sizeof secret && n % 5 == 0, "shares length %zu", n);
        uint8_t *shares = malloc(n);
        size_t small = n - 1;
        ST(tsubaki_shamir_split(f, secret, sizeof secret, 3, 5, shares, &small), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "split too small");
        CHECK(small == n, "size told %zu", small);
        ST(tsubaki_shamir_split(f, secret, sizeof secret, 3, 5, shares, &n), TSUBAKI_STATUS_OK, "split");
        size_t sl = n / 5;
        uint8_t *pick = malloc(3 * sl);
        int subsets = 0;
        for (int a = 0; a < 5; a++) for (int b = a + 1; b < 5; b++) for (int c = b + 1; c < 5; c++) {
            memcpy(pick, shares + a * sl, sl); memcpy(pick + sl, shares + b * sl, sl);
            memcpy(pick + 2 * sl, shares + c * sl, sl);
            uint8_t back[64]; size_t bl = sizeof back;
            ST(tsubaki_shamir_combine(f, pick, sl, 3, back, &bl), TSUBAKI_STATUS_OK, "combine");
            CHECK(bl == sizeof secret && memcmp(back, secret, bl) == 0, "field %u subset %d%d%d", f, a, b, c);
            subsets++;
        }
        CHECK(subsets == 10, "10 subsets");
        uint8_t back[64]; size_t bl = sizeof back;
        ST(tsubaki_shamir_combine(f, shares, sl, 2, back, &bl), TSUBAKI_STATUS_REJECTED, "2 of 3");
        memcpy(pick, shares, sl); memcpy(pick + sl, shares, sl); memcpy(pick + 2 * sl, shares + sl, sl);
        bl = sizeof back;
        ST(tsubaki_shamir_combine(f, pick, sl, 3, back, &bl), TSUBAKI_STATUS_REJECTED, "repeated index");
        bl = sizeof back;
        ST(tsubaki_shamir_combine(fields[1 - fi], shares, sl, 3, back, &bl), TSUBAKI_STATUS_REJECTED, "other field");
        bl = sizeof back;
        ST(tsubaki_shamir_combine(f, shares, sl - 1, 3, back, &bl), TSUBAKI_STATUS_INVALID_ENCODING, "cut shares");
        bl = sizeof back;
        ST(tsubaki_shamir_combine(f, shares, 0, 3, back, &bl), TSUBAKI_STATUS_INVALID_LENGTH, "zero share length");
        ST(tsubaki_shamir_combine(f, shares, SIZE_MAX / 2, 3, back, &bl), TSUBAKI_STATUS_INVALID_LENGTH, "huge");
        ST(tsubaki_shamir_combine(f, NULL, sl, 3, back, &bl), TSUBAKI_STATUS_NULL_POINTER, "NULL shares");
        /* A second split of the same secret is another set: mixing sets is refused. */
        uint8_t *other = malloc(n); size_t on = n;
        ST(tsubaki_shamir_split(f, secret, sizeof secret, 3, 5, other, &on), TSUBAKI_STATUS_OK, "split again");
        memcpy(pick, shares, sl); memcpy(pick + sl, other + sl, sl); memcpy(pick + 2 * sl, shares + 2 * sl, sl);
        bl = sizeof back;
        ST(tsubaki_shamir_combine(f, pick, sl, 3, back, &bl), TSUBAKI_STATUS_REJECTED, "mixed sets");
        ST(tsubaki_shamir_split(f, secret, sizeof secret, 1, 5, shares, &n), TSUBAKI_STATUS_INVALID_ARGUMENT, "threshold 1");
        n = on;
        ST(tsubaki_shamir_split(f, secret, sizeof secret, 6, 5, shares, &n), TSUBAKI_STATUS_INVALID_ARGUMENT, "threshold > count");
        CHECK(n == 0, "*len 0 on failure");
        free(other); free(pick); free(shares);
    }
    uint8_t big[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    size_t n = 0;
    ST(tsubaki_shamir_split(TSUBAKI_SHAMIR_GOLDILOCKS, big, 8, 2, 3, NULL, &n), TSUBAKI_STATUS_INVALID_ARGUMENT, "element >= p");
    ST(tsubaki_shamir_split(TSUBAKI_SHAMIR_GOLDILOCKS, big, 7, 2, 3, NULL, &n), TSUBAKI_STATUS_INVALID_LENGTH, "7 bytes");
    ST(tsubaki_shamir_split(TSUBAKI_SHAMIR_GF256, big, 0, 2, 3, NULL, &n), TSUBAKI_STATUS_INVALID_LENGTH, "empty secret");
    ST(tsubaki_shamir_split(9, big, 8, 2, 3, NULL, &n), TSUBAKI_STATUS_INVALID_ARGUMENT, "unknown field");
}

/* Paillier: the 2048-bit key of vectors/paillier/kat.txt (tests never wait for key
 * generation), plus, unless --quick (the valgrind run), one keygen with its progress. */
static const char KAT_P[] = "e087246c17256b95a9916556df2e2350cd832fbd129abcf04ebdbb610e424ae8047a53ba502c277d94d8ca330b77aa81422a8828ea0ae93d0aa1e41f7e5fea3be1f7b4eef8d6f4db8edf343fa606e67f82d4d36f195d0e4a2454b097aa9d7a360f9c8439cec5021a7b98cfd96e90f6dbce16fa6635028fc36fda2fa1dac9d411";
static const char KAT_Q[] = "f38e4e2f862f1e44638458f57cce68b26bda16291173c9670a50f480f1f05f7606fb989c552fc216632d04cedd336ea0be71a6b4d3a2731d3a66bf537f6e75da73ba83ee89efa813ed636ff0e12beb30a2b5061c27a0e94a3154642ec9369d245644a5ce8ec5a6bfa9ee6d99b6ceb1e2ce67ae31e498f32ad3c8089f0f85706f";

static size_t unhex(const char *h, uint8_t *out) {
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) { unsigned v; sscanf(h + 2 * i, "%2x", &v); out[i] = (uint8_t)v; }
    return n;
}

struct progress { unsigned long candidates, found; };
static void on_progress(void *ctx, uint32_t prime, uint64_t candidates, int found) {
    struct progress *p = ctx;
    (void)prime; (void)candidates;
    if (found) p->found++; else p->candidates++;
}

static uint8_t *encrypt(const tsubaki_paillier_pubkey *pk, int64_t m, size_t *len) {
    *len = 0;
    ST(tsubaki_paillier_encrypt_i64(pk, m, NULL, len), TSUBAKI_STATUS_OK, "encrypt size");
    uint8_t *c = malloc(*len);
    ST(tsubaki_paillier_encrypt_i64(pk, m, c, len), TSUBAKI_STATUS_OK, "encrypt");
    return c;
}

static void paillier_tests(int quick) {
    uint8_t p[256], q[256];
    size_t pl = unhex(KAT_P, p), ql = unhex(KAT_Q, q);
    tsubaki_paillier_seckey *sk = NULL, *sk2 = NULL;
    tsubaki_paillier_pubkey *pk = NULL, *pk2 = NULL;
    ST(tsubaki_paillier_seckey_from_primes(p, pl, q, ql, &sk), TSUBAKI_STATUS_OK, "from primes");
    ST(tsubaki_paillier_seckey_public(sk, &pk), TSUBAKI_STATUS_OK, "public");
    /* Export / import both keys. */
    size_t n = 0;
    ST(tsubaki_paillier_seckey_export(sk, NULL, &n), TSUBAKI_STATUS_OK, "sk size");
    uint8_t *skb = malloc(n);
    ST(tsubaki_paillier_seckey_export(sk, skb, &n), TSUBAKI_STATUS_OK, "sk export");
    ST(tsubaki_paillier_seckey_import(skb, n, &sk2), TSUBAKI_STATUS_OK, "sk import");
    tsubaki_paillier_seckey_free(sk2);
    ST(tsubaki_paillier_seckey_import(skb, n - 1, &sk2), TSUBAKI_STATUS_INVALID_ENCODING, "sk cut");
    CHECK(sk2 == NULL, "no key on failure");
    memset(skb, 0, n); free(skb);
    n = 0;
    ST(tsubaki_paillier_pubkey_export(pk, NULL, &n), TSUBAKI_STATUS_OK, "pk size");
    CHECK(n > 256, "pk length %zu", n);
    uint8_t *pkb = malloc(n);
    ST(tsubaki_paillier_pubkey_export(pk, pkb, &n), TSUBAKI_STATUS_OK, "pk export");
    ST(tsubaki_paillier_pubkey_import(pkb, n, &pk2), TSUBAKI_STATUS_OK, "pk import");
    free(pkb);
    /* Encrypt under the imported key, add, decrypt with the original. */
    static const int64_t a_vals[] = {0, 1, -1, 42, INT64_MAX / 2, -1000000007};
    static const int64_t b_vals[] = {0, 2, 1, -50, INT64_MAX / 2, 7};
    /* --quick (valgrind, ASan): the first and the last pair only; the same calls and
     * paths, a third of the big-integer work (each pair is ~5 s under valgrind). */
    for (size_t i = 0; i < 6; i += quick ? 5 : 1) {
        size_t al, bl, sl = 0;
        uint8_t *ca = encrypt(pk2, a_vals[i], &al), *cb = encrypt(pk, b_vals[i], &bl);
        ST(tsubaki_paillier_add(pk, ca, al, cb, bl, NULL, &sl), TSUBAKI_STATUS_OK, "add size");
        uint8_t *cs = malloc(sl);
        ST(tsubaki_paillier_add(pk, ca, al, cb, bl, cs, &sl), TSUBAKI_STATUS_OK, "add");
        int64_t m = 99;
        ST(tsubaki_paillier_decrypt_i64(sk, cs, sl, &m), TSUBAKI_STATUS_OK, "decrypt");
        CHECK(m == a_vals[i] + b_vals[i], "sum %lld", (long long)m);
        ST(tsubaki_paillier_decrypt_i64(sk, ca, al, &m), TSUBAKI_STATUS_OK, "decrypt a");
        CHECK(m == a_vals[i], "a %lld", (long long)m);
        if (i == 0) {
            ca[al / 2] ^= 1;
            ST(tsubaki_paillier_decrypt_i64(sk, ca, al - 1, &m), TSUBAKI_STATUS_INVALID_ENCODING, "cut ciphertext");
            size_t small = sl - 1;
            ST(tsubaki_paillier_add(pk, cs, sl, cb, bl, cs + 0, &small), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "add too small");
            CHECK(small == sl, "size told");
            ST(tsubaki_paillier_decrypt_i64(sk, NULL, 5, &m), TSUBAKI_STATUS_NULL_POINTER, "NULL c");
            ST(tsubaki_paillier_decrypt_i64(sk, cs, sl, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL m");
            ST(tsubaki_paillier_decrypt_i64((const tsubaki_paillier_seckey *)pk, cs, sl, &m), TSUBAKI_STATUS_INVALID_HANDLE, "pk as sk");
        }
        free(ca); free(cb); free(cs);
    }
    ST(tsubaki_paillier_seckey_from_primes(p, pl, p, pl, &sk2), TSUBAKI_STATUS_INVALID_SECRET_KEY, "p == q");
    ST(tsubaki_paillier_keygen(1000, 0, NULL, NULL, &sk2), TSUBAKI_STATUS_INVALID_ARGUMENT, "1000 bits");
    ST(tsubaki_paillier_keygen(2048, 0, NULL, NULL, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL out");
    if (!quick) {
        struct progress pr = {0, 0};
        ST(tsubaki_paillier_keygen(2048, 0, on_progress, &pr, &sk2), TSUBAKI_STATUS_OK, "keygen");
        CHECK(pr.found >= 2 && pr.candidates >= 2, "progress: %lu candidates, %lu found", pr.candidates, pr.found);
        size_t cl; int64_t m = 0;
        tsubaki_paillier_pubkey *pk3 = NULL;
        ST(tsubaki_paillier_seckey_public(sk2, &pk3), TSUBAKI_STATUS_OK, "public 3");
        uint8_t *c = encrypt(pk3, -5, &cl);
        ST(tsubaki_paillier_decrypt_i64(sk2, c, cl, &m), TSUBAKI_STATUS_OK, "decrypt 3");
        CHECK(m == -5, "m %lld", (long long)m);
        int64_t m2 = 0;
        tsubaki_status st = tsubaki_paillier_decrypt_i64(sk, c, cl, &m2);
        CHECK(st != TSUBAKI_STATUS_OK && m2 == 0, "another key's ciphertext: %u", (unsigned)st);
        free(c);
        tsubaki_paillier_pubkey_free(pk3);
        tsubaki_paillier_seckey_free(sk2);
    }
    tsubaki_paillier_pubkey_free(pk); tsubaki_paillier_pubkey_free(pk2);
    tsubaki_paillier_seckey_free(sk);
}

int main(int argc, char **argv) {
    const char *dir = NULL;
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) quick = 1; else dir = argv[i];
    }
    curve_tests(256, dir);
    curve_tests(384, dir);
    bad_input();
    shamir_tests();
    paillier_tests(quick);
    printf("%lu checks, %lu failures\n", checks, failures);
    return failures != 0;
}
