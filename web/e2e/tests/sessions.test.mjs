// Sessions and the profile in the browser: an administrator ends another browser's session from
// /settings/sessions (one, all of a user, all) and that browser goes to /login with "Your session
// has ended", then back to its page after signing in; a user logs out their other sessions and
// ends one from the profile; the password change shows the server's policy error on the field;
// an administrator sets a new password for a user who forgot theirs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminPassword, apiSession, checkAccessibility, checkPage, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin;
let users;

before(async () => {
  server = await startServer({ leads: 50 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  const { body } = await admin('GET', '/api/v4/users?limit=250');
  users = body._embedded.users.filter((u) => !u.rights.is_admin && u.rights.is_active && !u.rights.is_free);
  assert.ok(users.length >= 4, 'the demo workspace has salespeople');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Waits for the login page to say the session ended and to remember `path`.
async function expectSentToLogin(page, path) {
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === path);
  assert.equal(new URL(page.url()).searchParams.get('reason'), 'expired');
  await page.getByText('Your session has ended').waitFor();
}

async function signInAgain(page, email, password = adminPassword) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an administrator ends sessions; the ended browser signs in again where it was', async () => {
  const user = users[0];
  const adminView = await openPage(browser, server.url);
  const a = adminView.page;
  await signIn(a, server.adminEmail);
  const userView = await openPage(browser, server.url);
  const b = userView.page;
  await signIn(b, user.email);
  await b.goto('/profile');
  await b.getByRole('heading', { name: 'Profile' }).waitFor();

  await checkPage(adminView, '/settings/sessions', (p) => p.getByRole('row').filter({ hasText: user.name }), 'settings-sessions');
  await a.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(a, 'settings-sessions-1920');
  await a.setViewportSize({ width: 1280, height: 800 });
  const headers = await a.getByRole('columnheader').allTextContents();
  for (const name of ['User', 'Device', 'IP address', 'Location', 'Last activity']) assert.ok(headers.includes(name), name);
  const row = a.getByRole('row').filter({ hasText: user.name });
  assert.match(await row.textContent(), /127\.0\.0\.1/);
  assert.match(await row.textContent(), /Chrom/);

  // End one session: the user's next request (here: starting 2FA setup) meets a 401.
  await row.getByRole('button', { name: /^End session/ }).click();
  await a.getByText('Session ended').first().waitFor();
  await row.waitFor({ state: 'detached' });
  await b.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await expectSentToLogin(b, '/profile');
  await checkAccessibility(b, 'login session ended');
  await screenshot(b, 'login-session-ended');
  await signInAgain(b, user.email);
  await b.waitForURL(/\/profile$/);
  userView.clean([/status of 401/]);

  // End all of the user's sessions, through the dialog by keyboard; the user's next page load
  // (a reload) goes to /login with the message.
  await b.goto('/profile?tab=sessions');
  await b.getByRole('heading', { name: 'Profile' }).waitFor();
  await a.reload();
  await a.getByRole('button', { name: `End all sessions of ${user.name}` }).first().click();
  const dialog = a.getByRole('dialog', { name: `End all sessions of ${user.name}` });
  await dialog.waitFor();
  await a.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await a.getByRole('button', { name: `End all sessions of ${user.name}` }).first().click();
  await dialog.waitFor();
  assert.equal(await a.evaluate(() => document.activeElement?.textContent), 'Cancel');
  await a.keyboard.press('Tab');
  assert.equal(await a.evaluate(() => document.activeElement?.textContent), 'End sessions');
  await a.keyboard.press('Enter');
  await a.getByText(/1 session ended/).waitFor();
  await b.reload();
  await expectSentToLogin(b, '/profile?tab=sessions');
  await signInAgain(b, user.email);
  await b.waitForURL(/\/profile\?tab=sessions$/);
  userView.clean([/status of 401/]);

  // End all sessions of the workspace: everyone but this administrator's own session.
  const other = await openPage(browser, server.url);
  await signIn(other.page, users[1].email);
  await a.reload();
  await a.getByRole('row').filter({ hasText: users[1].name }).waitFor();
  await a.getByRole('button', { name: 'End all sessions', exact: true }).click();
  await a.getByRole('dialog', { name: 'End all sessions' }).getByRole('button', { name: 'End sessions' }).click();
  await a.getByText(/sessions? ended\./).first().waitFor();
  await a.getByRole('row').filter({ hasText: user.name }).waitFor({ state: 'detached' });
  const left = await a.getByRole('row').filter({ has: a.getByRole('cell') }).count();
  assert.equal(left, 1, 'only the administrator session is left');
  await a.getByText('This session', { exact: true }).waitFor();
  assert.equal((await admin('GET', '/api/v4/security/sessions')).status, 401, 'the API session ended too');
  await b.reload();
  await expectSentToLogin(b, '/profile?tab=sessions');
  adminView.clean();
  userView.clean([/status of 401/]);
  for (const view of [adminView, userView, other]) await view.context.close();
});

test('the profile: own sessions, log out other sessions, end one; password change', async () => {
  const user = users[2];
  const here = await openPage(browser, server.url);
  const there = await openPage(browser, server.url);
  await signIn(there.page, user.email);
  await signIn(here.page, user.email);
  const { page } = here;
  const sessionsSection = page.getByRole('region', { name: 'Sessions' });
  await checkPage(here, '/profile', (p) => p.getByRole('region', { name: 'Sessions' }).getByText('This session'), 'profile');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, 'profile-1920');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal(await sessionsSection.getByRole('row').filter({ has: page.getByRole('cell') }).count(), 2);

  // Log out other sessions (confirmed in a dialog).
  await sessionsSection.getByRole('button', { name: 'Log out other sessions' }).click();
  await page.getByRole('dialog', { name: 'Log out other sessions' }).getByRole('button', { name: 'Log out others' }).click();
  await page.getByText('1 session ended.').waitFor();
  await sessionsSection.getByText('You are signed in only here.').waitFor();
  await there.page.goto('/profile');
  await expectSentToLogin(there.page, '/profile');

  // End a single one.
  await signInAgain(there.page, user.email);
  await there.page.waitForURL(/\/profile$/);
  await page.reload();
  const otherRow = sessionsSection.getByRole('row').filter({ hasNotText: 'This session' }).filter({ has: page.getByRole('cell') });
  await otherRow.getByRole('button', { name: /^End session/ }).click();
  await otherRow.waitFor({ state: 'detached' });
  await there.page.reload();
  await expectSentToLogin(there.page, '/profile');
  there.clean([/status of 401/]);

  // Password: a wrong current password and a common new one are refused on their fields.
  const password = page.getByRole('region', { name: 'Password' });
  await password.getByLabel('Current password').fill('not my password');
  await password.getByLabel('New password', { exact: true }).fill('password12');
  await password.getByText('Strength: Weak').waitFor();
  await password.getByLabel('Repeat new password').fill('password12');
  await password.getByRole('button', { name: 'Change password' }).click();
  await password.getByText('the current password is wrong').waitFor();
  await password.getByLabel('Current password').fill(adminPassword);
  await password.getByRole('button', { name: 'Change password' }).click();
  const commonError = password.getByText('This password is in a list of commonly used passwords; choose another.');
  await commonError.waitFor();
  const describedBy = await password.getByLabel('New password', { exact: true }).getAttribute('aria-describedby');
  assert.ok(describedBy && (await commonError.getAttribute('id')) && describedBy.includes(await commonError.getAttribute('id')),
    'the error is tied to the New password field');
  await screenshot(page, 'profile-password-refused');
  here.clean([/status of 400/]);

  const good = 'plum-Orbit-7-kettle-ridge';
  await password.getByLabel('New password', { exact: true }).fill(good);
  await password.getByText(/Strength: (Good|Strong)/).waitFor();
  await password.getByLabel('Repeat new password').fill(good);
  await password.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Password changed').waitFor();
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  await signInAgain(page, user.email, adminPassword);
  await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  await signInAgain(page, user.email, good);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  here.clean([/status of 401/]);
  for (const view of [here, there]) await view.context.close();
});

