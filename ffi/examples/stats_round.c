/* A private statistics round from C, over the files the CLI uses: DIR holds round.json
 * and keyshare-<member>.sealed (from `tsubaki stats setup -o DIR`), keys/<id>.pem (from
 * `tsubaki keygen`) and values-<org>.json for org-a, org-b, org-c and members m1, m2.
 * Each organization contributes, an aggregator sums (reporting any input it refuses),
 * two committee members decrypt once each (journals in JOURNALS), anyone combines.
 * Build and run:
 *   cc stats_round.c $(pkg-config --cflags --libs tsubaki) -o stats_round
 *   ./stats_round DIR JOURNALS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsubaki.h>

typedef struct { uint8_t *p; size_t len; } buf;

static buf slurp(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    buf b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.p = malloc(n > 0 ? (size_t)n : 1);
    b.len = fread(b.p, 1, (size_t)n, f);
    fclose(f);
    return b;
}

/* The JSON of a step's result (size query, then copy); frees the message. */
static buf json(tsubaki_stats_message *msg) {
    buf b = {NULL, 0};
    tsubaki_stats_message_json(msg, NULL, &b.len);
    b.p = malloc(b.len + 1);
    tsubaki_stats_message_json(msg, b.p, &b.len);
    b.p[b.len] = 0;
    tsubaki_stats_message_free(msg);
    return b;
}

static int fail(const char *what, tsubaki_status st) {
    fprintf(stderr, "stats_round: %s: %s\n", what, tsubaki_error_string(st));
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s DIR JOURNALS\n", argv[0]); return 2; }
    const char *dir = argv[1];
    const char *orgs[3] = {"org-a", "org-b", "org-c"};
    buf round = slurp(dir, "round.json"), c[3];
    tsubaki_stats_message *msg;
    tsubaki_status st;
    char name[256];

    /* Each organization: its values, encrypted and signed. */
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "keys/%s.pem", orgs[i]);
        buf key = slurp(dir, name);
        snprintf(name, sizeof name, "values-%s.json", orgs[i]);
        buf values = slurp(dir, name);
        st = tsubaki_stats_contribute(round.p, round.len, orgs[i], TSUBAKI_KEY_PKCS8_PEM,
                                      key.p, key.len, values.p, values.len, &msg);
        if (st) return fail(orgs[i], st);
        c[i] = json(msg);
        free(key.p);
        free(values.p);
    }

    /* The aggregator: every input verified; a refused one is reported, the rest summed. */
    const uint8_t *cp[3] = {c[0].p, c[1].p, c[2].p};
    size_t cl[3] = {c[0].len, c[1].len, c[2].len};
    tsubaki_status why[3];
    st = tsubaki_stats_aggregate(round.p, round.len, cp, cl, 3, 0, why, &msg);
    if (st) return fail("aggregate", st);
    for (int i = 0; i < 3; i++)
        if (why[i]) fprintf(stderr, "input %d (%s) rejected: %s\n", i, orgs[i], tsubaki_error_string(why[i]));
    buf agg = json(msg);

    /* Two committee members: each opens its sealed key share and decrypts, once. */
    const char *members[2] = {"m1", "m2"};
    buf part[2];
    for (int i = 0; i < 2; i++) {
        snprintf(name, sizeof name, "keys/%s.pem", members[i]);
        buf key = slurp(dir, name);
        snprintf(name, sizeof name, "keyshare-%s.sealed", members[i]);
        buf sealed = slurp(dir, name);
        char journal[4096];
        snprintf(journal, sizeof journal, "%s/%s.journal", argv[2], members[i]);
        st = tsubaki_stats_partial(round.p, round.len, members[i], TSUBAKI_KEY_PKCS8_PEM,
                                   key.p, key.len, sealed.p, sealed.len, agg.p, agg.len,
                                   cp, cl, 3, journal, &msg);
        if (st) return fail(members[i], st);
        part[i] = json(msg);
        free(key.p);
        free(sealed.p);
    }

    /* Anyone: the report. */
    const uint8_t *pp[2] = {part[0].p, part[1].p};
    size_t pl[2] = {part[0].len, part[1].len};
    st = tsubaki_stats_combine(round.p, round.len, agg.p, agg.len, pp, pl, 2, NULL, &msg);
    if (st) return fail("combine", st);
    buf report = json(msg);
    fputs((char *)report.p, stderr);
    int ok = strstr((char *)report.p, "\"valid\": true") != NULL;
    printf("stats_round: %s\n", ok ? "ok" : "INVALID report");

    free(report.p);
    for (int i = 0; i < 2; i++) free(part[i].p);
    free(agg.p);
    for (int i = 0; i < 3; i++) free(c[i].p);
    free(round.p);
    return !ok;
}
