"""Headless Chromium through the login and consent pages, in English and Japanese
(issue 4): tests/browser/signin.mjs (playwright-core driving Debian's chromium) does
the clicking; this module gives it a client, a fresh user and the strings each page
must show, read from templates/lang/*.hdf. Screenshots of every page are kept in
var/test/screenshots/ (the runner leaves that folder when it cleans up).

Behind lighttpd only: the pages are the same behind every web server, and a browser
start costs a second or two.
"""

import json
import os
import re
import secrets
import shutil
import subprocess

import harness
from flow import CALLBACK
from harness import only

SCRIPT = os.path.join(harness.REPO, "tests", "browser", "signin.mjs")
CHROMIUM = "/usr/bin/chromium"
_client = {}


def lang_strings(ctx, tag):
    """templates/lang/<tag>.hdf flattened: {"Login.Heading": "...", ...}."""
    out, path = {}, []
    with open(os.path.join(ctx.tree.templates, "lang", tag + ".hdf"), encoding="utf-8") as f:
        lines = iter(f.read().splitlines())
    for line in lines:
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s == "}":
            path.pop()
        elif s.endswith("{"):
            path.append(s[:-1].strip())
        elif "<<" in s:
            key, end = (x.strip() for x in s.split("<<", 1))
            body = []
            for more in lines:
                if more.strip() == end:
                    break
                body.append(more)
            out[".".join(path + [key])] = "\n".join(body)
        elif "=" in s:
            key, value = (x.strip() for x in s.split("=", 1))
            out[".".join(path + [key])] = value
    return out


def client(ctx):
    key = ctx.pg.port
    if key not in _client:
        _client[key] = ctx.add_client("Browser Test App", auth_method="client_secret_basic",
                                      redirect_uris=(CALLBACK,),
                                      grant_types=("authorization_code",),
                                      scope="openid profile email")
    return _client[key]


def sign_in(ctx, name, tag, locale, ui_locales=None):
    node = shutil.which("node")
    prefix = os.environ.get("GATEHOUSE_NODE_PREFIX", os.path.join(harness.REPO, "var", "node"))
    missing = [what for what, ok in (
        ("node", node is not None), ("chromium", os.access(CHROMIUM, os.X_OK)),
        ("playwright-core", os.path.isdir(os.path.join(prefix, "node_modules", "playwright-core"))))
        if not ok]
    assert not missing, "missing %s: run dev/deps --test" % ", ".join(missing)
    if ctx.web.get("/authorize").status_code == 404:
        raise harness.Skip("no /authorize endpoint yet")
    c = client(ctx)
    user = {"username": "b" + secrets.token_hex(5), "password": secrets.token_urlsafe(12)}
    ctx.add_user(user["username"], user["password"], name="Browser Person")
    want, other = lang_strings(ctx, tag), lang_strings(ctx, "ja" if tag == "en" else "en")
    keys_login = ("Login.Heading", "Login.Username", "Login.Password", "Login.Submit")
    keys_consent = ("Consent.Allow", "Consent.Deny", "Consent.ScopesIntro")
    heading = want["Consent.Heading"].replace("{app}", c["client_name"])
    # Strings of the other language that must not show (the longer, distinctive ones).
    absent = [other[k] for k in keys_login[1:3] + keys_consent if other[k] != want[k]]
    opts = {"issuer": ctx.web.issuer, "client_id": c["client_id"], "redirect_uri": CALLBACK,
            "username": user["username"], "password": user["password"], "locale": locale,
            "ui_locales": ui_locales, "name": name,
            "screenshots": os.path.join(ctx.workdir, "screenshots"),
            "expect": {"lang": tag, "login": [want[k] for k in keys_login],
                       "consent": [want[k] for k in keys_consent] + [heading],
                       "absent": absent}}
    p = subprocess.run([node, SCRIPT, json.dumps(opts)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=80,
                       env=dict(os.environ, GATEHOUSE_NODE_PREFIX=prefix))
    lines = p.stdout.strip().splitlines()
    assert lines, "signin.mjs printed nothing (exit %d): %s" % (p.returncode, p.stderr[-2000:])
    result = json.loads(lines[-1])
    assert result.get("ok"), "browser, %s: failed at %s: %s\n%s" % (
        name, result.get("step"), result.get("error"),
        json.dumps({k: result.get(k) for k in ("login", "consent")}, ensure_ascii=False)[:1500])
    assert len(result["screenshots"]) == 3 and all(os.path.getsize(f) > 1000
                                                   for f in result["screenshots"])
    assert re.search(r"[?&]code=", result["callback"]), result["callback"]
    return result


@only("lighttpd")
def test_browser_signs_in_and_consents_in_english(ctx):
    sign_in(ctx, "en", "en", "en-US")


@only("lighttpd")
def test_browser_signs_in_and_consents_in_japanese_by_ui_locales(ctx):
    sign_in(ctx, "ja-ui_locales", "ja", "en-US", ui_locales="ja")


@only("lighttpd")
def test_browser_signs_in_and_consents_in_japanese_by_accept_language(ctx):
    sign_in(ctx, "ja-accept-language", "ja", "ja-JP")
