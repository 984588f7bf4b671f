"""Integration test harness: private PostgreSQL, test configuration, private web servers.

Used by tests/integration/run and the test_*.py modules. Standard library and
python3-requests only; run with Debian's /usr/bin/python3.

Everything started here listens on 127.0.0.1 on a free port, lives under one work
directory, and is stopped by PID (we wait until the process and its children are gone).
Run as root: PostgreSQL runs as `postgres`, the web servers' workers as `www-data`.
"""

import base64
import grp
import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time

import types

import requests
import requests.adapters
import urllib3
from requests.structures import CaseInsensitiveDict

PG_BIN = "/usr/lib/postgresql/15/bin"
APACHE = "/usr/sbin/apache2"
LIGHTTPD = "/usr/sbin/lighttpd"
WEB_USER = "www-data"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

FLAVOURS = ("apache-fcgid", "lighttpd", "apache-cgi")
# Run only when asked for (run --flavour apache-proxy): Apache with mod_proxy_fcgi in
# front of a `gatehouse serve` pool. test_pool.py starts one of its own every run.
OPTIONAL_FLAVOURS = ("apache-proxy",)
ALL_FLAVOURS = FLAVOURS + OPTIONAL_FLAVOURS

# Environment for a sanitizer build's processes (ASAN_OPTIONS, UBSAN_OPTIONS), set by
# `run --sanitized`: the web servers pass it to the Gatehouse processes they start.
SANITIZER_ENV = {}

# Lines in a web server error log that mean a Gatehouse process died or answered
# garbage. Matched case-insensitively.
CRASH_PATTERNS = (
    "segfault",
    "segmentation fault",
    "exit signal",                 # Apache: "child pid N exit signal ..."
    "premature end of script",     # mod_cgi(d) / mod_fcgid: no valid headers
    "get unexpected signal",       # mod_fcgid: an application died on a signal
    "end of script output before headers",
    "malformed header from script",
    "child signalled",             # lighttpd
    "child exited with status",    # lighttpd: backend exited
    "serve: worker",               # gatehouse serve: a worker died or would not stop
    "core dumped",
    "addresssanitizer",
    "runtime error:",              # UBSan
    "double free",
    "stack smashing",
)

# ------------------------------------------------------------------------- small tools


def http_session():
    """A requests session that retries an idempotent request once when a kept-alive
    connection turns out to have been closed by the server meanwhile (a web server's
    keep-alive timeout during a long test): that is the client's pool going stale,
    not an answer from Gatehouse. POSTs are never retried."""
    s = requests.Session()
    retry = urllib3.util.Retry(total=1, connect=1, read=1, status=0,
                               allowed_methods=frozenset({"GET", "HEAD", "OPTIONS"}),
                               raise_on_status=False)
    s.mount("http://", requests.adapters.HTTPAdapter(max_retries=retry))
    return s


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10.0, up=True):
    """Waits until 127.0.0.1:port accepts connections (up) or refuses them (not up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return True
        except OSError:
            if not up:
                return True
        time.sleep(0.05)
    return False


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is as good as gone (its parent reaps it).
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def descendants(pid):
    """PIDs of every process below pid (from /proc), best effort."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def terminate(pid, timeout=20.0):
    """SIGTERM to pid; waits until it and all its children are gone (SIGKILL to those
    left after timeout)."""
    kids = descendants(pid)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    if not wait_gone([pid] + kids, timeout):
        for p in [pid] + kids:
            if pid_alive(p):
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        wait_gone([pid] + kids, 5)


