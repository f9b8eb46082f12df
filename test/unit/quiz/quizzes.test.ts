// Every lab's mastery questions: at least 5, all three kinds across the course, several computed
// with the learner's own functions — and the answers are right: each numeric answer that needs a
// function is recomputed here by the lab's reference solution (run as the sidecar runs learner
// code) and must be accepted by the question's own tolerance.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getEncoding } from 'js-tiktoken';
import type { FnOptions, Tf } from '../../../core/checks/checkApi';
import { loadLabs } from '../../../core/labs/labLoader';
import { quizOf } from '../../../core/quiz/quizFile';
import type { Question } from '../../../core/quiz/quizSchema';
import { checkAnswer } from '../../../core/quiz/scoring';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { createCheckContext } from '../../../sidecar/runner/checkContext';
import { LabInProcess } from '../../support/labInProcess';
import { repoRoot } from '../../support/repoRoot';

const labs = loadLabs(join(repoRoot(), 'labs')).labs;
type Fn = (...args: any[]) => any;

/** A function of the lab's reference solution, run in the sandbox the checks use. */
function solution(labId: string): (file: string, name: string, options?: FnOptions) => Fn {
  const lab = new LabInProcess(labId);
  const ctx = createCheckContext(tf as unknown as Tf, lab.sandboxOf({}));
  return (file, name, options) => ctx.fn<Fn>(file, name, options);
}

/** question id → the number the reference solution computes for it. */
const COMPUTED: Record<string, () => number | Promise<number>> = {
  'attend-one-three-keys': () => solution('01-attention')('attention.ts', 'attendOne')([2, 0, 0, 0], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], [[1], [2], [3]])[0],
  'softmax-large-scores': () => Math.max(...solution('01-attention')('attention.ts', 'softmax')([1000, 1001, 1002])),
  'mha-weights-size': () => {
    const mha = solution('01-attention')('attention.ts', 'multiHeadAttention');
    const d = 64;
    const w = () => tf.randomNormal([d, d], 0, 0.1, 'float32', 1);
    return tf.tidy(() => mha(tf.randomNormal([512, d], 0, 1, 'float32', 2), { wq: w(), wk: w(), wv: w(), wo: w() }, 8).weights.size);
  },
  'layernorm-first-entry': () =>
    tf.tidy(() => (solution('02-transformer-block')('block.ts', 'layerNorm')(tf.tensor2d([[1, 2, 3, 4]]), { gamma: tf.ones([4]), beta: tf.zeros([4]) }, 1e-5) as tf.Tensor).dataSync()[0]),
  'gelu-at-one': () => solution('02-transformer-block')('block.ts', 'geluExact')(1),
  'sinusoid-value': () => solution('03-positional-encodings')('positions.ts', 'sinusoidalEncoding')(4, 4)[3][2],
  'alibi-six-heads': () => (solution('03-positional-encodings')('positions.ts', 'alibiSlopes')(6) as number[]).reduce((a, b) => a + b, 0),
  'rope-norm': () => tf.tidy(() => tf.norm(solution('03-positional-encodings')('positions.ts', 'applyRope')(tf.tensor2d([[3, 4]]), [5])).dataSync()[0]),
  'utf8-byte-count': () => solution('04-tokenizer')('bpe.ts', 'utf8Bytes')('héllo 👋').length,
  'bpe-worked-example': () => {
    const f = solution('04-tokenizer');
    return f('bpe.ts', 'encode')('aaabdaaabac', f('bpe.ts', 'train')('aaabdaaabac', 259)).length;
  },
  'gpt2-tokens': () => getEncoding('gpt2').encode('Hello world, transformers!').length,
  'printable-bytes': () => (solution('04-tokenizer')('gpt2.ts', 'bytesToUnicode')() as string[]).filter((ch, b) => ch === String.fromCharCode(b)).length,
  'cross-entropy-value': () => tf.tidy(() => (solution('05-bert-fine-tuning')('classifier.ts', 'crossEntropy')(tf.tensor2d([[2, 0]]), tf.tensor1d([0], 'int32')) as tf.Scalar).dataSync()[0]),
  // Lab 5's clipGradNorm is async (it reads the norm with await), as the checks call it.
  'clip-first-entry': async () => {
    const g = tf.tensor1d([3, 4]);
    const out = (await solution('05-bert-fine-tuning')('training.ts', 'clipGradNorm', { async: true })({ g }, 1)) as { grads: { g: tf.Tensor } };
    const first = (await out.grads.g.data())[0];
    tf.dispose([g, out.grads.g]);
    return first;
  },
  'f1-score': () => {
    const f = solution('05-bert-fine-tuning');
    // 8 TP, 2 FP, 4 FN, 6 TN (class 1 = spam)
    const actual = [...Array(8).fill(1), ...Array(2).fill(0), ...Array(4).fill(1), ...Array(6).fill(0)];
    const predicted = [...Array(8).fill(1), ...Array(2).fill(1), ...Array(4).fill(0), ...Array(6).fill(0)];
    return f('metrics.ts', 'classificationMetrics')(f('metrics.ts', 'confusionMatrix')(predicted, actual, 2)).perClass[1].f1;
  },
  'temperature-max-prob': () => Math.max(...solution('06-mini-gpt')('decoding.ts', 'applyTemperature')([2, 1, 0], 0.5)),
  'top-k-renormalised': () => solution('06-mini-gpt')('decoding.ts', 'topK')([0.5, 0.3, 0.2], 2)[1],
  'top-p-kept': () => solution('06-mini-gpt')('decoding.ts', 'topP')([0.5, 0.3, 0.2], 0.75)[0],
};

