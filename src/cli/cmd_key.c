/* cmd_key.c - `gca key generate --out PREFIX`: make an Ed25519 key pair
 * for signing bundles (docs/gca.1, "gca key"; formats in
 * docs/signing.md; the library side is include/gca/sign.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"out", "PREFIX", "write PREFIX.key (secret, mode 0600) and PREFIX.pub",
     1},
    {NULL, NULL, NULL, 0},
};

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[1];
    int npos = 0;
    cli_args a;
    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 1, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: generate");
    if (strcmp(pos[0], "generate"))
        return cli_usage_error(cmd, "unknown action '%s' (use generate)",
                               pos[0]);
    const char *prefix = cli_get(cmd, &a, "out");
    char sec[4096], pub[4096];
    int n1 = snprintf(sec, sizeof sec, "%s.key", prefix);
    int n2 = snprintf(pub, sizeof pub, "%s.pub", prefix);
    if (!*prefix || n1 < 0 || (size_t)n1 >= sizeof sec || n2 < 0 ||
        (size_t)n2 >= sizeof pub)
        return cli_usage_error(cmd, "--out needs a file name prefix");

    gca_key *key = NULL;
    gca_err err = {0};
    if (gca_key_generate(sec, pub, &key, &err) < 0)
        return cli_fail(&err);
    printf("wrote %s (secret, mode 0600; keep it private) and %s\n", sec,
           pub);
    printf("key id: %s\n", gca_key_id(key));
    gca_key_free(key);
    return EXIT_OK;
}

const cli_cmd cli_cmd_key = {
    "key",
    "Make an Ed25519 key pair for signing bundles (generate). Neither file "
    "is ever replaced: if one exists, nothing is written.",
    "generate --out PREFIX",
    opts,
    run,
};
