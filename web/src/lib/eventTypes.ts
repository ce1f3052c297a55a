// The event types (GET /api/v4/events/types: key and label), in one cache entry for every page
// that names events — the activity log lists them, a record's activity labels its events — so the
// entry always holds the same shape, whichever page asked first.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';

type EventType = components['schemas']['EventTypes']['_embedded']['events_types'][number];

export async function listEventTypes(): Promise<EventType[]> {
  const body = await unwrap(api.GET('/api/v4/events/types'));
  return body._embedded.events_types;
}

// Labels by key ("lead_added" → "Lead added").
export function eventTypeLabels(types: { key: string; lang: string }[]): Map<string, string> {
  return new Map(types.map((t) => [t.key, t.lang]));
}

export function useEventTypes() {
  return useQuery({ queryKey: ['events', 'types'], queryFn: listEventTypes, staleTime: Infinity, select: eventTypeLabels });
}
