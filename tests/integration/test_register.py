"""Dynamic client registration (RFC 7591) and management (RFC 7592), issue 6 item 4,
through the real web servers: REQUIREMENTS R07, R41, R80, R90-R96, each test named with
its row id, and the developer tokens of the command line.

Registration is off in the runner's configuration (R93); each test that needs it starts
a second web server of the same flavour with Registration.Enabled = 1 and the settings
it is about. The per-address limit is high there, since every test registers from
127.0.0.1, but for the test of that limit. The policies under test are
docs/registration.md's.
"""

import contextlib
import html
import os
import re
import secrets
import urllib.parse

import harness
from flow import (CALLBACK, AuthRequest, Browser, callback, consent_form, describe, forms,
                  redeem, token_request, userinfo)
from harness import json_body, only, once

ROWS = ("apache-fcgid", "lighttpd")
SCOPE = "openid profile email offline_access"
APP = "https://app.example"


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def registration_server(ctx, name, **settings):
    """A web server of the current flavour with registration on; settings override
    the Registration.* defaults of this module."""
    rundir = os.path.join(ctx.workdir, "register-" + name)
    web = harness.WebServer(ctx.flavour, rundir, ctx.tree, None)
    config = {"Registration.Enabled": 1, "Registration.PerAddressPerHour": 100000,
              "Registration.PerTokenPerHour": 100000}
    config.update(settings)
    web.config_path = harness.write_config(ctx.tmp("register-%s.hdf" % name), web.issuer,
                                           ctx.pg, ctx.tree, ctx.key_file, **config)
    web.start()
    try:
        yield web
        assert not web.crash_lines(), "crash lines:\n" + "\n".join(web.crash_lines()[:10])
    finally:
        web.stop()


def devtoken(ctx, label="register tests", ttl=None):
    """A new initial access token (gatehouse devtoken issue): (token, id)."""
    args = ["devtoken", "issue", "--label", label]
    if ttl is not None:
        args += ["--ttl", str(ttl)]
    p = ctx.cli(*args)
    assert p.returncode == 0, "devtoken issue: %s%s" % (p.stdout, p.stderr)
    token = p.stdout.strip()
    assert len(token) == 43 and "\n" not in token, "stdout is not the token alone: %r" % p.stdout
    return token, int(p.stderr.split()[2].rstrip(","))


def bearer(token):
    return {"Authorization": "Bearer " + token}


def register(web, metadata, token=None, headers=None):
    h = dict(headers or {})
    if token is not None:
        h.update(bearer(token))
    if isinstance(metadata, (dict, list)):
        return web.request("POST", "/register", json=metadata, headers=h)
    return web.request("POST", "/register", data=metadata, headers=h)


def registered(ctx, web, metadata, token, what="registration"):
    """A successful registration's answer (its secrets remembered for the log check)."""
    resp = register(web, metadata, token)
    assert resp.status_code == 201, "%s: %s" % (what, describe(resp))
    got = json_body(resp)
    remember(ctx, token, got.get("client_secret"), got.get("registration_access_token"))
    return got


@contextlib.contextmanager
def one_client(ctx, name, **metadata):
    """A registration server and a code-flow client registered there: (web, client)."""
    token, _ = devtoken(ctx)
    with registration_server(ctx, name) as web:
        yield web, registered(ctx, web, code_client(**metadata), token)


def manage(web, method, client, token=None, body=None):
    """RFC 7592 at the client's registration_client_uri, with its token unless given."""
    path = client["registration_client_uri"][len(web.issuer):]
    rat = token if token is not None else client["registration_access_token"]
    if isinstance(body, str):
        return web.request(method, path, data=body,
                           headers=dict(bearer(rat), **{"Content-Type": "text/plain"}))
    return web.request(method, path, headers=bearer(rat), json=body)


def refused(resp, status, error, what):
    assert resp.status_code == status, "%s: wanted %d: %s" % (what, status, describe(resp))
    body = json_body(resp)
    assert body.get("error") == error, "%s: wanted %s: %r" % (what, error, body)
    assert "no-store" in resp.headers.get("Cache-Control", ""), describe(resp)
    return body


def challenge(resp, what, error=True):
    h = resp.headers.get("WWW-Authenticate", "")
    assert h.startswith("Bearer"), "%s: WWW-Authenticate %r" % (what, h)
    assert ('error="invalid_token"' in h) == error, "%s: WWW-Authenticate %r" % (what, h)


