/* dataset.c - read unit data (COINr's iData) from CSV and bind it to a
 * framework: column roles, numeric cells, panel selection. Format:
 * docs/method.md#data; rules follow COINr's check_iData and new_coin. */
#include "model/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fs.h"
#include "model/framework.h"
#include "core/banned.h"

static const gca_csv_cell *cellp(const gca_dataset *ds, size_t row,
                                 size_t col)
{
    return GCA_CSV_CELL(&ds->csv, row, col);
}

void gca_dataset_free(gca_dataset *ds)
{
    if (!ds)
        return;
    gca_csv_release(&ds->csv);
    gca_arena_release(&ds->arena);
    gca_free(ds);
}

/* Report `e` (already filled) into `all` and decide whether to go on:
 * with a list we collect, without one we stop at the first. */
static int note(gca_errlist *all, gca_err *first, const gca_err *e)
{
    if (!first->code)
        *first = *e;
    if (!all)
        return first->code;
    if (gca_errlist_add(all, e) < 0)
        return GCA_ENOMEM;
    return 0;
}

#define NOTE(all, err, code, line, col, ...)                              \
    do {                                                                  \
        gca_err e_ = {0};                                                 \
        gca_fail(&e_, (code), ds->source, (line), (col), __VA_ARGS__);    \
        int r_ = note((all), (err), &e_);                                 \
        if (r_ < 0)                                                       \
            return r_;                                                    \
    } while (0)

/* Header checks: uCode present; names unique, no spaces, not starting
 * with a digit (COINr's check_iData). */
static int read_header(gca_dataset *ds, gca_err *err)
{
    gca_csv *c = &ds->csv;
    ds->ucode_col = ds->uname_col = ds->time_col = -1;
    ds->cols = gca_arena_array(&ds->arena, c->ncol, sizeof *ds->cols);
    if (!ds->cols)
        return gca_fail(err, GCA_ENOMEM, ds->source, 0, 0, "out of memory");
    for (size_t j = 0; j < c->ncol; j++) {
        const gca_csv_cell *h = cellp(ds, 0, j);
        const char *name = h->text.ptr;
        const char *why = gca_code_problem(name);
        if (why)
            return gca_fail(err, GCA_EPARSE, ds->source, h->line, h->col,
                            "column name '%.60s' %s", name, why);
        for (size_t k = 0; k < j; k++)
            if (!strcmp(cellp(ds, 0, k)->text.ptr, name))
                return gca_fail(err, GCA_EPARSE, ds->source, h->line, h->col,
                                "duplicate column '%s' (also column %zu)",
                                name, k + 1);
        if (!strcmp(name, "uCode"))
            ds->ucode_col = (int)j;
        else if (!strcmp(name, "uName"))
            ds->uname_col = (int)j;
        else if (!strcmp(name, "Time"))
            ds->time_col = (int)j;
        else {
            gca__dcol *d = &ds->cols[ds->ncol++];
            d->code = name;
            d->csv_col = j;
            d->ref = -1;
        }
    }
    if (ds->ucode_col < 0)
        return gca_fail(err, GCA_EPARSE, ds->source, 1, 1,
                        "no 'uCode' column (every row needs a unit code)");
    return 0;
}

static int read_units(gca_dataset *ds, gca_err *err)
{
    gca_csv *c = &ds->csv;
    size_t n = c->nrow;
    if (n == 0)
        return gca_fail(err, GCA_EPARSE, ds->source, 2, 0,
                        "no data rows after the header");
    ds->row = gca_arena_array(&ds->arena, n, sizeof *ds->row);
    ds->ucode = gca_arena_array(&ds->arena, n, sizeof *ds->ucode);
    ds->uname = gca_arena_array(&ds->arena, n, sizeof *ds->uname);
    if (!ds->row || !ds->ucode || !ds->uname)
        return gca_fail(err, GCA_ENOMEM, ds->source, 0, 0, "out of memory");
    for (size_t r = 1; r <= n; r++) {
        const gca_csv_cell *u = cellp(ds, r, (size_t)ds->ucode_col);
        if (gca_is_na(u->text))
            return gca_fail(err, GCA_EDATA, ds->source, u->line, u->col,
                            "uCode is missing");
        /* COINr allows unit codes that start with a digit (ISO numeric
         * codes do), but not spaces. */
        const char *why = gca_code_problem(u->text.ptr);
        if (why && strcmp(why, GCA_CODE_DIGIT) != 0)
            return gca_fail(err, GCA_EDATA, ds->source, u->line, u->col,
                            "uCode '%.60s' %s", u->text.ptr, why);
        if (ds->time_col >= 0) {
            const gca_csv_cell *t = cellp(ds, r, (size_t)ds->time_col);
            double tv;
            if (!gca_is_na(t->text) && !gca_parse_double(t->text, &tv))
                return gca_fail(err, GCA_EDATA, ds->source, t->line, t->col,
                                "Time '%.40s' is not a number", t->text.ptr);
        }
        ds->row[r - 1] = r;
        ds->ucode[r - 1] = u->text.ptr;
        ds->uname[r - 1] = u->text.ptr;
        if (ds->uname_col >= 0) {
            const gca_csv_cell *nm = cellp(ds, r, (size_t)ds->uname_col);
            if (!gca_is_na(nm->text))
                ds->uname[r - 1] = nm->text.ptr;
        }
    }
    ds->nunit = n;
    return 0;
}

