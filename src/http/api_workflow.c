/* api_workflow.c - the workspace routes of /api/v1 (routes.c): answers,
 * their submission, review and confirmation; evidence (a URL, or a file
 * sent as the request body); editions opened, closed and scored; users
 * added. The route table admits roles; the library then decides for the
 * data itself (a focal point acts for its own country only) and its
 * refusal is 403 "not_permitted". Every change goes through the writer,
 * with the logged-in user as the actor of the audit event. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gca/audit.h"
#include "gca/model.h"
#include "gca/sign.h"
#include "gca/workflow.h"
#include "http/api.h"

#include "core/banned.h"

/* The body as a JSON object, or NULL after a 400. */
static json_t *body_object(http_req *rq, http_resp *rs)
{
    json_error_t jerr;
    json_t *b = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES,
                           &jerr);
    if (!b) {
        http_error(rs, 400, "malformed", "body: line %d, column %d: %s",
                   jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(b)) {
        json_decref(b);
        http_error(rs, 400, "malformed", "body: a JSON object is expected");
        return NULL;
    }
    return b;
}

/* String member `name` of `o`: *out = its text (NULL when absent or
 * null when optional); 0, or -1 after a 400. */
static int member(http_resp *rs, json_t *o, const char *name, int required,
                  const char **out)
{
    json_t *v = json_object_get(o, name);
    *out = NULL;
    if ((!v || json_is_null(v)) && !required)
        return 0;
    if (!json_is_string(v)) {
        http_error(rs, 400, "invalid", "body: \"%s\" must be a string%s",
                   name, required ? " (required)" : "");
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

static const char *actor(const http_req *rq)
{
    return rq->session.user.name;
}

static int ok(http_resp *rs, json_t *extra)
{
    return http_json(rs, 200, extra ? extra : json_pack("{s:b}", "ok", 1));
}

/* ====== The questionnaire ====== */

static const char *type_name(gca_answer_type t)
{
    switch (t) {
    case GCA_ANSWER_YESNO: return "yes_no";
    case GCA_ANSWER_YESPARTIALNO: return "yes_partial_no";
    case GCA_ANSWER_NUMBER: return "number";
    default: return "choice";
    }
}

/* The questions of an edition, indicator by indicator, as copied into
 * the edition at its creation: what focal points answer. */
int api_questions(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    gca_framework *fw = NULL;
    if (gca_edition_framework(rq->st, rq->params[0], &fw, NULL, &err) < 0)
        return http_fail(rs, &err);
    json_t *list = json_array();
    for (size_t i = 0; list && i < gca_framework_nnodes(fw); i++) {
        const gca_node *n = gca_framework_node_at(fw, i);
        for (size_t q = 0; list && q < n->nquestions; q++) {
            const gca_question *qq = &n->questions[q];
            json_t *choices = json_array();
            for (size_t c = 0; choices && c < qq->nchoices; c++)
                json_array_append_new(
                    choices, json_pack("{s:o,s:o}", "value",
                                       gca__json_text(qq->choices[c].value),
                                       "label",
                                       gca__json_text(qq->choices[c].label)));
            json_t *o = json_pack(
                "{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o}", "code",
                gca__json_text(qq->code), "text", gca__json_text(qq->text), "type",
                type_name(qq->type), "choices", choices, "min",
                isnan(qq->min) ? json_null() : json_real(qq->min), "max",
                isnan(qq->max) ? json_null() : json_real(qq->max),
                "indicator", gca__json_text(n->code), "indicator_name",
                gca__json_text(n->name));
            if (!o || json_array_append_new(list, o) < 0) {
                json_decref(list);
                list = NULL;
            }
        }
    }
    gca_framework_free(fw);
    if (!list)
        return http_error(rs, 500, "internal", "out of memory");
    rs->cache = 1;
    return http_list(rq, rs, "questions", list,
                     json_pack("{s:s}", "edition", rq->params[0]));
}

/* ====== Answers ====== */

static int add_answer(const gca_answer *a, void *ctx)
{
    json_t *o = json_pack(
        "{s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:I}", "country",
        a->country, "question", a->question, "indicator",
        gca__json_text(a->indicator), "value", gca__json_text(a->value), "comment",
        gca__json_text(a->comment), "state", a->state, "source", a->source,
        "confirmed_by", gca__json_text(a->confirmed_by), "review_comment",
        gca__json_text(a->review_comment), "updated_by", gca__json_text(a->updated_by),
        "updated_at", gca__json_text(a->updated_at), "version",
        (json_int_t)a->version);
    return o && json_array_append_new(ctx, o) == 0 ? 0 : GCA_ENOMEM;
}

int api_answers(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    gca_answer_filter f = {http_arg(rq, "country"), http_arg(rq, "question"),
                           http_arg(rq, "state")};
    /* A focal point sees its own country's answers, and no other's. */
    if (rq->role == ROLE_FOCAL) {
        if (f.country && strcmp(f.country, rq->session.user.country))
            return http_error(rs, 403, "not_permitted",
                              "country: a focal point of %s may not read "
                              "the answers of %.8s",
                              rq->session.user.country, f.country);
        f.country = rq->session.user.country;
    }
    gca_edition e;
    if (gca_edition_get(rq->st, rq->params[0], &e, &err) < 0)
        return http_fail(rs, &err);
    json_t *list = json_array();
    if (!list)
        return http_error(rs, 500, "internal", "out of memory");
    if (gca_answer_list(rq->st, rq->params[0], &f, add_answer, list, &err) <
        0) {
        json_decref(list);
        return http_fail(rs, &err);
    }
    return http_list(rq, rs, "answers", list,
                     json_pack("{s:s}", "edition", e.code));
}

int api_answer_set(http_req *rq, http_resp *rs)
{
    json_t *b = body_object(rq, rs);
    const char *value, *comment;
    if (!b)
        return 0;
    if (member(rs, b, "value", 1, &value) < 0 ||
        member(rs, b, "comment", 0, &comment) < 0) {
        json_decref(b);
        return 0;
    }
    gca_err err = {0};
    gca_store *w = http_writer(rq->srv);
    int rc = gca_answer_set(w, actor(rq), rq->params[0], rq->params[1],
                            rq->params[2], value, comment, &err);
    http_writer_release(rq->srv);
    json_decref(b);
    return rc < 0 ? http_fail(rs, &err) : ok(rs, NULL);
}

int api_answer_submit(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    gca_store *w = http_writer(rq->srv);
    int rc = gca_answer_submit(w, actor(rq), rq->params[0], rq->params[1],
                               rq->params[2], &err);
    http_writer_release(rq->srv);
    return rc < 0 ? http_fail(rs, &err) : ok(rs, NULL);
}

int api_answer_review(http_req *rq, http_resp *rs)
{
    json_t *b = body_object(rq, rs);
    const char *decision, *comment;
    if (!b)
        return 0;
    if (member(rs, b, "decision", 1, &decision) < 0 ||
        member(rs, b, "comment", 0, &comment) < 0) {
        json_decref(b);
        return 0;
    }
    gca_err err = {0};
    gca_store *w = http_writer(rq->srv);
    int rc = gca_answer_review(w, actor(rq), rq->params[0], rq->params[1],
                               rq->params[2], decision, comment, &err);
    http_writer_release(rq->srv);
    json_decref(b);
    return rc < 0 ? http_fail(rs, &err) : ok(rs, NULL);
}

int api_answer_confirm(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    gca_store *w = http_writer(rq->srv);
    int rc = gca_answer_confirm(w, actor(rq), rq->params[0], rq->params[1],
                                rq->params[2], &err);
    http_writer_release(rq->srv);
    return rc < 0 ? http_fail(rs, &err) : ok(rs, NULL);
}

/* The audit trail of one answer and of its evidence (docs/audit.md,
 * "Objects"), oldest first. A focal point sees its own country's. */
static int add_event(const gca_audit_event *ev, void *ctx)
{
    json_error_t jerr;
    json_t *data = json_loads(ev->payload ? ev->payload : "{}", 0, &jerr);
    json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "seq",
                          (json_int_t)ev->seq, "at", gca__json_text(ev->at),
                          "actor", gca__json_text(ev->actor), "action",
                          gca__json_text(ev->action), "object",
                          gca__json_text(ev->object), "data",
                          data ? data : json_object());
    return o && json_array_append_new(ctx, o) == 0 ? 0 : GCA_ENOMEM;
}

int api_answer_history(http_req *rq, http_resp *rs)
{
    const char *code = rq->params[0], *iso3 = rq->params[1],
               *question = rq->params[2];
    if (rq->role == ROLE_FOCAL && strcmp(iso3, rq->session.user.country))
        return http_error(rs, 403, "not_permitted",
                          "country: a focal point of %s may not read the "
                          "history of %.8s",
                          rq->session.user.country, iso3);
    json_t *list = json_array();
    if (!list)
        return http_error(rs, 500, "internal", "out of memory");
    gca_err err = {0};
    int rc = 0;
    for (int kind = 0; kind < 2 && rc == 0; kind++) {
        char prefix[512];
        /* The answer's own object, then its evidence items'. */
        snprintf(prefix, sizeof prefix, "edition/%s/%s/%s/%s%s", code,
                 kind ? "evidence" : "answer", iso3, question,
                 kind ? "/" : "");
        gca_audit_filter f = {.object_prefix = prefix};
        rc = gca_audit_list(rq->st, &f, add_event, list, &err);
        /* "answer/.../LEG.1.1" also starts "answer/.../LEG.1.1.1": keep
         * only this answer's. */
        if (rc == 0 && !kind) {
            size_t i = 0;
            while (i < json_array_size(list)) {
                const char *obj = json_string_value(
                    json_object_get(json_array_get(list, i), "object"));
                if (obj && strcmp(obj, prefix))
                    json_array_remove(list, i);
                else
                    i++;
            }
        }
    }
    if (rc < 0) {
        json_decref(list);
        return http_fail(rs, &err);
    }
    /* Both walks are in seq order: merge them into one (insertion). */
    size_t n = json_array_size(list);
    for (size_t i = 1; i < n; i++) {
        json_t *e = json_incref(json_array_get(list, i));
        json_int_t seq = json_integer_value(json_object_get(e, "seq"));
        size_t j = i;
        while (j > 0 && json_integer_value(json_object_get(
                            json_array_get(list, j - 1), "seq")) > seq)
            j--;
        if (j != i) {
            json_array_remove(list, i);
            json_array_insert(list, j, e);
        }
        json_decref(e);
    }
    return http_list(rq, rs, "events", list, NULL);
}

/* ====== Evidence ====== */

static int add_evidence(const gca_evidence *ev, void *ctx)
{
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:I,s:o,s:o,s:s,s:o,s:o,s:o}", "id",
        (json_int_t)ev->id, "country", ev->country, "question", ev->question,
        "kind", ev->kind, "url", gca__json_text(ev->url), "retrieved",
        gca__json_text(ev->retrieved), "sha256", gca__json_text(ev->sha256), "size",
        (json_int_t)ev->size, "mime", gca__json_text(ev->mime), "file_name",
        gca__json_text(ev->file_name), "visibility", ev->visibility, "note",
        gca__json_text(ev->note), "added_by", gca__json_text(ev->added_by), "added_at",
        gca__json_text(ev->added_at));
    return o && json_array_append_new(ctx, o) == 0 ? 0 : GCA_ENOMEM;
}

