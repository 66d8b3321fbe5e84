/* test_build.c - gca_rank (min and dense ties, missing values, the heap
 * path) against R's rank(), and gca_build on a tiny framework: the Raw
 * data set, the result accessors, the tie rule from method or framework,
 * compat flags, the step and report limits and out-of-memory paths. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

#include <cmocka.h>

#include "gca.h"
#include "testutil.h"

#define NA NAN

static void assert_ranks(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((isnan(got[i]) && isnan(want[i])) || got[i] == want[i]))
            fail_msg("rank[%zu] = %g, want %g", i, got[i], want[i]);
}

/* ====== gca_rank ====== */

static void test_rank_small(void **state)
{
    (void)state;
    static const double x[] = {3, 1, 3, NA, 2, 3, -INFINITY, INFINITY, 1,
                               0, -0.0};
    /* R: x <- c(3, 1, 3, NA, 2, 3, -Inf, Inf, 1, 0, -0)
     *    rank(-x, ties.method = "min", na.last = "keep") */
    static const double r_min[] = {2, 6, 2, NA, 5, 2, 10, 1, 6, 8, 8};
    /* R: match(-x, sort(unique(-x))) (dense ranks) */
    static const double r_dense[] = {2, 4, 2, NA, 3, 2, 6, 1, 4, 5, 5};
    double r[GCA_COUNT(x)];
    assert_int_equal(gca_rank(x, GCA_COUNT(x), GCA_TIES_MIN, r), 0);
    assert_ranks(r, r_min, GCA_COUNT(x));
    assert_int_equal(gca_rank(x, GCA_COUNT(x), GCA_TIES_DENSE, r), 0);
    assert_ranks(r, r_dense, GCA_COUNT(x));
}

static void test_rank_edges(void **state)
{
    (void)state;
    double r[3] = {-1, -1, -1};
    /* n = 0 writes nothing. */
    assert_int_equal(gca_rank(NULL, 0, GCA_TIES_MIN, r), 0);
    assert_true(r[0] == -1);
    /* R: rank(-5, ties.method = "min", na.last = "keep") is 1 */
    static const double one[] = {5};
    assert_int_equal(gca_rank(one, 1, GCA_TIES_DENSE, r), 0);
    assert_true(r[0] == 1);
    /* R: rank(-c(NA, NA, NA), ties.method = "min", na.last = "keep") */
    static const double nas[] = {NA, NA, NA};
    assert_int_equal(gca_rank(nas, 3, GCA_TIES_MIN, r), 0);
    assert_ranks(r, nas, 3);
    /* R: rank(-c(2, 2, 2), ...) and match(-x, sort(unique(-x))): 1 1 1 */
    static const double same[] = {2, 2, 2}, ones[] = {1, 1, 1};
    assert_int_equal(gca_rank(same, 3, GCA_TIES_MIN, r), 0);
    assert_ranks(r, ones, 3);
    assert_int_equal(gca_rank(same, 3, GCA_TIES_DENSE, r), 0);
    assert_ranks(r, ones, 3);
}

