/* test_aggregate.c - the aggregate step against COINr: the standard
 * build's Aggregated set (tests/oracle/pipeline/07_aggregated.csv) and
 * every aggregation variant computed from the oracle's min-max [1, 100]
 * set (tests/oracle/variants/aggregate_*.csv, see aggregate_index.csv),
 * with f_ag by name, array, level and code; hand-made cases for weights,
 * dat_thresh, missing children, a_sum, Copeland and the compat switch;
 * parameter and data errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mini_build.h"
#include "testutil.h"

#define NORM_1_100 "tests/oracle/variants/normalised_minmax_1_100.csv"
#define AGG(x) "{\"steps\":[{\"step\":\"aggregate\"," x "}]}"
#define STANDARD_PREFIX                                                      \
    "{\"steps\":[{\"step\":\"denominate\"},{\"step\":\"impute\","            \
    "\"f_i\":\"i_mean_grp\",\"use_group\":\"EurAsia_group\"},"               \
    "{\"step\":\"screen\",\"dat_thresh\":0.9,\"unit_screen\":\"byNA\"},"     \
    "{\"step\":\"treat\",\"winmax\":5},{\"step\":\"normalise\","             \
    "\"f_n\":\"n_minmax\",\"l_u\":[0,100]},"

static void print_err(const char *what, const gca_err *err)
{
    char msg[1024];
    gca_err_format(err, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", what, msg);
}

static void test_standard(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags <= GCA_BUILD_COMPAT_COINR;
         flags += GCA_BUILD_COMPAT_COINR) {
        gca_err err = {0};
        gca_result *res = NULL;
        int rc = tu_build_asem(
            STANDARD_PREFIX "{\"step\":\"aggregate\",\"f_ag\":\"a_amean\"}]}",
            flags, &res, &err);
        if (rc < 0)
            print_err("standard build", &err);
        assert_int_equal(rc, 0);
        const gca_dset *d = gca_result_dset(res, "Aggregated");
        assert_non_null(d);
        assert_ptr_equal(d, gca_result_final(res));
        assert_int_equal(
            tu_check_dset(d, "tests/oracle/pipeline/07_aggregated.csv", 0), 0);
        gca_result_free(res);
    }
    /* The same from the oracle's Normalised set, with the default f_ag. */
    gca_err err = {0};
    gca_result *res = NULL;
    assert_int_equal(tu_build_asem_from("tests/oracle/pipeline/"
                                        "06_normalised.csv",
                                        AGG("\"comment\":\"defaults\""), 0,
                                        &res, &err),
                     0);
    const gca_dset *d = gca_result_dset(res, "Aggregated");
    assert_int_equal(
        tu_check_dset(d, "tests/oracle/pipeline/07_aggregated.csv", 0), 0);
    /* Indicators first, in input order, then level 2, 3, 4. */
    assert_int_equal(d->ncol, 60);
    assert_string_equal(d->icode[0], "LPI");
    for (size_t c = 49; c + 1 < d->ncol; c++) {
        const gca_node *a = gca_framework_node(tu_asem_framework(),
                                               d->icode[c]);
        const gca_node *b = gca_framework_node(tu_asem_framework(),
                                               d->icode[c + 1]);
        assert_int_equal(a->type, GCA_NODE_AGGREGATE);
        assert_true(a->level <= b->level);
    }
    assert_string_equal(d->icode[59], "Index");
    gca_result_free(res);
}

