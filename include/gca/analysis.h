/* gca/analysis.h - the statistical audit of a built index: COINr's
 * get_stats, get_corr, get_cronbach, get_data_avail, get_str_weak,
 * get_unit_summary and remove_elements, and a list of warnings drawn
 * from them. Each call reads a gca_result and adds tables (gca_report:
 * a header and cells that are text or numbers) to a gca_analysis.
 * Formulas, COINr's quirks and the warning rules: docs/analyse.md. */
#ifndef GCA_ANALYSIS_H
#define GCA_ANALYSIS_H

#include "gca/core.h"
#include "gca/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A set of named tables about one build. */
typedef struct gca_analysis gca_analysis;

/* A new analysis of `res` with no table yet (free with
 * gca_analysis_free). `res` is borrowed and must outlive the analysis:
 * tables borrow codes and names from it. */
GCA_API int gca_analysis_new(const gca_result *res, gca_analysis **out,
                             gca_err *err);
GCA_API void gca_analysis_free(gca_analysis *an);
/* Tables in the order they were added; borrowed from `an`. */
GCA_API size_t gca_analysis_ntables(const gca_analysis *an);
GCA_API const gca_report *gca_analysis_table_at(const gca_analysis *an,
                                                size_t i);
/* The last table named `name`, NULL if none. */
GCA_API const gca_report *gca_analysis_table(const gca_analysis *an,
                                             const char *name);

/* Every call below adds its table(s) or, on failure, none, and returns 0
 * or a negative GCA_E* with *err naming the data set, node or unit at
 * fault. A `dset` of NULL means the build's final data set. */

/* ====== Indicator statistics (get_stats) ====== */

typedef struct gca_stats_opts {
    double t_skew;  /* Flag.SkewKurt OUT when |Skew| > t_skew ... */
    double t_kurt;  /* ... and Kurt > t_kurt */
    double t_avail; /* Flag.Avail LOW when Frc.Avail < t_avail */
    double t_zero;  /* Flag.NonZero LOW when N.NonZero / rows < t_zero */
    double t_unq;   /* Flag.Unique LOW when N.Unique / rows < t_unq */
    int nsignif;    /* round every number to this many significant
                       figures (COINr's default is 3); 0 = unrounded */
} gca_stats_opts;
/* COINr's thresholds, numbers unrounded. */
#define GCA_STATS_OPTS_INIT {2, 3.5, 0.65, 0.5, 0.5, 0}

/* Table `name`: one row per column of `dset` with iCode, Min, Max, Mean,
 * Median, Std, Skew, Kurt, N.Avail, N.NonZero, N.Unique, N.Same,
 * Frc.Avail, Frc.NonZero, Frc.Unique, Frc.Same and the flags Flag.Avail,
 * Flag.NonZero, Flag.Unique ("ok"/"LOW") and Flag.SkewKurt ("ok"/"OUT").
 * `o` NULL: GCA_STATS_OPTS_INIT. */
GCA_API int gca_analysis_stats(gca_analysis *an, const char *name,
                               const char *dset, const gca_stats_opts *o,
                               gca_err *err);

/* ====== Correlations (get_corr) ====== */

typedef enum gca_cor_method {
    GCA_COR_PEARSON = 1,
    GCA_COR_SPEARMAN = 2 /* Pearson of average ranks */
} gca_cor_method;

typedef enum gca_withparent {
    GCA_WITHPARENT_NO = 0,
    GCA_WITHPARENT_YES = 1,   /* each element with its ancestor only */
    GCA_WITHPARENT_FAMILY = 2 /* with every ancestor; Var1 = level name */
} gca_withparent;

typedef struct gca_corr_opts {
    const char *dset;
    int level1, level2;        /* COINr's Levels; level2 0 = level1 */
    int grouplev;              /* same levels: only pairs under one node of
                                  this level; 0 = every pair */
    gca_withparent withparent; /* different levels */
    gca_cor_method method;
    double pval;               /* Correlation NA where cor.test's p-value
                                  is above it; 0 = keep every value */
} gca_corr_opts;

/* Table `name` as COINr's get_corr(make_long = TRUE) with the same
 * arguments: Var1 (the higher level), Var2, Correlation, plus PValue
 * (two-sided cor.test p-value; 0 for an element with itself). */
GCA_API int gca_analysis_corr(gca_analysis *an, const char *name,
                              const gca_corr_opts *o, gca_err *err);

/* On the final data set, for every level of the tree: table `name` gets
 * each pair of elements under one parent (Level, Group, Var1, Var2,
 * Correlation, PValue, SigCorrelation = Correlation where PValue <= pval,
 * else NA), once per pair. */
GCA_API int gca_analysis_corr_within(gca_analysis *an, const char *name,
                                     gca_cor_method method, double pval,
                                     gca_err *err);
/* The same for each element below the top and each of its ancestors:
 * Var1 (ancestor), Level1, Var2 (element), Level2, Correlation, PValue,
 * SigCorrelation. */
GCA_API int gca_analysis_corr_parents(gca_analysis *an, const char *name,
                                      gca_cor_method method, double pval,
                                      gca_err *err);

