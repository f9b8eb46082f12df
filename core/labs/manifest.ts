// The schema of a lab's `lab.json`. Labs are data: everything the extension, the
// sidecar, the grader and the CLI know about a lab comes from this file.
import * as z from 'zod/mini';
import '../zod';

const relativePath = z.string().check(
  z.minLength(1),
  z.refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a relative path inside the lab folder (no leading "/" and no "..")',
  }),
);

const identifier = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-"'));
const text = () => z.string().check(z.minLength(1));

/** One file the learner edits. */
export const ExerciseFileSchema = z.object({
  /** Path inside the learner's lab workspace, e.g. "attention.ts". */
  path: relativePath,
  /** Path of the starter version inside the lab folder, e.g. "starter/attention.ts". */
  starter: relativePath,
  /** Path of the reference solution inside the lab folder (left out of the .vsix). */
  solution: relativePath,
  /** Exported functions the learner implements, in the order the instructions teach them. */
  functions: z.array(z.string().check(z.regex(/^[A-Za-z_$][\w$]*$/, 'must be a TypeScript identifier'))).check(z.minLength(1)),
  /**
   * A file the learner already wrote in an earlier lab (e.g. Lab 1's attention.ts): when that
   * lab's workspace is found, Open Lab copies the learner's version instead of the starter.
   */
  reuseFrom: z.optional(z.object({ lab: identifier, path: relativePath })),
});

export const CheckSpecSchema = z.object({
  id: identifier,
  title: text(),
  /** The exercise file (an ExerciseFile.path) and function the check is about. */
  file: relativePath,
  function: text(),
  points: z.int().check(z.minimum(0)),
  /** Hidden checks run only when grading. */
  hidden: z._default(z.boolean(), false),
  /**
   * A hidden check only varies the inputs of a behaviour that a visible check already tests, so
   * the learner sees every graded behaviour while typing: the id of that visible check. Required
   * on every hidden check (the lab's superRefine says so by name); forbidden on visible ones.
   */
  variantOf: z.optional(identifier),
  /** Shown when this check fails: what the failure means and the idea of the fix, not the code. */
  hint: text(),
  /**
   * A bonus exercise's check (Lab 1's chunked attention): graded and reported like the others, but
   * its points are counted apart (GradeReport.bonus), so skipping the bonus never lowers a grade.
   */
  bonus: z._default(z.boolean(), false),
});

export const VisualizationSpecSchema = z.object({
  /** Name of the view the sidecar's lab module computes, e.g. "attention". */
  id: identifier,
  title: text(),
  /** The exercise function whose output the panel shows. */
  file: relativePath,
  function: text(),
});

export const LabManifestSchema = z
  .object({
    id: identifier,
    /** Semantic version of the lab content; written into grade reports. */
    version: z.string().check(z.regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version like 1.0.0')),
    order: z.int().check(z.minimum(1)),
    title: text(),
    summary: text(),
    estimatedMinutes: z.int().check(z.positive()),
    objectives: z.array(text()).check(z.minLength(1)),
    /** Markdown with math, opened in VS Code's Markdown preview beside the code. */
    instructions: relativePath,
    files: z.array(ExerciseFileSchema).check(z.minLength(1)),
    /** The lab's trusted check module (TypeScript, bundled into dist/labs/<id>/checks.js). */
    checksModule: relativePath,
    checks: z.array(CheckSpecSchema).check(z.minLength(1)),
    visualizations: z._default(z.array(VisualizationSpecSchema), []),
    /**
     * Progressive hints per exercise function, opened one at a time by the learner: the idea,
     * then the API or structure, then the formula or key step.
     */
    hints: z._default(z.record(z.string(), z.array(text()).check(z.minLength(1), z.maxLength(6))), {}),
    /** The lab's graded mastery questions (core/quiz/quizSchema.ts), e.g. "quiz.json". */
    quiz: z.optional(relativePath),
    /**
     * Written by the learner build (scripts/package-learner.mjs), whose manifest has no hidden
     * checks: how many checks and points the instructor's grading adds. Absent in lab sources.
     */
    instructorChecks: z.optional(z.object({ count: z.int().check(z.minimum(1)), points: z.int().check(z.minimum(0)) })),
  })
  .check(z.superRefine((lab, ctx) => {
    const files = new Map(lab.files.map((f) => [f.path, f]));
    const seen = new Set<string>();
    lab.checks.forEach((check, i) => {
      if (seen.has(check.id)) {
        ctx.addIssue({ code: 'custom', path: ['checks', i, 'id'], message: `duplicate check id "${check.id}"` });
      }
      seen.add(check.id);
      const file = files.get(check.file);
      if (!file) {
        ctx.addIssue({ code: 'custom', path: ['checks', i, 'file'], message: `"${check.file}" is not one of the lab's files` });
      } else if (!file.functions.includes(check.function)) {
        ctx.addIssue({
          code: 'custom',
          path: ['checks', i, 'function'],
          message: `"${check.function}" is not listed in the functions of "${check.file}"`,
        });
      }
    });
    const byId = new Map(lab.checks.map((c) => [c.id, c]));
    lab.checks.forEach((check, i) => {
      if (!check.hidden) {
        if (check.variantOf !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['checks', i, 'variantOf'], message: 'only a hidden check is a variant of a visible one' });
        }
        return;
      }
      if (check.variantOf === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['checks', i, 'variantOf'],
          message: `hidden check "${check.id}" needs "variantOf": the id of the visible check of ${check.function} whose behaviour it tries on other inputs (no behaviour may be graded by hidden checks alone)`,
        });
        return;
      }
      const twin = byId.get(check.variantOf);
      const problem =
        !twin
            ? `"${check.variantOf}" is not a check of this lab`
            : twin.hidden
              ? `"${check.variantOf}" is hidden too: name a visible check`
              : twin.function !== check.function
                ? `"${check.variantOf}" checks ${twin.function}, not ${check.function}`
                : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: ['checks', i, 'variantOf'], message: problem });
      else if (twin && twin.bonus !== check.bonus) {
        ctx.addIssue({ code: 'custom', path: ['checks', i, 'bonus'], message: `a variant counts like the check it varies: "${twin.id}" is ${twin.bonus ? '' : 'not '}a bonus check` });
      }
    });
    const functions = new Set(lab.files.flatMap((f) => f.functions));
    for (const fn of Object.keys(lab.hints)) {
      if (!functions.has(fn)) ctx.addIssue({ code: 'custom', path: ['hints', fn], message: `"${fn}" is not an exercise function of this lab` });
    }
  }));

export type ExerciseFile = z.infer<typeof ExerciseFileSchema>;
export type CheckSpec = z.infer<typeof CheckSpecSchema>;
export type VisualizationSpec = z.infer<typeof VisualizationSpecSchema>;
export type LabManifest = z.infer<typeof LabManifestSchema>;

/** A lab found on disk: its manifest plus the folder it was read from. */
export interface Lab {
  manifest: LabManifest;
  /** Absolute path of the lab folder (the one holding lab.json). */
  dir: string;
  /**
   * A lab loaded from a folder outside the build (transformerLabs.labPaths, `--labs`): the absolute
   * path of its check module's TypeScript, which the sidecar transpiles at run time. Absent for the
   * labs built into dist/labs/.
   */
  checksSource?: string;
}

/** A lab folder that could not be loaded; the message names the file and the field. */
export interface LabLoadError {
  dir: string;
  file: string;
  message: string;
}
