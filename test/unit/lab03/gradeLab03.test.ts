// Lab 3 through the real sidecar: the reference solution passes every check (hidden ones
// included), the starter fails every one, and the positions view returns well-formed data
// for the solution and per-part learner errors (never a throw) for the starter.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabFiles } from '../../../core/checks/engine';
import { gradeLab } from '../../../core/grading/gradeReport';
import type { PositionsViewData } from '../../../core/protocol/views/positionsView';
import { expectStarterNotStarted, labSidecar, scaffolded } from '../../support/labThroughSidecar';

const LAB = '03-positional-encodings';
const LIMITS = { timeoutMs: 10_000, memoryMb: 512 };

describe('Lab 3 through the real sidecar', function () {
  this.timeout(120_000);
  const s = labSidecar(LAB, LIMITS);
  const workspace = (withSolution: boolean) => scaffolded(s.lab, withSolution);

  async function view(dir: string, input: unknown): Promise<PositionsViewData> {
    const res = await s.client.visualize({ labId: LAB, files: readLabFiles(s.lab, dir), view: 'positions', input, limits: LIMITS });
    assert.ok(res.ok, JSON.stringify(res));
    return (res as { data: PositionsViewData }).data;
  }

  it('gives the reference solution full marks, hidden checks included', async () => {
    const report = await gradeLab(s.engine, s.lab, workspace(true), { extensionVersion: '9.9.9' });
    const failing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    assert.deepEqual(failing, []);
    assert.equal(report.checks.length, s.lab.manifest.checks.length);
    assert.equal(report.percent, 100);
  });

  it('gives the starter zero: every check errors with the TODO', async () => {
    await expectStarterNotStarted(s.engine, s.lab);
  });

  // Typical learner mistakes, each caught by the property check meant for it.
  const mistakes: [string, string, string, RegExp, [string, string]?][] = [
    ['concatenated sinusoidal layout', 'const twoI = j - (j % 2);\n      const angle = pos / Math.pow(10000, twoI / d);\n      row.push(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));',
      'const half = d / 2; const ii = j % half;\n      const angle = pos / Math.pow(10000, (2 * ii) / d);\n      row.push(j < half ? Math.sin(angle) : Math.cos(angle));', /sinusoidal-formula: .*concatenated layout/],
    ['RoPE rotating by the row index, not the position', 'tf.tensor1d(positions)', 'tf.range(0, n)', /rope-relative-offset: .*should make scores depend on the offset/],
    ['RoPE with the wrong sign', 'tf.sub(tf.mul(even, cos), tf.mul(odd, sin))', 'tf.add(tf.mul(even, cos), tf.mul(odd, sin))', /rope-preserves-norm: applyRope\(.*\): row \d \(position \d+\) has norm/],
    ['ALiBi slopes off by one (2^(−8h/n))', 'Math.pow(start, h + 1)', 'Math.pow(start, h)', /alibi-slopes-8-heads: .*expected 0\.5, got 1/],
    ['clamping past maxLen instead of throwing', 'throw new RangeError(', 'if (Math.random() > 2) throw new RangeError(', /learned-past-maxlen: .*returned instead of throwing/,
      ["tf.tensor1d(positions, 'int32')", "tf.tensor1d(positions.map((p) => Math.min(Math.max(p, 0), maxLen - 1)), 'int32')"]],
    ['positions never added', 'const input = addPositions ?', 'const input = false ?', /pooled-differ-with-positions: /],
  ];
  for (const [what, from, to, expected, also] of mistakes) {
    it(`catches a mistake: ${what}`, async () => {
      const dir = workspace(true);
      const file = join(dir, 'positions.ts');
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(from), `the solution no longer contains ${from}`);
      let changed = text.replace(from, to);
      if (also) changed = changed.replace(also[0], also[1]);
      writeFileSync(file, changed);
      const run = await s.engine.run(s.lab, readLabFiles(s.lab, dir), { includeHidden: true });
      assert.deepEqual(run.compileErrors, []);
      const failed = run.outcomes.filter((o) => o.status !== 'pass');
      assert.ok(failed.length > 0, 'nothing failed');
      assert.ok(failed.some((o) => expected.test(`${o.id}: ${o.message}`)), failed.map((o) => `${o.id}: ${o.message}`).join('\n'));
      assert.ok(failed.every((o) => o.status === 'fail' || o.status === 'error'));
    });
  }

  it('the positions view: well-formed data for the solution, equal to the reference', async () => {
    const data = await view(workspace(true), { maxPosition: 40, dModel: 16, heads: 6, trainLength: 12, ropePair: 2 });
    assert.deepEqual(data.input, { maxPosition: 40, dModel: 16, heads: 6, trainLength: 12, ropePair: 2 });
    const close = (a: unknown, b: unknown) => {
      const fa = JSON.stringify(a, (_, v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v));
      const fb = JSON.stringify(b, (_, v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v));
      assert.equal(fa, fb);
    };
    assert.equal(data.sinusoidal.reference.length, 40);
    assert.equal(data.sinusoidal.reference[0].length, 16);
    close(data.sinusoidal.learner, data.sinusoidal.reference);
    assert.deepEqual(data.similarity.curves.map((c) => c.scheme), ['sinusoidal', 'learned', 'rope', 'alibi']);
    for (const c of data.similarity.curves) {
      assert.equal(c.learnerError, undefined, c.scheme);
      assert.equal(c.reference.length, 40);
      close(c.learner, c.reference);
      assert.ok(Math.abs(c.reference[0] - 1) < 1e-9, `${c.scheme} similarity at distance 0 is 1`);
    }
    assert.equal(data.ropeRotation.pair, 2);
    assert.ok(Math.abs(data.ropeRotation.theta - Math.pow(10000, -4 / 16)) < 1e-12);
    assert.equal(data.ropeRotation.reference.length, 40);
    close(data.ropeRotation.learner, data.ropeRotation.reference);
    for (const [x, y] of data.ropeRotation.reference) assert.ok(Math.abs(x * x + y * y - 1) < 1e-9, 'points lie on the unit circle');
    assert.equal(data.alibi.n, 32);
    assert.equal(data.alibi.slopes.reference.length, 6);
    assert.equal(data.alibi.bias.reference.length, 6);
    assert.equal(data.alibi.bias.reference[0][0][1], null, 'masked entries are null');
    close(data.alibi.bias.learner, data.alibi.bias.reference);
    assert.equal(data.extrapolation.positions.length, 24);
    assert.equal(data.extrapolation.learnerError, undefined);
    const learned = data.extrapolation.curves.find((c) => c.scheme === 'learned')!;
    assert.deepEqual(learned.breaksAt, { learner: 12, reference: 12 });
    assert.ok(data.extrapolation.curves.filter((c) => c.scheme !== 'learned').every((c) => c.breaksAt.reference === null));
    close(data.extrapolation.curves.map((c) => c.learner), data.extrapolation.curves.map((c) => c.reference));
  });

  it('the positions view on the starter: every part has a learnerError and its reference, no throw', async () => {
    const data = await view(workspace(false), {});
    assert.deepEqual(data.input, { maxPosition: 64, dModel: 32, heads: 8, trainLength: 32, ropePair: 1 });
    const parts = [data.sinusoidal, ...data.similarity.curves, data.ropeRotation, data.alibi.slopes, data.alibi.bias];
    for (const p of parts) {
      assert.equal(p.learner, null);
      assert.match(p.learnerError!.message, /is not started yet/);
      assert.ok(Array.isArray(p.reference) && p.reference.length > 0);
    }
    assert.match(data.extrapolation.learnerError!.message, /extrapolationStudy\(\) is not started yet/);
    assert.equal(data.extrapolation.curves.length, 4);
    assert.ok(data.extrapolation.curves.every((c) => c.learner === null && c.reference.length === 64));
  });

  it('the positions view: a wrong shape from one function marks only that part', async () => {
    const dir = workspace(true);
    const file = join(dir, 'positions.ts');
    // alibiSlopes returns one slope too few; every part that does not use it stays intact.
    writeFileSync(file, readFileSync(file, 'utf8').replace('if (Number.isInteger(Math.log2(heads))) return geometric(heads);', 'if (Number.isInteger(Math.log2(heads))) return geometric(heads).slice(1);'));
    const data = await view(dir, { heads: 8 });
    assert.match(data.alibi.slopes.learnerError!.message, /alibiSlopes\(8\) should have shape \[8\], got \[7\]/);
    assert.ok(data.alibi.bias.learnerError, 'alibiBias uses the slopes too');
    assert.equal(data.sinusoidal.learnerError, undefined);
    assert.equal(data.ropeRotation.learnerError, undefined);
    assert.ok(data.sinusoidal.learner);
  });
});
