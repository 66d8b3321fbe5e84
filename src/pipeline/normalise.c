/* normalise.c - the "normalise" step, COINr's Normalise(): each indicator
 * is multiplied by its direction (+1/-1) and then rescaled by one of
 * COINr's n_* functions, with COINr's formulas evaluated in R's order.
 * Method: docs/method.md#normalise.
 *
 * Parameters: f_n (n_minmax, n_zscore, n_scaled, n_dist2max, n_dist2ref,
 * n_dist2targ, n_fracmax, n_rank, n_borda, n_prank, n_goalposts, none;
 * default n_minmax), the function's own parameters flat or nested under
 * f_n_para (l_u, m_sd, npara + scale_factor, iref + cap_max, cap_max,
 * ties.method, gposts + trunc2posts), use_iMeta (or f_n_para:
 * "use_iMeta": per-indicator parameters from the framework, COINr's iMeta
 * columns minmax_lower, goalpost_upper, ...), directions (default true)
 * and indiv_specs {"iCode": "f_n name" | {the same keys}}. As in COINr an
 * indiv_specs entry replaces the global specification for its indicator.
 * n_dist2targ always takes the framework's targets.
 *
 * Differences from COINr (COINr's behaviour under compat "coinr"):
 * a division by zero (zero range, reference or target equal to the
 * minimum, maximum 0, a single value) fails naming the indicator instead
 * of giving NaN/Inf; a reference unit without a value fails instead of
 * giving NA; goalposts given in the method are in the indicator's own
 * units, flipped with its direction like those from the framework (COINr
 * applies them unflipped to the direction-adjusted data). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "pipeline/step.h"
#include "core/banned.h"

enum nfn {
    N_NONE, N_MINMAX, N_ZSCORE, N_SCALED, N_DIST2MAX, N_DIST2REF,
    N_DIST2TARG, N_FRACMAX, N_RANK, N_BORDA, N_PRANK, N_GOALPOSTS
};

static const char *const fn_names[] = {
    "none",        "n_minmax",  "n_zscore", "n_scaled",
    "n_dist2max",  "n_dist2ref", "n_dist2targ", "n_fracmax",
    "n_rank",      "n_borda",   "n_prank",  "n_goalposts", NULL};

enum ties { TIES_MIN, TIES_MAX, TIES_AVERAGE };
static const char *const ties_names[] = {"min", "max", "average", NULL};

/* The normalisation of one indicator. */
typedef struct nspec {
    int fn;               /* enum nfn */
    int use_imeta;        /* parameters from the framework's nodes */
    double ab[2];         /* l_u, m_sd, npara or gposts[0..1] */
    double scale;         /* scale_factor or gposts[2] */
    int trunc;            /* trunc2posts */
    int cap_max;
    int ties;             /* enum ties */
    long iref;            /* 1-based row of the reference, 0 = by code */
    const char *iref_code;
} nspec;

typedef struct nindiv {
    const char *icode;
    nspec spec;
} nindiv;

typedef struct norm_spec {
    nspec global;
    int directions;
    nindiv *ind;
    size_t nind;
} norm_spec;

/* ====== Parameters ====== */

/* Parameters each function takes (besides f_n, f_n_para, use_iMeta). */
static const char *const fn_params[][3] = {
    [N_NONE] = {NULL},
    [N_MINMAX] = {"l_u", NULL},
    [N_ZSCORE] = {"m_sd", NULL},
    [N_SCALED] = {"npara", "scale_factor", NULL},
    [N_DIST2MAX] = {NULL},
    [N_DIST2REF] = {"iref", "cap_max", NULL},
    [N_DIST2TARG] = {"cap_max", NULL},
    [N_FRACMAX] = {NULL},
    [N_RANK] = {"ties.method", NULL},
    [N_BORDA] = {"ties.method", NULL},
    [N_PRANK] = {"ties.method", NULL},
    [N_GOALPOSTS] = {"gposts", "trunc2posts", NULL},
};

static const char *const all_fn_params[] = {
    "l_u",  "m_sd",    "npara",       "scale_factor", "iref",
    "cap_max", "gposts", "trunc2posts", "ties.method",  NULL};

static const char *const spec_keys[] = {
    "f_n",  "f_n_para", "use_iMeta",   "l_u",         "m_sd",
    "npara", "scale_factor", "iref",   "cap_max",     "gposts",
    "trunc2posts", "ties.method", NULL};

