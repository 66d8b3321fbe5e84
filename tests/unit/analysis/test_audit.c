/* test_audit.c - the statistical audit (src/analysis/audit*.c, corr.c)
 * against COINr 1.1.14: every file of tests/oracle/analysis/ is rebuilt
 * from the standard ASEM build and compared cell by cell (relative 1e-12,
 * absolute 1e-9 near zero, identical NA, text, counts, flags, ranks and
 * selections; rows matched on their keys). Then gca's own tables against
 * the same oracle, the warnings against the oracle's correlations and
 * alphas, exact Spearman p-values, bad arguments and failing
 * allocations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gca.h"
#include "analysis/audit.h"
#include "analysis/corr.h"
#include "testutil.h"

#define ORACLE "tests/oracle/analysis/"
#define RTOL 1e-12
#define ATOL 1e-9

/* ====== The ASEM build ====== */

typedef struct asem {
    gca_framework *fw;
    gca_dataset *ds;
    gca_method *m;
    gca_result *res;
    gca_analysis *an;
} asem;

static asem A;

/* The framework with COINr's level names ("Pillar", "Sub-index",
 * "Index"), which get_corr(withparent = "family") writes. */
static int setup(void **state)
{
    gca_err err = {0};
    (void)state;
    if (gca_framework_load(tu_path("data/frameworks/asem.json"), &A.fw, NULL,
                           &err) < 0 ||
        gca_dataset_read_csv(tu_path("tests/oracle/data/asem_iData.csv"),
                             &A.ds, &err) < 0 ||
        gca_dataset_bind(A.ds, A.fw, NULL, NULL, &err) < 0 ||
        gca_method_load(tu_path("tests/cases/_inputs/asem_method.json"),
                        &A.m, &err) < 0 ||
        gca_build(A.fw, A.ds, A.m, 0, &A.res, &err) < 0 ||
        gca_analysis_new(A.res, &A.an, &err) < 0) {
        char msg[1024];
        gca_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "setup: %s\n", msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gca_analysis_free(A.an);
    gca_result_free(A.res);
    gca_method_free(A.m);
    gca_dataset_free(A.ds);
    gca_framework_free(A.fw);
    return 0;
}

/* ====== Comparing a table with an oracle CSV ====== */

/* Totals over every comparison, printed at the end. */
static size_t g_values;
static double g_maxrel;
static const char *g_maxwhere = "";

/* Text of a cell of `t` ("NA" for missing, %.17g for numbers). */
static const char *cell(const gca_report *t, size_t row, size_t col,
                        char *buf)
{
    return gca_report_cell(t, row, col, buf, 64);
}

static int report_col(const gca_report *t, const char *name)
{
    for (size_t c = 0; c < t->ncol; c++)
        if (!strcmp(t->header[c], name))
            return (int)c;
    return -1;
}

/* 1 if `s` is a whole number (the oracle writes %.15g/%.17g). */
static int numeric(const char *s, double *v)
{
    char *end;
    if (!*s)
        return 0;
    *v = strtod(s, &end);
    return !*end;
}

/* One cell: NA with NA, numbers within tolerance, text identical.
 * Returns 1 when they agree; `count` adds the comparison of numbers to
 * the totals (not when looking for a row by its key). */
static int cell_agrees(const char *got, const char *want, const char *where,
                       int count)
{
    double g, w;
    if (!strcmp(want, "NA") || !strcmp(want, "NaN"))
        return !strcmp(got, "NA") || !strcmp(got, "NaN");
    if (numeric(want, &w)) {
        if (!numeric(got, &g))
            return 0;
        if (!count)
            return tu_close(g, w, RTOL, ATOL);
        g_values++;
        double m = fmax(fabs(g), fabs(w));
        double rel = m > 0 ? fabs(g - w) / m : 0;
        /* Near zero the absolute tolerance decides; the relative
         * difference there says nothing. */
        if (m > ATOL && rel > g_maxrel) {
            g_maxrel = rel;
            g_maxwhere = where;
        }
        return tu_close(g, w, RTOL, ATOL);
    }
    return !strcmp(got, want);
}

static int same_cell(const char *got, const char *want, const char *where)
{
    return cell_agrees(got, want, where, 1);
}

/* Oracle columns to compare and the got column each maps to (got NULL:
 * the same name). */
typedef struct colmap {
    const char *want, *got;
} colmap;

/* Compare table `t` with oracle file `rel`: each oracle row matches the
 * one row of `t` with the same key cells, every oracle column (or those
 * in `cols`) agrees, and (unless `subset`) `t` has no other rows.
 * Returns the number of differences (printed). */
static int compare(const gca_report *t, const char *rel,
                   const char *const *keys, size_t nkeys, const colmap *cols,
                   size_t ncols, int subset)
{
    tu_table o;
    char buf[64], kbuf[64];
    int bad = 0;
    assert_non_null(t);
    tu_table_load(&o, rel);
    int okey[4], gkey[4];
    assert_true(nkeys <= 4);
    for (size_t k = 0; k < nkeys; k++) {
        okey[k] = tu_col(&o, keys[k]);
        gkey[k] = report_col(t, keys[k]);
        assert_true(okey[k] >= 0 && gkey[k] >= 0);
    }
    colmap all[64];
    if (!cols) {
        ncols = 0;
        for (size_t c = 0; c < o.csv.ncol; c++)
            all[ncols++] = (colmap){tu_cell(&o, 0, c), NULL};
        cols = all;
    }
    unsigned char *used = calloc(t->nrow + 1, 1);
    assert_non_null(used);
    for (size_t r = 1; r <= o.csv.nrow; r++) {
        long found = -1;
        for (size_t g = 0; g < t->nrow && found < 0; g++) {
            size_t k = 0;
            for (; k < nkeys; k++)
                if (!cell_agrees(cell(t, g, (size_t)gkey[k], kbuf),
                                 tu_cell(&o, r, (size_t)okey[k]), rel, 0))
                    break;
            if (k == nkeys)
                found = (long)g;
        }
        if (found < 0) {
            fprintf(stderr, "%s: row %zu (key '%s') missing\n", rel, r,
                    tu_cell(&o, r, (size_t)okey[0]));
            bad++;
            continue;
        }
        used[found] = 1;
        for (size_t c = 0; c < ncols; c++) {
            int oc = tu_col(&o, cols[c].want);
            int gc = report_col(t, cols[c].got ? cols[c].got : cols[c].want);
            assert_true(oc >= 0);
            if (gc < 0) {
                fprintf(stderr, "%s: no column '%s'\n", rel, cols[c].want);
                bad++;
                continue;
            }
            const char *g = cell(t, (size_t)found, (size_t)gc, buf);
            const char *w = tu_cell(&o, r, (size_t)oc);
            if (!same_cell(g, w, rel)) {
                if (bad < 10)
                    fprintf(stderr, "%s: row %zu (key '%s') column '%s': "
                            "got %s, want %s\n", rel, r,
                            tu_cell(&o, r, (size_t)okey[0]), cols[c].want,
                            g, w);
                bad++;
            }
        }
    }
    for (size_t g = 0; g < t->nrow && !subset; g++)
        if (!used[g]) {
            fprintf(stderr, "%s: extra row %zu (key '%s')\n", rel, g,
                    cell(t, g, (size_t)gkey[0], buf));
            bad++;
        }
    free(used);
    tu_table_release(&o);
    return bad;
}

static const char *const K_ICODE[] = {"iCode"};
static const char *const K_UCODE[] = {"uCode"};
static const char *const K_PAIR[] = {"Var1", "Var2"};

/* ====== get_stats ====== */

static void test_stats(void **state)
{
    static const struct {
        const char *dset, *file;
        int nsignif;
    } cases[] = {
        {"Raw", "stats_raw_full.csv", 0},
        {"Normalised", "stats_normalised_full.csv", 0},
        {"Raw", "stats_raw.csv", 3},
        {"Normalised", "stats_normalised.csv", 3},
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_stats_opts o = GCA_STATS_OPTS_INIT;
        gca_err err = {0};
        o.nsignif = cases[i].nsignif;
        assert_int_equal(gca_analysis_stats(A.an, cases[i].file,
                                            cases[i].dset, &o, &err), 0);
        char rel[256];
        snprintf(rel, sizeof rel, ORACLE "%s", cases[i].file);
        assert_int_equal(compare(gca_analysis_table(A.an, cases[i].file),
                                 rel, K_ICODE, 1, NULL, 0, 0), 0);
    }
}

/* ====== get_corr ====== */

static void test_corr(void **state)
{
    static const struct {
        const char *file, *dset;
        int l1, l2, grouplev;
        gca_withparent wp;
        gca_cor_method m;
        double pval;
    } cases[] = {
        {"corr_pearson_normalised_ind_within_pillar.csv", "Normalised", 1, 1,
         2, GCA_WITHPARENT_NO, GCA_COR_PEARSON, 0},
        {"corr_pearson_normalised_ind_within_pillar_p05.csv", "Normalised",
         1, 1, 2, GCA_WITHPARENT_NO, GCA_COR_PEARSON, 0.05},
        {"corr_pearson_raw_ind_within_pillar.csv", "Raw", 1, 1, 2,
         GCA_WITHPARENT_NO, GCA_COR_PEARSON, 0},
        {"corr_pearson_aggregated_ind_vs_pillar.csv", "Aggregated", 1, 2, 0,
         GCA_WITHPARENT_YES, GCA_COR_PEARSON, 0},
        {"corr_pearson_aggregated_ind_vs_family.csv", "Aggregated", 1, 0, 0,
         GCA_WITHPARENT_FAMILY, GCA_COR_PEARSON, 0},
        {"corr_pearson_aggregated_pillar_vs_pillar.csv", "Aggregated", 2, 2,
         0, GCA_WITHPARENT_NO, GCA_COR_PEARSON, 0},
        {"corr_pearson_aggregated_pillar_vs_subindex.csv", "Aggregated", 2, 3,
         0, GCA_WITHPARENT_YES, GCA_COR_PEARSON, 0},
        {"corr_pearson_aggregated_pillar_vs_index.csv", "Aggregated", 2, 4, 0,
         GCA_WITHPARENT_NO, GCA_COR_PEARSON, 0},
        {"corr_pearson_aggregated_subindex_vs_index.csv", "Aggregated", 3, 4,
         0, GCA_WITHPARENT_NO, GCA_COR_PEARSON, 0},
        {"corr_spearman_normalised_ind_within_pillar.csv", "Normalised", 1, 1,
         2, GCA_WITHPARENT_NO, GCA_COR_SPEARMAN, 0},
        {"corr_spearman_aggregated_pillar_vs_index.csv", "Aggregated", 2, 4,
         0, GCA_WITHPARENT_NO, GCA_COR_SPEARMAN, 0},
    };
    static const colmap corr_only[] = {{"Correlation", NULL}};
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_corr_opts o = {cases[i].dset, cases[i].l1, cases[i].l2,
                           cases[i].grouplev, cases[i].wp, cases[i].m,
                           cases[i].pval};
        gca_err err = {0};
        assert_int_equal(gca_analysis_corr(A.an, cases[i].file, &o, &err),
                         0);
        char rel[256];
        snprintf(rel, sizeof rel, ORACLE "%s", cases[i].file);
        assert_int_equal(compare(gca_analysis_table(A.an, cases[i].file),
                                 rel, K_PAIR, 2, corr_only, 1, 0), 0);
    }
    /* The p-values behind the masking: cor.test's Pearson and Spearman
     * (t test with ties, AS 89 without). */
    static const struct {
        gca_cor_method m;
        const char *col;
    } pv[] = {{GCA_COR_PEARSON, "PValue"}, {GCA_COR_SPEARMAN,
                                             "PValueSpearman"}};
    for (size_t i = 0; i < GCA_COUNT(pv); i++) {
        gca_corr_opts o = {"Normalised", 1, 1, 2, GCA_WITHPARENT_NO,
                           pv[i].m, 0};
        gca_err err = {0};
        assert_int_equal(gca_analysis_corr(A.an, "pvalues", &o, &err), 0);
        colmap cols[] = {{pv[i].col, "PValue"}};
        if (pv[i].m == GCA_COR_PEARSON)
            cols[0] = (colmap){"PValue", NULL};
        assert_int_equal(
            compare(gca_analysis_table(A.an, "pvalues"),
                    ORACLE "corr_pearson_normalised_ind_within_pillar_"
                           "pvalues.csv",
                    K_PAIR, 2, cols, 1, 0),
            0);
    }
}

