/*
 * endpoints/flow.c: the browser side of the code flow, shared by /authorize, /login
 * and /consent.
 *
 * Cookies: a browser id (binds pending requests and CSRF tokens) and the session id,
 * both random, HttpOnly, SameSite=Lax, and Secure with the __Host- prefix when the
 * issuer is https. Only their SHA-256 reaches the database.
 */
#include "endpoints/flow.h"

#include <string.h>
#include <time.h>

#include "base/hash.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/url.h"
#include "http/response.h"
#include "oauth/error.h"
#include "store/codes.h"
#include "store/grants.h"

#define AUTHREQ_TTL 600

static bool
is_https(const gh_app_t *app)
{
    return strncmp(app->cfg->issuer, "https://", 8) == 0;
}

static const char *
cookie_name(const gh_app_t *app, const char *base)
{
    return gh_arena_printf(app->arena, "%s%s", is_https(app) ? "__Host-" : "", base);
}

const char *
gh_flow_url(gh_app_t *app, const char *path)
{
    return gh_arena_printf(app->arena, "%s%s", app->cfg->issuer, path);
}

gh_status_t
gh_flow_see_other(gh_app_t *app, gh_req_t *req, const char *path)
{
    gh_http_no_store(req);
    gh_http_redirect(req, 303, gh_flow_url(app, path));
    return GH_OK;
}

static char *
hash_of(gh_app_t *app, const char *raw, gh_err_t *err)
{
    char *h = NULL;
    return gh_hash_sha256_hex(app->arena, raw, &h, err) == GH_OK ? h : NULL;
}

/* Cookie values we made are 43 base64url characters; anything else is ignored. */
static const char *
our_cookie(gh_app_t *app, gh_req_t *req, const char *base)
{
    const char *v = gh_http_cookie(req, cookie_name(app, base));
    if (v == NULL || strlen(v) != 43 ||
        strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != 43)
        return NULL;
    return v;
}

const char *
gh_flow_browser(gh_app_t *app, gh_req_t *req, bool create, gh_err_t *err)
{
    const char *id = our_cookie(app, req, "gh_browser");
    if (id != NULL || !create)
        return id;
    char *fresh = NULL;
    if (gh_rand_token(app->arena, &fresh, err) != GH_OK)
        return NULL;
    gh_http_cookie_set(req, cookie_name(app, "gh_browser"), fresh, -1, is_https(app));
    return fresh;
}

gh_status_t
gh_flow_session(gh_app_t *app, gh_req_t *req, gh_session_t *out, gh_err_t *err)
{
    const char *raw = our_cookie(app, req, "gh_session");
    if (raw == NULL)
        return gh_fail(err, GH_E_NOTFOUND, "no session");
    const char *h = hash_of(app, raw, err);
    if (h == NULL)
        return err->status;
    return gh_store_session_get(app->db, app->arena, h, app->cfg->session_idle_ttl, out, err);
}

gh_status_t
gh_flow_session_start(gh_app_t *app, gh_req_t *req, const char *user_id, gh_session_t *out,
                      gh_err_t *err)
{
    const char *old = our_cookie(app, req, "gh_session");
    const char *old_hash = old != NULL ? hash_of(app, old, NULL) : NULL;
    if (old_hash != NULL)
        gh_store_session_delete(app->db, old_hash, NULL);
    char *raw = NULL;
    gh_status_t st = gh_rand_token(app->arena, &raw, err);
    const char *h = st == GH_OK ? hash_of(app, raw, err) : NULL;
    if (h == NULL)
        return err->status;
    gh_strlist_t amr = { 0 };
    gh_strlist_add(app->arena, &amr, "pwd");
    st = gh_store_session_insert(app->db, app->arena, h, user_id, &amr, app->cfg->session_ttl,
                                 out, err);
    if (st == GH_OK)
        gh_http_cookie_set(req, cookie_name(app, "gh_session"), raw, -1, is_https(app));
    return st;
}

gh_status_t
gh_flow_session_end(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    const char *raw = our_cookie(app, req, "gh_session");
    const char *h = raw != NULL ? hash_of(app, raw, err) : NULL;
    gh_status_t st = h != NULL ? gh_store_session_delete(app->db, h, err) : GH_OK;
    if (st == GH_OK)
        gh_http_cookie_set(req, cookie_name(app, "gh_session"), "", 0, is_https(app));
    return st;
}

gh_status_t
gh_flow_load(gh_app_t *app, gh_req_t *req, const char **handle, gh_authreq_t *r,
             gh_client_t *client, gh_err_t *err)
{
    const char *browser = gh_flow_browser(app, req, false, err);
    gh_status_t st = gh_http_arg(req, "req", handle, err);
    if (st != GH_OK)
        return st;
    if (*handle == NULL || browser == NULL)
        return gh_fail(err, GH_E_NOTFOUND, "this sign-in request is unknown or has expired");
    const char *h = hash_of(app, *handle, err);
    const char *bh = hash_of(app, browser, err);
    if (h == NULL || bh == NULL)
        return err->status;
    st = gh_store_authreq_get(app->db, app->arena, h, bh, r, err);
    if (st == GH_E_NOTFOUND)
        return gh_fail(err, GH_E_NOTFOUND, "this sign-in request is unknown or has expired");
    if (st == GH_OK)
        st = gh_store_client_get(app->db, app->arena, r->client_id, client, err);
    if (st == GH_OK && client->disabled)
        return gh_fail(err, GH_E_NOTFOUND, "this application is disabled");
    return st;
}

