"""Token lifecycle (issue 5): the refresh_token grant with rotation, replay detection
and the refresh race, refresh token lifetimes, and the client_credentials grant,
through the real web servers: REQUIREMENTS R42-R53 and DESIGN invariant 4, each test
named with its row id; real clients (authlib, openid-client) refresh and use client
credentials.

How Gatehouse tells a race from a replay (oauth/refresh.c): a request that finds its
refresh token used is a race loser, refused without revoking anything, when the
rotating transaction had not committed in the snapshot the request's own statement
began with, or when it came within the client's refresh_grace_seconds; anything else
is a replay and revokes the family. test_r44_in_flight_losers... makes the race
deterministic (a held row lock); test_r44_twenty_concurrent... races 20 requests
through the web server, more than it has workers, so the queued ones start after the
rotation and it takes a grace period to count them in flight.

The rows run behind Apache/mod_fcgid and lighttpd.
"""

import concurrent.futures
import hashlib
import json
import os
import re
import secrets
import subprocess
import threading
import time

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt

import harness
from flow import (CALLBACK, AuthRequest, Browser, basic_auth, callback, describe, jwt_parts,
                  node_client, redeem, token_request, userinfo, validate_id_token)
from harness import json_body, only

ROWS = ("apache-fcgid", "lighttpd")
SCOPE = "openid profile email offline_access"
CODE_FLOW = ("authorization_code", "refresh_token")
GRACE = 5          # refresh_grace_seconds of the client of the 20-request race
RACERS = 20
LOCKED_RACERS = 8  # fewer than the web servers' 16 workers: all reach the database
NODE_SCRIPT = "oidc_lifecycle.mjs"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# --------------------------------------------------------------------------- fixtures


class Fixtures:
    """Users and clients made once per database (the flavours share it)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.alice = self.user()
        self.rp = self.client("lifecycle rp")
        self.jwt = self.client("lifecycle jwt", extra=("--access-token-format", "jwt"))
        self.other = self.client("lifecycle other")
        self.public = self.client("lifecycle public", type="public", auth_method="none")
        self.graceful = self.client("lifecycle grace", refresh_grace_seconds=GRACE)
        self.idle = self.client("lifecycle idle", refresh_idle_ttl=2)
        self.absolute = self.client("lifecycle absolute", refresh_token_ttl=4)
        ctx.define_scopes("api.read", "api.write")
        self.service = ctx.add_client("lifecycle service", grant_types=("client_credentials",),
                                      scope="openid offline_access api.read api.write")
        self.service_jwt = ctx.add_client("lifecycle service jwt",
                                          grant_types=("client_credentials",),
                                          scope="api.read",
                                          extra=("--access-token-format", "jwt"))
        self.browsers = {}
        self.refresh_tokens = {}     # web server port -> every refresh token seen there

    def user(self):
        u = {"username": "lc" + secrets.token_hex(5), "password": secrets.token_urlsafe(12)}
        self.ctx.add_user(u["username"], u["password"], email=u["username"] + "@lc.example",
                          email_verified=True, name="Lifecycle Tester")
        return u

    def client(self, name, type="confidential", auth_method="client_secret_basic", extra=(),
               **columns):
        """A trusted code-flow client; columns: per-client settings the command line
        does not set (refresh lifetimes, grace), written with SQL as an operator would."""
        c = self.ctx.add_client(name, type=type, auth_method=auth_method,
                                redirect_uris=(CALLBACK,), grant_types=CODE_FLOW, scope=SCOPE,
                                trusted=True, extra=extra)
        for column, value in columns.items():
            self.ctx.pg.psql("UPDATE gatehouse.clients SET %s = %d WHERE client_id = '%s'"
                             % (column, value, c["client_id"]))
        return c

    def browser(self, web):
        """A browser in which alice signs in once per web server."""
        b = self.browsers.get(web.port)
        if b is None:
            b = self.browsers[web.port] = Browser(web)
        return b

    def seen(self, web, body):
        if isinstance(body, dict) and body.get("refresh_token"):
            self.refresh_tokens.setdefault(web.port, []).append(body["refresh_token"])


_fixtures = {}


def fx(ctx):
    key = (ctx.pg.port, ctx.tree.root)
    if key not in _fixtures:
        _fixtures[key] = Fixtures(ctx)
    return _fixtures[key]


def family(ctx, client, scope=SCOPE, user=None, browser=None, web=None):
    """A new token family: signs in (alice in the shared browser unless told) and
    redeems the code. Returns (token response, AuthRequest)."""
    f = fx(ctx)
    web = web or ctx.web
    br = browser or f.browser(web)
    req = AuthRequest(client, scope=scope)
    params = callback(br.sign_in(req, user or f.alice), req.redirect_uri)
    assert "code" in params, "no code: %r" % params
    resp = redeem(web, req, params["code"])
    tok = ok(ctx, resp, "code redemption", web)
    assert tok.get("refresh_token"), "no refresh token for a client with the grant: %r" % tok
    return tok, req


def refresh(ctx, client, refresh_token, scope=None, auth=None, session=None, web=None):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if scope is not None:
        data["scope"] = scope
    return token_request(web or ctx.web, client, data, auth=auth, session=session)


def ok(ctx, resp, what, web=None):
    """A 200 token response's body (and its refresh token noted for the log check)."""
    assert resp.status_code == 200, "%s: %s" % (what, describe(resp))
    body = json_body(resp)
    fx(ctx).seen(web or ctx.web, body)
    return body


