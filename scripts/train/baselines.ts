// Count-based baselines on the same split: what a model that ignores context (unigram) or
// sees only the previous character (bigram) scores on the validation text, in nats/char.

/** Unigram with add-α smoothing fitted on train; mean −ln p(c) over val. */
export function unigramLoss(train: ArrayLike<number>, val: ArrayLike<number>, V: number, alpha = 1): number {
  const counts = new Float64Array(V).fill(alpha);
  for (let i = 0; i < train.length; i++) counts[train[i]]++;
  const total = train.length + alpha * V;
  let nll = 0;
  for (let i = 0; i < val.length; i++) nll -= Math.log(counts[val[i]] / total);
  return nll / val.length;
}

/**
 * Bigram p(c_t | c_{t−1}) with add-α smoothing fitted on train; mean −ln p over the val
 * pairs (val[0] is predicted from the last training character, as the model sees it).
 */
export function bigramLoss(train: ArrayLike<number>, val: ArrayLike<number>, V: number, alpha: number): number {
  const counts = new Float64Array(V * V).fill(alpha);
  const rows = new Float64Array(V).fill(alpha * V);
  for (let i = 1; i < train.length; i++) {
    counts[train[i - 1] * V + train[i]]++;
    rows[train[i - 1]]++;
  }
  let nll = 0;
  let prev = train[train.length - 1];
  for (let i = 0; i < val.length; i++) {
    nll -= Math.log(counts[prev * V + val[i]] / rows[prev]);
    prev = val[i];
  }
  return nll / val.length;
}
