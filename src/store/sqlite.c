/* sqlite.c - the SQLite backend of the store (backend.h): connection
 * set-up (WAL, synchronous=FULL, foreign keys, busy timeout; see
 * https://sqlite.org/pragma.html), statements, the online backup API
 * (https://sqlite.org/backup.html) and the engine's integrity checks. */
#define _POSIX_C_SOURCE 200809L
#include "store/sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#define BUSY_TIMEOUT_MS 5000

/* Prepared statements are kept per connection and reused by their SQL
 * text: the workflow runs the same few statements for every answer, and
 * preparing them again costs as much as the rest of a submission. */
#define STMT_CACHE 48

struct gca__conn {
    sqlite3 *db;
    char *path;
    gca__stmt *cache[STMT_CACHE];
    int ncache;
};

struct gca__stmt {
    sqlite3_stmt *st;
    gca__conn *c;
    int bind_rc; /* first failed bind, reported by the next step */
    char *sql;   /* cached statements: their text; NULL = not cached */
    int in_use;  /* cached statements: lent out by sq_prepare */
};

sqlite3 *gca__sqlite_handle(gca__conn *c)
{
    return c->db;
}

/* The gca error class of an SQLite result code. */
static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return GCA_ENOMEM;
    case SQLITE_TOOBIG:
        return GCA_ETOOBIG;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return GCA_EDATA;
    case SQLITE_ERROR:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_INTERNAL:
        return GCA_EINTERNAL;
    default:
        return GCA_EIO;
    }
}

/* Fail with the engine's message for `db` (or for `rc` alone when the
 * handle holds none), prefixed by what we were doing. */
static int fail_db(gca_err *err, sqlite3 *db, int rc, const char *path,
                   const char *what)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int sys = db ? sqlite3_system_errno(db) : 0;
    if (sys && ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_IOERR))
        return gca_fail(err, map_rc(rc), path, 0, 0, "%s: %s (%s)", what,
                        msg, strerror(sys));
    return gca_fail(err, map_rc(rc), path, 0, 0, "%s: %s", what, msg);
}

/* ====== Connections ====== */

static int sq_exec(gca__conn *c, const char *sql, gca_err *err);

static void sq_close(gca__conn *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->ncache; i++) {
        sqlite3_finalize(c->cache[i]->st);
        gca_free(c->cache[i]->sql);
        gca_free(c->cache[i]);
    }
    sqlite3_close(c->db); /* other statements are finalised by their owners */
    gca_free(c->path);
    gca_free(c);
}

/* Run a pragma that returns one row and compare its first column with
 * `want` (case-insensitive), so that a setting the engine ignored is
 * caught rather than assumed. */
static int pragma_expect(gca__conn *c, const char *sql, const char *want,
                         gca_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = fail_db(err, c->db, rc, c->path, "cannot open database");
        sqlite3_finalize(st);
        return rc;
    }
    const char *got = (const char *)sqlite3_column_text(st, 0);
    char copy[32];
    snprintf(copy, sizeof copy, "%s", got ? got : "");
    sqlite3_finalize(st);
    if (sqlite3_stricmp(copy, want))
        return gca_fail(err, GCA_ENOTSUP, c->path, 0, 0,
                        "'%s' gave '%s', not '%s'", sql, copy, want);
    return 0;
}

static int sq_open(const char *path, unsigned flags, gca__conn **out,
                   gca_err *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return gca_fail(err, GCA_EIO, path, 0, 0,
                        "cannot open database: is a directory");
    if (!(flags & GCA_STORE_CREATE) && stat(path, &sb) < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0,
                        "cannot open database: %s", strerror(errno));

    gca__conn *c = gca_calloc(1, sizeof *c);
    if (!c)
        return gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
    c->path = gca_strdup(path);
    if (!c->path) {
        gca_free(c);
        return gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
    }
    int ro = (flags & GCA_STORE_READONLY) && !(flags & GCA_STORE_CREATE);
    int oflags = ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & GCA_STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &c->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        rc = fail_db(err, c->db, rc, path, "cannot open database");
        sq_close(c);
        return rc;
    }
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    /* journal_mode is the first statement that reads the file, so a file
     * that is not a database fails here, with the engine's words. */
    rc = pragma_expect(c, ro ? "PRAGMA journal_mode" : "PRAGMA journal_mode=WAL",
                       "wal", err);
    if (rc == 0)
        rc = sq_exec(c, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                     err);
    if (rc == 0)
        rc = pragma_expect(c, "PRAGMA synchronous", "2", err);
    if (rc == 0)
        rc = pragma_expect(c, "PRAGMA foreign_keys", "1", err);
    if (rc < 0) {
        sq_close(c);
        return rc;
    }
    *out = c;
    return 0;
}

