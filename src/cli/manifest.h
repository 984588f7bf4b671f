/*
 * cli/manifest.h: app manifests, the files `gatehouse client apply` reads.
 *
 * A manifest describes one client, in YAML (libyaml) or JSON (jansson):
 *
 *     oauth:
 *       clientName: My App              # required; also the client's stable app key
 *       type: confidential              # or public
 *       redirectUris: [https://my-app.example.com/callback]
 *       postLogoutRedirectUris: [...]
 *       scopes: [openid, profile]
 *       grantTypes: [authorization_code, refresh_token]
 *       tokenEndpointAuthMethod: client_secret_basic
 *       trusted: false
 *       accessTokenFormat: opaque       # or jwt
 *       metadata: { logoUri: https://..., tosUri: ..., policyUri: ..., contacts: [...] }
 *
 * This module only reads the file into a gh_client_t: the rules for what a client may
 * be are oauth/client.c's. Unknown keys, wrong types, duplicate keys, YAML aliases and
 * tags, several documents, nesting deeper than GH_MANIFEST_MAX_DEPTH and files larger
 * than GH_MANIFEST_MAX_SIZE are refused, so a hostile file costs at most its size.
 */
#ifndef GH_CLI_MANIFEST_H
#define GH_CLI_MANIFEST_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/clients.h"

#define GH_MANIFEST_MAX_SIZE  (64 * 1024)
#define GH_MANIFEST_MAX_DEPTH 8

typedef enum {
    GH_MANIFEST_AUTO,   /* JSON when the first non-blank character is '{', else YAML */
    GH_MANIFEST_JSON,
    GH_MANIFEST_YAML,
} gh_manifest_format_t;

/* Parses the manifest text (len bytes, NUL not needed) into *out: the fields the manifest
 * sets, everything else zero (NULL strings, empty lists, false). out->name and
 * out->app_key are both the clientName. Strings and lists are in the arena.
 * GH_E_INPUT with a description naming the problem (the unknown keys by their path, the
 * key of a wrong type, the YAML line); GH_E_TOO_LARGE past GH_MANIFEST_MAX_SIZE. */
gh_status_t gh_cli_manifest_parse(gh_arena_t *a, const char *text, size_t len,
                                  gh_manifest_format_t format, gh_client_t *out,
                                  gh_err_t *err);

/* Reads and parses the file at path: JSON when it ends in ".json", YAML when it ends in
 * ".yaml" or ".yml", else GH_MANIFEST_AUTO. GH_E_NOTFOUND when it cannot be read. */
gh_status_t gh_cli_manifest_read(gh_arena_t *a, const char *path, gh_client_t *out,
                                 gh_err_t *err);

/* Copies onto c every field a manifest can describe, from m whether the manifest set it
 * or not (an absent key means the default, so that a key taken out of the manifest goes
 * back to the default), and the app key. Fields no manifest key describes (PKCE,
 * resource server, token lifetimes, id_token alg, ...) keep c's values. */
void gh_cli_manifest_merge(const gh_client_t *m, gh_client_t *c);

#endif
