import { describe, expect, it } from 'vitest';
import { contentLength, CsvRecordCounter, readCsv } from './download';

describe('CsvRecordCounter', () => {
  it('counts records across chunks, not line breaks inside quotes', () => {
    const counter = new CsvRecordCounter();
    for (const chunk of ['id,name\r\n1,"a\r\nb"', '\r\n2,"say ""hi""\n"\r', '\n3,c']) counter.push(chunk);
    expect(counter.records).toBe(3);
    expect(counter.total()).toBe(4);
  });
  it('counts doubled quotes and quoted line breaks in small chunks', () => {
    const counter = new CsvRecordCounter();
    const text = 'id,value\r\n1,"[{""a"":1}]"\r\n2,"two\r\nlines"\r\n3,x';
    for (let i = 0; i < text.length; i += 3) counter.push(text.slice(i, i + 3));
    expect(counter.total()).toBe(4);
  });
  it('a final line break adds no record; blank lines are none', () => {
    const counter = new CsvRecordCounter();
    counter.push('h\r\n\r\na\r\n');
    expect(counter.total()).toBe(2);
  });
});

describe('contentLength', () => {
  it('reads the announced size, or none', () => {
    expect(contentLength(new Headers({ 'Content-Length': '1024' }))).toBe(1024);
    expect(contentLength(new Headers())).toBeNull();
    expect(contentLength(new Headers({ 'Content-Length': '0' }))).toBeNull();
    expect(contentLength(new Headers({ 'Content-Length': 'x' }))).toBeNull();
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
    const { chunks, bytes, records } = await readCsv(stream, 19, (p) => seen.push(p.bytes));
    expect(records).toBe(3);
    expect(bytes).toBe(19);
    expect(seen).toEqual([9, 14, 19]);
    expect(chunks).toHaveLength(3);
  });
});
