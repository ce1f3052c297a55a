// Custom fields, field rights, tags, notes, links and the customer page in the console. An
// administrator defines lead fields on Settings → Custom fields and restricts them for one user
// in that user's rights matrix (the server narrows edit to view), and previews denying one in a
// role's matrix (the holders' field rights before and after); that user then finds the hidden
// field absent from the lead page and the read-only one disabled, edits an editable field, adds
// a tag (created in the catalog), writes and edits a note and links a contact — each checked
// against the API; the leads and contacts lists filter by tags; the customer page edits a
// customer, its tags and its custom fields, and the customers list filters by tags; the customer
// page lists the customer's notes and tasks and adds both, as a lead's page does; a name typed
// in a lead's or a contact's edit form survives a save of the record's tags, and the form's Save
// sends the name alone (a stage or first name changed meanwhile is kept). Every new page passes
// axe-core and logs no errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminPassword, apiSession, checkAccessibility, checkPage, launchBrowser, openPage, screenshot, signIn, startServer } from '../harness.mjs';

let server;
let browser;
let admin; // the API as the demo administrator
let clerk; // the user whose field rights are restricted
let clerkApi;
let lead; // a lead the clerk may edit
const clerkEmail = 'field.clerk@e2e.test';
const fields = {}; // name -> definition

