/*
 * C test of the Camellia_* API, built twice by ffi/tests/c_abi.rs:
 *   - against libtsubaki:  cc -I ffi/include camellia_test.c libtsubaki.a -lpthread -ldl -lm
 *   - against OpenSSL:     cc -DUSE_OPENSSL camellia_test.c -lcrypto
 *
 *   camellia_test vectors FILE   every function on known answers (RFC 3713, and every
 *                                stanza of OpenSSL's evpciph_camellia.txt), error codes,
 *                                and (tsubaki only) the behaviour it defines where
 *                                OpenSSL's is undefined; exits 1 on any failure.
 *   camellia_test diff SEED N    N rounds of random keys, IVs, lengths, num offsets,
 *                                enc values, in-place and chained calls through every
 *                                function; prints a hex transcript. Both builds must
 *                                print the same bytes for the same SEED.
 *
 * Buffers are malloc'ed at their exact size so that valgrind sees any access outside.
 */

#ifdef USE_OPENSSL
/* These functions are deprecated in OpenSSL 3 but still exported; we test them. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/camellia.h>
#define IMPL "openssl"
#else
#include <tsubaki/camellia.h>
#define IMPL "tsubaki"
#endif

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The layout promise: a program may embed CAMELLIA_KEY anywhere OpenSSL's fits. */
_Static_assert(sizeof(CAMELLIA_KEY) == 280, "CAMELLIA_KEY is 280 bytes");
_Static_assert(_Alignof(CAMELLIA_KEY) == 8, "CAMELLIA_KEY is 8-byte aligned");
_Static_assert(sizeof(KEY_TABLE_TYPE) == CAMELLIA_TABLE_BYTE_LEN, "key table size");
_Static_assert(CAMELLIA_TABLE_WORD_LEN == 68, "key table words");
_Static_assert(CAMELLIA_BLOCK_SIZE == 16, "block size");
_Static_assert(CAMELLIA_ENCRYPT == 1 && CAMELLIA_DECRYPT == 0, "enc values");

/*
 * Every prototype of OpenSSL's header, restated as a function-pointer type: any
 * difference in a parameter or return type is an incompatible-pointer error (-Werror).
 */
static int (*const p_set_key)(const unsigned char *, const int, CAMELLIA_KEY *) =
    Camellia_set_key;
static void (*const p_encrypt)(const unsigned char *, unsigned char *,
                               const CAMELLIA_KEY *) = Camellia_encrypt;
static void (*const p_decrypt)(const unsigned char *, unsigned char *,
                               const CAMELLIA_KEY *) = Camellia_decrypt;
static void (*const p_ecb)(const unsigned char *, unsigned char *, const CAMELLIA_KEY *,
                           const int) = Camellia_ecb_encrypt;
static void (*const p_cbc)(const unsigned char *, unsigned char *, size_t,
                           const CAMELLIA_KEY *, unsigned char *, const int) =
    Camellia_cbc_encrypt;
static void (*const p_cfb128)(const unsigned char *, unsigned char *, size_t,
                              const CAMELLIA_KEY *, unsigned char *, int *, const int) =
    Camellia_cfb128_encrypt;
static void (*const p_cfb1)(const unsigned char *, unsigned char *, size_t,
                            const CAMELLIA_KEY *, unsigned char *, int *, const int) =
    Camellia_cfb1_encrypt;
static void (*const p_cfb8)(const unsigned char *, unsigned char *, size_t,
                            const CAMELLIA_KEY *, unsigned char *, int *, const int) =
    Camellia_cfb8_encrypt;
static void (*const p_ofb128)(const unsigned char *, unsigned char *, size_t,
                              const CAMELLIA_KEY *, unsigned char *, int *) =
    Camellia_ofb128_encrypt;
static void (*const p_ctr128)(const unsigned char *, unsigned char *, size_t,
                              const CAMELLIA_KEY *, unsigned char[CAMELLIA_BLOCK_SIZE],
                              unsigned char[CAMELLIA_BLOCK_SIZE], unsigned int *) =
    Camellia_ctr128_encrypt;

/* The members a program may name: u.d, u.rd_key, grand_rounds. */
_Static_assert(sizeof(((CAMELLIA_KEY *)0)->u.d) == sizeof(double), "u.d");
_Static_assert(sizeof(((CAMELLIA_KEY *)0)->u.rd_key) == 272, "u.rd_key");
_Static_assert(sizeof(((CAMELLIA_KEY *)0)->grand_rounds) == sizeof(int), "grand_rounds");
_Static_assert(sizeof(struct camellia_key_st) == sizeof(CAMELLIA_KEY), "struct tag");

/* ------------------------------------------------------------------------------------ */
/* Small utilities                                                                      */
/* ------------------------------------------------------------------------------------ */

