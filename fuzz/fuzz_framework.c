/* fuzz_framework.c - libFuzzer harness for gca_framework_load_mem on any
 * bytes (framework JSON and COINr iMeta CSV, told apart by content). A
 * framework that loads must write itself as JSON and as iMeta, and each
 * text must load again into the same tree; the JSON text must be a fixed
 * point (written, read, written gives the same bytes). Derived frameworks
 * (cut, exclude) must load or fail with an explanation. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gca.h"
#include "fixture.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void fail(const char *what, const char *text)
{
    fprintf(stderr, "fuzz_framework: %s\n", what);
    if (text)
        fprintf(stderr, "--- text ---\n%s\n--- end ---\n", text);
    abort();
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The tree survives a round trip: same nodes in the same order, with the
 * same type, level, parent, direction and weight; same data columns. */
static void check_same_tree(const gca_framework *a, const gca_framework *b,
                            const char *text)
{
    if (gca_framework_nnodes(a) != gca_framework_nnodes(b) ||
        gca_framework_ncolumns(a) != gca_framework_ncolumns(b) ||
        gca_framework_nlevels(a) != gca_framework_nlevels(b) ||
        gca_framework_top(a) != gca_framework_top(b))
        fail("round trip changed the shape of the framework", text);
    for (size_t i = 0; i < gca_framework_nnodes(a); i++) {
        const gca_node *x = gca_framework_node_at(a, i);
        const gca_node *y = gca_framework_node_at(b, i);
        if (strcmp(x->code, y->code) || x->type != y->type ||
            x->level != y->level || x->parent != y->parent ||
            x->direction != y->direction ||
            !(x->weight == y->weight ||
              (isnan(x->weight) && isnan(y->weight))) ||
            !same_str(x->denominator, y->denominator))
            fail("round trip changed a node", text);
    }
    for (size_t i = 0; i < gca_framework_ncolumns(a); i++) {
        const gca_column *x = gca_framework_column_at(a, i);
        const gca_column *y = gca_framework_column_at(b, i);
        if (strcmp(x->code, y->code) || x->type != y->type)
            fail("round trip changed a data column", text);
    }
}

static gca_framework *reload(const char *text, size_t len, const char *what)
{
    gca_framework *fw = NULL;
    gca_err err = {0};
    int rc = gca_framework_load_mem(text, len, what, &fw, NULL, &err);
    if (rc < 0) {
        char msg[1024];
        gca_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "fuzz_framework: %s does not load: %s\n", what, msg);
        fail("round trip failed", text);
    }
    return fw;
}

static void check_json_round_trip(const gca_framework *fw)
{
    char *text = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    gca_err err = {0};
    int rc = gca_framework_to_json(fw, &text, &len, &err);
    if (rc < 0) {
        /* JSON has no infinities: the only refusal allowed. */
        if (rc != GCA_EINVAL)
            fuzz_check(rc, &err, "gca_framework_to_json");
        fuzz_check_failure(rc, &err, "gca_framework_to_json refusal");
        return;
    }
    if (strlen(text) != len)
        fail("framework JSON has a NUL byte or a wrong length", text);
    gca_framework *fw2 = reload(text, len, "written JSON");
    check_same_tree(fw, fw2, text);
    fuzz_check(gca_framework_to_json(fw2, &again, &len2, &err), &err,
               "gca_framework_to_json of the reloaded framework");
    if (len != len2 || memcmp(text, again, len) != 0) {
        fprintf(stderr, "--- second text ---\n%s\n", again);
        fail("framework JSON is not a fixed point", text);
    }
    gca_free(again);
    gca_framework_free(fw2);
    gca_free(text);
}

static void check_imeta_round_trip(const gca_framework *fw)
{
    char *text = NULL;
    size_t len = 0;
    gca_err err = {0};
    fuzz_check(gca_framework_to_imeta(fw, &text, &len, &err), &err,
               "gca_framework_to_imeta");
    if (strlen(text) != len)
        fail("iMeta text has a NUL byte or a wrong length", text);
    gca_framework *fw2 = reload(text, len, "written iMeta");
    check_same_tree(fw, fw2, text);
    gca_framework_free(fw2);
    gca_free(text);
}

/* Derived frameworks are new, validated frameworks or explained
 * failures; those that exist must round-trip too. */
static void check_derived(const gca_framework *fw, unsigned pick)
{
    gca_framework *d = NULL;
    gca_err err = {0};
    int nlev = gca_framework_nlevels(fw);
    int level = nlev > 1 ? 2 + (int)(pick % (unsigned)(nlev - 1)) : 1;
    int rc = gca_framework_cut(fw, level, &d, &err);
    if (rc == 0) {
        if (gca_framework_nlevels(d) != nlev - level + 1)
            fail("cut framework has the wrong number of levels", NULL);
        check_imeta_round_trip(d);
        gca_framework_free(d);
    } else {
        fuzz_check_failure(rc, &err, "gca_framework_cut failure");
    }

    size_t n = gca_framework_nnodes(fw);
    const char *code = n ? gca_framework_node_at(fw, pick % n)->code : "x";
    d = NULL;
    gca_err_clear(&err);
    rc = gca_framework_exclude(fw, &code, 1, &d, &err);
    if (rc == 0) {
        if (gca_framework_find(d, code) >= 0)
            fail("excluded node is still there", code);
        check_json_round_trip(d);
        gca_framework_free(d);
    } else {
        fuzz_check_failure(rc, &err, "gca_framework_exclude failure");
    }
}

static void check_accessors(const gca_framework *fw)
{
    int top = gca_framework_top(fw);
    size_t n = gca_framework_nnodes(fw);
    if (top < 0 || (size_t)top >= n)
        fail("no top node", NULL);
    for (size_t i = 0; i < n; i++) {
        const gca_node *nd = gca_framework_node_at(fw, i);
        if (gca_framework_find(fw, nd->code) != (int)i)
            fail("node code is not found at its index", nd->code);
        for (size_t k = 0; k < nd->nchildren; k++)
            if (nd->children[k] < 0 || (size_t)nd->children[k] >= n ||
                gca_framework_node_at(fw, (size_t)nd->children[k])->parent !=
                    (int)i)
                fail("child does not point back to its parent", nd->code);
    }
    for (int l = 1; l <= gca_framework_nlevels(fw); l++)
        if (!gca_framework_level_name(fw, l))
            fail("level without a name", NULL);
    static const double scores[] = {-1, 0, 50, 100, NAN, INFINITY};
    for (size_t i = 0; i < GCA_COUNT(scores); i++) {
        const gca_tier *t = gca_framework_tier_of(fw, scores[i]);
        if (t && !(scores[i] >= t->min && scores[i] <= t->max))
            fail("score outside the band of its tier", t->code);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gca_framework *fw = NULL;
    gca_errlist all = GCA_ERRLIST_INIT;
    gca_err err = {0};
    int collect = size & 1;
    int rc = gca_framework_load_mem((const char *)data, size, "fuzz",
                                    &fw, collect ? &all : NULL, &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "framework load failure");
        if (fw)
            fail("*out set on failure", NULL);
        if (collect && all.n == 0)
            fail("failure not in the list of problems", NULL);
        for (size_t i = 0; i < all.n; i++)
            fuzz_check_failure(all.v[i].code, &all.v[i], "listed problem");
    } else {
        if (all.n)
            fail("framework loaded with problems listed", NULL);
        check_accessors(fw);
        check_json_round_trip(fw);
        check_imeta_round_trip(fw);
        check_derived(fw, size > 0 ? data[0] : 0);
    }
    gca_errlist_release(&all);
    gca_framework_free(fw);
    return 0;
}
