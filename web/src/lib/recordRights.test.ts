import { describe, expect, it } from 'vitest';
import type { components } from '../api/schema';
import { featureAccess, incomingActions, levelAllows, recordActions, taskActions, type Viewer } from './recordRights';
import { userRights } from './rightsFixture';

type UserRights = components['schemas']['UserRights'];
type Level = components['schemas']['Level'];

function rights(over: Partial<UserRights> = {}): UserRights {
  const record = (view: Level, edit: Level, del: Level) => ({ view, add: 'A' as const, edit, delete: del, export: 'D' as const });
  return userRights({
    companies: record('A', 'G', 'D'),
    contacts: record('A', 'M', 'M'),
    group_id: 3,
    incoming_leads: { view: 'A', accept: 'A', decline: 'D' },
    leads: record('M', 'M', 'D'),
    mail_access: true,
    tasks: { view: 'M', edit: 'M', delete: 'D' },
    ...over,
  });
}

const me = (r: UserRights | undefined, isAdmin = false): Viewer => ({ userId: 10, isAdmin, rights: r });

describe('recordRights', () => {
  it('decides levels as the engine does', () => {
    const viewer = me(rights());
    const mine = { responsibleUserId: 10, responsibleGroupId: 3 };
    const colleague = { responsibleUserId: 11, responsibleGroupId: 3 };
    const stranger = { responsibleUserId: 12, responsibleGroupId: 4 };
    expect(levelAllows('M', viewer, mine)).toBe(true);
    expect(levelAllows('M', viewer, colleague)).toBe(false);
    expect(levelAllows('G', viewer, colleague)).toBe(true);
    expect(levelAllows('G', viewer, stranger)).toBe(false);
    expect(levelAllows('G', viewer, { responsibleUserId: 0, responsibleGroupId: undefined })).toBe(false);
    // Group not known yet: offered, the server decides.
    expect(levelAllows('G', viewer, { responsibleUserId: 12, responsibleGroupId: undefined })).toBe(true);
    expect(levelAllows('A', viewer, stranger)).toBe(true);
    expect(levelAllows('D', viewer, mine)).toBe(false);
  });

  it('offers edit and delete on a record by its data set and responsible user', () => {
    const viewer = me(rights());
    expect(recordActions(viewer, 'contacts', { responsibleUserId: 10, responsibleGroupId: 3 })).toEqual({ edit: true, delete: true });
    expect(recordActions(viewer, 'contacts', { responsibleUserId: 11, responsibleGroupId: 3 })).toEqual({ edit: false, delete: false });
    expect(recordActions(viewer, 'companies', { responsibleUserId: 11, responsibleGroupId: 3 })).toEqual({ edit: true, delete: false });
    expect(taskActions(viewer, { responsibleUserId: 11, responsibleGroupId: 3 }).edit).toBe(false);
    expect(recordActions(me(undefined), 'contacts', { responsibleUserId: 10, responsibleGroupId: 3 }).edit).toBe(false);
    expect(recordActions(me(undefined, true), 'companies', { responsibleUserId: 1, responsibleGroupId: 9 })).toEqual({ edit: true, delete: true });
  });

  it('needs leads add to accept an incoming lead', () => {
    expect(incomingActions(me(rights()))).toEqual({ view: true, accept: true, decline: false });
    const noAdd = rights();
    noAdd.leads = { ...noAdd.leads, add: 'D' };
    expect(incomingActions(me(noAdd)).accept).toBe(false);
    const hidden = rights({ incoming_leads: { view: 'D', accept: 'A', decline: 'A' } });
    expect(incomingActions(me(hidden))).toEqual({ view: false, accept: false, decline: false });
  });

  it('reads Lists and Shared Inbox access', () => {
    expect(featureAccess(me(rights()))).toEqual({ lists: false, inbox: true });
    expect(featureAccess(me(undefined))).toBeUndefined();
    expect(featureAccess(me(rights({ is_admin: true })))).toEqual({ lists: true, inbox: true });
  });
});
