// The guidance of a lead's current stage (its description for newbies: Gatehouse keeps no
// experience level per user), under the lead's fields. Nothing when the stage has none, or while
// it loads; a failed read shows nothing either, as the page is whole without it.
import { Paper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listStagesWithDescriptions } from '../../lib/adminApi';
import { leadStageGuidance } from '../../lib/stageDescriptions';
import { stageDescriptionsKey } from '../admin/StageDescriptionsDialog';

export function StageGuidance({ pipeline, stage }: { pipeline: number; stage: number }) {
  const stages = useQuery({ queryKey: stageDescriptionsKey(pipeline), queryFn: () => listStagesWithDescriptions(pipeline) });
  const text = leadStageGuidance(stages.data?.find((s) => s.id === stage)?.descriptions);
  if (text === null) return null;
  return (
    <Paper withBorder p="md" component="section" aria-label="Stage guidance">
      <Text fw={600} size="sm">
        Stage guidance
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap' }}>{text}</Text>
    </Paper>
  );
}
