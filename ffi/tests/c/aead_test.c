/* The tsubaki_* AEAD/MAC/key-wrap C API (include/tsubaki.h) tested from C:
 * - against libgcrypt on random keys, nonces, AAD and lengths: Camellia-GCM, -CCM and
 *   CMAC must give the same bytes (and each side opens the other's output); key wrap
 *   round-trips and matches libgcrypt's AESWRAP mode run over Camellia;
 * - the conventions: size queries, BUFFER_TOO_SMALL, NULL checks, in-place operation,
 *   tampering (output wiped, *out_len 0), bad lengths, tsubaki_error_string.
 * Prints "N checks, 0 failures" and exits non-zero on any failure.
 * Run by ffi/tests/c_abi.rs: cc aead_test.c -I../include libtsubaki.a -lgcrypt. */
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tsubaki.h"

static unsigned long checks, failures;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
    fputc('\n', stderr); } } while (0)

static uint64_t rng_state = 0x7473756261;
static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static void fill(uint8_t *p, size_t n) { for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd(); }
static int all_zero(const uint8_t *p, size_t n) { for (size_t i = 0; i < n; i++) if (p[i]) return 0; return 1; }

static int gcry_algo(size_t klen) {
    return klen == 16 ? GCRY_CIPHER_CAMELLIA128 : klen == 24 ? GCRY_CIPHER_CAMELLIA192 : GCRY_CIPHER_CAMELLIA256;
}

/* libgcrypt's GCM or CCM: ciphertext || tag into out. */
static void gcry_aead(int mode, const uint8_t *key, size_t klen, const uint8_t *nonce, size_t nlen,
                      const uint8_t *aad, size_t alen, const uint8_t *pt, size_t plen, size_t tlen, uint8_t *out) {
    gcry_cipher_hd_t h;
    if (gcry_cipher_open(&h, gcry_algo(klen), mode, 0) || gcry_cipher_setkey(h, key, klen) ||
        gcry_cipher_setiv(h, nonce, nlen)) { fprintf(stderr, "gcrypt setup\n"); exit(3); }
    if (mode == GCRY_CIPHER_MODE_CCM) {
        uint64_t params[3] = { plen, alen, tlen };
        if (gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, params, sizeof params)) { fprintf(stderr, "ccm lengths\n"); exit(3); }
    }
    if (gcry_cipher_authenticate(h, aad, alen) || gcry_cipher_final(h) ||
        gcry_cipher_encrypt(h, out, plen, pt, plen) || gcry_cipher_gettag(h, out + plen, tlen)) {
        fprintf(stderr, "gcrypt encrypt\n"); exit(3);
    }
    gcry_cipher_close(h);
}

static void gcm_and_ccm(void) {
    static const size_t lens[] = {0, 1, 15, 16, 17, 255, 1023, 1024, 1025, 4096, 65537};
    static uint8_t pt[70000], ours[70100], theirs[70100], back[70100];
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        for (size_t k = 16; k <= 32; k += 8) {
            size_t plen = lens[li], alen = rnd() % 50, nlen = (rnd() % 4 == 0) ? 1 + rnd() % 30 : 12;
            uint8_t key[32], nonce[32], aad[64];
            fill(key, k); fill(nonce, nlen); fill(aad, alen); fill(pt, plen);
            size_t n = sizeof ours;
            tsubaki_status s = tsubaki_camellia_gcm_seal(key, k, nonce, nlen, aad, alen, pt, plen, ours, &n);
            CHECK(s == TSUBAKI_STATUS_OK && n == plen + 16, "gcm seal %zu: status %u n %zu", plen, (unsigned)s, n);
            gcry_aead(GCRY_CIPHER_MODE_GCM, key, k, nonce, nlen, aad, alen, pt, plen, 16, theirs);
            CHECK(memcmp(ours, theirs, plen + 16) == 0, "gcm %zu-bit key, %zu bytes, nonce %zu: differs from libgcrypt", k * 8, plen, nlen);
            size_t m = sizeof back;
            s = tsubaki_camellia_gcm_open(key, k, nonce, nlen, aad, alen, theirs, plen + 16, back, &m);
            CHECK(s == TSUBAKI_STATUS_OK && m == plen && memcmp(back, pt, plen) == 0, "gcm open of libgcrypt's output");
            /* CCM: nonce 7..13, tag 4..16 even; messages within the length field. */
            size_t cn = 7 + rnd() % 7, ct = 4 + 2 * (rnd() % 7);
            if (cn == 13 && plen > 65535) cn = 12;
            fill(nonce, cn);
            n = sizeof ours;
            s = tsubaki_camellia_ccm_seal(key, k, nonce, cn, ct, aad, alen, pt, plen, ours, &n);
            CHECK(s == TSUBAKI_STATUS_OK && n == plen + ct, "ccm seal: status %u", (unsigned)s);
            gcry_aead(GCRY_CIPHER_MODE_CCM, key, k, nonce, cn, aad, alen, pt, plen, ct, theirs);
            CHECK(memcmp(ours, theirs, plen + ct) == 0, "ccm %zu-bit key, %zu bytes, nonce %zu, tag %zu: differs from libgcrypt", k * 8, plen, cn, ct);
            m = sizeof back;
            s = tsubaki_camellia_ccm_open(key, k, nonce, cn, ct, aad, alen, theirs, plen + ct, back, &m);
            CHECK(s == TSUBAKI_STATUS_OK && m == plen && memcmp(back, pt, plen) == 0, "ccm open of libgcrypt's output");
        }
    }
}

