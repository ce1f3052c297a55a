import { expect, test } from 'vitest';
import { moveStage, stageKind } from './stages';

const stages = [
  { id: 1, name: 'Incoming', sort: 10, is_editable: false, type: 1 },
  { id: 5, name: 'First', sort: 20, is_editable: true, type: 0 },
  { id: 6, name: 'Second', sort: 30, is_editable: true, type: 0 },
  { id: 142, name: 'Won', sort: 10000, is_editable: false, type: 0 },
  { id: 143, name: 'Lost', sort: 11000, is_editable: false, type: 0 },
];

test('kinds', () => {
  expect(stages.map(stageKind)).toEqual(['Incoming leads', 'Working', 'Working', 'Won', 'Lost']);
});

test('moving swaps sort values among editable stages only', () => {
  expect(moveStage(stages, 6, -1)).toEqual([
    { id: 6, sort: 20 },
    { id: 5, sort: 30 },
  ]);
  expect(moveStage(stages, 5, -1)).toEqual([]); // never above the incoming stage
  expect(moveStage(stages, 6, 1)).toEqual([]); // never below won / lost
  expect(moveStage(stages, 142, -1)).toEqual([]);
});

test('equal sort values get distinct ones', () => {
  const same = [
    { id: 5, name: 'A', sort: 20, is_editable: true, type: 0 },
    { id: 6, name: 'B', sort: 20, is_editable: true, type: 0 },
  ];
  expect(moveStage(same, 6, -1)).toEqual([
    { id: 6, sort: 20 },
    { id: 5, sort: 21 },
  ]);
  expect(moveStage(same, 5, 1)).toEqual([
    { id: 6, sort: 20 },
    { id: 5, sort: 21 },
  ]);
});
