/* audit_units.c - the statistical audit per unit and per element: COINr's
 * get_str_weak, get_unit_summary and remove_elements
 * (docs/analyse.md#strengths-and-weaknesses, #unit-summary,
 * #removing-elements). */
#include "analysis/audit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "pipeline/resume.h"
#include "pipeline/step.h"
#include "core/banned.h"

/* Row of unit `code` in `d`, or a failure naming both. */
static int unit_row(const gca_dset *d, const char *code, int *row,
                    gca_err *err)
{
    *row = code ? gca__dset_row(d, code) : -1;
    if (*row >= 0)
        return 0;
    return gca_fail(err, GCA_EINVAL, code ? code : "", 0, 0,
                    "unit '%s' is not in data set '%s'", code ? code : "",
                    d->name);
}

/* ====== get_str_weak ====== */

/* What strengths and weaknesses are drawn from: the indicators in
 * COINr's iMeta order with their columns and ranks (1 = best after
 * directions), and each indicator's worst rank. */
typedef struct sw_data {
    int *node, *col;
    size_t n;
    double *rank; /* [n * nrow] */
    double *worst;
} sw_data;

static void sw_release(sw_data *s)
{
    gca_free(s->node);
    gca_free(s->col);
    gca_free(s->rank);
    gca_free(s->worst);
}

static int sw_prepare(const gca_analysis *an, const gca_dset *d, int adjust,
                      sw_data *s, gca_err *err)
{
    const gca_framework *fw = an->fw;
    size_t ni = fw->nindicators ? fw->nindicators : 1;
    memset(s, 0, sizeof *s);
    s->node = gca_malloc(ni * sizeof *s->node);
    s->col = gca_malloc(ni * sizeof *s->col);
    s->rank = gca_malloc(ni * (d->nrow + 1) * sizeof *s->rank);
    s->worst = gca_malloc(ni * sizeof *s->worst);
    double *x = gca_malloc((d->nrow + 1) * sizeof *x);
    int rc = s->node && s->col && s->rank && s->worst && x ? 0
                                                           : gca__an_oom(err);
    for (size_t i = 0; i < fw->nnodes && rc == 0; i++) {
        int node = an->order[i];
        const gca_node *nd = &fw->nodes[node];
        if (nd->type != GCA_NODE_INDICATOR)
            continue;
        int c = gca__dset_col(d, node);
        if (c < 0) {
            rc = gca_fail(err, GCA_EINVAL, d->name, 0, 0,
                          "data set '%s' has no column '%s'", d->name,
                          nd->code);
            break;
        }
        /* COINr ranks the values times the direction, so that rank 1 is
         * the best unit either way. */
        for (size_t r = 0; r < d->nrow; r++)
            x[r] = GCA_DSET_AT(d, r, c) * (adjust ? nd->direction : 1);
        double *rank = &s->rank[s->n * d->nrow];
        if (gca_rank(x, d->nrow, gca_result_ties(an->res), rank) < 0) {
            rc = gca__an_oom(err);
            break;
        }
        double worst = NAN;
        for (size_t r = 0; r < d->nrow; r++)
            if (!isnan(rank[r]) && (isnan(worst) || rank[r] > worst))
                worst = rank[r];
        s->node[s->n] = node;
        s->col[s->n] = c;
        s->worst[s->n] = worst;
        s->n++;
    }
    gca_free(x);
    if (rc < 0)
        sw_release(s);
    return rc;
}

/* The indicators that can be a strength or weakness of row `row`, best
 * first: those where it has a rank that is not the worst rank there
 * (COINr's min_discard), sorted by rank, ties in iMeta order. */
static size_t sw_candidates(const sw_data *s, size_t nrow, size_t row,
                            size_t *cand)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        double rk = s->rank[i * nrow + row];
        if (isnan(rk) || rk == s->worst[i])
            continue;
        /* Insertion keeps equal ranks in their order: a stable sort, as
         * R's order(). */
        size_t j = m++;
        while (j > 0 && s->rank[cand[j - 1] * nrow + row] > rk) {
            cand[j] = cand[j - 1];
            j--;
        }
        cand[j] = i;
    }
    return m;
}

