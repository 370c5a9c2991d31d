/**
 * Partner Center ChargeType values and what they mean for seats. A billing line's
 * seats count with the sign of its amount; a zero-amount line takes its sign from its
 * ChargeType. `ignore` lines carry no seats (their amount is still revenue). The list
 * is open-ended upstream, so an unknown value is an error that names it; a user adds
 * values with `--charge-types FILE` (YAML: `Name: positive | negative | ignore`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Diagnostic } from '../../diagnostics.js';

export type ChargeClass = 'positive' | 'negative' | 'ignore';

/**
 * Built in, matched case-insensitively: every charge type Microsoft documents for the
 * reconciliation files, with its seat effect. New commerce first, then the legacy
 * licence-based file's, then the discounts, credits and usage fees that carry money
 * but no seats (`ignore`).
 */
export const CHARGE_TYPES: Readonly<Record<string, ChargeClass>> = {
  // new commerce (invoice reconciliation)
  new: 'positive',
  addquantity: 'positive',
  renew: 'positive',
  cyclecharge: 'positive',
  convert: 'positive',
  purchase: 'positive',
  removequantity: 'negative',
  cancel: 'negative',
  cancelimmediate: 'negative',
  refund: 'negative',
  // legacy licence-based: a purchase, a cycle, a renewal, a change assessed
  'activation fee': 'positive',
  'cycle fee': 'positive',
  'cycle instance prorate': 'positive',
  'renew fee': 'positive',
  'renewal fee': 'positive',
  'purchase fee': 'positive',
  'prorate fees when purchase': 'positive',
  'prorate fees when activate': 'positive',
  'prorate fees when renew': 'positive',
  'prorate fee when renew': 'positive',
  'prorate fees when convert to a new offering': 'positive',
  // legacy licence-based: a change refunded, a cancellation, a conversion away
  'cancel fee': 'negative',
  'cancellation fee': 'negative',
  'cancel instance prorate': 'negative',
  'prorate fees when cancel': 'negative',
  'prorate fees when remove': 'negative',
  'prorate credit when cancel': 'negative',
  'prorate fees when convert away from current offering': 'negative',
  // money without seats
  'activation discount': 'ignore',
  'cycle discount': 'ignore',
  'renew discount': 'ignore',
  'cancel discount': 'ignore',
  'offset a line item': 'ignore',
  'assess usage fee when cancel': 'ignore',
  'assess usage fee for current cycle': 'ignore',
};

/** A charge type's class: built in or added, by name (case-insensitive), with the documented "Prorate fees when convert ..." family by prefix. */
export function chargeClass(types: ReadonlyMap<string, ChargeClass>, name: string): ChargeClass | undefined {
  const k = name.trim().toLowerCase();
  const c = types.get(k);
  if (c !== undefined) return c;
  if (k.startsWith('prorate fees when convert away')) return 'negative';
  if (k.startsWith('prorate fees when convert to')) return 'positive';
  return undefined;
}

const fileSchema = z.record(z.string().min(1), z.enum(['positive', 'negative', 'ignore']));

export function loadChargeTypes(file: string | undefined): { map: Map<string, ChargeClass>; diagnostics: Diagnostic[] } {
  const map = new Map<string, ChargeClass>(Object.entries(CHARGE_TYPES));
  if (!file) return { map, diagnostics: [] };
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    return { map, diagnostics: [{ code: 'CHARGE_TYPES_FILE', severity: 'error', file, message: `not readable YAML: ${(e as Error).message}` }] };
  }
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    return {
      map,
      diagnostics: [
        {
          code: 'CHARGE_TYPES_FILE',
          severity: 'error',
          file,
          message: 'a charge-types file maps ChargeType names to positive, negative or ignore',
          expected: 'e.g. "Seat true-up: positive"',
          found: JSON.stringify(raw)?.slice(0, 80) ?? '(empty)',
        },
      ],
    };
  }
  for (const [k, v] of Object.entries(r.data)) map.set(k.trim().toLowerCase(), v);
  return { map, diagnostics: [] };
}
