/* fuzz_kb.c - libFuzzer harness for knowledge base files (gca_kb_parse,
 * src/gateway/kbparse.c; format in docs/kb.md). Checks what it promises:
 * a failure is explained and hands on no entry at all (all or nothing);
 * every entry handed on obeys the field rules (kind, id charset and
 * length, year range, list items, required fields); the same input gives
 * the same answer twice. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "gateway/kb.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gca_countries *cs;

/* The country list, loaded once (as the store's loader of many files
 * does), so that each run tests the parser alone. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gca_err err = {0};
    (void)argc;
    (void)argv;
    fuzz_check(gca_countries_default(&cs, &err), &err, "country list");
    return 0;
}

static void die(const char *what, const char *id)
{
    fprintf(stderr, "fuzz_kb: %s (%s)\n", what, id ? id : "-");
    abort();
}

/* Items of a ';' list: `len` bytes each, from `chars`. */
static int list_ok(const char *s, size_t len, const char *chars)
{
    while (*s) {
        size_t k = strcspn(s, ";");
        if (k != len || strspn(s, chars) < k)
            return 0;
        s += k + (s[k] == ';');
    }
    return 1;
}

static int check_entry(const gca_kb_entry *e, void *ctx)
{
    size_t n = strlen(e->id);
    (*(size_t *)ctx)++;
    if (n == 0 || n > GCA_KB_ID_MAX ||
        strspn(e->id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789._:/-") != n)
        die("bad id handed on", e->id);
    if (!gca__kb_in_list(gca_kb_kinds, e->kind))
        die("bad kind handed on", e->id);
    if (!*e->title || strlen(e->title) > GCA_KB_TITLE_MAX || !*e->source)
        die("title or source missing or too long", e->id);
    if (e->year && (e->year < GCA_KB_YEAR_MIN || e->year > GCA_KB_YEAR_MAX))
        die("year out of range handed on", e->id);
    if (!list_ok(e->countries, 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ||
        !list_ok(e->pillars, 3, "LEGTCORAPCO"))
        die("bad list handed on", e->id);
    if (!strcmp(e->kind, "rights_measure") &&
        !gca__kb_in_list(gca_kb_rights_measures, e->subtype))
        die("rights measure without subtype", e->id);
    if (*e->retrieved && strlen(e->retrieved) != 10)
        die("bad date handed on", e->id);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gca_err err = {0}, err2 = {0};
    size_t n = 0, n2 = 0;
    int rc = gca__kb_parse_with((const char *)data, size, "fuzz", cs,
                                check_entry, &n, &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "gca_kb_parse");
        if (n)
            die("entries handed on before a failure", NULL);
    }
    int rc2 = gca__kb_parse_with((const char *)data, size, "fuzz", cs,
                                 check_entry, &n2, &err2);
    if (rc2 != rc || n2 != n || strcmp(err.msg, err2.msg) != 0)
        die("two answers for one input", err.msg);
    return 0;
}
