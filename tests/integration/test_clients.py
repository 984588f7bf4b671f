"""Managing clients (issue 6): the SQL functions of sql/007, `gatehouse client
add|update|rotate-secret|delete`, `gatehouse client apply` with YAML and JSON app
manifests, and `gatehouse user hash-password` with gatehouse.user_create().

Every way of making a client goes through the same rules, so the same description
made each way gives the same client, and each way refuses the same bad inputs (R03,
R41, R93). A way is a maker: maker(ctx, spec) -> Made, spec a dict in the neutral
form of SPEC below. Other ways (dynamic registration) join the comparison by adding a
maker to MAKERS' callers: assert_made_alike(ctx, {"way": client_id, ...}) compares
`gatehouse client show` documents, identity members left out.

The tests do not depend on the web server (they use it only to try secrets at /token),
so each runs once.
"""

import json
import secrets

from flow import CALLBACK, AuthRequest, Browser, callback, describe, redeem, token_request
from harness import b64url_decode, json_body, once

# Members of `client show` that name one client rather than describe it.
IDENTITY = ("client_id", "client_secret", "app_key", "client_id_issued_at",
            "client_secret_expires_at", "registration_access_token",
            "registration_client_uri")

SCOPES = ("clients:read", "clients:write")

# A client with every setting the three ways share, none at its default.
SPEC = {
    "name": "Same App",
    "type": "confidential",
    "auth_method": "client_secret_post",
    "redirect_uris": ["https://same.example/callback", "http://127.0.0.1:8400/cb",
                      "com.example.same:/cb"],
    "post_logout_redirect_uris": ["https://same.example/bye"],
    "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
    "scopes": ["openid", "profile", "clients:read"],
    "trusted": True,
    "access_token_format": "jwt",
    "logo_uri": "https://same.example/logo.png",
    "tos_uri": "https://same.example/terms",
    "policy_uri": "https://same.example/privacy",
    "contacts": ["ops@same.example", "dev@same.example"],
}

# A native app: public, so no secret from any way (R41).
NATIVE = {
    "name": "Same Native",
    "type": "public",
    "redirect_uris": ["com.example.native:/cb", "http://127.0.0.1/cb"],
    "scopes": ["openid", "offline_access"],
}

# A service: the client_credentials grant only (used to try secrets at /token).
SERVICE = {"name": "Service", "grant_types": ["client_credentials"], "scopes": ["clients:read"]}

# What every way must refuse: (what, changes to a valid spec).
BAD = [
    ("R03 http redirect URI on a non-loopback host", {"redirect_uris": ["http://app.example/cb"]}),
    ("redirect URI with a fragment", {"redirect_uris": ["https://app.example/cb#top"]}),
    ("redirect URI with a port but no host", {"redirect_uris": ["https://:443/cb"]}),
    ("redirect URI with port 0", {"redirect_uris": ["https://app.example:0/cb"]}),
    ("R41 public client with client_credentials",
     {"type": "public", "auth_method": "none",
      "grant_types": ["authorization_code", "client_credentials"]}),
    ("R41 public client with a secret method",
     {"type": "public", "auth_method": "client_secret_basic",
      "grant_types": ["authorization_code"]}),
    ("scope missing from gatehouse.scopes", {"scopes": ["openid", "clients:undefined"]}),
    ("R93 javascript: logo", {"logo_uri": "javascript:alert(document.cookie)"}),
    ("R93 logo that would leave an HTML attribute",
     {"logo_uri": 'https://app.example/l.png" onerror="alert(1)'}),
    ("http terms of service", {"tos_uri": "http://app.example/terms"}),
    ("contact that is not an e-mail address", {"contacts": ["ops at app.example"]}),
    ("name with a control character", {"name": "Bell \x07 App"}),
    ("code flow without a redirect URI", {"redirect_uris": []}),
    ("unknown grant type", {"grant_types": ["password"]}),
    ("unknown access token format", {"access_token_format": "saml"}),
]


