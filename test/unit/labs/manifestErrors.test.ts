// A malformed lab manifest is rejected with a message naming the file and the field, and
// the other labs still load.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { repoRoot } from '../../support/repoRoot';

const REAL = join(repoRoot(), 'labs', '01-attention');

function labsWith(broken: (manifest: any) => unknown | string): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'tl-labs-'));
  cpSync(REAL, join(root, 'labs', '01-attention'), { recursive: true });
  const dir = join(root, 'labs', '02-broken');
  cpSync(REAL, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(REAL, 'lab.json'), 'utf8'));
  manifest.id = '02-broken';
  manifest.order = 2;
  const out = broken(manifest);
  writeFileSync(join(dir, 'lab.json'), typeof out === 'string' ? out : JSON.stringify(out ?? manifest));
  return { root: join(root, 'labs'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

const cases: [string, (m: any) => unknown | string, RegExp][] = [
  ['invalid JSON', () => '{ "id": "02-broken", ', /labs[\\/]02-broken[\\/]lab\.json: not valid JSON/],
  ['a missing field', (m) => { delete m.title; return m; }, /lab\.json: title: .*got nothing/],
  ['a wrong type', (m) => { m.checks[2].points = 'two'; return m; }, /lab\.json: checks\[2\]\.points: .*got "two"/],
  ['a negative number', (m) => { m.checks[0].points = -1; return m; }, /checks\[0\]\.points: /],
  ['a bad version', (m) => { m.version = 'one'; return m; }, /version: must be a semantic version/],
  ['a path escaping the lab folder', (m) => { m.files[0].starter = '../../etc/passwd'; return m; }, /files\[0\]\.starter: must be a relative path/],
  ['a file that does not exist', (m) => { m.instructions = 'NOPE.md'; return m; }, /instructions: "NOPE\.md" does not exist/],
  ['a duplicate check id', (m) => { m.checks[1].id = m.checks[0].id; return m; }, /checks\[1\]\.id: duplicate check id "softmax-sums-to-one"/],
  ['a check naming an unknown function', (m) => { m.checks[0].function = 'nope'; return m; }, /checks\[0\]\.function: "nope" is not listed/],
  ['a check naming an unknown file', (m) => { m.checks[0].file = 'other.ts'; return m; }, /checks\[0\]\.file: "other\.ts" is not one of the lab's files/],
  ['an empty checks list', (m) => { m.checks = []; return m; }, /checks: /],
  ['hints for a function the lab does not have', (m) => { m.hints = { nope: ['an idea'] }; return m; }, /hints\.nope: "nope" is not an exercise function/],
  ['an empty hint', (m) => { m.hints = { softmax: [''] }; return m; }, /hints\.softmax\[0\]: /],
  ['variantOf on a visible check', (m) => { m.checks[1].variantOf = m.checks[0].id; return m; }, /checks\[1\]\.variantOf: only a hidden check is a variant/],
  ['variantOf naming no check', (m) => { hiddenOf(m, 'attendOne').variantOf = 'nope'; return m; }, /variantOf: "nope" is not a check of this lab/],
  ['a hidden check without variantOf', (m) => { delete hiddenOf(m, 'attendOne').variantOf; return m; }, /checks\[\d+\]\.variantOf: hidden check "attend-one-random" needs "variantOf": the id of the visible check of attendOne/],
  ['variantOf naming a hidden check', (m) => { const [a, b] = m.checks.filter((c: any) => c.hidden); a.variantOf = b.id; return m; }, /variantOf: ".*" is hidden too: name a visible check/],
  ['variantOf naming another function', (m) => { hiddenOf(m, 'attendOne').variantOf = 'softmax-sums-to-one'; return m; }, /variantOf: "softmax-sums-to-one" checks softmax, not attendOne/],
];

function hiddenOf(m: any, fn: string): any {
  return m.checks.find((c: any) => c.hidden && c.function === fn);
}

describe('lab manifests', function () {
  it('the shipped labs load without errors', () => {
    const { labs, errors } = loadLabs(join(repoRoot(), 'labs'));
    assert.deepEqual(errors, []);
    assert.ok(findLab(labs, '01-attention'));
    assert.equal(findLab(labs, '1')?.manifest.id, '01-attention');
  });

  for (const [what, breakIt, message] of cases) {
    it(`rejects ${what}, naming the file and field; the other lab still loads`, () => {
      const { root, cleanup } = labsWith(breakIt);
      try {
        const { labs, errors } = loadLabs(root);
        assert.equal(errors.length, 1, JSON.stringify(errors));
        assert.match(errors[0].message, message);
        assert.deepEqual(labs.map((l) => l.manifest.id), ['01-attention']);
      } finally {
        cleanup();
      }
    });
  }

  it('ignores folders starting with "_" or "." and reports an id used twice', () => {
    const { root, cleanup } = labsWith((m) => { m.id = '01-attention'; return m; });
    try {
      mkdirSync(join(root, '_drafts'));
      const { labs, errors } = loadLabs(root);
      assert.equal(labs.length, 1);
      assert.match(errors[0].message, /id: "01-attention" is already used/);
    } finally {
      cleanup();
    }
  });
});
