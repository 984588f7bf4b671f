"""Introspection (RFC 7662), revocation (RFC 7009) and CORS (issue 5 items 3, 4, 8)
through the real web servers: REQUIREMENTS R14, R52, R60, R63, R82-R89, each test named
with its row id; real clients (authlib, openid-client) introspect and revoke.

The policies under test are docs/tokens.md's: introspection needs a confidential
client, which learns about its own tokens, and a resource server
(--resource-server) also about other clients' access tokens, never their refresh
tokens; everything else is exactly {"active": false}. Revocation refuses another
client's token with invalid_grant and leaves it alone; a refresh token takes its
family with it. CORS: /token, /userinfo and /revoke for the origins of registered
redirect URIs and Http.CorsOrigins; "*" on discovery and JWKS; nothing anywhere else.

The rows run behind Apache/mod_fcgid and lighttpd.
"""

import base64
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import time

from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt

import harness
from flow import (CALLBACK, AuthRequest, Browser, b64url, callback, describe, jwt_parts, redeem,
                  token_request, userinfo)
from harness import json_body, only

ROWS = ("apache-fcgid", "lighttpd")
SCOPE = "openid profile email offline_access"
CODE_FLOW = ("authorization_code", "refresh_token")
SPA = "https://spa.example"                     # the browser app's registered origin
NODE_SCRIPT = os.path.join(harness.HERE, "oidc_tokens_admin.mjs")
CORS = ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
        "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
        "Access-Control-Expose-Headers")
INACTIVE = {"active": False}


# --------------------------------------------------------------------------- fixtures


class Fixtures:
    """Users and clients made once per database (the flavours share it)."""

    def __init__(self, ctx):
        self.ctx = ctx
        ctx.pg.psql("INSERT INTO gatehouse.scopes (name, descriptions) VALUES"
                    " ('api', '{\"en\": \"Use the API\"}') ON CONFLICT DO NOTHING")
        self.alice = {"username": "ta" + secrets.token_hex(5),
                      "password": secrets.token_urlsafe(12)}
        ctx.add_user(self.alice["username"], self.alice["password"], email="ta@ta.example")
        self.rp = self.client("admin rp")
        self.post = self.client("admin post", auth_method="client_secret_post")
        self.jwt = self.client("admin jwt", extra=("--access-token-format", "jwt"))
        self.other = self.client("admin other")
        self.spa = self.client("admin spa", type="public", auth_method="none",
                               redirect_uris=(CALLBACK, SPA + "/cb"))
        ctx.define_scopes("api")
        self.rs = ctx.add_client("admin resource server", grant_types=("client_credentials",),
                                 scope="api", extra=("--resource-server",))
        self.service = ctx.add_client("admin service", grant_types=("client_credentials",),
                                      scope="api")
        self.browsers = {}

    def client(self, name, type="confidential", auth_method="client_secret_basic",
               redirect_uris=(CALLBACK,), extra=()):
        """A trusted code-flow client (no consent page)."""
        return self.ctx.add_client(name, type=type, auth_method=auth_method,
                                   redirect_uris=redirect_uris, grant_types=CODE_FLOW,
                                   scope=SCOPE, trusted=True, extra=extra)

    def browser(self, web):
        b = self.browsers.get(web.port)
        if b is None:
            b = self.browsers[web.port] = Browser(web)
        return b


def fx(ctx):
    return ctx.shared(Fixtures)


def tokens(ctx, client, web=None):
    """A new token family of alice's for client: the token response."""
    f = fx(ctx)
    web = web or ctx.web
    req = AuthRequest(client, scope=SCOPE)
    params = callback(f.browser(web).sign_in(req, f.alice), req.redirect_uri)
    assert "code" in params, "no code: %r" % params
    resp = redeem(web, req, params["code"])
    assert resp.status_code == 200, "code redemption: " + describe(resp)
    return json_body(resp)


def service_token(ctx, client):
    resp = token_request(ctx.web, client, {"grant_type": "client_credentials"})
    assert resp.status_code == 200, "client_credentials: " + describe(resp)
    return json_body(resp)["access_token"]


