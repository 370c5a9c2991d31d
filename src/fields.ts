/** Shared zod field types for campaign files: exact decimals, calendar dates, currencies. */
import { z } from 'zod';
import { Decimal, DECIMAL_RE, isCurrency } from './money/index.js';
import { isIsoDate } from './dates.js';

/**
 * A decimal amount. The YAML loader hands numbers over as their source text, so
 * `1.24` arrives as the string "1.24" and never passes through a binary float.
 */
export const decimal = z
  .union([z.number(), z.string()])
  .refine((v) => (typeof v === 'number' ? Number.isFinite(v) : DECIMAL_RE.test(v.trim())), {
    message: 'expected a decimal number such as 25000 or 1.24',
  })
  .transform((v) => new Decimal(typeof v === 'number' ? String(v) : v.trim()))
  .meta({ description: 'A decimal number, e.g. 25000 or 1.24' });

export const nonNegativeDecimal = decimal.refine((d) => !d.isNegative(), { message: 'expected a number >= 0' });
export const positiveDecimal = decimal.refine((d) => d.gt(0), { message: 'expected a number > 0' });

export const count = z
  .union([z.number(), z.string()])
  .refine((v) => (typeof v === 'number' ? Number.isSafeInteger(v) && v >= 0 : /^\d+$/.test(v.trim())), {
    message: 'expected a whole number >= 0',
  })
  .transform((v) => (typeof v === 'number' ? v : Number(v.trim())))
  .meta({ description: 'A whole number >= 0' });

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'expected a calendar date YYYY-MM-DD' })
  .meta({ description: 'A calendar date, YYYY-MM-DD', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const currencyCode = z
  .string()
  .refine(isCurrency, { message: 'expected an ISO 4217 currency code such as USD, EUR, JPY' })
  .meta({ description: 'ISO 4217 currency code', pattern: '^[A-Z]{3}$' });
