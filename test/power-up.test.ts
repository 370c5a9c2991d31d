/**
 * CSP Power Up 2017 (seed 000), one hand-computed scenario per rule. Rates are the
 * published maxima: O365 $73 (E3 here), EMS $35; Azure 20% of revenue.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import { FxTable, Decimal } from '../src/money/index.js';
import { registrationKey } from '../src/engine/partner-gates.js';
import type { PartnerInfo, Registration, TxRow } from '../src/engine/types.js';
import { campaignFromYaml, tx } from './helpers.js';

const base = (extra = '', qualifyCustomers = 'at_least: 3') => `
id: pu
currency: USD
period: { start: 2017-02-01, end: 2017-06-30 }
as_of: 2017-09-15
eligible: { license_programs: [CSP], subscription_types: [paid] }
fx: { fixed: { GBP: 1.24 } }
services:
  O365:
    per_unit: { rates: { E3: 73, E1: 20 } }
    qualify: { customers: { ${qualifyCustomers} }, units_per_customer: { at_least: 5 } }
    cap: 25000
  EMS:
    per_unit: { rates: { EMS5: 35 } }
    qualify: { customers: { ${qualifyCustomers} }, units_per_customer: { at_least: 5 } }
    cap: 25000
  Azure:
    percent_of_revenue: { percent: 20, skus: [AZ] }
    qualify: { customers: { ${qualifyCustomers} }, revenue_per_customer: { at_least: 200 } }
    cap: 25000
cap: 50000
minimum_payout: 500
${extra}`;

const campaign = campaignFromYaml(base());

/** Three customers with `seats` E3 seats each on 2017-03-01. */
function threeCustomers(seats = 5, partnerId = 'P1'): TxRow[] {
  return ['C1', 'C2', 'C3'].map((c) => tx({ partnerId, customerId: c, sku: 'E3', quantity: seats }));
}

function run(rows: TxRow[], c = campaign, opts = {}) {
  const r = evaluate([c], rows, opts).campaigns[0]!;
  const p = (id = 'P1') => r.partners.find((x) => x.partnerId === id)!;
  const svc = (name: string, id = 'P1') => p(id).services.find((s) => s.service === name)!;
  return { r, p, svc };
}

describe('period', () => {
  it('counts the first and last day of the period and not the day after', () => {
    const rows = [
      tx({ customerId: 'C1', quantity: 5, date: '2017-02-01' }),
      tx({ customerId: 'C2', quantity: 5, date: '2017-06-30' }),
      tx({ customerId: 'C3', quantity: 5, date: '2017-03-01' }),
      tx({ customerId: 'C4', quantity: 5, date: '2017-07-01' }),
      tx({ customerId: 'C5', quantity: 5, date: '2017-01-31' }),
    ];
    const { r, svc } = run(rows);
    // C1, C2, C3 qualify: 3 x 5 seats x $73 = $1,095.00; C4 is the day after, C5 the day before.
    expect(svc('O365').customers).toBe(3);
    expect(svc('O365').amount.toFixed(2)).toBe('1095.00');
    expect(r.rows.excluded.OUTSIDE_PERIOD).toBe(2);
  });
});

describe('partner gate: at_least vs more_than', () => {
  it('exactly 3 qualifying customers qualify with at_least: 3', () => {
    const { svc, p } = run(threeCustomers(5));
    // 3 customers x 5 seats x $73 = $1,095.00 >= $500 minimum
    expect(svc('O365').qualified).toBe(true);
    expect(p().payout.toFixed(2)).toBe('1095.00');
    expect(p().status).toBe('payable');
  });

  it('exactly 3 qualifying customers do not qualify with more_than: 3', () => {
    const c = campaignFromYaml(base('', 'more_than: 3'));
    const { svc, p, r } = run(threeCustomers(5), c);
    expect(svc('O365').qualified).toBe(false);
    expect(svc('O365').customers).toBe(3);
    expect(svc('O365').amount.toFixed(2)).toBe('0.00');
    expect(p().status).toBe('not_qualified');
    expect(r.rows.excluded.SERVICE_NOT_QUALIFIED).toBe(3);
  });

  it('4 customers qualify with more_than: 3', () => {
    const c = campaignFromYaml(base('', 'more_than: 3'));
    const rows = [...threeCustomers(5), tx({ customerId: 'C4', quantity: 5 })];
    // 4 x 5 x $73 = $1,460.00
    expect(run(rows, c).svc('O365').amount.toFixed(2)).toBe('1460.00');
  });
});

