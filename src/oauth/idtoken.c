/*
 * oauth/idtoken.c: building and signing id_tokens.
 *
 * The scope claims go in first and the protocol claims over them, and oauth/claims.c
 * refuses reserved names anyway: nothing a user or an operator stores can change iss,
 * sub, aud or nonce.
 */
#include "oauth/idtoken.h"

#include <openssl/evp.h>
#include <string.h>

#include "base/b64url.h"
#include "oauth/claims.h"
#include "oauth/keys.h"

static const struct {
    const char *alg;
    const EVP_MD *(*md)(void);
} at_hash_mds[] = {
    { .alg = "RS256", .md = EVP_sha256 },
    { .alg = "ES256", .md = EVP_sha256 },
    { .alg = "EdDSA", .md = EVP_sha512 },
};

gh_status_t
gh_oauth_idtoken_at_hash(gh_arena_t *a, const char *alg, const char *access_token, char **out,
                         gh_err_t *err)
{
    for (size_t i = 0; i < sizeof at_hash_mds / sizeof at_hash_mds[0]; i++) {
        if (strcmp(at_hash_mds[i].alg, alg) != 0)
            continue;
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        if (EVP_Digest(access_token, strlen(access_token), md, &len, at_hash_mds[i].md(),
                       NULL) != 1)
            return gh_fail(err, GH_E_INTERNAL, "digest failed");
        *out = gh_b64url_encode(a, md, len / 2);
        return GH_OK;
    }
    return gh_fail(err, GH_E_INTERNAL, "no at_hash for alg %s", alg);
}

/* OIDC Core 2: the claims about the authentication itself. */
static void
protocol_claims(const gh_app_t *app, const gh_oauth_grant_t *g, const char *at_hash,
                long long now, json_t *c)
{
    const char *client_id = g->client->client_id;
    json_object_set_new(c, "iss", json_string(app->cfg->issuer));
    json_object_set_new(c, "sub", json_string(g->user->id));
    json_object_set_new(c, "aud", json_string(client_id));
    json_object_set_new(c, "azp", json_string(client_id));
    json_object_set_new(c, "iat", json_integer(now));
    json_object_set_new(c, "exp", json_integer(now + app->cfg->id_token_ttl));
    json_object_set_new(c, "auth_time", json_integer(g->auth_time));
    json_object_set_new(c, "at_hash", json_string(at_hash));
    if (g->nonce != NULL)
        json_object_set_new(c, "nonce", json_string(g->nonce));
    if (g->sid != NULL)
        json_object_set_new(c, "sid", json_string(g->sid));
    if (g->amr.n > 0) {
        json_t *amr = json_array();
        for (size_t i = 0; i < g->amr.n; i++)
            json_array_append_new(amr, json_string(g->amr.items[i]));
        json_object_set_new(c, "amr", amr);
    }
}

gh_status_t
gh_oauth_idtoken_issue(gh_app_t *app, const gh_oauth_grant_t *g, const char *access_token,
                       long long now, const char **out, gh_err_t *err)
{
    const char *alg = g->client->id_token_alg;
    char *at_hash = NULL;
    gh_status_t st = gh_oauth_idtoken_at_hash(app->arena, alg, access_token, &at_hash, err);
    if (st != GH_OK)
        return st;
    json_t *claims = json_object();
    if (!g->client->minimal_id_token)
        st = gh_oauth_claims_for_scope(app->db, app->arena, g->user, g->scope, claims, err);
    char *jws = NULL;
    if (st == GH_OK) {
        protocol_claims(app, g, at_hash, now, claims);
        st = gh_oauth_keys_sign(app, alg, "JWT", claims, &jws, err);
    }
    json_decref(claims);
    *out = jws;
    return st;
}
