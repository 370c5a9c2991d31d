/** Seats from billing lines: each group's seat change, given the groups of a subscription. */

/**
 * The lines of one subscription that share a ChargeStartDate: a charge cycle, or a
 * change inside one (a prorated purchase or cancel dated on the change day). Their
 * seats, the latest ChargeEndDate, and the line that carries the seat change.
 */
export interface Cycle {
  seats: number;
  end: string;
  /** The first line of the group (file order): `fileIndex:line`. */
  first: string;
}

/**
 * The seat change each group of lines carries, by its first line (`fileIndex:line`).
 * Per (customer, subscription, subscription type), groups in ChargeStartDate order: a
 * group that starts a new charge cycle sets the seats (every cycle repeats the full
 * quantity, so it changes them by the difference from before); a group that starts
 * inside the current cycle (on or before its ChargeEndDate) is a change on that day
 * (a prorated purchase or cancel, a reversal and rebill) and moves the seats by its
 * net quantity. Seats never go below zero.
 */
export function seatChanges(cycles: ReadonlyMap<string, ReadonlyMap<string, Cycle>>): Map<string, number> {
  const change = new Map<string, number>();
  for (const bySub of cycles.values()) {
    let level = 0;
    let cycleEnd = '';
    for (const start of [...bySub.keys()].sort()) {
      const g = bySub.get(start)!;
      const inside = cycleEnd !== '' && start <= cycleEnd;
      const next = Math.max(0, inside ? level + g.seats : g.seats);
      change.set(g.first, next - level);
      level = next;
      if (!inside) cycleEnd = g.end;
      else if (g.end > cycleEnd) cycleEnd = g.end;
    }
  }
  return change;
}
