/* framework_json.c - read a gca framework JSON file (format and defaults:
 * docs/framework-format.md#json). jansson checks the syntax; a second
 * pass over the text finds the line of every node, question and column,
 * since jansson keeps no positions for values. Fields are type-checked
 * here; the tree rules are in validate.c. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "model/framework.h"
#include "core/banned.h"

/* Ceilings beyond those in gca/model.h, so that no list can make the
 * quadratic checks (duplicates, overlaps) or weight sets (one number per
 * node each) expensive. */
#define MAX_QUESTIONS 10000 /* per node */
#define MAX_CHOICES 1000    /* per question */
#define MAX_TIERS 1000
#define MAX_WEIGHT_SETS 100

/* ====== Lines of values ======
 *
 * The text is valid JSON by the time it is scanned, so the scanner only
 * tracks strings, brackets, commas and colons. It records the line where
 * each element of the top-level arrays "nodes", "columns" and "tiers"
 * starts, of each "questions" element inside a node, and of each
 * top-level key. Elements are recorded in document order, which is the
 * order jansson gives array elements in. */

typedef struct linelist {
    int *line;
    int *owner; /* questions: index of the node they belong to */
    size_t n, cap;
} linelist;

typedef struct topkey {
    gca_str key;
    int line;
} topkey;

typedef struct lines {
    linelist nodes, columns, tiers, questions;
    topkey *keys;
    size_t nkeys, capkeys;
    int nomem;
} lines;

#define SCAN_DEPTH 8 /* frames kept in detail; deeper ones are counted */

typedef struct frame {
    char kind;    /* '{' or '[' */
    int want_key; /* object: the next string is a key */
    gca_str key;  /* object: the last key read */
    size_t idx;   /* array: index of the current element */
} frame;

static void list_add(lines *L, linelist *l, int line, int owner)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        int *a = gca_realloc(l->line, cap * sizeof *a);
        if (!a) {
            L->nomem = 1;
            return;
        }
        l->line = a;
        int *o = gca_realloc(l->owner, cap * sizeof *o);
        if (!o) {
            L->nomem = 1;
            return;
        }
        l->owner = o;
        l->cap = cap;
    }
    l->line[l->n] = line;
    l->owner[l->n] = owner;
    l->n++;
}

static void lines_release(lines *L)
{
    linelist *all[] = {&L->nodes, &L->columns, &L->tiers, &L->questions};
    for (size_t i = 0; i < GCA_COUNT(all); i++) {
        gca_free(all[i]->line);
        gca_free(all[i]->owner);
    }
    gca_free(L->keys);
}

/* A value starts at `line` with `d` frames open (f[0] is the root). */
static void value_start(lines *L, const frame *f, int d, int line)
{
    if (d == 2 && f[1].kind == '[') {
        if (gca_str_eq(f[0].key, "nodes"))
            list_add(L, &L->nodes, line, 0);
        else if (gca_str_eq(f[0].key, "columns"))
            list_add(L, &L->columns, line, 0);
        else if (gca_str_eq(f[0].key, "tiers"))
            list_add(L, &L->tiers, line, 0);
    } else if (d == 4 && f[3].kind == '[' && f[2].kind == '{' &&
               f[1].kind == '[' && gca_str_eq(f[0].key, "nodes") &&
               gca_str_eq(f[2].key, "questions")) {
        list_add(L, &L->questions, line, (int)f[1].idx);
    }
}

static void top_key(lines *L, gca_str key, int line)
{
    if (L->nkeys == L->capkeys) {
        size_t cap = L->capkeys ? L->capkeys * 2 : 16;
        topkey *k = gca_realloc(L->keys, cap * sizeof *k);
        if (!k) {
            L->nomem = 1;
            return;
        }
        L->keys = k;
        L->capkeys = cap;
    }
    L->keys[L->nkeys++] = (topkey){key, line};
}

