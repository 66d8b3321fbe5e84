/* test_sensitivity.c - gca_sens_run against COINr's get_sensitivity
 * (tests/oracle/sensitivity/README.md): the vignette's UA and SA runs
 * replayed from COINr's params files give COINr's per-run scores, rank
 * statistics and Sobol indices; the estimator alone on COINr's check
 * sample; the same output for any thread count; bad specs and params
 * refused with their reason; a run that fails recorded, not fatal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gca/core.h"
#include "gca/sensitivity.h"
#include "core/buf.h"
#include "core/fs.h"
#include "testutil.h"

#define DIR "tests/oracle/sensitivity/"
#define RTOL 1e-12
#define ATOL 1e-9

static char *slurp(const char *rel, size_t *len)
{
    gca_buf b = GCA_BUF_INIT((size_t)64 << 20);
    gca_err err = {0};
    assert_int_equal(gca_file_read(tu_path(rel), &b, &err), 0);
    char *text = gca_buf_detach(&b, len);
    assert_non_null(text);
    return text;
}

/* The analysis of the ASEM example with the nominal method of COINr's
 * standard build, `spec` (text; files beside the oracle) and options. */
static int run_asem(const char *spec, gca_sens_opts *o, gca_sens **out,
                    gca_err *err)
{
    size_t mlen;
    char *method = slurp("data/examples/asem_method.json", &mlen);
    int rc = gca_sens_run(tu_asem_framework(), tu_asem_data(), method, mlen,
                          spec, strlen(spec), "spec.json", tu_path(DIR), o,
                          out, err);
    free(method);
    return rc;
}

static gca_sens *replay(gca_sens_type type, const char *params, int threads)
{
    size_t slen, plen;
    char *spec = slurp(DIR "spec.json", &slen);
    char *p = slurp(params, &plen);
    gca_sens_opts o = {.type = type, .threads = threads, .keep_scores = 1,
                       .params = p, .params_len = plen,
                       .params_source = params};
    gca_sens *s = NULL;
    gca_err err = {0};
    int rc = run_asem(spec, &o, &s, &err);
    if (rc)
        fprintf(stderr, "%s:%d: %s\n", err.source, err.line, err.msg);
    assert_int_equal(rc, 0);
    free(spec);
    free(p);
    return s;
}

/* Every run's Index score of every unit against COINr's. */
static void check_scores(const gca_sens *s, const char *rel, size_t runs)
{
    tu_table t;
    tu_table_load(&t, rel);
    assert_int_equal(gca_sens_nruns(s), runs);
    assert_int_equal(t.csv.ncol, runs + 2);
    size_t compared = 0, bad = 0;
    for (size_t u = 0; u < gca_sens_nunits(s); u++) {
        const gca_sens_unit *su = gca_sens_unit_at(s, u);
        int row = tu_row(&t, 0, su->ucode);
        assert_true(row > 0);
        assert_true(tu_close(su->nominal_score, tu_num(&t, (size_t)row, 1),
                             RTOL, ATOL));
        for (size_t r = 0; r < runs; r++) {
            double want = tu_num(&t, (size_t)row, 2 + r);
            double got = gca_sens_score(s, r, u);
            compared++;
            if (!tu_close(got, want, RTOL, ATOL) && bad++ < 5)
                fprintf(stderr, "%s run %zu %s: %.17g, COINr %.17g\n", rel,
                        r + 1, su->ucode, got, want);
        }
    }
    assert_int_equal(compared, 51 * runs);
    assert_int_equal(bad, 0);
    tu_table_release(&t);
}

static void check_rankstats(const gca_sens *s, const char *rel)
{
    tu_table t;
    tu_table_load(&t, rel);
    assert_int_equal(t.csv.nrow, gca_sens_nunits(s));
    for (size_t u = 0; u < gca_sens_nunits(s); u++) {
        const gca_sens_unit *su = gca_sens_unit_at(s, u);
        int row = tu_row(&t, tu_col(&t, "uCode"), su->ucode);
        assert_true(row > 0);
        double got[] = {su->nominal_rank, su->mean, su->median, su->q5,
                        su->q95};
        static const char *const col[] = {"Nominal", "Mean", "Median", "Q5",
                                          "Q95"};
        for (size_t k = 0; k < 5; k++) {
            double want = tu_num(&t, (size_t)row, (size_t)tu_col(&t, col[k]));
            if (!tu_close(got[k], want, RTOL, 0))
                fail_msg("%s %s %s: %.17g, COINr %.17g", rel, su->ucode,
                         col[k], got[k], want);
        }
    }
    tu_table_release(&t);
}

