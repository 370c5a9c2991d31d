/**
 * The built binary, as users run it: one run per command and the README's first command.
 * Everything else runs the command line in-process (test/helpers.ts `runCli`); these prove the
 * binary itself starts, parses and exits with the right code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinary, tempDir } from './helpers.js';

const POWER_UP = ['--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo'];

describe('the built binary', () => {
  it("runs the README's demo: every shipped campaign on the demo data", () => {
    const r = runBinary(['calc', '--rules', 'rules', '--data', 'fixtures/demo']);
    expect(r.code).toBe(0);
    // Contoso: 1,162 + 25,000 (D365 capped) + 716.40 (20% of 3,582 Azure) = 26,878.40 USD
    expect(r.stdout).toMatch(/1000001 Contoso Cloud\s+payable.*26878\.40 USD/);
    // Litware: EMS 630.00 USD paid in GBP at 1 / 1.35: 466.666... -> 466.67 GBP
    expect(r.stdout).toMatch(/1000006 Litware Ltd\s+payable.*466\.67 GBP/);
  });

  it('explain, progress, validate, test, schema, completion', () => {
    const explain = runBinary(['explain', '--partner', '1000008', ...POWER_UP]);
    expect(explain.code).toBe(0);
    // Proseware: EMS 300.00 earned, below the 500.00 minimum payout
    expect(explain.stdout).toMatch(/300\.00/);
    expect(explain.stdout).toMatch(/minimum/);
    expect(runBinary(['progress', ...POWER_UP]).code).toBe(0);
    expect(runBinary(['validate', 'rules']).code).toBe(0);
    expect(runBinary(['test', 'rules']).stdout.trim().split('\n').pop()).toBe('7 passed, 0 failed');
    expect((JSON.parse(runBinary(['schema']).stdout) as { $schema: string }).$schema).toMatch(/json-schema\.org/);
    expect(runBinary(['completion', 'bash']).stdout).toContain('complete -o filenames -F _incent incent');
  });

  it('a wrong command line exits 2, bad input 1', () => {
    expect(runBinary(['frobnicate']).code).toBe(2);
    expect(runBinary(['calc', '--rules', 'no-such-folder', '--data', 'fixtures/demo']).code).toBe(1);
  });

  it('init, then validate and test what it wrote', () => {
    const dir = join(tempDir(), 'campaign');
    expect(runBinary(['init', dir, '--id', 'e2e-campaign']).code).toBe(0);
    expect(existsSync(join(dir, 'rules', 'e2e-campaign.yaml'))).toBe(true);
    expect(runBinary(['validate', join(dir, 'rules')]).code).toBe(0);
    expect(
      runBinary(['test', join(dir, 'rules')])
        .stdout.trim()
        .split('\n')
        .pop(),
    ).toBe('1 passed, 0 failed');
  });

  it('reconcile and compare', () => {
    const rec = runBinary(['reconcile', ...POWER_UP, '--earnings', 'fixtures/earnings/power-up-2017.csv', '--as-of', '2017-10-01']);
    expect(rec.code).toBe(0);
    // Contoso: 26,878.40 expected, 26,944.00 paid by Microsoft: +65.60
    expect(rec.stdout).toMatch(/1000001 Contoso Cloud\s+26878\.40\s+26944\.00\s+65\.60/);
    const dir = tempDir();
    const saved = join(dir, 'calc.json');
    expect(runBinary(['calc', ...POWER_UP, '--format', 'json', '--out', saved]).code).toBe(0);
    const same = runBinary(['compare', saved, saved, '--format', 'json']);
    expect(same.code).toBe(0);
    expect(JSON.stringify(JSON.parse(same.stdout))).not.toMatch(/"difference":"-?[1-9]/);
    // A result against itself (currencies in code order): GBP 466.67, USD 76,878.40 before and after (26,878.40 + 50,000.00); nothing changes.
    expect((JSON.parse(same.stdout) as { totals: unknown[] }).totals).toEqual([
      { currency: 'GBP', before: '466.67', after: '466.67', difference: '0.00' },
      { currency: 'USD', before: '76878.40', after: '76878.40', difference: '0.00' },
    ]);
  });

  it('the payout ledger: init, run, list, show, export, statement, verify', () => {
    const ledger = join(tempDir(), 'payouts.db');
    expect(runBinary(['payout', 'init', '--ledger', ledger]).code).toBe(0);
    const run = runBinary(['payout', 'run', '--period', '2017-09', ...POWER_UP, '--ledger', ledger]);
    expect(run.code).toBe(0);
    // Woodgrove: O365 25,000 + D365 25,000 + Azure 600 = 50,600, campaign cap 50,000
    expect(run.stdout).toMatch(/1000007\s+pay\s+50000\.00\s+0\.00\s+50000\.00/);
    expect(runBinary(['payout', 'list', '--ledger', ledger]).stdout).toMatch(/1\s+2017-09\s+2017-09-30\s+recorded/);
    expect(runBinary(['payout', 'show', '1', '--ledger', ledger]).code).toBe(0);
    expect(runBinary(['payout', 'export', '1', '--ledger', ledger]).stdout).toContain('1,2017-09,1000006,,466.67,GBP,csp-power-up-2017,1');
    const statement = runBinary(['payout', 'statement', '1', '--partner', '1000007', '--ledger', ledger, '--partners', 'fixtures/demo/partners.csv']);
    expect(statement.stdout).toContain('Statement for 1000007 Woodgrove Cloud: run 1, period 2017-09');
    expect(runBinary(['payout', 'verify', '1', ...POWER_UP, '--ledger', ledger]).stdout).toMatch(/^run 1 verified/);
    expect(readFileSync(ledger).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
