/* stats.c - descriptive statistics with R's definitions (see stats.h). */
#include "analysis/stats.h"

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

double gca__mean(const double *x, size_t n)
{
    size_t k = gca__count(x, n);
    if (!k)
        return NAN;
    /* R's mean() adds a correction pass: mean + sum(x - mean)/n. */
    double m = gca__sum(x, n) / (double)k;
    if (isfinite(m)) {
        double t = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(x[i]))
                t += x[i] - m;
        m += t / (double)k;
    }
    return m;
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

/* Sums of squared and higher powers of deviations from the mean. */
static size_t moments(const double *x, size_t n, double *s2, double *s3,
                      double *s4)
{
    size_t k = gca__count(x, n);
    double m = gca__mean(x, n);
    *s2 = *s3 = *s4 = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        double d = x[i] - m;
        *s2 += d * d;
        *s3 += d * d * d;
        *s4 += d * d * d * d;
    }
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
