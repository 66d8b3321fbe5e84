/* stats.c - descriptive statistics with R's definitions (see stats.h). */
#include "analysis/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gca/core.h"
#include "core/banned.h"

size_t gca__count(const double *x, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !isnan(x[i]);
    return k;
}

double gca__sum(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            s += x[i];
    return s;
}

/* Sums over the present values of x - m (m = 0: of x), with four
 * running sums so that the additions do not wait on each other; the
 * order differs from R's by rounding only (well inside 1e-12). */
static double dev_sum(const double *x, size_t n, double m, size_t *count)
{
    double s[4] = {0, 0, 0, 0};
    size_t c[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (size_t j = 0; j < 4; j++) {
            int ok = !isnan(x[i + j]);
            s[j] += ok ? x[i + j] - m : 0;
            c[j] += (size_t)ok;
        }
    for (; i < n; i++) {
        int ok = !isnan(x[i]);
        s[0] += ok ? x[i] - m : 0;
        c[0] += (size_t)ok;
    }
    *count = c[0] + c[1] + c[2] + c[3];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* R's mean of the present values, and their count in *count. */
static double mean_count(const double *x, size_t n, size_t *count)
{
    size_t k;
    double s = dev_sum(x, n, 0, &k);
    *count = k;
    if (!k)
        return NAN;
    /* R's mean() adds a correction pass: mean + sum(x - mean)/n. */
    double m = s / (double)k;
    if (isfinite(m))
        m += dev_sum(x, n, m, &k) / (double)k;
    return m;
}

double gca__mean(const double *x, size_t n)
{
    size_t k;
    return mean_count(x, n, &k);
}

double gca__min(const double *x, size_t n)
{
    double m = NAN;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && (isnan(m) || x[i] < m))
            m = x[i];
    return m;
}

double gca__max(const double *x, size_t n)
{
    double m = NAN;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && (isnan(m) || x[i] > m))
            m = x[i];
    return m;
}

double gca__sd(const double *x, size_t n)
{
    size_t k = gca__count(x, n);
    if (k < 2)
        return NAN;
    double m = gca__mean(x, n);
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            ss += (x[i] - m) * (x[i] - m);
    return sqrt(ss / (double)(k - 1));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double gca__quantile7(const double *x, size_t n, double p, double *work)
{
    double *w = work ? work : gca_malloc((n ? n : 1) * sizeof *w);
    if (!w)
        return NAN;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            w[k++] = x[i];
    double q = NAN;
    if (k > 0 && p >= 0 && p <= 1) {
        qsort(w, k, sizeof *w, cmp_double);
        /* Type 7: h = (k-1)p; q = x[floor h] + (h - floor h)(x[ceil h] -
         * x[floor h]), with R's fuzz so that exact grid points are hit. */
        double h = (double)(k - 1) * p;
        double lo = floor(h + 4 * 2.220446049250313e-16);
        double frac = h - lo;
        if (fabs(frac) < 4 * 2.220446049250313e-16)
            frac = 0;
        size_t i = (size_t)lo;
        q = w[i];
        if (frac > 0 && i + 1 < k)
            q = (1 - frac) * w[i] + frac * w[i + 1];
    }
    if (!work)
        gca_free(w);
    return q;
}

double gca__median(const double *x, size_t n, double *work)
{
    return gca__quantile7(x, n, 0.5, work);
}

/* Sums of squared and higher powers of deviations from the mean, two
 * running sums each (see dev_sum). */
static size_t moments(const double *x, size_t n, double *s2, double *s3,
                      double *s4)
{
    size_t k;
    /* R's correction pass moves the mean by rounding only, which changes
     * these sums by far less than their own rounding: left out. */
    double m = dev_sum(x, n, 0, &k) / (double)k;
    double a2[2] = {0, 0}, a3[2] = {0, 0}, a4[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double d = isnan(x[i]) ? 0 : x[i] - m;
        double d2 = d * d;
        a2[i & 1] += d2;
        a3[i & 1] += d2 * d;
        a4[i & 1] += d2 * d2;
    }
    *s2 = a2[0] + a2[1];
    *s3 = a3[0] + a3[1];
    *s4 = a4[0] + a4[1];
    return k;
}

double gca__skew(const double *x, size_t n)
{
    double s2, s3, s4;
    size_t k = moments(x, n, &s2, &s3, &s4);
    if (k < 3)
        return NAN;
    double dn = (double)k;
    return sqrt(dn) * s3 / pow(s2, 1.5) * sqrt(dn * (dn - 1)) / (dn - 2);
}

double gca__kurt(const double *x, size_t n)
{
    double s2, s3, s4;
    size_t k = moments(x, n, &s2, &s3, &s4);
    if (k < 4)
        return NAN;
    double dn = (double)k;
    double r = dn * s4 / (s2 * s2);
    return ((dn + 1) * (r - 3) + 6) * (dn - 1) / ((dn - 2) * (dn - 3));
}

void gca__skew_kurt(const double *x, size_t n, double *skew, double *kurt)
{
    double s2, s3, s4;
    size_t k = moments(x, n, &s2, &s3, &s4);
    double dn = (double)k;
    *skew = k < 3 ? NAN
                  : sqrt(dn) * s3 / pow(s2, 1.5) * sqrt(dn * (dn - 1)) /
                        (dn - 2);
    *kurt = k < 4 ? NAN
                  : ((dn + 1) * (dn * s4 / (s2 * s2) - 3) + 6) * (dn - 1) /
                        ((dn - 2) * (dn - 3));
}

void gca__minmax(const double *x, size_t n, double lo, double hi,
                 double *out)
{
    double mn = gca__min(x, n), mx = gca__max(x, n);
    for (size_t i = 0; i < n; i++)
        out[i] = (x[i] - mn) / (mx - mn) * (hi - lo) + lo;
}

double gca__round_r(double x, int digits)
{
    if (!isfinite(x) || digits > 308)
        return x;
    double sgn = 1;
    if (x < 0) {
        sgn = -1;
        x = -x;
    }
    if (digits == 0)
        return sgn * nearbyint(x);
    /* Beyond the precision of a double there is nothing to round. */
    double l10x = log10(x);
    if (l10x + digits > DBL_DIG)
        return sgn * x;
    double p10 = pow(10.0, digits);
    double x10 = p10 * x, i10 = floor(x10);
    double xd = i10 / p10, xu = ceil(x10) / p10;
    double du = xu - x, dd = x - xd;
    return sgn * ((du < dd || (du == dd && fmod(i10, 2.0) == 1)) ? xu : xd);
}

double gca__signif(double x, int digits)
{
    if (!isfinite(x) || x == 0)
        return x;
    if (digits < 1)
        digits = 1;
    /* More digits than a double holds (R stops at 22): nothing to do. */
    if (digits > 22)
        return x;
    double ax = fabs(x);
    double l10 = log10(ax);
    /* Numbers near the ends of the double range would overflow the scale
     * factor; they keep all their digits. */
    if (fabs(l10) > 300)
        return x;
    int e10 = digits - 1 - (int)floor(l10);
    /* Scale by a power of ten >= 1, which is exact up to 1e22, so that
     * the only rounding is rint's. */
    double r = e10 > 0 ? nearbyint(ax * pow(10.0, e10)) / pow(10.0, e10)
                       : nearbyint(ax / pow(10.0, -e10)) * pow(10.0, -e10);
    return x < 0 ? -r : r;
}