static int sw_row(gca_analysis *an, gca_report *t, size_t row,
                  const gca_dset *d, const sw_data *s, size_t r, size_t i,
                  const char *table, size_t pos, int sig, gca_err *err)
{
    const gca_framework *fw = an->fw;
    const gca_node *nd = &fw->nodes[s->node[i]];
    int pillar = gca__an_ancestor(fw, s->node[i], 2);
    double v = GCA_DSET_AT(d, r, s->col[i]);
    gca__an_text(t, row, 0, d->ucode[r]);
    gca__an_text(t, row, 1, table);
    gca__an_num(t, row, 2, (double)pos);
    gca__an_text(t, row, 3, nd->code);
    gca__an_text(t, row, 4, nd->name);
    gca__an_text(t, row, 5, pillar >= 0 ? fw->nodes[pillar].code : NULL);
    gca__an_num(t, row, 6, s->rank[i * d->nrow + r]);
    gca__an_text(t, row, 8, nd->unit);
    gca__an_num(t, row, 9, v);
    return gca__an_rounded(an, t, row, 7, gca__signif(v, sig), err);
}

/* Rows of `units` (NULL: all rows of d) into `rows`. */
static int pick_units(const gca_dset *d, const char *const *units,
                      size_t nunits, int *rows, size_t *n, gca_err *err)
{
    if (!units) {
        for (size_t r = 0; r < d->nrow; r++)
            rows[r] = (int)r;
        *n = d->nrow;
        return 0;
    }
    for (size_t u = 0; u < nunits; u++) {
        int rc = unit_row(d, units[u], &rows[u], err);
        if (rc < 0)
            return rc;
    }
    *n = nunits;
    return 0;
}

int gca_analysis_str_weak(gca_analysis *an, const char *name,
                          const gca_str_weak_opts *o,
                          const char *const *units, size_t nunits,
                          gca_err *err)
{
    const gca_framework *fw = an->fw;
    static const gca_str_weak_opts dflt = {NULL, 5, 5, 3, -1};
    if (!o)
        o = &dflt;
    const gca_dset *d = gca__an_dset(an->res, o->dset ? o->dset : "Raw",
                                     err);
    if (!d)
        return err->code;
    size_t top = o->top_n ? o->top_n : 5, bottom = o->bottom_n ? o->bottom_n
                                                                : 5;
    int sig = o->sig_figs ? o->sig_figs : 3;
    int adjust = o->adjust_direction < 0 ? !strcmp(d->name, "Raw")
                                         : o->adjust_direction != 0;
    sw_data s;
    int rc = sw_prepare(an, d, adjust, &s, err);
    if (rc < 0)
        return rc;
    size_t nu = units ? nunits : d->nrow;
    int *rows = gca_malloc((nu + 1) * sizeof *rows);
    size_t *cand = gca_malloc((s.n + 1) * sizeof *cand);
    rc = rows && cand ? 0 : gca__an_oom(err);
    if (rc == 0)
        rc = pick_units(d, units, nunits, rows, &nu, err);
    /* One pass to count the rows, one to fill them. */
    size_t nrow = 0;
    for (size_t u = 0; u < nu && rc == 0; u++) {
        size_t m = sw_candidates(&s, d->nrow, (size_t)rows[u], cand);
        nrow += (m < top ? m : top) + (m < bottom ? m : bottom);
    }
    const char *hdr[] = {"uCode", "Table", "Pos", "Code", "Name",
                         gca_framework_level_name(fw, 2), "Rank", "Value",
                         "Unit", "ValueFull"};
    size_t mark = an->ntables;
    gca_report *t = NULL;
    if (rc == 0) {
        t = gca__an_table(an, name, nrow, GCA_COUNT(hdr), hdr, err);
        rc = t ? 0 : GCA_ENOMEM;
    }
    size_t row = 0;
    for (size_t u = 0; u < nu && rc == 0; u++) {
        size_t r = (size_t)rows[u];
        size_t m = sw_candidates(&s, d->nrow, r, cand);
        size_t ks = m < top ? m : top, kw = m < bottom ? m : bottom;
        /* Weaknesses are the last ones, listed best to worst as COINr
         * lists them; with few indicators the two lists overlap. */
        for (size_t k = 0; k < ks && rc == 0; k++)
            rc = sw_row(an, t, row++, d, &s, r, cand[k], "Strengths", k + 1,
                        sig, err);
        for (size_t k = 0; k < kw && rc == 0; k++)
            rc = sw_row(an, t, row++, d, &s, r, cand[m - kw + k],
                        "Weaknesses", k + 1, sig, err);
    }
    if (rc < 0)
        gca__an_truncate(an, mark);
    gca_free(rows);
    gca_free(cand);
    sw_release(&s);
    return rc;
}

