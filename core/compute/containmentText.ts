// The containment of lab code in words, one line per layer, for the status bar hover and the
// CLI grader: what holds, and what is left open said plainly.
import type { ContainmentReport } from '../protocol/sidecar';
import { t } from '../l10n';

export interface ContainmentLine {
  holds: boolean;
  text: string;
}

export function describeContainment(c: ContainmentReport): ContainmentLine[] {
  const p = c.permissionModel;
  return [
    p.on
      ? { holds: true, text: t("Node's permission model: it reads only the extension's own files, writes none, starts no programs or threads") }
      : {
          holds: false,
          text: t("Node's permission model is off: {0}. Code that broke out of the JavaScript sandbox could read and write files and start programs as you", p.reason ?? t('not available')),
        },
    { holds: c.os.networkIsolated, text: c.os.how },
    { holds: true, text: t("its own JavaScript realm: no Node.js modules, files, network, timers or eval; the checks' built-ins frozen") },
    { holds: true, text: t('an empty environment: none of your variables, tokens or credentials') },
  ];
}