int api_evidence(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    json_t *list = json_array();
    if (!list)
        return http_error(rs, 500, "internal", "out of memory");
    /* The library shows restricted items only to whom may see them. */
    if (gca_evidence_list(rq->st, rq->has_session ? actor(rq) : NULL,
                          rq->params[0], http_arg(rq, "country"),
                          http_arg(rq, "question"), add_evidence, list,
                          &err) < 0) {
        json_decref(list);
        return http_fail(rs, &err);
    }
    return http_list(rq, rs, "evidence", list, NULL);
}

int api_evidence_url(http_req *rq, http_resp *rs)
{
    json_t *b = body_object(rq, rs);
    const char *url, *retrieved, *visibility, *note;
    if (!b)
        return 0;
    if (member(rs, b, "url", 1, &url) < 0 ||
        member(rs, b, "retrieved", 1, &retrieved) < 0 ||
        member(rs, b, "visibility", 0, &visibility) < 0 ||
        member(rs, b, "note", 0, &note) < 0) {
        json_decref(b);
        return 0;
    }
    gca_err err = {0};
    long long id = 0;
    gca_store *w = http_writer(rq->srv);
    int rc = gca_evidence_add_url(w, actor(rq), rq->params[0], rq->params[1],
                                  rq->params[2], url, retrieved, NULL,
                                  visibility ? visibility : "restricted",
                                  note, &id, &err);
    http_writer_release(rq->srv);
    json_decref(b);
    return rc < 0 ? http_fail(rs, &err)
                  : ok(rs, json_pack("{s:I}", "id", (json_int_t)id));
}

