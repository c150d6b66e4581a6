/* Camellia-128-CBC through the OpenSSL-compatible API (tsubaki/camellia.h): the same code
 * compiles against <openssl/camellia.h>. Build:
 *   cc camellia_cbc.c $(pkg-config --cflags --libs tsubaki) */
#include <stdio.h>
#include <string.h>
#include <tsubaki/camellia.h>

int main(void) {
    /* RFC 3713 key; encrypt two blocks, decrypt them back. */
    const unsigned char key[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                   0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};
    unsigned char iv[16] = {0}, iv2[16] = {0};
    unsigned char msg[32] = "sixteen bytes x2, padded by me.";
    unsigned char ct[32], back[32];
    CAMELLIA_KEY k;
    if (Camellia_set_key(key, 128, &k) != 0) return 1;
    Camellia_cbc_encrypt(msg, ct, sizeof msg, &k, iv, CAMELLIA_ENCRYPT);
    Camellia_cbc_encrypt(ct, back, sizeof ct, &k, iv2, CAMELLIA_DECRYPT);
    memset(&k, 0, sizeof k); /* the expanded key is secret */
    if (memcmp(msg, back, sizeof msg) != 0) return 1;
    printf("camellia_cbc: ok\n");
    return 0;
}
