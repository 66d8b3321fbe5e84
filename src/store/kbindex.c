/* kbindex.c - the knowledge base's in-memory ranking index (kbindex.h).
 *
 * Layout: the entries in rowid order with the fields the filters need;
 * the terms in byte order (so that a prefix is a range), each with its
 * postings, one per entry that has the term, in entry order; each
 * posting with its positions, column << 24 | token offset, in kb_fts's
 * columns title, summary, subtype, region, note. Text is cut into terms
 * by FTS5's own tokenizer with kb_fts's arguments, so that both indexes
 * hold the same terms. The index is not changed after it is built, so
 * that searches may share it. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gateway/kb.h"
#include "store/backend.h"
#include "store/kbindex.h"
#include "store/sqlite.h"

#include "core/banned.h"

#define NCOL 5
#define COL_SHIFT 24
/* FTS5 cuts longer tokens to this many bytes (FTS5_MAX_TOKEN_SIZE). */
#define TOKEN_MAX 32768
/* bm25 column weights of the search (store/kb.c: title 10, summary 1,
 * subtype 2, region 1, note 0.5), doubled so that sums stay integers;
 * FTS5 sums the same weights in doubles, exactly. */
static const uint32_t weight2[NCOL] = {20, 2, 4, 2, 1};
static const char *const pillar_names[] = {"LEG", "TEC", "ORG", "CAP",
                                           "COO"};
#define NO_KIND 255

typedef struct doc {
    long long rowid;
    const char *id;
    uint32_t len;            /* tokens in all columns */
    uint32_t cty0, ncty;     /* into ix->doc_cty */
    uint32_t status, region; /* ix->vals[v - 1]; 0 = NULL */
    int year;
    uint8_t has_year;
    uint8_t kind;    /* index into gca_kb_kinds, NO_KIND = other */
    uint8_t pillars; /* bit i = pillar_names[i] */
} doc;

typedef struct posting {
    uint32_t doc, pos0, npos; /* positions ix->pos[pos0 .. pos0 + npos) */
    uint32_t wf2;             /* sum of weight2 over the positions */
} posting;

typedef struct term {
    const char *s;
    uint32_t n;
    uint32_t post0, npost;
} term;

/* Strings and their ids while the index is built: an open-addressing
 * table over an array of terms. */
typedef struct strtab {
    uint32_t *slot; /* id + 1, 0 = empty */
    size_t nslot;
    term *v;
    size_t n, cap;
} strtab;

struct gca__kb_index {
    long long gen;
    gca_arena arena;
    doc *docs;
    size_t ndoc;
    uint16_t *doc_cty;
    char (*cty)[4]; /* ISO3 codes named by entries, sorted */
    size_t ncty;
    term *terms;
    size_t nterm;
    posting *post;
    uint32_t *pos;
    long long ntoken;
    double *norm; /* per entry: k1 * (1 - b + b * D / avgdl) of bm25 */
    term *vals;   /* distinct status and region values */
    size_t nval;
    fts5_tokenizer tok;
    Fts5Tokenizer *tokenizer;
};

long long gca__kb_index_generation(const gca__kb_index *ix)
{
    return ix->gen;
}

void gca__kb_index_free(gca__kb_index *ix)
{
    if (!ix)
        return;
    if (ix->tokenizer)
        ix->tok.xDelete(ix->tokenizer);
    gca_free(ix->docs);
    gca_free(ix->doc_cty);
    gca_free(ix->cty);
    gca_free(ix->terms);
    gca_free(ix->post);
    gca_free(ix->pos);
    gca_free(ix->norm);
    gca_free(ix->vals);
    gca_arena_release(&ix->arena);
    gca_free(ix);
}

static int db_fail(sqlite3 *db, gca_err *err)
{
    return gca_fail(err, GCA_EIO, "kb", 0, 0, "%s", sqlite3_errmsg(db));
}

static int nomem(gca_err *err)
{
    return gca_fail(err, GCA_ENOMEM, "kb", 0, 0, "out of memory");
}

static int one_int(sqlite3 *db, const char *sql, long long *v, gca_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, err);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : db_fail(db, err);
}

int gca__kb_generation(gca_store *st, long long *gen, gca_err *err)
{
    if (st->be != &gca__sqlite_backend)
        return gca_fail(err, GCA_ENOTSUP, "kb", 0, 0,
                        "the in-memory search index needs SQLite");
    /* Through the backend: its statements are cached, and this runs
     * before every search. */
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT n FROM kb_generation WHERE id = 1", &s,
                             err);
    if (rc < 0)
        return rc;
    rc = st->be->step(s, err);
    if (rc > 0)
        *gen = st->be->col_int(s, 0);
    st->be->finalize(s);
    return rc > 0 ? 0
                  : rc < 0 ? rc
                           : gca_fail(err, GCA_EINTERNAL, "kb", 0, 0,
                                      "kb_generation has no row");
}

/* kb_fts's tokenizer: unicode61 with remove_diacritics 2 (0004_kb.sql). */
static int open_tokenizer(sqlite3 *db, gca__kb_index *ix, gca_err *err)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, err);
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    void *ud = NULL;
    const char *args[] = {"remove_diacritics", "2"};
    if (!api || api->xFindTokenizer(api, "unicode61", &ud, &ix->tok) !=
                    SQLITE_OK ||
        ix->tok.xCreate(ud, args, 2, &ix->tokenizer) != SQLITE_OK)
        return gca_fail(err, GCA_ENOTSUP, "kb", 0, 0,
                        "this SQLite has no FTS5 unicode61 tokenizer");
    return 0;
}

