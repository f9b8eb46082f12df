// The sentence of a part-error note (DrawContext.errorNote): what could not be drawn, the
// learner's error with its file:line once, and that the reference stands in. Pure, unit-tested.
import type { LearnerError } from '../../core/protocol/sidecar';

export function partErrorText(what: string, err: LearnerError): string {
  const loc = err.location;
  const at = loc && !err.message.includes(`${loc.file}:${loc.line}`) ? ` (${loc.file}:${loc.line})` : '';
  return `${what} could not be drawn from your code: ${err.message}${at}. The reference is shown.`;
}
