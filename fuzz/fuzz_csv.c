/* fuzz_csv.c - libFuzzer harness for the RFC 4180 reader (src/core/csv.h)
 * and the iData reader and binder (gca_dataset_read_csv_mem,
 * gca_dataset_bind). Checks what they promise: every cell NUL-terminated,
 * NUL-free valid UTF-8 with a position; the cells survive being written
 * back fully quoted and read again; every failure is explained; a bound
 * data set answers every accessor. Bound against the embedded fixture
 * and against COINr's ASEM iMeta (read once from the source tree). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gca.h"
#include "core/buf.h"
#include "core/csv.h"
#include "fixture.h"

#ifndef GCA_FUZZ_ROOT
#define GCA_FUZZ_ROOT "."
#endif

/* Read-only after LLVMFuzzerInitialize. */
static gca_framework *fixture_fw, *asem_fw;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gca_err err = {0};
    (void)argc;
    (void)argv;
    fuzz_fixture_load(&fixture_fw, NULL);
    fuzz_check(gca_framework_load(GCA_FUZZ_ROOT
                                  "/tests/oracle/data/asem_iMeta.csv",
                                  &asem_fw, NULL, &err),
               &err, "ASEM framework");
    return 0;
}

/* ====== RFC 4180 reader ====== */

static void check_cells(const gca_csv *c)
{
    for (size_t i = 0; i < (c->nrow + 1) * c->ncol; i++) {
        const gca_csv_cell *cell = &c->cells[i];
        if (cell->text.ptr[cell->text.len] != '\0' ||
            strlen(cell->text.ptr) != cell->text.len ||
            cell->line < 1 || cell->col < 1 ||
            gca_utf8_valid_prefix(cell->text.ptr, cell->text.len) !=
                cell->text.len) {
            fprintf(stderr, "fuzz_csv: bad cell %zu (line %d col %d)\n", i,
                    cell->line, cell->col);
            abort();
        }
    }
}

/* Write every cell quoted, quotes doubled, and parse again: the reader
 * must give back the same rows and texts. */
static void check_round_trip(const gca_csv *c)
{
    gca_buf b = GCA_BUF_INIT(SIZE_MAX / 4);
    for (size_t r = 0; r <= c->nrow; r++) {
        for (size_t j = 0; j < c->ncol; j++) {
            const gca_csv_cell *cell = GCA_CSV_CELL(c, r, j);
            gca_buf_puts(&b, j ? ",\"" : "\"");
            for (size_t k = 0; k < cell->text.len; k++) {
                if (cell->text.ptr[k] == '"')
                    gca_buf_putc(&b, '"');
                gca_buf_putc(&b, cell->text.ptr[k]);
            }
            gca_buf_putc(&b, '"');
        }
        gca_buf_putc(&b, '\n');
    }
    if (gca_buf_error(&b))
        abort();
    gca_csv again = {0};
    gca_err err = {0};
    int rc = gca_csv_parse(gca_buf_str(&b), b.len, "again", SIZE_MAX,
                           SIZE_MAX, &again, &err);
    fuzz_check(rc, &err, "csv round trip: re-read failed");
    if (again.nrow != c->nrow || again.ncol != c->ncol) {
        fprintf(stderr, "fuzz_csv: round trip %zux%zu became %zux%zu\n",
                c->nrow, c->ncol, again.nrow, again.ncol);
        abort();
    }
    for (size_t i = 0; i < (c->nrow + 1) * c->ncol; i++) {
        const gca_csv_cell *x = &c->cells[i], *y = &again.cells[i];
        if (x->text.len != y->text.len ||
            memcmp(x->text.ptr, y->text.ptr, x->text.len) != 0 ||
            !y->quoted) {
            fprintf(stderr, "fuzz_csv: round trip changed cell %zu\n", i);
            abort();
        }
    }
    gca_csv_release(&again);
    gca_buf_release(&b);
}

static void fuzz_reader(const char *data, size_t size)
{
    gca_csv c = {0};
    gca_err err = {0};
    /* Small ceilings so that the row and column limits are reached. */
    size_t max_rows = size & 1 ? 8 : SIZE_MAX;
    size_t max_cols = size & 2 ? 8 : SIZE_MAX;
    int rc = gca_csv_parse(data, size, "fuzz.csv", max_rows, max_cols, &c,
                           &err);
    if (rc == 0) {
        if (c.ncol == 0 || c.nrow > max_rows || c.ncol > max_cols)
            abort();
        check_cells(&c);
        check_round_trip(&c);
    } else {
        fuzz_check_failure(rc, &err, "csv reader failure");
        if (c.cells || c.store || c.nrow || c.ncol)
            abort(); /* *out must be left empty */
    }
    gca_csv_release(&c);
}

/* ====== iData reader and binder ====== */

static void check_bound(const gca_dataset *ds, const gca_framework *fw)
{
    for (size_t j = 0; j < gca_dataset_ncols(ds); j++) {
        const char *code = gca_dataset_col_code(ds, j);
        gca_data_kind kind = gca_dataset_col_kind(ds, j);
        if (!code || gca_dataset_find_col(ds, code) != (int)j ||
            kind == GCA_DATA_UNBOUND)
            abort();
        if (kind == GCA_DATA_INDICATOR) {
            const gca_node *n = gca_framework_node(fw, code);
            if (!n || n->type != GCA_NODE_INDICATOR)
                abort();
        }
        for (size_t u = 0; u < gca_dataset_nunits(ds); u++) {
            double v = gca_dataset_num(ds, j, u);
            const char *t = gca_dataset_text(ds, j, u);
            /* A number needs text behind it. */
            if (!isnan(v) && !t)
                abort();
        }
    }
}

static void check_units(const gca_dataset *ds)
{
    for (size_t u = 0; u < gca_dataset_nunits(ds); u++) {
        const char *uc = gca_dataset_ucode(ds, u);
        const char *un = gca_dataset_uname(ds, u);
        if (!uc || !uc[0] || !un)
            abort();
    }
}

static void fuzz_dataset(const char *data, size_t size,
                         const gca_framework *fw, const char *time,
                         int collect)
{
    gca_dataset *ds = NULL;
    gca_errlist all = GCA_ERRLIST_INIT;
    gca_err err = {0};
    int rc = gca_dataset_read_csv_mem(data, size, "fuzz_iData.csv", &ds,
                                      &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "iData reader failure");
        if (ds)
            abort(); /* *out untouched */
        return;
    }
    check_units(ds);
    rc = gca_dataset_bind(ds, fw, time, collect ? &all : NULL, &err);
    if (rc == 0) {
        if (all.n)
            abort(); /* success with problems listed */
        check_units(ds);
        check_bound(ds, fw);
    } else {
        fuzz_check_failure(rc, &err, "iData bind failure");
        if (collect && rc != GCA_ENOMEM && all.n == 0)
            abort(); /* model.h: every problem is appended */
        for (size_t i = 0; i < all.n; i++)
            fuzz_check_failure(all.v[i].code, &all.v[i], "listed problem");
    }
    gca_errlist_release(&all);
    gca_dataset_free(ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    fuzz_reader(text, size);
    /* The length picks the panel filter and whether to collect every
     * problem, so both paths of gca_dataset_bind are reached. */
    const char *time = size % 3 == 0 ? "2018" : NULL;
    fuzz_dataset(text, size, fixture_fw, time, size & 4);
    fuzz_dataset(text, size, asem_fw, time, !(size & 4));
    return 0;
}
