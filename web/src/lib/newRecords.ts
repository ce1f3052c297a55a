// Creating records from the console: who may create what (as the server decides it), whom a new
// record may be given to, which stages a new lead may start in, and the form's values turned
// into the API's body — never changed silently: a value the form cannot send as typed is an
// error on its field, and everything else is the server's to accept or refuse (its field errors
// land on the same fields).
import type { components } from '../api/schema';
import { fieldErrors, type Problem } from '../api/problem';
import { dayStart } from './listQuery';
import type { TaskEntityType } from './tasks';
import { levelAllows, type Viewer } from './recordRights';
import { wholeNumber } from './wholeNumber';

type Schemas = components['schemas'];
type Pipeline = Schemas['Pipeline'];

export type NewKind = 'leads' | 'contacts' | 'companies' | 'tasks' | 'customers';

// "lead", "contact", …: the button is "New {one}", the dialog "New {one}".
export const newKindWords: Record<NewKind, string> = {
  leads: 'lead',
  contacts: 'contact',
  companies: 'company',
  tasks: 'task',
  customers: 'customer',
};

function isAdmin(viewer: Viewer): boolean {
  return viewer.isAdmin || viewer.rights?.is_admin === true;
}

// Whether the viewer may create a record of `kind` at all. Leads, contacts and companies need
// their `add` right (A; add takes no other level); customers follow the leads' row. A new task
// must be one the caller could edit (docs/api.md): with tasks edit M, G or A the caller may at
// least give it to themself.
export function mayCreate(viewer: Viewer, kind: NewKind): boolean {
  if (isAdmin(viewer)) return true;
  const rights = viewer.rights;
  if (!rights) return false;
  if (kind === 'tasks') return rights.tasks.edit !== 'D';
  return rights[kind === 'customers' ? 'leads' : kind].add === 'A';
}

export interface Candidate {
  id: number;
  groupId: number | undefined;
}

// Whom a new record may be given to. A task only to users whose tasks the caller may edit (M:
// themself; G: their group; A: anyone); other kinds to anyone (add is A or D).
export function responsibleChoices<P extends Candidate>(viewer: Viewer, kind: NewKind, people: P[]): P[] {
  if (kind !== 'tasks' || isAdmin(viewer) || !viewer.rights) return people;
  const level = viewer.rights.tasks.edit;
  return people.filter((p) => levelAllows(level, viewer, { responsibleUserId: p.id, responsibleGroupId: p.groupId }));
}

// The stages of `pipeline` a new lead may start in, in board order: never the incoming-leads
// stage (leads enter it from outside), and not a stage whose stage rights deny the caller edit
// (the server checks the new lead as if it were the caller's own: M and G then allow).
export function stagesForNewLead(viewer: Viewer, pipeline: Pipeline | undefined) {
  const statuses = (pipeline?._embedded.statuses ?? []).filter((s) => s.type !== 1);
  if (!pipeline || isAdmin(viewer)) return statuses;
  const rights = viewer.rights;
  if (!rights) return [];
  return statuses.filter((s) => {
    const entry = rights.status_rights.find((r) => r.pipeline_id === pipeline.id && r.status_id === s.id);
    return (entry?.rights.edit ?? 'A') !== 'D';
  });
}

// Everything any of the five forms holds; each kind reads its own part.
export interface NewRecordDraft {
  name: string;
  first_name: string;
  last_name: string;
  price: number | string; // a NumberInput's value: '' when empty
  pipeline: string | null;
  status: string | null; // a lead's stage, or a customer's status
  responsible: string | null;
  text: string;
  due: string; // datetime-local: YYYY-MM-DDTHH:mm in the browser's time
  task_type: string; // '1' follow-up, '2' meeting
  next_day: string; // YYYY-MM-DD
  // A new lead's new contact and company, created with it (POST /api/v4/leads/complex); empty:
  // none.
  contact_name: string;
  company_name: string;
}

export const emptyDraft: NewRecordDraft = {
  name: '',
  first_name: '',
  last_name: '',
  price: '',
  pipeline: null,
  status: null,
  responsible: null,
  text: '',
  due: '',
  task_type: '1',
  next_day: '',
  contact_name: '',
  company_name: '',
};

