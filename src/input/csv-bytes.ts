/**
 * The bytes of a CSV that cannot be text: invalid UTF-8 or a NUL, found by RecordParser
 * a chunk at a time, then located (line, column, byte offset) and told as a diagnostic
 * with the encoding the file likely has. Only the error path reads the file again.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { parse as parseSync } from 'csv-parse/sync';
import type { Diagnostic } from '../diagnostics.js';
import type { Sniffed } from './sniff.js';

/** A byte that cannot be text: invalid UTF-8, or a NUL. Located and reported by readCsvHere. */
export class ByteProblem extends Error {
  constructor(
    readonly kind: 'utf8' | 'nul',
    /** Byte offset in the file (UTF-8 files), or character offset in the decoded text. */
    readonly offset: number,
  ) {
    super(kind === 'utf8' ? `not valid UTF-8 at byte ${offset}` : `a NUL character at offset ${offset}`);
  }
}

/** The offset of the first byte that breaks UTF-8 (the buffer is known to hold one). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > buf.length || !isUtf8(buf.subarray(i, i + n))) return i;
    i += n;
  }
  return i;
}

/**
 * Where an offset is: its line (every CRLF, LF or CR ends one, as the parser counts
 * them) and its field (delimiters outside quotes since the line began). Only on the
 * error path: reads the file up to the offset, decoded as it was read.
 */
function locateOffset(file: string, offset: number, delimiter: string, decoder: TextDecoder | undefined): { line: number; field: number } {
  const fd = openSync(file, 'r');
  let line = 1;
  let field = 0;
  let quoted = false;
  let prevCR = false;
  const d = delimiter.charCodeAt(0);
  const step = (c: number) => {
    if (c === 34) quoted = !quoted;
    else if (c === 10) {
      if (!prevCR) line++;
      if (!quoted) field = 0;
    } else if (c === 13) {
      line++;
      if (!quoted) field = 0;
    } else if (c === d && !quoted) field++;
    prevCR = c === 13;
  };
  try {
    const buf = Buffer.alloc(1 << 20);
    let done = 0;
    for (let pos = 0; done < offset;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      if (decoder) {
        const text = decoder.decode(buf.subarray(0, n), { stream: true });
        for (let i = 0; i < text.length && done < offset; i++, done++) step(text.charCodeAt(i));
      } else {
        for (let i = 0; i < n && done < offset; i++, done++) step(buf[i]!);
      }
    }
    return { line, field };
  } finally {
    closeSync(fd);
  }
}

/** A name for the encoding a non-UTF-8 file most likely has, for the message. */
function likelyEncoding(file: string, offset: number): string {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    // 0x80-0x9F are printable in windows-1252 (euro, curly quotes), controls in latin1.
    return b[0]! >= 0x80 && b[0]! < 0xa0 ? 'windows-1252' : 'windows-1252 (or latin1)';
  } finally {
    closeSync(fd);
  }
}

/** An invalid byte as a diagnostic: file, line, column and offset, and the encoding it likely is. */
export function byteDiagnostic(
  e: ByteProblem,
  file: string,
  format: Sniffed,
  headerNamesRead: readonly string[] | undefined,
  decoder: TextDecoder | undefined,
  encodingFlag: string | undefined,
): Diagnostic {
  const at = locateOffset(file, e.offset, format.delimiter, decoder && decoder.encoding !== 'utf-8' ? new TextDecoder(decoder.encoding) : undefined);
  const names = headerNamesRead ?? headerNames(format);
  const field = names[at.field] ?? `field ${at.field + 1}`;
  if (e.kind === 'nul') {
    return {
      code: 'CSV_NUL',
      severity: 'error',
      file,
      line: at.line,
      field,
      message: `a NUL character (offset ${e.offset}): a CSV cell holds text, and this one cannot be read exactly`,
      expected: 'text without NUL characters (is this a binary file, or UTF-16 saved without a BOM? try --encoding utf-16le)',
      found: 'NUL (0x00)',
    };
  }
  const guess = likelyEncoding(file, e.offset);
  return {
    code: 'CSV_ENCODING',
    severity: 'error',
    file,
    line: at.line,
    field,
    message: `not valid UTF-8 at byte ${e.offset}${encodingFlag ? '' : `; the file is likely ${guess}: read it with --encoding windows-1252`}`,
    expected: encodingFlag ? `text in ${encodingFlag}` : 'UTF-8 text, or --encoding NAME for another encoding',
    found: 'bytes that are not UTF-8',
  };
}

/** The header's names from the sniffed header line (before the parser reached it). */
function headerNames(format: Sniffed): string[] {
  try {
    return ((parseSync(format.headerLine, { delimiter: format.delimiter, relax_column_count: true, relax_quotes: true }) as string[][])[0] ?? []).map((n) =>
      n.trim(),
    );
  } catch {
    return [];
  }
}
