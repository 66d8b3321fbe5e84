/* test_audit.c - the audit log's hash chain (src/store/audit.c): events
 * appended only inside a transaction, hashes equal to SHA-256 over
 * jansson's own serialisation (docs/audit.md), and every kind of
 * tampering (each column of a row, a deleted row, swapped payloads,
 * swapped rows, renumbered rows) found by gca_audit_verify and by
 * gca_store_check, naming the first bad row. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sodium.h>

#include "gca.h"
#include "core/buf.h"
#include "store/audit.h"
#include "store/sqlite.h"
#include "testutil.h"

#define NEVENTS 8

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
    memcpy(f->dir, "/tmp/gca-test-audit-XXXXXX", 27);
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

static void exec_ok(gca_store *st, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(handle(st), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
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

/* Append one event in its own transaction. */
static int append(gca_store *st, const char *actor, const char *action,
                  const char *object, json_t *data, gca_err *err)
{
    int rc = st->be->begin(st->conn, err);
    if (rc == 0)
        rc = gca__audit_append(st, actor, action, object, data, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    return rc;
}

/* A migrated store with NEVENTS events: varied actors, objects and data
 * (a country on the even ones, non-ASCII text, quotes, numbers). */
static gca_store *store_with_events(const char *path)
{
    gca_store *st = NULL;
    gca_err err = {0};
    assert_int_equal(gca_store_open(path, GCA_STORE_CREATE, &st, &err), 0);
    assert_int_equal(gca_store_migrate(st, NULL, &err), 0);
    assert_int_equal(gca_store_load_shipped(st, &err), 0);
    for (int i = 1; i <= NEVENTS; i++) {
        char object[32];
        snprintf(object, sizeof object, "answer/gci-2026/Q%d", i);
        json_t *data = json_pack("{s:i, s:s, s:f, s:b}", "n", i, "why",
                                 "Côte d'Ivoire said \"yes\" \\ ok",
                                 "score", i / 3.0, "flag", i % 2);
        assert_non_null(data);
        if (i % 2 == 0)
            json_object_set_new(data, "country", json_string("FRA"));
        assert_int_equal(append(st, i % 3 ? "alice" : "José", "answer.set",
                                object, data, &err),
                         0);
        json_decref(data);
    }
    return st;
}

static void verify_ok(gca_store *st, long long events)
{
    gca_audit_result res;
    gca_err err = {0};
    assert_int_equal(gca_audit_verify(st, &res, &err), 0);
    assert_int_equal(res.events, events);
    assert_int_equal(res.head_seq, events);
    assert_int_equal(res.first_bad_seq, 0);
}

/* verify fails naming `seq` with `rule` in the message, and the store
 * check reports the same one problem. */
static void verify_bad(gca_store *st, long long seq, const char *rule)
{
    gca_audit_result res;
    gca_err err = {0};
    gca_errlist problems = GCA_ERRLIST_INIT;
    char name[64];

    assert_int_equal(gca_audit_verify(st, &res, &err), GCA_EDATA);
    assert_int_equal(res.first_bad_seq, seq);
    /* The head is the last good event: just before the bad one, or
     * before the gap. */
    assert_true(res.head_seq < seq && res.head_seq >= seq - 2);
    snprintf(name, sizeof name, "audit event %lld: ", seq);
    if (strncmp(err.msg, name, strlen(name)) != 0 || !strstr(err.msg, rule))
        fail_msg("message '%s' lacks '%s' or '%s'", err.msg, name, rule);
    assert_string_equal(err.source, gca_store_path(st));

    gca_err_clear(&err);
    assert_int_equal(gca_store_check(st, &problems, &err), 0);
    assert_int_equal(problems.n, 1);
    assert_true(strncmp(problems.v[0].msg, name, strlen(name)) == 0);
    assert_non_null(strstr(problems.v[0].msg, rule));
    gca_errlist_release(&problems);
}

/* Tampering needs the append-only triggers out of the way, as an
 * attacker with the file would do. */
static void tamper(gca_store *st, const char *sql)
{
    exec_ok(st, "DROP TRIGGER audit_events_no_update;"
                "DROP TRIGGER audit_events_no_delete;");
    exec_ok(st, sql);
}

/* ====== Appending ====== */

/* Each row's hash is SHA-256(prev bytes || jansson's compact, sorted
 * serialisation of {seq, at, actor, action, object, data}), prev_hash is
 * the previous row's hash, the first one all zeros. */
static void test_hash_recipe(void **state)
{
    fixture *f = *state;
    gca_store *st = store_with_events(f->db);
    sqlite3_stmt *s = NULL;
    char prev[65];
    long long n = 0;

    memset(prev, '0', 64);
    prev[64] = '\0';
    assert_int_equal(sodium_init() >= 0, 1);
    assert_int_equal(
        sqlite3_prepare_v2(handle(st),
                           "SELECT seq, at, actor, action, object, payload, "
                           "prev_hash, hash FROM audit_events ORDER BY seq",
                           -1, &s, NULL),
        SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *col[8];
        for (int i = 0; i < 8; i++)
            col[i] = (const char *)sqlite3_column_text(s, i);
        n++;
        assert_int_equal(sqlite3_column_int64(s, 0), n);
        assert_string_equal(col[6], prev);

        json_error_t jerr;
        json_t *data = json_loads(col[5], 0, &jerr);
        assert_non_null(data);
        json_t *obj = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "seq",
                                (json_int_t)n, "at", col[1], "actor", col[2],
                                "action", col[3], "object", col[4], "data",
                                data);
        assert_non_null(obj);
        char *text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
        assert_non_null(text);
        /* The payload column is jansson's canonical text of the data. */
        char *dtext = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
        assert_string_equal(dtext, col[5]);

        /* gca's own canonical bytes are the same. */
        gca_buf b = GCA_BUF_INIT(1 << 20);
        gca_audit_event ev = {n,      col[1], col[2], col[3],
                              col[4], col[5], col[6], col[7]};
        assert_int_equal(gca__audit_canonical(&b, &ev), 0);
        assert_string_equal(b.ptr, text);
        gca_buf_release(&b);

        unsigned char bin[32], h[32];
        char hex[65];
        crypto_hash_sha256_state hs;
        assert_int_equal(sodium_hex2bin(bin, 32, prev, 64, NULL, NULL, NULL),
                         0);
        crypto_hash_sha256_init(&hs);
        crypto_hash_sha256_update(&hs, bin, 32);
        crypto_hash_sha256_update(&hs, (const unsigned char *)text,
                                  strlen(text));
        crypto_hash_sha256_final(&hs, h);
        sodium_bin2hex(hex, sizeof hex, h, 32);
        assert_string_equal(col[7], hex);
        memcpy(prev, hex, sizeof prev);
        free(text);
        free(dtext);
        json_decref(obj);
    }
    sqlite3_finalize(s);
    assert_int_equal(n, NEVENTS);

    gca_audit_result res;
    gca_err err = {0};
    assert_int_equal(gca_audit_verify(st, &res, &err), 0);
    assert_int_equal(res.events, NEVENTS);
    assert_int_equal(res.head_seq, NEVENTS);
    assert_string_equal(res.head_hash, prev);
    gca_store_close(st);
}

