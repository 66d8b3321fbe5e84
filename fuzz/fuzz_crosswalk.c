/* fuzz_crosswalk.c - libFuzzer harness for the norms crosswalk parser
 * (src/norms/norms.c, gca/norms.h; docs/norms.md "Files"). Checks what
 * it promises: a refused file adds no link and explains itself with
 * file:line; an accepted one yields links to known norms and GCI
 * indicators, each with a rationale and a source, no pair twice; the
 * answer depends on the bytes alone (parsing again gives the same). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "fixture.h"
#include "gca/norms.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gca_framework *fw;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const gca__blob *b = gca__embedded("data/frameworks/gci.json");
    gca_err err = {0};
    (void)argc;
    (void)argv;
    if (!b)
        abort();
    fuzz_check(gca_framework_load_mem(b->data, b->len, "gci", &fw, NULL,
                                      &err),
               &err, "load gci.json");
    return 0;
}

static void die(const char *what)
{
    fprintf(stderr, "fuzz_crosswalk: %s\n", what);
    abort();
}

static int parse(gca_norms *n, const uint8_t *data, size_t size,
                 gca_err *err)
{
    gca_norms_init(n);
    for (char c = 'a'; c <= 'k'; c++) {
        char para[6] = {'1', '3', '(', c, ')', '\0'};
        fuzz_check(gca_norms_add(n, "norm", para, "t", err), err, "add");
    }
    return gca_norms_parse_crosswalk(n, (const char *)data, size, "fuzz",
                                     fw, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gca_norms n, again;
    gca_err err = {0}, err2 = {0};
    int rc = parse(&n, data, size, &err);
    int rc2 = parse(&again, data, size, &err2);
    if (rc != rc2 || n.nlinks != again.nlinks)
        die("two parses of the same bytes differ");
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "crosswalk refused");
        if (n.nlinks != 0)
            die("a refused file added links");
        if (strcmp(err.source, "fuzz") != 0)
            die("error does not name the file");
    }
    for (size_t i = 0; i < n.nlinks; i++) {
        const gca_norm_link *l = &n.links[i];
        const gca_node *nd = gca_framework_node(fw, l->indicator);
        if (l->norm >= n.nnorms || !nd || nd->type != GCA_NODE_INDICATOR)
            die("link to an unknown norm or indicator");
        if (!l->rationale[0] || !l->source[0])
            die("link without rationale or source");
        if (l->strength != GCA_STRENGTH_DIRECT &&
            l->strength != GCA_STRENGTH_PARTIAL)
            die("bad strength");
        for (size_t j = 0; j < i; j++)
            if (n.links[j].norm == l->norm &&
                !strcmp(n.links[j].indicator, l->indicator))
                die("the same link twice");
    }
    gca_norms_release(&n);
    gca_norms_release(&again);
    return 0;
}
