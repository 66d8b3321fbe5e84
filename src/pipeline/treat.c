/* treat.c - the "treat" step: outlier treatment as COINr's Treat(). An
 * indicator passes if |skew| < skew_thresh or kurtosis < kurt_thresh; one
 * that fails is winsorised (the highest or lowest value, by the sign of
 * the skew, set to the next one, until it passes or winmax points are
 * winsorised); if it still fails, f2 (log_CT by default) is applied to the
 * original data (to the winsorised data with combine_treat). Reports
 * "treat_details" and "treat_points" with COINr's columns.
 * Method: docs/method.md#treat.
 *
 * Parameters (COINr's f1_para, f2_para, f_pass_para flattened, or nested
 * under those names): f1 ("winsorise"), winmax (null = no limit),
 * skew_thresh, kurt_thresh (both winsorise's and the pass check's),
 * force_win, f2 ("log_CT" default, "log_CT_orig", "log_CT_plus",
 * "log_GII", "boxcox" with lambda and makepos, "none"), f_pass
 * ("check_SkewKurt"), combine_treat, disable, and indiv_specs: {"iCode":
 * "none" | {the same keys}}.
 *
 * COINr bugs reproduced only under compat "coinr": force_win is ignored
 * when the indicator passes at first (COINr issue #53); an indiv_specs
 * entry drops the global parameters of every function it does not name
 * (falling back to the functions' defaults, na.rm = FALSE included);
 * log_GII returns the data untransformed; treated points are labelled
 * "winhi+log_CT" / "+log_CT" even where winsorisation was discarded. */
#include <math.h>
#include <string.h>

#include "analysis/stats.h"
#include "pipeline/step.h"
#include "core/banned.h"

enum f2_fn { F2_NONE, F2_LOG_CT, F2_LOG_CT_ORIG, F2_LOG_CT_PLUS, F2_LOG_GII,
             F2_BOXCOX };

static const char *const f2_names[] = {"none",        "log_CT",
                                       "log_CT_orig", "log_CT_plus",
                                       "log_GII",     "boxcox", NULL};

/* Treatment of one indicator. */
typedef struct tspec {
    int none;              /* leave the indicator untreated */
    int f2;                /* enum f2_fn */
    double winmax;         /* INFINITY = no limit */
    double w_skew, w_kurt; /* winsorise's own check */
    int force_win;
    double p_skew, p_kurt; /* the pass check (f_pass) */
    double lambda;         /* boxcox; NaN = not given */
    int makepos;
    /* na.rm of winsorise, f2 and the check: only false under compat, when
     * an indiv_specs entry dropped the parameters (see top). */
    int narm1, narm2, narmp;
} tspec;

typedef struct indiv {
    const char *icode;
    tspec spec;   /* merged onto the global specification */
    tspec compat; /* merged as COINr does (compat "coinr") */
} indiv;

typedef struct treat_spec {
    tspec global;
    int combine;
    int disable;
    indiv *ind;
    size_t nind;
} treat_spec;

/* COINr's Treat() defaults (specs_def). */
static const tspec treat_defaults = {
    0, F2_LOG_CT, 5, 2, 3.5, 0, 2, 3.5, NAN, 1, 1, 1, 1};

/* The functions' own defaults, which COINr falls back to for the
 * functions an indiv_specs entry does not name. */
static const tspec fn_defaults = {
    0, F2_LOG_CT, 5, 2, 3.5, 0, 2, 3.5, NAN, 1, 0, 0, 0};

/* ====== Parameters ====== */

static const char *const spec_keys[] = {
    "f1",        "f2",        "f_pass",  "winmax", "skew_thresh",
    "kurt_thresh", "force_win", "lambda", "makepos", "f1_para",
    "f2_para",   "f_pass_para", NULL};

