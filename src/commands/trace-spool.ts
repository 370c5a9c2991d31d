/**
 * calc --explain's spool: the rows that wait for their customers' verdicts, in a
 * temporary file, read back once or twice at the end of the run, each as a record that
 * writes its own line (untrimmed, taken whole by a cap, or excluded after all) or gives
 * its event. A CSV trace spools binary records whose lines are copied as bytes
 * (trace-spool-csv.ts); a JSON trace spools JSON lines (here). Out: bytes to a file.
 */
import { close, closeSync, createReadStream, mkdtempSync, openSync, rmSync, write, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal, exactText, ZERO, type ScaledSum } from '../money/index.js';
import { pendingRowEvent, type PendingRow, type TraceEvent } from '../engine/trace.js';
import type { SettledCampaign } from '../engine/verdicts.js';
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
 * A row read back from the spool: what the end of the run decides on (campaign,
 * partner, service, date, slot, the amount's sign), and the writing of its line. One
 * object may be refilled for every row: copy what you keep (held() does).
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
  /** Writes the row's line as it earns or counts, nothing trimmed. */
  untrimmed(): void;
  /** Writes the row's line with a cap taking all of it. */
  gone(): void;
  /** Writes the row's line as its customer's or service's verdict excludes it. */
  excluded(cr: SettledCampaign, x: Exclusion): void;
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
  /** Each spooled row, in the order it was told; `only` skips others before anything is built for them. */
  replay(f: (r: SpoolRecord) => void, only?: (campaign: string, partner: string) => boolean): Promise<void>;
  /** Writes a held row's line (an event held() gave, `heldAt` set) with the trims it was given. */
  writeHeld?(e: Spooled): void;
  /** Gives `to` a campaign's partner's earning rows summed by service and day as they were spooled; false when the spool did not keep them (then replay sums them). */
  sumsOf?(campaign: string, partner: string, to: Summing): boolean;
  /** Whether every campaign and partner with spooled rows is one `known` names (then a replay for the others has nothing to do). */
  coveredBy?(known: (campaign: string, partner: string) => boolean): boolean;
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

/** A JSON trace's spool: each row as a JSON array, its event rebuilt when read back. */
export class JsonSpool implements Spool {
  private readonly dir = spoolDir();
  private readonly path = join(this.dir, 'rows.jsonl');
  private readonly out = new Out(this.path);
  /** Campaign ids and file names, written once and referred to by index. */
  private readonly names: string[] = [];

  /** `emit`: where the trace's events go. */
  constructor(private readonly emit: (e: TraceEvent) => void) {}

  private index(name: string): number {
    let i = this.names.indexOf(name);
    if (i < 0) i = this.names.push(name) - 1;
    return i;
  }

  add(p: PendingRow): void {
    const e = pendingRowEvent(p);
    const fields: unknown[] = [
      this.index(e.campaign),
      e.partner,
      e.service,
      e.customer,
      e.transactionId,
      this.index(e.file ?? ''),
      e.line,
      e.date,
      e.sku,
      e.status,
    ];
    fields.push(e.units ?? null, e.rate?.toString() ?? null, e.fx?.rate.toString() ?? null, e.fx?.source ?? null, exactText(e.amount), e.detail, p.slot);
    this.out.write(JSON.stringify(fields) + '\n');
  }

  async replay(f: (r: SpoolRecord) => void, only?: (campaign: string, partner: string) => boolean): Promise<void> {
    await this.out.close();
    const r = new JsonRecord(this.names, this.emit);
    const line = (text: string) => {
      const j = JSON.parse(text) as JsonFields;
      const campaign = this.names[j[0]]!;
      if (only && !only(campaign, j[1])) return;
      r.fill(j, campaign);
      f(r);
    };
    let rest = '';
    for await (const chunk of createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const parts = (rest + (chunk as string)).split('\n');
      rest = parts.pop()!;
      for (const p of parts) line(p);
    }
    if (rest) line(rest);
  }

  dispose(): void {
    this.out.abandon();
    removeSpoolDir(this.dir);
  }
}

/** A JSON spool's row: campaign, partner, service, customer, id, file, line, date, sku, status, units, rate, fx rate, fx source, amount, detail, slot. */
type JsonFields = [
  number,
  string,
  string,
  string,
  string,
  number,
  number,
  string,
  string,
  TraceEvent['status'],
  number | null,
  string | null,
  string | null,
  string | null,
  string,
  string,
  number,
];

const decimal = (text: string) => (text === '0' ? ZERO : new Decimal(text));

/** The JSON spool's row being read (one object, refilled per row): its event is built only when it is written or held. */
class JsonRecord extends RecordFields implements SpoolRecord {
  private j = [] as unknown as JsonFields;

  constructor(
    private readonly names: readonly string[],
    private readonly emit: (e: TraceEvent) => void,
  ) {
    super();
  }

  fill(j: JsonFields, campaign: string): void {
    this.j = j;
    this.campaign = campaign;
    this.partner = j[1];
    this.service = j[2];
    this.date = j[7];
    this.slot = j[16];
    this.zero = j[14] === '0';
    this.negative = j[14].startsWith('-');
  }

  addTo(sum: ScaledSum): void {
    sum.addString(this.j[14]);
  }

  untrimmed(): void {
    this.emit(this.event());
  }

  gone(): void {
    const e = this.event();
    this.emit({ ...e, trimmed: e.amount.negated(), paid: ZERO });
  }

  excluded(cr: SettledCampaign): void {
    this.emit(cr.settle(this.event(), this.slot));
  }

  held(): TraceEvent {
    return this.event();
  }

  event(): TraceEvent {
    const j = this.j;
    const amount = decimal(j[14]);
    return {
      kind: 'row',
      campaign: this.campaign,
      partner: j[1],
      amount,
      trimmed: ZERO,
      paid: amount,
      transactionId: j[4],
      file: this.names[j[5]] || undefined,
      line: j[6],
      date: j[7],
      customer: j[3],
      sku: j[8],
      service: j[2],
      status: j[9],
      reason: undefined,
      detail: j[15],
      units: j[10] ?? undefined,
      rate: j[11] === null ? undefined : decimal(j[11]),
      fx: j[12] === null ? undefined : { rate: decimal(j[12]), source: j[13]! },
    };
  }
}
