// What a record page (/leads/:id, /contacts/:id, /customers/:id, …) shows until its record is
// there: the not-found page for a malformed id or a 404 (a record the user may not view is a 404
// exactly like a missing one), the failure in words, or the loader.
import { Alert, Center, Loader } from '@mantine/core';
import { ApiError } from '../../api/problem';
import { NotFoundPage } from '../NotFoundPage';

// `what`: the record's kind in words ("lead").
export function RecordPending({ id, error, what }: { id: number | null; error: Error | null; what: string }) {
  if (id === null || (error instanceof ApiError && error.status === 404)) return <NotFoundPage />;
  if (error) {
    return (
      <Alert color="red" title={`The ${what} could not be loaded`} role="alert">
        {error.message}
      </Alert>
    );
  }
  return (
    <Center py="xl">
      <Loader aria-label={`Loading ${what}`} />
    </Center>
  );
}
