export function hasErrors(ds) {
    return ds.some((d) => d.severity === 'error');
}
/** Thrown when inputs or campaigns are invalid; the CLI renders the diagnostics and exits 1. */
export class InvalidInputError extends Error {
    diagnostics;
    constructor(diagnostics) {
        super(diagnostics.map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`).join('\n'));
        this.diagnostics = diagnostics;
    }
}
