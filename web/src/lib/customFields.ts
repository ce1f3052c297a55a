// Custom fields on a record page: what each field looks like as a form value (a draft), how a
// draft becomes Kommo's `custom_fields_values` entry again, which fields changed, how the API's
// error paths (`custom_fields_values.N.…`) map back to fields, and whether the effective user
// may edit a field (`rights.custom_fields_rights`; a field the user may not view is never sent
// by the API, so only "edit" is decided here).
import type { components } from '../api/schema';
import type { Equal } from './useDrafts';

export type FieldDef = components['schemas']['CustomField'];
export type FieldType = FieldDef['type'];
export type FieldKind = 'leads' | 'contacts' | 'companies' | 'customers';

export const FIELD_TYPES: readonly { value: FieldType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'numeric', label: 'Number' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'select', label: 'Select' },
  { value: 'multiselect', label: 'Multiselect' },
  { value: 'date', label: 'Date' },
  { value: 'url', label: 'URL' },
  { value: 'textarea', label: 'Text area' },
  { value: 'price', label: 'Price' },
  { value: 'multitext', label: 'Phone or email (several values)' },
];

export function typeLabel(type: string): string {
  return FIELD_TYPES.find((t) => t.value === type)?.label ?? type;
}

// Types whose definition carries enums an administrator edits.
export function takesEnums(type: string): boolean {
  return type === 'select' || type === 'multiselect' || type === 'multitext';
}

// One value of an entry as the API renders it (service/custom_fields.cc RenderValue).
export interface ApiValue {
  value?: unknown;
  enum_id?: number | null;
  enum_code?: string | null;
}

export interface ApiEntry {
  field_id: number;
  field_name?: string;
  field_type?: string;
  values: ApiValue[] | null;
}

export interface MultitextItem {
  code: string;
  value: string;
}

// The form value of one field: text-like types a string (a date YYYY-MM-DD, a select its enum id
// or ''), a checkbox a boolean, a multiselect enum ids, a multitext its (code, value) pairs.
export type Draft = string | boolean | string[] | MultitextItem[];

export function entriesOf(raw: unknown): ApiEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (e): e is ApiEntry => typeof e === 'object' && e !== null && typeof (e as ApiEntry).field_id === 'number',
  );
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

// Unix seconds as the UTC calendar day: the server stores a YYYY-MM-DD date as its UTC midnight.
export function dayOfUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function draftOf(def: FieldDef, entry: ApiEntry | undefined): Draft {
  const values = entry?.values ?? [];
  const first = values[0];
  switch (def.type) {
    case 'checkbox':
      return first?.value === true;
    case 'select':
      return first?.enum_id ? String(first.enum_id) : '';
    case 'multiselect':
      return values.filter((v) => v.enum_id).map((v) => String(v.enum_id));
    case 'multitext':
      return values.map((v) => ({ code: v.enum_code ?? def.enums?.[0]?.value ?? '', value: text(v.value) }));
    case 'date':
      return typeof first?.value === 'number' && first.value !== 0 ? dayOfUnix(first.value) : '';
    default:
      return text(first?.value);
  }
}

// The `values` of a draft as the API takes them; [] clears the field.
export function valuesOf(def: FieldDef, draft: Draft): ApiValue[] {
  switch (def.type) {
    case 'checkbox':
      return [{ value: draft === true }];
    case 'select':
      return typeof draft === 'string' && draft !== '' ? [{ enum_id: Number(draft) }] : [];
    case 'multiselect':
      return Array.isArray(draft) ? (draft as string[]).map((id) => ({ enum_id: Number(id) })) : [];
    case 'multitext':
      return Array.isArray(draft)
        ? (draft as MultitextItem[])
            .filter((item) => item.value.trim() !== '')
            .map((item) => ({ value: item.value.trim(), enum_code: item.code }))
        : [];
    default: {
      const value = typeof draft === 'string' ? draft.trim() : '';
      return value === '' ? [] : [{ value }];
    }
  }
}

// Read-only text of a field's values ("—" for none).
export function displayOf(def: FieldDef, entry: ApiEntry | undefined): string {
  const draft = draftOf(def, entry);
  switch (def.type) {
    case 'checkbox':
      return draft === true ? 'Yes' : 'No';
    case 'select':
    case 'multiselect':
      return (entry?.values ?? []).map((v) => text(v.value)).join(', ') || '—';
    case 'multitext':
      return (draft as MultitextItem[]).map((i) => `${i.value} (${i.code})`).join(', ') || '—';
    default:
      return (draft as string) || '—';
  }
}

// rights.custom_fields_rights as the API sends it (a member left out is A).
export interface FieldRight {
  view?: 'A' | 'D';
  edit?: 'A' | 'D';
}
export type FieldRights = Record<string, Record<string, FieldRight>> | null | undefined;

