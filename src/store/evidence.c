/* evidence.c - evidence for answers (gca/workflow.h, "Evidence"): URLs
 * with the day they were read, and files kept in the blob directory
 * under their SHA-256 (docs/evidence.md). A file is read (bounded),
 * sniffed and hashed before the write transaction; inside it every
 * database check runs first, then the blob file is written and synced,
 * then the rows and the audit event. A crash between the blob and the
 * commit leaves an orphan blob: harmless, since a file is named by its
 * content, and the next add of the same content reuses it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/mime.h"
#include "core/str.h"
#include "store/audit.h"
#include "store/workflow.h"

#include "core/banned.h"

#define URL_MAX 2048      /* bytes, as the evidence table allows */
#define FILE_NAME_MAX 255 /* bytes of the name kept, as the table allows */
#define PATH_MAX_LEN 4096 /* bytes of a blob path */

/* ====== Settings ====== */

int gca_store_set_blob_dir(gca_store *st, const char *dir, gca_err *err)
{
    if (!dir || !*dir)
        return gca_fail(err, GCA_EINVAL, "blobs", 0, 0,
                        "no blob directory given");
    if (strlen(dir) > PATH_MAX_LEN - 128)
        return gca_fail(err, GCA_EINVAL, "blobs", 0, 0,
                        "blob directory name is longer than %d bytes",
                        PATH_MAX_LEN - 128);
    char *copy = gca_strdup(dir);
    if (!copy)
        return gca_fail(err, GCA_ENOMEM, "blobs", 0, 0, "out of memory");
    gca_free(st->blob_dir);
    st->blob_dir = copy;
    return 0;
}

void gca_store_set_evidence_max(gca_store *st, long long bytes)
{
    st->evidence_max = bytes > 0 ? bytes : 0;
}

static long long evidence_max(const gca_store *st)
{
    return st->evidence_max > 0 ? st->evidence_max
                                : GCA_EVIDENCE_MAX_DEFAULT;
}

/* The blob directory: the one set, else the database path + ".blobs". */
static int blob_dir(gca_store *st, char *out, size_t size, gca_err *err)
{
    int n = st->blob_dir ? snprintf(out, size, "%s", st->blob_dir)
                         : snprintf(out, size, "%s.blobs", st->path);
    if (n < 0 || (size_t)n >= size - 80)
        return gca_fail(err, GCA_EINVAL, "blobs", 0, 0,
                        "blob directory name is too long");
    return 0;
}

/* DIR/ab/cdef... for SHA-256 hex `sha` (64 digits). */
static int blob_path(gca_store *st, const char *sha, char *out, size_t size,
                     gca_err *err)
{
    char dir[PATH_MAX_LEN];
    int rc = blob_dir(st, dir, sizeof dir, err);
    if (rc < 0)
        return rc;
    int n = snprintf(out, size, "%s/%.2s/%s", dir, sha, sha + 2);
    if (n < 0 || (size_t)n >= size)
        return gca_fail(err, GCA_EINVAL, "blobs", 0, 0,
                        "blob directory name is too long");
    return 0;
}

/* ====== Checks on values ====== */

static int check_visibility(const char *v, gca_err *err)
{
    if (v && (!strcmp(v, "public") || !strcmp(v, "restricted")))
        return 0;
    return gca_fail(err, GCA_EINVAL, "visibility", 0, 0,
                    "visibility '%.32s' is not public or restricted",
                    v ? v : "");
}

/* An http or https URL with a host, without blanks or control
 * characters, at most URL_MAX bytes of valid UTF-8. */
