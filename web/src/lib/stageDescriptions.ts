// Stage descriptions (the API's `descriptions` of a status, GET …/statuses?with=descriptions):
// the guidance shown at a stage, one text per experience level. The editor shows the three
// levels as texts and sends only the levels whose text changed (an empty text removes one).
export type StageLevel = 'newbie' | 'candidate' | 'master';

export const STAGE_LEVELS: { level: StageLevel; label: string }[] = [
  { level: 'newbie', label: 'Newbie' },
  { level: 'candidate', label: 'Candidate' },
  { level: 'master', label: 'Master' },
];

export type LevelTexts = Record<StageLevel, string>;

interface DescriptionLike {
  level: StageLevel;
  description: string;
}

// The text of each level, '' for a level without one.
export function levelTexts(descriptions: readonly DescriptionLike[] | undefined): LevelTexts {
  const texts: LevelTexts = { newbie: '', candidate: '', master: '' };
  for (const d of descriptions ?? []) texts[d.level] = d.description;
  return texts;
}

// What a save sends: the levels whose text differs from what is stored, trimmed (so a text of
// spaces only removes the level's), in the levels' order.
export function changedDescriptions(stored: LevelTexts, edited: LevelTexts): DescriptionLike[] {
  return STAGE_LEVELS.filter(({ level }) => edited[level].trim() !== stored[level]).map(({ level }) => ({
    level,
    description: edited[level].trim(),
  }));
}

// The text a lead's page shows for its stage: Gatehouse keeps no level per user, so everyone
// reads the newbie text (null when the stage has none).
export function leadStageGuidance(descriptions: readonly DescriptionLike[] | undefined): string | null {
  return levelTexts(descriptions).newbie || null;
}
