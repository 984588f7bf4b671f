"""The admin API (/admin/api/...), the admin page's files and the connected-apps page
(/account): issue 6, items 5 and 6; R14 (no CORS), R15 (no framing), R16 (CSRF).

Signing in goes through the real pages (/login?next=/admin or /account) with flow.py's
Browser. The headless Chromium tests (tests/browser/admin.mjs, account.mjs) run behind
lighttpd only; their screenshots are kept in var/test/screenshots/.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import urllib.parse

import harness
from flow import (CALLBACK, AuthRequest, Browser, callback, describe, forms, login_form,
                  redeem, token_request, userinfo)
from harness import json_body, only

SCOPE = "openid profile email"
UUID0 = "00000000-0000-4000-8000-000000000000"
CHROMIUM = "/usr/bin/chromium"


# --------------------------------------------------------------------------- fixtures


def new_user(ctx, admin=False, prefix="u"):
    u = {"username": prefix + secrets.token_hex(5), "password": secrets.token_urlsafe(12)}
    ctx.add_user(u["username"], u["password"], email=u["username"] + "@adm.example",
                 name="Admin Test " + u["username"], admin=admin)
    u["id"] = ctx.pg.psql("SELECT id FROM gatehouse.users WHERE username = '%s'"
                          % u["username"])
    return u


class Fixtures:
    """Made once per run, shared by the flavours."""

    def __init__(self, ctx):
        self.admin = new_user(ctx, admin=True, prefix="adm")
        self.admin2 = new_user(ctx, admin=True, prefix="adm")
        self.person = new_user(ctx, prefix="per")
        self.app = ctx.add_client("Admin Test App", auth_method="client_secret_basic",
                                  redirect_uris=(CALLBACK,),
                                  grant_types=("authorization_code", "refresh_token"),
                                  scope=SCOPE)


def fx(ctx):
    return ctx.shared(Fixtures)


def page_sign_in(web, user, next_path, headers=None):
    """A browser signed in through /login?next=next_path; it is back at next_path."""
    b = Browser(web, headers=headers)
    page = b.request("GET", web.url("/login"), params={"next": next_path})
    assert login_form(page) is not None, describe(page)
    resp = b.login(page, user)
    assert resp.status_code == 303, describe(resp)
    assert resp.headers["Location"] == web.url(next_path), describe(resp)
    return b


class Admin:
    """The admin API as the admin page calls it, from a browser signed in as user."""

    def __init__(self, web, user):
        self.web = web
        self.b = page_sign_in(web, user, "/admin")
        r = self.call("GET", "session")
        assert r.status_code == 200, describe(r)
        self.session = json_body(r)
        self.csrf = self.session["csrf_token"]

    def call(self, method, path, body=None, csrf=True, headers=None):
        h = {}
        if csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf if csrf is True else csrf
        h.update(headers or {})
        kw = {"json": body} if body is not None else {}
        return self.b.request(method, self.web.url("/admin/api/" + path), headers=h, **kw)

    def ok(self, method, path, body=None, status=200):
        r = self.call(method, path, body)
        assert r.status_code == status, describe(r)
        return json_body(r) if status != 204 else None


def endpoints(client_id, user_id):
    """Every admin call, with ids of things that exist."""
    u = "users/" + user_id
    return [("GET", "session"), ("GET", "clients"), ("GET", "clients?q=a"),
            ("POST", "clients"), ("GET", "clients/" + client_id),
            ("PUT", "clients/" + client_id), ("POST", "clients/%s/disable" % client_id),
            ("POST", "clients/%s/enable" % client_id), ("POST", "clients/%s/secret" % client_id),
            ("GET", "users"), ("POST", "users"), ("POST", u + "/password"),
            ("POST", u + "/disable"), ("POST", u + "/enable"), ("POST", u + "/unlock"),
            ("GET", u + "/grants"), ("DELETE", u + "/grants/" + UUID0),
            ("GET", u + "/sessions"), ("DELETE", u + "/sessions/" + UUID0),
            ("GET", "developer-tokens"), ("POST", "developer-tokens"),
            ("DELETE", "developer-tokens/1"), ("GET", "no-such-call")]


def client_row(ctx, client_id):
    return ctx.pg.psql("SELECT name, disabled, secret_hash FROM gatehouse.clients"
                       " WHERE client_id = '%s'" % client_id)


def no_cors(resp):
    assert not any(h.lower().startswith("access-control-") for h in resp.headers), \
        "CORS header on /admin: %r" % dict(resp.headers)


def code_flow(web, client, user, browser=None, scope=SCOPE):
    """The browser part as user and the code redemption; returns the token response."""
    b = browser or Browser(web)
    req = AuthRequest(client, scope=scope)
    params = callback(b.sign_in(req, user), req.redirect_uri)
    assert "code" in params, "no code: %r" % params
    resp = redeem(web, req, params["code"])
    assert resp.status_code == 200, describe(resp)
    return resp.json()


# ------------------------------------------------------------ who may call the API


def test_admin_api_without_a_session_is_401_everywhere(ctx):
    f = fx(ctx)
    anon = Browser(ctx.web)
    for method, path in endpoints(f.app["client_id"], f.person["id"]):
        body = {"json": {}} if method != "GET" else {}
        r = anon.request(method, ctx.web.url("/admin/api/" + path),
                         headers={"X-CSRF-Token": "x", "Origin": ctx.web.base}, **body)
        assert r.status_code == 401, "%s %s: %s" % (method, path, describe(r))
        assert json_body(r)["error"] == "login_required", describe(r)
        assert "no-store" in r.headers.get("Cache-Control", ""), describe(r)
        no_cors(r)


def test_admin_api_refuses_a_signed_in_non_admin_on_every_call(ctx):
    f = fx(ctx)
    person = page_sign_in(ctx.web, f.person, "/admin")
    before = client_row(ctx, f.app["client_id"])
    for method, path in endpoints(f.app["client_id"], f.person["id"]):
        body = {"client_name": "taken over", "username": "x" + secrets.token_hex(4),
                "password": "long enough pw", "redirect_uris": [CALLBACK]}
        r = person.request(method, ctx.web.url("/admin/api/" + path),
                           headers={"X-CSRF-Token": "x"},
                           **({"json": body} if method != "GET" else {}))
        assert r.status_code == 403, "%s %s: %s" % (method, path, describe(r))
        assert json_body(r)["error"] == "access_denied", describe(r)
        no_cors(r)
    assert client_row(ctx, f.app["client_id"]) == before
    assert ctx.pg.psql("SELECT disabled FROM gatehouse.users WHERE id = '%s'"
                       % f.person["id"]) == "f"


def test_admin_state_changes_need_the_sessions_csrf_header(ctx):
    f = fx(ctx)
    admin = Admin(ctx.web, f.admin)
    other = Admin(ctx.web, f.admin2)    # another admin's session: another token
    assert other.csrf != admin.csrf
    cid, uid = f.app["client_id"], f.person["id"]
    before = client_row(ctx, cid)
    clients = ctx.pg.psql("SELECT count(*) FROM gatehouse.clients")
    changing = [(m, p) for m, p in endpoints(cid, uid) if m != "GET"]
    bad = [("none", {"csrf": False}), ("wrong", {"csrf": "A" * 43}),
           ("another session's", {"csrf": other.csrf}),
           ("cross-site Origin", {"headers": {"Origin": "https://evil.example"}}),
           ("cross-site fetch", {"headers": {"Sec-Fetch-Site": "cross-site"}})]
    for method, path in changing:
        for what, kw in bad:
            r = admin.call(method, path, {"client_name": "x", "redirect_uris": [CALLBACK]},
                           **kw)
            assert r.status_code == 403, "%s token, %s %s: %s" % (what, method, path,
                                                                 describe(r))
            no_cors(r)
    assert client_row(ctx, cid) == before
    assert ctx.pg.psql("SELECT count(*) FROM gatehouse.clients") == clients
    # The same-origin page's own calls pass.
    r = admin.call("POST", "clients/%s/enable" % cid, headers={"Origin": ctx.web.base,
                                                                "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 200, describe(r)


def test_admin_api_sends_no_cors_headers(ctx):
    for method in ("OPTIONS", "GET"):
        r = ctx.web.request(method, "/admin/api/session",
                            headers={"Origin": "https://evil.example",
                                     "Access-Control-Request-Method": "POST"})
        assert r.status_code in (401, 405), describe(r)
        no_cors(r)


def test_admin_session_call_says_who_is_signed_in(ctx):
    f = fx(ctx)
    admin = Admin(ctx.web, f.admin)
    s = admin.session
    assert s["user"]["username"] == f.admin["username"] and s["user"]["id"] == f.admin["id"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", s["csrf_token"]), s
    assert s["logout_url"] == ctx.web.url("/logout")


# --------------------------------------------------------------------------- clients


def test_admin_creates_a_client_that_works_in_a_code_flow(ctx):
    f = fx(ctx)
    admin = Admin(ctx.web, f.admin)
    name = "Made on the admin page " + secrets.token_hex(3)
    made = admin.ok("POST", "clients", {"client_name": name, "redirect_uris": [CALLBACK],
                                        "scope": SCOPE}, status=201)["client"]
    assert made["client_type"] == "confidential" and made["client_secret"], made
    assert made["token_endpoint_auth_method"] == "client_secret_basic", made
    # Shown once: never again in a read or a list.
    got = admin.ok("GET", "clients/" + made["client_id"])["client"]
    assert "client_secret" not in got and got["client_name"] == name, got
    listed = admin.ok("GET", "clients?q=" + urllib.parse.quote(name[-10:]))["clients"]
    assert [c["client_id"] for c in listed] == [made["client_id"]], listed
    assert made["client_secret"] not in json.dumps(listed)
    tok = code_flow(ctx.web, made, f.person)
    assert userinfo(ctx.web, tok["access_token"]).status_code == 200


def test_admin_edits_disables_and_rotates_a_client(ctx):
    f = fx(ctx)
    admin = Admin(ctx.web, f.admin)
    made = admin.ok("POST", "clients", {"client_name": "To edit", "redirect_uris": [CALLBACK],
                                        "scope": SCOPE}, status=201)["client"]
    cid = made["client_id"]
    edited = admin.ok("PUT", "clients/" + cid, {"client_name": "Edited",
                                                "logo_uri": "https://logo.example/a.png"})
    assert edited["client"]["client_name"] == "Edited", edited
    assert edited["client"]["redirect_uris"] == [CALLBACK], edited
    # The same rules as every other way of making a client.
    for body, error in (({"redirect_uris": ["http://evil.example/cb"]}, "invalid_redirect_uri"),
                        ({"redirect_uris": ["https://a.example/cb#frag"]},
                         "invalid_redirect_uri"),
                        ({"logo_uri": "javascript:alert(1)"}, "invalid_client_metadata"),
                        ({"scope": "openid no-such-scope"}, "invalid_client_metadata"),
                        ({"client_name": 7}, "invalid_client_metadata")):
        r = admin.call("PUT", "clients/" + cid, body)
        assert r.status_code == 400 and json_body(r)["error"] == error, describe(r)
    r = admin.call("POST", "clients", {"client_name": "no redirect"})
    assert r.status_code == 400 and json_body(r)["error"] == "invalid_redirect_uri", describe(r)
    assert admin.call("GET", "clients/nosuchclient1").status_code == 404
    # Rotation: the old secret stops working at once, the new one works.
    old = dict(made)
    new = admin.ok("POST", "clients/%s/secret" % cid)
    assert new["client_id"] == cid and new["client_secret"] != old["client_secret"]
    r = token_request(ctx.web, old, {"grant_type": "authorization_code", "code": "x",
                                     "redirect_uri": CALLBACK})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", describe(r)
    rotated = dict(made, client_secret=new["client_secret"])
    code_flow(ctx.web, rotated, f.person)
    # Disabled: no sign-in to it; enabled again: it works.
    assert admin.ok("POST", "clients/%s/disable" % cid)["client"]["disabled"] is True
    b = Browser(ctx.web)
    page = b.authorize(AuthRequest(rotated).params)
    assert page.status_code >= 400 and "Location" not in page.headers, describe(page)
    assert admin.ok("POST", "clients/%s/enable" % cid)["client"]["disabled"] is False
    code_flow(ctx.web, rotated, f.person)
    public = admin.ok("POST", "clients", {"client_name": "Public one", "client_type": "public",
                                          "redirect_uris": [CALLBACK]}, status=201)["client"]
    assert "client_secret" not in public and public["token_endpoint_auth_method"] == "none"
    r = admin.call("POST", "clients/%s/secret" % public["client_id"])
    assert r.status_code == 400, describe(r)


# ----------------------------------------------------------------------------- users


def test_admin_creates_users_resets_passwords_disables_and_unlocks(ctx):
    f = fx(ctx)
    admin = Admin(ctx.web, f.admin)
    user = {"username": "made" + secrets.token_hex(4), "password": secrets.token_urlsafe(12)}
    r = admin.call("POST", "users", {"username": user["username"], "password": "short"})
    assert r.status_code == 400, describe(r)
    made = admin.ok("POST", "users", dict(user, name="Made Here", email="m@adm.example"),
                    status=201)["user"]
    uid = made["id"]
    r = admin.call("POST", "users", dict(user))
    assert r.status_code == 409, describe(r)
    listed = admin.ok("GET", "users?q=" + user["username"])["users"]
    assert [u["id"] for u in listed] == [uid] and listed[0]["name"] == "Made Here", listed
    code_flow(ctx.web, f.app, user)
    # A new password: the old one no longer signs in.
    old = dict(user)
    user["password"] = secrets.token_urlsafe(12)
    admin.ok("POST", "users/%s/password" % uid, {"password": user["password"]}, status=204)
    assert page_sign_in_fails(ctx.web, old) == 401
    page_sign_in(ctx.web, user, "/account")
    # Disabled: no sign-in, and the admin cannot disable themself.
    admin.ok("POST", "users/%s/disable" % uid, status=204)
    assert page_sign_in_fails(ctx.web, user) == 401
    admin.ok("POST", "users/%s/enable" % uid, status=204)
    r = admin.call("POST", "users/%s/disable" % f.admin["id"])
    assert r.status_code == 400, describe(r)
    # Locked by failed sign-ins (the throttle's row, as ten failures leave it): unlock.
    ctx.pg.psql("INSERT INTO gatehouse.login_attempts (key, failures, locked_until, expires_at)"
                " VALUES ('user:%s', 10, now() + interval '15 minutes',"
                " now() + interval '1 hour') ON CONFLICT (key) DO UPDATE"
                " SET failures = 10, locked_until = EXCLUDED.locked_until,"
                " expires_at = EXCLUDED.expires_at" % user["username"].lower())
    assert page_sign_in_fails(ctx.web, user) == 429
    listed = admin.ok("GET", "users?q=" + user["username"])["users"]
    assert listed[0]["locked_for"] > 0 and listed[0]["failed_logins"] == 10, listed
    admin.ok("POST", "users/%s/unlock" % uid, status=204)
    assert admin.ok("GET", "users?q=" + user["username"])["users"][0]["locked_for"] == 0
    page_sign_in(ctx.web, user, "/account")
    for path in ("users/nonsense/grants", "users/%s/grants" % UUID0):
        assert admin.call("GET", path).status_code == 404, path


def page_sign_in_fails(web, user):
    b = Browser(web)
    page = b.request("GET", web.url("/login"), params={"next": "/account"})
    r = b.login(page, user)
    assert r.status_code != 303, describe(r)
    return r.status_code


def test_admin_revokes_a_users_grant_and_session(ctx):
    f = fx(ctx)
    admin = Admin(ctx.web, f.admin)
    user = new_user(ctx)
    b = Browser(ctx.web)
    tok = code_flow(ctx.web, f.app, user, browser=b)
    grants = admin.ok("GET", "users/%s/grants" % user["id"])["grants"]
    assert [g["client_id"] for g in grants] == [f.app["client_id"]], grants
    assert set(grants[0]["scope"].split()) == set(SCOPE.split()), grants
    admin.ok("DELETE", "users/%s/grants/%s" % (user["id"], grants[0]["id"]), status=204)
    assert userinfo(ctx.web, tok["access_token"]).status_code == 401
    assert admin.ok("GET", "users/%s/grants" % user["id"])["grants"] == []
    r = admin.call("DELETE", "users/%s/grants/%s" % (user["id"], grants[0]["id"]))
    assert r.status_code == 404, describe(r)
    # Another user's grant id under this user: not found, not revoked.
    tok2 = code_flow(ctx.web, f.app, f.person)
    theirs = admin.ok("GET", "users/%s/grants" % f.person["id"])["grants"][0]["id"]
    r = admin.call("DELETE", "users/%s/grants/%s" % (user["id"], theirs))
    assert r.status_code == 404 and userinfo(ctx.web, tok2["access_token"]).status_code == 200
    sessions = admin.ok("GET", "users/%s/sessions" % user["id"])["sessions"]
    assert len(sessions) == 1 and not sessions[0]["current"], sessions
    mine = admin.ok("GET", "users/%s/sessions" % f.admin["id"])["sessions"]
    assert any(s["current"] for s in mine), mine
    assert b.request("GET", ctx.web.url("/account")).status_code == 200
    admin.ok("DELETE", "users/%s/sessions/%s" % (user["id"], sessions[0]["sid"]), status=204)
    r = b.request("GET", ctx.web.url("/account"))
    assert r.status_code == 303 and "/login?next=/account" in r.headers["Location"], describe(r)


def test_admin_issues_lists_and_revokes_developer_tokens(ctx):
    f = fx(ctx)
    admin = Admin(ctx.web, f.admin)
    made = admin.ok("POST", "developer-tokens", {"label": "for Dana", "expires_in": 3600},
                    status=201)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", made["token"]), made
    t = made["developer_token"]
    assert t["label"] == "for Dana" and 3500 < t["expires_at"] - t["created_at"] <= 3600, t
    listed = admin.ok("GET", "developer-tokens")["developer_tokens"]
    assert t["id"] in [x["id"] for x in listed] and made["token"] not in json.dumps(listed)
    r = admin.call("POST", "developer-tokens", {"expires_in": 10})
    assert r.status_code == 400, describe(r)
    admin.ok("DELETE", "developer-tokens/%d" % t["id"], status=204)
    listed = admin.ok("GET", "developer-tokens")["developer_tokens"]
    assert [x for x in listed if x["id"] == t["id"]][0]["revoked_at"], listed
    assert admin.call("DELETE", "developer-tokens/%d" % t["id"]).status_code == 404


# --------------------------------------------------------------------- the page files


def test_admin_page_files_are_served_with_a_strict_policy(ctx):
    r = ctx.web.get("/admin")
    assert r.status_code == 302 and r.headers["Location"] == ctx.web.url("/admin/"), describe(r)
    page = ctx.web.get("/admin/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
    assert "unsafe-inline" not in csp and page.headers["X-Frame-Options"] == "DENY"
    # No inline script or handler (the policy would block them), nothing from elsewhere.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", page.text), "inline event handler"
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), "external resource"
    for name, ctype in (("admin.js", "text/javascript"), ("admin.css", "text/css")):
        r = ctx.web.get("/admin/" + name)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype), name
    for path in ("/admin/index.html", "/admin/admin.js.bak", "/admin/.%2e/x",
                 "/admin/x/admin.js", "/admin/api", "/administrator"):
        r = ctx.web.raw("GET", path)
        assert r.status_code == 404, "%s: %s" % (path, describe(r))


# ------------------------------------------------------------------- connected apps


def account_forms(resp):
    return [f for f in forms(resp) if any(n == "grant" for n, _ in f.fields)]


def test_account_sends_a_person_to_sign_in_and_back(ctx):
    r = ctx.web.get("/account")
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"] == ctx.web.url("/login?next=/account"), describe(r)
    b = page_sign_in(ctx.web, new_user(ctx), "/account")
    page = b.request("GET", ctx.web.url("/account"))
    assert page.status_code == 200 and account_forms(page) == [], describe(page)
    assert page.headers["X-Frame-Options"] == "DENY", describe(page)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "no-store" in page.headers["Cache-Control"]


def test_account_lists_an_app_and_removing_it_kills_its_tokens(ctx):
    f = fx(ctx)
    user = new_user(ctx)
    b = Browser(ctx.web, headers={"Accept-Language": "ja"})
    tok = code_flow(ctx.web, f.app, user, browser=b)
    assert tok.get("refresh_token"), tok
    page = b.request("GET", ctx.web.url("/account"))
    assert page.status_code == 200, describe(page)
    assert "Admin Test App" in page.text and "連携中のアプリ" in page.text, page.text[:2000]
    assert "メールアドレスを参照します" in page.text, "the email scope in Japanese"
    (form,) = account_forms(page)
    grant = dict(form.fields)["grant"]
    # A GET changes nothing; a POST without this browser's token is refused.
    b.request("GET", ctx.web.url("/account"), params={"grant": grant, "removed": "1"})
    stranger = page_sign_in(ctx.web, new_user(ctx), "/account")
    theirs = stranger.request("GET", ctx.web.url("/account"))
    for data in ({"grant": grant}, {"grant": grant, "csrf": "A" * 43}):
        r = b.request("POST", form.action, data=data)
        assert r.status_code == 403, describe(r)
    r = stranger.request("POST", form.action, data=form.data())   # another browser
    assert r.status_code == 403, describe(r)
    assert theirs.status_code == 200
    assert userinfo(ctx.web, tok["access_token"]).status_code == 200
    r = b.request("POST", form.action, data=form.data())
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"] == ctx.web.url("/account?removed=1"), describe(r)
    after = b.request("GET", r.headers["Location"])
    assert account_forms(after) == [] and "アクセスを解除しました" in after.text
    assert userinfo(ctx.web, tok["access_token"]).status_code == 401
    r = token_request(ctx.web, f.app, {"grant_type": "refresh_token",
                                       "refresh_token": tok["refresh_token"]})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", describe(r)
    row = ctx.pg.psql("SELECT revoked_at IS NOT NULL, expires_at > now() + interval '1 hour',"
                      " (SELECT bool_and(revoked_at IS NOT NULL) FROM gatehouse.tokens"
                      "  WHERE grant_id = g.id) FROM gatehouse.grants g WHERE id = '%s'"
                      % grant)
    assert row == "t|t|t", row
    # Signing in to the app again asks for consent again, and makes a new grant.
    tok2 = code_flow(ctx.web, f.app, user, browser=b)
    assert userinfo(ctx.web, tok2["access_token"]).status_code == 200


# ------------------------------------------------------------- headless Chromium


def node_script(ctx, script, opts):
    node = shutil.which("node")
    prefix = os.environ.get("GATEHOUSE_NODE_PREFIX", os.path.join(harness.REPO, "var", "node"))
    missing = [what for what, ok in (
        ("node", node is not None), ("chromium", os.access(CHROMIUM, os.X_OK)),
        ("playwright-core", os.path.isdir(os.path.join(prefix, "node_modules",
                                                       "playwright-core")))) if not ok]
    assert not missing, "missing %s: run dev/deps --test" % ", ".join(missing)
    opts = dict(opts, issuer=ctx.web.issuer,
                screenshots=os.path.join(ctx.workdir, "screenshots"))
    p = subprocess.run([node, os.path.join(harness.REPO, "tests", "browser", script),
                        json.dumps(opts)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=85, env=dict(os.environ, GATEHOUSE_NODE_PREFIX=prefix))
    lines = p.stdout.strip().splitlines()
    assert lines, "%s printed nothing (exit %d): %s" % (script, p.returncode, p.stderr[-2000:])
    result = json.loads(lines[-1])
    assert result.get("ok"), "%s failed at %s: %s" % (script, result.get("step"),
                                                      result.get("error"))
    assert all(os.path.getsize(s) > 1000 for s in result["screenshots"]), result
    return result


@only("lighttpd")
def test_browser_admin_creates_a_client_whose_copied_secret_works(ctx):
    f = fx(ctx)
    name = "Chromium App " + secrets.token_hex(3)
    result = node_script(ctx, "admin.mjs", {
        "username": f.admin["username"], "password": f.admin["password"],
        "client_name": name, "redirect_uri": CALLBACK})
    client = {"client_id": result["client_id"], "client_secret": result["copied"],
              "token_endpoint_auth_method": "client_secret_basic"}
    assert result["copied"] == result["shown"], "the clipboard differs from the box"
    assert ctx.pg.psql("SELECT name FROM gatehouse.clients WHERE client_id = '%s'"
                       % client["client_id"]) == name
    tok = code_flow(ctx.web, client, f.person)
    assert userinfo(ctx.web, tok["access_token"]).status_code == 200


@only("lighttpd")
def test_browser_account_removes_an_app_and_its_tokens_stop_working(ctx):
    f = fx(ctx)
    user = new_user(ctx)
    tok = code_flow(ctx.web, f.app, user)
    assert userinfo(ctx.web, tok["access_token"]).status_code == 200
    node_script(ctx, "account.mjs", {"username": user["username"], "password": user["password"],
                                     "client_name": f.app["client_name"]})
    assert userinfo(ctx.web, tok["access_token"]).status_code == 401
    r = token_request(ctx.web, f.app, {"grant_type": "refresh_token",
                                       "refresh_token": tok["refresh_token"]})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", describe(r)
