/* gca/workflow.h - the questionnaire workflow on the store: editions of a
 * framework, answers per country and question with their review states,
 * evidence, scoring, export and the difference between two editions.
 *
 * Every function that changes data takes the acting user's name
 * (gca/users.h), checks its role, and makes the change and its audit
 * event (gca/audit.h) in one transaction: all of it or nothing. Roles:
 * an admin manages editions; an analyst reviews, records answers from
 * open sources and scores, for every country; a focal point answers and
 * adds evidence for its own country only; a viewer reads what is public.
 * The states and who may move them are in docs/workflow.md.
 *
 * Errors: GCA_EPERM (the role does not allow it), GCA_ESTATE (not in the
 * current state of the edition or answer), GCA_ENOTFOUND (unknown
 * edition, country, question, user), GCA_EINVAL (a bad value, with the
 * field named in err->source), GCA_ETOOBIG; nothing is written then. */
#ifndef GCA_WORKFLOW_H
#define GCA_WORKFLOW_H

#include "gca/core.h"
#include "gca/model.h"
#include "gca/pipeline.h"
#include "gca/sign.h"
#include "gca/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCA_EDITION_CODE_MAX 80 /* bytes */
#define GCA_COMMENT_MAX 4000    /* bytes of a comment, note or reason */

/* ====== Frameworks ====== */

/* Add framework JSON `json` (`len` bytes; `source` names it in messages)
 * to the store, or replace the one with the same code: editions keep the
 * copy they were made with. Admin only. The framework's code goes into
 * code[] (may be NULL). */
GCA_API int gca_store_add_framework(gca_store *st, const char *actor,
                                    const char *json, size_t len,
                                    const char *source,
                                    char code[GCA_MAX_CODE + 1],
                                    gca_err *err);

/* One framework of the store; text borrowed during the callback. */
typedef struct gca_framework_info {
    const char *code, *name, *source;
    const char *sha256; /* of its JSON; NULL = not recorded */
    long long bytes;    /* of its JSON */
} gca_framework_info;
typedef int (*gca_framework_info_fn)(const gca_framework_info *f,
                                     void *ctx);
/* The frameworks of the store, by code; non-zero from fn stops. */
GCA_API int gca_store_frameworks(gca_store *st, gca_framework_info_fn fn,
                                 void *ctx, gca_err *err);
/* The JSON of framework `code` (GCA_ENOTFOUND if none) into *json (new,
 * gca_free) and *len. */
GCA_API int gca_store_framework_json(gca_store *st, const char *code,
                                     char **json, size_t *len, gca_err *err);

/* ====== Editions ====== */

/* An edition as stored. States: "draft" (created), "open" (answers are
 * taken), "closed" (answers frozen; scoring), "published" (final). */
typedef struct gca_edition {
    long long id;
    char code[GCA_EDITION_CODE_MAX + 1]; /* "gci-2026" */
    char framework[GCA_MAX_CODE + 1];    /* "GCI" */
    int year;
    char state[16];
    char framework_sha256[65]; /* of the framework JSON copied in */
    int has_method;            /* 1 = the edition has its own method */
    char created_at[32], opened_at[32], closed_at[32], published_at[32];
    char scored_at[32];        /* "" = not scored since the last change */
} gca_edition;

/* Create edition "<framework in lower case>-<year>" of framework `fw`
 * (a code in the frameworks table, matched without regard to case) in
 * state "draft", copying the framework's JSON in. `method_json` (may be
 * NULL: the framework's default method) is the edition's method, checked
 * against the framework. Admin only. *out (may be NULL) gets the
 * edition. */
GCA_API int gca_edition_create(gca_store *st, const char *actor,
                               const char *fw, int year,
                               const char *method_json, gca_edition *out,
                               gca_err *err);
/* draft or closed -> open. Admin only. */
GCA_API int gca_edition_open(gca_store *st, const char *actor,
                             const char *code, gca_err *err);
/* open -> closed. Admin only. */
GCA_API int gca_edition_close(gca_store *st, const char *actor,
                              const char *code, gca_err *err);
GCA_API int gca_edition_get(gca_store *st, const char *code,
                            gca_edition *out, gca_err *err);
/* Called per edition, newest year first; non-zero stops the walk. */
typedef int (*gca_edition_fn)(const gca_edition *e, void *ctx);
GCA_API int gca_edition_list(gca_store *st, gca_edition_fn fn, void *ctx,
                             gca_err *err);
/* The edition's framework (as copied in at creation) and method (its
 * own, else the framework's default). Free with gca_framework_free and
 * gca_method_free. `method` may be NULL. */
GCA_API int gca_edition_framework(gca_store *st, const char *code,
                                  gca_framework **fw, gca_method **method,
                                  gca_err *err);

