import { Decimal } from './decimal.js';
import { minorUnits } from './currencies.js';
/** Rounds to the currency's minor unit. half_up rounds halves away from zero. */
export function roundMoney(value, currency, mode) {
    const dp = minorUnits(currency);
    return value.toDecimalPlaces(dp, mode === 'half_even' ? Decimal.ROUND_HALF_EVEN : Decimal.ROUND_HALF_UP);
}
/** Formats money with exactly the currency's minor-unit digits ("0.00", JPY "0"). */
export function formatMoney(value, currency) {
    const s = value.toFixed(minorUnits(currency));
    return s === '-0' || /^-0\.0+$/.test(s) ? s.slice(1) : s;
}
/** An exact decimal as plain text (no exponent, no rounding), for traces. */
export function exactText(value) {
    return value.isZero() ? '0' : value.toFixed();
}
