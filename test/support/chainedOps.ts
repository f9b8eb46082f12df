// Every chained tensor method tfjs-core declares (public/chained_ops/*.d.ts), as learner code
// would call it, beside the tf.* call it stands for: a learner file built from this table must
// run in the sidecar (each pair agreeing) and type-check in a scaffolded lab folder.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

/** The method names declared on Tensor by tfjs-core's chained-op declaration files. */
export function declaredChainedMethods(): string[] {
  const dir = join(dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'public', 'chained_ops');
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.d.ts'))) {
    const sf = ts.createSourceFile(f, readFileSync(join(dir, f), 'utf8'), ts.ScriptTarget.Latest);
    const visit = (n: ts.Node): void => {
      if (ts.isInterfaceDeclaration(n) && n.name.text === 'Tensor') {
        for (const m of n.members) if (m.name && ts.isIdentifier(m.name)) names.add(m.name.text);
      }
      n.forEachChild(visit);
    };
    visit(sf);
  }
  return [...names].sort();
}

/** [method, the chained call, the tf.* call it must equal] — TypeScript source, as a learner writes it. */
export const CHAINED_CALLS: [string, string, string][] = [
  ['abs', 'a.abs()', 'tf.abs(a)'],
  ['acos', 'a.acos()', 'tf.acos(a)'],
  ['acosh', 'a.add(1).acosh()', 'tf.acosh(tf.add(a, 1))'],
  ['add', 'a.add(b)', 'tf.add(a, b)'],
  ['all', 'bools.all()', 'tf.all(bools)'],
  ['any', 'bools.any()', 'tf.any(bools)'],
  ['argMax', 'a.argMax(1)', 'tf.argMax(a, 1)'],
  ['argMin', 'a.argMin(1)', 'tf.argMin(a, 1)'],
  ['as1D', 'a.as1D()', 'tf.reshape(a, [-1])'],
  ['as2D', 'a.as2D(1, 4)', 'tf.reshape(a, [1, 4])'],
  ['as3D', 'a.as3D(1, 2, 2)', 'tf.reshape(a, [1, 2, 2])'],
  ['as4D', 'a.as4D(1, 1, 2, 2)', 'tf.reshape(a, [1, 1, 2, 2])'],
  ['as5D', 'a.as5D(1, 1, 1, 2, 2)', 'tf.reshape(a, [1, 1, 1, 2, 2])'],
  ['asScalar', 'one.asScalar()', 'tf.reshape(one, [])'],
  ['asType', "a.asType('int32')", "tf.cast(a, 'int32')"],
  ['asin', 'a.asin()', 'tf.asin(a)'],
  ['asinh', 'a.asinh()', 'tf.asinh(a)'],
  ['atan', 'a.atan()', 'tf.atan(a)'],
  ['atan2', 'a.atan2(b)', 'tf.atan2(a, b)'],
  ['atanh', 'a.atanh()', 'tf.atanh(a)'],
  ['avgPool', "img.avgPool(2, 1, 'valid')", "tf.avgPool(img, 2, 1, 'valid')"],
  ['batchNorm', 'a.batchNorm(mean, variance)', 'tf.batchNorm(a, mean, variance)'],
  ['batchToSpaceND', 'batch.batchToSpaceND([2, 2], [[0, 0], [0, 0]])', 'tf.batchToSpaceND(batch, [2, 2], [[0, 0], [0, 0]])'],
  ['broadcastTo', 'row.broadcastTo([2, 2])', 'tf.broadcastTo(row, [2, 2])'],
  ['cast', "a.cast('int32')", "tf.cast(a, 'int32')"],
  ['ceil', 'a.ceil()', 'tf.ceil(a)'],
  ['clipByValue', 'a.clipByValue(0.2, 0.6)', 'tf.clipByValue(a, 0.2, 0.6)'],
  ['concat', 'a.concat(b)', 'tf.concat([a, b])'],
  ['conv1d', "seq.conv1d(filter1d, 1, 'valid')", "tf.conv1d(seq, filter1d, 1, 'valid')"],
  ['conv2d', "img.conv2d(filter, 1, 'valid')", "tf.conv2d(img, filter, 1, 'valid')"],
  ['conv2dTranspose', "img.conv2dTranspose(filter, [1, 5, 5, 1], 1, 'valid')", "tf.conv2dTranspose(img, filter, [1, 5, 5, 1], 1, 'valid')"],
  ['cos', 'a.cos()', 'tf.cos(a)'],
  ['cosh', 'a.cosh()', 'tf.cosh(a)'],
  ['cumprod', 'a.cumprod(1)', 'tf.cumprod(a, 1)'],
  ['cumsum', 'a.cumsum(1)', 'tf.cumsum(a, 1)'],
  ['depthToSpace', "deep.depthToSpace(2, 'NHWC')", 'tf.depthToSpace(deep, 2)'],
  ['depthwiseConv2d', "img.depthwiseConv2d(filter, 1, 'valid')", "tf.depthwiseConv2d(img, filter, 1, 'valid')"],
  ['dilation2d', "img.dilation2d(filter3d, 1, 'valid')", "tf.dilation2d(img, filter3d, 1, 'valid')"],
  ['div', 'a.div(b)', 'tf.div(a, b)'],
  ['divNoNan', 'a.divNoNan(zeros)', 'tf.divNoNan(a, zeros)'],
  ['dot', 'a.dot(b)', 'tf.dot(a, b)'],
  ['elu', 'a.sub(0.5).elu()', 'tf.elu(tf.sub(a, 0.5))'],
  ['equal', 'a.equal(b)', 'tf.equal(a, b)'],
  ['erf', 'a.erf()', 'tf.erf(a)'],
  ['euclideanNorm', 'a.euclideanNorm()', 'tf.euclideanNorm(a)'],
  ['exp', 'a.exp()', 'tf.exp(a)'],
  ['expandDims', 'a.expandDims(0)', 'tf.expandDims(a, 0)'],
  ['expm1', 'a.expm1()', 'tf.expm1(a)'],
  ['fft', 'signal.fft()', 'tf.spectral.fft(signal)'],
  ['flatten', 'a.flatten()', 'tf.reshape(a, [-1])'],
  ['floor', 'a.mul(3).floor()', 'tf.floor(tf.mul(a, 3))'],
  ['floorDiv', 'a.floorDiv(b)', 'tf.floorDiv(a, b)'],
  ['gather', 'a.gather(pick)', 'tf.gather(a, pick)'],
  ['greater', 'a.greater(b)', 'tf.greater(a, b)'],
  ['greaterEqual', 'a.greaterEqual(b)', 'tf.greaterEqual(a, b)'],
  ['ifft', 'signal.ifft()', 'tf.spectral.ifft(signal)'],
  ['irfft', 'signal.irfft()', 'tf.spectral.irfft(signal)'],
  ['isFinite', 'a.div(zeros).isFinite()', 'tf.isFinite(tf.div(a, zeros))'],
  ['isInf', 'a.div(zeros).isInf()', 'tf.isInf(tf.div(a, zeros))'],
  ['isNaN', 'zeros.div(zeros).isNaN()', 'tf.isNaN(tf.div(zeros, zeros))'],
  ['leakyRelu', 'a.sub(0.5).leakyRelu(0.2)', 'tf.leakyRelu(tf.sub(a, 0.5), 0.2)'],
  ['less', 'a.less(b)', 'tf.less(a, b)'],
  ['lessEqual', 'a.lessEqual(b)', 'tf.lessEqual(a, b)'],
  ['localResponseNormalization', 'img.localResponseNormalization()', 'tf.localResponseNormalization(img)'],
  ['log', 'a.log()', 'tf.log(a)'],
  ['log1p', 'a.log1p()', 'tf.log1p(a)'],
  ['logSigmoid', 'a.logSigmoid()', 'tf.logSigmoid(a)'],
  ['logSoftmax', 'a.logSoftmax()', 'tf.logSoftmax(a)'],
  ['logSumExp', 'a.logSumExp(1)', 'tf.logSumExp(a, 1)'],
  ['logicalAnd', 'bools.logicalAnd(otherBools)', 'tf.logicalAnd(bools, otherBools)'],
  ['logicalNot', 'bools.logicalNot()', 'tf.logicalNot(bools)'],
  ['logicalOr', 'bools.logicalOr(otherBools)', 'tf.logicalOr(bools, otherBools)'],
  ['logicalXor', 'bools.logicalXor(otherBools)', 'tf.logicalXor(bools, otherBools)'],
  ['matMul', 'a.matMul(b)', 'tf.matMul(a, b)'],
  ['max', 'a.max(1)', 'tf.max(a, 1)'],
  ['maxPool', "img.maxPool(2, 1, 'valid')", "tf.maxPool(img, 2, 1, 'valid')"],
  ['maximum', 'a.maximum(b)', 'tf.maximum(a, b)'],
  ['mean', 'a.mean(0)', 'tf.mean(a, 0)'],
  ['min', 'a.min()', 'tf.min(a)'],
  ['minimum', 'a.minimum(b)', 'tf.minimum(a, b)'],
  ['mirrorPad', "a.mirrorPad([[1, 1], [1, 1]], 'reflect')", "tf.mirrorPad(a, [[1, 1], [1, 1]], 'reflect')"],
  ['mod', 'a.mod(b)', 'tf.mod(a, b)'],
  ['mul', 'a.mul(b)', 'tf.mul(a, b)'],
  ['neg', 'a.neg()', 'tf.neg(a)'],
  ['norm', 'a.norm()', 'tf.norm(a)'],
  ['notEqual', 'a.notEqual(b)', 'tf.notEqual(a, b)'],
  ['oneHot', 'ids.oneHot(3, 1, 0)', 'tf.oneHot(ids, 3)'],
  ['onesLike', 'a.onesLike()', 'tf.onesLike(a)'],
  ['pad', 'a.pad([[1, 0], [0, 1]])', 'tf.pad(a, [[1, 0], [0, 1]])'],
  ['pool', "img.pool([2, 2], 'avg', 'valid')", "tf.pool(img, [2, 2], 'avg', 'valid')"],
  ['pow', 'a.pow(b)', 'tf.pow(a, b)'],
  ['prelu', 'a.sub(0.5).prelu(alpha)', 'tf.prelu(tf.sub(a, 0.5), alpha)'],
  ['prod', 'a.prod(1)', 'tf.prod(a, 1)'],
  ['reciprocal', 'a.reciprocal()', 'tf.reciprocal(a)'],
  ['relu', 'a.sub(0.5).relu()', 'tf.relu(tf.sub(a, 0.5))'],
  ['relu6', 'a.mul(10).relu6()', 'tf.relu6(tf.mul(a, 10))'],
  ['reshape', 'a.reshape([4, 1])', 'tf.reshape(a, [4, 1])'],
  ['reshapeAs', 'a.reshapeAs(column)', 'tf.reshape(a, [4, 1])'],
  ['resizeBilinear', 'img.resizeBilinear([2, 2])', 'tf.image.resizeBilinear(img, [2, 2])'],
  ['resizeNearestNeighbor', 'img.resizeNearestNeighbor([2, 2])', 'tf.image.resizeNearestNeighbor(img, [2, 2])'],
  ['reverse', 'a.reverse(1)', 'tf.reverse(a, 1)'],
  ['rfft', 'row.rfft()', 'tf.spectral.rfft(row)'],
  ['round', 'a.mul(3).round()', 'tf.round(tf.mul(a, 3))'],
  ['rsqrt', 'a.rsqrt()', 'tf.rsqrt(a)'],
  ['selu', 'a.sub(0.5).selu()', 'tf.selu(tf.sub(a, 0.5))'],
  ['separableConv2d', "img.separableConv2d(filter, pointwise, 1, 'valid')", "tf.separableConv2d(img, filter, pointwise, 1, 'valid')"],
  ['sigmoid', 'a.sigmoid()', 'tf.sigmoid(a)'],
  ['sign', 'a.sub(0.5).sign()', 'tf.sign(tf.sub(a, 0.5))'],
  ['sin', 'a.sin()', 'tf.sin(a)'],
  ['sinh', 'a.sinh()', 'tf.sinh(a)'],
  ['slice', 'a.slice([0, 1], [2, 1])', 'tf.slice(a, [0, 1], [2, 1])'],
  ['softmax', 'a.softmax()', 'tf.softmax(a)'],
  ['softplus', 'a.softplus()', 'tf.softplus(a)'],
  ['spaceToBatchND', 'img.spaceToBatchND([2, 2], [[0, 0], [0, 0]])', 'tf.spaceToBatchND(img, [2, 2], [[0, 0], [0, 0]])'],
  ['split', 'a.split(2, 1)', 'tf.split(a, 2, 1)'],
  ['sqrt', 'a.sqrt()', 'tf.sqrt(a)'],
  ['square', 'a.square()', 'tf.square(a)'],
  ['squaredDifference', 'a.squaredDifference(b)', 'tf.squaredDifference(a, b)'],
  ['squeeze', 'column.squeeze()', 'tf.squeeze(column)'],
  ['stack', 'a.stack(b)', 'tf.stack([a, b])'],
  ['step', 'a.sub(0.5).step()', 'tf.step(tf.sub(a, 0.5))'],
  ['stridedSlice', 'a.stridedSlice([0, 0], [2, 2], [1, 2])', 'tf.stridedSlice(a, [0, 0], [2, 2], [1, 2])'],
  ['sub', 'a.sub(b)', 'tf.sub(a, b)'],
  ['sum', 'a.sum(1)', 'tf.sum(a, 1)'],
  ['tan', 'a.tan()', 'tf.tan(a)'],
  ['tanh', 'a.tanh()', 'tf.tanh(a)'],
  ['tile', 'a.tile([2, 1])', 'tf.tile(a, [2, 1])'],
  ['toBool', 'a.sub(0.25).toBool()', "tf.cast(tf.sub(a, 0.25), 'bool')"],
  ['toFloat', "ids.toFloat()", "tf.cast(ids, 'float32')"],
  ['toInt', 'a.mul(10).toInt()', "tf.cast(tf.mul(a, 10), 'int32')"],
  ['topk', 'a.topk(1)', 'tf.topk(a, 1)'],
  ['transpose', 'a.transpose()', 'tf.transpose(a)'],
  ['unique', 'repeats.unique()', 'tf.unique(repeats)'],
  ['unsortedSegmentSum', 'row4.unsortedSegmentSum(segments, 2)', 'tf.unsortedSegmentSum(row4, segments, 2)'],
  ['unstack', 'a.unstack()', 'tf.unstack(a)'],
  ['where', 'a.where(bools, b)', 'tf.where(bools, a, b)'],
  ['zerosLike', 'a.zerosLike()', 'tf.zerosLike(a)'],
];

