// The translator lives in core/l10n.ts (core's messages reach the learner too); src/ files import it from here.
export { formatMessage, t, useTranslator, type Translator } from '../core/l10n';