// Whether the user may edit a field they can see: a field not listed is A/A; administrators edit
// every field. The server decides in the end (a 403 naming the field).
export function mayEditField(rights: FieldRights, isAdmin: boolean, kind: FieldKind, fieldId: number): boolean {
  if (isAdmin) return true;
  const right = rights?.[kind]?.[String(fieldId)];
  return right === undefined || ((right.view ?? 'A') === 'A' && (right.edit ?? 'A') === 'A');
}

function sameValues(a: ApiValue[], b: ApiValue[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface Change {
  field_id: number;
  values: ApiValue[];
}

// Each field's draft as the record holds it, by field id: the values a form starts from.
export function currentDrafts(defs: FieldDef[], entries: ApiEntry[]): Record<number, Draft> {
  return Object.fromEntries(defs.map((def) => [def.id, draftOf(def, entries.find((e) => e.field_id === def.id))]));
}

// Two drafts of a field are the same when they would be sent alike: trailing blanks and empty
// multitext rows do not count, so a draft that differs only so is never sent.
export function sameWhenSent(defs: FieldDef[]): Equal<Record<number, Draft>> {
  return Object.fromEntries(defs.map((def) => [def.id, (a: Draft, b: Draft) => sameValues(valuesOf(def, a), valuesOf(def, b))]));
}

// The `custom_fields_values` of a PATCH from the changed drafts, in the order of the definitions;
// fields the user did not touch (read-only ones included) are never sent.
export function changedValues(defs: FieldDef[], change: Partial<Record<number, Draft>>): Change[] {
  const out: Change[] = [];
  for (const def of defs) {
    const draft = change[def.id];
    if (draft !== undefined) out.push({ field_id: def.id, values: valuesOf(def, draft) });
  }
  return out;
}

// Errors of a PATCH at `custom_fields_values.N…` (N: the index in the entries sent), by field id.
export function errorsByField(errors: Record<string, string>, sent: Change[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const match = /^custom_fields_values\.(\d+)(\.|$)/.exec(path);
    if (!match) continue;
    const change = sent[Number(match[1])];
    if (change && out[change.field_id] === undefined) out[change.field_id] = message;
  }
  return out;
}

// Definitions in the order Kommo shows them: by sort, then id.
export function sortedDefs(defs: FieldDef[] | undefined): FieldDef[] {
  return [...(defs ?? [])].sort((a, b) => a.sort - b.sort || a.id - b.id);
}

// An administrator's draft of a field definition (Settings → Custom fields).
export interface DefinitionDraft {
  name: string;
  type: FieldType;
  code: string;
  enums: { id?: number; value: string }[];
}

export function definitionDraft(def: FieldDef | null): DefinitionDraft {
  if (!def) return { name: '', type: 'text', code: '', enums: [] };
  return {
    name: def.name,
    type: def.type,
    code: def.code ?? '',
    enums: [...(def.enums ?? [])].sort((a, b) => a.sort - b.sort).map((e) => ({ id: e.id, value: e.value })),
  };
}

export interface DefinitionBody {
  name: string;
  type?: FieldType;
  code?: string;
  enums?: { id?: number; value: string; sort: number }[];
}

// The POST body (type included) or PATCH body (the type never changes) of a draft. Options are
// sent in the order shown (listed ids kept, others deleted, new ones added); blank ones are left
// out. A multitext field without options gets Kommo's phone or email codes from the server.
export function definitionBody(draft: DefinitionDraft, creating: boolean): DefinitionBody {
  const out: DefinitionBody = { name: draft.name.trim() };
  if (creating) out.type = draft.type;
  if (draft.code.trim()) out.code = draft.code.trim();
  if (takesEnums(draft.type)) {
    const enums = draft.enums
      .filter((e) => e.value.trim() !== '')
      .map((e, i) => ({ ...(e.id ? { id: e.id } : {}), value: e.value.trim(), sort: (i + 1) * 10 }));
    if (enums.length > 0 || !creating) out.enums = enums;
  }
  return out;
}

// A definition's errors (paths `name`, `code`, `enums.N.value`, …; a batch POST prefixes the
// item's index) by input: the options by their index among the options sent.
export interface DefinitionErrors {
  name?: string;
  type?: string;
  code?: string;
  enums: Record<number, string>;
}

export function definitionErrors(errors: Record<string, string>): DefinitionErrors {
  const out: DefinitionErrors = { enums: {} };
  for (const [fullPath, message] of Object.entries(errors)) {
    const path = fullPath.replace(/^\d+\./, '');
    const option = /^enums\.(\d+)(\.|$)/.exec(path);
    if (option) out.enums[Number(option[1])] ??= message;
    else if (path === 'name' || path === 'type' || path === 'code') out[path] ??= message;
  }
  return out;
}
