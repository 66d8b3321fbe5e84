/* audit.c - the statistical audit's object and tables, and COINr's
 * get_stats, get_data_avail and get_cronbach
 * (docs/analyse.md#indicator-statistics, #data-availability,
 * #cronbachs-alpha). */
#include "analysis/audit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/corr.h"
#include "analysis/stats.h"
#include "core/str.h"
#include "pipeline/step.h"
#include "core/banned.h"

/* ====== The object and its tables ====== */

int gca__an_oom(gca_err *err)
{
    return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
}

void *gca__an_grow(void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? 2 * *cap : 16;
    if (c > (size_t)-1 / size)
        return NULL;
    void *nv = gca_realloc(v, c * size);
    if (nv)
        *cap = c;
    return nv;
}

/* COINr's iMeta order (coin$Meta$Ind): by level, then by the parent's
 * code in R's collation, input order among siblings. */
typedef struct order_key {
    int level;
    const char *parent;
    int idx;
} order_key;

static int cmp_order(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->level != y->level)
        return x->level - y->level;
    /* The top has no parent; R's order() puts NA last. */
    if (!x->parent || !y->parent) {
        if (x->parent != y->parent)
            return x->parent ? -1 : 1;
    } else {
        int c = gca_str_collate(x->parent, y->parent);
        if (c)
            return c;
    }
    return x->idx - y->idx;
}

int gca_analysis_new(const gca_result *res, gca_analysis **out,
                     gca_err *err)
{
    if (!res || !out)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "gca_analysis_new needs a build result");
    gca_analysis *an = gca_calloc(1, sizeof *an);
    if (!an)
        return gca__an_oom(err);
    gca_arena_init(&an->arena, 64 * 1024);
    an->res = res;
    an->fw = res->fw;
    const gca_framework *fw = an->fw;
    size_t n = fw->nnodes;
    an->order = gca_arena_array(&an->arena, n ? n : 1, sizeof *an->order);
    order_key *keys = gca_malloc((n ? n : 1) * sizeof *keys);
    if (!an->order || !keys) {
        gca_free(keys);
        gca_analysis_free(an);
        return gca__an_oom(err);
    }
    for (size_t i = 0; i < n; i++) {
        int p = fw->nodes[i].parent;
        keys[i] = (order_key){fw->nodes[i].level,
                              p >= 0 ? fw->nodes[p].code : NULL, (int)i};
    }
    qsort(keys, n, sizeof *keys, cmp_order);
    for (size_t i = 0; i < n; i++)
        an->order[i] = keys[i].idx;
    gca_free(keys);
    *out = an;
    return 0;
}

void gca_analysis_free(gca_analysis *an)
{
    if (!an)
        return;
    gca_free(an->tables);
    gca_arena_release(&an->arena);
    gca_free(an);
}

size_t gca_analysis_ntables(const gca_analysis *an)
{
    return an->ntables;
}

const gca_report *gca_analysis_table_at(const gca_analysis *an, size_t i)
{
    return i < an->ntables ? an->tables[i] : NULL;
}

const gca_report *gca_analysis_table(const gca_analysis *an,
                                     const char *name)
{
    for (size_t i = an->ntables; i-- > 0;)
        if (!strcmp(an->tables[i]->name, name))
            return an->tables[i];
    return NULL;
}

