// PATCH of one lead, contact, company or customer with the members a record extra changes (tags,
// custom field values): the four kinds take them in the same shape (openapi/records.json,
// customers.json).
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import type { FieldKind } from '../../lib/customFields';

export type ExtrasPatch = Pick<components['schemas']['LeadInput'], 'tags_to_add' | 'tags_to_delete' | 'custom_fields_values'>;

export function patchRecord(kind: FieldKind, id: number, body: ExtrasPatch) {
  const path = { id };
  if (kind === 'leads') return unwrap(api.PATCH('/api/v4/leads/{id}', { params: { path }, body }));
  if (kind === 'contacts') return unwrap(api.PATCH('/api/v4/contacts/{id}', { params: { path }, body }));
  if (kind === 'customers') return unwrap(api.PATCH('/api/v4/customers/{id}', { params: { path }, body }));
  return unwrap(api.PATCH('/api/v4/companies/{id}', { params: { path }, body }));
}

// Query keys a record's write makes stale: its page, its lists, its activity.
export function recordKeys(kind: FieldKind, id: number) {
  return [[kind], ['events'], ['tags', kind], ['notes', kind, id]];
}
