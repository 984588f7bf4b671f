#!/usr/bin/python3
"""Benchmarks Gatehouse with wrk and prints one table (bench/run, make bench).

    bench/run [--duration S] [--quick] [--servers LIST] [--scenarios LIST]
    bench/run --workers 2,4,8,16          client_credentials at each worker count
    bench/run --memory [--requests N]     resident memory over N mixed requests

Everything runs at once under var/bench/ (rebuilt on each run): a private PostgreSQL 15
with the default durability settings (fsync and synchronous_commit on), Gatehouse
behind each web server the way dev/run serves it (the shipped deploy/ files, through
tests/integration/harness.py), the ceiling program (bench/ceiling.c) behind lighttpd
with the same worker count, and node oidc-provider (bench/oidc/) when it is set up.
Each scenario gets a warm-up, then 3 runs; the runs of all rows are interleaved (one
round of every row, then the next round), so a busy moment on the machine hits every
row alike and the ratios stay fair. The table is printed and saved to var/bench/last.txt.
Timing never fails the run: targets are reported as met or not met.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

import harness  # noqa: E402

VAR = os.path.join(REPO, "var", "bench")
LUA = os.path.join(REPO, "bench", "requests.lua")
CEILING_SRC = os.path.join(REPO, "bench", "ceiling.c")
OIDC_DIR = os.path.join(REPO, "bench", "oidc")
CALLBACK = "http://127.0.0.1:9/callback"
CALLBACK_Q = "http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
CODE_SCOPE = "openid offline_access"
BENCH_USERS = 64  # the people the prepared codes and refresh tokens belong to

# Scenario name -> what the table calls it. Order is the table's.
SCENARIOS = (
    ("discovery", "discovery"),
    ("jwks", "JWKS"),
    ("cc_opaque", "client_credentials, opaque"),
    ("cc_rs256", "client_credentials, RS256 JWT"),
    ("cc_es256", "client_credentials, ES256 JWT"),
    ("code", "authorization_code exchange"),
    ("refresh", "refresh_token"),
    ("introspect", "introspection"),
    ("userinfo", "userinfo"),
)
ONETIME = ("code", "refresh")
# Our scenario -> the name in bench/oidc's requests.json.
OIDC_SCENARIOS = {"discovery": "discovery", "jwks": "jwks",
                  "cc_opaque": "client_credentials_opaque",
                  "cc_rs256": "client_credentials_jwt_rs256",
                  "cc_es256": "client_credentials_jwt_es256", "code": "code_exchange",
                  "refresh": "refresh", "introspect": "introspection", "userinfo": "userinfo"}
SERVERS = ("lighttpd", "apache-fcgid", "apache-proxy")
SERVER_NAMES = {"lighttpd": "lighttpd", "apache-fcgid": "Apache mod_fcgid",
                "apache-proxy": "Apache proxy_fcgi", "ceiling": "ceiling (lighttpd)",
                "oidc": "oidc-provider"}


def say(msg=""):
    print(msg, flush=True)


# ---------------------------------------------------------------------------- wrk


class Result:
    def __init__(self, rps, p50, p99, errors, requests, exhausted=0):
        self.rps, self.p50, self.p99 = rps, p50, p99
        self.errors, self.requests, self.exhausted = errors, requests, exhausted


def seconds(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        return None
    return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[m.group(2)]


def parse_wrk(out):
    def num(pattern, default=0.0):
        m = re.search(pattern, out)
        return float(m.group(1)) if m else default
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                     out)
    errors = int(num(r"Non-2xx or 3xx responses: (\d+)"))
    if sock:
        errors += sum(int(g) for g in sock.groups())
    return Result(rps=num(r"Requests/sec:\s+([\d.]+)"),
                  p50=seconds(lat.get("50", "")), p99=seconds(lat.get("99", "")),
                  errors=errors, requests=int(num(r"(\d+) requests in")),
                  exhausted=int(num(r"BENCH_EXHAUSTED (\d+)")))


class Wrk:
    def __init__(self, threads, connections):
        self.threads, self.connections = threads, connections

    def run(self, base, spec_lines, duration, workdir):
        spec = os.path.join(workdir, "spec.tsv")
        with open(spec, "w") as f:
            for line in spec_lines:
                f.write("\t".join(x if x else "-" for x in line) + "\n")
        env = dict(os.environ, BENCH_SPEC=spec, BENCH_THREADS=str(self.threads))
        cmd = ["wrk", "-t%d" % self.threads, "-c%d" % self.connections,
               "-d%ds" % max(1, round(duration)), "--latency", "--timeout", "10s",
               "-s", LUA, base]
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=duration + 60)
        if p.returncode != 0 or "Requests/sec" not in p.stdout:
            raise RuntimeError("wrk failed (%d):\n%s" % (p.returncode, p.stdout[-2000:]))
        return parse_wrk(p.stdout)


# --------------------------------------------------------------------- PostgreSQL


def start_postgres(workdir):
    """The harness's private cluster, with the test-only shortcuts taken back: the
    harness turns fsync and synchronous_commit off for speed; a benchmark of a
    provider that must not lose a token it answered measures them on."""
    pg = harness.Postgres(os.path.join(workdir, "pg"))
    pg.init()
    with open(os.path.join(pg.data, "postgresql.conf"), "a") as f:
        f.write("\n# bench/bench.py: PostgreSQL's default durability (these come last)\n"
                "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n"
                "max_connections = 300\nshared_buffers = 128MB\n")
    pg.restart()
    settings = {k: pg.psql("SHOW %s" % k) for k in ("fsync", "synchronous_commit",
                                                     "full_page_writes")}
    if settings != {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}:
        raise SystemExit("bench: PostgreSQL durability settings are %r" % settings)
    return pg


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


# ------------------------------------------------------------------ Gatehouse setup


class Gatehouse:
    """The database's clients, user, grant and the fixed credentials the scenarios use."""

    def __init__(self, ctx):
        self.ctx = ctx
        ctx.cli("migrate", check=True)
        for alg in ("RS256", "ES256"):
            ctx.cli("keys", "rotate", "--alg", alg, "--now", check=True)
        ctx.define_scopes("api")
        cc = dict(grant_types=("client_credentials",), scope="api")
        self.cc = {
            "opaque": ctx.add_client("bench opaque", **cc),
            "jwt": ctx.add_client("bench jwt", extra=("--access-token-format", "jwt"), **cc),
        }
        self.code_client = ctx.add_client(
            "bench code", redirect_uris=(CALLBACK,), scope="openid profile email offline_access",
            grant_types=("authorization_code", "refresh_token"))
        ctx.add_user("bench", secrets.token_urlsafe(12), email="bench@example.com",
                     name="Bench User", email_verified=True)
        pg = ctx.pg
        # Concurrent code exchanges and refreshes are, in real traffic, different
        # people's: BENCH_USERS users (copies of "bench"), one grant each, and the
        # prepared codes and refresh tokens dealt out over them in turn. One shared
        # user and grant would make every request lock the same rows (foreign keys).
        pg.psql(
            "INSERT INTO gatehouse.users (username, email, email_verified, password_hash,"
            " name) SELECT 'bench' || g, 'bench' || g || '@example.com', true,"
            " password_hash, name FROM gatehouse.users, generate_series(1, %d) AS g"
            " WHERE username = 'bench'" % (BENCH_USERS - 1))
        pg.psql(
            "INSERT INTO gatehouse.grants (user_id, client_id, scopes) SELECT id, %s,"
            " '{openid,profile,email,offline_access}' FROM gatehouse.users"
            " WHERE username ~ '^bench[0-9]*$'" % sql_quote(self.code_client["client_id"]))

    # The bench users' grants, numbered from 0 (the "bench_grants" of make_codes and
    # make_refresh_tokens).
    GRANTS = ("bench_grants AS (SELECT id, user_id,"
              " (row_number() OVER (ORDER BY id) - 1) AS i FROM gatehouse.grants)")

    @staticmethod
    def basic(client):
        import base64
        raw = "%s:%s" % (client["client_id"], client["client_secret"])
        return "Basic " + base64.b64encode(raw.encode()).decode()

    def make_codes(self, n, path, scope=CODE_SCOPE):
        """n real authorization codes, as /authorize would store them after consent:
        the SHA-256 of the code, the PKCE S256 challenge of its verifier. Each line of
        path: CODE VERIFIER. They live an hour (the real ones, 60 s) so a batch made
        before a run is still good when the run reaches it."""
        sql = (
            "WITH " + self.GRANTS + ","
            " fresh AS (SELECT 'bc' || md5(random()::text) || md5(random()::text) AS code,"
            " 'bv' || md5(random()::text) || md5(random()::text) AS verifier, g"
            " FROM generate_series(1, %d) AS g),"
            " ins AS (INSERT INTO gatehouse.codes (code_hash, client_id, user_id, grant_id,"
            " redirect_uri, redirect_uri_given, scope, code_challenge, auth_time, amr,"
            " expires_at)"
            " SELECT encode(sha256(convert_to(code, 'UTF8')), 'hex'), %s, b.user_id, b.id,"
            " %s, true, %s,"
            " translate(encode(sha256(convert_to(verifier, 'UTF8')), 'base64'), '+/=', '-_'),"
            " now(), '{pwd}', now() + interval '1 hour'"
            " FROM fresh JOIN bench_grants b ON b.i = fresh.g %% %d RETURNING 1)"
            " SELECT code || ' ' || verifier FROM fresh WHERE (SELECT count(*) FROM ins) > 0"
            % (n, sql_quote(self.code_client["client_id"]), sql_quote(CALLBACK),
               sql_quote(scope), BENCH_USERS))
        with open(path, "w") as f:
            f.write(self.ctx.pg.psql(sql) + "\n")

    def make_refresh_tokens(self, n, path):
        """n live refresh tokens as a code exchange leaves them: one family each (so
        nothing one request does can revoke another's), the grant's scope."""
        sql = (
            "WITH " + self.GRANTS + ","
            " fresh AS (SELECT 'gatehouse_rt_' || md5(random()::text)"
            " || substr(md5(random()::text), 1, 11) AS token, g"
            " FROM generate_series(1, %d) AS g),"
            " ins AS (INSERT INTO gatehouse.tokens (token_hash, kind, format, client_id,"
            " user_id, grant_id, family_id, scope, auth_time, amr, expires_at,"
            " family_started_at)"
            " SELECT encode(sha256(convert_to(token, 'UTF8')), 'hex'), 'refresh', 'opaque',"
            " %s, b.user_id, b.id, gen_random_uuid(), %s, now(), '{pwd}',"
            " now() + interval '1 day', now()"
            " FROM fresh JOIN bench_grants b ON b.i = fresh.g %% %d RETURNING 1)"
            " SELECT token FROM fresh WHERE (SELECT count(*) FROM ins) > 0"
            % (n, sql_quote(self.code_client["client_id"]), sql_quote(CODE_SCOPE),
               BENCH_USERS))
        with open(path, "w") as f:
            f.write(self.ctx.pg.psql(sql) + "\n")

    def fixed_tokens(self, web, workdir):
        """An opaque client_credentials token (for introspection) and a user's access
        token (for userinfo), got from the real /token."""
        r = web.session.post(web.url("/token"), data={"grant_type": "client_credentials"},
                             auth=(self.cc["opaque"]["client_id"],
                                   self.cc["opaque"]["client_secret"]), timeout=15)
        r.raise_for_status()
        self.cc_token = r.json()["access_token"]
        codes = os.path.join(workdir, "one-code.txt")
        self.make_codes(1, codes, scope="openid profile email")
        with open(codes) as f:
            code, verifier = f.read().split()
        r = web.session.post(web.url("/token"), data={
            "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
            "redirect_uri": CALLBACK}, auth=(self.code_client["client_id"],
                                             self.code_client["client_secret"]), timeout=15)
        r.raise_for_status()
        self.user_token = r.json()["access_token"]

    def spec(self, scenario, onetime_file=None):
        """The wrk request lines of a scenario (see bench/requests.lua)."""
        token = "/oauth/token"
        code_auth = self.basic(self.code_client)
        return {
            "discovery": [("GET", "/oauth/.well-known/openid-configuration", "", "", "")],
            "jwks": [("GET", "/oauth/jwks", "", "", "")],
            "cc_opaque": [("POST", token, self.basic(self.cc["opaque"]),
                           "grant_type=client_credentials", "")],
            "cc_rs256": [("POST", token, self.basic(self.cc["jwt"]),
                          "grant_type=client_credentials", "")],
            "cc_es256": [("POST", token, self.basic(self.cc["jwt"]),
                          "grant_type=client_credentials", "")],
            "code": [("POST", token, code_auth,
                      "grant_type=authorization_code&code=$1&code_verifier=$2&redirect_uri="
                      + CALLBACK_Q, onetime_file)],
            "refresh": [("POST", token, code_auth, "grant_type=refresh_token&refresh_token=$1",
                         onetime_file)],
            "introspect": [("POST", "/oauth/introspect", self.basic(self.cc["opaque"]),
                            "token=" + self.cc_token, "")],
            "userinfo": [("GET", "/oauth/userinfo", "Bearer " + self.user_token, "", "")],
        }[scenario]


