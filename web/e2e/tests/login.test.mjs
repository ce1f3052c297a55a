// Sign-in and sign-out in the browser: wrong credentials, a deep link surviving the login, the
// console served with its headers, sign out through the account menu.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminPassword, checkAccessibility, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the console is served with its security headers and deep links', async () => {
  const page = await fetch(`${server.url}/settings/users`, { headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  const html = await page.text();
  assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)[1];
  const js = await fetch(`${server.url}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const api = await fetch(`${server.url}/api/v4/nothing`, { headers: { Accept: 'text/html' } });
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /problem\+json/);
});

test('wrong password is refused on the page; a deep link survives signing in', async () => {
  const view = await openPage(browser, server.url);
  const { page } = view;
  await page.goto('/settings/groups');
  await page.waitForURL(/\/login\?next=%2Fsettings%2Fgroups/);
  await checkAccessibility(page, 'login');
  await screenshot(page, 'login');
  await page.getByLabel('Email').fill(server.adminEmail);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  view.clean([/status of 401/]);
  await page.getByLabel('Password', { exact: true }).fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/settings\/groups$/);
  view.clean();
  await view.context.close();
});

test('sign out from the account menu ends the session', async () => {
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  await page.goto('/profile');
  await page.waitForURL(/\/login\?next=%2Fprofile/);
  view.clean([/status of 401/]);
  await view.context.close();
});
