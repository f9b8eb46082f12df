// Fuzzing the lab manifest loader: every malformed manifest is rejected with a message that
// names the file and a field; nothing crashes; the other lab still loads.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadLabs } from '../../core/labs/labLoader';
import { LabManifestSchema } from '../../core/labs/manifest';
import { repoRoot } from '../support/repoRoot';
import { record } from './faultTable';

const REAL = join(repoRoot(__dirname), 'labs', '01-attention');
const base = JSON.parse(readFileSync(join(REAL, 'lab.json'), 'utf8'));

type Path = (string | number)[];

function paths(v: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(v)) return [prefix, ...v.flatMap((x, i) => paths(x, [...prefix, i]))];
  if (v && typeof v === 'object') return [prefix, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k]))];
  return [prefix];
}

function mutate(obj: any, path: Path, op: 'delete' | 'replace', value: unknown): any {
  const copy = JSON.parse(JSON.stringify(obj));
  if (path.length === 0) return value;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k];
  const last = path[path.length - 1];
  if (op === 'delete') {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy;
}

describe('fault: fuzzed lab manifests', function () {
  this.timeout(300_000);
  const allPaths = paths(base);

  it('rejects every malformed manifest with file and field, and keeps loading the good lab', () => {
    const root = mkdtempSync(join(tmpdir(), 'tl-fuzz-'));
    const labs = join(root, 'labs');
    cpSync(REAL, join(labs, '01-attention'), { recursive: true });
    cpSync(REAL, join(labs, '02-fuzzed'), { recursive: true });
    let tried = 0;
    let survived = 0;
    const garbage = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
    try {
      fc.assert(
        fc.property(
          fc.constantFrom(...allPaths),
          fc.constantFrom<'delete' | 'replace'>('delete', 'replace'),
          garbage,
          fc.boolean(),
          (path, op, value, truncate) => {
            tried++;
            const manifest = mutate({ ...base, id: '02-fuzzed', order: 2 }, path, op, value);
            let text = JSON.stringify(manifest) ?? 'undefined';
            if (truncate) text = text.slice(0, Math.floor(text.length / 2));
            writeFileSync(join(labs, '02-fuzzed', 'lab.json'), text);
            const { labs: loaded, errors } = loadLabs(labs);
            assert.ok(loaded.some((l) => l.manifest.id === '01-attention'), 'the good lab still loads');
            const valid = !truncate && LabManifestSchema.safeParse(manifest).success;
            if (!valid) {
              const e = errors.find((x) => x.file.includes('02-fuzzed'));
              assert.ok(e, `a malformed manifest was accepted: ${text.slice(0, 200)}`);
              assert.match(e.message, /labs[\\/]02-fuzzed[\\/]lab\.json: /);
              assert.match(e.message, /not valid JSON|\(top level\)|[A-Za-z]+(\[\d+\])?(\.[A-Za-z]+)*: /);
            }
            survived++;
          },
        ),
        { numRuns: 500, seed: 20261125 },
      );
    } finally {
      record({ fault: 'fuzzed lab.json (fast-check)', tried, survived, lostData: 0 });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
