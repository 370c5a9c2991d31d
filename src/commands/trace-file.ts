/**
 * calc --explain FILE: the trace of every row of every partner, written to FILE as CSV
 * or JSON Lines (by extension), whole or not at all. The input is read once: a row a
 * campaign excludes before it accumulates (credit, filters, gates) is written as it is
 * read; the other rows are spooled compactly to a temporary file and written after the
 * run, when their customers' and services' verdicts are known. For a partner whose pay
 * a cap trimmed, the trims come from the allocator's streaming strategy
 * (engine/allocate-buckets.ts): memory follows partners, services and days, not rows.
 */
import { trackTemp, untrackTemp } from '../temp-files.js';
import { tempNameFor } from '../atomic-write.js';
import { renameSync, rmSync, unlink } from 'node:fs';
import type { Evaluator, RowInputError } from '../engine/evaluate.js';
import type { TxRow } from '../engine/types.js';
import { exactText, ScaledSum, ZERO } from '../money/index.js';
import type { AtOnce, TraceEvent } from '../engine/trace.js';
import { allocate } from '../engine/allocate.js';
import { amountOf, BucketAllocator } from '../engine/allocate-buckets.js';
import type { SettledCampaign } from '../engine/verdicts.js';
import { csvLine } from '../csv-cells.js';
import { CSV_PARTS, JSON_PARTS, TRACE_CSV_HEADER, traceCsvLine, traceJson } from '../report/trace.js';
import type { Run } from './inputs.js';
import { Out, type Spool, type Spooled } from './trace-spool.js';
import { ByteSpool } from './trace-spool-bytes.js';
import { ExcludedLines } from './trace-excluded-csv.js';
import { ExcludedJsonLines } from './trace-excluded-json.js';

const key = (c: string, p: string) => `${c}\u0000${p}`;

/**
 * Puts `tmp` in place of `file`. Renaming over a large file costs here (ext4 allocates
 * the new file's blocks at once, and frees the old one's inside the rename: ~0.1 s each
 * per 200 MB), so the old file steps aside first, the new one takes its name, and the
 * old one is let go in the background. FILE is never partly written: it is the old
 * file, then (for an instant) absent, then the new one; if the new one cannot take the
 * name, the old one is put back.
 */
function replace(tmp: string, file: string): void {
  const old = `${tmp}.old`;
  let moved = false;
  try {
    renameSync(file, old);
    moved = true;
  } catch {
    // nothing to replace
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    if (moved) renameSync(old, file);
    throw e;
  }
  if (moved) {
    trackTemp(old);
    unlink(old, () => untrackTemp(old));
  }
}

/**
 * calc --explain FILE. Open it before the run and hand `onRow` to computeRun; then
 * `finish(run)` writes the rest and puts FILE in place, or `abort()` leaves nothing.
 */
export class TraceFile {
  private readonly json: boolean;
  private readonly tmp: string;
  private readonly out: Out;
  private readonly spool: Spool;

  constructor(readonly file: string) {
    this.json = /\.jsonl?$/i.test(file);
    this.tmp = trackTemp(tempNameFor(file));
    this.out = new Out(this.tmp);
    this.spool = new ByteSpool(this.out, this.json ? JSON_PARTS : CSV_PARTS);
    if (!this.json) this.out.write(csvLine(TRACE_CSV_HEADER));
    this.tell = {
      excluded: this.json ? new ExcludedJsonLines(this.out).write : new ExcludedLines(this.out).write,
      pending: (p) => this.spool.add(p),
    };
  }

  /** Rows excluded at once: their lines (CSV or JSON) are written as bytes straight from their fields. */
  private readonly tell: AtOnce;

  readonly emit = (e: Spooled): void => {
    if (e.heldAt !== undefined) this.spool.writeHeld(e);
    else this.out.write(this.json ? JSON.stringify(traceJson(e)) + '\n' : traceCsvLine(e));
  };

  /** For computeRun: adds each transactions row as it is read, telling what it can at once. */
  readonly onRow = (row: TxRow, file: string, ev: Evaluator): RowInputError | null => ev.addTelling(row, file, this.tell);

  async finish(run: Run): Promise<void> {
    try {
      await writeRest(run, this.spool, this.emit);
      await this.out.close();
      replace(this.tmp, this.file);
      untrackTemp(this.tmp);
    } catch (e) {
      this.abort();
      throw e;
    } finally {
      this.spool.dispose();
    }
  }

  abort(): void {
    this.out.abandon();
    rmSync(this.tmp, { force: true });
    untrackTemp(this.tmp);
    this.spool.dispose();
  }
}

/**
 * After the run: the spooled rows, usage rows, and every partner's summary lines.
 * One pass over the spool writes every row of a partner no cap touches (a CSV row is
 * its cut cells joined with its verdict: no event is built) and hands the capped
 * partners' rows to their allocator (engine/allocate-buckets.ts) to be summed; a second
 * pass over the capped partners' rows writes them with the trims the allocator planned
 * (only the rows of a day a cap cuts partway wait in memory).
 */
