// The contacts, companies, tasks, incoming leads, Lists and Shared Inbox pages as each demo user
// sees them: the rows are exactly the API's for that user; a hidden record's URL is the
// not-found page; an allowed edit persists after a reload; an action the rights do not allow is
// not offered; incoming leads are accepted into a chosen stage and declined; every page passes
// axe-core without serious or critical findings, logs no errors, and is kept as a screenshot.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiSession, demoUser, checkPage, launchBrowser, openPage, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin; // the API as the demo administrator
let users; // every user, with rights (the administrator sees them)

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

// An active paid non-administrator whose contact rights are `contacts`, and whose leads rights
// are `leads` when given.
const userWith = (contacts, leads) =>
  demoUser(users, leads === undefined ? { contacts } : { contacts, leads });

async function apiList(api, path, key) {
  const response = await api('GET', path);
  if (response.status === 204) return { ids: [], next: false, items: [] };
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
  const items = response.body._embedded[key];
  return { ids: items.map((i) => i.id), next: Boolean(response.body._links.next), items };
}

// Waits until the rows shown answer the page's current URL.
async function settled(page) {
  const search = new URL(page.url()).searchParams.toString();
  await page.locator(`[data-ready="true"][data-search="${search}"]`).waitFor();
}

// The ids a settled table links to, from hrefs like /contacts/12.
async function shownIds(page, table, prefix) {
  await settled(page);
  const hrefs = await page
    .getByRole('table', { name: table, exact: true })
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  return hrefs.filter((h) => h.startsWith(prefix)).map((h) => Number(h.slice(prefix.length)));
}

async function rowIds(page, attribute) {
  await page.locator('[data-ready="true"]').first().waitFor();
  if ((await page.locator('[data-search]').count()) > 0) await settled(page);
  return page.locator(`[${attribute}]`).evaluateAll((rows, a) => rows.map((r) => Number(r.getAttribute(a))), attribute);
}

