/**
 * incent explain --partner ID: that partner's story, from the engine's own verdicts:
 * per campaign and service the gates (needed vs reached), the rows that earned (with
 * their arithmetic), the rows excluded grouped by reason with their values, the caps,
 * the minimum and the payout.
 */
import { InvalidInputError } from '../diagnostics.js';
import { formatMoney, ZERO, type Decimal } from '../money/index.js';
import type { TraceEvent } from '../engine/trace.js';
import { csvLine } from '../csv-cells.js';
import { TRACE_CSV_HEADER, traceCsvLine, traceJson } from '../report/trace.js';
import { computeRun, type Run, type RunOptions, type Warnings } from './inputs.js';
import { JSON_VERSION } from '../report/json.js';
import { decisions, type PartnerDecisions } from './decisions.js';

export type ExplainFormat = 'table' | 'json' | 'csv';

export interface ExplainOptions extends RunOptions {
  partner: string;
  customer?: string;
  format: ExplainFormat;
}

/** One campaign's decisions for the partner explained. */
export type CampaignStory = PartnerDecisions;

/** Every campaign's decisions for one partner (see decisions.ts). */
export async function partnerStories(run: Run, partner: string): Promise<CampaignStory[]> {
  const all = await decisions(run, (_c, p) => p === partner);
  return [...all.values()].flatMap((byPartner) => [...byPartner.values()]);
}

export async function explain(opts: ExplainOptions, warnings: Warnings): Promise<string> {
  return explainRun(await computeRun(opts, warnings, true), opts);
}

/** explain on a run already computed with its verdicts kept (payout statement --detail computes one and checks its inputs first). */
export async function explainRun(run: Run, opts: Pick<ExplainOptions, 'partner' | 'customer' | 'format'>): Promise<string> {
  const stories = await partnerStories(run, opts.partner);
  if (stories.length === 0) {
    throw new InvalidInputError([
      {
        code: 'UNKNOWN_PARTNER',
        severity: 'error',
        file: '--partner',
        message: `partner ${opts.partner} is credited with no row of ${run.campaigns.map((c) => c.id).join(', ')}`,
        expected: 'a partner id that appears in calc',
        found: opts.partner,
      },
    ]);
  }
  const keep = (e: TraceEvent) => !opts.customer || e.customer === opts.customer || (e.customer === undefined && e.kind !== 'row');
  switch (opts.format) {
    case 'csv':
      return csvLine(TRACE_CSV_HEADER) + stories.flatMap((s) => s.events.filter(keep).map(traceCsvLine)).join('');
    case 'json':
      return (
        JSON.stringify(
          {
            schemaVersion: JSON_VERSION,
            partnerId: opts.partner,
            ...(opts.customer ? { customerId: opts.customer } : {}),
            campaigns: stories.map((s) => storyJson(s, keep)),
          },
          null,
          2,
        ) + '\n'
      );
    case 'table':
      return stories.map((s) => storyText(s, keep)).join('\n');
  }
}

const sum = (events: readonly TraceEvent[], f: (e: TraceEvent) => Decimal) => events.reduce((a, e) => a.plus(f(e)), ZERO);

function storyJson(s: CampaignStory, keep: (e: TraceEvent) => boolean) {
  const { run, verdict } = s;
  const cur = run.c.currency;
  const r = verdict.result;
  const events = s.events.filter(keep);
  const excluded: Record<string, unknown[]> = {};
  for (const e of events.filter((x) => x.status === 'excluded')) (excluded[e.reason!] ??= []).push(traceJson(e));
  return {
    id: run.c.id,
    name: run.c.name,
    currency: cur,
    status: r.status,
    ...(r.reason ? { reason: r.reason.code, reasonDetail: r.reason.detail } : {}),
    services: [...verdict.services.values()].map((sv) => ({
      service: sv.def.name,
      qualified: sv.result.qualified,
      gate: { customersNeeded: sv.result.customersNeeded, customersReached: sv.result.customers, ...(sv.notQualified ? { why: sv.notQualified } : {}) },
      customers: [...sv.customers.values()]
        .filter((c) => !opts(keep, c.customerId))
        .map((c) => ({
          customerId: c.customerId,
          qualified: c.reason === null,
          ...(c.reason ? { reason: c.reason, detail: c.detail } : {}),
          units: c.units,
          revenue: formatMoney(c.revenue, cur),
        })),
      earned: formatMoney(sv.result.earned, cur),
      amount: formatMoney(sv.result.amount, cur),
      ...(sv.result.cap ? { cap: formatMoney(sv.result.cap, cur) } : {}),
      ...(sv.result.tier ? { tier: sv.result.tier } : {}),
    })),
    earned: events.filter((e) => e.kind === 'row' && e.status === 'earned').map(traceJson),
    counted: events.filter((e) => e.kind === 'row' && e.status === 'counted').map(traceJson),
    excluded,
    lines: events.filter((e) => e.kind !== 'row').map(traceJson),
    total: formatMoney(r.total, cur),
    payout: formatMoney(r.payout, r.payoutCurrency),
    payoutCurrency: r.payoutCurrency,
    ...(r.payoutFx ? { payoutFx: { rate: r.payoutFx.rate.toString(), date: r.payoutFx.date, source: r.payoutFx.source } } : {}),
    ...(r.carriedForward ? { carriedForward: formatMoney(r.carriedForward, cur) } : {}),
    /** What the items above pay, summed: equals total (0 below the minimum). */
    paidByItems: formatMoney(
      sum(s.events, (e) => e.paid),
      cur,
    ),
  };
}

