/* kbparse.c - knowledge base files (gca/kb.h, gca_kb_parse): CSV with a
 * header row or JSON, every field checked before any entry is handed
 * on, and the translation of search text into an FTS5 MATCH expression.
 * File format and field rules: docs/kb.md. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/str.h"
#include "gateway/kb.h"
#include "gca/countries.h"

#include "core/banned.h"

const char *const gca_kb_kinds[] = {
    "initiative",    "legal_instrument", "organisation", "national_cirt",
    "standard",      "norm",             "rights_measure", NULL,
};

const char *const gca_kb_rights_measures[] = {
    "lawful_access_e2ee",         "encryption_restriction",
    "data_retention",             "subscriber_id_registration",
    "routing_restriction",        "shutdown",
    NULL,
};

static const char *const rights_status[] = {"in_force", "proposed",
                                            "repealed", "struck_down", NULL};
static const char *const cirt_status[] = {"has", "none", NULL};
static const char *const instrument_types[] = {
    "convention", "protocol",  "declaration", "agreement",
    "guideline",  "directive", "regulation",  "resolution",
    "law",        "manual",    "strategy",    NULL,
};
static const char *const pillar_codes[] = {"LEG", "TEC", "ORG", "CAP", "COO",
                                           NULL};

/* The columns of a file, in export order. */
enum field {
    F_ID, F_KIND, F_SUBTYPE, F_TITLE, F_SUMMARY, F_PILLARS, F_COUNTRIES,
    F_REGION, F_YEAR, F_STATUS, F_URL, F_SOURCE, F_RETRIEVED, F_NOTE,
    NFIELD
};

static const struct {
    const char *name;
    size_t max;   /* bytes */
    int required; /* must be a column and non-empty */
    int lines;    /* may hold \n and \t */
} fields[NFIELD] = {
    {"id", GCA_KB_ID_MAX, 1, 0},
    {"kind", 32, 1, 0},
    {"subtype", 64, 0, 0},
    {"title", GCA_KB_TITLE_MAX, 1, 0},
    {"summary", GCA_KB_SUMMARY_MAX, 0, 1},
    {"pillars", 64, 0, 0},
    {"countries", 4096, 0, 0},
    {"region", 200, 0, 0},
    {"year", 16, 0, 0},
    {"status", 64, 0, 0},
    {"url", 2048, 0, 0},
    {"source", 1000, 1, 0},
    {"retrieved", 10, 0, 0},
    {"note", GCA_KB_NOTE_MAX, 0, 1},
};

int gca__kb_in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* One entry as read, with where each field was (CSV) or its number
 * (JSON), then as checked. */
typedef struct rec {
    const char *v[NFIELD]; /* never NULL once read */
    int line[NFIELD], col[NFIELD];
    size_t entry;          /* JSON: 1-based entry number; CSV: 0 */
    int year;
} rec;

typedef struct pctx {
    const char *name;
    const gca_countries *cs;
    gca_arena *arena;
    gca_err *err;
} pctx;

/* Fail at field f of r: file:line:col for CSV, "entry N" for JSON. */
static int GCA_PRINTF(4, 5)
    bad(const pctx *p, const rec *r, int f, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->entry)
        return gca_fail(p->err, GCA_EPARSE, p->name, 0, 0,
                        "entry %zu, field '%s': %s", r->entry,
                        fields[f].name, msg);
    return gca_fail(p->err, GCA_EPARSE, p->name, r->line[f], r->col[f],
                    "%s", msg);
}

/* ====== Field checks ====== */

static int check_text(const pctx *p, const rec *r, int f)
{
    const char *s = r->v[f];
    size_t n = strlen(s);
    if (n > fields[f].max)
        return bad(p, r, f, "%s is %zu bytes long, more than %zu",
                   fields[f].name, n, fields[f].max);
    if (gca_utf8_valid_prefix(s, n) != n)
        return bad(p, r, f, "%s is not valid UTF-8", fields[f].name);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x7f || (c < 0x20 && !(fields[f].lines &&
                                        (c == '\n' || c == '\t'))))
            return bad(p, r, f, "%s contains a control character at byte "
                       "%zu", fields[f].name, i + 1);
    }
    if (fields[f].required && n == 0)
        return bad(p, r, f, "%s is empty: it is required", fields[f].name);
    return 0;
}

