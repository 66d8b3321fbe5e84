/* gca/cirt.h - the CIRT programme (docs/cirt.md): SIM3 maturity
 * assessments of teams and their gap to a baseline profile, the national
 * CIRT status of each country (has, none or unknown), and the ranking of
 * countries without a national CIRT by a formula kept in a data file.
 *
 * The SIM3 and priority computations are pure (no store): they work on
 * parsed files and in-memory arrays, so that the robustness analysis can
 * run them many times with other weights. The store functions record
 * assessments and statuses (admin or analyst; audited) and gather the
 * inputs of the ranking. */
#ifndef GCA_CIRT_H
#define GCA_CIRT_H

#include <stddef.h>

#include "gca/core.h"
#include "gca/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ====== SIM3 ====== */

#define GCA_SIM3_LEVEL_MAX 4
#define GCA_SIM3_NOT_ASSESSED (-1) /* a level, or "no requirement" */
#define GCA_SIM3_MAX_PARAMS 200    /* rows of a parameters file */
#define GCA_SIM3_MAX_FILE (1 << 20) /* bytes of any SIM3 file */

/* The four categories, in this order: Organisation, Human, Tools,
 * Processes. */
#define GCA_SIM3_NCAT 4
GCA_API extern const char gca_sim3_categories[GCA_SIM3_NCAT]; /* "OHTP" */

typedef struct gca_sim3_param {
    char code[8];     /* "O-1": category letter, '-', 1..99 */
    int category;     /* index into gca_sim3_categories */
    char *name, *description, *edition, *status;
} gca_sim3_param;

/* The parameters of the model, in file order. */
typedef struct gca_sim3_model {
    gca_sim3_param *params;
    size_t n;
} gca_sim3_model;

/* Parse a parameters file (CSV: code,category,name,description,edition,
 * status; docs/cirt.md). `name` names it in errors (file:line:col).
 * Fills *out (release with gca_sim3_model_release) or leaves it empty. */
GCA_API int gca_sim3_model_parse(const char *data, size_t len,
                                 const char *name, gca_sim3_model *out,
                                 gca_err *err);
/* The shipped model, data/cirt/sim3_parameters.csv. */
GCA_API int gca_sim3_model_default(gca_sim3_model *out, gca_err *err);
GCA_API void gca_sim3_model_release(gca_sim3_model *m);
/* Index of parameter `code`, or -1. */
GCA_API int gca_sim3_find(const gca_sim3_model *m, const char *code);

/* One baseline profile: the minimum level per parameter of the model
 * (GCA_SIM3_NOT_ASSESSED = no requirement). */
typedef struct gca_sim3_profile {
    char *name;   /* "basic" */
    char *source; /* of its first row */
    char *note;
    int *min;     /* m->n entries */
} gca_sim3_profile;

typedef struct gca_sim3_baselines {
    gca_sim3_profile *p;
    size_t n;
} gca_sim3_baselines;

/* Parse a baselines file (CSV: profile,code,min_level,source,note) for
 * model `m`: unknown code, level outside 0..4, a code twice in one
 * profile, a missing source are errors at file:line:col. */
GCA_API int gca_sim3_baselines_parse(const gca_sim3_model *m,
                                     const char *data, size_t len,
                                     const char *name,
                                     gca_sim3_baselines *out, gca_err *err);
/* The shipped baselines, data/cirt/sim3_baselines.csv. */
GCA_API int gca_sim3_baselines_default(const gca_sim3_model *m,
                                       gca_sim3_baselines *out,
                                       gca_err *err);
GCA_API void gca_sim3_baselines_release(gca_sim3_baselines *b);
/* The profile named `name`, or NULL. Borrowed from `b`. */
GCA_API const gca_sim3_profile *
gca_sim3_profile_find(const gca_sim3_baselines *b, const char *name);

/* Parse an assessment file (CSV with header code,level; level 0..4, or
 * "" / "na" for not assessed) into levels[m->n], which it fills with
 * GCA_SIM3_NOT_ASSESSED first: a parameter not in the file is not
 * assessed. Unknown or repeated codes are errors at file:line:col. */
GCA_API int gca_sim3_levels_parse(const gca_sim3_model *m, const char *data,
                                  size_t len, const char *name, int *levels,
                                  gca_err *err);

/* Gap of an assessment to a profile. */
typedef struct gca_sim3_gap_row {
    int level;     /* GCA_SIM3_NOT_ASSESSED or 0..4 */
    int required;  /* GCA_SIM3_NOT_ASSESSED = no requirement */
    int shortfall; /* required - level (not assessed counts as 0), >= 0 */
} gca_sim3_gap_row;

typedef struct gca_sim3_cat_gap {
    int met, total; /* parameters meeting their requirement / required */
    int assessed;   /* parameters with a level */
    double mean;    /* mean level of those; NaN when none */
} gca_sim3_cat_gap;

