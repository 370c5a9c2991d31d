import type { TX_OPTIONAL, TX_REQUIRED } from '../transactions.js';

export type Canon = (typeof TX_REQUIRED)[number] | (typeof TX_OPTIONAL)[number];

/** A source row mapped onto canonical columns (text, before validation). */
export type CanonValues = Partial<Record<Canon, string>>;

/** What a billing preset reads to rebuild seats: one charge cycle of one subscription per key. */
export interface BillingFields {
  subscription: string;
  /** The cycle's first day (ChargeStartDate), as ISO text or unchanged when unreadable. */
  cycleStart: string;
  /** The line's seat quantity (positive even on a reversal). */
  quantity: string;
  /** The line's amount, whose sign is the line's sign. */
  amount: string;
  chargeType: string;
  /** Source column names, for messages. */
  labels: { cycleStart: string; quantity: string; amount: string; chargeType: string };
}

export interface BoundPreset {
  name: string;
  /** Canonical column -> the source column it comes from, for messages. */
  labels: Partial<Record<Canon, string>>;
  map(rec: string[]): CanonValues;
  /** Present when seats are rebuilt from billing lines (two passes over the files). */
  billing?(rec: string[]): BillingFields;
  /** Preset rows have no id of their own: each is named `file:line`. */
  idFromLine: boolean;
}

export interface Preset {
  name: string;
  description: string;
  /** Header names (lower case) that identify the layout. */
  signature: readonly string[];
  /** Header names (lower case) the preset cannot work without. */
  required: readonly string[];
  /** `cols` finds a column by lower-case name or alias; -1 when absent. */
  bind(cols: (...names: string[]) => number): BoundPreset;
}
