// Warm full check runs of every later lab's reference solution through one sidecar, as after a
// keystroke (new text each run, so nothing comes from the transpile cache).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarClient } from '../core/compute/sidecarClient';
import type { Lab } from '../core/labs/manifest';
import { BenchRow, percentile } from './stats';

const LIMITS = { timeoutMs: 60_000, memoryMb: 768 };

/** targetMs: one target for every lab, or per lab id with a default under "*". */
export async function labCheckRows(client: SidecarClient, labs: Lab[], runs: number, targetMs: number | Record<string, number>): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const lab of labs) {
    const target = typeof targetMs === 'number' ? targetMs : (targetMs[lab.manifest.id] ?? targetMs['*']);
    const files = lab.manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(lab.dir, f.solution), 'utf8') }));
    const visible = lab.manifest.checks.filter((c) => !c.hidden).map((c) => c.id);
    const run = async (i: number) => {
      const edited = files.map((f, j) => (j === files.length - 1 ? { ...f, text: `${f.text}\n// edit ${i}\n` } : f));
      const t0 = performance.now();
      const r = await client.runChecks({ labId: lab.manifest.id, files: edited, checkIds: visible, limits: LIMITS });
      const ms = performance.now() - t0;
      const bad = r.results.filter((x) => x.status !== 'pass');
      if (bad.length > 0) throw new Error(`${lab.manifest.id}: the reference solution failed ${bad.map((b) => `${b.id} (${b.message})`).join(', ')}`);
      return ms;
    };
    await run(-1);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await run(i));
    const p50 = percentile(times, 50);
    rows.push({
      measure: `Lab ${lab.manifest.order} warm check, ${visible.length} checks, p50 (${runs} runs)`,
      value: `${p50.toFixed(1)} ms (p95 ${percentile(times, 95).toFixed(1)})`,
      target: `≤ ${target} ms`,
      ok: p50 <= target,
    });
  }
  return rows;
}