static void cmac_and_wrap(void) {
    for (int i = 0; i < 60; i++) {
        size_t k = 16 + 8 * (i % 3), len = rnd() % 300;
        uint8_t key[32], msg[300], ours[16], theirs[16];
        fill(key, k); fill(msg, len);
        size_t ol = sizeof ours;
        CHECK(tsubaki_camellia_cmac(key, k, msg, len, ours, &ol) == TSUBAKI_STATUS_OK && ol == 16, "cmac");
        gcry_mac_hd_t h;
        size_t tl = 16;
        if (gcry_mac_open(&h, GCRY_MAC_CMAC_CAMELLIA, 0, NULL) || gcry_mac_setkey(h, key, k) || gcry_mac_write(h, msg, len) ||
            gcry_mac_read(h, theirs, &tl)) { fprintf(stderr, "gcry_mac\n"); exit(3); }
        gcry_mac_close(h);
        CHECK(memcmp(ours, theirs, 16) == 0, "cmac %zu-bit key, %zu bytes: differs from libgcrypt", k * 8, len);

        size_t wl = 16 + 8 * (rnd() % 6);
        uint8_t wkey[64], wrapped[72], back[72];
        fill(wkey, wl);
        size_t n = sizeof wrapped;
        CHECK(tsubaki_camellia_wrap(key, k, wkey, wl, wrapped, &n) == TSUBAKI_STATUS_OK && n == wl + 8, "wrap");
        gcry_cipher_hd_t c;
        uint8_t gw[72];
        if (gcry_cipher_open(&c, gcry_algo(k), GCRY_CIPHER_MODE_AESWRAP, 0) == 0) {
            if (gcry_cipher_setkey(c, key, k) == 0 && gcry_cipher_encrypt(c, gw, wl + 8, wkey, wl) == 0)
                CHECK(memcmp(gw, wrapped, wl + 8) == 0, "wrap differs from libgcrypt's key wrap over Camellia");
            gcry_cipher_close(c);
        }
        size_t m = sizeof back;
        CHECK(tsubaki_camellia_unwrap(key, k, wrapped, n, back, &m) == TSUBAKI_STATUS_OK && m == wl &&
              memcmp(back, wkey, wl) == 0, "unwrap");
        wrapped[rnd() % n] ^= 1;
        m = sizeof back;
        memset(back, 0x77, sizeof back);
        CHECK(tsubaki_camellia_unwrap(key, k, wrapped, n, back, &m) == TSUBAKI_STATUS_AUTHENTICATION_FAILED && m == 0 &&
              all_zero(back, wl), "tampered unwrap must fail and wipe");
    }
}

