/**
 * calc --explain's spool: the rows that wait for their customers' verdicts, in a
 * temporary file (NUL-separated cut cells for a CSV trace, JSON lines for a JSON one),
 * read back once or twice at the end of the run; and Out, text to a file in pieces.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal, exactText, ZERO } from '../money/index.js';
import { pendingRowEvent, type Earning, type PendingRow, type TraceEvent } from '../engine/trace.js';
import { earningCells, pendingHead, pendingMid, type CsvParts } from '../report/trace.js';
import { trackTemp, untrackTemp } from '../temp-files.js';

/** Text to a new file, in 64 KB pieces. */
export class Out {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  private closed = false;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }

  /** Writes what is left and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  /** Gives up: closes the file without writing what is left. */
  abandon(): void {
    this.buf = [];
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

/** A spooled row's event; in a CSV trace, with its line cut when it was read. */
export interface Spooled extends TraceEvent {
  parts?: CsvParts;
  /** The amount's text, for a row no cap trims. */
  amountText?: string;
}

/**
 * A row read back from the spool: what the end of the run needs to decide its line
 * (campaign, partner, service, date, id, amount as text, slot) and its line's cut cells
 * (CSV). One object is refilled for every row; `event()` builds the row's event, only
 * when a cap must trim it or the trace is JSON.
 */
export interface SpoolRecord {
  campaign: string;
  partner: string;
  service: string;
  date: string;
  transactionId: string;
  status: TraceEvent['status'];
  amountText: string;
  slot: number;
  parts: CsvParts | undefined;
  event(): Spooled;
}

/** A CSV trace's spooled row (refilled per row). */
class CsvRecord implements SpoolRecord {
  campaign = '';
  partner = '';
  service = '';
  date = '';
  transactionId = '';
  status: TraceEvent['status'] = 'earned';
  amountText = '0';
  slot = 0;
  mid = '';
  tail = '';
  detail = '';

  /** The row's cut cells, made only for a row that is written (a capped partner's first pass only sums). */
  get parts(): CsvParts {
    return { head: pendingHead(this.campaign, this.partner), mid: this.mid, tail: this.tail, detail: this.detail };
  }

  event(): Spooled {
    const amount = this.amountText === '0' ? ZERO : new Decimal(this.amountText);
    return { kind: 'row', campaign: this.campaign, partner: this.partner, amount, trimmed: ZERO, paid: amount, transactionId: this.transactionId, date: this.date, service: this.service, status: this.status, reason: undefined, detail: '', parts: this.parts, amountText: this.amountText };
  }
}

/** NUL never occurs in a field: the CSV reader refuses it in inputs, and campaigns are text. */
const SEP = '\u0000';
const CSV_FIELDS = 12;

/**
 * Rows whose stories wait for the whole file: each as the event it tells if its
 * customer and service qualify, in a temporary file. For a CSV trace the line is
 * spooled already cut into quoted cells (csvParts), as NUL-separated fields, so the end
 * of the run only looks up verdicts and joins text; a JSON trace spools JSON lines.
 */
export class Spool {
  private readonly dir = trackTemp(mkdtempSync(join(tmpdir(), 'incent-trace-')));
  private readonly path: string;
  private readonly out: Out;
  /** Campaign ids and file names, written once and referred to by index. */
  private readonly names: string[] = [];

  constructor(readonly csv: boolean) {
    this.path = join(this.dir, csv ? 'rows.nul' : 'rows.jsonl');
    this.out = new Out(this.path);
  }

  private index(name: string): number {
    let i = this.names.indexOf(name);
    if (i < 0) i = this.names.push(name) - 1;
    return i;
  }

  /** Shared earnings by number, and their cells quoted once (a writer's cache: the engine keeps no words for it). */
  private readonly earningIds = new WeakMap<Earning, number>();
  private readonly sharedCells: { tail: string; detail: string }[] = [];

  add(p: PendingRow): void {
    if (this.csv) {
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
      // The first cells (campaign, partner) are made again when read back: they repeat.
      this.out.write(`${this.index(p.campaign)}${SEP}${p.partner}${SEP}${p.service}${SEP}${r.date}${SEP}${r.id}${SEP}${g.status}${SEP}${g.amountText}${SEP}${pendingMid(p)}${SEP}${ref}${SEP}${tail}${SEP}${detail}${SEP}${p.slot}${SEP}`);
      return;
    }
    const e = pendingRowEvent(p);
    const slot = p.slot;
    const fields: unknown[] = [this.index(e.campaign), e.partner, e.service, e.customer, e.transactionId, this.index(e.file ?? ''), e.line, e.date, e.sku, e.status];
    fields.push(e.units ?? null, e.rate?.toString() ?? null, e.fx?.rate.toString() ?? null, e.fx?.source ?? null, exactText(e.amount), e.detail, slot);
    this.out.write(JSON.stringify(fields) + '\n');
  }

  /** Each spooled row, in the order it was told; `only` skips others before anything is built for them. */
  async replay(f: (r: SpoolRecord) => void, only?: (campaign: string, partner: string) => boolean): Promise<void> {
    this.out.close();
    return this.csv ? this.replayCsv(f, only) : this.replayJson(f, only);
  }

  private async replayCsv(f: (r: SpoolRecord) => void, only?: (campaign: string, partner: string) => boolean): Promise<void> {
    const names = this.names;
    const cells = this.sharedCells;
    const r = new CsvRecord();
    let pending: string[] = [];
    let rest = '';
    const take = (v: string[], o: number) => {
      const campaign = names[Number(v[o])]!;
      const partner = v[o + 1]!;
      if (only && !only(campaign, partner)) return;
      r.campaign = campaign;
      r.partner = partner;
      r.service = v[o + 2]!;
      r.date = v[o + 3]!;
      r.transactionId = v[o + 4]!;
      r.status = v[o + 5] as TraceEvent['status'];
      r.amountText = v[o + 6]!;
      const ref = Number(v[o + 8]);
      const shared = ref >= 0 ? cells[ref]! : undefined;
      r.mid = v[o + 7]!;
      r.tail = shared ? shared.tail : v[o + 9]!;
      r.detail = shared ? shared.detail : v[o + 10]!;
      r.slot = Number(v[o + 11]);
      f(r);
    };
    for await (const chunk of createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const fields = (rest + (chunk as string)).split(SEP);
      rest = fields.pop()!;
      let o = 0;
      if (pending.length) {
        const need = CSV_FIELDS - pending.length;
        pending.push(...fields.slice(0, need));
        if (pending.length < CSV_FIELDS) continue;
        take(pending, 0);
        pending = [];
        o = need;
      }
      for (; o + CSV_FIELDS <= fields.length; o += CSV_FIELDS) take(fields, o);
      if (o < fields.length) pending = fields.slice(o);
    }
  }

  private async replayJson(f: (r: SpoolRecord) => void, only?: (campaign: string, partner: string) => boolean): Promise<void> {
    const names = this.names;
    const decimal = (text: string) => (text === '0' ? ZERO : new Decimal(text));
    type Fields = [number, string, string, string, string, number, number, string, string, TraceEvent['status'], number | null, string | null, string | null, string | null, string, string, number];
    const line = (text: string) => {
      const j = JSON.parse(text) as Fields;
      const campaign = names[j[0]]!;
      if (only && !only(campaign, j[1])) return;
      f({
        campaign,
        partner: j[1],
        service: j[2],
        date: j[7],
        transactionId: j[4],
        status: j[9],
        amountText: j[14],
        slot: j[16],
        parts: undefined,
        event: () => {
          const amount = decimal(j[14]);
          return {
            kind: 'row',
            campaign,
            partner: j[1],
            amount,
            trimmed: ZERO,
            paid: amount,
            transactionId: j[4],
            file: names[j[5]] || undefined,
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
        },
      });
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
    rmSync(this.dir, { recursive: true, force: true });
    untrackTemp(this.dir);
  }
}