static const struct variant {
    const char *file;
    const char *json;
    unsigned flags;
} variants[] = {
    {"amean", AGG("\"f_ag\":\"a_amean\""), 0},
    {"gmean", AGG("\"f_ag\":\"a_gmean\""), 0},
    {"hmean", AGG("\"f_ag\":\"a_hmean\""), 0},
    {"genmean_p2", AGG("\"f_ag\":\"a_genmean\",\"f_ag_para\":{\"p\":2}"), 0},
    {"genmean_p2", AGG("\"f_ag\":\"a_genmean\",\"p\":2"),
     GCA_BUILD_COMPAT_COINR},
    {"genmean_pm1", AGG("\"f_ag\":\"a_genmean\",\"f_ag_para\":{\"p\":-1}"),
     0},
    {"genmean_pm1",
     AGG("\"f_ag\":\"a_genmean\",\"f_ag_para\":{\"2\":{\"p\":-1},"
         "\"3\":{\"p\":-1},\"Index\":{\"p\":-1}}"),
     0},
    {"amean_gmean_amean", AGG("\"f_ag\":[\"a_amean\",\"a_gmean\",\"a_amean\"]"),
     0},
    {"amean_gmean_amean",
     AGG("\"f_ag\":{\"2\":\"a_amean\",\"3\":\"a_gmean\",\"4\":\"a_amean\"}"),
     0},
    /* Code keys: the two level-3 aggregates by name. */
    {"amean_gmean_amean", AGG("\"f_ag\":{\"Conn\":\"a_gmean\","
                              "\"Sust\":\"a_gmean\"}"),
     0},
    {"amean_gmean_amean", AGG("\"f_ag\":{\"3\":\"a_hmean\",\"Conn\":"
                              "\"a_gmean\",\"Sust\":\"a_gmean\"}"),
     0},
    {"weightedMedian",
     AGG("\"f_ag\":\"weightedMedian\",\"f_ag_para\":{\"na.rm\":true}"), 0},
    {"weightedMedian", AGG("\"f_ag\":\"a_wmedian\""), 0},
    {"copeland_all_levels", AGG("\"f_ag\":\"copeland\""), 0},
    {"copeland_all_levels", AGG("\"f_ag\":\"a_copeland\""),
     GCA_BUILD_COMPAT_COINR},
    {"amean_amean_copeland", AGG("\"f_ag\":{\"4\":\"a_copeland\"}"), 0},
    {"amean_amean_copeland",
     AGG("\"f_ag\":[\"a_amean\",\"a_amean\",\"copeland\"]"), 0},
};

static void test_variants(void **state)
{
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(variants); i++) {
        const struct variant *v = &variants[i];
        char rel[256];
        gca_err err = {0};
        gca_result *res = NULL;
        snprintf(rel, sizeof rel, "tests/oracle/variants/aggregate_%s.csv",
                 v->file);
        int rc = tu_build_asem_from(NORM_1_100, v->json, v->flags, &res, &err);
        if (rc < 0)
            print_err(v->json, &err);
        assert_int_equal(rc, 0);
        /* The oracle files hold the 11 aggregates only. */
        int bad = tu_check_dset(gca_result_dset(res, "Aggregated"), rel, 1);
        if (bad)
            fprintf(stderr, "variant %zu: %s\n", i, v->json);
        assert_int_equal(bad, 0);
        gca_result_free(res);
    }
}

/* ====== Hand-made cases ====== */

static const char mini_meta[] =
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
    "1,a,A,1,1,,,,P,Indicator\n"
    "1,b,B,1,3,,,,P,Indicator\n"
    "1,c,C,1,1,,,,Q,Indicator\n"
    "1,d,D,1,1,,,,Q,Indicator\n"
    "2,P,P,1,1,,,,Top,Aggregate\n"
    "2,Q,Q,1,2,,,,Top,Aggregate\n"
    "3,Top,Top,1,1,,,,,Aggregate\n";

/* U3 misses b, U4 misses c and d; U5 has a negative and a zero. */
static const char mini_data[] =
    "uCode,a,b,c,d\n"
    "U1,1,3,2,8\n"
    "U2,4,4,4,1\n"
    "U3,2,NA,1,1\n"
    "U4,5,1,NA,NA\n"
    "U5,-1,0,1,1\n";

static const char *const units[] = {"U1", "U2", "U3", "U4", "U5"};

typedef struct mcase {
    const char *json;
    unsigned flags;
    const char *code;
    double want[5];
} mcase;

