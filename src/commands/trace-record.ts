/**
 * A CSV trace's spooled record: its layout, and the record as read back, which writes
 * its own line by copying its bytes (and its campaign's, partner's, service's, file's and
 * date's cells, kept once by the spool) beside its verdict's.
 */
import { Decimal, ZERO, type ScaledSum } from '../money/index.js';
import type { SettledCampaign } from '../engine/verdicts.js';
import { open } from 'node:fs/promises';
import { csvCell } from '../csv-cells.js';
import { pendingHead } from '../report/trace.js';
import { copyInto, putCell, putText, RecordFields, type Exclusion, type Out, type SpoolRecord, type Spooled } from './trace-spool.js';

/**
 * A record: 20 int32 of header, then the bytes of its texts (amount, the customer, id
 * and sku cells, the raw id when its cell differs, the earning's tail and detail cells
 * unless shared), padded to 8 bytes so that every header is read through aligned views.
 */
export const HEADER = 80;
export const H = {
  Length: 0,
  Campaign: 1,
  Partner: 2,
  Service: 3,
  Date: 4,
  Slot: 5,
  /** The shared earning's number, or -1 when tail and detail are the record's own. */
  Shared: 6,
  Status: 7,
  /* int32 8-9 are float64 4: the amount in micro-units, NaN when they cannot hold it. */
  File: 10,
  Line: 11,
  /** The byte lengths of the texts, in order. */
  Lengths: 12,
} as const;
export const MICROS = 4;
/** The texts of a record, in order. */
export const T = { Amount: 0, Customer: 1, Id: 2, Sku: 3, RawId: 4, Tail: 5, Detail: 6 } as const;
export const TEXTS = 7;
export const STATUSES = ['earned', 'counted'] as const;

/** The spool's numbered strings: a record holds numbers, and its shared earnings' cells by number. */
export interface SpoolNames {
  readonly campaigns: readonly string[];
  readonly partners: readonly string[];
  readonly services: readonly string[];
  readonly dates: readonly string[];
  readonly files: readonly string[];
  readonly sharedCells: readonly { tail: string; detail: string }[];
}

/**
 * What a record reads from its spool: the numbered strings, their cells as bytes (made
 * once each), and where its line goes. The spool itself, or a copy of its names on the
 * thread that writes lines ahead.
 */
export class SpoolCells {
  constructor(
    readonly trace: Out,
    readonly names: SpoolNames,
  ) {}

  /** The quoted first cells (campaign_id, partner_id, kind) of a campaign's and partner's rows, as bytes: by campaign, then partner. */
  private readonly heads: Buffer[][] = [];
  headOf(campaign: number, partner: number): Buffer {
    const byPartner = (this.heads[campaign] ??= []);
    return (byPartner[partner] ??= bytes(pendingHead(this.names.campaigns[campaign]!, this.names.partners[partner]!)));
  }

  /** The quoted cells of services, files and dates by number, as bytes, with their commas (",service,", "file,", "date,"). */
  private readonly serviceCells: Buffer[] = [];
  private readonly fileCells: Buffer[] = [];
  private readonly dateCells: Buffer[] = [];
  serviceCell(i: number): Buffer {
    return (this.serviceCells[i] ??= bytes(`,${csvCell(this.names.services[i]!)},`));
  }
  fileCell(i: number): Buffer {
    return (this.fileCells[i] ??= bytes(`${csvCell(this.names.files[i]!)},`));
  }
  dateCell(i: number): Buffer {
    return (this.dateCells[i] ??= bytes(`${this.names.dates[i]!},`));
  }

  /** A shared earning's tail and detail cells, as bytes. */
  private readonly sharedBytes: { tail: Buffer; detail: Buffer }[] = [];
  sharedOf(ref: number): { tail: Buffer; detail: Buffer } {
    let b = this.sharedBytes[ref];
    if (!b) {
      const cells = this.names.sharedCells[ref]!;
      this.sharedBytes[ref] = b = { tail: bytes(cells.tail), detail: bytes(cells.detail) };
    }
    return b;
  }

