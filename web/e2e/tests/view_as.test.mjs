// "View as" and "Why can I see this?": an administrator viewing as a salesperson sees exactly the
// salesperson's leads and board totals (the same ids as the salesperson's own session), with a
// banner, across a reload, settings staying the administrator's own; "Stop viewing as" ends it.
// "Why can I see this?" and "Check access" show the engine's own words.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiSession, demoUser, checkAccessibility, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin;
let users;

before(async () => {
  server = await startServer({ leads: 600 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const userWith = (letters) => demoUser(users, { leads: letters });

async function listIds(page) {
  const search = new URL(page.url()).searchParams.toString();
  await page.locator(`[data-ready="true"][data-search="${search}"]`).waitFor();
  const hrefs = await page.getByRole('table', { name: 'Leads' }).getByRole('link').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')),
  );
  return hrefs.map((href) => Number(/^\/leads\/(\d+)$/.exec(href)[1]));
}

async function apiIds(api, query) {
  const r = await api('GET', `/api/v4/leads?${query}`);
  return r.status === 204 ? [] : r.body._embedded.leads.map((l) => l.id);
}

async function boardTotals(page) {
  await page.locator('[data-ready="true"][data-pipeline-id]').waitFor();
  const totals = await page.getByTestId('stage-totals').evaluateAll((nodes) =>
    nodes.map((n) => `${n.closest('section').getAttribute('data-status-id')}:${n.getAttribute('data-count')}:${n.getAttribute('data-price')}`),
  );
  return { total: Number(await page.getByTestId('board-total').getAttribute('data-count')), totals };
}

test('an administrator viewing as a salesperson sees what the salesperson sees', async () => {
  const rep = userWith('MAMDD');
  const repApi = await apiSession(server.url, rep.email);

  // The salesperson's own session: list page and board totals.
  const own = await openPage(browser, server.url);
  await signIn(own.page, rep.email);
  await own.page.goto('/leads?limit=25');
  const repList = await listIds(own.page);
  assert.deepEqual(repList, await apiIds(repApi, 'limit=25&page=1'));
  await own.page.goto('/leads/board');
  const repBoard = await boardTotals(own.page);
  // Nobody else is offered View as.
  await own.page.getByRole('button', { name: 'Account menu' }).click();
  await own.page.getByRole('menuitem', { name: 'Sign out' }).waitFor();
  assert.equal(await own.page.getByRole('menuitem', { name: 'View as…' }).count(), 0);
  own.clean();
  await own.context.close();

  const view = await openPage(browser, server.url);
  const { page } = view;
  const sent = []; // [path, X-Context-User-ID] of every API request
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/v4/')) sent.push([url.pathname, r.headers()['x-context-user-id'] ?? null]);
  });
  await signIn(page, server.adminEmail);
  await page.goto('/leads?limit=25');
  const adminList = await listIds(page);
  assert.notDeepEqual(adminList, repList, 'the administrator sees more');

  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'View as…' }).click();
  const dialog = page.getByRole('dialog', { name: 'View as another user' });
  await dialog.getByRole('combobox', { name: 'User' }).click();
  await page.getByRole('option', { name: `${rep.name} (${rep.email})` }).click();
  await checkAccessibility(page, 'view-as-dialog');
  await dialog.getByRole('button', { name: 'View as', exact: true }).click();
  const banner = page.getByRole('status', { name: 'View as' });
  await banner.getByText(`Viewing as ${rep.name}`).waitFor();
  assert.deepEqual(await listIds(page), repList, 'the list as the salesperson');
  await checkAccessibility(page, 'view-as-leads');
  await screenshot(page, 'view-as-leads');
  // Nothing is offered that the salesperson may not do (no export, no delete).
  assert.equal(await page.getByRole('button', { name: 'Export CSV' }).count(), 0);

  await page.goto('/leads/board');
  assert.deepEqual(await boardTotals(page), repBoard, 'the board totals as the salesperson');
  await screenshot(page, 'view-as-board');

  // A reload keeps it (the tab remembers the user id only).
  await page.reload();
  await banner.getByText(`Viewing as ${rep.name}`).waitFor();
  assert.deepEqual(await boardTotals(page), repBoard);
  assert.deepEqual(
    await page.evaluate(() => Object.entries(sessionStorage)),
    [['gatehouse.viewAs', String(rep.id)]],
  );

  // A lead only the administrator sees is not found while viewing as the salesperson.
  const hidden = (await apiIds(admin, 'limit=250')).find((id) => !repList.includes(id));
  assert.equal((await repApi('GET', `/api/v4/leads/${hidden}`)).status, 404);
  await page.goto(`/leads/${hidden}`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();

  // "Why can I see this?" answers for the salesperson, in the engine's words.
  const lead = repList[0];
  await page.goto(`/leads/${lead}`);
  await page.getByRole('button', { name: 'Why can I see this?' }).click();
  const why = page.getByRole('dialog', { name: 'Why can I see this?' });
  const explained = (await repApi('GET', `/api/v4/security/explain?user_id=${rep.id}&entity_type=leads&entity_id=${lead}&action=view`)).body;
  for (const reason of explained.reasons) await why.getByText(reason.text, { exact: true }).first().waitFor();
  await why.getByText(`${rep.name} may see this lead.`).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Check access' }).count(), 0, 'the salesperson has no Check access');
  await page.keyboard.press('Escape');

  // Settings stay the administrator's own, with the banner saying so.
  await page.goto('/settings/users');
  await banner.getByText(/this page is your own/).waitFor();
  await page.getByRole('table').getByText(rep.email).waitFor();
  const settingsRequests = sent.filter(([path]) => path === '/api/v4/users');
  assert.ok(settingsRequests.length > 0);

  // Every workspace request went as the salesperson, every settings request as the administrator.
  const contexts = new Set(sent.filter(([path]) => path.startsWith('/api/v4/leads')).map(([, id]) => id));
  assert.ok(contexts.has(String(rep.id)) && contexts.has(null), 'leads asked as both, before and during');

  await page.goto('/leads?limit=25');
  await banner.getByRole('button', { name: 'Stop viewing as' }).click();
  await banner.waitFor({ state: 'detached' });
  assert.deepEqual(await listIds(page), adminList, 'back to the administrator\'s own list');
  assert.deepEqual(await page.evaluate(() => Object.entries(sessionStorage)), []);
  view.clean([/status of 404/]);
  await view.context.close();
});