gca_report *gca__an_table(gca_analysis *an, const char *name, size_t nrow,
                          size_t ncol, const char *const *header,
                          gca_err *err)
{
    if (!name || !*name) {
        gca_fail(err, GCA_EINVAL, NULL, 0, 0, "a table needs a name");
        return NULL;
    }
    gca_report **list = gca__an_grow(an->tables, an->ntables, &an->cap,
                                     sizeof *list);
    if (!list) {
        gca__an_oom(err);
        return NULL;
    }
    an->tables = list;
    gca_arena *a = &an->arena;
    gca_report *rep = gca_arena_alloc(a, sizeof *rep);
    size_t ncell = nrow * ncol;
    if (ncol && ncell / ncol != nrow) {
        gca__an_oom(err);
        return NULL;
    }
    const char **hdr = gca_arena_array(a, ncol ? ncol : 1, sizeof *hdr);
    const char **cell = gca_arena_array_raw(a, ncell + 1, sizeof *cell);
    double *num = gca_arena_array(a, ncell + 1, sizeof *num);
    char *nm = gca_arena_strdup(a, name);
    if (!rep || !hdr || !cell || !num || !nm) {
        gca__an_oom(err);
        return NULL;
    }
    memcpy(hdr, header, ncol * sizeof *hdr);
    for (size_t i = 0; i < ncell; i++)
        cell[i] = "NA";
    rep->name = nm;
    rep->nrow = nrow;
    rep->ncol = ncol;
    rep->header = hdr;
    rep->cell = cell;
    rep->num = num;
    an->tables[an->ntables++] = rep;
    return rep;
}

void gca__an_truncate(gca_analysis *an, size_t n)
{
    /* The tables' memory stays in the arena until the analysis is
     * freed; only the list forgets them. */
    if (n < an->ntables)
        an->ntables = n;
}

void gca__an_text(gca_report *t, size_t row, size_t col, const char *text)
{
    t->cell[row * t->ncol + col] = text ? text : "NA";
}

void gca__an_num(gca_report *t, size_t row, size_t col, double v)
{
    t->cell[row * t->ncol + col] = NULL;
    ((double *)t->num)[row * t->ncol + col] = v;
}

int gca__an_rounded(gca_analysis *an, gca_report *t, size_t row, size_t col,
                    double v, gca_err *err)
{
    if (!isfinite(v)) {
        gca__an_num(t, row, col, v);
        return 0;
    }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v == 0 ? 0.0 : v);
    char *s = gca_arena_strdup(&an->arena, tmp);
    if (!s)
        return gca__an_oom(err);
    gca__an_text(t, row, col, s);
    return 0;
}

const gca_dset *gca__an_dset(const gca_result *res, const char *name,
                             gca_err *err)
{
    if (!name)
        return gca_result_final(res);
    const gca_dset *d = gca_result_dset(res, name);
    if (d)
        return d;
    char have[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < res->ndsets && len + 2 < sizeof have; i++)
        len += (size_t)snprintf(have + len, sizeof have - len, "%s%s",
                                i ? ", " : "", res->dsets[i].name);
    gca_fail(err, GCA_ENOTFOUND, name, 0, 0,
             "the build made no data set '%s' (it made %s)", name, have);
    return NULL;
}

int gca__an_ancestor(const gca_framework *fw, int i, int level)
{
    while (i >= 0 && fw->nodes[i].level < level)
        i = fw->nodes[i].parent;
    return i >= 0 && fw->nodes[i].level == level ? i : -1;
}

typedef struct lin_key {
    const gca_framework *fw;
    int idx;
} lin_key;

static int cmp_lineage(const void *a, const void *b)
{
    const lin_key *x = a, *y = b;
    const gca_framework *fw = x->fw;
    int level = fw->nodes[x->idx].level;
    for (int l = fw->nlevels; l >= level; l--) {
        int ax = gca__an_ancestor(fw, x->idx, l);
        int ay = gca__an_ancestor(fw, y->idx, l);
        int c = gca_str_collate(ax >= 0 ? fw->nodes[ax].code : "",
                                ay >= 0 ? fw->nodes[ay].code : "");
        if (c)
            return c;
    }
    return x->idx - y->idx;
}

