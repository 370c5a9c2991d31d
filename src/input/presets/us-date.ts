/**
 * Dates as exports write them: Partner Center's US `M/D/YYYY` (the legacy file adds
 * ` 0:00` or ` 23:59`, some add seconds or AM/PM), and the formats a custom mapping may
 * name. The result is `YYYY-MM-DD`, or the text unchanged so validation reports it.
 */
export const DATE_FORMATS = ['YYYY-MM-DD', 'M/D/YYYY', 'D/M/YYYY', 'D.M.YYYY', 'YYYYMMDD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const pad = (s: string) => (s.length === 1 ? `0${s}` : s);

export function toIsoDate(text: string, format: DateFormat): string {
  const v = text.trim();
  // The time part, if any, is dropped: a billing date is a calendar date.
  const day = v.split(/[ T]/)[0] ?? '';
  const slash = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(day);
  const dot = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(day);
  switch (format) {
    case 'YYYY-MM-DD':
      return day;
    case 'YYYYMMDD':
      return /^\d{8}$/.test(day) ? `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}` : v;
    case 'M/D/YYYY':
      if (slash) return `${slash[3]}-${pad(slash[1]!)}-${pad(slash[2]!)}`;
      // Some exports already write ISO dates; accept them rather than guess anything else.
      return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : v;
    case 'D/M/YYYY':
      return slash ? `${slash[3]}-${pad(slash[2]!)}-${pad(slash[1]!)}` : v;
    case 'D.M.YYYY':
      return dot ? `${dot[3]}-${pad(dot[2]!)}-${pad(dot[1]!)}` : v;
  }
}

/**
 * The slash dates of one file, read month-first (Partner Center's documented M/D/YYYY)
 * unless --date-format says otherwise, with the evidence kept: a first part above 12
 * means the file is day-first, a second part above 12 that it is month-first. At the
 * end of the file, `problem()` refuses a file that is day-first, mixed, or could be
 * read either way (no part above 12 anywhere): incent never guesses a date.
 */
export class SlashDates {
  private dayFirst: string | undefined;
  private monthFirst: string | undefined;
  private ambiguous: string | undefined;

  constructor(private readonly format: DateFormat | undefined) {}

  read(text: string): string {
    if (this.format) return toIsoDate(text, this.format);
    const m = /^\s*(\d{1,2})\/(\d{1,2})\/\d{4}/.exec(text);
    if (m) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 12) this.dayFirst ??= text.trim();
      else if (b > 12) this.monthFirst ??= text.trim();
      else if (a !== b) this.ambiguous ??= text.trim();
    }
    return toIsoDate(text, 'M/D/YYYY');
  }

  /** Why the file's dates cannot be trusted as read, or undefined. */
  problem(): { message: string; expected: string; found: string } | undefined {
    if (this.format) return undefined;
    if (this.dayFirst && this.monthFirst) {
      return {
        message: `the file mixes day-first (${this.dayFirst}) and month-first (${this.monthFirst}) dates`,
        expected: 'one date format per file',
        found: `${this.dayFirst}, ${this.monthFirst}`,
      };
    }
    if (this.dayFirst) {
      return {
        message: `the file writes dates day-first (${this.dayFirst}); read month-first they would be wrong`,
        expected: '--date-format D/M/YYYY for this file (or M/D/YYYY dates)',
        found: this.dayFirst,
      };
    }
    if (!this.monthFirst && this.ambiguous) {
      return {
        message: `every slash date in the file could be month-first or day-first (no part above 12; e.g. ${this.ambiguous}); incent does not guess`,
        expected: '--date-format M/D/YYYY or --date-format D/M/YYYY',
        found: this.ambiguous,
      };
    }
    return undefined;
  }
}
