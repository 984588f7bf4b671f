"""Platform tests: discovery, JWKS and signing, the HTTP layer behind each web server,
database outages, key rotation, check-config and migrate.

Each test_* function takes the harness Context; the runner calls it once per web
server flavour (or once in all, for @once). Tests that cover a row of
/work/shared/REQUIREMENTS.md carry its id in their name.
"""

import base64
import concurrent.futures
import json
import os
import secrets
import subprocess
import time

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

import harness
from harness import b64url_decode, json_body, once

OIDC = "/.well-known/openid-configuration"
RFC8414 = "/.well-known/oauth-authorization-server"
PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k", "oth")
CORS_HEADERS = ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                "Access-Control-Allow-Methods", "Access-Control-Allow-Headers")


# ---------------------------------------------------------------------------- helpers


def assert_common_headers(resp):
    """R18 and the platform rule: nosniff and no-referrer on every response; pages
    (HTML) also refuse framing (R15)."""
    where = "%s %s -> %d" % (resp.request.method, resp.request.path_url, resp.status_code)
    assert resp.headers.get("X-Content-Type-Options", "").lower() == "nosniff", \
        "%s: X-Content-Type-Options is %r" % (where, resp.headers.get("X-Content-Type-Options"))
    assert resp.headers.get("Referrer-Policy", "").lower() == "no-referrer", \
        "%s: Referrer-Policy is %r" % (where, resp.headers.get("Referrer-Policy"))
    if resp.headers.get("Content-Type", "").lower().startswith("text/html"):
        assert_not_frameable(resp)


def assert_not_frameable(resp):
    where = "%s %s" % (resp.request.method, resp.request.path_url)
    assert resp.headers.get("X-Frame-Options", "").upper() == "DENY", \
        "%s: X-Frame-Options is %r" % (where, resp.headers.get("X-Frame-Options"))
    csp = resp.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp or "frame-ancestors 'self'" in csp, \
        "%s: Content-Security-Policy %r lacks frame-ancestors" % (where, csp)


def assert_json_error(resp, status, error=None):
    """A JSON error document {"error": code, ...} with the given status."""
    assert resp.status_code == status, "%s %s: status %d, wanted %d; body %r" % (
        resp.request.method, resp.request.path_url, resp.status_code, status, resp.text[:300])
    body = json_body(resp)
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], \
        "%s: no error member in %r" % (resp.request.path_url, body)
    if error is not None:
        assert body["error"] == error, "%s: error %r, wanted %r" % (
            resp.request.path_url, body["error"], error)
    assert_common_headers(resp)
    return body


def get_json(ctx, path, root=False, **kw):
    resp = ctx.web.get(path, root=root, **kw)
    assert resp.status_code == 200, "GET %s: %d %r" % (path, resp.status_code, resp.text[:300])
    assert_common_headers(resp)
    return json_body(resp)


def jwks(ctx):
    doc = get_json(ctx, "/jwks")
    assert isinstance(doc.get("keys"), list), "jwks has no keys array: %r" % doc
    return doc["keys"]


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def sign(ctx, payload, alg, typ=None):
    """gatehouse keys sign: returns (header, payload, signing_input, signature)."""
    args = ["keys", "sign", "--alg", alg] + (["--typ", typ] if typ else [])
    p = ctx.cli(*args, input=json.dumps(payload))
    assert p.returncode == 0, "keys sign --alg %s exited %d: %s" % (alg, p.returncode, p.stderr)
    jws = p.stdout.strip()
    parts = jws.split(".")
    assert len(parts) == 3 and all(parts), "not a compact JWS: %r" % jws[:200]
    header = json.loads(b64url_decode(parts[0]))
    body = json.loads(b64url_decode(parts[1]))
    return header, body, (parts[0] + "." + parts[1]).encode(), b64url_decode(parts[2])


