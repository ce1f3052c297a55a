// Which lead actions the console offers per lead, mirroring the server's checks so that nothing
// offered is refused (unless rights or the lead change meanwhile): a stage move needs edit on the
// lead in the stage it leaves and in the stage it enters; the list's batch actions need edit or
// delete where the lead stands. Also the board's query of one column's page of cards.
import type { components } from '../api/schema';
import type { UserRights } from './leadRights';

type Level = components['schemas']['Level'];

export interface Mover {
  userId: number;
  isAdmin: boolean;
  rights: UserRights | undefined; // undefined: not known yet, nothing is offered
  groupOf: (userId: number) => number | undefined; // a user's group id, when known
}

export interface Placed {
  responsible_user_id: number;
  pipeline_id: number;
  status_id: number;
}

export interface BoardStage {
  id: number;
  type: number; // 1: the pipeline's incoming-leads stage
}

export type RowAction = 'edit' | 'delete';

// An action's level in a stage: the stage's special right when it sets the action, else the
// general one.
export function levelIn(rights: UserRights, action: RowAction, pipelineId: number, statusId: number): Level {
  const entry = rights.status_rights.find((s) => s.pipeline_id === pipelineId && s.status_id === statusId);
  return entry?.rights[action] ?? rights.leads[action];
}

// Whether the user may do `action` on `lead` if it stood in the given stage (its responsible
// user kept), as the engine decides it: by level, then responsible user (M) or group (G).
export function mayDoIn(m: Mover, action: RowAction, lead: Placed, pipelineId: number, statusId: number): boolean {
  if (m.isAdmin || m.rights?.is_admin) return true;
  if (!m.rights) return false;
  switch (levelIn(m.rights, action, pipelineId, statusId)) {
    case 'A':
      return true;
    case 'M':
      return lead.responsible_user_id !== 0 && lead.responsible_user_id === m.userId;
    case 'G': {
      if (lead.responsible_user_id === 0) return false;
      const theirs = m.groupOf(lead.responsible_user_id);
      return theirs !== undefined && theirs === m.rights.group_id;
    }
    case 'D':
      return false;
  }
}

export function mayEditIn(m: Mover, lead: Placed, pipelineId: number, statusId: number): boolean {
  return mayDoIn(m, 'edit', lead, pipelineId, statusId);
}

// What the user may do to a lead where it stands (the leads list's selection and batch actions).
export function rowActions(m: Mover, lead: Placed): { edit: boolean; delete: boolean } {
  return {
    edit: mayDoIn(m, 'edit', lead, lead.pipeline_id, lead.status_id),
    delete: mayDoIn(m, 'delete', lead, lead.pipeline_id, lead.status_id),
  };
}

// A card can be picked up when the user may edit the lead where it is.
export function mayPickUp(m: Mover, lead: Placed): boolean {
  return mayEditIn(m, lead, lead.pipeline_id, lead.status_id);
}

// The stages a card may be moved to, in board order. The incoming-leads stage is never a target:
// leads enter it from outside, and leave it by being accepted (/incoming).
export function moveTargets(m: Mover, lead: Placed, stages: readonly BoardStage[]): number[] {
  if (!mayPickUp(m, lead)) return [];
  return stages
    .filter((s) => s.type !== 1 && s.id !== lead.status_id && mayEditIn(m, lead, lead.pipeline_id, s.id))
    .map((s) => s.id);
}

export const cardsPerPage = 20;

// GET /api/v4/leads for one column: Kommo's stage filter and paging, the latest changed first
// (a card just moved opens its new column).
export function columnQuery(pipelineId: number, statusId: number, page: number, limit = cardsPerPage): string {
  const out = new URLSearchParams();
  out.set('filter[statuses][0][pipeline_id]', String(pipelineId));
  out.set('filter[statuses][0][status_id]', String(statusId));
  out.set('order[updated_at]', 'desc');
  out.set('page', String(page));
  out.set('limit', String(limit));
  return out.toString();
}

// The console URL's pipeline choice: a positive id, or null for the first pipeline.
export function parsePipelineParam(raw: string | null): number | null {
  return raw && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}
