/* test_framework.c - frameworks as data: the JSON reader against COINr's
 * iMeta (asem.json vs asem_iMeta.csv), round trips through both writers,
 * cut and exclude, the shipped gci.json, and one case per JSON error
 * class and per validation rule (code, line, rule named). Format:
 * docs/framework-format.md. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gca.h"
#include "core/buf.h"
#include "core/fs.h"
#include "model/framework.h"
#include "testutil.h"

static gca_framework *load(const char *rel)
{
    gca_framework *fw = NULL;
    gca_err err = {0};
    int rc = gca_framework_load(tu_path(rel), &fw, NULL, &err);
    if (rc < 0)
        fail_msg("%s: %s (line %d)", rel, err.msg, err.line);
    return fw;
}

static gca_framework *load_text(const char *text)
{
    gca_framework *fw = NULL;
    gca_err err = {0};
    int rc = gca_framework_load_mem(text, strlen(text), "t.json", &fw, NULL,
                                    &err);
    if (rc < 0)
        fail_msg("t.json: %s (line %d)", err.msg, err.line);
    return fw;
}

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *parent_code(const gca_framework *fw, const gca_node *n)
{
    return n->parent < 0 ? NULL : gca_framework_node_at(fw, n->parent)->code;
}

/* Same nodes (by code, in the same order), links, numbers and columns. */
static void assert_same_tree(const gca_framework *a, const gca_framework *b)
{
    assert_int_equal(gca_framework_nnodes(a), gca_framework_nnodes(b));
    assert_int_equal(gca_framework_nlevels(a), gca_framework_nlevels(b));
    for (size_t i = 0; i < gca_framework_nnodes(a); i++) {
        const gca_node *x = gca_framework_node_at(a, i);
        const gca_node *y = gca_framework_node_at(b, i);
        assert_string_equal(x->code, y->code);
        assert_string_equal(x->name, y->name);
        assert_true(same_str(parent_code(a, x), parent_code(b, y)));
        assert_int_equal(x->level, y->level);
        assert_int_equal(x->type, y->type);
        assert_true(x->weight == y->weight);
        assert_int_equal(x->direction, y->direction);
        assert_true(same_num(x->target, y->target));
        assert_true(same_str(x->denominator, y->denominator));
        assert_true(same_str(x->unit, y->unit));
        assert_int_equal(x->nparams, y->nparams);
        for (size_t k = 0; k < x->nparams; k++) {
            assert_string_equal(x->params[k].name, y->params[k].name);
            assert_true(x->params[k].value == y->params[k].value);
        }
        assert_int_equal(x->nchildren, y->nchildren);
    }
    assert_int_equal(gca_framework_top(a), gca_framework_top(b));
    assert_int_equal(gca_framework_ncolumns(a), gca_framework_ncolumns(b));
    for (size_t i = 0; i < gca_framework_ncolumns(a); i++) {
        const gca_column *x = gca_framework_column_at(a, i);
        const gca_column *y = gca_framework_column_at(b, i);
        assert_string_equal(x->code, y->code);
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->type, y->type);
        assert_true(same_str(x->unit, y->unit));
    }
}

/* ====== ASEM: JSON against COINr's iMeta ====== */

static void test_asem_json_matches_imeta(void **state)
{
    (void)state;
    gca_framework *js = load("data/frameworks/asem.json");
    gca_framework *csv = load("tests/oracle/data/asem_iMeta.csv");
    assert_same_tree(js, csv);
    assert_string_equal(gca_framework_code(js), "ASEM");
    assert_int_equal(gca_framework_nlevels(js), 4);
    assert_string_equal(gca_framework_level_name(js, 1), "Indicator");
    assert_string_equal(gca_framework_level_name(js, 2), "Pillar");
    assert_string_equal(gca_framework_level_name(js, 3), "Sub-index");
    assert_string_equal(gca_framework_level_name(js, 4), "Index");
    assert_int_equal(gca_framework_ties(js), GCA_TIES_MIN);
    assert_string_equal(gca_framework_node_at(js, gca_framework_top(js))->code,
                        "Index");
    assert_int_equal(gca_framework_ncolumns(js), 8);
    gca_framework_free(js);
    gca_framework_free(csv);
}

/* Check the oracle directly too, not only JSON against our iMeta reader:
 * every row of asem_iMeta.csv is in asem.json with the same values. */