def jwk_to_pem(jwk):
    def num(name):
        return int.from_bytes(b64url_decode(jwk[name]), "big")
    if jwk["kty"] == "RSA":
        key = rsa.RSAPublicNumbers(num("e"), num("n")).public_key()
    elif jwk["kty"] == "EC":
        assert jwk.get("crv") == "P-256", "EC key on %r" % jwk.get("crv")
        key = ec.EllipticCurvePublicNumbers(num("x"), num("y"), ec.SECP256R1()).public_key()
    elif jwk["kty"] == "OKP":
        assert jwk.get("crv") == "Ed25519", "OKP key on %r" % jwk.get("crv")
        key = ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    else:
        raise AssertionError("unexpected kty %r" % jwk["kty"])
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def openssl_verify(ctx, alg, pem, signing_input, sig):
    """Verifies with the openssl command line; returns (ok, output)."""
    tag = secrets.token_hex(4)
    pub, data, sigf = (ctx.tmp("%s.%s" % (tag, n)) for n in ("pub.pem", "input", "sig"))
    with open(pub, "wb") as f:
        f.write(pem)
    with open(data, "wb") as f:
        f.write(signing_input)
    if alg == "ES256":
        assert len(sig) == 64, "ES256 signature is %d bytes, JOSE wants R||S = 64" % len(sig)
        sig = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                   int.from_bytes(sig[32:], "big"))
    with open(sigf, "wb") as f:
        f.write(sig)
    if alg in ("RS256", "ES256"):
        cmd = ["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sigf, data]
    elif alg == "EdDSA":
        cmd = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin",
               "-in", data, "-sigfile", sigf]
    else:
        raise AssertionError("no openssl recipe for " + alg)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for f in (pub, data, sigf):
        os.unlink(f)
    return p.returncode == 0, " ".join(cmd[:3]) + ": " + p.stdout.strip()


def check_sign_and_verify(ctx, alg):
    keys = {k.get("kid"): k for k in jwks(ctx)}
    if not any(k.get("alg") == alg for k in keys.values()):
        raise AssertionError("no %s key in /jwks (setup rotated one in with --now)" % alg)
    payload = {"iss": ctx.web.issuer, "sub": "integration", "n": secrets.token_hex(8),
               "iat": int(time.time())}
    header, body, signing_input, sig = sign(ctx, payload, alg)
    assert header.get("alg") == alg, "header alg %r, wanted %r" % (header.get("alg"), alg)
    assert header.get("kid") in keys, "signing kid %r not published in /jwks (%s)" % (
        header.get("kid"), sorted(keys))
    assert keys[header["kid"]].get("alg") == alg
    assert body == payload, "payload changed: %r" % body
    pem = jwk_to_pem(keys[header["kid"]])
    ok, out = openssl_verify(ctx, alg, pem, signing_input, sig)
    assert ok, "openssl refused a %s signature made by keys sign: %s" % (alg, out)
    # The check has teeth: a changed payload must not verify.
    ok, out = openssl_verify(ctx, alg, pem, signing_input + b"x", sig)
    assert not ok, "openssl accepted a tampered %s input: %s" % (alg, out)


# ------------------------------------------------------------------------- discovery


def test_r78_openid_configuration_issuer_identical_and_required_keys(ctx):
    doc = get_json(ctx, OIDC)
    assert doc.get("issuer") == ctx.web.issuer, \
        "issuer %r is not identical to %r" % (doc.get("issuer"), ctx.web.issuer)
    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                "response_types_supported", "subject_types_supported",
                "id_token_signing_alg_values_supported"):
        assert key in doc, "openid-configuration lacks %s" % key
    assert doc["response_types_supported"] == ["code"], doc["response_types_supported"]
    assert "RS256" in doc["id_token_signing_alg_values_supported"]
    assert isinstance(doc["subject_types_supported"], list) and doc["subject_types_supported"]
    assert doc["jwks_uri"] == ctx.web.issuer + "/jwks", doc["jwks_uri"]
    for k, v in doc.items():
        if k.endswith("_endpoint") or k.endswith("_uri"):
            assert isinstance(v, str) and v.startswith(ctx.web.issuer + "/"), \
                "%s = %r is not under the issuer" % (k, v)


def test_r78_jwks_uri_from_discovery_serves_the_jwks(ctx):
    doc = get_json(ctx, OIDC)
    resp = ctx.web.session.get(doc["jwks_uri"], timeout=15)
    assert resp.status_code == 200, resp.status_code
    assert isinstance(json_body(resp).get("keys"), list)


def test_r26_code_challenge_methods_only_s256_if_present(ctx):
    for path, root in ((OIDC, False), (RFC8414, False), (RFC8414 + "/oauth", True)):
        doc = get_json(ctx, path, root=root)
        if "code_challenge_methods_supported" in doc:
            assert doc["code_challenge_methods_supported"] == ["S256"], \
                "%s: code_challenge_methods_supported = %r" % (
                    path, doc["code_challenge_methods_supported"])