/* ====== Building ====== */

typedef struct builder {
    gca__kb_index *ix;
    strtab words, vals;
    uint32_t *toks; /* term ids of every token, entry by entry */
    size_t ntok, cap_tok;
    uint32_t col_len; /* tokens in the column being cut */
    int oom;
} builder;

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = gca_realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int rehash(strtab *t)
{
    size_t n = t->nslot ? t->nslot * 2 : 4096;
    uint32_t *slot = gca_calloc(n, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = hash_bytes(t->v[i].s, t->v[i].n) & (n - 1);
        while (slot[j])
            j = (j + 1) & (n - 1);
        slot[j] = (uint32_t)i + 1;
    }
    gca_free(t->slot);
    t->slot = slot;
    t->nslot = n;
    return 0;
}

static void strtab_free(strtab *t)
{
    gca_free(t->slot);
    gca_free(t->v);
}

static int intern(strtab *t, gca_arena *a, const char *p, size_t n,
                  uint32_t *id)
{
    if (2 * (t->n + 1) > t->nslot && rehash(t) < 0)
        return -1;
    size_t j = hash_bytes(p, n) & (t->nslot - 1);
    while (t->slot[j]) {
        const term *v = &t->v[t->slot[j] - 1];
        if (v->n == n && !memcmp(v->s, p, n)) {
            *id = t->slot[j] - 1;
            return 0;
        }
        j = (j + 1) & (t->nslot - 1);
    }
    if (grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v) < 0)
        return -1;
    char *s = gca_arena_strndup(a, p, n);
    if (!s)
        return -1;
    t->v[t->n] = (term){s, (uint32_t)n, 0, 0};
    t->slot[j] = (uint32_t)t->n + 1;
    *id = (uint32_t)t->n++;
    return 0;
}

static int on_doc_token(void *ctx, int tflags, const char *p, int n,
                        int start, int end)
{
    builder *b = ctx;
    uint32_t id;
    (void)start;
    (void)end;
    if (tflags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (n > TOKEN_MAX)
        n = TOKEN_MAX;
    if (intern(&b->words, &b->ix->arena, p, (size_t)n, &id) < 0 ||
        grow((void **)&b->toks, &b->cap_tok, b->ntok + 1, sizeof *b->toks) <
            0) {
        b->oom = 1;
        return SQLITE_NOMEM;
    }
    b->toks[b->ntok++] = id;
    b->col_len++;
    return SQLITE_OK;
}

static int cmp_term(const void *a, const void *b)
{
    const term *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The id + 1 of a status or region value, 0 for NULL. */
static uint32_t value_id(builder *b, const unsigned char *s, int *oom)
{
    uint32_t id = 0;
    if (!s)
        return 0;
    if (intern(&b->vals, &b->ix->arena, (const char *)s,
               strlen((const char *)s), &id) < 0)
        *oom = 1;
    return id + 1;
}

static doc *doc_of(gca__kb_index *ix, long long rowid)
{
    size_t lo = 0, hi = ix->ndoc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->docs[mid].rowid < rowid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->ndoc && ix->docs[lo].rowid == rowid ? &ix->docs[lo]
                                                        : NULL;
}

static int cty_index(const gca__kb_index *ix, const char *iso3)
{
    size_t lo = 0, hi = ix->ncty;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->cty[mid], iso3);
        if (!c)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The entries, their text cut into terms; col_len gets the tokens per
 * column of each entry. */
static int read_entries(sqlite3 *db, builder *b, uint32_t **col_len,
                        gca_err *err)
{
    gca__kb_index *ix = b->ix;
    long long n = 0;
    int rc = one_int(db, "SELECT count(*) FROM kb_entries", &n, err);
    if (rc < 0)
        return rc;
    ix->docs = gca_calloc((size_t)n + 1, sizeof *ix->docs);
    *col_len = gca_calloc((size_t)n * NCOL + 1, sizeof **col_len);
    if (!ix->docs || !*col_len)
        return nomem(err);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT rowid, id, kind, status, region, year, "
                           "title, summary, subtype, region, note "
                           "FROM kb_entries ORDER BY rowid",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, err);
    int oom = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && ix->ndoc < (size_t)n) {
        doc *d = &ix->docs[ix->ndoc];
        d->rowid = sqlite3_column_int64(s, 0);
        const unsigned char *id = sqlite3_column_text(s, 1);
        d->id = gca_arena_strdup(&ix->arena, id ? (const char *)id : "");
        if (!d->id)
            oom = 1;
        const char *kind = (const char *)sqlite3_column_text(s, 2);
        d->kind = NO_KIND;
        for (size_t k = 0; kind && gca_kb_kinds[k]; k++)
            if (!strcmp(kind, gca_kb_kinds[k]))
                d->kind = (uint8_t)k;
        d->status = value_id(b, sqlite3_column_text(s, 3), &oom);
        d->region = value_id(b, sqlite3_column_text(s, 4), &oom);
        d->has_year = sqlite3_column_type(s, 5) != SQLITE_NULL;
        d->year = sqlite3_column_int(s, 5);
        for (int c = 0; c < NCOL && !oom; c++) {
            const char *text = (const char *)sqlite3_column_text(s, 6 + c);
            b->col_len = 0;
            if (text &&
                ix->tok.xTokenize(ix->tokenizer, b, FTS5_TOKENIZE_DOCUMENT,
                                  text, sqlite3_column_bytes(s, 6 + c),
                                  on_doc_token) != SQLITE_OK)
                oom = 1;
            (*col_len)[ix->ndoc * NCOL + (size_t)c] = b->col_len;
            d->len += b->col_len;
        }
        ix->ntoken += d->len;
        ix->ndoc++;
        if (oom)
            break;
    }
    sqlite3_finalize(s);
    if (oom || b->oom)
        return nomem(err);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, err);
    return 0;
}

