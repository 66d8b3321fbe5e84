/* testutil.c - see testutil.h. */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <ftw.h>
#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fs.h"

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int tu_rmtree(const char *dir)
{
    return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#ifndef GCA_TEST_ROOT
#error "GCA_TEST_ROOT must name the source tree"
#endif

const char *tu_path(const char *rel)
{
    static char buf[8][4096];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 4096, "%s/%s", GCA_TEST_ROOT, rel);
    return p;
}

static void die(const char *what, const gca_err *err)
{
    char msg[1024];
    gca_err_format(err, msg, sizeof msg);
    fprintf(stderr, "testutil: %s: %s\n", what, msg);
    abort();
}

void tu_table_load(tu_table *t, const char *rel)
{
    gca_buf b = GCA_BUF_INIT(64u << 20);
    gca_err err = {0};
    memset(t, 0, sizeof *t);
    if (gca_file_read(tu_path(rel), &b, &err) < 0)
        die(rel, &err);
    t->text = gca_buf_detach(&b, NULL);
    if (gca_csv_parse(t->text, strlen(t->text), rel, 10000000, 100000,
                      &t->csv, &err) < 0)
        die(rel, &err);
}

void tu_table_release(tu_table *t)
{
    gca_csv_release(&t->csv);
    gca_free(t->text);
    memset(t, 0, sizeof *t);
}

int tu_col(const tu_table *t, const char *name)
{
    for (size_t c = 0; c < t->csv.ncol; c++)
        if (!strcmp(GCA_CSV_CELL(&t->csv, 0, c)->text.ptr, name))
            return (int)c;
    return -1;
}

int tu_row(const tu_table *t, int keycol, const char *key)
{
    for (size_t r = 1; r <= t->csv.nrow; r++)
        if (!strcmp(GCA_CSV_CELL(&t->csv, r, (size_t)keycol)->text.ptr, key))
            return (int)r;
    return -1;
}

const char *tu_cell(const tu_table *t, size_t row, size_t col)
{
    return GCA_CSV_CELL(&t->csv, row, col)->text.ptr;
}

double tu_num(const tu_table *t, size_t row, size_t col)
{
    const char *s = tu_cell(t, row, col);
    if (!strcmp(s, "NA") || !strcmp(s, "NaN") || !*s)
        return NAN;
    if (!strcmp(s, "Inf"))
        return INFINITY;
    if (!strcmp(s, "-Inf"))
        return -INFINITY;
    if (!strcmp(s, "TRUE"))
        return 1;
    if (!strcmp(s, "FALSE"))
        return 0;
    char *end;
    double v = strtod(s, &end);
    if (*end) {
        fprintf(stderr, "testutil: '%s' is not a number\n", s);
        abort();
    }
    return v;
}

int tu_close(double got, double want, double rtol, double atol)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    if (isinf(want) || isinf(got))
        return got == want;
    double d = fabs(got - want);
    double m = fmax(fabs(got), fabs(want));
    return d <= rtol * m || d <= atol;
}

int tu_check_dset(const gca_dset *d, const char *rel, int allow_extra)
{
    tu_table t;
    int bad = 0;
    tu_table_load(&t, rel);
    int ucol = tu_col(&t, "uCode");
    if (ucol < 0) {
        fprintf(stderr, "%s: no uCode column\n", rel);
        abort();
    }
    if (t.csv.nrow != d->nrow) {
        fprintf(stderr, "%s: %zu units, data set '%s' has %zu\n", rel,
                t.csv.nrow, d->name, d->nrow);
        bad++;
    }
    size_t ocols = 0;
    for (size_t c = 0; c < t.csv.ncol; c++) {
        if ((int)c == ucol)
            continue;
        const char *code = GCA_CSV_CELL(&t.csv, 0, c)->text.ptr;
        ocols++;
        int dc = -1;
        for (size_t k = 0; k < d->ncol; k++)
            if (!strcmp(d->icode[k], code))
                dc = (int)k;
        if (dc < 0) {
            fprintf(stderr, "%s: column '%s' missing from '%s'\n", rel, code,
                    d->name);
            bad++;
            continue;
        }
        for (size_t r = 1; r <= t.csv.nrow; r++) {
            const char *u = tu_cell(&t, r, (size_t)ucol);
            int dr = -1;
            for (size_t k = 0; k < d->nrow; k++)
                if (!strcmp(d->ucode[k], u))
                    dr = (int)k;
            if (dr < 0) {
                if (c == (size_t)(ucol == 0 ? 1 : 0))
                    fprintf(stderr, "%s: unit '%s' missing from '%s'\n", rel,
                            u, d->name);
                bad++;
                continue;
            }
            double want = tu_num(&t, r, c);
            double got = GCA_DSET_AT(d, dr, dc);
            if (!tu_close(got, want, 1e-12, 1e-9)) {
                if (bad < 10)
                    fprintf(stderr, "%s: %s/%s: got %.17g, want %.17g\n",
                            rel, u, code, got, want);
                bad++;
            }
        }
    }
    if (!allow_extra && ocols != d->ncol) {
        fprintf(stderr, "%s: %zu columns, data set '%s' has %zu\n", rel,
                ocols, d->name, d->ncol);
        bad++;
    }
    tu_table_release(&t);
    return bad;
}

static gca_framework *asem_fw;
static gca_dataset *asem_ds;
static gca_method *kept[4096];
static size_t nkept;

