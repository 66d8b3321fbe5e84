/* validate.c - the rules a framework must follow: COINr's check_iMeta and
 * new_coin rules (indicators at level 1, consecutive levels, parents one
 * level up, one top node, direction ±1, unique codes without spaces that
 * do not start with a digit, aggregates with children) plus cycles,
 * orphans, weights, denominators and tiers. Rules are listed in
 * docs/framework-format.md#rules; each message names its rule. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "model/framework.h"
#include "core/banned.h"

typedef struct checker {
    const gca_framework *fw;
    gca_errlist *all;
    gca_err *first;
    int nomem;
} checker;

static void report(checker *c, int line, const char *fmt, ...)
    GCA_PRINTF(3, 4);

static void report(checker *c, int line, const char *fmt, ...)
{
    gca_err e = {0};
    va_list ap;
    char msg[sizeof e.msg];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gca_fail(&e, GCA_EFRAMEWORK, c->fw->source, line, 0, "%s", msg);
    if (!c->first->code)
        *c->first = e;
    if (c->all && gca_errlist_add(c->all, &e) < 0)
        c->nomem = 1;
}

static void check_codes(checker *c)
{
    const gca_framework *fw = c->fw;
    gca__code_index ix = {NULL, 0};
    /* Hashed: comparing every pair is too slow at GCA_MAX_NODES. */
    if (gca__code_index_build(&ix, fw) < 0) {
        c->nomem = 1;
        return;
    }
    for (size_t i = 0; i < fw->nnodes; i++) {
        const gca_node *n = &fw->nodes[i];
        const char *why = gca_code_problem(n->code);
        if (why)
            report(c, n->line, "code '%.60s' %s (rule: codes)", n->code, why);
        int j = gca__code_index_find(&ix, fw, n->code);
        if (j >= 0 && (size_t)j != i)
            report(c, n->line,
                   "duplicate code '%s', first on line %d (rule: unique "
                   "codes)", n->code, fw->nodes[j].line);
    }
    for (size_t k = 0; k < fw->ncolumns; k++) {
        const gca_column *col = &fw->columns[k];
        const char *why = gca_code_problem(col->code);
        if (why)
            report(c, col->line, "code '%.60s' %s (rule: codes)", col->code,
                   why);
        if (!strcmp(col->code, "uCode") || !strcmp(col->code, "uName") ||
            !strcmp(col->code, "Time"))
            report(c, col->line,
                   "'%s' is a reserved data column and cannot be declared "
                   "(rule: codes)", col->code);
        int dup = gca__code_index_find(&ix, fw, col->code);
        if (dup >= 0)
            report(c, col->line,
                   "duplicate code '%s', also a node on line %d (rule: "
                   "unique codes)", col->code, fw->nodes[dup].line);
        for (size_t j = 0; j < k; j++)
            if (!strcmp(fw->columns[j].code, col->code)) {
                report(c, col->line,
                       "duplicate code '%s', first on line %d (rule: unique "
                       "codes)", col->code, fw->columns[j].line);
                break;
            }
    }
    gca__code_index_release(&ix);
}

static void check_levels(checker *c)
{
    const gca_framework *fw = c->fw;
    int maxlev = 0;
    char seen[GCA_MAX_LEVELS + 1] = {0};
    for (size_t i = 0; i < fw->nnodes; i++) {
        const gca_node *n = &fw->nodes[i];
        if (n->type == GCA_NODE_INDICATOR && n->level != 1)
            report(c, n->line,
                   "'%s' is an indicator at level %d; indicators are at "
                   "level 1 (rule: indicators at level 1)", n->code, n->level);
        if (n->type == GCA_NODE_AGGREGATE && n->level < 2)
            report(c, n->line,
                   "'%s' is an aggregate at level %d; aggregates are at "
                   "level 2 or higher (rule: levels)", n->code, n->level);
        if (n->level > GCA_MAX_LEVELS) {
            report(c, n->line, "'%s' is at level %d; at most %d levels "
                   "(rule: levels)", n->code, n->level, GCA_MAX_LEVELS);
            continue;
        }
        if (n->level >= 1)
            seen[n->level] = 1;
        if (n->level > maxlev)
            maxlev = n->level;
    }
    if (fw->nnodes == 0) {
        report(c, 0, "the framework has no nodes (rule: one top node)");
        return;
    }
    for (int lev = 1; lev <= maxlev && lev <= GCA_MAX_LEVELS; lev++)
        if (!seen[lev])
            report(c, 0, "no node at level %d, between 1 and %d (rule: "
                   "consecutive levels)", lev, maxlev);
    if (fw->level_names && fw->nlevels != maxlev)
        report(c, 0, "%d level names for %d levels (rule: levels)",
               fw->nlevels, maxlev);
}