static const char *const top_keys[] = {
    "f1",        "f2",        "f_pass",  "winmax", "skew_thresh",
    "kurt_thresh", "force_win", "lambda", "makepos", "f1_para",
    "f2_para",   "f_pass_para", "combine_treat", "disable", "indiv_specs",
    NULL};

/* na.rm may be given (COINr writes it) but only as true. */
static int param_narm(const json_t *obj, int *out, const char *where,
                      gca_err *err)
{
    int v = -1;
    int rc = gca__param_bool(obj, "na.rm", &v, where, err);
    if (rc < 0)
        return rc;
    if (v == 0)
        return gca__method_fail(err, where,
                                "parameter 'na.rm' can only be true");
    if (v == 1)
        *out = 1;
    return 0;
}

static int param_winmax(const json_t *obj, tspec *t, const char *where,
                        gca_err *err)
{
    json_t *v = json_object_get(obj, "winmax");
    if (!v)
        return 0;
    if (json_is_null(v)) {
        t->winmax = INFINITY;
        return 0;
    }
    double w = NAN;
    int rc = gca__param_number(obj, "winmax", &w, where, err);
    if (rc < 0)
        return rc;
    if (!(w >= 0))
        return gca__method_fail(err, where,
                                "parameter 'winmax' must be a number >= 0 or "
                                "null (no limit)");
    t->winmax = w;
    return 0;
}

static int param_thresh(const json_t *obj, const char *key, double *a,
                        double *b, const char *where, gca_err *err)
{
    double v = NAN;
    if (!json_object_get(obj, key))
        return 0;
    int rc = gca__param_number(obj, key, &v, where, err);
    if (rc < 0)
        return rc;
    if (isnan(v))
        return gca__method_fail(err, where, "parameter '%s' must be a number",
                                key);
    *a = v;
    if (b)
        *b = v;
    return 0;
}

static int parse_f1_para(const json_t *p, tspec *t, const char *where,
                         gca_err *err)
{
    static const char *const keys[] = {"winmax", "skew_thresh", "kurt_thresh",
                                       "force_win", "na.rm", NULL};
    if (!json_is_object(p))
        return gca__method_fail(err, where,
                                "parameter 'f1_para' must be an object");
    int rc = gca__params_only(p, keys, where, err);
    if (rc == 0)
        rc = param_winmax(p, t, where, err);
    if (rc == 0)
        rc = param_thresh(p, "skew_thresh", &t->w_skew, NULL, where, err);
    if (rc == 0)
        rc = param_thresh(p, "kurt_thresh", &t->w_kurt, NULL, where, err);
    if (rc == 0)
        rc = gca__param_bool(p, "force_win", &t->force_win, where, err);
    if (rc == 0)
        rc = param_narm(p, &t->narm1, where, err);
    return rc;
}

static int parse_f2_para(const json_t *p, tspec *t, const char *where,
                         gca_err *err)
{
    static const char *const keys[] = {"lambda", "makepos", "na.rm", NULL};
    if (!json_is_object(p))
        return gca__method_fail(err, where,
                                "parameter 'f2_para' must be an object");
    int rc = gca__params_only(p, keys, where, err);
    if (rc == 0)
        rc = param_thresh(p, "lambda", &t->lambda, NULL, where, err);
    if (rc == 0)
        rc = gca__param_bool(p, "makepos", &t->makepos, where, err);
    if (rc == 0)
        rc = param_narm(p, &t->narm2, where, err);
    return rc;
}

static int parse_fp_para(const json_t *p, tspec *t, const char *where,
                         gca_err *err)
{
    static const char *const keys[] = {"skew_thresh", "kurt_thresh", "na.rm",
                                       NULL};
    if (!json_is_object(p))
        return gca__method_fail(err, where,
                                "parameter 'f_pass_para' must be an object");
    int rc = gca__params_only(p, keys, where, err);
    if (rc == 0)
        rc = param_thresh(p, "skew_thresh", &t->p_skew, NULL, where, err);
    if (rc == 0)
        rc = param_thresh(p, "kurt_thresh", &t->p_kurt, NULL, where, err);
    if (rc == 0)
        rc = param_narm(p, &t->narmp, where, err);
    return rc;
}

