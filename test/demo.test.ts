/**
 * `incent calc` on fixtures/demo, end to end through the built binary. Every amount is
 * worked out by hand from rules/csp-power-up-2017.yaml and the rate cards:
 * O365 E5 73, E3 48, E1 20, Business Premium 30; D365 CE 75, Sales 60; EMS E5 35, E3 20.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../src/money/index.js';
import { runCli, tempDir, type CliRun } from './helpers.js';

interface JsonService {
  service: string;
  qualified: boolean;
  customers: number;
  units: number;
  revenue: string;
  earned: string;
  amount: string;
}
interface JsonPartner {
  partnerId: string;
  status: string;
  services: JsonService[];
  total: string;
  payout: string;
  payoutCurrency: string;
}
interface JsonResult {
  asOf: string;
  campaigns: { id: string; currency: string; partners: JsonPartner[]; rows: { read: number; used: number; excluded: Record<string, number> } }[];
}

async function calcJson(extra: string[] = []): Promise<JsonResult> {
  const r = await runCli(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo', '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonResult;
}

describe('demo: CSP Power Up 2017', () => {
  let result: JsonResult;
  let c: JsonResult['campaigns'][number];
  beforeAll(async () => {
    result = await calcJson();
    c = result.campaigns[0]!;
  });
  const partner = (id: string) => c.partners.find((p) => p.partnerId === id)!;
  const svc = (id: string, name: string) => partner(id).services.find((s) => s.service === name)!;

  it('has the spec shape', () => {
    expect(result.asOf).toBe('2017-09-15');
    expect(c.id).toBe('csp-power-up-2017');
    expect(c.currency).toBe('USD');
    // 2000002 and 2000003 transact only in FY18 (the other shipped campaigns' rows): listed, with nothing.
    expect(c.partners.map((p) => p.partnerId)).toEqual([
      '1000001',
      '1000002',
      '1000003',
      '1000004',
      '1000005',
      '1000006',
      '1000007',
      '1000008',
      '2000002',
      '2000003',
    ]);
  });

  it('1000001 Contoso: O365, capped D365, unqualified EMS, Azure in three currencies', () => {
    // O365: C101 10-2 (removal 08-01) = 8 E3 x 48 = 384; C102 6 E5 x 73 = 438 (removal 09-20 is after as_of);
    //       C103 5 E1 x 20 = 100; C104 8 BP x 30 = 240 (2017-06-30, last day). 384+438+100+240 = 1162.00
    expect(svc('1000001', 'O365')).toMatchObject({ qualified: true, customers: 4, units: 27, earned: '1162.00', amount: '1162.00' });
    // D365: 200 x 75 + 150 x 60 + 40 x 75 = 15000 + 9000 + 3000 = 27000 -> cap 25000
    expect(svc('1000001', 'D365')).toMatchObject({ qualified: true, customers: 3, units: 390, earned: '27000.00', amount: '25000.00' });
    // EMS: only C101 and C102 qualify: 2 < 3
    expect(svc('1000001', 'EMS')).toMatchObject({ qualified: false, customers: 2, amount: '0.00' });
    // Azure: C101 $1500; C102 £800 x 1.24 = $992; C103 €1000 x 1.09 (fx.csv 2017-05-01) = $1090; C104 $150 < $200
    //        revenue 3582.00 x 20% = 716.40
    expect(svc('1000001', 'Azure')).toMatchObject({ qualified: true, customers: 3, revenue: '3582.00', earned: '716.40', amount: '716.40' });
    // 1162 + 25000 + 716.40 = 26878.40
    expect(partner('1000001')).toMatchObject({ status: 'payable', total: '26878.40', payout: '26878.40', payoutCurrency: 'USD' });
  });

  it('1000002 Fabrikam reaches only 2 of 3 customers (C203 has 4 seats)', () => {
    expect(partner('1000002')).toMatchObject({ status: 'not_qualified', total: '0.00', payout: '0.00' });
    expect(svc('1000002', 'O365')).toMatchObject({ qualified: false, customers: 2, units: 12 });
  });

  it('ineligible partners: late registration, indirect provider, not registered', () => {
    for (const id of ['1000003', '1000004', '1000005']) expect(partner(id)).toMatchObject({ status: 'ineligible', payout: '0.00' });
  });

  it('1000006 Litware is paid in GBP at the inverse of fx.csv GBP->USD 1.35', () => {
    // EMS: 3 customers x 6 E5 x 35 = 630.00 USD; 630 / 1.35 = 466.666... -> 466.67 GBP
    expect(partner('1000006')).toMatchObject({ status: 'payable', total: '630.00', payout: '466.67', payoutCurrency: 'GBP' });
  });

  it('1000007 Woodgrove hits both service caps and the campaign cap', () => {
    // O365 200x73 + 100x73 + 100x48 = 14600 + 7300 + 4800 = 26700 -> 25000
    // D365 150x75 + 150x75 + 100x60 = 11250 + 11250 + 6000 = 28500 -> 25000
    // Azure 3 x 1000 x 20% = 600; 25000 + 25000 + 600 = 50600 -> 50000
    expect(svc('1000007', 'O365').amount).toBe('25000.00');
    expect(svc('1000007', 'D365').amount).toBe('25000.00');
    expect(partner('1000007')).toMatchObject({ status: 'payable', total: '50000.00', payout: '50000.00' });
  });

  it('1000008 Proseware is below the $500 minimum', () => {
    // EMS: 3 x 5 E3 x 20 = 300 < 500
    expect(partner('1000008')).toMatchObject({ status: 'below_minimum', total: '300.00', payout: '0.00' });
  });

  it('accounts for every row', () => {
    const excluded = Object.values(c.rows.excluded).reduce((a, b) => a + b, 0);
    // 47 Power Up rows + 22 rows of the other shipped campaigns (TI*, TC*, TF*, TU*)
    expect(c.rows.read).toBe(69);
    expect(c.rows.read).toBe(c.rows.used + excluded);
    expect(c.rows.excluded).toEqual({
      OUTSIDE_PERIOD: 5, // T1008 (Jan), T1010 (Jul 1), T1044 (Azure in Jul), TI01 (Aug), TI03 (Sep 1)
      AFTER_AS_OF: 21, // T1007; TI02, TI04, TC01-TC06, TF01-TF08, TU01-TU04 (2018)
      LICENSE_PROGRAM: 2, // T1011 Open, T1012 Advisor
      SUBSCRIPTION_TYPE: 1, // T1013 trial
      SKU_NOT_ELIGIBLE: 1, // T1014
      CUSTOMER_NOT_NET_NEW: 1, // T1009 (C106 had seats in January)
      CUSTOMER_BELOW_MINIMUM: 3, // T1005 (4 seats), T1043 ($150), T2003 (4 seats)
      SERVICE_NOT_QUALIFIED: 4, // T1030, T1031 (EMS), T2001, T2002
      REGISTERED_AFTER_DEADLINE: 3, // T3001-T3003
      PARTNER_ROLE: 1, // T4001
      PARTNER_NOT_REGISTERED: 1, // T5001
    });
    expect(c.rows.used).toBe(26);
  });

  it('--as-of moves the calculation date', async () => {
    // As of 2017-07-31, the 2017-08-01 removal (T1006) is after as_of: C101 keeps 10 E3 seats,
    // O365 = 1162 + 2 x 48 = 1258.00
    // Litware's GBP payout still converts on 2017-09-15 (the only GBP rate is dated 2017-09-01).
    const early = await calcJson(['--as-of', '2017-07-31', '--payout-date', '2017-09-15']);
    const p = early.campaigns[0]!.partners.find((x) => x.partnerId === '1000001')!;
    expect(p.services.find((s) => s.service === 'O365')!.amount).toBe('1258.00');
  });

  it('writes csv and table formats, and --out atomically', async () => {
    const dir = tempDir();
    const out = join(dir, 'payouts.csv');
    const r = await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    // a row per (campaign, partner), services as columns: Litware's EMS 630.00 USD, paid 466.67 GBP
    expect(rows.find((x) => x.campaign_id === 'csp-power-up-2017' && x.partner_id === '1000006')).toMatchObject({
      partner_name: 'Litware Ltd',
      status: 'payable',
      EMS_amount: '630.00',
      total: '630.00',
      payout: '466.67',
      payout_currency: 'GBP',
    });
    const table = await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo']);
    expect(table.stdout).toContain('26878.40');
    // stdout is a pipe here: plain aligned columns, no box drawing
    expect(table.stdout).not.toMatch(/[│┌─]/);
    expect(table.stdout).toMatch(/^Partner +Status +O365/m);
    // written via a temporary file and a rename: only the output itself is left in the folder
    expect(readdirSync(dir)).toEqual(['payouts.csv']);
    expect(existsSync(join(dir, `.payouts.csv.${process.pid}.tmp`))).toBe(false);
  });

  it("the CSV's payout column sums to the JSON's payouts per currency (csv and csv-long)", async () => {
    const j = JSON.parse((await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--format', 'json'])).stdout) as {
      campaigns: { partners: { payout: string; payoutCurrency: string }[] }[];
    };
    const sums = (pairs: [string, string][]) => {
      const m = new Map<string, Decimal>();
      for (const [cur, amount] of pairs) if (amount !== '') m.set(cur, (m.get(cur) ?? new Decimal(0)).plus(amount));
      return Object.fromEntries([...m].map(([k, v]) => [k, v.toFixed(2)]));
    };
    const fromJson = sums(j.campaigns.flatMap((c) => c.partners.map((p) => [p.payoutCurrency, p.payout] as [string, string])));
    // Power Up: 26,878.40 + 50,000.00 (USD) and 466.67 (GBP); the other campaigns' payouts in their currencies
    expect(fromJson.GBP).toBe('466.67');
    for (const format of ['csv', 'csv-long']) {
      const rows = parse((await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--format', format])).stdout, { columns: true }) as Record<
        string,
        string
      >[];
      expect(sums(rows.map((x) => [x.payout_currency!, x.payout!]))).toEqual(fromJson);
    }
  });
});

/** The other four shipped campaigns on the same demo folder; their rates are examples. */
describe('demo: the other shipped campaigns', () => {
  type Partner = Omit<JsonPartner, 'services'> & { carriedForward?: string; reason?: string; services: (JsonService & { tier?: Record<string, unknown> })[] };
  let r: CliRun;
  let all: { campaigns: (Omit<JsonResult['campaigns'][number], 'partners'> & { partners: Partner[] })[] };
  beforeAll(async () => {
    r = await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--format', 'json']);
    all = JSON.parse(r.stdout) as typeof all;
  });
  const campaign = (id: string) => all.campaigns.find((c) => c.id === id)!;
  const partner = (id: string, p: string) => campaign(id).partners.find((x) => x.partnerId === p)!;

  it('runs every campaign in rules/ without a warning', () => {
    expect(r.stderr).toBe('');
    expect(all.campaigns.map((c) => c.id)).toEqual([
      'ca-dollar-per-sku-2018q1',
      'ca-frequency-2018q2',
      'csp-indirect-provider-fy18',
      'csp-power-up-2017',
      'online-services-usage-fy18q4',
    ]);
    for (const c of all.campaigns) expect(c.rows.read).toBe(c.rows.used + Object.values(c.rows.excluded).reduce((a, b) => a + b, 0));
  });

  it('Canada dollar per SKU: min and max units per transaction, carry-forward, registration status', () => {
    // 3000001: TC01 20 x 12 = 240; TC02 3 units < min 5 = 0; TC03 300 units > max 250 -> 250 x 12 = 3000;
    //          TC06 is CSP, not Open. 240 + 0 + 3000 = 3240.00
    expect(partner('ca-dollar-per-sku-2018q1', '3000001')).toMatchObject({ status: 'payable', total: '3240.00', payout: '3240.00', payoutCurrency: 'CAD' });
    // 3000002: TC04 10 x 8 = 80.00 < 100 -> carried forward
    expect(partner('ca-dollar-per-sku-2018q1', '3000002')).toMatchObject({ status: 'below_minimum', payout: '0.00', carriedForward: '80.00' });
    // 3000003's registration is pending
    expect(partner('ca-dollar-per-sku-2018q1', '3000003')).toMatchObject({ status: 'ineligible', reason: 'REGISTRATION_NOT_APPROVED' });
  });

  it('Canada frequency: 4 distinct customers reach the 3-customer tier, 1 short of the next', () => {
    // 3000001: CF01 (twice), CF02, CF03, CF04 = 4 customers x 50 = 200.00; TF08 is in July
    const p = partner('ca-frequency-2018q2', '3000001');
    expect(p).toMatchObject({ status: 'payable', total: '200.00' });
    expect(p.services[0]!.tier).toEqual({ counted: 4, counts: 'customers', reached: 3, next: 5, toNext: 1 });
    // 3000002: CF21, CF22 = 2 customers, no tier
    expect(partner('ca-frequency-2018q2', '3000002')).toMatchObject({ status: 'not_qualified', total: '0.00' });
  });

  it('Online Services Usage: CPOR from the claim date, the 300-seat minimum, counts and the largest AADP metric', () => {
    // O365: OS01 ExO {u1, u2} 2 x 1.50 = 3.00, SpO {u1} 1 x 1.00 = 1.00 (u1's 06-05 ExO action predates the claim)
    // Intune: OS03 latest deployed_licenses 390 x 0.25 = 97.50; AADP: max(120, 300, 250) = 300 x 0.40 = 120.00
    // 4.00 + 97.50 + 120.00 = 221.50
    const p = partner('online-services-usage-fy18q4', '4000001');
    expect(p).toMatchObject({ status: 'payable', total: '221.50' });
    expect(p.services.map((s) => [s.service, s.amount])).toEqual([
      ['O365', '4.00'],
      ['Intune', '97.50'],
      ['AADP', '120.00'],
    ]);
    expect(campaign('online-services-usage-fy18q4').rows).toEqual({
      read: 12,
      used: 7,
      excluded: { NOT_CREDITED: 1, OUTSIDE_WINDOW: 1, SUPERSEDED: 1, CUSTOMER_EXCLUDED: 1, CUSTOMER_BELOW_MINIMUM: 1 },
      excludedDetail: { CUSTOMER_EXCLUDED: { dedicated: 1 } },
    });
  });

  it('CSP indirect provider: a bank-profile gap in October 2017 loses FY18 H1 for Wingtip', () => {
    // Tailspin: TI01 40 x 4 + TI02 25 x 6 = 160 + 150 = 310.00
    expect(partner('csp-indirect-provider-fy18', '1000004')).toMatchObject({ status: 'payable', total: '310.00' });
    // Wingtip: TI03 (2017-09-01, H1) lost; TI04 30 x 4 = 120.00
    expect(partner('csp-indirect-provider-fy18', '2000002')).toMatchObject({ status: 'payable', total: '120.00', reason: 'PARTNER_INELIGIBLE' });
    expect(campaign('csp-indirect-provider-fy18').rows.excluded.PARTNER_INELIGIBLE).toBe(1);
  });
});