static int check_id(const pctx *p, const rec *r)
{
    for (const char *s = r->v[F_ID]; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("._:/-", c)))
            return bad(p, r, F_ID, "id '%s' may hold only letters, digits "
                       "and . _ : / -", r->v[F_ID]);
    }
    return 0;
}

static int check_year(const pctx *p, rec *r)
{
    const char *s = r->v[F_YEAR];
    long y;
    r->year = 0;
    if (!*s)
        return 0;
    if (!gca_parse_int((gca_str){s, strlen(s)}, GCA_KB_YEAR_MIN,
                       GCA_KB_YEAR_MAX, &y))
        return bad(p, r, F_YEAR, "year '%s' is not a whole number from %d "
                   "to %d", s, GCA_KB_YEAR_MIN, GCA_KB_YEAR_MAX);
    r->year = (int)y;
    return 0;
}

static int check_date(const pctx *p, const rec *r)
{
    const char *d = r->v[F_RETRIEVED];
    if (!*d)
        return 0;
    switch (gca_date_problem(d)) {
    case GCA_DATE_FORMAT:
        return bad(p, r, F_RETRIEVED, "retrieved '%s' is not a date "
                   "YYYY-MM-DD", d);
    case GCA_DATE_NO_DAY:
        return bad(p, r, F_RETRIEVED, "retrieved '%s' is not a day of the "
                   "calendar", d);
    }
    return 0;
}

static int check_url(const pctx *p, const rec *r)
{
    const char *u = r->v[F_URL];
    if (!*u)
        return 0;
    size_t skip = gca_prefix_nocase(u, "http://")    ? 7
                  : gca_prefix_nocase(u, "https://") ? 8
                                                 : 0;
    if (!skip)
        return bad(p, r, F_URL, "url '%.64s' is not http:// or https://",
                   u);
    for (const char *s = u; *s; s++)
        if ((unsigned char)*s <= 0x20)
            return bad(p, r, F_URL, "url '%.64s' contains a blank", u);
    if (strcspn(u + skip, "/?#") == 0)
        return bad(p, r, F_URL, "url '%.64s' has no host", u);
    return 0;
}

/* A ';' list: items trimmed, each checked by `item`, written back
 * normalised ("AUT;DEU") into the arena. Empty items are an error, and
 * so is an item given twice. */
typedef int (*item_fn)(const pctx *p, const rec *r, int f, const char *it);

static int check_pillar(const pctx *p, const rec *r, int f, const char *it)
{
    if (!gca__kb_in_list(pillar_codes, it))
        return bad(p, r, f, "pillar '%s' is not one of LEG, TEC, ORG, CAP, "
                   "COO", it);
    return 0;
}

static int check_country(const pctx *p, const rec *r, int f, const char *it)
{
    const gca_country *c = gca_countries_by_iso3(p->cs, it);
    if (!c || strcmp(c->iso3, it) != 0)
        return bad(p, r, f, "country '%s' is not an ISO 3166-1 alpha-3 code "
                   "of the country list (upper case, such as FRA)", it);
    return 0;
}

