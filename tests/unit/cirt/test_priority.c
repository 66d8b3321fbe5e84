/* test_priority.c - ranking countries without a national CIRT
 * (src/cirt/priority.c): a small case worked out by hand, the "zero"
 * rule for missing inputs, the shipped formula, and formula-file errors
 * that name the field. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gca/cirt.h"

#define EPS 1e-12

/* cmocka's assert_float_equal works in float: too coarse here. */
static void near_at(double got, double want, const char *what, int line)
{
    if (!(fabs(got - want) <= EPS))
        fail_msg("line %d: %s = %.17g, want %.17g", line, what, got, want);
}
#define assert_near(got, want) near_at((got), (want), #got, __LINE__)

/* The formula of the hand-computed case. */
static const char formula[] =
    "{\"candidates\": [\"none\", \"unknown\"],\n"
    " \"factors\": [\n"
    "  {\"name\": \"index_gap\", \"weight\": 0.4},\n"
    "  {\"name\": \"pillar_gap\", \"weight\": 0.2, \"pillars\": [\"TEC\", "
    "\"ORG\"]},\n"
    "  {\"name\": \"region_coverage_gap\", \"weight\": 0.2},\n"
    "  {\"name\": \"shutdown_exposure\", \"weight\": 0.2, \"years\": [2020, "
    "2022], \"cap\": 10}],\n"
    " \"missing\": \"renormalise\"}\n";

static const gca_cirt_shutdown shut_aaa[] = {{2019, 100, 0}, {2021, 4, 0}};
static const gca_cirt_shutdown shut_bbb[] = {{2020, 12, 1}};
static const gca_cirt_shutdown shut_ddd[] = {{2022, 5, 0}};

#define P(leg, tec, org, cap, coo) {leg, tec, org, cap, coo}

/* The inputs, and by hand (weights 0.4 / 0.2 / 0.2 / 0.2):
 *
 * AAA none:    index 40 -> 1-40/100 = 0.6
 *              pillars TEC 10 -> 0.5, ORG 5 -> 0.75, mean 0.625
 *              region share 0.5 -> 0.5
 *              shutdowns 2020..2022: 4 (2019's 100 is outside) -> 0.4
 *              all four present: shares 0.4 0.2 0.2 0.2
 *              contributions 0.24 + 0.125 + 0.1 + 0.08 = 0.545
 * BBB unknown: no index, no pillars; region share 0.25 -> 0.75;
 *              shutdowns 12 (at least) -> min(1, 12/10) = 1
 *              present weights 0.2 + 0.2 = 0.4: shares 0.5 and 0.5
 *              contributions 0.375 + 0.5 = 0.875
 * CCC none:    index 80 -> 0.2; TEC 16 -> 0.2, ORG missing: mean of
 *              the present one, 0.2; region share 1 -> 0; no shutdown
 *              recorded -> 0; shares 0.4 0.2 0.2 0.2
 *              contributions 0.08 + 0.04 + 0 + 0 = 0.12
 * DDD none:    no index; TEC 7.3 and ORG 7.3 -> 0.635; region share 0.5
 *              -> 0.5; shutdowns 5 -> 0.5; shares 1/3 each
 *              score (0.635 + 0.5 + 0.5) / 3 = 0.545: ties with AAA
 * EEE has:     not a candidate, not ranked
 * FFF unknown: no input at all, no shutdown data: score NaN, rank 0
 *
 * Ranking: BBB 1, AAA 2, DDD 2 (tie, ISO3 order), CCC 4, FFF -. */
static gca_cirt_pinput inputs[6];

static void fill_inputs(void)
{
    static const gca_cirt_pinput in[] = {
        {"EEE", GCA_CIRT_HAS, 10, P(1, 1, 1, 1, 1), 0, NULL, 0, 1, NAN},
        {"DDD", GCA_CIRT_NONE, NAN, P(NAN, 7.3, 7.3, NAN, NAN), 0.5,
         shut_ddd, 1, 1, NAN},
        {"CCC", GCA_CIRT_NONE, 80, P(3, 16, NAN, 3, 3), 1.0, NULL, 0, 1,
         NAN},
        {"BBB", GCA_CIRT_UNKNOWN, NAN, P(NAN, NAN, NAN, NAN, NAN), 0.25,
         shut_bbb, 1, 1, NAN},
        {"AAA", GCA_CIRT_NONE, 40, P(0, 10, 5, 0, 0), 0.5, shut_aaa, 2, 1,
         NAN},
        {"FFF", GCA_CIRT_UNKNOWN, NAN, P(NAN, NAN, NAN, NAN, NAN), NAN, NULL,
         0, 0, NAN},
    };
    memcpy(inputs, in, sizeof inputs);
}