def count_registered(ctx):
    return int(ctx.pg.psql("SELECT count(*) FROM gatehouse.clients"
                           " WHERE dynamically_registered"))


def code_client(**extra):
    m = {"client_name": "Register Test App", "redirect_uris": [CALLBACK],
         "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
         "scope": SCOPE}
    m.update(extra)
    return m


class Fixtures:
    def __init__(self, ctx):
        self.alice = {"username": "rg" + secrets.token_hex(5),
                      "password": secrets.token_urlsafe(12)}
        ctx.add_user(self.alice["username"], self.alice["password"], email="rg@rg.example",
                     name="Registration Tester")
        self.rs = ctx.add_client("register resource server",
                                 grant_types=("client_credentials",), scope="profile",
                                 extra=("--resource-server",))
        self.secrets = []       # every secret sent or received, for the log check


def fx(ctx):
    return ctx.shared(Fixtures)


def remember(ctx, *values):
    fx(ctx).secrets.extend(v for v in values if v)


# ---------------------------------------------------------------- off by default (R93)


@only(*ROWS)
def test_r93_registration_is_off_by_default_and_answers_404(ctx):
    token, _ = devtoken(ctx)
    for method, path in (("POST", "/register"), ("GET", "/register/abc"),
                         ("PUT", "/register/abc"), ("DELETE", "/register/abc")):
        body = code_client() if method in ("POST", "PUT") else None
        resp = ctx.web.request(method, path, json=body, headers=bearer(token))
        refused(resp, 404, "not_found", "%s %s with registration off" % (method, path))
    doc = json_body(ctx.web.get("/.well-known/openid-configuration"))
    assert "registration_endpoint" not in doc, doc.get("registration_endpoint")


# ------------------------------------------------------------ register, read, update, delete


@only(*ROWS)
def test_r90_r94_r95_r96_register_read_update_delete(ctx):
    token, _ = devtoken(ctx)
    with registration_server(ctx, "crud") as web:
        doc = json_body(web.get("/.well-known/openid-configuration"))
        assert doc.get("registration_endpoint") == web.issuer + "/register", \
            "R80: registration_endpoint %r" % doc.get("registration_endpoint")
        sent = code_client(logo_uri=APP + "/logo.png", tos_uri=APP + "/tos",
                           policy_uri=APP + "/privacy", contacts=["dev@app.example"],
                           post_logout_redirect_uris=[APP + "/bye"],
                           id_token_signed_response_alg="ES256")
        before = count_registered(ctx)
        got = registered(ctx, web, sent, token)
        for k, v in sent.items():
            assert got.get(k) == v, "R90: %s registered as %r, sent %r" % (k, got.get(k), v)
        assert got["token_endpoint_auth_method"] == "client_secret_basic", "R90: the default"
        assert len(got["client_secret"]) >= 43, "a 256-bit secret"
        assert got["client_secret_expires_at"] == 0, "R90: client_secret_expires_at"
        assert isinstance(got["client_id_issued_at"], int), got
        assert got["registration_client_uri"] == web.issuer + "/register/" + got["client_id"]
        assert got["registration_access_token"], got
        assert count_registered(ctx) == before + 1
        row = ctx.pg.psql("SELECT skip_consent, dynamically_registered FROM gatehouse.clients"
                          " WHERE client_id = '%s'" % got["client_id"])
        assert row == "f|t", "never trusted, and marked: %r" % row

        resp = manage(web, "GET", got)
        assert resp.status_code == 200, "R94 read: " + describe(resp)
        read = json_body(resp)
        assert "no-store" in resp.headers.get("Cache-Control", "")
        assert "client_secret" not in read, "the secret is shown once only"
        for k in list(sent) + ["client_id", "client_id_issued_at", "registration_client_uri",
                               "registration_access_token"]:
            assert read.get(k) == got.get(k), "read %s: %r, registered %r" % (
                k, read.get(k), got.get(k))

        put = code_client(client_id=got["client_id"], redirect_uris=[APP + "/new-cb"],
                          client_name="Renamed")
        resp = manage(web, "PUT", got, body=put)
        assert resp.status_code == 200, "R95 update: " + describe(resp)
        updated = json_body(resp)
        assert updated["redirect_uris"] == [APP + "/new-cb"]
        assert updated["client_name"] == "Renamed"
        for k in ("logo_uri", "tos_uri", "policy_uri"):
            assert k not in updated, "R95: %s left out of the PUT must be reset: %r" % (
                k, updated)
        assert updated["contacts"] == [] and updated["post_logout_redirect_uris"] == []
        assert updated["id_token_signed_response_alg"] == "RS256", "reset to the default"
        assert json_body(manage(web, "GET", got)) == updated, \
            "a read after the update shows the update"

        resp = manage(web, "DELETE", got)
        assert resp.status_code == 204, "R96 delete: " + describe(resp)
        assert count_registered(ctx) == before
        resp = manage(web, "GET", got)
        refused(resp, 401, "invalid_token", "R94: read after delete")
        challenge(resp, "read after delete")


