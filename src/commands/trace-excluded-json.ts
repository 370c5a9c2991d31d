/**
 * A JSON Lines trace's line for a row excluded before it accumulates, written as bytes
 * straight into the trace's buffer, as trace-excluded-csv.ts does for CSV: the parts
 * incent writes (campaign, reason and service, file, the shared phrase of the detail)
 * encoded once, the row's own strings escaped as JSON.stringify would. The bytes are
 * those of JSON.stringify(traceJson(excludedEvent(...))) and a line end
 * (test/trace-lines.test.ts holds them equal).
 */
import type { AtOnce } from '../engine/trace.js';
import { bytesOf, putCell, putDigits, putJsonString } from '../bytes.js';
import { Cells, PhraseTails } from './trace-excluded.js';
import type { Out } from './trace-spool.js';

const json = (v: string) => JSON.stringify(v);
/** The bytes of a JSON string of `n` characters, at most: each escaped as \uXXXX, and its quotes. */
const room = (n: number) => n * 6 + 2;

const CUSTOMER = bytesOf(',"customer":');
const ID = bytesOf(',"transactionId":');
const LINE = bytesOf(',"line":');
const DATE = bytesOf(',"date":');
const SKU = bytesOf(',"sku":');
/** The keys above, and a line number's digits (at most 16). */
const KEYS_ROOM = CUSTOMER.length + ID.length + LINE.length + DATE.length + SKU.length + 16;

export class ExcludedJsonLines {
  /** `{"campaign":"C","partner":` by campaign. */
  private readonly heads = new Cells((c) => `{"campaign":${json(c)},"partner":`);
  /** `,"file":"F"` by file (nothing for none). */
  private readonly files = new Cells((f) => (f === '' ? '' : `,"file":${json(f)}`));
  /** `,"kind":"row","status":"excluded","reason":"R","service":"S"` by reason, then service (no service key for none). */
  private readonly middles = new Map<string, Cells>();
  /** `,"amount":"0","trimmed":"0","paid":"0","detail":"D"}\n`. */
  private readonly tails = new PhraseTails((detail) => `,"amount":"0","trimmed":"0","paid":"0","detail":${json(detail)}}\n`);

  constructor(private readonly out: Out) {}

  /** The row's line (calc --explain's AtOnce.excluded, for a .jsonl trace). */
  readonly write: AtOnce['excluded'] = (campaign, partner, service, reason, detail, phrase, r, file) => {
    const head = this.heads.of(campaign);
    let byService = this.middles.get(reason);
    if (byService === undefined) {
      const kind = `,"kind":"row","status":"excluded","reason":${json(reason)}`;
      this.middles.set(reason, (byService = new Cells((s) => (s === '' ? kind : `${kind},"service":${json(s)}`))));
    }
    const middle = byService.of(service ?? '');
    const f = this.files.of(file ?? '');
    const tail = this.tails.of(phrase, detail);
    const out = this.out;
    out.reserve(
      head.length +
        middle.length +
        f.length +
        tail.length +
        room(partner.length + r.customerId.length + r.id.length + r.date.length + r.sku.length) +
        KEYS_ROOM,
    );
    const b = out.buf;
    let p = putCell(b, out.pos, head);
    p = putJsonString(b, p, partner);
    p = putCell(b, p, middle);
    // As traceJson: a key whose value is empty is left out.
    if (r.customerId !== '') p = putJsonString(b, putCell(b, p, CUSTOMER), r.customerId);
    if (r.id !== '') p = putJsonString(b, putCell(b, p, ID), r.id);
    p = putCell(b, p, f);
    p = putDigits(b, putCell(b, p, LINE), r.line);
    if (r.date !== '') p = putJsonString(b, putCell(b, p, DATE), r.date);
    if (r.sku !== '') p = putJsonString(b, putCell(b, p, SKU), r.sku);
    out.pos = putCell(b, p, tail);
  };
}
