// /settings/security: the login chart (today's successful and failed logins, as the API counts
// them), the policy's field errors, the IP whitelist's lock-out guard naming the browser's
// address, a whitelist that includes it saving, report-only mode listing what it would have
// refused, and the warning about blocking API requests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminPassword, apiSession, checkPage, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let view;
let api;

before(async () => {
  server = await startServer({ leads: 20 });
  browser = await launchBrowser();
});

after(async () => {
  // Leave no whitelist behind for a later test on the same server.
  if (api) await api('PUT', '/api/v4/security/ip_whitelist', { enabled: false, entries: [] });
  await view?.context.close();
  await browser?.close();
  await server?.stop();
});

const today = () => new Date().toISOString().slice(0, 10);

test('the login chart shows today’s successful and failed logins', async () => {
  const failed = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: server.adminEmail, password: 'not the password' }),
  });
  assert.equal(failed.status, 401);
  view = await openPage(browser, server.url);
  await signIn(view.page, server.adminEmail, adminPassword);
  api = await apiSession(server.url, server.adminEmail);
  const { page } = view;
  await checkPage(view, '/settings/security', (p) => p.getByRole('figure', { name: /Logins over the last 30 days/ }), 'settings-security');

  const stats = (await api('GET', '/api/v4/security/login_stats?days=30')).body.days;
  const now = stats.at(-1);
  assert.equal(now.date, today());
  assert.ok(now.succeeded >= 2 && now.failed >= 1, JSON.stringify(now));
  const chart = page.getByRole('figure', { name: /Logins over the last 30 days/ });
  assert.match(await chart.innerText(), new RegExp(`${stats.reduce((n, d) => n + d.failed, 0)} failed`));
  await page.getByText('Logins per day as a table').click();
  const row = page.getByRole('table', { name: 'Logins per day' }).getByRole('row', { name: new RegExp(`^${today()}`) });
  assert.deepEqual(
    (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim()),
    [today(), String(now.succeeded), String(now.failed)],
  );
  // Bars are drawn for the day (recharts renders one rectangle per non-zero value).
  await chart.locator('path.recharts-rectangle').nth(1).waitFor();
  view.clean();
});

test('policy: a value out of range is refused on its field', async () => {
  const { page } = view;
  const policy = page.getByRole('region', { name: 'Workspace policy' });
  await policy.getByLabel('Failed logins before lock-out').fill('1');
  await policy.getByRole('button', { name: 'Save' }).click();
  await policy.getByText('lockout_threshold must be between 3 and 100').waitFor();
  view.clean([/status of 400/]);
  await policy.getByLabel('Failed logins before lock-out').fill('12');
  await policy.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Security policy saved.').waitFor();
  assert.equal((await api('GET', '/api/v4/security/policy')).body.lockout_threshold, 12);
  view.clean();
});

test('whitelist: the lock-out guard names the browser’s address; including it saves', async () => {
  const { page } = view;
  const section = page.getByRole('region', { name: 'IP whitelist' });
  await section.getByRole('switch', { name: 'Enable the IP whitelist' }).click();
  await section.getByRole('button', { name: 'Add entry' }).click();
  await section.getByLabel('Address 1').fill('198.51.100.0/24');
  await section.getByLabel('Note 1').fill('office');
  await section.getByRole('button', { name: 'Save' }).click();
  const guard = section.getByRole('alert').filter({ hasText: 'Saving would lock you out' });
  await guard.waitFor();
  assert.match(await guard.innerText(), /does not include your current address 127\.0\.0\.1/);
  assert.match(await guard.innerText(), /The server saw your address as 127\.0\.0\.1/);
  await screenshot(page, 'settings-security-lockout');
  view.clean([/status of 400/]);
  assert.equal((await api('GET', '/api/v4/security/ip_whitelist')).body.enabled, false);

  await section.getByRole('button', { name: 'Add 127.0.0.1 to the list' }).click();
  await section.getByRole('button', { name: 'Save' }).click();
  await page.getByText('IP whitelist saved.').waitFor();
  const saved = (await api('GET', '/api/v4/security/ip_whitelist')).body;
  assert.equal(saved.enabled, true);
  assert.deepEqual(saved.entries.map((e) => e.value), ['198.51.100.0/24', '127.0.0.1']);
  await page.reload();
  await page.getByRole('region', { name: 'IP whitelist' }).getByLabel('Address 2').waitFor();
  assert.equal(await page.getByRole('region', { name: 'IP whitelist' }).getByLabel('Address 2').inputValue(), '127.0.0.1');
  view.clean();
});

test('blocking API requests warns that it cuts off mobile and roaming access', async () => {
  const { page } = view;
  const section = page.getByRole('region', { name: 'IP whitelist' });
  const warning = section.getByText('Blocking API requests cuts off mobile and roaming access');
  assert.equal(await warning.count(), 0);
  await section.getByRole('switch', { name: 'Also block API requests' }).click();
  await warning.waitFor();
  await section.getByRole('switch', { name: 'Also block API requests' }).click();
  await warning.waitFor({ state: 'detached' });
  view.clean();
});

test('report-only mode lists what it would have refused', async () => {
  const { page } = view;
  const section = page.getByRole('region', { name: 'IP whitelist' });
  await section.getByRole('button', { name: 'Remove entry 2' }).click();
  await section.getByRole('switch', { name: 'Report only' }).click();
  await section.getByRole('button', { name: 'Save' }).click(); // no guard: nothing is refused
  await page.getByText('IP whitelist saved.').waitFor();
  const saved = (await api('GET', '/api/v4/security/ip_whitelist')).body;
  assert.equal(saved.report_only, true);
  assert.deepEqual(saved.entries.map((e) => e.value), ['198.51.100.0/24']);

  // A sign-in from another browser: allowed, and logged as what would have been refused.
  const other = await openPage(browser, server.url);
  await signIn(other.page, server.adminEmail);
  await other.context.close();

  await page.reload();
  const list = page.getByRole('table', { name: 'Requests report-only mode would have refused' });
  await list.getByRole('row').nth(1).waitFor();
  const rows = await list.locator('tbody tr').allInnerTexts();
  assert.ok(rows.some((r) => /127\.0\.0\.1/.test(r) && r.includes(`sign-in as ${server.adminEmail}`)), rows.join('\n'));
  assert.ok(rows.some((r) => /a request of a signed-in session/.test(r)), rows.join('\n'));
  const events = (await api('GET', '/api/v4/events?filter[type]=ip_whitelist_would_refuse&limit=250')).body._embedded.events;
  assert.ok(events.length >= rows.length);
  await screenshot(page, 'settings-security-report-only');
  view.clean();
});
