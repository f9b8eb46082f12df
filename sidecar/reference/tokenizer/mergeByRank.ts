// Encoding one piece: start from its byte tokens and repeatedly merge the adjacent pair with
// the lowest rank (the earliest merge learned), leftmost first, until no adjacent pair is a
// merge. This is GPT-2's encoder.py and tiktoken's byte_pair_merge; it equals applying the
// merges one after another in training order, without a pass per merge.
import { pairKey } from './pairs';

/**
 * `ids` are one piece's byte tokens (modified in place and returned). `ranks` maps a pair key to
 * the id the merge creates; ids grow with rank, so the smallest id is the earliest merge.
 */
export function mergeByRank(ids: number[], ranks: ReadonlyMap<number, number>): number[] {
  const n = ids.length;
  if (n < 2) return ids;
  // rankAt[i]: the merge id of (ids[i], ids[i + 1]), Infinity when that pair is not a merge.
  const rankAt: number[] = new Array(n - 1);
  for (let i = 0; i < n - 1; i++) rankAt[i] = ranks.get(pairKey(ids[i], ids[i + 1])) ?? Infinity;
  for (;;) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i < rankAt.length; i++) {
      if (rankAt[i] < best) {
        best = rankAt[i];
        at = i;
      }
    }
    if (at < 0) return ids;
    ids[at] = best;
    ids.splice(at + 1, 1);
    rankAt.splice(at, 1);
    if (at > 0) rankAt[at - 1] = ranks.get(pairKey(ids[at - 1], ids[at])) ?? Infinity;
    if (at < rankAt.length) rankAt[at] = ranks.get(pairKey(ids[at], ids[at + 1])) ?? Infinity;
  }
}
