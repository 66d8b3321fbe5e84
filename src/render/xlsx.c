/* xlsx.c - a table (table.h) as an XLSX workbook of one sheet, with
 * libxlsxwriter: a bold header row, numeric columns as numbers, missing
 * cells blank. libxlsxwriter writes files only, so the workbook is made
 * in a private temporary file and read back. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/fs.h"
#include "render/table.h"

#include "core/banned.h"

int gca__table_xlsx(const gca__table *t, const char *sheet, char **out,
                    size_t *len, gca_err *err)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/gca-xlsx-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return gca_fail(err, GCA_EIO, "xlsx", 0, 0,
                        "cannot make a temporary file");
    close(fd);
    int rc = 0;
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    if (!ws || !bold) {
        rc = gca_fail(err, GCA_ENOMEM, "xlsx", 0, 0, "out of memory");
        goto out;
    }
    format_set_bold(bold);
    lxw_error e = LXW_NO_ERROR;
    for (size_t c = 0; c < t->ncol && !e; c++)
        e = worksheet_write_string(ws, 0, (lxw_col_t)c, t->header[c], bold);
    for (size_t r = 0; r < t->nrow && !e; r++)
        for (size_t c = 0; c < t->ncol && !e; c++) {
            const char *v = t->cell[r * t->ncol + c];
            if (!v)
                continue;
            char *end = NULL;
            double d = t->num[c] ? strtod(v, &end) : 0;
            if (t->num[c] && end && !*end && *v)
                e = worksheet_write_number(ws, (lxw_row_t)(r + 1),
                                           (lxw_col_t)c, d, NULL);
            else
                e = worksheet_write_string(ws, (lxw_row_t)(r + 1),
                                           (lxw_col_t)c, v, NULL);
        }
    lxw_error ce = workbook_close(wb);
    wb = NULL;
    if (e || ce) {
        rc = gca_fail(err, GCA_EIO, "xlsx", 0, 0, "cannot write XLSX: %s",
                      lxw_strerror(e ? e : ce));
        goto out;
    }
    gca_buf b = GCA_BUF_INIT(GCA_MAX_OUTPUT);
    rc = gca_file_read(path, &b, err);
    if (rc == 0)
        *out = gca_buf_detach(&b, len);
    gca_buf_release(&b);
out:
    if (wb)
        workbook_close(wb);
    unlink(path);
    return rc;
}
