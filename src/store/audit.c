/* audit.c - the hash-chained audit log (gca/audit.h, store/audit.h):
 * appending an event inside the caller's transaction, walking the chain
 * to find the first broken link, and listing events. The bytes hashed
 * are specified in docs/audit.md ("The hash recipe"); SHA-256 is
 * libsodium's crypto_hash_sha256. */
#define _POSIX_C_SOURCE 200809L
#include "store/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/str.h"

#include "core/banned.h"

#define HASH_HEX 64
#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Canonical events are capped: the payload plus the short columns. */
#define MAX_CANONICAL (GCA_AUDIT_MAX_PAYLOAD + 8 * 1024)

int gca__store_sodium_init(gca_store *st, gca_err *err)
{
    /* 0 = initialised now, 1 = already; sodium serialises the first
     * call itself. */
    if (sodium_init() < 0)
        return gca_fail(err, GCA_EINTERNAL, st->path, 0, 0,
                        "cannot initialise libsodium");
    return 0;
}

/* ====== The canonical event ====== */

/* Append `s` as a JSON string the way jansson writes it without
 * JSON_ENSURE_ASCII: \" and \\ escaped, UTF-8 copied as it is. Control
 * characters are refused on the way in; one read back from a tampered
 * row is escaped as jansson would (\n, \u001F), which keeps the bytes
 * well defined, and cannot match the hash anyway. */
static void canon_string(gca_buf *b, const char *s)
{
    gca_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            gca_buf_puts(b, "\\\"");
            break;
        case '\\':
            gca_buf_puts(b, "\\\\");
            break;
        case '\b':
            gca_buf_puts(b, "\\b");
            break;
        case '\f':
            gca_buf_puts(b, "\\f");
            break;
        case '\n':
            gca_buf_puts(b, "\\n");
            break;
        case '\r':
            gca_buf_puts(b, "\\r");
            break;
        case '\t':
            gca_buf_puts(b, "\\t");
            break;
        default:
            if (*p < 0x20)
                gca_buf_printf(b, "\\u%04X", *p);
            else
                gca_buf_putc(b, (char)*p);
        }
    }
    gca_buf_putc(b, '"');
}

int gca__audit_canonical(gca_buf *out, const gca_audit_event *ev)
{
    /* Keys in byte order, no blanks: jansson's JSON_COMPACT |
     * JSON_SORT_KEYS of the same object, with the stored payload text as
     * "data", copied verbatim. */
    gca_buf_reset(out);
    gca_buf_puts(out, "{\"action\":");
    canon_string(out, ev->action ? ev->action : "");
    gca_buf_puts(out, ",\"actor\":");
    canon_string(out, ev->actor ? ev->actor : "");
    gca_buf_puts(out, ",\"at\":");
    canon_string(out, ev->at ? ev->at : "");
    gca_buf_puts(out, ",\"data\":");
    gca_buf_puts(out, ev->payload ? ev->payload : "");
    gca_buf_puts(out, ",\"object\":");
    canon_string(out, ev->object ? ev->object : "");
    gca_buf_printf(out, ",\"seq\":%lld}", ev->seq);
    return gca_buf_error(out);
}

