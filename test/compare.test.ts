/** incent compare (what-if) on the demo; each cost worked out by hand from the Power Up terms. */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare } from '../src/commands/compare.js';
import type { CompareOutcome } from '../src/reconcile/compare.js';
import { compareCsv } from '../src/report/compare.js';
import { InvalidInputError } from '../src/diagnostics.js';
import { runCli } from './helpers.js';

const RULES = 'rules/csp-power-up-2017.yaml';
const quiet = { warn() {} };
const base = { rules: [RULES], data: 'fixtures/demo' };
const HEADER =
  'transaction_id,date,partner_id,reseller_id,customer_id,customer_country,sku,service,license_program,subscription_id,subscription_type,quantity,amount,currency,customer_flags\n';

/** A copy of the Power Up campaign whose O365 E3 rate (CFQ7TTC0LF8Q:0001) is `rate` instead of 48. */
function withE3Rate(rate: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'incent-whatif-'));
  cpSync('rules/csp-power-up-2017.yaml', join(dir, 'csp-power-up-2017.yaml'));
  cpSync('rules/rate-cards', join(dir, 'rate-cards'), { recursive: true });
  const card = join(dir, 'rate-cards', 'power-up-o365.csv');
  writeFileSync(card, readFileSync(card, 'utf8').replace('CFQ7TTC0LF8Q:0001,48,', `CFQ7TTC0LF8Q:0001,${rate},`));
  return join(dir, 'csp-power-up-2017.yaml');
}

const money = (o: CompareOutcome) => o.comparison.totals.map((t) => [t.currency, t.difference.toFixed(2)]);

describe('compare: a baseline against a scenario', () => {
  it('one rate changed on the rate card: its cost, by hand', async () => {
    const o = await compare({ base, withRules: [withE3Rate('50')] }, quiet);
    // E3 48 -> 50 (+2 a seat). Who is paid for E3 seats: Contoso (1000001) for C101, 10 seats (T1001) - 2 (T1006) = 8 -> +16.00.
    // Woodgrove's 100 E3 seats (T7003) sit under O365's 25,000 cap either way (14,600 + 7,300 + 4,800 or 5,000 > 25,000): no change.
    // Fabrikam (not qualified) and the ineligible partners earn nothing either way.
    // Litware's payout in GBP does not move.
    expect(money(o)).toEqual([
      ['GBP', '0.00'],
      ['USD', '16.00'],
    ]);
    expect([o.comparison.gain, o.comparison.lose]).toEqual([1, 0]);
    const [p] = o.comparison.campaigns[0]!.partners;
    expect(p!.partnerId).toBe('1000001');
    // O365 1,162.00 -> 1,178.00; payout 26,878.40 -> 26,894.40.
    expect([p!.payout.before!.toFixed(2), p!.payout.after!.toFixed(2)]).toEqual(['26878.40', '26894.40']);
    expect(p!.services.map((s) => [s.service, s.amount.before!.toFixed(2), s.amount.after!.toFixed(2), s.difference.toFixed(2)])).toEqual([
      ['O365', '1162.00', '1178.00', '16.00'],
    ]);
  });

  it('a customer added to a partner one customer short: not_qualified -> payable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incent-whatif-'));
    const extra = join(dir, 'extra.csv');
    writeFileSync(extra, HEADER + 'T2004,2017-04-01,1000002,,C204,US,CFQ7TTC0LF8Q:0001,O365,CSP,S2004,paid,6,,,\n');
    const o = await compare({ base, addTransactions: [extra] }, quiet);
    // Fabrikam (1000002) had 2 qualifying O365 customers (C201 5 seats, C202 7; C203 has 4 < 5) of the 3 needed.
    // C204 with 6 seats makes 3: (5 + 7 + 6) x 48 = 864.00 >= the 500 minimum -> payable, 864.00 USD.
    const [p] = o.comparison.campaigns[0]!.partners;
    expect([p!.partnerId, p!.statusChange, p!.payoutDifference.toFixed(2)]).toEqual(['1000002', 'not_qualified -> payable', '864.00']);
    expect(p!.services[0]!.qualified).toEqual({ before: false, after: true });
    expect(money(o)).toEqual([
      ['GBP', '0.00'],
      ['USD', '864.00'],
    ]);
    // CSV: the partner's line carries the payout difference; summing those per currency is the cost.
    const lines = compareCsv(o).trim().split('\n');
    expect(lines[1]).toBe('csp-power-up-2017,1000002,Fabrikam IT,,not_qualified,payable,0.00,864.00,864.00,USD,,,');
  });

  it('a campaign the scenario adds or drops counts in the cost: its partners are paid from nothing, or no longer', async () => {
    // Adding Canada frequency: Maple Cloud reaches the 3-customer tier with 4 customers, 4 x 50 = 200.00 CAD; the others earn nothing.
    const added = await compare({ base, withRules: [RULES, 'rules/ca-frequency.yaml'] }, quiet);
    expect(money(added)).toEqual([
      ['CAD', '200.00'],
      ['GBP', '0.00'],
      ['USD', '0.00'],
    ]);
    expect([added.comparison.gain, added.comparison.lose, added.comparison.onlyAfter]).toEqual([1, 0, ['ca-frequency-2018q2']]);
    // Dropping Power Up: Contoso's 26,878.40 and Woodgrove's 50,000.00 USD (76,878.40), Litware's 466.67 GBP; three partners lose.
    const dropped = await compare({ base: { ...base, rules: [RULES, 'rules/ca-frequency.yaml'] }, withRules: ['rules/ca-frequency.yaml'] }, quiet);
    expect(money(dropped)).toEqual([
      ['CAD', '0.00'],
      ['GBP', '-466.67'],
      ['USD', '-76878.40'],
    ]);
    expect([dropped.comparison.gain, dropped.comparison.lose]).toEqual([0, 3]);
  });

  it('nothing changed: the same cost, no partner listed', async () => {
    const o = await compare({ base, withRules: [withE3Rate('48')] }, quiet);
    expect(money(o)).toEqual([
      ['GBP', '0.00'],
      ['USD', '0.00'],
    ]);
    expect(o.comparison.campaigns[0]!.partners).toEqual([]);
  });
});

