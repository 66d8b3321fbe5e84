/* render.c - data sets, reports, scores, ranks, weights, tiers and COINr's
 * get_results table as CSV, JSON or text (formats: docs/method.md#outputs;
 * get_results: COINr's results.R semantics, ranks with the build's tie
 * rule). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "model/dataset.h"
#include "model/framework.h"
#include "pipeline/result.h"
#include "pipeline/step.h"
#include "render/table.h"
#include "core/banned.h"

static int finish(gca__table *t, gca_format fmt, char **out, size_t *len,
                  gca_err *err)
{
    int rc = gca__table_render(t, fmt, out, len, err);
    gca__table_release(t);
    return rc;
}

static int oom(gca_err *err)
{
    return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
}

int gca_render_dset(const gca_dset *d, gca_format fmt, char **out,
                    size_t *len, gca_err *err)
{
    gca__table t;
    const char **hdr = gca_malloc((d->ncol + 1) * sizeof *hdr);
    if (!hdr)
        return oom(err);
    hdr[0] = "uCode";
    for (size_t c = 0; c < d->ncol; c++)
        hdr[c + 1] = d->icode[c];
    gca__table_init(&t, d->ncol + 1, hdr);
    gca_free(hdr);
    for (size_t c = 0; c < d->ncol; c++)
        gca__table_numeric(&t, c + 1);
    for (size_t r = 0; r < d->nrow; r++) {
        size_t row = gca__table_row(&t);
        gca__table_text(&t, row, 0, d->ucode[r]);
        for (size_t c = 0; c < d->ncol; c++)
            gca__table_num(&t, row, c + 1, GCA_DSET_AT(d, r, c));
    }
    return finish(&t, fmt, out, len, err);
}

/* A report cell is numeric if it reads as a number or NA. */
static int is_number_text(const char *s)
{
    char *end;
    if (!strcmp(s, "NA") || !strcmp(s, "Inf") || !strcmp(s, "-Inf"))
        return 1;
    if (!*s)
        return 0;
    strtod(s, &end);
    return *end == '\0';
}

int gca_render_report(const gca_report *rep, gca_format fmt, char **out,
                      size_t *len, gca_err *err)
{
    gca__table t;
    gca__table_init(&t, rep->ncol, rep->header);
    for (size_t c = 0; c < rep->ncol; c++) {
        int numeric = rep->nrow > 0;
        for (size_t r = 0; r < rep->nrow && numeric; r++) {
            const char *s = rep->cell[r * rep->ncol + c];
            numeric = !s || is_number_text(s);
        }
        if (numeric)
            gca__table_numeric(&t, c);
    }
    for (size_t r = 0; r < rep->nrow; r++) {
        size_t row = gca__table_row(&t);
        for (size_t c = 0; c < rep->ncol; c++) {
            const char *s = rep->cell[r * rep->ncol + c];
            if (!s)
                gca__table_num(&t, row, c, rep->num[r * rep->ncol + c]);
            else
                gca__table_text(&t, row, c, strcmp(s, "NA") ? s : NULL);
        }
    }
    return finish(&t, fmt, out, len, err);
}

/* Columns of `d` that are aggregates, top level first, then framework
 * order within a level. Returns their count; `cols` has d->ncol slots. */
static size_t aggregate_cols(const gca_framework *fw, const gca_dset *d,
                             int *cols)
{
    size_t n = 0;
    for (int lev = fw->nlevels; lev >= 2; lev--)
        for (size_t c = 0; c < d->ncol; c++) {
            const gca_node *nd = &fw->nodes[d->node[c]];
            if (nd->type == GCA_NODE_AGGREGATE && nd->level == lev)
                cols[n++] = (int)c;
        }
    return n;
}

int gca_render_scores(const gca_result *res, int ranks, gca_format fmt,
                      char **out, size_t *len, gca_err *err)
{
    const gca_dset *d = ranks ? gca_result_ranks(res) : gca_result_final(res);
    if (!d)
        return oom(err);
    int *cols = gca_malloc((d->ncol + 1) * sizeof *cols);
    const char **hdr = gca_malloc((d->ncol + 1) * sizeof *hdr);
    if (!cols || !hdr) {
        gca_free(cols);
        gca_free(hdr);
        return oom(err);
    }
    size_t n = aggregate_cols(res->fw, d, cols);
    hdr[0] = "uCode";
    for (size_t k = 0; k < n; k++)
        hdr[k + 1] = d->icode[cols[k]];
    gca__table t;
    gca__table_init(&t, n + 1, hdr);
    for (size_t k = 0; k < n; k++)
        gca__table_numeric(&t, k + 1);
    for (size_t r = 0; r < d->nrow; r++) {
        size_t row = gca__table_row(&t);
        gca__table_text(&t, row, 0, d->ucode[r]);
        for (size_t k = 0; k < n; k++)
            gca__table_num(&t, row, k + 1, GCA_DSET_AT(d, r, cols[k]));
    }
    gca_free(cols);
    gca_free(hdr);
    return finish(&t, fmt, out, len, err);
}

