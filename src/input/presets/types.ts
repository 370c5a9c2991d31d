import type { Diagnostic } from '../../diagnostics.js';
import type { TX_OPTIONAL, TX_REQUIRED } from '../transactions.js';
import type { IdCase } from '../id-case.js';
import type { DateFormat } from './us-date.js';

export type Canon = (typeof TX_REQUIRED)[number] | (typeof TX_OPTIONAL)[number];

/** A source row mapped onto canonical columns (text, before validation). */
export type CanonValues = Partial<Record<Canon, string>>;

/** What a billing preset reads to rebuild seats: one charge cycle of one subscription per key. */
export interface BillingFields {
  subscription: string;
  /** The customer the subscription belongs to (seats are rebuilt per subscription and customer). */
  customer: string;
  /** paid or trial: a trial's seats are rebuilt apart, so a conversion to paid counts its seats. */
  subscriptionType: string;
  /** The cycle's first day (ChargeStartDate), as ISO text or unchanged when unreadable. */
  cycleStart: string;
  /** The cycle's last day (ChargeEndDate), ISO; empty when the file has none. */
  cycleEnd: string;
  /** The line's seat quantity (positive even on a reversal). */
  quantity: string;
  /** The line's amount, whose sign is the line's sign. */
  amount: string;
  chargeType: string;
  /** Source column names, for messages. */
  labels: { cycleStart: string; quantity: string; amount: string; chargeType: string; subscription: string };
}

export interface BoundPreset {
  name: string;
  /**
   * Problems of a row that the canonical checks cannot see: an empty key column the
   * preset needs (subscription, customer, partner, SKU parts, charge dates, charge
   * type), a zero-price line whose subscription type cannot be told.
   */
  rowProblems?(rec: string[], file: string, line: number): Diagnostic[];
  /** After the whole file: its slash dates were day-first, or could be read either way. */
  dateProblem?(file: string): Diagnostic | undefined;
  /** Canonical column -> the source column it comes from, for messages. */
  labels: Partial<Record<Canon, string>>;
  map(rec: string[]): CanonValues;
  /** Present when seats are rebuilt from billing lines (two passes over the files). */
  billing?(rec: string[]): BillingFields;
  /** Preset rows have no id of their own: each is named `file:line`. */
  idFromLine: boolean;
}

/** What binding a preset to one file needs beyond its header. */
export interface PresetContext {
  /** GUID-shaped ids compared case-insensitively, shown as first written (shared across files). */
  ids: IdCase;
  /** --date-format: overrides the preset's dates (no guessing). */
  dateFormat?: DateFormat;
  /** --decimal-comma: amounts and quantities are written 150,12. */
  decimalComma?: boolean;
}

export interface Preset {
  name: string;
  description: string;
  /** Header names (lower case) that identify the layout. */
  signature: readonly string[];
  /** Header names (lower case) the preset cannot work without. */
  required: readonly string[];
  /** `cols` finds a column by lower-case name or alias; -1 when absent. */
  bind(cols: (...names: string[]) => number, ctx: PresetContext): BoundPreset;
}
