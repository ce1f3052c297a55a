// Four-eyes approval in the console: an administrator turns it on, a policy change and a grant
// of administrator rights then wait ("Sent for approval", listed under "Changes waiting for
// approval" without buttons for the requester), and a second administrator approves one and
// rejects the other from their own browser; the API shows what was applied.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminPassword, apiSession, checkPage, launchBrowser, openPage, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let first;
let second;
let api;
const secondEmail = 'second.admin@e2e.test';

before(async () => {
  server = await startServer({ leads: 5 });
  browser = await launchBrowser();
  api = await apiSession(server.url, server.adminEmail);
  const created = await api('POST', '/api/v4/users', [
    { name: 'Second Admin', email: secondEmail, password: adminPassword, rights: { is_admin: true } },
  ]);
  assert.equal(created.status, 201, JSON.stringify(created.body));
});

after(async () => {
  await first?.context.close();
  await second?.context.close();
  await browser?.close();
  await server?.stop();
});

test('turning four-eyes approval on applies at once', async () => {
  first = await openPage(browser, server.url);
  await signIn(first.page, server.adminEmail, adminPassword);
  const { page } = first;
  await page.goto('/settings/security');
  const policy = page.getByRole('region', { name: 'Workspace policy' });
  await policy.getByRole('switch', { name: /Require a second administrator's approval/ }).click();
  await policy.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Security policy saved.').waitFor();
  assert.equal((await api('GET', '/api/v4/security/policy')).body.four_eyes, true);
  await page.getByRole('region', { name: 'Changes waiting for approval' }).getByText('No change is waiting for approval.').waitFor();
  first.clean();
});

test('a policy change and a grant wait for another administrator', async () => {
  const { page } = first;
  const policy = page.getByRole('region', { name: 'Workspace policy' });
  await policy.getByLabel('Failed logins before lock-out').fill('12');
  await policy.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/Sent for approval/).first().waitFor();
  assert.equal((await api('GET', '/api/v4/security/policy')).body.lockout_threshold, 10);

  const users = (await api('GET', '/api/v4/users?limit=250')).body._embedded.users;
  const clerk = users.find((u) => u.rights && !u.rights.is_admin && u.rights.is_active && !u.rights.is_free);
  await page.goto(`/settings/users/${clerk.id}`);
  await page.getByRole('switch', { name: 'Administrator' }).click();
  await page.getByRole('button', { name: 'Save' }).waitFor();
  const save = page.getByRole('button', { name: 'Save' });
  await save.and(page.locator(':not([disabled])')).waitFor();
  await save.click();
  await page.getByText(/Sent for approval: another administrator must approve this grant/).waitFor();
  const after = (await api('GET', `/api/v4/users/${clerk.id}`)).body;
  assert.equal(after.rights.is_admin, false);

  await page.goto('/settings/security');
  const waiting = page.getByRole('table', { name: 'Changes waiting for approval' });
  await waiting.getByText('Security policy: failed logins before lock-out 12').waitFor();
  await waiting.getByText(`Administrator rights for ${clerk.name}`).waitFor();
  assert.equal(await waiting.getByRole('button', { name: /Approve/ }).count(), 0, 'the requester cannot approve');
  assert.equal(await waiting.getByText('Waiting for another administrator').count(), 2);
  first.clean();
});

test('the second administrator approves one change and rejects the other', async () => {
  second = await openPage(browser, server.url);
  await signIn(second.page, secondEmail, adminPassword);
  await checkPage(second, '/settings/security', (p) => p.getByRole('table', { name: 'Changes waiting for approval' }), 'settings-security-approvals');
  const { page } = second;
  const pending = (await api('GET', '/api/v4/security/approvals?filter[status]=pending')).body._embedded.approvals;
  const policyChange = pending.find((a) => a.kind === 'security_policy');
  const grant = pending.find((a) => a.kind === 'admin_grant');

  await page.getByRole('button', { name: `Approve change ${policyChange.id}` }).click();
  await page.getByText('Change approved and applied.').waitFor();
  assert.equal((await api('GET', '/api/v4/security/policy')).body.lockout_threshold, 12);

  await page.getByRole('button', { name: `Reject change ${grant.id}` }).click();
  await page.getByText('Change rejected.').waitFor();
  assert.equal((await api('GET', `/api/v4/users/${grant.user_id}`)).body.rights.is_admin, false);

  await page.getByText('No change is waiting for approval.').waitFor();
  const decided = page.getByRole('table', { name: 'Decided changes' });
  await decided.getByText('approved by Second Admin').waitFor();
  await decided.getByText('rejected by Second Admin').waitFor();
  const events = (await api('GET', '/api/v4/events?filter[type]=approval_approved&limit=250')).body._embedded.events;
  assert.equal(events.length, 1);
  second.clean();
});
