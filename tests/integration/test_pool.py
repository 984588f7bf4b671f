"""Apache without stalls: `gatehouse serve` behind mod_proxy_fcgi (issue 7 item 2).

Every test starts its own pool and Apache from deploy/apache-proxy-fcgi.conf
(harness.WebServer("apache-proxy"): `gatehouse serve` as www-data, then Apache), so the
module runs once in every run, whatever the flavours, and its kills and signals never
touch the shared servers. `run --flavour apache-proxy` runs the rest of the suite
behind the same setup.

- the pool: N workers up front, on a unix socket of mode 0660 owned by the web
  server's user; a killed worker is replaced; SIGTERM stops every worker (those
  serving a request finish it) and removes the socket; SIGHUP replaces every worker
  without refusing a request; workers that die at start are restarted later and
  later, not in a tight loop.
- what reaches Gatehouse through mod_proxy_fcgi: Basic client authentication, a Bearer
  token at /userinfo, PATH_INFO for the RFC 8414 metadata at the host root.
- no stalls: with 16 concurrent clients (the pool's size) Apache spends no longer than
  STALL_S on any request (its %D, so the Python clients' own delays do not count),
  where mod_fcgid makes some wait a second. A functional check, loose on purpose;
  bench/run measures the latencies. On a machine running more than three processes
  per core nothing is reliable about timing: the figures are printed and the check
  is skipped.
"""

import contextlib
import os
import pwd
import re
import signal
import socket
import stat
import struct
import threading
import time

import requests

import harness
from flow import AuthRequest, Browser, callback, describe, redeem, token_request, userinfo
from harness import json_body, once

STALL_S = 0.5
SCOPE = "openid profile email"


@contextlib.contextmanager
def pool(ctx, name, workers=4):
    """A private `gatehouse serve` pool of `workers` behind its own Apache."""
    web = harness.WebServer("apache-proxy", os.path.join(ctx.workdir, "pool-" + name),
                            ctx.tree, None)
    web.workers = workers
    web.config_path = harness.write_config(ctx.tmp("pool-%s.hdf" % name), web.issuer,
                                           ctx.pg, ctx.tree, ctx.key_file)
    web.start()
    try:
        yield web
    finally:
        web.stop()


