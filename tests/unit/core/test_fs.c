/* test_fs.c - files of src/core/fs.c: bounded reads (GCA_ETOOBIG, missing
 * file named in the error), atomic writes, new files that never replace
 * an old one, and output directories that are all-or-nothing: replaced
 * only when empty or written by gca, left absent or unchanged on abort,
 * with no staging directory left behind. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gca/core.h"
#include "core/buf.h"
#include "core/fs.h"
#include "testutil.h"

/* ====== Helpers ====== */

/* A fresh directory under /tmp per test, removed afterwards. */
static int setup(void **state)
{
    char *dir = malloc(64);
    if (!dir)
        return -1;
    memcpy(dir, "/tmp/gca-test-fs-XXXXXX", 24);
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int teardown(void **state)
{
    char *dir = *state;
    int rc = tu_rmtree(dir);
    free(dir);
    return rc;
}

static void path_of(char *out, size_t size, const char *dir,
                    const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < size);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Contents of a small file, or "<absent>". */
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

/* Names in `dir` (sorted, joined by ','), or "<absent>". */
static const char *listing(const char *dir)
{
    static char out[4096];
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return "<absent>";
    out[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        const char *s = names[i]->d_name;
        if (strcmp(s, ".") != 0 && strcmp(s, "..") != 0) {
            int w = snprintf(out + len, sizeof out - len, "%s%s",
                             len ? "," : "", s);
            if (w > 0 && (size_t)w < sizeof out - len)
                len += (size_t)w;
        }
        free(names[i]);
    }
    free(names);
    return out;
}

/* ====== Reading ====== */

static void test_read(void **state)
{
    const char *dir = *state;
    char p[512];
    path_of(p, sizeof p, dir, "a.txt");
    put_file(p, "hello\nworld\n");

    gca_buf b = GCA_BUF_INIT(1000);
    gca_err err = {0};
    assert_int_equal(gca_file_read(p, &b, &err), 0);
    assert_int_equal(err.code, 0);
    assert_string_equal(gca_buf_str(&b), "hello\nworld\n");
    assert_int_equal(b.len, 12);
    gca_buf_release(&b);

    /* Exactly at the ceiling: fine. One byte over: GCA_ETOOBIG. */
    gca_buf c = GCA_BUF_INIT(12);
    assert_int_equal(gca_file_read(p, &c, &err), 0);
    gca_buf_release(&c);
    gca_buf d = GCA_BUF_INIT(11);
    assert_int_equal(gca_file_read(p, &d, &err), GCA_ETOOBIG);
    assert_int_equal(err.code, GCA_ETOOBIG);
    assert_string_equal(err.source, p);
    assert_non_null(strstr(err.msg, "larger than 11 bytes"));
    gca_buf_release(&d);

    /* An empty file gives a terminated empty buffer, not NULL. */
    path_of(p, sizeof p, dir, "empty.txt");
    put_file(p, "");
    gca_buf e = GCA_BUF_INIT(10);
    gca_err_clear(&err);
    assert_int_equal(gca_file_read(p, &e, &err), 0);
    assert_non_null(e.ptr);
    assert_string_equal(e.ptr, "");
    gca_buf_release(&e);
}

/* More than the 64 KiB read chunk, with NUL bytes inside. */
static void test_read_large(void **state)
{
    const char *dir = *state;
    char p[512];
    path_of(p, sizeof p, dir, "big.bin");
    size_t n = 200000;
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 7);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);

    gca_buf b = GCA_BUF_INIT(n);
    gca_err err = {0};
    assert_int_equal(gca_file_read(p, &b, &err), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.ptr, data, n);
    gca_buf_release(&b);

    /* Cap in the second chunk. */
    gca_buf c = GCA_BUF_INIT(100000);
    assert_int_equal(gca_file_read(p, &c, &err), GCA_ETOOBIG);
    gca_buf_release(&c);

    /* Out of memory while reading: GCA_ENOMEM, named file. */
    gca_buf d = GCA_BUF_INIT(n);
    gca_err_clear(&err);
    gca_alloc_fail_after(1);
    int rc = gca_file_read(p, &d, &err);
    gca_alloc_fail_after(0);
    assert_int_equal(rc, GCA_ENOMEM);
    assert_string_equal(err.source, p);
    gca_buf_release(&d);
    free(data);
}

