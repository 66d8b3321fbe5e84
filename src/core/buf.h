/* buf.h - a growable string with a ceiling. Always NUL-terminated; the
 * first error (GCA_ENOMEM or GCA_ETOOBIG) is sticky, so callers append
 * freely and check gca_buf_error() once at the end. */
#ifndef GCA_BUF_H
#define GCA_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "gca/core.h"

typedef struct gca_buf {
    char *ptr;      /* "" until something is appended */
    size_t len;     /* bytes used, not counting the NUL */
    size_t cap;     /* bytes allocated */
    size_t max;     /* ceiling on len */
    int err;        /* sticky: 0, GCA_ENOMEM or GCA_ETOOBIG */
} gca_buf;

#define GCA_BUF_INIT(maxlen) {NULL, 0, 0, (maxlen), 0}

void gca_buf_init(gca_buf *b, size_t max);
/* Free the contents; `b` is left empty and reusable. */
void gca_buf_release(gca_buf *b);
/* Forget the contents but keep the memory and the ceiling. */
void gca_buf_reset(gca_buf *b);
/* The text ("" if empty); borrowed until the next change. */
const char *gca_buf_str(const gca_buf *b);
int gca_buf_error(const gca_buf *b);

void gca_buf_add(gca_buf *b, const void *data, size_t len);
void gca_buf_puts(gca_buf *b, const char *s);
void gca_buf_putc(gca_buf *b, char c);
void gca_buf_printf(gca_buf *b, const char *fmt, ...) GCA_PRINTF(2, 3);
void gca_buf_vprintf(gca_buf *b, const char *fmt, va_list ap)
    GCA_PRINTF(2, 0);
/* Append `s` as a JSON string literal with quotes. */
void gca_buf_json_string(gca_buf *b, const char *s);
/* `s` (NULL = nothing) with & < > " ' as HTML character references, for
 * text and attribute values alike. */
void gca_buf_html(gca_buf *b, const char *s);
/* Append `s` as one CSV field (RFC 4180), quoted when needed. */
void gca_buf_csv_field(gca_buf *b, const char *s);
/* Append a double as %.17g; NaN as `na`, infinities as Inf / -Inf. */
void gca_buf_double(gca_buf *b, double v, const char *na);
/* Append a double rounded to `dp` decimals (%.*f), NaN as `na`. */
void gca_buf_fixed(gca_buf *b, double v, int dp, const char *na);

/* Take the text: returns it (caller frees with gca_free; never NULL when
 * gca_buf_error() is 0) and its length in *len, leaving `b` empty. */
char *gca_buf_detach(gca_buf *b, size_t *len);

#endif
