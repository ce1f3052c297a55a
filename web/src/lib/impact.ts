// The impact preview (POST /api/v4/security/impact) put into words for the page: who gains or
// loses how many records, per data set and action.
import { dataSetLabel, levelInfo, type ApiRights, type Level } from './rights';

// TODO(openapi): generated type
export interface ImpactChange {
  data_set: string;
  action: string;
  level_before: Level;
  level_after: Level;
  gain: number | null;
  lose: number | null;
}

// TODO(openapi): generated type
export interface ImpactReport {
  affected_users: { user_id: number; name: string; changes: ImpactChange[] }[];
  summary: { users: number; gain: number; lose: number };
  rights?: ApiRights;
}

export interface ImpactLine {
  what: string; // "Leads view"
  before: string; // "If responsible"
  after: string;
  gained: string; // "+12", "—" when not counted (add, accept, decline)
  lost: string;
}

export function impactLines(changes: ImpactChange[]): ImpactLine[] {
  return changes.map((c) => ({
    what: `${dataSetLabel(c.data_set)} ${c.action}`,
    before: levelInfo(c.level_before).name,
    after: levelInfo(c.level_after).name,
    gained: c.gain === null ? '—' : `+${c.gain}`,
    lost: c.lose === null ? '—' : `−${c.lose}`,
  }));
}

function records(n: number): string {
  return `${n} ${n === 1 ? 'record' : 'records'}`;
}

// One sentence for the whole change.
export function impactSummary(report: ImpactReport): string {
  const { users, gain, lose } = report.summary;
  if (users === 0) return 'Nobody gains or loses access to any record.';
  const who = users === 1 ? '1 user' : `${users} users`;
  return `${who} affected: ${records(gain)} gained, ${records(lose)} lost.`;
}

// One user's totals in words ("gains 12 records, loses 3").
export function userTotals(changes: ImpactChange[]): string {
  const gain = changes.reduce((n, c) => n + (c.gain ?? 0), 0);
  const lose = changes.reduce((n, c) => n + (c.lose ?? 0), 0);
  return `gains ${records(gain)}, loses ${records(lose)}`;
}