class Made:
    """What a maker did: ok, and the client_id and secret (None for a public client),
    or the error text."""

    def __init__(self, ok, client_id=None, secret=None, error=""):
        self.ok, self.client_id, self.secret, self.error = ok, client_id, secret, error

    def __repr__(self):
        return "Made(ok=%r, client_id=%r, error=%r)" % (self.ok, self.client_id,
                                                        self.error[-300:])


# ------------------------------------------------------------------------------ makers


def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "ARRAY[%s]::text[]" % ", ".join(sql_literal(x) for x in v) if v else "'{}'::text[]"
    return "'%s'" % str(v).replace("'", "''")


SQL_ARGS = {"name": "name", "type": "type", "auth_method": "token_endpoint_auth_method",
            "redirect_uris": "redirect_uris", "post_logout_redirect_uris":
            "post_logout_redirect_uris", "grant_types": "grant_types", "scopes": "scopes",
            "trusted": "trusted", "access_token_format": "access_token_format",
            "logo_uri": "logo_uri", "tos_uri": "tos_uri", "policy_uri": "policy_uri",
            "contacts": "contacts"}


def by_sql(ctx, spec):
    """SELECT * FROM gatehouse.client_create(...), as an operator in psql."""
    args = ", ".join("%s => %s" % (SQL_ARGS[k], sql_literal(v)) for k, v in spec.items())
    try:
        out = ctx.pg.psql("SELECT client_id || ' ' || coalesce(client_secret, '-')"
                          " FROM gatehouse.client_create(%s)" % args)
    except RuntimeError as e:
        return Made(False, error=str(e))
    client_id, secret = out.split(" ")
    return Made(True, client_id, None if secret == "-" else secret)


CLI_LISTS = {"redirect_uris": "--redirect-uri", "post_logout_redirect_uris":
             "--post-logout-redirect-uri", "grant_types": "--grant-type",
             "contacts": "--contact"}
CLI_VALUES = {"name": "--name", "type": "--type", "auth_method": "--auth-method",
              "access_token_format": "--access-token-format", "logo_uri": "--logo-uri",
              "tos_uri": "--tos-uri", "policy_uri": "--policy-uri"}


def cli_args(spec):
    args = []
    for k, v in spec.items():
        if k in CLI_LISTS:
            for item in v:
                args += [CLI_LISTS[k], item]
        elif k in CLI_VALUES:
            args += [CLI_VALUES[k], v]
        elif k == "scopes":
            args += ["--scope", " ".join(v)]
        elif k == "trusted":
            args.append("--trusted=%s" % ("yes" if v else "no"))
        else:
            raise ValueError("no option for " + k)
    return args


def by_add(ctx, spec):
    """gatehouse client add --json ..."""
    p = ctx.cli("client", "add", "--json", *cli_args(spec))
    if p.returncode != 0:
        return Made(False, error=p.stderr + p.stdout)
    doc = json.loads(p.stdout)
    return Made(True, doc["client_id"], doc.get("client_secret"))


MANIFEST_KEYS = {"name": "clientName", "type": "type", "auth_method":
                 "tokenEndpointAuthMethod", "redirect_uris": "redirectUris",
                 "post_logout_redirect_uris": "postLogoutRedirectUris",
                 "grant_types": "grantTypes", "scopes": "scopes", "trusted": "trusted",
                 "access_token_format": "accessTokenFormat"}
MANIFEST_METADATA = {"logo_uri": "logoUri", "tos_uri": "tosUri", "policy_uri": "policyUri",
                     "contacts": "contacts"}


def manifest(spec):
    """The app manifest (as a dict) that describes spec."""
    oauth = {MANIFEST_KEYS[k]: v for k, v in spec.items() if k in MANIFEST_KEYS}
    meta = {MANIFEST_METADATA[k]: v for k, v in spec.items() if k in MANIFEST_METADATA}
    if meta:
        oauth["metadata"] = meta
    return {"oauth": oauth}


