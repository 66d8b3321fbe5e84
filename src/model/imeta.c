/* imeta.c - read a COINr iMeta CSV (columns Level, iCode, iName,
 * Direction, Weight, Unit, Target, Denominator, Parent, Type, plus COINr's
 * optional parameter columns such as goalpost_lower) into a framework.
 * Cell types are checked here; the tree rules in validate.c. Format:
 * docs/framework-format.md#imeta. */
#include <math.h>
#include <string.h>

#include "core/csv.h"
#include "model/framework.h"
#include "core/banned.h"

enum icol { C_LEVEL, C_ICODE, C_INAME, C_DIRECTION, C_WEIGHT, C_UNIT,
            C_TARGET, C_DENOMINATOR, C_PARENT, C_TYPE, C_KNOWN };

static const char *const known[C_KNOWN] = {
    "Level", "iCode", "iName", "Direction", "Weight", "Unit",
    "Target", "Denominator", "Parent", "Type"};

/* Required by COINr's check_iMeta. */
static const int required[] = {C_LEVEL, C_ICODE, C_PARENT, C_DIRECTION,
                               C_TYPE, C_WEIGHT};

typedef struct parser {
    const gca_csv *csv;
    const char *source;
    int col[C_KNOWN];   /* CSV column of each known field, -1 = absent */
    gca_framework *fw;
    gca_err *err;
} parser;

static const gca_csv_cell *cell(const parser *p, size_t row, int field)
{
    int c = p->col[field];
    return c < 0 ? NULL : GCA_CSV_CELL(p->csv, row, (size_t)c);
}

/* Text of a cell, or NULL when the column is absent or the cell is NA. */
static const char *text_or_null(const parser *p, size_t row, int field)
{
    const gca_csv_cell *c = cell(p, row, field);
    if (!c || (!c->quoted && gca_is_na(c->text)) || c->text.len == 0 ||
        (c->quoted && gca_str_eq(c->text, "NA")))
        return NULL;
    return c->text.ptr;
}

/* Numeric cell; NaN for NA or an absent column. */
static int number(const parser *p, size_t row, int field, const char *what,
                  double *out)
{
    const gca_csv_cell *c = cell(p, row, field);
    *out = NAN;
    if (!c || gca_is_na(c->text))
        return 0;
    if (!gca_parse_double(c->text, out))
        return gca_fail(p->err, GCA_EPARSE, p->source, c->line, c->col,
                        "%s '%.*s' is not a number", what,
                        (int)(c->text.len > 60 ? 60 : c->text.len),
                        c->text.ptr);
    return 0;
}

static int find_columns(parser *p)
{
    for (int k = 0; k < C_KNOWN; k++)
        p->col[k] = -1;
    for (size_t c = 0; c < p->csv->ncol; c++) {
        const gca_csv_cell *h = GCA_CSV_CELL(p->csv, 0, c);
        /* Parameter columns too: two of a name would give a node two
         * values for one parameter. */
        for (size_t d = 0; d < c; d++)
            if (gca_str_eq(h->text, GCA_CSV_CELL(p->csv, 0, d)->text.ptr))
                return gca_fail(p->err, GCA_EPARSE, p->source, h->line,
                                h->col, "duplicate column '%.60s'",
                                h->text.ptr);
        for (int k = 0; k < C_KNOWN; k++) {
            if (!gca_str_eq(h->text, known[k]))
                continue;
            if (p->col[k] >= 0)
                return gca_fail(p->err, GCA_EPARSE, p->source, h->line,
                                h->col, "duplicate column '%s'", known[k]);
            p->col[k] = (int)c;
        }
    }
    for (size_t k = 0; k < GCA_COUNT(required); k++)
        if (p->col[required[k]] < 0)
            return gca_fail(p->err, GCA_EPARSE, p->source, 1, 0,
                            "iMeta has no '%s' column (required: Level, "
                            "iCode, Parent, Direction, Type, Weight)",
                            known[required[k]]);
    return 0;
}

static int is_known_col(const parser *p, size_t c)
{
    for (int k = 0; k < C_KNOWN; k++)
        if (p->col[k] == (int)c)
            return 1;
    return 0;
}

/* COINr's optional parameter columns (goalpost_lower, minmax_upper, ...)
 * become node parameters; TRUE/FALSE read as 1/0. */
