/** incent init: a scaffold that validates, whose case passes, and that overwrites nothing. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '../src/commands/init.js';
import { runCases } from '../src/commands/test-cases.js';
import { validate } from '../src/commands/validate.js';
import { InvalidInputError } from '../src/diagnostics.js';
import { renderSchema } from '../src/commands/schema.js';
import { runCli, tempDir } from './helpers.js';

describe('incent init', () => {
  it('writes a campaign that validates, with a case that passes (worked by hand in its expected.yaml)', async () => {
    const dir = tempDir();
    const written = init(dir, 'power-up-2026');
    expect(written.map((f) => f.slice(dir.length + 1))).toEqual([
      'rules/power-up-2026.yaml',
      'rules/rate-cards/power-up-2026.csv',
      'rules/power-up-2026.cases/example/transactions.csv',
      'rules/power-up-2026.cases/example/expected.yaml',
      'schema/campaign.schema.json',
    ]);
    expect(validate([join(dir, 'rules')], 'text', true)).toMatchObject({ exitCode: 0 });
    // P1: 6 x 10 + 5 x 20 = 160.00 payable; P2: 4 seats < 5, not qualified.
    const cases = await runCases([join(dir, 'rules')]);
    expect(cases.output).toContain('1 passed, 0 failed');
    expect(cases.exitCode).toBe(0);
    // The editor comment points at the schema written beside it.
    expect(readFileSync(join(dir, 'rules/power-up-2026.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/campaign.schema.json');
    expect(readFileSync(join(dir, 'schema/campaign.schema.json'), 'utf8')).toBe(renderSchema());
  });

  it('overwrites nothing and refuses an id incent would not accept', () => {
    const dir = tempDir();
    init(dir, 'c1');
    const again = (() => {
      try {
        init(dir, 'c1');
      } catch (e) {
        return e;
      }
    })();
    expect(again).toBeInstanceOf(InvalidInputError);
    expect((again as InvalidInputError).diagnostics.map((d) => d.code)).toEqual(Array(5).fill('FILE_EXISTS'));
    expect(() => init(dir, '../escape')).toThrow(InvalidInputError);
  });

  it('through the binary: exit 0, then exit 1 on a second run', async () => {
    const dir = tempDir();
    expect((await runCli(['init', dir, '--id', 'demo-campaign'])).code).toBe(0);
    const r = await runCli(['init', dir, '--id', 'demo-campaign']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('exists already');
  });
});
