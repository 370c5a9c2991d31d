import { loadCampaigns } from '../campaign/load.js';
import { formatDiagnosticsGithub, formatDiagnosticsText } from '../report/diagnostics.js';
export function validate(paths, format, strict) {
    const { campaigns, diagnostics } = loadCampaigns(paths);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    const failed = errors > 0 || (strict && warnings > 0);
    return { output: render(diagnostics, format, campaigns.length, errors, warnings), exitCode: failed ? 1 : 0 };
}
function render(ds, format, ok, errors, warnings) {
    if (format === 'json')
        return JSON.stringify({ campaigns: ok, errors, warnings, diagnostics: ds }, null, 2) + '\n';
    if (format === 'github')
        return formatDiagnosticsGithub(ds);
    const summary = `${ok} campaign${ok === 1 ? '' : 's'} valid, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`;
    return formatDiagnosticsText(ds) + summary;
}