test('an administrator sets a new password for a user who forgot theirs; their browser signs in again with it', async () => {
  const user = users[3];
  const userView = await openPage(browser, server.url);
  const b = userView.page;
  await signIn(b, user.email);
  await b.goto('/profile');
  await b.getByRole('heading', { name: 'Profile' }).waitFor();

  const adminView = await openPage(browser, server.url);
  const a = adminView.page;
  await signIn(a, server.adminEmail);
  await a.goto('/settings/users');
  await a.getByRole('button', { name: `Actions for ${user.name}`, exact: true }).click();
  await a.getByRole('menuitem', { name: 'Set a new password…' }).click();
  const dialog = a.getByRole('dialog', { name: `Set a new password for ${user.name}` });
  await dialog.getByLabel('New password').fill('password12');
  await dialog.getByText('Strength: Weak').waitFor();
  await dialog.getByRole('button', { name: 'Set password' }).click();
  await dialog.getByText('commonly used passwords').waitFor();
  await checkAccessibility(a, 'set-password dialog');
  await screenshot(a, 'settings-users-set-password');
  adminView.clean([/status of 400/]);
  // The refusal changed nothing: the user's browser still works.
  await b.reload();
  await b.getByRole('heading', { name: 'Profile' }).waitFor();

  const fresh = 'quartz-Meadow-4-lantern-fig';
  await dialog.getByLabel('New password').fill(fresh);
  await dialog.getByRole('button', { name: 'Set password' }).click();
  await a.getByText(`${user.name} has a new password`).waitFor();
  await dialog.waitFor({ state: 'hidden' });

  // Their sessions ended: the next request sends them to the login, where the new password works.
  await b.reload();
  await expectSentToLogin(b, '/profile');
  await signInAgain(b, user.email, adminPassword);
  await b.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  await signInAgain(b, user.email, fresh);
  await b.waitForURL((url) => url.pathname === '/profile');

  // An administrator's own password is changed on the profile, not from this menu.
  await a.getByRole('button', { name: /^Actions for / }).first().waitFor();
  const adminApi = await apiSession(server.url, server.adminEmail); // earlier tests ended the first one
  const me = (await adminApi('GET', '/api/v4/users?limit=250')).body._embedded.users.find((u) => u.email === server.adminEmail);
  await a.getByRole('button', { name: `Actions for ${me.name}`, exact: true }).click();
  assert.equal(await a.getByRole('menuitem', { name: 'Set a new password…' }).isDisabled(), true);
  await a.keyboard.press('Escape');
  userView.clean([/status of 401/]);
  adminView.clean();
  for (const view of [userView, adminView]) await view.context.close();
});
