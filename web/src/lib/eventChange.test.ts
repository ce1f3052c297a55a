import { expect, test } from 'vitest';
import { changeText, describeChange } from './eventChange';

test('a rename names the value, not the kind, and only what changed', () => {
  const lines = describeChange([{ group: { name: 'Sales', sort: 1 } }], [{ group: { name: 'Support', sort: 1 } }]);
  expect(lines).toEqual([{ key: 'name', state: 'changed', before: 'Sales', after: 'Support' }]);
  expect(lines.map(changeText)).toEqual(['name: Sales → Support']);
});

test('a stage move reads as the ids that moved', () => {
  const lines = describeChange([{ lead_status: { id: 10, pipeline_id: 3 } }], [{ lead_status: { id: 142, pipeline_id: 3 } }]);
  expect(lines.map(changeText)).toEqual(['id: 10 → 142']);
});

test('nested rights flatten to dotted paths', () => {
  const lines = describeChange(
    [{ rights: { leads: { view: 'A', edit: 'A' }, is_admin: false } }],
    [{ rights: { leads: { view: 'M', edit: 'A' }, is_admin: true } }],
  );
  expect(lines.map(changeText)).toEqual(['leads.view: A → M', 'is_admin: false → true']);
});

test('added and deleted entries list their values; a value gone from a kept entry is removed', () => {
  expect(describeChange([], [{ user: { name: 'Ann', email: 'ann@example.com' } }]).map(changeText)).toEqual([
    'name: Ann',
    'email: ann@example.com',
  ]);
  const deleted = describeChange([{ group: { name: 'Old' } }], []);
  expect(deleted).toEqual([{ key: 'name', state: 'was', before: 'Old' }]);
  expect(deleted.map(changeText)).toEqual(['name: Old']);
  expect(describeChange([{ user: { name: 'A', phone: '1' } }], [{ user: { name: 'A', email: 'a@x' } }]).map(changeText)).toEqual([
    'phone: 1 (removed)',
    'email: a@x',
  ]);
});

test('several kinds keep their kind in the path', () => {
  const lines = describeChange([], [{ link: { to_entity_id: 7 } }, { contact: { id: 7 } }]);
  expect(lines.map(changeText)).toEqual(['link.to_entity_id: 7', 'contact.id: 7']);
});

test('leaves: null, empty strings, arrays and plain values', () => {
  const lines = describeChange([{ field: { values: ['a'], note: null } }], [{ field: { values: ['a', 'b'], note: '' } }]);
  expect(lines.map(changeText)).toEqual(['values: ["a"] → ["a","b"]', 'note: — → ""']);
  expect(describeChange(['x'], ['y']).map(changeText)).toEqual(['0: x → y']);
  expect(describeChange(null, { n: 1 }).map(changeText)).toEqual(['n: 1']);
});

test('nothing changed, nothing said', () => {
  expect(describeChange([], [])).toEqual([]);
  expect(describeChange([{ a: { b: 1 } }], [{ a: { b: 1 } }])).toEqual([]);
});
