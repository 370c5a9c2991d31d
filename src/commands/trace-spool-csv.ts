/**
 * A CSV trace's spool. Each row that waits for its verdict is a binary record: a fixed
 * header of numbers (campaign, partner, service and date by index, slot, status, the
 * amount in micro-units) and the UTF-8 bytes of its amount, id and already-quoted cells.
 * Read back, a record's line is assembled by copying those bytes into the trace beside
 * its verdict's: no string is decoded or encoded again for a row that is written whole,
 * and a pass that only sums (a capped partner's first) reads the header alone.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Decimal, parseMicros, ZERO, type ScaledSum } from '../money/index.js';
import type { Earning, PendingRow, TraceEvent } from '../engine/trace.js';
import type { SettledCampaign } from '../engine/verdicts.js';
import { csvCell } from '../csv-cells.js';
import { earningCells, pendingHead, pendingMid } from '../report/trace.js';
import { copyInto, Out, removeSpoolDir, spoolDir, type Exclusion, type Spool, type SpoolRecord, type Spooled } from './trace-spool.js';

/**
 * A record: 16 int32 of header, then the bytes of amount, id, mid, tail and detail,
 * padded to 8 bytes so that every header can be read through aligned views.
 */
const HEADER = 64;
const H = {
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
  AmountLength: 10,
  IdLength: 11,
  MidLength: 12,
  TailLength: 13,
  DetailLength: 14,
} as const;
const MICROS = 4;
const STATUSES = ['earned', 'counted'] as const;

/** Strings numbered in the order they come (campaigns, partners, services, dates: few of each). */
class Numbered {
  readonly list: string[] = [];
  private readonly map = new Map<string, number>();
  private last = '';
  private lastIndex = -1;

  of(s: string): number {
    if (s === this.last && this.lastIndex >= 0) return this.lastIndex;
    let i = this.map.get(s);
    if (i === undefined) this.map.set(s, (i = this.list.push(s) - 1));
    this.last = s;
    this.lastIndex = i;
    return i;
  }
}

const bytes = (s: string) => Buffer.from(s, 'utf8');
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

export class CsvSpool implements Spool {
  private readonly dir = spoolDir();
  private readonly path = join(this.dir, 'rows.bin');
  private readonly out = new Out(this.path);
  readonly campaigns = new Numbered();
  readonly partners = new Numbered();
  readonly services = new Numbered();
  readonly dates = new Numbered();
  /** Shared earnings by number, and their cells quoted once (a writer's cache: the engine keeps no words for it). */
  private readonly earningIds = new WeakMap<Earning, number>();
  readonly sharedCells: { tail: string; detail: string }[] = [];
  private i32 = new Int32Array(0);
  private f64 = new Float64Array(0);

  /** `trace`: the trace file's Out, which records write their lines to; `emit`: where events go. */
  constructor(
    readonly trace: Out,
    readonly emit: (e: Spooled) => void,
  ) {}

  add(p: PendingRow): void {
    const r = p.row;
    const g = p.earning;
    let ref = -1;
    let tail = '';
    let detail = '';
    if (g.shared) {
      const id = this.earningIds.get(g);
      if (id !== undefined) ref = id;
      else {
        ref = this.sharedCells.push(earningCells(g)) - 1;
        this.earningIds.set(g, ref);
      }
    } else ({ tail, detail } = earningCells(g));
    const amount = g.amountText;
    const mid = pendingMid(p);
    const text = amount + r.id + mid + tail + detail;
    const out = this.out;
    out.reserve(HEADER + text.length * 3 + 8);
    const at = out.pos;
    const buf = out.buf;
    if (this.i32.buffer !== buf.buffer) {
      this.i32 = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
      this.f64 = new Float64Array(buf.buffer, buf.byteOffset, buf.length >> 3);
    }
    const n = buf.write(text, at + HEADER);
    const h = at >> 2;
    const v = this.i32;
    if (n === text.length) {
      v[h + H.AmountLength] = amount.length;
      v[h + H.IdLength] = r.id.length;
      v[h + H.MidLength] = mid.length;
      v[h + H.TailLength] = tail.length;
      v[h + H.DetailLength] = detail.length;
    } else {
      v[h + H.AmountLength] = Buffer.byteLength(amount);
      v[h + H.IdLength] = Buffer.byteLength(r.id);
      v[h + H.MidLength] = Buffer.byteLength(mid);
      v[h + H.TailLength] = Buffer.byteLength(tail);
      v[h + H.DetailLength] = Buffer.byteLength(detail);
    }
    const length = (HEADER + n + 7) & ~7;
    v[h + H.Length] = length;
    v[h + H.Campaign] = this.campaigns.of(p.campaign);
    v[h + H.Partner] = this.partners.of(p.partner);
    v[h + H.Service] = this.services.of(p.service);
    v[h + H.Date] = this.dates.of(r.date);
    v[h + H.Slot] = p.slot;
    v[h + H.Shared] = ref;
    v[h + H.Status] = g.status === 'earned' ? 0 : 1;
    const micros = parseMicros(amount);
    this.f64[(at >> 3) + MICROS] = typeof micros === 'number' ? micros : NaN;
    out.pos = at + length;
  }

