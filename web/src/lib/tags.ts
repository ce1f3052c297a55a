// Tags on a record: the edit a tag picker makes, as Kommo's `tags_to_add` / `tags_to_delete`
// (a tag of the catalog by id, a new one by name: the server creates it in the catalog), and the
// names a picker offers.
import type { components } from '../api/schema';

export type Tag = components['schemas']['Tag'];
export type TagRef = { id: number } | { name: string };

export interface TagEdit {
  tags_to_add: TagRef[];
  tags_to_delete: { id: number }[];
}

const key = (name: string) => name.trim().toLocaleLowerCase();

// From the record's tags and the names the picker holds now. Names compare without case and
// surrounding blanks (as the catalog does); a name the catalog has is sent by its id.
export function tagEdit(current: Tag[], names: string[], catalog: Tag[]): TagEdit {
  const wanted = new Map<string, string>();
  for (const name of names) {
    const trimmed = name.trim();
    if (trimmed && !wanted.has(key(trimmed))) wanted.set(key(trimmed), trimmed);
  }
  const have = new Set(current.map((t) => key(t.name)));
  const tags_to_add: TagRef[] = [];
  for (const [k, name] of wanted) {
    if (have.has(k)) continue;
    const known = catalog.find((t) => key(t.name) === k);
    tags_to_add.push(known ? { id: known.id } : { name });
  }
  const tags_to_delete = current.filter((t) => !wanted.has(key(t.name))).map((t) => ({ id: t.id }));
  return { tags_to_add, tags_to_delete };
}

export function isEmptyEdit(edit: TagEdit): boolean {
  return edit.tags_to_add.length === 0 && edit.tags_to_delete.length === 0;
}

// The catalog's names, sorted, for a picker's suggestions.
export function tagNames(catalog: Tag[] | undefined): string[] {
  return [...new Set((catalog ?? []).map((t) => t.name))].sort((a, b) => a.localeCompare(b));
}

// Kommo's tag filter: records with any of the tags.
export function appendTagFilter(out: URLSearchParams, tagIds: number[]): void {
  for (const id of tagIds) out.append('filter[tags][]', String(id));
}