static void test_ua_replay(void **state)
{
    (void)state;
    gca_sens *s = replay(GCA_SENS_UA, DIR "ua_N100_seed42_params.csv", 2);
    assert_int_equal(gca_sens_nfailed(s), 0);
    check_scores(s, DIR "ua_N100_seed42_scores.csv", 100);
    check_rankstats(s, DIR "ua_N100_seed42_rankstats.csv");
    assert_null(gca_sens_index_at(s, 0));
    gca_sens_free(s);
}

static void test_sa_replay(void **state)
{
    (void)state;
    gca_sens *s = replay(GCA_SENS_SA, DIR "sa_N100_seed42_params.csv", 2);
    assert_int_equal(gca_sens_nfailed(s), 0);
    check_scores(s, DIR "sa_N100_seed42_scores.csv", 600);
    check_rankstats(s, DIR "sa_N100_seed42_rankstats.csv");
    tu_table t;
    tu_table_load(&t, DIR "sa_N100_seed42_indices.csv");
    /* COINr names the weights input "Weights"; rows follow the inputs. */
    assert_int_equal(t.csv.nrow, gca_sens_ninputs(s));
    for (size_t i = 0; i < gca_sens_ninputs(s); i++) {
        const gca_sens_index *x = gca_sens_index_at(s, i);
        assert_non_null(x);
        double si = tu_num(&t, i + 1, (size_t)tu_col(&t, "Si"));
        double sti = tu_num(&t, i + 1, (size_t)tu_col(&t, "STi"));
        if (!tu_close(x->si, si, RTOL, 0) || !tu_close(x->sti, sti, RTOL, 0))
            fail_msg("%s: Si %.17g STi %.17g, COINr %.17g %.17g", x->name,
                     x->si, x->sti, si, sti);
    }
    tu_table_release(&t);
    gca_sens_free(s);
}

/* The estimator on COINr's check sample: y = X1 + 10 X2 in the blocks
 * A, B, AB1..AB3 of SA_sample(100, 3). */
static void test_estimator(void **state)
{
    (void)state;
    tu_table t, want;
    tu_table_load(&t, DIR "sa_estimate_check_sample.csv");
    tu_table_load(&want, DIR "sa_estimate_check_indices.csv");
    size_t n = 100, d = 3;
    assert_int_equal(t.csv.nrow, n * (d + 2));
    double *y = malloc(t.csv.nrow * sizeof *y);
    assert_non_null(y);
    int cy = tu_col(&t, "y"), cb = tu_col(&t, "block");
    static const char *const blocks[] = {"A", "B", "AB1", "AB2", "AB3"};
    for (size_t r = 0; r < t.csv.nrow; r++) {
        y[r] = tu_num(&t, r + 1, (size_t)cy);
        assert_string_equal(tu_cell(&t, r + 1, (size_t)cb), blocks[r / n]);
    }
    double si[3], sti[3], v;
    assert_int_equal(gca_sens_sobol(y, y + n, y + 2 * n, n, d, si, sti, &v),
                     0);
    for (size_t i = 0; i < d; i++) {
        assert_true(tu_close(si[i], tu_num(&want, i + 1, 1), RTOL, 0));
        assert_true(tu_close(sti[i], tu_num(&want, i + 1, 2), RTOL, 0));
        assert_true(tu_close(v, tu_num(&want, i + 1, 3), RTOL, 0));
    }
    free(y);
    tu_table_release(&t);
    tu_table_release(&want);
}

/* A drawn sample: the same statistics, indices and runs for 1 and 3
 * threads; a different seed, another sample. */
