/*
 * store/grants.h: a user's consent to a client for a set of scopes.
 */
#ifndef GH_STORE_GRANTS_H
#define GH_STORE_GRANTS_H

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/db.h"

typedef struct {
    const char  *id;
    gh_strlist_t scopes;
} gh_grant_t;

/* The live (not revoked) grant of user to client; GH_E_NOTFOUND when there is none. */
gh_status_t gh_store_grant_find(gh_db_t *db, gh_arena_t *a, const char *user_id,
                                const char *client_id, gh_grant_t *out, gh_err_t *err);

/* Creates the live grant, or adds scopes to it (consent asked again only for new
 * scopes); *id is the grant's id. */
gh_status_t gh_store_grant_add_scopes(gh_db_t *db, gh_arena_t *a, const char *user_id,
                                      const char *client_id, const gh_strlist_t *scopes,
                                      const char **id, gh_err_t *err);

/* A live grant as the connected-apps page and the admin page show it. */
typedef struct {
    const char  *id;
    const char  *client_id;
    const char  *client_name;
    const char  *logo_uri;    /* NULL when the client has none */
    gh_strlist_t scopes;
    long long    created_at;  /* epoch seconds */
    long long    updated_at;  /* epoch seconds: last consent that added scopes */
} gh_grant_info_t;

/* The user's live grants, most recently updated first: *out is an arena array of *n. */
gh_status_t gh_store_grant_list_for_user(gh_db_t *db, gh_arena_t *a, const char *user_id,
                                         gh_grant_info_t **out, size_t *n, gh_err_t *err);

/* Revokes the live grant grant_id and every token issued under it, at once. user_id
 * (NULL: any user's) restricts it to one user's grant. The row is kept linger seconds
 * (or until its last token's expiry, if later) for the sweep to delete. *tokens (may be
 * NULL) counts the tokens revoked. GH_E_NOTFOUND when there is no such live grant. */
gh_status_t gh_store_grant_revoke(gh_db_t *db, const char *grant_id, const char *user_id,
                                  long linger, long long *tokens, gh_err_t *err);

#endif
