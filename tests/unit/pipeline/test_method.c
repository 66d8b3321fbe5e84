/* test_method.c - method files: top-level keys, the steps array and its
 * limits, step names (COINr's and American spellings), ties and compat at
 * the top and per step, JSON errors with their position, the default
 * method with and without one in the framework, and the parameter
 * helpers of params.c through the steps that use them. Format:
 * docs/method.md. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gca.h"
#include "pipeline/method.h"
#include "testutil.h"

static gca_method *load_ok(const char *json)
{
    gca_method *m = NULL;
    gca_err err = {0};
    int rc = gca_method_load_mem(json, strlen(json), "m.json", &m, &err);
    if (rc < 0)
        fail_msg("%s: %s: %s", json, err.source, err.msg);
    return m;
}

/* Loading `json` fails with `code`, source `where` and a message that
 * holds `part`. */
static void load_fails(const char *json, int code, const char *where,
                       const char *part)
{
    gca_method *m = NULL;
    gca_err err = {0};
    int rc = gca_method_load_mem(json, strlen(json), "m.json", &m, &err);
    if (rc != code || strcmp(err.source, where) != 0 || !strstr(err.msg, part))
        fail_msg("%s: got %d '%s' '%s', want %d '%s' '%s'", json, rc,
                 err.source, err.msg, code, where, part);
    assert_null(m);
}

static void test_top_keys(void **state)
{
    (void)state;
    gca_method *m = load_ok("{\"name\":\"x\",\"description\":\"d\","
                            "\"comment\":\"c\",\"steps\":["
                            "{\"step\":\"normalise\"},"
                            "{\"step\":\"aggregate\"}]}");
    assert_int_equal(gca_method_nsteps(m), 2);
    assert_string_equal(gca_method_step_name(m, 0), "normalise");
    assert_string_equal(gca_method_step_name(m, 1), "aggregate");
    assert_null(gca_method_step_name(m, 2));
    assert_int_equal(m->ties, 0); /* not given: the framework decides */
    assert_int_equal(m->compat_coinr, 0);
    gca_method_free(m);

    load_fails("{\"steps\":[],\"weights\":1}", GCA_EMETHOD, "m.json",
               "unknown parameter 'weights' (known: steps, ties, compat, "
               "name, description, comment)");
    load_fails("{\"ties\":\"min\"}", GCA_EMETHOD, "m.json",
               "no \"steps\" array");
    load_fails("{\"steps\":{\"step\":\"impute\"}}", GCA_EMETHOD, "m.json",
               "no \"steps\" array");
    load_fails("[1,2]", GCA_EMETHOD, "m.json",
               "a method must be a JSON object");
    load_fails("\"steps\"", GCA_EPARSE, "m.json", "");

    /* No steps at all: only the Raw data set will be made. */
    m = load_ok("{\"steps\":[]}");
    assert_int_equal(gca_method_nsteps(m), 0);
    gca_method_free(m);
}

static void test_step_names(void **state)
{
    (void)state;
    gca_method *m = load_ok("{\"steps\":["
                            "{\"step\":\"Denominate\"},"
                            "{\"step\":\"IMPUTE\"},"
                            "{\"step\":\"screen\"},"
                            "{\"step\":\"Treat\"},"
                            "{\"step\":\"normalize\"},"
                            "{\"step\":\"Normalize\"},"
                            "{\"step\":\"Normalise\"},"
                            "{\"step\":\"Aggregate\",\"comment\":\"why\"}]}");
    static const char *const want[] = {"denominate", "impute",    "screen",
                                       "treat",      "normalise", "normalise",
                                       "normalise",  "aggregate"};
    assert_int_equal(gca_method_nsteps(m), GCA_COUNT(want));
    for (size_t i = 0; i < GCA_COUNT(want); i++)
        assert_string_equal(gca_method_step_name(m, i), want[i]);
    assert_string_equal(m->steps[2].where, "m.json: step 3 (screen)");
    gca_method_free(m);

    load_fails("{\"steps\":[{\"f_n\":\"n_minmax\"}]}", GCA_EMETHOD,
               "m.json: step 1", "no \"step\" name");
    load_fails("{\"steps\":[{\"step\":\"normalise\"},{\"step\":\"rescale\"}]}",
               GCA_EMETHOD, "m.json: step 2",
               "unknown step 'rescale' (known: denominate, impute, screen, "
               "treat, normalise, aggregate)");
    load_fails("{\"steps\":[{\"step\":\"aggregate_weighted_mean_of_all\"}]}",
               GCA_EMETHOD, "m.json: step 1", "unknown step");
    load_fails("{\"steps\":[{\"step\":3}]}", GCA_EMETHOD, "m.json: step 1",
               "no \"step\" name");
    load_fails("{\"steps\":[\"impute\"]}", GCA_EMETHOD, "m.json: step 1",
               "a step must be an object");
    /* A step's own parameters are checked by the step, named in the
     * error; "name" is a top-level key only. */
    load_fails("{\"steps\":[{\"step\":\"screen\",\"name\":\"s\"}]}",
               GCA_EMETHOD, "m.json: step 1 (screen)",
               "unknown parameter 'name'");
    load_fails("{\"steps\":[{\"step\":\"screen\",\"dat_thresh\":\"half\"}]}",
               GCA_EMETHOD, "m.json: step 1 (screen)",
               "parameter 'dat_thresh' must be a number");
    load_fails("{\"steps\":[{\"step\":\"normalise\",\"l_u\":[0]}]}",
               GCA_EMETHOD, "m.json: step 1 (normalise)",
               "parameter 'l_u' must be an array of 2 numbers");
    load_fails("{\"steps\":[{\"step\":\"screen\",\"unit_screen\":1}]}",
               GCA_EMETHOD, "m.json: step 1 (screen)",
               "parameter 'unit_screen' must be a string");
}

