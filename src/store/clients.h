/*
 * store/clients.h: the clients table.
 *
 * Rows come back as gh_client_t with every string in the caller's arena. The rules
 * for what a client may be live in oauth/client.c (and as constraints in SQL).
 */
#ifndef GH_STORE_CLIENTS_H
#define GH_STORE_CLIENTS_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/db.h"

typedef struct {
    const char  *client_id;
    const char  *secret_hash;        /* NULL for public clients */
    const char  *name;
    const char  *client_type;        /* "confidential" | "public" */
    const char  *auth_method;        /* token_endpoint_auth_method */
    gh_strlist_t redirect_uris;
    gh_strlist_t post_logout_redirect_uris;
    gh_strlist_t grant_types;
    gh_strlist_t scopes;             /* what it may ask for */
    bool         require_pkce;
    bool         skip_consent;
    const char  *logo_uri, *tos_uri, *policy_uri;  /* NULL when unset */
    const char  *access_token_format; /* "opaque" | "jwt" */
    const char  *id_token_alg;
    bool         minimal_id_token;   /* id_token without the scopes' claims (read only) */
    long         access_token_ttl;   /* seconds; 0: Tokens.AccessTokenLifetime (read only) */
    bool         disabled;
    bool         is_public;
    const char  *created_at;
} gh_client_t;

/* Inserts c as it is (the caller made the id and secret hash). GH_E_CONFLICT when the
 * id exists, GH_E_INPUT when a constraint refuses it. */
gh_status_t gh_store_client_insert(gh_db_t *db, gh_arena_t *a, const gh_client_t *c,
                                   gh_err_t *err);

/* GH_E_NOTFOUND when there is no such client (disabled ones are returned). */
gh_status_t gh_store_client_get(gh_db_t *db, gh_arena_t *a, const char *client_id,
                                gh_client_t *out, gh_err_t *err);

/* All clients, by name. *out is an arena array of *n clients. */
gh_status_t gh_store_client_list(gh_db_t *db, gh_arena_t *a, gh_client_t **out, size_t *n,
                                 gh_err_t *err);

gh_status_t gh_store_client_set_disabled(gh_db_t *db, const char *client_id, bool disabled,
                                         gh_err_t *err);

#endif
