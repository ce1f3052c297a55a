// The browser tests' harness: the real `gatehouse` binary on a temporary SQLite database,
// Debian's Chromium driven by playwright-core (never a downloaded browser), axe-core for
// accessibility, screenshots kept as artefacts.
//
// Environment: GATEHOUSE_BIN (the binary; default ../build/debug/gatehouse), GATEHOUSE_ARTIFACTS
// (screenshots; default ../build/debug/console-artifacts), CHROMIUM (default /usr/bin/chromium).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const bin = resolve(process.env.GATEHOUSE_BIN ?? join(here, '..', '..', 'build', 'debug', 'gatehouse'));
export const artifacts = resolve(process.env.GATEHOUSE_ARTIFACTS ?? join(here, '..', '..', 'build', 'debug', 'console-artifacts'));
export const adminPassword = 'e2e-Admin-password-2026';

// A server of its own on a fresh database: `demo` fills a small demo workspace (groups, roles,
// users at every level, leads) whose every user has `adminPassword`.
export async function startServer({ leads = 300 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  const db = `sqlite:${join(dir, 'gatehouse.db')}`;
  const env = { ...process.env, GATEHOUSE_ADMIN_PASSWORD: adminPassword, ASAN_OPTIONS: 'detect_leaks=0' };
  const demo = spawnSync(bin, ['demo', '--db', db, '--leads', String(leads)], { env, encoding: 'utf8' });
  assert.equal(demo.status, 0, `gatehouse demo failed: ${demo.stderr}`);
  const child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
    const onData = (chunk) => {
      log += chunk;
      const ready = /ready on (http:\/\/[^/\s]+)\//.exec(log);
      if (ready) {
        clearTimeout(timer);
        resolveUrl(ready[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return {
    url,
    db,
    dir,
    adminEmail: 'admin@demo.gatehouse.local',
    log: () => log,
    // Runs a gatehouse command on the same database.
    cli(args, extraEnv = {}) {
      return spawnSync(bin, [...args], { env: { ...env, ...extraEnv }, encoding: 'utf8' });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

// A browser context of its own (cookies apart) whose page records console errors and failed
// requests; `clean()` asserts there were none (besides `allow`ed ones, e.g. a deliberate 401).
export async function openPage(browser, baseURL, { viewport = { width: 1280, height: 800 } } = {}) {
  // Reduced motion: the console then opens dialogs without a fade, so axe never measures the
  // contrast of text that is still fading in.
  const context = await browser.newContext({ baseURL, viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? '';
    if (failure.includes('ERR_ABORTED')) return;  // navigation away, cancelled queries
    problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`server error: ${response.status()} ${response.url()}`);
  });
  return {
    context,
    page,
    problems,
    // Asserts no console error, page error, failed request or 5xx since the last call, except
    // those matching one of `allow` (expected refusals the page shows as messages).
    clean(allow = []) {
      const left = problems.filter((p) => !allow.some((pattern) => pattern.test(p)));
      problems.length = 0;
      assert.deepEqual(left, [], 'the page logged errors or failed requests');
    },
  };
}

export async function signIn(page, email, password = adminPassword, code = undefined) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (code !== undefined) {
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core on the current page: fails on any serious or critical violation. Evaluated through
// the DevTools protocol, which the page's Content-Security-Policy does not govern.
export async function checkAccessibility(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `accessibility violations on ${name}`,
  );
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// Visits a page the way a person would check it: waits for `ready` (a locator), then
// accessibility, a screenshot, and no errors so far.
export async function checkPage(view, path, ready, name) {
  await view.page.goto(path);
  await ready(view.page).first().waitFor();
  await checkAccessibility(view.page, name);
  await screenshot(view.page, name);
  view.clean();
}

// The first active, paid non-administrator of `users` (GET /api/v4/users as an administrator)
// whose rights match `rights`: data set → letters of view, add, edit, delete, export, e.g.
// { leads: 'MAMDD' }. `noStageRules`: only users without stage rules.
export function demoUser(users, rights, { noStageRules = false } = {}) {
  const letters = (r) => [r.view, r.add, r.edit, r.delete, r.export].join('');
  const user = users.find((u) => {
    const r = u.rights;
    if (!r || r.is_admin || r.is_free || !r.is_active) return false;
    if (noStageRules && r.status_rights.length > 0) return false;
    return Object.entries(rights).every(([set, wanted]) => letters(r[set]) === wanted);
  });
  assert.ok(user, `a demo user with rights ${JSON.stringify(rights)}`);
  return user;
}

// The API as a given user, with a cookie session of its own (for comparing what a page shows
// with what the API returns to the same user).
export async function apiSession(baseURL, email, password = adminPassword) {
  const login = await fetch(`${baseURL}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200, `API login as ${email}: ${await login.clone().text()}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  return async (method, path, body) => {
    const response = await fetch(`${baseURL}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
}