def refused(resp, status, error, what):
    assert resp.status_code == status, "%s: wanted %d %s: %s" % (what, status, error,
                                                                   describe(resp))
    body = json_body(resp)
    assert body.get("error") == error, "%s: error %r, wanted %r" % (what, body.get("error"),
                                                                     error)
    return body


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def family_rows(ctx, refresh_token):
    """(all, revoked) token rows of the family of refresh_token."""
    out = ctx.pg.psql(
        "SELECT count(*), count(revoked_at) FROM gatehouse.tokens WHERE family_id ="
        " (SELECT family_id FROM gatehouse.tokens WHERE token_hash = '%s')"
        % token_hash(refresh_token))
    total, revoked = out.split("|")
    return int(total), int(revoked)


def assert_family_dead(ctx, client, tok, what):
    """Every token of tok's family refused: its refresh token, its access token."""
    refused(refresh(ctx, client, tok["refresh_token"]), 400, "invalid_grant",
            "%s: the family's refresh token" % what)
    resp = userinfo(ctx.web, tok["access_token"])
    assert resp.status_code == 401, "%s: the family's access token: %s" % (what, describe(resp))
    total, revoked = family_rows(ctx, tok["refresh_token"])
    assert total > 0 and revoked == total, "%s: %d of %d rows revoked" % (what, revoked, total)


def client_credentials(ctx, client, scope=None, auth=None):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    return token_request(ctx.web, client, data, auth=auth)


# -------------------------------------------------------------- rotation, replay (R42-R44)


@only(*ROWS)
def test_r42_refresh_returns_new_tokens_and_the_old_refresh_token_is_refused(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.rp)
    resp = refresh(ctx, f.rp, tok["refresh_token"])
    new = ok(ctx, resp, "refresh")
    assert new["refresh_token"] != tok["refresh_token"], "the refresh token was not rotated"
    assert new["access_token"] != tok["access_token"]
    assert new["token_type"] == "Bearer" and new["expires_in"] > 0, new
    assert new["scope"].split() == tok["scope"].split(), (new["scope"], tok["scope"])
    assert "no-store" in resp.headers.get("Cache-Control", ""), resp.headers
    assert userinfo(ctx.web, new["access_token"]).status_code == 200
    refused(refresh(ctx, f.rp, tok["refresh_token"]), 400, "invalid_grant",
            "the rotated refresh token again")


