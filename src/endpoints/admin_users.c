/*
 * endpoints/admin_users.c: users on the admin page: list and search, create with a
 * password, reset a password, disable, enable, unlock; and per user, the apps they
 * granted access to (grants) and their browser sessions, each revocable.
 *
 * Passwords are hashed here with scrypt (base/password.c) like the command line does;
 * the raw password only passes through the request, whose arena is wiped at its end.
 * An administrator cannot disable their own account: the page would lock them out
 * with nobody left to undo it. Revoking a grant revokes its tokens (store/grants.c),
 * as on the person's own /account page.
 */
#include "endpoints/admin_users.h"

#include <string.h>

#include "base/log.h"
#include "base/password.h"
#include "http/response.h"
#include "store/grants.h"
#include "store/sessions.h"
#include "store/users.h"

#define LIST_LIMIT 500
#define MIN_PASSWORD 8

static gh_status_t
respond_done(gh_req_t *req)
{
    gh_http_respond_empty(req, 204);
    return GH_OK;
}

/* 8-4-4-4-12 hex digits: anything else cannot name a row, and PostgreSQL would refuse
 * it as input rather than find nothing. */
static bool
is_uuid(const char *s)
{
    static const char hex[] = "0123456789abcdefABCDEF";
    if (strlen(s) != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : strchr(hex, s[i]) == NULL)
            return false;
    }
    return true;
}

/* The user the path names. */
static gh_status_t
load_user(gh_app_t *app, const gh_admin_call_t *call, gh_user_t *u, gh_err_t *err)
{
    gh_status_t st = is_uuid(call->arg[0])
                         ? gh_store_user_get(app->db, app->arena, call->arg[0], u, err)
                         : GH_E_NOTFOUND;
    if (st == GH_E_NOTFOUND)
        return gh_fail(err, GH_E_NOTFOUND, "no such user");
    return st;
}

static json_t *
summary_json(gh_app_t *app, const gh_admin_call_t *call, const void *item)
{
    (void)app;
    (void)call;
    const gh_user_summary_t *u = item;
    json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:o, s:I, s:I}", "id", u->id, "username",
                          u->username, "is_admin", u->is_admin, "disabled", u->disabled,
                          "created_at", gh_admin_time(u->created_at), "failed_logins",
                          (json_int_t)u->failures, "locked_for", (json_int_t)u->locked_for);
    if (o != NULL && u->email != NULL)
        json_object_set_new(o, "email", json_string(u->email));
    if (o != NULL && u->name != NULL)
        json_object_set_new(o, "name", json_string(u->name));
    return o;
}

gh_status_t
gh_admin_users_list(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call, gh_err_t *err)
{
    gh_user_summary_t *us = NULL;
    size_t n = 0;
    gh_status_t st = gh_store_user_search(app->db, app->arena, gh_admin_query(req),
                                          LIST_LIMIT, &us, &n, err);
    if (st != GH_OK)
        return st;
    return gh_admin_respond_list(app, req, call, "users", us, n, sizeof *us, summary_json);
}

/* The body's password, hashed. */
static gh_status_t
hashed_password(gh_app_t *app, const gh_req_t *req, char **hash, gh_err_t *err)
{
    const char *pw = NULL;
    gh_status_t st = gh_admin_body_string(req, "password", &pw, err);
    if (st != GH_OK)
        return st;
    size_t n = pw != NULL ? strlen(pw) : 0;
    if (n < MIN_PASSWORD || n > GH_PASSWORD_MAX_LEN)
        return gh_fail(err, GH_E_INPUT, "the password must have %d to %d characters",
                       MIN_PASSWORD, GH_PASSWORD_MAX_LEN);
    return gh_password_hash(app->arena, pw, hash, err);
}

static gh_status_t
read_new_user(gh_app_t *app, const gh_req_t *req, gh_user_new_t *u, gh_err_t *err)
{
    const json_t *body = NULL;
    gh_status_t st = gh_admin_body(req, &body, err);
    if (st == GH_OK)
        st = gh_admin_body_string(req, "username", &u->username, err);
    if (st == GH_OK)
        st = gh_admin_body_string(req, "email", &u->email, err);
    if (st == GH_OK)
        st = gh_admin_body_string(req, "name", &u->name, err);
    if (st == GH_OK)
        st = gh_admin_body_bool(req, "is_admin", &u->is_admin, err);
    if (st != GH_OK)
        return st;
    if (u->username == NULL || u->username[0] == '\0')
        return gh_fail(err, GH_E_INPUT, "a username is required");
    if (u->email != NULL && u->email[0] == '\0')
        u->email = NULL;
    if (u->name != NULL && u->name[0] == '\0')
        u->name = NULL;
    char *hash = NULL;
    st = hashed_password(app, req, &hash, err);
    u->password_hash = hash;
    return st;
}

