/* mini_build.h - helpers for the pipeline step tests: build a small
 * hand-made index (iMeta and iData given as CSV text) with a method, for
 * cases whose expected results follow from the definition, and compare a
 * step's report table with a COINr oracle CSV. Header-only. */
#ifndef GCA_TEST_MINI_BUILD_H
#define GCA_TEST_MINI_BUILD_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gca.h"
#include "testutil.h"

/* Everything a mini build owns; release with mini_release(). */
typedef struct mini {
    gca_framework *fw;
    gca_dataset *ds;
    gca_method *m;
    gca_result *res;
    gca_err err;
} mini;

/* Load `imeta` and `idata`, bind, parse `method` and build. Returns the
 * first failing call's code (0 when the build succeeded); mb->err says
 * why. Framework or data problems print their message, since a test of
 * a step should never trip on its fixture. */
static inline int mini_build(mini *mb, const char *imeta, const char *idata,
                      const char *method, unsigned flags)
{
    memset(mb, 0, sizeof *mb);
    int rc = gca_framework_load_mem(imeta, strlen(imeta), "mini_meta.csv",
                                    &mb->fw, NULL, &mb->err);
    if (rc == 0)
        rc = gca_dataset_read_csv_mem(idata, strlen(idata), "mini_data.csv",
                                      &mb->ds, &mb->err);
    if (rc == 0)
        rc = gca_dataset_bind(mb->ds, mb->fw, NULL, NULL, &mb->err);
    if (rc < 0) {
        char msg[1024];
        gca_err_format(&mb->err, msg, sizeof msg);
        fprintf(stderr, "mini fixture: %s\n", msg);
        return rc;
    }
    rc = gca_method_load_mem(method, strlen(method), "method", &mb->m,
                             &mb->err);
    if (rc == 0)
        rc = gca_build(mb->fw, mb->ds, mb->m, flags, &mb->res, &mb->err);
    return rc;
}

static inline void mini_release(mini *mb)
{
    gca_result_free(mb->res);
    gca_method_free(mb->m);
    gca_dataset_free(mb->ds);
    gca_framework_free(mb->fw);
    memset(mb, 0, sizeof *mb);
}

/* Build `method` and check that it fails as expected: code `code`, a
 * message containing `want`, "step 1 (`step`)" in the source and no
 * result. Returns 0, or -1 after printing what came instead. */
static inline int mini_expect_fail(const char *imeta, const char *idata,
                                   const char *method, unsigned flags,
                                   int code, const char *want,
                                   const char *step)
{
    mini mb;
    char where[64];
    snprintf(where, sizeof where, "step 1 (%s)", step);
    int rc = mini_build(&mb, imeta, idata, method, flags);
    int ok = rc == code && mb.res == NULL && strstr(mb.err.msg, want) &&
             strstr(mb.err.source, where);
    if (!ok)
        fprintf(stderr, "%s\n  want %d '%s' in %s\n  got %d '%s' in %s\n",
                method, code, want, where, rc, mb.err.msg, mb.err.source);
    mini_release(&mb);
    return ok ? 0 : -1;
}

/* `buf` = a method of the single step `step` with `params` (the inside
 * of its JSON object, after "step"). */
static inline const char *mini_step_json(char *buf, size_t size,
                                         const char *step,
                                         const char *params)
{
    snprintf(buf, size, "{\"steps\":[{\"step\":\"%s\",%s}]}", step,
             params);
    return buf;
}

/* Value of unit `u`, column `code` in data set `d` (NaN if absent). */
static inline double mini_at(const gca_dset *d, const char *u, const char *code)
{
    for (size_t r = 0; r < d->nrow; r++) {
        if (strcmp(d->ucode[r], u))
            continue;
        for (size_t c = 0; c < d->ncol; c++)
            if (!strcmp(d->icode[c], code))
                return GCA_DSET_AT(d, r, c);
    }
    return NAN;
}

/* Parse a numeric cell ("NA", "NaN", "Inf", "-Inf" or a number); 0 for
 * text, logicals and empty cells. */
static inline int mini_num(const char *s, double *v)
{
    char *end;
    if (!strcmp(s, "NA") || !strcmp(s, "NaN")) {
        *v = NAN;
        return 1;
    }
    if (!strcmp(s, "Inf") || !strcmp(s, "-Inf")) {
        *v = *s == '-' ? -INFINITY : INFINITY;
        return 1;
    }
    *v = strtod(s, &end);
    return *s && !*end;
}

/* Number of cells where report `rep` differs from the oracle CSV `rel`:
 * same header (names and order), same rows in the same order, text cells
 * equal and numeric cells tu_close (rtol 1e-12, atol 1e-9; NA = NaN).
 * Prints the first differences. */
static inline int check_report(const gca_report *rep, const char *rel)
{
    tu_table t;
    int bad = 0;
    tu_table_load(&t, rel);
    if (t.csv.ncol != rep->ncol || t.csv.nrow != rep->nrow) {
        fprintf(stderr, "%s: %zu x %zu, report '%s' is %zu x %zu\n", rel,
                t.csv.nrow, t.csv.ncol, rep->name, rep->nrow, rep->ncol);
        tu_table_release(&t);
        return 1;
    }
    for (size_t c = 0; c < rep->ncol; c++) {
        const char *h = GCA_CSV_CELL(&t.csv, 0, c)->text.ptr;
        if (strcmp(h, rep->header[c])) {
            fprintf(stderr, "%s: column %zu is '%s', report has '%s'\n", rel,
                    c + 1, h, rep->header[c]);
            bad++;
        }
    }
    for (size_t r = 0; r < rep->nrow; r++) {
        for (size_t c = 0; c < rep->ncol; c++) {
            const char *want = tu_cell(&t, r + 1, c);
            char b[40];
            const char *got = gca_report_cell(rep, r, c, b, sizeof b);
            if (!strcmp(want, got))
                continue;
            double g, w;
            if (mini_num(got, &g) && mini_num(want, &w) &&
                tu_close(g, w, 1e-12, 1e-9))
                continue;
            if (bad < 10)
                fprintf(stderr, "%s: row %zu, column '%s': got '%s', want "
                        "'%s'\n", rel, r + 1, rep->header[c], got, want);
            bad++;
        }
    }
    tu_table_release(&t);
    return bad;
}

#endif
