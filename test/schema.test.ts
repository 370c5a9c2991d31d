/** The JSON Schema is generated from zod, checked in, and must not go stale. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema } from '../src/commands/schema.js';
import { EARNING_METHODS } from '../src/engine/earn/index.js';
import { serviceSchema } from '../src/campaign/schema.js';

describe('schema', () => {
  it('schema/campaign.schema.json is what `incent schema` prints (run `npm run schema` to refresh)', () => {
    expect(readFileSync('schema/campaign.schema.json', 'utf8')).toBe(renderSchema());
  });

  it('every earning method in the registry is a key of the service schema, and no other', () => {
    const serviceKeys = Object.keys(serviceSchema.shape);
    const methodKeys = Object.keys(EARNING_METHODS);
    expect(serviceKeys.filter((k) => !['qualify', 'cap', 'max_rate'].includes(k)).sort()).toEqual(methodKeys.sort());
    for (const [k, m] of Object.entries(EARNING_METHODS)) expect(m.key).toBe(k);
  });

  it('every shipped campaign carries the yaml-language-server schema comment', () => {
    for (const f of ['rules/csp-power-up-2017.yaml']) {
      expect(readFileSync(f, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/campaign.schema.json');
    }
  });
});
