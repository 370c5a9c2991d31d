/**
 * calc --explain FILE: the trace of every row of every partner, written to FILE as CSV
 * or JSON Lines (by extension), whole or not at all. The input is read once: a row a
 * campaign excludes before it accumulates (credit, filters, gates) is written as it is
 * read; the other rows are spooled compactly to a temporary file and written after the
 * run, when their customers' and services' verdicts are known. For a partner whose pay
 * a cap trimmed (caps trim by date, then transaction id, latest first), the trims are
 * worked out from per-month sums, then per-day sums inside the months a cap cuts
 * partway, over the spooled rows; only the rows of a day a cap cuts partway wait in
 * memory, to be ordered by id. Memory follows partners, services and months, not rows.
 */
import { trackTemp, untrackTemp } from '../temp-files.js';
import { tempNameFor } from '../report/write.js';
import { renameSync, rmSync, unlink } from 'node:fs';
import type { Evaluator } from '../engine/evaluate.js';
import type { TxRow } from '../engine/types.js';
import { Decimal, exactText, ScaledSum, ZERO } from '../money/index.js';
import { allocate, excludedTo, order, trimLatest, type AtOnce, type TraceEvent } from '../engine/trace.js';
import type { CampaignRun } from '../engine/evaluate.js';
import { csvCell, csvLine } from '../report/csv.js';
import { TRACE_CSV_HEADER, traceCsvExcluded, traceCsvFromParts, traceCsvLine, traceJson } from '../report/trace.js';
import type { Run } from './inputs.js';
import { Out, Spool, type SpoolRecord, type Spooled } from './trace-spool.js';

/** A bucket's positive items, and what each cap takes from them. */
interface Cut {
  positive: Decimal;
  serviceTrim: Decimal;
  campaignTrim: Decimal;
}

/**
 * What a capped partner's trims are before its rows are written: per service and month
 * first (few buckets), then per day inside the months a cap cuts partway; only the rows
 * of a day cut partway wait in memory, to be ordered by id.
 */
interface CapPlan {
  months: Map<string, Map<string, Cut>>;
  days: Map<string, Map<string, Cut>>;
  /** Summary items and the lines (rounding, minimum) with their trims already set. */
  tail: TraceEvent[];
  held: TraceEvent[];
  /** Each bucket's fate, worked out once (buckets do not change after planning): by service, then month or day. */
  monthFates: Map<string, Map<string, Fate>>;
  dayFates: Map<string, Map<string, Fate>>;
}

type Fate = 'untouched' | 'gone' | 'partial';

/** Total over services of a bucket's campaign trim, and of what the service caps leave of it. */
function across(buckets: Map<string, Map<string, Cut>>, b: string): { campaignTrim: Decimal; remaining: Decimal } {
  let campaignTrim = ZERO;
  let remaining = ZERO;
  for (const m of buckets.values()) {
    const c = m.get(b);
    if (!c) continue;
    campaignTrim = campaignTrim.plus(c.campaignTrim);
    remaining = remaining.plus(c.positive.minus(c.serviceTrim));
  }
  return { campaignTrim, remaining };
}

/** untouched, gone (every item loses all), or partial (items must be looked at one by one). */
function fate(buckets: Map<string, Map<string, Cut>>, service: string, b: string): Fate {
  const c = buckets.get(service)?.get(b);
  if (!c) return 'untouched';
  const all = across(buckets, b);
  if (c.serviceTrim.isZero() && all.campaignTrim.isZero()) return 'untouched';
  if (c.serviceTrim.eq(c.positive) && all.campaignTrim.isZero()) return 'gone';
  if (!all.campaignTrim.isZero() && all.campaignTrim.eq(all.remaining)) return 'gone';
  return 'partial';
}

/** A bucket's fate in a finished plan, worked out once per service and bucket. */
function planFate(memo: Map<string, Map<string, Fate>>, buckets: Map<string, Map<string, Cut>>, service: string, b: string): Fate {
  let byBucket = memo.get(service);
  if (!byBucket) memo.set(service, (byBucket = new Map()));
  let f = byBucket.get(b);
  if (f === undefined) byBucket.set(b, (f = fate(buckets, service, b)));
  return f;
}

