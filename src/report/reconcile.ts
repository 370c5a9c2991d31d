/**
 * incent reconcile's outputs: JSON (schemaVersion 1), CSV (an item a line), a table for
 * people, and an HTML dispute pack per partner. Words are made here from the items'
 * data; nothing is decided here.
 */
import { exactText, formatMoney, minorUnits, type Decimal } from '../money/index.js';
import type { TraceEvent } from '../engine/trace.js';
import type { Reconciliation } from '../reconcile/match.js';
import type { CampaignReconciliation, Item, PartnerReconciliation } from '../reconcile/match.js';
import { csvLine } from '../csv-cells.js';
import { renderTable } from './text-table.js';

export const RECONCILE_SCHEMA_VERSION = 1;

/** Money with at least the currency's minor digits, and every digit it has beyond them (amounts are compared exactly). */
export function moneyText(d: Decimal, currency: string): string {
  return d.decimalPlaces() > minorUnits(currency) ? exactText(d) : formatMoney(d, currency);
}

const money = (d: Decimal | null, currency: string) => (d === null ? null : moneyText(d, currency));

/** A row's arithmetic as explain tells it, with what a cap took. */
export function rowArithmetic(e: TraceEvent): string {
  const who = e.kind === 'row' ? `${[e.transactionId, e.date, e.customer].filter(Boolean).join(' ')}: ` : '';
  const trim = e.trimmed.isZero() ? '' : `; cap trims ${e.trimmed.negated().toString()}, pays ${e.paid.toString()}`;
  return `${who}${e.detail}${trim}`;
}

function itemJson(i: Item, currency: string) {
  return {
    category: i.categories,
    key: i.key,
    expected: money(i.expected, currency),
    paid: money(i.paid, currency),
    difference: moneyText(i.difference, currency),
    currency,
    incent: {
      rows: i.rows.map((e) => ({
        kind: e.kind,
        status: e.status,
        ...(e.transactionId ? { transactionId: e.transactionId } : {}),
        ...(e.file ? { file: e.file, line: e.line } : {}),
        ...(e.date ? { date: e.date } : {}),
        ...(e.customer ? { customerId: e.customer } : {}),
        ...(e.subscriptionId ? { subscriptionId: e.subscriptionId } : {}),
        ...(e.sku ? { sku: e.sku } : {}),
        ...(e.units !== undefined ? { units: e.units } : {}),
        ...(e.rate ? { rate: exactText(e.rate) } : {}),
        ...(e.fx ? { fx: { rate: exactText(e.fx.rate), source: e.fx.source } } : {}),
        amount: exactText(e.amount),
        paid: exactText(e.paid),
      })),
      arithmetic: [...i.rows.map(rowArithmetic), ...i.notes],
      reason: i.reasons.map((r) => ({ code: r.reason, rows: r.rows })),
    },
    microsoft: {
      earningIds: i.earnings.map((e) => e.earningId),
      lines: i.earnings.flatMap((e) =>
        e.lines.map((l) => ({
          file: l.file,
          line: l.line,
          earningId: l.earningId,
          amount: exactText(e.own.amount),
          currency: e.own.currency,
          ...(l.earningRate ? { earningRate: exactText(l.earningRate) } : {}),
          ...(l.earningExchangeRate ? { earningExchangeRate: exactText(l.earningExchangeRate) } : {}),
          ...(l.quantity ? { quantity: exactText(l.quantity) } : {}),
          ...(l.transactionId ? { transactionId: l.transactionId } : {}),
          ...(l.earningDate ? { earningDate: l.earningDate } : {}),
          ...(l.paymentStatus ? { paymentStatus: l.paymentStatus } : {}),
          ...(l.transactionType ? { transactionType: l.transactionType } : {}),
          ...(l.reasonCode ? { reasonCode: l.reasonCode } : {}),
        })),
      ),
    },
    disputeBy: i.disputeBy,
    deadlinePassed: i.deadlinePassed,
  };
}

function partnerJson(p: PartnerReconciliation, currency: string) {
  return {
    partnerId: p.partnerId,
    ...(p.name ? { name: p.name } : {}),
    ...(p.status ? { status: p.status } : {}),
    expected: moneyText(p.expected, currency),
    paid: moneyText(p.paid, currency),
    difference: moneyText(p.difference, currency),
    counts: p.counts,
    disputeBy: p.disputeBy,
    deadlinePassed: p.deadlinePassed,
    items: p.items.map((i) => itemJson(i, currency)),
  };
}

export function reconcileJson(r: Reconciliation): string {
  return (
    JSON.stringify(
      {
        schemaVersion: RECONCILE_SCHEMA_VERSION,
        asOf: r.asOf,
        campaigns: r.campaigns.map((c) => ({
          id: c.id,
          name: c.name,
          program: c.program,
          currency: c.currency,
          tolerance: exactText(c.tolerance),
          disputeWindowDays: c.disputeWindowDays,
          earnings: { lines: c.lines, earnings: c.earnings },
          partners: c.partners.map((p) => partnerJson(p, c.currency)),
        })),
        otherPrograms: r.otherPrograms,
        files: r.files,
      },
      null,
      2,
    ) + '\n'
  );
}

export const RECONCILE_CSV_HEADER = [
  'campaign_id',
  'program',
  'partner_id',
  'category',
  'level',
  'service',
  'transaction_id',
  'subscription_id',
  'customer_id',
  'sku',
  'month',
  'expected',
  'paid',
  'difference',
  'currency',
  'earning_ids',
  'incent_reasons',
  'dispute_by',
  'deadline_passed',
  'arithmetic',
];

