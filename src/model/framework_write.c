/* framework_write.c - a framework written out (gca JSON, COINr iMeta CSV)
 * and derived frameworks (cut at a level, indicators excluded). Formats
 * and the meaning of cut/exclude: docs/framework-format.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/framework.h"
#include "core/banned.h"

/* ====== Numbers ====== */

/* Shortest of %.15g, %.16g, %.17g that reads back as the same double, so
 * that 4.11803135 is written as it was read and still round-trips. */
static void put_num(gca_buf *b, double v)
{
    char tmp[40];
    if (v == 0) {
        gca_buf_putc(b, '0'); /* no "-0" */
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (prec == 17 || strtod(tmp, NULL) == v)
            break;
    }
    gca_buf_puts(b, tmp);
}

/* JSON has no infinities; a framework holding one cannot be written. */
static int check_finite(const gca_framework *fw, double v, const char *what,
                        const char *code, gca_err *err)
{
    if (isinf(v))
        return gca_fail(err, GCA_EINVAL, fw->source, 0, 0,
                        "%s of '%s' is infinite and cannot be written as JSON",
                        what, code);
    return 0;
}

/* ====== JSON ====== */

static void key(gca_buf *b, const char *k)
{
    gca_buf_puts(b, ", ");
    gca_buf_json_string(b, k);
    gca_buf_puts(b, ": ");
}

static void key_str(gca_buf *b, const char *k, const char *v)
{
    if (!v)
        return;
    key(b, k);
    gca_buf_json_string(b, v);
}

/* NaN means "not given" and is left out. */
static void key_num(gca_buf *b, const char *k, double v)
{
    if (isnan(v))
        return;
    key(b, k);
    put_num(b, v);
}

static const char *answer_type_name(gca_answer_type t)
{
    switch (t) {
    case GCA_ANSWER_YESNO:
        return "yesno";
    case GCA_ANSWER_YESPARTIALNO:
        return "yesno_partial";
    case GCA_ANSWER_NUMBER:
        return "number";
    case GCA_ANSWER_CHOICE:
        return "choice";
    }
    return "?";
}

static const char *column_type_name(gca_column_type t)
{
    return t == GCA_COLUMN_GROUP         ? "group"
           : t == GCA_COLUMN_DENOMINATOR ? "denominator"
                                         : "other";
}

static void put_question(gca_buf *b, const gca_question *q)
{
    gca_buf_puts(b, "{\"code\": ");
    gca_buf_json_string(b, q->code);
    key_str(b, "text", q->text);
    key_str(b, "type", answer_type_name(q->type));
    key_num(b, "weight", q->weight);
    key_num(b, "min", q->min);
    key_num(b, "max", q->max);
    if (q->nchoices) {
        key(b, "choices");
        gca_buf_putc(b, '[');
        for (size_t k = 0; k < q->nchoices; k++) {
            const gca_choice *c = &q->choices[k];
            gca_buf_puts(b, k ? ", {\"value\": " : "{\"value\": ");
            gca_buf_json_string(b, c->value);
            key_str(b, "label", c->label);
            key_num(b, "score", c->score);
            gca_buf_putc(b, '}');
        }
        gca_buf_putc(b, ']');
    }
    gca_buf_putc(b, '}');
}

static int check_node(const gca_framework *fw, const gca_node *n,
                      gca_err *err)
{
    int rc = check_finite(fw, n->weight, "weight", n->code, err);
    if (!rc)
        rc = check_finite(fw, n->target, "target", n->code, err);
    if (!rc)
        rc = check_finite(fw, n->score_min, "score_min", n->code, err);
    if (!rc)
        rc = check_finite(fw, n->score_max, "score_max", n->code, err);
    for (size_t k = 0; !rc && k < n->nparams; k++)
        rc = check_finite(fw, n->params[k].value, n->params[k].name, n->code,
                          err);
    for (size_t k = 0; !rc && k < n->nquestions; k++) {
        const gca_question *q = &n->questions[k];
        rc = check_finite(fw, q->weight, "question weight", q->code, err);
        if (!rc)
            rc = check_finite(fw, q->min, "question min", q->code, err);
        if (!rc)
            rc = check_finite(fw, q->max, "question max", q->code, err);
        for (size_t c = 0; !rc && c < q->nchoices; c++)
            rc = check_finite(fw, q->choices[c].score, "choice score",
                              q->code, err);
    }
    return rc;
}