/* More than 256 values: the sort buffer comes from the heap. */
static void test_rank_large(void **state)
{
    (void)state;
    /* R: x <- (1:300 * 37) %% 101; x[c(5, 150, 299)] <- NA
     *    rank(-x, ties.method = "min", na.last = "keep") */
    static const double r_min[300] = {
    186, 77, 266, 156, NA, 236, 127, 18, 207, 98, 287, 177, 68, 257,
        147, 39, 227, 118, 10, 198, 89, 278, 168, 59, 248, 138, 30, 218,
        109, 1, 189, 80, 269, 159, 50, 239, 130, 21, 210, 101, 290, 180,
        71, 260, 150, 42, 230, 121, 13, 201, 92, 281, 171, 62, 251, 141,
        33, 221, 112, 4, 192, 83, 272, 162, 53, 242, 133, 24, 213, 104,
        293, 183, 74, 263, 153, 45, 233, 124, 15, 204, 95, 284, 174, 65,
        254, 144, 36, 224, 115, 7, 195, 86, 275, 165, 56, 245, 136, 27,
        216, 107, 296, 186, 77, 266, 156, 48, 236, 127, 18, 207, 98, 287,
        177, 68, 257, 147, 39, 227, 118, 10, 198, 89, 278, 168, 59, 248,
        138, 30, 218, 109, 1, 189, 80, 269, 159, 50, 239, 130, 21, 210,
    101, 290, 180, 71, 260, 150, 42, 230, 121, NA, 201, 92, 281, 171,
        62, 251, 141, 33, 221, 112, 4, 192, 83, 272, 162, 53, 242, 133,
        24, 213, 104, 293, 183, 74, 263, 153, 45, 233, 124, 15, 204, 95,
        284, 174, 65, 254, 144, 36, 224, 115, 7, 195, 86, 275, 165, 56,
        245, 136, 27, 216, 107, 296, 186, 77, 266, 156, 48, 236, 127, 18,
        207, 98, 287, 177, 68, 257, 147, 39, 227, 118, 10, 198, 89, 278,
        168, 59, 248, 138, 30, 218, 109, 1, 189, 80, 269, 159, 50, 239,
        130, 21, 210, 101, 290, 180, 71, 260, 150, 42, 230, 121, 13, 201,
        92, 281, 171, 62, 251, 141, 33, 221, 112, 4, 192, 83, 272, 162,
        53, 242, 133, 24, 213, 104, 293, 183, 74, 263, 153, 45, 233, 124,
        15, 204, 95, 284, 174, 65, 254, 144, 36, 224, 115, 7, 195, 86,
    275, 165, 56, 245, NA, 27
    };
    /* R: match(-x, sort(unique(-x))) */
    static const double r_dense[300] = {
    64, 27, 91, 54, NA, 81, 44, 7, 71, 34, 98, 61, 24, 88,
        51, 14, 78, 41, 4, 68, 31, 95, 58, 21, 85, 48, 11, 75,
        38, 1, 65, 28, 92, 55, 18, 82, 45, 8, 72, 35, 99, 62,
        25, 89, 52, 15, 79, 42, 5, 69, 32, 96, 59, 22, 86, 49,
        12, 76, 39, 2, 66, 29, 93, 56, 19, 83, 46, 9, 73, 36,
        100, 63, 26, 90, 53, 16, 80, 43, 6, 70, 33, 97, 60, 23,
        87, 50, 13, 77, 40, 3, 67, 30, 94, 57, 20, 84, 47, 10,
        74, 37, 101, 64, 27, 91, 54, 17, 81, 44, 7, 71, 34, 98,
        61, 24, 88, 51, 14, 78, 41, 4, 68, 31, 95, 58, 21, 85,
        48, 11, 75, 38, 1, 65, 28, 92, 55, 18, 82, 45, 8, 72,
    35, 99, 62, 25, 89, 52, 15, 79, 42, NA, 69, 32, 96, 59,
        22, 86, 49, 12, 76, 39, 2, 66, 29, 93, 56, 19, 83, 46,
        9, 73, 36, 100, 63, 26, 90, 53, 16, 80, 43, 6, 70, 33,
        97, 60, 23, 87, 50, 13, 77, 40, 3, 67, 30, 94, 57, 20,
        84, 47, 10, 74, 37, 101, 64, 27, 91, 54, 17, 81, 44, 7,
        71, 34, 98, 61, 24, 88, 51, 14, 78, 41, 4, 68, 31, 95,
        58, 21, 85, 48, 11, 75, 38, 1, 65, 28, 92, 55, 18, 82,
        45, 8, 72, 35, 99, 62, 25, 89, 52, 15, 79, 42, 5, 69,
        32, 96, 59, 22, 86, 49, 12, 76, 39, 2, 66, 29, 93, 56,
        19, 83, 46, 9, 73, 36, 100, 63, 26, 90, 53, 16, 80, 43,
        6, 70, 33, 97, 60, 23, 87, 50, 13, 77, 40, 3, 67, 30,
    94, 57, 20, 84, NA, 10
    };
    double x[300], r[300];
    for (int i = 1; i <= 300; i++)
        x[i - 1] = (double)((i * 37) % 101);
    x[4] = x[149] = x[298] = NA;
    assert_int_equal(gca_rank(x, 300, GCA_TIES_MIN, r), 0);
    assert_ranks(r, r_min, 300);
    assert_int_equal(gca_rank(x, 300, GCA_TIES_DENSE, r), 0);
    assert_ranks(r, r_dense, 300);

    /* The heap allocation can fail. */
    gca_alloc_fail_after(1);
    int rc = gca_rank(x, 300, GCA_TIES_MIN, r);
    gca_alloc_fail_after(0);
    assert_int_equal(rc, GCA_ENOMEM);
}

