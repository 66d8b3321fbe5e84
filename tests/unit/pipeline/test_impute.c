/* test_impute.c - the impute step against COINr: the standard build's
 * Imputed set (group mean by EurAsia_group) and every imputation variant
 * of tests/oracle/variants/impute_*.csv (all on the Denominated set);
 * hand-made cases for missing groups, empty groups, medians, "none" and
 * row imputation; parameter and run errors. */
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

/* Build the ASEM example with `json` and return data set `name`; the
 * result goes to *res (the caller frees it). */
static const gca_dset *build_dset(const char *json, const char *name,
                                  gca_result **res)
{
    gca_err err = {0};
    int rc = tu_build_asem(json, 0, res, &err);
    if (rc < 0) {
        char msg[1024];
        gca_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "build failed: %s\n", msg);
    }
    assert_int_equal(rc, 0);
    const gca_dset *d = gca_result_dset(*res, name);
    assert_non_null(d);
    return d;
}

static void test_asem_oracle(void **state)
{
    static const struct {
        const char *params;
        const char *oracle;
    } cases[] = {
        {"\"f_i\":\"i_mean_grp\",\"use_group\":\"EurAsia_group\"",
         "tests/oracle/pipeline/03_imputed.csv"},
        {"\"f_i\":\"i_mean_grp\",\"use_group\":\"EurAsia_group\"",
         "tests/oracle/variants/impute_i_mean_grp_EurAsia.csv"},
        {"\"f_i\":\"i_mean\"", "tests/oracle/variants/impute_i_mean.csv"},
        {"\"comment\":\"i_mean is the default\"",
         "tests/oracle/variants/impute_i_mean.csv"},
        {"\"f_i\":\"i_median\"", "tests/oracle/variants/impute_i_median.csv"},
        {"\"f_i\":\"i_median_grp\",\"use_group\":\"GDP_group\"",
         "tests/oracle/variants/impute_i_median_grp_GDPgroup.csv"},
        {"\"f_i\":\"i_mean\",\"impute_by\":\"row\",\"group_level\":2,"
         "\"normalise_first\":true",
         "tests/oracle/variants/impute_row_mean_level2_normfirst.csv"},
        /* normalise_first defaults to true by row. */
        {"\"impute_by\":\"row\",\"group_level\":2",
         "tests/oracle/variants/impute_row_mean_level2_normfirst.csv"},
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"steps\":[{\"step\":\"denominate\"},{\"step\":\"impute\","
                 "%s}]}",
                 cases[i].params);
        gca_result *res = NULL;
        const gca_dset *d = build_dset(json, "Imputed", &res);
        int bad = tu_check_dset(d, cases[i].oracle, 0);
        gca_result_free(res);
        if (bad)
            fprintf(stderr, "case %zu (%s): %d mismatches\n", i,
                    cases[i].params, bad);
        assert_int_equal(bad, 0);
    }
}

/* Imputation leaves the 65 missing values of the Denominated set filled
 * and every present value bit for bit as it was. */
static void test_present_values_untouched(void **state)
{
    (void)state;
    gca_err err = {0};
    gca_result *res = NULL;
    assert_int_equal(tu_build_asem("{\"steps\":[{\"step\":\"denominate\"},"
                                   "{\"step\":\"impute\",\"impute_by\":"
                                   "\"row\"}]}",
                                   0, &res, &err),
                     0);
    const gca_dset *a = gca_result_dset(res, "Denominated");
    const gca_dset *b = gca_result_dset(res, "Imputed");
    size_t filled = 0;
    for (size_t i = 0; i < a->nrow * a->ncol; i++) {
        if (isnan(a->v[i]))
            filled += !isnan(b->v[i]);
        else
            assert_memory_equal(&a->v[i], &b->v[i], sizeof(double));
    }
    assert_int_equal(filled, 65);
    gca_result_free(res);
}

