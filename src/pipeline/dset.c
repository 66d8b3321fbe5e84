/* dset.c - data sets and report tables of a build (see step.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "pipeline/result.h"
#include "pipeline/step.h"
#include "core/banned.h"

static int oom(gca__run *run)
{
    return gca_fail(run->err, GCA_ENOMEM, run->where, 0, 0, "out of memory");
}

/* A data set of that shape, its arrays not filled. */
static int alloc_shape(gca__run *run, const char *name, size_t nrow,
                       size_t ncol, gca_dset *out)
{
    gca_arena *a = run->arena;
    memset(out, 0, sizeof *out);
    out->name = name;
    out->nrow = nrow;
    out->ncol = ncol;
    out->ucode = gca_arena_array(a, nrow ? nrow : 1, sizeof *out->ucode);
    out->unit = gca_arena_array(a, nrow ? nrow : 1, sizeof *out->unit);
    out->icode = gca_arena_array(a, ncol ? ncol : 1, sizeof *out->icode);
    out->node = gca_arena_array(a, ncol ? ncol : 1, sizeof *out->node);
    if (ncol && nrow > SIZE_MAX / sizeof(double) / ncol)
        return oom(run);
    out->v = gca_arena_array_raw(a, nrow * ncol + 1, sizeof *out->v);
    if (!out->ucode || !out->unit || !out->icode || !out->node || !out->v)
        return oom(run);
    return 0;
}

int gca__dset_alloc(gca__run *run, const char *name, size_t nrow,
                    size_t ncol, gca_dset *out)
{
    int rc = alloc_shape(run, name, nrow, ncol, out);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i <= nrow * ncol; i++)
        out->v[i] = NAN;
    return 0;
}

int gca__dset_copy(gca__run *run, const gca_dset *in, const char *name,
                   gca_dset *out)
{
    int rc = alloc_shape(run, name, in->nrow, in->ncol, out);
    if (rc < 0)
        return rc;
    out->v[in->nrow * in->ncol] = NAN;
    memcpy(out->ucode, in->ucode, in->nrow * sizeof *in->ucode);
    memcpy(out->unit, in->unit, in->nrow * sizeof *in->unit);
    memcpy(out->icode, in->icode, in->ncol * sizeof *in->icode);
    memcpy(out->node, in->node, in->ncol * sizeof *in->node);
    memcpy(out->v, in->v, in->nrow * in->ncol * sizeof *in->v);
    return 0;
}

int gca__dset_col(const gca_dset *d, int node)
{
    for (size_t c = 0; c < d->ncol; c++)
        if (d->node[c] == node)
            return (int)c;
    return -1;
}

int gca__dset_row(const gca_dset *d, const char *ucode)
{
    for (size_t r = 0; r < d->nrow; r++)
        if (strcmp(d->ucode[r], ucode) == 0)
            return (int)r;
    return -1;
}

gca_report *gca__result_add_report(gca__run *run, const char *name,
                                   size_t nrow, size_t ncol,
                                   const char *const *header)
{
    gca_result *res = run->res;
    if (res->nreports == GCA__MAX_REPORTS) {
        gca_fail(run->err, GCA_EINTERNAL, run->where, 0, 0,
                 "too many reports in one build");
        return NULL;
    }
    gca_report *rep = &res->reports[res->nreports];
    gca_arena *a = run->arena;
    memset(rep, 0, sizeof *rep);
    rep->name = gca_arena_strdup(a, name);
    rep->nrow = nrow;
    rep->ncol = ncol;
    rep->header = gca_arena_array(a, ncol ? ncol : 1, sizeof *rep->header);
    rep->cell = gca_arena_array(a, nrow * ncol + 1,
                                sizeof *rep->cell);
    double *num = gca_arena_array(a, nrow * ncol + 1, sizeof *num);
    rep->num = num;
    if (!rep->name || !rep->header || !rep->cell || !num) {
        oom(run);
        return NULL;
    }
    for (size_t c = 0; c < ncol; c++) {
        rep->header[c] = gca_arena_strdup(a, header[c]);
        if (!rep->header[c]) {
            oom(run);
            return NULL;
        }
    }
    for (size_t i = 0; i < nrow * ncol; i++)
        rep->cell[i] = "NA";
    /* A later report of the same name (a step run twice) replaces the
     * earlier one in lookups by name; both stay in the list. */
    res->nreports++;
    return rep;
}

int gca__report_text(gca__run *run, gca_report *rep, size_t row, size_t col,
                     const char *text)
{
    if (row >= rep->nrow || col >= rep->ncol)
        return gca_fail(run->err, GCA_EINTERNAL, run->where, 0, 0,
                        "report cell out of range");
    const char *t = text ? gca_arena_strdup(run->arena, text) : "NA";
    if (!t)
        return oom(run);
    rep->cell[row * rep->ncol + col] = t;
    return 0;
}

int gca__report_num(gca__run *run, gca_report *rep, size_t row, size_t col,
                    double v)
{
    if (row >= rep->nrow || col >= rep->ncol)
        return gca_fail(run->err, GCA_EINTERNAL, run->where, 0, 0,
                        "report cell out of range");
    rep->cell[row * rep->ncol + col] = NULL;
    ((double *)rep->num)[row * rep->ncol + col] = v;
    return 0;
}

const char *gca_report_cell(const gca_report *rep, size_t row, size_t col,
                            char *buf, size_t size)
{
    if (!rep || row >= rep->nrow || col >= rep->ncol)
        return NULL;
    size_t i = row * rep->ncol + col;
    if (rep->cell[i])
        return rep->cell[i];
    double v = rep->num[i];
    if (isnan(v))
        return "NA";
    if (isinf(v))
        return v > 0 ? "Inf" : "-Inf";
    if (v == 0)
        return "0"; /* no "-0", as gca_buf_double */
    snprintf(buf, size, "%.17g", v);
    return buf;
}

int gca__report_bool(gca__run *run, gca_report *rep, size_t row, size_t col,
                     int v)
{
    return gca__report_text(run, rep, row, col, v ? "TRUE" : "FALSE");
}
