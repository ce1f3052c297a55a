// The rights matrix's vocabulary (SPEC §2) and the conversions between the API's rights object
// and what the matrix edits. Which levels an action accepts is the API's vocabulary (add and
// incoming-leads actions take only A or D); how dependent actions narrow is NOT decided here:
// the server's impact preview returns the rights as the save would store them.

export type Level = 'D' | 'M' | 'G' | 'A';
export type DataSetKey = 'leads' | 'contacts' | 'companies' | 'tasks' | 'incoming_leads';
export type ActionKey = 'view' | 'add' | 'edit' | 'delete' | 'export' | 'accept' | 'decline';

export interface LevelInfo {
  code: Level;
  name: string; // the radio's accessible name (UI.md)
  color: string; // Mantine colour, as Kommo: red, yellow, blue, green
}

export const LEVELS: readonly LevelInfo[] = [
  { code: 'D', name: 'Denied', color: 'red' },
  { code: 'M', name: 'If responsible', color: 'yellow' },
  { code: 'G', name: 'Team-wide', color: 'blue' },
  { code: 'A', name: 'Allowed', color: 'green' },
];

export function levelInfo(code: Level): LevelInfo {
  return LEVELS.find((l) => l.code === code) ?? LEVELS[0]!;
}

export const ACTIONS: readonly ActionKey[] = ['view', 'add', 'edit', 'delete', 'export', 'accept', 'decline'];
export const STAGE_ACTIONS: readonly ActionKey[] = ['view', 'edit', 'delete', 'export'];

export interface DataSetInfo {
  key: DataSetKey;
  label: string; // the row name; radiogroups are named `${label} ${action}`
  actions: readonly ActionKey[];
}

export const DATA_SETS: readonly DataSetInfo[] = [
  { key: 'leads', label: 'Leads', actions: ['view', 'add', 'edit', 'delete', 'export'] },
  { key: 'contacts', label: 'Contacts', actions: ['view', 'add', 'edit', 'delete', 'export'] },
  { key: 'companies', label: 'Companies', actions: ['view', 'add', 'edit', 'delete', 'export'] },
  { key: 'tasks', label: 'Tasks', actions: ['view', 'edit', 'delete'] },
  { key: 'incoming_leads', label: 'Incoming leads', actions: ['view', 'accept', 'decline'] },
];

export function dataSetLabel(key: string): string {
  // Customers are no data set of the matrix (the leads' row decides them) but have field rights.
  if (key === 'customers') return 'Customers';
  return DATA_SETS.find((d) => d.key === key)?.label ?? key;
}

// The levels an action accepts (src/domain/rights.h TakesOnlyAllowedOrDenied): a new record has
// no responsible user, and incoming leads are accepted or declined all or none.
export function levelsFor(dataSet: DataSetKey, action: ActionKey): readonly LevelInfo[] {
  if (action === 'add' || dataSet === 'incoming_leads') {
    return LEVELS.filter((l) => l.code === 'D' || l.code === 'A');
  }
  return LEVELS;
}

export type StageLevels = Partial<Record<ActionKey, Level>>;

export interface StageRight {
  pipeline_id: number;
  status_id: number;
  rights: StageLevels;
}

// What the matrix edits: the data-set levels, stage rights and feature toggles.
export interface MatrixRights {
  levels: Record<DataSetKey, Partial<Record<ActionKey, Level>>>;
  stages: StageRight[];
  catalog_access: boolean;
  mail_access: boolean;
  files_access: boolean;
  // Field rights (rights.custom_fields_rights): only the restricted fields, by kind and field id.
  fields: FieldRightsByKind;
}

// Customers' fields have their own rights (custom_fields_rights.customers): the matrix must know
// them, as a save replaces the whole set.
export type FieldKind = 'leads' | 'contacts' | 'companies' | 'customers';
export type FieldLevel = 'A' | 'D';
export interface FieldLevels {
  view: FieldLevel;
  edit: FieldLevel;
}
export type FieldRightsByKind = Record<FieldKind, Record<string, FieldLevels>>;
export const FIELD_KINDS: readonly FieldKind[] = ['leads', 'contacts', 'companies', 'customers'];

