/**
 * A CSV trace's line for a row excluded before it accumulates (calc --explain's hot
 * path: ~9 in 10 of a year's rows), written as bytes straight into the trace's buffer
 * from the row's fields: no line string is built. The cells incent writes (campaign,
 * reason, service, file, the shared phrase of the detail) are encoded once and copied;
 * the row's own cells are copied a character at a time. The bytes are those of
 * traceCsvLine(excludedEvent(...)) (test/trace-lines.test.ts holds them equal).
 */
import type { AtOnce } from '../engine/trace.js';
import { csvCell, formulaStart } from '../csv-cells.js';
import { bytesOf, putCell, putDigits, putText } from '../bytes.js';
import { Cells, PhraseTails } from './trace-excluded.js';
import type { Out } from './trace-spool.js';

/** The most bytes a cell of `n` characters takes once quoted: its quotes doubled, three more characters, three bytes each. */
const room = (n: number) => n * 6 + 9;

/** Writes `v`, one of the row's own cells, at `p`: plain text (no quotes or carriage returns in the file) as it is, unless a spreadsheet would run it. */
function putRowCell(b: Buffer, p: number, plain: boolean, v: string): number {
  return putText(b, p, !plain || formulaStart(v) ? csvCell(v) : v);
}

const COMMA = 44;

export class ExcludedLines {
  private readonly campaign = new Cells(csvCell);
  private readonly service = new Cells(csvCell);
  private readonly file = new Cells(csvCell);
  /** `,row,excluded,REASON,` by reason. */
  private readonly middles = new Map<string, Uint8Array>();
  /** `,,,,,0,0,0,DETAIL\n`: the cells after the SKU. */
  private readonly tails = new PhraseTails((detail) => `,,,,,0,0,0,${csvCell(detail)}\n`);

  constructor(private readonly out: Out) {}

  /** The row's line (calc --explain's AtOnce.excluded). */
  readonly write: AtOnce['excluded'] = (campaign, partner, service, reason, detail, phrase, r, file) => {
    const c = this.campaign.of(campaign);
    let middle = this.middles.get(reason);
    if (middle === undefined) this.middles.set(reason, (middle = bytesOf(`,row,excluded,${reason},`)));
    const s = this.service.of(service ?? '');
    const f = this.file.of(file ?? '');
    const tail = this.tails.of(phrase, detail);
    const plain = r.plain === true;
    const out = this.out;
    out.reserve(
      c.length +
        middle.length +
        s.length +
        f.length +
        tail.length +
        room(partner.length + r.customerId.length + r.id.length + r.date.length + r.sku.length) +
        24,
    );
    const b = out.buf;
    let p = putCell(b, out.pos, c);
    b[p++] = COMMA;
    // The partner is the row's own text when the row credits it; a partner from claims is quoted as incent's.
    p = partner === r.partnerId || partner === r.resellerId ? putRowCell(b, p, plain, partner) : putText(b, p, csvCell(partner));
    p = putCell(b, p, middle);
    p = putCell(b, p, s);
    b[p++] = COMMA;
    p = putRowCell(b, p, plain, r.customerId);
    b[p++] = COMMA;
    p = putRowCell(b, p, plain, r.id);
    b[p++] = COMMA;
    p = putCell(b, p, f);
    b[p++] = COMMA;
    p = putDigits(b, p, r.line);
    b[p++] = COMMA;
    p = putText(b, p, r.date);
    b[p++] = COMMA;
    p = putRowCell(b, p, plain, r.sku);
    out.pos = putCell(b, p, tail);
  };
}