@only(*ROWS)
def test_r43_replayed_refresh_token_revokes_the_whole_family(ctx):
    f = fx(ctx)
    for client in (f.rp, f.jwt):
        tok1, _ = family(ctx, client)
        tok2 = ok(ctx, refresh(ctx, client, tok1["refresh_token"]), "RT1 -> RT2")
        tok3 = ok(ctx, refresh(ctx, client, tok2["refresh_token"]), "RT2 -> RT3")
        if client is f.jwt:
            assert tok3["access_token"].count(".") == 2, "not a JWT: %r" % tok3["access_token"]
        assert userinfo(ctx.web, tok3["access_token"]).status_code == 200
        refused(refresh(ctx, client, tok1["refresh_token"]), 400, "invalid_grant",
                "replay of RT1")
        assert_family_dead(ctx, client, tok3, "after the replay of RT1")
        resp = userinfo(ctx.web, tok1["access_token"])
        assert resp.status_code == 401, "the code's access token: " + describe(resp)


class RowLock:
    """A psql session holding a row lock on one token (SELECT ... FOR UPDATE in an
    open transaction) until release(): refreshes of it wait in the database."""

    def __init__(self, pg, token):
        self.p = subprocess.Popen(
            [harness.PG_BIN + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", "127.0.0.1", "-p", str(pg.port), "-U", "gatehouse", "-d", "gatehouse"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.p.stdin.write("BEGIN;\nSELECT 'locked' FROM gatehouse.tokens"
                           " WHERE token_hash = '%s' FOR UPDATE;\n" % token_hash(token))
        self.p.stdin.flush()
        line = self.p.stdout.readline().strip()
        assert line == "locked", "psql: %r %r" % (line, self.p.stderr.read())

    def release(self):
        if self.p.poll() is None:
            self.p.stdin.write("COMMIT;\n")
            self.p.stdin.close()
            self.p.wait(timeout=10)


def waiting_rotations(pg):
    return int(pg.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                       " AND query LIKE 'WITH used AS (UPDATE gatehouse.tokens%'"))


def race(ctx, client, refresh_token, n, before=None):
    """n refreshes of one token at once, each on its own connection; before() runs
    once they are sent. Returns the responses."""
    barrier = threading.Barrier(n)

    def go(_):
        barrier.wait()
        return refresh(ctx, client, refresh_token, session=requests)
    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(go, i) for i in range(n)]
        if before is not None:
            before()
        return [fu.result() for fu in futures]


def one_winner(ctx, answers, what):
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] + [400] * (len(answers) - 1), "%s: statuses %s; %s" % (
        what, statuses, [describe(r) for r in answers if r.status_code != 400][:3])
    for r in answers:
        if r.status_code == 400:
            refused(r, 400, "invalid_grant", what + ": a loser")
    return ok(ctx, [r for r in answers if r.status_code == 200][0], what + ": the winner")


@only(*ROWS)
def test_r44_in_flight_losers_of_a_race_revoke_nothing_and_a_later_replay_does(ctx):
    """Strict client (no grace): the requests all begin while a row lock holds the
    token, so every loser was in flight when the winner's rotation committed."""
    f = fx(ctx)
    tok, _ = family(ctx, f.rp)
    lock = RowLock(ctx.pg, tok["refresh_token"])

    def when_all_wait():
        deadline = time.monotonic() + 30
        try:
            while waiting_rotations(ctx.pg) < LOCKED_RACERS:
                assert time.monotonic() < deadline, "only %d refreshes reached the lock" % (
                    waiting_rotations(ctx.pg))
                time.sleep(0.05)
        finally:
            lock.release()
    answers = race(ctx, f.rp, tok["refresh_token"], LOCKED_RACERS, when_all_wait)
    winner = one_winner(ctx, answers, "%d refreshes in flight at once" % LOCKED_RACERS)
    total, revoked = family_rows(ctx, tok["refresh_token"])
    assert (total, revoked) == (4, 0), \
        "family rows (all, revoked) after the race: %r, wanted (4, 0)" % ((total, revoked),)
    after = ok(ctx, refresh(ctx, f.rp, winner["refresh_token"]), "the winner's refresh token")
    assert userinfo(ctx.web, after["access_token"]).status_code == 200
    refused(refresh(ctx, f.rp, tok["refresh_token"]), 400, "invalid_grant", "a later replay")
    assert_family_dead(ctx, f.rp, after, "after a replay that came after the race")


