#!/usr/bin/python3
"""Serves the built tree with demo users and clients, in the foreground (dev/run).

    dev/serve.py [--port N] [--server lighttpd|apache] [--quiet]

Everything lives in var/ at the top of the tree and is kept across runs:
  var/pg/            a private PostgreSQL 15 cluster (created on the first run)
  var/gatehouse.hdf  the configuration in use; var/gatehouse.key its key-encryption key
  var/web/           the web server's configuration and logs (error.log: Gatehouse's)
  var/demo.json      the demo users and clients, WITH their passwords and secrets: this
                     is a throwaway demo on 127.0.0.1, so scripts may drive it (mode 600)

The web server and PostgreSQL are started here and stopped here, by PID, on Ctrl-C or
SIGTERM. Reuses tests/integration/harness.py for both. Run as root (dev/run).
"""

import argparse
import base64
import fcntl
import hashlib
import json
import os
import secrets
import signal
import sys
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

import harness  # noqa: E402

VAR = os.path.join(REPO, "var")
DEMO_JSON = os.path.join(VAR, "demo.json")
CALLBACK = "http://127.0.0.1:9/callback"
SCOPE = "openid profile email offline_access"
CODE_FLOW = ("authorization_code", "refresh_token")

# The clients issue 3 asks for, in the order demo.json lists them.
DEMO_CLIENTS = (
    dict(name="Demo web app (client_secret_basic)", auth_method="client_secret_basic",
         redirect_uris=(CALLBACK, "https://app.example/callback"),
         post_logout_redirect_uris=("http://127.0.0.1:9/signed-out",)),
    dict(name="Demo web app (client_secret_post)", auth_method="client_secret_post",
         redirect_uris=(CALLBACK,)),
    dict(name="Demo native app (public)", type="public", auth_method="none",
         redirect_uris=(CALLBACK,)),
    dict(name="Demo service (client_credentials)", auth_method="client_secret_basic",
         redirect_uris=(CALLBACK,), grant_types=CODE_FLOW + ("client_credentials",)),
    dict(name="Demo relying party (PKCE not required)", auth_method="client_secret_basic",
         redirect_uris=(CALLBACK,), pkce=False),
)
DEMO_USERS = (
    dict(username="alice", name="Alice Liddell", email="alice@example.com",
         email_verified=True, admin=True),
    dict(username="bob", name="Bob Builder", email="bob@example.com"),
)
CLIENT_KEYS = ("client_id", "client_secret", "token_endpoint_auth_method", "redirect_uris",
               "post_logout_redirect_uris", "grant_types", "scope", "require_pkce")


def say(msg=""):
    print(msg, flush=True)


class Stop(Exception):
    pass


def on_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def pick_port(wanted):
    """wanted if nothing listens there, else a free one."""
    return wanted if harness.wait_port(wanted, 0.2, up=False) else harness.free_port()


def start_postgres():
    pg = harness.Postgres(os.path.join(VAR, "pg"))
    if not pg.exists():
        say("creating a PostgreSQL cluster in %s" % pg.basedir)
        pg.init()
        return pg
    pg.stop_stale()      # left running by a run that was killed
    port = pick_port(pg.configured_port() or harness.free_port())
    if port != pg.configured_port():
        pg.set_port(port)
    pg.port = port
    pg.start()
    return pg


def stop_stale_web(tree, rundir):
    """A web server left running from var/web by a run that was killed: stop it."""
    for flavour, pidfile in (("lighttpd", "lighttpd.pid"), ("apache-fcgid", "httpd.pid")):
        try:
            with open(os.path.join(rundir, pidfile)) as f:
                pid = int(f.read().strip())
            exe = os.path.realpath("/proc/%d/exe" % pid)
        except (OSError, ValueError):
            continue
        if exe in (os.path.realpath(harness.LIGHTTPD), os.path.realpath(harness.APACHE)):
            say("stopping the web server (pid %d) an earlier run left behind" % pid)
            stale = harness.WebServer(flavour, rundir, tree, None)
            stale.pid = pid
            stale.stop()


