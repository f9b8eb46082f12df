// Writes media/models/encoder/MODEL_CARD.md from model.json and training-log.csv, so the card
// and the shipped numbers cannot drift apart.
//   node out/scripts/train/encoderModelCard.js [--dir <model folder>]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parameterCount } from '../../sidecar/reference/encoder/config';
import { findEncoderDir, loadEncoder } from '../../sidecar/reference/encoder/loader';

type Summary = Record<string, any>;

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(x < 0.01 ? 2 : 1)} %`;

export function modelCard(dir: string): string {
  const file = loadEncoder(dir);
  const meta = file.meta;
  const t: Summary = meta.training;
  if (!t.final) throw new Error(`${dir}/model.json is a checkpoint without final numbers; finish training first`);
  const c = meta.config;
  const csv = readFileSync(join(dir, 'training-log.csv'), 'utf8').trim().split('\n');
  const header = csv[0].split(',');
  const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], Number(v)])));
  const curve = rows
    .map((r) => `| ${n(r.step)} | ${r.epoch} | ${r.train_mlm_loss.toFixed(3)} | ${pct(r.train_masked_acc)} | ${r.val_mlm_loss.toFixed(3)} | ${pct(r.val_masked_acc)} | ${r.lr.toExponential(2)} | ${(r.elapsed_s / 60).toFixed(1)} |`)
    .join('\n');
  const f = t.final;
  const src = meta.corpus.sources;
  const tokensSeen = t.steps * t.batchSize * t.sequenceLength;
  return `# Small BERT-style encoder (pretrained here, masked language modelling)