static void *xmalloc(size_t n)
{
    /* malloc(0) may return NULL; keep a valid pointer for zero-length buffers. */
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static void *dup_bytes(const void *src, size_t n)
{
    void *p = xmalloc(n);
    if (n)
        memcpy(p, src, n);
    return p;
}

static char *dup_str(const char *s)
{
    return dup_bytes(s, strlen(s) + 1);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes hex into a fresh buffer; returns its length, or -1 on bad hex. */
static long unhex(const char *s, unsigned char **out)
{
    size_t n = strlen(s);
    if (n % 2)
        return -1;
    *out = xmalloc(n / 2);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        (*out)[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

static void put_hex(const char *label, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    printf(" %s=", label);
    for (size_t i = 0; i < n; i++) {
        putchar(digits[p[i] >> 4]);
        putchar(digits[p[i] & 15]);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Check bookkeeping                                                                    */
/* ------------------------------------------------------------------------------------ */

static unsigned long checks, failures;
static const char *context = "";

static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        failures++;
        fprintf(stderr, "FAIL [%s] %s\n", context, what);
    }
}

static void check_bytes(const unsigned char *got, const unsigned char *want, size_t n,
                        const char *what)
{
    int ok = n == 0 || memcmp(got, want, n) == 0;
    check(ok, what);
    if (!ok) {
        fprintf(stderr, "  got  ");
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%02x", got[i]);
        fprintf(stderr, "\n  want ");
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%02x", want[i]);
        fprintf(stderr, "\n");
    }
}

/* ------------------------------------------------------------------------------------ */
/* Known answers                                                                        */
/* ------------------------------------------------------------------------------------ */

/* RFC 3713 Appendix A: one block for each key size. */
static void rfc3713(void)
{
    static const char *keys[3] = {
        "0123456789abcdeffedcba9876543210",
        "0123456789abcdeffedcba98765432100011223344556677",
        "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff",
    };
    static const char *cts[3] = {
        "67673138549669730857065648eabe43",
        "b4993401b3e996f84ee5cee7d79b09b9",
        "9acc237dff16d76c20ef7c919e3a7509",
    };
    unsigned char *pt, *key, *ct;
    (void)unhex("0123456789abcdeffedcba9876543210", &pt);
    for (int i = 0; i < 3; i++) {
        CAMELLIA_KEY k;
        long klen = unhex(keys[i], &key);
        (void)unhex(cts[i], &ct);
        context = keys[i];
        check(Camellia_set_key(key, (int)klen * 8, &k) == 0, "RFC 3713 set_key");
        check(k.grand_rounds == (klen == 16 ? 3 : 4), "grand_rounds as OpenSSL");

        unsigned char *in = dup_bytes(pt, 16), *out = xmalloc(16);
        Camellia_encrypt(in, out, &k);
        check_bytes(out, ct, 16, "RFC 3713 Camellia_encrypt");
        Camellia_decrypt(out, in, &k);
        check_bytes(in, pt, 16, "RFC 3713 Camellia_decrypt");
        Camellia_ecb_encrypt(in, out, &k, CAMELLIA_ENCRYPT);
        check_bytes(out, ct, 16, "RFC 3713 Camellia_ecb_encrypt(ENCRYPT)");
        Camellia_ecb_encrypt(out, out, &k, CAMELLIA_DECRYPT);
        check_bytes(out, pt, 16, "RFC 3713 Camellia_ecb_encrypt(DECRYPT) in place");
        Camellia_encrypt(out, out, &k);
        check_bytes(out, ct, 16, "RFC 3713 Camellia_encrypt in place");

        /* A copy of the key (struct assignment) works like the original. */
        CAMELLIA_KEY copy = k;
        Camellia_decrypt(out, out, &copy);
        check_bytes(out, pt, 16, "RFC 3713 with a copied CAMELLIA_KEY");
        free(in);
        free(out);
        free(key);
        free(ct);
    }
    free(pt);
}

enum mode { ECB, CBC, CFB, OFB, CTR, NMODES };
static const char *mode_names[NMODES] = {"ECB", "CBC", "CFB", "OFB", "CTR"};

struct stanza {
    int line;
    char cipher[64];
    char *key, *iv, *op, *pt, *ct, *next_iv;
};

static unsigned long stanzas_run, stanzas_by_mode[NMODES];

/*
 * Runs `len` bytes of `in` through mode `m` (enc: 1 encrypt, 0 decrypt) into `out`,
 * split into two calls at `split` (state carried across), and returns the final IV.
 */
static void run_mode(enum mode m, const CAMELLIA_KEY *k, int enc, const unsigned char *in,
                     unsigned char *out, size_t len, size_t split, unsigned char iv[16],
                     int *num_out)
{
    int num = 0;
    unsigned int unum = 0;
    unsigned char ecount[16] = {0};
    size_t parts[2] = {split, len - split};
    for (int p = 0, off = 0; p < 2; off += (int)parts[p], p++) {
        size_t n = parts[p];
        const unsigned char *i = in + off;
        unsigned char *o = out + off;
        switch (m) {
        case ECB:
            for (size_t b = 0; b < n; b += 16)
                Camellia_ecb_encrypt(i + b, o + b, k,
                                     enc ? CAMELLIA_ENCRYPT : CAMELLIA_DECRYPT);
            break;
        case CBC:
            Camellia_cbc_encrypt(i, o, n, k, iv, enc);
            break;
        case CFB:
            Camellia_cfb128_encrypt(i, o, n, k, iv, &num, enc);
            break;
        case OFB:
            Camellia_ofb128_encrypt(i, o, n, k, iv, &num);
            break;
        case CTR:
            Camellia_ctr128_encrypt(i, o, n, k, iv, ecount, &unum);
            num = (int)unum;
            break;
        default:
            break;
        }
    }
    *num_out = num;
}

static void run_stanza(const struct stanza *s)
{
    int bits;
    char mname[16];
    enum mode m = NMODES;
    static char where[128];
    snprintf(where, sizeof where, "evpciph_camellia.txt line %d, %s", s->line, s->cipher);
    context = where;
    if (sscanf(s->cipher, "CAMELLIA-%d-%15s", &bits, mname) != 2) {
        check(0, "unknown cipher name");
        return;
    }
    for (int i = 0; i < NMODES; i++)
        if (strcmp(mname, mode_names[i]) == 0)
            m = (enum mode)i;
    if (m == NMODES || !s->key || !s->pt || !s->ct) {
        check(0, "incomplete stanza");
        return;
    }
    unsigned char *key, *pt, *ct, *iv0 = NULL, *next = NULL;
    long klen = unhex(s->key, &key), plen = unhex(s->pt, &pt), clen = unhex(s->ct, &ct);
    long ivlen = s->iv ? unhex(s->iv, &iv0) : 0;
    long nlen = s->next_iv ? unhex(s->next_iv, &next) : 0;
    int fields_ok = klen * 8 == bits && plen == clen && plen >= 0 && ivlen >= 0 &&
                    nlen >= 0 && (m == ECB || ivlen == 16) && (!next || nlen == 16);
    check(fields_ok, "stanza fields");
    if (!fields_ok)
        return;

    CAMELLIA_KEY k;
    check(Camellia_set_key(key, bits, &k) == 0, "set_key");
    int dirs[2] = {1, 0};
    for (int d = 0; d < 2; d++) {
        int enc = dirs[d];
        if (s->op && strcmp(s->op, enc ? "DECRYPT" : "ENCRYPT") == 0)
            continue;
        const unsigned char *src = enc ? pt : ct, *want = enc ? ct : pt;
        size_t len = (size_t)plen;
        /* Three ways: one call out of place, one call in place, two calls split. */
        size_t splits[3] = {0, 0, 0};
        splits[2] = (m == ECB || m == CBC) ? (len / 32) * 16 : len / 2 + 1;
        if (splits[2] > len)
            splits[2] = len;
        for (int w = 0; w < 3; w++) {
            unsigned char iv[16] = {0};
            if (iv0)
                memcpy(iv, iv0, 16);
            unsigned char *in = dup_bytes(src, len);
            unsigned char *out = w == 1 ? in : xmalloc(len);
            int num = -7;
            run_mode(m, &k, enc, in, out, len, splits[w], iv, &num);
            static char what[96];
            snprintf(what, sizeof what, "%s %s (%s)", mode_names[m],
                     enc ? "encrypt" : "decrypt",
                     w == 0 ? "out of place" : w == 1 ? "in place" : "two calls");
            check_bytes(out, want, len, what);
            if (next)
                check_bytes(iv, next, 16, "NextIV");
            if (m == CFB || m == OFB || m == CTR)
                check(num == (int)(len % 16), "num after the call");
            if (out != in)
                free(out);
            free(in);
        }
    }
    stanzas_run++;
    stanzas_by_mode[m]++;
    free(key);
    free(pt);
    free(ct);
    free(iv0);
    free(next);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

static void free_stanza(struct stanza *s)
{
    free(s->key);
    free(s->iv);
    free(s->op);
    free(s->pt);
    free(s->ct);
    free(s->next_iv);
    memset(s, 0, sizeof *s);
}

static void evp_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char line[4096];
    struct stanza s;
    memset(&s, 0, sizeof s);
    int lineno = 0, in_stanza = 0;
    for (;;) {
        char *got = fgets(line, sizeof line, f);
        lineno++;
        char *t = got ? trim(line) : NULL;
        if (!got || *t == 0) {
            if (in_stanza && s.cipher[0])
                run_stanza(&s);
            free_stanza(&s);
            in_stanza = 0;
            if (!got)
                break;
            continue;
        }
        if (*t == '#')
            continue;
        char *eq = strchr(t, '=');
        if (!eq)
            continue;
        *eq = 0;
        char *name = trim(t), *value = trim(eq + 1);
        if (!in_stanza)
            s.line = lineno;
        in_stanza = 1;
        if (strcmp(name, "Cipher") == 0)
            snprintf(s.cipher, sizeof s.cipher, "%s", value);
        else if (strcmp(name, "Key") == 0)
            s.key = dup_str(value);
        else if (strcmp(name, "IV") == 0)
            s.iv = dup_str(value);
        else if (strcmp(name, "Operation") == 0)
            s.op = dup_str(value);
        else if (strcmp(name, "Plaintext") == 0)
            s.pt = dup_str(value);
        else if (strcmp(name, "Ciphertext") == 0)
            s.ct = dup_str(value);
        else if (strcmp(name, "NextIV") == 0)
            s.next_iv = dup_str(value);
    }
    fclose(f);
}

/* ------------------------------------------------------------------------------------ */
/* Error codes and edge cases both libraries define                                    */
/* ------------------------------------------------------------------------------------ */

static void error_codes(void)
{
    unsigned char user[32];
    for (int i = 0; i < 32; i++)
        user[i] = (unsigned char)(i * 13 + 5);
    CAMELLIA_KEY k, snapshot;
    context = "Camellia_set_key errors";
    check(Camellia_set_key(user, 256, &k) == 0, "set_key 256");
    memcpy(&snapshot, &k, sizeof k);
    check(Camellia_set_key(NULL, 128, &k) == -1, "NULL userKey gives -1");
    check(Camellia_set_key(user, 128, NULL) == -1, "NULL key gives -1");
    check(Camellia_set_key(NULL, 100, &k) == -1, "NULL is checked before bits");
    static const int bad_bits[] = {0, 1, 64, 127, 129, 160, 191, 255, 257, 384, 512,
                                   -128, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad_bits / sizeof bad_bits[0]; i++)
        check(Camellia_set_key(user, bad_bits[i], &k) == -2, "bad bits give -2");
    check(memcmp(&snapshot, &k, sizeof k) == 0, "a failed set_key leaves the key as it was");
    check(Camellia_set_key(user, 192, &k) == 0 && k.grand_rounds == 4, "set_key 192");
    check(Camellia_set_key(user, 128, &k) == 0 && k.grand_rounds == 3, "set_key 128");

    /* A negative num: OpenSSL's CFB128 and OFB set it to -1 and touch nothing else. */
    context = "negative num";
    unsigned char iv[16] = {1, 2, 3}, iv_before[16];
    unsigned char *in = dup_bytes(user, 32), *out = xmalloc(32);
    memset(out, 0xEE, 32);
    memcpy(iv_before, iv, 16);
    static const int negative[] = {-1, -16, INT_MIN};
    for (size_t i = 0; i < 3; i++) {
        int num = negative[i];
        Camellia_cfb128_encrypt(in, out, 32, &k, iv, &num, CAMELLIA_ENCRYPT);
        check(num == -1, "cfb128: *num = -1");
        num = negative[i];
        Camellia_ofb128_encrypt(in, out, 32, &k, iv, &num);
        check(num == -1, "ofb128: *num = -1");
        check(out[0] == 0xEE && out[31] == 0xEE, "out untouched");
        check_bytes(iv, iv_before, 16, "ivec untouched");
    }

    /* length 0 is a no-op everywhere (CBC leaves the IV alone). */
    context = "length 0";
    int num = 3;
    unsigned int unum = 5;
    unsigned char ecount[16] = {0};
    Camellia_cbc_encrypt(in, out, 0, &k, iv, CAMELLIA_ENCRYPT);
    Camellia_cbc_encrypt(in, out, 0, &k, iv, CAMELLIA_DECRYPT);
    Camellia_cfb128_encrypt(in, out, 0, &k, iv, &num, CAMELLIA_ENCRYPT);
    Camellia_cfb8_encrypt(in, out, 0, &k, iv, &num, CAMELLIA_ENCRYPT);
    Camellia_cfb1_encrypt(in, out, 0, &k, iv, &num, CAMELLIA_ENCRYPT);
    Camellia_ofb128_encrypt(in, out, 0, &k, iv, &num);
    Camellia_ctr128_encrypt(in, out, 0, &k, iv, ecount, &unum);
    check(num == 3 && unum == 5, "num unchanged");
    check_bytes(iv, iv_before, 16, "ivec unchanged");
    check(out[0] == 0xEE, "out untouched");

    /* CFB8 and CFB1: round trips, and CFB1 leaves the bits past `length` alone. */
    context = "CFB8/CFB1";
    for (size_t len = 0; len <= 32; len += 7) {
        unsigned char a[16], b[16];
        memcpy(a, iv_before, 16);
        memcpy(b, iv_before, 16);
        unsigned char *c = xmalloc(32), *p = xmalloc(32);
        Camellia_cfb8_encrypt(in, c, len, &k, a, &num, CAMELLIA_ENCRYPT);
        Camellia_cfb8_encrypt(c, p, len, &k, b, &num, CAMELLIA_DECRYPT);
        check_bytes(p, in, len, "cfb8 round trip");
        check_bytes(a, b, 16, "cfb8 ivec agrees");
        free(c);
        free(p);
    }
    for (size_t bits = 0; bits <= 40; bits += 3) {
        size_t bytes = (bits + 7) / 8;
        unsigned char a[16], b[16];
        memcpy(a, iv_before, 16);
        memcpy(b, iv_before, 16);
        unsigned char *c = xmalloc(bytes), *p = xmalloc(bytes);
        memset(c, 0x5A, bytes);
        memset(p, 0xA5, bytes);
        Camellia_cfb1_encrypt(in, c, bits, &k, a, &num, CAMELLIA_ENCRYPT);
        Camellia_cfb1_encrypt(c, p, bits, &k, b, &num, CAMELLIA_DECRYPT);
        check(bits / 8 == 0 || memcmp(p, in, bits / 8) == 0, "cfb1 round trip");
        if (bits % 8) {
            unsigned char hi = (unsigned char)(0xFF << (8 - bits % 8));
            check((p[bits / 8] & hi) == (in[bits / 8] & hi), "cfb1 last bits");
            check((p[bits / 8] & ~hi & 0xFF) == (0xA5 & ~hi & 0xFF), "cfb1 keeps out's bits");
            check((c[bits / 8] & ~hi & 0xFF) == (0x5A & ~hi & 0xFF), "cfb1 keeps out's bits");
        }
        check_bytes(a, b, 16, "cfb1 ivec agrees");
        free(c);
        free(p);
    }
    free(in);
    free(out);
}

#ifndef USE_OPENSSL
/* ------------------------------------------------------------------------------------ */
/* What libtsubaki defines where OpenSSL's behaviour is undefined                      */
/* ------------------------------------------------------------------------------------ */

static void tsubaki_definitions(void)
{
    unsigned char user[32] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
    CAMELLIA_KEY k;
    check(Camellia_set_key(user, 128, &k) == 0, "set_key");
    unsigned char iv[16] = {7}, iv_before[16], ecount[16] = {0};
    memcpy(iv_before, iv, 16);
    unsigned char *in = dup_bytes(user, 32), *out = xmalloc(32);
    memset(out, 0xEE, 32);
    int num = 0;
    unsigned int unum = 0;

    context = "NULL pointers: void functions do nothing";
    Camellia_encrypt(NULL, out, &k);
    Camellia_encrypt(in, NULL, &k);
    Camellia_encrypt(in, out, NULL);
    Camellia_decrypt(NULL, out, &k);
    Camellia_decrypt(in, out, NULL);
    Camellia_ecb_encrypt(in, out, NULL, CAMELLIA_ENCRYPT);
    Camellia_ecb_encrypt(NULL, out, &k, CAMELLIA_ENCRYPT);
    Camellia_cbc_encrypt(NULL, out, 32, &k, iv, 1);
    Camellia_cbc_encrypt(in, NULL, 32, &k, iv, 1);
    Camellia_cbc_encrypt(in, out, 32, NULL, iv, 1);
    Camellia_cbc_encrypt(in, out, 32, &k, NULL, 1);
    Camellia_cfb128_encrypt(in, out, 32, &k, iv, NULL, 1);
    Camellia_cfb128_encrypt(in, out, 32, &k, NULL, &num, 1);
    Camellia_cfb128_encrypt(in, out, 32, NULL, iv, &num, 1);
    Camellia_cfb128_encrypt(NULL, out, 32, &k, iv, &num, 1);
    Camellia_cfb8_encrypt(in, out, 32, &k, NULL, &num, 1);
    Camellia_cfb8_encrypt(in, NULL, 32, &k, iv, &num, 1);
    Camellia_cfb1_encrypt(in, out, 32, NULL, iv, &num, 1);
    Camellia_cfb1_encrypt(in, out, 32, &k, NULL, &num, 1);
    Camellia_ofb128_encrypt(in, out, 32, &k, iv, NULL);
    Camellia_ofb128_encrypt(in, NULL, 32, &k, iv, &num);
    Camellia_ctr128_encrypt(in, out, 32, &k, iv, NULL, &unum);
    Camellia_ctr128_encrypt(in, out, 32, &k, iv, ecount, NULL);
    Camellia_ctr128_encrypt(in, out, 32, &k, NULL, ecount, &unum);
    Camellia_ctr128_encrypt(in, out, 32, NULL, iv, ecount, &unum);
    for (int i = 0; i < 32; i++)
        check(out[i] == 0xEE, "out untouched");
    check_bytes(iv, iv_before, 16, "ivec untouched");
    check(num == 0 && unum == 0, "num untouched");

    context = "num out of range";
    static const int big[] = {16, 17, 1000, INT_MAX};
    for (int i = 0; i < 4; i++) {
        num = big[i];
        Camellia_cfb128_encrypt(in, out, 32, &k, iv, &num, 1);
        check(num == -1, "cfb128: *num >= 16 gives -1");
        num = big[i];
        Camellia_ofb128_encrypt(in, out, 32, &k, iv, &num);
        check(num == -1, "ofb128: *num >= 16 gives -1");
        unum = (unsigned)big[i];
        Camellia_ctr128_encrypt(in, out, 32, &k, iv, ecount, &unum);
        check(unum == (unsigned)big[i], "ctr128: *num > 15 left as is");
    }
    unum = UINT_MAX;
    Camellia_ctr128_encrypt(in, out, 32, &k, iv, ecount, &unum);
    check(unum == UINT_MAX, "ctr128: UINT_MAX left as is");
    for (int i = 0; i < 32; i++)
        check(out[i] == 0xEE, "out untouched");
    check_bytes(iv, iv_before, 16, "ivec untouched");

    context = "num of CFB8/CFB1 is not used";
    unsigned char a[16], b[16], *o1 = xmalloc(32), *o2 = xmalloc(32);
    memcpy(a, iv_before, 16);
    memcpy(b, iv_before, 16);
    num = 12345;
    Camellia_cfb8_encrypt(in, o1, 32, &k, a, NULL, 1);
    Camellia_cfb8_encrypt(in, o2, 32, &k, b, &num, 1);
    check_bytes(o1, o2, 32, "cfb8 with num NULL");
    check(num == 12345, "cfb8 leaves num alone");
    Camellia_cfb1_encrypt(in, o1, 200, &k, a, NULL, 0);
    Camellia_cfb1_encrypt(in, o2, 200, &k, b, &num, 0);
    check_bytes(o1, o2, 25, "cfb1 with num NULL");
    check(num == 12345, "cfb1 leaves num alone");

    context = "keys Camellia_set_key did not fill";
    CAMELLIA_KEY bad;
    unsigned char ref[16];
    Camellia_encrypt(in, ref, &k);
    static const int bad_rounds[] = {0, 1, 2, 5, 18, 24, -1, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad_rounds / sizeof bad_rounds[0]; i++) {
        memcpy(&bad, &k, sizeof k);
        bad.grand_rounds = bad_rounds[i];
        memset(out, 0xEE, 32);
        memcpy(iv, iv_before, 16);
        num = 0;
        unum = 0;
        Camellia_encrypt(in, out, &bad);
        Camellia_decrypt(in, out, &bad);
        Camellia_ecb_encrypt(in, out, &bad, 1);
        Camellia_cbc_encrypt(in, out, 32, &bad, iv, 1);
        Camellia_cfb128_encrypt(in, out, 32, &bad, iv, &num, 1);
        Camellia_cfb8_encrypt(in, out, 32, &bad, iv, &num, 1);
        Camellia_cfb1_encrypt(in, out, 32, &bad, iv, &num, 1);
        Camellia_ofb128_encrypt(in, out, 32, &bad, iv, &num);
        Camellia_ctr128_encrypt(in, out, 32, &bad, iv, ecount, &unum);
        for (int j = 0; j < 32; j++)
            check(out[j] == 0xEE, "no output from an unset key");
        check_bytes(iv, iv_before, 16, "ivec untouched");
    }
    memset(&bad, 0, sizeof bad);
    Camellia_encrypt(in, out, &bad);
    check(out[0] == 0xEE, "a zeroed key does nothing");

    /* The padding after grand_rounds holds a backend code: any value is harmless. */
    static const unsigned int codes[] = {0, 1, 2, 3, 4, 5, 6, 0xFFFFFFFFu, 0x12345678u};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        unsigned char raw[sizeof(CAMELLIA_KEY) + 1];
        memcpy(raw, &k, sizeof k);
        memcpy(raw + 276, &codes[i], 4);
        memcpy(&bad, raw, sizeof bad);
        Camellia_encrypt(in, out, &bad);
        check_bytes(out, ref, 16, "a changed backend code gives the same result");
        /* A misaligned copy of the key (the library copies it before use). */
        memmove(raw + 1, raw, sizeof(CAMELLIA_KEY));
        Camellia_encrypt(in, out, (const CAMELLIA_KEY *)(void *)(raw + 1));
        check_bytes(out, ref, 16, "a misaligned key works");
    }

    context = "lengths no buffer can have";
    memset(out, 0xEE, 32);
    memcpy(iv, iv_before, 16);
    num = 0;
    unum = 0;
    Camellia_cbc_encrypt(in, out, (size_t)PTRDIFF_MAX + 1, &k, iv, 1);
    Camellia_cbc_encrypt(in, out, SIZE_MAX, &k, iv, 0);
    Camellia_cfb128_encrypt(in, out, SIZE_MAX, &k, iv, &num, 1);
    Camellia_cfb8_encrypt(in, out, SIZE_MAX, &k, iv, &num, 1);
    Camellia_ofb128_encrypt(in, out, SIZE_MAX, &k, iv, &num);
    Camellia_ctr128_encrypt(in, out, SIZE_MAX, &k, iv, ecount, &unum);
    check(out[0] == 0xEE && num == 0 && unum == 0, "nothing happens");
    check_bytes(iv, iv_before, 16, "ivec untouched");

    free(o1);
    free(o2);
    free(in);
    free(out);
}
#endif

/* ------------------------------------------------------------------------------------ */
/* Differential transcript                                                              */
/* ------------------------------------------------------------------------------------ */

static uint64_t rng_state;

/* SplitMix64: a fixed, portable sequence, so both builds see the same inputs. */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)rnd();
}

/* A length: mostly short, sometimes across several 64-block batches. */
static size_t rand_len(size_t big)
{
    switch (below(4)) {
    case 0:
        return below(17);
    case 1:
        return below(80);
    case 2:
        return below(400);
    default:
        return below(big + 1);
    }
}

static int rand_enc(void)
{
    static const int encs[] = {CAMELLIA_ENCRYPT, CAMELLIA_DECRYPT, 2, -1};
    return encs[below(4)];
}

/*
 * An input buffer of `in_n` bytes and an output buffer of `out_n` bytes, random
 * contents; one third of the time a single buffer of the larger size (in place).
 */
static void buffers(size_t in_n, size_t out_n, unsigned char **in, unsigned char **out,
                    int *in_place)
{
    *in_place = below(3) == 0;
    size_t n = *in_place && out_n > in_n ? out_n : in_n;
    *in = xmalloc(n);
    fill(*in, n);
    if (*in_place) {
        *out = *in;
    } else {
        *out = xmalloc(out_n);
        fill(*out, out_n);
    }
}

static void release(unsigned char *in, unsigned char *out)
{
    if (out != in)
        free(out);
    free(in);
}

static void diff_round(unsigned long r)
{
    static const int sizes[] = {128, 192, 256};
    int bits = sizes[below(3)];
    unsigned char user[32], iv[16], ecount[16];
    CAMELLIA_KEY k;
    fill(user, 32);
    printf("round %lu bits=%d set_key=%d", r, bits, Camellia_set_key(user, bits, &k));
    put_hex("key", user, (size_t)bits / 8);
    printf("\n");

    /* Single blocks. */
    {
        unsigned char b[16], o[16];
        fill(b, 16);
        Camellia_encrypt(b, o, &k);
        put_hex("E", o, 16);
        Camellia_decrypt(b, o, &k);
        put_hex("D", o, 16);
        int enc = rand_enc();
        Camellia_ecb_encrypt(b, b, &k, enc);
        printf(" ecb enc=%d", enc);
        put_hex("out", b, 16);
        printf("\n");
    }

    /* CBC: any length (partial blocks included), any enc, chained calls. */
    fill(iv, 16);
    for (int call = 0, calls = 1 + (int)below(3); call < calls; call++) {
        size_t len = rand_len(3000), span = (len + 15) / 16 * 16;
        int enc = rand_enc(), in_place;
        unsigned char *in, *out;
        /* Encryption writes `span` bytes; decryption reads `span` bytes. */
        buffers(enc ? len : span, enc ? span : len, &in, &out, &in_place);
        Camellia_cbc_encrypt(in, out, len, &k, iv, enc);
        printf("cbc len=%zu enc=%d inplace=%d", len, enc, in_place);
        /* In place, the whole buffer: decryption must not touch the bytes past len. */
        put_hex("out", out, enc || in_place ? span : len);
        put_hex("iv", iv, 16);
        printf("\n");
        release(in, out);
    }

    /* CFB128 and OFB: chained calls from a random num, sometimes a negative one. */
    for (int m = 0; m < 2; m++) {
        fill(iv, 16);
        int num = (int)below(16), enc = rand_enc();
        if (below(10) == 0)
            num = below(2) ? -1 : INT_MIN + (int)below(100);
        for (int call = 0, calls = 1 + (int)below(4); call < calls; call++) {
            size_t len = rand_len(3000);
            int in_place;
            unsigned char *in, *out;
            buffers(len, len, &in, &out, &in_place);
            if (m == 0)
                Camellia_cfb128_encrypt(in, out, len, &k, iv, &num, enc);
            else
                Camellia_ofb128_encrypt(in, out, len, &k, iv, &num);
            printf("%s len=%zu enc=%d inplace=%d num=%d", m ? "ofb" : "cfb128", len,
                   enc, in_place, num);
            put_hex("out", out, len);
            put_hex("iv", iv, 16);
            printf("\n");
            release(in, out);
        }
    }

    /* CFB8: chained calls; num is passed but not used. */
    {
        fill(iv, 16);
        int enc = rand_enc(), num = (int)rnd();
        for (int call = 0, calls = 1 + (int)below(3); call < calls; call++) {
            size_t len = rand_len(600);
            int in_place;
            unsigned char *in, *out;
            buffers(len, len, &in, &out, &in_place);
            Camellia_cfb8_encrypt(in, out, len, &k, iv, &num, enc);
            printf("cfb8 len=%zu enc=%d inplace=%d num=%d", len, enc, in_place, num);
            put_hex("out", out, len);
            put_hex("iv", iv, 16);
            printf("\n");
            release(in, out);
        }
    }

    /* CFB1: lengths in bits; out's bits past the length must survive. */
    {
        fill(iv, 16);
        int enc = rand_enc(), num = (int)rnd();
        for (int call = 0, calls = 1 + (int)below(3); call < calls; call++) {
            size_t nbits = below(4) ? below(70) : below(1200);
            size_t bytes = (nbits + 7) / 8;
            int in_place;
            unsigned char *in, *out;
            buffers(bytes, bytes, &in, &out, &in_place);
            Camellia_cfb1_encrypt(in, out, nbits, &k, iv, &num, enc);
            printf("cfb1 bits=%zu enc=%d inplace=%d num=%d", nbits, enc, in_place, num);
            put_hex("out", out, bytes);
            put_hex("iv", iv, 16);
            printf("\n");
            release(in, out);
        }
    }

    /* CTR: random counters, often about to carry across many bytes or wrap around. */
    {
        fill(iv, 16);
        fill(ecount, 16);
        switch (below(4)) {
        case 0:
            memset(iv + 8 + below(8), 0xFF, 8);
            break;
        case 1:
            memset(iv, 0xFF, 16);
            iv[15] = (unsigned char)(0xFF - below(4));
            break;
        default:
            break;
        }
        /* Partly-used keystream block (num > 0) only makes sense with its ecount. */
        unsigned int num = (unsigned int)below(16);
        for (int call = 0, calls = 1 + (int)below(4); call < calls; call++) {
            size_t len = rand_len(5000);
            int in_place;
            unsigned char *in, *out;
            buffers(len, len, &in, &out, &in_place);
            Camellia_ctr128_encrypt(in, out, len, &k, iv, ecount, &num);
            printf("ctr len=%zu inplace=%d num=%u", len, in_place, num);
            put_hex("out", out, len);
            put_hex("iv", iv, 16);
            put_hex("ecount", ecount, 16);
            printf("\n");
            release(in, out);
        }
    }
}

int main(int argc, char **argv)
{
    /* Referenced so that the prototype checks above are not unused. */
    if (!p_set_key || !p_encrypt || !p_decrypt || !p_ecb || !p_cbc || !p_cfb128 || !p_cfb1 ||
        !p_cfb8 || !p_ofb128 || !p_ctr128)
        return 2;
    if (argc == 3 && strcmp(argv[1], "vectors") == 0) {
        rfc3713();
        evp_file(argv[2]);
        error_codes();
#ifndef USE_OPENSSL
        tsubaki_definitions();
#endif
        context = "stanza count";
        check(stanzas_run == 87, "all 87 stanzas of evpciph_camellia.txt ran");
        printf("%s: %lu stanzas (ECB %lu, CBC %lu, CFB128 %lu, OFB %lu, CTR %lu), "
               "%lu checks, %lu failures\n",
               IMPL, stanzas_run, stanzas_by_mode[ECB], stanzas_by_mode[CBC],
               stanzas_by_mode[CFB], stanzas_by_mode[OFB], stanzas_by_mode[CTR], checks,
               failures);
        return failures ? 1 : 0;
    }
    if (argc == 4 && strcmp(argv[1], "diff") == 0) {
        rng_state = strtoull(argv[2], NULL, 0);
        unsigned long n = strtoul(argv[3], NULL, 0);
        for (unsigned long r = 0; r < n; r++)
            diff_round(r);
        return 0;
    }
    fprintf(stderr, "usage: %s vectors FILE | diff SEED ROUNDS\n", argv[0]);
    return 2;
}
