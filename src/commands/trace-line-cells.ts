/**
 * The parts of a spooled record's line that are not the record's own, as bytes made once
 * per spool: a format's fixed parts (ShapeBytes), and the cells of campaigns, partners,
 * services, files, dates, reasons, exclusions and shared earnings (LineCells).
 */
import { bytesOf } from '../bytes.js';
import type { LineParts } from '../report/trace.js';
import type { Exclusion, Out } from './trace-spool.js';

/** A record's status by number. */
export const STATUSES = ['earned', 'counted'] as const;

/** The names a spool numbers its records' campaigns, partners, services, dates and files by. */
export interface SpoolNames {
  readonly campaigns: readonly string[];
  readonly partners: readonly string[];
  readonly services: readonly string[];
  readonly dates: readonly string[];
  readonly files: readonly string[];
}

/** A shared earning's tail and detail cells, as bytes. */
export interface SharedCells {
  readonly tail: Uint8Array;
  readonly detail: Uint8Array;
}

/** A format's fixed parts of a line (LineParts), as bytes, made once per spool. */
export class ShapeBytes {
  readonly status: Buffer[];
  readonly customer: Buffer;
  readonly id: Buffer;
  readonly line: Buffer;
  readonly sku: Buffer;
  readonly afterSku: Buffer;
  readonly money: Buffer[];
  readonly excludedMoney: Buffer;
  readonly end: Buffer;
  /** Whether a row's empty value leaves its key out (JSON), rather than being an empty cell (CSV). */
  readonly skipEmpty: boolean;
  /** The bytes the fixed parts of a mid, the money and the end take together. */
  readonly room: number;

  constructor(readonly parts: LineParts) {
    this.status = STATUSES.map((s) => bytesOf(parts.status(s)));
    this.customer = bytesOf(parts.keys.customer);
    this.id = bytesOf(parts.keys.id);
    this.line = bytesOf(parts.keys.line);
    this.sku = bytesOf(parts.keys.sku);
    this.afterSku = bytesOf(parts.keys.afterSku);
    this.money = parts.money.map(bytesOf);
    this.excludedMoney = bytesOf(parts.excludedMoney);
    this.end = bytesOf(parts.end);
    this.skipEmpty = parts.skipEmpty;
    this.room = [this.customer, this.id, this.line, this.sku, this.afterSku, ...this.money, this.end].reduce((n, b) => n + b.length, 0);
  }
}

/**
 * The parts of a line a record copies beside its own bytes, made from the spool's names
 * as bytes once each (heads by campaign and partner; services', files' and dates' cells;
 * reasons' and exclusions'), and the trace the lines go to. The spool keeps one.
 */
export class LineCells {
  readonly shape: ShapeBytes;

  constructor(
    readonly trace: Out,
    readonly parts: LineParts,
    readonly names: SpoolNames,
    /** Shared earnings' cells by number. */
    readonly shared: readonly SharedCells[],
  ) {
    this.shape = new ShapeBytes(parts);
  }

  /** The first parts (campaign, partner, kind) of a campaign's and partner's rows: by campaign, then partner. */
  private readonly heads: Buffer[][] = [];
  headOf(campaign: number, partner: number): Buffer {
    const byPartner = (this.heads[campaign] ??= []);
    return (byPartner[partner] ??= bytesOf(this.parts.head(this.names.campaigns[campaign]!, this.names.partners[partner]!)));
  }

  /**
   * A line's first parts up to its service (head, status, the service's part), by
   * campaign, partner, status and service: copied as one.
   */
  private readonly starts: Buffer[][][] = [];
  startOf(campaign: number, partner: number, status: number, service: number): Buffer {
    const byPartner = (this.starts[campaign] ??= []);
    const mine = (byPartner[partner] ??= []);
    const k = status + STATUSES.length * service;
    return (mine[k] ??= Buffer.concat([this.headOf(campaign, partner), this.shape.status[status]!, this.serviceCell(service)]));
  }

  /** The parts of services, files (with the line number's separator or key after) and dates by number, with their separators or keys (CSV ",service,", ",file,", ",date,"). */
  private readonly serviceCells: Buffer[] = [];
  private readonly fileCells: Buffer[] = [];
  private readonly dateCells: Buffer[] = [];
  serviceCell(i: number): Buffer {
    return (this.serviceCells[i] ??= bytesOf(this.parts.service(this.names.services[i]!)));
  }
  fileCell(i: number): Buffer {
    return (this.fileCells[i] ??= bytesOf(this.parts.file(this.names.files[i]!) + this.parts.keys.line));
  }
  dateCell(i: number): Buffer {
    return (this.dateCells[i] ??= bytesOf(this.parts.date(this.names.dates[i]!)));
  }

  /**
   * A shared earning's line from after sku to its end (units to detail, the money as it
   * earns or as a cap takes it all): the same for every row of the earning, so made once
   * from the first row's record and copied as one. By earning number, then gone.
   */
  private readonly ends: Buffer[] = [];
  endOf(shared: number, gone: boolean): Buffer | undefined {
    return this.ends[2 * shared + (gone ? 1 : 0)];
  }
  keepEnd(shared: number, gone: boolean, end: Buffer): Buffer {
    return (this.ends[2 * shared + (gone ? 1 : 0)] = end);
  }

  /** An excluded row's status and reason. */
  private readonly reasonCells = new Map<string, Buffer>();
  reasonCell(reason: string): Buffer {
    let b = this.reasonCells.get(reason);
    if (b === undefined) this.reasonCells.set(reason, (b = bytesOf(this.parts.excluded(reason))));
    return b;
  }

  /**
   * An exclusion's detail cells and the line's end: a service's exclusion settles many
   * rows, a customer's a few. The cache is let go when it reaches 4,096 (memory stays
   * flat however many customers fail; the exclusions many rows share come back at once).
   */
  private readonly detailCells = new Map<Exclusion, Buffer>();
  detailCell(x: Exclusion): Buffer {
    let b = this.detailCells.get(x);
    if (b === undefined) {
      if (this.detailCells.size >= 4096) this.detailCells.clear();
      this.detailCells.set(x, (b = bytesOf(this.parts.exclusionDetail(x.detail))));
    }
    return b;
  }
}
