// Generated Lab 1 submissions for grade-all's tests and bench: correct, wrong, looping and
// unstarted lab folders, as folders or zips (zips made by Python's zipfile, a writer
// independent of the reader under test).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';

export type SubmissionKind = 'correct' | 'wrong-softmax' | 'wrong-scale' | 'looping' | 'starter';

const LAB = join(repoRoot(), 'labs', '01-attention');

function edited(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the Lab 1 solution no longer contains ${JSON.stringify(from)}: update test/support/classSubmissions.ts`);
  return text.replace(from, to);
}

/** The text of attention.ts for one kind; `n` makes each one's hash its own. */
export function lab1Attention(kind: SubmissionKind, n = 0): string {
  const solution = readFileSync(join(LAB, 'solution', 'attention.ts'), 'utf8');
  const tag = `\n// learner ${n}\n`;
  switch (kind) {
    case 'correct':
      return solution + tag;
    case 'wrong-softmax':
      // Overflows on large scores: exactly what softmax-large-logits exists for.
      return edited(solution, 'Math.exp(x - max)', 'Math.exp(x)') + tag;
    case 'wrong-scale':
      // attendOne without the √d scaling.
      return edited(solution, 'return dot / Math.sqrt(d);', 'return dot;') + tag;
    case 'looping':
      return edited(solution, 'let max = -Infinity;', 'let max = -Infinity;\n  for (;;) max += 0;') + tag;
    case 'starter':
      return readFileSync(join(LAB, 'starter', 'attention.ts'), 'utf8') + tag;
  }
}

export function writeLab1Folder(dir: string, attention: string, opts: { marker?: boolean; labId?: string } = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'attention.ts'), attention);
  if (opts.marker !== false) {
    mkdirSync(join(dir, '.transformer-labs'), { recursive: true });
    const marker = { labId: opts.labId ?? '01-attention', labVersion: '1.0.0', createdAt: '2026-12-01T00:00:00.000Z', files: ['attention.ts'] };
    writeFileSync(join(dir, '.transformer-labs', 'lab.json'), JSON.stringify(marker));
  }
  return dir;
}

/** Zips `folder` into `zipFile`; with `prefix`, entries sit under that folder name (as "Compress alice/" makes). */
export function zipFolder(folder: string, zipFile: string, prefix = ''): string {
  const py = `
import os, sys, zipfile
src, dst, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as z:
    for base, dirs, files in os.walk(src):
        for f in sorted(files):
            full = os.path.join(base, f)
            z.write(full, os.path.join(prefix, os.path.relpath(full, src)))
`;
  execFileSync('python3', ['-c', py, folder, zipFile, prefix]);
  return zipFile;
}

/** Writes a zip with the given raw entry names and texts (for hostile archives). */
export function zipEntriesRaw(zipFile: string, entries: Record<string, string>): string {
  const py = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, text in json.load(sys.stdin).items():
        z.writestr(name, text)
`;
  execFileSync('python3', ['-c', py, zipFile], { input: JSON.stringify(entries) });
  return zipFile;
}

/** The bench's class: `count` folders, kinds in a fixed rotation (half correct). */
export function generateClass(root: string, count: number): Record<SubmissionKind, number> {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const rotation: SubmissionKind[] = ['correct', 'wrong-softmax', 'correct', 'wrong-scale', 'correct', 'starter', 'correct', 'wrong-softmax', 'correct', 'looping'];
  const counts = { correct: 0, 'wrong-softmax': 0, 'wrong-scale': 0, looping: 0, starter: 0 } as Record<SubmissionKind, number>;
  for (let i = 0; i < count; i++) {
    const kind = rotation[i % rotation.length];
    counts[kind]++;
    writeLab1Folder(join(root, `learner-${String(i).padStart(3, '0')}-${kind}`), lab1Attention(kind, i));
  }
  return counts;
}
