/*
 * oauth/claims.h: the user claims a set of granted scopes releases (OIDC Core 5.4),
 * for the id_token and userinfo alike, so both always say the same thing.
 *
 * Which scope releases which claim is data (the scopes table). A claim comes from the
 * user's column when it is one of the standard ones (name, given_name, family_name,
 * picture, locale, email, email_verified), else from users.extra_claims (custom claims
 * such as quota). A claim the user does not have is left out, never null or ""
 * (OIDC Core 5.3.2, R59). Protocol claims (iss, sub, aud, exp, nonce...) are the
 * caller's, and no scope or extra claim can set them.
 */
#ifndef GH_OAUTH_CLAIMS_H
#define GH_OAUTH_CLAIMS_H

#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/db.h"
#include "store/scopes.h"
#include "store/users.h"

/* True for the names Gatehouse sets itself in tokens and userinfo. */
bool gh_oauth_claims_is_reserved(const char *name);

/* Sets in obj (a JSON object) each claim of names that user has; reserved names are
 * skipped. Cannot fail: a claim that cannot be encoded is left out. */
void gh_oauth_claims_add(json_t *obj, const gh_user_t *user, const gh_strlist_t *names);

/* Appends to array (claims_supported, OIDC Discovery 3) the protocol claims of the
 * id_token and every claim of the n scopes, each once. */
void gh_oauth_claims_supported(const gh_scope_t *scopes, size_t n, json_t *array);

/* The claims of the scopes in scope (space-separated, as granted) for user, added to
 * obj. GH_E_UNAVAILABLE when the database is down. */
gh_status_t gh_oauth_claims_for_scope(gh_db_t *db, gh_arena_t *a, const gh_user_t *user,
                                      const char *scope, json_t *obj, gh_err_t *err);

#endif
