/* test_store.c - the store (src/store/): open and create, the pragmas
 * actually in force, migrations (twice = no-op, newer or renamed ones
 * refused), the shipped data (loaded twice = no change, equal to the
 * shipped CSV), online backup, the checks on a good, a corrupted and an
 * inconsistent database, and every allocation failing in turn. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gca.h"
#include "store/sqlite.h"
#include "testutil.h"

/* ====== Helpers ====== */

typedef struct fixture {
    char dir[64];
    char db[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-store-XXXXXX", 27);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/gca.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    int rc = tu_rmtree(f->dir);
    free(f);
    return rc;
}

static sqlite3 *handle(gca_store *st)
{
    return gca__sqlite_handle(st->conn);
}

static long long query_int(gca_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(handle(st), sql, -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char *query_text(gca_store *st, const char *sql, char *buf,
                              size_t size)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(handle(st), sql, -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

/* Open (creating), migrate and load: the state most tests start from. */
static gca_store *ready_store(const char *path)
{
    gca_store *st = NULL;
    gca_err err = {0};
    int applied = -1;
    assert_int_equal(gca_store_open(path, GCA_STORE_CREATE, &st, &err), 0);
    assert_int_equal(gca_store_migrate(st, &applied, &err), 0);
    assert_int_equal(gca_store_load_shipped(st, &err), 0);
    return st;
}

static void status_of(gca_store *st, struct gca_store_status *s)
{
    gca_err err = {0};
    assert_int_equal(gca_store_status(st, s, &err), 0);
}

/* Published score cells of the shipped CSV (what load_shipped stores):
 * every non-NA cell outside uCode, uName, Rank_published and source. */
static long long shipped_score_cells(void)
{
    tu_table t;
    long long n = 0;
    tu_table_load(&t, "data/published/gci2020.csv");
    for (size_t r = 1; r <= t.csv.nrow; r++)
        for (size_t j = 0; j < t.csv.ncol; j++) {
            const char *h = tu_cell(&t, 0, j);
            if (!strcmp(h, "uCode") || !strcmp(h, "uName") ||
                !strcmp(h, "Rank_published") || !strcmp(h, "source"))
                continue;
            if (strcmp(tu_cell(&t, r, j), "NA") != 0)
                n++;
        }
    tu_table_release(&t);
    return n;
}

static size_t shipped_countries(void)
{
    gca_countries *cs = NULL;
    gca_err err = {0};
    assert_int_equal(gca_countries_default(&cs, &err), 0);
    size_t n = gca_countries_count(cs);
    gca_countries_free(cs);
    return n;
}

/* ====== Open, pragmas, migrations ====== */

static void test_open_missing_without_create(void **state)
{
    fixture *f = *state;
    gca_store *st = NULL;
    gca_err err = {0};
    assert_int_equal(gca_store_open(f->db, 0, &st, &err), GCA_EIO);
    assert_null(st);
    assert_string_equal(err.source, f->db);
    assert_non_null(strstr(err.msg, "No such file"));
    assert_int_equal(access(f->db, F_OK), -1);

    gca_err_clear(&err);
    assert_int_equal(gca_store_open(f->dir, GCA_STORE_CREATE, &st, &err),
                     GCA_EIO);
    assert_string_equal(err.source, f->dir);
    assert_non_null(strstr(err.msg, "is a directory"));
}

static void test_pragmas(void **state)
{
    fixture *f = *state;
    gca_store *st = NULL;
    gca_err err = {0};
    char buf[32];
    assert_int_equal(gca_store_open(f->db, GCA_STORE_CREATE, &st, &err), 0);
    assert_string_equal(query_text(st, "PRAGMA journal_mode", buf,
                                   sizeof buf),
                        "wal");
    assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(st, "PRAGMA synchronous"), 2);
    assert_int_equal(query_int(st, "PRAGMA busy_timeout"), 5000);
    assert_string_equal(gca_store_path(st), f->db);
    gca_store_close(st);
}

static void test_migrate_twice(void **state)
{
    fixture *f = *state;
    gca_store *st = NULL;
    gca_err err = {0};
    struct gca_store_status s;
    int applied = -1;

    assert_int_equal(gca_store_open(f->db, GCA_STORE_CREATE, &st, &err), 0);
    status_of(st, &s);
    assert_int_equal(s.version, 0);
    assert_true(s.latest >= 1);
    assert_int_equal(s.pending, s.latest);
    assert_int_equal(s.countries, -1);
    assert_string_equal(s.backend, "sqlite");
    assert_string_equal(s.engine_version, sqlite3_libversion());
    assert_string_equal(s.journal_mode, "wal");

    assert_int_equal(gca_store_migrate(st, &applied, &err), 0);
    assert_int_equal(applied, s.latest);
    int latest = s.latest;
    status_of(st, &s);
    assert_int_equal(s.version, latest);
    assert_int_equal(s.pending, 0);
    assert_int_equal(s.frameworks, 0);
    assert_int_equal(s.countries, 0);
    assert_int_equal(s.published_results, 0);
    assert_int_equal(query_int(st, "SELECT count(*) FROM schema_migrations "
                                   "WHERE name = 'init' AND version = 1 "
                                   "AND applied_at LIKE '20%Z'"),
                     1);

    /* Again, and again from a second connection: nothing to do. */
    assert_int_equal(gca_store_migrate(st, &applied, &err), 0);
    assert_int_equal(applied, 0);
    gca_store *st2 = NULL;
    assert_int_equal(gca_store_open(f->db, 0, &st2, &err), 0);
    assert_int_equal(gca_store_migrate(st2, &applied, &err), 0);
    assert_int_equal(applied, 0);
    assert_int_equal(query_int(st2, "SELECT count(*) FROM schema_migrations"),
                     latest);
    gca_store_close(st2);
    gca_store_close(st);
}

static void test_newer_version_refused(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    gca_err err = {0};
    struct gca_store_status s;
    gca_errlist problems = GCA_ERRLIST_INIT;
    int applied = -1;

    status_of(st, &s);
    int future = s.latest + 1;
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations VALUES (%d, 'future', "
             "'2030-01-01T00:00:00Z', NULL)",
             future);
    assert_int_equal(sqlite3_exec(handle(st), sql, NULL, NULL, NULL),
                     SQLITE_OK);

    assert_int_equal(gca_store_migrate(st, &applied, &err), GCA_ENOTSUP);
    assert_int_equal(applied, 0);
    assert_string_equal(err.source, f->db);
    assert_non_null(strstr(err.msg, "newer than this gca knows"));
    gca_err_clear(&err);
    assert_int_equal(gca_store_load_shipped(st, &err), GCA_ENOTSUP);

    /* status still reports it, check lists it. */
    status_of(st, &s);
    assert_int_equal(s.version, future);
    assert_int_equal(s.pending, 0);
    assert_int_equal(gca_store_check(st, &problems, &err), 0);
    assert_int_equal(problems.n, 1);
    assert_non_null(strstr(problems.v[0].msg, "newer"));
    gca_errlist_release(&problems);
    gca_store_close(st);
}

static void test_renamed_migration_refused(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    gca_err err = {0};
    int applied = -1;
    assert_int_equal(sqlite3_exec(handle(st),
                                  "UPDATE schema_migrations SET name = "
                                  "'other' WHERE version = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(gca_store_migrate(st, &applied, &err), GCA_EDATA);
    assert_non_null(strstr(err.msg, "migration 1 is 'other' in the "
                                    "database but 'init' in this gca"));
    gca_store_close(st);
}

/* ====== Shipped data ====== */

static void test_load_requires_migration(void **state)
{
    fixture *f = *state;
    gca_store *st = NULL;
    gca_err err = {0};
    assert_int_equal(gca_store_open(f->db, GCA_STORE_CREATE, &st, &err), 0);
    assert_int_equal(gca_store_load_shipped(st, &err), GCA_ENOTSUP);
    assert_non_null(strstr(err.msg, "gca db migrate"));
    gca_store_close(st);
}

static void test_load_shipped_twice(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    gca_err err = {0};
    struct gca_store_status a, b;

    status_of(st, &a);
    assert_int_equal(a.frameworks, 2); /* asem.json, gci.json */
    assert_int_equal(a.countries, (long long)shipped_countries());
    assert_int_equal(a.published_results, shipped_score_cells());

    int changes = sqlite3_total_changes(handle(st));
    assert_int_equal(gca_store_load_shipped(st, &err), 0);
    assert_int_equal(sqlite3_total_changes(handle(st)), changes);
    status_of(st, &b);
    assert_int_equal(b.frameworks, a.frameworks);
    assert_int_equal(b.countries, a.countries);
    assert_int_equal(b.published_results, a.published_results);
    gca_store_close(st);
}

/* Every score and rank of the shipped CSV is in the table as written. */
static void test_published_match_csv(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    tu_table t;
    sqlite3_stmt *s = NULL;
    tu_table_load(&t, "data/published/gci2020.csv");
    int cu = tu_col(&t, "uCode"), crank = tu_col(&t, "Rank_published");
    int csrc = tu_col(&t, "source");
    assert_int_equal(
        sqlite3_prepare_v2(handle(st),
                           "SELECT score, rank, source FROM "
                           "published_results WHERE edition = 'GCI 2020' "
                           "AND framework = 'GCI' AND iso3 = ?1 AND "
                           "node = ?2",
                           -1, &s, NULL),
        SQLITE_OK);
    const char *nodes[] = {"LEG", "TEC", "ORG", "CAP", "COO", "GCI"};
    const char *cols[] = {"LEG", "TEC", "ORG", "CAP", "COO", "GCI_published"};
    for (size_t r = 1; r <= t.csv.nrow; r++)
        for (size_t k = 0; k < GCA_COUNT(nodes); k++) {
            double want = tu_num(&t, r, (size_t)tu_col(&t, cols[k]));
            sqlite3_reset(s);
            sqlite3_bind_text(s, 1, tu_cell(&t, r, (size_t)cu), -1,
                              SQLITE_TRANSIENT);
            sqlite3_bind_text(s, 2, nodes[k], -1, SQLITE_STATIC);
            int rc = sqlite3_step(s);
            if (isnan(want)) {
                assert_int_equal(rc, SQLITE_DONE);
                continue;
            }
            assert_int_equal(rc, SQLITE_ROW);
            assert_true(sqlite3_column_double(s, 0) == want);
            assert_string_equal((const char *)sqlite3_column_text(s, 2),
                                tu_cell(&t, r, (size_t)csrc));
            if (k == 5)
                assert_int_equal(sqlite3_column_int(s, 1),
                                 (int)tu_num(&t, r, (size_t)crank));
            else
                assert_int_equal(sqlite3_column_type(s, 1), SQLITE_NULL);
        }
    sqlite3_finalize(s);
    tu_table_release(&t);
    gca_store_close(st);
}

static void test_foreign_key_refused(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    int rc = sqlite3_exec(handle(st),
                          "INSERT INTO published_results VALUES ('GCI 2020', "
                          "'GCI', 'ZZZ', 'GCI', 1, NULL, 'test')",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(handle(st)), "FOREIGN KEY"));
    /* CHECKs and STRICT types hold too. */
    rc = sqlite3_exec(handle(st),
                      "INSERT INTO countries (iso3, iso2, iso_numeric, name) "
                      "VALUES ('zzz', 'ZZ', '999', 'Nowhere')",
                      NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    rc = sqlite3_exec(handle(st),
                      "INSERT INTO published_results VALUES ('GCI 2020', "
                      "'GCI', 'USA', 'X', 'high', NULL, 'test')",
                      NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    gca_store_close(st);
}

/* ====== Backup ====== */

static void test_backup(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    gca_store *copy = NULL;
    gca_err err = {0};
    gca_errlist problems = GCA_ERRLIST_INIT;
    struct gca_store_status a, b;
    char dest[160];

    snprintf(dest, sizeof dest, "%s/copy.db", f->dir);
    assert_int_equal(gca_store_backup(st, dest, &err), 0);
    /* A second backup replaces the first. */
    assert_int_equal(gca_store_backup(st, dest, &err), 0);
    status_of(st, &a);
    assert_int_equal(gca_store_open(dest, 0, &copy, &err), 0);
    status_of(copy, &b);
    assert_int_equal(b.version, a.version);
    assert_int_equal(b.frameworks, a.frameworks);
    assert_int_equal(b.countries, a.countries);
    assert_int_equal(b.published_results, a.published_results);
    assert_int_equal(gca_store_check(copy, &problems, &err), 0);
    assert_int_equal(problems.n, 0);
    gca_store_close(copy);

    /* Onto itself, or into a missing directory: refused, nothing left. */
    assert_int_equal(gca_store_backup(st, f->db, &err), GCA_EINVAL);
    gca_err_clear(&err);
    snprintf(dest, sizeof dest, "%s/no/such/dir.db", f->dir);
    assert_int_equal(gca_store_backup(st, dest, &err), GCA_EIO);
    assert_string_equal(err.source, dest);
    gca_store_close(st);
}

/* ====== Checks ====== */

static void test_check_good(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    gca_err err = {0};
    gca_errlist problems = GCA_ERRLIST_INIT;
    assert_int_equal(gca_store_check(st, &problems, &err), 0);
    assert_int_equal(problems.n, 0);
    gca_store_close(st);
}

static void test_check_unmigrated(void **state)
{
    fixture *f = *state;
    gca_store *st = NULL;
    gca_err err = {0};
    gca_errlist problems = GCA_ERRLIST_INIT;
    assert_int_equal(gca_store_open(f->db, GCA_STORE_CREATE, &st, &err), 0);
    assert_int_equal(gca_store_check(st, &problems, &err), 0);
    assert_int_equal(problems.n, 1);
    assert_non_null(strstr(problems.v[0].msg, "pending"));
    gca_errlist_release(&problems);
    gca_store_close(st);
}

static void test_check_foreign_key_violation(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    gca_err err = {0};
    gca_errlist problems = GCA_ERRLIST_INIT;
    assert_int_equal(sqlite3_exec(handle(st),
                                  "PRAGMA foreign_keys = OFF;"
                                  "DELETE FROM countries WHERE iso3 = 'ALB';"
                                  "PRAGMA foreign_keys = ON;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(gca_store_check(st, &problems, &err), 0);
    assert_true(problems.n >= 1);
    for (size_t i = 0; i < problems.n; i++) {
        assert_string_equal(problems.v[i].source, f->db);
        assert_non_null(strstr(problems.v[i].msg,
                               "table 'published_results' row"));
        assert_non_null(strstr(problems.v[i].msg, "'countries'"));
    }
    gca_errlist_release(&problems);
    gca_store_close(st);
}

/* Overwrite `len` bytes at `off` of `path` with a pattern. */
static void scribble(const char *path, long off, size_t len)
{
    unsigned char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 37 + 11);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_true(len <= sizeof junk);
    assert_int_equal(pwrite(fd, junk, len, off), (ssize_t)len);
    close(fd);
}

static void test_check_corrupted(void **state)
{
    fixture *f = *state;
    gca_store *st = ready_store(f->db);
    gca_err err = {0};
    gca_errlist problems = GCA_ERRLIST_INIT;
    long page = (long)query_int(st, "PRAGMA page_size");
    long pages = (long)query_int(st, "PRAGMA page_count");
    gca_store_close(st); /* the last close folds the WAL into the file */
    assert_true(pages > 8);

    /* Garbage over pages in the second half of the file, past the
     * schema's pages: the file opens, the checks list the damage. */
    for (long p = pages / 2; p < pages; p += 3)
        scribble(f->db, p * page + 100, 200);
    assert_int_equal(gca_store_open(f->db, 0, &st, &err), 0);
    assert_int_equal(gca_store_check(st, &problems, &err), 0);
    assert_true(problems.n >= 1);
    assert_string_equal(problems.v[0].source, f->db);
    gca_errlist_release(&problems);
    gca_store_close(st);

    /* Garbage over the header: not a database at all. */
    scribble(f->db, 0, 100);
    gca_err_clear(&err);
    assert_int_equal(gca_store_open(f->db, 0, &st, &err), GCA_EDATA);
    assert_string_equal(err.source, f->db);
    assert_non_null(strstr(err.msg, "not a database"));
}

/* ====== Out of memory ====== */

/* Open, migrate, load and check with allocation n failing, for every n
 * until the whole sequence succeeds: each failure is GCA_ENOMEM and
 * leaves a database that passes the checks. */
static void test_enomem(void **state)
{
    fixture *f = *state;
    int done = 0;
    long n = 1;
    for (; !done && n < 100000; n++) {
        gca_store *st = NULL;
        gca_err err = {0};
        gca_errlist problems = GCA_ERRLIST_INIT;
        gca_alloc_fail_after(n);
        int rc = gca_store_open(f->db, GCA_STORE_CREATE, &st, &err);
        if (rc == 0)
            rc = gca_store_migrate(st, NULL, &err);
        if (rc == 0)
            rc = gca_store_load_shipped(st, &err);
        if (rc == 0)
            rc = gca_store_check(st, &problems, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            assert_int_equal(problems.n, 0);
            done = 1;
        } else {
            assert_int_equal(rc, GCA_ENOMEM);
            assert_true(err.msg[0] != '\0');
        }
        gca_errlist_release(&problems);
        gca_store_close(st);
        st = NULL;
        if (!done && gca_store_open(f->db, 0, &st, &err) == 0) {
            gca_errlist p2 = GCA_ERRLIST_INIT;
            struct gca_store_status s;
            status_of(st, &s);
            if (s.version == s.latest) {
                assert_int_equal(gca_store_check(st, &p2, &err), 0);
                assert_int_equal(p2.n, 0);
                /* All of the shipped data or none of it. */
                assert_true(s.countries == 0 ||
                            s.countries == (long long)shipped_countries());
                assert_true(s.published_results == 0 ||
                            s.published_results == shipped_score_cells());
            }
            gca_errlist_release(&p2);
            gca_store_close(st);
        }
    }
    assert_true(done);
    assert_true(n > 10); /* failures were injected on the way */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_missing_without_create,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pragmas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_version_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_renamed_migration_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_requires_migration, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_shipped_twice, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_published_match_csv, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_foreign_key_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_unmigrated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_check_foreign_key_violation,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_corrupted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_enomem, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