A BERT-shaped encoder pretrained from scratch in this repository by \`scripts/train-encoder.ts\`
on TensorFlow.js (wasm backend), shipped so that Lab 5 can fine-tune a *pretrained* model offline.
It has never seen the Spam Assassin mail Lab 5 evaluates on.

## Data
${src.map((s: Summary) => `- \`${s.package}\` ${s.version} (npm): ${s.documents} document(s), ${n(s.characters)} characters. Licence: ${s.licence}.`).join('\n')}
- Split: ${meta.corpus.split}.
- Tokens (the BPE below): ${n(meta.corpus.trainTokens)} training, ${n(meta.corpus.validationTokens)} validation.
- Each document's tokens are cut into windows of ${c.maxLen - 2}, wrapped as \`[CLS] … [SEP]\`; a document's
  last window is kept (padded with \`[PAD]\`) when it has at least 16 tokens: ${n(t.windows.train)} training and
  ${n(t.windows.validation)} validation windows.

## Vocabulary
- Byte-level BPE trained with Lab 4's reference trainer (\`sidecar/reference/tokenizer\`, GPT-2's split
  pattern) on the training text: ${n(t.bpe.vocabSize)} ids = 256 bytes + ${n(t.bpe.merges)} merges + 4 special tokens
  (\`[PAD]\` ${file.special['[PAD]']}, \`[CLS]\` ${file.special['[CLS]']}, \`[SEP]\` ${file.special['[SEP]']}, \`[MASK]\` ${file.special['[MASK]']}); ${t.bpe.trainSeconds} s to train,
  ${t.bpe.charactersPerToken} characters per token on the training text.
- No \`[UNK]\`: every byte is a token, so any text encodes. The tokenizer is stored in \`model.json\`.

## Model
- Token embedding \`tok_emb\` [${c.vocabSize}, ${c.dModel}] + learned positions \`pos_emb\` [${c.maxLen}, ${c.dModel}], LayerNorm, then
  ${c.nLayer} **Post-LN** blocks as BERT (x = LN(x + Attention(x)); x = LN(x + FFN(x))), each with ${c.nHead} heads of
  ${c.dModel / c.nHead}, attention projections without biases (Lab 2's layout), FFN ${c.dModel}→${c.dFf}→${c.dModel} with exact (erf) GELU,
  LayerNorm eps 1e-5. Built from Lab 1's and Lab 2's reference functions (\`sidecar/reference/encoder/encoder.ts\`).
- MLM head as BERT: dense ${c.dModel}→${c.dModel}, GELU, LayerNorm, then the output layer **tied to \`tok_emb\`**
  (logits = h · tok_embᵀ + bias). No pooler and no next-sentence task: \`[CLS]\` is trained only as
  one more token, which Lab 5 discusses (mean pooling against the \`[CLS]\` vector).
- Config \`${JSON.stringify(c)}\`: ${n(parameterCount(c))} parameters (${n(meta.weightsBytes)} bytes of float32).
- Size, and why: BERT-Tiny's shape (2 layers, width 128; Turc et al. 2019). On this shared 2-core
  machine one step of ${t.batchSize} × ${t.sequenceLength} tokens took about ${(1000 * t.trainSeconds / t.steps).toFixed(0)} ms, so an hour buys about
  ${n(Math.round(3600 / (t.trainSeconds / t.steps) * t.batchSize * t.sequenceLength / 1e5) / 10)} million tokens, about ${(3600 / (t.trainSeconds / t.steps) * t.batchSize * t.sequenceLength / meta.corpus.trainTokens).toFixed(1)} passes over the corpus. A wider or deeper model
  would see fewer tokens per parameter in that hour; this one also fine-tunes in the lab's panel
  in under two minutes (\`npm run bench\`).

## Training
- Masked language modelling: ${t.masking}.
- ${t.steps} steps of ${t.batchSize} windows × ${t.sequenceLength} tokens (${n(tokensSeen)} token positions, ${t.epochs} epochs); ${t.schedule};
  peak lr ${t.lr.peak}. ${t.optimizer}. Dropout ${t.dropout}. Seed ${t.seed} (initialisation N(0, 0.02), batches, masks).
- Time: ${(t.trainSeconds / 60).toFixed(1)} min of training steps, ${(t.wallSeconds / 60).toFixed(1)} min wall with evaluation; ${n(t.tokensPerSecond)} tokens/s.
- Machine: ${t.machine}.
- Throughput against plain \`tf.matMul\`, measured in the same run (samples between training stretches):
  the steps did ${t.achievedGflops} GFLOP/s of matmul work (${(t.flopsPerStep / 1e9).toFixed(2)} GFLOP per step: forward matmul FLOPs × 3)
  against ${t.matmulGflops.square512} GFLOP/s for a 512×512 product and ${t.matmulGflops.ffnShaped} GFLOP/s for the FFN's own shape
  (${t.batchSize * t.sequenceLength}×${c.dModel} · ${c.dModel}×${c.dFf}): **${pct(t.utilisation.square512)} and ${pct(t.utilisation.ffnShaped)}** of plain matMul. The rest goes to
  the element-wise kernels (LayerNorm, GELU, softmax, masking, AdamW), which wasm runs one by one. The matMul samples ranged ${Math.min(...t.matmulGflops.samples.map((s: number[]) => s[0]))}–${Math.max(...t.matmulGflops.samples.map((s: number[]) => s[0]))} GFLOP/s for 512×512: other jobs shared the cores.
- Speed note: tfjs-backend-wasm 4.22 sends only a plain 2-D product to XNNPACK; a transposed or
  batched matMul (every gradient, and attention) took a loop 6–10× slower. The sidecar now
  rewrites those onto the fast path (\`sidecar/backend/wasmBatchMatMul.ts\`); the embedding's gradient
  is a scatter-add (\`tf.gather\` has no gradient on wasm).

## Results (masked tokens of the held-out text)
| | MLM loss (nats) | masked-token accuracy |
|---|---|---|
| **this encoder** | **${f.mlmLoss}** | **${pct(f.maskedAccuracy)}** |
| unigram baseline (most frequent training token ${JSON.stringify(f.unigramToken)}; add-1 frequencies) | ${f.unigramLoss} | ${pct(f.unigramAccuracy)} |
| uniform over ${n(c.vocabSize)} ids | ${Math.log(c.vocabSize).toFixed(3)} | ${pct(1 / c.vocabSize)} |

${f.how}; ${n(f.validationMaskedTokens)} masked tokens. \`test/unit/encoder/mlm.test.ts\` checks the accuracy
against the unigram baseline on held-out text again.

Over training (fixed evaluation sets: ${6 * t.batchSize} windows of each split, one fixed mask each):

| step | epoch | train MLM loss | train accuracy | val MLM loss | val accuracy | lr | minutes |
|---|---|---|---|---|---|---|---|
${curve}

## Intended use and limits
- For teaching fine-tuning offline: small enough to fine-tune on a laptop CPU in the lab.
- A weak language model: one hour of pretraining on ${n(meta.corpus.trainTokens)} tokens of 19th- and 20th-century
  prose and speeches. It knows common English function words and phrasing, little else; its
  vocabulary spells modern mail (URLs, HTML leftovers, numbers) in many short pieces.
- 128 positions at most, \`[CLS]\` and \`[SEP]\` included.
- Reflects its sources' language and views (a 19th-century novel; US presidents' addresses 1790–2018).

## Reproduce
\`\`\`sh
npm run train:encoder                        # tsc, then the run above (time budget: 3000 s of steps)
node out/scripts/train/encoderModelCard.js   # rewrite this card
\`\`\`
With a time budget the number of steps depends on the machine's speed; \`--max-steps N\` gives a
step-count schedule that is reproducible bit for bit (fixed seed, single-threaded wasm).

<!-- weights sha256 ${meta.weightsSha256} -->
`;
}

function main(): void {
  const i = process.argv.indexOf('--dir');
  const dir = i > 0 ? process.argv[i + 1] : findEncoderDir(__dirname);
  writeFileSync(join(dir, 'MODEL_CARD.md'), modelCard(dir));
  console.log(`wrote ${join(dir, 'MODEL_CARD.md')}`);
}

if (require.main === module) main();
