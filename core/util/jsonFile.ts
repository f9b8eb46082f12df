// Reading a JSON file the learner or an author may have broken, with a reason that names the file.
// Lab manifests, quiz files and the workspace markers all report these two failures the same way.
import { existsSync, readFileSync } from 'node:fs';
import type * as z from 'zod/mini';
import { t } from '../l10n';

export type JsonRead = { data: unknown } | { error: string; missing: boolean };

/** The parsed file, or why it could not be read: "file not found" or "not valid JSON (…)". */
export function readJsonFile(file: string): JsonRead {
  try {
    return { data: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { error: missing ? t('file not found') : t('not valid JSON ({0})', (err as Error).message), missing };
  }
}

/**
 * A marker file under a workspace's .transformer-labs folder: undefined when absent (or broken and
 * `quiet`); otherwise the validated data, or `fail(message)` naming the file, the field and `repair`.
 */
export function readMarkerFile<T>(file: string, schema: z.ZodMiniType<T>, repair: string, fail: (message: string) => Error, quiet = false): T | undefined {
  if (!existsSync(file)) return undefined;
  const read = readJsonFile(file);
  if ('error' in read) {
    if (quiet || read.missing) return undefined;
    throw fail(t('{0} is {1}; {2}', file, read.error, repair));
  }
  const parsed = schema.safeParse(read.data);
  if (!parsed.success) {
    if (quiet) return undefined;
    const issue = parsed.error.issues[0];
    throw fail(t('{0}: {1}: {2}; {3}', file, issue.path.join('.') || t('(top level)'), issue.message, repair));
  }
  return parsed.data;
}
