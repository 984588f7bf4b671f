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

#endif
