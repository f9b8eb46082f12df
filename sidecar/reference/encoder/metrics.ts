// Classification metrics from a confusion matrix, with the zero-denominator rule stated once:
// a ratio whose denominator is 0 is 0 (scikit-learn's zero_division=0), never NaN.

/** matrix[actual][predicted] = how many examples of class `actual` were predicted as `predicted`. */
export function confusionMatrixRef(predicted: number[], actual: number[], numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  predicted.forEach((p, i) => m[actual[i]][p]++);
  return m;
}

export interface ClassMetrics {
  /** TP / (TP + FP): of the examples predicted as this class, the fraction that are. 0 if none predicted. */
  precision: number;
  /** TP / (TP + FN): of the examples of this class, the fraction found. 0 if the class is absent. */
  recall: number;
  /** 2PR / (P + R); 0 when P + R = 0. */
  f1: number;
  /** Examples of this class (TP + FN). */
  support: number;
}

export interface Metrics {
  /** Correct / all; 0 for no examples. */
  accuracy: number;
  perClass: ClassMetrics[];
  /** Unweighted mean of the per-class F1. */
  macroF1: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function classificationMetricsRef(matrix: number[][]): Metrics {
  const K = matrix.length;
  let total = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = [];
  for (let k = 0; k < K; k++) {
    const tp = matrix[k][k];
    let actual = 0;
    let predicted = 0;
    for (let j = 0; j < K; j++) {
      actual += matrix[k][j];
      predicted += matrix[j][k];
      total += matrix[k][j];
    }
    correct += tp;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, actual);
    perClass.push({ precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: actual });
  }
  return { accuracy: ratio(correct, total), perClass, macroF1: ratio(perClass.reduce((s, c) => s + c.f1, 0), K) };
}
