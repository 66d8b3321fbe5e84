/* test_sim3.c - SIM3 parameters, baselines, assessment files and gaps
 * (src/cirt/sim3.c): the shipped files, a gap worked out by hand, and
 * malformed, oversized, missing and hostile input refused at
 * file:line:col. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gca/cirt.h"

static gca_sim3_model model;

static int setup(void **state)
{
    gca_err err = {0};
    (void)state;
    return gca_sim3_model_default(&model, &err) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    gca_sim3_model_release(&model);
    return 0;
}

static void test_shipped_model(void **state)
{
    (void)state;
    int per[GCA_SIM3_NCAT] = {0};
    assert_int_equal(model.n, 44);
    for (size_t i = 0; i < model.n; i++) {
        per[model.params[i].category]++;
        /* Names are recalled: every row says so. */
        assert_non_null(strstr(model.params[i].status, "unverified"));
    }
    assert_int_equal(per[0], 10); /* no O-6 in the reference list */
    assert_int_equal(per[1], 7);
    assert_int_equal(per[2], 10);
    assert_int_equal(per[3], 17);
    assert_int_equal(gca_sim3_find(&model, "P-17"), 43);
    assert_int_equal(gca_sim3_find(&model, "O-12"), -1);
}

static void test_shipped_baselines(void **state)
{
    (void)state;
    gca_sim3_baselines b;
    gca_err err = {0};
    assert_int_equal(gca_sim3_baselines_default(&model, &b, &err), 0);
    assert_int_equal(b.n, 2);
    const gca_sim3_profile *basic = gca_sim3_profile_find(&b, "basic");
    const gca_sim3_profile *adv = gca_sim3_profile_find(&b, "advanced");
    assert_non_null(basic);
    assert_non_null(adv);
    assert_null(gca_sim3_profile_find(&b, "expert"));
    int nbasic = 0;
    for (size_t i = 0; i < model.n; i++) {
        assert_int_equal(adv->min[i], 3);
        if (basic->min[i] != GCA_SIM3_NOT_ASSESSED) {
            assert_int_equal(basic->min[i], 1);
            nbasic++;
        }
    }
    assert_int_equal(nbasic, 10);
    assert_non_null(strstr(basic->note, "not an ENISA or TI requirement"));
    gca_sim3_baselines_release(&b);
}

static int levels_of(const char *text, int *levels, gca_err *err)
{
    return gca_sim3_levels_parse(&model, text, strlen(text), "l.csv", levels,
                                 err);
}

/* The gap by hand, profile "p": O-1 >= 2, O-2 >= 1, H-1 >= 0, P-1 >= 3.
 * Levels: O-1 3, O-2 0, O-3 4 (no requirement), H-1 not assessed, P-1 1.
 *   O-1 met (shortfall 0); O-2 shortfall 1; H-1 not assessed: not met,
 *   shortfall 0 (required 0 - 0); P-1 shortfall 2.
 *   O: met 1 of 2, mean (3 + 0 + 4) / 3 = 7/3; H: 0 of 1, mean none;
 *   T: 0 of 0; P: 0 of 1, mean 1. Overall 1 of 4, not met. */
