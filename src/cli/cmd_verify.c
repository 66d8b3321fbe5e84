/* cmd_verify.c - `gca verify FILE [--key PUBFILE] [--json]`: check a
 * signed bundle offline and summarise its payload (docs/gca.1, "gca
 * verify"; the checks: docs/signing.md, "Verifying"). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/buf.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"key", "PUBFILE", "also require the bundle to be signed by this key",
     0},
    {"json", NULL, "print the key id and the payload as JSON", 0},
    {NULL, NULL, NULL, 0},
};

/* The payload members a published edition carries, shown when present. */
static const char *const summary[] = {"edition", "framework", "audit_head"};

static int print_summary(const gca_bundle_info *info)
{
    json_error_t jerr;
    json_t *p = json_loadb(info->payload, info->payload_len, 0, &jerr);
    if (!p) {
        fprintf(stderr, "%s: cannot read back the payload: %s\n", cli_prog,
                jerr.text);
        return EXIT_INTERNAL;
    }
    printf("signature ok: key %s\n", info->key_id);
    for (size_t i = 0; i < GCA_COUNT(summary); i++) {
        json_t *v = json_object_get(p, summary[i]);
        if (!v)
            continue;
        char *text = json_is_string(v) ? NULL
                                       : json_dumps(v, JSON_COMPACT |
                                                           JSON_SORT_KEYS |
                                                           JSON_ENCODE_ANY);
        printf("%s:%*s %s\n", summary[i], (int)(10 - strlen(summary[i])),
               "", text ? text : json_string_value(v));
        free(text);
    }
    printf("%-11s %zu members, %zu bytes\n", "payload:", json_object_size(p),
           info->payload_len);
    json_decref(p);
    return EXIT_OK;
}

static int print_json(const gca_bundle_info *info)
{
    gca_buf b = GCA_BUF_INIT(GCA_BUNDLE_MAX + 256);
    gca_buf_puts(&b, "{\"key_id\":");
    gca_buf_json_string(&b, info->key_id);
    gca_buf_puts(&b, ",\"payload\":");
    gca_buf_add(&b, info->payload, info->payload_len);
    gca_buf_puts(&b, ",\"signature\":\"ok\"}\n");
    int rc;
    if (gca_buf_error(&b)) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        rc = EXIT_INTERNAL;
    } else {
        rc = cli_write_stdout(gca_buf_str(&b), b.len);
    }
    gca_buf_release(&b);
    return rc;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[1];
    int npos = 0;
    cli_args a;
    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 1, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs the bundle FILE to check");

    const char *keyfile = cli_get(cmd, &a, "key");
    gca_key *trusted = NULL;
    gca_bundle_info info = {0};
    gca_err err = {0};
    if ((keyfile && gca_key_load_public(keyfile, &trusted, &err) < 0) ||
        gca_bundle_verify_file(pos[0], trusted, &info, &err) < 0)
        rc = cli_fail(&err);
    else if (cli_get(cmd, &a, "json"))
        rc = print_json(&info);
    else
        rc = print_summary(&info);
    gca_bundle_info_release(&info);
    gca_key_free(trusted);
    return rc;
}

const cli_cmd cli_cmd_verify = {
    "verify",
    "Check a signed bundle offline: its format, that its key id is its "
    "public key's, and that the signature holds for its payload (exit 2 "
    "naming the reason if not); then summarise the payload.",
    "FILE [--key PUBFILE] [--json]",
    opts,
    run,
};