typedef struct gca_sim3_gap {
    gca_sim3_gap_row *rows; /* m->n, in model order */
    gca_sim3_cat_gap cat[GCA_SIM3_NCAT];
    int met, total;         /* over all categories */
    int all_met;            /* 1 when met == total */
} gca_sim3_gap;

/* Compute the gap of levels[m->n] to `p` (NULL = no requirement: only
 * the means). Fills *out (release with gca_sim3_gap_release). */
GCA_API int gca_sim3_gap_compute(const gca_sim3_model *m,
                                 const gca_sim3_profile *p,
                                 const int *levels, gca_sim3_gap *out,
                                 gca_err *err);
GCA_API void gca_sim3_gap_release(gca_sim3_gap *g);

/* ====== Assessments in the store ====== */

#define GCA_CIRT_TEXT_MAX 4000 /* bytes of source, note */
#define GCA_CIRT_NAME_MAX 200  /* bytes of team, assessor */

typedef struct gca_cirt_assessment {
    long long id;          /* set by the store */
    const char *team;      /* required */
    const char *country;   /* ISO3 or NULL */
    const char *assessed;  /* YYYY-MM-DD, required, not in the future */
    const char *assessor;  /* NULL = the acting user */
    const char *source;    /* evidence, NULL = none */
    const char *note;
    const char *created_by, *created_at; /* set by the store */
    const int *levels;     /* m->n levels of the default model */
} gca_cirt_assessment;

/* Record assessment `a` (levels for the shipped model) as `actor` (admin
 * or analyst), with an audit event "cirt.assess" in the same
 * transaction; *id (may be NULL) gets its id. */
GCA_API int gca_cirt_assess(gca_store *st, const char *actor,
                            const gca_cirt_assessment *a, long long *id,
                            gca_err *err);

typedef int (*gca_cirt_assessment_fn)(const gca_cirt_assessment *a,
                                      void *ctx);
/* The assessments of `team`, oldest first (by date, then id); fn gets
 * each with its levels in the shipped model's order. GCA_ENOTFOUND when
 * the team has none. */
GCA_API int gca_cirt_assessments(gca_store *st, const char *team,
                                 gca_cirt_assessment_fn fn, void *ctx,
                                 gca_err *err);

/* ====== National CIRT status ====== */

enum gca_cirt_status {
    GCA_CIRT_UNKNOWN = 0,
    GCA_CIRT_HAS = 1,
    GCA_CIRT_NONE = 2
};
/* "unknown", "has", "none". */
GCA_API const char *gca_cirt_status_name(int status);

typedef struct gca_cirt_country {
    const char *iso3, *name, *subregion;
    int status;           /* enum gca_cirt_status */
    const char *team;     /* has: the team ("" if the source names none) */
    const char *source;   /* "" when unknown */
    const char *evidence; /* record: URL or text; "" otherwise */
    const char *origin;   /* "record" (an analyst's, newest wins), "kb"
                             (knowledge-base entry), "" when unknown */
    const char *ref;      /* record: its id; kb: the entry id */
    const char *recorded_by, *recorded_at; /* record only, else "" */
} gca_cirt_country;

typedef struct gca_cirt_counts {
    size_t has, none, unknown, total;
} gca_cirt_counts;

typedef int (*gca_cirt_country_fn)(const gca_cirt_country *c, void *ctx);

/* Status of every country of the countries table (or only `iso3`), in
 * ISO3 order; *counts (may be NULL) gets the counts over those
 * countries. Strings are borrowed for the callback. */
GCA_API int gca_cirt_status(gca_store *st, const char *iso3,
                            gca_cirt_country_fn fn, void *ctx,
                            gca_cirt_counts *counts, gca_err *err);

/* Record a status for `iso3` as `actor` (admin or analyst): status "has"
 * or "none", team (has only; optional), source (required), evidence and
 * note optional. Audited ("cirt.status"). */
GCA_API int gca_cirt_status_set(gca_store *st, const char *actor,
                                const char *iso3, const char *status,
                                const char *team, const char *source,
                                const char *evidence, const char *note,
                                gca_err *err);

/* ====== Prioritisation ====== */

enum gca_cirt_factor_kind {
    GCA_CIRT_F_INDEX_GAP,
    GCA_CIRT_F_PILLAR_GAP,
    GCA_CIRT_F_REGION_GAP,
    GCA_CIRT_F_SHUTDOWN,
    GCA_CIRT_F_USERS,
    GCA_CIRT_NKINDS
};
/* "index_gap", "pillar_gap", "region_coverage_gap",
 * "shutdown_exposure", "internet_users". */
GCA_API extern const char *const gca_cirt_factor_names[GCA_CIRT_NKINDS];

