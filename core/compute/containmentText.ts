// The containment of lab code in words, one line per layer, for the status bar hover and the
// CLI grader: what holds, and what is left open said plainly.
import type { ContainmentReport } from '../protocol/sidecar';

export interface ContainmentLine {
  holds: boolean;
  text: string;
}

export function describeContainment(c: ContainmentReport): ContainmentLine[] {
  const p = c.permissionModel;
  return [
    p.on
      ? { holds: true, text: "Node's permission model: it reads only the extension's own files, writes none, starts no programs or threads" }
      : {
          holds: false,
          text: `Node's permission model is off: ${p.reason ?? 'not available'}. Code that broke out of the JavaScript sandbox could read and write files and start programs as you`,
        },
    { holds: c.os.networkIsolated, text: c.os.how },
    { holds: true, text: "its own JavaScript realm: no Node.js modules, files, network, timers or eval; the checks' built-ins frozen" },
    { holds: true, text: 'an empty environment: none of your variables, tokens or credentials' },
  ];
}