/* 1 if `hex` is 64 lower-case hex digits. */
static int is_hash_hex(const char *hex)
{
    if (!hex || strlen(hex) != HASH_HEX)
        return 0;
    for (const char *p = hex; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

/* hex(SHA-256(bytes of `prev_hex` || canonical event)) into out[65].
 * Returns 0, GCA_EDATA when `prev_hex` is not a hash, or the buffer's
 * error. */
static int hash_event(gca_buf *canon, const gca_audit_event *ev,
                      char out[HASH_HEX + 1])
{
    unsigned char prev[crypto_hash_sha256_BYTES];
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state state;

    if (!is_hash_hex(ev->prev_hash) ||
        sodium_hex2bin(prev, sizeof prev, ev->prev_hash, HASH_HEX, NULL,
                       NULL, NULL) != 0)
        return GCA_EDATA;
    int rc = gca__audit_canonical(canon, ev);
    if (rc < 0)
        return rc;
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, prev, sizeof prev);
    crypto_hash_sha256_update(&state, (const unsigned char *)canon->ptr,
                              canon->len);
    crypto_hash_sha256_final(&state, h);
    sodium_bin2hex(out, HASH_HEX + 1, h, sizeof h);
    return 0;
}

/* ====== Appending ====== */

/* Why `s` cannot be a text column of an event, NULL if it can. */
static const char *text_problem(const char *s, size_t max)
{
    if (!s || !*s)
        return "is empty";
    size_t n = strlen(s);
    if (n > max)
        return "is too long";
    if (gca_utf8_valid_prefix(s, n) != n)
        return "is not valid UTF-8";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "contains a control character";
    return NULL;
}

static const char *action_problem(const char *s)
{
    const char *why = text_problem(s, GCA_AUDIT_MAX_ACTION);
    if (why)
        return why;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_'))
            return "may hold only a-z, 0-9, '.' and '_'";
    return NULL;
}

void gca__sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, HASH_HEX + 1, h, sizeof h);
}

int gca__store_time_at(gca_store *st, long ahead, char out[32],
                       gca_err *err)
{
    time_t t = time(NULL);
    struct tm tm;
    if (t != (time_t)-1)
        t += ahead;
    if (t == (time_t)-1 || !gmtime_r(&t, &tm) ||
        !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return gca_fail(err, GCA_EINTERNAL, st->path, 0, 0,
                        "cannot read the clock");
    return 0;
}

int gca__store_now(gca_store *st, char out[32], gca_err *err)
{
    return gca__store_time_at(st, 0, out, err);
}

/* `data` as canonical JSON text, new (gca_free). jansson sizes it first
 * so that the copy comes from gca_malloc. */
static int dump_payload(gca_store *st, const json_t *data, char **out,
                        gca_err *err)
{
    const size_t flags = JSON_COMPACT | JSON_SORT_KEYS;
    if (!data) {
        *out = gca_strdup("{}");
        return *out ? 0 : gca_fail(err, GCA_ENOMEM, st->path, 0, 0,
                                   "out of memory");
    }
    if (!json_is_object(data))
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "audit event data must be a JSON object");
    size_t n = json_dumpb(data, NULL, 0, flags);
    if (n == 0)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    if (n > GCA_AUDIT_MAX_PAYLOAD)
        return gca_fail(err, GCA_ETOOBIG, st->path, 0, 0,
                        "audit event data is %zu bytes, more than %d", n,
                        GCA_AUDIT_MAX_PAYLOAD);
    char *text = gca_malloc(n + 1);
    if (!text)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    if (json_dumpb(data, text, n, flags) != n) {
        gca_free(text);
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    }
    text[n] = '\0';
    *out = text;
    return 0;
}

