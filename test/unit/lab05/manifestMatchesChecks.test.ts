// Lab 5's manifest against its check module and files: the same check ids, hidden checks only as
// input variants of a visible check of the same function, 2–4 progressive hints per exercise
// function, and starter bodies that are exactly the TODO throw.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabModule } from '../../../core/checks/checkApi';
import { findBuildPaths } from '../../../core/compute/paths';
import { LAB_DIR, lab5 } from './support';

interface RawCheck {
  id: string;
  function: string;
  hidden: boolean;
  variantOf?: string;
}

describe('Lab 5 manifest and check module', () => {
  const lab = lab5();
  const raw = JSON.parse(readFileSync(join(LAB_DIR, 'lab.json'), 'utf8')) as { checks: RawCheck[]; hints: Record<string, string[]> };
  const mod = require(join(findBuildPaths(__dirname).labsDist, '05-bert-fine-tuning', 'checks.js')) as LabModule & { fineTuneRun?: unknown };
  const functions = lab.manifest.files.flatMap((f) => f.functions);

  it('loads as Lab 5, version 1.1.0 (async clipGradNorm and trainStep)', () => {
    assert.equal(lab.manifest.order, 5);
    assert.equal(lab.manifest.version, '1.1.0');
  });

  it('lists exactly the checks the module implements, and exports fineTuneRun', () => {
    assert.deepEqual(lab.manifest.checks.map((c) => c.id).sort(), Object.keys(mod.checks).sort());
    assert.equal(typeof mod.fineTuneRun, 'function');
  });

  it('has a visible check for every function, and every hidden check varies a visible one of the same function', () => {
    for (const fn of functions) assert.ok(raw.checks.some((c) => c.function === fn && !c.hidden), `${fn} has no visible check`);
    for (const c of raw.checks.filter((x) => x.hidden)) {
      const base = raw.checks.find((x) => x.id === c.variantOf);
      assert.ok(base, `${c.id}: variantOf ${c.variantOf} is not a check`);
      assert.equal(base.hidden, false, `${c.id}: variantOf ${c.variantOf} is hidden`);
      assert.equal(base.function, c.function, `${c.id} and ${c.variantOf} test different functions`);
    }
    assert.ok(raw.checks.filter((c) => !c.hidden).every((c) => c.variantOf === undefined));
  });

  it('gives every exercise function 2–4 distinct hints', () => {
    assert.deepEqual(Object.keys(raw.hints).sort(), [...functions].sort());
    for (const [fn, hints] of Object.entries(raw.hints)) {
      assert.ok(hints.length >= 2 && hints.length <= 4, `${fn}: ${hints.length} hints`);
      assert.equal(new Set(hints).size, hints.length, `${fn}: a hint repeats`);
      for (const h of hints) assert.ok(h.trim().length > 10, `${fn}: "${h}"`);
    }
  });

  it('starts every exercise function with exactly the TODO throw, under at most a one-line nudge', () => {
    for (const f of lab.manifest.files) {
      const text = readFileSync(join(LAB_DIR, f.starter), 'utf8');
      for (const fn of f.functions) {
        // clipGradNorm and trainStep are async (they read numbers from tensors with await).
        const m = new RegExp(`export (?:async )?function ${fn}\\([^]*?\\{\\n((?:  //.*\\n)?)  throw new Error\\('TODO: implement ${fn}'\\);\\n\\}`).exec(text);
        assert.ok(m, `${f.starter}: ${fn}'s body is not the TODO throw`);
        assert.ok(!/tf\.\w+\(|=>|\bslice\(/.test(m[1]), `${f.starter}: ${fn}'s nudge names code: ${m[1]}`);
      }
    }
  });
});
