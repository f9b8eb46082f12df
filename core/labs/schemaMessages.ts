// Schema errors in words: the field, what is wrong with it, and the value found (lab.json, quiz.json).

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let cur = data as Record<PropertyKey, unknown> | undefined;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[key] as Record<PropertyKey, unknown> | undefined;
  }
  return cur;
}

export function fieldPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** One message per schema issue: the field, what is wrong, and the value found. */
export function schemaMessages(err: { issues: readonly { code: string; path: PropertyKey[]; message: string }[] }, data: unknown): string[] {
  return err.issues.map((issue) => {
    const field = fieldPath(issue.path) || '(top level)';
    const got = issue.code === 'custom' ? '' : `, got ${describeValue(valueAt(data, issue.path))}`;
    return `${field}: ${issue.message}${got}`;
  });
}
