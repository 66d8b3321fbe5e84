/* corr.c - correlations, covariances and cor.test p-values with R's
 * definitions (see corr.h; formulas in docs/analyse.md#correlations).
 * Sums are accumulated in long double as R's cor() and cov() do. */
#include "analysis/corr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gca/core.h"
#include "core/banned.h"

int gca__corr_work_init(gca__corr_work *w, size_t n)
{
    memset(w, 0, sizeof *w);
    size_t k = n ? n : 1;
    w->a = gca_malloc(k * sizeof *w->a);
    w->b = gca_malloc(k * sizeof *w->b);
    w->c = gca_malloc(k * sizeof *w->c);
    w->s = gca_malloc(k * sizeof *w->s);
    w->cap = k;
    if (!w->a || !w->b || !w->c || !w->s) {
        gca__corr_work_release(w);
        return GCA_ENOMEM;
    }
    return 0;
}

void gca__corr_work_release(gca__corr_work *w)
{
    gca_free(w->a);
    gca_free(w->b);
    gca_free(w->c);
    gca_free(w->s);
    memset(w, 0, sizeof *w);
}

/* ====== Pearson and covariance ====== */

/* Sums over the complete pairs of x and y: their count, and the centred
 * cross products (R's pairwise cov/cor: means over the complete pairs,
 * then one pass of deviations). */
typedef struct moments2 {
    size_t n;
    long double sxy, sxx, syy;
} moments2;

static moments2 pair_moments(const double *x, const double *y, size_t n)
{
    moments2 m = {0, 0, 0, 0};
    long double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            m.n++;
            mx += x[i];
            my += y[i];
        }
    if (m.n == 0)
        return m;
    mx /= (long double)m.n;
    my /= (long double)m.n;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            long double dx = x[i] - mx, dy = y[i] - my;
            m.sxy += dx * dy;
            m.sxx += dx * dx;
            m.syy += dy * dy;
        }
    return m;
}

static double pearson(const double *x, const double *y, size_t n,
                      size_t *npair)
{
    moments2 m = pair_moments(x, y, n);
    *npair = m.n;
    if (m.n < 2 || m.sxx == 0 || m.syy == 0)
        return NAN;
    long double n1 = (long double)(m.n - 1);
    long double r = (m.sxy / n1) / (sqrtl(m.sxx / n1) * sqrtl(m.syy / n1));
    /* Rounding can carry |r| a hair past 1; R clamps it too. */
    if (r > 1)
        r = 1;
    if (r < -1)
        r = -1;
    return (double)r;
}

double gca__cov_pairwise(const double *x, const double *y, size_t n)
{
    moments2 m = pair_moments(x, y, n);
    if (m.n < 2)
        return NAN;
    return (double)(m.sxy / (long double)(m.n - 1));
}

/* ====== Ranks ====== */

static int cmp_ranked(const void *a, const void *b)
{
    const gca__ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int gca__rank_average(const double *x, size_t n, double *r, gca__ranked *s)
{
    int ties = 0;
    for (size_t i = 0; i < n; i++)
        s[i] = (gca__ranked){x[i], i};
    qsort(s, n, sizeof *s, cmp_ranked);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && s[j + 1].v == s[i].v)
            j++;
        /* Sorted positions i..j (0-based) share the mean of ranks
         * i+1..j+1. */
        double avg = (double)(i + j) / 2 + 1;
        for (size_t k = i; k <= j; k++)
            r[s[k].i] = avg;
        ties |= j > i;
        i = j + 1;
    }
    return ties;
}

/* ====== p-values ====== */

/* Continued fraction of the incomplete beta function (modified Lentz),
 * valid for x < (a + 1)/(a + b + 2). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 100000; m++) {
        double dm = m;
        /* Even step, then odd step of the fraction. */
        double num = dm * (b - dm) * x / ((a + 2 * dm - 1) * (a + 2 * dm));
        d = 1 + num * d;
        c = 1 + num / c;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        num = -(a + dm) * (a + b + dm) * x / ((a + 2 * dm) * (a + 2 * dm + 1));
        d = 1 + num * d;
        c = 1 + num / c;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = fabs(c) < tiny ? tiny : c;
        double step = d * c;
        h *= step;
        if (fabs(step - 1) < 1e-16)
            break;
    }
    return h;
}

double gca__ibeta(double a, double b, double x, double y)
{
    if (isnan(x) || isnan(y) || !(a > 0) || !(b > 0))
        return NAN;
    if (x <= 0)
        return 0;
    if (y <= 0)
        return 1;
    double lfront = a * log(x) + b * log(y) -
                    (lgamma(a) + lgamma(b) - lgamma(a + b));
    double front = exp(lfront);
    /* The fraction converges fast on the side of the smaller tail. */
    if (x < (a + 1) / (a + b + 2))
        return front * beta_cf(a, b, x) / a;
    return 1 - front * beta_cf(b, a, y) / b;
}

double gca__cor_p_t(double r, size_t n)
{
    if (isnan(r) || n < 3)
        return NAN;
    if (fabs(r) >= 1)
        return 0;
    double df = (double)(n - 2);
    double t = sqrt(df) * r / sqrt(1 - r * r);
    /* P(|T| >= |t|) = I_z(df/2, 1/2) with z = df/(df + t^2). */
    double z = 1 / (1 + (t / df) * t);
    double w = t * t / (df + t * t);
    double p = gca__ibeta(df / 2, 0.5, z, w);
    return p > 1 ? 1 : p;
}