def test_r79_rfc8414_metadata_at_host_root(ctx):
    doc = get_json(ctx, RFC8414 + "/oauth", root=True)
    assert doc.get("issuer") == ctx.web.issuer, \
        "host-root metadata issuer %r, wanted %r" % (doc.get("issuer"), ctx.web.issuer)


def test_rfc8414_metadata_has_its_required_members(ctx):
    """RFC 8414 section 2: issuer, authorization_endpoint and token_endpoint (the code
    grant uses both) and response_types_supported are REQUIRED."""
    doc = get_json(ctx, RFC8414 + "/oauth", root=True)
    for key in ("issuer", "authorization_endpoint", "token_endpoint",
                "response_types_supported"):
        assert key in doc, "oauth-authorization-server lacks %s" % key


def test_r79_rfc8414_metadata_under_issuer_matches_host_root(ctx):
    under = get_json(ctx, RFC8414)
    root = get_json(ctx, RFC8414 + "/oauth", root=True)
    assert under.get("issuer") == ctx.web.issuer
    assert under == root, "the two RFC 8414 locations serve different documents"


def test_r79_host_root_metadata_for_another_issuer_path_is_not_served(ctx):
    # Not through ctx.web.session: this answer comes from the web server, not from
    # Gatehouse, and need not carry Gatehouse's headers.
    resp = requests.get(ctx.web.base + RFC8414 + "/other", timeout=15)
    assert resp.status_code == 404, "GET %s/other at the host root: %d %r" % (
        RFC8414, resp.status_code, resp.text[:200])
    assert ctx.web.issuer not in resp.text


def test_r80_no_registration_endpoint_while_dcr_off(ctx):
    for path, root in ((OIDC, False), (RFC8414 + "/oauth", True)):
        doc = get_json(ctx, path, root=root)
        assert "registration_endpoint" not in doc, \
            "%s advertises registration_endpoint with dynamic registration off" % path


def test_r19_host_and_forwarded_headers_do_not_change_discovery(ctx):
    spoof = {"Host": "evil.example", "X-Forwarded-Host": "evil.example",
             "X-Forwarded-Proto": "https", "X-Forwarded-Port": "8443",
             "X-Forwarded-Server": "evil.example", "X-Original-URL": "/evil",
             "Forwarded": "host=evil.example;proto=https"}
    for path, root in ((OIDC, False), (RFC8414, False), (RFC8414 + "/oauth", True)):
        plain = get_json(ctx, path, root=root)
        resp = ctx.web.get(path, root=root, headers=spoof)
        assert resp.status_code == 200, "%s with spoofed headers: %d" % (path, resp.status_code)
        assert "evil" not in resp.text, "%s reflects a spoofed header: %r" % (path, resp.text[:300])
        assert json_body(resp) == plain, "%s changes with Host/X-Forwarded-* headers" % path


# ------------------------------------------------------------------------------ JWKS


def test_r81_jwks_public_only_unique_kids_sig_and_alg(ctx):
    keys = jwks(ctx)
    assert keys, "/jwks is empty"
    kids = [k.get("kid") for k in keys]
    assert all(isinstance(k, str) and k for k in kids), "a key without kid: %r" % kids
    assert len(set(kids)) == len(kids), "duplicate kids: %r" % kids
    for k in keys:
        leaked = [m for m in PRIVATE_JWK_MEMBERS if m in k]
        assert not leaked, "kid %s publishes private members %s" % (k["kid"], leaked)
        assert k.get("use") == "sig", "kid %s: use=%r" % (k["kid"], k.get("use"))
        assert k.get("alg") in ("RS256", "ES256", "EdDSA"), "kid %s: alg=%r" % (k["kid"], k.get("alg"))
        want = {"RS256": "RSA", "ES256": "EC", "EdDSA": "OKP"}[k["alg"]]
        assert k.get("kty") == want, "kid %s: alg %s with kty %r" % (k["kid"], k["alg"], k.get("kty"))
        if k["kty"] == "RSA":
            bits = int.from_bytes(b64url_decode(k["n"]), "big").bit_length()
            assert bits >= 2048, "kid %s: RSA modulus of %d bits" % (k["kid"], bits)
        elif k["kty"] == "EC":
            assert k.get("crv") == "P-256" and len(b64url_decode(k["x"])) == 32 \
                and len(b64url_decode(k["y"])) == 32, "kid %s: bad P-256 key" % k["kid"]
        else:
            assert k.get("crv") == "Ed25519" and len(b64url_decode(k["x"])) == 32, \
                "kid %s: bad Ed25519 key" % k["kid"]


