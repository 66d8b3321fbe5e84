/* csv.c - RFC 4180 reader with positions for error messages (see csv.h).
 * One pass over the input: each field is unescaped into `store` and
 * recorded with its line and column. */
#include "core/csv.h"

#include <string.h>

#include "core/banned.h"

typedef struct reader {
    const char *p, *end;
    const char *line_start;
    int line;
    const char *source;
    gca_err *err;
} reader;

static int fail_here(reader *r, const char *at, const char *msg)
{
    return gca_fail(r->err, GCA_EPARSE, r->source, r->line,
                    gca_utf8_column(r->line_start, (size_t)(at - r->line_start)),
                    "%s", msg);
}

/* Advance past one line end (LF, CRLF or CR) at r->p. */
static void eat_eol(reader *r)
{
    if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
        r->p += 2;
    else
        r->p++;
    r->line++;
    r->line_start = r->p;
}

static int at_eol(const reader *r)
{
    return r->p < r->end && (*r->p == '\n' || *r->p == '\r');
}

/* Read one field into `store` at *w; leaves r->p at the delimiter, line
 * end or end of input. */
static int read_field(reader *r, char **w, gca_csv_cell *cell)
{
    char *out = *w;
    cell->line = r->line;
    cell->col = gca_utf8_column(r->line_start, (size_t)(r->p - r->line_start));
    cell->text.ptr = out;
    if (r->p < r->end && *r->p == '"') {
        const char *open = r->p;
        int open_line = r->line;
        const char *open_ls = r->line_start;
        cell->quoted = 1;
        r->p++;
        for (;;) {
            if (r->p >= r->end) {
                r->line = open_line;
                r->line_start = open_ls;
                return fail_here(r, open, "unterminated quoted field");
            }
            char c = *r->p;
            if (c == '"') {
                if (r->p + 1 < r->end && r->p[1] == '"') {
                    *out++ = '"';
                    r->p += 2;
                    continue;
                }
                r->p++;
                break;
            }
            if (c == '\0')
                return fail_here(r, r->p, "NUL byte in input");
            if (c == '\n' || c == '\r') {
                /* Line ends inside quotes are part of the value. */
                const char *s = r->p;
                eat_eol(r);
                memcpy(out, s, (size_t)(r->p - s));
                out += r->p - s;
                continue;
            }
            *out++ = c;
            r->p++;
        }
        if (r->p < r->end && *r->p != ',' && !at_eol(r))
            return fail_here(r, r->p, "unexpected text after closing quote");
    } else {
        while (r->p < r->end && *r->p != ',' && !at_eol(r)) {
            if (*r->p == '"')
                return fail_here(r, r->p,
                                 "quote inside an unquoted field");
            if (*r->p == '\0')
                return fail_here(r, r->p, "NUL byte in input");
            *out++ = *r->p++;
        }
    }
    cell->text.len = (size_t)(out - cell->text.ptr);
    if (gca_utf8_valid_prefix(cell->text.ptr, cell->text.len) !=
        cell->text.len)
        return gca_fail(r->err, GCA_EPARSE, r->source, cell->line, cell->col,
                        "field is not valid UTF-8");
    *out++ = '\0';
    *w = out;
    return 0;
}

/* A line with nothing on it (blank lines are skipped). */
static int blank_line(const reader *r)
{
    return r->p < r->end && (*r->p == '\n' || *r->p == '\r');
}

int gca_csv_parse(const char *data, size_t len, const char *source,
                  size_t max_rows, size_t max_cols, gca_csv *out,
                  gca_err *err)
{
    gca_csv c = {0};
    size_t ncells = 0, capcells = 0;
    int rc = 0;
    reader r = {data, data + len, data, 1, source, err};

    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        r.p += 3;
        r.line_start = r.p;
    }
    while (blank_line(&r))
        eat_eol(&r);
    if (r.p >= r.end) {
        rc = gca_fail(err, GCA_EPARSE, source, 0, 0,
                      "empty file (no header row)");
        goto fail;
    }
    /* Every field's text plus its NUL fits in twice the input. */
    c.store = gca_malloc(2 * (size_t)(r.end - r.p) + 2);
    if (!c.store) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto fail;
    }
    char *w = c.store;
    size_t row = 0, col = 0;
    for (;;) {
        if (ncells == capcells) {
            size_t cap = capcells ? capcells * 2 : 256;
            gca_csv_cell *v = gca_realloc(c.cells, cap * sizeof *v);
            if (!v) {
                rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
                goto fail;
            }
            c.cells = v;
            capcells = cap;
        }
        gca_csv_cell *cell = &c.cells[ncells];
        memset(cell, 0, sizeof *cell);
        rc = read_field(&r, &w, cell);
        if (rc < 0)
            goto fail;
        ncells++;
        col++;
        if (row == 0 && col > max_cols) {
            rc = gca_fail(err, GCA_ETOOBIG, source, cell->line, cell->col,
                          "more than %zu columns", max_cols);
            goto fail;
        }
        if (row > 0 && col > c.ncol) {
            rc = gca_fail(err, GCA_EPARSE, source, cell->line, cell->col,
                          "row has more fields than the header (%zu)",
                          c.ncol);
            goto fail;
        }
        if (r.p < r.end && *r.p == ',') {
            r.p++;
            continue;
        }
        /* End of a record. */
        if (row == 0) {
            c.ncol = col;
        } else if (col < c.ncol) {
            rc = gca_fail(err, GCA_EPARSE, source, r.line,
                          gca_utf8_column(r.line_start,
                                          (size_t)(r.p - r.line_start)),
                          "row has %zu fields, the header has %zu", col,
                          c.ncol);
            goto fail;
        }
        row++;
        col = 0;
        if (r.p < r.end)
            eat_eol(&r);
        while (blank_line(&r))
            eat_eol(&r);
        if (r.p >= r.end)
            break;
        if (row > max_rows) {
            rc = gca_fail(err, GCA_ETOOBIG, source, r.line, 1,
                          "more than %zu rows", max_rows);
            goto fail;
        }
    }
    c.nrow = row - 1;
    *out = c;
    return 0;
fail:
    gca_free(c.cells);
    gca_free(c.store);
    memset(out, 0, sizeof *out);
    return rc;
}

void gca_csv_release(gca_csv *c)
{
    gca_free(c->cells);
    gca_free(c->store);
    memset(c, 0, sizeof *c);
}