/* The file is the request body (any type: the library sniffs it); its
 * name and visibility come as query arguments. */
int api_evidence_file(http_req *rq, http_resp *rs)
{
    const char *name = http_arg(rq, "name");
    const char *visibility = http_arg(rq, "visibility");
    if (!name || !*name)
        return http_error(rs, 400, "invalid",
                          "name: the file's name is required (?name=...)");
    if (!rq->body_len)
        return http_error(rs, 400, "invalid", "body: the file is empty");
    /* The library takes a path: the bytes go to a private temporary
     * file under the name given (its directory part dropped). */
    char dir[] = "/tmp/gca-upload-XXXXXX";
    if (!mkdtemp(dir))
        return http_error(rs, 500, "internal", "cannot store the upload");
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    char path[512];
    int rc = 0;
    gca_err err = {0};
    long long id = 0;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..") ||
        strlen(base) > 255) {
        rc = http_error(rs, 400, "invalid", "name: '%.60s' is not a file "
                                            "name",
                        name);
        rmdir(dir);
        return rc;
    }
    snprintf(path, sizeof path, "%s/%s", dir, base);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(rq->body, 1, rq->body_len, f) != rq->body_len) {
        if (f)
            fclose(f);
        unlink(path);
        rmdir(dir);
        return http_error(rs, 500, "internal", "cannot store the upload");
    }
    if (fclose(f) != 0) {
        unlink(path);
        rmdir(dir);
        return http_error(rs, 500, "internal", "cannot store the upload");
    }
    gca_store *w = http_writer(rq->srv);
    rc = gca_evidence_add_file(w, actor(rq), rq->params[0], rq->params[1],
                               rq->params[2], path,
                               visibility ? visibility : "restricted",
                               http_arg(rq, "note"), &id, &err);
    http_writer_release(rq->srv);
    unlink(path);
    rmdir(dir);
    return rc < 0 ? http_fail(rs, &err)
                  : ok(rs, json_pack("{s:I}", "id", (json_int_t)id));
}