/* ====== get_cronbach ====== */

static void test_cronbach(void **state)
{
    tu_table o;
    (void)state;
    tu_table_load(&o, ORACLE "cronbach.csv");
    for (size_t r = 1; r <= o.csv.nrow; r++) {
        double alpha;
        size_t k;
        gca_err err = {0};
        assert_int_equal(gca_cronbach(A.res, tu_cell(&o, r, 0),
                                      tu_cell(&o, r, 1),
                                      (int)tu_num(&o, r, 2), &alpha, &k,
                                      &err),
                         0);
        assert_int_equal(k, (size_t)tu_num(&o, r, 3));
        char got[64];
        snprintf(got, sizeof got, "%.17g", alpha);
        assert_true(same_cell(got, tu_cell(&o, r, 4), "cronbach.csv"));
    }
    /* gca's table on the final data set: its indicators are the
     * Normalised ones, so level-1 rows match COINr's Normalised rows and
     * the others its Aggregated rows. */
    gca_err err = {0};
    assert_int_equal(gca_analysis_cronbach(A.an, "cronbach", NULL, &err), 0);
    const gca_report *t = gca_analysis_table(A.an, "cronbach");
    assert_int_equal(t->nrow, 15);
    for (size_t i = 0; i < t->nrow; i++) {
        char b1[64], b2[64], b3[64];
        const char *code = cell(t, i, 1, b1), *lev = cell(t, i, 2, b2);
        const char *want = !strcmp(lev, "1") ? "Normalised" : "Aggregated";
        int found = 0;
        for (size_t r = 1; r <= o.csv.nrow; r++)
            if (!strcmp(tu_cell(&o, r, 0), want) &&
                !strcmp(tu_cell(&o, r, 1), code) &&
                !strcmp(tu_cell(&o, r, 2), lev)) {
                found = 1;
                assert_true(same_cell(cell(t, i, 3, b3), tu_cell(&o, r, 3),
                                      "cronbach k"));
                assert_true(same_cell(cell(t, i, 4, b3), tu_cell(&o, r, 4),
                                      "cronbach.csv"));
            }
        assert_true(found);
    }
    tu_table_release(&o);
}