static void test_empty_log(void **state)
{
    fixture *f = *state;
    gca_store *st = NULL;
    gca_err err = {0};
    gca_audit_result res;
    assert_int_equal(gca_store_open(f->db, GCA_STORE_CREATE, &st, &err), 0);
    assert_int_equal(gca_store_migrate(st, NULL, &err), 0);
    assert_int_equal(gca_audit_verify(st, &res, &err), 0);
    assert_int_equal(res.events, 0);
    assert_int_equal(res.head_seq, 0);
    assert_string_equal(res.head_hash, "0000000000000000000000000000000000"
                                       "000000000000000000000000000000");
    /* NULL data is the empty object. */
    assert_int_equal(append(st, "admin", "user.add", "user/admin", NULL,
                            &err),
                     0);
    assert_int_equal(query_int(st, "SELECT count(*) FROM audit_events "
                                   "WHERE payload = '{}' AND seq = 1"),
                     1);
    verify_ok(st, 1);
    gca_store_close(st);
}

static void test_outside_transaction(void **state)
{
    fixture *f = *state;
    gca_store *st = store_with_events(f->db);
    gca_err err = {0};
    assert_int_equal(gca__audit_append(st, "alice", "answer.set", "x", NULL,
                                       &err),
                     GCA_EINTERNAL);
    assert_non_null(strstr(err.msg, "outside a transaction"));
    assert_int_equal(query_int(st, "SELECT count(*) FROM audit_events"),
                     NEVENTS);

    /* Rolled back with the caller's transaction. */
    gca_err_clear(&err);
    assert_int_equal(st->be->begin(st->conn, &err), 0);
    assert_int_equal(gca__audit_append(st, "alice", "answer.set", "x", NULL,
                                       &err),
                     0);
    st->be->rollback(st->conn);
    assert_int_equal(query_int(st, "SELECT count(*) FROM audit_events"),
                     NEVENTS);
    verify_ok(st, NEVENTS);
    gca_store_close(st);
}

