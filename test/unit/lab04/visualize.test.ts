// Lab 4's token panel data: for the solution your parts equal the reference; for the starter
// every learner part is an error note and the reference still draws; a slow trainer gets the
// reference study with the reason; the merge trees reach the bytes.
import assert from 'node:assert/strict';
import type { LabModule } from '../../../core/checks/checkApi';
import type { TokensViewData, TrainedTokens } from '../../../core/protocol/views/tokensView';
import { MISTAKES } from './mistakes';
import { plantedText } from '../../support/plantedMistakes';
import { LAB4, labModule, runView, sandboxOf, setUp } from './support';

function assertMergeTrees(t: TrainedTokens): void {
  for (const tok of t.tokens) {
    if (tok.special || tok.id < 256) continue;
    const walk = (id: number, depth: number): string => {
      assert.ok(depth < 200, 'merge tree too deep');
      if (id < 256) return t.pieces[id];
      const m = t.merges[id];
      assert.ok(m, `id ${id} has no merge in the payload`);
      assert.ok(m[0] < id && m[1] < id, `merge of ${id} must use earlier ids`);
      return walk(m[0], depth + 1) + walk(m[1], depth + 1);
    };
    const text = walk(tok.id, 0);
    if (!/<[0-9A-F ]+>/.test(text) && !/<[0-9A-F ]+>/.test(tok.text)) assert.equal(text, tok.text, `tree of ${tok.id}`);
  }
}

describe('Lab 4 token panel', function () {
  this.timeout(120_000);
  let mod: LabModule;
  before(async () => {
    await setUp();
    mod = labModule();
  });

  it('the solution: your tokenizer, GPT-2 and the study equal the reference', async () => {
    const d = (await runView(mod, sandboxOf({}), { text: 'The whale, the WHALE!  42 🐋 café<|endoftext|>x', vocabSize: 700 })) as TokensViewData;
    assert.equal(d.settings.vocabSize, 700);
    assert.deepEqual(d.trained.learner, { ...d.trained.reference, trainMs: d.trained.learner!.trainMs, trainedOn: d.trained.learner!.trainedOn });
    assert.equal(d.trained.reference.vocabSize, 700);
    assert.ok(d.trained.reference.tokens.some((t) => t.special && t.text === '<|endoftext|>'));
    assertMergeTrees(d.trained.reference);
    assert.deepEqual(d.gpt2.learner, d.gpt2.reference);
    assert.ok(d.gpt2.reference.some((t) => t.id === 50256 && t.special));
    assert.equal(d.study.source, 'yours');
    assert.deepEqual(d.study.points.map((p) => p.vocabSize), [256, 512, 1024, 2048, 4096, 8192]);
    d.study.points.forEach((p, i) => assert.ok(Math.abs(p.tokensPerChar - d.study.reference[i].tokensPerChar) < 1e-12));
    for (let i = 1; i < d.study.reference.length; i++) assert.ok(d.study.reference[i].tokensPerChar < d.study.reference[i - 1].tokensPerChar, 'more vocabulary, fewer tokens');
  });

  it('the starter: every learner part is an error note, the reference is drawn', async () => {
    const d = (await runView(mod, sandboxOf({}, 'starter'), { text: 'hello' })) as TokensViewData;
    assert.equal(d.trained.learner, null);
    assert.match(d.trained.learnerError!.message, /trainFast\(\) is not started yet/);
    assert.equal(d.gpt2.learner, null);
    assert.match(d.gpt2.learnerError!.message, /encodeText\(\) is not started yet/);
    assert.equal(d.study.source, 'reference');
    assert.ok(d.trained.reference.tokens.length > 0 && d.gpt2.reference.length > 0);
    assert.equal(d.settings.text, 'hello');
    assert.equal(d.settings.vocabSize, 1024);
  });

  it('a full-recount trainer: your small tokenizer, the reference study, and why', async () => {
    const m = MISTAKES.find((x) => x.name === 'trainFast recounts every pair after every merge')!;
    const d = (await runView(mod, sandboxOf({ [m.file]: plantedText(LAB4, m) }), { text: 'Call me Ishmael.', vocabSize: 2000 })) as TokensViewData;
    assert.equal(d.study.source, 'reference');
    assert.match(d.study.note, /too slow to train to 8,192/);
    assert.ok(d.trained.learner);
    assert.match(d.trained.learner!.trainedOn, /20,000 characters only/);
  });

  it('clamps the input and falls back to a default text', async () => {
    const d = (await runView(mod, sandboxOf({}), { text: '', vocabSize: 99999 })) as TokensViewData;
    assert.equal(d.settings.vocabSize, 8192);
    assert.ok(d.settings.text.startsWith('Call me Ishmael.'));
  });
});
