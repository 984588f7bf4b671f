/*
 * tests/unit/oauth/test_refresh.c: oauth/refresh.h and the client_credentials part of
 * oauth/grant.h (REQUIREMENTS R42-R53; DESIGN invariant 4).
 *
 * The rules without a database: refresh token lifetimes, the scope a refresh or a
 * client_credentials request gets, which clients may use client_credentials. Then what
 * a refresh decides, with the store, the transaction calls and signing replaced at link
 * time: which tokens it inserts and how, when it commits or rolls back, and that only
 * a replay (never a race loser, another client's token or an expired one) revokes the
 * family. That the database tells race from replay is tests/integration's job.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "oauth/grant.h"
#include "oauth/refresh.h"
#include "oauth/scope.h"
#include "store/db.h"
#include "store/scopes.h"
#include "store/tokens.h"

#define DAY        86400LL
#define USER_ID    "71d866cb-3bb6-4f51-8719-ae47a7e11a29"
#define PRESENTED  "gatehouse_rt_presented"
#define FAMILY     "7f8e4c3a-0000-4000-8000-000000000001"

/* ------------------------------------------------------------ link-time replacements */

gh_status_t __wrap_gh_db_begin(gh_db_t *db, gh_err_t *err);
gh_status_t __wrap_gh_db_commit(gh_db_t *db, gh_err_t *err);
void __wrap_gh_db_rollback(gh_db_t *db);
gh_status_t __wrap_gh_store_token_insert(gh_db_t *db, gh_arena_t *a, const gh_store_token_t *t,
                                         gh_err_t *err);
gh_status_t __wrap_gh_store_token_rotate(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                         const char *client_id, gh_store_token_t *out,
                                         const char **snapshot, gh_err_t *err);
gh_status_t __wrap_gh_store_token_reuse_get(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                            const char *client_id, const char *snapshot,
                                            gh_store_reuse_t *out, gh_err_t *err);
gh_status_t __wrap_gh_store_token_revoke_grant_of_family(gh_db_t *db, const char *family_id,
                                                long long *n, gh_err_t *err);
gh_status_t __wrap_gh_store_user_get(gh_db_t *db, gh_arena_t *a, const char *id, gh_user_t *out,
                                     gh_err_t *err);
gh_status_t __wrap_gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a,
                                          const gh_strlist_t *names, gh_strlist_t *claims,
                                          gh_err_t *err);
gh_status_t __wrap_gh_oauth_keys_sign(gh_app_t *app, const char *alg, const char *typ,
                                      json_t *payload, char **out_jws, gh_err_t *err);

/* What the code under test did, and what the store answers. */
static struct {
    int              begins, commits, rollbacks, revokes;
    const char      *revoked_family;
    gh_store_token_t rows[4];
    size_t           nrows;
    json_t          *access_jwt, *id_token;
    gh_status_t      rotate_status;
    gh_store_token_t stored;        /* the presented token's row, when live */
    gh_status_t      reuse_status;
    gh_store_reuse_t reuse;
    bool             user_disabled;
} w;

gh_status_t
__wrap_gh_db_begin(gh_db_t *db, gh_err_t *err)
{
    (void)db, (void)err;
    w.begins++;
    return GH_OK;
}

gh_status_t
__wrap_gh_db_commit(gh_db_t *db, gh_err_t *err)
{
    (void)db, (void)err;
    w.commits++;
    return GH_OK;
}

void
__wrap_gh_db_rollback(gh_db_t *db)
{
    (void)db;
    w.rollbacks++;
}

gh_status_t
__wrap_gh_store_token_insert(gh_db_t *db, gh_arena_t *a, const gh_store_token_t *t,
                             gh_err_t *err)
{
    (void)db, (void)a, (void)err;
    assert_true(w.nrows < sizeof w.rows / sizeof w.rows[0]);
    w.rows[w.nrows++] = *t;
    return GH_OK;
}

