// The API calls behind a record's tags, custom fields, notes and links (Kommo's record extras).
// Leads, contacts and companies share these operations' schemas (openapi/tags.json, notes.json,
// custom_fields.json define them once for the three kinds), so each call is typed by the leads'
// operation and sent to the kind's own path.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { allPages, pageLimit } from './pages';
import type { components } from '../api/schema';
import type { FieldDef, FieldKind } from './customFields';
import type { LinkKind } from './links';
import type { Tag } from './tags';

export type Note = components['schemas']['Note'];
export type EntityLink = components['schemas']['EntityLink'];

// A leads path turned into the same path of `kind`, keeping the leads path's type.
export function kindPath<P extends `/api/v4/leads${string}`>(kind: FieldKind, path: P): P {
  return path.replace('/api/v4/leads', `/api/v4/${kind}`) as P;
}

// The kind's tag catalog (every user of the account may read it), a few pages at most: a
// picker suggests from it, and new names are created on save.
export function useTagCatalog(kind: FieldKind) {
  return useQuery({
    queryKey: ['tags', kind],
    staleTime: 30_000,
    queryFn: ({ signal }): Promise<Tag[]> =>
      allPages(async (page) => {
        const body = await unwrap(
          api.GET(kindPath(kind, '/api/v4/leads/tags'), { params: { query: { page, limit: pageLimit } }, signal }),
        );
        return body && { items: body._embedded.tags, hasNext: Boolean(body._links.next) };
      }, 4),
  });
}

// The definitions of the kind's fields this user may view (a hidden field is never listed; the
// API answers them all at once).
export function useFieldDefs(kind: FieldKind, enabled = true) {
  return useQuery({
    queryKey: ['custom_fields', kind],
    enabled,
    staleTime: 30_000,
    queryFn: async ({ signal }): Promise<FieldDef[]> => {
      const body = await unwrap(api.GET(kindPath(kind, '/api/v4/leads/custom_fields'), { signal }));
      return body?._embedded.custom_fields ?? [];
    },
  });
}

// A record's notes, newest first (one page of 100: a record page shows the recent ones).
export function useNotes(kind: FieldKind, id: number) {
  return useQuery({
    queryKey: ['notes', kind, id],
    queryFn: async ({ signal }): Promise<Note[]> => {
      const body = await unwrap(
        api.GET(kindPath(kind, '/api/v4/leads/{entity_id}/notes'), {
          params: { path: { entity_id: id } },
          querySerializer: () => 'order[created_at]=desc&limit=100',
          signal,
        }),
      );
      return body?._embedded.notes ?? [];
    },
  });
}

// A record's links to records this user may view; until they load, the ids the record was read
// with (`embedded`) stand in for them.
export function useLinks(kind: LinkKind, id: number, embedded: Partial<Record<LinkKind, number[]>> = {}) {
  return useQuery({
    queryKey: ['links', kind, id],
    placeholderData: Object.entries(embedded).flatMap(([to, ids]) =>
      ids.map((toId): EntityLink => ({ entity_id: id, entity_type: kind, to_entity_id: toId, to_entity_type: to as LinkKind, metadata: null })),
    ),
    queryFn: async ({ signal }): Promise<EntityLink[]> => {
      const body = await unwrap(
        api.GET(kindPath(kind, '/api/v4/leads/{id}/links'), { params: { path: { id } }, signal }),
      );
      return body?._embedded.links ?? [];
    },
  });
}
