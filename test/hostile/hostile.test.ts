/**
 * Runs the hostile-input table (cases.ts) through the built binary. Each case gets its
 * own copy of the demo and its own TMPDIR, which must be empty afterwards: no spool,
 * spill or temporary output is left behind, whatever the outcome.
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';
import { CASES, type World } from './cases.js';

function world(): World {
  const dir = tempDir();
  cpSync('fixtures/demo', join(dir, 'data'), { recursive: true });
  cpSync('rules', join(dir, 'rules'), { recursive: true });
  return { dir, data: join(dir, 'data'), rules: join(dir, 'rules'), tx: join(dir, 'data', 'transactions.csv') };
}

/** Hidden temporary outputs (`.NAME.PID.tmp`) anywhere under `dir`. */
function hiddenTemps(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => /(^|\/)\.[^/]+\.\d+\.tmp(\.old)?$/.test(p));
}

describe('hostile inputs', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const w = world();
    const tmp = join(w.dir, 'tmp');
    mkdirSync(tmp);
    const args = c.setup(w);
    const r = await runCli(args, { env: { ...c.env, TMPDIR: tmp }, ...(c.inCopy ? { cwd: w.dir } : {}), ...(c.stdin ? { input: c.stdin(w) } : {}) });
    const context = `exit ${r.code}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;
    expect(r.code, context).toBe(c.exit);
    for (const s of c.stderr ?? []) expect(r.stderr, context).toMatch(typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
    for (const s of c.stdout ?? []) expect(r.stdout, context).toMatch(typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
    for (const s of c.stderrNot ?? []) expect(r.stderr).not.toMatch(typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
    for (const s of c.stdoutNot ?? []) expect(r.stdout).not.toMatch(typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
    for (const p of c.absent ?? []) expect(existsSync(join(w.dir, p)), `${p} should not exist`).toBe(false);
    expect(readdirSync(tmp), 'temporary files left in TMPDIR').toEqual([]);
    expect(hiddenTemps(w.dir), 'temporary outputs left').toEqual([]);
    c.after?.(w, r);
  });
});