static void scan_lines(const char *s, size_t len, lines *L)
{
    frame f[SCAN_DEPTH] = {{0}};
    int d = 0, line = 1;
    for (size_t i = 0; i < len && !L->nomem; i++) {
        char c = s[i];
        frame *top = d > 0 && d <= SCAN_DEPTH ? &f[d - 1] : NULL;
        if (c == '\n') {
            line++;
        } else if (c == '"') {
            size_t j = i + 1;
            while (j < len && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            gca_str str = {s + i + 1, j - i - 1};
            if (top && top->kind == '{' && top->want_key) {
                top->key = str;
                top->want_key = 0;
                if (d == 1)
                    top_key(L, str, line);
            } else if (d <= SCAN_DEPTH) {
                value_start(L, f, d, line);
            }
            i = j;
        } else if (c == '{' || c == '[') {
            if (d <= SCAN_DEPTH)
                value_start(L, f, d, line);
            if (d < SCAN_DEPTH)
                f[d] = (frame){c, c == '{', {NULL, 0}, 0};
            d++;
        } else if (c == '}' || c == ']') {
            d--;
        } else if (c == ',') {
            if (top && top->kind == '[')
                top->idx++;
            else if (top)
                top->want_key = 1;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != ':') {
            /* A number, true, false or null: one value, skipped whole. */
            if (d <= SCAN_DEPTH)
                value_start(L, f, d, line);
            while (i + 1 < len && strchr("+-.eE0123456789truefalsn", s[i + 1]))
                i++;
        }
    }
}

static int line_of_key(const lines *L, const char *key)
{
    for (size_t i = 0; i < L->nkeys; i++)
        if (gca_str_eq(L->keys[i].key, key))
            return L->keys[i].line;
    return 0;
}

/* ====== Parser state and field helpers ====== */

typedef struct parser {
    gca_framework *fw;
    const char *source;
    gca_err *err;
    lines L;
    int *qfirst;     /* [nnodes] index in L.questions of the node's first */
    gca__code_index index;
} parser;

/* What a message calls the object being read: "node 'LPI'". */
typedef struct ctx {
    const char *what; /* "node", "question", "column", "tier", ... */
    const char *code; /* its code, NULL before it is known */
    size_t idx;       /* position in its array, named when code is NULL */
    int line;
} ctx;

#define ROOT ((size_t)-1) /* ctx.idx of the top-level object */

static int fail_field(parser *p, const ctx *c, int code, const char *field,
                      const char *rule)
{
    if (c->code)
        return gca_fail(p->err, code, p->source, c->line, 0,
                        "field '%s' of %s '%.60s' %s", field, c->what,
                        c->code, rule);
    if (c->idx == ROOT)
        return gca_fail(p->err, code, p->source, c->line, 0,
                        "field '%s' of the %s %s", field, c->what, rule);
    return gca_fail(p->err, code, p->source, c->line, 0,
                    "field '%s' of %s %zu %s", field, c->what, c->idx + 1,
                    rule);
}

static int oom(parser *p)
{
    return gca_fail(p->err, GCA_ENOMEM, p->source, 0, 0, "out of memory");
}

/* Every key of `obj` must be in `known` (NULL-terminated). */
static int check_keys(parser *p, const ctx *c, json_t *obj,
                      const char *const *known)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        size_t i = 0;
        while (known[i] && strcmp(known[i], k) != 0)
            i++;
        if (!known[i]) {
            if (c->code)
                return gca_fail(p->err, GCA_EPARSE, p->source, c->line, 0,
                                "unknown key '%.60s' in %s '%.60s'", k,
                                c->what, c->code);
            return gca_fail(p->err, GCA_EPARSE, p->source, c->line, 0,
                            "unknown key '%.60s' in %s %zu", k, c->what,
                            c->idx + 1);
        }
    }
    return 0;
}

/* Optional string field: *out = copy, or NULL when absent or null. */
static int get_str(parser *p, const ctx *c, json_t *obj, const char *field,
                   int required, char **out)
{
    json_t *v = json_object_get(obj, field);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return fail_field(p, c, GCA_EPARSE, field, "is missing");
        return 0;
    }
    if (!json_is_string(v))
        return fail_field(p, c, GCA_EPARSE, field, "must be a string");
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return fail_field(p, c, GCA_EPARSE, field, "contains a NUL byte");
    *out = gca_arena_strdup(&p->fw->arena, s);
    return *out ? 0 : oom(p);
}

/* A code: required string, at most GCA_MAX_CODE bytes. */
static int get_code(parser *p, const ctx *c, json_t *obj, char **out)
{
    int rc = get_str(p, c, obj, "code", 1, out);
    if (rc < 0)
        return rc;
    if (strlen(*out) > GCA_MAX_CODE)
        return gca_fail(p->err, GCA_ETOOBIG, p->source, c->line, 0,
                        "%s code '%.40s...' is longer than %d bytes",
                        c->what, *out, GCA_MAX_CODE);
    return 0;
}

/* Optional number: *out = value, or `dflt` when absent or null. */
static int get_num(parser *p, const ctx *c, json_t *obj, const char *field,
                   double dflt, double *out)
{
    json_t *v = json_object_get(obj, field);
    *out = dflt;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v))
        return fail_field(p, c, GCA_EPARSE, field, "must be a number");
    *out = json_number_value(v);
    return 0;
}

static int get_int(parser *p, const ctx *c, json_t *obj, const char *field,
                   int *present, json_int_t *out)
{
    json_t *v = json_object_get(obj, field);
    *present = v && !json_is_null(v);
    if (!*present)
        return 0;
    if (!json_is_integer(v))
        return fail_field(p, c, GCA_EPARSE, field,
                          "must be a whole number");
    *out = json_integer_value(v);
    return 0;
}

