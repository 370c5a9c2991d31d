/** incent validate: campaigns and rate cards checked for CI, diagnostics as data. */
import type { Diagnostic } from '../diagnostics.js';
import { loadCampaigns, skuSpellings } from '../campaign/load.js';
import { JSON_VERSION } from '../report/json.js';
import { formatDiagnosticsGithub, formatDiagnosticsText } from '../report/diagnostics.js';

export type ValidateFormat = 'text' | 'json' | 'github';

export interface ValidateOutcome {
  output: string;
  exitCode: 0 | 1;
}

export function validate(paths: string[], format: ValidateFormat, strict: boolean): ValidateOutcome {
  const loaded = loadCampaigns(paths);
  const campaigns = loaded.campaigns;
  // Every campaign validate reads may run together: each SKU spelt one way across them.
  const diagnostics = [...loaded.diagnostics, ...skuSpellings(campaigns)];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const failed = errors > 0 || (strict && warnings > 0);
  return { output: render(diagnostics, format, campaigns.length, errors, warnings), exitCode: failed ? 1 : 0 };
}

function render(ds: Diagnostic[], format: ValidateFormat, ok: number, errors: number, warnings: number): string {
  if (format === 'json') return JSON.stringify({ schemaVersion: JSON_VERSION, campaigns: ok, errors, warnings, diagnostics: ds }, null, 2) + '\n';
  if (format === 'github') return formatDiagnosticsGithub(ds);
  const summary = `${ok} campaign${ok === 1 ? '' : 's'} valid, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`;
  return formatDiagnosticsText(ds) + summary;
}
