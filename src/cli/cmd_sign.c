/* cmd_sign.c - `gca sign PAYLOAD --key KEYFILE --out BUNDLE`: sign any JSON
 * object as a bundle (docs/gca.1, "gca sign"; what is signed:
 * docs/signing.md). `gca edition publish` makes the bundles that matter;
 * this is the same signing for tests, scripts and other payloads. */
#include <stdio.h>

#include "cli.h"
#include "core/buf.h"
#include "core/fs.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"key", "KEYFILE", "secret key file (gca key generate)", 1},
    {"out", "BUNDLE", "bundle file to write, atomically", 1},
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
        return cli_usage_error(cmd, "needs the PAYLOAD file to sign");

    gca_buf payload = GCA_BUF_INIT(GCA_BUNDLE_MAX);
    gca_key *key = NULL;
    gca_err err = {0};
    char *bundle = NULL;
    size_t len = 0;
    if (gca_key_load_secret(cli_get(cmd, &a, "key"), &key, &err) < 0 ||
        gca_file_read(pos[0], &payload, &err) < 0 ||
        gca_bundle_sign(gca_buf_str(&payload), payload.len, pos[0], key,
                        &bundle, &len, &err) < 0 ||
        gca_file_write_atomic(cli_get(cmd, &a, "out"), bundle, len, &err) <
            0) {
        rc = cli_fail(&err);
    } else {
        printf("signed %s with key %s: wrote %s\n", pos[0], gca_key_id(key),
               cli_get(cmd, &a, "out"));
        rc = EXIT_OK;
    }
    gca_free(bundle);
    gca_key_free(key);
    gca_buf_release(&payload);
    return rc;
}

const cli_cmd cli_cmd_sign = {
    "sign",
    "Sign the JSON object in PAYLOAD with a secret key and write it as a "
    "bundle that 'gca verify' checks.",
    "PAYLOAD --key KEYFILE --out BUNDLE",
    opts,
    run,
};