static void check_parents(checker *c)
{
    const gca_framework *fw = c->fw;
    int maxlev = 0, tops = 0;
    for (size_t i = 0; i < fw->nnodes; i++)
        if (fw->nodes[i].level > maxlev)
            maxlev = fw->nodes[i].level;
    for (size_t i = 0; i < fw->nnodes; i++) {
        const gca_node *n = &fw->nodes[i];
        const char *pc = fw->parent_code ? fw->parent_code[i] : NULL;
        if (n->parent < 0) {
            if (pc) {
                report(c, n->line,
                       "parent '%.60s' of '%s' is not a node of the "
                       "framework (rule: missing parent)", pc, n->code);
            } else if (n->level == maxlev) {
                if (++tops == 2)
                    report(c, n->line,
                           "'%s' is a second top node; a framework has one "
                           "(rule: one top node)", n->code);
            } else {
                report(c, n->line,
                       "'%s' at level %d has no parent (rule: orphan)",
                       n->code, n->level);
            }
            continue;
        }
        const gca_node *p = &fw->nodes[n->parent];
        if ((size_t)n->parent == i) {
            report(c, n->line, "'%s' is its own parent (rule: cycle)",
                   n->code);
            continue;
        }
        if (p->type != GCA_NODE_AGGREGATE)
            report(c, n->line,
                   "parent '%s' of '%s' is an indicator; parents are "
                   "aggregates (rule: parent one level up)", p->code, n->code);
        else if (p->level != n->level + 1)
            report(c, n->line,
                   "parent '%s' of '%s' is at level %d, not %d (rule: parent "
                   "one level up)", p->code, n->code, p->level, n->level + 1);
        if (n->level == maxlev)
            report(c, n->line,
                   "'%s' is at the top level but has parent '%s' (rule: one "
                   "top node)", n->code, p->code);
    }
    if (tops == 0 && fw->nnodes)
        report(c, 0, "no top node: every node has a parent (rule: one top "
               "node)");
}

/* Follow parents from every node; a walk longer than the number of nodes
 * has gone round a loop. Reported once per loop, at its first node. */
static void check_cycles(checker *c)
{
    const gca_framework *fw = c->fw;
    for (size_t i = 0; i < fw->nnodes; i++) {
        int p = fw->nodes[i].parent;
        size_t steps = 0;
        while (p >= 0 && (size_t)p != i && steps <= fw->nnodes) {
            p = fw->nodes[p].parent;
            steps++;
        }
        if ((size_t)p != i || fw->nodes[i].parent == (int)i)
            continue;
        /* Report the loop only at its member that comes first. */
        int q = fw->nodes[i].parent, lowest = (int)i;
        while ((size_t)q != i) {
            if (q < lowest)
                lowest = q;
            q = fw->nodes[q].parent;
        }
        if (lowest == (int)i)
            report(c, fw->nodes[i].line,
                   "'%s' is its own ancestor through '%s' (rule: cycle)",
                   fw->nodes[i].code, fw->nodes[fw->nodes[i].parent].code);
    }
}

static void check_nodes(checker *c)
{
    const gca_framework *fw = c->fw;
    for (size_t i = 0; i < fw->nnodes; i++) {
        const gca_node *n = &fw->nodes[i];
        if (n->type == GCA_NODE_AGGREGATE && n->nchildren == 0)
            report(c, n->line, "aggregate '%s' has no children (rule: "
                   "aggregates have children)", n->code);
        if (n->direction != 1 && n->direction != -1)
            report(c, n->line, "'%s' has a direction other than 1 or -1 "
                   "(rule: direction)", n->code);
        if (!isfinite(n->weight) || n->weight < 0)
            report(c, n->line, "'%s' has weight %g; weights are finite and "
                   "not negative (rule: weights)", n->code, n->weight);
        if (n->denominator) {
            const gca_column *d = gca_framework_column(fw, n->denominator);
            if (!d || d->type != GCA_COLUMN_DENOMINATOR)
                report(c, n->line, "denominator '%.60s' of '%s' is not a "
                       "declared denominator column (rule: denominators)",
                       n->denominator, n->code);
            if (n->type != GCA_NODE_INDICATOR)
                report(c, n->line, "aggregate '%s' has a denominator; only "
                       "indicators are divided (rule: denominators)", n->code);
        }
    }
}

static void check_tiers(checker *c)
{
    const gca_framework *fw = c->fw;
    for (size_t i = 0; i < fw->ntiers; i++) {
        const gca_tier *t = &fw->tiers[i];
        if (!(t->min < t->max))
            report(c, 0, "tier '%s' has min %g not below max %g (rule: "
                   "tiers)", t->code, t->min, t->max);
        for (size_t j = 0; j < i; j++) {
            const gca_tier *u = &fw->tiers[j];
            if (t->min < u->max && u->min < t->max)
                report(c, 0, "tiers '%s' and '%s' overlap (rule: tiers)",
                       u->code, t->code);
            if (!strcmp(t->code, u->code))
                report(c, 0, "duplicate tier '%s' (rule: tiers)", t->code);
        }
    }
}

int gca__framework_validate(const gca_framework *fw, gca_errlist *all,
                            gca_err *err)
{
    gca_err first = {0};
    checker c = {fw, all, &first, 0};
    check_codes(&c);
    /* A cycle upsets levels and parents too: name it first. */
    check_cycles(&c);
    check_levels(&c);
    check_parents(&c);
    check_nodes(&c);
    check_tiers(&c);
    if (c.nomem)
        return gca_fail(err, GCA_ENOMEM, fw->source, 0, 0, "out of memory");
    if (first.code) {
        if (err && !err->code)
            *err = first;
        return first.code;
    }
    return 0;
}
