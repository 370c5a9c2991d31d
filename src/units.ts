/** Whole numbers of seats, summed exactly or refused (never rounded past 2^53). */
/** A sum of seats past 2^53 - 1 that a number cannot hold exactly: refused, never rounded. */
export class UnitOverflowError extends Error {
  constructor() {
    super(`a sum of seats passes ${Number.MAX_SAFE_INTEGER} (2^53 - 1) and cannot be counted exactly`);
  }
}

/**
 * a + b for whole numbers of seats, exact or refused: when both are safe integers, the
 * float sum is exact whenever the true sum is safe, and is not safe when it is not.
 */
export function addUnitsExactly(a: number, b: number): number {
  const t = a + b;
  if (!Number.isSafeInteger(t)) throw new UnitOverflowError();
  return t;
}
