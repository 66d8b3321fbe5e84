/* editions.c - editions of a framework (gca/workflow.h): creation with a
 * copy of the framework, the state changes draft -> open <-> closed ->
 * published, lookups, and the per-store cache of the framework an edition
 * asks, so that a stream of answers parses it once. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "gca/pipeline.h"
#include "store/audit.h"
#include "store/workflow.h"

#include "core/banned.h"

#define EDITION_COLUMNS                                                     \
    "id, code, framework, year, state, framework_sha256, "                  \
    "method_json IS NOT NULL, created_at, opened_at, closed_at, "           \
    "published_at, scored_at"

#define METHOD_MAX (1024 * 1024) /* bytes of an edition's method JSON */

static void copy_col(gca_store *st, gca__stmt *s, int i, char *out,
                     size_t size)
{
    const char *t = st->be->col_text(s, i);
    snprintf(out, size, "%s", t ? t : "");
}

static void read_edition(gca_store *st, gca__stmt *s, gca_edition *e)
{
    memset(e, 0, sizeof *e);
    e->id = st->be->col_int(s, 0);
    copy_col(st, s, 1, e->code, sizeof e->code);
    copy_col(st, s, 2, e->framework, sizeof e->framework);
    e->year = (int)st->be->col_int(s, 3);
    copy_col(st, s, 4, e->state, sizeof e->state);
    copy_col(st, s, 5, e->framework_sha256, sizeof e->framework_sha256);
    e->has_method = st->be->col_int(s, 6) != 0;
    copy_col(st, s, 7, e->created_at, sizeof e->created_at);
    copy_col(st, s, 8, e->opened_at, sizeof e->opened_at);
    copy_col(st, s, 9, e->closed_at, sizeof e->closed_at);
    copy_col(st, s, 10, e->published_at, sizeof e->published_at);
    copy_col(st, s, 11, e->scored_at, sizeof e->scored_at);
}

int gca__edition_load(gca_store *st, const char *code, gca_edition *out,
                      gca_err *err)
{
    if (!code || !*code)
        return gca_fail(err, GCA_EINVAL, "edition", 0, 0,
                        "no edition given");
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT " EDITION_COLUMNS
                             " FROM editions WHERE code = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, code);
    rc = st->be->step(s, err);
    if (rc > 0)
        read_edition(st, s, out);
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gca_fail(err, GCA_ENOTFOUND, "edition", 0, 0,
                        "unknown edition '%.80s'", code);
    return 0;
}

int gca__edition_require(gca_store *st, const gca_edition *e,
                         const char *state, const char *what, gca_err *err)
{
    (void)st;
    if (strcmp(e->state, state) != 0)
        return gca_fail(err, GCA_ESTATE, "edition", 0, 0,
                        "cannot %s: edition %s is %s, not %s", what, e->code,
                        e->state, state);
    return 0;
}

/* The framework JSON copied into edition `id`, new (gca_free). */
static int load_fw_json(gca_store *st, long long id, char **json,
                        size_t *len, char **method, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT framework_json, method_json FROM "
                             "editions WHERE id = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    rc = st->be->step(s, err);
    if (rc == 0)
        rc = gca_fail(err, GCA_ENOTFOUND, st->path, 0, 0,
                      "edition %lld has gone", id);
    if (rc > 0) {
        const char *j = st->be->col_text(s, 0);
        const char *m = st->be->col_text(s, 1);
        *json = gca_strdup(j ? j : "");
        *len = j ? strlen(j) : 0;
        if (method)
            *method = m ? gca_strdup(m) : NULL;
        rc = !*json || (method && m && !*method)
                 ? gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory")
                 : 0;
        if (rc < 0) {
            gca_free(*json);
            if (method)
                gca_free(*method);
        }
    }
    st->be->finalize(s);
    return rc;
}

int gca__edition_fw(gca_store *st, const gca_edition *e,
                    const gca_framework **fw, gca_err *err)
{
    if (st->fw_cache && st->fw_cache_edition == e->id &&
        !strcmp(st->fw_cache_sha, e->framework_sha256)) {
        *fw = st->fw_cache;
        return 0;
    }
    char *json = NULL;
    size_t len = 0;
    gca_framework *f = NULL;
    int rc = load_fw_json(st, e->id, &json, &len, NULL, err);
    if (rc < 0)
        return rc;
    rc = gca_framework_load_mem(json, len, e->code, &f, NULL, err);
    gca_free(json);
    if (rc < 0)
        return rc;
    gca_framework_free(st->fw_cache);
    st->fw_cache = f;
    st->fw_cache_edition = e->id;
    snprintf(st->fw_cache_sha, sizeof st->fw_cache_sha, "%s",
             e->framework_sha256);
    *fw = f;
    return 0;
}

