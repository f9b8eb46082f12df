// Finds promises that nobody awaits. The checks' assertions are async (they read tensors with
// `await tensor.array()`, the only read the webgpu backend has in Node), so a check that calls
// `expectAllClose(…)` without `await` would pass whatever the learner returned, and one that
// keeps `toNested(…)` in a variable may hand a promise to a parameter of type unknown. tsc says
// neither; this walks the type-checked source and names each such call.
import * as ts from 'typescript';

export interface Floating {
  file: string;
  line: number;
  text: string;
}

function isThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some((t) => isThenable(checker, t));
  const then = type.getProperty('then');
  if (then) return true;
  // An array of promises (`xs.map(async …)`) left alone is as lost as one promise.
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    return !!element && isThenable(checker, element);
  }
  return false;
}

/** What a function argument may be: every overload's parameter at its place (mocha's `it(title, fn: Func)` and `it(title, fn: AsyncFunc)`). */
function expectedTypes(checker: ts.TypeChecker, fn: ts.Expression): ts.Type[] {
  const call = fn.parent;
  if (ts.isCallExpression(call)) {
    const at = call.arguments.indexOf(fn);
    const types = checker.getTypeAtLocation(call.expression).getCallSignatures().flatMap((sig) => {
      const param = sig.parameters[Math.min(at, sig.parameters.length - 1)];
      return param ? [checker.getTypeOfSymbolAtLocation(param, call)] : [];
    });
    if (types.length > 0) return types;
  }
  const contextual = checker.getContextualType(fn);
  return contextual ? [contextual] : [];
}

/** True when a value of type `t` is a callback whose result is thrown away (`() => void`). */
function callbackReturnsVoid(checker: ts.TypeChecker, t: ts.Type): boolean {
  const signatures = (t.isUnion() ? t.types : [t]).flatMap((u) => u.getCallSignatures());
  return signatures.length > 0 && signatures.every((sig) => (checker.getReturnTypeOfSignature(sig).flags & ts.TypeFlags.Void) !== 0);
}

/**
 * A function that returns a promise to a caller that throws it away:
 * `xs.forEach((x) => expectShape(…))`, `xs.forEach(async (x) => { await … })`.
 */
function returnsPromiseIntoVoid(checker: ts.TypeChecker, fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const own = checker.getSignatureFromDeclaration(fn);
  if (!own || !isThenable(checker, checker.getReturnTypeOfSignature(own))) return false;
  // forEach drops what its callback returns, also on an array of type any (JSON fixtures).
  const call = fn.parent;
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'forEach') return true;
  const expected = expectedTypes(checker, fn);
  return expected.length > 0 && expected.every((t) => callbackReturnsVoid(checker, t));
}

const COMBINATORS = /^(Promise\.(all|allSettled|race|any)|assert\.(rejects|doesNotReject))$/;

/**
 * A promise is handled when it is awaited, returned (also as an arrow's value), handed to a
 * combinator that awaits it, or discarded with `void`. Anything else loses it: a statement of its own, a variable (it may
 * reach a parameter of type unknown and be read as a value), an argument, `as unknown`, a branch.
 */
function handled(call: ts.Expression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  // `void p` discards on purpose, in writing.
  if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isVoidExpression(parent)) return true;
  if (ts.isArrowFunction(parent) && parent.body === node) return true;
  if (ts.isArrayLiteralExpression(parent)) return handled(parent);
  if (ts.isConditionalExpression(parent) && parent.condition !== node) return handled(parent);
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) return COMBINATORS.test(parent.expression.getText());
  // `p.finally(…)` is a promise of its own, handled or not in turn.
  if (ts.isPropertyAccessExpression(parent) && /^(then|catch|finally)$/.test(parent.name.text) && ts.isCallExpression(parent.parent)) return handled(parent.parent);
  // `const pending = run(…); …; await pending` (started first, awaited later).
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return awaitedLater(parent.name);
  return false;
}

function awaitedLater(name: ts.Identifier): boolean {
  let scope: ts.Node = name;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isAwaitExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name.text) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

export function floatingPromises(program: ts.Program, wanted: (fileName: string) => boolean): Floating[] {
  const checker = program.getTypeChecker();
  const found: Floating[] = [];
  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile || !wanted(source.fileName)) continue;
    const report = (node: ts.Node) => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push({ file: source.fileName, line: line + 1, text: node.getText(source).split('\n')[0].slice(0, 120) });
    };
    const visit = (node: ts.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isThenable(checker, checker.getTypeAtLocation(node)) && !handled(node)) {
        report(node);
      } else if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && returnsPromiseIntoVoid(checker, node)) {
        report(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
