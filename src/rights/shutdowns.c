/* shutdowns.c - shutdown counts per country and year, the CSV file
 * data/rights/shutdowns.csv (format in gca/rights.h and docs/rights.md,
 * "Shutdown counts"). The whole file is checked before any row is
 * handed out. */
#include <string.h>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/str.h"
#include "gca/rights.h"

#include "core/banned.h"

#define SHUTDOWNS_FILE "data/rights/shutdowns.csv"
#define MAX_ROWS 100000

enum { C_ISO3, C_COUNTRY, C_YEAR, C_COUNT, C_TYPE, C_SOURCE, C_NOTE, NCOLS };
static const char *const col_names[NCOLS] = {
    "iso3", "country", "year", "shutdowns", "count_type", "source", "note"};

static int find_columns(const gca_csv *c, const char *name, int idx[NCOLS],
                        gca_err *err)
{
    for (int k = 0; k < NCOLS; k++)
        idx[k] = -1;
    for (size_t j = 0; j < c->ncol; j++) {
        const gca_csv_cell *h = GCA_CSV_CELL(c, 0, j);
        int k = 0;
        while (k < NCOLS && strcmp(col_names[k], h->text.ptr) != 0)
            k++;
        if (k == NCOLS)
            return gca_fail(err, GCA_EPARSE, name, h->line, h->col,
                            "unknown column '%s'", h->text.ptr);
        if (idx[k] >= 0)
            return gca_fail(err, GCA_EPARSE, name, h->line, h->col,
                            "column '%s' appears twice", h->text.ptr);
        idx[k] = (int)j;
    }
    for (int k = 0; k < NCOLS; k++)
        if (idx[k] < 0)
            return gca_fail(err, GCA_EPARSE, name, 1, 1,
                            "missing column '%s'", col_names[k]);
    return 0;
}

static int is_iso3(const gca_str s)
{
    if (s.len != 3)
        return 0;
    for (size_t i = 0; i < 3; i++)
        if (s.ptr[i] < 'A' || s.ptr[i] > 'Z')
            return 0;
    return 1;
}

/* Check row r and fill *out (strings borrowed from the CSV). */
static int read_row(const gca_csv *c, size_t r, const int idx[NCOLS],
                    const char *name, gca_rights_shutdown *out,
                    gca_err *err)
{
    const gca_csv_cell *iso = GCA_CSV_CELL(c, r, idx[C_ISO3]);
    const gca_csv_cell *yr = GCA_CSV_CELL(c, r, idx[C_YEAR]);
    const gca_csv_cell *n = GCA_CSV_CELL(c, r, idx[C_COUNT]);
    const gca_csv_cell *ty = GCA_CSV_CELL(c, r, idx[C_TYPE]);
    const gca_csv_cell *src = GCA_CSV_CELL(c, r, idx[C_SOURCE]);
    long year = 0, count = 0;
    if (!is_iso3(iso->text))
        return gca_fail(err, GCA_EPARSE, name, iso->line, iso->col,
                        "iso3 '%s' is not three upper-case letters",
                        iso->text.ptr);
    if (!gca_parse_int(yr->text, 1900, 2099, &year))
        return gca_fail(err, GCA_EPARSE, name, yr->line, yr->col,
                        "year '%s' is not a year from 1900 to 2099",
                        yr->text.ptr);
    if (!gca_parse_int(n->text, 0, 1000000, &count))
        return gca_fail(err, GCA_EPARSE, name, n->line, n->col,
                        "shutdowns '%s' is not a whole number from 0",
                        n->text.ptr);
    if (strcmp(ty->text.ptr, "reported") && strcmp(ty->text.ptr, "at_least"))
        return gca_fail(err, GCA_EPARSE, name, ty->line, ty->col,
                        "count_type '%s' is not reported or at_least",
                        ty->text.ptr);
    if (gca_str_trim(src->text).len == 0)
        return gca_fail(err, GCA_EPARSE, name, src->line, src->col,
                        "source is empty");
    out->iso3 = iso->text.ptr;
    out->country = GCA_CSV_CELL(c, r, idx[C_COUNTRY])->text.ptr;
    out->year = (int)year;
    out->count = count;
    out->count_type = ty->text.ptr;
    out->source = src->text.ptr;
    out->note = GCA_CSV_CELL(c, r, idx[C_NOTE])->text.ptr;
    return 0;
}

/* A second row for the same country and year would make totals
 * ambiguous. Rows are few (one per country and year), so a scan of the
 * earlier rows is cheap enough. */
static int check_unique(const gca_csv *c, size_t r, const int idx[NCOLS],
                        const char *name, gca_err *err)
{
    const gca_csv_cell *iso = GCA_CSV_CELL(c, r, idx[C_ISO3]);
    const gca_csv_cell *yr = GCA_CSV_CELL(c, r, idx[C_YEAR]);
    for (size_t k = 1; k < r; k++)
        if (!strcmp(GCA_CSV_CELL(c, k, idx[C_ISO3])->text.ptr,
                    iso->text.ptr) &&
            !strcmp(GCA_CSV_CELL(c, k, idx[C_YEAR])->text.ptr, yr->text.ptr))
            return gca_fail(err, GCA_EPARSE, name, iso->line, iso->col,
                            "%s %s already given on line %d", iso->text.ptr,
                            yr->text.ptr, GCA_CSV_CELL(c, k, 0)->line);
    return 0;
}

int gca_rights_shutdowns_parse(const char *data, size_t len, const char *name,
                               gca_rights_shutdown_fn fn, void *ctx,
                               gca_err *err)
{
    gca_csv c = {0};
    int idx[NCOLS];
    gca_rights_shutdown row;
    int rc;
    if (len > GCA_RIGHTS_SHUTDOWNS_MAX)
        return gca_fail(err, GCA_ETOOBIG, name, 0, 0,
                        "file is larger than %u bytes",
                        GCA_RIGHTS_SHUTDOWNS_MAX);
    rc = gca_csv_parse(data, len, name, MAX_ROWS, 16, &c, err);
    if (rc < 0)
        return rc;
    rc = find_columns(&c, name, idx, err);
    for (size_t r = 1; rc == 0 && r <= c.nrow; r++) {
        rc = read_row(&c, r, idx, name, &row, err);
        if (rc == 0)
            rc = check_unique(&c, r, idx, name, err);
    }
    for (size_t r = 1; rc == 0 && r <= c.nrow; r++) {
        if (read_row(&c, r, idx, name, &row, err) == 0)
            rc = fn(&row, ctx);
    }
    gca_csv_release(&c);
    return rc;
}

typedef struct filter_ctx {
    const char *iso3;
    gca_rights_shutdown_fn fn;
    void *ctx;
} filter_ctx;

static int filter_row(const gca_rights_shutdown *s, void *ctx)
{
    filter_ctx *f = ctx;
    if (f->iso3 && strcmp(f->iso3, s->iso3) != 0)
        return 0;
    return f->fn(s, f->ctx);
}

int gca_rights_shutdowns(const char *iso3, gca_rights_shutdown_fn fn,
                         void *ctx, int *available, gca_err *err)
{
    const gca__blob *b = gca__embedded(SHUTDOWNS_FILE);
    filter_ctx f = {iso3, fn, ctx};
    if (available)
        *available = b != NULL;
    if (!b)
        return 0;
    return gca_rights_shutdowns_parse(b->data, b->len, SHUTDOWNS_FILE,
                                      filter_row, &f, err);
}