class Slices:
    """Hands out consecutive slices of a file of one-time lines (oidc-provider's
    prepared codes and refresh tokens): each run gets lines no run had before."""

    def __init__(self, path):
        with open(path) as f:
            self.lines = f.read().splitlines()
        self.offset = 0

    def __call__(self, count, path):
        # Generous: at least a third of what is left (the lines are made anyway, and a
        # run on a busy machine can go much faster than the one before it).
        count = max(count, (len(self.lines) - self.offset) // 3)
        with open(path, "w") as f:
            for line in self.lines[self.offset:self.offset + count]:
                f.write(line + "\n")
        self.offset += count


# -------------------------------------------------------------------- web servers


def deploy_copy(workdir, name, workers):
    """A copy of deploy/ with the worker count set to workers in every file."""
    out = os.path.join(workdir, "deploy-" + name)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "deploy"), out)
    for fname in os.listdir(out):
        path = os.path.join(out, fname)
        with open(path) as f:
            text = f.read()
        text = re.sub(r'("(?:min|max)-procs"\s*=>\s*)\d+', r"\g<1>%d" % workers, text)
        text = re.sub(r"(?m)^(Fcgid(?:Max|Min)ProcessesPerClass\s+)\d+", r"\g<1>%d" % workers,
                      text)
        text = re.sub(r"(--workers[ =])\d+", r"\g<1>%d" % workers, text)
        with open(path, "w") as f:
            f.write(text)
    return out


