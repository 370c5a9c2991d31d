/**
 * Dates as exports write them: Partner Center's US `M/D/YYYY` (the legacy file adds
 * ` 0:00` or ` 23:59`, some add seconds or AM/PM), and the formats a custom mapping may
 * name. The result is `YYYY-MM-DD`, or the text unchanged so validation reports it.
 */
export const DATE_FORMATS = ['YYYY-MM-DD', 'M/D/YYYY', 'D/M/YYYY', 'D.M.YYYY', 'YYYYMMDD'];
const pad = (s) => (s.length === 1 ? `0${s}` : s);
export function toIsoDate(text, format) {
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
            if (slash)
                return `${slash[3]}-${pad(slash[1])}-${pad(slash[2])}`;
            // Some exports already write ISO dates; accept them rather than guess anything else.
            return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : v;
        case 'D/M/YYYY':
            return slash ? `${slash[3]}-${pad(slash[2])}-${pad(slash[1])}` : v;
        case 'D.M.YYYY':
            return dot ? `${dot[3]}-${pad(dot[2])}-${pad(dot[1])}` : v;
    }
}
