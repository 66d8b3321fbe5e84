/* test_norms.c - the norms crosswalk (src/norms/norms.c, gca/norms.h):
 * each parser against good and bad files (every bad input adds nothing
 * and names file:line:col), the shipped data/norms files against the
 * shipped GCI framework, the classification of a hand-made case, the
 * objectives-by-norms matrix, and reading norms and an edition's scale
 * from the store (src/store/norms.c). */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/embedded.h"
#include "gca.h"
#include "gca/norms.h"
#include "store/backend.h"
#include "testutil.h"

#define HDR "norm,framework,indicator,strength,rationale,source\n"

static gca_framework *gci(void)
{
    const gca__blob *b = gca__embedded("data/frameworks/gci.json");
    gca_framework *fw = NULL;
    gca_err err = {0};
    assert_non_null(b);
    assert_int_equal(gca_framework_load_mem(b->data, b->len, "gci", &fw,
                                            NULL, &err),
                     0);
    return fw;
}

/* Norms 13(a) to 13(k). */
static void add_norms(gca_norms *n)
{
    gca_err err = {0};
    for (char c = 'a'; c <= 'k'; c++) {
        char para[6] = {'1', '3', '(', c, ')', '\0'};
        char id[32];
        snprintf(id, sizeof id, "norm/GGE15-%c", c - 'a' + 'A');
        assert_int_equal(gca_norms_add(n, id, para, "t", &err), 0);
    }
}

static int cw(gca_norms *n, const gca_framework *fw, const char *text,
              gca_err *err)
{
    return gca_norms_parse_crosswalk(n, text, strlen(text), "cw.csv", fw,
                                     err);
}

/* ====== Parsers ====== */

static void test_add_norm(void **state)
{
    gca_norms n;
    gca_err err = {0};
    (void)state;
    gca_norms_init(&n);
    assert_int_equal(gca_norms_add(&n, "x", "13(a)", "A", &err), 0);
    assert_int_equal(gca_norms_add(&n, "y", "13(a)", "A", &err),
                     GCA_EINVAL);
    assert_non_null(strstr(err.msg, "twice"));
    static const char *const bad[] = {"13(A)", "13a", "13(ab)", "", "14(a)"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(gca_norms_add(&n, "z", bad[i], "B", &err),
                         GCA_EINVAL);
    assert_int_equal(n.nnorms, 1);
    assert_int_equal(gca_norms_find(&n, "13(a)"), 0);
    assert_int_equal(gca_norms_find(&n, "13(b)"), -1);
    gca_norms_release(&n);
}

static void test_crosswalk_ok(void **state)
{
    gca_framework *fw = gci();
    gca_norms n;
    gca_err err = {0};
    (void)state;
    gca_norms_init(&n);
    add_norms(&n);
    assert_int_equal(cw(&n, fw, HDR "13(k),GCI,TEC.1,direct,r,s\n"
                                    " 13(h) ,gci,TEC.1,partial,\"a, b\",s\n",
                        &err),
                     0);
    assert_int_equal(n.nlinks, 2);
    assert_int_equal(n.links[0].norm, 10);
    assert_int_equal(n.links[0].strength, GCA_STRENGTH_DIRECT);
    assert_string_equal(n.links[1].indicator, "TEC.1");
    assert_string_equal(n.links[1].rationale, "a, b");
    assert_int_equal(n.links[1].line, 3);
    assert_int_equal(gca_norms_norm_links(&n, 10), 1);
    assert_int_equal(gca_norms_norm_links(&n, 4), 0);
    gca_norms_release(&n);
    gca_framework_free(fw);
}

static void test_crosswalk_bad(void **state)
{
    static const struct {
        const char *text;
        int line, col;
        const char *msg;
        size_t len; /* 0 = strlen(text) */
    } cases[] = {
        {"", 0, 0, "empty", 0},
        {"norm,framework,indicator,strength,rationale\n", 1, 1,
         "missing column 'source'", 0},
        {HDR "13(k),GCI,TEC.1,direct,r,s,extra\n", 2, 0, "", 0},
        {"norm,framework,indicator,strength,rationale,source,why\n", 1, 52,
         "unknown column 'why'", 0},
        {HDR "13(z),GCI,TEC.1,direct,r,s\n", 2, 1, "unknown norm '13(z)'", 0},
        {HDR "GGE15-K,GCI,TEC.1,direct,r,s\n", 2, 1, "unknown norm", 0},
        {HDR "13(k),NCSI,TEC.1,direct,r,s\n", 2, 7, "framework 'NCSI'", 0},
        {HDR "13(k),GCI,TEC.9,direct,r,s\n", 2, 11,
         "'TEC.9' is not an indicator", 0},
        {HDR "13(k),GCI,TEC,direct,r,s\n", 2, 11, "not an indicator", 0},
        {HDR "13(k),GCI,TEC.1,strong,r,s\n", 2, 17,
         "strength 'strong' is not direct or partial", 0},
        {HDR "13(k),GCI,TEC.1,direct,,s\n", 2, 24, "missing rationale", 0},
        {HDR "13(k),GCI,TEC.1,direct,r,\n", 2, 26, "missing source", 0},
        {HDR "13(k),GCI,TEC.1,direct,r,s\n13(k),GCI,TEC.1,partial,r,s\n", 3,
         1, "twice", 0},
        {HDR "13(k),GCI,TEC.1,direct,\"r,s\n", 2, 0, "", 0},
        {HDR "13(k),GCI,TEC.1,direct,r\0x,s\n", 2, 0, "NUL",
         sizeof HDR - 1 + 29},
    };
    gca_framework *fw = gci();
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gca_norms n;
        gca_err err = {0};
        gca_norms_init(&n);
        add_norms(&n);
        /* A good row first: a bad file must add nothing at all. */
        assert_int_equal(cw(&n, fw, HDR "13(a),GCI,COO.1,partial,r,s\n",
                            &err),
                         0);
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        int rc = gca_norms_parse_crosswalk(&n, cases[i].text, len, "cw.csv",
                                           fw, &err);
        if (rc == 0)
            fail_msg("case %zu accepted", i);
        assert_string_equal(err.source, "cw.csv");
        if (cases[i].line)
            assert_int_equal(err.line, cases[i].line);
        if (cases[i].col)
            assert_int_equal(err.col, cases[i].col);
        if (!strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].msg);
        assert_int_equal(n.nlinks, 1);
        gca_norms_release(&n);
    }
    gca_framework_free(fw);
}

