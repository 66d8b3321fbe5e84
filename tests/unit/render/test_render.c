/* test_render.c - data sets, reports, scores, ranks, weights and tiers as
 * CSV, JSON and aligned text: exact round trip of doubles (%.17g), NA and
 * null for missing, infinities, quoting of awkward codes, valid JSON,
 * column order, and R-style rounding of table.c against R's round(). */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "gca.h"
#include "analysis/stats.h"
#include "core/csv.h"
#include "render/table.h"
#include "testutil.h"

/* Doubles that %.6g or %.15g would not bring back; -0.0 is written "0"
 * as R does. */
static const double tricky[] = {
    0.1, 1e-310, 1.0 / 3, -0.0, 1e300, -2.5e-5, DBL_MAX,
    4.9406564584124654e-324, 0.1 + 0.2, -1.0 / 7, 100, 123456789012345678.0,
};
#define NTRICKY GCA_COUNT(tricky)

/* A hand-made data set: unit codes that need quoting, the tricky values
 * in column "x", missing and infinite values in "y,z". */
typedef struct hand {
    const char *ucode[NTRICKY];
    int unit[NTRICKY];
    const char *icode[2];
    int node[2];
    double v[2 * NTRICKY];
    gca_dset d;
} hand;

static void hand_init(hand *h)
{
    static const char *const codes[] = {
        "A,B", "say \"hi\"", " lead", "trail ", "plain", "Zürich",
        "new\nline", "u8", "u9", "u10", "u11", "u12"};
    for (size_t r = 0; r < NTRICKY; r++) {
        h->ucode[r] = codes[r];
        h->unit[r] = (int)r;
        h->v[r] = tricky[r];
        h->v[NTRICKY + r] = r % 3 == 0 ? NAN
                            : r % 3 == 1 ? INFINITY : -INFINITY;
    }
    h->icode[0] = "x";
    h->icode[1] = "y,z";
    h->node[0] = 0;
    h->node[1] = 1;
    h->d = (gca_dset){"Hand", NTRICKY, 2, h->ucode, h->unit, h->icode,
                      h->node, h->v};
}

static void parse_csv(const char *text, size_t len, gca_csv *c)
{
    gca_err err = {0};
    if (gca_csv_parse(text, len, "out.csv", 1000, 100, c, &err) < 0)
        fail_msg("output is not CSV: %d:%d: %s\n%s", err.line, err.col,
                 err.msg, text);
}

static const char *cell(const gca_csv *c, size_t row, size_t col)
{
    return GCA_CSV_CELL(c, row, col)->text.ptr;
}

static double num(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    assert_true(*s && *end == '\0');
    return v;
}

static void test_dset_csv(void **state)
{
    (void)state;
    hand h;
    hand_init(&h);
    char *out = NULL;
    size_t len = 0;
    gca_err err = {0};
    assert_int_equal(gca_render_dset(&h.d, GCA_FORMAT_CSV, &out, &len, &err),
                     0);
    assert_int_equal(strlen(out), len);
    static const char head[] = "uCode,x,\"y,z\"\n"
                               "\"A,B\",0.10000000000000001,NA\n"
                               /* 1e-310 is denormal: not exact */
                               "\"say \"\"hi\"\"\","
                               "9.9999999999999694e-311,Inf\n"
                               "\" lead\",0.33333333333333331,-Inf\n"
                               "\"trail \",0,NA\n";
    assert_memory_equal(out, head, sizeof head - 1);
    gca_csv c;
    parse_csv(out, len, &c);
    assert_int_equal(c.ncol, 3);
    assert_int_equal(c.nrow, NTRICKY);
    assert_string_equal(cell(&c, 0, 0), "uCode");
    assert_string_equal(cell(&c, 0, 2), "y,z");
    for (size_t r = 0; r < NTRICKY; r++) {
        assert_string_equal(cell(&c, r + 1, 0), h.ucode[r]);
        double back = num(cell(&c, r + 1, 1));
        /* Bit for bit, except that -0 is written as 0. */
        if (tricky[r] == 0) {
            assert_string_equal(cell(&c, r + 1, 1), "0");
        } else {
            assert_memory_equal(&back, &tricky[r], sizeof back);
        }
        const char *y = cell(&c, r + 1, 2);
        assert_string_equal(y, r % 3 == 0 ? "NA" : r % 3 == 1 ? "Inf"
                                                               : "-Inf");
    }
    gca_csv_release(&c);
    gca_free(out);
}

