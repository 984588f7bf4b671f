"""Hostile input (issue 7 item 6): a table of malformed and hostile requests sent
through the real web server to every endpoint, each with the answer it must get.

Each row is one request and what it must get back: the status (4xx, never 5xx; a few
rows document a 200 or 302 that is the right answer to hostile input) and the error,
read from where the endpoint puts it: the JSON "error" member, the HTML error page's
code, the error of a redirect to the client, or the Bearer challenge. For every row
the test also checks that

- nothing hostile comes back unescaped: no markup, template or SQL marker of the
  request in an HTML page, JSON that parses, no header a CR/LF could have added;
- the database is unchanged: the row count and a digest of the contents of every
  table of the gatehouse and public schemas (read from pg_catalog) are the same
  before and after the row. A row that legitimately writes names the tables it may
  change and says why (`writes`).

All rows go to one web server of the current flavour with dynamic registration on
(Registration.Enabled = 1, an initial access token required) and the sweep off
(Sweep.Interval = 0: a sweep deleting expired rows mid-table is not the row's doing).
Requests are sent byte for byte (harness raw()) so that malformed escapes, NUL bytes
and invalid UTF-8 reach the web server as written. lighttpd rewrites a malformed
%-escape in a query string (%zz becomes %25zz) before Gatehouse sees it; rows say so
where the answer differs by flavour.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.parse

from authlib.jose import JsonWebKey, jwt

import harness
from flow import CALLBACK, AuthRequest, Browser, b64url, callback, consent_form, describe, \
    forms, jwt_parts, login_form, redeem, token_request
from harness import json_body

SCOPE = "openid profile email offline_access"
CODE_FLOW = ("authorization_code", "refresh_token")
MAX_BODY = 65536

# Markers of hostile input; none may come back raw in an HTML page.
XSS = "<script>alert(1)</script>"
ATTR = "\"><svg onload=alert(2)>"
CS = "<?cs var:Config.Database.Conninfo ?>"
CS_INCLUDE = "<?cs include:\"/etc/passwd\" ?>"
SQL = "'; DROP TABLE gatehouse.clients; --"
SQL_OR = "' OR '1'='1"
FMT = "%s%n%x%p"
RAW_MARKERS = ("<script>alert", "<svg onload", "<?cs", "'; DROP TABLE", "' OR '1'='1",
               "root:x:0:0")
CRLF = "\r\nSet-Cookie: injected=1\r\nX-Injected: 1"


# ---------------------------------------------------------------------------- helpers


def q(pairs):
    """A query string or form body from (name, value) pairs, percent-encoded."""
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)


def b64(data):
    return base64.b64encode(data if isinstance(data, bytes) else data.encode()).decode()


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


def jws(header, claims, sign):
    """A compact JWS: sign(signing_input bytes) -> signature bytes (b"" for none)."""
    h = b64url(json.dumps(header, separators=(",", ":")).encode())
    p = b64url(json.dumps(claims, separators=(",", ":")).encode())
    return "%s.%s.%s" % (h, p, b64url(sign(("%s.%s" % (h, p)).encode())))


def cli_sign(ctx, claims, typ):
    """Signed by Gatehouse's own active RS256 key (gatehouse keys sign)."""
    p = ctx.cli("keys", "sign", "--alg", "RS256", "--typ", typ, input=json.dumps(claims))
    assert p.returncode == 0, "keys sign: %s%s" % (p.stdout, p.stderr)
    return p.stdout.strip()


class Row:
    """One hostile request and the answer it must get.

    expect: (status, kind, error). status is an int, or a dict by flavour with a
    "default". kind: "json" (the JSON error member), "page" (the HTML error page's
    code), "login" (the login page again), "redirect" (a redirect to the client with
    error=), "bearer" (a 401/403 with the Bearer challenge's error; None: no error),
    "inactive" (exactly {"active": false}), "empty" (200, no body), "ok" (2xx JSON),
    "server" (the web server refuses it before Gatehouse: any body).
    expect may also be a dict by flavour (with a "default") of such tuples.
    check(resp, log) -> [problems] checks more (log: the error log the row added).
    writes: {table: why}, tables whose rows this row may add or change; touches:
    {table: why}, tables whose rows it may change but not add or remove.
    """

    def __init__(self, name, method, path, expect, query=None, body=None, ctype=None,
                 headers=None, root=False, writes=None, touches=None, reqs=(), chunked=False,
                 check=None):
        self.name, self.method, self.path, self.expect = name, method, path, expect
        self.query, self.body, self.ctype = query, body, ctype
        self.chunked = chunked      # the body in Transfer-Encoding: chunked
        self.check = check          # check(resp, new log text) -> problems, for more
        self.headers = dict(headers or {})
        self.root = root
        self.writes = dict(writes or {})
        self.touches = dict(touches or {})
        if "gh_session=" in self.headers.get("Cookie", ""):
            self.touches["gatehouse.sessions"] = \
                "a live session records its last use (Sessions.IdleTimeout)"
        self.reqs = reqs

    def label(self):
        return "%s%s" % (self.name, " (%s)" % ", ".join(self.reqs) if self.reqs else "")


def form(pairs):
    return q(pairs) if not isinstance(pairs, str) else pairs


def same_issuer(resp, body, log):
    """R19: the issuer and endpoints are the configured ones whatever Host says."""
    if body is None:
        return []
    bad = [k for k, v in body.items() if isinstance(v, str) and "evil.example" in v]
    return ["%s follows the Host header: %r" % (k, body[k]) for k in bad]


def no_forged_line(resp, body, log):
    """A %0A in the path must not start a line of its own in the log."""
    return ["the log has a forged line"] if re.search(r"(?m)^gatehouse\[1\] error: forged",
                                                      log) else []


def posts_state(state):
    """The form_post page carries state back exactly, inside its attribute."""
    def check(resp, body, log):
        fields = [dict(f.fields) for f in forms(resp) if f.action == CALLBACK]
        if not fields:
            return ["no form_post form to the client"]
        return [] if fields[0].get("state") == state else [
            "state %r came back as %r" % (state, fields[0].get("state"))]
    return check


def shows(escaped):
    """The page does show the input, escaped (so the raw-marker check is not vacuous)."""
    return lambda resp, body, log: [] if escaped in resp.text else [
        "the input is not shown escaped as %r" % escaped]


def no_cors(resp, body, log):
    return ["CORS granted: %r" % resp.headers["Access-Control-Allow-Origin"]] \
        if "Access-Control-Allow-Origin" in resp.headers else []


# ---------------------------------------------------------------------------- fixtures