before(async () => {
  server = await startServer({ leads: 40 });
  browser = await launchBrowser();
  admin = await apiSession(server.url, server.adminEmail);
  const all = { view: 'A', add: 'A', edit: 'A', delete: 'D', export: 'D' };
  const created = await admin('POST', '/api/v4/users', [
    { name: 'Field Clerk', email: clerkEmail, password: adminPassword, rights: { leads: all, contacts: all, companies: all } },
  ]);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  clerk = created.body._embedded.users[0];
  clerkApi = await apiSession(server.url, clerkEmail);
  const defined = await admin('POST', '/api/v4/leads/custom_fields', [
    { name: 'Budget', type: 'price' },
    { name: 'Secret', type: 'text' },
    { name: 'Channel', type: 'select', enums: [{ value: 'Web', sort: 1 }, { value: 'Phone', sort: 2 }] },
    { name: 'Website', type: 'url' },
  ]);
  assert.equal(defined.status, 200, JSON.stringify(defined.body));
  for (const f of defined.body._embedded.custom_fields) fields[f.name] = f;
  lead = (await admin('GET', '/api/v4/leads?limit=1&order[id]=desc')).body._embedded.leads[0];
  const written = await admin('PATCH', `/api/v4/leads/${lead.id}`, {
    custom_fields_values: [
      { field_id: fields.Budget.id, values: [{ value: 1200 }] },
      { field_id: fields.Secret.id, values: [{ value: 'only for some eyes' }] },
    ],
  });
  assert.equal(written.status, 200, JSON.stringify(written.body));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an administrator adds a select field with options on Settings → Custom fields', async () => {
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await checkPage(view, '/settings/fields', (p) => p.getByRole('table', { name: 'Custom fields of leads' }), 'settings-fields');
  await page.getByRole('button', { name: 'Add field' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a field to leads' });
  await dialog.getByRole('textbox', { name: 'Field name' }).fill('Region');
  await dialog.getByRole('combobox', { name: 'Type' }).click();
  await dialog.getByRole('option', { name: 'Select', exact: true }).click();
  await dialog.getByRole('button', { name: 'Add option' }).click();
  await dialog.getByRole('textbox', { name: 'Option 1' }).fill('North');
  await dialog.getByRole('button', { name: 'Add option' }).click();
  await dialog.getByRole('textbox', { name: 'Option 2' }).fill('South');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('table', { name: 'Custom fields of leads' }).getByRole('cell', { name: 'North, South' }).waitFor();
  const listed = (await admin('GET', '/api/v4/leads/custom_fields')).body._embedded.custom_fields;
  const region = listed.find((f) => f.name === 'Region');
  assert.equal(region.type, 'select');
  assert.deepEqual(region.enums.map((e) => e.value), ['North', 'South']);

  await page.getByRole('button', { name: 'Edit Region' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit field Region' });
  assert.equal(await edit.getByRole('combobox', { name: 'Type' }).isDisabled(), true, 'the type never changes');
  await edit.getByRole('button', { name: 'Remove option 2' }).click();
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  const after = (await admin('GET', `/api/v4/leads/custom_fields/${region.id}`)).body;
  assert.deepEqual(after.enums.map((e) => e.value), ['North']);
  view.clean();
  await view.context.close();
});

test('field rights in the user matrix: hidden and read-only, edit narrowed to view by the server', async () => {
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await checkPage(view, `/settings/users/${clerk.id}`, (p) => p.getByRole('table', { name: 'Field rights of leads' }), 'settings-user-field-rights');
  const save = page.getByRole('button', { name: 'Save' });
  await page.getByRole('radiogroup', { name: 'Leads: Secret view' }).getByRole('radio', { name: 'Denied' }).check();
  // The server narrows edit to view: the edit cell follows and the page says so.
  await page.getByText(/Adjusted by the server.*Leads: Secret edit/).waitFor();
  assert.equal(await page.getByRole('radiogroup', { name: 'Leads: Secret edit' }).getByRole('radio', { name: 'Denied' }).isChecked(), true);
  await page.getByRole('radiogroup', { name: 'Leads: Budget edit' }).getByRole('radio', { name: 'Denied' }).check();
  await save.and(page.locator(':not([disabled])')).waitFor();
  await save.click();
  await page.getByText('Saved.').waitFor();
  const rights = (await admin('GET', `/api/v4/users/${clerk.id}`)).body.rights.custom_fields_rights;
  assert.deepEqual(rights.leads, {
    [fields.Budget.id]: { view: 'A', edit: 'D' },
    [fields.Secret.id]: { view: 'D', edit: 'D' },
  });
  view.clean();

  // A role's matrix has the same field rights, and before Save its impact preview names every
  // holder whose field rights would change, with the field's rights before and after.
  const role = (await admin('GET', '/api/v4/roles')).body._embedded.roles[0];
  await checkPage(view, `/settings/roles/${role.id}`, (p) => p.getByRole('radiogroup', { name: 'Leads: Budget view' }), 'settings-role-field-rights');
  const users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
  // Administrators see every field and deactivated or free users none: their rights do not change.
  const holders = users.filter((u) => u.rights.role_id === role.id && u.rights.is_active && !u.rights.is_free && !u.rights.is_admin);
  assert.ok(holders.length > 0, `the demo role ${role.name} has active holders`);
  await page.getByRole('radiogroup', { name: 'Leads: Budget view' }).getByRole('radio', { name: 'Denied' }).check();
  const preview = page.getByRole('region', { name: 'Impact preview' });
  await preview.waitFor();
  await page.getByLabel('Computing the impact').waitFor({ state: 'detached' });
  const n = holders.length;
  await preview
    .getByText(n === 1 ? '1 user affected: 1 custom field right changes.' : `${n} users affected: ${n} custom field rights change.`, { exact: true })
    .waitFor();
  const listed = await preview.getByRole('link').allInnerTexts();
  assert.deepEqual(listed, holders.map((u) => u.name), 'exactly the active holders are listed');
  for (const holder of holders) {
    const table = preview.getByRole('table', { name: `Field rights of ${holder.name}`, exact: true });
    const rows = await table.getByRole('row').filter({ has: page.getByRole('cell') }).all();
    assert.equal(rows.length, 1, `one changed field for ${holder.name}`);
    // Edit is narrowed to view by the server, so it flips too.
    assert.deepEqual(await rows[0].getByRole('cell').allInnerTexts(), ['Budget', 'Leads', 'Allowed → Denied', 'Allowed → Denied']);
    // Only field rights change: no (empty) records table.
    assert.equal(await preview.getByRole('table', { name: `Impact on ${holder.name}`, exact: true }).count(), 0);
  }
  await checkAccessibility(page, 'settings-role-field-impact');
  await screenshot(page, 'settings-role-field-impact');
  // Discarded, nothing is saved.
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await preview.waitFor({ state: 'detached' });
  const kept = (await admin('GET', `/api/v4/roles/${role.id}`)).body.rights.custom_fields_rights ?? {};
  assert.deepEqual(kept.leads ?? {}, {});
  view.clean();
  await view.context.close();
});

test('the restricted user: a hidden field is absent, a read-only one disabled; fields, tags, notes and links are edited', async () => {
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, clerkEmail);
  await checkPage(view, `/leads/${lead.id}`, (p) => p.getByRole('region', { name: 'Custom fields' }).getByRole('textbox', { name: 'Budget' }), 'lead-extras');
  const custom = page.getByRole('region', { name: 'Custom fields' });
  assert.equal(await page.getByText('Secret').count(), 0, 'the hidden field is not on the page');
  assert.equal(await page.getByText('only for some eyes').count(), 0, 'nor its value');
  const budget = custom.getByRole('textbox', { name: 'Budget' });
  assert.equal(await budget.inputValue(), '1200');
  assert.equal(await budget.isDisabled(), true, 'the read-only field cannot be edited');

  // The API's refusal of a value lands under the field it names; nothing is saved.
  const website = custom.getByRole('textbox', { name: 'Website' });
  await website.fill('not an address');
  await custom.getByRole('button', { name: 'Save' }).click();
  await custom.getByText(/http:\/\/ or https:\/\/ address/).waitFor();
  assert.equal(await website.getAttribute('aria-invalid'), 'true');
  view.clean([/status of 400/]);
  await website.fill('https://example.com/acme');
  await custom.getByRole('combobox', { name: 'Channel' }).click();
  await page.getByRole('option', { name: 'Phone', exact: true }).click();
  await custom.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Fields saved').waitFor();
  const read = (await clerkApi('GET', `/api/v4/leads/${lead.id}`)).body;
  const channel = read.custom_fields_values.find((v) => v.field_id === fields.Channel.id);
  assert.equal(channel.values[0].value, 'Phone');
  assert.equal(read.custom_fields_values.find((v) => v.field_id === fields.Website.id).values[0].value, 'https://example.com/acme');
  assert.equal(read.custom_fields_values.some((v) => v.field_id === fields.Secret.id), false);
  const kept = (await admin('GET', `/api/v4/leads/${lead.id}`)).body.custom_fields_values;
  assert.equal(kept.find((v) => v.field_id === fields.Secret.id).values[0].value, 'only for some eyes', 'the hidden value is kept');

  // Tags: a new name is created in the catalog and added to the lead.
  const tags = page.getByRole('region', { name: 'Tags' });
  await tags.getByLabel('Tags', { exact: true }).fill('Hot prospect');
  await tags.getByLabel('Tags', { exact: true }).press('Enter');
  await tags.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Tags saved').waitFor();
  const tagged = (await clerkApi('GET', `/api/v4/leads/${lead.id}`)).body._embedded.tags;
  assert.deepEqual(tagged.map((t) => t.name), ['Hot prospect']);

  // Notes: a common note is added, then edited by its author.
  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByRole('textbox', { name: 'New note' }).fill('Called, wants a quote.');
  await notes.getByRole('button', { name: 'Add note' }).click();
  // The note in the list (not the text still in the input while the request runs).
  await notes.getByRole('listitem').filter({ hasText: 'Called, wants a quote.' }).waitFor();
  const note = (await clerkApi('GET', `/api/v4/leads/${lead.id}/notes`)).body._embedded.notes[0];
  await notes.getByRole('button', { name: `Edit note ${note.id}` }).click();
  await notes.getByRole('textbox', { name: `Note ${note.id} text` }).fill('Called, wants a quote by Friday.');
  await notes.getByRole('button', { name: 'Save' }).click();
  await notes.getByRole('textbox', { name: `Note ${note.id} text` }).waitFor({ state: 'hidden' }); // saved: the form closes
  await notes.getByRole('listitem').filter({ hasText: 'Called, wants a quote by Friday.' }).waitFor();
  assert.equal((await clerkApi('GET', `/api/v4/leads/${lead.id}/notes/${note.id}`)).body.params.text, 'Called, wants a quote by Friday.');

  // Links: a contact found by name is linked, then unlinked.
  const contact = (await clerkApi('GET', '/api/v4/contacts?limit=1&order[id]=desc')).body._embedded.contacts[0];
  const contacts = page.getByRole('region', { name: 'Contacts' });
  const picker = contacts.getByRole('combobox', { name: 'Contact to link' });
  await picker.click();
  await picker.fill(contact.name);
  await page.getByRole('option', { name: contact.name }).first().click();
  await contacts.getByRole('button', { name: 'Link', exact: true }).click();
  await page.getByText('Linked', { exact: true }).waitFor();
  const linked = (await clerkApi('GET', `/api/v4/leads/${lead.id}/links`)).body._embedded.links;
  assert.ok(linked.some((l) => l.to_entity_type === 'contacts' && l.to_entity_id === contact.id));
  await contacts.getByRole('button', { name: `Unlink ${contact.name}` }).first().click();
  await page.getByText('Unlinked', { exact: true }).waitFor();
  const left = await clerkApi('GET', `/api/v4/leads/${lead.id}/links?filter[to_entity_type]=contacts&filter[to_entity_id]=${contact.id}`);
  assert.ok(left.status === 204 || left.body._embedded.links.length === 0);
  view.clean();

  // The leads list filters by the tag and shows it in the rows.
  const tag = tagged[0];
  await checkPage(view, `/leads?tag=${tag.id}`, (p) => p.locator('[data-ready="true"]'), 'leads-tag-filter');
  const rows = await page.locator('[data-lead-id]').evaluateAll((r) => r.map((e) => Number(e.dataset.leadId)));
  assert.deepEqual(rows, [lead.id]);
  await page.getByRole('table', { name: 'Leads' }).getByText('Hot prospect').waitFor();
  view.clean();

  // So do the contacts (a tag given through the API, by name).
  const tagged2 = await admin('PATCH', `/api/v4/contacts/${contact.id}`, { tags_to_add: [{ name: 'Supplier' }] });
  assert.equal(tagged2.status, 200, JSON.stringify(tagged2.body));
  const supplier = tagged2.body._embedded?.tags?.find((t) => t.name === 'Supplier')
    ?? (await admin('GET', `/api/v4/contacts/${contact.id}`)).body._embedded.tags.find((t) => t.name === 'Supplier');
  await page.goto(`/contacts?tag=${supplier.id}`);
  await page.locator('[data-ready="true"]').waitFor();
  const shown = await page.getByRole('table', { name: 'Contacts', exact: true }).getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(shown, [`/contacts/${contact.id}`]);
  await page.getByRole('table', { name: 'Contacts', exact: true }).getByText('Supplier').waitFor();
  view.clean();
  await view.context.close();
});

test('the customer page saves an edit, a tag and a custom field; the customers list filters by the tag', async () => {
  const defined = await admin('POST', '/api/v4/customers/custom_fields', [{ name: 'Account code', type: 'text' }]);
  assert.equal(defined.status, 200, JSON.stringify(defined.body));
  const accountCode = defined.body._embedded.custom_fields[0];
  let customer = (await admin('GET', '/api/v4/customers?limit=1')).body?._embedded?.customers?.[0];
  if (!customer) {
    const made = await admin('POST', '/api/v4/customers', [{ name: 'Repeat Buyer Ltd', next_price: 500 }]);
    assert.equal(made.status, 200, JSON.stringify(made.body));
    customer = (await admin('GET', `/api/v4/customers/${made.body._embedded.customers[0].id}`)).body;
  }
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await checkPage(view, `/customers/${customer.id}`, (p) => p.getByRole('region', { name: 'Edit customer' }), 'customer-record');
  const form = page.getByRole('region', { name: 'Edit customer' });
  await form.getByRole('textbox', { name: 'Expected amount' }).fill('750');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Customer saved').waitFor();
  assert.equal((await admin('GET', `/api/v4/customers/${customer.id}`)).body.next_price, 750);
  // An emptied amount is refused on its field, not saved as 0.
  await form.getByRole('textbox', { name: 'Expected amount' }).fill('');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('Enter an amount (0 for none)').waitFor();
  assert.equal((await admin('GET', `/api/v4/customers/${customer.id}`)).body.next_price, 750);
  await form.getByRole('textbox', { name: 'Expected amount' }).fill('750');

  // Tags and custom fields, with the panels of the other record pages.
  // The record's refresh after the tags' save comes late (as on a slow link), after a value was
  // typed in the fields: the refresh must not discard it (the panels were remounted on every
  // change of the record, and a draft typed meanwhile was lost).
  const recordUrl = `**/api/v4/customers/${customer.id}*`;
  await page.route(recordUrl, async (route) => {
    if (route.request().method() === 'GET') await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  const refreshed = page.waitForResponse((r) => r.url().includes(`/api/v4/customers/${customer.id}`) && r.request().method() === 'GET');
  // updated_at counts seconds: the tags' save must land in a later second than the edit above
  // for the record to change under the panels.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const tags = page.getByRole('region', { name: 'Tags' });
  await tags.getByLabel('Tags', { exact: true }).fill('Loyal');
  await tags.getByLabel('Tags', { exact: true }).press('Enter');
  await tags.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Tags saved').waitFor();
  const fieldsRegion = page.getByRole('region', { name: 'Custom fields' });
  await fieldsRegion.getByRole('textbox', { name: 'Account code' }).fill('AC-42');
  await refreshed;
  await page.getByRole('region', { name: 'Tags' }).getByText('Loyal').first().waitFor();
  assert.equal(await fieldsRegion.getByRole('textbox', { name: 'Account code' }).inputValue(), 'AC-42');
  await fieldsRegion.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Fields saved').waitFor();
  await page.unrouteAll({ behavior: 'wait' }); // the fields' own refresh is still held back
  const read = (await admin('GET', `/api/v4/customers/${customer.id}`)).body;
  const loyal = read._embedded.tags.find((t) => t.name === 'Loyal');
  assert.ok(loyal, JSON.stringify(read._embedded.tags));
  assert.equal(read.custom_fields_values.find((v) => v.field_id === accountCode.id).values[0].value, 'AC-42');
  view.clean();

  await checkPage(view, `/customers?tag=${loyal.id}`, (p) => p.locator('[data-ready="true"]'), 'customers-tag-filter');
  const shown = await page.getByRole('table', { name: 'Customers' }).getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(shown, [`/customers/${customer.id}`]);
  view.clean();
  await view.context.close();
});

test('the customer page lists its notes and tasks and adds both, as a lead page does', async () => {
  const made = await admin('POST', '/api/v4/customers', [{ name: 'E2E Tasks And Notes Buyer' }]);
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const customerId = made.body._embedded.customers[0].id;
  const given = await admin('POST', '/api/v4/tasks', [
    { text: 'E2E renew the contract', complete_till: 1900000000, entity_type: 'customers', entity_id: customerId },
  ]);
  assert.equal(given.status, 200, JSON.stringify(given.body));
  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  const tasks = page.getByRole('region', { name: 'Tasks' });
  await checkPage(view, `/customers/${customerId}`, () => tasks.getByText('E2E renew the contract'), 'customer-notes-tasks');

  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByRole('textbox', { name: 'New note' }).fill('Asked for a loyalty discount.');
  await notes.getByRole('button', { name: 'Add note' }).click();
  await notes.getByRole('listitem').filter({ hasText: 'Asked for a loyalty discount.' }).waitFor();
  const stored = (await admin('GET', `/api/v4/customers/${customerId}/notes`)).body._embedded.notes;
  assert.deepEqual(stored.map((n) => [n.note_type, n.params.text]), [['common', 'Asked for a loyalty discount.']]);

  await tasks.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Task', { exact: true }).fill('E2E call about the next order');
  await dialog.getByLabel('Due', { exact: true }).fill('2031-03-04T10:30');
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await tasks.getByText('E2E call about the next order').waitFor();
  const listed = (await admin('GET', `/api/v4/tasks?filter[entity_type]=customers&filter[entity_id]=${customerId}`)).body._embedded.tasks;
  assert.deepEqual(listed.map((t) => t.text).sort(), ['E2E call about the next order', 'E2E renew the contract']);
  assert.equal((await admin('GET', `/api/v4/customers/${customerId}`)).body.closest_task_at, 1900000000, 'the earliest open task');
  view.clean();
  await view.context.close();
});

// Waits until a form's or panel's own save has finished, the record's refresh included: its Save
// stays busy until then, and is disabled once nothing is left to save.
async function settledSave(region) {
  await region.getByRole('button', { name: 'Save' }).and(region.locator('[disabled]:not([data-loading])')).waitFor();
}

// Adds a tag on the record page shown and saves it; returns the record as the page read it again.
async function saveTag(page, kind, id, name) {
  // updated_at counts seconds: the tags' save must land in a later second than the record's last
  // write for the refreshed record to differ.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const refreshed = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v4/${kind}/${id}` && r.request().method() === 'GET');
  const tags = page.getByRole('region', { name: 'Tags' });
  await tags.getByLabel('Tags', { exact: true }).fill(name);
  await tags.getByLabel('Tags', { exact: true }).press('Enter');
  // The catalog's other tags, offered below the input, would cover the Save button.
  await tags.getByLabel('Tags', { exact: true }).press('Escape');
  await tags.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Tags saved').waitFor();
  await settledSave(tags);
  return (await refreshed).json();
}

test('a name typed in a record\'s edit form survives a save of its tags, and its Save sends only the name', async () => {
  // A lead in a working stage of the main pipeline, with a second working stage to be moved to.
  const main = (await admin('GET', '/api/v4/leads/pipelines')).body._embedded.pipelines.find((p) => p.is_main);
  const working = main._embedded.statuses.filter((s) => s.type === 0 && s.id !== 142 && s.id !== 143);
  assert.ok(working.length >= 2, 'two working stages');
  const [from, to] = working;
  const target = (await admin('GET', '/api/v4/leads?limit=1&order[id]=asc')).body._embedded.leads[0];
  const placed = await admin('PATCH', `/api/v4/leads/${target.id}`, { pipeline_id: main.id, status_id: from.id });
  assert.equal(placed.status, 200, JSON.stringify(placed.body));
  const shown = (await admin('GET', `/api/v4/leads/${target.id}`)).body;

  const view = await openPage(browser, server.url);
  const { page } = view;
  await signIn(page, server.adminEmail);
  await page.goto(`/leads/${target.id}`);
  const form = page.getByRole('region', { name: 'Edit lead' });
  const name = form.getByRole('textbox', { name: 'Name', exact: true });
  await name.waitFor();
  const renamed = `${shown.name} (renamed)`;
  await name.fill(renamed);
  // The form was remounted whenever the lead's updated_at changed, so the refresh after the tags'
  // save put the lead's old name back in the input.
  const refreshed = await saveTag(page, 'leads', target.id, 'Draft keeper');
  assert.ok(refreshed.updated_at > shown.updated_at, 'the lead was read again with a new updated_at');
  assert.equal(await name.inputValue(), renamed);

  // Meanwhile the lead is moved to another stage (as on the board by someone else); the page has
  // not read it since. Its Save sends the name only, so the move is not undone.
  const moved = await admin('PATCH', `/api/v4/leads/${target.id}`, { pipeline_id: main.id, status_id: to.id });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Lead saved').waitFor();
  await settledSave(form);
  assert.equal(await name.inputValue(), renamed);
  const lead = (await admin('GET', `/api/v4/leads/${target.id}`)).body;
  assert.equal(lead.name, renamed);
  assert.equal(lead.status_id, to.id, 'the stage moved meanwhile is kept');
  assert.ok(lead._embedded.tags.some((t) => t.name === 'Draft keeper'), JSON.stringify(lead._embedded.tags));
  view.clean();

  // The same on a contact's page, whose first name someone else changes before the Save.
  const contact = (await admin('GET', '/api/v4/contacts?limit=1&order[id]=asc')).body._embedded.contacts[0];
  await page.goto(`/contacts/${contact.id}`);
  const edit = page.getByRole('form', { name: 'Edit contact' });
  const contactName = edit.getByRole('textbox', { name: 'Name', exact: true });
  await contactName.waitFor();
  const typed = `${contact.name} (renamed)`;
  await contactName.fill(typed);
  const reread = await saveTag(page, 'contacts', contact.id, 'Draft keeper');
  assert.ok(reread.updated_at > contact.updated_at, 'the contact was read again with a new updated_at');
  assert.equal(await contactName.inputValue(), typed);
  const changed = await admin('PATCH', `/api/v4/contacts/${contact.id}`, { first_name: 'Concurrent' });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  const saved = (await admin('GET', `/api/v4/contacts/${contact.id}`)).body;
  assert.equal(saved.name, typed);
  assert.equal(saved.first_name, 'Concurrent', 'the first name changed meanwhile is kept');
  view.clean();
  await view.context.close();
});