gh_status_t
gh_admin_users_create(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                      gh_err_t *err)
{
    (void)call;
    gh_user_new_t u = { 0 };
    const char *id = NULL;
    gh_status_t st = read_new_user(app, req, &u, err);
    if (st == GH_OK)
        st = gh_store_user_insert(app->db, app->arena, &u, &id, err);
    if (st != GH_OK)
        return st;
    gh_log_info("admin created user %s rid=%s", id, req->request_id);
    return gh_admin_respond(req, 201, json_pack("{s:{s:s, s:s}}", "user", "id", id,
                                                "username", u.username));
}

gh_status_t
gh_admin_users_password(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                        gh_err_t *err)
{
    gh_user_t u;
    char *hash = NULL;
    gh_status_t st = load_user(app, call, &u, err);
    if (st == GH_OK)
        st = hashed_password(app, req, &hash, err);
    if (st == GH_OK)
        st = gh_store_user_set_password(app->db, u.username, hash, err);
    return st == GH_OK ? respond_done(req) : st;
}

gh_status_t
gh_admin_users_set_disabled(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                            gh_err_t *err)
{
    bool disabled = strcmp(call->verb, "disable") == 0;
    gh_user_t u;
    gh_status_t st = load_user(app, call, &u, err);
    if (st != GH_OK)
        return st;
    if (disabled && strcmp(u.id, call->session.user_id) == 0)
        return gh_fail(err, GH_E_INPUT, "you cannot disable your own account");
    st = gh_store_user_set_disabled(app->db, u.username, disabled, err);
    return st == GH_OK ? respond_done(req) : st;
}

gh_status_t
gh_admin_users_unlock(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call, gh_err_t *err)
{
    gh_user_t u;
    gh_status_t st = load_user(app, call, &u, err);
    if (st == GH_OK)
        st = gh_store_user_unlock(app->db, u.id, err);
    return st == GH_OK ? respond_done(req) : st;
}

static json_t *
grant_json(gh_app_t *app, const gh_admin_call_t *call, const void *item)
{
    (void)call;
    const gh_grant_info_t *g = item;
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "id", g->id, "client_id", g->client_id,
                     "client_name", g->client_name, "scope",
                     gh_strlist_join(app->arena, &g->scopes, " "), "created_at",
                     gh_admin_time(g->created_at), "updated_at", gh_admin_time(g->updated_at));
}

gh_status_t
gh_admin_users_grants(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call, gh_err_t *err)
{
    gh_user_t u;
    gh_grant_info_t *gs = NULL;
    size_t n = 0;
    gh_status_t st = load_user(app, call, &u, err);
    if (st == GH_OK)
        st = gh_store_grant_list_for_user(app->db, app->arena, u.id, &gs, &n, err);
    if (st != GH_OK)
        return st;
    return gh_admin_respond_list(app, req, call, "grants", gs, n, sizeof *gs, grant_json);
}

gh_status_t
gh_admin_users_grant_revoke(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                            gh_err_t *err)
{
    gh_user_t u;
    long long tokens = 0;
    gh_status_t st = load_user(app, call, &u, err);
    if (st == GH_OK && !is_uuid(call->arg[1]))
        st = gh_fail(err, GH_E_NOTFOUND, "no such grant");
    if (st == GH_OK)
        st = gh_store_grant_revoke(app->db, call->arg[1], u.id,
                                   gh_config_max_token_ttl(app->cfg), &tokens, err);
    if (st != GH_OK)
        return st;
    gh_log_info("admin revoked grant %s and %lld tokens rid=%s", call->arg[1], tokens,
                req->request_id);
    return respond_done(req);
}

static json_t *
session_json(gh_app_t *app, const gh_admin_call_t *call, const void *item)
{
    const gh_session_info_t *s = item;
    return json_pack("{s:s, s:o, s:o, s:o, s:s, s:b}", "sid", s->sid, "created_at",
                     gh_admin_time(s->created_at), "last_seen_at",
                     gh_admin_time(s->last_seen_at), "expires_at",
                     gh_admin_time(s->expires_at), "amr",
                     gh_strlist_join(app->arena, &s->amr, " "), "current",
                     strcmp(s->sid, call->session.sid) == 0);
}

gh_status_t
gh_admin_users_sessions(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                        gh_err_t *err)
{
    gh_user_t u;
    gh_session_info_t *ss = NULL;
    size_t n = 0;
    gh_status_t st = load_user(app, call, &u, err);
    if (st == GH_OK)
        st = gh_store_session_list_for_user(app->db, app->arena, u.id,
                                            app->cfg->session_idle_ttl, &ss, &n, err);
    if (st != GH_OK)
        return st;
    return gh_admin_respond_list(app, req, call, "sessions", ss, n, sizeof *ss, session_json);
}

gh_status_t
gh_admin_users_session_revoke(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                              gh_err_t *err)
{
    gh_user_t u;
    gh_status_t st = load_user(app, call, &u, err);
    if (st == GH_OK && !is_uuid(call->arg[1]))
        st = gh_fail(err, GH_E_NOTFOUND, "no such session");
    if (st == GH_OK)
        st = gh_store_session_revoke(app->db, call->arg[1], u.id, err);
    return st == GH_OK ? respond_done(req) : st;
}
