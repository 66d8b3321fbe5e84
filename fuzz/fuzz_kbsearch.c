/* fuzz_kbsearch.c - libFuzzer harness for knowledge-base search with the
 * in-memory index (src/store/kbindex.c). The first byte picks filters and
 * a page, the rest is the search text. The same search runs in SQL (FTS5
 * bm25() and snippet()) and through the index, over the shipped entries;
 * both must give the same answer: code, hits in order, scores to the
 * bit, snippets and total. */
#define _XOPEN_SOURCE 700
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "fixture.h"
#include "gca.h"
#include "gca/kb.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64] = "/tmp/gca-fuzz-kbsearch-XXXXXX";
static char path[128];
static gca_store *sql_st, *ix_st;

static void cleanup(void)
{
    char p[160];
    gca_store_close(sql_st);
    gca_store_close(ix_st);
    static const char *const files[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gca_err err = {0};
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir)) {
        perror("fuzz_kbsearch: mkdtemp");
        abort();
    }
    snprintf(path, sizeof path, "%s/kb.db", dir);
    atexit(cleanup);
    fuzz_check(gca_store_open(path, GCA_STORE_CREATE, &sql_st, &err), &err,
               "open");
    fuzz_check(gca_store_migrate(sql_st, NULL, &err), &err, "migrate");
    fuzz_check(gca_store_load_shipped(sql_st, &err), &err, "shipped");
    fuzz_check(gca_store_open(path, 0, &ix_st, &err), &err, "open 2");
    fuzz_check(gca_kb_keep_index(ix_st, 1, &err), &err, "keep index");
    return 0;
}

static int record(const gca_kb_hit *h, void *ctx)
{
    unsigned long long bits;
    memcpy(&bits, &h->score, sizeof bits);
    gca_buf_printf(ctx, "%s %016llx %s\n", h->entry.id, bits, h->snippet);
    return 0;
}

static void run(gca_store *st, const gca_kb_query *q, gca_buf *out)
{
    gca_err err = {0};
    size_t total = 0;
    int rc = gca_kb_search(st, q, record, out, &total, &err);
    if (rc < 0)
        fuzz_check_failure(rc, &err, "gca_kb_search");
    gca_buf_printf(out, "rc %d %s %s total %zu", rc, err.source, err.msg,
                   total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const kinds[] = {NULL, "legal_instrument",
                                        "national_cirt", "rights_measure"};
    static const char *const regions[] = {NULL, "europe", "Western Africa",
                                          "AFRICA"};
    unsigned sel = data[0];
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    gca_kb_query q = {.text = text};
    q.kind = kinds[sel & 3];
    q.region = regions[(sel >> 2) & 3];
    if (sel & 16)
        q.year_from = 2010;
    if (sel & 32)
        q.limit = 3;
    if (sel & 64)
        q.offset = 2;
    if (sel & 128)
        q.country = "FRA";
    gca_buf a = GCA_BUF_INIT(1 << 24), b = GCA_BUF_INIT(1 << 24);
    run(sql_st, &q, &a);
    run(ix_st, &q, &b);
    if (gca_buf_error(&a) || gca_buf_error(&b) || a.len != b.len ||
        memcmp(a.ptr, b.ptr, a.len)) {
        fprintf(stderr, "fuzz_kbsearch: the engines disagree on '%s':\n"
                        "SQL:\n%s\nindex:\n%s\n",
                text, a.ptr ? a.ptr : "", b.ptr ? b.ptr : "");
        abort();
    }
    gca_buf_release(&a);
    gca_buf_release(&b);
    free(text);
    return 0;
}
