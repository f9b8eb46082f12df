// The sentence of a part-error note (DrawContext.errorNote): what could not be drawn, the
// learner's error with its file:line once, and that the reference stands in. Pure, unit-tested.
import type { LearnerError } from '../../core/protocol/sidecar';
import { t } from './l10n';

export function partErrorText(what: string, err: LearnerError): string {
  const loc = err.location;
  return loc && !err.message.includes(`${loc.file}:${loc.line}`)
    ? t('{0} could not be drawn from your code: {1} ({2}:{3}). The reference is shown.', what, err.message, loc.file, loc.line)
    : t('{0} could not be drawn from your code: {1}. The reference is shown.', what, err.message);
}
