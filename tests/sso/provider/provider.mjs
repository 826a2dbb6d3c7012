// A real OpenID Connect provider for the portal's single sign-on tests, on loopback only.
//
// panva's oidc-provider (OpenID Certified) with a throwaway configuration read from the
// OPB_OIDC_CONFIG environment variable (JSON, written by tests/sso/conftest.py):
//   { "port": 0, "clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//     "accounts": {"<login>": {password, email, email_verified, name, groups, amr, acr}} }
// It prints one line, `listening <issuer>`, once it answers.
//
// The sign-in page is ours (a username and a password, checked against the accounts above), so
// that the login result can carry the account's `amr` and `acr` as a real provider's MFA does;
// consent is granted without asking (a first-party application, as an organisation's tenant
// configures it). Everything else — discovery, authorisation with PKCE, the token endpoint,
// JWKS, userinfo, RP-initiated logout — is the provider's own.
//
// Test-only switch, bound on loopback with the rest: POST /__test__/id-token {"mode": ...}
// makes the next token responses carry a spoiled ID token, still from this provider's flow:
//   wrong_audience, wrong_issuer, bad_signature (another key, same kid), expired,
//   replay (the ID token this provider issued before this one, with its old nonce), normal.

import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OPB_OIDC_CONFIG || '{}');
const accounts = config.accounts || {};

async function signingKey(kid) {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

const kid = randomUUID();
const realKey = await signingKey(kid);
const otherKey = await signingKey(kid);

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

function startServer(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const server = await startServer(config.port || 0);
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: (config.clients || []).map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    ...client,
  })),
  jwks: { keys: [realKey] },
  // Entra ID puts groups and roles in the ID token: so does this provider.
  conformIdTokenClaims: false,
  claims: {
    // How the person signed in there (amr, RFC 8176; acr) in every ID token, as Entra ID does.
    acr: null, amr: null, auth_time: null, iss: null, sid: null,
    openid: ['sub', 'groups', 'amr', 'acr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const { password, amr, acr, ...claims } = account;
        return { sub: id, ...claims };
      },
    };
  },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out of the test provider', `${form}
<p>Do you want to sign out of the test provider too?</p>
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out of the test provider', '<p>You are signed out.</p>');
      },
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['groups']);
    await grant.save();
    return grant;
  },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});
// Plain http on loopback: the provider is told it is not behind a TLS proxy.
provider.proxy = false;

// --- the test-only switch -------------------------------------------------------------------

let mode = 'normal';
const issued = [];

async function spoil(idToken) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  const sign = async (payload, jwk) => new jose.SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(await jose.importJWK(jwk, 'RS256'));
  switch (mode) {
    case 'wrong_audience': return sign({ ...claims, aud: 'someone-else' }, realKey);
    case 'wrong_issuer': return sign({ ...claims, iss: 'http://127.0.0.1:1' }, realKey);
    case 'bad_signature': return sign(claims, otherKey);
    case 'expired': return sign({ ...claims, iat: now - 3600, exp: now - 1800 }, realKey);
    case 'replay': return issued.at(-2) || idToken;
    default: return idToken;
  }
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    issued.push(ctx.body.id_token);
    ctx.body = { ...ctx.body, id_token: await spoil(ctx.body.id_token) };
  }
});

// --- the sign-in page ------------------------------------------------------------------------

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

function loginForm(uid, error = '') {
  return page('Sign in to the test provider', `${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<p><label for="login">Username</label> <input id="login" name="login" autofocus></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Sign in</button></p></form>`);
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    // Consent is granted by loadExistingGrant: nothing else is asked of the person.
    return provider.interactionFinished(req, res, { consent: {} }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'GET') return send(res, 200, loginForm(uid));
  const form = await readForm(req);
  const account = accounts[form.login];
  if (!account || account.password !== form.password) {
    return send(res, 400, loginForm(uid, 'That username and password did not match.'));
  }
  return provider.interactionFinished(req, res, {
    login: { accountId: form.login, amr: account.amr, acr: account.acr },
  }, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
server.on('request', async (req, res) => {
  try {
    const { pathname } = new URL(req.url, issuer);
    if (pathname === '/__test__/id-token' && req.method === 'POST') {
      const body = await new Promise((resolve) => {
        let text = '';
        req.on('data', (chunk) => { text += chunk; });
        req.on('end', () => resolve(text));
      });
      mode = JSON.parse(body || '{}').mode || 'normal';
      res.writeHead(204);
      return res.end();
    }
    const match = pathname.match(/^\/interaction\/([^/]+)$/);
    if (match) return await interaction(req, res, match[1]);
    return handle(req, res);
  } catch (error) {
    console.error(error);
    return send(res, 500, page('Test provider error', `<pre>${escape(error.message)}</pre>`));
  }
});

console.log(`listening ${issuer}`);
