/* framework.c - the framework object: construction, tree links, lookups
 * and loading (format told apart by content). Formats:
 * docs/framework-format.md. */
#include "model/framework.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/fs.h"
#include "core/banned.h"

gca_framework *gca__framework_new(void)
{
    gca_framework *fw = gca_calloc(1, sizeof *fw);
    if (!fw)
        return NULL;
    gca_arena_init(&fw->arena, 16 * 1024);
    fw->top = -1;
    fw->ties = GCA_TIES_MIN;
    return fw;
}

void gca_framework_free(gca_framework *fw)
{
    if (!fw)
        return;
    gca_arena_release(&fw->arena);
    gca_free(fw);
}

int gca__framework_find(const gca_framework *fw, const char *code)
{
    if (!code)
        return -1;
    for (size_t i = 0; i < fw->nnodes; i++)
        if (strcmp(fw->nodes[i].code, code) == 0)
            return (int)i;
    return -1;
}

static size_t hash_code(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

int gca__code_index_build(gca__code_index *ix, const gca_framework *fw)
{
    size_t size = 16;
    while (size < 2 * fw->nnodes)
        size *= 2;
    ix->slot = gca_calloc(size, sizeof *ix->slot);
    ix->mask = size - 1;
    if (!ix->slot)
        return GCA_ENOMEM;
    for (size_t i = 0; i < fw->nnodes; i++) {
        size_t h = hash_code(fw->nodes[i].code) & ix->mask;
        while (ix->slot[h] &&
               strcmp(fw->nodes[ix->slot[h] - 1].code, fw->nodes[i].code))
            h = (h + 1) & ix->mask;
        if (!ix->slot[h])
            ix->slot[h] = (int)i + 1;
    }
    return 0;
}

int gca__code_index_find(const gca__code_index *ix, const gca_framework *fw,
                         const char *code)
{
    if (!code || !ix->slot)
        return -1;
    size_t h = hash_code(code) & ix->mask;
    while (ix->slot[h]) {
        if (!strcmp(fw->nodes[ix->slot[h] - 1].code, code))
            return ix->slot[h] - 1;
        h = (h + 1) & ix->mask;
    }
    return -1;
}

void gca__code_index_release(gca__code_index *ix)
{
    gca_free(ix->slot);
    ix->slot = NULL;
}

double gca__node_param(const gca_node *n, const char *name)
{
    for (size_t i = 0; i < n->nparams; i++)
        if (strcmp(n->params[i].name, name) == 0)
            return n->params[i].value;
    return NAN;
}

int gca__framework_link(gca_framework *fw, gca_err *err)
{
    gca_arena *a = &fw->arena;
    size_t n = fw->nnodes;
    int maxlev = 0;
    gca__code_index ix = {NULL, 0};

    if (fw->parent_code && gca__code_index_build(&ix, fw) < 0)
        return gca_fail(err, GCA_ENOMEM, fw->source, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        gca_node *nd = &fw->nodes[i];
        nd->parent = fw->parent_code
                         ? gca__code_index_find(&ix, fw, fw->parent_code[i])
                         : nd->parent;
        nd->nchildren = 0;
        nd->children = NULL;
        if (nd->level > maxlev)
            maxlev = nd->level;
    }
    gca__code_index_release(&ix);
    for (size_t i = 0; i < n; i++) {
        int p = fw->nodes[i].parent;
        if (p >= 0 && (size_t)p < n && p != (int)i)
            fw->nodes[p].nchildren++;
    }
    for (size_t i = 0; i < n; i++) {
        gca_node *nd = &fw->nodes[i];
        if (nd->nchildren) {
            nd->children = gca_arena_array(a, nd->nchildren, sizeof(int));
            if (!nd->children)
                return gca_fail(err, GCA_ENOMEM, fw->source, 0, 0,
                                "out of memory");
            nd->nchildren = 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int p = fw->nodes[i].parent;
        if (p >= 0 && (size_t)p < n && p != (int)i) {
            gca_node *pn = &fw->nodes[p];
            pn->children[pn->nchildren++] = (int)i;
        }
    }

    fw->indicators = gca_arena_array(a, n ? n : 1, sizeof(int));
    fw->aggregates = gca_arena_array(a, n ? n : 1, sizeof(int));
    if (!fw->indicators || !fw->aggregates)
        return gca_fail(err, GCA_ENOMEM, fw->source, 0, 0, "out of memory");
    fw->nindicators = fw->naggregates = 0;
    for (size_t i = 0; i < n; i++)
        if (fw->nodes[i].type == GCA_NODE_INDICATOR)
            fw->indicators[fw->nindicators++] = (int)i;
    for (int lev = 2; lev <= maxlev; lev++)
        for (size_t i = 0; i < n; i++)
            if (fw->nodes[i].type == GCA_NODE_AGGREGATE &&
                fw->nodes[i].level == lev)
                fw->aggregates[fw->naggregates++] = (int)i;

    /* The top is the parentless node at the highest level; validation
     * reports a framework with more than one. */
    fw->top = -1;
    for (size_t i = 0; i < n; i++)
        if (fw->nodes[i].parent < 0 && fw->nodes[i].level == maxlev) {
            fw->top = (int)i;
            break;
        }
    if (fw->nlevels < maxlev)
        fw->nlevels = maxlev;
    return 0;
}

/* JSON starts with '{' after blanks and an optional BOM; anything else is
 * read as an iMeta CSV. */
static int looks_like_json(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
                       data[i] == '\r'))
        i++;
    return i < len && data[i] == '{';
}