static const char *const top_keys[] = {
    "f_n",  "f_n_para", "use_iMeta",   "l_u",         "m_sd",
    "npara", "scale_factor", "iref",   "cap_max",     "gposts",
    "trunc2posts", "ties.method", "directions", "indiv_specs", NULL};

static int oom(gca_err *err, const char *where)
{
    return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
}

static int parse_fn(const json_t *obj, nspec *s, const char *where,
                    gca_err *err)
{
    json_t *v = json_object_get(obj, "f_n");
    if (!v)
        return 0;
    const char *name = json_string_value(v);
    int fn = name ? gca__name_index(name, fn_names) : -1;
    if (fn < 0)
        return gca__method_fail(err, where,
                                "unknown normalisation function '%.60s' "
                                "(known: n_minmax, n_zscore, n_scaled, "
                                "n_dist2max, n_dist2ref, n_dist2targ, "
                                "n_fracmax, n_rank, n_borda, n_prank, "
                                "n_goalposts, none)",
                                name ? name : "(not a string)");
    s->fn = fn;
    return 0;
}

/* Collect the function parameters given flat in `obj` or nested in its
 * f_n_para object into `into`; a parameter given both ways is an error. */
static int gather(const json_t *obj, json_t *into, nspec *s,
                  const char *where, gca_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (gca__name_index(key, all_fn_params) >= 0 &&
            json_object_set(into, key, v) < 0)
            return oom(err, where);
    }
    json_t *para = json_object_get(obj, "f_n_para");
    if (!para || json_is_null(para))
        return 0;
    if (json_is_string(para) &&
        !strcmp(json_string_value(para), "use_iMeta")) {
        s->use_imeta = 1;
        return 0;
    }
    if (!json_is_object(para))
        return gca__method_fail(err, where,
                                "'f_n_para' must be an object of parameters "
                                "or \"use_iMeta\"");
    json_object_foreach(para, key, v)
    {
        if (gca__name_index(key, all_fn_params) < 0)
            return gca__method_fail(err, where,
                                    "unknown parameter 'f_n_para.%.60s'", key);
        if (json_object_get(into, key))
            return gca__method_fail(err, where,
                                    "parameter '%.60s' is given twice (flat "
                                    "and in f_n_para)", key);
        if (json_object_set(into, key, v) < 0)
            return oom(err, where);
    }
    return 0;
}

static int check_applies(const json_t *p, const nspec *s, const char *where,
                         gca_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)p, key, v)
    {
        (void)v;
        const char *const *ok = fn_params[s->fn];
        int found = 0;
        for (int i = 0; ok[i]; i++)
            found |= !strcmp(ok[i], key);
        if (!found)
            return gca__method_fail(err, where,
                                    "parameter '%.60s' does not apply to %s",
                                    key, fn_names[s->fn]);
        /* n_dist2targ's cap_max is the default for indicators without
         * dist2targ_cap_max; everything else comes from the framework. */
        if (s->use_imeta && s->fn != N_DIST2TARG)
            return gca__method_fail(err, where,
                                    "parameter '%.60s' cannot be combined "
                                    "with use_iMeta (the framework gives "
                                    "the parameters)", key);
    }
    return 0;
}

static int parse_iref(const json_t *p, nspec *s, const char *where,
                      gca_arena *arena, gca_err *err)
{
    json_t *v = json_object_get(p, "iref");
    if (!v) {
        if (s->fn == N_DIST2REF)
            return gca__method_fail(err, where,
                                    "n_dist2ref needs 'iref' (the reference "
                                    "unit: a uCode or a row number)");
        return 0;
    }
    if (json_is_string(v)) {
        s->iref_code = gca_arena_strdup(arena, json_string_value(v));
        return s->iref_code ? 0 : oom(err, where);
    }
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    if (!(x >= 1 && x <= 1e9 && x == floor(x)))
        return gca__method_fail(err, where,
                                "parameter 'iref' must be a uCode or a row "
                                "number >= 1");
    s->iref = (long)x;
    return 0;
}

