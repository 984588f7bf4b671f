/*
 * endpoints/logout.c: ending the browser session at a relying party's request.
 *
 * The client is known from the id_token_hint's aud (one we signed; an expired one is
 * still a good hint, RPI 2) or from client_id, which must then agree with the hint.
 * post_logout_redirect_uri is followed only when it exactly matches one the client
 * registered (RPI 2, 3; R98); otherwise the person sees the "signed out" page. The
 * person is asked to confirm (a CSRF-protected form) unless the hint names the
 * session's own user, which shows the relying party really asked (RPI 6, R100).
 * Tokens are left alone: signing out of the provider does not revoke what apps hold.
 */
#include "endpoints/logout.h"

#include <string.h>

#include "base/hash.h"
#include "base/url.h"
#include "endpoints/flow.h"
#include "http/response.h"
#include "oauth/csrf.h"
#include "oauth/error.h"
#include "oauth/keys.h"

typedef struct {
    const char  *hint, *client_id, *redirect_uri, *state, *ui_locales;
    const char  *hint_sub;     /* the verified hint's subject */
    gh_client_t  client;
    bool         has_client;
    bool         may_redirect; /* redirect_uri is registered for the client */
} logout_t;

static const char *const carried[] = {
    "id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales",
};

static gh_status_t
read_params(gh_req_t *req, logout_t *l, gh_err_t *err)
{
    const char **slots[] = { &l->hint, &l->client_id, &l->redirect_uri, &l->state,
                             &l->ui_locales };
    for (size_t i = 0; i < sizeof carried / sizeof carried[0]; i++) {
        gh_status_t st = gh_http_arg(req, carried[i], slots[i], err);
        if (st != GH_OK)
            return st;
    }
    return GH_OK;
}

/* The hint's audience (a string, or the first of an array). */
static const char *
audience_of(json_t *claims)
{
    json_t *aud = json_object_get(claims, "aud");
    if (json_is_array(aud))
        aud = json_array_get(aud, 0);
    return json_string_value(aud);
}

static gh_status_t
read_hint(gh_app_t *app, logout_t *l, gh_err_t *err)
{
    if (l->hint == NULL)
        return GH_OK;
    json_t *claims = NULL;
    gh_status_t st = gh_oauth_keys_verify(app, l->hint, NULL, &claims, err);
    if (st == GH_E_UNAVAILABLE)
        return st;
    const char *iss = json_string_value(json_object_get(claims, "iss"));
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    const char *aud = audience_of(claims);
    bool ours = st == GH_OK && iss != NULL && strcmp(iss, app->cfg->issuer) == 0 &&
                sub != NULL && aud != NULL;
    if (ours) {
        l->hint_sub = gh_arena_strdup(app->arena, sub);
        if (l->client_id != NULL && strcmp(l->client_id, aud) != 0)
            ours = false;
        else
            l->client_id = gh_arena_strdup(app->arena, aud);
    }
    json_decref(claims);
    if (!ours)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "id_token_hint is not a token this provider issued to the app");
    return GH_OK;
}

static gh_status_t
find_client(gh_app_t *app, logout_t *l, gh_err_t *err)
{
    if (l->client_id == NULL)
        return GH_OK;
    gh_status_t st = gh_store_client_get(app->db, app->arena, l->client_id, &l->client, err);
    if (st == GH_E_NOTFOUND || (st == GH_OK && l->client.disabled))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "unknown client");
    if (st != GH_OK)
        return st;
    l->has_client = true;
    for (size_t i = 0; l->redirect_uri != NULL && i < l->client.post_logout_redirect_uris.n; i++)
        if (strcmp(l->client.post_logout_redirect_uris.items[i], l->redirect_uri) == 0)
            l->may_redirect = true;
    return GH_OK;
}

