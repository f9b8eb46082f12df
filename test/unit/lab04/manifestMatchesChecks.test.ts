// Lab 4's manifest and check module agree, and the lab follows the course conventions: hidden
// checks only vary a visible check of the same function, every function has a visible check and
// 2–4 progressive hints, every starter function is exactly the TODO throw.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabModule } from '../../../core/checks/checkApi';
import { findBuildPaths } from '../../../core/compute/paths';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { LAB_DIR, LAB_ID } from './support';

interface RawCheck {
  id: string;
  function: string;
  hidden: boolean;
  variantOf?: string;
}

describe('Lab 4 manifest and check module', () => {
  const paths = findBuildPaths(__dirname);
  const lab = findLab(loadLabs(paths.labsRoot).labs, LAB_ID)!;
  const raw = JSON.parse(readFileSync(join(LAB_DIR, 'lab.json'), 'utf8')) as { checks: RawCheck[]; hints: Record<string, string[]> };
  const mod = require(join(paths.labsDist, LAB_ID, 'checks.js')) as LabModule;

  it('loads, with id, order and version as specified', () => {
    assert.ok(lab, 'labs/04-tokenizer did not load');
    assert.equal(lab.manifest.order, 4);
    assert.equal(lab.manifest.version, '1.0.0');
  });

  it('lists exactly the checks the module implements, and the tokens view', () => {
    assert.deepEqual(lab.manifest.checks.map((c) => c.id).sort(), Object.keys(mod.checks).sort());
    assert.deepEqual(lab.manifest.visualizations.map((v) => v.id), ['tokens']);
    assert.deepEqual(Object.keys(mod.visualize ?? {}), ['tokens']);
  });

  it('every hidden check is a variant of a visible check of the same function', () => {
    const byId = new Map(raw.checks.map((c) => [c.id, c]));
    const hidden = raw.checks.filter((c) => c.hidden);
    assert.ok(hidden.length >= 5);
    for (const c of hidden) {
      const of = c.variantOf ? byId.get(c.variantOf) : undefined;
      assert.ok(of, `${c.id}: variantOf ${c.variantOf} is not a check`);
      assert.equal(of!.hidden, false, `${c.id}: variantOf ${c.variantOf} is hidden`);
      assert.equal(of!.function, c.function, `${c.id} varies a check of another function`);
    }
    for (const c of raw.checks.filter((x) => !x.hidden)) assert.equal(c.variantOf, undefined, `${c.id} is visible but has variantOf`);
  });

  it('every exercise function has a visible check and 2–4 progressive hints', () => {
    for (const f of lab.manifest.files.flatMap((x) => x.functions)) {
      assert.ok(raw.checks.some((c) => c.function === f && !c.hidden), `${f} has no visible check`);
      const hints = raw.hints[f];
      assert.ok(Array.isArray(hints) && hints.length >= 2 && hints.length <= 4, `${f}: ${hints?.length ?? 0} hints`);
      assert.ok(hints.every((h) => typeof h === 'string' && h.length > 20), `${f}: a hint is empty`);
    }
    assert.deepEqual(Object.keys(raw.hints).sort(), lab.manifest.files.flatMap((x) => x.functions).sort());
  });

  it('every starter function body is exactly the TODO throw, under at most one nudge comment', () => {
    for (const file of lab.manifest.files) {
      const text = readFileSync(join(LAB_DIR, file.starter), 'utf8');
      for (const fn of file.functions) {
        // The signature line, at most one comment line, the throw, the closing brace: nothing else.
        const body = new RegExp(`\\nexport function ${fn}\\([^\\n]*\\{\\n(  //[^\\n]*\\n)?  throw new Error\\('TODO: implement ${fn}'\\);\\n\\}\\n`);
        assert.match(text, body, `${file.starter}: ${fn}`);
      }
    }
  });
});
