/** A terminal table with box-drawing borders; numeric columns right-aligned. */
export interface Column {
  title: string;
  align?: 'left' | 'right';
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (s: string, i: number) => (columns[i]!.align === 'right' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: readonly string[]) => '│' + cells.map((c, i) => ` ${pad(c, i)} `).join('│') + '│';
  return [line('┌', '┬', '┐'), row(columns.map((c) => c.title)), line('├', '┼', '┤'), ...rows.map(row), line('└', '┴', '┘')].join('\n') + '\n';
}