test('an "If responsible" user: contacts, companies, a record page and tasks are exactly the API\'s', async () => {
  const intern = userWith('MAMDD'); // contacts and companies view M, edit M, delete D; no Lists, no inbox
  const api = await apiSession(server.url, intern.email);
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, intern.email);

  for (const [kind, title] of [['contacts', 'Contacts'], ['companies', 'Companies']]) {
    await checkPage(view, `/${kind}?limit=25`, (p) => p.locator('[data-ready="true"]'), `records-${kind}`);
    for (let n = 1; n <= 10; ++n) {
      const expected = await apiList(api, `/api/v4/${kind}?page=${n}&limit=25`, kind);
      await page.waitForURL((url) => (url.searchParams.get('page') ?? '1') === String(n));
      assert.deepEqual(await shownIds(page, title, `/${kind}/`), expected.ids, `${kind} page ${n}`);
      const next = page.getByRole('button', { name: 'Next page' });
      assert.equal(await next.isEnabled(), expected.next);
      if (!expected.next) break;
      await next.click();
    }
    // Sorted by a column: the API's order.
    await page.goto(`/${kind}`);
    await page.getByRole('button', { name: 'Updated' }).click();
    await page.getByRole('button', { name: 'Updated' }).click();
    await page.waitForURL(/sort=-updated_at/);
    const sorted = await apiList(api, `/api/v4/${kind}?order[updated_at]=desc&page=1&limit=50`, kind);
    assert.deepEqual(await shownIds(page, title, `/${kind}/`), sorted.ids);
    // Every record shown is the intern's own (If responsible).
    const all = await apiList(api, `/api/v4/${kind}?limit=250`, kind);
    assert.ok(all.items.length > 0 && all.items.every((r) => r.responsible_user_id === intern.id));
  }

  // A contact of the intern's: fields, linked leads, tasks and activity as the API gives them.
  const contacts = (await apiList(api, '/api/v4/contacts?with=leads&limit=250', 'contacts')).items;
  const contact = contacts.find((c) => (c._embedded.leads ?? []).length > 0) ?? contacts[0];
  await checkPage(view, `/contacts/${contact.id}`, (p) => p.getByRole('heading', { name: contact.name }), 'records-contact');
  await page.getByRole('button', { name: 'Why can I see this?' }).waitFor();
  const linked = (contact._embedded.leads ?? []).map((l) => l.id).sort((a, b) => a - b);
  const shownLeads = (await shownLinks(page, 'Leads', '/leads/')).sort((a, b) => a - b);
  assert.deepEqual(shownLeads, linked);
  const tasks = await apiList(api, `/api/v4/tasks?filter[entity_type]=contacts&filter[entity_id]=${contact.id}&limit=50`, 'tasks');
  await page.getByRole('region', { name: 'Tasks' }).getByText(/No tasks you may view|Task/).first().waitFor();
  assert.deepEqual(await page.locator('[data-task-id]').evaluateAll((r) => r.map((e) => Number(e.dataset.taskId))), tasks.ids);

  // Edit is allowed (M, responsible); delete is not (D) and not offered.
  assert.equal(await page.getByRole('button', { name: 'Delete contact' }).count(), 0);
  const name = `${contact.name} (edited)`;
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('form', { name: 'Edit contact' }).getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await page.reload();
  await page.getByRole('heading', { name }).waitFor();
  assert.equal((await api('GET', `/api/v4/contacts/${contact.id}`)).body.name, name);
  // The edit is the record's latest activity, which the intern may see.
  const events = await apiList(admin, `/api/v4/events?filter[entity]=contact&filter[entity_id]=${contact.id}`, 'events');
  assert.ok(events.items.length > 0);
  await page.locator(`[data-event-id="${events.items[0].id}"]`).waitFor();

  // A refused change is shown on its field.
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('x'.repeat(256));
  await page.getByRole('form', { name: 'Edit contact' }).getByRole('button', { name: 'Save' }).click();
  await page.getByText(/255/).first().waitFor();
  view.clean([/status of 400/]);

  // A contact the intern may not view: the not-found page, like a missing one.
  const other = users.find((u) => u.id !== intern.id && u.rights?.is_active && !u.rights?.is_free);
  const hidden = (await apiList(admin, `/api/v4/contacts?filter[responsible_user_id]=${other.id}&limit=1`, 'contacts')).ids[0];
  assert.equal((await api('GET', `/api/v4/contacts/${hidden}`)).status, 404);
  await page.goto(`/contacts/${hidden}`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  view.clean([/status of 404/]);

  // A company of the intern's: edit is offered (M), delete is not (D).
  const company = (await apiList(api, '/api/v4/companies?limit=1', 'companies')).items[0];
  await checkPage(view, `/companies/${company.id}`, (p) => p.getByRole('heading', { name: company.name }), 'records-company');
  await page.getByRole('form', { name: 'Edit company' }).getByRole('button', { name: 'Save' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Delete company' }).count(), 0);

  // Tasks: the list, "My tasks" and done as the API filters them; mark one done.
  await checkPage(view, '/tasks', (p) => p.locator('[data-ready="true"]'), 'records-tasks');
  const open = await apiList(api, '/api/v4/tasks?filter[is_completed]=0&page=1&limit=50', 'tasks');
  assert.deepEqual(await rowIds(page, 'data-task-id'), open.ids);
  // Each control is driven by the URL: click, then wait for the URL, before the next one (check()
  // asserts the state at once and lost the race with the re-render now and then).
  await page.getByRole('radio', { name: 'All' }).click();
  await page.waitForURL(/done=all/);
  await page.getByRole('switch', { name: 'My tasks' }).click();
  await page.waitForURL(/mine=1/);
  const mine = await apiList(api, `/api/v4/tasks?filter[responsible_user_id]=${intern.id}&page=1&limit=50`, 'tasks');
  assert.deepEqual(await rowIds(page, 'data-task-id'), mine.ids);
  const overdue = mine.items.find((t) => !t.is_completed && t.complete_till < Date.now() / 1000);
  if (overdue) {
    await page.locator(`[data-task-id="${overdue.id}"]`).getByText(/^Overdue/).waitFor();
  }
  const todo = open.items.find((t) => t.responsible_user_id === intern.id);
  assert.ok(todo, 'the intern has an open task');
  await page.goto('/tasks');
  await page.locator(`[data-task-id="${todo.id}"]`).getByRole('button', { name: /^Mark done/ }).click();
  await page.getByText(`Task ${todo.id} marked done.`).waitFor();
  assert.equal((await api('GET', `/api/v4/tasks/${todo.id}`)).body.is_completed, true);

  // No Lists, no Shared Inbox, no incoming leads: a clear "no access" state, not an error.
  await checkPage(view, '/lists', (p) => p.getByText('No access to Lists'), 'records-lists-no-access');
  await checkPage(view, '/inbox', (p) => p.getByText('No access to the Shared Inbox'), 'records-inbox-no-access');
  await checkPage(view, '/incoming', (p) => p.getByText('No access to incoming leads'), 'records-incoming-no-access');
  view.clean();
  await view.context.close();
});

// The ids a section's links point to.
async function shownLinks(page, section, prefix) {
  const region = page.getByRole('region', { name: section, exact: true });
  await region.waitFor();
  const hrefs = await region.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  return hrefs.filter((h) => h.startsWith(prefix)).map((h) => Number(h.slice(prefix.length)));
}

test('the Shared Inbox shows exactly the conversations the API gives the user, and sends a message', async () => {
  const agent = userWith('AAMDD', 'MAMDD'); // leads If responsible, contacts all; mail access on
  const api = await apiSession(server.url, agent.email);
  const mine = await apiList(api, '/api/v4/talks?page=1&limit=50', 'talks');
  const every = await apiList(admin, '/api/v4/talks?limit=250', 'talks');
  assert.ok(mine.ids.length > 0, 'the agent sees some conversations');
  assert.ok(mine.ids.length < every.ids.length, 'and not all of them');
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, agent.email);
  await checkPage(view, '/inbox', (p) => p.getByRole('navigation', { name: 'Conversations' }), 'records-inbox');
  await page.locator('[data-ready="true"]').waitFor();
  assert.deepEqual(
    await page.locator('[data-talk-id]').evaluateAll((r) => r.map((e) => Number(e.dataset.talkId))),
    mine.ids,
  );
  const talk = mine.items[0];
  const messages = await apiList(api, `/api/v4/talks/${talk.id}/messages`, 'messages');
  await page.locator('[data-message-id]').first().waitFor();
  assert.deepEqual(
    await page.locator('[data-message-id]').evaluateAll((r) => r.map((e) => Number(e.dataset.messageId))),
    messages.ids,
  );
  await page.getByRole('textbox', { name: 'Message' }).fill('We will call you tomorrow.');
  await page.getByRole('button', { name: 'Send' }).click();
  // A message row, not just the text: the list is read again only after the POST succeeded,
  // while the text alone can be matched before that (the draft).
  await page.locator('[data-message-id]', { hasText: 'We will call you tomorrow.' }).waitFor();
  const after = await apiList(api, `/api/v4/talks/${talk.id}/messages`, 'messages');
  assert.equal(after.items.at(-1).text, 'We will call you tomorrow.');
  assert.equal(after.items.at(-1).author_id, agent.id);
  view.clean();
  await view.context.close();
});

test('incoming leads: accepted into the chosen stage, declined; a right not held is not offered', async () => {
  const pipelines = (await admin('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines;
  const main = pipelines.find((p) => p.is_main);
  const stage = main._embedded.statuses.filter((s) => s.type === 0)[1];
  const forms = await admin('POST', '/api/v4/leads/unsorted/forms', [
    { source_uid: 'site-form', source_name: 'Website', _embedded: { leads: [{ name: 'Incoming to accept', price: 500 }] } },
    { source_uid: 'site-form', source_name: 'Website', _embedded: { leads: [{ name: 'Incoming to decline' }] } },
  ]);
  assert.equal(forms.status, 200, JSON.stringify(forms.body));
  const [acceptUid, declineUid] = forms.body._embedded.unsorted.map((u) => u.uid);
  // A call from an unknown number (POST …/sip, as a telephony integration sends it).
  const calls = await admin('POST', '/api/v4/leads/unsorted/sip', [{
    source_uid: 'pbx', source_name: 'Office PBX',
    metadata: { uniq: 'e2e-call-1', phone: '+15550100', called_at: Math.floor(Date.now() / 1000), duration: 125,
      link: 'https://pbx.example/rec/1.mp3', service_code: 'pbx', is_call_event_needed: true, call_responsible: null },
  }]);
  assert.equal(calls.status, 200, JSON.stringify(calls.body));
  const callUid = calls.body._embedded.unsorted[0].uid;

  // A sales rep may view and accept incoming leads but not decline them: Decline is not offered.
  const rep = users.find((u) => u.rights && !u.rights.is_admin && u.rights.is_active && !u.rights.is_free &&
    u.rights.incoming_leads.accept === 'A' && u.rights.incoming_leads.decline === 'D' && u.rights.leads.add === 'A');
  assert.ok(rep, 'a user who may accept but not decline');
  const repView = await openPage(browser, server.url);
  await signIn(repView.page, rep.email);
  await checkPage(repView, '/incoming', (p) => p.getByRole('table', { name: 'Incoming leads' }), 'records-incoming-rep');
  const repRow = repView.page.locator(`[data-uid="${acceptUid}"]`);
  await repRow.getByRole('button', { name: 'Accept Incoming to accept' }).waitFor();
  assert.equal(await repView.page.getByRole('button', { name: /^Decline / }).count(), 0);
  repView.clean();
  await repView.context.close();

  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await checkPage(view, '/incoming', (p) => p.getByRole('table', { name: 'Incoming leads' }), 'records-incoming');
  const shown = await page.locator('[data-uid]').evaluateAll((r) => r.map((e) => e.dataset.uid));
  const listed = (await admin('GET', '/api/v4/leads/unsorted?page=1&limit=50')).body._embedded.unsorted.map((u) => u.uid);
  assert.deepEqual(shown, listed);
  // The summary line above the list counts what the API's summary counts.
  const summaryLine = page.getByRole('region', { name: 'Incoming summary' });
  const counts = (c) => `${c.total} incoming · ${c.accepted} accepted · ${c.declined} declined · average sorting time `;
  const before = await admin('GET', '/api/v4/leads/unsorted/summary');
  assert.equal(before.status, 200, JSON.stringify(before.body));
  await summaryLine.filter({ hasText: counts(before.body) }).waitFor();

  const row = page.locator(`[data-uid="${acceptUid}"]`);
  await row.getByRole('combobox', { name: 'Stage for Incoming to accept' }).click();
  await page.getByRole('option', { name: stage.name, exact: true }).click();
  await row.getByRole('button', { name: 'Accept Incoming to accept' }).click();
  await page.getByText(/Incoming to accept accepted as lead \d+/).waitFor();
  const accepted = (await admin('GET', `/api/v4/leads/unsorted/${acceptUid}`)).body;
  assert.equal(accepted.state, 'accepted');
  const leadId = accepted._embedded.leads[0].id;
  assert.equal((await admin('GET', `/api/v4/leads/${leadId}`)).body.status_id, stage.id);
  await page.locator(`[data-uid="${declineUid}"]`).getByRole('button', { name: 'Decline Incoming to decline' }).click();
  await page.getByText('Incoming to decline declined.').waitFor();
  assert.equal((await admin('GET', `/api/v4/leads/unsorted/${declineUid}`)).body.state, 'declined');
  await page.locator(`[data-uid="${declineUid}"]`).getByText('Declined').waitFor();
  // One more accepted and one more declined, the time in words once one is decided.
  const decided = (await admin('GET', '/api/v4/leads/unsorted/summary')).body;
  assert.deepEqual([decided.total, decided.accepted, decided.declined],
    [before.body.total, before.body.accepted + 1, before.body.declined + 1]);
  await summaryLine.filter({ hasText: counts(decided) }).waitFor();
  assert.match(await summaryLine.textContent(), /average sorting time \d+ (d|h|min|s)\b/);

  // A call shows its channel, number, length and recording, not a form's contacts; accepted,
  // its lead gets the call's note.
  const callRow = page.locator(`[data-uid="${callUid}"]`);
  await callRow.getByText('Office PBX (call)').waitFor();
  await callRow.getByText('Call of 2:05').waitFor();
  await callRow.getByRole('cell', { name: '+15550100', exact: true }).waitFor();
  assert.equal(await callRow.getByRole('link', { name: 'Recording' }).getAttribute('href'), 'https://pbx.example/rec/1.mp3');
  await callRow.getByRole('button', { name: 'Accept Call from +15550100' }).click();
  await page.getByText(/Call from \+15550100 accepted as lead \d+/).waitFor();
  const call = (await admin('GET', `/api/v4/leads/unsorted/${callUid}`)).body;
  assert.equal(call.state, 'accepted');
  const callNotes = await admin('GET', `/api/v4/leads/${call._embedded.leads[0].id}/notes`);
  assert.deepEqual(callNotes.body._embedded.notes.map((n) => [n.note_type, n.params.phone, n.params.duration]),
    [['call_in', '+15550100', 125]]);
  view.clean();

  // Lists: the catalogs and their elements as the API gives them.
  const catalogs = await admin('POST', '/api/v4/catalogs', [{ name: 'Products' }]);
  assert.equal(catalogs.status, 200, JSON.stringify(catalogs.body));
  const catalog = catalogs.body._embedded.catalogs[0];
  const added = await admin('POST', `/api/v4/catalogs/${catalog.id}/elements`, [{ name: 'Laptop' }, { name: 'Monitor' }]);
  assert.ok(added.status === 200 || added.status === 201, JSON.stringify(added.body));
  await checkPage(view, `/lists?list=${catalog.id}`, (p) => p.getByRole('table', { name: 'Elements of Products' }), 'records-lists');
  const elements = await apiList(admin, `/api/v4/catalogs/${catalog.id}/elements?page=1&limit=50`, 'elements');
  assert.deepEqual(await rowIds(page, 'data-element-id'), elements.ids);
  view.clean();

  // An administrator may delete a company: offered, confirmed, gone from the API.
  const company = (await apiList(admin, '/api/v4/companies?limit=1&order[id]=desc', 'companies')).items[0];
  await page.goto(`/companies/${company.id}`);
  await page.getByRole('button', { name: 'Delete company' }).click();
  await page.getByRole('dialog', { name: 'Delete this company?' }).getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/companies$/);
  assert.equal((await admin('GET', `/api/v4/companies/${company.id}`)).status, 404);
  view.clean();
  await view.context.close();
});

test('View as: an administrator viewing as the intern sees the intern\'s records and offers', async () => {
  const intern = userWith('MAMDD');
  const api = await apiSession(server.url, intern.email);
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'View as…' }).click();
  const dialog = page.getByRole('dialog', { name: 'View as another user' });
  await dialog.getByRole('combobox', { name: 'User' }).click();
  await page.getByRole('option', { name: `${intern.name} (${intern.email})` }).click();
  await dialog.getByRole('button', { name: 'View as', exact: true }).click();
  await page.getByRole('status', { name: 'View as' }).getByText(`Viewing as ${intern.name}`).waitFor();

  await page.goto('/contacts');
  const contacts = await apiList(api, '/api/v4/contacts?page=1&limit=50', 'contacts');
  assert.deepEqual(await shownIds(page, 'Contacts', '/contacts/'), contacts.ids);
  // The intern's rights decide the offers: edit (M, responsible) yes, delete (D) no.
  await page.goto(`/contacts/${contacts.ids[0]}`);
  await page.getByRole('form', { name: 'Edit contact' }).getByRole('button', { name: 'Save' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Delete contact' }).count(), 0);
  // "My tasks" are the intern's.
  await page.goto('/tasks?mine=1&done=all');
  const tasks = await apiList(api, `/api/v4/tasks?filter[responsible_user_id]=${intern.id}&page=1&limit=50`, 'tasks');
  assert.deepEqual(await rowIds(page, 'data-task-id'), tasks.ids);
  // The intern has no Lists access, even though the administrator has.
  await page.goto('/lists');
  await page.getByText('No access to Lists').waitFor();
  view.clean();
  await view.context.close();
});

test('every page passes axe-core at 1920×1080 too (as the administrator, who sees the most)', async () => {
  const view = await openPage(browser, server.url, { viewport: { width: 1920, height: 1080 } });
  await signIn(view.page, server.adminEmail);
  const contact = (await apiList(admin, '/api/v4/contacts?limit=1', 'contacts')).items[0];
  const ready = (p) => p.locator('[data-ready="true"]');
  await checkPage(view, '/contacts', ready, 'records-contacts-1920');
  await checkPage(view, '/companies', ready, 'records-companies-1920');
  await checkPage(view, `/contacts/${contact.id}`, (p) => p.getByRole('region', { name: 'Recent activity' }), 'records-contact-1920');
  await checkPage(view, '/tasks?done=all', ready, 'records-tasks-1920');
  await checkPage(view, '/incoming', ready, 'records-incoming-1920');
  await checkPage(view, '/lists', (p) => p.getByRole('navigation', { name: 'Lists' }), 'records-lists-1920');
  await checkPage(view, '/inbox', (p) => p.locator('[data-message-id]'), 'records-inbox-1920');
  await view.context.close();
});