// The record a new task belongs to (on a lead's, contact's, company's or customer's page).
export interface TaskTarget {
  entityType: TaskEntityType;
  entityId: number;
}

// A new lead's _embedded: the contact and the company to create with it.
export interface NewPeople {
  contacts?: { name: string }[];
  companies?: { name: string }[];
}

export type NewRecordBody = Record<string, string | number | null | NewPeople>;

export interface Built {
  body: NewRecordBody;
  errors: Record<string, string>; // by the API's field name; nothing is sent while any
}

// datetime-local (the browser's time) as unix seconds, or null when not a time.
export function localTimeSeconds(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

// The API body of a new record of `kind` from the form; only what was given is sent, so the
// server's defaults apply to the rest (its first pipeline and stage, the caller as responsible).
export function newRecordBody(kind: NewKind, draft: NewRecordDraft, target?: TaskTarget): Built {
  const body: NewRecordBody = {};
  const errors: Record<string, string> = {};
  if (draft.responsible) body.responsible_user_id = Number(draft.responsible);
  const number = (field: string, raw: number | string) => {
    const parsed = wholeNumber(raw);
    if (parsed.error) errors[field] = parsed.error;
    else if (parsed.value !== undefined) body[field] = parsed.value;
  };
  switch (kind) {
    case 'leads':
      body.name = draft.name;
      number('price', draft.price);
      if (draft.pipeline) body.pipeline_id = Number(draft.pipeline);
      if (draft.status) body.status_id = Number(draft.status);
      addNewPeople(body, draft);
      break;
    case 'contacts':
      body.name = draft.name;
      if (draft.first_name) body.first_name = draft.first_name;
      if (draft.last_name) body.last_name = draft.last_name;
      break;
    case 'companies':
      body.name = draft.name;
      break;
    case 'customers':
      body.name = draft.name;
      number('next_price', draft.price);
      if (draft.next_day) body.next_date = dayStart(draft.next_day);
      if (draft.status) body.status_id = Number(draft.status);
      break;
    case 'tasks': {
      body.text = draft.text;
      body.task_type_id = Number(draft.task_type);
      if (draft.due === '') errors.complete_till = 'Choose when the task is due';
      else {
        const due = localTimeSeconds(draft.due);
        if (due === null) errors.complete_till = 'Enter a date and time';
        else body.complete_till = due;
      }
      if (target) {
        body.entity_type = target.entityType;
        body.entity_id = target.entityId;
      }
      break;
    }
  }
  return { body, errors };
}

// A new lead's contact and company typed in its form, as _embedded of POST /leads/complex.
function addNewPeople(body: NewRecordBody, draft: NewRecordDraft) {
  const people: NewPeople = {};
  if (draft.contact_name.trim()) people.contacts = [{ name: draft.contact_name.trim() }];
  if (draft.company_name.trim()) people.companies = [{ name: draft.company_name.trim() }];
  if (people.contacts || people.companies) body._embedded = people;
}

// Whether a new lead's body creates a contact or a company with it (POST /api/v4/leads/complex).
export function createsPeople(body: NewRecordBody): boolean {
  return typeof body._embedded === 'object' && body._embedded !== null;
}

// The field errors of a new lead sent with its contact or company: those about the new contact
// or company go to its input (contact_name, company_name), never to the lead's field of the same
// name ("0._embedded.contacts.0.name" is not the lead's "name"); the rest as fieldErrors gives
// them.
export function newLeadFieldErrors(problem: Problem): Record<string, string> {
  const person = (path: string | undefined) => /^(?:\d+\.)?_embedded\.(contacts|companies)\b/.exec(path ?? '');
  const groups = problem['validation-errors'] ?? [];
  const out = fieldErrors({
    ...problem,
    'validation-errors': groups.map((g) => ({ ...g, errors: g.errors?.filter((e) => !person(e.path)) })),
  });
  for (const error of groups.flatMap((g) => g.errors ?? [])) {
    const match = person(error.path);
    if (!match) continue;
    const key = match[1] === 'contacts' ? 'contact_name' : 'company_name';
    out[key] ??= error.detail ?? error.code ?? 'Invalid value';
  }
  return out;
}