def shipped_workers():
    """The worker count deploy/lighttpd.conf ships with."""
    with open(os.path.join(REPO, "deploy", "lighttpd.conf")) as f:
        m = re.search(r'"max-procs"\s*=>\s*(\d+)', f.read())
    return int(m.group(1)) if m else 8


def available_servers():
    return [s for s in SERVERS if s in harness.WebServer.DEPLOY]


class Row:
    """One line of the table: a server, a scenario, and how to drive it."""

    def __init__(self, server, scenario, base, spec, prepare=None, workers=None):
        self.server, self.scenario, self.base = server, scenario, base
        self.spec, self.prepare, self.workers = spec, prepare, workers
        self.results = []

    @property
    def key(self):
        return (self.server, self.scenario)


def median(xs):
    return statistics.median(xs) if xs else 0.0


def rss_pss(pids):
    """(RSS, PSS) in kB per process, from /proc/PID/smaps_rollup."""
    out = []
    for pid in pids:
        vals = {}
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    m = re.match(r"(Rss|Pss):\s+(\d+) kB", line)
                    if m:
                        vals[m.group(1)] = int(m.group(2))
        except OSError:
            continue
        out.append((vals.get("Rss", 0), vals.get("Pss", 0)))
    return out


def mem_summary(pids):
    m = rss_pss(pids)
    if not m:
        return None
    return (len(m), median([r for r, _ in m]) / 1024.0, median([p for _, p in m]) / 1024.0)


