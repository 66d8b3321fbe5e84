/* str.h - read-only slices and strict parsers for text cells. */
#ifndef GCA_STR_H
#define GCA_STR_H

#include <stdbool.h>
#include <stddef.h>

/* A slice of text that is not copied: pointer, then length. */
typedef struct gca_str {
    const char *ptr;
    size_t len;
} gca_str;

#define GCA_STR(lit) ((gca_str){(lit), sizeof(lit) - 1})

bool gca_str_eq(gca_str a, const char *b);
/* `s` without leading and trailing blanks (space, tab). */
gca_str gca_str_trim(gca_str s);

/* Parse a whole number cell: decimal with optional sign, fraction and
 * exponent, or Inf/-Inf; surrounding blanks allowed. No hex, no "nan".
 * Returns true and sets *out, or false when `s` is not such a number. */
bool gca_parse_double(gca_str s, double *out);
/* True for a missing-value cell: empty (after trimming) or NA. */
bool gca_is_na(gca_str s);
/* Parse a base-10 int within [min, max]. */
bool gca_parse_int(gca_str s, long min, long max, long *out);

/* A code as COINr accepts it for uCode and iCode: non-empty, at most
 * GCA_MAX_CODE bytes, no blank or control character, not starting with a
 * digit. Returns NULL when valid, else a static reason ("contains a
 * space"). */
const char *gca_code_problem(const char *s);
/* The reason gca_code_problem gives for a leading digit, the last rule it
 * checks, so callers that allow leading digits can compare against it. */
#define GCA_CODE_DIGIT "starts with a digit"

/* A date "YYYY-MM-DD": 0 for a day of the (Gregorian) calendar from 1900
 * on, GCA_DATE_FORMAT when the text is not of that form,
 * GCA_DATE_NO_DAY when it is but names no such day ("2026-02-30"). */
enum { GCA_DATE_FORMAT = 1, GCA_DATE_NO_DAY = 2 };
int gca_date_problem(const char *d);
/* True when `s` starts with `prefix` (given in lower case), ASCII case
 * folded: "HTTPS://x" starts with "https://". */
bool gca_prefix_nocase(const char *s, const char *prefix);

/* Order of codes as R's sort() gives them in an English locale (COINr's
 * lineage and iMeta order): letters compared regardless of case
 * ("Tariff" before "TBTs"), then lower case before upper case; digits
 * before letters. Negative, 0 or positive like strcmp. */
int gca_str_collate(const char *a, const char *b);

/* Number of bytes of valid UTF-8 at the start of s[0..len), i.e. len if
 * the whole slice is valid. */
size_t gca_utf8_valid_prefix(const char *s, size_t len);
/* 1-based character column of byte offset `off` in a line starting at
 * `line_start` (counts UTF-8 lead bytes). */
int gca_utf8_column(const char *line_start, size_t off);

#endif
