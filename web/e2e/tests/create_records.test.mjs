// Creating records: "New lead", "New contact", "New company", "New task", "New customer" are
// offered only with the right to create; a salesperson with it creates one of each and finds it
// (the new record's page, or the record's tasks); the server's field errors land on their
// fields, and a lead's price is never changed behind the user's back (no clamping of -50 to 0).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiSession, checkAccessibility, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin;
let seller;

before(async () => {
  server = await startServer({ leads: 60 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  const users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
  seller = users.find((u) => !u.rights?.is_admin && u.rights?.is_active && !u.rights?.is_free);
  assert.ok(seller, 'a paid active salesperson');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const own = (add) => ({ view: 'M', add, edit: 'M', delete: 'D', export: 'D' });

async function setRights(rights) {
  const changed = await admin('PATCH', `/api/v4/users/${seller.id}`, { rights: { ...rights, status_rights: [] }, role_id: null });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
}

// The field labelled `label` in `scope` shows `text` as its error.
async function fieldError(scope, label, text) {
  const input = scope.getByLabel(label, { exact: true });
  await scope.page().waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await input.elementHandle());
  await scope.getByText(text).waitFor();
}

test('without the add right no "New …" is offered', async () => {
  await setRights({ leads: own('D'), contacts: own('D'), companies: own('D'), tasks: { view: 'M', edit: 'D', delete: 'D' } });
  const view = await openPage(browser, server.url);
  try {
    const { page } = view;
    await signIn(page, seller.email);
    for (const [path, ready, button] of [
      ['/leads', 'Leads', 'New lead'],
      ['/contacts', 'Contacts', 'New contact'],
      ['/companies', 'Companies', 'New company'],
      ['/customers', 'Customers', 'New customer'],
      ['/tasks', 'Tasks', 'New task'],
    ]) {
      await page.goto(path);
      await page.getByRole('heading', { name: ready, level: 1 }).waitFor();
      await page.locator('[data-ready="true"]').first().waitFor();
      await page.waitForLoadState('networkidle'); // the user's rights are in
      assert.equal(await page.getByRole('button', { name: button }).count(), 0, `${button} on ${path}`);
    }
    view.clean();
  } finally {
    await view.context.close();
  }
});

test('a salesperson with add creates a lead, a task, a contact, a company and a customer', async () => {
  await setRights({ leads: own('A'), contacts: own('A'), companies: own('A'), tasks: { view: 'M', edit: 'M', delete: 'D' } });
  const view = await openPage(browser, server.url);
  try {
    const { page } = view;
    await signIn(page, seller.email);

    // A lead: the server refuses a negative price on the Price field; then it is created and opened.
    await page.goto('/leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByLabel('Name', { exact: true }).fill('E2E created lead');
    await dialog.getByLabel('Stage', { exact: true }).waitFor();
    await checkAccessibility(page, 'new lead dialog');
    await dialog.getByLabel('Price', { exact: true }).fill('-1');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await fieldError(dialog, 'Price', /price must be >= 0/);
    assert.equal(await dialog.getByLabel('Price', { exact: true }).inputValue(), '-1', 'the price is kept as typed');
    await screenshot(page, 'new-lead-error');
    view.clean([/status of 400/]);
    await dialog.getByLabel('Price', { exact: true }).fill('1500');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await page.waitForURL(/\/leads\/\d+$/);
    await page.getByRole('heading', { name: 'E2E created lead', level: 1 }).waitFor();
    const leadId = Number(new URL(page.url()).pathname.split('/').pop());
    const lead = (await admin('GET', `/api/v4/leads/${leadId}`)).body;
    assert.equal(lead.price, 1500);
    assert.equal(lead.responsible_user_id, seller.id);

    // A task of that lead: a missing due time is refused on its field; then it shows in the lead's tasks.
    const tasks = page.getByRole('region', { name: 'Tasks' });
    await tasks.getByRole('button', { name: 'New task' }).click();
    const taskDialog = page.getByRole('dialog', { name: 'New task' });
    await taskDialog.getByLabel('Task', { exact: true }).fill('E2E call the buyer');
    await taskDialog.getByRole('button', { name: 'Create task' }).click();
    await fieldError(taskDialog, 'Due', 'Choose when the task is due');
    await taskDialog.getByLabel('Due', { exact: true }).fill('2031-03-04T10:30');
    await taskDialog.getByLabel('Type', { exact: true }).click();
    await page.getByRole('option', { name: 'Meeting' }).click();
    await checkAccessibility(page, 'new task dialog');
    await taskDialog.getByRole('button', { name: 'Create task' }).click();
    await taskDialog.waitFor({ state: 'hidden' });
    await tasks.getByText(/E2E call the buyer/).waitFor();
    const created = (await admin('GET', `/api/v4/tasks?filter[entity_type]=leads&filter[entity_id]=${leadId}&limit=50`)).body._embedded.tasks;
    const task = created.find((t) => t.text === 'E2E call the buyer');
    assert.ok(task, 'the task exists');
    assert.equal(task.task_type_id, 2);
    assert.equal(task.responsible_user_id, seller.id);

    // The lead's edit form keeps a negative price as typed and shows the server's refusal.
    const edit = page.getByRole('region', { name: 'Edit lead' });
    await edit.getByLabel('Price', { exact: true }).fill('-50');
    await edit.getByLabel('Name', { exact: true }).click(); // blur: no clamping to 0
    assert.equal(await edit.getByLabel('Price', { exact: true }).inputValue(), '-50');
    await edit.getByRole('button', { name: 'Save' }).click();
    await fieldError(edit, 'Price', /price must be >= 0/);
    assert.equal(await page.getByText('Lead saved').count(), 0);
    assert.equal((await admin('GET', `/api/v4/leads/${leadId}`)).body.price, 1500);
    view.clean([/status of 400/]);

    // A contact, a company and a customer: each opens on its own page.
    for (const [list, word, fill] of [
      ['/contacts', 'contact', async (d) => {
        await d.getByLabel('Name', { exact: true }).fill('E2E Ann Lee');
        await d.getByLabel('First name', { exact: true }).fill('Ann');
        await d.getByLabel('Last name', { exact: true }).fill('Lee');
      }],
      ['/companies', 'company', async (d) => d.getByLabel('Name', { exact: true }).fill('E2E Widgets Ltd')],
      ['/customers', 'customer', async (d) => {
        await d.getByLabel('Name', { exact: true }).fill('E2E Corner Shop');
        await d.getByLabel('Expected amount', { exact: true }).fill('300');
        await d.getByLabel('Next purchase', { exact: true }).fill('2031-05-06');
      }],
    ]) {
      await page.goto(list);
      await page.getByRole('button', { name: `New ${word}` }).click();
      const d = page.getByRole('dialog', { name: `New ${word}` });
      await fill(d);
      await d.getByRole('button', { name: `Create ${word}` }).click();
      await page.waitForURL(new RegExp(`${list}/\\d+$`));
      const id = Number(new URL(page.url()).pathname.split('/').pop());
      const record = (await admin('GET', `/api/v4${list}/${id}`)).body;
      await page.getByRole('heading', { name: record.name, level: 1 }).waitFor();
      assert.equal(record.responsible_user_id, seller.id);
      if (word === 'contact') assert.deepEqual([record.first_name, record.last_name], ['Ann', 'Lee']);
      if (word === 'customer') assert.equal(record.next_price, 300);
      await screenshot(page, `new-${word}`);
    }
    assert.ok((await admin('GET', '/api/v4/companies?query=E2E%20Widgets')).body._embedded.companies.length === 1);
    view.clean();
  } finally {
    await view.context.close();
  }
});

test('a new lead brings its new contact and company, created together or not at all', async () => {
  await setRights({ leads: own('A'), contacts: own('A'), companies: own('D'), tasks: { view: 'M', edit: 'M', delete: 'D' } });
  const view = await openPage(browser, server.url);
  try {
    const { page } = view;
    await signIn(page, seller.email);
    const leadsBefore = (await admin('GET', '/api/v4/leads?query=E2E%20with%20people')).status;
    assert.equal(leadsBefore, 204, 'no such lead yet');

    // Without companies.add only a new contact is offered.
    await page.goto('/leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    let dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByLabel('Contact name', { exact: true }).waitFor();
    assert.equal(await dialog.getByLabel('Company name', { exact: true }).count(), 0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // With it: a contact name the server refuses is shown on that field, not on the lead's
    // name, and nothing is created.
    await setRights({ leads: own('A'), contacts: own('A'), companies: own('A'), tasks: { view: 'M', edit: 'M', delete: 'D' } });
    await page.reload();
    await page.getByRole('button', { name: 'New lead' }).click();
    dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByLabel('Name', { exact: true }).fill('E2E with people');
    await dialog.getByLabel('Company name', { exact: true }).fill('E2E People Ltd');
    await dialog.getByLabel('Contact name', { exact: true }).fill('x'.repeat(256));
    await checkAccessibility(page, 'new lead dialog with people');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await fieldError(dialog, 'Contact name', /longer than 255 characters/);
    assert.notEqual(await dialog.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true', "the lead's name is fine");
    assert.equal((await admin('GET', '/api/v4/companies?query=E2E%20People')).status, 204, 'the company was not kept');
    view.clean([/status of 400/]);

    await dialog.getByLabel('Contact name', { exact: true }).fill('E2E Form Contact');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await page.waitForURL(/\/leads\/\d+$/);
    await page.getByRole('heading', { name: 'E2E with people', level: 1 }).waitFor();
    const contacts = page.getByRole('region', { name: 'Contacts' });
    await contacts.getByRole('link', { name: 'E2E Form Contact' }).waitFor();
    await contacts.getByText('(main contact)').waitFor();
    await page.getByRole('region', { name: 'Companies' }).getByRole('link', { name: 'E2E People Ltd' }).waitFor();
    await screenshot(page, 'new-lead-with-people');

    const leadId = Number(new URL(page.url()).pathname.split('/').pop());
    const lead = (await admin('GET', `/api/v4/leads/${leadId}?with=contacts`)).body;
    const contact = (await admin('GET', `/api/v4/contacts/${lead._embedded.contacts[0].id}`)).body;
    assert.equal(contact.name, 'E2E Form Contact');
    assert.equal(contact.responsible_user_id, seller.id);
    view.clean();
  } finally {
    await view.context.close();
  }
});