describe('mastery questions of every lab', () => {
  before(() => loadBackend('wasm'));

  it('all six labs have a quiz of at least 5 questions; the course uses all three kinds', () => {
    assert.equal(labs.length, 6);
    const kinds = new Set<string>();
    for (const lab of labs) {
      const quiz = quizOf(lab);
      assert.ok(quiz, `${lab.manifest.id} has no quiz`);
      assert.ok(quiz.questions.length >= 5, `${lab.manifest.id}: only ${quiz.questions.length} questions`);
      assert.ok(quiz.questions.filter((q) => q.computeWith.length > 0).length >= 2, `${lab.manifest.id}: fewer than 2 questions computed with the learner's code`);
      for (const q of quiz.questions) kinds.add(q.kind);
    }
    assert.deepEqual([...kinds].sort(), ['choice', 'numeric', 'short']);
  });

  const all: Array<[string, Question]> = labs.flatMap((lab) => (quizOf(lab)?.questions ?? []).map((q): [string, Question] => [lab.manifest.id, q]));
  for (const [labId, q] of all.filter(([, q]) => q.kind === 'numeric' && q.computeWith.length > 0)) {
    if (q.id === 'profiled-memory-exponent') continue; // measured, not computed: test/unit/profiler covers the exponent
    it(`${labId} ${q.id}: the reference solution's number is accepted`, async () => {
      const compute = COMPUTED[q.id];
      assert.ok(compute, `no recomputation for ${q.id}: add one`);
      const value = await compute();
      const v = checkAnswer(q, String(value));
      assert.ok(v.valid && v.correct, `${q.id}: the reference gives ${value}, the quiz expects ${(q as { answer: number }).answer}`);
    });
  }

  it('every choice question has exactly its answer among its options, and a wrong option is marked wrong', () => {
    for (const [, q] of all) {
      if (q.kind !== 'choice') continue;
      const wrong = q.options.find((o) => o.id !== q.answer)!;
      assert.deepEqual(checkAnswer(q, wrong.id), { valid: true, correct: false, understood: wrong.id });
      assert.equal((checkAnswer(q, q.answer.toUpperCase()) as { correct: boolean }).correct, true);
    }
  });
});
