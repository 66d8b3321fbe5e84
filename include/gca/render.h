/* gca/render.h - turning results into files and tables: data sets,
 * reports, scores, ranks and weights as CSV or JSON, a whole build as a
 * directory, and COINr's get_results table. Output conventions (rows by
 * uCode, %.17g, NA): docs/method.md#outputs. */
#ifndef GCA_RENDER_H
#define GCA_RENDER_H

#include "gca/analysis.h"
#include "gca/core.h"
#include "gca/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gca_format {
    GCA_FORMAT_CSV = 1,  /* RFC 4180, header row, NA for missing */
    GCA_FORMAT_JSON = 2, /* array of row objects, null for missing */
    GCA_FORMAT_TEXT = 3  /* aligned columns for a terminal (tables only) */
} gca_format;

/* Ceiling on one rendered file. */
#define GCA_MAX_OUTPUT (256u << 20)

/* Each renderer returns 0 and a new NUL-terminated text in *out (free with
 * gca_free) with its length in *len, or a negative GCA_E*. */

/* uCode + one column per node of `d`, values %.17g. */
GCA_API int gca_render_dset(const gca_dset *d, gca_format fmt, char **out,
                            size_t *len, gca_err *err);
/* A step's report table as it is. */
GCA_API int gca_render_report(const gca_report *rep, gca_format fmt,
                              char **out, size_t *len, gca_err *err);
/* uCode + every aggregate of the final data set, top level first (the
 * scores), or the same with ranks when `ranks` is non-zero. */
GCA_API int gca_render_scores(const gca_result *res, int ranks,
                              gca_format fmt, char **out, size_t *len,
                              gca_err *err);
/* iCode, Level, Weight, EffWeight for every node in the tree. */
GCA_API int gca_render_weights(const gca_result *res, gca_format fmt,
                               char **out, size_t *len, gca_err *err);
/* uCode, score of the top node, its tier code and name (frameworks with
 * tiers only; GCA_ENOTFOUND otherwise). */
GCA_API int gca_render_tiers(const gca_result *res, gca_format fmt,
                             char **out, size_t *len, gca_err *err);

/* COINr's lineage (coin$Meta$Lineage): one row per indicator with the
 * code of its ancestor at every level, columns named after the levels,
 * rows ordered by the top level's code down to the indicator's, as R
 * sorts codes in an English locale (letters first regardless of case). */
GCA_API int gca_render_lineage(const gca_framework *fw, gca_format fmt,
                               char **out, size_t *len, gca_err *err);

/* Write every file of a build into `dir` (docs/gca.1, "gca build"): one
 * file per data set (raw, denominated, ..., aggregated), scores, ranks,
 * weights_effective, the steps' reports (treat_details, ...), tiers when
 * the framework has them. All or nothing: files are written to a
 * temporary directory renamed to `dir` at the end; an existing `dir` is
 * replaced only if gca wrote it. */
GCA_API int gca_result_write_dir(const gca_result *res, const char *dir,
                                 gca_format fmt, gca_err *err);

/* Write every table of the statistical audit `an` into `dir`, one file
 * per table named after it (docs/analyse.md), all or nothing as
 * gca_result_write_dir. */
GCA_API int gca_analysis_write_dir(const gca_analysis *an, const char *dir,
                                   gca_format fmt, gca_err *err);

/* ====== get_results ====== */

typedef enum gca_tab_type {
    GCA_TAB_SUMM = 1, /* uCode, top score, Rank */
    GCA_TAB_AGGS = 2, /* uCode, Rank, every aggregate */
    GCA_TAB_FULL = 3  /* uCode, Rank, every aggregate, every indicator */
} gca_tab_type;

typedef enum gca_tab_use {
    GCA_USE_SCORES = 1,
    GCA_USE_RANKS = 2,
    GCA_USE_GROUPRANKS = 3 /* ranks within each value of a group column */
} gca_tab_use;

typedef struct gca_results_opts {
    const char *dset;        /* data set name, NULL = the final one */
    gca_tab_type tab_type;
    gca_tab_use use;
    const char *group;       /* group column for GCA_USE_GROUPRANKS */
    const char *order_by;    /* node code, NULL = the top node */
    const char *const *also_get; /* data columns (or "uName") to add */
    size_t nalso_get;
    int nround;              /* decimals for scores, -1 = %.17g */
    /* An uncertainty analysis of the same build (gca/sensitivity.h):
     * with it, the scores table gets RankQ5 and RankQ95 after Rank and,
     * when the framework has tiers, Tier and TierProb (the share of runs
     * in the unit's tier). NULL = none. */
    const struct gca_sens *robust;
} gca_results_opts;

/* COINr's get_results: the table sorted by rank of `order_by` (then by
 * uCode), as CSV or aligned text. */
GCA_API int gca_render_results(const gca_result *res,
                               const gca_results_opts *opts, gca_format fmt,
                               char **out, size_t *len, gca_err *err);

#ifdef __cplusplus
}
#endif
#endif
