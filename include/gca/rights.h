/* gca/rights.h - the rights lens (docs/rights.md): measures that weaken
 * encryption, retain data, identify subscribers, restrict routing or shut
 * networks down, recorded per country as knowledge-base entries (kind
 * rights_measure, gca/kb.h) and shutdown counts per country and year
 * (data/rights/shutdowns.csv). They are shown BESIDE a security score,
 * never combined with it: no function here reads or writes a score.
 *
 * Flags: one letter per measure type, in the order of gca_rights_types:
 * upper case = in force, lower case = proposed, absent = none recorded
 * (which is not the same as none). Repealed and struck-down measures set
 * no flag. */
#ifndef GCA_RIGHTS_H
#define GCA_RIGHTS_H

#include <stddef.h>

#include "gca/core.h"
#include "gca/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Told in every output that shows flags. */
#define GCA_RIGHTS_ABSENCE_NOTE                                            \
    "absence of a flag means none recorded, not none"
/* Flags string: at most one letter per type, then NUL. */
#define GCA_RIGHTS_FLAGS_MAX 8
/* Shutdown years that set the S flag. */
#define GCA_RIGHTS_SHUTDOWN_FROM 2019
#define GCA_RIGHTS_SHUTDOWN_TO 2024
/* Ceiling on a shutdown counts file. */
#define GCA_RIGHTS_SHUTDOWNS_MAX (1u << 20)

/* One measure type: its subtype name in the knowledge base, its flag
 * letter (upper case) and what it means. */
typedef struct gca_rights_type {
    const char *measure; /* "lawful_access_e2ee" */
    char letter;         /* 'E' */
    const char *label;   /* "lawful access to encrypted data / E2EE" */
} gca_rights_type;

/* The six types in flag order: E C R I G S; ends with a NULL measure. */
GCA_API extern const gca_rights_type gca_rights_types[];

/* Index of `measure` in gca_rights_types, or -1 if it is none of them. */
GCA_API int gca_rights_type_index(const char *measure);
/* 1 if `status` is a rights-measure status (in_force, proposed,
 * repealed, struck_down). */
GCA_API int gca_rights_status_valid(const char *status);

/* ====== Flags (pure) ====== */

/* Which types are in force and which proposed: bit i = gca_rights_types[i]. */
typedef struct gca_rights_flags {
    unsigned in_force;
    unsigned proposed;
} gca_rights_flags;

/* Record one measure of type `measure` with `status`; unknown types and
 * repealed or struck-down measures change nothing. */
GCA_API void gca_rights_flags_add(gca_rights_flags *f, const char *measure,
                                  const char *status);
/* Write the flags into out ("ER s"-like, without spaces: "ERs"): letters
 * in type order, upper case when in force, lower case when only proposed.
 * "" when nothing is recorded. */
GCA_API void gca_rights_flags_format(const gca_rights_flags *f,
                                     char out[GCA_RIGHTS_FLAGS_MAX]);

/* ====== Instrument matching (pure) ====== */

/* The short name of an instrument: the text before the first ',' or '(',
 * lower-cased, as alphanumeric tokens separated by one space
 * ("Investigatory Powers Act 2016, s.253" -> "investigatory powers act
 * 2016"). Writes at most cap bytes with NUL; returns the number of tokens
 * (0 = nothing to match), or GCA_ETOOBIG when it does not fit. */
GCA_API int gca_rights_short_name(const char *instrument, char *out,
                                  size_t cap);
/* 1 if `text` contains the tokens of the short name of `instrument`
 * consecutively, as whole tokens, ignoring case and punctuation
 * ("...the investigatory-powers act (2016)..." matches); 0 if not, or if
 * the short name has no token. Bytes other than ASCII letters and digits
 * separate tokens. */
GCA_API int gca_rights_match(const char *instrument, const char *text);

/* ====== Shutdown counts ====== */

/* One row of the counts file. Strings are borrowed for the callback. */
typedef struct gca_rights_shutdown {
    const char *iso3;
    const char *country;
    int year;
    long count;
    const char *count_type; /* "reported" | "at_least" (a lower bound) */
    const char *source;
    const char *note;
} gca_rights_shutdown;

typedef int (*gca_rights_shutdown_fn)(const gca_rights_shutdown *s,
                                      void *ctx);

/* Parse a counts file (CSV, columns iso3,country,year,shutdowns,
 * count_type,source,note in any order, all required). iso3 is three
 * upper-case letters, year 1900-2099, shutdowns a whole number from 0,
 * count_type reported|at_least, source not empty; (iso3, year) unique.
 * Calls fn per row in file order only once the whole file is valid; a
 * non-zero return stops the walk and is returned. Errors name
 * `name`:line:col. */
GCA_API int gca_rights_shutdowns_parse(const char *data, size_t len,
                                       const char *name,
                                       gca_rights_shutdown_fn fn, void *ctx,
                                       gca_err *err);
/* The shipped counts (data/rights/shutdowns.csv) of country `iso3` (NULL
 * = all). *available (may be NULL) is 0 when this build ships no counts
 * file; then fn is never called and 0 is returned. */
GCA_API int gca_rights_shutdowns(const char *iso3, gca_rights_shutdown_fn fn,
                                 void *ctx, int *available, gca_err *err);

/* ====== Measures in the store ====== */

