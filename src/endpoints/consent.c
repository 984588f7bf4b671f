/*
 * endpoints/consent.c: asking the person whether the client may have the scopes.
 *
 * Only a POST with this browser's CSRF token approves (RFC 6749 10.12, R16); the page
 * lists only the scopes not granted before, each with its description in the page's
 * language. Deny answers access_denied at the client (OIDC Core 3.1.2.6).
 */
#include "endpoints/consent.h"

#include <string.h>

#include "endpoints/flow.h"
#include "oauth/csrf.h"
#include "oauth/error.h"
#include "store/grants.h"
#include "store/scopes.h"

typedef struct {
    const char   *handle;
    gh_authreq_t  r;
    gh_client_t   client;
    gh_session_t  session;
    const char   *browser;
} consent_ctx_t;

static void
set_scopes(gh_app_t *app, gh_ui_page_t *page, const consent_ctx_t *c, const char *lang)
{
    gh_grant_t grant = { 0 };
    bool has = gh_store_grant_find(app->db, app->arena, c->session.user_id,
                                   c->client.client_id, &grant, NULL) == GH_OK;
    gh_strlist_t ask = { 0 };
    gh_oauth_authorize_new_scopes(app->arena, &c->r, has ? &grant.scopes : NULL, &ask);
    if (ask.n == 0)   /* prompt=consent for scopes granted before: show them all */
        gh_oauth_authorize_new_scopes(app->arena, &c->r, NULL, &ask);
    gh_scope_t *scopes = NULL;
    size_t n = 0;
    if (gh_store_scopes_get(app->db, app->arena, &ask, lang, &scopes, &n, NULL) != GH_OK)
        n = 0;
    for (size_t i = 0; i < ask.n; i++) {
        const char *desc = NULL;
        for (size_t k = 0; k < n; k++)
            if (strcmp(scopes[k].name, ask.items[i]) == 0)
                desc = scopes[k].description;
        gh_ui_set(page, gh_arena_printf(app->arena, "Scopes.%zu.Name", i), ask.items[i]);
        gh_ui_set(page, gh_arena_printf(app->arena, "Scopes.%zu.Description", i), desc);
    }
}

static gh_status_t
render(gh_app_t *app, gh_req_t *req, const consent_ctx_t *c, int status, gh_err_t *err)
{
    char *csrf = NULL;
    gh_status_t st = gh_oauth_csrf_token(app, c->browser, "consent", c->handle, &csrf, err);
    if (st != GH_OK)
        return st;
    gh_ui_page_t *page = gh_flow_page(app, req, c->r.ui_locales);
    gh_ui_set(page, "Page.Csrf", csrf);
    gh_ui_set(page, "Page.Req", c->handle);
    gh_ui_set(page, "Page.Action", gh_flow_url(app, "/consent"));
    gh_ui_set(page, "Client.Name", c->client.name);
    gh_ui_set(page, "Client.LogoUri", c->client.logo_uri);
    gh_ui_set(page, "Client.TosUri", c->client.tos_uri);
    gh_ui_set(page, "Client.PolicyUri", c->client.policy_uri);
    gh_ui_set(page, "Client.Unverified", c->client.is_dynamically_registered ? "1" : NULL);
    gh_ui_set(page, "User.Name", c->session.display_name);
    set_scopes(app, page, c, gh_ui_page_lang(page));
    return gh_flow_render(app, req, page, "consent.cs", status, err);
}

static gh_status_t
decide(gh_app_t *app, gh_req_t *req, consent_ctx_t *c, gh_err_t *err)
{
    const char *csrf = NULL, *decision = NULL;
    gh_status_t st = gh_http_arg(req, "csrf", &csrf, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "decision", &decision, err);
    if (st != GH_OK)
        return st;
    if (!gh_oauth_csrf_is_valid(app, c->browser, "consent", c->handle, csrf))
        return gh_fail(err, GH_E_DENIED, "this form has expired; go back to the app and try "
                                         "again");
    if (decision != NULL && strcmp(decision, "deny") == 0) {
        gh_err_t denied = { 0 };
        gh_oauth_fail(&denied, GH_OAUTH_ACCESS_DENIED, "the user denied access");
        return gh_flow_answer_error(app, req, c->handle, &c->r, &c->client, &denied);
    }
    if (decision == NULL || strcmp(decision, "allow") != 0)
        return render(app, req, c, 400, err);
    return gh_flow_issue_code(app, req, c->handle, &c->r, &c->client, &c->session, err);
}

gh_status_t
gh_endpoint_consent(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    consent_ctx_t c;
    gh_status_t st = gh_flow_load(app, req, &c.handle, &c.r, &c.client, err);
    if (st != GH_OK)
        return st;
    req->client_id = c.client.client_id;
    c.browser = gh_flow_browser(app, req, false, err);
    st = gh_flow_session(app, req, &c.session, err);
    if (st == GH_E_NOTFOUND)   /* the session ended meanwhile: sign in again */
        return gh_flow_continue(app, req, c.handle, &c.r, &c.client, NULL, NULL, err);
    if (st != GH_OK)
        return st;
    if (req->method != GH_POST)
        return render(app, req, &c, 200, err);
    return decide(app, req, &c, err);
}
