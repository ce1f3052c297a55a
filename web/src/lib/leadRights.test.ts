import { describe, expect, it } from 'vitest';
import type { components } from '../api/schema';
import { leadPermissions, type StageRights, type UserRights } from './leadRights';
import { userRights } from './rightsFixture';

type Level = components['schemas']['Level'];
type AllowOrDeny = components['schemas']['AllowOrDeny'];

// A whole rights object as the API answers it: the leads letters given (view add edit delete
// export), everything else denied.
const rights = (leads: string, status_rights: UserRights['status_rights'] = []): UserRights => {
  const [view, add, edit, del, exp] = leads.split('') as [Level, AllowOrDeny, Level, Level, Level];
  return userRights({ leads: { view, add, edit, delete: del, export: exp }, status_rights });
};

const stage = (status_id: number, levels: StageRights['rights']): StageRights => ({
  entity_type: 'leads',
  pipeline_id: 1,
  status_id,
  rights: levels,
});

describe('leadPermissions', () => {
  it('offers what a level other than D allows', () => {
    // Support agent in the demo: view M, add A, edit M, delete D, export D.
    const p = leadPermissions(rights('MAMDD'), false);
    expect([p.edit, p.delete, p.export]).toEqual([true, false, false]);
    const manager = leadPermissions(rights('AAAGG'), false);
    expect([manager.edit, manager.delete, manager.export]).toEqual([true, true, true]);
    const auditor = leadPermissions(rights('ADDDD'), false);
    expect([auditor.edit, auditor.delete, auditor.export]).toEqual([false, false, false]);
  });

  it('counts a stage override that allows what the data set denies', () => {
    const p = leadPermissions(
      rights('ADDDD', [stage(10, { view: 'A', edit: 'A', delete: 'D', export: 'M' })]),
      false,
    );
    expect([p.edit, p.delete, p.export]).toEqual([true, false, true]);
    expect(p.canEnterStage(1, 10)).toBe(true);
    expect(p.canEnterStage(1, 11)).toBe(false);
  });

  it('keeps leads out of a stage whose rights deny editing', () => {
    const p = leadPermissions(rights('GAMDD', [stage(142, { view: 'A', edit: 'D' })]), false);
    expect(p.canEnterStage(1, 142)).toBe(false);
    expect(p.canEnterStage(1, 20)).toBe(true);
  });

  it('keeps the general right where a stage entry leaves the action out', () => {
    const p = leadPermissions(rights('AADDD', [stage(30, { view: 'M' }), stage(31, { view: 'A', edit: 'G' })]), false);
    expect(p.canEnterStage(1, 30)).toBe(false);
    expect(p.canEnterStage(1, 31)).toBe(true);
    const editor = leadPermissions(rights('AAMDD', [stage(30, { view: 'M' })]), false);
    expect(editor.canEnterStage(1, 30)).toBe(true);
  });

  it('offers everything to administrators and nothing before the rights are known', () => {
    const admin = leadPermissions(undefined, true);
    expect([admin.edit, admin.delete, admin.export, admin.canEnterStage(1, 2)]).toEqual([true, true, true, true]);
    const flagged = leadPermissions({ ...rights('ADDDD'), is_admin: true }, false);
    expect([flagged.edit, flagged.delete, flagged.export]).toEqual([true, true, true]);
    const unknown = leadPermissions(undefined, false);
    expect([unknown.edit, unknown.delete, unknown.export]).toEqual([false, false, false]);
  });
});