int gca_dataset_read_csv_mem(const char *data, size_t len, const char *source,
                             gca_dataset **out, gca_err *err)
{
    gca_dataset *ds = gca_calloc(1, sizeof *ds);
    int rc;
    if (!ds)
        return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    gca_arena_init(&ds->arena, 16 * 1024);
    ds->source = gca_arena_strdup(&ds->arena, source ? source : "");
    if (!ds->source) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto fail;
    }
    if (len > GCA_MAX_DATA_FILE) {
        rc = gca_fail(err, GCA_ETOOBIG, source, 0, 0,
                      "data file is larger than %u bytes", GCA_MAX_DATA_FILE);
        goto fail;
    }
    rc = gca_csv_parse(data, len, ds->source, GCA_MAX_UNITS, GCA_MAX_COLUMNS,
                       &ds->csv, err);
    if (rc < 0)
        goto fail;
    rc = read_header(ds, err);
    if (rc < 0)
        goto fail;
    rc = read_units(ds, err);
    if (rc < 0)
        goto fail;
    *out = ds;
    return 0;
fail:
    gca_dataset_free(ds);
    return rc;
}

int gca_dataset_read_csv(const char *path, gca_dataset **out, gca_err *err)
{
    gca_buf text = GCA_BUF_INIT(GCA_MAX_DATA_FILE);
    int rc = gca_file_read(path, &text, err);
    if (rc == 0)
        rc = gca_dataset_read_csv_mem(gca_buf_str(&text), text.len, path, out,
                                      err);
    gca_buf_release(&text);
    return rc;
}

/* ====== Binding to a framework ====== */

typedef struct coderef {
    const char *code;
    size_t idx;
} coderef;

static int cmp_coderef(const void *a, const void *b)
{
    const coderef *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_code_only(const void *a, const void *b)
{
    return strcmp(((const coderef *)a)->code, ((const coderef *)b)->code);
}

/* uCodes are unique and none doubles as a column name (COINr). Sorting
 * keeps this O(n log n) for large files. */
static int check_unique_units(gca_dataset *ds, gca_errlist *all,
                              gca_err *err)
{
    size_t n = ds->nunit, nc = ds->csv.ncol;
    coderef *u = gca_malloc((n + nc) * sizeof *u);
    if (!u)
        return gca_fail(err, GCA_ENOMEM, ds->source, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        u[i] = (coderef){ds->ucode[i], i};
    qsort(u, n, sizeof *u, cmp_coderef);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(u[i].code, u[i - 1].code) != 0)
            continue;
        const gca_csv_cell *c = cellp(ds, ds->row[u[i].idx],
                                      (size_t)ds->ucode_col);
        const gca_csv_cell *c0 = cellp(ds, ds->row[u[i - 1].idx],
                                       (size_t)ds->ucode_col);
        gca_err e = {0};
        gca_fail(&e, GCA_EDATA, ds->source, c->line, c->col,
                 "duplicate uCode '%s' (first on line %d)", u[i].code,
                 c0->line);
        if (note(all, err, &e) < 0 || !all)
            break;
    }
    for (size_t j = 0; j < nc && (all || !err->code); j++) {
        coderef key = {cellp(ds, 0, j)->text.ptr, 0};
        coderef *hit = bsearch(&key, u, n, sizeof *u, cmp_code_only);
        if (!hit)
            continue;
        const gca_csv_cell *c = cellp(ds, ds->row[hit->idx],
                                      (size_t)ds->ucode_col);
        gca_err e = {0};
        gca_fail(&e, GCA_EDATA, ds->source, c->line, c->col,
                 "uCode '%s' is also a column name", hit->code);
        if (note(all, err, &e) < 0)
            break;
    }
    gca_free(u);
    return err->code;
}

/* A problem that leaves no set of units to check further: it goes into
 * the list too, and binding stops. */
