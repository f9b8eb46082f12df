// What a run from the Testing view asks for: include and exclude lists of test item ids.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { selectChecks } from '../../../src/checks/testingPlan';
import { repoRoot } from '../../support/repoRoot';

const lab1 = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!.manifest;
const visible = (fn?: string) => lab1.checks.filter((c) => !c.hidden && (!fn || c.function === fn)).map((c) => c.id);

describe('Testing view requests', () => {
  it('no include list: every visible check, of every function, hidden ones never', () => {
    const s = selectChecks(lab1, undefined);
    assert.deepEqual([...s.checks].sort(), visible().sort());
    assert.ok(lab1.checks.some((c) => c.hidden && !s.checks.has(c.id)));
  });

  it('a function item runs only that function\'s checks', () => {
    const s = selectChecks(lab1, ['01-attention/softmax']);
    assert.deepEqual(s.functions, ['softmax']);
    assert.deepEqual([...s.checks].sort(), visible('softmax').sort());
  });

  it('several items (a multi-selection in the Testing view): the checks of each', () => {
    const s = selectChecks(lab1, ['01-attention/softmax', '01-attention/attention/attention-shapes']);
    assert.deepEqual(s.functions, ['softmax', 'attention']);
    assert.deepEqual([...s.checks].sort(), [...visible('softmax'), 'attention-shapes'].sort());
  });

  it('one check item runs its function but reports that check only', () => {
    const s = selectChecks(lab1, ['01-attention/attention/attention-shapes']);
    assert.deepEqual(s.functions, ['attention']);
    assert.deepEqual([...s.checks], ['attention-shapes']);
  });

  it('exclude wins over include, at any level', () => {
    const s = selectChecks(lab1, ['01-attention'], ['01-attention/attention', '01-attention/softmax/softmax-large-logits']);
    assert.ok(!s.functions.includes('attention'));
    assert.ok(!s.checks.has('softmax-large-logits') && s.checks.has('softmax-sums-to-one'));
  });

  it('ids of another lab select nothing', () => {
    assert.deepEqual(selectChecks(lab1, ['02-transformer-block/layerNorm']).functions, []);
  });
});