/* ====== get_unit_summary ====== */

int gca_analysis_unit_summary(gca_analysis *an, const char *name,
                              const char *dset, const char *const *units,
                              size_t nunits, const int *levels,
                              size_t nlevels, int nround, gca_err *err)
{
    static const char *const hdr[] = {"uCode", "Code", "Name",
                                      "Score", "Rank", "ScoreFull"};
    const gca_framework *fw = an->fw;
    const gca_dset *d = gca__an_dset(an->res, dset, err);
    if (!d)
        return err->code;
    int want[GCA_MAX_LEVELS + 1] = {0};
    if (!levels)
        nlevels = 0;
    for (size_t i = 0; i < nlevels; i++) {
        if (levels[i] < 1 || levels[i] > fw->nlevels)
            return gca_fail(err, GCA_EINVAL, "Levels", 0, 0,
                            "level %d is not a level of the framework "
                            "(1 to %d)", levels[i], fw->nlevels);
        want[levels[i]] = 1;
    }
    if (!levels)
        for (int l = 2; l <= fw->nlevels; l++)
            want[l] = 1;
    size_t nn = fw->nnodes ? fw->nnodes : 1;
    size_t nu = units ? nunits : d->nrow;
    int *nodes = gca_malloc(nn * sizeof *nodes);
    int *cols = gca_malloc(nn * sizeof *cols);
    int *rows = gca_malloc((nu + 1) * sizeof *rows);
    double *rank = gca_malloc(nn * (d->nrow + 1) * sizeof *rank);
    int rc = nodes && cols && rows && rank ? 0 : gca__an_oom(err);
    /* Top level first; within a level COINr's iMeta order. */
    size_t k = 0;
    for (int l = fw->nlevels; l >= 1 && rc == 0; l--)
        for (size_t i = 0; i < fw->nnodes && rc == 0 && want[l]; i++) {
            int node = an->order[i];
            if (fw->nodes[node].level != l)
                continue;
            cols[k] = gca__dset_col(d, node);
            if (cols[k] < 0)
                rc = gca_fail(err, GCA_EINVAL, d->name, 0, 0,
                              "data set '%s' has no column '%s'", d->name,
                              fw->nodes[node].code);
            else
                rc = gca__an_rank(an, d, (size_t)cols[k],
                                  &rank[k * d->nrow], err);
            nodes[k++] = node;
        }
    if (rc == 0)
        rc = pick_units(d, units, nunits, rows, &nu, err);
    size_t mark = an->ntables;
    gca_report *t = NULL;
    if (rc == 0) {
        t = gca__an_table(an, name, nu * k, 6, hdr, err);
        rc = t ? 0 : GCA_ENOMEM;
    }
    for (size_t u = 0; u < nu && rc == 0; u++)
        for (size_t i = 0; i < k && rc == 0; i++) {
            size_t row = u * k + i, r = (size_t)rows[u];
            double v = GCA_DSET_AT(d, r, cols[i]);
            gca__an_text(t, row, 0, d->ucode[r]);
            gca__an_text(t, row, 1, fw->nodes[nodes[i]].code);
            gca__an_text(t, row, 2, fw->nodes[nodes[i]].name);
            gca__an_num(t, row, 4, rank[i * d->nrow + r]);
            gca__an_num(t, row, 5, v);
            if (nround < 0)
                gca__an_num(t, row, 3, v);
            else
                rc = gca__an_rounded(an, t, row, 3, gca__round_r(v, nround),
                                     err);
        }
    if (rc < 0)
        gca__an_truncate(an, mark);
    gca_free(nodes);
    gca_free(cols);
    gca_free(rows);
    gca_free(rank);
    return rc;
}

