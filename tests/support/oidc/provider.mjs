// A real OpenID Connect provider (panva's oidc-provider, OpenID-certified) for the SSO tests.
//
//   node tests/support/oidc/provider.mjs CONFIG.json
//
// CONFIG.json: {"client_id", "client_secret", "redirect_uris": [...], "accounts_file": "...",
//               "claims": {"scope": ["claim", ...], ...}}
// The accounts file maps each sub to its claims and is read again at every lookup, so a test
// can change what the provider asserts (new roles, another department) between two sign-ins.
//
// Listens on 127.0.0.1 on a free port, then prints one JSON line {"issuer": "http://127.0.0.1:PORT"}
// on stdout; exits when stdin closes. Sign-in uses the provider's own development login and
// consent pages (any login name is accepted; the test types the sub). PKCE is required of our
// confidential client too.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function accounts() {
  return JSON.parse(readFileSync(config.accounts_file, 'utf8'));
}

async function findAccount(_ctx, sub) {
  const claims = accounts()[sub];
  if (!claims) return undefined;
  return { accountId: sub, claims: async () => ({ ...claims, sub }) };
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: config.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    claims: config.claims,
    findAccount,
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref(); // open keep-alive connections must not hold us
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, stop);
// The test run holds our stdin open: when it ends, even killed, so do we (no orphaned provider).
process.stdin.on('end', stop);
process.stdin.resume();
