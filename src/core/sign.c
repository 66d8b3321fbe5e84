/* sign.c - Ed25519 keys and signed bundles (gca/sign.h). The key file
 * formats, the canonical payload text and the signed message are
 * specified in docs/signing.md; Ed25519, SHA-256 and base64 are
 * libsodium's, JSON is jansson's. */
#define _POSIX_C_SOURCE 200809L
#include "gca/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fs.h"

#include "core/banned.h"

#define SECRET_TAG "gca-ed25519-secret-v1"
#define PUBLIC_TAG "gca-ed25519-public-v1"
#define BUNDLE_FORMAT "gca-bundle/1"
/* Prefixed to the payload so that a signature over a bundle can never be
 * taken for a signature over anything else. */
#define DOMAIN BUNDLE_FORMAT "\n"
#define ALG "ed25519"
/* docs/signing.md, "What is signed": jansson's compact text, keys sorted
 * by their UTF-8 bytes, non-ASCII characters written as they are. */
#define CANON_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)
#define KEY_FILE_MAX 4096
#define B64 sodium_base64_VARIANT_ORIGINAL
#define SEED_BYTES crypto_sign_SEEDBYTES
#define PK_BYTES crypto_sign_PUBLICKEYBYTES
#define SIG_BYTES crypto_sign_BYTES

struct gca_key {
    unsigned char pk[PK_BYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES]; /* seed || pk, or 0s */
    int has_secret;
    char id[GCA_KEY_ID_LEN + 1];
};

static int sodium_ready(const char *source, gca_err *err)
{
    if (sodium_init() < 0)
        return gca_fail(err, GCA_EINTERNAL, source, 0, 0,
                        "cannot initialise libsodium");
    return 0;
}

/* ====== Keys ====== */

static void key_id_of(const unsigned char pk[PK_BYTES],
                      char id[GCA_KEY_ID_LEN + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, PK_BYTES);
    sodium_bin2hex(id, GCA_KEY_ID_LEN + 1, h, GCA_KEY_ID_LEN / 2);
}

/* A new key from a seed (secret) or a public key (seed NULL). */
static gca_key *key_new(const unsigned char *seed, const unsigned char *pk)
{
    gca_key *k = gca_calloc(1, sizeof *k);
    if (!k)
        return NULL;
    if (seed) {
        crypto_sign_seed_keypair(k->pk, k->sk, seed);
        k->has_secret = 1;
    } else {
        memcpy(k->pk, pk, PK_BYTES);
    }
    key_id_of(k->pk, k->id);
    return k;
}

const char *gca_key_id(const gca_key *key)
{
    return key ? key->id : "";
}

int gca_key_can_sign(const gca_key *key)
{
    return key && key->has_secret;
}

void gca_key_free(gca_key *key)
{
    if (!key)
        return;
    sodium_memzero(key, sizeof *key);
    gca_free(key);
}

/* "TAG BASE64\n" into `out` (at least KEY_FILE_MAX bytes). */
static size_t key_text(char *out, const char *tag, const unsigned char *bin,
                       size_t n)
{
    char b64[sodium_base64_ENCODED_LEN(64, B64)];
    sodium_bin2base64(b64, sizeof b64, bin, n, B64);
    int len = snprintf(out, KEY_FILE_MAX, "%s %s\n", tag, b64);
    sodium_memzero(b64, sizeof b64);
    return (size_t)len;
}

int gca_key_generate(const char *secret_path, const char *public_path,
                     gca_key **out, gca_err *err)
{
    unsigned char seed[SEED_BYTES];
    char text[KEY_FILE_MAX];
    struct stat st;
    gca_key *k = NULL;
    int rc = sodium_ready(secret_path, err);
    if (rc < 0)
        return rc;
    /* Both checked before either is written: a refusal writes nothing. */
    if (lstat(secret_path, &st) == 0)
        return gca_fail(err, GCA_EIO, secret_path, 0, 0,
                        "exists; refusing to replace a key");
    if (lstat(public_path, &st) == 0)
        return gca_fail(err, GCA_EIO, public_path, 0, 0,
                        "exists; refusing to replace a key");
    randombytes_buf(seed, sizeof seed);
    k = key_new(seed, NULL);
    if (!k) {
        rc = gca_fail(err, GCA_ENOMEM, secret_path, 0, 0, "out of memory");
        goto out;
    }
    size_t n = key_text(text, SECRET_TAG, seed, sizeof seed);
    rc = gca_file_write_new(secret_path, text, n, 0600, err);
    if (rc < 0)
        goto out;
    n = key_text(text, PUBLIC_TAG, k->pk, PK_BYTES);
    rc = gca_file_write_new(public_path, text, n, 0644, err);
    if (rc < 0) {
        unlink(secret_path); /* ours: written just above */
        goto out;
    }
    if (out) {
        *out = k;
        k = NULL;
    }
out:
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(text, sizeof text);
    gca_key_free(k);
    return rc;
}

