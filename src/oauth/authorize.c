/*
 * oauth/authorize.c: validating authorization requests and deciding the next step.
 *
 * Only the code flow (OAuth 2.1): every other response_type is
 * unsupported_response_type, and request objects are refused rather than ignored
 * (OIDC Core 6: ignoring them would drop what they say).
 */
#include "oauth/authorize.h"

#include <stdlib.h>
#include <string.h>

#include "oauth/error.h"
#include "oauth/pkce.h"
#include "oauth/redirect.h"
#include "oauth/scope.h"

/* Bounds on what is stored for the duration of the request. */
#define MAX_STATE 2048
#define MAX_NONCE 512
#define MAX_HINT 256
#define MAX_LOCALES 256

static gh_status_t
find_redirect_uri(const gh_client_t *c, const gh_authorize_params_t *p,
                  const char **redirect_uri, bool *given, gh_err_t *err)
{
    *given = p->redirect_uri != NULL;
    if (p->redirect_uri == NULL) {
        bool openid = gh_oauth_list_has(p->scope, "openid");
        if (openid || c->redirect_uris.n != 1)
            return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "redirect_uri is required");
        *redirect_uri = c->redirect_uris.items[0];
        return GH_OK;
    }
    for (size_t i = 0; i < c->redirect_uris.n; i++) {
        if (gh_oauth_redirect_uri_matches(c->redirect_uris.items[i], p->redirect_uri)) {
            *redirect_uri = p->redirect_uri;
            return GH_OK;
        }
    }
    return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                         "redirect_uri is not registered for this client");
}

gh_status_t
gh_oauth_authorize_target(gh_db_t *db, gh_arena_t *a, const gh_authorize_params_t *p,
                          gh_client_t *client, const char **redirect_uri, bool *given,
                          gh_err_t *err)
{
    if (p->client_id == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "client_id is missing");
    gh_status_t st = gh_store_client_get(db, a, p->client_id, client, err);
    if (st == GH_E_NOTFOUND || (st == GH_OK && client->disabled))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "unknown client");
    if (st != GH_OK)
        return st;
    return find_redirect_uri(client, p, redirect_uri, given, err);
}

static bool
too_long(const char *s, size_t max)
{
    return s != NULL && strlen(s) > max;
}

static gh_status_t
check_prompt(const char *prompt, gh_err_t *err)
{
    static const char *const known[] = { "none", "login", "consent", "select_account" };
    if (prompt == NULL)
        return GH_OK;
    for (const char *p = prompt; *p != '\0';) {
        size_t n = strcspn(p, " ");
        bool found = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            found = found || (strlen(known[i]) == n && strncmp(p, known[i], n) == 0);
        if (!found)
            return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "unknown prompt value");
        p += n + (p[n] == ' ');
    }
    if (gh_oauth_list_has(prompt, "none") && strcmp(prompt, "none") != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "prompt=none cannot be combined with other values");
    return GH_OK;
}

static gh_status_t
check_max_age(const char *s, long *out, gh_err_t *err)
{
    *out = -1;
    if (s == NULL)
        return GH_OK;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || s[0] == '-' || s[0] == '+' || v < 0 || v > 100000000)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "max_age must be a number");
    *out = v;
    return GH_OK;
}

static gh_status_t
check_basics(const gh_client_t *c, const gh_authorize_params_t *p, gh_err_t *err)
{
    if (p->request != NULL)
        return gh_oauth_fail(err, GH_OAUTH_REQUEST_NOT_SUPPORTED,
                             "request objects are not supported");
    if (p->request_uri != NULL)
        return gh_oauth_fail(err, GH_OAUTH_REQUEST_URI_NOT_SUPPORTED,
                             "request_uri is not supported");
    if (p->response_type == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "response_type is missing");
    if (strcmp(p->response_type, "code") != 0)
        return gh_oauth_fail(err, GH_OAUTH_UNSUPPORTED_RESPONSE_TYPE,
                             "only response_type=code is supported");
    if (!gh_strlist_contains(&c->grant_types, "authorization_code"))
        return gh_oauth_fail(err, GH_OAUTH_UNAUTHORIZED_CLIENT,
                             "this client may not use the authorization code flow");
    if (too_long(p->state, MAX_STATE) || too_long(p->nonce, MAX_NONCE) ||
        too_long(p->login_hint, MAX_HINT) || too_long(p->ui_locales, MAX_LOCALES))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "a parameter is too long");
    return GH_OK;
}

static gh_status_t
check_pkce(const gh_client_t *c, const gh_authorize_params_t *p, gh_err_t *err)
{
    gh_status_t st = gh_oauth_pkce_check_challenge(p->code_challenge_method,
                                                   p->code_challenge, err);
    if (st != GH_OK)
        return st;
    if (p->code_challenge == NULL && c->require_pkce)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "code_challenge (PKCE, S256) is required");
    return GH_OK;
}

