/*
 * Per-call cost of the OpenSSL-compatible Camellia_* functions, one C source built twice
 * by percall.sh: against libtsubaki (-I ffi/include, libtsubaki.a) and against OpenSSL
 * (-DUSE_OPENSSL -lcrypto). Prints ns per call (best of 7 runs of N calls each) for
 *   set_key-128, set_key-256, encrypt (one block, 128-bit key), decrypt (one block),
 *   encrypt/decrypt with a 256-bit key, cbc_encrypt of 16 B, 64 B and 1 KiB (ns/B too).
 * Each call feeds its output into the next (a dependency chain), as a caller encrypting
 * a stream block by block would.
 */
#define _POSIX_C_SOURCE 199309L
#ifdef USE_OPENSSL
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/camellia.h>
#define IMPL "openssl"
#else
#include <tsubaki/camellia.h>
#ifdef IMPL_NAME
#define IMPL IMPL_NAME
#else
#define IMPL "tsubaki"
#endif
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static volatile unsigned char sink;

#define BEST(label, n, per, body)                                                   \
    do {                                                                            \
        double best = 1e30;                                                         \
        for (int rep = 0; rep < 7; rep++) {                                         \
            double t0 = now_ns();                                                   \
            for (long i = 0; i < (n); i++) { body; }                                \
            double dt = (now_ns() - t0) / (double)(n);                              \
            if (dt < best) best = dt;                                               \
        }                                                                           \
        if (per > 0)                                                                \
            printf("%-8s %-22s %9.1f ns/call %7.2f ns/B\n", IMPL, label, best,     \
                   best / (double)(per));                                           \
        else                                                                        \
            printf("%-8s %-22s %9.1f ns/call\n", IMPL, label, best);               \
    } while (0)

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    unsigned char k[32], blk[16], iv[16];
    static unsigned char buf[1024];
    for (int i = 0; i < 32; i++) k[i] = (unsigned char)(i * 7 + 3);
    memset(blk, 0x5a, 16);
    memset(buf, 0xa5, sizeof buf);
    CAMELLIA_KEY key, key256;

    BEST("set_key-128", n, 0, {
        k[0] ^= (unsigned char)i;
        Camellia_set_key(k, 128, &key);
    });
    BEST("set_key-256", n, 0, {
        k[0] ^= (unsigned char)i;
        Camellia_set_key(k, 256, &key256);
    });
    Camellia_set_key(k, 128, &key);
    Camellia_set_key(k, 256, &key256);
    BEST("encrypt-128", n, 0, Camellia_encrypt(blk, blk, &key));
    BEST("decrypt-128", n, 0, Camellia_decrypt(blk, blk, &key));
    BEST("encrypt-256", n, 0, Camellia_encrypt(blk, blk, &key256));
    BEST("decrypt-256", n, 0, Camellia_decrypt(blk, blk, &key256));
    memset(iv, 1, 16);
    BEST("cbc_encrypt-128 16B", n, 16,
         Camellia_cbc_encrypt(buf, buf, 16, &key, iv, CAMELLIA_ENCRYPT));
    BEST("cbc_encrypt-128 64B", n / 4, 64,
         Camellia_cbc_encrypt(buf, buf, 64, &key, iv, CAMELLIA_ENCRYPT));
    BEST("cbc_encrypt-128 1KiB", n / 32, 1024,
         Camellia_cbc_encrypt(buf, buf, 1024, &key, iv, CAMELLIA_ENCRYPT));
    BEST("cbc_decrypt-128 1KiB", n / 32, 1024,
         Camellia_cbc_encrypt(buf, buf, 1024, &key, iv, CAMELLIA_DECRYPT));
    sink = blk[0] ^ buf[0] ^ iv[0];
    return 0;
}
