/**
 * Diagnostics are data: a code, where, and what was expected and found. Prose is
 * rendered in one place (src/report/diagnostics.ts).
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  file: string;
  line?: number;
  column?: number;
  /** For CSV rows: the column name. For YAML: the key path, dotted. */
  field?: string;
  message: string;
  expected?: string;
  found?: string;
}

/** Thrown when inputs or campaigns are invalid; the CLI renders the diagnostics and exits 1. */
export class InvalidInputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`).join('\n'));
  }
}
