// The schema of a lab's `lab.json`. Labs are data: everything the extension, the
// sidecar, the grader and the CLI know about a lab comes from this file.
import { z } from 'zod';

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a relative path inside the lab folder (no leading "/" and no "..")',
  });

const identifier = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-"');

/** One file the learner edits. */
export const ExerciseFileSchema = z.object({
  /** Path inside the learner's lab workspace, e.g. "attention.ts". */
  path: relativePath,
  /** Path of the starter version inside the lab folder, e.g. "starter/attention.ts". */
  starter: relativePath,
  /** Path of the reference solution inside the lab folder (left out of the .vsix). */
  solution: relativePath,
  /** Exported functions the learner implements, in the order the instructions teach them. */
  functions: z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be a TypeScript identifier')).min(1),
  /**
   * A file the learner already wrote in an earlier lab (e.g. Lab 1's attention.ts): when that
   * lab's workspace is found, Open Lab copies the learner's version instead of the starter.
   */
  reuseFrom: z.object({ lab: identifier, path: relativePath }).optional(),
});

export const CheckSpecSchema = z.object({
  id: identifier,
  title: z.string().min(1),
  /** The exercise file (an ExerciseFile.path) and function the check is about. */
  file: relativePath,
  function: z.string().min(1),
  points: z.number().int().min(0),
  /** Hidden checks run only when grading. */
  hidden: z.boolean().default(false),
  /**
   * A hidden check only varies the inputs of a behaviour that a visible check already tests, so
   * the learner sees every graded behaviour while typing: the id of that visible check. Required
   * on every hidden check (the lab's superRefine says so by name); forbidden on visible ones.
   */
  variantOf: identifier.optional(),
  /** Shown when this check fails: what the failure means and the idea of the fix, not the code. */
  hint: z.string().min(1),
});

export const VisualizationSpecSchema = z.object({
  /** Name of the view the sidecar's lab module computes, e.g. "attention". */
  id: identifier,
  title: z.string().min(1),
  /** The exercise function whose output the panel shows. */
  file: relativePath,
  function: z.string().min(1),
});

export const LabManifestSchema = z
  .object({
    id: identifier,
    /** Semantic version of the lab content; written into grade reports. */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version like 1.0.0'),
    order: z.number().int().min(1),
    title: z.string().min(1),
    summary: z.string().min(1),
    estimatedMinutes: z.number().int().positive(),
    objectives: z.array(z.string().min(1)).min(1),
    /** Markdown with math, opened in VS Code's Markdown preview beside the code. */
    instructions: relativePath,
    files: z.array(ExerciseFileSchema).min(1),
    /** The lab's trusted check module (TypeScript, bundled into dist/labs/<id>/checks.js). */
    checksModule: relativePath,
    checks: z.array(CheckSpecSchema).min(1),
    visualizations: z.array(VisualizationSpecSchema).default([]),
    /**
     * Progressive hints per exercise function, opened one at a time by the learner: the idea,
     * then the API or structure, then the formula or key step.
     */
    hints: z.record(z.string(), z.array(z.string().min(1)).min(1).max(6)).default({}),
  })
  .superRefine((lab, ctx) => {
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
    });
    const functions = new Set(lab.files.flatMap((f) => f.functions));
    for (const fn of Object.keys(lab.hints)) {
      if (!functions.has(fn)) ctx.addIssue({ code: 'custom', path: ['hints', fn], message: `"${fn}" is not an exercise function of this lab` });
    }
  });

export type ExerciseFile = z.infer<typeof ExerciseFileSchema>;
export type CheckSpec = z.infer<typeof CheckSpecSchema>;
export type VisualizationSpec = z.infer<typeof VisualizationSpecSchema>;
export type LabManifest = z.infer<typeof LabManifestSchema>;

/** A lab found on disk: its manifest plus the folder it was read from. */
export interface Lab {
  manifest: LabManifest;
  /** Absolute path of the lab folder (the one holding lab.json). */
  dir: string;
}

/** A lab folder that could not be loaded; the message names the file and the field. */
export interface LabLoadError {
  dir: string;
  file: string;
  message: string;
}
