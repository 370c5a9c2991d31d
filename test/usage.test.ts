/**
 * per_active_user (Online Services Usage, seed 002): the 28-day window, events and
 * counts, AADP's largest metric, and every exclusion. Amounts worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import type { TxRow, UsageRow } from '../src/engine/types.js';
import { campaignFromYaml, tx, use } from './helpers.js';
import { dec } from '../src/money/index.js';

const CAMPAIGN = `
id: osu
currency: USD
period: { start: 2018-04-01, end: 2018-06-30 }
as_of: 2018-06-30
exclude:
  customer_flags: [dedicated, partner_owned, microsoft_owned]
  public_sector_countries: [DE]
  countries: [CN, KP]
  license_programs: [Open]
  subscription_types: [trial, beta]
services:
  O365:
    per_active_user:
      workloads: [ExO, SpO, SfB, ProPlus]
      window_days: 28
      rates: { E3: { ExO: 2.00, SpO: 1.50 }, E1: 1 }
  Intune:
    per_active_user: { workloads: [Intune], metric: deployed_licenses, rates: { EMS: 1.25 } }
  AADP:
    per_active_user:
      workloads: [AADP]
      metric: { largest_of: [third_party_app_users, sspr_registered, mfa_enabled] }
      rates: { EMS: 0.50 }
`;

/** transactions.csv as the directory: subscriptions S1 (C1, E3) and S2 (C2, EMS) of partner P1. */
const DIRECTORY: TxRow[] = [
  tx({ date: '2018-01-10', customerId: 'C1', sku: 'E3', subscriptionId: 'S1', quantity: 50 }),
  tx({ date: '2018-01-10', customerId: 'C2', sku: 'EMS', subscriptionId: 'S2', quantity: 80 }),
];

function run(usage: UsageRow[], directory: TxRow[] = DIRECTORY, yaml = CAMPAIGN) {
  return evaluate([campaignFromYaml(yaml)], directory, {}, usage).campaigns[0]!;
}

const service = (c: ReturnType<typeof run>, partner: string, name: string) =>
  c.partners.find((p) => p.partnerId === partner)!.services.find((s) => s.service === name)!;

describe('per_active_user, events', () => {
  // The window is the 28 days ending on as_of 2018-06-30, both ends included: 2018-06-03 .. 2018-06-30.
  const usage = [
    use({ userId: 'U1', workload: 'ExO', date: '2018-06-03' }), // day 1 of the window: in
    use({ userId: 'U2', workload: 'ExO', date: '2018-06-30' }), // day 28 (as_of): in
    use({ userId: 'U3', workload: 'ExO', date: '2018-06-02' }), // day 29 before as_of: OUTSIDE_WINDOW
    use({ userId: 'U1', workload: 'SpO', date: '2018-06-10' }), // the same user in a second workload: a second entitlement
    use({ userId: 'U1', workload: 'ExO', date: '2018-06-15' }), // U1 again in ExO: still one user
    use({ userId: 'U4', workload: 'ExO', date: '2018-07-01' }), // after as_of
  ];
  const c = run(usage);

  it('counts distinct users per workload inside the window and pays the workload rate', () => {
    // ExO {U1, U2} = 2 x 2.00 = 4.00; SpO {U1} = 1 x 1.50 = 1.50; 4.00 + 1.50 = 5.50
    expect(service(c, 'P1', 'O365')).toMatchObject({ qualified: true, customers: 1, units: 3 });
    expect(service(c, 'P1', 'O365').amount.toFixed(2)).toBe('5.50');
  });

  it('accounts for every usage row (transactions are the directory, not rows of this campaign)', () => {
    expect(c.rows).toEqual({ read: 6, used: 4, excluded: { OUTSIDE_WINDOW: 1, AFTER_AS_OF: 1 } });
  });

  it('a user is one whatever the case of its id: U1@Contoso.com and u1@CONTOSO.com are one user', () => {
    const mixed = run([
      use({ userId: 'U1@Contoso.com', workload: 'ExO', date: '2018-06-10' }),
      use({ userId: 'u1@CONTOSO.com', workload: 'ExO', date: '2018-06-20' }),
      use({ userId: 'u2@contoso.com', workload: 'ExO', date: '2018-06-20' }),
    ]);
    // ExO {u1, u2} = 2 users x 2.00 = 4.00 (three would be 6.00)
    expect(service(mixed, 'P1', 'O365')).toMatchObject({ units: 2 });
    expect(service(mixed, 'P1', 'O365').amount.toFixed(2)).toBe('4.00');
  });

  it('a SKU without a rate for the workload earns nothing: E3 has no SfB rate', () => {
    const r = run([use({ userId: 'U1', workload: 'SfB' })]);
    expect(r.rows.excluded).toEqual({ SKU_NOT_ELIGIBLE: 1 });
  });

  it('a SKU-wide rate pays every workload: E1 at 1.00 for ExO and ProPlus', () => {
    const dir = [tx({ date: '2018-01-10', customerId: 'C5', sku: 'E1', subscriptionId: 'S5', quantity: 10 })];
    // ExO {U1} + ProPlus {U1, U2} = 3 entitlements x 1.00 = 3.00
    const r = run(
      [
        use({ customerId: 'C5', userId: 'U1' }),
        use({ customerId: 'C5', userId: 'U1', workload: 'ProPlus' }),
        use({ customerId: 'C5', userId: 'U2', workload: 'ProPlus' }),
      ],
      dir,
    );
    expect(service(r, 'P1', 'O365').amount.toFixed(2)).toBe('3.00');
  });
});

