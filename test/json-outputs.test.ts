/**
 * Every JSON output read back against its shape (src/report/json-shapes.ts, strict: a key
 * the shape does not declare fails), from real runs on the demo data; and the JSON Schemas
 * checked in under schema/ are what `incent schema --output NAME` prints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JSON_OUTPUTS, outputJsonSchema, type JsonOutputName } from '../src/report/json-shapes/index.js';
import { runCli, tempDir } from './helpers.js';

const DEMO = ['--rules', 'rules', '--data', 'fixtures/demo'];
const POWER_UP = ['--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo'];

async function json(args: string[]): Promise<unknown> {
  const r = await runCli(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

function conforms(name: JsonOutputName, value: unknown): void {
  const parsed = JSON_OUTPUTS[name].safeParse(value);
  expect(parsed.success ? [] : parsed.error.issues.slice(0, 5)).toEqual([]);
}

describe('JSON outputs against their shapes', () => {
  it('calc, on every shipped campaign and the demo data', async () => {
    conforms('calc', await json(['calc', ...DEMO, '--format', 'json']));
  });

  it('explain, for partners in every status (payable, capped, below minimum, ineligible, usage)', async () => {
    for (const partner of ['1000001', '1000002', '1000003', '1000006', '1000007', '1000008', '4000001']) {
      conforms('explain', await json(['explain', '--partner', partner, ...DEMO, '--format', 'json']));
    }
  });

  it('progress and validate', async () => {
    conforms('progress', await json(['progress', ...DEMO, '--format', 'json']));
    conforms('validate', await json(['validate', 'rules', '--format', 'json']));
    // A campaign with errors: diagnostics with file, line, column, expected and found.
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    const text = readFileSync('rules/csp-power-up-2017.yaml', 'utf8').replace('currency: USD', 'currency: USX');
    writeFileSync(bad, text);
    const r = await runCli(['validate', bad, '--format', 'json']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout) as { errors: number };
    expect(v.errors).toBeGreaterThan(0);
    conforms('validate', v);
  });

  it('every line of a JSON Lines trace', async () => {
    const trace = join(tempDir(), 'trace.jsonl');
    expect((await runCli(['calc', ...DEMO, '--format', 'json', '--out', join(tempDir(), 'out.json'), '--explain', trace])).code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    // The four campaigns paid on transactions each trace all 69 demo rows (the usage campaign traces usage.csv's), plus summary lines.
    expect(lines.length).toBeGreaterThan(4 * 69);
    for (const l of lines) conforms('trace-event', JSON.parse(l));
  });

  describe('the payout ledger', () => {
    const ledger = join(tempDir(), 'payouts.db');
    beforeAll(async () => {
      expect((await runCli(['payout', 'init', '--ledger', ledger])).code).toBe(0);
    });

    it('run, list, show, export (payees and --lines): camelCase keys, schemaVersion 1', async () => {
      const run = await json(['payout', 'run', '--period', '2017-09', ...POWER_UP, '--ledger', ledger, '--format', 'json']);
      conforms('payout-run', run);
      conforms('payout-list', await json(['payout', 'list', '--ledger', ledger, '--format', 'json']));
      const show = (await json(['payout', 'show', '1', '--ledger', ledger, '--format', 'json'])) as { lines: { partnerId: string; payoutAmount: string }[] };
      conforms('payout-show', show);
      // Litware: EMS 630.00 USD paid in GBP at 1 / 1.35 = 466.666... -> 466.67
      expect(show.lines.find((l) => l.partnerId === '1000006')?.payoutAmount).toBe('466.67');
      conforms('payout-export', await json(['payout', 'export', '1', '--ledger', ledger, '--format', 'json']));
      conforms('payout-export', await json(['payout', 'export', '1', '--lines', '--ledger', ledger, '--format', 'json']));
    });
  });

  it('reconcile and compare', async () => {
    conforms(
      'reconcile',
      await json(['reconcile', ...POWER_UP, '--earnings', 'fixtures/earnings/power-up-2017.csv', '--as-of', '2017-10-01', '--format', 'json']),
    );
    const dir = tempDir();
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    expect((await runCli(['calc', ...POWER_UP, '--format', 'json', '--out', before])).code).toBe(0);
    // Two weeks later C102's 6 E5 seats are removed (2017-09-20): Contoso 26,878.40 - 6 x 73 = 26,440.40.
    expect((await runCli(['calc', ...POWER_UP, '--as-of', '2017-09-30', '--format', 'json', '--out', after])).code).toBe(0);
    const c = (await json(['compare', before, after, '--format', 'json'])) as { totals: { currency: string; difference: string }[] };
    conforms('compare', c);
    expect(c.totals.find((t) => t.currency === 'USD')?.difference).toBe('-438.00');
  });

  it('a key the shape does not declare fails (the shapes are strict)', () => {
    expect(JSON_OUTPUTS['payout-list'].safeParse({ schemaVersion: 1, runs: [], extra: true }).success).toBe(false);
  });
});

describe('schema/ holds the JSON Schema of every JSON output', () => {
  it.each(Object.keys(JSON_OUTPUTS) as JsonOutputName[])('schema/%s.schema.json is current (npm run schema refreshes it)', (name) => {
    expect(JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8'))).toEqual(outputJsonSchema(name));
  });
});