/* ====== gca_build ====== */

/* Two indicators (weights 1 and 3) under a pillar under the index; the
 * %s is replaced by a "ties" member or nothing. */
static const char FW_FMT[] =
    "{\"code\":\"T\",\"name\":\"Tiny\",%s"
    "\"levels\":[\"Indicator\",\"Pillar\",\"Index\"],\"nodes\":["
    "{\"code\":\"i1\",\"name\":\"one\",\"type\":\"indicator\",\"level\":1,"
    "\"parent\":\"P\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"i2\",\"name\":\"two\",\"type\":\"indicator\",\"level\":1,"
    "\"parent\":\"P\",\"weight\":3,\"direction\":1},"
    "{\"code\":\"P\",\"name\":\"pillar\",\"type\":\"aggregate\",\"level\":2,"
    "\"parent\":\"Idx\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"Idx\",\"name\":\"index\",\"type\":\"aggregate\","
    "\"level\":3,\"weight\":1,\"direction\":1}]}";

/* Units out of order; i1 has a tie and a missing value, i2 infinities,
 * a tie and a negative zero. */
static const char DATA[] = "uCode,i1,i2\n"
                           "CC,3,0.5\n"
                           "AA,1,-Inf\n"
                           "DD,3,Inf\n"
                           "BB,NA,0.5\n"
                           "EE,2,-0\n";

typedef struct tiny {
    gca_framework *fw;
    gca_dataset *ds;
    gca_method *m;
    gca_result *res;
    gca_err err;
} tiny;

static void tiny_load(tiny *t, const char *ties, const char *data)
{
    char fwtext[2048];
    memset(t, 0, sizeof *t);
    snprintf(fwtext, sizeof fwtext, FW_FMT, ties);
    if (gca_framework_load_mem(fwtext, strlen(fwtext), "tiny.json", &t->fw,
                               NULL, &t->err) < 0 ||
        gca_dataset_read_csv_mem(data, strlen(data), "tiny.csv", &t->ds,
                                 &t->err) < 0 ||
        gca_dataset_bind(t->ds, t->fw, NULL, NULL, &t->err) < 0)
        fail_msg("fixture: %s: %s", t->err.source, t->err.msg);
}

/* Build with `method`; returns gca_build's code. */
static int tiny_build(tiny *t, const char *method, unsigned flags)
{
    gca_method_free(t->m);
    gca_result_free(t->res);
    t->m = NULL;
    t->res = NULL;
    gca_err_clear(&t->err);
    if (gca_method_load_mem(method, strlen(method), "m.json", &t->m,
                            &t->err) < 0)
        fail_msg("method: %s: %s", t->err.source, t->err.msg);
    return gca_build(t->fw, t->ds, t->m, flags, &t->res, &t->err);
}

static void tiny_release(tiny *t)
{
    gca_result_free(t->res);
    gca_method_free(t->m);
    gca_dataset_free(t->ds);
    gca_framework_free(t->fw);
}

