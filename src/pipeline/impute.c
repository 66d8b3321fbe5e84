/* impute.c - the "impute" step: fill missing values as COINr's Impute():
 * by column (mean, median, or either within groups of units) or by row
 * (within the indicators under each aggregate of `group_level`), on the
 * data as they are or min-max normalised first and transformed back.
 * Method: docs/method.md#impute.
 *
 * Parameters: f_i ("i_mean" default, "i_median", "i_mean_grp",
 * "i_median_grp", "none"), use_group (group column, with the *_grp
 * functions), impute_by ("column" default, "row"), group_level (2..top),
 * normalise_first (default: true by row, false by column), disable. */
#include <math.h>
#include <string.h>

#include "analysis/stats.h"
#include "model/dataset.h"
#include "pipeline/step.h"
#include "core/banned.h"

enum impute_fn { I_NONE, I_MEAN, I_MEDIAN, I_MEAN_GRP, I_MEDIAN_GRP };

typedef struct impute_spec {
    int fn;              /* enum impute_fn */
    const char *group;   /* use_group, NULL = none */
    int by_row;
    int group_level;     /* 0 = no splitting of the columns */
    int normalise_first; /* -1 = default for impute_by */
    int disable;
} impute_spec;

/* ====== Parameters ====== */

static int parse(const json_t *obj, void *vspec, gca_arena *arena,
                 const char *where, gca_err *err)
{
    static const char *const keys[] = {"f_i",       "use_group",
                                       "impute_by", "group_level",
                                       "normalise_first", "disable", NULL};
    static const char *const fns[] = {"none", "i_mean", "i_median",
                                      "i_mean_grp", "i_median_grp", NULL};
    impute_spec *spec = vspec;
    const char *f_i = "i_mean", *by = "column";
    double level = NAN;
    spec->normalise_first = -1;
    int rc = gca__params_only(obj, keys, where, err);
    if (rc == 0)
        rc = gca__param_string(obj, "f_i", arena, &f_i, where, err);
    if (rc == 0)
        rc = gca__param_string(obj, "use_group", arena, &spec->group, where,
                               err);
    if (rc == 0)
        rc = gca__param_string(obj, "impute_by", arena, &by, where, err);
    if (rc == 0)
        rc = gca__param_number(obj, "group_level", &level, where, err);
    if (rc == 0)
        rc = gca__param_bool(obj, "normalise_first", &spec->normalise_first,
                             where, err);
    if (rc == 0)
        rc = gca__param_bool(obj, "disable", &spec->disable, where, err);
    if (rc < 0)
        return rc;
    spec->fn = gca__name_index(f_i, fns);
    if (spec->fn < 0)
        return gca__method_fail(err, where,
                                "unknown imputation function f_i '%.60s' "
                                "(known: i_mean, i_median, i_mean_grp, "
                                "i_median_grp, none)",
                                f_i);
    if (!strcmp(by, "row"))
        spec->by_row = 1;
    else if (strcmp(by, "column"))
        return gca__method_fail(err, where,
                                "parameter 'impute_by' must be \"column\" or "
                                "\"row\", not '%.60s'",
                                by);
    if (!isnan(level)) {
        if (level != floor(level) || level < 2 || level > GCA_MAX_LEVELS)
            return gca__method_fail(err, where,
                                    "parameter 'group_level' must be a whole "
                                    "number from 2 to the top level");
        spec->group_level = (int)level;
    }
    int grp = spec->fn == I_MEAN_GRP || spec->fn == I_MEDIAN_GRP;
    if (grp && !spec->group)
        return gca__method_fail(err, where,
                                "f_i '%s' needs parameter 'use_group' (a "
                                "group column)",
                                f_i);
    if (!grp && spec->group)
        return gca__method_fail(err, where,
                                "parameter 'use_group' needs f_i i_mean_grp "
                                "or i_median_grp, not '%s'",
                                f_i);
    if (grp && spec->by_row)
        return gca__method_fail(err, where,
                                "f_i '%s' imputes within groups of units, so "
                                "it needs impute_by \"column\"",
                                f_i);
    if (spec->normalise_first < 0)
        spec->normalise_first = spec->by_row;
    return 0;
}

/* ====== Run ====== */

typedef struct imp {
    gca__run *run;
    const impute_spec *spec;
    gca_dset *out;
    int *gid;        /* [nrow] group of each row (first row with the same
                      * group value), -1 = missing; NULL = no groups */
    size_t *rep;     /* [nrow] first row of each group */
    double *work;    /* [nrow * ncol] values being imputed */
    double *tmp;     /* [max(nrow, ncol)] scratch */
    double *tmp2;    /* [max(nrow, ncol)] scratch for medians */
} imp;

