// Pipeline stages as the API describes them: the incoming-leads stage (type 1) and the closing
// stages won (142) and lost (143) are the system's, not editable (is_editable false); the
// working stages are ordered by `sort`.
export interface StageLike {
  id: number;
  name: string;
  sort: number;
  is_editable: boolean;
  type: number;
}

export const WON = 142;
export const LOST = 143;

export function stageKind(stage: StageLike): 'Incoming leads' | 'Won' | 'Lost' | 'Working' {
  if (stage.id === WON) return 'Won';
  if (stage.id === LOST) return 'Lost';
  if (stage.type === 1) return 'Incoming leads';
  return 'Working';
}

// The sort changes that move an editable stage one place up (-1) or down (+1) among the
// editable stages: the two swap their sort values (equal values get distinct ones). Empty when
// the move is impossible.
export function moveStage<T extends StageLike>(stages: T[], id: number, direction: -1 | 1): { id: number; sort: number }[] {
  const editable = stages.filter((s) => s.is_editable).sort((a, b) => a.sort - b.sort || a.id - b.id);
  const index = editable.findIndex((s) => s.id === id);
  const self = editable[index];
  const other = editable[index + direction];
  if (index < 0 || !self || !other) return [];
  if (self.sort === other.sort) {
    const low = Math.min(self.sort, other.sort);
    return direction < 0
      ? [{ id: self.id, sort: low }, { id: other.id, sort: low + 1 }]
      : [{ id: other.id, sort: low }, { id: self.id, sort: low + 1 }];
  }
  return [
    { id: self.id, sort: other.sort },
    { id: other.id, sort: self.sort },
  ];
}