class Shared:
    """Clients, users and the initial access token: once per database."""

    def __init__(self, ctx):
        ctx.define_scopes("hostile.read")
        add = ctx.add_client
        self.basic = add("hostile basic", redirect_uris=(CALLBACK,),
                         grant_types=CODE_FLOW + ("client_credentials",),
                         scope=SCOPE + " hostile.read", trusted=True)
        self.post = add("hostile post", auth_method="client_secret_post",
                        redirect_uris=(CALLBACK,), grant_types=CODE_FLOW, scope=SCOPE,
                        trusted=True)
        self.public = add("hostile public", type="public", auth_method="none",
                          redirect_uris=(CALLBACK,), grant_types=CODE_FLOW, scope=SCOPE)
        self.untrusted = add("hostile consent", redirect_uris=(CALLBACK,),
                             grant_types=CODE_FLOW, scope=SCOPE)
        self.jwt = add("hostile jwt", redirect_uris=(CALLBACK,),
                       grant_types=CODE_FLOW + ("client_credentials",),
                       scope=SCOPE + " hostile.read", trusted=True,
                       extra=("--access-token-format", "jwt"))
        self.alice = {"username": "ha" + secrets.token_hex(5),
                      "password": secrets.token_urlsafe(12)}
        ctx.add_user(self.alice["username"], self.alice["password"], email="ha@ha.example")
        self.admin = {"username": "hadm" + secrets.token_hex(4),
                      "password": secrets.token_urlsafe(12)}
        ctx.add_user(self.admin["username"], self.admin["password"], admin=True)
        p = ctx.cli("devtoken", "issue", "--label", "hostile tests")
        assert p.returncode == 0, p.stdout + p.stderr
        self.iat = p.stdout.strip()


class Live:
    """What the rows use on one web server: sessions, a pending request at the login
    and at the consent page, live tokens, forged tokens, a registered client."""

    def __init__(self, ctx, web, s):
        self.s = s
        # Failed sign-ins are counted per name for an hour: names of this server alone.
        self.tag = secrets.token_hex(3)
        # A pending request at the login page (no session in this browser).
        self.login_browser = Browser(web)
        page = self.login_browser.authorize(AuthRequest(s.basic).params)
        lf = login_form(page)
        assert lf is not None, "no login page: " + describe(page)
        self.login_req, self.login_csrf = dict(lf.fields)["req"], dict(lf.fields)["csrf"]
        # A pending request at the consent page.
        self.consent_browser = Browser(web)
        page = self.consent_browser.walk(self.consent_browser.login(
            self.consent_browser.authorize(AuthRequest(s.untrusted).params), s.alice))
        cf = consent_form(page)
        assert cf is not None, "no consent page: " + describe(page)
        self.consent_req, self.consent_csrf = dict(cf.fields)["req"], dict(cf.fields)["csrf"]
        # An administrator's session and its CSRF token.
        self.admin_browser = Browser(web)
        page = self.admin_browser.open(web.url("/login?next=/admin"))
        resp = self.admin_browser.login(page, s.admin)
        assert resp.status_code == 303, "admin sign-in: " + describe(resp)
        resp = self.admin_browser.request("GET", web.url("/admin/api/session"))
        assert resp.status_code == 200, describe(resp)
        self.admin_csrf = json_body(resp)["csrf_token"]
        # Live tokens: opaque from a code flow, JWT from client credentials.
        user_browser = Browser(web)
        req = AuthRequest(s.basic, scope="openid profile")
        code = callback(user_browser.sign_in(req, s.alice))["code"]
        tok = json_body(redeem(web, req, code))
        self.at, self.rt, self.id_token = tok["access_token"], tok["refresh_token"], \
            tok["id_token"]
        resp = token_request(web, s.jwt, {"grant_type": "client_credentials"})
        assert resp.status_code == 200, describe(resp)
        self.jwt_at = json_body(resp)["access_token"]
        self.forge(ctx, web)
        # A client registered through /register (RFC 7591), for RFC 7592 rows.
        # Its name is markup and a template: the login page shows it (stored input).
        resp = web.request("POST", "/register", headers={"Authorization": "Bearer " + s.iat},
                           json={"client_name": CS + XSS + ATTR,
                                 "redirect_uris": [CALLBACK], "scope": "openid"})
        assert resp.status_code == 201, "registration: " + describe(resp)
        got = json_body(resp)
        self.reg_id, self.rat = got["client_id"], got["registration_access_token"]
        self.reg_browser = Browser(web)
        page = self.reg_browser.authorize(AuthRequest(got, scope="openid").params)
        lf = login_form(page)
        assert lf is not None, "no login page for the registered client: " + describe(page)
        self.reg_req = dict(lf.fields)["req"]
        for b in (self.login_browser, self.consent_browser, self.admin_browser, user_browser,
                  self.reg_browser):
            b.s.close()

    def forge(self, ctx, web):
        """Access tokens an attacker could make, from the live JWT access token."""
        header, claims = jwt_parts(self.jwt_at)
        h, p, sig = self.jwt_at.split(".")
        keys = {k["kid"]: k for k in json_body(web.get("/jwks"))["keys"]}
        pem = JsonWebKey.import_key(keys[header["kid"]]).as_pem()
        other = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        self.alg_none = jws({"alg": "none", "typ": "at+jwt", "kid": header["kid"]}, claims,
                            lambda m: b"")
        self.alg_none_no_dot = self.alg_none.rstrip(".")
        # The classic key confusion: HS256 keyed with the RSA public key's PEM.
        self.hs256_pubkey = jws(dict(header, alg="HS256"), claims,
                                lambda m: hmac.new(pem, m, hashlib.sha256).digest())
        self.unknown_key = jwt.encode({"alg": "RS256", "typ": "at+jwt", "kid": header["kid"]},
                                      claims, other).decode()
        tampered = dict(claims, scope="openid profile email admin", sub="admin")
        self.tampered = "%s.%s.%s" % (h, b64url(json.dumps(tampered).encode()), sig)
        self.truncated_jwt = self.jwt_at[:-10]
        # Signed by our own key, with a live row: only typ (an id_token's "JWT") or exp
        # (an hour ago) is wrong, so the row proves the check that refuses them.
        now = int(time.time())
        self.wrong_typ = cli_sign(ctx, dict(claims, jti="ht" + secrets.token_hex(8)), "JWT")
        self.expired = cli_sign(ctx, dict(claims, jti="he" + secrets.token_hex(8),
                                          iat=now - 7200, exp=now - 3600), "at+jwt")
        for token in (self.wrong_typ, self.expired):
            ctx.pg.psql("INSERT INTO gatehouse.tokens (token_hash, kind, format, jti,"
                        " client_id, scope, expires_at) VALUES ('%s', 'access', 'jwt', '%s',"
                        " '%s', '%s', now() + interval '1 hour')"
                        % (sha256(token), jwt_parts(token)[1]["jti"], claims["client_id"],
                           claims["scope"]))


# ------------------------------------------------------------------------------ rows


