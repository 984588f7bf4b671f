"""A worker under valgrind's memcheck (issue 7 item 3): 0 errors, 0 definitely-lost bytes.

lighttpd starts two Gatehouse workers, each through a wrapper that execs
`valgrind gatehouse` (lighttpd's bin-path is the wrapper; the listening socket is the
process's standard input either way). The test sends a few hundred mixed requests
through lighttpd: discovery, JWKS, static files, client_credentials (opaque and JWT),
the code flow through the login and consent pages, refresh, introspection, revocation,
userinfo, the account page, logout, and error cases of each. Then lighttpd is stopped:
it sends its workers SIGTERM, libfcgi's handler makes the accept loop return, and
main() closes the app (database connection, key cache, arena) before exiting, when
valgrind checks for leaks. Each worker's valgrind log must say it exited on its own,
with no error and nothing definitely lost; "still reachable" memory (OpenSSL's and
libpq's process-lifetime tables) is not a leak.

Valgrind makes a worker about 30 times slower, scrypt included: one person signs in
once, and the rest of the flow runs on that session.
"""

import concurrent.futures
import os
import re
import secrets
import shutil
import signal
import time

import harness
from flow import (CALLBACK, AuthRequest, Browser, callback, describe, redeem, token_request,
                  userinfo)
from harness import json_body, only

WORKERS = 2
SCOPE = "openid profile email offline_access"
ROUNDS = 12          # each round is about 25 requests


def slow(seconds):
    def mark(fn):
        fn.timeout = seconds
        return fn
    return mark


class Valgrind:
    """A tree whose `gatehouse` runs the real binary under valgrind, one log per process."""

    def __init__(self, ctx):
        self.real = ctx.tree
        self.dir = os.path.join(ctx.workdir, "valgrind")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.logs = os.path.join(self.dir, "logs")
        os.makedirs(self.logs)
        harness.chown_web(self.logs, 0o750)
        root = os.path.join(self.dir, "tree")
        os.makedirs(root)
        for sub in ("templates", "htdocs", "sql"):
            os.symlink(getattr(self.real, sub), os.path.join(root, sub))
        wrapper = os.path.join(root, "gatehouse")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\n"
                    "exec valgrind --error-exitcode=99 --leak-check=full"
                    " --errors-for-leak-kinds=definite --show-leak-kinds=definite"
                    " --track-origins=yes --log-file=%s/worker.%%p.log %s \"$@\"\n"
                    % (self.logs, self.real.binary))
        os.chmod(wrapper, 0o755)
        self.tree = harness.Tree(root)
        self.deploy = os.path.join(self.dir, "deploy")
        os.makedirs(self.deploy)
        with open(os.path.join(harness.REPO, "deploy", "lighttpd.conf")) as f:
            text = f.read()
        text, n = re.subn(r'("(?:min|max)-procs"\s*=>\s*)\d+', r"\g<1>%d" % WORKERS, text)
        assert n == 2, "deploy/lighttpd.conf: no min-procs and max-procs to set"
        with open(os.path.join(self.deploy, "lighttpd.conf"), "w") as f:
            f.write(text)

    def reports(self):
        """{pid: log text} of every process valgrind ran."""
        out = {}
        for name in sorted(os.listdir(self.logs)):
            m = re.match(r"worker\.(\d+)\.log$", name)
            if m:
                with open(os.path.join(self.logs, name), errors="replace") as f:
                    out[int(m.group(1))] = f.read()
        return out


def summary(pid, text):
    """(errors, definitely lost bytes) from a finished log; fails on an unfinished one."""
    assert "Process terminating with default action" not in text, \
        "worker %d was killed by a signal instead of leaving its loop:\n%s" % (pid, text[-3000:])
    errors = re.search(r"ERROR SUMMARY: ([\d,]+) errors", text)
    assert errors, "worker %d: valgrind wrote no summary (did it exit?):\n%s" % (pid, text[-3000:])
    lost = re.search(r"definitely lost: ([\d,]+) bytes", text)
    freed = "All heap blocks were freed" in text
    assert lost or freed, "worker %d: no leak summary:\n%s" % (pid, text[-3000:])
    return (int(errors.group(1).replace(",", "")),
            int(lost.group(1).replace(",", "")) if lost else 0)


class SlowBrowser(Browser):
    """A browser that waits longer: under valgrind, scrypt takes seconds."""

    def request(self, method, url, **kw):
        kw.setdefault("timeout", 120)
        return super().request(method, url, **kw)


