"""Sign in with Gatehouse (issue 4): the authorization code flow through the real web
servers, driven by real client libraries (Python authlib, Node openid-client v6) and
by a cookie-keeping browser that submits the real login and consent forms; then the
DESIGN invariants and the REQUIREMENTS rows about /authorize, PKCE, codes, /token,
userinfo and the id_token, each test named with its row id.

Every test skips while /authorize or /token is not routed yet (404 not_found).
The library flows run behind every web server; the rows behind Apache/mod_fcgid and
lighttpd (CGI answers the same code, one process per request).
"""

import base64
import concurrent.futures
import json
import os
import re
import secrets
import shutil
import subprocess
import threading
import time
import urllib.parse

import requests

import harness
from flow import (CALLBACK, AuthRequest, Browser, b64url, basic_auth, callback, consent_form,
                  describe, half_hash, jwt_parts, login_form, redeem, s256, token_request,
                  userinfo, validate_id_token)
from harness import json_body, only, once

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test issuer is http

from authlib.common.security import generate_token  # noqa: E402
from authlib.integrations.requests_client import OAuth2Session  # noqa: E402
from authlib.oidc.discovery import OpenIDProviderMetadata  # noqa: E402

ROWS = ("apache-fcgid", "lighttpd")     # where the row tests run
RP = "https://rp.example/cb"
SCOPE = "openid profile email offline_access"
CODE_FLOW = ("authorization_code", "refresh_token")
NODE_SCRIPT = os.path.join(harness.HERE, "oidc_client.mjs")
XSS_NAME = "<script>alert(1)</script>"
XSS_SCOPE_TEXT = "<img src=x onerror=alert(2)>"


# --------------------------------------------------------------------------- fixtures


class Fixtures:
    """Users and clients made once per database (the flavours share it)."""

    def __init__(self, ctx):
        self.ctx = ctx
        ctx.pg.psql("INSERT INTO gatehouse.scopes (name, descriptions) VALUES ('flowxss', "
                    "'{\"en\": \"%s\", \"ja\": \"%s\"}') ON CONFLICT DO NOTHING"
                    % (XSS_SCOPE_TEXT, XSS_SCOPE_TEXT))
        self.alice = self.user(name="Alice Flow", email="alice@flow.example",
                               email_verified=True)
        self.bob = self.user(email="bob@flow.example")          # no name, no phone
        add = ctx.add_client
        self.basic = add("flow basic", auth_method="client_secret_basic",
                         redirect_uris=(CALLBACK, RP),
                         post_logout_redirect_uris=("http://127.0.0.1:9/out",),
                         grant_types=CODE_FLOW, scope=SCOPE)
        self.post = add("flow post", auth_method="client_secret_post",
                        redirect_uris=(CALLBACK,), grant_types=CODE_FLOW, scope=SCOPE)
        self.public = add("flow public", type="public", auth_method="none",
                          redirect_uris=(CALLBACK, "http://127.0.0.1/cb", "http://[::1]/cb",
                                         "http://localhost/cb"),
                          grant_types=CODE_FLOW, scope=SCOPE)
        self.nopkce = add("flow no pkce", auth_method="client_secret_basic",
                          redirect_uris=(CALLBACK,), grant_types=CODE_FLOW, scope=SCOPE,
                          pkce=False)
        self.other = add("flow other", auth_method="client_secret_basic",
                         redirect_uris=(CALLBACK,), grant_types=CODE_FLOW, scope=SCOPE)
        self.xss = add(XSS_NAME, auth_method="client_secret_basic",
                       redirect_uris=(CALLBACK,), grant_types=CODE_FLOW,
                       scope="openid profile flowxss")
        self.browsers = {}

    def user(self, **kw):
        """A new user with a random name and password."""
        u = {"username": "u" + secrets.token_hex(5), "password": secrets.token_urlsafe(12)}
        self.ctx.add_user(u["username"], u["password"], **kw)
        return u

    def browser(self, web):
        """A browser in which alice has signed in (kept per web server)."""
        b = self.browsers.get(web.port)
        if b is None:
            b = self.browsers[web.port] = Browser(web)
        return b


_fixtures = {}
_missing = {}


def fx(ctx):
    """The fixtures, after checking (once per web server) that the flow's endpoints
    are there."""
    if ctx.web.port not in _missing:
        answers = {path: ctx.web.get(path) for path in ("/authorize", "/token")}
        _missing[ctx.web.port] = [path for path, resp in answers.items()
                                  if resp.status_code == 404 and "not_found" in resp.text]
    if _missing[ctx.web.port]:
        raise harness.Skip("no %s endpoint yet" % " or ".join(_missing[ctx.web.port]))
    key = (ctx.pg.port, ctx.tree.root)
    if key not in _fixtures:
        _fixtures[key] = Fixtures(ctx)
    return _fixtures[key]


def get_code(ctx, client, user=None, scope="openid profile email", **extra):
    """(code, req, callback params) for client, signed in (and consented) in the
    shared browser."""
    f = fx(ctx)
    req = AuthRequest(client, scope=scope, **extra)
    final = f.browser(ctx.web).sign_in(req, user or f.alice)
    params = callback(final, req.redirect_uri)
    assert "code" in params, "no code in the answer: %r" % params
    return params["code"], req, params


def tokens_for(ctx, client, scope="openid profile email", **extra):
    """A successful token response (dict) and its request."""
    code, req, _ = get_code(ctx, client, scope=scope, **extra)
    resp = redeem(ctx.web, req, code)
    assert resp.status_code == 200, "token request: " + describe(resp)
    return json_body(resp), req


# ------------------------------------------------------------------------ assertions


def assert_error_page(resp, what):
    """An error shown to the person: 400 HTML, and no redirect anywhere (R04)."""
    assert "Location" not in resp.headers, "%s: redirected to %r" % (
        what, resp.headers["Location"])
    assert resp.status_code == 400, "%s: wanted a 400 error page: %s" % (what, describe(resp))
    assert resp.headers.get("Content-Type", "").lower().startswith("text/html"), \
        "%s: error page is not HTML: %s" % (what, describe(resp))


def assert_redirect_error(ctx, resp, req, error, what=""):
    """An error redirected to the client: error, state echoed, iss (R12), no code."""
    params = callback(resp, req.redirect_uri)
    assert params.get("error") == error, "%s: wanted error=%s, got %r" % (what, error, params)
    assert "code" not in params, "%s: a code with an error: %r" % (what, params)
    if req.state is not None:
        assert params.get("state") == req.state, "%s: state %r, sent %r" % (
            what, params.get("state"), req.state)
    assert params.get("iss") == ctx.web.issuer, "%s: iss %r, issuer %r (RFC 9207)" % (
        what, params.get("iss"), ctx.web.issuer)
    return params


def assert_token_error(resp, status, error, what=""):
    assert resp.status_code == status, "%s: status %d, wanted %d: %s" % (
        what, resp.status_code, status, describe(resp))
    body = json_body(resp)
    assert body.get("error") == error, "%s: error %r, wanted %r" % (what, body.get("error"), error)
    return body


def assert_not_frameable(resp, what):
    assert resp.headers.get("X-Frame-Options", "").upper() == "DENY", \
        "%s: X-Frame-Options %r" % (what, resp.headers.get("X-Frame-Options"))
    csp = resp.headers.get("Content-Security-Policy", "")
    assert re.search(r"frame-ancestors\s+('none'|'self')", csp), \
        "%s: Content-Security-Policy %r has no frame-ancestors" % (what, csp)