describe('customer gate: seats per customer', () => {
  it('a customer at 4 seats does not qualify, one at 5 does', () => {
    const rows = [...threeCustomers(5), tx({ customerId: 'C4', quantity: 4 })];
    const { svc, r } = run(rows);
    // C1..C3 at 5 seats qualify; C4 at 4 does not: 15 seats x $73 = $1,095.00
    expect(svc('O365').customers).toBe(3);
    expect(svc('O365').units).toBe(15);
    expect(svc('O365').amount.toFixed(2)).toBe('1095.00');
    expect(r.rows.excluded.CUSTOMER_BELOW_MINIMUM).toBe(1);
  });

  it('nets a removal on or before as_of and ignores one after it', () => {
    const rows = [
      ...threeCustomers(6),
      // C1: 6 - 2 (2017-08-01, before as_of 2017-09-15) = 4 seats: below 5
      tx({ customerId: 'C1', quantity: -2, date: '2017-08-01' }),
      // C2: the removal on 2017-09-16 is after as_of: still 6 seats
      tx({ customerId: 'C2', quantity: -6, date: '2017-09-16' }),
      tx({ customerId: 'C4', quantity: 6 }),
    ];
    const { svc, r } = run(rows);
    // C2, C3, C4 qualify with 6 seats each: 18 x $73 = $1,314.00
    expect(svc('O365').customers).toBe(3);
    expect(svc('O365').units).toBe(18);
    expect(svc('O365').amount.toFixed(2)).toBe('1314.00');
    expect(r.rows.excluded.AFTER_AS_OF).toBe(1);
    // C1's two rows (the addition and its removal) are excluded with the customer.
    expect(r.rows.excluded.CUSTOMER_BELOW_MINIMUM).toBe(2);
  });
});

describe('net new', () => {
  it('a customer with paid seats before the period is not net new', () => {
    const rows = [...threeCustomers(5), tx({ customerId: 'C4', quantity: 1, date: '2016-12-01' }), tx({ customerId: 'C4', quantity: 50 })];
    const { svc, r } = run(rows);
    // C4's 50 seats do not count: 3 x 5 x $73 = $1,095.00
    expect(svc('O365').amount.toFixed(2)).toBe('1095.00');
    expect(r.rows.excluded.CUSTOMER_NOT_NET_NEW).toBe(1);
    expect(r.rows.excluded.OUTSIDE_PERIOD).toBe(1);
  });

  it('history with another partner counts; a trial before the period does not', () => {
    const rows = [
      ...threeCustomers(5),
      tx({ partnerId: 'P9', customerId: 'C4', quantity: 3, date: '2016-06-01' }),
      tx({ customerId: 'C4', quantity: 10 }),
      tx({ customerId: 'C5', quantity: 3, date: '2017-01-15', subscriptionType: 'trial' }),
      tx({ customerId: 'C5', quantity: 10 }),
    ];
    const { svc } = run(rows);
    // C4 not net new (P9's seats); C5 is (a trial is not paid): (15 + 10) x $73 = $1,825.00
    expect(svc('O365').customers).toBe(4);
    expect(svc('O365').amount.toFixed(2)).toBe('1825.00');
  });

  it('the net_new column overrides the derived status', () => {
    const rows = [
      ...threeCustomers(5),
      tx({ customerId: 'C4', quantity: 1, date: '2016-12-01' }),
      tx({ customerId: 'C4', quantity: 10, netNew: true }),
      tx({ customerId: 'C3', quantity: 1, netNew: false }),
    ];
    const { svc } = run(rows);
    // C3 declared not net new; C4 declared net new despite history: C1 5 + C2 5 + C4 10 = 20 x $73 = $1,460.00
    expect(svc('O365').customers).toBe(3);
    expect(svc('O365').amount.toFixed(2)).toBe('1460.00');
  });
});

