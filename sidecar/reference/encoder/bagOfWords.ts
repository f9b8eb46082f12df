// The baseline the encoder has to beat: a bag-of-words logistic regression (Géron, Hands-On
// Machine Learning, ch. 3's spam exercise). Words are lowercased runs of letters or digits;
// URLs become "URL" and numbers "NUMBER"; a message is the set of its words (binary features)
// from the words that occur in at least MIN_DOCS training messages. Plain JavaScript, sparse,
// seeded: the same data gives the same weights.
import { mulberry32 } from '../random';

export const MIN_DOCS = 2;

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/(https?:\/\/|www\.)\S+/g, ' URL ')
    .replace(/\d+(?:[.,]\d+)*/g, ' NUMBER ')
    .match(/URL|NUMBER|\p{L}+/gu) ?? [];
}

export interface BagOfWordsOptions {
  epochs: number;
  /** L2 penalty λ on the weights (not the bias). */
  l2: number;
  /** Step size of AdaGrad. */
  lr: number;
  seed: number;
}

export const BOW_DEFAULTS: BagOfWordsOptions = { epochs: 20, l2: 1e-4, lr: 0.1, seed: 7 };

export interface BagOfWordsModel {
  vocabulary: Map<string, number>;
  weights: Float64Array;
  bias: number;
  /** p(spam) for a text. */
  probability(text: string): number;
}

function features(text: string, vocab: Map<string, number>): number[] {
  const ids = new Set<number>();
  for (const w of words(text)) {
    const id = vocab.get(w);
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Logistic regression by AdaGrad on the mean log-loss + λ‖w‖², one example at a time in a seeded order. */
export function trainBagOfWords(texts: string[], labels: number[], o: BagOfWordsOptions = BOW_DEFAULTS): BagOfWordsModel {
  const docFreq = new Map<string, number>();
  for (const t of texts) for (const w of new Set(words(t))) docFreq.set(w, (docFreq.get(w) ?? 0) + 1);
  const vocabulary = new Map<string, number>();
  [...docFreq.entries()]
    .filter(([, n]) => n >= MIN_DOCS)
    .map(([w]) => w)
    .sort()
    .forEach((w, i) => vocabulary.set(w, i));
  const X = texts.map((t) => features(t, vocabulary));
  const weights = new Float64Array(vocabulary.size);
  const g2 = new Float64Array(vocabulary.size).fill(1e-8);
  let bias = 0;
  let g2b = 1e-8;
  const rand = mulberry32(o.seed);
  const order = texts.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      let z = bias;
      for (const f of X[i]) z += weights[f];
      const err = sigmoid(z) - labels[i]; // d log-loss / dz
      for (const f of X[i]) {
        const g = err + 2 * o.l2 * weights[f]; // the penalty on the features this example uses (lazy L2)
        g2[f] += g * g;
        weights[f] -= (o.lr * g) / Math.sqrt(g2[f]);
      }
      g2b += err * err;
      bias -= (o.lr * err) / Math.sqrt(g2b);
    }
  }
  return {
    vocabulary,
    weights,
    bias,
    probability(text: string): number {
      let z = bias;
      for (const f of features(text, vocabulary)) z += weights[f];
      return sigmoid(z);
    },
  };
}
