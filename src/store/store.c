/* store.c - the public store API (gca/store.h) on top of a backend
 * (backend.h): open and close, status, backup and the checks. Schema
 * changes are in migrate.c, the shipped data in shipped.c. */
#include <stdio.h>
#include <string.h>

#include "gca/audit.h"
#include "gca/model.h"
#include "store/backend.h"
#include "store/kbindex.h"

#include "core/banned.h"

int gca_store_open(const char *path, unsigned flags, gca_store **out,
                   gca_err *err)
{
    if (!path || !*path)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "no database file given");
    gca_store *st = gca_calloc(1, sizeof *st);
    if (!st)
        return gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
    st->be = &gca__sqlite_backend;
    st->path = gca_strdup(path);
    if (!st->path) {
        gca_free(st);
        return gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
    }
    int rc = st->be->open(path, flags, &st->conn, err);
    if (rc < 0) {
        gca_store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

void gca_store_close(gca_store *st)
{
    if (!st)
        return;
    /* The index holds a tokenizer of the connection: it goes first. */
    gca__kb_index_free(st->kb_index);
    if (st->conn)
        st->be->close(st->conn);
    gca_framework_free(st->fw_cache);
    gca_free(st->blob_dir);
    gca_free(st->path);
    gca_free(st);
}

const char *gca_store_path(const gca_store *st)
{
    return st->path;
}

int gca_store_migrate(gca_store *st, int *applied, gca_err *err)
{
    return gca__store_migrate(st, applied, err);
}

int gca_store_load_shipped(gca_store *st, gca_err *err)
{
    return gca__store_load_shipped(st, err);
}

int gca_store_backup(gca_store *st, const char *dest_path, gca_err *err)
{
    if (!dest_path || !*dest_path)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "no backup file given");
    return st->be->backup(st->conn, dest_path, err);
}

/* ====== Status ====== */

/* Rows of `table` into *n, -1 if the table is not there. The names come
 * from this file only, never from input. */
static int count_rows(gca_store *st, const char *table, long long *n,
                      gca_err *err)
{
    char sql[128];
    gca__stmt *s = NULL;
    int exists = 0;

    *n = -1;
    int rc = st->be->table_exists(st->conn, table, &exists, err);
    if (rc < 0 || !exists)
        return rc;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    rc = st->be->prepare(st->conn, sql, &s, err);
    if (rc < 0)
        return rc;
    rc = st->be->step(s, err);
    if (rc > 0)
        *n = st->be->col_int(s, 0);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* The newest applied version without judging the rows (status must work
 * on a database that migrate refuses). */
static int max_version(gca_store *st, int *version, gca_err *err)
{
    gca__stmt *s = NULL;
    int exists = 0;

    *version = 0;
    int rc = st->be->table_exists(st->conn, "schema_migrations", &exists,
                                  err);
    if (rc < 0 || !exists)
        return rc;
    rc = st->be->prepare(st->conn,
                         "SELECT coalesce(max(version), 0) "
                         "FROM schema_migrations",
                         &s, err);
    if (rc < 0)
        return rc;
    rc = st->be->step(s, err);
    if (rc > 0)
        *version = (int)st->be->col_int(s, 0);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

int gca_store_status(gca_store *st, struct gca_store_status *out,
                     gca_err *err)
{
    struct gca_store_status s;
    memset(&s, 0, sizeof s);
    int rc = st->be->info(st->conn, &s, err);
    if (rc == 0)
        rc = max_version(st, &s.version, err);
    if (rc == 0)
        rc = count_rows(st, "frameworks", &s.frameworks, err);
    if (rc == 0)
        rc = count_rows(st, "countries", &s.countries, err);
    if (rc == 0)
        rc = count_rows(st, "published_results", &s.published_results, err);
    if (rc < 0)
        return rc;
    s.latest = gca__store_latest(st->be);
    s.pending = s.version < s.latest ? s.latest - s.version : 0;
    *out = s;
    return 0;
}

/* ====== Checks ====== */

/* A check that finds a problem appends it to `problems` and returns 0;
 * a negative return means it could not run. */
typedef int (*store_check_fn)(gca_store *st, gca_errlist *problems,
                              gca_err *err);

/* The schema: applied migrations known and complete. */
static int check_schema(gca_store *st, gca_errlist *problems, gca_err *err)
{
    gca_err e = {0};
    int rc = gca__store_require_latest(st, &e);
    if (rc == 0)
        return 0;
    if (rc == GCA_ENOMEM || rc == GCA_EINTERNAL) {
        *err = e;
        return rc;
    }
    if (gca_errlist_add(problems, &e) < 0)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    return 0;
}

static int check_engine(gca_store *st, gca_errlist *problems, gca_err *err)
{
    return st->be->check(st->conn, problems, err);
}

/* The audit log's hash chain (audit.c). A database without the table
 * yet is the schema check's to report. Engine errors on the way are
 * damage too, as in the engine's own checks. */
static int check_audit(gca_store *st, gca_errlist *problems, gca_err *err)
{
    gca_err e = {0};
    int exists = 0;
    int rc = st->be->table_exists(st->conn, "audit_events", &exists, err);
    if (rc < 0 || !exists)
        return rc;
    rc = gca_audit_verify(st, NULL, &e);
    if (rc == 0)
        return 0;
    if (rc == GCA_ENOMEM) {
        *err = e;
        return rc;
    }
    if (gca_errlist_add(problems, &e) < 0)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    return 0;
}

/* Run by gca_store_check in this order. */
static const store_check_fn store_checks[] = {
    check_engine,
    check_schema,
    check_audit,
};

int gca_store_check(gca_store *st, gca_errlist *problems, gca_err *err)
{
    for (size_t i = 0; i < GCA_COUNT(store_checks); i++) {
        int rc = store_checks[i](st, problems, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}
