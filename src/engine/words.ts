/**
 * The values compared, in words: why a row or customer was excluded. Words shared by
 * many rows (a date, a program, a SKU, a gate) are numbered phrases, made once.
 */
import { Decimal, formatMoney } from '../money/index.js';
import { isUsageService, type ServiceDef } from '../campaign/model.js';
import type { Reason } from './reasons.js';
import type { TxRow } from './types.js';
import { type RowVerdict } from './verdicts.js';
import type { CampaignRun } from './run.js';

/** The words for a row dated outside the campaign: one phrase per date, made once (a year has ~400). */
export function sayDate(run: CampaignRun, v: RowVerdict, reason: Reason, date: string): void {
  const cache = reason === 'AFTER_AS_OF' ? run.afterAsOfWords : run.outsideWords;
  let id = cache.get(date);
  if (id === undefined) {
    id = run.phrases.id(
      reason === 'AFTER_AS_OF' ? `dated ${date}, after as_of ${run.asOf}` : `dated ${date}, outside ${run.c.period.start}..${run.c.period.end}`,
    );
    cache.set(date, id);
  }
  v.phrase = id;
  v.detail = run.phrases.texts[id];
}

/** The words for a licence program or subscription type no service takes: one phrase per value. */
export function sayProgram(run: CampaignRun, v: RowVerdict, reason: Reason, value: string): void {
  const cache = reason === 'LICENSE_PROGRAM' ? run.programWords : run.subscriptionWords;
  let id = cache.get(value);
  if (id === undefined) {
    id = run.phrases.id(reason === 'LICENSE_PROGRAM' ? `licence program ${value || '(none)'}` : `subscription type ${value}`);
    cache.set(value, id);
  }
  v.phrase = id;
  v.detail = run.phrases.texts[id];
}

/** The words for a SKU no service pays: one phrase per SKU and service column. */
export function saySku(run: CampaignRun, v: RowVerdict, sku: string, service: string): void {
  let byService = run.skuWords.get(sku);
  if (!byService) run.skuWords.set(sku, (byService = new Map()));
  let id = byService.get(service);
  if (id === undefined) {
    id = run.phrases.id(`SKU ${sku}${service ? ` (service ${service})` : ''} is paid by no service of ${run.c.id}`);
    byService.set(service, id);
  }
  v.phrase = id;
  v.detail = run.phrases.texts[id];
}

export function notCreditedTx(run: CampaignRun, r: TxRow): string {
  const c = run.c;
  if (c.credit === 'transacting_partner') return 'the row has no partner_id';
  if (c.credit === 'reseller') return `no reseller on the row (reseller_id ${r.resellerId || 'empty'})`;
  return noClaim(run, r.customerId, r.date);
}

export function noClaim(run: CampaignRun, customerId: string, date: string): string {
  const types = run.c.claims?.types ?? new Set<string>();
  const claims = run.opts.claims?.onCustomer(types, customerId) ?? [];
  if (claims.length === 0) return `no ${[...types].join('/')} claim on customer ${customerId} in claims.csv`;
  return `no ${[...types].join('/')} claim covers customer ${customerId} on ${date} (claims: ${claims.map((x) => `${x.partnerId} ${x.from}..${x.to ?? 'open'}`).join(', ')})`;
}

/** A failed customer gate in words, with the values compared. */
export function customerDetail(
  run: CampaignRun,
  def: ServiceDef,
  customerId: string,
  reason: Reason,
  units: number,
  revenue: Decimal,
  earliest: string | undefined,
  explicit: boolean | undefined,
): string {
  const c = run.c;
  if (reason === 'CUSTOMER_NOT_NET_NEW') {
    if (explicit === false) return `customer ${customerId} is marked net_new=false for ${def.name}`;
    const [date, id] = (earliest ?? '').split('\u0000');
    return `customer ${customerId} already had ${def.name}: row ${id} on ${date}, before the period starts ${c.period.start}`;
  }
  if (run.paidSeats !== null && (run.paidSeats.get(customerId) ?? 0) < c.claims!.minPaidSeats!) {
    return `customer ${customerId} has ${run.paidSeats.get(customerId) ?? 0} net paid seats on ${run.asOf}; a claimed customer needs at least ${c.claims!.minPaidSeats}`;
  }
  const q = def.qualify;
  if (q?.unitsPerCustomer !== undefined && units < q.unitsPerCustomer) {
    const what = isUsageService(def) ? 'active users' : 'net seats';
    return `customer ${customerId} has ${units} ${what} on ${run.asOf}; needs at least ${q.unitsPerCustomer} (${q.unitsPerCustomer - units} more)`;
  }
  if (q?.revenuePerCustomer !== undefined) {
    return `customer ${customerId} billed ${formatMoney(revenue, c.currency)} ${c.currency} of ${def.name}; needs at least ${formatMoney(q.revenuePerCustomer, c.currency)}`;
  }
  return reason;
}
