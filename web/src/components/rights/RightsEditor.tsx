// The matrix with its proposal cycle: each edit is sent to the impact preview, the matrix then
// shows the rights as the server would store them (dependent cells narrowed by the server, not
// by us), the impact is listed, and Save sends the same proposal.
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { PipelineItem } from '../../lib/adminTypes';
import {
  changedCells,
  fromApi,
  sameMatrix,
  toApi,
  withLevel,
  withStage,
  withFieldLevel,
  withStageLevel,
  withoutStage,
  type ApiRights,
  type MatrixRights,
} from '../../lib/rights';
import { useFieldDefs } from '../../lib/extrasApi';
import { ImpactPreview } from './ImpactPreview';
import { RightsMatrix } from './RightsMatrix';
import type { Proposal, useChangePreview } from './useChangePreview';

interface Props {
  preview: ReturnType<typeof useChangePreview>;
  saved: ApiRights | undefined;
  readOnly: boolean;
  readOnlyReason?: string;
  pipelines: PipelineItem[];
  onSaved: () => void;
}

export function RightsEditor({ preview, saved, readOnly, readOnlyReason, pipelines, onSaved }: Props) {
  const fieldDefs = {
    leads: useFieldDefs('leads').data,
    contacts: useFieldDefs('contacts').data,
    companies: useFieldDefs('companies').data,
    customers: useFieldDefs('customers').data,
  };
  const fieldName = (kind: keyof typeof fieldDefs, id: number) => fieldDefs[kind]?.find((f) => f.id === id)?.name ?? `field ${id}`;
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const savedMatrix = fromApi(saved);
  const proposed = preview.proposal?.rights ? fromApi(preview.proposal.rights) : null;
  // While the server is asked, the proposal as edited; then the server's answer.
  const normalized = !preview.pending && preview.report?.rights ? fromApi(preview.report.rights) : null;
  const shown: MatrixRights = normalized ?? proposed ?? savedMatrix;
  const narrowed = proposed && normalized ? changedCells(proposed, normalized, fieldName) : [];

  function edit(next: MatrixRights) {
    const rest: Proposal = { ...(preview.proposal ?? {}) };
    delete rest.rights;
    delete rest.role_id; // a hand edit replaces a role being applied (and detaches from the held one)
    setSaveError(null);
    if (Object.keys(rest).length === 0 && sameMatrix(next, savedMatrix)) {
      void preview.propose(null);
      return;
    }
    void preview.propose({ ...rest, rights: toApi(next) });
  }

  async function save() {
    setSaving(true);
    setSaveError(null);
    try {
      const held = await preview.save();
      notifications.show(
        held
          ? { color: 'blue', message: 'Sent for approval: another administrator must approve this grant (Settings → Security).' }
          : { color: 'green', message: 'Saved.' },
      );
      onSaved();
    } catch (caught) {
      setSaveError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setSaving(false);
    }
  }

  const canSave = preview.proposal !== null && preview.report !== null && !preview.pending && !preview.error;
  return (
    <Stack gap="lg">
      {readOnly && readOnlyReason && (
        <Alert color="blue" title="Not editable">
          {readOnlyReason}
        </Alert>
      )}
      <RightsMatrix
        value={shown}
        readOnly={readOnly}
        pipelines={pipelines}
        onLevel={(ds, action, level) => edit(withLevel(shown, ds, action, level))}
        onStageLevel={(p, s, action, level) => edit(withStageLevel(shown, p, s, action, level))}
        onAddStage={(p, s) => edit(withStage(shown, p, s))}
        onRemoveStage={(p, s) => edit(withoutStage(shown, p, s))}
        onFeature={(feature, on) => edit({ ...shown, [feature]: on })}
        fieldDefs={fieldDefs}
        onFieldLevel={(kind, id, action, level) => edit(withFieldLevel(shown, kind, id, action, level))}
      />
      <div aria-live="polite">
        {narrowed.length > 0 && (
          <Text size="sm" c="gray.7">
            Adjusted by the server (an action is never wider than what it depends on): {narrowed.join(', ')}.
          </Text>
        )}
      </div>
      {preview.proposal && <ImpactPreview report={preview.report} error={preview.error} pending={preview.pending} />}
      {saveError && (
        <Alert color="red" role="alert" title="Not saved">
          {saveError}
        </Alert>
      )}
      <Group>
        <Button onClick={() => void save()} disabled={!canSave} loading={saving}>
          Save
        </Button>
        {preview.proposal && (
          <Button variant="default" onClick={() => preview.reset()} disabled={saving}>
            Discard changes
          </Button>
        )}
      </Group>
    </Stack>
  );
}
