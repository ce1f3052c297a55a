import { describe, expect, it } from 'vitest';
import { changedCells, fieldLevels, fromApi, levelsFor, sameMatrix, toApi, withFieldLevel, withLevel, withStage, withStageLevel, withoutStage } from './rights';
import { impactLines, impactSummary, userTotals } from './impact';

const apiRights = {
  leads: { view: 'M', add: 'A', edit: 'M', delete: 'D', export: 'D' },
  contacts: { view: 'A', add: 'D', edit: 'G', delete: 'D', export: 'A' },
  companies: { view: 'G', add: 'D', edit: 'D', delete: 'D', export: 'D' },
  tasks: { view: 'A', edit: 'M', delete: 'D' },
  incoming_leads: { view: 'A', accept: 'A', decline: 'D' },
  status_rights: [{ entity_type: 'leads', pipeline_id: 3, status_id: 142, rights: { view: 'A', edit: 'D' } }],
  mail_access: true,
  catalog_access: false,
  files_access: false,
  role_id: 7,
};

describe('rights matrix conversions', () => {
  it('reads the API rights and writes them back unchanged', () => {
    const matrix = fromApi(apiRights);
    expect(matrix.levels.leads.view).toBe('M');
    expect(matrix.levels.tasks).toEqual({ view: 'A', edit: 'M', delete: 'D' });
    expect(matrix.stages).toEqual([{ pipeline_id: 3, status_id: 142, rights: { view: 'A', edit: 'D' } }]);
    const back = toApi(matrix);
    expect(back.leads).toEqual(apiRights.leads);
    expect(back.incoming_leads).toEqual(apiRights.incoming_leads);
    expect(back.status_rights).toEqual(apiRights.status_rights);
    expect(back.mail_access).toBe(true);
    expect(back).not.toHaveProperty('role_id'); // the matrix never sends user fields
  });

  it('treats missing or unknown letters as denied', () => {
    const matrix = fromApi({ leads: { view: 'X' } });
    expect(matrix.levels.leads.view).toBe('D');
    expect(matrix.levels.contacts.export).toBe('D');
    expect(matrix.stages).toEqual([]);
  });

  it('offers only A and D where the API takes only those', () => {
    expect(levelsFor('leads', 'add').map((l) => l.name)).toEqual(['Denied', 'Allowed']);
    expect(levelsFor('incoming_leads', 'view').map((l) => l.code)).toEqual(['D', 'A']);
    expect(levelsFor('leads', 'edit').map((l) => l.name)).toEqual(['Denied', 'If responsible', 'Team-wide', 'Allowed']);
  });

  it('edits one cell without narrowing others (the server does that)', () => {
    const matrix = fromApi(apiRights);
    const edited = withLevel(matrix, 'leads', 'edit', 'A');
    expect(edited.levels.leads.edit).toBe('A');
    expect(edited.levels.leads.view).toBe('M');
    expect(matrix.levels.leads.edit).toBe('M'); // not mutated
    expect(changedCells(matrix, edited)).toEqual(['Leads edit']);
    expect(sameMatrix(matrix, edited)).toBe(false);
    expect(sameMatrix(matrix, withLevel(edited, 'leads', 'edit', 'M'))).toBe(true);
  });

  it('adds a stage from the general lead levels, edits and removes it', () => {
    const matrix = fromApi(apiRights);
    const added = withStage(matrix, 2, 50);
    expect(added.stages.map((s) => s.pipeline_id)).toEqual([2, 3]);
    expect(added.stages[0]!.rights).toEqual({ view: 'M', edit: 'M', delete: 'D', export: 'D' });
    expect(withStage(added, 2, 50)).toBe(added);
    const edited = withStageLevel(added, 2, 50, 'export', 'A');
    expect(edited.stages[0]!.rights.export).toBe('A');
    expect(withoutStage(edited, 2, 50).stages).toEqual(matrix.stages);
  });
});

describe('impact preview in words', () => {
  const report = {
    affected_users: [
      {
        user_id: 4,
        name: 'Ann',
        changes: [
          { data_set: 'leads', action: 'view', level_before: 'A' as const, level_after: 'M' as const, gain: 0, lose: 120 },
          { data_set: 'incoming_leads', action: 'accept', level_before: 'D' as const, level_after: 'A' as const, gain: null, lose: null },
        ],
        field_changes: [],
      },
    ],
    summary: { users: 1, gain: 0, lose: 120, field_changes: 0 },
  };

  it('names the cells, the levels and the counts', () => {
    expect(impactLines(report.affected_users[0]!.changes)).toEqual([
      { what: 'Leads view', before: 'Allowed', after: 'If responsible', gained: '+0', lost: '−120' },
      { what: 'Incoming leads accept', before: 'Denied', after: 'Allowed', gained: '—', lost: '—' },
    ]);
    expect(userTotals(report.affected_users[0]!)).toBe('gains 0 records, loses 120 records');
    expect(impactSummary(report)).toBe('1 user affected: 0 records gained, 120 records lost.');
    expect(impactSummary({ affected_users: [], summary: { users: 0, gain: 0, lose: 0, field_changes: 0 } })).toMatch(/Nobody/);
  });
});

describe('field rights in the matrix', () => {
  const withFields = {
    ...apiRights,
    custom_fields_rights: { leads: { '7': { view: 'A', edit: 'D' }, '9': { view: 'A', edit: 'A' } }, contacts: {} },
  } as const;

  it('keeps only restricted fields and sends them all back', () => {
    const matrix = fromApi(withFields);
    expect(matrix.fields.leads).toEqual({ '7': { view: 'A', edit: 'D' } });
    expect(matrix.fields.contacts).toEqual({});
    expect(toApi(matrix).custom_fields_rights).toEqual({ leads: { '7': { view: 'A', edit: 'D' } } });
    expect(toApi(fromApi(apiRights)).custom_fields_rights).toEqual({}); // none: {} clears
  });

  it('edits one field level; a field back at A/A is no longer listed', () => {
    const matrix = fromApi(withFields);
    const hidden = withFieldLevel(matrix, 'contacts', 3, 'view', 'D');
    expect(fieldLevels(hidden, 'contacts', 3)).toEqual({ view: 'D', edit: 'A' });
    expect(fieldLevels(matrix, 'contacts', 3)).toEqual({ view: 'A', edit: 'A' }); // not mutated
    const open = withFieldLevel(hidden, 'leads', 7, 'edit', 'A');
    expect(open.fields.leads).toEqual({});
    expect(sameMatrix(matrix, hidden)).toBe(false);
  });

  it('keeps customers’ field rights, which a save would otherwise clear', () => {
    const matrix = fromApi({ ...apiRights, custom_fields_rights: { customers: { '4': { view: 'D', edit: 'D' } } } });
    expect(matrix.fields.customers).toEqual({ '4': { view: 'D', edit: 'D' } });
    expect(toApi(matrix).custom_fields_rights).toEqual({ customers: { '4': { view: 'D', edit: 'D' } } });
    const opened = withFieldLevel(matrix, 'customers', 4, 'view', 'A');
    expect(changedCells(matrix, opened, () => 'Tier')).toEqual(['Customers: Tier view']);
  });

  it('names field cells the server narrowed', () => {
    const proposed = withFieldLevel(fromApi(apiRights), 'leads', 7, 'view', 'D');
    const normalized = fromApi({ ...apiRights, custom_fields_rights: { leads: { '7': { view: 'D', edit: 'D' } } } });
    expect(changedCells(proposed, normalized, (_k, id) => (id === 7 ? 'Budget' : '?'))).toEqual(['Leads: Budget edit']);
  });
});
