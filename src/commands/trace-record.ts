/**
 * A trace's spooled record: its layout, and the record as read back, which writes its own
 * line (CSV or JSON Lines, by the spool's LineParts) by copying its bytes (and its
 * campaign's, partner's, service's, file's and date's parts, kept once by the spool)
 * beside its verdict's.
 */
import { Decimal, ZERO, type ScaledSum } from '../money/index.js';
import { bytesOf, copyInto, putCell, putText } from '../bytes.js';
import type { LineParts } from '../report/trace.js';
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
export const STATUSES = ['earned', 'counted'] as const;

/** The names a spool numbers its records' campaigns, partners, services, dates and files by. */
export interface SpoolNames {
  readonly campaigns: readonly string[];
  readonly partners: readonly string[];
  readonly services: readonly string[];
  readonly dates: readonly string[];
  readonly files: readonly string[];
}

/** A shared earning's tail and detail cells, as bytes. */
export interface SharedCells {
  readonly tail: Uint8Array;
  readonly detail: Uint8Array;
}

/** Keeps a copy of a record's bytes (a held row's) and says where. */
export interface Keeper {
  keep(src: Buffer, start: number, length: number): number;
}

const MINUS_BYTE = 45;
const ZERO_BYTE = 48;
const ZERO_TEXT = bytesOf('0');

/** A format's fixed parts of a line (LineParts), as bytes, made once per spool. */
export class ShapeBytes {
  readonly status: Buffer[];
  readonly customer: Buffer;
  readonly id: Buffer;
  readonly line: Buffer;
  readonly sku: Buffer;
  readonly afterSku: Buffer;
  readonly money: Buffer[];
  readonly excludedMoney: Buffer;
  readonly end: Buffer;
  /** Whether a row's empty value leaves its key out (JSON), rather than being an empty cell (CSV). */
  readonly skipEmpty: boolean;
  /** The bytes the fixed parts of a mid, the money and the end take together. */
  readonly room: number;

  constructor(readonly parts: LineParts) {
    this.status = STATUSES.map((s) => bytesOf(parts.status(s)));
    this.customer = bytesOf(parts.keys.customer);
    this.id = bytesOf(parts.keys.id);
    this.line = bytesOf(parts.keys.line);
    this.sku = bytesOf(parts.keys.sku);
    this.afterSku = bytesOf(parts.keys.afterSku);
    this.money = parts.money.map(bytesOf);
    this.excludedMoney = bytesOf(parts.excludedMoney);
    this.end = bytesOf(parts.end);
    this.skipEmpty = parts.skipEmpty;
    this.room = [this.customer, this.id, this.line, this.sku, this.afterSku, ...this.money, this.end].reduce((n, b) => n + b.length, 0);
  }
}

/**
 * The parts of a line a record copies beside its own bytes, made from the spool's names
 * as bytes once each (heads by campaign and partner; services', files' and dates' cells;
 * reasons' and exclusions'), and the trace the lines go to. The spool keeps one.
 */
export class LineCells {
  readonly shape: ShapeBytes;

  constructor(
    readonly trace: Out,
    readonly parts: LineParts,
    readonly names: SpoolNames,
    /** Shared earnings' cells by number. */
    readonly shared: readonly SharedCells[],
  ) {
    this.shape = new ShapeBytes(parts);
  }

  /** The first parts (campaign, partner, kind) of a campaign's and partner's rows: by campaign, then partner. */
  private readonly heads: Buffer[][] = [];
  headOf(campaign: number, partner: number): Buffer {
    const byPartner = (this.heads[campaign] ??= []);
    return (byPartner[partner] ??= bytesOf(this.parts.head(this.names.campaigns[campaign]!, this.names.partners[partner]!)));
  }

