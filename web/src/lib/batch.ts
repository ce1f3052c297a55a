// Runs one request per selected record, a few at a time, and keeps each record's outcome: the
// server decides per record (a batch PATCH would refuse the whole batch for one forbidden lead),
// so a refusal is shown beside the record it concerns while the others go through.

export interface BatchOutcome<T> {
  item: T;
  error: string | null; // the server's reason in words; null when done
}

export async function runBatch<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<BatchOutcome<T>[]> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const outcomes: BatchOutcome<T>[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      if (options.signal?.aborted) {
        outcomes[index] = { item, error: 'Cancelled' };
      } else {
        try {
          await work(item);
          outcomes[index] = { item, error: null };
        } catch (error) {
          outcomes[index] = { item, error: error instanceof Error ? error.message : String(error) };
        }
      }
      options.onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return outcomes;
}
