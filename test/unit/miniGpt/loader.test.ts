// The model loader rejects every kind of broken model folder with a ModelLoadError that names
// the file and says what is wrong, and loads the shipped model quickly.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { findModelDir, loadMiniGpt, ModelLoadError, MODEL_SUBDIR } from '../../../sidecar/reference/miniGpt/loader';
import { parameterCount } from '../../../sidecar/reference/miniGpt/config';

const shipped = findModelDir(__dirname);

/** A fresh copy of the shipped model in a temporary folder, for breaking. */
function copyModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'minigpt-'));
  for (const f of ['model.json', 'weights.bin']) copyFileSync(join(shipped, f), join(dir, f));
  return dir;
}

function expectLoadError(dir: string, file: string, pattern: RegExp): void {
  assert.throws(
    () => loadMiniGpt(dir),
    (err: unknown) => {
      assert.ok(err instanceof ModelLoadError, `expected a ModelLoadError, got ${String(err)}`);
      assert.equal(err.file, join(dir, file), `the error should name ${file}`);
      assert.ok(err.message.includes(file), `message should name ${file}: ${err.message}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

const json = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const writeJson = (dir: string, j: unknown) => writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('mini-gpt loader', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = copyModel();
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  // How fast it loads is bench/generation.ts's to show: a clock verdict here fails on a loaded machine.
  it('loads the shipped model with every parameter', () => {
    const m = loadMiniGpt(shipped);
    const total = Object.values(m.tensors).reduce((n, t) => n + t.data.length, 0);
    assert.equal(total, parameterCount(m.config));
    assert.equal(m.vocab.length, m.config.vocabSize);
    assert.deepEqual(m.tensors['h.0.attn.c_attn.weight'].shape, [m.config.nEmbd, 3 * m.config.nEmbd]);
  });

  it('a missing model.json', () => {
    const d = fresh();
    rmSync(join(d, 'model.json'));
    expectLoadError(d, 'model.json', /not found/);
  });

  it('model.json that is not JSON', () => {
    const d = fresh();
    writeFileSync(join(d, 'model.json'), '{"formatVersion": 1,');
    expectLoadError(d, 'model.json', /not valid JSON/);
  });

  it('a truncated weights.bin: says how many bytes it has and expected', () => {
    const d = fresh();
    const bin = readFileSync(join(d, 'weights.bin'));
    writeFileSync(join(d, 'weights.bin'), bin.subarray(0, 1204));
    const expected = bin.length.toLocaleString('en-US');
    expectLoadError(d, 'weights.bin', new RegExp(`1,204 bytes, expected ${expected} \\(truncated\\?\\)`));
  });

  it('a weights.bin whose sha256 does not match', () => {
    const d = fresh();
    const bin = readFileSync(join(d, 'weights.bin'));
    bin[1000] ^= 0x01; // one flipped bit, same length
    writeFileSync(join(d, 'weights.bin'), bin);
    expectLoadError(d, 'weights.bin', /sha256 is [0-9a-f]{64}, model\.json expects [0-9a-f]{64}/);
  });

  it('a NaN weight (with a matching sha256, so only the value check can catch it)', () => {
    const d = fresh();
    const j = json(d);
    const bin = readFileSync(join(d, 'weights.bin'));
    const t = j.tensors.find((x: { name: string }) => x.name === 'h.1.mlp.c_fc.weight');
    bin.writeFloatLE(NaN, t.offset + 4 * 7);
    writeFileSync(join(d, 'weights.bin'), bin);
    j.weightsSha256 = sha(bin);
    writeJson(d, j);
    expectLoadError(d, 'weights.bin', /tensor h\.1\.mlp\.c_fc\.weight holds NaN at flat index 7/);
  });

  it('an infinite weight', () => {
    const d = fresh();
    const j = json(d);
    const bin = readFileSync(join(d, 'weights.bin'));
    bin.writeFloatLE(-Infinity, 0);
    writeFileSync(join(d, 'weights.bin'), bin);
    j.weightsSha256 = sha(bin);
    writeJson(d, j);
    expectLoadError(d, 'weights.bin', /tensor wte holds -Infinity at flat index 0/);
  });

  it('a tensor with the wrong shape', () => {
    const d = fresh();
    const j = json(d);
    const C = j.config.nEmbd;
    j.tensors[4].shape = [3 * C, C]; // h.0.attn.c_attn.weight transposed
    writeJson(d, j);
    expectLoadError(d, 'model.json', new RegExp(`tensor h\\.0\\.attn\\.c_attn\\.weight has shape \\[${3 * C},${C}\\], expected \\[${C}, ${3 * C}\\]`));
  });

  it('a tensor whose bytes lie past the end of the file', () => {
    const d = fresh();
    const j = json(d);
    j.tensors[j.tensors.length - 1].offset = j.weightsBytes;
    writeJson(d, j);
    expectLoadError(d, 'model.json', /tensor ln_f\.bias ends at byte [\d,]+, past weightsBytes/);
  });

  it('a config that does not divide into heads, and a vocabulary of the wrong size', () => {
    const d = fresh();
    const j = json(d);
    writeJson(d, { ...j, config: { ...j.config, nHead: 5 } });
    expectLoadError(d, 'model.json', /nEmbd \d+ is not a multiple of config\.nHead 5/);
    writeJson(d, { ...j, vocab: j.vocab.slice(1) });
    expectLoadError(d, 'model.json', new RegExp(`vocab has ${j.vocab.length - 1} entries, expected config.vocabSize = ${j.vocab.length}`));
  });

  it('findModelDir walks up from dist/labs/<id>/ and names where it looked when absent', () => {
    const root = mkdtempSync(join(tmpdir(), 'minigpt-root-'));
    dirs.push(root);
    const model = join(root, MODEL_SUBDIR);
    mkdirSync(model, { recursive: true });
    copyFileSync(join(shipped, 'model.json'), join(model, 'model.json'));
    const labDir = join(root, 'dist', 'labs', '05-generation');
    mkdirSync(labDir, { recursive: true });
    assert.equal(findModelDir(labDir), model);
    const lonely = mkdtempSync(join(tmpdir(), 'minigpt-none-'));
    dirs.push(lonely);
    assert.throws(() => findModelDir(lonely), (e: unknown) => e instanceof ModelLoadError && e.message.includes('not found in ' + lonely));
  });
});