gh_status_t
__wrap_gh_store_token_rotate(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                             const char *client_id, gh_store_token_t *out,
                             const char **snapshot, gh_err_t *err)
{
    (void)db, (void)client_id;
    *snapshot = "100:100:";
    if (w.rotate_status != GH_OK)
        return gh_fail(err, w.rotate_status, "not live");
    *out = w.stored;
    out->token_hash = gh_arena_strdup(a, token_hash);
    return GH_OK;
}

gh_status_t
__wrap_gh_store_token_reuse_get(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                const char *client_id, const char *snapshot,
                                gh_store_reuse_t *out, gh_err_t *err)
{
    (void)db, (void)a, (void)token_hash, (void)client_id;
    assert_string_equal(snapshot, "100:100:");
    if (w.reuse_status != GH_OK)
        return gh_fail(err, w.reuse_status, "no such token");
    *out = w.reuse;
    return GH_OK;
}

gh_status_t
__wrap_gh_store_token_revoke_grant_of_family(gh_db_t *db, const char *family_id, long long *n,
                                    gh_err_t *err)
{
    (void)db, (void)err;
    w.revokes++;
    w.revoked_family = family_id;
    if (n != NULL)
        *n = 3;
    return GH_OK;
}

gh_status_t
__wrap_gh_store_user_get(gh_db_t *db, gh_arena_t *a, const char *id, gh_user_t *out,
                         gh_err_t *err)
{
    (void)db, (void)a, (void)err;
    assert_string_equal(id, USER_ID);
    *out = (gh_user_t){ .id = USER_ID, .extra_claims = "{}", .disabled = w.user_disabled };
    return GH_OK;
}

gh_status_t
__wrap_gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                              gh_strlist_t *claims, gh_err_t *err)
{
    (void)db, (void)a, (void)names, (void)claims, (void)err;
    return GH_OK;
}

gh_status_t
__wrap_gh_oauth_keys_sign(gh_app_t *app, const char *alg, const char *typ, json_t *payload,
                          char **out_jws, gh_err_t *err)
{
    (void)alg, (void)err;
    json_t **slot = strcmp(typ, "at+jwt") == 0 ? &w.access_jwt : &w.id_token;
    json_decref(*slot);
    *slot = json_deep_copy(payload);
    *out_jws = gh_arena_strdup(app->arena, "header.payload.signature");
    return GH_OK;
}

/* ---------------------------------------------------------------------- fixtures */

typedef struct {
    gh_config_t cfg;
    gh_app_t    app;
    gh_client_t client;
    long long   now;
} fixture_t;

static void
add(gh_arena_t *a, gh_strlist_t *l, const char *items)
{
    bool ok = true;
    gh_strlist_split(a, items, l, &ok);
    assert_true(ok);
}

static int
setup(void **state)
{
    static fixture_t f;
    memset(&f, 0, sizeof f);
    memset(&w, 0, sizeof w);
    f.now = (long long)time(NULL);
    f.cfg = (gh_config_t){
        .issuer = "https://idp.example/oauth", .audience = "https://api.example",
        .default_alg = "ES256", .access_ttl = 300, .id_token_ttl = 300,
        .refresh_ttl = 30 * DAY, .refresh_idle_ttl = 14 * DAY,
    };
    f.app = (gh_app_t){ .cfg = &f.cfg, .arena = gh_arena_new() };
    f.client = (gh_client_t){
        .client_id = "client-1234", .client_type = "confidential", .id_token_alg = "ES256",
        .access_token_format = "opaque",
    };
    add(f.app.arena, &f.client.grant_types, "authorization_code refresh_token");
    add(f.app.arena, &f.client.scopes, "openid profile email offline_access api.read");
    w.stored = (gh_store_token_t){
        .kind = "refresh", .format = "opaque", .client_id = "client-1234", .user_id = USER_ID,
        .grant_id = "grant-1", .family_id = FAMILY, .scope = "openid profile email",
        .sid = "sid-1", .auth_time = f.now - 3600, .nonce = "n-0S6_WzA2Mj",
        .family_started_at = f.now - DAY,
    };
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    gh_arena_free(f->app.arena);
    json_decref(w.access_jwt);
    json_decref(w.id_token);
    memset(&w, 0, sizeof w);
    return 0;
}

