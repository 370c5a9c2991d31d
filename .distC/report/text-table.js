export function renderTable(columns, rows) {
    const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
    const pad = (s, i) => (columns[i].align === 'right' ? s.padStart(widths[i]) : s.padEnd(widths[i]));
    const line = (l, m, r) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
    const row = (cells) => '│' + cells.map((c, i) => ` ${pad(c, i)} `).join('│') + '│';
    return [line('┌', '┬', '┐'), row(columns.map((c) => c.title)), line('├', '┼', '┤'), ...rows.map(row), line('└', '┴', '┘')].join('\n') + '\n';
}
