// An author edits an external lab's checks while the sidecar keeps running (the extension's case):
// the next run uses the edited checks, with no rebuild and no restart.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine } from '../../../core/checks/engine';
import { isLab, loadLab } from '../../../core/labs/labLoader';
import { writeNewLab } from '../../../core/labs/newLab';
import { testSidecar } from '../../support/sidecar';

describe('an external lab edited while the sidecar runs', function () {
  this.timeout(120_000);
  const client = testSidecar();
  after(async () => client.dispose());

  it('runs the edited checks.ts on the next request', async () => {
    const dir = writeNewLab(join(mkdtempSync(join(tmpdir(), 'tl-edit-')), 'edited')).dir;
    const lab = loadLab(dir, dir, { external: true });
    assert.ok(isLab(lab), JSON.stringify(lab));
    const engine = new CheckEngine(client, () => ({ timeoutMs: 10_000, memoryMb: 512 }));
    const files = [{ path: 'softmax.ts', text: readFileSync(join(dir, 'solution', 'softmax.ts'), 'utf8') }];
    const before = await engine.run(lab, files, { includeHidden: false });
    assert.deepEqual(before.outcomes.map((o) => o.status), ['pass', 'pass', 'pass']);
    const checks = join(dir, 'checks.ts');
    writeFileSync(checks, readFileSync(checks, 'utf8').replace("'softmax-small': (ctx) => agrees(ctx, [1, 2, 3]),", "'softmax-small': () => { throw new CheckFailure('edited by the author'); },"));
    const after = await engine.run(lab, files, { includeHidden: false });
    assert.equal(after.outcomes[0].status, 'fail');
    assert.equal(after.outcomes[0].message, 'edited by the author');
    assert.equal(after.outcomes[1].status, 'pass');
  });
});
