/* csvcmp.c - compare a CSV table written by gca with an oracle CSV by the
 * oracle rule (tests/oracle/README.md): columns matched by header name,
 * rows by the first column, numbers equal within relative 1e-12 or
 * absolute 1e-9, NA/NaN/Inf and text cells identical. Used by
 * tests/cases/run.sh (format: tests/cases/README.md).
 *
 * usage: csvcmp [--subset] [--ordered] got.csv want.csv
 * --subset: got may leave out columns and rows of want (e.g. a build of a
 * few units compared with the whole oracle table).
 * Exit 0 when equal, 1 when they differ, 2 on a usage or read error. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gca/model.h"
#include "core/csv.h"
#include "core/fs.h"
#include "core/str.h"
#include "core/banned.h"

#define RTOL 1e-12
#define ATOL 1e-9
#define MAX_SHOWN 10 /* differences printed before counting silently */

enum cell_kind { CELL_TEXT, CELL_NUM, CELL_NA, CELL_NAN };

typedef struct table {
    const char *path;
    gca_csv csv;
    gca_buf text;
} table;

typedef struct cmp {
    int subset;   /* got may lack columns and rows of want */
    int ordered;  /* rows must come in the same order */
    size_t ndiff; /* differences found so far */
} cmp;

static int load(table *t, const char *path)
{
    gca_err err = {0};
    t->path = path;
    gca_buf_init(&t->text, GCA_MAX_DATA_FILE);
    memset(&t->csv, 0, sizeof t->csv);
    if (gca_file_read(path, &t->text, &err) < 0 ||
        gca_csv_parse(t->text.ptr, t->text.len, path, GCA_MAX_UNITS,
                      GCA_MAX_COLUMNS, &t->csv, &err) < 0) {
        char msg[1200];
        gca_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "csvcmp: %s\n", msg);
        return -1;
    }
    return 0;
}

static void release(table *t)
{
    gca_csv_release(&t->csv);
    gca_buf_release(&t->text);
}

static const char *cell(const table *t, size_t row, size_t col)
{
    return GCA_CSV_CELL(&t->csv, row, col)->text.ptr;
}

/* NA is missing whether quoted or not: R's write.csv quotes "NA" in
 * character columns and leaves it bare in logical ones. */
static enum cell_kind classify(const char *s, double *v)
{
    gca_str str = {s, strlen(s)};
    if (!strcmp(s, "NA"))
        return CELL_NA;
    if (!strcmp(s, "NaN"))
        return CELL_NAN;
    if (*s && gca_parse_double(str, v))
        return CELL_NUM;
    return CELL_TEXT;
}

static int close_enough(double got, double want)
{
    if (isinf(got) || isinf(want))
        return got == want;
    double d = fabs(got - want);
    double m = fmax(fabs(got), fabs(want));
    return d <= RTOL * m || d <= ATOL;
}

static void diff(cmp *c, const char *fmt, ...) GCA_PRINTF(2, 3);

static void diff(cmp *c, const char *fmt, ...)
{
    if (c->ndiff++ >= MAX_SHOWN)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* Column of `t` named `name`, or -1. */
static long find_col(const table *t, const char *name)
{
    for (size_t c = 0; c < t->csv.ncol; c++)
        if (!strcmp(cell(t, 0, c), name))
            return (long)c;
    return -1;
}

/* Data row of `t` whose first cell is `key`, or -1. Linear: the tables
 * here have at most a few hundred rows. */
static long find_row(const table *t, const char *key)
{
    for (size_t r = 1; r <= t->csv.nrow; r++)
        if (!strcmp(cell(t, r, 0), key))
            return (long)r;
    return -1;
}

static int check_unique(const table *t, size_t row0, size_t n, int by_row)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const char *a = by_row ? cell(t, row0 + i, 0) : cell(t, 0, i);
            const char *b = by_row ? cell(t, row0 + j, 0) : cell(t, 0, j);
            if (!strcmp(a, b)) {
                fprintf(stderr, "csvcmp: %s: %s '%s' appears twice\n",
                        t->path, by_row ? "row key" : "column", a);
                return -1;
            }
        }
    return 0;
}