/* Function names: f1 and f_pass have one choice each, f2 several. */
static int parse_names(const json_t *obj, tspec *t, gca_arena *arena,
                       const char *where, gca_err *err)
{
    const char *f1 = NULL, *f2 = NULL, *fp = NULL;
    int rc = gca__param_string(obj, "f1", arena, &f1, where, err);
    if (rc == 0)
        rc = gca__param_string(obj, "f2", arena, &f2, where, err);
    if (rc == 0)
        rc = gca__param_string(obj, "f_pass", arena, &fp, where, err);
    if (rc < 0)
        return rc;
    if (f1 && strcmp(f1, "winsorise"))
        return gca__method_fail(err, where,
                                "unknown treatment function f1 '%.60s' "
                                "(known: winsorise)",
                                f1);
    if (fp && strcmp(fp, "check_SkewKurt"))
        return gca__method_fail(err, where,
                                "unknown pass function f_pass '%.60s' "
                                "(known: check_SkewKurt)",
                                fp);
    if (f2) {
        int k = gca__name_index(f2, f2_names);
        if (k < 0)
            return gca__method_fail(err, where,
                                    "unknown treatment function f2 '%.60s' "
                                    "(known: log_CT, log_CT_orig, "
                                    "log_CT_plus, log_GII, boxcox, none)",
                                    f2);
        t->f2 = k;
    }
    return 0;
}

/* Apply the keys of `obj` to `t`: flat ones first, then the nested
 * f1_para, f2_para and f_pass_para, which are more specific. */
static int apply_keys(const json_t *obj, tspec *t, gca_arena *arena,
                      const char *where, gca_err *err)
{
    int rc = parse_names(obj, t, arena, where, err);
    if (rc == 0)
        rc = param_winmax(obj, t, where, err);
    if (rc == 0)
        rc = param_thresh(obj, "skew_thresh", &t->w_skew, &t->p_skew, where,
                          err);
    if (rc == 0)
        rc = param_thresh(obj, "kurt_thresh", &t->w_kurt, &t->p_kurt, where,
                          err);
    if (rc == 0)
        rc = gca__param_bool(obj, "force_win", &t->force_win, where, err);
    if (rc == 0)
        rc = param_thresh(obj, "lambda", &t->lambda, NULL, where, err);
    if (rc == 0)
        rc = gca__param_bool(obj, "makepos", &t->makepos, where, err);
    const json_t *p = json_object_get(obj, "f1_para");
    if (rc == 0 && p)
        rc = parse_f1_para(p, t, where, err);
    p = json_object_get(obj, "f2_para");
    if (rc == 0 && p)
        rc = parse_f2_para(p, t, where, err);
    p = json_object_get(obj, "f_pass_para");
    if (rc == 0 && p)
        rc = parse_fp_para(p, t, where, err);
    return rc;
}

static int check_tspec(const tspec *t, const char *icode, const char *where,
                       gca_err *err)
{
    const char *in = icode ? "indiv_specs: " : "";
    if (t->f2 == F2_BOXCOX && isnan(t->lambda))
        return gca__method_fail(err, where,
                                "%s%s%sf2 'boxcox' needs parameter 'lambda'",
                                in, icode ? icode : "", icode ? ": " : "");
    if (t->force_win && isinf(t->winmax))
        return gca__method_fail(err, where,
                                "%s%s%s'force_win' needs a finite 'winmax'",
                                in, icode ? icode : "", icode ? ": " : "");
    return 0;
}

/* COINr's modify_treat_specs(): the parameters of a function the entry
 * does not name (or names differently) are dropped, so the function's own
 * defaults apply. */