def introspect(ctx, client, token, hint=None, auth=None, headers=None):
    data = {"token": token} if token is not None else {}
    if hint is not None:
        data["token_type_hint"] = hint
    return token_request(ctx.web, client, data, auth=auth, headers=headers, path="/introspect")


def answer(ctx, client, token, hint=None, what=""):
    """The 200 introspection answer (a dict), checked for no-store (R85)."""
    resp = introspect(ctx, client, token, hint)
    assert resp.status_code == 200, "%s: %s" % (what, describe(resp))
    assert "no-store" in resp.headers.get("Cache-Control", ""), "%s: %r (R85)" % (
        what, resp.headers.get("Cache-Control"))
    return json_body(resp)


def assert_inactive(ctx, client, token, what, hint=None):
    got = answer(ctx, client, token, hint, what)
    assert got == INACTIVE, "%s: wanted exactly %r, got %r (R83)" % (what, INACTIVE, got)


def assert_active(ctx, client, token, what, hint=None):
    got = answer(ctx, client, token, hint, what)
    assert got.get("active") is True, "%s: wanted active, got %r" % (what, got)
    return got


def revoke(ctx, client, token, hint=None, auth=None, headers=None):
    data = {"token": token} if token is not None else {}
    if hint is not None:
        data["token_type_hint"] = hint
    return token_request(ctx.web, client, data, auth=auth, headers=headers, path="/revoke")


def assert_revoked_ok(resp, what):
    assert resp.status_code == 200, "%s: wanted 200: %s" % (what, describe(resp))
    assert resp.content == b"", "%s: a body: %r" % (what, resp.text[:200])
    assert "no-store" in resp.headers.get("Cache-Control", ""), what


def assert_error(resp, status, error, what):
    assert resp.status_code == status, "%s: wanted %d %s: %s" % (what, status, error,
                                                                   describe(resp))
    body = json_body(resp)
    assert body.get("error") == error, "%s: error %r, wanted %r" % (what, body.get("error"),
                                                                     error)
    assert "no-store" in resp.headers.get("Cache-Control", ""), "%s: no no-store" % what


def refresh(ctx, client, refresh_token):
    return token_request(ctx.web, client, {"grant_type": "refresh_token",
                                           "refresh_token": refresh_token})


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def cors_headers(resp):
    return {h: resp.headers[h] for h in CORS if h in resp.headers}