class Bench:
    def __init__(self, args):
        self.args = args
        self.wrk = Wrk(args.threads, args.connections)
        self.servers = []          # every web server started, for stop()
        self.procs = []            # other processes started (oidc-provider)
        self.notes = []

    # ---- setup
    def setup(self):
        stale = harness.Postgres(os.path.join(VAR, "pg"))
        if stale.exists():
            stale.stop_stale()           # left running by a run that was killed
        shutil.rmtree(VAR, ignore_errors=True)
        os.makedirs(VAR)
        os.chmod(VAR, 0o755)
        self.tree = harness.Tree(getattr(self.args, "tree", None) or REPO)
        if self.tree.problems():
            raise SystemExit("bench: " + "; ".join(self.tree.problems()))
        say("starting PostgreSQL (fsync, synchronous_commit on) in %s/pg" % VAR)
        self.pg = start_postgres(VAR)
        self.key = harness.write_key_file(os.path.join(VAR, "gatehouse.key"))
        self.configs = {}
        self.cli_config = self.config("cli", "http://127.0.0.1:9/oauth")
        self.ctx = harness.Context(self.tree, VAR, self.pg, self.key, self.cli_config)
        self.gh = Gatehouse(self.ctx)

    def config(self, name, issuer, **overrides):
        path = os.path.join(VAR, "gatehouse-%s.hdf" % name)
        return harness.write_config(path, issuer, self.pg, self.tree, self.key, **overrides)

    def start_gatehouse(self, server, workers, alg="RS256"):
        name = "%s-%d-%s" % (server, workers, alg)
        port = harness.free_port()
        config = self.config(name, "http://127.0.0.1:%d/oauth" % port,
                             **{"Keys.DefaultAlg": alg})
        web = harness.WebServer(server, os.path.join(VAR, "web-" + name), self.tree, config,
                                port=port, deploy_dir=deploy_copy(VAR, name, workers))
        web.workers = workers        # apache-proxy: the `gatehouse serve --workers` pool
        self.servers.append(web.start())
        return web

    def start_ceiling(self, workers):
        tree = harness.Tree(os.path.join(VAR, "ceiling-%d" % workers))
        for d in (tree.templates, tree.htdocs, tree.sql):
            os.makedirs(d, exist_ok=True)
        subprocess.run(["cc", "-O2", "-Wall", "-Werror", "-std=c11",
                        "-D_POSIX_C_SOURCE=200809L", "-I/usr/include/postgresql", "-o",
                        tree.binary, CEILING_SRC, "-lfcgi", "-lpq", "-lcrypto"], check=True)
        if not self.pg.psql("SELECT 1 FROM pg_database WHERE datname = 'bench_ceiling'",
                            user="postgres", db="postgres"):
            self.pg.psql("CREATE DATABASE bench_ceiling OWNER gatehouse", user="postgres",
                         db="postgres")
        config = os.path.join(VAR, "ceiling.hdf")
        with open(config, "w") as f:
            f.write("Database.Conninfo = %s\n"
                    % self.pg.conninfo().replace("dbname=gatehouse", "dbname=bench_ceiling"))
        os.chmod(config, 0o644)
        web = harness.WebServer("lighttpd", os.path.join(VAR, "web-ceiling-%d" % workers), tree,
                                config, deploy_dir=deploy_copy(VAR, "ceiling-%d" % workers,
                                                               workers))
        self.servers.append(web.start())
        return web

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        for web in reversed(self.servers):
            web.stop()
        if getattr(self, "pg", None) is not None:
            self.pg.stop()

    # ---- rows
    def gatehouse_rows(self, server, workers, scenarios):
        web = self.start_gatehouse(server, workers)
        self.gh.fixed_tokens(web, VAR)
        es = None
        rows = []
        for s in scenarios:
            w = web
            if s == "cc_es256":
                es = es or self.start_gatehouse(server, workers, alg="ES256")
                w = es
            prepare = None
            if s == "code":
                prepare = self.gh.make_codes
            elif s == "refresh":
                prepare = self.gh.make_refresh_tokens
            rows.append(Row(server, s, w.base, lambda f, s=s: self.gh.spec(s, f), prepare,
                            workers))
        return web, rows

    def ceiling_row(self, workers):
        web = self.start_ceiling(workers)
        return web, Row("ceiling", "cc_opaque", web.base,
                        lambda f: [("POST", "/oauth/token", "", "grant_type=client_credentials",
                                    "")], None, workers)

    def oidc_rows(self, scenarios):
        """node oidc-provider (bench/oidc/, see its README.md), when it is there: its own
        database in the same PostgreSQL, codes and refresh tokens made by its --prepare,
        refresh tokens rotated on every use as Gatehouse does (--rotate-refresh)."""
        server = os.path.join(OIDC_DIR, "server.mjs")
        if not os.path.exists(server):
            self.notes.append("oidc-provider left out: bench/oidc/server.mjs is missing")
            return []
        node = subprocess.run([os.path.join(OIDC_DIR, "setup")], stdout=subprocess.PIPE,
                              text=True, check=True).stdout.strip()
        self.pg.psql("CREATE DATABASE oidc OWNER gatehouse", user="postgres", db="postgres")
        out = os.path.join(VAR, "oidc")
        os.makedirs(out)
        a = self.args
        n = a.oidc_prepare or int(a.first_rate * 0.5 * (a.warmup + a.runs * a.duration)) + 5000
        port = harness.free_port()
        say("starting oidc-provider (preparing %d codes and refresh tokens)" % n)
        with open(os.path.join(out, "server.log"), "ab") as log:
            proc = subprocess.Popen(
                [node, server, "--port", str(port), "--out", out, "--prepare", str(n),
                 "--rotate-refresh", "--pg",
                 "postgresql://gatehouse@127.0.0.1:%d/oidc" % self.pg.port],
                stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True,
                start_new_session=True)
        self.procs.append(proc)
        line = proc.stdout.readline()
        if not line.startswith("READY "):
            raise SystemExit("bench: oidc-provider did not start; see %s/server.log" % out)
        base = line.split()[1]
        with open(os.path.join(out, "requests.json")) as f:
            described = json.load(f)["scenarios"]
        rows = []
        for s in scenarios:
            sc = described.get(OIDC_SCENARIOS.get(s, ""))
            if sc is None:
                continue
            body = sc.get("body", "")
            for placeholder, field in (("{code}", "$1"), ("{verifier}", "$2"),
                                       ("{refresh_token}", "$1")):
                body = body.replace(placeholder, field)
            line = (sc["method"], sc["path"], sc["headers"].get("Authorization", ""), body)
            prepare = Slices(os.path.join(out, sc["file"])) if "file" in sc else None
            rows.append(Row("oidc", s, base, lambda f, line=line: [line + (f or "",)],
                            prepare))
        return rows

    # ---- running
    def run_row(self, row, duration, n):
        workdir = os.path.join(VAR, "run")
        os.makedirs(workdir, exist_ok=True)
        onetime = None
        if row.prepare is not None:
            done = [r.rps for r in row.results]
            # Enough for the fastest run so far and then some; a warm-up's guess may
            # fall short (a warm-up that runs out only warms up).
            rate = max(done) * 2 if done else self.args.first_rate / 2
            count = int(rate * (duration + 1)) + 2 * self.args.connections + 200
            onetime = os.path.join(workdir, "onetime.txt")
            row.prepare(count, onetime)
        return self.wrk.run(row.base, row.spec(onetime), duration, workdir)

    def measure(self, rows):
        """Warm-up of each row, then args.runs rounds, each running every row once."""
        a = self.args
        say("warm-up: %d rows, %g s each" % (len(rows), a.warmup))
        for row in rows:
            self.run_row(row, a.warmup, 0)
        for i in range(a.runs):
            say("round %d of %d (%d rows, %g s each)" % (i + 1, a.runs, len(rows), a.duration))
            for row in rows:
                r = self.run_row(row, a.duration, i)
                row.results.append(r)
                if r.exhausted:
                    self.notes.append("%s %s: ran out of one-time tokens (%d requests)"
                                      % (row.server, row.scenario, r.exhausted))
        return rows


