/* The tsubaki_stats_*, tsubaki_threshold_* and tsubaki_paillier_packed_* API
 * (include/tsubaki.h) tested from C:
 * - a whole statistics round with each engine (Paillier, Shamir) over the files of
 *   FIXTURE (round.json, keyshare-<m>.sealed, keys/<id>.pem, values-<org>.json: what
 *   `tsubaki stats setup` and `tsubaki keygen` leave; made by ffi/tests/c_abi.rs):
 *   contribute, aggregate (a tampered contribution and a duplicate refused, each by its
 *   position and cause, the rest summed), partial (a second partial of the same member
 *   in the same round refused by the journal in JOURNALS), combine to the plain sums;
 * - threshold Paillier dealt from the fixed safe primes (FIXTURE/p.bin, q.bin): key and
 *   share import/export, decryption shares, verification, combination;
 * - packed vectors: encrypt, add, decrypt with the secret key and with shares;
 * - bad input: NULL pointers and handles, a handle of another type, zero and huge
 *   lengths and counts, too-small buffers with the size query, malformed encodings,
 *   unknown formats, out-of-range arguments: each a typed status.
 * Every handle is freed: valgrind's leak check must find nothing.
 * Usage: stats_test FIXTURE JOURNALS [--quick]. Prints "N checks, 0 failures". */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tsubaki.h"

static unsigned long checks, failures;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
    fputc('\n', stderr); } } while (0)
#define ST(call, want, what) do { tsubaki_status st_ = (call); \
    CHECK(st_ == (want), "%s: got %u (%s), want %u", what, (unsigned)st_, \
          tsubaki_error_string(st_), (unsigned)(want)); } while (0)

static const char *fixture, *journals;

typedef struct { uint8_t *p; size_t len; } buf;

static buf slurp(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    buf b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.p = malloc(n > 0 ? (size_t)n : 1);
    b.len = fread(b.p, 1, (size_t)n, f);
    fclose(f);
    return b;
}

/* The JSON of a message, with the size query first as a C caller would; frees `msg`. */
static buf take(tsubaki_stats_message *msg) {
    buf b = {NULL, 0};
    ST(tsubaki_stats_message_json(msg, NULL, &b.len), TSUBAKI_STATUS_OK, "message size query");
    b.p = malloc(b.len + 1);
    ST(tsubaki_stats_message_json(msg, b.p, &b.len), TSUBAKI_STATUS_OK, "message json");
    b.p[b.len] = 0;
    tsubaki_stats_message_free(msg);
    return b;
}

/* `text` with its whitespace removed (malloc'ed, NUL-terminated). */
static char *compact(const buf *b) {
    char *s = malloc(b->len + 1);
    size_t k = 0;
    for (size_t i = 0; i < b->len; i++)
        if (b->p[i] != ' ' && b->p[i] != '\n' && b->p[i] != '\t' && b->p[i] != '\r') s[k++] = (char)b->p[i];
    s[k] = 0;
    return s;
}

/* A copy of `b` with one hex digit of its "signature" field changed. */
static buf tamper_signature(const buf *b) {
    buf t = {malloc(b->len + 1), b->len};
    memcpy(t.p, b->p, b->len);
    t.p[t.len] = 0;
    char *sig = strstr((char *)t.p, "\"signature\": \"");
    CHECK(sig != NULL, "a signature field");
    if (sig) {
        char *d = sig + strlen("\"signature\": \"") + 10;
        *d = *d == '0' ? '1' : '0';
    }
    return t;
}

static void contribute(const char *dir, const buf *round, const char *org, buf *out) {
    char name[256];
    snprintf(name, sizeof name, "keys/%s.pem", org);
    buf key = slurp(fixture, name);
    snprintf(name, sizeof name, "values-%s.json", org);
    buf values = slurp(fixture, name);
    tsubaki_stats_message *msg = NULL;
    ST(tsubaki_stats_contribute(round->p, round->len, org, TSUBAKI_KEY_PKCS8_PEM, key.p, key.len,
                                values.p, values.len, &msg),
       TSUBAKI_STATUS_OK, dir);
    *out = take(msg);
    CHECK(strstr((char *)out->p, org) != NULL, "%s: the contribution names %s", dir, org);
    free(key.p);
    free(values.p);
}

static tsubaki_status partial(const buf *round, const char *member, const char *key_of,
                              const buf *sealed, const buf *agg, const buf *cs, size_t n,
                              const char *journal, buf *out) {
    char name[256];
    snprintf(name, sizeof name, "keys/%s.pem", key_of);
    buf key = slurp(fixture, name);
    const uint8_t *ptrs[8];
    size_t lens[8];
    for (size_t i = 0; i < n; i++) { ptrs[i] = cs[i].p; lens[i] = cs[i].len; }
    char jpath[4096];
    snprintf(jpath, sizeof jpath, "%s/%s", journals, journal);
    tsubaki_stats_message *msg = NULL;
    tsubaki_status st = tsubaki_stats_partial(
        round->p, round->len, member, TSUBAKI_KEY_PKCS8_PEM, key.p, key.len,
        sealed ? sealed->p : NULL, sealed ? sealed->len : 0, agg->p, agg->len, ptrs, lens, n,
        jpath, &msg);
    if (st == TSUBAKI_STATUS_OK) *out = take(msg);
    else CHECK(msg == NULL, "no handle on failure");
    free(key.p);
    return st;
}

