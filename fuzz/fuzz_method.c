/* fuzz_method.c - libFuzzer harness for gca_method_load_mem on any bytes;
 * a method that loads is built (gca_build) over the embedded fixture
 * (fixture.h), so that the steps' run-time handling of their parameters
 * is fuzzed too. Checks that failures are explained and that a result
 * keeps its promises: one data set per step after Raw, units sorted and
 * known, columns naming framework nodes, ranks where scores are. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gca.h"
#include "fixture.h"

/* Read-only after LLVMFuzzerInitialize. */
static gca_framework *fixture_fw;
static gca_dataset *fixture_ds;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_fixture_load(&fixture_fw, &fixture_ds);
    return 0;
}

static void fail(const char *what, const char *name)
{
    fprintf(stderr, "fuzz_method: %s%s%s\n", what, name ? ": " : "",
            name ? name : "");
    abort();
}

static void check_dset(const gca_dset *d, const gca_framework *fw,
                       const gca_dataset *ds)
{
    size_t nunit = gca_dataset_nunits(ds), nnode = gca_framework_nnodes(fw);
    if (!d->name || d->nrow > nunit || d->ncol > nnode)
        fail("data set larger than its inputs", d->name);
    for (size_t r = 0; r < d->nrow; r++) {
        if (d->unit[r] < 0 || (size_t)d->unit[r] >= nunit ||
            !d->ucode[r] ||
            strcmp(d->ucode[r], gca_dataset_ucode(ds, (size_t)d->unit[r])))
            fail("row names a unit that is not in the data", d->name);
        if (r > 0 && strcmp(d->ucode[r - 1], d->ucode[r]) >= 0)
            fail("rows are not sorted by uCode", d->name);
    }
    for (size_t c = 0; c < d->ncol; c++)
        if (d->node[c] < 0 || (size_t)d->node[c] >= nnode || !d->icode[c] ||
            strcmp(d->icode[c],
                   gca_framework_node_at(fw, (size_t)d->node[c])->code))
            fail("column names a node that is not in the framework", d->name);
}

static void check_ranks(const gca_result *res)
{
    const gca_dset *f = gca_result_final(res), *rk = gca_result_ranks(res);
    if (rk->nrow != f->nrow || rk->ncol != f->ncol)
        fail("ranks and final data set differ in shape", NULL);
    for (size_t i = 0; i < f->nrow * f->ncol; i++) {
        double v = f->v[i], r = rk->v[i];
        if (isnan(v) != isnan(r) ||
            (!isnan(r) && (r < 1 || r > (double)f->nrow || r != floor(r))))
            fail("rank out of place", f->icode[i / (f->nrow ? f->nrow : 1)]);
    }
}

static void check_result(const gca_result *res, const gca_method *m)
{
    size_t n = gca_framework_nnodes(fixture_fw);
    double w[64];
    gca_err err = {0};
    if (gca_result_ndsets(res) != gca_method_nsteps(m) + 1 ||
        strcmp(gca_result_dset_at(res, 0)->name, "Raw"))
        fail("not one data set per step after Raw", NULL);
    for (size_t i = 0; i < gca_result_ndsets(res); i++)
        check_dset(gca_result_dset_at(res, i), fixture_fw, fixture_ds);
    check_dset(gca_result_ranks(res), fixture_fw, fixture_ds);
    check_ranks(res);
    if (n > GCA_COUNT(w))
        abort();
    fuzz_check(gca_result_weights(res, w, n, &err), &err, "weights");
    fuzz_check(gca_result_effective_weights(res, w, n, &err), &err,
               "effective weights");
    for (size_t i = 0; i < gca_result_nreports(res); i++) {
        const gca_report *rep = gca_result_report_at(res, i);
        for (size_t c = 0; c < rep->ncol; c++)
            if (!rep->header[c])
                fail("report without a column name", rep->name);
        char b[40];
        for (size_t r = 0; r < rep->nrow; r++)
            for (size_t c = 0; c < rep->ncol; c++)
                if (!gca_report_cell(rep, r, c, b, sizeof b))
                    fail("report cell without text", rep->name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gca_method *m = NULL;
    gca_result *res = NULL;
    gca_err err = {0};
    int rc = gca_method_load_mem((const char *)data, size, "fuzz_method.json",
                                 &m, &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "method load failure");
        if (m)
            fail("*out set on failure", NULL);
        return 0;
    }
    for (size_t i = 0; i < gca_method_nsteps(m); i++)
        if (!gca_method_step_name(m, i))
            fail("step without a name", NULL);
    /* The length decides whether COINr's bugs are reproduced, so that
     * both branches of every step are reached. */
    unsigned flags = size & 1 ? GCA_BUILD_COMPAT_COINR : 0;
    rc = gca_build(fixture_fw, fixture_ds, m, flags, &res, &err);
    if (rc == 0)
        check_result(res, m);
    else
        fuzz_check_failure(rc, &err, "build failure");
    gca_result_free(res);
    gca_method_free(m);
    return 0;
}
