// The training panel's task: the lab's fineTuneRun, with one addition for the panel. When the
// learner's metrics (confusionMatrix, classificationMetrics) throw or return something unusable,
// the run goes on with the course's reference for them and says so, instead of losing the
// training to an evaluation bug. A throw in a part the training itself needs still stops the
// run with the learner's line; a part still at its TODO is the lab's own fallback (referenceParts).
import type { CheckContext, FnOptions, TaskFn, TaskHooks } from '../../core/checks/checkApi';
import type { FineTuneTaskResult, PartError } from '../../core/protocol/trainingPanel';
import type { FineTuneInput, TrainingProgress, TrainingResult } from '../../core/protocol/views/trainingView';
import { referenceParts } from '../../sidecar/reference/encoder/finetune';

type FineTuneRun = (ctx: CheckContext, input: FineTuneInput, hooks: { progress(p: TrainingProgress): void; aborted(): boolean }) => Promise<TrainingResult & { referenceParts: string[] }>;
type Guarded = 'confusionMatrix' | 'classificationMetrics';

const isMatrix = (m: unknown, n?: number) =>
  Array.isArray(m) && (n === undefined || m.length === n) && m.every((r) => Array.isArray(r) && r.length === m.length && r.every((x) => typeof x === 'number' && Number.isFinite(x)));

/** Why a guarded part's return value cannot be used, or undefined. */
function unusable(name: Guarded, value: unknown, args: unknown[]): string | undefined {
  if (name === 'confusionMatrix') return isMatrix(value, args[2] as number) ? undefined : `returned ${short(value)}, not a ${args[2]}×${args[2]} matrix of counts`;
  const m = value as { accuracy?: unknown; perClass?: { precision?: unknown; recall?: unknown; f1?: unknown }[]; macroF1?: unknown } | null;
  const n = (args[0] as unknown[]).length;
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const ok = !!m && num(m.accuracy) && num(m.macroF1) && Array.isArray(m.perClass) && m.perClass.length === n && m.perClass.every((c) => c && num(c.precision) && num(c.recall) && num(c.f1));
  return ok ? undefined : `returned ${short(value)}, not { accuracy, perClass (${n} classes of precision, recall, f1), macroF1 } with finite numbers`;
}

function short(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

export function withMetricsFallback(run: FineTuneRun): TaskFn {
  return async (ctx: CheckContext, input: unknown, hooks: TaskHooks): Promise<FineTuneTaskResult> => {
    const ref = referenceParts(ctx.tf);
    const partErrors: PartError[] = [];
    const fallback = (name: Guarded) => `The course's reference ${name} was used for the metrics and the confusion matrix from then on.`;
    const guarded: CheckContext = {
      ...ctx,
      fn: <T extends (...args: any[]) => any>(file: string, name: string, options?: FnOptions): T => {
        // The options pass on: trainStep is asked for with { async: true }.
        const own = ctx.fn<T>(file, name, options);
        if (name !== 'confusionMatrix' && name !== 'classificationMetrics') return own;
        let failed = false;
        return ((...args: unknown[]) => {
          const reference = () => (ref[name] as (...a: unknown[]) => unknown)(...args);
          if (failed) return reference();
          let value: unknown;
          try {
            value = own(...args);
          } catch (err) {
            const e = err as { message?: string; location?: PartError['error']['location']; todo?: string };
            // A TODO is the lab's own fallback (it lists the function in referenceParts).
            if (e?.todo !== undefined || /TODO: implement/.test(String(e?.message))) throw err;
            failed = true;
            partErrors.push({ fn: name, error: e.location ? { message: String(e.message), location: e.location } : { message: String(e?.message ?? err) }, fallback: fallback(name) });
            return reference();
          }
          const why = unusable(name, value, args);
          if (!why) return value;
          failed = true;
          partErrors.push({ fn: name, error: { message: `${name} ${why}` }, fallback: fallback(name) });
          return reference();
        }) as T;
      },
    };
    const result = await run(guarded, input as FineTuneInput, hooks);
    return { ...result, partErrors };
  };
}
