/* cmd_serve.c - gca serve: the web portal's server (src/http/, http.h)
 * on the store named by --db, until SIGINT or SIGTERM. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "http/http.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"listen", "ADDR:PORT", "where to listen (default 127.0.0.1:8080; port "
                            "0 = any free one)", 0},
    {"threads", "N", "worker threads, 1 to 64 (default 4)", 0},
    {"session-ttl", "SECONDS", "how long a log-in lasts (default 28800)", 0},
    {"key", "FILE", "secret key to publish editions with (gca key); "
                    "without it, publishing is refused", 0},
    {"bundles", "DIR", "where published bundles are written (default: the "
                       "database path + .bundles)", 0},
    {"tls-cert", "FILE", "serve HTTPS only, with this PEM certificate "
                         "(chain); needs --tls-key", 0},
    {"tls-key", "FILE", "the PEM private key of --tls-cert", 0},
    {"quiet", NULL, "do not log requests on standard error", 0},
    {"routes", NULL, "print the route table as JSON and exit", 0},
    {NULL, NULL, NULL, 0},
};

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (cli_get(cmd, &a, "routes")) {
        json_t *routes = http_routes_json();
        if (!routes)
            return EXIT_INTERNAL;
        rc = cli_print_json(routes);
        json_decref(routes);
        return rc;
    }
    http_options o = {.host = "127.0.0.1", .port = 8080, .threads = 4,
                      .body_max = (size_t)1 << 20, .session_ttl = 28800};
    char host[64];
    const char *listen = cli_get(cmd, &a, "listen");
    if (listen) {
        const char *colon = strrchr(listen, ':');
        long port;
        if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host ||
            cli_parse_long(colon + 1, 0, 65535, &port) < 0)
            return cli_usage_error(cmd, "--listen: '%s' is not ADDR:PORT "
                                        "(127.0.0.1:8080)",
                                   listen);
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        o.host = host;
        o.port = (int)port;
    }
    long v;
    const char *t = cli_get(cmd, &a, "threads");
    if (t) {
        if (cli_parse_long(t, 1, 64, &v) < 0)
            return cli_usage_error(cmd, "--threads: '%s' is not 1 to 64", t);
        o.threads = (int)v;
    }
    t = cli_get(cmd, &a, "session-ttl");
    if (t) {
        if (cli_parse_long(t, 60, GCA_SESSION_TTL_MAX, &v) < 0)
            return cli_usage_error(cmd, "--session-ttl: '%s' is not 60 to %d "
                                        "seconds",
                                   t, GCA_SESSION_TTL_MAX);
        o.session_ttl = (int)v;
    }
    o.quiet = cli_get(cmd, &a, "quiet") != NULL;
    o.tls_cert = cli_get(cmd, &a, "tls-cert");
    o.tls_key = cli_get(cmd, &a, "tls-key");
    if (!o.tls_cert != !o.tls_key)
        return cli_usage_error(cmd, "--tls-cert and --tls-key go together");
    o.key = cli_get(cmd, &a, "key");
    /* The schema must be current before workers open read-only copies. */
    gca_store *st = NULL;
    rc = cli_open_current(cmd, &a, &st);
    if (rc)
        return rc;
    o.db = gca_store_path(st);
    char db[4096], bundles[4200];
    snprintf(db, sizeof db, "%s", o.db);
    gca_store_close(st);
    o.db = db;
    const char *bdir = cli_get(cmd, &a, "bundles");
    if (!bdir) {
        snprintf(bundles, sizeof bundles, "%s.bundles", db);
        bdir = bundles;
    }
    if (mkdir(bdir, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "gca: %s: cannot make the bundle directory: %s\n",
                bdir, strerror(errno));
        return EXIT_INPUT;
    }
    o.bundles = bdir;
    gca_err err = {0};
    if (http_serve(&o, &err) < 0)
        return cli_fail(&err);
    return EXIT_OK;
}

const cli_cmd cli_cmd_serve = {
    "serve",
    "serve the web portal and the JSON API (/api/v1) on the database",
    "[--db FILE] [--listen ADDR:PORT] [--threads N] [--key FILE] "
    "[--bundles DIR] [--tls-cert FILE --tls-key FILE] [--quiet] [--routes]",
    opts,
    run,
};
