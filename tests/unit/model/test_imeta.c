/* test_imeta.c - the COINr iMeta CSV reader: required and duplicate
 * columns, cell checks (numbers, Level, Direction, Weight, iCode, Type)
 * at file:line:col, defaults (iName, NA cells), parameter columns and
 * declared data columns. The tree rules are tested in test_framework.c.
 * Format: docs/framework-format.md#imeta. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gca.h"
#include "testutil.h"

#define HDR "Level,iCode,iName,Direction,Weight,Parent,Type\n"
#define TOP "2,T,Top,1,1,NA,Aggregate\n"

static gca_framework *load_ok(const char *text, const char *source)
{
    gca_framework *fw = NULL;
    gca_err err = {0};
    if (gca_framework_load_mem(text, strlen(text), source, &fw, NULL,
                               &err) < 0)
        fail_msg("%s:%d:%d: %s", source, err.line, err.col, err.msg);
    return fw;
}

static void load_fails(const char *text, int code, int line, int col,
                       const char *part)
{
    gca_framework *fw = NULL;
    gca_err err = {0};
    int rc = gca_framework_load_mem(text, strlen(text), "m.csv", &fw, NULL,
                                    &err);
    if (rc != code || err.line != line || err.col != col ||
        !strstr(err.msg, part))
        fail_msg("'%s': got %d at %d:%d '%s', want %d at %d:%d '%s'", text,
                 rc, err.line, err.col, err.msg, code, line, col, part);
    assert_null(fw);
    assert_string_equal(err.source, "m.csv");
}

static void test_columns(void **state)
{
    (void)state;
    load_fails("Level,iCode,Direction,Weight,Type\n1,a,1,1,Indicator\n",
               GCA_EPARSE, 1, 0, "iMeta has no 'Parent' column (required: "
               "Level, iCode, Parent, Direction, Type, Weight)");
    load_fails("Level,iCode,Parent,Direction,Type\n1,a,T,1,Indicator\n",
               GCA_EPARSE, 1, 0, "no 'Weight' column");
    load_fails("Level,iCode,Parent,Direction,Weight,Type,Weight\n"
               "1,a,T,1,1,Indicator,1\n",
               GCA_EPARSE, 1, 42, "duplicate column 'Weight'");
    /* A parameter column twice (found by fuzz_framework: the JSON written
     * from it had a key twice and did not load again). */
    load_fails("Level,iCode,Parent,Direction,Weight,Type,g300,g300\n"
               "1,a,T,1,1,Indicator,1,2\n",
               GCA_EPARSE, 1, 47, "duplicate column 'g300'");
}

static void test_cells(void **state)
{
    (void)state;
    load_fails(HDR "x,a,A,1,1,T,Indicator\n" TOP, GCA_EPARSE, 2, 1,
               "Level 'x' is not a number");
    load_fails(HDR "1,a,A,up,1,T,Indicator\n" TOP, GCA_EPARSE, 2, 7,
               "Direction 'up' is not a number");
    load_fails(HDR "1,a,A,1,heavy,T,Indicator\n" TOP, GCA_EPARSE, 2, 9,
               "Weight 'heavy' is not a number");
    load_fails("Level,iCode,Direction,Weight,Parent,Type,Target\n"
               "1,a,1,1,T,Indicator,high\n" TOP,
               GCA_EPARSE, 2, 21, "Target 'high' is not a number");
    load_fails(HDR "1.5,a,A,1,1,T,Indicator\n" TOP, GCA_EFRAMEWORK, 2, 1,
               "'a': Level must be a whole number from 1 to 1000 for an "
               "Indicator (rule: levels)");
    load_fails(HDR "1,a,A,1,1,T,Indicator\n0,T,Top,1,1,NA,Aggregate\n",
               GCA_EFRAMEWORK, 3, 1, "for an Aggregate");
    load_fails(HDR "1,a,A,NA,1,T,Indicator\n" TOP, GCA_EFRAMEWORK, 2, 7,
               "'a': Direction is missing (rule: direction is 1 or -1)");
    load_fails(HDR "1,a,A,1,,T,Indicator\n" TOP, GCA_EFRAMEWORK, 2, 9,
               "'a': Weight is missing");
    load_fails(HDR "1,NA,A,1,1,T,Indicator\n" TOP, GCA_EFRAMEWORK, 2, 3,
               "iCode is missing (rule: every row has a code)");
    load_fails(HDR "1,a,A,1,1,T,Indicator\n" TOP "NA,g,G,NA,NA,NA,Grp\n",
               GCA_EFRAMEWORK, 4, 17,
               "'g': Type 'Grp' is not one of Indicator, Aggregate, Group, "
               "Denominator, Other (rule: type)");
    load_fails("Level,iCode,Direction,Weight,Parent,Type,goalpost_lower\n"
               "1,a,1,1,T,Indicator,low\n" TOP,
               GCA_EPARSE, 2, 21,
               "parameter 'goalpost_lower' value 'low' is not a number");
}