def test_r81_jwks_publishes_each_active_algorithm(ctx):
    algs = {k.get("alg") for k in jwks(ctx)}
    for alg in ("RS256", "ES256", "EdDSA"):
        assert alg in algs, "no %s key in /jwks after keys rotate --alg %s --now" % (alg, alg)


def test_keys_sign_rs256_verifies_with_openssl(ctx):
    check_sign_and_verify(ctx, "RS256")


def test_keys_sign_es256_verifies_with_openssl(ctx):
    check_sign_and_verify(ctx, "ES256")


def test_keys_sign_eddsa_verifies_with_openssl(ctx):
    check_sign_and_verify(ctx, "EdDSA")


@once
def test_keys_sign_sets_typ_header(ctx):
    header, _, _, _ = sign(ctx, {"sub": "x"}, "ES256", typ="at+jwt")
    assert header.get("typ") == "at+jwt", "typ header %r" % header.get("typ")


# ---------------------------------------------------------------- the request layer


def test_authorization_basic_reaches_the_binary(ctx):
    since = ctx.web.log_size()
    resp = ctx.web.get("/jwks", headers={"Authorization": basic("it-client", "it-" + secrets.token_hex(8))})
    assert resp.status_code in (200, 401), resp.status_code
    line = ctx.web.wait_request_line(since, "GET", "/jwks")
    assert line is not None, "no request line in the error log; new log text: %r" % (
        ctx.web.read_log(since)[-1000:])
    assert line["auth"] == "basic", \
        "log line says auth=%s: the web server did not pass Authorization" % line["auth"]


def test_authorization_bearer_reaches_the_binary(ctx):
    since = ctx.web.log_size()
    resp = ctx.web.get("/jwks", headers={"Authorization": "Bearer it-" + secrets.token_hex(16)})
    assert resp.status_code in (200, 401), resp.status_code
    line = ctx.web.wait_request_line(since, "GET", "/jwks")
    assert line is not None, "no request line in the error log; new log text: %r" % (
        ctx.web.read_log(since)[-1000:])
    assert line["auth"] == "bearer", \
        "log line says auth=%s: the web server did not pass Authorization" % line["auth"]


def test_request_without_authorization_logs_auth_none(ctx):
    since = ctx.web.log_size()
    ctx.web.get("/jwks")
    line = ctx.web.wait_request_line(since, "GET", "/jwks")
    assert line is not None, "no request line in the error log"
    assert line["auth"] == "none", line


def test_secrets_in_requests_never_reach_the_log(ctx):
    since = ctx.web.log_size()
    password = "pw-" + secrets.token_hex(12)
    token = "tok-" + secrets.token_hex(16)
    code = "code-" + secrets.token_hex(12)
    cookie = "sess-" + secrets.token_hex(12)
    creds = basic("it-client", password)
    sends = (
        lambda: ctx.web.get("/jwks", headers={"Authorization": creds}),
        lambda: ctx.web.get("/jwks", headers={"Authorization": "Bearer " + token,
                                              "Cookie": "gh_session=" + cookie}),
        lambda: ctx.web.get("/no-such-endpoint?code=" + code),
        lambda: ctx.web.request("POST", "/token", data={"code": code, "client_secret": password}),
        lambda: ctx.web.raw("GET", "/jwks?x=%zz&code=" + code),
    )
    for send in sends:
        try:
            send()
        except requests.RequestException:
            pass        # a broken answer is other tests' business; this one reads the log
    time.sleep(0.3)
    text = ctx.web.read_log(since)
    for secret in (password, token, code, cookie, creds.split()[1]):
        assert secret not in text, "a secret value reached the error log: %r" % [
            l for l in text.splitlines() if secret in l][:2]


