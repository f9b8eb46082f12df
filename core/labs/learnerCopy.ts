// A lab as learners may have it: without its hidden checks (their ids, titles, hints and code)
// and without solution/. The built-in labs get this from the learner build
// (scripts/package-learner.mjs); a lab outside the build gets it from `transformer-labs
// export-lab`, and the instructor keeps grading with the original folder. Both remove a hidden
// check the same way: the property `'<id>': …` of an object literal in the lab's TypeScript.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { isLab, loadLab, MANIFEST_FILE } from './labLoader';
import type { CheckSpec, LabManifest } from './manifest';

/** Removes the `'<hidden id>': …` properties from every object literal of a TypeScript source. */
export function withoutHidden(fileName: string, text: string, hiddenIds: ReadonlySet<string>): { text: string; removed: string[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const removed: string[] = [];
  const strip: ts.TransformerFactory<ts.SourceFile> = (ctx) => (root) => {
    const visit = (n: ts.Node): ts.Node => {
      if (ts.isObjectLiteralExpression(n)) {
        const kept = n.properties.filter((p) => {
          const name = p.name && (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) ? p.name.text : undefined;
          if (name !== undefined && hiddenIds.has(name)) {
            removed.push(name);
            return false;
          }
          return true;
        });
        return ts.visitEachChild(ctx.factory.updateObjectLiteralExpression(n, kept), visit, ctx);
      }
      return ts.visitEachChild(n, visit, ctx);
    };
    return ts.visitNode(root, visit) as ts.SourceFile;
  };
  if (hiddenIds.size === 0) return { text, removed };
  const result = ts.transform(source, [strip]);
  const printed = ts.createPrinter().printFile(result.transformed[0]);
  result.dispose();
  return { text: removed.length > 0 ? printed : text, removed };
}

/** What the instructor's grading adds to a learner copy's score (lab.json's `instructorChecks`). */
export function instructorChecksOf(checks: readonly CheckSpec[]): { count: number; points: number } {
  const hidden = checks.filter((c) => c.hidden);
  // A bonus exercise's hidden check adds to the bonus, not to the score.
  return { count: hidden.length, points: hidden.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0) };
}

/** The manifest of a learner copy: the visible checks, and how many the instructor adds. */
export function learnerManifest(manifest: LabManifest): LabManifest {
  const added = instructorChecksOf(manifest.checks);
  const { instructorChecks: _ignored, ...rest } = manifest;
  return { ...rest, checks: manifest.checks.filter((c) => !c.hidden), ...(added.count > 0 ? { instructorChecks: added } : {}) };
}

/** Where a hidden check's id or hint still appears in a folder (an id as a whole word). */
export function hiddenLeaks(dir: string, hidden: readonly CheckSpec[]): string[] {
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const secrets = hidden.flatMap((c) => [
    { what: `hidden check id "${c.id}"`, pattern: new RegExp(`(?<![a-z0-9-])${escape(c.id)}(?![a-z0-9-])`) },
    { what: `the hint of hidden check "${c.id}"`, pattern: new RegExp(escape(c.hint)) },
  ]);
  const leaks: string[] = [];
  for (const file of filesUnder(dir)) {
    if (!/\.(js|json|md|ts|css|html|txt)$/.test(file)) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const s of secrets) if (s.pattern.test(text)) leaks.push(`${file} holds ${s.what}`);
  }
  return leaks;
}

export interface LearnerCopy {
  id: string;
  dir: string;
  /** Files written, relative to `dir`. */
  files: string[];
  hiddenLeftOut: number;
  /** The lab's files not copied (its solutions). */
  leftOut: string[];
}

export class LearnerCopyError extends Error {}

/**
 * Writes `labDir`'s learner copy into `outDir` (new or empty). Fails, writing nothing, when the lab
 * does not load, when a hidden check is not a property of an object literal, or when a hidden id
 * or hint would still be in the copy.
 */
export function writeLearnerCopy(labDir: string, outDir: string): LearnerCopy {
  const from = resolve(labDir);
  const to = resolve(outDir);
  const lab = loadLab(from, dirname(from), { external: true });
  if (!isLab(lab)) throw new LearnerCopyError(lab.message);
  if (to === from || to.startsWith(from + sep)) throw new LearnerCopyError(`${outDir} is inside the lab folder: choose a folder outside ${labDir}`);
  if (existsSync(to) && (!statSync(to).isDirectory() || readdirSync(to).length > 0)) throw new LearnerCopyError(`${outDir} exists and is not an empty folder`);
  const m = lab.manifest;
  const hidden = m.checks.filter((c) => c.hidden);
  const hiddenIds = new Set(hidden.map((c) => c.id));
  const solutions = new Set(m.files.map((f) => f.solution));
  const solutionDirs = [...new Set(m.files.map((f) => dirname(f.solution)).filter((d) => d !== '.'))];
  const starters = new Set(m.files.map((f) => f.starter));
  const isSolution = (rel: string) => solutions.has(rel) || solutionDirs.some((d) => rel.startsWith(d + '/'));
  const files: string[] = [];
  const leftOut: string[] = [];
  const removed: string[] = [];
  mkdirSync(to, { recursive: true });
  try {
    for (const rel of filesUnder(from)) {
      if (isSolution(rel)) {
        leftOut.push(rel);
        continue;
      }
      const target = join(to, rel);
      mkdirSync(dirname(target), { recursive: true });
      if (rel === MANIFEST_FILE) writeFileSync(target, JSON.stringify(learnerManifest(m), null, 2) + '\n');
      else if (rel.endsWith('.ts') && !starters.has(rel)) {
        const stripped = withoutHidden(rel, readFileSync(join(from, rel), 'utf8'), hiddenIds);
        removed.push(...stripped.removed);
        writeFileSync(target, stripped.text);
      } else cpSync(join(from, rel), target);
      files.push(rel);
    }
    const missed = [...hiddenIds].filter((id) => !removed.includes(id));
    if (missed.length > 0) {
      throw new LearnerCopyError(
        `hidden check(s) ${missed.join(', ')} are not written as a property '<id>': (ctx) => … of an object literal in the lab's .ts files, so the copy cannot leave them out`,
      );
    }
    const leaks = hiddenLeaks(to, hidden);
    if (leaks.length > 0) throw new LearnerCopyError(`the copy would still show hidden checks:\n  ${leaks.join('\n  ')}`);
    const copy = loadLab(to, dirname(to), { external: true });
    if (!isLab(copy)) throw new LearnerCopyError(`the copy does not load: ${copy.message}`);
  } catch (err) {
    rmSync(to, { recursive: true, force: true });
    throw err;
  }
  return { id: m.id, dir: to, files, hiddenLeftOut: hidden.length, leftOut };
}

/** Every file under `dir`, relative and with "/" separators; tool folders left out. */
function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    if (name === 'node_modules' || name === '.git' || name === '.transformer-labs') continue;
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(join(dir, r)).isDirectory()) out.push(...filesUnder(dir, r));
    else out.push(r);
  }
  return out;
}

export function describeCopy(c: LearnerCopy, labDir: string): string {
  return [
    `wrote the learner copy of "${c.id}" to ${c.dir}: ${c.files.length} file(s), ${c.hiddenLeftOut} hidden check(s) left out` +
      (c.leftOut.length > 0 ? `, and ${c.leftOut.join(', ')}` : ''),
    `learners: set transformerLabs.labPaths to it (or --labs ${relative(process.cwd(), c.dir) || '.'})`,
    `you: grade with the original, every check included: transformer-labs grade-all <submissions> --labs ${labDir}`,
  ].join('\n');
}