static void test_threads_agree(void **state)
{
    (void)state;
    size_t slen;
    char *spec = slurp(DIR "spec.json", &slen);
    gca_sens *s[3] = {NULL, NULL, NULL};
    int threads[3] = {1, 3, 2};
    uint64_t seeds[3] = {7, 7, 8};
    for (int k = 0; k < 3; k++) {
        gca_sens_opts o = {.type = GCA_SENS_SA, .n = 40, .seed = seeds[k],
                           .threads = threads[k], .nboot = 50};
        gca_err err = {0};
        assert_int_equal(run_asem(spec, &o, &s[k], &err), 0);
    }
    assert_int_equal(gca_sens_nruns(s[0]), 40 * 6);
    for (size_t r = 0; r < gca_sens_nruns(s[0]); r++)
        assert_memory_equal(&(double){gca_sens_y(s[0], r)},
                            &(double){gca_sens_y(s[1], r)}, sizeof(double));
    for (size_t u = 0; u < gca_sens_nunits(s[0]); u++) {
        const gca_sens_unit *a = gca_sens_unit_at(s[0], u),
                            *b = gca_sens_unit_at(s[1], u);
        assert_memory_equal(&a->mean, &b->mean, sizeof a->mean);
        assert_memory_equal(&a->q5, &b->q5, sizeof a->q5);
        assert_memory_equal(&a->q95, &b->q95, sizeof a->q95);
    }
    int differs = 0;
    for (size_t i = 0; i < 4; i++) {
        const gca_sens_index *a = gca_sens_index_at(s[0], i),
                             *b = gca_sens_index_at(s[1], i),
                             *c = gca_sens_index_at(s[2], i);
        assert_memory_equal(&a->si, &b->si, sizeof a->si);
        assert_memory_equal(&a->sti_q95, &b->sti_q95, sizeof a->sti_q95);
        assert_true(a->si_q5 <= a->si_q95);
        differs |= a->si != c->si;
    }
    assert_true(differs);
    for (int k = 0; k < 3; k++)
        gca_sens_free(s[k]);
    free(spec);
}

/* A geometric mean of min-max [0, 100] data meets zeros: those runs are
 * recorded as failed, with NA scores, and the others still count. */
static void test_failing_runs(void **state)
{
    (void)state;
    const char *spec =
        "{\"inputs\":[{\"name\":\"Aggregation\",\"address\":"
        "\"aggregate.f_ag\",\"values\":[\"a_amean\",\"a_gmean\"]}]}";
    gca_sens_opts o = {.type = GCA_SENS_UA, .n = 30, .seed = 3,
                       .keep_scores = 1};
    gca_sens *s = NULL;
    gca_err err = {0};
    assert_int_equal(run_asem(spec, &o, &s, &err), 0);
    size_t failed = 0;
    char buf[64];
    for (size_t r = 0; r < gca_sens_nruns(s); r++) {
        const char *why = gca_sens_failure(s, r);
        const char *agg = gca_sens_param(s, r, 0, buf, sizeof buf);
        assert_int_equal(why != NULL, !strcmp(agg, "a_gmean"));
        if (why) {
            failed++;
            assert_true(isnan(gca_sens_y(s, r)));
            assert_true(isnan(gca_sens_score(s, r, 0)));
        } else {
            assert_false(isnan(gca_sens_score(s, r, 0)));
        }
    }
    assert_true(failed > 0 && failed < 30);
    assert_int_equal(gca_sens_nfailed(s), failed);
    assert_int_equal(gca_sens_unit_at(s, 0)->nranked, 30 - failed);
    gca_sens_free(s);
}