# ------------------------------------------------------------------------- table


def fmt_ms(s):
    if s is None:
        return "-"
    return "%.1f ms" % (s * 1000) if s < 0.1 else "%.0f ms" % (s * 1000)


def summarize(row):
    rs = row.results
    rps = [r.rps for r in rs]
    med = median(rps)
    spread = (max(rps) - min(rps)) / med * 100 if med else 0.0
    return {
        "rps": med, "spread": spread,
        "p50": median([r.p50 for r in rs if r.p50 is not None]) if rs else None,
        "p99": median([r.p99 for r in rs if r.p99 is not None]) if rs else None,
        "errors": sum(r.errors for r in rs), "requests": sum(r.requests for r in rs),
    }


def table(rows):
    names = dict(SCENARIOS)
    lines = ["%-20s %-32s %9s %7s %9s %9s %7s" % ("server", "scenario", "req/s", "spread",
                                                  "p50", "p99", "errors"),
             "-" * 99]
    last = None
    for row in rows:
        s = summarize(row)
        server = SERVER_NAMES.get(row.server, row.server) if row.server != last else ""
        if row.server != last and last is not None:
            lines.append("")
        last = row.server
        lines.append("%-20s %-32s %9.0f %6.1f%% %9s %9s %7d" % (
            server, names.get(row.scenario, row.scenario) + (
                " (%d workers)" % row.workers if row.server == "ceiling" else ""),
            s["rps"], s["spread"], fmt_ms(s["p50"]), fmt_ms(s["p99"]), s["errors"]))
    return lines


