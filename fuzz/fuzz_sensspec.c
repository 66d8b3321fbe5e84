/* fuzz_sensspec.c - libFuzzer harness for the sensitivity spec and the
 * params table (src/analysis/sensitivity.c). Input: a spec (JSON), then,
 * after a line "--", a params table to replay. Checks what gca_sens_run
 * promises: a refusal is explained and hands out nothing; an analysis
 * has the runs asked for, every failed run has a reason and an NA y, and
 * each unit's rank statistics lie in 1..units with Q5 <= median <= Q95. A
 * stored spec (no directory) may name no file. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gca/sensitivity.h"
#include "fixture.h"

static gca_framework *fw;
static gca_dataset *ds;
static const char method[] =
    "{\"steps\":[{\"step\":\"treat\",\"winmax\":2},"
    "{\"step\":\"normalise\",\"f_n\":\"n_minmax\",\"l_u\":[0,100]},"
    "{\"step\":\"aggregate\",\"f_ag\":\"a_amean\"}]}";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_fixture_load(&fw, &ds);
    return 0;
}

static void check(const gca_sens *s, size_t want_runs)
{
    size_t n = gca_sens_nunits(s), failed = 0;
    if (want_runs && gca_sens_nruns(s) != want_runs)
        abort();
    for (size_t r = 0; r < gca_sens_nruns(s); r++) {
        const char *why = gca_sens_failure(s, r);
        if (why && (!*why || !isnan(gca_sens_y(s, r))))
            abort();
        failed += why != NULL;
    }
    if (failed != gca_sens_nfailed(s))
        abort();
    for (size_t u = 0; u < n; u++) {
        const gca_sens_unit *su = gca_sens_unit_at(s, u);
        if (!su->nranked)
            continue;
        if (su->q5 < 1 || su->q95 > (double)n || su->q5 > su->median ||
            su->median > su->q95 || su->mean < 1 || su->mean > (double)n)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *sep = strstr(text, "\n--\n");
    size_t slen = sep ? (size_t)(sep - text) : size;
    gca_sens_opts o = {.type = (size & 1) ? GCA_SENS_SA : GCA_SENS_UA,
                       .n = 3, .threads = 1, .seed = size,
                       .sobol = (size & 2) != 0};
    if (sep) {
        o.params = sep + 4;
        o.params_len = size - slen - 4;
        o.params_source = "params.csv";
        o.n = 0;
    }
    gca_sens *s = NULL;
    gca_err err = {0};
    int rc = gca_sens_run(fw, ds, method, strlen(method), text, slen,
                          "spec.json", NULL, &o, &s, &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "sensitivity");
        if (s)
            abort();
    } else {
        check(s, sep ? 0 : (o.type == GCA_SENS_SA
                                ? 3 * (gca_sens_ninputs(s) + 2)
                                : 3));
        gca_sens_free(s);
    }
    free(text);
    return 0;
}