def preflight(ctx, path, origin, method="POST"):
    return ctx.web.request("OPTIONS", path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type"})


def assert_granted(resp, origin, what):
    """CORS granted to origin itself (never "*", never credentials), Vary: Origin."""
    got = cors_headers(resp)
    assert got.get("Access-Control-Allow-Origin") == origin, "%s: %r: %s" % (
        what, got, describe(resp))
    assert "Access-Control-Allow-Credentials" not in got, "%s: credentials mode" % what
    assert "origin" in resp.headers.get("Vary", "").lower(), "%s: Vary %r" % (
        what, resp.headers.get("Vary"))


def assert_no_cors(resp, what):
    got = cors_headers(resp)
    assert not got, "%s: CORS headers %r: %s" % (what, got, describe(resp))


# ------------------------------------------------------------- introspection (R82-R85)


@only(*ROWS)
def test_r82_introspection_needs_a_confidential_client(ctx):
    f = fx(ctx)
    at = tokens(ctx, f.rp)["access_token"]
    assert_error(introspect(ctx, f.rp, at, auth="skip"), 401, "invalid_client", "no auth")
    resp = introspect(ctx, dict(f.rp, client_secret="wrong"), at)
    assert_error(resp, 401, "invalid_client", "a wrong secret")
    assert resp.headers.get("WWW-Authenticate", "").startswith("Basic"), describe(resp)
    assert_error(introspect(ctx, f.spa, at), 401, "invalid_client", "a public client")
    resp = ctx.web.get("/introspect", params={"token": at})
    assert resp.status_code == 405 and "POST" in resp.headers.get("Allow", ""), describe(resp)
    assert_error(introspect(ctx, f.rp, None), 400, "invalid_request", "no token")
    assert_error(introspect(ctx, f.rp, ""), 400, "invalid_request", "an empty token")
    assert_active(ctx, f.rp, at, "its own access token, client_secret_basic")
    assert_active(ctx, f.rs, at, "a resource server with client credentials")


@only(*ROWS)
def test_r83_dead_and_foreign_tokens_are_exactly_inactive(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.rp)
    assert_inactive(ctx, f.rp, "garbage", "a random string")
    assert_inactive(ctx, f.rp, "gatehouse_at_" + secrets.token_urlsafe(32), "an unknown AT")
    assert_inactive(ctx, f.rp, "gatehouse_rt_" + secrets.token_urlsafe(32), "an unknown RT")
    assert_inactive(ctx, f.rp, "x" * 5000, "a long string")
    # Expired: the row's expiry passed.
    expired = tokens(ctx, f.rp)["access_token"]
    ctx.pg.psql("UPDATE gatehouse.tokens SET expires_at = now() - interval '1 second'"
                " WHERE token_hash = '%s'" % token_hash(expired))
    assert_inactive(ctx, f.rp, expired, "an expired AT")
    # Revoked, and rotated.
    assert_revoked_ok(revoke(ctx, f.rp, tok["access_token"]), "revoking the AT")
    assert_inactive(ctx, f.rp, tok["access_token"], "a revoked AT")
    assert refresh(ctx, f.rp, tok["refresh_token"]).status_code == 200
    assert_inactive(ctx, f.rp, tok["refresh_token"], "a used (rotated) RT")


@only(*ROWS)
def test_r83_forged_jwts_are_exactly_inactive(ctx):
    f = fx(ctx)
    real = tokens(ctx, f.jwt)["access_token"]
    header, claims = jwt_parts(real)
    assert header.get("typ") == "at+jwt", header
    h, p, s = real.split(".")
    tampered = dict(claims, scope="openid admin")
    forged = {
        "a tampered payload": "%s.%s.%s" % (h, b64url(json.dumps(tampered).encode()), s),
        "alg none": "%s.%s." % (b64url(json.dumps({"alg": "none", "typ": "at+jwt"}).encode()),
                                p),
        "no signature": "%s.%s." % (h, p),
    }
    key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    for what, kid, iss in (("another issuer's", "other-kid", "https://other.example"),
                           ("an unknown key's, claiming our kid", header.get("kid"),
                            ctx.web.issuer)):
        forged[what] = jwt.encode({"alg": "RS256", "typ": "at+jwt", "kid": kid},
                                  dict(claims, iss=iss), key).decode()
    for what, token in forged.items():
        assert_inactive(ctx, f.jwt, token, "JWT: " + what)
        assert userinfo(ctx.web, token).status_code == 401, what
    assert_active(ctx, f.jwt, real, "the real JWT, after all that")


@only("lighttpd")
def test_r83_expired_jwt_access_token_is_inactive(ctx):
    f = fx(ctx)
    client = ctx.add_client("admin short jwt", redirect_uris=(CALLBACK,),
                            grant_types=CODE_FLOW, scope=SCOPE, trusted=True,
                            extra=("--access-token-format", "jwt"))
    ctx.pg.psql("UPDATE gatehouse.clients SET access_token_ttl = 1 WHERE client_id = '%s'"
                % client["client_id"])
    at = tokens(ctx, client)["access_token"]
    time.sleep(2.2)
    assert_inactive(ctx, client, at, "a JWT AT past its exp")
    assert_inactive(ctx, f.rs, at, "a JWT AT past its exp, to a resource server")


@only(*ROWS)
def test_r84_active_access_tokens_opaque_and_jwt_carry_every_member(ctx):
    f = fx(ctx)
    for client in (f.rp, f.jwt):
        tok = tokens(ctx, client)
        sub = jwt_parts(tok["id_token"])[1]["sub"]
        started = int(time.time())
        got = assert_active(ctx, client, tok["access_token"], client["client_name"])
        want = {"scope": tok["scope"], "client_id": client["client_id"], "sub": sub,
                "username": f.alice["username"], "token_type": "Bearer",
                "iss": ctx.web.issuer, "aud": ctx.web.issuer}
        for k, v in want.items():
            assert got.get(k) == v, "%s: %s is %r, wanted %r: %r" % (
                client["client_name"], k, got.get(k), v, got)
        assert abs(got["exp"] - (started + tok["expires_in"])) <= 3, (got, tok)
        assert abs(got["iat"] - started) <= 3, got
        if client is f.jwt:
            claims = jwt_parts(tok["access_token"])[1]
            assert (got["exp"], got["jti"]) == (claims["exp"], claims["jti"]), (got, claims)


@only(*ROWS)
def test_r84_refresh_token_is_active_for_its_own_client(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.rp)
    got = assert_active(ctx, f.rp, tok["refresh_token"], "its own RT")
    assert got["token_type"] == "refresh_token", got
    assert got["client_id"] == f.rp["client_id"], got
    assert got["username"] == f.alice["username"], got
    assert got["exp"] > time.time() + 3600, got


@only(*ROWS)
def test_r84_a_wrong_or_unknown_hint_still_finds_the_token(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.rp)
    for hint in ("refresh_token", "access_token", "foo", ""):
        assert_active(ctx, f.rp, tok["access_token"], "AT, hint %r" % hint, hint=hint)
        assert_active(ctx, f.rp, tok["refresh_token"], "RT, hint %r" % hint, hint=hint)


@only(*ROWS)
def test_r84_policy_other_clients_and_resource_servers(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.rp)
    jwt_at = tokens(ctx, f.jwt)["access_token"]
    for token, what in ((tok["access_token"], "rp's AT"), (tok["refresh_token"], "rp's RT"),
                        (jwt_at, "jwt's AT")):
        assert_inactive(ctx, f.other, token, "another client asks about " + what)
    got = assert_active(ctx, f.rs, tok["access_token"], "the resource server, rp's AT")
    assert got["client_id"] == f.rp["client_id"], got
    assert_active(ctx, f.rs, jwt_at, "the resource server, jwt's AT")
    assert_inactive(ctx, f.rs, tok["refresh_token"], "the resource server, rp's RT")
    assert_active(ctx, f.rs, service_token(ctx, f.rs), "the resource server's own token")


@only(*ROWS)
def test_r52_client_credentials_token_has_no_sub_nor_username(ctx):
    f = fx(ctx)
    at = service_token(ctx, f.service)
    for caller in (f.service, f.rs):
        got = assert_active(ctx, caller, at, "client_credentials AT")
        assert "sub" not in got and "username" not in got, got
        assert got["client_id"] == f.service["client_id"] and got["scope"] == "api", got
    assert_inactive(ctx, f.rp, at, "someone else's client_credentials AT")


@only(*ROWS)
def test_r85_every_introspection_answer_is_no_store(ctx):
    f = fx(ctx)
    at = tokens(ctx, f.rp)["access_token"]
    for resp in (introspect(ctx, f.rp, at), introspect(ctx, f.rp, "garbage"),
                 introspect(ctx, f.rp, None), introspect(ctx, f.rp, at, auth="skip")):
        assert "no-store" in resp.headers.get("Cache-Control", ""), describe(resp)


# ----------------------------------------------------------------- revocation (R86-R89)


@only(*ROWS)
def test_r87_unknown_or_invalid_token_is_200_and_unknown_hint_is_ignored(ctx):
    f = fx(ctx)
    assert_revoked_ok(revoke(ctx, f.rp, "garbage", hint="foo"), "garbage, hint foo")
    assert_revoked_ok(revoke(ctx, f.rp, "gatehouse_rt_" + secrets.token_urlsafe(32),
                             hint="refresh_token"), "an unknown RT")
    assert_revoked_ok(revoke(ctx, f.spa, "garbage"), "a public client sending its client_id")
    assert_error(revoke(ctx, f.rp, None), 400, "invalid_request", "no token")
    assert_error(revoke(ctx, f.rp, "garbage", auth="skip"), 401, "invalid_client", "no auth")
    assert_error(revoke(ctx, dict(f.rp, client_secret="wrong"), "garbage"), 401,
                 "invalid_client", "a wrong secret")
    assert_error(revoke(ctx, f.rp, "garbage", auth="none"), 401, "invalid_client",
                 "a confidential client without its secret")
    resp = ctx.web.get("/revoke", params={"token": "garbage"})
    assert resp.status_code == 405, describe(resp)


@only(*ROWS)
def test_r86_another_clients_token_is_refused_and_stays_active(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.rp)
    for token, what in ((tok["access_token"], "AT"), (tok["refresh_token"], "RT")):
        for hint in (None, "access_token", "refresh_token"):
            assert_error(revoke(ctx, f.other, token, hint=hint), 400, "invalid_grant",
                         "another client revokes rp's %s (hint %s)" % (what, hint))
        assert_error(revoke(ctx, f.rs, token), 400, "invalid_grant",
                     "a resource server revokes rp's " + what)
    assert_active(ctx, f.rp, tok["access_token"], "rp's AT after the attempts")
    assert userinfo(ctx.web, tok["access_token"]).status_code == 200
    assert refresh(ctx, f.rp, tok["refresh_token"]).status_code == 200, \
        "rp's RT after the attempts"


@only(*ROWS)
def test_r88_revoking_a_refresh_token_revokes_its_familys_access_tokens(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.rp)
    new = json_body(refresh(ctx, f.rp, tok["refresh_token"]))
    assert "refresh_token" in new, new
    unrelated = tokens(ctx, f.rp)                       # another family of the same grant
    assert_revoked_ok(revoke(ctx, f.rp, new["refresh_token"], hint="access_token"),
                      "revoking the RT with a wrong hint")
    for token, what in ((tok["access_token"], "the first AT"),
                        (new["access_token"], "the refreshed AT"),
                        (new["refresh_token"], "the RT")):
        assert_inactive(ctx, f.rp, token, what + " after revoking the RT")
    assert userinfo(ctx.web, new["access_token"]).status_code == 401
    assert_error(refresh(ctx, f.rp, new["refresh_token"]), 400, "invalid_grant",
                 "refreshing with the revoked RT")
    assert_active(ctx, f.rp, unrelated["access_token"], "another family's AT")
    assert refresh(ctx, f.rp, unrelated["refresh_token"]).status_code == 200


@only(*ROWS)
def test_revoking_an_access_token_revokes_it_alone(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.post)                           # client_secret_post this time
    assert_revoked_ok(revoke(ctx, f.post, tok["access_token"], hint="refresh_token"),
                      "revoking the AT with a wrong hint")
    assert_inactive(ctx, f.post, tok["access_token"], "the revoked AT")
    assert userinfo(ctx.web, tok["access_token"]).status_code == 401
    assert_revoked_ok(revoke(ctx, f.post, tok["access_token"]), "revoking it again")
    assert refresh(ctx, f.post, tok["refresh_token"]).status_code == 200, \
        "the RT outlives its AT"


@only(*ROWS)
def test_r63_revoked_jwt_access_token_is_inactive_and_refused_by_userinfo(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.jwt)
    at_header = jwt_parts(tok["access_token"])[0]
    id_header = jwt_parts(tok["id_token"])[0]
    assert at_header["typ"] == "at+jwt" and id_header.get("typ") != "at+jwt", (at_header,
                                                                                 id_header)
    assert userinfo(ctx.web, tok["access_token"]).status_code == 200
    assert_revoked_ok(revoke(ctx, f.jwt, tok["access_token"]), "revoking the JWT AT")
    assert_inactive(ctx, f.jwt, tok["access_token"], "the revoked JWT AT")
    assert_inactive(ctx, f.rs, tok["access_token"], "the revoked JWT AT, to a resource server")
    resp = userinfo(ctx.web, tok["access_token"])
    assert resp.status_code == 401 and "invalid_token" in resp.headers.get(
        "WWW-Authenticate", ""), describe(resp)
    row = ctx.pg.psql("SELECT jti IS NOT NULL, revoked_at IS NOT NULL FROM gatehouse.tokens"
                      " WHERE token_hash = '%s'" % token_hash(tok["access_token"]))
    assert row == "t|t", "the JWT's row (jti, revoked): %r" % row


@only(*ROWS)
def test_r89_public_client_revokes_both_kinds_never_unsupported_token_type(ctx):
    f = fx(ctx)
    hints = (None, "access_token", "refresh_token", "id_token", "foo")
    tok = tokens(ctx, f.spa)
    for hint in hints:
        assert_revoked_ok(revoke(ctx, f.spa, tok["access_token"], hint=hint),
                          "the public client's AT, hint %s" % hint)
    assert userinfo(ctx.web, tok["access_token"]).status_code == 401
    new = json_body(refresh(ctx, f.spa, tok["refresh_token"]))
    assert "refresh_token" in new, "the RT outlives its AT: %r" % new
    for hint in hints:
        assert_revoked_ok(revoke(ctx, f.spa, new["refresh_token"], hint=hint),
                          "the public client's RT, hint %s" % hint)
    assert userinfo(ctx.web, new["access_token"]).status_code == 401
    assert_error(refresh(ctx, f.spa, new["refresh_token"]), 400, "invalid_grant",
                 "the public client's revoked RT")


# ----------------------------------------------------------------------- real clients


def node_client(ctx, client, **opts):
    node = shutil.which("node")
    prefix = os.environ.get("GATEHOUSE_NODE_PREFIX", os.path.join(harness.REPO, "var", "node"))
    if node is None or not os.path.isdir(os.path.join(prefix, "node_modules", "openid-client")):
        raise AssertionError("node or openid-client missing (%s): run dev/deps --test" % prefix)
    opts.update(issuer=ctx.web.issuer, client_id=client["client_id"],
                client_secret=client.get("client_secret"),
                auth_method=client["token_endpoint_auth_method"])
    p = subprocess.run([node, NODE_SCRIPT, json.dumps(opts)], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, GATEHOUSE_NODE_PREFIX=prefix))
    lines = p.stdout.strip().splitlines()
    assert lines, "oidc_tokens_admin.mjs printed nothing; stderr %r" % p.stderr[-2000:]
    result = json.loads(lines[-1])
    assert result.get("ok"), "openid-client failed at %s: %s (%s)" % (
        result.get("step"), result.get("error"), result.get("code"))
    return result["answer"]