static void run_mcases(const mcase *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mini mb;
        int rc = mini_build(&mb, mini_meta, mini_data, cases[i].json,
                            cases[i].flags);
        if (rc)
            print_err(cases[i].json, &mb.err);
        assert_int_equal(rc, 0);
        const gca_dset *d = gca_result_dset(mb.res, "Aggregated");
        for (size_t u = 0; u < GCA_COUNT(units); u++) {
            double got = mini_at(d, units[u], cases[i].code);
            if (!tu_close(got, cases[i].want[u], 1e-14, 1e-14))
                fprintf(stderr, "case %zu %s/%s: got %.17g, want %.17g\n", i,
                        units[u], cases[i].code, got, cases[i].want[u]);
            assert_true(tu_close(got, cases[i].want[u], 1e-14, 1e-14));
        }
        mini_release(&mb);
    }
}

static void test_mini_means(void **state)
{
    (void)state;
    static const mcase cases[] = {
        /* Weights a:1, b:3; a missing child drops out with its weight. */
        {AGG("\"f_ag\":\"a_amean\""), 0, "P", {2.5, 4, 2, 2, -0.25}},
        {AGG("\"f_ag\":\"a_amean\""), 0, "Q", {5, 2.5, 1, NAN, 1}},
        /* Top: P weight 1, Q weight 2; U4 has only P. */
        {AGG("\"f_ag\":\"a_amean\""), 0, "Top",
         {12.5 / 3, 9.0 / 3, 4.0 / 3, 2, 1.75 / 3}},
        /* Overrides: b to 1, Q to 1. */
        {AGG("\"w\":{\"b\":1,\"Q\":1}"), 0, "P", {2, 4, 2, 3, -0.5}},
        {AGG("\"w\":{\"b\":1,\"Q\":1}"), 0, "Top",
         {3.5, 3.25, 1.5, 3, 0.25}},
        /* "none": every weight 1. */
        {AGG("\"w\":\"none\""), 0, "P", {2, 4, 2, 3, -0.5}},
        /* A zero weight removes the child. */
        {AGG("\"w\":{\"a\":0}"), 0, "P", {3, 4, NAN, 1, 0}},
        /* dat_thresh: P needs both children; per level or code. */
        {AGG("\"dat_thresh\":0.6"), 0, "P", {2.5, 4, NAN, 2, -0.25}},
        {AGG("\"dat_thresh\":{\"2\":0.6}"), 0, "Q", {5, 2.5, 1, NAN, 1}},
        {AGG("\"dat_thresh\":{\"P\":1,\"Q\":0}"), 0, "P",
         {2.5, 4, NAN, 2, -0.25}},
        {AGG("\"dat_thresh\":1"), 0, "Top",
         {12.5 / 3, 9.0 / 3, NAN, NAN, 1.75 / 3}},
        /* a_sum: weighted sum, NA when any child is missing. */
        {AGG("\"f_ag\":{\"2\":\"a_sum\"}"), 0, "P", {10, 16, NAN, 8, -1}},
        {AGG("\"f_ag\":{\"Q\":\"a_sum\",\"P\":\"a_sum\"},\"w\":\"none\""), 0,
         "Q", {10, 5, 2, NAN, 2}},
        /* Generalised mean p = 2 of Q: sqrt((c^2 + d^2) / 2); a missing
         * child drops out by default and gives NA under compat. */
        {AGG("\"f_ag\":{\"2\":\"a_genmean\"},\"f_ag_para\":{\"2\":{\"p\":2}}"),
         0, "P", {sqrt(28.0 / 4), 4, 2, sqrt(28.0 / 4), sqrt(1.0 / 4)}},
        {AGG("\"f_ag\":{\"2\":\"a_genmean\"},\"f_ag_para\":{\"2\":{\"p\":2}}"),
         GCA_BUILD_COMPAT_COINR, "P",
         {sqrt(28.0 / 4), 4, NAN, sqrt(28.0 / 4), sqrt(1.0 / 4)}},
        /* Weighted median of Q's c, d with equal weights: interpolated,
         * the midpoint; with ties "min" the lower one. */
        {AGG("\"f_ag\":{\"Q\":\"a_wmedian\"}"), 0, "Q", {5, 2.5, 1, NAN, 1}},
        {AGG("\"f_ag\":{\"Q\":\"a_wmedian\"},\"f_ag_para\":{\"Q\":"
             "{\"ties\":\"min\"}}"),
         0, "Q", {2, 1, 1, NAN, 1}},
        {AGG("\"f_ag\":{\"Q\":\"a_wmedian\"},\"f_ag_para\":{\"Q\":"
             "{\"ties\":\"max\"}}"),
         0, "Q", {8, 4, 1, NAN, 1}},
        /* P with weights 1 and 3 (b weighs 3/4): b's value. */
        {AGG("\"f_ag\":{\"P\":\"a_wmedian\"},\"f_ag_para\":{\"P\":"
             "{\"interpolate\":false}}"),
         0, "P", {3, 4, 2, 1, 0}},
        {AGG("\"f_ag\":{\"P\":\"a_wmedian\"},\"f_ag_para\":{\"P\":"
             "{\"na.rm\":false}}"),
         0, "P", {2.5, 4, NAN, 2, -0.25}},
        /* Harmonic mean of Q (U5 is fine there: 1 and 1). */
        {AGG("\"f_ag\":{\"Q\":\"a_hmean\"}"), 0, "Q",
         {2 / (0.5 + 0.125), 2 / (0.25 + 1), 1, NAN, 1}},
    };
    run_mcases(cases, GCA_COUNT(cases));
}

