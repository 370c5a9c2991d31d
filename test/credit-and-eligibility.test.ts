/**
 * Partner of record (seed 003), eligibility over time (seed 004), reseller credit,
 * registration status, carry-forward and tier standing. Amounts worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import { ClaimBook, overlappingClaims } from '../src/engine/claims.js';
import { EligibilityBook } from '../src/engine/eligibility.js';
import { registrationKey } from '../src/engine/partner-gates.js';
import type { Claim, EligibilitySpan, PartnerInfo, Registration } from '../src/engine/types.js';
import { requiredInputs } from '../src/campaign/model.js';
import { campaignFromYaml, tx, use } from './helpers.js';

const claim = (p: Partial<Claim>): Claim => ({
  partnerId: 'P2',
  customerId: 'C1',
  subscriptionId: '',
  workload: '',
  type: 'CPOR',
  from: '2018-01-01',
  to: null,
  line: 2,
  ...p,
});

describe('claiming partner of record (CPOR) on usage', () => {
  const yaml = `
id: mau
currency: USD
period: { start: 2018-04-01, end: 2018-06-30 }
as_of: 2018-06-30
credit: claiming_partner
claims: { min_paid_seats: 300 }
services:
  O365:
    per_active_user: { workloads: [ExO], rates: { E3: 1.00 } }
`;
  // P1 transacts C1 (300 paid seats) and C2 (299 paid seats); P2 claims both.
  const directory = [
    tx({ date: '2018-01-10', partnerId: 'P1', customerId: 'C1', sku: 'E3', subscriptionId: 'S1', quantity: 300 }),
    tx({ date: '2018-01-10', partnerId: 'P1', customerId: 'C2', sku: 'E3', subscriptionId: 'S2', quantity: 310 }),
    tx({ date: '2018-02-10', partnerId: 'P1', customerId: 'C2', sku: 'E3', subscriptionId: 'S2', quantity: -11 }),
  ];
  const claims = new ClaimBook([claim({ customerId: 'C1', from: '2018-06-15' }), claim({ customerId: 'C2', from: '2018-01-01', line: 3 })]);
  const usage = [
    use({ customerId: 'C1', userId: 'U1', date: '2018-06-05' }), // before the claim's from: credited to nobody
    use({ customerId: 'C1', userId: 'U2', date: '2018-06-15' }), // the claim's first day
    use({ customerId: 'C1', userId: 'U3', date: '2018-06-20' }),
    use({ customerId: 'C2', userId: 'U1', date: '2018-06-20' }), // C2 has 310 - 11 = 299 paid seats < 300
  ];
  const c = evaluate([campaignFromYaml(yaml)], directory, { claims }, usage).campaigns[0]!;

  it('a claim starting mid-window credits only usage from its from date', () => {
    // P2: C1 {U2, U3} = 2 x 1.00 = 2.00; U1 acted before the claim
    const p2 = c.partners.find((p) => p.partnerId === 'P2')!;
    expect(p2.services[0]).toMatchObject({ customers: 1, units: 2 });
    expect(p2.total.toFixed(2)).toBe('2.00');
    expect(c.partners.map((p) => p.partnerId)).toEqual(['P2']); // the transacting partner gets nothing
  });

  it('the 300-seat minimum gates a claimed customer; every row is accounted for', () => {
    expect(c.rows).toEqual({ read: 4, used: 2, excluded: { NOT_CREDITED: 1, CUSTOMER_BELOW_MINIMUM: 1 } });
  });

  it('PAL credit follows PAL claims, not CPOR', () => {
    const pal = yaml.replace('credit: claiming_partner\nclaims: { min_paid_seats: 300 }', 'credit: pal');
    const book = new ClaimBook([claim({ partnerId: 'P2' }), claim({ partnerId: 'P3', type: 'PAL', line: 3 })]);
    const r = evaluate([campaignFromYaml(pal)], directory, { claims: book }, [use({ customerId: 'C1' })]).campaigns[0]!;
    expect(r.partners.map((p) => [p.partnerId, p.total.toFixed(2)])).toEqual([['P3', '1.00']]);
  });

  it('a subscription claim wins over a whole-customer claim', () => {
    const book = new ClaimBook([claim({ partnerId: 'P2' }), claim({ partnerId: 'P4', subscriptionId: 'S1', line: 3 })]);
    expect(book.find(new Set(['CPOR']), 'C1', 'S1', 'ExO', '2018-06-20')?.partnerId).toBe('P4');
    expect(book.find(new Set(['CPOR']), 'C1', 'S9', 'ExO', '2018-06-20')?.partnerId).toBe('P2');
  });
});

describe('overlapping claims', () => {
  it('two CPOR claims on one customer that overlap in time are found, naming both rows', () => {
    const a = claim({ partnerId: 'P2', from: '2018-01-01', to: '2018-06-30', line: 2 });
    const b = claim({ partnerId: 'P3', from: '2018-06-30', line: 3 });
    expect(overlappingClaims([a, b])).toEqual([[a, b]]);
  });

  it('back to back, a different type, or a different subscription do not overlap', () => {
    const a = claim({ from: '2018-01-01', to: '2018-06-29' });
    expect(overlappingClaims([a, claim({ partnerId: 'P3', from: '2018-06-30', line: 3 })])).toEqual([]);
    expect(overlappingClaims([a, claim({ partnerId: 'P3', type: 'PAL', line: 3 })])).toEqual([]);
    expect(overlappingClaims([claim({ subscriptionId: 'S1' }), claim({ subscriptionId: 'S2', partnerId: 'P3', line: 3 })])).toEqual([]);
  });

  it('a long claim is caught against a later one even past a short one', () => {
    const long = claim({ from: '2018-01-01', to: '2018-12-31', line: 2 });
    const short = claim({ partnerId: 'P3', from: '2018-02-01', to: '2018-02-28', line: 3 });
    const late = claim({ partnerId: 'P4', from: '2018-09-01', line: 4 });
    expect(overlappingClaims([long, short, late]).map(([x, y]) => [x.line, y.line])).toEqual([
      [2, 3],
      [2, 4],
    ]);
  });
});

describe('reseller credit on indirect rows', () => {
  const yaml = `
id: ind
currency: USD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-04-30
credit: reseller
services:
  O365: { per_unit: { rates: { E3: 10 } } }
`;
  it('credits the reseller, never the distributor; -1 and the partner itself mean no reseller', () => {
    const rows = [
      tx({ date: '2018-02-01', partnerId: 'D1', resellerId: 'R1', quantity: 4 }), // R1: 4 x 10 = 40
      tx({ date: '2018-02-01', partnerId: 'D1', resellerId: '-1', quantity: 5 }),
      tx({ date: '2018-02-01', partnerId: 'D1', resellerId: 'D1', quantity: 6 }),
    ];
    const c = evaluate([campaignFromYaml(yaml)], rows).campaigns[0]!;
    expect(c.partners.map((p) => [p.partnerId, p.total.toFixed(2)])).toEqual([['R1', '40.00']]);
    expect(c.rows).toEqual({ read: 3, used: 1, excluded: { NOT_CREDITED: 2 } });
  });
});

describe('eligibility over time', () => {
  const yaml = (period: string) => `
id: ip
currency: USD
period: { start: 2017-07-01, end: 2018-06-30 }
as_of: 2018-07-31
requires:
  eligibility: [partner_membership, bank_tax_profile]
  eligibility_period: ${period}
services:
  O365: { per_unit: { rates: { E3: 10 } } }
`;
  const span = (p: Partial<EligibilitySpan>): EligibilitySpan => ({
    partnerId: 'D1',
    requirement: 'partner_membership',
    from: '2017-07-01',
    to: null,
    line: 2,
    ...p,
  });
  // D1's bank and tax profile lapsed 2017-10-15 .. 2017-10-19, inside FY18 H1 (Jul-Dec 2017).
  const book = new EligibilityBook([
    span({}),
    span({ requirement: 'bank_tax_profile', to: '2017-10-14', line: 3 }),
    span({ requirement: 'bank_tax_profile', from: '2017-10-20', line: 4 }),
  ]);
  const rows = [
    tx({ partnerId: 'D1', date: '2017-08-01', quantity: 10 }),
    tx({ partnerId: 'D1', date: '2017-10-16', quantity: 3 }), // inside the gap itself
    tx({ partnerId: 'D1', date: '2017-12-31', quantity: 5 }),
    tx({ partnerId: 'D1', date: '2018-01-01', quantity: 7 }), // FY18 H2
  ];
  const total = (period: string) => {
    const c = evaluate([campaignFromYaml(yaml(period))], rows, { eligibility: book }).campaigns[0]!;
    return { total: c.partners[0]!.total.toFixed(2), lost: c.rows.excluded.PARTNER_INELIGIBLE, status: c.partners[0]!.status };
  };

  it('semester: a gap inside H1 loses all of H1; H2 pays 7 x 10 = 70.00', () => {
    expect(total('semester')).toEqual({ total: '70.00', lost: 3, status: 'payable' });
  });

  it('month: only October is lost: (10 + 5 + 7) x 10 = 220.00', () => {
    expect(total('month')).toEqual({ total: '220.00', lost: 1, status: 'payable' });
  });

  it('day: only the days of the gap are lost: 220.00', () => {
    expect(total('day')).toEqual({ total: '220.00', lost: 1, status: 'payable' });
  });

  it('a partner with no eligibility rows loses everything and is ineligible', () => {
    const c = evaluate([campaignFromYaml(yaml('semester'))], [tx({ partnerId: 'D2', date: '2018-01-01', quantity: 7 })], { eligibility: book }).campaigns[0]!;
    expect(c.partners[0]).toMatchObject({ status: 'ineligible', reason: { code: 'PARTNER_INELIGIBLE' } });
    expect(c.partners[0]!.reason!.detail).toContain('partner_membership not met on 2018-01-01');
  });

  it('a removal is never lost to a gap (losing it would add seats)', () => {
    // H1 lost, but the H1 removal of 2 nets against H2: (7 - 2) x 10 = 50.00
    const c = evaluate([campaignFromYaml(yaml('semester'))], [...rows, tx({ partnerId: 'D1', date: '2017-11-01', quantity: -2 })], { eligibility: book })
      .campaigns[0]!;
    expect(c.partners[0]!.total.toFixed(2)).toBe('50.00');
  });
});

describe('registration status (Canada)', () => {
  const yaml = (statuses: string) => `
id: ca
currency: CAD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-04-30
requires: { registration: { statuses: ${statuses} } }
services:
  M365: { per_unit: { rates: { E3: 10 } } }
`;
  const reg = (partnerId: string, status: string): [string, Registration[]] => [
    registrationKey('ca', partnerId),
    [{ partnerId, campaignId: 'ca', registeredOn: '2018-01-02', status, line: 2 }],
  ];
  const registrations = new Map([reg('A', 'approved'), reg('B', 'pending'), reg('C', 'rejected')]);
  const rows = ['A', 'B', 'C'].map((p) => tx({ partnerId: p, date: '2018-02-01', quantity: 3 }));

  it('only approved earns by default: A 3 x 10 = 30.00; pending and rejected are not approved', () => {
    const c = evaluate([campaignFromYaml(yaml('[approved]'))], rows, { registrations }).campaigns[0]!;
    expect(c.partners.map((p) => [p.partnerId, p.status, p.total.toFixed(2)])).toEqual([
      ['A', 'payable', '30.00'],
      ['B', 'ineligible', '0.00'],
      ['C', 'ineligible', '0.00'],
    ]);
    expect(c.rows.excluded).toEqual({ REGISTRATION_NOT_APPROVED: 2 });
  });

  it('a campaign may let pending registrations earn', () => {
    const c = evaluate([campaignFromYaml(yaml('[approved, pending]'))], rows, { registrations }).campaigns[0]!;
    expect(c.partners.map((p) => p.status)).toEqual(['payable', 'payable', 'ineligible']);
  });
});

describe('a partner registered more than once', () => {
  const yaml = (statuses: string) => `
id: ca
currency: CAD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-04-30
requires: { registration: { statuses: ${statuses}, deadline: 2018-01-31 } }
services:
  M365: { per_unit: { rates: { E3: 10 } } }
`;
  const r = (registeredOn: string, status: string, line: number): Registration => ({ partnerId: 'A', campaignId: 'ca', registeredOn, status, line });
  const rows = [tx({ partnerId: 'A', date: '2018-02-01', quantity: 3 })];
  const run = (statuses: string, regs: Registration[]) =>
    evaluate([campaignFromYaml(yaml(statuses))], rows, { registrations: new Map([[registrationKey('ca', 'A'), regs]]) }).campaigns[0]!.partners[0]!;

  it('the earliest registration of a status the campaign accepts counts, whatever the order of the rows', () => {
    // Pending on 2018-01-10 (before the 2018-01-31 deadline), approved on 2018-02-15 (after it).
    const late = r('2018-02-15', 'approved', 2);
    const early = r('2018-01-10', 'pending', 3);
    // A campaign that accepts pending: the pending one is the earliest accepted, in time: 3 x 10 = 30.00.
    for (const regs of [
      [late, early],
      [early, late],
    ]) {
      expect(run('[approved, pending]', regs)).toMatchObject({ status: 'payable' });
      expect(run('[approved, pending]', regs).total.toFixed(2)).toBe('30.00');
      // Approved only: the approved one counts, and it is late.
      expect(run('[approved]', regs)).toMatchObject({
        status: 'ineligible',
        reason: { code: 'REGISTERED_AFTER_DEADLINE', detail: 'registered on 2018-02-15; deadline 2018-01-31' },
      });
    }
  });

  it('two approved registrations: the earlier one, in either order', () => {
    const regs = [r('2018-03-01', 'approved', 2), r('2018-01-20', 'approved', 3)];
    expect(run('[approved]', regs).total.toFixed(2)).toBe('30.00');
    expect(run('[approved]', [...regs].reverse()).total.toFixed(2)).toBe('30.00');
  });

  it('none of an accepted status: the statuses found, named once each', () => {
    const regs = [r('2018-01-05', 'rejected', 2), r('2018-01-06', 'pending', 3), r('2018-01-07', 'pending', 4)];
    expect(run('[approved]', regs)).toMatchObject({
      status: 'ineligible',
      reason: { code: 'REGISTRATION_NOT_APPROVED', detail: 'registration statuses are pending and rejected; needs approved' },
    });
  });
});

describe('partners in markets where the services are not sold (seed 002)', () => {
  const yaml = `
id: os
currency: USD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-04-30
exclude: { partner_countries: [CU, KP] }
services:
  O365: { per_unit: { rates: { E3: 10 } } }
`;
  const partner = (partnerId: string, country: string): [string, PartnerInfo] => [
    partnerId,
    { partnerId, name: partnerId, country, role: 'direct', payoutCurrency: '', line: 2 },
  ];
  const partners = new Map([partner('US1', 'US'), partner('CU1', 'CU')]);
  // both sell to a US customer: the sale's country does not matter, the partner's does
  const rows = ['US1', 'CU1', 'XX1'].map((p) => tx({ partnerId: p, date: '2018-02-01', quantity: 4, country: 'US' }));

  it('a partner based in a listed country earns nothing, whatever the customer: US1 4 x 10 = 40.00, CU1 0.00', () => {
    const c = evaluate([campaignFromYaml(yaml)], rows, { partners }).campaigns[0]!;
    expect(c.partners.map((p) => [p.partnerId, p.status, p.total.toFixed(2), p.reason?.code])).toEqual([
      ['CU1', 'ineligible', '0.00', 'PARTNER_MARKET'],
      ['US1', 'payable', '40.00', undefined],
      // not in partners.csv: its market cannot be told, so it is not paid
      ['XX1', 'ineligible', '0.00', 'PARTNER_MARKET'],
    ]);
    expect(c.rows.excluded).toEqual({ PARTNER_MARKET: 2 });
  });

  it('needs partners.csv', () => {
    expect(requiredInputs(campaignFromYaml(yaml))).toContain('partners');
  });
});

describe('minimum payout: forfeit or carry forward', () => {
  const yaml = (minimum: string) => `
id: m
currency: USD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-04-30
services:
  O365: { per_unit: { rates: { E3: 10 } } }
minimum_payout: ${minimum}
`;
  const rows = [tx({ date: '2018-02-01', quantity: 15 })]; // 15 x 10 = 150.00 < 200

  it('carry_forward: nothing paid now, 150.00 carried', () => {
    const p = evaluate([campaignFromYaml(yaml('{ amount: 200, below: carry_forward }'))], rows).campaigns[0]!.partners[0]!;
    expect(p.status).toBe('below_minimum');
    expect(p.payout.toFixed(2)).toBe('0.00');
    expect(p.carriedForward?.toFixed(2)).toBe('150.00');
  });

  it('forfeit, and the plain number: nothing paid, nothing carried', () => {
    for (const m of ['{ amount: 200, below: forfeit }', '200']) {
      const p = evaluate([campaignFromYaml(yaml(m))], rows).campaigns[0]!.partners[0]!;
      expect(p.status).toBe('below_minimum');
      expect(p.carriedForward).toBeUndefined();
    }
  });

  it('at the minimum exactly it pays: 20 x 10 = 200.00', () => {
    const p = evaluate([campaignFromYaml(yaml('{ amount: 200, below: carry_forward }'))], [tx({ date: '2018-02-01', quantity: 20 })]).campaigns[0]!
      .partners[0]!;
    expect(p).toMatchObject({ status: 'payable' });
    expect(p.payout.toFixed(2)).toBe('200.00');
  });
});

describe('tier standing', () => {
  const yaml = `
id: f
currency: CAD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-04-30
services:
  M365:
    tiers:
      count: customers
      table: [{ at_least: 5, pay: 250 }, { at_least: 10, pay: 600 }]
`;
  const rows = (n: number) => Array.from({ length: n }, (_, i) => tx({ date: '2018-02-01', customerId: `C${i}`, service: 'M365', quantity: 1 }));
  const standing = (n: number) => evaluate([campaignFromYaml(yaml)], rows(n)).campaigns[0]!.partners[0]!.services[0]!.tier;

  it('says which tier was reached and how many more the next needs', () => {
    expect(standing(4)).toEqual({ counted: 4, counts: 'customers', reached: undefined, next: 5, toNext: 1 });
    expect(standing(7)).toEqual({ counted: 7, counts: 'customers', reached: 5, next: 10, toNext: 3 });
    expect(standing(10)).toEqual({ counted: 10, counts: 'customers', reached: 10, next: undefined, toNext: undefined });
  });
});

describe('licence programs without regard to case', () => {
  const yaml = `
id: lp
currency: USD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-04-30
eligible: { license_programs: [CSP, Open] }
exclude: { license_programs: [EA] }
services:
  M365: { per_unit: { rates: { E3: 10 } } }
`;
  it("an export's csp, Open and OPEN are the campaign's CSP and Open; ea is excluded as EA is", () => {
    const rows = [
      tx({ id: 'T1', licenseProgram: 'CSP', quantity: 1 }),
      tx({ id: 'T2', licenseProgram: 'csp', quantity: 2 }),
      tx({ id: 'T3', licenseProgram: 'OPEN', quantity: 3 }),
      tx({ id: 'T4', licenseProgram: 'ea', quantity: 4 }),
      tx({ id: 'T5', licenseProgram: 'Advisor', quantity: 5 }),
    ].map((r) => ({ ...r, partnerId: 'P1', date: '2018-02-01', sku: 'E3' }));
    const c = evaluate([campaignFromYaml(yaml)], rows).campaigns[0]!;
    // (1 + 2 + 3) seats x 10 = 60.00; ea is not eligible (eligible lists CSP and Open), nor is Advisor
    expect(c.partners[0]!.total.toFixed(2)).toBe('60.00');
    expect(c.rows).toEqual({ read: 5, used: 3, excluded: { LICENSE_PROGRAM: 2 } });
  });

  it('an exclude list catches every case too', () => {
    const open = campaignFromYaml(yaml.replace('eligible: { license_programs: [CSP, Open] }\n', ''));
    const rows = ['EA', 'ea', 'Ea', 'CSP'].map((p, i) => ({
      ...tx({ id: `T${i}`, licenseProgram: p, quantity: 1 }),
      partnerId: 'P1',
      date: '2018-02-01',
      sku: 'E3',
    }));
    // only the CSP row earns: 1 x 10 = 10.00
    expect(evaluate([open], rows).campaigns[0]!.partners[0]!.total.toFixed(2)).toBe('10.00');
  });
});