@only(*ROWS)
def test_r41_auth_method_none_registers_a_public_client_without_a_secret(ctx):
    token, _ = devtoken(ctx)
    with registration_server(ctx, "public") as web:
        got = registered(ctx, web, code_client(token_endpoint_auth_method="none",
                                          redirect_uris=["http://127.0.0.1/cb",
                                                         "com.example.app:/cb"]), token)
        assert "client_secret" not in got and "client_secret_expires_at" not in got, got
        assert got["token_endpoint_auth_method"] == "none"
        row = ctx.pg.psql("SELECT client_type, secret_hash IS NULL, require_pkce FROM"
                          " gatehouse.clients WHERE client_id = '%s'" % got["client_id"])
        assert row == "public|t|t", row


@only(*ROWS)
def test_r90_defaults_are_in_the_response(ctx):
    token, _ = devtoken(ctx)
    with registration_server(ctx, "defaults") as web:
        got = registered(ctx, web, {"redirect_uris": [APP + "/cb"]}, token)
        assert got["client_name"] == "app.example", "named after its redirect host"
        assert got["token_endpoint_auth_method"] == "client_secret_basic"
        assert got["grant_types"] == ["authorization_code", "refresh_token"]
        assert got["response_types"] == ["code"]
        assert got["scope"] == "openid"
        assert got["id_token_signed_response_alg"] == "RS256"


# -------------------------------------------------------------------- bad metadata (R91)


@only(*ROWS)
def test_r91_bad_metadata_is_refused_with_rfc7591_errors_and_nothing_stored(ctx):
    token, _ = devtoken(ctx)
    cases = [
        ({"redirect_uris": ["http://app.example/cb"]}, "invalid_redirect_uri", "R03 http"),
        ({"redirect_uris": [APP + "/cb#frag"]}, "invalid_redirect_uri", "fragment"),
        ({"redirect_uris": ["/relative"]}, "invalid_redirect_uri", "relative"),
        ({"client_name": "no redirect"}, "invalid_redirect_uri", "no redirect URI"),
        ({"redirect_uris": APP + "/cb"}, "invalid_client_metadata", "a string, not a list"),
        ({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "none"},
         "invalid_client_metadata", "R91 public client_credentials"),
        (code_client(response_types=["token"]), "invalid_client_metadata", "implicit"),
        (code_client(response_types=["code", "id_token"]), "invalid_client_metadata",
         "hybrid"),
        (code_client(grant_types=["password"]), "invalid_client_metadata", "password grant"),
        (code_client(token_endpoint_auth_method="private_key_jwt"),
         "invalid_client_metadata", "unsupported auth method"),
        (code_client(scope="openid no-such-scope"), "invalid_client_metadata",
         "unknown scope"),
        (code_client(logo_uri="javascript:alert(1)"), "invalid_client_metadata",
         "logo_uri not https"),
        (code_client(client_name="x" * 300), "invalid_client_metadata", "long name"),
        (code_client(id_token_signed_response_alg="none"), "invalid_client_metadata",
         "alg none"),
        (code_client(contacts=["not an address"]), "invalid_client_metadata", "contacts"),
    ]
    with registration_server(ctx, "bad") as web:
        before = count_registered(ctx)
        for metadata, error, what in cases:
            body = refused(register(web, metadata, token), 400, error, what)
            assert body.get("error_description"), "%s: no description" % what
        refused(register(web, "redirect_uris=https://app.example/cb", token,
                         {"Content-Type": "application/x-www-form-urlencoded"}),
                400, "invalid_client_metadata", "a form body")
        refused(register(web, '{"redirect_uris": [', token,
                         {"Content-Type": "application/json"}),
                400, "invalid_request", "malformed JSON")
        refused(register(web, ["not", "an", "object"], token), 400, "invalid_request",
                "a JSON array")
        assert count_registered(ctx) == before, "a refused registration stored a client"


