/* kb.c - the knowledge base in the store (gca/kb.h): import of checked
 * files (all of a file or nothing, one audit event per file), the
 * shipped files data/kb/NAME.csv, export, full-text search and lookups.
 * Tables: schema/0004_kb.sql; format and search rules: docs/kb.md.
 * The search SQL (MATCH, bm25(), snippet()) is SQLite FTS5 only: a
 * PostgreSQL backend needs its own (tsvector) version of it. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "gateway/kb.h"
#include "gca/countries.h"
#include "store/audit.h"
#include "store/kbindex.h"
#include "store/workflow.h"

#include "core/banned.h"

#define KB_DIR "data/kb/"
#define EXPORT_MAX ((size_t)1 << 30)

static const char entry_cols[] =
    "e.id, e.kind, e.subtype, e.title, e.summary, e.pillars, e.countries, "
    "e.region, e.year, e.status, e.url, e.source, e.retrieved, e.note, "
    "e.origin";

/* The entry in columns 0..14 of the current row (borrowed until the
 * next step). */
static void row_entry(gca_store *st, gca__stmt *s, gca_kb_entry *e)
{
    const gca__backend *be = st->be;
    const char *v[15];
    for (int i = 0; i < 15; i++) {
        v[i] = be->col_text(s, i);
        if (!v[i])
            v[i] = "";
    }
    e->id = v[0];
    e->kind = v[1];
    e->subtype = v[2];
    e->title = v[3];
    e->summary = v[4];
    e->pillars = v[5];
    e->countries = v[6];
    e->region = v[7];
    e->year = (int)be->col_int(s, 8);
    e->status = v[9];
    e->url = v[10];
    e->source = v[11];
    e->retrieved = v[12];
    e->note = v[13];
    e->origin = v[14];
}

/* ====== Writing entries ====== */

typedef struct writer {
    gca_store *st;
    gca__stmt *upsert, *del_c, *del_p, *ins_c, *ins_p;
    const char *origin;
    char now[32];
    size_t n;
    gca_err *err;
} writer;

static void writer_release(writer *w)
{
    const gca__backend *be = w->st->be;
    be->finalize(w->upsert);
    be->finalize(w->del_c);
    be->finalize(w->del_p);
    be->finalize(w->ins_c);
    be->finalize(w->ins_p);
}

static int writer_init(writer *w, gca_store *st, const char *origin,
                       gca_err *err)
{
    memset(w, 0, sizeof *w);
    w->st = st;
    w->origin = origin;
    w->err = err;
    const gca__backend *be = st->be;
    /* Rows are rewritten only when something differs, so that loading
     * the same file twice changes nothing (not even updated_at). */
    int rc = be->prepare(
        st->conn,
        "INSERT INTO kb_entries (id, kind, subtype, title, summary, "
        "pillars, countries, region, year, status, url, source, retrieved, "
        "note, origin, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
        "subtype = excluded.subtype, title = excluded.title, "
        "summary = excluded.summary, pillars = excluded.pillars, "
        "countries = excluded.countries, region = excluded.region, "
        "year = excluded.year, status = excluded.status, "
        "url = excluded.url, source = excluded.source, "
        "retrieved = excluded.retrieved, note = excluded.note, "
        "origin = excluded.origin, updated_at = excluded.updated_at "
        "WHERE kind IS NOT excluded.kind OR subtype IS NOT excluded.subtype "
        "OR title IS NOT excluded.title OR summary IS NOT excluded.summary "
        "OR pillars IS NOT excluded.pillars "
        "OR countries IS NOT excluded.countries "
        "OR region IS NOT excluded.region OR year IS NOT excluded.year "
        "OR status IS NOT excluded.status OR url IS NOT excluded.url "
        "OR source IS NOT excluded.source "
        "OR retrieved IS NOT excluded.retrieved OR note IS NOT excluded.note "
        "OR origin IS NOT excluded.origin "
        "RETURNING rowid",
        &w->upsert, err);
    if (rc == 0)
        rc = be->prepare(st->conn,
                         "DELETE FROM kb_entry_countries WHERE entry = ?",
                         &w->del_c, err);
    if (rc == 0)
        rc = be->prepare(st->conn,
                         "DELETE FROM kb_entry_pillars WHERE entry = ?",
                         &w->del_p, err);
    if (rc == 0)
        rc = be->prepare(st->conn,
                         "INSERT INTO kb_entry_countries (entry, iso3) "
                         "VALUES (?, ?)",
                         &w->ins_c, err);
    if (rc == 0)
        rc = be->prepare(st->conn,
                         "INSERT INTO kb_entry_pillars (entry, pillar) "
                         "VALUES (?, ?)",
                         &w->ins_p, err);
    if (rc == 0)
        rc = gca__store_now(st, w->now, err);
    if (rc < 0)
        writer_release(w);
    return rc;
}

