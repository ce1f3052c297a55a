// Reading a CSV download with progress: bytes received against Content-Length, and records
// counted as they arrive (RFC 4180: a line break inside a quoted field does not end a record).

export class CsvRecordCounter {
  private inQuotes = false;
  private pending = false; // a record has started but not ended
  records = 0;

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; ++i) {
      const c = chunk.charCodeAt(i);
      if (c === 34 /* " */) {
        this.inQuotes = !this.inQuotes; // "" inside quotes toggles twice: net unchanged
        this.pending = true;
      } else if (c === 10 /* \n */ && !this.inQuotes) {
        if (this.pending) this.records += 1; // a blank line is no record
        this.pending = false;
      } else if (c !== 13 /* \r */) {
        this.pending = true;
      }
    }
  }

  // Records seen so far, counting a last record without a final line break.
  total(): number {
    return this.records + (this.pending ? 1 : 0);
  }
}

export interface ReadProgress {
  bytes: number;
  totalBytes: number | null;
  records: number;
}

// The size a response announces (Content-Length), or null when it announces none.
export function contentLength(headers: Headers): number | null {
  const length = Number(headers.get('Content-Length'));
  return Number.isFinite(length) && length > 0 ? length : null;
}

// Reads a body to the end, reporting progress; returns its bytes (and their number) and the
// number of records.
export async function readCsv(
  body: ReadableStream<Uint8Array>,
  totalBytes: number | null,
  onProgress: (progress: ReadProgress) => void,
): Promise<{ chunks: Uint8Array[]; bytes: number; records: number }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const counter = new CsvRecordCounter();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    counter.push(decoder.decode(value, { stream: true }));
    onProgress({ bytes, totalBytes, records: counter.records });
  }
  counter.push(decoder.decode());
  return { chunks, bytes, records: counter.total() };
}

// Offers data to the user as a file download.
export function saveFile(chunks: BlobPart[], type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob(chunks, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the blob once the click is handled; free it soon after.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
