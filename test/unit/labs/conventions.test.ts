// The lab conventions of issue 12, held for every lab in labs/ (new ones included): starters
// that only throw the TODO and give no solution away, 2–4 progressive hints per function, check
// hints that are not solution lines, a visible check for every function, and every hidden check
// a variant of a visible one. Files reused from an earlier lab (reuseFrom: the course's
// reference as a fallback) are that lab's exercise, not this one's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { loadLabs } from '../../../core/labs/labLoader';
import type { ExerciseFile, Lab } from '../../../core/labs/manifest';
import { repoRoot } from '../../support/repoRoot';

const { labs, errors } = loadLabs(join(repoRoot(), 'labs'));

function ownFiles(lab: Lab): ExerciseFile[] {
  return lab.manifest.files.filter((f) => !f.reuseFrom);
}

function ownFunctions(lab: Lab): string[] {
  return ownFiles(lab).flatMap((f) => f.functions);
}

function read(lab: Lab, path: string): string {
  return readFileSync(join(lab.dir, path), 'utf8');
}

/** The statements of each top-level function's body, as source text. */
export function functionBodies(text: string): Map<string, string[]> {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, string[]>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body) out.set(st.name.text, st.body.statements.map((s) => s.getText(sf)));
  }
  return out;
}

/** Every comment of a file, without the comment markers, whitespace collapsed. */
export function commentText(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  const parts: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.SingleLineCommentTrivia || k === ts.SyntaxKind.MultiLineCommentTrivia) {
      parts.push(scanner.getTokenText().replace(/^\/\/|^\/\*+|\*+\/$/g, '').replace(/^\s*\*/gm, ''));
    }
  }
  return squash(parts.join(' '));
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The solution's code lines, reduced to their core (no `return`, no `const x =`, no trailing
 * `;` or type assertion), that are long enough to be a giveaway and are not also code in the
 * starter (imports, types and signatures are shared on purpose).
 */
export function solutionCores(solution: string, starter: string): string[] {
  const starterCode = new Set(starter.split('\n').map((l) => squash(l)));
  const cores = new Set<string>();
  for (const raw of solution.split('\n')) {
    const line = squash(raw);
    if (!line || line.startsWith('//') || line.startsWith('*') || line.startsWith('/*') || starterCode.has(line)) continue;
    const core = line
      .replace(/\s*\/\/.*$/, '')
      .replace(/^(return|export|const|let|var)\s+/, '')
      .replace(/^[\w$[\]{}, ]+\s=\s/, '')
      .replace(/\s+as\s+[\w.<>[\]]+\)?;?$/, '')
      .replace(/[;,]$/, '')
      .trim();
    // `{ output, hidden, weights }` and the like name the result, they do not compute it.
    if (core.length >= 20 && !/^[\s\w$,{}[\]:.]*$/.test(core)) cores.add(core);
  }
  return [...cores];
}

describe('lab conventions (issue 12), for every lab in labs/', () => {
  it('every lab loads: hidden checks without a valid variantOf are rejected by the schema', () => {
    assert.deepEqual(errors, []);
    assert.ok(labs.length >= 4);
  });

  for (const lab of labs) {
    const m = lab.manifest;
    describe(m.id, () => {
      it('each exercise function of the starter throws exactly its TODO, nothing else', () => {
        for (const f of ownFiles(lab)) {
          const bodies = functionBodies(read(lab, f.starter));
          for (const fn of f.functions) {
            assert.deepEqual(bodies.get(fn), [`throw new Error('TODO: implement ${fn}');`], `${f.starter}: ${fn}`);
          }
        }
      });

      it('the starter comments give no solution line away', () => {
        for (const f of ownFiles(lab)) {
          const starter = read(lab, f.starter);
          const comments = commentText(starter);
          const leaked = solutionCores(read(lab, f.solution), starter).filter((core) => comments.includes(core));
          assert.deepEqual(leaked, [], `${f.starter} comments contain solution code`);
        }
      });

      it('the check hints are ideas, not solution lines', () => {
        const cores = ownFiles(lab).flatMap((f) => solutionCores(read(lab, f.solution), read(lab, f.starter)));
        const leaked = m.checks.flatMap((c) => cores.filter((core) => squash(c.hint).includes(core)).map((core) => `${c.id}: ${core}`));
        assert.deepEqual(leaked, []);
      });

      it('2–4 progressive hints for every exercise function, and hints only for exercise functions', () => {
        for (const fn of ownFunctions(lab)) {
          const n = m.hints[fn]?.length ?? 0;
          assert.ok(n >= 2 && n <= 4, `${fn} has ${n} hints`);
        }
        const all = new Set(m.files.flatMap((f) => f.functions));
        assert.deepEqual(Object.keys(m.hints).filter((fn) => !all.has(fn)), []);
      });

      it('every exercise function has at least one visible check', () => {
        const visible = new Set(m.checks.filter((c) => !c.hidden).map((c) => c.function));
        assert.deepEqual(ownFunctions(lab).filter((fn) => !visible.has(fn)), []);
      });

      it('every hidden check is a variant of a visible check of the same function', () => {
        const byId = new Map(m.checks.map((c) => [c.id, c]));
        for (const c of m.checks.filter((x) => x.hidden)) {
          const twin = c.variantOf === undefined ? undefined : byId.get(c.variantOf);
          assert.ok(twin, `${c.id}: variantOf ${String(c.variantOf)} is not a check`);
          assert.equal(twin.hidden, false, `${c.id}: ${twin.id} is hidden`);
          assert.equal(twin.function, c.function, `${c.id}: ${twin.id} checks another function`);
        }
      });
    });
  }
});

describe('lab conventions: the helpers find what they are for', () => {
  it('a solution line in a starter comment, and a starter that does more than throw', () => {
    const solution = 'export function causalMask(n: number): tf.Tensor2D {\n  return tf.linalg.bandPart(tf.ones([n, n]), -1, 0) as tf.Tensor2D;\n}\n';
    const leaky = "export function causalMask(n: number): tf.Tensor2D {\n  // Hint: tf.linalg.bandPart(tf.ones([n, n]), -1, 0) keeps the lower triangle.\n  throw new Error('TODO: implement causalMask');\n}\n";
    const cores = solutionCores(solution, leaky);
    assert.deepEqual(cores, ['tf.linalg.bandPart(tf.ones([n, n]), -1, 0)']);
    assert.ok(commentText(leaky).includes(cores[0]));
    assert.ok(!commentText(leaky.replace(/\/\/.*\n/, '// Nudge: draw the 4×4 case.\n')).includes(cores[0]));
    assert.deepEqual(functionBodies(leaky).get('causalMask'), ["throw new Error('TODO: implement causalMask');"]);
    assert.deepEqual(functionBodies(solution).get('causalMask'), ['return tf.linalg.bandPart(tf.ones([n, n]), -1, 0) as tf.Tensor2D;']);
  });
});