/* One node per line; questions, when there are any, one per line below. */
static void put_node(gca_buf *b, const gca_framework *fw, const gca_node *n)
{
    gca_buf_puts(b, "    {\"code\": ");
    gca_buf_json_string(b, n->code);
    key_str(b, "name", n->name);
    key_str(b, "type",
            n->type == GCA_NODE_INDICATOR ? "indicator" : "aggregate");
    key(b, "level");
    gca_buf_printf(b, "%d", n->level);
    if (n->parent >= 0)
        key_str(b, "parent", fw->nodes[n->parent].code);
    key_num(b, "weight", n->weight);
    key(b, "direction");
    gca_buf_printf(b, "%d", n->direction);
    key_str(b, "unit", n->unit);
    key_num(b, "target", n->target);
    key_str(b, "denominator", n->denominator);
    key_num(b, "score_min", n->score_min);
    key_num(b, "score_max", n->score_max);
    key_str(b, "status", n->status);
    if (n->nparams) {
        key(b, "params");
        gca_buf_putc(b, '{');
        for (size_t k = 0; k < n->nparams; k++) {
            if (k)
                gca_buf_puts(b, ", ");
            gca_buf_json_string(b, n->params[k].name);
            gca_buf_puts(b, ": ");
            put_num(b, n->params[k].value);
        }
        gca_buf_putc(b, '}');
    }
    if (n->nquestions) {
        key(b, "questions");
        gca_buf_putc(b, '[');
        for (size_t k = 0; k < n->nquestions; k++) {
            gca_buf_puts(b, k ? ",\n      " : "\n      ");
            put_question(b, &n->questions[k]);
        }
        gca_buf_putc(b, ']');
    }
    gca_buf_putc(b, '}');
}

static void put_top(gca_buf *b, const gca_framework *fw)
{
    gca_buf_puts(b, "{\n  \"code\": ");
    gca_buf_json_string(b, gca_framework_code(fw));
    if (fw->name) {
        gca_buf_puts(b, ",\n  \"name\": ");
        gca_buf_json_string(b, fw->name);
    }
    if (fw->description) {
        gca_buf_puts(b, ",\n  \"description\": ");
        gca_buf_json_string(b, fw->description);
    }
    if (fw->provenance) {
        gca_buf_puts(b, ",\n  \"provenance\": ");
        gca_buf_json_string(b, fw->provenance);
    }
    gca_buf_puts(b, ",\n  \"levels\": [");
    for (int lev = 1; lev <= fw->nlevels; lev++) {
        if (lev > 1)
            gca_buf_puts(b, ", ");
        gca_buf_json_string(b, gca_framework_level_name(fw, lev));
    }
    gca_buf_puts(b, "],\n  \"ties\": ");
    gca_buf_puts(b, gca_framework_ties(fw) == GCA_TIES_DENSE ? "\"dense\""
                                                            : "\"min\"");
}

static void put_rest(gca_buf *b, const gca_framework *fw)
{
    if (fw->ncolumns) {
        gca_buf_puts(b, ",\n  \"columns\": [");
        for (size_t i = 0; i < fw->ncolumns; i++) {
            const gca_column *c = &fw->columns[i];
            gca_buf_puts(b, i ? ",\n    {\"code\": " : "\n    {\"code\": ");
            gca_buf_json_string(b, c->code);
            key_str(b, "name", c->name);
            key_str(b, "type", column_type_name(c->type));
            key_str(b, "unit", c->unit);
            gca_buf_putc(b, '}');
        }
        gca_buf_puts(b, "\n  ]");
    }
    if (fw->ntiers) {
        gca_buf_puts(b, ",\n  \"tiers\": [");
        for (size_t i = 0; i < fw->ntiers; i++) {
            const gca_tier *t = &fw->tiers[i];
            gca_buf_puts(b, i ? ",\n    {\"code\": " : "\n    {\"code\": ");
            gca_buf_json_string(b, t->code);
            key_str(b, "name", t->name);
            key_num(b, "min", t->min);
            key_num(b, "max", t->max);
            key_str(b, "status", t->status);
            gca_buf_putc(b, '}');
        }
        gca_buf_puts(b, "\n  ]");
    }
    if (fw->nwsets) {
        gca_buf_puts(b, ",\n  \"weight_sets\": {");
        for (size_t s = 0; s < fw->nwsets; s++) {
            gca_buf_puts(b, s ? ",\n    " : "\n    ");
            gca_buf_json_string(b, fw->wsets[s].name);
            gca_buf_puts(b, ": {");
            int first = 1;
            for (size_t i = 0; i < fw->nnodes; i++) {
                if (isnan(fw->wsets[s].w[i]))
                    continue;
                if (!first)
                    gca_buf_puts(b, ", ");
                first = 0;
                gca_buf_json_string(b, fw->nodes[i].code);
                gca_buf_puts(b, ": ");
                put_num(b, fw->wsets[s].w[i]);
            }
            gca_buf_putc(b, '}');
        }
        gca_buf_puts(b, "\n  }");
    }
    if (fw->method_json) {
        gca_buf_puts(b, ",\n  \"method\": ");
        gca_buf_puts(b, fw->method_json);
    }
    gca_buf_puts(b, "\n}\n");
}