static int check_url(const char *url, gca_err *err)
{
    if (!url || !*url)
        return gca_fail(err, GCA_EINVAL, "url", 0, 0, "no URL given");
    size_t n = strnlen(url, URL_MAX + 1);
    if (n > URL_MAX)
        return gca_fail(err, GCA_EINVAL, "url", 0, 0,
                        "URL is longer than %d bytes", URL_MAX);
    if (gca_utf8_valid_prefix(url, n) != n)
        return gca_fail(err, GCA_EINVAL, "url", 0, 0,
                        "URL is not valid UTF-8");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c <= 0x20 || c == 0x7f)
            return gca_fail(err, GCA_EINVAL, "url", 0, 0,
                            "URL contains a blank or control character at "
                            "byte %zu",
                            i + 1);
    }
    size_t skip = gca_prefix_nocase(url, "http://")    ? 7
                  : gca_prefix_nocase(url, "https://") ? 8
                                                       : 0;
    if (!skip)
        return gca_fail(err, GCA_EINVAL, "url", 0, 0,
                        "URL '%.64s' is not http:// or https://", url);
    /* The host: what follows "//" up to the path, query or fragment,
     * without user information and port. */
    const char *host = url + skip;
    size_t len = strcspn(host, "/?#");
    const char *at = memchr(host, '@', len);
    if (at) {
        len -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    const char *colon = memchr(host, ':', len);
    if (colon && host[0] != '[')
        len = (size_t)(colon - host);
    if (len == 0)
        return gca_fail(err, GCA_EINVAL, "url", 0, 0,
                        "URL '%.64s' has no host", url);
    return 0;
}

/* ====== Reading a file ====== */

/* A file to keep, read whole and judged before any database work. */
typedef struct blob_in {
    unsigned char *data;
    size_t len;
    char sha256[65];
    const char *mime;
    const char *name; /* base name, borrowed from the path */
} blob_in;

static void blob_release(blob_in *b)
{
    gca_free(b->data);
    memset(b, 0, sizeof *b);
}

/* Read `path` into *b: a regular, non-empty file of at most the store's
 * limit, read no further than one byte past it. */
static int read_bounded(gca_store *st, const char *path, blob_in *b,
                        gca_err *err)
{
    long long max = evidence_max(st);
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot open: %s",
                        strerror(errno));
    struct stat s;
    int rc = 0;
    if (fstat(fd, &s) != 0)
        rc = gca_fail(err, GCA_EIO, path, 0, 0, "cannot stat: %s",
                      strerror(errno));
    else if (S_ISDIR(s.st_mode))
        rc = gca_fail(err, GCA_EINVAL, path, 0, 0,
                      "is a directory, not a file");
    else if (!S_ISREG(s.st_mode))
        rc = gca_fail(err, GCA_EINVAL, path, 0, 0, "is not a regular file");
    else if (s.st_size == 0)
        rc = gca_fail(err, GCA_EINVAL, path, 0, 0, "file is empty");
    else if (s.st_size > max)
        rc = gca_fail(err, GCA_ETOOBIG, path, 0, 0,
                      "file is larger than %lld bytes", max);
    if (rc < 0)
        goto out;
    /* One byte more than the file had: a file that grew is noticed. */
    size_t cap = (size_t)s.st_size + 1;
    b->data = gca_malloc(cap);
    if (!b->data) {
        rc = gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    while (b->len < cap) {
        ssize_t n = read(fd, b->data + b->len, cap - b->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = gca_fail(err, GCA_EIO, path, 0, 0, "cannot read: %s",
                          strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
    }
    if (b->len == 0)
        rc = gca_fail(err, GCA_EINVAL, path, 0, 0, "file is empty");
    else if (b->len == cap)
        rc = gca_fail(err, GCA_EIO, path, 0, 0,
                      "file grew while it was read");
out:
    close(fd);
    return rc;
}

/* Read, sniff and hash evidence file `path`, given as `field` ("file",
 * "snapshot"). */
static int blob_read(gca_store *st, const char *field, const char *path,
                     blob_in *b, gca_err *err)
{
    memset(b, 0, sizeof *b);
    if (!path || !*path)
        return gca_fail(err, GCA_EINVAL, field, 0, 0, "no file given");
    const char *slash = strrchr(path, '/');
    b->name = slash ? slash + 1 : path;
    if (!*b->name)
        return gca_fail(err, GCA_EINVAL, path, 0, 0,
                        "names a directory, not a file");
    int rc = gca__check_text(st, "file name", b->name, FILE_NAME_MAX, err);
    /* Listings print the name in a column: no tab or line break either. */
    if (rc == 0 && strpbrk(b->name, "\t\n"))
        rc = gca_fail(err, GCA_EINVAL, "file name", 0, 0,
                      "contains a control character");
    if (rc == 0)
        rc = read_bounded(st, path, b, err);
    if (rc == 0) {
        b->mime = gca_mime_sniff(b->data, b->len);
        if (!b->mime)
            rc = gca_fail(err, GCA_EINVAL, path, 0, 0,
                          "file type not accepted (sniffed: %s; "
                          "docs/evidence.md lists the accepted types)",
                          gca_mime_describe(b->data, b->len));
    }
    if (rc == 0)
        rc = gca__store_sodium_init(st, err);
    if (rc < 0) {
        blob_release(b);
        return rc;
    }
    gca__sha256_hex(b->data, b->len, b->sha256);
    return 0;
}

/* ====== Writing a blob ====== */

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int sync_dir(const char *dir, gca_err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return gca_fail(err, GCA_EIO, dir, 0, 0, "cannot sync: %s",
                        strerror(e));
    }
    close(fd);
    return 0;
}

/* mkdir `dir` 0700 unless it is there; *made = 1 if it was made. */
static int make_dir(const char *dir, int *made, gca_err *err)
{
    *made = 0;
    if (mkdir(dir, 0700) == 0) {
        *made = 1;
        return 0;
    }
    struct stat s;
    if (errno == EEXIST && stat(dir, &s) == 0 && S_ISDIR(s.st_mode))
        return 0;
    return gca_fail(err, GCA_EIO, dir, 0, 0,
                    "cannot create the blob directory: %s",
                    errno == EEXIST ? "a file of that name exists"
                                    : strerror(errno));
}

/* An existing blob `path` is the same content if it has the same size:
 * its name is the content's hash. */
static int same_blob(const char *path, size_t len, int *same, gca_err *err)
{
    struct stat s;
    *same = 0;
    if (lstat(path, &s) != 0) {
        if (errno == ENOENT)
            return 0;
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot stat: %s",
                        strerror(errno));
    }
    if (!S_ISREG(s.st_mode) || (size_t)s.st_size != len)
        return gca_fail(err, GCA_EIO, path, 0, 0,
                        "blob exists with other content: the blob "
                        "directory is damaged");
    *same = 1;
    return 0;
}