static void test_dset_json(void **state)
{
    (void)state;
    hand h;
    hand_init(&h);
    char *out = NULL;
    size_t len = 0;
    gca_err err = {0};
    assert_int_equal(gca_render_dset(&h.d, GCA_FORMAT_JSON, &out, &len, &err),
                     0);
    json_error_t jerr;
    json_t *root = json_loadb(out, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        fail_msg("invalid JSON at %d:%d: %s\n%s", jerr.line, jerr.column,
                 jerr.text, out);
    assert_true(json_is_array(root));
    assert_int_equal(json_array_size(root), NTRICKY);
    for (size_t r = 0; r < NTRICKY; r++) {
        json_t *row = json_array_get(root, r);
        assert_int_equal(json_object_size(row), 3);
        assert_string_equal(json_string_value(json_object_get(row, "uCode")),
                            h.ucode[r]);
        json_t *x = json_object_get(row, "x");
        assert_true(json_is_number(x));
        double back = json_number_value(x);
        if (tricky[r] == 0)
            assert_true(back == 0);
        else
            assert_memory_equal(&back, &tricky[r], sizeof back);
        /* Missing and infinite values have no JSON number: null. */
        assert_true(json_is_null(json_object_get(row, "y,z")));
    }
    json_decref(root);
    gca_free(out);

    /* No rows: an empty array. */
    h.d.nrow = 0;
    assert_int_equal(gca_render_dset(&h.d, GCA_FORMAT_JSON, &out, &len, &err),
                     0);
    assert_string_equal(out, "[]\n");
    gca_free(out);
    assert_int_equal(gca_render_dset(&h.d, GCA_FORMAT_CSV, &out, &len, &err),
                     0);
    assert_string_equal(out, "uCode,x,\"y,z\"\n");
    gca_free(out);
}

static void test_dset_text(void **state)
{
    (void)state;
    static const char *const uc[] = {"A", "Zürich", "BBB"};
    static const int unit[] = {0, 1, 2};
    static const char *const ic[] = {"i1", "long_name"};
    static const int node[] = {0, 1};
    static const double v[] = {1, 2.5, NAN, -INFINITY, 0.25, 10};
    gca_dset d = {"T", 3, 2, (const char **)uc, (int *)unit,
                  (const char **)ic, (int *)node, (double *)v};
    char *out = NULL;
    size_t len = 0;
    gca_err err = {0};
    assert_int_equal(gca_render_dset(&d, GCA_FORMAT_TEXT, &out, &len, &err),
                     0);
    /* Text left-aligned, numbers right-aligned, two spaces between;
     * "Zürich" is six columns wide though seven bytes. */
    assert_string_equal(out, "uCode    i1  long_name\n"
                             "A         1       -Inf\n"
                             "Zürich  2.5       0.25\n"
                             "BBB      NA         10\n");
    gca_free(out);
}

static void test_report(void **state)
{
    (void)state;
    static const char *const hdr[] = {"iCode", "Low", "Flag"};
    /* Numbers as the steps store them (cell NULL), and as text. */
    static const char *const cells[] = {"a,b", NULL,  "TRUE",
                                        "c",   NULL,  "NA",
                                        "d",   "Inf", "x\"y"};
    const double nums[] = {0, 1.5, 0, 0, NAN, 0, 0, 0, 0};
    gca_report rep = {"treat_details", 3, 3, (const char **)hdr,
                      (const char **)cells, nums};
    char b[40];
    assert_string_equal(gca_report_cell(&rep, 0, 1, b, sizeof b), "1.5");
    assert_string_equal(gca_report_cell(&rep, 1, 1, b, sizeof b), "NA");
    assert_string_equal(gca_report_cell(&rep, 2, 2, b, sizeof b), "x\"y");
    assert_null(gca_report_cell(&rep, 3, 0, b, sizeof b));
    char *out = NULL;
    size_t len = 0;
    gca_err err = {0};
    assert_int_equal(gca_render_report(&rep, GCA_FORMAT_CSV, &out, &len,
                                       &err), 0);
    assert_string_equal(out, "iCode,Low,Flag\n"
                             "\"a,b\",1.5,TRUE\n"
                             "c,NA,NA\n"
                             "d,Inf,\"x\"\"y\"\n");
    gca_free(out);
    /* "Low" holds only numbers and NA: JSON numbers; "Flag" is text. */
    assert_int_equal(gca_render_report(&rep, GCA_FORMAT_JSON, &out, &len,
                                       &err), 0);
    json_error_t jerr;
    json_t *root = json_loadb(out, len, 0, &jerr);
    assert_non_null(root);
    json_t *r0 = json_array_get(root, 0), *r1 = json_array_get(root, 1);
    json_t *r2 = json_array_get(root, 2);
    assert_true(json_number_value(json_object_get(r0, "Low")) == 1.5);
    assert_string_equal(json_string_value(json_object_get(r0, "Flag")),
                        "TRUE");
    assert_true(json_is_null(json_object_get(r1, "Low")));
    assert_true(json_is_null(json_object_get(r1, "Flag")));
    assert_true(json_is_null(json_object_get(r2, "Low")));
    assert_string_equal(json_string_value(json_object_get(r2, "Flag")),
                        "x\"y");
    json_decref(root);
    gca_free(out);

    rep.nrow = 0;
    assert_int_equal(gca_render_report(&rep, GCA_FORMAT_CSV, &out, &len,
                                       &err), 0);
    assert_string_equal(out, "iCode,Low,Flag\n");
    gca_free(out);
}

/* ====== Renderers over a build ====== */

/* Two pillars of one indicator each; i1 = i2 for every unit, so each
 * pillar and the index equal the unit's value (a weighted mean of equal
 * values with few significant bits, so exact), and the tiers are those
 * of the GCIv5 bands. */
static const char FW[] =
    "{\"code\":\"R\",\"name\":\"Render\","
    "\"levels\":[\"Indicator\",\"Pillar\",\"Index\"],\"nodes\":["
    "{\"code\":\"i1\",\"name\":\"one\",\"type\":\"indicator\",\"level\":1,"
    "\"parent\":\"P1\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"i2\",\"name\":\"two\",\"type\":\"indicator\",\"level\":1,"
    "\"parent\":\"P2\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"P1\",\"name\":\"p1\",\"type\":\"aggregate\",\"level\":2,"
    "\"parent\":\"Idx\",\"weight\":1,\"direction\":1},"
    "{\"code\":\"P2\",\"name\":\"p2\",\"type\":\"aggregate\",\"level\":2,"
    "\"parent\":\"Idx\",\"weight\":3,\"direction\":1},"
    "{\"code\":\"Idx\",\"name\":\"index\",\"type\":\"aggregate\","
    "\"level\":3,\"weight\":1,\"direction\":1}]%s}";
static const char TIERS[] =
    ",\"tiers\":["
    "{\"code\":\"T1\",\"name\":\"Role-modelling\",\"min\":95,\"max\":100},"
    "{\"code\":\"T2\",\"name\":\"Advancing\",\"min\":85,\"max\":95},"
    "{\"code\":\"T3\",\"name\":\"Establishing\",\"min\":55,\"max\":85},"
    "{\"code\":\"T4\",\"name\":\"Evolving\",\"min\":20,\"max\":55},"
    "{\"code\":\"T5\",\"name\":\"Building\",\"min\":0,\"max\":20}]";
static const char DATA[] = "uCode,i1,i2\n"
                           "U7,101,101\n"
                           "U1,100,100\n"
                           "U2,95,95\n"
                           "U3,94.5,94.5\n"
                           "U4,20,20\n"
                           "U5,0,0\n"
                           "U6,NA,NA\n"
                           "U8,19.5,19.5\n";
static const double SCORE[] = {100, 95, 94.5, 20, 0, NAN, 101, 19.5};
/* R: rank(-c(100, 95, 94.5, 20, 0, NA, 101, 19.5),
 *         ties.method = "min", na.last = "keep") */
static const double RANK[] = {2, 3, 4, 5, 7, NAN, 1, 6};

typedef struct built {
    gca_framework *fw;
    gca_dataset *ds;
    gca_method *m;
    gca_result *res;
} built;

static void build(built *b, int with_tiers)
{
    char text[4096];
    gca_err err = {0};
    memset(b, 0, sizeof *b);
    snprintf(text, sizeof text, FW, with_tiers ? TIERS : "");
    static const char method[] =
        "{\"steps\":[{\"step\":\"aggregate\",\"f_ag\":\"a_amean\"}]}";
    if (gca_framework_load_mem(text, strlen(text), "r.json", &b->fw, NULL,
                               &err) < 0 ||
        gca_dataset_read_csv_mem(DATA, strlen(DATA), "r.csv", &b->ds,
                                 &err) < 0 ||
        gca_dataset_bind(b->ds, b->fw, NULL, NULL, &err) < 0 ||
        gca_method_load_mem(method, strlen(method), "m.json", &b->m,
                            &err) < 0 ||
        gca_build(b->fw, b->ds, b->m, 0, &b->res, &err) < 0)
        fail_msg("fixture: %s: %s", err.source, err.msg);
}

static void built_release(built *b)
{
    gca_result_free(b->res);
    gca_method_free(b->m);
    gca_dataset_free(b->ds);
    gca_framework_free(b->fw);
}

static void test_scores_and_ranks(void **state)
{
    (void)state;
    built b;
    build(&b, 0);
    for (int ranks = 0; ranks < 2; ranks++) {
        char *out = NULL;
        size_t len = 0;
        gca_err err = {0};
        assert_int_equal(gca_render_scores(b.res, ranks, GCA_FORMAT_CSV, &out,
                                           &len, &err), 0);
        gca_csv c;
        parse_csv(out, len, &c);
        /* Aggregates only, top level first. */
        assert_int_equal(c.ncol, 4);
        assert_string_equal(cell(&c, 0, 0), "uCode");
        assert_string_equal(cell(&c, 0, 1), "Idx");
        assert_string_equal(cell(&c, 0, 2), "P1");
        assert_string_equal(cell(&c, 0, 3), "P2");
        assert_int_equal(c.nrow, 8);
        const double *want = ranks ? RANK : SCORE;
        for (size_t r = 0; r < 8; r++) {
            char code[8];
            snprintf(code, sizeof code, "U%zu", r + 1);
            assert_string_equal(cell(&c, r + 1, 0), code);
            for (size_t k = 1; k < 4; k++) {
                const char *s = cell(&c, r + 1, k);
                if (isnan(want[r]))
                    assert_string_equal(s, "NA");
                else
                    assert_true(num(s) == want[r]);
            }
        }
        gca_csv_release(&c);
        gca_free(out);
    }
    built_release(&b);
}

static void test_weights(void **state)
{
    (void)state;
    built b;
    build(&b, 0);
    char *out = NULL;
    size_t len = 0;
    gca_err err = {0};
    assert_int_equal(gca_render_weights(b.res, GCA_FORMAT_CSV, &out, &len,
                                        &err), 0);
    /* Indicators first, then each level up; effective weights are the
     * weights normalised within each parent, multiplied down. */
    assert_string_equal(out, "iCode,Level,Weight,EffWeight\n"
                             "i1,1,1,0.25\n"
                             "i2,1,1,0.75\n"
                             "P1,2,1,0.25\n"
                             "P2,2,3,0.75\n"
                             "Idx,3,1,1\n");
    gca_free(out);
    assert_int_equal(gca_render_weights(b.res, GCA_FORMAT_JSON, &out, &len,
                                        &err), 0);
    json_error_t jerr;
    json_t *root = json_loadb(out, len, 0, &jerr);
    assert_non_null(root);
    json_t *p2 = json_array_get(root, 3);
    assert_string_equal(json_string_value(json_object_get(p2, "iCode")), "P2");
    assert_true(json_number_value(json_object_get(p2, "Level")) == 2);
    assert_true(json_number_value(json_object_get(p2, "EffWeight")) == 0.75);
    json_decref(root);
    gca_free(out);
    built_release(&b);
}

static void test_tiers(void **state)
{
    (void)state;
    built b;
    build(&b, 0);
    char *out = NULL;
    size_t len = 0;
    gca_err err = {0};
    assert_int_equal(gca_render_tiers(b.res, GCA_FORMAT_CSV, &out, &len,
                                      &err), GCA_ENOTFOUND);
    assert_null(out);
    assert_string_equal(err.source, "r.json");
    built_release(&b);

    build(&b, 1);
    gca_err_clear(&err);
    assert_int_equal(gca_render_tiers(b.res, GCA_FORMAT_CSV, &out, &len,
                                      &err), 0);
    /* Bands are [min, max); the top band includes 100; 101 and NA have
     * no tier. */
    assert_string_equal(out, "uCode,Idx,Tier,TierName\n"
                             "U1,100,T1,Role-modelling\n"
                             "U2,95,T1,Role-modelling\n"
                             "U3,94.5,T2,Advancing\n"
                             "U4,20,T4,Evolving\n"
                             "U5,0,T5,Building\n"
                             "U6,NA,NA,NA\n"
                             "U7,101,NA,NA\n"
                             "U8,19.5,T5,Building\n");
    gca_free(out);
    assert_int_equal(gca_render_tiers(b.res, GCA_FORMAT_JSON, &out, &len,
                                      &err), 0);
    json_error_t jerr;
    json_t *root = json_loadb(out, len, 0, &jerr);
    assert_non_null(root);
    json_t *u6 = json_array_get(root, 5);
    assert_true(json_is_null(json_object_get(u6, "Idx")));
    assert_true(json_is_null(json_object_get(u6, "Tier")));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(root, 0), "TierName")),
                        "Role-modelling");
    json_decref(root);
    gca_free(out);
    built_release(&b);
}