static void compat_base(const tspec *g, const json_t *entry, tspec *c)
{
    *c = fn_defaults;
    c->f2 = g->f2;
    const char *f1 = json_string_value(json_object_get(entry, "f1"));
    const char *f2 = json_string_value(json_object_get(entry, "f2"));
    const char *fp = json_string_value(json_object_get(entry, "f_pass"));
    if (f1 && !strcmp(f1, "winsorise")) {
        c->winmax = g->winmax;
        c->w_skew = g->w_skew;
        c->w_kurt = g->w_kurt;
        c->force_win = g->force_win;
        c->narm1 = g->narm1;
    }
    if (f2 && !strcmp(f2, f2_names[g->f2])) {
        c->lambda = g->lambda;
        c->makepos = g->makepos;
        c->narm2 = g->narm2;
    }
    if (fp && !strcmp(fp, "check_SkewKurt")) {
        c->p_skew = g->p_skew;
        c->p_kurt = g->p_kurt;
        c->narmp = g->narmp;
    }
}

static int parse_indiv(const json_t *obj, treat_spec *spec, gca_arena *arena,
                       const char *where, gca_err *err)
{
    if (!json_is_object(obj))
        return gca__method_fail(err, where,
                                "parameter 'indiv_specs' must be an object "
                                "{\"iCode\": \"none\" | {...}}");
    spec->nind = json_object_size(obj);
    spec->ind = gca_arena_array(arena, spec->nind ? spec->nind : 1,
                                sizeof *spec->ind);
    if (!spec->ind)
        return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
    size_t i = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        indiv *d = &spec->ind[i++];
        d->icode = gca_arena_strdup(arena, key);
        if (!d->icode)
            return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
        const char *s = json_string_value(v);
        if (s && !strcmp(s, "none")) {
            d->spec.none = d->compat.none = 1;
            continue;
        }
        if (!json_is_object(v))
            return gca__method_fail(err, where,
                                    "indiv_specs: '%.60s' must be \"none\" or "
                                    "an object of treatment parameters",
                                    key);
        int rc = gca__params_only(v, spec_keys, where, err);
        if (rc < 0)
            return rc;
        d->spec = spec->global;
        compat_base(&spec->global, v, &d->compat);
        rc = apply_keys(v, &d->spec, arena, where, err);
        if (rc == 0)
            rc = apply_keys(v, &d->compat, arena, where, err);
        if (rc == 0)
            rc = check_tspec(&d->spec, key, where, err);
        if (rc < 0)
            return rc;
        /* COINr loops for ever on this; refuse it under compat too. */
        if (d->compat.force_win && isinf(d->compat.winmax))
            return check_tspec(&d->compat, key, where, err);
    }
    return 0;
}

static int parse(const json_t *obj, void *vspec, gca_arena *arena,
                 const char *where, gca_err *err)
{
    treat_spec *spec = vspec;
    spec->global = treat_defaults;
    int rc = gca__params_only(obj, top_keys, where, err);
    if (rc == 0)
        rc = apply_keys(obj, &spec->global, arena, where, err);
    if (rc == 0)
        rc = gca__param_bool(obj, "combine_treat", &spec->combine, where, err);
    if (rc == 0)
        rc = gca__param_bool(obj, "disable", &spec->disable, where, err);
    if (rc == 0)
        rc = check_tspec(&spec->global, NULL, where, err);
    const json_t *ind = json_object_get(obj, "indiv_specs");
    if (rc == 0 && ind && !json_is_null(ind))
        rc = parse_indiv(ind, spec, arena, where, err);
    return rc;
}

/* ====== Treatment of one indicator ====== */

/* R's logical: 1 TRUE, 0 FALSE, -1 NA. */
static int or3(int a, int b)
{
    if (a == 1 || b == 1)
        return 1;
    return a < 0 || b < 0 ? -1 : 0;
}

typedef struct check {
    int pass;
    double skew, kurt;
} check;

