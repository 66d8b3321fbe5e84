/* aggregate.c - the "aggregate" step, COINr's Aggregate(): every aggregate
 * of the framework, level 2 first, is computed from its children with
 * their weights. The data set made holds the input's indicators and then
 * one column per aggregate (levels 2, 3, ...; framework order within a
 * level). COINr's sums are accumulated in long double as R's sum() does.
 * Method: docs/method.md#aggregate.
 *
 * Parameters:
 *   f_ag        function name; or an object whose keys are levels ("2",
 *               "3": the level of the aggregate made) or aggregate codes
 *               ("GCI"), a code key beating a level key; or an array, one
 *               name per level from 2 up (COINr's vector). Default a_amean.
 *               Names: a_amean, a_gmean, a_hmean, a_genmean (p),
 *               a_wmedian = weightedMedian (matrixStats' algorithm, na.rm,
 *               interpolate, ties), a_copeland = copeland (outranking of
 *               all units, COINr's a_copeland) and a_sum (gca: weighted
 *               sum, NA when any child is missing).
 *   f_ag_para   parameters for every aggregate ({"p": 2}) or keyed like
 *               f_ag ({"3": {"p": 2}}); they may also be written flat.
 *   dat_thresh  minimum fraction of children with data (else NA); a
 *               number or keyed like f_ag.
 *   weights     name of a framework weight set; w: {"code": weight}
 *               overrides, or a set name, or "none" (all weights 1).
 *
 * Where COINr differs (its behaviour under compat "coinr"): a_genmean
 * ignores missing children as the other means do (COINr returns NA when
 * any is missing); a_hmean rejects negative values (COINr only zeros);
 * a_copeland leaves units without data (or below dat_thresh) unscored and
 * out of the comparisons (COINr scores them by their row order and
 * ignores dat_thresh). a_gmean rejects values <= 0 like COINr. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/step.h"
#include "core/banned.h"

enum afn { A_AMEAN, A_GMEAN, A_HMEAN, A_GENMEAN, A_WMEDIAN, A_COPELAND,
           A_SUM };

static const struct {
    const char *name;
    int fn;
} fn_table[] = {
    {"a_amean", A_AMEAN},     {"a_gmean", A_GMEAN},
    {"a_hmean", A_HMEAN},     {"a_genmean", A_GENMEAN},
    {"a_wmedian", A_WMEDIAN}, {"weightedMedian", A_WMEDIAN},
    {"a_copeland", A_COPELAND}, {"copeland", A_COPELAND},
    {"a_sum", A_SUM},
};

static const char *const fn_label[] = {"a_amean",   "a_gmean",
                                       "a_hmean",   "a_genmean",
                                       "a_wmedian", "a_copeland", "a_sum"};

enum wties { WT_WEIGHTED, WT_MIN, WT_MAX, WT_MEAN };
static const char *const wties_names[] = {"weighted", "min", "max", "mean",
                                          NULL};

/* Parameter keys of the functions and which function takes each. */
enum { P_P, P_NARM, P_INTERP, P_TIES, NPARAMS };
static const char *const param_names[] = {"p", "na.rm", "interpolate",
                                          "ties", NULL};
static const int param_fn[NPARAMS] = {A_GENMEAN, A_WMEDIAN, A_WMEDIAN,
                                      A_WMEDIAN};

/* What one key ("" = every aggregate, a level or a code) sets. */
typedef struct rule {
    const char *key;
    int fn;                /* -1 = not set */
    int has[NPARAMS];      /* parameter given */
    double p;
    int narm, interp, ties;
    double thresh;         /* NaN = not set */
} rule;

typedef struct woverride {
    const char *code;
    double w;
} woverride;

typedef struct agg_spec {
    rule *rules;
    size_t nrules, caprules;
    size_t nfn_array;      /* f_ag given as an array of that length */
    const char *wset;      /* weight set name, NULL = none */
    int wnone;             /* w: "none" */
    woverride *w;
    size_t nw;
} agg_spec;