static void test_asem_json_against_oracle_table(void **state)
{
    (void)state;
    tu_table t;
    tu_table_load(&t, "tests/oracle/data/asem_iMeta.csv");
    gca_framework *fw = load("data/frameworks/asem.json");
    int ccode = tu_col(&t, "iCode"), cpar = tu_col(&t, "Parent");
    int clev = tu_col(&t, "Level"), cw = tu_col(&t, "Weight");
    int cdir = tu_col(&t, "Direction"), ctarg = tu_col(&t, "Target");
    int cden = tu_col(&t, "Denominator"), ctype = tu_col(&t, "Type");
    size_t nodes = 0;
    for (size_t r = 1; r <= t.csv.nrow; r++) {
        const char *type = tu_cell(&t, r, (size_t)ctype);
        const char *code = tu_cell(&t, r, (size_t)ccode);
        if (strcmp(type, "Indicator") && strcmp(type, "Aggregate")) {
            assert_non_null(gca_framework_column(fw, code));
            continue;
        }
        nodes++;
        const gca_node *n = gca_framework_node(fw, code);
        assert_non_null(n);
        assert_int_equal(n->type, strcmp(type, "Indicator")
                                      ? GCA_NODE_AGGREGATE
                                      : GCA_NODE_INDICATOR);
        assert_true(n->level == tu_num(&t, r, (size_t)clev));
        assert_true(n->weight == tu_num(&t, r, (size_t)cw));
        assert_true(n->direction == tu_num(&t, r, (size_t)cdir));
        assert_true(tu_close(n->target, tu_num(&t, r, (size_t)ctarg), 0, 0));
        const char *par = tu_cell(&t, r, (size_t)cpar);
        if (!strcmp(par, "NA"))
            assert_int_equal(n->parent, -1);
        else
            assert_string_equal(parent_code(fw, n), par);
        const char *den = tu_cell(&t, r, (size_t)cden);
        if (!strcmp(den, "NA"))
            assert_null(n->denominator);
        else
            assert_string_equal(n->denominator, den);
    }
    assert_int_equal(nodes, gca_framework_nnodes(fw));
    gca_framework_free(fw);
    tu_table_release(&t);
}

/* The reader's node lines: each node's line holds its code. */
static void test_node_lines(void **state)
{
    (void)state;
    gca_buf text = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
    gca_err err = {0};
    assert_int_equal(gca_file_read(tu_path("data/frameworks/gci.json"),
                                   &text, &err), 0);
    gca_framework *fw = load("data/frameworks/gci.json");
    for (size_t i = 0; i < gca_framework_nnodes(fw); i++) {
        const gca_node *n = gca_framework_node_at(fw, i);
        const char *p = gca_buf_str(&text);
        for (int l = 1; l < n->line && p; l++) {
            p = strchr(p, '\n');
            p = p ? p + 1 : NULL;
        }
        assert_non_null(p);
        char want[200];
        snprintf(want, sizeof want, "{\"code\": \"%s\"", n->code);
        assert_memory_equal(p + 4, want, strlen(want));
        for (size_t k = 0; k < n->nquestions; k++)
            assert_int_equal(n->questions[k].line, n->line + 1 + (int)k);
    }
    gca_framework_free(fw);
    gca_buf_release(&text);
}

/* ====== Round trips ====== */

static void test_json_round_trip(void **state)
{
    (void)state;
    static const char *const files[] = {"data/frameworks/asem.json",
                                        "data/frameworks/gci.json"};
    for (size_t f = 0; f < GCA_COUNT(files); f++) {
        gca_framework *a = load(files[f]), *b;
        gca_err err = {0};
        char *t1, *t2;
        size_t n1, n2;
        assert_int_equal(gca_framework_to_json(a, &t1, &n1, &err), 0);
        b = load_text(t1);
        assert_same_tree(a, b);
        assert_int_equal(gca_framework_to_json(b, &t2, &n2, &err), 0);
        assert_int_equal(n1, n2);
        assert_string_equal(t1, t2);
        /* Shipped files are kept in canonical form. */
        gca_buf file = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
        assert_int_equal(gca_file_read(tu_path(files[f]), &file, &err), 0);
        assert_string_equal(gca_buf_str(&file), t1);
        gca_buf_release(&file);
        gca_free(t1);
        gca_free(t2);
        gca_framework_free(a);
        gca_framework_free(b);
    }
}

