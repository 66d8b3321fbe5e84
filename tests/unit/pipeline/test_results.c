/* test_results.c - the results of the standard ASEM build (the method of
 * data/examples/asem_method.json) against COINr: unrounded scores and
 * ranks (tests/oracle/results/scores_unrounded.csv,
 * ranks_all_aggregates.csv), original and effective weights
 * (weights_original.csv, weights_effective.csv) and COINr's get_results
 * tables rendered by gca_render_results (get_results_*.csv). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/fs.h"
#include "testutil.h"

static gca_result *res;

static int setup(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(1u << 20);
    gca_err err = {0};
    if (gca_file_read(tu_path("data/examples/asem_method.json"), &b, &err) <
        0)
        return -1;
    int rc = tu_build_asem(gca_buf_str(&b), 0, &res, &err);
    gca_buf_release(&b);
    if (rc < 0) {
        char msg[1024];
        gca_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "standard build: %s\n", msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gca_result_free(res);
    return 0;
}

static int column(const gca_dset *d, const char *code)
{
    for (size_t c = 0; c < d->ncol; c++)
        if (!strcmp(d->icode[c], code))
            return (int)c;
    return -1;
}

static int row(const gca_dset *d, const char *ucode)
{
    for (size_t r = 0; r < d->nrow; r++)
        if (!strcmp(d->ucode[r], ucode))
            return (int)r;
    return -1;
}

static int cell_equal(const char *got, const char *want)
{
    if (!strcmp(got, want))
        return 1;
    char *e1, *e2;
    double g = strtod(got, &e1), w = strtod(want, &e2);
    if (!strcmp(got, "NA"))
        g = NAN;
    else if (*e1 || !*got)
        return 0;
    if (!strcmp(want, "NA"))
        w = NAN;
    else if (*e2 || !*want)
        return 0;
    return tu_close(g, w, 1e-12, 1e-9);
}

/* Compare the CSV `text` with the oracle `rel`: the same rows in the same
 * order; every oracle column present (in the same order when `ordered`),
 * no other column; cells equal as text or as numbers (tu_close). */
static int compare_csv(const char *text, const char *rel, int ordered)
{
    gca_csv got;
    gca_err err = {0};
    tu_table want;
    int bad = 0;
    assert_int_equal(gca_csv_parse(text, strlen(text), "rendered", 100000,
                                   10000, &got, &err),
                     0);
    tu_table_load(&want, rel);
    if (got.ncol != want.csv.ncol || got.nrow != want.csv.nrow) {
        fprintf(stderr, "%s: %zu x %zu, rendered %zu x %zu\n", rel,
                want.csv.nrow, want.csv.ncol, got.nrow, got.ncol);
        bad++;
    }
    for (size_t c = 0; c < want.csv.ncol && !bad; c++) {
        const char *name = tu_cell(&want, 0, c);
        size_t gc = got.ncol;
        for (size_t k = 0; k < got.ncol; k++)
            if (!strcmp(GCA_CSV_CELL(&got, 0, k)->text.ptr, name))
                gc = k;
        if (gc == got.ncol || (ordered && gc != c)) {
            fprintf(stderr, "%s: column '%s' is at %zu, rendered at %zu\n",
                    rel, name, c, gc);
            bad++;
            continue;
        }
        for (size_t r = 1; r <= want.csv.nrow; r++) {
            const char *g = GCA_CSV_CELL(&got, r, gc)->text.ptr;
            const char *w = tu_cell(&want, r, c);
            if (cell_equal(g, w))
                continue;
            if (bad < 10)
                fprintf(stderr, "%s: row %zu (%s), column '%s': rendered "
                        "'%s', want '%s'\n", rel, r, tu_cell(&want, r, 0),
                        name, g, w);
            bad++;
        }
    }
    tu_table_release(&want);
    gca_csv_release(&got);
    return bad;
}