/**
 * A learner file: `two()` returns 2 when every chained call equals its tf.* call, else throws
 * naming the methods that failed and why.
 */
export function chainedOpsSource(): string {
  const rows = CHAINED_CALLS.map(([name, chained, op]) => `  ['${name}', () => ${chained}, () => ${op}],`).join('\n');
  return `import * as tf from '@tensorflow/tfjs-core';

const a = tf.tensor2d([[0.5, 0.25], [0.75, 0.125]]);
const b = tf.tensor2d([[0.25, 0.5], [0.125, 1]]);
const zeros = tf.zeros([2, 2]);
const bools = tf.tensor2d([[true, false], [true, true]], [2, 2], 'bool');
const otherBools = tf.tensor2d([[false, false], [true, false]], [2, 2], 'bool');
const one = tf.tensor1d([7]);
const row = tf.tensor1d([1, 2]);
const row4 = tf.tensor1d([1, 2, 3, 4]);
const repeats = tf.tensor1d([3, 1, 3, 2]);
const segments = tf.tensor1d([1, 0, 1, 0], 'int32');
const column = tf.tensor2d([[1], [2], [3], [4]]);
const ids = tf.tensor1d([2, 0], 'int32');
const pick = tf.tensor1d([1, 0], 'int32');
const mean = tf.tensor1d([0.1, 0.2]);
const variance = tf.tensor1d([1, 2]);
const alpha = tf.tensor1d([0.1, 0.3]);
const img = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i / 16), [1, 4, 4, 1]);
const batch = tf.tensor4d([1, 2, 3, 4], [4, 1, 1, 1]);
const deep = tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]);
const seq = tf.tensor3d([[[1], [2], [3], [4]]]);
const filter1d = tf.tensor3d([[[1]], [[-1]]]);
const filter = tf.tensor4d([1, -1, 0.5, 2], [2, 2, 1, 1]);
const filter3d = tf.tensor3d([[[0.1], [0.2]], [[0.3], [0.4]]]);
const pointwise = tf.tensor4d([2], [1, 1, 1, 1]);
const signal = tf.complex([1, 2, 0, -1], [0, 1, 1, 0]);

type Call = () => unknown;
const calls: [string, Call, Call][] = [
${rows}
];

function values(x: unknown): unknown {
  if (x instanceof tf.Tensor) return x.dtype === 'complex64' ? Array.from(x.dataSync()) : x.arraySync();
  if (Array.isArray(x)) return x.map(values);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, values(v)]));
  return x;
}

export function chainedMethods(): string[] {
  return calls.map((c) => c[0]);
}

export function two(): number {
  const failed: string[] = [];
  for (const [name, chained, op] of calls) {
    try {
      const got = JSON.stringify(values(chained()));
      const want = JSON.stringify(values(op()));
      if (got !== want) failed.push(\`\${name}: \${got} instead of \${want}\`);
    } catch (err) {
      failed.push(\`\${name}: \${(err as Error).message}\`);
    }
  }
  if (failed.length > 0) throw new Error(\`\${failed.length} chained methods failed: \${failed.join('; ')}\`);
  return 2;
}
`;
}
