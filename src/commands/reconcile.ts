/**
 * incent reconcile: computes the campaigns that have a `reconcile:` block, reads
 * Microsoft's earnings export, and compares them item by item (src/reconcile/match.ts).
 * The incent side is the engine's decisions (decisions.ts); nothing is derived again.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { today } from '../dates.js';
import { writeAtomic } from '../atomic-write.js';
import { reconcileCsv, reconcileJson, reconcileTable } from '../report/reconcile.js';
import { disputePack } from '../report/dispute-pack.js';
import { InvalidInputError } from '../diagnostics.js';
import { expandGlob, stdinFile } from '../input/data.js';
import { readEarnings } from '../input/earnings.js';
import { linesByCampaign, reconcileCampaign, type ReconcileInput, type Reconciliation } from '../reconcile/match.js';
import { computeRun, type RunOptions, type Warnings } from './inputs.js';
import { decisions } from './decisions.js';

export interface ReconcileOptions extends RunOptions {
  /** Earnings export files or globs; `-` is standard input. */
  earnings: string[];
  /** The day dispute deadlines are judged on (default: today). */
  judgeOn?: string;
}

export async function reconcile(opts: ReconcileOptions, warnings: Warnings): Promise<Reconciliation> {
  const stdinCount = opts.earnings.filter((f) => f === '-').length;
  if (stdinCount > 1)
    throw new InvalidInputError([
      { code: 'BAD_FLAGS', severity: 'error', file: '-', message: 'standard input (-) can be read once', expected: 'one -', found: `${stdinCount}` },
    ]);
  const stdin = stdinCount ? await stdinFile() : undefined;
  const files = opts.earnings.flatMap((f) => (f === '-' ? [stdin!] : expandGlob(f)));
  const run = await computeRun(opts, warnings, true);
  const reconciled = run.campaigns.filter((c) => c.reconcile);
  if (reconciled.length === 0) {
    throw new InvalidInputError([
      {
        code: 'NO_RECONCILE_BLOCK',
        severity: 'error',
        file: opts.rules.join(', '),
        message: `no campaign among ${run.campaigns.map((c) => c.id).join(', ')} says which of Microsoft's programs it is`,
        expected: 'a reconcile: block with program and levers in the campaign file',
        found: 'none',
      },
    ]);
  }
  const earnings = await readEarnings(files, { encoding: opts.encoding, dateFormat: opts.dateFormat });
  const ids = new Set(reconciled.map((c) => c.id));
  const decided = await decisions(run, (campaign) => ids.has(campaign));
  const inputs: ReconcileInput[] = reconciled.map((c) => ({
    campaign: c,
    spec: c.reconcile!,
    partners: [...(decided.get(c.id)?.values() ?? [])].map((d) => ({
      partnerId: d.verdict.result.partnerId,
      name: d.verdict.result.name,
      status: d.verdict.result.status,
      events: d.events,
    })),
  }));
  const { byCampaign, other } = linesByCampaign(inputs, earnings.lines);
  const judgeOn = opts.judgeOn ?? today();
  return {
    asOf: judgeOn,
    campaigns: inputs.map((i) => reconcileCampaign(i, byCampaign.get(i.campaign.id)!, judgeOn)),
    otherPrograms: other,
    files: earnings.files,
  };
}

export type ReconcileFormat = 'table' | 'json' | 'csv' | 'html';

/**
 * The output for stdout (or --out); with `outDir` (html), one dispute pack per partner
 * with an item is written there, each atomically, and the returned text lists them.
 */
export function writeReconciliation(r: Reconciliation, format: ReconcileFormat, outDir?: string): string {
  switch (format) {
    case 'json':
      return reconcileJson(r);
    case 'csv':
      return reconcileCsv(r);
    case 'table':
      return reconcileTable(r);
    case 'html': {
      if (!outDir) return disputePack(r);
      mkdirSync(outDir, { recursive: true });
      const written: string[] = [];
      for (const c of r.campaigns) {
        for (const p of c.partners) {
          const file = join(outDir, `${c.id}-${p.partnerId.replace(/[^A-Za-z0-9._-]/g, '_')}.html`);
          writeAtomic(file, disputePack(r, { campaign: c.id, partner: p.partnerId }));
          written.push(file);
        }
      }
      return written.map((f) => `wrote ${f}\n`).join('');
    }
  }
}
