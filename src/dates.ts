/**
 * Calendar dates as `YYYY-MM-DD` strings: they compare correctly as strings and never
 * shift with the machine's time zone. Arithmetic goes through UTC only.
 */
import { addDays, differenceInCalendarDays } from 'date-fns';
import { UTCDate } from '@date-fns/utc';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// UTCDate makes date-fns do its calendar arithmetic in UTC, whatever TZ the machine has.
function toUtc(iso: string): UTCDate {
  return new UTCDate(`${iso}T00:00:00Z`);
}

function fromUtc(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The calendar date `n` days after `iso` (n may be negative). */
export function plusDays(iso: string, n: number): string {
  return fromUtc(addDays(toUtc(iso), n));
}

/** Whole calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return differenceInCalendarDays(toUtc(b), toUtc(a));
}

/** Today's calendar date in UTC. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