/* One of `names` (NULL-terminated): *out = its index, or -1 if absent. */
static int get_enum(parser *p, const ctx *c, json_t *obj, const char *field,
                    const char *const *names, const char *list, int *out)
{
    char *s;
    int rc = get_str(p, c, obj, field, 0, &s);
    *out = -1;
    if (rc < 0 || !s)
        return rc;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], s)) {
            *out = i;
            return 0;
        }
    char rule[128];
    snprintf(rule, sizeof rule, "must be one of %s, not '%.40s'", list, s);
    return fail_field(p, c, GCA_EPARSE, field, rule);
}

/* Array field: *out = the array, or NULL when absent or null. */
static int get_array(parser *p, const ctx *c, json_t *obj, const char *field,
                     json_t **out)
{
    json_t *v = json_object_get(obj, field);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return fail_field(p, c, GCA_EPARSE, field, "must be an array");
    *out = v;
    return 0;
}

static int get_object(parser *p, const ctx *c, json_t *obj, const char *field,
                      json_t **out)
{
    json_t *v = json_object_get(obj, field);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_object(v))
        return fail_field(p, c, GCA_EPARSE, field, "must be an object");
    *out = v;
    return 0;
}

static int element_object(parser *p, const ctx *c, json_t *v)
{
    if (json_is_object(v))
        return 0;
    return gca_fail(p->err, GCA_EPARSE, p->source, c->line, 0,
                    "%s %zu must be an object", c->what, c->idx + 1);
}

/* ====== Code lookup ====== */

static int hash_build(parser *p)
{
    return gca__code_index_build(&p->index, p->fw) < 0 ? oom(p) : 0;
}

static int hash_find(const parser *p, const char *code)
{
    return gca__code_index_find(&p->index, p->fw, code);
}

/* ====== Questions ====== */

static const char *const answer_names[] = {"yesno", "yesno_partial",
                                           "number", "choice", NULL};

/* yes/no questions without a scoring map score yes 1, partial 0.5, no 0. */
static int default_choices(parser *p, gca_question *q)
{
    static const gca_choice yn[] = {{"yes", "Yes", 1}, {"no", "No", 0}};
    static const gca_choice ypn[] = {
        {"yes", "Yes", 1}, {"partial", "Partial", 0.5}, {"no", "No", 0}};
    const gca_choice *src = q->type == GCA_ANSWER_YESNO ? yn : ypn;
    size_t n = q->type == GCA_ANSWER_YESNO ? 2 : 3;
    q->choices = gca_arena_array(&p->fw->arena, n, sizeof *q->choices);
    if (!q->choices)
        return oom(p);
    for (size_t k = 0; k < n; k++) {
        q->choices[k].value = gca_arena_strdup(&p->fw->arena, src[k].value);
        q->choices[k].label = gca_arena_strdup(&p->fw->arena, src[k].label);
        q->choices[k].score = src[k].score;
        if (!q->choices[k].value || !q->choices[k].label)
            return oom(p);
    }
    q->nchoices = n;
    return 0;
}

static int read_choices(parser *p, const ctx *qc, json_t *arr,
                        gca_question *q)
{
    static const char *const keys[] = {"value", "label", "score", NULL};
    size_t n = json_array_size(arr);
    if (n > MAX_CHOICES)
        return gca_fail(p->err, GCA_ETOOBIG, p->source, qc->line, 0,
                        "question '%s' has %zu choices; at most %d", q->code,
                        n, MAX_CHOICES);
    q->choices = gca_arena_array(&p->fw->arena, n ? n : 1, sizeof *q->choices);
    if (!q->choices)
        return oom(p);
    for (size_t k = 0; k < n; k++) {
        json_t *v = json_array_get(arr, k);
        gca_choice *ch = &q->choices[k];
        ctx c = {"choice of question", q->code, k, qc->line};
        int rc = element_object(p, &c, v);
        if (!rc)
            rc = check_keys(p, &c, v, keys);
        if (!rc)
            rc = get_str(p, &c, v, "value", 1, &ch->value);
        if (!rc)
            rc = get_str(p, &c, v, "label", 0, &ch->label);
        if (!rc && !json_is_number(json_object_get(v, "score")))
            rc = fail_field(p, &c, GCA_EPARSE, "score",
                            "must be a number");
        if (rc < 0)
            return rc;
        ch->score = json_number_value(json_object_get(v, "score"));
        if (!ch->label)
            ch->label = ch->value;
        for (size_t j = 0; j < k; j++)
            if (!strcmp(q->choices[j].value, ch->value))
                return gca_fail(p->err, GCA_EFRAMEWORK, p->source, qc->line,
                                0, "question '%s' lists answer '%.60s' twice "
                                "(rule: questions)", q->code, ch->value);
        q->nchoices++;
    }
    return 0;
}