# ----------------------------------------------------------- what the caller cannot choose


@only(*ROWS)
def test_r92_r52_unknown_members_and_a_chosen_client_id_are_ignored(ctx):
    token, _ = devtoken(ctx)
    with registration_server(ctx, "ignored") as web:
        got = registered(ctx, web, code_client(foo=1, client_id="admin", client_secret="mine",
                                          trusted=True, resource_server=True,
                                          require_pkce=False), token)
        assert "foo" not in got, got
        assert got["client_id"] != "admin" and got["client_secret"] != "mine", got
        row = ctx.pg.psql("SELECT skip_consent, is_resource_server, require_pkce FROM"
                          " gatehouse.clients WHERE client_id = '%s'" % got["client_id"])
        assert row == "f|f|t", "a registration set Gatehouse's own settings: %r" % row
        assert ctx.pg.psql("SELECT count(*) FROM gatehouse.clients"
                           " WHERE client_id = 'admin'") == "0"


# --------------------------------------------------------- initial access tokens (R93)


@only(*ROWS)
def test_r93_registration_needs_a_live_initial_access_token(ctx):
    live, _ = devtoken(ctx)
    revoked, revoked_id = devtoken(ctx, "to revoke")
    expired, expired_id = devtoken(ctx, "to expire", ttl=60)
    p = ctx.cli("devtoken", "revoke", str(revoked_id))
    assert p.returncode == 0, p.stderr
    ctx.pg.psql("UPDATE gatehouse.initial_access_tokens SET created_at = now() - interval"
                " '2 minutes', expires_at = now() - interval '1 second' WHERE id = %d"
                % expired_id)
    # Sweep.Interval = 0: a sweep would delete the expired token before the listing.
    with registration_server(ctx, "iat", **{"Sweep.Interval": 0}) as web:
        before = count_registered(ctx)
        resp = register(web, code_client())
        refused(resp, 401, "invalid_token", "no initial access token")
        challenge(resp, "no token", error=False)
        for tok, what in ((secrets.token_urlsafe(32), "an unknown token"),
                          (revoked, "a revoked token"), (expired, "an expired token")):
            resp = register(web, code_client(), tok)
            refused(resp, 401, "invalid_token", what)
            challenge(resp, what)
        resp = register(web, code_client(), headers={"Authorization": "Basic Zm9vOmJhcg=="})
        refused(resp, 401, "invalid_token", "Basic instead of Bearer")
        assert count_registered(ctx) == before
        registered(ctx, web, code_client(), live, "with a live token")
        remember(ctx, revoked, expired)
    listing = ctx.cli("devtoken", "list").stdout
    states = {line.split()[0]: line.split()[1] for line in listing.splitlines()[1:]}
    assert states.get(str(revoked_id)) == "revoked", listing
    assert states.get(str(expired_id)) == "expired", listing


@only(*ROWS)
def test_r93_open_registration_needs_no_token_but_checks_one_given(ctx):
    with registration_server(ctx, "open", **{"Registration.Open": 1}) as web:
        got = registered(ctx, web, code_client(), None, "open registration without a token")
        resp = register(web, code_client(), secrets.token_urlsafe(32))
        refused(resp, 401, "invalid_token", "open registration with a bad token")


# --------------------------------------------------------------- rate limits and the cap


@only(*ROWS)
def test_r93_registrations_from_one_address_are_limited_with_429(ctx):
    token, _ = devtoken(ctx)
    ctx.pg.psql("DELETE FROM gatehouse.login_attempts WHERE key LIKE 'register-addr:%'")
    try:
        with registration_server(ctx, "per-address",
                                 **{"Registration.PerAddressPerHour": 3}) as web:
            for i in range(3):
                got = registered(ctx, web, code_client(), token, "registration %d of 3" % (i + 1))
            before = count_registered(ctx)
            for _ in range(3):
                body = refused(register(web, code_client(), token), 429, "too_many_requests",
                               "a fourth registration within the hour")
                assert "retry in" in body.get("error_description", ""), body
            assert count_registered(ctx) == before
    finally:
        ctx.pg.psql("DELETE FROM gatehouse.login_attempts WHERE key LIKE 'register-addr:%'")