static void test_imeta_round_trip(void **state)
{
    (void)state;
    gca_framework *a = load("tests/oracle/data/asem_iMeta.csv"), *b = NULL;
    gca_err err = {0};
    char *text;
    size_t len;
    assert_int_equal(gca_framework_to_imeta(a, &text, &len, &err), 0);
    assert_int_equal(strlen(text), len);
    assert_int_equal(gca_framework_load_mem(text, len, "asem_iMeta.csv", &b,
                                            NULL, &err), 0);
    assert_same_tree(a, b);
    assert_non_null(strstr(text, "\n1,LPI,Logistics Performance Index,1,1,"
                                 "Score 1-5,4.11803135,NA,Physical,"
                                 "Indicator\n"));
    gca_free(text);
    gca_framework_free(a);
    gca_framework_free(b);
}

/* Parameters become extra iMeta columns and come back as parameters. */
static void test_imeta_params(void **state)
{
    (void)state;
    static const char json[] =
        "{\"code\": \"P\", \"nodes\": [\n"
        "{\"code\": \"a\", \"parent\": \"T\", \"params\": "
        "{\"goalpost_lower\": 1.5, \"goalpost_upper\": 9}},\n"
        "{\"code\": \"b\", \"parent\": \"T\", \"params\": "
        "{\"goalpost_upper\": 7}},\n"
        "{\"code\": \"T\"}]}";
    gca_framework *a = load_text(json), *b = NULL;
    gca_err err = {0};
    char *text;
    size_t len;
    assert_int_equal(gca_framework_to_imeta(a, &text, &len, &err), 0);
    assert_non_null(strstr(text, "Parent,Type,goalpost_lower,"
                                 "goalpost_upper\n"));
    assert_non_null(strstr(text, "1,b,b,1,1,NA,NA,NA,T,Indicator,NA,7\n"));
    assert_int_equal(gca_framework_load_mem(text, len, "p.csv", &b, NULL,
                                            &err), 0);
    const gca_node *nb = gca_framework_node(b, "a");
    assert_int_equal(nb->nparams, 2);
    assert_true(gca__node_param(nb, "goalpost_lower") == 1.5);
    assert_true(gca__node_param(nb, "goalpost_upper") == 9);
    nb = gca_framework_node(b, "b");
    assert_int_equal(nb->nparams, 1);
    gca_free(text);
    gca_framework_free(a);
    gca_framework_free(b);
}

/* ====== Cut and exclude ====== */

static void test_cut(void **state)
{
    (void)state;
    gca_framework *fw = load("data/frameworks/asem.json"), *cut = NULL;
    gca_err err = {0};
    assert_int_equal(gca_framework_cut(fw, 2, &cut, &err), 0);
    assert_int_equal(gca_framework_nnodes(cut), 11);
    assert_int_equal(gca_framework_nlevels(cut), 3);
    assert_string_equal(gca_framework_level_name(cut, 1), "Pillar");
    assert_string_equal(gca_framework_level_name(cut, 3), "Index");
    size_t nind = 0;
    for (size_t i = 0; i < gca_framework_nnodes(cut); i++) {
        const gca_node *n = gca_framework_node_at(cut, i);
        const gca_node *o = gca_framework_node(fw, n->code);
        assert_non_null(o);
        assert_int_equal(n->level, o->level - 1);
        if (o->level == 2) {
            assert_int_equal(n->type, GCA_NODE_INDICATOR);
            nind++;
        }
        assert_true(n->weight == o->weight);
        assert_true(same_str(parent_code(cut, n), parent_code(fw, o)));
    }
    assert_int_equal(nind, 8);
    assert_non_null(gca_framework_node(cut, "Physical"));
    assert_null(gca_framework_node(cut, "LPI"));
    gca_framework_free(cut);

    /* Cutting at the top leaves one node, both indicator and top. */
    cut = NULL;
    assert_int_equal(gca_framework_cut(fw, 4, &cut, &err), 0);
    assert_int_equal(gca_framework_nnodes(cut), 1);
    assert_string_equal(gca_framework_level_name(cut, 1), "Index");
    gca_framework_free(cut);

    cut = NULL;
    assert_int_equal(gca_framework_cut(fw, 5, &cut, &err), GCA_EINVAL);
    assert_null(cut);
    assert_non_null(strstr(err.msg, "level 5"));
    gca_framework_free(fw);
}

