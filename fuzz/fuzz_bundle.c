/* fuzz_bundle.c - libFuzzer harness for signed bundles (gca/sign.h,
 * docs/signing.md). Any bytes go to gca_bundle_verify: a failure must be
 * explained, a success must give a key id and a canonical payload that
 * is a fixed point of the canonical form. The same bytes are then signed
 * as a payload: whatever signs must verify with the signing key and give
 * the same payload back, so that no payload can produce a bundle its
 * own readers refuse. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gca.h"
#include "fixture.h"

/* Read-only after LLVMFuzzerInitialize. */
static gca_key *key;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_bundle: %s\n", what);
    abort();
}

/* A throw-away key, made in a private directory that is removed at
 * once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[] = "/tmp/gca-fuzz-bundle-XXXXXX", sec[64], pub[64];
    gca_err err = {0};
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        fail("cannot make a directory for the key");
    snprintf(sec, sizeof sec, "%s/k.key", dir);
    snprintf(pub, sizeof pub, "%s/k.pub", dir);
    int rc = gca_key_generate(sec, pub, &key, &err);
    unlink(sec);
    unlink(pub);
    rmdir(dir);
    fuzz_check(rc, &err, "key generate");
    return 0;
}

static void check_info(const gca_bundle_info *info)
{
    if (strlen(info->key_id) != GCA_KEY_ID_LEN ||
        strspn(info->key_id, "0123456789abcdef") != GCA_KEY_ID_LEN)
        fail("key id is not 16 lower-case hex digits");
    if (!info->payload || strlen(info->payload) != info->payload_len)
        fail("payload text missing or its length wrong");
    json_error_t jerr;
    json_t *p = json_loadb(info->payload, info->payload_len, 0, &jerr);
    if (!json_is_object(p))
        fail("canonical payload is not a JSON object");
    char *again = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    if (!again || strcmp(again, info->payload))
        fail("canonical payload is not a fixed point");
    free(again);
    json_decref(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gca_bundle_info info = {0};
    gca_err err = {0};
    const char *text = (const char *)data;

    int rc = gca_bundle_verify(text, size, "fuzz_bundle.json", NULL, &info,
                               &err);
    if (rc == 0)
        check_info(&info);
    else if (info.payload)
        fail("info filled on failure");
    else
        fuzz_check_failure(rc, &err, "verify failure");
    gca_bundle_info_release(&info);

    char *bundle = NULL;
    size_t len = 0;
    gca_err_clear(&err);
    rc = gca_bundle_sign(text, size, "fuzz_payload.json", key, &bundle, &len,
                         &err);
    if (rc < 0) {
        /* GCA_EINTERNAL is the signer's own check failing: a bundle it
         * made did not verify. */
        if (rc == GCA_EINTERNAL || bundle)
            fail("signing a payload made a bad bundle");
        fuzz_check_failure(rc, &err, "sign failure");
        return 0;
    }
    gca_err_clear(&err);
    fuzz_check(gca_bundle_verify(bundle, len, "signed", key, &info, &err),
               &err, "verify of a bundle just signed");
    check_info(&info);
    if (strcmp(info.key_id, gca_key_id(key)))
        fail("bundle names another key");
    gca_bundle_info_release(&info);
    gca_free(bundle);
    return 0;
}