static int parse_values(const json_t *p, nspec *s, gca_arena *arena,
                        const char *where, gca_err *err)
{
    int rc = 0;
    double g[4] = {NAN, NAN, NAN, NAN};
    const char *ties = NULL;
    if (s->fn == N_MINMAX || s->fn == N_ZSCORE || s->fn == N_SCALED) {
        const char *key = s->fn == N_MINMAX ? "l_u"
                          : s->fn == N_ZSCORE ? "m_sd" : "npara";
        rc = gca__param_numbers(p, key, 2, s->ab, where, err);
        if (rc == 0 && !(isfinite(s->ab[0]) && isfinite(s->ab[1])))
            return gca__method_fail(err, where,
                                    "parameter '%s' must be two finite "
                                    "numbers", key);
        if (rc == 0 && s->fn == N_ZSCORE && !(s->ab[1] > 0))
            return gca__method_fail(err, where,
                                    "the standard deviation in 'm_sd' must "
                                    "be > 0");
        if (rc == 0 && s->fn == N_SCALED && s->ab[0] == s->ab[1])
            return gca__method_fail(err, where,
                                    "the two values of 'npara' must differ");
    }
    if (rc == 0)
        rc = gca__param_number(p, "scale_factor", &s->scale, where, err);
    if (rc == 0 && !isfinite(s->scale))
        return gca__method_fail(err, where,
                                "parameter 'scale_factor' must be a finite "
                                "number");
    if (rc == 0)
        rc = gca__param_bool(p, "cap_max", &s->cap_max, where, err);
    if (rc == 0)
        rc = gca__param_bool(p, "trunc2posts", &s->trunc, where, err);
    if (rc == 0)
        rc = gca__param_string(p, "ties.method", arena, &ties, where, err);
    if (rc == 0 && ties) {
        s->ties = gca__name_index(ties, ties_names);
        if (s->ties < 0)
            return gca__method_fail(err, where,
                                    "'ties.method' must be \"min\", \"max\" "
                                    "or \"average\"");
    }
    if (rc == 0)
        rc = parse_iref(p, s, where, arena, err);
    if (rc < 0 || s->fn != N_GOALPOSTS || s->use_imeta)
        return rc;
    json_t *gp = json_object_get(p, "gposts");
    size_t n = json_array_size(gp);
    if (!gp)
        return gca__method_fail(err, where,
                                "n_goalposts needs 'gposts' [lower, upper, "
                                "scale] or use_iMeta");
    if (n != 3 && n != 4)
        return gca__method_fail(err, where,
                                "parameter 'gposts' must be [lower, upper, "
                                "scale] or [lower, upper, scale, trunc]");
    rc = gca__param_numbers(p, "gposts", n, g, where, err);
    if (rc < 0)
        return rc;
    if (!(isfinite(g[0]) && isfinite(g[1]) && isfinite(g[2])) ||
        g[0] == g[1])
        return gca__method_fail(err, where,
                                "'gposts' needs finite numbers and two "
                                "different goalposts");
    if (n == 4) {
        if (g[3] != 0 && g[3] != 1)
            return gca__method_fail(err, where,
                                    "the fourth value of 'gposts' (trunc) "
                                    "must be 0 or 1");
        if (json_object_get(p, "trunc2posts"))
            return gca__method_fail(err, where,
                                    "truncation is given twice (gposts[4] "
                                    "and trunc2posts)");
        s->trunc = g[3] == 1;
    }
    s->ab[0] = g[0];
    s->ab[1] = g[1];
    s->scale = g[2];
    return 0;
}

/* Read one specification (the step object or an indiv_specs entry). */
static int parse_nspec(const json_t *obj, nspec *s, gca_arena *arena,
                       const char *where, gca_err *err)
{
    /* COINr's defaults: n_minmax to [0, 100], etc. */
    *s = (nspec){N_MINMAX, 0, {0, 100}, 100, 1, 0, TIES_MIN, 0, NULL};
    int rc = parse_fn(obj, s, where, err);
    if (rc < 0)
        return rc;
    if (s->fn == N_ZSCORE) {
        s->ab[0] = 0;
        s->ab[1] = 1;
    }
    rc = gca__param_bool(obj, "use_iMeta", &s->use_imeta, where, err);
    if (rc < 0)
        return rc;
    json_t *p = json_object();
    if (!p)
        return oom(err, where);
    rc = gather(obj, p, s, where, err);
    if (rc == 0 && s->use_imeta && s->fn != N_MINMAX && s->fn != N_ZSCORE &&
        s->fn != N_SCALED && s->fn != N_DIST2TARG && s->fn != N_GOALPOSTS)
        rc = gca__method_fail(err, where,
                              "%s takes no parameters from the framework "
                              "(use_iMeta works with n_minmax, n_zscore, "
                              "n_scaled, n_dist2targ and n_goalposts)",
                              fn_names[s->fn]);
    if (rc == 0)
        rc = check_applies(p, s, where, err);
    if (rc == 0)
        rc = parse_values(p, s, arena, where, err);
    json_decref(p);
    return rc;
}