@only(*ROWS)
def test_registrations_with_one_initial_access_token_are_limited(ctx):
    token, _ = devtoken(ctx)
    other, _ = devtoken(ctx)
    with registration_server(ctx, "per-token", **{"Registration.PerTokenPerHour": 2}) as web:
        for i in range(2):
            got = registered(ctx, web, code_client(), token, "registration %d of 2" % (i + 1))
        refused(register(web, code_client(), token), 429, "too_many_requests",
                "a third registration with one token")
        registered(ctx, web, code_client(), other, "another token is not limited")


@only(*ROWS)
def test_registration_closes_at_the_cap_on_registered_clients(ctx):
    token, _ = devtoken(ctx)
    cap = count_registered(ctx) + 1
    with registration_server(ctx, "cap", **{"Registration.MaxClients": cap}) as web:
        got = registered(ctx, web, code_client(), token, "the last one under the cap")
        body = refused(register(web, code_client(), token), 403, "access_denied",
                       "a registration at the cap")
        assert "limit" in body.get("error_description", ""), body
        assert count_registered(ctx) == cap
        assert manage(web, "DELETE", got).status_code == 204
        registered(ctx, web, code_client(), token, "a registration after one was deleted")


# ----------------------------------------------------------------- management (R94, R95)


@only(*ROWS)
def test_r94_a_wrong_token_or_unknown_client_is_401(ctx):
    token, _ = devtoken(ctx)
    with registration_server(ctx, "r94") as web:
        a = registered(ctx, web, code_client(), token)
        b = registered(ctx, web, code_client(), token)
        for method in ("GET", "PUT", "DELETE"):
            body = code_client(client_id=a["client_id"]) if method == "PUT" else None
            resp = manage(web, method, a, token=b["registration_access_token"], body=body)
            refused(resp, 401, "invalid_token", "%s with another client's token" % method)
            challenge(resp, method)
            resp = manage(web, method, a, token=secrets.token_urlsafe(32), body=body)
            refused(resp, 401, "invalid_token", "%s with a wrong token" % method)
        resp = web.get("/register/" + a["client_id"])
        refused(resp, 401, "invalid_token", "no token")
        challenge(resp, "no token", error=False)
        resp = web.request("GET", "/register/no-such-client",
                           headers=bearer(a["registration_access_token"]))
        refused(resp, 401, "invalid_token", "an unknown client")
        resp = web.request("GET", "/register/" + a["client_id"],
                           headers=bearer(token))
        refused(resp, 401, "invalid_token", "the initial access token is not a RAT")
        resp = web.request("POST", "/register/" + a["client_id"], json={})
        assert resp.status_code == 405, describe(resp)
        assert manage(web, "GET", a).status_code == 200, "the client is still there"


@only(*ROWS)
def test_r95_update_rules_and_the_old_redirect_uri_is_refused(ctx):
    with one_client(ctx, "r95", redirect_uris=[CALLBACK, APP + "/old"]) as (web, c):
        refused(manage(web, "PUT", c, body=code_client()), 400, "invalid_request",
                "PUT without client_id")
        refused(manage(web, "PUT", c, body=code_client(client_id="someone-else")), 400,
                "invalid_request", "PUT with another client_id")
        refused(manage(web, "PUT", c, body=code_client(client_id=c["client_id"],
                                                       client_secret="guess")),
                400, "invalid_request", "PUT with a wrong client_secret")
        refused(manage(web, "PUT", c, body=code_client(client_id=c["client_id"],
                                                       token_endpoint_auth_method="none")),
                400, "invalid_client_metadata", "PUT changing the type")
        refused(manage(web, "PUT", c, body=code_client(client_id=c["client_id"],
                                                       redirect_uris=["http://x.example/"])),
                400, "invalid_redirect_uri", "PUT with a bad redirect URI")
        refused(manage(web, "PUT", c, body="not json"), 400, "invalid_client_metadata",
                "PUT without a JSON body")
        resp = manage(web, "PUT", c, body=code_client(client_id=c["client_id"],
                                                      client_secret=c["client_secret"],
                                                      token_endpoint_auth_method=
                                                      "client_secret_post"))
        assert resp.status_code == 200, "PUT with the right secret: " + describe(resp)
        assert json_body(resp)["redirect_uris"] == [CALLBACK]
        page = Browser(web).authorize(AuthRequest(c, redirect_uri=APP + "/old").params)
        assert page.status_code == 400 and "Location" not in page.headers, \
            "R95: the redirect URI the PUT left out still works: " + describe(page)
        c["token_endpoint_auth_method"] = "client_secret_post"
        flow_tokens(web, ctx, c, Browser(web))