/* Pillars and countries of the entries. */
static int read_links(sqlite3 *db, gca__kb_index *ix, gca_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT entry, pillar FROM kb_entry_pillars",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, err);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        doc *d = doc_of(ix, sqlite3_column_int64(s, 0));
        const char *p = (const char *)sqlite3_column_text(s, 1);
        for (int i = 0; d && p && i < 5; i++)
            if (!strcmp(p, pillar_names[i]))
                d->pillars |= (uint8_t)(1u << i);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_fail(db, err);

    long long n = 0, ncty = 0;
    rc = one_int(db, "SELECT count(*) FROM kb_entry_countries", &n, err);
    if (rc == 0)
        rc = one_int(db,
                     "SELECT count(DISTINCT iso3) FROM kb_entry_countries",
                     &ncty, err);
    if (rc < 0)
        return rc;
    ix->doc_cty = gca_calloc((size_t)n + 1, sizeof *ix->doc_cty);
    ix->cty = gca_calloc((size_t)ncty + 1, sizeof *ix->cty);
    if (!ix->doc_cty || !ix->cty)
        return nomem(err);
    if (sqlite3_prepare_v2(db,
                           "SELECT DISTINCT iso3 FROM kb_entry_countries "
                           "ORDER BY iso3",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, err);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && ix->ncty < (size_t)ncty &&
           ix->ncty < UINT16_MAX) {
        const char *c = (const char *)sqlite3_column_text(s, 0);
        if (c && strlen(c) == 3)
            memcpy(ix->cty[ix->ncty++], c, 4);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, err);
    if (sqlite3_prepare_v2(db,
                           "SELECT entry, iso3 FROM kb_entry_countries "
                           "ORDER BY entry, iso3",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, err);
    size_t k = 0;
    doc *last = NULL;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && k < (size_t)n) {
        doc *d = doc_of(ix, sqlite3_column_int64(s, 0));
        const char *c = (const char *)sqlite3_column_text(s, 1);
        int ci = c ? cty_index(ix, c) : -1;
        if (!d || ci < 0)
            continue;
        if (d != last) {
            d->cty0 = (uint32_t)k;
            last = d;
        }
        ix->doc_cty[k++] = (uint16_t)ci;
        d->ncty++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, err);
    return 0;
}

/* Terms into byte order, then postings and positions from the tokens. */
static int invert(builder *b, const uint32_t *col_len, gca_err *err)
{
    gca__kb_index *ix = b->ix;
    size_t nt = b->words.n;
    term *terms = b->words.v;
    uint32_t *rank = gca_malloc((nt + 1) * sizeof *rank);
    uint32_t *last = gca_malloc((nt + 1) * sizeof *last);
    uint32_t *ninst = gca_calloc(nt + 1, sizeof *ninst);
    ix->pos = gca_malloc((b->ntok + 1) * sizeof *ix->pos);
    int rc = 0;
    if (!rank || !last || !ninst || !ix->pos) {
        rc = nomem(err);
        goto out;
    }
    /* The builder's ids into sorted ones: sort a copy that remembers
     * the old id in post0. */
    for (size_t i = 0; i < nt; i++)
        terms[i].post0 = (uint32_t)i;
    if (nt)
        qsort(terms, nt, sizeof *terms, cmp_term);
    for (size_t i = 0; i < nt; i++)
        rank[terms[i].post0] = (uint32_t)i;
    for (size_t i = 0; i < b->ntok; i++)
        b->toks[i] = rank[b->toks[i]];
    /* Count postings and positions per term. */
    memset(last, 0xff, (nt + 1) * sizeof *last);
    size_t t = 0, npost = 0;
    for (size_t d = 0; d < ix->ndoc; d++)
        for (uint32_t i = 0; i < ix->docs[d].len; i++, t++) {
            uint32_t id = b->toks[t];
            ninst[id]++;
            if (last[id] != (uint32_t)d) {
                last[id] = (uint32_t)d;
                terms[id].npost++;
                npost++;
            }
        }
    ix->post = gca_malloc((npost + 1) * sizeof *ix->post);
    if (!ix->post) {
        rc = nomem(err);
        goto out;
    }
    /* Starts: postings in post0, positions in ninst (now a cursor). */
    uint32_t p0 = 0, i0 = 0;
    for (size_t i = 0; i < nt; i++) {
        uint32_t n = ninst[i];
        terms[i].post0 = p0;
        p0 += terms[i].npost;
        terms[i].npost = 0;
        ninst[i] = i0;
        i0 += n;
    }
    memset(last, 0xff, (nt + 1) * sizeof *last);
    t = 0;
    for (size_t d = 0; d < ix->ndoc; d++)
        for (uint32_t c = 0; c < NCOL; c++)
            for (uint32_t off = 0; off < col_len[d * NCOL + c]; off++, t++) {
                uint32_t id = b->toks[t];
                term *tm = &terms[id];
                if (last[id] != (uint32_t)d) {
                    last[id] = (uint32_t)d;
                    ix->post[tm->post0 + tm->npost++] =
                        (posting){(uint32_t)d, ninst[id], 0, 0};
                }
                posting *p = &ix->post[tm->post0 + tm->npost - 1];
                ix->pos[ninst[id]++] = c << COL_SHIFT | off;
                p->npos++;
                p->wf2 += weight2[c];
            }
    ix->terms = terms;
    ix->nterm = nt;
    b->words.v = NULL;
    /* bm25's length norm per entry, the same expression as FTS5's. */
    const double k1 = 1.2, bb = 0.75;
    double avgdl = (double)ix->ntoken / (double)(ix->ndoc ? ix->ndoc : 1);
    ix->norm = gca_malloc((ix->ndoc + 1) * sizeof *ix->norm);
    if (!ix->norm) {
        rc = nomem(err);
        goto out;
    }
    for (size_t d = 0; d < ix->ndoc; d++) {
        double D = (double)ix->docs[d].len;
        ix->norm[d] = k1 * (1 - bb + bb * D / avgdl);
    }
out:
    gca_free(rank);
    gca_free(last);
    gca_free(ninst);
    return rc;
}