def assert_no_code(resp, what):
    loc = resp.headers.get("Location", "")
    assert "code=" not in loc, "%s: a code was issued: %s" % (what, describe(resp))
    assert not loc.startswith(CALLBACK), "%s: redirected to the client: %s" % (what, describe(resp))


def discovery(ctx):
    resp = ctx.web.get("/.well-known/openid-configuration")
    assert resp.status_code == 200, describe(resp)
    return json_body(resp)


def login_page(ctx, client, user=None, browser=None, **extra):
    """A fresh browser at the login page of a new request: (browser, page, req)."""
    br = browser or Browser(ctx.web)
    req = AuthRequest(client, **extra)
    page = br.authorize(req.params)
    assert login_form(page) is not None, "no login page: " + describe(page)
    return br, page, req


def consent_page(ctx, client, user, scope="openid profile email"):
    """A fresh browser signed in as user, at the consent page: (browser, page, req)."""
    br, page, req = login_page(ctx, client, scope=scope)
    page = br.walk(br.login(page, user))
    assert consent_form(page) is not None, "no consent page after login: " + describe(page)
    return br, page, req


# ------------------------------------------------------------ real client libraries


def authlib_flow(ctx, client, user):
    """Python authlib: discovery, authorize with PKCE S256 and nonce, the browser part,
    token exchange, id_token checked against the JWKS, userinfo."""
    web = ctx.web
    meta = OpenIDProviderMetadata(discovery(ctx))
    meta.validate()
    assert meta["issuer"] == web.issuer
    sess = OAuth2Session(client["client_id"], client.get("client_secret"),
                         scope="openid profile email", redirect_uri=CALLBACK,
                         code_challenge_method="S256",
                         token_endpoint_auth_method=client["token_endpoint_auth_method"])
    sess.hooks["response"].append(web._record)
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = sess.create_authorization_url(meta["authorization_endpoint"],
                                               code_verifier=verifier, nonce=nonce)
    br = Browser(web)
    final = br.finish(br.request("GET", url), user)
    params = callback(final)
    assert params.get("state") == state and params.get("iss") == web.issuer, params
    token = sess.fetch_token(meta["token_endpoint"], authorization_response=final.headers["Location"],
                             code_verifier=verifier)
    assert token.get("token_type", "").lower() == "bearer", token
    claims = validate_id_token(web, token["id_token"], client["client_id"], nonce,
                               token["access_token"])
    header, _ = jwt_parts(token["id_token"])
    assert header.get("kid"), "id_token header has no kid: %r" % header
    resp = sess.get(meta["userinfo_endpoint"], timeout=15)
    assert resp.status_code == 200, describe(resp)
    info = json_body(resp)
    assert info.get("sub") == claims["sub"], (info, dict(claims))
    assert info.get("email") == "alice@flow.example", info
    br.close()
    sess.close()


def node_flow(ctx, client, user):
    """Node openid-client v6 (oidc_client.mjs) as the client, this browser in between."""
    node = shutil.which("node")
    prefix = os.environ.get("GATEHOUSE_NODE_PREFIX",
                            os.path.join(harness.REPO, "var", "node"))
    if node is None or not os.path.isdir(os.path.join(prefix, "node_modules", "openid-client")):
        raise AssertionError("node or openid-client missing (%s): run dev/deps --test" % prefix)
    opts = {"issuer": ctx.web.issuer, "client_id": client["client_id"],
            "client_secret": client.get("client_secret"),
            "auth_method": client["token_endpoint_auth_method"],
            "redirect_uri": CALLBACK, "scope": "openid profile email"}
    p = subprocess.Popen([node, NODE_SCRIPT, json.dumps(opts)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, GATEHOUSE_NODE_PREFIX=prefix))
    try:
        first = p.stdout.readline()
        try:
            start = json.loads(first)
        except ValueError:
            raise AssertionError("oidc_client.mjs said %r; stderr %r" % (
                first, p.stderr.read()[-2000:]))
        assert "authorization_url" in start, "oidc_client.mjs: %r" % start
        url = start["authorization_url"]
        assert url.startswith(ctx.web.issuer + "/authorize?"), url
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        assert q.get("code_challenge_method") == "S256" and q.get("nonce"), q
        br = Browser(ctx.web)
        final = br.finish(br.request("GET", url), user)
        callback(final)
        out, err = p.communicate(final.headers["Location"] + "\n", timeout=60)
        br.close()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    lines = out.strip().splitlines()
    assert lines, "oidc_client.mjs printed nothing; stderr %r" % err[-2000:]
    result = json.loads(lines[-1])
    assert result.get("ok"), "openid-client failed at %s: %s (%s) cause=%s" % (
        result.get("step"), result.get("error"), result.get("code"), result.get("cause"))
    claims = result["claims"]
    assert claims["iss"] == ctx.web.issuer and claims.get("nonce") == start["nonce"], claims
    assert result["userinfo"]["sub"] == claims["sub"], result
    assert result["id_token_header"].get("kid"), result["id_token_header"]
    assert result["token_type"].lower() == "bearer", result


def test_authlib_flow_client_secret_basic(ctx):
    f = fx(ctx)
    authlib_flow(ctx, f.basic, f.alice)


def test_authlib_flow_client_secret_post(ctx):
    f = fx(ctx)
    authlib_flow(ctx, f.post, f.alice)


def test_authlib_flow_public_client(ctx):
    f = fx(ctx)
    authlib_flow(ctx, f.public, f.alice)


def test_openid_client_flow_client_secret_basic(ctx):
    f = fx(ctx)
    node_flow(ctx, f.basic, f.alice)


def test_openid_client_flow_client_secret_post(ctx):
    f = fx(ctx)
    node_flow(ctx, f.post, f.alice)


def test_openid_client_flow_public_client(ctx):
    f = fx(ctx)
    node_flow(ctx, f.public, f.alice)


# ---------------------------------------------------- A. /authorize and redirect URIs


@only(*ROWS)
def test_r01_redirect_uri_variants_get_400_page_without_location(ctx):
    f = fx(ctx)
    for uri in (RP + "/", RP + "?x=1", "https://RP.example/cb", "https://rp.example/c%62",
                RP + "#f", RP + "/../cb", RP + "/extra", "https://rp.example/", "https://rp.example",
                "http://rp.example/cb", "https://rp.example:443/cb", RP + "%20", " " + RP):
        req = AuthRequest(f.basic, redirect_uri=uri)
        assert_error_page(Browser(ctx.web).authorize(req.params), "redirect_uri=%r" % uri)


@only(*ROWS)
def test_r01_registered_redirect_uri_exactly_gets_a_code(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, redirect_uri=RP)
    params = callback(f.browser(ctx.web).sign_in(req, f.alice), RP)
    assert "code" in params, params
    assert redeem(ctx.web, req, params["code"]).status_code == 200


@only(*ROWS)
def test_r02_loopback_redirect_may_vary_the_port_only(ctx):
    f = fx(ctx)
    br = f.browser(ctx.web)
    for uri in ("http://127.0.0.1:53124/cb", "http://[::1]:53125/cb"):
        req = AuthRequest(f.public, redirect_uri=uri)
        params = callback(br.sign_in(req, f.alice), uri)
        assert "code" in params, (uri, params)
        resp = redeem(ctx.web, req, params["code"])
        assert resp.status_code == 200, "redeem with %s: %s" % (uri, describe(resp))
    for uri in ("http://127.0.0.1:53124/other", "http://127.0.0.1:53124/cb/",
                "http://localhost:53124/cb", "http://127.0.0.2:53124/cb",
                "https://127.0.0.1:53124/cb"):
        req = AuthRequest(f.public, redirect_uri=uri)
        assert_error_page(br.authorize(req.params), "redirect_uri=%r" % uri)


