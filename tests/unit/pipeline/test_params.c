/* test_params.c - the parameter helpers every step parses with: unknown
 * keys (the message lists the known ones), optional numbers (absent keeps
 * the default, null is NaN), fixed-length number arrays, booleans and
 * strings, each error naming the step and the parameter. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pipeline/step.h"

static json_t *obj(const char *text)
{
    json_error_t jerr;
    json_t *o = json_loads(text, 0, &jerr);
    if (!o)
        fail_msg("fixture: %s", jerr.text);
    return o;
}

static void assert_fail(int rc, const gca_err *err, const char *part)
{
    assert_int_equal(rc, GCA_EMETHOD);
    assert_string_equal(err->source, "m.json: step 2 (treat)");
    if (!strstr(err->msg, part))
        fail_msg("'%s' lacks '%s'", err->msg, part);
}

#define WHERE "m.json: step 2 (treat)"

static void test_name_index(void **state)
{
    (void)state;
    static const char *const names[] = {"min", "dense", NULL};
    assert_int_equal(gca__name_index("min", names), 0);
    assert_int_equal(gca__name_index("dense", names), 1);
    assert_int_equal(gca__name_index("Dense", names), -1);
    assert_int_equal(gca__name_index("", names), -1);
}

static void test_params_only(void **state)
{
    (void)state;
    static const char *const keys[] = {"winmax", "skew_thresh", NULL};
    json_t *o = obj("{\"winmax\": 5, \"skew_thresh\": 2}");
    gca_err err = {0};
    assert_int_equal(gca__params_only(o, keys, WHERE, &err), 0);
    json_decref(o);
    o = obj("{\"winmax\": 5, \"winmin\": 1}");
    assert_fail(gca__params_only(o, keys, WHERE, &err), &err,
                "unknown parameter 'winmin' (known: winmax, skew_thresh)");
    json_decref(o);
}

static void test_number(void **state)
{
    (void)state;
    json_t *o = obj("{\"a\": 2.5, \"b\": null, \"c\": \"3\", \"d\": 7}");
    gca_err err = {0};
    double v = 42;
    assert_int_equal(gca__param_number(o, "zz", &v, WHERE, &err), 0);
    assert_true(v == 42); /* absent: the default stays */
    assert_int_equal(gca__param_number(o, "a", &v, WHERE, &err), 0);
    assert_true(v == 2.5);
    assert_int_equal(gca__param_number(o, "b", &v, WHERE, &err), 0);
    assert_true(isnan(v));
    assert_int_equal(gca__param_number(o, "d", &v, WHERE, &err), 0);
    assert_true(v == 7); /* JSON integers are numbers too */
    assert_fail(gca__param_number(o, "c", &v, WHERE, &err), &err,
                "parameter 'c' must be a number");
    json_decref(o);
}

static void test_numbers(void **state)
{
    (void)state;
    json_t *o = obj("{\"l_u\": [0, 100.5], \"short\": [1], \"mixed\": "
                    "[1, \"2\"], \"scalar\": 3}");
    gca_err err = {0};
    double v[2] = {-1, -2};
    assert_int_equal(gca__param_numbers(o, "zz", 2, v, WHERE, &err), 0);
    assert_true(v[0] == -1 && v[1] == -2);
    assert_int_equal(gca__param_numbers(o, "l_u", 2, v, WHERE, &err), 0);
    assert_true(v[0] == 0 && v[1] == 100.5);
    assert_fail(gca__param_numbers(o, "short", 2, v, WHERE, &err), &err,
                "parameter 'short' must be an array of 2 numbers");
    gca_err_clear(&err);
    assert_fail(gca__param_numbers(o, "mixed", 2, v, WHERE, &err), &err,
                "parameter 'mixed' must be an array of 2 numbers");
    gca_err_clear(&err);
    assert_fail(gca__param_numbers(o, "scalar", 2, v, WHERE, &err), &err,
                "parameter 'scalar' must be an array of 2 numbers");
    json_decref(o);
}

static void test_bool_and_string(void **state)
{
    (void)state;
    json_t *o = obj("{\"t\": true, \"f\": false, \"one\": 1, "
                    "\"s\": \"byNA\"}");
    gca_err err = {0};
    int b = 7;
    assert_int_equal(gca__param_bool(o, "zz", &b, WHERE, &err), 0);
    assert_int_equal(b, 7);
    assert_int_equal(gca__param_bool(o, "t", &b, WHERE, &err), 0);
    assert_int_equal(b, 1);
    assert_int_equal(gca__param_bool(o, "f", &b, WHERE, &err), 0);
    assert_int_equal(b, 0);
    assert_fail(gca__param_bool(o, "one", &b, WHERE, &err), &err,
                "parameter 'one' must be true or false");

    gca_arena a;
    gca_arena_init(&a, 256);
    const char *s = "default";
    gca_err_clear(&err);
    assert_int_equal(gca__param_string(o, "zz", &a, &s, WHERE, &err), 0);
    assert_string_equal(s, "default");
    assert_int_equal(gca__param_string(o, "s", &a, &s, WHERE, &err), 0);
    assert_string_equal(s, "byNA");
    /* A copy in the arena: it outlives the JSON. */
    assert_ptr_not_equal(s, json_string_value(json_object_get(o, "s")));
    assert_fail(gca__param_string(o, "t", &a, &s, WHERE, &err), &err,
                "parameter 't' must be a string");
    json_decref(o);
    assert_string_equal(s, "byNA");

    /* Out of memory copying the string. */
    gca_arena b2;
    gca_arena_init(&b2, 256);
    o = obj("{\"s\": \"x\"}");
    gca_err_clear(&err);
    gca_alloc_fail_after(1);
    int rc = gca__param_string(o, "s", &b2, &s, WHERE, &err);
    gca_alloc_fail_after(0);
    assert_int_equal(rc, GCA_ENOMEM);
    assert_string_equal(err.source, WHERE);
    json_decref(o);
    gca_arena_release(&b2);
    gca_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_index),
        cmocka_unit_test(test_params_only),
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_bool_and_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
