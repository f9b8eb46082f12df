// Every lab on the webgpu backend (llvmpipe here), through the packaged sidecar, graded on the
// reference solution. In Node, tfjs-backend-webgpu 4.22.0 cannot read tensors synchronously
// (dataSync/arraySync go through OffscreenCanvas), so the checks and views read with `await`
// (core/checks/expect.ts) and Lab 6's decoding runs are repeated until the model's logits are
// read (untilLogitsReady); the learner functions that return numbers read from tensors (Labs 3
// and 5) are async and read with `await` too. Every check passes within float32 tolerance, with
// full marks, and every view agrees with wasm's numbers.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine } from '../../core/checks/engine';
import { findBuildPaths } from '../../core/compute/paths';
import { SidecarClient } from '../../core/compute/sidecarClient';
import { gradeLab } from '../../core/grading/gradeReport';
import { loadLabs } from '../../core/labs/labLoader';
import { scaffoldLab } from '../../core/labs/scaffold';
import { TRAINING_VIEW } from '../../src/panels/trainingData';
import { repoRoot } from '../support/repoRoot';

const LIMITS = { timeoutMs: 120_000, memoryMb: 1024 };
/** float32 on another backend: kernels sum in another order, exp/log differ in the last bits. */
const ATOL = 1e-3;
const RTOL = 1e-3;

/** Where two view payloads differ beyond tolerance (numbers) or at all (anything else). */
function payloadDiffs(a: unknown, b: unknown, at = '$', out: string[] = []): string[] {
  if (out.length >= 5) return out;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(a === b || Math.abs(a - b) <= ATOL + RTOL * Math.abs(b))) out.push(`${at}: webgpu ${a} vs wasm ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${at}: length ${a.length} vs ${b.length}`);
    else a.forEach((x, i) => payloadDiffs(x, b[i], `${at}[${i}]`, out));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    // A part a learner function could not fill (its own synchronous read) is held apart, by the test.
    if ('learnerError' in a || 'learnerError' in b) return out;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const [x, y] = [(a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]];
      // Timings (trainMs…, the profiler's ms and runs) are measurements, not results.
      if (/Ms$|^ms$/.test(k) || (k === 'runs' && [x, y].every((r) => Array.isArray(r) && r.every((t) => typeof t === 'number')))) continue;
      payloadDiffs(x, y, `${at}.${k}`, out);
    }
  } else if (typeof a === 'string' && typeof b === 'string' && a.replace(/\d[\d,.]* ms/g, '# ms') === b.replace(/\d[\d,.]* ms/g, '# ms')) {
    // The same sentence with another measured time in it.
  } else if (a !== b) {
    out.push(`${at}: webgpu ${JSON.stringify(a)?.slice(0, 80)} vs wasm ${JSON.stringify(b)?.slice(0, 80)}`);
  }
  return out;
}

/** Views whose other sources are worth their own run: Lab 1's attention on the trained model, Lab 6's beam search and sampling. */
const VIEW_INPUTS: Record<string, Record<string, unknown>[]> = {
  '01-attention/attention': [{}, { source: 'model', layer: 2, mask: 'causal' }],
  '06-mini-gpt/decoding': [{}, { strategy: 'beam', beamWidth: 3, steps: 8 }, { strategy: 'sample', temperature: 0.8, topK: 10, topP: 0.9, seed: 3 }],
};

/**
 * Parts whose learner side takes a path chosen by a CPU-time measurement, not by the backend:
 * Lab 4's panel trains your trainFast to 8,192 tokens only when its probe keeps up with the
 * reference's (labs/04-tokenizer/visualize.ts), which a busy machine can tip either way.
 */
const TIMED_PARTS: Record<string, string[]> = { '04-tokenizer/tokens': ['trained', 'study'] };

/** The payload with only the reference side of the timed parts (a JSON copy). */
function withoutTimedParts(data: unknown, parts: string[]): unknown {
  const copy = JSON.parse(JSON.stringify(data)) as Record<string, { reference?: unknown }>;
  for (const p of parts) if (copy[p]) copy[p] = { reference: copy[p].reference };
  return copy;
}

describe('webgpu route: every lab on the reference solution', function () {
  this.timeout(300_000);
  const dist = findBuildPaths(join(repoRoot(), 'dist'));
  const labs = loadLabs(dist.labsRoot, { compiledChecksDir: dist.labsDist }).labs;
  const client = (backend: 'webgpu' | 'wasm') => new SidecarClient({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, labsDist: dist.labsDist, backend });
  let webgpu: SidecarClient;
  let wasm: SidecarClient;
  const dirs: string[] = [];
  before(async () => {
    webgpu = client('webgpu');
    wasm = client('wasm');
    const info = (await webgpu.start()).backend;
    assert.equal(info.name, 'webgpu', JSON.stringify(info.attempts));
  });
  after(async () => {
    await Promise.all([webgpu?.dispose(), wasm?.dispose()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const lab of labs) {
    it(`${lab.manifest.id}: every check of the solution passes`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tl-webgpu-'));
      dirs.push(dir);
      scaffoldLab(lab, dir, { withSolution: true, typesDir: join(dist.buildRoot, 'types') });
      const report = await gradeLab(new CheckEngine(webgpu, () => LIMITS), lab, dir, { extensionVersion: '9.9.9' });
      assert.equal(report.backend, 'webgpu');
      const failing = report.checks.filter((c) => c.status !== 'pass');
      assert.deepEqual(failing.map((c) => `${c.id}: ${c.status} ${c.message}`), []);
      assert.equal(report.score, report.maxScore);
    });
  }

  for (const lab of labs) {
    for (const view of lab.manifest.visualizations.filter((v) => v.id !== TRAINING_VIEW)) {
      for (const input of VIEW_INPUTS[`${lab.manifest.id}/${view.id}`] ?? [{}]) {
        it(`${lab.manifest.id}: view "${view.id}" ${JSON.stringify(input)} agrees with wasm`, async () => {
          const files = lab.manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(lab.dir, f.solution), 'utf8') }));
          const req = { labId: lab.manifest.id, files, view: view.id, input, limits: LIMITS };
          const g = await webgpu.visualize(req);
          assert.ok(g.ok, g.ok ? '' : `webgpu: ${g.error.message}`);
          const w = await wasm.visualize(req);
          assert.ok(w.ok, w.ok ? '' : `wasm: ${w.error.message}`);
          const errors = JSON.stringify(g.data).match(/"learnerError":\{"message":"[^"]*"/g) ?? [];
          assert.deepEqual(errors, []);
          const timed = TIMED_PARTS[`${lab.manifest.id}/${view.id}`] ?? [];
          assert.deepEqual(payloadDiffs(withoutTimedParts(g.data, timed), withoutTimedParts(w.data, timed)), []);
        });
      }
    }
  }
});
