/* csv.h - RFC 4180 reader: a header row and data rows of equal width.
 * Accepts a UTF-8 BOM, LF, CRLF or CR line ends and blank lines (skipped,
 * as R's read.csv does); rejects ragged rows, unterminated quotes, text
 * after a closing quote, quotes inside unquoted fields, NUL bytes and
 * invalid UTF-8, each at file:line:column. */
#ifndef GCA_CSV_H
#define GCA_CSV_H

#include <stddef.h>

#include "gca/core.h"
#include "core/str.h"

typedef struct gca_csv_cell {
    gca_str text;   /* unescaped, NUL-terminated at text.ptr[text.len] */
    int line, col;  /* 1-based position of the cell's first character */
    int quoted;     /* 1 if the cell was in quotes (so "NA" is text) */
} gca_csv_cell;

typedef struct gca_csv {
    size_t nrow;          /* data rows, header not counted */
    size_t ncol;          /* fields per row */
    gca_csv_cell *cells;  /* (nrow + 1) * ncol, row 0 = header */
    char *store;          /* backing text of every cell */
} gca_csv;

#define GCA_CSV_CELL(c, row, col) (&(c)->cells[(size_t)(row) * (c)->ncol + (col)])

/* Parse data[0..len). `source` names the input in errors. Fails with
 * GCA_EPARSE (position in *err), GCA_ETOOBIG or GCA_ENOMEM, leaving *out
 * empty. An input with no header row fails ("empty file"). */
int gca_csv_parse(const char *data, size_t len, const char *source,
                  size_t max_rows, size_t max_cols, gca_csv *out,
                  gca_err *err);
void gca_csv_release(gca_csv *c);

#endif
