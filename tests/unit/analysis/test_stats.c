/* test_stats.c - descriptive statistics of src/analysis/stats.c against
 * values computed by R and COINr (tests/unit/analysis/data/README.md says
 * how): count, sum, mean, sd, median, quantile type 7, COINr's skew and
 * kurt, min, max and COINr's n_minmax, NA skipped as na.rm = TRUE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gca/core.h"
#include "analysis/stats.h"
#include "testutil.h"

#define VECTORS "tests/unit/analysis/data/stats_vectors.csv"
#define EXPECTED "tests/unit/analysis/data/stats_expected.csv"
#define MAXN 64

/* The values of vector `name` in file order (NA as NaN); 0 if it has no
 * rows, as the empty vector. */
static size_t load_vector(const tu_table *v, const char *name, double *x)
{
    int cv = tu_col(v, "vec"), cx = tu_col(v, "x");
    assert_true(cv >= 0 && cx >= 0);
    size_t n = 0;
    for (size_t r = 1; r <= v->csv.nrow; r++) {
        if (strcmp(tu_cell(v, r, (size_t)cv), name) != 0)
            continue;
        assert_true(n < MAXN);
        x[n++] = tu_num(v, r, (size_t)cx);
    }
    return n;
}

/* One statistic of x as gca computes it; `arg` is the probability for
 * quantile7 and the 1-based element for minmax. */
static double compute(const char *stat, double arg, const double *x,
                      size_t n)
{
    double work[MAXN];
    if (!strcmp(stat, "count"))
        return (double)gca__count(x, n);
    if (!strcmp(stat, "sum"))
        return gca__sum(x, n);
    if (!strcmp(stat, "mean"))
        return gca__mean(x, n);
    if (!strcmp(stat, "sd"))
        return gca__sd(x, n);
    if (!strcmp(stat, "median")) {
        /* With caller scratch and with its own: the same answer. */
        double a = gca__median(x, n, work);
        double b = gca__median(x, n, NULL);
        assert_true(tu_close(a, b, 0, 0));
        return a;
    }
    if (!strcmp(stat, "quantile7")) {
        double a = gca__quantile7(x, n, arg, NULL);
        double b = gca__quantile7(x, n, arg, work);
        assert_true(tu_close(a, b, 0, 0));
        return a;
    }
    if (!strcmp(stat, "skew"))
        return gca__skew(x, n);
    if (!strcmp(stat, "kurt"))
        return gca__kurt(x, n);
    if (!strcmp(stat, "min"))
        return gca__min(x, n);
    if (!strcmp(stat, "max"))
        return gca__max(x, n);
    if (!strcmp(stat, "minmax")) {
        double out[MAXN];
        gca__minmax(x, n, 0, 100, out);
        size_t i = (size_t)arg;
        assert_true(i >= 1 && i <= n);
        return out[i - 1];
    }
    fail_msg("unknown statistic '%s' in " EXPECTED, stat);
    return NAN;
}

static void test_against_r(void **state)
{
    (void)state;
    tu_table v, e;
    tu_table_load(&v, VECTORS);
    tu_table_load(&e, EXPECTED);
    int cv = tu_col(&e, "vec"), cs = tu_col(&e, "stat");
    int ca = tu_col(&e, "arg"), cval = tu_col(&e, "value");
    assert_true(cv >= 0 && cs >= 0 && ca >= 0 && cval >= 0);
    assert_true(e.csv.nrow > 300);

    int bad = 0;
    for (size_t r = 1; r <= e.csv.nrow; r++) {
        const char *name = tu_cell(&e, r, (size_t)cv);
        const char *stat = tu_cell(&e, r, (size_t)cs);
        double arg = tu_num(&e, r, (size_t)ca);
        double want = tu_num(&e, r, (size_t)cval);
        double x[MAXN];
        size_t n = load_vector(&v, name, x);
        double got = compute(stat, arg, x, n);
        if (!tu_close(got, want, 1e-12, 1e-9)) {
            fprintf(stderr, "%s %s(%g): got %.17g, want %.17g\n", name,
                    stat, arg, got, want);
            bad++;
        }
    }
    tu_table_release(&e);
    tu_table_release(&v);
    assert_int_equal(bad, 0);
}

/* Contract cases R cannot give (R stops with an error instead). */
static void test_contract(void **state)
{
    (void)state;
    static const double x[] = {3, 1, NAN, 2};
    double work[4];
    /* p outside [0, 1] or NaN: NaN, not a read past the data. */
    assert_true(isnan(gca__quantile7(x, 4, -0.01, work)));
    assert_true(isnan(gca__quantile7(x, 4, 1.01, work)));
    assert_true(isnan(gca__quantile7(x, 4, NAN, work)));
    /* The input is never reordered. */
    assert_true(x[0] == 3 && x[1] == 1 && isnan(x[2]) && x[3] == 2);
    /* Own scratch that cannot be allocated: NaN, no crash. */
    gca_alloc_fail_after(1);
    double q = gca__quantile7(x, 4, 0.5, NULL);
    gca_alloc_fail_after(0);
    assert_true(isnan(q));
    /* An empty vector needs no scratch and has no quantile. */
    assert_true(isnan(gca__quantile7(NULL, 0, 0.5, NULL)));
    assert_true(isnan(gca__min(NULL, 0)));
    assert_true(isnan(gca__max(NULL, 0)));
    /* No value at all: NaN where R warns and gives Inf / -Inf. */
    static const double nas[] = {NAN, NAN};
    assert_true(isnan(gca__min(nas, 2)));
    assert_true(isnan(gca__max(nas, 2)));
    /* minmax may work in place. */
    double y[] = {2, 4, 6};
    gca__minmax(y, 3, 0, 1, y);
    assert_true(y[0] == 0 && y[1] == 0.5 && y[2] == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_r),
        cmocka_unit_test(test_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