static int check_list(const pctx *p, rec *r, int f, item_fn item)
{
    const char *s = r->v[f];
    size_t n = strlen(s);
    if (!n)
        return 0;
    char *out = gca_arena_alloc(p->arena, n + 1);
    if (!out)
        return gca_fail(p->err, GCA_ENOMEM, p->name, 0, 0, "out of memory");
    size_t len = 0;
    while (1) {
        size_t k = strcspn(s, ";");
        gca_str it = gca_str_trim((gca_str){s, k});
        char one[64];
        if (it.len == 0 || it.len >= sizeof one)
            return bad(p, r, f, "%s '%.64s' has an empty or over-long item",
                       fields[f].name, r->v[f]);
        memcpy(one, it.ptr, it.len);
        one[it.len] = '\0';
        int rc = item(p, r, f, one);
        if (rc < 0)
            return rc;
        /* Each item once: look for ";one;" in ";out;". */
        for (size_t i = 0; i < len;) {
            size_t m = strcspn(out + i, ";");
            if (m == it.len && !memcmp(out + i, one, m))
                return bad(p, r, f, "%s lists '%s' twice", fields[f].name,
                           one);
            i += m + 1;
        }
        if (len)
            out[len++] = ';';
        memcpy(out + len, one, it.len);
        len += it.len;
        out[len] = '\0';
        if (!s[k])
            break;
        s += k + 1;
    }
    r->v[f] = out;
    return 0;
}

static int check_kind_rules(const pctx *p, const rec *r)
{
    const char *kind = r->v[F_KIND], *sub = r->v[F_SUBTYPE];
    const char *status = r->v[F_STATUS];
    if (!gca__kb_in_list(gca_kb_kinds, kind))
        return bad(p, r, F_KIND, "kind '%s' is not one of initiative, "
                   "legal_instrument, organisation, national_cirt, "
                   "standard, norm, rights_measure", kind);
    if (!strcmp(kind, "rights_measure")) {
        if (!gca__kb_in_list(gca_kb_rights_measures, sub))
            return bad(p, r, F_SUBTYPE, "a rights_measure needs subtype "
                       "lawful_access_e2ee, encryption_restriction, "
                       "data_retention, subscriber_id_registration, "
                       "routing_restriction or shutdown, not '%s'", sub);
        if (!gca__kb_in_list(rights_status, status))
            return bad(p, r, F_STATUS, "a rights_measure needs status "
                       "in_force, proposed, repealed or struck_down, not "
                       "'%s'", status);
    } else if (!strcmp(kind, "national_cirt")) {
        if (!gca__kb_in_list(cirt_status, status))
            return bad(p, r, F_STATUS, "a national_cirt needs status has "
                       "or none, not '%s'", status);
    } else if (!strcmp(kind, "legal_instrument") && *sub &&
               !gca__kb_in_list(instrument_types, sub)) {
        return bad(p, r, F_SUBTYPE, "legal_instrument subtype '%s' is not "
                   "one of convention, protocol, declaration, agreement, "
                   "guideline, directive, regulation, resolution, law, "
                   "manual, strategy", sub);
    }
    return 0;
}

static int check_rec(const pctx *p, rec *r)
{
    int rc = 0;
    for (int f = 0; rc == 0 && f < NFIELD; f++)
        rc = check_text(p, r, f);
    if (rc == 0)
        rc = check_id(p, r);
    if (rc == 0)
        rc = check_kind_rules(p, r);
    if (rc == 0)
        rc = check_year(p, r);
    if (rc == 0)
        rc = check_list(p, r, F_PILLARS, check_pillar);
    if (rc == 0)
        rc = check_list(p, r, F_COUNTRIES, check_country);
    if (rc == 0)
        rc = check_url(p, r);
    if (rc == 0)
        rc = check_date(p, r);
    return rc;
}

/* ====== CSV ====== */

static int csv_columns(const pctx *p, const gca_csv *csv, int col[NFIELD])
{
    for (int f = 0; f < NFIELD; f++)
        col[f] = -1;
    for (size_t j = 0; j < csv->ncol; j++) {
        const gca_csv_cell *h = GCA_CSV_CELL(csv, 0, j);
        int f = 0;
        while (f < NFIELD && !gca_str_eq(h->text, fields[f].name))
            f++;
        if (f == NFIELD)
            return gca_fail(p->err, GCA_EPARSE, p->name, h->line, h->col,
                            "unknown column '%.64s' (columns: id, kind, "
                            "subtype, title, summary, pillars, countries, "
                            "region, year, status, url, source, retrieved, "
                            "note)",
                            h->text.ptr);
        if (col[f] >= 0)
            return gca_fail(p->err, GCA_EPARSE, p->name, h->line, h->col,
                            "column '%s' is given twice", fields[f].name);
        col[f] = (int)j;
    }
    for (int f = 0; f < NFIELD; f++)
        if (fields[f].required && col[f] < 0)
            return gca_fail(p->err, GCA_EPARSE, p->name, 1, 0,
                            "no column '%s': it is required",
                            fields[f].name);
    return 0;
}

