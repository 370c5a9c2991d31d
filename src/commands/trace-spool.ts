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

/** A CSV trace's spooled row (refilled per row): its first fields read, its cells sliced from the text only when asked for. */
class CsvRecord implements SpoolRecord {
  campaign = '';
  partner = '';
  service = '';
  date = '';
  transactionId = '';
  status: TraceEvent['status'] = 'earned';
  amountText = '0';
  slot = 0;
  /** The text the cells are in, and where: mid, tail, detail (a shared earning's cells when `shared` is set). */
  text = '';
  at = [0, 0, 0, 0, 0, 0];
  shared: { tail: string; detail: string } | undefined = undefined;

  /** The row's cut cells, made only for a row that is written (a capped partner's first pass only sums). */
  get parts(): CsvParts {
    const [m0, m1, t0, t1, d0, d1] = this.at as [number, number, number, number, number, number];
    const t = this.text;
    return {
      head: pendingHead(this.campaign, this.partner),
      mid: t.slice(m0, m1),
      tail: this.shared ? this.shared.tail : t.slice(t0, t1),
      detail: this.shared ? this.shared.detail : t.slice(d0, d1),
    };
  }

  /** The row's event, its text copied out of the spool's chunk (an event may be held while later chunks are read). */
  event(): Spooled {
    const amount = this.amountText === '0' ? ZERO : new Decimal(this.amountText);
    const p = this.parts;
    const parts = { head: p.head, mid: detach(p.mid), tail: detach(p.tail), detail: detach(p.detail) };
    return {
      kind: 'row',
      campaign: this.campaign,
      partner: detach(this.partner),
      amount,
      trimmed: ZERO,
      paid: amount,
      transactionId: detach(this.transactionId),
      date: detach(this.date),
      service: this.service,
      status: this.status,
      reason: undefined,
      detail: '',
      parts,
      amountText: detach(this.amountText),
    };
  }
}

/** A copy of a string that keeps no larger string alive (a slice of a 1 MiB chunk would keep the chunk). */
function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

/** NUL never occurs in a field: the CSV reader refuses it in inputs, and campaigns are text. */
const SEP = '\u0000';
/** Fields of a spooled CSV row: 10 read at once (campaign .. ref and mid's start), then mid, tail, detail. */
const HEAD_FIELDS = 9;

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
      // The fields a pass decides on come first; the cells it may never write (mid, tail, detail) last, skipped unread when not needed.
      this.out.write(
        `${this.index(p.campaign)}${SEP}${p.partner}${SEP}${p.service}${SEP}${r.date}${SEP}${r.id}${SEP}${g.status}${SEP}${g.amountText}${SEP}${p.slot}${SEP}${ref}${SEP}${pendingMid(p)}${SEP}${tail}${SEP}${detail}${SEP}`,
      );
      return;
    }
    const e = pendingRowEvent(p);
    const slot = p.slot;
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
    const head: string[] = new Array<string>(HEAD_FIELDS).fill('');
    let rest = '';
    for await (const chunk of createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const text = rest + (chunk as string);
      r.text = text;
      let o = 0;
      // One record: HEAD_FIELDS short fields, then mid, tail, detail; an incomplete one waits for the next chunk.
      for (;;) {
        let p = o;
        let i = 0;
        for (; i < HEAD_FIELDS; i++) {
          const e = text.indexOf(SEP, p);
          if (e < 0) break;
          head[i] = text.slice(p, e);
          p = e + 1;
        }
        if (i < HEAD_FIELDS) break;
        const m1 = text.indexOf(SEP, p);
        const t1 = m1 < 0 ? -1 : text.indexOf(SEP, m1 + 1);
        const d1 = t1 < 0 ? -1 : text.indexOf(SEP, t1 + 1);
        if (d1 < 0) break;
        const at = r.at;
        at[0] = p;
        at[1] = m1;
        at[2] = m1 + 1;
        at[3] = t1;
        at[4] = t1 + 1;
        at[5] = d1;
        o = d1 + 1;
        const campaign = names[Number(head[0])]!;
        if (only && !only(campaign, head[1]!)) continue;
        r.campaign = campaign;
        r.partner = head[1]!;
        r.service = head[2]!;
        r.date = head[3]!;
        r.transactionId = head[4]!;
        r.status = head[5] as TraceEvent['status'];
        r.amountText = head[6]!;
        r.slot = Number(head[7]);
        const ref = Number(head[8]);
        r.shared = ref >= 0 ? cells[ref]! : undefined;
        f(r);
      }
      rest = text.slice(o);
    }
  }

  private async replayJson(f: (r: SpoolRecord) => void, only?: (campaign: string, partner: string) => boolean): Promise<void> {
    const names = this.names;
    const decimal = (text: string) => (text === '0' ? ZERO : new Decimal(text));
    type Fields = [
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