  async replay(f: (r: SpoolRecord) => void, only?: (campaign: string, partner: string) => boolean): Promise<void> {
    this.out.close();
    const file = await open(this.path, 'r');
    try {
      const r = new CsvRecord(this);
      let buf = Buffer.alloc(4 << 20);
      let i32 = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
      let f64 = new Float64Array(buf.buffer, buf.byteOffset, buf.length >> 3);
      let have = 0;
      for (;;) {
        const { bytesRead } = await file.read(buf, have, buf.length - have, null);
        have += bytesRead;
        let at = 0;
        while (at + HEADER <= have) {
          const h = at >> 2;
          const length = i32[h + H.Length]!;
          if (at + length > have) break;
          const campaign = this.campaigns.list[i32[h + H.Campaign]!]!;
          const partner = this.partners.list[i32[h + H.Partner]!]!;
          if (!only || only(campaign, partner)) {
            r.fill(buf, at, i32, f64[(at >> 3) + MICROS]!, campaign, partner);
            f(r);
          }
          at += length;
        }
        if (bytesRead === 0) {
          if (at !== have) throw new Error(`the trace spool ends inside a record (${have - at} bytes left)`);
          return;
        }
        buf.copyWithin(0, at, have);
        have -= at;
        // A record longer than the buffer (a very long cell): a buffer that holds it.
        if (have >= HEADER && i32[H.Length]! > buf.length) {
          const bigger = Buffer.alloc(i32[H.Length]! * 2);
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
          i32 = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
          f64 = new Float64Array(buf.buffer, buf.byteOffset, buf.length >> 3);
        }
      }
    } finally {
      await file.close();
    }
  }

  /** The quoted first cells (campaign_id, partner_id, kind) of a campaign's and partner's rows, as bytes. */
  private readonly heads = new Map<number, Buffer>();
  headOf(campaign: number, partner: number): Buffer {
    const k = partner * 65536 + campaign;
    let b = this.heads.get(k);
    if (!b) this.heads.set(k, (b = bytes(pendingHead(this.campaigns.list[campaign]!, this.partners.list[partner]!))));
    return b;
  }

  /** A shared earning's tail and detail cells, as bytes. */
  private readonly sharedBytes: { tail: Buffer; detail: Buffer }[] = [];
  sharedOf(ref: number): { tail: Buffer; detail: Buffer } {
    let b = this.sharedBytes[ref];
    if (!b) {
      const cells = this.sharedCells[ref]!;
      this.sharedBytes[ref] = b = { tail: bytes(cells.tail), detail: bytes(cells.detail) };
    }
    return b;
  }

  dispose(): void {
    this.out.abandon();
    removeSpoolDir(this.dir);
  }
}

/** The record being read (one object, refilled per row): its header's values and where its bytes are. */
class CsvRecord implements SpoolRecord {
  campaign = '';
  partner = '';
  service = '';
  date = '';
  slot = 0;
  zero = false;
  negative = false;
  private buf: Buffer = Buffer.alloc(0);
  private micros = NaN;
  private campaignIndex = 0;
  private partnerIndex = 0;
  private status = 0;
  private shared = -1;
  /** Where amount, id, mid, tail, detail start, and where detail ends. */
  private readonly at = [0, 0, 0, 0, 0, 0];

  constructor(private readonly spool: CsvSpool) {}