static int csv_recs(const pctx *p, const gca_csv *csv, rec *recs)
{
    int col[NFIELD];
    int rc = csv_columns(p, csv, col);
    for (size_t i = 0; rc == 0 && i < csv->nrow; i++) {
        rec *r = &recs[i];
        const gca_csv_cell *first = GCA_CSV_CELL(csv, i + 1, 0);
        for (int f = 0; f < NFIELD; f++) {
            if (col[f] < 0) {
                r->v[f] = "";
                r->line[f] = first->line;
                r->col[f] = 0;
                continue;
            }
            const gca_csv_cell *c = GCA_CSV_CELL(csv, i + 1, col[f]);
            r->v[f] = c->text.ptr;
            r->line[f] = c->line;
            r->col[f] = c->col;
        }
        rc = check_rec(p, r);
    }
    return rc;
}

/* ====== JSON ====== */

/* A list field: a string, or an array of strings joined with ';'. */
static int json_list(const pctx *p, rec *r, int f, const json_t *v)
{
    if (json_is_string(v)) {
        r->v[f] = json_string_value(v);
        return 0;
    }
    if (!json_is_array(v))
        return bad(p, r, f, "must be a string or an array of strings");
    size_t total = 1, i;
    const json_t *it;
    json_array_foreach(v, i, it) {
        if (!json_is_string(it))
            return bad(p, r, f, "item %zu is not a string", i + 1);
        total += json_string_length(it) + 1;
        if (total > fields[f].max + 2)
            return bad(p, r, f, "%s is longer than %zu bytes",
                       fields[f].name, fields[f].max);
    }
    char *out = gca_arena_alloc(p->arena, total);
    if (!out)
        return gca_fail(p->err, GCA_ENOMEM, p->name, 0, 0, "out of memory");
    size_t len = 0;
    json_array_foreach(v, i, it) {
        size_t n = json_string_length(it);
        if (memchr(json_string_value(it), ';', n))
            return bad(p, r, f, "item %zu contains ';'", i + 1);
        if (i)
            out[len++] = ';';
        memcpy(out + len, json_string_value(it), n);
        len += n;
    }
    out[len] = '\0';
    r->v[f] = out;
    return 0;
}

static int json_rec(const pctx *p, const json_t *obj, rec *r)
{
    const char *key;
    const json_t *v;
    for (int f = 0; f < NFIELD; f++)
        r->v[f] = "";
    if (!json_is_object(obj))
        return gca_fail(p->err, GCA_EPARSE, p->name, 0, 0,
                        "entry %zu is not an object", r->entry);
    json_object_foreach((json_t *)obj, key, v) {
        int f = 0;
        while (f < NFIELD && strcmp(key, fields[f].name) != 0)
            f++;
        if (f == NFIELD)
            return gca_fail(p->err, GCA_EPARSE, p->name, 0, 0,
                            "entry %zu: unknown field '%.64s'", r->entry,
                            key);
        if (json_is_null(v))
            continue;
        if (f == F_PILLARS || f == F_COUNTRIES) {
            int rc = json_list(p, r, f, v);
            if (rc < 0)
                return rc;
        } else if (f == F_YEAR && json_is_integer(v)) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            r->v[f] = gca_arena_strdup(p->arena, buf);
            if (!r->v[f])
                return gca_fail(p->err, GCA_ENOMEM, p->name, 0, 0,
                                "out of memory");
        } else if (json_is_string(v)) {
            if (strlen(json_string_value(v)) != json_string_length(v))
                return bad(p, r, f, "contains a NUL character");
            r->v[f] = json_string_value(v);
        } else {
            return bad(p, r, f, "must be a string%s",
                       f == F_YEAR ? " or a whole number" : "");
        }
    }
    for (int f = 0; f < NFIELD; f++)
        if (fields[f].required && !*r->v[f])
            return bad(p, r, f, "%s is missing: it is required",
                       fields[f].name);
    return check_rec(p, r);
}

