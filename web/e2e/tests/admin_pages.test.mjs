// Settings pages of an administrator: groups and pipelines round trips (visible after a reload),
// stage descriptions (edited per level, shown on a lead),
// the activity log (filter by kind, CSV export matching the API, chain verification) and the
// security report (findings with links to the pages that fix them; who the dormant-user rule
// deactivates this week, linked to their pages). axe-core and screenshots on
// every page, no console errors beyond the refusals the pages show.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { apiSession, checkAccessibility, checkPage, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let view;
let api;

before(async () => {
  server = await startServer({ leads: 60 });
  browser = await launchBrowser();
  view = await openPage(browser, server.url);
  await signIn(view.page, server.adminEmail);
  api = await apiSession(server.url, server.adminEmail);
});

after(async () => {
  await view?.context.close();
  await browser?.close();
  await server?.stop();
});

const groupNames = async () => (await api('GET', '/api/v4/users_groups?limit=250')).body._embedded.users_groups.map((g) => g.name);

test('groups: create, rename, delete, each visible after a reload; a refusal in words', async () => {
  const { page } = view;
  await checkPage(view, '/settings/groups', (p) => p.getByRole('cell', { name: 'Sales', exact: true }), 'settings-groups');
  await page.getByLabel('New group name').fill('E2E Partners');
  await page.getByRole('button', { name: 'Add group' }).click();
  await page.getByRole('cell', { name: 'E2E Partners', exact: true }).waitFor();
  await page.reload();
  await page.getByRole('cell', { name: 'E2E Partners', exact: true }).waitFor();
  assert.ok((await groupNames()).includes('E2E Partners'));

  await page.getByRole('button', { name: 'Rename E2E Partners' }).click();
  const rename = page.getByRole('dialog');
  await rename.getByLabel('Name').fill('E2E Resellers');
  await rename.getByRole('button', { name: 'Save' }).click();
  await rename.waitFor({ state: 'hidden' });
  await page.reload();
  await page.getByRole('cell', { name: 'E2E Resellers', exact: true }).waitFor();
  assert.ok((await groupNames()).includes('E2E Resellers'));

  await page.getByRole('button', { name: 'Delete E2E Resellers' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete group' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.reload();
  await page.getByRole('cell', { name: 'Sales', exact: true }).waitFor();
  assert.equal(await page.getByRole('cell', { name: 'E2E Resellers', exact: true }).count(), 0);
  assert.ok(!(await groupNames()).includes('E2E Resellers'));

  // Sales has users: the server refuses, and the dialog says why in the server's words.
  const groups = (await api('GET', '/api/v4/users_groups?limit=250')).body._embedded.users_groups;
  const sales = groups.find((g) => g.name === 'Sales');
  await page.getByRole('button', { name: 'Delete Sales' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete group' }).click();
  const refusal = page.getByRole('dialog').getByRole('alert');
  await refusal.waitFor();
  const refused = await api('DELETE', `/api/v4/users_groups/${sales.id}`); // refused again: no change
  assert.equal(refused.status, 422);
  const detail = refused.body.detail;
  assert.ok((await refusal.innerText()).toLowerCase().includes(detail.toLowerCase()), `"${await refusal.innerText()}" names "${detail}"`);
  await screenshot(page, 'settings-groups-refusal');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  view.clean([/status of 422/]);
});

test('pipelines: create, add and order stages, rename, delete; won and lost locked', async () => {
  const { page } = view;
  await checkPage(view, '/settings/pipelines', (p) => p.getByRole('table').first(), 'settings-pipelines');
  await page.getByLabel('New pipeline name').fill('E2E Pipeline');
  await page.getByRole('button', { name: 'Add pipeline' }).click();
  const card = page.getByRole('region', { name: 'E2E Pipeline' });
  await card.waitFor();
  for (const name of ['Qualify', 'Demo']) {
    await card.getByLabel('New stage in E2E Pipeline').fill(name);
    await card.getByRole('button', { name: 'Add stage' }).click();
    await card.getByRole('cell', { name, exact: true }).waitFor();
  }
  await card.getByRole('button', { name: 'Move Demo up' }).click();
  const pipelineOf = async () =>
    (await api('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines.find((p) => p.name === 'E2E Pipeline');
  // The order the server keeps: Demo now before Qualify.
  let stored;
  for (let i = 0; i < 20; i++) {
    stored = await pipelineOf();
    const names = stored._embedded.statuses.sort((a, b) => a.sort - b.sort).map((s) => s.name);
    if (names.indexOf('Demo') < names.indexOf('Qualify')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const order = stored._embedded.statuses.sort((a, b) => a.sort - b.sort).map((s) => s.name);
  assert.ok(order.indexOf('Demo') < order.indexOf('Qualify'), order.join(', '));

  await card.getByRole('button', { name: 'Rename stage Qualify' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Qualified');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.reload();
  const reloaded = page.getByRole('region', { name: 'E2E Pipeline' });
  await reloaded.getByRole('cell', { name: 'Qualified', exact: true }).waitFor();
  const rows = await reloaded.getByRole('row').allInnerTexts();
  const at = (name) => rows.findIndex((r) => r.startsWith(name));
  assert.ok(at('Demo') < at('Qualified'), rows.join(' | '));
  // Won and lost: shown, marked, and offered no action.
  for (const kind of ['Won', 'Lost']) {
    const row = reloaded.getByRole('row').filter({ has: page.getByText(kind, { exact: true }) });
    assert.match(await row.innerText(), /System stage/);
    assert.equal(await row.getByRole('button').count(), 0);
  }

  await reloaded.getByRole('button', { name: 'Delete stage Demo' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete stage' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.reload();
  await page.getByRole('region', { name: 'E2E Pipeline' }).getByRole('cell', { name: 'Qualified', exact: true }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'E2E Pipeline' }).getByRole('cell', { name: 'Demo', exact: true }).count(), 0);

  await page.getByRole('button', { name: 'Rename pipeline E2E Pipeline' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('E2E Channel');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.reload();
  await page.getByRole('region', { name: 'E2E Channel' }).waitFor();
  await page.getByRole('button', { name: 'Delete pipeline E2E Channel' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete pipeline' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.reload();
  await page.getByRole('table').first().waitFor();
  assert.equal(await page.getByRole('region', { name: 'E2E Channel' }).count(), 0);
  assert.equal((await api('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines.some((p) => p.name === 'E2E Channel'), false);
  view.clean();
});

test('pipelines: stage descriptions edited per level, shown on a lead of the stage', async () => {
  const { page } = view;
  const main = (await api('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines.find((p) => p.is_main);
  const stage = main._embedded.statuses.filter((s) => s.is_editable).sort((a, b) => a.sort - b.sort)[0];
  const described = async () =>
    (await api('GET', `/api/v4/leads/pipelines/${main.id}/statuses/${stage.id}?with=descriptions`)).body.descriptions;
  await page.goto('/settings/pipelines');
  const card = page.getByRole('region', { name: main.name });
  await card.getByRole('button', { name: `Descriptions of ${stage.name}` }).click();
  let dialog = page.getByRole('dialog', { name: `Descriptions of ${stage.name}` });
  const texts = { Newbie: 'E2E call within an hour', Candidate: 'E2E ask for the budget', Master: 'E2E offer the annual plan' };
  for (const [label, text] of Object.entries(texts)) await dialog.getByLabel(label).fill(text);
  await checkAccessibility(page, 'stage descriptions dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(
    (await described()).map((d) => [d.level, d.description]),
    [['newbie', texts.Newbie], ['candidate', texts.Candidate], ['master', texts.Master]],
  );

  await page.reload();
  await page.getByRole('region', { name: main.name }).getByRole('button', { name: `Descriptions of ${stage.name}` }).click();
  dialog = page.getByRole('dialog', { name: `Descriptions of ${stage.name}` });
  await dialog.getByLabel('Newbie').waitFor();
  for (const [label, text] of Object.entries(texts)) assert.equal(await dialog.getByLabel(label).inputValue(), text);
  await dialog.getByLabel('Candidate').fill('');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual((await described()).map((d) => d.level), ['newbie', 'master']);

  // A lead in that stage shows the newbie text.
  const lead = (await api('POST', '/api/v4/leads', [{ name: 'E2E Guided lead', pipeline_id: main.id, status_id: stage.id }])).body._embedded.leads[0];
  await page.goto(`/leads/${lead.id}`);
  const guidance = page.getByRole('region', { name: 'Stage guidance' });
  await guidance.getByText(texts.Newbie).waitFor();
  await checkAccessibility(page, 'lead with stage guidance');
  view.clean();
});

test('activity log: filter by kind, export the same rows as CSV, chain verified', async () => {
  const { page } = view;
  await checkPage(view, '/settings/activity', (p) => p.getByRole('table', { name: 'Events' }).getByRole('row').nth(1), 'settings-activity');
  const table = page.getByRole('table', { name: 'Events' });
  const all = (await table.getByRole('row').count()) - 1;

  await page.getByRole('combobox', { name: 'Kind' }).click();
  await page.getByRole('combobox', { name: 'Kind' }).fill('New group');
  await page.getByRole('option', { name: 'New group', exact: true }).click();
  await page.waitForURL(/type=group_added/);
  const expected = (await api('GET', '/api/v4/events?filter[type]=group_added&limit=250')).body._embedded.events;
  await page.waitForFunction(
    (n) => document.querySelectorAll('table[aria-label="Events"] tbody tr').length === n,
    Math.min(expected.length, 50),
  );
  const narrowed = (await table.getByRole('row').count()) - 1;
  assert.ok(narrowed < all, `${narrowed} < ${all}`);
  for (const text of await table.locator('tbody tr').allInnerTexts()) assert.match(text, /New group/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  await page.getByRole('status').filter({ hasText: 'Export finished' }).waitFor();
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(csv[0], 'id,created_at,created_by,actor_ip,type,entity_type,entity_id,value_before,value_after,seq,prev_hash,hash');
  assert.deepEqual(
    csv.slice(1).map((line) => line.split(',')[0]),
    expected.map((e) => e.id),
  );
  assert.match(await page.getByRole('status').filter({ hasText: 'Export finished' }).innerText(), new RegExp(`${expected.length} rows?`));

  await page.getByRole('button', { name: 'Verify the chain' }).click();
  const verdict = page.getByText(/^Verified: the chain is intact/);
  await verdict.waitFor();
  const chain = (await api('GET', '/api/v4/security/audit/verify')).body;
  assert.equal(chain.intact, true);
  assert.match(await verdict.innerText(), /Verified: the chain is intact \(\d+ entries checked\)/);
  await screenshot(page, 'settings-activity-filtered');

  // The change reads in words: the pipeline renamed above, old name to new, nothing unchanged.
  await page.goto('/settings/activity?type=pipeline_updated');
  const renamed = table.locator('tbody tr').filter({ hasText: 'name: E2E Pipeline → E2E Channel' });
  await renamed.waitFor();
  assert.doesNotMatch(await renamed.innerText(), /sort:|is_main:|[{}[\]]/);

  // Paging walks the API's pages: enough events for a second page first (one per new group).
  for (let batch = 0; batch < 6; batch++) {
    const names = Array.from({ length: 10 }, (_, i) => ({ name: `E2E paging ${batch}-${i}` }));
    assert.equal((await api('POST', '/api/v4/users_groups', names)).status, 201);
  }
  assert.ok((await api('GET', '/api/v4/events?limit=50')).body._links.next);
  await page.goto('/settings/activity');
  await table.locator('tbody tr').nth(49).waitFor();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  const second = (await api('GET', '/api/v4/events?page=2&limit=50')).body._embedded.events;
  await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Events"] tbody tr').length === n, second.length);
  view.clean();
});

test('security report: findings listed, each with a link to the page that fixes it', async () => {
  const { page } = view;
  await checkPage(view, '/settings/report', (p) => p.getByRole('heading', { name: 'Security report' }), 'settings-report');
  const report = (await api('GET', '/api/v4/security/report')).body;
  assert.ok(report.findings.length > 0);
  for (const finding of report.findings) {
    await page.getByRole('article', { name: finding.title }).waitFor();
  }
  assert.equal(await page.getByRole('article').count(), report.findings.length);
  // Fixes in the console's words: the API calls of the report's `fix` are for scripts.
  for (const text of await page.getByRole('article').allInnerTexts()) assert.doesNotMatch(text, /\/api\/v4|PATCH |PUT /);
  for (const severity of ['high', 'medium', 'low']) {
    const card = page.getByRole('region', { name: 'Findings by severity' });
    assert.match(await card.innerText(), new RegExp(`${severity} severity\\s*${report.summary[severity]}`, 'i'));
  }

  const twoFactor = report.findings.find((f) => f.code === 'admins_without_two_factor');
  assert.ok(twoFactor, 'the demo administrator has no 2FA');
  await page.getByRole('article', { name: twoFactor.title }).getByRole('link', { name: /Require two-step verification/ }).click();
  await page.waitForURL(/\/settings\/security$/);
  await page.goBack();
  const user = twoFactor.affected[0];
  await page.getByRole('article', { name: twoFactor.title }).getByRole('link', { name: user.name }).click();
  await page.waitForURL(new RegExp(`/settings/users/${user.id}$`));
  await page.goBack();
  await page.getByRole('table', { name: 'Affected users' }).getByRole('link', { name: user.name }).first().waitFor();
  // The large screen too.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await checkAccessibility(page, 'settings-report at 1920x1080');
  await screenshot(page, 'settings-report-1920');
  view.clean();
});

test('security report: who the dormant-user rule deactivates in the next 7 days, linked', async () => {
  const { page } = view;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/settings/report');
  const section = page.getByRole('region', { name: 'Deactivations in the next 7 days' });
  await section.getByText('Automatic deactivation of dormant users is off.').waitFor();
  // The demo's users last logged in up to 40 days ago: with 30 days, some are due this week.
  assert.equal((await api('PATCH', '/api/v4/security/policy', { dormant_days: 30 })).status, 200);
  try {
    const due = (await api('GET', '/api/v4/security/report')).body.dormant_deactivations.users;
    assert.ok(due.length > 0, 'some demo user is due within 7 days');
    await page.getByRole('button', { name: 'Check again' }).click();
    const table = section.getByRole('table', { name: 'Deactivations in the next 7 days' });
    await table.waitFor();
    assert.equal(await table.getByRole('row').count(), due.length + 1);
    await checkAccessibility(page, 'settings-report with deactivations');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-report-dormant');
    await table.getByRole('link', { name: due[0].name, exact: true }).click();
    await page.waitForURL(new RegExp(`/settings/users/${due[0].id}$`));
    await page.goBack();
  } finally {
    await api('PATCH', '/api/v4/security/policy', { dormant_days: 0 });
  }
  view.clean();
});

test('an administrator renames a user from the user page', async () => {
  const { page } = view;
  const users = (await api('GET', '/api/v4/users?limit=250')).body._embedded.users;
  const user = users.find((u) => !u.rights?.is_admin && u.rights?.is_active);
  await page.goto(`/settings/users/${user.id}`);
  await page.getByRole('heading', { name: user.name, level: 1 }).waitFor();
  await page.getByRole('button', { name: `Rename ${user.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Rename ${user.name}` });
  await dialog.getByLabel('Name').fill('E2E Renamed Person');
  await checkAccessibility(page, 'rename user dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('heading', { name: 'E2E Renamed Person', level: 1 }).waitFor();
  assert.equal((await api('GET', `/api/v4/users/${user.id}`)).body.name, 'E2E Renamed Person');
  await page.reload();
  await page.getByRole('heading', { name: 'E2E Renamed Person', level: 1 }).waitFor();
  view.clean();
});