static void test_exclude(void **state)
{
    (void)state;
    static const char *const physical[] = {"LPI",  "Flights", "Ship",
                                           "Bord", "Elec",    "Gas",
                                           "ConSpeed", "Cov4G"};
    gca_framework *fw = load("data/frameworks/asem.json"), *ex = NULL;
    gca_err err = {0};
    const char *one[] = {"LPI"};
    assert_int_equal(gca_framework_exclude(fw, one, 1, &ex, &err), 0);
    assert_int_equal(gca_framework_nnodes(ex), 59);
    assert_null(gca_framework_node(ex, "LPI"));
    assert_int_equal(gca_framework_node(ex, "Physical")->nchildren, 7);
    gca_framework_free(ex);

    /* A whole pillar: the pillar goes, its sub-index stays. */
    ex = NULL;
    assert_int_equal(gca_framework_exclude(fw, physical, 8, &ex, &err), 0);
    assert_int_equal(gca_framework_nnodes(ex), 60 - 9);
    assert_null(gca_framework_node(ex, "Physical"));
    assert_int_equal(gca_framework_node(ex, "Conn")->nchildren, 4);
    gca_framework_free(ex);

    ex = NULL;
    const char *unknown[] = {"LPI", "NoSuch"};
    assert_int_equal(gca_framework_exclude(fw, unknown, 2, &ex, &err),
                     GCA_ENOTFOUND);
    assert_non_null(strstr(err.msg, "'NoSuch'"));
    assert_null(ex);

    gca_err_clear(&err);
    const char *agg[] = {"Physical"};
    assert_int_equal(gca_framework_exclude(fw, agg, 1, &ex, &err),
                     GCA_EINVAL);
    assert_non_null(strstr(err.msg, "'Physical'"));

    /* Excluding every indicator leaves nothing to build. */
    const char *all[64];
    size_t n = 0;
    for (size_t i = 0; i < gca_framework_nnodes(fw); i++)
        if (gca_framework_node_at(fw, i)->type == GCA_NODE_INDICATOR)
            all[n++] = gca_framework_node_at(fw, i)->code;
    assert_int_equal(n, 49);
    gca_err_clear(&err);
    assert_true(gca_framework_exclude(fw, all, n, &ex, &err) < 0);
    assert_non_null(strstr(err.msg, "no indicator"));
    assert_null(ex);
    gca_framework_free(fw);
}

/* ====== GCI ====== */

static void test_gci(void **state)
{
    (void)state;
    static const char *const pillars[] = {"LEG", "TEC", "ORG", "CAP", "COO"};
    gca_framework *fw = load("data/frameworks/gci.json");
    assert_string_equal(gca_framework_code(fw), "GCI");
    assert_int_equal(gca_framework_nlevels(fw), 3);
    assert_string_equal(gca_framework_level_name(fw, 2), "Pillar");
    const gca_node *top = gca_framework_node_at(fw, gca_framework_top(fw));
    assert_string_equal(top->code, "GCI");
    assert_int_equal(top->nchildren, 5);
    for (size_t i = 0; i < GCA_COUNT(pillars); i++) {
        const gca_node *p = gca_framework_node(fw, pillars[i]);
        assert_non_null(p);
        assert_int_equal(p->level, 2);
        assert_true(p->score_min == 0 && p->score_max == 20);
        assert_true(p->weight == 1);
    }
    const gca_node *leg1 = gca_framework_node(fw, "LEG.1");
    assert_int_equal(leg1->nquestions, 2);
    assert_string_equal(leg1->questions[0].code, "LEG.1.1");
    assert_int_equal(leg1->questions[0].type, GCA_ANSWER_YESNO);
    assert_string_equal(leg1->status, "seen; weight not public");
    assert_non_null(strstr(gca_framework_node(fw, "COO.5")->status,
                           "unverified: recalled"));
    assert_int_equal(gca_framework_ties(fw), GCA_TIES_DENSE);
    assert_int_equal(gca_framework_ntiers(fw), 5);
    assert_string_equal(gca_framework_tier_of(fw, 100)->code, "T1");
    assert_string_equal(gca_framework_tier_of(fw, 95)->code, "T1");
    assert_string_equal(gca_framework_tier_of(fw, 94.99)->name, "Advancing");
    assert_string_equal(gca_framework_tier_of(fw, 0)->name, "Building");
    assert_non_null(strstr(gca_framework_tier_at(fw, 0)->status,
                           "unverified: thresholds recalled"));
    assert_non_null(strstr(gca_framework_method_json(fw), "\"a_sum\""));
    gca_framework_free(fw);
}