static void test_crosswalk_oversized(void **state)
{
    gca_framework *fw = gci();
    gca_norms n;
    gca_err err = {0};
    (void)state;
    gca_norms_init(&n);
    add_norms(&n);
    /* A rationale longer than the limit. */
    size_t big = GCA_NORMS_MAX_TEXT + 10;
    char *text = malloc(big + 200);
    assert_non_null(text);
    int k = snprintf(text, 200, HDR "13(k),GCI,TEC.1,direct,");
    memset(text + k, 'x', big);
    memcpy(text + k + big, ",s\n", 4);
    assert_int_equal(cw(&n, fw, text, &err), GCA_ETOOBIG);
    assert_int_equal(err.line, 2);
    free(text);
    /* Too many rows. */
    size_t rows = GCA_NORMS_MAX_ROWS + 1, line = 40;
    text = malloc(sizeof HDR + rows * line);
    assert_non_null(text);
    size_t off = (size_t)snprintf(text, sizeof HDR, HDR);
    for (size_t r = 0; r < rows; r++)
        off += (size_t)snprintf(text + off, line, "13(k),GCI,TEC.1,direct,"
                                                  "r,s\n");
    assert_int_equal(gca_norms_parse_crosswalk(&n, text, off, "cw.csv", fw,
                                               &err),
                     GCA_ETOOBIG);
    free(text);
    assert_int_equal(n.nlinks, 0);
    gca_norms_release(&n);
    gca_framework_free(fw);
}

