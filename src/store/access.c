/* access.c - the rules the workflow modules share (store/workflow.h):
 * who may act for which country, country and question lookups, checks
 * on free text. docs/workflow.md, "Roles", is the table they enforce. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "store/workflow.h"

#include "core/banned.h"

int gca__country_require(gca_store *st, const char *iso3, gca_err *err)
{
    if (!iso3 || !*iso3)
        return gca_fail(err, GCA_EINVAL, "country", 0, 0,
                        "no country given");
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT 1 FROM countries WHERE iso3 = ?", &s,
                             err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, iso3);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gca_fail(err, GCA_ENOTFOUND, "country", 0, 0,
                        "unknown country '%.16s' (an ISO 3166-1 alpha-3 "
                        "code such as FRA)",
                        iso3);
    return 0;
}

int gca__require_admin(gca_store *st, const gca_user *a, const char *what,
                       gca_err *err)
{
    if (strcmp(a->role, "admin") != 0)
        return gca_fail(err, GCA_EPERM, st->path, 0, 0,
                        "'%s' (%s) may not %s: only an admin may", a->name,
                        a->role, what);
    return 0;
}

int gca__may_write_country(gca_store *st, const gca_user *u,
                           const char *country, const char *what,
                           gca_err *err)
{
    if (!strcmp(u->role, "analyst"))
        return 0;
    if (!strcmp(u->role, "focal")) {
        if (country && !strcmp(u->country, country))
            return 0;
        return gca_fail(err, GCA_EPERM, st->path, 0, 0,
                        "'%s' (focal point of %s) may not %s for %s",
                        u->name, u->country, what, country ? country : "-");
    }
    return gca_fail(err, GCA_EPERM, st->path, 0, 0,
                    "'%s' (%s) may not %s: only an analyst or the focal "
                    "point of the country may",
                    u->name, u->role, what);
}

int gca__may_read_restricted(const gca_user *u, const char *country)
{
    if (!u || u->disabled)
        return 0;
    if (!strcmp(u->role, "admin") || !strcmp(u->role, "analyst"))
        return 1;
    return !strcmp(u->role, "focal") && country &&
           !strcmp(u->country, country);
}

const gca_question *gca__question_find(const gca_framework *fw,
                                       const char *code, int *node)
{
    if (!code)
        return NULL;
    size_t n = gca_framework_nnodes(fw);
    for (size_t i = 0; i < n; i++) {
        const gca_node *nd = gca_framework_node_at(fw, i);
        for (size_t q = 0; q < nd->nquestions; q++)
            if (!strcmp(nd->questions[q].code, code)) {
                if (node)
                    *node = (int)i;
                return &nd->questions[q];
            }
    }
    return NULL;
}

int gca__check_text(gca_store *st, const char *field, const char *s,
                    size_t max, gca_err *err)
{
    (void)st;
    if (!s)
        return 0;
    size_t n = strnlen(s, max + 1);
    if (n > max)
        return gca_fail(err, GCA_EINVAL, field, 0, 0,
                        "is longer than %zu bytes", max);
    if (gca_utf8_valid_prefix(s, n) != n)
        return gca_fail(err, GCA_EINVAL, field, 0, 0, "is not valid UTF-8");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            return gca_fail(err, GCA_EINVAL, field, 0, 0,
                            "contains a control character at byte %zu",
                            (size_t)(p - (const unsigned char *)s) + 1);
    return 0;
}

int gca__check_date(const char *d, const char *field, const char *what,
                    gca_err *err)
{
    if (!d || !*d)
        return gca_fail(err, GCA_EINVAL, field, 0, 0,
                        "no %s given (YYYY-MM-DD)", what);
    switch (gca_date_problem(d)) {
    case GCA_DATE_FORMAT:
        return gca_fail(err, GCA_EINVAL, field, 0, 0,
                        "date '%.32s' is not YYYY-MM-DD", d);
    case GCA_DATE_NO_DAY:
        return gca_fail(err, GCA_EINVAL, field, 0, 0,
                        "date '%s' is not a day of the calendar", d);
    }
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) ||
        strftime(today, sizeof today, "%Y-%m-%d", &tm) != 10)
        return gca_fail(err, GCA_EINTERNAL, field, 0, 0,
                        "cannot tell today's date");
    if (strcmp(d, today) > 0)
        return gca_fail(err, GCA_EINVAL, field, 0, 0,
                        "date %s is in the future (today is %s, UTC)", d,
                        today);
    return 0;
}
