// Lab 5 — Evaluation: the confusion matrix and the scores read from it. The rule for empty
// denominators: a ratio whose denominator is 0 is 0 (never NaN).
// Replace each `throw` with your implementation.

/** matrix[actual][predicted]: how many examples of class `actual` were predicted as `predicted`. */
export function confusionMatrix(predicted: number[], actual: number[], numClasses: number): number[][] {
  // Rows are what the example is, columns what was predicted.
  throw new Error('TODO: implement confusionMatrix');
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

/**
 * From a confusion matrix: accuracy, and per class its precision, recall, F1 and support, and
 * the macro F1 (INSTRUCTIONS.md §5). Every ratio with a zero denominator is 0.
 */
export function classificationMetrics(matrix: number[][]): Metrics {
  // Row sums, column sums and the diagonal give every count you need.
  throw new Error('TODO: implement classificationMetrics');
}