class Traffic:
    """Sends the mixed requests; counts them; checks each answer's status."""

    def __init__(self, ctx, web):
        self.ctx, self.web = ctx, web
        ctx.define_scopes("api.read")
        self.rp = ctx.add_client("valgrind rp", redirect_uris=(CALLBACK,),
                                 post_logout_redirect_uris=(CALLBACK,),
                                 grant_types=("authorization_code", "refresh_token"),
                                 scope=SCOPE)
        self.jwt_rp = ctx.add_client("valgrind jwt rp", redirect_uris=(CALLBACK,),
                                     grant_types=("authorization_code", "refresh_token"),
                                     scope=SCOPE, trusted=True,
                                     extra=("--access-token-format", "jwt"))
        self.service = ctx.add_client("valgrind service", grant_types=("client_credentials",),
                                      scope="api.read")
        self.service_jwt = ctx.add_client("valgrind service jwt",
                                          grant_types=("client_credentials",), scope="api.read",
                                          extra=("--access-token-format", "jwt"))
        self.user = {"username": "vg" + secrets.token_hex(4),
                     "password": secrets.token_urlsafe(12)}
        ctx.add_user(self.user["username"], self.user["password"],
                     email=self.user["username"] + "@vg.example", email_verified=True,
                     name="Valgrind Tester")
        self.browser = SlowBrowser(web)
        self.parallel_sent = 0

    @property
    def sent(self):
        """Every request sent through web's session or a Browser on it, and in parallel."""
        return len(self.web.responses) + self.parallel_sent

    def expect(self, resp, status, what, error=None):
        assert resp.status_code == status, "%s: wanted %d: %s" % (what, status, describe(resp))
        if error is not None:
            assert json_body(resp).get("error") == error, "%s: wanted %s: %s" % (
                what, error, describe(resp))
        return resp

    def token(self, client, data, status=200, error=None, what="token", **kw):
        resp = token_request(self.web, client, data, **kw)
        self.expect(resp, status, what, error)
        return json_body(resp) if resp.content else {}    # /revoke: an empty 200

    def code(self, client):
        """A code through the browser (sign-in and consent the first time)."""
        req = AuthRequest(client, scope=SCOPE)
        params = callback(self.browser.sign_in(req, self.user), req.redirect_uri)
        assert "code" in params, "no code: %r" % params
        return req, params["code"]

    def public_documents(self):
        for path in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
                     "/jwks", "/static/gatehouse.css"):
            self.expect(self.web.get(path), 200, path)
        self.expect(self.web.get("/.well-known/oauth-authorization-server/oauth", root=True),
                    200, "RFC 8414 at the root")

    def client_credentials(self):
        for client in (self.service, self.service_jwt):
            body = self.token(client, {"grant_type": "client_credentials", "scope": "api.read"})
            self.introspect(client, body["access_token"], True)
        self.token(self.service, {"grant_type": "client_credentials", "scope": "openid"},
                   400, "invalid_scope", "a scope it may not have")

    def introspect(self, client, token, active):
        """As client: a client learns only about its own tokens (docs/tokens.md)."""
        body = self.token(client, {"token": token}, what="introspect", path="/introspect")
        assert body.get("active") is active, "introspection: %r" % body

    def code_flow(self, client):
        req, code = self.code(client)
        tok = self.token(client, {"grant_type": "authorization_code", "code": code,
                                  "redirect_uri": req.redirect_uri,
                                  "code_verifier": req.verifier})
        self.expect(userinfo(self.web, tok["access_token"]), 200, "userinfo GET")
        self.expect(userinfo(self.web, tok["access_token"], "POST"), 200, "userinfo POST")
        self.introspect(client, tok["access_token"], True)
        self.introspect(client, tok["refresh_token"], True)
        self.introspect(self.service, tok["access_token"], False)
        new = self.token(client, {"grant_type": "refresh_token",
                                  "refresh_token": tok["refresh_token"]}, what="refresh")
        self.token(client, {"grant_type": "refresh_token", "refresh_token": "gatehouse_rt_x"},
                   400, "invalid_grant", "an unknown refresh token")
        self.token(client, {"token": new["access_token"]}, what="revoke", path="/revoke")
        self.expect(userinfo(self.web, new["access_token"]), 401, "userinfo, revoked token")
        self.introspect(client, new["access_token"], False)

    def refused(self):
        req, code = self.code(self.rp)
        tok = json_body(self.expect(redeem(self.web, req, code), 200, "code"))
        self.expect(redeem(self.web, req, code), 400, "the code again", "invalid_grant")
        self.expect(userinfo(self.web, tok["access_token"]), 401,
                    "userinfo with a token of a code used twice")
        bad_pkce_req, code = self.code(self.rp)
        self.expect(redeem(self.web, bad_pkce_req, code, code_verifier="x" * 43), 400,
                    "wrong PKCE verifier", "invalid_grant")
        self.token(self.rp, {"grant_type": "password"}, 400, "unsupported_grant_type",
                   "unknown grant")
        self.token(self.rp, {"grant_type": "authorization_code"}, 400, "invalid_request",
                   "no code")
        self.token(self.rp, {"grant_type": "client_credentials"}, 400, "unauthorized_client",
                   "client_credentials for a code-flow client")
        self.expect(self.web.request("POST", "/token", data="x" * 70000,
                                     headers={"Content-Type":
                                              "application/x-www-form-urlencoded"}),
                    413, "oversize body")
        self.expect(userinfo(self.web, "not-a-token"), 401, "userinfo, garbage token")
        self.expect(self.web.get("/userinfo"), 401, "userinfo, no token")
        self.expect(self.web.get("/no-such-page"), 404, "unknown path")
        self.expect(self.web.request("DELETE", "/token"), 405, "wrong method")
        self.introspect(self.rp, "garbage", False)
        self.expect(self.web.get("/authorize", params={"client_id": "nobody"}), 400,
                    "authorize, unknown client")
        req = AuthRequest(self.rp, scope="openid", code_challenge_method="plain")
        resp = self.browser.authorize(req.params)
        assert callback(resp, req.redirect_uri).get("error") == "invalid_request", describe(resp)

    def in_parallel(self, n=40, threads=4):
        """Requests from several connections at once, so lighttpd uses every worker."""
        def one(i):
            session = harness.http_session()
            try:
                if i % 2:
                    return session.get(self.web.url("/jwks"), timeout=120).status_code
                return token_request(self.web, self.service, {"grant_type": "client_credentials"},
                                     session=session).status_code
            finally:
                session.close()
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            statuses = list(pool.map(one, range(n)))
        self.parallel_sent += n
        assert statuses == [200] * n, statuses

    def pages(self):
        # Once: failed client authentications are throttled (429 after a few).
        self.token(dict(self.service, client_secret="wrong"),
                   {"grant_type": "client_credentials"}, 401, "invalid_client", "bad secret")
        self.expect(self.browser.request("GET", self.web.url("/account")), 200, "account page")
        resp = self.browser.request("GET", self.web.url("/logout"),
                                    params={"client_id": self.rp["client_id"]})
        assert resp.status_code in (200, 302, 303), describe(resp)
        wrong = SlowBrowser(self.web)
        page = wrong.authorize(AuthRequest(self.rp, scope="openid").params)
        self.expect(wrong.login(page, dict(self.user, password="wrong password")), 401,
                    "a wrong password shows the login page again")
        wrong.close()