static void test_gap_by_hand(void **state)
{
    (void)state;
    static const char base[] = "profile,code,min_level,source,note\n"
                               "p,O-1,2,test,\n"
                               "p,O-2,1,test,\n"
                               "p,H-1,0,test,\n"
                               "p,P-1,3,test,\n";
    gca_sim3_baselines b;
    gca_sim3_gap g;
    gca_err err = {0};
    int lv[44];
    assert_int_equal(gca_sim3_baselines_parse(&model, base, strlen(base),
                                              "b.csv", &b, &err),
                     0);
    assert_int_equal(
        levels_of("code,level\nO-1,3\nO-2,0\nO-3,4\nH-1,na\nP-1,1\n", lv,
                  &err),
        0);
    assert_int_equal(gca_sim3_gap_compute(&model, &b.p[0], lv, &g, &err), 0);
    int o1 = gca_sim3_find(&model, "O-1"), o2 = gca_sim3_find(&model, "O-2");
    int h1 = gca_sim3_find(&model, "H-1"), p1 = gca_sim3_find(&model, "P-1");
    int o3 = gca_sim3_find(&model, "O-3");
    assert_int_equal(g.rows[o1].shortfall, 0);
    assert_int_equal(g.rows[o2].shortfall, 1);
    assert_int_equal(g.rows[h1].level, GCA_SIM3_NOT_ASSESSED);
    assert_int_equal(g.rows[h1].shortfall, 0);
    assert_int_equal(g.rows[p1].shortfall, 2);
    assert_int_equal(g.rows[o3].required, GCA_SIM3_NOT_ASSESSED);
    assert_int_equal(g.cat[0].met, 1);
    assert_int_equal(g.cat[0].total, 2);
    assert_true(fabs(g.cat[0].mean - 7.0 / 3) < 1e-12);
    assert_int_equal(g.cat[1].met, 0);
    assert_int_equal(g.cat[1].total, 1);
    assert_true(isnan(g.cat[1].mean));
    assert_int_equal(g.cat[2].total, 0);
    assert_int_equal(g.cat[3].met, 0);
    assert_true(fabs(g.cat[3].mean - 1) < 1e-12);
    assert_int_equal(g.met, 1);
    assert_int_equal(g.total, 4);
    assert_false(g.all_met);
    gca_sim3_gap_release(&g);
    gca_sim3_baselines_release(&b);
}

static void expect_levels_error(const char *text, int line, int col,
                                const char *msg)
{
    gca_err err = {0};
    int lv[44];
    int rc = levels_of(text, lv, &err);
    assert_true(rc < 0);
    assert_string_equal(err.source, "l.csv");
    assert_int_equal(err.line, line);
    if (col >= 0) /* -1: the CSV reader's own position */
        assert_int_equal(err.col, col);
    if (!strstr(err.msg, msg))
        fail_msg("'%s' lacks '%s'", err.msg, msg);
    /* Nothing half-filled. */
    for (int i = 0; i < 44; i++)
        assert_int_equal(lv[i], GCA_SIM3_NOT_ASSESSED);
}

static void test_levels_errors(void **state)
{
    (void)state;
    expect_levels_error("code,level\nO-1,2\nO-1,3\n", 3, 1, "appears twice");
    expect_levels_error("code,level\nO-1,5\n", 2, 5, "not 0 to 4");
    expect_levels_error("code,level\nO-1,-1\n", 2, 5, "not 0 to 4");
    expect_levels_error("code,level\nO-1,2.5\n", 2, 5, "not 0 to 4");
    expect_levels_error("code,level\nX-1,2\n", 2, 1, "unknown SIM3");
    expect_levels_error("code,level\n\"O-1\x01\",2\n", 2, 1, "unknown SIM3");
    expect_levels_error("code,lvl\nO-1,2\n", 1, 1, "missing column 'level'");
    expect_levels_error("code,level,extra\nO-1,2,x\n", 1, 1,
                        "two columns");
    expect_levels_error("code,level\n", 1, 1, "no levels");
    expect_levels_error("code,level\nO-1,2,3\n", 2, -1, "");
    expect_levels_error("code,level\nO-1,\"2\n", 2, -1, "");

    gca_err err = {0};
    int lv[44];
    assert_int_equal(levels_of("", lv, &err), GCA_EPARSE);
    static char big[GCA_SIM3_MAX_FILE + 2];
    memset(big, 'a', sizeof big - 1);
    err = (gca_err){0};
    assert_int_equal(gca_sim3_levels_parse(&model, big, sizeof big - 1,
                                           "big.csv", lv, &err),
                     GCA_ETOOBIG);
}

static void expect_base_error(const char *text, int line, int col,
                              const char *msg)
{
    gca_sim3_baselines b;
    gca_err err = {0};
    assert_true(gca_sim3_baselines_parse(&model, text, strlen(text), "b.csv",
                                         &b, &err) < 0);
    assert_int_equal(b.n, 0);
    assert_null(b.p);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    if (!strstr(err.msg, msg))
        fail_msg("'%s' lacks '%s'", err.msg, msg);
}

