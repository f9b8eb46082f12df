// The encoder loader rejects a broken model folder with a ModelLoadError naming the file and
// saying what is wrong (missing, truncated, corrupted, non-finite, mismatched tokenizer), and
// loads the shipped encoder with every parameter.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parameterCount, SPECIAL_TOKENS } from '../../../sidecar/reference/encoder/config';
import { findEncoderDir, loadEncoder, ModelLoadError } from '../../../sidecar/reference/encoder/loader';

const shipped = findEncoderDir(__dirname);

function expectLoadError(dir: string, file: string, pattern: RegExp): void {
  assert.throws(
    () => loadEncoder(dir),
    (err: unknown) => {
      assert.ok(err instanceof ModelLoadError, `expected a ModelLoadError, got ${String(err)}`);
      assert.equal(err.file, join(dir, file), `the error should name ${file}`);
      assert.ok(err.message.includes(file), `the message should name ${file}: ${err.message}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

const json = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const writeJson = (dir: string, j: unknown) => writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('encoder loader', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'encoder-'));
    for (const f of ['model.json', 'weights.bin']) copyFileSync(join(shipped, f), join(d, f));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('loads the shipped encoder: every parameter, its tokenizer and the four special tokens', () => {
    const m = loadEncoder(shipped);
    const total = Object.values(m.tensors).reduce((n, t) => n + t.data.length, 0);
    assert.equal(total, parameterCount(m.config));
    assert.equal(m.tokenizer.vocabSize, m.config.vocabSize);
    assert.deepEqual(Object.keys(m.special).sort(), [...SPECIAL_TOKENS].sort());
    assert.deepEqual(m.tokenizer.decode(m.tokenizer.encode('Call me Ishmael.')), 'Call me Ishmael.');
  });

  it('a missing weights.bin', () => {
    const d = fresh();
    unlinkSync(join(d, 'weights.bin'));
    expectLoadError(d, 'weights.bin', /not found \(model\.json names it\)/);
  });

  it('a missing model.json', () => {
    const d = fresh();
    unlinkSync(join(d, 'model.json'));
    expectLoadError(d, 'model.json', /not found/);
  });

  it('a truncated weights.bin: says how many bytes it has and expected', () => {
    const d = fresh();
    const bin = readFileSync(join(d, 'weights.bin'));
    writeFileSync(join(d, 'weights.bin'), bin.subarray(0, bin.length - 1000));
    expectLoadError(d, 'weights.bin', /[\d,]+ bytes, expected [\d,]+ \(truncated\?\)/);
  });

  it('a corrupted weights.bin (same size, one byte changed)', () => {
    const d = fresh();
    const bin = readFileSync(join(d, 'weights.bin'));
    bin[12345] ^= 0x40;
    writeFileSync(join(d, 'weights.bin'), bin);
    expectLoadError(d, 'weights.bin', /sha256 is [0-9a-f]{64}, model\.json expects [0-9a-f]{64} \(corrupted/);
  });

  it('a NaN weight with a matching sha256 (only the value check can catch it)', () => {
    const d = fresh();
    const j = json(d);
    const bin = readFileSync(join(d, 'weights.bin'));
    bin.writeFloatLE(NaN, 8);
    writeFileSync(join(d, 'weights.bin'), bin);
    writeJson(d, { ...j, weightsSha256: sha(bin) });
    expectLoadError(d, 'weights.bin', /tensor tok_emb holds NaN at flat index 2/);
  });

  it('model.json that is not JSON, and a tokenizer that does not fit the config', () => {
    const d = fresh();
    const j = json(d);
    writeFileSync(join(d, 'model.json'), '{"formatVersion": 1,');
    expectLoadError(d, 'model.json', /not valid JSON/);
    writeJson(d, { ...j, config: { ...j.config, vocabSize: j.config.vocabSize + 1 } });
    expectLoadError(d, 'model.json', /the tokenizer has \d+ ids, config\.vocabSize is \d+/);
    const specials = { ...j.tokenizer.specialTokens };
    delete specials['[MASK]'];
    writeJson(d, { ...j, tokenizer: { ...j.tokenizer, specialTokens: specials } });
    expectLoadError(d, 'model.json', /(no \[MASK\] token|tokenizer has \d+ ids)/);
    writeJson(d, { ...j, config: { ...j.config, nHead: 3 } });
    expectLoadError(d, 'model.json', /dModel 128 is not a multiple of config\.nHead 3/);
  });
});
