// The administrative resources the settings pages read and write (groups, pipelines, security
// policy, IP whitelist, activity log, security report), called through the generated client.
// The server's OpenAPI document does not yet describe these bodies, so the shapes below are
// narrowed from `unknown` by hand.
import { api, unwrap } from '../api/client';

// TODO(openapi): generated type
export interface Group {
  id: number;
  name: string;
}

// TODO(openapi): generated type
export interface Stage {
  id: number;
  name: string;
  sort: number;
  is_editable: boolean;
  pipeline_id: number;
  color: string;
  type: number;
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
  rights?: { group_id?: number | null; is_admin?: boolean; is_active?: boolean };
}

// TODO(openapi): generated type
export interface SecurityPolicy {
  require_two_factor: boolean;
  session_idle_minutes: number;
  session_max_hours: number;
  lockout_threshold: number;
  lockout_minutes: number;
  dormant_days: number;
  seats: number;
  trusted_proxies: string[];
}

// TODO(openapi): generated type
export interface WhitelistEntry {
  value: string;
  note: string;
}

// TODO(openapi): generated type
export interface IpWhitelist {
  enabled: boolean;
  block_api: boolean;
  report_only: boolean;
  entries: WhitelistEntry[];
}

// TODO(openapi): generated type
export interface ActivityEvent {
  id: string;
  type: string;
  entity_id: number;
  entity_type: string;
  created_by: number;
  created_at: number;
  value_after: unknown;
  value_before: unknown;
}

// TODO(openapi): generated type
export interface EventPage {
  events: ActivityEvent[];
  hasNext: boolean;
}

// TODO(openapi): generated type
export interface EventType {
  key: string;
  type: number;
  lang: string;
}

// TODO(openapi): generated type
export interface ChainReport {
  intact: boolean;
  events_checked: number;
  head_seq: number;
  unchained_events: number;
  first_break: null | { seq: number; event_id: string | null; reason: string };
}

// TODO(openapi): generated type
export interface Affected {
  type: string;
  id: number | string;
  name: string;
  user_id?: number;
  detail?: string;
  counts?: Record<string, number>;
}

// TODO(openapi): generated type
export interface Finding {
  code: string;
  severity: 'high' | 'medium' | 'low';
  title: string;
  affected: Affected[];
  fix: string;
}

// TODO(openapi): generated type
export interface SecurityReport {
  generated_at: number;
  summary: { high: number; medium: number; low: number };
  findings: Finding[];
}

// TODO(openapi): generated type
export interface LoginDay {
  date: string;
  succeeded: number;
  failed: number;
}

type Query = Record<string, string>;

// A list body or nothing: the API answers an empty list with 204.
function embedded<T>(body: unknown, plural: string): T[] {
  const list = (body as { _embedded?: Record<string, T[]> } | undefined)?._embedded?.[plural];
  return list ?? [];
}

export async function listGroups(): Promise<Group[]> {
  const body = await unwrap(api.GET('/api/v4/users_groups', { params: { query: { limit: '250' } as never } }));
  return embedded<Group>(body, 'users_groups');
}

export const createGroup = (name: string) =>
  unwrap(api.POST('/api/v4/users_groups', { body: [{ name }] as never }));
export const renameGroup = (id: number, name: string) =>
  unwrap(api.PATCH('/api/v4/users_groups/{id}', { params: { path: { id } }, body: { name } as never }));
export const deleteGroup = (id: number) => unwrap(api.DELETE('/api/v4/users_groups/{id}', { params: { path: { id } } }));

// Every user (pages of 250), for group sizes and the activity log's actor names.
export async function listUsers(): Promise<UserSummary[]> {
  const out: UserSummary[] = [];
  for (let page = 1; page <= 40; page++) {
    const body = await unwrap(
      api.GET('/api/v4/users', { params: { query: { limit: '250', page: String(page) } as never } }),
    );
    const users = embedded<UserSummary>(body, 'users');
    out.push(...users);
    if (users.length < 250) break;
  }
  return out;
}

export async function listPipelines(): Promise<Pipeline[]> {
  return embedded<Pipeline>(await unwrap(api.GET('/api/v4/leads/pipelines')), 'pipelines');
}
export const createPipeline = (name: string) =>
  unwrap(api.POST('/api/v4/leads/pipelines', { body: [{ name }] as never }));
export const renamePipeline = (id: number, name: string) =>
  unwrap(api.PATCH('/api/v4/leads/pipelines/{id}', { params: { path: { id } }, body: { name } as never }));
export const deletePipeline = (id: number) =>
  unwrap(api.DELETE('/api/v4/leads/pipelines/{id}', { params: { path: { id } } }));
export const addStage = (pipeline: number, name: string) =>
  unwrap(api.POST('/api/v4/leads/pipelines/{id}/statuses', { params: { path: { id: pipeline } }, body: [{ name }] as never }));
export const updateStage = (pipeline: number, stage: number, change: { name?: string; sort?: number }) =>
  unwrap(
    api.PATCH('/api/v4/leads/pipelines/{id}/statuses/{status_id}', {
      params: { path: { id: pipeline, status_id: stage } },
      body: change as never,
    }),
  );
export const deleteStage = (pipeline: number, stage: number) =>
  unwrap(
    api.DELETE('/api/v4/leads/pipelines/{id}/statuses/{status_id}', { params: { path: { id: pipeline, status_id: stage } } }),
  );

export const getPolicy = async () => (await unwrap(api.GET('/api/v4/security/policy'))) as unknown as SecurityPolicy;
export const patchPolicy = async (change: Partial<SecurityPolicy>) =>
  (await unwrap(api.PATCH('/api/v4/security/policy', { body: change as never }))) as unknown as SecurityPolicy;
export const getWhitelist = async () => (await unwrap(api.GET('/api/v4/security/ip_whitelist'))) as unknown as IpWhitelist;
export const putWhitelist = async (whitelist: IpWhitelist) =>
  (await unwrap(api.PUT('/api/v4/security/ip_whitelist', { body: whitelist as never }))) as unknown as IpWhitelist;

export async function listEvents(query: Query): Promise<EventPage> {
  const body = (await unwrap(api.GET('/api/v4/events', { params: { query: query as never } }))) as unknown as
    | { _embedded?: { events?: ActivityEvent[] }; _links?: { next?: unknown } }
    | undefined;
  return { events: body?._embedded?.events ?? [], hasNext: Boolean(body?._links?.next) };
}

export async function listEventTypes(): Promise<EventType[]> {
  return embedded<EventType>(await unwrap(api.GET('/api/v4/events/types')), 'events_types');
}

export const verifyChain = async () =>
  (await unwrap(api.GET('/api/v4/security/audit/verify'))) as unknown as ChainReport;
export const getReport = async () => (await unwrap(api.GET('/api/v4/security/report'))) as unknown as SecurityReport;
export async function getLoginStats(days: number): Promise<LoginDay[]> {
  const body = (await unwrap(
    api.GET('/api/v4/security/login_stats', { params: { query: { days: String(days) } as never } }),
  )) as unknown as { days: LoginDay[] };
  return body.days;
}