static void test_objectives_and_serves(void **state)
{
    gca_norms n;
    gca_err err = {0};
    (void)state;
    gca_norms_init(&n);
    add_norms(&n);
    const char *obj = "code,name,source,note\n"
                      "secure,Secure,GGE,\nopen,Open,GGE,\n"
                      "accessible,Accessible,GGE,nobody\n";
    assert_int_equal(gca_norms_parse_objectives(&n, obj, strlen(obj), "o",
                                                &err),
                     0);
    assert_int_equal(n.nobjectives, 3);
    assert_string_equal(n.objectives[2].note, "nobody");
    static const struct {
        const char *text, *msg;
        int line, col;
    } bad_obj[] = {
        {"code,name\nx,X\n", "missing column 'source'", 1, 1},
        {"code,name,source\nSecure,X,s\n", "not 1 to 40", 2, 1},
        {"code,name,source\nnew,,s\n", "missing name", 2, 5},
        {"code,name,source\nnew,N,\n", "missing source", 2, 7},
        {"code,name,source\nnew,N,s\nnew,N,s\n", "twice", 3, 1},
        {"code,name,source\nopen,N,s\n", "twice", 2, 1},
    };
    for (size_t i = 0; i < sizeof bad_obj / sizeof *bad_obj; i++) {
        const char *t = bad_obj[i].text;
        gca_err_clear(&err);
        assert_int_not_equal(gca_norms_parse_objectives(&n, t, strlen(t),
                                                        "o", &err),
                             0);
        if (!strstr(err.msg, bad_obj[i].msg))
            fail_msg("objectives %zu: '%s'", i, err.msg);
        assert_int_equal(err.line, bad_obj[i].line);
        assert_int_equal(err.col, bad_obj[i].col);
        assert_int_equal(n.nobjectives, 3);
    }

    const char *sv = "norm,objective,rationale\n13(a),secure,r\n"
                     "13(e),open,r\n13(k),secure,r\n";
    assert_int_equal(gca_norms_parse_serves(&n, sv, strlen(sv), "l", &err),
                     0);
    static const struct {
        const char *text, *msg;
        int line, col;
    } bad_sv[] = {
        {"norm,objective,rationale\n13(q),secure,r\n", "unknown norm", 2, 1},
        {"norm,objective,rationale\n13(a),safe,r\n",
         "unknown objective 'safe'", 2, 7},
        {"norm,objective,rationale\n13(b),open,\n", "missing rationale", 2,
         12},
        {"norm,objective,rationale\n13(b),open,r\n13(b),open,r\n", "twice",
         3, 1},
        {"norm,objective\n13(b),open\n", "missing column 'rationale'", 1, 1},
    };
    for (size_t i = 0; i < sizeof bad_sv / sizeof *bad_sv; i++) {
        const char *t = bad_sv[i].text;
        gca_err_clear(&err);
        assert_int_not_equal(gca_norms_parse_serves(&n, t, strlen(t), "l",
                                                    &err),
                             0);
        if (!strstr(err.msg, bad_sv[i].msg))
            fail_msg("serves %zu: '%s'", i, err.msg);
        assert_int_equal(err.line, bad_sv[i].line);
        assert_int_equal(err.col, bad_sv[i].col);
        assert_int_equal(n.nserves, 3);
    }

    /* The matrix: accessible is served by no norm; 13(a), 13(e), 13(k)
     * serve one objective each, the other eight none. */
    assert_int_equal(gca_norms_objective_norms(&n, 0), 2);
    assert_int_equal(gca_norms_objective_norms(&n, 1), 1);
    assert_int_equal(gca_norms_objective_norms(&n, 2), 0);
    assert_true(gca_norms_serves_objective(&n, 4, 1));
    assert_false(gca_norms_serves_objective(&n, 4, 0));
    size_t orphans = 0;
    for (size_t i = 0; i < n.nnorms; i++)
        orphans += gca_norms_norm_objectives(&n, i) == 0;
    assert_int_equal(orphans, 8);
    gca_norms_release(&n);
}

/* The shipped files parse against the shipped GCI framework, every norm
 * has its place, and the analysis shows what the brief expects. */
static void test_shipped(void **state)
{
    static const char *const files[] = {"data/norms/crosswalk.csv",
                                        "data/norms/objectives.csv",
                                        "data/norms/norm_objectives.csv"};
    const gca__blob *b[3];
    gca_framework *fw = gci();
    gca_norms n;
    gca_err err = {0};
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        b[i] = gca__embedded(files[i]);
        assert_non_null(b[i]);
    }
    gca_norms_init(&n);
    add_norms(&n);
    assert_int_equal(gca_norms_parse_crosswalk(&n, b[0]->data, b[0]->len,
                                               files[0], fw, &err),
                     0);
    assert_int_equal(gca_norms_parse_objectives(&n, b[1]->data, b[1]->len,
                                                files[1], &err),
                     0);
    assert_int_equal(gca_norms_parse_serves(&n, b[2]->data, b[2]->len,
                                            files[2], &err),
                     0);
    /* 13(e) human rights has no GCI indicator; 13(k) has TEC.1 direct. */
    assert_int_equal(gca_norms_norm_links(&n, 4), 0);
    int k_tec1 = 0;
    for (size_t i = 0; i < n.nlinks; i++)
        if (n.links[i].norm == 10 && !strcmp(n.links[i].indicator, "TEC.1"))
            k_tec1 = n.links[i].strength == GCA_STRENGTH_DIRECT;
    assert_true(k_tec1);
    /* Every norm serves an objective; "accessible" is served by none. */
    for (size_t i = 0; i < n.nnorms; i++)
        assert_true(gca_norms_norm_objectives(&n, i) > 0);
    size_t uncovered = 0;
    for (size_t o = 0; o < n.nobjectives; o++)
        if (gca_norms_objective_norms(&n, o) == 0) {
            uncovered++;
            assert_string_equal(n.objectives[o].code, "accessible");
        }
    assert_int_equal(uncovered, 1);
    gca_norms_release(&n);
    gca_framework_free(fw);
}

