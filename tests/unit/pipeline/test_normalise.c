/* test_normalise.c - the normalise step against COINr: the standard
 * build's Normalised set (tests/oracle/pipeline/06_normalised.csv), every
 * n_* variant computed from the oracle's Treated set
 * (tests/oracle/variants/normalise_*.csv, see normalise_index.csv),
 * goalposts and targets from the framework, indiv_specs and directions;
 * hand-made cases for ties, zero ranges and goalpost directions;
 * parameter and data errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "mini_build.h"
#include "testutil.h"

#define TREATED "tests/oracle/pipeline/05_treated.csv"
#define STANDARD_PREFIX                                                      \
    "{\"steps\":[{\"step\":\"denominate\"},{\"step\":\"impute\","            \
    "\"f_i\":\"i_mean_grp\",\"use_group\":\"EurAsia_group\"},"               \
    "{\"step\":\"screen\",\"dat_thresh\":0.9,\"unit_screen\":\"byNA\"},"     \
    "{\"step\":\"treat\",\"winmax\":5},"
#define NORM(x) "{\"steps\":[{\"step\":\"normalise\"," x "}]}"

static void print_err(const char *what, const gca_err *err)
{
    char msg[1024];
    gca_err_format(err, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", what, msg);
}

/* Normalised set of `json` run on the oracle's Treated set. */
static gca_result *build_treated(const gca_framework *fw, const char *json,
                                 unsigned flags)
{
    gca_err err = {0};
    gca_result *res = NULL;
    int rc = tu_build_from(fw, TREATED, json, flags, &res, &err);
    if (rc < 0)
        print_err(json, &err);
    assert_int_equal(rc, 0);
    return res;
}

static void test_standard(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags <= GCA_BUILD_COMPAT_COINR;
         flags += GCA_BUILD_COMPAT_COINR) {
        gca_err err = {0};
        gca_result *res = NULL;
        int rc = tu_build_asem(STANDARD_PREFIX
                               "{\"step\":\"normalise\",\"f_n\":\"n_minmax\","
                               "\"l_u\":[0,100]}]}",
                               flags, &res, &err);
        if (rc < 0)
            print_err("standard build", &err);
        assert_int_equal(rc, 0);
        const gca_dset *d = gca_result_dset(res, "Normalised");
        assert_non_null(d);
        assert_int_equal(
            tu_check_dset(d, "tests/oracle/pipeline/06_normalised.csv", 0), 0);
        gca_result_free(res);
    }
}

static const struct variant {
    const char *file;
    const char *json;
    unsigned flags;
} variants[] = {
    {"normalise_minmax_0_100", NORM("\"f_n\":\"n_minmax\",\"l_u\":[0,100]"),
     0},
    /* COINr's default specification is min-max to [0, 100]. */
    {"normalise_minmax_0_100", NORM("\"comment\":\"defaults\""), 0},
    {"normalise_minmax_1_100",
     NORM("\"f_n\":\"n_minmax\",\"f_n_para\":{\"l_u\":[1,100]}"), 0},
    {"normalise_zscore_0_1", NORM("\"f_n\":\"n_zscore\""), 0},
    {"normalise_zscore_10_2", NORM("\"f_n\":\"n_zscore\",\"m_sd\":[10,2]"), 0},
    {"normalise_scaled_0_100",
     NORM("\"f_n\":\"n_scaled\",\"npara\":[0,100],\"scale_factor\":100"), 0},
    {"normalise_dist2max", NORM("\"f_n\":\"n_dist2max\""), 0},
    /* The reference (AUS, row 1) has the minimum of four indicators:
     * COINr divides by zero there. */
    {"normalise_dist2ref_1",
     NORM("\"f_n\":\"n_dist2ref\",\"iref\":1,\"cap_max\":false"),
     GCA_BUILD_COMPAT_COINR},
    {"normalise_dist2ref_1", NORM("\"f_n\":\"n_dist2ref\",\"iref\":\"AUS\""),
     GCA_BUILD_COMPAT_COINR},
    /* Three indicators have maximum 0 after the direction: Inf, NaN. */
    {"normalise_fracmax", NORM("\"f_n\":\"n_fracmax\""),
     GCA_BUILD_COMPAT_COINR},
    {"normalise_rank_min", NORM("\"f_n\":\"n_rank\""), 0},
    {"normalise_rank_min",
     NORM("\"f_n\":\"n_rank\",\"ties.method\":\"min\""), 0},
    {"normalise_prank_min", NORM("\"f_n\":\"n_prank\""), 0},
    {"normalise_borda_min", NORM("\"f_n\":\"n_borda\""), 0},
    {"normalise_dist2targ_iMeta", NORM("\"f_n\":\"n_dist2targ\""), 0},
    {"normalise_dist2targ_iMeta",
     NORM("\"f_n\":\"n_dist2targ\",\"f_n_para\":\"use_iMeta\""), 0},
    {"normalise_none", NORM("\"f_n\":\"none\""), 0},
};

