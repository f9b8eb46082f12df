// The schema of a lab's mastery questions (labs/NN-name/quiz.json, named by lab.json's `quiz`).
// Questions are data, like the lab: multiple choice, a number with a tolerance, or a short answer
// with its accepted forms; every one has an explanation the learner sees once it is settled.
import * as z from 'zod/mini';
import '../zod';
import { normalizeShortAnswer } from './scoring';

const identifier = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-"'));
const text = () => z.string().check(z.minLength(1));

const common = {
  id: identifier,
  /** Plain text with Unicode math (the panel and the CLI show it as written). */
  prompt: text(),
  points: z._default(z.int().check(z.minimum(1), z.maximum(10)), 1),
  /** Shown once the question is settled (answered right, or out of attempts): why the answer is what it is. */
  explanation: text(),
  /** Tries before the question is settled. Default: 1 for multiple choice, 2 otherwise. */
  attempts: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
  /**
   * The exercise functions the learner runs to find the answer (the panel says "compute it with
   * your attendOne"); empty for questions answered by reasoning.
   */
  computeWith: z._default(z.array(z.string().check(z.regex(/^[A-Za-z_$][\w$]*$/, 'must be a TypeScript identifier'))), []),
};

export const ChoiceQuestionSchema = z.object({
  ...common,
  kind: z.literal('choice'),
  options: z
    .array(z.object({ id: z.string().check(z.regex(/^[a-z]$/, 'must be one lowercase letter')), text: text() }))
    .check(z.minLength(2), z.maxLength(6)),
  /** The id of the right option. */
  answer: text(),
});

export const NumericQuestionSchema = z.object({
  ...common,
  kind: z.literal('numeric'),
  answer: z.number().check(z.refine(Number.isFinite, { message: 'must be a finite number' })),
  /** Accepted when |given − answer| ≤ abs, or ≤ rel · |answer| (either one is enough). */
  tolerance: z
    .object({ abs: z.optional(z.number().check(z.minimum(0))), rel: z.optional(z.number().check(z.minimum(0), z.maximum(0.5))) })
    .check(z.refine((t) => t.abs !== undefined || t.rel !== undefined, { message: 'needs "abs" or "rel"' })),
  /** What the number counts ("GB", "parameters"), shown beside the field. */
  unit: z.optional(text()),
});

export const ShortQuestionSchema = z.object({
  ...common,
  kind: z.literal('short'),
  /** Every form that counts as right; compared after normalizeShortAnswer (case, spaces, ², ×…). */
  accepted: z.array(text()).check(z.minLength(1)),
});

export const QuestionSchema = z.discriminatedUnion('kind', [ChoiceQuestionSchema, NumericQuestionSchema, ShortQuestionSchema]);

export const QuizFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    questions: z.array(QuestionSchema).check(z.minLength(1)),
  })
  .check(z.superRefine((quiz, ctx) => {
    const seen = new Set<string>();
    quiz.questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
      seen.add(q.id);
      if (q.kind === 'choice') {
        const ids = q.options.map((o) => o.id);
        if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: 'two options share an id' });
        if (!ids.includes(q.answer)) {
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'answer'], message: `"${q.answer}" is not one of the option ids ${ids.map((x) => `"${x}"`).join(', ')}` });
        }
      } else if (q.kind === 'numeric') {
        const room = Math.max(q.tolerance.abs ?? 0, (q.tolerance.rel ?? 0) * Math.abs(q.answer));
        if (q.answer !== 0 && room >= Math.abs(q.answer)) {
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'tolerance'], message: `accepts every number between 0 and ${q.answer}: make it smaller than the answer` });
        }
      } else {
        const forms = q.accepted.map(normalizeShortAnswer);
        forms.forEach((f, j) => {
          if (f === '') ctx.addIssue({ code: 'custom', path: ['questions', i, 'accepted', j], message: 'is empty once spaces and punctuation are removed' });
        });
      }
    });
  }));

export type ChoiceQuestion = z.infer<typeof ChoiceQuestionSchema>;
export type NumericQuestion = z.infer<typeof NumericQuestionSchema>;
export type ShortQuestion = z.infer<typeof ShortQuestionSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type QuizFile = z.infer<typeof QuizFileSchema>;

/** Tries a question allows before it is settled. */
export function attemptsOf(q: Question): number {
  return q.attempts ?? (q.kind === 'choice' ? 1 : 2);
}