static void
refused(gh_status_t st, const gh_err_t *err, const char *code)
{
    assert_int_equal(st, GH_E_INPUT);
    assert_string_equal(err->oauth_error, code);
}

static gh_status_t
refresh(fixture_t *f, const char *scope, gh_oauth_tokens_t *out, gh_err_t *err)
{
    gh_oauth_refresh_req_t in = { .client = &f->client, .refresh_token = PRESENTED,
                                  .scope = scope };
    return gh_oauth_refresh_rotate(&f->app, &in, out, err);
}

static void
refresh_refused(fixture_t *f, const char *scope, const char *code)
{
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    refused(refresh(f, scope, &out, &err), &err, code);
}

static const gh_store_token_t *
row(const char *kind)
{
    for (size_t i = 0; i < w.nrows; i++) {
        if (strcmp(w.rows[i].kind, kind) == 0)
            return &w.rows[i];
    }
    fail_msg("no %s token was stored", kind);
    return NULL;
}

/* ------------------------------------------------------------------- lifetimes */

static void
r47_refresh_expiry_is_the_idle_lifetime_while_the_family_is_young(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(gh_oauth_refresh_expiry(&f->cfg, &f->client, f->now, f->now - DAY),
                     f->now + 14 * DAY);
}

static void
r47_refresh_expiry_never_passes_the_family_start_plus_absolute_lifetime(void **state)
{
    fixture_t *f = *state;
    long long started = f->now - 20 * DAY;
    assert_int_equal(gh_oauth_refresh_expiry(&f->cfg, &f->client, f->now, started),
                     started + 30 * DAY);
}

static void
r47_refresh_expiry_takes_the_client_lifetimes_over_the_configuration(void **state)
{
    fixture_t *f = *state;
    f->client.refresh_idle_ttl = 2;
    assert_int_equal(gh_oauth_refresh_expiry(&f->cfg, &f->client, f->now, f->now), f->now + 2);
    f->client.refresh_idle_ttl = 0;
    f->client.refresh_token_ttl = 60;
    assert_int_equal(gh_oauth_refresh_expiry(&f->cfg, &f->client, f->now, f->now - 10),
                     f->now + 50);
}

static void
r47_refresh_expiry_is_past_once_the_absolute_lifetime_is_over(void **state)
{
    fixture_t *f = *state;
    assert_true(gh_oauth_refresh_expiry(&f->cfg, &f->client, f->now, f->now - 30 * DAY)
                <= f->now);
}

/* ------------------------------------------------------------------------ scope */

static const char *
scope_of(fixture_t *f, const char *available, const char *requested, gh_status_t *st,
         gh_err_t *err)
{
    gh_strlist_t l = { 0 };
    add(f->app.arena, &l, available);
    const char *out = NULL;
    *st = gh_oauth_scope_grant(f->app.arena, &l, requested, &out, err);
    return out;
}

static void
r45_omitted_scope_is_the_whole_grant(void **state)
{
    gh_err_t err = { 0 };
    gh_status_t st;
    assert_string_equal(scope_of(*state, "openid profile email", NULL, &st, &err),
                        "openid profile email");
    assert_int_equal(st, GH_OK);
}

static void
r45_narrower_scope_comes_back_in_the_grants_order(void **state)
{
    gh_err_t err = { 0 };
    gh_status_t st;
    assert_string_equal(scope_of(*state, "openid profile email", "email openid email", &st,
                                 &err), "openid email");
    assert_int_equal(st, GH_OK);
}

