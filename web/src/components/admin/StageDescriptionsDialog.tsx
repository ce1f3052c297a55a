// The descriptions of one stage (the guidance salespeople read at it), one text per experience
// level, read with the pipeline's statuses (?with=descriptions) and saved with one PATCH of the
// stage that sends only the levels changed. The dialog stays open and shows the server's
// refusal when it says no. The form is keyed by the stored texts, so it starts again from them
// whenever they change.
import { Modal, Stack, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { listStagesWithDescriptions, setStageDescriptions } from '../../lib/adminApi';
import { STAGE_LEVELS, changedDescriptions, levelTexts, type LevelTexts } from '../../lib/stageDescriptions';
import { FormActions } from '../FormActions';
import { PageLoader } from '../PageLoader';
import { LoadError, errorText } from './Dialogs';

export const stageDescriptionsKey = (pipeline: number) => ['pipelines', pipeline, 'descriptions'];

interface Props {
  pipeline: number;
  stage: { id: number; name: string } | null; // null: closed
  onClose: () => void;
}

function DescriptionsForm({ pipeline, stage, stored, onClose }: { pipeline: number; stage: number; stored: LevelTexts; onClose: () => void }) {
  const queries = useQueryClient();
  const [texts, setTexts] = useState<LevelTexts>(stored);
  const changes = changedDescriptions(stored, texts);
  const save = useMutation({
    mutationFn: () => setStageDescriptions(pipeline, stage, changes),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: stageDescriptionsKey(pipeline) });
      onClose();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (changes.length > 0) save.mutate();
    else onClose();
  }
  return (
    <form onSubmit={submit}>
      <Stack>
        {STAGE_LEVELS.map(({ level, label }) => (
          <Textarea
            key={level}
            label={label}
            value={texts[level]}
            autosize
            minRows={2}
            maxRows={8}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setTexts((t) => ({ ...t, [level]: value }));
            }}
          />
        ))}
        <FormActions busy={save.isPending} onCancel={onClose} error={save.error ? errorText(save.error) : undefined} />
      </Stack>
    </form>
  );
}

export function StageDescriptionsDialog({ pipeline, stage, onClose }: Props) {
  const stages = useQuery({
    queryKey: stageDescriptionsKey(pipeline),
    queryFn: () => listStagesWithDescriptions(pipeline),
    enabled: stage !== null,
  });
  const found = stages.data?.find((s) => s.id === stage?.id);
  const stored = levelTexts(found?.descriptions);
  const key = `${stored.newbie}\u0000${stored.candidate}\u0000${stored.master}`;
  return (
    <Modal opened={stage !== null} onClose={onClose} title={`Descriptions of ${stage?.name ?? ''}`} size="lg">
      {stages.isPending ? (
        <PageLoader />
      ) : stages.isError ? (
        <LoadError error={stages.error} />
      ) : stage !== null ? (
        <DescriptionsForm key={`${stage.id}:${key}`} pipeline={pipeline} stage={stage.id} stored={stored} onClose={onClose} />
      ) : null}
    </Modal>
  );
}
