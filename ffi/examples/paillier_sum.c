/* Paillier: generate a 2048-bit key (with a progress callback), encrypt two counts, add
 * the ciphertexts without the key, decrypt the sum. Build:
 *   cc paillier_sum.c $(pkg-config --cflags --libs tsubaki) */
#include <stdio.h>
#include <stdlib.h>
#include <tsubaki.h>

static void progress(void *ctx, uint32_t prime, uint64_t candidates, int found) {
    (void)ctx;
    if (found) fprintf(stderr, "prime %u found after %llu candidates\n", prime, (unsigned long long)candidates);
}

static uint8_t *enc(const tsubaki_paillier_pubkey *pk, int64_t m, size_t *len) {
    *len = 0;
    if (tsubaki_paillier_encrypt_i64(pk, m, NULL, len)) return NULL;
    uint8_t *c = malloc(*len);
    return tsubaki_paillier_encrypt_i64(pk, m, c, len) ? NULL : c;
}

int main(void) {
    tsubaki_paillier_seckey *sk = NULL;
    tsubaki_paillier_pubkey *pk = NULL;
    if (tsubaki_paillier_keygen(2048, 0, progress, NULL, &sk)) return 1;
    if (tsubaki_paillier_seckey_public(sk, &pk)) return 1;
    size_t al, bl, sl = 0;
    uint8_t *a = enc(pk, 12, &al), *b = enc(pk, 30, &bl);
    if (!a || !b || tsubaki_paillier_add(pk, a, al, b, bl, NULL, &sl)) return 1;
    uint8_t *sum = malloc(sl);
    if (tsubaki_paillier_add(pk, a, al, b, bl, sum, &sl)) return 1;
    int64_t m = 0;
    if (tsubaki_paillier_decrypt_i64(sk, sum, sl, &m) || m != 42) return 1;
    printf("paillier_sum: ok (12 + 30 = %lld)\n", (long long)m);
    free(a); free(b); free(sum);
    tsubaki_paillier_pubkey_free(pk);
    tsubaki_paillier_seckey_free(sk);
    return 0;
}
