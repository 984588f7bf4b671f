// bench/oidc/server.mjs: node oidc-provider 9 over PostgreSQL, the comparison server
// that bench/run drives with wrk beside Gatehouse. It is not a Gatehouse component.
//
//   node server.mjs [--port 4100] [--pg CONNINFO] [--out DIR] [--prepare N]
//                   [--pool 10] [--rotate-refresh]
//
// Each option may also come from the environment: PORT, PGURL, OUT, PREPARE, POOL,
// ROTATE_REFRESH=1. CONNINFO is a postgresql:// URL or key=value words (host, port,
// dbname, user, password); without one, pg reads PGHOST, PGPORT, ... The adapter stores one row per model instance, the way the adapters
// in oidc-provider's examples do, each statement in its own (autocommitted)
// transaction: an opaque access token costs one INSERT, as in Gatehouse. With
// --prepare N it makes N authorization codes and N refresh tokens through the
// provider's own models and writes OUT/codes.txt, OUT/refresh.txt and
// OUT/access_token.txt; it always writes OUT/requests.json (each scenario's exact
// request). Once all that is done and it listens, it prints
// "READY http://127.0.0.1:PORT" on stdout; SIGTERM or SIGINT stops it cleanly.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

// The packages live where bench/oidc/setup installed them (var/bench-node), outside
// the source tree; BENCH_NODE names another prefix.
const here = path.dirname(fileURLToPath(import.meta.url));
const prefix = process.env.BENCH_NODE ?? path.resolve(here, '../../var/bench-node');
const requireFrom = createRequire(path.join(prefix, 'package.json'));
const load = async (name) => (await import(pathToFileURL(requireFrom.resolve(name)))).default;
const Provider = await load('oidc-provider');
const pg = await load('pg');

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4100' },
    pg: { type: 'string', default: process.env.PGURL ?? '' },
    out: { type: 'string', default: process.env.OUT ?? '.' },
    prepare: { type: 'string', default: process.env.PREPARE ?? '0' },
    pool: { type: 'string', default: process.env.POOL ?? '10' },
    'rotate-refresh': { type: 'boolean', default: process.env.ROTATE_REFRESH === '1' },
  },
});

function positive(name, text, min) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`--${name} must be an integer >= ${min}, not "${text}"`);
  }
  return n;
}

const PORT = positive('port', opt.port, 1);
const PREPARE = positive('prepare', opt.prepare, 0);
const POOL = positive('pool', opt.pool, 1);
const ISSUER = `http://127.0.0.1:${PORT}`;
const ACCOUNT = 'bench-user';
const REDIRECT_URI = 'http://127.0.0.1/cb';
const CODE_SCOPE = 'openid offline_access';
// Prepared codes must outlive the scenarios run before theirs; oidc-provider's
// default of 60 s would expire them. The TTL only sets exp and expires_at.
const CODE_TTL = 24 * 60 * 60;
const RESOURCE = {
  'bench-jwt': 'https://rs.bench.invalid/rs256',
  'bench-jwt-es256': 'https://rs.bench.invalid/es256',
};
const RESOURCE_ALG = {
  [RESOURCE['bench-jwt']]: 'RS256',
  [RESOURCE['bench-jwt-es256']]: 'ES256',
};
const SECRETS = {
  'bench-opaque': 'bench-opaque-secret-0123456789abcdef',
  'bench-jwt': 'bench-jwt-secret-0123456789abcdef',
  'bench-jwt-es256': 'bench-jwt-es256-secret-0123456789abcdef',
  'bench-code': 'bench-code-secret-0123456789abcdef',
};

// ---------------------------------------------------------------- PostgreSQL adapter

function pgConfig(conninfo) {
  if (!conninfo || conninfo.includes('://')) return { connectionString: conninfo || undefined };
  const names = { host: 'host', port: 'port', dbname: 'database', user: 'user', password: 'password' };
  const config = {};
  for (const word of conninfo.trim().split(/\s+/)) {
    const eq = word.indexOf('=');
    const key = names[word.slice(0, eq)];
    if (eq < 1 || !key) throw new Error(`--pg: cannot use "${word}" (host, port, dbname, user, password)`);
    config[key] = word.slice(eq + 1);
  }
  return config;
}

