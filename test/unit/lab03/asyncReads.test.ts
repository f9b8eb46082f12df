// extrapolationStudy and pooledSentence read numbers out of tensors, which on the webgpu backend
// only an `await` can do, so the checks take them through ctx.fn(…, { async: true }). The new
// ways an async function goes wrong must still reach the learner as a sentence about their own
// code: a promise left inside the result (a forgotten Promise.all), a rejection (the learner's
// own throw, with its line), and a starter's TODO thrown synchronously by a file written before
// the functions became async. A function that returns a promise without `async` is fine too.
import assert from 'node:assert/strict';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess, type Outcome } from '../../support/labInProcess';

const LAB = new LabInProcess('03-positional-encodings');
const F = 'positions.ts';
const EXTRAPOLATION = ['extrapolation-learned-stops', 'extrapolation-matches-reference'];
const POOLED = ['pooled-equal-without-positions', 'pooled-differ-with-positions', 'pooled-with-positions-matches-reference', 'pooled-matches-reference'];

/** The solution with the given functions replaced, run through each of `ids`. */
const outcomes = (functions: Record<string, string>, ids: string[]): Promise<Record<string, Outcome>> => LAB.runEach(LAB.sandboxOf({ [F]: LAB.withFunctions(F, functions) }), ids);

/** Every one of `ids` on `text` errs with the learner's own throw, as `message` says. */
async function eachErrs(text: string, ids: string[], message: (id: string, got: string) => void): Promise<void> {
  const got = await LAB.runEach(LAB.sandboxOf({ [F]: text }), ids);
  for (const id of ids) {
    assert.equal(got[id].status, 'error', `${id}: ${got[id].message}`);
    message(id, got[id].message);
  }
}