@only(*ROWS)
def test_r44_twenty_concurrent_refreshes_one_wins_and_its_tokens_keep_working(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.graceful)
    # Let the web server start its workers first (mod_fcgid spawns them on demand).
    with concurrent.futures.ThreadPoolExecutor(RACERS) as pool:
        list(pool.map(lambda _: requests.get(ctx.web.url("/jwks"), timeout=15), range(RACERS)))
    answers = race(ctx, f.graceful, tok["refresh_token"], RACERS)
    raced_at = time.monotonic()
    winner = one_winner(ctx, answers, "%d concurrent refreshes" % RACERS)
    total, revoked = family_rows(ctx, tok["refresh_token"])
    assert (total, revoked) == (4, 0), \
        "family rows (all, revoked) after the race: %r, wanted (4, 0)" % ((total, revoked),)
    assert userinfo(ctx.web, winner["access_token"]).status_code == 200
    after = ok(ctx, refresh(ctx, f.graceful, winner["refresh_token"]),
               "the winner's refresh token after the race")
    time.sleep(max(0, raced_at + GRACE + 1 - time.monotonic()))
    ctx.web.session.close()     # its kept-alive connections have timed out meanwhile
    refused(refresh(ctx, f.graceful, tok["refresh_token"]), 400, "invalid_grant",
            "a replay %d s after the race" % (GRACE + 1))
    assert_family_dead(ctx, f.graceful, after, "after a replay past the grace period")


# ------------------------------------------------------------------ scope, client (R45, R46)


@only(*ROWS)
def test_r45_widening_is_invalid_scope_narrowing_is_for_one_access_token(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.rp)
    rt = tok["refresh_token"]
    for wider in ("admin", "openid admin", SCOPE + " phone"):
        refused(refresh(ctx, f.rp, rt, scope=wider), 400, "invalid_scope", "scope=%s" % wider)
    refused(refresh(ctx, f.rp, rt, scope="openid  profile"), 400, "invalid_scope",
            "a malformed scope")
    narrow = ok(ctx, refresh(ctx, f.rp, rt, scope="profile"),
                "scope=profile (the token survived the refusals)")
    assert narrow["scope"] == "profile", narrow
    resp = userinfo(ctx.web, narrow["access_token"])
    assert resp.status_code == 403, "an access token without openid at userinfo: " + describe(resp)
    full = ok(ctx, refresh(ctx, f.rp, narrow["refresh_token"]), "then no scope")
    assert set(full["scope"].split()) == set(SCOPE.split()), full["scope"]
    info = json_body(userinfo(ctx.web, full["access_token"]))
    assert info.get("email") == f.alice["username"] + "@lc.example", info


@only(*ROWS)
def test_r46_another_clients_refresh_token_is_invalid_grant_and_stays_live(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.rp)
    for thief in (f.other, f.public):
        refused(refresh(ctx, thief, tok["refresh_token"]), 400, "invalid_grant",
                "%s uses rp's refresh token" % thief["client_name"])
    refused(refresh(ctx, f.rp, tok["refresh_token"], auth="none"), 401, "invalid_client",
            "rp without its secret")
    ok(ctx, refresh(ctx, f.rp, tok["refresh_token"]), "rp's own token, after the attempts")