static int read_question(parser *p, size_t node, size_t k, json_t *v,
                         gca_question *q)
{
    static const char *const keys[] = {"code", "text", "type", "weight",
                                       "min", "max", "choices", NULL};
    size_t qi = p->qfirst[node] < 0 ? SIZE_MAX : (size_t)p->qfirst[node] + k;
    ctx c = {"question", NULL, k,
             qi < p->L.questions.n ? p->L.questions.line[qi]
                                   : p->fw->nodes[node].line};
    json_t *choices;
    int type, rc = element_object(p, &c, v);
    if (!rc)
        rc = get_code(p, &c, v, &q->code);
    c.code = q->code;
    if (!rc)
        rc = check_keys(p, &c, v, keys);
    if (!rc)
        rc = get_str(p, &c, v, "text", 0, &q->text);
    if (!rc)
        rc = get_enum(p, &c, v, "type", answer_names,
                      "yesno, yesno_partial, number, choice", &type);
    if (!rc && type < 0)
        rc = fail_field(p, &c, GCA_EPARSE, "type", "is missing");
    if (!rc)
        rc = get_num(p, &c, v, "weight", 1, &q->weight);
    if (!rc)
        rc = get_num(p, &c, v, "min", NAN, &q->min);
    if (!rc)
        rc = get_num(p, &c, v, "max", NAN, &q->max);
    if (!rc)
        rc = get_array(p, &c, v, "choices", &choices);
    if (rc < 0)
        return rc;
    q->line = c.line;
    q->type = (gca_answer_type)(type + 1);
    const char *why = gca_code_problem(q->code);
    if (why)
        return gca_fail(p->err, GCA_EFRAMEWORK, p->source, c.line, 0,
                        "question code '%.60s' %s (rule: codes)", q->code,
                        why);
    if (q->type == GCA_ANSWER_NUMBER && choices)
        return gca_fail(p->err, GCA_EFRAMEWORK, p->source, c.line, 0,
                        "question '%s' of type number has choices (rule: "
                        "questions)", q->code);
    if (choices)
        return read_choices(p, &c, choices, q);
    if (q->type == GCA_ANSWER_CHOICE)
        return gca_fail(p->err, GCA_EFRAMEWORK, p->source, c.line, 0,
                        "question '%s' of type choice has no choices (rule: "
                        "questions)", q->code);
    if (q->type == GCA_ANSWER_NUMBER)
        return 0;
    return default_choices(p, q);
}

static int read_questions(parser *p, size_t node, json_t *arr, gca_node *nd)
{
    size_t n = json_array_size(arr);
    if (n > MAX_QUESTIONS)
        return gca_fail(p->err, GCA_ETOOBIG, p->source, nd->line, 0,
                        "node '%s' has %zu questions; at most %d", nd->code,
                        n, MAX_QUESTIONS);
    nd->questions = gca_arena_array(&p->fw->arena, n ? n : 1,
                                    sizeof *nd->questions);
    if (!nd->questions)
        return oom(p);
    for (size_t k = 0; k < n; k++) {
        gca_question *q = &nd->questions[k];
        int rc = read_question(p, node, k, json_array_get(arr, k), q);
        if (rc < 0)
            return rc;
        for (size_t j = 0; j < k; j++)
            if (!strcmp(nd->questions[j].code, q->code))
                return gca_fail(p->err, GCA_EFRAMEWORK, p->source, q->line,
                                0, "duplicate question code '%s' in node "
                                "'%s' (rule: unique codes)", q->code,
                                nd->code);
        nd->nquestions++;
    }
    return 0;
}

/* ====== Nodes ====== */

static int read_params(parser *p, const ctx *c, json_t *obj, gca_node *nd)
{
    const char *k;
    json_t *v;
    nd->params = gca_arena_array(&p->fw->arena, json_object_size(obj) + 1,
                                 sizeof *nd->params);
    if (!nd->params)
        return oom(p);
    json_object_foreach(obj, k, v) {
        if (!json_is_number(v))
            return gca_fail(p->err, GCA_EPARSE, p->source, c->line, 0,
                            "parameter '%.60s' of node '%s' must be a "
                            "number", k, nd->code);
        gca_param *pm = &nd->params[nd->nparams++];
        pm->name = gca_arena_strdup(&p->fw->arena, k);
        pm->value = json_number_value(v);
        if (!pm->name)
            return oom(p);
    }
    return 0;
}

/* Level: -1 when not given (derived later), else checked. */
static int read_level(parser *p, const ctx *c, json_t *v, gca_node *nd)
{
    json_int_t level;
    int present;
    int rc = get_int(p, c, v, "level", &present, &level);
    nd->level = -1;
    if (rc < 0 || !present)
        return rc;
    if (level > GCA_MAX_LEVELS)
        return gca_fail(p->err, GCA_ETOOBIG, p->source, c->line, 0,
                        "node '%s' is at level %lld; at most %d levels",
                        nd->code, (long long)level, GCA_MAX_LEVELS);
    if (level < 1)
        return fail_field(p, c, GCA_EFRAMEWORK, "level",
                          "must be 1 or more (rule: levels)");
    nd->level = (int)level;
    return 0;
}

