/* test_crash.c - crash safety of the workflow (issue 4, section 5): a
 * child process streams answer submissions (set, then submit) and
 * reports each one the library acknowledged; the parent kills it with
 * SIGKILL at a random moment, then checks that every acknowledged
 * submission is in the database, the audit chain is intact and the
 * database passes its integrity and foreign-key checks. 120 cycles. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "gca.h"
#include "testutil.h"

#define CYCLES 120
#define NQ 40 /* questions: 249 countries x 40 = 9960 answer slots */

static char dir[64], db[128];
static char (*countries)[4];
static size_t ncountries;

/* A framework with one indicator of NQ yes/no questions. */
static char *framework_json(void)
{
    size_t cap = 200 + NQ * 64;
    char *j = malloc(cap);
    assert_non_null(j);
    int n = snprintf(j, cap, "{\"code\": \"CRASH\", \"nodes\": [{\"code\": "
                             "\"I\", \"parent\": \"TOP\", \"questions\": [");
    for (int q = 0; q < NQ; q++)
        n += snprintf(j + n, cap - (size_t)n,
                      "%s{\"code\": \"q%d\", \"type\": \"yesno\"}",
                      q ? ", " : "", q);
    snprintf(j + n, cap - (size_t)n, "]}, {\"code\": \"TOP\"}]}");
    return j;
}

static void setup_db(void)
{
    gca_err err = {0};
    gca_store *st = NULL;
    memcpy(dir, "/tmp/gca-test-crash-XXXXXX", 27);
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/gca.db", dir);
    assert_int_equal(gca_store_open(db, GCA_STORE_CREATE, &st, &err), 0);
    gca_store_set_pwhash_cost(st, GCA_PWHASH_MIN);
    assert_int_equal(gca_store_migrate(st, NULL, &err), 0);
    assert_int_equal(gca_store_load_shipped(st, &err), 0);
    assert_int_equal(gca_user_add(st, NULL, "admin", "admin", NULL, NULL,
                                  &err), 0);
    assert_int_equal(gca_user_add(st, "admin", "ana", "analyst", NULL,
                                  NULL, &err), 0);
    char *fw = framework_json();
    assert_int_equal(gca_store_add_framework(st, "admin", fw, strlen(fw),
                                             "crash.json", NULL, &err),
                     0);
    free(fw);
    assert_int_equal(gca_edition_create(st, "admin", "CRASH", 2026, NULL,
                                        NULL, &err),
                     0);
    assert_int_equal(gca_edition_open(st, "admin", "crash-2026", &err), 0);
    gca_countries *cs = NULL;
    assert_int_equal(gca_countries_default(&cs, &err), 0);
    ncountries = gca_countries_count(cs);
    countries = calloc(ncountries, sizeof *countries);
    assert_non_null(countries);
    for (size_t i = 0; i < ncountries; i++)
        snprintf(countries[i], 4, "%s", gca_countries_at(cs, i)->iso3);
    gca_countries_free(cs);
    gca_store_close(st);
}

/* The child: from slot `start` on, set and submit, writing the index of
 * every acknowledged submission to `fd`. Never returns. */
static void child(size_t start, int fd)
{
    gca_err err = {0};
    gca_store *st = NULL;
    if (gca_store_open(db, 0, &st, &err) < 0)
        _exit(3);
    for (size_t i = start; i < ncountries * NQ; i++) {
        char q[16];
        snprintf(q, sizeof q, "q%zu", i % NQ);
        const char *c = countries[i / NQ];
        int rc = gca_answer_set(st, "ana", "crash-2026", c, q,
                                i % 3 ? "yes" : "no", NULL, &err);
        if (rc == GCA_ESTATE)
            continue; /* submitted before the last kill, not acknowledged */
        if (rc == 0)
            rc = gca_answer_submit(st, "ana", "crash-2026", c, q, &err);
        if (rc < 0) {
            fprintf(stderr, "child: %s\n", err.msg);
            _exit(4);
        }
        uint32_t ack = (uint32_t)i;
        if (write(fd, &ack, sizeof ack) != sizeof ack)
            _exit(5);
    }
    _exit(0);
}

typedef struct seen {
    unsigned char *submitted; /* per slot */
} seen;

static int note_answer(const gca_answer *a, void *ctx)
{
    seen *s = ctx;
    size_t c = 0;
    while (c < ncountries && strcmp(countries[c], a->country))
        c++;
    int q = atoi(a->question + 1);
    if (c < ncountries && q >= 0 && q < NQ && !strcmp(a->state, "submitted"))
        s->submitted[c * NQ + (size_t)q] = 1;
    return 0;
}

static void test_sigkill_during_submissions(void **state)
{
    (void)state;
    setup_db();
    size_t nslots = ncountries * NQ;
    unsigned char *acked = calloc(nslots, 1);
    seen s = {calloc(nslots, 1)};
    assert_non_null(acked);
    assert_non_null(s.submitted);
    unsigned seed = 20261123;
    const char *env = getenv("GCA_CRASH_SEED");
    if (env)
        seed = (unsigned)strtoul(env, NULL, 10);
    srand(seed);
    size_t start = 0, total_acked = 0, kills = 0;

    for (int cycle = 0; cycle < CYCLES; cycle++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child(start, fds[1]);
        }
        close(fds[1]);
        /* 2 to 30 ms: past the child's start, often inside a
         * transaction or an fsync. */
        struct timespec ts = {0, (2000L + rand() % 28000) * 1000L};
        nanosleep(&ts, NULL);
        kills += kill(pid, SIGKILL) == 0;
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status))
            print_message("cycle %d: the child ended before the kill "
                          "(status %d)\n",
                          cycle, status);
        assert_true(WIFSIGNALED(status) ||
                    (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        uint32_t ack;
        ssize_t n;
        while ((n = read(fds[0], &ack, sizeof ack)) == sizeof ack) {
            assert_true(ack < nslots);
            acked[ack] = 1;
            total_acked++;
            if (ack + 1 > start)
                start = ack + 1;
        }
        close(fds[0]);

        gca_err err = {0};
        gca_store *st = NULL;
        assert_int_equal(gca_store_open(db, 0, &st, &err), 0);
        memset(s.submitted, 0, nslots);
        assert_int_equal(gca_answer_list(st, "crash-2026", NULL, note_answer,
                                         &s, &err),
                         0);
        for (size_t i = 0; i < nslots; i++)
            if (acked[i] && !s.submitted[i])
                fail_msg("cycle %d: acknowledged submission %s q%zu is not "
                         "in the database",
                         cycle, countries[i / NQ], i % NQ);
        gca_audit_result ar;
        if (gca_audit_verify(st, &ar, &err) != 0)
            fail_msg("cycle %d: %s", cycle, err.msg);
        gca_errlist problems = GCA_ERRLIST_INIT;
        assert_int_equal(gca_store_check(st, &problems, &err), 0);
        if (problems.n)
            fail_msg("cycle %d: %s", cycle, problems.v[0].msg);
        gca_errlist_release(&problems);
        gca_store_close(st);
        if (start >= nslots)
            break;
    }
    print_message("seed %u: %zu kills, %zu acknowledged submissions, all "
                  "present\n",
                  seed, kills, total_acked);
    assert_true(kills >= 100);
    free(acked);
    free(s.submitted);
    free(countries);
    tu_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill_during_submissions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