/** Spreads a month's trims over its days, latest day first: the service cap's, then the campaign cap's. */
function spreadToDays(plan: CapPlan, month: string): void {
  for (const [service, days] of plan.days) {
    const cut = plan.months.get(service)?.get(month);
    let left = cut?.serviceTrim ?? ZERO;
    for (const day of [...days.keys()]
      .filter((d) => d.startsWith(month))
      .sort()
      .reverse()) {
      const c = days.get(day)!;
      const take = c.positive.lt(left) ? c.positive : left;
      c.serviceTrim = take;
      left = left.minus(take);
    }
  }
  let left = across(plan.months, month).campaignTrim;
  const allDays = new Set<string>();
  for (const days of plan.days.values()) for (const d of days.keys()) if (d.startsWith(month)) allDays.add(d);
  for (const day of [...allDays].sort().reverse()) {
    // Within a day the campaign cap takes from the services by id later; here only its total matters.
    let dayLeft = ZERO;
    for (const days of plan.days.values()) {
      const c = days.get(day);
      if (c) dayLeft = dayLeft.plus(c.positive.minus(c.serviceTrim));
    }
    let take = dayLeft.lt(left) ? dayLeft : left;
    left = left.minus(take);
    for (const days of plan.days.values()) {
      const c = days.get(day);
      if (!c) continue;
      const room = c.positive.minus(c.serviceTrim);
      const t = room.lt(take) ? room : take;
      c.campaignTrim = t;
      take = take.minus(t);
    }
  }
}

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
  private written = 0;

  constructor(readonly file: string) {
    this.json = /\.jsonl?$/i.test(file);
    this.spool = new Spool(!this.json);
    this.tmp = trackTemp(tempNameFor(file));
    this.out = new Out(this.tmp);
    if (!this.json) this.out.write(csvLine(TRACE_CSV_HEADER));
    this.tell = {
      excluded: this.json
        ? excludedTo(this.emit)
        : (campaign, partner, service, reason, detail, phrase, r, file) => {
            this.written++;
            this.out.write(traceCsvExcluded(campaign, partner, service, reason, detail, phrase, r, file, this.quoted));
          },
      pending: (p) => this.spool.add(p),
    };
  }

  /** Phrases (shared words of rows excluded at once) quoted for CSV, by number. */
  private readonly quoted: string[] = [];
  /** Rows excluded at once; CSV lines are written straight from their fields. */
  private readonly tell: AtOnce;

  readonly emit = (e: Spooled): void => {
    this.written++;
    if (this.json) this.out.write(JSON.stringify(traceJson(e)) + '\n');
    else if (e.parts) this.out.write(traceCsvFromParts(e.parts, e, e.trimmed.isZero() ? e.amountText : undefined));
    else this.out.write(traceCsvLine(e));
  };

  /** For computeRun: adds each transactions row as it is read, telling what it can at once. */
  readonly onRow = (row: TxRow, file: string, ev: Evaluator): void => ev.addTelling(row, file, this.tell);

  async finish(run: Run): Promise<number> {
    try {
      await writeRest(run, this.spool, this.emit, (line) => {
        this.written++;
        this.out.write(line);
      });
      this.out.close();
      replace(this.tmp, this.file);
      untrackTemp(this.tmp);
      return this.written;
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

/** A sum kept as exact text-parsed micro-units (Decimal only past them). */
function addTo<K>(m: Map<K, ScaledSum>, k: K, amountText: string): void {
  let sum = m.get(k);
  if (!sum) m.set(k, (sum = new ScaledSum()));
  sum.addString(amountText);
}

/**
 * After the run: the spooled rows, usage rows, and every partner's summary lines.
 * One pass over the spool writes every row of a partner no cap touches (a CSV row is
 * its cut cells joined with its verdict: no event is built) and sums the capped
 * partners' positive rows per service, month and day; a second pass over the capped
 * partners' rows only writes them with their trims (explain's allocation, applied to
 * month and day buckets; only the rows of a day a cap cuts partway wait in memory).
 */
async function writeRest(run: Run, spool: Spool, emit: (e: TraceEvent) => void, write: (line: string) => void): Promise<void> {
  const runs = new Map<string, CampaignRun>(run.ev.campaignRuns.map((cr) => [cr.c.id, cr]));
  /** Per campaign, its capped partners' plans (filled after the first pass). */
  const capped = new Map<string, Map<string, CapPlan | null>>();
  for (const cr of runs.values()) {
    const mine = new Map<string, CapPlan | null>();
    for (const [partner, v] of cr.verdicts) {
      if (v.result.total.lt(v.result.subtotal) || v.result.services.some((s) => s.amount.lt(s.earned))) mine.set(partner, null);
    }
    capped.set(cr.c.id, mine);
  }
  const isCapped = (c: string, p: string) => capped.get(c)?.has(p) === true;
  const sums = new Map<string, Map<string, ScaledSum>>();
  /** Capped partners' positive rows per service and month ('' for the negative ones), and per service and day. */
  const monthSums = new Map<string, Map<string, Map<string, ScaledSum>>>();
  const daySums = new Map<string, Map<string, Map<string, ScaledSum>>>();
  const add = (store: Map<string, Map<string, Map<string, ScaledSum>>>, k: string, service: string, bucket: string, amountText: string) => {
    let byService = store.get(k);
    if (!byService) store.set(k, (byService = new Map()));
    let m = byService.get(service);
    if (!m) byService.set(service, (m = new Map()));
    addTo(m, bucket, amountText);
  };
  const addCapped = (k: string, service: string, date: string, amountText: string) => {
    // Negative items are never trimmed: they sum on one undated key.
    if (amountText.startsWith('-')) return add(monthSums, k, service, '', amountText);
    add(monthSums, k, service, date.slice(0, 7), amountText);
    add(daySums, k, service, date, amountText);
  };
  /** A row whose line needs no trim: its cells and its amount as read. */
  const untrimmed = (r: SpoolRecord) => {
    const p = r.parts;
    if (!p) return emit(r.event());
    write(`${p.head}${r.status},${p.mid}${p.tail}${r.amountText},0,${r.amountText},${p.detail}\n`);
  };
  /** A row a cap takes whole: trimmed by its amount, paid 0. */
  const gone = (r: SpoolRecord) => {
    const p = r.parts;
    if (!p) {
      const e = r.event();
      return emit({ ...e, trimmed: e.amount.negated(), paid: ZERO });
    }
    const minus = r.amountText.startsWith('-') ? r.amountText.slice(1) : `-${r.amountText}`;
    write(`${p.head}${r.status},${p.mid}${p.tail}${r.amountText},${minus},0,${p.detail}\n`);
  };
  /** A row its customer's or service's verdict excludes after all. */
  const excluded = (cr: CampaignRun, r: SpoolRecord, x: { reason: string; detail: string }) => {
    const p = r.parts;
    if (!p) return emit(cr.settle(r.event(), r.slot));
    write(`${p.head}excluded,${x.reason}${p.mid},,,,0,0,0,${csvCell(x.detail)}\n`);
  };

  // Pass 1 over the spooled rows: write every row of uncapped partners; sum capped partners' rows per month and day.
  await spool.replay((r) => {
    const cr = runs.get(r.campaign)!;
    const x = cr.exclusionAt(r.service, r.slot);
    if (x) return excluded(cr, r, x);
    if (r.partner === '' || r.amountText === '0') return untrimmed(r);
    const k = key(r.campaign, r.partner);
    if (!isCapped(r.campaign, r.partner)) {
      let m = sums.get(k);
      if (!m) sums.set(k, (m = new Map()));
      addTo(m, r.service, r.amountText);
      return untrimmed(r);
    }
    addCapped(k, r.service, r.date, r.amountText);
  });
  // Usage rows (their pay is on customer lines): told by the engine, settled already.
  const usageEvents = (f: (e: TraceEvent) => void, only?: (campaign: string, partner: string) => boolean) =>
    run.replayUsage((row, src) => run.ev.explainUsage(row, src, only).forEach(f));
  await usageEvents((e) => {
    if (e.amount.isZero() || e.partner === '') return emit(e);
    const k = key(e.campaign, e.partner);
    if (!isCapped(e.campaign, e.partner)) {
      let m = sums.get(k);
      if (!m) sums.set(k, (m = new Map()));
      addTo(m, e.service!, exactText(e.paid));
      return emit(e);
    }
    addCapped(k, e.service!, e.date!, exactText(e.amount));
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

  // Capped partners: explain's allocation, on one item per service and month, then spread over days.
  for (const [campaign, mine] of capped) {
    const cr = runs.get(campaign)!;
    for (const partner of mine.keys()) {
      const k = key(campaign, partner);
      const v = cr.verdicts.get(partner)!;
      const synthetic: TraceEvent[] = [];
      for (const [service, byMonth] of monthSums.get(k) ?? []) {
        for (const [month, sum] of byMonth) {
          const amount = sum.toDecimal();
          synthetic.push({
            kind: 'row',
            campaign,
            partner,
            service,
            date: month || undefined,
            transactionId: month ? '' : undefined,
            status: 'earned',
            detail: '',
            amount,
            trimmed: ZERO,
            paid: amount,
          });
        }
      }
      const summary = cr.summaryItems(partner).filter((e) => !e.amount.isZero());
      const lines = allocate(campaign, cr.c.currency, v.result, [...synthetic, ...summary]);
      const months = new Map<string, Map<string, Cut>>();
      for (const m of synthetic) {
        if (!m.date) continue;
        let byMonth = months.get(m.service!);
        if (!byMonth) months.set(m.service!, (byMonth = new Map()));
        const serviceTrim = (m.serviceTrimmed ?? ZERO).negated();
        byMonth.set(m.date, { positive: m.amount, serviceTrim, campaignTrim: m.trimmed.negated().minus(serviceTrim) });
      }
      const days = new Map<string, Map<string, Cut>>();
      for (const [service, byDay] of daySums.get(k) ?? [])
        days.set(service, new Map([...byDay].map(([day, sum]) => [day, { positive: sum.toDecimal(), serviceTrim: ZERO, campaignTrim: ZERO }])));
      const plan: CapPlan = { months, days, tail: [...summary, ...lines], held: [], monthFates: new Map(), dayFates: new Map() };
      const partial = new Set<string>();
      for (const [service, byMonth] of months) for (const m of byMonth.keys()) if (fate(months, service, m) === 'partial') partial.add(m);
      for (const m of partial) spreadToDays(plan, m);
      mine.set(partner, plan);
    }
  }
  monthSums.clear();
  daySums.clear();

  // Pass 2: capped partners' rows; whole months and days at once, a day cut partway waits.
  const fateOf = (plan: CapPlan, service: string, date: string): Fate => {
    const f = planFate(plan.monthFates, plan.months, service, date.slice(0, 7));
    return f === 'partial' ? planFate(plan.dayFates, plan.days, service, date) : f;
  };
  await spool.replay((r) => {
    if (r.partner === '' || r.amountText === '0') return;
    if (runs.get(r.campaign)!.exclusionAt(r.service, r.slot)) return;
    if (r.amountText.startsWith('-')) return untrimmed(r);
    const plan = capped.get(r.campaign)!.get(r.partner)!;
    const f = fateOf(plan, r.service, r.date);
    if (f === 'untouched') return untrimmed(r);
    if (f === 'gone') return gone(r);
    plan.held.push(r.event());
  }, isCapped);
  await usageEvents((e) => {
    if (e.amount.isZero() || e.partner === '') return;
    const plan = capped.get(e.campaign)?.get(e.partner);
    if (!plan) return;
    if (e.amount.isNegative()) return emit(e);
    const f = fateOf(plan, e.service!, e.date!);
    if (f === 'untouched') return emit(e);
    if (f === 'gone') return emit({ ...e, trimmed: e.amount.negated(), paid: ZERO });
    plan.held.push(e);
  }, isCapped);
  for (const mine of capped.values()) {
    for (const plan of mine.values()) {
      if (!plan) continue;
      // Within a day, the latest id gives first: the service cap, then the campaign cap.
      const byDay = new Map<string, TraceEvent[]>();
      for (const e of plan.held) {
        const list = byDay.get(e.date!);
        if (list) list.push(e);
        else byDay.set(e.date!, [e]);
      }
      for (const [day, list] of byDay) {
        list.sort(order);
        for (const e of list) {
          e.trimmed = ZERO;
          e.paid = e.amount;
        }
        for (const [service, days] of plan.days) {
          const t = days.get(day)?.serviceTrim;
          if (t && !t.isZero())
            trimLatest(
              list.filter((e) => e.service === service),
              t,
            );
        }
        const c = across(plan.days, day).campaignTrim;
        if (!c.isZero()) trimLatest(list, c);
        list.forEach(emit);
      }
      plan.tail.forEach(emit);
    }
  }
}
