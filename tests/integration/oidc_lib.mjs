// What the openid-client scripts of the integration tests share: loading openid-client
// v6, client authentication by method, discovery, and the one-JSON-line protocol.
//
//   import { client, discover, run } from './oidc_lib.mjs';
//   await run(async (opts, state) => { state.step = '...'; ...; return { ... }; });
//
// run() parses the options (JSON, the first argument) and prints one line: {"ok": true,
// ...what the body returned} or {"ok": false, "step", "error", "code", "cause"} with
// exit status 1.
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
export const client = await import(
  pathToFileURL(createRequire(prefix + '/').resolve('openid-client')).href);

const methods = {
  client_secret_basic: (o) => client.ClientSecretBasic(o.client_secret),
  client_secret_post: (o) => client.ClientSecretPost(o.client_secret),
  none: () => client.None(),
};

// opts: issuer, client_id, client_secret, auth_method. execute: more openid-client
// options (enableNonRepudiationChecks...) besides allowing the tests' http issuer.
export function discover(opts, execute = []) {
  const method = methods[opts.auth_method];
  if (!method) throw new Error('unknown auth_method ' + opts.auth_method);
  return client.discovery(new URL(opts.issuer), opts.client_id, undefined, method(opts),
    { execute: [client.allowInsecureRequests, ...execute] });
}

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

export async function run(body) {
  const state = { step: 'arguments' };
  try {
    const opts = JSON.parse(process.argv[2]);
    out({ ok: true, ...await body(opts, state) });
  } catch (e) {
    out({ ok: false, step: state.step, error: String(e && e.message || e),
          code: e && e.code || null,
          cause: e && e.cause ? String(e.cause.message || JSON.stringify(e.cause)) : null });
    process.exitCode = 1;
  }
}
