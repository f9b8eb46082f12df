// The wall-clock limit on one submission in grade-all: it must not cut short a looping
// submission that `grade` alone would finish (each check that loops costs one time limit, in a
// run of its own), or the batch and the single grade would disagree.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { submissionDeadlineMs } from '../../../core/grading/classGrading';
import { loadLabs } from '../../../core/labs/labLoader';
import { repoRoot } from '../../support/repoRoot';

describe('grade-all submission deadline', () => {
  const { labs } = loadLabs(join(repoRoot(), 'labs'));

  it('leaves room for every check of every lab to hit the time limit, plus the start-up', () => {
    assert.ok(labs.length >= 4, `only ${labs.length} labs found`);
    for (const lab of labs) {
      for (const timeoutMs of [200, 3000, 10_000, 120_000]) {
        const checks = lab.manifest.checks.length;
        const deadline = submissionDeadlineMs(lab, { timeoutMs, memoryMb: 512 });
        assert.ok(deadline >= checks * timeoutMs + 30_000, `${lab.manifest.id}: ${deadline} ms for ${checks} checks of up to ${timeoutMs} ms`);
      }
    }
  });
});