/* ====== remove_elements ====== */

/* Column `code` of data set `dset` after rebuilding with weights `w`,
 * matched to the rows of `d` by unit code, into y (NaN where the rebuild
 * fails or lacks the unit). */
typedef struct rebuild {
    gca_arena keep, run;   /* Raw; one rebuild */
    gca_dset raw;
    gca_dset *out;         /* [nsteps] */
    double *weight;        /* [nnodes] scratch of the steps */
    gca_result *scratch;
} rebuild;

static void rebuild_release(rebuild *b)
{
    gca_arena_release(&b->keep);
    gca_arena_release(&b->run);
    gca_free(b->out);
    gca_free(b->weight);
    gca_result_free(b->scratch);
}

static int rebuild_init(rebuild *b, const gca_result *res, gca_err *err)
{
    memset(b, 0, sizeof *b);
    gca_arena_init(&b->keep, 256 * 1024);
    gca_arena_init(&b->run, 256 * 1024);
    size_t nsteps = gca_method_nsteps(res->m);
    b->out = gca_calloc(nsteps + 1, sizeof *b->out);
    b->weight = gca_malloc((res->fw->nnodes + 1) * sizeof *b->weight);
    b->scratch = gca__result_scratch();
    if (!b->out || !b->weight || !b->scratch)
        return gca__an_oom(err);
    return gca__build_raw(res->fw, res->ds, &b->keep, &b->raw, err);
}

/* Rebuild with weights `w`; returns the data set `name` made (the latest
 * of that name), or NULL with *err filled when the rebuild fails. */
static const gca_dset *rebuild_run(rebuild *b, const gca_result *res,
                                   const char *name, const double *w,
                                   gca_err *err)
{
    size_t nsteps = gca_method_nsteps(res->m);
    gca_arena_reset(&b->run);
    if (gca__build_steps(res->fw, res->ds, res->m, res->flags, 0, nsteps,
                         &b->raw, &b->run, b->scratch, b->weight, w, b->out,
                         err) < 0)
        return NULL;
    for (size_t s = nsteps; s-- > 0;)
        if (!strcmp(b->out[s].name, name))
            return &b->out[s];
    return !strcmp(b->raw.name, name) ? &b->raw : NULL;
}

static const char *const re_suffix[] = {"scores", "ranks", "rankdiffs",
                                        "rankabsdiffs"};

/* The four tables of remove_elements from scores y[k][r] (k = 0 the
 * nominal), and the mean absolute rank changes. */
static int re_tables(gca_analysis *an, const char *prefix, const gca_dset *d,
                     const int *elem, size_t ne, const double *y,
                     gca_err *err)
{
    const gca_framework *fw = an->fw;
    size_t nrow = d->nrow, nc = ne + 1;
    const char **hdr = gca_malloc((nc + 1) * sizeof *hdr);
    double *rank = gca_malloc(nc * (nrow + 1) * sizeof *rank);
    int rc = hdr && rank ? 0 : gca__an_oom(err);
    for (size_t k = 0; k < nc && rc == 0; k++)
        if (gca_rank(&y[k * nrow], nrow, gca_result_ties(an->res),
                     &rank[k * nrow]) < 0)
            rc = gca__an_oom(err);
    if (rc == 0) {
        hdr[0] = "uCode";
        hdr[1] = "Nominal";
        for (size_t k = 0; k < ne; k++)
            hdr[k + 2] = fw->nodes[elem[k]].code;
    }
    char tname[256];
    for (int kind = 0; kind < 4 && rc == 0; kind++) {
        snprintf(tname, sizeof tname, "%s%s", prefix, re_suffix[kind]);
        gca_report *t = gca__an_table(an, tname, nrow, nc + 1, hdr, err);
        if (!t) {
            rc = GCA_ENOMEM;
            break;
        }
        for (size_t r = 0; r < nrow; r++) {
            gca__an_text(t, r, 0, d->ucode[r]);
            for (size_t k = 0; k < nc; k++) {
                double diff = rank[r] - rank[k * nrow + r];
                double v = kind == 0   ? y[k * nrow + r]
                           : kind == 1 ? rank[k * nrow + r]
                           : kind == 2 ? diff
                                       : fabs(diff);
                gca__an_num(t, r, k + 1, v);
            }
        }
    }
    static const char *const mhdr[] = {"Removed", "MeanAbsDiff"};
    snprintf(tname, sizeof tname, "%smeanabsdiff", prefix);
    gca_report *t = rc == 0 ? gca__an_table(an, tname, nc, 2, mhdr, err)
                            : NULL;
    if (rc == 0 && !t)
        rc = GCA_ENOMEM;
    for (size_t k = 0; k < nc && rc == 0; k++) {
        /* colMeans(na.rm = TRUE): units without a rank are left out. */
        double sum = 0, cnt = 0;
        for (size_t r = 0; r < nrow; r++) {
            double diff = fabs(rank[r] - rank[k * nrow + r]);
            if (!isnan(diff)) {
                sum += diff;
                cnt++;
            }
        }
        gca__an_text(t, k, 0, hdr[k + 1]);
        gca__an_num(t, k, 1, sum / cnt);
    }
    gca_free(hdr);
    gca_free(rank);
    return rc;
}

