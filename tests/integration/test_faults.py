"""Faults under load (issue 7, item 7): a PostgreSQL restart, a worker killed in the
middle of a token request, a statement timeout, and the number of database connections,
through the real web servers while concurrent clients keep sending requests.

Each test runs a web server of its own (the shipped deploy file, like every module) with
a configuration of its own: its workers' connections carry the application_name
"gatehouse_faults", so pg_stat_activity tells them from the shared server's and from
this module's psql sessions. A connection is matched to its worker through the TCP port
pg_stat_activity shows (client_port) and the worker's sockets in /proc.

What must hold:
- while PostgreSQL is down, every request that needs it gets 503 with Retry-After: the
  JSON error temporarily_unavailable, or the error page on a page; never a 500, a hang
  or a closed connection; every request that starts once PostgreSQL lets a client in
  again succeeds (the first 200 within 1 s behind FastCGI); no worker died;
- a worker SIGKILLed while its token request waits inside its transaction leaves
  nothing half-written: the code or refresh token is still unused and can be redeemed,
  and the invariants over codes and tokens hold (each issuance is one transaction);
  the web server replaces the worker;
- a statement cancelled by Database.StatementTimeout is a quick 503, its transaction
  is rolled back, and the worker goes on serving;
- a worker holds at most one connection, and once every worker has served a request
  the connections are exactly the workers.

The figures (outage, recovery, connections) are printed, for the closing note.
"""

import collections
import concurrent.futures
import contextlib
import hashlib
import os
import re
import secrets
import signal
import socket
import struct
import subprocess
import threading
import time
import urllib.parse

import requests

import harness
from flow import CALLBACK, AuthRequest, Browser, basic_auth, callback, describe, redeem
from harness import only

# Flavours whose workers outlive a request (apache-proxy: the `gatehouse serve` pool).
PERSISTENT = ("apache-fcgid", "lighttpd", "apache-proxy")
APP_NAME = "gatehouse_faults"
# Long enough for the tests that hold a lock on purpose while a whole pool of
# requests (mod_fcgid spawns its processes on demand) queues behind it.
LOCK_WAIT_MS = 20000
SHORT_TIMEOUT_MS = 500
SCOPE = "openid offline_access"
SERVICE_SCOPE = "faults.read"
HANG = 5.0            # seconds: an answer that takes longer is a hang
JSON_KINDS = ("token", "jwks", "userinfo", "refresh", "code")
SUCCESS = {"token": (200,), "jwks": (200,), "userinfo": (200,), "refresh": (200,),
           "code": (200,), "authorize": (302, 303)}


# --------------------------------------------------------------------------- fixtures


class Fixtures:
    """A user, a code-flow client and a client_credentials client, made once per run."""

    def __init__(self, ctx):
        ctx.define_scopes(SERVICE_SCOPE)
        self.user = {"username": "faults" + secrets.token_hex(4),
                     "password": secrets.token_urlsafe(12)}
        ctx.add_user(self.user["username"], self.user["password"])
        self.rp = ctx.add_client("faults rp", redirect_uris=(CALLBACK,),
                                 grant_types=("authorization_code", "refresh_token"),
                                 scope=SCOPE, trusted=True, auth_method="client_secret_basic")
        self.service = ctx.add_client("faults service", grant_types=("client_credentials",),
                                      scope=SERVICE_SCOPE, auth_method="client_secret_basic")


def fixtures(ctx):
    return ctx.shared(Fixtures)


@contextlib.contextmanager
def private_web(ctx, name, timeout_ms=LOCK_WAIT_MS):
    """A web server of the current flavour with its own configuration and logs."""
    rundir = os.path.join(ctx.workdir, "faults", "%s-%s" % (ctx.flavour, name))
    os.makedirs(os.path.dirname(rundir), exist_ok=True)
    web = harness.WebServer(ctx.flavour, rundir, ctx.tree, None)
    settings = {"Database.Conninfo": ctx.pg.conninfo() + " connect_timeout=3"
                                     " application_name=" + APP_NAME,
                "Database.StatementTimeout": timeout_ms,
                # Codes made before a burst must outlive it on a slow machine.
                "Tokens.CodeLifetime": 600}
    web.config_path = harness.write_config(rundir + ".hdf", web.issuer, ctx.pg, ctx.tree,
                                           ctx.key_file, **settings)
    web.start()
    try:
        yield web
    finally:
        web.stop()


