/*
 * oauth/keys.h: the provider's signing keys: rotation, the per-process cache, signing
 * with the active key, and the published key set.
 *
 * A key is named by its RFC 7638 thumbprint (SHA-256 of the required public members,
 * base64url, 43 characters): anyone holding the public key can recompute its kid, and
 * two keys cannot share one.
 *
 * Rotation follows OIDC Core 10.1.1 (REQUIREMENTS R77): a new key is published at once
 * and signs only from its activation time (Keys.ActivationDelay later, so resource
 * servers can refetch the JWKS first); for each alg exactly the newest activated key
 * signs; a key that stopped signing stays published for the longest signed-token
 * lifetime plus GH_OAUTH_KEYS_REFRESH, after which every token it signed has expired.
 * The first key of an alg activates at once: nothing else could sign.
 *
 * Each process keeps the signing key of each alg in app->keys, decrypted on first use,
 * and rereads the database every GH_OAUTH_KEYS_REFRESH seconds and at the moment a
 * scheduled key activates, so running workers follow a rotation without a restart.
 * The published set is read from the database on every call: a new key appears in the
 * JWKS the moment it is added. The rows themselves are store/keys.c's.
 */
#ifndef GH_OAUTH_KEYS_H
#define GH_OAUTH_KEYS_H

#include <jansson.h>
#include <stdbool.h>

#include "app.h"
#include "base/err.h"
#include "store/keys.h"

/* The longest a worker signs with a key after another one was activated by hand. */
#define GH_OAUTH_KEYS_REFRESH 30

/* gh_oauth_keys_rotate delay: publish now, sign only after gh_oauth_keys_activate. */
#define GH_JOSE_KEYS_MANUAL GH_STORE_KEY_MANUAL

/* "RS256", "ES256" or "EdDSA". */
bool gh_oauth_keys_alg_is_supported(const char *alg);

/* Signs payload (borrowed, a JSON object) with the active key of alg: header alg, kid,
 * and typ when not NULL ("JWT", "at+jwt"). *out_jws is in app->arena.
 * GH_E_UNAVAILABLE when alg has no active key (logged with the command that fixes it)
 * or the database is down; GH_E_INTERNAL for an unsupported alg, an unreadable
 * Keys.EncryptionKeyFile, a row that does not decrypt, or a failed OpenSSL call. */
gh_status_t gh_oauth_keys_sign(gh_app_t *app, const char *alg, const char *typ,
                              json_t *payload, char **out_jws, gh_err_t *err);

/* Verifies a compact JWS that one of the published keys (pending, active or retired)
 * signed, found by the kid in its header, and whose header typ is typ (when typ is not
 * NULL). *claims is a new reference to the payload, a JSON object; nothing in it is
 * checked (exp, iss: the caller's). GH_E_INPUT for a malformed token, a kid that is
 * not published, another typ, a bad signature or a payload that is not an object;
 * GH_E_UNAVAILABLE when the database is down. */
gh_status_t gh_oauth_keys_verify(gh_app_t *app, const char *jws, const char *typ,
                                 json_t **claims, gh_err_t *err);

/* The JWKS: {"keys": [...]} with the public members of every pending, active and
 * retired key (kty, kid, use, alg, and n/e, crv/x/y or crv/x). *jwks_out is a new
 * reference. GH_E_UNAVAILABLE when the database is down. */
gh_status_t gh_oauth_keys_published(gh_app_t *app, json_t **jwks_out, gh_err_t *err);

/* The algs that have an active signing key, as a new JSON array of strings (for
 * id_token_signing_alg_values_supported). */
gh_status_t gh_oauth_keys_active_algs(gh_app_t *app, json_t **array_out, gh_err_t *err);

/* Generates a key of alg (RSA 2048, P-256 or Ed25519), encrypts its private half with
 * the key-encryption key and stores it, to sign delay seconds from now (0: at once;
 * GH_JOSE_KEYS_MANUAL: when activated). *info (app->arena) describes the new key.
 * GH_E_INPUT for an unknown alg; GH_E_INTERNAL when the key file is unusable. */
gh_status_t gh_oauth_keys_rotate(gh_app_t *app, const char *alg, long delay,
                                gh_store_key_info_t *info, gh_err_t *err);

/* Makes the pending key kid sign now. GH_E_NOTFOUND, or GH_E_CONFLICT when the key is
 * not pending; *info describes the key either way when it exists. */
gh_status_t gh_oauth_keys_activate(gh_app_t *app, const char *kid, gh_store_key_info_t *info,
                                  gh_err_t *err);

/* Frees the cache (NULL is fine), wiping nothing it does not own: gh_app_close calls it
 * and wipes app->kek itself. */
void gh_oauth_keys_cache_free(struct gh_keycache *cache);

/* Loads the key-encryption key into app->kek once (Keys.EncryptionKeyFile). */
gh_status_t gh_oauth_keys_kek_ensure(gh_app_t *app, gh_err_t *err);

#endif