def to_yaml(doc, indent=0):
    """Block-style YAML (scalars as JSON strings, which YAML reads the same)."""
    lines = []
    for k, v in doc.items():
        pad = " " * indent
        if isinstance(v, dict):
            lines.append("%s%s:\n%s" % (pad, k, to_yaml(v, indent + 2)))
        elif isinstance(v, list) and v:
            lines.append("%s%s:\n%s" % (pad, k, "".join("%s  - %s\n" % (pad, json.dumps(x))
                                                         for x in v)))
        else:
            lines.append("%s%s: %s\n" % (pad, k, json.dumps(v)))
    return "".join(lines)


def write_manifest(ctx, spec, fmt="yaml"):
    path = ctx.tmp("app-%s.%s" % (secrets.token_hex(4), fmt))
    doc = manifest(spec)
    with open(path, "w") as f:
        f.write(json.dumps(doc, indent=2) if fmt == "json" else "# test app\n" + to_yaml(doc))
    return path


def apply(ctx, path, *flags):
    return ctx.cli("client", "apply", path, *flags)


def env_lines(p):
    """The KEY=value lines of `client apply --env` as a dict (and their order)."""
    lines = p.stdout.splitlines()
    pairs = [line.split("=", 1) for line in lines]
    assert all(len(x) == 2 for x in pairs), "not KEY=value lines: %r" % p.stdout
    return dict(pairs), [k for k, _ in pairs]


def by_apply(ctx, spec, fmt="yaml"):
    """gatehouse client apply FILE --env, the manifest in YAML or JSON."""
    p = apply(ctx, write_manifest(ctx, spec, fmt), "--env")
    if p.returncode != 0:
        return Made(False, error=p.stderr + p.stdout)
    env, _ = env_lines(p)
    return Made(True, env["OAUTH_CLIENT_ID"], env.get("OAUTH_CLIENT_SECRET"))


def by_apply_json(ctx, spec):
    return by_apply(ctx, spec, "json")


MAKERS = {"sql": by_sql, "add": by_add, "apply-yaml": by_apply, "apply-json": by_apply_json}


# ------------------------------------------------------------------------- comparing


def show(ctx, client_id):
    p = ctx.cli("client", "show", client_id)
    assert p.returncode == 0, "client show %s: %s" % (client_id, p.stderr)
    return json.loads(p.stdout)


def comparable(doc):
    return {k: v for k, v in doc.items() if k not in IDENTITY}


def assert_made_alike(ctx, made):
    """made: {way: client_id}. Every client's `client show` equals the first's, but for
    the members that name a client (IDENTITY)."""
    docs = {way: comparable(show(ctx, cid)) for way, cid in made.items()}
    first_way, first = next(iter(docs.items()))
    for way, doc in docs.items():
        diff = {k: (first.get(k), doc.get(k)) for k in sorted(set(first) | set(doc))
                if first.get(k) != doc.get(k)}
        assert not diff, "made by %s and by %s, the clients differ: %r" % (first_way, way,
                                                                           diff)
    return first


def count_clients(ctx, name):
    return int(ctx.pg.psql("SELECT count(*) FROM gatehouse.clients WHERE name = %s"
                           % sql_literal(name)))


def define_test_scopes(ctx):
    ctx.define_scopes(*SCOPES)


def client_credentials(ctx, client_id, secret, auth="client_secret_basic"):
    client = {"client_id": client_id, "client_secret": secret,
              "token_endpoint_auth_method": auth}
    return token_request(ctx.web, client, {"grant_type": "client_credentials"})


def assert_secret_works(ctx, client_id, secret, works, what, auth="client_secret_basic"):
    """The client_credentials grant with this secret gets a token (works) or 401."""
    resp = client_credentials(ctx, client_id, secret, auth)
    if works:
        assert resp.status_code == 200, "%s: %s" % (what, describe(resp))
        assert json_body(resp)["access_token"]
    else:
        assert resp.status_code == 401, "%s: %s" % (what, describe(resp))
        assert json_body(resp)["error"] == "invalid_client", describe(resp)


# ---------------------------------------------------------------------------- tests