static void parse_ok(const char *text, gca_cirt_formula *f)
{
    gca_err err = {0};
    int rc = gca_cirt_formula_parse(text, strlen(text), "f.json", f, &err);
    if (rc < 0)
        fail_msg("formula: %s: %s", err.source, err.msg);
}

static void expect_row(const gca_cirt_prow *r, const char *iso3, int rank,
                       double score)
{
    assert_string_equal(r->iso3, iso3);
    assert_string_equal(inputs[r->input].iso3, iso3);
    assert_int_equal(r->rank, rank);
    if (isnan(score))
        assert_true(isnan(r->score));
    else
        assert_near(r->score, score);
}

static void test_hand_case(void **state)
{
    (void)state;
    gca_cirt_formula f;
    gca_cirt_prow *rows = NULL;
    size_t n = 0;
    gca_err err = {0};
    fill_inputs();
    parse_ok(formula, &f);
    assert_int_equal(f.n, 4);
    assert_true(f.renormalise);
    assert_int_equal(gca_cirt_prioritise(&f, inputs, 6, &rows, &n, &err), 0);
    assert_int_equal(n, 5);

    expect_row(&rows[0], "BBB", 1, 0.875);
    expect_row(&rows[1], "AAA", 2, 0.545);
    expect_row(&rows[2], "DDD", 2, 0.545);
    expect_row(&rows[3], "CCC", 4, 0.12);
    expect_row(&rows[4], "FFF", 0, NAN);

    /* BBB: index and pillars missing, renormalised over the other two. */
    const gca_cirt_prow *b = &rows[0];
    assert_true(isnan(b->value[0]) && isnan(b->value[1]));
    assert_near(b->share[0], 0);
    assert_near(b->share[1], 0);
    assert_near(b->share[2], 0.5);
    assert_near(b->share[3], 0.5);
    assert_near(b->value[2], 0.75);
    assert_near(b->value[3], 1.0);
    assert_near(b->contrib[2], 0.375);
    assert_near(b->contrib[3], 0.5);
    assert_near(b->shutdowns, 12);
    assert_int_equal(b->at_least, 1);

    /* AAA: every factor, the formula's own weights. */
    const gca_cirt_prow *a = &rows[1];
    static const double av[] = {0.6, 0.625, 0.5, 0.4};
    static const double ac[] = {0.24, 0.125, 0.1, 0.08};
    static const double as[] = {0.4, 0.2, 0.2, 0.2};
    for (int j = 0; j < 4; j++) {
        assert_near(a->value[j], av[j]);
        assert_near(a->contrib[j], ac[j]);
        assert_near(a->share[j], as[j]);
    }
    assert_near(a->shutdowns, 4); /* 2019 is outside */
    assert_int_equal(a->at_least, 0);

    /* DDD: three factors, a third each. */
    const gca_cirt_prow *d = &rows[2];
    assert_near(d->share[1], 1.0 / 3);
    assert_near(d->value[1], 0.635);
    assert_near(d->contrib[3], 0.5 / 3);

    /* CCC: ORG missing, the pillar gap is TEC's alone; no shutdowns = 0. */
    const gca_cirt_prow *c = &rows[3];
    assert_near(c->value[1], 0.2);
    assert_near(c->value[2], 0.0);
    assert_near(c->value[3], 0.0);
    assert_near(c->contrib[0], 0.08);
    gca_free(rows);
}

/* "zero": a missing input counts 0 at the formula's weights. BBB:
 * 0.2 * 0.75 + 0.2 * 1 = 0.35; DDD: 0.2 * (0.635 + 0.5 + 0.5) = 0.327;
 * AAA and CCC are unchanged (no input missing... CCC's ORG is inside
 * the pillar mean, which is not a missing factor). FFF: every factor 0
 * (its shutdown input is missing, not zero, and counts 0 too). */
static void test_missing_zero(void **state)
{
    (void)state;
    static const char zero[] =
        "{\"candidates\": [\"none\", \"unknown\"], \"factors\": ["
        "{\"name\": \"index_gap\", \"weight\": 0.4},"
        "{\"name\": \"pillar_gap\", \"weight\": 0.2, \"pillars\": [\"TEC\", "
        "\"ORG\"]},"
        "{\"name\": \"region_coverage_gap\", \"weight\": 0.2},"
        "{\"name\": \"shutdown_exposure\", \"weight\": 0.2, \"years\": "
        "[2020, 2022], \"cap\": 10}], \"missing\": \"zero\"}";
    gca_cirt_formula f;
    gca_cirt_prow *rows = NULL;
    size_t n = 0;
    gca_err err = {0};
    fill_inputs();
    parse_ok(zero, &f);
    assert_false(f.renormalise);
    assert_int_equal(gca_cirt_prioritise(&f, inputs, 6, &rows, &n, &err), 0);
    assert_int_equal(n, 5);
    expect_row(&rows[0], "AAA", 1, 0.545);
    expect_row(&rows[1], "BBB", 2, 0.35);
    expect_row(&rows[2], "DDD", 3, 0.327);
    expect_row(&rows[3], "CCC", 4, 0.12);
    expect_row(&rows[4], "FFF", 5, 0.0);
    gca_free(rows);
}

