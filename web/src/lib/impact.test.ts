import { describe, expect, it } from 'vitest';
import { fieldImpactLines, impactSummary, userTotals, type ImpactFieldChange, type ImpactReport } from './impact';

const budgetHidden: ImpactFieldChange = {
  data_set: 'leads',
  field_id: 12,
  field_name: 'Budget',
  view_before: 'A',
  view_after: 'D',
  edit_before: 'A',
  edit_after: 'D',
};
const phoneReadOnly: ImpactFieldChange = {
  data_set: 'contacts',
  field_id: 30,
  field_name: 'Phone',
  view_before: 'A',
  view_after: 'A',
  edit_before: 'A',
  edit_after: 'D',
};
const leadsView = { data_set: 'leads', action: 'view', level_before: 'M' as const, level_after: 'A' as const, gain: 12, lose: 0 };

describe('field rights in the impact preview', () => {
  it('names each field, its data set and the flip of view and edit', () => {
    expect(fieldImpactLines([budgetHidden, phoneReadOnly])).toEqual([
      { key: 'leads:12', field: 'Budget', dataSet: 'Leads', view: 'Allowed → Denied', edit: 'Allowed → Denied' },
      { key: 'contacts:30', field: 'Phone', dataSet: 'Contacts', view: 'Allowed (unchanged)', edit: 'Allowed → Denied' },
    ]);
    const shown = { ...budgetHidden, view_before: 'D' as const, view_after: 'A' as const, edit_before: 'D' as const, edit_after: 'D' as const };
    expect(fieldImpactLines([shown])[0]).toMatchObject({ view: 'Denied → Allowed', edit: 'Denied (unchanged)' });
  });

  it('gives a user whose only changes are field rights no record totals', () => {
    expect(userTotals({ changes: [], field_changes: [budgetHidden, phoneReadOnly] })).toBe('2 custom field rights change');
    expect(userTotals({ changes: [leadsView], field_changes: [budgetHidden] })).toBe('gains 12 records, loses 0 records; 1 custom field right changes');
    expect(userTotals({ changes: [leadsView], field_changes: [] })).toBe('gains 12 records, loses 0 records');
  });

  it('counts field-right changes in the summary, beside the records when records change too', () => {
    const fieldsOnly: ImpactReport = {
      affected_users: [
        { user_id: 4, name: 'Ann', changes: [], field_changes: [budgetHidden] },
        { user_id: 5, name: 'Bob', changes: [], field_changes: [budgetHidden] },
      ],
      summary: { users: 2, gain: 0, lose: 0, field_changes: 2 },
    };
    expect(impactSummary(fieldsOnly)).toBe('2 users affected: 2 custom field rights change.');
    const both: ImpactReport = {
      affected_users: [
        { user_id: 4, name: 'Ann', changes: [leadsView], field_changes: [] },
        { user_id: 5, name: 'Bob', changes: [], field_changes: [budgetHidden] },
      ],
      summary: { users: 2, gain: 12, lose: 0, field_changes: 1 },
    };
    expect(impactSummary(both)).toBe('2 users affected: 12 records gained, 0 records lost; 1 custom field right changes.');
    const recordsOnly: ImpactReport = {
      affected_users: [{ user_id: 4, name: 'Ann', changes: [leadsView], field_changes: [] }],
      summary: { users: 1, gain: 12, lose: 0, field_changes: 0 },
    };
    expect(impactSummary(recordsOnly)).toBe('1 user affected: 12 records gained, 0 records lost.');
  });
});