@once
def test_the_same_client_made_by_sql_add_and_apply_is_identical(ctx):
    define_test_scopes(ctx)
    made = {way: MAKERS[way](ctx, SPEC) for way in ("sql", "add", "apply-yaml")}
    for way, m in made.items():
        assert m.ok, "%s refused the spec: %r" % (way, m)
        assert m.secret and len(m.secret) >= 43, "%s: secret %r" % (way, m.secret)
    doc = assert_made_alike(ctx, {way: m.client_id for way, m in made.items()})
    assert doc["client_name"] == SPEC["name"] and doc["trusted"] is True, doc
    assert doc["redirect_uris"] == SPEC["redirect_uris"], doc
    assert doc["scope"] == " ".join(SPEC["scopes"]) and doc["contacts"] == SPEC["contacts"]
    assert show(ctx, made["apply-yaml"].client_id)["app_key"] == SPEC["name"]
    # The JSON manifest gives the same client too (one app key: the YAML one goes first).
    p = ctx.cli("client", "delete", made["apply-yaml"].client_id)
    assert p.returncode == 0, p.stderr
    from_json = by_apply_json(ctx, SPEC)
    assert from_json.ok, from_json
    assert_made_alike(ctx, {"sql": made["sql"].client_id, "apply-json": from_json.client_id})
    # Each secret, shown once, is its own client's (a 256-bit value stored as SHA-256).
    for m in list(made.values())[:2] + [from_json]:
        assert_secret_works(ctx, m.client_id, m.secret, True, "secret of " + m.client_id,
                            SPEC["auth_method"])


@once
def test_r41_a_public_client_made_three_ways_is_identical_and_has_no_secret(ctx):
    made = {way: MAKERS[way](ctx, NATIVE) for way in ("sql", "add", "apply-yaml")}
    for way, m in made.items():
        assert m.ok, "%s refused the native app: %r" % (way, m)
        assert m.secret is None, "%s gave a public client a secret" % way
    doc = assert_made_alike(ctx, {way: m.client_id for way, m in made.items()})
    assert doc["token_endpoint_auth_method"] == "none" and doc["require_pkce"] is True, doc
    assert doc["grant_types"] == ["authorization_code", "refresh_token"], doc
    secret_hashes = ctx.pg.psql("SELECT count(*) FROM gatehouse.clients WHERE name = %s"
                                " AND secret_hash IS NOT NULL" % sql_literal(NATIVE["name"]))
    assert secret_hashes == "0", secret_hashes


@once
def test_r03_r41_r93_every_way_refuses_the_same_bad_inputs(ctx):
    define_test_scopes(ctx)
    before = ctx.pg.psql("SELECT count(*) FROM gatehouse.clients")
    wrong = []
    for i, (what, changes) in enumerate(BAD):
        spec = dict(SPEC, name="Refused %d" % i)
        spec.update(changes)
        for way in ("sql", "add", "apply-yaml", "apply-json"):
            m = MAKERS[way](ctx, spec)
            if m.ok:
                wrong.append("%s accepted: %s" % (way, what))
            elif not m.error.strip():
                wrong.append("%s refused %s without saying why" % (way, what))
    assert not wrong, "\n".join(wrong)
    after = ctx.pg.psql("SELECT count(*) FROM gatehouse.clients")
    assert before == after, "clients before %s, after %s" % (before, after)


@once
def test_the_command_line_says_which_rule_a_client_breaks(ctx):
    define_test_scopes(ctx)
    cases = [({"redirect_uris": ["http://app.example/cb"]}, "redirect URI 1 must be"),
             ({"scopes": ["openid", "clients:undefined"]}, "scope 2 is not defined"),
             ({"logo_uri": "javascript:alert(1)"}, "must be https URLs"),
             ({"type": "public", "auth_method": "none", "grant_types": ["client_credentials"]},
              "public clients cannot use client_credentials")]
    for changes, message in cases:
        spec = dict(SPEC, name="Explained")
        spec.update(changes)
        for way in ("add", "apply-yaml"):
            m = MAKERS[way](ctx, spec)
            assert not m.ok and message in m.error, "%s: %r, wanted %r" % (way, m, message)


