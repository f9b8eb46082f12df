// Lab 4's checks against the solution (every check passes), the starter (every check stops at
// its TODO), a correct solution in another style (every check passes) and 30 deliberately wrong
// solutions: each fails at least one VISIBLE check, with a message that names the mistake.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabModule } from '../../../core/checks/checkApi';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { repoRoot } from '../../support/repoRoot';
import { FILES, LAB_ID, labModule, runCheck, sandboxOf, setUp, source, type LabFile, type Outcome } from './support';
import { MISTAKES } from './mistakes';

const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, LAB_ID)!;
const visible = new Set(lab.manifest.checks.filter((c) => !c.hidden).map((c) => c.id));

async function runAll(mod: LabModule, texts: Partial<Record<LabFile, string>>, ids: string[], which: 'solution' | 'starter' = 'solution'): Promise<Map<string, Outcome>> {
  const sandbox = sandboxOf(texts, which);
  const out = new Map<string, Outcome>();
  for (const id of ids) out.set(id, await runCheck(mod, sandbox, id));
  return out;
}

describe('Lab 4 checks against right and wrong code', function () {
  this.timeout(120_000);
  let mod: LabModule;
  before(async () => {
    await setUp();
    mod = labModule();
  });

  it('the solution passes every check, hidden ones included', async () => {
    const results = await runAll(mod, {}, lab.manifest.checks.map((c) => c.id));
    const failing = [...results].filter(([, r]) => r.status !== 'pass').map(([id, r]) => `${id}: ${r.message}`);
    assert.deepEqual(failing, []);
  });

  it('the starter fails every check at its TODO', async () => {
    const results = await runAll(mod, {}, lab.manifest.checks.map((c) => c.id), 'starter');
    for (const [id, r] of results) {
      const fn = lab.manifest.checks.find((c) => c.id === id)!.function;
      assert.equal(r.status, 'error', `${id}: ${r.status} ${r.message}`);
      assert.match(r.message, new RegExp(`TODO: implement (${fn}|\\w+)`), id);
    }
  });

  it('a correct solution in another style passes every check', async () => {
    const texts = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(repoRoot(), 'test', 'unit', 'lab04', 'otherStyle', f), 'utf8')])) as Record<LabFile, string>;
    const results = await runAll(mod, texts, lab.manifest.checks.map((c) => c.id));
    const failing = [...results].filter(([, r]) => r.status !== 'pass').map(([id, r]) => `${id}: ${r.message}`);
    assert.deepEqual(failing, []);
  });

  it(`has at least 20 planted mistakes, each aimed at visible checks`, () => {
    assert.ok(MISTAKES.length >= 20, `${MISTAKES.length} mistakes`);
    for (const m of MISTAKES) for (const id of m.caughtBy) assert.ok(visible.has(id), `${m.name}: ${id} is not a visible check`);
  });

  for (const m of MISTAKES) {
    it(`catches: ${m.name}`, async () => {
      const texts: Partial<Record<LabFile, string>> = {};
      for (const [file, from, to] of m.edits) {
        const base = texts[file] ?? source('solution', file);
        assert.ok(base.includes(from), `${file} no longer contains ${JSON.stringify(from)}`);
        assert.equal(base.indexOf(from), base.lastIndexOf(from), `${JSON.stringify(from)} occurs twice in ${file}`);
        texts[file] = base.replace(from, to);
      }
      const results = await runAll(mod, texts, m.caughtBy);
      for (const id of m.caughtBy) {
        const r = results.get(id)!;
        assert.equal(r.status, 'fail', `${m.name}: ${id} should fail, got ${r.status}: ${r.message}`);
        assert.match(r.message, m.message, `${m.name}: ${id} says "${r.message}"`);
      }
    });
  }
});
