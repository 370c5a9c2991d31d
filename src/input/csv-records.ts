/**
 * Records from csv-parse with their true line numbers, whatever mix of CRLF, LF and CR a
 * file has: the parser every CSV read of incent goes through (and the benchmark's bare read).
 */
import { isUtf8 } from 'node:buffer';
import type { TransformCallback } from 'node:stream';
import { Parser, type Options } from 'csv-parse';
import { ByteProblem, firstInvalidUtf8 } from './csv-bytes.js';

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

/** Every line end a file may mix: CRLF first, so a CRLF is one line end, not two. */
const ANY_LINE_END = () => [Buffer.from('\r\n'), Buffer.from('\n'), Buffer.from('\r')];

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

  /** Reading LF line ends until a CR shows up (then every mix: see `_transform`). */
  private lfOnly: boolean;
  /** Check the bytes: valid UTF-8 with no NUL (Buffer chunks) or no NUL (decoded text). */
  private readonly checkBytes: boolean;
  /** Bytes (or characters) already checked. */
  private offset = 0;
  /** The start of a UTF-8 sequence cut by the chunk's end, checked with the next chunk. */
  private carry: Buffer | undefined;
  /** Whether a carriage return was seen: only then can a quoted field hold a CRLF. */
  private sawCR: boolean;
  /**
   * Lines csv-parse counted twice: it counts a CRLF inside a quoted field as two lines
   * (a CRLF that ends a record as one), so every later line number would be one too high.
   */
  private extraLines = 0;

  /**
   * `sawCR`: whether the start of the file holds a carriage return. If it does, every
   * line end (CRLF, LF, CR) ends a record from the start; if not, LF does, and the
   * first chunk that holds a CR switches to every line end before it is parsed (no
   * earlier byte was a CR, so the records are the same as if it had from the start).
   * csv-parse on its own takes the first line's end for the whole file, so a CRLF
   * header glued every LF row onto the field before.
   */
  constructor(
    options: Options,
    private readonly onRecord: RecordHandler,
    lineEnds: { sawCR: boolean; checkBytes?: boolean } = { sawCR: true },
  ) {
    super({ ...options, record_delimiter: lineEnds.sawCR ? ANY_LINE_END() : [Buffer.from('\n')] });
    this.lfOnly = !lineEnds.sawCR;
    this.sawCR = lineEnds.sawCR;
    this.checkBytes = lineEnds.checkBytes ?? true;
    this.commaIsData = options.delimiter !== undefined && options.delimiter !== ',';
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.plain && this.holdsSpecial(chunk)) this.plain = false;
    if (this.lfOnly && (typeof chunk === 'string' ? chunk.includes('\r') : chunk.indexOf(13) >= 0)) this.anyLineEnd();
    if (this.checkBytes) {
      const problem = typeof chunk === 'string' ? this.checkText(chunk) : this.checkUtf8(chunk);
      if (problem) return callback(problem);
    }
    super._transform(chunk, encoding, callback);
  }

  override _flush(callback: TransformCallback): void {
    // The file ends inside a UTF-8 sequence: the offset of its first byte.
    if (this.carry) return callback(new ByteProblem('utf8', this.offset - this.carry.length));
    super._flush(callback);
  }

  private anyLineEnd(): void {
    this.lfOnly = false;
    this.sawCR = true;
    const internal = this as unknown as { options: { record_delimiter: Buffer[] }; state: { recordDelimiterMaxLength: number } };
    internal.options.record_delimiter.splice(0, Infinity, ...ANY_LINE_END());
    internal.state.recordDelimiterMaxLength = 2;
  }

  private checkText(text: string): ByteProblem | undefined {
    const nul = text.indexOf('\0');
    if (nul >= 0) return new ByteProblem('nul', this.offset + nul);
    this.offset += text.length;
    return undefined;
  }

  /** Valid UTF-8 and no NUL, checked a chunk at a time (a sequence cut by the chunk's end waits for the next). */
  private checkUtf8(chunk: Buffer): ByteProblem | undefined {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const base = this.offset - (this.carry?.length ?? 0);
    const nul = buf.indexOf(0);
    if (nul >= 0) return new ByteProblem('nul', base + nul);
    let end = buf.length;
    let i = end - 1;
    while (i >= 0 && end - i <= 3 && (buf[i]! & 0xc0) === 0x80) i--;
    if (i >= 0 && buf[i]! >= 0xc0) {
      const need = buf[i]! >= 0xf0 ? 4 : buf[i]! >= 0xe0 ? 3 : 2;
      if (end - i < need) end = i;
    }
    if (!isUtf8(buf.subarray(0, end))) return new ByteProblem('utf8', base + firstInvalidUtf8(buf.subarray(0, end)));
    this.carry = end < buf.length ? Buffer.from(buf.subarray(end)) : undefined;
    this.offset = base + buf.length;
    return undefined;
  }

  private holdsSpecial(chunk: Buffer | string): boolean {
    if (typeof chunk === 'string') return (this.commaIsData ? /["\r,]/ : /["\r]/).test(chunk);
    return chunk.indexOf(34) >= 0 || chunk.indexOf(13) >= 0 || (this.commaIsData && chunk.indexOf(44) >= 0);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    const record = chunk as string[];
    if (this.sawCR) {
      for (const field of record) {
        for (let i = field.indexOf('\r\n'); i >= 0; i = field.indexOf('\r\n', i + 2)) this.extraLines++;
      }
    }
    this.onRecord(record, this.info.lines - this.extraLines, this.plain);
    return true;
  }
}
