import { describe, expect, it } from 'vitest';
import { changeOf, identical, mergeDrafts, withDraft, type Equal } from './useDrafts';

interface LeadForm {
  name: string;
  price: number | string;
  status: string | null;
}

const read: LeadForm = { name: 'Acme', price: 100, status: '11' };
const samePrice: Equal<LeadForm> = { price: (a, b) => Number(a || 0) === Number(b || 0) };

describe('drafts over a record', () => {
  it('shows the record with the drafts over it and sends only what differs', () => {
    const drafts = withDraft({}, read, 'name', 'Acme Ltd');
    expect(mergeDrafts(read, drafts)).toEqual({ name: 'Acme Ltd', price: 100, status: '11' });
    expect(changeOf(read, drafts)).toEqual({ name: 'Acme Ltd' });
    expect(changeOf(read, {})).toEqual({});
  });

  it('keeps a draft when the record is read again, and shows the record’s new values for the rest', () => {
    // Another save moved the lead to stage 12 while a name was being typed.
    const drafts = withDraft({}, read, 'name', 'Acme Ltd');
    const reread: LeadForm = { ...read, status: '12' };
    expect(mergeDrafts(reread, drafts)).toEqual({ name: 'Acme Ltd', price: 100, status: '12' });
    // The stage is not sent back: the form never changed it.
    expect(changeOf(reread, drafts)).toEqual({ name: 'Acme Ltd' });
  });

  it('counts a draft equal to the record’s current value as unchanged', () => {
    // Set back by the user: the draft is dropped and the field follows the record again.
    const back = withDraft(withDraft({}, read, 'name', 'Acme Ltd'), read, 'name', 'Acme');
    expect(back).toEqual({});
    // The record came to hold the draft (someone else saved the same name): nothing to send.
    const drafts = withDraft({}, read, 'name', 'Acme Ltd');
    expect(changeOf({ ...read, name: 'Acme Ltd' }, drafts)).toEqual({});
  });

  it('compares with a field’s own equality, keeping what is on screen', () => {
    const free: LeadForm = { ...read, price: 0 };
    const cleared = withDraft({}, free, 'price', '');
    // Kept as typed (the input shows it empty) though equal to 0 for the server.
    expect(cleared).toEqual({ price: '' });
    expect(changeOf(free, cleared, samePrice)).toEqual({});
    expect(changeOf(read, cleared, samePrice)).toEqual({ price: '' });
    expect(changeOf(read, withDraft({}, read, 'price', '100'), samePrice)).toEqual({});
  });

  it('sends a field cleared to null or to an empty string', () => {
    expect(changeOf(read, withDraft({}, read, 'status', null))).toEqual({ status: null });
    expect(changeOf(read, withDraft({}, read, 'name', ''))).toEqual({ name: '' });
  });

  it('works with fields keyed by number', () => {
    const current: Record<number, string[]> = { 3: ['31'], 7: [] };
    const drafts = withDraft(withDraft({}, current, 3, ['31']), current, 7, ['71']);
    expect(drafts).toEqual({ 7: ['71'] });
    expect(changeOf(current, drafts)).toEqual({ 7: ['71'] });
  });

  it('compares arrays and objects by value, everything else by identity', () => {
    expect(identical(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(identical([{ code: 'WORK', value: '1' }], [{ code: 'WORK', value: '2' }])).toBe(false);
    expect(identical(Number.NaN, Number.NaN)).toBe(true);
    expect(identical(0, '')).toBe(false);
    expect(identical(null, undefined)).toBe(false);
    expect(identical(null, {})).toBe(false);
  });
});
