/*
 * oauth/grant.h: the grant types of the token endpoint (RFC 6749 4), each turning an
 * authenticated client's request into tokens. Reading the request and choosing the
 * grant by grant_type is endpoints/token.c's job. The refresh_token grant is
 * oauth/refresh.h's.
 */
#ifndef GH_OAUTH_GRANT_H
#define GH_OAUTH_GRANT_H

#include "app.h"
#include "base/err.h"
#include "oauth/tokens.h"
#include "store/clients.h"

/* An authorization_code token request (RFC 6749 4.1.3), values as received (NULL when
 * absent), from an authenticated client. */
typedef struct {
    const gh_client_t *client;
    const char        *code;
    const char        *redirect_uri;
    const char        *code_verifier;
} gh_oauth_code_req_t;

/* Redeems the code for tokens: marks it used, checks it against the request and
 * issues, all in one transaction. invalid_grant (GH_E_INPUT) for a code that is
 * unknown, expired, used (and then every token issued from its first use is revoked,
 * R28), another client's (R29), a redirect_uri that differs or is missing (R30), PKCE
 * that fails (R24, R25), a disabled user. A code that was found but failed a check is
 * used up all the same: nobody gets a second try at it. GH_E_UNAVAILABLE,
 * GH_E_INTERNAL. */
gh_status_t gh_oauth_grant_code(gh_app_t *app, const gh_oauth_code_req_t *in,
                                gh_oauth_tokens_t *out, gh_err_t *err);

/* A client_credentials token request (RFC 6749 4.4.2), scope as received (NULL when
 * absent), from an authenticated client. */
typedef struct {
    const gh_client_t *client;
    const char        *scope;
} gh_oauth_client_credentials_req_t;

/* An access token for the client itself (RFC 6749 4.4.3): no user, no grant, no
 * refresh token (R51), no id_token; a JWT one has sub "client:<client_id>" (R52).
 * unauthorized_client (GH_E_INPUT) for a public client (R50) or one not registered for
 * the grant; invalid_scope as gh_oauth_scope_grant_client says. GH_E_UNAVAILABLE,
 * GH_E_INTERNAL. */
gh_status_t gh_oauth_grant_client_credentials(gh_app_t *app,
                                              const gh_oauth_client_credentials_req_t *in,
                                              gh_oauth_tokens_t *out, gh_err_t *err);

#endif