@only(*ROWS)
def test_openid_client_introspects_and_revokes(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.post)
    got = node_client(ctx, f.post, action="introspect", token=tok["access_token"])
    assert got["active"] is True and got["client_id"] == f.post["client_id"], got
    got = node_client(ctx, f.rs, action="introspect", token=tok["refresh_token"],
                      hint="refresh_token")
    assert got == INACTIVE, got
    node_client(ctx, f.post, action="revoke", token=tok["refresh_token"],
                hint="refresh_token")
    assert_inactive(ctx, f.post, tok["access_token"], "the AT after openid-client revoked the RT")
    spa = tokens(ctx, f.spa)
    node_client(ctx, f.spa, action="revoke", token=spa["access_token"])
    assert_inactive(ctx, f.rp, spa["access_token"], "the public client's revoked AT")


@only(*ROWS)
def test_authlib_introspects_and_revokes(ctx):
    f = fx(ctx)
    tok = tokens(ctx, f.post)
    rs = OAuth2Session(f.rs["client_id"], f.rs["client_secret"],
                       revocation_endpoint_auth_method="client_secret_basic")
    resp = rs.introspect_token(ctx.web.url("/introspect"), token=tok["access_token"],
                               token_type_hint="access_token")
    assert resp.status_code == 200 and resp.json()["active"] is True, describe(resp)
    post = OAuth2Session(f.post["client_id"], f.post["client_secret"],
                         revocation_endpoint_auth_method="client_secret_post")
    resp = post.revoke_token(ctx.web.url("/revoke"), token=tok["refresh_token"],
                           token_type_hint="refresh_token")
    assert resp.status_code == 200, describe(resp)
    resp = rs.introspect_token(ctx.web.url("/introspect"), token=tok["access_token"])
    assert resp.json() == INACTIVE, resp.text