size_t gca__an_lineage_nodes(const gca_framework *fw, int level, int *out)
{
    size_t n = 0;
    for (size_t i = 0; i < fw->nnodes; i++)
        if (fw->nodes[i].level == level)
            out[n++] = (int)i;
    lin_key stack[64];
    lin_key *k = n <= GCA_COUNT(stack) ? stack : gca_malloc(n * sizeof *k);
    /* Without memory the nodes stay in framework order: still complete. */
    if (!k)
        return n;
    for (size_t i = 0; i < n; i++)
        k[i] = (lin_key){fw, out[i]};
    qsort(k, n, sizeof *k, cmp_lineage);
    for (size_t i = 0; i < n; i++)
        out[i] = k[i].idx;
    if (k != stack)
        gca_free(k);
    return n;
}

int gca__an_rank(const gca_analysis *an, const gca_dset *d, size_t c,
                 double *rank, gca_err *err)
{
    if (gca_rank(&d->v[c * d->nrow], d->nrow, gca_result_ties(an->res),
                 rank) < 0)
        return gca__an_oom(err);
    return 0;
}

/* ====== get_stats ====== */

static const char *const stats_header[] = {
    "iCode",     "Min",         "Max",        "Mean",        "Median",
    "Std",       "Skew",        "Kurt",       "N.Avail",     "N.NonZero",
    "N.Unique",  "N.Same",      "Frc.Avail",  "Frc.NonZero", "Frc.Unique",
    "Frc.Same",  "Flag.Avail",  "Flag.NonZero", "Flag.Unique",
    "Flag.SkewKurt"};
enum { S_NUM_FIRST = 1, S_NUM_END = 16, S_NCOL = 20 };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* N.Unique and N.Same of the k sorted values w: distinct values, and the
 * size of the largest group of values that R's table() puts together
 * (it groups by the 15-digit text of a number). */
static void unique_same(const double *w, size_t k, double *nunq,
                        double *nsame)
{
    size_t unq = 0, best = 0, run = 0;
    char prev[40] = "", cur[40];
    for (size_t i = 0; i < k; i++) {
        unq += i == 0 || w[i] != w[i - 1];
        /* Equal texts are neighbours in sorted order: rounding to 15
         * digits keeps the order. */
        snprintf(cur, sizeof cur, "%.15g", w[i] == 0 ? 0.0 : w[i]);
        run = i > 0 && !strcmp(cur, prev) ? run + 1 : 1;
        if (run > best)
            best = run;
        memcpy(prev, cur, sizeof cur);
    }
    *nunq = (double)unq;
    *nsame = k ? (double)best : NAN;
}

/* R's ifelse((abs(sk) > t_skew) & (kt > t_kurt), "OUT", "ok") with its
 * three-valued logic: NA only when no side is known to be false. */
static const char *skewkurt_flag(double sk, double kt, const gca_stats_opts *o)
{
    int a = isnan(sk) ? -1 : fabs(sk) > o->t_skew;
    int b = isnan(kt) ? -1 : kt > o->t_kurt;
    if (a == 0 || b == 0)
        return "ok";
    return a < 0 || b < 0 ? NULL : "OUT";
}

