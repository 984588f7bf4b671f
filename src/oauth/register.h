/*
 * oauth/register.h: RFC 7591 client metadata, to and from gh_client_t.
 *
 * Which members a client may register for itself, and what leaving one out means.
 * Member names and types are oauth/client_json.c's; whether a client is acceptable is
 * oauth/client.c's rule, the same for every way of making one; the registration
 * operations (tokens, limits, storing) are oauth/dcr.c's.
 */
#ifndef GH_OAUTH_REGISTER_H
#define GH_OAUTH_REGISTER_H

#include <jansson.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/clients.h"

/* Replaces the registrable fields of c (name, auth method and with it the type,
 * redirect and post-logout URIs, grant types, scopes, logo/tos/policy URIs, contacts,
 * id_token alg) with body's members (RFC 7591 2), then applies gh_oauth_client_defaults:
 * a member that is absent, null, "" or [] takes its default, so an update replaces the
 * whole set (RFC 7592 2.2); without a client_name, the name is the host of the first
 * redirect URI. response_types may only be ["code"], and only with the
 * authorization_code grant. Other members are ignored, client_id and client_secret
 * too (RFC 7591 2, R92): they are the caller's. Strings are copied into a. GH_E_INPUT
 * (invalid_client_metadata) for a member of the wrong type; the values themselves are
 * gh_oauth_client_validate's to judge. */
gh_status_t gh_oauth_register_metadata_read(gh_arena_t *a, const json_t *body, gh_client_t *c,
                                            gh_err_t *err);

/* What a registration response returns besides the client (NULL: left out). */
typedef struct {
    const char *client_secret;             /* just issued (with client_secret_expires_at) */
    const char *registration_access_token;
    const char *registration_client_uri;
} gh_oauth_register_extras_t;

/* The client information response (RFC 7591 3.2.1, RFC 7592 3): client_id,
 * client_id_issued_at, the extras, and the metadata as registered, defaults included
 * (R90). A new reference. */
json_t *gh_oauth_register_response(gh_arena_t *a, const gh_client_t *c,
                                   const gh_oauth_register_extras_t *extras);

#endif