int gca_render_weights(const gca_result *res, gca_format fmt, char **out,
                       size_t *len, gca_err *err)
{
    const gca_framework *fw = res->fw;
    size_t n = fw->nnodes;
    double *eff = gca_malloc((n + 1) * sizeof *eff);
    if (!eff)
        return oom(err);
    int rc = gca_result_effective_weights(res, eff, n, err);
    if (rc < 0) {
        gca_free(eff);
        return rc;
    }
    static const char *const hdr[] = {"iCode", "Level", "Weight", "EffWeight"};
    gca__table t;
    gca__table_init(&t, 4, hdr);
    for (size_t c = 1; c < 4; c++)
        gca__table_numeric(&t, c);
    /* Indicators first, then aggregates level by level, as COINr lists
     * them. */
    for (int lev = 1; lev <= fw->nlevels; lev++)
        for (size_t i = 0; i < n; i++) {
            const gca_node *nd = &fw->nodes[i];
            if (nd->level != lev)
                continue;
            size_t row = gca__table_row(&t);
            gca__table_text(&t, row, 0, nd->code);
            gca__table_num(&t, row, 1, nd->level);
            gca__table_num(&t, row, 2, res->weight[i]);
            gca__table_num(&t, row, 3, eff[i]);
        }
    gca_free(eff);
    return finish(&t, fmt, out, len, err);
}

int gca_render_tiers(const gca_result *res, gca_format fmt, char **out,
                     size_t *len, gca_err *err)
{
    const gca_framework *fw = res->fw;
    const gca_dset *d = gca_result_final(res);
    int top = fw->top >= 0 ? gca__dset_col(d, fw->top) : -1;
    if (!fw->ntiers || top < 0)
        return gca_fail(err, GCA_ENOTFOUND, fw->source, 0, 0,
                        "framework has no tiers or no top score");
    const char *hdr[] = {"uCode", fw->nodes[fw->top].code, "Tier",
                         "TierName"};
    gca__table t;
    gca__table_init(&t, 4, hdr);
    gca__table_numeric(&t, 1);
    for (size_t r = 0; r < d->nrow; r++) {
        double s = GCA_DSET_AT(d, r, top);
        const gca_tier *tier = gca_framework_tier_of(fw, s);
        size_t row = gca__table_row(&t);
        gca__table_text(&t, row, 0, d->ucode[r]);
        gca__table_num(&t, row, 1, s);
        gca__table_text(&t, row, 2, tier ? tier->code : NULL);
        gca__table_text(&t, row, 3, tier ? tier->name : NULL);
    }
    return finish(&t, fmt, out, len, err);
}

/* One indicator and its ancestors, level 1 first. */
typedef struct lineage_row {
    const char *code[GCA_MAX_LEVELS];
    int nlev;
} lineage_row;

/* COINr's order: by the top level's code, then the next level down, and
 * so on to the indicator. */
static int cmp_lineage(const void *a, const void *b)
{
    const lineage_row *x = a, *y = b;
    for (int l = x->nlev - 1; l >= 0; l--) {
        int c = gca_str_collate(x->code[l] ? x->code[l] : "",
                                y->code[l] ? y->code[l] : "");
        if (c)
            return c;
    }
    return 0;
}

int gca_render_lineage(const gca_framework *fw, gca_format fmt, char **out,
                       size_t *len, gca_err *err)
{
    int nlev = fw->nlevels;
    if (nlev < 1 || nlev > GCA_MAX_LEVELS)
        return gca_fail(err, GCA_EINVAL, fw->source, 0, 0,
                        "framework has no levels");
    const char *hdr[GCA_MAX_LEVELS];
    for (int l = 0; l < nlev; l++)
        hdr[l] = gca_framework_level_name(fw, l + 1);
    lineage_row *rows = gca_calloc(fw->nindicators + 1, sizeof *rows);
    if (!rows)
        return oom(err);
    for (size_t k = 0; k < fw->nindicators; k++) {
        rows[k].nlev = nlev;
        /* Validation guarantees a chain of one node per level. */
        for (int i = fw->indicators[k]; i >= 0; i = fw->nodes[i].parent) {
            int l = fw->nodes[i].level;
            if (l >= 1 && l <= nlev)
                rows[k].code[l - 1] = fw->nodes[i].code;
        }
    }
    qsort(rows, fw->nindicators, sizeof *rows, cmp_lineage);
    gca__table t;
    gca__table_init(&t, (size_t)nlev, hdr);
    for (size_t k = 0; k < fw->nindicators; k++) {
        size_t row = gca__table_row(&t);
        for (int l = 0; l < nlev; l++)
            gca__table_text(&t, row, (size_t)l, rows[k].code[l]);
    }
    gca_free(rows);
    return finish(&t, fmt, out, len, err);
}
