/* frameworks.c - adding a framework of one's own to the store
 * (gca/workflow.h), so that an index team can run a questionnaire that
 * gca does not ship. Editions copy a framework's JSON when they are
 * created, so replacing one later changes no edition. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/workflow.h"

#include "core/banned.h"

static int add_in_tx(gca_store *st, const char *actor, const char *json,
                     size_t len, const gca_framework *fw, gca_err *err)
{
    gca_user a;
    gca__stmt *s = NULL;
    char sha[65], object[GCA_MAX_CODE + 16];
    int rc = gca__store_actor(st, actor, &a, err);
    if (rc == 0)
        rc = gca__require_admin(st, &a, "add frameworks", err);
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "INSERT INTO frameworks (code, name, source, json, json_len, "
            "sha256) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
            "source = excluded.source, json = excluded.json, "
            "json_len = excluded.json_len, sha256 = excluded.sha256",
            &s, err);
    if (rc < 0)
        return rc;
    gca__sha256_hex(json, len, sha);
    st->be->bind_text(s, 1, gca_framework_code(fw));
    st->be->bind_text(s, 2, gca_framework_name(fw));
    st->be->bind_text(s, 3, gca_framework_source(fw));
    st->be->bind_text(s, 4, json);
    st->be->bind_int(s, 5, (long long)len);
    st->be->bind_text(s, 6, sha);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    snprintf(object, sizeof object, "framework/%s", gca_framework_code(fw));
    json_t *data = json_pack("{s:s, s:s, s:I}", "sha256", sha, "source",
                             gca_framework_source(fw), "bytes",
                             (json_int_t)len);
    rc = data ? gca__audit_append(st, a.name, "framework.add", object, data,
                                  err)
              : gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    json_decref(data);
    return rc;
}

int gca_store_add_framework(gca_store *st, const char *actor,
                            const char *json, size_t len, const char *source,
                            char code[GCA_MAX_CODE + 1], gca_err *err)
{
    gca_framework *fw = NULL;
    if (!json)
        return gca_fail(err, GCA_EINVAL, source ? source : "framework", 0, 0,
                        "no framework given");
    if (memchr(json, '\0', len))
        return gca_fail(err, GCA_EPARSE, source ? source : "framework", 0, 0,
                        "framework contains a NUL byte");
    int rc = gca_framework_load_mem(json, len, source ? source : "framework",
                                    &fw, NULL, err);
    if (rc == 0)
        rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = gca__store_sodium_init(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc == 0) {
        rc = add_in_tx(st, actor, json, len, fw, err);
        if (rc == 0)
            rc = st->be->commit(st->conn, err);
        if (rc < 0)
            st->be->rollback(st->conn);
    }
    if (rc == 0 && code)
        snprintf(code, GCA_MAX_CODE + 1, "%s", gca_framework_code(fw));
    gca_framework_free(fw);
    return rc;
}

int gca_store_frameworks(gca_store *st, gca_framework_info_fn fn, void *ctx,
                         gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT code, name, source, sha256, json_len "
                             "FROM frameworks ORDER BY code",
                             &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        gca_framework_info f = {st->be->col_text(s, 0), st->be->col_text(s, 1),
                                st->be->col_text(s, 2), st->be->col_text(s, 3),
                                st->be->col_int(s, 4)};
        rc = fn(&f, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

int gca_store_framework_json(gca_store *st, const char *code, char **json,
                             size_t *len, gca_err *err)
{
    gca__stmt *s = NULL;
    *json = NULL;
    *len = 0;
    int rc = st->be->prepare(st->conn,
                             "SELECT json FROM frameworks WHERE code = ?", &s,
                             err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, code ? code : "");
    rc = st->be->step(s, err);
    if (rc > 0) {
        const char *t = st->be->col_text(s, 0);
        *json = gca_strdup(t ? t : "");
        *len = *json ? strlen(*json) : 0;
        rc = *json ? 0 : gca_fail(err, GCA_ENOMEM, st->path, 0, 0,
                                  "out of memory");
    } else if (rc == 0) {
        rc = gca_fail(err, GCA_ENOTFOUND, "framework", 0, 0,
                      "no framework '%.64s'", code ? code : "");
    }
    st->be->finalize(s);
    return rc;
}
