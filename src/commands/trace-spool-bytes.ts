/**
 * A CSV trace's spool. Each row that waits for its verdict is a binary record
 * (trace-record.ts): a fixed header of numbers (campaign, partner, service, date and
 * file by number, line, slot, status, the amount in micro-units) and the UTF-8 bytes of
 * its amount and its own quoted cells (customer, id, sku, the earning's unless shared).
 * Read back, a record's line is assembled by copying those bytes into the trace beside
 * its verdict's: no string is decoded or encoded again for a row that is written whole,
 * and a pass that only sums (a capped partner's first) reads the header alone.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { exactText, parseMicros } from '../money/index.js';
import { Interner } from '../engine/interner.js';
import type { Earning, PendingRow } from '../engine/trace.js';
import type { LineParts } from '../report/trace.js';
import { bytesOf } from '../bytes.js';
import { putText } from '../bytes.js';
import { Out, removeSpoolDir, spoolDir, type LineFate, type Spool, type Spooled, type SpoolRecord } from './trace-spool.js';
import { DaySums, type Summing } from './trace-day-sums.js';
import { ByteRecord, H, HEADER, MICROS, T, type Keeper } from './trace-record.js';
import { LineCells, type SharedCells } from './trace-line-cells.js';

export class ByteSpool implements Spool, Keeper {
  private readonly dir = spoolDir();
  private readonly path = join(this.dir, 'rows.bin');
  private readonly out = new Out(this.path);
  /** Campaigns, partners, services, dates and files, numbered in the order they come. */
  readonly campaigns = new Interner();
  readonly partners = new Interner();
  readonly services = new Interner();
  readonly dates = new Interner();
  readonly files = new Interner();
  /** The earning rows summed per campaign, partner, service and day as they come. */
  private readonly daySums = new DaySums();
  /** Shared earnings by number, and their cells quoted once (a writer's cache: the engine keeps no words for it). */
  private readonly earningIds = new WeakMap<Earning, number>();
  private lastEarning: Earning | undefined;
  private lastRef = -1;
  /** Shared earnings' tail and detail cells, as bytes (encoded once, when the earning first comes). */
  private readonly sharedBytes: SharedCells[] = [];
  /** A shared earning's amount in micro-units (NaN: they cannot hold it). */
  private readonly sharedMicros: number[] = [];
  /** The buffer i32 and f64 view. */
  private viewed: Buffer | undefined;
  private i32 = new Int32Array(0);
  private f64 = new Float64Array(0);

  /** The parts of lines records copy, made once (and the trace they are written to). */
  private readonly cells: LineCells;

  /** `trace`: the trace file's Out, which records write their lines to; `parts`: its format's (CSV_PARTS or JSON_PARTS). */
  constructor(
    readonly trace: Out,
    private readonly parts: LineParts,
  ) {
    const names = {
      campaigns: this.campaigns.names,
      partners: this.partners.names,
      services: this.services.names,
      dates: this.dates.names,
      files: this.files.names,
    };
    this.cells = new LineCells(trace, parts, names, this.sharedBytes);
  }

  add(p: PendingRow): void {
    const r = p.row;
    const g = p.earning;
    let ref = -1;
    let tail = '';
    let detail = '';
    if (g.shared) {
      if (g === this.lastEarning) ref = this.lastRef;
      else {
        const id = this.earningIds.get(g);
        if (id !== undefined) ref = id;
        else {
          const cells = this.parts.earning(g);
          ref = this.sharedBytes.push({ tail: bytesOf(cells.tail), detail: bytesOf(cells.detail) }) - 1;
          this.earningIds.set(g, ref);
        }
        this.lastEarning = g;
        this.lastRef = ref;
      }
    } else ({ tail, detail } = this.parts.earning(g));
    const amount = g.amountText;
    const customer = this.parts.rowValue(r, r.customerId);
    const id = this.parts.rowValue(r, r.id);
    const sku = this.parts.rowValue(r, r.sku);
    const rawId = id === r.id ? '' : r.id;
    const out = this.out;
    out.reserve(HEADER + (amount.length + customer.length + id.length + sku.length + rawId.length + tail.length + detail.length) * 3 + 8);
    const at = out.pos;
    const buf = out.buf;
    if (this.viewed !== buf) {
      this.viewed = buf;
      this.i32 = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
      this.f64 = new Float64Array(buf.buffer, buf.byteOffset, buf.length >> 3);
    }
    const h = at >> 2;
    const v = this.i32;
    const l = h + H.Lengths;
    // Each text's bytes, then its byte length.
    const start = at + HEADER;
    let a = putText(buf, start, amount);
    v[l + T.Amount] = a - start;
    let b = putText(buf, a, customer);
    v[l + T.Customer] = b - a;
    a = putText(buf, b, id);
    v[l + T.Id] = a - b;
    b = putText(buf, a, sku);
    v[l + T.Sku] = b - a;
    a = putText(buf, b, rawId);
    v[l + T.RawId] = a - b;
    b = putText(buf, a, tail);
    v[l + T.Tail] = b - a;
    a = putText(buf, b, detail);
    v[l + T.Detail] = a - b;
    const n = a - start;
    const length = (HEADER + n + 7) & ~7;
    v[h + H.Length] = length;
    const campaign = (v[h + H.Campaign] = this.campaigns.of(p.campaign));
    const partner = (v[h + H.Partner] = this.partners.of(p.partner));
    const service = (v[h + H.Service] = this.services.of(p.service));
    const date = (v[h + H.Date] = this.dates.of(r.date));
    v[h + H.File] = this.files.of(p.file ?? '');
    // A header holds 32-bit numbers: a line past them would be written wrong, so it is refused.
    if (r.line > 0x7fffffff) throw new Error(`calc --explain cannot spool line ${r.line}: lines past 2^31 - 1 are not supported`);
    v[h + H.Line] = r.line;
    v[h + H.Slot] = p.slot;
    v[h + H.Shared] = ref;
    v[h + H.Status] = g.status === 'earned' ? 0 : 1;
    let micros = ref < 0 ? undefined : this.sharedMicros[ref];
    if (micros === undefined) {
      const m = parseMicros(amount);
      micros = typeof m === 'number' ? m : NaN;
      if (ref >= 0) this.sharedMicros[ref] = micros;
    }
    this.f64[(at >> 3) + MICROS] = micros;
    out.pos = at + length;
    this.daySums.add(campaign, partner, service, date, micros, amount);
  }

  /** Gives `to` the pair's earning rows summed by service and day as they were spooled; false when they were not kept (then replay sums them). */
  sumsOf(campaign: string, partner: string, to: Summing): boolean {
    const c = this.campaigns.find(campaign);
    const p = c === undefined ? undefined : this.partners.find(partner);
    if (c === undefined || p === undefined) return true;
    return this.daySums.feed(c, p, to, this.services.names, this.dates.names);
  }

  /** Whether every campaign and partner with spooled rows is one `known` names. */
  coveredBy(known: (campaign: string, partner: string) => boolean): boolean {
    return this.daySums.coversAll((c, p) => known(this.campaigns.names[c]!, this.partners.names[p]!));
  }

  async replay(decide: (r: SpoolRecord) => LineFate, only?: (campaign: string, partner: string) => boolean): Promise<void> {
    await this.out.close();
    const file = await open(this.path, 'r');
    try {
      const r = new ByteRecord(this.cells, this);
      let buf = Buffer.alloc(4 << 20);
      let i32 = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
      let f64 = new Float64Array(buf.buffer, buf.byteOffset, buf.length >> 3);
      let have = 0;
      // `only`'s answer for the last campaign and partner (rows of one partner come in runs).
      let lastCampaign = -1;
      let lastPartner = -1;
      let wanted = true;
      for (;;) {
        const { bytesRead } = await file.read(buf, have, buf.length - have, null);
        have += bytesRead;
        let at = 0;
        while (at + HEADER <= have) {
          const h = at >> 2;
          const length = i32[h + H.Length]!;
          if (at + length > have) break;
          const c = i32[h + H.Campaign]!;
          const p = i32[h + H.Partner]!;
          if (c !== lastCampaign || p !== lastPartner) {
            lastCampaign = c;
            lastPartner = p;
            wanted = !only || only(this.campaigns.names[c]!, this.partners.names[p]!);
          }
          if (wanted) {
            r.fill(buf, at, i32, f64[(at >> 3) + MICROS]!, this.campaigns.names[c]!, this.partners.names[p]!);
            r.write(decide(r));
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

  /** Held rows' records, copied (rows of a day a cap cuts partway wait for their day's trims). */
  private kept = Buffer.alloc(0);
  private keptI32 = new Int32Array(0);
  private keptF64 = new Float64Array(0);
  private keptLength = 0;
  private keptRecord: ByteRecord | undefined;

  keep(src: Buffer, start: number, length: number): number {
    const at = this.keptLength;
    if (at + length > this.kept.length) {
      const bigger = Buffer.alloc(Math.max(64 << 10, 2 * this.kept.length, at + length));
      this.kept.copy(bigger, 0, 0, at);
      this.kept = bigger;
      this.keptI32 = new Int32Array(bigger.buffer, bigger.byteOffset, bigger.length >> 2);
      this.keptF64 = new Float64Array(bigger.buffer, bigger.byteOffset, bigger.length >> 3);
    }
    src.copy(this.kept, at, start, start + length);
    this.keptLength = at + length;
    return at;
  }

  writeHeld(e: Spooled): void {
    const r = (this.keptRecord ??= new ByteRecord(this.cells, this));
    const at = e.heldAt!;
    r.fill(this.kept, at, this.keptI32, this.keptF64[(at >> 3) + MICROS]!, e.campaign, e.partner!);
    // A held row the day's trims left whole, or took whole, is written as the others are; only a row cut partway has its money written from the trims.
    if (e.trimmed.isZero()) r.write('untrimmed');
    else if (e.paid.isZero()) r.write('gone');
    else r.trimmedLine(exactText(e.amount), exactText(e.trimmed), exactText(e.paid));
  }

  dispose(): void {
    this.out.abandon();
    removeSpoolDir(this.dir);
  }
}