# ----------------------------------------------------------------------- discovery


@only(*ROWS)
def test_discovery_lists_introspection_and_revocation(ctx):
    for path in ("/.well-known/openid-configuration",
                 "/.well-known/oauth-authorization-server"):
        doc = json_body(ctx.web.get(path))
        assert doc["introspection_endpoint"] == ctx.web.url("/introspect"), doc
        assert doc["revocation_endpoint"] == ctx.web.url("/revoke"), doc
        assert sorted(doc["introspection_endpoint_auth_methods_supported"]) == \
            ["client_secret_basic", "client_secret_post"], doc
        assert sorted(doc["revocation_endpoint_auth_methods_supported"]) == \
            ["client_secret_basic", "client_secret_post", "none"], doc


# ----------------------------------------------------------------------- CORS (R14, R60)


@only(*ROWS)
def test_r60_registered_origin_gets_cors_on_token_userinfo_and_revoke(ctx):
    f = fx(ctx)
    for path, method in (("/token", "POST"), ("/userinfo", "GET"), ("/revoke", "POST")):
        resp = preflight(ctx, path, SPA, method)
        assert resp.status_code in (200, 204), describe(resp)
        assert_granted(resp, SPA, "preflight " + path)
        allowed = [m.strip() for m in resp.headers.get("Access-Control-Allow-Methods",
                                                       "").split(",")]
        assert method in allowed, "%s: Allow-Methods %r" % (path, allowed)
        heads = resp.headers.get("Access-Control-Allow-Headers", "").lower()
        assert "authorization" in heads and "content-type" in heads, heads
    # The requests themselves, as the app's fetch() sends them; errors are readable too.
    origin = {"Origin": SPA}
    tok = tokens(ctx, f.spa)
    resp = ctx.web.request("GET", "/userinfo", headers=dict(
        origin, Authorization="Bearer " + tok["access_token"]))
    assert resp.status_code == 200, describe(resp)
    assert_granted(resp, SPA, "GET /userinfo")
    resp = ctx.web.request("GET", "/userinfo", headers=dict(origin, Authorization="Bearer x"))
    assert_granted(resp, SPA, "a userinfo 401")
    assert "www-authenticate" in resp.headers.get("Access-Control-Expose-Headers", "").lower()
    resp = token_request(ctx.web, f.spa, {"grant_type": "refresh_token",
                                          "refresh_token": tok["refresh_token"]},
                         headers=origin)
    assert resp.status_code == 200, describe(resp)
    assert_granted(resp, SPA, "POST /token")
    resp = token_request(ctx.web, f.spa, {"grant_type": "refresh_token",
                                          "refresh_token": "nope"}, headers=origin)
    assert_error(resp, 400, "invalid_grant", "a bad refresh")
    assert_granted(resp, SPA, "a token endpoint error")
    assert_granted(revoke(ctx, f.spa, tok["access_token"], headers=origin), SPA, "POST /revoke")
    # The loopback callback is a registered redirect URI too: its origin is granted.
    assert_granted(preflight(ctx, "/token", "http://127.0.0.1:9"), "http://127.0.0.1:9",
                   "the loopback callback's origin")


