// Evaluates a VS Code `when` clause against a set of context keys: enough of the grammar for the
// clauses package.json uses and the built-in ones the tests compare them with (&&, ||, !, ==, !=,
// parentheses, bare keys). A clause it cannot read throws, so a test never passes by accident.

export type Context = Record<string, string | number | boolean | undefined>;

export function evaluateWhen(clause: string, ctx: Context): boolean {
  const tokens = clause.match(/\s*(&&|\|\||==|!=|!|\(|\)|[^\s&|=!()]+)/g)?.map((t) => t.trim()) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const or = (): boolean => {
    let v = and();
    while (peek() === '||') {
      next();
      v = and() || v;
    }
    return v;
  };
  const and = (): boolean => {
    let v = unary();
    while (peek() === '&&') {
      next();
      v = unary() && v;
    }
    return v;
  };
  const unary = (): boolean => {
    if (peek() === '!') {
      next();
      return !unary();
    }
    if (peek() === '(') {
      next();
      const v = or();
      if (next() !== ')') throw new Error(`unbalanced parentheses in "${clause}"`);
      return v;
    }
    const key = next();
    if (!key || /^(&&|\|\||==|!=|\))$/.test(key)) throw new Error(`cannot read "${clause}" at token ${at}`);
    if (peek() === '==' || peek() === '!=') {
      const op = next();
      const value = next();
      const equal = String(ctx[key] ?? '') === value;
      return op === '==' ? equal : !equal;
    }
    return !!ctx[key];
  };
  const v = or();
  if (at !== tokens.length) throw new Error(`cannot read "${clause}": left over "${tokens.slice(at).join(' ')}"`);
  return v;
}
