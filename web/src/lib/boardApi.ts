// The API calls behind the pipeline board: the per-stage totals (GET /api/v4/leads/summary,
// counted by the server over everything the user may view), one column's cards a page at a time,
// and a stage move (PATCH /api/v4/leads/{id}).
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { columnQuery } from './board';
import type { Lead } from './leadsApi';

export function useBoardSummary(pipelineId: number | null) {
  return useQuery({
    queryKey: ['leads', 'summary', pipelineId],
    enabled: pipelineId !== null,
    queryFn: async () => {
      const body = await unwrap(
        api.GET('/api/v4/leads/summary', { querySerializer: () => `filter[pipeline_id]=${pipelineId ?? 0}` }),
      );
      return body;
    },
  });
}

export interface CardsPage {
  leads: Lead[];
  page: number;
  hasNext: boolean;
}

export function columnKey(pipelineId: number, statusId: number) {
  return ['leads', 'board', pipelineId, statusId] as const;
}

export function useColumnCards(pipelineId: number, statusId: number) {
  return useInfiniteQuery({
    queryKey: columnKey(pipelineId, statusId),
    initialPageParam: 1,
    queryFn: async ({ pageParam, signal }): Promise<CardsPage> => {
      const body = await unwrap(
        api.GET('/api/v4/leads', { querySerializer: () => columnQuery(pipelineId, statusId, pageParam), signal }),
      );
      if (!body) return { leads: [], page: pageParam, hasNext: false }; // 204: nothing (more)
      return { leads: body._embedded.leads, page: pageParam, hasNext: body._links.next !== undefined };
    },
    getNextPageParam: (last) => (last.hasNext ? last.page + 1 : undefined),
  });
}

export async function moveLead(lead: Lead, statusId: number): Promise<void> {
  await unwrap(
    api.PATCH('/api/v4/leads/{id}', {
      params: { path: { id: lead.id } },
      body: { pipeline_id: lead.pipeline_id, status_id: statusId },
    }),
  );
}