const pool = new pg.Pool({ ...pgConfig(opt.pg), max: POOL });
pool.on('error', (err) => console.error('pg pool:', err.message));

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oidc_payloads (
  id          text NOT NULL,
  type        text NOT NULL,
  payload     jsonb NOT NULL,
  grant_id    text,
  user_code   text,
  uid         text,
  expires_at  timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (id, type)
);
CREATE INDEX IF NOT EXISTS oidc_payloads_grant_id ON oidc_payloads (grant_id)
  WHERE grant_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_payloads_user_code ON oidc_payloads (user_code)
  WHERE user_code IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_payloads_uid ON oidc_payloads (uid)
  WHERE uid IS NOT NULL;
`;

// Named statements: pg prepares each once per connection, as Gatehouse does.
const SQL = {
  upsert: `INSERT INTO oidc_payloads (id, type, payload, grant_id, user_code, uid, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (id, type) DO UPDATE SET payload = EXCLUDED.payload,
             grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
             uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
  find: 'SELECT payload, consumed_at FROM oidc_payloads WHERE id = $1 AND type = $2',
  findByUid: 'SELECT payload, consumed_at FROM oidc_payloads WHERE uid = $1 AND type = $2',
  findByUserCode: `SELECT payload, consumed_at FROM oidc_payloads
                   WHERE user_code = $1 AND type = $2`,
  consume: 'UPDATE oidc_payloads SET consumed_at = now() WHERE id = $1 AND type = $2',
  destroy: 'DELETE FROM oidc_payloads WHERE id = $1 AND type = $2',
  revokeByGrantId: 'DELETE FROM oidc_payloads WHERE grant_id = $1 AND type = $2',
};

function run(name, values) {
  return pool.query({ name, text: SQL[name], values });
}

function expiresAt(expiresIn) {
  return expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
}

function row(result) {
  const r = result.rows[0];
  if (!r) return undefined;
  return r.consumed_at ? { ...r.payload, consumed: true } : r.payload;
}

class PgAdapter {
  // While set (by prepare()), upserts are collected here and written in batches.
  static batch = null;

  constructor(name) {
    this.name = name;
  }

  async upsert(id, payload, expiresIn) {
    const values = [id, this.name, payload, payload.grantId ?? null,
      payload.userCode ?? null, payload.uid ?? null, expiresAt(expiresIn)];
    if (PgAdapter.batch) {
      PgAdapter.batch.push(values);
      return;
    }
    await run('upsert', values);
  }

  async find(id) {
    return row(await run('find', [id, this.name]));
  }

  async findByUid(uid) {
    return row(await run('findByUid', [uid, this.name]));
  }

  async findByUserCode(userCode) {
    return row(await run('findByUserCode', [userCode, this.name]));
  }

  async consume(id) {
    await run('consume', [id, this.name]);
  }

  async destroy(id) {
    await run('destroy', [id, this.name]);
  }

  async revokeByGrantId(grantId) {
    await run('revokeByGrantId', [grantId, this.name]);
  }
}

// Writes the rows that prepare() collects, in one transaction on one connection,
// CHUNK rows per statement (passed as one JSON array, which PostgreSQL parses faster
// than pg encodes text[] arrays). At most one chunk is in flight while the next one is
// made, so PostgreSQL inserts on one core while node builds tokens on the other.
const CHUNK = 4000;

class BatchWriter {
  constructor(client) {
    this.client = client;
    this.rows = [];
    this.pending = Promise.resolve();
    this.count = 0;
  }

  async begin() {
    await this.client.query('BEGIN');
    PgAdapter.batch = this.rows;
  }

  send() {
    const rows = this.rows.splice(0);
    this.count += rows.length;
    const json = JSON.stringify(rows.map((v) => [...v.slice(0, 6), v[6] && v[6].getTime() / 1000]));
    this.pending = this.client.query(
      `INSERT INTO oidc_payloads (id, type, payload, grant_id, user_code, uid, expires_at)
       SELECT r->>0, r->>1, (r->2)::jsonb, r->>3, r->>4, r->>5, to_timestamp((r->>6)::float8)
       FROM json_array_elements($1::json) AS r`,
      [json],
    );
    this.pending.catch(() => {}); // awaited (and thrown) by the next maybeSend or commit
  }

