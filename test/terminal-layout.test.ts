/**
 * Tables laid out to the terminal's width ($COLUMNS here; process.stdout.columns on a
 * terminal): at 80 columns no partner line is wider than 80 cells, at 200 the services
 * are columns; ineligible partners that earned nothing are folded unless --all; CJK
 * names (two cells a character) keep the columns in line.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const POWER_UP = ['--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo'];
/** The table's lines: from the column titles to the legend. */
const tableLines = (out: string) =>
  out.split('\n').slice(
    1,
    out.split('\n').findIndex((l) => l.startsWith('  * capped')),
  );

describe('calc and progress tables at the terminal width', () => {
  it('calc at COLUMNS=80: services on a line under each partner, every line within 80 cells', async () => {
    const r = await runCli(['calc', ...POWER_UP], { env: { COLUMNS: '80' } });
    expect(r.code).toBe(0);
    const lines = tableLines(r.stdout);
    expect(lines[0]).toMatch(/^Partner +Status +Total +Payout$/);
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
    // Contoso as of 2017-09-15: O365 8 x 30 + 8 x 48 + 6 x 73 + 5 x 20 = 240 + 384 + 438 + 100 = 1,162.00; D365 capped at
    // 25,000.00; EMS 2 of the 3 customers it needs; Azure 20% of 3,582.00 = 716.40; total 1,162.00 + 25,000.00 + 716.40 = 26,878.40
    expect(r.stdout).toMatch(/^1000001 Contoso Cloud +payable +26878\.40 +26878\.40 USD$/m);
    expect(r.stdout).toContain('    Services: O365\u00a01162.00 · D365\u00a025000.00* · EMS\u00a0-\u00a02/3\u00a0cust · Azure\u00a0716.40');
  });

  it('calc at COLUMNS=200 (and with --wide at 80): a column per service', async () => {
    for (const [width, extra] of [
      ['200', []],
      ['80', ['--wide']],
    ] as const) {
      const r = await runCli(['calc', ...POWER_UP, ...extra], { env: { COLUMNS: width } });
      expect(tableLines(r.stdout)[0]).toMatch(/^Partner +Status +O365 +D365 +EMS +Azure +Total +Payout$/);
      expect(r.stdout).toMatch(/^1000001 Contoso Cloud +payable +1162\.00 +25000\.00\* +- 2\/3 cust +716\.40 +26878\.40 +26878\.40 USD$/m);
    }
  });

  it('folds the five ineligible partners that earned nothing into a count line; --all lists them', async () => {
    // Northwind (registered after the deadline), Tailspin (an indirect provider), Adatum, Wingtip and Alpine (not registered)
    const folded = await runCli(['calc', ...POWER_UP]);
    expect(folded.stdout).toContain('  + 5 ineligible partners with nothing earned; --all lists them');
    expect(folded.stdout).toContain('    REGISTERED_AFTER_DEADLINE 1, PARTNER_ROLE 1, PARTNER_NOT_REGISTERED 3');
    expect(folded.stdout).not.toContain('1000003 Northwind');
    const all = await runCli(['calc', ...POWER_UP, '--all']);
    expect(all.stdout).toMatch(/^1000003 Northwind Partners +ineligible \(REGISTERED_AFTER_DEADLINE\)/m);
    expect(all.stdout).not.toContain('ineligible partners with nothing earned');
    // Folding is a table matter: JSON lists every partner credited with a row (10 in Power Up).
    const json = JSON.parse((await runCli(['calc', ...POWER_UP, '--format', 'json'])).stdout) as { campaigns: { partners: unknown[] }[] };
    expect(json.campaigns[0]!.partners).toHaveLength(10);
  });

  it('progress at COLUMNS=80: the next step and the room under caps under each partner', async () => {
    const r = await runCli(['progress', ...POWER_UP], { env: { COLUMNS: '80' } });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Campaign +Partner +Status +Total +Days left$/);
    for (const l of lines.slice(0, -1)) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
    // Contoso's room: O365 25,000 - 1,162 = 23,838.00; D365 at its cap: 0.00; Azure 25,000 - 716.40 = 24,283.60;
    // campaign 50,000 - 26,878.40 = 23,121.60
    expect(r.stdout).toContain('    Room under caps: O365 23838.00, D365 0.00, Azure 24283.60; campaign 23121.60');
    expect(lines.at(-1)).toBe('  + 5 ineligible partners with nothing earned; --all lists them');
  });

  it('CJK partner names keep the columns in line (display width, not string length)', async () => {
    const dir = tempDir();
    cpSync('fixtures/demo', dir, { recursive: true });
    const partners = join(dir, 'partners.csv');
    writeFileSync(partners, readFileSync(partners, 'utf8').replace('Contoso Cloud', '東京クラウド株式会社'));
    const r = await runCli(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--data', dir]);
    const lines = tableLines(r.stdout);
    // Every line of the plain table has the same display width as its title line's columns: "Status" starts in one cell column.
    const statusAt = (l: string) => stringWidth(l.slice(0, l.search(/ (payable|not_qualified|below_minimum|Status)\b/)));
    const starts = lines.filter((l) => /^(Partner|\d{7})/.test(l)).map(statusAt);
    expect(new Set(starts).size).toBe(1);
    expect(r.stdout).toContain('1000001 東京クラウド株式会社');
  });
});
