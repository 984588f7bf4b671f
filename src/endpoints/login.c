/*
 * endpoints/login.c: signing a person in during an authorization request.
 *
 * Failed sign-ins are counted per account name and per client address; after a few
 * the next attempt must wait (a delay doubling per failure), after more the account
 * name or address is locked for a while (RFC 6749 10.3, R102). The page says the
 * same thing whether or not the account exists, and an unknown account costs the same
 * scrypt computation as a known one.
 */
#include "endpoints/login.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <string.h>

#include "base/log.h"
#include "base/password.h"
#include "endpoints/flow.h"
#include "http/response.h"
#include "oauth/csrf.h"
#include "store/attempts.h"
#include "store/users.h"

/* Verified when the account does not exist, so timing does not tell. */
static const char dummy_hash[] =
    "scrypt$32768$8$1$N3C99qV5Z5BqPZwXAA9vzw$tVPVVKEdrJPJdv8LdtJ0z2E9GA-DPIm-i6kzDCvvKFQ";

typedef struct {
    const char *key_prefix;
    long        free_failures; /* failures before any delay */
    long        lock_after;    /* failures before the lock */
    long        lock_seconds;
} throttle_t;

/* An address is shared by many people (offices, carrier NAT): it gets more room. */
static const throttle_t throttles[] = {
    { .key_prefix = "user:", .free_failures = 3, .lock_after = 10, .lock_seconds = 900 },
    { .key_prefix = "addr:", .free_failures = 20, .lock_after = 100, .lock_seconds = 900 },
};
#define MAX_DELAY 30
#define WINDOW 3600

typedef struct {
    const char   *handle;     /* the pending request, or NULL when signing in to a page */
    const char   *next;       /* the provider's own page to return to (no request) */
    gh_authreq_t  r;
    gh_client_t   client;
    const char   *browser;
} login_ctx_t;

/* Where a sign-in without an authorization request may return: only these paths of
 * the provider itself, never a URL from a parameter (RFC 9700 4.11.2, R06). */
static const char *const next_pages[] = { "/account", "/admin" };

/* What the login form's CSRF token is bound to: the request, or the page. */
static const char *
csrf_handle(const login_ctx_t *c)
{
    return c->handle != NULL ? c->handle : c->next;
}