gh_status_t
gh_flow_mark_login_done(gh_app_t *app, const char *handle, gh_err_t *err)
{
    const char *h = hash_of(app, handle, err);
    if (h == NULL)
        return err->status;
    return gh_store_authreq_set_login_done(app->db, h, err);
}

static void
forget(gh_app_t *app, const char *handle)
{
    const char *h = handle != NULL ? hash_of(app, handle, NULL) : NULL;
    if (h != NULL)
        gh_store_authreq_delete(app->db, h, NULL);
}

/* The form of the form_post response mode: Post.Action and Post.Params. */
static void
set_post_form(gh_app_t *app, gh_ui_page_t *page, const gh_authreq_t *r,
              const char *const *pairs)
{
    gh_ui_set(page, "Post.Action", r->redirect_uri);
    for (size_t i = 0, n = 0; pairs[i] != NULL; i += 2) {
        if (pairs[i + 1] == NULL)
            continue;
        gh_ui_set(page, gh_arena_printf(app->arena, "Post.Params.%zu.Name", n), pairs[i]);
        gh_ui_set(page, gh_arena_printf(app->arena, "Post.Params.%zu.Value", n), pairs[i + 1]);
        n++;
    }
}

/* Answers at the redirect URI: a 303 with the parameters in the query, or the
 * auto-submitting form of the form_post response mode. pairs end with NULL. */
static gh_status_t
answer(gh_app_t *app, gh_req_t *req, const gh_authreq_t *r, const char *const *pairs,
       gh_err_t *err)
{
    gh_http_no_store(req);
    if (strcmp(r->response_mode, "form_post") != 0) {
        gh_http_redirect(req, 303, gh_url_add_query(app->arena, r->redirect_uri, pairs));
        return GH_OK;
    }
    gh_ui_page_t *page = gh_flow_page(app, req, r->ui_locales);
    set_post_form(app, page, r, pairs);
    char *nonce = NULL;
    gh_status_t st = gh_rand_token(app->arena, &nonce, err);
    if (st != GH_OK) {
        gh_ui_page_free(page);
        return st;
    }
    gh_ui_set(page, "Page.ScriptNonce", nonce);
    st = gh_flow_render(app, req, page, "form_post.cs", 200, err);
    gh_http_header_set(req, "Content-Security-Policy",
                       gh_arena_printf(app->arena, "default-src 'none'; script-src 'nonce-%s';"
                                       " style-src 'self'; frame-ancestors 'none';"
                                       " base-uri 'none'", nonce));
    return st;
}

/* R07 (RFC 9700 4.11.2): an error for an app that registered itself is not sent by an
 * automatic redirect before the person has done anything in this request, or anyone
 * could register a phishing site's URI and bounce people to it (prompt=none and a
 * bogus scope). The error page says what went wrong and offers the way back: a link,
 * or for form_post a button, to the same answer. pairs start with error and
 * error_description. */
static gh_status_t
confirm_error(gh_app_t *app, gh_req_t *req, const gh_authreq_t *r, const char *const *pairs,
              gh_err_t *err)
{
    gh_ui_page_t *page = gh_flow_page(app, req, r->ui_locales);
    gh_ui_set(page, "Page.Error", pairs[1]);
    gh_ui_set(page, "Page.Message", pairs[3]);
    if (strcmp(r->response_mode, "form_post") == 0)
        set_post_form(app, page, r, pairs);
    else
        gh_ui_set(page, "Page.Continue", gh_url_add_query(app->arena, r->redirect_uri, pairs));
    return gh_flow_render(app, req, page, "error.cs", 400, err);
}

gh_status_t
gh_flow_answer_error(gh_app_t *app, gh_req_t *req, const char *handle, const gh_authreq_t *r,
                     const gh_client_t *client, const gh_err_t *oauth_err)
{
    forget(app, handle);
    const char *pairs[] = {
        "error", oauth_err->oauth_error != NULL ? oauth_err->oauth_error : "server_error",
        "error_description", oauth_err->description[0] ? oauth_err->description : NULL,
        "state", r->state, "iss", app->cfg->issuer, NULL,
    };
    gh_err_t err = { 0 };
    bool confirm = handle == NULL && client->is_dynamically_registered;
    gh_status_t st = confirm ? confirm_error(app, req, r, pairs, &err)
                             : answer(app, req, r, pairs, &err);
    if (st != GH_OK)
        gh_log_error("cannot answer an authorization error");
    return GH_OK;
}