@only(*ROWS)
def test_r46_public_client_refreshes_with_rotation(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.public)
    new = ok(ctx, refresh(ctx, f.public, tok["refresh_token"]), "public client refresh")
    assert new["refresh_token"] != tok["refresh_token"]
    refused(refresh(ctx, f.public, tok["refresh_token"]), 400, "invalid_grant",
            "the public client's rotated token again")


@only(*ROWS)
def test_disabled_user_revoked_grant_and_disabled_client_cannot_refresh(ctx):
    f = fx(ctx)
    bob = f.user()
    tok, _ = family(ctx, f.rp, user=bob, browser=Browser(ctx.web))
    ctx.cli("user", "disable", bob["username"], check=True)
    refused(refresh(ctx, f.rp, tok["refresh_token"]), 400, "invalid_grant", "disabled user")
    carol = f.user()
    tok, _ = family(ctx, f.rp, user=carol, browser=Browser(ctx.web))
    ctx.pg.psql("UPDATE gatehouse.grants SET revoked_at = now() WHERE client_id = '%s' AND"
                " user_id = (SELECT id FROM gatehouse.users WHERE username = '%s')"
                % (f.rp["client_id"], carol["username"]))
    refused(refresh(ctx, f.rp, tok["refresh_token"]), 400, "invalid_grant", "revoked grant")
    doomed = f.client("lifecycle disabled")
    tok, _ = family(ctx, doomed)
    ctx.cli("client", "disable", doomed["client_id"], check=True)
    refused(refresh(ctx, doomed, tok["refresh_token"]), 401, "invalid_client",
            "disabled client (its authentication fails first)")


# ---------------------------------------------------------------------- lifetimes (R47)


@only("lighttpd")
def test_r47_refresh_token_expires_after_the_configured_idle_lifetime(ctx):
    f = fx(ctx)
    web = harness.WebServer(ctx.flavour, os.path.join(ctx.workdir, "short-refresh"),
                            ctx.tree, None)
    web.config_path = harness.write_config(
        ctx.tmp("short-refresh.hdf"), web.issuer, ctx.pg, ctx.tree, ctx.key_file,
        **{"Tokens.RefreshTokenIdleLifetime": 2})
    web.start()
    try:
        tok, _ = family(ctx, f.rp, browser=Browser(web), web=web)
        tok = ok(ctx, refresh(ctx, f.rp, tok["refresh_token"], web=web),
                 "a refresh at once", web)
        time.sleep(3)
        refused(refresh(ctx, f.rp, tok["refresh_token"], web=web), 400, "invalid_grant",
                "a refresh token 3 s idle with Tokens.RefreshTokenIdleLifetime = 2")
        assert not web.crash_lines()
    finally:
        web.stop()


@only(*ROWS)
def test_r47_client_idle_lifetime_and_absolute_lifetime_of_the_family(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.idle)
    tok = ok(ctx, refresh(ctx, f.idle, tok["refresh_token"]), "idle client, at once")
    time.sleep(3)
    refused(refresh(ctx, f.idle, tok["refresh_token"]), 400, "invalid_grant",
            "3 s idle with refresh_idle_ttl = 2")
    # refresh_token_ttl = 4: used every 1.2 s, the family still ends 4 s after its code.
    start = time.monotonic()
    tok, _ = family(ctx, f.absolute)
    for i in range(2):
        time.sleep(1.2)
        tok = ok(ctx, refresh(ctx, f.absolute, tok["refresh_token"]), "refresh %d" % (i + 1))
    time.sleep(max(0, start + 4.6 - time.monotonic()))
    refused(refresh(ctx, f.absolute, tok["refresh_token"]), 400, "invalid_grant",
            "a family older than refresh_token_ttl = 4, though used 1.2 s ago")


# ------------------------------------------------------------------------- id_token (R49)