@only(*ROWS)
def test_r04_unknown_missing_or_disabled_client_gets_error_page(ctx):
    f = fx(ctx)
    br = Browser(ctx.web)
    assert_error_page(br.authorize(AuthRequest(dict(f.basic, client_id="no-such-client")).params),
                      "unknown client_id")
    assert_error_page(br.authorize(AuthRequest(f.basic, client_id=None).params),
                      "no client_id")
    assert_error_page(br.authorize(AuthRequest(f.basic, redirect_uri="https://evil.example/cb").params),
                      "unregistered redirect_uri")
    off = ctx.add_client("flow disabled", auth_method="client_secret_basic",
                         redirect_uris=(CALLBACK,), grant_types=CODE_FLOW, scope=SCOPE)
    p = ctx.cli("client", "disable", off["client_id"])
    assert p.returncode == 0, p.stderr
    assert_error_page(br.authorize(AuthRequest(off).params), "disabled client")


@only(*ROWS)
def test_r05_openid_request_without_redirect_uri_gets_error_page(ctx):
    f = fx(ctx)
    for client in (f.post, f.basic):      # one registered URI, and two
        req = AuthRequest(client, redirect_uri=None)
        assert_error_page(Browser(ctx.web).authorize(req.params),
                          "scope=openid without redirect_uri (%s)" % client["client_id"])


@only(*ROWS)
def test_r05_plain_oauth_without_redirect_uri_needs_a_single_registered_uri(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, redirect_uri=None, scope="profile", nonce=None)
    assert_error_page(Browser(ctx.web).authorize(req.params), "two URIs, none chosen")
    req = AuthRequest(f.post, redirect_uri=None, scope="profile", nonce=None)
    resp = Browser(ctx.web).authorize(req.params)
    assert login_form(resp) is not None, "one registered URI: wanted the login page: " + describe(resp)


@only(*ROWS)
def test_r08_post_authorize_behaves_like_get(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic)
    resp = Browser(ctx.web).request("POST", ctx.web.url("/authorize"), data=req.params)
    assert resp.status_code == 303, "POST /authorize: " + describe(resp)
    assert Browser(ctx.web).request("GET", ctx.web.url("/authorize"),
                                    params=req.params).status_code == 303
    req = AuthRequest(f.basic)
    params = callback(f.browser(ctx.web).sign_in(req, f.alice, method="POST"))
    assert params.get("state") == req.state and "code" in params, params
    assert redeem(ctx.web, req, params["code"]).status_code == 200


@only(*ROWS)
def test_r09_unknown_parameter_is_ignored(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic, foo="bar", claims_locales="en", display="page")
    assert redeem(ctx.web, req, code).status_code == 200


@only(*ROWS)
def test_r09_empty_state_is_absent_in_the_answer(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, state="")
    params = callback(f.browser(ctx.web).sign_in(req, f.alice))
    assert "code" in params, params
    assert "state" not in params, "state= (empty) came back as %r" % params.get("state")


@only(*ROWS)
def test_r09_repeated_parameter_is_invalid_request(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic)
    pairs = list(req.params.items())
    for name, value in (("scope", "email"), ("state", "other"), ("code_challenge", s256("x" * 43))):
        resp = Browser(ctx.web).authorize(pairs + [(name, value)])
        assert_no_code(resp, "%s repeated" % name)
        if resp.status_code in (302, 303):
            assert callback(resp).get("error") == "invalid_request", describe(resp)
        else:
            assert resp.status_code == 400, "%s repeated: %s" % (name, describe(resp))
            assert "invalid_request" in resp.text, describe(resp)
    resp = Browser(ctx.web).authorize(pairs + [("client_id", f.basic["client_id"])])
    assert_error_page(resp, "client_id repeated")


@only(*ROWS)
def test_r10_response_type_token_is_redirected_unsupported_response_type(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, response_type="token")
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                          "unsupported_response_type", "response_type=token")


@only(*ROWS)
def test_r10_missing_response_type_is_invalid_request(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, response_type=None)
    resp = Browser(ctx.web).authorize(req.params)
    if resp.status_code in (302, 303):
        assert_redirect_error(ctx, resp, req, "invalid_request", "no response_type")
    else:
        assert_error_page(resp, "no response_type")


@only(*ROWS)
def test_r11_state_comes_back_byte_identical(ctx):
    f = fx(ctx)
    state = "a b+c&d=e/f?g#h%25i~é☃"
    req = AuthRequest(f.basic, state=state)
    params = callback(f.browser(ctx.web).sign_in(req, f.alice))
    assert params.get("state") == state, "state %r came back as %r" % (state, params.get("state"))
    req = AuthRequest(f.basic, state=state, response_type="token")
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                          "unsupported_response_type", "state on an error")


@only(*ROWS)
def test_r12_iss_on_success_deny_and_login_required(ctx):
    f = fx(ctx)
    assert discovery(ctx).get("authorization_response_iss_parameter_supported") is True
    _, _, params = get_code(ctx, f.basic)
    assert params.get("iss") == ctx.web.issuer, "success without iss: %r" % params
    br, page, req = consent_page(ctx, f.basic, f.user())
    assert_redirect_error(ctx, br.consent(page, "deny"), req, "access_denied", "deny")
    req = AuthRequest(f.basic, prompt="none")
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                          "login_required", "prompt=none without a session")


@only(*ROWS)
def test_r13_unknown_scope_is_invalid_scope_or_dropped(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, scope="openid bogus")
    resp = f.browser(ctx.web).sign_in(req, f.alice)
    params = callback(resp)
    if "error" in params:
        assert_redirect_error(ctx, resp, req, "invalid_scope", "scope=openid bogus")
    else:
        tok = json_body(redeem(ctx.web, req, params["code"]))
        assert "bogus" not in tok.get("scope", "").split(), tok
        assert tok.get("scope") == "openid", "granted %r for openid bogus" % tok.get("scope")


@only(*ROWS)
def test_r13_no_scope_is_a_default_or_invalid_scope(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, scope=None, nonce=None)
    resp = f.browser(ctx.web).sign_in(req, f.alice)
    params = callback(resp)
    if "error" in params:
        assert_redirect_error(ctx, resp, req, "invalid_scope", "no scope")
    else:
        tok = json_body(redeem(ctx.web, req, params["code"]))
        assert "access_token" in tok, tok


@only(*ROWS)
def test_r53_scope_the_client_may_not_ask_for_is_invalid_scope(ctx):
    f = fx(ctx)
    req = AuthRequest(f.xss, scope="openid email")          # xss may not ask for email
    assert_redirect_error(ctx, f.browser(ctx.web).authorize(req.params), req,
                          "invalid_scope", "unallowed scope")


@only(*ROWS)
def test_r14_no_cors_on_authorize_login_and_consent(ctx):
    f = fx(ctx)
    origin = {"Origin": "https://rp.example"}
    br, page, req = consent_page(ctx, f.basic, f.user())
    seen = [br.request("GET", ctx.web.url("/authorize"), params=req.params, headers=origin),
            br.request("OPTIONS", ctx.web.url("/authorize"),
                       headers=dict(origin, **{"Access-Control-Request-Method": "POST"})),
            br.request("GET", page.url, headers=origin),
            br.request("GET", ctx.web.url("/login"), headers=origin)]
    for resp in seen:
        for h in ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"):
            assert h not in resp.headers, "%s sends %s" % (describe(resp), h)