// The API's rights object (GET /api/v4/users/{id} `rights`, roles' `rights`, the impact
// preview's `rights`), only the members the matrix uses.
// TODO(openapi): generated type
export interface ApiRights {
  leads?: Record<string, string>;
  contacts?: Record<string, string>;
  companies?: Record<string, string>;
  tasks?: Record<string, string>;
  incoming_leads?: Record<string, string>;
  status_rights?: { entity_type?: string; pipeline_id: number; status_id: number; rights: Record<string, string> }[] | null;
  catalog_access?: boolean;
  mail_access?: boolean;
  files_access?: boolean;
  is_admin?: boolean;
  is_free?: boolean;
  is_active?: boolean;
  group_id?: number | null;
  role_id?: number | null;
  custom_fields_rights?: Partial<Record<string, Record<string, Partial<FieldLevels>>>> | null;
}

function asLevel(value: unknown): Level | undefined {
  return value === 'D' || value === 'M' || value === 'G' || value === 'A' ? value : undefined;
}

export function fromApi(rights: ApiRights | undefined): MatrixRights {
  const levels = {} as MatrixRights['levels'];
  for (const ds of DATA_SETS) {
    const source = rights?.[ds.key] ?? {};
    const row: Partial<Record<ActionKey, Level>> = {};
    for (const action of ds.actions) row[action] = asLevel(source[action]) ?? 'D';
    levels[ds.key] = row;
  }
  const stages: StageRight[] = (rights?.status_rights ?? []).map((s) => {
    const stageLevels: StageLevels = {};
    for (const action of STAGE_ACTIONS) {
      const level = asLevel(s.rights?.[action]);
      if (level) stageLevels[action] = level;
    }
    return { pipeline_id: s.pipeline_id, status_id: s.status_id, rights: stageLevels };
  });
  const fields: FieldRightsByKind = { leads: {}, contacts: {}, companies: {}, customers: {} };
  for (const kind of FIELD_KINDS) {
    for (const [id, right] of Object.entries(rights?.custom_fields_rights?.[kind] ?? {})) {
      const view: FieldLevel = right.view === 'D' ? 'D' : 'A';
      const edit: FieldLevel = right.edit === 'D' ? 'D' : 'A';
      if (view === 'D' || edit === 'D') fields[kind][id] = { view, edit };
    }
  }
  return {
    levels,
    stages,
    fields,
    catalog_access: rights?.catalog_access ?? false,
    mail_access: rights?.mail_access ?? false,
    files_access: rights?.files_access ?? false,
  };
}

// The `rights` member of a PATCH (users or roles) or an impact preview: every data set, every
// stage right (status_rights replaces them all), the feature toggles.
export function toApi(matrix: MatrixRights): ApiRights {
  const out: ApiRights = {
    status_rights: matrix.stages.map((s) => ({
      entity_type: 'leads',
      pipeline_id: s.pipeline_id,
      status_id: s.status_id,
      rights: { ...s.rights } as Record<string, string>,
    })),
    catalog_access: matrix.catalog_access,
    mail_access: matrix.mail_access,
    files_access: matrix.files_access,
    custom_fields_rights: fieldRightsToApi(matrix.fields),
  };
  for (const ds of DATA_SETS) out[ds.key] = { ...matrix.levels[ds.key] } as Record<string, string>;
  return out;
}

// Every restricted field, in a stable order (the whole set is sent: it replaces the saved one;
// {} clears it).
function fieldRightsToApi(fields: FieldRightsByKind): NonNullable<ApiRights['custom_fields_rights']> {
  const out: NonNullable<ApiRights['custom_fields_rights']> = {};
  for (const kind of FIELD_KINDS) {
    const ids = Object.keys(fields[kind]).sort((a, b) => Number(a) - Number(b));
    if (ids.length === 0) continue;
    out[kind] = Object.fromEntries(ids.map((id) => [id, { ...fields[kind][id]! }]));
  }
  return out;
}

