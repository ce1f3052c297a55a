import { describe, expect, it } from 'vitest';
import { leadPermissions, type UserRights } from './leadRights';

const rights = (leads: string, status_rights: UserRights['status_rights'] = []): UserRights => {
  const [view, add, edit, del, exp] = leads.split('') as ('D' | 'M' | 'G' | 'A')[];
  return { leads: { view, add, edit, delete: del, export: exp }, status_rights };
};

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
      rights('ADDDD', [{ pipeline_id: 1, status_id: 10, rights: { view: 'A', edit: 'A', delete: 'D', export: 'M' } }]),
      false,
    );
    expect([p.edit, p.delete, p.export]).toEqual([true, false, true]);
    expect(p.canEnterStage(1, 10)).toBe(true);
    expect(p.canEnterStage(1, 11)).toBe(false);
  });

  it('keeps leads out of a stage whose rights deny editing', () => {
    const p = leadPermissions(rights('GAMDD', [{ pipeline_id: 1, status_id: 142, rights: { view: 'A', edit: 'D' } }]), false);
    expect(p.canEnterStage(1, 142)).toBe(false);
    expect(p.canEnterStage(1, 20)).toBe(true);
  });

  it('offers everything to administrators and nothing before the rights are known', () => {
    const admin = leadPermissions(undefined, true);
    expect([admin.edit, admin.delete, admin.export, admin.canEnterStage(1, 2)]).toEqual([true, true, true, true]);
    const unknown = leadPermissions(undefined, false);
    expect([unknown.edit, unknown.delete, unknown.export]).toEqual([false, false, false]);
  });
});
