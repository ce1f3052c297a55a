import { describe, expect, it } from 'vitest';
import { runBatch } from './batch';

describe('runBatch', () => {
  it('keeps each item outcome in order, a few at a time, with progress', async () => {
    let running = 0;
    let peak = 0;
    const progress: number[] = [];
    const outcomes = await runBatch(
      [1, 2, 3, 4, 5, 6, 7],
      async (n) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        if (n % 3 === 0) throw new Error(`refused ${n}`);
      },
      { concurrency: 3, onProgress: (done) => progress.push(done) },
    );
    expect(outcomes.map((o) => o.item)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(outcomes.map((o) => o.error)).toEqual([null, null, 'refused 3', null, null, 'refused 6', null]);
    expect(peak).toBe(3);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('marks the items not started once stopped', async () => {
    const abort = new AbortController();
    const outcomes = await runBatch(
      ['a', 'b', 'c'],
      async () => {
        abort.abort();
      },
      { concurrency: 1, signal: abort.signal },
    );
    expect(outcomes.map((o) => o.error)).toEqual([null, 'Cancelled', 'Cancelled']);
  });

  it('does nothing for no items', async () => {
    expect(await runBatch([], async () => {})).toEqual([]);
  });
});
