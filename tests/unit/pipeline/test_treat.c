/* test_treat.c - the treat step against COINr: the standard build's
 * Treated set with its details and points (tests/oracle/pipeline/05_*),
 * and the winmax = 1 variant where the log step runs
 * (tests/oracle/variants/treat_winmax1*.csv); hand-made cases for the
 * winsorising loop, f2 functions, combine_treat, indiv_specs, force_win
 * (COINr issue #53) and the compat switch; parameter errors. */
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

#define STANDARD_PREFIX                                                      \
    "{\"steps\":[{\"step\":\"denominate\"},{\"step\":\"impute\","            \
    "\"f_i\":\"i_mean_grp\",\"use_group\":\"EurAsia_group\"},"               \
    "{\"step\":\"screen\",\"dat_thresh\":0.9,\"unit_screen\":\"byNA\"},"

static gca_result *build_asem(const char *json, unsigned flags)
{
    gca_err err = {0};
    gca_result *res = NULL;
    int rc = tu_build_asem(json, flags, &res, &err);
    if (rc < 0) {
        char msg[1024];
        gca_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "build failed: %s\n", msg);
    }
    assert_int_equal(rc, 0);
    return res;
}

static void test_asem_standard(void **state)
{
    (void)state;
    static const char *const methods[] = {
        STANDARD_PREFIX "{\"step\":\"treat\",\"winmax\":5}]}",
        /* The defaults are COINr's; the nested form reads the same. */
        STANDARD_PREFIX "{\"step\":\"treat\"}]}",
        STANDARD_PREFIX "{\"step\":\"treat\",\"f1\":\"winsorise\","
                        "\"f1_para\":{\"na.rm\":true,\"winmax\":5,"
                        "\"skew_thresh\":2,\"kurt_thresh\":3.5,"
                        "\"force_win\":false},\"f2\":\"log_CT\","
                        "\"f_pass\":\"check_SkewKurt\",\"f_pass_para\":"
                        "{\"skew_thresh\":2,\"kurt_thresh\":3.5}}]}",
    };
    for (size_t i = 0; i < GCA_COUNT(methods); i++) {
        for (unsigned flags = 0; flags <= GCA_BUILD_COMPAT_COINR;
             flags += GCA_BUILD_COMPAT_COINR) {
            gca_result *res = build_asem(methods[i], flags);
            const gca_dset *d = gca_result_dset(res, "Treated");
            assert_non_null(d);
            assert_int_equal(
                tu_check_dset(d, "tests/oracle/pipeline/05_treated.csv", 0),
                0);
            const gca_report *det = gca_result_report(res, "treat_details");
            const gca_report *pts = gca_result_report(res, "treat_points");
            assert_non_null(det);
            assert_non_null(pts);
            assert_int_equal(
                check_report(det,
                             "tests/oracle/pipeline/05_treated_details.csv"),
                0);
            assert_int_equal(
                check_report(pts,
                             "tests/oracle/pipeline/05_treated_points.csv"),
                0);
            gca_result_free(res);
        }
    }
}

static void test_asem_winmax1(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags <= GCA_BUILD_COMPAT_COINR;
         flags += GCA_BUILD_COMPAT_COINR) {
        gca_result *res =
            build_asem(STANDARD_PREFIX "{\"step\":\"treat\",\"winmax\":1}]}",
                       flags);
        const gca_dset *d = gca_result_dset(res, "Treated");
        assert_int_equal(
            tu_check_dset(d, "tests/oracle/variants/treat_winmax1.csv", 0), 0);
        const gca_report *det = gca_result_report(res, "treat_details");
        assert_int_equal(
            check_report(det,
                         "tests/oracle/variants/treat_winmax1_details.csv"),
            0);
        /* Where the log step ran every point is labelled with it. */
        const gca_report *pts = gca_result_report(res, "treat_points");
        int col = -1;
        for (size_t c = 0; c < pts->ncol; c++)
            if (!strcmp(pts->header[c], "Bord"))
                col = (int)c;
        assert_true(col > 0);
        size_t win = 0;
        for (size_t r = 0; r < pts->nrow; r++) {
            char b[40];
            const char *p = gca_report_cell(pts, r, (size_t)col, b, sizeof b);
            if (flags) {
                /* COINr: "+log_CT", and "winhi+log_CT" for the point
                 * whose winsorisation was discarded. */
                win += !strcmp(p, "winhi+log_CT");
                assert_true(!strcmp(p, "+log_CT") ||
                            !strcmp(p, "winhi+log_CT"));
            } else {
                assert_string_equal(p, "log_CT");
            }
        }
        assert_int_equal(win, flags ? 1 : 0);
        gca_result_free(res);
    }
}

