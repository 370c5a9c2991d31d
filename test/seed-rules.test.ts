/** Seed rules read right: double pay warned only where one partner can be paid twice; usage counts' messages. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAcrossCampaigns } from '../src/campaign/load.js';
import { campaignFromYaml, runCli, tempDir } from './helpers.js';

const campaign = (id: string, credit: string) =>
  campaignFromYaml(`
id: ${id}
currency: USD
period: { start: 2018-01-01, end: 2018-06-30 }
as_of: 2018-06-30
credit: ${credit}
services:
  O365: { per_unit: { rates: { E3: 10 } } }
`);

describe('DOUBLE_PAY: only where two campaigns can credit one partner for one row', () => {
  const warned = (a: string, b: string) => checkAcrossCampaigns([campaign('a', a), campaign('b', b)]).some((d) => d.code === 'DOUBLE_PAY');
  it('two campaigns crediting the transacting partner for one SKU: warned', () => {
    expect(warned('transacting_partner', 'transacting_partner')).toBe(true);
  });
  it('a transacting-partner campaign and a reseller campaign credit different partners: not warned', () => {
    expect(warned('transacting_partner', 'reseller')).toBe(false);
  });
  it('a CPOR campaign and a PAL campaign credit different partners by design: not warned', () => {
    expect(warned('claiming_partner', 'pal')).toBe(false);
  });
  it('a claiming-partner campaign and a transacting-partner one can credit the same partner: warned', () => {
    expect(warned('claiming_partner', 'transacting_partner')).toBe(true);
  });
});

describe('usage counts', () => {
  it('a negative count says a count must be 0 or more (it is a whole number)', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'c.yaml'),
      `id: u
currency: USD
period: { start: 2018-06-01, end: 2018-06-30 }
as_of: 2018-06-30
services:
  Intune: { per_active_user: { workloads: [Intune], metric: deployed_licenses, rates: { EMS: 1 } } }
`,
    );
    writeFileSync(join(dir, 'transactions.csv'), 'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\nT1,2018-01-01,P1,C1,EMS,CSP,5\n');
    writeFileSync(join(dir, 'usage.csv'), 'date,customer_id,workload,sku,metric,value\n2018-06-20,C1,Intune,EMS,deployed_licenses,-3\n');
    const r = await runCli(['calc', '--rules', join(dir, 'c.yaml'), '--data', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('usage.csv:2: value: error INVALID_ROW: a count must be 0 or more');
  });
});