/* ====== Data and classification ====== */

static void test_data_parse(void **state)
{
    gca_framework *fw = gci();
    gca_norms_data d = {0};
    gca_err err = {0};
    (void)state;
    const char *t = "uCode,uName,TEC.1,TEC.2\nFRA,France,0.75,NA\n"
                    "DEU,Germany,1,\n";
    assert_int_equal(gca_norms_data_parse(t, strlen(t), "d.csv", fw, &d,
                                          &err),
                     0);
    assert_int_equal(d.ncountries, 2);
    assert_int_equal(d.nindicators, 2);
    assert_string_equal(d.countries[0], "DEU"); /* sorted */
    assert_true(d.values[0] == 1.0);
    assert_true(isnan(d.values[1]));
    assert_true(d.values[2] == 0.75);
    assert_int_equal(gca_norms_data_find(&d, "FRA"), 1);
    assert_int_equal(gca_norms_data_find(&d, "ITA"), -1);
    gca_norms_data_release(&d);

    static const struct {
        const char *text, *msg;
        int line, col;
    } bad[] = {
        {"uName,TEC.1\nx,1\n", "missing column 'uCode'", 1, 1},
        {"uCode,TEC.9\nFRA,1\n", "'TEC.9' is not an indicator", 1, 7},
        {"uCode,TEC.1,TEC.1\nFRA,1,1\n", "twice", 1, 13},
        {"uCode,TEC.1\nfr,1\n", "not an ISO 3166-1", 2, 1},
        {"uCode,TEC.1\nFRA,1\nFRA,0\n", "country FRA appears twice", 3, 1},
        {"uCode,TEC.1\nFRA,1.5\n", "not a number from 0 to 1", 2, 5},
        {"uCode,TEC.1\nFRA,-0.1\n", "not a number from 0 to 1", 2, 5},
        {"uCode,TEC.1\nFRA,yes\n", "not a number", 2, 5},
        {"uCode,TEC.1\nFRA,\"NA\"\n", "not a number", 2, 5},
        {"uCode,TEC.1\nFRA,nan\n", "not a number", 2, 5},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t = bad[i].text;
        gca_err_clear(&err);
        assert_int_not_equal(gca_norms_data_parse(t, strlen(t), "d.csv", fw,
                                                  &d, &err),
                             0);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("data %zu: '%s'", i, err.msg);
        assert_int_equal(err.line, bad[i].line);
        assert_int_equal(err.col, bad[i].col);
        assert_int_equal(d.ncountries, 0);
    }
    gca_framework_free(fw);
}

