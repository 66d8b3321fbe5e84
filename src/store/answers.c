/* answers.c - answers to the questions of an edition and their review
 * (gca/workflow.h): set, submit, approve or return, confirm, list. Each
 * change is one transaction with its audit event, which is also the
 * answer's review history. Rules: docs/workflow.md, "Answers and
 * review". */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/workflow.h"

#include "core/banned.h"

#define VALUE_MAX 256 /* bytes of an answer value as given */

/* ====== The answer a call works on ====== */

/* Loaded inside the call's transaction. Text fields point into own[]
 * (as stored) or, once changed, at the caller's strings. */
typedef struct target {
    gca_user actor;
    gca_edition ed;
    const gca_question *q;
    const char *indicator; /* borrowed from the cached framework */
    const char *country, *question;
    int exists;
    long long id, version;
    char state[16], source[16];
    const char *value, *comment, *review_comment;
    char confirmed_by[GCA_USER_NAME_MAX + 1], confirmed_at[32];
    char *own[3];
} target;

static void target_release(target *t)
{
    for (size_t i = 0; i < GCA_COUNT(t->own); i++)
        gca_free(t->own[i]);
}

static int dup_col(gca_store *st, gca__stmt *s, int col, char **own,
                   const char **out, gca_err *err)
{
    const char *v = st->be->col_text(s, col);
    *out = NULL;
    if (!v)
        return 0;
    *own = gca_strdup(v);
    if (!*own)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    *out = *own;
    return 0;
}

