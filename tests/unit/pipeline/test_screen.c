/* test_screen.c - the screen step: COINr's Screened set and DataSummary of
 * the ASEM example (tests/oracle/pipeline/04_screened*.csv), then
 * hand-made cases for every unit_screen mode, thresholds, forced units and
 * a unit without data; parameter and run errors. */
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

static void test_asem_oracle(void **state)
{
    (void)state;
    gca_err err = {0};
    gca_result *res = NULL;
    int rc = tu_build_asem(
        "{\"steps\":[{\"step\":\"denominate\"},{\"step\":\"impute\","
        "\"f_i\":\"i_mean_grp\",\"use_group\":\"EurAsia_group\"},"
        "{\"step\":\"screen\",\"dat_thresh\":0.9,\"unit_screen\":\"byNA\"}]}",
        0, &res, &err);
    assert_int_equal(rc, 0);
    const gca_dset *d = gca_result_dset(res, "Screened");
    assert_non_null(d);
    assert_int_equal(tu_check_dset(d, "tests/oracle/pipeline/04_screened.csv",
                                   0), 0);
    const gca_report *rep = gca_result_report(res, "screen_summary");
    assert_non_null(rep);
    assert_int_equal(check_report(rep,
                                  "tests/oracle/pipeline/04_screened_summary"
                                  ".csv"),
                     0);
    gca_result_free(res);
}

/* On the Raw data (before imputation) screening by NA removes units:
 * the summary's Included column says which, and the data set keeps
 * exactly the others. */
static void test_asem_raw(void **state)
{
    (void)state;
    gca_err err = {0};
    gca_result *res = NULL;
    assert_int_equal(tu_build_asem("{\"steps\":[{\"step\":\"screen\","
                                   "\"dat_thresh\":0.95}]}",
                                   0, &res, &err),
                     0);
    const gca_dset *raw = gca_result_dset(res, "Raw");
    const gca_dset *d = gca_result_dset(res, "Screened");
    const gca_report *rep = gca_result_report(res, "screen_summary");
    assert_int_equal(rep->nrow, raw->nrow);
    size_t kept = 0;
    for (size_t r = 0; r < rep->nrow; r++) {
        char b1[40], b2[40];
        const char *inc = gca_report_cell(rep, r, 9, b1, sizeof b1);
        double avail = strtod(gca_report_cell(rep, r, 4, b2, sizeof b2), NULL);
        assert_string_equal(inc, avail < 0.95 ? "FALSE" : "TRUE");
        kept += !strcmp(inc, "TRUE");
    }
    assert_true(kept < raw->nrow && kept > 0);
    assert_int_equal(d->nrow, kept);
    gca_result_free(res);
}

static const char mini_meta[] =
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
    "1,a,A,1,1,,,,Top,Indicator\n"
    "1,b,B,1,1,,,,Top,Indicator\n"
    "1,c,C,1,1,,,,Top,Indicator\n"
    "1,d,D,1,1,,,,Top,Indicator\n"
    "2,Top,Top,1,1,,,,,Aggregate\n";

/* Availability / non-zero share: U1 1 / 1, U2 0.25 / 1, U3 1 / 0.25,
 * U4 0 / NaN (nothing to count), U5 0.5 / 0. */
static const char mini_data[] =
    "uCode,a,b,c,d\n"
    "U1,1,2,3,4\n"
    "U2,NA,NA,NA,4\n"
    "U3,0,0,0,1\n"
    "U4,NA,NA,NA,NA\n"
    "U5,0,NA,0,NA\n";

