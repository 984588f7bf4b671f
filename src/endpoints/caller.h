/*
 * endpoints/caller.h: the client calling /token, /introspect or /revoke, and the
 * token parameter that introspection and revocation requests share.
 */
#ifndef GH_ENDPOINTS_CALLER_H
#define GH_ENDPOINTS_CALLER_H

#include "app.h"
#include "http/req.h"
#include "store/clients.h"

/* The client that authenticated this request with its registered method (RFC 6749
 * 2.3: Basic, client_id and client_secret in the body, or client_id alone for a public
 * client), checked by gh_oauth_clientauth_verify, whose statuses come back. Sets
 * req->client_id for the log line; an invalid_client answer to a client that used
 * Basic carries the Basic challenge (RFC 6749 5.2, R36). */
gh_status_t gh_caller_authenticate(gh_app_t *app, gh_req_t *req, gh_client_t *out,
                                   gh_err_t *err);

/* The required token parameter (RFC 7662 2.1, RFC 7009 2.1): GH_E_INPUT with
 * invalid_request when it is missing, empty or repeated. token_type_hint is not read:
 * the token's own form says its kind, so any hint, wrong or unknown, changes nothing. */
gh_status_t gh_caller_token(const gh_req_t *req, const char **out, gh_err_t *err);

#endif