  /** Keeps a copy of a record's bytes (a held row's) and says where: the spool's to do. */
  keep(_src: Buffer, _start: number, _length: number): number {
    throw new Error('only the spool keeps held rows');
  }
}

/** Aligned views of a buffer's records. */
export interface RecordViews {
  buf: Buffer;
  i32: Int32Array;
  f64: Float64Array;
}

function views(buf: Buffer): RecordViews {
  return { buf, i32: new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2), f64: new Float64Array(buf.buffer, buf.byteOffset, buf.length >> 3) };
}

/**
 * Reads a spool file's records in 4 MiB chunks: `chunk` is told how many whole records
 * the buffer holds from `at` (it may prepare for them, e.g. read their lines ahead),
 * then `visit` is called for each, in order.
 */
export async function readRecords(
  path: string,
  visit: (v: RecordViews, at: number) => void,
  chunk?: (v: RecordViews, at: number, count: number) => Promise<void>,
): Promise<void> {
  const file = await open(path, 'r');
  try {
    let v = views(Buffer.alloc(4 << 20));
    let have = 0;
    for (;;) {
      const { bytesRead } = await file.read(v.buf, have, v.buf.length - have, null);
      have += bytesRead;
      let end = 0;
      let count = 0;
      while (end + HEADER <= have && end + v.i32[(end >> 2) + H.Length]! <= have) {
        end += v.i32[(end >> 2) + H.Length]!;
        count++;
      }
      if (chunk && count > 0) await chunk(v, 0, count);
      for (let at = 0; at < end; at += v.i32[(at >> 2) + H.Length]!) visit(v, at);
      if (bytesRead === 0) {
        if (end !== have) throw new Error(`the trace spool ends inside a record (${have - end} bytes left)`);
        return;
      }
      v.buf.copyWithin(0, end, have);
      have -= end;
      // A record longer than the buffer (a very long cell): a buffer that holds it.
      if (have >= HEADER && v.i32[H.Length]! > v.buf.length) {
        const bigger = Buffer.alloc(v.i32[H.Length]! * 2);
        v.buf.copy(bigger, 0, 0, have);
        v = views(bigger);
      }
    }
  } finally {
    await file.close();
  }
}

export const bytes = (s: string) => Buffer.from(s, 'utf8');
const STATUS_BYTES = STATUSES.map((s) => bytes(`${s},`));
const EXCLUDED = bytes('excluded,');
const EXCLUDED_MONEY = bytes(',,,,0,0,0,');
const NEWLINE = bytes('\n');
const COMMA_BYTE = 44;
const MINUS_BYTE = 45;
const ZERO_BYTE = 48;
const NEWLINE_BYTE = 10;

function put(out: Out, b: Buffer): void {
  out.copy(b, 0, b.length);
}

/** The record being read (one object, refilled per row): its header's values and where its bytes are. */
export class CsvRecord extends RecordFields implements SpoolRecord {
  private buf: Buffer = Buffer.alloc(0);
  private micros = NaN;
  private campaignIndex = 0;
  private partnerIndex = 0;
  private serviceIndex = 0;
  private dateIndex = 0;
  private fileIndex = 0;
  private line = 0;
  private status = 0;
  private shared = -1;
  /** Where the record starts in `buf`, and its length. */
  private start = 0;
  private length = 0;
  /** The last held row's amount (rows of one earning share its text). */
  private lastAmountText = '';
  private lastAmount: Decimal = ZERO;
  /** Where each text starts, and where the last ends. */
  private readonly at = new Array<number>(TEXTS + 1).fill(0);
  /** A line number's digits. */
  private readonly digits = Buffer.alloc(16);

  constructor(private readonly spool: SpoolCells) {
    super();
  }