static void test_bad_fields(void **state)
{
    static const struct {
        const char *actor, *action, *object, *data, *msg;
        int code;
    } cases[] = {
        {"", "a.b", "x", NULL, "actor is empty", GCA_EINVAL},
        {NULL, "a.b", "x", NULL, "actor is empty", GCA_EINVAL},
        {"al\nice", "a.b", "x", NULL, "actor contains a control", GCA_EINVAL},
        {"al\xff", "a.b", "x", NULL, "actor is not valid UTF-8", GCA_EINVAL},
        {"alice", "User.Add", "x", NULL, "may hold only", GCA_EINVAL},
        {"alice", "", "x", NULL, "action '' is empty", GCA_EINVAL},
        {"alice", "a.b", "", NULL, "object is empty", GCA_EINVAL},
        {"alice", "a.b", "x\ty", NULL, "object contains a control",
         GCA_EINVAL},
        {"alice", "a.b", "x", "[1]", "must be a JSON object", GCA_EINVAL},
    };
    fixture *f = *state;
    gca_store *st = store_with_events(f->db);
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        json_t *data = NULL;
        if (cases[i].data)
            data = json_loads(cases[i].data, 0, NULL);
        assert_int_equal(append(st, cases[i].actor, cases[i].action,
                                cases[i].object, data, &err),
                         cases[i].code);
        if (!strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].msg);
        json_decref(data);
    }
    /* Too long an actor, and data over the cap. */
    char longname[GCA_AUDIT_MAX_ACTOR + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    gca_err err = {0};
    assert_int_equal(append(st, longname, "a.b", "x", NULL, &err),
                     GCA_EINVAL);
    assert_non_null(strstr(err.msg, "too long"));
    char *big = malloc(GCA_AUDIT_MAX_PAYLOAD + 1);
    assert_non_null(big);
    memset(big, 'x', GCA_AUDIT_MAX_PAYLOAD);
    big[GCA_AUDIT_MAX_PAYLOAD] = '\0';
    json_t *data = json_pack("{s:s}", "text", big);
    gca_err_clear(&err);
    assert_int_equal(append(st, "alice", "a.b", "x", data, &err),
                     GCA_ETOOBIG);
    json_decref(data);
    free(big);
    assert_int_equal(query_int(st, "SELECT count(*) FROM audit_events"),
                     NEVENTS);
    verify_ok(st, NEVENTS);
    gca_store_close(st);
}

/* gca itself cannot change or delete an event. */
static void test_append_only(void **state)
{
    fixture *f = *state;
    gca_store *st = store_with_events(f->db);
    static const char *const sql[] = {
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 2",
    };
    for (size_t i = 0; i < GCA_COUNT(sql); i++) {
        assert_int_equal(sqlite3_exec(handle(st), sql[i], NULL, NULL, NULL) &
                             0xff,
                         SQLITE_CONSTRAINT);
        assert_non_null(strstr(sqlite3_errmsg(handle(st)), "append-only"));
    }
    verify_ok(st, NEVENTS);
    gca_store_close(st);
}

/* ====== Tampering ====== */

/* One column of row 5 changed, for every column: each is caught at 5
 * (a changed seq leaves a gap, caught at the row after it). */