def rows(ctx, f):
    s = f.s
    basic = "Basic " + b64("%s:%s" % (s.basic["client_id"], s.basic["client_secret"]))
    bearer = lambda t: {"Authorization": "Bearer " + t}  # noqa: E731
    login_cookie = f.login_cookie
    consent_cookie = f.consent_cookie
    admin = dict(f.admin_cookie, **{"X-CSRF-Token": f.admin_csrf})
    rat = bearer(f.rat)
    iat = bearer(s.iat)
    authz = [("response_type", "code"), ("client_id", s.basic["client_id"]),
             ("redirect_uri", CALLBACK), ("scope", "openid"), ("state", "st"),
             ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
             ("code_challenge_method", "S256")]

    def authz_with(**kw):
        return [(k, kw.pop(k) if k in kw else v) for k, v in authz] + list(kw.items())

    big = "A" * (MAX_BODY + 4096)
    attempts = {"gatehouse.login_attempts": "a failed sign-in is counted per account name and per "
                                  "address (R102)"}
    client_lock = {"gatehouse.login_attempts": "a wrong client secret is counted for the client's "
                                     "lockout (R39)"}
    reg_limit = {"gatehouse.login_attempts": "registrations are counted per address and per "
                                             "initial access token (RFC 7591 5, R93)",
                 "gatehouse.initial_access_tokens": "an initial access token records its "
                                                    "last use"}
    # lighttpd refuses control characters and some invalid UTF-8 in the URL itself.
    srv = lambda exp: {"default": exp, "lighttpd": (400, "server", None)}  # noqa: E731
    J = "application/json"
    F = "application/x-www-form-urlencoded"
    R = []
    add = lambda *a, **kw: R.append(Row(*a, **kw))  # noqa: E731

    # ---- discovery, JWKS, static files, paths
    add("discovery: a repeated parameter", "GET", "/.well-known/openid-configuration",
        (400, "json", "invalid_request"), query="x=1&x=2")
    add("discovery: a NUL byte in the query", "GET", "/.well-known/openid-configuration",
        srv((400, "json", "invalid_request")), query="x=%00")
    add("discovery: invalid UTF-8 in the query", "GET", "/.well-known/openid-configuration",
        (400, "json", "invalid_request"), query="x=%C3%28")
    add("RFC 8414 path with a traversal after the issuer", "GET",
        "/.well-known/oauth-authorization-server/oauth/..%2f..%2fetc%2fpasswd",
        (404, "server", None), root=True)
    add("jwks: a malformed %-escape (lighttpd rewrites it to %25zz)", "GET", "/jwks",
        {"default": (400, "json", "invalid_request"), "lighttpd": (200, "ok", None)},
        query="x=%zz")
    add("jwks: a huge query string (10 kB)", "GET", "/jwks",
        ((400, 414, 431), "server", None), query="x=" + "A" * 10000)
    add("static: ../ traversal, encoded", "GET", "/static/..%2f..%2f..%2fetc%2fpasswd",
        (404, "server", None))
    add("static: a NUL byte in the name", "GET", "/static/gatehouse.css%00.png",
        ((400, 404), "server", None))
    add("static: markup in the name", "GET", "/static/%3Cscript%3Ealert(1)%3C%2Fscript%3E.css",
        (404, "server", None))
    add("admin files: traversal", "GET", "/admin/..%2f..%2f..%2fetc%2fpasswd",
        (404, "server", None))
    add("unknown path with markup", "GET", "/%3Cimg%20src=x%20onerror=alert(1)%3E",
        (404, "json", "not_found"))

    add("discovery: Host and X-Forwarded-Host of another site", "GET",
        "/.well-known/openid-configuration", (200, "ok", None),
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example",
                 "X-Forwarded-Proto": "https"}, check=same_issuer, reqs=("R19",))
    add("a forged log line: %0A in the path", "GET",
        "/x%0Agatehouse[1]%20error:%20forged%20line", srv((404, "json", "not_found")),
        check=no_forged_line)
    add("an unknown method", "PATCH", "/token", ((400, 405, 501), "server", None),
        body="grant_type=client_credentials", ctype=F)
    add("login page: a hostile Accept-Language", "GET", "/login", (200, "login", None),
        query="next=/account", headers={"Accept-Language": XSS + ", " + CS + ";q=abc, "
                                        + "x-" * 2000 + ", *;q=-1"})

    # ---- /authorize
    add("authorize: client_id twice", "GET", "/authorize", (400, "page", "invalid_request"),
        query=q(authz + [("client_id", s.post["client_id"])]), reqs=("R09",))
    add("authorize: scope twice", "GET", "/authorize", (400, "page", "invalid_request"),
        query=q(authz + [("scope", "email")]), reqs=("R09",))
    add("authorize: response_type=token", "GET", "/authorize",
        (303, "redirect", "unsupported_response_type"),
        query=q(authz_with(response_type="token")), reqs=("R10", "R104"))
    add("authorize: response_type is markup, state is CRLF + headers", "GET", "/authorize",
        srv((303, "redirect", "unsupported_response_type")),
        query=q(authz_with(response_type=XSS, state=CRLF)), reqs=("R10", "R11"))
    add("authorize: redirect_uri with CRLF", "GET", "/authorize",
        srv((400, "page", "invalid_request")),
        query=q(authz_with(redirect_uri=CALLBACK + CRLF)),
        reqs=("R01", "R04"))
    add("authorize: redirect_uri javascript:", "GET", "/authorize",
        (400, "page", "invalid_request"),
        query=q(authz_with(redirect_uri="javascript:alert(1)//")), reqs=("R04",))
    add("authorize: client_id is SQL", "GET", "/authorize", (400, "page", "invalid_request"),
        query=q(authz_with(client_id=SQL_OR)), reqs=("R04",))
    add("authorize: a NUL byte in client_id", "GET", "/authorize",
        srv((400, "page", "invalid_request")),
        query=q(authz).replace("client_id=", "client_id=%00", 1))
    add("authorize: invalid UTF-8 in scope", "GET", "/authorize",
        srv((400, "page", "invalid_request")), query=q(authz).replace("scope=openid",
                                                                  "scope=openid%FF%FE"))
    add("authorize: a 5 kB client_id", "GET", "/authorize", (400, "page", "invalid_request"),
        query=q(authz_with(client_id="c" * 5000)))
    add("authorize: a huge state (request line over 8 kB)", "GET", "/authorize",
        ((400, 414, 431), "server", None), query=q(authz_with(state="s" * 9000)))
    add("authorize: code_challenge_method=plain", "GET", "/authorize",
        (303, "redirect", "invalid_request"),
        query=q(authz_with(code_challenge_method="plain")), reqs=("R22",))
    add("authorize: code_challenge is SQL", "GET", "/authorize",
        (303, "redirect", "invalid_request"), query=q(authz_with(code_challenge=SQL)),
        reqs=("R23",))
    add("authorize: prompt=none login", "GET", "/authorize",
        (303, "redirect", "invalid_request"), query=q(authz_with(prompt="none login")),
        reqs=("R69",))
    add("authorize: an unsigned request object", "GET", "/authorize",
        (303, "redirect", "request_not_supported"),
        query=q(authz_with(request=f.alg_none)), reqs=("R73",))
    add("authorize: max_age is a format string", "GET", "/authorize",
        (303, "redirect", "invalid_request"), query=q(authz_with(max_age=FMT)))
    add("authorize: form_post error with a state that breaks out of the attribute", "GET",
        "/authorize", (200, "html", None), query=q(authz_with(
            response_type="token", response_mode="form_post", state=ATTR + XSS)),
        check=posts_state(ATTR + XSS), reqs=("R10", "R11"))
    add("authorize: response_mode is markup", "GET", "/authorize",
        ((303, 400), "redirect_or_page", "invalid_request"),
        query=q(authz_with(response_mode=XSS)))
    add("authorize: request_uri", "GET", "/authorize",
        (303, "redirect", "request_uri_not_supported"),
        query=q(authz_with(request_uri="https://evil.example/req.jwt")), reqs=("R73",))
    add("authorize: max_age past 64 bits", "GET", "/authorize",
        (303, "redirect", "invalid_request"), query=q(authz_with(max_age="9" * 30)))
    add("authorize: a negative max_age", "GET", "/authorize",
        (303, "redirect", "invalid_request"), query=q(authz_with(max_age="-1")))
    add("authorize POST: response_type twice", "POST", "/authorize",
        (400, "page", "invalid_request"), body=q(authz + [("response_type", "code")]),
        ctype=F, reqs=("R08", "R09"))
    add("authorize POST: a NUL byte in the form", "POST", "/authorize",
        (400, "page", "invalid_request"), body=q(authz) + "&nonce=a%00b", ctype=F)
    add("authorize POST: a body over Http.MaxBody", "POST", "/authorize",
        (413, "page", "invalid_request"), body="state=" + big, ctype=F)
    add("authorize POST: text/plain body is not read", "POST", "/authorize",
        (400, "page", "invalid_request"), body=q(authz), ctype="text/plain")

    # ---- /login
    add("login: no request and no next", "GET", "/login", (404, "page", "not_found"))
    add("login: req is markup", "GET", "/login", ((400, 404), "page", None),
        query=q([("req", XSS)]))
    add("login: the page of a client whose name is a template", "GET", "/login",
        (200, "login", None), query=q([("req", f.reg_req)]), headers=f.reg_cookie,
        check=shows("&lt;?cs var:Config.Database.Conninfo ?&gt;"))
    add("login: next is a traversal", "GET", "/login", (404, "page", "not_found"),
        query=q([("next", "/account/../../etc/passwd")]), reqs=("R06",))
    add("login POST: no CSRF token", "POST", "/login", (403, "login", None),
        body=q([("req", f.login_req), ("username", s.alice["username"]),
                ("password", "x")]), ctype=F, headers=login_cookie, reqs=("R16",))
    add("login POST: markup username, shown escaped", "POST", "/login", (401, "login", None),
        body=q([("req", f.login_req), ("csrf", f.login_csrf), ("username", XSS + ATTR + f.tag),
                ("password", "x")]), ctype=F, headers=login_cookie, writes=attempts,
        check=shows("&lt;script&gt;alert(1)&lt;/script&gt;"))
    add("login POST: SQL username and password", "POST", "/login", (401, "login", None),
        body=q([("req", f.login_req), ("csrf", f.login_csrf), ("username", SQL + f.tag),
                ("password", SQL_OR)]), ctype=F, headers=login_cookie, writes=attempts)
    add("login POST: template and format-string username", "POST", "/login",
        (401, "login", None),
        body=q([("req", f.login_req), ("csrf", f.login_csrf), ("username", CS + FMT + f.tag),
                ("password", CS_INCLUDE)]), ctype=F, headers=login_cookie, writes=attempts)
    add("login POST: a NUL byte in the username", "POST", "/login",
        (400, "page", "invalid_request"),
        body=q([("req", f.login_req), ("csrf", f.login_csrf)]) + "&username=a%00b&password=x",
        ctype=F, headers=login_cookie)
    add("login POST: invalid UTF-8 password", "POST", "/login",
        (400, "page", "invalid_request"),
        body=q([("req", f.login_req), ("csrf", f.login_csrf), ("username", "x")])
        + "&password=%C0%AF", ctype=F, headers=login_cookie)
    add("login POST: username twice", "POST", "/login", (400, "page", "invalid_request"),
        body=q([("req", f.login_req), ("csrf", f.login_csrf), ("username", "a"),
                ("username", s.alice["username"]), ("password", s.alice["password"])]),
        ctype=F, headers=login_cookie)
    add("login POST: a body over Http.MaxBody", "POST", "/login",
        (413, "page", "invalid_request"), body="password=" + big, ctype=F,
        headers=login_cookie)

    # ---- /consent
    add("consent POST: no CSRF token", "POST", "/consent", (403, "page", "access_denied"),
        body=q([("req", f.consent_req), ("decision", "allow")]), ctype=F,
        headers=consent_cookie, reqs=("R16",))
    add("consent POST: decision twice", "POST", "/consent", (400, "page", "invalid_request"),
        body=q([("req", f.consent_req), ("csrf", f.consent_csrf), ("decision", "deny"),
                ("decision", "allow")]), ctype=F, headers=consent_cookie)
    add("consent POST: decision is markup", "POST", "/consent", (400, "consent", None),
        body=q([("req", f.consent_req), ("csrf", f.consent_csrf), ("decision", XSS)]),
        ctype=F, headers=consent_cookie)
    add("consent GET: req is SQL", "GET", "/consent", ((400, 404), "page", None),
        query=q([("req", SQL)]), headers=consent_cookie)

    # ---- /logout
    add("logout: an unregistered post_logout_redirect_uri", "GET", "/logout",
        (200, "html", None), query=q([("client_id", s.basic["client_id"]),
                                      ("post_logout_redirect_uri", "https://evil.example/"),
                                      ("state", XSS)]), reqs=("R98",))
    add("logout: an alg none id_token_hint", "GET", "/logout",
        (400, "page", "invalid_request"),
        query=q([("id_token_hint", f.alg_none), ("post_logout_redirect_uri", CALLBACK),
                 ("state", XSS)]), reqs=("R98",))
    add("logout: client_id twice", "GET", "/logout", (400, "page", "invalid_request"),
        query=q([("client_id", s.basic["client_id"]), ("client_id", s.post["client_id"])]))
    add("logout: ui_locales is a template", "GET", "/logout", (200, "html", None),
        query=q([("ui_locales", CS + XSS)]))
    add("logout: ui_locales is a path", "GET", "/logout", (200, "html", None),
        query=q([("ui_locales", "../../../../etc/passwd ../templates/lang/en")]))
    add("logout POST: confirm without a CSRF token", "POST", "/logout",
        ((400, 403), "page", None), body=q([("confirm", "1")]), ctype=F,
        headers=f.admin_cookie, reqs=("R100",))

    # ---- /token
    tok = lambda pairs, **kw: Row(  # noqa: E731
        kw.pop("name"), "POST", "/token", kw.pop("expect"), body=form(pairs), ctype=F,
        headers={"Authorization": basic}, **kw)
    R.append(tok([("grant_type", "client_credentials"), ("grant_type", "client_credentials")],
                 name="token: grant_type twice", expect=(400, "json", "invalid_request"),
                 reqs=("R34",)))
    R.append(tok([("grant_type", "password"), ("username", s.alice["username"]),
                  ("password", s.alice["password"])], name="token: grant_type=password",
                 expect=(400, "json", "unsupported_grant_type"), reqs=("R103",)))
    R.append(tok([("grant_type", XSS)], name="token: grant_type is markup",
                 expect=(400, "json", "unsupported_grant_type"), reqs=("R36",)))
    R.append(tok([("grant_type", "authorization_code"), ("code", SQL),
                  ("redirect_uri", CALLBACK), ("code_verifier", "v" * 43)],
                 name="token: code is SQL", expect=(400, "json", "invalid_grant")))
    R.append(tok("grant_type=authorization_code&code=a%00b&redirect_uri=x",
                 name="token: a NUL byte in code", expect=(400, "json", "invalid_request")))
    R.append(tok([("grant_type", "authorization_code"), ("code", CS),
                  ("redirect_uri", CALLBACK + CRLF), ("code_verifier", FMT)],
                 name="token: template code, CRLF redirect_uri",
                 expect=(400, "json", "invalid_grant")))
    R.append(tok([("grant_type", "refresh_token"), ("refresh_token", f.rt[:-8])],
                 name="token: a truncated refresh token", expect=(400, "json", "invalid_grant"),
                 reqs=("R43",)))
    R.append(tok([("grant_type", "refresh_token"), ("refresh_token", f.rt),
                  ("scope", "openid admin")], name="token: refresh asking for more scope",
                 expect=(400, "json", "invalid_scope"), reqs=("R45",)))
    R.append(tok([("grant_type", "client_credentials"), ("scope", CS_INCLUDE)],
                 name="token: scope is a template", expect=(400, "json", "invalid_scope")))
    R.append(tok("grant_type=client_credentials&scope=%FF", name="token: invalid UTF-8 scope",
                 expect=(400, "json", "invalid_request")))
    add("token: JSON body with a duplicate member", "POST", "/token",
        (400, "json", "invalid_request"), ctype=J, headers={"Authorization": basic},
        body='{"grant_type":"client_credentials","grant_type":"client_credentials"}',
        reqs=("R33", "R34"))
    add("token: JSON body with a number", "POST", "/token", (400, "json", "invalid_request"),
        ctype=J, headers={"Authorization": basic}, body='{"grant_type":7}', reqs=("R33",))
    add("token: JSON body with \\u0000", "POST", "/token", (400, "json", "invalid_request"),
        ctype=J, headers={"Authorization": basic},
        body='{"grant_type":"client_credentials","scope":"a\\u0000b"}', reqs=("R33",))
    add("token: JSON body with invalid UTF-8", "POST", "/token",
        (400, "json", "invalid_request"), ctype=J, headers={"Authorization": basic},
        body=b'{"grant_type":"client_credentials","scope":"\xff\xfe"}', reqs=("R33",))
    add("token: truncated JSON", "POST", "/token", (400, "json", "invalid_request"),
        ctype=J, headers={"Authorization": basic}, body='{"grant_type":', reqs=("R33",))
    add("token: a form body sent as text/plain", "POST", "/token",
        (400, "json", "invalid_request"), ctype="text/plain",
        headers={"Authorization": basic}, body="grant_type=client_credentials",
        reqs=("R33",))
    add("token: parameters in the query of a POST", "POST", "/token",
        (400, "json", "invalid_request"), query="grant_type=client_credentials",
        headers={"Authorization": basic}, body="", ctype=F, reqs=("R33",))
    add("token: 200 parameters", "POST", "/token", (400, "json", "invalid_request"),
        ctype=F, headers={"Authorization": basic},
        body="grant_type=client_credentials&" + "&".join("p%d=%s" % (i, i) for i in range(200)))
    add("token: a chunked body with grant_type twice", "POST", "/token",
        (400, "json", "invalid_request"), ctype=F, headers={"Authorization": basic},
        body="grant_type=client_credentials&x=" + "y" * 9000 + "&grant_type=password",
        chunked=True, reqs=("R34",))
    add("token: a chunked body over Http.MaxBody", "POST", "/token",
        (413, "json", "invalid_request"), ctype=F, headers={"Authorization": basic},
        body="grant_type=client_credentials&x=" + big, chunked=True)
    add("token: a JSON number past any double", "POST", "/token",
        (400, "json", "invalid_request"), ctype=J, headers={"Authorization": basic},
        body='{"grant_type":"client_credentials","scope":1e999999}', reqs=("R33",))
    add("token: GET with parameters in the query", "GET", "/token",
        (405, "json", "method_not_allowed"), query="grant_type=client_credentials",
        headers={"Authorization": basic}, reqs=("R33",))
    add("token: a body over Http.MaxBody", "POST", "/token", (413, "json", "invalid_request"),
        ctype=F, headers={"Authorization": basic}, body="grant_type=client_credentials&x=" + big)
    add("token: Basic that is not base64", "POST", "/token", (400, "json", "invalid_request"),
        ctype=F, headers={"Authorization": "Basic !!!%%%"}, body="grant_type=client_credentials",
        reqs=("R37",))
    add("token: Basic with a NUL in the id", "POST", "/token",
        (400, "json", "invalid_request"), ctype=F,
        headers={"Authorization": "Basic " + b64("a%00b:secret")},
        body="grant_type=client_credentials", reqs=("R37",))
    add("token: Basic with invalid UTF-8 secret", "POST", "/token",
        (400, "json", "invalid_request"), ctype=F,
        headers={"Authorization": "Basic " + b64(s.basic["client_id"].encode() + b":\xff")},
        body="grant_type=client_credentials", reqs=("R37",))
    add("token: Basic with an SQL client id", "POST", "/token",
        (401, "json", "invalid_client"), ctype=F,
        headers={"Authorization": "Basic " + b64(urllib.parse.quote_plus(SQL_OR) + ":x")},
        body="grant_type=client_credentials", reqs=("R36",))
    add("token: Basic with an SQL secret", "POST", "/token", (401, "json", "invalid_client"),
        ctype=F, headers={"Authorization": "Basic " + b64(
            "%s:%s" % (s.basic["client_id"], urllib.parse.quote_plus(SQL)))},
        body="grant_type=client_credentials", reqs=("R36", "R39"), writes=client_lock)
    add("token: Basic and client_secret both", "POST", "/token",
        (400, "json", "invalid_request"), ctype=F, headers={"Authorization": basic},
        body=q([("grant_type", "client_credentials"),
                ("client_secret", s.basic["client_secret"])]), reqs=("R38",))
    add("token: a Bearer header instead of client authentication", "POST", "/token",
        (401, "json", "invalid_client"), ctype=F, headers=bearer(f.at),
        body="grant_type=client_credentials", reqs=("R40",))
    add("token: a malformed Content-Length", "POST", "/token", (400, "server", None),
        ctype=F, headers={"Authorization": basic, "Content-Length": "-5"},
        body="grant_type=client_credentials")

    for origin in ("null", "https://evil.example", "https://spa.example.evil.example"):
        add("token: a CORS preflight from %s" % origin, "OPTIONS", "/token",
            (204, "empty", None), headers={"Origin": origin,
                                          "Access-Control-Request-Method": "POST"},
            check=no_cors, reqs=("R60",))

    # ---- /userinfo
    ui = lambda name, token, status, err, reqs=("R57",): Row(  # noqa: E731
        name, "GET", "/userinfo", (status, "bearer", err), headers=bearer(token), reqs=reqs)
    R.append(ui("userinfo: a truncated opaque token", f.at[:-6], 401, "invalid_token"))
    R.append(ui("userinfo: JWT re-signed with alg none", f.alg_none, 401, "invalid_token",
                ("R57", "R61")))
    R.append(ui("userinfo: JWT HS256 keyed with the RSA public key", f.hs256_pubkey, 401,
                "invalid_token"))
    R.append(ui("userinfo: JWT signed by an unknown key with our kid", f.unknown_key, 401,
                "invalid_token"))
    R.append(ui("userinfo: JWT with a modified payload", f.tampered, 401, "invalid_token"))
    R.append(ui("userinfo: JWT with typ JWT and a live row", f.wrong_typ, 401,
                "invalid_token", ("R57", "R63")))
    R.append(ui("userinfo: an id_token as the access token", f.id_token, 401,
                "invalid_token", ("R63",)))
    R.append(ui("userinfo: an expired JWT with a live row", f.expired, 401, "invalid_token"))
    R.append(ui("userinfo: a 6 kB token", "A" * 6000, 401, "invalid_token"))
    R.append(ui("userinfo: a client credentials JWT (no user)", f.jwt_at, 403,
                "insufficient_scope"))
    add("userinfo: Bearer with a space inside", "GET", "/userinfo",
        (400, "bearer", "invalid_request"), headers={"Authorization": "Bearer a b"},
        reqs=("R57",))
    add("userinfo: a token in the header and the body", "POST", "/userinfo",
        (400, "bearer", "invalid_request"), headers=bearer(f.at),
        body=q([("access_token", f.at)]), ctype=F)
    add("userinfo: access_token twice in the body", "POST", "/userinfo",
        (400, "bearer", "invalid_request"), body=q([("access_token", f.at),
                                                     ("access_token", f.at)]), ctype=F,
        reqs=("R57",))
    add("userinfo: access_token in the query", "GET", "/userinfo",
        (401, "bearer", None), query=q([("access_token", f.at)]), reqs=("R56",))
    add("userinfo: a 16 kB Authorization header", "GET", "/userinfo",
        ((400, 401, 413, 431), "server", None), headers=bearer("B" * 16384))

    # ---- /introspect
    intro = lambda name, token, **kw: Row(  # noqa: E731
        name, "POST", "/introspect", kw.pop("expect", (200, "inactive", None)),
        body=form(token if isinstance(token, str) and "=" in token and "&" in token
                  else q([("token", token)])), ctype=F, headers={"Authorization": basic}, **kw)
    R.append(intro("introspect: a truncated opaque token", f.at[:-1], reqs=("R83",)))
    R.append(intro("introspect: JWT alg none", f.alg_none, reqs=("R83",)))
    R.append(intro("introspect: JWT HS256 with the public key", f.hs256_pubkey,
                   reqs=("R83",)))
    R.append(intro("introspect: an expired JWT with a live row", f.expired, reqs=("R83",)))
    R.append(intro("introspect: SQL", SQL, reqs=("R83",)))
    R.append(intro("introspect: token twice", "token=a&token=b",
                   expect=(400, "json", "invalid_request"), reqs=("R34",)))
    add("introspect: no client authentication", "POST", "/introspect",
        (401, "json", "invalid_client"), body=q([("token", f.at)]), ctype=F, reqs=("R82",))
    add("introspect: token_type_hint is markup", "POST", "/introspect",
        (200, "inactive", None), body=q([("token", f.at[:-2]), ("token_type_hint", XSS)]),
        ctype=F, headers={"Authorization": basic}, reqs=("R84",))

    # ---- /revoke
    rev = lambda name, body, expect=(200, "empty", None), ctype=F, **kw: Row(  # noqa: E731
        name, "POST", "/revoke", expect, body=body, ctype=ctype,
        headers={"Authorization": basic}, **kw)
    R.append(rev("revoke: a truncated access token", q([("token", f.at[:-1])]),
                 reqs=("R87",)))
    R.append(rev("revoke: the JWT with a modified payload", q([("token", f.tampered)]),
                 reqs=("R87",)))
    R.append(rev("revoke: SQL and an unknown hint", q([("token", SQL),
                                                       ("token_type_hint", SQL_OR)]),
                 reqs=("R87",)))
    R.append(rev("revoke: token twice", q([("token", f.at), ("token", f.rt)]),
                 (400, "json", "invalid_request"), reqs=("R34",)))
    R.append(rev("revoke: a JSON array as the token", '{"token":["a","b"]}',
                 (400, "json", "invalid_request"), ctype=J))
    add("revoke: no client authentication", "POST", "/revoke",
        (401, "json", "invalid_client"), body=q([("token", f.at)]), ctype=F, reqs=("R86",))

    # ---- /register (RFC 7591, 7592)
    reg = lambda name, body, expect, ctype=J, headers=iat, **kw: Row(  # noqa: E731
        name, "POST", "/register", expect, ctype=ctype, headers=headers,
        body=json.dumps(body) if isinstance(body, dict) else body,
        touches=kw.pop("touches", reg_limit), **kw)
    meta = {"client_name": "hostile", "redirect_uris": [CALLBACK]}
    R.append(reg("register: no initial access token", meta, (401, "json", "invalid_token"),
                 headers={}, reqs=("R93",)))
    R.append(reg("register: a forged initial access token", meta,
                 (401, "json", "invalid_token"), headers=bearer(s.iat[:-3] + "AAA"),
                 reqs=("R93",)))
    R.append(reg("register: a form body", q([("client_name", "x"),
                                             ("redirect_uris", CALLBACK)]),
                 (400, "json", "invalid_client_metadata"), ctype=F, reqs=("R91",)))
    R.append(reg("register: a redirect URI with CRLF", dict(meta, redirect_uris=[CALLBACK + CRLF]),
                 (400, "json", "invalid_redirect_uri"), reqs=("R91",)))
    R.append(reg("register: a javascript: redirect URI and a markup name",
                 dict(meta, client_name=XSS, redirect_uris=["javascript:alert(1)"]),
                 (400, "json", "invalid_redirect_uri"), reqs=("R91",)))
    R.append(reg("register: a javascript: logo_uri", dict(meta, logo_uri="javascript:alert(1)"),
                 (400, "json", "invalid_client_metadata"), reqs=("R93",)))
    R.append(reg("register: a tos_uri that breaks out of an attribute",
                 dict(meta, tos_uri="https://x.example/" + ATTR),
                 (400, "json", "invalid_client_metadata"), reqs=("R93",)))
    R.append(reg("register: a 5000-character client_name", dict(meta, client_name="n" * 5000),
                 (400, "json", "invalid_client_metadata"), reqs=("R93",)))
    R.append(reg("register: grant_types password", dict(meta, grant_types=["password"]),
                 (400, "json", "invalid_client_metadata"), reqs=("R91",)))
    R.append(reg("register: a template auth method", dict(
        meta, token_endpoint_auth_method=CS), (400, "json", "invalid_client_metadata"),
        reqs=("R91",)))
    R.append(reg("register: a duplicate member",
                 '{"client_name":"a","redirect_uris":["%s"],"client_name":"b"}' % CALLBACK,
                 (400, "json", "invalid_request")))
    R.append(reg("register: invalid UTF-8 in a name",
                 b'{"client_name":"\xc0\xaf","redirect_uris":["' + CALLBACK.encode() + b'"]}',
                 (400, "json", "invalid_request")))
    R.append(reg("register: JSON nested 20000 deep", "[" * 20000 + "]" * 20000,
                 (400, "json", "invalid_request")))
    R.append(reg("register: an integer past 64 bits",
                 '{"client_name":"a","redirect_uris":["%s"],"default_max_age":%s}'
                 % (CALLBACK, "9" * 40), (400, "json", "invalid_request")))
    R.append(reg("register: a malformed Bearer", meta, (400, "bearer", "invalid_request"),
                 headers={"Authorization": "Bearer " + XSS}, touches={}))
    R.append(reg("register: a body over Http.MaxBody", '{"client_name":"' + big + '"}',
                 (413, "json", "invalid_request"), touches={}))
    add("register: read with a truncated registration token", "GET",
        "/register/" + f.reg_id, (401, "json", "invalid_token"), headers=bearer(f.rat[:-4]),
        reqs=("R94",))
    add("register: read an SQL client id", "GET",
        "/register/" + urllib.parse.quote(SQL_OR), (401, "json", "invalid_token"),
        headers=rat, reqs=("R94",))
    add("register: update with a form body", "PUT", "/register/" + f.reg_id,
        (400, "json", "invalid_client_metadata"), headers=rat, ctype=F,
        body=q([("client_id", f.reg_id), ("redirect_uris", CALLBACK)]), reqs=("R95",))
    add("register: update with another client_id", "PUT", "/register/" + f.reg_id,
        (400, "json", "invalid_request"), headers=rat, ctype=J,
        body=json.dumps(dict(meta, client_id=SQL)), reqs=("R95",))
    add("register: delete with an alg none JWT", "DELETE", "/register/" + f.reg_id,
        (401, "json", "invalid_token"), headers=bearer(f.alg_none), reqs=("R94",))

    # ---- /account
    add("account POST: no CSRF token", "POST", "/account", (403, "page", "access_denied"),
        body=q([("grant", "00000000-0000-0000-0000-000000000000")]), ctype=F,
        headers=f.admin_cookie, reqs=("R16",))
    add("account POST: grant is SQL", "POST", "/account", (403, "page", "access_denied"),
        body=q([("grant", SQL), ("csrf", SQL_OR)]), ctype=F, headers=f.admin_cookie)
    add("account POST: grant twice", "POST", "/account", (400, "page", "invalid_request"),
        body=q([("grant", "a"), ("grant", "b")]), ctype=F, headers=f.admin_cookie)

    # ---- /admin/api
    add("admin: no session", "GET", "/admin/api/clients", (401, "json", "login_required"))
    add("admin: a forged session cookie", "GET", "/admin/api/clients",
        (401, "json", "login_required"), headers={"Cookie": "gh_session=" + SQL_OR.replace(
            " ", "")})
    add("admin: create without the CSRF header", "POST", "/admin/api/clients",
        (403, "json", "access_denied"), headers=f.admin_cookie, ctype=J,
        body=json.dumps({"client_name": "x", "redirect_uris": [CALLBACK]}), reqs=("R16",))
    add("admin: create from another Origin", "POST", "/admin/api/clients",
        (403, "json", "access_denied"), headers=dict(admin, Origin="https://evil.example"),
        ctype=J, body=json.dumps({"client_name": "x", "redirect_uris": [CALLBACK]}))
    add("admin: create with a form body", "POST", "/admin/api/clients",
        (400, "json", "invalid_request"), headers=admin, ctype=F,
        body=q([("client_name", "x"), ("redirect_uris", CALLBACK)]))
    add("admin: create with a javascript: redirect URI and a markup name", "POST",
        "/admin/api/clients", (400, "json", "invalid_redirect_uri"), headers=admin, ctype=J,
        body=json.dumps({"client_name": XSS, "redirect_uris": ["javascript:alert(1)"]}))
    add("admin: create with invalid UTF-8", "POST", "/admin/api/clients",
        (400, "json", "invalid_request"), headers=admin, ctype=J,
        body=b'{"client_name":"\xed\xa0\x80","redirect_uris":["' + CALLBACK.encode() + b'"]}')
    add("admin: an SQL client id in the path", "GET",
        "/admin/api/clients/" + urllib.parse.quote(SQL_OR, safe=""), (404, "json", None),
        headers=f.admin_cookie)
    add("admin: a traversal in the path", "GET", "/admin/api/clients/..%2f..%2fusers",
        (404, "server", None), headers=f.admin_cookie)
    add("admin: search for SQL", "GET", "/admin/api/users", (200, "ok", None),
        query=q([("q", SQL_OR + " --")]), headers=f.admin_cookie)
    add("admin: create user with a number as the name", "POST", "/admin/api/users",
        (400, "json", "invalid_request"), headers=admin, ctype=J,
        body=json.dumps({"username": 7, "password": "p" * 12}))
    add("admin: a body over Http.MaxBody", "POST", "/admin/api/users",
        (413, "json", "invalid_request"), headers=admin, ctype=J,
        body='{"username":"' + big + '"}')
    return R


