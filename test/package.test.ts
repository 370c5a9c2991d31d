/** What `npm pack` ships: everything the README points a user to, nothing of the development tree. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

describe('npm pack', () => {
  it('ships the binary, docs, demo data, campaigns and schema; not the sources, tests or benchmarks', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    for (const f of [
      'dist/cli.js',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'package.json',
      'docs/json.md',
      'docs/reconcile.md',
      'docs/ledger.md',
      'docs/architecture.md',
      'fixtures/demo/transactions.csv',
      'fixtures/earnings/power-up-2017.csv',
      'rules/csp-power-up-2017.yaml',
      'rules/rate-cards/power-up-o365.csv',
      'schema/campaign.schema.json',
    ]) {
      expect(files.has(f), f).toBe(true);
    }
    for (const f of files) expect(f, f).not.toMatch(/^(src|test|bench|\.ci|\.dist)/);
  });
});
