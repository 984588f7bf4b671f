// Introspection and revocation with Node's openid-client v6, for test_tokens_admin.py.
//
//   node oidc_tokens_admin.mjs '{"issuer": ..., "client_id": ..., "client_secret": ...,
//                                "auth_method": "client_secret_basic|client_secret_post|none",
//                                "action": "introspect" | "revoke", "token": ...,
//                                "hint": "access_token" | "refresh_token" | null}'
//
// Discovery (which must name the endpoint), then tokenIntrospection or tokenRevocation,
// the library checking the answer (RFC 7662: a JSON object with a boolean active;
// RFC 7009: 200). Prints one JSON line {"ok": true, "answer": ...}; any failure prints
// {"ok": false, "error": ..., "step": ...} and exits 1.
//
// openid-client comes from var/node (dev/deps --test installs it there), or from the
// prefix in $GATEHOUSE_NODE_PREFIX.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 18 (Debian 12's) has WebCrypto but not as a global, which openid-client needs.
if (!globalThis.crypto) globalThis.crypto = (await import('node:crypto')).webcrypto;

const here = dirname(fileURLToPath(import.meta.url));
const prefix = process.env.GATEHOUSE_NODE_PREFIX || resolve(here, '../../var/node');
const client = await import(
  pathToFileURL(createRequire(prefix + '/').resolve('openid-client')).href);

const methods = {
  client_secret_basic: (o) => client.ClientSecretBasic(o.client_secret),
  client_secret_post: (o) => client.ClientSecretPost(o.client_secret),
  none: () => client.None(),
};
const actions = {
  introspect: (config, token, params) => client.tokenIntrospection(config, token, params),
  revoke: async (config, token, params) => {
    await client.tokenRevocation(config, token, params);
    return null;
  },
};

let step = 'arguments';
try {
  const opts = JSON.parse(process.argv[2]);
  step = 'discovery';
  const config = await client.discovery(new URL(opts.issuer), opts.client_id, undefined,
    methods[opts.auth_method](opts), { execute: [client.allowInsecureRequests] });
  step = opts.action;
  const params = opts.hint ? { token_type_hint: opts.hint } : {};
  const answer = await actions[opts.action](config, opts.token, params);
  process.stdout.write(JSON.stringify({ ok: true, answer }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({
    ok: false, step, error: String(e && e.message || e), code: e && e.code || null,
  }) + '\n');
  process.exitCode = 1;
}
