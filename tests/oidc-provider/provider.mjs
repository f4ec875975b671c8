// A real OpenID provider (npm `oidc-provider`) standing in for Vipps Login in
// local runs and tests: loopback only, one confidential client, one invented
// user, the Vipps URL layout. See README.md for the forms a browser fills in.
//
//   node tests/oidc-provider/provider.mjs --port 0 --redirect-uri http://127.0.0.1:8080/
//
// Prints one JSON line {"issuer": "...", "port": N} when ready; exits on SIGTERM/SIGINT.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

// stdout carries exactly one line, the ready line; the provider's notices go to stderr.
console.log = console.info = console.warn = console.error;

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
  },
});

const port = Number(args.port ?? process.env.OIDC_PORT ?? 0);
const redirectUris = args['redirect-uri'] ?? (process.env.OIDC_REDIRECT_URIS ?? 'http://127.0.0.1:8080/').split(',');
const clientId = args['client-id'] ?? process.env.OIDC_CLIENT_ID ?? 'id-capture-local';
const clientSecret = args['client-secret'] ?? process.env.OIDC_CLIENT_SECRET ?? 'local-test-secret-not-for-production';

// Like Vipps: the issuer ends in /access/, endpoints live below it, userinfo elsewhere.
const MOUNT = '/access';
const USERINFO_PATH = '/vipps-userinfo-api/userinfo';

// The invented test user. Any login name signs in as this person (sub = login name).
const TEST_PERSON = {
  name: 'Kari Nordmann-Testesen',
  given_name: 'Kari',
  family_name: 'Nordmann-Testesen',
  birthdate: '1988-04-17',
  // Vipps can release these too; the registry must never keep them.
  email: 'kari.nordmann-testesen@example.invalid',
  phone_number: '4712345678',
};

// How often each endpoint was asked, for tests that prove caching and single use:
// GET /test/counts → {"discovery": n, "jwks": n, "token": n}.
const counts = { discovery: 0, jwks: 0, token: 0 };
const COUNTED = {
  [`${MOUNT}/.well-known/openid-configuration`]: 'discovery',
  [`${MOUNT}/.well-known/jwks.json`]: 'jwks',
  [`${MOUNT}/oauth2/token`]: 'token',
};

let providerCallback;
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const counted = COUNTED[url.split('?')[0]];
  if (counted) counts[counted] += 1;
  if (url === '/test/counts') {
    return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts));
  }
  // oidc-provider derives its mount path from originalUrl minus url.
  if (url === MOUNT || url.startsWith(`${MOUNT}/`) || url.startsWith(`${MOUNT}?`)) {
    req.originalUrl = url;
    req.url = url.slice(MOUNT.length) || '/';
    return providerCallback(req, res);
  }
  if (url === USERINFO_PATH || url.startsWith(`${USERINFO_PATH}?`)) {
    req.originalUrl = url;
    req.url = `/userinfo${url.slice(USERINFO_PATH.length)}`;
    return providerCallback(req, res);
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
});

server.listen(port, '127.0.0.1', () => {
  const actualPort = server.address().port;
  const origin = `http://127.0.0.1:${actualPort}`;
  const issuer = `${origin}${MOUNT}/`;

  // A fresh signing key per run: nobody else holds it.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'name', 'birthDate', 'email', 'phoneNumber'],
    claims: {
      openid: ['sub'],
      name: ['name', 'given_name', 'family_name'],
      birthDate: ['birthdate'],
      email: ['email'],
      phoneNumber: ['phone_number'],
    },
    // Claims come from userinfo (as the registry reads them), not the ID token.
    conformIdTokenClaims: true,
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    features: {
      devInteractions: { enabled: true },
      userinfo: { enabled: true },
    },
    routes: {
      authorization: '/oauth2/auth',
      token: '/oauth2/token',
      jwks: '/.well-known/jwks.json',
      userinfo: '/userinfo',
    },
    async findAccount(ctx, sub) {
      return { accountId: sub, async claims() { return { sub, ...TEST_PERSON }; } };
    },
  });

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.body && typeof ctx.body === 'object') {
      ctx.body = { ...ctx.body, userinfo_endpoint: `${origin}${USERINFO_PATH}` };
    }
    // The dev login page imports a web font from Google: keep the browser off the network.
    if (typeof ctx.body === 'string' && ctx.response.is('html')) {
      ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);/g, '');
    }
  });

  providerCallback = provider.callback();
  process.stdout.write(`${JSON.stringify({ issuer, port: actualPort })}\n`);
});

function shutDown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', shutDown);
process.on('SIGINT', shutDown);