static void test_bad_specs(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        size_t n;
        gca_sens_type type;
        const char *params;
        const char *msg;
    } cases[] = {
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"polish.f\","
         "\"values\":[1]}]}",
         10, GCA_SENS_UA, NULL, "unknown address 'polish.f'"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[]}]}",
         10, GCA_SENS_UA, NULL, "the list of values is empty"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"range\":[5,1]}]}",
         10, GCA_SENS_UA, NULL, "range lo > hi"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[1]}]}",
         0, GCA_SENS_UA, NULL, "n: 1 to"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[1]}]}",
         1, GCA_SENS_SA, NULL, "n: 2 to"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[1]},{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[2]}]}",
         10, GCA_SENS_UA, NULL, "input 'x' is named twice"},
        {"{\"inputs\":[]}", 10, GCA_SENS_UA, NULL, "at least one input"},
        {"{\"inputs\":[{\"address\":\"treat.winmax\",\"values\":[1]}]}", 10,
         GCA_SENS_UA, NULL, "\"name\" and an \"address\""},
        {"{\"inputs\":[{\"name\":\"w\",\"address\":\"weights\","
         "\"weight_sets\":\"no-such-file.csv\"}]}",
         10, GCA_SENS_UA, NULL, "no-such-file.csv"},
        {"{\"inputs\":[{\"name\":\"w\",\"address\":\"weights\","
         "\"noise\":{\"nrep\":10,\"levels\":{\"9\":0.2}}}]}",
         10, GCA_SENS_UA, NULL, "noise level '9'"},
        {"{\"target\":\"Nowhere\",\"inputs\":[{\"name\":\"x\",\"address\":"
         "\"treat.winmax\",\"values\":[1]}]}",
         10, GCA_SENS_UA, NULL, "target 'Nowhere'"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[1, 2]}]}",
         0, GCA_SENS_UA, "rep,x\n1,1\n2,7\n", "x '7' is not one of its values"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[1, 2]}]}",
         0, GCA_SENS_UA, "rep,y\n1,1\n", "no column for the input 'x'"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[1, 2]}]}",
         0, GCA_SENS_SA, "rep,x\n1,1\n2,2\n3,1\n4,1\n",
         "4 rows are not N(d + 2)"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"range\":[1, 3]}]}",
         0, GCA_SENS_UA, "rep,x\n1,4.5\n", "x '4.5' is not a number in"},
        {"{\"inputs\": [", 10, GCA_SENS_UA, NULL, ""},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_sens_opts o = {.type = cases[i].type, .n = cases[i].n};
        if (cases[i].params) {
            o.params = cases[i].params;
            o.params_len = strlen(cases[i].params);
        }
        gca_sens *s = NULL;
        gca_err err = {0};
        int rc = run_asem(cases[i].spec, &o, &s, &err);
        /* The message, or the file it names. */
        if (rc == 0 || (!strstr(err.msg, cases[i].msg) &&
                        !strstr(err.source, cases[i].msg)))
            fail_msg("case %zu: rc %d, message '%s', want '%s'", i, rc,
                     err.msg, cases[i].msg);
        assert_null(s);
    }
}

/* The Sobol sequence: dimension 1 is van der Corput's, the first points
 * of dimension 2 are the textbook ones, every dimension's first 2^m
 * points fall one in each interval of width 2^-m, and dimensions 1 and 2
 * form a (0, m, 2)-net (one point in every elementary box). */
static void test_sobol(void **state)
{
    (void)state;
    static const double d1[] = {0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125};
    static const double d2[] = {0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625};
    double x[GCA_SOBOL_MAX_DIM];
    for (size_t i = 0; i < GCA_COUNT(d1); i++) {
        assert_int_equal(gca_sobol_point(i + 1, 2, x), 0);
        assert_true(x[0] == d1[i] && x[1] == d2[i]);
    }
    for (int dim = 1; dim <= GCA_SOBOL_MAX_DIM; dim++)
        for (int m = 1; m <= 10; m++) {
            size_t n = (size_t)1 << m;
            unsigned char seen[1024] = {0};
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(gca_sobol_point(i, dim, x), 0);
                size_t cell = (size_t)(x[dim - 1] * (double)n);
                assert_true(cell < n && !seen[cell]);
                seen[cell] = 1;
            }
        }
    for (int a = 0; a <= 6; a++) {
        int b = 6 - a;
        unsigned char seen[64] = {0};
        for (size_t i = 0; i < 64; i++) {
            gca_sobol_point(i, 2, x);
            size_t cell = (size_t)(x[0] * (1 << a)) * ((size_t)1 << b) +
                          (size_t)(x[1] * (1 << b));
            assert_false(seen[cell]);
            seen[cell] = 1;
        }
    }
    assert_int_equal(gca_sobol_point(1, 0, x), GCA_EINVAL);
    assert_int_equal(gca_sobol_point(1, GCA_SOBOL_MAX_DIM + 1, x),
                     GCA_EINVAL);
    /* An SA from a Sobol sample runs and says how much each input
     * matters; 2d above the limit is refused. */
    size_t slen;
    char *spec = slurp(DIR "spec.json", &slen);
    gca_sens_opts o = {.type = GCA_SENS_SA, .n = 64, .sobol = 1};
    gca_sens *s = NULL;
    gca_err err = {0};
    assert_int_equal(run_asem(spec, &o, &s, &err), 0);
    assert_int_equal(gca_sens_nruns(s), 64 * 6);
    for (size_t i = 0; i < 4; i++)
        assert_true(isfinite(gca_sens_index_at(s, i)->sti));
    gca_sens_free(s);
    free(spec);
    char big[4096] = "{\"inputs\":[";
    for (int i = 0; i < 11; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big),
                 "%s{\"name\":\"w%d\",\"address\":\"treat.winmax\","
                 "\"values\":[1,2]}",
                 i ? "," : "", i);
    strcat(big, "]}");
    assert_int_not_equal(run_asem(big, &o, &s, &err), 0);
    assert_non_null(strstr(err.msg, "at most 21 dimensions"));
}