static int sq_exec(gca__conn *c, const char *sql, gca_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return 0;
    rc = gca_fail(err, map_rc(rc), c->path, 0, 0, "%s",
                  msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

static int sq_begin(gca__conn *c, gca_err *err)
{
    return sq_exec(c, "BEGIN IMMEDIATE", err);
}

static int sq_commit(gca__conn *c, gca_err *err)
{
    return sq_exec(c, "COMMIT", err);
}

static void sq_rollback(gca__conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_in_tx(gca__conn *c)
{
    return !sqlite3_get_autocommit(c->db);
}

/* ====== Statements ====== */

static int sq_prepare(gca__conn *c, const char *sql, gca__stmt **out,
                      gca_err *err)
{
    for (int i = 0; i < c->ncache; i++) {
        gca__stmt *s = c->cache[i];
        if (!s->in_use && !strcmp(s->sql, sql)) {
            sqlite3_clear_bindings(s->st);
            s->bind_rc = SQLITE_OK;
            s->in_use = 1;
            *out = s;
            return 0;
        }
    }
    gca__stmt *s = gca_calloc(1, sizeof *s);
    if (!s)
        return gca_fail(err, GCA_ENOMEM, c->path, 0, 0, "out of memory");
    int rc = sqlite3_prepare_v3(c->db, sql, -1,
                                c->ncache < STMT_CACHE
                                    ? SQLITE_PREPARE_PERSISTENT
                                    : 0,
                                &s->st, NULL);
    if (rc != SQLITE_OK) {
        rc = fail_db(err, c->db, rc, c->path, "cannot prepare a statement");
        gca_free(s);
        return rc;
    }
    s->c = c;
    if (c->ncache < STMT_CACHE && (s->sql = gca_strdup(sql)) != NULL) {
        s->in_use = 1;
        c->cache[c->ncache++] = s;
    }
    *out = s;
    return 0;
}

static void keep_bind_rc(gca__stmt *s, int rc)
{
    if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
        s->bind_rc = rc;
}

static void sq_bind_text(gca__stmt *s, int i, const char *v)
{
    keep_bind_rc(s, v ? sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT)
                      : sqlite3_bind_null(s->st, i));
}

static void sq_bind_int(gca__stmt *s, int i, long long v)
{
    keep_bind_rc(s, sqlite3_bind_int64(s->st, i, v));
}

static void sq_bind_double(gca__stmt *s, int i, double v)
{
    keep_bind_rc(s, v == v ? sqlite3_bind_double(s->st, i, v)
                           : sqlite3_bind_null(s->st, i));
}

static int sq_step(gca__stmt *s, gca_err *err)
{
    if (s->bind_rc != SQLITE_OK)
        return gca_fail(err, map_rc(s->bind_rc), s->c->path, 0, 0,
                        "cannot bind a value: %s", sqlite3_errstr(s->bind_rc));
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    /* The handle's message is the detailed one ("FOREIGN KEY constraint
     * failed"); reset returns the same code. */
    rc = gca_fail(err, map_rc(rc), s->c->path, 0, 0, "%s",
                  sqlite3_errmsg(s->c->db));
    sqlite3_reset(s->st);
    return rc;
}

static void sq_reset(gca__stmt *s)
{
    sqlite3_reset(s->st);
}

static const char *sq_col_text(gca__stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s->st, i);
}

static long long sq_col_int(gca__stmt *s, int i)
{
    return sqlite3_column_int64(s->st, i);
}

static double sq_col_double(gca__stmt *s, int i)
{
    if (sqlite3_column_type(s->st, i) == SQLITE_NULL)
        return NAN;
    return sqlite3_column_double(s->st, i);
}

static void sq_finalize(gca__stmt *s)
{
    if (!s)
        return;
    if (s->sql) {
        /* Back to the cache: reset, so that it holds no read lock. */
        sqlite3_reset(s->st);
        s->in_use = 0;
        return;
    }
    sqlite3_finalize(s->st);
    gca_free(s);
}

/* ====== Schema and status ====== */

static int sq_table_exists(gca__conn *c, const char *name, int *yes,
                           gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = sq_prepare(c, "SELECT 1 FROM sqlite_schema "
                           "WHERE type = 'table' AND name = ?1",
                        &s, err);
    if (rc < 0)
        return rc;
    sq_bind_text(s, 1, name);
    rc = sq_step(s, err);
    sq_finalize(s);
    if (rc < 0)
        return rc;
    *yes = rc;
    return 0;
}

static int sq_info(gca__conn *c, struct gca_store_status *out, gca_err *err)
{
    gca__stmt *s = NULL;
    snprintf(out->backend, sizeof out->backend, "sqlite");
    snprintf(out->engine_version, sizeof out->engine_version, "%s",
             sqlite3_libversion());
    int rc = sq_prepare(c, "PRAGMA journal_mode", &s, err);
    if (rc < 0)
        return rc;
    rc = sq_step(s, err);
    if (rc > 0) {
        const char *mode = sq_col_text(s, 0);
        snprintf(out->journal_mode, sizeof out->journal_mode, "%s",
                 mode ? mode : "");
    }
    sq_finalize(s);
    return rc < 0 ? rc : 0;
}

/* ====== Backup ====== */

static void remove_temp(const char *tmp)
{
    char side[4096 + 16];
    unlink(tmp);
    snprintf(side, sizeof side, "%s-journal", tmp);
    unlink(side);
}

static int sq_backup(gca__conn *c, const char *dest, gca_err *err)
{
    char tmp[4096];
    struct stat a, b;
    sqlite3 *dst = NULL;

    /* Renaming over the live file would pull it from under every open
     * connection. */
    if (stat(dest, &a) == 0 && stat(c->path, &b) == 0 &&
        a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return gca_fail(err, GCA_EINVAL, dest, 0, 0,
                        "cannot back up a database onto itself");
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", dest);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return gca_fail(err, GCA_EINVAL, dest, 0, 0, "path too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, dest, 0, 0, "cannot create backup: %s",
                        strerror(errno));
    fchmod(fd, 0644);
    close(fd);

    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        rc = fail_db(err, dst, rc, dest, "cannot create backup");
        goto fail;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", c->db, "main");
    if (!bk) {
        rc = fail_db(err, dst, sqlite3_errcode(dst), dest,
                     "cannot start backup");
        goto fail;
    }
    /* -1 copies every page under one read lock: a consistent snapshot
     * even while other connections write (WAL readers do not block). */
    int step = sqlite3_backup_step(bk, -1);
    rc = sqlite3_backup_finish(bk);
    if (step != SQLITE_DONE || rc != SQLITE_OK) {
        rc = fail_db(err, dst, step != SQLITE_DONE ? step : rc, dest,
                     "backup failed");
        goto fail;
    }
    rc = sqlite3_close(dst);
    dst = NULL;
    if (rc != SQLITE_OK) {
        rc = fail_db(err, NULL, rc, dest, "backup failed");
        goto fail;
    }
    if (rename(tmp, dest) < 0) {
        rc = gca_fail(err, GCA_EIO, dest, 0, 0, "cannot write backup: %s",
                      strerror(errno));
        goto fail;
    }
    return 0;
fail:
    sqlite3_close(dst);
    remove_temp(tmp);
    return rc;
}

/* ====== Checks ====== */

static int add_problem(gca_errlist *problems, const char *path,
                       const char *msg)
{
    gca_err e = {0};
    gca_fail(&e, GCA_EDATA, path, 0, 0, "%s", msg);
    return gca_errlist_add(problems, &e) < 0 ? GCA_ENOMEM : 0;
}

/* One problem per line of an integrity_check row (the engine may put
 * several in one), without its "*** in database main ***" heading. */
static int integrity_problems(gca__conn *c, const char *text,
                              gca_errlist *problems, gca_err *err)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        if (n && strncmp(text, "*** ", 4) != 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "integrity check: %.*s",
                     (int)(n < 480 ? n : 480), text);
            if (add_problem(problems, c->path, msg) < 0)
                return gca_fail(err, GCA_ENOMEM, c->path, 0, 0,
                                "out of memory");
        }
        text += n;
        if (*text)
            text++;
    }
    return 0;
}