static double centre(const imp *im, const double *x, size_t n)
{
    if (im->spec->fn == I_MEDIAN || im->spec->fn == I_MEDIAN_GRP)
        return gca__median(x, n, im->tmp2);
    return gca__mean(x, n);
}

/* Fill the NaN of column vector `x` (nrow values) with its mean or median,
 * overall or within each group of units. */
static void impute_column(const imp *im, double *x)
{
    size_t n = im->out->nrow;
    if (gca__count(x, n) == 0)
        return;
    if (!im->gid) {
        double m = centre(im, x, n);
        for (size_t r = 0; r < n; r++)
            if (isnan(x[r]))
                x[r] = m;
        return;
    }
    /* COINr's i_*_grp: units whose group is missing are left alone; a group
     * with no value keeps its NaN (mean of nothing). */
    for (size_t g = 0; g < n; g++) {
        if (im->gid[g] != (int)g)
            continue;
        size_t k = 0;
        int missing = 0;
        for (size_t r = g; r < n; r++) {
            if (im->gid[r] != (int)g)
                continue;
            im->tmp[k++] = x[r];
            missing |= isnan(x[r]);
        }
        if (!missing)
            continue;
        double m = centre(im, im->tmp, k);
        for (size_t r = g; r < n; r++)
            if (im->gid[r] == (int)g && isnan(x[r]))
                x[r] = m;
    }
}

/* Impute columns cols[0..nc) of the work matrix. */
static void impute_block(const imp *im, const size_t *cols, size_t nc)
{
    size_t n = im->out->nrow;
    if (!im->spec->by_row) {
        for (size_t k = 0; k < nc; k++)
            impute_column(im, &im->work[cols[k] * n]);
        return;
    }
    for (size_t r = 0; r < n; r++) {
        int missing = 0;
        for (size_t k = 0; k < nc; k++) {
            im->tmp[k] = im->work[cols[k] * n + r];
            missing |= isnan(im->tmp[k]);
        }
        if (!missing || gca__count(im->tmp, nc) == 0)
            continue;
        double m = centre(im, im->tmp, nc);
        for (size_t k = 0; k < nc; k++)
            if (isnan(im->tmp[k]))
                im->work[cols[k] * n + r] = m;
    }
}

/* Impute one block of columns (all of them, or those under one aggregate
 * of group_level): normalise first if asked, impute, and write the values
 * that were missing back to `out`, transformed back. As COINr, values that
 * were present are never touched. */
static void impute_cols(const imp *im, const size_t *cols, size_t nc)
{
    gca_dset *out = im->out;
    size_t n = out->nrow;
    int any = 0;
    for (size_t k = 0; k < nc && !any; k++)
        for (size_t r = 0; r < n && !any; r++)
            any = isnan(GCA_DSET_AT(out, r, cols[k]));
    if (!any)
        return;
    for (size_t k = 0; k < nc; k++) {
        double *w = &im->work[cols[k] * n];
        const double *x = &out->v[cols[k] * n];
        if (!im->spec->normalise_first) {
            memcpy(w, x, n * sizeof *w);
            continue;
        }
        /* Directions first (x * Direction), then (x - min)/(max - min); a
         * zero range gives NaN, left out of row statistics as in R. */
        double dir = gca_framework_node_at(im->run->fw,
                                           (size_t)out->node[cols[k]])
                         ->direction;
        for (size_t r = 0; r < n; r++)
            w[r] = x[r] * dir;
        double mn = gca__min(w, n), mx = gca__max(w, n);
        for (size_t r = 0; r < n; r++)
            w[r] = (w[r] - mn) / (mx - mn);
    }
    impute_block(im, cols, nc);
    for (size_t k = 0; k < nc; k++) {
        double *w = &im->work[cols[k] * n];
        double *x = &out->v[cols[k] * n];
        double dir = 1, mn = 0, mx = 0;
        if (im->spec->normalise_first) {
            dir = gca_framework_node_at(im->run->fw,
                                        (size_t)out->node[cols[k]])
                      ->direction;
            /* Bounds of the directed data, as used going forward. */
            for (size_t r = 0; r < n; r++)
                im->tmp[r] = x[r] * dir;
            mn = gca__min(im->tmp, n);
            mx = gca__max(im->tmp, n);
        }
        for (size_t r = 0; r < n; r++) {
            if (!isnan(x[r]))
                continue;
            x[r] = im->spec->normalise_first ? (w[r] * (mx - mn) + mn) * dir
                                             : w[r];
        }
    }
}

