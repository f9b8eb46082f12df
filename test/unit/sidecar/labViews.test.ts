// Lab views in two parts through the real sidecar: the reference part never counts against the
// learner's time limit, and a learner part that loops forever still leaves the reference drawn,
// with the note, in every lab view.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { SourceFile, VisualizeResult } from '../../../core/protocol/sidecar';
import { repoRoot } from '../../support/repoRoot';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const QUICK = 'export function two(): number { return 2; }';
const LOOPS = 'export function two(): number { for (;;) {} }';

function solution(labId: string, path: string): SourceFile {
  return { path, text: readFileSync(join(repoRoot(), 'labs', labId, 'solution', path), 'utf8') };
}

/** The file with `fn` renamed out of the way and a version of it that never returns exported instead. */
function looping(file: SourceFile, fn: string): SourceFile {
  const renamed = file.text.replace(new RegExp(`export function ${fn}\\b`), `function ${fn}Unused`);
  assert.notEqual(renamed, file.text, `${file.path} exports ${fn}`);
  return { path: file.path, text: `${renamed}\n// eslint-disable-next-line\nexport function ${fn}(..._args: any[]): any {\n  for (;;) {}\n}\n` };
}

function data(r: VisualizeResult): any {
  assert.ok(r.ok, `the view answered: ${r.ok ? '' : r.error.message}`);
  return r.data;
}

describe('two-part lab views through the sidecar', function () {
  this.timeout(120_000);

  describe('the fixture lab', () => {
    let client: SidecarClient;
    before(() => (client = testSidecar({ labsDist: FIXTURE_LABS })));
    after(() => client.dispose());

    it('a reference part slower than the learner limit does not time the learner out', async () => {
      const r = await client.visualize({
        labId: 'fixture-lab',
        files: [{ path: 'work.ts', text: QUICK }],
        view: 'slow-reference',
        input: { referenceMs: 1500 },
        limits: { timeoutMs: 500, memoryMb: 256 },
      });
      const d = data(r);
      assert.equal(d.part.learner, 2);
      assert.equal(d.part.learnerError, undefined);
    });

    it('a learner part that never returns is stopped at the limit and the reference is still drawn, with the note', async () => {
      const t0 = Date.now();
      const r = await client.visualize({
        labId: 'fixture-lab',
        files: [{ path: 'work.ts', text: LOOPS }],
        view: 'slow-reference',
        input: { referenceMs: 0 },
        limits: { timeoutMs: 500, memoryMb: 256 },
      });
      const d = data(r);
      assert.equal(d.part.reference, 2);
      assert.equal(d.part.learner, null);
      assert.match(d.part.learnerError.message, /did not finish within 500 ms/);
      assert.match(d.learnerError.message, /the reference is drawn without it/);
      assert.ok(Date.now() - t0 < 20_000);
      // The worker was replaced; the next view runs normally.
      const next = data(await client.visualize({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: QUICK }], view: 'slow-reference', input: {}, limits: { timeoutMs: 2000, memoryMb: 256 } }));
      assert.equal(next.part.learner, 2);
    });
  });

  describe('every lab view, with one learner function that loops forever', () => {
    let client: SidecarClient;
    before(() => (client = testSidecar()));
    after(() => client.dispose());
    const limits = { timeoutMs: 1500, memoryMb: 512 };
    const note = /did not finish within 1500 ms/;

    const cases: { lab: string; view: string; input: unknown; files: () => SourceFile[]; reference: (d: any) => unknown; stopped: (d: any) => unknown }[] = [
      {
        lab: '01-attention',
        view: 'attention',
        input: { sentence: 'the cat sat', mask: 'causal', heads: 1 },
        files: () => [looping(solution('01-attention', 'attention.ts'), 'attention')],
        reference: (d) => d.heads[0].reference,
        stopped: (d) => d.learnerError,
      },
      {
        lab: '01-attention',
        view: 'attention (trained mini-GPT source)',
        input: { sentence: 'Call me Ishmael.', mask: 'causal', heads: 1, source: 'model', layer: 2 },
        files: () => [looping(solution('01-attention', 'attention.ts'), 'attention')],
        reference: (d) => d.heads[3].reference,
        stopped: (d) => d.learnerError,
      },
      {
        lab: '02-transformer-block',
        view: 'block',
        input: { layers: 2, heads: 2 },
        files: () => [looping(solution('02-transformer-block', 'block.ts'), 'encoderStack'), solution('02-transformer-block', 'attention.ts')],
        reference: (d) => d.runs[1].reference,
        stopped: (d) => d.runs[0].learnerError,
      },
      {
        lab: '03-positional-encodings',
        view: 'positions',
        input: {},
        files: () => [looping(solution('03-positional-encodings', 'positions.ts'), 'sinusoidalEncoding')],
        reference: (d) => d.extrapolation.curves[3].reference,
        stopped: (d) => d.alibi.slopes.learnerError,
      },
      {
        lab: '04-tokenizer',
        view: 'tokens',
        input: { text: 'Call me Ishmael.', vocabSize: 300 },
        files: () => [solution('04-tokenizer', 'bpe.ts'), solution('04-tokenizer', 'gpt2.ts'), looping(solution('04-tokenizer', 'trainer.ts'), 'trainFast')],
        reference: (d) => d.trained.reference.tokens,
        stopped: (d) => d.trained.learnerError,
      },
      {
        lab: '06-mini-gpt',
        view: 'decoding',
        input: { strategy: 'sample', steps: 8, temperature: 0.8 },
        files: () => [looping(solution('06-mini-gpt', 'decoding.ts'), 'applyTemperature'), solution('06-mini-gpt', 'model.ts'), solution('06-mini-gpt', 'attention.ts')],
        reference: (d) => d.generation.reference.text,
        stopped: (d) => d.generation.learnerError,
      },
      {
        lab: '06-mini-gpt',
        view: 'decoding (beam search)',
        input: { strategy: 'beam', steps: 8, beamWidth: 2 },
        files: () => [looping(solution('06-mini-gpt', 'decoding.ts'), 'beamSearch'), solution('06-mini-gpt', 'model.ts'), solution('06-mini-gpt', 'attention.ts')],
        reference: (d) => d.beam.reference.nodes,
        stopped: (d) => d.beam.learnerError,
      },
      {
        lab: '06-mini-gpt',
        view: 'model-attention',
        input: { prompt: 'Call me Ishmael.' },
        files: () => [solution('06-mini-gpt', 'decoding.ts'), solution('06-mini-gpt', 'model.ts'), looping(solution('01-attention', 'attention.ts'), 'attention')],
        reference: (d) => d.generated.reference,
        stopped: (d) => d.maps.learnerError,
      },
    ];

    for (const c of cases) {
      it(`${c.lab} ${c.view}: the reference is drawn and the learner part says it was stopped`, async () => {
        const r = await client.visualize({ labId: c.lab, files: c.files(), view: c.view.split(' ')[0], input: c.input, limits });
        const d = data(r);
        const ref = c.reference(d);
        assert.ok(ref !== undefined && ref !== null && (!Array.isArray(ref) || ref.length > 0), 'the reference part is there');
        assert.match((c.stopped(d) as { message: string } | undefined)?.message ?? '(no note)', note);
      });
    }
  });
});