/* COINr's check_SkewKurt(); with na.rm false any missing value gives NA. */
static check check_sk(const double *x, size_t n, double st, double kt,
                      int narm)
{
    check c = {-1, NAN, NAN};
    if (!narm && gca__count(x, n) < n)
        return c;
    gca__skew_kurt(x, n, &c.skew, &c.kurt);
    int a = isnan(c.skew) ? -1 : fabs(c.skew) < st;
    int b = isnan(c.kurt) ? -1 : c.kurt < kt;
    c.pass = or3(a, b);
    return c;
}

/* What happened to one indicator. */
typedef struct outcome {
    int row;          /* has a treat_details row */
    int points;       /* has a treat_points column */
    check c[3];       /* before, after winsorising, after f2 */
    int ran1, ran2;   /* winsorise / f2 ran */
    double nwin;
} outcome;

typedef struct tctx {
    gca__run *run;
    size_t n;
    double *x1, *x2;       /* [n] work vectors */
    unsigned char *hi, *lo; /* [n] COINr's last imax / imin */
} tctx;

/* Set the extreme value(s) of x to the next one: the highest when
 * `high`, else the lowest. `mark` receives the positions set (COINr's
 * imax / imin of this round); returns how many. */
static size_t win_once(double *x, size_t n, int high, unsigned char *mark)
{
    double ext = high ? gca__max(x, n) : gca__min(x, n);
    double next = high ? -INFINITY : INFINITY;
    size_t k = 0;
    memset(mark, 0, n);
    for (size_t i = 0; i < n; i++) {
        if (x[i] == ext) {
            mark[i] = 1;
            k++;
        } else if (!isnan(x[i]) && (high ? x[i] > next : x[i] < next)) {
            next = x[i];
        }
    }
    for (size_t i = 0; i < n; i++)
        if (mark[i])
            x[i] = next;
    return k;
}

/* COINr's winsorise() on x (changed in place). Returns 0, or -1 where R
 * would stop with an error (a test on NA), which leaves the indicator
 * untreated. */
static int winsorise(tctx *t, const tspec *s, double *x, double *nwin,
                     check *last)
{
    size_t n = t->n;
    size_t nhi = 0, nlo = 0;
    memset(t->hi, 0, n);
    memset(t->lo, 0, n);
    *nwin = 0;
    /* `last` holds the check of x with winsorise's parameters when the
     * caller has it (NaN skew otherwise), and receives the final one. */
    check c = isnan(last->skew) && isnan(last->kurt)
                  ? check_sk(x, n, s->w_skew, s->w_kurt, s->narm1)
                  : *last;
    *last = c;
    int go = or3(c.pass < 0 ? -1 : !c.pass, s->force_win);
    if (go < 0)
        return -1;
    /* Each round merges the extreme value into the next, so the number of
     * distinct values falls and the loop ends even without winmax. */
    while (go == 1 && *nwin < s->winmax) {
        /* The check's skew is this one unless it stopped at a missing
         * value (na.rm false). */
        double sk = isnan(c.skew) ? gca__skew(x, n) : c.skew;
        if (isnan(sk))
            return -1;
        if (sk >= 0)
            nhi = win_once(x, n, 1, t->hi);
        else
            nlo = win_once(x, n, 0, t->lo);
        *nwin = (double)(nhi + nlo);
        c = check_sk(x, n, s->w_skew, s->w_kurt, s->narm1);
        *last = c;
        go = or3(c.pass < 0 ? -1 : !c.pass, s->force_win);
        if (go < 0 && *nwin < s->winmax)
            return -1;
    }
    return 0;
}

/* f2 on x (in place). Returns 0, or -1 where R would stop. `label`
 * receives the points' label. */