  // Called between tokens: sends a full chunk once the previous one is written.
  async maybeSend() {
    if (this.rows.length < CHUNK) return;
    await this.pending;
    this.send();
  }

  async commit() {
    PgAdapter.batch = null;
    await this.pending;
    if (this.rows.length) this.send();
    await this.pending;
    await this.client.query('COMMIT');
  }

  async rollback() {
    PgAdapter.batch = null;
    await this.pending.catch(() => {});
    await this.client.query('ROLLBACK').catch(() => {});
  }
}

// ---------------------------------------------------------------- provider

function signingKeys() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return [
    { ...rsa.export({ format: 'jwk' }), kid: 'bench-rs256', alg: 'RS256', use: 'sig' },
    { ...ec.export({ format: 'jwk' }), kid: 'bench-es256', alg: 'ES256', use: 'sig' },
  ];
}

const clientCredentialsClient = (id) => ({
  client_id: id,
  client_secret: SECRETS[id],
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
});

const configuration = {
  adapter: PgAdapter,
  clients: [
    clientCredentialsClient('bench-opaque'),
    clientCredentialsClient('bench-jwt'),
    clientCredentialsClient('bench-jwt-es256'),
    {
      client_id: 'bench-code',
      client_secret: SECRETS['bench-code'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      scope: CODE_SCOPE,
    },
  ],
  jwks: { keys: signingKeys() },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  responseTypes: ['code'],
  scopes: ['openid', 'offline_access', 'api'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  async findAccount(_ctx, sub) {
    if (sub !== ACCOUNT) return undefined;
    return {
      accountId: ACCOUNT,
      async claims() {
        return { sub: ACCOUNT, email: 'bench@example.invalid', email_verified: true };
      },
    };
  },
  // OAuth 2.1 and Gatehouse require PKCE for every code flow; oidc-provider 9 by
  // default requires it of public clients only.
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async () => true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // The client_credentials body stays "grant_type=client_credentials": the
      // client decides the resource server, and with it the token format.
      async defaultResource(ctx, client, oneOf) {
        if (oneOf) return oneOf;
        return RESOURCE[client.clientId];
      },
      async useGrantedResource() {
        return false;
      },
      async getResourceServerInfo(_ctx, resource) {
        const alg = RESOURCE_ALG[resource];
        if (!alg) throw new Provider.errors.InvalidTarget();
        return {
          scope: 'api',
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg } },
        };
      },
    },
  },
  clientBasedCORS: () => false,
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: CODE_TTL,
    ClientCredentials: 600,
    IdToken: 3600,
    RefreshToken: 14 * 24 * 60 * 60,
    Grant: 14 * 24 * 60 * 60,
    Session: 14 * 24 * 60 * 60,
    Interaction: 60 * 60,
  },
  // Default: a confidential client's refresh token is rotated only once 70% of its
  // lifetime has passed. --rotate-refresh rotates on every use, as Gatehouse does.
  ...(opt['rotate-refresh'] ? { rotateRefreshToken: true } : {}),
};

// ---------------------------------------------------------------- prepared tokens

function pkcePair() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

async function newGrant(provider, client, scope) {
  const grant = new provider.Grant({ accountId: ACCOUNT, clientId: client.clientId });
  grant.addOIDCScope(scope);
  return grant.save();
}

