/**
 * calc --explain's spool: the rows that wait for their customers' verdicts, in a
 * temporary file, read back once or twice at the end of the run, each as a record that
 * writes its own line (untrimmed, taken whole by a cap, or excluded after all) or gives
 * its event. Both formats spool binary records whose lines are copied as bytes
 * (trace-spool-bytes.ts). Out: bytes to a file.
 */
import { close, closeSync, mkdtempSync, openSync, rmSync, write, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScaledSum } from '../money/index.js';
import type { PendingRow, TraceEvent } from '../engine/trace.js';
import { trackTemp, untrackTemp } from '../temp-files.js';
import type { Summing } from './trace-day-sums.js';
import { copyInto } from '../bytes.js';

const SIZE = 1 << 20;
/** Buffers being written in the background at most; past them a flush writes on the thread itself (memory stays bounded when the disk is slower than the run). */
const IN_FLIGHT = 2;

/** Writes `b[0, n)` at `at` in the file, on this thread. */
function writeAllSync(fd: number, b: Buffer, n: number, at: number): void {
  let done = 0;
  while (done < n) done += writeSync(fd, b, done, n - done, at + done);
}

/**
 * Bytes to a new file through 1 MiB buffers: text as UTF-8, and byte ranges of other
 * buffers. A full buffer is written in the background (at its place in the file, so
 * writes may end in any order) while the run fills the next; close() waits for them.
 */
export class Out {
  private readonly fd: number;
  /** The buffer and how much of it is filled (a spool writes records into it directly; it changes at each flush). */
  buf: Buffer<ArrayBuffer> = Buffer.alloc(SIZE);
  pos = 0;
  /** Where `buf` starts in the file. */
  private at = 0;
  private inFlight = 0;
  private readonly spare: Buffer<ArrayBuffer>[] = [];
  /** The first background write's error: thrown by the next flush or close. */
  private failure: Error | undefined;
  /** Called when the last write in flight ends. */
  private whenIdle: (() => void)[] = [];
  private closed = false;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Room for `n` more bytes at `pos`: what is buffered is written first when it would not fit. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.alloc(n);
  }

  write(s: string): void {
    this.reserve(s.length * 3);
    this.pos += this.buf.write(s, this.pos);
  }

  /** The bytes `src[start, end)`. */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    this.pos = copyInto(this.buf, this.pos, src, start, end);
  }

  private flush(): void {
    if (this.failure) throw this.failure;
    const b = this.buf;
    const n = this.pos;
    const at = this.at;
    if (n === 0) return;
    this.at += n;
    this.pos = 0;
    if (b.length !== SIZE) {
      // A buffer grown for one large write: written here, then the run goes back to buffers it can hand to the background.
      writeAllSync(this.fd, b, n, at);
      this.buf = this.spare.pop() ?? Buffer.alloc(SIZE);
      return;
    }
    if (this.inFlight >= IN_FLIGHT) return writeAllSync(this.fd, b, n, at);
    this.inFlight++;
    this.buf = this.spare.pop() ?? Buffer.alloc(SIZE);
    const ended = (e: Error | null) => {
      this.failure ??= e ?? undefined;
      this.spare.push(b);
      if (--this.inFlight === 0) for (const f of this.whenIdle.splice(0)) f();
    };
    const step = (done: number) =>
      write(this.fd, b, done, n - done, at + done, (e, written) => {
        if (e) ended(e);
        else if (done + written < n) step(done + written);
        else ended(null);
      });
    step(0);
  }

  /** Resolves when no write is in flight. */
  private idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.whenIdle.push(resolve));
  }

  /** Writes what is left, waits for every write, and closes the file; rejects with the first write's error. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    await this.idle();
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    if (this.failure) throw this.failure;
  }

  /** Gives up: closes the file without writing what is left (once the writes in flight end: the descriptor is not let go under them). */
  abandon(): void {
    this.pos = 0;
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight === 0) closeSync(this.fd);
    else this.whenIdle.push(() => close(this.fd, () => undefined));
  }
}

/** A spooled row's event; in a CSV trace, kept as bytes by the spool (`heldAt`) while it waits. */
export interface Spooled extends TraceEvent {
  /** Where the spool keeps the row's bytes: its line is the spool's to write (Spool.writeHeld). */
  heldAt?: number;
}

/** What settles a spooled row that its customer's or service's verdict excludes. */
export interface Exclusion {
  reason: string;
  detail: string;
}

/**
 * What a spooled row's line says, as the end of the run decides it: as it earns or
 * counts, nothing trimmed (`untrimmed`); with a cap taking all of it (`gone`); excluded
 * by its customer's or service's verdict (an Exclusion); or no line here (undefined: the
 * row is only summed, or held for its day's trims).
 */
export type LineFate = 'untrimmed' | 'gone' | Exclusion | undefined;

/**
 * A row read back from the spool: what the end of the run decides on (campaign,
 * partner, service, date, slot, the amount's sign). Its line is written by the spool,
 * as the LineFate it is given says. One object may be refilled for every row: copy
 * what you keep (held() does).
 */
export interface SpoolRecord {
  readonly campaign: string;
  readonly partner: string;
  readonly service: string;
  readonly date: string;
  readonly slot: number;
  readonly zero: boolean;
  readonly negative: boolean;
  /** Adds the row's amount, exactly, to `sum`. */
  addTo(sum: ScaledSum): void;
  /**
   * The row's event, to wait with the rows of its day (a day a cap cuts partway): its own
   * copy, with the amount, id and date the cap's order and trims read. A CSV spool keeps
   * the row's bytes and writes its line (writeHeld) with the trims the event is given.
   */
  held(): Spooled;
}

/** What a spooled record's reader refills per row (the fields of SpoolRecord that the end of the run decides on). */
export abstract class RecordFields {
  campaign = '';
  partner = '';
  service = '';
  date = '';
  slot = 0;
  zero = false;
  negative = false;
}

/** Rows whose stories wait for the whole file. */
export interface Spool {
  add(p: PendingRow): void;
  /**
   * Each spooled row, in the order it was told, to `decide`, whose answer says the row's
   * line (written in the same order); `only` skips others before anything is built for them.
   */
  replay(decide: (r: SpoolRecord) => LineFate, only?: (campaign: string, partner: string) => boolean): Promise<void>;
  /** Writes a held row's line (an event held() gave, `heldAt` set) with the trims it was given. */
  writeHeld(e: Spooled): void;
  /** Gives `to` a campaign's partner's earning rows summed by service and day as they were spooled; false when the spool did not keep them (then replay sums them). */
  sumsOf(campaign: string, partner: string, to: Summing): boolean;
  /** Whether every campaign and partner with spooled rows is one `known` names (then a replay for the others has nothing to do). */
  coveredBy(known: (campaign: string, partner: string) => boolean): boolean;
  /** Removes the temporary file. */
  dispose(): void;
}

/** The temporary folder a spool keeps its file in, tracked for removal on a signal. */
export function spoolDir(): string {
  return trackTemp(mkdtempSync(join(tmpdir(), 'incent-trace-')));
}

export function removeSpoolDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  untrackTemp(dir);
}