#define GCA_CIRT_NPILLARS 5 /* LEG TEC ORG CAP COO */
GCA_API extern const char *const gca_cirt_pillars[GCA_CIRT_NPILLARS];
#define GCA_CIRT_MAX_FACTORS 16
#define GCA_CIRT_MAX_FORMULA (64 * 1024) /* bytes of a formula file */

typedef struct gca_cirt_factor {
    int kind;               /* enum gca_cirt_factor_kind */
    double weight;          /* >= 0 */
    unsigned pillars;       /* pillar_gap: bit i = gca_cirt_pillars[i] */
    int year_from, year_to; /* shutdown_exposure, inclusive */
    double cap;             /* shutdown_exposure, > 0 */
    int required;           /* 1: a country without this input is not
                               ranked ("required" of the formula) */
} gca_cirt_factor;

typedef struct gca_cirt_formula {
    unsigned candidates;    /* bit 1 << GCA_CIRT_NONE, 1 << ..._UNKNOWN */
    gca_cirt_factor f[GCA_CIRT_MAX_FACTORS];
    size_t n;
    int renormalise;        /* 1: "renormalise", 0: "zero" */
} gca_cirt_formula;

/* Parse a formula file (JSON, docs/cirt.md); errors name the file and
 * the field ("factors[2].weight"). */
GCA_API int gca_cirt_formula_parse(const char *data, size_t len,
                                   const char *name, gca_cirt_formula *out,
                                   gca_err *err);
/* The shipped formula, data/cirt/priority.json. */
GCA_API int gca_cirt_formula_default(gca_cirt_formula *out, gca_err *err);

/* A year's shutdown count of one country. */
typedef struct gca_cirt_shutdown {
    int year;
    double count;
    int at_least; /* 1 = a lower bound */
} gca_cirt_shutdown;

/* The inputs of one country; NaN = not available. */
typedef struct gca_cirt_pinput {
    char iso3[4];
    int status;                         /* enum gca_cirt_status */
    double index;                       /* overall score 0..100 */
    double pillars[GCA_CIRT_NPILLARS];  /* 0..20 */
    double region_share;                /* 0..1; NaN = no other country */
    const gca_cirt_shutdown *shutdowns; /* NULL/0 = none recorded */
    size_t nshutdowns;
    int have_shutdown_data;             /* 0 = no data at all: missing */
    double users;                       /* percent 0..100 */
} gca_cirt_pinput;

/* One ranked country. */
typedef struct gca_cirt_prow {
    size_t input;   /* index into the inputs */
    char iso3[4];
    double score;   /* 0..1; NaN when no factor had an input */
    int rank;       /* competition rank (1, 2, 2, 4); 0 when score NaN */
    int at_least;   /* shutdown count includes a lower bound */
    double shutdowns; /* total in the factor's years */
    double value[GCA_CIRT_MAX_FACTORS];   /* NaN = missing */
    double share[GCA_CIRT_MAX_FACTORS];   /* weight share used (0 if
                                             missing) */
    double contrib[GCA_CIRT_MAX_FACTORS]; /* share * value */
} gca_cirt_prow;

/* Rank the candidate countries of in[0..n) by formula `f`: per factor
 * its value (0..1), weights renormalised over the factors a country has
 * (or missing = 0 with "zero"), score = sum of contributions (NaN when
 * a required factor has no input, or no weighted factor has one); best
 * first, ties (equal to 1e-9) share a rank and are ordered by ISO3.
 * *out is new (gca_free), *nout its length. */
GCA_API int gca_cirt_prioritise(const gca_cirt_formula *f,
                                const gca_cirt_pinput *in, size_t n,
                                gca_cirt_prow **out, size_t *nout,
                                gca_err *err);

/* What the store gathers for gca_cirt_prioritise. */
typedef struct gca_cirt_pdata {
    gca_cirt_pinput *in;         /* every country of the store */
    size_t n;
    gca_cirt_shutdown *shut;     /* storage the inputs point into */
    char **names;                /* country names, per input */
    gca_cirt_counts counts;
    int have_shutdowns;          /* the shutdown file was there */
    int have_users;              /* a population file was given */
} gca_cirt_pdata;

/* Gather the inputs: status of every country; index and pillar scores of
 * `edition` (NULL = published "GCI 2020", nodes GCI, LEG..COO), region
 * shares, shutdowns from the shipped data/rights/shutdowns.csv (when the
 * build carries it), users from the CSV `users_csv` (iso3,value,source;
 * NULL = none; named `users_name` in errors). */
GCA_API int gca_cirt_pdata_load(gca_store *st, const char *edition,
                                const char *users_csv, size_t users_len,
                                const char *users_name, gca_cirt_pdata *out,
                                gca_err *err);
GCA_API void gca_cirt_pdata_release(gca_cirt_pdata *d);

#ifdef __cplusplus
}
#endif

#endif