static void test_raw_and_ranks(void **state)
{
    (void)state;
    tiny t;
    tiny_load(&t, "", DATA);
    assert_int_equal(tiny_build(&t, "{\"steps\":[]}", 0), 0);
    assert_ptr_equal(gca_result_framework(t.res), t.fw);
    assert_ptr_equal(gca_result_dataset(t.res), t.ds);
    assert_int_equal(gca_result_ndsets(t.res), 1);
    const gca_dset *raw = gca_result_dset_at(t.res, 0);
    assert_non_null(raw);
    assert_null(gca_result_dset_at(t.res, 1));
    assert_ptr_equal(gca_result_dset(t.res, "Raw"), raw);
    assert_ptr_equal(gca_result_final(t.res), raw);
    assert_null(gca_result_dset(t.res, "Aggregated"));
    assert_string_equal(raw->name, "Raw");

    /* Sorted by uCode, whatever the input order; values as read. */
    static const char *const codes[] = {"AA", "BB", "CC", "DD", "EE"};
    static const int unit[] = {1, 3, 0, 2, 4};
    static const double i1[] = {1, NA, 3, 3, 2};
    static const double i2[] = {-INFINITY, 0.5, 0.5, INFINITY, -0.0};
    assert_int_equal(raw->nrow, 5);
    assert_int_equal(raw->ncol, 2);
    assert_string_equal(raw->icode[0], "i1");
    assert_string_equal(raw->icode[1], "i2");
    assert_int_equal(raw->node[0], gca_framework_find(t.fw, "i1"));
    assert_int_equal(raw->node[1], gca_framework_find(t.fw, "i2"));
    for (size_t r = 0; r < 5; r++) {
        assert_string_equal(raw->ucode[r], codes[r]);
        assert_int_equal(raw->unit[r], unit[r]);
        assert_string_equal(gca_dataset_ucode(t.ds, (size_t)raw->unit[r]),
                            codes[r]);
    }
    assert_ranks(&raw->v[0], i1, 5);
    assert_ranks(&raw->v[5], i2, 5);
    assert_true(signbit(GCA_DSET_AT(raw, 4, 1)));

    /* Ranks of the final data set, default rule "min" (the framework
     * says nothing). R: rank(-c(1, NA, 3, 3, 2), ties.method = "min",
     * na.last = "keep") and rank(-c(-Inf, 0.5, 0.5, Inf, -0), ...) */
    static const double min1[] = {4, NA, 1, 1, 3};
    static const double min2[] = {5, 2, 2, 1, 4};
    const gca_dset *rk = gca_result_ranks(t.res);
    assert_int_equal(gca_result_ties(t.res), GCA_TIES_MIN);
    assert_int_equal(rk->nrow, 5);
    assert_int_equal(rk->ncol, 2);
    assert_string_equal(rk->ucode[0], "AA");
    assert_string_equal(rk->icode[1], "i2");
    assert_ranks(&rk->v[0], min1, 5);
    assert_ranks(&rk->v[5], min2, 5);

    /* The method's rule wins. R: match(-x, sort(unique(-x))) */
    static const double dense1[] = {3, NA, 1, 1, 2};
    static const double dense2[] = {4, 2, 2, 1, 3};
    assert_int_equal(tiny_build(&t, "{\"ties\":\"dense\",\"steps\":[]}", 0),
                     0);
    assert_int_equal(gca_result_ties(t.res), GCA_TIES_DENSE);
    rk = gca_result_ranks(t.res);
    assert_ranks(&rk->v[0], dense1, 5);
    assert_ranks(&rk->v[5], dense2, 5);
    tiny_release(&t);

    /* The framework's rule applies when the method gives none, and the
     * method's overrides it. */
    tiny_load(&t, "\"ties\":\"dense\",", DATA);
    assert_int_equal(tiny_build(&t, "{\"steps\":[]}", 0), 0);
    assert_int_equal(gca_result_ties(t.res), GCA_TIES_DENSE);
    assert_ranks(&gca_result_ranks(t.res)->v[0], dense1, 5);
    assert_int_equal(tiny_build(&t, "{\"ties\":\"min\",\"steps\":[]}", 0), 0);
    assert_int_equal(gca_result_ties(t.res), GCA_TIES_MIN);
    assert_ranks(&gca_result_ranks(t.res)->v[0], min1, 5);
    tiny_release(&t);
}