static void test_variants(void **state)
{
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(variants); i++) {
        const struct variant *v = &variants[i];
        char rel[256];
        snprintf(rel, sizeof rel, "tests/oracle/variants/%s.csv", v->file);
        gca_result *res = build_treated(NULL, v->json, v->flags);
        const gca_dset *d = gca_result_dset(res, "Normalised");
        assert_non_null(d);
        int bad = tu_check_dset(d, rel, 0);
        if (bad)
            fprintf(stderr, "variant %zu: %s\n", i, v->json);
        assert_int_equal(bad, 0);
        gca_result_free(res);
    }
}

/* Without compat the divisions by zero of the fracmax and dist2ref
 * variants are errors that name the first indicator concerned. */
static void test_zero_division_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *want;
    } cases[] = {
        {NORM("\"f_n\":\"n_fracmax\""), "indicator 'CostImpEx' (n_fracmax)"},
        {NORM("\"f_n\":\"n_dist2ref\",\"iref\":1"),
         "indicator 'Bord' (n_dist2ref)"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        gca_result *res = NULL;
        int rc = tu_build_asem_from(TREATED, cases[i].json, 0, &res, &err);
        assert_int_equal(rc, GCA_EDATA);
        assert_null(res);
        if (!strstr(err.msg, cases[i].want))
            print_err(cases[i].want, &err);
        assert_non_null(strstr(err.msg, cases[i].want));
        assert_non_null(strstr(err.source, "step 1 (normalise)"));
    }
}

/* The ASEM iMeta with the goalposts of normalise_goalposts_iMeta_params
 * as extra columns, as COINr's oracle script adds them. */
static gca_framework *goalpost_framework(void)
{
    tu_table meta, gp;
    gca_buf b = GCA_BUF_INIT(1u << 20);
    static const char *const extra[] = {"goalpost_lower", "goalpost_upper",
                                        "goalpost_scale",
                                        "goalpost_trunc2posts"};
    tu_table_load(&meta, "tests/oracle/data/asem_iMeta.csv");
    tu_table_load(&gp, "tests/oracle/variants/"
                       "normalise_goalposts_iMeta_params.csv");
    int code = tu_col(&meta, "iCode"), gcode = tu_col(&gp, "iCode");
    for (size_t r = 0; r <= meta.csv.nrow; r++) {
        for (size_t c = 0; c < meta.csv.ncol; c++) {
            gca_buf_puts(&b, c ? "," : "");
            gca_buf_csv_field(&b, tu_cell(&meta, r, c));
        }
        int g = r ? tu_row(&gp, gcode, tu_cell(&meta, r, (size_t)code)) : 0;
        for (size_t k = 0; k < GCA_COUNT(extra); k++) {
            gca_buf_putc(&b, ',');
            if (r == 0)
                gca_buf_puts(&b, extra[k]);
            else if (g > 0)
                gca_buf_puts(&b, tu_cell(&gp, (size_t)g,
                                         (size_t)tu_col(&gp, extra[k])));
            else
                gca_buf_puts(&b, "NA");
        }
        gca_buf_putc(&b, '\n');
    }
    assert_int_equal(gca_buf_error(&b), 0);
    gca_framework *fw = NULL;
    gca_err err = {0};
    int rc = gca_framework_load_mem(gca_buf_str(&b), b.len, "goalposts.csv",
                                    &fw, NULL, &err);
    if (rc < 0)
        print_err("goalposts iMeta", &err);
    assert_int_equal(rc, 0);
    gca_buf_release(&b);
    tu_table_release(&meta);
    tu_table_release(&gp);
    return fw;
}

