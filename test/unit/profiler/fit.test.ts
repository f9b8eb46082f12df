// The profiler's arithmetic on synthetic measurements with a known growth: the log-log fit finds
// the exponent (and ignores the small sizes' fixed overhead), extrapolates, and the run loop stops
// a series at the caps — before a call the earlier sizes predict would pass them.
import assert from 'node:assert/strict';
import { capReason, profileSizes, runProfile, type MeasureFn } from '../../../core/profiler/profileRun';
import { extrapolate, fitPowerLaw, predictNext } from '../../../core/profiler/fit';
import { DEFAULT_PROFILE_SETTINGS, type ProfileRunData, type ProfileSettings } from '../../../core/protocol/views/profileView';

/** c·N^k with a deterministic ±3 % wobble, plus a fixed overhead. */
function synthetic(k: number, c: number, overhead = 0): Array<{ n: number; y: number }> {
  return profileSizes(2048).map((n, i) => ({ n, y: overhead + c * n ** k * (1 + 0.03 * Math.sin(7 * i)) }));
}

describe('profiler fit', () => {
  it('recovers a quadratic and a linear exponent from noisy timings', () => {
    const quad = fitPowerLaw(synthetic(2, 1e-6))!;
    assert.ok(Math.abs(quad.exponent - 2) < 0.05, `fitted ${quad.exponent}`);
    assert.ok(quad.r2 > 0.99);
    const lin = fitPowerLaw(synthetic(1, 2e-3))!;
    assert.ok(Math.abs(lin.exponent - 1) < 0.05, `fitted ${lin.exponent}`);
  });

  it('fits the largest sizes only, so a fixed overhead at small N does not flatten the exponent', () => {
    const pts = synthetic(2, 1e-5, 0.5); // 0.5 ms of call overhead dominates below N ≈ 220
    const fit = fitPowerLaw(pts)!;
    assert.deepEqual(fit.used, [256, 512, 1024, 2048]);
    assert.ok(fit.exponent > 1.7, `fitted ${fit.exponent}`);
    const all = fitPowerLaw(pts, { maxPoints: 100 })!;
    assert.ok(all.exponent < fit.exponent - 0.3, 'over every size the overhead would drag the exponent down');
  });

  it('extrapolates to N = 100,000 along the fitted line; too few points give no fit', () => {
    const fit = fitPowerLaw([{ n: 1000, y: 4e6 }, { n: 2000, y: 16e6 }])!;
    assert.ok(Math.abs(fit.exponent - 2) < 1e-9);
    assert.ok(Math.abs(extrapolate(fit, 100_000) / 4e10 - 1) < 1e-9, '4 bytes · N² at N = 100,000 is 40 GB');
    assert.equal(fitPowerLaw([{ n: 16, y: 1 }]), null);
    assert.equal(fitPowerLaw([{ n: 16, y: 0 }, { n: 32, y: 0 }]), null, 'values below the floor are not fitted');
    assert.equal(predictNext([{ n: 512, y: 10 }, { n: 1024, y: 40 }], 2048), 160);
  });

  it('the run loop stops a series at the time cap before running a size predicted to pass it', async () => {
    const settings: ProfileSettings = { ...DEFAULT_PROFILE_SETTINGS, targets: ['attention'], maxN: 2048, timeCapMs: 100, memoryCapMb: 1024 };
    const asked: number[] = [];
    // learner: quadratic time 1e-4·N² ms (N = 1024 → 105 ms); reference: linear
    const measure: MeasureFn = async (input) => {
      asked.push(input.n);
      const m = (ms: number) => ({ ms, runs: [ms], peakBytes: 4 * input.n * input.n });
      return { target: input.target, n: input.n, learner: input.skipLearner ? null : m(1e-4 * input.n ** 2), reference: input.skipReference ? null : m(0.01 * input.n) };
    };
    const updates: ProfileRunData[] = [];
    const data = (await runProfile(measure, settings, { budgetMs: 10, onUpdate: (d) => updates.push(d) })) as ProfileRunData;
    const learner = data.series.find((s) => s.who === 'learner')!;
    const reference = data.series.find((s) => s.who === 'reference')!;
    assert.deepEqual(learner.points.map((p) => p.n), [16, 32, 64, 128, 256, 512]);
    assert.match(learner.stopped ?? '', /N = 1024 would take about 105 ms, more than the 100 ms cap/);
    assert.deepEqual(reference.points.map((p) => p.n), profileSizes(2048), 'the reference goes on alone');
    assert.ok(Math.abs(learner.time!.exponent - 2) < 0.01);
    assert.ok(Math.abs(learner.memory!.exponent - 2) < 0.01);
    assert.ok(Math.abs(reference.time!.exponent - 1) < 0.01);
    assert.ok(data.done && updates.length > 5, 'the caller sees every step');
    assert.equal(capReason({ ...learner, points: [{ n: 64, ms: 1, peakBytes: 2 * 1024 ** 3 }] }, 128, settings), 'N = 64 held 2048 MB, more than the 1024 MB cap');
  });
});