def wait_for(what, check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("%s: not within %.0f s" % (what, timeout))


def owner(pid):
    with open("/proc/%d/status" % pid) as f:
        uid = int(re.search(r"^Uid:\s+(\d+)", f.read(), re.M).group(1))
    return pwd.getpwuid(uid).pw_name


def assert_discovery(web):
    resp = web.get("/.well-known/openid-configuration")
    assert resp.status_code == 200, describe(resp)
    assert json_body(resp)["issuer"] == web.issuer


class Load:
    """Clients asking for discovery in a loop, each on its own keep-alive connection,
    until stopped; every status (or exception) is kept."""

    def __init__(self, web, clients=4):
        self.web = web
        self.statuses = []
        self.running = True
        self.threads = [threading.Thread(target=self.client) for _ in range(clients)]
        for t in self.threads:
            t.start()

    def client(self):
        s = requests.Session()
        url = self.web.url("/.well-known/openid-configuration")
        while self.running:
            try:
                self.statuses.append(s.get(url, timeout=15).status_code)
            except requests.RequestException as e:
                self.statuses.append(type(e).__name__)
        s.close()

    def stop(self):
        self.running = False
        for t in self.threads:
            t.join()
        return self.statuses


@once
def test_serve_starts_its_workers_up_front_on_a_0660_socket(ctx):
    with pool(ctx, "start", workers=4) as web:
        workers = web.worker_pids()
        assert len(workers) == 4, workers
        assert {owner(p) for p in workers + [web.serve.pid]} == {harness.WEB_USER}
        st = os.stat(web.serve_socket)
        assert stat.S_ISSOCK(st.st_mode)
        assert stat.S_IMODE(st.st_mode) == 0o660, oct(st.st_mode)
        assert pwd.getpwuid(st.st_uid).pw_name == harness.WEB_USER
        assert "serve: 4 workers on " + web.serve_socket in web.read_log()
        assert_discovery(web)
        assert web.worker_pids() == workers, "a worker was replaced while serving"


@once
def test_a_killed_worker_is_replaced(ctx):
    with pool(ctx, "kill", workers=4) as web:
        before = web.worker_pids()
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
        wait_for("a fourth worker again",
                 lambda: len(web.worker_pids()) == 4 and victim not in web.worker_pids(), 5)
        assert set(web.worker_pids()) & set(before) == set(before[1:])
        assert "worker %d was killed by signal %d" % (victim, signal.SIGKILL) \
            in web.read_log()
        assert_discovery(web)


@once
def test_sigterm_stops_every_worker_and_lets_requests_finish(ctx):
    with pool(ctx, "term", workers=4) as web:
        serve = web.serve
        workers = web.worker_pids()
        load = Load(web)
        time.sleep(0.5)
        os.kill(serve.pid, signal.SIGTERM)
        assert serve.wait(timeout=15) == 0
        web.serve = None
        statuses = load.stop()
        assert harness.wait_gone(workers, 5), "workers outlived the pool"
        assert not os.path.exists(web.serve_socket), "the socket was left behind"
        log = web.read_log()
        assert "killing" not in log, log[-2000:]
        # Requests in flight were answered; those after the socket closed got Apache's
        # 503. Nothing was cut off half way (a reset, a 500 or a 502).
        assert statuses.count(200) > 0
        assert set(statuses) <= {200, 503}, sorted(set(map(str, statuses)))


@once
def test_sighup_replaces_every_worker_without_refusing_a_request(ctx):
    with pool(ctx, "hup", workers=4) as web:
        before = set(web.worker_pids())
        load = Load(web)
        time.sleep(0.3)
        os.kill(web.serve.pid, signal.SIGHUP)
        wait_for("four new workers",
                 lambda: len(web.worker_pids()) == 4
                 and not before & set(web.worker_pids())
                 and "all workers replaced" in web.read_log(), 20)
        time.sleep(0.3)
        statuses = load.stop()
        assert statuses and set(statuses) == {200}, sorted(set(map(str, statuses)))
        assert harness.wait_gone(list(before), 1)


@once
def test_workers_dying_at_start_are_restarted_later_and_later(ctx):
    with pool(ctx, "crash", workers=2) as web:
        # Workers start as www-data: they can no longer read the configuration.
        os.chmod(web.config_path, 0o600)
        since = web.log_size()
        for pid in web.worker_pids():
            os.kill(pid, signal.SIGKILL)
        time.sleep(3)
        exits = len(re.findall(r"serve: worker \d+ exited with status 1",
                               web.read_log(since)))
        # Backoff 0.1, 0.2, 0.4, 0.8, 1.6 s: at most 5 restarts per worker in 3 s, where
        # a supervisor without one would have made hundreds.
        assert 2 <= exits <= 12, "%d failed starts in 3 s" % exits
        os.chmod(web.config_path, 0o640)
        wait_for("the pool serving again", lambda: len(web.worker_pids()) == 2
                 and web.get("/jwks").status_code == 200, 10)


def fcgi_record(kind, body=b""):
    """One FastCGI record of request 1 (FastCGI 1.0 section 3.3)."""
    return struct.pack(">BBHHBx", 1, kind, 1, len(body), 0) + body


def fcgi_params(params):
    def length(n):
        return struct.pack(">B", n) if n < 128 else struct.pack(">I", n | 0x80000000)
    return b"".join(length(len(k)) + length(len(v)) + k + v
                    for k, v in ((k.encode(), v.encode()) for k, v in params.items()))


def fcgi_stdout(sock):
    """The STDOUT stream of request 1, read until its END_REQUEST."""
    data, out = b"", b""
    while True:
        while len(data) >= 8:
            _, kind, _, n, pad = struct.unpack(">BBHHBx", data[:8])
            if len(data) < 8 + n + pad:
                break
            body, data = data[8:8 + n], data[8 + n + pad:]
            if kind == 3:  # END_REQUEST
                return out
            if kind == 6:  # STDOUT
                out += body
        chunk = sock.recv(65536)
        if not chunk:
            return out
        data += chunk


@once
def test_sigterm_in_the_middle_of_a_request_body_lets_the_request_finish(ctx):
    """A worker told to stop while a request body is still arriving reads the rest
    and answers from the whole body, then exits (a reload or stop under load)."""
    body = ("grant_type=client_credentials&client_id=nobody-%d&client_secret=%s"
            % (os.getpid(), "s" * 64)).encode()
    with pool(ctx, "midbody", workers=1) as web:
        worker, = web.worker_pids()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(15)
        sock.connect(web.serve_socket)
        try:
            sock.sendall(fcgi_record(1, struct.pack(">HB5x", 1, 0)) + fcgi_record(4, fcgi_params({
                "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/oauth", "PATH_INFO": "/token",
                "REQUEST_URI": "/oauth/token", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": str(web.port), "HTTP_HOST": "127.0.0.1:%d" % web.port,
                "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(body))})) + fcgi_record(4))
            sock.sendall(fcgi_record(5, body[:20]))
            time.sleep(0.3)
            os.kill(worker, signal.SIGTERM)
            time.sleep(0.3)
            sock.sendall(fcgi_record(5, body[20:]) + fcgi_record(5))
            answer = fcgi_stdout(sock).decode("latin-1")
        finally:
            sock.close()
        # The whole body names a client that does not exist: 401 invalid_client. Half of
        # it (client_id=nob) would not even be a complete request.
        assert answer.startswith("Status: 401"), answer[:400]
        assert '"invalid_client"' in answer, answer[:400]
        assert harness.wait_gone([worker], 5), "the worker did not stop after its request"
        wait_for("a new worker", lambda: len(web.worker_pids()) == 1, 10)
        assert_discovery(web)


def code_flow_tokens(ctx, web):
    client = ctx.add_client("pool rp", redirect_uris=("http://127.0.0.1:9/callback",),
                            grant_types=("authorization_code",), scope=SCOPE,
                            trusted=True)
    user = {"username": "pool%d" % os.getpid(), "password": "pool-password-1"}
    ctx.add_user(user["username"], user["password"], email="pool@pool.example")
    req = AuthRequest(client, scope=SCOPE)
    params = callback(Browser(web).sign_in(req, user), req.redirect_uri)
    assert "code" in params, params
    resp = redeem(web, req, params["code"])
    assert resp.status_code == 200, describe(resp)
    return user, json_body(resp)


@once
def test_authorization_reaches_gatehouse_basic_and_bearer(ctx):
    ctx.define_scopes("pool")
    service = ctx.add_client("pool service", grant_types=("client_credentials",),
                             scope="pool")
    with pool(ctx, "auth") as web:
        resp = token_request(web, service, {"grant_type": "client_credentials"})
        assert resp.status_code == 200, "Basic client authentication: " + describe(resp)
        assert json_body(resp)["access_token"]
        line = web.wait_request_line(0, "POST", "/token")
        assert line is not None and line["auth"] == "basic", line
        user, tokens = code_flow_tokens(ctx, web)
        resp = userinfo(web, tokens["access_token"])
        assert resp.status_code == 200, "Bearer at /userinfo: " + describe(resp)
        assert json_body(resp)["email"] == "pool@pool.example"
        resp = token_request(web, service, {"grant_type": "client_credentials"},
                             auth="skip")
        assert resp.status_code == 401, "no credentials: " + describe(resp)


@once
def test_metadata_at_the_host_root_and_under_the_issuer(ctx):
    with pool(ctx, "wellknown") as web:
        resp = web.get("/.well-known/oauth-authorization-server/oauth", root=True)
        assert resp.status_code == 200, describe(resp)
        meta = json_body(resp)
        assert meta["issuer"] == web.issuer
        assert meta["token_endpoint"] == web.issuer + "/token"
        assert_discovery(web)
        for path in ("/.well-known/oauth-authorization-server/oauthx", "/oauthx"):
            assert web.get(path, root=True).status_code == 404, path


def access_lines(web):
    with open(web.access_log) as f:
        return f.read().splitlines()


def server_times(web, since_line, count):
    """Seconds Apache spent on each of the count requests logged after the access log's
    line since_line (%D, the last field): from reading the request to the response
    sent, waiting for a worker included, the client's own delays not."""
    wait_for("%d requests in the access log" % count,
             lambda: len(access_lines(web)) >= since_line + count, 5)
    lines = access_lines(web)[since_line:since_line + count]
    return [int(line.rsplit(" ", 1)[1]) / 1e6 for line in lines]


def overloaded():
    """The machine is too busy for a latency check: runnable processes (the 1-minute
    load average) above three per core."""
    return os.getloadavg()[0] > 3 * os.cpu_count()


@once
def test_sixteen_concurrent_clients_never_wait_for_a_worker(ctx):
    ctx.define_scopes("pool")
    service = ctx.add_client("pool load", grant_types=("client_credentials",),
                             scope="pool")
    clients, warmup, rounds = 16, 5, 100
    with pool(ctx, "stall", workers=16) as web:
        failures = []
        # A worker's first request opens its database connection and loads the keys:
        # the warm-up rounds are not measured. The barrier lets the main thread note
        # where the measured requests begin in the access log.
        barrier = threading.Barrier(clients + 1)

        def client():
            s = requests.Session()
            for n in range(warmup + rounds):
                if n == warmup:
                    barrier.wait()
                    barrier.wait()
                resp = s.get(web.url("/.well-known/openid-configuration"), timeout=15)
                failures.extend([describe(resp)] if resp.status_code != 200 else [])
                resp = token_request(web, service, {"grant_type": "client_credentials"},
                                     session=s)
                failures.extend([describe(resp)] if resp.status_code != 200 else [])
            s.close()

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        barrier.wait()
        time.sleep(0.5)             # the last warm-up responses reach the log
        since = len(access_lines(web))
        busy = overloaded()
        barrier.wait()
        for t in threads:
            t.join()
        assert not failures, failures[:3]
        times = sorted(server_times(web, since, clients * rounds * 2))
        assert not web.crash_lines()
        figures = "p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
            times[len(times) // 2] * 1e3, times[int(len(times) * 0.99)] * 1e3,
            times[-1] * 1e3)
        print("  %d requests from %d clients, in Apache: %s" % (len(times), clients, figures))
        if busy or overloaded():
            raise harness.Skip("latency not checked: load average %.1f on %d cores (%s)"
                               % (os.getloadavg()[0], os.cpu_count(), figures))
        slow = [t for t in times if t > STALL_S]
        assert not slow, "%d requests took over %.1f s (%s)" % (len(slow), STALL_S, figures)
