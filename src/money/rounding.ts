import { Decimal } from './decimal.js';
import { minorUnits } from './currencies.js';

export type RoundingMode = 'half_up' | 'half_even';

/** Rounds to the currency's minor unit. half_up rounds halves away from zero. */
export function roundMoney(value: Decimal, currency: string, mode: RoundingMode): Decimal {
  const dp = minorUnits(currency);
  return value.toDecimalPlaces(dp, mode === 'half_even' ? Decimal.ROUND_HALF_EVEN : Decimal.ROUND_HALF_UP);
}

/** Formats money with exactly the currency's minor-unit digits ("0.00", JPY "0"). */
export function formatMoney(value: Decimal, currency: string): string {
  const s = value.toFixed(minorUnits(currency));
  return s === '-0' || /^-0\.0+$/.test(s) ? s.slice(1) : s;
}

/** formatMoney with thousands separators, for people (the digits are formatMoney's: "26,878.40"). */
export function formatMoneyGrouped(value: Decimal, currency: string): string {
  return formatMoney(value, currency).replace(/^(-?\d+)/, (w) => w.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

/** Amounts summed per currency, exactly, in the order each currency first appears. */
export function sumByCurrency(items: Iterable<readonly [currency: string, amount: Decimal | string]>): Map<string, Decimal> {
  const by = new Map<string, Decimal>();
  for (const [currency, amount] of items) by.set(currency, (by.get(currency) ?? new Decimal(0)).plus(amount));
  return by;
}

/** An exact decimal as plain text (no exponent, no rounding), for traces. */
export function exactText(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}