static int read_node(parser *p, size_t i, json_t *v, int *explicit_type)
{
    static const char *const keys[] = {
        "code", "name", "type", "level", "parent", "weight", "direction",
        "unit", "target", "denominator", "score_min", "score_max", "status",
        "params", "questions", NULL};
    static const char *const types[] = {"indicator", "aggregate", NULL};
    gca_framework *fw = p->fw;
    gca_node *nd = &fw->nodes[i];
    ctx c = {"node", NULL, i, i < p->L.nodes.n ? p->L.nodes.line[i] : 0};
    json_t *params, *questions;
    json_int_t dir = 1;
    int type, present;

    nd->parent = -1;
    nd->line = c.line;
    int rc = element_object(p, &c, v);
    if (!rc)
        rc = get_code(p, &c, v, &nd->code);
    c.code = nd->code;
    if (!rc)
        rc = check_keys(p, &c, v, keys);
    if (!rc)
        rc = get_str(p, &c, v, "name", 0, &nd->name);
    if (!rc)
        rc = get_enum(p, &c, v, "type", types, "indicator, aggregate", &type);
    if (!rc)
        rc = read_level(p, &c, v, nd);
    if (!rc)
        rc = get_str(p, &c, v, "parent", 0, &fw->parent_code[i]);
    if (!rc)
        rc = get_num(p, &c, v, "weight", 1, &nd->weight);
    if (!rc)
        rc = get_int(p, &c, v, "direction", &present, &dir);
    if (!rc)
        rc = get_str(p, &c, v, "unit", 0, &nd->unit);
    if (!rc)
        rc = get_num(p, &c, v, "target", NAN, &nd->target);
    if (!rc)
        rc = get_str(p, &c, v, "denominator", 0, &nd->denominator);
    if (!rc)
        rc = get_num(p, &c, v, "score_min", NAN, &nd->score_min);
    if (!rc)
        rc = get_num(p, &c, v, "score_max", NAN, &nd->score_max);
    if (!rc)
        rc = get_str(p, &c, v, "status", 0, &nd->status);
    if (!rc)
        rc = get_object(p, &c, v, "params", &params);
    if (!rc)
        rc = get_array(p, &c, v, "questions", &questions);
    if (!rc && params)
        rc = read_params(p, &c, params, nd);
    if (!rc && questions)
        rc = read_questions(p, i, questions, nd);
    if (rc < 0)
        return rc;
    if (!nd->name)
        nd->name = nd->code;
    /* Anything but ±1 is kept (as ±2 or 0) so that validation names it. */
    nd->direction = dir == 1 ? 1 : dir == -1 ? -1 : dir > 0 ? 2 : dir < 0 ? -2
                                                                  : 0;
    *explicit_type = type >= 0;
    nd->type = type == 1 ? GCA_NODE_AGGREGATE : GCA_NODE_INDICATOR;
    return 0;
}

/* Types not given: a node some other node names as parent is an
 * aggregate. Levels not given: indicators are at 1 and each parent one
 * above its highest child, found by walking up from every indicator. */
static int derive_tree(parser *p, const char *explicit_type, int levels_given,
                       int *pidx)
{
    gca_framework *fw = p->fw;
    size_t n = fw->nnodes;
    for (size_t i = 0; i < n; i++)
        pidx[i] = hash_find(p, fw->parent_code[i]);
    for (size_t i = 0; i < n; i++)
        if (pidx[i] >= 0 && !explicit_type[pidx[i]])
            fw->nodes[pidx[i]].type = GCA_NODE_AGGREGATE;
    if (levels_given)
        return 0;
    int *seen = gca_calloc(n ? n : 1, sizeof *seen);
    if (!seen)
        return oom(p);
    for (size_t i = 0; i < n; i++)
        fw->nodes[i].level = fw->nodes[i].type == GCA_NODE_INDICATOR ? 1 : 2;
    for (size_t i = 0; i < n; i++) {
        if (fw->nodes[i].type != GCA_NODE_INDICATOR)
            continue;
        int cur = (int)i, lev = 1;
        seen[i] = (int)i + 1;
        /* `seen` stops a walk that goes round a cycle, which validation
         * reports; the step cap bounds a chain too deep to be valid. */
        while (lev <= GCA_MAX_LEVELS) {
            int up = pidx[cur];
            if (up < 0 || seen[up] == (int)i + 1 ||
                fw->nodes[up].type == GCA_NODE_INDICATOR)
                break;
            seen[up] = (int)i + 1;
            lev++;
            if (fw->nodes[up].level >= lev && lev > 2)
                break; /* an earlier walk raised this chain already */
            if (fw->nodes[up].level < lev)
                fw->nodes[up].level = lev;
            cur = up;
        }
        if (lev > GCA_MAX_LEVELS) {
            gca_free(seen);
            return gca_fail(p->err, GCA_ETOOBIG, p->source,
                            fw->nodes[i].line, 0,
                            "indicator '%s' is more than %d levels below "
                            "the top", fw->nodes[i].code, GCA_MAX_LEVELS);
        }
    }
    gca_free(seen);
    return 0;
}

