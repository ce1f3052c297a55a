// The administrative resources the settings pages read and write (groups, pipelines, security
// policy, IP whitelist, activity log, security report), called through the generated client.
// Types are the generated ones (src/api/schema.d.ts from the server's OpenAPI document).
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { toSearch, type EventsFilter } from './activityFilters';

type Schemas = components['schemas'];

export type Group = Schemas['Group'];
export type Stage = Schemas['Status'];
export type Pipeline = Schemas['Pipeline'];
export type UserSummary = Schemas['User'];
export type SecurityPolicy = Schemas['SecurityPolicy'];
export type IpWhitelist = Schemas['IpWhitelist'];
export type WhitelistEntry = IpWhitelist['entries'][number];
export type ActivityEvent = Schemas['Event'];
export type EventType = Schemas['EventTypes']['_embedded']['events_types'][number];
export type ChainReport = Schemas['AuditVerification'];
export type SecurityReport = Schemas['SecurityReport'];
export type Finding = Schemas['SecurityFinding'];
export type DormantDeactivations = Schemas['DormantDeactivations'];
export type Affected = Finding['affected'][number];
export type LoginDay = Schemas['LoginDay'];

export interface EventPage {
  events: ActivityEvent[];
  hasNext: boolean;
}

// A list body or nothing: the API answers an empty list (or a page past the end) with 204.
export async function listGroups(): Promise<Group[]> {
  const body = await unwrap(api.GET('/api/v4/users_groups', { params: { query: { limit: 250 } } }));
  return body?._embedded.users_groups ?? [];
}

export const createGroup = (name: string) => unwrap(api.POST('/api/v4/users_groups', { body: [{ name }] }));
export const renameGroup = (id: number, name: string) =>
  unwrap(api.PATCH('/api/v4/users_groups/{id}', { params: { path: { id } }, body: { name } }));
export const deleteGroup = (id: number) => unwrap(api.DELETE('/api/v4/users_groups/{id}', { params: { path: { id } } }));

export async function listPipelines(): Promise<Pipeline[]> {
  const body = await unwrap(api.GET('/api/v4/leads/pipelines'));
  return body?._embedded.pipelines ?? [];
}
export const createPipeline = (name: string) => unwrap(api.POST('/api/v4/leads/pipelines', { body: [{ name }] }));
export const renamePipeline = (id: number, name: string) =>
  unwrap(api.PATCH('/api/v4/leads/pipelines/{id}', { params: { path: { id } }, body: { name } }));
export const deletePipeline = (id: number) => unwrap(api.DELETE('/api/v4/leads/pipelines/{id}', { params: { path: { id } } }));
export const addStage = (pipeline: number, name: string) =>
  unwrap(api.POST('/api/v4/leads/pipelines/{id}/statuses', { params: { path: { id: pipeline } }, body: [{ name }] }));
export const updateStage = (pipeline: number, stage: number, change: { name?: string; sort?: number }) =>
  unwrap(
    api.PATCH('/api/v4/leads/pipelines/{id}/statuses/{status_id}', {
      params: { path: { id: pipeline, status_id: stage } },
      body: change,
    }),
  );
export const deleteStage = (pipeline: number, stage: number) =>
  unwrap(api.DELETE('/api/v4/leads/pipelines/{id}/statuses/{status_id}', { params: { path: { id: pipeline, status_id: stage } } }));
// A pipeline's stages with their descriptions (the guidance per experience level).
export async function listStagesWithDescriptions(pipeline: number): Promise<Stage[]> {
  const body = await unwrap(
    api.GET('/api/v4/leads/pipelines/{id}/statuses', { params: { path: { id: pipeline }, query: { with: 'descriptions' } } }),
  );
  return body?._embedded.statuses ?? [];
}
export const setStageDescriptions = (pipeline: number, stage: number, descriptions: Schemas['StageDescriptionInput'][]) =>
  unwrap(
    api.PATCH('/api/v4/leads/pipelines/{id}/statuses/{status_id}', {
      params: { path: { id: pipeline, status_id: stage } },
      body: { descriptions },
    }),
  );

// Four-eyes approval requests (types and wording: approvals.ts).
export async function listApprovals(): Promise<components['schemas']['Approval'][]> {
  const page = await unwrap(api.GET('/api/v4/security/approvals', { params: { query: { limit: 250 } } }));
  return page?._embedded.approvals ?? [];
}

export const approveRequest = (id: number) => unwrap(api.POST('/api/v4/security/approvals/{id}/approve', { params: { path: { id } } }));
export const rejectRequest = (id: number) => unwrap(api.POST('/api/v4/security/approvals/{id}/reject', { params: { path: { id } } }));

export const getPolicy = () => unwrap(api.GET('/api/v4/security/policy'));
export const patchPolicy = (change: Partial<SecurityPolicy>) => unwrap(api.PATCH('/api/v4/security/policy', { body: change }));
export const getWhitelist = () => unwrap(api.GET('/api/v4/security/ip_whitelist'));
export const putWhitelist = (whitelist: IpWhitelist) => unwrap(api.PUT('/api/v4/security/ip_whitelist', { body: whitelist }));

// One page of the activity log; the filter is serialized in PHP brackets at any depth
// (filter[created_at][from]), which openapi-fetch's deepObject does not nest.
export async function listEvents(filter: EventsFilter, page = 1, limit = 50): Promise<EventPage> {
  const body = await unwrap(
    api.GET('/api/v4/events', { params: { query: { filter, page, limit } }, querySerializer: (query) => toSearch(query) }),
  );
  return { events: body?._embedded.events ?? [], hasNext: Boolean(body?._links.next) };
}

export { listEventTypes } from './eventTypes';

export const verifyChain = () => unwrap(api.GET('/api/v4/security/audit/verify'));
export const getReport = () => unwrap(api.GET('/api/v4/security/report'));
export async function getLoginStats(days: number): Promise<LoginDay[]> {
  return (await unwrap(api.GET('/api/v4/security/login_stats', { params: { query: { days } } }))).days;
}