/* Read a key file whole into `buf` (KEY_FILE_MAX bytes) and its
 * permission bits into *mode. */
static int read_key_file(const char *path, char *buf, size_t *len,
                         unsigned *mode, gca_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot open: %s",
                        strerror(errno));
    struct stat st = {0};
    int rc = 0;
    if (fstat(fd, &st) < 0)
        rc = gca_fail(err, GCA_EIO, path, 0, 0, "cannot read: %s",
                      strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = gca_fail(err, GCA_EIO, path, 0, 0, "is not a regular file");
    else if (st.st_size >= KEY_FILE_MAX)
        rc = gca_fail(err, GCA_ETOOBIG, path, 0, 0,
                      "is not a key file: larger than %d bytes",
                      KEY_FILE_MAX - 1);
    size_t n = 0;
    while (rc == 0 && n < KEY_FILE_MAX - 1) {
        ssize_t r = read(fd, buf + n, KEY_FILE_MAX - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            rc = gca_fail(err, GCA_EIO, path, 0, 0, "cannot read: %s",
                          strerror(errno));
        else if (r == 0)
            break;
        else
            n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    *mode = (unsigned)(st.st_mode & 07777);
    return rc;
}

static int is_b64_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

/* Decode exactly `want` bytes from the base64 text `s` of `n` bytes
 * (canonical length, padded). Returns 0 or -1. */
static int b64_decode(const char *s, size_t n, unsigned char *out,
                      size_t want)
{
    size_t got = 0;
    const char *end = NULL;
    if (n != sodium_base64_ENCODED_LEN(want, B64) - 1)
        return -1;
    if (sodium_base642bin(out, want, s, n, NULL, &got, &end, B64) != 0 ||
        got != want || end != s + n)
        return -1;
    return 0;
}

/* Parse "TAG BASE64\n" holding `want` bytes into `bin`. */
static int parse_key_text(const char *path, const char *text, size_t len,
                          const char *tag, const char *what,
                          unsigned char *bin, gca_err *err)
{
    const char *other = strcmp(tag, SECRET_TAG) ? SECRET_TAG : PUBLIC_TAG;
    size_t tlen = strlen(tag);
    if (len >= tlen && !memcmp(text, other, tlen))
        return gca_fail(err, GCA_EPARSE, path, 1, 1,
                        "holds a %s key; give the %s key file",
                        strcmp(tag, SECRET_TAG) ? "secret" : "public", what);
    if (len <= tlen || memcmp(text, tag, tlen) || text[tlen] != ' ')
        return gca_fail(err, GCA_EPARSE, path, 1, 1,
                        "not a gca %s key file: want '%s ' and the key in "
                        "base64",
                        what, tag);
    const char *b64 = text + tlen + 1;
    const char *nl = memchr(b64, '\n', len - tlen - 1);
    size_t n = nl ? (size_t)(nl - b64) : len - tlen - 1;
    if (nl && (size_t)(nl + 1 - text) != len)
        return gca_fail(err, GCA_EPARSE, path, 2, 1,
                        "unexpected text after the key");
    for (size_t i = 0; i < n; i++)
        if (!is_b64_char(b64[i]))
            return gca_fail(err, GCA_EPARSE, path, 1, (int)(tlen + 2 + i),
                            "character 0x%02x is not base64",
                            (unsigned char)b64[i]);
    if (b64_decode(b64, n, bin, 32) < 0)
        return gca_fail(err, GCA_EPARSE, path, 1, (int)(tlen + 2),
                        "key is not 32 bytes of base64 (%zu characters, "
                        "want 44)",
                        n);
    return 0;
}

static int load_key(const char *path, int secret, gca_key **out,
                    gca_err *err)
{
    char text[KEY_FILE_MAX];
    unsigned char bin[32];
    size_t len = 0;
    unsigned mode = 0;
    int rc = sodium_ready(path, err);
    if (rc == 0)
        rc = read_key_file(path, text, &len, &mode, err);
    if (rc == 0)
        rc = parse_key_text(path, text, len, secret ? SECRET_TAG : PUBLIC_TAG,
                            secret ? "secret" : "public", bin, err);
    /* Checked once the file is known to be a secret key, so that a public
     * key given by mistake is named as such. */
    if (rc == 0 && secret && (mode & 077))
        rc = gca_fail(err, GCA_EPERM, path, 0, 0,
                      "secret key is open to group or others (mode %04o); "
                      "run 'chmod 600' on it",
                      mode);
    if (rc == 0) {
        gca_key *k = secret ? key_new(bin, NULL) : key_new(NULL, bin);
        if (k)
            *out = k;
        else
            rc = gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
    }
    sodium_memzero(text, sizeof text);
    sodium_memzero(bin, sizeof bin);
    return rc;
}

int gca_key_load_secret(const char *path, gca_key **out, gca_err *err)
{
    return load_key(path, 1, out, err);
}

int gca_key_load_public(const char *path, gca_key **out, gca_err *err)
{
    return load_key(path, 0, out, err);
}

/* ====== Canonical text and message ====== */

/* jansson's dump of `j` with `flags`, into memory of our allocator (new,
 * NUL-terminated, `extra` spare bytes before the NUL are left for the
 * caller). Returns NULL when memory runs out. */
static char *dump(const json_t *j, size_t flags, size_t extra, size_t *len)
{
    size_t n = json_dumpb(j, NULL, 0, flags);
    if (n == 0)
        return NULL;
    char *s = gca_malloc(n + extra + 1);
    if (!s)
        return NULL;
    if (json_dumpb(j, s, n, flags) != n) {
        gca_free(s);
        return NULL;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

/* The signed message: DOMAIN then the canonical payload (new). */
static unsigned char *message_of(const char *canon, size_t clen,
                                 size_t *mlen)
{
    size_t dlen = sizeof DOMAIN - 1;
    unsigned char *m = gca_malloc(dlen + clen);
    if (!m)
        return NULL;
    memcpy(m, DOMAIN, dlen);
    memcpy(m + dlen, canon, clen);
    *mlen = dlen + clen;
    return m;
}

/* ====== Signing ====== */

static int set_str(json_t *obj, const char *key, const char *value)
{
    return json_object_set_new(obj, key, json_string(value));
}

/* The bundle object around `payload` (borrowed) and its signature. */
static json_t *bundle_object(json_t *payload, const gca_key *key,
                             const unsigned char sig[SIG_BYTES])
{
    char pk64[sodium_base64_ENCODED_LEN(PK_BYTES, B64)];
    char sig64[sodium_base64_ENCODED_LEN(SIG_BYTES, B64)];
    sodium_bin2base64(pk64, sizeof pk64, key->pk, PK_BYTES, B64);
    sodium_bin2base64(sig64, sizeof sig64, sig, SIG_BYTES, B64);
    json_t *b = json_object();
    json_t *s = json_object();
    if (!b || !s || set_str(s, "alg", ALG) || set_str(s, "key_id", key->id) ||
        set_str(s, "public_key", pk64) || set_str(s, "value", sig64) ||
        set_str(b, "format", BUNDLE_FORMAT) ||
        json_object_set(b, "payload", payload) ||
        json_object_set(b, "signature", s)) {
        json_decref(b);
        json_decref(s);
        return NULL;
    }
    json_decref(s);
    return b;
}

int gca_bundle_sign(const char *payload_json, size_t len, const char *source,
                    const gca_key *key, char **out, size_t *out_len,
                    gca_err *err)
{
    json_error_t jerr;
    json_t *payload = NULL, *bundle = NULL;
    char *canon = NULL, *text = NULL;
    unsigned char *msg = NULL;
    unsigned char sig[SIG_BYTES];
    size_t clen = 0, mlen = 0, tlen = 0;
    int rc;

    if (!source)
        source = "payload";
    if (!gca_key_can_sign(key))
        return gca_fail(err, GCA_EINVAL, source, 0, 0,
                        "cannot sign with a public key; give the secret key");
    if (len > GCA_BUNDLE_MAX)
        return gca_fail(err, GCA_ETOOBIG, source, 0, 0,
                        "payload is larger than %u bytes", GCA_BUNDLE_MAX);
    rc = sodium_ready(source, err);
    if (rc < 0)
        return rc;
    payload = json_loadb(payload_json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!payload)
        return gca_fail(err, GCA_EPARSE, source,
                        jerr.line > 0 ? jerr.line : 0,
                        jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
    if (!json_is_object(payload)) {
        rc = gca_fail(err, GCA_EPARSE, source, 1, 0,
                      "a bundle payload is a JSON object");
        goto out;
    }
    canon = dump(payload, CANON_FLAGS, 0, &clen);
    msg = canon ? message_of(canon, clen, &mlen) : NULL;
    if (!msg) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto out;
    }
    crypto_sign_detached(sig, NULL, msg, mlen, key->sk);
    bundle = bundle_object(payload, key, sig);
    text = bundle ? dump(bundle, JSON_INDENT(2) | JSON_SORT_KEYS, 1, &tlen)
                  : NULL;
    if (!text) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto out;
    }
    text[tlen++] = '\n';
    text[tlen] = '\0';
    /* What we hand out must verify: a payload that did not survive the
     * round trip through its own text would be caught here, not by the
     * first reader. */
    rc = gca_bundle_verify(text, tlen, source, key, NULL, err);
    if (rc < 0 && rc != GCA_ENOMEM)
        rc = GCA_EINTERNAL;
    if (rc < 0)
        goto out;
    *out = text;
    *out_len = tlen;
    text = NULL;
out:
    gca_free(text);
    gca_free(msg);
    gca_free(canon);
    json_decref(bundle);
    json_decref(payload);
    return rc;
}

/* ====== Verifying ====== */

void gca_bundle_info_release(gca_bundle_info *info)
{
    if (!info)
        return;
    gca_free(info->payload);
    memset(info, 0, sizeof *info);
}

/* 1 if every member of `obj` is one of the NULL-terminated `names`;
 * otherwise 0 with *bad naming the first stranger. */
static int only_members(json_t *obj, const char *const *names,
                        const char **bad)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        size_t i = 0;
        while (names[i] && strcmp(names[i], k))
            i++;
        if (!names[i]) {
            *bad = k;
            return 0;
        }
    }
    return 1;
}

/* String member `name` of `obj`, or NULL. */
static const char *str_member(json_t *obj, const char *name)
{
    return json_string_value(json_object_get(obj, name));
}

/* The public key and signature of the "signature" object, checked for
 * shape and for a key_id that is the public key's. */
static int read_signature(json_t *root, const char *source,
                          unsigned char pk[PK_BYTES],
                          unsigned char sig[SIG_BYTES], gca_err *err)
{
    static const char *const names[] = {"alg", "key_id", "public_key",
                                        "value", NULL};
    json_t *s = json_object_get(root, "signature");
    const char *bad = NULL;
    if (!json_is_object(s))
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "member 'signature' is missing or not an object");
    if (!only_members(s, names, &bad))
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "unknown member 'signature.%s' (want alg, key_id, "
                        "public_key and value)",
                        bad);
    const char *alg = str_member(s, "alg");
    const char *id = str_member(s, "key_id");
    const char *pk64 = str_member(s, "public_key");
    const char *sig64 = str_member(s, "value");
    if (!alg || !id || !pk64 || !sig64)
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "signature.%s is missing or not a string",
                        !alg ? "alg" : !id ? "key_id" : !pk64 ? "public_key"
                                                              : "value");
    if (strcmp(alg, ALG))
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "signature.alg '%.64s' is not supported (want '"
                        ALG "')",
                        alg);
    if (b64_decode(pk64, strlen(pk64), pk, PK_BYTES) < 0)
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "signature.public_key is not %d bytes of base64",
                        PK_BYTES);
    if (b64_decode(sig64, strlen(sig64), sig, SIG_BYTES) < 0)
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "signature.value is not %d bytes of base64",
                        SIG_BYTES);
    char want[GCA_KEY_ID_LEN + 1];
    key_id_of(pk, want);
    if (strcmp(id, want))
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "signature.key_id '%.64s' is not the id of "
                        "signature.public_key (%s)",
                        id, want);
    return 0;
}

