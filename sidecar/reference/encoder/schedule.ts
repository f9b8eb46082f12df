// The learning-rate schedule BERT fine-tuning uses (Hugging Face's
// get_linear_schedule_with_warmup): linear warm-up from 0 to the peak, then linear decay to 0.

export interface ScheduleOptions {
  peakLr: number;
  /** Steps of warm-up; 0 = none (step 0 already runs at the peak). */
  warmupSteps: number;
  /** Steps in the whole run; the last update is step totalSteps − 1. */
  totalSteps: number;
}

/**
 * lr(s) = peak · s / warmup            for s < warmup
 *       = peak · (total − s) / (total − warmup)   for warmup ≤ s < total
 *       = 0                            for s ≥ total
 * So lr(0) = 0 (with warm-up), lr(warmup) = peak, lr(total − 1) = peak / (total − warmup).
 */
export function linearWarmupDecayRef(step: number, o: ScheduleOptions): number {
  if (step >= o.totalSteps) return 0;
  if (step < o.warmupSteps) return (o.peakLr * step) / o.warmupSteps;
  return (o.peakLr * (o.totalSteps - step)) / (o.totalSteps - o.warmupSteps);
}