/* ====== Editions ====== */

static int edition_change(http_req *rq, http_resp *rs, const char *what)
{
    gca_err err = {0};
    int n = 0, rc;
    gca_store *w = http_writer(rq->srv);
    if (!strcmp(what, "open"))
        rc = gca_edition_open(w, actor(rq), rq->params[0], &err);
    else if (!strcmp(what, "close"))
        rc = gca_edition_close(w, actor(rq), rq->params[0], &err);
    else
        rc = gca_edition_score(w, actor(rq), rq->params[0], &n, &err);
    http_writer_release(rq->srv);
    if (rc < 0)
        return http_fail(rs, &err);
    return ok(rs, strcmp(what, "score")
                      ? NULL
                      : json_pack("{s:b,s:i}", "ok", 1, "scored", n));
}

int api_edition_open(http_req *rq, http_resp *rs)
{
    return edition_change(rq, rs, "open");
}

int api_edition_close(http_req *rq, http_resp *rs)
{
    return edition_change(rq, rs, "close");
}

int api_edition_score(http_req *rq, http_resp *rs)
{
    return edition_change(rq, rs, "score");
}

/* The bundle of a published edition: DIR/CODE.json. */
static int bundle_path(http_req *rq, char *out, size_t size)
{
    const char *code = rq->params[0];
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return -1;
    int n = snprintf(out, size, "%s/%s.json", http_opts(rq->srv)->bundles,
                     code);
    return n > 0 && (size_t)n < size && *code ? 0 : -1;
}

