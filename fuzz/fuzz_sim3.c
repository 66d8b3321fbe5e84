/* fuzz_sim3.c - libFuzzer harness for the CIRT programme's parsers
 * (src/cirt/sim3.c, src/cirt/priority.c): SIM3 assessment files,
 * baseline files and priority formula files. Checks what they promise:
 * a failure is explained and leaves nothing filled in; a parsed
 * assessment holds levels 0..4 or "not assessed"; a parsed baseline has
 * a name and levels 0..4 per profile; a gap of any parsed pair is
 * consistent (met <= total, shortfalls >= 0); a parsed formula has a
 * positive total weight and ranks the fixed inputs below without NaN
 * shares. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gca/cirt.h"
#include "fixture.h"

static gca_sim3_model model; /* read-only after LLVMFuzzerInitialize */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gca_err err = {0};
    (void)argc;
    (void)argv;
    fuzz_check(gca_sim3_model_default(&model, &err), &err, "SIM3 model");
    return 0;
}

static void check_gap(const gca_sim3_profile *p, const int *levels)
{
    gca_sim3_gap g;
    gca_err err = {0};
    if (gca_sim3_gap_compute(&model, p, levels, &g, &err) < 0) {
        fuzz_check_failure(GCA_ENOMEM, &err, "gap");
        return;
    }
    int met = 0, total = 0;
    for (int k = 0; k < GCA_SIM3_NCAT; k++) {
        if (g.cat[k].met > g.cat[k].total || g.cat[k].met < 0)
            abort();
        met += g.cat[k].met;
        total += g.cat[k].total;
    }
    if (met != g.met || total != g.total || g.all_met != (met == total))
        abort();
    for (size_t i = 0; i < model.n; i++)
        if (g.rows[i].shortfall < 0 || g.rows[i].shortfall > 4)
            abort();
    gca_sim3_gap_release(&g);
}

static void fuzz_levels(const char *text, size_t size, int *levels)
{
    gca_err err = {0};
    int rc = gca_sim3_levels_parse(&model, text, size, "fuzz.csv", levels,
                                   &err);
    for (size_t i = 0; i < model.n; i++) {
        if (levels[i] == GCA_SIM3_NOT_ASSESSED)
            continue;
        if (rc < 0 || levels[i] < 0 || levels[i] > GCA_SIM3_LEVEL_MAX)
            abort(); /* a failure leaves every level "not assessed" */
    }
    if (rc < 0)
        fuzz_check_failure(rc, &err, "assessment file");
}

static void fuzz_baselines(const char *text, size_t size, const int *levels)
{
    gca_sim3_baselines b;
    gca_err err = {0};
    int rc = gca_sim3_baselines_parse(&model, text, size, "fuzz.csv", &b,
                                      &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "baselines file");
        if (b.p || b.n)
            abort();
        return;
    }
    for (size_t i = 0; i < b.n; i++) {
        if (!b.p[i].name[0] || !b.p[i].source[0])
            abort();
        for (size_t k = 0; k < model.n; k++)
            if (b.p[i].min[k] < GCA_SIM3_NOT_ASSESSED ||
                b.p[i].min[k] > GCA_SIM3_LEVEL_MAX)
                abort();
        check_gap(&b.p[i], levels);
    }
    gca_sim3_baselines_release(&b);
}

static void fuzz_formula(const char *text, size_t size)
{
    static const gca_cirt_shutdown shut[] = {{2020, 3, 1}};
    static const gca_cirt_pinput in[] = {
        {"AAA", GCA_CIRT_NONE, 40, {1, 2, 3, 4, 5}, 0.5, shut, 1, 1, 50},
        {"BBB", GCA_CIRT_UNKNOWN, NAN, {NAN, NAN, NAN, NAN, NAN}, NAN,
         NULL, 0, 0, NAN},
        {"CCC", GCA_CIRT_HAS, 90, {20, 20, 20, 20, 20}, 1, NULL, 0, 1, 90},
    };
    gca_cirt_formula f;
    gca_cirt_prow *rows = NULL;
    size_t n = 0;
    gca_err err = {0};
    int rc = gca_cirt_formula_parse(text, size, "fuzz.json", &f, &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "formula file");
        return;
    }
    double w = 0;
    for (size_t j = 0; j < f.n; j++)
        w += f.f[j].weight;
    if (!(w > 0) || f.n == 0 || f.n > GCA_CIRT_MAX_FACTORS)
        abort();
    rc = gca_cirt_prioritise(&f, in, 3, &rows, &n, &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "prioritise");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isnan(rows[i].score) && (rows[i].score < -1e-9 ||
                                      rows[i].score > 1 + 1e-9))
            abort();
        for (size_t j = 0; j < f.n; j++)
            if (isnan(rows[i].share[j]) || isnan(rows[i].contrib[j]))
                abort();
    }
    gca_free(rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    int levels[GCA_SIM3_MAX_PARAMS];
    fuzz_levels(text, size, levels);
    check_gap(NULL, levels);
    fuzz_baselines(text, size, levels);
    fuzz_formula(text, size);
    return 0;
}