# What happens to a malformed query depends on the web server before Gatehouse sees
# it. Apache passes QUERY_STRING through untouched, so Gatehouse must answer 400 JSON
# invalid_request. lighttpd normalizes the request target first (its default
# server.http-parseopts): a "%" not followed by two hex digits becomes "%25", so
# Gatehouse receives a well-formed query; %00 (control characters) and bytes that can
# never occur in UTF-8 (%ff, %c0, %c1, %f5-%ff) get lighttpd's own 400 page.
LIGHTTPD_MALFORMED = {"%zz": "repaired", "%4": "repaired", "%00": "server-400",
                      "%ff": "server-400"}


def check_malformed_query(ctx, path, escape):
    target = path + "?x=a" + escape
    outcome = LIGHTTPD_MALFORMED.get(escape) if ctx.flavour == "lighttpd" else None
    if outcome == "server-400":
        resp = ctx.web.raw("GET", target, record=False)
        assert resp.status_code == 400, "lighttpd let %s through: %d" % (target, resp.status_code)
    elif outcome == "repaired":
        since = ctx.web.log_size()
        resp = ctx.web.raw("GET", target)
        assert resp.status_code == 200, "%s (which lighttpd repairs): %d %r" % (
            target, resp.status_code, resp.text[:200])
        assert ctx.web.wait_request_line(since, "GET", path) is not None
    else:
        assert_json_error(ctx.web.raw("GET", target), 400, "invalid_request")


def test_percent_zz_in_query_is_400_invalid_request(ctx):
    check_malformed_query(ctx, "/jwks", "%zz")
    check_malformed_query(ctx, OIDC, "%zz")


def test_percent_00_in_query_is_400_invalid_request(ctx):
    check_malformed_query(ctx, "/jwks", "%00")


def test_invalid_utf8_in_query_is_400_invalid_request(ctx):
    check_malformed_query(ctx, "/jwks", "%ff")
    check_malformed_query(ctx, "/jwks", "%c3%28")      # lead byte, no continuation
    check_malformed_query(ctx, "/jwks", "%80")         # continuation byte alone
    check_malformed_query(ctx, "/jwks", "%ed%a0%80")   # UTF-16 surrogate


def test_truncated_percent_escape_is_400_invalid_request(ctx):
    check_malformed_query(ctx, "/jwks", "%4")


def test_duplicate_query_parameter_is_400_invalid_request(ctx):
    assert_json_error(ctx.web.raw("GET", "/jwks?a=1&a=2"), 400, "invalid_request")
    assert_json_error(ctx.web.raw("GET", OIDC + "?x=1&y=2&x=1"), 400, "invalid_request")


def test_valid_utf8_query_is_accepted(ctx):
    resp = ctx.web.raw("GET", "/jwks?x=%c3%a9t%c3%a9&y=a+b")
    assert resp.status_code == 200, "a well-formed query was refused: %d %r" % (
        resp.status_code, resp.text[:200])