/* Derived types and levels, defaults, BOM, weight sets. */
static void test_defaults(void **state)
{
    (void)state;
    static const char json[] =
        "\xEF\xBB\xBF{\"code\": \"D\", \"nodes\": [\n"
        "{\"code\": \"a\", \"parent\": \"P\", \"direction\": -1},\n"
        "{\"code\": \"b\", \"parent\": \"Q\"},\n"
        "{\"code\": \"P\", \"parent\": \"T\"},\n"
        "{\"code\": \"Q\", \"parent\": \"T\", \"weight\": 2},\n"
        "{\"code\": \"T\"}],\n"
        "\"weight_sets\": {\"equal\": {\"Q\": 1}}}";
    gca_framework *fw = load_text(json);
    const gca_node *a = gca_framework_node(fw, "a");
    assert_int_equal(a->type, GCA_NODE_INDICATOR);
    assert_int_equal(a->level, 1);
    assert_int_equal(a->direction, -1);
    assert_true(a->weight == 1);
    assert_string_equal(a->name, "a");
    assert_true(isnan(a->target));
    assert_int_equal(gca_framework_node(fw, "Q")->type, GCA_NODE_AGGREGATE);
    assert_int_equal(gca_framework_node(fw, "T")->level, 3);
    assert_int_equal(gca_framework_nlevels(fw), 3);
    assert_string_equal(gca_framework_level_name(fw, 2), "Level_2");
    double w = 0;
    assert_int_equal(gca_framework_weight_set(fw, "equal", "Q", &w), 0);
    assert_true(w == 1);
    assert_int_equal(gca_framework_weight_set(fw, "equal", "P", &w), 0);
    assert_true(isnan(w));
    assert_int_equal(gca_framework_weight_set(fw, "none", "P", &w),
                     GCA_ENOTFOUND);
    assert_null(gca_framework_method_json(fw));
    gca_framework_free(fw);
}

/* ====== Errors: one case per class and per rule ====== */

/* Four nodes, one per line from line 2: a and b under P under T. The
 * cases below replace one line. */
#define L1 "{\"code\": \"X\", \"nodes\": [\n"
#define NA "{\"code\": \"a\", \"parent\": \"P\"},\n"
#define NB "{\"code\": \"b\", \"parent\": \"P\"},\n"
#define NP "{\"code\": \"P\", \"parent\": \"T\"},\n"
#define NT "{\"code\": \"T\"}\n"
#define END "]}"