/* ====== get_data_avail ====== */

static void test_data_avail(void **state)
{
    gca_err err = {0};
    (void)state;
    assert_int_equal(gca_analysis_data_avail(A.an, "summary", "bygroup",
                                             "Raw", &err),
                     0);
    assert_int_equal(compare(gca_analysis_table(A.an, "summary"),
                             ORACLE "data_avail_raw_summary.csv", K_UCODE, 1,
                             NULL, 0, 0),
                     0);
    assert_int_equal(compare(gca_analysis_table(A.an, "bygroup"),
                             ORACLE "data_avail_raw_bygroup.csv", K_UCODE, 1,
                             NULL, 0, 0),
                     0);
    /* Columns in COINr's lineage order, not only the same set. */
    const gca_report *t = gca_analysis_table(A.an, "bygroup");
    static const char *const order[] = {
        "uCode",   "ConEcFin", "Instit", "P2P",      "Physical", "Political",
        "Environ", "Social",   "SusEcFin", "Conn",   "Sust",     "Index"};
    assert_int_equal(t->ncol, GCA_COUNT(order));
    for (size_t c = 0; c < t->ncol; c++)
        assert_string_equal(t->header[c], order[c]);
}

/* ====== get_str_weak, get_unit_summary, iMeta order ====== */