def test_oversize_post_body_is_413_json(ctx):
    body = "a=" + "x" * 65536       # Http.MaxBody + 2
    resp = ctx.web.request("POST", "/token", data=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(resp, 413)


def test_oversize_json_body_well_over_limit_is_413_json(ctx):
    body = '{"a":"' + "x" * 200000 + '"}'
    resp = ctx.web.request("POST", "/token", data=body,
                           headers={"Content-Type": "application/json"})
    assert_json_error(resp, 413)


def test_oversize_chunked_body_is_refused(ctx):
    """No Content-Length (Transfer-Encoding: chunked): the limit must hold on what is
    read, not on a declared length. (mod_fcgid and lighttpd buffer the body and set
    CONTENT_LENGTH; mod_cgid streams it without one.)"""
    def chunks():
        for _ in range(20):
            yield b"x" * 8192
    resp = ctx.web.request("POST", "/token", data=chunks(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json_error(resp, 413)


def test_body_at_the_limit_is_not_413(ctx):
    body = "a=" + "x" * (65536 - 2)
    resp = ctx.web.request("POST", "/token", data=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code != 413, "a body of exactly Http.MaxBody bytes was refused"
    assert resp.status_code < 500, resp.status_code


def test_unknown_path_is_404_json_not_found(ctx):
    assert_json_error(ctx.web.get("/no-such-endpoint"), 404, "not_found")
    assert_json_error(ctx.web.get("/jwks/extra"), 404, "not_found")
    assert_json_error(ctx.web.get(""), 404, "not_found")


def test_wrong_method_is_405_json_with_allow(ctx):
    for method, path in (("POST", "/jwks"), ("PUT", "/jwks"), ("DELETE", OIDC),
                         ("POST", RFC8414)):
        resp = ctx.web.request(method, path, data="a=b",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert_json_error(resp, 405)
        allow = [m.strip().upper() for m in resp.headers.get("Allow", "").split(",")]
        assert "GET" in allow, "%s %s: Allow header %r" % (method, path, resp.headers.get("Allow"))
        assert method not in allow


def test_r18_security_headers_on_successful_responses(ctx):
    for path, root in (("/jwks", False), (OIDC, False), (RFC8414, False),
                       (RFC8414 + "/oauth", True)):
        resp = ctx.web.get(path, root=root)
        assert resp.status_code == 200, (path, resp.status_code)
        assert_common_headers(resp)


def test_r15_pages_cannot_be_framed(ctx):
    """Every HTML page the binary serves refuses framing. Skipped until one exists."""
    seen = 0
    for path in ("/authorize", "/login", "/consent", "/logout", "/account",
                 "/authorize?client_id=nope&response_type=code"):
        resp = ctx.web.get(path)
        if resp.headers.get("Content-Type", "").lower().startswith("text/html"):
            seen += 1
            assert_not_frameable(resp)
            assert_common_headers(resp)
    if not seen:
        raise harness.Skip("no HTML page yet (authorize/login/consent/logout/account)")


def test_r14_no_cors_at_authorize(ctx):
    origin = {"Origin": "https://evil.example"}
    for method in ("OPTIONS", "GET"):
        resp = ctx.web.request(method, "/authorize",
                               headers=dict(origin, **{"Access-Control-Request-Method": "GET"}))
        assert resp.status_code < 500, resp.status_code
        for h in CORS_HEADERS:
            assert h not in resp.headers, "%s /authorize sends %s" % (method, h)


def test_no_cors_headers_for_an_unregistered_origin(ctx):
    """The public documents may say "*" (docs/tokens.md), never the origin itself nor
    credentials; everything else says nothing to an origin nobody registered."""
    origin = {"Origin": "https://evil.example"}
    public = (OIDC, RFC8414, "/jwks")
    for method, path in (("GET", OIDC), ("GET", RFC8414), ("GET", "/jwks"),
                         ("OPTIONS", "/jwks"), ("OPTIONS", "/token"), ("POST", "/token"),
                         ("GET", "/no-such-endpoint"), ("GET", "/jwks?x=%zz")):
        resp = ctx.web.raw(method, path, headers=dict(
            origin, **{"Access-Control-Request-Method": "POST"}))
        if path.split("?")[0] in public:
            assert resp.headers.get("Access-Control-Allow-Origin", "*") == "*", \
                "%s %s: %r" % (method, path, resp.headers["Access-Control-Allow-Origin"])
            assert "Access-Control-Allow-Credentials" not in resp.headers, (method, path)
            continue
        for h in CORS_HEADERS:
            assert h not in resp.headers, "%s %s with Origin sends %s: %r" % (
                method, path, h, resp.headers[h])


# --------------------------------------------------------------------- the database


def test_database_restart_503_during_outage_then_recovery(ctx):
    web, pg = ctx.web, ctx.pg
    since = web.log_size()
    # Busy workers first, each with its database connection.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        warm = list(pool.map(lambda _: web.get("/jwks").status_code, range(8)))
    assert all(s == 200 for s in warm), warm
    pg.stop()
    try:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            during = list(pool.map(lambda _: web.get("/jwks"), range(8)))
        web.expected_5xx += sum(1 for r in during if r.status_code >= 500)
        for r in during:
            assert_json_error(r, 503)
        # Pure-configuration documents need no database.
        r = web.get(OIDC)
        web.expected_5xx += r.status_code == 503
        assert r.status_code in (200, 503), r.status_code
    finally:
        pg.start()
    up = time.monotonic()
    recovered = None
    while time.monotonic() - up < 10:
        r = web.get("/jwks")
        if r.status_code == 200:
            recovered = time.monotonic() - up
            break
        web.expected_5xx += r.status_code >= 500
        time.sleep(0.2)
    assert recovered is not None, "still no 200 from /jwks 10 s after PostgreSQL came back"
    assert recovered < 5, "recovery took %.1f s" % recovered
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        after = list(pool.map(lambda _: web.get("/jwks").status_code, range(24)))
    assert all(s == 200 for s in after), "after recovery: %r" % after
    crashes = web.crash_lines(since)
    assert not crashes, "crash lines in the error log:\n" + "\n".join(crashes[:10])


# ------------------------------------------------------------------- key rotation


def test_key_rotation_publishes_first_and_signs_after_the_delay(ctx):
    before = {k["kid"] for k in jwks(ctx)}
    old_kid = sign(ctx, {"sub": "before"}, "ES256")[0]["kid"]
    assert old_kid in before
    p = ctx.cli("keys", "rotate", "--alg", "ES256", "--delay", "2")
    rotated = time.monotonic()
    assert p.returncode == 0, "keys rotate exited %d: %s" % (p.returncode, p.stderr)
    after = {k["kid"]: k for k in jwks(ctx)}
    new = set(after) - before
    assert len(new) == 1, "expected one new kid in /jwks right after rotate, got %r" % new
    new_kid = new.pop()
    assert after[new_kid].get("alg") == "ES256"
    header = sign(ctx, {"sub": "during"}, "ES256")[0]
    if time.monotonic() - rotated < 1.5:
        assert header["kid"] == old_kid, \
            "keys sign used %r during the activation delay (old %r, new %r)" % (
                header["kid"], old_kid, new_kid)
    time.sleep(max(0, rotated + 3.0 - time.monotonic()))
    header, _, signing_input, sig = sign(ctx, {"sub": "after"}, "ES256")
    assert header["kid"] == new_kid, \
        "after the delay keys sign used %r, wanted the new %r" % (header["kid"], new_kid)
    published = {k["kid"]: k for k in jwks(ctx)}
    assert old_kid in published, "the old kid left /jwks as soon as the new one signed"
    assert new_kid in published
    ok, out = openssl_verify(ctx, "ES256", jwk_to_pem(published[new_kid]), signing_input, sig)
    assert ok, out


# ---------------------------------------------------------------- command line


@once
def test_r20_check_config_reports_http_issuer_and_unreadable_key_in_one_run(ctx):
    bad = harness.write_config(ctx.tmp("bad.hdf"), "http://auth.example.com/oauth", ctx.pg,
                               ctx.tree, ctx.tmp("no-such-dir/gatehouse.key"))
    p = ctx.cli("check-config", config=bad)
    out = p.stdout + p.stderr
    assert p.returncode != 0, "check-config passed a bad configuration: %r" % out
    assert "Issuer" in out, "check-config did not report the http issuer: %r" % out
    assert "EncryptionKeyFile" in out, "check-config did not report the key file: %r" % out


@once
def test_check_config_passes_on_the_test_configuration(ctx):
    p = ctx.cli("check-config", config=ctx.web.config_path)
    assert p.returncode == 0, "check-config exited %d: %s%s" % (p.returncode, p.stdout, p.stderr)


@once
def test_migrate_twice_is_harmless(ctx):
    kids = sorted(k["kid"] for k in jwks(ctx))
    count = ctx.pg.psql("SELECT count(*) FROM gatehouse.schema_migrations")
    for _ in range(2):
        p = ctx.cli("migrate")
        assert p.returncode == 0, "migrate exited %d: %s" % (p.returncode, p.stderr)
    assert ctx.pg.psql("SELECT count(*) FROM gatehouse.schema_migrations") == count
    assert sorted(k["kid"] for k in jwks(ctx)) == kids, "migrate changed the published keys"


# ------------------------------------------------- whole-run checks (keep these last)


def test_r18_every_response_seen_had_the_security_headers(ctx):
    """Every response this flavour's tests received came with nosniff and no-referrer
    (and anti-framing for pages)."""
    bad = []
    for resp in list(ctx.web.responses):
        try:
            assert_common_headers(resp)
        except AssertionError as e:
            bad.append(str(e))
    assert not bad, "%d responses without the headers, e.g.:\n%s" % (len(bad), "\n".join(bad[:8]))


def test_no_unexpected_5xx_in_the_access_log(ctx):
    statuses = ctx.web.access_statuses()
    n5xx = sum(1 for s in statuses if s >= 500)
    assert n5xx <= ctx.web.expected_5xx, \
        "%d 5xx answers, %d provoked on purpose (database outage)" % (n5xx, ctx.web.expected_5xx)


def test_error_log_has_no_crash_lines(ctx):
    crashes = ctx.web.crash_lines()
    assert not crashes, "crash lines:\n" + "\n".join(crashes[:10])
