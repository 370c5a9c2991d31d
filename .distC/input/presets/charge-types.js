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
/** Built in, matched case-insensitively. New commerce, then the legacy file's names. */
export const CHARGE_TYPES = {
    new: 'positive',
    addquantity: 'positive',
    renew: 'positive',
    cyclecharge: 'positive',
    convert: 'positive',
    purchase: 'positive',
    removequantity: 'negative',
    cancel: 'negative',
    refund: 'negative',
    'cycle fee': 'positive',
    'activation fee': 'positive',
    'renewal fee': 'positive',
    'purchase fee': 'positive',
    'prorate fees when purchase': 'positive',
    'prorate fees when activate': 'positive',
    'prorate fees when renew': 'positive',
    'cancel fee': 'negative',
    'cancellation fee': 'negative',
    'prorate fees when cancel': 'negative',
    'prorate fees when remove': 'negative',
    'prorate credit when cancel': 'negative',
};
const fileSchema = z.record(z.string().min(1), z.enum(['positive', 'negative', 'ignore']));
export function loadChargeTypes(file) {
    const map = new Map(Object.entries(CHARGE_TYPES));
    if (!file)
        return { map, diagnostics: [] };
    let raw;
    try {
        raw = parseYaml(readFileSync(file, 'utf8'));
    }
    catch (e) {
        return { map, diagnostics: [{ code: 'CHARGE_TYPES_FILE', severity: 'error', file, message: `not readable YAML: ${e.message}` }] };
    }
    const r = fileSchema.safeParse(raw);
    if (!r.success) {
        return {
            map,
            diagnostics: [
                { code: 'CHARGE_TYPES_FILE', severity: 'error', file, message: 'a charge-types file maps ChargeType names to positive, negative or ignore', expected: 'e.g. "Seat true-up: positive"', found: JSON.stringify(raw)?.slice(0, 80) ?? '(empty)' },
            ],
        };
    }
    for (const [k, v] of Object.entries(r.data))
        map.set(k.trim().toLowerCase(), v);
    return { map, diagnostics: [] };
}
