/**
 * Column presets: which layout a transactions file has, chosen by its signature
 * columns or named with --preset, and how its rows map onto the canonical columns.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { TX_REQUIRED } from '../transactions.js';
import { legacyLicense, nceDailyUsage, nceInvoice } from './partner-center.js';
import type { Preset } from './types.js';

export const PRESETS: readonly Preset[] = [legacyLicense, nceInvoice, nceDailyUsage];
export const PRESET_NAMES = ['canonical', ...PRESETS.map((p) => p.name)] as const;

/** A header lookup by lower-case name, with aliases. */
export function headerLookup(names: readonly string[]): (...candidates: string[]) => number {
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    const k = n.trim().toLowerCase();
    if (!index.has(k)) index.set(k, i);
  });
  return (...candidates) => {
    for (const c of candidates) {
      const i = index.get(c.toLowerCase());
      if (i !== undefined) return i;
    }
    return -1;
  };
}

export type Detected = { kind: 'canonical' } | { kind: 'preset'; preset: Preset };

/**
 * The layout of a header: canonical when it has the canonical required columns
 * (exact names), else the preset whose signature columns are all there. None: a
 * diagnostic that lists the canonical columns missing and the closest presets.
 */
export function detect(file: string, names: readonly string[], named?: string): Detected | Diagnostic {
  const exact = new Set(names.map((n) => n.trim().toLowerCase()));
  const cols = headerLookup(names);
  if (named) {
    if (named === 'canonical') return { kind: 'canonical' };
    const p = PRESETS.find((x) => x.name === named);
    if (!p)
      return {
        code: 'UNKNOWN_PRESET',
        severity: 'error',
        file: '--preset',
        message: `no preset named ${named}`,
        expected: PRESET_NAMES.join(', '),
        found: named,
      };
    const missing = p.required.filter((c) => cols(c, ...aliases(c)) < 0);
    if (missing.length)
      return missingDiagnostic(
        file,
        names,
        `the ${p.name} preset needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        p.required.join(', '),
      );
    return { kind: 'preset', preset: p };
  }
  if (TX_REQUIRED.every((c) => exact.has(c))) return { kind: 'canonical' };
  for (const p of PRESETS) {
    if (p.signature.every((c) => cols(c) >= 0)) {
      const missing = p.required.filter((c) => cols(c, ...aliases(c)) < 0);
      if (missing.length) return missingDiagnostic(file, names, `looks like ${p.description}, but lacks ${missing.join(', ')}`, p.required.join(', '));
      return { kind: 'preset', preset: p };
    }
  }
  const lacking = TX_REQUIRED.filter((c) => !exact.has(c));
  const closest = PRESETS.map((p) => ({
    p,
    have: [...p.signature, ...p.required].filter((c) => cols(c, ...aliases(c)) >= 0).length / (p.signature.length + p.required.length),
  }))
    .filter((x) => x.have > 0)
    .sort((a, b) => b.have - a.have)
    .slice(0, 2)
    .map((x) => `${x.p.name} (${Math.floor(x.have * 100)}% of its columns)`);
  return missingDiagnostic(
    file,
    names,
    `the header lacks the required column${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}, and no preset matches it (no --columns mapping was given)${closest.length ? `; closest presets: ${closest.join(', ')}` : ''}`,
    `canonical columns ${TX_REQUIRED.join(', ')} (see the README), a Partner Center export, or --columns mapping.yaml`,
  );
}

function aliases(c: string): string[] {
  return c === 'tier2mpnid' ? ['resellermpnid'] : [];
}

function missingDiagnostic(file: string, names: readonly string[], message: string, expected: string): Diagnostic {
  return { code: 'UNKNOWN_LAYOUT', severity: 'error', file, line: 1, message, expected, found: names.join(', ').slice(0, 300) || '(no columns)' };
}

export type { Preset, BoundPreset, Canon, CanonValues, BillingFields } from './types.js';
