/*
 * endpoints/account.c: /account, the apps a signed-in person has allowed.
 *
 * The page lists the person's live grants (client name and logo, the scopes with
 * their descriptions in the page's language, when they were granted and last
 * extended). Each has a "Remove access" form: a POST with a CSRF token bound to the
 * browser and to that grant (RFC 6749 10.12, R16), which revokes the grant and every
 * token issued under it in one statement (store/grants.c) and answers 303 back here
 * (a reload cannot repeat it). The SQL only touches the session user's own grants, so
 * a token taken from another page cannot remove someone else's.
 *
 * A GET changes nothing. Without a session the person is sent to sign in and comes
 * back here (/login?next=/account, endpoints/login.c).
 */
#include "endpoints/account.h"

#include <string.h>
#include <time.h>

#include "endpoints/flow.h"
#include "oauth/csrf.h"
#include "store/grants.h"
#include "store/scopes.h"

typedef struct {
    gh_session_t session;
    const char  *browser;
} account_ctx_t;

/* An epoch time as a date for people and as an ISO 8601 instant for <time>. */
static void
set_time(gh_app_t *app, gh_ui_page_t *page, const char *prefix, long long epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    char day[16] = "", iso[32] = "";
    if (gmtime_r(&t, &tm) != NULL) {
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
        strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    gh_ui_set(page, prefix, day);
    gh_ui_set(page, gh_arena_printf(app->arena, "%sIso", prefix), iso);
}

/* The descriptions of every scope the grants hold, in one query. */
static void
load_scopes(gh_app_t *app, const gh_grant_info_t *grants, size_t n, const char *lang,
            gh_scope_t **scopes, size_t *count)
{
    gh_strlist_t names = { 0 };
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < grants[i].scopes.n; k++)
            if (!gh_strlist_contains(&names, grants[i].scopes.items[k]))
                gh_strlist_add(app->arena, &names, grants[i].scopes.items[k]);
    *count = 0;
    if (names.n > 0 &&
        gh_store_scopes_get(app->db, app->arena, &names, lang, scopes, count, NULL) != GH_OK)
        *count = 0;
}

static const char *
description_of(const gh_scope_t *scopes, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(scopes[i].name, name) == 0)
            return scopes[i].description;
    return NULL;
}

static gh_status_t
set_grant(gh_app_t *app, gh_ui_page_t *page, const account_ctx_t *c, size_t i,
          const gh_grant_info_t *g, const gh_scope_t *scopes, size_t nscopes, gh_err_t *err)
{
    char *csrf = NULL;
    gh_status_t st = gh_oauth_csrf_token(app, c->browser, "account", g->id, &csrf, err);
    if (st != GH_OK)
        return st;
    const char *p = gh_arena_printf(app->arena, "Grants.%zu.", i);
    gh_ui_set(page, gh_arena_printf(app->arena, "%sId", p), g->id);
    gh_ui_set(page, gh_arena_printf(app->arena, "%sCsrf", p), csrf);
    gh_ui_set(page, gh_arena_printf(app->arena, "%sClientName", p), g->client_name);
    /* Only https logos reach the page (the clients table allows no other). */
    if (g->logo_uri != NULL && strncmp(g->logo_uri, "https://", 8) == 0)
        gh_ui_set(page, gh_arena_printf(app->arena, "%sLogoUri", p), g->logo_uri);
    set_time(app, page, gh_arena_printf(app->arena, "%sCreated", p), g->created_at);
    if (g->updated_at > g->created_at)
        set_time(app, page, gh_arena_printf(app->arena, "%sUpdated", p), g->updated_at);
    for (size_t k = 0; k < g->scopes.n; k++) {
        const char *name = g->scopes.items[k];
        gh_ui_set(page, gh_arena_printf(app->arena, "%sScopes.%zu.Name", p, k), name);
        gh_ui_set(page, gh_arena_printf(app->arena, "%sScopes.%zu.Description", p, k),
                  description_of(scopes, nscopes, name));
    }
    return GH_OK;
}

static gh_status_t
render(gh_app_t *app, gh_req_t *req, const account_ctx_t *c, gh_err_t *err)
{
    gh_grant_info_t *grants = NULL;
    size_t n = 0;
    gh_status_t st = gh_store_grant_list_for_user(app->db, app->arena, c->session.user_id,
                                                  &grants, &n, err);
    if (st != GH_OK)
        return st;
    gh_ui_page_t *page = gh_flow_page(app, req, NULL);
    if (page == NULL)
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    gh_scope_t *scopes = NULL;
    size_t nscopes = 0;
    load_scopes(app, grants, n, gh_ui_page_lang(page), &scopes, &nscopes);
    for (size_t i = 0; i < n && st == GH_OK; i++)
        st = set_grant(app, page, c, i, &grants[i], scopes, nscopes, err);
    if (st != GH_OK) {
        gh_ui_page_free(page);
        return st;
    }
    const char *removed = NULL;
    gh_http_arg(req, "removed", &removed, NULL);
    gh_ui_set(page, "Page.Removed", removed != NULL ? "1" : NULL);
    gh_ui_set(page, "Page.Action", gh_flow_url(app, "/account"));
    gh_ui_set(page, "Page.Logout", gh_flow_url(app, "/logout"));
    gh_ui_set(page, "User.Name", c->session.display_name);
    return gh_flow_render(app, req, page, "account.cs", 200, err);
}

static gh_status_t
remove_access(gh_app_t *app, gh_req_t *req, const account_ctx_t *c, gh_err_t *err)
{
    const char *grant = NULL, *csrf = NULL;
    gh_status_t st = gh_http_arg(req, "grant", &grant, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "csrf", &csrf, err);
    if (st != GH_OK)
        return st;
    if (!gh_oauth_csrf_is_valid(app, c->browser, "account", grant, csrf))
        return gh_fail(err, GH_E_DENIED, "this page has expired; reload it and try again");
    st = gh_store_grant_revoke(app->db, grant, c->session.user_id,
                               gh_config_max_token_ttl(app->cfg), NULL, err);
    /* Removed already (another tab): the outcome the person asked for. */
    if (st != GH_OK && st != GH_E_NOTFOUND)
        return st;
    return gh_flow_see_other(app, req, "/account?removed=1");
}

gh_status_t
gh_endpoint_account(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    account_ctx_t c;
    gh_status_t st = gh_flow_session(app, req, &c.session, err);
    if (st == GH_E_NOTFOUND)
        return gh_flow_see_other(app, req, "/login?next=/account");
    if (st != GH_OK)
        return st;
    c.browser = gh_flow_browser(app, req, true, err);
    if (c.browser == NULL)
        return err->status;
    if (req->method != GH_POST)
        return render(app, req, &c, err);
    return remove_access(app, req, &c, err);
}