static int detach(gca_buf *b, const gca_framework *fw, char **out,
                  size_t *len, gca_err *err)
{
    if (gca_buf_error(b)) {
        int rc = gca_buf_error(b);
        gca_buf_release(b);
        return gca_fail(err, rc, fw->source, 0, 0,
                        rc == GCA_ENOMEM ? "out of memory"
                                         : "framework text is too large");
    }
    *out = gca_buf_detach(b, len);
    return 0;
}

int gca_framework_to_json(const gca_framework *fw, char **out, size_t *len,
                          gca_err *err)
{
    gca_buf b = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
    for (size_t i = 0; i < fw->nnodes; i++) {
        int rc = check_node(fw, &fw->nodes[i], err);
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; i < fw->ntiers; i++)
        if (isinf(fw->tiers[i].min) || isinf(fw->tiers[i].max))
            return gca_fail(err, GCA_EINVAL, fw->source, 0, 0,
                            "band of tier '%s' is infinite and cannot be "
                            "written as JSON", fw->tiers[i].code);
    put_top(&b, fw);
    gca_buf_puts(&b, ",\n  \"nodes\": [");
    for (size_t i = 0; i < fw->nnodes; i++) {
        gca_buf_puts(&b, i ? ",\n" : "\n");
        put_node(&b, fw, &fw->nodes[i]);
    }
    gca_buf_puts(&b, "\n  ]");
    put_rest(&b, fw);
    return detach(&b, fw, out, len, err);
}

/* ====== COINr iMeta CSV ====== */

static void csv_cell(gca_buf *b, const char *s)
{
    gca_buf_putc(b, ',');
    if (s)
        gca_buf_csv_field(b, s);
    else
        gca_buf_puts(b, "NA");
}

static void csv_num(gca_buf *b, double v)
{
    gca_buf_putc(b, ',');
    if (isnan(v))
        gca_buf_puts(b, "NA");
    else if (isinf(v))
        gca_buf_puts(b, v > 0 ? "Inf" : "-Inf");
    else
        put_num(b, v);
}

/* Distinct parameter names over all nodes, in order of first use. They
 * become extra columns, as COINr keeps goalpost_lower etc. in iMeta. */
static int param_names(const gca_framework *fw, const char ***names,
                       size_t *n, gca_err *err)
{
    size_t total = 0;
    for (size_t i = 0; i < fw->nnodes; i++)
        total += fw->nodes[i].nparams;
    *n = 0;
    *names = gca_malloc((total ? total : 1) * sizeof **names);
    if (!*names)
        return gca_fail(err, GCA_ENOMEM, fw->source, 0, 0, "out of memory");
    for (size_t i = 0; i < fw->nnodes; i++)
        for (size_t k = 0; k < fw->nodes[i].nparams; k++) {
            const char *nm = fw->nodes[i].params[k].name;
            size_t j = 0;
            while (j < *n && strcmp((*names)[j], nm) != 0)
                j++;
            if (j == *n)
                (*names)[(*n)++] = nm;
        }
    return 0;
}

