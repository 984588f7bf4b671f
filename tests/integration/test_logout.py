"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) through a real web
server: REQUIREMENTS R97-R100.

Each test signs a fresh user in with its own browser, so sessions do not leak between
tests; hints are real id_tokens, or ones signed with `gatehouse keys sign` when a test
needs an expired one.
"""

import base64
import json
import secrets
import time
import urllib.parse

import harness
from flow import AuthRequest, Browser, callback, describe, forms, redeem
from harness import json_body

OUT = "http://127.0.0.1:9/out"
CALLBACK = "http://127.0.0.1:9/callback"


class Fixtures:
    def __init__(self, ctx):
        self.client = ctx.add_client("logout rp", auth_method="client_secret_basic",
                                     redirect_uris=(CALLBACK,),
                                     post_logout_redirect_uris=(OUT,),
                                     grant_types=("authorization_code",),
                                     scope="openid profile", trusted=True)
        self.other = ctx.add_client("logout other", auth_method="client_secret_basic",
                                    redirect_uris=(CALLBACK,),
                                    post_logout_redirect_uris=(OUT,),
                                    grant_types=("authorization_code",),
                                    scope="openid", trusted=True)


_fixtures = {}


def fx(ctx):
    if ctx.web.get("/logout").status_code == 404:
        raise harness.Skip("no /logout endpoint yet")
    key = (ctx.pg.port, ctx.tree.root)
    if key not in _fixtures:
        _fixtures[key] = Fixtures(ctx)
    return _fixtures[key]


def signed_in(ctx):
    """(browser, user, id_token) for a new user signed in to the fixture client."""
    f = fx(ctx)
    user = {"username": "lo" + secrets.token_hex(5), "password": secrets.token_urlsafe(12)}
    ctx.add_user(user["username"], user["password"], name="Logout Tester")
    browser = Browser(ctx.web)
    req = AuthRequest(f.client, scope="openid profile")
    params = callback(browser.sign_in(req, user), req.redirect_uri)
    resp = redeem(ctx.web, req, params["code"])
    assert resp.status_code == 200, describe(resp)
    return browser, user, json_body(resp)["id_token"]


def claims_of(id_token):
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def is_signed_in(ctx, browser):
    """Whether prompt=none still gets a code in this browser."""
    req = AuthRequest(fx(ctx).client, scope="openid profile", prompt="none")
    params = callback(browser.authorize(req.params), req.redirect_uri)
    return "code" in params


def logout(browser, ctx, method="GET", **params):
    url = ctx.web.url("/logout")
    if method == "GET":
        return browser.request("GET", url, params=params)
    return browser.request("POST", url, data=params)


def assert_no_redirect(resp, what):
    assert resp.status_code < 300 or resp.status_code >= 400, \
        "%s: redirected: %s" % (what, describe(resp))
    assert "Location" not in resp.headers, "%s: Location %r" % (what, resp.headers["Location"])


def test_r97_logout_is_advertised_and_takes_get_and_post(ctx):
    f = fx(ctx)
    doc = json_body(ctx.web.get("/.well-known/openid-configuration"))
    assert doc.get("end_session_endpoint") == ctx.web.issuer + "/logout", doc
    for method in ("GET", "POST"):
        browser, _, id_token = signed_in(ctx)
        resp = logout(browser, ctx, method, id_token_hint=id_token,
                      post_logout_redirect_uri=OUT, state="s1")
        assert resp.status_code == 303, "%s: %s" % (method, describe(resp))
        assert not is_signed_in(ctx, browser), "%s did not end the session" % method
    assert f


def test_r98_registered_uri_with_hint_redirects_with_state(ctx):
    browser, _, id_token = signed_in(ctx)
    state = "a b+c&d"
    resp = logout(browser, ctx, id_token_hint=id_token, post_logout_redirect_uri=OUT,
                  state=state)
    assert resp.status_code == 303, describe(resp)
    loc = urllib.parse.urlparse(resp.headers["Location"])
    assert loc._replace(query="").geturl() == OUT, resp.headers["Location"]
    assert urllib.parse.parse_qs(loc.query)["state"] == [state], loc.query


def test_r98_unregistered_uri_gets_a_page_and_no_redirect(ctx):
    browser, _, id_token = signed_in(ctx)
    for uri in (OUT + "/", "http://127.0.0.1:9/OUT", "https://evil.example/out",
                OUT + "?x=1"):
        resp = logout(browser, ctx, id_token_hint=id_token, post_logout_redirect_uri=uri)
        assert_no_redirect(resp, uri)
        assert resp.status_code == 200, describe(resp)
    assert not is_signed_in(ctx, browser), "a valid hint should still end the session"


def test_r98_uri_without_hint_or_client_id_is_not_followed(ctx):
    browser, _, _ = signed_in(ctx)
    resp = logout(browser, ctx, post_logout_redirect_uri=OUT)
    assert_no_redirect(resp, "no hint, no client_id")
    form = [f for f in forms(resp) if f.action.endswith("/logout")]
    assert form, "expected the confirmation page: " + describe(resp)
    resp = browser.request("POST", form[0].action, data=form[0].data(confirm="yes"))
    assert_no_redirect(resp, "confirmed, still no client")
    assert not is_signed_in(ctx, browser)


def test_r99_expired_hint_is_still_accepted(ctx):
    f = fx(ctx)
    browser, _, id_token = signed_in(ctx)
    claims = claims_of(id_token)
    claims.update(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    p = ctx.cli("keys", "sign", "--alg", "RS256", input=json.dumps(claims))
    assert p.returncode == 0, p.stderr
    resp = logout(browser, ctx, id_token_hint=p.stdout.strip(), post_logout_redirect_uri=OUT,
                  client_id=f.client["client_id"])
    assert resp.status_code == 303, describe(resp)
    assert not is_signed_in(ctx, browser)


def test_r99_client_id_that_disagrees_with_the_hint_is_an_error_page(ctx):
    f = fx(ctx)
    browser, _, id_token = signed_in(ctx)
    resp = logout(browser, ctx, id_token_hint=id_token, post_logout_redirect_uri=OUT,
                  client_id=f.other["client_id"])
    assert_no_redirect(resp, "mismatched client_id")
    assert resp.status_code == 400, describe(resp)
    assert is_signed_in(ctx, browser), "a refused logout must not end the session"


def test_r99_forged_hint_is_refused(ctx):
    browser, _, id_token = signed_in(ctx)
    head, payload, sig = id_token.split(".")
    forged = ".".join((head, payload, sig[:-4] + ("AAAA" if sig[-4:] != "AAAA" else "BBBB")))
    resp = logout(browser, ctx, id_token_hint=forged, post_logout_redirect_uri=OUT)
    assert_no_redirect(resp, "forged hint")
    assert resp.status_code == 400, describe(resp)
    assert is_signed_in(ctx, browser)


def test_r100_without_hint_asks_to_confirm_with_a_csrf_protected_form(ctx):
    browser, _, _ = signed_in(ctx)
    resp = logout(browser, ctx)
    assert resp.status_code == 200, describe(resp)
    assert resp.headers.get("X-Frame-Options") == "DENY"
    form = [f for f in forms(resp) if f.action.endswith("/logout")]
    assert form and "csrf" in dict(form[0].fields), "no CSRF-protected form: " + describe(resp)
    assert is_signed_in(ctx, browser), "showing the question must not sign out"
    # A foreign or missing CSRF token: refused, still signed in.
    bad = browser.request("POST", form[0].action, data=form[0].data(confirm="yes", csrf="x"))
    assert bad.status_code == 403, describe(bad)
    assert is_signed_in(ctx, browser)
    # "Stay signed in": nothing ends.
    resp = browser.request("POST", form[0].action, data=form[0].data(confirm="no"))
    assert resp.status_code == 200 and is_signed_in(ctx, browser), describe(resp)
    # "Sign out": the cookie is cleared and prompt=none needs a login again.
    resp = logout(browser, ctx)
    form = [f for f in forms(resp) if f.action.endswith("/logout")][0]
    resp = browser.request("POST", form.action, data=form.data(confirm="yes"))
    assert resp.status_code == 200, describe(resp)
    cleared = [c for c in resp.headers.get("Set-Cookie", "").split(",") if "Max-Age=0" in c]
    assert cleared, "session cookie not cleared: %r" % resp.headers.get("Set-Cookie")
    assert not is_signed_in(ctx, browser)


def test_r100_session_row_is_deleted(ctx):
    browser, user, id_token = signed_in(ctx)
    sub = claims_of(id_token)["sub"]
    count = "SELECT count(*) FROM gatehouse.sessions WHERE user_id = '%s'" % sub
    assert ctx.pg.psql(count).strip() == "1"
    resp = logout(browser, ctx, id_token_hint=id_token, post_logout_redirect_uri=OUT)
    assert resp.status_code == 303, describe(resp)
    assert ctx.pg.psql(count).strip() == "0", "the session row survived the logout"