// Code i and refresh token i share a grant, as a refresh token shares the grant of the
// code it came from: three rows per i. Everything is written in one transaction.
async function prepare(provider, n, out) {
  const started = Date.now();
  const client = await provider.Client.find('bench-code');
  const authTime = Math.floor(Date.now() / 1000);
  const codes = [];
  const refresh = [];
  const conn = await pool.connect();
  const writer = new BatchWriter(conn);
  try {
    await writer.begin();
    for (let i = 0; i < n; i += 1) {
      const grantId = await newGrant(provider, client, CODE_SCOPE);
      const { verifier, challenge } = pkcePair();
      const code = new provider.AuthorizationCode({
        accountId: ACCOUNT,
        client,
        grantId,
        redirectUri: REDIRECT_URI,
        scope: CODE_SCOPE,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        authTime,
        expiresWithSession: false,
      });
      codes.push(`${await code.save()} ${verifier}`);
      const rt = new provider.RefreshToken({
        accountId: ACCOUNT,
        client,
        grantId,
        scope: CODE_SCOPE,
        authTime,
        gty: 'authorization_code',
        rotations: 0,
        expiresWithSession: false,
      });
      refresh.push(await rt.save());
      await writer.maybeSend();
    }
    // One long-lived access token for the introspection and userinfo scenarios.
    const at = new provider.AccessToken({
      accountId: ACCOUNT,
      client,
      grantId: await newGrant(provider, client, 'openid email'),
      scope: 'openid email',
      gty: 'authorization_code',
      expiresWithSession: false,
      expiresIn: 24 * 60 * 60,
    });
    const accessToken = await at.save();
    await writer.commit();
    fs.writeFileSync(path.join(out, 'codes.txt'), codes.length ? `${codes.join('\n')}\n` : '');
    fs.writeFileSync(path.join(out, 'refresh.txt'),
      refresh.length ? `${refresh.join('\n')}\n` : '');
    fs.writeFileSync(path.join(out, 'access_token.txt'), `${accessToken}\n`);
    console.error(`prepared ${n} codes and ${n} refresh tokens (${writer.count} rows) `
      + `in ${Date.now() - started} ms`);
    return accessToken;
  } catch (err) {
    await writer.rollback();
    throw err;
  } finally {
    conn.release();
  }
}

function basic(id) {
  // RFC 6749 2.3.1: form-encode id and secret, then base64 "id:secret".
  const enc = (s) => encodeURIComponent(s);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(SECRETS[id])}`).toString('base64')}`;
}

function requests(accessToken) {
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const token = (id, body, extra = {}) => ({
    method: 'POST', path: '/token', headers: { Authorization: basic(id), ...form }, body, ...extra,
  });
  return {
    issuer: ISSUER,
    note: 'body placeholders {code} {verifier} {refresh_token} take one line of the named '
      + 'file each (codes.txt: "code verifier"); every line is used once',
    scenarios: {
      discovery: { method: 'GET', path: '/.well-known/openid-configuration', headers: {} },
      jwks: { method: 'GET', path: '/jwks', headers: {} },
      client_credentials_opaque: token('bench-opaque', 'grant_type=client_credentials'),
      client_credentials_jwt_rs256: token('bench-jwt', 'grant_type=client_credentials'),
      client_credentials_jwt_es256: token('bench-jwt-es256', 'grant_type=client_credentials'),
      code_exchange: token('bench-code',
        'grant_type=authorization_code&code={code}&code_verifier={verifier}'
        + `&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
        { file: 'codes.txt', fields: ['code', 'verifier'] }),
      refresh: token('bench-code', 'grant_type=refresh_token&refresh_token={refresh_token}',
        { file: 'refresh.txt', fields: ['refresh_token'] }),
      ...(accessToken ? {
        introspection: {
          method: 'POST',
          path: '/token/introspection',
          headers: { Authorization: basic('bench-code'), ...form },
          body: `token=${accessToken}`,
        },
        userinfo: {
          method: 'GET', path: '/me', headers: { Authorization: `Bearer ${accessToken}` },
        },
      } : {}),
    },
  };
}

// ---------------------------------------------------------------- main

// Listens first, so that a port in use fails at once, then prepares, then says READY.
async function main() {
  await pool.query(SCHEMA);
  const provider = new Provider(ISSUER, configuration);
  provider.on('server_error', (_ctx, err) => console.error('server_error:', err));

  const server = http.createServer(provider.callback());
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT, '127.0.0.1', resolve);
  });
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping`);
    setTimeout(() => process.exit(0), 2000).unref();
    server.close(() => pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  fs.mkdirSync(opt.out, { recursive: true });
  const accessToken = PREPARE > 0 ? await prepare(provider, PREPARE, opt.out) : undefined;
  fs.writeFileSync(path.join(opt.out, 'requests.json'),
    `${JSON.stringify(requests(accessToken), null, 2)}\n`);
  console.log(`READY ${ISSUER}`);
}

main().catch((err) => {
  console.error(`bench/oidc/server.mjs: ${err.stack ?? err}`);
  process.exit(1);
});
