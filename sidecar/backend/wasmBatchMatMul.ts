// A faster BatchMatMul for tfjs-backend-wasm 4.22. Its kernel sends only a single 2-D product
// without transposes to XNNPACK; every other case (a transpose flag, or a batch of matrices)
// takes a plain loop that measured 6–10× slower here (2048×512ᵀ · 2048×128: 750 ms against
// 73 ms with the transpose done first; 64 products of 128×32 · 32×128: 100 ms against 15 ms
// as 64 separate calls). Every gradient of a matMul uses a transpose flag, and attention is a
// batch of products, so training spent most of its time there.
//
// This kernel rewrites each case into the fast one: transposes are materialised with the
// Transpose kernel, a batch against one shared matrix becomes one tall 2-D product, and a
// batch against a batch becomes one 2-D product per matrix, copied into one output. The arithmetic is
// the same products and sums (XNNPACK may order a sum differently: float32 rounding only).
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;
type Info = tfTypes.TensorInfo;
type KernelFunc = (args: { inputs: Record<string, unknown>; backend: unknown; attrs?: Record<string, unknown> }) => Info | Info[];

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses (the same ones its own kernels use). */
interface WasmBackend {
  disposeData(dataId: unknown): void;
  makeOutput(shape: number[], dtype: 'float32'): Info;
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
}

const MARK = Symbol.for('transformer-labs.fastWasmBatchMatMul');

/** Replaces the wasm backend's BatchMatMul kernel (once per tf instance). Returns whether it did. */
export function registerFastWasmBatchMatMul(tf: Tf): boolean {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!original || (original as unknown as Record<symbol, boolean>)[MARK]) return false;
  const get = (name: string) => {
    const k = tf.getKernel(name, 'wasm');
    if (!k) throw new Error(`the wasm backend has no ${name} kernel`);
    return k.kernelFunc as unknown as KernelFunc;
  };
  const matMul = original.kernelFunc as unknown as KernelFunc;
  const transpose = get('Transpose');
  const reshape = get('Reshape');

  const kernelFunc = (args: { inputs: { a: Info; b: Info }; backend: WasmBackend; attrs: { transposeA: boolean; transposeB: boolean } }): Info => {
    const { backend } = args;
    const { transposeA, transposeB } = args.attrs;
    let { a, b } = args.inputs;
    // Stryker disable next-line ArrayDeclaration: disposing a stray non-tensor entry is a no-op
    const temps: Info[] = [];
    const keep = (t: Info) => (temps.push(t), t);
    const run = (k: KernelFunc, inputs: Record<string, unknown>, attrs?: Record<string, unknown>) => keep(k({ inputs, backend, attrs }) as Info);
    try {
      const aRank = a.shape.length;
      const bRank = b.shape.length;
      // batchA and batchB only choose between two routes that give the same product (one tall
      // product, or one per matrix); a wrong count that is never 1 just takes the second route.
      // Stryker disable next-line MethodExpression,UnaryOperator,ArrowFunction,ArithmeticOperator: route choice only, same result
      const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
      // Stryker disable next-line MethodExpression,UnaryOperator,ArrowFunction,ArithmeticOperator: route choice only, same result
      const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
      const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const batch = outer.reduce((x, y) => x * y, 1);
      // tfjs's matMul gives both operands one dtype, so either test alone decides. (Setting one
      // side to false is equivalent too, but disabling that would hide the killed whole-condition mutants.)
      // Stryker disable next-line LogicalOperator: the operands' dtypes are equal
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return matMul(args as never) as Info;
      const swapLast = (r: number) => [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
      if (transposeA) a = run(transpose, { x: a }, { perm: swapLast(aRank) });
      if (transposeB) b = run(transpose, { x: b }, { perm: swapLast(bRank) });
      const [M, K] = a.shape.slice(-2);
      const [Kb, N] = b.shape.slice(-2);
      if (K !== Kb) {
        throw new Error(`Error in matMul: inner shapes (${K}) and (${Kb}) of Tensors with shapes ${args.inputs.a.shape} and ${args.inputs.b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
      }
      const outShape = [...outer, M, N];
      const plain = (x: Info, y: Info) => run(matMul, { a: x, b: y }, { transposeA: false, transposeB: false });
      let out: Info;
      if (batchB === 1 && batch === batchA) {
        // [..., M, K] · [K, N]: one tall product over every row of every matrix of a.
        const a2 = run(reshape, { x: a }, { shape: [batchA * M, K] });
        const b2 = run(reshape, { x: b }, { shape: [K, N] });
        out = plain(a2, b2);
      } else {
        // One 2-D product per matrix. Each operand is copied out of the wasm heap once (the
        // Slice kernel copies its whole input per call), and the products are copied into one output.
        const views = (t: Info) => backend.typedArrayFromHeap(t) as Float32Array;
        const matrix = (src: Info, i: number, rows: number, cols: number) => {
          const m = keep(backend.makeOutput([rows, cols], 'float32'));
          views(m).set(views(src).subarray(i * rows * cols, (i + 1) * rows * cols));
          return m;
        };
        // Which matrix of a and of b each output matrix uses (batch dims of size 1 broadcast).
        // The original kernel gets two-sided broadcasts ([2,1,…] · [1,2,…]) wrong: it makes max(2, 2) products, not 4.
        const source = (dims: number[]) => {
          const padded = [...new Array<number>(outer.length - dims.length).fill(1), ...dims];
          return (i: number) => {
            let flat = 0;
            let rest = i;
            let stride = 1;
            for (let d = outer.length - 1; d >= 0; d--) {
              const k = rest % outer[d];
              rest = Math.floor(rest / outer[d]);
              if (padded[d] !== 1) flat += k * stride;
              stride *= padded[d];
            }
            return flat;
          };
        };
        const aOf = source(a.shape.slice(0, -2));
        const bOf = source(b.shape.slice(0, -2));
        const parts: Info[] = [];
        const aShared = batchA === 1 ? matrix(a, 0, M, K) : undefined;
        for (let i = 0; i < batch; i++) parts.push(plain(aShared ?? matrix(a, aOf(i), M, K), matrix(b, bOf(i), K, N)));
        out = keep(backend.makeOutput([batch * M, N], 'float32'));
        const o = views(out);
        parts.forEach((part, i) => o.set(views(part), i * M * N));
      }
      const result = reshape({ inputs: { x: out }, backend, attrs: { shape: outShape } }) as Info;
      return result;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  (kernelFunc as unknown as Record<symbol, boolean>)[MARK] = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  const config = { kernelName: 'BatchMatMul', backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc, [MARK]: true };
  tf.registerKernel(config as unknown as tfTypes.KernelConfig);
  return true;
}