/* Group of each row from the group column `name`. */
static int load_groups(imp *im, const char *name)
{
    gca__run *run = im->run;
    const gca_dataset *ds = run->ds;
    gca_dset *out = im->out;
    int j = gca__dataset_col(ds, name);
    if (j < 0 || (ds->cols[j].kind != GCA_DATA_GROUP &&
                  ds->cols[j].kind != GCA_DATA_OTHER))
        return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                        "parameter 'use_group': '%s' is not a group column "
                        "of the data",
                        name);
    /* Compare with the first row of each group seen so far: groups are
     * few, so this stays close to linear. */
    size_t nrep = 0;
    for (size_t r = 0; r < out->nrow; r++) {
        const char *t = gca_dataset_text(ds, (size_t)j, (size_t)out->unit[r]);
        im->gid[r] = -1;
        if (!t)
            continue;
        for (size_t k = 0; k < nrep && im->gid[r] < 0; k++) {
            size_t q = im->rep[k];
            if (!strcmp(gca_dataset_text(ds, (size_t)j, (size_t)out->unit[q]),
                        t))
                im->gid[r] = (int)q;
        }
        if (im->gid[r] < 0) {
            im->gid[r] = (int)r;
            im->rep[nrep++] = r;
        }
    }
    if (!nrep)
        return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                        "group column '%s' has no value for any unit", name);
    return 0;
}

/* Ancestor of node `node` at `level`, or -1. */
static int ancestor(const gca_framework *fw, int node, int level)
{
    while (node >= 0) {
        const gca_node *n = gca_framework_node_at(fw, (size_t)node);
        if (n->level == level)
            return node;
        if (n->level > level)
            return -1;
        node = n->parent;
    }
    return -1;
}

static int run(gca__run *run, const void *vspec, const gca_dset *in,
               gca_dset *out)
{
    const impute_spec *spec = vspec;
    int rc = gca__dset_copy(run, in, out->name, out);
    if (rc < 0)
        return rc;
    size_t n = in->nrow, nc = in->ncol, nv = n * nc;
    size_t i;
    for (i = 0; i < nv && !isnan(in->v[i]); i++)
        ;
    if (spec->disable || spec->fn == I_NONE || i == nv)
        return 0;

    imp im = {run, spec, out, NULL, NULL, NULL, NULL, NULL};
    size_t m = n > nc ? n : nc;
    size_t *cols = gca_arena_array(run->arena, nc ? nc : 1, sizeof *cols);
    int *block = gca_arena_array(run->arena, nc ? nc : 1, sizeof *block);
    im.work = gca_arena_array(run->arena, nv ? nv : 1, sizeof *im.work);
    im.tmp = gca_arena_array(run->arena, m ? m : 1, sizeof *im.tmp);
    im.tmp2 = gca_arena_array(run->arena, m ? m : 1, sizeof *im.tmp2);
    if (spec->group) {
        im.gid = gca_arena_array(run->arena, n ? n : 1, sizeof *im.gid);
        im.rep = gca_arena_array(run->arena, n ? n : 1, sizeof *im.rep);
    }
    if (!cols || !block || !im.work || !im.tmp || !im.tmp2 ||
        (spec->group && (!im.gid || !im.rep)))
        return gca_fail(run->err, GCA_ENOMEM, run->where, 0, 0,
                        "out of memory");
    if (spec->group) {
        rc = load_groups(&im, spec->group);
        if (rc < 0)
            return rc;
    }
    if (!spec->group_level) {
        for (size_t c = 0; c < nc; c++)
            cols[c] = c;
        impute_cols(&im, cols, nc);
        return 0;
    }
    int top = gca_framework_nlevels(run->fw);
    if (spec->group_level > top)
        return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                        "parameter 'group_level' is %d, but the framework's "
                        "top level is %d",
                        spec->group_level, top);
    for (size_t c = 0; c < nc; c++) {
        block[c] = ancestor(run->fw, in->node[c], spec->group_level);
        if (block[c] < 0)
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "column '%s' is not under any node of level %d "
                            "(group_level)",
                            in->icode[c], spec->group_level);
    }
    /* One block per aggregate, in order of first appearance; the result
     * does not depend on the order. */
    for (size_t c = 0; c < nc; c++) {
        size_t k = 0;
        int first = 1;
        for (size_t q = 0; q < nc; q++) {
            if (block[q] != block[c])
                continue;
            if (q < c)
                first = 0;
            cols[k++] = q;
        }
        if (first)
            impute_cols(&im, cols, k);
    }
    return 0;
}

const gca__step_ops gca__step_impute = {"impute", "Imputed",
                                        sizeof(impute_spec), parse, run};