static const char *const UNITS[] = {"CHE", "IND", "RUS"};

static void test_units(void **state)
{
    static const char *const k_sw[] = {"uCode", "Table", "Pos"};
    static const char *const k_us[] = {"uCode", "Code"};
    static const int levels[] = {4, 3, 2};
    gca_err err = {0};
    (void)state;
    assert_int_equal(gca_analysis_str_weak(A.an, "sw", NULL, UNITS, 3, &err),
                     0);
    assert_int_equal(compare(gca_analysis_table(A.an, "sw"),
                             ORACLE "str_weak_raw.csv", k_sw, 3, NULL, 0, 0),
                     0);
    assert_int_equal(gca_analysis_unit_summary(A.an, "us", "Aggregated",
                                               UNITS, 3, levels, 3, 2, &err),
                     0);
    assert_int_equal(compare(gca_analysis_table(A.an, "us"),
                             ORACLE "unit_summary.csv", k_us, 2, NULL, 0, 0),
                     0);
    /* COINr's iMeta order (ties in get_str_weak follow it). */
    tu_table o;
    tu_table_load(&o, ORACLE "coin_meta_ind_order.csv");
    size_t k = 0;
    for (size_t r = 1; r <= o.csv.nrow; r++) {
        const char *type = tu_cell(&o, r, 3);
        if (strcmp(type, "Indicator") && strcmp(type, "Aggregate"))
            continue;
        assert_true(k < gca_framework_nnodes(A.fw));
        assert_string_equal(A.fw->nodes[A.an->order[k++]].code,
                            tu_cell(&o, r, 1));
    }
    assert_int_equal(k, gca_framework_nnodes(A.fw));
    tu_table_release(&o);
}

/* ====== remove_elements ====== */

static void test_remove_elements(void **state)
{
    static const char *const kinds[] = {"scores", "ranks", "rankdiffs",
                                        "rankabsdiffs"};
    static const char *const k_rem[] = {"Removed"};
    (void)state;
    for (int level = 2; level <= 3; level++) {
        char prefix[64], name[128], rel[256];
        gca_err err = {0};
        snprintf(prefix, sizeof prefix, "re_L%d_", level);
        assert_int_equal(gca_analysis_remove_elements(A.an, prefix, level,
                                                      "Aggregated", "Index",
                                                      &err),
                         0);
        for (size_t i = 0; i < GCA_COUNT(kinds); i++) {
            snprintf(name, sizeof name, "%s%s", prefix, kinds[i]);
            snprintf(rel, sizeof rel, ORACLE "remove_elements_L%d_%s.csv",
                     level, kinds[i]);
            assert_int_equal(compare(gca_analysis_table(A.an, name), rel,
                                     K_UCODE, 1, NULL, 0, 0),
                             0);
        }
        snprintf(name, sizeof name, "%smeanabsdiff", prefix);
        snprintf(rel, sizeof rel, ORACLE "remove_elements_L%d_meanabsdiff.csv",
                 level);
        assert_int_equal(compare(gca_analysis_table(A.an, name), rel, k_rem,
                                 1, NULL, 0, 0),
                         0);
    }
}

/* ====== gca's tables against the same oracle ====== */

/* Look `a`, `b` up in oracle `o` (Var1, Var2); -1 if absent. */
static long find_pair(const tu_table *o, const char *a, const char *b)
{
    for (size_t r = 1; r <= o->csv.nrow; r++)
        if (!strcmp(tu_cell(o, r, 0), a) && !strcmp(tu_cell(o, r, 1), b))
            return (long)r;
    return -1;
}

/* Rows of the within table at level 1 against COINr's within-pillar
 * files: correlation, p-value and the masked value. */
static void check_within(const gca_report *t, const char *corr_file,
                         int pcol, const char *p05_file)
{
    tu_table c, p, m;
    char b[4][64];
    tu_table_load(&c, corr_file);
    tu_table_load(&p, ORACLE "corr_pearson_normalised_ind_within_pillar_"
                             "pvalues.csv");
    if (p05_file)
        tu_table_load(&m, p05_file);
    size_t n1 = 0;
    for (size_t i = 0; i < t->nrow; i++) {
        if (strcmp(cell(t, i, 0, b[0]), "1"))
            continue;
        n1++;
        const char *v1 = cell(t, i, 2, b[1]), *v2 = cell(t, i, 3, b[2]);
        long rc = find_pair(&c, v1, v2), rp = find_pair(&p, v1, v2);
        assert_true(rc > 0 && rp > 0);
        assert_true(same_cell(cell(t, i, 4, b[3]), tu_cell(&c, rc, 2),
                              corr_file));
        assert_true(same_cell(cell(t, i, 5, b[3]),
                              tu_cell(&p, rp, (size_t)pcol), "pvalues"));
        if (p05_file) {
            long rm = find_pair(&m, v1, v2);
            assert_true(rm > 0);
            assert_true(same_cell(cell(t, i, 6, b[3]), tu_cell(&m, rm, 2),
                                  p05_file));
        }
    }
    /* Each unordered pair of a pillar once: (329 - 49) / 2. */
    assert_int_equal(n1, 140);
    tu_table_release(&c);
    tu_table_release(&p);
    if (p05_file)
        tu_table_release(&m);
}