describe('row filters', () => {
  it('excludes Open and Advisor rows and trial subscriptions', () => {
    const rows = [
      ...threeCustomers(5),
      tx({ customerId: 'C4', quantity: 20, licenseProgram: 'Open' }),
      tx({ customerId: 'C5', quantity: 20, licenseProgram: 'Advisor' }),
      tx({ customerId: 'C6', quantity: 20, subscriptionType: 'trial' }),
      tx({ customerId: 'C7', quantity: 20, sku: 'NOT-ON-CARD' }),
    ];
    const { r, svc } = run(rows);
    expect(svc('O365').amount.toFixed(2)).toBe('1095.00');
    expect(r.rows.excluded).toMatchObject({ LICENSE_PROGRAM: 2, SUBSCRIPTION_TYPE: 1, SKU_NOT_ELIGIBLE: 1 });
    expect(r.rows.read).toBe(7);
    expect(r.rows.used).toBe(3);
  });
});

describe('partner gates', () => {
  const c = campaignFromYaml(base('requires: { registration: { deadline: 2017-06-01 }, partner_roles: [direct] }'));
  const partners = new Map<string, PartnerInfo>(
    ['P1', 'P2', 'P3', 'P4'].map((id) => [
      id,
      { partnerId: id, name: id, country: 'US', role: id === 'P4' ? 'indirect_provider' : 'direct', payoutCurrency: '', line: 1 },
    ]),
  );
  const reg = (partnerId: string, registeredOn: string): [string, Registration[]] => [
    registrationKey('pu', partnerId),
    [{ partnerId, campaignId: 'pu', registeredOn, status: 'approved', line: 1 }],
  ];
  const registrations = new Map([reg('P1', '2017-06-01'), reg('P3', '2017-06-02'), reg('P4', '2017-03-01')]);
  const rows = ['P1', 'P2', 'P3', 'P4'].flatMap((p) => threeCustomers(5, p));

  it('pays a partner registered on the deadline; not one unregistered, late, or an indirect provider', () => {
    const { p, r } = run(rows, c, { partners, registrations });
    expect(p('P1').payout.toFixed(2)).toBe('1095.00');
    expect(p('P2')).toMatchObject({ status: 'ineligible', reason: { code: 'PARTNER_NOT_REGISTERED' } });
    expect(p('P3')).toMatchObject({ status: 'ineligible', reason: { code: 'REGISTERED_AFTER_DEADLINE' } });
    expect(p('P4')).toMatchObject({ status: 'ineligible', reason: { code: 'PARTNER_ROLE' } });
    for (const id of ['P2', 'P3', 'P4']) expect(p(id).payout.toFixed(2)).toBe('0.00');
    expect(r.rows.excluded).toMatchObject({ PARTNER_NOT_REGISTERED: 3, REGISTERED_AFTER_DEADLINE: 3, PARTNER_ROLE: 3 });
  });
});

describe('caps and minimum', () => {
  it('caps a service at $25,000', () => {
    // 3 customers x 120 seats x $73 = $26,280.00 earned -> $25,000.00
    const { svc, p } = run(threeCustomers(120));
    expect(svc('O365').earned.toFixed(2)).toBe('26280.00');
    expect(svc('O365').amount.toFixed(2)).toBe('25000.00');
    expect(p().total.toFixed(2)).toBe('25000.00');
  });

  it('caps the campaign at $50,000 across services', () => {
    const rows = [
      ...threeCustomers(120), // O365: $26,280 -> $25,000
      ...['C1', 'C2', 'C3'].map((c) => tx({ customerId: c, sku: 'EMS5', quantity: 250 })), // EMS: 750 x $35 = $26,250 -> $25,000
      ...['C1', 'C2', 'C3'].map((c) => tx({ customerId: c, sku: 'AZ', amount: '1000.00' })), // Azure: 20% x $3,000 = $600
    ];
    const { p } = run(rows);
    // 25,000 + 25,000 + 600 = 50,600 -> campaign cap 50,000
    expect(p().subtotal.toFixed(2)).toBe('50600.00');
    expect(p().total.toFixed(2)).toBe('50000.00');
    expect(p().payout.toFixed(2)).toBe('50000.00');
  });

  it('pays nothing below the $500 minimum', () => {
    // 3 customers x 5 seats x $20 (E1) = $300 < $500
    const rows = ['C1', 'C2', 'C3'].map((c) => tx({ customerId: c, sku: 'E1', quantity: 5 }));
    const { p } = run(rows);
    expect(p().total.toFixed(2)).toBe('300.00');
    expect(p().payout.toFixed(2)).toBe('0.00');
    expect(p().status).toBe('below_minimum');
  });
});