int gca_edition_framework(gca_store *st, const char *code,
                          gca_framework **fw, gca_method **method,
                          gca_err *err)
{
    gca_edition e;
    char *json = NULL, *mjson = NULL;
    size_t len = 0;
    gca_framework *f = NULL;
    gca_method *m = NULL;
    int rc = gca__edition_load(st, code, &e, err);
    if (rc == 0)
        rc = load_fw_json(st, e.id, &json, &len, &mjson, err);
    if (rc == 0)
        rc = gca_framework_load_mem(json, len, e.code, &f, NULL, err);
    if (rc == 0 && method)
        rc = mjson ? gca_method_load_mem(mjson, strlen(mjson), e.code, &m,
                                         err)
                   : gca_method_default(f, &m, err);
    gca_free(json);
    gca_free(mjson);
    if (rc < 0) {
        gca_framework_free(f);
        return rc;
    }
    *fw = f;
    if (method)
        *method = m;
    return 0;
}

int gca__edition_unscore(gca_store *st, long long id, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "UPDATE editions SET scored_at = NULL "
                             "WHERE id = ? AND scored_at IS NOT NULL",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* ====== Creation ====== */

/* A framework fit for a questionnaire: it has questions, and their codes
 * are unique across it (answers name a question by its code alone). */
static int check_questionnaire(const gca_framework *fw, gca_err *err)
{
    size_t n = gca_framework_nnodes(fw), total = 0;
    for (size_t i = 0; i < n; i++) {
        const gca_node *nd = gca_framework_node_at(fw, i);
        for (size_t q = 0; q < nd->nquestions; q++) {
            int where = -1;
            const gca_question *first =
                gca__question_find(fw, nd->questions[q].code, &where);
            if (first != &nd->questions[q])
                return gca_fail(err, GCA_EFRAMEWORK, "framework", 0, 0,
                                "question code '%s' is used in %s and %s: a "
                                "questionnaire needs unique question codes",
                                nd->questions[q].code,
                                gca_framework_node_at(fw, (size_t)where)->code,
                                nd->code);
            total++;
        }
    }
    if (total == 0)
        return gca_fail(err, GCA_EFRAMEWORK, "framework", 0, 0,
                        "framework %s has no questions to ask",
                        gca_framework_code(fw));
    return 0;
}

/* The framework row matching `fw` without regard to case: its code into
 * code[], its JSON (new) into *json. */
static int find_framework(gca_store *st, const char *fw, char *code,
                          size_t size, char **json, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT code, json FROM frameworks "
                             "WHERE lower(code) = lower(?) ORDER BY code",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, fw);
    rc = st->be->step(s, err);
    if (rc == 0)
        rc = gca_fail(err, GCA_ENOTFOUND, "framework", 0, 0,
                      "unknown framework '%.64s' (gca db status counts "
                      "the frameworks loaded)",
                      fw);
    if (rc > 0) {
        copy_col(st, s, 0, code, size);
        const char *j = st->be->col_text(s, 1);
        *json = gca_strdup(j ? j : "");
        rc = *json ? 0
                   : gca_fail(err, GCA_ENOMEM, st->path, 0, 0,
                              "out of memory");
    }
    st->be->finalize(s);
    return rc;
}

int gca__edition_event(gca_store *st, const char *actor,
                       const char *action, const gca_edition *e,
                       json_t *data, gca_err *err)
{
    char object[GCA_EDITION_CODE_MAX + 16];
    snprintf(object, sizeof object, "edition/%s", e->code);
    if (!data)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    int rc = gca__audit_append(st, actor, action, object, data, err);
    json_decref(data);
    return rc;
}

/* Checks and inserts of gca_edition_create inside its transaction. */
static int create_in_tx(gca_store *st, const char *actor, const char *fw,
                        int year, const char *method_json, gca_edition *out,
                        gca_err *err)
{
    gca_user a;
    char code[GCA_MAX_CODE + 1], ecode[GCA_EDITION_CODE_MAX + 1], now[32];
    char sha[65];
    char *json = NULL;
    gca_framework *f = NULL;
    gca_method *m = NULL;
    gca__stmt *s = NULL;

    int rc = gca__store_actor(st, actor, &a, err);
    if (rc == 0)
        rc = gca__require_admin(st, &a, "create editions", err);
    if (rc == 0)
        rc = find_framework(st, fw, code, sizeof code, &json, err);
    if (rc < 0)
        return rc;
    rc = gca_framework_load_mem(json, strlen(json), code, &f, NULL, err);
    if (rc == 0)
        rc = check_questionnaire(f, err);
    if (rc == 0 && method_json)
        rc = gca_method_load_mem(method_json, strlen(method_json), "method",
                                 &m, err);
    gca_method_free(m);
    gca_framework_free(f);
    if (rc < 0)
        goto done;

    size_t k = 0;
    for (; code[k] && k + 12 < sizeof ecode; k++)
        ecode[k] = (char)((code[k] >= 'A' && code[k] <= 'Z') ? code[k] + 32
                                                              : code[k]);
    snprintf(ecode + k, sizeof ecode - k, "-%d", year);
    gca__sha256_hex(json, strlen(json), sha);

    gca_edition e;
    gca_err nf = {0};
    rc = gca__edition_load(st, ecode, &e, &nf);
    if (rc == 0)
        rc = gca_fail(err, GCA_EINVAL, "year", 0, 0,
                      "edition %s exists already (created %s)", e.code,
                      e.created_at);
    if (rc != GCA_ENOTFOUND)
        goto done;
    rc = gca__store_now(st, now, err);
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "INSERT INTO editions (code, framework, year, state, "
            "framework_json, framework_sha256, method_json, created_at) "
            "VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)",
            &s, err);
    if (rc < 0)
        goto done;
    st->be->bind_text(s, 1, ecode);
    st->be->bind_text(s, 2, code);
    st->be->bind_int(s, 3, year);
    st->be->bind_text(s, 4, json);
    st->be->bind_text(s, 5, sha);
    st->be->bind_text(s, 6, method_json);
    st->be->bind_text(s, 7, now);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    if (rc == 0)
        rc = gca__edition_load(st, ecode, &e, err);
    if (rc < 0)
        goto done;
    rc = gca__edition_event(st, a.name, "edition.create", &e,
                       json_pack("{s:s, s:i, s:s, s:b}", "framework", code,
                                 "year", year, "framework_sha256", sha,
                                 "own_method", method_json != NULL),
                       err);
    if (rc == 0 && out)
        *out = e;