@only("lighttpd")
@slow(600)
def test_worker_under_valgrind_has_no_errors_and_no_definite_leaks(ctx):
    if harness.SANITIZER_ENV:
        raise harness.Skip("valgrind cannot run a sanitizer build")
    if shutil.which("valgrind") is None:
        raise AssertionError("valgrind missing: run dev/deps --test")
    vg = Valgrind(ctx)
    web = harness.WebServer("lighttpd", os.path.join(vg.dir, "run"), vg.tree, None,
                            deploy_dir=vg.deploy)
    web.config_path = harness.write_config(ctx.tmp("valgrind.hdf"), web.issuer, ctx.pg,
                                           ctx.tree, ctx.key_file)
    started = time.monotonic()
    web.start()
    try:
        t = Traffic(ctx, web)
        for i in range(ROUNDS):
            t.public_documents()
            t.client_credentials()
            t.code_flow(t.rp if i % 2 == 0 else t.jwt_rp)
            if i % 4 == 0:
                t.refused()
        t.in_parallel()
        t.pages()
        served = {int(line["pid"]) for line in web.request_lines()}
        took = time.monotonic() - started
        assert t.sent >= 300, "only %d requests sent" % t.sent
        assert not web.crash_lines(), web.crash_lines()
    finally:
        # lighttpd sends its workers SIGTERM; valgrind's leak check runs as they exit.
        web.stop(timeout=120)
    reports = vg.reports()
    assert len(reports) >= WORKERS, "valgrind logs for %d processes, wanted %d" % (
        len(reports), WORKERS)
    assert served <= set(reports) and len(served) >= WORKERS, \
        "workers that served requests %r, valgrind logs %r" % (served, sorted(reports))
    figures = {pid: summary(pid, text) for pid, text in reports.items()}
    bad = {pid: fig for pid, fig in figures.items() if fig != (0, 0)}
    assert not bad, "valgrind found errors or leaks (errors, bytes lost): %r\n%s" % (
        bad, "\n".join(reports[pid][-6000:] for pid in bad))
    print("  %d requests in %.0f s through %d workers under valgrind: %s"
          % (t.sent, took, WORKERS, ", ".join("pid %d: %d errors, %d bytes definitely lost"
                                              % (pid, *fig) for pid, fig in figures.items())))