@only(*ROWS)
def test_r49_refresh_id_token_keeps_iss_sub_aud_azp_auth_time_with_a_new_iat(ctx):
    f = fx(ctx)
    tok, req = family(ctx, f.rp)
    first = validate_id_token(ctx.web, tok["id_token"], f.rp["client_id"], req.nonce,
                              tok["access_token"])
    time.sleep(1.1)
    new = ok(ctx, refresh(ctx, f.rp, tok["refresh_token"]), "refresh")
    assert new.get("id_token"), "no id_token from a refresh of an openid grant: %r" % new
    again = validate_id_token(ctx.web, new["id_token"], f.rp["client_id"], None,
                              new["access_token"])
    for claim in ("iss", "sub", "aud", "azp", "auth_time"):
        assert again.get(claim) == first.get(claim), "%s: %r then %r" % (
            claim, first.get(claim), again.get(claim))
    assert again["iat"] > first["iat"], (first["iat"], again["iat"])
    assert "nonce" not in again, "a refreshed id_token repeats the nonce: %r" % dict(again)
    narrowed = ok(ctx, refresh(ctx, f.rp, new["refresh_token"], scope="email"), "scope=email")
    assert narrowed["scope"] == "email", narrowed


# -------------------------------------------------------------- client credentials (R50-R53)


@only(*ROWS)
def test_r50_r51_r53_client_credentials_for_a_confidential_client(ctx):
    f = fx(ctx)
    resp = client_credentials(ctx, f.service)
    body = ok(ctx, resp, "client_credentials without scope")
    assert "refresh_token" not in body and "id_token" not in body, body     # R51
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0, body
    assert body["scope"] == "api.read api.write", "openid and offline_access need a user: %r" \
        % body["scope"]
    assert "no-store" in resp.headers.get("Cache-Control", ""), resp.headers
    row = ctx.pg.psql("SELECT kind, user_id IS NULL, grant_id IS NULL FROM gatehouse.tokens"
                      " WHERE token_hash = '%s'" % token_hash(body["access_token"]))
    assert row == "access|t|t", "the token's row: %r" % row
    resp = userinfo(ctx.web, body["access_token"])
    assert resp.status_code == 403, "a client's own token at userinfo: " + describe(resp)
    narrow = ok(ctx, client_credentials(ctx, f.service, "api.read"), "scope=api.read")
    assert narrow["scope"] == "api.read", narrow
    for bad in ("openid", "offline_access", "api.admin", "api.read phone"):      # R53
        refused(client_credentials(ctx, f.service, bad), 400, "invalid_scope", "scope=" + bad)
    refused(client_credentials(ctx, f.service, auth="none"), 401, "invalid_client",
            "no secret")
    refused(client_credentials(ctx, f.public), 400, "unauthorized_client", "a public client")
    refused(client_credentials(ctx, f.rp), 400, "unauthorized_client",
            "a confidential client not registered for client_credentials")
    refused(refresh(ctx, f.service, "gatehouse_rt_" + secrets.token_urlsafe(32)), 400,
            "unauthorized_client", "refresh_token by a client_credentials-only client")


@only(*ROWS)
def test_r52_client_credentials_jwt_sub_is_a_client_namespace_never_a_user(ctx):
    f = fx(ctx)
    body = ok(ctx, client_credentials(ctx, f.service_jwt), "client_credentials, JWT")
    header, _ = jwt_parts(body["access_token"])
    assert header.get("typ") == "at+jwt", header
    keys = JsonWebKey.import_key_set(ctx.web.get("/jwks").json())
    claims = jwt.decode(body["access_token"], keys)
    claims.validate(leeway=5)
    assert claims["sub"] == "client:" + f.service_jwt["client_id"], claims
    assert not UUID.match(claims["sub"]), claims["sub"]
    assert claims["client_id"] == f.service_jwt["client_id"] and claims["iss"] == ctx.web.issuer
    assert "auth_time" not in claims and "amr" not in claims, dict(claims)
    user_sub = validate_id_token(ctx.web, family(ctx, f.rp)[0]["id_token"],
                                 f.rp["client_id"])["sub"]
    assert UUID.match(user_sub), "users' subjects are UUIDs: %r" % user_sub


