/* audit_run.c - the warnings drawn from the statistical audit, and the
 * whole audit of `gca analyse` (docs/analyse.md#warnings, #outputs). */
#include "analysis/audit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/corr.h"
#include "pipeline/step.h"
#include "core/banned.h"

/* ====== Warnings ====== */

typedef struct finding {
    const char *rule;
    int level;
    const char *group;    /* parent code, NULL = none */
    const char *elements; /* "A" or "A;B" */
    double value, threshold, pvalue;
} finding;

typedef struct findings {
    finding *v;
    size_t n, cap;
} findings;

static int add(findings *f, finding x, gca_err *err)
{
    finding *v = gca__an_grow(f->v, f->n, &f->cap, sizeof *v);
    if (!v)
        return gca__an_oom(err);
    f->v = v;
    f->v[f->n++] = x;
    return 0;
}

/* Siblings correlated below t_neg (significantly) or above t_collinear
 * (Pearson, final data set, each pair once). */
static int warn_correlations(gca_analysis *an, const gca_warn_opts *o,
                             findings *f, gca_err *err)
{
    const gca_framework *fw = an->fw;
    const gca_dset *d = gca_result_final(an->res);
    gca__an_pair *p = NULL;
    size_t n = 0;
    double *r = NULL, *pv = NULL;
    int rc = gca__an_sibling_pairs(fw, d, &p, &n, err);
    if (rc == 0) {
        r = gca_malloc((n + 1) * sizeof *r);
        pv = gca_malloc((n + 1) * sizeof *pv);
        rc = r && pv ? 0 : gca__an_oom(err);
    }
    if (rc == 0)
        rc = gca__an_pair_stats(d, p, n, GCA__COR_PEARSON, r, pv, err);
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (size_t i = 0; i < n && rc == 0; i++) {
            /* A weak negative correlation is noise, not a finding. */
            int neg = r[i] < o->t_neg && (o->pval <= 0 || pv[i] <= o->pval);
            int high = r[i] > o->t_collinear;
            if (pass == 0 ? !neg : !high)
                continue;
            const char *a = fw->nodes[p[i].n1].code;
            const char *b = fw->nodes[p[i].n2].code;
            size_t len = strlen(a) + strlen(b) + 2;
            char *both = gca_arena_alloc(&an->arena, len);
            if (!both) {
                rc = gca__an_oom(err);
                break;
            }
            snprintf(both, len, "%s;%s", a, b);
            finding x = {pass == 0 ? "negative_correlation" : "collinear",
                         fw->nodes[p[i].n1].level, fw->nodes[p[i].group].code,
                         both, r[i], pass == 0 ? o->t_neg : o->t_collinear,
                         pv[i]};
            rc = add(f, x, err);
        }
    gca_free(p);
    gca_free(r);
    gca_free(pv);
    return rc;
}

/* Indicators of the Raw data set with less data than t_avail. */
static int warn_availability(gca_analysis *an, const gca_warn_opts *o,
                             findings *f, gca_err *err)
{
    const gca_framework *fw = an->fw;
    const gca_dset *d = gca_result_dset(an->res, "Raw");
    int rc = 0;
    for (size_t c = 0; d && d->nrow && c < d->ncol && rc == 0; c++) {
        double have = 0;
        for (size_t r = 0; r < d->nrow; r++)
            have += !isnan(GCA_DSET_AT(d, r, c));
        double frac = have / (double)d->nrow;
        if (!(frac < o->t_avail))
            continue;
        const gca_node *nd = &fw->nodes[d->node[c]];
        finding x = {"low_availability", nd->level,
                     nd->parent >= 0 ? fw->nodes[nd->parent].code : NULL,
                     nd->code, frac, o->t_avail, NAN};
        rc = add(f, x, err);
    }
    return rc;
}

/* Aggregates whose children have Cronbach's alpha below t_alpha. */
static int warn_alpha(gca_analysis *an, const gca_warn_opts *o, findings *f,
                      gca_err *err)
{
    const gca_framework *fw = an->fw;
    int rc = 0;
    for (size_t i = 0; i < fw->naggregates && rc == 0; i++) {
        const gca_node *nd = &fw->nodes[fw->aggregates[i]];
        double alpha;
        size_t k;
        gca_err e = {0};
        if (nd->nchildren < 2 ||
            gca_cronbach(an->res, NULL, nd->code, nd->level - 1, &alpha, &k,
                         &e) < 0) {
            if (e.code == GCA_ENOMEM)
                rc = gca__an_oom(err);
            continue;
        }
        if (!(alpha < o->t_alpha))
            continue;
        finding x = {"low_alpha", nd->level,
                     nd->parent >= 0 ? fw->nodes[nd->parent].code : NULL,
                     nd->code, alpha, o->t_alpha, NAN};
        rc = add(f, x, err);
    }
    return rc;
}