static int stats_row(gca_analysis *an, gca_report *t, size_t row,
                     const gca_dset *d, size_t c, const gca_stats_opts *o,
                     double *w, gca_err *err)
{
    const double *x = &d->v[c * d->nrow];
    size_t n = d->nrow, k = 0, nzero = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            w[k++] = x[i];
            nzero += x[i] != 0;
        }
    qsort(w, k, sizeof *w, cmp_double);
    double nunq, nsame, sk, kt;
    unique_same(w, k, &nunq, &nsame);
    gca__skew_kurt(x, n, &sk, &kt);
    double dn = (double)n, dk = (double)k;
    double v[S_NUM_END] = {0};
    v[1] = k ? w[0] : NAN;
    v[2] = k ? w[k - 1] : NAN;
    v[3] = gca__mean(x, n);
    v[4] = gca__median(w, k, w + n);
    v[5] = gca__sd(x, n);
    v[6] = sk;
    v[7] = kt;
    v[8] = dk;
    v[9] = (double)nzero;
    v[10] = nunq;
    v[11] = nsame;
    v[12] = dk / dn;
    v[13] = (double)nzero / dk;
    v[14] = nunq / dk;
    v[15] = nsame / dk;
    gca__an_text(t, row, 0, d->icode[c]);
    for (int j = S_NUM_FIRST; j < S_NUM_END; j++) {
        if (o->nsignif <= 0) {
            gca__an_num(t, row, (size_t)j, v[j]);
        } else if (gca__an_rounded(an, t, row, (size_t)j,
                                   gca__signif(v[j], o->nsignif), err) < 0) {
            return GCA_ENOMEM;
        }
    }
    /* COINr's flags mix denominators: availability over all rows, and
     * the zero and unique counts over all rows too (not over N.Avail as
     * the Frc.* columns are). */
    gca__an_text(t, row, 16, v[12] >= o->t_avail ? "ok" : "LOW");
    gca__an_text(t, row, 17, (double)nzero / dn >= o->t_zero ? "ok" : "LOW");
    gca__an_text(t, row, 18, nunq / dn >= o->t_unq ? "ok" : "LOW");
    gca__an_text(t, row, 19, skewkurt_flag(sk, kt, o));
    return 0;
}

int gca_analysis_stats(gca_analysis *an, const char *name, const char *dset,
                       const gca_stats_opts *o, gca_err *err)
{
    static const gca_stats_opts dflt = GCA_STATS_OPTS_INIT;
    if (!o)
        o = &dflt;
    const gca_dset *d = gca__an_dset(an->res, dset, err);
    if (!d)
        return err->code;
    if (d->nrow == 0)
        return gca_fail(err, GCA_EDATA, d->name, 0, 0,
                        "data set '%s' has no units", d->name);
    size_t mark = an->ntables;
    gca_report *t = gca__an_table(an, name, d->ncol, S_NCOL, stats_header,
                                  err);
    /* Sorted values, then scratch for the median. */
    double *w = gca_malloc(2 * d->nrow * sizeof *w);
    int rc = t && w ? 0 : gca__an_oom(err);
    for (size_t c = 0; c < d->ncol && rc == 0; c++)
        rc = stats_row(an, t, c, d, c, o, w, err);
    gca_free(w);
    if (rc < 0)
        gca__an_truncate(an, mark);
    return rc;
}

/* ====== get_data_avail ====== */

static int avail_summary(gca_analysis *an, const char *name,
                         const gca_dset *d, gca_err *err)
{
    static const char *const hdr[] = {"uCode",          "N_missing",
                                      "N_zero",         "N_miss_or_zero",
                                      "Dat_Avail",      "Non_Zero"};
    gca_report *t = gca__an_table(an, name, d->nrow, 6, hdr, err);
    if (!t)
        return GCA_ENOMEM;
    double ncol = (double)d->ncol;
    for (size_t r = 0; r < d->nrow; r++) {
        double miss = 0, zero = 0;
        for (size_t c = 0; c < d->ncol; c++) {
            double v = GCA_DSET_AT(d, r, c);
            miss += isnan(v);
            zero += v == 0;
        }
        gca__an_text(t, r, 0, d->ucode[r]);
        gca__an_num(t, r, 1, miss);
        gca__an_num(t, r, 2, zero);
        gca__an_num(t, r, 3, miss + zero);
        gca__an_num(t, r, 4, 1 - miss / ncol);
        gca__an_num(t, r, 5, 1 - zero / (ncol - miss));
    }
    return 0;
}

/* Columns of `d` holding the indicators under node `a`, into `cols`;
 * returns how many (indicators that `d` lacks are left out). */
