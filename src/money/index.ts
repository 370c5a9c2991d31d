/** The one money module: exact decimals, minor units, rounding, FX. */
export { Decimal, ZERO, dec, minDec, DECIMAL_RE } from './decimal.js';
export { isCurrency, minorUnits } from './currencies.js';
export { roundMoney, formatMoney, formatMoneyGrouped, sumByCurrency, exactText, type RoundingMode } from './rounding.js';
export { parseMicros, ScaledSum, microsToDecimal } from './scaled.js';
export { FxTable, FxMissingError, type FxQuote, type FxRate } from './fx.js';
