import { describe, expect, it } from 'vitest';
import { columnQuery, mayEditIn, mayPickUp, moveTargets, parsePipelineParam, rowActions, type Mover } from './board';
import type { UserRights } from './leadRights';
import { userRights } from './rightsFixture';

function rights(edit: 'D' | 'M' | 'G' | 'A', stages: UserRights['status_rights'] = [], group_id = 7): UserRights {
  const record = { view: 'A', add: 'A', edit, delete: 'D', export: 'D' } as UserRights['leads'];
  return userRights({
    leads: record,
    contacts: record,
    companies: record,
    tasks: { view: 'A', edit: 'A', delete: 'D' },
    incoming_leads: { view: 'A', accept: 'A', decline: 'A' },
    status_rights: stages,
    group_id,
  });
}

const groups: Record<number, number> = { 5: 7, 6: 8 };
const mover = (r: UserRights | undefined, isAdmin = false): Mover => ({ userId: 5, isAdmin, rights: r, groupOf: (id) => groups[id] });
const own = { responsible_user_id: 5, pipeline_id: 1, status_id: 10 };
const teammate = { responsible_user_id: 6, pipeline_id: 1, status_id: 10 };
const stages = [
  { id: 9, type: 1 },
  { id: 10, type: 0 },
  { id: 11, type: 0 },
  { id: 142, type: 0 },
  { id: 143, type: 0 },
];

describe('board moves', () => {
  it('offers nothing until rights are known, everything to administrators', () => {
    expect(moveTargets(mover(undefined), own, stages)).toEqual([]);
    expect(moveTargets(mover(undefined, true), own, stages)).toEqual([11, 142, 143]);
  });

  it('if responsible: own leads move, others do not', () => {
    expect(mayPickUp(mover(rights('M')), own)).toBe(true);
    expect(mayPickUp(mover(rights('M')), teammate)).toBe(false);
    expect(moveTargets(mover(rights('M')), teammate, stages)).toEqual([]);
    expect(mayPickUp(mover(rights('M')), { ...own, responsible_user_id: 0 })).toBe(false);
  });

  it('team-wide compares the responsible user\'s group with the user\'s', () => {
    expect(mayPickUp(mover(rights('G', [], 8)), teammate)).toBe(true);
    expect(mayPickUp(mover(rights('G', [], 7)), teammate)).toBe(false);
    expect(mayPickUp(mover(rights('G')), { ...own, responsible_user_id: 99 })).toBe(false); // unknown group
  });

  it('a stage rule that denies edit closes the stage both ways', () => {
    const won = [{ pipeline_id: 1, status_id: 142, rights: { view: 'A', edit: 'D' } }] as UserRights['status_rights'];
    expect(moveTargets(mover(rights('A', won)), own, stages)).toEqual([11, 143]);
    expect(mayPickUp(mover(rights('A', won)), { ...own, status_id: 142 })).toBe(false);
    // A rule of another pipeline's stage with the same id does not apply.
    expect(mayEditIn(mover(rights('A', won)), own, 2, 142)).toBe(true);
  });

  it('a stage rule can open a stage the general right keeps closed', () => {
    const open = [{ pipeline_id: 1, status_id: 11, rights: { edit: 'A' } }] as UserRights['status_rights'];
    expect(mayEditIn(mover(rights('D', open)), own, 1, 11)).toBe(true);
    expect(moveTargets(mover(rights('D', open)), own, stages)).toEqual([]); // cannot leave stage 10
  });
});

describe('rowActions', () => {
  it('edit and delete by their own levels and stage rules', () => {
    const r = rights('M');
    r.leads = { ...r.leads, delete: 'G' };
    expect(rowActions(mover(r), own)).toEqual({ edit: true, delete: true });
    expect(rowActions(mover(r), teammate)).toEqual({ edit: false, delete: false }); // other group
    const frozen = [{ pipeline_id: 1, status_id: 10, rights: { delete: 'D' } }] as UserRights['status_rights'];
    expect(rowActions(mover(rights('M', frozen)), own)).toEqual({ edit: true, delete: false });
    expect(rowActions(mover(undefined), own)).toEqual({ edit: false, delete: false });
  });
});

describe('columnQuery', () => {
  it('asks one stage a page at a time', () => {
    expect(decodeURIComponent(columnQuery(3, 44, 2))).toBe(
      'filter[statuses][0][pipeline_id]=3&filter[statuses][0][status_id]=44&order[updated_at]=desc&page=2&limit=20',
    );
  });
});

describe('parsePipelineParam', () => {
  it.each([
    ['3', 3],
    [null, null],
    ['0', null],
    ['x', null],
    ['-1', null],
  ])('%s -> %s', (raw, id) => expect(parsePipelineParam(raw)).toBe(id));
});
