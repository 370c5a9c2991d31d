/** The pieces every JSON output's shape is made of: exact amounts as strings, calendar dates, the version. */
import { z } from 'zod';

export const money = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'An exact amount, as a string with the currency minor-unit digits ("250.00")' });
export const exact = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'An exact decimal (a rate), as a string' });
export const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ description: 'A calendar date, YYYY-MM-DD' });
export const month = z.string().regex(/^\d{4}-\d{2}$/);
export const version = z.literal(1).meta({ description: 'The version of this shape; raised when a change would break a reader' });
export const status = z.enum(['payable', 'below_minimum', 'not_qualified', 'ineligible']);
export const counts = z.record(z.string(), z.number().int());
export const rows = z.strictObject({
  read: z.number().int(),
  used: z.number().int(),
  excluded: counts.meta({ description: 'Rows excluded, by reason code' }),
  excludedDetail: z.record(z.string(), counts).optional(),
});
export const tier = z.strictObject({
  counted: z.number(),
  counts: z.enum(['transactions', 'customers']),
  reached: z.number().optional(),
  next: z.number().optional(),
  toNext: z.number().optional(),
});
export const payoutFx = z.strictObject({ rate: exact, date, source: z.string() });
