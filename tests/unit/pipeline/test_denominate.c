/* test_denominate.c - the denominate step: COINr's Denominated data set of
 * the ASEM example (tests/oracle/pipeline/02_denominated.csv), the
 * "denomby" overrides, IEEE division by zero, and parameter and run
 * errors that name the parameter, indicator or column. */
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

#define ORACLE "tests/oracle/pipeline/02_denominated.csv"

static void test_asem_oracle(void **state)
{
    (void)state;
    gca_result *res = NULL;
    const gca_dset *d = build_dset("{\"steps\":[{\"step\":\"denominate\"}]}",
                                   "Denominated", &res);
    assert_int_equal(tu_check_dset(d, ORACLE, 0), 0);
    gca_result_free(res);
    /* COINr's names are accepted for the step too. */
    d = build_dset("{\"steps\":[{\"step\":\"Denominate\",\"denomby\":{}}]}",
                   "Denominated", &res);
    assert_int_equal(tu_check_dset(d, ORACLE, 0), 0);
    gca_result_free(res);
}

/* Value of unit `u`, column `code` of an oracle table. */
static double oracle(const char *rel, const char *u, const char *code)
{
    tu_table t;
    tu_table_load(&t, rel);
    int r = tu_row(&t, tu_col(&t, "uCode"), u);
    int c = tu_col(&t, code);
    assert_true(r > 0 && c >= 0);
    double v = tu_num(&t, (size_t)r, (size_t)c);
    tu_table_release(&t);
    return v;
}

static void test_overrides(void **state)
{
    (void)state;
    gca_result *res = NULL;
    /* null switches a framework denominator off (Flights stays raw); a
     * ScaleFactor s divides by d/s, so Goods (by GDP) grows s-fold; the
     * same denominator as the framework's changes nothing. */
    const gca_dset *d = build_dset(
        "{\"steps\":[{\"step\":\"denominate\",\"denomby\":{"
        "\"Flights\":null,"
        "\"Goods\":{\"Denominator\":\"GDP\",\"ScaleFactor\":1000},"
        "\"Bord\":\"Area\"}}]}",
        "Denominated", &res);
    static const char *const units[] = {"AUS", "AUT", "CHN", "MLT", "SGP"};
    for (size_t i = 0; i < GCA_COUNT(units); i++) {
        const char *u = units[i];
        assert_true(tu_close(mini_at(d, u, "Flights"),
                             oracle("tests/oracle/pipeline/01_raw.csv", u,
                                    "Flights"),
                             1e-15, 0));
        assert_true(tu_close(mini_at(d, u, "Goods"),
                             1000 * oracle("tests/oracle/pipeline/"
                                           "02_denominated.csv",
                                           u, "Goods"),
                             1e-13, 0));
        assert_true(tu_close(mini_at(d, u, "Bord"),
                             oracle("tests/oracle/pipeline/02_denominated.csv",
                                    u, "Bord"),
                             1e-15, 0));
    }
    gca_result_free(res);
}

static const char mini_meta[] =
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
    "1,a,A,1,1,,,Pop,Top,Indicator\n"
    "1,b,B,1,1,,,,Top,Indicator\n"
    "2,Top,Top,1,1,,,,,Aggregate\n"
    "NA,Pop,Population,NA,NA,,,,,Denominator\n"
    "NA,Grp,Group,NA,NA,,,,,Group\n";

static const char mini_data[] =
    "uCode,Grp,Pop,a,b\n"
    "U1,x,0,5,1\n"
    "U2,x,0,-5,2\n"
    "U3,y,0,0,3\n"
    "U4,y,NA,7,4\n"
    "U5,y,2,7,NA\n";

static void test_division_by_zero(void **state)
{
    (void)state;
    mini mb;
    assert_int_equal(mini_build(&mb, mini_meta, mini_data,
                                "{\"steps\":[{\"step\":\"denominate\"}]}", 0),
                     0);
    const gca_dset *d = gca_result_dset(mb.res, "Denominated");
    assert_non_null(d);
    /* As R: 5/0 = Inf, -5/0 = -Inf, 0/0 = NaN, x/NA = NA. */
    assert_true(isinf(mini_at(d, "U1", "a")) && mini_at(d, "U1", "a") > 0);
    assert_true(isinf(mini_at(d, "U2", "a")) && mini_at(d, "U2", "a") < 0);
    assert_true(isnan(mini_at(d, "U3", "a")));
    assert_true(isnan(mini_at(d, "U4", "a")));
    assert_true(mini_at(d, "U5", "a") == 3.5);
    /* b has no denominator and is copied; its NA stays. */
    assert_true(mini_at(d, "U2", "b") == 2);
    assert_true(isnan(mini_at(d, "U5", "b")));
    mini_release(&mb);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *method;
        int code;
        const char *want; /* in the message */
    } cases[] = {
        {"{\"steps\":[{\"step\":\"denominate\",\"denoms\":1}]}", GCA_EMETHOD,
         "unknown parameter 'denoms'"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":[\"a\"]}]}",
         GCA_EMETHOD, "'denomby' must be an object"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"a\":3}}]}",
         GCA_EMETHOD, "entry 'a' must be"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"a\":"
         "{\"Denominator\":\"Pop\",\"Scale\":2}}}]}",
         GCA_EMETHOD, "unknown parameter 'Scale'"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"a\":"
         "{\"Denominator\":\"Pop\",\"ScaleFactor\":0}}}]}",
         GCA_EMETHOD, "'ScaleFactor' of 'a'"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"zz\":\"Pop\"}}"
         "]}",
         GCA_EMETHOD, "'zz' is not an indicator"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"b\":\"GDP\"}}"
         "]}",
         GCA_EDATA, "denominator 'GDP' of indicator 'b' is not a column"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"b\":\"Grp\"}}"
         "]}",
         GCA_EDATA, "'Grp' of indicator 'b' is not a denominator"},
        {"{\"steps\":[{\"step\":\"denominate\",\"denomby\":{\"b\":\"a\"}}]}",
         GCA_EDATA, "'a' of indicator 'b' is not a denominator"},
    };
    /* The step is named in every message. */
    for (size_t i = 0; i < GCA_COUNT(cases); i++)
        assert_int_equal(mini_expect_fail(mini_meta, mini_data,
                                          cases[i].method, 0, cases[i].code,
                                          cases[i].want, "denominate"),
                         0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asem_oracle),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_division_by_zero),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
