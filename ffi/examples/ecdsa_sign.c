/* ECDSA P-256: generate a key, write it as PKCS#8 PEM, sign, verify. Build:
 *   cc ecdsa_sign.c $(pkg-config --cflags --libs tsubaki) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsubaki.h>

#define TRY(call) do { tsubaki_status st_ = (call); if (st_ != TSUBAKI_STATUS_OK) { \
    fprintf(stderr, "%s: %s\n", #call, tsubaki_error_string(st_)); return 1; } } while (0)

int main(void) {
    tsubaki_ecdsa_key *key = NULL;
    tsubaki_ecdsa_pubkey *pub = NULL;
    TRY(tsubaki_ecdsa_key_new(256, &key));
    TRY(tsubaki_ecdsa_key_public(key, &pub));
    size_t n = 0;
    TRY(tsubaki_ecdsa_pubkey_export(pub, TSUBAKI_PUBKEY_SPKI_PEM, NULL, &n));
    char *pem = malloc(n + 1);
    TRY(tsubaki_ecdsa_pubkey_export(pub, TSUBAKI_PUBKEY_SPKI_PEM, (uint8_t *)pem, &n));
    pem[n] = '\0';
    fputs(pem, stdout);
    const uint8_t msg[] = "the aggregate of round 7";
    uint8_t sig[72];
    size_t sl = sizeof sig;
    TRY(tsubaki_ecdsa_sign(key, TSUBAKI_SIG_DER, msg, sizeof msg, sig, &sl));
    TRY(tsubaki_ecdsa_verify(pub, TSUBAKI_SIG_DER, msg, sizeof msg, sig, sl));
    printf("ecdsa_sign: ok (%zu-byte DER signature)\n", sl);
    free(pem);
    tsubaki_ecdsa_pubkey_free(pub);
    tsubaki_ecdsa_key_free(key);
    return 0;
}
