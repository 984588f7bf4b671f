/*
 * oauth/devtoken.h: developer tokens, the initial access tokens of dynamic client
 * registration (RFC 7591 section 3).
 *
 * An operator issues one (command line or admin page) to a developer, who presents it
 * as a Bearer token to /register. Listing and revoking are plain row operations:
 * store/devtokens.h.
 */
#ifndef GH_OAUTH_DEVTOKEN_H
#define GH_OAUTH_DEVTOKEN_H

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"
#include "store/devtokens.h"

#define GH_OAUTH_DEVTOKEN_DEFAULT_TTL (30L * 86400)
#define GH_OAUTH_DEVTOKEN_MAX_TTL     (365L * 86400)

/* A new token valid for ttl seconds (60 to GH_OAUTH_DEVTOKEN_MAX_TTL), labelled label
 * (NULL: none; at most 200 printable characters) so that people know whose it is.
 * *token (arena) is the only copy: only its SHA-256 is stored. GH_E_INPUT for a bad
 * label or ttl. */
gh_status_t gh_oauth_devtoken_issue(gh_db_t *db, gh_arena_t *a, const char *label, long ttl,
                                    char **token, gh_devtoken_t *out, gh_err_t *err);

/* The live token that token is, marked as used. GH_E_AUTH with invalid_token when it
 * is unknown, expired or revoked. */
gh_status_t gh_oauth_devtoken_verify(gh_db_t *db, gh_arena_t *a, const char *token,
                                     gh_devtoken_t *out, gh_err_t *err);

#endif
