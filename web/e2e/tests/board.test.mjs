// The pipeline board as an "If responsible" user sees it: the column totals are the API's summary
// for that user and the cards the API's leads of each stage; a move the rules refuse snaps back
// with the server's reason; an allowed move (pointer or keyboard) persists and the totals follow.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiSession, demoUser, checkAccessibility, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin;
let users;

before(async () => {
  server = await startServer({ leads: 1200 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// An active paid non-administrator with leads rights `letters` and no stage rules.
const userWith = (letters) => demoUser(users, { leads: letters }, { noStageRules: true });

const column = (page, statusId) => page.locator(`section[data-status-id="${statusId}"]`);
const card = (page, statusId, leadId) => column(page, statusId).locator(`[data-lead-id="${leadId}"]`);

async function boardReady(page) {
  await page.locator('[data-ready="true"][data-pipeline-id]').waitFor();
}

async function columnIds(api, pipelineId, statusId) {
  const r = await api(
    'GET',
    `/api/v4/leads?filter[statuses][0][pipeline_id]=${pipelineId}&filter[statuses][0][status_id]=${statusId}&order[updated_at]=desc&page=1&limit=20`,
  );
  return r.status === 204 ? [] : r.body._embedded.leads.map((l) => l.id);
}

async function shownColumnIds(page, statusId) {
  return column(page, statusId)
    .locator('[data-lead-id]')
    .evaluateAll((cards) => cards.map((c) => Number(c.getAttribute('data-lead-id'))));
}

async function shownTotals(page, statusId) {
  const totals = column(page, statusId).getByTestId('stage-totals');
  return { count: Number(await totals.getAttribute('data-count')), price: Number(await totals.getAttribute('data-price')) };
}

// A pointer drag from a card to a column, in small steps as a hand would.
async function drag(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + 20, a.y + 10);
  await page.mouse.down();
  await page.mouse.move(a.x + 40, a.y + 20, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + 60, { steps: 15 });
  await page.mouse.up();
}

test('an "If responsible" user: the API\'s totals and cards; refused moves snap back, allowed ones persist', async () => {
  const agent = userWith('MAMDD');
  const api = await apiSession(server.url, agent.email);
  const pipelines = (await api('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines.sort((a, b) => a.sort - b.sort || a.id - b.id);
  const main = pipelines[0];
  const summary = (await api('GET', `/api/v4/leads/summary?filter[pipeline_id]=${main.id}`)).body;
  const everything = (await admin('GET', `/api/v4/leads/summary?filter[pipeline_id]=${main.id}`)).body;
  assert.ok(summary.total.count > 0 && summary.total.count < everything.total.count, 'the agent sees some of the leads, not all');

  // 1920 wide: the first working stages' columns are all in view for the drags.
  const view = await openPage(browser, server.url, { viewport: { width: 1920, height: 1080 } });
  const { page } = view;
  await signIn(page, agent.email);
  await page.goto('/leads/board');
  await boardReady(page);
  assert.equal(Number(await page.getByTestId('board-total').getAttribute('data-count')), summary.total.count);
  assert.equal(Number(await page.getByTestId('board-total').getAttribute('data-price')), summary.total.price);
  for (const stage of summary._embedded.stages) {
    assert.deepEqual(await shownTotals(page, stage.status_id), { count: stage.count, price: stage.price }, `totals of ${stage.status_id}`);
    assert.deepEqual(await shownColumnIds(page, stage.status_id), await columnIds(api, main.id, stage.status_id), `cards of ${stage.status_id}`);
  }
  await checkAccessibility(page, 'board-agent-1920x1080');
  await screenshot(page, 'board-agent-1920x1080');
  view.clean();

  // The stages, in board order: a working one holding one of the agent's leads, and the next two
  // working ones (all near the left, in view).
  const named = new Map(main._embedded.statuses.map((s) => [s.id, s]));
  const working = summary._embedded.stages
    .map((s) => ({ ...named.get(s.status_id), count: s.count }))
    .filter((s) => s.type === 0 && s.id !== 142 && s.id !== 143);
  const start = working.findIndex((s) => s.count > 0);
  assert.ok(start >= 0 && start + 2 < working.length, 'three working stages, the first with leads');
  const [from, closed, open] = working.slice(start, start + 3);
  const leadId = (await shownColumnIds(page, from.id))[0];
  const before = { from: await shownTotals(page, from.id), open: await shownTotals(page, open.id) };

  // Meanwhile the administrator closes stage `closed` to the agent (edit denied there). The page
  // still offers it (it learnt the rights before); the server refuses and the card snaps back.
  const patched = await admin('PATCH', `/api/v4/users/${agent.id}`, {
    rights: { status_rights: [{ pipeline_id: main.id, status_id: closed.id, rights: { view: 'M', edit: 'D' } }] },
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const refusedApi = await api('PATCH', `/api/v4/leads/${leadId}`, { pipeline_id: main.id, status_id: closed.id });
  assert.equal(refusedApi.status, 403);
  await drag(page, card(page, from.id, leadId), column(page, closed.id));
  const alert = page.getByRole('alert').filter({ hasText: 'was not moved to' });
  await alert.waitFor();
  const reason = refusedApi.body.detail.charAt(0).toUpperCase() + refusedApi.body.detail.slice(1);
  await alert.getByText(reason, { exact: true }).waitFor();
  await card(page, from.id, leadId).waitFor();
  assert.equal(await card(page, closed.id, leadId).count(), 0, 'the card is back where it was');
  assert.equal((await api('GET', `/api/v4/leads/${leadId}`)).body.status_id, from.id);
  await screenshot(page, 'board-refused-move');
  view.clean([/status of 403/]);

  // After a reload the closed stage is no longer offered.
  await page.reload();
  await boardReady(page);
  await card(page, from.id, leadId).getByRole('button', { name: /^Move .* to…$/ }).click();
  const menu = page.getByRole('menu');
  await menu.getByRole('menuitem', { name: open.name, exact: true }).waitFor();
  assert.equal(await menu.getByRole('menuitem', { name: closed.name, exact: true }).count(), 0);
  await page.keyboard.press('Escape');

  // An allowed move by pointer: the card lands in the other column, the totals follow the API.
  await drag(page, card(page, from.id, leadId), column(page, open.id));
  await card(page, open.id, leadId).waitFor();
  await page.getByText(/^Moved .* to /).waitFor({ state: 'attached' });
  await boardReady(page);
  const after = (await api('GET', `/api/v4/leads/summary?filter[pipeline_id]=${main.id}`)).body._embedded.stages;
  const count = (id) => after.find((s) => s.status_id === id).count;
  assert.equal(count(from.id), before.from.count - 1);
  assert.equal(count(open.id), before.open.count + 1);
  assert.equal((await shownTotals(page, from.id)).count, count(from.id));
  assert.equal((await shownTotals(page, open.id)).count, count(open.id));
  await page.reload();
  await boardReady(page);
  await card(page, open.id, leadId).waitFor();
  assert.equal((await api('GET', `/api/v4/leads/${leadId}`)).body.status_id, open.id);

  // The same by keyboard: the card's "Move to…" menu.
  const menuButton = card(page, open.id, leadId).getByRole('button', { name: /^Move .* to…$/ });
  await menuButton.focus();
  await page.keyboard.press('Enter');
  const item = page.getByRole('menuitem', { name: from.name, exact: true });
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('Enter');
  await card(page, from.id, leadId).waitFor();
  await boardReady(page);
  assert.equal((await api('GET', `/api/v4/leads/${leadId}`)).body.status_id, from.id);
  assert.equal((await shownTotals(page, from.id)).count, before.from.count);

  // Only cards the agent may move are movable: none in the closed stage, all of their own
  // elsewhere (an "If responsible" user sees only their own leads).
  assert.equal(await column(page, closed.id).locator('[data-movable="true"]').count(), 0);
  assert.equal(await column(page, from.id).locator('[data-movable="false"]').count(), 0);
  view.clean();

  // The record page shows what the API gives the agent, and "Why can I see this?" asks the engine
  // about the agent's own access through the agent's own session (no administrator involved).
  const full = (await api('GET', `/api/v4/leads/${leadId}?with=contacts,companies`)).body;
  await page.goto(`/leads/${leadId}`);
  await page.getByRole('heading', { level: 1, name: full.name }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Contacts' }).getByRole('listitem').count(), full._embedded.contacts?.length ?? 0);
  assert.equal(await page.getByRole('region', { name: 'Companies' }).getByRole('listitem').count(), full._embedded.companies.length);
  assert.equal(await page.getByRole('button', { name: 'Check access' }).count(), 0, 'Check access is for administrators');
  await page.getByRole('button', { name: 'Why can I see this?' }).click();
  const why = page.getByRole('dialog', { name: 'Why can I see this?' });
  await why.getByText('You may see this lead.').waitFor();
  await why.getByText('You are its responsible user.').first().waitFor();
  for (const action of ['view', 'edit']) {
    const answer = (await api('GET', `/api/v4/security/explain?user_id=${agent.id}&entity_type=leads&entity_id=${leadId}&action=${action}`)).body;
    for (const reason of answer.reasons) await why.getByText(reason.text, { exact: true }).first().waitFor();
  }
  await checkAccessibility(page, 'lead-why-agent');
  await screenshot(page, 'lead-why-agent');
  await page.keyboard.press('Escape');
  await why.waitFor({ state: 'detached' });

  // Its tasks and recent activity are the API's for the agent; the agent may edit it (own lead).
  const tasks = await api('GET', `/api/v4/tasks?filter[entity_type]=leads&filter[entity_id]=${leadId}&limit=50`);
  const taskCount = tasks.status === 204 ? 0 : tasks.body._embedded.tasks.length;
  const events = await api('GET', `/api/v4/events?filter[entity]=lead&filter[entity_id]=${leadId}&limit=10`);
  assert.equal(events.status, 200, 'the moves were recorded');
  const tasksRegion = page.getByRole('region', { name: 'Tasks' });
  await (taskCount ? tasksRegion.getByRole('listitem').first() : tasksRegion.getByText('None you may view')).waitFor();
  assert.equal(await tasksRegion.getByRole('listitem').count(), taskCount);
  const activity = page.getByRole('region', { name: 'Recent activity' });
  await activity.getByRole('listitem').first().waitFor();
  assert.equal(await activity.getByRole('listitem').count(), events.body._embedded.events.length);
  const form = page.getByRole('region', { name: 'Edit lead' });
  await form.getByRole('textbox', { name: 'Price' }).fill('12345');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Lead saved').waitFor();
  assert.equal((await api('GET', `/api/v4/leads/${leadId}`)).body.price, 12345);
  await checkAccessibility(page, 'lead-record-agent');
  await screenshot(page, 'lead-record-agent');
  view.clean();
  await view.context.close();
});

test('the board passes axe-core at 1920×1080 and 1280×800 for an administrator, with the other pipelines and Load more', async () => {
  const view = await openPage(browser, server.url, { viewport: { width: 1920, height: 1080 } });
  const { page } = view;
  await signIn(page, server.adminEmail);
  await page.goto('/leads/board');
  await boardReady(page);
  const pipelines = (await admin('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines.sort((a, b) => a.sort - b.sort || a.id - b.id);
  const second = pipelines[1];
  await page.getByRole('combobox', { name: 'Pipeline', exact: true }).click();
  await page.getByRole('option', { name: second.name, exact: true }).click();
  await page.waitForURL(new RegExp(`pipeline=${second.id}`));
  await page.locator(`[data-ready="true"][data-pipeline-id="${second.id}"]`).waitFor();
  const summary = (await admin('GET', `/api/v4/leads/summary?filter[pipeline_id]=${second.id}`)).body;
  assert.equal(Number(await page.getByTestId('board-total').getAttribute('data-count')), summary.total.count);
  // "Load more" brings a column's next page of cards, exactly the API's second page.
  const big = summary._embedded.stages.find((s) => s.count > 20);
  assert.ok(big, 'a stage with more than one page of cards');
  await column(page, big.status_id).getByRole('button', { name: 'Load more' }).click();
  await column(page, big.status_id).locator('[data-lead-id]').nth(20).waitFor();
  const second20 = (
    await admin(
      'GET',
      `/api/v4/leads?filter[statuses][0][pipeline_id]=${second.id}&filter[statuses][0][status_id]=${big.status_id}&order[updated_at]=desc&page=2&limit=20`,
    )
  ).body._embedded.leads.map((l) => l.id);
  const first20 = await columnIds(admin, second.id, big.status_id);
  assert.deepEqual(await shownColumnIds(page, big.status_id), [...first20, ...second20]);
  await checkAccessibility(page, 'board-admin-1920x1080');
  await screenshot(page, 'board-admin-1920x1080');
  // And at 1280×800: the columns scroll sideways, the page still passes.
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkAccessibility(page, 'board-admin-1280x800');
  await screenshot(page, 'board-admin-1280x800');
  view.clean();
  await view.context.close();
});