export function reconcileCsv(r: Reconciliation): string {
  let out = csvLine(RECONCILE_CSV_HEADER);
  for (const c of r.campaigns) {
    for (const p of c.partners) {
      for (const i of p.items) {
        const k = i.key;
        out += csvLine([
          c.id,
          c.program,
          p.partnerId,
          i.categories.join(';'),
          k.level,
          k.service ?? '',
          k.transactionId ?? k.transactionIds?.join(';') ?? '',
          k.subscriptionId ?? '',
          k.customerId ?? '',
          k.sku ?? '',
          k.month ?? '',
          money(i.expected, c.currency) ?? '',
          money(i.paid, c.currency) ?? '',
          moneyText(i.difference, c.currency),
          c.currency,
          i.earnings.map((e) => e.earningId).join(';'),
          i.reasons.map((x) => `${x.reason}:${x.rows}`).join(';'),
          i.disputeBy ?? '',
          i.disputeBy ? i.deadlinePassed : '',
          [...i.rows.map(rowArithmetic), ...i.notes].join(' | '),
        ]);
      }
    }
  }
  return out;
}

/** What an item is about, in a few words: its transaction(s), or its key. */
export function itemSubject(i: Item): string {
  const tx = [...new Set(i.rows.map((r) => r.transactionId).filter(Boolean))];
  const k = i.key;
  const what = tx.length ? tx.join('+') : (k.transactionId ?? [k.subscriptionId ?? k.customerId, k.sku, k.month].filter(Boolean).join(' '));
  const earnings = i.earnings.length ? ` (earning ${i.earnings.map((e) => e.earningId).join(', ')})` : '';
  return `${k.service ?? ''}${what ? ` ${what}` : k.level === 'partner' ? ' partner-level lines' : ''}${earnings}`.trim();
}

/** Why an item stands as it does, in one sentence. */
export function itemWhy(i: Item, currency: string): string {
  const parts: string[] = [];
  if (i.rows.length) parts.push(`incent: ${[...i.rows.map(rowArithmetic), ...i.notes].join('; ')}`);
  if (i.reasons.length)
    parts.push(`incent excluded ${i.reasons.map((r) => `${r.rows} row${r.rows === 1 ? '' : 's'} under this key as ${r.reason}`).join(', ')}`);
  else if (i.categories.includes('UNEXPECTED')) parts.push('incent has no row under this key');
  for (const e of i.earnings) {
    const l = e.lines[0]!;
    const facts = [
      `${moneyText(e.own.amount, e.own.currency)} ${e.own.currency}`,
      l.earningRate ? `rate ${exactText(l.earningRate)}` : '',
      e.lines.every((x) => x.quantity) ? `quantity ${e.lines.map((x) => exactText(x.quantity!)).join('+')}` : '',
      l.earningExchangeRate && l.transactionCurrency !== currency ? `exchange rate ${exactText(l.earningExchangeRate)}` : '',
      l.reasonCode ? `reason "${l.reasonCode}"` : '',
      l.paymentStatus ? `payment ${l.paymentStatus}` : '',
      l.transactionType && l.transactionType.toLowerCase() !== 'purchase' ? `transaction ${l.transactionType}` : '',
    ].filter(Boolean);
    parts.push(`Microsoft ${e.earningId}: ${facts.join(', ')}`);
  }
  return parts.join('. ');
}

function campaignTable(c: CampaignReconciliation, asOf: string): string {
  const out: string[] = [];
  out.push(`${c.name} (${c.id}) · Microsoft program "${c.program}" · ${c.currency} · ${c.earnings} earnings on ${c.lines} lines · deadlines judged on ${asOf}`);
  out.push(
    renderTable(
      [
        { title: 'Partner' },
        { title: 'Expected', align: 'right' },
        { title: 'Paid', align: 'right' },
        { title: 'Difference', align: 'right' },
        { title: 'Matched', align: 'right' },
        { title: 'Open', align: 'right' },
        { title: 'Dispute by' },
      ],
      c.partners.map((p) => [
        `${p.partnerId}${p.name ? ` ${p.name}` : ''}`,
        moneyText(p.expected, c.currency),
        moneyText(p.paid, c.currency),
        moneyText(p.difference, c.currency),
        String(p.counts.MATCHED ?? 0),
        String(p.items.filter((i) => i.open).length),
        p.disputeBy ? `${p.disputeBy}${p.deadlinePassed ? ' (passed)' : ''}` : '',
      ]),
    ).trimEnd(),
  );
  for (const p of c.partners) {
    const shown = p.items.filter((i) => !(i.categories.length === 1 && i.categories[0] === 'MATCHED'));
    if (shown.length === 0) continue;
    out.push('');
    out.push(`${p.partnerId}${p.name ? ` ${p.name}` : ''}:`);
    for (const i of shown) {
      const amounts = `expected ${money(i.expected, c.currency) ?? '-'}, paid ${money(i.paid, c.currency) ?? '-'}, difference ${moneyText(i.difference, c.currency)}`;
      const by = i.open && i.disputeBy ? `; dispute by ${i.disputeBy}${i.deadlinePassed ? ' (passed)' : ''}` : '';
      out.push(`  ${i.categories.join(', ')}  ${itemSubject(i)}: ${amounts}${by}`);
      out.push(`      ${itemWhy(i, c.currency)}`);
    }
  }
  return out.join('\n');
}

export function reconcileTable(r: Reconciliation): string {
  const parts = r.campaigns.map((c) => campaignTable(c, r.asOf));
  if (r.otherPrograms.lines) {
    parts.push(
      `${r.otherPrograms.lines} line${r.otherPrograms.lines === 1 ? '' : 's'} of other programs not compared: ${Object.entries(r.otherPrograms.programs)
        .map(([p, n]) => `${p} (${n})`)
        .join(', ')}`,
    );
  }
  return parts.join('\n\n') + '\n';
}