int gca__kb_index_build(gca_store *st, gca__kb_index **out, gca_err *err)
{
    *out = NULL;
    if (st->be != &gca__sqlite_backend)
        return gca_fail(err, GCA_ENOTSUP, "kb", 0, 0,
                        "the in-memory search index needs SQLite");
    sqlite3 *db = gca__sqlite_handle(st->conn);
    gca__kb_index *ix = gca_calloc(1, sizeof *ix);
    if (!ix)
        return nomem(err);
    gca_arena_init(&ix->arena, 1 << 16);
    builder b = {.ix = ix};
    uint32_t *col_len = NULL;
    /* One read transaction: the generation and the rows agree. */
    int own_tx = sqlite3_get_autocommit(db);
    int rc = 0;
    if (own_tx && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(db, err);
    if (rc == 0)
        rc = open_tokenizer(db, ix, err);
    if (rc == 0)
        rc = one_int(db, "SELECT n FROM kb_generation WHERE id = 1",
                     &ix->gen, err);
    if (rc == 0)
        rc = read_entries(db, &b, &col_len, err);
    if (rc == 0)
        rc = read_links(db, ix, err);
    if (own_tx)
        sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    if (rc == 0)
        rc = invert(&b, col_len, err);
    gca_free(col_len);
    strtab_free(&b.words);
    ix->vals = b.vals.v;
    ix->nval = b.vals.n;
    b.vals.v = NULL;
    strtab_free(&b.vals);
    gca_free(b.toks);
    if (rc < 0) {
        gca__kb_index_free(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

/* ====== Searching ====== */

/* The entries that match one phrase of the search, in entry order, with
 * the phrase's weighted frequency in each (doubled, as weight2): a
 * term's own postings, or lists of their own. */
typedef struct hits {
    const posting *p;
    uint32_t *doc, *wf2;
    size_t n;
} hits;

static inline uint32_t hit_doc(const hits *h, size_t i)
{
    return h->p ? h->p[i].doc : h->doc[i];
}

static inline uint32_t hit_wf2(const hits *h, size_t i)
{
    return h->p ? h->p[i].wf2 : h->wf2[i];
}

/* The first of h's hits from i on whose entry is d or later. */
static size_t hits_seek(const hits *h, size_t i, uint32_t d)
{
    if (i >= h->n || hit_doc(h, i) >= d)
        return i;
    size_t lo = i, step = 1;
    while (lo + step < h->n && hit_doc(h, lo + step) < d) {
        lo += step;
        step *= 2;
    }
    size_t hi = lo + step < h->n ? lo + step : h->n;
    lo++;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (hit_doc(h, mid) < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void hits_free(hits *h)
{
    gca_free(h->doc);
    gca_free(h->wf2);
}

static int hits_alloc(hits *h, size_t n)
{
    h->doc = gca_malloc((n + 1) * sizeof *h->doc);
    h->wf2 = gca_malloc((n + 1) * sizeof *h->wf2);
    h->n = 0;
    return h->doc && h->wf2 ? 0 : -1;
}

/* Terms [*lo, *hi) equal to p[0..n), or starting with it (prefix). */
static void term_range(const gca__kb_index *ix, const char *p, size_t n,
                       int prefix, size_t *lo, size_t *hi)
{
    term key = {p, (uint32_t)n, 0, 0};
    size_t a = 0, z = ix->nterm;
    while (a < z) {
        size_t mid = a + (z - a) / 2;
        if (cmp_term(&ix->terms[mid], &key) < 0)
            a = mid + 1;
        else
            z = mid;
    }
    *lo = a;
    z = a;
    if (!prefix) {
        if (z < ix->nterm && !cmp_term(&ix->terms[z], &key))
            z++;
    } else {
        while (z < ix->nterm && ix->terms[z].n >= n &&
               !memcmp(ix->terms[z].s, p, n))
            z++;
    }
    *hi = z;
}

/* Tokens of a search term (FTS5 cuts the quoted text the same way). */
typedef struct qtokens {
    gca_buf text;
    size_t off[GCA_KB_QUERY_MAX + 1], len[GCA_KB_QUERY_MAX + 1];
    size_t n;
} qtokens;

static int on_query_token(void *ctx, int tflags, const char *p, int n,
                          int start, int end)
{
    qtokens *q = ctx;
    (void)start;
    (void)end;
    if (tflags & FTS5_TOKEN_COLOCATED || q->n > GCA_KB_QUERY_MAX)
        return SQLITE_OK;
    if (n > TOKEN_MAX)
        n = TOKEN_MAX;
    q->off[q->n] = q->text.len;
    q->len[q->n++] = (size_t)n;
    gca_buf_add(&q->text, p, (size_t)n);
    return SQLITE_OK;
}

/* The first of p[a..n) whose entry is d or later (galloping: lists of
 * similar length advance a step or two at a time). */
static size_t seek(const posting *p, size_t a, size_t n, uint32_t d)
{
    if (a >= n || p[a].doc >= d)
        return a;
    size_t lo = a, step = 1;
    while (lo + step < n && p[lo + step].doc < d) {
        lo += step;
        step *= 2;
    }
    size_t hi = lo + step < n ? lo + step : n;
    lo++;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].doc < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* 1 if the sorted positions ps[0..n) hold `want`. */
static int has_pos(const uint32_t *ps, size_t n, uint32_t want)
{
    size_t a = 0, z = n;
    while (a < z) {
        size_t mid = a + (z - a) / 2;
        if (ps[mid] < want)
            a = mid + 1;
        else
            z = mid;
    }
    return a < n && ps[a] == want;
}

/* The entries matching one multi-word phrase: those that have every
 * word, each word at the next position in the same column. One hit per
 * place where the phrase starts, as FTS5 counts instances. */
static int phrase_hits(const gca__kb_index *ix, const term **w, size_t nw,
                       hits *out)
{
    size_t drv = 0;
    for (size_t j = 1; j < nw; j++)
        if (w[j]->npost < w[drv]->npost)
            drv = j;
    if (hits_alloc(out, w[drv]->npost) < 0)
        return -1;
    size_t cur[GCA_KB_QUERY_MAX + 1] = {0};
    const posting *pj[GCA_KB_QUERY_MAX + 1];
    for (size_t k = 0; k < w[drv]->npost; k++) {
        uint32_t d = ix->post[w[drv]->post0 + k].doc;
        int all = 1;
        for (size_t j = 0; j < nw && all; j++) {
            const posting *p = ix->post + w[j]->post0;
            cur[j] = seek(p, cur[j], w[j]->npost, d);
            all = cur[j] < w[j]->npost && p[cur[j]].doc == d;
            pj[j] = all ? &p[cur[j]] : NULL;
        }
        if (!all)
            continue;
        uint32_t wf2 = 0;
        const uint32_t *first = ix->pos + pj[0]->pos0;
        for (uint32_t i = 0; i < pj[0]->npos; i++) {
            uint32_t at = first[i];
            int ok = 1;
            for (size_t j = 1; j < nw && ok; j++) {
                uint32_t want = at + (uint32_t)j;
                ok = want >> COL_SHIFT == at >> COL_SHIFT &&
                     has_pos(ix->pos + pj[j]->pos0, pj[j]->npos, want);
            }
            if (ok)
                wf2 += weight2[at >> COL_SHIFT];
        }
        if (wf2) {
            out->doc[out->n] = d;
            out->wf2[out->n++] = wf2;
        }
    }
    return 0;
}

/* The entries matching a one-word term, or a prefix: the postings of the
 * terms [lo, hi), merged when there are several. */
static int range_hits(const gca__kb_index *ix, size_t lo, size_t hi,
                      hits *out)
{
    if (hi - lo == 1) {
        out->p = ix->post + ix->terms[lo].post0;
        out->n = ix->terms[lo].npost;
        return 0;
    }
    size_t total = 0;
    for (size_t t = lo; t < hi; t++)
        total += ix->terms[t].npost;
    if (hits_alloc(out, total < ix->ndoc ? total : ix->ndoc) < 0)
        return -1;
    if (!total)
        return 0;
    /* A sum per entry, then the entries in order: scanned when many,
     * sorted when few. */
    uint32_t *acc = gca_calloc(ix->ndoc, sizeof *acc);
    uint32_t *seen = gca_malloc(total * sizeof *seen);
    if (!acc || !seen) {
        gca_free(acc);
        gca_free(seen);
        return -1;
    }
    size_t nseen = 0;
    for (size_t t = lo; t < hi; t++) {
        const posting *p = ix->post + ix->terms[t].post0;
        for (size_t k = 0; k < ix->terms[t].npost; k++) {
            if (!acc[p[k].doc])
                seen[nseen++] = p[k].doc;
            acc[p[k].doc] += p[k].wf2;
        }
    }
    if (nseen > ix->ndoc / 8) {
        for (uint32_t d = 0; d < (uint32_t)ix->ndoc; d++)
            if (acc[d]) {
                out->doc[out->n] = d;
                out->wf2[out->n++] = acc[d];
            }
    } else {
        /* Radix sort of the entry numbers, a byte at a time. */
        for (size_t i = 0; i < nseen; i++)
            out->doc[i] = seen[i];
        for (int shift = 0; shift < 32; shift += 8) {
            size_t count[257] = {0};
            for (size_t i = 0; i < nseen; i++)
                count[((out->doc[i] >> shift) & 0xff) + 1]++;
            for (int i = 0; i < 256; i++)
                count[i + 1] += count[i];
            for (size_t i = 0; i < nseen; i++)
                seen[count[(out->doc[i] >> shift) & 0xff]++] = out->doc[i];
            memcpy(out->doc, seen, nseen * sizeof *seen);
        }
        for (size_t i = 0; i < nseen; i++)
            out->wf2[i] = acc[out->doc[i]];
        out->n = nseen;
    }
    gca_free(acc);
    gca_free(seen);
    return 0;
}

/* The filters of a search, resolved against the index. */
typedef struct filter {
    int kind;    /* -1 = any */
    int pillar;  /* bit mask, 0 = any */
    int country; /* -1 = any, -2 = one no entry names */
    int year_from, year_to;
    int any;     /* some filter is set */
    /* Per value id (0 = NULL): the status is q->status; the region is
     * q->region (SQLite's lower() folds ASCII letters only). NULL when
     * the filter is not set. */
    unsigned char *status_ok, *region_ok;
    unsigned char *in_region; /* per ix->cty, when q->region */
} filter;

static int ascii_eq_nocase(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

/* The rules of store/kb.c's SQL filters. */
static int passes(const gca__kb_index *ix, const doc *d, const filter *f)
{
    if (f->kind >= 0 && d->kind != f->kind)
        return 0;
    if (f->status_ok && !f->status_ok[d->status])
        return 0;
    if (f->year_from && (!d->has_year || d->year < f->year_from))
        return 0;
    if (f->year_to && (!d->has_year || d->year > f->year_to))
        return 0;
    if (f->pillar && !(d->pillars & f->pillar))
        return 0;
    const uint16_t *c = ix->doc_cty + d->cty0;
    if (f->country != -1) {
        uint32_t i = 0;
        while (i < d->ncty && c[i] != f->country)
            i++;
        if (i == d->ncty)
            return 0;
    }
    if (f->region_ok && !f->region_ok[d->region]) {
        uint32_t i = 0;
        while (i < d->ncty && !f->in_region[c[i]])
            i++;
        if (i == d->ncty)
            return 0;
    }
    return 1;
}

static void filter_free(filter *f)
{
    gca_free(f->status_ok);
    gca_free(f->region_ok);
    gca_free(f->in_region);
}

static int filter_init(gca_store *st, const gca__kb_index *ix,
                       const gca_kb_query *q, filter *f, gca_err *err)
{
    memset(f, 0, sizeof *f);
    f->kind = -1;
    f->country = -1;
    f->year_from = q->year_from;
    f->year_to = q->year_to;
    for (int k = 0; q->kind && gca_kb_kinds[k]; k++)
        if (!strcmp(q->kind, gca_kb_kinds[k]))
            f->kind = k;
    for (int i = 0; q->pillar && i < 5; i++)
        if (!strcmp(q->pillar, pillar_names[i]))
            f->pillar = 1 << i;
    if (q->country) {
        int ci = strlen(q->country) == 3 ? cty_index(ix, q->country) : -1;
        f->country = ci >= 0 ? ci : -2;
    }
    f->any = q->kind || q->pillar || q->country || q->status || q->region ||
             q->year_from || q->year_to;
    if (q->status) {
        f->status_ok = gca_calloc(ix->nval + 1, 1);
        if (!f->status_ok)
            return nomem(err);
        for (size_t v = 0; v < ix->nval; v++)
            f->status_ok[v + 1] = !strcmp(ix->vals[v].s, q->status);
    }
    if (!q->region)
        return 0;
    f->region_ok = gca_calloc(ix->nval + 1, 1);
    f->in_region = gca_calloc(ix->ncty + 1, 1);
    if (!f->region_ok || !f->in_region)
        return nomem(err);
    for (size_t v = 0; v < ix->nval; v++)
        f->region_ok[v + 1] = (unsigned char)ascii_eq_nocase(ix->vals[v].s,
                                                             q->region);
    sqlite3 *db = gca__sqlite_handle(st->conn);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT iso3 FROM countries WHERE lower("
                           "m49_region) = lower(?1) OR lower(m49_subregion) "
                           "= lower(?1) OR lower(m49_intermediate_region) = "
                           "lower(?1)",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, err);
    sqlite3_bind_text(s, 1, q->region, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(s, 0);
        int ci = c ? cty_index(ix, c) : -1;
        if (ci >= 0)
            f->in_region[ci] = 1;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* The best K so far: a heap with the worst hit at the root. */
typedef struct ranked_heap {
    const gca__kb_index *ix;
    gca__kb_ranked *v; /* rowid holds the entry's index while ranking */
    size_t n, cap, k;
} ranked_heap;

/* 1 if a ranks before b: higher score, then id (ORDER BY score DESC,
 * e.id). */
static int before(const ranked_heap *h, const gca__kb_ranked *a,
                  const gca__kb_ranked *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    return strcmp(h->ix->docs[a->rowid].id, h->ix->docs[b->rowid].id) < 0;
}

static void sift_down(ranked_heap *h, size_t i, size_t n)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && before(h, &h->v[w], &h->v[l]))
            w = l;
        if (r < n && before(h, &h->v[w], &h->v[r]))
            w = r;
        if (w == i)
            return;
        gca__kb_ranked t = h->v[i];
        h->v[i] = h->v[w];
        h->v[w] = t;
        i = w;
    }
}

static int heap_offer(ranked_heap *h, double score, uint32_t d)
{
    gca__kb_ranked r = {(long long)d, score};
    if (h->n < h->k) {
        if (grow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v) < 0)
            return -1;
        size_t i = h->n++;
        h->v[i] = r;
        while (i > 0) {
            size_t up = (i - 1) / 2;
            if (!before(h, &h->v[up], &h->v[i]))
                break;
            gca__kb_ranked t = h->v[i];
            h->v[i] = h->v[up];
            h->v[up] = t;
            i = up;
        }
    } else if (h->k && (score > h->v[0].score ||
                        (score == h->v[0].score && before(h, &r, &h->v[0])))) {
        h->v[0] = r;
        sift_down(h, 0, h->n);
    }
    return 0;
}

/* bm25 of one phrase in an entry, as fts5_aux.c computes it: the same
 * operations in the same order, so that the doubles are equal. */
static inline double bm25_term(double idf, uint32_t wf2, double norm)
{
    const double k1 = 1.2;
    double freq = wf2 * 0.5;
    return idf * ((freq * (k1 + 1.0)) / (freq + norm));
}

/* Each phrase's hits into ph[], and its IDF; 0, GCA_E*, or 1 when a
 * phrase is one the index leaves to SQL. */
static int phrases(const gca__kb_index *ix, const gca__kb_term *t,
                   const size_t *order, size_t np, hits *ph, double *idf,
                   gca_err *err)
{
    int rc = 0;
    qtokens *qt = gca_malloc(sizeof *qt);
    if (!qt)
        return nomem(err);
    gca_buf_init(&qt->text, GCA_KB_QUERY_MAX * 4 + 64);
    gca_buf gtext = GCA_BUF_INIT(GCA_KB_QUERY_MAX + 64);
    for (size_t k = 0; k < np && rc == 0; k++) {
        const gca__kb_term *tm = &t[order[k]];
        gca__kb_term_text(tm, &gtext);
        gca_buf_reset(&qt->text);
        qt->n = 0;
        int flags = FTS5_TOKENIZE_QUERY |
                    (tm->prefix ? FTS5_TOKENIZE_PREFIX : 0);
        if (gca_buf_error(&gtext) ||
            ix->tok.xTokenize(ix->tokenizer, qt, flags,
                              gtext.ptr ? gtext.ptr : "", (int)gtext.len,
                              on_query_token) != SQLITE_OK ||
            gca_buf_error(&qt->text)) {
            rc = nomem(err);
            break;
        }
        if (qt->n > 1 && tm->prefix) {
            rc = 1; /* a phrase ending in a prefix */
            break;
        }
        if (qt->n == 1) {
            size_t lo, hi;
            term_range(ix, qt->text.ptr, qt->len[0], tm->prefix, &lo, &hi);
            if (range_hits(ix, lo, hi, &ph[k]) < 0)
                rc = nomem(err);
        } else if (qt->n > 1) {
            const term *w[GCA_KB_QUERY_MAX + 1];
            int missing = 0;
            for (size_t j = 0; j < qt->n; j++) {
                size_t lo, hi;
                term_range(ix, qt->text.ptr + qt->off[j], qt->len[j], 0, &lo,
                           &hi);
                missing |= lo == hi;
                w[j] = lo < hi ? &ix->terms[lo] : NULL;
            }
            if (!missing && phrase_hits(ix, w, qt->n, &ph[k]) < 0)
                rc = nomem(err);
        }
        /* (No words: FTS5 matches nothing for such a phrase.) IDF as
         * FTS5's bm25() computes it. */
        long long nrow = (long long)ix->ndoc, nhit = (long long)ph[k].n;
        idf[k] = log((nrow - nhit + 0.5) / (nhit + 0.5));
        if (idf[k] <= 0.0)
            idf[k] = 1e-6;
    }
    gca_buf_release(&gtext);
    gca_buf_release(&qt->text);
    gca_free(qt);
    return rc;
}

int gca__kb_index_search(gca_store *st, gca__kb_index *ix,
                         const gca_kb_query *q, gca__kb_ranked **page,
                         size_t *npage, size_t *total, gca_err *err)
{
    gca__kb_term t[GCA_KB_TERMS_MAX];
    size_t nt = 0;
    *page = NULL;
    *npage = 0;
    *total = 0;
    int rc = gca__kb_terms(q->text, t, &nt, err);
    if (rc < 0)
        return rc;
    /* Phrases in the order of the MATCH expression: the positive terms,
     * then the excluded ones; bm25 sums them in that order. */
    size_t order[GCA_KB_TERMS_MAX], np = 0, npos;
    for (size_t i = 0; i < nt; i++)
        if (!t[i].neg)
            order[np++] = i;
    npos = np;
    for (size_t i = 0; i < nt; i++)
        if (t[i].neg)
            order[np++] = i;
    int group[GCA_KB_TERMS_MAX], ngroup = 0;
    for (size_t k = 0; k < npos; k++)
        group[k] = t[order[k]].or_before && k ? group[k - 1] : ngroup++;
    hits ph[GCA_KB_TERMS_MAX];
    memset(ph, 0, sizeof ph);
    double idf[GCA_KB_TERMS_MAX];
    filter f = {0};
    ranked_heap h = {ix, NULL, 0, 0, 0};
    rc = phrases(ix, t, order, np, ph, idf, err);
    if (rc != 0 || np == 0) {
        rc = rc < 0 ? rc : 0; /* 1: for SQL */
        goto out;
    }
    rc = filter_init(st, ix, q, &f, err);
    if (rc < 0)
        goto out;
    h.k = (size_t)q->offset + (size_t)(q->limit ? q->limit : 20);

    if (np == 1) {
        /* One phrase: its hits are the matches. */
        const hits *p = &ph[0];
        for (size_t i = 0; i < p->n; i++) {
            uint32_t d = hit_doc(p, i);
            if (f.any && !passes(ix, &ix->docs[d], &f))
                continue;
            (*total)++;
            double score = 0.0;
            score += bm25_term(idf[0], hit_wf2(p, i), ix->norm[d]);
            if (heap_offer(&h, -(-1.0 * score), d) < 0) {
                rc = nomem(err);
                goto out;
            }
        }
    } else {
        /* Entry at a time. When a phrase is required (alone in its OR
         * group), only its entries can match: the shortest such list
         * leads and the others seek to it. Else every positive list
         * is walked. */
        size_t cur[GCA_KB_TERMS_MAX] = {0};
        uint32_t wf2[GCA_KB_TERMS_MAX] = {0};
        unsigned char gm[GCA_KB_TERMS_MAX];
        int gsize[GCA_KB_TERMS_MAX] = {0};
        for (size_t k = 0; k < npos; k++)
            gsize[group[k]]++;
        size_t lead = npos;
        for (size_t k = 0; k < npos; k++)
            if (gsize[group[k]] == 1 && (lead == npos || ph[k].n < ph[lead].n))
                lead = k;
        size_t li = 0;
        for (;;) {
            uint32_t d = UINT32_MAX;
            if (lead < npos) {
                if (li == ph[lead].n)
                    break;
                d = hit_doc(&ph[lead], li++);
            } else {
                for (size_t k = 0; k < npos; k++)
                    if (cur[k] < ph[k].n && hit_doc(&ph[k], cur[k]) < d)
                        d = hit_doc(&ph[k], cur[k]);
                if (d == UINT32_MAX)
                    break;
            }
            memset(gm, 0, (size_t)ngroup);
            for (size_t k = 0; k < npos; k++) {
                wf2[k] = 0;
                cur[k] = hits_seek(&ph[k], cur[k], d);
                if (cur[k] < ph[k].n && hit_doc(&ph[k], cur[k]) == d) {
                    wf2[k] = hit_wf2(&ph[k], cur[k]);
                    gm[group[k]] = 1;
                    cur[k]++;
                }
            }
            int ok = 1;
            for (int g = 0; g < ngroup && ok; g++)
                ok = gm[g];
            for (size_t k = npos; k < np && ok; k++) {
                cur[k] = hits_seek(&ph[k], cur[k], d);
                ok = !(cur[k] < ph[k].n && hit_doc(&ph[k], cur[k]) == d);
            }
            if (!ok || (f.any && !passes(ix, &ix->docs[d], &f)))
                continue;
            (*total)++;
            /* The excluded phrases have no instance in a match: their
             * terms are 0 and add nothing, as in FTS5. */
            double score = 0.0;
            for (size_t k = 0; k < npos; k++)
                score += bm25_term(idf[k], wf2[k], ix->norm[d]);
            if (heap_offer(&h, -(-1.0 * score), d) < 0) {
                rc = nomem(err);
                goto out;
            }
        }
    }
    /* Best first: take the worst off the heap into the back. */
    for (size_t n = h.n; n > 1; n--) {
        gca__kb_ranked tmp = h.v[0];
        h.v[0] = h.v[n - 1];
        h.v[n - 1] = tmp;
        sift_down(&h, 0, n - 1);
    }
    size_t from = (size_t)q->offset < h.n ? (size_t)q->offset : h.n;
    *npage = h.n - from;
    if (*npage) {
        *page = gca_malloc(*npage * sizeof **page);
        if (!*page) {
            *npage = 0;
            rc = nomem(err);
            goto out;
        }
        for (size_t i = 0; i < *npage; i++) {
            (*page)[i] = h.v[from + i];
            (*page)[i].rowid = ix->docs[h.v[from + i].rowid].rowid;
        }
    }
    rc = 1;
out:
    for (size_t k = 0; k < np; k++)
        hits_free(&ph[k]);
    filter_free(&f);
    gca_free(h.v);
    if (rc <= 0)
        *total = 0;
    return rc;
}