static void test_tamper_each_column(void **state)
{
    static const struct {
        const char *sql;
        long long bad;
        const char *rule;
    } cases[] = {
        {"UPDATE audit_events SET at = '2001-01-01T00:00:00Z' WHERE seq = 5",
         5, "hash does not match"},
        {"UPDATE audit_events SET actor = 'mallory' WHERE seq = 5", 5,
         "hash does not match"},
        {"UPDATE audit_events SET action = 'answer.approve' WHERE seq = 5",
         5, "hash does not match"},
        {"UPDATE audit_events SET object = 'answer/gci-2026/Q9' "
         "WHERE seq = 5",
         5, "hash does not match"},
        {"UPDATE audit_events SET payload = replace(payload, '\"n\":5', "
         "'\"n\":6') WHERE seq = 5",
         5, "hash does not match"},
        /* The same data written with a blank: same JSON, other bytes. */
        {"UPDATE audit_events SET payload = replace(payload, ',', ', ') "
         "WHERE seq = 5",
         5, "hash does not match"},
        {"UPDATE audit_events SET prev_hash = (SELECT hash FROM "
         "audit_events WHERE seq = 3) WHERE seq = 5",
         5, "prev_hash does not match the hash of event 4"},
        {"UPDATE audit_events SET hash = substr(hash, 1, 63) || "
         "CASE substr(hash, 64) WHEN '0' THEN '1' ELSE '0' END "
         "WHERE seq = 5",
         5, "hash does not match"},
        {"UPDATE audit_events SET seq = 100 WHERE seq = 5", 6,
         "event 5 before it is missing"},
        {"UPDATE audit_events SET prev_hash = upper(prev_hash) "
         "WHERE seq = 5",
         5, "prev_hash does not match"},
    };
    fixture *f = *state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_store *st = store_with_events(f->db);
        verify_ok(st, NEVENTS);
        tamper(st, cases[i].sql);
        assert_int_equal(sqlite3_changes(handle(st)), 1);
        verify_bad(st, cases[i].bad, cases[i].rule);
        gca_store_close(st);
        assert_int_equal(remove(f->db), 0);
    }
}

static void test_tamper_rows(void **state)
{
    static const struct {
        const char *sql;
        long long bad;
        const char *rule;
    } cases[] = {
        /* A row deleted: a gap. */
        {"DELETE FROM audit_events WHERE seq = 5", 6,
         "event 5 before it is missing"},
        {"DELETE FROM audit_events WHERE seq = 1", 2,
         "event 1 before it is missing"},
        /* Deleted and the rest renumbered to hide the gap. */
        {"DELETE FROM audit_events WHERE seq = 5;"
         "UPDATE audit_events SET seq = seq + 100 WHERE seq > 5;"
         "UPDATE audit_events SET seq = seq - 101 WHERE seq > 100",
         5, "prev_hash does not match the hash of event 4"},
        /* Two rows' payloads swapped. */
        {"UPDATE audit_events SET payload = CASE seq "
         "WHEN 3 THEN (SELECT payload FROM audit_events WHERE seq = 6) "
         "ELSE (SELECT payload FROM audit_events WHERE seq = 3) END "
         "WHERE seq IN (3, 6)",
         3, "hash does not match"},
        /* Two whole rows swapped (reordered). */
        {"UPDATE audit_events SET seq = 1000 WHERE seq = 3;"
         "UPDATE audit_events SET seq = 3 WHERE seq = 4;"
         "UPDATE audit_events SET seq = 4 WHERE seq = 1000",
         3, "prev_hash does not match the hash of event 2"},
        /* The genesis link replaced. */
        {"UPDATE audit_events SET prev_hash = hash WHERE seq = 1", 1,
         "not the genesis value"},
        /* A forged row inserted in the middle. */
        {"UPDATE audit_events SET seq = seq + 100 WHERE seq > 4;"
         "UPDATE audit_events SET seq = seq - 99 WHERE seq > 100;"
         "INSERT INTO audit_events SELECT 5, at, actor, action, object, "
         "payload, hash, lower(hex(randomblob(32))) FROM audit_events "
         "WHERE seq = 4",
         5, "hash does not match"},
    };
    fixture *f = *state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_store *st = store_with_events(f->db);
        tamper(st, cases[i].sql);
        verify_bad(st, cases[i].bad, cases[i].rule);
        gca_store_close(st);
        assert_int_equal(remove(f->db), 0);
    }
}

/* Rows cut off the end leave a shorter chain that is intact: only the
 * head hash (signed at publication) shows it. */
static void test_truncated_tail(void **state)
{
    fixture *f = *state;
    gca_store *st = store_with_events(f->db);
    gca_audit_result before, after;
    gca_err err = {0};
    assert_int_equal(gca_audit_verify(st, &before, &err), 0);
    tamper(st, "DELETE FROM audit_events WHERE seq > 6");
    assert_int_equal(gca_audit_verify(st, &after, &err), 0);
    assert_int_equal(after.head_seq, 6);
    assert_string_not_equal(after.head_hash, before.head_hash);
    /* Appending goes on from the cut head. */
    assert_int_equal(append(st, "alice", "answer.set", "x", NULL, &err), 0);
    verify_ok(st, 7);
    gca_store_close(st);
}

