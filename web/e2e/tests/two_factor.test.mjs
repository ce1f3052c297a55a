// Two-step verification in the browser: enrolment on the profile with the secret read from the
// page and the code computed here, signing in with a code, a reused code refused, a recovery
// code working once, new recovery codes, turning it off; the forced enrolment when the
// workspace requires 2FA. Codes are computed for explicit 30-second steps: the server accepts
// the steps next to its own (±1) but never a step at or before the last one used, so step T
// confirms, T+1 signs in, and T+1 again is a replay — no waiting for the clock.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import {
  adminPassword,
  apiSession,
  checkAccessibility,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startServer,
} from '../harness.mjs';

let server;
let browser;
let admin;

before(async () => {
  server = await startServer({ leads: 50 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const currentStep = () => Math.floor(Date.now() / 30_000);

function codeAt(secret, step) {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: step * 30_000 });
}

// Active users without administrator rights, from the API.
async function salespeople() {
  const { status, body } = await admin('GET', '/api/v4/users?limit=250');
  assert.equal(status, 200);
  return body._embedded.users.filter((u) => !u.rights.is_admin && u.rights.is_active && !u.rights.is_free);
}

// Reads the secret key from the setup form and checks the QR code really rendered (as an
// image under the page's Content-Security-Policy).
async function readSecret(page) {
  const key = page.getByLabel('Secret key');
  await key.waitFor();
  const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code renders');
  return (await key.inputValue()).replace(/\s+/g, '');
}

// The recovery codes on screen; also downloads the .txt and checks it holds them.
async function readRecoveryCodes(page) {
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const codes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download .txt' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'gatehouse-recovery-codes.txt');
  const text = await readFile(await download.path(), 'utf8');
  for (const code of codes) assert.ok(text.includes(code), `the file lists ${code}`);
  return codes;
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}

// Email and password, then the code step; returns once the page answered either way.
async function signInWithCode(page, email, code, { recovery = false } = {}) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Verification code').waitFor();
  if (recovery) await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await Promise.race([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.getByRole('alert').filter({ hasText: /code is wrong or was already used/ }).waitFor(),
  ]);
}

test('enrol on the profile, sign in with a code, replay refused, recovery codes once', async () => {
  const [user] = await salespeople();
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, user.email);
  await page.goto('/profile');
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  const secret = await readSecret(page);
  await checkAccessibility(page, 'profile two-factor setup');
  await screenshot(page, 'profile-two-factor-setup');

  const step = currentStep();
  await page.getByLabel('Verification code').fill('000000');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('the code is wrong or was already used').waitFor();
  await page.getByLabel('Verification code').fill(codeAt(secret, step));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const codes = await readRecoveryCodes(page);
  await screenshot(page, 'profile-two-factor-recovery-codes');
  const done = page.getByRole('button', { name: 'Done' });
  assert.ok(await done.isDisabled(), 'Done waits for "I have saved these codes"');
  await page.getByLabel('I have saved these codes').check();
  await done.click();
  const section = page.getByRole('region', { name: 'Two-step verification' });
  await section.getByText('Recovery codes left: 10 of 10').waitFor();
  view.clean([/status of 400/]);

  // The next step's code signs in; the same code a second time is refused on the page.
  await signOut(page);
  await signInWithCode(page, user.email, codeAt(secret, step + 1));
  assert.ok(!new URL(page.url()).pathname.startsWith('/login'), 'signed in with a fresh code');
  await signOut(page);
  await signInWithCode(page, user.email, codeAt(secret, step + 1));
  await page
    .getByRole('alert')
    .filter({ hasText: 'That verification code is wrong or was already used' })
    .waitFor();
  assert.match(page.url(), /\/login/);
  await screenshot(page, 'login-code-refused');

  // A recovery code works once.
  await signInWithCode(page, user.email, codes[0], { recovery: true });
  assert.ok(!new URL(page.url()).pathname.startsWith('/login'), 'signed in with a recovery code');
  await signOut(page);
  await signInWithCode(page, user.email, codes[0], { recovery: true });
  // Worded for recovery codes: there is no "next code" to wait for.
  const usedRecovery = page.getByRole('alert').filter({ hasText: 'That recovery code is wrong or was already used' });
  await usedRecovery.waitFor();
  assert.doesNotMatch(await usedRecovery.innerText(), /next code/);
  await signInWithCode(page, user.email, codes[1], { recovery: true });
  view.clean([/status of 401/]);

  // New recovery codes (after an old one) replace every old code.
  await page.goto('/profile');
  await section.getByText('Recovery codes left: 8 of 10').waitFor();
  await section.getByRole('button', { name: 'New recovery codes' }).click();
  const dialog = page.getByRole('dialog', { name: 'New recovery codes' });
  await dialog.getByLabel('Verification code').fill(codes[2]);
  await dialog.getByRole('button', { name: 'Get new codes' }).click();
  const fresh = await readRecoveryCodes(page);
  assert.ok(!fresh.includes(codes[3]), 'new codes differ from the old ones');
  await page.getByLabel('I have saved these codes').check();
  await page.getByRole('button', { name: 'Done' }).click();
  await section.getByText('Recovery codes left: 10 of 10').waitFor();

  // Turning it off needs a valid code: a wrong one is refused on the field.
  await section.getByRole('button', { name: 'Turn off' }).click();
  const off = page.getByRole('dialog', { name: 'Turn off two-step verification' });
  await checkAccessibility(page, 'turn off two-factor dialog');
  await off.getByLabel('Verification code').fill(codes[3]);
  await off.getByRole('button', { name: 'Turn off' }).click();
  await off.getByText('the code is wrong or was already used').waitFor();
  await off.getByLabel('Verification code').fill(fresh[0]);
  await off.getByRole('button', { name: 'Turn off' }).click();
  await section.getByText('Off', { exact: true }).waitFor();
  view.clean([/status of 400/]);
  await signOut(page);
  await signIn(page, user.email);  // the password alone again
  view.clean();
  await view.context.close();
});