@only(*ROWS)
def test_r15_authorize_login_and_consent_pages_cannot_be_framed(ctx):
    f = fx(ctx)
    bad = Browser(ctx.web).authorize(AuthRequest(f.basic, redirect_uri=RP + "/x").params)
    assert_not_frameable(bad, "authorize error page")
    br, page, req = login_page(ctx, f.basic)
    assert_not_frameable(page, "login page")
    page = br.walk(br.login(page, f.user()))
    assert consent_form(page) is not None, describe(page)
    assert_not_frameable(page, "consent page")
    fp = AuthRequest(f.basic, response_mode="form_post")
    resp = f.browser(ctx.web).sign_in(fp, f.alice)
    assert_not_frameable(resp, "form_post page")


@only(*ROWS)
def test_r16_consent_post_without_csrf_is_403_and_no_code(ctx):
    f = fx(ctx)
    br, page, req = consent_page(ctx, f.basic, f.user())
    resp = br.consent(page, "allow", csrf=None)
    assert resp.status_code == 403, "consent without csrf: " + describe(resp)
    assert_no_code(resp, "consent without csrf")
    resp = br.consent(page, "allow", csrf="x" * 43)
    assert resp.status_code == 403, "consent with a made-up csrf: " + describe(resp)
    assert_no_code(resp, "consent with a made-up csrf")


@only(*ROWS)
def test_r16_consent_post_with_csrf_of_another_session_is_403(ctx):
    f = fx(ctx)
    br_a, page_a, _ = consent_page(ctx, f.basic, f.user())
    br_b, page_b, _ = consent_page(ctx, f.basic, f.user())
    csrf_a = dict(consent_form(page_a).fields)["csrf"]
    resp = br_b.consent(page_b, "allow", csrf=csrf_a)
    assert resp.status_code == 403, "csrf of another session: " + describe(resp)
    assert_no_code(resp, "csrf of another session")
    req_a = dict(consent_form(page_a).fields).get("req")
    if req_a is not None:
        resp = br_b.consent(page_b, "allow", req=req_a, csrf=csrf_a)
        assert resp.status_code in (400, 403, 404), \
            "another session's request and csrf: " + describe(resp)
        assert_no_code(resp, "another session's request and csrf")


@only(*ROWS)
def test_r16_get_cannot_approve_consent(ctx):
    f = fx(ctx)
    br, page, req = consent_page(ctx, f.basic, f.user())
    form = consent_form(page)
    resp = br.request("GET", form.action, params=form.data(decision="allow"))
    assert_no_code(resp, "GET /consent with decision=allow")
    assert resp.status_code in (200, 400, 403, 405), describe(resp)


@only(*ROWS)
def test_login_post_without_or_with_wrong_csrf_is_refused(ctx):
    f = fx(ctx)
    user = f.user()
    for csrf in (None, "wrong-" + secrets.token_urlsafe(20)):
        br, page, req = login_page(ctx, f.basic)
        resp = br.login(page, user, csrf=csrf)
        assert resp.status_code in (400, 403), "login with csrf=%r: %s" % (csrf, describe(resp))
        assert_no_code(resp, "login with csrf=%r" % csrf)
        again = br.authorize(req.params)
        assert login_form(again) is not None, \
            "signed in despite a bad csrf (csrf=%r): %s" % (csrf, describe(again))


@only(*ROWS)
def test_r17_login_and_consent_posts_answer_303(ctx):
    f = fx(ctx)
    br, page, req = login_page(ctx, f.basic)
    resp = br.login(page, f.user())
    assert resp.status_code == 303, "POST /login: " + describe(resp)
    page = br.walk(resp)
    resp = br.consent(page, "allow")
    assert resp.status_code in (302, 303), "POST /consent: " + describe(resp)
    assert "code" in callback(resp)


@only(*ROWS)
def test_r18_login_and_consent_pages_send_no_referrer(ctx):
    f = fx(ctx)
    br, page, req = login_page(ctx, f.basic)
    pages = [page, br.walk(br.login(page, f.user()))]
    for p in pages:
        assert p.headers.get("Referrer-Policy", "").lower() in ("no-referrer", "strict-origin"), \
            "%s: Referrer-Policy %r" % (describe(p), p.headers.get("Referrer-Policy"))


@once
def test_r18_default_templates_load_nothing_from_other_origins(ctx):
    external = re.compile(r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*"""
                          r"""(?:[a-z][a-z0-9+.-]*:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)"""
                          r"""|(?:@import\s+["']?(?:https?:)?//)""", re.I)
    found = []
    for d in (ctx.tree.templates, ctx.tree.htdocs):
        for root, _, files in os.walk(d):
            for name in files:
                if not name.endswith((".cs", ".css", ".html", ".js", ".hdf")):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    for n, line in enumerate(fh, 1):
                        if external.search(line):
                            found.append("%s:%d: %s" % (os.path.relpath(path, ctx.tree.root),
                                                        n, line.strip()[:120]))
    assert not found, "templates refer to other origins:\n" + "\n".join(found)


@only(*ROWS)
def test_r19_spoofed_host_headers_change_no_location_iss_or_id_token(ctx):
    f = fx(ctx)
    spoof = {"Host": "evil.example", "X-Forwarded-Host": "evil.example",
             "X-Forwarded-Proto": "https", "Forwarded": "host=evil.example;proto=https"}
    br = Browser(ctx.web, headers=spoof)
    req = AuthRequest(f.basic)
    first = br.request("GET", ctx.web.url("/authorize"), params=req.params)
    assert "evil" not in first.headers.get("Location", ""), describe(first)
    params = callback(br.finish(first, f.user()))
    assert params.get("iss") == ctx.web.issuer, params
    resp = redeem(ctx.web, req, params["code"], session=br.s)
    assert resp.status_code == 200, describe(resp)
    claims = validate_id_token(ctx.web, json_body(resp)["id_token"], f.basic["client_id"], req.nonce)
    assert claims["iss"] == ctx.web.issuer


# ------------------------------------------------------------------------- B. PKCE


@only(*ROWS)
def test_r21_public_client_without_pkce_is_invalid_request(ctx):
    f = fx(ctx)
    req = AuthRequest(f.public, pkce=False)
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req, "invalid_request",
                          "public client without code_challenge")


@only(*ROWS)
def test_r22_plain_method_and_missing_method_are_invalid_request(ctx):
    f = fx(ctx)
    for client in (f.public, f.basic):
        req = AuthRequest(client, code_challenge_method="plain")
        req.params["code_challenge"] = req.verifier
        assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                              "invalid_request", "code_challenge_method=plain")
        req = AuthRequest(client, code_challenge_method=None)
        assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                              "invalid_request", "code_challenge without method")
        req = AuthRequest(client, code_challenge_method="S512")
        assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                              "invalid_request", "code_challenge_method=S512")


@only(*ROWS)
def test_r23_malformed_challenge_is_invalid_request(ctx):
    f = fx(ctx)
    for challenge in ("short", s256("x" * 43)[:42], s256("x" * 43) + "A",
                      s256("x" * 43)[:-1] + "+", s256("x" * 43)[:-1] + "="):
        req = AuthRequest(f.public, code_challenge=challenge)
        assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                              "invalid_request", "code_challenge=%r" % challenge)


