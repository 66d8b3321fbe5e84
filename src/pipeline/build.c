/* build.c - run a method over bound data: make the Raw data set, run each
 * step on the previous data set, then rank. Like COINr, every data set is
 * kept (coin$Data). Semantics: docs/method.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/method.h"
#include "pipeline/result.h"
#include "pipeline/resume.h"
#include "core/banned.h"

static int cmp_ucode(const void *a, const void *b, void *ctx)
{
    const gca_dataset *ds = ctx;
    return strcmp(ds->ucode[*(const int *)a], ds->ucode[*(const int *)b]);
}

/* Insertion sort is enough for the unit counts of an index (hundreds) and
 * needs no context-taking qsort (qsort_r is not C11). */
static void sort_units(int *idx, size_t n, const gca_dataset *ds)
{
    for (size_t i = 1; i < n; i++) {
        int v = idx[i];
        size_t j = i;
        while (j > 0 && cmp_ucode(&idx[j - 1], &v, (void *)ds) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

/* Raw: one row per unit sorted by uCode (COINr's new_coin sorts too), one
 * column per indicator in framework order. */
static int make_raw(gca__run *run, gca_dset *raw)
{
    const gca_framework *fw = run->fw;
    const gca_dataset *ds = run->ds;
    int rc = gca__dset_alloc(run, "Raw", ds->nunit, fw->nindicators, raw);
    if (rc < 0)
        return rc;
    for (size_t u = 0; u < ds->nunit; u++)
        raw->unit[u] = (int)u;
    sort_units(raw->unit, ds->nunit, ds);
    for (size_t r = 0; r < ds->nunit; r++)
        raw->ucode[r] = ds->ucode[raw->unit[r]];
    for (size_t c = 0; c < fw->nindicators; c++) {
        int node = fw->indicators[c];
        raw->node[c] = node;
        raw->icode[c] = fw->nodes[node].code;
        const gca__dcol *d = &ds->cols[ds->col_of_node[node]];
        for (size_t r = 0; r < ds->nunit; r++)
            GCA_DSET_AT(raw, r, c) = d->num[raw->unit[r]];
    }
    return 0;
}

typedef struct scored {
    double v;
    size_t i;
} scored;

static int cmp_desc(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

int gca_rank(const double *x, size_t n, gca_ties ties, double *rank)
{
    scored stack[256];
    scored *s = stack;
    if (n > GCA_COUNT(stack)) {
        s = gca_malloc(n * sizeof *s);
        if (!s)
            return GCA_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            rank[i] = NAN;
        else
            s[m++] = (scored){x[i], i};
    }
    /* Indices of an index are short: an inline insertion sort (stable, as
     * the input is in index order) beats qsort's calls many times over. */
    if (m <= 64) {
        for (size_t k = 1; k < m; k++) {
            scored v = s[k];
            size_t j = k;
            while (j > 0 && s[j - 1].v < v.v) {
                s[j] = s[j - 1];
                j--;
            }
            s[j] = v;
        }
    } else {
        qsort(s, m, sizeof *s, cmp_desc);
    }
    double dense = 0;
    for (size_t k = 0; k < m; k++) {
        if (k == 0 || s[k].v != s[k - 1].v) {
            dense += 1;
            rank[s[k].i] = ties == GCA_TIES_DENSE ? dense : (double)k + 1;
        } else {
            rank[s[k].i] = rank[s[k - 1].i];
        }
    }
    if (s != stack)
        gca_free(s);
    return 0;
}

static int make_ranks(gca__run *run, const gca_dset *final, gca_ties ties,
                      gca_dset *out)
{
    int rc = gca__dset_alloc(run, "Ranks", final->nrow, final->ncol, out);
    if (rc < 0)
        return rc;
    memcpy(out->ucode, final->ucode, final->nrow * sizeof *final->ucode);
    memcpy(out->unit, final->unit, final->nrow * sizeof *final->unit);
    memcpy(out->icode, final->icode, final->ncol * sizeof *final->icode);
    memcpy(out->node, final->node, final->ncol * sizeof *final->node);
    for (size_t c = 0; c < final->ncol; c++)
        if (gca_rank(&final->v[c * final->nrow], final->nrow, ties,
                     &out->v[c * final->nrow]) < 0)
            return gca_fail(run->err, GCA_ENOMEM, NULL, 0, 0,
                            "out of memory");
    return 0;
}

void gca_result_free(gca_result *res)
{
    if (!res)
        return;
    mtx_destroy(&res->ranks_lock);
    gca_arena_release(&res->arena);
    gca_free(res);
}

int gca__build_raw(const gca_framework *fw, const gca_dataset *ds,
                   gca_arena *arena, gca_dset *raw, gca_err *err)
{
    gca__run run = {0};
    run.arena = arena;
    run.fw = fw;
    run.ds = ds;
    run.err = err;
    return make_raw(&run, raw);
}

int gca__build_steps(const gca_framework *fw, const gca_dataset *ds,
                     const gca_method *m, unsigned flags, size_t from,
                     size_t to, const gca_dset *in, gca_arena *arena,
                     gca_result *scratch, double *weight,
                     const double *weight_fixed, gca_dset *out,
                     gca_err *err)
{
    gca__run run = {0};
    run.arena = arena;
    run.fw = fw;
    run.ds = ds;
    run.res = scratch;
    run.err = err;
    run.weight = weight;
    run.weight_fixed = weight_fixed;
    scratch->nreports = 0;
    const gca_dset *prev = in;
    for (size_t s = from; s < to && s < m->nsteps; s++) {
        const gca__step *st = &m->steps[s];
        snprintf(run.where, sizeof run.where, "%s", st->where);
        run.compat_coinr = st->compat_coinr || (flags & GCA_BUILD_COMPAT_COINR);
        gca_dset *next = &out[s - from];
        memset(next, 0, sizeof *next);
        next->name = st->ops->dset_name;
        int rc = st->ops->run(&run, st->spec, prev, next);
        if (rc < 0)
            return rc;
        next->name = st->ops->dset_name;
        prev = next;
    }
    return 0;
}

gca_result *gca__result_scratch(void)
{
    gca_result *res = gca_calloc(1, sizeof *res);
    if (res && mtx_init(&res->ranks_lock, mtx_plain) != thrd_success) {
        gca_free(res);
        return NULL;
    }
    return res;
}

int gca_build(const gca_framework *fw, const gca_dataset *ds,
              const gca_method *m, unsigned flags, gca_result **out,
              gca_err *err)
{
    int rc;
    if (!fw || !ds || !m || !out)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "gca_build needs a framework, data and a method");
    if (ds->fw != fw)
        return gca_fail(err, GCA_EINVAL, ds->source, 0, 0,
                        "data are not bound to this framework "
                        "(call gca_dataset_bind first)");
    gca_result *res = gca_calloc(1, sizeof *res);
    if (!res)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    if (mtx_init(&res->ranks_lock, mtx_plain) != thrd_success) {
        gca_free(res);
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* One chunk fits a build of the ASEM example's size. */
    gca_arena_init(&res->arena, 256 * 1024);
    res->fw = fw;
    res->ds = ds;
    res->m = m;
    res->flags = flags;
    res->ties = m->ties ? m->ties : gca_framework_ties(fw);

    gca__run run = {0};
    run.arena = &res->arena;
    run.fw = fw;
    run.ds = ds;
    run.res = res;
    run.err = err;
    snprintf(run.where, sizeof run.where, "%s", ds->source);
    run.weight = gca_arena_array(run.arena, fw->nnodes ? fw->nnodes : 1,
                                 sizeof(double));
    if (!run.weight) {
        rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < fw->nnodes; i++)
        run.weight[i] = fw->nodes[i].weight;
    res->weight = run.weight;

    rc = make_raw(&run, &res->dsets[0]);
    if (rc < 0)
        goto fail;
    res->ndsets = 1;
    for (size_t s = 0; s < m->nsteps; s++) {
        const gca__step *st = &m->steps[s];
        snprintf(run.where, sizeof run.where, "%s", st->where);
        run.compat_coinr = st->compat_coinr || (flags & GCA_BUILD_COMPAT_COINR);
        gca_dset *next = &res->dsets[res->ndsets];
        memset(next, 0, sizeof *next);
        next->name = st->ops->dset_name;
        rc = st->ops->run(&run, st->spec, &res->dsets[res->ndsets - 1], next);
        if (rc < 0)
            goto fail;
        next->name = st->ops->dset_name;
        res->ndsets++;
    }
    *out = res;
    return 0;
fail:
    gca_result_free(res);
    return rc;
}

/* ====== Accessors ====== */

const gca_framework *gca_result_framework(const gca_result *res)
{
    return res->fw;
}

const gca_dataset *gca_result_dataset(const gca_result *res)
{
    return res->ds;
}

size_t gca_result_ndsets(const gca_result *res)
{
    return res->ndsets;
}

const gca_dset *gca_result_dset_at(const gca_result *res, size_t i)
{
    return i < res->ndsets ? &res->dsets[i] : NULL;
}

const gca_dset *gca_result_dset(const gca_result *res, const char *name)
{
    /* The latest of that name, if a step ran twice. */
    for (size_t i = res->ndsets; i-- > 0;)
        if (!strcmp(res->dsets[i].name, name))
            return &res->dsets[i];
    return NULL;
}

const gca_dset *gca_result_final(const gca_result *res)
{
    return &res->dsets[res->ndsets - 1];
}

const gca_dset *gca_result_ranks(const gca_result *res)
{
    /* Logically const: the ranks are a function of the final data set,
     * made once. */
    gca_result *r = (gca_result *)res;
    if (mtx_lock(&r->ranks_lock) != thrd_success)
        return NULL;
    if (r->ranks_state == 0) {
        gca_err err = {0};
        gca__run run = {0};
        run.arena = &r->arena;
        run.fw = r->fw;
        run.ds = r->ds;
        run.res = r;
        run.err = &err;
        int rc = make_ranks(&run, gca_result_final(r), r->ties, &r->ranks);
        r->ranks_state = rc < 0 ? rc : 1;
    }
    int ok = r->ranks_state == 1;
    mtx_unlock(&r->ranks_lock);
    return ok ? &r->ranks : NULL;
}

gca_ties gca_result_ties(const gca_result *res)
{
    return res->ties;
}

int gca_result_weights(const gca_result *res, double *w, size_t n,
                       gca_err *err)
{
    if (n != res->fw->nnodes)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "weights need one slot per framework node");
    memcpy(w, res->weight, n * sizeof *w);
    return 0;
}

int gca_result_effective_weights(const gca_result *res, double *w, size_t n,
                                 gca_err *err)
{
    const gca_framework *fw = res->fw;
    if (n != fw->nnodes)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "weights need one slot per framework node");
    for (size_t i = 0; i < n; i++)
        w[i] = NAN;
    if (fw->top < 0)
        return 0;
    w[fw->top] = 1;
    /* Top-down, so that each parent is done before its children; the
     * product order matches COINr's get_eff_weights. */
    for (int lev = fw->nlevels; lev >= 2; lev--) {
        for (size_t i = 0; i < n; i++) {
            const gca_node *p = &fw->nodes[i];
            if (p->level != lev || isnan(w[i]))
                continue;
            double sum = 0;
            for (size_t k = 0; k < p->nchildren; k++)
                sum += res->weight[p->children[k]];
            for (size_t k = 0; k < p->nchildren; k++) {
                int c = p->children[k];
                w[c] = res->weight[c] / sum * w[i];
            }
        }
    }
    return 0;
}

size_t gca_result_nreports(const gca_result *res)
{
    return res->nreports;
}

const gca_report *gca_result_report_at(const gca_result *res, size_t i)
{
    return i < res->nreports ? &res->reports[i] : NULL;
}

const gca_report *gca_result_report(const gca_result *res, const char *name)
{
    for (size_t i = res->nreports; i-- > 0;)
        if (!strcmp(res->reports[i].name, name))
            return &res->reports[i];
    return NULL;
}