static int read_nodes(parser *p, json_t *arr, int line)
{
    gca_framework *fw = p->fw;
    gca_arena *a = &fw->arena;
    size_t n = json_array_size(arr);
    char *explicit_type = NULL;
    int *pidx = NULL;
    int rc = 0, nlevel = 0;

    if (n > GCA_MAX_NODES)
        return gca_fail(p->err, GCA_ETOOBIG, p->source, line, 0,
                        "%zu nodes; at most %d", n, GCA_MAX_NODES);
    fw->nodes = gca_arena_array(a, n ? n : 1, sizeof *fw->nodes);
    fw->parent_code = gca_arena_array(a, n ? n : 1, sizeof *fw->parent_code);
    p->qfirst = gca_arena_array(a, n ? n : 1, sizeof *p->qfirst);
    explicit_type = gca_malloc(n ? n : 1);
    pidx = gca_malloc((n ? n : 1) * sizeof *pidx);
    if (!fw->nodes || !fw->parent_code || !p->qfirst || !explicit_type ||
        !pidx) {
        rc = oom(p);
        goto out;
    }
    /* Index of each node's first question line; -1 when it has none. */
    for (size_t i = 0; i < n; i++)
        p->qfirst[i] = -1;
    for (size_t k = p->L.questions.n; k-- > 0;)
        if ((size_t)p->L.questions.owner[k] < n)
            p->qfirst[p->L.questions.owner[k]] = (int)k;
    for (size_t i = 0; i < n; i++) {
        int et;
        rc = read_node(p, i, json_array_get(arr, i), &et);
        if (rc < 0)
            goto out;
        explicit_type[i] = (char)et;
        fw->nnodes++;
        nlevel += fw->nodes[i].level > 0;
    }
    if (nlevel != 0 && (size_t)nlevel != n) {
        for (size_t i = 0; i < n; i++)
            if ((fw->nodes[i].level > 0) != (fw->nodes[0].level > 0)) {
                rc = gca_fail(p->err, GCA_EFRAMEWORK, p->source,
                              fw->nodes[i].line, 0,
                              "node '%s' %s 'level' but node '%s' %s; give "
                              "it on every node or on none (rule: levels)",
                              fw->nodes[i].code,
                              fw->nodes[i].level > 0 ? "has" : "lacks",
                              fw->nodes[0].code,
                              fw->nodes[0].level > 0 ? "has" : "lacks");
                goto out;
            }
    }
    rc = hash_build(p);
    if (rc == 0)
        rc = derive_tree(p, explicit_type, nlevel != 0, pidx);
out:
    gca_free(explicit_type);
    gca_free(pidx);
    return rc;
}

/* ====== Columns, tiers, weight sets, method ====== */

static int read_columns(parser *p, json_t *arr)
{
    static const char *const keys[] = {"code", "name", "unit", "type", NULL};
    static const char *const types[] = {"group", "denominator", "other",
                                        NULL};
    gca_framework *fw = p->fw;
    size_t n = json_array_size(arr);
    if (n > GCA_MAX_COLUMNS)
        return gca_fail(p->err, GCA_ETOOBIG, p->source,
                        line_of_key(&p->L, "columns"), 0,
                        "%zu columns; at most %d", n, GCA_MAX_COLUMNS);
    fw->columns = gca_arena_array(&fw->arena, n ? n : 1, sizeof *fw->columns);
    if (!fw->columns)
        return oom(p);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        gca_column *col = &fw->columns[i];
        ctx c = {"column", NULL, i,
                 i < p->L.columns.n ? p->L.columns.line[i] : 0};
        int type, rc = element_object(p, &c, v);
        if (!rc)
            rc = get_code(p, &c, v, &col->code);
        c.code = col->code;
        if (!rc)
            rc = check_keys(p, &c, v, keys);
        if (!rc)
            rc = get_str(p, &c, v, "name", 0, &col->name);
        if (!rc)
            rc = get_str(p, &c, v, "unit", 0, &col->unit);
        if (!rc)
            rc = get_enum(p, &c, v, "type", types,
                          "group, denominator, other", &type);
        if (!rc && type < 0)
            rc = fail_field(p, &c, GCA_EPARSE, "type", "is missing");
        if (rc < 0)
            return rc;
        col->type = (gca_column_type)(type + 1);
        col->line = c.line;
        if (!col->name)
            col->name = col->code;
        fw->ncolumns++;
    }
    return 0;
}

