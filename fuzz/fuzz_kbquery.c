/* fuzz_kbquery.c - libFuzzer harness for the search text translator
 * (gca__kb_fts_query, src/gateway/kbparse.c; syntax in docs/kb.md,
 * "Search"). Checks what it promises: the answer is 0 or GCA_EINVAL on
 * "text", and every expression it makes is accepted by a real FTS5 MATCH
 * (no user text ever reaches FTS5 as syntax). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "gateway/kb.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *match;

/* A small FTS5 table shaped like kb_fts, to run each expression. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE t USING fts5(title, summary, "
                     "subtype, region, note, tokenize = 'unicode61 "
                     "remove_diacritics 2');"
                     "INSERT INTO t VALUES ('Convention on Cybercrime', "
                     "'incident response teams', 'convention', 'Europe', "
                     "'');",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1,
                           &match, NULL) != SQLITE_OK) {
        fprintf(stderr, "fuzz_kbquery: no FTS5: %s\n", sqlite3_errmsg(db));
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    gca_buf out = GCA_BUF_INIT(1 << 16);
    gca_err err = {0};
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    int rc = gca__kb_fts_query(text, &out, &err);
    if (rc < 0) {
        fuzz_check_failure(rc, &err, "gca__kb_fts_query");
        if (rc != GCA_EINVAL || strcmp(err.source, "text") != 0) {
            fprintf(stderr, "fuzz_kbquery: rc %d on '%s'\n", rc,
                    err.source);
            abort();
        }
    } else if (out.len) {
        sqlite3_reset(match);
        sqlite3_bind_text(match, 1, out.ptr, (int)out.len, SQLITE_STATIC);
        if (sqlite3_step(match) != SQLITE_ROW) {
            fprintf(stderr, "fuzz_kbquery: FTS5 refused '%s': %s\n",
                    out.ptr, sqlite3_errmsg(db));
            abort();
        }
        sqlite3_reset(match);
    }
    gca_buf_release(&out);
    free(text);
    return 0;
}