static int json_entries(const pctx *p, const json_t *root,
                        const json_t **arr)
{
    if (json_is_object(root)) {
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)root, key, v) {
            if (strcmp(key, "entries") != 0)
                return gca_fail(p->err, GCA_EPARSE, p->name, 0, 0,
                                "unknown key '%.64s' (a file is an array "
                                "of entries or {\"entries\": [...]})",
                                key);
        }
        root = json_object_get(root, "entries");
    }
    if (!json_is_array(root))
        return gca_fail(p->err, GCA_EPARSE, p->name, 0, 0,
                        "a file is an array of entries or "
                        "{\"entries\": [...]}");
    if (json_array_size(root) > GCA_KB_ROWS_MAX)
        return gca_fail(p->err, GCA_ETOOBIG, p->name, 0, 0,
                        "more than %d entries", GCA_KB_ROWS_MAX);
    *arr = root;
    return 0;
}

/* ====== Both ====== */

static int cmp_id(const void *a, const void *b)
{
    const rec *x = *(const rec *const *)a, *y = *(const rec *const *)b;
    int c = strcmp(x->v[F_ID], y->v[F_ID]);
    if (c)
        return c;
    return x < y ? -1 : x > y;
}

/* Every id once; the later of two is the one reported. */
static int check_unique(const pctx *p, rec *recs, size_t n)
{
    if (n < 2)
        return 0;
    rec **by = gca_malloc(n * sizeof *by);
    if (!by)
        return gca_fail(p->err, GCA_ENOMEM, p->name, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        by[i] = &recs[i];
    qsort(by, n, sizeof *by, cmp_id);
    int rc = 0;
    for (size_t i = 1; rc == 0 && i < n; i++)
        if (!strcmp(by[i]->v[F_ID], by[i - 1]->v[F_ID])) {
            const rec *first = by[i - 1];
            rc = first->entry
                     ? bad(p, by[i], F_ID, "id '%s' is used by entry %zu too",
                           first->v[F_ID], first->entry)
                     : bad(p, by[i], F_ID, "id '%s' is used on line %d too",
                           first->v[F_ID], first->line[F_ID]);
        }
    gca_free(by);
    return rc;
}

static int hand_on(const pctx *p, const rec *recs, size_t n, gca_kb_fn fn,
                   void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        const rec *r = &recs[i];
        gca_kb_entry e = {
            .id = r->v[F_ID],
            .kind = r->v[F_KIND],
            .subtype = r->v[F_SUBTYPE],
            .title = r->v[F_TITLE],
            .summary = r->v[F_SUMMARY],
            .pillars = r->v[F_PILLARS],
            .countries = r->v[F_COUNTRIES],
            .region = r->v[F_REGION],
            .year = r->year,
            .status = r->v[F_STATUS],
            .url = r->v[F_URL],
            .source = r->v[F_SOURCE],
            .retrieved = r->v[F_RETRIEVED],
            .note = r->v[F_NOTE],
            .origin = p->name,
        };
        int rc = fn(&e, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

int gca_kb_parse(const char *data, size_t len, const char *name,
                 gca_kb_fn fn, void *ctx, gca_err *err)
{
    gca_countries *cs = NULL;
    int rc = gca_countries_default(&cs, err);
    if (rc == 0)
        rc = gca__kb_parse_with(data, len, name, cs, fn, ctx, err);
    gca_countries_free(cs);
    return rc;
}

int gca__kb_parse_with(const char *data, size_t len, const char *name,
                       const gca_countries *cs, gca_kb_fn fn, void *ctx,
                       gca_err *err)
{
    gca_arena arena = GCA_ARENA_INIT(64 * 1024);
    gca_csv csv = {0};
    json_t *root = NULL;
    rec *recs = NULL;
    size_t n = 0;
    pctx p = {name ? name : "", cs, &arena, err};
    int rc = 0;

    if (!data && len)
        return gca_fail(err, GCA_EINVAL, p.name, 0, 0, "no data");
    if (len > GCA_KB_FILE_MAX)
        return gca_fail(err, GCA_ETOOBIG, p.name, 0, 0,
                        "file is larger than %u MiB", GCA_KB_FILE_MAX >> 20);
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", data[i]) && data[i])
        i++;
    if (i < len && (data[i] == '[' || data[i] == '{')) {
        json_error_t jerr;
        const json_t *arr = NULL;
        root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!root) {
            rc = gca_fail(err, GCA_EPARSE, p.name, jerr.line, jerr.column,
                          "%s", jerr.text);
            goto out;
        }
        rc = json_entries(&p, root, &arr);
        if (rc < 0)
            goto out;
        n = json_array_size(arr);
        recs = n ? gca_calloc(n, sizeof *recs) : NULL;
        if (n && !recs) {
            rc = gca_fail(err, GCA_ENOMEM, p.name, 0, 0, "out of memory");
            goto out;
        }
        for (size_t k = 0; rc == 0 && k < n; k++) {
            recs[k].entry = k + 1;
            rc = json_rec(&p, json_array_get(arr, k), &recs[k]);
        }
    } else {
        rc = gca_csv_parse(data, len, p.name, GCA_KB_ROWS_MAX, 64, &csv,
                           err);
        if (rc < 0)
            goto out;
        n = csv.nrow;
        recs = n ? gca_calloc(n, sizeof *recs) : NULL;
        if (n && !recs) {
            rc = gca_fail(err, GCA_ENOMEM, p.name, 0, 0, "out of memory");
            goto out;
        }
        rc = csv_recs(&p, &csv, recs);
    }
    if (rc == 0)
        rc = check_unique(&p, recs, n);
    /* All of the file is valid: only now may anyone see an entry. */
    if (rc == 0 && fn)
        rc = hand_on(&p, recs, n, fn, ctx);
out:
    gca_free(recs);
    json_decref(root);
    gca_csv_release(&csv);
    gca_arena_release(&arena);
    return rc;
}

/* ====== Search text ====== */

typedef gca__kb_term term;

#define MAX_TERMS GCA_KB_TERMS_MAX

static int is_blank(unsigned char c)
{
    return c <= 0x20 || c == 0x7f;
}

/* 1 if the tokenizer would find a word in p[0..n): an ASCII letter or
 * digit, or any non-ASCII byte (letters of other scripts). */
static int has_word(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c >= 0x80)
            return 1;
    }
    return 0;
}