static int load_row(gca_store *st, target *t, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT id, version, state, source, value, "
                             "comment, review_comment, confirmed_by, "
                             "confirmed_at FROM answers WHERE edition = ? "
                             "AND country = ? AND question = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, t->ed.id);
    st->be->bind_text(s, 2, t->country);
    st->be->bind_text(s, 3, t->question);
    rc = st->be->step(s, err);
    t->exists = rc > 0;
    if (rc > 0) {
        const char *v;
        t->id = st->be->col_int(s, 0);
        t->version = st->be->col_int(s, 1);
        v = st->be->col_text(s, 2);
        snprintf(t->state, sizeof t->state, "%s", v ? v : "");
        v = st->be->col_text(s, 3);
        snprintf(t->source, sizeof t->source, "%s", v ? v : "");
        rc = dup_col(st, s, 4, &t->own[0], &t->value, err);
        if (rc == 0)
            rc = dup_col(st, s, 5, &t->own[1], &t->comment, err);
        if (rc == 0)
            rc = dup_col(st, s, 6, &t->own[2], &t->review_comment, err);
        v = st->be->col_text(s, 7);
        snprintf(t->confirmed_by, sizeof t->confirmed_by, "%s", v ? v : "");
        v = st->be->col_text(s, 8);
        snprintf(t->confirmed_at, sizeof t->confirmed_at, "%s", v ? v : "");
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* The acting user, the edition (which must be open), the country, the
 * question and the stored answer if there is one. `what` names the
 * change for the edition's state message ("set an answer"). */
static int load_target(gca_store *st, const char *actor, const char *edition,
                       const char *country, const char *question,
                       const char *what, target *t, gca_err *err)
{
    const gca_framework *fw = NULL;
    int node = -1;
    t->country = country;
    t->question = question;
    int rc = gca__store_actor(st, actor, &t->actor, err);
    if (rc == 0)
        rc = gca__edition_load(st, edition, &t->ed, err);
    if (rc == 0)
        rc = gca__edition_require(st, &t->ed, "open", what, err);
    if (rc == 0)
        rc = gca__country_require(st, country, err);
    if (rc == 0 && (!question || !*question))
        rc = gca_fail(err, GCA_EINVAL, "question", 0, 0,
                      "no question given");
    if (rc == 0)
        rc = gca__edition_fw(st, &t->ed, &fw, err);
    if (rc < 0)
        return rc;
    t->q = gca__question_find(fw, question, &node);
    if (!t->q)
        return gca_fail(err, GCA_ENOTFOUND, "question", 0, 0,
                        "edition %s has no question '%.128s'", t->ed.code,
                        question);
    t->indicator = gca_framework_node_at(fw, (size_t)node)->code;
    return load_row(st, t, err);
}

/* Insert the answer or update it (version + 1), stamped by the actor. */
static int save(gca_store *st, target *t, gca_err *err)
{
    char now[32];
    gca__stmt *s = NULL;
    int rc = gca__store_now(st, now, err);
    if (rc < 0)
        return rc;
    if (t->exists)
        rc = st->be->prepare(
            st->conn,
            "UPDATE answers SET value = ?, comment = ?, state = ?, "
            "source = ?, confirmed_by = ?, confirmed_at = ?, "
            "review_comment = ?, updated_by = ?, updated_at = ?, "
            "version = version + 1 WHERE id = ?",
            &s, err);
    else
        rc = st->be->prepare(
            st->conn,
            "INSERT INTO answers (value, comment, state, source, "
            "confirmed_by, confirmed_at, review_comment, updated_by, "
            "updated_at, edition, country, question, indicator) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, t->value);
    st->be->bind_text(s, 2, t->comment);
    st->be->bind_text(s, 3, t->state);
    st->be->bind_text(s, 4, t->source);
    st->be->bind_text(s, 5, t->confirmed_by[0] ? t->confirmed_by : NULL);
    st->be->bind_text(s, 6, t->confirmed_at[0] ? t->confirmed_at : NULL);
    st->be->bind_text(s, 7, t->review_comment);
    st->be->bind_text(s, 8, t->actor.name);
    st->be->bind_text(s, 9, now);
    if (t->exists) {
        st->be->bind_int(s, 10, t->id);
    } else {
        st->be->bind_int(s, 10, t->ed.id);
        st->be->bind_text(s, 11, t->country);
        st->be->bind_text(s, 12, t->question);
        st->be->bind_text(s, 13, t->indicator);
    }
    rc = st->be->step(s, err);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* Append `action` with the state before (`from`, "" = none) and after,
 * and `comment` (NULL = none). */
static int answer_event(gca_store *st, const target *t, const char *action,
                        const char *from, const char *comment, gca_err *err)
{
    char object[GCA_AUDIT_MAX_OBJECT];
    snprintf(object, sizeof object, "edition/%s/answer/%s/%s", t->ed.code,
             t->country, t->question);
    json_t *data = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s}", "country",
                             t->country, "question", t->question, "from",
                             *from ? json_string(from) : json_null(), "to",
                             t->state, "value",
                             t->value ? json_string(t->value) : json_null(),
                             "source", t->source);
    if (data && comment &&
        json_object_set_new(data, "comment", json_string(comment)) != 0) {
        json_decref(data);
        data = NULL;
    }
    if (!data)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    int rc = gca__audit_append(st, t->actor.name, action, object, data, err);
    json_decref(data);
    return rc;
}

/* ====== Values ====== */

static void append_choices(const gca_question *q, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < q->nchoices && used + 1 < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s",
                         i == 0                  ? ""
                         : i + 1 == q->nchoices ? " or "
                                                 : ", ",
                         q->choices[i].value);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int is_any(const char *v, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(v, list[i]))
            return 1;
    return 0;
}

/* A finite decimal number, the whole string, within the question's
 * range, written into canon[32] as the shortest %.Ng that reads back
 * the same. */
static int check_number(const gca_question *q, const char *v, char *canon,
                        gca_err *err)
{
    char *end = NULL;
    unsigned char c0 = (unsigned char)v[0];
    int bad = !*v || strchr(v, 'x') || strchr(v, 'X') || c0 == ' ' ||
              (c0 >= '\t' && c0 <= '\r');
    double d = 0;
    if (!bad) {
        errno = 0;
        d = strtod(v, &end);
        bad = *end != '\0' || errno == ERANGE || !isfinite(d);
    }
    if (bad)
        return gca_fail(err, GCA_EINVAL, "value", 0, 0,
                        "'%.64s' is not a decimal number (the answer to %s "
                        "is a number)",
                        v, q->code);
    if ((!isnan(q->min) && d < q->min) || (!isnan(q->max) && d > q->max))
        return gca_fail(err, GCA_EINVAL, "value", 0, 0,
                        "%.64s is out of range: the answer to %s is a number "
                        "from %g to %g",
                        v, q->code, isnan(q->min) ? -INFINITY : q->min,
                        isnan(q->max) ? INFINITY : q->max);
    if (d == 0)
        d = 0; /* -0 is written as 0 */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(canon, 32, "%.*g", prec, d);
        if (strtod(canon, NULL) == d)
            break;
    }
    return 0;
}

/* Check `v` against question `q`; *out gets the text to store (v itself,
 * or canon[32] for a number). */