/* closed -> published, with its scores up to date: the stored scores,
 * ranks and tiers and the head of the (verified) audit log are signed
 * with `key` (a secret key, gca/sign.h) into a bundle written to
 * `out_path` (never overwritten), which `gca verify` checks offline.
 * Admin only. Payload: docs/workflow.md, "Publication". */
GCA_API int gca_edition_publish(gca_store *st, const char *actor,
                                const char *code, const gca_key *key,
                                const char *out_path, gca_err *err);

/* ====== Robustness ====== */

/* Publication runs an uncertainty analysis (gca/sensitivity.h) of the
 * edition's build: UA with GCA_ROBUSTNESS_N runs from seed
 * GCA_ROBUSTNESS_SEED over the edition's spec (editions.sensitivity_json)
 * or, without one, every weight below the index perturbed by up to 25 %
 * (100 weight sets). Its per-country results are stored and signed with
 * the results (payload member "robustness"). docs/workflow.md. */
#define GCA_ROBUSTNESS_N 1000
#define GCA_ROBUSTNESS_SEED 1

/* Set (spec_json) or drop (NULL) the edition's own spec of uncertain
 * inputs for the robustness analysis (docs/method.md, "Sensitivity"),
 * checked against its framework and method; a stored spec may name no
 * file. Admin only, before publication; audited (edition.sensitivity). */
GCA_API int gca_edition_set_sensitivity(gca_store *st, const char *actor,
                                        const char *code,
                                        const char *spec_json,
                                        gca_err *err);

/* One country's robustness; text borrowed during the callback. */
typedef struct gca_robustness {
    const char *country;
    int ranked;          /* runs that ranked it */
    double rank_q5, rank_q95, rank_median, rank_mean; /* NaN = none */
    const char *tier;    /* the published tier, NULL = none */
    double tier_prob;    /* share of the runs in that tier, NaN = none */
    const char *tier_probs; /* JSON {"T1": p, ...}, NULL = no tiers */
} gca_robustness;
typedef int (*gca_robustness_fn)(const gca_robustness *r, void *ctx);
/* The stored robustness of `edition`, by country (none before it is
 * published). Non-zero from fn stops. */
GCA_API int gca_edition_robustness(gca_store *st, const char *edition,
                                   gca_robustness_fn fn, void *ctx,
                                   gca_err *err);

/* ====== Answers and review ====== */

/* An answer as stored. Text is borrowed: valid during the callback. */
typedef struct gca_answer {
    long long id;
    const char *edition;   /* code */
    const char *country;   /* ISO3 */
    const char *question;  /* question code */
    const char *indicator; /* its framework node */
    const char *value;     /* canonical text, NULL = none yet */
    const char *comment;   /* NULL = none */
    const char *state;     /* draft submitted returned resubmitted approved */
    const char *source;    /* "country" or "analyst" */
    const char *confirmed_by; /* analyst-sourced: focal point, NULL = not yet */
    const char *confirmed_at;
    const char *review_comment;
    const char *updated_by;
    const char *updated_at;
    long long version;
} gca_answer;

/* Set the answer of `country` to `question` in edition `edition` (open):
 * `value` in the question's type ("yes"/"no"; "yes"/"partial"/"no"; a
 * choice value; a number within the question's range, stored as %.17g),
 * `comment` (may be NULL). A focal point of `country` sets the
 * country's answer; an analyst records one from open sources (source
 * "analyst"), which the country is invited to confirm. Allowed while the
 * answer is new, "draft" or "returned" (it stays "returned"). */
GCA_API int gca_answer_set(gca_store *st, const char *actor,
                           const char *edition, const char *country,
                           const char *question, const char *value,
                           const char *comment, gca_err *err);
/* draft -> submitted, returned -> resubmitted. The focal point of the
 * country (its own answers) or an analyst (analyst-sourced ones). */
GCA_API int gca_answer_submit(gca_store *st, const char *actor,
                              const char *edition, const char *country,
                              const char *question, gca_err *err);
/* Analyst review. "approve": submitted|resubmitted -> approved.
 * "return": submitted|resubmitted|approved -> returned, `comment`
 * required. */
GCA_API int gca_answer_review(gca_store *st, const char *actor,
                              const char *edition, const char *country,
                              const char *question, const char *decision,
                              const char *comment, gca_err *err);
/* The focal point of the country confirms an analyst-sourced answer. */
GCA_API int gca_answer_confirm(gca_store *st, const char *actor,
                               const char *edition, const char *country,
                               const char *question, gca_err *err);

/* Which answers gca_answer_list passes on; NULL fields match all. */
typedef struct gca_answer_filter {
    const char *country;
    const char *question;
    const char *state;
} gca_answer_filter;
typedef int (*gca_answer_fn)(const gca_answer *a, void *ctx);
/* Answers of `edition` in (country, question) order. */
GCA_API int gca_answer_list(gca_store *st, const char *edition,
                            const gca_answer_filter *filter,
                            gca_answer_fn fn, void *ctx, gca_err *err);