@once
def test_direct_inserts_that_break_a_rule_are_refused_by_the_database(ctx):
    define_test_scopes(ctx)
    cols = ("client_id, name, client_type, token_endpoint_auth_method, secret_hash,"
            " redirect_uris, grant_types, scopes, logo_uri, contacts")
    good = {"client_id": "direct-insert-ok", "name": "Direct", "client_type": "public",
            "token_endpoint_auth_method": "none", "secret_hash": None,
            "redirect_uris": ["https://direct.example/cb"],
            "grant_types": ["authorization_code"], "scopes": ["openid", "clients:read"],
            "logo_uri": None, "contacts": []}
    bad = [({"redirect_uris": ["http://direct.example/cb"]}, "clients_redirect_uris_valid"),
           ({"redirect_uris": ["https://direct.example:99999/cb"]},
            "clients_redirect_uris_valid"),
           ({"grant_types": ["client_credentials"]}, "clients_public_no_client_credentials"),
           ({"scopes": ["openid", "nope:undefined"]}, 'scope "nope:undefined" is not defined'),
           ({"logo_uri": "https://direct.example/<script>"}, "clients_logo_uri_valid"),
           ({"contacts": ["nobody"]}, "clients_contacts_valid"),
           ({"redirect_uris": []}, "clients_code_flow_has_redirect_uri"),
           ({"name": "Tab\tname"}, "clients_name_printable"),
           ({"secret_hash": "0" * 64}, "clients_public_has_no_secret")]

    def insert(row):
        return ctx.pg.psql("INSERT INTO gatehouse.clients (%s) VALUES (%s)" % (
            cols, ", ".join(sql_literal(row[c.strip()]) for c in cols.split(","))))

    for i, (changes, constraint) in enumerate(bad):
        row = dict(good, client_id="direct-insert-%d" % i)
        row.update(changes)
        try:
            insert(row)
        except RuntimeError as e:
            assert constraint in str(e), "%r refused, but not by %s: %s" % (changes, constraint,
                                                                            str(e)[-400:])
            continue
        raise AssertionError("the database accepted %r" % changes)
    insert(good)       # the rules refuse what is wrong, not everything
    # A scope that a client is allowed cannot be deleted from under it.
    try:
        ctx.pg.psql("DELETE FROM gatehouse.scopes WHERE name = 'clients:read'")
    except RuntimeError as e:
        assert "is allowed to clients" in str(e), str(e)[-300:]
    else:
        raise AssertionError("a scope in use was deleted")
    ctx.pg.psql("DELETE FROM gatehouse.clients WHERE client_id = 'direct-insert-ok'")


@once
def test_apply_twice_changes_nothing_and_a_changed_manifest_updates_the_client(ctx):
    define_test_scopes(ctx)
    spec = dict(SPEC, name="Applied App")
    path = write_manifest(ctx, spec)
    p = apply(ctx, path)
    assert p.returncode == 0 and "Applied App: created" in p.stdout, p.stdout + p.stderr
    assert "client_secret: " in p.stdout, p.stdout
    client_id = p.stdout.split("client_id ")[1].split(")")[0]
    stamp = "SELECT updated_at FROM gatehouse.clients WHERE client_id = '%s'" % client_id
    first, updated = show(ctx, client_id), ctx.pg.psql(stamp)
    p = apply(ctx, path)
    assert p.returncode == 0 and p.stdout.startswith("Applied App: unchanged"), p.stdout
    assert "client_secret" not in p.stdout, "a secret printed when nothing was made"
    assert show(ctx, client_id) == first and ctx.pg.psql(stamp) == updated, \
        "apply of the same manifest wrote the client"
    # Changed: a scope more, the logo gone (back to no logo), a redirect URI changed.
    spec["scopes"] = spec["scopes"] + ["clients:write"]
    del spec["logo_uri"]
    spec["redirect_uris"] = ["https://applied.example/cb"]
    path = write_manifest(ctx, spec, "json")
    p = apply(ctx, path)
    assert p.returncode == 0 and p.stdout.startswith("Applied App: updated"), p.stdout
    doc = show(ctx, client_id)
    assert doc["scope"].split()[-1] == "clients:write" and "logo_uri" not in doc, doc
    assert doc["redirect_uris"] == ["https://applied.example/cb"], doc
    p = apply(ctx, path)
    assert p.stdout.startswith("Applied App: unchanged"), p.stdout
    # What a manifest cannot say is kept; what it can say but left out goes to default.
    p = ctx.cli("client", "update", client_id, "--access-token-ttl", "600")
    assert p.returncode == 0, p.stderr
    assert apply(ctx, path).stdout.startswith("Applied App: unchanged")
    assert show(ctx, client_id)["access_token_ttl"] == 600
    assert count_clients(ctx, "Applied App") == 1


