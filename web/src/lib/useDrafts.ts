// A form over a record the server may change while the user edits it (a save elsewhere on the page,
// a stage move on the board, another user): only the fields the user changed are kept as drafts,
// every other field shows the record's current value, and only the drafts that differ from the
// record are sent. A form that kept a full copy of the record instead would either lose what is
// being typed when remounted on each refetch, or write back stale values of fields it never touched.
import { useState } from 'react';

// How a draft compares with the record's value, per field, when equality is looser than identity
// (a number input's '' against 0, trailing blanks the server trims).
export type Equal<T> = { [K in keyof T]?: (draft: T[K], current: T[K]) => boolean };

// Primitives by value, arrays and plain objects by their JSON.
export function identical(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

// The drafts once `field` is set to `value`. A value identical to the record's drops the draft, so
// the field follows the record again (a later change by someone else shows). A value merely equal
// under `Equal` stays a draft: dropping it would undo what is on screen (a trailing blank typed).
export function withDraft<T extends object, K extends keyof T>(drafts: Partial<T>, current: T, field: K, value: T[K]): Partial<T> {
  if (identical(value, current[field])) {
    const { [field]: _dropped, ...rest } = drafts;
    return rest as Partial<T>;
  }
  return { ...drafts, [field]: value };
}

// The record's values with the drafts over them: what the form shows.
export function mergeDrafts<T extends object>(current: T, drafts: Partial<T>): T {
  return { ...current, ...drafts };
}

// The drafts that differ from the record's current value: what a save sends.
export function changeOf<T extends object>(current: T, drafts: Partial<T>, equal: Equal<T> = {}): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(drafts) as (keyof T)[]) {
    const draft = drafts[key] as T[keyof T];
    const same = equal[key] ?? identical;
    if (!same(draft, current[key])) out[key] = draft;
  }
  return out;
}

export interface Drafts<T> {
  values: T; // what the form shows
  set: <K extends keyof T>(field: K, value: T[K]) => void;
  change: Partial<T>; // only the fields whose draft differs from the record
  changed: boolean;
  reset: () => void; // after a save (once the record is read again) or to discard
}

// `current` is the record's values as the form holds them, read anew on every render.
export function useDrafts<T extends object>(current: T, equal?: Equal<T>): Drafts<T> {
  const [drafts, setDrafts] = useState<Partial<T>>({});
  const change = changeOf(current, drafts, equal);
  return {
    values: mergeDrafts(current, drafts),
    set: (field, value) => setDrafts((d) => withDraft(d, current, field, value)),
    change,
    changed: Object.keys(change).length > 0,
    reset: () => setDrafts({}),
  };
}
