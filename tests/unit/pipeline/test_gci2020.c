/* test_gci2020.c - the published GCI 2020 results, rebuilt. With the GCI
 * framework (data/frameworks/gci.json) cut at the pillar level, the
 * overall score is the sum of the five published pillar scores; the
 * published ranks are the dense ranks of the published overall scores.
 * The expected exceptions are the report's own inconsistencies, listed in
 * data/README.md: nothing else may differ. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define NCOUNTRIES 194
#define NPILLARS 189

static const char *const exceptions[] = {"FIN", "ROU", "SWE", "VNM"};

static int is_exception(const char *code)
{
    for (size_t i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
        if (!strcmp(code, exceptions[i]))
            return 1;
    return 0;
}

static void test_published_ranks_are_dense(void **state)
{
    (void)state;
    tu_table t;
    tu_table_load(&t, "data/published/gci2020.csv");
    assert_int_equal(t.csv.nrow, NCOUNTRIES);
    int cs = tu_col(&t, "GCI_published"), cr = tu_col(&t, "Rank_published");
    assert_true(cs >= 0 && cr >= 0);
    double score[NCOUNTRIES], rank[NCOUNTRIES];
    for (size_t i = 0; i < NCOUNTRIES; i++)
        score[i] = tu_num(&t, i + 1, (size_t)cs);
    assert_int_equal(gca_rank(score, NCOUNTRIES, GCA_TIES_DENSE, rank), 0);
    size_t same = 0;
    for (size_t i = 0; i < NCOUNTRIES; i++) {
        if (rank[i] == tu_num(&t, i + 1, (size_t)cr))
            same++;
        else
            fprintf(stderr, "%s: dense rank %g, published %s\n",
                    tu_cell(&t, i + 1, 0), rank[i], tu_cell(&t, i + 1, (size_t)cr));
    }
    assert_int_equal(same, NCOUNTRIES);
    /* Competition ranks ("min", COINr's default) agree only rarely: the
     * GCI's ties are dense. */
    assert_int_equal(gca_rank(score, NCOUNTRIES, GCA_TIES_MIN, rank), 0);
    same = 0;
    for (size_t i = 0; i < NCOUNTRIES; i++)
        same += rank[i] == tu_num(&t, i + 1, (size_t)cr);
    assert_true(same < 10);
    tu_table_release(&t);
}

static void test_overall_is_sum_of_pillars(void **state)
{
    (void)state;
    gca_err err = {0};
    gca_framework *gci = NULL, *fw = NULL;
    gca_dataset *ds = NULL;
    gca_method *m = NULL;
    gca_result *res = NULL;
    static const char *const drop[] = {"GCI_published", "Rank_published",
                                       "source"};

    assert_int_equal(gca_framework_load(tu_path("data/frameworks/gci.json"),
                                        &gci, NULL, &err), 0);
    assert_int_equal(gca_framework_ties(gci), GCA_TIES_DENSE);
    assert_int_equal(gca_framework_cut(gci, 2, &fw, &err), 0);
    assert_int_equal(gca_dataset_read_csv(
                         tu_path("data/published/gci2020.csv"), &ds, &err), 0);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(gca_dataset_exclude(ds, drop[i], &err), 0);
    assert_int_equal(gca_dataset_bind(ds, fw, NULL, NULL, &err), 0);
    assert_int_equal(gca_method_default(fw, &m, &err), 0);
    int rc = gca_build(fw, ds, m, 0, &res, &err);
    if (rc) {
        char msg[1024];
        gca_err_format(&err, msg, sizeof msg);
        fail_msg("build: %s", msg);
    }
    assert_int_equal(gca_result_ties(res), GCA_TIES_DENSE);

    const gca_dset *fin = gca_result_final(res);
    const gca_dset *rk = gca_result_ranks(res);
    int col = -1;
    for (size_t c = 0; c < fin->ncol; c++)
        if (!strcmp(fin->icode[c], "GCI"))
            col = (int)c;
    assert_true(col >= 0);
    assert_int_equal(fin->nrow, NCOUNTRIES);

    tu_table t;
    tu_table_load(&t, "data/published/gci2020.csv");
    int cs = tu_col(&t, "GCI_published");
    size_t within = 0, outside = 0, missing = 0;
    for (size_t r = 0; r < fin->nrow; r++) {
        int row = tu_row(&t, 0, fin->ucode[r]);
        assert_true(row > 0);
        double got = GCA_DSET_AT(fin, r, col);
        double want = tu_num(&t, (size_t)row, (size_t)cs);
        if (isnan(got)) {
            /* No published pillars: no overall score, no rank. */
            assert_true(isnan(tu_num(&t, (size_t)row, 2)));
            assert_true(isnan(GCA_DSET_AT(rk, r, col)));
            missing++;
            continue;
        }
        int close = fabs(got - want) <= 0.025;
        if (close != !is_exception(fin->ucode[r]))
            fprintf(stderr, "%s: sum of pillars %.4f, published %.2f\n",
                    fin->ucode[r], got, want);
        assert_int_equal(close, !is_exception(fin->ucode[r]));
        within += close;
        outside += !close;
    }
    assert_int_equal(missing, NCOUNTRIES - NPILLARS);
    assert_int_equal(outside, 4);
    assert_int_equal(within, NPILLARS - 4);
    tu_table_release(&t);
    gca_result_free(res);
    gca_method_free(m);
    gca_dataset_free(ds);
    gca_framework_free(fw);
    gca_framework_free(gci);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_ranks_are_dense),
        cmocka_unit_test(test_overall_is_sum_of_pillars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