static int check_value(gca_store *st, const gca_question *q, const char *v,
                       char *canon, const char **out, gca_err *err)
{
    static const char *const yesno[] = {"yes", "no", NULL};
    static const char *const ypn[] = {"yes", "partial", "no", NULL};
    if (!v)
        return gca_fail(err, GCA_EINVAL, "value", 0, 0, "no value given");
    int rc = gca__check_text(st, "value", v, VALUE_MAX, err);
    if (rc < 0)
        return rc;
    *out = v;
    if (q->type == GCA_ANSWER_NUMBER) {
        *out = canon;
        return check_number(q, v, canon, err);
    }
    if (q->nchoices > 0) {
        for (size_t i = 0; i < q->nchoices; i++)
            if (!strcmp(v, q->choices[i].value))
                return 0;
        char list[512];
        append_choices(q, list, sizeof list);
        return gca_fail(err, GCA_EINVAL, "value", 0, 0,
                        "'%.64s' is not an answer to %s: use %s", v, q->code,
                        list);
    }
    if (q->type == GCA_ANSWER_YESNO && is_any(v, yesno))
        return 0;
    if (q->type == GCA_ANSWER_YESPARTIALNO && is_any(v, ypn))
        return 0;
    return gca_fail(err, GCA_EINVAL, "value", 0, 0,
                    "'%.64s' is not an answer to %s: use %s", v, q->code,
                    q->type == GCA_ANSWER_YESNO ? "yes or no"
                                                : "yes, partial or no");
}

/* ====== Changes ====== */

static int no_answer(gca_store *st, const target *t, const char *verb,
                     gca_err *err)
{
    (void)st;
    return gca_fail(err, GCA_ESTATE, "answer", 0, 0,
                    "cannot %s: %s has no answer to %s yet", verb,
                    t->country, t->question);
}

static int bad_state(const target *t, const char *verb, const char *want,
                     gca_err *err)
{
    return gca_fail(err, GCA_ESTATE, "answer", 0, 0,
                    "cannot %s: the answer of %s to %s is %s, not %s", verb,
                    t->country, t->question, t->state, want);
}

static int set_in_tx(gca_store *st, target *t, const char *value,
                     const char *comment, gca_err *err)
{
    char canon[32], from[16];
    const char *stored = NULL;
    const gca_user *u = &t->actor;
    int rc = gca__may_write_country(st, u, t->country, "set an answer", err);
    if (rc == 0)
        rc = check_value(st, t->q, value, canon, &stored, err);
    if (rc < 0)
        return rc;
    const char *src = !strcmp(u->role, "focal") ? "country" : "analyst";
    if (t->exists && strcmp(t->state, "draft") && strcmp(t->state, "returned"))
        return bad_state(t, "set an answer", "draft or returned", err);
    if (t->exists && !strcmp(src, "analyst") &&
        !strcmp(t->source, "country"))
        return gca_fail(err, GCA_EPERM, "answer", 0, 0,
                        "'%s' (analyst) may not change the answer of %s to "
                        "%s: it comes from the country; return it with a "
                        "comment instead",
                        u->name, t->country, t->question);
    snprintf(from, sizeof from, "%s", t->exists ? t->state : "");
    if (!t->exists)
        snprintf(t->state, sizeof t->state, "draft");
    /* A new value needs a new confirmation. */
    if (!t->value || strcmp(t->value, stored) != 0 ||
        strcmp(t->source, src) != 0) {
        t->confirmed_by[0] = '\0';
        t->confirmed_at[0] = '\0';
    }
    snprintf(t->source, sizeof t->source, "%s", src);
    t->value = stored;
    if (comment)
        t->comment = *comment ? comment : NULL;
    rc = save(st, t, err);
    if (rc == 0)
        rc = answer_event(st, t, "answer.set", from, t->comment, err);
    return rc;
}

/* What a call asks of an answer; run_change applies it. */
typedef enum change_op { OP_SET, OP_SUBMIT, OP_REVIEW, OP_CONFIRM } change_op;
typedef struct change {
    change_op op;
    const char *what; /* "set an answer", for messages */
    const char *value, *comment;
    int approve;
} change;

static int submit_in_tx(gca_store *st, target *t, gca_err *err);
static int review_in_tx(gca_store *st, target *t, int approve,
                        const char *comment, gca_err *err);
static int confirm_in_tx(gca_store *st, target *t, gca_err *err);

/* One change in one transaction: load the answer and who acts, apply
 * `c`, commit; roll back on any error. */
static int run_change(gca_store *st, const char *actor, const char *edition,
                      const char *country, const char *question,
                      const change *c, gca_err *err)
{
    target t = {0};
    int rc = st->be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = load_target(st, actor, edition, country, question, c->what, &t,
                     err);
    if (rc == 0) {
        switch (c->op) {
        case OP_SET:
            rc = set_in_tx(st, &t, c->value, c->comment, err);
            break;
        case OP_SUBMIT:
            rc = submit_in_tx(st, &t, err);
            break;
        case OP_REVIEW:
            rc = review_in_tx(st, &t, c->approve, c->comment, err);
            break;
        case OP_CONFIRM:
            rc = confirm_in_tx(st, &t, err);
            break;
        }
    }
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    target_release(&t);
    return rc;
}

