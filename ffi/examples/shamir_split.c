/* Shamir 3-of-5 over GF(2^8): split a secret, rebuild it from shares 2, 4 and 5. Build:
 *   cc shamir_split.c $(pkg-config --cflags --libs tsubaki) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsubaki.h>

int main(void) {
    const uint8_t secret[] = "the committee's recovery key";
    size_t n = 0;
    if (tsubaki_shamir_split(TSUBAKI_SHAMIR_GF256, secret, sizeof secret, 3, 5, NULL, &n)) return 1;
    uint8_t *shares = malloc(n);
    if (tsubaki_shamir_split(TSUBAKI_SHAMIR_GF256, secret, sizeof secret, 3, 5, shares, &n)) return 1;
    size_t len = n / 5; /* five shares of equal length, one after another */
    uint8_t *three = malloc(3 * len);
    memcpy(three, shares + 1 * len, len);
    memcpy(three + len, shares + 3 * len, len);
    memcpy(three + 2 * len, shares + 4 * len, len);
    uint8_t back[64];
    size_t bl = sizeof back;
    tsubaki_status st = tsubaki_shamir_combine(TSUBAKI_SHAMIR_GF256, three, len, 3, back, &bl);
    if (st != TSUBAKI_STATUS_OK || bl != sizeof secret || memcmp(back, secret, bl) != 0) return 1;
    printf("shamir_split: ok (%zu-byte shares)\n", len);
    free(shares); free(three);
    return 0;
}
