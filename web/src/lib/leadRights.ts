// Which lead actions the console offers, from the user's own rights (GET /api/v4/users/{id}
// answers them to the user themself). A level other than D (denied) anywhere — the data set's
// level or a stage's override — means the server may allow the action for some leads, so the
// action is offered and the server's answer per lead decides; all D means it is never offered.
// Administrators may do everything.

import type { components } from '../api/schema';

// The API's rights object as GET /api/v4/users/{id} answers it (generated from the OpenAPI
// document): every data set and status_rights are always present; a stage entry names only the
// actions it overrides (view, edit, delete, export: adding is not a stage right).
export type UserRights = components['schemas']['UserRights'];
export type StageRights = components['schemas']['StageRights'];
type StageAction = keyof StageRights['rights'];

export interface LeadPermissions {
  edit: boolean;
  delete: boolean;
  export: boolean;
  // Whether a lead may be moved into this stage at all (its stage rights do not deny edit).
  canEnterStage: (pipelineId: number, statusId: number) => boolean;
}

function stageEntry(rights: UserRights, pipelineId: number, statusId: number) {
  return rights.status_rights.find((s) => s.pipeline_id === pipelineId && s.status_id === statusId);
}

function someAllowed(rights: UserRights, action: Exclude<StageAction, 'view'>): boolean {
  if (rights.leads[action] !== 'D') return true;
  return rights.status_rights.some((s) => (s.rights[action] ?? 'D') !== 'D');
}

export function leadPermissions(rights: UserRights | undefined, isAdmin: boolean): LeadPermissions {
  if (isAdmin || rights?.is_admin) {
    return { edit: true, delete: true, export: true, canEnterStage: () => true };
  }
  if (!rights) {
    return { edit: false, delete: false, export: false, canEnterStage: () => false };
  }
  return {
    edit: someAllowed(rights, 'edit'),
    delete: someAllowed(rights, 'delete'),
    export: someAllowed(rights, 'export'),
    canEnterStage(pipelineId, statusId) {
      // A stage entry that leaves edit out keeps the general right.
      const level = stageEntry(rights, pipelineId, statusId)?.rights.edit ?? rights.leads.edit;
      return level !== 'D';
    },
  };
}