def pool_size(web):
    """The number of workers the shipped deploy file runs."""
    if web.flavour == "apache-proxy":
        return web.workers
    with open(os.path.join(web.deploy_dir, web.DEPLOY[web.flavour])) as f:
        text = f.read()
    pattern = {"lighttpd": r'"max-procs"\s*=>\s*(\d+)',
               "apache-fcgid": r"^\s*FcgidMaxProcessesPerClass\s+(\d+)"}[web.flavour]
    m = re.search(pattern, text, re.M)
    assert m, "no pool size in deploy/" + web.DEPLOY[web.flavour]
    return int(m.group(1))


# ----------------------------------------------------------------------------- requests


def post_token(web, client, data, session):
    headers = {"Authorization": basic_auth(client["client_id"], client["client_secret"])}
    return session.post(web.url("/token"), data=data, headers=headers, timeout=HANG * 2,
                        allow_redirects=False)


def client_credentials(web, fx, session=requests):
    return post_token(web, fx.service, {"grant_type": "client_credentials"}, session)


def refresh(web, fx, refresh_token, session=requests):
    return post_token(web, fx.rp, {"grant_type": "refresh_token",
                                   "refresh_token": refresh_token}, session)


def new_code(web, browser, fx):
    """A fresh authorization code of fx.rp (the browser signs in on its first code)."""
    req = AuthRequest(fx.rp, scope=SCOPE)
    params = callback(browser.sign_in(req, fx.user), req.redirect_uri)
    assert "code" in params, "no code: %r" % params
    return req, params["code"]


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Answer:
    """One request of a load: what was sent, when, and what came back."""

    def __init__(self, kind, t0, t1, resp=None, exc=None):
        self.kind, self.t0, self.t1, self.exc = kind, t0, t1, exc
        self.status = resp.status_code if resp is not None else None
        self.ctype = resp.headers.get("Content-Type", "") if resp is not None else ""
        self.retry_after = resp.headers.get("Retry-After") if resp is not None else None
        self.body = None
        if self.ctype.startswith("application/json"):
            try:
                self.body = resp.json()
            except ValueError:
                pass
        self.text = resp.text[:200] if resp is not None else repr(exc)

    @property
    def ok(self):
        return self.status in SUCCESS[self.kind]

    def __repr__(self):
        return "%s -> %s after %.2fs: %s %r" % (self.kind, self.status, self.t1 - self.t0,
                                                self.ctype, self.text)


class Load:
    """Concurrent clients, each a thread with its own HTTP session, sending requests one
    after another until stop(). make_step(i) gives thread i its step(session), which
    sends one request and returns (kind, response). Every answer is kept."""

    def __init__(self, make_step, threads=4):
        self.make_step = make_step
        self.answers = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                        for i in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def _run(self, i):
        step = self.make_step(i)
        with requests.Session() as s:
            while not self.stopping.is_set():
                t0 = time.monotonic()
                try:
                    kind, resp = step(s)
                    a = Answer(kind, t0, time.monotonic(), resp)
                except requests.RequestException as e:
                    a = Answer(getattr(e, "kind", "?"), t0, time.monotonic(), exc=e)
                with self.lock:
                    self.answers.append(a)

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=HANG * 3)
        return list(self.answers)


def tagged(kind, send):
    """send() with its kind attached to any exception it raises (for Load's record)."""
    try:
        return kind, send()
    except requests.RequestException as e:
        e.kind = kind
        raise


def mixed_step(web, fx, access_token):
    """The restart test's clients: a token issued, the JWKS, userinfo and the start of
    an authorization (a page), in turn."""
    authorize = web.url("/authorize") + "?" + urllib.parse.urlencode(
        AuthRequest(fx.rp, scope=SCOPE).params)

    def make(i):
        n = [i]

        def step(s):
            n[0] += 1
            kind = ("token", "jwks", "userinfo", "authorize")[n[0] % 4]
            if kind == "token":
                return tagged(kind, lambda: client_credentials(web, fx, s))
            if kind == "userinfo":
                return tagged(kind, lambda: s.get(
                    web.url("/userinfo"), headers={"Authorization": "Bearer " + access_token},
                    timeout=HANG * 2))
            url = web.url("/jwks") if kind == "jwks" else authorize
            return tagged(kind, lambda: s.get(url, timeout=HANG * 2, allow_redirects=False))
        return step
    return make