int gca_analysis_remove_elements(gca_analysis *an, const char *prefix,
                                 int level, const char *dset,
                                 const char *code, gca_err *err)
{
    const gca_result *res = an->res;
    const gca_framework *fw = an->fw;
    if (level < 1 || level >= fw->nlevels)
        return gca_fail(err, GCA_EINVAL, "Level", 0, 0,
                        "level %d cannot be removed: give a level from 1 "
                        "to %d", level, fw->nlevels - 1);
    const gca_dset *d = gca__an_dset(res, dset, err);
    if (!d)
        return err->code;
    int node = code ? gca__framework_find(fw, code) : fw->top;
    int col = node >= 0 ? gca__dset_col(d, node) : -1;
    if (col < 0)
        return gca_fail(err, GCA_EINVAL, d->name, 0, 0,
                        "data set '%s' has no column '%s'", d->name,
                        code ? code : fw->nodes[fw->top].code);
    size_t nrow = d->nrow, nn = fw->nnodes;
    int *elem = gca_malloc((nn + 1) * sizeof *elem);
    double *w = gca_malloc((nn + 1) * sizeof *w);
    double *y = gca_malloc((nn + 1) * (nrow + 1) * sizeof *y);
    rebuild b;
    int rc = rebuild_init(&b, res, err);
    if (rc == 0 && (!elem || !w || !y))
        rc = gca__an_oom(err);
    /* The elements in COINr's order (its weights table follows iMeta). */
    size_t ne = 0;
    for (size_t i = 0; i < nn && rc == 0; i++)
        if (fw->nodes[an->order[i]].level == level)
            elem[ne++] = an->order[i];
    if (rc == 0) {
        memcpy(y, &d->v[(size_t)col * nrow], nrow * sizeof *y);
        rc = gca_result_weights(res, w, nn, err);
    }
    for (size_t k = 0; k < ne && rc == 0; k++) {
        double *yk = &y[(k + 1) * nrow];
        double keep = w[elem[k]];
        w[elem[k]] = 0;
        gca_err e = {0};
        const gca_dset *nd = rebuild_run(&b, res, d->name, w, &e);
        w[elem[k]] = keep;
        if (e.code == GCA_ENOMEM) {
            rc = gca__an_oom(err);
            break;
        }
        /* A rebuild that fails (a parent with no weight left) scores no
         * unit; COINr would give NaN there too. */
        int c = nd ? gca__dset_col(nd, node) : -1;
        for (size_t r = 0; r < nrow; r++) {
            int nr = c >= 0 ? gca__dset_row(nd, d->ucode[r]) : -1;
            yk[r] = nr >= 0 ? GCA_DSET_AT(nd, nr, c) : NAN;
        }
    }
    size_t mark = an->ntables;
    if (rc == 0)
        rc = re_tables(an, prefix, d, elem, ne, y, err);
    if (rc < 0)
        gca__an_truncate(an, mark);
    rebuild_release(&b);
    gca_free(elem);
    gca_free(w);
    gca_free(y);
    return rc;
}