@only(*ROWS)
def test_r60_unregistered_origins_get_no_cors(ctx):
    fx(ctx)
    for origin in ("https://evil.example", SPA + ".evil.example", "https://evil.example/" + SPA,
                   SPA.replace("https", "http"), SPA + ":8443", SPA + "/", "null",
                   SPA.upper(), SPA + ", https://evil.example"):
        for path, method in (("/token", "POST"), ("/userinfo", "GET"), ("/revoke", "POST")):
            resp = preflight(ctx, path, origin, method)
            assert resp.status_code < 500, describe(resp)
            assert_no_cors(resp, "preflight %s from %r" % (path, origin))
            assert "origin" in resp.headers.get("Vary", "").lower(), describe(resp)
        resp = ctx.web.request("POST", "/token", headers={"Origin": origin},
                               data={"grant_type": "client_credentials"})
        assert_no_cors(resp, "POST /token from %r" % origin)


@only(*ROWS)
def test_r60_disabled_clients_origin_is_refused_at_once(ctx):
    origin = "https://gone-%s.example" % secrets.token_hex(4)
    c = ctx.add_client("admin gone spa", type="public", auth_method="none",
                       redirect_uris=(origin + "/callback",))
    assert_granted(preflight(ctx, "/token", origin), origin, "while enabled")
    p = ctx.cli("client", "disable", c["client_id"])
    assert p.returncode == 0, p.stderr
    assert_no_cors(preflight(ctx, "/token", origin), "after the client was disabled")


