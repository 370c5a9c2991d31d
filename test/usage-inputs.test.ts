/**
 * usage.csv, claims.csv and eligibility.csv through the built binary: bad rows are
 * errors with file, line and column, a missing file is named, and nothing is written.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const CAMPAIGN = `id: mau
currency: USD
period: { start: 2018-04-01, end: 2018-06-30 }
as_of: 2018-06-30
credit: claiming_partner
requires:
  eligibility: [partner_membership]
services:
  O365:
    per_active_user: { workloads: [ExO], rates: { E3: 1.00 } }
  AADP:
    per_active_user: { workloads: [AADP], metric: { largest_of: [sspr_registered, mfa_enabled] }, rates: { EMS: 0.50 } }
`;

const TX =
  'transaction_id,date,partner_id,customer_id,sku,license_program,subscription_id,quantity\nT1,2018-01-10,P1,C1,E3,CSP,S1,300\nT2,2018-01-10,P1,C1,EMS,CSP,S2,300\n';
const CLAIMS = 'partner_id,customer_id,subscription_id,workload,type,from,to\nP2,C1,,,CPOR,2018-01-01,\n';
const ELIGIBILITY = 'partner_id,requirement,from,to\nP2,partner_membership,2017-07-01,\n';
const USAGE =
  'date,customer_id,user_id,workload,sku,metric,value\n2018-06-20,C1,U1,ExO,E3,,\n2018-06-21,C1,U2,ExO,E3,,\n2018-06-20,C1,,AADP,EMS,sspr_registered,40\n2018-06-20,C1,,AADP,EMS,mfa_enabled,44\n';

function setup(files: Record<string, string | null> = {}): string {
  const dir = tempDir();
  const all: Record<string, string | null> = {
    'mau.yaml': CAMPAIGN,
    'transactions.csv': TX,
    'claims.csv': CLAIMS,
    'eligibility.csv': ELIGIBILITY,
    'usage.csv': USAGE,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) if (text !== null) writeFileSync(join(dir, name), text);
  return dir;
}

async function calc(dir: string) {
  const out = join(dir, 'out.json');
  const r = await runCli(['calc', '--rules', join(dir, 'mau.yaml'), '--data', dir, '--format', 'json', '--out', out]);
  return { ...r, out, written: existsSync(out) };
}

describe('usage campaign end to end', () => {
  it('computes from the four files', async () => {
    const dir = setup();
    const r = await calc(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse((await runCli(['calc', '--rules', join(dir, 'mau.yaml'), '--data', dir, '--format', 'json'])).stdout) as {
      campaigns: { partners: { partnerId: string; total: string; services: { service: string; amount: string }[] }[]; rows: unknown }[];
    };
    const c = json.campaigns[0]!;
    // O365: {U1, U2} x 1.00 = 2.00; AADP: max(40, 44) = 44 x 0.50 = 22.00; total 24.00
    expect(c.partners).toMatchObject([
      {
        partnerId: 'P2',
        total: '24.00',
        services: [
          { service: 'O365', amount: '2.00' },
          { service: 'AADP', amount: '22.00' },
        ],
      },
    ]);
    expect(c.rows).toEqual({ read: 4, used: 4, excluded: {} });
  });
});

describe('bad usage, claims and eligibility input', () => {
  const cases: { name: string; files: Record<string, string | null>; expect: string }[] = [
    {
      name: 'an unknown workload',
      files: { 'usage.csv': USAGE + '2018-06-22,C1,U3,Exchange,E3,,\n' },
      expect: 'usage.csv:6: workload: error INVALID_ROW: unknown workload Exchange',
    },
    {
      name: 'an unknown metric',
      files: { 'usage.csv': USAGE + '2018-06-22,C1,,AADP,EMS,mfa_users,3\n' },
      expect: 'usage.csv:6: metric: error INVALID_ROW: unknown metric mfa_users',
    },
    {
      name: 'a count that is not a whole number',
      files: { 'usage.csv': USAGE + '2018-06-22,C1,,AADP,EMS,mfa_enabled,4.5\n' },
      expect: 'usage.csv:6: value: error INVALID_ROW: value is not a whole number',
    },
    {
      name: 'two counts of one metric on one day',
      files: { 'usage.csv': USAGE + '2018-06-20,C1,,AADP,EMS,mfa_enabled,50\n' },
      expect: 'usage.csv:6: metric: error INVALID_ROW: customer C1 has two mfa_enabled counts for AADP (EMS) on 2018-06-20: lines 5 and 6',
    },
    {
      name: 'an unknown claim type',
      files: { 'claims.csv': CLAIMS + 'P3,C1,,,TPOR,2018-01-01,\n' },
      expect: 'claims.csv:3: type: error INVALID_ROW: unknown claim type',
    },
    {
      name: 'overlapping claims, naming both rows',
      files: { 'claims.csv': CLAIMS + 'P3,C1,,,CPOR,2018-05-01,2018-05-31\n' },
      expect: 'claims.csv:3: from: error INVALID_ROW: CPOR claim by P3 on the whole customer of customer C1 overlaps the CPOR claim by P2 on line 2',
    },
    {
      name: 'an eligibility span that ends before it starts',
      files: { 'eligibility.csv': ELIGIBILITY + 'P2,bank_tax_profile,2018-03-01,2018-02-01\n' },
      expect: 'eligibility.csv:3: to: error INVALID_ROW: the span ends (2018-02-01) before it starts (2018-03-01)',
    },
    {
      name: 'a usage campaign without usage.csv',
      files: { 'usage.csv': null },
      expect: 'usage.csv is needed by mau but was not found',
    },
    {
      name: 'a claims campaign without claims.csv',
      files: { 'claims.csv': null },
      expect: 'claims.csv is needed by mau but was not found',
    },
  ];
  for (const k of cases) {
    it(k.name, async () => {
      const r = await calc(setup(k.files));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(k.expect);
      expect(r.written).toBe(false);
    });
  }
});
