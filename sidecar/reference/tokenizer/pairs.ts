// A pair of token ids as one number, so pair tables are Maps keyed by numbers: key = left·2²¹ +
// right. Ordering keys orders pairs by left id, then right id (the tie rule's "smaller pair").

/** Ids must stay below this (2,097,152) for keys to be exact and ordered. */
export const MAX_VOCAB = 1 << 21;

export function pairKey(left: number, right: number): number {
  return left * MAX_VOCAB + right;
}

export function pairLeft(key: number): number {
  return Math.floor(key / MAX_VOCAB);
}

export function pairRight(key: number): number {
  return key % MAX_VOCAB;
}