/* Rows of the parents table against COINr's files for the same pairs. */
static void check_parents(const gca_report *t, int spearman)
{
    static const char *const lvname[] = {"", "Indicator", "Pillar",
                                         "Sub-index", "Index"};
    tu_table fam, ps, pi, si;
    char b[4][64];
    tu_table_load(&fam, ORACLE "corr_pearson_aggregated_ind_vs_family.csv");
    tu_table_load(&ps, ORACLE "corr_pearson_aggregated_pillar_vs_subindex"
                              ".csv");
    tu_table_load(&pi, spearman ? ORACLE "corr_spearman_aggregated_pillar"
                                         "_vs_index.csv"
                                : ORACLE "corr_pearson_aggregated_pillar"
                                         "_vs_index.csv");
    tu_table_load(&si, ORACLE "corr_pearson_aggregated_subindex_vs_index"
                              ".csv");
    size_t checked = 0;
    for (size_t i = 0; i < t->nrow; i++) {
        int l1 = atoi(cell(t, i, 1, b[0])), l2 = atoi(cell(t, i, 3, b[1]));
        const char *v1 = cell(t, i, 0, b[2]), *v2 = cell(t, i, 2, b[3]);
        const tu_table *o = l2 == 1   ? &fam
                            : l1 == 3 ? &ps
                            : l2 == 2 ? &pi
                                      : &si;
        if (spearman && o != &pi)
            continue;
        long r = find_pair(o, l2 == 1 ? lvname[l1] : v1, v2);
        assert_true(r > 0);
        char g[64];
        assert_true(same_cell(cell(t, i, 4, g), tu_cell(o, r, 2), "parents"));
        checked++;
    }
    assert_int_equal(checked, spearman ? 8 : 147 + 8 + 8 + 2);
    tu_table_release(&fam);
    tu_table_release(&ps);
    tu_table_release(&pi);
    tu_table_release(&si);
}

static void test_gca_tables(void **state)
{
    gca_err err = {0};
    (void)state;
    assert_int_equal(gca_analysis_corr_within(A.an, "wp", GCA_COR_PEARSON,
                                              0.05, &err),
                     0);
    check_within(gca_analysis_table(A.an, "wp"),
                 ORACLE "corr_pearson_normalised_ind_within_pillar.csv", 3,
                 ORACLE "corr_pearson_normalised_ind_within_pillar_p05.csv");
    assert_int_equal(gca_analysis_corr_within(A.an, "ws", GCA_COR_SPEARMAN,
                                              0.05, &err),
                     0);
    check_within(gca_analysis_table(A.an, "ws"),
                 ORACLE "corr_spearman_normalised_ind_within_pillar.csv", 4,
                 NULL);
    assert_int_equal(gca_analysis_corr_parents(A.an, "pp", GCA_COR_PEARSON,
                                               0.05, &err),
                     0);
    check_parents(gca_analysis_table(A.an, "pp"), 0);
    assert_int_equal(gca_analysis_corr_parents(A.an, "ps", GCA_COR_SPEARMAN,
                                               0.05, &err),
                     0);
    check_parents(gca_analysis_table(A.an, "ps"), 1);
}

/* The warnings follow from the oracle: every negative significant
 * within-pillar correlation, every alpha below 0.7 (pillars over
 * Normalised indicators, sub-indices and the index over their children),
 * no collinear pair and no indicator short of data. */
static void test_warnings(void **state)
{
    gca_err err = {0};
    char b[6][64];
    (void)state;
    assert_int_equal(gca_analysis_warnings(A.an, "warnings", NULL, &err), 0);
    const gca_report *t = gca_analysis_table(A.an, "warnings");
    tu_table p05, cb;
    tu_table_load(&p05, ORACLE "corr_pearson_normalised_ind_within_pillar_"
                               "p05.csv");
    tu_table_load(&cb, ORACLE "cronbach.csv");
    size_t neg = 0, alpha = 0;
    for (size_t r = 1; r <= p05.csv.nrow; r++)
        neg += tu_num(&p05, r, 2) < 0;
    neg /= 2; /* both orders */
    for (size_t r = 1; r <= cb.csv.nrow; r++) {
        const char *d = tu_cell(&cb, r, 0);
        int lev = (int)tu_num(&cb, r, 2);
        const gca_node *nd = gca_framework_node(A.fw, tu_cell(&cb, r, 1));
        if (strcmp(d, "Raw") && nd->level == lev + 1 &&
            tu_num(&cb, r, 4) < 0.7)
            alpha++;
    }
    size_t got_neg = 0, got_alpha = 0;
    for (size_t i = 0; i < t->nrow; i++) {
        const char *rule = cell(t, i, 0, b[0]);
        if (!strcmp(rule, "negative_correlation")) {
            /* "A;B": a negative pair of COINr's masked table. */
            char pair[64];
            snprintf(pair, sizeof pair, "%s", cell(t, i, 3, b[1]));
            char *semi = strchr(pair, ';');
            assert_non_null(semi);
            *semi = '\0';
            long r = find_pair(&p05, pair, semi + 1);
            assert_true(r > 0 && tu_num(&p05, r, 2) < 0);
            assert_true(same_cell(cell(t, i, 4, b[2]), tu_cell(&p05, r, 2),
                                  "warnings"));
            got_neg++;
        } else if (!strcmp(rule, "low_alpha")) {
            assert_true(atof(cell(t, i, 4, b[2])) < 0.7);
            got_alpha++;
        } else {
            fail_msg("unexpected warning '%s'", rule);
        }
    }
    assert_int_equal(got_neg, neg);
    assert_int_equal(got_alpha, alpha);
    tu_table_release(&p05);
    tu_table_release(&cb);
}