static void test_modes(void **state)
{
    (void)state;
    static const struct {
        const char *params;
        const char *kept; /* units kept, in order */
    } cases[] = {
        {"\"dat_thresh\":0.5", "U1 U3 U5"},
        {"\"unit_screen\":\"byNA\",\"dat_thresh\":0.2", "U1 U2 U3 U5"},
        {"\"comment\":\"dat_thresh 2/3\"", "U1 U3"},
        {"\"unit_screen\":\"byzeros\",\"nonzero_thresh\":0.5", "U1 U2"},
        {"\"unit_screen\":\"byzeros\"", "U1 U2 U3"},
        {"\"unit_screen\":\"byNAandzeros\",\"dat_thresh\":0.5,"
         "\"nonzero_thresh\":0.5",
         "U1"},
        {"\"unit_screen\":\"none\"", "U1 U2 U3 U4 U5"},
        {"\"unit_screen\":\"none\",\"force_exclude\":[\"U1\",\"U4\"]",
         "U2 U3 U5"},
        {"\"dat_thresh\":0.5,\"force_include\":[\"U4\"]", "U1 U3 U4 U5"},
        {"\"dat_thresh\":0.5,\"Force\":[{\"uCode\":\"U4\",\"Include\":true},"
         "{\"uCode\":\"U1\",\"Include\":false}]",
         "U3 U4 U5"},
        /* Exclusion wins over inclusion, as in COINr. */
        {"\"force_include\":[\"U2\"],\"force_exclude\":[\"U2\"]", "U1 U3"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char json[512], got[64] = "";
        mini mb;
        snprintf(json, sizeof json, "{\"steps\":[{\"step\":\"screen\",%s}]}",
                 cases[i].params);
        assert_int_equal(mini_build(&mb, mini_meta, mini_data, json, 0), 0);
        const gca_dset *d = gca_result_dset(mb.res, "Screened");
        for (size_t r = 0; r < d->nrow; r++) {
            if (r)
                strcat(got, " ");
            strcat(got, d->ucode[r]);
            /* Rows keep their values. */
            const char *u = d->ucode[r];
            const gca_dset *raw = gca_result_dset(mb.res, "Raw");
            for (size_t c = 0; c < d->ncol; c++) {
                double x = mini_at(raw, u, d->icode[c]);
                double y = GCA_DSET_AT(d, r, c);
                assert_true((isnan(x) && isnan(y)) || x == y);
            }
        }
        if (strcmp(got, cases[i].kept))
            fprintf(stderr, "case %zu: kept '%s', want '%s'\n", i, got,
                    cases[i].kept);
        assert_string_equal(got, cases[i].kept);
        mini_release(&mb);
    }
}

static void test_summary(void **state)
{
    (void)state;
    mini mb;
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"screen\","
                                "\"unit_screen\":\"byNAandzeros\","
                                "\"dat_thresh\":0.5,\"nonzero_thresh\":0.5,"
                                "\"force_include\":[\"U3\"]}]}",
                                0),
                     0);
    const gca_report *rep = gca_result_report(mb.res, "screen_summary");
    assert_non_null(rep);
    static const char *const want[5][10] = {
        {"U1", "0", "0", "0", "1", "1", "FALSE", "FALSE", "FALSE", "TRUE"},
        {"U2", "3", "0", "3", "0.25", "1", "TRUE", "FALSE", "TRUE", "FALSE"},
        {"U3", "0", "3", "3", "1", "0.25", "FALSE", "TRUE", "TRUE", "TRUE"},
        /* R: Non_Zero 1 - 0/0 = NaN, so LowNonZero is NA; NA | TRUE is
         * TRUE. */
        {"U4", "4", "0", "4", "0", "NA", "TRUE", "NA", "TRUE", "FALSE"},
        {"U5", "2", "2", "4", "0.5", "0", "FALSE", "TRUE", "TRUE", "FALSE"},
    };
    assert_int_equal(rep->nrow, 5);
    assert_int_equal(rep->ncol, 10);
    assert_string_equal(rep->header[0], "uCode");
    assert_string_equal(rep->header[9], "Included");
    char b[40];
    for (size_t r = 0; r < 5; r++)
        for (size_t c = 0; c < 10; c++)
            assert_string_equal(gca_report_cell(rep, r, c, b, sizeof b),
                                want[r][c]);
    mini_release(&mb);

    /* byzeros: U4's flag is NA, so U4 is dropped and says so. */
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"screen\","
                                "\"unit_screen\":\"byzeros\"}]}",
                                0),
                     0);
    rep = gca_result_report(mb.res, "screen_summary");
    assert_string_equal(gca_report_cell(rep, 3, 7, b, sizeof b), "NA");
    assert_string_equal(gca_report_cell(rep, 3, 9, b, sizeof b), "FALSE");
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
        {"\"thresh\":1", GCA_EMETHOD, "unknown parameter 'thresh'"},
        {"\"unit_screen\":\"byNAs\"", GCA_EMETHOD, "'unit_screen' must be"},
        {"\"unit_screen\":true", GCA_EMETHOD, "'unit_screen' must be a string"},
        {"\"dat_thresh\":1.5", GCA_EMETHOD, "'dat_thresh' must be from 0"},
        {"\"dat_thresh\":\"0.5\"", GCA_EMETHOD,
         "'dat_thresh' must be a number"},
        {"\"nonzero_thresh\":-0.1", GCA_EMETHOD, "'nonzero_thresh' must be"},
        {"\"Force\":{\"uCode\":\"U1\"}", GCA_EMETHOD,
         "'Force' must be an array"},
        {"\"Force\":[{\"uCode\":\"U1\"}]", GCA_EMETHOD, "has no 'Include'"},
        {"\"Force\":[{\"uCode\":\"U1\",\"Include\":\"yes\"}]", GCA_EMETHOD,
         "'Include' must be true or false"},
        {"\"Force\":[{\"uCode\":\"U1\",\"Include\":true,\"x\":1}]",
         GCA_EMETHOD, "unknown parameter 'x'"},
        {"\"force_include\":\"U1\"", GCA_EMETHOD,
         "'force_include' must be an array"},
        {"\"force_exclude\":[1]", GCA_EMETHOD, "each unit must be a uCode"},
        {"\"force_exclude\":[\"U9\"]", GCA_EMETHOD,
         "forced unit 'U9' is not in the data set"},
        {"\"dat_thresh\":1,\"force_exclude\":[\"U1\",\"U3\"]", GCA_EMETHOD,
         "every unit was screened out"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char json[512];
        mini_step_json(json, sizeof json, "screen", cases[i].params);
        assert_int_equal(mini_expect_fail(mini_meta, mini_data, json, 0,
                                          cases[i].code, cases[i].want,
                                          "screen"),
                         0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asem_oracle),
        cmocka_unit_test(test_asem_raw),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
