/* migrate.c - numbered schema migrations: the files NNNN_name.sql under
 * the backend's schema directory (built into the library, embedded.h),
 * applied in order, each in one transaction with its schema_migrations
 * row, so that a crash leaves the database at one version or the next. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/embedded.h"
#include "store/backend.h"

#include "core/banned.h"

#define MAX_MIGRATIONS 256

typedef struct migration {
    int version;
    char name[64];
    const gca__blob *blob;
} migration;

/* Parse "NNNN_name.sql" (after the schema directory). 0 on success. */
static int parse_name(const char *file, migration *m)
{
    int version = 0, digits = 0;
    const char *p = file;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        version = version * 10 + (*p - '0');
    size_t len = strlen(file);
    if (digits != 4 || *p != '_' || len < 10 ||
        strcmp(file + len - 4, ".sql") != 0)
        return -1;
    int n = (int)(len - 4 - (size_t)(p + 1 - file));
    if (n < 1 || (size_t)n >= sizeof m->name)
        return -1;
    m->version = version;
    memcpy(m->name, p + 1, (size_t)n);
    m->name[n] = '\0';
    return 0;
}

/* The migrations of `be` in version order into m[0..*n). They must be
 * numbered 1, 2, 3... without gaps: anything else is a build mistake. */
static int list_migrations(const gca__backend *be, migration *m, int *n,
                           gca_err *err)
{
    size_t dlen = strlen(be->schema_dir);
    int k = 0;
    for (size_t i = 0; i < gca__embedded_nfiles; i++) {
        const gca__blob *b = &gca__embedded_files[i];
        if (strncmp(b->name, be->schema_dir, dlen) != 0)
            continue;
        if (k == MAX_MIGRATIONS || parse_name(b->name + dlen, &m[k]) < 0 ||
            m[k].version != k + 1)
            return gca_fail(err, GCA_EINTERNAL, b->name, 0, 0,
                            "migration files must be named NNNN_name.sql "
                            "and numbered from 0001 without gaps");
        m[k++].blob = b;
    }
    *n = k;
    return 0;
}

int gca__store_latest(const gca__backend *be)
{
    size_t dlen = strlen(be->schema_dir);
    int n = 0;
    for (size_t i = 0; i < gca__embedded_nfiles; i++)
        if (!strncmp(gca__embedded_files[i].name, be->schema_dir, dlen))
            n++;
    return n;
}

/* Compare the applied rows with the known migrations: same names, no
 * gaps; *version = the newest applied. */
static int read_applied(gca_store *st, const migration *m, int n,
                        int *version, gca_err *err)
{
    const gca__backend *be = st->be;
    gca__stmt *s = NULL;
    int exists = 0, rc, expect = 1;

    rc = be->table_exists(st->conn, "schema_migrations", &exists, err);
    if (rc < 0 || !exists) {
        *version = 0;
        return rc;
    }
    rc = be->prepare(st->conn,
                     "SELECT version, name FROM schema_migrations "
                     "ORDER BY version",
                     &s, err);
    if (rc < 0)
        return rc;
    while ((rc = be->step(s, err)) > 0) {
        long long v = be->col_int(s, 0);
        const char *name = be->col_text(s, 1);
        if (v != expect) {
            rc = gca_fail(err, GCA_EDATA, st->path, 0, 0,
                          "schema_migrations: migration %d is missing "
                          "(found %lld)",
                          expect, v);
            break;
        }
        if (v <= n && (!name || strcmp(name, m[v - 1].name) != 0)) {
            rc = gca_fail(err, GCA_EDATA, st->path, 0, 0,
                          "schema_migrations: migration %lld is '%s' in "
                          "the database but '%s' in this gca",
                          v, name ? name : "", m[v - 1].name);
            break;
        }
        expect++;
    }
    be->finalize(s);
    if (rc < 0)
        return rc;
    *version = expect - 1;
    if (*version > n)
        return gca_fail(err, GCA_ENOTSUP, st->path, 0, 0,
                        "database schema version %d is newer than this gca "
                        "knows (%d); use a newer gca",
                        *version, n);
    return 0;
}

int gca__store_version(gca_store *st, int *version, gca_err *err)
{
    migration m[MAX_MIGRATIONS];
    int n = 0;
    int rc = list_migrations(st->be, m, &n, err);
    if (rc < 0)
        return rc;
    return read_applied(st, m, n, version, err);
}

int gca__store_require_latest(gca_store *st, gca_err *err)
{
    int version = 0;
    int rc = gca__store_version(st, &version, err);
    if (rc < 0)
        return rc;
    int latest = gca__store_latest(st->be);
    if (version < latest)
        return gca_fail(err, GCA_ENOTSUP, st->path, 0, 0,
                        "database schema version %d, %d migration%s "
                        "pending; run 'gca db migrate'",
                        version, latest - version,
                        latest - version == 1 ? "" : "s");
    return 0;
}

static int record(gca_store *st, const migration *m, gca_err *err)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) ||
        !strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return gca_fail(err, GCA_EINTERNAL, st->path, 0, 0,
                        "cannot read the clock");
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "INSERT INTO schema_migrations "
                             "(version, name, applied_at) VALUES (?, ?, ?)",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, m->version);
    st->be->bind_text(s, 2, m->name);
    st->be->bind_text(s, 3, now);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* Apply migration `m` if the database (read inside the transaction, so
 * that two processes migrating at once do not both apply it) still
 * lacks it. */
static int apply_one(gca_store *st, const migration *all, int n,
                     const migration *m, int *applied, gca_err *err)
{
    const gca__backend *be = st->be;
    gca_err e = {0};
    int version = 0;

    int rc = be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = read_applied(st, all, n, &version, err);
    if (rc < 0 || version >= m->version)
        goto out;
    rc = be->exec(st->conn, m->blob->data, &e);
    if (rc == 0)
        rc = record(st, m, &e);
    if (rc < 0) {
        rc = gca_fail(err, e.code, st->path, 0, 0,
                      "migration %04d_%s failed: %s", m->version, m->name,
                      e.msg);
        goto out;
    }
    rc = be->commit(st->conn, err);
    if (rc == 0)
        (*applied)++;
out:
    if (rc < 0 || version >= m->version)
        be->rollback(st->conn);
    return rc;
}

int gca__store_migrate(gca_store *st, int *applied, gca_err *err)
{
    migration m[MAX_MIGRATIONS];
    int n = 0, version = 0, count = 0;

    int rc = list_migrations(st->be, m, &n, err);
    if (rc == 0)
        rc = read_applied(st, m, n, &version, err);
    for (int i = version; rc == 0 && i < n; i++)
        rc = apply_one(st, m, n, &m[i], &count, err);
    if (applied)
        *applied = count;
    return rc;
}