static void test_reading(void **state)
{
    (void)state;
    gca_framework *fw = load_ok(
        "iCode,Level,Direction,Weight,Parent,Type,iName,Unit,Target,"
        "Denominator,dist2targ_cap_max,goalpost_upper\n"
        "a,1,-1,2,T,Indicator,NA,%,10,pop,TRUE,NA\n"
        "b,1,1,1,T,Indicator,\"Bee, b\",\"NA\",NA,NA,FALSE,3.5\n"
        "T,2,1,1,NA,Aggregate,Top,NA,NA,NA,NA,NA\n"
        "pop,NA,NA,NA,NA,Denominator,Population,Thousands,NA,NA,NA,NA\n"
        "grp,NA,NA,NA,NA,Group,NA,NA,NA,NA,NA,NA\n"
        "memo,NA,NA,NA,NA,Other,Memo,NA,NA,NA,NA,NA\n",
        "some/dir/tiny_iMeta.csv");
    /* The framework is named after the file. */
    assert_string_equal(gca_framework_code(fw), "tiny_iMeta");
    assert_string_equal(gca_framework_source(fw), "some/dir/tiny_iMeta.csv");
    assert_int_equal(gca_framework_nnodes(fw), 3);
    assert_int_equal(gca_framework_nlevels(fw), 2);

    const gca_node *a = gca_framework_node(fw, "a");
    assert_non_null(a);
    assert_string_equal(a->name, "a"); /* iName NA: the code */
    assert_string_equal(a->unit, "%");
    assert_int_equal(a->direction, -1);
    assert_true(a->weight == 2);
    assert_true(a->target == 10);
    assert_string_equal(a->denominator, "pop");
    assert_int_equal(a->line, 2);
    assert_int_equal(a->nparams, 1); /* goalpost_upper is NA */
    assert_string_equal(a->params[0].name, "dist2targ_cap_max");
    assert_true(a->params[0].value == 1);

    const gca_node *b = gca_framework_node(fw, "b");
    assert_string_equal(b->name, "Bee, b");
    assert_null(b->unit); /* "NA", even quoted, is missing */
    assert_true(isnan(b->target));
    assert_null(b->denominator);
    assert_int_equal(b->nparams, 2);
    assert_true(b->params[0].value == 0);
    assert_string_equal(b->params[1].name, "goalpost_upper");
    assert_true(b->params[1].value == 3.5);

    const gca_node *t = gca_framework_node(fw, "T");
    assert_int_equal(t->type, GCA_NODE_AGGREGATE);
    assert_int_equal(t->parent, -1);
    assert_int_equal(t->nparams, 0);
    assert_int_equal(gca_framework_top(fw), gca_framework_find(fw, "T"));

    assert_int_equal(gca_framework_ncolumns(fw), 3);
    const gca_column *pop = gca_framework_column(fw, "pop");
    assert_int_equal(pop->type, GCA_COLUMN_DENOMINATOR);
    assert_string_equal(pop->name, "Population");
    assert_string_equal(pop->unit, "Thousands");
    assert_int_equal(pop->line, 5);
    const gca_column *grp = gca_framework_column(fw, "grp");
    assert_int_equal(grp->type, GCA_COLUMN_GROUP);
    assert_string_equal(grp->name, "grp");
    assert_null(grp->unit);
    assert_int_equal(gca_framework_column(fw, "memo")->type,
                     GCA_COLUMN_OTHER);
    assert_null(gca_framework_column(fw, "a"));
    /* iMeta has no tiers, ties or method. */
    assert_int_equal(gca_framework_ntiers(fw), 0);
    assert_int_equal(gca_framework_ties(fw), GCA_TIES_MIN);
    assert_null(gca_framework_method_json(fw));
    gca_framework_free(fw);

    /* A source without a directory or extension. */
    fw = load_ok(HDR "1,a,A,1,1,T,Indicator\n" TOP, "meta");
    assert_string_equal(gca_framework_code(fw), "meta");
    gca_framework_free(fw);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    static const char text[] =
        "iCode,Level,Direction,Weight,Parent,Type,iName,Unit,"
        "goalpost_lower\n"
        "a,1,-1,2,T,Indicator,A,%,1\n"
        "b,1,1,1,T,Indicator,B,NA,TRUE\n"
        "T,2,1,1,NA,Aggregate,Top,NA,NA\n"
        "pop,NA,NA,NA,NA,Denominator,Population,Thousands,NA\n";
    int done = 0, tries = 0;
    for (long n = 1; n < 10000 && !done; n++) {
        gca_framework *fw = NULL;
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_framework_load_mem(text, strlen(text), "m.csv", &fw,
                                        NULL, &err);
        gca_alloc_fail_after(0);
        tries++;
        if (rc == 0)
            done = 1;
        else
            assert_int_equal(rc, GCA_ENOMEM);
        gca_framework_free(fw);
    }
    assert_true(done && tries > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_reading),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