static const struct {
    const char *name;
    const char *text;
    int code;
    int line;       /* of the message that names the rule */
    const char *m1; /* substrings of that message */
    const char *m2;
} bad[] = {
    {"syntax", L1 NA "{\"code\": \"b\" \"parent\": \"P\"},\n" NP NT END,
     GCA_EPARSE, 3, "expected", NULL},
    {"unknown key", L1 NA "{\"code\": \"b\", \"parent\": \"P\", \"wieght\": "
     "2},\n" NP NT END, GCA_EPARSE, 3, "unknown key 'wieght'", "node 'b'"},
    {"unknown top key", L1 NA NB NP NT "],\n\"tier\": []}", GCA_EPARSE, 7,
     "unknown key 'tier'", "framework"},
    {"duplicate key", L1 "{\"code\": \"a\", \"code\": \"b\"},\n" NP NT END,
     GCA_EPARSE, 2, "duplicate", NULL},
    {"wrong type", L1 NA "{\"code\": \"b\", \"parent\": \"P\", \"weight\": "
     "\"2\"},\n" NP NT END, GCA_EPARSE, 3, "'weight' of node 'b'",
     "must be a number"},
    {"wrong type level", L1 NA NB "{\"code\": \"P\", \"parent\": \"T\", "
     "\"level\": 2.5},\n" NT END, GCA_EPARSE, 4, "'level' of node 'P'",
     "whole number"},
    {"bad enum", L1 NA "{\"code\": \"b\", \"parent\": \"P\", \"type\": "
     "\"leaf\"},\n" NP NT END, GCA_EPARSE, 3, "'type' of node 'b'",
     "indicator, aggregate"},
    {"missing code", L1 NA "{\"parent\": \"P\"},\n" NP NT END, GCA_EPARSE, 3,
     "'code' of node 2", "missing"},
    {"nodes missing", "{\"code\": \"X\"}", GCA_EPARSE, 1, "'nodes'",
     "missing"},
    {"duplicate code", L1 NA "{\"code\": \"a\", \"parent\": \"P\"},\n" NP NT
     END, GCA_EFRAMEWORK, 3, "'a'", "rule: unique codes"},
    {"missing parent", L1 NA "{\"code\": \"b\", \"parent\": \"Q\"},\n" NP NT
     END, GCA_EFRAMEWORK, 3, "'Q'", "rule: missing parent"},
    {"cycle", L1 NA "{\"code\": \"P\", \"parent\": \"Q\"},\n"
     "{\"code\": \"Q\", \"parent\": \"P\"}\n" END, GCA_EFRAMEWORK, 3, "'P'",
     "rule: cycle"},
    {"orphan", L1 NA "{\"code\": \"b\"},\n" NP NT END, GCA_EFRAMEWORK, 3,
     "'b'", "rule: orphan"},
    {"level gap", L1 "{\"code\": \"a\", \"level\": 1, \"parent\": \"P\"},\n"
     "{\"code\": \"P\", \"level\": 3}\n" END, GCA_EFRAMEWORK, 0, "level 2",
     "rule: consecutive levels"},
    {"parent one level up", L1 "{\"code\": \"a\", \"level\": 1, \"parent\": "
     "\"P\"},\n{\"code\": \"P\", \"level\": 3}\n" END, GCA_EFRAMEWORK, 2,
     "'P' of 'a'", "rule: parent one level up"},
    {"two top nodes", L1 NA "{\"code\": \"b\", \"parent\": \"Q\"},\n"
     "{\"code\": \"P\"},\n{\"code\": \"Q\"}\n" END, GCA_EFRAMEWORK, 5, "'Q'",
     "rule: one top node"},
    {"direction 0", L1 NA "{\"code\": \"b\", \"parent\": \"P\", "
     "\"direction\": 0},\n" NP NT END, GCA_EFRAMEWORK, 3, "'b'",
     "rule: direction"},
    {"code with space", L1 NA "{\"code\": \"b c\", \"parent\": \"P\"},\n" NP
     NT END, GCA_EFRAMEWORK, 3, "'b c' contains a space", "rule: codes"},
    {"code starts with digit", L1 NA "{\"code\": \"9b\", \"parent\": "
     "\"P\"},\n" NP NT END, GCA_EFRAMEWORK, 3, "'9b' starts with a digit",
     "rule: codes"},
    {"aggregate without children", L1 NA NB NP
     "{\"code\": \"E\", \"type\": \"aggregate\", \"parent\": \"T\"},\n" NT
     END, GCA_EFRAMEWORK, 5, "'E'", "rule: aggregates have children"},
    {"indicator above level 1", L1 "{\"code\": \"a\", \"level\": 1, "
     "\"parent\": \"P\"},\n{\"code\": \"b\", \"level\": 2, \"type\": "
     "\"indicator\", \"parent\": \"T\"},\n{\"code\": \"P\", \"level\": 2, "
     "\"parent\": \"T\"},\n{\"code\": \"T\", \"level\": 3}\n" END,
     GCA_EFRAMEWORK, 3, "'b'", "rule: indicators at level 1"},
    {"negative weight", L1 NA "{\"code\": \"b\", \"parent\": \"P\", "
     "\"weight\": -1},\n" NP NT END, GCA_EFRAMEWORK, 3, "'b'",
     "rule: weights"},
    {"unknown denominator", L1 NA "{\"code\": \"b\", \"parent\": \"P\", "
     "\"denominator\": \"pop\"},\n" NP NT END, GCA_EFRAMEWORK, 3, "'pop'",
     "rule: denominators"},
    {"overlapping tiers", L1 NA NB NP NT "],\n\"tiers\": [{\"code\": \"A\", "
     "\"min\": 0, \"max\": 60}, {\"code\": \"B\", \"min\": 50, \"max\": "
     "100}]}", GCA_EFRAMEWORK, 0, "'A' and 'B'", "rule: tiers"},
    {"level names", L1 NA NB NP NT "],\n\"levels\": [\"Indicator\", "
     "\"Pillar\"]}", GCA_EFRAMEWORK, 7, "2 level names for 3 levels",
     "rule: levels"},
    {"levels on some nodes", L1 NA "{\"code\": \"b\", \"parent\": \"P\", "
     "\"level\": 1},\n" NP NT END, GCA_EFRAMEWORK, 3, "'b'", "rule: levels"},
    {"choice without choices", L1 NA "{\"code\": \"b\", \"parent\": \"P\", "
     "\"questions\": [\n{\"code\": \"q1\", \"type\": \"yesno\"},\n"
     "{\"code\": \"q2\", \"type\": \"choice\"}]},\n" NP NT END,
     GCA_EFRAMEWORK, 5, "'q2'", "rule: questions"},
    {"question key", L1 NA "{\"code\": \"b\", \"parent\": \"P\", "
     "\"questions\": [\n{\"code\": \"q1\", \"type\": \"yesno\", \"txt\": "
     "\"?\"}]},\n" NP NT END, GCA_EPARSE, 4, "unknown key 'txt'",
     "question 'q1'"},
    {"weight set", L1 NA NB NP NT "],\n\"weight_sets\": {\"w\": "
     "{\"Z\": 1}}}", GCA_EFRAMEWORK, 7, "'Z'", "rule: weight sets"},
    {"column type", L1 NA NB NP NT "],\n\"columns\": [\n{\"code\": \"pop\", "
     "\"type\": \"number\"}]}", GCA_EPARSE, 8, "'type' of column 'pop'",
     "group, denominator, other"},
    {"too deep", L1 NA NB "{\"code\": \"P\", \"parent\": \"T\", \"level\": "
     "33},\n" NT END, GCA_ETOOBIG, 4, "'P'", "at most 32"},
    {"too many level names", "{\"code\": \"X\", \"levels\": [\"1\",\"2\","
     "\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\",\"13\","
     "\"14\",\"15\",\"16\",\"17\",\"18\",\"19\",\"20\",\"21\",\"22\",\"23\","
     "\"24\",\"25\",\"26\",\"27\",\"28\",\"29\",\"30\",\"31\",\"32\","
     "\"33\"],\n\"nodes\": []}", GCA_ETOOBIG, 1, "33 level names", NULL},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(bad); i++) {
        gca_framework *fw = NULL;
        gca_errlist all = GCA_ERRLIST_INIT;
        gca_err err = {0};
        int rc = gca_framework_load_mem(bad[i].text, strlen(bad[i].text),
                                        "t.json", &fw, &all, &err);
        if (rc != bad[i].code)
            fail_msg("%s: got %d (%s, line %d), want %d", bad[i].name, rc,
                     err.msg, err.line, bad[i].code);
        assert_null(fw);
        assert_string_equal(err.source, "t.json");
        assert_true(err.msg[0] != '\0');
        int found = 0;
        for (size_t k = 0; k < all.n && !found; k++)
            found = all.v[k].line == bad[i].line &&
                    strstr(all.v[k].msg, bad[i].m1) &&
                    (!bad[i].m2 || strstr(all.v[k].msg, bad[i].m2));
        if (!found) {
            for (size_t k = 0; k < all.n; k++)
                print_message("  %d: %s\n", all.v[k].line, all.v[k].msg);
            fail_msg("%s: no message at line %d with '%s'", bad[i].name,
                     bad[i].line, bad[i].m1);
        }
        gca_errlist_release(&all);
    }
}

