/* stats.h (internal) - descriptive statistics over vectors with NaN as
 * missing, with COINr's (R's) definitions: sample sd (n-1), quantile type
 * 7, skew and excess kurtosis as in COINr's Treat/get_stats (formulas in
 * docs/method.md#treat). Every function skips NaN; a result that cannot be
 * computed is NaN. */
#ifndef GCA_ANALYSIS_STATS_H
#define GCA_ANALYSIS_STATS_H

#include <stddef.h>

/* Number of non-NaN values. */
size_t gca__count(const double *x, size_t n);
/* Sum left to right, as R's sum(). */
double gca__sum(const double *x, size_t n);
double gca__mean(const double *x, size_t n);
double gca__min(const double *x, size_t n);
double gca__max(const double *x, size_t n);
/* Sample standard deviation (divisor n-1), two-pass like R's sd(). */
double gca__sd(const double *x, size_t n);
/* Median: quantile type 7 at 0.5 (R's median()). Uses `work` of n
 * doubles as scratch; NULL means allocate (NaN on failure). */
double gca__median(const double *x, size_t n, double *work);
/* R's quantile(x, p, type = 7), p in [0, 1]. Scratch as above. */
double gca__quantile7(const double *x, size_t n, double p, double *work);
/* COINr's skew(): sqrt(n)*sum(d^3)/sum(d^2)^(3/2) * sqrt(n(n-1))/(n-2);
 * NaN if fewer than 3 values. */
double gca__skew(const double *x, size_t n);
/* COINr's kurt(): excess kurtosis ((n+1)(r-3)+6)(n-1)/((n-2)(n-3)) with
 * r = n*sum(d^4)/sum(d^2)^2; NaN if fewer than 4 values. */
double gca__kurt(const double *x, size_t n);
/* Both at once (one pass over the data), same values as the two above. */
void gca__skew_kurt(const double *x, size_t n, double *skew, double *kurt);

/* COINr's n_minmax: (x - min)/(max - min)*(hi - lo) + lo into out (may
 * equal x). A zero range gives NaN for every value, as R does. */
void gca__minmax(const double *x, size_t n, double lo, double hi,
                 double *out);

/* R's round(x, digits) (R >= 4.0.0): the nearer of the two decimal
 * neighbours, ties to the even last digit. */
double gca__round_r(double x, int digits);
/* R's signif(x, digits): x rounded to `digits` significant figures
 * (digits < 1 counts as 1), halves to even as rint() does; 0, NaN and
 * infinities are returned as they are. */
double gca__signif(double x, int digits);

#endif