static const char *
throttle_key(gh_arena_t *a, const throttle_t *t, const char *username, const char *addr)
{
    const char *v = t->key_prefix[0] == 'u' ? username : addr;
    char *key = gh_arena_printf(a, "%s%.150s", t->key_prefix, v != NULL ? v : "-");
    for (char *p = key; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    return key;
}

static gh_status_t
render(gh_app_t *app, gh_req_t *req, const login_ctx_t *c, const char *username,
       const char *error, int status, long retry_after, gh_err_t *err)
{
    char *csrf = NULL;
    gh_status_t st = gh_oauth_csrf_token(app, c->browser, "login", csrf_handle(c), &csrf, err);
    if (st != GH_OK)
        return st;
    gh_ui_page_t *page = gh_flow_page(app, req, c->r.ui_locales);
    gh_ui_set(page, "Page.Csrf", csrf);
    gh_ui_set(page, "Page.Req", c->handle);
    gh_ui_set(page, "Page.Next", c->next);
    gh_ui_set(page, "Page.Action", gh_flow_url(app, "/login"));
    gh_ui_set(page, "Client.Name", c->client.name);
    gh_ui_set(page, "Client.LogoUri", c->client.logo_uri);
    gh_ui_set(page, "Login.Username", username != NULL ? username : c->r.login_hint);
    gh_ui_set(page, "Login.Error", error);
    if (retry_after > 0) {
        gh_ui_set_int(page, "Login.RetryAfter", (int)retry_after);
        gh_http_header_set(req, "Retry-After", gh_arena_printf(app->arena, "%ld", retry_after));
    }
    return gh_flow_render(app, req, page, "login.cs", status, err);
}

/* Seconds to wait before the next attempt under one key, or the lock's remainder. */
static gh_status_t
wait_for(gh_app_t *app, const throttle_t *t, const char *key, long *wait, bool *locked,
         gh_err_t *err)
{
    gh_attempts_t at;
    gh_status_t st = gh_store_attempts_get(app->db, key, &at, err);
    if (st != GH_OK)
        return st;
    *locked = at.locked_for > 0;
    if (*locked) {
        *wait = at.locked_for;
        return GH_OK;
    }
    long delay = 0;
    long over = at.failures - t->free_failures;
    if (over >= 0)
        delay = over >= 5 ? MAX_DELAY : 1L << over;
    if (delay > MAX_DELAY)
        delay = MAX_DELAY;
    *wait = delay > at.since_last ? delay - at.since_last : 0;
    return GH_OK;
}

static gh_status_t
check_throttles(gh_app_t *app, gh_req_t *req, const char *username, long *wait, bool *locked,
                gh_err_t *err)
{
    *wait = 0;
    *locked = false;
    for (size_t i = 0; i < sizeof throttles / sizeof throttles[0]; i++) {
        long w = 0;
        bool l = false;
        const char *key = throttle_key(app->arena, &throttles[i], username, req->remote_addr);
        gh_status_t st = wait_for(app, &throttles[i], key, &w, &l, err);
        if (st != GH_OK)
            return st;
        *locked = *locked || l;
        *wait = w > *wait ? w : *wait;
    }
    return GH_OK;
}

static void
count_failure(gh_app_t *app, gh_req_t *req, const char *username)
{
    for (size_t i = 0; i < sizeof throttles / sizeof throttles[0]; i++) {
        const throttle_t *t = &throttles[i];
        gh_store_attempts_fail(app->db, throttle_key(app->arena, t, username, req->remote_addr),
                               t->lock_after, t->lock_seconds, WINDOW, NULL);
    }
    gh_log_warn("sign-in failed rid=%s", req->request_id);
}

/* *user_id is set when username and password match an enabled account. */
static gh_status_t
check_password(gh_app_t *app, const char *username, const char *password,
               const char **user_id, gh_err_t *err)
{
    *user_id = NULL;
    gh_user_t user;
    gh_status_t st = gh_store_user_get_by_name(app->db, app->arena, username, &user, err);
    if (st != GH_OK && st != GH_E_NOTFOUND)
        return st;
    bool found = st == GH_OK;
    bool ok = false;
    st = gh_password_verify(app->arena, found ? user.password_hash : dummy_hash, password, &ok,
                            NULL, err);
    if (st == GH_E_INPUT)
        ok = false;
    else if (st != GH_OK)
        return st;
    if (found && ok && !user.disabled)
        *user_id = user.id;
    return GH_OK;
}

static gh_status_t
sign_in(gh_app_t *app, gh_req_t *req, login_ctx_t *c, gh_err_t *err)
{
    const char *username = NULL, *password = NULL, *csrf = NULL;
    gh_status_t st = gh_http_arg(req, "username", &username, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "password", &password, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "csrf", &csrf, err);
    if (st != GH_OK)
        return st;
    if (!gh_oauth_csrf_is_valid(app, c->browser, "login", csrf_handle(c), csrf))
        return render(app, req, c, username, "csrf", 403, 0, err);
    if (username == NULL || password == NULL)
        return render(app, req, c, username, "invalid", 400, 0, err);
    long wait = 0;
    bool locked = false;
    st = check_throttles(app, req, username, &wait, &locked, err);
    if (st != GH_OK)
        return st;
    if (wait > 0)
        return render(app, req, c, username, locked ? "locked" : "throttled", 429, wait, err);
    const char *user_id = NULL;
    st = check_password(app, username, password, &user_id, err);
    if (st != GH_OK)
        return st;
    if (user_id == NULL) {
        count_failure(app, req, username);
        return render(app, req, c, username, "invalid", 401, 0, err);
    }
    gh_store_attempts_clear(app->db, throttle_key(app->arena, &throttles[0], username, NULL),
                            NULL);
    gh_session_t session;
    st = gh_flow_session_start(app, req, user_id, &session, err);
    if (st != GH_OK)
        return st;
    if (c->handle == NULL)
        return gh_flow_see_other(app, req, c->next);
    st = gh_flow_mark_login_done(app, c->handle, err);
    if (st != GH_OK)
        return st;
    /* Signed in during this request: prompt=login and max_age are satisfied. */
    c->r.login_done = true;
    return gh_flow_continue(app, req, c->handle, &c->r, &c->client, &session, NULL, err);
}

/* A sign-in to one of the provider's own pages (?next=/account): no client, no
 * pending request. Unknown pages are refused rather than followed. */
static gh_status_t
load_page_login(gh_app_t *app, gh_req_t *req, login_ctx_t *c, gh_err_t *err)
{
    const char *next = NULL;
    gh_status_t st = gh_http_arg(req, "next", &next, err);
    if (st != GH_OK)
        return st;
    for (size_t i = 0; next != NULL && i < sizeof next_pages / sizeof next_pages[0]; i++)
        if (strcmp(next, next_pages[i]) == 0)
            c->next = next_pages[i];
    if (c->next == NULL)
        return gh_fail(err, GH_E_NOTFOUND, "start from the application you want to use");
    c->browser = gh_flow_browser(app, req, true, err);
    return c->browser != NULL ? GH_OK : err->status;
}

static gh_status_t
load(gh_app_t *app, gh_req_t *req, login_ctx_t *c, gh_err_t *err)
{
    memset(c, 0, sizeof *c);
    const char *handle = NULL;
    gh_status_t st = gh_http_arg(req, "req", &handle, err);
    if (st != GH_OK)
        return st;
    if (handle == NULL)
        return load_page_login(app, req, c, err);
    st = gh_flow_load(app, req, &c->handle, &c->r, &c->client, err);
    if (st != GH_OK)
        return st;
    c->browser = gh_flow_browser(app, req, false, err);
    req->client_id = c->client.client_id;
    return GH_OK;
}

gh_status_t
gh_endpoint_login(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    login_ctx_t c;
    gh_status_t st = load(app, req, &c, err);
    if (st != GH_OK)
        return st;
    if (req->method != GH_POST)
        return render(app, req, &c, NULL, NULL, 200, 0, err);
    return sign_in(app, req, &c, err);
}