// The field's levels (a field not listed is A/A).
export function fieldLevels(matrix: MatrixRights, kind: FieldKind, fieldId: number): FieldLevels {
  return matrix.fields[kind][String(fieldId)] ?? { view: 'A', edit: 'A' };
}

// One field's view or edit set; back at A/A the field is no longer listed.
export function withFieldLevel(
  matrix: MatrixRights,
  kind: FieldKind,
  fieldId: number,
  action: keyof FieldLevels,
  level: FieldLevel,
): MatrixRights {
  const next = { ...fieldLevels(matrix, kind, fieldId), [action]: level };
  const row = { ...matrix.fields[kind] };
  if (next.view === 'A' && next.edit === 'A') delete row[String(fieldId)];
  else row[String(fieldId)] = next;
  return { ...matrix, fields: { ...matrix.fields, [kind]: row } };
}

export function withLevel(matrix: MatrixRights, dataSet: DataSetKey, action: ActionKey, level: Level): MatrixRights {
  return { ...matrix, levels: { ...matrix.levels, [dataSet]: { ...matrix.levels[dataSet], [action]: level } } };
}

export function withStageLevel(
  matrix: MatrixRights,
  pipelineId: number,
  statusId: number,
  action: ActionKey,
  level: Level,
): MatrixRights {
  return {
    ...matrix,
    stages: matrix.stages.map((s) =>
      s.pipeline_id === pipelineId && s.status_id === statusId ? { ...s, rights: { ...s.rights, [action]: level } } : s,
    ),
  };
}

// A new stage entry starts from the general lead levels, so adding it changes nothing until a
// level is picked.
export function withStage(matrix: MatrixRights, pipelineId: number, statusId: number): MatrixRights {
  if (matrix.stages.some((s) => s.pipeline_id === pipelineId && s.status_id === statusId)) return matrix;
  const rights: StageLevels = {};
  for (const action of STAGE_ACTIONS) rights[action] = matrix.levels.leads[action] ?? 'D';
  const stages = [...matrix.stages, { pipeline_id: pipelineId, status_id: statusId, rights }];
  stages.sort((a, b) => a.pipeline_id - b.pipeline_id || a.status_id - b.status_id);
  return { ...matrix, stages };
}

export function withoutStage(matrix: MatrixRights, pipelineId: number, statusId: number): MatrixRights {
  return { ...matrix, stages: matrix.stages.filter((s) => !(s.pipeline_id === pipelineId && s.status_id === statusId)) };
}

export function sameMatrix(a: MatrixRights, b: MatrixRights): boolean {
  return JSON.stringify(toApi(a)) === JSON.stringify(toApi(b));
}

// The cells whose level differs between two matrices (what the server narrowed, for the
// "adjusted by the server" note).
export function changedCells(
  before: MatrixRights,
  after: MatrixRights,
  fieldName: (kind: FieldKind, id: number) => string = (_kind, id) => `field ${id}`,
): string[] {
  const out: string[] = [];
  for (const ds of DATA_SETS) {
    for (const action of ds.actions) {
      if (before.levels[ds.key][action] !== after.levels[ds.key][action]) out.push(`${ds.label} ${action}`);
    }
  }
  for (const kind of FIELD_KINDS) {
    const ids = new Set([...Object.keys(before.fields[kind]), ...Object.keys(after.fields[kind])]);
    for (const id of [...ids].sort((a, b) => Number(a) - Number(b))) {
      const a = fieldLevels(before, kind, Number(id));
      const b = fieldLevels(after, kind, Number(id));
      for (const action of ['view', 'edit'] as const) {
        if (a[action] !== b[action]) out.push(`${dataSetLabel(kind)}: ${fieldName(kind, Number(id))} ${action}`);
      }
    }
  }
  return out;
}