/* ====== Exact Spearman p-values and the t distribution ====== */

static void test_pvalues(void **state)
{
    /* rho = 0.8 from 5 pairs: S = 4, P(S <= 4) = 8/120 over the 5!
     * permutations, two-sided 2 * 8/120 (R: 0.1333). */
    const double x[] = {1, 2, 3, 4, 5}, y[] = {2, 1, 4, 3, 5};
    gca__corr_work w;
    double r, p;
    size_t n;
    (void)state;
    assert_int_equal(gca__corr_work_init(&w, 5), 0);
    gca__cor_test(x, y, 5, GCA__COR_SPEARMAN, &w, &r, &p, &n);
    assert_int_equal(n, 5);
    assert_true(tu_close(r, 0.8, 1e-15, 0));
    assert_true(tu_close(p, 16.0 / 120, 1e-15, 0));
    /* The reverse: rho = -0.8, the upper tail, the same p. */
    const double yr[] = {4, 5, 2, 3, 1};
    gca__cor_test(x, yr, 5, GCA__COR_SPEARMAN, &w, &r, &p, &n);
    assert_true(tu_close(r, -0.8, 1e-15, 0));
    assert_true(tu_close(p, 16.0 / 120, 1e-15, 0));
    /* Pearson with r = 0 has p = 1; with fewer than 3 pairs no p. */
    const double a[] = {1, 2, 3, 4}, b[] = {1, -1, -1, 1};
    gca__cor_test(a, b, 4, GCA__COR_PEARSON, &w, &r, &p, &n);
    assert_true(fabs(r) < 1e-15 && tu_close(p, 1, 1e-12, 0));
    const double c[] = {1, NAN, 3, NAN}, d[] = {2, 5, NAN, 4};
    gca__cor_test(c, d, 4, GCA__COR_PEARSON, &w, &r, &p, &n);
    assert_int_equal(n, 1);
    assert_true(isnan(r) && isnan(p));
    /* I_x(a, b) at known points: I_0.5(a, a) = 0.5; I_x(1, 1) = x. */
    assert_true(tu_close(gca__ibeta(3.5, 3.5, 0.5, 0.5), 0.5, 1e-14, 0));
    assert_true(tu_close(gca__ibeta(1, 1, 0.3, 0.7), 0.3, 1e-14, 0));
    gca__corr_work_release(&w);
}

/* ====== A small framework: edge cases, bad arguments, failures ====== */

/* Two pillars under the index, P2 with one indicator only; unit EE has
 * no value for i1 and i3 is constant but for one unit. */
static const char FW[] =
    "{\"code\":\"T\",\"name\":\"Tiny\","
    "\"levels\":[\"Indicator\",\"Pillar\",\"Index\"],\"nodes\":["
    "{\"code\":\"i1\",\"name\":\"one\",\"type\":\"indicator\",\"level\":1,"
    "\"parent\":\"P1\",\"weight\":1,\"direction\":1,\"unit\":\"u\"},"
    "{\"code\":\"i2\",\"name\":\"two\",\"type\":\"indicator\",\"level\":1,"
    "\"parent\":\"P1\",\"weight\":1,\"direction\":-1},"
    "{\"code\":\"i3\",\"name\":\"three\",\"type\":\"indicator\",\"level\":1,"
    "\"parent\":\"P2\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"P1\",\"name\":\"pillar 1\",\"type\":\"aggregate\","
    "\"level\":2,\"parent\":\"Idx\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"P2\",\"name\":\"pillar 2\",\"type\":\"aggregate\","
    "\"level\":2,\"parent\":\"Idx\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"Idx\",\"name\":\"index\",\"type\":\"aggregate\","
    "\"level\":3,\"weight\":1,\"direction\":1}]}";
static const char DATA[] = "uCode,i1,i2,i3\n"
                           "AA,1,5,0\n"
                           "BB,2,4,0\n"
                           "CC,3,3,0\n"
                           "DD,4,1,7\n"
                           "EE,NA,2,0\n"
                           "FF,6,2,0\n";

typedef struct tiny {
    gca_framework *fw;
    gca_dataset *ds;
    gca_method *m;
    gca_result *res;
} tiny;

static void tiny_build_data(tiny *t, const char *data, const char *method)
{
    gca_err err = {0};
    memset(t, 0, sizeof *t);
    assert_int_equal(gca_framework_load_mem(FW, strlen(FW), "fw.json", &t->fw,
                                            NULL, &err),
                     0);
    assert_int_equal(gca_dataset_read_csv_mem(data, strlen(data), "d.csv",
                                              &t->ds, &err),
                     0);
    assert_int_equal(gca_dataset_bind(t->ds, t->fw, NULL, NULL, &err), 0);
    assert_int_equal(gca_method_load_mem(method, strlen(method), "m.json",
                                         &t->m, &err),
                     0);
    assert_int_equal(gca_build(t->fw, t->ds, t->m, 0, &t->res, &err), 0);
}

