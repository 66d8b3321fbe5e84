/* workflow.h - what the workflow modules of the store (editions.c,
 * answers.c, evidence.c, score.c) share: the acting user, the edition
 * and its framework, the rules of who may act for which country. The
 * rules themselves are in docs/workflow.md. */
#ifndef GCA_STORE_WORKFLOW_H
#define GCA_STORE_WORKFLOW_H

#include <jansson.h>

#include "gca/users.h"
#include "gca/workflow.h"
#include "store/backend.h"

/* The acting user `actor`, who must exist and be enabled (users.c). */
int gca__store_actor(gca_store *st, const char *actor, gca_user *out,
                     gca_err *err);

/* Edition `code` into *out: GCA_ENOTFOUND if there is none. */
int gca__edition_load(gca_store *st, const char *code, gca_edition *out,
                      gca_err *err);
/* GCA_ESTATE unless edition `e` is in `state` ("open"), naming `what`
 * the caller wanted to do ("add evidence"). */
int gca__edition_require(gca_store *st, const gca_edition *e,
                         const char *state, const char *what, gca_err *err);
/* The framework of edition `e`, borrowed from the store's cache: valid
 * until the next call with another edition or gca_store_close. */
int gca__edition_fw(gca_store *st, const gca_edition *e,
                    const gca_framework **fw, gca_err *err);
/* Mark the stored scores of edition `id` out of date (an approved answer
 * changed). Inside the caller's transaction. */
int gca__edition_unscore(gca_store *st, long long id, gca_err *err);

/* The question `code` of `fw` and the index of its node in *node (may be
 * NULL); NULL if there is none. */
const gca_question *gca__question_find(const gca_framework *fw,
                                       const char *code, int *node);

/* GCA_ENOTFOUND unless `iso3` is a country of the store (the field name
 * "country" in the message). */
int gca__country_require(gca_store *st, const char *iso3, gca_err *err);
/* An admin's change to edition `code`: the schema checked, a transaction
 * begun, the actor an admin (refusals name `what`), the edition loaded
 * into *e. 0 with the transaction open, else rolled back. */
int gca__edition_admin_begin(gca_store *st, const char *actor,
                             const char *code, const char *what,
                             gca_user *a, gca_edition *e, gca_err *err);
/* The audit event `action` on "edition/CODE" with `data` (stolen; NULL
 * means out of memory), inside the caller's transaction. */
int gca__edition_event(gca_store *st, const char *actor,
                       const char *action, const gca_edition *e,
                       json_t *data, gca_err *err);
/* Publication's robustness analysis of edition `e` (robustness.c): rows
 * stored, member "robustness" added to `payload`. Nothing when no
 * country is scored or the method does not aggregate. */
int gca__edition_robustness_run(gca_store *st, const gca_edition *e,
                                const char *now, json_t *payload,
                                gca_err *err);

/* GCA_EPERM unless `a` is an admin, naming `what` it may not do ("add
 * users"). */
int gca__require_admin(gca_store *st, const gca_user *a, const char *what,
                       gca_err *err);

/* GCA_EPERM unless `u` may change data of `country`: an analyst, or the
 * focal point of that country. `what` names the change in the message. */
int gca__may_write_country(gca_store *st, const gca_user *u,
                           const char *country, const char *what,
                           gca_err *err);
/* 1 if `u` (NULL = the public) may see restricted data of `country`:
 * admins, analysts, and the focal point of that country. */
int gca__may_read_restricted(const gca_user *u, const char *country);

/* Bytes of `s` up to `max`: GCA_EINVAL naming `field` when longer, not
 * valid UTF-8 or holding a control character other than \n and \t. NULL
 * passes. */
int gca__check_text(gca_store *st, const char *field, const char *s,
                    size_t max, gca_err *err);

/* A date YYYY-MM-DD that is a real day from 1900 on and not after today
 * (UTC); GCA_EINVAL naming `field` otherwise. `what` names the date in
 * the message when none is given ("retrieval date"). */
int gca__check_date(const char *d, const char *field, const char *what,
                    gca_err *err);

#endif