RATIOS = (
    # label, numerator, denominator, target, kind ("ratio": a/b >= t; "p99": a/b <= t)
    ("opaque client_credentials / ceiling", ("lighttpd", "cc_opaque"),
     ("ceiling", "cc_opaque"), 0.85, "ratio"),
    ("opaque client_credentials / oidc-provider's", ("lighttpd", "cc_opaque"),
     ("oidc", "cc_opaque"), 1.7, "ratio"),
    ("RS256 JWT client_credentials / oidc-provider's JWT", ("lighttpd", "cc_rs256"),
     ("oidc", "cc_rs256"), 1.2, "ratio"),
    ("ES256 JWT client_credentials / oidc-provider's JWT", ("lighttpd", "cc_es256"),
     ("oidc", "cc_rs256"), 3.0, "ratio"),
    ("code exchange / oidc-provider's", ("lighttpd", "code"), ("oidc", "code"), 1.5, "ratio"),
    ("Apache mod_fcgid p99 / lighttpd's (opaque cc)", ("apache-fcgid", "cc_opaque"),
     ("lighttpd", "cc_opaque"), 2.0, "p99"),
    ("Apache proxy_fcgi p99 / lighttpd's (opaque cc)", ("apache-proxy", "cc_opaque"),
     ("lighttpd", "cc_opaque"), 2.0, "p99"),
)


def ratio_lines(rows):
    by = {r.key: summarize(r) for r in rows if r.results}
    out = []
    for label, a, b, target, kind in RATIOS:
        if a not in by or b not in by:
            continue
        field = "rps" if kind == "ratio" else "p99"
        x, y = by[a][field], by[b][field]
        if not x or not y:
            continue
        v = x / y
        met = v >= target if kind == "ratio" else v <= target
        shown = ("%.0f%%" % (v * 100)) if target < 1 else "%.2fx" % v
        want = (">= %.0f%%" % (target * 100)) if target < 1 else (
            ">= %gx" % target if kind == "ratio" else "<= %gx" % target)
        out.append("%-52s %8s  target %-8s %s" % (label, shown, want,
                                                  "met" if met else "NOT MET"))
    return out


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = open("/proc/loadavg").read().split()[:3]
    mem = 0
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    return "%d x %s, %d MB RAM, %s; load average before the run %s" % (
        os.cpu_count(), cpu, mem, os.uname().release, " ".join(load))


# ----------------------------------------------------------------------- modes