static int read_params(parser *p, size_t row, gca_node *nd)
{
    gca_arena *a = &p->fw->arena;
    size_t extra = p->csv->ncol - 0;
    nd->params = gca_arena_array(a, extra, sizeof *nd->params);
    if (!nd->params)
        return gca_fail(p->err, GCA_ENOMEM, p->source, 0, 0, "out of memory");
    for (size_t c = 0; c < p->csv->ncol; c++) {
        if (is_known_col(p, c))
            continue;
        const gca_csv_cell *h = GCA_CSV_CELL(p->csv, 0, c);
        const gca_csv_cell *v = GCA_CSV_CELL(p->csv, row, c);
        double x;
        if (gca_is_na(v->text))
            continue;
        if (gca_str_eq(gca_str_trim(v->text), "TRUE"))
            x = 1;
        else if (gca_str_eq(gca_str_trim(v->text), "FALSE"))
            x = 0;
        else if (!gca_parse_double(v->text, &x))
            return gca_fail(p->err, GCA_EPARSE, p->source, v->line, v->col,
                            "parameter '%s' value '%.*s' is not a number",
                            h->text.ptr,
                            (int)(v->text.len > 60 ? 60 : v->text.len),
                            v->text.ptr);
        gca_param *pm = &nd->params[nd->nparams++];
        pm->name = gca_arena_strdup(a, h->text.ptr);
        pm->value = x;
        if (!pm->name)
            return gca_fail(p->err, GCA_ENOMEM, p->source, 0, 0,
                            "out of memory");
    }
    return 0;
}

static int read_node(parser *p, size_t row, const char *type,
                     const gca_csv_cell *typecell)
{
    gca_framework *fw = p->fw;
    gca_arena *a = &fw->arena;
    gca_node *nd = &fw->nodes[fw->nnodes];
    const gca_csv_cell *codecell = cell(p, row, C_ICODE);
    double level, dir, w, target;
    int rc;

    memset(nd, 0, sizeof *nd);
    nd->type = strcmp(type, "Indicator") == 0 ? GCA_NODE_INDICATOR
                                              : GCA_NODE_AGGREGATE;
    nd->line = typecell->line;
    nd->parent = -1;
    if ((rc = number(p, row, C_LEVEL, "Level", &level)) < 0 ||
        (rc = number(p, row, C_DIRECTION, "Direction", &dir)) < 0 ||
        (rc = number(p, row, C_WEIGHT, "Weight", &w)) < 0 ||
        (rc = number(p, row, C_TARGET, "Target", &target)) < 0)
        return rc;
    const gca_csv_cell *lc = cell(p, row, C_LEVEL);
    if (isnan(level) || level != floor(level) || level < 1 || level > 1000)
        return gca_fail(p->err, GCA_EFRAMEWORK, p->source, lc->line, lc->col,
                        "'%s': Level must be a whole number from 1 to 1000 "
                        "for an %s (rule: levels)",
                        codecell->text.ptr, type);
    const gca_csv_cell *dc = cell(p, row, C_DIRECTION);
    if (isnan(dir))
        return gca_fail(p->err, GCA_EFRAMEWORK, p->source, dc->line, dc->col,
                        "'%s': Direction is missing (rule: direction is 1 "
                        "or -1)", codecell->text.ptr);
    const gca_csv_cell *wc = cell(p, row, C_WEIGHT);
    if (isnan(w))
        return gca_fail(p->err, GCA_EFRAMEWORK, p->source, wc->line, wc->col,
                        "'%s': Weight is missing (rule: every indicator and "
                        "aggregate has a weight)", codecell->text.ptr);
    nd->level = (int)level;
    /* A direction other than ±1 is kept so that validation reports it. */
    nd->direction = dir == 1 ? 1 : dir == -1 ? -1 : (dir > 0 ? 2 : -2);
    nd->weight = w;
    nd->target = target;
    nd->score_min = nd->score_max = NAN;
    nd->code = gca_arena_strdup(a, codecell->text.ptr);
    nd->name = gca_arena_strdup(a, text_or_null(p, row, C_INAME)
                                       ? text_or_null(p, row, C_INAME)
                                       : codecell->text.ptr);
    nd->unit = gca_arena_strdup(a, text_or_null(p, row, C_UNIT));
    nd->denominator = gca_arena_strdup(a, text_or_null(p, row, C_DENOMINATOR));
    fw->parent_code[fw->nnodes] =
        gca_arena_strdup(a, text_or_null(p, row, C_PARENT));
    if (!nd->code || !nd->name)
        return gca_fail(p->err, GCA_ENOMEM, p->source, 0, 0, "out of memory");
    if (nd->type == GCA_NODE_INDICATOR) {
        rc = read_params(p, row, nd);
        if (rc < 0)
            return rc;
    }
    fw->nnodes++;
    return 0;
}

