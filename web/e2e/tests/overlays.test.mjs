// axe-core with dialogs, menus, option lists and notifications open — the states a page check
// (checkPage) never sees. Each dialog is also closed from the keyboard (Escape), and its close
// button must have a name. No serious or critical violation anywhere; no heading skipped on a
// user's page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { apiSession, checkAccessibility, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let view;
let api;
let users;

before(async () => {
  server = await startServer({ leads: 60 });
  browser = await launchBrowser();
  view = await openPage(browser, server.url);
  await signIn(view.page, server.adminEmail);
  api = await apiSession(server.url, server.adminEmail);
  users = (await api('GET', '/api/v4/users?limit=250')).body._embedded.users;
});

after(async () => {
  await view?.context.close();
  await browser?.close();
  await server?.stop();
});

// The dialog `title` opened by `open`: axe with it open, its close button named "Close", then
// Escape closes it.
async function checkDialog(open, title, name) {
  const { page } = view;
  await open();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  await dialog.getByRole('button').first().waitFor();
  await checkAccessibility(page, `${name} dialog`);
  assert.equal(await dialog.getByRole('button', { name: 'Close', exact: true }).count(), 1, 'the close button is named');
  await screenshot(page, `overlay-${name}`);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
}

// The menu opened by `button`: axe while it is open (the first item has focus), then Escape.
async function checkMenu(button, name) {
  const { page } = view;
  await button.click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  await checkAccessibility(page, `${name} menu`);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
}

test('settings/users: Add user, the Actions menu and its dialogs', async () => {
  const { page } = view;
  // A user with two-step verification on, so that "Reset 2FA" is offered.
  const target = users.find((u) => !u.rights?.is_admin && u.rights?.is_active && !u.rights?.is_free);
  const as = await apiSession(server.url, target.email);
  const { body: enrolled } = await as('POST', '/api/v4/security/two_factor/enroll', {});
  const totp = new TOTP({ secret: Secret.fromBase32(enrolled.secret), digits: 6, period: 30, algorithm: 'SHA1' });
  assert.equal((await as('POST', '/api/v4/security/two_factor/confirm', { code: totp.generate() })).status, 200);

  await page.goto('/settings/users');
  const actions = page.getByRole('button', { name: `Actions for ${target.name}`, exact: true });
  await actions.waitFor();
  await checkDialog(() => page.getByRole('button', { name: 'Add user' }).click(), 'Add user', 'add-user');
  await checkMenu(actions, 'user-actions');
  const pick = (item) => async () => {
    await actions.click();
    await page.getByRole('menuitem', { name: item }).click();
  };
  await checkDialog(pick('Deactivate'), `Deactivate ${target.name}?`, 'deactivate-user');
  await checkDialog(pick('Set a new password…'), `Set a new password for ${target.name}`, 'set-password');
  await checkDialog(pick('Reset 2FA'), `Reset two-step verification of ${target.name}?`, 'reset-2fa');
  await checkDialog(pick('Remove…'), `Remove ${target.name} for good?`, 'remove-user');
  view.clean();
});

test('settings/users/:id: headings in order; the stage rights dialog', async () => {
  const { page } = view;
  const target = users.find((u) => !u.rights?.is_admin && u.rights?.is_active);
  await page.goto(`/settings/users/${target.id}`);
  await page.getByRole('heading', { name: target.name, level: 1 }).waitFor();
  await page.getByRole('radiogroup', { name: 'Leads view', exact: true }).waitFor();
  await checkAccessibility(page, 'user page');
  const headings = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    (await axe.run(document, { runOnly: ['heading-order'] })).violations.map((v) => v.nodes.map((n) => n.target.join(' '))),
  );
  assert.deepEqual(headings, [], 'no heading level is skipped');
  const title = 'Add special rights to the pipeline stage';
  await checkDialog(() => page.getByRole('button', { name: title }).click(), title, 'stage-rights');
  view.clean();
});

test('settings: Create role, Delete role, Rename and Delete group, Rename pipeline, Add field', async () => {
  const { page } = view;
  await page.goto('/settings/roles');
  await checkDialog(() => page.getByRole('button', { name: 'Create role' }).click(), 'Create role', 'create-role');
  const roles = (await api('GET', '/api/v4/roles?limit=250')).body._embedded.roles;
  await page.goto(`/settings/roles/${roles[0].id}`);
  await checkDialog(() => page.getByRole('button', { name: 'Delete role' }).click(), `Delete the role ${roles[0].name}?`, 'delete-role');

  await page.goto('/settings/groups');
  await checkDialog(() => page.getByRole('button', { name: 'Rename Sales' }).click(), 'Rename group Sales', 'rename-group');
  await checkDialog(() => page.getByRole('button', { name: 'Delete Sales' }).click(), 'Delete group Sales', 'delete-group');

  const pipelines = (await api('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines;
  await page.goto('/settings/pipelines');
  const pipeline = pipelines[0].name;
  await checkDialog(
    () => page.getByRole('button', { name: `Rename pipeline ${pipeline}` }).click(),
    `Rename pipeline ${pipeline}`,
    'rename-pipeline',
  );

  await page.goto('/settings/fields');
  await checkDialog(() => page.getByRole('button', { name: 'Add field' }).click(), /^Add a field to /, 'add-field');
  view.clean();
});

test('a success notification on /settings/security', async () => {
  const { page } = view;
  await page.goto('/settings/security');
  // The policy's form once it holds the stored policy: Save before then sends nothing.
  const policy = page.getByRole('region', { name: 'Workspace policy' });
  await policy.getByLabel('Failed logins before lock-out').waitFor();
  await policy.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Security policy saved.').waitFor();
  await checkAccessibility(page, 'security notification');
  assert.equal(await page.getByRole('button', { name: 'Dismiss' }).count(), 1, 'the close button is named');
  await screenshot(page, 'overlay-notification');
  view.clean();
});

test('the Account menu, View as… with its option list open, a board card menu', async () => {
  const { page } = view;
  await page.goto('/leads/board');
  const account = page.getByRole('button', { name: 'Account menu' });
  await checkMenu(account, 'account');

  await account.click();
  await page.getByRole('menuitem', { name: 'View as…' }).click();
  const dialog = page.getByRole('dialog', { name: 'View as another user' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).waitFor();
  await dialog.getByRole('combobox', { name: 'User' }).click();
  await page.getByRole('listbox').getByRole('option').first().waitFor();
  await checkAccessibility(page, 'view-as options');
  await screenshot(page, 'overlay-view-as');
  await page.keyboard.press('Escape'); // closes the options
  await page.keyboard.press('Escape'); // closes the dialog
  await dialog.waitFor({ state: 'hidden' });

  const move = page.getByRole('button', { name: /^Move .* to…$/ }).first();
  await move.waitFor();
  await checkMenu(move, 'board-card');
  view.clean();
});