# ------------------------------------------------------------------------ the checking


def cookie_header(browser):
    return {"Cookie": "; ".join("%s=%s" % (c.name, c.value) for c in browser.s.cookies)}


def pick(value, flavour):
    return value.get(flavour, value["default"]) if isinstance(value, dict) else value


def send_chunked(web, target, headers, body):
    """The body in 4 kB chunks (RFC 9112 7.1) over a socket of its own: the server may
    answer (413) and close before it has read them all."""
    head = ["POST %s HTTP/1.1" % target, "Host: 127.0.0.1:%d" % web.port,
            "Transfer-Encoding: chunked", "Connection: close"]
    head += ["%s: %s" % kv for kv in headers.items()]
    data = ("\r\n".join(head) + "\r\n\r\n").encode()
    for i in range(0, len(body), 4096):
        part = body[i:i + 4096]
        data += b"%x\r\n%s\r\n" % (len(part), part)
    data += b"0\r\n\r\n"
    sock = socket.create_connection(("127.0.0.1", web.port), timeout=15)
    try:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        r = http.client.HTTPResponse(sock, method="POST")
        r.begin()
        resp = harness.RawResponse("POST", web.base, target, r.status, r.getheaders(),
                                   r.read())
    finally:
        sock.close()
    web._record(resp)
    return resp