static int stop(gca_errlist *all, gca_err *err)
{
    if (all && gca_errlist_add(all, err) < 0)
        return GCA_ENOMEM;
    return err->code;
}

/* Keep only the units whose Time equals `time`, or check that there is a
 * single Time value. */
static int select_time(gca_dataset *ds, const char *time, gca_errlist *all,
                       gca_err *err)
{
    if (ds->time_col >= 0) {
        double want = NAN;
        if (time && !gca_parse_double((gca_str){time, strlen(time)}, &want)) {
            gca_fail(err, GCA_EINVAL, "--time", 0, 0, "'%s' is not a number",
                     time);
            return stop(all, err);
        }
        size_t keep = 0;
        double first = NAN;
        int panel = 0;
        for (size_t u = 0; u < ds->nunit; u++) {
            const gca_csv_cell *t = cellp(ds, ds->row[u], (size_t)ds->time_col);
            double tv = NAN;
            gca_parse_double(t->text, &tv);
            if (time) {
                if (tv != want)
                    continue;
            } else if (u == 0) {
                first = tv;
            } else if (!(tv == first || (isnan(tv) && isnan(first)))) {
                panel = 1;
            }
            ds->row[keep] = ds->row[u];
            ds->ucode[keep] = ds->ucode[u];
            ds->uname[keep] = ds->uname[u];
            keep++;
        }
        if (panel) {
            gca_fail(err, GCA_EDATA, ds->source, 0, 0,
                     "panel data: the Time column has more than one value; "
                     "choose one with --time");
            return stop(all, err);
        }
        if (keep == 0) {
            gca_fail(err, GCA_EDATA, ds->source, 0, 0, "no rows with Time %s",
                     time);
            return stop(all, err);
        }
        ds->nunit = keep;
    } else if (time) {
        gca_fail(err, GCA_EDATA, ds->source, 1, 0,
                 "--time given but the data have no Time column");
        return stop(all, err);
    }
    return 0;
}

static int parse_numbers(gca_dataset *ds, gca__dcol *d, gca_errlist *all,
                         gca_err *err)
{
    d->num = gca_arena_array(&ds->arena, ds->nunit, sizeof(double));
    if (!d->num)
        return gca_fail(err, GCA_ENOMEM, ds->source, 0, 0, "out of memory");
    for (size_t u = 0; u < ds->nunit; u++) {
        const gca_csv_cell *c = cellp(ds, ds->row[u], d->csv_col);
        d->num[u] = NAN;
        if (gca_is_na(c->text))
            continue;
        double v;
        if (!gca_parse_double(c->text, &v)) {
            NOTE(all, err, GCA_EDATA, c->line, c->col,
                 "value '%.40s' in column '%s' is not a number", c->text.ptr,
                 d->code);
            if (!all)
                return err->code;
            continue;
        }
        d->num[u] = v;
    }
    return 0;
}

int gca_dataset_bind(gca_dataset *ds, const gca_framework *fw,
                     const char *time, gca_errlist *all, gca_err *err)
{
    int rc;
    gca_err first = {0};
    gca_err *e = err ? err : &first;

    if (ds->fw)
        return gca_fail(e, GCA_EINVAL, ds->source, 0, 0,
                        "data are already bound to a framework");
    rc = select_time(ds, time, all, e);
    if (rc < 0)
        return rc;
    rc = check_unique_units(ds, all, e);
    if (rc < 0 && !all)
        return rc;
    ds->col_of_node = gca_arena_array(&ds->arena, fw->nnodes ? fw->nnodes : 1,
                                      sizeof(int));
    if (!ds->col_of_node)
        return gca_fail(e, GCA_ENOMEM, ds->source, 0, 0, "out of memory");
    for (size_t i = 0; i < fw->nnodes; i++)
        ds->col_of_node[i] = -1;

    for (size_t j = 0; j < ds->ncol; j++) {
        gca__dcol *d = &ds->cols[j];
        const gca_csv_cell *h = cellp(ds, 0, d->csv_col);
        int node = gca__framework_find(fw, d->code);
        const gca_column *fc = gca_framework_column(fw, d->code);
        if (node >= 0 && fw->nodes[node].type == GCA_NODE_INDICATOR) {
            d->kind = GCA_DATA_INDICATOR;
            d->ref = node;
            ds->col_of_node[node] = (int)j;
            rc = parse_numbers(ds, d, all, e);
        } else if (node >= 0) {
            NOTE(all, e, GCA_EDATA, h->line, h->col,
                 "column '%s' is an aggregate of the framework; gca computes "
                 "it, remove it from the data (rule: no aggregate columns)",
                 d->code);
        } else if (fc) {
            d->ref = (int)(fc - fw->columns);
            if (fc->type == GCA_COLUMN_DENOMINATOR) {
                d->kind = GCA_DATA_DENOMINATOR;
                rc = parse_numbers(ds, d, all, e);
            } else {
                d->kind = fc->type == GCA_COLUMN_GROUP ? GCA_DATA_GROUP
                                                        : GCA_DATA_OTHER;
            }
        } else {
            NOTE(all, e, GCA_EDATA, h->line, h->col,
                 "unknown column '%s': not an indicator or a declared column "
                 "of framework '%s'", d->code, gca_framework_code(fw));
        }
        if (rc < 0 && !all)
            return rc;
    }
    /* Every indicator and declared column must be in the data (COINr). */
    for (size_t i = 0; i < fw->nnodes; i++)
        if (fw->nodes[i].type == GCA_NODE_INDICATOR &&
            ds->col_of_node[i] < 0)
            NOTE(all, e, GCA_EDATA, 1, 0,
                 "indicator '%s' of framework '%s' has no column in the data",
                 fw->nodes[i].code, gca_framework_code(fw));
    for (size_t k = 0; k < fw->ncolumns; k++)
        if (gca__dataset_col(ds, fw->columns[k].code) < 0)
            NOTE(all, e, GCA_EDATA, 1, 0,
                 "column '%s' declared by framework '%s' is not in the data",
                 fw->columns[k].code, gca_framework_code(fw));
    if (e->code)
        return e->code;
    ds->fw = fw;
    return 0;
}

