"""REQUIREMENTS rows that no other module names: R06, R48, R54, R61, R62, R74, R77,
R102, R105."""

import base64
import json
import secrets

import harness
from flow import AuthRequest, Browser, callback, consent_form, describe, redeem, \
    token_request
from harness import json_body, once, only

CALLBACK = "http://127.0.0.1:9/callback"
ROWS = ("apache-fcgid", "lighttpd")


def decode(part):
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class Fixtures:
    def __init__(self, ctx):
        ctx.define_scopes("rows.read")
        self.no_refresh = ctx.add_client(
            "rows no refresh", redirect_uris=(CALLBACK,), grant_types=("authorization_code",),
            scope="openid offline_access")
        self.refresh = ctx.add_client(
            "rows refresh", redirect_uris=(CALLBACK,),
            grant_types=("authorization_code", "refresh_token"),
            scope="openid offline_access")
        self.jwt = ctx.add_client(
            "rows jwt", grant_types=("client_credentials",), scope="rows.read",
            extra=("--access-token-format", "jwt"))
        self.user = {"username": "rows" + secrets.token_hex(4),
                     "password": secrets.token_urlsafe(12)}
        ctx.add_user(self.user["username"], self.user["password"])


def fx(ctx):
    return ctx.shared(Fixtures)


@only(*ROWS)
def test_r06_login_never_follows_a_return_url_from_a_parameter(ctx):
    for bad in ("https://evil.example/", "//evil.example/", "/account/../../x",
                "javascript:alert(1)", "/admin/api/clients"):
        resp = ctx.web.get("/login", params={"next": bad}, allow_redirects=False)
        assert "Location" not in resp.headers, "%r: %s" % (bad, describe(resp))
        assert resp.status_code == 404, "%r: %s" % (bad, describe(resp))
    resp = ctx.web.get("/login", params={"next": "/account"}, allow_redirects=False)
    assert resp.status_code == 200 and 'name="password"' in resp.text, describe(resp)


@only(*ROWS)
def test_r48_refresh_tokens_only_for_clients_with_the_grant(ctx):
    f = fx(ctx)
    # A user of this test alone: the consent page shows only on a first grant.
    user = {"username": "r48" + secrets.token_hex(4), "password": secrets.token_urlsafe(12)}
    ctx.add_user(user["username"], user["password"])
    for client, wanted in ((f.no_refresh, False), (f.refresh, True)):
        browser = Browser(ctx.web)
        req = AuthRequest(client, scope="openid offline_access")
        seen = []
        page = browser.walk(browser.authorize(req.params))
        resp = browser.login(page, user)
        consent = browser.walk(resp)
        assert consent_form(consent) is not None, describe(consent)
        assert "offline_access" in consent.text or "Stay connected" in consent.text, \
            "the consent page does not list offline_access"
        params = callback(browser.finish(consent, user, seen=seen), req.redirect_uri)
        body = json_body(redeem(ctx.web, req, params["code"]))
        assert ("refresh_token" in body) == wanted, "%s: %r" % (client["client_name"], body)


@once
def test_r54_r61_r62_jwt_access_token_header_claims_and_unique_jti(ctx):
    f = fx(ctx)
    jwks = {k["kid"]: k for k in json_body(ctx.web.get("/jwks"))["keys"]}
    jtis = set()
    for _ in range(100):
        resp = token_request(ctx.web, f.jwt, {"grant_type": "client_credentials"})
        body = json_body(resp)
        assert resp.status_code == 200, describe(resp)
        head, payload, _ = body["access_token"].split(".")
        header, claims = decode(head), decode(payload)
        assert header["typ"] == "at+jwt" and header["alg"] != "none", header       # R61
        assert header["kid"] in jwks, "kid %s not in the JWKS" % header["kid"]
        for name in ("iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope"):
            assert name in claims, "no %s in %r" % (name, claims)                 # R62
        assert claims["aud"] == ctx.web.issuer, claims                            # R54
        assert claims["iss"] == ctx.web.issuer and claims["scope"] == "rows.read"
        jtis.add(claims["jti"])
    assert len(jtis) == 100, "jti repeated: %d distinct of 100" % len(jtis)


