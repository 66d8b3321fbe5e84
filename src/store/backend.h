/* backend.h - the one door between the store and a database engine. The
 * store's modules (store.c, migrate.c, shipped.c) talk to a connection
 * only through these function pointers, so that a PostgreSQL backend can
 * be added next to sqlite.c without touching them. SQL in the modules
 * uses only what both engines accept: `?` parameters numbered from 1
 * (the PostgreSQL backend rewrites them to $n), INSERT ... ON CONFLICT. */
#ifndef GCA_STORE_BACKEND_H
#define GCA_STORE_BACKEND_H

#include "gca/core.h"
#include "gca/store.h"

typedef struct gca__conn gca__conn; /* defined by each backend */
typedef struct gca__stmt gca__stmt; /* a prepared statement */

typedef struct gca__backend {
    const char *name;         /* "sqlite" */
    const char *schema_dir;   /* its migrations: "src/store/schema/" */

    /* Open `path` (GCA_STORE_CREATE: create it) and set the connection
     * up (durability, foreign keys, busy timeout). Errors name `path`. */
    int (*open)(const char *path, unsigned flags, gca__conn **out,
                gca_err *err);
    void (*close)(gca__conn *c);

    /* Run a script of statements that return no rows. */
    int (*exec)(gca__conn *c, const char *sql, gca_err *err);
    /* A write transaction: taken at once, so that it never fails halfway
     * on a lock. rollback is safe when none is open. */
    int (*begin)(gca__conn *c, gca_err *err);
    int (*commit)(gca__conn *c, gca_err *err);
    void (*rollback)(gca__conn *c);
    /* 1 while a transaction is open (writers that must run inside their
     * caller's transaction check it). */
    int (*in_tx)(gca__conn *c);

    /* Statements. Bind errors are kept in the statement and returned by
     * the next step. Parameters count from 1, columns from 0. */
    int (*prepare)(gca__conn *c, const char *sql, gca__stmt **out,
                   gca_err *err);
    void (*bind_text)(gca__stmt *s, int i, const char *v); /* NULL = NULL */
    void (*bind_int)(gca__stmt *s, int i, long long v);
    void (*bind_double)(gca__stmt *s, int i, double v); /* NaN = NULL */
    /* 1 = a row is ready, 0 = done, negative GCA_E* on error. */
    int (*step)(gca__stmt *s, gca_err *err);
    /* Make the statement ready to run again; bindings are kept. */
    void (*reset)(gca__stmt *s);
    /* Column values of the current row; text is borrowed until the next
     * step, NULL for SQL NULL. */
    const char *(*col_text)(gca__stmt *s, int i);
    long long (*col_int)(gca__stmt *s, int i);
    double (*col_double)(gca__stmt *s, int i); /* NULL = NaN */
    void (*finalize)(gca__stmt *s); /* NULL is a no-op */

    /* *yes = 1 if table `name` exists. */
    int (*table_exists)(gca__conn *c, const char *name, int *yes,
                        gca_err *err);
    /* Fill backend, engine_version and journal_mode of *out. */
    int (*info)(gca__conn *c, struct gca_store_status *out, gca_err *err);
    /* Online copy of the whole database into `dest` (atomically). */
    int (*backup)(gca__conn *c, const char *dest, gca_err *err);
    /* The engine's own checks (pages, indexes, foreign keys); each
     * problem is appended to `problems`. */
    int (*check)(gca__conn *c, gca_errlist *problems, gca_err *err);
} gca__backend;

extern const gca__backend gca__sqlite_backend;

/* The store handle (store.c); the modules share it. */
struct gca_store {
    const gca__backend *be;
    gca__conn *conn;
    char *path;
    int pwhash_min; /* gca_store_set_pwhash_cost (users.c) */
    /* The framework of the edition last used (editions.c), so that a
     * stream of answers parses it once. */
    struct gca_framework *fw_cache;
    long long fw_cache_edition;
    char fw_cache_sha[65];
    char *blob_dir;         /* gca_store_set_blob_dir; NULL = default */
    long long evidence_max; /* gca_store_set_evidence_max; 0 = default */
    /* gca_kb_keep_index: the knowledge base's in-memory ranking index
     * (kbindex.c), rebuilt when kb_generation moves. */
    int kb_keep;
    int kb_snip; /* temp.kb_snip exists (kb.c, page_rows) */
    struct gca__kb_index *kb_index;
};

/* ====== migrate.c ====== */

/* Number of the newest migration of `be` (0 if it has none). */
int gca__store_latest(const gca__backend *be);
/* The applied version of `st` into *version (0 = empty database); checks
 * that the applied migrations are the ones this library knows. */
int gca__store_version(gca_store *st, int *version, gca_err *err);
int gca__store_migrate(gca_store *st, int *applied, gca_err *err);
/* Fails unless the schema is exactly the latest (for writers). */
int gca__store_require_latest(gca_store *st, gca_err *err);

/* ====== shipped.c ====== */

int gca__store_load_shipped(gca_store *st, gca_err *err);

/* ====== kb.c ====== */

/* Load every embedded data/kb/NAME.csv (origin "shipped") inside the
 * caller's transaction; entries already the same are left alone. */
int gca__kb_load_shipped(gca_store *st, gca_err *err);

#endif