/* Only "none" as candidates: BBB and FFF (unknown) leave the list. */
static void test_candidates(void **state)
{
    (void)state;
    static const char none_only[] =
        "{\"candidates\": [\"none\"], \"factors\": ["
        "{\"name\": \"index_gap\", \"weight\": 1}]}";
    gca_cirt_formula f;
    gca_cirt_prow *rows = NULL;
    size_t n = 0;
    gca_err err = {0};
    fill_inputs();
    parse_ok(none_only, &f);
    assert_true(f.renormalise); /* the default */
    assert_int_equal(gca_cirt_prioritise(&f, inputs, 6, &rows, &n, &err), 0);
    assert_int_equal(n, 3);
    expect_row(&rows[0], "AAA", 1, 0.6);
    expect_row(&rows[1], "CCC", 2, 0.2);
    expect_row(&rows[2], "DDD", 0, NAN); /* no index: nothing left */
    gca_free(rows);
}

/* The shipped formula: its factors and weights as docs/cirt.md gives
 * them (a change to the file must change the documentation too). */
static void test_shipped_formula(void **state)
{
    (void)state;
    gca_cirt_formula f;
    gca_err err = {0};
    assert_int_equal(gca_cirt_formula_default(&f, &err), 0);
    assert_int_equal(f.n, 5);
    static const int kinds[] = {GCA_CIRT_F_INDEX_GAP, GCA_CIRT_F_PILLAR_GAP,
                                GCA_CIRT_F_REGION_GAP, GCA_CIRT_F_SHUTDOWN,
                                GCA_CIRT_F_USERS};
    static const double w[] = {0.35, 0.25, 0.2, 0.1, 0.1};
    for (int j = 0; j < 5; j++) {
        assert_int_equal(f.f[j].kind, kinds[j]);
        assert_near(f.f[j].weight, w[j]);
    }
    assert_int_equal(f.f[1].pillars, (1u << 1) | (1u << 2)); /* TEC ORG */
    assert_int_equal(f.f[3].year_from, 2019);
    assert_int_equal(f.f[3].year_to, 2024);
    assert_near(f.f[3].cap, 10);
    assert_int_equal(f.candidates,
                     (1u << GCA_CIRT_NONE) | (1u << GCA_CIRT_UNKNOWN));
    assert_true(f.renormalise);
    assert_true(f.f[0].required);
    for (int j = 1; j < 5; j++)
        assert_false(f.f[j].required);
}

/* "required": BBB and DDD have no index_gap input and are not ranked;
 * the others keep the scores of the hand case. */
static void test_required(void **state)
{
    (void)state;
    static const char req[] =
        "{\"candidates\": [\"none\", \"unknown\"],\n"
        " \"factors\": [\n"
        "  {\"name\": \"index_gap\", \"weight\": 0.4},\n"
        "  {\"name\": \"pillar_gap\", \"weight\": 0.2, \"pillars\": "
        "[\"TEC\", \"ORG\"]},\n"
        "  {\"name\": \"region_coverage_gap\", \"weight\": 0.2},\n"
        "  {\"name\": \"shutdown_exposure\", \"weight\": 0.2, \"years\": "
        "[2020, 2022], \"cap\": 10}],\n"
        " \"required\": [\"index_gap\"]}\n";
    gca_cirt_formula f;
    gca_cirt_prow *rows = NULL;
    size_t n = 0;
    gca_err err = {0};
    fill_inputs();
    parse_ok(req, &f);
    assert_int_equal(gca_cirt_prioritise(&f, inputs, 6, &rows, &n, &err), 0);
    assert_int_equal(n, 5);
    expect_row(&rows[0], "AAA", 1, 0.545);
    expect_row(&rows[1], "CCC", 2, 0.12);
    expect_row(&rows[2], "BBB", 0, NAN);
    expect_row(&rows[3], "DDD", 0, NAN);
    expect_row(&rows[4], "FFF", 0, NAN);
    /* The values are still there to show why. */
    assert_near(rows[2].value[2], 0.75);
    gca_free(rows);
}

