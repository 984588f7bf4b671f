"""Expired rows never pile up (DESIGN invariant 8, issue 5 item 6).

- churn: a server whose codes live 1 s and whose workers sweep every second issues
  codes for a while (under 200 a second here); the codes table never holds more than
  the live rows plus one batch (200: at least what expires between two sweeps).
- backlog: `gatehouse sweep` on a million expired rows removes them all in bounded
  batches and prints its longest statement (the figure is printed, not asserted:
  timings are for benchmarks, not tests).
"""

import os
import re
import time

import harness
from flow import AuthRequest, Browser, callback, describe
from harness import once, only

CALLBACK = "http://127.0.0.1:9/callback"
BATCH = 200


def count(ctx, table, where="true"):
    return int(ctx.pg.psql("SELECT count(*) FROM gatehouse.%s WHERE %s" % (table, where)))


@only("lighttpd")
def test_churn_keeps_swept_tables_within_live_rows_plus_one_batch(ctx):
    client = ctx.add_client("sweep churn", redirect_uris=(CALLBACK,),
                            grant_types=("authorization_code",), scope="openid",
                            trusted=True)
    user = {"username": "churn%d" % os.getpid(), "password": "churn-password-1"}
    ctx.add_user(user["username"], user["password"])
    rundir = os.path.join(ctx.workdir, "churn")
    web = harness.WebServer(ctx.flavour, rundir, ctx.tree, None)
    web.config_path = harness.write_config(
        ctx.tmp("churn.hdf"), web.issuer, ctx.pg, ctx.tree, ctx.key_file,
        **{"Tokens.CodeLifetime": 1, "Sweep.Interval": 1, "Sweep.Batch": BATCH})
    web.start()
    try:
        browser = Browser(web)
        worst = {}
        deadline = time.monotonic() + 8
        issued = 0
        while time.monotonic() < deadline:
            for _ in range(10):
                req = AuthRequest(client, scope="openid")
                params = callback(browser.sign_in(req, user), req.redirect_uri)
                assert "code" in params, params
                issued += 1
            # Live codes: those issued in the last second (their lifetime).
            live = count(ctx, "codes", "expires_at > now()")
            total = count(ctx, "codes")
            worst["codes"] = max(worst.get("codes", 0), total - live)
            assert total <= live + BATCH, \
                "codes: %d rows, %d live, batch %d" % (total, live, BATCH)
        assert issued >= 50, "only %d codes issued" % issued
        time.sleep(2.5)
        assert count(ctx, "codes", "expires_at < now() - interval '2 seconds'") <= BATCH, \
            "expired codes were not swept"
        print("  churn: %d codes issued; at most %d expired rows waited for a sweep"
              % (issued, worst["codes"]))
        assert not web.crash_lines()
    finally:
        web.stop()


def slow(seconds):
    """A longer time limit than the runner's default, for work that scales with data."""
    def mark(fn):
        fn.timeout = seconds
        return fn
    return mark


@once
@slow(300)
def test_sweep_removes_a_million_expired_rows_in_bounded_batches(ctx):
    if harness.SANITIZER_ENV:
        # A million rows inserted and deleted by PostgreSQL: the sanitizers would
        # watch a CLI that only sends DELETE statements, for a minute.
        raise harness.Skip("measures PostgreSQL, not memory safety; run unsanitized")
    client = ctx.add_client("sweep backlog", type="confidential",
                            redirect_uris=(CALLBACK,), grant_types=("authorization_code",),
                            scope="openid")
    ctx.pg.psql(
        "INSERT INTO gatehouse.tokens (token_hash, kind, client_id, scope, expires_at)"
        " SELECT encode(sha256(('backlog' || g)::bytea), 'hex'), 'access', '%s', 'x',"
        " now() - interval '1 hour' FROM generate_series(1, 1000000) AS g"
        % client["client_id"])
    live = ("INSERT INTO gatehouse.tokens (token_hash, kind, client_id, scope, expires_at)"
            " VALUES (encode(sha256('live-token'::bytea), 'hex'), 'access', '%s', 'x',"
            " now() + interval '1 hour')" % client["client_id"])
    ctx.pg.psql(live)
    started = time.monotonic()
    p = ctx.cli("sweep", timeout=600)
    took = time.monotonic() - started
    assert p.returncode == 0, p.stdout + p.stderr
    m = re.search(r"^tokens\s+(\d+) expired rows removed", p.stdout, re.M)
    assert m and int(m.group(1)) >= 1000000, p.stdout
    longest = re.search(r"longest statement: ([\d.]+) ms", p.stdout)
    assert longest, p.stdout
    assert count(ctx, "tokens", "expires_at < now()") == 0
    assert count(ctx, "tokens", "token_hash = encode(sha256('live-token'::bytea), 'hex')") == 1
    print("  gatehouse sweep: 1,000,000 expired tokens in %.1f s, longest statement %s ms"
          % (took, longest.group(1)))
