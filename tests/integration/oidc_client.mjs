// The relying-party half of the code flow with Node's openid-client v6, for test_flow.py.
//
//   node oidc_client.mjs '{"issuer": ..., "client_id": ..., "client_secret": ...,
//                          "auth_method": "client_secret_basic|client_secret_post|none",
//                          "redirect_uri": ..., "scope": ...}'
//
// 1. discovery, then prints one JSON line {"authorization_url", "state", "nonce"};
// 2. reads one line from stdin: the URL the browser was redirected to (code, state, iss);
// 3. exchanges the code (PKCE S256), with the id_token's signature checked against the
//    JWKS (enableNonRepudiationChecks) and its claims, nonce and iss checked by the
//    library, fetches userinfo, and prints one JSON line {"ok": true, ...}.
// Any failure prints {"ok": false, "error": ..., "step": ...} and exits 1.
//
// openid-client comes from var/node (dev/deps --test installs it there), or from the
// prefix in $GATEHOUSE_NODE_PREFIX.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 18 (Debian 12's) has WebCrypto but not as a global, which openid-client needs.
if (!globalThis.crypto) globalThis.crypto = (await import('node:crypto')).webcrypto;

const here = dirname(fileURLToPath(import.meta.url));
const prefix = process.env.GATEHOUSE_NODE_PREFIX || resolve(here, '../../var/node');
const client = await import(
  pathToFileURL(createRequire(prefix + '/').resolve('openid-client')).href);

let step = 'arguments';
function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function readLine() {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  throw new Error('no callback URL on stdin');
}

function auth(opts) {
  switch (opts.auth_method) {
    case 'client_secret_basic': return client.ClientSecretBasic(opts.client_secret);
    case 'client_secret_post': return client.ClientSecretPost(opts.client_secret);
    case 'none': return client.None();
    default: throw new Error('unknown auth_method ' + opts.auth_method);
  }
}

try {
  const opts = JSON.parse(process.argv[2]);
  step = 'discovery';
  const config = await client.discovery(new URL(opts.issuer), opts.client_id, undefined,
    auth(opts), { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] });
  const meta = config.serverMetadata();

  step = 'authorization url';
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: opts.redirect_uri,
    scope: opts.scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  out({ authorization_url: url.href, state, nonce });

  step = 'callback';
  const callback = new URL(await readLine());

  step = 'token';
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const header = JSON.parse(
    Buffer.from(tokens.id_token.split('.')[0], 'base64url').toString());

  step = 'userinfo';
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);

  out({
    ok: true,
    issuer: meta.issuer,
    iss_parameter_supported: meta.authorization_response_iss_parameter_supported ?? null,
    token_type: tokens.token_type,
    expires_in: tokens.expires_in ?? null,
    scope: tokens.scope ?? null,
    has_refresh_token: typeof tokens.refresh_token === 'string',
    id_token_header: header,
    claims,
    userinfo,
  });
} catch (e) {
  out({ ok: false, step, error: String(e && e.message || e), code: e && e.code || null,
        cause: e && e.cause ? String(e.cause.message || JSON.stringify(e.cause)) : null });
  process.exitCode = 1;
}
