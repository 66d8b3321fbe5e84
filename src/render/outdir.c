/* outdir.c - write every file of a build, or of its statistical audit,
 * into a directory, all or nothing (staged beside the target and renamed
 * at the end; docs/gca.1). */
#include <stdio.h>
#include <string.h>

#include "core/fs.h"
#include "pipeline/result.h"
#include "pipeline/step.h"
#include "gca/render.h"
#include "core/banned.h"

/* "Denominated" -> "denominated.csv" (`lower`), "remove_L2" ->
 * "remove_L2.csv". */
static void file_name(char *dst, size_t size, const char *name,
                      gca_format fmt, int lower)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 6 < size; p++)
        dst[n++] = (char)(lower && *p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    snprintf(dst + n, size - n, "%s", fmt == GCA_FORMAT_JSON ? ".json"
                                                             : ".csv");
}

static int put_file(gca_outdir *od, const char *name, int lower,
                    gca_format fmt, char *text, size_t len, int rc,
                    gca_err *err)
{
    char fname[128];
    if (rc < 0)
        return rc;
    file_name(fname, sizeof fname, name, fmt, lower);
    rc = gca_outdir_write(od, fname, text, len, err);
    gca_free(text);
    return rc;
}

static int put(gca_outdir *od, const char *name, gca_format fmt, char *text,
               size_t len, int rc, gca_err *err)
{
    return put_file(od, name, 1, fmt, text, len, rc, err);
}

/* Rename the staged directory into place after success, else remove it. */
static int finish(gca_outdir *od, int rc, gca_err *err)
{
    if (rc == 0)
        rc = gca_outdir_commit(od, err);
    if (rc < 0)
        gca_outdir_abort(od);
    return rc;
}

int gca_result_write_dir(const gca_result *res, const char *dir,
                         gca_format fmt, gca_err *err)
{
    gca_outdir od;
    char *text = NULL;
    size_t len = 0;
    int rc = gca_outdir_begin(&od, dir, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < res->ndsets && rc == 0; i++) {
        const gca_dset *d = &res->dsets[i];
        /* A step that ran twice: the later data set wins the file. */
        if (gca_result_dset(res, d->name) != d)
            continue;
        rc = gca_render_dset(d, fmt, &text, &len, err);
        rc = put(&od, d->name, fmt, text, len, rc, err);
    }
    for (size_t i = 0; i < res->nreports && rc == 0; i++) {
        const gca_report *rep = &res->reports[i];
        if (gca_result_report(res, rep->name) != rep)
            continue;
        rc = gca_render_report(rep, fmt, &text, &len, err);
        rc = put(&od, rep->name, fmt, text, len, rc, err);
    }
    if (rc == 0) {
        rc = gca_render_scores(res, 0, fmt, &text, &len, err);
        rc = put(&od, "scores", fmt, text, len, rc, err);
    }
    if (rc == 0) {
        rc = gca_render_scores(res, 1, fmt, &text, &len, err);
        rc = put(&od, "ranks", fmt, text, len, rc, err);
    }
    if (rc == 0) {
        rc = gca_render_weights(res, fmt, &text, &len, err);
        rc = put(&od, "weights_effective", fmt, text, len, rc, err);
    }
    int top = gca_framework_top(res->fw);
    if (rc == 0 && gca_framework_ntiers(res->fw) > 0 && top >= 0 &&
        gca__dset_col(gca_result_final(res), top) >= 0) {
        rc = gca_render_tiers(res, fmt, &text, &len, err);
        rc = put(&od, "tiers", fmt, text, len, rc, err);
    }
    return finish(&od, rc, err);
}

int gca_analysis_write_dir(const gca_analysis *an, const char *dir,
                           gca_format fmt, gca_err *err)
{
    gca_outdir od;
    int rc = gca_outdir_begin(&od, dir, err);
    for (size_t i = 0; rc == 0 && i < gca_analysis_ntables(an); i++) {
        const gca_report *t = gca_analysis_table_at(an, i);
        char *text = NULL;
        size_t len = 0;
        /* A name used twice: the later table wins the file. */
        if (gca_analysis_table(an, t->name) != t)
            continue;
        rc = gca_render_report(t, fmt, &text, &len, err);
        rc = put_file(&od, t->name, 0, fmt, text, len, rc, err);
    }
    return finish(&od, rc, err);
}
