// Point-in-time replay (GET /api/v4/security/explain?…&at=T and …/explain/viewers): the "At"
// date-time an investigator types (the browser's local time, to the second) as the unix seconds
// the API takes, the API's refusals of `at` turned into what the input shows, and each viewer's
// rule in the same words as "Why can I see this?" (explainWords, not a second wording).
import type { components } from '../api/schema';
import type { Problem } from '../api/problem';
import { explainInWords, levelWords, type Explanation, type ExplainEntity, type ExplainNames } from './explainWords';

export type Viewers = components['schemas']['Viewers'];
export type Viewer = Viewers['_embedded']['viewers'][number];

// A datetime-local value ("2026-12-04T10:15" or with ":30" seconds) as unix seconds, read in the
// browser's time zone; '' or anything else is null.
export function unixOfLocal(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const d = new Date(year, month - 1, day, hour, minute, second);
  // new Date rolls 2026-02-31 over to March: such a value is not a date.
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day || d.getHours() !== hour) return null;
  return Math.floor(d.getTime() / 1000);
}

// Unix seconds as a datetime-local value to the second (what unixOfLocal reads back).
export function localOfUnix(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

// A replayed time in words, to the second ("2026-12-04 10:15:30", local time).
export function replayTime(seconds: number): string {
  return localOfUnix(seconds).replace('T', ' ');
}

// What a refused replay shows: `at` — the validation error on `at` (out of range, before the
// history starts: its detail says from when replay is possible), shown under the input;
// `missing` — the record (or user) did not exist at that time (404); else null.
export interface ReplayRefusal {
  at?: string;
  missing?: string;
}

export function replayRefusal(status: number, problem: Problem, at: number | null): ReplayRefusal | null {
  if (status === 400) {
    for (const group of problem['validation-errors'] ?? []) {
      const error = group.errors?.find((e) => e.path === 'at');
      if (error) return { at: error.detail ?? error.code ?? 'Not a time replay answers for' };
    }
    return null;
  }
  if (status === 404) {
    const detail = problem.detail?.trim();
    const when = at === null ? 'now' : 'then';
    return { missing: `This did not exist ${when}${detail ? ` (${detail})` : ''}.` };
  }
  return null;
}

export interface ViewerInWords {
  userId: number;
  name: string;
  rule: string; // "Administrator", "Leads view: Team-wide (G)", "Stage rule: Leads view Allowed (A)"
  because: string[]; // the same sentences "Why can I see this?" gives for this rule
}

// Each viewer with its rule in words: the viewer entry is the engine's explanation of an allowed
// "view" (same rule, level, match and stage), so explainWords says it.
export function viewersInWords(v: Viewers, names: ExplainNames): ViewerInWords[] {
  const entity: ExplainEntity = v.entity_type;
  const set = entity === 'customers' ? 'Leads' : entity.charAt(0).toUpperCase() + entity.slice(1);
  return v._embedded.viewers.map((viewer) => {
    const explanation: Explanation = {
      user_id: viewer.user_id,
      entity_type: entity,
      entity_id: v.entity_id,
      action: 'view',
      allowed: true,
      rule: viewer.rule,
      level: viewer.level,
      match: viewer.match,
      stage: viewer.stage,
      responsible_user_id: v.responsible_user_id,
      reasons: [],
    };
    const words = explainInWords(explanation, names, null);
    const levelText = `${levelWords[viewer.level]} (${viewer.level})`;
    const rule =
      viewer.rule === 'admin'
        ? 'Administrator'
        : viewer.rule === 'stage_right'
          ? `Stage rule: ${set} view ${levelText}`
          : `${set} view: ${levelText}`;
    return { userId: viewer.user_id, name: names.userName(viewer.user_id) ?? `user ${viewer.user_id}`, rule, because: words.because };
  });
}
