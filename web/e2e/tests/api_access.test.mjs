// API access without a terminal: a salesperson creates a personal API token on /profile, sees it
// once, uses it against the API, and revokes it (the token is refused at once); a refused name
// shows the server's reason on the field. An administrator registers an OAuth integration on
// /settings/integrations, a salesperson allows it on the consent page, the integration's token
// shows in the workspace's tokens, and deleting the integration shuts that token off.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiSession, checkPage, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin;
let users;

before(async () => {
  server = await startServer({ leads: 20 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  const { body } = await admin('GET', '/api/v4/users?limit=250');
  users = body._embedded.users.filter((u) => !u.rights.is_admin && u.rights.is_active && !u.rights.is_free);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const withToken = (token, path) => fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

test('a user creates an API token on the profile, uses it, and revokes it', async () => {
  const user = users[0];
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, user.email);
  await checkPage(view, '/profile', (p) => p.getByRole('heading', { name: 'API tokens' }), 'profile-tokens');
  await page.getByText('You have no API tokens.').waitFor();

  await page.getByLabel('Token name').fill('E2E invoice export');
  await page.getByRole('combobox', { name: 'Expires after' }).click();
  await page.getByRole('option', { name: '30 days' }).click();
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Token created' });
  const token = await dialog.getByRole('textbox', { name: 'Token “E2E invoice export”' }).inputValue();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT');
  assert.match(await dialog.innerText(), /Authorization: Bearer <token>/);
  await screenshot(page, 'profile-token-created');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // The token acts as the user, and is listed with its expiry 30 days out.
  const me = await withToken(token, `/api/v4/users/${user.id}`);
  assert.equal(me.status, 200);
  const listed = (await (await withToken(token, '/api/v4/security/tokens')).json())._embedded.tokens;
  assert.equal(listed.length, 1);
  const days = (listed[0].expires_at - Date.now() / 1000) / 86400;
  assert.ok(days > 29.9 && days <= 30, `${days} days`);
  const table = page.getByRole('table', { name: 'Your API tokens' });
  const row = table.getByRole('row').filter({ hasText: 'E2E invoice export' });
  await row.waitFor();
  assert.match(await row.innerText(), /Personal/);

  await page.getByRole('button', { name: 'Revoke token E2E invoice export' }).click();
  await page.getByRole('dialog', { name: 'Revoke token' }).getByRole('button', { name: 'Revoke token' }).click();
  await page.getByText('“E2E invoice export” no longer works.').waitFor();
  await page.getByText('You have no API tokens.').waitFor();
  assert.equal((await withToken(token, `/api/v4/users/${user.id}`)).status, 401);
  view.clean();
  await view.context.close();
});

test('a refused token name shows the reason on the field, and nothing is created', async () => {
  const user = users[1];
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, user.email);
  await page.goto('/profile');
  await page.getByLabel('Token name').fill('x'.repeat(201));
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByText('name has at most 200 bytes').waitFor();
  const me = await apiSession(server.url, user.email);
  assert.equal((await me('GET', '/api/v4/security/tokens')).status, 204);
  view.clean([/status of 400/]);
  await view.context.close();
});

test('an administrator registers an integration, sees its tokens, and deletes it', async () => {
  const adminView = await openPage(browser, server.url);
  const a = adminView.page;
  await signIn(a, server.adminEmail);
  await checkPage(adminView, '/settings/integrations', (p) => p.getByText('No integration is registered.'), 'settings-integrations');

  await a.getByLabel('Integration name').fill('E2E Mailer');
  await a.getByLabel('Redirect URI').fill('https://mailer.example/callback');
  await a.getByRole('button', { name: 'Register integration' }).click();
  const dialog = a.getByRole('dialog', { name: 'Integration registered' });
  const clientId = await dialog.getByRole('textbox', { name: 'Client ID' }).inputValue();
  const clientSecret = await dialog.getByRole('textbox', { name: 'Client secret' }).inputValue();
  assert.ok(clientId && clientSecret);
  assert.match(await dialog.innerText(), new RegExp(`${server.url}/oauth2/access_token`));
  await dialog.getByRole('button', { name: 'Done' }).click();
  const integrationRow = a.getByRole('table', { name: 'Registered integrations' }).getByRole('row').filter({ hasText: 'E2E Mailer' });
  await integrationRow.waitFor();
  assert.match(await integrationRow.innerText(), /No active tokens/);
  assert.doesNotMatch(await a.locator('body').innerText(), new RegExp(clientSecret), 'the secret is shown only in the dialog');

  // A salesperson allows it on the consent page; the integration trades the code for tokens.
  const user = users[2];
  const userView = await openPage(browser, server.url);
  const b = userView.page;
  await signIn(b, user.email);
  let callback = null;
  await b.route('https://mailer.example/**', (route) => {
    callback = new URL(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' });
  });
  await b.goto(`/oauth?client_id=${encodeURIComponent(clientId)}&state=e2e`);
  await b.getByRole('button', { name: 'Allow' }).click();
  await b.waitForURL(/mailer\.example/);
  assert.equal(callback.searchParams.get('state'), 'e2e');
  const exchange = await fetch(`${server.url}/oauth2/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code'),
      redirect_uri: 'https://mailer.example/callback',
    }),
  });
  assert.equal(exchange.status, 200);
  const { access_token: accessToken } = await exchange.json();
  assert.equal((await withToken(accessToken, '/api/v4/account')).status, 200);
  await userView.context.close();

  await a.reload();
  await integrationRow.filter({ hasText: '1 active token' }).waitFor();
  const tokenRow = a.getByRole('table', { name: 'Active API tokens' }).getByRole('row').filter({ hasText: 'Integration: E2E Mailer' });
  // Named once the users list has loaded (it may arrive after the tokens).
  await tokenRow.filter({ hasText: user.name }).waitFor();
  await screenshot(a, 'settings-integrations-listed');

  await a.getByRole('button', { name: 'Delete integration E2E Mailer' }).click();
  await a.getByRole('dialog', { name: 'Delete integration' }).getByRole('button', { name: 'Delete integration' }).click();
  await a.getByText('“E2E Mailer” and its tokens no longer work.').waitFor();
  await a.getByText('No integration is registered.').waitFor();
  assert.equal(await tokenRow.count(), 0);
  assert.equal((await withToken(accessToken, '/api/v4/account')).status, 401);
  adminView.clean();
  await adminView.context.close();
});