static void compare_cell(cmp *c, const char *key, const char *col,
                         const char *g, const char *w)
{
    double gv = 0, wv = 0;
    enum cell_kind gk = classify(g, &gv);
    enum cell_kind wk = classify(w, &wv);
    if (gk == CELL_NUM && wk == CELL_NUM) {
        if (!close_enough(gv, wv))
            diff(c, "row '%s' column '%s': got %s, want %s (diff %.3g)", key,
                 col, g, w, fabs(gv - wv));
        return;
    }
    if (gk != wk || (gk == CELL_TEXT && strcmp(g, w)))
        diff(c, "row '%s' column '%s': got '%s', want '%s'", key, col, g, w);
}

/* Header: the same set of names (with --subset, got's names must be a
 * subset of want's). */
static void compare_header(cmp *c, const table *got, const table *want)
{
    for (size_t k = 0; k < got->csv.ncol; k++)
        if (find_col(want, cell(got, 0, k)) < 0)
            diff(c, "column '%s': not expected", cell(got, 0, k));
    if (c->subset)
        return;
    for (size_t k = 0; k < want->csv.ncol; k++)
        if (find_col(got, cell(want, 0, k)) < 0)
            diff(c, "column '%s': missing", cell(want, 0, k));
}

static void compare_rows(cmp *c, const table *got, const table *want)
{
    for (size_t r = 1; r <= want->csv.nrow && !c->subset; r++)
        if (find_row(got, cell(want, r, 0)) < 0)
            diff(c, "row '%s': missing", cell(want, r, 0));
    /* A subset must still hold something, or an empty output would pass. */
    if (c->subset && got->csv.nrow == 0 && want->csv.nrow > 0)
        diff(c, "no data rows");
    for (size_t r = 1; r <= got->csv.nrow; r++) {
        const char *key = cell(got, r, 0);
        long wr = find_row(want, key);
        if (wr < 0) {
            diff(c, "row '%s': not expected", key);
            continue;
        }
        if (c->ordered && (size_t)wr != r)
            diff(c, "row '%s': at position %zu, want %ld", key, r, wr);
        for (size_t k = 1; k < got->csv.ncol; k++) {
            long wc = find_col(want, cell(got, 0, k));
            if (wc >= 0)
                compare_cell(c, key, cell(got, 0, k), cell(got, r, k),
                             cell(want, (size_t)wr, (size_t)wc));
        }
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: csvcmp [--subset] [--ordered] got.csv want.csv\n"
                    "  --subset   got may leave out columns and rows of "
                    "want\n"
                    "  --ordered  rows must also be in want's order\n");
    return 2;
}

int main(int argc, char **argv)
{
    cmp c = {0};
    table got, want;
    int i = 1;

    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--subset"))
            c.subset = 1;
        else if (!strcmp(argv[i], "--ordered"))
            c.ordered = 1;
        else
            return usage();
    }
    if (argc - i != 2)
        return usage();
    int rc = 2;
    memset(&want, 0, sizeof want);
    if (load(&got, argv[i]) < 0)
        goto out_got;
    if (load(&want, argv[i + 1]) < 0)
        goto out;
    if (check_unique(&got, 0, got.csv.ncol, 0) < 0 ||
        check_unique(&want, 0, want.csv.ncol, 0) < 0 ||
        check_unique(&got, 1, got.csv.nrow, 1) < 0 ||
        check_unique(&want, 1, want.csv.nrow, 1) < 0)
        goto out;
    if (strcmp(cell(&got, 0, 0), cell(&want, 0, 0)))
        diff(&c, "first column: got '%s', want '%s'", cell(&got, 0, 0),
             cell(&want, 0, 0));
    compare_header(&c, &got, &want);
    compare_rows(&c, &got, &want);
    if (c.ndiff > MAX_SHOWN)
        printf("... %zu more differences\n", c.ndiff - MAX_SHOWN);
    if (c.ndiff)
        printf("%s differs from %s: %zu differences\n", argv[i],
               argv[i + 1], c.ndiff);
    rc = c.ndiff ? 1 : 0;
out:
    release(&want);
out_got:
    release(&got);
    return rc;
}
