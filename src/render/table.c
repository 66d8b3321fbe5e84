/* table.c - text tables written as CSV (RFC 4180), JSON or aligned text
 * (see table.h). */
#include "render/table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/stats.h"
#include "core/banned.h"

int gca__table_init(gca__table *t, size_t ncol, const char *const *header)
{
    memset(t, 0, sizeof *t);
    gca_arena_init(&t->arena, 64 * 1024);
    t->ncol = ncol;
    t->header = gca_arena_array(&t->arena, ncol + 1, sizeof *t->header);
    t->num = gca_arena_array(&t->arena, ncol + 1, 1);
    if (!t->header || !t->num)
        return t->err = GCA_ENOMEM;
    for (size_t c = 0; c < ncol; c++) {
        t->header[c] = gca_arena_strdup(&t->arena, header[c]);
        if (!t->header[c])
            return t->err = GCA_ENOMEM;
    }
    return 0;
}

void gca__table_release(gca__table *t)
{
    gca_free(t->cell);
    gca_arena_release(&t->arena);
    memset(t, 0, sizeof *t);
}

void gca__table_numeric(gca__table *t, size_t col)
{
    if (col < t->ncol && t->num)
        t->num[col] = 1;
}

size_t gca__table_row(gca__table *t)
{
    if (t->err)
        return 0;
    if (t->nrow == t->caprow) {
        size_t cap = t->caprow ? t->caprow * 2 : 64;
        const char **c = gca_realloc(t->cell, cap * (t->ncol + 1) *
                                                  sizeof *c);
        if (!c) {
            t->err = GCA_ENOMEM;
            return 0;
        }
        t->cell = c;
        t->caprow = cap;
    }
    for (size_t k = 0; k < t->ncol; k++)
        t->cell[t->nrow * t->ncol + k] = NULL;
    return t->nrow++;
}

void gca__table_text(gca__table *t, size_t row, size_t col, const char *text)
{
    if (t->err || row >= t->nrow || col >= t->ncol)
        return;
    const char *s = NULL;
    if (text) {
        s = gca_arena_strdup(&t->arena, text);
        if (!s) {
            t->err = GCA_ENOMEM;
            return;
        }
    }
    t->cell[row * t->ncol + col] = s;
}

void gca__table_num(gca__table *t, size_t row, size_t col, double v)
{
    char tmp[64];
    if (isnan(v)) {
        gca__table_text(t, row, col, NULL);
        return;
    }
    if (isinf(v))
        snprintf(tmp, sizeof tmp, "%s", v > 0 ? "Inf" : "-Inf");
    else if (v == 0)
        snprintf(tmp, sizeof tmp, "0");
    else
        snprintf(tmp, sizeof tmp, "%.17g", v);
    gca__table_text(t, row, col, tmp);
}

void gca__table_round(gca__table *t, size_t row, size_t col, double v,
                      int dp)
{
    char tmp[64];
    if (dp < 0 || !isfinite(v)) {
        gca__table_num(t, row, col, v);
        return;
    }
    double r = gca__round_r(v, dp);
    snprintf(tmp, sizeof tmp, "%.15g", r == 0 ? 0.0 : r);
    gca__table_text(t, row, col, tmp);
}

static void render_csv(const gca__table *t, gca_buf *b)
{
    for (size_t c = 0; c < t->ncol; c++) {
        if (c)
            gca_buf_putc(b, ',');
        gca_buf_csv_field(b, t->header[c]);
    }
    gca_buf_putc(b, '\n');
    for (size_t r = 0; r < t->nrow; r++) {
        for (size_t c = 0; c < t->ncol; c++) {
            const char *s = t->cell[r * t->ncol + c];
            if (c)
                gca_buf_putc(b, ',');
            gca_buf_csv_field(b, s ? s : "NA");
        }
        gca_buf_putc(b, '\n');
    }
}

static void render_json(const gca__table *t, gca_buf *b)
{
    gca_buf_puts(b, "[");
    for (size_t r = 0; r < t->nrow; r++) {
        gca_buf_puts(b, r ? ",\n {" : "\n {");
        for (size_t c = 0; c < t->ncol; c++) {
            const char *s = t->cell[r * t->ncol + c];
            if (c)
                gca_buf_putc(b, ',');
            gca_buf_json_string(b, t->header[c]);
            gca_buf_putc(b, ':');
            if (!s || (t->num[c] && (!strcmp(s, "Inf") ||
                                     !strcmp(s, "-Inf"))))
                gca_buf_puts(b, "null");
            else if (t->num[c])
                gca_buf_puts(b, s);
            else
                gca_buf_json_string(b, s);
        }
        gca_buf_putc(b, '}');
    }
    gca_buf_puts(b, t->nrow ? "\n]\n" : "]\n");
}

/* Display width of UTF-8 text: one column per code point. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        w += (*p & 0xc0) != 0x80;
    return w;
}

static void pad(gca_buf *b, size_t n)
{
    while (n--)
        gca_buf_putc(b, ' ');
}

static void render_text(const gca__table *t, gca_buf *b)
{
    size_t *w = gca_calloc(t->ncol + 1, sizeof *w);
    if (!w) {
        b->err = GCA_ENOMEM;
        return;
    }
    for (size_t c = 0; c < t->ncol; c++) {
        w[c] = width(t->header[c]);
        for (size_t r = 0; r < t->nrow; r++) {
            const char *s = t->cell[r * t->ncol + c];
            size_t k = width(s ? s : "NA");
            if (k > w[c])
                w[c] = k;
        }
    }
    for (size_t r = 0; r <= t->nrow; r++) {
        for (size_t c = 0; c < t->ncol; c++) {
            const char *s = r == 0 ? t->header[c]
                                   : t->cell[(r - 1) * t->ncol + c];
            if (!s)
                s = "NA";
            size_t k = width(s);
            int right = t->num[c];
            if (c)
                gca_buf_puts(b, "  ");
            if (right)
                pad(b, w[c] - k);
            gca_buf_puts(b, s);
            if (!right && c + 1 < t->ncol)
                pad(b, w[c] - k);
        }
        gca_buf_putc(b, '\n');
    }
    gca_free(w);
}

int gca__table_render(const gca__table *t, gca_format fmt, char **out,
                      size_t *len, gca_err *err)
{
    if (t->err)
        return gca_fail(err, t->err, NULL, 0, 0, "out of memory");
    gca_buf b = GCA_BUF_INIT(GCA_MAX_OUTPUT);
    if (fmt == GCA_FORMAT_JSON)
        render_json(t, &b);
    else if (fmt == GCA_FORMAT_TEXT)
        render_text(t, &b);
    else
        render_csv(t, &b);
    if (gca_buf_error(&b)) {
        int e = gca_buf_error(&b);
        gca_buf_release(&b);
        return gca_fail(err, e, NULL, 0, 0, e == GCA_ETOOBIG
                                                ? "output too large"
                                                : "out of memory");
    }
    *out = gca_buf_detach(&b, len);
    return 0;
}
