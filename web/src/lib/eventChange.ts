// The "Change" of an activity-log entry in words: which values an event changed, from what to
// what. Events carry Kommo's shape, value_before/value_after = [{"<kind>": {...}}, ...]; an
// entry of one kind names its values without the kind (the Target column already says it).
// The raw JSON stays one click away in the CSV export.

// `set`: a value where there was none; `changed`: before → after; `removed`: a value gone while
// others stay; `was`: a value of an entry that is gone as a whole (a deletion says what it was).
export interface ChangeLine {
  key: string;
  state: 'set' | 'changed' | 'removed' | 'was';
  before?: string;
  after?: string;
}

type Flat = Map<string, string>;

function leaf(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

// Dotted paths to leaves; arrays are leaves (their order is their meaning).
function flatten(value: unknown, prefix: string, out: Flat) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  if (prefix) out.set(prefix, leaf(value));
}

// The kinds an event value holds, in order, with what each says.
function items(value: unknown): [string, unknown][] {
  if (!Array.isArray(value)) return value === undefined || value === null ? [] : [['value', value]];
  return value.flatMap((item, i): [string, unknown][] => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) return Object.entries(item as Record<string, unknown>);
    return [[String(i), item]];
  });
}

function flattenValue(value: unknown, withKind: boolean): Flat {
  const out: Flat = new Map();
  for (const [kind, inner] of items(value)) {
    const isObject = inner !== null && typeof inner === 'object' && !Array.isArray(inner);
    flatten(inner, withKind || !isObject ? kind : '', out);
  }
  return out;
}

export function describeChange(before: unknown, after: unknown): ChangeLine[] {
  const kinds = new Set([...items(before), ...items(after)].map(([kind]) => kind));
  const withKind = kinds.size > 1;
  const was = flattenValue(before, withKind);
  const now = flattenValue(after, withKind);
  const lines: ChangeLine[] = [];
  for (const [key, value] of was) {
    const next = now.get(key);
    if (next === value) continue;
    if (next !== undefined) lines.push({ key, state: 'changed', before: value, after: next });
    else lines.push({ key, state: now.size === 0 ? 'was' : 'removed', before: value });
  }
  for (const [key, value] of now) if (!was.has(key)) lines.push({ key, state: 'set', after: value });
  return lines;
}

// One line of text: "name: Old → New", "name: New", "name: Old (removed)", "name: Old".
export function changeText(line: ChangeLine): string {
  switch (line.state) {
    case 'set':
      return `${line.key}: ${line.after}`;
    case 'changed':
      return `${line.key}: ${line.before} → ${line.after}`;
    case 'removed':
      return `${line.key}: ${line.before} (removed)`;
    case 'was':
      return `${line.key}: ${line.before}`;
  }
}