static const char mini_meta[] =
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
    "1,a,A,1,1,,,,Top,Indicator\n"
    "1,b,B,1,1,,,,Top,Indicator\n"
    "1,c,C,1,1,,,,Top,Indicator\n"
    "1,d,D,1,1,,,,Top,Indicator\n"
    "1,e,E,1,1,,,,Top,Indicator\n"
    "2,Top,Top,1,1,,,,,Aggregate\n";

/* a: one high outlier (fails; passes once it is winsorised); b: 1..14
 * (passes); c: one low outlier; d: like a with a missing value; e: two
 * high outliers (still fails after one point). */
static const char mini_data[] =
    "uCode,a,b,c,d,e\n"
    "U01,1,1,-200,1,1\n"
    "U02,2,2,1,2,2\n"
    "U03,3,3,2,3,3\n"
    "U04,4,4,3,4,4\n"
    "U05,5,5,4,5,5\n"
    "U06,6,6,5,6,6\n"
    "U07,7,7,6,7,7\n"
    "U08,8,8,7,8,8\n"
    "U09,9,9,8,9,9\n"
    "U10,10,10,9,10,10\n"
    "U11,11,11,10,11,11\n"
    "U12,12,12,11,12,12\n"
    "U13,13,13,12,NA,200\n"
    "U14,200,14,13,300,300\n";

static const char *const units[] = {"U01", "U02", "U03", "U04", "U05",
                                    "U06", "U07", "U08", "U09", "U10",
                                    "U11", "U12", "U13", "U14"};

static double raw(const mini *mb, size_t u, const char *code)
{
    return mini_at(gca_result_dset(mb->res, "Raw"), units[u], code);
}

static double treated(const mini *mb, size_t u, const char *code)
{
    return mini_at(gca_result_dset(mb->res, "Treated"), units[u], code);
}

/* Cell of a report by row key (first column) and column name; NULL if
 * there is no such row or column. */
static const char *cell(const gca_report *rep, const char *key,
                        const char *colname)
{
    static char b[40];
    for (size_t r = 0; r < rep->nrow; r++) {
        if (strcmp(gca_report_cell(rep, r, 0, b, sizeof b), key))
            continue;
        for (size_t c = 0; c < rep->ncol; c++)
            if (!strcmp(rep->header[c], colname))
                return gca_report_cell(rep, r, c, b, sizeof b);
    }
    return NULL;
}

static void build_mini(mini *mb, const char *params, unsigned flags)
{
    char json[1024];
    snprintf(json, sizeof json, "{\"steps\":[{\"step\":\"treat\"%s%s}]}",
             *params ? "," : "", params);
    int rc = mini_build(mb, mini_meta, mini_data, json, flags);
    if (rc < 0)
        fprintf(stderr, "%s: %s\n", json, mb->err.msg);
    assert_int_equal(rc, 0);
}

