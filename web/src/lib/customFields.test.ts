import { describe, expect, it } from 'vitest';
import {
  changedValues,
  currentDrafts,
  definitionBody,
  definitionDraft,
  definitionErrors,
  displayOf,
  draftOf,
  errorsByField,
  mayEditField,
  sameWhenSent,
  sortedDefs,
  valuesOf,
  type ApiEntry,
  type Draft,
  type FieldDef,
  type FieldType,
} from './customFields';
import { changeOf } from './useDrafts';

function def(id: number, type: FieldType, enums: { id: number; value: string }[] | null = null, sort = 0): FieldDef {
  return {
    id,
    name: `Field ${id}`,
    type,
    code: null,
    sort,
    is_api_only: false,
    enums: enums?.map((e, i) => ({ ...e, sort: i })) ?? null,
    entity_type: 'leads',
    account_id: 1,
    _links: { self: { href: '' } },
  } as FieldDef;
}

const colours = def(3, 'select', [{ id: 31, value: 'Red' }, { id: 32, value: 'Blue' }]);
const phones = def(4, 'multitext', [{ id: 41, value: 'WORK' }, { id: 42, value: 'MOB' }]);

describe('custom field drafts', () => {
  it('reads each type as a form value and writes it back', () => {
    expect(draftOf(def(1, 'text'), { field_id: 1, values: [{ value: 'hello' }] })).toBe('hello');
    expect(draftOf(def(1, 'numeric'), { field_id: 1, values: [{ value: '12.5' }] })).toBe('12.5');
    expect(draftOf(def(1, 'checkbox'), { field_id: 1, values: [{ value: true }] })).toBe(true);
    expect(draftOf(def(1, 'checkbox'), undefined)).toBe(false);
    expect(draftOf(colours, { field_id: 3, values: [{ value: 'Blue', enum_id: 32 }] })).toBe('32');
    expect(draftOf(def(5, 'multiselect', [{ id: 51, value: 'a' }]), { field_id: 5, values: [{ value: 'a', enum_id: 51 }] })).toEqual(['51']);
    expect(draftOf(def(6, 'date'), { field_id: 6, values: [{ value: 1767225600 }] })).toBe('2026-01-01');
    expect(draftOf(phones, { field_id: 4, values: [{ value: '+1 555', enum_id: 42, enum_code: 'MOB' }] })).toEqual([
      { code: 'MOB', value: '+1 555' },
    ]);

    expect(valuesOf(def(1, 'text'), '  hi  ')).toEqual([{ value: 'hi' }]);
    expect(valuesOf(def(1, 'text'), '   ')).toEqual([]); // clears
    expect(valuesOf(def(1, 'checkbox'), false)).toEqual([{ value: false }]);
    expect(valuesOf(colours, '31')).toEqual([{ enum_id: 31 }]);
    expect(valuesOf(colours, '')).toEqual([]);
    expect(valuesOf(def(6, 'date'), '2026-01-01')).toEqual([{ value: '2026-01-01' }]);
    expect(valuesOf(phones, [{ code: 'WORK', value: ' 1 ' }, { code: 'MOB', value: '' }])).toEqual([{ value: '1', enum_code: 'WORK' }]);
  });

  it('shows values as text', () => {
    expect(displayOf(colours, { field_id: 3, values: [{ value: 'Red', enum_id: 31 }] })).toBe('Red');
    expect(displayOf(def(1, 'text'), undefined)).toBe('—');
    expect(displayOf(def(1, 'checkbox'), { field_id: 1, values: [{ value: true }] })).toBe('Yes');
    expect(displayOf(phones, { field_id: 4, values: [{ value: '1', enum_code: 'WORK', enum_id: 41 }] })).toBe('1 (WORK)');
  });

  it('sends only the fields that changed, in the order of the definitions', () => {
    const defs = [def(1, 'text'), colours, def(2, 'checkbox')];
    const entries: ApiEntry[] = [{ field_id: 1, values: [{ value: 'same' }] }];
    const current = currentDrafts(defs, entries);
    expect(current).toEqual({ 1: 'same', 3: '', 2: false });
    const sent = (drafts: Record<number, Draft>) => changedValues(defs, changeOf(current, drafts, sameWhenSent(defs)));
    expect(sent({ 1: 'same ', 3: '', 2: false })).toEqual([]);
    expect(sent({ 1: '', 3: '32', 2: true })).toEqual([
      { field_id: 1, values: [] },
      { field_id: 3, values: [{ enum_id: 32 }] },
      { field_id: 2, values: [{ value: true }] },
    ]);
  });

  it('maps the API error paths back to the fields sent', () => {
    const sent = [{ field_id: 9, values: [] }, { field_id: 3, values: [] }];
    expect(
      errorsByField(
        { 'custom_fields_values.1.values.0.enum_id': 'unknown enum', custom_fields_values: 'x', name: 'y', 'custom_fields_values.7': 'z' },
        sent,
      ),
    ).toEqual({ 3: 'unknown enum' });
  });

  it('decides editability from the field rights', () => {
    const rights = { leads: { '7': { view: 'A' as const, edit: 'D' as const } } };
    expect(mayEditField(rights, false, 'leads', 7)).toBe(false);
    expect(mayEditField(rights, false, 'leads', 8)).toBe(true);
    expect(mayEditField(rights, false, 'contacts', 7)).toBe(true);
    expect(mayEditField(rights, true, 'leads', 7)).toBe(true);
    expect(mayEditField(null, false, 'leads', 7)).toBe(true);
    expect(mayEditField({ leads: { '7': { view: 'D' } } }, false, 'leads', 7)).toBe(false);
  });

  it('orders definitions by sort, then id', () => {
    expect(sortedDefs([def(5, 'text', null, 2), def(9, 'text', null, 1), def(2, 'text', null, 2)]).map((d) => d.id)).toEqual([9, 2, 5]);
  });
});

describe('field definitions', () => {
  it('drafts a definition and sends it back: type on create only, options in the order shown', () => {
    const draft = definitionDraft(def(3, 'select', [{ id: 32, value: 'Blue' }, { id: 31, value: 'Red' }]));
    expect(draft.enums).toEqual([{ id: 32, value: 'Blue' }, { id: 31, value: 'Red' }]);
    draft.enums = [{ id: 31, value: 'Red ' }, { value: 'Green' }, { value: '  ' }];
    expect(definitionBody(draft, false)).toEqual({
      name: 'Field 3',
      enums: [{ id: 31, value: 'Red', sort: 10 }, { value: 'Green', sort: 20 }],
    });
    expect(definitionBody({ name: ' Budget ', type: 'price', code: '', enums: [{ value: 'x' }] }, true)).toEqual({ name: 'Budget', type: 'price' });
    expect(definitionBody({ name: 'Phone', type: 'multitext', code: 'PHONE', enums: [] }, true)).toEqual({ name: 'Phone', type: 'multitext', code: 'PHONE' });
    expect(definitionDraft(null)).toEqual({ name: '', type: 'text', code: '', enums: [] });
  });

  it('puts errors next to the inputs, options by index', () => {
    expect(definitionErrors({ '0.name': 'taken', name: 'taken', 'enums.1.value': 'empty', value: 'empty', '0.code': 'bad' })).toEqual({
      name: 'taken',
      code: 'bad',
      enums: { 1: 'empty' },
    });
  });
});