int gca_framework_to_imeta(const gca_framework *fw, char **out, size_t *len,
                           gca_err *err)
{
    static const char *const coltype[] = {"", "Group", "Denominator",
                                          "Other"};
    gca_buf b = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
    const char **names = NULL;
    size_t nnames = 0;
    int rc = param_names(fw, &names, &nnames, err);
    if (rc < 0)
        return rc;

    gca_buf_puts(&b, "Level,iCode,iName,Direction,Weight,Unit,Target,"
                     "Denominator,Parent,Type");
    for (size_t j = 0; j < nnames; j++)
        csv_cell(&b, names[j]);
    gca_buf_puts(&b, "\n");
    for (size_t i = 0; i < fw->nnodes; i++) {
        const gca_node *n = &fw->nodes[i];
        gca_buf_printf(&b, "%d", n->level);
        csv_cell(&b, n->code);
        csv_cell(&b, n->name);
        gca_buf_printf(&b, ",%d", n->direction);
        csv_num(&b, n->weight);
        csv_cell(&b, n->unit);
        csv_num(&b, n->target);
        csv_cell(&b, n->denominator);
        csv_cell(&b, n->parent >= 0 ? fw->nodes[n->parent].code : NULL);
        csv_cell(&b, n->type == GCA_NODE_INDICATOR ? "Indicator"
                                                   : "Aggregate");
        for (size_t j = 0; j < nnames; j++)
            csv_num(&b, gca__node_param(n, names[j]));
        gca_buf_puts(&b, "\n");
    }
    for (size_t i = 0; i < fw->ncolumns; i++) {
        const gca_column *c = &fw->columns[i];
        gca_buf_puts(&b, "NA");
        csv_cell(&b, c->code);
        csv_cell(&b, c->name);
        gca_buf_puts(&b, ",NA,NA");
        csv_cell(&b, c->unit);
        gca_buf_puts(&b, ",NA,NA,NA");
        csv_cell(&b, coltype[c->type >= 1 && c->type <= 3 ? c->type : 3]);
        for (size_t j = 0; j < nnames; j++)
            gca_buf_puts(&b, ",NA");
        gca_buf_puts(&b, "\n");
    }
    gca_free(names);
    return detach(&b, fw, out, len, err);
}

/* ====== Derived frameworks ====== */

static int nomem(const gca_framework *fw, gca_err *err)
{
    return gca_fail(err, GCA_ENOMEM, fw->source, 0, 0, "out of memory");
}

static int copy_question(gca_arena *a, gca_question *d, const gca_question *s)
{
    *d = *s;
    d->code = gca_arena_strdup(a, s->code);
    d->text = gca_arena_strdup(a, s->text);
    d->choices = NULL;
    d->line = 0;
    if (!d->code || (s->text && !d->text))
        return -1;
    if (s->nchoices) {
        d->choices = gca_arena_array(a, s->nchoices, sizeof *d->choices);
        if (!d->choices)
            return -1;
    }
    for (size_t k = 0; k < s->nchoices; k++) {
        gca_choice *c = &d->choices[k];
        c->value = gca_arena_strdup(a, s->choices[k].value);
        c->label = gca_arena_strdup(a, s->choices[k].label);
        c->score = s->choices[k].score;
        if (!c->value || (s->choices[k].label && !c->label))
            return -1;
    }
    return 0;
}

/* Copy of node `s` in arena `a` without tree links (set by the caller). */
static int copy_node(gca_arena *a, gca_node *d, const gca_node *s)
{
    *d = *s;
    d->code = gca_arena_strdup(a, s->code);
    d->name = gca_arena_strdup(a, s->name);
    d->unit = gca_arena_strdup(a, s->unit);
    d->denominator = gca_arena_strdup(a, s->denominator);
    d->status = gca_arena_strdup(a, s->status);
    d->params = NULL;
    d->questions = NULL;
    d->children = NULL;
    d->nchildren = 0;
    d->line = 0;
    if (!d->code || (s->name && !d->name) || (s->unit && !d->unit) ||
        (s->denominator && !d->denominator) || (s->status && !d->status))
        return -1;
    if (s->nparams) {
        d->params = gca_arena_array(a, s->nparams, sizeof *d->params);
        if (!d->params)
            return -1;
    }
    for (size_t k = 0; k < s->nparams; k++) {
        d->params[k].value = s->params[k].value;
        d->params[k].name = gca_arena_strdup(a, s->params[k].name);
        if (!d->params[k].name)
            return -1;
    }
    if (s->nquestions) {
        d->questions = gca_arena_array(a, s->nquestions, sizeof *d->questions);
        if (!d->questions)
            return -1;
    }
    for (size_t k = 0; k < s->nquestions; k++)
        if (copy_question(a, &d->questions[k], &s->questions[k]) < 0)
            return -1;
    return 0;
}

