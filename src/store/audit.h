/* audit.h - what the store's writers share with the audit log (audit.c):
 * appending an event inside their own transaction, and the libsodium
 * start-up. Format and hash recipe: docs/audit.md. */
#ifndef GCA_STORE_AUDIT_H
#define GCA_STORE_AUDIT_H

#include <jansson.h>

#include "gca/audit.h"
#include "store/backend.h"

/* Caps on the event's text columns (bytes) and on its canonical data. */
#define GCA_AUDIT_MAX_ACTOR 128
#define GCA_AUDIT_MAX_ACTION 64
#define GCA_AUDIT_MAX_OBJECT 512
#define GCA_AUDIT_MAX_PAYLOAD (256 * 1024)

/* Initialise libsodium once (thread-safe; later calls are cheap). */
int gca__store_sodium_init(gca_store *st, gca_err *err);

/* hex(SHA-256(data)), 64 lower-case digits, into out[65]. */
void gca__sha256_hex(const void *data, size_t len, char out[65]);

/* The time now as "2026-11-23T10:21:00Z" (UTC) into out[32]. */
int gca__store_now(gca_store *st, char out[32], gca_err *err);
/* The same for `ahead` seconds from now (an expiry). */
int gca__store_time_at(gca_store *st, long ahead, char out[32],
                       gca_err *err);

/* Append one event: `actor` (a user name), `action` ("user.add":
 * lowercase letters, digits, '.', '_'), `object` ("user/alice") and
 * `data` (a JSON object, borrowed; NULL = {}), with the next seq, the
 * time now and the hash chained to the current head. MUST run inside
 * the caller's write transaction (be->begin), so that the event commits
 * or rolls back with the change it records and no other writer can take
 * the same seq: outside one it fails with GCA_EINTERNAL. Text must be
 * valid UTF-8 without control characters. Returns 0 or a negative
 * GCA_E*; the caller then rolls back. */
int gca__audit_append(gca_store *st, const char *actor, const char *action,
                      const char *object, const json_t *data, gca_err *err);

/* The bytes hashed for an event after its predecessor's hash (the
 * "canonical payload" of docs/audit.md) into `out`, which is reset
 * first. Exposed for the tests, which compare it with jansson's own
 * serialisation. Returns 0 or GCA_ENOMEM / GCA_ETOOBIG. */
struct gca_buf;
int gca__audit_canonical(struct gca_buf *out, const gca_audit_event *ev);

#endif