static size_t indicator_cols(const gca_framework *fw, const gca_dset *d,
                             int a, int *cols)
{
    size_t n = 0;
    for (size_t c = 0; c < d->ncol; c++) {
        int node = d->node[c];
        if (fw->nodes[node].type == GCA_NODE_INDICATOR &&
            gca__an_ancestor(fw, node, fw->nodes[a].level) == a)
            cols[n++] = (int)c;
    }
    return n;
}

static int avail_bygroup(gca_analysis *an, const char *name,
                         const gca_dset *d, gca_err *err)
{
    const gca_framework *fw = an->fw;
    size_t nn = fw->nnodes ? fw->nnodes : 1;
    int *aggs = gca_malloc(nn * sizeof *aggs);
    int *cols = gca_malloc((d->ncol + 1) * sizeof *cols);
    const char **hdr = gca_malloc((nn + 1) * sizeof *hdr);
    int rc = aggs && cols && hdr ? 0 : gca__an_oom(err);
    size_t na = 0;
    /* Aggregates level by level, each level in lineage order (COINr). */
    for (int l = 2; l <= fw->nlevels && rc == 0; l++)
        na += gca__an_lineage_nodes(fw, l, aggs + na);
    gca_report *t = NULL;
    if (rc == 0) {
        hdr[0] = "uCode";
        for (size_t i = 0; i < na; i++)
            hdr[i + 1] = fw->nodes[aggs[i]].code;
        t = gca__an_table(an, name, d->nrow, na + 1, hdr, err);
        rc = t ? 0 : GCA_ENOMEM;
    }
    for (size_t r = 0; r < d->nrow && rc == 0; r++)
        gca__an_text(t, r, 0, d->ucode[r]);
    for (size_t i = 0; i < na && rc == 0; i++) {
        size_t k = indicator_cols(fw, d, aggs[i], cols);
        for (size_t r = 0; r < d->nrow; r++) {
            double miss = 0;
            for (size_t j = 0; j < k; j++)
                miss += isnan(GCA_DSET_AT(d, r, cols[j]));
            gca__an_num(t, r, i + 1, 1 - miss / (double)k);
        }
    }
    gca_free(aggs);
    gca_free(cols);
    gca_free(hdr);
    return rc;
}

int gca_analysis_data_avail(gca_analysis *an, const char *summary,
                            const char *bygroup, const char *dset,
                            gca_err *err)
{
    const gca_dset *d = gca__an_dset(an->res, dset, err);
    if (!d)
        return err->code;
    size_t mark = an->ntables;
    int rc = avail_summary(an, summary, d, err);
    if (rc == 0)
        rc = avail_bygroup(an, bygroup, d, err);
    if (rc < 0)
        gca__an_truncate(an, mark);
    return rc;
}

/* ====== get_cronbach ====== */

/* Columns of `d` holding the nodes at `level` under node `a`, in lineage
 * order (COINr's get_data); fails naming the first one `d` lacks. */
static int level_cols(const gca_framework *fw, const gca_dset *d, int a,
                      int level, int *cols, size_t *ncols, gca_err *err)
{
    int *nodes = gca_malloc((fw->nnodes ? fw->nnodes : 1) * sizeof *nodes);
    if (!nodes)
        return gca__an_oom(err);
    size_t n = gca__an_lineage_nodes(fw, level, nodes), k = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (gca__an_ancestor(fw, nodes[i], fw->nodes[a].level) != a)
            continue;
        int c = gca__dset_col(d, nodes[i]);
        if (c < 0)
            rc = gca_fail(err, GCA_EINVAL, d->name, 0, 0,
                          "data set '%s' has no column '%s' (level %d); "
                          "aggregates are only in the aggregated data set",
                          d->name, fw->nodes[nodes[i]].code, level);
        else
            cols[k++] = c;
    }
    gca_free(nodes);
    *ncols = k;
    return rc;
}

/* Alpha of the k columns `cols` of `d`: k^2 mean(off-diagonal C) / sum C
 * with C their pairwise-complete covariance matrix, NA cells left out of
 * the sums as R's sum(na.rm = TRUE) does. */
