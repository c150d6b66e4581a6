/* HPKE (RFC 9180, DHKEM P-256 + Camellia-128-GCM): seal to a public key, open. Build:
 *   cc hpke_seal.c $(pkg-config --cflags --libs tsubaki) */
#include <stdio.h>
#include <string.h>
#include <tsubaki.h>

int main(void) {
    const tsubaki_hpke_suite s = TSUBAKI_HPKE_P256_SHA256_CAMELLIA128_GCM;
    uint8_t sk[32], pk[65], enc[65], ct[64], pt[64];
    size_t skl = sizeof sk, pkl = sizeof pk, el = sizeof enc, cl = sizeof ct, pl = sizeof pt;
    if (tsubaki_hpke_keygen(s, sk, &skl, pk, &pkl) != TSUBAKI_STATUS_OK) return 1;
    const uint8_t msg[] = "incident count 3";
    if (tsubaki_hpke_seal(s, pk, pkl, NULL, 0, (const uint8_t *)"info", 4, NULL, 0, msg,
                          sizeof msg, enc, &el, ct, &cl) != TSUBAKI_STATUS_OK) return 1;
    if (tsubaki_hpke_open(s, sk, skl, NULL, 0, enc, el, (const uint8_t *)"info", 4, NULL, 0,
                          ct, cl, pt, &pl) != TSUBAKI_STATUS_OK) return 1;
    memset(sk, 0, sizeof sk);
    if (pl != sizeof msg || memcmp(pt, msg, pl) != 0) return 1;
    printf("hpke_seal: ok\n");
    return 0;
}
