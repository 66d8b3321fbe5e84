/* bench_workflow.c - the workflow's two figures (issue 4, section 5):
 *  1. durable submissions per second: gca_answer_submit (the answer's
 *     new state and its audit event in one transaction, synchronous=FULL)
 *     against bare SQLite inserts of the same two rows per transaction
 *     with the same durability, in the same run and directory;
 *  2. scoring an edition of 194 countries x 100 questions
 *     (gca_edition_score, scores stored and committed).
 *
 * usage: bench_workflow DIR [N]   (DIR on the disk to measure; N
 * submissions, default 2000). Prints key=value lines for bench/run.sh. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gca.h"
#include "store/sqlite.h"

#define NQ 100        /* questions: 10 indicators x 10, 2 pillars */
#define NSCORED 194   /* countries in the scoring figure */
#define SCORE_RUNS 21

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const char *what, const gca_err *err)
{
    char msg[1024];
    gca_err_format(err, msg, sizeof msg);
    fprintf(stderr, "bench_workflow: %s: %s\n", what, msg);
    exit(2);
}

static void sql(sqlite3 *db, const char *q)
{
    char *msg = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_workflow: %s: %s\n", q, msg);
        exit(2);
    }
}

static char *framework_json(void)
{
    size_t cap = 1024 + NQ * 80;
    char *j = malloc(cap);
    if (!j)
        exit(3);
    int n = snprintf(j, cap, "{\"code\": \"BENCH\", \"nodes\": [");
    for (int i = 0; i < NQ / 10; i++) {
        n += snprintf(j + n, cap - (size_t)n,
                      "{\"code\": \"I%d\", \"parent\": \"P%d\", "
                      "\"questions\": [",
                      i, i % 2);
        for (int q = 0; q < 10; q++)
            n += snprintf(j + n, cap - (size_t)n,
                          "%s{\"code\": \"q%d\", \"type\": \"yesno_partial\"}",
                          q ? ", " : "", i * 10 + q);
        n += snprintf(j + n, cap - (size_t)n, "]}, ");
    }
    snprintf(j + n, cap - (size_t)n,
             "{\"code\": \"P0\", \"parent\": \"TOP\"}, {\"code\": \"P1\", "
             "\"parent\": \"TOP\"}, {\"code\": \"TOP\"}], \"method\": "
             "{\"steps\": [{\"step\": \"normalise\", \"f_n\": \"n_minmax\", "
             "\"l_u\": [0, 100]}, {\"step\": \"aggregate\", \"f_ag\": "
             "\"a_amean\"}]}}");
    return j;
}