static double alpha_of(const gca_dset *d, const int *cols, size_t k)
{
    long double all = 0, diag = 0;
    /* C is symmetric: each covariance off the diagonal counts twice. */
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i <= j; i++) {
            double cv = gca__cov_pairwise(&d->v[(size_t)cols[i] * d->nrow],
                                          &d->v[(size_t)cols[j] * d->nrow],
                                          d->nrow);
            if (isnan(cv))
                continue;
            all += i == j ? cv : 2 * (long double)cv;
            if (i == j)
                diag += cv;
        }
    double dk = (double)k;
    double sigav = (double)((all - diag) / (dk * (dk - 1)));
    return dk * dk * sigav / (double)all;
}

int gca_cronbach(const gca_result *res, const char *dset, const char *code,
                 int level, double *alpha, size_t *k, gca_err *err)
{
    const gca_framework *fw = res->fw;
    const gca_dset *d = gca__an_dset(res, dset, err);
    if (!d)
        return err->code;
    int a = code ? gca__framework_find(fw, code) : -1;
    if (a < 0)
        return gca_fail(err, GCA_EINVAL, code ? code : "", 0, 0,
                        "'%s' is not a node of the framework",
                        code ? code : "");
    if (level < 1 || level >= fw->nodes[a].level)
        return gca_fail(err, GCA_EINVAL, code, 0, 0,
                        "level %d is not below the level of '%s' (%d)",
                        level, code, fw->nodes[a].level);
    int *cols = gca_malloc((d->ncol + 1) * sizeof *cols);
    if (!cols)
        return gca__an_oom(err);
    size_t n = 0;
    int rc = level_cols(fw, d, a, level, cols, &n, err);
    if (rc == 0) {
        *k = n;
        *alpha = n >= 2 ? alpha_of(d, cols, n) : NAN;
    }
    gca_free(cols);
    return rc;
}

/* One row of the table of alphas. */
typedef struct alpha_row {
    const char *code;
    int level;
    size_t k;
    double alpha;
} alpha_row;

int gca_analysis_cronbach(gca_analysis *an, const char *name,
                          const char *dset, gca_err *err)
{
    static const char *const hdr[] = {"dset", "iCodes", "Level", "k",
                                      "Alpha"};
    const gca_framework *fw = an->fw;
    const gca_dset *d = gca__an_dset(an->res, dset, err);
    if (!d)
        return err->code;
    alpha_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    /* By the level of the elements, then aggregates in framework order;
     * those whose elements the data set lacks are left out. */
    for (int l = 1; l < fw->nlevels && rc == 0; l++)
        for (size_t i = 0; i < fw->naggregates && rc == 0; i++) {
            const gca_node *nd = &fw->nodes[fw->aggregates[i]];
            alpha_row x = {nd->code, l, 0, NAN};
            gca_err e = {0};
            if (nd->level <= l || gca_cronbach(an->res, d->name, nd->code, l,
                                               &x.alpha, &x.k, &e) < 0) {
                if (e.code == GCA_ENOMEM)
                    rc = gca__an_oom(err);
                continue;
            }
            alpha_row *v = gca__an_grow(rows, n, &cap, sizeof *v);
            if (!v) {
                rc = gca__an_oom(err);
                break;
            }
            rows = v;
            rows[n++] = x;
        }
    gca_report *t = NULL;
    if (rc == 0) {
        t = gca__an_table(an, name, n, 5, hdr, err);
        rc = t ? 0 : GCA_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        gca__an_text(t, i, 0, d->name);
        gca__an_text(t, i, 1, rows[i].code);
        gca__an_num(t, i, 2, rows[i].level);
        gca__an_num(t, i, 3, (double)rows[i].k);
        gca__an_num(t, i, 4, rows[i].alpha);
    }
    gca_free(rows);
    return rc;
}