# ------------------------------------------------------------------------ real clients


@only(*ROWS)
def test_authlib_refreshes_and_uses_client_credentials(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.rp)
    sess = OAuth2Session(f.rp["client_id"], f.rp["client_secret"],
                         token_endpoint_auth_method="client_secret_basic")
    new = sess.refresh_token(ctx.web.url("/token"), refresh_token=tok["refresh_token"])
    fx(ctx).seen(ctx.web, new)
    assert new["refresh_token"] != tok["refresh_token"] and new.get("id_token"), new
    validate_id_token(ctx.web, new["id_token"], f.rp["client_id"], None, new["access_token"])
    sess.close()
    sess = OAuth2Session(f.service["client_id"], f.service["client_secret"],
                         token_endpoint_auth_method="client_secret_basic", scope="api.read")
    cc = sess.fetch_token(ctx.web.url("/token"), grant_type="client_credentials")
    assert cc["scope"] == "api.read" and "refresh_token" not in cc, cc
    sess.close()


@only(*ROWS)
def test_openid_client_refreshes_and_uses_client_credentials(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.rp)
    first = validate_id_token(ctx.web, tok["id_token"], f.rp["client_id"])
    new = node_client(ctx.web, NODE_SCRIPT, f.rp, grant="refresh_token",
                      refresh_token=tok["refresh_token"])
    fx(ctx).seen(ctx.web, new)
    assert new["refresh_token"] and new["refresh_token"] != tok["refresh_token"], new
    assert new["claims"]["sub"] == first["sub"], (new["claims"], dict(first))
    assert new["claims"]["auth_time"] == first["auth_time"], new["claims"]
    cc = node_client(ctx.web, NODE_SCRIPT, f.service, grant="client_credentials",
                     scope="api.write")
    assert cc["scope"] == "api.write" and cc["refresh_token"] is None, cc


# ------------------------------------------------------------------------------ others


@only(*ROWS)
def test_r33_refresh_with_a_json_body(ctx):
    f = fx(ctx)
    tok, _ = family(ctx, f.rp)
    headers = {"Content-Type": "application/json",
               "Authorization": basic_auth(f.rp["client_id"], f.rp["client_secret"])}
    rt = json.dumps(tok["refresh_token"])
    body = '{"grant_type":"refresh_token","refresh_token":%s,"refresh_token":%s}' % (rt, rt)
    refused(ctx.web.request("POST", "/token", data=body, headers=headers), 400,
            "invalid_request", "a JSON body with a duplicate member")
    body = json.dumps({"grant_type": "refresh_token", "refresh_token": tok["refresh_token"]})
    ok(ctx, ctx.web.request("POST", "/token", data=body, headers=headers),
       "refresh with a JSON body")


@only(*ROWS)
def test_r78_discovery_lists_refresh_token_and_client_credentials(ctx):
    doc = json_body(ctx.web.get("/.well-known/openid-configuration"))
    for g in ("authorization_code", "refresh_token", "client_credentials"):
        assert g in doc.get("grant_types_supported", []), doc.get("grant_types_supported")


@only(*ROWS)
def test_lifecycle_left_no_crash_lines_and_no_refresh_token_in_the_log(ctx):
    time.sleep(0.3)
    log = ctx.web.read_log()
    assert not harness.crash_lines(log), "crash lines:\n" + "\n".join(
        harness.crash_lines(log)[:10])
    tokens = fx(ctx).refresh_tokens.get(ctx.web.port, [])
    assert tokens, "no refresh token was seen on this server"
    logged = [t for t in tokens if t in log or t[len("gatehouse_rt_"):] in log]
    assert not logged, "%d refresh tokens in the server log" % len(logged)
