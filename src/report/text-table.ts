/**
 * A table for people: box-drawing borders on a terminal, plain aligned columns (two
 * spaces apart, a rule of dashes under the titles) when the output goes to a pipe or a
 * file; numeric columns right-aligned.
 */
export interface Column {
  title: string;
  align?: 'left' | 'right';
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

export function renderTable(columns: readonly Column[], rawRows: readonly (readonly string[])[]): string {
  const rows = rawRows.map((r) => r.map((c) => escapeControls(c)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (s: string, i: number) => (columns[i]!.align === 'right' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  if (!boxed) {
    const plain = (cells: readonly string[]) =>
      cells
        .map((c, i) => pad(c, i))
        .join('  ')
        .trimEnd();
    return [plain(columns.map((c) => c.title)), plain(widths.map((w) => '-'.repeat(w))), ...rows.map(plain)].join('\n') + '\n';
  }
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: readonly string[]) => '│' + cells.map((c, i) => ` ${pad(c, i)} `).join('│') + '│';
  return [line('┌', '┬', '┐'), row(columns.map((c) => c.title)), line('├', '┼', '┤'), ...rows.map(row), line('└', '┴', '┘')].join('\n') + '\n';
}