/* ====== Cronbach's alpha (get_cronbach) ====== */

/* Alpha of the elements at `level` under node `code` in `dset` (pairwise
 * covariances), in *alpha, and their number in *k (NaN when k < 2). */
GCA_API int gca_cronbach(const gca_result *res, const char *dset,
                         const char *code, int level, double *alpha,
                         size_t *k, gca_err *err);
/* Table `name` (dset, iCodes, Level, k, Alpha): every aggregate of the
 * tree over its elements at each level below it, as far as `dset` holds
 * them. */
GCA_API int gca_analysis_cronbach(gca_analysis *an, const char *name,
                                  const char *dset, gca_err *err);

/* ====== Data availability (get_data_avail) ====== */

/* Table `summary`: per unit uCode, N_missing, N_zero, N_miss_or_zero,
 * Dat_Avail, Non_Zero over the columns of `dset`; table `bygroup`: per
 * unit and aggregate the fraction of its indicators with data. */
GCA_API int gca_analysis_data_avail(gca_analysis *an, const char *summary,
                                    const char *bygroup, const char *dset,
                                    gca_err *err);

/* ====== Units (get_str_weak, get_unit_summary) ====== */

typedef struct gca_str_weak_opts {
    const char *dset;     /* NULL: "Raw" */
    size_t top_n;         /* strengths (0: 5) */
    size_t bottom_n;      /* weaknesses (0: 5) */
    int sig_figs;         /* significant figures of Value (0: 3) */
    int adjust_direction; /* < 0: only for Raw (COINr); 0 no; 1 yes */
} gca_str_weak_opts;

/* Table `name`: for each unit in `units` (NULL: every unit) its best and
 * worst indicators by rank: uCode, Table (Strengths/Weaknesses), Pos,
 * Code, Name, <level-2 name>, Rank, Value, Unit, ValueFull. `o` may be
 * NULL. */
GCA_API int gca_analysis_str_weak(gca_analysis *an, const char *name,
                                  const gca_str_weak_opts *o,
                                  const char *const *units, size_t nunits,
                                  gca_err *err);
/* Table `name`: for each unit (NULL: every unit) its score and rank in
 * every node of `levels` (NULL: every aggregate level, top first): uCode,
 * Code, Name, Score (rounded to `nround` decimals, < 0: not), Rank,
 * ScoreFull. */
GCA_API int gca_analysis_unit_summary(gca_analysis *an, const char *name,
                                      const char *dset,
                                      const char *const *units,
                                      size_t nunits, const int *levels,
                                      size_t nlevels, int nround,
                                      gca_err *err);

/* ====== Removing elements (remove_elements) ====== */

/* Rebuild once per node of `level` with its weight set to 0 and compare
 * node `code` (NULL: the top) of `dset`: tables <prefix>scores,
 * <prefix>ranks, <prefix>rankdiffs, <prefix>rankabsdiffs (uCode,
 * Nominal, one column per removed node) and <prefix>meanabsdiff
 * (Removed, MeanAbsDiff). A rebuild that fails (a parent left with no
 * weight) gives NA for that node. */
GCA_API int gca_analysis_remove_elements(gca_analysis *an, const char *prefix,
                                         int level, const char *dset,
                                         const char *code, gca_err *err);

/* ====== Warnings ====== */

typedef struct gca_warn_opts {
    double t_neg;       /* siblings correlated below it (Pearson) ... */
    double pval;        /* ... with a p-value at most this (0: any) */
    double t_collinear; /* siblings correlated above it */
    double t_avail;     /* Raw indicators with less data than this share */
    double t_alpha;     /* aggregates whose children's alpha is below it */
} gca_warn_opts;
#define GCA_WARN_OPTS_INIT {0, 0.05, 0.9, 0.65, 0.7}

/* Table `name`: Rule, Level, Group, Elements, Value, Threshold, PValue,
 * one row per finding (rules negative_correlation, collinear,
 * low_availability, low_alpha; PValue only for correlations). `o` may be
 * NULL. */
GCA_API int gca_analysis_warnings(gca_analysis *an, const char *name,
                                  const gca_warn_opts *o, gca_err *err);

/* ====== The whole audit ====== */

typedef struct gca_analysis_opts {
    gca_stats_opts stats;
    gca_warn_opts warn;
    double pval; /* significance of SigCorrelation */
} gca_analysis_opts;
#define GCA_ANALYSIS_OPTS_INIT \
    {GCA_STATS_OPTS_INIT, GCA_WARN_OPTS_INIT, 0.05}

/* Every table of `gca analyse` (docs/analyse.md lists them): stats of
 * every data set, correlations within and with parents (Pearson and
 * Spearman), Cronbach's alphas, data availability, strengths and
 * weaknesses and the summary of every unit, remove_elements at every
 * level below the top, warnings. Needs a build whose final data set holds
 * the top node. `o` may be NULL. */
GCA_API int gca_analysis_run(const gca_result *res,
                             const gca_analysis_opts *o,
                             gca_analysis **out, gca_err *err);

#ifdef __cplusplus
}
#endif
#endif