static void test_dsets_and_weights(void **state)
{
    (void)state;
    tiny t;
    tiny_load(&t, "", "uCode,i1,i2\nB,1,2\nA,3,4\nC,5,8\n");
    assert_int_equal(tiny_build(&t, "{\"steps\":[{\"step\":\"normalise\","
                                    "\"f_n\":\"none\"},"
                                    "{\"step\":\"aggregate\"}]}", 0), 0);
    assert_int_equal(gca_result_ndsets(t.res), 3);
    static const char *const names[] = {"Raw", "Normalised", "Aggregated"};
    for (size_t i = 0; i < 3; i++) {
        const gca_dset *d = gca_result_dset_at(t.res, i);
        assert_string_equal(d->name, names[i]);
        assert_ptr_equal(gca_result_dset(t.res, names[i]), d);
        assert_string_equal(d->ucode[0], "A");
        assert_string_equal(d->ucode[2], "C");
    }
    const gca_dset *fin = gca_result_final(t.res);
    assert_string_equal(fin->name, "Aggregated");
    /* Indicators, then the pillar, then the index. */
    assert_int_equal(fin->ncol, 4);
    assert_string_equal(fin->icode[2], "P");
    assert_string_equal(fin->icode[3], "Idx");
    /* Ranks cover every column of the final data set. */
    const gca_dset *rk = gca_result_ranks(t.res);
    assert_int_equal(rk->ncol, 4);
    assert_string_equal(rk->icode[3], "Idx");
    /* C has the highest of both indicators, so of their mean too. */
    assert_true(GCA_DSET_AT(rk, 2, 3) == 1);
    assert_true(GCA_DSET_AT(rk, 1, 3) == 3);

    /* Weights as given; effective ones normalised within each parent. */
    size_t nn = gca_framework_nnodes(t.fw);
    double w[4], ew[4];
    assert_int_equal(nn, 4);
    assert_int_equal(gca_result_weights(t.res, w, nn, &t.err), 0);
    assert_true(w[gca_framework_find(t.fw, "i2")] == 3);
    assert_int_equal(gca_result_effective_weights(t.res, ew, nn, &t.err), 0);
    assert_true(ew[gca_framework_find(t.fw, "i1")] == 0.25);
    assert_true(ew[gca_framework_find(t.fw, "i2")] == 0.75);
    assert_true(ew[gca_framework_find(t.fw, "P")] == 1);
    assert_true(ew[gca_framework_find(t.fw, "Idx")] == 1);
    assert_int_equal(gca_result_weights(t.res, w, 3, &t.err), GCA_EINVAL);
    gca_err_clear(&t.err);
    assert_int_equal(gca_result_effective_weights(t.res, ew, 5, &t.err),
                     GCA_EINVAL);
    assert_int_equal(gca_result_nreports(t.res), 0);
    assert_null(gca_result_report_at(t.res, 0));
    assert_null(gca_result_report(t.res, "screen_summary"));
    tiny_release(&t);
}

static int read_ranks(void *arg)
{
    const gca_dset *rk = gca_result_ranks(arg);
    return rk ? (int)GCA_DSET_AT(rk, 0, 0) : -1;
}

/* Ranks are made on first use: readers on several threads at once all
 * get the same table. */
static void test_ranks_threads(void **state)
{
    (void)state;
    tiny t;
    tiny_load(&t, "", "uCode,i1,i2\nB,1,2\nA,3,4\nC,5,8\n");
    assert_int_equal(tiny_build(&t, "{\"steps\":[]}", 0), 0);
    thrd_t th[4];
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(thrd_create(&th[i], read_ranks, t.res),
                         thrd_success);
    for (size_t i = 0; i < 4; i++) {
        int got = 0;
        assert_int_equal(thrd_join(th[i], &got), thrd_success);
        assert_int_equal(got, 2); /* A has 3: second of 1, 3, 5 */
    }
    const gca_dset *rk = gca_result_ranks(t.res);
    assert_ptr_equal(gca_result_ranks(t.res), rk);
    tiny_release(&t);
}

static void test_compat_flag(void **state)
{
    (void)state;
    tiny t;
    /* i2 is constant: min-max divides by zero. gca refuses; COINr (and
     * compat "coinr", by flag or in the method) gives NaN, as R's
     * (x - min) / (max - min) does. */
    tiny_load(&t, "", "uCode,i1,i2\nA,1,7\nB,2,7\n");
    static const char nm[] =
        "{\"steps\":[{\"step\":\"normalise\",\"f_n\":\"n_minmax\"}]}";
    assert_int_equal(tiny_build(&t, nm, 0), GCA_EDATA);
    assert_null(t.res);
    assert_string_equal(t.err.source, "m.json: step 1 (normalise)");
    assert_non_null(strstr(t.err.msg, "indicator 'i2' (n_minmax)"));

    assert_int_equal(tiny_build(&t, nm, GCA_BUILD_COMPAT_COINR), 0);
    const gca_dset *d = gca_result_dset(t.res, "Normalised");
    assert_true(isnan(GCA_DSET_AT(d, 0, 1)) && isnan(GCA_DSET_AT(d, 1, 1)));
    assert_false(isnan(GCA_DSET_AT(d, 0, 0)));

    assert_int_equal(tiny_build(&t, "{\"steps\":[{\"step\":\"normalise\","
                                    "\"f_n\":\"n_minmax\",\"compat\":"
                                    "\"coinr\"}]}", 0), 0);
    d = gca_result_dset(t.res, "Normalised");
    assert_true(isnan(GCA_DSET_AT(d, 1, 1)));
    tiny_release(&t);
}

