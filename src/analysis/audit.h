/* audit.h (internal) - what the parts of the statistical audit share
 * (audit.c, audit_corr.c, audit_units.c): the gca_analysis object, its
 * tables, and the tree in COINr's orders. docs/analyse.md. */
#ifndef GCA_ANALYSIS_AUDIT_H
#define GCA_ANALYSIS_AUDIT_H

#include "gca/analysis.h"
#include "core/arena.h"
#include "model/framework.h"
#include "pipeline/result.h"

struct gca_analysis {
    gca_arena arena;        /* tables, cells, formatted numbers */
    const gca_result *res;
    const gca_framework *fw;
    gca_report **tables;    /* gca_malloc'd array of arena tables */
    size_t ntables, cap;
    int *order;             /* [nnodes] nodes in COINr's iMeta order */
};

/* Fill err with "out of memory" and return GCA_ENOMEM. */
int gca__an_oom(gca_err *err);
/* Array `v` of n elements of `size` bytes and capacity *cap, with room
 * for one more: `v` itself or a larger block (gca_realloc, *cap
 * updated); NULL when out of memory (`v` still valid). */
void *gca__an_grow(void *v, size_t n, size_t *cap, size_t size);

/* A new table of nrow x ncol cells, all "NA", added to `an`; the header
 * strings are borrowed (static, or from the framework), `name` is
 * copied. NULL when out of memory (err filled). */
gca_report *gca__an_table(gca_analysis *an, const char *name, size_t nrow,
                          size_t ncol, const char *const *header,
                          gca_err *err);
/* Drop the tables added since there were `n` (a failed call leaves
 * none behind). */
void gca__an_truncate(gca_analysis *an, size_t n);
/* Set a cell: borrowed text (NULL = NA) / a number (NaN = NA) / a number
 * already rounded, written as %.15g like R's write.csv (needs the arena;
 * returns 0 or GCA_ENOMEM). */
void gca__an_text(gca_report *t, size_t row, size_t col, const char *text);
void gca__an_num(gca_report *t, size_t row, size_t col, double v);
int gca__an_rounded(gca_analysis *an, gca_report *t, size_t row, size_t col,
                    double v, gca_err *err);

/* Data set `name` of the build (NULL: the final one), or NULL with err
 * filled (GCA_ENOTFOUND naming the data sets there are). */
const gca_dset *gca__an_dset(const gca_result *res, const char *name,
                             gca_err *err);
/* Ancestor of node `i` at `level` (i itself at its own level), or -1
 * when `level` is below the node's. */
int gca__an_ancestor(const gca_framework *fw, int i, int level);
/* Nodes of `level` in COINr's lineage order (sorted by the codes of their
 * ancestors from the top down, R's collation) into `out` (nnodes slots);
 * returns how many. */
size_t gca__an_lineage_nodes(const gca_framework *fw, int level, int *out);
/* Ranks of column `c` of `d` (1 = highest; the build's tie rule), into
 * `rank` (d->nrow values). Returns 0 or GCA_ENOMEM. */
int gca__an_rank(const gca_analysis *an, const gca_dset *d, size_t c,
                 double *rank, gca_err *err);

/* A pair of nodes to correlate: their node indices, their columns in the
 * data set, the parent they share (-1 = none) and a text to show for the
 * first instead of its code (NULL = none). */
typedef struct gca__an_pair {
    int n1, n2;
    int c1, c2;
    int group;
    const char *label;
} gca__an_pair;

/* Correlation (method GCA__COR_*) and cor.test p-value of each pair into
 * r[i] and pv[i]; an element with itself has p-value 0. */
int gca__an_pair_stats(const gca_dset *d, const gca__an_pair *p, size_t n,
                       int method, double *r, double *pv, gca_err *err);
/* Every pair of children of one aggregate, once, with their columns in
 * `d` (failing when `d` lacks one): *out is new (gca_free). */
int gca__an_sibling_pairs(const gca_framework *fw, const gca_dset *d,
                          gca__an_pair **out, size_t *n, gca_err *err);

#endif