/* ====== Evidence ====== */

#define GCA_EVIDENCE_MAX_DEFAULT (20 * 1024 * 1024) /* bytes of a file */

/* Where evidence files are kept: `dir` (created when needed). Default:
 * the database path followed by ".blobs". */
GCA_API int gca_store_set_blob_dir(gca_store *st, const char *dir,
                                   gca_err *err);
/* The largest evidence file accepted, in bytes; 0 or less =
 * GCA_EVIDENCE_MAX_DEFAULT. */
GCA_API void gca_store_set_evidence_max(gca_store *st, long long bytes);

/* An evidence item as stored. Text borrowed during the callback. */
typedef struct gca_evidence {
    long long id;
    const char *edition, *country, *question;
    const char *kind;       /* "url" or "file" */
    const char *url;        /* kind "url" */
    const char *retrieved;  /* kind "url": YYYY-MM-DD */
    const char *sha256;     /* the file, or the URL's snapshot; NULL = none */
    long long size;         /* of that blob, 0 = none */
    const char *mime;       /* sniffed from its content */
    const char *file_name;  /* as given, without directories */
    const char *visibility; /* "public" or "restricted" */
    const char *note;
    const char *added_by, *added_at;
} gca_evidence;

/* Add evidence to the answer of `country` to `question` (the answer
 * need not exist yet) of an open edition. `url` (http or https) read on
 * `retrieved` (YYYY-MM-DD, not in the future), with an optional
 * `snapshot` file; or a file `path` (not empty, at most the store's
 * limit, of a type gca accepts by its content). `visibility` "public" or
 * "restricted". The focal point of the country, or an analyst. *id (may
 * be NULL) gets the new item's id. */
GCA_API int gca_evidence_add_url(gca_store *st, const char *actor,
                                 const char *edition, const char *country,
                                 const char *question, const char *url,
                                 const char *retrieved, const char *snapshot,
                                 const char *visibility, const char *note,
                                 long long *id, gca_err *err);
GCA_API int gca_evidence_add_file(gca_store *st, const char *actor,
                                  const char *edition, const char *country,
                                  const char *question, const char *path,
                                  const char *visibility, const char *note,
                                  long long *id, gca_err *err);
/* Evidence of `edition` (country and question may be NULL = all) that
 * `actor` may see: restricted items only for admins, analysts and the
 * focal point of their country; `actor` NULL = the public. */
typedef int (*gca_evidence_fn)(const gca_evidence *ev, void *ctx);
GCA_API int gca_evidence_list(gca_store *st, const char *actor,
                              const char *edition, const char *country,
                              const char *question, gca_evidence_fn fn,
                              void *ctx, gca_err *err);
/* The path of the blob of evidence item `id` in *path (a new string,
 * gca_free) if `actor` may read it; GCA_EPERM otherwise. */
GCA_API int gca_evidence_blob_path(gca_store *st, const char *actor,
                                   long long id, char **path, gca_err *err);

/* ====== Scoring, export, difference ====== */

/* The score of answer `value` to question `q`: its entry in the scoring
 * map, or for a number question the number as a share of the question's
 * range (clipped to [0, 1]), or the number itself when the range is
 * open. GCA_EINVAL (field "value") when it is not an answer of `q`. */
GCA_API int gca_question_score(const gca_question *q, const char *value,
                               double *score, gca_err *err);

/* Score edition `code` (open or closed): approved answers -> question
 * scores (the framework's scoring map) -> indicator scores -> the
 * edition's method -> scores, ranks and tiers, stored in place of the
 * previous ones. Analyst or admin. *nscored (may be NULL) gets the
 * number of countries scored. Rules: docs/workflow.md, "Scoring". */
GCA_API int gca_edition_score(gca_store *st, const char *actor,
                              const char *code, int *nscored, gca_err *err);

/* Write the edition into directory `dir` (created; refused if it exists
 * and is not empty): answers.csv/.json, evidence.csv, history.csv
 * (review events), question_scores.csv, data.csv, framework.json,
 * method.json, scores.csv; `gca build --meta framework.json --data
 * data.csv --method method.json` gives scores.csv again. Restricted
 * evidence appears only if `actor` may see it (NULL = the public). */
GCA_API int gca_edition_export(gca_store *st, const char *actor,
                               const char *code, const char *dir,
                               gca_err *err);

/* What changed per country between edition `from` and `code` (`from`
 * NULL = the latest earlier edition of the same framework): answers,
 * evidence, scores, tier. `country` NULL = all. *out gets a JSON text
 * (docs/workflow.md, "Edition diff"; free with gca_free). */
GCA_API int gca_edition_diff(gca_store *st, const char *code,
                             const char *from, const char *country,
                             char **out, gca_err *err);

#ifdef __cplusplus
}
#endif
#endif