def problems_in(answers):
    """Answers that are neither a success of their kind nor a well-formed 503."""
    out = []
    for a in answers:
        if a.exc is not None or a.t1 - a.t0 > HANG:
            out.append(a)
        elif a.ok:
            continue
        elif a.status != 503 or not a.retry_after:
            out.append(a)
        elif a.kind in JSON_KINDS and (a.body or {}).get("error") != "temporarily_unavailable":
            out.append(a)
        elif a.kind == "authorize" and not a.ctype.startswith("text/html"):
            out.append(a)
    return out


def assert_answers_proper(answers, what):
    """Fails, with the first bad answer of each kind, unless every answer is proper."""
    bad = problems_in(answers)
    firsts = {}
    for a in bad:
        firsts.setdefault(a.kind, a)
    assert not bad, "%s: %d of %d answers neither a success nor a proper 503:\n%s" % (
        what, len(bad), len(answers), "\n".join(map(repr, firsts.values())))


# ---------------------------------------------------------------- PostgreSQL's side


class Held:
    """A psql session that runs sql in an open transaction (a lock) until release()."""

    def __init__(self, pg, sql):
        self.p = subprocess.Popen(
            [harness.PG_BIN + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", "127.0.0.1", "-p", str(pg.port), "-U", "gatehouse", "-d", "gatehouse"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        self.p.stdin.write("BEGIN;\n%s;\n\\echo held\n" % sql)
        self.p.stdin.flush()
        out = []
        while True:
            line = self.p.stdout.readline()
            if line in ("", "held\n"):
                break
            out.append(line)
        assert line == "held\n", "psql could not run %r: %s" % (sql, "".join(out))

    def release(self):
        if self.p.poll() is None:
            self.p.stdin.write("ROLLBACK;\n")
            self.p.stdin.close()
            self.p.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def pg_lets_in(port):
    """True when PostgreSQL on 127.0.0.1:port lets the gatehouse role in (trust): its
    startup message is answered with an authentication message, not an error (the
    server is starting up) or a refused connection. A few milliseconds, no process."""
    params = b"user\0gatehouse\0database\0gatehouse\0\0"
    startup = struct.pack("!ii", 8 + len(params), 3 << 16) + params
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(startup)
            answer = s.recv(1)
            s.sendall(b"X\0\0\0\4")     # Terminate
            return answer == b"R"
    except OSError:
        return False


def start_postgres(pg):
    """Starts PostgreSQL; returns (when it was asked to start, when it first let a
    client in: the start of the first probe that got in, polled while pg_ctl waits)."""
    asked = time.monotonic()
    starter = threading.Thread(target=pg.start)
    starter.start()
    while True:
        began = time.monotonic()
        if pg_lets_in(pg.port):
            break
        assert starter.is_alive() or pg.pid is not None, "PostgreSQL did not start"
        time.sleep(0.005)
    starter.join()
    assert pg.pid is not None, "PostgreSQL did not start"
    return asked, began


Backend = collections.namedtuple("Backend", "pid port state wait")


def backends(pg):
    """The workers' connections (pg_stat_activity): [Backend]."""
    out = pg.psql("SELECT pid, client_port, state, coalesce(wait_event_type, '')"
                  " FROM pg_stat_activity WHERE datname = 'gatehouse'"
                  " AND application_name = '%s'" % APP_NAME)
    rows = []
    for line in out.splitlines():
        pid, port, state, wait = line.split("|")
        rows.append(Backend(int(pid), int(port), state, wait))
    return rows


def tcp_ports_to(port):
    """{socket inode: local port} of the TCP sockets connected to 127.0.0.1:port."""
    out = {}
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if int(remote.split(":")[1], 16) == port:
                out[inode] = int(local.split(":")[1], 16)
    return out


def socket_inodes(pid):
    out = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                out.add(link[len("socket:["):-1])
    except OSError:
        pass
    return out


def connection_owners(web, pg):
    """{worker pid: [its backend pids]} for every worker, and the backends no worker
    holds (a killed worker's, until PostgreSQL notices)."""
    rows = backends(pg)
    ports = tcp_ports_to(pg.port)
    port_owner = {}
    workers = web.worker_pids()
    for w in workers:
        for inode in socket_inodes(w):
            if inode in ports:
                port_owner[ports[inode]] = w
    owners = {w: [] for w in workers}
    stray = []
    for b in rows:
        if b.port in port_owner:
            owners[port_owner[b.port]].append(b.pid)
        else:
            stray.append(b.pid)
    return owners, stray


def wait_for(check, timeout, what):
    """Polls check() until it returns something true; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        assert time.monotonic() < deadline, "gave up waiting for " + what
        time.sleep(0.05)


def lock_waiters(pg):
    return [b for b in backends(pg) if b.wait == "Lock"]


def occupy_every_worker(web, pg, fx):
    """Makes every worker of the pool serve one request, and so hold its connection:
    as many client_credentials requests as the pool has workers, each waiting with its
    token insert on a lock of the tokens table (SHARE: reads go on, inserts wait) until
    all of them are in the database at once; then the lock goes and all must
    succeed."""
    n = pool_size(web)
    held = Held(pg, "LOCK TABLE gatehouse.tokens IN SHARE MODE")
    try:
        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            futures = [pool.submit(client_credentials, web, fx) for _ in range(n)]
            wait_for(lambda: len(lock_waiters(pg)) >= n, LOCK_WAIT_MS / 1000 - 2,
                     "%d requests waiting in the database at once" % n)
            held.release()
            statuses = [f.result().status_code for f in futures]
    finally:
        held.release()
    assert statuses == [200] * n, "requests that occupied every worker: %r" % statuses


def assert_one_connection_per_worker(web, pg, every_worker=True, timeout=5.0):
    """No worker holds two connections and none is held by no worker; with
    every_worker, each worker holds exactly one. Returns (connections, workers)."""
    def settled():
        owners, stray = connection_owners(web, pg)
        counts = sorted(len(b) for b in owners.values())
        good = not stray and counts and counts[-1] <= 1 and \
            (not every_worker or counts[0] == 1)
        return (owners, stray) if good else None
    deadline = time.monotonic() + timeout
    while True:
        got = settled()
        if got or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    owners, stray = got or connection_owners(web, pg)
    assert got, "connections per worker %r, %d held by no worker" % (
        {w: len(b) for w, b in owners.items()}, len(stray))
    return sum(len(b) for b in owners.values()), len(owners)


# ------------------------------------------------------------------------- invariants


def invariants(rp, since):
    """SQL counting the rows of client rp made since the PostgreSQL time since that
    break a rule of one-transaction issuance, by the rule's name. (Older rows may have
    lost their code to a sweep: codes expire in a minute.)"""
    def mine(alias):
        return "%s.client_id = '%s' AND %s.created_at >= '%s'" % (
            alias, rp["client_id"], alias, since)
    t = "gatehouse.tokens"
    # now() is the transaction's start: the rows one transaction wrote share created_at.
    pairs = {
        "%s token without the %s token of its transaction" % (kind, other):
            "SELECT count(*) FROM %s a WHERE %s AND a.kind = '%s'"
            " AND NOT EXISTS (SELECT 1 FROM %s b WHERE b.kind = '%s'"
            "  AND b.family_id = a.family_id AND b.created_at = a.created_at)"
            % (t, mine("a"), kind, t, other)
        for kind, other in (("access", "refresh"), ("refresh", "access"))}
    return dict(pairs, **{
        "a code used without tokens, or tokens of an unused code":
            "SELECT count(*) FROM gatehouse.codes c WHERE %s AND"
            " (c.used_at IS NOT NULL) <> EXISTS (SELECT 1 FROM %s t"
            "  WHERE t.family_id = c.family_id)" % (mine("c"), t),
        "a token of a family that no code started":
            "SELECT count(*) FROM %s t WHERE %s AND NOT EXISTS"
            " (SELECT 1 FROM gatehouse.codes c WHERE c.family_id = t.family_id)"
            % (t, mine("t")),
        "a used refresh token without exactly one successor":
            # One pass over the client's successors (parent_hash has no index: a
            # count per row would read the whole table as many times).
            "SELECT count(*) FROM %s p LEFT JOIN (SELECT parent_hash, count(*) AS n"
            "  FROM %s WHERE client_id = '%s' AND kind = 'refresh'"
            "  AND parent_hash IS NOT NULL GROUP BY parent_hash) s"
            " ON s.parent_hash = p.token_hash WHERE %s AND p.kind = 'refresh'"
            " AND p.used_at IS NOT NULL AND coalesce(s.n, 0) <> 1"
            % (t, t, rp["client_id"], mine("p")),
        "a successor of a refresh token that is not used":
            "SELECT count(*) FROM %s s WHERE %s AND s.parent_hash IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.token_hash = s.parent_hash"
            "  AND p.used_at IS NOT NULL)" % (t, mine("s"), t),
        "a refresh token used without its rotating transaction, or the reverse":
            "SELECT count(*) FROM %s r WHERE %s AND r.kind = 'refresh'"
            " AND (r.used_at IS NULL) <> (r.rotated_xid IS NULL)" % (t, mine("r")),
    })


def assert_invariants(pg, rp, since):
    broken = {name: int(pg.psql(sql)) for name, sql in invariants(rp, since).items()}
    broken = {name: n for name, n in broken.items() if n}
    assert not broken, "rows breaking one-transaction issuance: %r" % broken


def code_state(pg, code):
    """(used, number of tokens of its family) of an authorization code."""
    out = pg.psql("SELECT c.used_at IS NOT NULL, (SELECT count(*) FROM gatehouse.tokens t"
                  " WHERE t.family_id = c.family_id) FROM gatehouse.codes c"
                  " WHERE c.code_hash = '%s'" % token_hash(code))
    used, n = out.split("|")
    return used == "t", int(n)


def refresh_state(pg, refresh_token):
    """(used, number of successors) of a refresh token."""
    h = token_hash(refresh_token)
    out = pg.psql("SELECT used_at IS NOT NULL, (SELECT count(*) FROM gatehouse.tokens"
                  " WHERE parent_hash = '%s') FROM gatehouse.tokens WHERE token_hash = '%s'"
                  % (h, h))
    used, n = out.split("|")
    return used == "t", int(n)


def crash_lines_except_killed(web, since, killed):
    """Crash lines of the error log but those the kills explain: the web server saw a
    worker die of signal 9 (lighttpd: "child signalled: 9", mod_fcgid: "get stop
    signal 9", gatehouse serve: "worker N was killed by signal 9"), and Apache says
    "End of script output before headers", without a PID, for the request a killed
    worker was serving (one per kill at most)."""
    lines = [line for line in web.crash_lines(since)
             if not re.search(r"child signalled: 9$|get (stop|unexpected) signal 9$"
                              r"|worker \d+ was killed by signal 9 ", line)]
    cut = [line for line in lines if "end of script output before headers" in line.lower()]
    return [line for line in lines if line not in cut] + cut[len(killed):]


def ok_json(resp, what):
    assert resp.status_code == 200, "%s: %s" % (what, describe(resp))
    return resp.json()


# ------------------------------------------------------------------------------ tests


def test_postgresql_restart_under_load_503_then_back_at_once(ctx):
    fx = fixtures(ctx)
    persistent = ctx.flavour in PERSISTENT
    with private_web(ctx, "restart") as web:
        browser = Browser(web)
        req, code = new_code(web, browser, fx)
        tok = ok_json(redeem(web, req, code, session=requests), "a code redeemed")
        if persistent:
            occupy_every_worker(web, ctx.pg, fx)
            assert_one_connection_per_worker(web, ctx.pg)
            workers = set(web.worker_pids())
        since = web.log_size()
        load = Load(mixed_step(web, fx, tok["access_token"])).start()
        try:
            time.sleep(0.5)
            t_stop = time.monotonic()
            ctx.pg.stop()
            t_down = time.monotonic()
            time.sleep(2.0)
            t_start, t_up = start_postgres(ctx.pg)
            time.sleep(1.5)
        finally:
            answers = load.stop()
            if ctx.pg.pid is None:
                ctx.pg.start()
        assert_answers_proper(answers, "PostgreSQL restarted under load")
        during = [a for a in answers if a.t0 >= t_down and a.t1 <= t_start]
        assert during and all(a.status == 503 for a in during), \
            "while PostgreSQL was down: %r" % [a for a in during if a.status != 503][:5]
        after = [a for a in answers if a.t0 >= t_up]
        first_ok = min((a.t1 for a in answers if a.ok and a.t1 >= t_up), default=None)
        assert first_ok is not None, "no success after PostgreSQL came back"
        failed_after = [a for a in after if not a.ok]
        assert not failed_after, "failures after PostgreSQL was up: %r" % failed_after[:5]
        # (Under CGI the first answer after it takes a whole process start.)
        assert first_ok - t_up < 1.0 or not persistent, \
            "the first success came %.2f s after PostgreSQL was up" % (first_ok - t_up)
        took = sorted(a.t1 - a.t0 for a in after)
        print("    [%s] stop took %.2fs; %d requests, %d answered 503 while down; first 200 "
              "%.0f ms after PostgreSQL let a client in; %d requests after it, all 200 "
              "(median %.0f ms)" % (ctx.flavour, t_down - t_stop, len(answers), len(during),
                                    (first_ok - t_up) * 1000, len(after),
                                    took[len(took) // 2] * 1000), flush=True)
        crashes = web.crash_lines(since)
        assert not crashes, "crash lines:\n" + "\n".join(crashes[:10])
        if persistent:
            lost = workers - set(web.worker_pids())
            assert not lost, "workers gone after the restart: %r" % sorted(lost)
            occupy_every_worker(web, ctx.pg, fx)
            conns, n = assert_one_connection_per_worker(web, ctx.pg)
            print("    [%s] after the restart: %d connections, %d workers"
                  % (ctx.flavour, conns, n), flush=True)


def kill_while_waiting(web, pg, fx, send):
    """Sends a token request of fx.rp that waits inside its transaction: a row lock on
    the client's grants makes its token insert wait (the foreign key check), after the
    code or refresh token was marked used. SIGKILLs the worker serving it, then lets
    the lock go. Returns (the killed worker, the answer or the exception)."""
    held = Held(pg, "SELECT 'locked' FROM gatehouse.grants WHERE client_id = '%s'"
                    " FOR UPDATE" % fx.rp["client_id"])
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            future = pool.submit(send)
            waiter = wait_for(lambda: lock_waiters(pg), HANG, "the request to wait")[0]
            worker = workers_of(web, pg, [waiter])
            assert len(worker) == 1, "no single worker holds %r: %r" % (waiter, worker)
            os.kill(worker[0], signal.SIGKILL)
            assert harness.wait_gone(worker, HANG), "worker %d outlived SIGKILL" % worker[0]
            held.release()
            try:
                answer = future.result(timeout=HANG * 2)
            except requests.RequestException as e:
                answer = e
    finally:
        held.release()
    # The backend finds its client gone when the lock lets it go on: its transaction
    # is rolled back then.
    wait_for(lambda: not backends_of_dead(web, pg), HANG, "the killed worker's backend")
    return worker[0], answer


def workers_of(web, pg, some):
    """The workers holding the connections of some backends."""
    ports = tcp_ports_to(pg.port)
    wanted = {b.port for b in some}
    return [w for w in web.worker_pids() if any(ports.get(i) in wanted
                                                for i in socket_inodes(w))]


def backends_of_dead(web, pg):
    return connection_owners(web, pg)[1]


def describe_answer(answer):
    if isinstance(answer, Exception):
        return type(answer).__name__
    return "%d %s" % (answer.status_code, answer.text[:80].replace("\n", " "))


def burst_with_kills(web, pg, fx, browser, kills):
    """Clients redeeming codes and refreshing their tokens as fast as they can while
    `kills` busy workers are SIGKILLed. Returns (answers, killed pids, every token the
    clients were given)."""
    codes = [new_code(web, browser, fx) for _ in range(24)]
    codes_lock = threading.Lock()
    issued = []

    def make(i):
        state = {"rt": None}

        def step(s):
            if state["rt"] is None:
                with codes_lock:
                    if not codes:
                        return tagged("jwks", lambda: s.get(web.url("/jwks"), timeout=HANG))
                    req, code = codes.pop()
                kind, resp = tagged("code", lambda: redeem(web, req, code, session=s))
            else:
                kind, resp = tagged("refresh", lambda: refresh(web, fx, state["rt"], s))
            state["rt"] = None
            if resp.status_code == 200:
                body = resp.json()
                issued.append(body)
                state["rt"] = body["refresh_token"]
            return kind, resp
        return step
    load = Load(make, threads=4).start()
    killed = []
    try:
        time.sleep(0.3)
        for _ in range(kills):
            # A worker busy in the database (in its statement or between two of its
            # transaction's) if one is seen within 3 s, else any.
            deadline = time.monotonic() + 3.0
            victims = []
            while not victims and time.monotonic() < deadline:
                busy = [b for b in backends(pg) if b.state != "idle"]
                victims = workers_of(web, pg, busy) if busy else []
            victim = (victims or web.worker_pids())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append((victim, bool(victims)))
            time.sleep(0.4)
    finally:
        answers = load.stop()
    return answers, killed, issued


@only(*PERSISTENT)
def test_worker_killed_inside_a_token_transaction_leaves_nothing_half_written(ctx):
    fx = fixtures(ctx)
    pg = ctx.pg
    with private_web(ctx, "kill") as web:
        since = web.log_size()
        began = pg.psql("SELECT now()")
        browser = Browser(web)
        # A code exchange, killed after its UPDATE marked the code used.
        req, code = new_code(web, browser, fx)
        w1, answer = kill_while_waiting(web, pg, fx,
                                        lambda: redeem(web, req, code, session=requests))
        assert isinstance(answer, Exception) or answer.status_code != 200, \
            "the killed exchange was answered: " + describe_answer(answer)
        assert code_state(pg, code) == (False, 0), \
            "the killed exchange left (code used, tokens) = %r" % (code_state(pg, code),)
        tok = ok_json(redeem(web, req, code, session=requests), "the code redeemed again")
        # A refresh, killed after its UPDATE marked the refresh token used.
        w2, answer2 = kill_while_waiting(web, pg, fx,
                                         lambda: refresh(web, fx, tok["refresh_token"]))
        assert refresh_state(pg, tok["refresh_token"]) == (False, 0), \
            "the killed refresh left (used, successors) = %r" % (
                refresh_state(pg, tok["refresh_token"]),)
        ok_json(refresh(web, fx, tok["refresh_token"]), "the refresh token used again")
        # Workers killed at random in a burst of exchanges and refreshes.
        answers, burst_kills, issued = burst_with_kills(web, pg, fx, browser, kills=3)
        killed = [w1, w2] + [w for w, _ in burst_kills]
        wait_for(lambda: not backends_of_dead(web, pg), HANG, "the killed workers' backends")
        assert_invariants(pg, fx.rp, began)
        hashes = [token_hash(t[k]) for t in issued for k in ("access_token", "refresh_token")]
        # In slices: one psql argument holds at most 128 KiB (a burst can issue 2000).
        stored = sum(int(pg.psql("SELECT count(*) FROM gatehouse.tokens WHERE token_hash ="
                                 " ANY ('{%s}'::text[])" % ",".join(hashes[i:i + 500])))
                     for i in range(0, len(hashes), 500))
        assert stored == len(hashes), "%d tokens given to clients, %d of them stored" % (
            len(hashes), stored)
        failed = [a for a in answers if not a.ok]
        print("    [%s] killed mid-transaction: exchange -> %s, refresh -> %s; burst: %d "
              "requests, %d failed around %d kills (%d of busy workers), %d token "
              "responses all stored" % (ctx.flavour, describe_answer(answer),
                                        describe_answer(answer2), len(answers), len(failed),
                                        len(burst_kills), sum(b for _, b in burst_kills),
                                        len(issued)), flush=True)
        # The web server replaces the workers and they serve.
        if ctx.flavour != "apache-fcgid":     # (which starts them when needed)
            wait_for(lambda: len(web.worker_pids()) == pool_size(web), HANG * 2,
                     "the killed workers to be replaced")
        assert not set(killed) & set(web.worker_pids())
        occupy_every_worker(web, pg, fx)
        conns, n = assert_one_connection_per_worker(web, pg)
        print("    [%s] after %d kills: %d connections, %d workers"
              % (ctx.flavour, len(killed), conns, n), flush=True)
        crashes = crash_lines_except_killed(web, since, killed)
        assert not crashes, "crash lines:\n" + "\n".join(crashes[:10])


def quick_503(send, kind, what):
    """send() must be answered 503 temporarily_unavailable within a few times the
    statement timeout; returns the seconds it took."""
    t0 = time.monotonic()
    resp = send()
    a = Answer(kind, t0, time.monotonic(), resp)
    assert a.status == 503 and not problems_in([a]), "%s: %r" % (what, a)
    assert a.t1 - a.t0 < SHORT_TIMEOUT_MS / 1000 * 4, "%s took %.2f s" % (what, a.t1 - a.t0)
    return a.t1 - a.t0


def test_statement_timeout_is_a_quick_503_and_the_worker_serves_on(ctx):
    fx = fixtures(ctx)
    pg = ctx.pg
    persistent = ctx.flavour in PERSISTENT
    with private_web(ctx, "timeout", timeout_ms=SHORT_TIMEOUT_MS) as web:
        since = web.log_size()
        browser = Browser(web)
        req, code = new_code(web, browser, fx)
        tok = ok_json(redeem(web, req, code, session=requests), "a code redeemed")
        req, code = new_code(web, browser, fx)
        workers = set(web.worker_pids())
        took = []
        with Held(pg, "LOCK TABLE gatehouse.tokens IN ACCESS EXCLUSIVE MODE"):
            # Its code is marked used, then its token insert waits: the rollback must
            # leave the code unused.
            took.append(quick_503(lambda: redeem(web, req, code, session=requests), "code",
                                  "a code exchange while tokens is locked"))
            took.append(quick_503(lambda: client_credentials(web, fx), "token",
                                  "client_credentials while tokens is locked"))
            took.append(quick_503(lambda: requests.get(
                web.url("/userinfo"), headers={"Authorization": "Bearer " + tok["access_token"]},
                timeout=HANG), "userinfo", "userinfo while tokens is locked"))
        assert code_state(pg, code) == (False, 0), \
            "the timed-out exchange left (code used, tokens) = %r" % (code_state(pg, code),)
        ok_json(redeem(web, req, code, session=requests), "the code redeemed after the timeout")
        with Held(pg, "LOCK TABLE gatehouse.clients IN ACCESS EXCLUSIVE MODE"):
            authorize = web.url("/authorize") + "?" + urllib.parse.urlencode(
                AuthRequest(fx.rp, scope=SCOPE).params)
            took.append(quick_503(lambda: requests.get(authorize, timeout=HANG,
                                                       allow_redirects=False),
                                  "authorize", "the authorization page while clients is locked"))
            took.append(quick_503(lambda: client_credentials(web, fx), "token",
                                  "client_credentials while clients is locked"))
        # Every worker, those whose statements were cancelled too, serves on.
        n = pool_size(web) * 2 if persistent else 8
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: client_credentials(web, fx).status_code,
                                     range(n)))
        assert statuses == [200] * n, "after the timeouts: %r" % statuses
        print("    [%s] statement timeout %d ms: 503 after %s s" % (
            ctx.flavour, SHORT_TIMEOUT_MS, ", ".join("%.2f" % t for t in took)), flush=True)
        crashes = web.crash_lines(since)
        assert not crashes, "crash lines:\n" + "\n".join(crashes[:10])
        if persistent:
            # (mod_fcgid may have started more meanwhile.)
            lost = workers - set(web.worker_pids())
            assert not lost, "workers gone after the timeouts: %r" % sorted(lost)
            assert_one_connection_per_worker(web, pg, every_worker=False)


@only(*PERSISTENT)
def test_connections_equal_workers_after_a_load_burst(ctx):
    fx = fixtures(ctx)
    with private_web(ctx, "pool") as web:
        req, code = new_code(web, Browser(web), fx)
        tok = ok_json(redeem(web, req, code, session=requests), "a code redeemed")
        assert_one_connection_per_worker(web, ctx.pg, every_worker=False)
        load = Load(mixed_step(web, fx, tok["access_token"]), threads=8).start()
        time.sleep(2.0)
        answers = load.stop()
        bad = [a for a in answers if not a.ok]
        assert not bad, "%d of %d requests failed: %r" % (len(bad), len(answers), bad[:5])
        during, n = assert_one_connection_per_worker(web, ctx.pg, every_worker=False)
        occupy_every_worker(web, ctx.pg, fx)
        conns, n = assert_one_connection_per_worker(web, ctx.pg)
        assert conns == n == pool_size(web), "%d connections, %d workers, pool of %d" % (
            conns, n, pool_size(web))
        print("    [%s] %d requests by 8 clients: %d connections; every worker busy once: "
              "%d connections, %d workers" % (ctx.flavour, len(answers), during, conns, n),
              flush=True)