/* How many permutations p of 1..n give each value of Spearman's
 * statistic S = sum (i - p_i)^2, for n <= GCA__EXACT_N: every
 * permutation once, by Heap's algorithm. */
static void count_s(size_t n, double *count)
{
    int p[GCA__EXACT_N], c[GCA__EXACT_N] = {0};
    memset(count, 0, GCA__S_VALUES * sizeof *count);
    for (size_t i = 0; i < n; i++)
        p[i] = (int)i;
    for (size_t i = 0;;) {
        int ss = 0;
        for (size_t k = 0; k < n; k++)
            ss += ((int)k - p[k]) * ((int)k - p[k]);
        count[ss]++;
        while (i < n && c[i] >= (int)i) {
            c[i] = 0;
            i++;
        }
        if (i >= n)
            break;
        size_t j = i % 2 ? (size_t)c[i] : 0;
        int tmp = p[j];
        p[j] = p[i];
        p[i] = tmp;
        c[i]++;
        i = 1;
    }
}

/* Pr[S >= s] (upper) or Pr[S < s] (lower) for Spearman's statistic
 * over the permutations of 1..n: AS 89 (Best and Roberts 1975), exact
 * for n <= 9 (the counts made once per n in `w`), else its Edgeworth
 * series. */
static double prob_s(size_t n, double s, int lower, gca__corr_work *w)
{
    double pv = lower ? 0 : 1;
    if (n <= 1 || s <= 0)
        return pv;
    double dn = (double)n;
    double smax = dn * (dn * dn - 1) / 3;
    if (s > smax)
        return 1 - pv;
    if (n <= GCA__EXACT_N) {
        if (w->scount_n != n) {
            count_s(n, w->scount);
            w->scount_n = n;
        }
        double total = 0, hits = 0;
        for (size_t v = 0; v < GCA__S_VALUES; v++) {
            total += w->scount[v];
            hits += (double)v >= s ? w->scount[v] : 0;
        }
        return (lower ? total - hits : hits) / total;
    }
    static const double c1 = 0.2274, c2 = 0.2531, c3 = 0.1745, c4 = 0.0758,
                        c5 = 0.1033, c6 = 0.3932, c7 = 0.0879, c8 = 0.0151,
                        c9 = 0.0072, c10 = 0.0831, c11 = 0.0131,
                        c12 = 4.6e-4;
    double b = 1 / dn;
    double x = (6 * (s - 1) * b / (dn * dn - 1) - 1) * sqrt(dn - 1);
    double y = x * x;
    double u = x * b *
               (c1 + b * (c2 + c3 * b) +
                y * (-c4 + b * (c5 + c6 * b) -
                     y * b *
                         (c7 + c8 * b -
                          y * (c9 - c10 * b + y * b * (c11 - c12 * y)))));
    double e = u / exp(y / 2);
    /* Normal tail: lower P(Z < x), upper P(Z > x). */
    double tail = 0.5 * erfc((lower ? -x : x) / sqrt(2.0));
    pv = (lower ? -e : e) + tail;
    return pv < 0 ? 0 : pv > 1 ? 1 : pv;
}

double gca__cor_p_spearman(double rho, size_t n, gca__corr_work *w)
{
    if (isnan(rho) || n < 3)
        return NAN;
    double dn = (double)n;
    double q = (dn * dn * dn - dn) * (1 - rho) / 6;
    /* The tail on the side of the observed S; the statistic is an
     * integer without ties, and R moves it by 2 into the lower tail. */
    double p = q > (dn * dn * dn - dn) / 6
                   ? prob_s(n, nearbyint(q), 0, w)
                   : prob_s(n, nearbyint(q) + 2, 1, w);
    return 2 * p < 1 ? 2 * p : 1;
}

void gca__cor_test(const double *x, const double *y, size_t n, int method,
                   gca__corr_work *w, double *r, double *p, size_t *npair)
{
    if (method != GCA__COR_SPEARMAN) {
        *r = pearson(x, y, n, npair);
        *p = gca__cor_p_t(*r, *npair);
        return;
    }
    /* Spearman: Pearson of the average ranks of the complete pairs. */
    size_t k = 0;
    for (size_t i = 0; i < n && k < w->cap; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            w->a[k] = x[i];
            w->b[k] = y[i];
            k++;
        }
    *npair = k;
    int ties = gca__rank_average(w->a, k, w->c, w->s);
    memcpy(w->a, w->c, k * sizeof *w->a);
    ties |= gca__rank_average(w->b, k, w->c, w->s);
    size_t m;
    *r = pearson(w->a, w->c, k, &m);
    if (!ties) {
        *p = gca__cor_p_spearman(*r, k, w);
        return;
    }
    /* With ties cor.test falls back to the t test on rho, recovered from
     * S as it does. */
    double dn = (double)k;
    double q = (dn * dn * dn - dn) * (1 - *r) / 6;
    *p = gca__cor_p_t(1 - q / (dn * (dn * dn - 1) / 6), k);
}
