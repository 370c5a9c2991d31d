/** incent schema: the JSON Schema of a campaign file, generated from the zod schema. */
import { z } from 'zod';
import { campaignSchema } from '../campaign/schema.js';
export function campaignJsonSchema() {
    return {
        ...z.toJSONSchema(campaignSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
        $id: 'https://incent.dev/schema/campaign.schema.json',
    };
}
export function renderSchema() {
    return JSON.stringify(campaignJsonSchema(), null, 2) + '\n';
}
