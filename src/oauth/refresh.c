/*
 * oauth/refresh.c: the refresh_token grant, rotation and replay detection.
 *
 * One transaction per refresh. Its first statement (store/tokens.c,
 * gh_store_token_rotate) marks the presented token used with a conditional UPDATE, so
 * of concurrent refreshes with one token exactly one wins (R42); the new tokens are
 * inserted in the same transaction, so a failure leaves the old token live and nothing
 * half-written.
 *
 * A token that was not live, but used, is either a race or a replay (R43, R44, DESIGN
 * invariant 4). The statement that tried to use it ran with a snapshot taken when it
 * began, before it waited for anyone: if the rotating transaction is not visible in
 * that snapshot, this request was in flight when the rotation committed. It is then
 * the loser of a race: refused (invalid_grant) and nothing revoked, so the winner's
 * new tokens keep working. The client's refresh_grace_seconds (default 0) widen "in
 * flight" to requests that began that long after the rotation: requests queued in the
 * web server, or a client that retries. Any other use of a used token is a replay: the
 * whole family (every access and refresh token descended from the code, JWT access
 * tokens through their rows) is revoked, that is committed, and the answer is
 * invalid_grant.
 *
 * A refused scope rolls back: the token stays live for a corrected request. Another
 * client's token is refused without being touched (R46): it was not that client's to
 * use up.
 */
#include "oauth/refresh.h"

#include <time.h>

#include "base/hash.h"
#include "base/log.h"
#include "oauth/error.h"
#include "oauth/scope.h"
#include "store/db.h"
#include "store/tokens.h"
#include "store/users.h"

long long
gh_oauth_refresh_expiry(const gh_config_t *cfg, const gh_client_t *client, long long now,
                        long long started)
{
    long absolute = client->refresh_token_ttl > 0 ? client->refresh_token_ttl : cfg->refresh_ttl;
    long idle = client->refresh_idle_ttl > 0 ? client->refresh_idle_ttl : cfg->refresh_idle_ttl;
    long long end = started + absolute;
    return now + idle < end ? now + idle : end;
}

static gh_status_t
invalid_grant(gh_err_t *err)
{
    return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT,
                         "the refresh token is invalid, expired or already used");
}

/* A replay: revoke every token of the grant (DESIGN invariant 4, issue 5: the thief
 * may hold tokens of other families too) and commit that, whatever the answer. */
static gh_status_t
revoke_family(gh_app_t *app, const char *family_id, gh_err_t *err)
{
    long long n = 0;
    gh_status_t st = gh_store_token_revoke_grant_of_family(app->db, family_id, &n, err);
    if (st == GH_OK)
        st = gh_db_commit(app->db, err);
    else
        gh_db_rollback(app->db);
    if (st != GH_OK)
        return st;
    gh_log_warn("used refresh token presented again: %lld tokens of its grant revoked", n);
    return invalid_grant(err);
}

/* The presented token was not live: find out why, and act on a replay. */
static gh_status_t
refuse(gh_app_t *app, const char *hash, const gh_client_t *client, const char *snapshot,
       gh_err_t *err)
{
    gh_store_reuse_t reuse = { 0 };
    gh_status_t st = gh_store_token_reuse_get(app->db, app->arena, hash, client->client_id,
                                              snapshot, &reuse, err);
    if (st == GH_OK && reuse.used && !reuse.in_flight)
        return revoke_family(app, reuse.family_id, err);
    gh_db_rollback(app->db);
    if (st != GH_OK && st != GH_E_NOTFOUND)
        return st;
    if (reuse.used)
        gh_log_info("refresh token used by a concurrent request: refused, nothing revoked");
    return invalid_grant(err);
}

/* The tokens that replace old: the grant's scope, or the narrower one asked for. */
static gh_status_t
issue(gh_app_t *app, const gh_oauth_refresh_req_t *in, const gh_store_token_t *old,
      gh_oauth_tokens_t *out, gh_err_t *err)
{
    gh_strlist_t granted = { 0 };
    bool ok = true;
    gh_strlist_split(app->arena, old->scope, &granted, &ok);
    const char *scope = NULL;
    gh_status_t st = gh_oauth_scope_grant(app->arena, &granted, in->scope, &scope, err);
    if (st != GH_OK)
        return st;
    long long now = (long long)time(NULL);
    if (gh_oauth_refresh_expiry(app->cfg, in->client, now, old->family_started_at) <= now)
        return invalid_grant(err);
    gh_user_t user;
    st = gh_store_user_get(app->db, app->arena, old->user_id, &user, err);
    if (st == GH_E_NOTFOUND || (st == GH_OK && user.disabled))
        return invalid_grant(err);
    if (st != GH_OK)
        return st;
    /* OIDC Core 12.2: the original authentication; no nonce, which belongs to the
     * authentication request (and its first id_token) only. */
    gh_oauth_grant_t g = {
        .client = in->client, .user = &user, .grant_id = old->grant_id,
        .family_id = old->family_id, .scope = old->scope, .access_scope = scope,
        .sid = old->sid, .auth_time = old->auth_time, .amr = old->amr,
        .parent_hash = old->token_hash, .family_started_at = old->family_started_at,
    };
    return gh_oauth_tokens_issue(app, &g, out, err);
}

gh_status_t
gh_oauth_refresh_rotate(gh_app_t *app, const gh_oauth_refresh_req_t *in,
                        gh_oauth_tokens_t *out, gh_err_t *err)
{
    if (in->refresh_token == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "refresh_token is required");
    char *hash = NULL;
    gh_status_t st = gh_hash_sha256_hex(app->arena, in->refresh_token, &hash, err);
    if (st == GH_OK)
        st = gh_db_begin(app->db, err);
    if (st != GH_OK)
        return st;
    gh_store_token_t old;
    const char *snapshot = NULL;
    st = gh_store_token_rotate(app->db, app->arena, hash, in->client->client_id, &old,
                               &snapshot, err);
    if (st == GH_E_NOTFOUND)
        return refuse(app, hash, in->client, snapshot, err);
    if (st == GH_OK)
        st = issue(app, in, &old, out, err);
    if (st != GH_OK) {
        gh_db_rollback(app->db);
        return st;
    }
    return gh_db_commit(app->db, err);
}