static void put_term(gca_buf *b, const term *t)
{
    gca_buf_putc(b, '"');
    for (size_t i = 0; i < t->n; i++) {
        char c = t->p[i];
        if (is_blank((unsigned char)c))
            c = ' ';
        if (c == '"')
            gca_buf_putc(b, '"');
        gca_buf_putc(b, c);
    }
    gca_buf_putc(b, '"');
    if (t->prefix)
        gca_buf_putc(b, '*');
}

/* Split `s` into terms (at most MAX_TERMS are kept). */
static size_t split_terms(const char *s, term *t)
{
    size_t n = 0;
    int neg = 0, or_next = 0;
    while (*s) {
        if (is_blank((unsigned char)*s)) {
            s++;
            neg = 0;
            continue;
        }
        if (*s == '-' && !neg && s[1] && !is_blank((unsigned char)s[1])) {
            neg = 1;
            s++;
            continue;
        }
        term cur = {0};
        if (*s == '"') {
            const char *end = strchr(s + 1, '"');
            cur.phrase = 1;
            cur.p = s + 1;
            cur.n = end ? (size_t)(end - s - 1) : strlen(s + 1);
            s = end ? end + 1 : s + 1 + cur.n;
        } else {
            cur.p = s;
            while (*s && !is_blank((unsigned char)*s) && *s != '"')
                s++;
            cur.n = (size_t)(s - cur.p);
            /* "OR" between two terms; anywhere else a plain word. */
            if (!neg && cur.n == 2 && !memcmp(cur.p, "OR", 2) && n > 0 &&
                !t[n - 1].neg) {
                or_next = 1;
                continue;
            }
            while (cur.n && cur.p[cur.n - 1] == '*') {
                cur.n--;
                cur.prefix = 1;
            }
        }
        if (*s == '*') {
            cur.prefix = 1;
            while (*s == '*')
                s++;
        }
        cur.neg = neg;
        neg = 0;
        if (!has_word(cur.p, cur.n) || n == MAX_TERMS)
            continue;
        cur.or_before = or_next && !cur.neg;
        if (!cur.neg)
            or_next = 0;
        t[n++] = cur;
    }
    return n;
}

