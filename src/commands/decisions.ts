/**
 * The engine's decisions as data, for the partners a command asks about: per campaign
 * and partner, the verdict (services, customers, gates, caps, payout) and every row's
 * event with its share of what is paid after caps. One allocator (engine/trace.ts
 * `allocate`) gives the shares; explain, reconcile and statements read them here and
 * derive nothing again.
 */
import type { PartnerVerdict, SettledCampaign } from '../engine/verdicts.js';
import type { TraceEvent } from '../engine/trace.js';
import { allocate } from '../engine/allocate.js';
import type { Run } from './inputs.js';

export interface PartnerDecisions {
  run: SettledCampaign;
  verdict: PartnerVerdict;
  /** Row events, then summary lines (netting, tier pay, rounding, minimum), caps allocated: `paid` sums to the partner's total. */
  events: TraceEvent[];
}

/** Campaign id -> partner id -> decisions, in the run's campaign order and each partner's row order. */
export type Decisions = Map<string, Map<string, PartnerDecisions>>;

/**
 * Replays the inputs once and gathers the decisions of the (campaign, partner) pairs
 * `wants` accepts. Needs a run made with verdicts kept (computeRun(..., true)).
 */
export async function decisions(run: Run, wants: (campaign: string, partner: string) => boolean): Promise<Decisions> {
  const rows = new Map<string, Map<string, TraceEvent[]>>();
  const push = (e: TraceEvent) => {
    let byPartner = rows.get(e.campaign);
    if (!byPartner) rows.set(e.campaign, (byPartner = new Map()));
    let list = byPartner.get(e.partner);
    if (!list) byPartner.set(e.partner, (list = []));
    list.push(e);
  };
  await run.replay(
    (row, file) => run.ev.explainTx(row, file, wants).forEach(push),
    (row, file) => run.ev.explainUsage(row, file, wants).forEach(push),
  );
  const out: Decisions = new Map();
  for (const cr of run.ev.settled) {
    const byPartner = new Map<string, PartnerDecisions>();
    for (const [partner, verdict] of cr.verdicts) {
      if (!wants(cr.c.id, partner)) continue;
      const events = [...(rows.get(cr.c.id)?.get(partner) ?? []), ...cr.summaryItems(partner)];
      const items = events.filter((e) => !e.amount.isZero());
      const lines = allocate(cr.c.id, cr.c.currency, verdict.result, items);
      byPartner.set(partner, { run: cr, verdict, events: [...events, ...lines] });
    }
    out.set(cr.c.id, byPartner);
  }
  return out;
}
