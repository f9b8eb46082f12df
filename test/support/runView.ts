// Runs a lab view in this process, one-piece or two-part (core/checks/checkApi.ts LabView), the
// way the sidecar's worker does: the reference part first, then the learner part.
import type { CheckContext, LabView, VisualizeFn } from '../../core/checks/checkApi';
import { isLabView } from '../../core/checks/labView';
import { runLabView } from '../../sidecar/runner/labViewRun';

export async function runViewHere<D = any>(view: VisualizeFn | LabView | undefined, ctx: CheckContext, input: unknown): Promise<D> {
  if (!view) throw new Error('no such view');
  if (!isLabView(view)) return (await view(ctx, input)) as D;
  const r = await runLabView(view, ctx, input, () => undefined, (err) => ({ message: (err as Error)?.message ?? String(err) }));
  if (!r.ok) throw new Error(r.error.message);
  return r.data as D;
}
