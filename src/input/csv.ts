/**
 * The one CSV adapter: streams a file through csv-parse as arrays (no object per
 * row), hands each record and its line to a callback, and keeps memory flat.
 */
import { TextDecoder } from 'node:util';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import { sniffFile, type Sniffed } from './sniff.js';
import { ByteProblem, byteDiagnostic } from './csv-bytes.js';
import { CSV_OPTIONS, RecordParser, type RecordHandler } from './csv-records.js';

export interface CsvHeader {
  file: string;
  names: string[];
  /** Column index by trimmed name in lower case: incent's names match whatever their case (`Amount` is `amount`; two names that differ only in case are refused). */
  index: Map<string, number>;
  /** How the file was read. */
  format: Sniffed;
}

/** How to read every CSV of a run: `--encoding` (default: UTF-8, or UTF-16 with its BOM). */
export interface CsvSettings {
  /** A WHATWG encoding label such as windows-1252, latin1, utf-16le; absent or utf-8: sniffed. */
  encoding?: string;
}

/** What a read skipped that was not data: a PowerShell `#TYPE` line, header lines repeated mid-file. */
export interface ReadStats {
  records: number;
  /** Lines before the header that an export tool wrote (`#TYPE ...`). */
  preamble: number;
  /** Lines equal to the header after it (files concatenated with their headers). */
  repeatedHeaders: number;
  /** Lines of empty cells alone (`,,,,`: a spreadsheet saving rows it had formatted below the data). */
  blank: number;
}

/** The encoding labels --encoding accepts are TextDecoder's; a wrong one is a usage error. */
export function checkEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

export class CsvReadError extends Error {
  /** Every problem found (a file with ragged rows lists each); `diagnostic` is the first. */
  readonly diagnostics: Diagnostic[];
  constructor(
    readonly diagnostic: Diagnostic,
    more: readonly Diagnostic[] = [],
  ) {
    super(`${diagnostic.file}:${diagnostic.line ?? 0}: ${diagnostic.message}`);
    this.diagnostics = [diagnostic, ...more];
  }
}

/** The text decoder of a read that is not UTF-8 bytes handed to csv-parse as they are. */
function textDecoderFor(format: Sniffed, settings: CsvSettings): TextDecoder | undefined {
  const label = settings.encoding ? checkEncoding(settings.encoding) : undefined;
  if (label && label !== 'utf-8') return new TextDecoder(label);
  if (format.encoding === 'utf16le') return new TextDecoder('utf-16le');
  if (format.encoding === 'utf16be') return new TextDecoder('utf-16be');
  return undefined;
}

/** Decodes another encoding into text for csv-parse, chunk by chunk (a BOM is dropped). */
function textDecoderStream(decoder: TextDecoder): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

/** Files at least this large are parsed on a second thread (INCENT_READ_THREAD=0: never; =1: every file, which the tests use). */
export const THREAD_MIN_BYTES = 16 * 1024 * 1024;
const THREAD_SCRIPT = fileURLToPath(new URL('./csv-thread.js', import.meta.url));

/**
 * Reads `file`, calling `onHeader` once with the header and `onRecord` for each data
 * record with its line. The encoding (UTF-8 or UTF-16, or `settings.encoding`) and
 * delimiter (, ; or tab) are sniffed from the file. A large file is parsed by csv-parse
 * on a second thread while this one runs the handlers (csv-thread.ts); records and
 * lines are the same either way.
 */
export async function readCsv(
  file: string,
  onHeader: (h: CsvHeader) => void,
  onRecord: RecordHandler,
  onBytes?: (bytes: number) => void,
  settings: CsvSettings = {},
): Promise<ReadStats> {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readCsvHere reports it
  }
  const asked = process.env.INCENT_READ_THREAD;
  const threaded = (asked === '1' || (size >= THREAD_MIN_BYTES && asked !== '0')) && existsSync(THREAD_SCRIPT);
  return threaded ? readCsvThreaded(file, onHeader, onRecord, onBytes, settings) : readCsvHere(file, onHeader, onRecord, onBytes, settings);
}

