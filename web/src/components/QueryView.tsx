// What a section shows of one query: a placeholder while it loads, the error in words, a sentence
// when the answer is an empty list, else `children` with the data.
import { Alert, Skeleton, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

export function QueryView<T>({ query, empty, children }: { query: UseQueryResult<T[]>; empty: string; children: (data: T[]) => ReactNode }) {
  if (query.isPending) return <Skeleton h={60} />;
  if (query.isError) {
    return (
      <Alert color="red" role="alert">
        {query.error.message}
      </Alert>
    );
  }
  if (query.data.length === 0) return <Text size="sm">{empty}</Text>;
  return <>{children(query.data)}</>;
}