static void test_bad_calls(void **state)
{
    (void)state;
    tiny t, u;
    tiny_load(&t, "", DATA);
    tiny_load(&u, "", DATA);
    assert_int_equal(tiny_build(&t, "{\"steps\":[]}", 0), 0);
    gca_result *res = NULL;
    gca_err err = {0};
    assert_int_equal(gca_build(NULL, t.ds, t.m, 0, &res, &err), GCA_EINVAL);
    assert_null(res);
    /* Data bound to another (equal) framework. */
    gca_err_clear(&err);
    assert_int_equal(gca_build(t.fw, u.ds, t.m, 0, &res, &err), GCA_EINVAL);
    assert_non_null(strstr(err.msg, "not bound to this framework"));
    assert_null(res);
    /* Data not bound at all. */
    gca_dataset *ds = NULL;
    assert_int_equal(gca_dataset_read_csv_mem(DATA, strlen(DATA), "x.csv",
                                              &ds, &err), 0);
    gca_err_clear(&err);
    assert_int_equal(gca_build(t.fw, ds, t.m, 0, &res, &err), GCA_EINVAL);
    assert_string_equal(err.source, "x.csv");
    gca_dataset_free(ds);
    tiny_release(&u);
    tiny_release(&t);
}

/* Many steps in one method: every data set and report is kept. */
static void test_many_steps(void **state)
{
    (void)state;
    tiny t;
    tiny_load(&t, "", "uCode,i1,i2\nA,1,2\nB,3,NA\nC,5,8\nD,2,1\n");
    char json[GCA_MAX_STEPS * 40 + 64];
    /* 17 screens: one more than an earlier report limit. */
    size_t k = (size_t)snprintf(json, sizeof json, "{\"steps\":[");
    for (int i = 0; i < 17; i++)
        k += (size_t)snprintf(json + k, sizeof json - k,
                              "%s{\"step\":\"screen\"}", i ? "," : "");
    snprintf(json + k, sizeof json - k, "]}");
    assert_int_equal(tiny_build(&t, json, 0), 0);
    assert_int_equal(gca_result_ndsets(t.res), 18);
    assert_int_equal(gca_result_nreports(t.res), 17);
    assert_string_equal(gca_result_report_at(t.res, 16)->name,
                        "screen_summary");
    /* The latest of a name is found. */
    assert_ptr_equal(gca_result_report(t.res, "screen_summary"),
                     gca_result_report_at(t.res, 16));
    assert_ptr_equal(gca_result_dset(t.res, "Screened"),
                     gca_result_dset_at(t.res, 17));

    /* The most steps a method may have, each making two reports. */
    k = (size_t)snprintf(json, sizeof json, "{\"steps\":[");
    for (int i = 0; i < GCA_MAX_STEPS; i++)
        k += (size_t)snprintf(json + k, sizeof json - k,
                              "%s{\"step\":\"treat\"}", i ? "," : "");
    snprintf(json + k, sizeof json - k, "]}");
    int rc = tiny_build(&t, json, 0);
    if (rc < 0)
        fail_msg("%s: %s", t.err.source, t.err.msg);
    assert_int_equal(gca_result_ndsets(t.res), GCA_MAX_STEPS + 1);
    assert_int_equal(gca_result_nreports(t.res), 2 * GCA_MAX_STEPS);
    tiny_release(&t);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    tiny t;
    tiny_load(&t, "", DATA);
    assert_int_equal(tiny_build(&t, "{\"steps\":[{\"step\":\"screen\"},"
                                    "{\"step\":\"impute\"},"
                                    "{\"step\":\"treat\"},"
                                    "{\"step\":\"normalise\"},"
                                    "{\"step\":\"aggregate\"}]}", 0), 0);
    gca_result_free(t.res);
    t.res = NULL;
    int done = 0, tries = 0;
    for (long n = 1; n < 100000 && !done; n++) {
        gca_result *res = NULL;
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_build(t.fw, t.ds, t.m, 0, &res, &err);
        gca_alloc_fail_after(0);
        tries++;
        if (rc == 0)
            done = 1;
        else
            assert_int_equal(rc, GCA_ENOMEM);
        gca_result_free(res);
    }
    assert_true(done && tries > 1);
    tiny_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_small),
        cmocka_unit_test(test_rank_edges),
        cmocka_unit_test(test_rank_large),
        cmocka_unit_test(test_raw_and_ranks),
        cmocka_unit_test(test_dsets_and_weights),
        cmocka_unit_test(test_ranks_threads),
        cmocka_unit_test(test_compat_flag),
        cmocka_unit_test(test_bad_calls),
        cmocka_unit_test(test_many_steps),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
