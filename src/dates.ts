/**
 * Calendar dates as `YYYY-MM-DD` strings: they compare correctly as strings and never
 * shift with the machine's time zone. Arithmetic goes through UTC only.
 */
// Per-function entry points: the package root loads every function (~80 ms at startup).
import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format as formatDate } from 'date-fns/format';
import { UTCDate } from '@date-fns/utc';

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
}

/** True for an existing calendar date written YYYY-MM-DD (hot path: no regex, no Date). */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const mo = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (y < 1) return false;
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// UTCDate makes date-fns do its calendar arithmetic in UTC, whatever TZ the machine has.
function toUtc(iso: string): UTCDate {
  return new UTCDate(`${iso}T00:00:00Z`);
}

function fromUtc(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The first and last days incent's calendar knows; an open end is written as the last. */
export const FIRST_DAY = '0001-01-01';
export const LAST_DAY = '9999-12-31';

/**
 * The calendar date `n` days after `iso` (n may be negative), kept within
 * FIRST_DAY..LAST_DAY: a result past either end is that end (JavaScript would write the
 * year 10000 as `+010000`, which sorts before every date).
 */
export function plusDays(iso: string, n: number): string {
  const d = addDays(toUtc(iso), n);
  const y = d.getUTCFullYear();
  if (y > 9999) return LAST_DAY;
  if (y < 1) return FIRST_DAY;
  return fromUtc(d);
}

/** Whole calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return differenceInCalendarDays(toUtc(b), toUtc(a));
}

export type PeriodUnit = 'day' | 'month' | 'semester';

/**
 * The calendar span of `unit` that holds `iso`, both ends included. Semesters follow
 * Microsoft's July-June fiscal year: H1 = July-December, H2 = January-June.
 */
export function unitSpan(iso: string, unit: PeriodUnit): { start: string; end: string } {
  if (unit === 'day') return { start: iso, end: iso };
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (unit === 'month') return { start: `${iso.slice(0, 7)}-01`, end: `${iso.slice(0, 7)}-${pad(daysInMonth(year, month))}` };
  return month >= 7 ? { start: `${year}-07-01`, end: `${year}-12-31` } : { start: `${year}-01-01`, end: `${year}-06-30` };
}

/** A readable name for the unit's span: `2017-03-14`, `2017-03`, `FY18 H1 (2017-07-01..2017-12-31)`. */
export function unitName(span: { start: string; end: string }, unit: PeriodUnit): string {
  if (unit === 'day') return span.start;
  if (unit === 'month') return span.start.slice(0, 7);
  const year = Number(span.start.slice(0, 4));
  const h1 = span.start.slice(5, 7) === '07';
  const fy = (h1 ? year + 1 : year) % 100;
  return `FY${String(fy).padStart(2, '0')} ${h1 ? 'H1' : 'H2'} (${span.start}..${span.end})`;
}

/**
 * Today's calendar date where incent runs: the one reading of the machine's clock and
 * zone, for defaults a person would expect to be "today" (a statement's date, the day
 * reconcile judges dispute deadlines on). Every computation takes its dates as flags.
 */
export function today(): string {
  return formatDate(new Date(), 'yyyy-MM-dd');
}