test('"Check access": an administrator asks the engine about any user and action', async () => {
  const rep = userWith('MAMDD');
  const manager = userWith('AAAGG');
  const managerApi = await apiSession(server.url, manager.email);
  const lead = (await managerApi('GET', '/api/v4/leads?limit=1')).body._embedded.leads[0];
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await page.goto(`/leads/${lead.id}`);
  await page.getByRole('button', { name: 'Why can I see this?' }).click();
  const why = page.getByRole('dialog', { name: 'Why can I see this?' });
  await why.getByText('You are an administrator, and administrators may do everything.').first().waitFor();
  await checkAccessibility(page, 'why-dialog-admin');
  await page.keyboard.press('Escape');
  await why.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Check access' }).click();
  const check = page.getByRole('dialog', { name: 'Check access' });
  await check.getByRole('combobox', { name: 'User' }).click();
  await page.getByRole('option', { name: `${rep.name} (${rep.email})` }).click();
  await check.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Edit', exact: true }).click();
  const answer = (await admin('GET', `/api/v4/security/explain?user_id=${rep.id}&entity_type=leads&entity_id=${lead.id}&action=edit`)).body;
  await check.getByText(`${rep.name} ${answer.allowed ? 'may' : 'may not'} edit this lead.`).waitFor();
  for (const reason of answer.reasons) await check.getByText(reason.text, { exact: true }).waitFor();
  await checkAccessibility(page, 'check-access-dialog');
  await screenshot(page, 'check-access-dialog');
  view.clean();
  await view.context.close();
});
