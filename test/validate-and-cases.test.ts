/** incent validate (formats, exit codes), incent test (campaign cases), hostile campaign input. */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCampaign } from '../src/campaign/parse.js';
import { runCli, tempDir } from './helpers.js';

function folderWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const shipped = readFileSync('rules/csp-power-up-2017.yaml', 'utf8');

describe('incent validate', () => {
  it('passes the shipped campaigns', async () => {
    const r = await runCli(['validate', 'rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 campaigns valid, 0 errors, 0 warnings');
  });

  it('reports a misspelt key as text, json and GitHub annotations with line and column', async () => {
    const dir = folderWith({
      'c.yaml':
        'id: x\ncurrency: USD\nperiod: { start: 2017-02-01, end: 2017-06-30 }\nas_of: 2017-09-15\nservices:\n  O365:\n    per_unit: { rates: { E3: 73 } }\nminimun_payout: 500\n',
    });
    const text = await runCli(['validate', dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${join(dir, 'c.yaml')}:8:1: error UNKNOWN_KEY: unknown key "minimun_payout"; did you mean "minimum_payout"?`);
    const json = JSON.parse((await runCli(['validate', dir, '--format', 'json'])).stdout) as { diagnostics: { code: string; line: number; column: number }[] };
    expect(json.diagnostics[0]).toMatchObject({ code: 'UNKNOWN_KEY', line: 8, column: 1 });
    expect((await runCli(['validate', dir, '--format', 'github'])).stdout).toMatch(/^::error file=.*c\.yaml,line=8,col=1,title=UNKNOWN_KEY::unknown key/);
  });

  it('fails on warnings only with --strict', async () => {
    const dir = folderWith({ 'c.yaml': shipped.replace('as_of: 2017-09-15', 'as_of: 2017-06-15') });
    cpSync('rules/rate-cards', join(dir, 'rate-cards'), { recursive: true });
    expect((await runCli(['validate', dir])).code).toBe(0);
    expect((await runCli(['validate', dir, '--strict'])).code).toBe(1);
  });

  it('finds repeated campaign ids and double pay across campaigns in a folder', async () => {
    const dir = folderWith({ 'a.yaml': shipped, 'b.yaml': shipped.replace('id: csp-power-up-2017', 'id: other'), 'c.yaml': shipped });
    cpSync('rules/rate-cards', join(dir, 'rate-cards'), { recursive: true });
    const r = await runCli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DUPLICATE_CAMPAIGN_ID');
    expect(r.stdout).toContain('DOUBLE_PAY');
  });

  it('campaign ids differing only in letter case are one id (registrations.csv names a campaign in any case)', async () => {
    const dir = folderWith({ 'a.yaml': shipped, 'b.yaml': shipped.replace('id: csp-power-up-2017', 'id: CSP-Power-Up-2017') });
    cpSync('rules/rate-cards', join(dir, 'rate-cards'), { recursive: true });
    const r = await runCli(['validate', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /campaign id (CSP-Power-Up-2017|csp-power-up-2017) is also used by .*\.yaml \(as (csp-power-up-2017|CSP-Power-Up-2017); ids match in any letter case\)/,
    );
  });

  it('a rate above max_rate, a SKU in two services and a missing rate card', async () => {
    const dir = folderWith({
      'c.yaml': shipped.replace('max_rate: 73', 'max_rate: 70').replace('rate-cards/power-up-d365.csv', 'rate-cards/missing.csv'),
      'rate-cards/power-up-o365.csv': readFileSync('rules/rate-cards/power-up-o365.csv', 'utf8'),
      'rate-cards/power-up-ems.csv': 'sku,rate\nCFQ7TTC0LF8Q:0001,10\n',
    });
    const r = await runCli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/power-up-o365\.csv:2:1: error RATE_ABOVE_MAX: O365 rate for CFQ7TTC0LF8S:0001 is 73, above the service's max_rate 70/);
    expect(r.stdout).toContain('SKU_IN_TWO_SERVICES');
    expect(r.stdout).toContain('RATE_CARD_NOT_FOUND');
  });
});

describe('hostile campaign input', () => {
  it('a billion-laughs alias bomb is refused quickly', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const started = process.hrtime.bigint();
    const parsed = parseCampaign(bomb.join('\n') + '\n', 'bomb.yaml');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(parsed.raw).toBeUndefined();
    expect(parsed.diagnostics[0]?.code).toBe('YAML_ALIAS_LIMIT');
    expect(ms).toBeLessThan(1000);
  });

  it('a 50 MB file and a binary file get a diagnostic, not a crash', async () => {
    const dir = folderWith({ 'big.yaml': 'x: ' + 'a'.repeat(50 * 1024 * 1024) + '\n', 'bin.yaml': '\u0000\u0001\u0002ELF' });
    const r = await runCli(['validate', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const codes = (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['CAMPAIGN_TOO_LARGE', 'NOT_TEXT']);
  });

  it('constructor / prototype keys never reach an object', () => {
    const parsed = parseCampaign('id: x\nconstructor: { prototype: { polluted: 1 } }\n', 'p.yaml');
    expect(parsed.diagnostics.map((d) => d.code)).toContain('FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('incent test', () => {
  it('runs the shipped cases', async () => {
    const r = await runCli(['test', 'rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}csp-power-up-2017\.yaml › three-net-new-customers/);
    expect(r.stdout.trim().split('\n').pop()).toBe('7 passed, 0 failed');
  });

  it('reports a failing case with the differing amounts', async () => {
    const dir = tempDir();
    cpSync('rules', dir, { recursive: true });
    const exp = join(dir, 'csp-power-up-2017.cases/below-minimum/expected.yaml');
    writeFileSync(exp, readFileSync(exp, 'utf8').replace('total: "300.00"', 'total: "310.00"'));
    const r = await runCli(['test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  csp-power-up-2017.yaml › below-minimum');
    expect(r.stdout).toContain('partner 1000001 total: expected 310.00, got 300.00');
    expect(r.stdout).toContain('6 passed, 1 failed');
  });
});
