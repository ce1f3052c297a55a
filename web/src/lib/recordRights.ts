// Which actions the console offers on contacts, companies, tasks, incoming leads, Lists and the
// Shared Inbox, from the effective user's rights (useEffectiveUser: the signed-in user, or the
// one an administrator views as; GET /api/v4/users/{id} answers rights to the user themself). A record's level is decided as the server's engine decides it: A allows, D
// denies, M needs the user to be the record's responsible user, G a responsible user of the
// same group. Where the console cannot know (G while the responsible user's group is not
// loaded) the action is offered and the server's answer decides, shown in words.
// Administrators may do everything.
import type { components } from '../api/schema';

type UserRights = components['schemas']['UserRights'];
type Level = components['schemas']['Level'];

export interface Viewer {
  userId: number;
  isAdmin: boolean;
  rights: UserRights | undefined; // undefined while loading: nothing is offered
}

export interface Ownership {
  responsibleUserId: number;
  responsibleGroupId: number | undefined; // undefined: not known to the console
}

export type RecordKind = 'contacts' | 'companies';

function isAdmin(viewer: Viewer): boolean {
  return viewer.isAdmin || viewer.rights?.is_admin === true;
}

export function levelAllows(level: Level, viewer: Viewer, ownership: Ownership): boolean {
  switch (level) {
    case 'A':
      return true;
    case 'D':
      return false;
    case 'M':
      return ownership.responsibleUserId === viewer.userId;
    case 'G':
      if (ownership.responsibleUserId === 0) return false;
      if (ownership.responsibleUserId === viewer.userId) return true;
      if (ownership.responsibleGroupId === undefined) return true;
      return ownership.responsibleGroupId === viewer.rights?.group_id;
  }
}

export interface RecordActions {
  edit: boolean;
  delete: boolean;
}

export function recordActions(viewer: Viewer, kind: RecordKind, ownership: Ownership): RecordActions {
  if (isAdmin(viewer)) return { edit: true, delete: true };
  const rights = viewer.rights;
  if (!rights) return { edit: false, delete: false };
  return {
    edit: levelAllows(rights[kind].edit, viewer, ownership),
    delete: levelAllows(rights[kind].delete, viewer, ownership),
  };
}

export function taskActions(viewer: Viewer, ownership: Ownership): RecordActions {
  if (isAdmin(viewer)) return { edit: true, delete: true };
  const rights = viewer.rights;
  if (!rights) return { edit: false, delete: false };
  return {
    edit: levelAllows(rights.tasks.edit, viewer, ownership),
    delete: levelAllows(rights.tasks.delete, viewer, ownership),
  };
}

export interface IncomingActions {
  view: boolean;
  // Accepting creates a lead, so it also needs leads add (A); the target stage's own rights are
  // leadRights' canEnterStage.
  accept: boolean;
  decline: boolean;
}

export function incomingActions(viewer: Viewer): IncomingActions {
  if (isAdmin(viewer)) return { view: true, accept: true, decline: true };
  const rights = viewer.rights;
  if (!rights) return { view: false, accept: false, decline: false };
  const incoming = rights.incoming_leads;
  return {
    view: incoming.view === 'A',
    accept: incoming.view === 'A' && incoming.accept === 'A' && rights.leads.add === 'A',
    decline: incoming.view === 'A' && incoming.decline === 'A',
  };
}

// Lists (catalog_access) and the Shared Inbox (mail_access); undefined while the rights load.
export function featureAccess(viewer: Viewer): { lists: boolean; inbox: boolean } | undefined {
  if (isAdmin(viewer)) return { lists: true, inbox: true };
  if (!viewer.rights) return undefined;
  return { lists: viewer.rights.catalog_access, inbox: viewer.rights.mail_access };
}