@only(*ROWS)
def test_r23_malformed_verifier_is_refused(ctx):
    f = fx(ctx)
    for verifier in ("a" * 42, "a" * 42 + "+", "a" * 129):
        code, req, _ = get_code(ctx, f.public, code_challenge=s256(verifier))
        resp = redeem(ctx.web, req, code, code_verifier=verifier)
        assert resp.status_code == 400, "verifier %r: %s" % (verifier, describe(resp))
        assert json_body(resp).get("error") in ("invalid_grant", "invalid_request"), describe(resp)


@only(*ROWS)
def test_r24_verifier_without_challenge_is_invalid_grant(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.nopkce, pkce=False)
    assert_token_error(redeem(ctx.web, req, code, code_verifier="x" * 43), 400, "invalid_grant",
                       "code_verifier for a code without challenge (downgrade)")


@only(*ROWS)
def test_r25_missing_or_wrong_verifier_is_invalid_grant(ctx):
    f = fx(ctx)
    for client in (f.public, f.basic):
        code, req, _ = get_code(ctx, client)
        assert_token_error(redeem(ctx.web, req, code, code_verifier=None), 400, "invalid_grant",
                           "no code_verifier")
        code, req, _ = get_code(ctx, client)
        assert_token_error(redeem(ctx.web, req, code, code_verifier=secrets.token_urlsafe(48)),
                           400, "invalid_grant", "wrong code_verifier")


@only(*ROWS)
def test_r27_no_pkce_client_succeeds_without_challenge(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.nopkce, pkce=False)
    resp = redeem(ctx.web, req, code, code_verifier=None)
    assert resp.status_code == 200, "no-PKCE client without verifier: " + describe(resp)
    validate_id_token(ctx.web, json_body(resp)["id_token"], f.nopkce["client_id"], req.nonce)


@only(*ROWS)
def test_r27_pkce_client_without_challenge_is_invalid_request(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, pkce=False)
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req, "invalid_request",
                          "confidential client requiring PKCE, no challenge")


@only(*ROWS)
def test_r27_no_pkce_client_sending_pkce_is_held_to_it(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.nopkce)
    assert_token_error(redeem(ctx.web, req, code, code_verifier=None), 400, "invalid_grant",
                       "challenge sent, verifier missing")


# --------------------------------------------------------------------------- C. codes


@only(*ROWS)
def test_r28_code_reuse_is_invalid_grant_and_revokes_first_tokens(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic, scope="openid profile offline_access")
    first = redeem(ctx.web, req, code)
    assert first.status_code == 200, describe(first)
    tok = json_body(first)
    assert userinfo(ctx.web, tok["access_token"]).status_code == 200
    assert_token_error(redeem(ctx.web, req, code), 400, "invalid_grant", "second use of a code")
    resp = userinfo(ctx.web, tok["access_token"])
    assert resp.status_code == 401, "first access token still works after code reuse: " + describe(resp)
    if "refresh_token" in tok:
        # Until the refresh grant is advertised, unsupported_grant_type will do.
        refresh = "refresh_token" in discovery(ctx).get("grant_types_supported", [])
        resp = token_request(ctx.web, f.basic, {"grant_type": "refresh_token",
                                                "refresh_token": tok["refresh_token"]})
        assert_token_error(resp, 400, "invalid_grant" if refresh else json_body(resp).get("error"),
                           "first refresh token after code reuse")
        assert json_body(resp).get("error") in ("invalid_grant", "unsupported_grant_type")


