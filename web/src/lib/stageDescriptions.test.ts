import { expect, test } from 'vitest';
import { changedDescriptions, leadStageGuidance, levelTexts } from './stageDescriptions';

test('texts per level, empty for levels without one', () => {
  expect(levelTexts(undefined)).toEqual({ newbie: '', candidate: '', master: '' });
  expect(levelTexts([{ level: 'master', description: 'Upsell' }])).toEqual({ newbie: '', candidate: '', master: 'Upsell' });
});

test('a save sends only the changed levels, trimmed; blank removes', () => {
  const stored = { newbie: 'Call', candidate: 'Ask', master: '' };
  expect(changedDescriptions(stored, { newbie: 'Call', candidate: 'Ask', master: '' })).toEqual([]);
  expect(changedDescriptions(stored, { newbie: 'Call ', candidate: '  ', master: ' Upsell' })).toEqual([
    { level: 'candidate', description: '' },
    { level: 'master', description: 'Upsell' },
  ]);
});

test('a lead shows the newbie text or nothing', () => {
  expect(leadStageGuidance([{ level: 'master', description: 'Upsell' }])).toBeNull();
  expect(leadStageGuidance([{ level: 'newbie', description: 'Call first' }])).toBe('Call first');
  expect(leadStageGuidance(undefined)).toBeNull();
});