/* Back to the relying party (with its state), or the "signed out" page. */
static gh_status_t
finish(gh_app_t *app, gh_req_t *req, const logout_t *l, bool signed_out, gh_err_t *err)
{
    if (l->may_redirect) {
        const char *pairs[] = { "state", l->state, NULL };
        gh_http_no_store(req);
        gh_http_redirect(req, 303, gh_url_add_query(app->arena, l->redirect_uri, pairs));
        return GH_OK;
    }
    gh_ui_page_t *page = gh_flow_page(app, req, l->ui_locales);
    if (!signed_out)
        gh_ui_set(page, "Page.Cancelled", "1");
    return gh_flow_render(app, req, page, "signed_out.cs", 200, err);
}

static gh_status_t
confirm_page(gh_app_t *app, gh_req_t *req, const logout_t *l, const gh_session_t *s,
             gh_err_t *err)
{
    const char *browser = gh_flow_browser(app, req, true, err);
    char *csrf = NULL;
    gh_status_t st = browser != NULL ? gh_oauth_csrf_token(app, browser, "logout", NULL,
                                                            &csrf, err)
                                     : err->status;
    if (st != GH_OK)
        return st;
    gh_ui_page_t *page = gh_flow_page(app, req, l->ui_locales);
    gh_ui_set(page, "Page.Action", gh_flow_url(app, "/logout"));
    gh_ui_set(page, "Page.Csrf", csrf);
    gh_ui_set(page, "User.Name", s->display_name);
    if (l->has_client)
        gh_ui_set(page, "Client.Name", l->client.name);
    const char *values[] = { l->hint, l->client_id, l->redirect_uri, l->state, l->ui_locales };
    for (size_t i = 0, n = 0; i < sizeof carried / sizeof carried[0]; i++) {
        if (values[i] == NULL)
            continue;
        gh_ui_set(page, gh_arena_printf(app->arena, "Form.Hidden.%zu.Name", n), carried[i]);
        gh_ui_set(page, gh_arena_printf(app->arena, "Form.Hidden.%zu.Value", n), values[i]);
        n++;
    }
    return gh_flow_render(app, req, page, "logout_confirm.cs", 200, err);
}

/* A POST from the confirmation form: its CSRF token and the person's answer. */
static gh_status_t
confirmed(gh_app_t *app, gh_req_t *req, bool *yes, gh_err_t *err)
{
    const char *csrf = NULL, *confirm = NULL;
    gh_status_t st = gh_http_arg(req, "csrf", &csrf, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "confirm", &confirm, err);
    if (st != GH_OK)
        return st;
    const char *browser = gh_flow_browser(app, req, false, err);
    if (!gh_oauth_csrf_is_valid(app, browser, "logout", NULL, csrf))
        return gh_fail(err, GH_E_DENIED, "this form has expired; sign out again from the app");
    *yes = confirm != NULL && strcmp(confirm, "yes") == 0;
    return GH_OK;
}

gh_status_t
gh_endpoint_logout(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    logout_t l = { 0 };
    gh_status_t st = read_params(req, &l, err);
    if (st == GH_OK)
        st = read_hint(app, &l, err);
    if (st == GH_OK)
        st = find_client(app, &l, err);
    if (st != GH_OK)
        return st;
    gh_session_t s;
    st = gh_flow_session(app, req, &s, err);
    if (st == GH_E_NOTFOUND)   /* nobody signed in: nothing to end */
        return finish(app, req, &l, true, err);
    if (st != GH_OK)
        return st;
    bool asked_by_rp = l.hint_sub != NULL && strcmp(l.hint_sub, s.user_id) == 0;
    const char *answer = NULL;
    if (req->method == GH_POST && (st = gh_http_arg(req, "confirm", &answer, err)) != GH_OK)
        return st;
    if (!asked_by_rp && answer == NULL)
        return confirm_page(app, req, &l, &s, err);
    bool yes = true;
    if (!asked_by_rp && (st = confirmed(app, req, &yes, err)) != GH_OK)
        return st;
    if (yes && (st = gh_flow_session_end(app, req, err)) != GH_OK)
        return st;
    return finish(app, req, &l, yes, err);
}