async function writeRest(run: Run, spool: Spool, emit: (e: TraceEvent) => void): Promise<void> {
  const runs = new Map<string, SettledCampaign>(run.ev.settled.map((cr) => [cr.c.id, cr]));
  /** Per campaign, its capped partners' allocators. */
  const capped = new Map<string, Map<string, BucketAllocator>>();
  for (const cr of runs.values()) {
    const mine = new Map<string, BucketAllocator>();
    for (const [partner, v] of cr.verdicts) {
      if (v.result.total.lt(v.result.subtotal) || v.result.services.some((s) => s.amount.lt(s.earned))) mine.set(partner, new BucketAllocator());
    }
    capped.set(cr.c.id, mine);
  }
  const allocatorOf = (c: string, p: string) => capped.get(c)?.get(p);
  const isCapped = (c: string, p: string) => allocatorOf(c, p) !== undefined;
  const sums = new Map<string, Map<string, ScaledSum>>();
  /** What an uncapped partner's rows of a service paid (rows of one partner and service come in runs: the last is kept). */
  let last = { campaign: '', partner: '', service: '', sum: new ScaledSum() };
  const sumOf = (campaign: string, partner: string, service: string) => {
    if (campaign === last.campaign && partner === last.partner && service === last.service) return last.sum;
    const k = key(campaign, partner);
    let m = sums.get(k);
    if (!m) sums.set(k, (m = new Map()));
    let sum = m.get(service);
    if (!sum) m.set(service, (sum = new ScaledSum()));
    last = { campaign, partner, service, sum };
    return sum;
  };
  /** The settled campaign and the allocator (if capped) of the last row's campaign and partner. */
  const seen = { campaign: '', partner: '', cr: undefined as unknown as SettledCampaign, allocator: undefined as BucketAllocator | undefined };
  const see = (campaign: string, partner: string) => {
    if (campaign !== seen.campaign || partner !== seen.partner) {
      seen.campaign = campaign;
      seen.partner = partner;
      seen.cr = runs.get(campaign)!;
      seen.allocator = allocatorOf(campaign, partner);
    }
    return seen;
  };

  // A capped partner none of whose spooled rows is excluded after all: its allocator takes the sums the spool kept.
  const summed = new Set<string>();
  for (const [campaign, mine] of capped) {
    const cr = runs.get(campaign)!;
    for (const [partner, allocator] of mine) {
      if (!cr.excludesAfterAll(partner) && spool.sumsOf(campaign, partner, allocator)) summed.add(key(campaign, partner));
    }
  }
  const fromSpool = (c: string, p: string) => !summed.has(key(c, p));
  // Pass 1 over the spooled rows: write every row of uncapped partners; other capped partners' earning rows go to their allocator (all their rows are written in pass 2).
  if (!spool.coveredBy((c, p) => summed.has(key(c, p))))
    await spool.replay((r) => {
      const { cr, allocator } = see(r.campaign, r.partner);
      const x = cr.exclusionAt(r.service, r.slot);
      if (allocator) {
        if (!x && !r.zero) allocator.add(r.service, r.date, r);
        return undefined;
      }
      if (x) return x;
      if (r.partner !== '' && !r.zero) r.addTo(sumOf(r.campaign, r.partner, r.service));
      return 'untrimmed';
    }, fromSpool);
  // Usage rows (their pay is on customer lines): told by the engine, settled already.
  const usageEvents = (f: (e: TraceEvent) => void, only?: (campaign: string, partner: string) => boolean) =>
    run.replayUsage((row, src) => run.ev.explainUsage(row, src, only).forEach(f));
  await usageEvents((e) => {
    if (e.amount.isZero() || e.partner === '') return emit(e);
    const allocator = allocatorOf(e.campaign, e.partner);
    if (!allocator) {
      sumOf(e.campaign, e.partner, e.service!).addString(exactText(e.paid));
      return emit(e);
    }
    allocator.add(e.service!, e.date!, amountOf(e));
  });

  // Uncapped partners: their summary items and lines, after what was written.
  for (const cr of runs.values()) {
    for (const [partner, v] of cr.verdicts) {
      if (isCapped(cr.c.id, partner)) continue;
      const items = cr.summaryItems(partner).filter((e) => !e.amount.isZero());
      const paid = new Map([...(sums.get(key(cr.c.id, partner)) ?? new Map<string, ScaledSum>())].map(([service, sum]) => [service, sum.toDecimal()]));
      for (const e of [...items, ...allocate(cr.c.id, cr.c.currency, v.result, items, paid)]) emit(e);
    }
  }
  if (![...capped.values()].some((m) => m.size > 0)) return;

  // Capped partners: each allocator plans its trims from its sums.
  for (const [campaign, mine] of capped) {
    const cr = runs.get(campaign)!;
    for (const [partner, allocator] of mine) {
      const summary = cr.summaryItems(partner).filter((e) => !e.amount.isZero());
      allocator.plan(campaign, cr.c.currency, cr.verdicts.get(partner)!.result, summary);
    }
  }

  // Pass 2: capped partners' rows; whole months and days at once, a day cut partway waits.
  await spool.replay((r) => {
    const { cr, allocator } = see(r.campaign, r.partner);
    const x = cr.exclusionAt(r.service, r.slot);
    if (x) return x;
    if (r.zero || r.negative) return 'untrimmed';
    const f = allocator!.fate(r.service, r.date);
    if (f === 'untouched') return 'untrimmed';
    if (f === 'gone') return 'gone';
    allocator!.hold(r.held());
    return undefined;
  }, isCapped);
  await usageEvents((e) => {
    if (e.amount.isZero() || e.partner === '') return;
    const allocator = allocatorOf(e.campaign, e.partner);
    if (!allocator) return;
    if (e.amount.isNegative()) return emit(e);
    const f = allocator.fate(e.service!, e.date!);
    if (f === 'untouched') return emit(e);
    if (f === 'gone') return emit({ ...e, trimmed: e.amount.negated(), paid: ZERO });
    allocator.hold(e);
  }, isCapped);
  for (const mine of capped.values()) for (const allocator of mine.values()) allocator.rest().forEach(emit);
}
