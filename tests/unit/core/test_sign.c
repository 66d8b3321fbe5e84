/* test_sign.c - Ed25519 keys and signed bundles (src/core/sign.c): key
 * files written and read back, refused when they exist, are open to
 * others or are malformed (named by file, line and column); bundles
 * signed and verified, and refused when tampered with, re-keyed, of
 * another format or algorithm, truncated, huge or not JSON; a known
 * answer computed by an independent implementation; out of memory. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gca.h"
#include "testutil.h"

/* ====== Helpers ====== */

typedef struct fixture {
    char dir[64];
    char sec[128], pub[128];   /* a key pair made by setup */
    char sec2[128], pub2[128]; /* another one */
    gca_key *key, *key2;
} fixture;

static void path_of(char *out, size_t size, const char *dir,
                    const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < size);
}

static int setup(void **state)
{
    gca_err err = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-sign-XXXXXX", 26);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->sec, sizeof f->sec, "%s/a.key", f->dir);
    snprintf(f->pub, sizeof f->pub, "%s/a.pub", f->dir);
    snprintf(f->sec2, sizeof f->sec2, "%s/b.key", f->dir);
    snprintf(f->pub2, sizeof f->pub2, "%s/b.pub", f->dir);
    if (gca_key_generate(f->sec, f->pub, &f->key, &err) < 0 ||
        gca_key_generate(f->sec2, f->pub2, &f->key2, &err) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gca_key_free(f->key);
    gca_key_free(f->key2);
    int rc = tu_rmtree(f->dir);
    free(f);
    return rc;
}

static void put_file(const char *path, const char *text, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

static const char *get_file(const char *path)
{
    static char text[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return "<absent>";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* `rc` is `code` and the message holds `text`. */
static void expect_fail(int rc, const gca_err *err, int code,
                        const char *text)
{
    if (rc != code || !strstr(err->msg, text))
        fail_msg("got %d '%s', want %d '%s'", rc, err->msg, code, text);
}

static const char PAYLOAD[] =
    "{\"edition\":\"GCI 2020\",\"framework\":\"gci\",\"scores\":[0.1,2]}";

/* A bundle of PAYLOAD signed by `key` (new, free with gca_free). */
static char *sign(const gca_key *key, size_t *len)
{
    gca_err err = {0};
    char *text = NULL;
    assert_int_equal(gca_bundle_sign(PAYLOAD, strlen(PAYLOAD), "p.json", key,
                                     &text, len, &err),
                     0);
    return text;
}

/* `text` with the first `from` replaced by `to` (new). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    memcpy(out + head, to, strlen(to));
    memcpy(out + head + strlen(to), at + strlen(from),
           strlen(at + strlen(from)) + 1);
    return out;
}

/* The string value of `"name": "` in a bundle (static copy). */
static const char *member(const char *text, const char *name)
{
    static char v[256];
    char key[64];
    snprintf(key, sizeof key, "\"%s\": \"", name);
    const char *at = strstr(text, key);
    assert_non_null(at);
    at += strlen(key);
    const char *end = strchr(at, '"');
    assert_non_null(end);
    assert_true((size_t)(end - at) < sizeof v);
    memcpy(v, at, (size_t)(end - at));
    v[end - at] = '\0';
    return v;
}

static int verify(const char *text, const gca_key *trusted, gca_err *err)
{
    gca_err_clear(err);
    return gca_bundle_verify(text, strlen(text), "b.json", trusted, NULL,
                             err);
}

/* ====== Keys ====== */

static void test_key_round_trip(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_key *s = NULL, *p = NULL;
    struct stat st;

    assert_int_equal(stat(f->sec, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(f->pub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(strncmp(get_file(f->sec), "gca-ed25519-secret-v1 ", 22),
                     0);
    assert_int_equal(strlen(get_file(f->sec)), 22 + 44 + 1);
    assert_int_equal(strncmp(get_file(f->pub), "gca-ed25519-public-v1 ", 22),
                     0);

    assert_int_equal(gca_key_load_secret(f->sec, &s, &err), 0);
    assert_int_equal(gca_key_load_public(f->pub, &p, &err), 0);
    assert_int_equal(strlen(gca_key_id(s)), GCA_KEY_ID_LEN);
    assert_string_equal(gca_key_id(s), gca_key_id(f->key));
    assert_string_equal(gca_key_id(p), gca_key_id(f->key));
    assert_string_not_equal(gca_key_id(f->key), gca_key_id(f->key2));
    assert_true(gca_key_can_sign(s));
    assert_true(gca_key_can_sign(f->key));
    assert_false(gca_key_can_sign(p));
    assert_false(gca_key_can_sign(NULL));

    /* A loaded secret key signs what its public key verifies. */
    size_t len;
    char *b = sign(s, &len);
    assert_int_equal(verify(b, p, &err), 0);
    gca_free(b);
    gca_key_free(s);
    gca_key_free(p);
    gca_key_free(NULL);
}

/* Neither file is replaced, and a refusal writes nothing at all. */
static void test_key_exists(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char sec[256], pub[256];
    char before[4096];
    memcpy(before, get_file(f->sec), sizeof before);

    path_of(pub, sizeof pub, f->dir, "new.pub");
    expect_fail(gca_key_generate(f->sec, pub, NULL, &err), &err, GCA_EIO,
                "exists; refusing to replace a key");
    assert_string_equal(err.source, f->sec);
    assert_string_equal(get_file(pub), "<absent>");
    assert_string_equal(get_file(f->sec), before);

    gca_err_clear(&err);
    path_of(sec, sizeof sec, f->dir, "new.key");
    expect_fail(gca_key_generate(sec, f->pub, NULL, &err), &err, GCA_EIO,
                "exists; refusing to replace a key");
    assert_string_equal(err.source, f->pub);
    assert_string_equal(get_file(sec), "<absent>");

    /* The same path twice: the secret key written first is taken back. */
    gca_err_clear(&err);
    expect_fail(gca_key_generate(sec, sec, NULL, &err), &err, GCA_EIO,
                "exists");
    assert_string_equal(get_file(sec), "<absent>");

    /* A directory that does not exist. */
    gca_err_clear(&err);
    path_of(sec, sizeof sec, f->dir, "none/x.key");
    path_of(pub, sizeof pub, f->dir, "none/x.pub");
    expect_fail(gca_key_generate(sec, pub, NULL, &err), &err, GCA_EIO,
                "cannot create");
}

static void test_key_mode_refused(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_key *k = NULL;
    static const mode_t modes[] = {0644, 0640, 0604, 0620, 0602};
    char text[4096];
    memcpy(text, get_file(f->sec), sizeof text);
    for (size_t i = 0; i < GCA_COUNT(modes); i++) {
        put_file(f->sec, text, modes[i]);
        gca_err_clear(&err);
        expect_fail(gca_key_load_secret(f->sec, &k, &err), &err, GCA_EPERM,
                    "secret key is open to group or others");
        assert_string_equal(err.source, f->sec);
        assert_non_null(strstr(err.msg, "chmod 600"));
        assert_null(k);
    }
    put_file(f->sec, text, 0400);
    assert_int_equal(gca_key_load_secret(f->sec, &k, &err), 0);
    assert_string_equal(gca_key_id(k), gca_key_id(f->key));
    gca_key_free(k);
    /* The mode of a public key does not matter. */
    assert_int_equal(chmod(f->pub, 0666), 0);
    assert_int_equal(gca_key_load_public(f->pub, &k, &err), 0);
    gca_key_free(k);
}

static void test_key_malformed(void **state)
{
    fixture *f = *state;
    static const struct {
        int secret;
        const char *text;
        int code, line, col;
        const char *msg;
    } cases[] = {
        {1, "", GCA_EPARSE, 1, 1, "not a gca secret key file"},
        {1, "ssh-ed25519 AAAA\n", GCA_EPARSE, 1, 1,
         "not a gca secret key file"},
        {1, "gca-ed25519-secret-v1\n", GCA_EPARSE, 1, 1,
         "not a gca secret key file"},
        {1, "gca-ed25519-public-v1 A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
            "\n",
         GCA_EPARSE, 1, 1, "holds a public key; give the secret key file"},
        {0, "gca-ed25519-secret-v1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
            "\n",
         GCA_EPARSE, 1, 1, "holds a secret key; give the public key file"},
        {1, "gca-ed25519-secret-v1 AAECAwQFBgcICQo*DA0ODxAREhMUFRYXGBkaGxwdHh8="
            "\n",
         GCA_EPARSE, 1, 38, "character 0x2a is not base64"},
        {1, "gca-ed25519-secret-v1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
            "\n",
         GCA_EPARSE, 1, 23, "key is not 32 bytes of base64 (43 characters"},
        {1, "gca-ed25519-secret-v1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\n",
         GCA_EPARSE, 1, 23, "key is not 32 bytes of base64"},
        {1, "gca-ed25519-secret-v1 ====AwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
            "\n",
         GCA_EPARSE, 1, 23, "key is not 32 bytes of base64"},
        {1, "gca-ed25519-secret-v1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
            "\nmore\n",
         GCA_EPARSE, 2, 1, "unexpected text after the key"},
        {1, "gca-ed25519-secret-v1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
            " \n",
         GCA_EPARSE, 1, 67, "character 0x20 is not base64"},
    };
    char path[256];
    path_of(path, sizeof path, f->dir, "bad.key");
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        gca_key *k = NULL;
        put_file(path, cases[i].text, 0600);
        int rc = cases[i].secret ? gca_key_load_secret(path, &k, &err)
                                 : gca_key_load_public(path, &k, &err);
        if (rc != cases[i].code || err.line != cases[i].line ||
            err.col != cases[i].col || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %d %d:%d '%s'", i, rc, err.line,
                     err.col, err.msg);
        assert_string_equal(err.source, path);
        assert_null(k);
    }

    /* Missing, a directory, too large. */
    gca_err err = {0};
    gca_key *k = NULL;
    path_of(path, sizeof path, f->dir, "missing.key");
    expect_fail(gca_key_load_public(path, &k, &err), &err, GCA_EIO,
                "cannot open");
    gca_err_clear(&err);
    expect_fail(gca_key_load_public(f->dir, &k, &err), &err, GCA_EIO,
                "is not a regular file");
    char big[5000];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    path_of(path, sizeof path, f->dir, "big.pub");
    put_file(path, big, 0644);
    gca_err_clear(&err);
    expect_fail(gca_key_load_public(path, &k, &err), &err, GCA_ETOOBIG,
                "is not a key file");
    assert_null(k);
}

/* ====== Known answer ====== */

/* Expected values computed once with Python 3 and the `cryptography`
 * package (Debian python3-cryptography, Ed25519PrivateKey
 * .from_private_bytes(bytes(range(32)))), signing b"gca-bundle/1\n" + the
 * canonical text built by scripts/verify-bundle.py, not by jansson. */
#define KAT_SEED64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KAT_PK64 "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
#define KAT_ID "56475aa75463474c"
#define KAT_SIG64                                                          \
    "6Ncy++Use8hSYOggdLuYLb8ggN5WP9wANAk3Kd8xxomqZIynD7Grv7CQSX2wnj0n/+dV" \
    "BV1T81RgCRfCNMMSCA=="
static const char KAT_PAYLOAD[] =
    "{\"edition\":\"GCI 2020\",\"framework\":\"gci\",\"audit_head\":"
    "\"5f3c0000000000000000000000000000000000000000000000000000000000aa\","
    "\"n\":3,\"scores\":[0.1,-2.5e-8,100.0,1e22],"
    "\"name\":\"C\\u00f4te d\\u2019Ivoire\",\"note\":\"tab\\there \\u001f\"}";
static const char KAT_CANON[] =
    "{\"audit_head\":"
    "\"5f3c0000000000000000000000000000000000000000000000000000000000aa\","
    "\"edition\":\"GCI 2020\",\"framework\":\"gci\",\"n\":3,"
    "\"name\":\"C\xc3\xb4te d\xe2\x80\x99Ivoire\","
    "\"note\":\"tab\\there \\u001F\","
    "\"scores\":[0.10000000000000001,-2.4999999999999999e-8,100.0,1e22]}";

static void test_known_answer(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_key *k = NULL;
    char path[256];
    path_of(path, sizeof path, f->dir, "kat.key");
    put_file(path, "gca-ed25519-secret-v1 " KAT_SEED64 "\n", 0600);
    assert_int_equal(gca_key_load_secret(path, &k, &err), 0);
    assert_string_equal(gca_key_id(k), KAT_ID);

    char *text = NULL;
    size_t len = 0;
    assert_int_equal(gca_bundle_sign(KAT_PAYLOAD, strlen(KAT_PAYLOAD), NULL,
                                     k, &text, &len, &err),
                     0);
    assert_int_equal(strlen(text), len);
    assert_int_equal(text[len - 1], '\n');
    assert_string_equal(member(text, "format"), "gca-bundle/1");
    assert_string_equal(member(text, "alg"), "ed25519");
    assert_string_equal(member(text, "key_id"), KAT_ID);
    assert_string_equal(member(text, "public_key"), KAT_PK64);
    assert_string_equal(member(text, "value"), KAT_SIG64);

    gca_bundle_info info = {0};
    assert_int_equal(gca_bundle_verify(text, len, "kat", NULL, &info, &err),
                     0);
    assert_string_equal(info.key_id, KAT_ID);
    assert_string_equal(info.payload, KAT_CANON);
    assert_int_equal(info.payload_len, strlen(KAT_CANON));
    gca_bundle_info_release(&info);
    assert_null(info.payload);
    gca_bundle_info_release(NULL);

    /* The public key file written by generate has the same form. */
    path_of(path, sizeof path, f->dir, "kat.pub");
    put_file(path, "gca-ed25519-public-v1 " KAT_PK64 "\n", 0644);
    gca_key *p = NULL;
    assert_int_equal(gca_key_load_public(path, &p, &err), 0);
    assert_string_equal(gca_key_id(p), KAT_ID);
    assert_int_equal(verify(text, p, &err), 0);
    gca_key_free(p);
    gca_free(text);
    gca_key_free(k);
}

/* ====== Bundles ====== */

static void test_sign_verify(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    size_t len;
    char *b = sign(f->key, &len);
    assert_non_null(strstr(b, "{\n  \"format\": \"gca-bundle/1\",\n"));

    gca_bundle_info info = {0};
    assert_int_equal(gca_bundle_verify(b, len, "b", f->key, &info, &err), 0);
    assert_string_equal(info.key_id, gca_key_id(f->key));
    assert_string_equal(info.payload,
                        "{\"edition\":\"GCI 2020\",\"framework\":\"gci\","
                        "\"scores\":[0.10000000000000001,2]}");
    gca_bundle_info_release(&info);
    assert_int_equal(verify(b, NULL, &err), 0);

    /* Through a file. */
    char path[256];
    path_of(path, sizeof path, f->dir, "b.json");
    put_file(path, b, 0644);
    assert_int_equal(gca_bundle_verify_file(path, NULL, &info, &err), 0);
    assert_string_equal(info.key_id, gca_key_id(f->key));
    gca_bundle_info_release(&info);

    /* Re-indenting does not matter: the payload is re-canonicalised. */
    char *flat = replace(b, "\n    \"edition\"", "\"edition\"");
    assert_int_equal(verify(flat, NULL, &err), 0);
    free(flat);
    gca_free(b);
}

static void test_tampered(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    size_t len;
    char *b = sign(f->key, &len);
    char *b2 = sign(f->key2, &len);

    /* One byte of the payload. */
    char *t = replace(b, "GCI 2020", "GCI 2021");
    expect_fail(verify(t, NULL, &err), &err, GCA_EDATA,
                "signature does not match the payload");
    assert_string_equal(err.source, "b.json");
    free(t);
    /* A number written differently but equal is the same payload. */
    t = replace(b, "0.10000000000000001", "0.1");
    assert_int_equal(verify(t, NULL, &err), 0);
    free(t);
    t = replace(b, "0.10000000000000001", "0.10000000000000002");
    expect_fail(verify(t, NULL, &err), &err, GCA_EDATA,
                "signature does not match");
    free(t);
    /* A member added to the payload. */
    t = replace(b, "\"edition\"", "\"x\": 1, \"edition\"");
    expect_fail(verify(t, NULL, &err), &err, GCA_EDATA,
                "signature does not match");
    free(t);

    /* One character of the signature (still 64 bytes of base64). */
    char sig[128];
    snprintf(sig, sizeof sig, "%s", member(b, "value"));
    char bad[128];
    memcpy(bad, sig, sizeof bad);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    t = replace(b, sig, bad);
    expect_fail(verify(t, NULL, &err), &err, GCA_EDATA,
                "signature does not match");
    free(t);

    /* The signature of another key's bundle over the same payload. */
    char sig2[128];
    snprintf(sig2, sizeof sig2, "%s", member(b2, "value"));
    t = replace(b, sig, sig2);
    expect_fail(verify(t, NULL, &err), &err, GCA_EDATA,
                "signature does not match");
    free(t);

    /* Another public key under the old key id. */
    char pk[128], pk2[128], id2[32];
    snprintf(pk, sizeof pk, "%s", member(b, "public_key"));
    snprintf(pk2, sizeof pk2, "%s", member(b2, "public_key"));
    snprintf(id2, sizeof id2, "%s", member(b2, "key_id"));
    t = replace(b, pk, pk2);
    expect_fail(verify(t, NULL, &err), &err, GCA_EDATA,
                "signature.key_id '");
    assert_non_null(strstr(err.msg, "is not the id of signature.public_key"));
    /* ... and with its key id too: the signature no longer fits. */
    char *t2 = replace(t, gca_key_id(f->key), id2);
    expect_fail(verify(t2, NULL, &err), &err, GCA_EDATA,
                "signature does not match");
    free(t2);
    free(t);

    /* A good bundle, but not from the trusted key. */
    expect_fail(verify(b, f->key2, &err), &err, GCA_EDATA,
                "not by the trusted key");
    assert_non_null(strstr(err.msg, gca_key_id(f->key)));
    assert_non_null(strstr(err.msg, gca_key_id(f->key2)));
    assert_int_equal(verify(b2, f->key2, &err), 0);
    gca_free(b);
    gca_free(b2);
}

/* Bundles whose shape is wrong, each refused with a message naming the
 * member. */
static void test_bad_shape(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    size_t len;
    char *b = sign(f->key, &len);
    char sig[128], pk[128];
    snprintf(sig, sizeof sig, "%s", member(b, "value"));
    snprintf(pk, sizeof pk, "%s", member(b, "public_key"));
    const struct {
        const char *from, *to, *msg;
    } cases[] = {
        {"gca-bundle/1", "gca-bundle/2",
         "format 'gca-bundle/2' is not supported"},
        {"\"format\": \"gca-bundle/1\"", "\"format\": 1",
         "member 'format' is missing"},
        {"\"format\"", "\"formats\"", "member 'format' is missing"},
        {"\"ed25519\"", "\"rsa\"", "signature.alg 'rsa' is not supported"},
        {"\"alg\"", "\"algo\"", "unknown member 'signature.algo'"},
        {"\"value\"", "\"val\"", "unknown member 'signature.val'"},
        {"\"format\"", "\"extra\": true, \"format\"",
         "unknown member 'extra'"},
        {"\"payload\": {", "\"payload\": [1], \"x\": {",
         "unknown member 'x'"},
        {"\"payload\"", "\"load\"", "unknown member 'load'"},
        {"\"signature\": {", "\"signature\": 5, \"s\": {",
         "unknown member 's'"},
        {"\"signature\"", "\"sig\"", "unknown member 'sig'"},
        {sig, "AAAA", "signature.value is not 64 bytes of base64"},
        {sig, "not base64!", "signature.value is not 64 bytes of base64"},
        {pk, "AAAA", "signature.public_key is not 32 bytes of base64"},
        {"\"key_id\": \"", "\"key_id\": 7, \"k\": \"",
         "unknown member 'signature.k'"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char *t = replace(b, cases[i].from, cases[i].to);
        int rc = verify(t, NULL, &err);
        if (rc != GCA_EDATA || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %d '%s', want '%s'", i, rc, err.msg,
                     cases[i].msg);
        free(t);
    }
    expect_fail(verify("{\"format\":\"gca-bundle/1\",\"payload\":[],"
                       "\"signature\":{}}",
                       NULL, &err),
                &err, GCA_EDATA, "member 'payload' is missing or not an "
                                 "object");
    expect_fail(verify("{\"format\":\"gca-bundle/1\",\"payload\":{}}", NULL,
                       &err),
                &err, GCA_EDATA, "member 'signature' is missing");
    expect_fail(verify("{\"format\":\"gca-bundle/1\",\"payload\":{},"
                       "\"signature\":{\"alg\":\"ed25519\"}}",
                       NULL, &err),
                &err, GCA_EDATA, "signature.key_id is missing");
    gca_free(b);
}

static void test_not_json(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    size_t len;
    char *b = sign(f->key, &len);

    /* Truncated: cut in the middle of the signature object. */
    b[len / 2] = '\0';
    gca_err_clear(&err);
    int rc = gca_bundle_verify(b, len / 2, "cut.json", NULL, NULL, &err);
    assert_int_equal(rc, GCA_EPARSE);
    assert_string_equal(err.source, "cut.json");
    assert_true(err.line > 1);
    gca_free(b);

    expect_fail(verify("", NULL, &err), &err, GCA_EPARSE, "");
    expect_fail(verify("hello", NULL, &err), &err, GCA_EPARSE,
                "'[' or '{' expected near 'hello'");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 5);
    expect_fail(verify("[1,2]", NULL, &err), &err, GCA_EPARSE,
                "a bundle is a JSON object");
    expect_fail(verify("{\"format\":1,\"format\":2}", NULL, &err), &err,
                GCA_EPARSE, "duplicate object key");
    /* A NUL inside the text is not JSON either. */
    gca_err_clear(&err);
    assert_int_equal(gca_bundle_verify("{}\0{}", 5, NULL, NULL, NULL, &err),
                     GCA_EPARSE);
    assert_string_equal(err.source, "bundle");

    /* Missing and huge files; the huge one is sparse and never read. */
    char path[256];
    path_of(path, sizeof path, f->dir, "missing.json");
    gca_err_clear(&err);
    expect_fail(gca_bundle_verify_file(path, NULL, NULL, &err), &err,
                GCA_EIO, "cannot open");
    path_of(path, sizeof path, f->dir, "huge.json");
    put_file(path, "{", 0644);
    assert_int_equal(truncate(path, (off_t)GCA_BUNDLE_MAX + 1), 0);
    gca_err_clear(&err);
    expect_fail(gca_bundle_verify_file(path, NULL, NULL, &err), &err,
                GCA_ETOOBIG, "bundle is larger than 268435456 bytes");
    assert_string_equal(err.source, path);
}

static void test_sign_refused(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_key *p = NULL;
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(gca_key_load_public(f->pub, &p, &err), 0);
    expect_fail(gca_bundle_sign(PAYLOAD, strlen(PAYLOAD), "p.json", p, &out,
                                &len, &err),
                &err, GCA_EINVAL, "cannot sign with a public key");
    gca_key_free(p);
    assert_null(out);

    static const struct {
        const char *text;
        int line, col;
        const char *msg;
    } cases[] = {
        {"[1]", 1, 0, "a bundle payload is a JSON object"},
        {"\"x\"", 1, 3, "'[' or '{' expected"},
        {"{\"a\":1,\n\"a\":2}", 2, 3, "duplicate object key"},
        {"{\"a\": NaN}", 1, 9, "invalid token"},
        {"{\"a\": 1", 1, 7, "'}' expected"},
        {"{\"a\": 99999999999999999999}", 1, 26, "too big integer"},
        {"", 1, 0, "end of file"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err_clear(&err);
        int rc = gca_bundle_sign(cases[i].text, strlen(cases[i].text),
                                 "p.json", f->key, &out, &len, &err);
        if (rc != GCA_EPARSE || !strstr(err.msg, cases[i].msg) ||
            err.line != cases[i].line || err.col != cases[i].col)
            fail_msg("case %zu: got %d %d:%d '%s'", i, rc, err.line,
                     err.col, err.msg);
        assert_string_equal(err.source, "p.json");
        assert_null(out);
    }
}

/* Every allocation of signing and verifying may fail: each failure is
 * GCA_ENOMEM, nothing leaks (ASan), and nothing is handed out. */
static void test_out_of_memory(void **state)
{
    fixture *f = *state;
    size_t len;
    char *b = sign(f->key, &len);
    for (long n = 1; n < 50; n++) {
        gca_err err = {0};
        char *out = NULL;
        size_t olen = 0;
        gca_bundle_info info = {0};
        gca_alloc_fail_after(n);
        int rs = gca_bundle_sign(PAYLOAD, strlen(PAYLOAD), NULL, f->key,
                                 &out, &olen, &err);
        gca_alloc_fail_after(n);
        gca_err e2 = {0};
        int rv = gca_bundle_verify(b, len, NULL, NULL, &info, &e2);
        gca_alloc_fail_after(0);
        assert_true(rs == 0 || rs == GCA_ENOMEM);
        assert_true(rv == 0 || rv == GCA_ENOMEM);
        assert_true((rs == 0) == (out != NULL));
        assert_true((rv == 0) == (info.payload != NULL));
        gca_free(out);
        gca_bundle_info_release(&info);
    }
    gca_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_round_trip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_key_exists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_mode_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_key_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
