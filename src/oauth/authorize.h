/*
 * oauth/authorize.h: the rules of the authorization endpoint (RFC 6749 4.1.1, OAuth
 * 2.1 4.1.1, OIDC Core 3.1.2), on plain values: endpoints/authorize.c reads the
 * request, this file decides.
 *
 * Two stages, because errors are answered differently (RFC 6749 4.1.2.1): until the
 * client and redirect URI are known good, an error is shown to the person and never
 * redirected (gh_oauth_authorize_target); after that, errors go back to the client
 * (gh_oauth_authorize_validate).
 */
#ifndef GH_OAUTH_AUTHORIZE_H
#define GH_OAUTH_AUTHORIZE_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/authreq.h"
#include "store/clients.h"
#include "store/db.h"
#include "store/sessions.h"

/* The request's parameters as received; NULL when absent or empty. */
typedef struct {
    const char *client_id, *redirect_uri, *response_type, *response_mode, *scope, *state,
               *nonce, *code_challenge, *code_challenge_method, *prompt, *max_age,
               *login_hint, *ui_locales, *request, *request_uri, *id_token_hint;
} gh_authorize_params_t;

/* Finds the client (enabled) and the redirect URI to answer at: the registered one
 * that matches (exactly, or a loopback one by port, RFC 8252 7.3), or, when the
 * request has none, the client's only one; OpenID requests must name it (OIDC Core
 * 3.1.2.1). On failure err is for an error page: GH_E_INPUT (invalid_request). */
gh_status_t gh_oauth_authorize_target(gh_db_t *db, gh_arena_t *a,
                                      const gh_authorize_params_t *p, gh_client_t *client,
                                      const char **redirect_uri, bool *given, gh_err_t *err);

/* Everything else: request objects refused, response_type, response_mode, scope
 * against the client's, PKCE, prompt, max_age, sizes. Fills out (with the target's
 * redirect URI) on success; on failure err carries the error to redirect with. */
gh_status_t gh_oauth_authorize_validate(gh_arena_t *a, const gh_client_t *client,
                                        const gh_authorize_params_t *p,
                                        const char *redirect_uri, bool given,
                                        gh_authreq_t *out, gh_err_t *err);

typedef enum {
    GH_AUTHZ_LOGIN,    /* show the login page */
    GH_AUTHZ_CONSENT,  /* show the consent page */
    GH_AUTHZ_ISSUE,    /* answer with a code */
} gh_authz_next_t;

/* What happens next for a validated request, given the browser's session (NULL when
 * none), the subject an id_token_hint names (NULL when none) and the client's live
 * grant's scopes (NULL when none). With prompt=none an interaction is an error:
 * login_required or consent_required (OIDC Core 3.1.2.1). */
gh_status_t gh_oauth_authorize_next(const gh_client_t *client, const gh_authreq_t *r,
                                    const gh_session_t *session, const char *hint_sub,
                                    const gh_strlist_t *granted, long long now,
                                    gh_authz_next_t *next, gh_err_t *err);

/* The scopes of r not yet in granted (what the consent page asks for). */
void gh_oauth_authorize_new_scopes(gh_arena_t *a, const gh_authreq_t *r,
                                   const gh_strlist_t *granted, gh_strlist_t *out);

/* Whether a space-separated list (prompt, scope) contains value; false for NULL. */
bool gh_oauth_list_has(const char *prompt, const char *value);

#endif
