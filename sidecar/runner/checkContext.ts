// Builds the CheckContext a lab's trusted checks receive: TensorFlow.js, the learner's
// functions wrapped so their throws carry the learner's own line and values cross as copies
// (fromLearner.ts), and a seeded generator.
import type { CheckContext, FnOptions, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import { toLearnerError } from './learnerErrors';
import type { Sandbox } from './sandbox';
import { REFERENCE_MARK } from '../learner/referenceAttention';
import { mulberry32 } from '../reference/random';
import { Crossing, learnerFunction } from './fromLearner';

export function createCheckContext(tf: Tf, sandbox: Sandbox): CheckContext {
  const tensorPrototypes = new Set<object>([tf.Tensor.prototype, tf.Variable.prototype]);
  const learnerOrigins = new WeakMap<object, object>();
  const crossing = (name: string): Crossing => ({
    name,
    tensorPrototypes,
    learnerOrigins,
    callLearner(call) {
      try {
        return call();
      } catch (err) {
        throw toLearnerError(err, sandbox.maps, name);
      }
    },
    learnerError: (reason) => toLearnerError(reason, sandbox.maps, name),
  });
  return {
    tf,
    rng: mulberry32,
    isReference(file: string, name: string): boolean {
      try {
        const f = sandbox.exportsOf(file)[name] as Record<symbol, unknown> | undefined;
        return typeof f === 'function' && f[REFERENCE_MARK] === true;
      } catch {
        return false;
      }
    },
    fn<T extends (...args: any[]) => any>(file: string, name: string, options: FnOptions = {}): T {
      let exports: Record<string, unknown>;
      try {
        exports = sandbox.exportsOf(file);
      } catch (err) {
        throw toLearnerError(err, sandbox.maps);
      }
      const f = exports[name];
      if (typeof f !== 'function') {
        throw new CheckFailure(`${file} does not export a function named "${name}"`, {
          expected: `export function ${name}(…)`,
          actual: f === undefined ? 'no such export' : `an export of type ${typeof f}`,
        });
      }
      return learnerFunction(f, crossing(name), options.shareArguments, options.async) as T;
    },
  };
}