static void test_winsorise(void **state)
{
    (void)state;
    mini mb;
    build_mini(&mb, "", 0);
    const gca_report *det = gca_result_report(mb.res, "treat_details");
    const gca_report *pts = gca_result_report(mb.res, "treat_points");
    /* a: the outlier takes the next value; c: the low one does. */
    assert_true(treated(&mb, 13, "a") == 13);
    assert_true(treated(&mb, 0, "c") == 1);
    assert_string_equal(cell(pts, "U14", "a"), "winhi");
    assert_string_equal(cell(pts, "U01", "c"), "winlo");
    assert_string_equal(cell(pts, "U13", "a"), "");
    assert_string_equal(cell(det, "a", "check_SkewKurt0.Pass"), "FALSE");
    assert_string_equal(cell(det, "a", "winsorise.nwin"), "1");
    assert_string_equal(cell(det, "a", "check_SkewKurt1.Pass"), "TRUE");
    /* b passes: nothing done, NA after the first check. */
    assert_string_equal(cell(det, "b", "check_SkewKurt0.Pass"), "TRUE");
    assert_string_equal(cell(det, "b", "winsorise.nwin"), "NA");
    assert_string_equal(cell(det, "b", "check_SkewKurt1.Pass"), "NA");
    /* d: missing values are skipped and stay missing. */
    assert_true(treated(&mb, 13, "d") == 12);
    assert_true(isnan(treated(&mb, 12, "d")));
    /* e: round one sets 300 to 200, round two both 200s to 12. */
    assert_true(treated(&mb, 12, "e") == 12 && treated(&mb, 13, "e") == 12);
    assert_string_equal(cell(det, "e", "winsorise.nwin"), "2");
    assert_string_equal(cell(pts, "U13", "e"), "winhi");
    assert_string_equal(cell(pts, "U14", "e"), "winhi");
    /* No f2 ran, so there are no check_SkewKurt2 columns. */
    assert_int_equal(det->ncol, 8);
    assert_int_equal(det->nrow, 5);
    assert_int_equal(pts->ncol, 6);
    for (size_t u = 0; u < 12; u++)
        assert_true(treated(&mb, u, "b") == raw(&mb, u, "b"));
    mini_release(&mb);
}