int gca_framework_load_mem(const char *data, size_t len, const char *source,
                           gca_framework **out, gca_errlist *all,
                           gca_err *err)
{
    gca_framework *fw = NULL;
    int rc;

    if (len > GCA_MAX_FRAMEWORK_FILE)
        return gca_fail(err, GCA_ETOOBIG, source, 0, 0,
                        "framework is larger than %u bytes",
                        GCA_MAX_FRAMEWORK_FILE);
    if (looks_like_json(data, len))
        rc = gca__framework_parse_json(data, len, source, &fw, err);
    else
        rc = gca__framework_parse_imeta(data, len, source, &fw, err);
    if (rc < 0)
        goto fail;
    rc = gca__framework_link(fw, err);
    if (rc < 0)
        goto fail;
    rc = gca__framework_validate(fw, all, err);
    if (rc < 0)
        goto fail;
    *out = fw;
    return 0;
fail:
    if (all && err->code && all->n == 0)
        gca_errlist_add(all, err);
    gca_framework_free(fw);
    return rc;
}

int gca_framework_load(const char *path, gca_framework **out,
                       gca_errlist *all, gca_err *err)
{
    gca_buf text = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
    int rc = gca_file_read(path, &text, err);
    if (rc == 0)
        rc = gca_framework_load_mem(gca_buf_str(&text), text.len, path, out,
                                    all, err);
    else if (all)
        gca_errlist_add(all, err);
    gca_buf_release(&text);
    return rc;
}

/* ====== Accessors ====== */

const char *gca_framework_code(const gca_framework *fw)
{
    return fw->code ? fw->code : "";
}

const char *gca_framework_name(const gca_framework *fw)
{
    return fw->name ? fw->name : gca_framework_code(fw);
}

const char *gca_framework_source(const gca_framework *fw)
{
    return fw->source ? fw->source : "";
}

int gca_framework_nlevels(const gca_framework *fw)
{
    return fw->nlevels;
}

const char *gca_framework_level_name(const gca_framework *fw, int level)
{
    static const char *const fallback[] = {"Indicator", "Level_2", "Level_3",
                                           "Level_4",   "Level_5", "Level_6"};
    if (level >= 1 && level <= fw->nlevels && fw->level_names &&
        fw->level_names[level - 1])
        return fw->level_names[level - 1];
    if (level >= 1 && (size_t)level <= GCA_COUNT(fallback))
        return fallback[level - 1];
    return "Level";
}

size_t gca_framework_nnodes(const gca_framework *fw)
{
    return fw->nnodes;
}

const gca_node *gca_framework_node_at(const gca_framework *fw, size_t i)
{
    return i < fw->nnodes ? &fw->nodes[i] : NULL;
}

int gca_framework_find(const gca_framework *fw, const char *code)
{
    return gca__framework_find(fw, code);
}

const gca_node *gca_framework_node(const gca_framework *fw, const char *code)
{
    int i = gca__framework_find(fw, code);
    return i < 0 ? NULL : &fw->nodes[i];
}

int gca_framework_top(const gca_framework *fw)
{
    return fw->top;
}

size_t gca_framework_ncolumns(const gca_framework *fw)
{
    return fw->ncolumns;
}

const gca_column *gca_framework_column_at(const gca_framework *fw, size_t i)
{
    return i < fw->ncolumns ? &fw->columns[i] : NULL;
}

const gca_column *gca_framework_column(const gca_framework *fw,
                                       const char *code)
{
    for (size_t i = 0; i < fw->ncolumns; i++)
        if (strcmp(fw->columns[i].code, code) == 0)
            return &fw->columns[i];
    return NULL;
}

size_t gca_framework_ntiers(const gca_framework *fw)
{
    return fw->ntiers;
}

const gca_tier *gca_framework_tier_at(const gca_framework *fw, size_t i)
{
    return i < fw->ntiers ? &fw->tiers[i] : NULL;
}

const gca_tier *gca_framework_tier_of(const gca_framework *fw, double score)
{
    if (isnan(score))
        return NULL;
    /* Bands are [min, max); the band whose max is the highest includes
     * its max, so that a perfect score has a tier. */
    double top = -INFINITY;
    for (size_t i = 0; i < fw->ntiers; i++)
        if (fw->tiers[i].max > top)
            top = fw->tiers[i].max;
    for (size_t i = 0; i < fw->ntiers; i++) {
        const gca_tier *t = &fw->tiers[i];
        if (score >= t->min && (score < t->max || (t->max == top &&
                                                   score == top)))
            return t;
    }
    return NULL;
}

gca_ties gca_framework_ties(const gca_framework *fw)
{
    return fw->ties ? fw->ties : GCA_TIES_MIN;
}

int gca_framework_weight_set(const gca_framework *fw, const char *set,
                             const char *code, double *w)
{
    for (size_t s = 0; s < fw->nwsets; s++) {
        if (strcmp(fw->wsets[s].name, set) != 0)
            continue;
        int i = gca__framework_find(fw, code);
        *w = i < 0 ? NAN : fw->wsets[s].w[i];
        return 0;
    }
    return GCA_ENOTFOUND;
}

const char *gca_framework_method_json(const gca_framework *fw)
{
    return fw->method_json;
}
