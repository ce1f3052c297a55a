// The API calls behind the leads pages: a page of leads (Kommo paging: `_links.next` says whether
// there is another page; 204 is an empty list), the pipelines with their stages and the users
// (for names and the filters), one lead with its linked records.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { leadsListQuery, type LeadsView } from './leadsQuery';

// The API's own shapes, generated from /api/v4/openapi.json (src/api/schema.d.ts).
type Schemas = components['schemas'];
export type Lead = Schemas['Lead'];
export type Stage = Schemas['Status']; // type 1: the pipeline's incoming-leads stage
export type Pipeline = Schemas['Pipeline'];
export type User = Schemas['User'];

export interface LeadsPage {
  leads: Lead[];
  hasNext: boolean;
}

export async function fetchLeadsPage(view: LeadsView, signal?: AbortSignal): Promise<LeadsPage> {
  const body = await unwrap(
    api.GET('/api/v4/leads', { querySerializer: () => leadsListQuery(view), signal }),
  );
  if (!body) return { leads: [], hasNext: false }; // 204: nothing (more) matches
  return { leads: body._embedded.leads, hasNext: body._links.next !== undefined };
}

export function useLeadsPage(view: LeadsView, enabled = true) {
  return useQuery({
    queryKey: ['leads', 'list', view],
    queryFn: ({ signal }) => fetchLeadsPage(view, signal),
    enabled,
    placeholderData: (previous) => previous,
  });
}

export function usePipelines() {
  return useQuery({
    queryKey: ['pipelines'],
    queryFn: async () => {
      const body = await unwrap(api.GET('/api/v4/leads/pipelines'));
      const pipelines = body?._embedded.pipelines ?? [];
      return [...pipelines].sort((a, b) => a.sort - b.sort || a.id - b.id);
    },
    staleTime: 60_000,
  });
}

export { useUsers } from './users';

export interface StageInfo {
  pipeline: Pipeline;
  stage: Stage;
}

// Stage and pipeline by ids, for rendering rows.
export function stageIndex(pipelines: Pipeline[] | undefined): Map<string, StageInfo> {
  const out = new Map<string, StageInfo>();
  for (const pipeline of pipelines ?? []) {
    for (const stage of pipeline._embedded.statuses) {
      out.set(`${pipeline.id}.${stage.id}`, { pipeline, stage });
    }
  }
  return out;
}