static int read_column(parser *p, size_t row, gca_column_type type,
                       const gca_csv_cell *typecell)
{
    gca_framework *fw = p->fw;
    gca_arena *a = &fw->arena;
    gca_column *col = &fw->columns[fw->ncolumns];
    const gca_csv_cell *codecell = cell(p, row, C_ICODE);

    col->type = type;
    col->line = typecell->line;
    col->code = gca_arena_strdup(a, codecell->text.ptr);
    col->name = gca_arena_strdup(a, text_or_null(p, row, C_INAME)
                                        ? text_or_null(p, row, C_INAME)
                                        : codecell->text.ptr);
    col->unit = gca_arena_strdup(a, text_or_null(p, row, C_UNIT));
    if (!col->code || !col->name)
        return gca_fail(p->err, GCA_ENOMEM, p->source, 0, 0, "out of memory");
    fw->ncolumns++;
    return 0;
}

/* Framework code from the file name: "dir/asem_iMeta.csv" -> "asem_iMeta". */
static char *code_from_source(gca_arena *a, const char *source)
{
    const char *b = strrchr(source, '/');
    b = b ? b + 1 : source;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    return gca_arena_strndup(a, b, n);
}

int gca__framework_parse_imeta(const char *data, size_t len,
                               const char *source, gca_framework **out,
                               gca_err *err)
{
    gca_csv csv = {0};
    parser p = {0};
    int rc = gca_csv_parse(data, len, source, GCA_MAX_NODES, 1000, &csv, err);
    if (rc < 0)
        return rc;
    p.csv = &csv;
    p.source = source;
    p.err = err;
    p.fw = gca__framework_new();
    if (!p.fw) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto fail;
    }
    gca_framework *fw = p.fw;
    gca_arena *a = &fw->arena;
    rc = find_columns(&p);
    if (rc < 0)
        goto fail;
    size_t nrow = csv.nrow ? csv.nrow : 1;
    fw->nodes = gca_arena_array(a, nrow, sizeof *fw->nodes);
    fw->parent_code = gca_arena_array(a, nrow, sizeof *fw->parent_code);
    fw->columns = gca_arena_array(a, nrow, sizeof *fw->columns);
    fw->source = gca_arena_strdup(a, source);
    fw->code = code_from_source(a, source);
    if (!fw->nodes || !fw->parent_code || !fw->columns || !fw->source ||
        !fw->code) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto fail;
    }
    fw->name = fw->code;
    for (size_t r = 1; r <= csv.nrow; r++) {
        const gca_csv_cell *tc = cell(&p, r, C_TYPE);
        const gca_csv_cell *cc = cell(&p, r, C_ICODE);
        const char *type = tc->text.ptr;
        if (gca_is_na(cc->text)) {
            rc = gca_fail(err, GCA_EFRAMEWORK, source, cc->line, cc->col,
                          "iCode is missing (rule: every row has a code)");
            goto fail;
        }
        if (!strcmp(type, "Indicator") || !strcmp(type, "Aggregate"))
            rc = read_node(&p, r, type, tc);
        else if (!strcmp(type, "Group"))
            rc = read_column(&p, r, GCA_COLUMN_GROUP, tc);
        else if (!strcmp(type, "Denominator"))
            rc = read_column(&p, r, GCA_COLUMN_DENOMINATOR, tc);
        else if (!strcmp(type, "Other"))
            rc = read_column(&p, r, GCA_COLUMN_OTHER, tc);
        else
            rc = gca_fail(err, GCA_EFRAMEWORK, source, tc->line, tc->col,
                          "'%s': Type '%.40s' is not one of Indicator, "
                          "Aggregate, Group, Denominator, Other (rule: type)",
                          cc->text.ptr, type);
        if (rc < 0)
            goto fail;
    }
    gca_csv_release(&csv);
    *out = fw;
    return 0;
fail:
    gca_csv_release(&csv);
    gca_framework_free(p.fw);
    return rc;
}
