/* audit_corr.c - correlation tables of the statistical audit: COINr's
 * get_corr (pairs chosen by levels, parents and groups, as it chooses
 * them) and gca's tables of siblings and ancestors at every level
 * (docs/analyse.md#correlations). */
#include "analysis/audit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/corr.h"
#include "core/str.h"
#include "pipeline/step.h"
#include "core/banned.h"

/* ====== Pairs ====== */

typedef struct pair_list {
    gca__an_pair *v;
    size_t n, cap;
} pair_list;

static int push(pair_list *l, gca__an_pair p, gca_err *err)
{
    gca__an_pair *v = gca__an_grow(l->v, l->n, &l->cap, sizeof *v);
    if (!v)
        return gca__an_oom(err);
    l->v = v;
    l->v[l->n++] = p;
    return 0;
}

/* Column of node `node` in `d`, or a failure naming both. */
static int col_of(const gca_framework *fw, const gca_dset *d, int node,
                  int *col, gca_err *err)
{
    *col = gca__dset_col(d, node);
    if (*col >= 0)
        return 0;
    return gca_fail(err, GCA_EINVAL, d->name, 0, 0,
                    "data set '%s' has no column '%s' (level %d); "
                    "aggregates are only in the aggregated data set",
                    d->name, fw->nodes[node].code, fw->nodes[node].level);
}

int gca__an_pair_stats(const gca_dset *d, const gca__an_pair *p, size_t n,
                       int method, double *r, double *pv, gca_err *err)
{
    gca__corr_work w;
    if (gca__corr_work_init(&w, d->nrow) < 0)
        return gca__an_oom(err);
    for (size_t i = 0; i < n; i++) {
        size_t np;
        gca__cor_test(&d->v[(size_t)p[i].c1 * d->nrow],
                      &d->v[(size_t)p[i].c2 * d->nrow], d->nrow, method,
                      &w, &r[i], &pv[i], &np);
        /* An element with itself: its p-value is 0 by definition (the
         * diagonal of COINr's get_pvals). */
        if (p[i].c1 == p[i].c2)
            pv[i] = 0;
    }
    gca__corr_work_release(&w);
    return 0;
}

int gca__an_sibling_pairs(const gca_framework *fw, const gca_dset *d,
                          gca__an_pair **out, size_t *n, gca_err *err)
{
    pair_list l = {0};
    int rc = 0;
    for (size_t a = 0; a < fw->naggregates && rc == 0; a++) {
        const gca_node *nd = &fw->nodes[fw->aggregates[a]];
        for (size_t i = 0; i < nd->nchildren && rc == 0; i++)
            for (size_t j = i + 1; j < nd->nchildren && rc == 0; j++) {
                gca__an_pair p = {0};
                p.n1 = nd->children[i];
                p.n2 = nd->children[j];
                p.group = fw->aggregates[a];
                rc = col_of(fw, d, p.n1, &p.c1, err);
                if (rc == 0)
                    rc = col_of(fw, d, p.n2, &p.c2, err);
                if (rc == 0)
                    rc = push(&l, p, err);
            }
    }
    if (rc < 0) {
        gca_free(l.v);
        return rc;
    }
    *out = l.v;
    *n = l.n;
    return 0;
}

/* ====== COINr's get_corr ====== */

/* The framework, for sorting pairs by their codes as R's merge() does. */
typedef struct sort_pair {
    const gca_framework *fw;
    gca__an_pair p;
} sort_pair;

static int cmp_codes(const void *a, const void *b)
{
    const sort_pair *x = a, *y = b;
    const gca_node *nodes = x->fw->nodes;
    int c = gca_str_collate(nodes[x->p.n1].code, nodes[y->p.n1].code);
    return c ? c : gca_str_collate(nodes[x->p.n2].code, nodes[y->p.n2].code);
}

static int sort_by_codes(const gca_framework *fw, pair_list *l, size_t from,
                         gca_err *err)
{
    size_t n = l->n - from;
    sort_pair *s = gca_malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return gca__an_oom(err);
    for (size_t i = 0; i < n; i++)
        s[i] = (sort_pair){fw, l->v[from + i]};
    qsort(s, n, sizeof *s, cmp_codes);
    for (size_t i = 0; i < n; i++)
        l->v[from + i] = s[i].p;
    gca_free(s);
    return 0;
}

/* Nodes of `level` in COINr's iMeta order with their columns in `d`
 * (get_data with Level only). */
static int level_nodes(const gca_analysis *an, const gca_dset *d, int level,
                       int *nodes, int *cols, size_t *n, gca_err *err)
{
    const gca_framework *fw = an->fw;
    size_t k = 0;
    for (size_t i = 0; i < fw->nnodes; i++) {
        int node = an->order[i];
        if (fw->nodes[node].level != level)
            continue;
        int rc = col_of(fw, d, node, &cols[k], err);
        if (rc < 0)
            return rc;
        nodes[k++] = node;
    }
    *n = k;
    return 0;
}