describe('per_active_user: a user is one entitlement per workload, whatever SKUs they moved across', () => {
  // C1 has two subscriptions: S1 on E3 (ExO 2.00) and S3 on E1 (1.00 for every workload)
  const directory = [...DIRECTORY, tx({ date: '2018-01-10', customerId: 'C1', sku: 'E1', subscriptionId: 'S3', quantity: 10 })];

  it('a user who moves from one subscription to another inside the window is paid once, at the SKU of their latest action', () => {
    const c = run(
      [
        use({ userId: 'U1', workload: 'ExO', date: '2018-06-05', subscriptionId: 'S3' }), // E1
        use({ userId: 'U1', workload: 'ExO', date: '2018-06-20', subscriptionId: 'S1' }), // moved to E3: latest
      ],
      directory,
    );
    // one ExO user, priced at E3's ExO rate: 1 x 2.00 = 2.00 (counted per SKU it was 2.00 + 1.00 = 3.00)
    expect(service(c, 'P1', 'O365')).toMatchObject({ units: 1, earned: dec('2.00') });
  });

  it('the same user moving the other way is priced at E1, whatever the order of the rows', () => {
    const rows = [
      use({ userId: 'U1', workload: 'ExO', date: '2018-06-20', subscriptionId: 'S3' }),
      use({ userId: 'U1', workload: 'ExO', date: '2018-06-05', subscriptionId: 'S1' }),
    ];
    // latest action on E1 (2018-06-20): 1 x 1.00 = 1.00
    expect(service(run(rows, directory), 'P1', 'O365').earned.toString()).toBe('1');
    expect(service(run([...rows].reverse(), directory), 'P1', 'O365').earned.toString()).toBe('1');
  });

  it('actions on two SKUs on the latest day: the higher rate prices the user', () => {
    const rows = [
      use({ userId: 'U1', workload: 'ExO', date: '2018-06-20', subscriptionId: 'S3' }),
      use({ userId: 'U1', workload: 'ExO', date: '2018-06-20', subscriptionId: 'S1' }),
    ];
    // E3 ExO 2.00 > E1 1.00: 1 x 2.00 = 2.00, in either order
    expect(service(run(rows, directory), 'P1', 'O365').earned.toString()).toBe('2');
    expect(service(run([...rows].reverse(), directory), 'P1', 'O365').earned.toString()).toBe('2');
  });
});

describe('per_active_user, counts', () => {
  const usage = [
    use({ customerId: 'C2', workload: 'Intune', sku: 'EMS', metric: 'deployed_licenses', value: 40, date: '2018-06-10' }), // superseded by the 06-20 report
    use({ customerId: 'C2', workload: 'Intune', sku: 'EMS', metric: 'deployed_licenses', value: 45, date: '2018-06-20' }),
    use({ customerId: 'C2', workload: 'Intune', sku: 'EMS', metric: 'active_users', value: 60, date: '2018-06-20' }), // Intune pays on deployed licences
    use({ customerId: 'C2', workload: 'AADP', sku: 'EMS', metric: 'third_party_app_users', value: 30, date: '2018-06-20' }),
    use({ customerId: 'C2', workload: 'AADP', sku: 'EMS', metric: 'sspr_registered', value: 55, date: '2018-06-20' }),
    use({ customerId: 'C2', workload: 'AADP', sku: 'EMS', metric: 'mfa_enabled', value: 42, date: '2018-06-20' }),
  ];
  const c = run(usage);

  it('Intune pays on the latest deployed_licenses in the window', () => {
    // 45 x 1.25 = 56.25
    expect(service(c, 'P1', 'Intune').amount.toFixed(2)).toBe('56.25');
  });

  it('AADP pays on the largest of its three metrics', () => {
    // max(30, 55, 42) = 55 x 0.50 = 27.50
    expect(service(c, 'P1', 'AADP')).toMatchObject({ units: 55 });
    expect(service(c, 'P1', 'AADP').amount.toFixed(2)).toBe('27.50');
  });

  it('accounts for the superseded report and the metric nobody pays on', () => {
    expect(c.rows).toEqual({ read: 6, used: 4, excluded: { SUPERSEDED: 1, METRIC_NOT_PAID: 1 } });
    // 56.25 + 27.50 = 83.75
    expect(c.partners[0]!.total.toFixed(2)).toBe('83.75');
  });
});

