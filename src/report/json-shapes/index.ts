/**
 * Every JSON output's shape, in zod: the one source of the JSON Schemas in schema/ (`incent
 * schema --output NAME`, `npm run schema`) and of the tests that read real outputs back
 * against them. Objects are strict: a key not declared here is a test failure, so a
 * new field is added here first (and to docs/json.md). Keys are camelCase; money is a
 * string with the currency's minor-unit digits; every shape carries `schemaVersion`.
 */
import { z } from 'zod';
import { calc, explain, progress, traceEvent, validate } from './calc.js';
import { payoutExport, payoutList, payoutRun, payoutShow } from './payout.js';
import { compare, reconcile } from './reconcile.js';

/** The JSON outputs by name (`incent schema --output NAME`; schema/NAME.schema.json). */
export const JSON_OUTPUTS = {
  calc,
  explain,
  progress,
  validate,
  'trace-event': traceEvent,
  'payout-run': payoutRun,
  'payout-list': payoutList,
  'payout-show': payoutShow,
  'payout-export': payoutExport,
  compare,
  reconcile,
} as const;

export type JsonOutputName = keyof typeof JSON_OUTPUTS;

/** An output's JSON Schema (draft 2020-12), for editors and for readers in other languages. */
export function outputJsonSchema(name: JsonOutputName): Record<string, unknown> {
  return { ...z.toJSONSchema(JSON_OUTPUTS[name], { io: 'output', target: 'draft-2020-12' }), $id: `https://incent.dev/schema/${name}.schema.json` };
}
