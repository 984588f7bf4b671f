/*
 * store/authreq.c: pending authorization requests.
 */
#define GH_DB_INTERNAL
#include "store/authreq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/rows.h"

gh_status_t
gh_store_authreq_insert(gh_db_t *db, const char *handle_hash, const char *browser_hash,
                        const gh_authreq_t *r, long ttl, gh_err_t *err)
{
    char ttl_s[24], max_age[24];
    snprintf(ttl_s, sizeof ttl_s, "%ld", ttl);
    snprintf(max_age, sizeof max_age, "%ld", r->max_age);
    const char *params[] = {
        handle_hash, browser_hash, r->client_id, r->redirect_uri,
        r->redirect_uri_given ? "t" : "f", r->response_mode, r->scope, r->state, r->nonce,
        r->code_challenge, r->prompt, r->max_age >= 0 ? max_age : NULL, r->login_hint,
        r->ui_locales, ttl_s,
    };
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_AUTHREQ_INSERT, params, &res, err);
    PQclear(res);
    return st;
}

gh_status_t
gh_store_authreq_get(gh_db_t *db, gh_arena_t *a, const char *handle_hash,
                     const char *browser_hash, gh_authreq_t *out, gh_err_t *err)
{
    const char *params[] = { handle_hash, browser_hash };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_AUTHREQ_GET, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no such pending request");
    }
    memset(out, 0, sizeof *out);
    out->client_id = gh_row_str(a, r, 0, 0);
    out->redirect_uri = gh_row_str(a, r, 0, 1);
    out->redirect_uri_given = gh_row_bool(r, 0, 2);
    out->response_mode = gh_row_str(a, r, 0, 3);
    out->scope = gh_row_str(a, r, 0, 4);
    out->state = gh_row_str(a, r, 0, 5);
    out->nonce = gh_row_str(a, r, 0, 6);
    out->code_challenge = gh_row_str(a, r, 0, 7);
    out->prompt = gh_row_str(a, r, 0, 8);
    out->max_age = PQgetisnull(r, 0, 9) ? -1 : (long)gh_row_int(r, 0, 9);
    out->login_hint = gh_row_str(a, r, 0, 10);
    out->ui_locales = gh_row_str(a, r, 0, 11);
    out->login_done = gh_row_bool(r, 0, 12);
    PQclear(r);
    return GH_OK;
}

static gh_status_t
by_handle(gh_db_t *db, gh_stmt_id_t id, const char *handle_hash, gh_err_t *err)
{
    const char *params[] = { handle_hash };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    PQclear(r);
    return st;
}

gh_status_t
gh_store_authreq_set_login_done(gh_db_t *db, const char *handle_hash, gh_err_t *err)
{
    return by_handle(db, GH_STMT_AUTHREQ_LOGIN_DONE, handle_hash, err);
}

gh_status_t
gh_store_authreq_delete(gh_db_t *db, const char *handle_hash, gh_err_t *err)
{
    return by_handle(db, GH_STMT_AUTHREQ_DELETE, handle_hash, err);
}
