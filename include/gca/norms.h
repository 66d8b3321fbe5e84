/* gca/norms.h - the eleven UN GGE 2015 norms (A/70/174 para 13(a)-(k))
 * against a framework's indicators and against the objectives of the
 * norms: the crosswalk, a per-country implementation view, gap counts and
 * the objectives-by-norms matrix (issue 5, section 3; docs/norms.md).
 *
 * Files (CSV with a header row, docs/norms.md "Files"):
 *   crosswalk.csv       norm,framework,indicator,strength,rationale,source
 *   objectives.csv      code,name,source,note
 *   norm_objectives.csv norm,objective,rationale
 * A norm is named by its paragraph, "13(k)". A file with one bad row adds
 * nothing; the error names file:line:column.
 *
 * The norms themselves are knowledge-base entries of kind "norm"
 * (gca/kb.h); gca_norms_load_kb reads them from the store. Everything
 * else here needs no store. */
#ifndef GCA_NORMS_H
#define GCA_NORMS_H

#include <stddef.h>

#include "gca/core.h"
#include "gca/model.h"
#include "gca/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCA_NORMS_MAX 64          /* norms in a set */
#define GCA_NORMS_MAX_ROWS 10000  /* rows of any norms file */
#define GCA_NORMS_MAX_TEXT 2000   /* bytes of a rationale, name, source */
#define GCA_NORMS_DEFAULT_THRESHOLD 0.5

/* How well an indicator implements a norm. */
typedef enum gca_norm_strength {
    GCA_STRENGTH_DIRECT = 1,  /* the indicator measures the norm's measure */
    GCA_STRENGTH_PARTIAL = 2 /* one part of it, or a proxy */
} gca_norm_strength;

typedef struct gca_norm {
    char *id;    /* knowledge-base id: "norm/GGE15-K" */
    char *para;  /* "13(k)" */
    char *title; /* "Do no harm to emergency response teams" */
} gca_norm;

typedef struct gca_norm_link {
    size_t norm;          /* index into norms */
    char *framework;      /* "GCI" */
    char *indicator;      /* "TEC.1" */
    gca_norm_strength strength;
    char *rationale;
    char *source;
    int line;             /* in the crosswalk file */
} gca_norm_link;

typedef struct gca_norm_objective {
    char *code; /* "secure" */
    char *name;
    char *source;
    char *note; /* "" = none */
} gca_norm_objective;

typedef struct gca_norm_serves {
    size_t norm;      /* index into norms */
    size_t objective; /* index into objectives */
    char *rationale;
} gca_norm_serves;

/* The norms, their crosswalk to one framework and their objectives. All
 * strings are owned by the set. */
typedef struct gca_norms {
    gca_norm *norms;
    size_t nnorms;
    gca_norm_link *links;     /* in file order */
    size_t nlinks;
    gca_norm_objective *objectives;
    size_t nobjectives;
    gca_norm_serves *serves;  /* which norm serves which objective */
    size_t nserves;
} gca_norms;

GCA_API void gca_norms_init(gca_norms *n);
/* Free the contents; `n` is left empty (as after gca_norms_init). */
GCA_API void gca_norms_release(gca_norms *n);

/* Append norm `para` ("13(a)": "13(" + one letter + ")") with its id and
 * title. GCA_EINVAL for a bad or duplicate paragraph. */
GCA_API int gca_norms_add(gca_norms *n, const char *id, const char *para,
                          const char *title, gca_err *err);
/* Index of norm `para`, or -1. */
GCA_API long gca_norms_find(const gca_norms *n, const char *para);

/* Parse crosswalk `data` (`len` bytes; `name` names it in errors) and
 * append its links. Every row must name a norm already in `n`, the
 * framework `fw` (its code, no case) and one of its indicators; strength
 * "direct" or "partial"; a rationale and a source; no link twice. */
GCA_API int gca_norms_parse_crosswalk(gca_norms *n, const char *data,
                                      size_t len, const char *name,
                                      const gca_framework *fw, gca_err *err);
/* Parse objectives: code ([a-z0-9_-], unique), name and source required. */
GCA_API int gca_norms_parse_objectives(gca_norms *n, const char *data,
                                       size_t len, const char *name,
                                       gca_err *err);
/* Parse the norm-objective links: known norm and objective, a rationale,
 * no pair twice. Parse the objectives first. */
GCA_API int gca_norms_parse_serves(gca_norms *n, const char *data,
                                   size_t len, const char *name,
                                   gca_err *err);