static void test_ties(void **state)
{
    (void)state;
    gca_method *m = load_ok("{\"ties\":\"min\",\"steps\":[]}");
    assert_int_equal(m->ties, GCA_TIES_MIN);
    gca_method_free(m);
    m = load_ok("{\"ties\":\"dense\",\"steps\":[]}");
    assert_int_equal(m->ties, GCA_TIES_DENSE);
    gca_method_free(m);
    load_fails("{\"ties\":\"average\",\"steps\":[]}", GCA_EMETHOD, "m.json",
               "'ties' must be \"min\" or \"dense\"");
    load_fails("{\"ties\":1,\"steps\":[]}", GCA_EMETHOD, "m.json",
               "'ties' must be");
    load_fails("{\"ties\":\"Dense\",\"steps\":[]}", GCA_EMETHOD, "m.json",
               "'ties' must be");
}

static void test_compat(void **state)
{
    (void)state;
    /* Top-level compat is inherited; a step may override it. */
    gca_method *m = load_ok("{\"compat\":\"coinr\",\"steps\":["
                            "{\"step\":\"normalise\"},"
                            "{\"step\":\"normalise\",\"compat\":\"none\"}]}");
    assert_int_equal(m->compat_coinr, 1);
    assert_int_equal(m->steps[0].compat_coinr, 1);
    assert_int_equal(m->steps[1].compat_coinr, 0);
    gca_method_free(m);
    m = load_ok("{\"compat\":\"none\",\"steps\":["
                "{\"step\":\"treat\",\"compat\":\"coinr\"},"
                "{\"step\":\"aggregate\"}]}");
    assert_int_equal(m->compat_coinr, 0);
    assert_int_equal(m->steps[0].compat_coinr, 1);
    assert_int_equal(m->steps[1].compat_coinr, 0);
    gca_method_free(m);

    load_fails("{\"compat\":\"COINr\",\"steps\":[]}", GCA_EMETHOD, "m.json",
               "'compat' must be \"coinr\" or \"none\"");
    load_fails("{\"compat\":true,\"steps\":[]}", GCA_EMETHOD, "m.json",
               "'compat' must be");
    load_fails("{\"steps\":[{\"step\":\"impute\"},"
               "{\"step\":\"treat\",\"compat\":\"yes\"}]}",
               GCA_EMETHOD, "m.json: step 2 (treat)",
               "'compat' must be \"coinr\" or \"none\"");
}

static void test_step_limit(void **state)
{
    (void)state;
    char json[64 * 40 + 64];
    for (int n = GCA_MAX_STEPS; n <= GCA_MAX_STEPS + 1; n++) {
        size_t k = (size_t)snprintf(json, sizeof json, "{\"steps\":[");
        for (int i = 0; i < n; i++)
            k += (size_t)snprintf(json + k, sizeof json - k,
                                  "%s{\"step\":\"screen\"}", i ? "," : "");
        snprintf(json + k, sizeof json - k, "]}");
        if (n == GCA_MAX_STEPS) {
            gca_method *m = load_ok(json);
            assert_int_equal(gca_method_nsteps(m), GCA_MAX_STEPS);
            assert_string_equal(m->steps[GCA_MAX_STEPS - 1].where,
                                "m.json: step 64 (screen)");
            gca_method_free(m);
        } else {
            load_fails(json, GCA_ETOOBIG, "m.json", "more than 64 steps");
        }
    }
}

