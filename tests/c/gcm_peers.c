/* Camellia-GCM from two independent C libraries, for tsubaki's differential test
 * (tests/camellia_gcm_peers.rs) and the vector generator behind
 * vectors/camellia_gcm_crosscheck.txt.
 *
 * Reads lines "KEY IV AAD PT" (hex, "-" for empty) on stdin and writes, per line,
 * "GCRYPT_CT GCRYPT_TAG NETTLE_CT NETTLE_TAG" (hex; "-" for an empty ciphertext,
 * "none" where nettle has no Camellia-192-GCM). Both libraries take IVs of any length.
 * Built by the test with: cc -O1 gcm_peers.c -lgcrypt -lnettle
 */
#include <gcrypt.h>
#include <nettle/gcm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t unhex(const char *s, unsigned char *out) {
    if (strcmp(s, "-") == 0) return 0;
    size_t n = strlen(s) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) { fprintf(stderr, "bad hex\n"); exit(2); }
        out[i] = (unsigned char)v;
    }
    return n;
}

static void puthex(const unsigned char *p, size_t n) {
    if (n == 0) { fputs("-", stdout); return; }
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
}

static void die(const char *what) { fprintf(stderr, "%s failed\n", what); exit(3); }

int main(void) {
    if (!gcry_check_version(NULL)) die("gcry_check_version");
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    size_t cap = 1 << 26;
    unsigned char *key = malloc(64), *iv = malloc(cap), *aad = malloc(cap), *pt = malloc(cap),
                  *ct = malloc(cap), *ct2 = malloc(cap), tag[16], tag2[16];
    char *k = malloc(cap), *i = malloc(cap), *a = malloc(cap), *p = malloc(cap);
    while (scanf("%s %s %s %s", k, i, a, p) == 4) {
        size_t klen = unhex(k, key), ivlen = unhex(i, iv), alen = unhex(a, aad), plen = unhex(p, pt);
        int algo = klen == 16 ? GCRY_CIPHER_CAMELLIA128
                 : klen == 24 ? GCRY_CIPHER_CAMELLIA192 : GCRY_CIPHER_CAMELLIA256;
        gcry_cipher_hd_t h;
        if (gcry_cipher_open(&h, algo, GCRY_CIPHER_MODE_GCM, 0)) die("gcry_cipher_open");
        if (gcry_cipher_setkey(h, key, klen)) die("setkey");
        if (gcry_cipher_setiv(h, iv, ivlen)) die("setiv");
        if (gcry_cipher_authenticate(h, aad, alen)) die("authenticate");
        if (gcry_cipher_final(h)) die("final");
        if (gcry_cipher_encrypt(h, ct, plen, pt, plen)) die("encrypt");
        if (gcry_cipher_gettag(h, tag, 16)) die("gettag");
        gcry_cipher_close(h);
        puthex(ct, plen); putchar(' '); puthex(tag, 16); putchar(' ');
        if (klen == 16) {
            struct gcm_camellia128_ctx c;
            gcm_camellia128_set_key(&c, key);
            gcm_camellia128_set_iv(&c, ivlen, iv);
            gcm_camellia128_update(&c, alen, aad);
            gcm_camellia128_encrypt(&c, plen, ct2, pt);
            gcm_camellia128_digest(&c, 16, tag2);
            puthex(ct2, plen); putchar(' '); puthex(tag2, 16);
        } else if (klen == 32) {
            struct gcm_camellia256_ctx c;
            gcm_camellia256_set_key(&c, key);
            gcm_camellia256_set_iv(&c, ivlen, iv);
            gcm_camellia256_update(&c, alen, aad);
            gcm_camellia256_encrypt(&c, plen, ct2, pt);
            gcm_camellia256_digest(&c, 16, tag2);
            puthex(ct2, plen); putchar(' '); puthex(tag2, 16);
        } else {
            fputs("none none", stdout);
        }
        putchar('\n');
        fflush(stdout);
    }
    return 0;
}
