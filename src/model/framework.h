/* framework.h (internal) - the framework's representation, shared by the
 * loaders (JSON, iMeta CSV), the validator and the pipeline. The public
 * view is in include/gca/model.h. */
#ifndef GCA_MODEL_FRAMEWORK_H
#define GCA_MODEL_FRAMEWORK_H

#include "gca/model.h"
#include "core/arena.h"
#include "core/buf.h"

/* A named set of weights: one value per node, NaN where the set says
 * nothing (the node keeps its own weight). */
typedef struct gca__weight_set {
    char *name;
    double *w; /* [nnodes] */
} gca__weight_set;

struct gca_framework {
    gca_arena arena;     /* owns every string and array below */
    char *code, *name, *description, *source;
    char *provenance;    /* where the structure comes from, NULL = none */
    int nlevels;
    char **level_names;  /* [nlevels]; level_names[0] names level 1 */
    gca_node *nodes;
    size_t nnodes;
    char **parent_code;  /* [nnodes] parent as written, NULL = none */
    int top;             /* index of the single top node, -1 before build */
    gca_column *columns;
    size_t ncolumns;
    gca_tier *tiers;
    size_t ntiers;
    gca_ties ties;
    gca__weight_set *wsets;
    size_t nwsets;
    char *method_json;   /* default method, NULL = none */

    /* Derived by gca__framework_link(): */
    int *indicators;     /* indicator node indices, in framework order */
    size_t nindicators;
    int *aggregates;     /* aggregate indices by level (2, 3, ...), then
                          * framework order within a level */
    size_t naggregates;
};

/* New empty framework with its arena; NULL when out of memory. */
gca_framework *gca__framework_new(void);

/* Fill parent links, children, top, indicator and aggregate lists from
 * each node's `parent` index. Does not validate (see
 * gca__framework_validate); needs no more than parent indices in range. */
int gca__framework_link(gca_framework *fw, gca_err *err);

/* Check COINr's rules plus cycles and orphans. Returns 0 or the first
 * violation (GCA_EFRAMEWORK) in *err; every violation is appended to
 * `all` when it is not NULL. Messages name source, line, code and rule. */
int gca__framework_validate(const gca_framework *fw, gca_errlist *all,
                            gca_err *err);

/* Parsers, told apart by gca_framework_load_mem. */
int gca__framework_parse_json(const char *data, size_t len,
                              const char *source, gca_framework **out,
                              gca_err *err);
int gca__framework_parse_imeta(const char *data, size_t len,
                               const char *source, gca_framework **out,
                               gca_err *err);

/* Node codes hashed for code lookups in bulk (linking, validation,
 * loaders): a framework may hold GCA_MAX_NODES nodes. Built from the
 * nodes as they are; the first of duplicate codes is the one found. */
typedef struct gca__code_index {
    int *slot; /* node index + 1, 0 = empty; gca_malloc'd */
    size_t mask;
} gca__code_index;

/* Returns 0 or GCA_ENOMEM; release with gca__code_index_release. */
int gca__code_index_build(gca__code_index *ix, const gca_framework *fw);
/* Index of the node with `code`, or -1 (also for NULL). */
int gca__code_index_find(const gca__code_index *ix, const gca_framework *fw,
                         const char *code);
void gca__code_index_release(gca__code_index *ix);

/* Index of `code` among the nodes, or -1 (linear; frameworks are small
 * and this is not on a hot path). */
int gca__framework_find(const gca_framework *fw, const char *code);
/* Value of parameter `name` on node `i`; NaN when absent. */
double gca__node_param(const gca_node *n, const char *name);

#endif
