/* bench_kb.c - knowledge base search (issue 5, section 5): a generated
 * knowledge base of N entries (default 100,000; deterministic random
 * words from a fixed vocabulary, real-looking titles and summaries,
 * mixed kinds, countries, pillars and years) is written as CSV and
 * imported with gca_kb_import into a fresh store (with the shipped
 * entries), then a fixed mix of queries (single words, two words,
 * phrases, prefixes, each also with filters) runs through gca_kb_search
 * (20 hits a page, with the total), first in SQL, then with the
 * in-memory index. Prints key=value lines for bench/run.sh: import time,
 * index build time, query latency p50/p99/max in ms per engine.
 *
 * usage: bench_kb DIR [N] [QUERIES]   (DIR: where the store is made) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gca.h"
#include "gca/kb.h"

static const char *const vocab[] = {
    "cybersecurity", "national", "strategy", "incident", "response",
    "team", "critical", "infrastructure", "protection", "law",
    "cybercrime", "convention", "data", "privacy", "encryption",
    "capacity", "building", "training", "cooperation", "regional",
    "international", "framework", "standard", "risk", "management",
    "security", "information", "network", "emergency", "coordination",
    "public", "private", "partnership", "awareness", "education",
    "child", "online", "protection", "electronic", "transactions",
    "evidence", "forensics", "agency", "authority", "ministry",
    "telecommunications", "regulator", "operator", "supply", "chain",
    "vulnerability", "disclosure", "norms", "responsible", "state",
    "behaviour", "confidence", "measures", "assistance", "request",
    "exercise", "drill", "simulation", "assessment", "maturity",
    "model", "baseline", "audit", "certification", "compliance",
    "guideline", "policy", "governance", "oversight", "human",
    "rights", "freedom", "expression", "surveillance", "lawful",
    "access", "retention", "registration", "subscriber", "identity",
    "shutdown", "routing", "gateway", "internet", "exchange",
    "resilience", "recovery", "continuity", "threat", "intelligence",
    "sharing", "platform", "sector", "financial", "energy",
    "health", "transport", "water", "government", "services",
    "cloud", "computing", "mobile", "payments", "identity",
    "digital", "economy", "development", "programme", "project",
    "workshop", "conference", "declaration", "agreement", "protocol",
    "memorandum", "understanding", "bilateral", "multilateral", "treaty",
    "parliament", "adopted", "amended", "draft", "bill",
    "ratified", "signed", "implementation", "review", "report",
    "annual", "index", "indicator", "score", "ranking",
    "measurement", "survey", "questionnaire", "pillar", "legal",
    "technical", "organisational", "cooperative", "skills", "workforce",
    "university", "research", "innovation", "industry", "association",
    "forum", "alliance", "network", "centre", "excellence",
    "operations", "monitoring", "detection", "malware", "phishing",
    "ransomware", "botnet", "attack", "breach", "notification",
    "authority", "commission", "council", "union", "african",
    "european", "asian", "pacific", "americas", "arab",
    "island", "small", "developing", "least", "developed",
    "countries", "region", "global", "agenda", "itu",
    "united", "nations", "group", "experts", "working",
};
#define NVOCAB (sizeof vocab / sizeof vocab[0])

static const char *const countries[] = {
    "AUT", "DEU", "FRA", "ITA", "ESP", "GBR", "USA", "CAN", "BRA", "ARG",
    "MEX", "CHL", "COL", "PER", "NGA", "KEN", "GHA", "ZAF", "EGY", "MAR",
    "TUN", "SEN", "CIV", "ETH", "IND", "PAK", "BGD", "CHN", "JPN", "KOR",
    "IDN", "MYS", "SGP", "PHL", "VNM", "THA", "AUS", "NZL", "FJI", "SAU",
    "ARE", "QAT", "JOR", "TUR", "RUS", "UKR", "POL", "SWE", "NOR", "EST",
};
#define NCOUNTRY (sizeof countries / sizeof countries[0])

static const char *const pillars[] = {"LEG", "TEC", "ORG", "CAP", "COO"};
static const char *const regions[] = {"Europe", "Africa", "Americas",
                                      "Asia", "Oceania", "global"};

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned long long rnd(void)
{
    unsigned long long x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

static size_t pick(size_t n)
{
    return (size_t)(rnd() % n);
}

/* The vocabulary: the domain words above, then NSYNTH made-up words of
 * two to four syllables, so that, as in real text, a few words are
 * common and most are rare. */
