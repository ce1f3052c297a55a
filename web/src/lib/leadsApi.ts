// The API calls behind the leads pages: a page of leads (Kommo paging: `_links.next` says whether
// there is another page; 204 is an empty list), the pipelines with their stages and the users
// (for names and the filters), one lead with its linked records.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { leadsListQuery, type LeadsView } from './leadsQuery';

// TODO(openapi): generated type
export interface Lead {
  id: number;
  name: string;
  price: number;
  status_id: number;
  pipeline_id: number;
  responsible_user_id: number;
  group_id?: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  _embedded?: {
    contacts?: { id: number; is_main?: boolean }[];
    companies?: { id: number }[];
  };
}

// TODO(openapi): generated type
export interface Stage {
  id: number;
  name: string;
  sort: number;
  type: number; // 1: the pipeline's incoming-leads stage
  color?: string;
  pipeline_id: number;
}

// TODO(openapi): generated type
export interface Pipeline {
  id: number;
  name: string;
  sort: number;
  is_main: boolean;
  _embedded: { statuses: Stage[] };
}

// TODO(openapi): generated type
export interface UserSummary {
  id: number;
  name: string;
  email: string;
}

// TODO(openapi): generated type
interface ListBody<K extends string, T> {
  _page?: number;
  _links?: { next?: { href: string } };
  _embedded: Record<K, T[]>;
}

export interface LeadsPage {
  leads: Lead[];
  hasNext: boolean;
}

export async function fetchLeadsPage(view: LeadsView, signal?: AbortSignal): Promise<LeadsPage> {
  const body = (await unwrap(
    api.GET('/api/v4/leads', { querySerializer: () => leadsListQuery(view), signal }),
  )) as ListBody<'leads', Lead> | undefined;
  if (!body) return { leads: [], hasNext: false }; // 204: nothing (more) matches
  return { leads: body._embedded.leads, hasNext: body._links?.next !== undefined };
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
      const body = (await unwrap(api.GET('/api/v4/leads/pipelines'))) as
        | ListBody<'pipelines', Pipeline>
        | undefined;
      const pipelines = body?._embedded.pipelines ?? [];
      return [...pipelines].sort((a, b) => a.sort - b.sort || a.id - b.id);
    },
    staleTime: 60_000,
  });
}

// Every user of the account (a workspace has at most a few hundred), paged by the API's maximum.
export function useUsers() {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: async () => {
      const users: UserSummary[] = [];
      for (let page = 1; page <= 40; ++page) {
        const body = (await unwrap(
          api.GET('/api/v4/users', { querySerializer: () => `page=${page}&limit=250` }),
        )) as ListBody<'users', UserSummary> | undefined;
        if (!body) break;
        users.push(...body._embedded.users);
        if (!body._links?.next) break;
      }
      return users.sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 60_000,
  });
}

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