/* The newest event's seq and hash (0 and the genesis hash if none). */
static int read_head(gca_store *st, long long *seq, char hash[HASH_HEX + 1],
                     gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT seq, hash FROM audit_events "
                             "ORDER BY seq DESC LIMIT 1",
                             &s, err);
    if (rc < 0)
        return rc;
    *seq = 0;
    memcpy(hash, GENESIS, HASH_HEX + 1);
    rc = st->be->step(s, err);
    if (rc > 0) {
        const char *h = st->be->col_text(s, 1);
        *seq = st->be->col_int(s, 0);
        /* A head that is not a hash is damage that verify reports;
         * chaining onto it would only hide where it happened. */
        if (!is_hash_hex(h))
            rc = gca_fail(err, GCA_EDATA, st->path, 0, 0,
                          "audit event %lld: hash is malformed; run 'gca "
                          "audit verify'",
                          *seq);
        else
            memcpy(hash, h, HASH_HEX + 1);
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

static int insert_event(gca_store *st, const gca_audit_event *ev,
                        gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "INSERT INTO audit_events (seq, at, actor, "
                             "action, object, payload, prev_hash, hash) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, ev->seq);
    st->be->bind_text(s, 2, ev->at);
    st->be->bind_text(s, 3, ev->actor);
    st->be->bind_text(s, 4, ev->action);
    st->be->bind_text(s, 5, ev->object);
    st->be->bind_text(s, 6, ev->payload);
    st->be->bind_text(s, 7, ev->prev_hash);
    st->be->bind_text(s, 8, ev->hash);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

int gca__audit_append(gca_store *st, const char *actor, const char *action,
                      const char *object, const json_t *data, gca_err *err)
{
    gca_buf canon = GCA_BUF_INIT(MAX_CANONICAL);
    char at[32], prev[HASH_HEX + 1], hash[HASH_HEX + 1];
    char *payload = NULL;
    const char *why;
    long long head = 0;
    int rc;

    /* Outside a transaction the event could commit without its change,
     * or two writers could chain onto the same head. */
    if (!st->be->in_tx(st->conn))
        return gca_fail(err, GCA_EINTERNAL, st->path, 0, 0,
                        "audit event '%s' appended outside a transaction",
                        action ? action : "");
    why = text_problem(actor, GCA_AUDIT_MAX_ACTOR);
    if (why)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "audit event actor %s", why);
    why = action_problem(action);
    if (why)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "audit event action '%s' %s", action ? action : "",
                        why);
    why = text_problem(object, GCA_AUDIT_MAX_OBJECT);
    if (why)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "audit event object %s", why);
    rc = gca__store_sodium_init(st, err);
    if (rc == 0)
        rc = gca__store_now(st, at, err);
    if (rc == 0)
        rc = dump_payload(st, data, &payload, err);
    if (rc == 0)
        rc = read_head(st, &head, prev, err);
    if (rc < 0)
        goto out;

    gca_audit_event ev = {
        .seq = head + 1,
        .at = at,
        .actor = actor,
        .action = action,
        .object = object,
        .payload = payload,
        .prev_hash = prev,
        .hash = hash,
    };
    rc = hash_event(&canon, &ev, hash);
    if (rc < 0) {
        rc = gca_fail(err, rc, st->path, 0, 0,
                      rc == GCA_ENOMEM ? "out of memory"
                                       : "audit event too large");
        goto out;
    }
    rc = insert_event(st, &ev, err);
out:
    gca_free(payload);
    gca_buf_release(&canon);
    return rc;
}

/* ====== Walking the chain ====== */

#define EVENT_COLUMNS \
    "seq, at, actor, action, object, payload, prev_hash, hash"

static void read_event(gca_store *st, gca__stmt *s, gca_audit_event *ev)
{
    ev->seq = st->be->col_int(s, 0);
    ev->at = st->be->col_text(s, 1);
    ev->actor = st->be->col_text(s, 2);
    ev->action = st->be->col_text(s, 3);
    ev->object = st->be->col_text(s, 4);
    ev->payload = st->be->col_text(s, 5);
    ev->prev_hash = st->be->col_text(s, 6);
    ev->hash = st->be->col_text(s, 7);
}

/* Judge one event given its predecessor's seq and hash. Returns 0 if it
 * links, GCA_EDATA with *err naming it if not, or another GCA_E*. */
static int check_link(gca_store *st, gca_buf *canon, const gca_audit_event *ev,
                      long long prev_seq, const char *prev_hash,
                      gca_err *err)
{
    char want[HASH_HEX + 1];

    if (ev->seq != prev_seq + 1) {
        if (ev->seq > prev_seq + 1)
            return gca_fail(err, GCA_EDATA, st->path, 0, 0,
                            "audit event %lld: event %lld before it is "
                            "missing (deleted or renumbered)",
                            ev->seq, prev_seq + 1);
        return gca_fail(err, GCA_EDATA, st->path, 0, 0,
                        "audit event %lld: out of sequence (expected %lld)",
                        ev->seq, prev_seq + 1);
    }
    if (!ev->prev_hash || strcmp(ev->prev_hash, prev_hash) != 0) {
        if (prev_seq == 0)
            return gca_fail(err, GCA_EDATA, st->path, 0, 0,
                            "audit event %lld: prev_hash is not the genesis "
                            "value (64 zeros)",
                            ev->seq);
        return gca_fail(err, GCA_EDATA, st->path, 0, 0,
                        "audit event %lld: prev_hash does not match the hash "
                        "of event %lld (an event was changed, removed or "
                        "moved)",
                        ev->seq, prev_seq);
    }
    int rc = hash_event(canon, ev, want);
    if (rc == GCA_ENOMEM)
        return gca_fail(err, rc, st->path, 0, 0, "out of memory");
    if (rc < 0 || !ev->hash || strcmp(ev->hash, want) != 0)
        return gca_fail(err, GCA_EDATA, st->path, 0, 0,
                        "audit event %lld: hash does not match the event's "
                        "content (a column was changed)",
                        ev->seq);
    return 0;
}

