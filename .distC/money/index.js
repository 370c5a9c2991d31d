/** The one money module: exact decimals, minor units, rounding, FX. */
export { Decimal, ZERO, dec, isDecimalString, minDec, DECIMAL_RE } from './decimal.js';
export { isCurrency, minorUnits } from './currencies.js';
export { roundMoney, formatMoney, exactText } from './rounding.js';
export { parseMicros, ScaledSum, microsToDecimal } from './scaled.js';
export { FxTable, FxMissingError } from './fx.js';
