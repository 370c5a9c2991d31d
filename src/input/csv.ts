/**
 * The one CSV adapter: streams a file through csv-parse as arrays (no object per
 * row), hands each record and its line to a callback, and keeps memory flat.
 */
import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
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

export type RecordHandler = (record: string[], line: number) => void;

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
  constructor(
    options: Options,
    private readonly onRecord: (record: string[], line: number) => void,
  ) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.onRecord(chunk as string[], this.info.lines);
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

/**
 * Reads `file`, calling `onHeader` once with the header and `onRecord` for each data
 * record. Records are handled inside csv-parse's on_record hook and never queued.
 * The encoding (UTF-8 or UTF-16) and delimiter (, ; or tab) are sniffed from the file.
 */
export async function readCsv(
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
  const parser = new RecordParser({ ...CSV_OPTIONS, delimiter: format.delimiter }, (record, line) => {
    if (handlerError) return;
    try {
      if (!header) {
        const names = record.map((h) => h.trim());
        header = { file, names, index: new Map(names.map((n, i) => [n, i])), format };
        onHeader(header);
      } else {
        records++;
        onRecord(record, line);
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
