import { Decimal as DecimalBase } from 'decimal.js';

/**
 * The one Decimal constructor incent uses: 40 significant digits, so FX products and
 * inverse rates keep every digit that matters before the declared rounding.
 */
export const Decimal = DecimalBase.clone({ precision: 40, rounding: DecimalBase.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO = new Decimal(0);

/** A plain decimal literal: optional sign, digits, optional fraction. No exponents, no spaces. */
export const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses a decimal literal exactly; throws on anything else (never goes through a float). */
export function dec(s: string | number | Decimal): Decimal {
  if (typeof s === 'number') {
    if (!Number.isSafeInteger(s)) throw new Error(`refusing a non-integer JS number as money: ${s}`);
    return new Decimal(s);
  }
  if (typeof s !== 'string') return s;
  if (!DECIMAL_RE.test(s)) throw new Error(`not a decimal number: ${JSON.stringify(s)}`);
  return new Decimal(s);
}

export function minDec(a: Decimal, b: Decimal): Decimal {
  return a.lte(b) ? a : b;
}