/** true when a customer filter hides this customer. */
function opts(keep: (e: TraceEvent) => boolean, customerId: string): boolean {
  return !keep({ kind: 'row', customer: customerId } as TraceEvent);
}

function storyText(s: CampaignStory, keep: (e: TraceEvent) => boolean): string {
  const { run, verdict } = s;
  const cur = run.c.currency;
  const r = verdict.result;
  const events = s.events.filter(keep);
  const out: string[] = [];
  const money = (d: Decimal) => formatMoney(d, cur);
  out.push(`${r.partnerId}${r.name ? ` ${r.name}` : ''} in ${run.c.name} (${run.c.id}), ${cur}`);
  out.push(
    `  status ${r.status}${r.reason ? ` (${r.reason.code}: ${r.reason.detail})` : ''}; total ${money(r.total)}; payout ${formatMoney(r.payout, r.payoutCurrency)} ${r.payoutCurrency}${r.carriedForward ? `; ${money(r.carriedForward)} carried forward` : ''}`,
  );
  for (const sv of verdict.services.values()) {
    const res = sv.result;
    out.push('');
    const gateText =
      res.customersNeeded > 0
        ? `${res.customers} qualifying customer${res.customers === 1 ? '' : 's'} of ${res.customersNeeded} needed`
        : `${res.customers} qualifying customer${res.customers === 1 ? '' : 's'}`;
    out.push(
      `  ${sv.def.name}: ${res.qualified ? 'qualified' : `not qualified (${sv.notQualified})`}; ${gateText}; earned ${money(res.earned)}${res.cap ? `, cap ${money(res.cap)}` : ''}, amount ${money(res.amount)}`,
    );
    for (const c of [...sv.customers.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : 1))) {
      if (opts(keep, c.customerId)) continue;
      out.push(
        `    ${c.reason === null ? 'ok ' : 'no '} ${c.customerId}: ${c.units} units${c.revenue.isZero() ? '' : `, ${money(c.revenue)} ${cur}`}${c.reason ? ` - ${c.reason}: ${c.detail}` : ''}`,
      );
    }
    for (const e of events.filter((x) => x.service === sv.def.name && (x.status === 'earned' || x.status === 'adjustment' || x.status === 'rounding'))) {
      const trim = e.trimmed.isZero() ? '' : `, cap trims ${e.trimmed.negated().toString()}`;
      // Summary lines (customer, service) say who they are about in their own words.
      const who = e.kind === 'row' ? `${[e.transactionId, e.date, e.customer].filter(Boolean).join(' ')}: ` : '';
      out.push(`      ${who}${e.detail}; paid ${e.paid.toString()}${trim}`);
    }
  }
  const excluded = events.filter((e) => e.status === 'excluded');
  if (excluded.length) {
    out.push('');
    out.push(`  excluded rows: ${excluded.length}`);
    const byReason = new Map<string, TraceEvent[]>();
    for (const e of excluded) byReason.set(e.reason!, [...(byReason.get(e.reason!) ?? []), e]);
    for (const [reason, list] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
      out.push(`    ${reason} (${list.length})`);
      for (const e of list)
        out.push(`      ${[e.transactionId ?? `${e.file ?? ''}:${e.line ?? ''}`, e.date, e.customer].filter(Boolean).join(' ')}: ${e.detail}`);
    }
  }
  const partnerLines = events.filter((e) => e.kind === 'partner');
  for (const e of partnerLines) out.push(`  ${e.detail}`);
  if (r.total.lt(r.subtotal)) out.push(`  campaign cap ${money(run.c.cap!)}: ${money(r.subtotal)} -> ${money(r.total)}, trimmed from the latest rows`);
  out.push(`  the items above pay ${money(sum(s.events, (e) => e.paid))} ${cur}`);
  return out.join('\n') + '\n';
}
