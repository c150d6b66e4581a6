/* Camellia-128-GCM seal/open with the size query convention. Build:
 *   cc aead_gcm.c $(pkg-config --cflags --libs tsubaki) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsubaki.h>

int main(void) {
    const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const uint8_t nonce[12] = {0}; /* never reuse a nonce under one key */
    const char *msg = "count: 42";
    size_t n = 0;
    /* Size query: out NULL. */
    tsubaki_status st = tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 0,
                                                  (const uint8_t *)msg, strlen(msg), NULL, &n);
    if (st != TSUBAKI_STATUS_OK) return 1;
    uint8_t *sealed = malloc(n);
    st = tsubaki_camellia_gcm_seal(key, 16, nonce, 12, NULL, 0, (const uint8_t *)msg,
                                   strlen(msg), sealed, &n);
    if (st != TSUBAKI_STATUS_OK) { fprintf(stderr, "%s\n", tsubaki_error_string(st)); return 1; }
    uint8_t plain[64];
    size_t m = sizeof plain;
    st = tsubaki_camellia_gcm_open(key, 16, nonce, 12, NULL, 0, sealed, n, plain, &m);
    if (st != TSUBAKI_STATUS_OK || m != strlen(msg) || memcmp(plain, msg, m) != 0) return 1;
    sealed[0] ^= 1;
    m = sizeof plain;
    st = tsubaki_camellia_gcm_open(key, 16, nonce, 12, NULL, 0, sealed, n, plain, &m);
    printf("aead_gcm: ok (tampered: %s)\n", tsubaki_error_string(st));
    free(sealed);
    return st == TSUBAKI_STATUS_AUTHENTICATION_FAILED ? 0 : 1;
}
