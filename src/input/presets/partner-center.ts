/**
 * Partner Center export layouts: the legacy licence-based reconciliation file, the
 * new-commerce invoice reconciliation file, and the new-commerce daily-rated usage file.
 * Headers match case-insensitively, with the documented aliases (MPNID, ResellerMpnId,
 * ResellerMPNID). Per preset, the key columns each counted row needs, the one fallback
 * (legacy: SubscriptionId when SyndicationPartnerSubscriptionNumber is empty), how
 * trials are told, dates and decimals are documented in the README.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { SlashDates } from './us-date.js';
import type { BoundPreset, CanonValues, Preset, PresetContext } from './types.js';

/** `-1` and `0` mean no reseller; so does the partner's own id (a direct sale). */
export function resellerOf(partner: string, reseller: string): string {
  const r = reseller.trim();
  return r === '' || r === '-1' || r === '0' || r === partner.trim() ? '' : r;
}

const at = (rec: string[], i: number): string => (i < 0 ? '' : (rec[i] ?? '').trim());

/**
 * A number as the export writes it, in canonical form: `6.0` is 6; with
 * --decimal-comma, `150,12` is 150.12 and `1.234,50` is 1234.50. Anything else is
 * returned as it is, for validation to report.
 */
export function exportNumber(text: string, decimalComma: boolean | undefined): string {
  let v = text.trim();
  if (decimalComma) {
    if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(v)) v = v.replace(/\./g, '');
    if (/^[+-]?\d+,\d+$/.test(v)) v = v.replace(',', '.');
  }
  return v;
}

/** A quantity as a whole number of seats: `6` and `6.0` are 6; a fraction (3.1618) is no seat count. */
export function wholeQuantity(text: string): string | null {
  const m = /^([+-]?\d+)(?:\.0+)?$/.exec(text.trim());
  return m ? m[1]! : null;
}

type Cols = (...names: string[]) => number;

/** A required key column left empty on a counted row. */
function keyProblem(file: string, line: number, field: string, message: string, expected: string): Diagnostic {
  return { code: 'INVALID_ROW', severity: 'error', file, line, field, message, expected, found: '(empty)' };
}

/**
 * The columns every Partner Center layout shares, bound once: MpnId is the transacting
 * partner, Tier2MpnId (or ResellerMpnId) the reseller, CustomerId the tenant; all lines
 * are CSP. One place for the partner/reseller trap.
 */
function parties(cols: Cols, ctx: PresetContext): { labels: BoundPreset['labels']; map(rec: string[]): CanonValues } {
  const mpn = cols('mpnid');
  const tier2 = cols('tier2mpnid', 'resellermpnid');
  const customer = cols('customerid');
  const country = cols('customercountry');
  return {
    labels: { partner_id: 'MpnId', reseller_id: 'Tier2MpnId', customer_id: 'CustomerId', ...(country >= 0 ? { customer_country: 'CustomerCountry' } : {}) },
    map: (rec) => ({
      partner_id: at(rec, mpn),
      reseller_id: resellerOf(at(rec, mpn), at(rec, tier2)),
      customer_id: ctx.ids.canon(at(rec, customer)),
      customer_country: at(rec, country),
      license_program: 'CSP',
    }),
  };
}

function productKey(rec: string[], product: number, sku: number): string {
  const p = at(rec, product);
  const s = at(rec, sku);
  return p && s ? `${p}:${s}` : p || s;
}

/** Checks that each key column has a value on the row; `[column index, header label]`. */
function requireKeys(rec: string[], file: string, line: number, keys: readonly [number, string][]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [i, label] of keys)
    if (i >= 0 && at(rec, i) === '')
      out.push(keyProblem(file, line, label, `${label} is empty: the row cannot be counted under an empty key`, `a value for ${label}`));
  return out;
}