/* Engine errors while checking mean damage too: report them as
 * problems, except running out of memory. */
static int step_problem(gca__stmt *s, gca_errlist *problems, gca_err *err)
{
    gca_err e = {0};
    int rc = sq_step(s, &e);
    if (rc >= 0)
        return rc;
    if (rc == GCA_ENOMEM) {
        *err = e;
        return rc;
    }
    if (gca_errlist_add(problems, &e) < 0)
        return gca_fail(err, GCA_ENOMEM, s->c->path, 0, 0, "out of memory");
    return 0;
}

static int sq_check(gca__conn *c, gca_errlist *problems, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = sq_prepare(c, "PRAGMA integrity_check", &s, err);
    if (rc < 0)
        return rc;
    while ((rc = step_problem(s, problems, err)) > 0) {
        const char *t = sq_col_text(s, 0);
        if (t && !strcmp(t, "ok"))
            continue;
        rc = integrity_problems(c, t ? t : "(null)", problems, err);
        if (rc < 0)
            break;
    }
    sq_finalize(s);
    s = NULL;
    if (rc < 0)
        return rc;

    rc = sq_prepare(c, "PRAGMA foreign_key_check", &s, err);
    if (rc < 0)
        return rc;
    while ((rc = step_problem(s, problems, err)) > 0) {
        char msg[512], table[128];
        snprintf(table, sizeof table, "%s",
                 sq_col_text(s, 0) ? sq_col_text(s, 0) : "");
        snprintf(msg, sizeof msg,
                 "table '%s' row %lld: foreign key to '%s' has no matching "
                 "row",
                 table, sq_col_int(s, 1),
                 sq_col_text(s, 2) ? sq_col_text(s, 2) : "");
        if (add_problem(problems, c->path, msg) < 0) {
            rc = gca_fail(err, GCA_ENOMEM, c->path, 0, 0, "out of memory");
            break;
        }
    }
    sq_finalize(s);
    return rc < 0 ? rc : 0;
}

const gca__backend gca__sqlite_backend = {
    .name = "sqlite",
    .schema_dir = "src/store/schema/",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_tx = sq_in_tx,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .step = sq_step,
    .reset = sq_reset,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .finalize = sq_finalize,
    .table_exists = sq_table_exists,
    .info = sq_info,
    .backup = sq_backup,
    .check = sq_check,
};