/* Keep b's bytes as DIR/ab/cdef...: written to a temporary file, synced,
 * linked into place only if no blob of that name exists, never
 * overwritten. */
static int blob_write(gca_store *st, const blob_in *b, gca_err *err)
{
    /* blob_dir leaves 80 bytes of room, so these never truncate. */
    char dir[PATH_MAX_LEN], sub[PATH_MAX_LEN + 8], final[PATH_MAX_LEN];
    char tmp[PATH_MAX_LEN + 32];
    int made_dir = 0, made_sub = 0, same = 0;
    int rc = blob_dir(st, dir, sizeof dir, err);
    if (rc == 0)
        rc = blob_path(st, b->sha256, final, sizeof final, err);
    if (rc == 0)
        rc = make_dir(dir, &made_dir, err);
    if (rc < 0)
        return rc;
    snprintf(sub, sizeof sub, "%s/%.2s", dir, b->sha256);
    snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", sub);
    rc = make_dir(sub, &made_sub, err);
    if (rc == 0)
        rc = same_blob(final, b->len, &same, err);
    if (rc < 0 || same)
        return rc;

    int fd = mkstemp(tmp);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, sub, 0, 0,
                        "cannot create a file: %s", strerror(errno));
    if (write_all(fd, b->data, b->len) != 0 || fsync(fd) != 0) {
        rc = gca_fail(err, GCA_EIO, tmp, 0, 0, "cannot write: %s",
                      strerror(errno));
        close(fd);
        goto out;
    }
    if (close(fd) != 0) {
        rc = gca_fail(err, GCA_EIO, tmp, 0, 0, "cannot write: %s",
                      strerror(errno));
        goto out;
    }
    /* link() fails if the name exists: another writer may have put the
     * same content there meanwhile, which is as good. */
    if (link(tmp, final) != 0) {
        if (errno == EEXIST)
            rc = same_blob(final, b->len, &same, err);
        else
            rc = gca_fail(err, GCA_EIO, final, 0, 0, "cannot create: %s",
                          strerror(errno));
    }
