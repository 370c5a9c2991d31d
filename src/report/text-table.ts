/**
 * A table for people: box-drawing borders on a terminal, plain aligned columns (two
 * spaces apart, a rule of dashes under the titles) when the output goes to a pipe or a
 * file; numeric columns right-aligned. Widths are display widths (string-width: a CJK
 * character takes two cells, an accent none). Given a width (the terminal's), a table
 * that does not fit moves its `stack` columns, lowest number first, onto an indented
 * line under each row, then shortens columns that have a `min` width (ending in …).
 */
import stringWidth from 'string-width';

export interface Column {
  title: string;
  align?: 'left' | 'right';
  /** When the table is too wide, this column goes onto its own line under each row (lowest number first). */
  stack?: number;
  /** When the table is still too wide, this column may be shortened to this many cells. */
  min?: number;
}

/** The width to lay a table out in (the terminal's columns); none: every column at its full width. */
export interface Layout {
  width?: number;
}

/**
 * Control characters made visible (`\x1b` as the four characters `\x1b`): text from
 * inputs (a partner's name with an ANSI escape sequence) never drives the terminal.
 * Line breaks and tabs are kept.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Whether tables are drawn with box characters (the CLI says: only when stdout is a terminal). */
let boxed = true;

export function useBoxDrawing(on: boolean): void {
  boxed = on;
}

const width = (s: string) => stringWidth(s);
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;

/** `s` cut to `w` display cells, ending in … when cut. */
function cut(s: string, w: number): string {
  if (width(s) <= w) return s;
  let out = '';
  for (const ch of s) {
    if (width(out + ch) > w - 1) break;
    out += ch;
  }
  return out + '…';
}

/** Words of `text` in lines of at most `w` cells (a word longer than a line stays whole). */
function wrap(text: string, w: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && width(line) + 1 + width(word) > w) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Whether the table fits in `width` cells with every column shown. */
export function fits(columns: readonly Column[], rows: readonly (readonly string[])[], w: number): boolean {
  const ws = columns.map((c, i) => Math.max(width(c.title), ...rows.map((r) => width(escapeControls(r[i] ?? '')))));
  return ws.reduce((a, x) => a + x, 0) + (boxed ? 3 : 2) * Math.max(0, ws.length - 1) + (boxed ? 4 : 0) <= w;
}

export function renderTable(columns: readonly Column[], rawRows: readonly (readonly string[])[], layout: Layout = {}): string {
  let rows = rawRows.map((r) => r.map((c) => escapeControls(c)));
  const gap = boxed ? 3 : 2;
  const edge = boxed ? 4 : 0;
  const widthsOf = (cols: readonly number[]) => cols.map((i) => Math.max(width(columns[i]!.title), ...rows.map((r) => width(r[i] ?? ''))));
  const total = (ws: readonly number[]) => ws.reduce((a, w) => a + w, 0) + gap * Math.max(0, ws.length - 1) + edge;
  let shown = columns.map((_, i) => i);
  let widths = widthsOf(shown);
  const stacked: number[] = [];
  if (layout.width !== undefined) {
    // Stack columns, in their stated order, until the rest fits.
    const order = shown.filter((i) => columns[i]!.stack !== undefined).sort((a, b) => columns[a]!.stack! - columns[b]!.stack!);
    for (const i of order) {
      if (total(widths) <= layout.width) break;
      stacked.push(i);
      shown = shown.filter((x) => x !== i);
      widths = widthsOf(shown);
    }
    // Then shorten the columns that may be, widest first, down to their minimum.
    let over = total(widths) - layout.width;
    for (const k of [...shown.keys()].sort((a, b) => widths[b]! - widths[a]!)) {
      if (over <= 0) break;
      const min = columns[shown[k]!]!.min;
      if (min === undefined || widths[k]! <= min) continue;
      const to = Math.max(min, widths[k]! - over);
      over -= widths[k]! - to;
      widths[k] = to;
      const col = shown[k]!;
      rows = rows.map((r) => r.map((c, i) => (i === col ? cut(c, to) : c)));
    }
  }
  const pad = (s: string, k: number) => (columns[shown[k]!]!.align === 'right' ? padStart(s, widths[k]!) : padEnd(cut(s, widths[k]!), widths[k]!));
  const titles = shown.map((i) => columns[i]!.title);
  const inner = total(widths) - edge;
  /** A row's stacked columns: indented lines under it. */
  const under = (r: readonly string[]) =>
    stacked.flatMap((i) => (r[i] ? wrap(`${columns[i]!.title}: ${r[i]}`, Math.max(20, (layout.width ?? inner) - 4 - edge)).map((l) => `    ${l}`) : []));
  if (!boxed) {
    const plain = (cells: readonly string[]) =>
      cells
        .map((c, k) => pad(c, k))
        .join('  ')
        .trimEnd();
    return (
      [plain(titles), plain(widths.map((w) => '-'.repeat(w))), ...rows.flatMap((r) => [plain(shown.map((i) => r[i] ?? '')), ...under(r)])].join('\n') + '\n'
    );
  }
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: readonly string[]) => '│' + cells.map((c, k) => ` ${pad(c, k)} `).join('│') + '│';
  const span = (text: string) => `│ ${padEnd(text, inner)} │`;
  return (
    [
      line('┌', '┬', '┐'),
      row(titles),
      line('├', '┼', '┤'),
      ...rows.flatMap((r) => [row(shown.map((i) => r[i] ?? '')), ...under(r).map(span)]),
      line('└', '┴', '┘'),
    ].join('\n') + '\n'
  );
}