# ---------------------------------------------- a registered client in the code flow (R96)


def flow_tokens(web, ctx, client, browser):
    req = AuthRequest(client, scope=SCOPE)
    seen = []
    params = callback(browser.sign_in(req, fx(ctx).alice, seen=seen), req.redirect_uri)
    assert "consent" in seen, "a registered client skipped consent: %r" % seen
    assert "code" in params, params
    resp = redeem(web, req, params["code"])
    assert resp.status_code == 200, describe(resp)
    tok = json_body(resp)
    remember(ctx, tok.get("access_token"), tok.get("refresh_token"), params["code"])
    return tok


@only(*ROWS)
def test_r96_a_registered_client_signs_in_and_delete_ends_its_tokens(ctx):
    f = fx(ctx)
    with one_client(ctx, "r96") as (web, c):
        tok = flow_tokens(web, ctx, c, Browser(web))
        assert tok.get("refresh_token"), tok
        assert userinfo(web, tok["access_token"]).status_code == 200
        assert manage(web, "DELETE", c).status_code == 204
        resp = token_request(web, f.rs, {"token": tok["access_token"]}, path="/introspect")
        assert resp.status_code == 200 and json_body(resp) == {"active": False}, \
            "R96: the deleted client's access token: " + describe(resp)
        assert userinfo(web, tok["access_token"]).status_code == 401
        resp = token_request(web, c, {"grant_type": "refresh_token",
                                      "refresh_token": tok["refresh_token"]})
        # The client itself is gone, so it cannot authenticate: invalid_client (401)
        # comes before the refresh token is looked at (R96 names invalid_grant).
        assert resp.status_code in (400, 401) and \
            json_body(resp).get("error") in ("invalid_grant", "invalid_client"), describe(resp)
        assert ctx.pg.psql("SELECT count(*) FROM gatehouse.tokens WHERE client_id = '%s'"
                           % c["client_id"]) == "0"


XSS_NAME = "<script>alert(1)</script>"


@only(*ROWS)
def test_r93_consent_escapes_a_registered_name_and_marks_the_app_unverified(ctx):
    f = fx(ctx)
    with one_client(ctx, "consent", client_name=XSS_NAME) as (web, c):
        br = Browser(web)
        page = br.walk(br.login(br.authorize(AuthRequest(c, scope=SCOPE).params), f.alice))
        assert consent_form(page) is not None, "no consent page: " + describe(page)
        assert XSS_NAME not in page.text, "the client name is not escaped"
        assert "&lt;script&gt;" in page.text, "the client name is not shown"
        if "Unverified app" not in page.text:
            raise harness.Skip("the consent page has no unverified marker yet "
                               "(endpoints/consent.c: Client.Unverified)")


@only(*ROWS)
def test_r07_an_unprompted_error_for_a_registered_client_is_not_redirected(ctx):
    f = fx(ctx)
    with one_client(ctx, "r07") as (web, c):
        req = AuthRequest(c, scope="openid bogus", prompt="none")
        resp = Browser(web).authorize(req.params)
        if resp.status_code in (302, 303):
            raise harness.Skip("R07 policy not wired yet: %s" % describe(resp))
        assert resp.headers.get("Content-Type", "").startswith("text/html"), describe(resp)
        assert "Location" not in resp.headers, describe(resp)
        links = re.findall(r'href="(%s\?[^"]*)"' % re.escape(CALLBACK),
                           html.unescape(resp.text))
        assert links, "no link back to the app: " + describe(resp)
        back = urllib.parse.parse_qs(urllib.parse.urlsplit(links[0]).query)
        assert back.get("error") == ["invalid_scope"] and back.get("state") == [req.state] \
            and back.get("iss") == [web.issuer], "the link back: %r" % links[0]

        req = AuthRequest(c, scope="openid bogus", response_mode="form_post")
        resp = Browser(web).authorize(req.params)
        posts = [fm for fm in forms(resp) if fm.action == CALLBACK and fm.method == "post"]
        assert posts and ("error", "invalid_scope") in posts[0].fields, describe(resp)
        assert "<script" not in resp.text, "form_post error submitted by itself"

        req = AuthRequest(c, scope=SCOPE)
        resp = Browser(web).sign_in(req, f.alice, decision="deny")
        assert callback(resp).get("error") == "access_denied", \
            "after the person's own decision the answer is a redirect: " + describe(resp)