static int parse_indiv(const json_t *v, norm_spec *ns, gca_arena *arena,
                       const char *where, gca_err *err)
{
    if (!json_is_object(v))
        return gca__method_fail(err, where,
                                "'indiv_specs' must be an object {\"iCode\": "
                                "{...}}");
    ns->ind = gca_arena_array(arena, json_object_size(v) + 1,
                              sizeof *ns->ind);
    if (!ns->ind)
        return oom(err, where);
    const char *key;
    json_t *e;
    json_object_foreach((json_t *)v, key, e)
    {
        char w[320];
        snprintf(w, sizeof w, "%s: indiv_specs '%.60s'", where, key);
        nindiv *ind = &ns->ind[ns->nind];
        ind->icode = gca_arena_strdup(arena, key);
        if (!ind->icode)
            return oom(err, where);
        int rc;
        if (json_is_string(e)) {
            json_t *o = json_pack("{s:O}", "f_n", e);
            if (!o)
                return oom(err, where);
            rc = parse_nspec(o, &ind->spec, arena, w, err);
            json_decref(o);
        } else if (json_is_object(e)) {
            rc = gca__params_only(e, spec_keys, w, err);
            if (rc == 0)
                rc = parse_nspec(e, &ind->spec, arena, w, err);
        } else {
            rc = gca__method_fail(err, w,
                                  "must be a function name or an object");
        }
        if (rc < 0)
            return rc;
        ns->nind++;
    }
    return 0;
}

static int parse(const json_t *obj, void *spec, gca_arena *arena,
                 const char *where, gca_err *err)
{
    norm_spec *ns = spec;
    int rc = gca__params_only(obj, top_keys, where, err);
    if (rc < 0)
        return rc;
    rc = parse_nspec(obj, &ns->global, arena, where, err);
    if (rc < 0)
        return rc;
    ns->directions = 1;
    rc = gca__param_bool(obj, "directions", &ns->directions, where, err);
    if (rc < 0)
        return rc;
    json_t *ind = json_object_get(obj, "indiv_specs");
    if (ind && !json_is_null(ind))
        rc = parse_indiv(ind, ns, arena, where, err);
    return rc;
}

/* ====== Run ====== */

/* Per-indicator numbers after use_iMeta and direction are resolved. */
typedef struct resolved {
    double a, b, scale, targ;
    int trunc, cap_max;
} resolved;

static int need_param(gca__run *run, const gca_node *nd, const char *name,
                      double *out)
{
    *out = gca__node_param(nd, name);
    if (isnan(*out))
        return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                        "indicator '%s' has no parameter '%s' in the "
                        "framework (needed by use_iMeta)", nd->code, name);
    return 0;
}

/* Posts or bounds in the indicator's own units, moved into the
 * direction-adjusted space: for direction -1, (lo, hi) -> (-hi, -lo). */
static void flip(double d, double lo, double hi, resolved *r)
{
    if (d < 0) {
        r->a = hi * d;
        r->b = lo * d;
    } else {
        r->a = lo;
        r->b = hi;
    }
}