static void test_json_errors(void **state)
{
    (void)state;
    gca_method *m = NULL;
    gca_err err = {0};
    static const char bad[] = "{\"steps\": [\n  {\"step\": \"impute\",}\n]}";
    assert_int_equal(gca_method_load_mem(bad, strlen(bad), "m.json", &m, &err),
                     GCA_EPARSE);
    assert_null(m);
    assert_string_equal(err.source, "m.json");
    assert_int_equal(err.line, 2);
    assert_true(err.col > 0);
    char line[800];
    gca_err_format(&err, line, sizeof line);
    assert_true(strncmp(line, "m.json:2:", 9) == 0);

    /* Duplicate keys are an error (a second "steps" would hide the
     * first). */
    gca_err_clear(&err);
    static const char dup[] = "{\"steps\":[],\n\"steps\":[]}";
    assert_int_equal(gca_method_load_mem(dup, strlen(dup), "m.json", &m, &err),
                     GCA_EPARSE);
    assert_non_null(strstr(err.msg, "duplicate"));
    assert_int_equal(err.line, 2);

    /* Empty input and a NULL source. */
    gca_err_clear(&err);
    assert_int_equal(gca_method_load_mem("", 0, NULL, &m, &err), GCA_EPARSE);
    assert_string_equal(err.source, "method");
}

static void test_too_big(void **state)
{
    (void)state;
    size_t n = GCA_MAX_METHOD_FILE + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    gca_method *m = NULL;
    gca_err err = {0};
    assert_int_equal(gca_method_load_mem(big, n, "big.json", &m, &err),
                     GCA_ETOOBIG);
    assert_null(m);
    assert_string_equal(err.source, "big.json");
    assert_non_null(strstr(err.msg, "larger than 4194304 bytes"));
    free(big);
}

static void test_load_file(void **state)
{
    (void)state;
    gca_method *m = NULL;
    gca_err err = {0};
    assert_int_equal(gca_method_load("/nonexistent/method.json", &m, &err),
                     GCA_EIO);
    assert_null(m);
    assert_string_equal(err.source, "/nonexistent/method.json");
    gca_err_clear(&err);

    /* The shipped ASEM method loads. */
    assert_int_equal(gca_method_load(tu_path("data/examples/asem_method.json"),
                                     &m, &err), 0);
    assert_int_equal(gca_method_nsteps(m), 6);
    assert_string_equal(gca_method_step_name(m, 5), "aggregate");
    gca_method_free(m);
    m = NULL;

    /* A framework is not a method; the error names the file. */
    gca_err_clear(&err);
    const char *path = tu_path("data/frameworks/gci.json");
    assert_int_equal(gca_method_load(path, &m, &err), GCA_EMETHOD);
    assert_string_equal(err.source, path);
    assert_non_null(strstr(err.msg, "unknown parameter"));
}

static void test_default(void **state)
{
    (void)state;
    gca_method *m = NULL;
    gca_err err = {0};
    /* No framework: normalise then aggregate. */
    assert_int_equal(gca_method_default(NULL, &m, &err), 0);
    assert_int_equal(gca_method_nsteps(m), 2);
    assert_string_equal(gca_method_step_name(m, 0), "normalise");
    assert_string_equal(gca_method_step_name(m, 1), "aggregate");
    assert_int_equal(m->ties, 0);
    gca_method_free(m);
    m = NULL;

    /* A framework without a method (ASEM) gets the same. */
    assert_null(gca_framework_method_json(tu_asem_framework()));
    assert_int_equal(gca_method_default(tu_asem_framework(), &m, &err), 0);
    assert_int_equal(gca_method_nsteps(m), 2);
    assert_string_equal(gca_method_step_name(m, 0), "normalise");
    gca_method_free(m);
    m = NULL;

    /* gci.json names its own: aggregate with a_sum, dense ties. */
    gca_framework *fw = NULL;
    assert_int_equal(gca_framework_load(tu_path("data/frameworks/gci.json"),
                                        &fw, NULL, &err), 0);
    assert_non_null(gca_framework_method_json(fw));
    assert_int_equal(gca_method_default(fw, &m, &err), 0);
    assert_int_equal(gca_method_nsteps(m), 1);
    assert_string_equal(gca_method_step_name(m, 0), "aggregate");
    assert_int_equal(m->ties, GCA_TIES_DENSE);
    char want[300];
    snprintf(want, sizeof want, "%s (method)", gca_framework_source(fw));
    assert_string_equal(m->source, want);
    gca_method_free(m);
    gca_framework_free(fw);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    static const char json[] =
        "{\"ties\":\"dense\",\"steps\":["
        "{\"step\":\"screen\",\"unit_screen\":\"byNA\"},"
        "{\"step\":\"impute\"},{\"step\":\"treat\"},"
        "{\"step\":\"normalise\",\"f_n\":\"n_minmax\",\"l_u\":[0,100]},"
        "{\"step\":\"aggregate\",\"f_ag\":\"a_amean\"}]}";
    int done = 0, tries = 0;
    for (long n = 1; n < 100000 && !done; n++) {
        gca_method *m = NULL;
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_method_load_mem(json, strlen(json), "m.json", &m, &err);
        gca_alloc_fail_after(0);
        tries++;
        if (rc == 0)
            done = 1;
        else
            assert_int_equal(rc, GCA_ENOMEM);
        gca_method_free(m);
    }
    assert_true(done && tries > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_keys),
        cmocka_unit_test(test_step_names),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_compat),
        cmocka_unit_test(test_step_limit),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
