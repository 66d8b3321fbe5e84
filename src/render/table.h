/* table.h (internal) - a table of text cells built row by row, written as
 * CSV, JSON (array of row objects) or aligned text. Every renderer goes
 * through it so that the three formats cannot drift apart. */
#ifndef GCA_RENDER_TABLE_H
#define GCA_RENDER_TABLE_H

#include "gca/render.h"
#include "core/arena.h"
#include "core/buf.h"

typedef struct gca__table {
    gca_arena arena;
    size_t ncol, nrow, caprow;
    const char **header;  /* [ncol] */
    const char **cell;    /* [nrow * ncol], NULL = missing */
    unsigned char *num;   /* [ncol] 1 if the column is numeric (JSON) */
    int err;              /* sticky GCA_ENOMEM */
} gca__table;

/* Start a table with `ncol` columns named `header` (copied). */
int gca__table_init(gca__table *t, size_t ncol, const char *const *header);
void gca__table_release(gca__table *t);
/* Mark column `col` as numeric: JSON writes it unquoted. */
void gca__table_numeric(gca__table *t, size_t col);
/* Append an empty row; returns its index. Errors are sticky. */
size_t gca__table_row(gca__table *t);
/* Set a cell: a copy of `text` (NULL = missing), %.17g of `v` (NaN =
 * missing), or `v` rounded R-style to `dp` decimals and printed with
 * %.15g as R's write.csv does (dp < 0: %.17g). */
void gca__table_text(gca__table *t, size_t row, size_t col, const char *text);
void gca__table_num(gca__table *t, size_t row, size_t col, double v);
void gca__table_round(gca__table *t, size_t row, size_t col, double v,
                      int dp);
/* Write the table; missing cells as "NA" (CSV, text) or null (JSON). */
int gca__table_render(const gca__table *t, gca_format fmt, char **out,
                      size_t *len, gca_err *err);

/* The table as an XLSX workbook of one sheet named `sheet` (31 bytes at
 * most, no []:*?/\\): bold header, numeric columns as numbers, missing
 * cells blank; *out is new (gca_free). */
int gca__table_xlsx(const gca__table *t, const char *sheet, char **out,
                    size_t *len, gca_err *err);

#endif