/* Dropping each pillar, then each sub-index, in turn (an exclude input
 * run as a grid) gives COINr's remove_elements mean absolute rank
 * changes (tests/oracle/analysis). */
static void test_exclusion(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *oracle;
        size_t n;
    } levels[] = {
        {"{\"inputs\":[{\"name\":\"Drop\",\"address\":\"exclude\","
         "\"level\":2}]}",
         "tests/oracle/analysis/remove_elements_L2_meanabsdiff.csv", 8},
        {"{\"inputs\":[{\"name\":\"Drop\",\"address\":\"exclude\","
         "\"values\":[\"Conn\",\"Sust\"]}]}",
         "tests/oracle/analysis/remove_elements_L3_meanabsdiff.csv", 2},
    };
    for (size_t l = 0; l < GCA_COUNT(levels); l++) {
        gca_sens_opts o = {.type = GCA_SENS_UA, .grid = 1, .threads = 2};
        gca_sens *s = NULL;
        gca_err err = {0};
        assert_int_equal(run_asem(levels[l].spec, &o, &s, &err), 0);
        assert_int_equal(gca_sens_nruns(s), levels[l].n);
        tu_table t;
        tu_table_load(&t, levels[l].oracle);
        char buf[64];
        for (size_t r = 0; r < gca_sens_nruns(s); r++) {
            const char *code = gca_sens_param(s, r, 0, buf, sizeof buf);
            int row = tu_row(&t, 0, code);
            assert_true(row > 0);
            double want = tu_num(&t, (size_t)row, 1);
            if (!tu_close(gca_sens_y(s, r), want, RTOL, 0))
                fail_msg("dropping %s: %.17g, COINr %.17g", code,
                         gca_sens_y(s, r), want);
        }
        tu_table_release(&t);
        gca_sens_free(s);
    }
    /* Bad exclusions and grids. */
    static const struct {
        const char *spec;
        gca_sens_opts o;
        const char *msg;
    } bad[] = {
        {"{\"inputs\":[{\"name\":\"D\",\"address\":\"exclude\","
         "\"values\":[\"Nowhere\"]}]}",
         {.type = GCA_SENS_UA, .grid = 1}, "'Nowhere' is not an element"},
        {"{\"inputs\":[{\"name\":\"D\",\"address\":\"exclude\","
         "\"level\":9}]}",
         {.type = GCA_SENS_UA, .grid = 1}, "no element to exclude"},
        {"{\"inputs\":[{\"name\":\"D\",\"address\":\"exclude\","
         "\"level\":2,\"values\":[\"Conn\"]}]}",
         {.type = GCA_SENS_UA, .grid = 1}, "\"level\" (a number) or"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"range\":[1,3]}]}",
         {.type = GCA_SENS_UA, .grid = 1}, "a grid needs discrete inputs"},
        {"{\"inputs\":[{\"name\":\"x\",\"address\":\"treat.winmax\","
         "\"values\":[1,2]}]}",
         {.type = GCA_SENS_SA, .grid = 1}, "a grid is a UA design"},
    };
    for (size_t i = 0; i < GCA_COUNT(bad); i++) {
        gca_sens_opts o = bad[i].o;
        gca_sens *s = NULL;
        gca_err err = {0};
        int rc = run_asem(bad[i].spec, &o, &s, &err);
        if (rc == 0 || !strstr(err.msg, bad[i].msg))
            fail_msg("bad %zu: rc %d '%s', want '%s'", i, rc, err.msg,
                     bad[i].msg);
        assert_null(s);
    }
}