  fill(buf: Buffer, at: number, v: Int32Array, micros: number, campaign: string, partner: string): void {
    const h = at >> 2;
    const spool = this.spool;
    this.buf = buf;
    this.start = at;
    this.length = v[h + H.Length]!;
    this.campaign = campaign;
    this.partner = partner;
    this.campaignIndex = v[h + H.Campaign]!;
    this.partnerIndex = v[h + H.Partner]!;
    this.serviceIndex = v[h + H.Service]!;
    this.service = spool.names.services[this.serviceIndex]!;
    this.dateIndex = v[h + H.Date]!;
    this.date = spool.names.dates[this.dateIndex]!;
    this.fileIndex = v[h + H.File]!;
    this.line = v[h + H.Line]!;
    this.slot = v[h + H.Slot]!;
    this.shared = v[h + H.Shared]!;
    this.status = v[h + H.Status]!;
    this.micros = micros;
    const a = this.at;
    a[0] = at + HEADER;
    for (let k = 0; k < TEXTS; k++) a[k + 1] = a[k]! + v[h + H.Lengths + k]!;
    const amount = a[T.Amount]!;
    this.zero = a[T.Amount + 1]! - amount === 1 && buf[amount] === ZERO_BYTE;
    this.negative = buf[amount] === MINUS_BYTE;
  }

  private text(k: number): string {
    return this.buf.toString('utf8', this.at[k], this.at[k + 1]);
  }

  get amountText(): string {
    return this.buf.toString('latin1', this.at[T.Amount], this.at[T.Amount + 1]);
  }

  addTo(sum: ScaledSum): void {
    if (Number.isNaN(this.micros)) sum.addString(this.amountText);
    else sum.addMicros(this.micros);
  }

  untrimmed(): void {
    this.earningLine(false);
  }

  /** Only for a positive amount (a cap never trims a negative one): trimmed is its negation, paid 0. */
  gone(): void {
    this.earningLine(true);
  }

  /** The line with the amount, trimmed and paid given as text (a held row's, once its day's trims are known). */
  trimmedLine(amount: string, trimmed: string, paid: string): void {
    this.earningLine(false, [amount, trimmed, paid]);
  }

  /** The bytes mid() writes, at most, with these cells. */
  private midRoom(service: Buffer, file: Buffer, date: Buffer): number {
    return service.length + file.length + date.length + (this.at[T.Sku + 1]! - this.at[T.Customer]!) + this.digits.length + 4;
  }

