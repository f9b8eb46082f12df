// Prints that wait for an asynchronous read (t.print() on webgpu, webgpu.ts): the run that asked
// for them keeps its console until they are done, so they land in its output, not the next one's.
const pending = new Set<Promise<unknown>>();

export function trackPrint(p: Promise<unknown>): void {
  pending.add(p);
  void p.finally(() => pending.delete(p));
}

/** Resolves when every print asked for so far is out, or after `maxMs` (a device that never answers). */
export async function printsDone(maxMs = 2000): Promise<void> {
  if (pending.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...pending]), new Promise((r) => (timer = setTimeout(r, maxMs)))]);
  clearTimeout(timer);
}