/* Format, members and signature of a parsed bundle; *canon gets the
 * payload's canonical text on success. */
static int check_bundle(json_t *root, const char *source,
                        const gca_key *trusted, char *id, char **canon,
                        size_t *clen, gca_err *err)
{
    static const char *const names[] = {"format", "payload", "signature",
                                        NULL};
    unsigned char pk[PK_BYTES], sig[SIG_BYTES];
    const char *bad = NULL;
    if (!json_is_object(root))
        return gca_fail(err, GCA_EPARSE, source, 1, 0,
                        "a bundle is a JSON object");
    const char *format = str_member(root, "format");
    if (!format)
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "member 'format' is missing or not a string; not a "
                        "gca bundle");
    if (strcmp(format, BUNDLE_FORMAT))
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "format '%.64s' is not supported (want '"
                        BUNDLE_FORMAT "')",
                        format);
    if (!only_members(root, names, &bad))
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "unknown member '%.64s' (a bundle has format, "
                        "payload and signature)",
                        bad);
    json_t *payload = json_object_get(root, "payload");
    if (!json_is_object(payload))
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "member 'payload' is missing or not an object");
    int rc = read_signature(root, source, pk, sig, err);
    if (rc < 0)
        return rc;
    key_id_of(pk, id);
    size_t mlen = 0;
    *canon = dump(payload, CANON_FLAGS, 0, clen);
    unsigned char *msg = *canon ? message_of(*canon, *clen, &mlen) : NULL;
    if (!msg)
        return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    rc = crypto_sign_verify_detached(sig, msg, mlen, pk);
    gca_free(msg);
    if (rc != 0)
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "signature does not match the payload (key %s): "
                        "the bundle was changed after signing",
                        id);
    if (trusted && sodium_memcmp(pk, trusted->pk, PK_BYTES) != 0)
        return gca_fail(err, GCA_EDATA, source, 0, 0,
                        "signed by key %s, not by the trusted key %s", id,
                        trusted->id);
    return 0;
}