gh_status_t
gh_oauth_authorize_validate(gh_arena_t *a, const gh_client_t *client,
                            const gh_authorize_params_t *p, const char *redirect_uri,
                            bool given, gh_authreq_t *out, gh_err_t *err)
{
    memset(out, 0, sizeof *out);
    out->client_id = client->client_id;
    out->redirect_uri = redirect_uri;
    out->redirect_uri_given = given;
    out->state = p->state;
    out->response_mode = "query";
    if (p->response_mode != NULL && strcmp(p->response_mode, "query") != 0) {
        if (strcmp(p->response_mode, "form_post") != 0)
            return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "unsupported response_mode");
        out->response_mode = "form_post";
    }
    gh_status_t st = check_basics(client, p, err);
    if (st == GH_OK)
        st = gh_oauth_scope_check(a, &client->scopes, p->scope, err);
    if (st == GH_OK)
        st = check_pkce(client, p, err);
    if (st == GH_OK)
        st = check_prompt(p->prompt, err);
    if (st == GH_OK)
        st = check_max_age(p->max_age, &out->max_age, err);
    if (st != GH_OK)
        return st;
    out->scope = p->scope;
    out->nonce = p->nonce;
    out->code_challenge = p->code_challenge;
    out->prompt = p->prompt;
    out->login_hint = p->login_hint;
    out->ui_locales = p->ui_locales;
    return GH_OK;
}

bool
gh_oauth_list_has(const char *prompt, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = prompt; p != NULL && *p != '\0';) {
        size_t k = strcspn(p, " ");
        if (k == n && strncmp(p, value, n) == 0)
            return true;
        p += k + (p[k] == ' ');
    }
    return false;
}

void
gh_oauth_authorize_new_scopes(gh_arena_t *a, const gh_authreq_t *r,
                              const gh_strlist_t *granted, gh_strlist_t *out)
{
    gh_strlist_t want = { 0 };
    bool ok = true;
    gh_strlist_split(a, r->scope, &want, &ok);
    for (size_t i = 0; i < want.n; i++)
        if (granted == NULL || !gh_strlist_contains(granted, want.items[i]))
            gh_strlist_add(a, out, want.items[i]);
}

/* A fresh sign-in is needed: none yet, prompt=login or select_account, max_age
 * exceeded, or a hint naming someone else. Not again once done in this request. */
static bool
needs_login(const gh_authreq_t *r, const gh_session_t *s, const char *hint_sub,
            long long now)
{
    if (s == NULL)
        return true;
    if (r->login_done)
        return false;
    if (gh_oauth_list_has(r->prompt, "login") ||
        gh_oauth_list_has(r->prompt, "select_account"))
        return true;
    /* max_age=0 is prompt=login (OIDC Core 3.1.2.1), even within the same second. */
    if (r->max_age == 0 || (r->max_age > 0 && now - s->auth_time > r->max_age))
        return true;
    return hint_sub != NULL && strcmp(hint_sub, s->user_id) != 0;
}

/* Every scope of the space-separated list is in granted (NULL: nothing granted). */
static bool
all_granted_in(const char *scope, const gh_strlist_t *granted)
{
    if (granted == NULL)
        return false;
    for (const char *p = scope; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, " ");
        bool found = false;
        for (size_t i = 0; i < granted->n && !found; i++)
            found = strlen(granted->items[i]) == n && strncmp(granted->items[i], p, n) == 0;
        if (!found)
            return false;
        p += n + (p[n] == ' ');
    }
    return true;
}

gh_status_t
gh_oauth_authorize_next(const gh_client_t *client, const gh_authreq_t *r,
                        const gh_session_t *session, const char *hint_sub,
                        const gh_strlist_t *granted, long long now, gh_authz_next_t *next,
                        gh_err_t *err)
{
    bool silent = gh_oauth_list_has(r->prompt, "none");
    if (needs_login(r, session, hint_sub, now)) {
        *next = GH_AUTHZ_LOGIN;
        return silent ? gh_oauth_fail(err, GH_OAUTH_LOGIN_REQUIRED, "the user is not signed in")
                      : GH_OK;
    }
    bool all_granted = all_granted_in(r->scope, granted);
    bool ask = !client->skip_consent &&
               (!all_granted || gh_oauth_list_has(r->prompt, "consent"));
    if (ask) {
        *next = GH_AUTHZ_CONSENT;
        return silent ? gh_oauth_fail(err, GH_OAUTH_CONSENT_REQUIRED, "consent is required")
                      : GH_OK;
    }
    *next = GH_AUTHZ_ISSUE;
    return GH_OK;
}