@only(*ROWS)
def test_r29_another_clients_code_is_invalid_grant(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    resp = token_request(ctx.web, f.other, {"grant_type": "authorization_code", "code": code,
                                            "redirect_uri": CALLBACK,
                                            "code_verifier": req.verifier})
    assert_token_error(resp, 400, "invalid_grant", "client B redeems A's code")


@only(*ROWS)
def test_r30_different_or_missing_redirect_uri_is_invalid_grant(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    assert_token_error(redeem(ctx.web, req, code, redirect_uri=RP), 400, "invalid_grant",
                       "another registered redirect_uri")
    code, req, _ = get_code(ctx, f.basic)
    assert_token_error(redeem(ctx.web, req, code, redirect_uri=None), 400, "invalid_grant",
                       "no redirect_uri")
    code, req, _ = get_code(ctx, f.basic)
    assert_token_error(redeem(ctx.web, req, code, redirect_uri=CALLBACK + "/"), 400,
                       "invalid_grant", "redirect_uri with a trailing slash")


@only("lighttpd")
def test_r31_expired_code_is_invalid_grant(ctx):
    f = fx(ctx)
    rundir = os.path.join(ctx.workdir, "short-codes")
    web = harness.WebServer(ctx.flavour, rundir, ctx.tree, None)
    web.config_path = harness.write_config(
        ctx.tmp("short-codes.hdf"), web.issuer, ctx.pg, ctx.tree, ctx.key_file,
        **{"Tokens.CodeLifetime": 1})
    web.start()
    try:
        br = Browser(web)
        req = AuthRequest(f.basic)
        params = callback(br.sign_in(req, f.alice))
        resp = redeem(web, req, params["code"])
        assert resp.status_code == 200, "a fresh code, at once: " + describe(resp)
        req = AuthRequest(f.basic)
        params = callback(br.sign_in(req, f.alice))
        time.sleep(2.2)
        assert_token_error(redeem(web, req, params["code"]), 400, "invalid_grant",
                           "a code 2 s old with Tokens.CodeLifetime = 1")
        assert not web.crash_lines()
    finally:
        web.stop()


@only(*ROWS)
def test_r32_concurrent_redemptions_exactly_one_wins(ctx):
    f = fx(ctx)
    for _ in range(3):
        code, req, _ = get_code(ctx, f.basic)
        barrier = threading.Barrier(2)

        def go(_):
            barrier.wait()
            return redeem(ctx.web, req, code, session=requests)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(go, range(2)))
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [200, 400], "two redemptions at once: %s" % [describe(r) for r in answers]
        loser = [r for r in answers if r.status_code == 400][0]
        assert json_body(loser).get("error") == "invalid_grant", describe(loser)
        winner = json_body([r for r in answers if r.status_code == 200][0])
        resp = userinfo(ctx.web, winner["access_token"])
        assert resp.status_code == 401, \
            "the winner's access token survived the second use of its code: " + describe(resp)


# -------------------------------------------------------------------------- D. /token


@only(*ROWS)
def test_r33_get_token_is_refused_with_json_error(ctx):
    resp = ctx.web.get("/token?grant_type=authorization_code&code=x")
    assert resp.status_code in (400, 405), describe(resp)
    assert json_body(resp).get("error"), describe(resp)


@only(*ROWS)
def test_r33_json_body_works_and_duplicate_member_is_invalid_request(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    auth = {"Authorization": basic_auth(f.basic["client_id"], f.basic["client_secret"]),
            "Content-Type": "application/json"}
    body = ('{"grant_type":"authorization_code","code":%s,"redirect_uri":%s,'
            '"code_verifier":%s,"grant_type":"authorization_code"}'
            % (json.dumps(code), json.dumps(CALLBACK), json.dumps(req.verifier)))
    assert_token_error(ctx.web.request("POST", "/token", data=body, headers=auth), 400,
                       "invalid_request", "JSON body with a duplicate member")
    code, req, _ = get_code(ctx, f.basic)
    body = json.dumps({"grant_type": "authorization_code", "code": code,
                       "redirect_uri": CALLBACK, "code_verifier": req.verifier})
    resp = ctx.web.request("POST", "/token", data=body, headers=auth)
    assert resp.status_code == 200, "JSON body (decided: accepted): " + describe(resp)


@only(*ROWS)
def test_r34_duplicate_parameter_is_invalid_request_extra_is_ignored(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    body = urllib.parse.urlencode([("grant_type", "authorization_code"), ("code", code),
                                   ("redirect_uri", CALLBACK), ("code_verifier", req.verifier),
                                   ("grant_type", "authorization_code")])
    resp = ctx.web.request("POST", "/token", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": basic_auth(f.basic["client_id"], f.basic["client_secret"])})
    assert_token_error(resp, 400, "invalid_request", "grant_type twice")
    code, req, _ = get_code(ctx, f.basic)
    resp = redeem(ctx.web, req, code, foo="1", bar="")
    assert resp.status_code == 200, "unknown parameters: " + describe(resp)


@only(*ROWS)
def test_r34_empty_verifier_counts_as_missing(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    resp = redeem(ctx.web, req, code, code_verifier="")
    assert resp.status_code == 400, describe(resp)
    assert json_body(resp).get("error") in ("invalid_grant", "invalid_request"), describe(resp)


@only(*ROWS)
def test_r35_token_response_fields_and_headers(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic, scope="openid profile email")
    resp = redeem(ctx.web, req, code)
    assert resp.status_code == 200, describe(resp)
    assert "no-store" in resp.headers.get("Cache-Control", ""), resp.headers
    tok = json_body(resp)
    assert isinstance(tok.get("access_token"), str) and tok["access_token"], tok
    assert tok.get("token_type", "").lower() == "bearer", tok
    assert isinstance(tok.get("expires_in"), int) and tok["expires_in"] > 0, tok
    scopes = tok.get("scope", "")
    assert isinstance(scopes, str) and sorted(scopes.split(" ")) == ["email", "openid", "profile"], \
        "scope %r" % scopes
    assert isinstance(tok.get("id_token"), str), tok


@only(*ROWS)
def test_r36_wrong_secret_basic_is_401_with_www_authenticate(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    wrong = dict(f.basic, client_secret="wrong-" + secrets.token_urlsafe(16))
    resp = token_request(ctx.web, wrong, {"grant_type": "authorization_code", "code": code,
                                          "redirect_uri": CALLBACK, "code_verifier": req.verifier})
    body = assert_token_error(resp, 401, "invalid_client", "wrong Basic secret")
    assert resp.headers.get("WWW-Authenticate", "").lower().startswith("basic"), resp.headers
    for secret in (wrong["client_secret"], f.basic["client_secret"]):
        assert secret not in resp.text, "the secret is echoed: %r" % body


@only(*ROWS)
def test_r36_wrong_secret_post_is_invalid_client(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.post)
    wrong = dict(f.post, client_secret="wrong-" + secrets.token_urlsafe(16))
    resp = token_request(ctx.web, wrong, {"grant_type": "authorization_code", "code": code,
                                          "redirect_uri": CALLBACK, "code_verifier": req.verifier})
    assert_token_error(resp, 401, "invalid_client", "wrong client_secret in the body")
    assert wrong["client_secret"] not in resp.text


@only(*ROWS)
def test_r36_unknown_or_missing_grant_type(ctx):
    f = fx(ctx)
    assert_token_error(token_request(ctx.web, f.basic, {"grant_type": "foo"}), 400,
                       "unsupported_grant_type", "grant_type=foo")
    assert_token_error(token_request(ctx.web, f.basic, {"code": "x"}), 400,
                       "invalid_request", "no grant_type")


@only(*ROWS)
def test_r37_basic_credentials_are_form_urldecoded(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    enc = lambda s: "".join("%%%02X" % b for b in s.encode())  # noqa: E731
    header = "Basic " + base64.b64encode(("%s:%s" % (enc(f.basic["client_id"]),
                                                      enc(f.basic["client_secret"]))).encode()).decode()
    resp = ctx.web.request("POST", "/token", headers={"Authorization": header}, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
        "code_verifier": req.verifier})
    assert resp.status_code == 200, "percent-encoded Basic credentials: " + describe(resp)


@only(*ROWS)
def test_r38_two_authentication_methods_at_once_are_refused(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    resp = redeem(ctx.web, req, code, client_id=f.basic["client_id"],
                  client_secret=f.basic["client_secret"])
    assert resp.status_code in (400, 401), "Basic and client_secret in the body: " + describe(resp)
    assert json_body(resp).get("error") in ("invalid_request", "invalid_client"), describe(resp)


@only(*ROWS)
def test_r38_registered_method_is_enforced(ctx):
    f = fx(ctx)
    code, req, _ = get_code(ctx, f.basic)
    resp = redeem(ctx.web, req, code, auth="client_secret_post")
    assert_token_error(resp, 401, "invalid_client", "basic client authenticating by post")
    code, req, _ = get_code(ctx, f.post)
    resp = token_request(ctx.web, f.post, {"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": CALLBACK, "code_verifier": req.verifier},
                         auth="client_secret_basic")
    assert_token_error(resp, 401, "invalid_client", "post client authenticating by Basic")


@only(*ROWS)
def test_r40_confidential_client_without_secret_is_invalid_client(ctx):
    f = fx(ctx)
    for client in (f.basic, f.post):
        code, req, _ = get_code(ctx, client)
        assert_token_error(redeem(ctx.web, req, code, auth="none"), 401, "invalid_client",
                           "confidential client sending only client_id")


@only(*ROWS)
def test_r103_password_grant_is_unsupported(ctx):
    f = fx(ctx)
    resp = token_request(ctx.web, f.basic, {"grant_type": "password",
                                            "username": f.alice["username"],
                                            "password": f.alice["password"]})
    assert_token_error(resp, 400, "unsupported_grant_type", "grant_type=password")


# ---------------------------------------------------------------------- G. userinfo


@only(*ROWS)
def test_r56_userinfo_by_get_and_post_header_not_query(ctx):
    f = fx(ctx)
    tok, _ = tokens_for(ctx, f.basic)
    at = tok["access_token"]
    for method in ("GET", "POST"):
        resp = userinfo(ctx.web, at, method)
        assert resp.status_code == 200, "%s /userinfo: %s" % (method, describe(resp))
        assert "sub" in json_body(resp)
    resp = ctx.web.get("/userinfo", params={"access_token": at})
    assert resp.status_code == 401, "?access_token= was accepted: " + describe(resp)


@only(*ROWS)
def test_r57_userinfo_errors_and_www_authenticate(ctx):
    f = fx(ctx)
    resp = ctx.web.get("/userinfo")
    assert resp.status_code == 401, describe(resp)
    www = resp.headers.get("WWW-Authenticate", "")
    assert www.lower().startswith("bearer") and "error=" not in www, "no token: %r" % www
    resp = userinfo(ctx.web, "gh_" + secrets.token_urlsafe(32))
    assert resp.status_code == 401, describe(resp)
    assert 'error="invalid_token"' in resp.headers.get("WWW-Authenticate", ""), resp.headers
    tok, _ = tokens_for(ctx, f.basic, scope="profile email", nonce=None)
    resp = userinfo(ctx.web, tok["access_token"])
    assert resp.status_code == 403, "token without openid: " + describe(resp)
    assert 'error="insufficient_scope"' in resp.headers.get("WWW-Authenticate", ""), resp.headers


@only(*ROWS)
def test_r58_userinfo_sub_equals_id_token_sub(ctx):
    f = fx(ctx)
    tok, req = tokens_for(ctx, f.post)
    claims = validate_id_token(ctx.web, tok["id_token"], f.post["client_id"], req.nonce)
    assert json_body(userinfo(ctx.web, tok["access_token"]))["sub"] == claims["sub"]


@only(*ROWS)
def test_r59_claims_follow_scopes_and_absent_ones_are_omitted(ctx):
    f = fx(ctx)
    br = Browser(ctx.web)
    req = AuthRequest(f.basic, scope="openid profile email")
    params = callback(br.sign_in(req, f.bob))
    info = json_body(userinfo(ctx.web, json_body(redeem(ctx.web, req, params["code"]))["access_token"]))
    assert info.get("email") == "bob@flow.example", info
    for k, v in info.items():
        assert v is not None and v != "", "userinfo has %s=%r: omit it instead" % (k, v)
    assert "name" not in info and "phone_number" not in info, info
    tok, _ = tokens_for(ctx, f.basic, scope="openid")
    info = json_body(userinfo(ctx.web, tok["access_token"]))
    assert "email" not in info and "name" not in info, "openid alone released %r" % info
    tok, _ = tokens_for(ctx, f.basic, scope="openid profile email")
    info = json_body(userinfo(ctx.web, tok["access_token"]))
    assert info.get("name") == "Alice Flow" and info.get("email_verified") is True, info


# ----------------------------------------------------------------- I. id_token, OIDC


@only(*ROWS)
def test_r64_r66_r67_id_token_claims_signature_and_at_hash(ctx):
    f = fx(ctx)
    tok, req = tokens_for(ctx, f.basic)
    header, _ = jwt_parts(tok["id_token"])
    assert header.get("alg") == "RS256" and header.get("kid"), header
    assert header["kid"] in {k["kid"] for k in ctx.web.get("/jwks").json()["keys"]}
    claims = validate_id_token(ctx.web, tok["id_token"], f.basic["client_id"], req.nonce,
                               tok["access_token"])
    for k in ("iss", "sub", "aud", "exp", "iat"):
        assert k in claims, "id_token lacks %s: %r" % (k, dict(claims))
    sub = claims["sub"]
    assert isinstance(sub, str) and 0 < len(sub) <= 255 and sub.isascii(), sub
    assert claims["exp"] > claims["iat"] >= time.time() - 60
    if "at_hash" in claims:
        assert claims["at_hash"] == half_hash(tok["access_token"], header["alg"])
    tok2, req2 = tokens_for(ctx, f.basic)
    assert validate_id_token(ctx.web, tok2["id_token"], f.basic["client_id"], req2.nonce)["sub"] == sub
    assert "RS256" in discovery(ctx)["id_token_signing_alg_values_supported"]


@only(*ROWS)
def test_r65_nonce_echoed_and_optional(ctx):
    f = fx(ctx)
    tok, req = tokens_for(ctx, f.basic, nonce="abc")
    assert jwt_parts(tok["id_token"])[1].get("nonce") == "abc"
    tok, req = tokens_for(ctx, f.basic, nonce=None)
    claims = validate_id_token(ctx.web, tok["id_token"], f.basic["client_id"])
    assert "nonce" not in claims, "nonce %r without one in the request" % claims.get("nonce")


@only(*ROWS)
def test_r68_prompt_none_without_session_is_login_required(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, prompt="none")
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req, "login_required",
                          "prompt=none, no session")


@only(*ROWS)
def test_r68_prompt_none_with_session_gets_a_code_without_ui(ctx):
    f = fx(ctx)
    get_code(ctx, f.basic)           # signed in, consented
    req = AuthRequest(f.basic, prompt="none")
    resp = f.browser(ctx.web).authorize(req.params)
    params = callback(resp)
    assert "code" in params and params.get("iss") == ctx.web.issuer, params
    assert redeem(ctx.web, req, params["code"]).status_code == 200


@only(*ROWS)
def test_r68_prompt_none_without_consent_is_consent_required(ctx):
    f = fx(ctx)
    user = f.user()
    br = Browser(ctx.web)
    callback(br.sign_in(AuthRequest(f.basic), user))          # signed in, basic consented
    req = AuthRequest(f.other, prompt="none")
    assert_redirect_error(ctx, br.authorize(req.params), req, "consent_required",
                          "prompt=none for a client not consented to")


@only(*ROWS)
def test_r69_prompt_login_forces_a_new_sign_in(ctx):
    f = fx(ctx)
    user = f.user()
    br = Browser(ctx.web)
    req = AuthRequest(f.basic)
    first = json_body(redeem(ctx.web, req, callback(br.sign_in(req, user))["code"]))
    t1 = jwt_parts(first["id_token"])[1].get("auth_time")
    time.sleep(1.1)
    req = AuthRequest(f.basic, prompt="login")
    page = br.authorize(req.params)
    assert login_form(page) is not None, "prompt=login with a session: " + describe(page)
    tok = json_body(redeem(ctx.web, req, callback(br.finish(page, user))["code"]))
    t2 = jwt_parts(tok["id_token"])[1].get("auth_time")
    assert isinstance(t2, int) and (t1 is None or t2 > t1), "auth_time %r then %r" % (t1, t2)


@only(*ROWS)
def test_r69_prompt_none_with_another_value_is_invalid_request(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, prompt="none login")
    assert_redirect_error(ctx, f.browser(ctx.web).authorize(req.params), req, "invalid_request",
                          "prompt=none login")


@only(*ROWS)
def test_r70_max_age_zero_forces_login_and_returns_auth_time(ctx):
    f = fx(ctx)
    user = f.user()
    br = Browser(ctx.web)
    callback(br.sign_in(AuthRequest(f.basic), user))
    req = AuthRequest(f.basic, max_age="0")
    seen = []
    params = callback(br.sign_in(req, user, seen=seen))
    assert "login" in seen, "max_age=0 with a session: no login page (pages: %r)" % seen
    claims = jwt_parts(json_body(redeem(ctx.web, req, params["code"]))["id_token"])[1]
    assert isinstance(claims.get("auth_time"), int), "max_age used, no auth_time: %r" % claims
    req = AuthRequest(f.basic, max_age="10000")
    seen = []
    params = callback(br.sign_in(req, user, seen=seen))
    assert "login" not in seen, "max_age=10000 asked to sign in again"
    claims = jwt_parts(json_body(redeem(ctx.web, req, params["code"]))["id_token"])[1]
    assert isinstance(claims.get("auth_time"), int), claims


@only(*ROWS)
def test_r71_ui_locales_and_accept_language_choose_japanese(ctx):
    f = fx(ctx)
    page = Browser(ctx.web).authorize(AuthRequest(f.basic, ui_locales="ja").params)
    assert login_form(page) is not None, describe(page)
    assert re.search(r'<html[^>]*\blang="ja"', page.text), "ui_locales=ja: %r" % page.text[:200]
    page = Browser(ctx.web, headers={"Accept-Language": "ja,en;q=0.5"}).authorize(
        AuthRequest(f.basic).params)
    assert re.search(r'<html[^>]*\blang="ja"', page.text), "Accept-Language ja: %r" % page.text[:200]
    page = Browser(ctx.web).authorize(AuthRequest(f.basic, ui_locales="fr-CA en").params)
    assert re.search(r'<html[^>]*\blang="en"', page.text), "ui_locales=fr-CA en: %r" % page.text[:200]


@only(*ROWS)
def test_r73_request_object_is_refused_by_redirect(ctx):
    f = fx(ctx)
    unsigned = "eyJhbGciOiJub25lIn0." + b64url(json.dumps({
        "iss": f.basic["client_id"], "aud": ctx.web.issuer, "response_type": "code"}).encode()) + "."
    req = AuthRequest(f.basic, request=unsigned)
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                          "request_not_supported", "request=")
    req = AuthRequest(f.basic, request_uri="https://rp.example/request.jwt")
    assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                          "request_uri_not_supported", "request_uri=")
    assert discovery(ctx).get("request_parameter_supported") is False


@only(*ROWS)
def test_r75_openid_anywhere_in_scope_and_no_id_token_without_it(ctx):
    f = fx(ctx)
    tok, req = tokens_for(ctx, f.basic, scope="email openid")
    validate_id_token(ctx.web, tok["id_token"], f.basic["client_id"], req.nonce)
    tok, _ = tokens_for(ctx, f.basic, scope="email", nonce=None)
    assert "id_token" not in tok, "an id_token without openid: %r" % sorted(tok)


@only(*ROWS)
def test_r76_deny_is_access_denied_with_state_and_iss(ctx):
    f = fx(ctx)
    br, page, req = consent_page(ctx, f.basic, f.user())
    resp = br.consent(page, "deny")
    assert resp.status_code in (302, 303), describe(resp)
    assert_redirect_error(ctx, resp, req, "access_denied", "Deny")


@only(*ROWS)
def test_form_post_response_mode_posts_code_state_iss(ctx):
    f = fx(ctx)
    req = AuthRequest(f.basic, response_mode="form_post")
    resp = f.browser(ctx.web).sign_in(req, f.alice)
    assert resp.status_code == 200 and "Location" not in resp.headers, describe(resp)
    params = callback(resp)
    assert params.get("state") == req.state and params.get("iss") == ctx.web.issuer, params
    assert redeem(ctx.web, req, params["code"]).status_code == 200
    assert "no-store" in resp.headers.get("Cache-Control", ""), resp.headers


@only(*ROWS)
def test_html_injection_in_client_name_and_scope_description_is_escaped(ctx):
    f = fx(ctx)
    br, page, req = consent_page(ctx, f.xss, f.user(), scope="openid profile flowxss")
    assert XSS_NAME not in page.text, "client name unescaped on consent"
    assert "&lt;script&gt;alert(1)" in page.text or "&#60;script&#62;alert(1)" in page.text, \
        "client name missing from consent page"
    assert XSS_SCOPE_TEXT not in page.text, "scope description unescaped on consent"
    assert "&lt;img src=x" in page.text or "&#60;img src=x" in page.text, \
        "scope description missing from consent page"
    login = Browser(ctx.web).authorize(AuthRequest(f.xss, scope="openid").params)
    assert XSS_NAME not in login.text, "client name unescaped on login"


@only(*ROWS)
def test_sql_injection_in_login_and_client_id_changes_nothing(ctx):
    f = fx(ctx)
    before = ctx.pg.psql("SELECT count(*) FROM gatehouse.users") + "/" + \
        ctx.pg.psql("SELECT count(*) FROM gatehouse.clients")
    resp = Browser(ctx.web).authorize(AuthRequest(dict(f.basic, client_id="x' OR '1'='1")).params)
    assert_error_page(resp, "client_id with a quote")
    br, page, req = login_page(ctx, f.basic)
    resp = br.walk(br.login(page, {"username": "' OR '1'='1' --", "password": "' OR '1'='1"}))
    assert login_form(resp) is not None, "SQL in the username signed in: " + describe(resp)
    after = ctx.pg.psql("SELECT count(*) FROM gatehouse.users") + "/" + \
        ctx.pg.psql("SELECT count(*) FROM gatehouse.clients")
    assert before == after


# --------------------------------------------------------------- J. metadata, O. secrets


@only(*ROWS)
def test_r78_discovery_describes_the_code_flow(ctx):
    doc = discovery(ctx)
    iss = ctx.web.issuer
    assert doc.get("authorization_endpoint") == iss + "/authorize", doc
    assert doc.get("token_endpoint") == iss + "/token", doc
    assert doc.get("userinfo_endpoint") == iss + "/userinfo", doc
    assert doc.get("response_types_supported") == ["code"]
    assert "openid" in doc.get("scopes_supported", []), doc.get("scopes_supported")
    assert isinstance(doc.get("claims_supported"), list) and "sub" in doc["claims_supported"]
    assert doc.get("code_challenge_methods_supported") == ["S256"]
    assert "authorization_code" in doc.get("grant_types_supported", ["authorization_code"])
    assert "password" not in doc.get("grant_types_supported", [])
    methods = doc.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
    for m in ("client_secret_basic", "client_secret_post", "none"):
        assert m in methods, "token_endpoint_auth_methods_supported %r lacks %s" % (methods, m)
    meta = OpenIDProviderMetadata(doc)
    meta.validate()


@only(*ROWS)
def test_r101_tokens_long_random_hashed_and_not_logged(ctx):
    f = fx(ctx)
    since = ctx.web.log_size()
    user = f.user()
    br = Browser(ctx.web)
    req = AuthRequest(f.basic, scope="openid profile offline_access")
    params = callback(br.sign_in(req, user))
    code = params["code"]
    tok = json_body(redeem(ctx.web, req, code))
    userinfo(ctx.web, tok["access_token"])
    secrets_seen = {"code": code, "access_token": tok["access_token"]}
    if "refresh_token" in tok:
        secrets_seen["refresh_token"] = tok["refresh_token"]
    for name, value in secrets_seen.items():
        random_part = re.sub(r"^(?:[a-z]{1,12}_){1,2}", "", value)    # gatehouse_at_...
        assert re.fullmatch(r"[A-Za-z0-9_\-.~+/=]+", random_part), "%s %r" % (name, value)
        assert len(random_part) >= 22, "%s has %d random characters (< 128 bits)" % (
            name, len(random_part))
    others = dict(secrets_seen, password=user["password"], verifier=req.verifier,
                  client_secret=f.basic["client_secret"], id_token=tok["id_token"])
    others.update({"cookie " + c.name: c.value for c in br.s.cookies if len(c.value) >= 16})
    dump = harness.run([harness.PG_BIN + "/pg_dump", "-h", "127.0.0.1", "-p", str(ctx.pg.port),
                        "-U", "gatehouse", "-d", "gatehouse", "--data-only"], cwd="/").stdout
    stored = [n for n, v in others.items() if n != "id_token" and v in dump]
    assert not stored, "stored raw in PostgreSQL: %s" % stored
    time.sleep(0.3)
    log = ctx.web.read_log(since)
    logged = [n for n, v in others.items() if v in log]
    assert not logged, "in the server log: %s" % logged


@only(*ROWS)
def test_r104_implicit_and_hybrid_response_types_are_unsupported(ctx):
    f = fx(ctx)
    for rt in ("id_token", "code id_token", "id_token token", "code token", "none"):
        req = AuthRequest(f.basic, response_type=rt)
        assert_redirect_error(ctx, Browser(ctx.web).authorize(req.params), req,
                              "unsupported_response_type", "response_type=%s" % rt)
    assert discovery(ctx).get("response_types_supported") == ["code"]


@only(*ROWS)
def test_flow_left_no_crash_lines(ctx):
    assert not ctx.web.crash_lines(), "crash lines:\n" + "\n".join(ctx.web.crash_lines()[:10])