/* Run `s` once to its end. */
static int run(gca_store *st, gca__stmt *s, gca_err *err)
{
    int rc;
    do
        rc = st->be->step(s, err);
    while (rc > 0);
    st->be->reset(s);
    return rc;
}

/* One row per item of the ';' list `list` through `ins`. */
static int put_items(writer *w, gca__stmt *ins, long long row,
                     const char *list)
{
    const gca__backend *be = w->st->be;
    char item[16];
    while (*list) {
        size_t k = strcspn(list, ";");
        if (k >= sizeof item)
            return gca_fail(w->err, GCA_EINTERNAL, "kb", 0, 0,
                            "list item too long");
        memcpy(item, list, k);
        item[k] = '\0';
        be->bind_int(ins, 1, row);
        be->bind_text(ins, 2, item);
        int rc = run(w->st, ins, w->err);
        if (rc < 0)
            return rc;
        list += k + (list[k] == ';');
    }
    return 0;
}

static int put_entry(const gca_kb_entry *e, void *ctx)
{
    writer *w = ctx;
    const gca__backend *be = w->st->be;
    gca__stmt *s = w->upsert;
    const char *text[] = {e->id,      e->kind,    e->subtype, e->title,
                          e->summary, e->pillars, e->countries, e->region};
    for (int i = 0; i < 8; i++)
        be->bind_text(s, i + 1, text[i]);
    if (e->year)
        be->bind_int(s, 9, e->year);
    else
        be->bind_text(s, 9, NULL);
    be->bind_text(s, 10, e->status);
    be->bind_text(s, 11, e->url);
    be->bind_text(s, 12, e->source);
    be->bind_text(s, 13, e->retrieved);
    be->bind_text(s, 14, e->note);
    be->bind_text(s, 15, w->origin);
    be->bind_text(s, 16, w->now);
    int rc = be->step(s, w->err);
    long long row = rc > 0 ? be->col_int(s, 0) : 0;
    if (rc > 0)
        rc = be->step(s, w->err);
    be->reset(s);
    if (rc < 0)
        return rc;
    w->n++;
    if (!row) /* unchanged */
        return 0;
    be->bind_int(w->del_c, 1, row);
    be->bind_int(w->del_p, 1, row);
    rc = run(w->st, w->del_c, w->err);
    if (rc == 0)
        rc = run(w->st, w->del_p, w->err);
    if (rc == 0)
        rc = put_items(w, w->ins_c, row, e->countries);
    if (rc == 0)
        rc = put_items(w, w->ins_p, row, e->pillars);
    return rc;
}

/* ====== Import ====== */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int require_writer_role(gca_store *st, const char *actor,
                               gca_err *err)
{
    gca_user u;
    int rc = gca__store_actor(st, actor, &u, err);
    if (rc < 0)
        return rc;
    if (strcmp(u.role, "admin") != 0 && strcmp(u.role, "analyst") != 0)
        return gca_fail(err, GCA_EPERM, st->path, 0, 0,
                        "'%s' (%s) may not import into the knowledge base: "
                        "only an admin or an analyst may",
                        u.name, u.role);
    return 0;
}

static int audit_import(gca_store *st, const char *actor, const char *name,
                        const gca_buf *text, size_t n, gca_err *err)
{
    char object[GCA_AUDIT_MAX_OBJECT];
    char sha[65];
    int len = snprintf(object, sizeof object, "kb/%s", name);
    if (len < 0 || (size_t)len >= sizeof object)
        return gca_fail(err, GCA_EINVAL, name, 0, 0, "file name too long");
    gca__sha256_hex(text->ptr ? text->ptr : "", text->len, sha);
    json_t *data = json_pack("{s:s, s:I, s:I, s:s}", "file", name,
                             "entries", (json_int_t)n, "size",
                             (json_int_t)text->len, "sha256", sha);
    if (!data)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    int rc = gca__audit_append(st, actor, "kb.import", object, data, err);
    json_decref(data);
    return rc;
}