def send(web, row):
    target = row.path
    if row.query is not None:
        target += "?" + row.query
    headers = dict(row.headers)
    body = row.body
    if isinstance(body, str):
        body = body.encode()
    if row.chunked:
        headers.setdefault("Content-Type", row.ctype)
        return send_chunked(web, ("" if row.root else "/oauth") + target, headers, body)
    if body is not None:
        headers.setdefault("Content-Type", row.ctype or "application/octet-stream")
        headers.setdefault("Content-Length", str(len(body)))
    return web.raw(row.method, target, headers=headers, body=body, root=row.root)


def check_page(resp, body, error, row):
    text = resp.text
    out = [] if 'class="status status-error"' in text else ["not the error page: %r"
                                                           % text[:300]]
    if error is not None and "<code>%s</code>" % error not in text:
        out.append("the page does not say %s" % error)
    return out


def check_json(resp, body, error, row):
    if body is None:
        return ["not JSON: %s %r" % (resp.headers.get("Content-Type"), resp.text[:200])]
    got = body.get("error")
    if error is None and got is None or error is not None and got != error:
        return ["error %r, wanted %r" % (got, error or "one")]
    return []


def check_bearer(resp, body, error, row):
    """RFC 6750 3: the challenge, and the same error in the JSON body when there is one."""
    www = resp.headers.get("WWW-Authenticate", "")
    if body is not None and body.get("error") != (error or "invalid_request"):
        return ["error %r in the body, wanted %r" % (body.get("error"), error)]
    if not www.startswith("Bearer"):
        return ["WWW-Authenticate %r" % www]
    if error is None and "error=" in www:
        return ["WWW-Authenticate %r has an error without a token" % www]
    if error is not None and 'error="%s"' % error not in www:
        return ["WWW-Authenticate %r, wanted error=%s" % (www, error)]
    return []