/* The pairs of get_corr with Levels (l1, l2), l1 >= l2, appended to `l`;
 * `label` is the Var1 text of each (NULL: the node's code). */
static int coinr_pairs(const gca_analysis *an, const gca_dset *d, int l1,
                       int l2, int grouplev, gca_withparent withparent,
                       const char *label, pair_list *l, gca_err *err)
{
    const gca_framework *fw = an->fw;
    size_t nn = fw->nnodes ? fw->nnodes : 1;
    int *n1 = gca_malloc(nn * sizeof *n1), *c1 = gca_malloc(nn * sizeof *c1);
    int *n2 = gca_malloc(nn * sizeof *n2), *c2 = gca_malloc(nn * sizeof *c2);
    size_t k1 = 0, k2 = 0, from = l->n;
    int rc = n1 && c1 && n2 && c2 ? 0 : gca__an_oom(err);
    if (rc == 0)
        rc = level_nodes(an, d, l1, n1, c1, &k1, err);
    if (rc == 0)
        rc = level_nodes(an, d, l2, n2, c2, &k2, err);
    /* As COINr: parents only when the lower level has more than one
     * element; groups only between elements of one level. */
    int parents = withparent != GCA_WITHPARENT_NO && k2 > 1 && l1 != l2;
    int groups = !parents && grouplev > 0 && l1 == l2;
    for (size_t j = 0; j < k2 && rc == 0; j++)
        for (size_t i = 0; i < k1 && rc == 0; i++) {
            if (parents && gca__an_ancestor(fw, n2[j], l1) != n1[i])
                continue;
            if (groups && gca__an_ancestor(fw, n1[i], grouplev) !=
                              gca__an_ancestor(fw, n2[j], grouplev))
                continue;
            gca__an_pair p = {n1[i], n2[j], c1[i], c2[j], -1, label};
            rc = push(l, p, err);
        }
    /* Tables that went through R's merge() come sorted by the codes. */
    if (rc == 0 && (parents || groups))
        rc = sort_by_codes(fw, l, from, err);
    gca_free(n1);
    gca_free(c1);
    gca_free(n2);
    gca_free(c2);
    return rc;
}

static int check_level(const gca_framework *fw, int level, const char *what,
                       gca_err *err)
{
    if (level >= 1 && level <= fw->nlevels)
        return 0;
    return gca_fail(err, GCA_EINVAL, what, 0, 0,
                    "level %d is not a level of the framework (1 to %d)",
                    level, fw->nlevels);
}

static int corr_pairs(const gca_analysis *an, const gca_dset *d,
                      const gca_corr_opts *o, pair_list *l, gca_err *err)
{
    const gca_framework *fw = an->fw;
    int l1 = o->level1, l2 = o->level2 ? o->level2 : o->level1;
    int rc = check_level(fw, l1, "Levels", err);
    if (rc == 0)
        rc = check_level(fw, l2, "Levels", err);
    if (rc < 0)
        return rc;
    /* COINr puts the higher level first. */
    if (l2 > l1) {
        int t = l1;
        l1 = l2;
        l2 = t;
    }
    if (o->withparent == GCA_WITHPARENT_FAMILY) {
        /* Each element of the first level with its parent, grandparent,
         * ..., one level at a time, Var1 naming the level. */
        if (l1 >= fw->nlevels)
            return gca_fail(err, GCA_EINVAL, "withparent", 0, 0,
                            "with every ancestor ('family') the level "
                            "cannot be the top one (%d)", l1);
        for (int lev = l1 + 1; lev <= fw->nlevels && rc == 0; lev++)
            rc = coinr_pairs(an, d, lev, l1, 0, GCA_WITHPARENT_YES,
                             gca_framework_level_name(fw, lev), l, err);
        return rc;
    }
    if (o->grouplev && l1 == l2 && o->withparent == GCA_WITHPARENT_NO &&
        (o->grouplev <= l1 || o->grouplev > fw->nlevels))
        return gca_fail(err, GCA_EINVAL, "grouplev", 0, 0,
                        "grouplev %d must be above level %d and at most "
                        "the top level %d", o->grouplev, l1, fw->nlevels);
    return coinr_pairs(an, d, l1, l2, o->grouplev, o->withparent, NULL, l,
                       err);
}