static void
r45_scope_outside_the_grant_is_invalid_scope(void **state)
{
    gh_err_t err = { 0 };
    gh_status_t st;
    scope_of(*state, "openid profile", "openid admin", &st, &err);
    refused(st, &err, "invalid_scope");
}

static void
r45_malformed_scope_is_invalid_scope(void **state)
{
    static const char *const bad[] = { "openid  profile", " openid", "openid ", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_err_t err = { 0 };
        gh_status_t st;
        scope_of(*state, "openid profile", bad[i], &st, &err);
        refused(st, &err, "invalid_scope");
    }
}

static void
r53_client_credentials_scope_omitted_is_every_allowed_scope_but_user_ones(void **state)
{
    fixture_t *f = *state;
    gh_err_t err = { 0 };
    const char *out = NULL;
    assert_int_equal(gh_oauth_scope_grant_client(f->app.arena, &f->client, NULL, &out, &err),
                     GH_OK);
    assert_string_equal(out, "profile email api.read");
}

static void
r53_client_credentials_scope_refuses_openid_offline_access_and_unallowed(void **state)
{
    fixture_t *f = *state;
    static const char *const bad[] = { "openid", "api.read offline_access", "api.write" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_err_t err = { 0 };
        const char *out = NULL;
        refused(gh_oauth_scope_grant_client(f->app.arena, &f->client, bad[i], &out, &err),
                &err, "invalid_scope");
    }
}

static void
r53_client_credentials_scope_of_an_openid_only_client_is_invalid_scope(void **state)
{
    fixture_t *f = *state;
    gh_err_t err = { 0 };
    const char *out = NULL;
    f->client.scopes = (gh_strlist_t){ 0 };
    add(f->app.arena, &f->client.scopes, "openid offline_access");
    refused(gh_oauth_scope_grant_client(f->app.arena, &f->client, NULL, &out, &err), &err,
            "invalid_scope");
}

/* ----------------------------------------------------------- client_credentials */

static gh_status_t
client_credentials(fixture_t *f, const char *scope, gh_oauth_tokens_t *out, gh_err_t *err)
{
    gh_oauth_client_credentials_req_t in = { .client = &f->client, .scope = scope };
    return gh_oauth_grant_client_credentials(&f->app, &in, out, err);
}

static void
refused_cc(fixture_t *f, const char *scope, const char *code)
{
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    refused(client_credentials(f, scope, &out, &err), &err, code);
}

static void
r50_public_client_is_unauthorized_client(void **state)
{
    fixture_t *f = *state;
    add(f->app.arena, &f->client.grant_types, "client_credentials");
    f->client.is_public = true;
    refused_cc(f, NULL, "unauthorized_client");
    assert_int_equal(w.nrows, 0);
}

static void
r50_confidential_client_without_the_grant_is_unauthorized_client(void **state)
{
    fixture_t *f = *state;
    refused_cc(f, NULL, "unauthorized_client");
    assert_int_equal(w.nrows, 0);
}

static void
r51_client_credentials_gives_one_access_token_without_user_or_refresh_token(void **state)
{
    fixture_t *f = *state;
    add(f->app.arena, &f->client.grant_types, "client_credentials");
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    assert_int_equal(client_credentials(f, "api.read", &out, &err), GH_OK);
    assert_int_equal(w.nrows, 1);
    assert_string_equal(w.rows[0].kind, "access");
    assert_null(w.rows[0].user_id);
    assert_null(w.rows[0].grant_id);
    assert_null(w.rows[0].family_id);
    assert_string_equal(w.rows[0].scope, "api.read");
    assert_null(out.refresh_token);
    assert_null(out.id_token);
    assert_string_equal(out.scope, "api.read");
}