static void test_read_errors(void **state)
{
    const char *dir = *state;
    char p[512];
    path_of(p, sizeof p, dir, "missing.csv");
    gca_buf b = GCA_BUF_INIT(100);
    gca_err err = {0};
    assert_int_equal(gca_file_read(p, &b, &err), GCA_EIO);
    assert_int_equal(err.code, GCA_EIO);
    assert_string_equal(err.source, p);
    assert_non_null(strstr(err.msg, "cannot open"));
    char line[1024];
    gca_err_format(&err, line, sizeof line);
    assert_non_null(strstr(line, "missing.csv"));
    gca_buf_release(&b);

    gca_err_clear(&err);
    assert_int_equal(gca_file_read(dir, &b, &err), GCA_EIO);
    assert_string_equal(err.source, dir);
    assert_non_null(strstr(err.msg, "directory"));
    gca_buf_release(&b);
}

/* ====== Atomic writes ====== */

static void test_write_atomic(void **state)
{
    const char *dir = *state;
    char p[512];
    path_of(p, sizeof p, dir, "out.json");
    gca_err err = {0};
    assert_int_equal(gca_file_write_atomic(p, "{}", 2, &err), 0);
    assert_string_equal(get_file(p), "{}");
    /* Replaced whole, and no temporary file is left beside it. */
    assert_int_equal(gca_file_write_atomic(p, "[1]", 3, &err), 0);
    assert_string_equal(get_file(p), "[1]");
    assert_int_equal(gca_file_write_atomic(p, "", 0, &err), 0);
    assert_string_equal(get_file(p), "");
    assert_string_equal(listing(dir), "out.json");

    /* A missing directory: GCA_EIO naming the file, nothing created. */
    char q[512];
    path_of(q, sizeof q, dir, "nodir/out.json");
    assert_int_equal(gca_file_write_atomic(q, "x", 1, &err), GCA_EIO);
    assert_string_equal(err.source, q);
    assert_string_equal(listing(dir), "out.json");
}

/* A new file gets its mode and content; an existing one is never
 * replaced, and no temporary file is left behind either way. */
static void test_write_new(void **state)
{
    const char *dir = *state;
    char p[512];
    struct stat st;
    gca_err err = {0};
    path_of(p, sizeof p, dir, "k");
    assert_int_equal(gca_file_write_new(p, "one\n", 4, 0600, &err), 0);
    assert_string_equal(get_file(p), "one\n");
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    assert_int_equal(gca_file_write_new(p, "two\n", 4, 0644, &err),
                     GCA_EIO);
    assert_string_equal(err.source, p);
    assert_non_null(strstr(err.msg, "exists; refusing to replace it"));
    assert_string_equal(get_file(p), "one\n");
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_string_equal(listing(dir), "k");

    gca_err_clear(&err);
    path_of(p, sizeof p, dir, "no/such/dir/k");
    assert_int_equal(gca_file_write_new(p, "x", 1, 0644, &err), GCA_EIO);
    assert_non_null(strstr(err.msg, "cannot create"));
    assert_string_equal(listing(dir), "k");
}

/* ====== Output directories ====== */

static void test_outdir_new(void **state)
{
    const char *dir = *state;
    char out[512];
    path_of(out, sizeof out, dir, "res");
    gca_outdir od;
    gca_err err = {0};
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    /* Nothing at the final place until commit. */
    assert_string_equal(listing(out), "<absent>");
    assert_int_equal(gca_outdir_write(&od, "a.csv", "1,2\n", 4, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "b.csv", "", 0, &err), 0);
    assert_string_equal(listing(out), "<absent>");
    assert_int_equal(gca_outdir_commit(&od, &err), 0);
    assert_string_equal(listing(out), ".gca-output,a.csv,b.csv");
    char f[600];
    path_of(f, sizeof f, out, "a.csv");
    assert_string_equal(get_file(f), "1,2\n");
    /* Only the result is left in the parent: no staging directory. */
    assert_string_equal(listing(dir), "res");
    /* Abort after commit does nothing harmful. */
    gca_outdir_abort(&od);
    assert_string_equal(listing(out), ".gca-output,a.csv,b.csv");
    /* Nor does a write after commit: refused, not written elsewhere. */
    assert_int_equal(gca_outdir_write(&od, "late.csv", "x", 1, &err),
                     GCA_EINVAL);
    assert_string_equal(listing(out), ".gca-output,a.csv,b.csv");
}

