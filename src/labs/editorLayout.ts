// Open Lab, Show Instructions and the course's restore after a reload lay out the lab's editors:
// the code on the left, the instructions' Markdown preview beside it. The preview comes from the
// Markdown extension, which can still be activating seconds after the code is shown (3.5 s in
// code-server here); a panel created meanwhile opened in the column the preview then landed in,
// and the preview covered it (issue 18). Panels wait here for the layout first. No vscode import.

let pending: Promise<void> = Promise.resolve();

/** Runs `job` after the layouts already asked for; one at a time, so their editors land in order. */
export function layOutEditors(job: () => Promise<void>): Promise<void> {
  const run = pending.then(job);
  pending = run.catch(() => undefined);
  return run;
}

/**
 * Resolves once every layout asked for so far is done, or after `maxWaitMs` (a Markdown extension
 * that never answers must not keep the panels shut).
 */
export async function editorLayoutSettled(maxWaitMs = 15_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([pending, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)))]);
  clearTimeout(timer);
}
