/**
 * `incent calc` on fixtures/demo, end to end through the built binary. Every amount is
 * worked out by hand from rules/csp-power-up-2017.yaml and the rate cards:
 * O365 E5 73, E3 48, E1 20, Business Premium 30; D365 CE 75, Sales 60; EMS E5 35, E3 20.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

interface JsonService { service: string; qualified: boolean; customers: number; units: number; revenue: string; earned: string; amount: string }
interface JsonPartner { partnerId: string; status: string; services: JsonService[]; total: string; payout: string; payoutCurrency: string }
interface JsonResult {
  asOf: string;
  campaigns: { id: string; currency: string; partners: JsonPartner[]; rows: { read: number; used: number; excluded: Record<string, number> } }[];
}

function calcJson(extra: string[] = []): JsonResult {
  const r = runCli(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo', '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonResult;
}

describe('demo: CSP Power Up 2017', () => {
  const result = calcJson();
  const c = result.campaigns[0]!;
  const partner = (id: string) => c.partners.find((p) => p.partnerId === id)!;
  const svc = (id: string, name: string) => partner(id).services.find((s) => s.service === name)!;

  it('has the spec shape', () => {
    expect(result.asOf).toBe('2017-09-15');
    expect(c.id).toBe('csp-power-up-2017');
    expect(c.currency).toBe('USD');
    expect(c.partners.map((p) => p.partnerId)).toEqual(['1000001', '1000002', '1000003', '1000004', '1000005', '1000006', '1000007', '1000008']);
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
    expect(c.rows.read).toBe(47);
    expect(c.rows.read).toBe(c.rows.used + excluded);
    expect(c.rows.excluded).toEqual({
      OUTSIDE_PERIOD: 3, // T1008 (Jan), T1010 (Jul 1), T1044 (Azure in Jul)
      AFTER_AS_OF: 1, // T1007
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

  it('--as-of moves the calculation date', () => {
    // As of 2017-07-31, the 2017-08-01 removal (T1006) is after as_of: C101 keeps 10 E3 seats,
    // O365 = 1162 + 2 x 48 = 1258.00
    // Litware's GBP payout still converts on 2017-09-15 (the only GBP rate is dated 2017-09-01).
    const early = calcJson(['--as-of', '2017-07-31', '--payout-date', '2017-09-15']);
    const p = early.campaigns[0]!.partners.find((x) => x.partnerId === '1000001')!;
    expect(p.services.find((s) => s.service === 'O365')!.amount).toBe('1258.00');
  });

  it('writes csv and table formats, and --out atomically', () => {
    const dir = tempDir();
    const out = join(dir, 'payouts.csv');
    const r = runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('campaign_id,partner_id,status,service,qualified,customers,units,revenue,earned,amount,currency,total,payout,payout_currency');
    expect(lines).toContain('csp-power-up-2017,1000006,payable,EMS,true,3,18,0.00,630.00,630.00,USD,630.00,466.67,GBP');
    const table = runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo']);
    expect(table.stdout).toContain('26878.40');
    // written via a temporary file and a rename: only the output itself is left in the folder
    expect(readdirSync(dir)).toEqual(['payouts.csv']);
    expect(existsSync(join(dir, `.payouts.csv.${process.pid}.tmp`))).toBe(false);
  });
});
