/** incent calc: payouts per campaign and partner. */
import type { CalcResult } from '../engine/types.js';
import { renderCalcCsv, renderCalcCsvLong } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderCalcTable, type TableOptions } from '../report/table.js';
import { renderHtml } from '../report/html.js';
import { computeRun, type RunOptions, type Warnings } from './inputs.js';
import { TraceFile } from './trace-file.js';

export type CalcFormat = 'table' | 'json' | 'csv' | 'csv-long' | 'html';

export interface CalcOptions extends RunOptions {
  format: CalcFormat;
  /** --explain FILE: the trace of every row, CSV or JSON Lines by extension. */
  explain?: string;
  /** The table's layout: the terminal's width, and --all. */
  table?: TableOptions;
}

export function renderCalc(result: CalcResult, format: CalcFormat, table: TableOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'csv':
      return renderCalcCsv(result);
    case 'csv-long':
      return renderCalcCsvLong(result);
    case 'table':
      return renderCalcTable(result, table);
    case 'html':
      return renderHtml(result);
  }
}

export async function calc(opts: CalcOptions, warnings: Warnings): Promise<string> {
  if (!opts.explain) return renderCalc((await computeRun(opts, warnings)).result, opts.format, opts.table);
  // --explain: stories of rows excluded at once are written while the input is read.
  const trace = new TraceFile(opts.explain);
  let run;
  try {
    run = await computeRun(opts, warnings, 'trace', trace.onRow);
  } catch (e) {
    trace.abort();
    throw e;
  }
  await trace.finish(run);
  return renderCalc(run.result, opts.format, opts.table);
}
