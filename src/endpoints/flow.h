/*
 * endpoints/flow.h: what /authorize, /login and /consent share: the browser and
 * session cookies, the pending request, pages, and answering the client.
 */
#ifndef GH_ENDPOINTS_FLOW_H
#define GH_ENDPOINTS_FLOW_H

#include "app.h"
#include "http/req.h"
#include "oauth/authorize.h"
#include "store/authreq.h"
#include "store/clients.h"
#include "store/sessions.h"
#include "ui/render.h"

/* The browser's id (a random cookie that binds pending requests and CSRF tokens to
 * this browser). With create, one is made and set when the browser has none;
 * without, NULL means none. */
const char *gh_flow_browser(gh_app_t *app, gh_req_t *req, bool create, gh_err_t *err);

/* The browser's live session: GH_E_NOTFOUND when none. */
gh_status_t gh_flow_session(gh_app_t *app, gh_req_t *req, gh_session_t *out, gh_err_t *err);

/* Starts a session for user_id (a new id, cookie set; the old session ended). */
gh_status_t gh_flow_session_start(gh_app_t *app, gh_req_t *req, const char *user_id,
                                  gh_session_t *out, gh_err_t *err);

/* Ends the browser's session: the row is deleted and the cookie cleared. */
gh_status_t gh_flow_session_end(gh_app_t *app, gh_req_t *req, gh_err_t *err);

/* The pending request named by the "req" parameter, started by this browser, and
 * its client. GH_E_NOTFOUND (for an error page) when unknown, expired or foreign. */
gh_status_t gh_flow_load(gh_app_t *app, gh_req_t *req, const char **handle,
                         gh_authreq_t *r, gh_client_t *client, gh_err_t *err);

/* Records that the person signed in during the pending request handle. */
gh_status_t gh_flow_mark_login_done(gh_app_t *app, const char *handle, gh_err_t *err);

/* Decides and answers: a 303 to the login or consent page (storing the request under
 * a new handle when handle is NULL), a code, or an error at the client. */
gh_status_t gh_flow_continue(gh_app_t *app, gh_req_t *req, const char *handle,
                             const gh_authreq_t *r, const gh_client_t *client,
                             const gh_session_t *session, const char *hint_sub,
                             gh_err_t *err);

/* Issues a code under the user's grant (adding r's scopes to it) and answers. */
gh_status_t gh_flow_issue_code(gh_app_t *app, gh_req_t *req, const char *handle,
                               const gh_authreq_t *r, const gh_client_t *client,
                               const gh_session_t *session, gh_err_t *err);

/* Sends err (an OAuth error) to the client's redirect URI with state and iss
 * (RFC 9207), and forgets the pending request. For a dynamically registered client
 * before any interaction (handle NULL), an error page with a link (or form_post
 * button) to that answer instead of a redirect (R07). */
gh_status_t gh_flow_answer_error(gh_app_t *app, gh_req_t *req, const char *handle,
                                 const gh_authreq_t *r, const gh_client_t *client,
                                 const gh_err_t *oauth_err);

/* A page in the request's language (ui_locales, then Accept-Language) with the
 * common values set (Page.Lang, Page.Static). */
gh_ui_page_t *gh_flow_page(gh_app_t *app, gh_req_t *req, const char *ui_locales);

/* Renders template and responds with status (HTML, anti-framing headers, no-store). */
gh_status_t gh_flow_render(gh_app_t *app, gh_req_t *req, gh_ui_page_t *page,
                           const char *template, int status, gh_err_t *err);

/* The issuer URL of an endpoint path ("/login"), in the arena. */
const char *gh_flow_url(gh_app_t *app, const char *path);

/* Answers 303 See Other to the issuer's path ("/account?removed=1"), no-store: after a
 * POST, and to the provider's own pages. Returns GH_OK. */
gh_status_t gh_flow_see_other(gh_app_t *app, gh_req_t *req, const char *path);

#endif
