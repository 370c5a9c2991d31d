/**
 * A trace's spooled record: its layout, and the record as read back, which writes its own
 * line (CSV or JSON Lines, by the spool's LineParts) by copying its bytes (and its
 * campaign's, partner's, service's, file's and date's parts, kept once by the spool)
 * beside its verdict's.
 */
import { Decimal, ZERO, type ScaledSum } from '../money/index.js';
import { bytesOf, copyInto, putCell, putText } from '../bytes.js';
import { STATUSES, type LineCells } from './trace-line-cells.js';
import { RecordFields, type Exclusion, type LineFate, type Out, type SpoolRecord, type Spooled } from './trace-spool.js';

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
/** Keeps a copy of a record's bytes (a held row's) and says where. */
export interface Keeper {
  keep(src: Buffer, start: number, length: number): number;
}

const MINUS_BYTE = 45;
const ZERO_BYTE = 48;
const ZERO_TEXT = bytesOf('0');

function put(out: Out, b: Uint8Array): void {
  out.copy(b, 0, b.length);
}

/** The record being read (one object, refilled per row): its header's values and where its bytes are. */
export class ByteRecord extends RecordFields implements SpoolRecord {
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

  constructor(
    private readonly spool: LineCells,
    /** Where held rows' bytes are kept (the spool's; a render thread holds none). */
    private readonly keeper?: Keeper,
  ) {
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

  /** Writes the row's line as `fate` says (undefined: none). */
  write(fate: LineFate): void {
    if (fate === 'untrimmed') this.earningLine(false);
    // Only for a positive amount (a cap never trims a negative one): trimmed is its negation, paid 0.
    else if (fate === 'gone') this.earningLine(true);
    else if (fate !== undefined) this.excluded(fate);
  }

  /** The line with the amount, trimmed and paid given as text (a held row's, once its day's trims are known). */
  trimmedLine(amount: string, trimmed: string, paid: string): void {
    this.earningLine(false, [amount, trimmed, paid]);
  }

  /** The bytes mid() and the fixed parts of a line write, at most, with these cells. */
  private midRoom(file: Uint8Array, date: Uint8Array): number {
    return file.length + date.length + (this.at[T.Sku + 1]! - this.at[T.Customer]!) + this.digits.length + this.spool.shape.room;
  }

  /**
   * From the service's part to sku: customer, id, the file's part and the line number's
   * key, the line number, the date's part, sku, each with its separator (CSV) or key
   * (JSON: a row value that is empty is left out with its key).
   */
  private mid(b: Buffer, p: number, file: Uint8Array, date: Uint8Array): number {
    const src = this.buf;
    const a = this.at;
    const shape = this.spool.shape;
    const skip = shape.skipEmpty;
    if (!skip || a[T.Customer + 1]! > a[T.Customer]!) p = copyInto(b, putCell(b, p, shape.customer), src, a[T.Customer]!, a[T.Customer + 1]!);
    if (!skip || a[T.Id + 1]! > a[T.Id]!) p = copyInto(b, putCell(b, p, shape.id), src, a[T.Id]!, a[T.Id + 1]!);
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
    p = putCell(b, p, date);
    if (!skip || a[T.Sku + 1]! > a[T.Sku]!) p = copyInto(b, putCell(b, p, shape.sku), src, a[T.Sku]!, a[T.Sku + 1]!);
    return p;
  }

  /**
   * The row's line as it earns or counts: campaign, partner, kind, status and service
   * (start), customer to sku (mid), then units to fx_source (tail), amount, trimmed, paid,
   * detail. Room for the whole line is made once. A shared earning's line after sku is
   * the same for each of its rows (unless the money is given): copied as one.
   */
  private earningLine(gone: boolean, money?: readonly [string, string, string]): void {
    const out = this.spool.trace;
    const spool = this.spool;
    const start = spool.startOf(this.campaignIndex, this.partnerIndex, this.status, this.serviceIndex);
    const file = spool.fileCell(this.fileIndex);
    const date = spool.dateCell(this.dateIndex);
    const end = this.shared >= 0 && !money ? (spool.endOf(this.shared, gone) ?? spool.keepEnd(this.shared, gone, this.end(gone))) : undefined;
    if (end) {
      out.reserve(start.length + this.midRoom(file, date) + end.length);
      const b = out.buf;
      out.pos = putCell(b, this.mid(b, putCell(b, out.pos, start), file, date), end);
      return;
    }
    const a = this.at;
    const shared = this.shared >= 0 ? spool.shared[this.shared] : undefined;
    const tailLength = shared ? shared.tail.length : a[T.Tail + 1]! - a[T.Tail]!;
    const detailLength = shared ? shared.detail.length : a[T.Detail + 1]! - a[T.Detail]!;
    const moneyRoom = money ? 3 * (money[0].length + money[1].length + money[2].length) : 2 * (a[T.Amount + 1]! - a[T.Amount]!) + 3;
    out.reserve(start.length + this.midRoom(file, date) + tailLength + moneyRoom + detailLength);
    const b = out.buf;
    out.pos = this.after(b, this.mid(b, putCell(b, out.pos, start), file, date), gone, money);
  }

  /** A shared earning's line after sku, as bytes of its own (made once per earning and fate). */
  private end(gone: boolean): Buffer {
    const a = this.at;
    const shared = this.spool.shared[this.shared]!;
    const b = Buffer.alloc(shared.tail.length + shared.detail.length + 2 * (a[T.Amount + 1]! - a[T.Amount]!) + 3 + this.spool.shape.room);
    return b.subarray(0, this.after(b, 0, gone));
  }

  /** From after sku to the line's end: units to fx_source, the money (as given, or as it earns or is gone), the detail and the end. */
  private after(b: Buffer, p: number, gone: boolean, money?: readonly [string, string, string]): number {
    const src = this.buf;
    const a = this.at;
    const shape = this.spool.shape;
    const shared = this.shared >= 0 ? this.spool.shared[this.shared] : undefined;
    p = putCell(b, p, shape.afterSku);
    p = shared ? putCell(b, p, shared.tail) : copyInto(b, p, src, a[T.Tail]!, a[T.Tail + 1]!);
    if (money) {
      const m = shape.money;
      p = putText(b, putCell(b, p, m[0]!), money[0]);
      p = putText(b, putCell(b, p, m[1]!), money[1]);
      p = putText(b, putCell(b, p, m[2]!), money[2]);
      p = putCell(b, p, m[3]!);
    } else {
      p = this.money(b, p, gone);
    }
    p = shared ? putCell(b, p, shared.detail) : copyInto(b, p, src, a[T.Detail]!, a[T.Detail + 1]!);
    return putCell(b, p, shape.end);
  }

  /** The money as it earns (amount, 0, amount), or when a cap takes it all (amount, -amount, 0). */
  private money(b: Buffer, p: number, gone: boolean): number {
    const src = this.buf;
    const a0 = this.at[T.Amount]!;
    const a1 = this.at[T.Amount + 1]!;
    const m = this.spool.shape.money;
    p = copyInto(b, putCell(b, p, m[0]!), src, a0, a1);
    p = putCell(b, p, m[1]!);
    if (gone) {
      b[p++] = MINUS_BYTE;
      p = copyInto(b, p, src, a0, a1);
      p = putCell(b, putCell(b, p, m[2]!), ZERO_TEXT);
    } else {
      b[p++] = ZERO_BYTE;
      p = copyInto(b, putCell(b, p, m[2]!), src, a0, a1);
    }
    return putCell(b, p, m[3]!);
  }

  /** The line as its customer's or service's verdict excludes it. */
  private excluded(x: Exclusion): void {
    const out = this.spool.trace;
    put(out, this.spool.headOf(this.campaignIndex, this.partnerIndex));
    put(out, this.spool.reasonCell(x.reason));
    put(out, this.spool.serviceCell(this.serviceIndex));
    const file = this.spool.fileCell(this.fileIndex);
    const date = this.spool.dateCell(this.dateIndex);
    out.reserve(this.midRoom(file, date));
    out.pos = putCell(out.buf, this.mid(out.buf, out.pos, file, date), this.spool.shape.afterSku);
    put(out, this.spool.shape.excludedMoney);
    put(out, this.spool.detailCell(x));
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
      heldAt: this.keeper!.keep(this.buf, this.start, this.length),
    };
  }
}