static const char mini_meta[] =
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
    "1,a,A,1,1,,,,P1,Indicator\n"
    "1,b,B,-1,1,,,,P1,Indicator\n"
    "1,c,C,1,1,,,,P2,Indicator\n"
    "2,P1,P1,1,1,,,,Top,Aggregate\n"
    "2,P2,P2,1,1,,,,Top,Aggregate\n"
    "3,Top,Top,1,1,,,,,Aggregate\n"
    "NA,Grp,Group,NA,NA,,,,,Group\n"
    "NA,Empty,No group,NA,NA,,,,,Group\n";

/* Group x: a = 1, 3, NA; group y: a = 10, NA (and c all NA in y); U6 has
 * no group. */
static const char mini_data[] =
    "uCode,Grp,Empty,a,b,c\n"
    "U1,x,NA,1,10,2\n"
    "U2,x,NA,3,20,4\n"
    "U3,x,NA,NA,30,6\n"
    "U4,y,NA,10,NA,NA\n"
    "U5,y,NA,NA,50,NA\n"
    "U6,NA,NA,NA,60,8\n";

static void test_groups(void **state)
{
    (void)state;
    mini mb;
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"impute\",\"f_i\":"
                                "\"i_mean_grp\",\"use_group\":\"Grp\"}]}",
                                0),
                     0);
    const gca_dset *d = gca_result_dset(mb.res, "Imputed");
    assert_true(mini_at(d, "U3", "a") == 2);  /* mean of 1, 3 */
    assert_true(mini_at(d, "U5", "a") == 10); /* mean of 10 */
    assert_true(isnan(mini_at(d, "U6", "a"))); /* no group: left alone */
    assert_true(mini_at(d, "U4", "b") == 50);
    assert_true(isnan(mini_at(d, "U4", "c"))); /* group y has no c */
    assert_true(isnan(mini_at(d, "U5", "c")));
    assert_true(mini_at(d, "U1", "a") == 1);
    mini_release(&mb);

    /* Medians: group x of b is 10, 20, 30 (nothing missing); y: 50. */
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"impute\",\"f_i\":"
                                "\"i_median_grp\",\"use_group\":\"Grp\"}]}",
                                0),
                     0);
    d = gca_result_dset(mb.res, "Imputed");
    assert_true(mini_at(d, "U3", "a") == 2);
    assert_true(mini_at(d, "U4", "b") == 50);
    mini_release(&mb);
}

