import { Decimal } from './decimal.js';
/**
 * Exact scaled integers for the hot path. Amounts are parsed once from their decimal
 * string into micro-units (10^-6) held in a JS number, which is exact while the
 * magnitude stays below 2^53. Amounts with more than 6 decimals are not rounded: the
 * caller keeps them as a Decimal remainder (see ScaledSum).
 */
export const SCALE_DIGITS = 6;
const SCALE = 1_000_000;
/**
 * Parses a decimal string into micro-units, or returns undefined when it has more
 * than 6 decimals or is too large for exact integer arithmetic. Returns null for text
 * that is not a decimal number at all.
 */
export function parseMicros(s) {
    const n = s.length;
    if (n === 0)
        return null;
    let i = 0;
    let neg = false;
    const c0 = s.charCodeAt(0);
    if (c0 === 45 /* - */ || c0 === 43 /* + */) {
        neg = c0 === 45;
        i = 1;
    }
    let int = 0;
    let digits = 0;
    for (; i < n; i++) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9)
            break;
        int = int * 10 + c;
        digits++;
    }
    let frac = 0;
    let fracDigits = 0;
    if (i < n && s.charCodeAt(i) === 46 /* . */) {
        i++;
        for (; i < n; i++) {
            const c = s.charCodeAt(i) - 48;
            if (c < 0 || c > 9)
                return null;
            if (fracDigits === SCALE_DIGITS) {
                fracDigits++;
                continue;
            }
            if (fracDigits < SCALE_DIGITS) {
                frac = frac * 10 + c;
                fracDigits++;
            }
        }
    }
    if (i !== n || (digits === 0 && fracDigits === 0))
        return null;
    if (fracDigits > SCALE_DIGITS) {
        // More precision than micro-units: only exact if the extra digits are zeros.
        const dot = s.indexOf('.');
        if (/[1-9]/.test(s.slice(dot + 1 + SCALE_DIGITS)))
            return undefined;
        fracDigits = SCALE_DIGITS;
    }
    for (let k = fracDigits; k < SCALE_DIGITS; k++)
        frac *= 10;
    const v = int * SCALE + frac;
    if (!Number.isSafeInteger(v))
        return undefined;
    return neg ? -v : v;
}
/** An exact running sum: micro-units in a number plus a Decimal for anything finer or larger. */
export class ScaledSum {
    micros = 0;
    extra = null;
    addString(s) {
        const m = parseMicros(s);
        if (m === null)
            throw new Error(`not a decimal number: ${JSON.stringify(s)}`);
        if (m === undefined)
            this.addDecimal(new Decimal(s));
        else
            this.addMicros(m);
    }
    addMicros(m) {
        const next = this.micros + m;
        if (Number.isSafeInteger(next))
            this.micros = next;
        else
            this.addDecimal(new Decimal(m).div(SCALE));
    }
    addDecimal(d) {
        this.extra = this.extra ? this.extra.plus(d) : d;
    }
    add(other) {
        this.addMicros(other.micros);
        if (other.extra)
            this.addDecimal(other.extra);
    }
    toDecimal() {
        const base = new Decimal(this.micros).div(SCALE);
        return this.extra ? base.plus(this.extra) : base;
    }
    isZero() {
        return this.micros === 0 && (this.extra === null || this.extra.isZero());
    }
}
export function microsToDecimal(m) {
    return new Decimal(m).div(SCALE);
}