@only(*ROWS)
def test_r74_claims_parameter_is_ignored_and_said_so(ctx):
    f = fx(ctx)
    doc = json_body(ctx.web.get("/.well-known/openid-configuration"))
    assert doc.get("claims_parameter_supported") is False, doc
    claims = json.dumps({"id_token": {"email": {"essential": True}}})
    req = AuthRequest(f.refresh, scope="openid", claims=claims)
    params = callback(Browser(ctx.web).sign_in(req, f.user), req.redirect_uri)
    assert "code" in params, params


@once
def test_r77_staged_key_is_published_before_it_signs(ctx):
    def signing_kid():
        p = ctx.cli("keys", "sign", "--alg", "EdDSA", input='{"t":1}')
        assert p.returncode == 0, p.stderr
        return decode(p.stdout.strip().split(".")[0])["kid"]

    old = signing_kid()
    p = ctx.cli("keys", "rotate", "--alg", "EdDSA", "--stage")
    assert p.returncode == 0, p.stdout + p.stderr
    kids = [k["kid"] for k in json_body(ctx.web.get("/jwks"))["keys"] if k["alg"] == "EdDSA"]
    new = [k for k in kids if k != old]
    assert len(new) == 1 and old in kids, "staged key not published: %r" % kids
    assert signing_kid() == old, "a staged key must not sign yet"
    p = ctx.cli("keys", "activate", new[0])
    assert p.returncode == 0, p.stdout + p.stderr
    assert signing_kid() == new[0], "the activated key does not sign"
    kids = [k["kid"] for k in json_body(ctx.web.get("/jwks"))["keys"]]
    assert old in kids, "the retired key left the JWKS before its tokens expired"


@only("lighttpd")
def test_r102_repeated_bad_passwords_are_throttled_alike_for_known_and_unknown_names(ctx):
    f = fx(ctx)
    seen = {}
    try:
        for name in (f.user["username"], "nobody" + secrets.token_hex(4)):
            browser = Browser(ctx.web)
            req = AuthRequest(f.refresh, scope="openid")
            page = browser.walk(browser.authorize(req.params))
            statuses = []
            for _ in range(5):
                resp = browser.login(page, {"username": name, "password": "wrong-" + name})
                statuses.append(resp.status_code)
            assert statuses[:3] == [401, 401, 401], "%s: %r" % (name, statuses)
            assert 429 in statuses, "%s: never throttled: %r" % (name, statuses)
            seen[name] = statuses
    finally:
        # Every test signs in from 127.0.0.1: leave the address's counter as it was.
        ctx.pg.psql("DELETE FROM gatehouse.login_attempts WHERE key LIKE 'addr:%'")
    known, unknown = seen.values()
    assert known == unknown, "known and unknown accounts differ: %r %r" % (known, unknown)
    log = ctx.web.read_log()
    assert "sign-in failed" in log, "failed sign-ins are not logged"
    assert f.user["username"] not in log, "a username reached the log"


@once
def test_r105_metadata_lists_nothing_not_supported(ctx):
    for path in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"):
        doc = json_body(ctx.web.get(path))
        for absent in ("device_authorization_endpoint", "pushed_authorization_request_endpoint",
                       "require_pushed_authorization_requests", "backchannel_logout_supported",
                       "request_object_signing_alg_values_supported",
                       "dpop_signing_alg_values_supported"):
            assert absent not in doc, "%s advertises %s" % (path, absent)
        assert doc["response_types_supported"] == ["code"], doc
        assert not set(doc.get("grant_types_supported", [])) & {
            "password", "implicit", "urn:ietf:params:oauth:grant-type:device_code"}, doc
        assert doc.get("request_parameter_supported") is False
