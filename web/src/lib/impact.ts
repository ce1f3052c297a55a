// The impact preview (POST /api/v4/security/impact) put into words for the page: who gains or
// loses how many records, per data set and action, and whose custom field rights change.
import type { components } from '../api/schema';
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

// One custom field whose view or edit right flips for one user (A allowed, D denied).
export type ImpactFieldChange = components['schemas']['ImpactReport']['affected_users'][number]['field_changes'][number];

export interface ImpactUser {
  user_id: number;
  name: string;
  changes: ImpactChange[];
  field_changes: ImpactFieldChange[];
}

// TODO(openapi): generated type
export interface ImpactReport {
  affected_users: ImpactUser[];
  summary: { users: number; gain: number; lose: number; field_changes: number };
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

export interface ImpactFieldLine {
  key: string; // unique per user: data set and field id
  field: string; // "Budget"
  dataSet: string; // "Leads"
  view: string; // "Allowed → Denied", or "Allowed (unchanged)"
  edit: string;
}

function flip(before: 'A' | 'D', after: 'A' | 'D'): string {
  const was = levelInfo(before).name;
  return before === after ? `${was} (unchanged)` : `${was} → ${levelInfo(after).name}`;
}

// The field names are the report's own (the server names every field it lists).
export function fieldImpactLines(changes: ImpactFieldChange[]): ImpactFieldLine[] {
  return changes.map((c) => ({
    key: `${c.data_set}:${c.field_id}`,
    field: c.field_name,
    dataSet: dataSetLabel(c.data_set),
    view: flip(c.view_before, c.view_after),
    edit: flip(c.edit_before, c.edit_after),
  }));
}

function records(n: number): string {
  return `${n} ${n === 1 ? 'record' : 'records'}`;
}

function fieldRights(n: number): string {
  return n === 1 ? '1 custom field right changes' : `${n} custom field rights change`;
}

// One sentence for the whole change. The record counts are left out when only field rights
// change (no user has a record change): "0 records gained, 0 lost" would say nothing.
export function impactSummary(report: ImpactReport): string {
  const { users, gain, lose, field_changes: fields } = report.summary;
  if (users === 0) return 'Nobody gains or loses access to any record or custom field.';
  const who = users === 1 ? '1 user' : `${users} users`;
  const parts: string[] = [];
  if (fields === 0 || report.affected_users.some((u) => u.changes.length > 0)) {
    parts.push(`${records(gain)} gained, ${records(lose)} lost`);
  }
  if (fields > 0) parts.push(fieldRights(fields));
  return `${who} affected: ${parts.join('; ')}.`;
}

// One user's totals in words ("gains 12 records, loses 3 records; 2 custom field rights change").
export function userTotals(user: Pick<ImpactUser, 'changes' | 'field_changes'>): string {
  const parts: string[] = [];
  if (user.changes.length > 0 || user.field_changes.length === 0) {
    const gain = user.changes.reduce((n, c) => n + (c.gain ?? 0), 0);
    const lose = user.changes.reduce((n, c) => n + (c.lose ?? 0), 0);
    parts.push(`gains ${records(gain)}, loses ${records(lose)}`);
  }
  if (user.field_changes.length > 0) parts.push(fieldRights(user.field_changes.length));
  return parts.join('; ');
}