describe('usage exclusions, each with its reason', () => {
  // One customer per case, each with one subscription of E3 from P1 and one ExO event.
  const cases: { name: string; row: Partial<TxRow>; partner?: string; reason: string; detail?: string }[] = [
    { name: 'trial subscription', row: { subscriptionType: 'trial' }, reason: 'SUBSCRIPTION_TYPE' },
    { name: 'beta subscription', row: { subscriptionType: 'beta' }, reason: 'SUBSCRIPTION_TYPE' },
    { name: 'Open licence', row: { licenseProgram: 'Open' }, reason: 'LICENSE_PROGRAM' },
    { name: 'dedicated customer', row: { flags: ['dedicated'] }, reason: 'CUSTOMER_EXCLUDED', detail: 'dedicated' },
    { name: 'public sector in a restricted country', row: { flags: ['public_sector'], country: 'DE' }, reason: 'CUSTOMER_EXCLUDED', detail: 'public_sector' },
    { name: 'the partner itself (flag)', row: { flags: ['partner_owned'] }, reason: 'CUSTOMER_EXCLUDED', detail: 'partner_owned' },
    { name: 'Microsoft', row: { flags: ['microsoft_owned'] }, reason: 'CUSTOMER_EXCLUDED', detail: 'microsoft_owned' },
    { name: 'a market not served', row: { country: 'KP' }, reason: 'CUSTOMER_EXCLUDED', detail: 'country_not_served' },
    { name: "the People's Republic of China", row: { country: 'CN' }, reason: 'CUSTOMER_EXCLUDED', detail: 'country_not_served' },
  ];
  for (const k of cases) {
    it(k.name, () => {
      const dir = [tx({ date: '2018-01-10', customerId: 'CX', sku: 'E3', subscriptionId: 'SX', quantity: 10, ...k.row })];
      const c = run([use({ customerId: 'CX', subscriptionId: 'SX' })], dir);
      expect(c.rows.excluded).toEqual({ [k.reason]: 1 });
      if (k.detail) expect(c.rows.excludedDetail).toEqual({ CUSTOMER_EXCLUDED: { [k.detail]: 1 } });
      expect(c.partners[0]!.total.toFixed(2)).toBe('0.00');
    });
  }

  it('public sector outside the listed countries still earns: 1 ExO user x 2.00', () => {
    const dir = [tx({ date: '2018-01-10', customerId: 'CX', sku: 'E3', subscriptionId: 'SX', quantity: 10, flags: ['public_sector'], country: 'US' })];
    expect(run([use({ customerId: 'CX' })], dir).partners[0]!.total.toFixed(2)).toBe('2.00');
  });

  it('a customer whose id is the partner id is partner owned', () => {
    const dir = [tx({ date: '2018-01-10', customerId: 'P1', sku: 'E3', subscriptionId: 'SX', quantity: 10 })];
    expect(run([use({ customerId: 'P1' })], dir).rows.excludedDetail).toEqual({ CUSTOMER_EXCLUDED: { partner_owned: 1 } });
  });

  it('usage of a customer no partner transacts is NOT_CREDITED, never dropped', () => {
    const c = run([use({ customerId: 'C404' })]);
    expect(c.rows).toEqual({ read: 1, used: 0, excluded: { NOT_CREDITED: 1 } });
  });

  it('a workload no service pays for is WORKLOAD_NOT_ELIGIBLE', () => {
    expect(run([use({ workload: 'Teams' })]).rows.excluded).toEqual({ WORKLOAD_NOT_ELIGIBLE: 1 });
  });
});