/* One round with the engine of FIXTURE/sub/round.json. */
static void round_tests(const char *sub, int shamir) {
    char name[256];
    snprintf(name, sizeof name, "%sround.json", sub);
    buf round = slurp(fixture, name);
    buf c[3];
    const char *orgs[3] = {"org-a", "org-b", "org-c"};
    for (int i = 0; i < 3; i++) contribute(sub, &round, orgs[i], &c[i]);

    /* Aggregate: Paillier: a, b, c tampered, a again (duplicate), not JSON; Shamir: all. */
    buf bad = tamper_signature(&c[2]);
    const uint8_t *ptrs[5] = {c[0].p, c[1].p, shamir ? c[2].p : bad.p, c[0].p, (const uint8_t *)"{oops"};
    size_t lens[5] = {c[0].len, c[1].len, shamir ? c[2].len : bad.len, c[0].len, 5};
    tsubaki_status statuses[5];
    tsubaki_stats_message *msg = NULL;
    ST(tsubaki_stats_aggregate(round.p, round.len, ptrs, lens, 5, 1, statuses, &msg),
       TSUBAKI_STATUS_OK, "aggregate");
    buf agg = take(msg);
    ST(statuses[0], TSUBAKI_STATUS_OK, "input 0 accepted");
    ST(statuses[1], TSUBAKI_STATUS_OK, "input 1 accepted");
    if (!shamir) {
        ST(statuses[2], TSUBAKI_STATUS_INVALID_SIGNATURE, "input 2 (org-c, tampered) rejected by cause");
        fprintf(stderr, "input 2 (org-c) rejected: %s\n", tsubaki_error_string(statuses[2]));
    } else {
        ST(statuses[2], TSUBAKI_STATUS_OK, "input 2 accepted");
    }
    ST(statuses[3], TSUBAKI_STATUS_DUPLICATE_CONTRIBUTOR, "input 3 (org-a again) rejected as a duplicate");
    ST(statuses[4], TSUBAKI_STATUS_INVALID_ENCODING, "input 4 (not JSON) rejected");
    CHECK(strstr((char *)agg.p, "org-c") == NULL || shamir, "the tampered org is not in the aggregate");
    /* Nothing accepted: REJECTED and no handle; an aggregate merged into an aggregate
     * that already holds its orgs is a duplicate. */
    msg = (tsubaki_stats_message *)1;
    ST(tsubaki_stats_aggregate(round.p, round.len, ptrs + 3, lens + 3, 2, 1, statuses, &msg),
       TSUBAKI_STATUS_OK, "aggregate of a single contribution");
    tsubaki_stats_message_free(msg);
    const uint8_t *junk[1] = {(const uint8_t *)"{oops"};
    size_t junk_len[1] = {5};
    msg = (tsubaki_stats_message *)1;
    ST(tsubaki_stats_aggregate(round.p, round.len, junk, junk_len, 1, 1, statuses, &msg),
       TSUBAKI_STATUS_REJECTED, "no input accepted");
    CHECK(msg == NULL, "no handle when nothing is accepted");
    const uint8_t *twice[2] = {agg.p, c[0].p};
    size_t twice_len[2] = {agg.len, c[0].len};
    ST(tsubaki_stats_aggregate(round.p, round.len, twice, twice_len, 2, 0, statuses, &msg),
       TSUBAKI_STATUS_OK, "an aggregate as input");
    tsubaki_stats_message_free(msg);
    ST(statuses[0], TSUBAKI_STATUS_OK, "the aggregate merged");
    ST(statuses[1], TSUBAKI_STATUS_DUPLICATE_CONTRIBUTOR, "a contribution it holds: duplicate");

    /* Partials: m1, then m1 again (refused by the journal), m2. */
    buf s1 = {NULL, 0}, s2 = {NULL, 0}, s3 = {NULL, 0};
    if (!shamir) {
        s1 = slurp(fixture, "keyshare-m1.sealed");
        s2 = slurp(fixture, "keyshare-m2.sealed");
        s3 = slurp(fixture, "keyshare-m3.sealed");
    }
    char j1[64], j2[64], j3[64];
    snprintf(j1, sizeof j1, "%sm1.journal", shamir ? "shamir-" : "");
    snprintf(j2, sizeof j2, "%sm2.journal", shamir ? "shamir-" : "");
    snprintf(j3, sizeof j3, "%sm3.journal", shamir ? "shamir-" : "");
    buf p1 = {NULL, 0}, p2 = {NULL, 0}, p3 = {NULL, 0}, none = {NULL, 0};
    const buf *sh1 = shamir ? NULL : &s1, *sh2 = shamir ? NULL : &s2, *sh3 = shamir ? NULL : &s3;
    /* Refusals before the journal: another member's key, an aggregate missing a listed
     * contribution, a share sealed to another member. Then m3's journal is still empty. */
    ST(partial(&round, "m3", "m1", sh3, &agg, c, 3, j3, &none),
       shamir ? TSUBAKI_STATUS_KEY_MISMATCH : TSUBAKI_STATUS_AUTHENTICATION_FAILED, "m3 with m1's key");
    ST(partial(&round, "m3", "m3", sh3, &agg, c, 1, j3, &none), TSUBAKI_STATUS_AGGREGATE_MISMATCH,
       "the listed contributions are not all given");
    if (!shamir)
        ST(partial(&round, "m3", "m3", &s1, &agg, c, 3, j3, &none),
           TSUBAKI_STATUS_AUTHENTICATION_FAILED, "m1's sealed share opened by m3");
    ST(partial(&round, "m9", "m3", sh3, &agg, c, 3, j3, &none),
       shamir ? TSUBAKI_STATUS_NOT_ON_ROSTER : TSUBAKI_STATUS_AUTHENTICATION_FAILED, "not a member");
    ST(partial(&round, "m1", "m1", sh1, &agg, c, 3, j1, &p1), TSUBAKI_STATUS_OK, "partial m1");
    ST(partial(&round, "m1", "m1", sh1, &agg, c, 3, j1, &none), TSUBAKI_STATUS_ALREADY_DECRYPTED,
       "a second partial of m1 in this round");
    ST(partial(&round, "m2", "m2", sh2, &agg, c, 3, j2, &p2), TSUBAKI_STATUS_OK, "partial m2");
    ST(partial(&round, "m3", "m3", sh3, &agg, c, 3, j3, &p3), TSUBAKI_STATUS_OK,
       "partial m3 (its journal untouched by the refusals)");
    if (!shamir)
        ST(partial(&round, "m1", "m1", NULL, &agg, c, 3, j1, &none), TSUBAKI_STATUS_NULL_POINTER,
           "a Paillier round needs the sealed share");
    else
        ST(partial(&round, "m1", "m1", &c[0], &agg, c, 3, j1, &none), TSUBAKI_STATUS_INVALID_ARGUMENT,
           "a Shamir round has no key share");

    /* Combine: a tampered partial is left out (by position), the other two open. */
    buf bp = tamper_signature(&p2);
    const uint8_t *pp[4] = {p1.p, bp.p, p1.p, p3.p};
    size_t pl[4] = {p1.len, bp.len, p1.len, p3.len};
    tsubaki_status ps[4];
    ST(tsubaki_stats_combine(round.p, round.len, agg.p, agg.len, pp, pl, 4, ps, &msg),
       TSUBAKI_STATUS_OK, "combine");
    buf report = take(msg);
    ST(ps[0], TSUBAKI_STATUS_OK, "partial 0 used");
    ST(ps[1], TSUBAKI_STATUS_INVALID_SIGNATURE, "partial 1 (tampered) left out");
    ST(ps[2], TSUBAKI_STATUS_REJECTED, "partial 2 (m1 again) left out");
    ST(ps[3], TSUBAKI_STATUS_OK, "partial 3 used");
    char *r = compact(&report);
    if (shamir) {
        CHECK(strstr(r, "\"incidents\":{\"count\":3,\"sum\":600}") != NULL, "Shamir sums: %s", r);
        CHECK(strstr(r, "\"phished\":{\"count\":2}") != NULL, "Shamir count: %s", r);
    } else {
        CHECK(strstr(r, "\"incidents\":{\"count\":2,\"sum\":300}") != NULL, "Paillier sums: %s", r);
        CHECK(strstr(r, "\"phished\":{\"count\":1}") != NULL, "Paillier count: %s", r);
    }
    CHECK(strstr(r, "\"valid\":true") != NULL, "valid report: %s", r);
    free(r);
    msg = (tsubaki_stats_message *)1;
    ST(tsubaki_stats_combine(round.p, round.len, agg.p, agg.len, pp, pl, 2, ps, &msg),
       TSUBAKI_STATUS_REJECTED, "fewer than t valid partials");
    CHECK(msg == NULL, "no report");
    ST(tsubaki_stats_combine(round.p, round.len, agg.p, agg.len, pp, pl, 1, NULL, &msg),
       TSUBAKI_STATUS_REJECTED, "one partial, no status array");

    if (shamir) {
        /* Bad input, once (in the Shamir round: cheap enough for the valgrind run). */
        buf key = slurp(fixture, "keys/org-a.pem");
        buf values = slurp(fixture, "values-org-a.json");
        ST(tsubaki_stats_contribute(NULL, round.len, "org-a", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_NULL_POINTER, "NULL round");
        ST(tsubaki_stats_contribute(round.p, 0, "org-a", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_INVALID_ENCODING, "empty round");
        ST(tsubaki_stats_contribute(round.p, round.len - 2, "org-a", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_INVALID_ENCODING, "truncated round");
        ST(tsubaki_stats_contribute(round.p, SIZE_MAX, "org-a", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_INVALID_LENGTH, "huge length");
        ST(tsubaki_stats_contribute(round.p, round.len, NULL, TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_NULL_POINTER, "NULL org");
        ST(tsubaki_stats_contribute(round.p, round.len, "org-x", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_NOT_ON_ROSTER, "org not on the roster");
        ST(tsubaki_stats_contribute(round.p, round.len, "org-b", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_KEY_MISMATCH, "org-a's key for org-b");
        ST(tsubaki_stats_contribute(round.p, round.len, "org-a", 99, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_INVALID_ARGUMENT, "unknown key format");
        ST(tsubaki_stats_contribute(round.p, round.len, "org-a", TSUBAKI_KEY_PKCS8_DER, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_INVALID_ENCODING, "PEM read as DER");
        const char *big = "{\"incidents\": 1001, \"phished\": true}";
        ST(tsubaki_stats_contribute(round.p, round.len, "org-a", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, (const uint8_t *)big, strlen(big), &msg),
           TSUBAKI_STATUS_INVALID_ARGUMENT, "a value above its bound");
        ST(tsubaki_stats_contribute(round.p, round.len, "org-a", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, NULL),
           TSUBAKI_STATUS_NULL_POINTER, "NULL out");
        /* A round manifest altered after signing. */
        buf altered = {malloc(round.len), round.len};
        memcpy(altered.p, round.p, round.len);
        char *t = strstr((char *)altered.p, "from C");
        if (t) t[0] = 'F';
        ST(tsubaki_stats_contribute(altered.p, altered.len, "org-a", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, values.p, values.len, &msg),
           TSUBAKI_STATUS_INVALID_ENCODING, "tampered manifest");
        free(altered.p);
        ST(tsubaki_stats_aggregate(round.p, round.len, NULL, lens, 2, 1, statuses, &msg),
           TSUBAKI_STATUS_NULL_POINTER, "NULL message array");
        ST(tsubaki_stats_aggregate(round.p, round.len, ptrs, lens, (size_t)1 << 40, 1, NULL, &msg),
           TSUBAKI_STATUS_INVALID_LENGTH, "huge count");
        statuses[0] = TSUBAKI_STATUS_PANIC;
        ST(tsubaki_stats_combine(round.p, round.len, agg.p, agg.len, ptrs, lens, SIZE_MAX, statuses, &msg),
           TSUBAKI_STATUS_INVALID_LENGTH, "huge count, refused before the status array is touched");
        CHECK(statuses[0] == TSUBAKI_STATUS_PANIC, "nothing written");
        ST(tsubaki_stats_aggregate(round.p, round.len, ptrs, lens, 0, 1, NULL, &msg),
           TSUBAKI_STATUS_REJECTED, "no input");
        const uint8_t *nul[1] = {NULL};
        size_t one[1] = {3};
        ST(tsubaki_stats_aggregate(round.p, round.len, nul, one, 1, 1, NULL, &msg),
           TSUBAKI_STATUS_NULL_POINTER, "a NULL message");
        ST(tsubaki_stats_partial(round.p, round.len, "m3", TSUBAKI_KEY_PKCS8_PEM, key.p, key.len, s3.p, s3.len,
                                 agg.p, agg.len, ptrs, lens, 3, NULL, &msg),
           TSUBAKI_STATUS_NULL_POINTER, "NULL journal path");
        char jdir[4096];
        snprintf(jdir, sizeof jdir, "%s/no/such/dir/j", journals);
        buf m3 = slurp(fixture, "keys/m3.pem");
        ST(tsubaki_stats_partial(round.p, round.len, "m3", TSUBAKI_KEY_PKCS8_PEM, m3.p, m3.len, s3.p, s3.len,
                                 agg.p, agg.len, ptrs, lens, 3, jdir, &msg),
           TSUBAKI_STATUS_JOURNAL_FAILURE, "a journal that cannot be written");
        free(m3.p);
        ST(tsubaki_stats_combine(round.p, round.len, (const uint8_t *)"[]", 2, pp, pl, 2, ps, &msg),
           TSUBAKI_STATUS_INVALID_ENCODING, "an aggregate that is not one");
        /* The message handle: size query, too small, wrong handle types. */
        ST(tsubaki_stats_aggregate(round.p, round.len, ptrs, lens, 3, 1, NULL, &msg), TSUBAKI_STATUS_OK, "aggregate again");
        size_t need = 0, small = 10;
        uint8_t tiny[10];
        ST(tsubaki_stats_message_json(msg, NULL, &need), TSUBAKI_STATUS_OK, "size query");
        CHECK(need == agg.len, "the same aggregate JSON (%zu, %zu)", need, agg.len);
        ST(tsubaki_stats_message_json(msg, tiny, &small), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "too small");
        CHECK(small == need, "too small tells the size");
        ST(tsubaki_stats_message_json(msg, tiny, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL out_len");
        ST(tsubaki_stats_message_json(NULL, NULL, &need), TSUBAKI_STATUS_NULL_POINTER, "NULL message");
        uint64_t foreign[4] = {0};
        ST(tsubaki_stats_message_json((const tsubaki_stats_message *)foreign, NULL, &need),
           TSUBAKI_STATUS_INVALID_HANDLE, "not a message");
        tsubaki_stats_message_free((tsubaki_stats_message *)foreign);
        tsubaki_stats_message_free(NULL);
        buf again = take(msg);
        CHECK(again.len == agg.len && memcmp(again.p, agg.p, agg.len) == 0, "aggregation is deterministic");
        free(again.p);
        free(key.p);
        free(values.p);
    }

    free(bp.p);
    free(report.p);
    free(p1.p); free(p2.p); free(p3.p);
    free(s1.p); free(s2.p); free(s3.p);
    free(agg.p);
    free(bad.p);
    for (int i = 0; i < 3; i++) free(c[i].p);
    free(round.p);
}

static void threshold_tests(void) {
    buf p = slurp(fixture, "p.bin"), q = slurp(fixture, "q.bin");
    tsubaki_threshold_pubkey *tpk = NULL;
    tsubaki_threshold_keyshare *ks[3] = {NULL, NULL, NULL};
    tsubaki_threshold_keyshare *ks4[4];
    ST(tsubaki_threshold_deal(p.p, p.len, q.p, q.len, 5, 4, &tpk, ks4), TSUBAKI_STATUS_INVALID_ARGUMENT, "t > n");
    CHECK(tpk == NULL && ks4[0] == NULL && ks4[3] == NULL, "NULL outputs on failure");
    ST(tsubaki_threshold_deal(p.p, p.len, q.p, q.len, 1, 4, &tpk, ks4), TSUBAKI_STATUS_INVALID_ARGUMENT, "t = 1");
    ST(tsubaki_threshold_deal(p.p, p.len, q.p, q.len, 2, 0, &tpk, ks4), TSUBAKI_STATUS_INVALID_ARGUMENT, "n = 0");
    ST(tsubaki_threshold_deal(p.p, p.len, p.p, p.len, 2, 3, &tpk, ks), TSUBAKI_STATUS_INVALID_SECRET_KEY, "p = q");
    ST(tsubaki_threshold_deal(NULL, p.len, q.p, q.len, 2, 3, &tpk, ks), TSUBAKI_STATUS_NULL_POINTER, "NULL p");
    ST(tsubaki_threshold_deal(p.p, p.len, q.p, q.len, 2, 3, NULL, ks), TSUBAKI_STATUS_NULL_POINTER, "NULL pub out");
    ST(tsubaki_threshold_deal(p.p, p.len, q.p, q.len, 2, 3, &tpk, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL shares");
    ST(tsubaki_threshold_generate(1000, 2, 3, NULL, NULL, &tpk, ks), TSUBAKI_STATUS_INVALID_ARGUMENT, "1000 bits");
    ST(tsubaki_threshold_generate(2048, 3, 2, NULL, NULL, &tpk, ks), TSUBAKI_STATUS_INVALID_ARGUMENT, "t > n (generate)");
    ST(tsubaki_threshold_deal(p.p, p.len, q.p, q.len, 2, 3, &tpk, ks), TSUBAKI_STATUS_OK, "deal 2 of 3");
    uint32_t t = 0, n = 0, idx = 0;
    ST(tsubaki_threshold_pubkey_params(tpk, &t, &n), TSUBAKI_STATUS_OK, "params");
    CHECK(t == 2 && n == 3, "t = %u, n = %u", t, n);
    ST(tsubaki_threshold_keyshare_index(ks[2], &idx), TSUBAKI_STATUS_OK, "index");
    CHECK(idx == 3, "share 3 has index %u", idx);

    /* Import/export round trips; bad encodings. */
    size_t len = 0;
    ST(tsubaki_threshold_pubkey_export(tpk, NULL, &len), TSUBAKI_STATUS_OK, "pub size query");
    uint8_t *pub = malloc(len);
    size_t small = len - 1;
    ST(tsubaki_threshold_pubkey_export(tpk, pub, &small), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "pub too small");
    CHECK(small == len, "too small tells the size");
    ST(tsubaki_threshold_pubkey_export(tpk, pub, &len), TSUBAKI_STATUS_OK, "pub export");
    tsubaki_threshold_pubkey *tpk2 = NULL;
    ST(tsubaki_threshold_pubkey_import(pub, len, &tpk2), TSUBAKI_STATUS_OK, "pub import");
    tsubaki_threshold_pubkey *tpk3 = (tsubaki_threshold_pubkey *)1;
    ST(tsubaki_threshold_pubkey_import(pub, len - 1, &tpk3), TSUBAKI_STATUS_INVALID_ENCODING, "truncated pub");
    CHECK(tpk3 == NULL, "NULL on failure");
    ST(tsubaki_threshold_pubkey_import(pub, 0, &tpk3), TSUBAKI_STATUS_INVALID_ENCODING, "empty pub");
    ST(tsubaki_threshold_pubkey_import(NULL, 5, &tpk3), TSUBAKI_STATUS_NULL_POINTER, "NULL pub");
    size_t slen = 0;
    ST(tsubaki_threshold_keyshare_export(ks[0], NULL, &slen), TSUBAKI_STATUS_OK, "share size query");
    uint8_t *sb = malloc(slen);
    ST(tsubaki_threshold_keyshare_export(ks[0], sb, &slen), TSUBAKI_STATUS_OK, "share export");
    tsubaki_threshold_keyshare *k0 = NULL;
    ST(tsubaki_threshold_keyshare_import(sb, slen, &k0), TSUBAKI_STATUS_OK, "share import");
    sb[slen - 1] ^= 1;
    tsubaki_threshold_keyshare *kx = NULL;
    ST(tsubaki_threshold_keyshare_import(sb, slen, &kx), TSUBAKI_STATUS_REJECTED, "corrupted share");
    ST(tsubaki_threshold_keyshare_import(sb, 7, &kx), TSUBAKI_STATUS_INVALID_ENCODING, "truncated share");
    ST(tsubaki_threshold_keyshare_import(pub, len, &kx), TSUBAKI_STATUS_INVALID_ENCODING, "a public key as a share");
    CHECK(kx == NULL, "NULL on failure");
    ST(tsubaki_threshold_keyshare_index((const tsubaki_threshold_keyshare *)tpk, &idx),
       TSUBAKI_STATUS_INVALID_HANDLE, "a public key as a share handle");
    tsubaki_threshold_pubkey *from_share = NULL;
    ST(tsubaki_threshold_keyshare_public(k0, &from_share), TSUBAKI_STATUS_OK, "share's public key");

    /* Encrypt 40 and 2 under the key, add, decrypt with shares 1 and 3. */
    tsubaki_paillier_pubkey *pk = NULL;
    ST(tsubaki_threshold_pubkey_paillier(tpk2, &pk), TSUBAKI_STATUS_OK, "Paillier key");
    uint8_t c1[1100], c2[1100], c[1100];
    size_t c1l = sizeof c1, c2l = sizeof c2, cl = sizeof c;
    ST(tsubaki_paillier_encrypt_i64(pk, 40, c1, &c1l), TSUBAKI_STATUS_OK, "encrypt 40");
    ST(tsubaki_paillier_encrypt_i64(pk, -2, c2, &c2l), TSUBAKI_STATUS_OK, "encrypt -2");
    ST(tsubaki_paillier_add(pk, c1, c1l, c2, c2l, c, &cl), TSUBAKI_STATUS_OK, "add");
    size_t dl = 0;
    ST(tsubaki_threshold_decrypt_share(k0, c, cl, NULL, &dl), TSUBAKI_STATUS_OK, "share size query");
    uint8_t *d1 = malloc(dl), *d3 = malloc(dl), *d2 = malloc(dl);
    size_t d1l = dl, d3l = dl, d2l = dl - 1;
    ST(tsubaki_threshold_decrypt_share(k0, c, cl, d2, &d2l), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "share too small");
    CHECK(d2l == dl, "too small tells the size");
    d2l = dl;
    ST(tsubaki_threshold_decrypt_share(k0, c, cl, d1, &d1l), TSUBAKI_STATUS_OK, "share 1");
    ST(tsubaki_threshold_decrypt_share(ks[2], c, cl, d3, &d3l), TSUBAKI_STATUS_OK, "share 3");
    ST(tsubaki_threshold_decrypt_share(ks[1], c, cl, d2, &d2l), TSUBAKI_STATUS_OK, "share 2");
    CHECK(d1l == dl && d3l == dl, "fixed share size");
    ST(tsubaki_threshold_decrypt_share(k0, c, cl - 1, d1, &d1l), TSUBAKI_STATUS_INVALID_ENCODING, "truncated ciphertext");
    CHECK(d1l == 0, "len 0 on failure");
    d1l = dl;
    ST(tsubaki_threshold_decrypt_share(k0, c, cl, d1, &d1l), TSUBAKI_STATUS_OK, "share 1 again");
    ST(tsubaki_threshold_verify_share(tpk, c, cl, d1, d1l), TSUBAKI_STATUS_OK, "verify share 1");
    ST(tsubaki_threshold_verify_share(tpk, c1, c1l, d1, d1l), TSUBAKI_STATUS_REJECTED, "share of another ciphertext");
    d2[dl - 5] ^= 1;
    ST(tsubaki_threshold_verify_share(tpk, c, cl, d2, d2l), TSUBAKI_STATUS_REJECTED, "tampered share");
    ST(tsubaki_threshold_verify_share(tpk, c, cl, d2, 10), TSUBAKI_STATUS_INVALID_ENCODING, "truncated share");
    ST(tsubaki_threshold_verify_share(tpk, c, cl, NULL, 10), TSUBAKI_STATUS_NULL_POINTER, "NULL share");
    const uint8_t *sp[3] = {d2, d1, d3};
    size_t sl[3] = {d2l, d1l, d3l};
    int64_t m = 0;
    ST(tsubaki_threshold_combine_i64(tpk, c, cl, sp, sl, 3, &m), TSUBAKI_STATUS_OK, "combine (one tampered of three)");
    CHECK(m == 38, "40 + (-2) = %lld", (long long)m);
    ST(tsubaki_threshold_combine_i64(tpk, c, cl, sp, sl, 2, &m), TSUBAKI_STATUS_REJECTED, "one valid of two");
    ST(tsubaki_threshold_combine_i64(tpk, c, cl, sp + 1, sl + 1, 1, &m), TSUBAKI_STATUS_REJECTED, "one share");
    ST(tsubaki_threshold_combine_i64(tpk, c, cl, sp, sl, 300, &m), TSUBAKI_STATUS_INVALID_LENGTH, "huge count");
    ST(tsubaki_threshold_combine_i64(tpk, c, cl, NULL, sl, 2, &m), TSUBAKI_STATUS_NULL_POINTER, "NULL shares");
    size_t ml = 0;
    ST(tsubaki_threshold_combine(tpk, c, cl, sp + 1, sl + 1, 2, NULL, &ml), TSUBAKI_STATUS_OK, "combine size query");
    CHECK(ml == 256, "n_len = %zu", ml);
    uint8_t *mb = malloc(ml);
    ST(tsubaki_threshold_combine(tpk, c, cl, sp + 1, sl + 1, 2, mb, &ml), TSUBAKI_STATUS_OK, "combine");
    CHECK(mb[ml - 1] == 38 && mb[0] == 0, "big-endian 38");

    /* Packed vectors under the same key: with the secret key (from the primes) and with shares. */
    tsubaki_paillier_packed_layout *lay = NULL;
    ST(tsubaki_paillier_packed_new(pk, 4, 1000, 3, &lay), TSUBAKI_STATUS_OK, "layout");
    tsubaki_paillier_packed_free(lay);
    ST(tsubaki_paillier_packed_new(pk, 0, 1000, 3, &lay), TSUBAKI_STATUS_INVALID_ARGUMENT, "0 slots");
    ST(tsubaki_paillier_packed_new(pk, 100000, 1000, 3, &lay), TSUBAKI_STATUS_INVALID_ARGUMENT, "too many slots");
    ST(tsubaki_paillier_packed_new(pk, 4, UINT64_MAX, 3, &lay), TSUBAKI_STATUS_INVALID_ARGUMENT, "bound overflow");
    CHECK(lay == NULL, "NULL on failure");
    ST(tsubaki_paillier_packed_new(pk, 4, 1000, 3, &lay), TSUBAKI_STATUS_OK, "layout again");
    size_t slots = 0;
    ST(tsubaki_paillier_packed_slots(lay, &slots), TSUBAKI_STATUS_OK, "slots");
    CHECK(slots == 4, "4 slots");
    uint64_t va[4] = {1, 2, 3, 1000}, vb[4] = {10, 20, 30, 0}, over[4] = {1, 2, 1001, 0};
    uint8_t pa[1100], pb[1100], ps[1100];
    size_t pal = sizeof pa, pbl = sizeof pb, psl = sizeof ps;
    ST(tsubaki_paillier_packed_encrypt(lay, pk, va, 4, pa, &pal), TSUBAKI_STATUS_OK, "packed encrypt a");
    ST(tsubaki_paillier_packed_encrypt(lay, pk, vb, 4, pb, &pbl), TSUBAKI_STATUS_OK, "packed encrypt b");
    size_t xl = sizeof ps;
    ST(tsubaki_paillier_packed_encrypt(lay, pk, over, 4, ps, &xl), TSUBAKI_STATUS_INVALID_ARGUMENT, "a value above max");
    ST(tsubaki_paillier_packed_encrypt(lay, pk, va, 3, ps, &xl), TSUBAKI_STATUS_INVALID_LENGTH, "3 values for 4 slots");
    ST(tsubaki_paillier_packed_encrypt(lay, pk, NULL, 4, ps, &xl), TSUBAKI_STATUS_NULL_POINTER, "NULL values");
    uint64_t count = 0;
    ST(tsubaki_paillier_packed_add(lay, pk, pa, pal, 1, pb, pbl, 1, ps, &psl, &count), TSUBAKI_STATUS_OK, "packed add");
    CHECK(count == 2, "2 contributions");
    xl = sizeof ps;
    ST(tsubaki_paillier_packed_add(lay, pk, pa, pal, 3, pb, pbl, 1, c, &xl, &count), TSUBAKI_STATUS_INVALID_ARGUMENT,
       "more contributions than the layout holds");
    ST(tsubaki_paillier_packed_add(lay, pk, pa, pal, 0, pb, pbl, 1, c, &xl, &count), TSUBAKI_STATUS_INVALID_ARGUMENT,
       "a count of 0");
    tsubaki_paillier_seckey *sk = NULL;
    ST(tsubaki_paillier_seckey_from_primes(p.p, p.len, q.p, q.len, &sk), TSUBAKI_STATUS_OK, "secret key from the primes");
    uint64_t out[4] = {0};
    size_t on = 0;
    ST(tsubaki_paillier_packed_decrypt(lay, sk, ps, psl, 2, NULL, &on), TSUBAKI_STATUS_OK, "slots size query");
    CHECK(on == 4, "4 slots to read");
    on = 3;
    ST(tsubaki_paillier_packed_decrypt(lay, sk, ps, psl, 2, out, &on), TSUBAKI_STATUS_BUFFER_TOO_SMALL, "3 of 4");
    CHECK(on == 4, "too small tells the size");
    ST(tsubaki_paillier_packed_decrypt(lay, sk, ps, psl, 2, out, &on), TSUBAKI_STATUS_OK, "packed decrypt");
    CHECK(out[0] == 11 && out[1] == 22 && out[2] == 33 && out[3] == 1000, "sums %llu %llu %llu %llu",
          (unsigned long long)out[0], (unsigned long long)out[1], (unsigned long long)out[2], (unsigned long long)out[3]);
    ST(tsubaki_paillier_packed_decrypt(lay, sk, ps, psl, 2, out, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL count");
    ST(tsubaki_paillier_packed_decrypt(lay, sk, ps, 5, 2, out, &on), TSUBAKI_STATUS_INVALID_ENCODING, "malformed ciphertext");
    CHECK(on == 0, "count 0 on failure");
    /* Threshold: shares of the packed sum by parties 2 and 3. */
    size_t e2 = dl, e3 = dl;
    ST(tsubaki_threshold_decrypt_share(ks[1], ps, psl, d2, &e2), TSUBAKI_STATUS_OK, "packed share 2");
    ST(tsubaki_threshold_decrypt_share(ks[2], ps, psl, d3, &e3), TSUBAKI_STATUS_OK, "packed share 3");
    const uint8_t *qp[2] = {d2, d3};
    size_t ql[2] = {e2, e3};
    memset(out, 0, sizeof out);
    on = 4;
    ST(tsubaki_paillier_packed_combine(lay, tpk, ps, psl, 2, qp, ql, 2, out, &on), TSUBAKI_STATUS_OK, "packed combine");
    CHECK(on == 4 && out[0] == 11 && out[1] == 22 && out[2] == 33 && out[3] == 1000, "threshold sums");
    on = 4;
    ST(tsubaki_paillier_packed_combine(lay, tpk, ps, psl, 2, qp, ql, 1, out, &on), TSUBAKI_STATUS_REJECTED, "one share");
    ST(tsubaki_paillier_packed_combine((const tsubaki_paillier_packed_layout *)tpk, tpk, ps, psl, 2, qp, ql, 2, out, &on),
       TSUBAKI_STATUS_INVALID_HANDLE, "a key as a layout");

    tsubaki_paillier_seckey_free(sk);
    tsubaki_paillier_packed_free(lay);
    tsubaki_paillier_packed_free(NULL);
    free(mb);
    free(d1); free(d2); free(d3);
    tsubaki_paillier_pubkey_free(pk);
    tsubaki_threshold_pubkey_free(from_share);
    tsubaki_threshold_keyshare_free(k0);
    /* Freeing a handle of another type does nothing. */
    tsubaki_threshold_keyshare_free((tsubaki_threshold_keyshare *)tpk2);
    tsubaki_threshold_pubkey_free(tpk2);
    free(sb);
    free(pub);
    for (int i = 0; i < 3; i++) tsubaki_threshold_keyshare_free(ks[i]);
    tsubaki_threshold_pubkey_free(tpk);
    free(p.p);
    free(q.p);
}

/* The threshold and packed functions' refusals that cost no big-integer work (the
 * valgrind run: threshold_tests runs natively and under ASan). */
static void threshold_quick(void) {
    tsubaki_threshold_pubkey *tpk = (tsubaki_threshold_pubkey *)1;
    tsubaki_threshold_keyshare *ks[3];
    uint8_t junk[16] = {'T', 'P', 1, 5};
    uint64_t foreign[4] = {0};
    size_t len = 16;
    uint32_t t;
    int64_t m;
    ST(tsubaki_threshold_deal(junk, 16, junk, 16, 3, 2, &tpk, ks), TSUBAKI_STATUS_INVALID_ARGUMENT, "t > n");
    CHECK(tpk == NULL && ks[0] == NULL && ks[1] == NULL, "NULL outputs on failure");
    ST(tsubaki_threshold_deal(junk, 16, junk, 16, 2, 0, &tpk, ks), TSUBAKI_STATUS_INVALID_ARGUMENT, "n = 0");
    ST(tsubaki_threshold_deal(junk, 16, junk, 16, 2, 3, NULL, ks), TSUBAKI_STATUS_NULL_POINTER, "NULL pub out");
    ST(tsubaki_threshold_deal(junk, 16, junk, 16, 2, 3, &tpk, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL shares");
    ST(tsubaki_threshold_deal(NULL, 16, junk, 16, 2, 3, &tpk, ks), TSUBAKI_STATUS_NULL_POINTER, "NULL p");
    ST(tsubaki_threshold_generate(1000, 2, 3, NULL, NULL, &tpk, ks), TSUBAKI_STATUS_INVALID_ARGUMENT, "1000 bits");
    ST(tsubaki_threshold_generate(2048, 3, 2, NULL, NULL, &tpk, ks), TSUBAKI_STATUS_INVALID_ARGUMENT, "t > n");
    ST(tsubaki_threshold_pubkey_import(junk, 16, &tpk), TSUBAKI_STATUS_INVALID_ENCODING, "truncated key");
    ST(tsubaki_threshold_pubkey_import(junk, 0, &tpk), TSUBAKI_STATUS_INVALID_ENCODING, "empty key");
    ST(tsubaki_threshold_pubkey_import(NULL, 3, &tpk), TSUBAKI_STATUS_NULL_POINTER, "NULL key");
    ST(tsubaki_threshold_pubkey_import(junk, SIZE_MAX, &tpk), TSUBAKI_STATUS_INVALID_LENGTH, "huge length");
    ST(tsubaki_threshold_keyshare_import(junk, 16, &ks[0]), TSUBAKI_STATUS_INVALID_ENCODING, "not a share");
    ST(tsubaki_threshold_pubkey_export(NULL, NULL, &len), TSUBAKI_STATUS_NULL_POINTER, "NULL key export");
    ST(tsubaki_threshold_pubkey_export((const tsubaki_threshold_pubkey *)foreign, NULL, &len),
       TSUBAKI_STATUS_INVALID_HANDLE, "foreign key");
    ST(tsubaki_threshold_pubkey_params((const tsubaki_threshold_pubkey *)foreign, &t, NULL),
       TSUBAKI_STATUS_INVALID_HANDLE, "foreign key params");
    ST(tsubaki_threshold_decrypt_share((const tsubaki_threshold_keyshare *)foreign, junk, 16, NULL, &len),
       TSUBAKI_STATUS_INVALID_HANDLE, "foreign share");
    ST(tsubaki_threshold_verify_share(NULL, junk, 16, junk, 16), TSUBAKI_STATUS_NULL_POINTER, "NULL key verify");
    ST(tsubaki_threshold_combine_i64((const tsubaki_threshold_pubkey *)foreign, junk, 16, NULL, NULL, 0, &m),
       TSUBAKI_STATUS_INVALID_HANDLE, "foreign key combine");
    ST(tsubaki_paillier_packed_new(NULL, 4, 10, 2, NULL), TSUBAKI_STATUS_NULL_POINTER, "NULL layout out");
    tsubaki_paillier_packed_layout *lay = (tsubaki_paillier_packed_layout *)1;
    ST(tsubaki_paillier_packed_new((const tsubaki_paillier_pubkey *)foreign, 4, 10, 2, &lay),
       TSUBAKI_STATUS_INVALID_HANDLE, "foreign Paillier key");
    CHECK(lay == NULL, "NULL on failure");
    uint64_t out[4];
    size_t on = 4;
    ST(tsubaki_paillier_packed_decrypt(NULL, NULL, junk, 16, 1, out, &on), TSUBAKI_STATUS_NULL_POINTER, "NULL layout");
    tsubaki_threshold_pubkey_free((tsubaki_threshold_pubkey *)foreign);
    tsubaki_threshold_keyshare_free(NULL);
    tsubaki_paillier_packed_free((tsubaki_paillier_packed_layout *)foreign);
}

int main(int argc, char **argv) {
    int quick = argc == 4 && strcmp(argv[3], "--quick") == 0;
    if (argc != 3 && !quick) {
        fprintf(stderr, "usage: %s FIXTURE JOURNALS [--quick]\n", argv[0]);
        return 2;
    }
    fixture = argv[1];
    journals = argv[2];
    /* --quick (the valgrind run): the Shamir round (with every bad input) and the
     * threshold refusals, without the Paillier big-integer work. */
    clock_t t0 = clock();
    if (!quick) round_tests("", 0);
    clock_t t1 = clock();
    round_tests("shamir/", 1);
    clock_t t2 = clock();
    threshold_quick();
    if (!quick) threshold_tests();
    clock_t t3 = clock();
    fprintf(stderr, "cpu: paillier round %.2f s, shamir round %.2f s, threshold %.2f s\n",
            (double)(t1 - t0) / CLOCKS_PER_SEC, (double)(t2 - t1) / CLOCKS_PER_SEC,
            (double)(t3 - t2) / CLOCKS_PER_SEC);
    printf("%lu checks, %lu failures\n", checks, failures);
    return failures != 0;
}
