/**
 * calc --explain FILE: the trace of every row of every partner, streamed to FILE as CSV
 * or JSON Lines (by extension) during a second read of the inputs. Rows are written as
 * they come; only the earning rows of a partner whose pay a cap trimmed wait in memory
 * (caps trim in date/id order, which needs them all), and summary lines come last.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ZERO, type Decimal } from '../money/index.js';
import { allocate, type TraceEvent } from '../engine/trace.js';
import { csvLine } from '../report/csv.js';
import { TRACE_CSV_HEADER, traceCsvLine, traceJson } from '../report/trace.js';
import type { Run } from './inputs.js';

class Out {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
}

export async function writeTrace(run: Run, file: string): Promise<number> {
  const json = /\.jsonl?$/i.test(file);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  const out = new Out(fd);
  let written = 0;
  const emit = (e: TraceEvent) => {
    written++;
    out.write(json ? JSON.stringify(traceJson(e)) + '\n' : traceCsvLine(e));
  };
  try {
    if (!json) out.write(csvLine(TRACE_CSV_HEADER));
    const key = (c: string, p: string) => `${c}\u0000${p}`;
    const capped = new Set<string>();
    for (const cr of run.ev.campaignRuns) {
      for (const [partner, v] of cr.verdicts) {
        if (v.result.total.lt(v.result.subtotal) || v.result.services.some((s) => s.amount.lt(s.earned))) capped.add(key(cr.c.id, partner));
      }
    }
    const held = new Map<string, TraceEvent[]>();
    const paidBefore = new Map<string, Map<string, Decimal>>();
    const take = (e: TraceEvent) => {
      if (e.amount.isZero() || e.partner === '') return emit(e);
      const k = key(e.campaign, e.partner);
      if (capped.has(k)) {
        let list = held.get(k);
        if (!list) held.set(k, (list = []));
        list.push(e);
        return;
      }
      let sums = paidBefore.get(k);
      if (!sums) paidBefore.set(k, (sums = new Map()));
      sums.set(e.service!, (sums.get(e.service!) ?? ZERO).plus(e.paid));
      emit(e);
    };
    await run.replay(
      (row, f) => run.ev.explainTx(row, f).forEach(take),
      (row, f) => run.ev.explainUsage(row, f).forEach(take),
    );
    for (const cr of run.ev.campaignRuns) {
      for (const [partner, v] of cr.verdicts) {
        const k = key(cr.c.id, partner);
        const items = [...(held.get(k) ?? []), ...cr.summaryItems(partner).filter((e) => !e.amount.isZero())];
        const lines = allocate(cr.c.id, cr.c.currency, v.result, items, capped.has(k) ? new Map() : (paidBefore.get(k) ?? new Map()));
        for (const e of [...items, ...lines]) emit(e);
      }
    }
    out.flush();
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  return written;
}
