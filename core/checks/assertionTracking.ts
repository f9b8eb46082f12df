// Which assertions of a check nobody awaited. Labs written when the assertions of expect.ts
// were synchronous call them without `await`; the runner settles the ones nobody awaited after
// each check (sidecar/runner/worker.ts), so such a call still decides the verdict. The one place
// that keeps promises on purpose (test/unit/checks/awaitedChecks.test.ts leaves it out).

/** An assertion's promise that knows whether anyone awaited it (`await` calls `then`). */
class Assertion<T> extends Promise<T> {
  observed = false;
  /** The assertion's own promise, for the runner to wait on without counting as an observer. */
  outcome?: Promise<T>;
  then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.observed = true;
    return super.then(onFulfilled, onRejected);
  }
}

// Stryker disable next-line ArrayDeclaration: the runner forgets before every check, so what the list starts with is never settled
let started: Assertion<unknown>[] = [];

export function tracked<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args: A) => {
    const inner = run(...args);
    const a = new Assertion<R>((resolve, reject) => {
      inner.then(resolve, reject);
    });
    a.outcome = inner;
    // Handled here without marking it observed: a failure nobody awaited is reported by settleAssertions, not as an unhandled rejection.
    inner.catch(() => undefined);
    Promise.prototype.then.call(a, undefined, () => undefined);
    started.push(a);
    return a;
  };
}

/** Forgets the assertions started so far: the runner's start of a check, so that one check's leftovers never decide the next. */
export function forgetAssertions(): void {
  // Stryker disable next-line ArrayDeclaration: an entry that is not an Assertion has no outcome to wait for: settling it is a no-op
  started = [];
}

/**
 * Waits for the assertions the current check started and nobody awaited, and throws the first
 * failure among them in the order they were called: what the check would have thrown with
 * `await`. The runner calls it when a check returns; it also forgets the ones that were awaited.
 */
export async function settleAssertions(): Promise<void> {
  const unobserved = started.filter((a) => !a.observed);
  // Stryker disable next-line ArrayDeclaration: an entry that is not an Assertion has no outcome to wait for: settling it is a no-op
  started = [];
  for (const a of unobserved) await a.outcome;
}
