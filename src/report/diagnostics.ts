/** The one place diagnostics become prose: text, JSON and GitHub Actions annotations. */
import type { Diagnostic } from '../diagnostics.js';

function where(d: Diagnostic): string {
  if (d.line === undefined) return d.file;
  // CSV rows: file:line: column: message (the column is named); YAML: file:line:col.
  if (d.column === undefined) return `${d.file}:${d.line}:${d.field ? ` ${d.field}:` : ''}`;
  return `${d.file}:${d.line}:${d.column}:`;
}

export function formatDiagnostic(d: Diagnostic): string {
  const head = d.line === undefined ? `${d.file}:` : where(d);
  const tail = [d.expected !== undefined ? `expected ${d.expected}` : '', d.found !== undefined ? `found ${d.found}` : ''].filter(Boolean).join(', ');
  return `${head} ${d.severity === 'warning' ? 'warning' : 'error'} ${d.code}: ${d.message}${tail ? ` (${tail})` : ''}`;
}

export function formatDiagnosticsText(ds: readonly Diagnostic[]): string {
  return ds.map(formatDiagnostic).join('\n') + (ds.length ? '\n' : '');
}

export function formatDiagnosticsGithub(ds: readonly Diagnostic[]): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return (
    ds
      .map((d) => {
        const props = [`file=${prop(d.file)}`];
        if (d.line !== undefined) props.push(`line=${d.line}`);
        if (d.column !== undefined) props.push(`col=${d.column}`);
        props.push(`title=${prop(d.code)}`);
        const tail = [d.expected !== undefined ? `expected ${d.expected}` : '', d.found !== undefined ? `found ${d.found}` : ''].filter(Boolean).join(', ');
        return `::${d.severity === 'warning' ? 'warning' : 'error'} ${props.join(',')}::${esc(`${d.message}${tail ? ` (${tail})` : ''}`)}`;
      })
      .join('\n') + (ds.length ? '\n' : '')
  );
}