export const legacyLicense: Preset = {
  name: 'pc-legacy-license',
  description: 'Partner Center legacy licence-based reconciliation file (seat subscriptions)',
  signature: ['syndicationpartnersubscriptionnumber'],
  required: ['mpnid', 'customerid', 'durableofferid', 'chargestartdate', 'chargetype', 'quantity', 'currency'],
  bind(cols, ctx): BoundPreset {
    const who = parties(cols, ctx);
    const offer = cols('durableofferid');
    const offerName = cols('offername');
    const sub = cols('syndicationpartnersubscriptionnumber');
    const subFallback = cols('subscriptionid');
    const start = cols('chargestartdate');
    const end = cols('chargeenddate');
    const type = cols('chargetype');
    const qty = cols('quantity');
    const subtotal = cols('subtotal');
    const amountCol = subtotal >= 0 ? subtotal : cols('amount');
    const currency = cols('currency');
    const dates = new SlashDates(ctx.dateFormat);
    const customerCol = cols('customerid');
    // The subscription: SyndicationPartnerSubscriptionNumber, or SubscriptionId when it is empty.
    const subscription = (rec: string[]) => ctx.ids.canon(at(rec, sub) || at(rec, subFallback));
    const amount = (rec: string[]) => exportNumber(at(rec, amountCol), ctx.decimalComma);
    return {
      name: this.name,
      idFromLine: true,
      labels: {
        ...who.labels,
        sku: 'DurableOfferId',
        subscription_id: 'SyndicationPartnerSubscriptionNumber',
        date: 'ChargeStartDate',
        amount: subtotal >= 0 ? 'Subtotal' : 'Amount',
        currency: 'Currency',
        quantity: 'Quantity',
      },
      map: (rec) => ({
        ...who.map(rec),
        date: dates.read(at(rec, start)),
        sku: ctx.ids.canon(at(rec, offer)),
        subscription_id: subscription(rec),
        // A legacy trial offer names itself so ("... Trial"); billed lines are otherwise paid.
        subscription_type: /\btrial\b/i.test(at(rec, offerName)) ? 'trial' : 'paid',
        amount: amount(rec),
        currency: at(rec, currency),
      }),
      billing: (rec) => ({
        subscription: subscription(rec),
        customer: ctx.ids.canon(at(rec, customerCol)),
        subscriptionType: /\btrial\b/i.test(at(rec, offerName)) ? 'trial' : 'paid',
        cycleStart: dates.read(at(rec, start)),
        cycleEnd: end >= 0 ? dates.read(at(rec, end)) : '',
        quantity: exportNumber(at(rec, qty), ctx.decimalComma),
        amount: amount(rec),
        chargeType: at(rec, type),
        labels: {
          cycleStart: 'ChargeStartDate',
          quantity: 'Quantity',
          amount: subtotal >= 0 ? 'Subtotal' : 'Amount',
          chargeType: 'ChargeType',
          subscription: 'SyndicationPartnerSubscriptionNumber',
        },
      }),
      rowProblems: (rec, file, line) => {
        const out = requireKeys(rec, file, line, [
          [cols('mpnid'), 'MpnId'],
          [cols('customerid'), 'CustomerId'],
          [offer, 'DurableOfferId'],
          [start, 'ChargeStartDate'],
          [type, 'ChargeType'],
        ]);
        if (at(rec, sub) === '' && at(rec, subFallback) === '') {
          out.push(
            keyProblem(
              file,
              line,
              'SyndicationPartnerSubscriptionNumber',
              'SyndicationPartnerSubscriptionNumber and SubscriptionId are both empty: the row belongs to no subscription',
              'a subscription id in either column',
            ),
          );
        }
        return out;
      },
      dateProblem: (file) => dateDiagnostic(file, dates),
    };
  },
};

/** New-commerce trials: the term says so, or the product qualifiers do. */
const TRIAL_RE = /\btrial\b/i;

