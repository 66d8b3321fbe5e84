/* gca/model.h - the indicator framework (a tree of nodes with questions
 * and tiers) and the unit data checked against it. Formats:
 * docs/framework-format.md (JSON and COINr iMeta CSV) and
 * docs/method.md#data (iData CSV). */
#ifndef GCA_MODEL_H
#define GCA_MODEL_H

#include "gca/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ====== Framework ====== */

/* Ceilings on what a framework may hold; larger inputs fail GCA_ETOOBIG. */
#define GCA_MAX_FRAMEWORK_FILE (16u << 20)
#define GCA_MAX_NODES 100000
#define GCA_MAX_LEVELS 32
#define GCA_MAX_CODE 128 /* bytes in a node, unit or column code */

typedef enum gca_node_type {
    GCA_NODE_INDICATOR = 1, /* measured: a data column, level 1 */
    GCA_NODE_AGGREGATE = 2  /* computed from its children */
} gca_node_type;

typedef enum gca_answer_type {
    GCA_ANSWER_YESNO = 1,
    GCA_ANSWER_YESPARTIALNO = 2,
    GCA_ANSWER_NUMBER = 3,
    GCA_ANSWER_CHOICE = 4
} gca_answer_type;

/* One entry of a question's scoring map: answer `value` scores `score`. */
typedef struct gca_choice {
    char *value;
    char *label; /* shown to focal points; may equal value */
    double score;
} gca_choice;

/* A question that focal points answer under an indicator. */
typedef struct gca_question {
    char *code;
    char *text;
    gca_answer_type type;
    double weight;         /* within the indicator; 1 if not given */
    double min, max;       /* GCA_ANSWER_NUMBER: accepted range, NaN = open */
    gca_choice *choices;   /* scoring map (yes/no/partial/choice) */
    size_t nchoices;
    int line;              /* position in the source file, 0 = unknown */
} gca_question;

/* A named number attached to an indicator for a method: COINr's extra
 * iMeta columns (goalpost_lower, minmax_upper, zscore_sd, ...). */
typedef struct gca_param {
    char *name;
    double value;
} gca_param;

/* A node of the tree. Read-only to users of the library. */
typedef struct gca_node {
    char *code;
    char *name;
    char *unit;          /* may be NULL */
    gca_node_type type;
    int level;           /* 1 = indicator, top = number of levels */
    int parent;          /* index into the framework's nodes, -1 = top */
    double weight;       /* relative weight within the parent */
    int direction;       /* +1 higher is better, -1 lower is better */
    double target;       /* NaN = none (n_dist2targ) */
    char *denominator;   /* data column to divide by, NULL = none */
    double score_min;    /* published scale of the node, NaN = not set */
    double score_max;
    char *status;        /* provenance mark ("unverified: ..."), NULL = seen */
    gca_param *params;
    size_t nparams;
    gca_question *questions;
    size_t nquestions;
    int *children;       /* indices into the framework's nodes */
    size_t nchildren;
    int line;            /* position in the source file, 0 = unknown */
} gca_node;

typedef enum gca_column_type {
    GCA_COLUMN_GROUP = 1,       /* text: a category of units */
    GCA_COLUMN_DENOMINATOR = 2, /* number: divides indicators */
    GCA_COLUMN_OTHER = 3        /* carried along, not used */
} gca_column_type;

/* A data column that is not an indicator (COINr iMeta types Group,
 * Denominator, Other). */
typedef struct gca_column {
    char *code;
    char *name;
    char *unit;
    gca_column_type type;
    int line;
} gca_column;

/* A named score band: a unit with min <= score < max gets it (the band
 * holding the framework's maximum also includes it). */
typedef struct gca_tier {
    char *code;
    char *name;
    double min, max;
    char *status;
} gca_tier;

/* How ties are ranked. */
typedef enum gca_ties {
    GCA_TIES_MIN = 1,  /* competition ranks 1, 2, 2, 4 (COINr) */
    GCA_TIES_DENSE = 2 /* dense ranks 1, 2, 2, 3 (GCI) */
} gca_ties;

typedef struct gca_framework gca_framework;

/* Load a framework from `path`: JSON (docs/framework-format.md) or a COINr
 * iMeta CSV, told apart by content. The framework is validated (COINr's
 * rules plus cycles and orphans). Returns 0 and sets *out to a new
 * framework (free with gca_framework_free), or a negative GCA_E* with
 * *err naming file, line and rule, and *out untouched. If `all` is not
 * NULL every violation found is appended to it. */
GCA_API int gca_framework_load(const char *path, gca_framework **out,
                               gca_errlist *all, gca_err *err);
/* The same from memory; `source` names the input in messages. */
GCA_API int gca_framework_load_mem(const char *data, size_t len,
                                   const char *source, gca_framework **out,
                                   gca_errlist *all, gca_err *err);
GCA_API void gca_framework_free(gca_framework *fw);

/* Write `fw` as framework JSON / as COINr iMeta CSV. New string in *out
 * (free with gca_free), length in *len. */
GCA_API int gca_framework_to_json(const gca_framework *fw, char **out,
                                  size_t *len, gca_err *err);
GCA_API int gca_framework_to_imeta(const gca_framework *fw, char **out,
                                   size_t *len, gca_err *err);

/* A new framework in which the nodes at `level` become the indicators
 * (level 1) and everything below them is dropped: for data published at
 * that level, such as pillar scores. */
GCA_API int gca_framework_cut(const gca_framework *fw, int level,
                              gca_framework **out, gca_err *err);
/* A new framework without the indicators named in `codes` (COINr's
 * `exclude`); aggregates left without children are removed too. */