/* Everything but the nodes: names, columns, tiers, method; level names
 * from level `first` of `src` on, as level 1 of the copy. */
static int copy_meta(gca_framework *fw, const gca_framework *src, int first)
{
    gca_arena *a = &fw->arena;
    fw->code = gca_arena_strdup(a, src->code);
    fw->name = gca_arena_strdup(a, src->name);
    fw->description = gca_arena_strdup(a, src->description);
    fw->source = gca_arena_strdup(a, src->source);
    fw->provenance = gca_arena_strdup(a, src->provenance);
    fw->method_json = gca_arena_strdup(a, src->method_json);
    fw->ties = src->ties;
    fw->nlevels = src->nlevels - (first - 1);
    if ((src->code && !fw->code) || (src->name && !fw->name) ||
        (src->description && !fw->description) ||
        (src->source && !fw->source) ||
        (src->provenance && !fw->provenance) ||
        (src->method_json && !fw->method_json))
        return -1;
    /* Names are always written out, fallbacks included, so that a cut
     * keeps "Level_2" and the like in their shifted places. */
    if (fw->nlevels > 0) {
        fw->level_names = gca_arena_array(a, (size_t)fw->nlevels,
                                          sizeof *fw->level_names);
        if (!fw->level_names)
            return -1;
        for (int lev = first; lev <= src->nlevels; lev++) {
            const char *nm = gca_framework_level_name(src, lev);
            fw->level_names[lev - first] = gca_arena_strdup(a, nm);
            if (!fw->level_names[lev - first])
                return -1;
        }
    }
    if (src->ncolumns) {
        fw->columns = gca_arena_array(a, src->ncolumns, sizeof *fw->columns);
        if (!fw->columns)
            return -1;
    }
    for (size_t i = 0; i < src->ncolumns; i++) {
        const gca_column *s = &src->columns[i];
        gca_column *d = &fw->columns[fw->ncolumns++];
        d->type = s->type;
        d->code = gca_arena_strdup(a, s->code);
        d->name = gca_arena_strdup(a, s->name);
        d->unit = gca_arena_strdup(a, s->unit);
        if (!d->code || (s->name && !d->name) || (s->unit && !d->unit))
            return -1;
    }
    if (src->ntiers) {
        fw->tiers = gca_arena_array(a, src->ntiers, sizeof *fw->tiers);
        if (!fw->tiers)
            return -1;
    }
    for (size_t i = 0; i < src->ntiers; i++) {
        const gca_tier *s = &src->tiers[i];
        gca_tier *d = &fw->tiers[fw->ntiers++];
        *d = *s;
        d->code = gca_arena_strdup(a, s->code);
        d->name = gca_arena_strdup(a, s->name);
        d->status = gca_arena_strdup(a, s->status);
        if (!d->code || (s->name && !d->name) || (s->status && !d->status))
            return -1;
    }
    return 0;
}

/* A new framework holding the nodes of `src` with keep[i] set, in order,
 * levels lowered by `first` - 1, nodes at level `first` made indicators;
 * then linked and validated. */