/* One measure as recorded; strings borrowed for the callback. */
typedef struct gca_rights_measure {
    const char *id;         /* the knowledge-base entry */
    const char *iso3;       /* "" for a regional measure (no country) */
    const char *country;    /* the country's name, "" when regional */
    const char *region;     /* as recorded, "European Union" */
    const char *measure;    /* one of gca_rights_types */
    const char *status;     /* in_force | proposed | repealed | struck_down */
    const char *instrument; /* the entry's title */
    const char *summary;
    int year;               /* 0 = none recorded */
    const char *url;
    const char *source;
    const char *note;       /* "unverified: ..." for secondary sources */
} gca_rights_measure;

typedef int (*gca_rights_measure_fn)(const gca_rights_measure *m,
                                     void *ctx);

/* Filters of gca_rights_list; NULL = any. */
typedef struct gca_rights_filter {
    const char *iso3;    /* only measures naming this country (regional
                            measures are never attributed to a country) */
    const char *measure; /* one of gca_rights_types */
    const char *status;
} gca_rights_filter;

/* The recorded measures, one call per (measure, country) pair, by country
 * (regional ones last), type, year, id. GCA_EINVAL names a bad filter
 * ("measure", "status"); GCA_ENOTFOUND an unknown country. */
GCA_API int gca_rights_list(gca_store *st, const gca_rights_filter *flt,
                            gca_rights_measure_fn fn, void *ctx,
                            gca_err *err);

/* The flags of `iso3`: its recorded measures, and S when the shipped
 * counts record a shutdown in GCA_RIGHTS_SHUTDOWN_FROM..TO. */
GCA_API int gca_rights_country_flags(gca_store *st, const char *iso3,
                                     char out[GCA_RIGHTS_FLAGS_MAX],
                                     gca_err *err);

/* ====== Country profile: security and rights side by side ====== */

/* National CIRT status from the knowledge base: "has" or "none" (with
 * the entry's title and source), or "unknown" when no entry names the
 * country. Strings borrowed for the callback. */
typedef struct gca_rights_cirt {
    const char *status;
    const char *team;   /* "" when unknown */
    const char *source; /* "" when unknown */
} gca_rights_cirt;

/* The security side of a profile. Never holds a rights figure. */
typedef struct gca_rights_security {
    int has_published;       /* 1 if GCI 2020 published a score */
    double published_score;  /* overall, 0-100 */
    int published_rank;      /* 0 = none */
    int has_edition;         /* 1 if the edition scored the country */
    double edition_score;    /* NaN = not scored */
    int edition_rank;        /* 0 = none */
    char edition_tier[64];   /* "" = none */
    char cirt_status[8];     /* has | none | unknown */
    char cirt_team[512];
    char cirt_source[512];
} gca_rights_security;

/* Fill *out for `iso3` (GCA_ENOTFOUND names "country"); `edition` (NULL =
 * none) must exist (GCA_ENOTFOUND names "edition"). */
GCA_API int gca_rights_security_get(gca_store *st, const char *iso3,
                                    const char *edition,
                                    gca_rights_security *out, gca_err *err);

/* ====== Rankings ====== */

/* One row of a ranking; strings borrowed for the callback. */
typedef struct gca_rights_rank {
    const char *iso3;
    const char *name;
    double score;
    int rank; /* 0 = none */
} gca_rights_rank;

typedef int (*gca_rights_rank_fn)(const gca_rights_rank *r, void *ctx);

/* The ranking of `edition` (NULL = published GCI 2020, overall node), by
 * rank then ISO3, at most `limit` rows (0 = all). Scores and ranks as
 * stored: the rights lens never changes them. */
GCA_API int gca_rights_ranking(gca_store *st, const char *edition,
                               int limit, gca_rights_rank_fn fn, void *ctx,
                               gca_err *err);

/* Every node score of the ranking's source, for tables with pillar
 * columns: `edition` (NULL = GCI 2020 as published); per row the
 * country, the node code ("LEG", "GCI"), its score and rank (0 = none)
 * and, for an edition, the country's tier (NULL otherwise, or when it
 * has none). By country, then node. */
typedef struct gca_results_node {
    const char *iso3;
    const char *node;
    double score;
    int rank;
    const char *tier;
} gca_results_node;
typedef int (*gca_results_node_fn)(const gca_results_node *n, void *ctx);
GCA_API int gca_results_nodes(gca_store *st, const char *edition,
                              gca_results_node_fn fn, void *ctx,
                              gca_err *err);

/* ====== Analyst warning ====== */

/* A legal-pillar answer, or a legal-instrument entry, that names an
 * instrument also recorded as a rights measure of the same country. */
typedef struct gca_rights_warning {
    const char *iso3;
    const char *measure_id;  /* the rights measure entry */
    const char *measure;     /* its type */
    const char *status;
    const char *instrument;  /* its title */
    const char *where;       /* "answer" | "evidence" | "kb" */
    const char *question;    /* the question, or the kb entry id */
    const char *field;       /* comment | url | file_name | note | title |
                                summary */
    const char *text;        /* the text that matched */
    const char *answer_state;/* "" for kb */
} gca_rights_warning;

typedef int (*gca_rights_warning_fn)(const gca_rights_warning *w,
                                     void *ctx);

/* The warnings of `edition` (GCA_ENOTFOUND if none): answers to questions
 * of indicators under the LEG pillar, in any state, whose comment or
 * evidence (URL, file name, note) names a rights-measure instrument of
 * that country (gca_rights_match); then legal_instrument entries naming
 * the country whose title or summary does. *count (may be NULL) gets the
 * number of warnings. */
GCA_API int gca_rights_check(gca_store *st, const char *edition,
                             gca_rights_warning_fn fn, void *ctx,
                             size_t *count, gca_err *err);

#ifdef __cplusplus
}
#endif

#endif