  /**
   * From the reason's end to sku: ",service," (its cell with both commas), customer,
   * id, "file,", the line number, "date,", sku, each ended by its comma.
   */
  private mid(b: Buffer, p: number, service: Buffer, file: Buffer, date: Buffer): number {
    const src = this.buf;
    const a = this.at;
    p = putCell(b, p, service);
    p = copyInto(b, p, src, a[T.Customer]!, a[T.Customer + 1]!);
    b[p++] = COMMA_BYTE;
    p = copyInto(b, p, src, a[T.Id]!, a[T.Id + 1]!);
    b[p++] = COMMA_BYTE;
    p = putCell(b, p, file);
    // The line number's digits, last first.
    const digits = this.digits;
    let n = this.line;
    let d = digits.length;
    do {
      digits[--d] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    p = copyInto(b, p, digits, d, digits.length);
    b[p++] = COMMA_BYTE;
    p = putCell(b, p, date);
    p = copyInto(b, p, src, a[T.Sku]!, a[T.Sku + 1]!);
    b[p++] = COMMA_BYTE;
    return p;
  }

  /** The mid's cells (service, file, date) of this record. */
  private midCells(): [Buffer, Buffer, Buffer] {
    const spool = this.spool;
    return [spool.serviceCell(this.serviceIndex), spool.fileCell(this.fileIndex), spool.dateCell(this.dateIndex)];
  }

  /**
   * The row's line as it earns or counts: campaign, partner, kind (head), status, then
   * the reason (empty) to sku (mid), units to fx_source (tail), amount, trimmed, paid,
   * detail. Room for the whole line is made once.
   */
  private earningLine(gone: boolean, money?: readonly [string, string, string]): void {
    const out = this.spool.trace;
    const src = this.buf;
    const a = this.at;
    const a0 = a[T.Amount]!;
    const a1 = a[T.Amount + 1]!;
    const head = this.spool.headOf(this.campaignIndex, this.partnerIndex);
    const status = STATUS_BYTES[this.status]!;
    const shared = this.shared >= 0 ? this.spool.sharedOf(this.shared) : undefined;
    const tailLength = shared ? shared.tail.length : a[T.Tail + 1]! - a[T.Tail]!;
    const detailLength = shared ? shared.detail.length : a[T.Detail + 1]! - a[T.Detail]!;
    const spool = this.spool;
    const service = spool.serviceCell(this.serviceIndex);
    const file = spool.fileCell(this.fileIndex);
    const date = spool.dateCell(this.dateIndex);
    const moneyRoom = money ? 3 * (money[0].length + money[1].length + money[2].length) : 2 * (a1 - a0) + 3;
    out.reserve(head.length + status.length + this.midRoom(service, file, date) + tailLength + moneyRoom + 8 + detailLength);
    const b = out.buf;
    let p = putCell(b, out.pos, head);
    p = putCell(b, p, status);
    p = this.mid(b, p, service, file, date);
    p = shared ? putCell(b, p, shared.tail) : copyInto(b, p, src, a[T.Tail]!, a[T.Tail + 1]!);
    if (money) {
      p = putText(b, p, money[0]);
      b[p++] = COMMA_BYTE;
      p = putText(b, p, money[1]);
      b[p++] = COMMA_BYTE;
      p = putText(b, p, money[2]);
      b[p++] = COMMA_BYTE;
    } else {
      p = this.money(b, p, gone);
    }
    p = shared ? putCell(b, p, shared.detail) : copyInto(b, p, src, a[T.Detail]!, a[T.Detail + 1]!);
    b[p++] = NEWLINE_BYTE;
    out.pos = p;
  }

  /** amount,0,amount, as it earns, or amount,-amount,0, when a cap takes it all. */
  private money(b: Buffer, p: number, gone: boolean): number {
    const src = this.buf;
    const a0 = this.at[T.Amount]!;
    const a1 = this.at[T.Amount + 1]!;
    p = copyInto(b, p, src, a0, a1);
    b[p++] = COMMA_BYTE;
    if (gone) {
      b[p++] = MINUS_BYTE;
      p = copyInto(b, p, src, a0, a1);
      b[p++] = COMMA_BYTE;
      b[p++] = ZERO_BYTE;
      b[p++] = COMMA_BYTE;
    } else {
      b[p++] = ZERO_BYTE;
      b[p++] = COMMA_BYTE;
      p = copyInto(b, p, src, a0, a1);
      b[p++] = COMMA_BYTE;
    }
    return p;
  }

  excluded(_cr: SettledCampaign, x: Exclusion): void {
    const out = this.spool.trace;
    put(out, this.spool.headOf(this.campaignIndex, this.partnerIndex));
    put(out, EXCLUDED);
    out.write(x.reason);
    const cells = this.midCells();
    out.reserve(this.midRoom(...cells));
    out.pos = this.mid(out.buf, out.pos, ...cells);
    put(out, EXCLUDED_MONEY);
    out.write(csvCell(x.detail));
    put(out, NEWLINE);
  }

  held(): Spooled {
    const amountText = this.amountText;
    if (amountText !== this.lastAmountText) {
      this.lastAmountText = amountText;
      this.lastAmount = amountText === '0' ? ZERO : new Decimal(amountText);
    }
    const amount = this.lastAmount;
    return {
      kind: 'row',
      campaign: this.campaign,
      partner: this.partner,
      amount,
      trimmed: ZERO,
      paid: amount,
      transactionId: this.text(this.at[T.RawId + 1]! > this.at[T.RawId]! ? T.RawId : T.Id),
      date: this.date,
      service: this.service,
      status: STATUSES[this.status]!,
      reason: undefined,
      detail: '',
      heldAt: this.spool.keep(this.buf, this.start, this.length),
    };
  }
}