int gca_answer_set(gca_store *st, const char *actor, const char *edition,
                   const char *country, const char *question,
                   const char *value, const char *comment, gca_err *err)
{
    change c = {.op = OP_SET, .what = "set an answer", .value = value,
                .comment = comment};
    int rc = gca__check_text(st, "comment", comment, GCA_COMMENT_MAX, err);
    if (rc < 0)
        return rc;
    return run_change(st, actor, edition, country, question, &c, err);
}

static int submit_in_tx(gca_store *st, target *t, gca_err *err)
{
    char from[16];
    const gca_user *u = &t->actor;
    if (!t->exists || !t->value)
        return no_answer(st, t, "submit", err);
    int rc = gca__may_write_country(st, u, t->country, "submit an answer",
                                    err);
    if (rc < 0)
        return rc;
    /* Each side submits its own answers. */
    if (!strcmp(t->source, "country") && strcmp(u->role, "focal") != 0)
        return gca_fail(err, GCA_EPERM, "answer", 0, 0,
                        "'%s' (%s) may not submit the answer of %s to %s: "
                        "it comes from the country, whose focal point "
                        "submits it",
                        u->name, u->role, t->country, t->question);
    if (!strcmp(t->source, "analyst") && strcmp(u->role, "analyst") != 0)
        return gca_fail(err, GCA_EPERM, "answer", 0, 0,
                        "'%s' (%s) may not submit the answer of %s to %s: "
                        "an analyst recorded it; confirm it, or set the "
                        "country's own answer",
                        u->name, u->role, t->country, t->question);
    snprintf(from, sizeof from, "%s", t->state);
    if (!strcmp(t->state, "draft"))
        snprintf(t->state, sizeof t->state, "submitted");
    else if (!strcmp(t->state, "returned"))
        snprintf(t->state, sizeof t->state, "resubmitted");
    else
        return bad_state(t, "submit", "draft or returned", err);
    rc = save(st, t, err);
    if (rc == 0)
        rc = answer_event(st, t, "answer.submit", from, NULL, err);
    return rc;
}

int gca_answer_submit(gca_store *st, const char *actor, const char *edition,
                      const char *country, const char *question,
                      gca_err *err)
{
    change c = {.op = OP_SUBMIT, .what = "submit an answer"};
    return run_change(st, actor, edition, country, question, &c, err);
}

static int review_in_tx(gca_store *st, target *t, int approve,
                        const char *comment, gca_err *err)
{
    char from[16];
    const char *verb = approve ? "approve" : "return";
    const gca_user *u = &t->actor;
    if (strcmp(u->role, "analyst") != 0)
        return gca_fail(err, GCA_EPERM, "answer", 0, 0,
                        "'%s' (%s) may not review answers: only an analyst "
                        "may",
                        u->name, u->role);
    if (!t->exists)
        return no_answer(st, t, verb, err);
    int reviewed = !strcmp(t->state, "submitted") ||
                   !strcmp(t->state, "resubmitted");
    int approved = !strcmp(t->state, "approved");
    if (approve && !reviewed)
        return bad_state(t, verb, "submitted or resubmitted", err);
    if (!approve && !reviewed && !approved)
        return bad_state(t, verb, "submitted, resubmitted or approved", err);
    snprintf(from, sizeof from, "%s", t->state);
    snprintf(t->state, sizeof t->state, "%s",
             approve ? "approved" : "returned");
    t->review_comment = comment && *comment ? comment : NULL;
    /* Scores are computed from approved answers only. */
    int rc = approve || approved ? gca__edition_unscore(st, t->ed.id, err)
                                 : 0;
    if (rc == 0)
        rc = save(st, t, err);
    if (rc == 0)
        rc = answer_event(st, t, approve ? "answer.approve" : "answer.return",
                          from, t->review_comment, err);
    return rc;
}

