/**
 * incent init: a campaign to start from, in a folder of its own: the campaign YAML with
 * the editor's `$schema` comment, its rate card, an example case (`incent test`) worked
 * by hand, and the JSON Schema beside them so the comment works with no network and
 * outside incent's repository. Nothing is overwritten.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../diagnostics.js';
import { writeAtomic } from '../atomic-write.js';
import { renderSchema } from './schema.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function files(id: string): Record<string, string> {
  return {
    [`rules/${id}.yaml`]: `# yaml-language-server: $schema=../schema/campaign.schema.json
#
# ${id}: a per-seat campaign to edit. Every key, with its type and default, is in
# incent's docs/campaign-reference.md; \`incent validate rules\` checks this file and
# \`incent test rules\` runs the case in ${id}.cases/.
id: ${id}
name: ${id}
currency: USD
period: { start: 2026-01-01, end: 2026-06-30 }
as_of: 2026-07-15
credit: transacting_partner
services:
  Seats:
    per_unit: { rates: rate-cards/${id}.csv }
    qualify:
      customers: { at_least: 1 }
      units_per_customer: { at_least: 5 }
    cap: 25000
minimum_payout: 100
`,
    [`rules/rate-cards/${id}.csv`]: 'sku,rate,description\nE3,10,an example seat SKU\nE5,20,another example seat SKU\n',
    [`rules/${id}.cases/example/transactions.csv`]:
      'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\n' +
      'T1,2026-02-01,P1,C1,E3,CSP,6\n' +
      'T2,2026-03-01,P1,C2,E5,CSP,5\n' +
      'T3,2026-03-15,P2,C3,E3,CSP,4\n',
    [`rules/${id}.cases/example/expected.yaml`]: `description: two customers of P1 qualify; P2's only customer is one seat short
# P1: C1 6 x 10 = 60.00, C2 5 x 20 = 100.00; 160.00 >= the 100 minimum: payable 160.00
# P2: C3 has 4 seats < 5: no qualifying customer, so Seats does not qualify: 0.00
partners:
  "P1": { status: payable, total: "160.00", payout: "160.00", services: { Seats: "160.00" } }
  "P2": { status: not_qualified, payout: "0.00" }
rows: { read: 3, used: 2, excluded: { CUSTOMER_BELOW_MINIMUM: 1 } }
`,
    'schema/campaign.schema.json': renderSchema(),
  };
}

/** Writes the scaffold under `dir`; returns the files written. Refuses (exit 1) an id incent would not accept, or any file that exists. */
export function init(dir: string, id: string): string[] {
  if (!ID.test(id)) {
    throw new InvalidInputError([
      {
        code: 'BAD_ID',
        severity: 'error',
        file: '--id',
        message: 'not a campaign id',
        expected: 'letters, digits, ".", "_" or "-", starting with a letter or digit',
        found: id,
      },
    ]);
  }
  const all = Object.entries(files(id)).map(([path, content]) => ({ path: join(dir, path), content }));
  const existing = all.filter((f) => existsSync(f.path));
  if (existing.length) {
    throw new InvalidInputError(
      existing.map((f) => ({
        code: 'FILE_EXISTS',
        severity: 'error',
        file: f.path,
        message: 'exists already: incent init overwrites nothing',
        expected: 'a folder without these files',
        found: 'a file',
      })),
    );
  }
  for (const f of all) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeAtomic(f.path, f.content);
  }
  return all.map((f) => f.path);
}
