/** incent calc: payouts per campaign and partner. */
import type { CalcResult } from '../engine/types.js';
import { renderCalcCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderCalcTable } from '../report/table.js';
import { computeResult, type RunOptions, type Warnings } from './inputs.js';

export type CalcFormat = 'table' | 'json' | 'csv';

export interface CalcOptions extends RunOptions {
  format: CalcFormat;
}

export function renderCalc(result: CalcResult, format: CalcFormat): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'csv':
      return renderCalcCsv(result);
    case 'table':
      return renderCalcTable(result);
  }
}

export async function calc(opts: CalcOptions, warnings: Warnings): Promise<string> {
  const result = await computeResult(opts, warnings);
  return renderCalc(result, opts.format);
}