static int read_tiers(parser *p, json_t *arr)
{
    static const char *const keys[] = {"code", "name", "min", "max",
                                       "status", NULL};
    gca_framework *fw = p->fw;
    size_t n = json_array_size(arr);
    if (n > MAX_TIERS)
        return gca_fail(p->err, GCA_ETOOBIG, p->source,
                        line_of_key(&p->L, "tiers"), 0,
                        "%zu tiers; at most %d", n, MAX_TIERS);
    fw->tiers = gca_arena_array(&fw->arena, n ? n : 1, sizeof *fw->tiers);
    if (!fw->tiers)
        return oom(p);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        gca_tier *t = &fw->tiers[i];
        ctx c = {"tier", NULL, i, i < p->L.tiers.n ? p->L.tiers.line[i] : 0};
        int rc = element_object(p, &c, v);
        if (!rc)
            rc = get_code(p, &c, v, &t->code);
        c.code = t->code;
        if (!rc)
            rc = check_keys(p, &c, v, keys);
        if (!rc)
            rc = get_str(p, &c, v, "name", 0, &t->name);
        if (!rc)
            rc = get_str(p, &c, v, "status", 0, &t->status);
        if (!rc)
            rc = get_num(p, &c, v, "min", NAN, &t->min);
        if (!rc)
            rc = get_num(p, &c, v, "max", NAN, &t->max);
        if (!rc && (isnan(t->min) || isnan(t->max)))
            rc = fail_field(p, &c, GCA_EPARSE, isnan(t->min) ? "min" : "max",
                            "is missing");
        if (rc < 0)
            return rc;
        if (!t->name)
            t->name = t->code;
        fw->ntiers++;
    }
    return 0;
}

static int read_weight_sets(parser *p, json_t *obj, int line)
{
    gca_framework *fw = p->fw;
    const char *name, *code;
    json_t *set, *w;
    if (json_object_size(obj) > MAX_WEIGHT_SETS)
        return gca_fail(p->err, GCA_ETOOBIG, p->source, line, 0,
                        "%zu weight sets; at most %d",
                        json_object_size(obj), MAX_WEIGHT_SETS);
    fw->wsets = gca_arena_array(&fw->arena, json_object_size(obj) + 1,
                                sizeof *fw->wsets);
    if (!fw->wsets)
        return oom(p);
    json_object_foreach(obj, name, set) {
        if (!json_is_object(set))
            return gca_fail(p->err, GCA_EPARSE, p->source, line, 0,
                            "weight set '%.60s' must be an object of "
                            "code: weight", name);
        gca__weight_set *ws = &fw->wsets[fw->nwsets];
        ws->name = gca_arena_strdup(&fw->arena, name);
        ws->w = gca_arena_array(&fw->arena, fw->nnodes ? fw->nnodes : 1,
                                sizeof *ws->w);
        if (!ws->name || !ws->w)
            return oom(p);
        for (size_t i = 0; i < fw->nnodes; i++)
            ws->w[i] = NAN;
        json_object_foreach(set, code, w) {
            int i = hash_find(p, code);
            if (i < 0)
                return gca_fail(p->err, GCA_EFRAMEWORK, p->source, line, 0,
                                "weight set '%.60s' names '%.60s', which is "
                                "not a node (rule: weight sets)", name, code);
            if (!json_is_number(w) || !isfinite(json_number_value(w)) ||
                json_number_value(w) < 0)
                return gca_fail(p->err, GCA_EPARSE, p->source, line, 0,
                                "weight of '%s' in weight set '%.60s' must "
                                "be a number, not negative", code, name);
            ws->w[i] = json_number_value(w);
        }
        fw->nwsets++;
    }
    return 0;
}

/* The method is kept as compact JSON text for gca_method_load_mem. */
static int read_method(parser *p, json_t *m)
{
    char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        return oom(p);
    p->fw->method_json = gca_arena_strdup(&p->fw->arena, text);
    free(text); /* allocated by jansson */
    return p->fw->method_json ? 0 : oom(p);
}

static int read_levels(parser *p, json_t *arr, int line)
{
    gca_framework *fw = p->fw;
    size_t n = json_array_size(arr);
    if (n > GCA_MAX_LEVELS)
        return gca_fail(p->err, GCA_ETOOBIG, p->source, line, 0,
                        "%zu level names; at most %d levels", n,
                        GCA_MAX_LEVELS);
    if (n == 0)
        return gca_fail(p->err, GCA_EPARSE, p->source, line, 0,
                        "'levels' is empty; name each level, level 1 first");
    fw->level_names = gca_arena_array(&fw->arena, n, sizeof *fw->level_names);
    if (!fw->level_names)
        return oom(p);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        if (!json_is_string(v) || !json_string_value(v)[0])
            return gca_fail(p->err, GCA_EPARSE, p->source, line, 0,
                            "level name %zu must be a non-empty string",
                            i + 1);
        fw->level_names[i] = gca_arena_strdup(&fw->arena,
                                              json_string_value(v));
        if (!fw->level_names[i])
            return oom(p);
    }
    fw->nlevels = (int)n;
    return 0;
}

/* Level names, when given, must name exactly the levels the nodes use;
 * checked here because fewer names than levels leaves names missing. */