static void test_outdir_abort(void **state)
{
    const char *dir = *state;
    char out[512];
    path_of(out, sizeof out, dir, "res");
    gca_outdir od;
    gca_err err = {0};

    /* DIR absent before: absent after abort. */
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "a.csv", "x", 1, &err), 0);
    gca_outdir_abort(&od);
    gca_outdir_abort(&od); /* twice is safe */
    assert_string_equal(listing(out), "<absent>");
    assert_string_equal(listing(dir), "");

    /* DIR from an earlier run: unchanged after abort. */
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "old.csv", "old", 3, &err), 0);
    assert_int_equal(gca_outdir_commit(&od, &err), 0);
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "new.csv", "new", 3, &err), 0);
    gca_outdir_abort(&od);
    assert_string_equal(listing(out), ".gca-output,old.csv");
    char f[600];
    path_of(f, sizeof f, out, "old.csv");
    assert_string_equal(get_file(f), "old");
    assert_string_equal(listing(dir), "res");
}

static void test_outdir_replace(void **state)
{
    const char *dir = *state;
    char out[512];
    path_of(out, sizeof out, dir, "res");
    gca_outdir od;
    gca_err err = {0};
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "a.csv", "first", 5, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "gone.csv", "x", 1, &err), 0);
    assert_int_equal(gca_outdir_commit(&od, &err), 0);

    /* A directory written by gca (marker) is replaced whole: files the
     * new run does not write disappear. Trailing slashes are ignored. */
    char slash[600];
    snprintf(slash, sizeof slash, "%s//", out);
    assert_int_equal(gca_outdir_begin(&od, slash, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "a.csv", "second", 6, &err), 0);
    assert_int_equal(gca_outdir_commit(&od, &err), 0);
    assert_string_equal(listing(out), ".gca-output,a.csv");
    char f[600];
    path_of(f, sizeof f, out, "a.csv");
    assert_string_equal(get_file(f), "second");
    /* Neither the staging nor the moved-aside old directory remains. */
    assert_string_equal(listing(dir), "res");
}

static void test_outdir_user_dir(void **state)
{
    const char *dir = *state;
    char out[512], f[600];
    path_of(out, sizeof out, dir, "mine");
    assert_int_equal(mkdir(out, 0755), 0);
    path_of(f, sizeof f, out, "thesis.tex");
    put_file(f, "precious");

    gca_outdir od;
    gca_err err = {0};
    assert_int_equal(gca_outdir_begin(&od, out, &err), GCA_EIO);
    assert_string_equal(err.source, out);
    assert_non_null(strstr(err.msg, "not written by gca"));
    assert_string_equal(get_file(f), "precious");
    assert_string_equal(listing(out), "thesis.tex");
    assert_string_equal(listing(dir), "mine");
    /* Abort after a refused begin is safe and touches nothing. */
    gca_outdir_abort(&od);
    assert_string_equal(get_file(f), "precious");

    /* A hidden user file counts too. */
    char out2[512];
    path_of(out2, sizeof out2, dir, "hidden");
    assert_int_equal(mkdir(out2, 0755), 0);
    path_of(f, sizeof f, out2, ".keep");
    put_file(f, "k");
    gca_err_clear(&err);
    assert_int_equal(gca_outdir_begin(&od, out2, &err), GCA_EIO);
    assert_string_equal(listing(out2), ".keep");

    /* A plain file where the directory should be. */
    char file[512];
    path_of(file, sizeof file, dir, "plain");
    put_file(file, "p");
    gca_err_clear(&err);
    assert_int_equal(gca_outdir_begin(&od, file, &err), GCA_EIO);
    assert_non_null(strstr(err.msg, "not a directory"));
    assert_string_equal(get_file(file), "p");
    assert_string_equal(listing(dir), "hidden,mine,plain");
}

/* A gca output the user added a folder to, or reached through a link:
 * replacing either would lose what is not gca's. */
