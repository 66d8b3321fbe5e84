/* fuzz_rights.c - libFuzzer harness for the rights lens's parsers
 * (src/rights/): the shutdown counts file (gca/rights.h, docs/rights.md,
 * "Shutdown counts") and the instrument matcher. Checks what they
 * promise: every row handed out obeys the column rules, a failure is
 * explained and hands out nothing; the matcher is deterministic and an
 * instrument always names itself when its short name has a token. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gca/rights.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void die(const char *what)
{
    fprintf(stderr, "fuzz_rights: %s\n", what);
    abort();
}

static int check_row(const gca_rights_shutdown *s, void *ctx)
{
    size_t *n = ctx;
    (*n)++;
    if (strlen(s->iso3) != 3)
        die("iso3 is not 3 bytes");
    for (int i = 0; i < 3; i++)
        if (s->iso3[i] < 'A' || s->iso3[i] > 'Z')
            die("iso3 is not upper-case letters");
    if (s->year < 1900 || s->year > 2099 || s->count < 0)
        die("year or count out of range");
    if (strcmp(s->count_type, "reported") && strcmp(s->count_type, "at_least"))
        die("bad count_type");
    if (!*s->source)
        die("empty source");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gca_err err = {0};
    size_t rows = 0;
    int rc = gca_rights_shutdowns_parse((const char *)data, size, "fuzz",
                                        check_row, &rows, &err);
    if (rc < 0 && (err.code >= 0 || !err.msg[0] || rows != 0))
        die("failure without an error, or after rows were handed out");

    /* Matcher: the first line is the instrument, the rest the text. */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *nl = strchr(copy, '\n');
    const char *text = "";
    if (nl) {
        *nl = '\0';
        text = nl + 1;
    }
    int a = gca_rights_match(copy, text), b = gca_rights_match(copy, text);
    if (a != b || (a != 0 && a != 1))
        die("matcher not deterministic");
    char name[512];
    int tokens = gca_rights_short_name(copy, name, sizeof name);
    if (tokens > 0 && !gca_rights_match(copy, copy))
        die("an instrument does not name itself");
    if (tokens > 0 && !gca_rights_match(copy, name))
        die("an instrument does not match its short name");
    free(copy);
    return 0;
}
