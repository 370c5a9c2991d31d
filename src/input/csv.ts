/**
 * The one CSV adapter: streams a file through csv-parse as arrays (no object per
 * row), hands each record and its line to a callback, and keeps memory flat.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Parser, type Options } from 'csv-parse';
import type { Diagnostic } from '../diagnostics.js';
import { sniffFile, type Sniffed } from './sniff.js';

export interface CsvHeader {
  file: string;
  names: string[];
  /** Column index by trimmed name. */
  index: Map<string, number>;
  /** How the file was read. */
  format: Sniffed;
}

/**
 * A data record, its line, and whether every field read so far is plain text: no input
 * up to this record held a quote or a carriage return, so no field holds a delimiter,
 * quote or line break (a trace can write them back without quoting).
 */
export type RecordHandler = (record: string[], line: number, plain: boolean) => void;

/** Options incent uses for every CSV: the benchmark's bare read uses the same. */
export const CSV_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
};

/**
 * csv-parse's stream parser, handing each record to a callback the moment it is
 * parsed, with its line (`info.lines`). Records never queue in the stream, and no
 * per-record context object is built (csv-parse's on_record builds one per record,
 * about 1.5 s per million rows). The benchmark's bare read uses this class too.
 */
export class RecordParser extends Parser {
  /** No input so far held a quote or a carriage return, or a comma when commas are not the delimiter (see RecordHandler). */
  private plain = true;
  /** A comma is data here (a ; or tab file): it too ends plain. */
  private readonly commaIsData: boolean;

  constructor(
    options: Options,
    private readonly onRecord: RecordHandler,
  ) {
    super(options);
    this.commaIsData = options.delimiter !== undefined && options.delimiter !== ',';
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.plain && this.holdsSpecial(chunk)) this.plain = false;
    super._transform(chunk, encoding, callback);
  }

  private holdsSpecial(chunk: Buffer | string): boolean {
    if (typeof chunk === 'string') return (this.commaIsData ? /["\r,]/ : /["\r]/).test(chunk);
    return chunk.indexOf(34) >= 0 || chunk.indexOf(13) >= 0 || (this.commaIsData && chunk.indexOf(44) >= 0);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.onRecord(chunk as string[], this.info.lines, this.plain);
    return true;
  }
}

export class CsvReadError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.file}:${diagnostic.line ?? 0}: ${diagnostic.message}`);
  }
}

/** Decodes UTF-16 (LE or BE, BOM dropped) into text for csv-parse, chunk by chunk. */
function utf16Decoder(encoding: 'utf16le' | 'utf16be'): Transform {
  const decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

/** Files at least this large are parsed on a second thread (INCENT_READ_THREAD=0: never). */
export const THREAD_MIN_BYTES = 16 * 1024 * 1024;
const THREAD_SCRIPT = fileURLToPath(new URL('./csv-thread.js', import.meta.url));

/**
 * Reads `file`, calling `onHeader` once with the header and `onRecord` for each data
 * record with its line. The encoding (UTF-8 or UTF-16) and delimiter (, ; or tab) are
 * sniffed from the file. A large file is parsed by csv-parse on a second thread while
 * this one runs the handlers (csv-thread.ts); records and lines are the same either way.
 */
export async function readCsv(
  file: string,
  onHeader: (h: CsvHeader) => void,
  onRecord: RecordHandler,
  onBytes?: (bytes: number) => void,
): Promise<{ records: number }> {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readCsvHere reports it
  }
  const threaded = size >= THREAD_MIN_BYTES && process.env.INCENT_READ_THREAD !== '0' && existsSync(THREAD_SCRIPT);
  return threaded ? readCsvThreaded(file, onHeader, onRecord, onBytes) : readCsvHere(file, onHeader, onRecord, onBytes);
}

/** readCsv with csv-parse on a worker thread, records arriving in batches. */
function readCsvThreaded(file: string, onHeader: (h: CsvHeader) => void, onRecord: RecordHandler, onBytes?: (bytes: number) => void): Promise<{ records: number }> {
  const control = new SharedArrayBuffer(4);
  const inFlight = new Int32Array(control);
  const worker = new Worker(THREAD_SCRIPT, { workerData: { file, control } });
  type Message =
    | { kind: 'header'; names: string[]; format: Sniffed }
    | { kind: 'batch'; records: string[][]; lines: number[]; plain: boolean; bytes: number }
    | { kind: 'end'; records: number }
    | { kind: 'error'; diagnostic?: Diagnostic; message?: string };
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (e: unknown) => {
      if (done) return;
      done = true;
      void worker.terminate();
      reject(e);
    };
    worker.on('message', (m: Message) => {
      if (done) return;
      try {
        if (m.kind === 'batch') {
          if (onBytes && m.bytes) onBytes(m.bytes);
          const { records, lines, plain } = m;
          for (let i = 0; i < records.length; i++) onRecord(records[i]!, lines[i]!, plain);
          Atomics.sub(inFlight, 0, 1);
          Atomics.notify(inFlight, 0);
        } else if (m.kind === 'header') {
          onHeader({ file, names: m.names, index: new Map(m.names.map((n, i) => [n, i])), format: m.format });
        } else if (m.kind === 'end') {
          done = true;
          void worker.terminate();
          resolve({ records: m.records });
        } else {
          fail(m.diagnostic ? new CsvReadError(m.diagnostic) : new Error(m.message));
        }
      } catch (e) {
        fail(e);
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the CSV reading thread stopped (exit code ${code})`)));
  });
}