static void test_f2(void **state)
{
    (void)state;
    mini mb;
    /* winmax 1 leaves e failing: log_CT of the original data. */
    build_mini(&mb, "\"winmax\":1", 0);
    const gca_report *det = gca_result_report(mb.res, "treat_details");
    const gca_report *pts = gca_result_report(mb.res, "treat_points");
    for (size_t u = 0; u < 14; u++) {
        double x = raw(&mb, u, "e");
        assert_true(treated(&mb, u, "e") == log(x - 1 + 0.01 * (300 - 1)));
        assert_string_equal(cell(pts, units[u], "e"), "log_CT");
    }
    assert_string_equal(cell(det, "e", "winsorise.nwin"), "1");
    assert_string_equal(cell(det, "e", "check_SkewKurt1.Pass"), "FALSE");
    assert_string_equal(cell(det, "e", "check_SkewKurt2.Pass"), "TRUE");
    assert_string_equal(cell(det, "a", "check_SkewKurt2.Pass"), "NA");
    assert_int_equal(det->ncol, 11);
    mini_release(&mb);

    /* combine_treat: the log of the winsorised data (300 -> 200). */
    build_mini(&mb, "\"winmax\":1,\"combine_treat\":true", 0);
    pts = gca_result_report(mb.res, "treat_points");
    for (size_t u = 0; u < 14; u++) {
        double x = u == 13 ? 200 : raw(&mb, u, "e");
        assert_true(treated(&mb, u, "e") == log(x - 1 + 0.01 * (200 - 1)));
        assert_string_equal(cell(pts, units[u], "e"),
                            u == 13 ? "winhi+log_CT" : "log_CT");
    }
    mini_release(&mb);

    /* winmax 0 goes straight to f2. Box-Cox with lambda 1 after the shift
     * to a minimum of 1 is x - min; "none" keeps the data. */
    build_mini(&mb, "\"winmax\":0,\"f2\":\"boxcox\",\"lambda\":1", 0);
    det = gca_result_report(mb.res, "treat_details");
    for (size_t u = 0; u < 14; u++)
        assert_true(treated(&mb, u, "a") == raw(&mb, u, "a") - 1);
    assert_string_equal(cell(det, "a", "winsorise.nwin"), "0");
    mini_release(&mb);
    build_mini(&mb, "\"winmax\":0,\"f2\":\"boxcox\",\"lambda\":0,"
                    "\"makepos\":false", 0);
    for (size_t u = 0; u < 14; u++)
        assert_true(treated(&mb, u, "a") == log(raw(&mb, u, "a")));
    mini_release(&mb);
    build_mini(&mb, "\"winmax\":0,\"f2\":\"none\"", 0);
    det = gca_result_report(mb.res, "treat_details");
    for (size_t u = 0; u < 14; u++)
        assert_true(treated(&mb, u, "a") == raw(&mb, u, "a"));
    assert_string_equal(cell(det, "a", "check_SkewKurt1.Pass"), "FALSE");
    assert_int_equal(det->ncol, 8);
    mini_release(&mb);

    /* log_CT_orig, log_CT_plus (c is skewed low: the mirrored log). */
    build_mini(&mb, "\"winmax\":0,\"f2\":\"log_CT_orig\"", 0);
    for (size_t u = 0; u < 14; u++)
        assert_true(treated(&mb, u, "a") == log(raw(&mb, u, "a") - 1 + 1));
    mini_release(&mb);
    build_mini(&mb, "\"winmax\":0,\"f2\":\"log_CT_plus\"", 0);
    pts = gca_result_report(mb.res, "treat_points");
    for (size_t u = 0; u < 14; u++) {
        double x = raw(&mb, u, "c");
        assert_true(treated(&mb, u, "c") ==
                    -log(13 + 0.01 * (13 + 200) - x));
        assert_string_equal(cell(pts, units[u], "c"), "log_CT_neg");
    }
    mini_release(&mb);

    /* log_GII: COINr returns the data untransformed (a bug); by default
     * the transform is applied. */
    for (unsigned flags = 0; flags <= 1; flags++) {
        build_mini(&mb, "\"winmax\":0,\"f2\":\"log_GII\"", flags);
        for (size_t u = 0; u < 14; u++) {
            double x = raw(&mb, u, "a");
            double want = flags ? x
                                : log((200 - 1) * (x - 1) / (200 - 1) + 1);
            assert_true(treated(&mb, u, "a") == want);
        }
        mini_release(&mb);
    }
}

static void test_indiv_specs(void **state)
{
    (void)state;
    mini mb;
    /* "none" leaves an indicator out of the treatment and the details. */
    build_mini(&mb, "\"indiv_specs\":{\"a\":\"none\",\"e\":{\"winmax\":1}}",
               0);
    const gca_report *det = gca_result_report(mb.res, "treat_details");
    const gca_report *pts = gca_result_report(mb.res, "treat_points");
    assert_true(treated(&mb, 13, "a") == 200);
    assert_null(cell(det, "a", "check_SkewKurt0.Pass"));
    assert_string_equal(cell(pts, "U14", "a"), "");
    assert_int_equal(det->nrow, 4);
    /* e's own winmax applies; the others keep the global 5. */
    assert_string_equal(cell(det, "e", "check_SkewKurt2.Pass"), "TRUE");
    assert_true(treated(&mb, 13, "d") == 12);
    mini_release(&mb);

    /* COINr (compat): the entry drops the global f1 parameters, so e is
     * winsorised with winsorise()'s own winmax 5 instead of the global 1;
     * and d, which has a missing value, is left untreated (na.rm = FALSE
     * in the dropped check parameters). COINr also leaves "none" columns
     * out of the points. */
    build_mini(&mb, "\"winmax\":1,\"indiv_specs\":{\"a\":\"none\","
                    "\"e\":{\"f2\":\"log_CT\"},\"d\":{\"skew_thresh\":2}}",
               GCA_BUILD_COMPAT_COINR);
    det = gca_result_report(mb.res, "treat_details");
    pts = gca_result_report(mb.res, "treat_points");
    assert_true(treated(&mb, 13, "e") == 12);
    assert_string_equal(cell(det, "e", "winsorise.nwin"), "2");
    assert_true(treated(&mb, 13, "d") == 300);
    assert_null(cell(det, "d", "check_SkewKurt0.Pass"));
    assert_int_equal(pts->ncol, 4); /* uCode, b, c, e */
    mini_release(&mb);
    /* The same without compat: e keeps the global winmax 1 (-> log). */
    build_mini(&mb, "\"winmax\":1,\"indiv_specs\":{\"a\":\"none\","
                    "\"e\":{\"f2\":\"log_CT\"},\"d\":{\"skew_thresh\":2}}",
               0);
    det = gca_result_report(mb.res, "treat_details");
    assert_string_equal(cell(det, "e", "winsorise.nwin"), "1");
    assert_string_equal(cell(det, "e", "check_SkewKurt2.Pass"), "TRUE");
    assert_true(treated(&mb, 13, "d") == 12);
    mini_release(&mb);
}