static void test_mini_copeland(void **state)
{
    (void)state;
    /* Q over c, d (weights 1, 1): U1 (2, 8) beats U2 (4, 1)? one each:
     * 0.5, a draw. U3 and U5 (1, 1) tie. U4 has no data. */
    static const mcase cases[] = {
        {AGG("\"f_ag\":{\"Q\":\"copeland\"}"), 0, "Q", {2, 2, -2, NAN, -2}},
        /* COINr scores U4 by its row order: it "loses" to later units
         * (U5) and "beats" earlier ones (U1..U3). */
        {AGG("\"f_ag\":{\"Q\":\"copeland\"}"), GCA_BUILD_COMPAT_COINR, "Q",
         {1, 1, -3, 2, -1}},
    };
    run_mcases(cases, GCA_COUNT(cases));
}

static void test_mini_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        unsigned flags;
        int code;
        const char *want;
    } cases[] = {
        {AGG("\"f_ag\":\"a_gmean\""), 0, GCA_EDATA,
         "aggregate 'P' (a_gmean): unit 'U5' has -1 in 'a'; the geometric "
         "mean needs values > 0"},
        {AGG("\"f_ag\":\"a_gmean\",\"w\":{\"a\":0}"), 0, GCA_EDATA,
         "aggregate 'P' (a_gmean): unit 'U5' has -1 in 'a'"},
        {AGG("\"f_ag\":\"a_gmean\",\"dat_thresh\":1,\"w\":{\"a\":1}"),
         GCA_BUILD_COMPAT_COINR, GCA_EDATA,
         "aggregate 'P' (a_gmean): unit 'U5' has -1 in 'a'"},
        {AGG("\"f_ag\":{\"P\":\"a_gmean\"},\"w\":{\"b\":1}"), 0, GCA_EDATA,
         "unit 'U5' has -1 in 'a'"},
        {AGG("\"f_ag\":\"a_hmean\""), 0, GCA_EDATA,
         "aggregate 'P' (a_hmean): unit 'U5' has -1 in 'a'; the harmonic "
         "mean needs values > 0"},
        {AGG("\"f_ag\":\"a_hmean\""), GCA_BUILD_COMPAT_COINR, GCA_EDATA,
         "aggregate 'P' (a_hmean): unit 'U5' has 0 in 'b'"},
        {AGG("\"f_ag\":\"a_genmean\",\"p\":-1"), 0, GCA_EDATA,
         "aggregate 'P' (a_genmean): unit 'U5' has -1 in 'a'"},
        {AGG("\"f_ag\":\"a_genmean\""), 0, GCA_EMETHOD,
         "a_genmean needs parameter 'p' (aggregate 'P')"},
        {AGG("\"f_ag\":{\"9\":\"a_amean\"}"), 0, GCA_EMETHOD,
         "level 9 is not an aggregate level (2 to 3)"},
        {AGG("\"f_ag\":{\"1\":\"a_amean\"}"), 0, GCA_EMETHOD,
         "level 1 is not an aggregate level"},
        {AGG("\"f_ag\":{\"a\":\"a_amean\"}"), 0, GCA_EMETHOD,
         "'a' is neither a level nor an aggregate of the framework"},
        {AGG("\"f_ag\":{\"XYZ\":\"a_amean\"}"), 0, GCA_EMETHOD,
         "'XYZ' is neither a level nor an aggregate"},
        {AGG("\"f_ag\":[\"a_amean\"]"), 0, GCA_EMETHOD,
         "'f_ag' has 1 names but the framework has 2 levels"},
        {AGG("\"w\":{\"zz\":1}"), 0, GCA_EMETHOD,
         "'w' names 'zz', which is not a node"},
        {AGG("\"weights\":\"alt\""), 0, GCA_EMETHOD,
         "the framework has no weight set 'alt'"},
        {AGG("\"w\":\"alt\""), 0, GCA_EMETHOD,
         "the framework has no weight set 'alt'"},
        {AGG("\"w\":{\"a\":0,\"b\":0}"), 0, GCA_EMETHOD,
         "aggregate 'P': the weights of its children sum to zero"},
        {AGG("\"f_ag_para\":{\"2\":{\"p\":2}}"), 0, GCA_EMETHOD,
         "parameter 'p' given for '2' does not apply to a_amean (aggregate "
         "'P')"},
        {AGG("\"p\":2"), 0, GCA_EMETHOD,
         "parameter 'p' applies to none of the aggregation functions used"},
        {AGG("\"f_ag_para\":{\"Top\":{\"p\":2}},\"f_ag\":{\"Top\":"
             "\"a_genmean\",\"P\":\"a_genmean\"}"),
         0, GCA_EMETHOD, "a_genmean needs parameter 'p' (aggregate 'P')"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++)
        assert_int_equal(mini_expect_fail(mini_meta, mini_data, cases[i].json,
                                          cases[i].flags, cases[i].code,
                                          cases[i].want, "aggregate"),
                         0);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *want;
    } cases[] = {
        {AGG("\"f_ag\":\"a_mean\""),
         "unknown aggregation function 'a_mean'"},
        {AGG("\"f_ag\":{\"2\":3}"),
         "unknown aggregation function '(not a string)'"},
        {AGG("\"f_ag\":[]"), "needs one name per level"},
        {AGG("\"f_ag\":3"), "'f_ag' must be a function name"},
        {AGG("\"by_df\":true"), "unknown parameter 'by_df'"},
        {AGG("\"f_ag_para\":{\"q\":1}"), "unknown parameter 'q'"},
        {AGG("\"f_ag_para\":{\"2\":{\"q\":1}}"), "unknown parameter 'q'"},
        {AGG("\"f_ag_para\":[1]"), "'f_ag_para' must be an object"},
        {AGG("\"p\":0"), "parameter 'p' must be a number other than 0"},
        {AGG("\"p\":\"2\""), "parameter 'p' must be a number"},
        {AGG("\"p\":2,\"f_ag_para\":{\"p\":3}"),
         "parameter 'p' is given twice"},
        {AGG("\"na.rm\":1"), "parameter 'na.rm' must be true or false"},
        {AGG("\"ties\":\"first\""), "parameter 'ties' must be"},
        {AGG("\"dat_thresh\":1.5"), "'dat_thresh' must be a number from 0"},
        {AGG("\"dat_thresh\":{\"2\":\"x\"}"), "'dat_thresh' must be a number"},
        {AGG("\"w\":{\"a\":-1}"),
         "weight of 'a' in 'w' must be a finite number >= 0"},
        {AGG("\"w\":[1]"), "'w' must be an object"},
        {AGG("\"weights\":\"s\",\"w\":\"t\""),
         "give the weight set either as 'weights' or as 'w'"},
        {AGG("\"weights\":1"), "parameter 'weights' must be a string"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_method *m = NULL;
        gca_err err = {0};
        int rc = gca_method_load_mem(cases[i].json, strlen(cases[i].json),
                                     "method.json", &m, &err);
        if (rc != GCA_EMETHOD || !strstr(err.msg, cases[i].want))
            print_err(cases[i].want, &err);
        assert_int_equal(rc, GCA_EMETHOD);
        assert_null(m);
        assert_non_null(strstr(err.msg, cases[i].want));
        assert_non_null(strstr(err.source, "method.json: step 1 (aggregate)"));
    }
}