static void free_asem(void)
{
    for (size_t i = 0; i < nkept; i++)
        gca_method_free(kept[i]);
    gca_dataset_free(asem_ds);
    gca_framework_free(asem_fw);
}

static void load_asem(void)
{
    gca_err err = {0};
    if (asem_fw)
        return;
    if (gca_framework_load(tu_path("tests/oracle/data/asem_iMeta.csv"),
                           &asem_fw, NULL, &err) < 0)
        die("asem_iMeta.csv", &err);
    if (gca_dataset_read_csv(tu_path("tests/oracle/data/asem_iData.csv"),
                             &asem_ds, &err) < 0 ||
        gca_dataset_bind(asem_ds, asem_fw, NULL, NULL, &err) < 0)
        die("asem_iData.csv", &err);
    atexit(free_asem);
}

const gca_framework *tu_asem_framework(void)
{
    load_asem();
    return asem_fw;
}

const gca_dataset *tu_asem_data(void)
{
    load_asem();
    return asem_ds;
}

int tu_build_asem(const char *json, unsigned flags, gca_result **res,
                  gca_err *err)
{
    gca_method *m = NULL;
    load_asem();
    int rc = gca_method_load_mem(json, strlen(json), "method", &m, err);
    if (rc < 0)
        return rc;
    rc = gca_build(asem_fw, asem_ds, m, flags, res, err);
    if (rc < 0) {
        gca_method_free(m);
        return rc;
    }
    /* The result borrows the method: keep it until the process ends. */
    if (nkept == GCA_COUNT(kept)) {
        fprintf(stderr, "testutil: more than %zu builds\n", GCA_COUNT(kept));
        abort();
    }
    kept[nkept++] = m;
    return rc;
}

static gca_dataset *kept_ds[256];
static size_t nkept_ds;

static void free_kept_ds(void)
{
    for (size_t i = 0; i < nkept_ds; i++)
        gca_dataset_free(kept_ds[i]);
}

/* The ASEM iData with the indicator cells of `t` (matched on uCode and
 * column name), every cell quoted. */
static char *replaced_idata(const tu_table *t)
{
    tu_table raw;
    gca_buf b = GCA_BUF_INIT(64u << 20);
    tu_table_load(&raw, "tests/oracle/data/asem_iData.csv");
    int rcode = tu_col(&raw, "uCode"), tcode = tu_col(t, "uCode");
    if (rcode < 0 || tcode < 0) {
        fprintf(stderr, "testutil: no uCode column\n");
        abort();
    }
    int *map = calloc(raw.csv.ncol, sizeof *map);
    if (!map)
        abort();
    for (size_t c = 0; c < raw.csv.ncol; c++) {
        map[c] = (int)c == rcode ? -1 : tu_col(t, tu_cell(&raw, 0, c));
        gca_buf_puts(&b, c ? "," : "");
        gca_buf_csv_field(&b, tu_cell(&raw, 0, c));
    }
    gca_buf_putc(&b, '\n');
    for (size_t r = 1; r <= raw.csv.nrow; r++) {
        int tr = tu_row(t, tcode, tu_cell(&raw, r, (size_t)rcode));
        if (tr < 0)
            continue;
        for (size_t c = 0; c < raw.csv.ncol; c++) {
            const char *cell = map[c] < 0 ? tu_cell(&raw, r, c)
                                          : tu_cell(t, (size_t)tr,
                                                    (size_t)map[c]);
            gca_buf_puts(&b, c ? "," : "");
            gca_buf_csv_field(&b, cell);
        }
        gca_buf_putc(&b, '\n');
    }
    free(map);
    tu_table_release(&raw);
    if (gca_buf_error(&b)) {
        fprintf(stderr, "testutil: iData text too large\n");
        abort();
    }
    return gca_buf_detach(&b, NULL);
}

int tu_build_from(const gca_framework *fw, const char *rel_dset_csv,
                  const char *json, unsigned flags, gca_result **res,
                  gca_err *err)
{
    tu_table t;
    gca_dataset *ds = NULL;
    gca_method *m = NULL;
    load_asem();
    if (!fw)
        fw = asem_fw;
    tu_table_load(&t, rel_dset_csv);
    char *text = replaced_idata(&t);
    tu_table_release(&t);
    int rc = gca_dataset_read_csv_mem(text, strlen(text), rel_dset_csv, &ds,
                                      err);
    gca_free(text);
    if (rc == 0)
        rc = gca_dataset_bind(ds, fw, NULL, NULL, err);
    if (rc == 0)
        rc = gca_method_load_mem(json, strlen(json), "method", &m, err);
    if (rc == 0)
        rc = gca_build(fw, ds, m, flags, res, err);
    if (rc < 0) {
        gca_method_free(m);
        gca_dataset_free(ds);
        return rc;
    }
    /* The result borrows the data and the method: keep both. */
    if (nkept == GCA_COUNT(kept) || nkept_ds == GCA_COUNT(kept_ds)) {
        fprintf(stderr, "testutil: too many builds\n");
        abort();
    }
    if (nkept_ds == 0)
        atexit(free_kept_ds);
    kept[nkept++] = m;
    kept_ds[nkept_ds++] = ds;
    return 0;
}

int tu_build_asem_from(const char *rel_dset_csv, const char *json,
                       unsigned flags, gca_result **res, gca_err *err)
{
    return tu_build_from(NULL, rel_dset_csv, json, flags, res, err);
}