out:
    unlink(tmp);
    if (rc == 0)
        rc = sync_dir(sub, err);
    if (rc == 0 && made_sub)
        rc = sync_dir(dir, err);
    return rc;
}

/* ====== Adding ====== */

/* What one add writes. */
typedef struct ev_req {
    const char *actor, *edition, *country, *question;
    const char *kind, *url, *retrieved, *visibility, *note;
    const blob_in *blob; /* NULL = none */
} ev_req;

static int insert_blob(gca_store *st, const blob_in *b, const char *now,
                       gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "INSERT INTO blobs (sha256, size, mime, "
                             "created_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (sha256) DO NOTHING",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, b->sha256);
    st->be->bind_int(s, 2, (long long)b->len);
    st->be->bind_text(s, 3, b->mime);
    st->be->bind_text(s, 4, now);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

static int insert_evidence(gca_store *st, const ev_req *r, long long eid,
                           const char *now, long long *id, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(
        st->conn,
        "INSERT INTO evidence (edition, country, question, kind, url, "
        "retrieved, blob, file_name, visibility, note, added_by, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, eid);
    st->be->bind_text(s, 2, r->country);
    st->be->bind_text(s, 3, r->question);
    st->be->bind_text(s, 4, r->kind);
    st->be->bind_text(s, 5, r->url);
    st->be->bind_text(s, 6, r->retrieved);
    st->be->bind_text(s, 7, r->blob ? r->blob->sha256 : NULL);
    st->be->bind_text(s, 8, r->blob ? r->blob->name : NULL);
    st->be->bind_text(s, 9, r->visibility);
    st->be->bind_text(s, 10, r->note);
    st->be->bind_text(s, 11, r->actor);
    st->be->bind_text(s, 12, now);
    rc = st->be->step(s, err);
    if (rc > 0) {
        *id = st->be->col_int(s, 0);
        rc = st->be->step(s, err);
    }
    st->be->finalize(s);
    if (rc > 0)
        rc = gca_fail(err, GCA_EINTERNAL, st->path, 0, 0,
                      "insert returned more than one row");
    return rc;
}

/* Event evidence.add on "edition/CODE/evidence/ISO3/QUESTION/ID". */
static int audit_add(gca_store *st, const ev_req *r, const gca_edition *e,
                     long long id, gca_err *err)
{
    char object[GCA_AUDIT_MAX_OBJECT];
    const blob_in *b = r->blob;
    int n = snprintf(object, sizeof object, "edition/%s/evidence/%s/%s/%lld",
                     e->code, r->country, r->question, id);
    if (n < 0 || (size_t)n >= sizeof object)
        return gca_fail(err, GCA_EINTERNAL, st->path, 0, 0,
                        "audit object name too long");
    json_t *data = json_pack(
        "{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s}",
        "country", r->country, "question", r->question, "kind", r->kind,
        "url", r->url, "retrieved", r->retrieved, "sha256",
        b ? b->sha256 : NULL, "size", (json_int_t)(b ? b->len : 0), "mime",
        b ? b->mime : NULL, "file_name", b ? b->name : NULL, "visibility",
        r->visibility);
    if (!data)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    int rc = gca__audit_append(st, r->actor, "evidence.add", object, data,
                               err);
    json_decref(data);
    return rc;
}

/* Checks, blob, rows and event of one add, inside its transaction. */
static int add_in_tx(gca_store *st, const ev_req *r, long long *id,
                     gca_err *err)
{
    gca_user u;
    gca_edition e;
    const gca_framework *fw = NULL;
    char now[32];
    int rc = gca__store_actor(st, r->actor, &u, err);
    if (rc == 0)
        rc = gca__edition_load(st, r->edition, &e, err);
    if (rc == 0)
        rc = gca__country_require(st, r->country, err);
    if (rc == 0)
        rc = gca__edition_fw(st, &e, &fw, err);
    if (rc == 0 && !gca__question_find(fw, r->question, NULL))
        rc = gca_fail(err, GCA_ENOTFOUND, "question", 0, 0,
                      "unknown question '%.64s' in edition %s", r->question,
                      e.code);
    if (rc == 0)
        rc = gca__may_write_country(st, &u, r->country, "add evidence", err);
    if (rc == 0)
        rc = gca__edition_require(st, &e, "open", "add evidence", err);
    if (rc == 0)
        rc = gca__store_now(st, now, err);
    if (rc < 0)
        return rc;
    /* Every check has passed: only now may a file appear on disk. */
    if (r->blob) {
        rc = blob_write(st, r->blob, err);
        if (rc == 0)
            rc = insert_blob(st, r->blob, now, err);
    }
    if (rc == 0)
        rc = insert_evidence(st, r, e.id, now, id, err);
    if (rc == 0)
        rc = audit_add(st, r, &e, *id, err);
    return rc;
}

static int add(gca_store *st, ev_req *r, const char *field,
               const char *path, long long *id, gca_err *err)
{
    blob_in b;
    long long new_id = 0;
    int rc = check_visibility(r->visibility, err);
    if (rc == 0 && (!r->question || !*r->question))
        rc = gca_fail(err, GCA_EINVAL, "question", 0, 0,
                      "no question given");
    if (rc == 0)
        rc = gca__check_text(st, "note", r->note, GCA_COMMENT_MAX, err);
    if (rc < 0)
        return rc;
    if (r->note && !*r->note)
        r->note = NULL;
    memset(&b, 0, sizeof b);
    if (path) {
        rc = blob_read(st, field, path, &b, err);
        if (rc < 0)
            return rc;
        r->blob = &b;
    }
    rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc == 0)
        rc = add_in_tx(st, r, &new_id, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    else if (id)
        *id = new_id;
    blob_release(&b);
    return rc;
}

int gca_evidence_add_url(gca_store *st, const char *actor,
                         const char *edition, const char *country,
                         const char *question, const char *url,
                         const char *retrieved, const char *snapshot,
                         const char *visibility, const char *note,
                         long long *id, gca_err *err)
{
    int rc = check_url(url, err);
    if (rc == 0)
        rc = gca__check_date(retrieved, "retrieved", "retrieval date",
                             err);
    if (rc < 0)
        return rc;
    ev_req r = {actor, edition, country, question, "url", url, retrieved,
                visibility, note, NULL};
    return add(st, &r, "snapshot", snapshot, id, err);
}

int gca_evidence_add_file(gca_store *st, const char *actor,
                          const char *edition, const char *country,
                          const char *question, const char *path,
                          const char *visibility, const char *note,
                          long long *id, gca_err *err)
{
    if (!path || !*path)
        return gca_fail(err, GCA_EINVAL, "file", 0, 0, "no file given");
    ev_req r = {actor, edition, country, question, "file", NULL, NULL,
                visibility, note, NULL};
    return add(st, &r, "file", path, id, err);
}

/* ====== Reading ====== */

#define EVIDENCE_SELECT                                                     \
    "SELECT v.id, v.country, v.question, v.kind, v.url, v.retrieved, "      \
    "v.blob, b.size, b.mime, v.file_name, v.visibility, v.note, "           \
    "v.added_by, v.added_at FROM evidence v "                               \
    "LEFT JOIN blobs b ON b.sha256 = v.blob "

static void read_evidence(gca_store *st, gca__stmt *s, const char *edition,
                          gca_evidence *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->id = st->be->col_int(s, 0);
    ev->edition = edition;
    ev->country = st->be->col_text(s, 1);
    ev->question = st->be->col_text(s, 2);
    ev->kind = st->be->col_text(s, 3);
    ev->url = st->be->col_text(s, 4);
    ev->retrieved = st->be->col_text(s, 5);
    ev->sha256 = st->be->col_text(s, 6);
    ev->size = ev->sha256 ? st->be->col_int(s, 7) : 0;
    ev->mime = st->be->col_text(s, 8);
    ev->file_name = st->be->col_text(s, 9);
    ev->visibility = st->be->col_text(s, 10);
    ev->note = st->be->col_text(s, 11);
    ev->added_by = st->be->col_text(s, 12);
    ev->added_at = st->be->col_text(s, 13);
}

/* The reader `actor` into *u and *who = u, or *who = NULL for the
 * public (actor NULL). */
static int load_reader(gca_store *st, const char *actor, gca_user *u,
                       const gca_user **who, gca_err *err)
{
    *who = NULL;
    if (!actor)
        return 0;
    int rc = gca__store_actor(st, actor, u, err);
    if (rc == 0)
        *who = u;
    return rc;
}

static int visible(const gca_user *who, const char *visibility,
                   const char *country)
{
    return !visibility || strcmp(visibility, "restricted") != 0 ||
           gca__may_read_restricted(who, country);
}

int gca_evidence_list(gca_store *st, const char *actor,
                      const char *edition, const char *country,
                      const char *question, gca_evidence_fn fn, void *ctx,
                      gca_err *err)
{
    gca_user u;
    const gca_user *who = NULL;
    gca_edition e;
    gca__stmt *s = NULL;
    char sql[512];
    int rc = load_reader(st, actor, &u, &who, err);
    if (rc == 0)
        rc = gca__edition_load(st, edition, &e, err);
    if (rc < 0)
        return rc;
    /* The conditions are this file's own text, never input. */
    snprintf(sql, sizeof sql,
             EVIDENCE_SELECT "WHERE v.edition = ?%s%s "
                             "ORDER BY v.country, v.question, v.id",
             country ? " AND v.country = ?" : "",
             question ? " AND v.question = ?" : "");
    rc = st->be->prepare(st->conn, sql, &s, err);
    if (rc < 0)
        return rc;
    int k = 1;
    st->be->bind_int(s, k++, e.id);
    if (country)
        st->be->bind_text(s, k++, country);
    if (question)
        st->be->bind_text(s, k++, question);
    while ((rc = st->be->step(s, err)) > 0) {
        gca_evidence ev;
        read_evidence(st, s, e.code, &ev);
        if (!visible(who, ev.visibility, ev.country))
            continue;
        rc = fn(&ev, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

int gca_evidence_blob_path(gca_store *st, const char *actor, long long id,
                           char **path, gca_err *err)
{
    gca_user u;
    const gca_user *who = NULL;
    gca__stmt *s = NULL;
    char country[8] = "", visibility[16] = "", sha[65] = "";
    char full[PATH_MAX_LEN];
    int rc = load_reader(st, actor, &u, &who, err);
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "SELECT country, visibility, blob FROM "
                             "evidence WHERE id = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    rc = st->be->step(s, err);
    if (rc > 0) {
        const char *c = st->be->col_text(s, 0);
        const char *v = st->be->col_text(s, 1);
        const char *b = st->be->col_text(s, 2);
        snprintf(country, sizeof country, "%s", c ? c : "");
        snprintf(visibility, sizeof visibility, "%s", v ? v : "");
        snprintf(sha, sizeof sha, "%s", b ? b : "");
    }
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gca_fail(err, GCA_ENOTFOUND, "evidence", 0, 0,
                        "no evidence item %lld", id);
    if (!visible(who, visibility, country))
        return gca_fail(err, GCA_EPERM, "evidence", 0, 0,
                        "evidence item %lld is restricted: only admins, "
                        "analysts and the focal point of %s may read it",
                        id, country);
    if (strlen(sha) != 64)
        return gca_fail(err, GCA_ENOTFOUND, "evidence", 0, 0,
                        "evidence item %lld has no file (a URL without a "
                        "snapshot)",
                        id);
    rc = blob_path(st, sha, full, sizeof full, err);
    if (rc < 0)
        return rc;
    *path = gca_strdup(full);
    if (!*path)
        return gca_fail(err, GCA_ENOMEM, "evidence", 0, 0, "out of memory");
    return 0;
}