static int derive(const gca_framework *src, const char *keep, int first,
                  gca_framework **out, gca_err *err)
{
    gca_framework *fw = gca__framework_new();
    int *map = gca_malloc((src->nnodes ? src->nnodes : 1) * sizeof *map);
    int rc = 0;
    if (!fw || !map || copy_meta(fw, src, first) < 0)
        goto oom;
    gca_arena *a = &fw->arena;
    size_t n = 0;
    for (size_t i = 0; i < src->nnodes; i++)
        map[i] = keep[i] ? (int)n++ : -1;
    fw->nodes = gca_arena_array(a, n ? n : 1, sizeof *fw->nodes);
    if (!fw->nodes)
        goto oom;
    for (size_t i = 0; i < src->nnodes; i++) {
        if (!keep[i])
            continue;
        const gca_node *s = &src->nodes[i];
        gca_node *d = &fw->nodes[fw->nnodes++];
        if (copy_node(a, d, s) < 0)
            goto oom;
        d->level = s->level - (first - 1);
        d->parent = s->parent >= 0 ? map[s->parent] : -1;
        if (d->level == 1)
            d->type = GCA_NODE_INDICATOR;
    }
    if (src->nwsets) {
        fw->wsets = gca_arena_array(a, src->nwsets, sizeof *fw->wsets);
        if (!fw->wsets)
            goto oom;
    }
    for (size_t s = 0; s < src->nwsets; s++) {
        gca__weight_set *d = &fw->wsets[fw->nwsets++];
        d->name = gca_arena_strdup(a, src->wsets[s].name);
        d->w = gca_arena_array(a, n ? n : 1, sizeof *d->w);
        if (!d->name || !d->w)
            goto oom;
        for (size_t i = 0; i < src->nnodes; i++)
            if (map[i] >= 0)
                d->w[map[i]] = src->wsets[s].w[i];
    }
    gca_free(map);
    map = NULL;
    rc = gca__framework_link(fw, err);
    if (rc == 0)
        rc = gca__framework_validate(fw, NULL, err);
    if (rc < 0)
        goto fail;
    *out = fw;
    return 0;
oom:
    rc = nomem(src, err);
fail:
    gca_free(map);
    gca_framework_free(fw);
    return rc;
}

int gca_framework_cut(const gca_framework *fw, int level, gca_framework **out,
                      gca_err *err)
{
    if (level < 1 || level > fw->nlevels)
        return gca_fail(err, GCA_EINVAL, fw->source, 0, 0,
                        "cannot cut at level %d: the framework has levels 1 "
                        "to %d", level, fw->nlevels);
    char *keep = gca_malloc(fw->nnodes ? fw->nnodes : 1);
    if (!keep)
        return nomem(fw, err);
    for (size_t i = 0; i < fw->nnodes; i++)
        keep[i] = fw->nodes[i].level >= level;
    int rc = derive(fw, keep, level, out, err);
    gca_free(keep);
    return rc;
}

int gca_framework_exclude(const gca_framework *fw, const char *const *codes,
                          size_t ncodes, gca_framework **out, gca_err *err)
{
    char *keep = gca_malloc(fw->nnodes ? fw->nnodes : 1);
    size_t *left = gca_calloc(fw->nnodes ? fw->nnodes : 1, sizeof *left);
    int rc = 0;
    if (!keep || !left) {
        rc = nomem(fw, err);
        goto out;
    }
    memset(keep, 1, fw->nnodes);
    for (size_t i = 0; i < fw->nnodes; i++)
        left[i] = fw->nodes[i].nchildren;
    for (size_t k = 0; k < ncodes; k++) {
        int i = gca__framework_find(fw, codes[k]);
        if (i < 0) {
            rc = gca_fail(err, GCA_ENOTFOUND, fw->source, 0, 0,
                          "cannot exclude '%.60s': no such indicator",
                          codes[k] ? codes[k] : "(null)");
            goto out;
        }
        if (fw->nodes[i].type != GCA_NODE_INDICATOR) {
            rc = gca_fail(err, GCA_EINVAL, fw->source, 0, 0,
                          "cannot exclude '%s': it is an aggregate; only "
                          "indicators are excluded", codes[k]);
            goto out;
        }
        if (!keep[i])
            continue; /* named twice */
        /* Drop the indicator, then every ancestor it leaves empty. */
        keep[i] = 0;
        for (int p = fw->nodes[i].parent; p >= 0; p = fw->nodes[p].parent) {
            if (--left[p] > 0)
                break;
            keep[p] = 0;
        }
    }
    if (fw->top >= 0 && !keep[fw->top]) {
        rc = gca_fail(err, GCA_EINVAL, fw->source, 0, 0,
                      "excluding %zu indicators leaves no indicator in the "
                      "framework", ncodes);
        goto out;
    }
    rc = derive(fw, keep, 1, out, err);
out:
    gca_free(keep);
    gca_free(left);
    return rc;
}
