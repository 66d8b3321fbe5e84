/* fuzz_mime.c - libFuzzer harness for the evidence content sniffer
 * (src/core/mime.h). Checks what it promises: the type is NULL or one of
 * the types of docs/evidence.md, "File types"; executables and scripts
 * are never accepted; text types are valid UTF-8 without NUL; the
 * description is never empty and equals the type when one is accepted;
 * the answer depends on the bytes alone (same input, same answer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mime.h"
#include "core/str.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nothing to prepare; the replay driver calls it in any case. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static const char *const accepted[] = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/zip",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml."
    "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml."
    "presentation",
    "application/x-ole-storage",
    "text/plain",
    "text/html",
};

static void die(const char *what, const char *got)
{
    fprintf(stderr, "fuzz_mime: %s (%s)\n", what, got ? got : "NULL");
    abort();
}

static int starts(const uint8_t *p, size_t n, const char *m, size_t len)
{
    return n >= len && !memcmp(p, m, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = gca_mime_sniff(data, size);
    const char *d = gca_mime_describe(data, size);
    if (!d || !*d)
        die("empty description", d);
    if (gca_mime_sniff(data, size) != t)
        die("two answers for one input", t);
    if (!t)
        return 0;
    size_t i = 0;
    while (i < sizeof accepted / sizeof accepted[0] && strcmp(t, accepted[i]))
        i++;
    if (i == sizeof accepted / sizeof accepted[0])
        die("type not in the documented list", t);
    if (strcmp(d, t) != 0)
        die("description differs from the accepted type", d);
    if (size == 0 || starts(data, size, "\x7f" "ELF", 4) ||
        starts(data, size, "MZ", 2) || starts(data, size, "#!", 2) ||
        starts(data, size, "\xca\xfe\xba\xbe", 4) ||
        starts(data, size, "\xcf\xfa\xed\xfe", 4))
        die("an executable or empty input accepted", t);
    if (!strncmp(t, "text/", 5) &&
        (memchr(data, 0, size) ||
         gca_utf8_valid_prefix((const char *)data, size) != size))
        die("text that is not NUL-free UTF-8", t);
    return 0;
}