static const char *const top_keys[] = {
    "f_ag", "f_ag_para", "dat_thresh", "w", "weights",
    "p",    "na.rm",     "interpolate", "ties", NULL};

/* ====== Parameters ====== */

static int oom(gca_err *err, const char *where)
{
    return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
}

static rule *get_rule(agg_spec *s, const char *key, gca_arena *arena,
                      const char *where, gca_err *err)
{
    for (size_t i = 0; i < s->nrules; i++)
        if (!strcmp(s->rules[i].key, key))
            return &s->rules[i];
    if (s->nrules == s->caprules) {
        size_t cap = s->caprules ? 2 * s->caprules : 8;
        rule *r = gca_arena_array(arena, cap, sizeof *r);
        if (!r) {
            oom(err, where);
            return NULL;
        }
        if (s->nrules)
            memcpy(r, s->rules, s->nrules * sizeof *r);
        s->rules = r;
        s->caprules = cap;
    }
    rule *r = &s->rules[s->nrules];
    memset(r, 0, sizeof *r);
    r->key = gca_arena_strdup(arena, key);
    if (!r->key) {
        oom(err, where);
        return NULL;
    }
    r->fn = -1;
    r->thresh = NAN;
    s->nrules++;
    return r;
}

static int fn_index(const char *name)
{
    for (size_t i = 0; i < GCA_COUNT(fn_table); i++)
        if (!strcmp(name, fn_table[i].name))
            return fn_table[i].fn;
    return -1;
}

static int set_fn(agg_spec *s, const char *key, const json_t *v,
                  gca_arena *arena, const char *where, gca_err *err)
{
    const char *name = json_string_value(v);
    int fn = name ? fn_index(name) : -1;
    if (fn < 0)
        return gca__method_fail(err, where,
                                "unknown aggregation function '%.60s' "
                                "(known: a_amean, a_gmean, a_hmean, "
                                "a_genmean, a_wmedian, weightedMedian, "
                                "a_copeland, copeland, a_sum)",
                                name ? name : "(not a string)");
    rule *r = get_rule(s, key, arena, where, err);
    if (!r)
        return GCA_ENOMEM;
    r->fn = fn;
    return 0;
}