@only("lighttpd")
def test_r60_configured_origins_are_granted(ctx):
    extra = "https://configured-%s.example" % secrets.token_hex(4)
    web = harness.WebServer(ctx.flavour, os.path.join(ctx.workdir, "cors-config"), ctx.tree,
                            None)
    web.config_path = harness.write_config(
        ctx.tmp("cors-config.hdf"), web.issuer, ctx.pg, ctx.tree, ctx.key_file,
        **{"Http.CorsOrigins": "http://localhost:3000 " + extra})
    web.start()
    try:
        for origin in (extra, "http://localhost:3000"):
            resp = web.request("OPTIONS", "/token", headers={
                "Origin": origin, "Access-Control-Request-Method": "POST"})
            assert_granted(resp, origin, "configured " + origin)
        resp = web.request("OPTIONS", "/token", headers={
            "Origin": extra + ":444", "Access-Control-Request-Method": "POST"})
        assert_no_cors(resp, "a configured origin with another port")
        assert not web.crash_lines()
    finally:
        web.stop()
    bad = harness.write_config(ctx.tmp("cors-bad.hdf"), web.issuer, ctx.pg, ctx.tree,
                               ctx.key_file, **{"Http.CorsOrigins": "https://app.example/"})
    p = ctx.cli("check-config", config=bad)
    assert p.returncode != 0 and "Http.CorsOrigins" in p.stdout + p.stderr, p.stdout + p.stderr