/* ====== table.c rounding ====== */

static void test_round_r(void **state)
{
    (void)state;
    static const double x[] = {0.125, 0.135, 2.675, -0.125, 0.285, 1.005,
                               0.5,   1.5,   2.5,   1,      12345.675,
                               1e-20, -0.004, 99.995};
    /* R 4.2: sprintf("%.17g", round(x, 2)) */
    static const double r2[] = {0.12, 0.14000000000000001,
                                2.6699999999999999, -0.12,
                                0.28000000000000003, 1, 0.5, 1.5, 2.5, 1,
                                12345.67, 0, -0.0, 100};
    /* R: as.character(round(x, 2)), as write.csv writes it */
    static const char *const text[] = {"0.12", "0.14", "2.67", "-0.12",
                                       "0.28", "1",    "0.5",  "1.5",
                                       "2.5",  "1",    "12345.67", "0",
                                       "0",    "100"};
    for (size_t i = 0; i < GCA_COUNT(x); i++) {
        double got = gca__round_r(x[i], 2);
        if (got != r2[i] || signbit(got) != signbit(r2[i]))
            fail_msg("round(%.17g, 2) = %.17g, R says %.17g", x[i], got,
                     r2[i]);
    }
    /* R: round(c(0.5, 1.5, 2.5, -2.5), 0) is 0 2 2 -2 */
    assert_true(gca__round_r(0.5, 0) == 0);
    assert_true(gca__round_r(1.5, 0) == 2);
    assert_true(gca__round_r(2.5, 0) == 2);
    assert_true(gca__round_r(-2.5, 0) == -2);
    assert_true(isnan(gca__round_r(NAN, 2)));
    assert_true(gca__round_r(-INFINITY, 2) == -INFINITY);

    gca__table t;
    static const char *const hdr[] = {"v"};
    assert_int_equal(gca__table_init(&t, 1, hdr), 0);
    gca__table_numeric(&t, 0);
    for (size_t i = 0; i < GCA_COUNT(x); i++)
        gca__table_round(&t, gca__table_row(&t), 0, x[i], 2);
    size_t r = gca__table_row(&t);
    gca__table_round(&t, r, 0, NAN, 2);
    r = gca__table_row(&t);
    gca__table_round(&t, r, 0, 1.0 / 3, -1); /* dp < 0: %.17g */
    char *out = NULL;
    size_t len = 0;
    gca_err err = {0};
    assert_int_equal(gca__table_render(&t, GCA_FORMAT_CSV, &out, &len, &err),
                     0);
    gca__table_release(&t);
    gca_csv c;
    parse_csv(out, len, &c);
    assert_int_equal(c.nrow, GCA_COUNT(x) + 2);
    for (size_t i = 0; i < GCA_COUNT(x); i++)
        assert_string_equal(cell(&c, i + 1, 0), text[i]);
    assert_string_equal(cell(&c, GCA_COUNT(x) + 1, 0), "NA");
    assert_string_equal(cell(&c, GCA_COUNT(x) + 2, 0), "0.33333333333333331");
    gca_csv_release(&c);
    gca_free(out);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    built b;
    build(&b, 1);
    hand h;
    hand_init(&h);
    for (int which = 0; which < 5; which++) {
        for (gca_format fmt = GCA_FORMAT_CSV; fmt <= GCA_FORMAT_TEXT; fmt++) {
            int done = 0, tries = 0;
            for (long n = 1; n < 10000 && !done; n++) {
                char *out = NULL;
                size_t len = 0;
                gca_err err = {0};
                int rc;
                gca_alloc_fail_after(n);
                switch (which) {
                case 0:
                    rc = gca_render_dset(&h.d, fmt, &out, &len, &err);
                    break;
                case 1:
                    rc = gca_render_scores(b.res, 1, fmt, &out, &len, &err);
                    break;
                case 2:
                    rc = gca_render_weights(b.res, fmt, &out, &len, &err);
                    break;
                case 3:
                    rc = gca_render_tiers(b.res, fmt, &out, &len, &err);
                    break;
                default:
                    rc = gca_render_scores(b.res, 0, fmt, &out, &len, &err);
                    break;
                }
                gca_alloc_fail_after(0);
                tries++;
                if (rc == 0)
                    done = 1;
                else
                    assert_int_equal(rc, GCA_ENOMEM);
                gca_free(out);
            }
            assert_true(done && tries > 1);
        }
    }
    built_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dset_csv),
        cmocka_unit_test(test_dset_json),
        cmocka_unit_test(test_dset_text),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_scores_and_ranks),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_round_r),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
