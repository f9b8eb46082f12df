// Measures what a learner feels after typing: from the last keystroke (a keydown or input event
// in the page, on the page's own clock) to the moment each part of the workbench shows the new
// result (a DOM mutation matching it). Nothing waits for one part before watching the next.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CodeServer } from './codeServer';

/** Something that appears (or disappears) in the workbench when the new result is shown. */
export interface Target {
  name: string;
  selector: string;
  /** The element must contain this text. */
  text?: string;
  /** true: wait for a match to exist; false: for every match to be gone. */
  present: boolean;
}

// The page callbacks run in Chromium; the root tsconfig has no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const MutationObserver: any;

/** Listens for keystrokes and DOM changes (once per page). */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    if (window.__tlProbe) return;
    const probe = { lastKey: 0, targets: [] as any[], hits: {} as Record<string, number> };
    window.__tlProbe = probe;
    const keystroke = () => {
      probe.lastKey = performance.now();
      probe.hits = {};
    };
    document.addEventListener('keydown', keystroke, true);
    document.addEventListener('input', keystroke, true);
    const check = () => {
      for (const t of probe.targets) {
        if (probe.hits[t.name] !== undefined || !probe.lastKey) continue;
        const found = [...document.querySelectorAll(t.selector)].some((e: any) => !t.text || (e.textContent ?? '').includes(t.text));
        if (found === t.present) probe.hits[t.name] = performance.now();
      }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** What to wait for after the next keystrokes. */
export async function expectAfterKeystroke(page: Page, targets: Target[]): Promise<void> {
  await page.evaluate((ts) => {
    window.__tlProbe.targets = ts;
    window.__tlProbe.hits = {};
    window.__tlProbe.lastKey = 0;
  }, targets);
}

/** Milliseconds from the last keystroke to each target, once all have been seen. */
export async function latencies(page: Page, targets: Target[], timeoutMs = 20_000): Promise<Record<string, number>> {
  await page.waitForFunction((n) => Object.keys(window.__tlProbe.hits).length === n, targets.length, { timeout: timeoutMs, polling: 50 });
  return page.evaluate(() => {
    const p = window.__tlProbe;
    return Object.fromEntries(Object.entries(p.hits as Record<string, number>).map(([k, v]) => [k, Math.round(v - p.lastKey)]));
  });
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** The trace lines the extension appends to timing.log in its log folder (transformerLabs.trace.timing on). */
function computeLog(server: CodeServer): string[] {
  const lines: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/transformer-labs/.test(dir) && name === 'timing.log') lines.push(...readFileSync(p, 'utf8').split('\n'));
    }
  };
  const logs = join(server.dirs.userData, 'logs');
  if (existsSync(logs)) walk(logs);
  return lines;
}

/** The highest check run number traced so far (debug level). */
export function lastTracedRun(server: CodeServer): number {
  return Math.max(0, ...computeLog(server).map((l) => Number(/trace run (\d+)/.exec(l)?.[1] ?? 0)));
}

/**
 * Per step, the median over the check runs traced in the compute log since `afterRun`:
 * "edit→start 401, start→sidecar 2, …, status→lens 80" (ms).
 */
export function traceBreakdown(server: CodeServer, reason: string, afterRun: number): { runs: number; steps: string } {
  // The lens line repeats the status line's steps and adds the lens: keep the longest per run.
  const byRun = new Map<number, string>();
  for (const l of computeLog(server)) {
    const m = new RegExp(`trace run (\\d+) \\(${reason}\\): (.*?);`).exec(l);
    if (m && Number(m[1]) > afterRun && (byRun.get(Number(m[1]))?.length ?? 0) < m[2].length) byRun.set(Number(m[1]), m[2]);
  }
  const steps = new Map<string, number[]>();
  for (const s of byRun.values()) {
    for (const part of s.split(', ')) {
      const m = /^(\w+→\w+) (-?\d+) ms$/.exec(part);
      if (m) steps.set(m[1], [...(steps.get(m[1]) ?? []), Number(m[2])]);
    }
  }
  return { runs: byRun.size, steps: [...steps].map(([k, v]) => `${k} ${percentile(v, 50)}`).join(', ') };
}