static int resolve(gca__run *run, const nspec *s, const gca_node *nd,
                   double d, resolved *r)
{
    int rc = 0;
    double lo = s->ab[0], hi = s->ab[1], sc = s->scale, t = 1;
    *r = (resolved){s->ab[0], s->ab[1], s->scale, NAN, s->trunc, s->cap_max};
    if (s->fn == N_DIST2TARG) {
        if (isnan(nd->target))
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "indicator '%s' has no target (n_dist2targ "
                            "needs one per indicator)", nd->code);
        r->targ = nd->target * d;
        double cap = gca__node_param(nd, "dist2targ_cap_max");
        if (s->use_imeta && !isnan(cap))
            r->cap_max = cap != 0;
        return 0;
    }
    if (!s->use_imeta) {
        if (s->fn == N_GOALPOSTS && !run->compat_coinr)
            flip(d, lo, hi, r);
        return 0;
    }
    switch (s->fn) {
    case N_MINMAX:
        rc = need_param(run, nd, "minmax_lower", &r->a);
        if (rc == 0)
            rc = need_param(run, nd, "minmax_upper", &r->b);
        break;
    case N_ZSCORE:
        rc = need_param(run, nd, "zscore_mean", &r->a);
        if (rc == 0)
            rc = need_param(run, nd, "zscore_sd", &r->b);
        if (rc == 0 && !(r->b > 0))
            rc = gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                          "indicator '%s': zscore_sd must be > 0", nd->code);
        break;
    case N_SCALED:
    case N_GOALPOSTS: {
        int gp = s->fn == N_GOALPOSTS;
        rc = need_param(run, nd, gp ? "goalpost_lower" : "scaled_lower", &lo);
        if (rc == 0)
            rc = need_param(run, nd, gp ? "goalpost_upper" : "scaled_upper",
                            &hi);
        if (rc == 0)
            rc = need_param(run, nd, gp ? "goalpost_scale" : "scale_factor",
                            &sc);
        if (rc < 0)
            break;
        flip(d, lo, hi, r);
        r->scale = sc;
        if (gp) {
            /* COINr's column name, or the shorter goalpost_trunc. */
            t = gca__node_param(nd, "goalpost_trunc2posts");
            if (isnan(t))
                t = gca__node_param(nd, "goalpost_trunc");
            r->trunc = isnan(t) ? 1 : t != 0;
        }
        break;
    }
    default:
        break;
    }
    return rc;
}

static int zero_div(gca__run *run, const gca_node *nd, int fn,
                    const char *what)
{
    return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                    "indicator '%s' (%s): %s, so the normalised values "
                    "would divide by zero (compat \"coinr\" gives NaN/Inf "
                    "as COINr)", nd->code, fn_names[fn], what);
}

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* R's rank(x, ties.method, na.last = "keep"): 1 = smallest. */
static void rank_up(const double *x, size_t n, int ties, ranked *work,
                    double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = NAN;
        if (!isnan(x[i]))
            work[m++] = (ranked){x[i], i};
    }
    qsort(work, m, sizeof *work, cmp_ranked);
    for (size_t k = 0; k < m;) {
        size_t e = k;
        while (e + 1 < m && work[e + 1].v == work[k].v)
            e++;
        double rk = ties == TIES_MIN   ? (double)k + 1
                    : ties == TIES_MAX ? (double)e + 1
                                       : ((double)k + 1 + (double)e + 1) / 2;
        for (size_t j = k; j <= e; j++)
            out[work[j].i] = rk;
        k = e + 1;
    }
}