@only(*ROWS)
def test_r60_public_documents_allow_any_origin_without_credentials(ctx):
    for path in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
                 "/jwks"):
        for resp in (ctx.web.get(path, headers={"Origin": "https://anyone.example"}),
                     preflight(ctx, path, "https://anyone.example", "GET")):
            assert resp.status_code in (200, 204), describe(resp)
            assert resp.headers.get("Access-Control-Allow-Origin") == "*", describe(resp)
            assert "Access-Control-Allow-Credentials" not in resp.headers, path


@only(*ROWS)
def test_r14_no_cors_on_pages_admin_or_introspection_even_for_registered_origins(ctx):
    f = fx(ctx)
    origin = {"Origin": SPA}
    req = AuthRequest(f.spa, redirect_uri=SPA + "/cb")
    seen = [ctx.web.request("GET", "/authorize", params=req.params, headers=origin),
            ctx.web.request("POST", "/authorize", data=req.params, headers=origin)]
    for path in ("/authorize", "/login", "/consent", "/logout", "/account", "/admin",
                 "/introspect"):
        seen.append(preflight(ctx, path, SPA, "POST"))
        seen.append(ctx.web.request("GET", path, headers=origin))
    at = tokens(ctx, f.rp)["access_token"]
    seen.append(introspect(ctx, f.rp, at, headers=origin))
    for resp in seen:
        assert resp.status_code < 500, describe(resp)
        assert_no_cors(resp, "%s %s" % (resp.request.method, resp.request.path_url))
