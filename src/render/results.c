/* results.c - COINr's get_results table (results.R): Summ, Aggs or Full,
 * scores rounded R-style or ranks (all units or within a group), rows
 * sorted by the score of `order_by`. Ranks use the build's tie rule
 * (COINr always uses "min"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/dataset.h"
#include "model/framework.h"
#include "pipeline/result.h"
#include "pipeline/step.h"
#include "render/table.h"
#include "gca/sensitivity.h"
#include "core/banned.h"

typedef struct sortrow {
    size_t r;       /* row of the data set */
    double key;     /* score to sort by, NaN last */
    const char *grp;
} sortrow;

static int by_score(const void *a, const void *b)
{
    const sortrow *x = a, *y = b;
    if (isnan(x->key) != isnan(y->key))
        return isnan(x->key) ? 1 : -1;
    if (!isnan(x->key) && x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return (x->r > y->r) - (x->r < y->r); /* stable: uCode order */
}

/* Group order, NA groups last; within a group keep the score order that
 * the rows already have (their index in `order`). */
typedef struct grouped {
    size_t pos;
    const char *grp;
} grouped;

static int by_group(const void *a, const void *b)
{
    const grouped *x = a, *y = b;
    if (!x->grp != !y->grp)
        return x->grp ? -1 : 1;
    int c = x->grp ? strcmp(x->grp, y->grp) : 0;
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Text of data column `code` (or "uName") for dataset unit `unit`. */
static const char *extra_text(const gca_dataset *ds, const char *code,
                              int unit)
{
    if (!strcmp(code, "uName"))
        return gca_dataset_uname(ds, (size_t)unit);
    int col = gca__dataset_col(ds, code);
    return col < 0 ? NULL : gca_dataset_text(ds, (size_t)col, (size_t)unit);
}

typedef struct plan {
    const gca_dset *d;
    size_t nmeta;          /* uCode + group + also_get */
    const char *meta[40];
    int sortcol;           /* column of `d` to sort by */
    int rankcol;           /* 1 if a Rank column is shown */
    int *cols;             /* score columns of `d` shown, in order */
    size_t ncols;
} plan;

static int make_plan(const gca_result *res, const gca_results_opts *o,
                     plan *p, gca_err *err)
{
    const gca_framework *fw = res->fw;
    memset(p, 0, sizeof *p);
    p->d = o->dset ? gca_result_dset(res, o->dset) : gca_result_final(res);
    if (!p->d)
        return gca_fail(err, GCA_ENOTFOUND, "--dset", 0, 0,
                        "no data set '%s' in this build", o->dset);
    const gca_dset *d = p->d;
    p->meta[p->nmeta++] = "uCode";
    if (o->use == GCA_USE_GROUPRANKS) {
        if (!o->group)
            return gca_fail(err, GCA_EINVAL, "--group", 0, 0,
                            "group ranks need a group column");
        p->meta[p->nmeta++] = o->group;
    }
    for (size_t k = 0; k < o->nalso_get; k++) {
        int dup = 0;
        for (size_t j = 0; j < p->nmeta; j++)
            dup |= !strcmp(p->meta[j], o->also_get[k]);
        if (dup)
            continue;
        if (p->nmeta == GCA_COUNT(p->meta))
            return gca_fail(err, GCA_ETOOBIG, "--also-get", 0, 0,
                            "too many columns");
        p->meta[p->nmeta++] = o->also_get[k];
    }
    for (size_t k = 1; k < p->nmeta; k++)
        if (strcmp(p->meta[k], "uName") &&
            gca__dataset_col(res->ds, p->meta[k]) < 0)
            return gca_fail(err, GCA_ENOTFOUND, "--also-get", 0, 0,
                            "no data column '%s'", p->meta[k]);

    int sortnode = o->order_by ? gca__framework_find(fw, o->order_by)
                               : fw->top;
    p->sortcol = sortnode >= 0 ? gca__dset_col(d, sortnode) : -1;
    if (p->sortcol < 0)
        return gca_fail(err, GCA_ENOTFOUND, "--order-by", 0, 0,
                        "'%s' is not a column of data set '%s'",
                        o->order_by ? o->order_by
                                    : (fw->top >= 0 ? fw->nodes[fw->top].code
                                                    : "?"),
                        d->name);
    p->cols = gca_malloc((d->ncol + 1) * sizeof *p->cols);
    if (!p->cols)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    if (o->tab_type == GCA_TAB_SUMM) {
        p->cols[p->ncols++] = p->sortcol;
        p->rankcol = 1;
        return 0;
    }
    p->rankcol = 1;
    for (int lev = fw->nlevels; lev >= 2; lev--)
        for (size_t c = 0; c < d->ncol; c++) {
            const gca_node *nd = &fw->nodes[d->node[c]];
            if (nd->type == GCA_NODE_AGGREGATE && nd->level == lev)
                p->cols[p->ncols++] = (int)c;
        }
    if (p->ncols == 0 && d->ncol > 0 && o->tab_type != GCA_TAB_FULL)
        return gca_fail(err, GCA_EINVAL, "--dset", 0, 0,
                        "data set '%s' has no aggregates; use --tab-type "
                        "full", d->name);
    if (o->tab_type == GCA_TAB_FULL)
        for (size_t c = 0; c < d->ncol; c++)
            if (fw->nodes[d->node[c]].type == GCA_NODE_INDICATOR)
                p->cols[p->ncols++] = (int)c;
    return 0;
}

/* Ranks of column `c` over the rows listed in `rows` (n of them). */
static int rank_rows(const gca_dset *d, int c, const size_t *rows, size_t n,
                     gca_ties ties, double *x, double *rk)
{
    for (size_t i = 0; i < n; i++)
        x[i] = GCA_DSET_AT(d, rows[i], c);
    return gca_rank(x, n, ties, rk);
}

/* A unit's rank interval and, with tiers, the share of runs in the tier
 * of its nominal score; returns the next column. */
static size_t robust_cells(gca__table *t, size_t row, size_t c,
                           const gca_sens *s, const gca_framework *fw,
                           const char *ucode, size_t nrob)
{
    const gca_sens_unit *u = NULL;
    for (size_t i = 0; !u && i < gca_sens_nunits(s); i++)
        if (!strcmp(gca_sens_unit_at(s, i)->ucode, ucode))
            u = gca_sens_unit_at(s, i);
    gca__table_num(t, row, c++, u ? u->q5 : NAN);
    gca__table_num(t, row, c++, u ? u->q95 : NAN);
    if (nrob < 4)
        return c;
    const gca_tier *tier = u ? gca_framework_tier_of(fw, u->nominal_score)
                             : NULL;
    double prob = NAN;
    for (size_t k = 0; tier && k < gca_framework_ntiers(fw); k++)
        if (gca_framework_tier_at(fw, k) == tier)
            prob = u->tier_prob[k];
    gca__table_text(t, row, c++, tier ? tier->code : NULL);
    gca__table_num(t, row, c++, prob);
    return c;
}

int gca_render_results(const gca_result *res, const gca_results_opts *o,
                       gca_format fmt, char **out, size_t *len, gca_err *err)
{
    plan p;
    gca__table t;
    int rc = make_plan(res, o, &p, err);
    if (rc < 0) {
        gca_free(p.cols);
        return rc;
    }
    const gca_dset *d = p.d;
    size_t n = d->nrow;
    int show_rank = o->use == GCA_USE_SCORES && p.rankcol;
    const gca_framework *fw = gca_result_framework(res);
    size_t nrob = show_rank && o->robust
                      ? (gca_framework_ntiers(fw) ? 4 : 2)
                      : 0;
    size_t ncol = p.nmeta + p.ncols + (show_rank ? 1 : 0) + nrob;
    sortrow *s = gca_calloc(n + 1, sizeof *s);
    grouped *g = gca_calloc(n + 1, sizeof *g);
    double *rank = gca_calloc(n + 1, sizeof *rank);
    double *cell = gca_calloc((n + 1) * (p.ncols + 1), sizeof *cell);
    double *x = gca_calloc(n + 1, sizeof *x);
    double *rk = gca_calloc(n + 1, sizeof *rk);
    size_t *rows = gca_calloc(n + 1, sizeof *rows);
    const char **hdr = gca_calloc(ncol + 1, sizeof *hdr);
    if (!s || !g || !rank || !cell || !x || !rk || !rows || !hdr) {
        rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }

    /* Rank and score columns, before sorting. */
    for (size_t r = 0; r < n; r++)
        rows[r] = r;
    rc = rank_rows(d, p.sortcol, rows, n, res->ties, x, rank);
    for (size_t k = 0; k < p.ncols && rc == 0; k++) {
        int c = p.cols[k];
        if (o->use == GCA_USE_SCORES) {
            for (size_t r = 0; r < n; r++)
                cell[r * p.ncols + k] = GCA_DSET_AT(d, r, c);
        } else if (o->use == GCA_USE_RANKS) {
            rc = rank_rows(d, c, rows, n, res->ties, x, rk);
            for (size_t r = 0; r < n; r++)
                cell[r * p.ncols + k] = rk[r];
        } else {
            /* Within each group value; units without a group get NA. */
            for (size_t r = 0; r < n; r++) {
                const char *gv = extra_text(res->ds, o->group, d->unit[r]);
                cell[r * p.ncols + k] = NAN;
                if (!gv)
                    continue;
                size_t m = 0;
                int self = 0;
                for (size_t q = 0; q < n; q++) {
                    const char *hv = extra_text(res->ds, o->group,
                                                d->unit[q]);
                    if (hv && !strcmp(hv, gv)) {
                        if (q == r)
                            self = (int)m;
                        rows[m++] = q;
                    }
                }
                rc = rank_rows(d, c, rows, m, res->ties, x, rk);
                cell[r * p.ncols + k] = rk[self];
                if (rc < 0)
                    break;
            }
        }
    }
    if (rc < 0) {
        rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }

    /* Rows by descending score, then (group ranks) by group. */
    for (size_t r = 0; r < n; r++)
        s[r] = (sortrow){r, GCA_DSET_AT(d, r, p.sortcol), NULL};
    qsort(s, n, sizeof *s, by_score);
    if (o->use == GCA_USE_GROUPRANKS) {
        for (size_t i = 0; i < n; i++)
            g[i] = (grouped){i, extra_text(res->ds, o->group,
                                           d->unit[s[i].r])};
        qsort(g, n, sizeof *g, by_group);
    } else {
        for (size_t i = 0; i < n; i++)
            g[i] = (grouped){i, NULL};
    }

    size_t h = 0;
    for (size_t k = 0; k < p.nmeta; k++)
        hdr[h++] = p.meta[k];
    static const char *const robhdr[] = {"RankQ5", "RankQ95", "Tier",
                                         "TierProb"};
    if (o->tab_type == GCA_TAB_SUMM) {
        hdr[h++] = d->icode[p.sortcol];
        if (show_rank)
            hdr[h++] = "Rank";
        for (size_t k = 0; k < nrob; k++)
            hdr[h++] = robhdr[k];
    } else {
        if (show_rank)
            hdr[h++] = "Rank";
        for (size_t k = 0; k < nrob; k++)
            hdr[h++] = robhdr[k];
        for (size_t k = 0; k < p.ncols; k++)
            hdr[h++] = d->icode[p.cols[k]];
    }
    gca__table_init(&t, ncol, hdr);
    for (size_t c = p.nmeta; c < ncol; c++)
        if (!nrob || strcmp(hdr[c], "Tier"))
            gca__table_numeric(&t, c);
    int dp = o->use == GCA_USE_SCORES ? o->nround : -1;
    for (size_t i = 0; i < n; i++) {
        size_t r = s[g[i].pos].r;
        int unit = d->unit[r];
        size_t row = gca__table_row(&t);
        size_t c = 0;
        gca__table_text(&t, row, c++, d->ucode[r]);
        for (size_t k = 1; k < p.nmeta; k++)
            gca__table_text(&t, row, c++, extra_text(res->ds, p.meta[k],
                                                     unit));
        if (o->tab_type == GCA_TAB_SUMM) {
            gca__table_round(&t, row, c++, cell[r * p.ncols], dp);
            if (show_rank)
                gca__table_num(&t, row, c++, rank[r]);
            if (nrob)
                c = robust_cells(&t, row, c, o->robust, fw, d->ucode[r],
                                 nrob);
            continue;
        }
        if (show_rank)
            gca__table_num(&t, row, c++, rank[r]);
        if (nrob)
            c = robust_cells(&t, row, c, o->robust, fw, d->ucode[r], nrob);
        for (size_t k = 0; k < p.ncols; k++)
            gca__table_round(&t, row, c++, cell[r * p.ncols + k], dp);
    }
    rc = gca__table_render(&t, fmt, out, len, err);
    gca__table_release(&t);
out:
    gca_free(p.cols);
    gca_free(s);
    gca_free(g);
    gca_free(rank);
    gca_free(cell);
    gca_free(x);
    gca_free(rk);
    gca_free(rows);
    gca_free(hdr);
    return rc;
}
