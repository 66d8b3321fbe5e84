/* mime.h - the type of an evidence file, judged from its content alone
 * (never from its name). What is accepted and what is refused is listed
 * in docs/evidence.md, "File types". */
#ifndef GCA_MIME_H
#define GCA_MIME_H

#include <stddef.h>

/* The media type of the n bytes at `p` ("application/pdf"), a static
 * string; NULL when gca refuses such content (executables, scripts,
 * empty or unknown binary data). */
const char *gca_mime_sniff(const unsigned char *p, size_t n);

/* A short static description of the content for messages, also for
 * refused content ("ELF executable", "binary data"). */
const char *gca_mime_describe(const unsigned char *p, size_t n);

#endif
