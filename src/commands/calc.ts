/** incent calc: payouts per campaign and partner. */
import type { CalcResult } from '../engine/types.js';
import { renderCalcCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderCalcTable } from '../report/table.js';
import { renderHtml } from '../report/html.js';
import { computeRun, type RunOptions, type Warnings } from './inputs.js';
import { writeTrace } from './trace-file.js';

export type CalcFormat = 'table' | 'json' | 'csv' | 'html';

export interface CalcOptions extends RunOptions {
  format: CalcFormat;
  /** --explain FILE: the trace of every row, CSV or JSON Lines by extension. */
  explain?: string;
}

export function renderCalc(result: CalcResult, format: CalcFormat): string {
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

export async function calc(opts: CalcOptions, warnings: Warnings): Promise<string> {
  const run = await computeRun(opts, warnings, Boolean(opts.explain));
  if (opts.explain) await writeTrace(run, opts.explain);
  return renderCalc(run.result, opts.format);
}