/* Normalise x[0..n) (already direction-adjusted) into y. */
static int apply(gca__run *run, const nspec *s, const resolved *p,
                 const gca_node *nd, const gca_dset *in, const double *x,
                 size_t n, ranked *work, double *y)
{
    int compat = run->compat_coinr;
    size_t k = gca__count(x, n);
    double mn = gca__min(x, n), mx = gca__max(x, n);
    if (k == 0) {
        for (size_t i = 0; i < n; i++)
            y[i] = NAN; /* no data: nothing to scale */
        return 0;
    }
    switch (s->fn) {
    case N_NONE:
        memcpy(y, x, n * sizeof *y);
        break;
    case N_MINMAX:
        if (mn == mx && !compat)
            return zero_div(run, nd, s->fn, "every value is the same");
        for (size_t i = 0; i < n; i++)
            y[i] = (x[i] - mn) / (mx - mn) * (p->b - p->a) + p->a;
        break;
    case N_ZSCORE: {
        double m = gca__mean(x, n), sd = gca__sd(x, n);
        if (!(sd > 0) && !compat)
            return zero_div(run, nd, s->fn,
                            k < 2 ? "it has fewer than two values"
                                  : "its standard deviation is zero");
        for (size_t i = 0; i < n; i++)
            y[i] = (x[i] - m) / sd * p->b + p->a;
        break;
    }
    case N_SCALED:
    case N_GOALPOSTS:
        if (p->a == p->b && !compat)
            return zero_div(run, nd, s->fn, "its two bounds are equal");
        for (size_t i = 0; i < n; i++) {
            if (s->fn == N_SCALED) {
                y[i] = (x[i] - p->a) / (p->b - p->a) * p->scale;
                continue;
            }
            double v = (x[i] - p->a) / (p->b - p->a);
            if (p->trunc && v > 1)
                v = 1;
            if (p->trunc && v < 0)
                v = 0;
            y[i] = v * p->scale;
        }
        break;
    case N_DIST2MAX:
        if (mn == mx && !compat)
            return zero_div(run, nd, s->fn, "every value is the same");
        for (size_t i = 0; i < n; i++)
            y[i] = 1 - (mx - x[i]) / (mx - mn);
        break;
    case N_DIST2REF: {
        int row = s->iref_code ? gca__dset_row(in, s->iref_code)
                               : (int)s->iref - 1;
        if (row < 0 || (size_t)row >= n)
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "reference unit '%s' of n_dist2ref is not in "
                            "the data (%zu units)",
                            s->iref_code ? s->iref_code : "(row number)", n);
        double ref = x[row];
        if (isnan(ref) && !compat)
            return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                            "indicator '%s' (n_dist2ref): the reference "
                            "unit '%s' has no value", nd->code,
                            in->ucode[row]);
        if (ref == mn && !compat)
            return zero_div(run, nd, s->fn,
                            "the reference unit has the minimum value");
        for (size_t i = 0; i < n; i++) {
            y[i] = 1 - (ref - x[i]) / (ref - mn);
            if (p->cap_max && y[i] > 1)
                y[i] = 1;
        }
        break;
    }
    case N_DIST2TARG:
        if (p->targ == mn && !compat)
            return zero_div(run, nd, s->fn,
                            "the target equals the minimum value");
        for (size_t i = 0; i < n; i++) {
            y[i] = (x[i] - mn) / (p->targ - mn);
            if (p->cap_max && y[i] > 1)
                y[i] = 1;
        }
        break;
    case N_FRACMAX:
        if (mx == 0 && !compat)
            return zero_div(run, nd, s->fn, "its maximum is zero");
        for (size_t i = 0; i < n; i++)
            y[i] = x[i] / mx;
        break;
    case N_RANK:
    case N_BORDA:
    case N_PRANK:
        if (s->fn == N_PRANK && k == 1 && !compat)
            return zero_div(run, nd, s->fn, "it has a single value");
        rank_up(x, n, s->ties, work, y);
        for (size_t i = 0; i < n; i++) {
            if (s->fn == N_BORDA)
                y[i] -= 1;
            else if (s->fn == N_PRANK)
                y[i] = (y[i] - 1) / ((double)k - 1);
        }
        break;
    default:
        return gca_fail(run->err, GCA_EINTERNAL, run->where, 0, 0,
                        "unknown normalisation function");
    }
    return 0;
}

static const nspec *spec_for(const norm_spec *ns, const char *icode)
{
    for (size_t i = 0; i < ns->nind; i++)
        if (!strcmp(ns->ind[i].icode, icode))
            return &ns->ind[i].spec;
    return &ns->global;
}

static int run(gca__run *r, const void *spec, const gca_dset *in,
               gca_dset *out)
{
    const norm_spec *ns = spec;
    const gca_framework *fw = r->fw;
    size_t n = in->nrow;
    for (size_t i = 0; i < ns->nind; i++) {
        int node = gca__framework_find(fw, ns->ind[i].icode);
        if (node < 0 || gca__dset_col(in, node) < 0)
            return gca_fail(r->err, GCA_EMETHOD, r->where, 0, 0,
                            "indiv_specs names '%s', which is not a column "
                            "of data set '%s'", ns->ind[i].icode, in->name);
    }
    int rc = gca__dset_copy(r, in, out->name, out);
    if (rc < 0)
        return rc;
    double *x = gca_malloc((n + 1) * sizeof *x);
    ranked *work = gca_malloc((n + 1) * sizeof *work);
    if (!x || !work) {
        rc = gca_fail(r->err, GCA_ENOMEM, r->where, 0, 0, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < in->ncol; c++) {
        const gca_node *nd = &fw->nodes[in->node[c]];
        const nspec *s = spec_for(ns, in->icode[c]);
        double d = ns->directions ? (double)nd->direction : 1.0;
        resolved p;
        rc = resolve(r, s, nd, d, &p);
        if (rc < 0)
            goto out;
        /* x * direction as R does it: 0 * -1 is -0, which matters for
         * n_fracmax (x / -0 is -Inf). */
        for (size_t i = 0; i < n; i++)
            x[i] = GCA_DSET_AT(in, i, c) * d;
        rc = apply(r, s, &p, nd, in, x, n, work, &out->v[c * n]);
        if (rc < 0)
            goto out;
    }
out:
    gca_free(x);
    gca_free(work);
    return rc;
}

const gca__step_ops gca__step_normalise = {
    "normalise", "Normalised", sizeof(norm_spec), parse, run};
