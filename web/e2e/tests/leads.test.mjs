// The leads list as each demo user sees it: the rows are exactly the API's for that user, page by
// page; filters and sort narrow and order as the API does and survive a reload; the export
// downloads the API's CSV; batch actions are offered by rights and refused per row with the
// server's reason; a hidden lead's URL is the not-found page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  adminPassword,
  apiSession,
  demoUser,
  checkAccessibility,
  checkPage,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startServer,
} from '../harness.mjs';

let server;
let browser;
let admin; // the API as the demo administrator
let users; // every user, with rights (the administrator sees them)

before(async () => {
  server = await startServer({ leads: 1200 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  const list = await admin('GET', '/api/v4/users?limit=250');
  users = list.body._embedded.users;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// An active paid non-administrator whose lead rights are `letters` (view add edit delete export).
const userWith = (letters) => demoUser(users, { leads: letters });

async function apiIds(api, query) {
  const response = await api('GET', `/api/v4/leads?${query}`);
  if (response.status === 204) return { ids: [], next: false };
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { ids: response.body._embedded.leads.map((l) => l.id), next: Boolean(response.body._links.next) };
}

// The ids of the rows shown, from their links to /leads/{id}, once the page is settled.
async function shownIds(page) {
  const search = new URL(page.url()).searchParams.toString();
  await page.locator(`[data-ready="true"][data-search="${search}"]`).waitFor();
  const hrefs = await page.getByRole('table', { name: 'Leads' }).getByRole('link').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')),
  );
  return hrefs.map((href) => Number(/^\/leads\/(\d+)$/.exec(href)[1]));
}

async function pickOption(page, label, option) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

test('an "If responsible" user sees exactly the API\'s leads, page by page, and a hidden lead is not found', async () => {
  const agent = userWith('MAMDD');
  const api = await apiSession(server.url, agent.email);
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, agent.email);
  await page.waitForURL(/\/leads$/);

  await page.goto('/leads?limit=25');
  let pages = 0;
  for (let n = 1; n <= 20; ++n) {
    const expected = await apiIds(api, `page=${n}&limit=25`);
    assert.deepEqual(await shownIds(page), expected.ids, `page ${n}`);
    const next = page.getByRole('button', { name: 'Next page' });
    assert.equal(await next.isEnabled(), expected.next, `"Next page" on page ${n}`);
    ++pages;
    if (!expected.next) break;
    await next.click();
    await page.waitForURL(new RegExp(`page=${n + 1}`));
  }
  assert.ok(pages >= 2, `the agent's leads fill more than one page (${pages})`);
  // Every row is the agent's own.
  const own = await apiIds(api, `filter[responsible_user_id]=${agent.id}&limit=250`);
  const all = await apiIds(api, 'limit=250');
  assert.deepEqual(all.ids, own.ids);

  // Rights: no export, no delete; edit (M) offers the stage and responsible changes.
  assert.equal(await page.getByRole('button', { name: 'Export CSV' }).count(), 0);
  await page.getByRole('checkbox', { name: /^Select (?!all$)/ }).first().check();
  await page.getByRole('button', { name: 'Change stage' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);

  // A lead the admin sees and the agent does not: the same page as a missing one.
  const hidden = (await apiIds(admin, `filter[responsible_user_id]=${userWith('AAAGG').id}&limit=1`)).ids[0];
  assert.equal((await api('GET', `/api/v4/leads/${hidden}`)).status, 404);
  await page.goto(`/leads/${hidden}`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  view.clean([/status of 404/]);
  await view.context.close();
});

test('filters and sort narrow and order the list as the API does, and survive a reload', async () => {
  const manager = userWith('AAAGG');
  const api = await apiSession(server.url, manager.email);
  const pipelines = (await api('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines;
  const main = pipelines.find((p) => p.is_main);
  const stage = main._embedded.statuses.find((s) => s.type === 0);
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, manager.email);
  await page.goto('/leads?limit=25');
  await shownIds(page);

  await pickOption(page, 'Pipeline', main.name);
  await page.waitForURL(/pipeline=/);
  await pickOption(page, 'Stage', stage.name);
  await page.waitForURL(/stage=/);
  await page.getByRole('textbox', { name: 'Price from' }).fill('1000');
  await page.getByRole('textbox', { name: 'Price to' }).fill('60000');
  await page.waitForURL(/price_to=60000/);
  // One click at a time: a second click before the first one's navigation lands can be lost
  // on a loaded machine (the header re-renders with the new URL).
  await page.getByRole('button', { name: 'Created' }).click(); // ascending
  await page.waitForURL(/sort=created_at/);
  await page.getByRole('button', { name: 'Created' }).click(); // descending
  await page.waitForURL(/sort=-created_at/);

  const query =
    `filter[pipeline_id]=${main.id}&filter[statuses][0][pipeline_id]=${main.id}` +
    `&filter[statuses][0][status_id]=${stage.id}&filter[price][from]=1000&filter[price][to]=60000` +
    '&order[created_at]=desc&limit=25';
  const expected = await apiIds(api, `${query}&page=1`);
  assert.ok(expected.ids.length > 0, 'the filter matches some leads');
  assert.notDeepEqual(expected.ids, (await apiIds(api, 'limit=25&page=1')).ids, 'the filter narrows');
  assert.deepEqual(await shownIds(page), expected.ids);
  assert.equal(await page.getByRole('columnheader', { name: 'Created' }).getAttribute('aria-sort'), 'descending');

  // A reload (or the link shared) keeps the filters and the order.
  await page.reload();
  assert.deepEqual(await shownIds(page), expected.ids);
  assert.equal(await page.getByRole('combobox', { name: 'Pipeline', exact: true }).inputValue(), main.name);
  assert.equal(await page.getByRole('textbox', { name: 'Price to' }).inputValue(), '60 000');
  if (expected.next) {
    await page.getByRole('button', { name: 'Next page' }).click();
    assert.deepEqual(await shownIds(page), (await apiIds(api, `${query}&page=2`)).ids);
  }

  // Search: a name that matches nothing is an empty list (the API's 204), not an error.
  await page.getByRole('searchbox', { name: 'Search' }).fill('no lead is called this');
  await page.getByText('No leads match').waitFor();
  assert.equal((await api('GET', `/api/v4/leads?query=${encodeURIComponent('no lead is called this')}`)).status, 204);
  view.clean();
  await view.context.close();
});

test('the export downloads the CSV the API exports, with the same filters', async () => {
  const manager = userWith('AAAGG');
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, manager.email);
  await page.goto('/leads?price_from=20000&sort=-updated_at');
  await shownIds(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^leads-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  const expected = await csvAs(manager.email, '/api/v4/leads/export?filter[price][from]=20000&order[updated_at]=desc');
  assert.equal(csv, expected);
  const rows = expected.trim().split('\r\n').length - 1;
  assert.ok(rows > 0, 'the export has rows');
  await page.getByText(`Exported ${rows} leads.`).waitFor();
  view.clean();
  await view.context.close();
});

test('batch actions: offered by rights per lead, the server\'s refusal shown per lead', async () => {
  const rep = userWith('GAMDD'); // sees the team's leads, edits only their own
  const api = await apiSession(server.url, rep.email);
  const visible = (await api('GET', '/api/v4/leads?limit=250')).body._embedded.leads;
  const open = (l) => l.status_id !== 142 && l.status_id !== 143;
  const [mine, mine2] = visible.filter((l) => l.responsible_user_id === rep.id && open(l));
  const theirs = visible.find((l) => l.responsible_user_id !== rep.id && open(l));
  assert.ok(mine && mine2 && theirs, 'the rep sees two own leads and a teammate\'s');
  const pipelines = (await api('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines;
  const pipeline = pipelines.find((p) => p.id === mine.pipeline_id);
  const target = pipeline._embedded.statuses.find((s) => s.type === 0 && s.id !== mine.status_id && s.id !== 142 && s.id !== 143);

  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, rep.email);
  await page.goto(`/leads?limit=250`);
  await shownIds(page);
  assert.equal(await page.getByRole('button', { name: 'Export CSV' }).count(), 0, 'no export right');
  // A teammate's lead cannot be selected: the rep may neither edit nor delete it.
  assert.equal(await page.locator(`tr[data-lead-id="${theirs.id}"]`).getByRole('checkbox').isDisabled(), true);
  for (const lead of [mine, mine2]) {
    await page.locator(`tr[data-lead-id="${lead.id}"]`).getByRole('checkbox').check();
  }
  assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0, 'no delete right');
  // Meanwhile the administrator hands the second lead to the teammate: the page still shows it as
  // the rep's, the server refuses it, and says why beside that lead while the other is done.
  const handed = await admin('PATCH', `/api/v4/leads/${mine2.id}`, { responsible_user_id: theirs.responsible_user_id });
  assert.equal(handed.status, 200, JSON.stringify(handed.body));
  await page.getByRole('button', { name: 'Change stage' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change stage' });
  await dialog.getByRole('combobox', { name: 'New stage' }).click();
  await page.getByRole('option', { name: `${pipeline.name} / ${target.name}`, exact: true }).click();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await dialog.getByText('1 lead done, 1 refused by the server.').waitFor();
  const refused = dialog.getByRole('table', { name: 'Refused leads' }).getByRole('row', { name: new RegExp(mine2.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  // The reason shown is the server's own for that lead (the same PATCH through the API).
  const refusal = await api('PATCH', `/api/v4/leads/${mine2.id}`, { pipeline_id: pipeline.id, status_id: target.id });
  assert.equal(refusal.status, 403);
  assert.match(refusal.body.detail, /leads\.edit/);
  const reason = refusal.body.detail.charAt(0).toUpperCase() + refusal.body.detail.slice(1);
  await refused.getByText(reason, { exact: true }).waitFor();
  assert.equal((await api('GET', `/api/v4/leads/${mine.id}`)).body.status_id, target.id);
  assert.equal((await api('GET', `/api/v4/leads/${mine2.id}`)).body.status_id, mine2.status_id);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  view.clean([/status of 403/]);

  // A sales manager (delete G) deletes a lead of the team: gone from the list and the API.
  const manager = userWith('AAAGG');
  const managerApi = await apiSession(server.url, manager.email);
  const doomed = (await managerApi('GET', '/api/v4/leads?limit=1&order[updated_at]=desc')).body._embedded.leads[0];
  const third = await openPage(browser, server.url);
  await signIn(third.page, manager.email);
  await third.page.goto('/leads?sort=-updated_at');
  await shownIds(third.page);
  await third.page.locator(`tr[data-lead-id="${doomed.id}"]`).getByRole('checkbox').check();
  await third.page.getByRole('region', { name: 'Batch actions' }).getByRole('button', { name: 'Delete' }).click();
  const confirm = third.page.getByRole('dialog', { name: 'Delete leads' });
  await confirm.getByText('Delete 1 lead? This cannot be undone.').waitFor();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await confirm.getByText('1 lead done.').waitFor();
  await confirm.getByRole('button', { name: 'Close', exact: true }).click();
  assert.equal((await managerApi('GET', `/api/v4/leads/${doomed.id}`)).status, 404);
  assert.equal(await third.page.locator(`tr[data-lead-id="${doomed.id}"]`).count(), 0);
  third.clean();
  await third.context.close();

  // An auditor (view only) is offered no selection and no action at all.
  const auditor = userWith('ADDDD');
  const second = await openPage(browser, server.url);
  await signIn(second.page, auditor.email);
  await second.page.goto('/leads');
  await shownIds(second.page);
  assert.equal(await second.page.getByRole('checkbox').count(), 0);
  assert.equal(await second.page.getByRole('button', { name: 'Export CSV' }).count(), 0);
  // Nor is the record page's edit form offered.
  const seen = (await shownIds(second.page))[0];
  await second.page.goto(`/leads/${seen}`);
  await second.page.getByRole('region', { name: 'Recent activity' }).waitFor();
  await second.page.getByRole('region', { name: 'Tasks' }).waitFor();
  assert.equal(await second.page.getByRole('region', { name: 'Edit lead' }).count(), 0);
  second.clean();
  await second.context.close();
  await view.context.close();
});

test('the leads pages pass axe-core at 1280×800 and 1920×1080', async () => {
  const agent = userWith('MAMDD');
  const agentApi = await apiSession(server.url, agent.email);
  const lead = (await agentApi('GET', '/api/v4/leads?limit=1')).body._embedded.leads[0];
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    const size = `${viewport.width}x${viewport.height}`;
    const view = await openPage(browser, server.url, { viewport });
    await signIn(view.page, agent.email);
    await checkPage(view, '/leads', (p) => p.locator('[data-ready="true"]'), `leads-list-${size}`);
    await checkPage(view, `/leads/${lead.id}`, (p) => p.getByRole('heading', { name: lead.name }), `lead-record-${size}`);
    if (size === '1280x800') {
      // The linked records shown are those the API embeds for this user.
      const full = (await agentApi('GET', `/api/v4/leads/${lead.id}?with=contacts,companies`)).body;
      const contacts = view.page.getByRole('region', { name: 'Contacts' }).getByRole('listitem');
      assert.equal(await contacts.count(), full._embedded.contacts?.length ?? 0);
    }
    await view.context.close();
    if (size !== '1280x800') continue; // the administrator's view once: it is the same page
    const adminView = await openPage(browser, server.url, { viewport });
    await signIn(adminView.page, server.adminEmail);
    await checkPage(adminView, '/leads?sort=-created_at', (p) => p.locator('[data-ready="true"]'), `leads-list-admin-${size}`);
    await adminView.page.getByRole('checkbox', { name: 'Select all' }).check();
    await adminView.page.getByRole('button', { name: 'Delete' }).click();
    const dialog = adminView.page.getByRole('dialog', { name: 'Delete leads' });
    await dialog.waitFor();
    await checkAccessibility(adminView.page, `leads-delete-dialog-${size}`);
    await screenshot(adminView.page, `leads-delete-dialog-${size}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    adminView.clean();
    await adminView.context.close();
  }
});

// A CSV as the API gives it to a user (apiSession parses JSON, so this signs in by itself).
async function csvAs(email, path) {
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: adminPassword }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /text\/csv/);
  return response.text();
}
