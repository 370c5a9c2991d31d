/** The JSON Schema is generated from zod, checked in, and must not go stale. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReference, renderSchema } from '../src/commands/schema.js';
import { EARNING_METHODS } from '../src/earn/index.js';
import { serviceSchema } from '../src/campaign/schema.js';

describe('schema', () => {
  it('schema/campaign.schema.json is what `incent schema` prints (run `npm run schema` to refresh)', () => {
    expect(readFileSync('schema/campaign.schema.json', 'utf8')).toBe(renderSchema());
  });

  it('docs/campaign-reference.md is what `incent schema --format markdown` prints, and names every earning method', () => {
    const doc = readFileSync('docs/campaign-reference.md', 'utf8');
    expect(doc).toBe(renderReference());
    for (const k of Object.keys(EARNING_METHODS)) expect(doc).toContain(`| \`services.<name>.${k}\` |`);
    expect(doc).toContain('| `reconcile.levers` | map | yes |');
  });

  it('every earning method in the registry is a key of the service schema, and no other', () => {
    const serviceKeys = Object.keys(serviceSchema.shape);
    const methodKeys = Object.keys(EARNING_METHODS);
    expect(serviceKeys.filter((k) => !['qualify', 'cap', 'max_rate'].includes(k)).sort()).toEqual(methodKeys.sort());
    for (const [k, m] of Object.entries(EARNING_METHODS)) expect(m.key).toBe(k);
  });

  it('every shipped campaign carries the yaml-language-server schema comment', () => {
    const shipped = readdirSync('rules').filter((f) => f.endsWith('.yaml'));
    expect(shipped.length).toBe(5);
    for (const f of shipped.map((n) => `rules/${n}`)) {
      expect(readFileSync(f, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/campaign.schema.json');
    }
  });
});