gh_status_t
gh_flow_issue_code(gh_app_t *app, gh_req_t *req, const char *handle, const gh_authreq_t *r,
                   const gh_client_t *client, const gh_session_t *session, gh_err_t *err)
{
    gh_strlist_t scopes = { 0 };
    bool ok = true;
    gh_strlist_split(app->arena, r->scope, &scopes, &ok);
    gh_code_t code = {
        .client_id = client->client_id, .user_id = session->user_id,
        .redirect_uri = r->redirect_uri, .redirect_uri_given = r->redirect_uri_given,
        .scope = r->scope, .nonce = r->nonce, .code_challenge = r->code_challenge,
        .sid = session->sid, .auth_time = session->auth_time, .amr = session->amr,
    };
    char *raw = NULL;
    const char *h = NULL;
    gh_status_t st = gh_store_grant_add_scopes(app->db, app->arena, session->user_id,
                                               client->client_id, &scopes, &code.grant_id, err);
    if (st == GH_OK)
        st = gh_rand_token(app->arena, &raw, err);
    if (st == GH_OK && (h = hash_of(app, raw, err)) == NULL)
        st = err->status;
    if (st == GH_OK)
        st = gh_store_code_insert(app->db, app->arena, h, &code, app->cfg->code_ttl, err);
    if (st != GH_OK)
        return st;
    forget(app, handle);
    req->client_id = client->client_id;
    const char *pairs[] = { "code", raw, "state", r->state, "iss", app->cfg->issuer, NULL };
    return answer(app, req, r, pairs, err);
}

/* Stores the request under a new handle (first time) and sends the browser to page. */
static gh_status_t
send_to_page(gh_app_t *app, gh_req_t *req, const char *handle, const gh_authreq_t *r,
             const char *page, gh_err_t *err)
{
    if (handle == NULL) {
        const char *browser = gh_flow_browser(app, req, true, err);
        char *raw = NULL;
        gh_status_t st = browser != NULL ? gh_rand_token(app->arena, &raw, err) : err->status;
        const char *h = st == GH_OK ? hash_of(app, raw, err) : NULL;
        const char *bh = h != NULL ? hash_of(app, browser, err) : NULL;
        if (bh == NULL)
            return err->status;
        st = gh_store_authreq_insert(app->db, h, bh, r, AUTHREQ_TTL, err);
        if (st != GH_OK)
            return st;
        handle = raw;
    }
    const char *pairs[] = { "req", handle, NULL };
    gh_http_no_store(req);
    gh_http_redirect(req, 303, gh_url_add_query(app->arena, gh_flow_url(app, page), pairs));
    return GH_OK;
}

gh_status_t
gh_flow_continue(gh_app_t *app, gh_req_t *req, const char *handle, const gh_authreq_t *r,
                 const gh_client_t *client, const gh_session_t *session, const char *hint_sub,
                 gh_err_t *err)
{
    gh_grant_t grant = { 0 };
    const gh_strlist_t *granted = NULL;
    if (session != NULL) {
        gh_status_t st = gh_store_grant_find(app->db, app->arena, session->user_id,
                                             client->client_id, &grant, err);
        if (st != GH_OK && st != GH_E_NOTFOUND)
            return st;
        granted = st == GH_OK ? &grant.scopes : NULL;
    }
    gh_authz_next_t next;
    gh_err_t oerr = { 0 };
    if (gh_oauth_authorize_next(client, r, session, hint_sub, granted, (long long)time(NULL),
                                &next, &oerr) != GH_OK)
        return gh_flow_answer_error(app, req, handle, r, client, &oerr);
    /* authorize_next never says "issue" without a session; checking it here keeps a
     * code from ever being issued for no one, whatever that function becomes. */
    if (next == GH_AUTHZ_LOGIN || session == NULL)
        return send_to_page(app, req, handle, r, "/login", err);
    if (next == GH_AUTHZ_CONSENT)
        return send_to_page(app, req, handle, r, "/consent", err);
    return gh_flow_issue_code(app, req, handle, r, client, session, err);
}

gh_ui_page_t *
gh_flow_page(gh_app_t *app, gh_req_t *req, const char *ui_locales)
{
    const char *lang = gh_ui_pick_lang(app->arena, app->cfg->template_dir, ui_locales,
                                       gh_http_env(req, "HTTP_ACCEPT_LANGUAGE"));
    gh_ui_page_t *page = gh_ui_page_new(app->cfg->template_dir, lang);
    if (page != NULL)
        gh_ui_set(page, "Page.Static", gh_flow_url(app, "/static"));
    return page;
}

gh_status_t
gh_flow_render(gh_app_t *app, gh_req_t *req, gh_ui_page_t *page, const char *template,
               int status, gh_err_t *err)
{
    if (page == NULL)
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    char *html = NULL;
    size_t len = 0;
    gh_status_t st = gh_ui_render(page, template, app->arena, &html, &len, err);
    if (st != GH_OK)
        return st;
    gh_http_no_store(req);
    gh_http_respond_html(req, status, html, len);
    return GH_OK;
}
