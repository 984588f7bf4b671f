/*
 * oauth/client.h: the rules for what a client may be, in one place.
 *
 * Every way of making a client (command line, manifest, admin page, dynamic
 * registration) goes through gh_oauth_client_create, so all refuse the same things
 * with the same errors: invalid_redirect_uri for redirect URIs and
 * invalid_client_metadata for everything else (RFC 7591 3.2.2).
 */
#ifndef GH_OAUTH_CLIENT_H
#define GH_OAUTH_CLIENT_H

#include "base/arena.h"
#include "base/err.h"
#include "store/clients.h"
#include "store/db.h"

/* Fills the defaults a caller left unset (NULL strings, empty lists): type
 * confidential; auth method client_secret_basic (none for public clients); grant types
 * authorization_code and refresh_token; scope openid; opaque access tokens; RS256. */
void gh_oauth_client_defaults(gh_arena_t *a, gh_client_t *c);

/* The rules that need no database. GH_OK, or GH_E_INPUT with oauth_error and a
 * description naming the rule. */
gh_status_t gh_oauth_client_validate(const gh_client_t *c, gh_err_t *err);

/* gh_oauth_client_validate, and every allowed scope exists in gatehouse.scopes
 * (GH_E_INPUT, invalid_client_metadata). Create and update run it. */
gh_status_t gh_oauth_client_check(gh_db_t *db, gh_arena_t *a, const gh_client_t *c,
                                  gh_err_t *err);

/* Defaults, gh_oauth_client_check, a new random client_id and (confidential clients) a
 * new secret of 256 bits, stored hashed; *secret (arena) is the only copy of it, NULL for
 * public clients. GH_E_CONFLICT when c->app_key belongs to another client. */
gh_status_t gh_oauth_client_create(gh_db_t *db, gh_arena_t *a, gh_client_t *c,
                                   const char **secret, gh_err_t *err);

/* Replaces the stored client c->client_id with c: defaults, then the same checks as
 * create; the type cannot change (invalid_client_metadata); id and secret stay.
 * GH_E_NOTFOUND when there is no such client, GH_E_CONFLICT when c->app_key belongs to
 * another client. */
gh_status_t gh_oauth_client_update(gh_db_t *db, gh_arena_t *a, gh_client_t *c,
                                   gh_err_t *err);

/* A new secret for a confidential client; the old one stops working at once. *secret
 * (arena) is the only copy. GH_E_INPUT for a public client, GH_E_NOTFOUND when there is
 * no such client. */
gh_status_t gh_oauth_client_rotate_secret(gh_db_t *db, gh_arena_t *a, const char *client_id,
                                          const char **secret, gh_err_t *err);

/* x and y describe the same client: every field but the id, secret, disabled flag,
 * timestamps and registration bookkeeping is equal. For "unchanged" answers (client
 * apply) and for tests that make one client several ways. */
bool gh_oauth_client_is_same(const gh_client_t *x, const gh_client_t *y);

#endif