def full_run(b, args):
    workers = args.table_workers or shipped_workers()
    scenarios = [s for s, _ in SCENARIOS if s in args.scenarios]
    rows, mem = [], {}
    main_web = None
    for server in args.servers:
        web, srows = b.gatehouse_rows(server, workers, scenarios)
        main_web = main_web or web
        rows += srows
    cweb, crow = b.ceiling_row(workers)
    rows.append(crow)
    if not args.no_oidc:
        rows += b.oidc_rows(scenarios)
    time.sleep(1)
    if main_web is not None:
        mem["gatehouse_start"] = mem_summary(main_web.worker_pids())
    mem["ceiling_start"] = mem_summary(cweb.worker_pids())
    b.measure(rows)
    if main_web is not None:
        mem["gatehouse_end"] = mem_summary(main_web.worker_pids())
    mem["ceiling_end"] = mem_summary(cweb.worker_pids())
    served = {"gatehouse": sum(summarize(r)["requests"] for r in rows
                               if main_web is not None and r.base == main_web.base),
              "ceiling": summarize(crow)["requests"]}
    lines = table(rows) + [""] + ["ratios (each measured in this run, lighttpd rows, %d "
                                  "workers):" % workers] + ratio_lines(rows)
    lines += ["", "memory per worker (median of the workers; RSS / PSS from smaps_rollup):"]
    for who, label in (("gatehouse", "Gatehouse (%s)" % (args.servers[0]
                                                       if args.servers else "-")),
                       ("ceiling", "ceiling")):
        s, e = mem.get(who + "_start"), mem.get(who + "_end")
        if s and e:
            lines.append("  %-22s after start %5.1f / %4.1f MB   after %d requests "
                         "%5.1f / %4.1f MB  (%d workers)" % (label, s[1], s[2], served[who],
                                                             e[1], e[2], e[0]))
    return lines


def worker_sweep(b, args):
    counts = [int(x) for x in args.workers.split(",")]
    rows = []
    for n in counts:
        _, grows = b.gatehouse_rows("lighttpd", n, ["cc_opaque"])
        grows[0].server = "gatehouse-%d" % n
        _, crow = b.ceiling_row(n)
        crow.server = "ceiling-%d" % n
        rows += grows + [crow]
    b.measure(rows)
    by = {r.server: summarize(r) for r in rows}
    lines = ["client_credentials (opaque) behind lighttpd, by worker count (%d connections):"
             % args.connections,
             "%8s %12s %9s %9s %12s %9s %9s %10s" % ("workers", "Gatehouse", "p50", "p99",
                                                     "ceiling", "p50", "p99", "share"),
             "-" * 86]
    for n in counts:
        g, c = by["gatehouse-%d" % n], by["ceiling-%d" % n]
        lines.append("%8d %10.0f/s %9s %9s %10.0f/s %9s %9s %9.0f%%" % (
            n, g["rps"], fmt_ms(g["p50"]), fmt_ms(g["p99"]), c["rps"], fmt_ms(c["p50"]),
            fmt_ms(c["p99"]), g["rps"] / c["rps"] * 100 if c["rps"] else 0))
    return lines