static void test_goalposts_from_framework(void **state)
{
    (void)state;
    static const char *const methods[] = {
        NORM("\"f_n\":\"n_goalposts\",\"use_iMeta\":true"),
        NORM("\"f_n\":\"n_goalposts\",\"f_n_para\":\"use_iMeta\""),
    };
    gca_framework *fw = goalpost_framework();
    for (size_t i = 0; i < GCA_COUNT(methods); i++) {
        for (unsigned flags = 0; flags <= GCA_BUILD_COMPAT_COINR;
             flags += GCA_BUILD_COMPAT_COINR) {
            gca_result *res = build_treated(fw, methods[i], flags);
            assert_int_equal(
                tu_check_dset(gca_result_dset(res, "Normalised"),
                              "tests/oracle/variants/"
                              "normalise_goalposts_iMeta_q05_q95.csv", 0),
                0);
            gca_result_free(res);
        }
    }
    /* Goalposts written in the method are in the indicators' own units
     * too: LPI (direction 1) and Tariff (direction -1) give the same
     * values as from the framework. */
    tu_table gp;
    tu_table_load(&gp, "tests/oracle/variants/"
                       "normalise_goalposts_iMeta_params.csv");
    size_t lo = (size_t)tu_col(&gp, "goalpost_lower");
    size_t hi = (size_t)tu_col(&gp, "goalpost_upper");
    int lpi = tu_row(&gp, tu_col(&gp, "iCode"), "LPI");
    int tar = tu_row(&gp, tu_col(&gp, "iCode"), "Tariff");
    assert_true(lpi > 0 && tar > 0);
    assert_int_equal(tu_num(&gp, (size_t)tar, 1), -1);
    char text[1024];
    snprintf(text, sizeof text,
             NORM("\"f_n\":\"n_goalposts\",\"use_iMeta\":true,"
                  "\"indiv_specs\":{\"LPI\":{\"f_n\":\"n_goalposts\","
                  "\"gposts\":[%s,%s,100],\"trunc2posts\":true},"
                  "\"Tariff\":{\"f_n\":\"n_goalposts\",\"gposts\":"
                  "[%s,%s,100,1]}}"),
             tu_cell(&gp, (size_t)lpi, lo), tu_cell(&gp, (size_t)lpi, hi),
             tu_cell(&gp, (size_t)tar, lo), tu_cell(&gp, (size_t)tar, hi));
    tu_table_release(&gp);
    gca_result *res = build_treated(fw, text, 0);
    assert_int_equal(tu_check_dset(gca_result_dset(res, "Normalised"),
                                   "tests/oracle/variants/"
                                   "normalise_goalposts_iMeta_q05_q95.csv",
                                   0),
                     0);
    gca_result_free(res);
    gca_framework_free(fw);
}

/* Column `code` of `d` against column `code` of the oracle file `rel`. */
static int check_column(const gca_dset *d, const char *code, const char *rel)
{
    tu_table t;
    int bad = 0;
    tu_table_load(&t, rel);
    int uc = tu_col(&t, "uCode"), oc = tu_col(&t, code);
    assert_true(uc >= 0 && oc >= 0);
    for (size_t r = 1; r <= t.csv.nrow; r++) {
        const char *u = tu_cell(&t, r, (size_t)uc);
        double got = mini_at(d, u, code), want = tu_num(&t, r, (size_t)oc);
        if (!tu_close(got, want, 1e-12, 1e-9)) {
            fprintf(stderr, "%s %s/%s: got %.17g, want %.17g\n", rel, u, code,
                    got, want);
            bad++;
        }
    }
    tu_table_release(&t);
    return bad;
}

static void test_indiv_specs_and_directions(void **state)
{
    (void)state;
    gca_result *res = build_treated(
        NULL,
        NORM("\"f_n\":\"n_minmax\",\"l_u\":[0,100],\"indiv_specs\":{"
             "\"Goods\":{\"f_n\":\"n_zscore\",\"m_sd\":[10,2]},"
             "\"LPI\":\"none\",\"Flights\":{\"f_n\":\"n_rank\"},"
             "\"Tariff\":{\"l_u\":[1,100]}}"),
        0);
    const gca_dset *d = gca_result_dset(res, "Normalised");
    const char *v = "tests/oracle/variants/normalise_";
    char rel[256];
    static const struct {
        const char *code, *file;
    } cols[] = {
        {"Goods", "zscore_10_2"}, {"LPI", "none"},
        {"Flights", "rank_min"},  {"Tariff", "minmax_1_100"},
        {"Services", "minmax_0_100"}, {"CO2", "minmax_0_100"},
    };
    for (size_t i = 0; i < GCA_COUNT(cols); i++) {
        snprintf(rel, sizeof rel, "%s%s.csv", v, cols[i].file);
        assert_int_equal(check_column(d, cols[i].code, rel), 0);
    }
    gca_result_free(res);

    /* directions: false leaves every value as it is. */
    res = build_treated(NULL,
                        NORM("\"f_n\":\"none\",\"directions\":false"), 0);
    assert_int_equal(tu_check_dset(gca_result_dset(res, "Normalised"),
                                   TREATED, 0),
                     0);
    gca_result_free(res);
}