static void conventions(void) {
    uint8_t key[16] = {1}, nonce[12] = {2}, buf[64], out[80];
    fill(buf, sizeof buf);
    size_t n = 0;
    /* Size query, buffer too small, NULL length pointer. */
    CHECK(tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 0, buf, 40, NULL, &n) == TSUBAKI_STATUS_OK && n == 56, "size query");
    n = 55;
    CHECK(tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 0, buf, 40, out, &n) == TSUBAKI_STATUS_BUFFER_TOO_SMALL && n == 56, "too small");
    CHECK(tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 0, buf, 40, out, NULL) == TSUBAKI_STATUS_NULL_POINTER, "NULL out_len");
    n = sizeof out;
    CHECK(tsubaki_camellia_gcm_seal(NULL, 16, nonce, 12, NULL, 0, buf, 40, out, &n) == TSUBAKI_STATUS_NULL_POINTER, "NULL key");
    CHECK(tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 5, buf, 40, out, &n) == TSUBAKI_STATUS_NULL_POINTER, "NULL aad with a length");
    n = sizeof out;
    CHECK(tsubaki_camellia_gcm_seal(key, 17, nonce, 12, NULL, 0, buf, 40, out, &n) == TSUBAKI_STATUS_INVALID_KEY_LENGTH, "key length");
    n = sizeof out;
    CHECK(tsubaki_camellia_gcm_seal(key, 16, nonce, 0, NULL, 0, buf, 40, out, &n) == TSUBAKI_STATUS_INVALID_NONCE_LENGTH, "empty nonce");
    /* In place: out == input. */
    uint8_t copy[80];
    memcpy(copy, buf, 40);
    n = sizeof out;
    CHECK(tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 0, buf, 40, out, &n) == TSUBAKI_STATUS_OK, "seal");
    size_t m = sizeof copy;
    CHECK(tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 0, copy, 40, copy, &m) == TSUBAKI_STATUS_OK &&
          memcmp(copy, out, 56) == 0, "in-place seal");
    m = sizeof copy;
    CHECK(tsubaki_camellia_gcm_open(key, 16, nonce, 12, NULL, 0, copy, 56, copy, &m) == TSUBAKI_STATUS_OK && m == 40 &&
          memcmp(copy, buf, 40) == 0, "in-place open");
    /* Tampering: a flipped tag bit, a truncated and an extended message. */
    uint8_t plain[80];
    out[55] ^= 0x80;
    m = sizeof plain;
    memset(plain, 0x55, sizeof plain);
    CHECK(tsubaki_camellia_gcm_open(key, 16, nonce, 12, NULL, 0, out, 56, plain, &m) == TSUBAKI_STATUS_AUTHENTICATION_FAILED &&
          m == 0 && all_zero(plain, 40), "flipped tag bit: failure, output wiped");
    out[55] ^= 0x80;
    m = sizeof plain;
    CHECK(tsubaki_camellia_gcm_open(key, 16, nonce, 12, NULL, 0, out, 55, plain, &m) == TSUBAKI_STATUS_AUTHENTICATION_FAILED, "truncated");
    m = sizeof plain;
    CHECK(tsubaki_camellia_gcm_open(key, 16, nonce, 12, NULL, 0, out, 15, plain, &m) == TSUBAKI_STATUS_INVALID_LENGTH, "shorter than a tag");
    m = sizeof plain;
    CHECK(tsubaki_camellia_gcm_open(key, 16, nonce, 12, NULL, 0, out, 57, plain, &m) == TSUBAKI_STATUS_AUTHENTICATION_FAILED, "extended");
    /* CCM parameters. */
    n = sizeof out;
    CHECK(tsubaki_camellia_ccm_seal(key, 16, nonce, 6, 16, NULL, 0, buf, 4, out, &n) == TSUBAKI_STATUS_INVALID_NONCE_LENGTH, "ccm nonce");
    n = sizeof out;
    CHECK(tsubaki_camellia_ccm_seal(key, 16, nonce, 12, 5, NULL, 0, buf, 4, out, &n) == TSUBAKI_STATUS_INVALID_TAG_LENGTH, "ccm tag");
    n = sizeof out;
    CHECK(tsubaki_camellia_ccm_seal(key, 16, nonce, 12, 8, NULL, 0, buf, 4, NULL, &n) == TSUBAKI_STATUS_OK && n == 12, "ccm size query");
    /* CMAC and wrap arguments. */
    n = 3;
    CHECK(tsubaki_camellia_cmac(key, 16, buf, 3, NULL, &n) == TSUBAKI_STATUS_OK && n == 16, "cmac size query");
    n = 15;
    CHECK(tsubaki_camellia_cmac(key, 16, buf, 3, out, &n) == TSUBAKI_STATUS_BUFFER_TOO_SMALL && n == 16, "cmac too small");
    CHECK(tsubaki_camellia_cmac(key, 16, buf, 3, out, NULL) == TSUBAKI_STATUS_NULL_POINTER, "cmac NULL tag_len");
    n = 16;
    CHECK(tsubaki_camellia_cmac(key, 15, buf, 3, out, &n) == TSUBAKI_STATUS_INVALID_KEY_LENGTH && n == 0, "cmac key");
    n = sizeof out;
    CHECK(tsubaki_camellia_wrap(key, 16, buf, 12, out, &n) == TSUBAKI_STATUS_INVALID_LENGTH, "wrap 12 bytes");
    n = sizeof out;
    CHECK(tsubaki_camellia_unwrap(key, 16, buf, 23, out, &n) == TSUBAKI_STATUS_INVALID_LENGTH, "unwrap 23 bytes");
    /* Error strings: static texts, unknown codes. */
    CHECK(strcmp(tsubaki_error_string(TSUBAKI_STATUS_AUTHENTICATION_FAILED), "authentication failed") == 0, "text");
    CHECK(strcmp(tsubaki_error_string(12345), "unknown status code") == 0, "unknown code");
    for (uint32_t c = 0; c <= 18; c++)
        CHECK(strcmp(tsubaki_error_string(c), "unknown status code") != 0, "code %u has a text", c);
}

int main(void) {
    if (!gcry_check_version(NULL)) return 3;
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    gcm_and_ccm();
    cmac_and_wrap();
    conventions();
    printf("%lu checks, %lu failures\n", checks, failures);
    return failures != 0;
}