/* ====== Listing ====== */

typedef struct seen {
    long long seq[64];
    int n, stop_at;
} seen;

static int collect(const gca_audit_event *ev, void *ctx)
{
    seen *s = ctx;
    assert_true(ev->at && ev->actor && ev->action && ev->object &&
                ev->payload && ev->prev_hash && ev->hash);
    if (s->n < 64)
        s->seq[s->n++] = ev->seq;
    return s->stop_at && s->n == s->stop_at ? 42 : 0;
}

static void test_list(void **state)
{
    static const struct {
        gca_audit_filter f;
        int n;
        long long first, last;
    } cases[] = {
        {{NULL, NULL, NULL, NULL, 0}, NEVENTS, 1, NEVENTS},
        {{"José", NULL, NULL, NULL, 0}, 2, 3, 6},
        {{"alice", NULL, NULL, NULL, 0}, 6, 1, 8},
        {{"nobody", NULL, NULL, NULL, 0}, 0, 0, 0},
        {{NULL, "answer/gci-2026/Q", NULL, NULL, 0}, NEVENTS, 1, NEVENTS},
        {{NULL, "answer/gci-2026/Q7", NULL, NULL, 0}, 1, 7, 7},
        {{NULL, "user/", NULL, NULL, 0}, 0, 0, 0},
        {{NULL, NULL, NULL, "FRA", 0}, 4, 2, 8},
        {{NULL, NULL, NULL, "DEU", 0}, 0, 0, 0},
        {{"alice", NULL, NULL, "FRA", 0}, 3, 2, 8},
        {{NULL, NULL, "2000-01-01", NULL, 0}, NEVENTS, 1, NEVENTS},
        {{NULL, NULL, "9999", NULL, 0}, 0, 0, 0},
        {{NULL, NULL, NULL, NULL, 5}, 3, 6, 8},
    };
    fixture *f = *state;
    gca_store *st = store_with_events(f->db);
    gca_err err = {0};
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        seen s = {{0}, 0, 0};
        assert_int_equal(gca_audit_list(st, &cases[i].f, collect, &s, &err),
                         0);
        if (s.n != cases[i].n)
            fail_msg("case %zu: %d events, want %d", i, s.n, cases[i].n);
        if (s.n) {
            assert_int_equal(s.seq[0], cases[i].first);
            assert_int_equal(s.seq[s.n - 1], cases[i].last);
        }
        for (int k = 1; k < s.n; k++)
            assert_true(s.seq[k] > s.seq[k - 1]);
    }
    /* NULL filter = all; a callback's non-zero return stops the walk. */
    seen s = {{0}, 0, 3};
    assert_int_equal(gca_audit_list(st, NULL, collect, &s, &err), 42);
    assert_int_equal(s.n, 3);
    gca_store_close(st);
}

/* ====== Out of memory ====== */

/* Append and verify with allocation n failing, for every n until both
 * succeed: each failure is GCA_ENOMEM, and the chain stays intact with
 * every committed event in it. */
static void test_enomem(void **state)
{
    fixture *f = *state;
    gca_store *st = store_with_events(f->db);
    int done = 0;
    long n = 1;
    json_t *data = json_pack("{s:s}", "country", "FRA");
    for (; !done && n < 10000; n++) {
        gca_err err = {0};
        gca_audit_result res;
        gca_alloc_fail_after(n);
        int rc = append(st, "alice", "answer.set", "answer/x", data, &err);
        int appended = rc == 0;
        if (rc == 0)
            rc = gca_audit_verify(st, &res, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            done = 1;
        } else {
            assert_int_equal(rc, GCA_ENOMEM);
            assert_true(err.msg[0] != '\0');
        }
        long long count = query_int(st, "SELECT count(*) FROM audit_events");
        assert_true(count > NEVENTS || !appended);
        verify_ok(st, count);
    }
    json_decref(data);
    assert_true(done);
    assert_true(n > 3); /* failures were injected on the way */
    gca_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hash_recipe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outside_transaction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_each_column, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tamper_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_tail, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enomem, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
