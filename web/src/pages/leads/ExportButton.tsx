// CSV export of the leads matching the list's filters (GET /api/v4/leads/export): the server
// writes exactly the leads the user may export. Progress: waiting for the server, then the bytes
// and records received; the file is then offered as a download.
import { Alert, Button, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formatBytes } from '../../lib/format';
import { contentLength, readCsv, saveFile, type ReadProgress } from '../../lib/download';
import { leadsExportQuery, type LeadsView } from '../../lib/leadsQuery';

type State =
  | { phase: 'idle' }
  | { phase: 'waiting' }
  | { phase: 'reading'; progress: ReadProgress }
  | { phase: 'done'; records: number }
  | { phase: 'failed'; message: string };

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function ExportButton({ view }: { view: LeadsView }) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const busy = state.phase === 'waiting' || state.phase === 'reading';

  const run = async () => {
    abort.current = new AbortController();
    setState({ phase: 'waiting' });
    try {
      const { signal } = abort.current;
      const call = api.GET('/api/v4/leads/export', {
        querySerializer: () => leadsExportQuery(view),
        parseAs: 'stream',
        signal,
      });
      const body = await unwrap(call);
      const { response } = await call;
      const totalBytes = contentLength(response.headers);
      const empty = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
      const { chunks, records } = await readCsv(body ?? empty, totalBytes, (progress) =>
        setState({ phase: 'reading', progress }),
      );
      saveFile(chunks as BlobPart[], 'text/csv', `leads-${today()}.csv`);
      setState({ phase: 'done', records: Math.max(0, records - 1) }); // less the header row
    } catch (error) {
      if (abort.current?.signal.aborted) {
        setState({ phase: 'idle' });
        return;
      }
      setState({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const percent =
    state.phase === 'reading' && state.progress.totalBytes
      ? (state.progress.bytes / state.progress.totalBytes) * 100
      : state.phase === 'done'
        ? 100
        : 0;

  return (
    <>
      <Button variant="default" onClick={() => void run()} loading={busy}>
        Export CSV
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close dialog' }}
        opened={state.phase !== 'idle'}
        onClose={() => !busy && setState({ phase: 'idle' })}
        title="Export leads"
        closeOnClickOutside={!busy}
        withCloseButton={!busy}
      >
        <Stack>
          {(busy || state.phase === 'done') && (
            <Stack gap={4}>
              <Progress value={state.phase === 'waiting' ? 100 : percent} animated={busy} striped={state.phase === 'waiting'} aria-label="Export progress" />
              <Text size="sm" c="gray.7" aria-live="polite">
                {state.phase === 'waiting' && 'Preparing the export on the server…'}
                {state.phase === 'reading' &&
                  `Downloading: ${formatBytes(state.progress.bytes)}${state.progress.totalBytes ? ` of ${formatBytes(state.progress.totalBytes)}` : ''}, ${Math.max(0, state.progress.records - 1)} leads`}
                {state.phase === 'done' && `Exported ${state.records} ${state.records === 1 ? 'lead' : 'leads'}.`}
              </Text>
            </Stack>
          )}
          {state.phase === 'failed' && (
            <Alert color="red" title="The export failed">
              {state.message}
            </Alert>
          )}
          <Group justify="flex-end">
            {busy ? (
              <Button variant="default" onClick={() => abort.current?.abort()}>
                Cancel
              </Button>
            ) : (
              <Button onClick={() => setState({ phase: 'idle' })}>Close</Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