static void
r52_client_credentials_jwt_sub_is_in_the_client_namespace(void **state)
{
    fixture_t *f = *state;
    add(f->app.arena, &f->client.grant_types, "client_credentials");
    f->client.access_token_format = "jwt";
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    assert_int_equal(client_credentials(f, NULL, &out, &err), GH_OK);
    assert_non_null(w.access_jwt);
    assert_string_equal(json_string_value(json_object_get(w.access_jwt, "sub")),
                        "client:client-1234");
    assert_null(json_object_get(w.access_jwt, "auth_time"));
    assert_null(w.id_token);
}

/* ---------------------------------------------------------------------- refresh */

static void
r42_refresh_rotates_in_one_transaction(void **state)
{
    fixture_t *f = *state;
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    assert_int_equal(refresh(f, NULL, &out, &err), GH_OK);
    assert_int_equal(w.begins, 1);
    assert_int_equal(w.commits, 1);
    assert_int_equal(w.rollbacks, 0);
    assert_non_null(out.refresh_token);
    assert_string_not_equal(out.refresh_token, PRESENTED);
    const gh_store_token_t *rt = row("refresh");
    assert_string_equal(rt->family_id, FAMILY);
    assert_string_equal(rt->grant_id, "grant-1");
    assert_non_null(rt->parent_hash);
    assert_int_equal(rt->family_started_at, f->now - DAY);
    assert_in_range(rt->expires_at, f->now + 14 * DAY, f->now + 14 * DAY + 2);
    assert_string_equal(out.scope, "openid profile email");
}

static void
r45_narrowed_refresh_narrows_the_access_token_only(void **state)
{
    fixture_t *f = *state;
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    assert_int_equal(refresh(f, "email", &out, &err), GH_OK);
    assert_string_equal(out.scope, "email");
    assert_string_equal(row("access")->scope, "email");
    assert_string_equal(row("refresh")->scope, "openid profile email");
}

static void
r45_widening_refresh_is_invalid_scope_and_leaves_the_token_unused(void **state)
{
    fixture_t *f = *state;
    refresh_refused(f, "openid admin", "invalid_scope");
    assert_int_equal(w.commits, 0);
    assert_int_equal(w.rollbacks, 1);
    assert_int_equal(w.nrows, 0);
}

static void
r49_refresh_id_token_keeps_sub_aud_azp_auth_time_and_drops_nonce(void **state)
{
    fixture_t *f = *state;
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    assert_int_equal(refresh(f, NULL, &out, &err), GH_OK);
    assert_non_null(out.id_token);
    json_t *c = w.id_token;
    assert_string_equal(json_string_value(json_object_get(c, "sub")), USER_ID);
    assert_string_equal(json_string_value(json_object_get(c, "aud")), "client-1234");
    assert_string_equal(json_string_value(json_object_get(c, "azp")), "client-1234");
    assert_int_equal(json_integer_value(json_object_get(c, "auth_time")), f->now - 3600);
    assert_in_range(json_integer_value(json_object_get(c, "iat")), f->now, f->now + 2);
    assert_null(json_object_get(c, "nonce"));
}

static void
r43_used_token_presented_again_revokes_its_family(void **state)
{
    fixture_t *f = *state;
    w.rotate_status = GH_E_NOTFOUND;
    w.reuse = (gh_store_reuse_t){ .family_id = FAMILY, .used = true, .in_flight = false };
    refresh_refused(f, NULL, "invalid_grant");
    assert_int_equal(w.revokes, 1);
    assert_string_equal(w.revoked_family, FAMILY);
    assert_int_equal(w.commits, 1);
    assert_int_equal(w.nrows, 0);
}

static void
r44_race_loser_is_refused_without_revoking(void **state)
{
    fixture_t *f = *state;
    w.rotate_status = GH_E_NOTFOUND;
    w.reuse = (gh_store_reuse_t){ .family_id = FAMILY, .used = true, .in_flight = true };
    refresh_refused(f, NULL, "invalid_grant");
    assert_int_equal(w.revokes, 0);
    assert_int_equal(w.commits, 0);
    assert_int_equal(w.rollbacks, 1);
}