/* closed -> published, signed with the server's key (--key) into the
 * bundle directory (--bundles), never overwriting a bundle. */
int api_edition_publish(http_req *rq, http_resp *rs)
{
    const http_options *o = http_opts(rq->srv);
    char path[4096];
    if (!o->key)
        return http_error(rs, 409, "conflict",
                          "this server has no signing key: start it with "
                          "--key FILE to publish");
    if (bundle_path(rq, path, sizeof path) < 0)
        return http_error(rs, 404, "not_found", "no such edition");
    gca_err err = {0};
    gca_key *key = NULL;
    int rc = gca_key_load_secret(o->key, &key, &err);
    if (rc == 0) {
        gca_store *w = http_writer(rq->srv);
        rc = gca_edition_publish(w, actor(rq), rq->params[0], key, path,
                                 &err);
        http_writer_release(rq->srv);
    }
    json_t *extra = rc == 0 ? json_pack("{s:b,s:s}", "ok", 1, "key",
                                        gca_key_id(key))
                            : NULL;
    gca_key_free(key);
    if (rc < 0) {
        /* The key's file name is the operator's business, not the
         * caller's. */
        if (err.code == GCA_EIO || err.code == GCA_EPERM ||
            err.code == GCA_EPARSE)
            return http_error(rs, 500, "internal",
                              "the server's signing key cannot be used");
        return http_fail(rs, &err);
    }
    return ok(rs, extra);
}

/* The signed bundle of a published edition, as written at publication
 * (verify it with the public key: docs/signing.md). */
int api_edition_bundle(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    gca_edition e;
    char path[4096];
    if (gca_edition_get(rq->st, rq->params[0], &e, &err) < 0 ||
        strcmp(e.state, "published") || bundle_path(rq, path, sizeof path) < 0)
        return http_error(rs, 404, "not_found",
                          "edition: no published edition '%.40s'",
                          rq->params[0]);
    FILE *f = fopen(path, "rb");
    if (!f)
        return http_error(rs, 404, "not_found",
                          "the bundle of %s is not on this server", e.code);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        gca_buf_add(&rs->body, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || gca_buf_error(&rs->body))
        return http_error(rs, 500, "internal", "cannot read the bundle");
    rs->status = 200;
    rs->type = "application/json";
    rs->cache = 1;
    return 0;
}

/* ====== Users ====== */

int api_user_add(http_req *rq, http_resp *rs)
{
    json_t *b = body_object(rq, rs);
    const char *name, *role, *country, *password;
    if (!b)
        return 0;
    if (member(rs, b, "name", 1, &name) < 0 ||
        member(rs, b, "role", 1, &role) < 0 ||
        member(rs, b, "country", 0, &country) < 0 ||
        member(rs, b, "password", 0, &password) < 0) {
        json_decref(b);
        return 0;
    }
    gca_err err = {0};
    gca_store *w = http_writer(rq->srv);
    int rc = gca_user_add(w, actor(rq), name, role, country, password, &err);
    http_writer_release(rq->srv);
    json_decref(b);
    return rc < 0 ? http_fail(rs, &err) : ok(rs, NULL);
}