int gca_answer_review(gca_store *st, const char *actor, const char *edition,
                      const char *country, const char *question,
                      const char *decision, const char *comment,
                      gca_err *err)
{
    int approve = decision && !strcmp(decision, "approve");
    if (!approve && !(decision && !strcmp(decision, "return")))
        return gca_fail(err, GCA_EINVAL, "decision", 0, 0,
                        "decision '%.32s' is not approve or return",
                        decision ? decision : "");
    if (!approve && (!comment || !*comment))
        return gca_fail(err, GCA_EINVAL, "comment", 0, 0,
                        "returning an answer needs a comment saying what "
                        "to change");
    int rc = gca__check_text(st, "comment", comment, GCA_COMMENT_MAX, err);
    if (rc < 0)
        return rc;
    change c = {.op = OP_REVIEW, .what = "review an answer",
                .comment = comment, .approve = approve};
    return run_change(st, actor, edition, country, question, &c, err);
}

static int confirm_in_tx(gca_store *st, target *t, gca_err *err)
{
    const gca_user *u = &t->actor;
    if (strcmp(u->role, "focal") != 0 || strcmp(u->country, t->country))
        return gca_fail(err, GCA_EPERM, "answer", 0, 0,
                        "'%s' (%s%s%s) may not confirm the answer of %s: "
                        "only the focal point of %s may",
                        u->name, u->role, u->country[0] ? " of " : "",
                        u->country, t->country, t->country);
    if (!t->exists)
        return no_answer(st, t, "confirm", err);
    if (!strcmp(t->source, "country"))
        return gca_fail(err, GCA_ESTATE, "answer", 0, 0,
                        "cannot confirm: the answer of %s to %s comes from "
                        "the country itself; only an analyst's answer is "
                        "confirmed",
                        t->country, t->question);
    if (t->confirmed_by[0])
        return gca_fail(err, GCA_ESTATE, "answer", 0, 0,
                        "cannot confirm: the answer of %s to %s was "
                        "confirmed by '%s' on %s",
                        t->country, t->question, t->confirmed_by,
                        t->confirmed_at);
    int rc = gca__store_now(st, t->confirmed_at, err);
    if (rc < 0)
        return rc;
    snprintf(t->confirmed_by, sizeof t->confirmed_by, "%s", u->name);
    rc = save(st, t, err);
    if (rc == 0)
        rc = answer_event(st, t, "answer.confirm", t->state, NULL, err);
    return rc;
}

int gca_answer_confirm(gca_store *st, const char *actor, const char *edition,
                       const char *country, const char *question,
                       gca_err *err)
{
    change c = {.op = OP_CONFIRM, .what = "confirm an answer"};
    return run_change(st, actor, edition, country, question, &c, err);
}

/* ====== Reading ====== */

int gca_answer_list(gca_store *st, const char *edition,
                    const gca_answer_filter *filter, gca_answer_fn fn,
                    void *ctx, gca_err *err)
{
    static const char *const states[] = {"draft",       "submitted",
                                         "returned",    "resubmitted",
                                         "approved",    NULL};
    gca_answer_filter none = {0};
    gca_edition e;
    gca__stmt *s = NULL;
    const gca_answer_filter *f = filter ? filter : &none;
    if (f->state && !is_any(f->state, states))
        return gca_fail(err, GCA_EINVAL, "state", 0, 0,
                        "state '%.32s' is not draft, submitted, returned, "
                        "resubmitted or approved",
                        f->state);
    int rc = gca__edition_load(st, edition, &e, err);
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "SELECT id, country, question, indicator, value, comment, "
            "state, source, confirmed_by, confirmed_at, review_comment, "
            "updated_by, updated_at, version FROM answers "
            "WHERE edition = ? AND (? IS NULL OR country = ?) "
            "AND (? IS NULL OR question = ?) AND (? IS NULL OR state = ?) "
            "ORDER BY country, question",
            &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, e.id);
    st->be->bind_text(s, 2, f->country);
    st->be->bind_text(s, 3, f->country);
    st->be->bind_text(s, 4, f->question);
    st->be->bind_text(s, 5, f->question);
    st->be->bind_text(s, 6, f->state);
    st->be->bind_text(s, 7, f->state);
    while ((rc = st->be->step(s, err)) > 0) {
        gca_answer a = {
            .id = st->be->col_int(s, 0),
            .edition = e.code,
            .country = st->be->col_text(s, 1),
            .question = st->be->col_text(s, 2),
            .indicator = st->be->col_text(s, 3),
            .value = st->be->col_text(s, 4),
            .comment = st->be->col_text(s, 5),
            .state = st->be->col_text(s, 6),
            .source = st->be->col_text(s, 7),
            .confirmed_by = st->be->col_text(s, 8),
            .confirmed_at = st->be->col_text(s, 9),
            .review_comment = st->be->col_text(s, 10),
            .updated_by = st->be->col_text(s, 11),
            .updated_at = st->be->col_text(s, 12),
            .version = st->be->col_int(s, 13),
        };
        rc = fn(&a, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}