  fill(buf: Buffer, at: number, v: Int32Array, micros: number, campaign: string, partner: string): void {
    const h = at >> 2;
    this.buf = buf;
    this.campaign = campaign;
    this.partner = partner;
    this.campaignIndex = v[h + H.Campaign]!;
    this.partnerIndex = v[h + H.Partner]!;
    this.service = this.spool.services.list[v[h + H.Service]!]!;
    this.date = this.spool.dates.list[v[h + H.Date]!]!;
    this.slot = v[h + H.Slot]!;
    this.shared = v[h + H.Shared]!;
    this.status = v[h + H.Status]!;
    this.micros = micros;
    const a = this.at;
    a[0] = at + HEADER;
    a[1] = a[0] + v[h + H.AmountLength]!;
    a[2] = a[1] + v[h + H.IdLength]!;
    a[3] = a[2] + v[h + H.MidLength]!;
    a[4] = a[3] + v[h + H.TailLength]!;
    a[5] = a[4] + v[h + H.DetailLength]!;
    this.zero = a[1] - a[0] === 1 && buf[a[0]] === ZERO_BYTE;
    this.negative = buf[a[0]] === MINUS_BYTE;
  }

  private text(k: number): string {
    return this.buf.toString('utf8', this.at[k], this.at[k + 1]);
  }

  get amountText(): string {
    return this.buf.toString('latin1', this.at[0], this.at[1]);
  }

  addTo(sum: ScaledSum): void {
    if (Number.isNaN(this.micros)) sum.addString(this.amountText);
    else sum.addMicros(this.micros);
  }

  untrimmed(): void {
    this.line(false);
  }

  /** Only for a positive amount (a cap never trims a negative one): trimmed is its negation, paid 0. */
  gone(): void {
    this.line(true);
  }

  /**
   * The row's line as it earns or counts: campaign, partner, kind (head), status, then
   * reason (empty: the mid's first comma ends it) to sku (mid), units to fx_source (tail),
   * amount, trimmed, paid, detail. Room for the whole line is made once.
   */
  private line(gone: boolean): void {
    const out = this.spool.trace;
    const src = this.buf;
    const [a0, a1, mid, tail, detail, end] = this.at as [number, number, number, number, number, number];
    const head = this.spool.headOf(this.campaignIndex, this.partnerIndex);
    const status = STATUS_BYTES[this.status]!;
    const shared = this.shared >= 0 ? this.spool.sharedOf(this.shared) : undefined;
    const tailLength = shared ? shared.tail.length : detail - tail;
    const detailLength = shared ? shared.detail.length : end - detail;
    out.reserve(head.length + status.length + (tail - mid) + tailLength + 2 * (a1 - a0) + 6 + detailLength);
    const b = out.buf;
    let p = copyInto(b, out.pos, head, 0, head.length);
    p = copyInto(b, p, status, 0, status.length);
    p = copyInto(b, p, src, mid, tail);
    p = shared ? copyInto(b, p, shared.tail, 0, tailLength) : copyInto(b, p, src, tail, detail);
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
    p = shared ? copyInto(b, p, shared.detail, 0, detailLength) : copyInto(b, p, src, detail, end);
    b[p++] = NEWLINE_BYTE;
    out.pos = p;
  }

  excluded(_cr: SettledCampaign, x: Exclusion): void {
    const out = this.spool.trace;
    put(out, this.spool.headOf(this.campaignIndex, this.partnerIndex));
    put(out, EXCLUDED);
    out.write(x.reason);
    out.copy(this.buf, this.at[2]!, this.at[3]!);
    put(out, EXCLUDED_MONEY);
    out.write(csvCell(x.detail));
    put(out, NEWLINE);
  }

  event(): Spooled {
    const amountText = this.amountText;
    const amount = amountText === '0' ? ZERO : new Decimal(amountText);
    const shared = this.shared >= 0 ? this.spool.sharedCells[this.shared]! : undefined;
    return {
      kind: 'row',
      campaign: this.campaign,
      partner: this.partner,
      amount,
      trimmed: ZERO,
      paid: amount,
      transactionId: this.text(1),
      date: this.date,
      service: this.service,
      status: STATUSES[this.status]!,
      reason: undefined,
      detail: '',
      parts: {
        head: pendingHead(this.campaign, this.partner),
        mid: this.text(2),
        tail: shared ? shared.tail : this.text(3),
        detail: shared ? shared.detail : this.text(4),
      },
    } satisfies TraceEvent & Spooled;
  }
}