/** readCsv on this thread. */
export async function readCsvHere(
  file: string,
  onHeader: (h: CsvHeader) => void,
  onRecord: RecordHandler,
  onBytes?: (bytes: number) => void,
): Promise<{ records: number }> {
  let header: CsvHeader | undefined;
  let records = 0;
  let handlerError: unknown;
  let format: Sniffed;
  try {
    if (!statSync(file).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    format = sniffFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CsvReadError({ code: 'FILE_UNREADABLE', severity: 'error', file, message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a CSV file' : (e as Error).message });
  }
  const parser = new RecordParser({ ...CSV_OPTIONS, delimiter: format.delimiter }, (record, line, plain) => {
    if (handlerError) return;
    try {
      if (!header) {
        const names = record.map((h) => h.trim());
        header = { file, names, index: new Map(names.map((n, i) => [n, i])), format };
        onHeader(header);
      } else {
        records++;
        onRecord(record, line, plain);
      }
    } catch (e) {
      handlerError = e;
    }
  });
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) input.on('data', (chunk) => onBytes(chunk.length));
  await new Promise<void>((resolve, reject) => {
    input.on('error', (e: NodeJS.ErrnoException) =>
      reject(new CsvReadError({ code: 'FILE_UNREADABLE', severity: 'error', file, message: e.code === 'ENOENT' ? 'no such file' : e.message })),
    );
    parser.on('error', (e: Error & { lines?: number; code?: string }) =>
      reject(
        new CsvReadError({
          code: 'CSV_SYNTAX',
          severity: 'error',
          file,
          line: e.lines,
          message: `not valid CSV: ${e.message}`,
          expected: 'RFC 4180 CSV',
        }),
      ),
    );
    parser.on('end', () => resolve());
    parser.resume();
    if (format.encoding === 'utf8') input.pipe(parser);
    else input.pipe(utf16Decoder(format.encoding)).pipe(parser);
  });
  if (handlerError) throw handlerError;
  if (!header) {
    throw new CsvReadError({ code: 'CSV_EMPTY', severity: 'error', file, line: 1, message: 'the file is empty: expected a header row' });
  }
  return { records };
}

/** Reads a small CSV (partners, registrations, fx...) into header + records with lines. */
export async function readSmallCsv(file: string): Promise<{ header: CsvHeader; rows: { record: string[]; line: number }[] }> {
  let header: CsvHeader | undefined;
  const rows: { record: string[]; line: number }[] = [];
  await readCsv(
    file,
    (h) => (header = h),
    (record, line) => rows.push({ record, line }),
  );
  return { header: header!, rows };
}
