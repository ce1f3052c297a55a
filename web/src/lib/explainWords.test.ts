import { describe, expect, it } from 'vitest';
import { explainInWords, type Explanation, type ExplainNames } from './explainWords';

const names: ExplainNames = {
  userName: (id) => ({ 1: 'Ann Admin', 5: 'Sam Seller', 6: 'Tia Team' })[id],
  userGroup: (id) => ({ 5: 'Sales', 6: 'Support' })[id],
  stage: (p, s) => (p === 10 && s === 142 ? { pipeline: 'Sales', stage: 'Won' } : undefined),
};

function explanation(over: Partial<Explanation>): Explanation {
  return {
    user_id: 5,
    entity_type: 'leads',
    entity_id: 77,
    action: 'view',
    allowed: true,
    rule: 'general_right',
    level: 'M',
    match: 'responsible',
    stage: null,
    responsible_user_id: 5,
    reasons: [{ code: 'general_right', text: 'leads.view is if responsible for this user' }],
    ...over,
  };
}

describe('explainInWords', () => {
  it('says "you" for the reader and names the right, level and responsible user', () => {
    const words = explainInWords(explanation({}), names, 5);
    expect(words.verdict).toBe('You may see this lead.');
    expect(words.because).toEqual([
      'The right “Leads view” is If responsible (M) for you.',
      'You are its responsible user.',
    ]);
    expect(words.engine).toEqual(['leads.view is if responsible for this user']);
  });

  it('names another user and the responsible one when refused', () => {
    const words = explainInWords(
      explanation({ allowed: false, action: 'edit', match: 'not_responsible', responsible_user_id: 6 }),
      names,
      1,
    );
    expect(words.verdict).toBe('Sam Seller may not edit this lead.');
    expect(words.because[1]).toBe('Its responsible user is Tia Team, not Sam Seller.');
  });

  it('names the stage rule with the stage and pipeline names', () => {
    const words = explainInWords(
      explanation({ allowed: false, action: 'edit', rule: 'stage_right', level: 'D', stage: { pipeline_id: 10, status_id: 142 } }),
      names,
      5,
    );
    expect(words.because[0]).toBe(
      'The lead is in the stage “Won” of the pipeline “Sales”, where a stage rule decides: “Leads edit” is Denied (D) there.',
    );
    expect(words.because[1]).toBe('“Denied” covers no lead at all.');
  });

  it('falls back to ids for an unknown stage and names groups for team-wide rights', () => {
    const words = explainInWords(
      explanation({ level: 'G', match: 'other_group', allowed: false, responsible_user_id: 6, rule: 'stage_right', stage: { pipeline_id: 3, status_id: 4 } }),
      names,
      5,
    );
    expect(words.because[0]).toContain('stage 4 of pipeline 3');
    expect(words.because[1]).toBe('Its responsible user, Tia Team, is in the group “Support”; you are in “Sales”.');
  });

  it.each([
    ['admin', 'You are an administrator, and administrators may do everything.'],
    ['inactive_user', 'You are deactivated, and a deactivated user may do nothing.'],
    ['free_user', 'You hold no paid seat (a free user), and free users act on no data.'],
    ['not_applicable', 'Leads have no “view” action.'],
  ] as const)('explains the %s gate in one sentence', (rule, sentence) => {
    expect(explainInWords(explanation({ rule }), names, 5).because).toEqual([sentence]);
  });

  it('uses the id when a user has no known name', () => {
    const words = explainInWords(explanation({ user_id: 99, responsible_user_id: 98, match: 'not_responsible', allowed: false }), names, 5);
    expect(words.verdict).toBe('User 99 may not see this lead.');
    expect(words.because[1]).toBe('Its responsible user is user 98, not user 99.');
  });
});
