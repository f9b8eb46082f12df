// Lab 5 — Evaluation: the confusion matrix and the scores read from it. Reference solution (not shipped).
// The rule for empty denominators: a ratio whose denominator is 0 is 0 (never NaN).

/** matrix[actual][predicted]: how many examples of class `actual` were predicted as `predicted`. */
export function confusionMatrix(predicted: number[], actual: number[], numClasses: number): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < predicted.length; i++) matrix[actual[i]][predicted[i]] += 1;
  return matrix;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  perClass: ClassMetrics[];
  macroF1: number;
}

function safeDivide(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * From a confusion matrix: accuracy = trace / total; per class k: precision = TP / (column k's sum),
 * recall = TP / (row k's sum), F1 = 2PR / (P + R), support = row k's sum; macroF1 = mean F1.
 * Every ratio with a zero denominator is 0.
 */
export function classificationMetrics(matrix: number[][]): Metrics {
  const K = matrix.length;
  const rowSum = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSum = matrix.map((_, k) => matrix.reduce((s, row) => s + row[k], 0));
  const total = rowSum.reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((s, row, k) => s + row[k], 0);
  const perClass = matrix.map((row, k) => {
    const precision = safeDivide(row[k], colSum[k]);
    const recall = safeDivide(row[k], rowSum[k]);
    return { precision, recall, f1: safeDivide(2 * precision * recall, precision + recall), support: rowSum[k] };
  });
  return { accuracy: safeDivide(correct, total), perClass, macroF1: safeDivide(perClass.reduce((s, c) => s + c.f1, 0), K) };
}