int gca_dataset_exclude(gca_dataset *ds, const char *code, gca_err *err)
{
    if (ds->fw)
        return gca_fail(err, GCA_EINVAL, ds->source, 0, 0,
                        "cannot drop column '%s' after binding", code);
    if (!strcmp(code, "uCode"))
        return gca_fail(err, GCA_EINVAL, ds->source, 1, 0,
                        "cannot exclude 'uCode': every row needs a unit code");
    int j = gca__dataset_col(ds, code);
    if (j < 0)
        return gca_fail(err, GCA_ENOTFOUND, ds->source, 1, 0,
                        "no column '%s' to exclude", code);
    memmove(&ds->cols[j], &ds->cols[j + 1],
            (ds->ncol - (size_t)j - 1) * sizeof *ds->cols);
    ds->ncol--;
    return 0;
}

int gca__dataset_col(const gca_dataset *ds, const char *code)
{
    for (size_t j = 0; j < ds->ncol; j++)
        if (!strcmp(ds->cols[j].code, code))
            return (int)j;
    return -1;
}

/* ====== Accessors ====== */

const char *gca_dataset_source(const gca_dataset *ds)
{
    return ds->source;
}

size_t gca_dataset_nunits(const gca_dataset *ds)
{
    return ds->nunit;
}

const char *gca_dataset_ucode(const gca_dataset *ds, size_t unit)
{
    return unit < ds->nunit ? ds->ucode[unit] : NULL;
}

const char *gca_dataset_uname(const gca_dataset *ds, size_t unit)
{
    return unit < ds->nunit ? ds->uname[unit] : NULL;
}

size_t gca_dataset_ncols(const gca_dataset *ds)
{
    return ds->ncol;
}

const char *gca_dataset_col_code(const gca_dataset *ds, size_t col)
{
    return col < ds->ncol ? ds->cols[col].code : NULL;
}

gca_data_kind gca_dataset_col_kind(const gca_dataset *ds, size_t col)
{
    return col < ds->ncol ? ds->cols[col].kind : GCA_DATA_UNBOUND;
}

int gca_dataset_find_col(const gca_dataset *ds, const char *code)
{
    return gca__dataset_col(ds, code);
}

double gca_dataset_num(const gca_dataset *ds, size_t col, size_t unit)
{
    if (col >= ds->ncol || unit >= ds->nunit)
        return NAN;
    const gca__dcol *d = &ds->cols[col];
    if (d->num)
        return d->num[unit];
    double v;
    const gca_csv_cell *c = cellp(ds, ds->row[unit], d->csv_col);
    if (gca_is_na(c->text) || !gca_parse_double(c->text, &v))
        return NAN;
    return v;
}

const char *gca_dataset_text(const gca_dataset *ds, size_t col, size_t unit)
{
    if (col >= ds->ncol || unit >= ds->nunit)
        return NULL;
    const gca_csv_cell *c = cellp(ds, ds->row[unit], ds->cols[col].csv_col);
    return gca_is_na(c->text) ? NULL : c->text.ptr;
}
