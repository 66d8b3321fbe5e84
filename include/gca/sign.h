/* gca/sign.h - Ed25519 signing keys and signed bundles: one JSON file that
 * holds a payload (published results, the audit head) and its signature,
 * checkable offline by anyone. The key file formats, the exact bytes
 * signed and how to re-verify a bundle without gca are in
 * docs/signing.md. The payload crosses this API as JSON text, so that
 * the header needs no JSON library. */
#ifndef GCA_SIGN_H
#define GCA_SIGN_H

#include "gca/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bundles, and payloads given to gca_bundle_sign, larger than this are
 * refused (GCA_ETOOBIG). */
#define GCA_BUNDLE_MAX (256u * 1024u * 1024u)
/* Key ids are this many lower-case hex digits: the start of the SHA-256
 * of the 32-byte public key. */
#define GCA_KEY_ID_LEN 16

/* ====== Keys ====== */

/* An Ed25519 key pair, or a public key alone. Opaque; the secret part is
 * wiped when the key is freed. */
typedef struct gca_key gca_key;

/* Make a new random key pair and write it: the secret key (its seed) to
 * `secret_path` with mode 0600, the public key to `public_path`. Each is
 * written under a temporary name and linked into place, so that neither
 * replaces an existing file: if either path exists, nothing is written
 * (GCA_EIO naming it). Returns 0 and, when `out` is not NULL, sets *out
 * to the new key (free with gca_key_free); or a negative GCA_E* with
 * *err filled, no file left behind and *out untouched. */
GCA_API int gca_key_generate(const char *secret_path, const char *public_path,
                             gca_key **out, gca_err *err);

/* Load a secret key file ("gca-ed25519-secret-v1 BASE64\n"). A file that
 * group or others may read or write is refused (GCA_EPERM), as ssh
 * does. Returns 0 and sets *out to a new key (free with gca_key_free),
 * or a negative GCA_E* with *err naming the file, line and column. */
GCA_API int gca_key_load_secret(const char *path, gca_key **out,
                                gca_err *err);
/* Load a public key file ("gca-ed25519-public-v1 BASE64\n"); as
 * gca_key_load_secret, without the mode check. The key cannot sign. */
GCA_API int gca_key_load_public(const char *path, gca_key **out,
                                gca_err *err);

/* The key id, GCA_KEY_ID_LEN hex digits; borrowed until the key is
 * freed. */
GCA_API const char *gca_key_id(const gca_key *key);
/* 1 if `key` holds the secret part (loaded from a secret key file or
 * generated), 0 if it is a public key only. */
GCA_API int gca_key_can_sign(const gca_key *key);
/* Wipe the secret part and free the key. NULL is a no-op. */
GCA_API void gca_key_free(gca_key *key);

/* ====== Bundles ====== */

/* Sign the JSON object in `payload_json` (`len` bytes, UTF-8; `source`
 * names it in errors, may be NULL) with `key`. The signed message is
 * "gca-bundle/1\n" followed by the payload's canonical text
 * (docs/signing.md, "What is signed"). Returns 0 and sets *out to the
 * bundle text, indented for people and ending with a newline (new; free
 * with gca_free), and *out_len to its length; or GCA_EPARSE (payload is
 * not JSON, or not an object), GCA_ETOOBIG, GCA_EINVAL (key cannot sign)
 * or GCA_ENOMEM with *err filled and *out untouched. */
GCA_API int gca_bundle_sign(const char *payload_json, size_t len,
                            const char *source, const gca_key *key,
                            char **out, size_t *out_len, gca_err *err);

/* What a good bundle holds. Zero-initialise; release with
 * gca_bundle_info_release. */
typedef struct gca_bundle_info {
    char key_id[GCA_KEY_ID_LEN + 1]; /* the key that signed it */
    char *payload;      /* the payload's canonical JSON text (new) */
    size_t payload_len;
} gca_bundle_info;

/* Free what `info` holds and zero it. */
GCA_API void gca_bundle_info_release(gca_bundle_info *info);

/* Check a bundle: `text` of `len` bytes is parsed (GCA_EPARSE with the
 * line and column of malformed JSON; GCA_ETOOBIG past GCA_BUNDLE_MAX),
 * must have exactly the members "format" ("gca-bundle/1"), "payload" (an
 * object) and "signature" (alg "ed25519", key_id, public_key, value),
 * its key_id must be that of its public_key and the signature must hold
 * for the payload's canonical text (GCA_EDATA naming the member or
 * "signature does not match"). When `trusted` is not NULL, the bundle
 * must also be signed by that key (GCA_EDATA naming both ids). `source`
 * names the bundle in errors (may be NULL). Returns 0 and fills `info`
 * (may be NULL); on failure `info` is left zeroed. */
GCA_API int gca_bundle_verify(const char *text, size_t len,
                              const char *source, const gca_key *trusted,
                              gca_bundle_info *info, gca_err *err);
/* gca_bundle_verify on the file at `path`. */
GCA_API int gca_bundle_verify_file(const char *path, const gca_key *trusted,
                                   gca_bundle_info *info, gca_err *err);

#ifdef __cplusplus
}
#endif
#endif