int gca_kb_import(gca_store *st, const char *actor, const char *path,
                  size_t *count, gca_err *err)
{
    gca_buf text = GCA_BUF_INIT(GCA_KB_FILE_MAX);
    writer w;
    int have_w = 0;
    if (!path || !*path)
        return gca_fail(err, GCA_EINVAL, "file", 0, 0, "no file given");
    const char *name = base_name(path);
    int rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = gca_file_read(path, &text, err);
    if (rc == 0)
        rc = gca__check_text(st, "file", name, 255, err);
    if (rc < 0)
        goto out;
    rc = st->be->begin(st->conn, err);
    if (rc < 0)
        goto out;
    rc = require_writer_role(st, actor, err);
    if (rc == 0)
        rc = writer_init(&w, st, name, err);
    have_w = rc == 0;
    /* The parser checks the whole file before the first put_entry. */
    if (rc == 0)
        rc = gca_kb_parse(text.ptr ? text.ptr : "", text.len, path,
                          put_entry, &w, err);
    if (rc == 0)
        rc = audit_import(st, actor, name, &text, w.n, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    else if (count)
        *count = w.n;
    if (have_w)
        writer_release(&w);
out:
    gca_buf_release(&text);
    return rc;
}

int gca__kb_load_shipped(gca_store *st, gca_err *err)
{
    writer w;
    gca_countries *cs = NULL;
    size_t dlen = strlen(KB_DIR);
    int rc = gca_countries_default(&cs, err);
    if (rc < 0)
        return rc;
    rc = writer_init(&w, st, "shipped", err);
    if (rc < 0) {
        gca_countries_free(cs);
        return rc;
    }
    for (size_t i = 0; rc == 0 && i < gca__embedded_nfiles; i++) {
        const gca__blob *b = &gca__embedded_files[i];
        size_t len = strlen(b->name);
        if (strncmp(b->name, KB_DIR, dlen) != 0 || len < 4 ||
            strcmp(b->name + len - 4, ".csv") != 0)
            continue;
        rc = gca__kb_parse_with(b->data, b->len, b->name, cs, put_entry, &w,
                                err);
    }
    writer_release(&w);
    gca_countries_free(cs);
    return rc;
}

/* ====== Queries ====== */

/* A query as SQL with its parameters (all text or int). */
typedef struct sqlq {
    gca_buf sql;
    struct {
        const char *text;
        long long num;
    } arg[24];
    int narg;
} sqlq;

static void arg_text(sqlq *q, const char *v)
{
    q->arg[q->narg].text = v;
    q->arg[q->narg++].num = 0;
}

static void arg_int(sqlq *q, long long v)
{
    q->arg[q->narg].text = NULL;
    q->arg[q->narg++].num = v;
}

static void bind_args(gca_store *st, gca__stmt *s, const sqlq *q)
{
    for (int i = 0; i < q->narg; i++) {
        if (q->arg[i].text)
            st->be->bind_text(s, i + 1, q->arg[i].text);
        else
            st->be->bind_int(s, i + 1, q->arg[i].num);
    }
}

static int check_filters(gca_store *st, const gca_kb_query *q, gca_err *err)
{
    if (q->kind && !gca__kb_in_list(gca_kb_kinds, q->kind))
        return gca_fail(err, GCA_EINVAL, "kind", 0, 0,
                        "kind '%.32s' is not one of initiative, "
                        "legal_instrument, organisation, national_cirt, "
                        "standard, norm, rights_measure",
                        q->kind);
    static const char *const pillars[] = {"LEG", "TEC", "ORG", "CAP", "COO",
                                          NULL};
    if (q->pillar && !gca__kb_in_list(pillars, q->pillar))
        return gca_fail(err, GCA_EINVAL, "pillar", 0, 0,
                        "pillar '%.16s' is not one of LEG, TEC, ORG, CAP, "
                        "COO",
                        q->pillar);
    if (q->country) {
        gca_err e2 = {0};
        if (gca__country_require(st, q->country, &e2) < 0)
            return gca_fail(err, GCA_EINVAL, "country", 0, 0, "%s", e2.msg);
    }
    if ((q->year_from && (q->year_from < GCA_KB_YEAR_MIN ||
                          q->year_from > GCA_KB_YEAR_MAX)) ||
        (q->year_to && (q->year_to < GCA_KB_YEAR_MIN ||
                        q->year_to > GCA_KB_YEAR_MAX)) ||
        (q->year_from && q->year_to && q->year_from > q->year_to))
        return gca_fail(err, GCA_EINVAL, "year", 0, 0,
                        "years %d to %d are not a range within %d..%d",
                        q->year_from, q->year_to, GCA_KB_YEAR_MIN,
                        GCA_KB_YEAR_MAX);
    if (q->limit < 0 || q->limit > 1000)
        return gca_fail(err, GCA_EINVAL, "limit", 0, 0,
                        "limit %d is not within 1..1000", q->limit);
    if (q->offset < 0)
        return gca_fail(err, GCA_EINVAL, "offset", 0, 0,
                        "offset %d is negative", q->offset);
    const char *text[] = {q->region, q->status};
    for (int i = 0; i < 2; i++) {
        int rc = gca__check_text(st, i ? "status" : "region", text[i], 200,
                                 err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* " AND ..." for each filter of q. */
static void add_filters(sqlq *s, const gca_kb_query *q)
{
    if (q->kind) {
        gca_buf_puts(&s->sql, " AND e.kind = ?");
        arg_text(s, q->kind);
    }
    if (q->status) {
        gca_buf_puts(&s->sql, " AND e.status = ?");
        arg_text(s, q->status);
    }
    if (q->year_from) {
        gca_buf_puts(&s->sql, " AND e.year >= ?");
        arg_int(s, q->year_from);
    }
    if (q->year_to) {
        gca_buf_puts(&s->sql, " AND e.year <= ?");
        arg_int(s, q->year_to);
    }
    if (q->pillar) {
        gca_buf_puts(&s->sql, " AND EXISTS (SELECT 1 FROM kb_entry_pillars p "
                              "WHERE p.entry = e.rowid AND p.pillar = ?)");
        arg_text(s, q->pillar);
    }
    if (q->country) {
        gca_buf_puts(&s->sql, " AND EXISTS (SELECT 1 FROM kb_entry_countries "
                              "c WHERE c.entry = e.rowid AND c.iso3 = ?)");
        arg_text(s, q->country);
    }
    if (q->region) {
        /* The entry's own region, or an M49 region, sub-region or
         * intermediate region of one of its countries. */
        gca_buf_puts(&s->sql,
                     " AND (lower(e.region) = lower(?) OR EXISTS (SELECT 1 "
                     "FROM kb_entry_countries c JOIN countries k ON k.iso3 "
                     "= c.iso3 WHERE c.entry = e.rowid AND (lower(k."
                     "m49_region) = lower(?) OR lower(k.m49_subregion) = "
                     "lower(?) OR lower(k.m49_intermediate_region) = "
                     "lower(?))))");
        for (int i = 0; i < 4; i++)
            arg_text(s, q->region);
    }
}

typedef struct search_run {
    gca_kb_hit_fn fn;
    void *ctx;
    int text;
} search_run;

static int run_query(gca_store *st, sqlq *s, const search_run *sr,
                     size_t *total, gca_err *err)
{
    gca__stmt *stmt = NULL;
    if (gca_buf_error(&s->sql))
        return gca_fail(err, GCA_ENOMEM, "kb", 0, 0, "out of memory");
    int rc = st->be->prepare(st->conn, s->sql.ptr, &stmt, err);
    if (rc < 0)
        return rc;
    bind_args(st, stmt, s);
    size_t n = 0;
    while ((rc = st->be->step(stmt, err)) > 0) {
        gca_kb_hit h;
        row_entry(st, stmt, &h.entry);
        h.score = sr->text ? st->be->col_double(stmt, 15) : 0.0;
        h.snippet = sr->text ? st->be->col_text(stmt, 16) : "";
        if (!h.snippet)
            h.snippet = "";
        n++;
        if (sr->fn) {
            rc = sr->fn(&h, sr->ctx);
            if (rc)
                break;
        }
    }
    st->be->finalize(stmt);
    if (total)
        *total = n;
    return rc;
}

/* SELECT for q: with text through kb_fts, else on kb_entries alone;
 * `by_id` orders by id without a limit (export), `count` only counts.
 * The count is a query of its own: FTS5's bm25() and snippet() cannot
 * be used next to a window function such as count(*) OVER (). */
static int build_query(gca_store *st, const gca_kb_query *q, int by_id,
                       int count, sqlq *s, gca_buf *match, gca_err *err)
{
    int rc = check_filters(st, q, err);
    if (rc == 0)
        rc = gca__kb_fts_query(q->text, match, err);
    if (rc < 0)
        return rc;
    if (match->len && !count && !by_id) {
        /* Rank and page first, then fetch the columns and the snippet of
         * the page only: in one flat query SQLite computes snippet() and
         * reads every column for each match before sorting, which for a
         * common word means thousands of snippets to show twenty. The
         * outer MATCH with a rowid equality reads one row of the index.
         * Column weights: title, summary, subtype, region, note. */
        gca_buf_printf(&s->sql, "SELECT %s, p.score, snippet(kb_fts, -1, ?, "
                                "?, '...', 24)", entry_cols);
        arg_text(s, q->mark_open ? q->mark_open : "[");
        arg_text(s, q->mark_close ? q->mark_close : "]");
        gca_buf_puts(&s->sql,
                     " FROM (SELECT kb_fts.rowid AS rid, -bm25(kb_fts, 10.0, "
                     "1.0, 2.0, 1.0, 0.5) AS score FROM kb_fts");
        /* CROSS JOIN keeps kb_fts the outer loop: with a kind or year
         * filter the planner would otherwise walk kb_entries by index
         * and run the MATCH once per row, hundreds of times slower. */
        gca_buf_puts(&s->sql, " CROSS JOIN kb_entries e ON e.rowid = "
                              "kb_fts.rowid");
        gca_buf_puts(&s->sql, " WHERE kb_fts MATCH ?");
        arg_text(s, match->ptr);
        add_filters(s, q);
        gca_buf_puts(&s->sql, " ORDER BY score DESC, e.id LIMIT ? OFFSET ?) "
                              "p CROSS JOIN kb_fts ON kb_fts.rowid = p.rid "
                              "CROSS JOIN kb_entries e ON e.rowid = p.rid "
                              "WHERE kb_fts MATCH ? ORDER BY p.score DESC, "
                              "e.id");
        arg_int(s, q->limit ? q->limit : 20);
        arg_int(s, q->offset);
        arg_text(s, match->ptr);
        return 0;
    }
    if (count)
        gca_buf_puts(&s->sql, "SELECT count(*)");
    else
        gca_buf_printf(&s->sql, "SELECT %s", entry_cols);
    if (match->len) {
        if (!count)
            gca_buf_puts(&s->sql, ", 0, ''");
        gca_buf_puts(&s->sql, " FROM kb_fts CROSS JOIN kb_entries e ON "
                              "e.rowid = kb_fts.rowid WHERE kb_fts MATCH ?");
        arg_text(s, match->ptr);
    } else {
        gca_buf_puts(&s->sql, count ? " FROM kb_entries e WHERE 1"
                                    : ", 0, '' FROM kb_entries e WHERE 1");
    }
    add_filters(s, q);
    if (count)
        return 0;
    if (by_id)
        gca_buf_puts(&s->sql, " ORDER BY e.id");
    else
        gca_buf_puts(&s->sql,
                     " ORDER BY CASE e.kind WHEN 'initiative' THEN 0 "
                     "WHEN 'legal_instrument' THEN 1 WHEN 'organisation' "
                     "THEN 2 WHEN 'national_cirt' THEN 3 WHEN 'standard' "
                     "THEN 4 WHEN 'norm' THEN 5 ELSE 6 END, e.year DESC, "
                     "e.title, e.id");
    if (!by_id) {
        gca_buf_puts(&s->sql, " LIMIT ? OFFSET ?");
        arg_int(s, q->limit ? q->limit : 20);
        arg_int(s, q->offset);
    }
    return 0;
}

static int count_query(gca_store *st, sqlq *s, size_t *total, gca_err *err)
{
    gca__stmt *stmt = NULL;
    if (gca_buf_error(&s->sql))
        return gca_fail(err, GCA_ENOMEM, "kb", 0, 0, "out of memory");
    int rc = st->be->prepare(st->conn, s->sql.ptr, &stmt, err);
    if (rc < 0)
        return rc;
    bind_args(st, stmt, s);
    rc = st->be->step(stmt, err);
    if (rc > 0) {
        *total = (size_t)st->be->col_int(stmt, 0);
        rc = 0;
    }
    st->be->finalize(stmt);
    return rc;
}

/* The index of st, rebuilt if the knowledge base changed since. */
static int index_current(gca_store *st, gca_err *err)
{
    long long gen = 0;
    int rc = gca__kb_generation(st, &gen, err);
    if (rc < 0)
        return rc;
    if (st->kb_index && gca__kb_index_generation(st->kb_index) == gen)
        return 0;
    gca__kb_index_free(st->kb_index);
    st->kb_index = NULL;
    return gca__kb_index_build(st, &st->kb_index, err);
}

int gca_kb_keep_index(gca_store *st, int on, gca_err *err)
{
    if (!on) {
        gca__kb_index_free(st->kb_index);
        st->kb_index = NULL;
        st->kb_keep = 0;
        return 0;
    }
    int rc = index_current(st, err);
    st->kb_keep = rc == 0;
    return rc;
}

/* The hits of a page, copied so that fn runs after the snippet table
 * is rolled back (fn may write to the store). */
typedef struct page_hit {
    gca_kb_hit h;
    int found;
} page_hit;

/* The text fields of gca_kb_entry. */
static const size_t entry_text[] = {
    offsetof(gca_kb_entry, id),        offsetof(gca_kb_entry, kind),
    offsetof(gca_kb_entry, subtype),   offsetof(gca_kb_entry, title),
    offsetof(gca_kb_entry, summary),   offsetof(gca_kb_entry, pillars),
    offsetof(gca_kb_entry, countries), offsetof(gca_kb_entry, region),
    offsetof(gca_kb_entry, status),    offsetof(gca_kb_entry, url),
    offsetof(gca_kb_entry, source),    offsetof(gca_kb_entry, retrieved),
    offsetof(gca_kb_entry, note),      offsetof(gca_kb_entry, origin),
};

static const char *arena_copy(gca_arena *a, const char *s, int *oom)
{
    char *d = gca_arena_strdup(a, s ? s : "");
    if (!d)
        *oom = 1;
    return d ? d : "";
}

/* Rows and snippets of the page. snippet() depends on the row and the
 * query only, but FTS5 merges every term of a prefix ("cyb*") over the
 * whole index for each statement, whatever rowid it asks for; so the
 * page's rows go into a TEMP FTS5 table of the same columns and
 * tokenizer inside a savepoint, give their snippets there, and are
 * rolled back. TEMP tables work on read-only connections too. */
static int page_rows(gca_store *st, const gca_kb_query *q, const char *match,
                     const gca__kb_ranked *page, size_t npage,
                     page_hit *out, gca_arena *a, gca_err *err)
{
    const gca__backend *be = st->be;
    gca__stmt *ins = NULL, *sel = NULL;
    /* Made once per connection, outside any transaction of the caller
     * (whose rollback would take it away). */
    int outside = !be->in_tx(st->conn);
    int rc = st->kb_snip ? 0
                         : be->exec(st->conn,
                                    "CREATE VIRTUAL TABLE IF NOT EXISTS "
                                    "temp.kb_snip USING fts5(title, summary, "
                                    "subtype, region, note, tokenize = "
                                    "'unicode61 remove_diacritics 2')",
                                    err);
    if (rc == 0)
        rc = be->exec(st->conn, "SAVEPOINT gca_kb_snip", err);
    if (rc < 0)
        return rc;
    st->kb_snip = outside;
    /* One statement: FTS5 writes its pending terms out at every
     * statement inside a savepoint. */
    gca_buf ids = GCA_BUF_INIT((size_t)1 << 20);
    gca_buf_putc(&ids, '[');
    for (size_t i = 0; i < npage; i++)
        gca_buf_printf(&ids, "%s%lld", i ? "," : "", page[i].rowid);
    gca_buf_putc(&ids, ']');
    rc = gca_buf_error(&ids) ? gca_fail(err, GCA_ENOMEM, "kb", 0, 0,
                                        "out of memory")
                             : 0;
    if (rc == 0)
        rc = be->prepare(st->conn,
                         "INSERT INTO temp.kb_snip (rowid, title, summary, "
                         "subtype, region, note) SELECT rowid, title, "
                         "summary, subtype, region, note FROM kb_entries "
                         "WHERE rowid IN (SELECT value FROM json_each(?))",
                         &ins, err);
    if (rc == 0) {
        be->bind_text(ins, 1, ids.ptr);
        rc = be->step(ins, err);
    }
    gca_buf_release(&ids);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT %s, snippet(kb_snip, -1, ?, ?, '...', 24), "
             "kb_snip.rowid FROM temp.kb_snip CROSS JOIN kb_entries e ON "
             "e.rowid = kb_snip.rowid WHERE kb_snip MATCH ?",
             entry_cols);
    if (rc >= 0)
        rc = be->prepare(st->conn, sql, &sel, err);
    if (rc >= 0) {
        be->bind_text(sel, 1, q->mark_open ? q->mark_open : "[");
        be->bind_text(sel, 2, q->mark_close ? q->mark_close : "]");
        be->bind_text(sel, 3, match);
    }
    int oom = 0;
    while (rc >= 0 && (rc = be->step(sel, err)) > 0) {
        long long rowid = be->col_int(sel, 16);
        size_t i = 0;
        while (i < npage && page[i].rowid != rowid)
            i++;
        if (i == npage)
            continue;
        gca_kb_entry *c = &out[i].h.entry;
        row_entry(st, sel, c);
        for (size_t k = 0; k < GCA_COUNT(entry_text); k++) {
            const char **f = (const char **)(void *)((char *)c +
                                                     entry_text[k]);
            *f = arena_copy(a, *f, &oom);
        }
        out[i].h.score = page[i].score;
        out[i].h.snippet = arena_copy(a, be->col_text(sel, 15), &oom);
        out[i].found = 1;
    }
    be->finalize(ins);
    be->finalize(sel);
    gca_err e2 = {0};
    int rb = be->exec(st->conn,
                      "ROLLBACK TO gca_kb_snip; RELEASE gca_kb_snip", &e2);

    if (rc >= 0 && oom)
        rc = gca_fail(err, GCA_ENOMEM, "kb", 0, 0, "out of memory");
    if (rc >= 0 && rb < 0)
        rc = gca_fail(err, rb, "kb", 0, 0, "%s", e2.msg);
    return rc < 0 ? rc : 0;
}

/* gca_kb_search through the in-memory index: it ranks and counts, then
 * the page's rows and snippets come from SQL. *done = 0 leaves the
 * search to SQL (no words, or something the index does not evaluate).
 * Returns 0, a GCA_E* or what fn returned. */
static int search_indexed(gca_store *st, const gca_kb_query *q,
                          gca_kb_hit_fn fn, void *ctx, size_t *total,
                          int *done, gca_err *err)
{
    gca_buf match = GCA_BUF_INIT(1 << 16);
    gca__kb_ranked *page = NULL;
    page_hit *hits = NULL;
    gca_arena a = GCA_ARENA_INIT(1 << 16);
    size_t npage = 0, n = 0;
    int rc = check_filters(st, q, err);
    if (rc == 0)
        rc = gca__kb_fts_query(q->text, &match, err);
    if (rc == 0 && match.len)
        rc = index_current(st, err);
    if (rc == 0 && match.len)
        rc = gca__kb_index_search(st, st->kb_index, q, &page, &npage, &n,
                                  err);
    if (rc <= 0)
        goto out;
    *done = 1;
    rc = 0;
    if (npage) {
        hits = gca_calloc(npage, sizeof *hits);
        rc = hits ? page_rows(st, q, match.ptr, page, npage, hits, &a, err)
                  : gca_fail(err, GCA_ENOMEM, "kb", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < npage && rc == 0; i++)
        if (hits[i].found && fn)
            rc = fn(&hits[i].h, ctx);
    if (rc == 0 && total)
        *total = n;
out:
    gca_free(hits);
    gca_free(page);
    gca_arena_release(&a);
    gca_buf_release(&match);
    return rc;
}

int gca_kb_search(gca_store *st, const gca_kb_query *q, gca_kb_hit_fn fn,
                  void *ctx, size_t *total, gca_err *err)
{
    static const gca_kb_query all = {0};
    sqlq s = {.sql = GCA_BUF_INIT(1 << 16)};
    sqlq c = {.sql = GCA_BUF_INIT(1 << 16)};
    gca_buf match = GCA_BUF_INIT(1 << 16);
    if (!q)
        q = &all;
    if (st->kb_keep && q->text && *q->text) {
        int done = 0;
        int rc = search_indexed(st, q, fn, ctx, total, &done, err);
        if (rc != 0 || done)
            return rc;
    }
    int rc = build_query(st, q, 0, 0, &s, &match, err);
    search_run sr = {fn, ctx, match.len > 0};
    size_t n = 0, shown = 0;
    if (rc == 0)
        rc = run_query(st, &s, &sr, &shown, err);
    /* Skip counting when the page shows every match. */
    if (rc == 0 && total) {
        int limit = q->limit ? q->limit : 20;
        if (shown > 0 && shown < (size_t)limit) {
            n = (size_t)q->offset + shown;
        } else {
            rc = build_query(st, q, 0, 1, &c, &match, err);
            if (rc == 0)
                rc = count_query(st, &c, &n, err);
        }
    }
    if (rc == 0 && total)
        *total = n;
    gca_buf_release(&s.sql);
    gca_buf_release(&c.sql);
    gca_buf_release(&match);
    return rc;
}

int gca_kb_get(gca_store *st, const char *id, gca_kb_fn fn, void *ctx,
               gca_err *err)
{
    gca__stmt *s = NULL;
    char sql[512];
    if (!id || !*id)
        return gca_fail(err, GCA_EINVAL, "id", 0, 0, "no id given");
    snprintf(sql, sizeof sql, "SELECT %s FROM kb_entries e WHERE e.id = ?",
             entry_cols);
    int rc = st->be->prepare(st->conn, sql, &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, id);
    rc = st->be->step(s, err);
    if (rc == 0)
        rc = gca_fail(err, GCA_ENOTFOUND, "id", 0, 0,
                      "no knowledge base entry '%.80s'", id);
    if (rc > 0) {
        gca_kb_entry e;
        row_entry(st, s, &e);
        rc = fn ? fn(&e, ctx) : 0;
    }
    st->be->finalize(s);
    return rc;
}

int gca_kb_counts(gca_store *st, size_t *counts, gca_err *err)
{
    gca__stmt *s = NULL;
    size_t nk = 0;
    while (gca_kb_kinds[nk])
        counts[nk++] = 0;
    int rc = st->be->prepare(st->conn,
                             "SELECT kind, count(*) FROM kb_entries "
                             "GROUP BY kind",
                             &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        const char *kind = st->be->col_text(s, 0);
        for (size_t k = 0; kind && k < nk; k++)
            if (!strcmp(kind, gca_kb_kinds[k]))
                counts[k] = (size_t)st->be->col_int(s, 1);
    }
    st->be->finalize(s);
    return rc;
}

/* ====== Export ====== */

static const char *const export_cols[] = {
    "id",      "kind",   "subtype", "title", "summary",   "pillars",
    "countries", "region", "year",  "status", "url",      "source",
    "retrieved", "note",  NULL};

/* Field i of e as text (year: "" for none). */
static const char *field_of(const gca_kb_entry *e, int i, char year[8])
{
    const char *v[] = {e->id,     e->kind,   e->subtype,  e->title,
                       e->summary, e->pillars, e->countries, e->region,
                       year,      e->status, e->url,      e->source,
                       e->retrieved, e->note};
    year[0] = '\0';
    if (e->year)
        snprintf(year, 8, "%d", e->year);
    return v[i];
}

typedef struct export_ctx {
    gca_buf *out;
    int json;
    size_t n;
} export_ctx;

/* A ';' list as a JSON array of strings. */
static void json_list_out(gca_buf *b, const char *list)
{
    gca_buf_putc(b, '[');
    int first = 1;
    while (*list) {
        size_t k = strcspn(list, ";");
        char item[16];
        if (k < sizeof item) {
            memcpy(item, list, k);
            item[k] = '\0';
            if (!first)
                gca_buf_puts(b, ", ");
            gca_buf_json_string(b, item);
            first = 0;
        }
        list += k + (list[k] == ';');
    }
    gca_buf_putc(b, ']');
}

static int export_hit(const gca_kb_hit *h, void *ctx)
{
    export_ctx *x = ctx;
    char year[8];
    if (!x->json) {
        for (int i = 0; export_cols[i]; i++) {
            if (i)
                gca_buf_putc(x->out, ',');
            gca_buf_csv_field(x->out, field_of(&h->entry, i, year));
        }
        gca_buf_putc(x->out, '\n');
    } else {
        gca_buf_puts(x->out, x->n ? ",\n  {" : "\n  {");
        int first = 1;
        for (int i = 0; export_cols[i]; i++) {
            const char *v = field_of(&h->entry, i, year);
            if (!*v)
                continue;
            gca_buf_puts(x->out, first ? "" : ", ");
            gca_buf_json_string(x->out, export_cols[i]);
            gca_buf_puts(x->out, ": ");
            if (!strcmp(export_cols[i], "year"))
                gca_buf_puts(x->out, year);
            else if (!strcmp(export_cols[i], "pillars") ||
                     !strcmp(export_cols[i], "countries"))
                json_list_out(x->out, v);
            else
                gca_buf_json_string(x->out, v);
            first = 0;
        }
        gca_buf_putc(x->out, '}');
    }
    x->n++;
    return gca_buf_error(x->out) ? 1 : 0;
}

int gca_kb_export(gca_store *st, const gca_kb_query *q, const char *format,
                  const char *path, gca_err *err)
{
    static const gca_kb_query all = {0};
    sqlq s = {.sql = GCA_BUF_INIT(1 << 16)};
    gca_buf match = GCA_BUF_INIT(1 << 16);
    gca_buf out = GCA_BUF_INIT(EXPORT_MAX);
    export_ctx x = {&out, 0, 0};
    int rc = 0;
    if (!format || !strcmp(format, "csv"))
        x.json = 0;
    else if (!strcmp(format, "json"))
        x.json = 1;
    else
        return gca_fail(err, GCA_EINVAL, "format", 0, 0,
                        "format '%.16s' is not csv or json", format);
    if (!q)
        q = &all;
    if (x.json) {
        gca_buf_puts(&out, "{\"entries\": [");
    } else {
        for (int i = 0; export_cols[i]; i++) {
            gca_buf_puts(&out, i ? "," : "");
            gca_buf_puts(&out, export_cols[i]);
        }
        gca_buf_putc(&out, '\n');
    }
    rc = build_query(st, q, 1, 0, &s, &match, err);
    search_run sr = {export_hit, &x, match.len > 0};
    if (rc == 0)
        rc = run_query(st, &s, &sr, NULL, err);
    if (rc == 0 && x.json)
        gca_buf_puts(&out, x.n ? "\n]}\n" : "]}\n");
    if (rc >= 0 && gca_buf_error(&out))
        rc = gca_fail(err, gca_buf_error(&out), path ? path : "stdout", 0, 0,
                      "export too large");
    if (rc == 0 && path) {
        rc = gca_file_write_atomic(path, out.ptr, out.len, err);
    } else if (rc == 0 && fwrite(out.ptr, 1, out.len, stdout) != out.len) {
        rc = gca_fail(err, GCA_EIO, "stdout", 0, 0, "cannot write");
    }
    gca_buf_release(&s.sql);
    gca_buf_release(&match);
    gca_buf_release(&out);
    return rc;
}