static int check_level_names(parser *p, int line)
{
    gca_framework *fw = p->fw;
    int maxlev = 0;
    for (size_t i = 0; i < fw->nnodes; i++)
        if (fw->nodes[i].level > maxlev)
            maxlev = fw->nodes[i].level;
    if (fw->level_names && fw->nlevels != maxlev && fw->nnodes)
        return gca_fail(p->err, GCA_EFRAMEWORK, p->source, line, 0,
                        "%d level names for %d levels (rule: levels)",
                        fw->nlevels, maxlev);
    return 0;
}

/* ====== Top level ====== */

static int read_root(parser *p, json_t *root)
{
    static const char *const keys[] = {
        "code", "name", "description", "provenance", "levels", "ties",
        "nodes", "columns", "tiers", "weight_sets", "method", NULL};
    static const char *const ties[] = {"min", "dense", NULL};
    gca_framework *fw = p->fw;
    ctx c = {"framework", NULL, ROOT, 1};
    json_t *levels = NULL, *nodes = NULL, *columns = NULL, *tiers = NULL;
    json_t *wsets = NULL, *method = NULL;
    int t = 0;
    const char *k;
    json_t *v;

    json_object_foreach(root, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (!keys[i])
            return gca_fail(p->err, GCA_EPARSE, p->source,
                            line_of_key(&p->L, k), 0,
                            "unknown key '%.60s' in the framework", k);
    }
    c.line = line_of_key(&p->L, "code");
    if (!c.line)
        c.line = 1;
    int rc = get_code(p, &c, root, &fw->code);
    c.code = fw->code;
    if (!rc)
        rc = get_str(p, &c, root, "name", 0, &fw->name);
    if (!rc)
        rc = get_str(p, &c, root, "description", 0, &fw->description);
    if (!rc)
        rc = get_str(p, &c, root, "provenance", 0, &fw->provenance);
    if (!rc)
        rc = get_enum(p, &c, root, "ties", ties, "min, dense", &t);
    if (!rc)
        rc = get_array(p, &c, root, "levels", &levels);
    if (!rc)
        rc = get_array(p, &c, root, "nodes", &nodes);
    if (!rc && !nodes)
        rc = fail_field(p, &c, GCA_EPARSE, "nodes", "is missing");
    if (!rc)
        rc = get_array(p, &c, root, "columns", &columns);
    if (!rc)
        rc = get_array(p, &c, root, "tiers", &tiers);
    if (!rc)
        rc = get_object(p, &c, root, "weight_sets", &wsets);
    if (!rc)
        rc = get_object(p, &c, root, "method", &method);
    if (rc < 0)
        return rc;
    fw->ties = t == 1 ? GCA_TIES_DENSE : GCA_TIES_MIN;
    if (!fw->name)
        fw->name = fw->code;
    if (levels)
        rc = read_levels(p, levels, line_of_key(&p->L, "levels"));
    if (!rc)
        rc = read_nodes(p, nodes, line_of_key(&p->L, "nodes"));
    if (!rc)
        rc = check_level_names(p, line_of_key(&p->L, "levels"));
    if (!rc && columns)
        rc = read_columns(p, columns);
    if (!rc && tiers)
        rc = read_tiers(p, tiers);
    if (!rc && wsets)
        rc = read_weight_sets(p, wsets, line_of_key(&p->L, "weight_sets"));
    if (!rc && method)
        rc = read_method(p, method);
    return rc;
}

int gca__framework_parse_json(const char *data, size_t len,
                              const char *source, gca_framework **out,
                              gca_err *err)
{
    parser p = {0};
    json_error_t jerr;
    json_t *root = NULL;
    int rc;

    if (len > GCA_MAX_FRAMEWORK_FILE)
        return gca_fail(err, GCA_ETOOBIG, source, 0, 0,
                        "framework is larger than %u bytes",
                        GCA_MAX_FRAMEWORK_FILE);
    /* A UTF-8 byte order mark is allowed; jansson does not take one. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return gca_fail(err, GCA_EPARSE, source, jerr.line > 0 ? jerr.line : 0,
                        jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
    p.source = source;
    p.err = err;
    if (!json_is_object(root)) {
        rc = gca_fail(err, GCA_EPARSE, source, 1, 0,
                      "a framework is a JSON object");
        goto fail;
    }
    scan_lines(data, len, &p.L);
    p.fw = gca__framework_new();
    if (p.L.nomem || !p.fw) {
        rc = oom(&p);
        goto fail;
    }
    p.fw->source = gca_arena_strdup(&p.fw->arena, source);
    if (!p.fw->source) {
        rc = oom(&p);
        goto fail;
    }
    rc = read_root(&p, root);
    if (rc < 0)
        goto fail;
    json_decref(root);
    lines_release(&p.L);
    gca__code_index_release(&p.index);
    *out = p.fw;
    return 0;
fail:
    json_decref(root);
    lines_release(&p.L);
    gca__code_index_release(&p.index);
    gca_framework_free(p.fw);
    return rc;
}