static const char *const answer_values[] = {"yes", "partial", "no"};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_workflow DIR [N]\n");
        return 1;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
    if (n < 100 || n > 19400) {
        fprintf(stderr, "bench_workflow: N must be 100..19400\n");
        return 1;
    }
    char path[4096], bare[4096];
    snprintf(path, sizeof path, "%s/bench.db", argv[1]);
    snprintf(bare, sizeof bare, "%s/bare.db", argv[1]);
    unlink(path);
    unlink(bare);

    gca_err err = {0};
    gca_store *st = NULL;
    if (gca_store_open(path, GCA_STORE_CREATE, &st, &err) < 0 ||
        gca_store_migrate(st, NULL, &err) < 0 ||
        gca_store_load_shipped(st, &err) < 0)
        die(path, &err);
    gca_store_set_pwhash_cost(st, GCA_PWHASH_MIN);
    char *fw = framework_json();
    if (gca_user_add(st, NULL, "admin", "admin", NULL, NULL, &err) < 0 ||
        gca_user_add(st, "admin", "ana", "analyst", NULL, NULL, &err) < 0 ||
        gca_store_add_framework(st, "admin", fw, strlen(fw), "bench", NULL,
                                &err) < 0 ||
        gca_edition_create(st, "admin", "BENCH", 2026, NULL, NULL, &err) < 0 ||
        gca_edition_open(st, "admin", "bench-2026", &err) < 0)
        die("setting up", &err);
    free(fw);

    gca_countries *cs = NULL;
    if (gca_countries_default(&cs, &err) < 0)
        die("countries", &err);
    size_t nc = gca_countries_count(cs);
    if (nc < NSCORED)
        return 2;
    sqlite3 *h = gca__sqlite_handle(st->conn);

    /* Answers to submit, set without durability (setup, not measured). */
    sql(h, "PRAGMA synchronous = OFF");
    for (long i = 0; i < n; i++) {
        char q[16];
        snprintf(q, sizeof q, "q%ld", i % NQ);
        if (gca_answer_set(st, "ana", "bench-2026",
                           gca_countries_at(cs, (size_t)(i / NQ))->iso3, q,
                           answer_values[i % 3], NULL, &err) < 0)
            die("gca_answer_set", &err);
    }
    sql(h, "PRAGMA synchronous = FULL");

    /* 1a. Durable submissions through the library. */
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        char q[16];
        snprintf(q, sizeof q, "q%ld", i % NQ);
        if (gca_answer_submit(st, "ana", "bench-2026",
                              gca_countries_at(cs, (size_t)(i / NQ))->iso3,
                              q, &err) < 0)
            die("gca_answer_submit", &err);
    }
    double lib_s = now_s() - t0;

    /* 1b. The same rows as bare inserts: an answer row and an audit row
     * per transaction, WAL, synchronous=FULL, as the store opens it. */
    sqlite3 *b = NULL;
    if (sqlite3_open(bare, &b) != SQLITE_OK)
        return 2;
    sql(b, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
           "CREATE TABLE answers (id INTEGER PRIMARY KEY, edition INTEGER, "
           "country TEXT, question TEXT, indicator TEXT, value TEXT, "
           "state TEXT, source TEXT, updated_by TEXT, updated_at TEXT, "
           "version INTEGER, UNIQUE (edition, country, question)); "
           "CREATE TABLE audit_events (seq INTEGER PRIMARY KEY, at TEXT, "
           "actor TEXT, action TEXT, object TEXT, payload TEXT, "
           "prev_hash TEXT, hash TEXT UNIQUE)");
    sqlite3_stmt *ia = NULL, *ie = NULL;
    sqlite3_prepare_v2(b,
                       "INSERT INTO answers (edition, country, question, "
                       "indicator, value, state, source, updated_by, "
                       "updated_at, version) VALUES (1, ?, ?, 'I0', 'yes', "
                       "'submitted', 'analyst', 'ana', "
                       "'2026-11-23T10:00:00Z', 2)",
                       -1, &ia, NULL);
    sqlite3_prepare_v2(b,
                       "INSERT INTO audit_events (at, actor, action, "
                       "object, payload, prev_hash, hash) VALUES "
                       "('2026-11-23T10:00:00Z', 'ana', 'answer.submit', ?, "
                       "'{\"country\":\"AFG\",\"from\":\"draft\","
                       "\"question\":\"q1\",\"to\":\"submitted\"}', "
                       "printf('%064d', 0), printf('%064d', ?))",
                       -1, &ie, NULL);
    if (!ia || !ie)
        return 2;
    t0 = now_s();
    for (long i = 0; i < n; i++) {
        char q[16], obj[64];
        const char *c = gca_countries_at(cs, (size_t)(i / NQ))->iso3;
        snprintf(q, sizeof q, "q%ld", i % NQ);
        snprintf(obj, sizeof obj, "edition/bench-2026/answer/%s/%s", c, q);
        sql(b, "BEGIN IMMEDIATE");
        sqlite3_bind_text(ia, 1, c, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ia, 2, q, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ie, 1, obj, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ie, 2, i + 1);
        if (sqlite3_step(ia) != SQLITE_DONE || sqlite3_step(ie) != SQLITE_DONE)
            return 2;
        sqlite3_reset(ia);
        sqlite3_reset(ie);
        sql(b, "COMMIT");
    }
    double bare_s = now_s() - t0;
    sqlite3_finalize(ia);
    sqlite3_finalize(ie);
    sqlite3_close(b);

    /* 2. Scoring: NSCORED countries x NQ questions approved (setup
     * without durability), then gca_edition_score as it runs. */
    sql(h, "PRAGMA synchronous = OFF");
    for (size_t c = 0; c < NSCORED; c++)
        for (int q = 0; q < NQ; q++) {
            long i = (long)c * NQ + q;
            char qc[16];
            snprintf(qc, sizeof qc, "q%d", q);
            const char *iso3 = gca_countries_at(cs, c)->iso3;
            if (i >= n &&
                (gca_answer_set(st, "ana", "bench-2026", iso3, qc,
                                answer_values[(c + (size_t)q) % 3], NULL,
                                &err) < 0 ||
                 gca_answer_submit(st, "ana", "bench-2026", iso3, qc,
                                   &err) < 0))
                die("setting answers", &err);
            if (gca_answer_review(st, "ana", "bench-2026", iso3, qc,
                                  "approve", NULL, &err) < 0)
                die("approving", &err);
        }
    sql(h, "PRAGMA synchronous = FULL");
    double runs[SCORE_RUNS];
    int scored = 0;
    for (int r = 0; r < SCORE_RUNS; r++) {
        t0 = now_s();
        if (gca_edition_score(st, "ana", "bench-2026", &scored, &err) < 0)
            die("gca_edition_score", &err);
        runs[r] = (now_s() - t0) * 1e3;
    }
    qsort(runs, SCORE_RUNS, sizeof *runs, cmp_double);

    printf("submissions=%ld\n", n);
    printf("gca_submit_per_s=%.0f\n", (double)n / lib_s);
    printf("bare_insert_per_s=%.0f\n", (double)n / bare_s);
    printf("ratio_pct=%.1f\n", 100.0 * bare_s / lib_s);
    printf("score_countries=%d\n", scored);
    printf("score_questions=%d\n", NQ);
    printf("score_median_ms=%.2f\n", runs[SCORE_RUNS / 2]);
    printf("score_min_ms=%.2f\n", runs[0]);
    printf("score_max_ms=%.2f\n", runs[SCORE_RUNS - 1]);
    gca_countries_free(cs);
    gca_store_close(st);
    unlink(path);
    unlink(bare);
    return 0;
}