describe('Azure percent of revenue and FX', () => {
  const fx = new FxTable([
    { date: '2017-03-01', from: 'EUR', to: 'USD', rate: new Decimal('1.0600') },
    { date: '2017-04-01', from: 'EUR', to: 'USD', rate: new Decimal('1.0800') },
  ]);

  it('converts GBP at the fixed 1.24 and EUR through fx.csv at the row date', () => {
    const rows = [
      tx({ customerId: 'C1', sku: 'AZ', amount: '1000.00', currency: 'USD' }),
      // £500 x 1.24 = $620.00
      tx({ customerId: 'C2', sku: 'AZ', amount: '500.00', currency: 'GBP' }),
      // €400 on 2017-03-20 uses the 2017-03-01 rate 1.06 = $424.00 (the 2017-04-01 rate is later)
      tx({ customerId: 'C3', sku: 'AZ', amount: '400.00', currency: 'EUR', date: '2017-03-20' }),
      // C4: €150 on 2017-04-02 x 1.08 = $162.00 < $200: does not qualify
      tx({ customerId: 'C4', sku: 'AZ', amount: '150.00', currency: 'EUR', date: '2017-04-02' }),
    ];
    const { svc, r } = run(rows, campaign, { fx });
    // revenue 1000 + 620 + 424 = 2044.00; 20% = 408.80
    expect(svc('Azure').revenue.toFixed(2)).toBe('2044.00');
    expect(svc('Azure').amount.toFixed(2)).toBe('408.80');
    expect(r.rows.excluded.CUSTOMER_BELOW_MINIMUM).toBe(1);
  });

  it('a customer at exactly $200 qualifies and credits net', () => {
    const rows = [
      tx({ customerId: 'C1', sku: 'AZ', amount: '250.00' }),
      tx({ customerId: 'C1', sku: 'AZ', amount: '-50.00' }),
      tx({ customerId: 'C2', sku: 'AZ', amount: '200' }),
      tx({ customerId: 'C3', sku: 'AZ', amount: '199.99' }),
      tx({ customerId: 'C4', sku: 'AZ', amount: '300.005' }),
    ];
    const { svc } = run(rows);
    // C1 250 - 50 = 200; C2 200; C4 300.005; C3 199.99 is below. 700.005 x 20% = 140.001 -> 140.00
    expect(svc('Azure').customers).toBe(3);
    expect(svc('Azure').earned.toFixed(3)).toBe('140.000');
  });

  it('a missing FX rate is an error naming the pair and the day', () => {
    const rows = [tx({ customerId: 'C1', sku: 'AZ', amount: '100.00', currency: 'EUR', date: '2017-02-15' })];
    expect(() => run(rows, campaign, { fx })).toThrow(/EUR->USD for 2017-02-15/);
  });
});

describe('rounding', () => {
  it('rounds once per service, half_up vs half_even', () => {
    const yaml = (mode: string) => base(`rounding: ${mode}`).replace('percent: 20', 'percent: 12.5');
    // revenue 3 x $200.20 = $600.60 x 12.5% = 75.075 -> half_up 75.08, half_even 75.08 (7 is odd -> up)
    // with $200.04: 600.12 x 12.5% = 75.015 -> half_up 75.02, half_even 75.02 (1 odd -> up)
    // with $200.12: 600.36 x 12.5% = 75.045 -> half_up 75.05, half_even 75.04 (4 even -> stays)
    const rows = ['C1', 'C2', 'C3'].map((c) => tx({ customerId: c, sku: 'AZ', amount: '200.12' }));
    expect(
      run(rows, campaignFromYaml(yaml('half_up')))
        .svc('Azure')
        .amount.toFixed(2),
    ).toBe('75.05');
    expect(
      run(rows, campaignFromYaml(yaml('half_even')))
        .svc('Azure')
        .amount.toFixed(2),
    ).toBe('75.04');
  });
});