static int apply_f2(const tspec *s, int compat, double *x, size_t n,
                    const char **label)
{
    int narm = s->narm2;
    double mn = gca__min(x, n), mx = gca__max(x, n);
    if (!narm && gca__count(x, n) < n)
        mn = mx = NAN;
    switch (s->f2) {
    case F2_LOG_CT:
        *label = "log_CT";
        for (size_t i = 0; i < n; i++)
            x[i] = log(x[i] - mn + 0.01 * (mx - mn));
        return 0;
    case F2_LOG_CT_ORIG:
        *label = "log_CT_orig";
        for (size_t i = 0; i < n; i++)
            x[i] = log(x[i] - mn + 1);
        return 0;
    case F2_LOG_CT_PLUS: {
        /* COINr's log_CT_plus ignores na.rm. */
        double lo = gca__min(x, n), hi = gca__max(x, n);
        double a = 0.01 * (hi - lo), sk = gca__skew(x, n);
        if (isnan(sk))
            return -1;
        *label = sk > 0 ? "log_CT" : "log_CT_neg";
        for (size_t i = 0; i < n; i++)
            x[i] = sk > 0 ? log(x[i] - lo + a) : -log(hi + a - x[i]);
        return 0;
    }
    case F2_LOG_GII:
        *label = "log_GII";
        /* COINr computes the transform and returns x unchanged. */
        if (!compat)
            for (size_t i = 0; i < n; i++)
                x[i] = log((mx - 1) * (x[i] - mn) / (mx - mn) + 1);
        return 0;
    case F2_BOXCOX:
        *label = compat ? "" : "boxcox";
        if (isnan(s->lambda))
            return -1;
        for (size_t i = 0; i < n; i++) {
            double v = s->makepos ? x[i] - mn + 1 : x[i];
            x[i] = s->lambda == 0 ? log(v) : (pow(v, s->lambda) - 1) /
                                                 s->lambda;
        }
        return 0;
    default:
        return -1;
    }
}

/* "a+b" in the run's arena (NULL when out of memory). */
static const char *join(gca__run *run, const char *a, const char *b)
{
    size_t m = strlen(a), k = strlen(b);
    char *j = gca_arena_alloc(run->arena, m + k + 2);
    if (!j)
        return NULL;
    memcpy(j, a, m);
    j[m] = '+';
    memcpy(j + m + 1, b, k + 1);
    return j;
}

/* COINr's Treat.numeric() on column `x` (n values) into `out`, with the
 * points' labels in `lab`. */