int gca_bundle_verify(const char *text, size_t len, const char *source,
                      const gca_key *trusted, gca_bundle_info *info,
                      gca_err *err)
{
    json_error_t jerr;
    char id[GCA_KEY_ID_LEN + 1];
    char *canon = NULL;
    size_t clen = 0;

    if (info)
        memset(info, 0, sizeof *info);
    if (!source)
        source = "bundle";
    if (len > GCA_BUNDLE_MAX)
        return gca_fail(err, GCA_ETOOBIG, source, 0, 0,
                        "bundle is larger than %u bytes", GCA_BUNDLE_MAX);
    int rc = sodium_ready(source, err);
    if (rc < 0)
        return rc;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return gca_fail(err, GCA_EPARSE, source,
                        jerr.line > 0 ? jerr.line : 0,
                        jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
    rc = check_bundle(root, source, trusted, id, &canon, &clen, err);
    json_decref(root);
    if (rc == 0 && info) {
        memcpy(info->key_id, id, sizeof id);
        info->payload = canon;
        info->payload_len = clen;
        canon = NULL;
    }
    gca_free(canon);
    return rc;
}

int gca_bundle_verify_file(const char *path, const gca_key *trusted,
                           gca_bundle_info *info, gca_err *err)
{
    struct stat st;
    if (info)
        memset(info, 0, sizeof *info);
    /* Refuse a huge file before reading any of it. */
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > GCA_BUNDLE_MAX)
        return gca_fail(err, GCA_ETOOBIG, path, 0, 0,
                        "bundle is larger than %u bytes", GCA_BUNDLE_MAX);
    gca_buf text = GCA_BUF_INIT(GCA_BUNDLE_MAX);
    int rc = gca_file_read(path, &text, err);
    if (rc == 0)
        rc = gca_bundle_verify(gca_buf_str(&text), text.len, path, trusted,
                               info, err);
    gca_buf_release(&text);
    return rc;
}