static void test_outdir_subdir_and_link(void **state)
{
    const char *dir = *state;
    char out[512], sub[600], f[700], link[512];
    gca_outdir od;
    gca_err err = {0};
    path_of(out, sizeof out, dir, "out");
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "scores.csv", "x\n", 2, &err), 0);
    assert_int_equal(gca_outdir_commit(&od, &err), 0);

    path_of(link, sizeof link, dir, "link");
    assert_int_equal(symlink(out, link), 0);
    assert_int_equal(gca_outdir_begin(&od, link, &err), GCA_EIO);
    assert_non_null(strstr(err.msg, "symbolic link"));
    assert_string_equal(listing(out), ".gca-output,scores.csv");

    path_of(sub, sizeof sub, out, "notes");
    assert_int_equal(mkdir(sub, 0755), 0);
    path_of(f, sizeof f, sub, "n.txt");
    put_file(f, "mine");
    gca_err_clear(&err);
    assert_int_equal(gca_outdir_begin(&od, out, &err), GCA_EIO);
    assert_non_null(strstr(err.msg, "subdirectories"));
    assert_string_equal(get_file(f), "mine");
    assert_string_equal(listing(dir), "link,out");
}

static void test_outdir_empty_dir(void **state)
{
    const char *dir = *state;
    char out[512];
    path_of(out, sizeof out, dir, "empty");
    assert_int_equal(mkdir(out, 0755), 0);
    gca_outdir od;
    gca_err err = {0};
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "x.csv", "x", 1, &err), 0);
    assert_int_equal(gca_outdir_commit(&od, &err), 0);
    assert_string_equal(listing(out), ".gca-output,x.csv");
    assert_string_equal(listing(dir), "empty");
}

static void test_outdir_errors(void **state)
{
    const char *dir = *state;
    char out[512];
    gca_outdir od;
    gca_err err = {0};

    /* Parent missing: an error naming DIR, nothing created. */
    path_of(out, sizeof out, dir, "no/such/res");
    assert_int_equal(gca_outdir_begin(&od, out, &err), GCA_EIO);
    assert_string_equal(err.source, out);
    assert_string_equal(listing(dir), "");
    gca_outdir_abort(&od);

    gca_err_clear(&err);
    assert_int_equal(gca_outdir_begin(&od, "", &err), GCA_EINVAL);
    char longname[5000];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    gca_err_clear(&err);
    assert_int_equal(gca_outdir_begin(&od, longname, &err), GCA_EINVAL);

    /* File names with a slash are refused; the staged directory stays
     * ours and abort removes it. */
    path_of(out, sizeof out, dir, "res");
    gca_err_clear(&err);
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "../escape", "x", 1, &err),
                     GCA_EINVAL);
    assert_int_equal(gca_outdir_write(&od, "a/b", "x", 1, &err),
                     GCA_EINVAL);
    gca_outdir_abort(&od);
    assert_string_equal(listing(dir), "");
}

/* The staged directory vanishes before commit (disk cleaner, another
 * process): commit fails and the previous output is put back intact. */
static void test_outdir_commit_fails(void **state)
{
    const char *dir = *state;
    char out[512], f[600];
    path_of(out, sizeof out, dir, "res");
    gca_outdir od;
    gca_err err = {0};
    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "a.csv", "keep", 4, &err), 0);
    assert_int_equal(gca_outdir_commit(&od, &err), 0);

    assert_int_equal(gca_outdir_begin(&od, out, &err), 0);
    assert_int_equal(gca_outdir_write(&od, "a.csv", "new", 3, &err), 0);
    assert_int_equal(tu_rmtree(od.tmp), 0);
    assert_int_equal(gca_outdir_commit(&od, &err), GCA_EIO);
    assert_string_equal(err.source, out);
    path_of(f, sizeof f, out, "a.csv");
    assert_string_equal(get_file(f), "keep");
    assert_string_equal(listing(dir), "res");
    gca_outdir_abort(&od);
    assert_string_equal(listing(dir), "res");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outdir_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outdir_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outdir_replace, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_outdir_user_dir, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_outdir_subdir_and_link, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_outdir_empty_dir, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_outdir_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_outdir_commit_fails, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
