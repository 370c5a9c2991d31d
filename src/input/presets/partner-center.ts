/**
 * Partner Center export layouts: the legacy licence-based
 * reconciliation file, the new-commerce invoice reconciliation file, and the
 * new-commerce daily-rated usage file. Headers match case-insensitively, with the
 * documented aliases (MPNID, ResellerMpnId, ResellerMPNID).
 */
import { toIsoDate } from './us-date.js';
import type { BoundPreset, CanonValues, Preset } from './types.js';

/** `-1` and `0` mean no reseller; so does the partner's own id (a direct sale). */
export function resellerOf(partner: string, reseller: string): string {
  const r = reseller.trim();
  return r === '' || r === '-1' || r === '0' || r === partner.trim() ? '' : r;
}

const at = (rec: string[], i: number): string => (i < 0 ? '' : (rec[i] ?? '').trim());

/**
 * The columns every Partner Center layout shares, bound once: MpnId is the transacting
 * partner, Tier2MpnId (or ResellerMpnId) the reseller, CustomerId the tenant; all lines
 * are CSP. One place for the partner/reseller trap.
 */
function parties(cols: (...names: string[]) => number): { labels: BoundPreset['labels']; map(rec: string[]): CanonValues } {
  const mpn = cols('mpnid');
  const tier2 = cols('tier2mpnid', 'resellermpnid');
  const customer = cols('customerid');
  const country = cols('customercountry');
  return {
    labels: { partner_id: 'MpnId', reseller_id: 'Tier2MpnId', customer_id: 'CustomerId', ...(country >= 0 ? { customer_country: 'CustomerCountry' } : {}) },
    map: (rec) => ({
      partner_id: at(rec, mpn),
      reseller_id: resellerOf(at(rec, mpn), at(rec, tier2)),
      customer_id: at(rec, customer),
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

export const legacyLicense: Preset = {
  name: 'pc-legacy-license',
  description: 'Partner Center legacy licence-based reconciliation file (seat subscriptions)',
  signature: ['syndicationpartnersubscriptionnumber'],
  required: ['mpnid', 'customerid', 'durableofferid', 'chargestartdate', 'chargetype', 'quantity', 'currency'],
  bind(cols): BoundPreset {
    const who = parties(cols);
    const offer = cols('durableofferid');
    const sub = cols('syndicationpartnersubscriptionnumber');
    const start = cols('chargestartdate');
    const type = cols('chargetype');
    const qty = cols('quantity');
    const subtotal = cols('subtotal');
    const amountCol = subtotal >= 0 ? subtotal : cols('amount');
    const currency = cols('currency');
    return {
      name: this.name,
      idFromLine: true,
      labels: { ...who.labels, sku: 'DurableOfferId', subscription_id: 'SyndicationPartnerSubscriptionNumber', date: 'ChargeStartDate', amount: subtotal >= 0 ? 'Subtotal' : 'Amount', currency: 'Currency', quantity: 'Quantity' },
      map: (rec) => ({
        ...who.map(rec),
        date: toIsoDate(at(rec, start), 'M/D/YYYY'),
        sku: at(rec, offer),
        subscription_id: at(rec, sub),
        amount: at(rec, amountCol),
        currency: at(rec, currency),
      }),
      billing: (rec) => ({
        subscription: at(rec, sub),
        cycleStart: toIsoDate(at(rec, start), 'M/D/YYYY'),
        quantity: at(rec, qty),
        amount: at(rec, amountCol),
        chargeType: at(rec, type),
        labels: { cycleStart: 'ChargeStartDate', quantity: 'Quantity', amount: subtotal >= 0 ? 'Subtotal' : 'Amount', chargeType: 'ChargeType' },
      }),
    };
  },
};

export const nceInvoice: Preset = {
  name: 'pc-nce-invoice',
  description: 'Partner Center new-commerce invoice reconciliation file (seats and one-time)',
  signature: ['billablequantity', 'termandbillingcycle'],
  required: ['mpnid', 'customerid', 'productid', 'skuid', 'subscriptionid', 'orderdate', 'chargestartdate', 'chargetype', 'billablequantity', 'subtotal', 'currency'],
  bind(cols): BoundPreset {
    const who = parties(cols);
    const product = cols('productid');
    const sku = cols('skuid');
    const sub = cols('subscriptionid');
    const orderDate = cols('orderdate');
    const start = cols('chargestartdate');
    const type = cols('chargetype');
    const qty = cols('billablequantity');
    const subtotal = cols('subtotal');
    const currency = cols('currency');
    return {
      name: this.name,
      idFromLine: true,
      labels: { ...who.labels, sku: 'ProductId:SkuId', subscription_id: 'SubscriptionId', date: 'OrderDate', amount: 'Subtotal', currency: 'Currency', quantity: 'BillableQuantity' },
      map: (rec) => ({
        ...who.map(rec),
        date: toIsoDate(at(rec, orderDate), 'M/D/YYYY'),
        sku: productKey(rec, product, sku),
        subscription_id: at(rec, sub),
        amount: at(rec, subtotal),
        currency: at(rec, currency),
      }),
      billing: (rec) => ({
        subscription: at(rec, sub),
        cycleStart: toIsoDate(at(rec, start), 'M/D/YYYY'),
        quantity: at(rec, qty),
        amount: at(rec, subtotal),
        chargeType: at(rec, type),
        labels: { cycleStart: 'ChargeStartDate', quantity: 'BillableQuantity', amount: 'Subtotal', chargeType: 'ChargeType' },
      }),
    };
  },
};

export const nceDailyUsage: Preset = {
  name: 'pc-nce-daily-usage',
  description: 'Partner Center new-commerce daily-rated usage file (Azure plan)',
  signature: ['usagedate', 'meterid'],
  required: ['mpnid', 'customerid', 'productid', 'skuid', 'usagedate', 'billingpretaxtotal', 'billingcurrency'],
  bind(cols): BoundPreset {
    const who = parties(cols);
    const product = cols('productid');
    const sku = cols('skuid');
    const sub = cols('subscriptionid', 'entitlementid');
    const date = cols('usagedate');
    const total = cols('billingpretaxtotal');
    const currency = cols('billingcurrency');
    return {
      name: this.name,
      idFromLine: true,
      labels: { ...who.labels, sku: 'ProductId:SkuId', subscription_id: 'SubscriptionId', date: 'UsageDate', amount: 'BillingPreTaxTotal', currency: 'BillingCurrency' },
      map: (rec) => ({
        ...who.map(rec),
        date: toIsoDate(at(rec, date), 'M/D/YYYY'),
        sku: productKey(rec, product, sku),
        subscription_id: at(rec, sub),
        amount: at(rec, total),
        currency: at(rec, currency),
      }),
    };
  },
};