def cli_or_die(ctx, *args):
    p = ctx.cli(*args)
    if p.returncode != 0:
        raise SystemExit("gatehouse %s exited %d:\n%s%s"
                         % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p.stdout


def ensure_keys(ctx):
    listed = cli_or_die(ctx, "keys", "list")
    for alg in ("RS256", "ES256", "EdDSA"):
        if alg not in listed:
            cli_or_die(ctx, "keys", "rotate", "--alg", alg, "--now")
            say("made an active %s signing key" % alg)


def load_demo(ctx):
    """The demo settings of an earlier run, if its users and clients still exist."""
    try:
        with open(DEMO_JSON) as f:
            demo = json.load(f)
    except (OSError, ValueError):
        return None
    users = cli_or_die(ctx, "user", "list").split()
    for u in demo.get("users", []):
        if u.get("username") not in users:
            return None
    for c in demo.get("clients", []):
        if ctx.cli("client", "show", c.get("client_id", "")).returncode != 0:
            return None
    if len(demo.get("users", [])) != len(DEMO_USERS) or \
            len(demo.get("clients", [])) != len(DEMO_CLIENTS):
        return None
    return demo


def make_demo(ctx):
    """Makes the demo users (or resets their passwords) and clients."""
    existing = cli_or_die(ctx, "user", "list").split()
    users = []
    for u in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        if u["username"] in existing:
            p = ctx.cli("user", "passwd", u["username"], input=password + "\n")
            if p.returncode != 0:
                raise SystemExit("user passwd %s: %s" % (u["username"], p.stderr))
        else:
            ctx.add_user(u["username"], password, **{k: v for k, v in u.items()
                                                    if k != "username"})
        users.append({"username": u["username"], "password": password})
    clients = []
    for spec in DEMO_CLIENTS:
        c = ctx.add_client(spec["name"], scope=SCOPE,
                           grant_types=spec.get("grant_types", CODE_FLOW),
                           **{k: v for k, v in spec.items() if k not in ("name", "grant_types")})
        clients.append({k: c[k] for k in CLIENT_KEYS if k in c})
    return {"users": users, "clients": clients}


def write_demo(demo):
    tmp = DEMO_JSON + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(demo, f, indent=2)
        f.write("\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, DEMO_JSON)


def authorize_example(issuer, client):
    """A ready-to-paste authorization URL (PKCE S256) and the verifier it needs."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client["client_id"],
        "redirect_uri": CALLBACK, "scope": "openid profile email",
        "state": secrets.token_urlsafe(8), "nonce": secrets.token_urlsafe(8),
        "code_challenge": challenge, "code_challenge_method": "S256"})
    return issuer + "/authorize?" + query, verifier


def print_summary(demo, web, server_name, pg):
    issuer = demo["issuer"]
    first = demo["clients"][0]
    url, verifier = authorize_example(issuer, first)
    say()
    say("Gatehouse is running (%s on 127.0.0.1:%d, PostgreSQL on 127.0.0.1:%d)"
        % (server_name, web.port, pg.port))
    say()
    say("issuer     %s" % issuer)
    say("discovery  %s/.well-known/openid-configuration" % issuer)
    say()
    say("Sign in as a demo user (the browser ends on %s, which nothing serves:" % CALLBACK)
    say("copy the code from the address bar):")
    say("  %s" % url)
    say("then redeem it within a minute:")
    say("  curl -s -u '%s:%s' -d grant_type=authorization_code -d code=CODE \\"
        % (first["client_id"], first.get("client_secret", "")))
    say("       --data-urlencode redirect_uri=%s -d code_verifier=%s %s/token"
        % (CALLBACK, verifier, issuer))
    say()
    say("users")
    for u in demo["users"]:
        say("  %-8s password %s" % (u["username"], u["password"]))
    say("clients")
    for c in demo["clients"]:
        say("  %s  %-19s %s%s" % (c["client_id"], c["token_endpoint_auth_method"],
                                 "secret " + c["client_secret"] if c.get("client_secret")
                                 else "(no secret)",
                                 "" if c.get("require_pkce", True) else "  PKCE not required"))
        extra = [g for g in c.get("grant_types", []) if g not in CODE_FLOW]
        if extra:
            say("  %26s also %s" % ("", ", ".join(extra)))
    say()
    say("demo settings  %s (secrets included: a demo only)" % DEMO_JSON)
    say("configuration  %s   (GATEHOUSE_CONFIG=%s ./gatehouse ...)"
        % (demo["config"], demo["config"]))
    say("log            %s" % web.error_log)
    say()
    say("Ctrl-C stops the web server and PostgreSQL.")


def follow_log(web, offset):
    """Echoes what the web server logged since offset; returns the new offset."""
    try:
        with open(web.error_log, "rb") as f:
            f.seek(offset)
            data = f.read()
    except OSError:
        return offset
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return offset + len(data)


def main():
    ap = argparse.ArgumentParser(prog="dev/run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("GATEHOUSE_PORT", 8080)),
                    help="web server port (default 8080, or $GATEHOUSE_PORT)")
    ap.add_argument("--server", choices=("lighttpd", "apache"), default="lighttpd",
                    help="lighttpd + mod_fastcgi (default) or Apache + mod_fcgid")
    ap.add_argument("--quiet", action="store_true", help="do not echo the server log")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("dev/run: run as root (PostgreSQL runs as postgres, the web "
                         "server's workers as www-data)")
    tree = harness.Tree(REPO)
    if tree.problems():
        raise SystemExit("dev/run: " + "; ".join(tree.problems()))
    os.makedirs(VAR, exist_ok=True)
    os.chmod(VAR, 0o755)
    lock = open(os.path.join(VAR, ".run.lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise SystemExit("dev/run: another dev/run is serving from %s" % VAR)
    stop_stale_web(tree, os.path.join(VAR, "web"))
    if not harness.wait_port(args.port, 0.2, up=False):
        raise SystemExit("dev/run: 127.0.0.1:%d is in use; pick another with --port N"
                         % args.port)

    flavour = "lighttpd" if args.server == "lighttpd" else "apache-fcgid"
    server_name = "lighttpd" if args.server == "lighttpd" else "Apache + mod_fcgid"
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    pg = web = None
    try:
        pg = start_postgres()
        key = os.path.join(VAR, "gatehouse.key")
        if not os.path.exists(key):
            harness.write_key_file(key)
        web = harness.WebServer(flavour, os.path.join(VAR, "web"), tree, None, port=args.port)
        config = harness.write_config(os.path.join(VAR, "gatehouse.hdf"), web.issuer, pg,
                                      tree, key)
        web.config_path = config
        ctx = harness.Context(tree, VAR, pg, key, config)
        cli_or_die(ctx, "migrate")
        ensure_keys(ctx)
        demo = load_demo(ctx)
        if demo is None:
            say("creating the demo users and clients")
            demo = make_demo(ctx)
        demo = {"issuer": web.issuer, "config": config, "users": demo["users"],
                "clients": demo["clients"]}
        write_demo(demo)
        web.start()
        print_summary(demo, web, server_name, pg)
        offset = web.log_size()
        while True:
            time.sleep(0.5)
            if not args.quiet:
                offset = follow_log(web, offset)
            if not harness.pid_alive(web.pid):
                raise SystemExit("dev/run: the web server (pid %d) died; see %s"
                                 % (web.pid, web.error_log))
            if not harness.pid_alive(pg.pid):
                raise SystemExit("dev/run: PostgreSQL (pid %d) died; see %s"
                                 % (pg.pid, pg.logfile))
    except Stop as e:
        say("\n%s: stopping" % e)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if web is not None and web.pid is not None:
            web.stop()
            say("web server stopped")
        if pg is not None and pg.pid is not None:
            pg.stop()
            say("PostgreSQL stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
