/* fs.h - files: bounded reads, writes that are all-or-nothing (temporary
 * file renamed into place), and output directories staged beside their
 * final place and renamed in at the end. */
#ifndef GCA_FS_H
#define GCA_FS_H

#include <stddef.h>

#include "gca/core.h"
#include "core/buf.h"

/* Read all of `path` into `out` (its ceiling applies: GCA_ETOOBIG). */
int gca_file_read(const char *path, gca_buf *out, gca_err *err);
/* Write data to `path` through a temporary file in the same directory,
 * fsync, then rename: readers see the old file or the new one. */
int gca_file_write_atomic(const char *path, const void *data, size_t len,
                          gca_err *err);
/* Create `path` holding `data`, with permission bits `mode`: written to a
 * temporary file in the same directory, fsynced, then linked into place,
 * so that an existing `path` is never replaced (GCA_EIO "exists") and a
 * reader sees the whole file or none. Returns 0 or a negative GCA_E*. */
int gca_file_write_new(const char *path, const void *data, size_t len,
                       unsigned mode, gca_err *err);

/* A directory being filled: files go to a hidden sibling of `final`, and
 * gca_outdir_commit renames it into place. An existing `final` is
 * replaced only if it is empty or was made by gca (holds the marker file
 * ".gca-output"); anything else is refused before work starts. */
typedef struct gca_outdir {
    char final[4096];
    char tmp[4096 + 64]; /* final's directory + "." + name + suffix */
} gca_outdir;

int gca_outdir_begin(gca_outdir *d, const char *final, gca_err *err);
/* Write file `name` (no slashes) into the staged directory. */
int gca_outdir_write(gca_outdir *d, const char *name, const void *data,
                     size_t len, gca_err *err);
int gca_outdir_commit(gca_outdir *d, gca_err *err);
/* Remove the staged directory (after a failure); safe to call twice. */
void gca_outdir_abort(gca_outdir *d);

#endif
