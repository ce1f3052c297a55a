// Users, roles and the rights matrix in the browser: a role with a mixed matrix whose dependent
// cells the server narrows before saving, a user holding it who sees exactly the leads the API
// gives them, a role edit previewed (the user named, the counts) and saved, the second user's
// list changing on reload; the users table's actions with the server's refusals in words.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { apiSession, checkAccessibility, checkPage, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin; // the API as the demo administrator
let adminView; // the administrator's browser context (1280×800)
let repView; // the new user's browser context
const group = 'Rights E2E';
const roleName = 'E2E rep';
const rep = { name: 'Rita Rights', email: 'rita.rights@demo.example', password: 'Rita-e2e-password-2026' };
let roleId;
let repId;

before(async () => {
  server = await startServer({ leads: 300 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  adminView = await openPage(browser, server.url);
  await signIn(adminView.page, server.adminEmail);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const radio = (page, group, level) => page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name: level, exact: true });

async function pick(page, label, option) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

// Sets one cell and waits for the server's preview of the whole proposal.
async function setLevel(page, group, level) {
  await radio(page, group, level).check();
  await page.getByRole('region', { name: 'Impact preview' }).waitFor();
  await page.getByLabel('Computing the impact').waitFor({ state: 'detached' });
}

// Every lead id the /leads page shows (its rows link to /leads/{id}), following "Next page".
async function idsOnPage(page) {
  await page.goto('/leads?limit=100');
  const ids = [];
  const ready = page.locator('[data-ready="true"], [role="status"]:has-text("No leads match")').first();
  const links = () =>
    page.getByRole('table', { name: 'Leads' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (let n = 1; n <= 50; n++) {
    await ready.waitFor();
    const hrefs = await links();
    for (const href of hrefs) {
      const m = /^\/leads\/(\d+)$/.exec(href ?? '');
      if (m) ids.push(Number(m[1]));
    }
    const next = page.getByRole('button', { name: 'Next page' });
    if ((await next.count()) === 0 || !(await next.isEnabled())) break;
    await next.click();
    await page.waitForURL(new RegExp(`page=${n + 1}`), { waitUntil: 'commit' });
    // The next page's rows, not the previous page's still on screen.
    for (let i = 0; i < 100 && (await links())[0] === hrefs[0]; i++) await page.waitForTimeout(100);
  }
  return ids.sort((a, b) => a - b);
}

async function idsFromApi(api) {
  const ids = [];
  for (let page = 1; page <= 50; page++) {
    const r = await api('GET', `/api/v4/leads?limit=250&page=${page}`);
    if (r.status === 204) break;
    assert.equal(r.status, 200, JSON.stringify(r.body));
    ids.push(...r.body._embedded.leads.map((l) => l.id));
    if (!r.body._links.next) break;
  }
  return ids.sort((a, b) => a - b);
}

test('the users page lists every user with seats used / paid', async () => {
  await checkPage(adminView, '/settings/users', (p) => p.getByRole('columnheader', { name: 'Last login' }), 'settings-users');
  const { page } = adminView;
  for (const header of ['Name', 'Email', 'Group', 'Role', 'Admin', '2FA', 'Last login', 'State']) {
    await page.getByRole('columnheader', { name: header, exact: true }).waitFor();
  }
  const policy = (await admin('GET', '/api/v4/security/policy')).body;
  await page.getByText(`Seats: ${policy.seats_used} used of ${policy.seats} paid`).waitFor();
  const users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
  assert.equal(await page.getByRole('table', { name: 'Users' }).locator('tbody tr').count(), users.length);
  await checkPage(adminView, '/settings/roles', (p) => p.getByRole('columnheader', { name: 'Holders' }), 'settings-roles');
});

test('a role with a mixed matrix: the server narrows dependent cells before saving', async () => {
  const created = await admin('POST', '/api/v4/users_groups', [{ name: group }]);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { page } = adminView;
  await page.goto('/settings/roles');
  await page.getByRole('button', { name: 'Create role' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Role name').fill(roleName);
  await dialog.getByRole('button', { name: 'Create role' }).click();
  await page.waitForURL(/\/settings\/roles\/\d+$/);
  roleId = Number(/(\d+)$/.exec(page.url())[1]);
  await radio(page, 'Leads view', 'Allowed').waitFor();

  // Only the levels an action takes: add has no If responsible / Team-wide.
  assert.equal(await page.getByRole('radiogroup', { name: 'Leads add' }).getByRole('radio').count(), 2);
  assert.equal(await page.getByRole('radiogroup', { name: 'Leads edit' }).getByRole('radio').count(), 4);
  assert.equal(await page.getByRole('radiogroup', { name: 'Incoming leads accept' }).getByRole('radio').count(), 2);

  await setLevel(page, 'Leads view', 'Allowed');
  await setLevel(page, 'Leads edit', 'Allowed');
  assert.ok(await radio(page, 'Leads edit', 'Allowed').isChecked());
  await setLevel(page, 'Leads view', 'If responsible');
  // Narrowed by the server's normalization, before anything is saved.
  assert.ok(await radio(page, 'Leads edit', 'If responsible').isChecked(), 'Leads edit narrowed to If responsible');
  await page.getByText(/Adjusted by the server.*Leads edit/).waitFor();

  // Keyboard: arrow keys move the choice inside a cell.
  await radio(page, 'Contacts add', 'Denied').focus();
  await page.keyboard.press('ArrowRight');
  assert.ok(await radio(page, 'Contacts add', 'Allowed').isChecked());
  await page.getByLabel('Computing the impact').waitFor({ state: 'detached' });

  await setLevel(page, 'Contacts view', 'Team-wide');
  await setLevel(page, 'Tasks view', 'Allowed');
  await setLevel(page, 'Incoming leads view', 'Allowed');
  await page.getByRole('switch', { name: 'Lists' }).check();
  await page.getByLabel('Computing the impact').waitFor({ state: 'detached' });

  // A stage right: its own radiogroups named "{Pipeline} / {Stage} {action}".
  const pipelines = (await admin('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines;
  const stage = pipelines[0]._embedded.statuses.find((s) => s.id === 142);
  const stageName = `${pipelines[0].name} / ${stage.name}`;
  await page.getByRole('button', { name: 'Add special rights to the pipeline stage' }).click();
  await pick(page, 'Pipeline stage', stageName);
  await page.getByRole('dialog').getByRole('button', { name: 'Add stage' }).click();
  await setLevel(page, `${stageName} view`, 'Allowed');
  await radio(page, `${stageName} export`, 'Denied').waitFor();

  await page.setViewportSize({ width: 1920, height: 1080 });
  await checkAccessibility(page, 'role matrix');
  await screenshot(page, 'settings-role-matrix-1920');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  const saved = (await admin('GET', `/api/v4/roles/${roleId}`)).body.rights;
  assert.deepEqual(saved.leads, { view: 'M', add: 'D', edit: 'M', delete: 'D', export: 'D' });
  assert.equal(saved.contacts.view, 'G');
  assert.equal(saved.contacts.add, 'A');
  assert.equal(saved.catalog_access, true);
  assert.deepEqual(
    saved.status_rights.map((s) => [s.pipeline_id, s.status_id, s.rights.view]),
    [[pipelines[0].id, 142, 'A']],
  );
  adminView.clean();
});

test('a user with that role and group, added in the dialog', async () => {
  const { page } = adminView;
  await page.goto('/settings/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(rep.name);
  await dialog.getByLabel('Email').fill(rep.email);
  await dialog.getByLabel('Password', { exact: true }).fill('short');
  await pick(page, 'Group', group);
  await pick(page, 'Role', roleName);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  // The server's refusal lands on the field.
  const refusal = dialog.getByText('The password must be at least 10 characters long.');
  await refusal.waitFor();
  const describedBy = await dialog.getByLabel('Password', { exact: true }).getAttribute('aria-describedby');
  assert.ok(describedBy?.includes(await refusal.getAttribute('id')), 'the error is tied to the field');
  await dialog.getByLabel('Password', { exact: true }).fill(rep.password);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = page.getByRole('row').filter({ hasText: rep.email });
  await row.getByText(roleName).waitFor();
  await row.getByText(group).waitFor();
  const users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
  const user = users.find((u) => u.email === rep.email);
  repId = user.id;
  assert.equal(user.rights.role_id, roleId);
  adminView.clean([/status of 400/]);
});

test('the user sees exactly the leads the role allows; a previewed role edit changes them', async () => {
  repView = await openPage(browser, server.url);
  await signIn(repView.page, rep.email, rep.password);
  const repApi = await apiSession(server.url, rep.email, rep.password);
  const before = await idsOnPage(repView.page);
  assert.deepEqual(before, await idsFromApi(repApi));
  await screenshot(repView.page, 'leads-as-role-holder');
  repView.clean();

  // Widen Leads view in the role: the preview names the user and the records gained.
  const { page } = adminView;
  await page.goto(`/settings/roles/${roleId}`);
  await setLevel(page, 'Leads view', 'Allowed');
  const preview = page.getByRole('region', { name: 'Impact preview' });
  const table = preview.getByRole('table', { name: `Impact on ${rep.name}` });
  await table.waitFor();
  const viewRow = table.getByRole('row').filter({ hasText: 'Leads view' });
  const cells = await viewRow.getByRole('cell').allInnerTexts();
  assert.deepEqual(cells.slice(0, 3), ['Leads view', 'If responsible', 'Allowed']);
  const gained = Number(cells[3].replace('+', ''));
  assert.ok(gained > 0, `gained ${cells[3]}`);
  await screenshot(page, 'settings-role-impact');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();

  await repView.page.reload();
  const afterIds = await idsOnPage(repView.page);
  assert.deepEqual(afterIds, await idsFromApi(repApi));
  // Exactly the records the preview counted (the stage right is unchanged by this edit).
  assert.equal(afterIds.length - before.length, gained);
  repView.clean();
  adminView.clean();
});

test("a hand edit detaches the user from the role; an administrator's matrix is not editable", async () => {
  const { page } = adminView;
  await checkPage(adminView, `/settings/users/${repId}`, (p) => p.getByRole('radiogroup', { name: 'Leads view' }), 'settings-user');
  await setLevel(page, 'Tasks edit', 'Allowed');
  await page.getByText('This edit detaches the user from their role').waitFor();
  await page.getByRole('region', { name: 'Impact preview' }).getByText(rep.name).first().waitFor();
  await page.getByRole('button', { name: 'Discard changes' }).click();

  // The administrator: the matrix is shown, not editable; removing the flag from the last
  // active administrator is refused by the server, in words, and Save stays off.
  const others = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users.filter(
    (u) => u.id !== 1 && u.rights.is_admin && u.rights.is_active,
  );
  for (const other of others) assert.equal((await admin('PATCH', `/api/v4/users/${other.id}`, { is_admin: false })).status, 200);
  await page.goto('/settings/users/1');
  await radio(page, 'Leads view', 'Allowed').waitFor();
  assert.ok(await radio(page, 'Leads view', 'Allowed').isDisabled());
  await page.getByText('Administrators may do everything').waitFor();
  await page.getByRole('switch', { name: 'Administrator' }).uncheck();
  await page.getByRole('region', { name: 'Impact preview' }).getByRole('alert').filter({ hasText: /administrator/i }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Save' }).isDisabled());
  await screenshot(page, 'settings-user-last-admin');
  adminView.clean([/status of 422/]);
  for (const other of others) assert.equal((await admin('PATCH', `/api/v4/users/${other.id}`, { is_admin: true })).status, 200);
});

test('users table: deactivate, a seat refusal in words, reactivate, reset 2FA, end sessions, remove with reassignment', async () => {
  const { page } = adminView;
  await page.goto('/settings/users');
  const actions = (name) => page.getByRole('button', { name: `Actions for ${name}` });

  await actions(rep.name).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('row').filter({ hasText: rep.email }).getByText('Deactivated', { exact: true }).waitFor();
  assert.equal((await admin('GET', `/api/v4/users/${repId}`)).body.rights.is_active, false);

  // No seat left: reactivating is refused with the server's words.
  const policy = (await admin('GET', '/api/v4/security/policy')).body;
  assert.equal((await admin('PATCH', '/api/v4/security/policy', { seats: policy.seats_used })).status, 200);
  await actions(rep.name).click();
  await page.getByRole('menuitem', { name: 'Reactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click();
  await page.getByRole('dialog').getByRole('alert').filter({ hasText: /seat/i }).waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  adminView.clean([/status of 402/]);
  assert.equal((await admin('PATCH', '/api/v4/security/policy', { seats: policy.seats })).status, 200);
  await actions(rep.name).click();
  await page.getByRole('menuitem', { name: 'Reactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click();
  await page.getByRole('row').filter({ hasText: rep.email }).getByText('Active', { exact: true }).waitFor();

  // Reset 2FA: the user enrols (with a code computed here), the administrator resets it.
  const repApi = await apiSession(server.url, rep.email, rep.password);
  const enrolment = (await repApi('POST', '/api/v4/security/two_factor/enroll', {})).body;
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) });
  assert.equal((await repApi('POST', '/api/v4/security/two_factor/confirm', { code: totp.generate() })).status, 200);
  await page.reload();
  await page.getByRole('row').filter({ hasText: rep.email }).getByRole('cell', { name: 'On', exact: true }).waitFor();
  await actions(rep.name).click();
  await page.getByRole('menuitem', { name: 'Reset 2FA' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset 2FA' }).click();
  await page.getByRole('row').filter({ hasText: rep.email }).getByRole('cell', { name: 'Off', exact: true }).waitFor();
  assert.equal((await repApi('GET', '/api/v4/account')).status, 401, 'the reset ended their sessions');

  // End sessions: the second browser context is sent to the login.
  await signIn(repView.page, rep.email, rep.password);
  await actions(rep.name).click();
  await page.getByRole('menuitem', { name: 'End sessions' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'End sessions' }).click();
  await page.getByText(/session\(s\) of Rita Rights ended/).waitFor();
  await repView.page.goto('/profile');
  await repView.page.waitForURL(/\/login/);

  // Remove with reassignment, one step: every lead of the user moves to the one chosen.
  const users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
  const heir = users.find((u) => u.id !== repId && !u.rights.is_admin && u.rights.is_active);
  const leadOfRep = (await admin('GET', '/api/v4/leads?limit=1')).body._embedded.leads[0];
  assert.equal((await admin('PATCH', `/api/v4/leads/${leadOfRep.id}`, { responsible_user_id: repId })).status, 200);
  await actions(rep.name).click();
  await page.getByRole('menuitem', { name: 'Remove…' }).click();
  const dialog = page.getByRole('dialog');
  assert.ok(await dialog.getByRole('button', { name: 'Remove user' }).isDisabled());
  await pick(page, 'Reassign records to', `${heir.name} (${heir.email})`);
  await dialog.getByRole('button', { name: 'Remove user' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('row').filter({ hasText: rep.email }).waitFor({ state: 'detached' });
  assert.equal((await admin('GET', `/api/v4/users/${repId}`)).status, 404);
  assert.equal((await admin('GET', `/api/v4/leads/${leadOfRep.id}`)).body.responsible_user_id, heir.id);
  adminView.clean();
  repView.clean([/status of 401/]);
});
