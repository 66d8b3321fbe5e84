/* fs.c - bounded reads, atomic writes and staged output directories (see
 * fs.h). POSIX. */
#define _POSIX_C_SOURCE 200809L
#include "core/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#define MARKER ".gca-output"

int gca_file_read(const char *path, gca_buf *out, gca_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot open: %s",
                        strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return gca_fail(err, GCA_EIO, path, 0, 0, "is a directory");
    }
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            return gca_fail(err, GCA_EIO, path, 0, 0, "cannot read: %s",
                            strerror(e));
        }
        if (n == 0)
            break;
        gca_buf_add(out, chunk, (size_t)n);
        if (gca_buf_error(out)) {
            close(fd);
            if (gca_buf_error(out) == GCA_ETOOBIG)
                return gca_fail(err, GCA_ETOOBIG, path, 0, 0,
                                "file is larger than %zu bytes", out->max);
            return gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
        }
    }
    close(fd);
    /* An empty file still gets a terminated buffer. */
    gca_buf_add(out, "", 0);
    if (gca_buf_error(out))
        return gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
    return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
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

static int join(char *dst, size_t size, const char *dir, const char *name)
{
    int n = snprintf(dst, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int gca_file_write_atomic(const char *path, const void *data, size_t len,
                          gca_err *err)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return gca_fail(err, GCA_EINVAL, path, 0, 0, "path too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot create: %s",
                        strerror(errno));
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot write: %s",
                        strerror(e));
    }
    fchmod(fd, 0644);
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot write: %s",
                        strerror(e));
    }
    return 0;
}

int gca_file_write_new(const char *path, const void *data, size_t len,
                       unsigned mode, gca_err *err)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return gca_fail(err, GCA_EINVAL, path, 0, 0, "path too long");
    struct stat st;
    if (lstat(path, &st) == 0)
        return gca_fail(err, GCA_EIO, path, 0, 0,
                        "exists; refusing to replace it");
    /* mkstemp makes the file 0600, so a secret is never readable by
     * others, not even for a moment. */
    int fd = mkstemp(tmp);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot create: %s",
                        strerror(errno));
    if (write_all(fd, data, len) < 0 || fchmod(fd, (mode_t)mode) < 0 ||
        fsync(fd) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot write: %s",
                        strerror(e));
    }
    if (close(fd) < 0) {
        int e = errno;
        unlink(tmp);
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot write: %s",
                        strerror(e));
    }
    /* link, unlike rename, fails when the target exists. */
    if (link(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        if (e == EEXIST)
            return gca_fail(err, GCA_EIO, path, 0, 0,
                            "exists; refusing to replace it");
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot create: %s",
                        strerror(e));
    }
    unlink(tmp);
    return 0;
}

/* Remove a directory that holds only plain files (what we stage). */
static int remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    char path[4096 + 256];
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (join(path, sizeof path, dir, e->d_name) < 0 || unlink(path) < 0)
            rc = -1;
    }
    closedir(d);
    if (rmdir(dir) < 0)
        rc = -1;
    return rc;
}

/* 1 if `dir` is empty, or holds our marker and plain files only (what
 * gca writes), 0 if it holds other things, -1 on error. */
static int replaceable(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int entries = 0, marker = 0, other = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        entries++;
        if (!strcmp(e->d_name, MARKER))
            marker = 1;
        char path[8192];
        struct stat st;
        if (join(path, sizeof path, dir, e->d_name) < 0 ||
            lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
            other = 1;
    }
    closedir(d);
    return entries == 0 || (marker && !other);
}