int gca__kb_terms(const char *text, gca__kb_term *t, size_t *nterms,
                  gca_err *err)
{
    *nterms = 0;
    if (!text || !*text)
        return 0;
    size_t len = strnlen(text, GCA_KB_QUERY_MAX + 1);
    if (len > GCA_KB_QUERY_MAX)
        return gca_fail(err, GCA_EINVAL, "text", 0, 0,
                        "search text is longer than %d bytes",
                        GCA_KB_QUERY_MAX);
    if (gca_utf8_valid_prefix(text, len) != len)
        return gca_fail(err, GCA_EINVAL, "text", 0, 0,
                        "search text is not valid UTF-8");
    size_t n = split_terms(text, t);
    size_t npos = 0;
    for (size_t i = 0; i < n; i++)
        npos += !t[i].neg;
    if (n && !npos)
        return gca_fail(err, GCA_EINVAL, "text", 0, 0,
                        "search text has only excluded words: give at "
                        "least one word without '-'");
    *nterms = n;
    return 0;
}

void gca__kb_term_text(const gca__kb_term *t, gca_buf *out)
{
    gca_buf_reset(out);
    for (size_t i = 0; i < t->n; i++)
        gca_buf_putc(out, is_blank((unsigned char)t->p[i]) ? ' ' : t->p[i]);
}

int gca__kb_fts_query(const char *text, gca_buf *out, gca_err *err)
{
    term t[MAX_TERMS];
    size_t n = 0;
    gca_buf_reset(out);
    int rc = gca__kb_terms(text, t, &n, err);
    if (rc < 0)
        return rc;
    /* Positive terms: runs joined by OR are grouped, groups joined by
     * AND (FTS5 wants it explicit next to parentheses); then NOT for
     * each excluded term, which binds tighter than AND. */
    gca_buf_putc(out, '(');
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (t[i].neg)
            continue;
        int opens = 0;
        size_t j = i + 1;
        while (j < n && t[j].neg)
            j++;
        if (!t[i].or_before && j < n && t[j].or_before)
            opens = 1;
        if (!first)
            gca_buf_puts(out, t[i].or_before ? " OR " : " AND ");
        if (opens)
            gca_buf_putc(out, '(');
        put_term(out, &t[i]);
        if (t[i].or_before && !(j < n && t[j].or_before))
            gca_buf_putc(out, ')');
        first = 0;
    }
    gca_buf_putc(out, ')');
    for (size_t i = 0; i < n; i++)
        if (t[i].neg) {
            gca_buf_puts(out, " NOT ");
            put_term(out, &t[i]);
        }
    if (!n)
        gca_buf_reset(out);
    if (gca_buf_error(out))
        return gca_fail(err, gca_buf_error(out), "text", 0, 0,
                        "out of memory");
    return 0;
}