export const nceInvoice: Preset = {
  name: 'pc-nce-invoice',
  description: 'Partner Center new-commerce invoice reconciliation file (seats and one-time)',
  signature: ['billablequantity', 'termandbillingcycle'],
  required: [
    'mpnid',
    'customerid',
    'productid',
    'skuid',
    'subscriptionid',
    'orderdate',
    'chargestartdate',
    'chargetype',
    'billablequantity',
    'subtotal',
    'currency',
  ],
  bind(cols, ctx): BoundPreset {
    const who = parties(cols, ctx);
    const product = cols('productid');
    const sku = cols('skuid');
    const sub = cols('subscriptionid');
    const orderDate = cols('orderdate');
    const start = cols('chargestartdate');
    const end = cols('chargeenddate');
    const type = cols('chargetype');
    const qty = cols('billablequantity');
    const subtotal = cols('subtotal');
    const currency = cols('currency');
    const term = cols('termandbillingcycle');
    const qualifiers = cols('productqualifiers');
    const unitPrice = cols('unitprice');
    const dates = new SlashDates(ctx.dateFormat);
    const customerCol = cols('customerid');
    const amount = (rec: string[]) => exportNumber(at(rec, subtotal), ctx.decimalComma);
    const isTrial = (rec: string[]) => TRIAL_RE.test(at(rec, term)) || TRIAL_RE.test(at(rec, qualifiers));
    /** A zero-price line with no term: a trial or a free seat, the file does not say. */
    const untold = (rec: string[]) =>
      !isTrial(rec) && at(rec, term) === '' && /^[+-]?0*(\.0*)?$/.test(exportNumber(at(rec, unitPrice), ctx.decimalComma) || 'x');
    return {
      name: this.name,
      idFromLine: true,
      labels: {
        ...who.labels,
        sku: 'ProductId:SkuId',
        subscription_id: 'SubscriptionId',
        date: 'OrderDate',
        amount: 'Subtotal',
        currency: 'Currency',
        quantity: 'BillableQuantity',
        subscription_type: 'TermAndBillingCycle',
      },
      map: (rec) => ({
        ...who.map(rec),
        date: dates.read(at(rec, orderDate)),
        sku: productKey(rec, product, sku),
        subscription_id: ctx.ids.canon(at(rec, sub)),
        subscription_type: isTrial(rec) ? 'trial' : 'paid',
        amount: amount(rec),
        currency: at(rec, currency),
      }),
      billing: (rec) => ({
        subscription: ctx.ids.canon(at(rec, sub)),
        customer: ctx.ids.canon(at(rec, customerCol)),
        subscriptionType: isTrial(rec) ? 'trial' : 'paid',
        cycleStart: dates.read(at(rec, start)),
        cycleEnd: end >= 0 ? dates.read(at(rec, end)) : '',
        quantity: exportNumber(at(rec, qty), ctx.decimalComma),
        amount: amount(rec),
        chargeType: at(rec, type),
        labels: { cycleStart: 'ChargeStartDate', quantity: 'BillableQuantity', amount: 'Subtotal', chargeType: 'ChargeType', subscription: 'SubscriptionId' },
      }),
      rowProblems: (rec, file, line) => {
        const out = requireKeys(rec, file, line, [
          [cols('mpnid'), 'MpnId'],
          [cols('customerid'), 'CustomerId'],
          [product, 'ProductId'],
          [sku, 'SkuId'],
          [sub, 'SubscriptionId'],
          [orderDate, 'OrderDate'],
          [start, 'ChargeStartDate'],
          [type, 'ChargeType'],
        ]);
        if (untold(rec) && wholeQuantity(at(rec, qty)) !== '0') {
          out.push({
            code: 'INVALID_ROW',
            severity: 'error',
            file,
            line,
            field: 'TermAndBillingCycle',
            message: 'a zero-price line with no TermAndBillingCycle: incent cannot tell whether its seats are a trial or paid',
            expected: 'a TermAndBillingCycle (a trial says "... trial"), or the line set aside with --on-invalid skip',
            found: '(empty)',
          });
        }
        return out;
      },
      dateProblem: (file) => dateDiagnostic(file, dates),
    };
  },
};

export const nceDailyUsage: Preset = {
  name: 'pc-nce-daily-usage',
  description: 'Partner Center new-commerce daily-rated usage file (Azure plan)',
  signature: ['usagedate', 'meterid'],
  required: ['mpnid', 'customerid', 'productid', 'skuid', 'usagedate', 'billingpretaxtotal', 'billingcurrency'],
  bind(cols, ctx): BoundPreset {
    const who = parties(cols, ctx);
    const product = cols('productid');
    const sku = cols('skuid');
    const sub = cols('subscriptionid', 'entitlementid');
    const date = cols('usagedate');
    const total = cols('billingpretaxtotal');
    const currency = cols('billingcurrency');
    const dates = new SlashDates(ctx.dateFormat);
    return {
      name: this.name,
      idFromLine: true,
      labels: {
        ...who.labels,
        sku: 'ProductId:SkuId',
        subscription_id: 'SubscriptionId',
        date: 'UsageDate',
        amount: 'BillingPreTaxTotal',
        currency: 'BillingCurrency',
      },
      map: (rec) => ({
        ...who.map(rec),
        date: dates.read(at(rec, date)),
        sku: productKey(rec, product, sku),
        subscription_id: ctx.ids.canon(at(rec, sub)),
        amount: exportNumber(at(rec, total), ctx.decimalComma),
        currency: at(rec, currency),
      }),
      rowProblems: (rec, file, line) =>
        requireKeys(rec, file, line, [
          [cols('mpnid'), 'MpnId'],
          [cols('customerid'), 'CustomerId'],
          [product, 'ProductId'],
          [sku, 'SkuId'],
          [date, 'UsageDate'],
        ]),
      dateProblem: (file) => dateDiagnostic(file, dates),
    };
  },
};

function dateDiagnostic(file: string, dates: SlashDates): Diagnostic | undefined {
  const p = dates.problem();
  return p && { code: 'AMBIGUOUS_DATES', severity: 'error', file, message: p.message, expected: p.expected, found: p.found };
}