static void test_column_and_row(void **state)
{
    (void)state;
    mini mb;
    /* Column medians: a of 1, 3, 10 -> 3; b of 10..60 without 40 -> 30;
     * c of 2, 4, 6, 8 -> 5. */
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"impute\",\"f_i\":"
                                "\"i_median\"}]}",
                                0),
                     0);
    const gca_dset *d = gca_result_dset(mb.res, "Imputed");
    assert_true(mini_at(d, "U3", "a") == 3 && mini_at(d, "U6", "a") == 3);
    assert_true(mini_at(d, "U4", "b") == 30);
    assert_true(mini_at(d, "U4", "c") == 5);
    mini_release(&mb);

    /* "none" and "disable" copy the data. */
    static const char *const copies[] = {
        "{\"steps\":[{\"step\":\"impute\",\"f_i\":\"none\"}]}",
        "{\"steps\":[{\"step\":\"impute\",\"disable\":true}]}",
    };
    for (size_t i = 0; i < GCA_COUNT(copies); i++) {
        assert_int_equal(mini_build(&mb, mini_meta, mini_data, copies[i], 0),
                         0);
        d = gca_result_dset(mb.res, "Imputed");
        assert_true(isnan(mini_at(d, "U3", "a")));
        assert_true(mini_at(d, "U2", "a") == 3);
        mini_release(&mb);
    }

    /* By row without normalising, over all columns: U3 = mean(30, 6) = 18;
     * U5 = 50 for a and c; U4 = 10 for b and c. */
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"impute\",\"impute_by\""
                                ":\"row\",\"normalise_first\":false}]}",
                                0),
                     0);
    d = gca_result_dset(mb.res, "Imputed");
    assert_true(mini_at(d, "U3", "a") == 18);
    assert_true(mini_at(d, "U5", "a") == 50 && mini_at(d, "U5", "c") == 50);
    assert_true(mini_at(d, "U4", "b") == 10 && mini_at(d, "U4", "c") == 10);
    mini_release(&mb);

    /* By row within level-2 groups: c is alone under P2, so its missing
     * values stay; U3's a comes from b alone (row P1 = {a, b}). */
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"impute\",\"impute_by\""
                                ":\"row\",\"group_level\":2,"
                                "\"normalise_first\":false}]}",
                                0),
                     0);
    d = gca_result_dset(mb.res, "Imputed");
    assert_true(mini_at(d, "U3", "a") == 30);
    assert_true(isnan(mini_at(d, "U4", "c")));
    mini_release(&mb);

    /* Normalised first: b is reversed (direction -1), so U3's b = 30 is
     * 0.6 of the way from b's best (10) to its worst (60); a = 1 + 0.6*9.
     * U4's b: a = 10 is a's maximum (1) -> b's best, 10. */
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"impute\",\"impute_by\""
                                ":\"row\",\"group_level\":2}]}",
                                0),
                     0);
    d = gca_result_dset(mb.res, "Imputed");
    assert_true(tu_close(mini_at(d, "U3", "a"), 1 + 0.6 * 9, 1e-15, 0));
    assert_true(tu_close(mini_at(d, "U4", "b"), 10, 1e-15, 0));
    assert_true(mini_at(d, "U1", "b") == 10);
    mini_release(&mb);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *params;
        int code;
        const char *want;
    } cases[] = {
        {"\"f_x\":1", GCA_EMETHOD, "unknown parameter 'f_x'"},
        {"\"f_i\":\"i_mode\"", GCA_EMETHOD, "unknown imputation function"},
        {"\"f_i\":3", GCA_EMETHOD, "'f_i' must be a string"},
        {"\"impute_by\":\"df\"", GCA_EMETHOD, "'impute_by' must be"},
        {"\"group_level\":1.5", GCA_EMETHOD, "'group_level' must be"},
        {"\"group_level\":\"2\"", GCA_EMETHOD,
         "'group_level' must be a number"},
        {"\"normalise_first\":1", GCA_EMETHOD, "'normalise_first' must be"},
        {"\"f_i\":\"i_mean_grp\"", GCA_EMETHOD, "needs parameter 'use_group'"},
        {"\"use_group\":\"Grp\"", GCA_EMETHOD, "'use_group' needs f_i"},
        {"\"f_i\":\"i_mean_grp\",\"use_group\":\"Grp\",\"impute_by\":\"row\"",
         GCA_EMETHOD, "needs impute_by \"column\""},
        {"\"f_i\":\"i_mean_grp\",\"use_group\":\"Nope\"", GCA_EDATA,
         "'Nope' is not a group column"},
        {"\"f_i\":\"i_mean_grp\",\"use_group\":\"a\"", GCA_EDATA,
         "'a' is not a group column"},
        {"\"f_i\":\"i_mean_grp\",\"use_group\":\"Empty\"", GCA_EDATA,
         "group column 'Empty' has no value"},
        {"\"impute_by\":\"row\",\"group_level\":4", GCA_EMETHOD,
         "top level is 3"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char json[512];
        mini_step_json(json, sizeof json, "impute", cases[i].params);
        assert_int_equal(mini_expect_fail(mini_meta, mini_data, json, 0,
                                          cases[i].code, cases[i].want,
                                          "impute"),
                         0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asem_oracle),
        cmocka_unit_test(test_present_values_untouched),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_column_and_row),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
