// The engine's explanation (GET /api/v4/security/explain) in plain words: whether the user may do
// the action, which right and level decided, which stage rule, and how the responsible user or
// their group matched. Names come from lookups; an id stands in when a name is unknown. The
// engine's own sentences are kept beside these words, never replaced.
import type { components } from '../api/schema';

export type Explanation = components['schemas']['Explanation'];
export type Level = components['schemas']['Level'];
export type ExplainAction = Explanation['action'];
export type ExplainEntity = Explanation['entity_type'];

export const levelWords: Record<Level, string> = {
  D: 'Denied',
  M: 'If responsible',
  G: 'Team-wide',
  A: 'Allowed',
};

const verbs: Record<ExplainAction, string> = {
  view: 'see',
  edit: 'edit',
  delete: 'delete',
  export: 'export',
  add: 'add',
};

const entityWords: Record<ExplainEntity, { one: string; set: string }> = {
  leads: { one: 'lead', set: 'Leads' },
  contacts: { one: 'contact', set: 'Contacts' },
  companies: { one: 'company', set: 'Companies' },
  tasks: { one: 'task', set: 'Tasks' },
  // Customers have the leads' rights (the right that decides is a "Leads" one).
  customers: { one: 'customer', set: 'Leads' },
};

export interface ExplainNames {
  userName(id: number): string | undefined;
  userGroup(id: number): string | undefined; // the group's name
  stage(pipelineId: number, statusId: number): { pipeline: string; stage: string } | undefined;
}

export interface ExplainInWords {
  allowed: boolean;
  verdict: string; // "You may see this lead."
  because: string[]; // the plain-words reasons, in the engine's order
  engine: string[]; // the engine's own sentences
}

// `selfId`: the user reading the answer, who is "you" (null: nobody, always use names).
export function explainInWords(e: Explanation, names: ExplainNames, selfId: number | null): ExplainInWords {
  const self = selfId !== null && e.user_id === selfId;
  const userName = (id: number) => names.userName(id) ?? `user ${id}`;
  const who = self ? 'You' : userName(e.user_id);
  const whom = self ? 'you' : userName(e.user_id);
  const entity = entityWords[e.entity_type];
  const right = `“${entity.set} ${e.action}”`;
  const level = `${levelWords[e.level]} (${e.level})`;
  const sentence = `${who} ${e.allowed ? 'may' : 'may not'} ${verbs[e.action]} this ${entity.one}.`;
  const verdict = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  const because: string[] = [];

  switch (e.rule) {
    case 'unknown_user':
      because.push(`${who} ${self ? 'are' : 'is'} not a user of this workspace.`);
      break;
    case 'inactive_user':
      because.push(`${who} ${self ? 'are' : 'is'} deactivated, and a deactivated user may do nothing.`);
      break;
    case 'free_user':
      because.push(`${who} ${self ? 'hold' : 'holds'} no paid seat (a free user), and free users act on no data.`);
      break;
    case 'admin':
      because.push(`${who} ${self ? 'are' : 'is'} an administrator, and administrators may do everything.`);
      break;
    case 'not_applicable':
      because.push(`${entity.set} have no “${e.action}” action.`);
      break;
    case 'stage_right': {
      const stage = e.stage ? names.stage(e.stage.pipeline_id, e.stage.status_id) : undefined;
      const where = stage
        ? `the stage “${stage.stage}” of the pipeline “${stage.pipeline}”`
        : `stage ${e.stage?.status_id ?? '?'} of pipeline ${e.stage?.pipeline_id ?? '?'}`;
      because.push(`The ${entity.one} is in ${where}, where a stage rule decides: ${right} is ${level} there.`);
      break;
    }
    case 'general_right':
      because.push(`The right ${right} is ${level} for ${whom}.`);
      break;
  }

  if (e.rule === 'general_right' || e.rule === 'stage_right') {
    const responsible = e.responsible_user_id;
    const responsibleName = responsible === selfId ? 'you' : userName(responsible);
    if (e.level === 'M') {
      if (responsible === 0) because.push(`It has no responsible user, so “if responsible” matches nobody.`);
      else if (e.match === 'responsible') because.push(`${who} ${self ? 'are' : 'is'} its responsible user.`);
      else because.push(`Its responsible user is ${responsibleName}, not ${whom}.`);
    } else if (e.level === 'G') {
      const theirGroup = responsible === 0 ? undefined : names.userGroup(responsible);
      const ownGroup = names.userGroup(e.user_id);
      const quoted = (g: string | undefined) => (g ? `“${g}”` : 'an unknown group');
      if (responsible === 0) because.push(`It has no responsible user, so no group matches.`);
      else if (e.match === 'same_group')
        because.push(`Its responsible user, ${responsibleName}, is in ${self ? 'your' : 'the same'} group ${quoted(theirGroup)}.`);
      else
        because.push(
          `Its responsible user, ${responsibleName}, is in the group ${quoted(theirGroup)}; ${whom} ${self ? 'are' : 'is'} in ${quoted(ownGroup)}.`,
        );
    } else if (e.level === 'A') {
      because.push(`“${levelWords.A}” covers every ${entity.one}, whoever is responsible.`);
    } else if (e.level === 'D') {
      because.push(`“${levelWords.D}” covers no ${entity.one} at all.`);
    }
  }
  return { allowed: e.allowed, verdict, because, engine: e.reasons.map((r) => r.text) };
}
