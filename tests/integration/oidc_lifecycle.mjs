// Refresh and client credentials with Node's openid-client v6, for test_lifecycle.py.
//
//   node oidc_lifecycle.mjs '{"issuer": ..., "client_id": ..., "client_secret": ...,
//                             "auth_method": "client_secret_basic|client_secret_post|none",
//                             "grant": "refresh_token" | "client_credentials",
//                             "refresh_token": ..., "scope": ...}'
//
// Discovery, then one token request: refreshTokenGrant (an id_token in the answer is
// checked by the library: signature against the JWKS with enableNonRepudiationChecks,
// iss, aud, azp, exp, iat) or clientCredentialsGrant with the scope. Prints one JSON
// line (oidc_lib.mjs) with what came back.
import { client, discover, run } from './oidc_lib.mjs';

const grants = {
  refresh_token: (config, opts, params) =>
    client.refreshTokenGrant(config, opts.refresh_token, params),
  client_credentials: (config, opts, params) => client.clientCredentialsGrant(config, params),
};

await run(async (opts, state) => {
  state.step = 'discovery';
  const config = await discover(opts, [client.enableNonRepudiationChecks]);
  state.step = opts.grant;
  const tokens = await grants[opts.grant](config, opts, opts.scope ? { scope: opts.scope } : {});
  return {
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    expires_in: tokens.expires_in ?? null,
    scope: tokens.scope ?? null,
    refresh_token: tokens.refresh_token ?? null,
    claims: tokens.id_token ? tokens.claims() : null,
  };
});