static void test_syntax_position(void **state)
{
    (void)state;
    gca_framework *fw = NULL;
    gca_err err = {0};
    const char *t = bad[0].text;
    assert_int_equal(gca_framework_load_mem(t, strlen(t), "t.json", &fw,
                                            NULL, &err), GCA_EPARSE);
    assert_int_equal(err.line, 3);
    assert_true(err.col > 0);
}

/* A code over GCA_MAX_CODE bytes, and more than GCA_MAX_NODES nodes. */
static void test_too_big(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
    gca_framework *fw = NULL;
    gca_err err = {0};
    gca_buf_puts(&b, "{\"code\": \"X\", \"nodes\": [\n{\"code\": \"");
    for (int i = 0; i < GCA_MAX_CODE + 1; i++)
        gca_buf_putc(&b, 'c');
    gca_buf_puts(&b, "\"}]}");
    assert_int_equal(gca_framework_load_mem(gca_buf_str(&b), b.len, "t.json",
                                            &fw, NULL, &err), GCA_ETOOBIG);
    assert_int_equal(err.line, 2);

    gca_buf_reset(&b);
    gca_err_clear(&err);
    gca_buf_puts(&b, "{\"code\": \"X\", \"nodes\": [");
    for (int i = 0; i <= GCA_MAX_NODES; i++)
        gca_buf_puts(&b, i ? ",{}" : "{}");
    gca_buf_puts(&b, "]}");
    assert_int_equal(gca_buf_error(&b), 0);
    assert_int_equal(gca_framework_load_mem(gca_buf_str(&b), b.len, "t.json",
                                            &fw, NULL, &err), GCA_ETOOBIG);
    assert_non_null(strstr(err.msg, "nodes"));

    gca_buf_reset(&b);
    gca_err_clear(&err);
    gca_buf_puts(&b, "{\"code\": \"X\", \"nodes\": [{\"code\": \"T\"}],"
                     "\n\"tiers\": [");
    for (int i = 0; i <= 1000; i++)
        gca_buf_printf(&b, "%s{\"code\": \"t%d\", \"min\": %d, \"max\": %d}",
                       i ? "," : "", i, i, i + 1);
    gca_buf_puts(&b, "]}");
    assert_int_equal(gca_framework_load_mem(gca_buf_str(&b), b.len, "t.json",
                                            &fw, NULL, &err), GCA_ETOOBIG);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "1001 tiers"));
    gca_buf_release(&b);
    assert_null(fw);
}