static void expect_error(const char *text, const char *field)
{
    gca_cirt_formula f;
    gca_err err = {0};
    int rc = gca_cirt_formula_parse(text, strlen(text), "f.json", &f, &err);
    assert_int_equal(rc, GCA_EPARSE);
    assert_string_equal(err.source, "f.json");
    if (!strstr(err.msg, field))
        fail_msg("'%s' does not name '%s'", err.msg, field);
}

#define FAC(x) "{\"candidates\": [\"none\"], \"factors\": [" x "]}"

static void test_formula_errors(void **state)
{
    (void)state;
    expect_error(FAC("{\"name\": \"index_gap\", \"weight\": 1},"
                     "{\"name\": \"gdp\", \"weight\": 1}"),
                 "factors[1].name: unknown factor 'gdp'");
    expect_error(FAC("{\"name\": \"index_gap\", \"weight\": -0.1}"),
                 "factors[0].weight: must be a number >= 0");
    expect_error(FAC("{\"name\": \"index_gap\", \"weight\": 0},"
                     "{\"name\": \"region_coverage_gap\", \"weight\": 0}"),
                 "factors: weights are all zero");
    expect_error("{\"candidates\": [\"none\"], \"factors\": [",
                 "bad JSON");
    expect_error("", "bad JSON");
    expect_error("[1, 2]", "not a JSON object");
    expect_error(FAC("{\"name\": \"index_gap\", \"weigth\": 1}"),
                 "factors[0].weigth: unknown field");
    expect_error(FAC("{\"name\": \"index_gap\"}"),
                 "factors[0].weight: missing");
    expect_error(FAC("{\"name\": \"index_gap\", \"weight\": \"1\"}"),
                 "factors[0].weight: missing or not a number");
    expect_error(FAC("{\"name\": \"pillar_gap\", \"weight\": 1}"),
                 "factors[0].pillars");
    expect_error(FAC("{\"name\": \"pillar_gap\", \"weight\": 1, "
                     "\"pillars\": [\"TEC\", \"XYZ\"]}"),
                 "factors[0].pillars: each must be one of");
    expect_error(FAC("{\"name\": \"shutdown_exposure\", \"weight\": 1, "
                     "\"years\": [2024, 2019], \"cap\": 10}"),
                 "factors[0].years");
    expect_error(FAC("{\"name\": \"shutdown_exposure\", \"weight\": 1, "
                     "\"years\": [2019, 2024], \"cap\": 0}"),
                 "factors[0].cap");
    expect_error(FAC("{\"name\": \"index_gap\", \"weight\": 1},"
                     "{\"name\": \"index_gap\", \"weight\": 1}"),
                 "factors[1].name: factor appears twice");
    expect_error("{\"factors\": [{\"name\": \"index_gap\", \"weight\": 1}]}",
                 "candidates");
    expect_error("{\"candidates\": [\"has\"], \"factors\": "
                 "[{\"name\": \"index_gap\", \"weight\": 1}]}",
                 "candidates");
    expect_error("{\"candidates\": [\"none\"], \"factors\": []}",
                 "factors: missing or not a non-empty array");
    expect_error("{\"candidates\": [\"none\"], \"factors\": "
                 "[{\"name\": \"index_gap\", \"weight\": 1}], "
                 "\"missing\": \"drop\"}",
                 "missing: must be");
    expect_error("{\"candidates\": [\"none\"], \"candidates\": [\"none\"], "
                 "\"factors\": [{\"name\": \"index_gap\", \"weight\": 1}]}",
                 "bad JSON"); /* duplicate key */
    expect_error("{\"candidates\": [\"none\"], \"factors\": "
                 "[{\"name\": \"index_gap\", \"weight\": 1}], "
                 "\"required\": [\"pillar_gap\"]}",
                 "required: each must name a factor of the formula");
    expect_error("{\"candidates\": [\"none\"], \"x\": 1, \"factors\": "
                 "[{\"name\": \"index_gap\", \"weight\": 1}]}",
                 "x: unknown field");
}

/* A file over the size limit is refused before parsing. */
static void test_formula_too_big(void **state)
{
    (void)state;
    gca_cirt_formula f;
    gca_err err = {0};
    size_t len = GCA_CIRT_MAX_FORMULA + 1;
    char *big = gca_malloc(len);
    assert_non_null(big);
    memset(big, ' ', len);
    assert_int_equal(gca_cirt_formula_parse(big, len, "big.json", &f, &err),
                     GCA_ETOOBIG);
    gca_free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_case),
        cmocka_unit_test(test_missing_zero),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_shipped_formula),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_formula_errors),
        cmocka_unit_test(test_formula_too_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
