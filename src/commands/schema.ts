/** incent schema: the JSON Schema of a campaign file, generated from the zod schema. */
import { z } from 'zod';
import { campaignSchema } from '../campaign/schema.js';
import { campaignReference } from '../report/campaign-reference.js';
import { outputJsonSchema, type JsonOutputName } from '../report/json-shapes/index.js';

export function campaignJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(campaignSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
    $id: 'https://incent.dev/schema/campaign.schema.json',
  };
}

/** The campaign file's JSON Schema, or with `output` the JSON Schema of that JSON output (calc, explain, ...). */
export function renderSchema(output?: JsonOutputName): string {
  return JSON.stringify(output ? outputJsonSchema(output) : campaignJsonSchema(), null, 2) + '\n';
}

/** docs/campaign-reference.md: every key of a campaign file, from the same schema. */
export function renderReference(): string {
  return campaignReference(campaignJsonSchema());
}
