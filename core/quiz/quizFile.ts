// Reads and validates a lab's quiz.json, with errors that name the file and the field (as lab.json's).
import { join, relative } from 'node:path';
import { schemaMessages } from '../labs/schemaMessages';
import type { Lab, LabManifest } from '../labs/manifest';
import { QuizFileSchema, type QuizFile } from './quizSchema';
import { readJsonFile } from '../util/jsonFile';

export function readQuizFile(file: string, displayRoot: string, manifest?: LabManifest): { quiz: QuizFile } | { error: string } {
  const shown = relative(displayRoot, file) || file;
  const read = readJsonFile(file);
  if ('error' in read) return { error: `${shown}: ${read.error}` };
  const data = read.data;
  const parsed = QuizFileSchema.safeParse(data);
  if (!parsed.success) return { error: `${shown}: ${schemaMessages(parsed.error, data).join('; ')}` };
  if (manifest) {
    const functions = new Set(manifest.files.flatMap((f) => f.functions));
    const unknown = parsed.data.questions.flatMap((q, i) =>
      q.computeWith.filter((fn) => !functions.has(fn)).map((fn) => `questions[${i}].computeWith: "${fn}" is not an exercise function of lab "${manifest.id}"`),
    );
    if (unknown.length > 0) return { error: `${shown}: ${unknown.join('; ')}` };
  }
  return { quiz: parsed.data };
}

const cache = new Map<string, QuizFile | null>();

/** The lab's questions (validated when the lab loaded), or undefined when it has none. */
export function quizOf(lab: Lab): QuizFile | undefined {
  if (!lab.manifest.quiz) return undefined;
  const file = join(lab.dir, lab.manifest.quiz);
  if (!cache.has(file)) {
    const r = readQuizFile(file, lab.dir, lab.manifest);
    cache.set(file, 'quiz' in r ? r.quiz : null);
  }
  return cache.get(file) ?? undefined;
}