/* ====== Hand-made cases ====== */

static const char mini_meta[] =
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
    "1,a,A,1,1,,5,,Top,Indicator\n"
    "1,b,B,-1,1,,,,Top,Indicator\n"
    "1,c,C,1,1,,,,Top,Indicator\n"
    "2,Top,Top,1,1,,,,,Aggregate\n";

/* a: ties; b: direction -1, 0..10; c: constant. */
static const char mini_data[] =
    "uCode,a,b,c\n"
    "U1,1,0,7\n"
    "U2,2,2,7\n"
    "U3,2,5,7\n"
    "U4,3,10,7\n"
    "U5,NA,NA,NA\n";

static void check_mini_col(const gca_dset *d, const char *code,
                           const double *want)
{
    static const char *const units[] = {"U1", "U2", "U3", "U4", "U5"};
    for (size_t i = 0; i < GCA_COUNT(units); i++) {
        double got = mini_at(d, units[i], code);
        if (!tu_close(got, want[i], 1e-15, 1e-15))
            fprintf(stderr, "%s/%s: got %.17g, want %.17g\n", units[i], code,
                    got, want[i]);
        assert_true(tu_close(got, want[i], 1e-15, 1e-15));
    }
}

static void test_mini_ranks_and_goalposts(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        unsigned flags;
        const char *code;
        double want[5];
    } cases[] = {
        {NORM("\"f_n\":\"n_rank\",\"indiv_specs\":{\"c\":\"none\"}"), 0, "a",
         {1, 2, 2, 4, NAN}},
        {NORM("\"f_n\":\"n_rank\",\"ties.method\":\"max\","
              "\"indiv_specs\":{\"c\":\"none\"}"),
         0, "a", {1, 3, 3, 4, NAN}},
        {NORM("\"f_n\":\"n_rank\",\"ties.method\":\"average\","
              "\"indiv_specs\":{\"c\":\"none\"}"),
         0, "a", {1, 2.5, 2.5, 4, NAN}},
        {NORM("\"f_n\":\"n_borda\",\"indiv_specs\":{\"c\":\"none\"}"), 0, "a",
         {0, 1, 1, 3, NAN}},
        {NORM("\"f_n\":\"n_prank\",\"indiv_specs\":{\"c\":\"none\"}"), 0, "a",
         {0, 1.0 / 3, 1.0 / 3, 1, NAN}},
        /* Direction -1: the highest value scores lowest. */
        {NORM("\"f_n\":\"n_rank\",\"indiv_specs\":{\"c\":\"none\"}"), 0, "b",
         {4, 3, 2, 1, NAN}},
        /* Goalposts [0, 10] in b's units: 2 is 80 % of the way from the
         * worst (10) to the best (0). */
        {NORM("\"f_n\":\"n_goalposts\",\"gposts\":[0,10,100]"), 0, "b",
         {100, 80, 50, 0, NAN}},
        /* COINr applies them to -b: everything is below 0, truncated. */
        {NORM("\"f_n\":\"n_goalposts\",\"gposts\":[0,10,100]"),
         GCA_BUILD_COMPAT_COINR, "b", {0, 0, 0, 0, NAN}},
        {NORM("\"f_n\":\"n_goalposts\",\"gposts\":[0,10,100],"
              "\"trunc2posts\":false"),
         GCA_BUILD_COMPAT_COINR, "b", {0, -20, -50, -100, NAN}},
        /* Target 5 of a: (x - 1) / (5 - 1), capped at 1 on request. */
        {NORM("\"f_n\":\"n_dist2targ\",\"indiv_specs\":{\"b\":\"none\","
              "\"c\":\"none\"}"),
         0, "a", {0, 0.25, 0.25, 0.5, NAN}},
        {NORM("\"f_n\":\"n_minmax\",\"l_u\":[0,1],\"indiv_specs\":{"
              "\"c\":\"none\"}"),
         0, "b", {1, 0.8, 0.5, 0, NAN}},
        /* A constant indicator gives NaN under compat, as in R. */
        {NORM("\"f_n\":\"n_minmax\""), GCA_BUILD_COMPAT_COINR, "c",
         {NAN, NAN, NAN, NAN, NAN}},
        {NORM("\"f_n\":\"n_zscore\""), GCA_BUILD_COMPAT_COINR, "c",
         {NAN, NAN, NAN, NAN, NAN}},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        mini mb;
        int rc = mini_build(&mb, mini_meta, mini_data, cases[i].json,
                            cases[i].flags);
        if (rc)
            print_err(cases[i].json, &mb.err);
        assert_int_equal(rc, 0);
        check_mini_col(gca_result_dset(mb.res, "Normalised"), cases[i].code,
                       cases[i].want);
        mini_release(&mb);
    }
}

