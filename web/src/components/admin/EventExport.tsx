// CSV export of the activity log with the list's filters (GET /api/v4/events/export), read as a
// stream so the page can show how many rows have arrived, then saved as a file.
import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiError, type Problem } from '../../api/problem';
import { toSearch } from '../../lib/activityFilters';
import { contentLength, readCsv, saveFile } from '../../lib/download';
import { errorText } from './Dialogs';

interface Progressing {
  rows: number;
  bytes: number;
  total: number | null;
  done: boolean;
}

// `query` is the list's query without paging ({filter}), as the export takes it.
export function EventExport({ query }: { query: object }) {
  const [progress, setProgress] = useState<Progressing | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setError(null);
    setProgress({ rows: 0, bytes: 0, total: null, done: false });
    try {
      const response = await fetch(`/api/v4/events/export?${toSearch(query)}`, { credentials: 'same-origin' });
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as Problem;
        throw new ApiError(response.status, problem, response.headers);
      }
      const total = contentLength(response.headers);
      const { chunks, bytes, records } = await readCsv(response.body!, total, (read) =>
        setProgress({ rows: Math.max(0, read.records - 1), bytes: read.bytes, total, done: false }),
      );
      const rows = Math.max(0, records - 1); // less the header
      setProgress({ rows, bytes, total, done: true });
      saveFile(chunks as BlobPart[], 'text/csv', `activity-log-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (e) {
      setProgress(null);
      setError(errorText(e));
    }
  }

  const busy = progress !== null && !progress.done;
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" onClick={() => void run()} loading={busy}>
          Export CSV
        </Button>
      </Group>
      {progress && (
        <>
          <Progress
            aria-label="Export progress"
            value={progress.done ? 100 : progress.total ? (100 * progress.bytes) / progress.total : 100}
            animated={busy}
            striped={busy}
          />
          <Text size="sm" role="status">
            {progress.done
              ? `Export finished: ${progress.rows} ${progress.rows === 1 ? 'row' : 'rows'} (${Math.ceil(progress.bytes / 1024)} KB).`
              : `Exporting… ${progress.rows} rows received (${Math.ceil(progress.bytes / 1024)} KB).`}
          </Text>
        </>
      )}
      {error && (
        <Alert color="red" role="alert" title="Export failed">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
