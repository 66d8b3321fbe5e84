/* gca/audit.h - the store's tamper-evident audit log: every state change
 * of the workflow appends one event, in the same transaction, whose hash
 * chains it to the previous one. The exact bytes hashed, and how to
 * re-verify a chain with sha256sum, are in docs/audit.md. */
#ifndef GCA_AUDIT_H
#define GCA_AUDIT_H

#include "gca/core.h"
#include "gca/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One event as stored. Text is borrowed: valid only during the callback
 * that receives it. */
typedef struct gca_audit_event {
    long long seq;         /* 1, 2, 3... in append order */
    const char *at;        /* UTC, "2026-11-23T10:21:00Z" */
    const char *actor;     /* user name */
    const char *action;    /* "user.add" */
    const char *object;    /* "user/alice" (docs/audit.md, "Objects") */
    const char *payload;   /* canonical JSON object, the event's data */
    const char *prev_hash; /* 64 hex digits; the genesis one is all 0 */
    const char *hash;      /* 64 hex digits */
} gca_audit_event;

/* What gca_audit_verify found. */
typedef struct gca_audit_result {
    long long events;      /* rows read, up to and including a bad one */
    long long head_seq;    /* seq of the last good event, 0 if none */
    char head_hash[65];    /* its hash; 64 zeros for an empty log */
    long long first_bad_seq; /* 0 = the chain is intact */
} gca_audit_result;

/* Walk the whole chain in seq order and recompute every hash. Returns 0
 * with out->first_bad_seq = 0 when it is intact. A broken chain returns
 * GCA_EDATA, sets out->first_bad_seq to the seq of the first row that
 * fails and *err to a message naming it and the rule it breaks: a
 * changed column (hash mismatch), a missing row (seq gap), a row whose
 * prev_hash is not its predecessor's hash (deleted or reordered rows).
 * Rows removed from the end cannot be seen here: the head hash (in
 * *out) is what a signed publication anchors (docs/audit.md). Other
 * negative GCA_E* codes mean the walk could not run. `out` may be NULL. */
GCA_API int gca_audit_verify(gca_store *st, gca_audit_result *out,
                             gca_err *err);

/* Which events gca_audit_list passes on; NULL or 0 fields match all. */
typedef struct gca_audit_filter {
    const char *actor;         /* exactly this user */
    const char *object_prefix; /* object starts with this ("user/") */
    const char *since;         /* at >= this (ISO 8601 prefix compare) */
    const char *country;       /* payload member "country" equals this */
    long long after_seq;       /* seq > this */
} gca_audit_filter;

/* Called per matching event, in seq order. A non-zero return stops the
 * walk; gca_audit_list then returns that value. */
typedef int (*gca_audit_fn)(const gca_audit_event *ev, void *ctx);

/* Pass every event matching `filter` (may be NULL) to `fn`. Returns 0, a
 * non-zero value of `fn`, or a negative GCA_E* with *err filled. The
 * chain is not verified here (gca_audit_verify). */
GCA_API int gca_audit_list(gca_store *st, const gca_audit_filter *filter,
                           gca_audit_fn fn, void *ctx, gca_err *err);

#ifdef __cplusplus
}
#endif
#endif
