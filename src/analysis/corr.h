/* corr.h (internal) - correlations and their p-values with R's
 * definitions: Pearson and Spearman over pairwise-complete observations
 * (stats::cor), covariance (stats::cov), and the two-sided p-values of
 * stats::cor.test (Student t for Pearson and for Spearman with ties, AS 89
 * for Spearman without ties). Formulas: docs/analyse.md#correlations. */
#ifndef GCA_ANALYSIS_CORR_H
#define GCA_ANALYSIS_CORR_H

#include <stddef.h>

/* Correlation methods (the values of gca_cor_method). */
enum { GCA__COR_PEARSON = 1, GCA__COR_SPEARMAN = 2 };

/* A value and its position, for sorting. */
typedef struct gca__ranked {
    double v;
    size_t i;
} gca__ranked;

/* Spearman p-values are exact up to this many pairs; S then takes at
 * most n(n^2 - 1)/3 + 1 = 241 values. */
#define GCA__EXACT_N 9
#define GCA__S_VALUES 241

/* Scratch for the functions below, enough for vectors of up to n values,
 * and the exact distribution of Spearman's S for the last small n seen.
 * gca__corr_work_init returns 0 or GCA_ENOMEM. */
typedef struct gca__corr_work {
    double *a, *b, *c;
    gca__ranked *s;
    size_t cap;
    double scount[GCA__S_VALUES]; /* permutations per value of S */
    size_t scount_n;              /* n they are for, 0 = none yet */
} gca__corr_work;
int gca__corr_work_init(gca__corr_work *w, size_t n);
void gca__corr_work_release(gca__corr_work *w);

/* One correlation of x and y (n values each, NaN = missing) as
 * cor(x, y, use = "pairwise.complete.obs", method) gives it, in *r, and
 * the two-sided p-value of cor.test(x, y, method) in *p (both NaN when
 * fewer than 3 pairs are complete or a side is constant). *npair gets
 * the number of complete pairs. */
void gca__cor_test(const double *x, const double *y, size_t n, int method,
                   gca__corr_work *w, double *r, double *p, size_t *npair);

/* Covariance of the pairwise-complete observations (divisor npair - 1),
 * as one cell of cov(X, use = "pairwise.complete.obs"); NaN with fewer
 * than 2 pairs. */
double gca__cov_pairwise(const double *x, const double *y, size_t n);

/* Average ranks (R's rank(x), ties.method = "average") of the n values x
 * (no NaN) into r; `s` is scratch of n entries. Returns 1 if there were
 * ties, else 0. */
int gca__rank_average(const double *x, size_t n, double *r, gca__ranked *s);

/* Two-sided p-value of a correlation r from n pairs by the t test
 * t = sqrt(n - 2) r / sqrt(1 - r^2), df = n - 2 (cor.test's Pearson
 * test, and its Spearman test when there are ties). */
double gca__cor_p_t(double r, size_t n);
/* Two-sided p-value of Spearman's rho from n pairs without ties, as
 * cor.test(exact = NULL): AS 89 (exact for n <= 9, Edgeworth series
 * above) on S = (n^3 - n)(1 - rho)/6; `w` caches the exact counts. */
double gca__cor_p_spearman(double rho, size_t n, gca__corr_work *w);

/* Regularised incomplete beta function I_x(a, b), with y = 1 - x given
 * separately so that neither side loses digits. */
double gca__ibeta(double a, double b, double x, double y);

#endif