def check_redirect(resp, body, error, row):
    loc = resp.headers.get("Location", "")
    got = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query,
                                      keep_blank_values=True))
    if not loc.startswith(CALLBACK + "?"):
        return ["Location %r is not the client's redirect URI" % loc]
    out = []
    if got.get("error") != error:
        out.append("redirect error %r, wanted %r" % (got.get("error"), error))
    if "code" in got:
        out.append("a code in an error redirect")
    sent = dict(urllib.parse.parse_qsl(row.query or ""))
    if "state" in sent and got.get("state") != sent["state"]:
        out.append("state %r came back as %r (R11)" % (sent["state"], got.get("state")))
    return out


def has(marker, what):
    return lambda resp, body, error, row: [] if marker in resp.text else ["not %s" % what]


KINDS = {
    "json": check_json,
    "bearer": check_bearer,
    "page": check_page,
    "redirect": check_redirect,
    "redirect_or_page": lambda resp, body, error, row: (
        check_redirect if resp.status_code in (302, 303) else check_page)(
            resp, body, error, row),
    "login": has('name="password"', "the login page"),
    "consent": has('name="decision"', "the consent page"),
    "html": lambda resp, body, error, row: [],
    "inactive": lambda resp, body, error, row: [] if body == {"active": False} else [
        "wanted exactly {\"active\": false}, got %r" % (body,)],
    "empty": lambda resp, body, error, row: ["a body: %r" % resp.text[:200]]
    if resp.content else [],
    "ok": lambda resp, body, error, row: [] if isinstance(body, dict) else ["not JSON"],
    "server": lambda resp, body, error, row: [],
}
HTML_KINDS = ("page", "login", "consent", "html")
JSON_KINDS = ("json", "bearer", "inactive", "ok")


