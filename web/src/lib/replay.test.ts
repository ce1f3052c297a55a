import { describe, expect, it } from 'vitest';
import type { ExplainNames } from './explainWords';
import { localOfUnix, replayRefusal, replayTime, unixOfLocal, viewersInWords, type Viewers } from './replay';

const names: ExplainNames = {
  userName: (id) => ({ 1: 'Ann Admin', 5: 'Sam Seller', 6: 'Tia Team' })[id],
  userGroup: (id) => ({ 5: 'Sales', 6: 'Sales' })[id],
  stage: (p, s) => (p === 10 && s === 142 ? { pipeline: 'Sales', stage: 'Won' } : undefined),
};

describe('the "At" input', () => {
  it('reads a local date and time, with or without seconds, as unix seconds', () => {
    const expected = Math.floor(new Date(2026, 11, 4, 10, 15, 30).getTime() / 1000);
    expect(unixOfLocal('2026-12-04T10:15:30')).toBe(expected);
    expect(unixOfLocal('2026-12-04T10:15')).toBe(expected - 30);
  });

  it('refuses what is not a date and time', () => {
    expect(unixOfLocal('')).toBeNull();
    expect(unixOfLocal('2026-12-04')).toBeNull();
    expect(unixOfLocal('2026-02-31T10:00')).toBeNull(); // no 31 February
    expect(unixOfLocal('yesterday')).toBeNull();
  });

  it('writes unix seconds back as the value it reads', () => {
    const t = 1764843330;
    expect(unixOfLocal(localOfUnix(t))).toBe(t);
    expect(replayTime(t)).toBe(localOfUnix(t).replace('T', ' '));
  });
});

describe('replayRefusal', () => {
  const beforeHistory = {
    status: 400,
    'validation-errors': [
      { request_id: '0', errors: [{ path: 'at', code: 'OutOfRange', detail: 'replay is possible from 1760000000 on (history starts then)' }] },
    ],
  };

  it('puts the error on `at` under the input, with the API’s detail', () => {
    expect(replayRefusal(400, beforeHistory, 5)).toEqual({ at: 'replay is possible from 1760000000 on (history starts then)' });
  });

  it('says a record missing at that time did not exist then (or now)', () => {
    expect(replayRefusal(404, { detail: 'leads 7 not found at 1760000500' }, 1760000500)).toEqual({
      missing: 'This did not exist then (leads 7 not found at 1760000500).',
    });
    expect(replayRefusal(404, {}, null)).toEqual({ missing: 'This did not exist now.' });
  });

  it('leaves other refusals to the generic alert', () => {
    expect(replayRefusal(400, { 'validation-errors': [{ errors: [{ path: 'user_id', detail: 'required' }] }] }, 5)).toBeNull();
    expect(replayRefusal(403, { detail: 'administrators only' }, 5)).toBeNull();
  });
});

describe('viewersInWords', () => {
  const viewers: Viewers = {
    entity_type: 'leads',
    entity_id: 77,
    at: 1760000500,
    replay_from: 1760000000,
    responsible_user_id: 5,
    record_stage: { pipeline_id: 10, status_id: 142 },
    _embedded: {
      viewers: [
        { user_id: 1, rule: 'admin', level: 'A', match: 'not_compared', stage: null },
        { user_id: 5, rule: 'general_right', level: 'M', match: 'responsible', stage: null },
        { user_id: 6, rule: 'stage_right', level: 'G', match: 'same_group', stage: { pipeline_id: 10, status_id: 142 } },
        { user_id: 9, rule: 'general_right', level: 'A', match: 'not_compared', stage: null },
      ],
    },
  };

  it('names each viewer and the rule that let them see the record, in the words of explain', () => {
    const rows = viewersInWords(viewers, names);
    expect(rows.map((r) => [r.name, r.rule])).toEqual([
      ['Ann Admin', 'Administrator'],
      ['Sam Seller', 'Leads view: If responsible (M)'],
      ['Tia Team', 'Stage rule: Leads view Team-wide (G)'],
      ['user 9', 'Leads view: Allowed (A)'], // a user unknown to the page by id
    ]);
    expect(rows[0]!.because).toEqual(['Ann Admin is an administrator, and administrators may do everything.']);
    expect(rows[1]!.because).toContain('Sam Seller is its responsible user.');
    expect(rows[2]!.because[0]).toBe('The lead is in the stage “Won” of the pipeline “Sales”, where a stage rule decides: “Leads view” is Team-wide (G) there.');
    expect(rows[2]!.because).toContain('Its responsible user, Sam Seller, is in the same group “Sales”.');
  });

  it('says a customer’s deciding right is the leads’ one', () => {
    const rows = viewersInWords({ ...viewers, entity_type: 'customers', record_stage: null }, names);
    expect(rows[1]!.rule).toBe('Leads view: If responsible (M)');
  });
});
