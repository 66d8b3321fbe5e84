/* gateway/kb.h - what the knowledge base shares inside the library: the
 * translation of a user's search text into an FTS5 MATCH expression
 * (kbparse.c), used by the store (store/kb.c) and the fuzz harness.
 * Search syntax: docs/kb.md, "Search". */
#ifndef GCA_GATEWAY_KB_H
#define GCA_GATEWAY_KB_H

#include "core/buf.h"
#include "gca/kb.h"

/* Caps on a file given to gca_kb_parse. */
#define GCA_KB_FILE_MAX (64u << 20)
#define GCA_KB_ROWS_MAX 200000

/* A term of the user's search text: its text (borrowed, without the
 * quotes or the trailing '*'), and whether it was quoted, ends in '*',
 * is excluded ('-') or is joined to the positive term before it by OR. */
typedef struct gca__kb_term {
    const char *p;
    size_t n;
    int phrase, prefix, neg, or_before;
} gca__kb_term;
#define GCA_KB_TERMS_MAX 64

/* Split and check `text` as gca__kb_fts_query does: *n terms into t
 * (GCA_KB_TERMS_MAX at most; *n = 0 for no text). In the MATCH
 * expression the positive terms come first, in order, grouped by OR
 * runs and joined by AND, then each excluded term with NOT. */
int gca__kb_terms(const char *text, gca__kb_term *t, size_t *n,
                  gca_err *err);
/* The term's text as FTS5 is given it (blanks made spaces), into out. */
void gca__kb_term_text(const gca__kb_term *t, gca_buf *out);

/* Translate `text` (NULL or "" = no text) into a MATCH expression in
 * `out`, which is reset first. Every term is a double-quoted FTS5 string,
 * so that nothing the user types is FTS5 syntax. Returns 0 (out->len = 0
 * when nothing searchable is left), GCA_EINVAL with source "text" (too
 * long, not UTF-8, only excluded words) or GCA_ENOMEM. */
int gca__kb_fts_query(const char *text, gca_buf *out, gca_err *err);

/* gca_kb_parse with the country list `cs` (borrowed), for callers that
 * parse many files (the shipped ones, the fuzz harness). */
struct gca_countries;
int gca__kb_parse_with(const char *data, size_t len, const char *name,
                       const struct gca_countries *cs, gca_kb_fn fn,
                       void *ctx, gca_err *err);

/* 1 if `s` is one of the NULL-terminated `list`. */
int gca__kb_in_list(const char *const *list, const char *s);

#endif