#define NSYNTH 4000
static char synth[NSYNTH][16];

static void make_vocab(void)
{
    static const char *const syl[] = {
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "pe",
        "gra", "tor", "lin", "mar", "sen", "bel", "cor", "dan", "fel", "hum",
    };
    for (size_t i = 0; i < NSYNTH; i++) {
        size_t n = 2 + i % 3, len = 0;
        size_t x = i;
        for (size_t j = 0; j < n; j++) {
            const char *s = syl[x % 20];
            x = x / 20 + j * 7;
            memcpy(synth[i] + len, s, strlen(s));
            len += strlen(s);
        }
        synth[i][len] = '\0';
    }
}

/* A word: index V * u^3 over domain words then made-up ones, so that
 * about a third of the words are domain words (roughly Zipf-like). */
static const char *word(void)
{
    double u = (double)(rnd() >> 11) / 9007199254740992.0;
    size_t i = (size_t)(u * u * u * (double)(NVOCAB + NSYNTH));
    return i < NVOCAB ? vocab[i] : synth[i - NVOCAB];
}

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
    fprintf(stderr, "bench_kb: %s: %s\n", what, msg);
    exit(2);
}

static void words(FILE *f, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? " " : "", word());
}

static void write_csv(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs("id,kind,subtype,title,summary,pillars,countries,region,year,"
          "status,url,source,retrieved,note\n",
          f);
    for (long i = 0; i < n; i++) {
        size_t k = pick(7);
        const char *kind = gca_kb_kinds[k];
        const char *sub = "", *status = "";
        if (!strcmp(kind, "rights_measure")) {
            sub = gca_kb_rights_measures[pick(6)];
            status = pick(2) ? "in_force" : "proposed";
        } else if (!strcmp(kind, "national_cirt")) {
            status = pick(4) ? "has" : "none";
        } else if (!strcmp(kind, "legal_instrument")) {
            sub = pick(2) ? "law" : "convention";
        }
        fprintf(f, "gen/%s/%ld,%s,%s,", kind, i, kind, sub);
        words(f, 4 + (int)pick(6));
        fputc(',', f);
        words(f, 20 + (int)pick(31));
        fputc(',', f);
        size_t p = pick(5), np = 1 + pick(2);
        for (size_t j = 0; j < np; j++)
            fprintf(f, "%s%s", j ? ";" : "", pillars[(p + j) % 5]);
        fputc(',', f);
        size_t c = pick(NCOUNTRY), nc = pick(3);
        for (size_t j = 0; j < nc; j++)
            fprintf(f, "%s%s", j ? ";" : "", countries[(c + j) % NCOUNTRY]);
        fprintf(f, ",%s,%d,%s,https://example.org/kb/%ld,generated for "
                   "bench_kb,2026-01-01,\n",
                regions[pick(6)], 1990 + (int)pick(36), status, i);
    }
    if (fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

/* The fixed mix: query q of the run. */
typedef struct query {
    char text[128];
    gca_kb_query q;
} query;

static void make_query(query *out, size_t i)
{
    memset(out, 0, sizeof *out);
    switch (i % 5) {
    case 0:
        snprintf(out->text, sizeof out->text, "%s", word());
        break;
    case 1:
        snprintf(out->text, sizeof out->text, "%s %s", word(), word());
        break;
    case 2:
        snprintf(out->text, sizeof out->text, "\"%s %s\"", word(), word());
        break;
    case 3: {
        const char *w = word();
        snprintf(out->text, sizeof out->text, "%.4s*", w);
        break;
    }
    default:
        snprintf(out->text, sizeof out->text, "%s", word());
        break;
    }
    out->q.text = out->text;
    /* Every other query carries a filter. */
    if ((i / 5) % 2) {
        switch (pick(5)) {
        case 0:
            out->q.kind = gca_kb_kinds[pick(7)];
            break;
        case 1:
            out->q.country = countries[pick(NCOUNTRY)];
            break;
        case 2:
            out->q.year_from = 2000 + (int)pick(10);
            out->q.year_to = out->q.year_from + 5;
            break;
        case 3:
            out->q.pillar = pillars[pick(5)];
            break;
        default:
            out->q.region = "Western Africa";
            break;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_kb DIR [N] [QUERIES]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    long nq = argc > 3 ? strtol(argv[3], NULL, 10) : 2000;
    if (n < 1 || n > 200000 || nq < 1 || nq > 1000000) {
        fprintf(stderr, "bench_kb: N must be 1..200000, QUERIES >= 1\n");
        return 2;
    }
    char csv[4096], db[4096], wal[4200], shm[4200];
    snprintf(csv, sizeof csv, "%s/kb_bench.csv", argv[1]);
    snprintf(db, sizeof db, "%s/kb_bench.db", argv[1]);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    make_vocab();
    unlink(db);
    unlink(wal);
    unlink(shm);
    write_csv(csv, n);

    gca_err err = {0};
    gca_store *st = NULL;
    if (gca_store_open(db, GCA_STORE_CREATE, &st, &err) < 0 ||
        gca_store_migrate(st, NULL, &err) < 0 ||
        gca_store_load_shipped(st, &err) < 0 ||
        gca_user_add(st, NULL, "admin", "admin", NULL, NULL, &err) < 0)
        die("store", &err);
    size_t count = 0;
    double t0 = now_s();
    if (gca_kb_import(st, "admin", csv, &count, &err) < 0)
        die("import", &err);
    double import_s = now_s() - t0;
    size_t per_kind[16], total = 0;
    if (gca_kb_counts(st, per_kind, &err) < 0)
        die("counts", &err);
    for (size_t k = 0; gca_kb_kinds[k]; k++)
        total += per_kind[k];

    query *qs = calloc((size_t)nq, sizeof *qs);
    double *ms = calloc((size_t)nq, sizeof *ms);
    if (!qs || !ms)
        return 3;
    for (long i = 0; i < nq; i++)
        make_query(&qs[i], (size_t)i);
    /* Each engine: a pass to warm the page cache, then the timed pass;
     * SQL (FTS5's bm25() in the query) first, then the in-memory index
     * (gca_kb_keep_index), which must find the same number of hits. */
    double build_s = 0, hits[2] = {0, 0};
    for (int keep = 0; keep < 2; keep++) {
        if (keep) {
            double b0 = now_s();
            if (gca_kb_keep_index(st, 1, &err) < 0)
                die("index", &err);
            build_s = now_s() - b0;
        }
        for (long i = 0; i < nq && i < 200; i++)
            if (gca_kb_search(st, &qs[i].q, NULL, NULL, NULL, &err) < 0)
                die(qs[i].text, &err);
        for (long i = 0; i < nq; i++) {
            size_t found = 0;
            double a = now_s();
            if (gca_kb_search(st, &qs[i].q, NULL, NULL, &found, &err) < 0)
                die(qs[i].text, &err);
            ms[i] = (now_s() - a) * 1000.0;
            hits[keep] += (double)found;
        }
        qsort(ms, (size_t)nq, sizeof *ms, cmp_double);
        const char *e = keep ? "index" : "sql";
        printf("kb_%s_p50_ms=%.3f\n", e, ms[nq / 2]);
        printf("kb_%s_p99_ms=%.3f\n", e, ms[(nq * 99) / 100]);
        printf("kb_%s_max_ms=%.3f\n", e, ms[nq - 1]);
    }
    if (hits[0] != hits[1]) {
        fprintf(stderr, "bench_kb: the engines disagree: %.0f and %.0f "
                        "hits\n", hits[0], hits[1]);
        return 1;
    }
    printf("kb_entries=%zu\n", total);
    printf("kb_generated=%zu\n", count);
    printf("kb_import_s=%.2f\n", import_s);
    printf("kb_index_build_s=%.2f\n", build_s);
    printf("kb_queries=%ld\n", nq);
    printf("kb_mean_matches=%.0f\n", hits[0] / (double)nq);
    free(qs);
    free(ms);
    gca_store_close(st);
    return 0;
}