/* COINr issue #53: force_win on an indicator that passes does nothing in
 * COINr; here it winsorises winmax points. */
static void test_force_win(void **state)
{
    (void)state;
    static const char *const params[] = {
        "\"indiv_specs\":{\"b\":{\"f1_para\":{\"winmax\":1,"
        "\"force_win\":true}}}",
        "\"indiv_specs\":{\"b\":{\"f1\":\"winsorise\",\"winmax\":1,"
        "\"force_win\":true}}",
    };
    for (size_t i = 0; i < GCA_COUNT(params); i++) {
        mini mb;
        build_mini(&mb, params[i], 0);
        const gca_report *det = gca_result_report(mb.res, "treat_details");
        assert_true(treated(&mb, 13, "b") == 13);
        assert_string_equal(cell(det, "b", "check_SkewKurt0.Pass"), "TRUE");
        assert_string_equal(cell(det, "b", "winsorise.nwin"), "1");
        assert_string_equal(
            cell(gca_result_report(mb.res, "treat_points"), "U14", "b"),
            "winhi");
        mini_release(&mb);
        build_mini(&mb, params[i], GCA_BUILD_COMPAT_COINR);
        det = gca_result_report(mb.res, "treat_details");
        assert_true(treated(&mb, 13, "b") == 14);
        assert_string_equal(cell(det, "b", "winsorise.nwin"), "NA");
        mini_release(&mb);
    }
    /* Step-level compat works like the build flag. */
    mini mb;
    build_mini(&mb, "\"compat\":\"coinr\",\"force_win\":true,\"winmax\":1",
               0);
    assert_true(treated(&mb, 13, "b") == 14);
    mini_release(&mb);
    build_mini(&mb, "\"force_win\":true,\"winmax\":1", 0);
    assert_true(treated(&mb, 13, "b") == 13);
    assert_true(treated(&mb, 0, "c") == 1);
    mini_release(&mb);
    /* disable copies the data and reports nothing. */
    build_mini(&mb, "\"disable\":true", 0);
    assert_true(treated(&mb, 13, "a") == 200);
    assert_null(gca_result_report(mb.res, "treat_details"));
    mini_release(&mb);
}

/* Every allocation of a build through all four steps may fail: the build
 * then fails cleanly with GCA_ENOMEM (ASan checks for leaks). */