int gca_audit_verify(gca_store *st, gca_audit_result *out, gca_err *err)
{
    gca_buf canon = GCA_BUF_INIT(MAX_CANONICAL);
    gca_audit_result res;
    gca__stmt *s = NULL;

    memset(&res, 0, sizeof res);
    memcpy(res.head_hash, GENESIS, HASH_HEX + 1);
    int rc = gca__store_sodium_init(st, err);
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "SELECT " EVENT_COLUMNS " FROM audit_events "
                             "ORDER BY seq",
                             &s, err);
    /* One statement reads one snapshot, so a writer appending meanwhile
     * cannot make a good chain look broken. */
    while (rc == 0 && (rc = st->be->step(s, err)) > 0) {
        gca_audit_event ev;
        read_event(st, s, &ev);
        res.events++;
        rc = check_link(st, &canon, &ev, res.head_seq, res.head_hash, err);
        if (rc == GCA_EDATA)
            res.first_bad_seq = ev.seq;
        if (rc < 0)
            break;
        res.head_seq = ev.seq;
        memcpy(res.head_hash, ev.hash, HASH_HEX + 1);
    }
    st->be->finalize(s);
    gca_buf_release(&canon);
    if (out)
        *out = res;
    return rc < 0 ? rc : 0;
}

/* ====== Listing ====== */

/* 1 if the payload's member "country" is the string `iso3`. */
static int payload_country_is(const char *payload, const char *iso3,
                              int *yes)
{
    json_error_t jerr;
    json_t *j = json_loads(payload ? payload : "", 0, &jerr);
    if (!j) {
        *yes = 0;
        /* A payload that is not JSON never matches; verify reports it. */
        return json_error_code(&jerr) == json_error_out_of_memory
                   ? GCA_ENOMEM
                   : 0;
    }
    const char *c = json_string_value(json_object_get(j, "country"));
    *yes = c && !strcmp(c, iso3);
    json_decref(j);
    return 0;
}

int gca_audit_list(gca_store *st, const gca_audit_filter *filter,
                   gca_audit_fn fn, void *ctx, gca_err *err)
{
    static const gca_audit_filter all = {0};
    const gca_audit_filter *f = filter ? filter : &all;
    gca__stmt *s = NULL;

    /* Text comparisons in SQL use only what PostgreSQL has too. */
    int rc = st->be->prepare(st->conn,
                             "SELECT " EVENT_COLUMNS " FROM audit_events "
                             "WHERE seq > ? "
                             "AND (? IS NULL OR actor = ?) "
                             "AND (? IS NULL OR "
                             "substr(object, 1, length(?)) = ?) "
                             "AND (? IS NULL OR at >= ?) "
                             "ORDER BY seq",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, f->after_seq);
    for (int i = 2; i <= 3; i++)
        st->be->bind_text(s, i, f->actor);
    for (int i = 4; i <= 6; i++)
        st->be->bind_text(s, i, f->object_prefix);
    for (int i = 7; i <= 8; i++)
        st->be->bind_text(s, i, f->since);
    while ((rc = st->be->step(s, err)) > 0) {
        gca_audit_event ev;
        read_event(st, s, &ev);
        if (f->country) {
            int yes = 0;
            rc = payload_country_is(ev.payload, f->country, &yes);
            if (rc < 0) {
                rc = gca_fail(err, rc, st->path, 0, 0, "out of memory");
                break;
            }
            if (!yes)
                continue;
        }
        rc = fn(&ev, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}