  /** The parts of services, files and dates by number, with their separators or keys (CSV ",service,", "file,", "date,"). */
  private readonly serviceCells: Buffer[] = [];
  private readonly fileCells: Buffer[] = [];
  private readonly dateCells: Buffer[] = [];
  serviceCell(i: number): Buffer {
    return (this.serviceCells[i] ??= bytesOf(this.parts.service(this.names.services[i]!)));
  }
  fileCell(i: number): Buffer {
    return (this.fileCells[i] ??= bytesOf(this.parts.file(this.names.files[i]!)));
  }
  dateCell(i: number): Buffer {
    return (this.dateCells[i] ??= bytesOf(this.parts.date(this.names.dates[i]!)));
  }

  /** An excluded row's status and reason. */
  private readonly reasonCells = new Map<string, Buffer>();
  reasonCell(reason: string): Buffer {
    let b = this.reasonCells.get(reason);
    if (b === undefined) this.reasonCells.set(reason, (b = bytesOf(this.parts.excluded(reason))));
    return b;
  }

  /**
   * An exclusion's detail cells and the line's end: a service's exclusion settles many
   * rows, a customer's a few. The cache is let go when it reaches 4,096 (memory stays
   * flat however many customers fail; the exclusions many rows share come back at once).
   */
  private readonly detailCells = new Map<Exclusion, Buffer>();
  detailCell(x: Exclusion): Buffer {
    let b = this.detailCells.get(x);
    if (b === undefined) {
      if (this.detailCells.size >= 4096) this.detailCells.clear();
      this.detailCells.set(x, (b = bytesOf(this.parts.exclusionDetail(x.detail))));
    }
    return b;
  }
}

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

  /** The bytes mid() writes, at most, with these cells. */
  private midRoom(service: Uint8Array, file: Uint8Array, date: Uint8Array): number {
    return service.length + file.length + date.length + (this.at[T.Sku + 1]! - this.at[T.Customer]!) + this.digits.length + this.spool.shape.room;
  }

  /**
   * From the reason's end to sku: the service's part, customer, id, the file's part, the
   * line number, the date's part, sku, each with its separator (CSV) or key (JSON: a row
   * value that is empty is left out with its key).
   */
  private mid(b: Buffer, p: number, service: Uint8Array, file: Uint8Array, date: Uint8Array): number {
    const src = this.buf;
    const a = this.at;
    const shape = this.spool.shape;
    const skip = shape.skipEmpty;
    p = putCell(b, p, service);
    if (!skip || a[T.Customer + 1]! > a[T.Customer]!) p = copyInto(b, putCell(b, p, shape.customer), src, a[T.Customer]!, a[T.Customer + 1]!);
    if (!skip || a[T.Id + 1]! > a[T.Id]!) p = copyInto(b, putCell(b, p, shape.id), src, a[T.Id]!, a[T.Id + 1]!);
    p = putCell(b, p, file);
    p = putCell(b, p, shape.line);
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
    return putCell(b, p, shape.afterSku);
  }

  /** The mid's cells (service, file, date) of this record. */
  private midCells(): [Uint8Array, Uint8Array, Uint8Array] {
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
    const shape = this.spool.shape;
    const status = shape.status[this.status]!;
    const shared = this.shared >= 0 ? this.spool.shared[this.shared] : undefined;
    const tailLength = shared ? shared.tail.length : a[T.Tail + 1]! - a[T.Tail]!;
    const detailLength = shared ? shared.detail.length : a[T.Detail + 1]! - a[T.Detail]!;
    const spool = this.spool;
    const service = spool.serviceCell(this.serviceIndex);
    const file = spool.fileCell(this.fileIndex);
    const date = spool.dateCell(this.dateIndex);
    const moneyRoom = money ? 3 * (money[0].length + money[1].length + money[2].length) : 2 * (a1 - a0) + 3;
    out.reserve(head.length + status.length + this.midRoom(service, file, date) + tailLength + moneyRoom + detailLength);
    const b = out.buf;
    let p = putCell(b, out.pos, head);
    p = putCell(b, p, status);
    p = this.mid(b, p, service, file, date);
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
    out.pos = putCell(b, p, shape.end);
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
    const cells = this.midCells();
    out.reserve(this.midRoom(...cells));
    out.pos = this.mid(out.buf, out.pos, ...cells);
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