int gca_outdir_begin(gca_outdir *d, const char *final, gca_err *err)
{
    memset(d, 0, sizeof *d);
    size_t n = strlen(final);
    while (n > 1 && final[n - 1] == '/')
        n--;
    if (n == 0 || n >= sizeof d->final - 32)
        return gca_fail(err, GCA_EINVAL, final, 0, 0,
                        "output directory name is empty or too long");
    memcpy(d->final, final, n);
    d->final[n] = '\0';

    struct stat st;
    if (lstat(d->final, &st) == 0) {
        /* Replacing a link would empty the directory it points to. */
        if (S_ISLNK(st.st_mode))
            return gca_fail(err, GCA_EIO, d->final, 0, 0,
                            "is a symbolic link; give the directory itself");
        if (!S_ISDIR(st.st_mode))
            return gca_fail(err, GCA_EIO, d->final, 0, 0,
                            "exists and is not a directory");
        int ok = replaceable(d->final);
        if (ok < 0)
            return gca_fail(err, GCA_EIO, d->final, 0, 0, "cannot read: %s",
                            strerror(errno));
        if (!ok)
            return gca_fail(err, GCA_EIO, d->final, 0, 0,
                            "output directory is not empty and was not "
                            "written by gca (or holds subdirectories); "
                            "choose another --out");
    }
    /* Stage beside the final place so that the rename stays on one file
     * system. */
    const char *slash = strrchr(d->final, '/');
    if (slash)
        snprintf(d->tmp, sizeof d->tmp, "%.*s/.%s.tmp-XXXXXX",
                 (int)(slash - d->final), d->final, slash + 1);
    else
        snprintf(d->tmp, sizeof d->tmp, ".%s.tmp-XXXXXX", d->final);
    if (!mkdtemp(d->tmp)) {
        int e = errno;
        d->tmp[0] = '\0';
        return gca_fail(err, GCA_EIO, d->final, 0, 0,
                        "cannot create a directory beside it: %s",
                        strerror(e));
    }
    chmod(d->tmp, 0755);
    int rc = gca_outdir_write(d, MARKER, "gca\n", 4, err);
    /* Callers abort only after a successful begin: clean up here. */
    if (rc < 0)
        gca_outdir_abort(d);
    return rc;
}

int gca_outdir_write(gca_outdir *d, const char *name, const void *data,
                     size_t len, gca_err *err)
{
    char path[8192];
    /* Not begun, or already committed: "" + "/name" would be the root. */
    if (!d->tmp[0])
        return gca_fail(err, GCA_EINVAL, d->final, 0, 0,
                        "output directory is not open for writing");
    if (strchr(name, '/') || join(path, sizeof path, d->tmp, name) < 0)
        return gca_fail(err, GCA_EINVAL, name, 0, 0, "bad output file name");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot create: %s",
                        strerror(errno));
    if (write_all(fd, data, len) < 0) {
        int e = errno;
        close(fd);
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot write: %s",
                        strerror(e));
    }
    if (close(fd) < 0)
        return gca_fail(err, GCA_EIO, path, 0, 0, "cannot write: %s",
                        strerror(errno));
    return 0;
}

int gca_outdir_commit(gca_outdir *d, gca_err *err)
{
    char old[sizeof d->tmp + 32];
    old[0] = '\0';
    struct stat st;
    if (stat(d->final, &st) == 0) {
        /* Move the previous output aside first, so that a failure leaves
         * it in place. */
        snprintf(old, sizeof old, "%s.old-%ld", d->tmp, (long)getpid());
        if (rename(d->final, old) < 0) {
            int e = errno;
            gca_outdir_abort(d);
            return gca_fail(err, GCA_EIO, d->final, 0, 0,
                            "cannot replace: %s", strerror(e));
        }
    }
    if (rename(d->tmp, d->final) < 0) {
        int e = errno;
        if (old[0])
            rename(old, d->final);
        gca_outdir_abort(d);
        return gca_fail(err, GCA_EIO, d->final, 0, 0, "cannot create: %s",
                        strerror(e));
    }
    d->tmp[0] = '\0';
    if (old[0])
        remove_flat_dir(old);
    return 0;
}

void gca_outdir_abort(gca_outdir *d)
{
    if (d->tmp[0])
        remove_flat_dir(d->tmp);
    d->tmp[0] = '\0';
}