/* Number of norms serving objective `obj` (0 = an objective no norm
 * covers), and of objectives norm `norm` serves. */
GCA_API size_t gca_norms_objective_norms(const gca_norms *n, size_t obj);
GCA_API size_t gca_norms_norm_objectives(const gca_norms *n, size_t norm);
/* 1 if norm `norm` serves objective `obj`. */
GCA_API int gca_norms_serves_objective(const gca_norms *n, size_t norm,
                                       size_t obj);
/* Number of crosswalk links of norm `norm` (0 = unmapped). */
GCA_API size_t gca_norms_norm_links(const gca_norms *n, size_t norm);

/* ====== Country values ====== */

/* Indicator values per country on a known scale. */
typedef struct gca_norms_data {
    char **countries;   /* ISO3, [ncountries], sorted */
    size_t ncountries;
    char **indicators;  /* [nindicators] */
    double *lo, *hi;    /* scale of each indicator */
    size_t nindicators;
    double *values;     /* [country * nindicators + indicator], NaN = none */
} gca_norms_data;

GCA_API void gca_norms_data_release(gca_norms_data *d);

/* Parse an indicator data CSV: column uCode (ISO3 codes, unique), an
 * optional uName, and one column per indicator of `fw`; values 0-1, NA
 * or empty for none. The scale of every indicator is [0, 1]. */
GCA_API int gca_norms_data_parse(const char *data, size_t len,
                                 const char *name, const gca_framework *fw,
                                 gca_norms_data *out, gca_err *err);

/* The stored indicator scores of edition `edition` (gca edition score).
 * The scale of an indicator is its framework's score_min..score_max when
 * set, else that of the edition method's normalise step (n_minmax: l_u,
 * default [0, 100]; the [0, 1] methods), else [0, 1] (questionnaire
 * scores are shares). GCA_ENOTFOUND for an unknown edition, GCA_ESTATE
 * when it has no scores, GCA_ENOTSUP for a method whose scale is not
 * known (z-scores, ranks). *fw (may be NULL) gets the edition's
 * framework (new; gca_framework_free). */
GCA_API int gca_norms_edition_data(gca_store *st, const char *edition,
                                   gca_norms_data *out, gca_framework **fw,
                                   gca_err *err);

/* The norms in the store's knowledge base (kind "norm"), in id order,
 * appended to `n`. */
GCA_API int gca_norms_load_kb(gca_store *st, gca_norms *n, gca_err *err);

/* ====== Classification ====== */

typedef enum gca_link_state {
    GCA_LINK_NODATA = 0,
    GCA_LINK_NOT_MET = 1, /* 0 (or the bottom of the scale) */
    GCA_LINK_WEAK = 2,    /* above the bottom, below the threshold */
    GCA_LINK_MET = 3      /* at or above the threshold */
} gca_link_state;

typedef enum gca_norm_state {
    GCA_NORM_UNMAPPED = 0,    /* no link in the crosswalk */
    GCA_NORM_NODATA = 1,      /* links, but no value for any of them */
    GCA_NORM_GAP = 2,         /* no linked indicator met or weak */
    GCA_NORM_PARTIAL = 3,     /* only partial links met, or weak ones */
    GCA_NORM_IMPLEMENTED = 4  /* a direct link met */
} gca_norm_state;

/* "no data", "not met", "weak", "met". */
GCA_API const char *gca_link_state_name(gca_link_state s);
/* "unmapped", "no data", "gap", "partial", "implemented". */
GCA_API const char *gca_norm_state_name(gca_norm_state s);

/* State of `value` on the scale [lo, hi] with `threshold` a share of it
 * (0 < threshold <= 1): met at lo + threshold (hi - lo) or above. */
GCA_API gca_link_state gca_norms_link_state(double value, double lo,
                                            double hi, double threshold);

/* The value of link `link` for country row `country` of `d` (NaN when
 * the data have no such indicator), with its state into *state. */
GCA_API double gca_norms_link_value(const gca_norms *n, size_t link,
                                    const gca_norms_data *d, size_t country,
                                    double threshold, gca_link_state *state);

/* State of norm `norm` given the state of every link (`ls`, nlinks
 * entries; only the norm's links are read). */
GCA_API gca_norm_state gca_norms_norm_state(const gca_norms *n, size_t norm,
                                            const gca_link_state *ls);

/* Index of country `iso3` in `d`, or -1. */
GCA_API long gca_norms_data_find(const gca_norms_data *d, const char *iso3);

#ifdef __cplusplus
}
#endif

#endif
