// `transformer-labs validate` on Lab 1 as it is and on copies broken the ways an author breaks a lab.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lab1Attention } from '../../support/classSubmissions';
import { repoRoot } from '../../support/repoRoot';
import { cli } from '../../support/cliInProcess';

const LAB1 = join(repoRoot(), 'labs', '01-attention');

function validate(dir: string) {
  return cli('validate', dir);
}

function copyOfLab1(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tl-validate-')), '01-attention');
  cpSync(LAB1, dir, { recursive: true });
  return dir;
}

describe('transformer-labs validate', function () {
  this.timeout(300_000);

  it('passes Lab 1 as it ships', async () => {
    const r = await validate(LAB1);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /ok {4}the solution gets full marks, hidden checks included \((\d+)\/\1\)/);
    assert.match(r.out, /the lab is valid/);
  });

  it('names the file and field of a schema error', async () => {
    const dir = copyOfLab1();
    const manifest = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8'));
    manifest.version = '1.0';
    delete manifest.checks[3].hint;
    writeFileSync(join(dir, 'lab.json'), JSON.stringify(manifest));
    const r = await validate(dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /lab\.json: version: must be a semantic version like 1\.0\.0, got "1\.0"/);
    assert.match(r.out, /lab\.json: checks\[3\]\.hint: /);
  });

  it('finds a check id missing from the module, a solution below full marks, a starter at full marks, unclosed formulas', async () => {
    const dir = copyOfLab1();
    const manifest = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8'));
    manifest.checks.push({ ...manifest.checks[0], id: 'softmax-not-written-yet', hidden: false });
    writeFileSync(join(dir, 'lab.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'solution', 'attention.ts'), lab1Attention('wrong-softmax'));
    writeFileSync(join(dir, 'starter', 'attention.ts'), lab1Attention('correct'));
    writeFileSync(join(dir, 'INSTRUCTIONS.md'), readFileSync(join(dir, 'INSTRUCTIONS.md'), 'utf8') + '\n$$ x = 1\n');
    const r = await validate(dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /FAIL {2}every check id of lab\.json is in the check module\n\s+checks: "softmax-not-written-yet" is in lab\.json but not in the check module checks\.ts/);
    assert.match(r.out, /FAIL {2}the solution gets full marks.*\n(\s+.*\n)*\s+softmax-large-logits: fail: /);
    assert.match(r.out, /FAIL {2}the starter compiles and gets less than full marks \((\d+)\/\1\)\n\s+the starter passes every check/);
    assert.match(r.out, /INSTRUCTIONS\.md: an odd number of "\$\$"/);
  });
});