static void
r46_another_clients_or_unknown_token_is_invalid_grant_and_revokes_nothing(void **state)
{
    fixture_t *f = *state;
    w.rotate_status = GH_E_NOTFOUND;
    w.reuse_status = GH_E_NOTFOUND;
    refresh_refused(f, NULL, "invalid_grant");
    assert_int_equal(w.revokes, 0);
    assert_int_equal(w.rollbacks, 1);
}

static void
r47_expired_or_revoked_unused_token_is_invalid_grant_and_revokes_nothing(void **state)
{
    fixture_t *f = *state;
    w.rotate_status = GH_E_NOTFOUND;
    w.reuse = (gh_store_reuse_t){ .family_id = FAMILY, .used = false };
    refresh_refused(f, NULL, "invalid_grant");
    assert_int_equal(w.revokes, 0);
}

static void
r47_family_past_its_absolute_lifetime_is_invalid_grant(void **state)
{
    fixture_t *f = *state;
    w.stored.family_started_at = f->now - 31 * DAY;
    refresh_refused(f, NULL, "invalid_grant");
    assert_int_equal(w.nrows, 0);
    assert_int_equal(w.rollbacks, 1);
}

static void
disabled_user_cannot_refresh(void **state)
{
    fixture_t *f = *state;
    w.user_disabled = true;
    refresh_refused(f, NULL, "invalid_grant");
    assert_int_equal(w.nrows, 0);
    assert_int_equal(w.commits, 0);
}

static void
refresh_without_a_token_is_invalid_request(void **state)
{
    fixture_t *f = *state;
    gh_oauth_refresh_req_t in = { .client = &f->client };
    gh_err_t err = { 0 };
    gh_oauth_tokens_t out;
    refused(gh_oauth_refresh_rotate(&f->app, &in, &out, &err), &err, "invalid_request");
    assert_int_equal(w.begins, 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(r47_refresh_expiry_is_the_idle_lifetime_while_the_family_is_young),
        T(r47_refresh_expiry_never_passes_the_family_start_plus_absolute_lifetime),
        T(r47_refresh_expiry_takes_the_client_lifetimes_over_the_configuration),
        T(r47_refresh_expiry_is_past_once_the_absolute_lifetime_is_over),
        T(r45_omitted_scope_is_the_whole_grant),
        T(r45_narrower_scope_comes_back_in_the_grants_order),
        T(r45_scope_outside_the_grant_is_invalid_scope),
        T(r45_malformed_scope_is_invalid_scope),
        T(r53_client_credentials_scope_omitted_is_every_allowed_scope_but_user_ones),
        T(r53_client_credentials_scope_refuses_openid_offline_access_and_unallowed),
        T(r53_client_credentials_scope_of_an_openid_only_client_is_invalid_scope),
        T(r50_public_client_is_unauthorized_client),
        T(r50_confidential_client_without_the_grant_is_unauthorized_client),
        T(r51_client_credentials_gives_one_access_token_without_user_or_refresh_token),
        T(r52_client_credentials_jwt_sub_is_in_the_client_namespace),
        T(r42_refresh_rotates_in_one_transaction),
        T(r45_narrowed_refresh_narrows_the_access_token_only),
        T(r45_widening_refresh_is_invalid_scope_and_leaves_the_token_unused),
        T(r49_refresh_id_token_keeps_sub_aud_azp_auth_time_and_drops_nonce),
        T(r43_used_token_presented_again_revokes_its_family),
        T(r44_race_loser_is_refused_without_revoking),
        T(r46_another_clients_or_unknown_token_is_invalid_grant_and_revokes_nothing),
        T(r47_expired_or_revoked_unused_token_is_invalid_grant_and_revokes_nothing),
        T(r47_family_past_its_absolute_lifetime_is_invalid_grant),
        T(disabled_user_cannot_refresh),
        T(refresh_without_a_token_is_invalid_request),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