@once
def test_apply_refuses_a_bad_manifest_and_names_the_problem(ctx):
    path = ctx.tmp("bad.yaml")
    cases = [("oauth:\n  clientName: Bad\n  clientSecret: s3cret\n  redirectUri: x\n",
              "unknown keys: oauth.clientSecret, oauth.redirectUri"),
             ("oauth:\n  clientName: Bad\n  redirectUris: https://bad.example/cb\n",
              "oauth.redirectUris must be a list of strings"),
             ("oauth:\n  clientName: Bad\n  clientName: Worse\n", "duplicate key"),
             ("a: &a [x, x]\noauth: {clientName: Bad, scopes: *a}\n", "aliases"),
             ("", "the manifest is empty")]
    for text, message in cases:
        with open(path, "w") as f:
            f.write(text)
        p = apply(ctx, path)
        assert p.returncode == 1 and message in p.stderr, "%r: %s%s" % (text, p.stdout,
                                                                        p.stderr)
    p = apply(ctx, ctx.tmp("missing.yaml"))
    assert p.returncode == 1 and "cannot open" in p.stderr, p.stderr
    assert count_clients(ctx, "Bad") == 0


@once
def test_apply_env_prints_the_secret_only_when_made_or_rotated(ctx):
    define_test_scopes(ctx)
    spec = dict(SERVICE, name="Env Service")
    path = write_manifest(ctx, spec)
    p = apply(ctx, path, "--env")
    assert p.returncode == 0, p.stderr
    env, order = env_lines(p)
    assert order == ["OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET"], p.stdout
    assert "created" in p.stderr, p.stderr
    assert_secret_works(ctx, env["OAUTH_CLIENT_ID"], env["OAUTH_CLIENT_SECRET"], True,
                        "the secret --env printed")
    p = apply(ctx, path, "--env")
    again, order = env_lines(p)
    assert order == ["OAUTH_CLIENT_ID"] and again["OAUTH_CLIENT_ID"] == env["OAUTH_CLIENT_ID"], \
        p.stdout
    p = apply(ctx, path, "--env", "--rotate-secret")
    rotated, order = env_lines(p)
    assert order == ["OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET"], p.stdout
    assert rotated["OAUTH_CLIENT_SECRET"] != env["OAUTH_CLIENT_SECRET"]
    assert_secret_works(ctx, env["OAUTH_CLIENT_ID"], env["OAUTH_CLIENT_SECRET"], False,
                        "the secret before --rotate-secret")
    assert_secret_works(ctx, env["OAUTH_CLIENT_ID"], rotated["OAUTH_CLIENT_SECRET"], True,
                        "the rotated secret")
    public = write_manifest(ctx, dict(NATIVE, name="Env Native"), "json")
    env, order = env_lines(apply(ctx, public, "--env"))
    assert order == ["OAUTH_CLIENT_ID"], "a public client got %r" % order