static void test_link_state(void **state)
{
    static const struct {
        double v, lo, hi, th;
        gca_link_state want;
    } cases[] = {
        {0.5, 0, 1, 0.5, GCA_LINK_MET},
        {0.49, 0, 1, 0.5, GCA_LINK_WEAK},
        {0, 0, 1, 0.5, GCA_LINK_NOT_MET},
        {1, 0, 1, 1, GCA_LINK_MET},
        {50, 0, 100, 0.5, GCA_LINK_MET},
        {49.9, 0, 100, 0.5, GCA_LINK_WEAK},
        {12, 10, 20, 0.3, GCA_LINK_WEAK},
        {13, 10, 20, 0.3, GCA_LINK_MET},
        {10, 10, 20, 0.3, GCA_LINK_NOT_MET},
        {NAN, 0, 1, 0.5, GCA_LINK_NODATA},
        {0.5, 1, 1, 0.5, GCA_LINK_NODATA},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (gca_norms_link_state(cases[i].v, cases[i].lo, cases[i].hi,
                                 cases[i].th) != cases[i].want)
            fail_msg("link case %zu", i);
}

/* A hand-made case: 13(a) direct A + partial B; 13(b) partial B only;
 * 13(c) unmapped; values per country and the states worked out by hand
 * from the rules in docs/norms.md. */
static void test_classify(void **state)
{
    gca_framework *fw = gci();
    gca_norms n;
    gca_norms_data d = {0};
    gca_err err = {0};
    (void)state;
    gca_norms_init(&n);
    assert_int_equal(gca_norms_add(&n, "a", "13(a)", "A", &err), 0);
    assert_int_equal(gca_norms_add(&n, "b", "13(b)", "B", &err), 0);
    assert_int_equal(gca_norms_add(&n, "c", "13(c)", "C", &err), 0);
    assert_int_equal(cw(&n, fw, HDR "13(a),GCI,TEC.1,direct,r,s\n"
                                    "13(a),GCI,TEC.2,partial,r,s\n"
                                    "13(b),GCI,TEC.2,partial,r,s\n",
                        &err),
                     0);
    const char *t = "uCode,TEC.1,TEC.2\n"
                    "AAA,0.6,0\n"   /* direct met */
                    "BBB,0.2,0.9\n" /* direct weak, partial met */
                    "CCC,0.3,0\n"   /* only weak */
                    "DDD,0,0\n"     /* nothing */
                    "EEE,NA,NA\n"   /* no data */
                    "FFF,NA,0.5\n"; /* direct missing, partial met */
    assert_int_equal(gca_norms_data_parse(t, strlen(t), "d", fw, &d, &err),
                     0);
    static const gca_norm_state want[6][3] = {
        {GCA_NORM_IMPLEMENTED, GCA_NORM_GAP, GCA_NORM_UNMAPPED},
        {GCA_NORM_PARTIAL, GCA_NORM_PARTIAL, GCA_NORM_UNMAPPED},
        {GCA_NORM_PARTIAL, GCA_NORM_GAP, GCA_NORM_UNMAPPED},
        {GCA_NORM_GAP, GCA_NORM_GAP, GCA_NORM_UNMAPPED},
        {GCA_NORM_NODATA, GCA_NORM_NODATA, GCA_NORM_UNMAPPED},
        {GCA_NORM_PARTIAL, GCA_NORM_PARTIAL, GCA_NORM_UNMAPPED},
    };
    gca_link_state ls[3];
    for (size_t k = 0; k < 6; k++) {
        for (size_t l = 0; l < 3; l++)
            (void)gca_norms_link_value(&n, l, &d, k, 0.5, &ls[l]);
        for (size_t i = 0; i < 3; i++)
            if (gca_norms_norm_state(&n, i, ls) != want[k][i])
                fail_msg("%s norm %zu: %s", d.countries[k], i,
                         gca_norm_state_name(gca_norms_norm_state(&n, i,
                                                                  ls)));
    }
    /* A higher threshold turns AAA's 0.6 into weak: partial. */
    for (size_t l = 0; l < 3; l++)
        (void)gca_norms_link_value(&n, l, &d, 0, 0.7, &ls[l]);
    assert_int_equal(gca_norms_norm_state(&n, 0, ls), GCA_NORM_PARTIAL);
    assert_string_equal(gca_norm_state_name(GCA_NORM_NODATA), "no data");
    assert_string_equal(gca_link_state_name(GCA_LINK_WEAK), "weak");
    gca_norms_data_release(&d);
    gca_norms_release(&n);
    gca_framework_free(fw);
}

/* Every allocation of the parsers may fail: the result is then
 * GCA_ENOMEM with nothing added and nothing leaked. */
static void test_nomem(void **state)
{
    const gca__blob *cwb = gca__embedded("data/norms/crosswalk.csv");
    const gca__blob *ob = gca__embedded("data/norms/objectives.csv");
    const gca__blob *sb = gca__embedded("data/norms/norm_objectives.csv");
    const char *data = "uCode,TEC.1,TEC.2\nFRA,1,NA\nDEU,0,0.5\n";
    gca_framework *fw = gci();
    int done = 0;
    (void)state;
    for (long k = 1; k < 100000 && !done; k++) {
        gca_norms n;
        gca_norms_data d = {0};
        gca_err err = {0};
        gca_norms_init(&n);
        gca_alloc_fail_after(k);
        int rc = 0;
        for (char c = 'a'; c <= 'k' && rc == 0; c++) {
            char para[6] = {'1', '3', '(', c, ')', '\0'};
            rc = gca_norms_add(&n, "id", para, "t", &err);
        }
        if (rc == 0)
            rc = gca_norms_parse_crosswalk(&n, cwb->data, cwb->len, "c", fw,
                                           &err);
        if (rc == 0)
            rc = gca_norms_parse_objectives(&n, ob->data, ob->len, "o",
                                            &err);
        if (rc == 0)
            rc = gca_norms_parse_serves(&n, sb->data, sb->len, "s", &err);
        if (rc == 0)
            rc = gca_norms_data_parse(data, strlen(data), "d", fw, &d, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            done = 1;
            assert_int_equal(n.nserves, 25);
            assert_int_equal(d.ncountries, 2);
        } else {
            assert_int_equal(rc, GCA_ENOMEM);
            assert_int_equal(d.ncountries, 0);
        }
        gca_norms_data_release(&d);
        gca_norms_release(&n);
    }
    assert_true(done);
    gca_framework_free(fw);
}

/* ====== The store ====== */

static void test_store(void **state)
{
    char dir[] = "/tmp/gca-test-norms-XXXXXX", db[64];
    gca_store *st = NULL;
    gca_err err = {0};
    gca_norms n;
    gca_norms_data d = {0};
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/gca.db", dir);
    assert_int_equal(gca_store_open(db, GCA_STORE_CREATE, &st, &err), 0);
    assert_int_equal(gca_store_migrate(st, NULL, &err), 0);
    assert_int_equal(gca_store_load_shipped(st, &err), 0);
    gca_norms_init(&n);
    assert_int_equal(gca_norms_load_kb(st, &n, &err), 0);
    assert_int_equal(n.nnorms, 11); /* data/kb/norms.csv */
    gca_norms_release(&n);
    /* Without the shipped entries: none. */
    assert_int_equal(st->be->exec(st->conn, "DELETE FROM kb_entries", &err),
                     0);
    assert_int_equal(gca_norms_load_kb(st, &n, &err), 0);
    assert_int_equal(n.nnorms, 0);
    /* Norm rows as the knowledge-base importer writes them, and one
     * entry of another kind that must not be read. */
    assert_int_equal(
        st->be->exec(st->conn,
                     "INSERT INTO kb_entries (id, kind, subtype, title, "
                     "source, origin, updated_at) VALUES "
                     "('norm/GGE15-K', 'norm', '13(k)', 'K', 's', 't', 'x'),"
                     "('norm/GGE15-A', 'norm', '13(a)', 'A', 's', 't', 'x'),"
                     "('std/x', 'standard', '', 'S', 's', 't', 'x')",
                     &err),
        0);
    assert_int_equal(gca_norms_load_kb(st, &n, &err), 0);
    assert_int_equal(n.nnorms, 2);
    assert_string_equal(n.norms[0].para, "13(a)");
    assert_string_equal(n.norms[1].id, "norm/GGE15-K");
    /* A malformed paragraph stored by someone else: refused, nothing
     * added. */
    assert_int_equal(
        st->be->exec(st->conn,
                     "INSERT INTO kb_entries (id, kind, subtype, title, "
                     "source, origin, updated_at) VALUES "
                     "('norm/X', 'norm', 'thirteen', 'X', 's', 't', 'x')",
                     &err),
        0);
    gca_norms_release(&n);
    assert_int_equal(gca_norms_load_kb(st, &n, &err), GCA_EINVAL);
    assert_int_equal(n.nnorms, 0);

    /* Editions: unknown, and not scored. */
    gca_err_clear(&err);
    assert_int_equal(gca_norms_edition_data(st, "nope", &d, NULL, &err),
                     GCA_ENOTFOUND);
    gca_err_clear(&err);
    assert_int_equal(gca_user_add(st, NULL, "admin", "admin", NULL, NULL,
                                  &err),
                     0);
    assert_int_equal(gca_edition_create(st, "admin", "gci", 2026, NULL,
                                        NULL, &err),
                     0);
    assert_int_equal(gca_norms_edition_data(st, "gci-2026", &d, NULL, &err),
                     GCA_ESTATE);
    assert_non_null(strstr(err.msg, "gca score"));
    gca_norms_release(&n);
    gca_store_close(st);
    assert_int_equal(tu_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_norm),
        cmocka_unit_test(test_crosswalk_ok),
        cmocka_unit_test(test_crosswalk_bad),
        cmocka_unit_test(test_crosswalk_oversized),
        cmocka_unit_test(test_objectives_and_serves),
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_data_parse),
        cmocka_unit_test(test_link_state),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_nomem),
        cmocka_unit_test(test_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