test('a required enrolment keeps the user on /enroll-2fa until done', async () => {
  const [, user] = await salespeople();
  // The administrator enrols first (through the API): a required 2FA restricts every session
  // without it, the administrator's own included.
  const enrolled = await admin('POST', '/api/v4/security/two_factor/enroll', {});
  assert.equal(enrolled.status, 200);
  const confirmed = await admin('POST', '/api/v4/security/two_factor/confirm', {
    code: codeAt(enrolled.body.secret, currentStep()),
  });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  const policy = await admin('PATCH', '/api/v4/security/policy', { require_two_factor: true });
  assert.equal(policy.status, 200, JSON.stringify(policy.body));
  try {
    const view = await openPage(browser, server.url);
    const { page } = view;
    await signIn(page, user.email);
    await page.waitForURL(/\/enroll-2fa$/);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const secret = await readSecret(page);
    await checkAccessibility(page, 'enroll-2fa');
    await screenshot(page, 'enroll-2fa');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'enroll-2fa-1920');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Nothing else is reachable, and the API agrees.
    for (const path of ['/profile', '/settings/users', '/']) {
      await page.goto(path);
      await page.waitForURL(/\/enroll-2fa$/);
    }
    const secret2 = await readSecret(page);  // each visit starts a new enrolment
    assert.notEqual(secret2, secret);

    await page.getByLabel('Verification code').fill(codeAt(secret2, currentStep()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await readRecoveryCodes(page);
    await checkAccessibility(page, 'enroll-2fa recovery codes');
    await screenshot(page, 'enroll-2fa-recovery-codes');
    await page.getByLabel('I have saved these codes').check();
    await page.getByRole('button', { name: 'Continue to Gatehouse' }).click();
    await page.waitForURL(/\/leads$/);  // the start page
    await page.goto('/profile');
    await page.getByRole('region', { name: 'Two-step verification' }).getByText('On', { exact: true }).waitFor();
    await page.goto('/profile');
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    assert.match(page.url(), /\/profile$/);
    view.clean();
    await view.context.close();
  } finally {
    const reset = await admin('PATCH', '/api/v4/security/policy', { require_two_factor: false });
    assert.equal(reset.status, 200);
  }
});
