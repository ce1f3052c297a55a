// One answer of the engine (GET /api/v4/security/explain) in plain words, with the engine's own
// sentences beneath. Asks only while shown. With `at` (an administrator's replay) the answer is
// the decision as it was then; a refused `at` is shown by the form's "At" input (replayRefusal),
// a record that did not exist then here.
import { Alert, Badge, Group, List, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import { replayRefusal, replayTime } from '../../lib/replay';
import { explainInWords, type ExplainAction, type ExplainEntity, type ExplainNames } from '../../lib/explainWords';
import { stageIndex, usePipelines, useUsers } from '../../lib/leadsApi';

export interface AccessQuestion {
  userId: number;
  entityType: ExplainEntity;
  entityId: number;
  action: ExplainAction;
  at?: number | null; // unix seconds: replay the decision as it was then
}

export function useExplanation(q: AccessQuestion, enabled = true) {
  return useQuery({
    queryKey: ['explain', q.userId, q.entityType, q.entityId, q.action, q.at ?? null],
    enabled,
    staleTime: 0,
    // A refusal (a bad `at`, a record missing then) is an answer: asking again changes nothing.
    retry: false,
    queryFn: () =>
      unwrap(
        api.GET('/api/v4/security/explain', {
          params: {
            query: {
              user_id: q.userId,
              entity_type: q.entityType,
              entity_id: q.entityId,
              action: q.action,
              ...(q.at != null ? { at: q.at } : {}),
            },
          },
        }),
      ),
  });
}

// Names for the words: users and their groups, pipelines and stages (the lists every page has).
export function useExplainNames(): ExplainNames {
  const users = useUsers();
  const pipelines = usePipelines();
  return useMemo(() => {
    const byId = new Map((users.data ?? []).map((u) => [u.id, u]));
    const stages = stageIndex(pipelines.data);
    return {
      userName: (id) => byId.get(id)?.name,
      userGroup: (id) => byId.get(id)?._embedded?.groups?.[0]?.name,
      stage: (p, s) => {
        const info = stages.get(`${p}.${s}`);
        return info && { pipeline: info.pipeline.name, stage: info.stage.name };
      },
    };
  }, [users.data, pipelines.data]);
}

export function AccessAnswer({ question, selfId, title }: { question: AccessQuestion; selfId: number | null; title?: string }) {
  const explanation = useExplanation(question);
  const names = useExplainNames();
  if (explanation.isPending) return <Loader size="sm" aria-label="Asking the engine" />;
  if (explanation.isError) {
    const error = explanation.error;
    const refusal = error instanceof ApiError ? replayRefusal(error.status, error.problem, question.at ?? null) : null;
    if (refusal?.at) return null; // shown under the "At" input
    if (refusal?.missing) {
      return (
        <Alert color="orange" title="Did not exist then" role="alert">
          {refusal.missing}
        </Alert>
      );
    }
    return (
      <Alert color="red" title="The engine could not answer" role="alert">
        {explanation.error.message}
      </Alert>
    );
  }
  const words = explainInWords(explanation.data, names, selfId);
  return (
    <Stack gap={6} component="section" aria-label={title ?? words.verdict} data-allowed={words.allowed}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Badge color={words.allowed ? 'green' : 'red'} variant="light" radius="sm" style={{ flexShrink: 0 }}>
          {words.allowed ? 'Yes' : 'No'}
        </Badge>
        <Text fw={600} size="sm">
          {words.verdict}
        </Text>
      </Group>
      {explanation.data.at != null && (
        <Text size="xs" c="gray.7">
          Replayed as it was on {replayTime(explanation.data.at)} (history kept since {replayTime(explanation.data.replay_from ?? explanation.data.at)}).
        </Text>
      )}
      <List size="sm" spacing={2}>
        {words.because.map((line) => (
          <List.Item key={line}>{line}</List.Item>
        ))}
      </List>
      <Text size="xs" c="gray.7" fw={700} mt={4}>
        The engine’s reasons
      </Text>
      <List size="xs" spacing={2} c="gray.8" aria-label="The engine’s reasons">
        {words.engine.map((line) => (
          <List.Item key={line}>{line}</List.Item>
        ))}
      </List>
    </Stack>
  );
}