static int treat_column(tctx *t, const tspec *s, int compat, int combine,
                        const double *x, double *out, const char **lab,
                        outcome *o)
{
    size_t n = t->n;
    memset(o, 0, sizeof *o);
    memcpy(out, x, n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        lab[i] = "";
    if (s->none)
        return 0;
    o->c[0] = check_sk(x, n, s->p_skew, s->p_kurt, s->narmp);
    if (o->c[0].pass < 0)
        return 0;
    int pass = o->c[0].pass;
    int force = s->force_win && !compat; /* issue #53 */
    memcpy(t->x1, x, n * sizeof *x);
    if (!pass || force) {
        /* Winsorising checks with its own parameters; when they are the
         * pass test's (the usual case), its checks serve as c[0] and c[1]
         * and need not be made twice. */
        int same = s->w_skew == s->p_skew && s->w_kurt == s->p_kurt &&
                   s->narm1 == s->narmp;
        check last = same ? o->c[0] : (check){-1, NAN, NAN};
        if (winsorise(t, s, t->x1, &o->nwin, &last) < 0)
            return 0;
        o->ran1 = 1;
        o->c[1] = same ? last
                       : check_sk(t->x1, n, s->p_skew, s->p_kurt, s->narmp);
        if (o->c[1].pass < 0) {
            o->row = o->points = 1;
            return 0;
        }
        pass = o->c[1].pass;
    }
    const char *f2lab = NULL;
    if (!pass && s->f2 != F2_NONE) {
        memcpy(t->x2, combine ? t->x1 : x, n * sizeof *x);
        if (apply_f2(s, compat, t->x2, n, &f2lab) < 0) {
            memset(o, 0, sizeof *o);
            return 0;
        }
        o->ran2 = 1;
        o->c[2] = check_sk(t->x2, n, s->p_skew, s->p_kurt, s->narmp);
        o->row = o->points = 1;
        if (o->c[2].pass < 0)
            return 0;
        memcpy(out, t->x2, n * sizeof *x);
    } else {
        o->row = o->points = 1;
        memcpy(out, t->x1, n * sizeof *x);
    }
    /* Labels. Without f2 they are winsorise's. With it, COINr joins both
     * ("winhi+log_CT", "+log_CT") even when f2 was applied to the original
     * data; by default only what was done is named. */
    for (size_t i = 0; i < n; i++) {
        const char *w = "";
        if (o->ran1 && t->lo[i])
            w = "winlo";
        else if (o->ran1 && t->hi[i])
            w = "winhi";
        if (!f2lab || !*f2lab)
            lab[i] = w;
        else if (compat || (combine && *w))
            lab[i] = join(t->run, w, f2lab);
        else
            lab[i] = f2lab;
        if (!lab[i])
            return gca_fail(t->run->err, GCA_ENOMEM, t->run->where, 0, 0,
                            "out of memory");
    }
    return 0;
}

/* ====== Run ====== */

static const char *const check_cols[3][3] = {
    {"check_SkewKurt0.Pass", "check_SkewKurt0.Skew", "check_SkewKurt0.Kurt"},
    {"check_SkewKurt1.Pass", "check_SkewKurt1.Skew", "check_SkewKurt1.Kurt"},
    {"check_SkewKurt2.Pass", "check_SkewKurt2.Skew", "check_SkewKurt2.Kurt"},
};

static int put_lgl(gca__run *run, gca_report *rep, size_t r, size_t c, int v)
{
    if (v < 0)
        return gca__report_text(run, rep, r, c, "NA");
    return gca__report_bool(run, rep, r, c, v);
}

/* treat_details: iCode, the check before, then (if any indicator was
 * winsorised) winsorise.nwin and the check after, then (if any f2 ran)
 * the check after f2; NA where a step did not run (COINr's rbind_fill). */
static int report_details(gca__run *run, const gca_dset *in,
                          const outcome *o)
{
    size_t nrow = 0, any1 = 0, any2 = 0;
    for (size_t c = 0; c < in->ncol; c++) {
        nrow += o[c].row != 0;
        any1 |= o[c].row && o[c].ran1;
        any2 |= o[c].row && o[c].ran2;
    }
    const char *header[11];
    size_t nh = 0;
    header[nh++] = "iCode";
    for (size_t k = 0; k < 3; k++)
        header[nh++] = check_cols[0][k];
    if (any1) {
        header[nh++] = "winsorise.nwin";
        for (size_t k = 0; k < 3; k++)
            header[nh++] = check_cols[1][k];
    }
    if (any2)
        for (size_t k = 0; k < 3; k++)
            header[nh++] = check_cols[2][k];
    gca_report *rep = gca__result_add_report(run, "treat_details", nrow, nh,
                                             header);
    if (!rep)
        return run->err->code;
    size_t r = 0;
    int rc = 0;
    for (size_t c = 0; c < in->ncol && rc == 0; c++) {
        if (!o[c].row)
            continue;
        size_t col = 0;
        rc = gca__report_text(run, rep, r, col++, in->icode[c]);
        for (int s = 0; s < 3 && rc == 0; s++) {
            int ran = s == 0 || (s == 1 ? o[c].ran1 : o[c].ran2);
            if ((s == 1 && !any1) || (s == 2 && !any2))
                continue;
            if (s == 1 && ran)
                rc = gca__report_num(run, rep, r, col, o[c].nwin);
            col += s == 1;
            if (rc == 0 && ran)
                rc = put_lgl(run, rep, r, col, o[c].c[s].pass);
            if (rc == 0 && ran)
                rc = gca__report_num(run, rep, r, col + 1, o[c].c[s].skew);
            if (rc == 0 && ran)
                rc = gca__report_num(run, rep, r, col + 2, o[c].c[s].kurt);
            col += 3;
        }
        r++;
    }
    return rc;
}

/* treat_points: uCode and one column per indicator, "" where nothing was
 * done. COINr leaves out indicators without a record (untreatable or
 * "none"); that is kept under compat only. */
static int report_points(gca__run *run, const gca_dset *in, const outcome *o,
                         const char **lab, int compat)
{
    size_t n = in->nrow, nh = 1;
    const char **header = gca_arena_array(run->arena, in->ncol + 1,
                                          sizeof *header);
    if (!header)
        return gca_fail(run->err, GCA_ENOMEM, run->where, 0, 0,
                        "out of memory");
    header[0] = "uCode";
    for (size_t c = 0; c < in->ncol; c++)
        if (o[c].points || !compat)
            header[nh++] = in->icode[c];
    gca_report *rep = gca__result_add_report(run, "treat_points", n, nh,
                                             header);
    if (!rep)
        return run->err->code;
    int rc = 0;
    for (size_t r = 0; r < n && rc == 0; r++) {
        rc = gca__report_text(run, rep, r, 0, in->ucode[r]);
        size_t col = 1;
        for (size_t c = 0; c < in->ncol && rc == 0; c++) {
            if (!o[c].points && compat)
                continue;
            /* Labels are static or in the arena already. */
            rep->cell[r * nh + col++] = o[c].points ? lab[c * n + r] : "";
        }
    }
    return rc;
}

static const tspec *spec_for(const treat_spec *spec, const char *icode,
                             int compat)
{
    for (size_t k = 0; k < spec->nind; k++)
        if (!strcmp(spec->ind[k].icode, icode))
            return compat ? &spec->ind[k].compat : &spec->ind[k].spec;
    return &spec->global;
}

static int run(gca__run *run, const void *vspec, const gca_dset *in,
               gca_dset *out)
{
    const treat_spec *spec = vspec;
    int rc = gca__dset_copy(run, in, out->name, out);
    if (rc < 0 || spec->disable)
        return rc;
    for (size_t k = 0; k < spec->nind; k++) {
        int node = gca_framework_find(run->fw, spec->ind[k].icode);
        if (node < 0 || gca__dset_col(in, node) < 0)
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "indiv_specs: '%s' is not an indicator of the "
                            "data set",
                            spec->ind[k].icode);
    }
    size_t n = in->nrow, nc = in->ncol;
    tctx t = {run, n, NULL, NULL, NULL, NULL};
    t.x1 = gca_arena_array(run->arena, n ? n : 1, sizeof *t.x1);
    t.x2 = gca_arena_array(run->arena, n ? n : 1, sizeof *t.x2);
    t.hi = gca_arena_alloc(run->arena, n ? n : 1);
    t.lo = gca_arena_alloc(run->arena, n ? n : 1);
    outcome *o = gca_arena_array(run->arena, nc ? nc : 1, sizeof *o);
    size_t nv = n * nc;
    const char **lab = gca_arena_array(run->arena, nv ? nv : 1, sizeof *lab);
    if (!t.x1 || !t.x2 || !t.hi || !t.lo || !o || !lab)
        return gca_fail(run->err, GCA_ENOMEM, run->where, 0, 0,
                        "out of memory");
    int compat = run->compat_coinr;
    for (size_t c = 0; c < nc && rc == 0; c++) {
        const tspec *s = spec_for(spec, in->icode[c], compat);
        rc = treat_column(&t, s, compat, spec->combine, &in->v[c * n],
                          &out->v[c * n], &lab[c * n], &o[c]);
    }
    if (rc == 0)
        rc = report_details(run, in, o);
    if (rc == 0)
        rc = report_points(run, in, o, lab, compat);
    return rc;
}

const gca__step_ops gca__step_treat = {"treat", "Treated", sizeof(treat_spec),
                                       parse, run};
