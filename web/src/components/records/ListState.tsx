// The states every paged list page goes through, in one place: filters that cannot match (a range
// that ends before it starts), the error alert, the loader while the first page loads, the "nothing matches" status, and the rows (`children`) inside a region
// marked busy while a newer page is on its way. data-ready / data-search say which URL the rows
// shown answer, for tests and measurements.
import { Alert, Center, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export function ListState({ badRange, error, errorTitle, loading, loadingLabel, empty, emptyText, ready, search, children }: {
  badRange?: string; // what the list shows ("leads"), when a filter range ends before it starts
  error: Error | null;
  errorTitle: string;
  loading: boolean;
  loadingLabel: string;
  empty: boolean;
  emptyText: string;
  ready: boolean;
  search?: string;
  children: ReactNode;
}) {
  return (
    <>
      {badRange && (
        <Alert color="yellow" title="Check the filters">
          A range ends before it starts; correct it to see {badRange}.
        </Alert>
      )}
      {error && (
        <Alert color="red" title={errorTitle} role="alert">
          {error.message}
        </Alert>
      )}
      {loading && (
        <Center py="xl">
          <Loader aria-label={loadingLabel} />
        </Center>
      )}
      <div aria-busy={!ready} data-ready={ready} data-search={search}>
        {empty && (
          <Text py="lg" ta="center" c="gray.7" role="status">
            {emptyText}
          </Text>
        )}
        {!empty && children}
      </div>
    </>
  );
}