@once
def test_rotate_secret_invalidates_the_old_secret_at_the_token_endpoint(ctx):
    define_test_scopes(ctx)
    m = by_add(ctx, dict(SERVICE, name="Rotating"))
    assert m.ok, m
    assert_secret_works(ctx, m.client_id, m.secret, True, "the first secret")
    p = ctx.cli("client", "rotate-secret", m.client_id)
    assert p.returncode == 0, p.stderr
    second = p.stdout.split("client_secret: ")[1].split()[0]
    assert_secret_works(ctx, m.client_id, m.secret, False, "the secret before rotation")
    assert_secret_works(ctx, m.client_id, second, True, "the rotated secret")
    third = ctx.pg.psql("SELECT gatehouse.client_rotate_secret('%s')" % m.client_id)
    assert len(third) == 43, third
    assert_secret_works(ctx, m.client_id, second, False, "the secret before SQL rotation")
    assert_secret_works(ctx, m.client_id, third, True, "the secret client_rotate_secret gave")
    native = by_add(ctx, dict(NATIVE, name="Rotating Native"))
    p = ctx.cli("client", "rotate-secret", native.client_id)
    assert p.returncode == 1 and "public client has no secret" in p.stderr, p.stderr


@once
def test_delete_removes_the_client_with_its_tokens(ctx):
    define_test_scopes(ctx)
    m = by_add(ctx, dict(SERVICE, name="Deleted"))
    assert_secret_works(ctx, m.client_id, m.secret, True, "before delete")
    tokens = "SELECT count(*) FROM gatehouse.tokens WHERE client_id = '%s'" % m.client_id
    assert int(ctx.pg.psql(tokens)) > 0
    p = ctx.cli("client", "delete", m.client_id)
    assert p.returncode == 0, p.stderr
    assert ctx.pg.psql(tokens) == "0"
    p = ctx.cli("client", "show", m.client_id)
    assert p.returncode == 1 and "no such client" in p.stderr, p.stderr
    assert_secret_works(ctx, m.client_id, m.secret, False, "after delete")
    p = ctx.cli("client", "delete", m.client_id)
    assert p.returncode == 1, "deleting twice: %s" % p.stdout
    # Deleted by hand in SQL (docs/sql.md): its tokens go too (sql/009's trigger).
    by_sql = by_add(ctx, dict(SERVICE, name="Deleted by SQL"))
    assert_secret_works(ctx, by_sql.client_id, by_sql.secret, True, "before DELETE")
    tokens = "SELECT count(*) FROM gatehouse.tokens WHERE client_id = '%s'" % by_sql.client_id
    assert int(ctx.pg.psql(tokens)) > 0
    ctx.pg.psql("DELETE FROM gatehouse.clients WHERE client_id = '%s'" % by_sql.client_id)
    assert ctx.pg.psql(tokens) == "0"


@once
def test_update_changes_only_what_is_given_under_the_same_rules(ctx):
    define_test_scopes(ctx)
    m = by_add(ctx, dict(SPEC, name="Updated"))
    before = show(ctx, m.client_id)
    p = ctx.cli("client", "update", m.client_id, "--tos-uri", "", "--contact", "new@up.example",
                "--contact", "two@up.example", "--minimal-id-token")
    assert p.returncode == 0, p.stderr
    after = show(ctx, m.client_id)
    assert "tos_uri" not in after and after["contacts"] == ["new@up.example", "two@up.example"]
    assert after["minimal_id_token"] is True
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed == {"tos_uri", "contacts", "minimal_id_token"}, changed
    for args, message in ((["--type", "public"], "type of a client cannot change"),
                          (["--logo-uri", "javascript:x"], "must be https URLs"),
                          (["--scope", "openid nope:undefined"], "scope 2 is not defined"),
                          (["--redirect-uri", "http://up.example/cb"], "redirect URI 1"),
                          (["--access-token-ttl", "86401"], "access token lifetime")):
        p = ctx.cli("client", "update", m.client_id, *args)
        assert p.returncode == 1 and message in p.stderr, "%r: %s" % (args, p.stderr)
    assert show(ctx, m.client_id) == after, "a refused update changed the client"
    p = ctx.cli("client", "update", "no-such-client-id", "--trusted")
    assert p.returncode == 1 and "no such client" in p.stderr, p.stderr
    # A base64url client id may start with "-": it is still the id, not an option.
    ctx.pg.psql("UPDATE gatehouse.clients SET client_id = '-dash-first-1' WHERE client_id = '%s'"
                % m.client_id)
    p = ctx.cli("client", "update", "-dash-first-1", "--trusted=no")
    assert p.returncode == 0, p.stderr
    assert show(ctx, "-dash-first-1")["trusted"] is False