int gca_analysis_warnings(gca_analysis *an, const char *name,
                          const gca_warn_opts *o, gca_err *err)
{
    static const gca_warn_opts dflt = GCA_WARN_OPTS_INIT;
    static const char *const hdr[] = {"Rule",  "Level",     "Group",
                                      "Elements", "Value", "Threshold",
                                      "PValue"};
    if (!o)
        o = &dflt;
    findings f = {0};
    int rc = warn_correlations(an, o, &f, err);
    if (rc == 0)
        rc = warn_availability(an, o, &f, err);
    if (rc == 0)
        rc = warn_alpha(an, o, &f, err);
    gca_report *t = NULL;
    if (rc == 0) {
        t = gca__an_table(an, name, f.n, 7, hdr, err);
        rc = t ? 0 : GCA_ENOMEM;
    }
    for (size_t i = 0; i < f.n && rc == 0; i++) {
        gca__an_text(t, i, 0, f.v[i].rule);
        gca__an_num(t, i, 1, f.v[i].level);
        gca__an_text(t, i, 2, f.v[i].group);
        gca__an_text(t, i, 3, f.v[i].elements);
        gca__an_num(t, i, 4, f.v[i].value);
        gca__an_num(t, i, 6, f.v[i].pvalue);
        /* Thresholds as written by people: 0.7, not 0.69999999999999996. */
        rc = gca__an_rounded(an, t, i, 5, f.v[i].threshold, err);
    }
    gca_free(f.v);
    return rc;
}

/* ====== The whole audit ====== */

/* "stats_" + the data set's name in lower case. */
static void stats_name(char *dst, size_t size, const char *dset)
{
    size_t n = (size_t)snprintf(dst, size, "stats_");
    for (const char *p = dset; *p && n + 1 < size; p++)
        dst[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    dst[n] = '\0';
}

static int run_all(gca_analysis *an, const gca_analysis_opts *o,
                   gca_err *err)
{
    const gca_result *res = an->res;
    const gca_framework *fw = an->fw;
    char name[160];
    int rc = 0;
    for (size_t i = 0; i < res->ndsets && rc == 0; i++) {
        const gca_dset *d = &res->dsets[i];
        /* A step that ran twice: its later data set stands for it. */
        if (gca_result_dset(res, d->name) != d)
            continue;
        stats_name(name, sizeof name, d->name);
        rc = gca_analysis_stats(an, name, d->name, &o->stats, err);
    }
    static const struct {
        const char *name;
        gca_cor_method method;
        int parents;
    } corr[] = {
        {"corr_pearson_within", GCA_COR_PEARSON, 0},
        {"corr_spearman_within", GCA_COR_SPEARMAN, 0},
        {"corr_pearson_parents", GCA_COR_PEARSON, 1},
        {"corr_spearman_parents", GCA_COR_SPEARMAN, 1},
    };
    for (size_t i = 0; i < GCA_COUNT(corr) && rc == 0; i++)
        rc = corr[i].parents
                 ? gca_analysis_corr_parents(an, corr[i].name, corr[i].method,
                                             o->pval, err)
                 : gca_analysis_corr_within(an, corr[i].name, corr[i].method,
                                            o->pval, err);
    if (rc == 0)
        rc = gca_analysis_cronbach(an, "cronbach", NULL, err);
    if (rc == 0)
        rc = gca_analysis_data_avail(an, "data_avail_summary",
                                     "data_avail_bygroup", "Raw", err);
    if (rc == 0)
        rc = gca_analysis_str_weak(an, "str_weak", NULL, NULL, 0, err);
    if (rc == 0)
        rc = gca_analysis_unit_summary(an, "unit_summary", NULL, NULL, 0,
                                       NULL, 0, 2, err);
    for (int l = 1; l < fw->nlevels && rc == 0; l++) {
        snprintf(name, sizeof name, "remove_elements_L%d_", l);
        rc = gca_analysis_remove_elements(an, name, l, NULL, NULL, err);
    }
    if (rc == 0)
        rc = gca_analysis_warnings(an, "warnings", &o->warn, err);
    return rc;
}

int gca_analysis_run(const gca_result *res, const gca_analysis_opts *o,
                     gca_analysis **out, gca_err *err)
{
    static const gca_analysis_opts dflt = GCA_ANALYSIS_OPTS_INIT;
    if (!o)
        o = &dflt;
    if (!res || !out)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "gca_analysis_run needs a build result");
    const gca_framework *fw = res->fw;
    const gca_dset *final = gca_result_final(res);
    if (fw->top < 0 || gca__dset_col(final, fw->top) < 0)
        return gca_fail(err, GCA_EMETHOD, final->name, 0, 0,
                        "the audit needs the index, but the last data set "
                        "('%s') has no column '%s': end the method with an "
                        "aggregate step",
                        final->name, fw->top >= 0 ? fw->nodes[fw->top].code
                                                  : "");
    gca_analysis *an = NULL;
    int rc = gca_analysis_new(res, &an, err);
    if (rc == 0)
        rc = run_all(an, o, err);
    if (rc < 0) {
        gca_analysis_free(an);
        return rc;
    }
    *out = an;
    return 0;
}
