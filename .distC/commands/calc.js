import { renderCalcCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderCalcTable } from '../report/table.js';
import { renderHtml } from '../report/html.js';
import { computeRun } from './inputs.js';
import { TraceFile } from './trace-file.js';
export function renderCalc(result, format) {
    switch (format) {
        case 'json':
            return renderJson(result);
        case 'csv':
            return renderCalcCsv(result);
        case 'table':
            return renderCalcTable(result);
        case 'html':
            return renderHtml(result);
    }
}
export async function calc(opts, warnings) {
    if (!opts.explain)
        return renderCalc((await computeRun(opts, warnings)).result, opts.format);
    // --explain: stories of rows excluded at once are written while the input is read.
    const trace = new TraceFile(opts.explain);
    let run;
    try {
        run = await computeRun(opts, warnings, true, trace.onRow);
    }
    catch (e) {
        trace.abort();
        throw e;
    }
    await trace.finish(run);
    return renderCalc(run.result, opts.format);
}
