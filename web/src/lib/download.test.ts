import { describe, expect, it } from 'vitest';
import { CsvRecordCounter, readCsv } from './download';

describe('CsvRecordCounter', () => {
  it('counts records across chunks, not line breaks inside quotes', () => {
    const counter = new CsvRecordCounter();
    for (const chunk of ['id,name\r\n1,"a\r\nb"', '\r\n2,"say ""hi""\n"\r', '\n3,c']) counter.push(chunk);
    expect(counter.records).toBe(3);
    expect(counter.total()).toBe(4);
  });
});

describe('readCsv', () => {
  it('reads to the end, reporting bytes against the total', async () => {
    const parts = ['id,name\r\n', '1,x\r\n', '2,y\r\n'].map((s) => new TextEncoder().encode(s));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const seen: number[] = [];
    const { chunks, records } = await readCsv(stream, 19, (p) => seen.push(p.bytes));
    expect(records).toBe(3);
    expect(seen).toEqual([9, 14, 19]);
    expect(chunks).toHaveLength(3);
  });
});