/** The 1-based line of the only occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0 && text.indexOf(needle, at + 1) < 0, `exactly one ${JSON.stringify(needle)}`);
  return text.slice(0, at).split('\n').length;
}

describe('Lab 3: extrapolationStudy and pooledSentence as async functions', function () {
  this.timeout(180_000);
  before(() => loadBackend('wasm'));

  it('an async map without Promise.all leaves promises in learned: each extrapolation check says to await them', async () => {
    const forgot = String.raw`export async function extrapolationStudy(table: tf.Tensor2D, content: Vector, heads: number, maxPosition: number): Promise<{ sinusoidal: Vector; learned: (number | null)[]; rope: Vector; alibi: Vector }> {
  const cos = (a: Vector, b: Vector) => a.reduce((s, v, i) => s + v * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
  const ps = Array.from({ length: maxPosition }, (_, p) => p);
  const pe = sinusoidalEncoding(maxPosition, content.length);
  const turned = await applyRope(tf.tensor2d(ps.map(() => content)), ps).array();
  const slopes = alibiSlopes(heads);
  // An async callback makes map return promises; Promise.all around it is what is missing.
  const learned = ps.map(async (p) => {
    let rows: tf.Tensor2D;
    try {
      rows = lookupPositions(table, [0, p]);
    } catch {
      return null;
    }
    const [r0, rp] = await rows.array();
    return cos(rp, r0);
  });
  return {
    sinusoidal: ps.map((p) => cos(pe[p], pe[0])),
    learned: learned as unknown as (number | null)[],
    rope: ps.map((p) => cos(turned[p], turned[0])),
    alibi: ps.map((p) => slopes.reduce((s, m) => s + Math.exp(-m * p), 0) / heads),
  };
}`;
    const got = await outcomes({ extrapolationStudy: forgot }, EXTRAPOLATION);
    for (const id of EXTRAPOLATION) {
      assert.notEqual(got[id].status, 'pass', id);
      assert.match(got[id].message, /extrapolationStudy returned an object holding a promise: await it and put the value in the object/, id);
    }
  });

  it('an async pooledSentence that forgets to await each read returns an array of promises: each pooled check says to await them', async () => {
    const forgot = String.raw`export async function pooledSentence(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }, addPositions: boolean): Promise<Vector> {
  const [n, d] = x.shape;
  const input = addPositions ? tf.add(x, tf.tensor2d(sinusoidalEncoding(n, d))) : x;
  const pooled = tf.mean(selfAttention(input as tf.Tensor2D, w), 0);
  // Each component read on its own, and the promises returned instead of their numbers.
  return tf.unstack(pooled).map(async (c) => (await c.array()) as number) as unknown as Vector;
}`;
    const got = await outcomes({ pooledSentence: forgot }, POOLED);
    for (const id of POOLED) {
      assert.notEqual(got[id].status, 'pass', id);
      assert.match(got[id].message, /pooledSentence returned an object holding a promise: await it and put the value in the object/, id);
    }
  });

  it('an extrapolationStudy that rejects (lookupPositions outside a try/catch) names the learner\'s own throw and its line', async () => {
    const text = LAB.source('solution', F);
    const noCatch = text.replace(
      '    let rows: tf.Tensor2D;\n    try {\n      // Only the lookup may throw for a missing row: a failed read below is a real error.\n      rows = tf.tidy(() => lookupPositions(table, [0, p]));\n    } catch {\n      learned.push(null); // no row for p: the table never saw this position\n      continue;\n    }\n',
      '    const rows = tf.tidy(() => lookupPositions(table, [0, p]));\n',
    );
    assert.notEqual(noCatch, text, "the solution's extrapolationStudy no longer has its try/catch around lookupPositions");
    const line = lineOf(noCatch, 'throw new RangeError(`position ${p} is outside the learned table');
    await eachErrs(noCatch, EXTRAPOLATION, (id, message) => {
      assert.match(message, /^extrapolationStudy threw RangeError: position 8 is outside the learned table: it has rows 0\.\.7 \(maxLen 8\)/, id);
      assert.ok(message.endsWith(`(positions.ts:${line})`), `${id} should name the line of the throw (${line}): ${message}`);
    });
  });

  it('a pooledSentence that rejects after its await names the learner\'s own throw and its line', async () => {
    const text = LAB.source('solution', F);
    const from = '    return (await pooled.array()) as Vector;';
    assert.ok(text.includes(from), "the solution's pooledSentence no longer reads with await pooled.array()");
    const rejects = text.replace(from, '    const v = (await pooled.array()) as Vector;\n    if (v.length > 0) throw new TypeError(`pooled ${v.length} values, expected one per token`);\n    return v;');
    const line = lineOf(rejects, 'throw new TypeError(`pooled');
    await eachErrs(rejects, POOLED, (id, message) => assert.equal(message, `pooledSentence threw TypeError: pooled 8 values, expected one per token (positions.ts:${line})`, id));
  });

  it('a file written before they became async: the synchronous TODO is "not started", the async one too', async () => {
    const syncTodo = {
      extrapolationStudy: String.raw`export function extrapolationStudy(table: tf.Tensor2D, content: Vector, heads: number, maxPosition: number): { sinusoidal: Vector; learned: (number | null)[]; rope: Vector; alibi: Vector } {
  throw new Error('TODO: implement extrapolationStudy');
}`,
      pooledSentence: String.raw`export function pooledSentence(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }, addPositions: boolean): Vector {
  throw new Error('TODO: implement pooledSentence');
}`,
    };
    const starter = LAB.sandboxOf({}, 'starter');
    const sync = await outcomes(syncTodo, [...EXTRAPOLATION, ...POOLED]);
    for (const id of [...EXTRAPOLATION, ...POOLED]) {
      const fn = id.startsWith('extrapolation') ? 'extrapolationStudy' : 'pooledSentence';
      for (const [how, r] of [['synchronous', sync[id]], ['async (the starter)', await LAB.run(starter, id)]] as const) {
        assert.equal(r.status, 'error', `${how} ${id}: ${r.message}`);
        assert.equal(r.message, `${fn}() is not started yet: it still throws its TODO`, `${how} ${id}`);
      }
    }
  });

  it('a pooledSentence that returns a promise without being declared async (.data().then) passes its checks', async () => {
    const thenStyle = String.raw`export function pooledSentence(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }, addPositions: boolean): Promise<Vector> {
  const [n, d] = x.shape;
  const input = addPositions ? (tf.add(x, sinusoidalEncoding(n, d)) as tf.Tensor2D) : x;
  const pooled = tf.mean(selfAttention(input, w), 0);
  return pooled.data().then((v) => Array.from(v));
}`;
    const got = await outcomes({ pooledSentence: thenStyle }, POOLED);
    assert.deepEqual(Object.entries(got).filter(([, r]) => r.status !== 'pass').map(([id, r]) => `${id}: ${r.message}`), []);
  });
});