/* Weights of the last aggregation are the result's weights. */
static void test_result_weights(void **state)
{
    (void)state;
    mini mb;
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                AGG("\"w\":{\"b\":1,\"Q\":0.5}"), 0),
                     0);
    size_t n = gca_framework_nnodes(mb.fw);
    double w[16], eff[16];
    assert_true(n <= GCA_COUNT(w));
    assert_int_equal(gca_result_weights(mb.res, w, n, &mb.err), 0);
    assert_int_equal(gca_result_effective_weights(mb.res, eff, n, &mb.err),
                     0);
    static const struct {
        const char *code;
        double w, eff;
    } want[] = {
        {"a", 1, 1.0 / 3}, {"b", 1, 1.0 / 3}, {"c", 1, 1.0 / 6},
        {"d", 1, 1.0 / 6}, {"P", 1, 2.0 / 3}, {"Q", 0.5, 1.0 / 3},
        {"Top", 1, 1},
    };
    for (size_t i = 0; i < GCA_COUNT(want); i++) {
        int k = gca_framework_find(mb.fw, want[i].code);
        assert_true(k >= 0);
        assert_true(tu_close(w[k], want[i].w, 1e-15, 0));
        assert_true(tu_close(eff[k], want[i].eff, 1e-15, 0));
    }
    mini_release(&mb);
}

