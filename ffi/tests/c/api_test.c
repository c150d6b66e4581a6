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

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : NULL;
    curve_tests(256, dir);
    curve_tests(384, dir);
    bad_input();
    printf("%lu checks, %lu failures\n", checks, failures);
    return failures != 0;
}