def check_answer(row, resp, flavour, log):
    """Problems with the answer to row (a list of strings)."""
    status, kind, error = pick(row.expect, flavour)
    wanted = status if isinstance(status, tuple) else (status,)
    out = []
    if resp.status_code >= 500 or resp.status_code not in wanted:
        out.append("status %d, wanted %s" % (resp.status_code, "/".join(map(str, wanted))))
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype == "text/html" or resp.text.lstrip().startswith("<"):
        out += ["reflects %r unescaped" % m for m in RAW_MARKERS
                if m.lower() in resp.text.lower()]
    for name, value in resp.headers.items():
        if "\r" in value or "\n" in value or name.lower() == "x-injected" or \
                (name.lower() == "set-cookie" and value.startswith("injected=")):
            out.append("header %s: %r (CRLF injection)" % (name, value))
    body = None
    if ctype == "application/json" and resp.content:
        try:
            body = json.loads(resp.text)
        except ValueError:
            out.append("malformed JSON: %r" % resp.text[:200])
    if kind in HTML_KINDS and ctype != "text/html":
        out.append("not an HTML page: %s %r" % (ctype, resp.text[:200]))
    if kind in ("json", "bearer", "inactive") and body is not None and \
            "no-store" not in resp.headers.get("Cache-Control", ""):
        out.append("no Cache-Control: no-store")
    if kind in HTML_KINDS + JSON_KINDS + ("empty",) and "Location" in resp.headers:
        out.append("a Location: %r" % resp.headers["Location"])
    if kind != "server" and (ctype == "text/html" or kind != "page"):
        out += KINDS[kind](resp, body, error, row)
    if row.check is not None:
        out += row.check(resp, body, log)
    return out