static void tiny_build(tiny *t, const char *method)
{
    tiny_build_data(t, DATA, method);
}

static void tiny_release(tiny *t)
{
    gca_result_free(t->res);
    gca_method_free(t->m);
    gca_dataset_free(t->ds);
    gca_framework_free(t->fw);
}

static const char METHOD[] =
    "{\"steps\":[{\"step\":\"normalise\",\"f_n\":\"n_minmax\","
    "\"l_u\":[0,100]},{\"step\":\"aggregate\",\"f_ag\":\"a_amean\"}]}";

static void test_tiny(void **state)
{
    tiny t;
    gca_analysis *an = NULL;
    gca_err err = {0};
    char b[64];
    (void)state;
    tiny_build(&t, METHOD);
    assert_int_equal(gca_analysis_run(t.res, NULL, &an, &err), 0);
    /* Removing P2 leaves the index with P1 alone; removing i3 leaves P2
     * without weight: that rebuild fails and scores no unit. */
    const gca_report *s = gca_analysis_table(an, "remove_elements_L1_scores");
    assert_non_null(s);
    int c3 = report_col(s, "i3");
    assert_true(c3 > 0);
    for (size_t r = 0; r < s->nrow; r++)
        assert_string_equal(cell(s, r, (size_t)c3, b), "NA");
    const gca_report *m =
        gca_analysis_table(an, "remove_elements_L1_meanabsdiff");
    assert_string_equal(cell(m, 3, 0, b), "i3");
    assert_string_equal(cell(m, 3, 1, b), "NA");
    /* Stats of Raw: i1 has 5 of 6 values; i3 one non-zero value. */
    const gca_report *st = gca_analysis_table(an, "stats_raw");
    assert_string_equal(cell(st, 0, 8, b), "5");
    assert_string_equal(cell(st, 2, 9, b), "1");
    assert_string_equal(cell(st, 2, 17, b), "LOW");
    assert_string_equal(cell(st, 2, 11, b), "5");
    /* Strengths of DD on Raw: i3 (rank 1); i2 (direction -1, value 1,
     * best) is rank 1 too; i1 rank 2 of 5. Weaknesses are the same list
     * from its end. */
    const gca_report *sw = gca_analysis_table(an, "str_weak");
    size_t dd = 0;
    for (size_t r = 0; r < sw->nrow; r++)
        if (!strcmp(cell(sw, r, 0, b), "DD") &&
            !strcmp(cell(sw, r, 1, b), "Strengths"))
            dd++;
    assert_int_equal(dd, 3);
    /* The run made every documented table. */
    static const char *const names[] = {
        "stats_raw",          "stats_normalised",    "stats_aggregated",
        "corr_pearson_within", "corr_spearman_within",
        "corr_pearson_parents", "corr_spearman_parents", "cronbach",
        "data_avail_summary", "data_avail_bygroup",  "str_weak",
        "unit_summary",       "remove_elements_L2_scores",
        "remove_elements_L2_meanabsdiff",            "warnings"};
    for (size_t i = 0; i < GCA_COUNT(names); i++)
        assert_non_null(gca_analysis_table(an, names[i]));
    gca_analysis_free(an);
    tiny_release(&t);
}

/* COINr's flags: zero and unique counts over all rows (NA included),
 * availability over all rows, and R's three-valued logic when the
 * kurtosis cannot be computed (fewer than 4 values). */
static void test_stats_flags(void **state)
{
    static const char three[] = "uCode,i1,i2,i3\n"
                                "AA,0,1,2\n"
                                "BB,0,2,2\n"
                                "CC,1,3,5\n";
    tiny t;
    gca_analysis *an = NULL;
    gca_err err = {0};
    char b[64];
    (void)state;
    tiny_build(&t, METHOD);
    assert_int_equal(gca_analysis_new(t.res, &an, &err), 0);
    gca_stats_opts o = GCA_STATS_OPTS_INIT;
    o.t_zero = o.t_unq = 0.9;
    o.t_avail = 0.85;
    assert_int_equal(gca_analysis_stats(an, "s", "Raw", &o, &err), 0);
    const gca_report *s = gca_analysis_table(an, "s");
    /* i1: 5 values of 6, all non-zero and distinct: 5/6 < 0.9 although
     * Frc.NonZero = Frc.Unique = 1; availability 5/6 < 0.85. */
    assert_string_equal(cell(s, 0, 13, b), "1");
    assert_string_equal(cell(s, 0, 14, b), "1");
    assert_string_equal(cell(s, 0, 16, b), "LOW");
    assert_string_equal(cell(s, 0, 17, b), "LOW");
    assert_string_equal(cell(s, 0, 18, b), "LOW");
    gca_analysis_free(an);
    tiny_release(&t);

    tiny_build_data(&t, three, METHOD);
    assert_int_equal(gca_analysis_new(t.res, &an, &err), 0);
    o = (gca_stats_opts)GCA_STATS_OPTS_INIT;
    assert_int_equal(gca_analysis_stats(an, "s", "Raw", &o, &err), 0);
    o.t_skew = 1;
    assert_int_equal(gca_analysis_stats(an, "s1", "Raw", &o, &err), 0);
    /* i1 = (0, 0, 1): skew 1.73, kurtosis NA. */
    s = gca_analysis_table(an, "s");
    assert_true(tu_close(atof(cell(s, 0, 6, b)), sqrt(3), 1e-14, 0));
    assert_string_equal(cell(s, 0, 7, b), "NA");
    assert_string_equal(cell(s, 0, 19, b), "ok");
    assert_string_equal(cell(gca_analysis_table(an, "s1"), 0, 19, b), "NA");
    gca_analysis_free(an);
    tiny_release(&t);
}

