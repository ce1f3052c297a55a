// The "Tags" filter of a record list: tags of the kind's catalog; records with any of them.
import { MultiSelect } from '@mantine/core';
import type { FieldKind } from '../../lib/customFields';
import { useTagCatalog } from '../../lib/extrasApi';

export function TagFilter({ kind, value, onChange }: { kind: FieldKind; value: number[]; onChange: (ids: number[]) => void }) {
  const catalog = useTagCatalog(kind);
  const known = new Set((catalog.data ?? []).map((t) => t.id));
  // A tag id of the URL not (yet) in the catalog still shows, by its id.
  const data = [
    ...(catalog.data ?? []).map((t) => ({ value: String(t.id), label: t.name })),
    ...value.filter((id) => !known.has(id)).map((id) => ({ value: String(id), label: `Tag ${id}` })),
  ];
  return (
    <MultiSelect
      label="Tags"
      placeholder={value.length ? undefined : 'Any tag'}
      clearable
      searchable
      data={data}
      value={value.map(String)}
      onChange={(values) => onChange(values.map(Number))}
    />
  );
}
