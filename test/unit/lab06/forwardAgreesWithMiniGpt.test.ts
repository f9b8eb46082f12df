// Lab 6's functional path (weights made per call from trainedModel(), forward.ts's
// gptForwardRef, as the checks and the attention panel run it) against the shared model class
// MiniGpt (weights kept once from the loader, the same forward pass behind token and shape
// validation): the two ways of reaching the model give the same logits and attention maps.
import * as tf from '@tensorflow/tfjs-core';
import { inTensorScope } from '../../../core/checks/tensorScope';
import type { Tf } from '../../../core/checks/checkApi';
import { expectAllClose } from '../../../core/checks/expect';
import { gptForwardRef } from '../../../sidecar/reference/miniGpt/forward';
import { trainedModel, weightTensors } from '../../../sidecar/reference/decoding/trainedModel';
import { MiniGpt } from '../../../sidecar/reference/miniGpt/model';
import type { MiniGptFile } from '../../../sidecar/reference/miniGpt/loader';
import { setUp, tearDown } from './support';

describe('Lab 6 forward reference agrees with MiniGpt', function () {
  this.timeout(60_000);
  before(setUp);
  after(tearDown);

  it('same logits and attention maps on a 40-token sequence', async () => {
    const m = trainedModel();
    const T = tf as unknown as Tf;
    const gpt = new MiniGpt(T, { dir: '', config: m.config, vocab: m.vocab, tensors: m.arrays, meta: {} } as unknown as MiniGptFile);
    try {
      await inTensorScope(tf, async () => {
        const ids = Array.from({ length: 40 }, (_, i) => (i * 7 + 3) % m.config.vocabSize);
        const mine = gptForwardRef(T, weightTensors(T, m), m.config, ids, { collectAttention: true });
        const theirs = gpt.forward(ids, { collectAttention: true });
        await expectAllClose(mine.logits, theirs.logits, 'logits', { atol: 1e-4, rtol: 1e-4 });
        await expectAllClose(mine.attention!, theirs.attention!, 'attention maps', { atol: 1e-5 });
      });
    } finally {
      gpt.dispose();
    }
  });
});
