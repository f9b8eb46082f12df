// Which checks a request from the Testing view asks for: its include and exclude lists, as test
// item ids ("<lab>", "<lab>/<function>", "<lab>/<function>/<check>"). No vscode here (unit-tested).
import type { LabManifest } from '../../core/labs/manifest';

export interface CheckSelection {
  /** The exercise functions whose checks the engine must run. */
  functions: string[];
  /** The visible checks to report (a subset of those functions' checks). */
  checks: Set<string>;
}

/** The item id of a check, e.g. "01-attention/softmax/softmax-sums-to-one". */
export function checkItemId(labId: string, fn: string, checkId: string): string {
  return `${labId}/${fn}/${checkId}`;
}

function matches(id: string, labId: string, fn: string, checkId: string): boolean {
  return id === labId || id === `${labId}/${fn}` || id === checkItemId(labId, fn, checkId);
}

/** `include` undefined means every visible check; `exclude` wins over `include`. */
// Stryker disable next-line ArrayDeclaration: a default exclude list with an id no lab has excludes nothing either
export function selectChecks(manifest: LabManifest, include: readonly string[] | undefined, exclude: readonly string[] = []): CheckSelection {
  const checks = new Set<string>();
  const functions: string[] = [];
  for (const c of manifest.checks) {
    if (c.hidden) continue;
    const wanted = !include || include.some((id) => matches(id, manifest.id, c.function, c.id));
    if (!wanted || exclude.some((id) => matches(id, manifest.id, c.function, c.id))) continue;
    checks.add(c.id);
    if (!functions.includes(c.function)) functions.push(c.function);
  }
  return { functions, checks };
}