GCA_API int gca_framework_exclude(const gca_framework *fw,
                                  const char *const *codes, size_t ncodes,
                                  gca_framework **out, gca_err *err);

/* Borrowed strings and nodes: valid until `fw` is freed. */
GCA_API const char *gca_framework_code(const gca_framework *fw);
GCA_API const char *gca_framework_name(const gca_framework *fw);
GCA_API const char *gca_framework_source(const gca_framework *fw);
GCA_API int gca_framework_nlevels(const gca_framework *fw);
/* Name of `level` (1-based), e.g. "Indicator"; never NULL. */
GCA_API const char *gca_framework_level_name(const gca_framework *fw,
                                             int level);
GCA_API size_t gca_framework_nnodes(const gca_framework *fw);
GCA_API const gca_node *gca_framework_node_at(const gca_framework *fw,
                                              size_t i);
/* Index of the node with `code`, or -1. */
GCA_API int gca_framework_find(const gca_framework *fw, const char *code);
/* NULL if `code` is unknown. */
GCA_API const gca_node *gca_framework_node(const gca_framework *fw,
                                           const char *code);
/* Index of the single top node. */
GCA_API int gca_framework_top(const gca_framework *fw);
GCA_API size_t gca_framework_ncolumns(const gca_framework *fw);
GCA_API const gca_column *gca_framework_column_at(const gca_framework *fw,
                                                  size_t i);
/* NULL if no such declared data column. */
GCA_API const gca_column *gca_framework_column(const gca_framework *fw,
                                               const char *code);
GCA_API size_t gca_framework_ntiers(const gca_framework *fw);
GCA_API const gca_tier *gca_framework_tier_at(const gca_framework *fw,
                                              size_t i);
/* Tier of `score`, or NULL when the framework has none or the score is
 * outside every band (or NaN). */
GCA_API const gca_tier *gca_framework_tier_of(const gca_framework *fw,
                                              double score);
/* Ranking rule the framework publishes with (default GCA_TIES_MIN). */
GCA_API gca_ties gca_framework_ties(const gca_framework *fw);
/* Named weight sets: weight of node `code` in set `set`; NaN if the set
 * does not give one. Returns GCA_ENOTFOUND if there is no set `set`. */
GCA_API int gca_framework_weight_set(const gca_framework *fw, const char *set,
                                     const char *code, double *w);
/* The framework's default method as JSON text (borrowed), NULL if none. */
GCA_API const char *gca_framework_method_json(const gca_framework *fw);

/* ====== Unit data (iData) ====== */

#define GCA_MAX_DATA_FILE (256u << 20)
#define GCA_MAX_UNITS 1000000
#define GCA_MAX_COLUMNS 100000

typedef struct gca_dataset gca_dataset;

typedef enum gca_data_kind {
    GCA_DATA_UNBOUND = 0, /* read, not yet checked against a framework */
    GCA_DATA_INDICATOR,
    GCA_DATA_DENOMINATOR,
    GCA_DATA_GROUP,
    GCA_DATA_OTHER
} gca_data_kind;

/* Read an iData CSV (RFC 4180; UTF-8 BOM and CRLF accepted): a header,
 * `uCode` required, non-empty, unique and without spaces; `uName` and
 * `Time` optional; every other column is data. `NA` and empty cells are
 * missing. Returns 0 and a new dataset in *out, or GCA_EPARSE/GCA_EDATA
 * with *err at file:line:column. */
GCA_API int gca_dataset_read_csv(const char *path, gca_dataset **out,
                                 gca_err *err);
GCA_API int gca_dataset_read_csv_mem(const char *data, size_t len,
                                     const char *source, gca_dataset **out,
                                     gca_err *err);
GCA_API void gca_dataset_free(gca_dataset *ds);

/* Drop data column `code` before binding (COINr's `exclude`, for data
 * columns the framework does not know). GCA_ENOTFOUND if there is none;
 * GCA_EINVAL after binding or for uCode. */
GCA_API int gca_dataset_exclude(gca_dataset *ds, const char *code,
                                gca_err *err);

/* Check `ds` against `fw` and classify its columns: every indicator has
 * a numeric column, declared groups/denominators/others are present, no
 * column is unknown or an aggregate, and a single Time value (panel data
 * need `time`, which keeps only rows of that Time; NULL = no filter).
 * Fails with the first problem at file:line:col; if `all` is not NULL,
 * every problem is appended. */
GCA_API int gca_dataset_bind(gca_dataset *ds, const gca_framework *fw,
                             const char *time, gca_errlist *all,
                             gca_err *err);

GCA_API const char *gca_dataset_source(const gca_dataset *ds);
GCA_API size_t gca_dataset_nunits(const gca_dataset *ds);
GCA_API const char *gca_dataset_ucode(const gca_dataset *ds, size_t unit);
/* uName, or the uCode when the file has none. */
GCA_API const char *gca_dataset_uname(const gca_dataset *ds, size_t unit);
GCA_API size_t gca_dataset_ncols(const gca_dataset *ds);
GCA_API const char *gca_dataset_col_code(const gca_dataset *ds, size_t col);
GCA_API gca_data_kind gca_dataset_col_kind(const gca_dataset *ds,
                                           size_t col);
/* Index of column `code`, or -1. */
GCA_API int gca_dataset_find_col(const gca_dataset *ds, const char *code);
/* Numeric value (NaN when missing or not a number). */
GCA_API double gca_dataset_num(const gca_dataset *ds, size_t col,
                               size_t unit);
/* Cell text as read (NULL when missing). */
GCA_API const char *gca_dataset_text(const gca_dataset *ds, size_t col,
                                     size_t unit);

#ifdef __cplusplus
}
#endif
#endif