def tables(ctx):
    return ctx.pg.psql("SELECT format('%I.%I', schemaname, tablename) FROM pg_catalog.pg_tables"
                       " WHERE schemaname IN ('gatehouse', 'public') ORDER BY 1").split()


class Psql:
    """One psql session for the whole table (a psql per snapshot would cost more than
    the requests)."""

    END = "-- end of answer --"

    def __init__(self, pg):
        self.p = subprocess.Popen(
            [harness.PG_BIN + "/psql", "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p",
             str(pg.port), "-U", "gatehouse", "-d", "gatehouse"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def query(self, sql):
        self.p.stdin.write("%s;\n\\echo '%s'\n" % (sql, self.END))
        self.p.stdin.flush()
        lines = []
        for line in self.p.stdout:
            if line.rstrip("\n") == self.END:
                return lines
            lines.append(line.rstrip("\n"))
        raise AssertionError("psql ended: %r" % lines)

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=10)


def snapshot(psql, names):
    """{table: (row count, digest of the rows)}, in one statement."""
    sql = " UNION ALL ".join(
        "SELECT '%s', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
        " FROM %s t" % (n, n) for n in names)
    out = {}
    for line in psql.query(sql):
        name, count, digest = line.split("|")
        out[name] = (int(count), digest)
    return out


def unexpected_changes(row, before, after):
    """{table: (rows before, rows after)} for changes the row may not make."""
    out = {}
    for t in before:
        if before[t] == after[t] or t in row.writes:
            continue
        if t in row.touches and before[t][0] == after[t][0]:
            continue
        out[t] = (before[t][0], after[t][0])
    return out


# ------------------------------------------------------------------------------ test


def hostile_server(ctx):
    rundir = os.path.join(ctx.workdir, "hostile-" + ctx.flavour)
    web = harness.WebServer(ctx.flavour, rundir, ctx.tree, None)
    web.config_path = harness.write_config(
        ctx.tmp("hostile-%s.hdf" % ctx.flavour), web.issuer, ctx.pg, ctx.tree, ctx.key_file,
        **{"Registration.Enabled": 1, "Registration.PerAddressPerHour": 100000,
           "Registration.PerTokenPerHour": 100000, "Sweep.Interval": 0,
           "Http.MaxBody": MAX_BODY})
    return web.start()


def test_hostile_requests(ctx):
    shared = ctx.shared(Shared)
    web = hostile_server(ctx)
    try:
        live = Live(ctx, web, shared)
        live.login_cookie = cookie_header(live.login_browser)
        live.consent_cookie = cookie_header(live.consent_browser)
        live.admin_cookie = cookie_header(live.admin_browser)
        live.reg_cookie = cookie_header(live.reg_browser)
        for name in ("at", "rt", "jwt_at"):
            assert len(getattr(live, name)) > 20
        table = rows(ctx, live)
        assert len(table) >= 60, "only %d rows" % len(table)
        names = tables(ctx)
        assert "gatehouse.tokens" in names and "gatehouse.clients" in names, names
        log_from = web.log_size()
        failures = []
        psql = Psql(ctx.pg)
        before = snapshot(psql, names)
        for row in table:
            log_at = web.log_size()
            try:
                resp = send(web, row)
            except (OSError, http.client.HTTPException) as e:
                failures.append("%s: no answer: %r" % (row.label(), e))
                before = snapshot(psql, names)
                continue
            problems = check_answer(row, resp, ctx.flavour, web.read_log(log_at))
            after = snapshot(psql, names)
            changed = unexpected_changes(row, before, after)
            if changed:
                problems.append("changed the database: %s" % ", ".join(
                    "%s (rows %d -> %d)" % (t, a, b) for t, (a, b) in sorted(changed.items())))
            if problems:
                failures.append("%s: %s\n        %s" % (row.label(), "; ".join(problems),
                                                       describe(resp)[:400]))
            before = after
        psql.close()
        crashes = web.crash_lines(log_from)
        assert not crashes, "crash lines in the error log:\n" + "\n".join(crashes[:10])
        assert not failures, "%d of %d rows failed:\n%s" % (len(failures), len(table),
                                                             "\n".join(failures))
    finally:
        web.stop()
        # The sign-ins and wrong passwords of these rows came from 127.0.0.1: leave the
        # address's counter as the other modules expect it.
        ctx.pg.psql("DELETE FROM gatehouse.login_attempts WHERE key LIKE 'addr:%'")


test_hostile_requests.timeout = 120