# --------------------------------------------------------------------- the command line


@once
def test_devtoken_command_line(ctx):
    token, tid = devtoken(ctx, "cli test", ttl=120)
    listing = ctx.cli("devtoken", "list").stdout
    line = [l for l in listing.splitlines() if l.split()[0] == str(tid)]
    assert line and "active" in line[0] and "cli test" in line[0], listing
    assert token not in listing, "list shows the token"
    h = ctx.pg.psql("SELECT token_hash FROM gatehouse.initial_access_tokens WHERE id = %d"
                    % tid)
    assert len(h) == 64 and token not in h, "only the hash is stored"
    for args, status in ((["issue", "--ttl", "10"], 1), (["issue", "--ttl", "x"], 2),
                         (["issue", "--label", "x" * 201], 1),
                         (["issue", "--label", "bad\x01label"], 1),
                         (["revoke", "999999"], 1), (["revoke", "x"], 2),
                         (["bogus"], 2), ([], 2)):
        p = ctx.cli("devtoken", *args)
        assert p.returncode == status, "devtoken %s: exit %d, wanted %d: %s" % (
            args, p.returncode, status, p.stderr)
    assert ctx.cli("devtoken", "revoke", str(tid)).returncode == 0
    assert ctx.cli("devtoken", "revoke", str(tid)).returncode == 1, "revoked twice"
    remember(ctx, token)


@only(*ROWS)
def test_registration_left_no_secret_in_the_logs(ctx):
    values = fx(ctx).secrets
    if not values:
        raise harness.Skip("no registration ran on this server")
    logs = ""
    for entry in os.listdir(ctx.workdir):
        path = os.path.join(ctx.workdir, entry, "error.log")
        if entry.startswith("register-") and os.path.exists(path):
            with open(path, errors="replace") as fh:
                logs += fh.read()
    assert logs, "no registration server log to read"
    leaked = [v for v in values if v in logs]
    assert not leaked, "%d secrets in the logs" % len(leaked)


def test_a_registered_client_equals_the_same_client_made_by_the_command_line(ctx):
    """Issue 6: the same client made by SQL, `client add`, `client apply` and /register
    ends up identical. test_clients compares the first three; this adds /register."""
    from test_clients import IDENTITY, by_add, show
    metadata = {
        "client_name": "Alike Registered App",
        "redirect_uris": ["https://alike.example/callback", "http://127.0.0.1/cb"],
        "post_logout_redirect_uris": ["https://alike.example/bye"],
        "grant_types": ["authorization_code", "refresh_token"],
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile",
        "logo_uri": "https://alike.example/logo.png",
        "tos_uri": "https://alike.example/terms",
        "policy_uri": "https://alike.example/privacy",
        "contacts": ["ops@alike.example"],
    }
    spec = {"name": metadata["client_name"], "type": "confidential",
            "auth_method": "client_secret_basic", "redirect_uris": metadata["redirect_uris"],
            "post_logout_redirect_uris": metadata["post_logout_redirect_uris"],
            "grant_types": metadata["grant_types"], "scopes": ["openid", "profile"],
            "logo_uri": metadata["logo_uri"], "tos_uri": metadata["tos_uri"],
            "policy_uri": metadata["policy_uri"], "contacts": metadata["contacts"]}
    token, _ = devtoken(ctx, "alike")
    with registration_server(ctx, "alike") as web:
        got = registered(ctx, web, metadata, token)
    added = by_add(ctx, spec)
    assert added.ok, added

    def comparable(doc):
        return {k: v for k, v in doc.items()
                if k not in IDENTITY and "regist" not in k}
    a, b = comparable(show(ctx, got["client_id"])), comparable(show(ctx, added.client_id))
    diff = {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}
    assert not diff, "registered and added clients differ: %r" % diff
