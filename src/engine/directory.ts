/**
 * What transactions.csv says about customers and subscriptions, for campaigns that pay
 * on usage: usage.csv rows carry no partner, so their subscription (or customer) says
 * who transacts them, what SKU and licence program they are, and the customer's
 * country and flags. Memory follows customers and subscriptions, not rows.
 */
import type { TxRow } from './types.js';

export interface SubscriptionFacts {
  partnerId: string;
  resellerId: string;
  customerId: string;
  sku: string;
  type: string;
  program: string;
}

export interface CustomerFacts {
  country: string;
  flags: Set<string> | null;
  partners: Set<string>;
  resellers: Set<string>;
  /** First subscription seen per SKU. */
  subscriptionBySku: Map<string, string>;
}

export class Directory {
  readonly subscriptions = new Map<string, SubscriptionFacts>();
  readonly customers = new Map<string, CustomerFacts>();

  add(r: TxRow): void {
    let c = this.customers.get(r.customerId);
    if (!c) {
      c = { country: r.country, flags: null, partners: new Set(), resellers: new Set(), subscriptionBySku: new Map() };
      this.customers.set(r.customerId, c);
    }
    if (!c.country && r.country) c.country = r.country;
    if (r.flags) for (const f of r.flags) (c.flags ??= new Set()).add(f);
    c.partners.add(r.partnerId);
    if (r.resellerId) c.resellers.add(r.resellerId);
    if (r.subscriptionId) {
      if (!c.subscriptionBySku.has(r.sku)) c.subscriptionBySku.set(r.sku, r.subscriptionId);
      if (!this.subscriptions.has(r.subscriptionId)) {
        this.subscriptions.set(r.subscriptionId, {
          partnerId: r.partnerId,
          resellerId: r.resellerId,
          customerId: r.customerId,
          sku: r.sku,
          type: r.subscriptionType,
          program: r.licenseProgram,
        });
      }
    }
  }
}
