import { describe, expect, it } from 'vitest';
import type { components } from '../api/schema';
import { createsPeople, emptyDraft, mayCreate, newLeadFieldErrors, newRecordBody, responsibleChoices, stagesForNewLead } from './newRecords';
import type { Viewer } from './recordRights';
import { userRights } from './rightsFixture';

type UserRights = components['schemas']['UserRights'];
type Level = components['schemas']['Level'];
type Pipeline = components['schemas']['Pipeline'];

function rights(over: Partial<UserRights> = {}): UserRights {
  const record = (add: 'A' | 'D', edit: Level) => ({ view: 'A' as const, add, edit, delete: 'D' as const, export: 'D' as const });
  return userRights({
    companies: record('D', 'A'),
    contacts: record('A', 'M'),
    group_id: 3,
    incoming_leads: { view: 'A', accept: 'A', decline: 'D' },
    leads: record('A', 'M'),
    mail_access: true,
    tasks: { view: 'A', edit: 'G', delete: 'D' },
    ...over,
  });
}

const viewer = (r: UserRights | undefined, isAdmin = false): Viewer => ({ userId: 7, isAdmin, rights: r });

describe('newRecords', () => {
  it('offers creation by the add right (customers: the leads row), tasks by edit', () => {
    const v = viewer(rights());
    expect(mayCreate(v, 'leads')).toBe(true);
    expect(mayCreate(v, 'customers')).toBe(true);
    expect(mayCreate(v, 'contacts')).toBe(true);
    expect(mayCreate(v, 'companies')).toBe(false);
    expect(mayCreate(v, 'tasks')).toBe(true);
    expect(mayCreate(viewer(rights({ tasks: { view: 'A', edit: 'D', delete: 'D' } })), 'tasks')).toBe(false);
    const noLeads = viewer(rights({ leads: { view: 'A', add: 'D', edit: 'A', delete: 'D', export: 'D' } }));
    expect(mayCreate(noLeads, 'leads')).toBe(false);
    expect(mayCreate(noLeads, 'customers')).toBe(false);
    expect(mayCreate(viewer(undefined), 'contacts')).toBe(false);
    expect(mayCreate(viewer(undefined, true), 'companies')).toBe(true);
  });

  it('gives a task only to users whose tasks the caller may edit', () => {
    const people = [
      { id: 7, groupId: 3 },
      { id: 8, groupId: 3 },
      { id: 9, groupId: 4 },
    ];
    expect(responsibleChoices(viewer(rights()), 'tasks', people).map((p) => p.id)).toEqual([7, 8]);
    const own = viewer(rights({ tasks: { view: 'A', edit: 'M', delete: 'D' } }));
    expect(responsibleChoices(own, 'tasks', people).map((p) => p.id)).toEqual([7]);
    expect(responsibleChoices(own, 'leads', people)).toHaveLength(3);
  });

  it('starts a new lead only in stages its stage rights do not close', () => {
    const pipeline = {
      id: 5,
      _embedded: { statuses: [{ id: 10, type: 1 }, { id: 11, type: 0 }, { id: 12, type: 0 }, { id: 142, type: 0 }] },
    } as unknown as Pipeline;
    const closed = rights({ status_rights: [{ pipeline_id: 5, status_id: 12, rights: { edit: 'D' } }] } as Partial<UserRights>);
    expect(stagesForNewLead(viewer(closed), pipeline).map((s) => s.id)).toEqual([11, 142]);
    expect(stagesForNewLead(viewer(undefined, true), pipeline).map((s) => s.id)).toEqual([11, 12, 142]);
  });

  it('sends what was typed, and refuses what it cannot send as typed', () => {
    expect(newRecordBody('leads', { ...emptyDraft, name: 'Deal', price: -1, responsible: '8' })).toEqual({
      body: { name: 'Deal', price: -1, responsible_user_id: 8 },
      errors: {},
    });
    expect(newRecordBody('leads', { ...emptyDraft, name: 'Deal', price: '1.5' }).errors).toEqual({ price: 'Enter a whole number' });
    expect(newRecordBody('contacts', { ...emptyDraft, name: 'Ann Lee', first_name: 'Ann' }).body).toEqual({ name: 'Ann Lee', first_name: 'Ann' });
    const task = newRecordBody('tasks', { ...emptyDraft, text: 'Call', due: '2030-01-02T10:30', task_type: '2' }, { entityType: 'leads', entityId: 4 });
    expect(task.errors).toEqual({});
    expect(task.body).toMatchObject({ text: 'Call', task_type_id: 2, entity_type: 'leads', entity_id: 4 });
    expect(task.body.complete_till).toBe(Math.floor(new Date('2030-01-02T10:30').getTime() / 1000));
    expect(newRecordBody('tasks', { ...emptyDraft, text: 'Call' }).errors).toEqual({ complete_till: 'Choose when the task is due' });
    // A customer's page adds tasks to the customer, as a lead's page to the lead.
    const onCustomer = newRecordBody('tasks', { ...emptyDraft, text: 'Call', due: '2030-01-02T10:30' }, { entityType: 'customers', entityId: 9 });
    expect(onCustomer.body).toMatchObject({ entity_type: 'customers', entity_id: 9 });
    expect(newRecordBody('customers', { ...emptyDraft, name: 'Shop', price: 300, status: '2', next_day: '2030-01-02' }).body).toEqual({
      name: 'Shop',
      next_price: 300,
      status_id: 2,
      next_date: Math.floor(new Date(2030, 0, 2).getTime() / 1000),
    });
  });

  it('sends a new lead with the contact and company typed in its form, trimmed, and only then', () => {
    const plain = newRecordBody('leads', { ...emptyDraft, name: 'Deal', contact_name: '  ', company_name: '' });
    expect(plain.body).toEqual({ name: 'Deal' });
    expect(createsPeople(plain.body)).toBe(false);
    const both = newRecordBody('leads', { ...emptyDraft, name: 'Deal', contact_name: ' Ann Lee ', company_name: 'Shop' });
    expect(both.body).toEqual({ name: 'Deal', _embedded: { contacts: [{ name: 'Ann Lee' }], companies: [{ name: 'Shop' }] } });
    expect(createsPeople(both.body)).toBe(true);
    expect(newRecordBody('leads', { ...emptyDraft, name: 'Deal', company_name: 'Shop' }).body._embedded).toEqual({
      companies: [{ name: 'Shop' }],
    });
    // Contacts and companies have no such fields.
    expect(newRecordBody('contacts', { ...emptyDraft, name: 'Ann', contact_name: 'x' }).body).toEqual({ name: 'Ann' });
  });

  it("puts the new contact's and company's errors on their own inputs, not on the lead's", () => {
    const errors = newLeadFieldErrors({
      'validation-errors': [
        {
          request_id: '0',
          errors: [
            { path: '0._embedded.contacts.0.name', code: 'InvalidValue', detail: 'name is too long' },
            { path: '0._embedded.companies', code: 'TooMany', detail: 'at most one company' },
            { path: '0.price', code: 'InvalidValue', detail: 'price must be >= 0' },
          ],
        },
      ],
    });
    expect(errors.contact_name).toBe('name is too long');
    expect(errors.company_name).toBe('at most one company');
    expect(errors.price).toBe('price must be >= 0');
    expect(errors.name).toBeUndefined();
  });
});