done:
    gca_free(json);
    return rc;
}

int gca_edition_create(gca_store *st, const char *actor, const char *fw,
                       int year, const char *method_json, gca_edition *out,
                       gca_err *err)
{
    if (!fw || !*fw)
        return gca_fail(err, GCA_EINVAL, "framework", 0, 0,
                        "no framework given");
    if (year < 1900 || year > 9999)
        return gca_fail(err, GCA_EINVAL, "year", 0, 0,
                        "year %d is not between 1900 and 9999", year);
    if (method_json && strnlen(method_json, METHOD_MAX + 1) > METHOD_MAX)
        return gca_fail(err, GCA_ETOOBIG, "method", 0, 0,
                        "method is longer than %d bytes", METHOD_MAX);
    int rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = create_in_tx(st, actor, fw, year, method_json, out, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    return rc;
}

/* ====== State changes ====== */

int gca__edition_admin_begin(gca_store *st, const char *actor,
                             const char *code, const char *what,
                             gca_user *a, gca_edition *e, gca_err *err)
{
    int rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = gca__store_actor(st, actor, a, err);
    if (rc == 0)
        rc = gca__require_admin(st, a, what, err);
    if (rc == 0)
        rc = gca__edition_load(st, code, e, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    return rc;
}

/* Move edition `code` from one of `from` (a NULL-terminated list) to
 * `to`, stamping column `stamp`. Admin only. */
static int transition(gca_store *st, const char *actor, const char *code,
                      const char *const *from, const char *to,
                      const char *stamp_sql, const char *action,
                      const char *what, gca_err *err)
{
    gca_user a;
    gca_edition e;
    char now[32];
    gca__stmt *s = NULL;
    int rc = gca__edition_admin_begin(st, actor, code, what, &a, &e, err);
    if (rc < 0)
        return rc;
    int ok = 0;
    for (size_t i = 0; from[i]; i++)
        ok |= !strcmp(e.state, from[i]);
    if (!ok)
        rc = gca_fail(err, GCA_ESTATE, "edition", 0, 0,
                      "cannot %s: edition %s is %s", what, e.code, e.state);
    if (rc == 0)
        rc = gca__store_now(st, now, err);
    if (rc == 0)
        rc = st->be->prepare(st->conn, stamp_sql, &s, err);
    if (rc == 0) {
        st->be->bind_text(s, 1, to);
        st->be->bind_text(s, 2, now);
        st->be->bind_int(s, 3, e.id);
        rc = st->be->step(s, err);
        st->be->finalize(s);
    }
    if (rc == 0)
        rc = gca__edition_event(st, a.name, action, &e,
                           json_pack("{s:s, s:s}", "from", e.state, "to",
                                     to),
                           err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    return rc;
}

int gca_edition_open(gca_store *st, const char *actor, const char *code,
                     gca_err *err)
{
    static const char *const from[] = {"draft", "closed", NULL};
    return transition(st, actor, code, from, "open",
                      "UPDATE editions SET state = ?, opened_at = ? "
                      "WHERE id = ?",
                      "edition.open", "open the edition", err);
}

int gca_edition_close(gca_store *st, const char *actor, const char *code,
                      gca_err *err)
{
    static const char *const from[] = {"open", NULL};
    return transition(st, actor, code, from, "closed",
                      "UPDATE editions SET state = ?, closed_at = ? "
                      "WHERE id = ?",
                      "edition.close", "close the edition", err);
}

/* ====== Reading ====== */

int gca_edition_get(gca_store *st, const char *code, gca_edition *out,
                    gca_err *err)
{
    return gca__edition_load(st, code, out, err);
}

int gca_edition_list(gca_store *st, gca_edition_fn fn, void *ctx,
                     gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT " EDITION_COLUMNS " FROM editions "
                             "ORDER BY year DESC, code",
                             &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        gca_edition e;
        read_edition(st, s, &e);
        rc = fn(&e, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}