static void test_mini_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int code;
        const char *want;
    } cases[] = {
        {NORM("\"f_n\":\"n_minmax\""), GCA_EDATA,
         "indicator 'c' (n_minmax): every value is the same"},
        {NORM("\"f_n\":\"n_dist2max\""), GCA_EDATA,
         "indicator 'c' (n_dist2max)"},
        {NORM("\"f_n\":\"n_zscore\""), GCA_EDATA,
         "indicator 'c' (n_zscore): its standard deviation is zero"},
        {NORM("\"f_n\":\"n_dist2targ\""), GCA_EMETHOD,
         "indicator 'b' has no target"},
        {NORM("\"f_n\":\"n_minmax\",\"use_iMeta\":true"), GCA_EMETHOD,
         "indicator 'a' has no parameter 'minmax_lower'"},
        {NORM("\"f_n\":\"n_dist2ref\",\"iref\":9"), GCA_EMETHOD,
         "reference unit '(row number)' of n_dist2ref is not in the data"},
        {NORM("\"f_n\":\"n_dist2ref\",\"iref\":\"XX\""), GCA_EMETHOD,
         "reference unit 'XX'"},
        {NORM("\"f_n\":\"n_dist2ref\",\"iref\":\"U5\""), GCA_EDATA,
         "indicator 'a' (n_dist2ref): the reference unit 'U5' has no value"},
        {NORM("\"indiv_specs\":{\"zz\":\"none\"}"), GCA_EMETHOD,
         "indiv_specs names 'zz'"},
        {NORM("\"indiv_specs\":{\"Top\":\"none\"}"), GCA_EMETHOD,
         "indiv_specs names 'Top'"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        mini mb;
        int rc = mini_build(&mb, mini_meta, mini_data, cases[i].json, 0);
        if (rc != cases[i].code || !strstr(mb.err.msg, cases[i].want))
            print_err(cases[i].want, &mb.err);
        assert_int_equal(rc, cases[i].code);
        assert_null(mb.res);
        assert_non_null(strstr(mb.err.msg, cases[i].want));
        assert_non_null(strstr(mb.err.source, "step 1 (normalise)"));
        mini_release(&mb);
    }
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *want;
    } cases[] = {
        {NORM("\"f_n\":\"n_minmaxx\""),
         "unknown normalisation function 'n_minmaxx'"},
        {NORM("\"f_n\":3"), "unknown normalisation function '(not a string)'"},
        {NORM("\"scale\":3"), "unknown parameter 'scale'"},
        {NORM("\"f_n\":\"n_zscore\",\"l_u\":[0,1]"),
         "parameter 'l_u' does not apply to n_zscore"},
        {NORM("\"l_u\":\"0,100\""), "parameter 'l_u' must be an array of 2"},
        {NORM("\"l_u\":[0,1,2]"), "parameter 'l_u' must be an array of 2"},
        {NORM("\"f_n\":\"n_zscore\",\"m_sd\":[0,0]"),
         "standard deviation in 'm_sd' must be > 0"},
        {NORM("\"f_n\":\"n_scaled\",\"npara\":[3,3]"),
         "the two values of 'npara' must differ"},
        {NORM("\"directions\":\"yes\""),
         "parameter 'directions' must be true or false"},
        {NORM("\"indiv_specs\":[1]"), "'indiv_specs' must be an object"},
        {NORM("\"indiv_specs\":{\"a\":{\"f_n\":\"n_rank\",\"foo\":1}}"),
         "unknown parameter 'foo'"},
        {NORM("\"indiv_specs\":{\"a\":3}"),
         "must be a function name or an object"},
        {NORM("\"f_n\":\"n_rank\",\"use_iMeta\":true"),
         "n_rank takes no parameters from the framework"},
        {NORM("\"use_iMeta\":true,\"l_u\":[0,1]"),
         "cannot be combined with use_iMeta"},
        {NORM("\"f_n\":\"n_goalposts\""), "n_goalposts needs 'gposts'"},
        {NORM("\"f_n\":\"n_goalposts\",\"gposts\":[1,1,100]"),
         "two different goalposts"},
        {NORM("\"f_n\":\"n_goalposts\",\"gposts\":[0,1,100,2]"),
         "must be 0 or 1"},
        {NORM("\"f_n\":\"n_dist2ref\""), "n_dist2ref needs 'iref'"},
        {NORM("\"f_n\":\"n_dist2ref\",\"iref\":0"),
         "parameter 'iref' must be a uCode or a row number >= 1"},
        {NORM("\"f_n\":\"n_dist2ref\",\"iref\":1.5"),
         "parameter 'iref' must be a uCode or a row number >= 1"},
        {NORM("\"f_n\":\"n_rank\",\"ties.method\":\"first\""),
         "'ties.method' must be"},
        {NORM("\"f_n\":\"n_minmax\",\"l_u\":[0,1],\"f_n_para\":"
              "{\"l_u\":[0,1]}"),
         "parameter 'l_u' is given twice"},
        {NORM("\"f_n_para\":[1]"), "'f_n_para' must be an object"},
        {NORM("\"f_n_para\":{\"zz\":1}"), "unknown parameter 'f_n_para.zz'"},
        {NORM("\"f_n\":\"n_scaled\",\"scale_factor\":\"x\""),
         "parameter 'scale_factor' must be a number"},
        {NORM("\"f_n\":\"n_dist2targ\",\"cap_max\":1"),
         "parameter 'cap_max' must be true or false"},
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
        assert_non_null(strstr(err.source, "method.json: step 1 (normalise)"));
    }
}

