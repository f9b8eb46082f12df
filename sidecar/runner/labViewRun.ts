// Runs a two-part lab view inside the check worker (core/checks/checkApi.ts LabView): the
// reference part first, posted to the main thread as soon as it exists, then the learner part.
// The main thread starts the learner's clock only when the reference arrives, so the reference
// never counts against the learner's time limit, and it still has the reference to draw when it
// has to stop the learner's part.
import type { CheckContext, LabView } from '../../core/checks/checkApi';
import { withLearnerStopped } from '../../core/checks/labView';
import type { LearnerError, VisualizeResult } from '../../core/protocol/sidecar';

export async function runLabView(
  view: LabView,
  ctx: CheckContext,
  input: unknown,
  onPart: (part: { part: 'reference' } | { part: 'learner'; payload: unknown }) => void,
  asLearnerError: (err: unknown) => LearnerError,
): Promise<VisualizeResult> {
  let ref: { payload: unknown; shared: unknown };
  onPart({ part: 'reference' });
  try {
    // Only tf and rng: nothing here can reach the learner's code.
    ref = await view.reference({ tf: ctx.tf, rng: ctx.rng }, input);
  } catch (err) {
    // Trusted code failed: say so plainly, it is not the learner's mistake.
    return { ok: false, error: { message: `the reference part of this view failed: ${err instanceof Error ? err.message : String(err)}` }, compileErrors: [] };
  }
  onPart({ part: 'learner', payload: ref.payload });
  try {
    return { ok: true, data: await view.learner(ctx, ref.payload, ref.shared) };
  } catch (err) {
    // Learner parts normally catch their own errors; one that escapes still leaves the reference.
    return { ok: true, data: withLearnerStopped(ref.payload, asLearnerError(err)) };
  }
}
