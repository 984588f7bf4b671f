/*
 * oauth/clientauth.c: client authentication (RFC 6749 2.3, 3.2.1).
 *
 * Secrets are compared as SHA-256 hex with a constant-time compare. Brute force is
 * throttled per client (R39): failures are counted in login_attempts under the key
 * "client:<id>" (store/attempts.c), and after GH_OAUTH_CLIENTAUTH_FAILURES of them
 * the client is refused with 429 slow_down, whatever it sends, for
 * GH_OAUTH_CLIENTAUTH_LOCK seconds; each further failure locks it again. Refusing
 * every attempt during a lock is what caps the guessing rate, and it also lets
 * someone who knows a client_id lock that client out for a while: the lock is short
 * so the damage is, and the secrets Gatehouse issues (256 bits) are beyond guessing
 * anyway. Only known clients are counted, so unknown ids cannot fill the table.
 */
#include "oauth/clientauth.h"

#include <string.h>

#include "base/ct.h"
#include "base/hash.h"
#include "base/log.h"
#include "oauth/error.h"
#include "store/attempts.h"

/* The credentials of the one method the request used. */
typedef struct {
    const char *client_id;
    const char *secret;     /* NULL for "none" */
    const char *method;
} presented_t;

static gh_status_t
presented_method(const gh_oauth_client_creds_t *c, presented_t *p, gh_err_t *err)
{
    if (c->has_basic) {
        if (c->client_secret != NULL)
            return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                                 "use one client authentication method, not Basic and "
                                 "client_secret both");
        if (c->client_id != NULL && strcmp(c->client_id, c->basic_user) != 0)
            return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                                 "client_id differs from the Basic credentials");
        *p = (presented_t){ c->basic_user, c->basic_pass != NULL ? c->basic_pass : "",
                            "client_secret_basic" };
        return GH_OK;
    }
    if (c->client_id == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT, "client authentication is required");
    *p = (presented_t){ c->client_id, c->client_secret,
                        c->client_secret != NULL ? "client_secret_post" : "none" };
    return GH_OK;
}

static gh_status_t
refuse(gh_err_t *err)
{
    return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT, "client authentication failed");
}

/* seen: the client's failures under key, read with the client. */
static gh_status_t
check_secret(gh_db_t *db, gh_arena_t *a, const gh_client_t *client, const char *key,
             const gh_attempts_t *seen, const char *secret, gh_err_t *err)
{
    if (seen->locked_for > 0) {
        gh_log_warn("client authentication refused: client=%s locked for %lds after %ld "
                    "wrong secrets", client->client_id, seen->locked_for, seen->failures);
        return gh_oauth_fail(err, GH_OAUTH_SLOW_DOWN,
                             "too many failed authentications: retry in %ld seconds",
                             seen->locked_for);
    }
    char *hash = NULL;
    gh_status_t st = gh_hash_sha256_hex(a, secret, &hash, err);
    if (st != GH_OK)
        return st;
    if (gh_ct_streq(hash, client->secret_hash))
        return GH_OK;
    st = gh_store_attempts_fail(db, key, GH_OAUTH_CLIENTAUTH_FAILURES, GH_OAUTH_CLIENTAUTH_LOCK,
                                GH_OAUTH_CLIENTAUTH_WINDOW, err);
    if (st != GH_OK)
        return st;
    gh_log_warn("client authentication failed: client=%s wrong secret, %ld in a row",
                client->client_id, seen->failures + 1);
    return refuse(err);
}

gh_status_t
gh_oauth_clientauth_verify(gh_db_t *db, gh_arena_t *a, const gh_oauth_client_creds_t *creds,
                           gh_client_t *out, gh_err_t *err)
{
    presented_t p = { 0 };
    gh_status_t st = presented_method(creds, &p, err);
    if (st != GH_OK)
        return st;
    /* The client and its failure count in one round trip: every token request
     * authenticates, so this is on the hot path. */
    const char *key = gh_arena_printf(a, "client:%s", p.client_id);
    gh_attempts_t seen;
    st = gh_store_client_get_with_attempts(db, a, p.client_id, key, out, &seen, err);
    if (st == GH_E_NOTFOUND || (st == GH_OK && out->disabled))
        return refuse(err);
    if (st != GH_OK)
        return st;
    /* RFC 6749 2.3: the registered method only, so a secret cannot be tried through a
     * method the client does not use (R38), nor left out by a confidential one (R40). */
    if (strcmp(p.method, out->auth_method) != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT,
                             "this client must authenticate with %s", out->auth_method);
    if (strcmp(out->auth_method, "none") == 0)
        return GH_OK;
    return check_secret(db, a, out, key, &seen, p.secret, err);
}
