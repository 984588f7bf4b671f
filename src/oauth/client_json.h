/*
 * oauth/client_json.h: a client as JSON, and JSON into a client.
 *
 * Member names are RFC 7591's where it has one (client_name, redirect_uris, scope as a
 * space-separated string, token_endpoint_auth_method, id_token_signed_response_alg,
 * ...) and Gatehouse's own otherwise (client_type, require_pkce, trusted,
 * resource_server, access_token_format, disabled). The command line's --json output
 * and the admin API use the same document.
 */
#ifndef GH_OAUTH_CLIENT_JSON_H
#define GH_OAUTH_CLIENT_JSON_H

#include <jansson.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/clients.h"

/* A new reference (the caller decrefs it): c as a JSON object, with client_secret when
 * secret is not NULL. Members with no value (NULL strings) are left out. */
json_t *gh_oauth_client_to_json(gh_arena_t *a, const gh_client_t *c, const char *secret);

/* Sets in c (strings in a) the members in is: other members of c keep their values, so
 * this serves both a new client (start from zero) and an edit (start from the stored
 * one). A null or "" URI member unsets it. Unknown members are ignored (RFC 7591 2);
 * client_id, client_secret, client_type and disabled are never read here. GH_E_INPUT
 * (invalid_client_metadata) naming the member when one has the wrong type. */
gh_status_t gh_oauth_client_from_json(gh_arena_t *a, const json_t *in, gh_client_t *c,
                                      gh_err_t *err);

#endif