static void test_baseline_errors(void **state)
{
    (void)state;
    const char *h = "profile,code,min_level,source,note\n";
    char t[256];
    snprintf(t, sizeof t, "%sp,O-1,1,s,\np,O-1,2,s,\n", h);
    expect_base_error(t, 3, 3, "appears twice in profile p");
    snprintf(t, sizeof t, "%sp,O-1,9,s,\n", h);
    expect_base_error(t, 2, 7, "not a level 0 to 4");
    snprintf(t, sizeof t, "%sp,Q-1,1,s,\n", h);
    expect_base_error(t, 2, 3, "unknown SIM3 parameter");
    snprintf(t, sizeof t, "%sp,O-1,1,,\n", h);
    expect_base_error(t, 2, 9, "no source");
    snprintf(t, sizeof t, "%sBad Name,O-1,1,s,\n", h);
    expect_base_error(t, 2, 1, "profile name");
    expect_base_error("profile,code,source,note\np,O-1,s,\n", 1, 1,
                      "missing column 'min_level'");
    expect_base_error(h, 1, 1, "no profiles");
}

static void test_model_errors(void **state)
{
    (void)state;
    gca_sim3_model m;
    gca_err err = {0};
    const char *h = "code,category,name,description,edition,status\n";
    char t[256];
    snprintf(t, sizeof t, "%sO-1,Human,Mandate,d,e,s\n", h);
    assert_true(gca_sim3_model_parse(t, strlen(t), "p.csv", &m, &err) < 0);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 5);
    assert_null(m.params);
    err = (gca_err){0};
    snprintf(t, sizeof t, "%sO-01,Organisation,Mandate,d,e,s\n", h);
    assert_true(gca_sim3_model_parse(t, strlen(t), "p.csv", &m, &err) < 0);
    assert_int_equal(err.col, 1);
    err = (gca_err){0};
    snprintf(t, sizeof t, "%sO-1,Organisation,,d,e,s\n", h);
    assert_true(gca_sim3_model_parse(t, strlen(t), "p.csv", &m, &err) < 0);
    assert_non_null(strstr(err.msg, "no name"));
}

/* Every allocation of the parsers and the gap may fail: each returns
 * GCA_ENOMEM (or succeeds once enough allocations pass), never crashes,
 * never leaks (the sanitizer build checks). */
static void test_out_of_memory(void **state)
{
    (void)state;
    static const char base[] = "profile,code,min_level,source,note\n"
                               "p,O-1,2,test,\nq,P-1,3,test,\n";
    static const char lvl[] = "code,level\nO-1,3\nP-1,1\n";
    int done = 0;
    for (long n = 1; !done && n < 10000; n++) {
        gca_sim3_model m = {NULL, 0};
        gca_sim3_baselines b = {NULL, 0};
        gca_sim3_gap g = {0};
        gca_err err = {0};
        int lv[44];
        gca_alloc_fail_after(n);
        int rc = gca_sim3_model_default(&m, &err);
        if (rc == 0)
            rc = gca_sim3_baselines_parse(&m, base, sizeof base - 1, "b.csv",
                                          &b, &err);
        if (rc == 0)
            rc = gca_sim3_levels_parse(&m, lvl, sizeof lvl - 1, "l.csv", lv,
                                       &err);
        if (rc == 0)
            rc = gca_sim3_gap_compute(&m, &b.p[1], lv, &g, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            assert_int_equal(g.met, 0);
            assert_int_equal(g.total, 1);
            done = 1;
        } else {
            assert_int_equal(rc, GCA_ENOMEM);
        }
        gca_sim3_gap_release(&g);
        gca_sim3_baselines_release(&b);
        gca_sim3_model_release(&m);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_model),
        cmocka_unit_test(test_shipped_baselines),
        cmocka_unit_test(test_gap_by_hand),
        cmocka_unit_test(test_levels_errors),
        cmocka_unit_test(test_baseline_errors),
        cmocka_unit_test(test_model_errors),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
