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
#include "store/attempts.h"
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
    bool         minimal_id_token;   /* id_token without the scopes' claims */
    long         access_token_ttl;   /* seconds; 0: Tokens.AccessTokenLifetime */
    long         refresh_token_ttl;  /* absolute, seconds; 0: Tokens.RefreshTokenLifetime */
    long         refresh_idle_ttl;   /* seconds; 0: Tokens.RefreshTokenIdleLifetime */
    gh_strlist_t contacts;           /* e-mail addresses (RFC 7591 2) */
    const char  *app_key;            /* a manifest's stable key (clientName); NULL if none */
    bool         disabled;
    bool         is_public;
    bool         is_resource_server; /* may introspect other clients' access tokens */
    const char  *created_at;
    long long    issued_at;          /* created_at in epoch seconds (read only) */
    bool         is_dynamically_registered; /* made by /register (sql/008): never trusted,
                                               and unverified on the consent page */
    const char  *registration_token_hash;   /* RFC 7592 token's SHA-256 hex; NULL unless
                                               dynamically registered */
} gh_client_t;

/* Inserts c as it is (the caller made the id and secret hash). GH_E_CONFLICT when the
 * id or the app key exists, GH_E_INPUT when a constraint refuses it. */
gh_status_t gh_store_client_insert(gh_db_t *db, gh_arena_t *a, const gh_client_t *c,
                                   gh_err_t *err);

/* *found: some enabled client has a redirect URI whose web origin is origin (a serialized
 * origin: "https://app.example" or "http://localhost:3000"). For CORS (R60). */
gh_status_t gh_store_client_origin_exists(gh_db_t *db, const char *origin, bool *found,
                                          gh_err_t *err);

/* GH_E_NOTFOUND when there is no such client (disabled ones are returned). */
gh_status_t gh_store_client_get(gh_db_t *db, gh_arena_t *a, const char *client_id,
                                gh_client_t *out, gh_err_t *err);

/* gh_store_client_get, and what gh_store_attempts_get would say about key, in one
 * round trip (client authentication reads both on every request). */
gh_status_t gh_store_client_get_with_attempts(gh_db_t *db, gh_arena_t *a,
                                              const char *client_id, const char *key,
                                              gh_client_t *out, gh_attempts_t *attempts,
                                              gh_err_t *err);

/* All clients, by name. *out is an arena array of *n clients. */
gh_status_t gh_store_client_list(gh_db_t *db, gh_arena_t *a, gh_client_t **out, size_t *n,
                                 gh_err_t *err);

gh_status_t gh_store_client_set_disabled(gh_db_t *db, const char *client_id, bool disabled,
                                         gh_err_t *err);

/* Clients whose name contains query (case-insensitive) or whose id is query (NULL:
 * all), by name, at most limit: *out is an arena array of *n. */
gh_status_t gh_store_client_search(gh_db_t *db, gh_arena_t *a, const char *query, long limit,
                                   gh_client_t **out, size_t *n, gh_err_t *err);

/* Writes every field of c but its id, type and secret (the caller validated it).
 * GH_E_NOTFOUND when there is no such client, GH_E_INPUT when a constraint refuses it. */
gh_status_t gh_store_client_update(gh_db_t *db, gh_arena_t *a, const gh_client_t *c,
                                   gh_err_t *err);

/* The client whose app key (a manifest's clientName) is key. GH_E_NOTFOUND if none. */
gh_status_t gh_store_client_get_by_app_key(gh_db_t *db, gh_arena_t *a, const char *key,
                                           gh_client_t *out, gh_err_t *err);

/* Deletes the client; its grants, codes, tokens and pending requests go with it (ON
 * DELETE CASCADE). GH_E_NOTFOUND when there is no such client. */
gh_status_t gh_store_client_delete(gh_db_t *db, const char *client_id, gh_err_t *err);

/* Replaces a confidential client's secret hash. GH_E_NOTFOUND when there is no such
 * confidential client. */
gh_status_t gh_store_client_set_secret(gh_db_t *db, const char *client_id,
                                       const char *secret_hash, gh_err_t *err);

/* *n: how many clients are dynamically registered (Registration.MaxClients). */
gh_status_t gh_store_client_count_registered(gh_db_t *db, long *n, gh_err_t *err);

#endif