/* Every allocation of an aggregate run may fail: the build reports
 * GCA_ENOMEM and leaks nothing (checked under ASan). */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *json = AGG("\"f_ag\":{\"P\":\"copeland\",\"Q\":"
                           "\"a_wmedian\"},\"w\":{\"b\":2},"
                           "\"f_ag_para\":{\"Q\":{\"ties\":\"min\"}}");
    int built = 0;
    for (long n = 1; n < 1000 && !built; n++) {
        gca_err err = {0};
        gca_framework *fw = NULL;
        gca_dataset *ds = NULL;
        gca_method *m = NULL;
        gca_result *res = NULL;
        assert_int_equal(gca_framework_load_mem(mini_meta, strlen(mini_meta),
                                                "m", &fw, NULL, &err), 0);
        assert_int_equal(gca_dataset_read_csv_mem(mini_data,
                                                  strlen(mini_data), "d", &ds,
                                                  &err), 0);
        assert_int_equal(gca_dataset_bind(ds, fw, NULL, NULL, &err), 0);
        gca_alloc_fail_after(n);
        int rc = gca_method_load_mem(json, strlen(json), "m", &m, &err);
        if (rc == 0)
            rc = gca_build(fw, ds, m, 0, &res, &err);
        gca_alloc_fail_after(0);
        if (rc == 0)
            built = 1;
        else
            assert_int_equal(rc, GCA_ENOMEM);
        gca_result_free(res);
        gca_method_free(m);
        gca_dataset_free(ds);
        gca_framework_free(fw);
    }
    assert_true(built);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_mini_means),
        cmocka_unit_test(test_mini_copeland),
        cmocka_unit_test(test_mini_errors),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_result_weights),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