static int parse_fn(const json_t *v, agg_spec *s, gca_arena *arena,
                    const char *where, gca_err *err)
{
    char key[32];
    const char *k;
    json_t *e;
    int rc = 0;
    if (!v)
        return 0;
    if (json_is_string(v))
        return set_fn(s, "", v, arena, where, err);
    if (json_is_array(v)) {
        if (json_array_size(v) == 0 || json_array_size(v) > GCA_MAX_LEVELS)
            return gca__method_fail(err, where,
                                    "'f_ag' as an array needs one name per "
                                    "level from 2 up");
        s->nfn_array = json_array_size(v);
        for (size_t i = 0; i < json_array_size(v) && rc == 0; i++) {
            snprintf(key, sizeof key, "%zu", i + 2);
            rc = set_fn(s, key, json_array_get(v, i), arena, where, err);
        }
        return rc;
    }
    if (!json_is_object(v))
        return gca__method_fail(err, where,
                                "'f_ag' must be a function name, an object "
                                "by level or code, or an array by level");
    json_object_foreach((json_t *)v, k, e)
    {
        rc = set_fn(s, k, e, arena, where, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Read the function parameters present in `obj` into rule `r`. */
static int read_params(const json_t *obj, rule *r, const char *where,
                       gca_err *err)
{
    for (int i = 0; i < NPARAMS; i++) {
        json_t *v = json_object_get(obj, param_names[i]);
        if (!v)
            continue;
        if (r->has[i])
            return gca__method_fail(err, where,
                                    "parameter '%s' is given twice (flat "
                                    "and in f_ag_para)", param_names[i]);
        r->has[i] = 1;
        int rc = 0;
        const char *t;
        switch (i) {
        case P_P:
            if (!json_is_number(v) || json_number_value(v) == 0 ||
                !isfinite(json_number_value(v)))
                return gca__method_fail(err, where,
                                        "parameter 'p' must be a number "
                                        "other than 0 (p = 0 is the "
                                        "geometric mean: use a_gmean)");
            r->p = json_number_value(v);
            break;
        case P_NARM:
            rc = gca__param_bool(obj, "na.rm", &r->narm, where, err);
            break;
        case P_INTERP:
            rc = gca__param_bool(obj, "interpolate", &r->interp, where, err);
            break;
        case P_TIES:
            t = json_string_value(v);
            r->ties = t ? gca__name_index(t, wties_names) : -1;
            if (r->ties < 0)
                return gca__method_fail(err, where,
                                        "parameter 'ties' must be "
                                        "\"weighted\", \"min\", \"max\" or "
                                        "\"mean\"");
            break;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int parse_para(const json_t *obj, agg_spec *s, gca_arena *arena,
                      const char *where, gca_err *err)
{
    rule *all = get_rule(s, "", arena, where, err);
    if (!all)
        return GCA_ENOMEM;
    int rc = read_params(obj, all, where, err);
    json_t *para = json_object_get(obj, "f_ag_para");
    if (rc < 0 || !para || json_is_null(para))
        return rc;
    if (!json_is_object(para))
        return gca__method_fail(err, where, "'f_ag_para' must be an object");
    /* Keyed when every value is an object, flat otherwise. */
    const char *k;
    json_t *e;
    int keyed = json_object_size(para) > 0;
    json_object_foreach(para, k, e)
    {
        keyed &= json_is_object(e);
    }
    if (!keyed) {
        rc = gca__params_only(para, param_names, where, err);
        return rc < 0 ? rc : read_params(para, all, where, err);
    }
    json_object_foreach(para, k, e)
    {
        char w[320];
        snprintf(w, sizeof w, "%s: f_ag_para '%.60s'", where, k);
        rule *r = get_rule(s, k, arena, w, err);
        if (!r)
            return GCA_ENOMEM;
        rc = gca__params_only(e, param_names, w, err);
        if (rc == 0)
            rc = read_params(e, r, w, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int thresh_value(const json_t *v, double *out, const char *where,
                        gca_err *err)
{
    double t = json_is_number(v) ? json_number_value(v) : NAN;
    if (!(t >= 0 && t <= 1))
        return gca__method_fail(err, where,
                                "'dat_thresh' must be a number from 0 to 1 "
                                "(or an object of them by level or code)");
    *out = t;
    return 0;
}

static int parse_thresh(const json_t *v, agg_spec *s, gca_arena *arena,
                        const char *where, gca_err *err)
{
    if (!v || json_is_null(v))
        return 0;
    const char *k;
    json_t *e;
    if (!json_is_object(v)) {
        rule *r = get_rule(s, "", arena, where, err);
        return r ? thresh_value(v, &r->thresh, where, err) : GCA_ENOMEM;
    }
    json_object_foreach((json_t *)v, k, e)
    {
        rule *r = get_rule(s, k, arena, where, err);
        if (!r)
            return GCA_ENOMEM;
        int rc = thresh_value(e, &r->thresh, where, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int parse_weights(const json_t *obj, agg_spec *s, gca_arena *arena,
                         const char *where, gca_err *err)
{
    int rc = gca__param_string(obj, "weights", arena, &s->wset, where, err);
    json_t *w = json_object_get(obj, "w");
    if (rc < 0 || !w || json_is_null(w))
        return rc;
    if (json_is_string(w)) {
        if (s->wset)
            return gca__method_fail(err, where,
                                    "give the weight set either as 'weights' "
                                    "or as 'w', not both");
        if (!strcmp(json_string_value(w), "none")) {
            s->wnone = 1;
            return 0;
        }
        return gca__param_string(obj, "w", arena, &s->wset, where, err);
    }
    if (!json_is_object(w))
        return gca__method_fail(err, where,
                                "'w' must be an object {\"code\": weight}, "
                                "a weight set name or \"none\"");
    s->w = gca_arena_array(arena, json_object_size(w) + 1, sizeof *s->w);
    if (!s->w)
        return oom(err, where);
    const char *k;
    json_t *e;
    json_object_foreach(w, k, e)
    {
        double x = json_is_number(e) ? json_number_value(e) : NAN;
        if (!(x >= 0 && isfinite(x)))
            return gca__method_fail(err, where,
                                    "weight of '%.60s' in 'w' must be a "
                                    "finite number >= 0", k);
        s->w[s->nw].code = gca_arena_strdup(arena, k);
        if (!s->w[s->nw].code)
            return oom(err, where);
        s->w[s->nw++].w = x;
    }
    return 0;
}

static int parse(const json_t *obj, void *spec, gca_arena *arena,
                 const char *where, gca_err *err)
{
    agg_spec *s = spec;
    int rc = gca__params_only(obj, top_keys, where, err);
    if (rc == 0)
        rc = parse_fn(json_object_get(obj, "f_ag"), s, arena, where, err);
    if (rc == 0)
        rc = parse_para(obj, s, arena, where, err);
    if (rc == 0)
        rc = parse_thresh(json_object_get(obj, "dat_thresh"), s, arena,
                          where, err);
    if (rc == 0)
        rc = parse_weights(obj, s, arena, where, err);
    return rc;
}

/* ====== Weights and keys ====== */

static int set_weights(gca__run *run, const agg_spec *s)
{
    const gca_framework *fw = run->fw;
    double *w = run->weight;
    if (run->weight_fixed) {
        memcpy(w, run->weight_fixed, fw->nnodes * sizeof *w);
        return 0;
    }
    /* From the framework each time, so that a second aggregate step does
     * not inherit the first one's overrides. */
    for (size_t i = 0; i < fw->nnodes; i++)
        w[i] = s->wnone ? 1 : fw->nodes[i].weight;
    if (s->wset) {
        const gca__weight_set *ws = NULL;
        for (size_t k = 0; k < fw->nwsets; k++)
            if (!strcmp(fw->wsets[k].name, s->wset))
                ws = &fw->wsets[k];
        if (!ws)
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "the framework has no weight set '%s'", s->wset);
        for (size_t i = 0; i < fw->nnodes; i++)
            if (!isnan(ws->w[i]))
                w[i] = ws->w[i];
    }
    for (size_t k = 0; k < s->nw; k++) {
        int i = gca__framework_find(fw, s->w[k].code);
        if (i < 0)
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "'w' names '%s', which is not a node of the "
                            "framework", s->w[k].code);
        w[i] = s->w[k].w;
    }
    return 0;
}

/* Level of a digits-only key, else 0 (a node code). */
static int key_level(const char *key)
{
    int lev = 0;
    if (!*key)
        return 0;
    for (const char *p = key; *p; p++) {
        if (*p < '0' || *p > '9' || lev > GCA_MAX_LEVELS)
            return 0;
        lev = lev * 10 + (*p - '0');
    }
    return lev;
}

static int check_keys(gca__run *run, const agg_spec *s)
{
    const gca_framework *fw = run->fw;
    if (s->nfn_array && s->nfn_array != (size_t)(fw->nlevels - 1))
        return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                        "'f_ag' has %zu names but the framework has %d "
                        "levels to aggregate (2 to %d)",
                        s->nfn_array, fw->nlevels - 1, fw->nlevels);
    for (size_t i = 0; i < s->nrules; i++) {
        const char *key = s->rules[i].key;
        if (!*key)
            continue;
        int lev = key_level(key);
        int node = lev ? -1 : gca__framework_find(fw, key);
        if (lev && (lev < 2 || lev > fw->nlevels))
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "level %d is not an aggregate level (2 to %d)",
                            lev, fw->nlevels);
        if (!lev && (node < 0 || fw->nodes[node].type != GCA_NODE_AGGREGATE))
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "'%s' is neither a level nor an aggregate of "
                            "the framework", key);
    }
    return 0;
}

/* The rule for aggregate `nd`: defaults, then "", the level, the code. */
static void resolve(const agg_spec *s, const gca_node *nd, rule *out,
                    const rule **src)
{
    char lev[16];
    snprintf(lev, sizeof lev, "%d", nd->level);
    const char *order[3] = {"", lev, nd->code};
    memset(out, 0, sizeof *out);
    out->fn = A_AMEAN;
    out->narm = 1;
    out->interp = -1;
    out->thresh = NAN;
    out->p = NAN;
    for (int o = 0; o < 3; o++) {
        for (size_t i = 0; i < s->nrules; i++) {
            const rule *r = &s->rules[i];
            if (strcmp(r->key, order[o]))
                continue;
            if (r->fn >= 0)
                out->fn = r->fn;
            if (!isnan(r->thresh))
                out->thresh = r->thresh;
            for (int k = 0; k < NPARAMS; k++) {
                if (!r->has[k])
                    continue;
                out->has[k] = 1;
                src[k] = r;
            }
            if (r->has[P_P])
                out->p = r->p;
            if (r->has[P_NARM])
                out->narm = r->narm;
            if (r->has[P_INTERP])
                out->interp = r->interp;
            if (r->has[P_TIES])
                out->ties = r->ties;
        }
    }
    /* matrixStats: interpolate = is.null(ties). */
    if (out->interp < 0)
        out->interp = !out->has[P_TIES];
}

/* ====== Functions of one unit ====== */

/* R's sum(): left to right in long double. */
static double ldsum(const double *v, size_t n)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return (double)s;
}

/* R's x ^ y (R_pow): squares by multiplication, 1 and 0 special. */
static double rpow(double x, double y)
{
    if (y == 2.0)
        return x * x;
    if (x == 1. || y == 0.)
        return 1.;
    if (x == 0.)
        return y > 0 ? 0. : y < 0 ? INFINITY : y;
    return pow(x, y);
}

typedef struct wm {
    double x, w;
    size_t i;
} wm;

static int cmp_wm(const void *a, const void *b)
{
    const wm *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* matrixStats::weightedMedian (its C code, weightedMedian_lowlevel):
 * non-positive weights dropped; with interpolation the median is read
 * off the line through the mid-points of the cumulative weights. */
static double wmedian(const double *x, const double *w, size_t n,
                      const rule *r, wm *v)
{
    size_t m = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] > 0))
            continue;
        if (isnan(x[i])) {
            if (!r->narm)
                return NAN;
            continue;
        }
        v[m++] = (wm){x[i], w[i], i};
        total += w[i];
    }
    if (m == 0)
        return NAN;
    if (m == 1)
        return v[0].x;
    qsort(v, m, sizeof *v, cmp_wm);
    double cum = 0, prev = 0, wc = 0;
    size_t half = m;
    for (size_t i = 0; i < m; i++) {
        double t = v[i].w / total;
        cum += t;
        prev = wc;
        wc = r->interp ? cum - t / 2 : cum;
        if (r->interp ? wc >= 0.5 : wc > 0.5) {
            half = i;
            break;
        }
    }
    if (half == 0 || half == m)
        return v[half == m ? m - 1 : 0].x;
    if (r->interp) {
        double dx = v[half].x - v[half - 1].x;
        double dy = 0.5 - wc;
        return dy / (wc - prev) * dx + v[half].x;
    }
    double wlow = prev, whigh = 1 - wlow;
    if (whigh > 0.5)
        return v[half].x;
    switch (r->ties) {
    case WT_MIN:
        return v[half - 1].x;
    case WT_MAX:
        return v[half].x;
    case WT_MEAN:
        return (v[half - 1].x + v[half].x) / 2;
    default:
        return wlow * v[half - 1].x + whigh * v[half].x;
    }
}

/* One aggregate under construction. */
typedef struct job {
    gca__run *run;
    const gca_node *nd;
    const gca_dset *d;     /* output, children columns filled */
    const int *col;        /* [k] children's columns in d */
    const double *w;       /* [k] children's weights */
    size_t k;
    rule f;
    double *x, *a, *b;     /* [k] scratch */
    wm *v;                 /* [k] scratch */
    int used[NPARAMS];     /* parameters for every aggregate that applied */
} job;

static int bad_value(const job *j, size_t r, size_t c, const char *need)
{
    const gca_dset *d = j->d;
    return gca_fail(j->run->err, GCA_EDATA, j->run->where, 0, 0,
                    "aggregate '%s' (%s): unit '%s' has %.17g in '%s'; %s",
                    j->nd->code, fn_label[j->f.fn], d->ucode[r],
                    j->x[c], d->icode[j->col[c]], need);
}

/* The aggregate's value for row `r`, or a GCA_EDATA error. */
static int one_row(const job *j, size_t r, double *out)
{
    size_t m = 0, k = j->k;
    double *x = j->x, *a = j->a, *b = j->b;
    int compat = j->run->compat_coinr;
    for (size_t c = 0; c < k; c++) {
        x[c] = GCA_DSET_AT(j->d, r, j->col[c]);
        m += !isnan(x[c]);
    }
    *out = NAN;
    if (!isnan(j->f.thresh) && (double)m / (double)k < j->f.thresh)
        return 0;
    if (m == 0)
        return 0;
    size_t n = 0;
    switch (j->f.fn) {
    case A_AMEAN: {
        /* As COINr: weights of the children with data, scaled to sum 1. */
        for (size_t c = 0; c < k; c++)
            if (!isnan(x[c]))
                a[n++] = j->w[c];
        double sw = ldsum(a, n);
        n = 0;
        for (size_t c = 0; c < k; c++) {
            if (isnan(x[c]))
                continue;
            b[n] = a[n] / sw * x[c];
            n++;
        }
        *out = ldsum(b, n);
        return 0;
    }
    case A_GMEAN:
        for (size_t c = 0; c < k; c++) {
            if (isnan(x[c]))
                continue;
            if (x[c] <= 0)
                return bad_value(j, r, c,
                                 "the geometric mean needs values > 0 "
                                 "(normalise to a positive range such as "
                                 "[1, 100])");
            a[n] = j->w[c];
            b[n++] = j->w[c] * log(x[c]);
        }
        *out = exp(ldsum(b, n) / ldsum(a, n));
        return 0;
    case A_HMEAN:
        for (size_t c = 0; c < k; c++) {
            if (isnan(x[c]))
                continue;
            if (x[c] == 0 || (x[c] < 0 && !compat))
                return bad_value(j, r, c,
                                 "the harmonic mean needs values > 0");
            a[n] = j->w[c];
            b[n++] = j->w[c] / x[c];
        }
        *out = ldsum(a, n) / ldsum(b, n);
        return 0;
    case A_GENMEAN:
        if (compat && m < k)
            return 0; /* COINr: NA when any child is missing */
        for (size_t c = 0; c < k; c++) {
            if (isnan(x[c]))
                continue;
            if (x[c] <= 0 && j->f.p < 0)
                return bad_value(j, r, c,
                                 "the generalised mean with p < 0 needs "
                                 "values > 0");
            a[n] = j->w[c];
            b[n++] = j->w[c] * rpow(x[c], j->f.p);
        }
        *out = rpow(ldsum(b, n) / ldsum(a, n), 1 / j->f.p);
        return 0;
    case A_WMEDIAN:
        *out = wmedian(x, j->w, k, &j->f, j->v);
        return 0;
    case A_SUM:
        if (m < k)
            return 0; /* a sum over fewer children is not comparable */
        for (size_t c = 0; c < k; c++)
            b[c] = j->w[c] * x[c];
        *out = ldsum(b, k);
        return 0;
    default:
        return gca_fail(j->run->err, GCA_EINTERNAL, j->run->where, 0, 0,
                        "unknown aggregation function");
    }
}

/* COINr's a_copeland over all units at once: the outranking matrix
 * (weights of the children where a unit is higher, half those where
 * equal, children missing in either unit left out), each pair scored
 * +1/0/-1 against 0.5, summed by row. */
static int copeland(const job *j, double *out)
{
    const gca_dset *d = j->d;
    size_t n = d->nrow, k = j->k;
    int compat = j->run->compat_coinr;
    double *wn = j->a, *t = j->b;
    unsigned char *in = gca_calloc(n + 1, 1);
    double *orm = n ? gca_calloc(n * n, sizeof *orm) : NULL;
    if (!in || (n && !orm)) {
        gca_free(in);
        gca_free(orm);
        return gca_fail(j->run->err, GCA_ENOMEM, j->run->where, 0, 0,
                        "out of memory");
    }
    double sw = ldsum(j->w, k);
    for (size_t c = 0; c < k; c++)
        wn[c] = j->w[c] / sw;
    for (size_t r = 0; r < n; r++) {
        size_t m = 0;
        for (size_t c = 0; c < k; c++)
            m += !isnan(GCA_DSET_AT(d, r, j->col[c]));
        in[r] = compat || (m > 0 && (isnan(j->f.thresh) ||
                                     (double)m / (double)k >= j->f.thresh));
    }
    for (size_t a = 0; a < n; a++) {
        for (size_t b = a + 1; b < n; b++) {
            size_t ng = 0, ne = 0;
            double *g = t, *e = t + k;
            for (size_t c = 0; c < k; c++) {
                double xa = GCA_DSET_AT(d, a, j->col[c]);
                double xb = GCA_DSET_AT(d, b, j->col[c]);
                if (xa > xb)
                    g[ng++] = wn[c];
                else if (xa == xb)
                    e[ne++] = wn[c];
            }
            double s = ldsum(g, ng) + ldsum(e, ne) / 2;
            orm[a * n + b] = s;
            orm[b * n + a] = 1 - s;
        }
    }
    for (size_t a = 0; a < n; a++) {
        out[a] = NAN;
        if (!in[a])
            continue;
        double score = 0;
        for (size_t b = 0; b < n; b++) {
            if (b == a || !in[b])
                continue;
            double o = orm[a * n + b];
            score += o > 0.5 ? 1 : o < 0.5 ? -1 : 0;
        }
        out[a] = score;
    }
    gca_free(in);
    gca_free(orm);
    return 0;
}

/* ====== Run ====== */

static int check_params(gca__run *run, const gca_node *nd, const rule *f,
                        const rule *const *src)
{
    for (int k = 0; k < NPARAMS; k++) {
        /* Parameters for every aggregate apply where they can. */
        if (!f->has[k] || param_fn[k] == f->fn || !*src[k]->key)
            continue;
        return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                        "parameter '%s' given for '%s' does not apply to "
                        "%s (aggregate '%s')", param_names[k], src[k]->key,
                        fn_label[f->fn], nd->code);
    }
    if (f->fn == A_GENMEAN && !f->has[P_P])
        return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                        "a_genmean needs parameter 'p' (aggregate '%s')",
                        nd->code);
    return 0;
}

static int aggregate_node(gca__run *run, const agg_spec *s, job *j,
                          gca_dset *out, int col)
{
    const gca_node *nd = j->nd;
    const rule *src[NPARAMS] = {NULL};
    resolve(s, nd, &j->f, src);
    int rc = check_params(run, nd, &j->f, src);
    if (rc < 0)
        return rc;
    for (int k = 0; k < NPARAMS; k++)
        j->used[k] |= j->f.has[k] && param_fn[k] == j->f.fn;
    int *cols = (int *)j->col;
    double *w = (double *)j->w;
    double wsum = 0;
    j->k = nd->nchildren;
    for (size_t c = 0; c < nd->nchildren; c++) {
        int child = nd->children[c];
        cols[c] = gca__dset_col(out, child);
        w[c] = run->weight[child];
        wsum += w[c];
        if (cols[c] < 0 || cols[c] >= col)
            return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                            "aggregate '%s': its child '%s' is not in data "
                            "set '%s'", nd->code, run->fw->nodes[child].code,
                            out->name);
    }
    if (!(wsum > 0))
        return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                        "aggregate '%s': the weights of its children sum "
                        "to zero", nd->code);
    double *y = &out->v[(size_t)col * out->nrow];
    if (j->f.fn == A_COPELAND)
        return copeland(j, y);
    for (size_t r = 0; r < out->nrow; r++) {
        rc = one_row(j, r, &y[r]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int run(gca__run *r, const void *spec, const gca_dset *in,
               gca_dset *out)
{
    const agg_spec *s = spec;
    const gca_framework *fw = r->fw;
    int rc = check_keys(r, s);
    if (rc == 0)
        rc = set_weights(r, s);
    if (rc < 0)
        return rc;
    /* Indicator columns of the input; aggregates in it are made anew. */
    size_t nind = 0, maxk = 1;
    for (size_t c = 0; c < in->ncol; c++)
        nind += fw->nodes[in->node[c]].type == GCA_NODE_INDICATOR;
    for (size_t a = 0; a < fw->naggregates; a++)
        if (fw->nodes[fw->aggregates[a]].nchildren > maxk)
            maxk = fw->nodes[fw->aggregates[a]].nchildren;
    rc = gca__dset_alloc(r, out->name, in->nrow, nind + fw->naggregates, out);
    if (rc < 0)
        return rc;
    memcpy(out->ucode, in->ucode, in->nrow * sizeof *in->ucode);
    memcpy(out->unit, in->unit, in->nrow * sizeof *in->unit);
    size_t col = 0;
    for (size_t c = 0; c < in->ncol; c++) {
        if (fw->nodes[in->node[c]].type != GCA_NODE_INDICATOR)
            continue;
        out->node[col] = in->node[c];
        out->icode[col] = in->icode[c];
        memcpy(&out->v[col * in->nrow], &in->v[c * in->nrow],
               in->nrow * sizeof *in->v);
        col++;
    }
    for (size_t a = 0; a < fw->naggregates; a++) {
        out->node[col + a] = fw->aggregates[a];
        out->icode[col + a] = fw->nodes[fw->aggregates[a]].code;
    }
    job j = {0};
    j.run = r;
    j.d = out;
    int *cols = gca_malloc(maxk * sizeof *cols);
    double *w = gca_malloc(maxk * sizeof *w);
    j.x = gca_malloc(maxk * sizeof *j.x);
    j.a = gca_malloc(maxk * sizeof *j.a);
    j.b = gca_malloc(2 * maxk * sizeof *j.b);
    j.v = gca_malloc(maxk * sizeof *j.v);
    if (!cols || !w || !j.x || !j.a || !j.b || !j.v) {
        rc = gca_fail(r->err, GCA_ENOMEM, r->where, 0, 0, "out of memory");
        goto out;
    }
    j.col = cols;
    j.w = w;
    /* fw->aggregates is ordered by level, so children come first. */
    for (size_t a = 0; a < fw->naggregates && rc == 0; a++) {
        j.nd = &fw->nodes[fw->aggregates[a]];
        rc = aggregate_node(r, s, &j, out, (int)(col + a));
    }
    /* A parameter for every aggregate that none of them takes is a
     * mistake, not something to ignore. */
    for (int k = 0; k < NPARAMS && rc == 0; k++)
        for (size_t i = 0; i < s->nrules && rc == 0; i++)
            if (!*s->rules[i].key && s->rules[i].has[k] && !j.used[k])
                rc = gca_fail(r->err, GCA_EMETHOD, r->where, 0, 0,
                              "parameter '%s' applies to none of the "
                              "aggregation functions used", param_names[k]);
out:
    gca_free(cols);
    gca_free(w);
    gca_free(j.x);
    gca_free(j.a);
    gca_free(j.b);
    gca_free(j.v);
    return rc;
}

const gca__step_ops gca__step_aggregate = {
    "aggregate", "Aggregated", sizeof(agg_spec), parse, run};
