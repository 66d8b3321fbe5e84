/* publish.c - publishing an edition (gca/workflow.h, docs/workflow.md
 * "Publication"): its stored scores, ranks and tiers and the head of the
 * audit log, signed with the team's Ed25519 key into a bundle that
 * anyone can check offline (`gca verify`, docs/signing.md). The state
 * change, its audit event and the bundle file stand or fall together. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fs.h"
#include "gca/audit.h"
#include "store/audit.h"
#include "store/workflow.h"

#include "core/banned.h"

/* Append the stored scores (and tiers) of edition `id` to `payload`. */
static int add_results(gca_store *st, long long id, json_t *payload,
                       gca_err *err)
{
    gca__stmt *s = NULL;
    json_t *scores = json_array(), *tiers = json_array();
    int rc = scores && tiers &&
                     json_object_set_new(payload, "scores", scores) == 0 &&
                     json_object_set_new(payload, "tiers", tiers) == 0
                 ? 0
                 : gca_fail(err, GCA_ENOMEM, "publish", 0, 0,
                            "out of memory");
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "SELECT country, node, score, rank FROM "
                             "edition_scores WHERE edition = ? "
                             "ORDER BY country, node",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    while ((rc = st->be->step(s, err)) > 0) {
        double v = st->be->col_double(s, 2);
        const char *rank = st->be->col_text(s, 3);
        json_t *row = json_pack(
            "{s:s, s:s, s:o, s:o}", "country", st->be->col_text(s, 0),
            "node", st->be->col_text(s, 1), "score",
            isfinite(v) ? json_real(v) : json_null(), "rank",
            rank ? json_integer(st->be->col_int(s, 3)) : json_null());
        if (!row || json_array_append_new(scores, row) != 0) {
            rc = gca_fail(err, GCA_ENOMEM, "publish", 0, 0, "out of memory");
            break;
        }
    }
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    rc = st->be->prepare(st->conn,
                         "SELECT country, tier FROM edition_tiers "
                         "WHERE edition = ? ORDER BY country",
                         &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    while ((rc = st->be->step(s, err)) > 0) {
        const char *t = st->be->col_text(s, 1);
        json_t *row = json_pack("{s:s, s:o}", "country",
                                st->be->col_text(s, 0), "tier",
                                t ? json_string(t) : json_null());
        if (!row || json_array_append_new(tiers, row) != 0) {
            rc = gca_fail(err, GCA_ENOMEM, "publish", 0, 0, "out of memory");
            break;
        }
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* Checks, payload, signature and the state change, inside the
 * transaction. The bundle text goes to *bundle (gca_free). */
static int publish_in_tx(gca_store *st, const char *actor, const char *code,
                         const gca_key *key, char **bundle, size_t *blen,
                         gca_err *err)
{
    gca_user a;
    gca_edition e;
    gca_audit_result head;
    char now[32];
    int rc = gca__store_actor(st, actor, &a, err);
    if (rc == 0)
        rc = gca__require_admin(st, &a, "publish editions", err);
    if (rc == 0)
        rc = gca__edition_load(st, code, &e, err);
    if (rc == 0)
        rc = gca__edition_require(st, &e, "closed", "publish", err);
    if (rc == 0 && !e.scored_at[0])
        rc = gca_fail(err, GCA_ESTATE, "edition", 0, 0,
                      "cannot publish: edition %s has no up-to-date scores "
                      "(run gca score)",
                      e.code);
    if (rc == 0 && (!key || !gca_key_can_sign(key)))
        rc = gca_fail(err, GCA_EINVAL, "key", 0, 0,
                      "publishing needs a secret key (gca key generate)");
    /* The chain must be whole: a signature over a broken log would
     * vouch for it. */
    if (rc == 0)
        rc = gca_audit_verify(st, &head, err);
    if (rc == 0)
        rc = gca__store_now(st, now, err);
    if (rc < 0)
        return rc;

    json_t *payload = json_pack(
        "{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:{s:I, s:s}}", "type",
        "gca-edition-results", "edition", e.code, "framework", e.framework,
        "year", e.year, "framework_sha256", e.framework_sha256, "scored_at",
        e.scored_at, "published_at", now, "audit_head", "seq",
        (json_int_t)head.head_seq, "hash", head.head_hash);
    if (!payload)
        return gca_fail(err, GCA_ENOMEM, "publish", 0, 0, "out of memory");
    rc = add_results(st, e.id, payload, err);
    if (rc == 0)
        rc = gca__edition_robustness_run(st, &e, now, payload, err);
    char *text = rc == 0 ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS |
                                                   JSON_REAL_PRECISION(17))
                         : NULL;
    json_decref(payload);
    if (rc == 0 && !text)
        rc = gca_fail(err, GCA_ENOMEM, "publish", 0, 0, "out of memory");
    if (rc == 0)
        rc = gca_bundle_sign(text, strlen(text), e.code, key, bundle, blen,
                             err);
    free(text); /* jansson's */
    if (rc < 0)
        return rc;

    gca__stmt *s = NULL;
    rc = st->be->prepare(st->conn,
                         "UPDATE editions SET state = 'published', "
                         "published_at = ? WHERE id = ?",
                         &s, err);
    if (rc == 0) {
        st->be->bind_text(s, 1, now);
        st->be->bind_int(s, 2, e.id);
        rc = st->be->step(s, err);
        st->be->finalize(s);
    }
    if (rc == 0) {
        char hex[65];
        gca__sha256_hex(*bundle, *blen, hex);
        rc = gca__edition_event(
            st, a.name, "edition.publish", &e,
            json_pack("{s:s, s:s, s:s, s:I, s:s}", "from", "closed", "to",
                      "published", "bundle_sha256", hex, "audit_head_seq",
                      (json_int_t)head.head_seq, "key_id", gca_key_id(key)),
            err);
    }
    if (rc < 0) {
        gca_free(*bundle);
        *bundle = NULL;
    }
    return rc;
}

int gca_edition_publish(gca_store *st, const char *actor, const char *code,
                        const gca_key *key, const char *out_path,
                        gca_err *err)
{
    char *bundle = NULL;
    size_t blen = 0;
    if (!out_path || !*out_path)
        return gca_fail(err, GCA_EINVAL, "out", 0, 0,
                        "no file to write the bundle to");
    if (access(out_path, F_OK) == 0)
        return gca_fail(err, GCA_EINVAL, out_path, 0, 0,
                        "exists already: a published bundle is never "
                        "overwritten");
    int rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = gca__store_sodium_init(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = publish_in_tx(st, actor, code, key, &bundle, &blen, err);
    /* The file first: if it cannot be written, nothing is published. */
    if (rc == 0)
        rc = gca_file_write_new(out_path, bundle, blen, 0644, err);
    if (rc == 0) {
        rc = st->be->commit(st->conn, err);
        if (rc < 0)
            unlink(out_path);
    }
    if (rc < 0)
        st->be->rollback(st->conn);
    gca_free(bundle);
    return rc;
}
