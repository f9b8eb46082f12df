// `transformer-labs validate <lab-dir>`: everything an author must get right before a lab ships,
// in one report. The manifest against the schema (file and field), the instructions and the
// starter and solution files, then — through the real sidecar — every check id against the
// built check module, the solution at full marks (hidden checks included) and the starter below.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckEngine } from '../checks/engine';
import type { SidecarClient } from '../compute/sidecarClient';
import type { RunLimits, SourceFile } from '../protocol/sidecar';
import { isLab, loadLab } from './labLoader';
import type { Lab } from './manifest';

export interface ValidationItem {
  ok: boolean;
  what: string;
  /** Why it failed, one line per problem. */
  problems: string[];
}

function readFiles(lab: Lab, which: 'starter' | 'solution'): SourceFile[] {
  return lab.manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(lab.dir, f[which]), 'utf8') }));
}

/** The static part: manifest, files, instructions. Returns the lab when it loads. */
export function validateStatic(dir: string, compiledChecksDir: string, opts: { external?: boolean } = {}): { items: ValidationItem[]; lab?: Lab } {
  const loaded = loadLab(dir, dir, { compiledChecksDir, external: opts.external });
  if (!isLab(loaded)) {
    return { items: [{ ok: false, what: 'lab.json loads and matches the schema', problems: loaded.message.replace(/^[^:]*: /, '').split('; ').map((p) => `lab.json: ${p}`) }] };
  }
  const m = loaded.manifest;
  const items: ValidationItem[] = [{ ok: true, what: `lab.json loads and matches the schema (${m.id} v${m.version}, ${m.checks.length} checks)`, problems: [] }];
  const missingSolutions = m.files.filter((f) => !existsSync(join(dir, f.solution))).map((f) => `files: "${f.solution}" (the solution of ${f.path}) does not exist`);
  items.push({ ok: missingSolutions.length === 0, what: 'every exercise file has its starter and solution', problems: missingSolutions });
  const text = readFileSync(join(dir, m.instructions), 'utf8');
  const instructionProblems: string[] = [];
  if (!/^#\s+\S/m.test(text)) instructionProblems.push(`${m.instructions}: no "# " heading`);
  if ((text.match(/\$\$/g) ?? []).length % 2 !== 0) instructionProblems.push(`${m.instructions}: an odd number of "$$": a display formula is not closed`);
  if ((text.match(/```/g) ?? []).length % 2 !== 0) instructionProblems.push(`${m.instructions}: an odd number of \`\`\` fences: a code block is not closed`);
  items.push({ ok: instructionProblems.length === 0, what: `${m.instructions} is Markdown that renders (a heading, closed formulas and code blocks)`, problems: instructionProblems });
  const hidden = m.checks.filter((c) => c.hidden);
  items.push({ ok: true, what: `every hidden check (${hidden.length}) is a variant of a visible check of the same function`, problems: [] });
  return { items, lab: loaded };
}

/** The dynamic part, through the sidecar: check ids, the solution at full marks, the starter below. */
export async function validateWithSidecar(lab: Lab, client: SidecarClient, limits: RunLimits): Promise<ValidationItem[]> {
  const engine = new CheckEngine(client, () => limits);
  const items: ValidationItem[] = [];
  const solution = await engine.run(lab, readFiles(lab, 'solution'), { includeHidden: true });
  const unknown = solution.outcomes.filter((o) => /has no check "/.test(o.message)).map((o) => `checks: "${o.id}" is in lab.json but not in the check module ${lab.manifest.checksModule}`);
  items.push({ ok: unknown.length === 0, what: 'every check id of lab.json is in the check module', problems: unknown });
  const compile = solution.compileErrors.map((d) => `${d.file}:${d.line}:${d.column} the solution does not compile: ${d.message}`);
  const failing = solution.outcomes
    .filter((o) => o.status !== 'pass' && !/has no check "/.test(o.message))
    .map((o) => `${o.id}${o.spec.hidden ? ' (hidden)' : ''}: ${o.status}: ${o.message.split('\n')[0]}`);
  const max = lab.manifest.checks.reduce((s, c) => s + c.points, 0);
  const solutionScore = solution.outcomes.reduce((s, o) => s + (o.status === 'pass' ? o.spec.points : 0), 0);
  items.push({ ok: compile.length + failing.length === 0, what: `the solution gets full marks, hidden checks included (${solutionScore}/${max})`, problems: [...compile, ...failing] });
  const starter = await engine.run(lab, readFiles(lab, 'starter'), { includeHidden: true });
  // Measured on the checks the module has, so a missing check cannot make a complete starter look incomplete.
  const known = starter.outcomes.filter((o) => !/has no check "/.test(o.message));
  const knownMax = known.reduce((s, o) => s + o.spec.points, 0);
  const starterScore = known.reduce((s, o) => s + (o.status === 'pass' ? o.spec.points : 0), 0);
  const starterCompile = starter.compileErrors.map((d) => `${d.file}:${d.line}:${d.column} the starter does not compile: ${d.message}`);
  items.push({
    ok: starterScore < knownMax && starterCompile.length === 0,
    what: `the starter compiles and gets less than full marks (${starterScore}/${knownMax})`,
    problems: [...starterCompile, ...(starterScore < knownMax ? [] : ['the starter passes every check: the checks test nothing the learner has to write'])],
  });
  // An external lab's views run once on the solution with an empty input (the template's view
  // takes defaults); the built-in views need their panels' inputs and are tested by their labs.
  for (const view of lab.checksSource ? lab.manifest.visualizations : []) {
    const r = await client.visualize({ labId: lab.manifest.id, labChecks: lab.checksSource, files: readFiles(lab, 'solution'), view: view.id, input: {}, limits });
    items.push({
      ok: r.ok,
      what: `the view "${view.id}" runs on the solution (visualizations: ${view.id})`,
      problems: r.ok ? [] : [`visualizations: "${view.id}": ${r.error.message.split('\n')[0]}`],
    });
  }
  return items;
}

export function formatValidation(dir: string, items: ValidationItem[]): string {
  const lines = [`validate ${dir}`];
  for (const i of items) {
    lines.push(`${i.ok ? '  ok  ' : '  FAIL'}  ${i.what}`);
    for (const p of i.problems) lines.push(`          ${p}`);
  }
  const failed = items.filter((i) => !i.ok).length;
  lines.push(failed === 0 ? 'the lab is valid' : `${failed} problem${failed === 1 ? '' : 's'}: the lab is not valid`);
  return lines.join('\n');
}