/** readCsv with csv-parse on a worker thread, records arriving in batches. */
function readCsvThreaded(
  file: string,
  onHeader: (h: CsvHeader) => void,
  onRecord: RecordHandler,
  onBytes: ((bytes: number) => void) | undefined,
  settings: CsvSettings,
): Promise<ReadStats> {
  const control = new SharedArrayBuffer(4);
  const inFlight = new Int32Array(control);
  const worker = new Worker(THREAD_SCRIPT, { workerData: { file, control, settings } });
  type Message =
    | { kind: 'header'; names: string[]; format: Sniffed }
    | { kind: 'batch'; records: string[][]; lines: number[]; plain: boolean; bytes: number }
    | { kind: 'end'; stats: ReadStats }
    | { kind: 'error'; diagnostics?: Diagnostic[]; message?: string };
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
          onHeader({ file, names: m.names, index: columnIndex(m.names), format: m.format });
        } else if (m.kind === 'end') {
          done = true;
          void worker.terminate();
          resolve(m.stats);
        } else {
          fail(m.diagnostics?.length ? new CsvReadError(m.diagnostics[0]!, m.diagnostics.slice(1)) : new Error(m.message));
        }
      } catch (e) {
        fail(e);
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the CSV reading thread stopped (exit code ${code})`)));
  });
}

/** At most this many rows with the wrong number of fields are listed; the rest are counted. */
const RAGGED_LISTED = 50;

/** readCsv on this thread. */
export async function readCsvHere(
  file: string,
  onHeader: (h: CsvHeader) => void,
  onRecord: RecordHandler,
  onBytes?: (bytes: number) => void,
  settings: CsvSettings = {},
): Promise<ReadStats> {
  let header: CsvHeader | undefined;
  let headerKey = '';
  const stats: ReadStats = { records: 0, preamble: 0, repeatedHeaders: 0, blank: 0 };
  const ragged: Diagnostic[] = [];
  let raggedCount = 0;
  let handlerError: unknown;
  let format: Sniffed;
  try {
    if (!statSync(file).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    format = sniffFile(file, settings.encoding);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CsvReadError({
      code: 'FILE_UNREADABLE',
      severity: 'error',
      file,
      message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a CSV file' : (e as Error).message,
    });
  }
  const decoder = textDecoderFor(format, settings);
  const parser = new RecordParser(
    { ...CSV_OPTIONS, delimiter: format.delimiter },
    (record, line, plain) => {
      if (handlerError) return;
      try {
        if (!header) {
          if (stats.preamble < format.preamble) {
            stats.preamble++;
            return;
          }
          const names = record.map((h) => h.trim());
          checkHeaderNames(file, line, names);
          header = { file, names, index: columnIndex(names), format };
          headerKey = names.join('\u0000');
          onHeader(header);
          return;
        }
        // A line of empty cells alone, however many (a spreadsheet writes them below the data): no data to read or lose.
        if (record[0] === '' && record.every((v) => v.trim() === '')) {
          stats.blank++;
          return;
        }
        if (record.length !== header.names.length) {
          raggedCount++;
          if (ragged.length < RAGGED_LISTED) {
            ragged.push({
              code: 'CSV_FIELD_COUNT',
              severity: 'error',
              file,
              line,
              message: `expected ${header.names.length} fields, found ${record.length}`,
              expected: `${header.names.length} fields, as the header has`,
              found: `${record.length} fields`,
            });
          }
          return;
        }
        // A header line repeated mid-file (exports concatenated with their headers) is not data.
        if (record[0]!.trim() === header.names[0] && record.map((h) => h.trim()).join('\u0000') === headerKey) {
          stats.repeatedHeaders++;
          return;
        }
        stats.records++;
        if (raggedCount === 0) onRecord(record, line, plain);
      } catch (e) {
        handlerError = e;
      }
    },
    { sawCR: format.sawCR },
  );
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) input.on('data', (chunk) => onBytes(chunk.length));
  await new Promise<void>((resolve, reject) => {
    input.on('error', (e: NodeJS.ErrnoException) =>
      reject(new CsvReadError({ code: 'FILE_UNREADABLE', severity: 'error', file, message: e.code === 'ENOENT' ? 'no such file' : e.message })),
    );
    parser.on('error', (e: Error & { lines?: number; code?: string }) => {
      if (e instanceof ByteProblem) return reject(new CsvReadError(byteDiagnostic(e, file, format, header?.names, decoder, settings.encoding)));
      reject(
        new CsvReadError({
          code: 'CSV_SYNTAX',
          severity: 'error',
          file,
          line: e.lines,
          message: `not valid CSV: ${e.message}`,
          expected: 'RFC 4180 CSV',
        }),
      );
    });
    parser.on('end', () => resolve());
    parser.resume();
    if (!decoder) input.pipe(parser);
    else input.pipe(textDecoderStream(decoder)).pipe(parser);
  });
  if (handlerError) throw handlerError;
  if (raggedCount) {
    const more: Diagnostic[] =
      raggedCount > ragged.length
        ? [{ code: 'MORE_PROBLEMS', severity: 'error', file, message: `... and ${raggedCount - ragged.length} more rows with the wrong number of fields` }]
        : [];
    throw new CsvReadError(ragged[0]!, [...ragged.slice(1), ...more]);
  }
  if (!header) {
    throw new CsvReadError({ code: 'CSV_EMPTY', severity: 'error', file, line: 1, message: 'the file is empty: expected a header row' });
  }
  return stats;
}

/** Each column's index by its trimmed name in lower case (CsvHeader.index). */
export function columnIndex(names: readonly string[]): Map<string, number> {
  return new Map(names.map((n, i) => [n.trim().toLowerCase(), i]));
}

/** Two columns of one name (letter case aside): which one would a reader take? Neither. */
function checkHeaderNames(file: string, line: number, names: readonly string[]): void {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (n === '') return;
    const k = n.toLowerCase();
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, i);
      return;
    }
    throw new CsvReadError({
      code: 'DUPLICATE_COLUMN',
      severity: 'error',
      file,
      line,
      field: n,
      message: `the header names ${n} twice: column ${first + 1} ("${names[first]}") and column ${i + 1} ("${n}")`,
      expected: 'each column name once',
      found: `${names[first]} (column ${first + 1}), ${n} (column ${i + 1})`,
    });
  });
}

/** Reads a small CSV (partners, registrations, fx...) into header + records with lines. */
export async function readSmallCsv(file: string, settings: CsvSettings = {}): Promise<{ header: CsvHeader; rows: { record: string[]; line: number }[] }> {
  let header: CsvHeader | undefined;
  const rows: { record: string[]; line: number }[] = [];
  await readCsv(
    file,
    (h) => (header = h),
    (record, line) => rows.push({ record, line }),
    undefined,
    settings,
  );
  return { header: header!, rows };
}
