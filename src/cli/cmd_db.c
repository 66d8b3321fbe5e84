/* cmd_db.c - `gca db ACTION`: create and migrate the database, load the
 * shipped data, show its status, back it up and check it (docs/gca.1,
 * "gca db"; the store is include/gca/store.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "init, migrate, status, backup or check"

static void print_count(const char *what, long long n)
{
    if (n < 0)
        printf("%-18s -\n", what);
    else
        printf("%-18s %lld\n", what, n);
}

static int do_status(gca_store *st)
{
    struct gca_store_status s;
    gca_err err = {0};
    if (gca_store_status(st, &s, &err) < 0)
        return cli_fail(&err);
    printf("%-18s %s\n", "database:", gca_store_path(st));
    printf("%-18s %s %s\n", "backend:", s.backend, s.engine_version);
    printf("%-18s %s\n", "journal mode:", s.journal_mode);
    if (s.version > s.latest)
        printf("%-18s version %d, newer than this gca knows (%d)\n",
               "schema:", s.version, s.latest);
    else
        printf("%-18s version %d of %d, %d pending\n", "schema:", s.version,
               s.latest, s.pending);
    print_count("frameworks:", s.frameworks);
    print_count("countries:", s.countries);
    print_count("published results:", s.published_results);
    return EXIT_OK;
}

static int do_init(gca_store *st)
{
    gca_err err = {0};
    int applied = 0;
    if (gca_store_migrate(st, &applied, &err) < 0 ||
        gca_store_load_shipped(st, &err) < 0)
        return cli_fail(&err);
    printf("%s: %d migration%s applied, shipped data loaded\n",
           gca_store_path(st), applied, applied == 1 ? "" : "s");
    return do_status(st);
}

static int do_migrate(gca_store *st)
{
    struct gca_store_status s;
    gca_err err = {0};
    int applied = 0;
    if (gca_store_migrate(st, &applied, &err) < 0 ||
        gca_store_status(st, &s, &err) < 0)
        return cli_fail(&err);
    printf("%s: %d migration%s applied, schema version %d\n",
           gca_store_path(st), applied, applied == 1 ? "" : "s", s.version);
    return EXIT_OK;
}

static int do_backup(gca_store *st, const char *dest)
{
    gca_err err = {0};
    if (gca_store_backup(st, dest, &err) < 0)
        return cli_fail(&err);
    printf("%s: backed up to %s\n", gca_store_path(st), dest);
    return EXIT_OK;
}

static int do_check(gca_store *st)
{
    gca_err err = {0};
    gca_errlist problems = GCA_ERRLIST_INIT;
    int rc = EXIT_OK;
    if (gca_store_check(st, &problems, &err) < 0) {
        rc = cli_fail(&err);
    } else if (problems.n) {
        for (size_t i = 0; i < problems.n; i++)
            cli_fail(&problems.v[i]);
        fprintf(stderr, "%s: %s: %zu problem%s found\n", cli_prog,
                gca_store_path(st), problems.n, problems.n == 1 ? "" : "s");
        rc = EXIT_INPUT;
    } else {
        printf("%s: ok\n", gca_store_path(st));
    }
    gca_errlist_release(&problems);
    return rc;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[2];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};

    /* The action and its file may come before or after the options. */
    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 2, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *action = pos[0];
    int backup = !strcmp(action, "backup");
    if (!backup && strcmp(action, "init") && strcmp(action, "migrate") &&
        strcmp(action, "status") && strcmp(action, "check"))
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               action);
    if (backup && npos != 2)
        return cli_usage_error(cmd, "backup needs the FILE to write");
    if (!backup && npos > 1)
        return cli_usage_error(cmd, "unexpected argument '%s'", pos[1]);

    /* Only init may create the file. */
    int init = !strcmp(action, "init");
    if (init)
        rc = gca_store_open(cli_db_path(cmd, &a), GCA_STORE_CREATE, &st,
                            &err) < 0 ? cli_fail(&err) : EXIT_OK;
    else
        rc = cli_open_store(cmd, &a, &st);
    if (rc)
        return rc;
    if (init)
        rc = do_init(st);
    else if (!strcmp(action, "migrate"))
        rc = do_migrate(st);
    else if (!strcmp(action, "status"))
        rc = do_status(st);
    else if (backup)
        rc = do_backup(st, pos[1]);
    else
        rc = do_check(st);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_db = {
    "db",
    "Manage the database: create it with the shipped data (init), apply "
    "schema migrations (migrate), show its state (status), copy it while "
    "in use (backup FILE), check its integrity (check; exit 2 when "
    "problems are found).",
    "init|migrate|status|backup FILE|check [--db FILE]",
    opts,
    run,
};