/* The largest framework allowed loads, and in reasonable time: code
 * lookups are hashed, not pairwise. */
static void test_max_nodes(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
    gca_framework *fw = NULL;
    gca_err err = {0};
    gca_buf_puts(&b, "{\"code\": \"X\", \"nodes\": [\n");
    for (int i = 0; i < GCA_MAX_NODES - 1; i++)
        gca_buf_printf(&b, "{\"code\": \"i%d\", \"parent\": \"T\"},\n", i);
    gca_buf_puts(&b, "{\"code\": \"T\"}]}");
    assert_int_equal(gca_framework_load_mem(gca_buf_str(&b), b.len, "t.json",
                                            &fw, NULL, &err), 0);
    assert_int_equal(gca_framework_nnodes(fw), GCA_MAX_NODES);
    assert_int_equal(gca_framework_node(fw, "i99998")->line, GCA_MAX_NODES);
    assert_int_equal(gca_framework_node_at(fw, gca_framework_top(fw))
                         ->nchildren, GCA_MAX_NODES - 1);
    gca_framework_free(fw);
    gca_buf_release(&b);
}

/* Every allocation may fail: the loader and the writers return
 * GCA_ENOMEM and leak nothing (ASan checks the leaks). */
static void test_alloc_failures(void **state)
{
    (void)state;
    gca_buf text = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
    gca_err err = {0};
    assert_int_equal(gca_file_read(tu_path("data/frameworks/gci.json"),
                                   &text, &err), 0);
    int done = 0;
    for (long n = 1; n < 100000 && !done; n++) {
        gca_framework *fw = NULL, *cut = NULL;
        char *out = NULL;
        size_t len;
        gca_err_clear(&err);
        gca_alloc_fail_after(n);
        int rc = gca_framework_load_mem(gca_buf_str(&text), text.len,
                                        "gci.json", &fw, NULL, &err);
        if (rc == 0)
            rc = gca_framework_to_json(fw, &out, &len, &err);
        gca_free(out);
        out = NULL;
        if (rc == 0)
            rc = gca_framework_to_imeta(fw, &out, &len, &err);
        if (rc == 0)
            rc = gca_framework_cut(fw, 2, &cut, &err);
        gca_alloc_fail_after(0);
        if (rc == 0)
            done = 1;
        else
            assert_int_equal(rc, GCA_ENOMEM);
        gca_free(out);
        gca_framework_free(cut);
        gca_framework_free(fw);
    }
    assert_true(done);
    gca_buf_release(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asem_json_matches_imeta),
        cmocka_unit_test(test_asem_json_against_oracle_table),
        cmocka_unit_test(test_node_lines),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_imeta_round_trip),
        cmocka_unit_test(test_imeta_params),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_exclude),
        cmocka_unit_test(test_gci),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_syntax_position),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_max_nodes),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
