/* gca/kb.h - the GCA knowledge base ("gateway"): initiatives, legal
 * instruments, organisations, national CIRTs, standards, norms and rights
 * measures, each with its source, kept in the store and searched with
 * SQLite FTS5.
 *
 * File format (CSV with a header row, or JSON; docs/kb.md): columns
 *   id,kind,subtype,title,summary,pillars,countries,region,year,status,
 *   url,source,retrieved,note
 * pillars and countries are lists separated by ';' (JSON: arrays or the
 * same strings). Rules per field are in docs/kb.md; a file with one bad
 * row imports nothing, and the error names file:line:column (CSV) or
 * file, entry number and field (JSON).
 *
 * Importing changes data: it takes the acting user (admin or analyst,
 * gca/users.h) and appends one audit event per file in the same
 * transaction. Reading needs no user. */
#ifndef GCA_KB_H
#define GCA_KB_H

#include <stddef.h>

#include "gca/core.h"
#include "gca/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCA_KB_ID_MAX 80       /* bytes of an id: [A-Za-z0-9._:/-] */
#define GCA_KB_TITLE_MAX 500   /* bytes */
#define GCA_KB_SUMMARY_MAX 4000
#define GCA_KB_NOTE_MAX 2000
#define GCA_KB_YEAR_MIN 1900
#define GCA_KB_YEAR_MAX 2099
#define GCA_KB_QUERY_MAX 1000  /* bytes of search text */

/* The kinds, in this order (gca_kb_kinds[i]); NULL-terminated. */
GCA_API extern const char *const gca_kb_kinds[];
/* Subtypes of a rights measure (required for that kind); NULL-terminated:
 * lawful_access_e2ee, encryption_restriction, data_retention,
 * subscriber_id_registration, routing_restriction, shutdown. */
GCA_API extern const char *const gca_kb_rights_measures[];

/* One entry. Strings are borrowed for the duration of the callback that
 * receives it; absent optional fields are "" (never NULL). */
typedef struct gca_kb_entry {
    const char *id;        /* "norm/GGE15-K", "cirt/AUT/CERT.at" */
    const char *kind;      /* one of gca_kb_kinds */
    const char *subtype;   /* legal_instrument: convention, declaration, ...;
                              rights_measure: one of gca_kb_rights_measures;
                              norm: its paragraph "13(k)" */
    const char *title;
    const char *summary;
    const char *pillars;   /* "LEG;COO" (GCA pillars LEG TEC ORG CAP COO) */
    const char *countries; /* "AUT;DEU" (ISO 3166-1 alpha-3) */
    const char *region;    /* free text: "Europe", "Africa", "global" */
    int year;              /* 0 = none */
    const char *status;    /* national_cirt: has | none;
                              rights_measure: in_force | proposed |
                              repealed | struck_down; others free */
    const char *url;       /* http(s) or "" */
    const char *source;    /* required: where the row comes from */
    const char *retrieved; /* YYYY-MM-DD or "" */
    const char *note;      /* caveats: "unverified: name recalled" */
    const char *origin;    /* "shipped" or the file it was imported from */
} gca_kb_entry;

/* Called per entry; non-zero stops the walk and is returned. */
typedef int (*gca_kb_fn)(const gca_kb_entry *e, void *ctx);

/* ====== Files ====== */

/* Parse and check the entries of `data` (`len` bytes, CSV or JSON by its
 * first non-blank byte: '[' or '{' = JSON); `name` names it in errors.
 * Calls fn per valid entry, in file order, only once the whole file is
 * valid. Country codes are checked against gca_countries_default(). No
 * store needed (the fuzz harness and `gca kb check` use it). */
GCA_API int gca_kb_parse(const char *data, size_t len, const char *name,
                         gca_kb_fn fn, void *ctx, gca_err *err);

/* Import file `path` into the store: all of its entries or none. An
 * entry whose id exists is replaced. *count (may be NULL) gets the
 * number of entries. Admin or analyst. */
GCA_API int gca_kb_import(gca_store *st, const char *actor, const char *path,
                          size_t *count, gca_err *err);

/* Write the entries matching `q` (NULL = all) to `path` (NULL = stdout)
 * as CSV or JSON ("csv" | "json"), in id order, in the import format:
 * exporting and importing again changes nothing. The file is written
 * to a temporary name and renamed. */
struct gca_kb_query;
GCA_API int gca_kb_export(gca_store *st, const struct gca_kb_query *q,
                          const char *format, const char *path,
                          gca_err *err);

/* ====== Search ====== */

typedef struct gca_kb_query {
    /* The user's words, never FTS5 syntax: words must all match (AND),
     * "quoted words" match as a phrase, a trailing * makes a prefix, OR
     * between terms and a leading - (NOT) are understood; everything else
     * (unbalanced quotes, NEAR(, column filters, ^) is taken as plain
     * words. NULL or "" = every entry that passes the filters. */
    const char *text;
    const char *kind;     /* NULL = any */
    const char *pillar;   /* "TEC" */
    const char *region;   /* the entry's region, or that of one of its
                             countries (M49 region or sub-region), no case */
    const char *country;  /* ISO3: entries that name the country */
    const char *status;   /* exact */
    int year_from, year_to; /* inclusive; 0 = open */
    int limit;            /* 0 = 20; at most 1000 */
    int offset;
    /* Highlight marks put around matched words in snippets; NULL = "[" and
     * "]". Snippet text itself is raw: the caller escapes it for HTML
     * (the portal uses "\x02" and "\x03" and escapes before replacing). */
    const char *mark_open, *mark_close;
} gca_kb_query;

/* One result. */
typedef struct gca_kb_hit {
    gca_kb_entry entry;
    double score;        /* relevance, higher = better (-bm25); 0 without
                            text */
    const char *snippet; /* summary or title around the matched words,
                            with marks; "" without text */
} gca_kb_hit;

typedef int (*gca_kb_hit_fn)(const gca_kb_hit *h, void *ctx);

/* Run `q`: hits best first (by relevance; without text by kind, year
 * descending, title), then fn per hit. *total (may be NULL) gets the
 * number of matches before limit/offset. GCA_EINVAL names the field of
 * a bad filter ("year", "kind", "country", "text"). */
GCA_API int gca_kb_search(gca_store *st, const gca_kb_query *q,
                          gca_kb_hit_fn fn, void *ctx, size_t *total,
                          gca_err *err);

/* Keep (on = 1) or drop (on = 0) an in-memory ranking index of the
 * knowledge base for this handle, for processes that search many times
 * (gca serve): it is built now (about a second per 100,000 entries) and
 * again by the first search after any change to the knowledge base, by
 * anyone. Searches give the same hits, scores, order and totals with or
 * without it; with it a search costs microseconds per match instead of
 * FTS5's bm25() over every match. SQLite stores only (else GCA_ENOTSUP). */
GCA_API int gca_kb_keep_index(gca_store *st, int on, gca_err *err);

/* The entry with that id (GCA_ENOTFOUND if none). */
GCA_API int gca_kb_get(gca_store *st, const char *id, gca_kb_fn fn,
                       void *ctx, gca_err *err);

/* Number of entries per kind, in gca_kb_kinds order (counts[] has one
 * slot per kind). */
GCA_API int gca_kb_counts(gca_store *st, size_t *counts, gca_err *err);

#ifdef __cplusplus
}
#endif

#endif