describe('compare: two saved calc results', () => {
  it('reads calc --format json files; refuses another version and what is not a calc result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incent-compare-'));
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    expect((await runCli(['calc', '--rules', RULES, '--data', 'fixtures/demo', '--format', 'json', '--out', before])).code).toBe(0);
    expect((await runCli(['calc', '--rules', withE3Rate('40'), '--data', 'fixtures/demo', '--format', 'json', '--out', after])).code).toBe(0);
    const r = await runCli(['compare', before, after, '--format', 'json']);
    expect(r.code).toBe(0);
    // E3 48 -> 40 (-8 a seat) on Contoso's 8 seats: -64.00; Woodgrove's O365 stays capped (14,600 + 7,300 + 4,000 = 25,900 > 25,000).
    // USD payouts before: Contoso 26,878.40 + Woodgrove 50,000.00 = 76,878.40; after 76,878.40 - 64 = 76,814.40. Litware's 466.67 GBP stays.
    const json = JSON.parse(r.stdout) as { schemaVersion: number; totals: { currency: string; difference: string }[]; gain: number; lose: number };
    expect([json.schemaVersion, json.totals, json.gain, json.lose]).toEqual([
      1,
      [
        { currency: 'GBP', before: '466.67', after: '466.67', difference: '0.00' },
        { currency: 'USD', before: '76878.40', after: '76814.40', difference: '-64.00' },
      ],
      0,
      1,
    ]);

    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ ...JSON.parse(readFileSync(after, 'utf8')), schemaVersion: 2 }));
    const refused = await runCli(['compare', before, newer]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/newer\.json.*version 2; this incent reads version 1/);
    const notCalc = join(dir, 'other.json');
    writeFileSync(notCalc, '{"hello": 1}');
    expect((await runCli(['compare', before, notCalc])).stderr).toMatch(/other\.json.*not a calc result/);
  });

  it('a wrong command line exits 2', async () => {
    expect((await runCli(['compare', '--rules', RULES, '--data', 'fixtures/demo'])).code).toBe(2);
    expect((await runCli(['compare', 'a.json'])).code).toBe(2);
  });

  it('in-process refusal names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incent-compare-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'not json');
    const err = await compare({ files: [bad, bad] }, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).diagnostics[0]!.file).toBe(bad);
  });
});
