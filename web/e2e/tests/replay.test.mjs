// Point-in-time replay in the console (issue 16): an administrator hands a lead from one
// salesperson (leads view "if responsible") to another, then asks "Who could see this record?"
// at a time before the change and now and sees the difference; "Check access" replays the new
// owner's past refusal; a time before the history starts shows the API's "replay is possible
// from …" under "At". Both dialogs pass axe-core. Times are unix seconds, so the test waits a
// second on each side of the chosen past time (changes within T's second count as done by T).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiSession, checkAccessibility, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin;
let before1; // the first responsible user
let after1; // the one the lead is handed to
let lead;
let past; // unix seconds: after the lead was made, before it was handed over

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

// A datetime-local value (the browser's and this process's local time, to the second), in the
// browser's own form (it drops ":00" seconds, and Playwright's fill checks the value it reads back).
function local(seconds) {
  const d = new Date(seconds * 1000);
  const two = (n) => String(n).padStart(2, '0');
  const minute = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
  return d.getSeconds() === 0 ? minute : `${minute}:${two(d.getSeconds())}`;
}

before(async () => {
  server = await startServer({ leads: 20 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  const users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
  // Users who see a lead only while responsible for it (the demo's support agents and interns;
  // the interns' stage rule is about a later stage than a new lead's).
  const ifResponsible = users.filter((u) => u.rights && !u.rights.is_admin && !u.rights.is_free && u.rights.is_active && u.rights.leads.view === 'M');
  assert.ok(ifResponsible.length >= 2, 'two demo users who see leads only while responsible');
  [before1, after1] = ifResponsible;
  const made = await admin('POST', '/api/v4/leads', [{ name: 'Replayed deal', responsible_user_id: before1.id }]);
  assert.equal(made.status, 200, JSON.stringify(made.body));
  lead = made.body._embedded.leads[0];
  await sleep(1100);
  past = nowSeconds();
  await sleep(1100);
  const handed = await admin('PATCH', `/api/v4/leads/${lead.id}`, { responsible_user_id: after1.id });
  assert.equal(handed.status, 200, JSON.stringify(handed.body));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function viewerNames(dialog) {
  const table = dialog.getByRole('table', { name: 'Viewers' });
  await table.waitFor();
  return table.locator('tbody tr td:first-child').allInnerTexts();
}

test('who could see a lead before it was handed over and now; explain then; the history start', async () => {
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await page.goto(`/leads/${lead.id}`);
  await page.getByRole('button', { name: 'Who could see this record?' }).click();
  const dialog = page.getByRole('dialog', { name: 'Who could see this record?' });

  // Now: the new owner, not the former one.
  await dialog.getByText(/^Now: \d+ users? can see it/).waitFor();
  let names = await viewerNames(dialog);
  assert.ok(names.includes(after1.name), `now: ${names}`);
  assert.ok(!names.includes(before1.name), `now: ${names}`);
  await checkAccessibility(page, 'replay-viewers-now');

  // Before the hand-over: the former owner, not the new one, with the rule in words.
  await dialog.getByLabel('At', { exact: true }).fill(local(past));
  await dialog.getByText(/^As it was on .*could see it/).waitFor();
  names = await viewerNames(dialog);
  assert.ok(names.includes(before1.name), `then: ${names}`);
  assert.ok(!names.includes(after1.name), `then: ${names}`);
  const row = dialog.getByRole('row').filter({ hasText: before1.name });
  await row.getByText('Leads view: If responsible (M)').waitFor();
  await checkAccessibility(page, 'replay-viewers-then');
  await screenshot(page, 'replay-viewers');

  // Before the history starts: the API's detail (from when replay is possible) under "At".
  await dialog.getByLabel('At', { exact: true }).fill('2001-01-01T00:00');
  await dialog.getByText(/replay is possible from/).waitFor();
  assert.equal(await dialog.getByRole('table', { name: 'Viewers' }).count(), 0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  view.clean([/status of 400/]); // the refused time, shown under "At"

  // Check access at the past time: the new owner could not see it then, can now.
  await page.getByRole('button', { name: 'Check access' }).click();
  const check = page.getByRole('dialog', { name: 'Check access' });
  await check.getByRole('combobox', { name: 'User' }).click();
  await page.getByRole('option', { name: `${after1.name} (${after1.email})` }).click();
  await check.locator('[data-allowed="true"]').first().waitFor();
  await check.getByLabel('At', { exact: true }).fill(local(past));
  await check.getByText(/^Replayed as it was on/).waitFor();
  await check.locator('[data-allowed="false"]').getByText(`${after1.name} may not see this lead.`).waitFor();
  await check.getByText(`Its responsible user is ${before1.name}, not ${after1.name}.`).waitFor();
  await checkAccessibility(page, 'replay-check-access');
  await screenshot(page, 'replay-check-access');
  view.clean();
  await view.context.close();
});
