/*
 * oauth/clientauth.h: client authentication at the token endpoint (RFC 6749 2.3),
 * and later at introspection and revocation.
 *
 * Three methods, and for each client exactly the one it registered (RFC 6749 2.3,
 * R38): client_secret_basic (HTTP Basic, id and secret form-urlencoded first:
 * http/ decodes them), client_secret_post (client_id and client_secret in the body),
 * none (public clients: client_id only, R41). Takes plain values so that oauth/ never
 * sees the request; the endpoint sets WWW-Authenticate when Basic was used and this
 * refuses (RFC 6749 5.2, R36).
 */
#ifndef GH_OAUTH_CLIENTAUTH_H
#define GH_OAUTH_CLIENTAUTH_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/clients.h"
#include "store/db.h"

/* Secret failures per client before it is locked, how long each lock lasts, and how
 * long failures are remembered after the last one (R39). */
#define GH_OAUTH_CLIENTAUTH_FAILURES 10
#define GH_OAUTH_CLIENTAUTH_LOCK     30
#define GH_OAUTH_CLIENTAUTH_WINDOW   900

/* What the request presented; NULL (or has_basic false) for what it did not. */
typedef struct {
    bool        has_basic;
    const char *basic_user;     /* Authorization: Basic, already decoded */
    const char *basic_pass;
    const char *client_id;      /* body parameters */
    const char *client_secret;
} gh_oauth_client_creds_t;

/* Fills *out (strings in a) with the authenticated client. Statuses:
 *   GH_E_INPUT invalid_request: two methods at once (Basic and client_secret in the
 *     body), or a body client_id that is not the Basic one;
 *   GH_E_AUTH invalid_client: no client_id, an unknown or disabled client, a method
 *     other than the registered one (a confidential client without a secret, R40), a
 *     wrong secret; the description never says which of unknown/disabled/wrong;
 *   GH_E_TOO_MANY slow_down: too many wrong secrets for this client lately (R39);
 *   GH_E_UNAVAILABLE: the database is down. */
gh_status_t gh_oauth_clientauth_verify(gh_db_t *db, gh_arena_t *a,
                                       const gh_oauth_client_creds_t *creds, gh_client_t *out,
                                       gh_err_t *err);

#endif