def memory_run(b, args):
    """RSS/PSS per worker after start, then at checkpoints over args.requests mixed
    requests (Gatehouse) and as many token requests (the ceiling)."""
    workers = args.table_workers or shipped_workers()
    web = b.start_gatehouse("lighttpd", workers)
    b.gh.fixed_tokens(web, VAR)
    cweb, crow = b.ceiling_row(workers)
    time.sleep(1)
    mixed = []
    for s in ("discovery", "jwks", "cc_opaque", "cc_rs256", "introspect", "userinfo", "code",
              "refresh"):
        mixed += b.gh.spec(s, os.path.join(VAR, "run", s + ".txt"))
    os.makedirs(os.path.join(VAR, "run"), exist_ok=True)
    lines = ["memory per worker, %d workers behind lighttpd (median / max over the workers;"
             " RSS and PSS from smaps_rollup, MB):" % workers,
             "%-28s %10s %16s %16s" % ("", "requests", "RSS med / max", "PSS med / max")]

    def snap(label, pids, n):
        m = rss_pss(pids)
        rss = [r / 1024.0 for r, _ in m]
        pss = [p / 1024.0 for _, p in m]
        line = "%-28s %10d %7.1f / %5.1f %7.1f / %5.1f" % (label, n, median(rss), max(rss),
                                                          median(pss), max(pss))
        lines.append(line)
        say(line)
        return median(rss)

    def drive(base, spec_of, target, label, pids):
        marks = sorted({min(target, 10000), min(target, 100000), target})
        done, at = 0, {}
        at[0] = snap(label + " after start", pids(), 0)
        chunk = args.chunk
        while done < target:
            spec = spec_of()
            r = b.wrk.run(base, spec, chunk, os.path.join(VAR, "run"))
            done += r.requests
            if r.errors:
                b.notes.append("%s: %d errors in a chunk" % (label, r.errors))
            while marks and done >= marks[0]:
                at[marks[0]] = snap("%s after %dk" % (label, marks[0] // 1000), pids(), done)
                marks.pop(0)
        return at

    # code and refresh are 1 request in 8 each: enough one-time tokens for a chunk.
    n_each = int(args.first_rate * args.chunk / 8) + 500

    def gatehouse_spec():
        b.gh.make_codes(n_each, os.path.join(VAR, "run", "code.txt"))
        b.gh.make_refresh_tokens(n_each, os.path.join(VAR, "run", "refresh.txt"))
        return mixed

    g = drive(web.base, gatehouse_spec, args.requests, "Gatehouse", web.worker_pids)
    c = drive(cweb.base, lambda: crow.spec(None), args.requests, "ceiling", cweb.worker_pids)
    gk = sorted(g)
    ck = sorted(c)
    lines.append("")
    ratio = g[gk[-1]] / c[ck[-1]] if c[ck[-1]] else 0
    lines.append("Gatehouse / ceiling RSS at the end: %.2fx (target <= 1.3x: %s)"
                 % (ratio, "met" if ratio <= 1.3 else "NOT MET"))
    if len(gk) >= 3:
        base = [k for k in gk if k >= 100000] or gk[-2:]
        growth = g[gk[-1]] - g[base[0]]
        lines.append("Gatehouse growth from %dk to %dk requests: %+.2f MB (target: none)"
                     % (base[0] // 1000, gk[-1] // 1000, growth))
    return lines


# ------------------------------------------------------------------------ main


def main():
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=6, help="seconds per run (default 6)")
    ap.add_argument("--warmup", type=float, default=2, help="warm-up seconds per row")
    ap.add_argument("--runs", type=int, default=3, help="runs per row (default 3)")
    ap.add_argument("--quick", action="store_true", help="a fast smoke run: 1 s runs")
    ap.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    ap.add_argument("--servers", default=",".join(available_servers()),
                    help="comma-separated: " + ", ".join(SERVERS))
    ap.add_argument("--scenarios", default=",".join(s for s, _ in SCENARIOS),
                    help="comma-separated: " + ", ".join(s for s, _ in SCENARIOS))
    ap.add_argument("--table-workers", type=int, default=0,
                    help="workers per server (default: what deploy/lighttpd.conf ships)")
    ap.add_argument("--workers", default="",
                    help="instead of the table: client_credentials at these worker counts")
    ap.add_argument("--memory", action="store_true", help="instead of the table: memory")
    ap.add_argument("--requests", type=int, default=1000000,
                    help="--memory: mixed requests to serve (default 1000000)")
    ap.add_argument("--chunk", type=float, default=20, help="--memory: seconds per wrk run")
    ap.add_argument("--tree", default="",
                    help="a built tree to measure (TREE/gatehouse, TREE/{templates,htdocs,sql});"
                    " default: this checkout")
    ap.add_argument("--workdir", default="",
                    help="where to run (rebuilt each time; default var/bench, or"
                    " var/bench-memory, var/bench-workers); the table goes to WORKDIR/last.txt")
    ap.add_argument("--no-oidc", action="store_true", help="leave out oidc-provider")
    ap.add_argument("--oidc-prepare", type=int, default=0,
                    help="codes and refresh tokens oidc-provider makes at start (default:"
                    " enough for half of --first-rate over every run)")
    ap.add_argument("--first-rate", type=float, default=4000,
                    help="req/s assumed when sizing the first batch of one-time tokens")
    args = ap.parse_args()
    global VAR
    VAR = args.workdir or VAR + ("-memory" if args.memory else "-workers" if args.workers
                                 else "")
    if args.quick:
        args.duration, args.warmup = 1, 1
    args.servers = [s for s in args.servers.split(",") if s]
    for s in args.servers:
        if s not in harness.WebServer.DEPLOY:
            raise SystemExit("bench: no harness flavour %r (have %s)"
                             % (s, ", ".join(harness.WebServer.DEPLOY)))
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    if os.geteuid() != 0:
        raise SystemExit("bench: run as root (PostgreSQL runs as postgres, workers as "
                         "www-data)")
    b = Bench(args)
    started = time.monotonic()
    host = machine()
    try:
        b.setup()
        if args.workers:
            lines = worker_sweep(b, args)
        elif args.memory:
            lines = memory_run(b, args)
        else:
            lines = full_run(b, args)
    finally:
        b.stop()
    head = ["Gatehouse benchmark, %s" % time.strftime("%Y-%m-%d %H:%M %Z"),
            "machine: %s" % host,
            "wrk -t%d -c%d, %d runs of %g s after a %g s warm-up per row (median; spread ="
            " (max-min)/median); PostgreSQL 15 with fsync and synchronous_commit on"
            % (args.threads, args.connections, args.runs, args.duration, args.warmup), ""]
    tail = [""] + ["note: " + n for n in b.notes] + [
        "took %.0f s" % (time.monotonic() - started)]
    text = "\n".join(head + lines + tail) + "\n"
    say()
    sys.stdout.write(text)
    os.makedirs(VAR, exist_ok=True)
    with open(os.path.join(VAR, "last.txt"), "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
