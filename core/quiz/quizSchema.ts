// The schema of a lab's mastery questions (labs/NN-name/quiz.json, named by lab.json's `quiz`).
// Questions are data, like the lab: multiple choice, a number with a tolerance, or a short answer
// with its accepted forms; every one has an explanation the learner sees once it is settled.
import { z } from 'zod';
import { normalizeShortAnswer } from './scoring';

const identifier = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-"');

const common = {
  id: identifier,
  /** Plain text with Unicode math (the panel and the CLI show it as written). */
  prompt: z.string().min(1),
  points: z.number().int().min(1).max(10).default(1),
  /** Shown once the question is settled (answered right, or out of attempts): why the answer is what it is. */
  explanation: z.string().min(1),
  /** Tries before the question is settled. Default: 1 for multiple choice, 2 otherwise. */
  attempts: z.number().int().min(1).max(5).optional(),
  /**
   * The exercise functions the learner runs to find the answer (the panel says "compute it with
   * your attendOne"); empty for questions answered by reasoning.
   */
  computeWith: z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be a TypeScript identifier')).default([]),
};

export const ChoiceQuestionSchema = z.object({
  ...common,
  kind: z.literal('choice'),
  options: z
    .array(z.object({ id: z.string().regex(/^[a-z]$/, 'must be one lowercase letter'), text: z.string().min(1) }))
    .min(2)
    .max(6),
  /** The id of the right option. */
  answer: z.string().min(1),
});

export const NumericQuestionSchema = z.object({
  ...common,
  kind: z.literal('numeric'),
  answer: z.number().finite(),
  /** Accepted when |given − answer| ≤ abs, or ≤ rel · |answer| (either one is enough). */
  tolerance: z
    .object({ abs: z.number().min(0).optional(), rel: z.number().min(0).max(0.5).optional() })
    .refine((t) => t.abs !== undefined || t.rel !== undefined, { message: 'needs "abs" or "rel"' }),
  /** What the number counts ("GB", "parameters"), shown beside the field. */
  unit: z.string().min(1).optional(),
});

export const ShortQuestionSchema = z.object({
  ...common,
  kind: z.literal('short'),
  /** Every form that counts as right; compared after normalizeShortAnswer (case, spaces, ², ×…). */
  accepted: z.array(z.string().min(1)).min(1),
});

export const QuestionSchema = z.discriminatedUnion('kind', [ChoiceQuestionSchema, NumericQuestionSchema, ShortQuestionSchema]);

export const QuizFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    questions: z.array(QuestionSchema).min(1),
  })
  .superRefine((quiz, ctx) => {
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
  });

export type ChoiceQuestion = z.infer<typeof ChoiceQuestionSchema>;
export type NumericQuestion = z.infer<typeof NumericQuestionSchema>;
export type ShortQuestion = z.infer<typeof ShortQuestionSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type QuizFile = z.infer<typeof QuizFileSchema>;

/** Tries a question allows before it is settled. */
export function attemptsOf(q: Question): number {
  return q.attempts ?? (q.kind === 'choice' ? 1 : 2);
}