static void test_scores_and_ranks(void **state)
{
    (void)state;
    const gca_dset *fin = gca_result_final(res);
    const gca_dset *rk = gca_result_ranks(res);
    assert_string_equal(fin->name, "Aggregated");
    assert_int_equal(gca_result_ties(res), GCA_TIES_MIN);
    tu_table t;
    tu_table_load(&t, "tests/oracle/results/scores_unrounded.csv");
    assert_int_equal(t.csv.nrow, fin->nrow);
    int bad = 0;
    int index = column(fin, "Index");
    assert_true(index >= 0);
    for (size_t r = 1; r <= t.csv.nrow; r++) {
        int u = row(fin, tu_cell(&t, r, 0));
        assert_true(u >= 0);
        /* Sorted by rank: the oracle's r-th row has rank r here (no
         * ties in the ASEM Index). */
        double rank = GCA_DSET_AT(rk, u, index);
        bad += rank != tu_num(&t, r, 2) || rank != (double)r;
        for (size_t c = 3; c < t.csv.ncol; c++) {
            int k = column(fin, tu_cell(&t, 0, c));
            assert_true(k >= 0);
            double got = GCA_DSET_AT(fin, u, k), want = tu_num(&t, r, c);
            if (!tu_close(got, want, 1e-12, 1e-9)) {
                fprintf(stderr, "%s/%s: got %.17g, want %.17g\n",
                        tu_cell(&t, r, 0), tu_cell(&t, 0, c), got, want);
                bad++;
            }
        }
    }
    /* The README's figures: CHE first with 68.38, RUS last with 35.66. */
    int che = row(fin, "CHE"), rus = row(fin, "RUS");
    assert_true(fabs(GCA_DSET_AT(fin, che, index) - 68.38) < 0.005);
    assert_true(GCA_DSET_AT(rk, che, index) == 1);
    assert_true(fabs(GCA_DSET_AT(fin, rus, index) - 35.66) < 0.005);
    assert_true(GCA_DSET_AT(rk, rus, index) == 51);
    assert_int_equal(bad, 0);
    tu_table_release(&t);

    /* Ranks of every aggregate. */
    tu_table_load(&t, "tests/oracle/results/ranks_all_aggregates.csv");
    for (size_t r = 1; r <= t.csv.nrow; r++) {
        int u = row(rk, tu_cell(&t, r, 0));
        assert_true(u >= 0);
        for (size_t c = 2; c < t.csv.ncol; c++) {
            int k = column(rk, tu_cell(&t, 0, c));
            assert_true(k >= 0);
            if (GCA_DSET_AT(rk, u, k) != tu_num(&t, r, c)) {
                fprintf(stderr, "rank %s/%s: got %g, want %s\n",
                        tu_cell(&t, r, 0), tu_cell(&t, 0, c),
                        GCA_DSET_AT(rk, u, k), tu_cell(&t, r, c));
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
    tu_table_release(&t);
}

static void test_rendered_scores(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    gca_err err = {0};
    gca_csv got;
    tu_table t;
    /* uCode + aggregates, rows by uCode: every value of the unrounded
     * oracle table, found by unit and column. */
    for (int ranks = 0; ranks <= 1; ranks++) {
        assert_int_equal(gca_render_scores(res, ranks, GCA_FORMAT_CSV, &text,
                                           &len, &err),
                         0);
        assert_int_equal(gca_csv_parse(text, len, "scores", 100000, 10000,
                                       &got, &err),
                         0);
        tu_table_load(&t, ranks ? "tests/oracle/results/"
                                  "ranks_all_aggregates.csv"
                                : "tests/oracle/results/scores_unrounded.csv");
        assert_int_equal(got.nrow, t.csv.nrow);
        assert_int_equal(got.ncol, 12);
        int bad = 0;
        for (size_t r = 1; r <= got.nrow; r++) {
            int orow = tu_row(&t, 0, GCA_CSV_CELL(&got, r, 0)->text.ptr);
            assert_true(orow > 0);
            for (size_t c = 1; c < got.ncol; c++) {
                int oc = tu_col(&t, GCA_CSV_CELL(&got, 0, c)->text.ptr);
                assert_true(oc > 0);
                bad += !cell_equal(GCA_CSV_CELL(&got, r, c)->text.ptr,
                                   tu_cell(&t, (size_t)orow, (size_t)oc));
            }
        }
        assert_int_equal(bad, 0);
        tu_table_release(&t);
        gca_csv_release(&got);
        gca_free(text);
    }
}

static void test_weights(void **state)
{
    (void)state;
    const gca_framework *fw = gca_result_framework(res);
    size_t n = gca_framework_nnodes(fw);
    double *w = calloc(n, sizeof *w), *eff = calloc(n, sizeof *eff);
    gca_err err = {0};
    assert_non_null(w);
    assert_non_null(eff);
    assert_int_equal(gca_result_weights(res, w, n, &err), 0);
    assert_int_equal(gca_result_effective_weights(res, eff, n, &err), 0);
    static const char *const files[] = {
        "tests/oracle/results/weights_original.csv",
        "tests/oracle/results/weights_effective.csv"};
    for (size_t f = 0; f < GCA_COUNT(files); f++) {
        tu_table t;
        tu_table_load(&t, files[f]);
        /* Every node of the tree, nothing else. */
        assert_int_equal(t.csv.nrow, n);
        int bad = 0;
        for (size_t r = 1; r <= t.csv.nrow; r++) {
            const char *code = tu_cell(&t, r, 0);
            int i = gca_framework_find(fw, code);
            assert_true(i >= 0);
            const gca_node *nd = gca_framework_node_at(fw, (size_t)i);
            bad += nd->level != (int)tu_num(&t, r, 1);
            bad += !tu_close(w[i], tu_num(&t, r, 2), 1e-12, 1e-9);
            if (f == 1 && !tu_close(eff[i], tu_num(&t, r, 3), 1e-12, 1e-9)) {
                fprintf(stderr, "%s: effective weight %.17g, want %s\n", code,
                        eff[i], tu_cell(&t, r, 3));
                bad++;
            }
        }
        assert_int_equal(bad, 0);
        tu_table_release(&t);
    }
    /* gca_render_weights writes the same table. */
    char *text = NULL;
    size_t len = 0;
    gca_csv got;
    tu_table t;
    assert_int_equal(gca_render_weights(res, GCA_FORMAT_CSV, &text, &len,
                                        &err),
                     0);
    assert_int_equal(gca_csv_parse(text, len, "weights", 100000, 100, &got,
                                   &err),
                     0);
    tu_table_load(&t, files[1]);
    assert_int_equal(got.nrow, t.csv.nrow);
    assert_int_equal(got.ncol, t.csv.ncol);
    int bad = 0;
    for (size_t r = 1; r <= got.nrow; r++) {
        int orow = tu_row(&t, 0, GCA_CSV_CELL(&got, r, 0)->text.ptr);
        assert_true(orow > 0);
        for (size_t c = 1; c < got.ncol; c++)
            bad += !cell_equal(GCA_CSV_CELL(&got, r, c)->text.ptr,
                               tu_cell(&t, (size_t)orow, c));
    }
    assert_int_equal(bad, 0);
    tu_table_release(&t);
    gca_csv_release(&got);
    gca_free(text);
    free(w);
    free(eff);
}

static void test_get_results(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        gca_tab_type tab;
        gca_tab_use use;
        const char *group;
        int nround;
        int ordered;
    } cases[] = {
        {"get_results_summ", GCA_TAB_SUMM, GCA_USE_SCORES, NULL, 2, 1},
        {"get_results_aggs", GCA_TAB_AGGS, GCA_USE_SCORES, NULL, 2, 1},
        /* COINr lists the indicators of "Full" in its lineage order, gca
         * in framework order: compared by name. */
        {"get_results_full_nround14", GCA_TAB_FULL, GCA_USE_SCORES, NULL, 14,
         0},
        {"get_results_aggs_ranks", GCA_TAB_AGGS, GCA_USE_RANKS, NULL, 2, 1},
        {"get_results_aggs_groupranks_EurAsia", GCA_TAB_AGGS,
         GCA_USE_GROUPRANKS, "EurAsia_group", 2, 1},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_results_opts o = {0};
        o.tab_type = cases[i].tab;
        o.use = cases[i].use;
        o.group = cases[i].group;
        o.nround = cases[i].nround;
        char *text = NULL;
        size_t len = 0;
        gca_err err = {0};
        char rel[256];
        snprintf(rel, sizeof rel, "tests/oracle/results/%s.csv",
                 cases[i].file);
        assert_int_equal(gca_render_results(res, &o, GCA_FORMAT_CSV, &text,
                                            &len, &err),
                         0);
        assert_int_equal(compare_csv(text, rel, cases[i].ordered), 0);
        gca_free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_and_ranks),
        cmocka_unit_test(test_rendered_scores),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_get_results),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
