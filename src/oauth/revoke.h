/*
 * oauth/revoke.h: token revocation (RFC 7009).
 *
 * A client revokes the tokens issued to it, and no others (RFC 7009 2.1, R86). A
 * refresh token takes its family with it: every access and refresh token issued from
 * the same authorization, and from its refreshes (RFC 7009 2.1 "SHOULD", R88); the
 * person's consent (the grant) stays, and so do the client's other sessions. An
 * access token is revoked alone (the refresh token it came with lives on: the "MAY"
 * of 2.1 is not taken, so that an app can drop one access token without signing the
 * person out). A JWT access token is revoked through its row, so introspection and
 * userinfo refuse it at once; validators that check it offline accept it until its
 * exp (R63), which is why its lifetime is short.
 */
#ifndef GH_OAUTH_REVOKE_H
#define GH_OAUTH_REVOKE_H

#include "app.h"
#include "base/err.h"
#include "store/clients.h"

/* Revokes token for caller (borrowed, authenticated). GH_OK also when the token is
 * not live (unknown, malformed, expired, already revoked or rotated): there is nothing
 * to revoke, and RFC 7009 2.2 answers 200 (R87). A live token issued to another
 * client is left alone: GH_E_INPUT invalid_grant (RFC 7009 2.1 refuses the request;
 * RFC 6749 5.2 names a grant "issued to another client" invalid_grant).
 * GH_E_UNAVAILABLE. */
gh_status_t gh_oauth_revoke(gh_app_t *app, const gh_client_t *caller, const char *token,
                            gh_err_t *err);

#endif