@once
def test_sql_functions_change_redirect_uris_and_disable(ctx):
    m = by_sql(ctx, {"name": "SQL Managed", "redirect_uris": ["https://sql.example/cb"]})
    assert m.ok, m
    add = "SELECT gatehouse.client_add_redirect_uri('%s', %%s)" % m.client_id
    remove = "SELECT gatehouse.client_remove_redirect_uri('%s', %%s)" % m.client_id
    ctx.pg.psql(add % "'https://sql.example/two'")
    ctx.pg.psql(add % "'https://sql.example/two'")          # already there: no change
    assert show(ctx, m.client_id)["redirect_uris"] == ["https://sql.example/cb",
                                                       "https://sql.example/two"]
    for bad in ("'http://sql.example/cb'", "'https://sql.example/cb#f'"):
        try:
            ctx.pg.psql(add % bad)
        except RuntimeError as e:
            assert "clients_redirect_uris_valid" in str(e), str(e)[-300:]
        else:
            raise AssertionError("client_add_redirect_uri accepted " + bad)
    ctx.pg.psql(remove % "'https://sql.example/cb'")
    assert show(ctx, m.client_id)["redirect_uris"] == ["https://sql.example/two"]
    try:
        ctx.pg.psql(remove % "'https://sql.example/two'")
    except RuntimeError as e:
        assert "clients_code_flow_has_redirect_uri" in str(e), str(e)[-300:]
    else:
        raise AssertionError("the last redirect URI of a code-flow client was removed")
    ctx.pg.psql("SELECT gatehouse.client_disable('%s')" % m.client_id)
    assert show(ctx, m.client_id)["disabled"] is True
    for call in ("client_disable('nope')", "client_rotate_secret('nope')",
                 "client_add_redirect_uri('nope', 'https://x.example/cb')"):
        try:
            ctx.pg.psql("SELECT gatehouse." + call)
        except RuntimeError as e:
            assert "no client" in str(e) or "no confidential client" in str(e), str(e)[-300:]
        else:
            raise AssertionError(call + " did not fail")


@once
def test_a_client_and_a_user_made_with_sql_complete_a_code_flow(ctx):
    m = by_sql(ctx, {"name": "SQL Flow", "redirect_uris": [CALLBACK],
                     "scopes": ["openid", "profile"], "trusted": True})
    assert m.ok, m
    password = secrets.token_urlsafe(12)
    p = ctx.cli("user", "hash-password", input=password + "\n")
    assert p.returncode == 0 and p.stdout.startswith("scrypt$"), p.stderr
    assert password not in p.stdout
    username = "sql" + secrets.token_hex(4)
    sub = ctx.pg.psql("SELECT gatehouse.user_create(%s, %s, email => %s, name => 'SQL User')"
                      % (sql_literal(username), sql_literal(p.stdout.strip()),
                         sql_literal(username + "@sql.example")))
    client = dict(show(ctx, m.client_id), client_secret=m.secret)
    req = AuthRequest(client, scope="openid profile")
    browser = Browser(ctx.web)
    params = callback(browser.sign_in(req, {"username": username, "password": password}))
    resp = redeem(ctx.web, req, params["code"])
    assert resp.status_code == 200, describe(resp)
    claims = json.loads(b64url_decode(json_body(resp)["id_token"].split(".")[1]))
    assert claims["sub"] == sub and claims["aud"] in (m.client_id, [m.client_id]), claims
    browser.close()
    p = ctx.cli("user", "hash-password", input="\n")
    assert p.returncode == 1 and "no password given" in p.stderr, p.stderr