static void test_bad_arguments(void **state)
{
    gca_analysis *an = A.an;
    size_t before = gca_analysis_ntables(an);
    (void)state;
    gca_corr_opts bad_level = {NULL, 5, 0, 0, GCA_WITHPARENT_NO,
                               GCA_COR_PEARSON, 0};
    gca_corr_opts family_top = {NULL, 4, 0, 0, GCA_WITHPARENT_FAMILY,
                                GCA_COR_PEARSON, 0};
    gca_corr_opts bad_group = {NULL, 2, 2, 2, GCA_WITHPARENT_NO,
                               GCA_COR_PEARSON, 0};
    gca_corr_opts no_aggs = {"Normalised", 2, 2, 0, GCA_WITHPARENT_NO,
                             GCA_COR_PEARSON, 0};
    static const char *const nobody[] = {"XXX"};
    static const int level9[] = {9};
    struct {
        int rc;
        int want;
        const char *msg;
    } cases[8];
    gca_err e[8];
    memset(e, 0, sizeof e);
    double alpha;
    size_t k;
    cases[0].rc = gca_analysis_corr(an, "x", &bad_level, &e[0]);
    cases[0].want = GCA_EINVAL, cases[0].msg = "level 5";
    cases[1].rc = gca_analysis_corr(an, "x", &family_top, &e[1]);
    cases[1].want = GCA_EINVAL, cases[1].msg = "top one";
    cases[2].rc = gca_analysis_corr(an, "x", &bad_group, &e[2]);
    cases[2].want = GCA_EINVAL, cases[2].msg = "grouplev 2";
    cases[3].rc = gca_analysis_corr(an, "x", &no_aggs, &e[3]);
    cases[3].want = GCA_EINVAL, cases[3].msg = "has no column 'Physical'";
    cases[4].rc = gca_analysis_stats(an, "x", "Nope", NULL, &e[4]);
    cases[4].want = GCA_ENOTFOUND, cases[4].msg = "no data set 'Nope'";
    cases[5].rc = gca_cronbach(A.res, NULL, "Physical", 2, &alpha, &k, &e[5]);
    cases[5].want = GCA_EINVAL, cases[5].msg = "not below";
    cases[6].rc = gca_analysis_str_weak(an, "x", NULL, nobody, 1, &e[6]);
    cases[6].want = GCA_EINVAL, cases[6].msg = "unit 'XXX'";
    cases[7].rc = gca_analysis_unit_summary(an, "x", NULL, NULL, 0, level9,
                                            1, 2, &e[7]);
    cases[7].want = GCA_EINVAL, cases[7].msg = "level 9";
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        assert_int_equal(cases[i].rc, cases[i].want);
        if (!strstr(e[i].msg, cases[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, e[i].msg, cases[i].msg);
    }
    gca_err err = {0};
    assert_int_equal(gca_analysis_remove_elements(an, "x", 4, NULL, NULL,
                                                  &err),
                     GCA_EINVAL);
    /* Failed calls add no table. */
    assert_int_equal(gca_analysis_ntables(an), before);
    /* A build without an aggregate step has no index to audit. */
    tiny t;
    gca_analysis *none = NULL;
    tiny_build(&t, "{\"steps\":[{\"step\":\"normalise\"}]}");
    gca_err e2 = {0};
    assert_int_equal(gca_analysis_run(t.res, NULL, &none, &e2), GCA_EMETHOD);
    assert_null(none);
    assert_non_null(strstr(e2.msg, "aggregate step"));
    tiny_release(&t);
}

/* Every allocation of the whole audit can fail: GCA_ENOMEM, no leak (the
 * sanitizer build checks), and the run succeeds once memory suffices. */
static void test_out_of_memory(void **state)
{
    tiny t;
    (void)state;
    tiny_build(&t, METHOD);
    int done = 0;
    long n = 1;
    for (; n < 200000 && !done; n++) {
        gca_analysis *an = NULL;
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_analysis_run(t.res, NULL, &an, &err);
        gca_alloc_fail_after(0);
        if (rc == 0)
            done = 1;
        else
            assert_int_equal(rc, GCA_ENOMEM);
        gca_analysis_free(an);
    }
    assert_true(done && n > 2);
    printf("audit: the run survives failure of each of its first %ld "
           "allocations\n", n - 2);
    tiny_release(&t);
}

static int report(void **state)
{
    (void)state;
    printf("audit: %zu values compared with COINr, largest relative "
           "difference %.3g (%s)\n",
           g_values, g_maxrel, g_maxwhere);
    return teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_corr),
        cmocka_unit_test(test_cronbach),
        cmocka_unit_test(test_data_avail),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_remove_elements),
        cmocka_unit_test(test_gca_tables),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_pvalues),
        cmocka_unit_test(test_tiny),
        cmocka_unit_test(test_stats_flags),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, report);
}
