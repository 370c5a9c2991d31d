/**
 * `--columns mapping.yaml`: any other export (a distributor's portal, an ERP) mapped
 * onto the canonical columns, with value transforms for dates and booleans:
 *
 *   columns:
 *     transaction_id: Line Id
 *     date: { column: Posted, format: D.M.YYYY }
 *     partner_id: Partner
 *     license_program: { value: CSP }
 *     net_new: { column: New, true: [Y], false: [N] }
 *
 * Without a transaction_id column, rows are named `file:line`.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Diagnostic } from '../../diagnostics.js';
import { TX_OPTIONAL, TX_REQUIRED } from '../transactions.js';
import { DATE_FORMATS, toIsoDate } from './us-date.js';
import type { BoundPreset, Canon, CanonValues } from './types.js';

const CANON = [...TX_REQUIRED, ...TX_OPTIONAL] as const;

const spec = z.union([
  z.string().min(1),
  z.strictObject({ value: z.string() }),
  z.strictObject({
    column: z.string().min(1),
    format: z.enum(DATE_FORMATS).optional(),
    true: z.array(z.string()).optional(),
    false: z.array(z.string()).optional(),
    map: z.record(z.string(), z.string()).optional(),
  }),
]);

export const mappingSchema = z.strictObject({
  name: z.string().optional(),
  columns: z.partialRecord(z.enum(CANON), spec),
});
export type Mapping = z.output<typeof mappingSchema>;

export function loadMapping(file: string): { mapping?: Mapping; diagnostics: Diagnostic[] } {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    return { diagnostics: [{ code: 'COLUMN_MAPPING', severity: 'error', file, message: `not readable YAML: ${(e as Error).message}` }] };
  }
  const r = mappingSchema.safeParse(raw);
  if (!r.success) {
    return {
      diagnostics: r.error.issues.map((i) => ({
        code: 'COLUMN_MAPPING',
        severity: 'error' as const,
        file,
        field: i.path.join('.'),
        message: i.message,
        expected: `columns: { <canonical column>: "Source column" | { column, format?, true?, false?, map? } | { value } } with canonical columns ${CANON.join(', ')}`,
      })),
    };
  }
  const missing = TX_REQUIRED.filter((c) => c !== 'transaction_id' && !r.data.columns[c]);
  if (missing.length) {
    return {
      diagnostics: [
        {
          code: 'COLUMN_MAPPING',
          severity: 'error',
          file,
          field: 'columns',
          message: `the mapping lacks the required canonical column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
          expected: TX_REQUIRED.join(', '),
        },
      ],
    };
  }
  return { mapping: r.data, diagnostics: [] };
}

/** The source columns a mapping reads that the header lacks. */
export function mappingMissing(m: Mapping, has: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const s of Object.values(m.columns)) {
    const col = typeof s === 'string' ? s : 'column' in s ? s.column : undefined;
    if (col && !has(col)) out.push(col);
  }
  return out;
}

export function bindMapping(m: Mapping, cols: (name: string) => number): BoundPreset {
  const getters: [Canon, (rec: string[]) => string][] = [];
  const labels: Partial<Record<Canon, string>> = {};
  for (const [canon, s] of Object.entries(m.columns) as [Canon, z.output<typeof spec>][]) {
    if (typeof s === 'string') {
      const i = cols(s);
      labels[canon] = s;
      getters.push([canon, (rec) => (rec[i] ?? '').trim()]);
    } else if ('value' in s) {
      getters.push([canon, () => s.value]);
    } else {
      const i = cols(s.column);
      labels[canon] = s.column;
      const truthy = new Set(s.true ?? []);
      const falsy = new Set(s.false ?? []);
      getters.push([
        canon,
        (rec) => {
          let v = (rec[i] ?? '').trim();
          if (s.map && v in s.map) v = s.map[v]!;
          if (s.format) v = v === '' ? v : toIsoDate(v, s.format);
          if (truthy.has(v)) v = 'true';
          else if (falsy.has(v)) v = 'false';
          return v;
        },
      ]);
    }
  }
  return {
    name: m.name ?? 'custom mapping',
    idFromLine: !m.columns.transaction_id,
    labels,
    map(rec): CanonValues {
      const out: CanonValues = {};
      for (const [canon, get] of getters) out[canon] = get(rec);
      return out;
    },
  };
}
