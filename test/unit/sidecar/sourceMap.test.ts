// The sidecar's own source-map reader (the check process may not compile code from strings,
// which source-map-js does) gives the same TypeScript position as source-map-js for every
// column of every line of each lab's transpiled solution and starter.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceMapConsumer } from 'source-map-js';
import { SourceMap } from '../../../sidecar/runner/sourceMap';
import { transpile } from '../../../sidecar/runner/transpile';
import { repoRoot } from '../../support/repoRoot';

describe('source maps of learner files', () => {
  const labs = join(repoRoot(), 'labs');
  const files = readdirSync(labs).flatMap((lab) =>
    ['solution', 'starter'].flatMap((kind) => {
      const dir = join(labs, lab, kind);
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => ({ name: `${lab}/${kind}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
      } catch {
        return [];
      }
    }),
  );

  it('finds files to compare', () => assert.ok(files.length >= 8, `${files.length} files`));

  for (const f of files) {
    it(`agrees with source-map-js on every position of ${f.name}`, () => {
      const { files: [out] } = transpile([{ path: 'x.ts', text: f.text }]);
      const ours = new SourceMap((JSON.parse(out.map) as { mappings: string }).mappings);
      const theirs = new SourceMapConsumer(JSON.parse(out.map));
      const lines = out.js.split('\n');
      let compared = 0;
      for (let l = 1; l <= lines.length; l++) {
        for (let c = 0; c <= lines[l - 1].length; c++) {
          const want = theirs.originalPositionFor({ line: l, column: c });
          const got = ours.originalPositionFor(l, c);
          if (want.line == null) assert.equal(got, undefined, `${l}:${c}`);
          else assert.deepEqual(got, { line: want.line, column: want.column }, `${l}:${c}`);
          compared++;
        }
      }
      assert.ok(compared > 100);
    });
  }
});