/* Runs that resume from cached steps give what a whole build of the
 * same method gives: a continuous winmax (never cached), a normalisation
 * and an aggregation, each run rebuilt from scratch with gca_build. */
static void test_runs_equal_builds(void **state)
{
    (void)state;
    const char *spec =
        "{\"inputs\":["
        "{\"name\":\"Winmax\",\"address\":\"treat.winmax\","
        "\"range\":[1,5]},"
        "{\"name\":\"N\",\"address\":\"normalise\",\"values\":{"
        "\"mm\":{\"f_n\":\"n_minmax\",\"l_u\":[1,100]},"
        "\"z\":{\"f_n\":\"n_zscore\",\"m_sd\":[10,2]}}},"
        "{\"name\":\"A\",\"address\":\"aggregate.f_ag\","
        "\"values\":[\"a_amean\",\"a_gmean\"]}]}";
    gca_sens_opts o = {.type = GCA_SENS_UA, .n = 24, .seed = 11,
                       .threads = 2, .keep_scores = 1};
    gca_sens *s = NULL;
    gca_err err = {0};
    assert_int_equal(run_asem(spec, &o, &s, &err), 0);
    char wb[64], nb[64], ab[64];
    for (size_t r = 0; r < gca_sens_nruns(s); r++) {
        const char *w = gca_sens_param(s, r, 0, wb, sizeof wb);
        const char *n = gca_sens_param(s, r, 1, nb, sizeof nb);
        const char *a = gca_sens_param(s, r, 2, ab, sizeof ab);
        char method[1024];
        snprintf(method, sizeof method,
                 "{\"steps\":[{\"step\":\"denominate\"},"
                 "{\"step\":\"impute\",\"f_i\":\"i_mean_grp\","
                 "\"use_group\":\"EurAsia_group\"},"
                 "{\"step\":\"screen\",\"dat_thresh\":0.9,"
                 "\"unit_screen\":\"byNA\"},"
                 "{\"step\":\"treat\",\"winmax\":%s,"
                 "\"skew_thresh\":2,\"kurt_thresh\":3.5},%s,"
                 "{\"step\":\"aggregate\",\"f_ag\":\"%s\"}]}",
                 w,
                 !strcmp(n, "mm")
                     ? "{\"step\":\"normalise\",\"f_n\":\"n_minmax\","
                       "\"l_u\":[1,100]}"
                     : "{\"step\":\"normalise\",\"f_n\":\"n_zscore\","
                       "\"m_sd\":[10,2]}",
                 a);
        gca_result *res = NULL;
        int rc = tu_build_asem(method, 0, &res, &err);
        if (rc) {
            if (!gca_sens_failure(s, r))
                fail_msg("run %zu: the build failed (%s), the run did not",
                         r, err.msg);
            continue;
        }
        const gca_dset *fin = gca_result_final(res);
        int col = -1;
        for (size_t c = 0; c < fin->ncol; c++)
            if (!strcmp(fin->icode[c], "Index"))
                col = (int)c;
        assert_true(col >= 0);
        for (size_t u = 0; u < fin->nrow; u++) {
            double want = GCA_DSET_AT(fin, u, (size_t)col);
            double got = gca_sens_score(s, r, u);
            if (!tu_close(got, want, 1e-15, 0))
                fail_msg("run %zu (%s %s %s) %s: %.17g, build %.17g", r, w,
                         n, a, fin->ucode[u], got, want);
        }
        gca_result_free(res);
    }
    gca_sens_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ua_replay),
        cmocka_unit_test(test_sa_replay),
        cmocka_unit_test(test_estimator),
        cmocka_unit_test(test_threads_agree),
        cmocka_unit_test(test_failing_runs),
        cmocka_unit_test(test_sobol),
        cmocka_unit_test(test_exclusion),
        cmocka_unit_test(test_runs_equal_builds),
        cmocka_unit_test(test_bad_specs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