def wait_gone(pids, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(pid_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return not any(pid_alive(p) for p in pids)


def chown_web(path, mode=None):
    uid = pwd.getpwnam(WEB_USER).pw_uid
    gid = grp.getgrnam(WEB_USER).gr_gid
    os.chown(path, uid, gid)
    if mode is not None:
        os.chmod(path, mode)


def run(cmd, check=True, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 60)
    p = subprocess.run(cmd, **kw)
    if check and p.returncode != 0:
        raise RuntimeError("%s exited %d\nstdout: %s\nstderr: %s"
                           % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


# -------------------------------------------------------------------------- PostgreSQL


class Postgres:
    """A private PostgreSQL 15 cluster under basedir (owned by postgres).

    TCP on 127.0.0.1:port with trust authentication, a `gatehouse` login role and a
    `gatehouse` database it owns. fsync is off: test data need not survive a crash.
    """

    def __init__(self, basedir, port=None):
        self.basedir = os.path.abspath(basedir)
        self.data = os.path.join(self.basedir, "data")
        self.sock = os.path.join(self.basedir, "sock")
        self.logfile = os.path.join(self.basedir, "postgres.log")
        self.port = port or free_port()
        self.pid = None

    def conninfo(self):
        return "host=127.0.0.1 port=%d dbname=gatehouse user=gatehouse" % self.port

    def _as_pg(self, args, **kw):
        return run(["runuser", "-u", "postgres", "--"] + args, cwd=self.basedir, **kw)

    def init(self):
        os.makedirs(self.basedir, exist_ok=True)
        os.chmod(self.basedir, 0o755)
        pw = pwd.getpwnam("postgres")
        os.chown(self.basedir, pw.pw_uid, pw.pw_gid)
        self._as_pg([PG_BIN + "/initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                     "-E", "UTF8", "--locale=C", "--no-sync"])
        self._as_pg(["mkdir", "-p", self.sock])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("\n# gatehouse integration tests\n"
                    "listen_addresses = '127.0.0.1'\n"
                    "port = %d\n"
                    "unix_socket_directories = '%s'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 120\nshared_buffers = 32MB\n"
                    "log_min_messages = warning\n" % (self.port, self.sock))
        self.start()
        self.psql("CREATE ROLE gatehouse LOGIN", user="postgres", db="postgres")
        self.psql("CREATE DATABASE gatehouse OWNER gatehouse", user="postgres", db="postgres")

    def start(self):
        self._as_pg([PG_BIN + "/pg_ctl", "-D", self.data, "-l", self.logfile, "-w",
                     "-t", "30", "start"])
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())
        if not wait_port(self.port, 10):
            raise RuntimeError("PostgreSQL did not open port %d" % self.port)

    def stop(self):
        """pg_ctl -m fast (signals the postmaster PID), then waits until it is gone."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        self._as_pg([PG_BIN + "/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"],
                    check=False)
        if not wait_gone([pid], 15):
            os.kill(pid, signal.SIGQUIT)
            wait_gone([pid], 5)

    def restart(self):
        self.stop()
        self.start()

    def exists(self):
        """An initialized cluster is there (a kept one: dev/run reuses var/pg)."""
        return os.path.exists(os.path.join(self.data, "PG_VERSION"))

    def configured_port(self):
        """The port a kept cluster's postgresql.conf sets (the last setting wins)."""
        port = None
        with open(os.path.join(self.data, "postgresql.conf")) as f:
            for line in f:
                m = re.match(r"\s*port\s*=\s*(\d+)", line)
                if m:
                    port = int(m.group(1))
        return port

    def set_port(self, port):
        """Points a kept cluster at another port (before start)."""
        conf = os.path.join(self.data, "postgresql.conf")
        with open(conf) as f:
            text = f.read()
        with open(conf, "w") as f:
            f.write(re.sub(r"(?m)^port = \d+$", "port = %d" % port, text))
        self.port = port

    def stop_stale(self):
        """A cluster left running in basedir by an interrupted run: stop it."""
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._as_pg([PG_BIN + "/pg_ctl", "-D", self.data, "-m", "immediate", "-w",
                         "stop"], check=False)

    def psql(self, sql, user="gatehouse", db="gatehouse"):
        """Runs sql, returns stdout (unaligned, tuples only)."""
        p = run([PG_BIN + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                 "-h", "127.0.0.1", "-p", str(self.port), "-U", user, "-d", db,
                 "-c", sql], env=dict(os.environ, PGCONNECT_TIMEOUT="5"))
        return p.stdout.strip()

    def destroy(self):
        self.stop()
        shutil.rmtree(self.basedir, ignore_errors=True)


# ----------------------------------------------------------------------- configuration


class Tree:
    """A built tree: the binary and its data directories."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.binary = os.path.join(self.root, "gatehouse")
        self.templates = os.path.join(self.root, "templates")
        self.htdocs = os.path.join(self.root, "htdocs")
        self.sql = os.path.join(self.root, "sql")

    def problems(self):
        out = []
        if not os.access(self.binary, os.X_OK):
            out.append("no executable %s (build first)" % self.binary)
        for d in (self.templates, self.htdocs, self.sql):
            if not os.path.isdir(d):
                out.append("no directory %s" % d)
        return out


def write_key_file(path):
    """A fresh key-encryption key: 64 hex digits, mode 0640, group www-data."""
    key = run(["openssl", "rand", "-hex", "32"]).stdout.strip()
    with open(path, "w") as f:
        f.write(key + "\n")
    os.chown(path, 0, grp.getgrnam(WEB_USER).gr_gid)
    os.chmod(path, 0o640)
    return path


def write_config(path, issuer, pg, tree, key_file, **overrides):
    """Writes a test configuration (HDF). overrides: {"Http.MaxBody": 1024, ...};
    a value of None removes the setting."""
    settings = {
        "Issuer": issuer,
        "Database.Conninfo": pg.conninfo() + " connect_timeout=3",
        "Paths.Templates": tree.templates,
        "Paths.Htdocs": tree.htdocs,
        "Paths.Sql": tree.sql,
        "Keys.EncryptionKeyFile": key_file,
        "Keys.ActivationDelay": 86400,
        "Tokens.AccessTokenLifetime": 3600,
        "Http.MaxBody": 65536,
        "Http.TrustForwardedProto": 0,
        "Log.Level": "info",
    }
    settings.update(overrides)
    with open(path, "w") as f:
        f.write("# generated by tests/integration/harness.py\n")
        for k, v in settings.items():
            if v is not None:
                f.write("%s = %s\n" % (k, v))
    os.chown(path, 0, grp.getgrnam(WEB_USER).gr_gid)
    os.chmod(path, 0o640)
    return path


# ------------------------------------------------------------------------- web servers


class WebServer:
    """A private Apache (mod_fcgid or CGI) or lighttpd in front of the binary.

    Its configuration is tests/integration/<flavour>.conf.in around a copy of the
    shipped deploy/<file> with the installed paths replaced by the tree's.
    """

    DEPLOY = {"apache-fcgid": "apache-fcgid.conf", "apache-cgi": "apache-cgi.conf",
              "apache-proxy": "apache-proxy-fcgi.conf",
              "lighttpd": "lighttpd.conf"}

    def __init__(self, flavour, rundir, tree, config_path, port=None, deploy_dir=None):
        if flavour not in self.DEPLOY:
            raise ValueError("unknown flavour " + flavour)
        self.flavour = flavour
        self.rundir = os.path.abspath(rundir)
        self.tree = tree
        self.config_path = config_path
        self.port = port or free_port()
        self.deploy_dir = deploy_dir or os.path.join(REPO, "deploy")
        self.error_log = os.path.join(self.rundir, "error.log")
        self.access_log = os.path.join(self.rundir, "access.log")
        self.pidfile = os.path.join(
            self.rundir, "lighttpd.pid" if flavour == "lighttpd" else "httpd.pid")
        self.pid = None
        self.proc = None             # a server we run in the foreground (lighttpd)
        self.serve = None            # apache-proxy: the `gatehouse serve` process
        self.workers = 16            # apache-proxy: its --workers, as the deploy files
        self.session = http_session()
        self.responses = []          # every response seen through self.session
        self.expected_5xx = 0        # 5xx answers a test provoked on purpose
        self.session.hooks["response"].append(self._record)

    # URLs
    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def issuer(self):
        return self.base + "/oauth"

    def url(self, path):
        """path under the issuer ("/jwks") -> absolute URL."""
        return self.issuer + path

    def _record(self, resp, *args, **kw):
        self.responses.append(resp)

    def request(self, method, path, root=False, **kw):
        """HTTP request to the issuer path (or the host root if root=True)."""
        kw.setdefault("timeout", 15)
        kw.setdefault("allow_redirects", False)
        return self.session.request(method, (self.base if root else self.issuer) + path, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def raw(self, method, path, headers=None, body=None, root=False, timeout=15,
            record=True):
        """A request whose target is sent byte for byte (requests and urllib3 would
        re-encode a malformed %-escape such as %zz). Returns a RawResponse."""
        target = path if root else "/oauth" + path
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, target, body=body, headers=headers or {})
            r = conn.getresponse()
            resp = RawResponse(method, self.base, target, r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        if record:
            self._record(resp)
        return resp

    # configuration
    def _deploy_copy(self):
        with open(os.path.join(self.deploy_dir, self.DEPLOY[self.flavour])) as f:
            text = f.read()
        bindir = os.path.dirname(self.tree.binary)
        text = text.replace("/usr/local/bin/gatehouse", self.tree.binary)
        text = text.replace('"/usr/local/bin"', '"%s"' % bindir)
        text = text.replace("/usr/local/etc/gatehouse.hdf", self.config_path)
        text = text.replace("/run/lighttpd/gatehouse.socket",
                            os.path.join(self.rundir, "sock", "gatehouse.socket"))
        text = text.replace("/run/gatehouse/gatehouse.sock", self.serve_socket)
        text = self._sanitizer_env(text)
        path = os.path.join(self.rundir, "deploy-" + self.DEPLOY[self.flavour])
        with open(path, "w") as f:
            f.write(text)
        return path

    def _sanitizer_env(self, text):
        """The deploy file with SANITIZER_ENV added to the Gatehouse processes'
        environment, the way each server passes variables to them."""
        if not SANITIZER_ENV or self.flavour == "apache-proxy":
            return text     # apache-proxy: start_serve passes it to `gatehouse serve`
        if self.flavour == "lighttpd":
            extra = "".join('\n                "%s" => "%s",' % kv
                            for kv in sorted(SANITIZER_ENV.items()))
            marker = '"bin-environment" => ('
            if marker not in text:
                raise ValueError("no bin-environment in " + self.DEPLOY[self.flavour])
            return text.replace(marker, marker + extra, 1)
        directive = "FcgidInitialEnv" if self.flavour == "apache-fcgid" else "SetEnv"
        return text + "".join("\n%s %s %s" % (directive, k, v)
                              for k, v in sorted(SANITIZER_ENV.items())) + "\n"

    def write_config(self):
        if os.path.basename(self.tree.binary) != "gatehouse":
            raise ValueError("the deploy files expect the binary to be named gatehouse")
        shutil.rmtree(self.rundir, ignore_errors=True)
        os.makedirs(os.path.join(self.rundir, "htdocs"))
        os.chmod(self.rundir, 0o755)
        for sub in ("fcgid", "sock"):
            os.makedirs(os.path.join(self.rundir, sub))
            chown_web(os.path.join(self.rundir, sub), 0o750)
        for log in (self.error_log, self.access_log):
            open(log, "w").close()
            chown_web(log, 0o640)
        deploy = self._deploy_copy()
        with open(os.path.join(HERE, self.flavour + ".conf.in")) as f:
            text = f.read()
        for k, v in {"RUN": self.rundir, "PORT": str(self.port), "DEPLOY": deploy}.items():
            text = text.replace("@%s@" % k, v)
        self.conf = os.path.join(self.rundir, self.flavour + ".conf")
        with open(self.conf, "w") as f:
            f.write(text)
        return self.conf

    # lifecycle
    def start(self, timeout=15.0):
        try:
            return self._start(timeout)
        except Exception:
            self.stop_serve()
            raise

    def _start(self, timeout):
        self.write_config()
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
        if self.flavour == "lighttpd":
            run([LIGHTTPD, "-tt", "-f", self.conf], env=env)
            # In the foreground (-D), as Debian's systemd unit runs it: lighttpd gives
            # its FastCGI processes its own stderr, which here is the error log (under
            # systemd, the journal). Daemonized, it would give them /dev/null.
            with open(self.error_log, "ab") as err:
                self.proc = subprocess.Popen([LIGHTTPD, "-D", "-f", self.conf], env=env,
                                             stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=err,
                                             start_new_session=True)
        else:
            if self.flavour == "apache-proxy":
                self.start_serve(env)
            run([APACHE, "-t", "-f", self.conf], env=env)
            run([APACHE, "-f", self.conf, "-k", "start"], env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pid is None:
            try:
                with open(self.pidfile) as f:
                    self.pid = int(f.read().strip())
            except (OSError, ValueError):
                time.sleep(0.05)
        if self.pid is None or not wait_port(self.port, max(0.1, deadline - time.monotonic())):
            raise RuntimeError("%s did not start; error log:\n%s"
                               % (self.flavour, self.read_log()[-3000:]))
        return self

    def stop(self, timeout=20.0):
        """SIGTERM to the server's PID; waits until it and all its children are gone.
        (For apache-proxy, the `gatehouse serve` pool's too.)"""
        self.stop_serve(timeout)
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        terminate(pid, timeout)
        if self.proc is not None:
            self.proc.wait(timeout=5)
            self.proc = None
        self.session.close()

    # apache-proxy: the pool Apache connects to, started and stopped by PID
    @property
    def serve_socket(self):
        return os.path.join(self.rundir, "sock", "gatehouse.sock")

    def start_serve(self, env, timeout=10.0):
        """`gatehouse serve` as the web server's user (deploy/gatehouse.service runs it
        so), its stderr into the error log; waits for its socket and its workers."""
        with open(self.error_log, "ab") as err:
            self.serve = subprocess.Popen(
                [self.tree.binary, "serve", "--listen", self.serve_socket,
                 "--workers", str(self.workers)],
                env=dict(env, GATEHOUSE_CONFIG=self.config_path, **SANITIZER_ENV), user=WEB_USER,
                group=WEB_USER, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.serve.poll() is None:
            if os.path.exists(self.serve_socket) and len(self.worker_pids()) == self.workers:
                return self.serve.pid
            time.sleep(0.05)
        raise RuntimeError("gatehouse serve did not start; error log:\n%s"
                           % self.read_log()[-3000:])

    def stop_serve(self, timeout=20.0):
        if self.serve is None:
            return
        serve, self.serve = self.serve, None
        terminate(serve.pid, timeout)
        serve.wait(timeout=5)

    def worker_pids(self):
        """PIDs of the Gatehouse processes the server runs now (for apache-proxy, the
        workers of the `gatehouse serve` pool)."""
        root = self.serve.pid if self.serve is not None else self.pid
        if root is None:
            return []
        out = []
        for p in descendants(root):
            try:
                if os.path.realpath("/proc/%d/exe" % p) == os.path.realpath(self.tree.binary):
                    out.append(p)
            except OSError:
                pass
        return out

    # logs
    def log_size(self):
        try:
            return os.path.getsize(self.error_log)
        except OSError:
            return 0

    def read_log(self, since=0):
        try:
            with open(self.error_log, "rb") as f:
                f.seek(since)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def request_lines(self, since=0):
        """Gatehouse's per-request log lines written since the offset, parsed."""
        return [m.groupdict() for m in REQUEST_LINE.finditer(self.read_log(since))]

    def wait_request_line(self, since, method, path, timeout=5.0):
        """The first request line for method+path after offset since (None if none
        arrives in time: the line can reach the log a moment after the response)."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.request_lines(since):
                if line["method"] == method and line["path"] == path:
                    return line
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)

    def crash_lines(self, since=0):
        return crash_lines(self.read_log(since))

    def access_statuses(self, since_line=0):
        """HTTP statuses from the access log, in order."""
        try:
            with open(self.access_log) as f:
                lines = f.read().splitlines()[since_line:]
        except OSError:
            return []
        out = []
        for l in lines:
            m = re.search(r'" (\d{3}) ', l)
            if m:
                out.append(int(m.group(1)))
        return out

    def count_5xx(self):
        return sum(1 for s in self.access_statuses() if s >= 500)


class RawResponse:
    """The parts of a requests.Response the tests use."""

    def __init__(self, method, base, target, status, headers, content):
        self.status_code = status
        self.headers = CaseInsensitiveDict()
        for k, v in headers:
            self.headers[k] = (self.headers[k] + ", " + v) if k in self.headers else v
        self.content = content
        self.text = content.decode("utf-8", "replace")
        self.url = base + target
        self.request = types.SimpleNamespace(method=method, path_url=target)


# gatehouse[PID] info: GET /jwks 200 1.2ms client=- auth=basic rid=XXXX
# (Apache's mod_cgid prefixes stderr lines with its own fields; search, don't anchor.)
REQUEST_LINE = re.compile(
    r"gatehouse\[(?P<pid>\d+)\] (?P<level>\w+): (?P<method>[A-Z]+) (?P<path>\S+) "
    r"(?P<status>\d{3}) (?P<ms>\S+) client=(?P<client>\S+) auth=(?P<auth>\w+)"
    r" rid=(?P<rid>\S+)")


def crash_lines(text):
    out = []
    for line in text.splitlines():
        low = line.lower()
        if any(p in low for p in CRASH_PATTERNS):
            out.append(line)
    return out


# ------------------------------------------------------------------- test-module API


class Skip(Exception):
    """Raise from a test to report it as skipped (with the reason)."""


def once(fn):
    """Marks a test that does not depend on the web server: the runner runs it only
    with the first flavour."""
    fn.run_once = True
    return fn


def only(*flavours):
    """Restricts a test to some flavours. A test for apache-fcgid runs under
    apache-proxy too (the same Apache, other FastCGI plumbing), when that is asked for."""
    if "apache-fcgid" in flavours:
        flavours += ("apache-proxy",)

    def mark(fn):
        fn.flavours = flavours
        return fn
    return mark


class Context:
    """What a test gets: the tree, the database, the CLI, and the current web server."""

    def __init__(self, tree, workdir, pg, key_file, cli_config):
        self.tree = tree
        self.workdir = workdir
        self.pg = pg
        self.key_file = key_file
        self.cli_config = cli_config
        self.web = None
        self.flavour = None
        self._shared = {}

    def shared(self, make):
        """make(self), made once per run and shared by every flavour (the users and
        clients a module's tests use)."""
        if make not in self._shared:
            self._shared[make] = make(self)
        return self._shared[make]

    def cli(self, *args, input=None, config=None, check=False, timeout=60):
        """Runs the binary's command line; returns the CompletedProcess (text mode)."""
        env = {"PATH": "/usr/bin:/bin", "LANG": "C",
               "GATEHOUSE_CONFIG": config or self.cli_config}
        env.update(SANITIZER_ENV)
        return run([self.tree.binary] + list(args), input=input, env=env, check=check,
                   timeout=timeout)

    def tmp(self, name):
        """A path in the work directory for a test's scratch file."""
        d = os.path.join(self.workdir, "tmp")
        os.makedirs(d, exist_ok=True)
        return os.path.join(d, name)

    def define_scopes(self, *names):
        """Defines scopes in gatehouse.scopes, with no claims or descriptions: a client
        may only be allowed scopes that exist (sql/007). Existing ones are left alone."""
        for name in names:
            self.pg.psql("INSERT INTO gatehouse.scopes (name) VALUES ('%s')"
                         " ON CONFLICT DO NOTHING" % name.replace("'", "''"))

    def add_client(self, name, type="confidential", auth_method=None, redirect_uris=(),
                   post_logout_redirect_uris=(), grant_types=(), scope=None, pkce=True,
                   trusted=False, extra=(), config=None):
        """gatehouse client add --json: returns the client as printed (with
        client_secret, shown once, when it has one)."""
        args = ["client", "add", "--json", "--name", name, "--type", type]
        if auth_method:
            args += ["--auth-method", auth_method]
        for flag, values in (("--redirect-uri", redirect_uris),
                             ("--post-logout-redirect-uri", post_logout_redirect_uris),
                             ("--grant-type", grant_types)):
            for v in values:
                args += [flag, v]
        if scope is not None:
            args += ["--scope", scope]
        if not pkce:
            args.append("--no-pkce")
        if trusted:
            args.append("--trusted")
        p = self.cli(*(args + list(extra)), config=config)
        if p.returncode != 0:
            raise RuntimeError("gatehouse client add %r exited %d: %s%s"
                               % (name, p.returncode, p.stdout, p.stderr))
        return json.loads(p.stdout)

    def add_user(self, username, password, email=None, name=None, email_verified=False,
                 admin=False, claims=None, config=None):
        """gatehouse user add (the password on stdin); returns the printed line."""
        args = ["user", "add", username]
        if email:
            args += ["--email", email]
        if email_verified:
            args.append("--email-verified")
        if name:
            args += ["--name", name]
        if admin:
            args.append("--admin")
        if claims is not None:
            args += ["--claims", json.dumps(claims)]
        p = self.cli(*args, input=password + "\n", config=config)
        if p.returncode != 0:
            raise RuntimeError("gatehouse user add %s exited %d: %s%s"
                               % (username, p.returncode, p.stdout, p.stderr))
        return p.stdout.strip()


def json_body(resp):
    """The response's JSON body; fails with a readable message if it is not JSON."""
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.split(";")[0].strip().lower() == "application/json", \
        "%s %s: Content-Type %r, body %r" % (resp.request.method, resp.url, ctype,
                                             resp.text[:300])
    try:
        return json.loads(resp.text)
    except ValueError:
        raise AssertionError("%s: body is not JSON: %r" % (resp.url, resp.text[:300]))
