/* gca/store.h - the database behind editions, answers and published
 * results: open, numbered schema migrations, the shipped data, online
 * backup and integrity checks. SQLite is the embedded default (WAL,
 * foreign keys on, synchronous=FULL, busy timeout); the schema is in
 * src/store/schema/ and DESIGN.md ("Store") gives the decisions. */
#ifndef GCA_STORE_H
#define GCA_STORE_H

#include "gca/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An open database connection. Not shareable between threads: open one
 * per thread (the database itself handles concurrent connections). */
typedef struct gca_store gca_store;

enum gca_store_flags {
    GCA_STORE_CREATE = 1 << 0,  /* create the file if it does not exist */
    /* Read only (a web server's workers): every write fails; the file
     * must exist and already be in WAL mode (every gca store is). */
    GCA_STORE_READONLY = 1 << 1
};

/* Open the database at `path` (a file name; choosing a default is the
 * caller's job). Without GCA_STORE_CREATE a missing file is an error.
 * Sets the pragmas above; the schema is not touched (see
 * gca_store_migrate). Returns 0 and sets *out to a new store (close with
 * gca_store_close), or a negative GCA_E* with *err naming `path` and
 * *out untouched. */
GCA_API int gca_store_open(const char *path, unsigned flags,
                           gca_store **out, gca_err *err);
/* Close `st` and free it. NULL is a no-op. */
GCA_API void gca_store_close(gca_store *st);
/* The path `st` was opened with; borrowed until it is closed. */
GCA_API const char *gca_store_path(const gca_store *st);

/* Apply the pending migrations in order, each in its own transaction
 * together with its row in schema_migrations. Sets *applied (may be NULL)
 * to how many ran. Refuses (GCA_ENOTSUP) a database whose schema is newer
 * than this library knows, and (GCA_EDATA) one whose applied migrations
 * carry other names than this library's: nothing is changed then. */
GCA_API int gca_store_migrate(gca_store *st, int *applied, gca_err *err);

/* What gca_store_status reports. Counts are -1 while the schema is not
 * there yet. */
struct gca_store_status {
    int version;          /* newest applied migration, 0 = none */
    int latest;           /* newest migration this library knows */
    int pending;          /* migrations still to apply (0 if newer) */
    char backend[16];     /* "sqlite" */
    char engine_version[32];  /* "3.40.1" */
    char journal_mode[16];    /* "wal" */
    long long frameworks;     /* rows in frameworks */
    long long countries;      /* rows in countries */
    long long published_results; /* rows in published_results */
};

/* Fill *out. Works on a database of any version, also a newer one. */
GCA_API int gca_store_status(gca_store *st, struct gca_store_status *out,
                             gca_err *err);

/* Copy the whole database into `dest_path` with the engine's online
 * backup (other connections may go on writing), through a temporary
 * file in the same directory renamed at the end: `dest_path` holds the
 * old file or a complete copy, never half of one. */
GCA_API int gca_store_backup(gca_store *st, const char *dest_path,
                             gca_err *err);

/* Check the database: page integrity, foreign keys, the schema version
 * (newer or pending migrations). Every problem found is appended to
 * `problems` (source = the database path); returns 0 when the checks
 * could run, whether or not they found problems, or a negative GCA_E*
 * when they could not. */
GCA_API int gca_store_check(gca_store *st, gca_errlist *problems,
                            gca_err *err);

/* Load the data shipped with gca into a migrated database, in one
 * transaction: the embedded frameworks (code, name, JSON text), the
 * country list (gca_countries_default) and the published results
 * (data/published/gci2020.csv as edition "GCI 2020" of framework "GCI").
 * Rows already there are updated where they differ, so a second run
 * changes nothing. Fails (GCA_ENOTSUP) unless the schema is the latest. */
GCA_API int gca_store_load_shipped(gca_store *st, gca_err *err);

#ifdef __cplusplus
}
#endif
#endif