int gca_analysis_corr(gca_analysis *an, const char *name,
                      const gca_corr_opts *o, gca_err *err)
{
    static const char *const hdr[] = {"Var1", "Var2", "Correlation",
                                      "PValue"};
    const gca_framework *fw = an->fw;
    if (!o)
        return gca_fail(err, GCA_EINVAL, name, 0, 0,
                        "get_corr needs its options (levels, method)");
    const gca_dset *d = gca__an_dset(an->res, o->dset, err);
    if (!d)
        return err->code;
    pair_list l = {0};
    double *r = NULL, *pv = NULL;
    int rc = corr_pairs(an, d, o, &l, err);
    if (rc == 0) {
        r = gca_malloc((l.n + 1) * sizeof *r);
        pv = gca_malloc((l.n + 1) * sizeof *pv);
        rc = r && pv ? 0 : gca__an_oom(err);
    }
    if (rc == 0)
        rc = gca__an_pair_stats(d, l.v, l.n, (int)o->method, r, pv, err);
    gca_report *t = NULL;
    if (rc == 0) {
        t = gca__an_table(an, name, l.n, 4, hdr, err);
        rc = t ? 0 : GCA_ENOMEM;
    }
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        const gca__an_pair *p = &l.v[i];
        gca__an_text(t, i, 0, p->label ? p->label : fw->nodes[p->n1].code);
        gca__an_text(t, i, 1, fw->nodes[p->n2].code);
        /* COINr's masking: NA where the test is not significant. */
        int masked = o->pval > 0 && pv[i] > o->pval;
        gca__an_num(t, i, 2, masked ? NAN : r[i]);
        gca__an_num(t, i, 3, pv[i]);
    }
    gca_free(l.v);
    gca_free(r);
    gca_free(pv);
    return rc;
}

/* ====== Siblings and ancestors at every level ====== */

/* Table `name` from pairs `p`: four leading columns, siblings (Level,
 * Group, Var1, Var2) or an ancestor and its element (Var1, Level1, Var2,
 * Level2), then Correlation, PValue, SigCorrelation. */
static int pair_table(gca_analysis *an, const char *name, const gca_dset *d,
                      const gca__an_pair *p, size_t n, int parents,
                      gca_cor_method method, double pval, gca_err *err)
{
    static const char *const within_hdr[] = {
        "Level", "Group", "Var1", "Var2", "Correlation", "PValue",
        "SigCorrelation"};
    static const char *const parents_hdr[] = {
        "Var1", "Level1", "Var2", "Level2", "Correlation", "PValue",
        "SigCorrelation"};
    const gca_framework *fw = an->fw;
    double *r = gca_malloc((n + 1) * sizeof *r);
    double *pv = gca_malloc((n + 1) * sizeof *pv);
    int rc = r && pv ? 0 : gca__an_oom(err);
    if (rc == 0)
        rc = gca__an_pair_stats(d, p, n, (int)method, r, pv, err);
    gca_report *t = NULL;
    if (rc == 0) {
        t = gca__an_table(an, name, n, 7, parents ? parents_hdr : within_hdr,
                          err);
        rc = t ? 0 : GCA_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        const gca_node *a = &fw->nodes[p[i].n1], *b = &fw->nodes[p[i].n2];
        gca__an_num(t, i, parents ? 1 : 0, a->level);
        gca__an_text(t, i, parents ? 0 : 2, a->code);
        gca__an_text(t, i, parents ? 2 : 3, b->code);
        if (parents)
            gca__an_num(t, i, 3, b->level);
        else
            gca__an_text(t, i, 1, fw->nodes[p[i].group].code);
        gca__an_num(t, i, 4, r[i]);
        gca__an_num(t, i, 5, pv[i]);
        gca__an_num(t, i, 6, pv[i] <= pval ? r[i] : NAN);
    }
    gca_free(r);
    gca_free(pv);
    return rc;
}

int gca_analysis_corr_within(gca_analysis *an, const char *name,
                             gca_cor_method method, double pval,
                             gca_err *err)
{
    const gca_dset *d = gca_result_final(an->res);
    gca__an_pair *p = NULL;
    size_t n = 0;
    int rc = gca__an_sibling_pairs(an->fw, d, &p, &n, err);
    if (rc == 0)
        rc = pair_table(an, name, d, p, n, 0, method, pval, err);
    gca_free(p);
    return rc;
}

int gca_analysis_corr_parents(gca_analysis *an, const char *name,
                              gca_cor_method method, double pval,
                              gca_err *err)
{
    const gca_framework *fw = an->fw;
    const gca_dset *d = gca_result_final(an->res);
    pair_list l = {0};
    int rc = 0;
    /* Elements in COINr's order, each with its ancestors upwards. */
    for (size_t i = 0; i < fw->nnodes && rc == 0; i++) {
        int e = an->order[i];
        for (int a = fw->nodes[e].parent; a >= 0 && rc == 0;
             a = fw->nodes[a].parent) {
            gca__an_pair p = {a, e, -1, -1, -1, NULL};
            rc = col_of(fw, d, a, &p.c1, err);
            if (rc == 0)
                rc = col_of(fw, d, e, &p.c2, err);
            if (rc == 0)
                rc = push(&l, p, err);
        }
    }
    if (rc == 0)
        rc = pair_table(an, name, d, l.v, l.n, 1, method, pval, err);
    gca_free(l.v);
    return rc;
}
