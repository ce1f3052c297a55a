// The rights matrix (UI.md): rows data sets, columns actions, each cell a LevelCell; below it
// the stage rights and the feature toggles. Controlled: it shows `value` and reports edits; the
// editor asks the server what the edit normalizes to.
import { Button, Group, Modal, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import {
  ACTIONS,
  DATA_SETS,
  LEVELS,
  STAGE_ACTIONS,
  FIELD_KINDS,
  dataSetLabel,
  fieldLevels,
  levelsFor,
  type FieldKind,
  type FieldLevel,
  type FieldLevels,
  type ActionKey,
  type DataSetKey,
  type Level,
  type MatrixRights,
} from '../../lib/rights';
import type { PipelineItem } from '../../lib/adminTypes';
import { LevelCell } from './LevelCell';
import { sortedDefs, type FieldDef } from '../../lib/customFields';
import classes from './matrix.module.css';

interface Props {
  value: MatrixRights;
  readOnly: boolean;
  pipelines: PipelineItem[];
  onLevel: (dataSet: DataSetKey, action: ActionKey, level: Level) => void;
  onStageLevel: (pipelineId: number, statusId: number, action: ActionKey, level: Level) => void;
  onAddStage: (pipelineId: number, statusId: number) => void;
  onRemoveStage: (pipelineId: number, statusId: number) => void;
  onFeature: (feature: 'catalog_access' | 'mail_access' | 'files_access', on: boolean) => void;
  fieldDefs: Record<FieldKind, FieldDef[] | undefined>;
  onFieldLevel: (kind: FieldKind, fieldId: number, action: keyof FieldLevels, level: FieldLevel) => void;
}

const fieldLevelChoices = LEVELS.filter((l) => l.code === 'D' || l.code === 'A');

// Per custom field, view and edit (A or D); a field not restricted is Allowed. The server narrows
// edit to view, as for every dependent action.
function FieldRights({ value, readOnly, fieldDefs, onFieldLevel }: Pick<Props, 'value' | 'readOnly' | 'fieldDefs' | 'onFieldLevel'>) {
  const kinds = FIELD_KINDS.filter((k) => (fieldDefs[k] ?? []).length > 0);
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Field rights
      </Title>
      <Text size="sm" c="gray.7">
        Who may view and edit each custom field. A field one may not view is absent everywhere; one that may be viewed but not edited is read-only.
      </Text>
      {kinds.length === 0 && (
        <Text size="sm" c="gray.7">
          No custom fields yet (Settings → Custom fields).
        </Text>
      )}
      {kinds.map((kind) => (
        <Table key={kind} className={classes.matrix} withTableBorder withColumnBorders aria-label={`Field rights of ${dataSetLabel(kind).toLowerCase()}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{dataSetLabel(kind)} field</Table.Th>
              <Table.Th scope="col">view</Table.Th>
              <Table.Th scope="col">edit</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sortedDefs(fieldDefs[kind]).map((def) => {
              const levels = fieldLevels(value, kind, def.id);
              return (
                <Table.Tr key={def.id}>
                  <Table.Th scope="row">{def.name}</Table.Th>
                  {(['view', 'edit'] as const).map((action) => (
                    <Table.Td key={action}>
                      <LevelCell
                        name={`${dataSetLabel(kind)}: ${def.name} ${action}`}
                        levels={fieldLevelChoices}
                        value={levels[action]}
                        disabled={readOnly}
                        onChange={(level) => onFieldLevel(kind, def.id, action, level === 'D' ? 'D' : 'A')}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ))}
    </Stack>
  );
}

export function stageName(pipelines: PipelineItem[], pipelineId: number, statusId: number): string {
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  const status = pipeline?._embedded?.statuses?.find((s) => s.id === statusId);
  return `${pipeline?.name ?? `Pipeline ${pipelineId}`} / ${status?.name ?? `Stage ${statusId}`}`;
}

function Legend() {
  return (
    <Group gap="md" aria-label="Levels">
      {LEVELS.map((l) => (
        <Text key={l.code} size="sm">
          <b>{l.code}</b> {l.name}
        </Text>
      ))}
    </Group>
  );
}

function AddStage({ pipelines, taken, onAdd }: { pipelines: PipelineItem[]; taken: Set<string>; onAdd: (p: number, s: number) => void }) {
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<string | null>(null);
  const data = pipelines.map((p) => ({
    group: p.name,
    items: (p._embedded?.statuses ?? [])
      .filter((s) => !taken.has(`${p.id}:${s.id}`))
      .map((s) => ({ value: `${p.id}:${s.id}`, label: `${p.name} / ${s.name}` })),
  })).filter((g) => g.items.length > 0);
  return (
    <>
      <Button variant="light" onClick={() => setOpen(true)}>
        Add special rights to the pipeline stage
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Add special rights to the pipeline stage">
        <Stack>
          <Select label="Pipeline stage" data={data} value={choice} onChange={setChoice} searchable comboboxProps={{ withinPortal: false }} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              disabled={!choice}
              onClick={() => {
                const [p, s] = (choice ?? '').split(':').map(Number);
                if (p && s) onAdd(p, s);
                setChoice(null);
                setOpen(false);
              }}
            >
              Add stage
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function RightsMatrix({ value, readOnly, pipelines, onLevel, onStageLevel, onAddStage, onRemoveStage, onFeature, fieldDefs, onFieldLevel }: Props) {
  const taken = new Set(value.stages.map((s) => `${s.pipeline_id}:${s.status_id}`));
  return (
    <Stack gap="lg">
      <Legend />
      <Table.ScrollContainer minWidth={900}>
        <Table className={classes.matrix} withTableBorder withColumnBorders aria-label="Rights by data set and action">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Data set</Table.Th>
              {ACTIONS.map((a) => (
                <Table.Th key={a} scope="col">
                  {a}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {DATA_SETS.map((ds) => (
              <Table.Tr key={ds.key}>
                <Table.Th scope="row">{ds.label}</Table.Th>
                {ACTIONS.map((a) => (
                  <Table.Td key={a}>
                    {ds.actions.includes(a) ? (
                      <LevelCell
                        name={`${ds.label} ${a}`}
                        levels={levelsFor(ds.key, a)}
                        value={value.levels[ds.key][a]}
                        disabled={readOnly}
                        onChange={(level) => onLevel(ds.key, a, level)}
                      />
                    ) : (
                      <Text size="xs" c="gray.7" aria-hidden="true">
                        —
                      </Text>
                    )}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Stack gap="xs">
        <Title order={3} size="h4">
          Stage rights
        </Title>
        <Text size="sm" c="gray.7">
          For leads in one stage of one pipeline these replace the general lead rights.
        </Text>
        {value.stages.length > 0 && (
          <Table className={classes.matrix} withTableBorder withColumnBorders aria-label="Stage rights">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Stage</Table.Th>
                {STAGE_ACTIONS.map((a) => (
                  <Table.Th key={a} scope="col">
                    {a}
                  </Table.Th>
                ))}
                <Table.Th scope="col">Remove</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {value.stages.map((s) => {
                const name = stageName(pipelines, s.pipeline_id, s.status_id);
                return (
                  <Table.Tr key={`${s.pipeline_id}:${s.status_id}`}>
                    <Table.Th scope="row">{name}</Table.Th>
                    {STAGE_ACTIONS.map((a) => (
                      <Table.Td key={a}>
                        <LevelCell
                          name={`${name} ${a}`}
                          levels={LEVELS}
                          value={s.rights[a]}
                          disabled={readOnly}
                          onChange={(level) => onStageLevel(s.pipeline_id, s.status_id, a, level)}
                        />
                      </Table.Td>
                    ))}
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        disabled={readOnly}
                        aria-label={`Remove special rights for ${name}`}
                        onClick={() => onRemoveStage(s.pipeline_id, s.status_id)}
                      >
                        Remove
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
        {!readOnly && <Group><AddStage pipelines={pipelines} taken={taken} onAdd={onAddStage} /></Group>}
      </Stack>

      <FieldRights value={value} readOnly={readOnly} fieldDefs={fieldDefs} onFieldLevel={onFieldLevel} />

      <Stack gap="xs">
        <Title order={3} size="h4">
          Features
        </Title>
        <Group gap="xl">
          <Switch label="Lists" checked={value.catalog_access} disabled={readOnly} onChange={(e) => onFeature('catalog_access', e.currentTarget.checked)} />
          <Switch label="Shared Inbox" checked={value.mail_access} disabled={readOnly} onChange={(e) => onFeature('mail_access', e.currentTarget.checked)} />
          <Switch label="Files" checked={value.files_access} disabled={readOnly} onChange={(e) => onFeature('files_access', e.currentTarget.checked)} />
        </Group>
      </Stack>
    </Stack>
  );
}