/* Every allocation of a normalise run may fail: the build must report
 * GCA_ENOMEM and leak nothing (checked under ASan). */
static void test_out_of_memory(void **state)
{
    (void)state;
    mini mb;
    const char *json = NORM("\"f_n\":\"n_rank\",\"indiv_specs\":{\"c\":"
                            "{\"f_n\":\"n_minmax\",\"l_u\":[0,1]},"
                            "\"a\":\"n_borda\"}");
    int built = 0;
    for (long n = 1; n < 1000 && !built; n++) {
        memset(&mb, 0, sizeof mb);
        gca_framework *fw = NULL;
        gca_dataset *ds = NULL;
        gca_method *m = NULL;
        gca_result *res = NULL;
        assert_int_equal(gca_framework_load_mem(mini_meta, strlen(mini_meta),
                                                "m", &fw, NULL, &mb.err), 0);
        assert_int_equal(gca_dataset_read_csv_mem(mini_data,
                                                  strlen(mini_data), "d", &ds,
                                                  &mb.err), 0);
        assert_int_equal(gca_dataset_bind(ds, fw, NULL, NULL, &mb.err), 0);
        gca_alloc_fail_after(n);
        int rc = gca_method_load_mem(json, strlen(json), "m", &m, &mb.err);
        if (rc == 0)
            rc = gca_build(fw, ds, m, GCA_BUILD_COMPAT_COINR, &res, &mb.err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            assert_non_null(res);
            gca_result_free(res);
            gca_method_free(m);
            gca_dataset_free(ds);
            gca_framework_free(fw);
            built = 1;
            continue;
        }
        assert_int_equal(rc, GCA_ENOMEM);
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
        cmocka_unit_test(test_zero_division_errors),
        cmocka_unit_test(test_goalposts_from_framework),
        cmocka_unit_test(test_indiv_specs_and_directions),
        cmocka_unit_test(test_mini_ranks_and_goalposts),
        cmocka_unit_test(test_mini_errors),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
