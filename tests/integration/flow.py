"""Driving the authorization code flow the way a person's browser and a client app do.

Helpers for test_flow.py and later flow tests (refresh, logout, account). Standard
library, python3-requests and python3-authlib only.

A Browser keeps cookies and follows redirects that stay inside the issuer (to /login,
/consent, back to /authorize); it stops at a page (200) or at a redirect that leaves
the issuer, which is the answer to the client and is never followed (the registered
redirect URIs point at http://127.0.0.1:9, where nothing listens). It submits the real
HTML forms: the login form (the one with a password field) and the consent form (the
one whose buttons are named decision).
"""

import base64
import hashlib
import html.parser
import json
import os
import secrets
import shutil
import subprocess
import urllib.parse

import requests

import harness
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken

CALLBACK = "http://127.0.0.1:9/callback"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


# --------------------------------------------------------------------------- PKCE etc.


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def s256(verifier):
    return b64url(hashlib.sha256(verifier.encode()).digest())


def half_hash(value, alg="RS256"):
    """at_hash / c_hash: the left half of the alg's hash, base64url (OIDC Core 3.1.3.6).
    EdDSA with Ed25519 uses SHA-512 (the OpenID Foundation's reading)."""
    h = hashlib.sha512 if alg in ("RS512", "ES512", "PS512", "EdDSA") else \
        hashlib.sha384 if alg.endswith("384") else hashlib.sha256
    d = h(value.encode()).digest()
    return b64url(d[:len(d) // 2])


def basic_auth(client_id, secret):
    """RFC 6749 2.3.1: each part form-urlencoded, then Basic."""
    raw = "%s:%s" % (urllib.parse.quote_plus(client_id), urllib.parse.quote_plus(secret))
    return "Basic " + base64.b64encode(raw.encode()).decode()


class AuthRequest:
    """One authorization request: its parameters and the PKCE verifier behind them."""

    def __init__(self, client, redirect_uri=CALLBACK, scope="openid profile email",
                 pkce=True, **extra):
        self.client = client
        self.verifier = secrets.token_urlsafe(48)
        self.state = secrets.token_urlsafe(12)
        self.nonce = secrets.token_urlsafe(12)
        self.redirect_uri = redirect_uri
        p = {"response_type": "code", "client_id": client["client_id"],
             "redirect_uri": redirect_uri, "scope": scope, "state": self.state,
             "nonce": self.nonce}
        if pkce:
            p["code_challenge"] = s256(self.verifier)
            p["code_challenge_method"] = "S256"
        for k, v in extra.items():
            if v is None:
                p.pop(k, None)
            else:
                p[k] = v
        self.state = p.get("state")
        self.nonce = p.get("nonce")
        self.redirect_uri = p.get("redirect_uri", redirect_uri)
        self.params = p


# ------------------------------------------------------------------------------ HTML


class Form:
    def __init__(self, action, method):
        self.action = action
        self.method = method
        self.fields = []        # (name, value) of inputs sent with any button
        self.buttons = []       # (name, value) of named submit buttons

    def data(self, **values):
        d = dict(self.fields)
        d.update(values)
        return d


class _FormParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.cur = Form(a.get("action", ""), (a.get("method") or "get").lower())
            self.forms.append(self.cur)
            return
        if self.cur is None or not a.get("name"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self.cur.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.cur.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("button", "reset", "file"):
                self.cur.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self.cur.buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.cur = None


def forms(resp):
    """The forms of an HTML response, with absolute actions."""
    if not resp.headers.get("Content-Type", "").lower().startswith("text/html"):
        return []
    p = _FormParser()
    p.feed(resp.text)
    for f in p.forms:
        f.action = urllib.parse.urljoin(resp.url, f.action)
    return p.forms


def login_form(resp):
    for f in forms(resp):
        if any(n == "password" for n, _ in f.fields):
            return f
    return None


def consent_form(resp):
    for f in forms(resp):
        if any(n == "decision" for n, _ in f.buttons):
            return f
    return None


def describe(resp):
    """A response in one line, for assertion messages."""
    loc = resp.headers.get("Location")
    return "%s %s -> %d%s %s %r" % (
        resp.request.method, resp.request.path_url if hasattr(resp.request, "path_url")
        else resp.url, resp.status_code, " Location: " + loc if loc else "",
        resp.headers.get("Content-Type", ""), resp.text[:300])


# --------------------------------------------------------------------------- browser


class Browser:
    """A person's browser against one web server (cookies kept)."""

    def __init__(self, web, headers=None):
        self.web = web
        self.s = harness.http_session()
        self.s.hooks["response"].append(web._record)
        if headers:
            self.s.headers.update(headers)

    def close(self):
        self.s.close()

    def request(self, method, url, **kw):
        kw.setdefault("timeout", 15)
        kw.setdefault("allow_redirects", False)
        return self.s.request(method, url, **kw)

    def inside(self, resp):
        """The Location of a redirect that stays inside the issuer, else None."""
        if resp.status_code not in REDIRECT_STATUSES:
            return None
        loc = urllib.parse.urljoin(resp.url, resp.headers.get("Location", ""))
        return loc if loc.startswith(self.web.issuer + "/") else None

    def walk(self, resp, limit=8):
        """Follows redirects inside the issuer; returns the first other response."""
        for _ in range(limit):
            loc = self.inside(resp)
            if loc is None:
                return resp
            resp = self.request("GET", loc)
        raise AssertionError("more than %d redirects inside the issuer: %s"
                             % (limit, describe(resp)))

    def open(self, url):
        return self.walk(self.request("GET", url))

    def authorize(self, params, method="GET"):
        """GET (or POST) /authorize with params (a dict or a list of pairs), walked."""
        url = self.web.url("/authorize")
        if method == "GET":
            return self.walk(self.request("GET", url, params=params))
        return self.walk(self.request("POST", url, data=params))

    def login(self, page, user, **override):
        """Submits the login form found on page; returns the raw (unwalked) answer."""
        form = login_form(page)
        assert form is not None, "no login form: " + describe(page)
        data = form.data(username=user["username"], password=user["password"])
        data.update(override)
        data = {k: v for k, v in data.items() if v is not None}
        return self.request("POST", form.action, data=data)

    def consent(self, page, decision="allow", **override):
        """Presses the consent form's decision button; returns the raw answer."""
        form = consent_form(page)
        assert form is not None, "no consent form: " + describe(page)
        assert ("decision", decision) in form.buttons, \
            "consent form has no decision=%s button: %r" % (decision, form.buttons)
        data = form.data(decision=decision)
        data.update(override)
        data = {k: v for k, v in data.items() if v is not None}
        return self.request("POST", form.action, data=data)

    def finish(self, resp, user, decision="allow", seen=None):
        """From any point of the flow to the answer to the client: signs in when the
        login page shows, decides when the consent page shows. seen (a list) collects
        the names of the pages met ("login", "consent")."""
        for _ in range(4):
            resp = self.walk(resp)
            if login_form(resp) is not None:
                if seen is not None:
                    seen.append("login")
                resp = self.login(resp, user)
                continue
            if consent_form(resp) is not None:
                if seen is not None:
                    seen.append("consent")
                resp = self.consent(resp, decision)
                continue
            return resp
        raise AssertionError("the flow did not end: " + describe(resp))

    def sign_in(self, req, user, decision="allow", method="GET", seen=None):
        """The whole browser part of the code flow for req; returns the answer to the
        client (a redirect out of the issuer, or a form_post page)."""
        return self.finish(self.authorize(req.params, method), user, decision, seen)


# ------------------------------------------------------------------- the client's side


def callback(resp, redirect_uri=CALLBACK):
    """The authorization response the client receives: a dict of the parameters of
    the redirect to redirect_uri (query), or of a form_post page's form."""
    if resp.status_code == 200:
        for f in forms(resp):
            if f.action == redirect_uri and f.method == "post":
                return unique(f.fields, "form_post fields")
        raise AssertionError("a page instead of the redirect to %s: %s"
                             % (redirect_uri, describe(resp)))
    assert resp.status_code in (302, 303), \
        "wanted a 302/303 redirect to the client: " + describe(resp)
    loc = resp.headers.get("Location", "")
    parts = urllib.parse.urlsplit(loc)
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    assert base == redirect_uri, "redirected to %r, wanted %r" % (loc, redirect_uri)
    assert not parts.fragment, "a fragment in the redirect: %r" % loc
    return unique(urllib.parse.parse_qsl(parts.query, keep_blank_values=True),
                  "redirect query")


def unique(pairs, what):
    names = [k for k, _ in pairs]
    dup = sorted({n for n in names if names.count(n) > 1})
    assert not dup, "%s repeats %s: %r" % (what, dup, pairs)
    return dict(pairs)


def token_request(web, client, data, auth=None, headers=None, session=None, path="/token"):
    """POST /token (or path: /introspect, /revoke) as client, authenticated the way it
    registered (or auth: "client_secret_basic", "client_secret_post", "none", or "skip"
    to send nothing). session: what sends it (default web.session; the requests module
    for a request of its own connection)."""
    data = dict(data)
    headers = dict(headers or {})
    method = auth or client.get("token_endpoint_auth_method")
    if method == "client_secret_basic":
        headers["Authorization"] = basic_auth(client["client_id"], client["client_secret"])
    elif method == "client_secret_post":
        data.update(client_id=client["client_id"], client_secret=client["client_secret"])
    elif method == "none":
        data["client_id"] = client["client_id"]
    sender = session if session is not None else web.session
    return sender.post(web.url(path), data=data, headers=headers, timeout=15,
                       allow_redirects=False)


def redeem(web, req, code, auth=None, session=None, **override):
    """The token request for a code that req obtained (override: a value of None
    leaves that parameter out)."""
    data = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": req.redirect_uri, "code_verifier": req.verifier}
    for k, v in override.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    return token_request(web, req.client, data, auth=auth, session=session)


def userinfo(web, access_token, method="GET"):
    return web.request(method, "/userinfo",
                       headers={"Authorization": "Bearer " + access_token})


def jwt_parts(token):
    h, p, _ = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (json.loads(base64.urlsafe_b64decode(pad(h))),
            json.loads(base64.urlsafe_b64decode(pad(p))))


def validate_id_token(web, id_token, client_id, nonce=None, access_token=None):
    """Checks the id_token's signature against /jwks and its claims with authlib
    (iss, aud, exp, iat, nonce, azp, at_hash); returns the claims."""
    keys = JsonWebKey.import_key_set(web.get("/jwks").json())
    params = {"client_id": client_id}
    if nonce is not None:
        params["nonce"] = nonce
    if access_token is not None:
        params["access_token"] = access_token
    claims = jwt.decode(id_token, keys, claims_cls=CodeIDToken,
                        claims_options={"iss": {"essential": True, "value": web.issuer},
                                        "aud": {"essential": True, "value": client_id},
                                        "sub": {"essential": True}},
                        claims_params=params)
    claims.validate(leeway=5)
    return claims


# ----------------------------------------------------------------- Node openid-client


def node_client(web, script, client, **opts):
    """Runs script (an openid-client v6 script beside this file, speaking oidc_lib.mjs's
    one-line JSON) as client against web's issuer with opts; returns its answer.
    openid-client comes from var/node (dev/deps --test), or $GATEHOUSE_NODE_PREFIX."""
    here = os.path.dirname(os.path.abspath(__file__))
    prefix = os.environ.get("GATEHOUSE_NODE_PREFIX",
                            os.path.join(os.path.dirname(os.path.dirname(here)), "var", "node"))
    node = shutil.which("node")
    if node is None or not os.path.isdir(os.path.join(prefix, "node_modules", "openid-client")):
        raise AssertionError("node or openid-client missing (%s): run dev/deps --test" % prefix)
    opts.update(issuer=web.issuer, client_id=client["client_id"],
                client_secret=client.get("client_secret"),
                auth_method=client["token_endpoint_auth_method"])
    p = subprocess.run([node, os.path.join(here, script), json.dumps(opts)],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, GATEHOUSE_NODE_PREFIX=prefix))
    lines = p.stdout.strip().splitlines()
    assert lines, "%s printed nothing; stderr %r" % (script, p.stderr[-2000:])
    result = json.loads(lines[-1])
    assert result.get("ok"), "openid-client failed at %s: %s (%s) cause=%s" % (
        result.get("step"), result.get("error"), result.get("code"), result.get("cause"))
    return result
