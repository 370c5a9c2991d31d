/**
 * The campaign file reference (docs/campaign-reference.md), made from the JSON Schema
 * that is made from the zod schema: every key, its type, default and meaning, so the
 * reference cannot drift from what incent accepts.
 */
type Schema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  required?: string[];
  minimum?: number;
  maximum?: number;
};

function typeOf(s: Schema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(', ');
  const alts = s.anyOf ?? s.oneOf;
  // Numbers are also accepted as their text ("25000"): the type is the number.
  if (alts) {
    const t = [...new Set(alts.map(typeOf))].join(' or ');
    return t === 'number or string' ? 'number' : t.replace(/^number or string or /, 'number or ');
  }
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) return 'map';
  if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return 'date YYYY-MM-DD';
  if (s.pattern === '^[A-Z]{3}$') return 'currency code';
  const t = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  return t === 'number or string' ? 'number' : t;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function rows(s: Schema, path: string, required: boolean, out: string[]): void {
  const def = s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : '';
  if (path) out.push(`| \`${path}\` | ${cell(typeOf(s))} | ${required ? 'yes' : ''} | ${def} | ${cell(s.description ?? '')} |`);
  const alts = s.anyOf ?? s.oneOf ?? [];
  for (const alt of alts) if (alt.properties) walkProps(alt, path, out);
  walkProps(s, path, out);
  if (s.additionalProperties && typeof s.additionalProperties === 'object' && s.additionalProperties.properties) {
    walkProps(s.additionalProperties, `${path}.<name>`, out);
  }
  if (s.items?.properties) walkProps(s.items, `${path}[]`, out);
}

function walkProps(s: Schema, path: string, out: string[]): void {
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (k === '$schema') continue;
    rows(v, path ? `${path}.${k}` : k, (s.required ?? []).includes(k), out);
  }
}

export function campaignReference(schema: Record<string, unknown>): string {
  const out: string[] = [
    '# Campaign file reference',
    '',
    'Every key a campaign YAML file may have, generated from the schema incent checks files against (`npm run schema`',
    'writes this page and `schema/campaign.schema.json`; a test fails when either is stale). Numbers are read from',
    'their source text (`1.24` is exactly 1.24); dates are calendar dates `YYYY-MM-DD`. `services.<name>` is a service',
    'of your choosing (letters, digits, space, `.`, `_`, `-`) with exactly one earning method. The README explains',
    "the readings of the seed programs' terms, and `rules/` has a campaign per seed program to start from.",
    '',
    '| key | type | required | default | meaning |',
    '|---|---|---|---|---|',
  ];
  walkProps(schema as Schema, '', out);
  return out.join('\n') + '\n';
}