static void test_out_of_memory(void **state)
{
    (void)state;
    static const char *const methods[] = {
        STANDARD_PREFIX "{\"step\":\"treat\",\"winmax\":1,"
                        "\"combine_treat\":true}]}",
        "{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"LPI\":"
        "\"GDP\"}},{\"step\":\"impute\",\"impute_by\":\"row\","
        "\"group_level\":2},{\"step\":\"screen\",\"force_exclude\":"
        "[\"AUS\"]},{\"step\":\"treat\",\"indiv_specs\":{\"LPI\":"
        "\"none\"}}]}",
    };
    tu_asem_data(); /* loaded once, outside the failures */
    for (size_t i = 0; i < GCA_COUNT(methods); i++) {
        long n;
        for (n = 1; n < 10000; n++) {
            gca_err err = {0};
            gca_result *res = NULL;
            gca_alloc_fail_after(n);
            int rc = tu_build_asem(methods[i], 0, &res, &err);
            gca_alloc_fail_after(0);
            if (rc == 0) {
                gca_result_free(res);
                break;
            }
            if (rc != GCA_ENOMEM)
                fprintf(stderr, "allocation %ld: %s\n", n, err.msg);
            assert_int_equal(rc, GCA_ENOMEM);
        }
        assert_true(n > 1 && n < 10000);
    }
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *params;
        int code;
        const char *want;
    } cases[] = {
        {"\"winmin\":1", GCA_EMETHOD, "unknown parameter 'winmin'"},
        {"\"f2\":\"log10\"", GCA_EMETHOD, "unknown treatment function f2"},
        {"\"f1\":\"trim\"", GCA_EMETHOD, "unknown treatment function f1"},
        {"\"f_pass\":\"check\"", GCA_EMETHOD, "unknown pass function"},
        {"\"winmax\":-1", GCA_EMETHOD, "'winmax' must be a number >= 0"},
        {"\"winmax\":\"5\"", GCA_EMETHOD, "'winmax' must be a number"},
        {"\"skew_thresh\":null", GCA_EMETHOD, "'skew_thresh' must be a number"},
        {"\"f2\":\"boxcox\"", GCA_EMETHOD, "'boxcox' needs parameter 'lambda'"},
        {"\"force_win\":true,\"winmax\":null", GCA_EMETHOD,
         "'force_win' needs a finite 'winmax'"},
        {"\"f1_para\":5", GCA_EMETHOD, "'f1_para' must be an object"},
        {"\"f1_para\":{\"winmix\":1}", GCA_EMETHOD,
         "unknown parameter 'winmix'"},
        {"\"f2_para\":{\"na.rm\":false}", GCA_EMETHOD,
         "'na.rm' can only be true"},
        {"\"f_pass_para\":[]", GCA_EMETHOD, "'f_pass_para' must be an object"},
        {"\"combine_treat\":\"yes\"", GCA_EMETHOD,
         "'combine_treat' must be true or false"},
        {"\"indiv_specs\":[]", GCA_EMETHOD, "'indiv_specs' must be an object"},
        {"\"indiv_specs\":{\"a\":3}", GCA_EMETHOD,
         "'a' must be \"none\" or an object"},
        {"\"indiv_specs\":{\"a\":{\"combine_treat\":true}}", GCA_EMETHOD,
         "unknown parameter 'combine_treat'"},
        {"\"indiv_specs\":{\"a\":{\"f2\":\"boxcox\"}}", GCA_EMETHOD,
         "indiv_specs: a: f2 'boxcox' needs parameter 'lambda'"},
        {"\"indiv_specs\":{\"zz\":\"none\"}", GCA_EMETHOD,
         "'zz' is not an indicator"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char json[512];
        mini_step_json(json, sizeof json, "treat", cases[i].params);
        assert_int_equal(mini_expect_fail(mini_meta, mini_data, json, 0,
                                          cases[i].code, cases[i].want,
                                          "treat"),
                         0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asem_standard),
        cmocka_unit_test(test_asem_winmax1),
        cmocka_unit_test(test_winsorise),
        cmocka_unit_test(test_f2),
        cmocka_unit_test(test_indiv_specs),
        cmocka_unit_test(test_force_win),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
