// The contributions in package.json that VS Code evaluates without running our code: walkthrough
// completion, where commands show up, settings' types. Read from the manifest itself, checked
// against what VS Code does with them (issue 18).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../../../core/checks/timeLimits';
import { repoRoot } from '../../support/repoRoot';
import { evaluateWhen, type Context } from '../../support/whenClause';

interface Manifest {
  repository?: { url?: string } | string;
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; when: string }[];
    configuration: { properties: Record<string, { type: string; default: unknown; order?: number }> };
    walkthroughs: { steps: { id: string; completionEvents: string[] }[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as Manifest;
const c = manifest.contributes;

/** Every .ts file under src/, as one text (to find where a context key is set). */
function hostSource(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(repoRoot(), 'src'));
  return out.join('\n');
}

describe('package.json contributions', () => {
  it('walkthrough steps complete on a context key the host sets, not on a command that may have been cancelled', () => {
    const src = hostSource();
    for (const step of c.walkthroughs.flatMap((w) => w.steps)) {
      for (const ev of step.completionEvents) {
        assert.ok(!ev.startsWith('onCommand:'), `step "${step.id}" completes on ${ev}: running the command is not doing the step`);
        const key = /^onContext:([\w.]+)/.exec(ev)?.[1];
        assert.ok(key, `step "${step.id}": unexpected completion event ${ev}`);
        assert.ok(src.includes(`'setContext', '${key}'`), `step "${step.id}": nothing in src/ sets ${key}`);
      }
    }
  });

  it('commands that need an open lab are hidden from the palette outside one', () => {
    const outside: Context = { 'transformerLabs.labOpen': false, 'transformerLabs.courseOpen': false };
    const inside: Context = { 'transformerLabs.labOpen': true, 'transformerLabs.activeLabReuses': true, 'transformerLabs.severalLabFolders': true, 'transformerLabs.activeLabOrder': 1, 'transformerLabs.courseOpen': true };
    const everywhere = new Set(['transformerLabs.openLab', 'transformerLabs.startCourse', 'transformerLabs.selectBackend', 'transformerLabs.setupGpu', 'transformerLabs.showComputeLog']);
    // Commands of the course view's rows: they act on the row they are given, so never from the palette.
    const rowActions = new Set([...c.menus['view/item/context'], ...c.menus['view/title']].map((m) => m.command));
    const palette = new Map(c.menus.commandPalette.map((m) => [m.command, m.when ?? 'true']));
    for (const { command } of c.commands) {
      const when = palette.get(command);
      if (everywhere.has(command)) {
        assert.equal(when, undefined, `${command} works without a lab and stays in the palette`);
        continue;
      }
      assert.ok(when, `${command} has no commandPalette entry, so it shows everywhere`);
      assert.equal(evaluateWhen(when, outside), false, `${command} shows outside a lab (${when})`);
      if (when === 'false' && command !== 'transformerLabs.showCheckDetails') {
        assert.ok(rowActions.has(command) || command.startsWith('transformerLabs.course.'), `${command} is in no menu and not in the palette: unreachable`);
        continue;
      }
      if (command !== 'transformerLabs.showCheckDetails') assert.equal(evaluateWhen(when, inside), true, `${command} is hidden inside a lab (${when})`);
    }
  });

  it('editor buttons and keybindings for .ts files leave the learner\'s .d.ts declaration files alone', () => {
    const clauses = [...c.menus['editor/title'], ...c.keybindings].map((m) => m.when!).filter((w) => /\.ts/.test(w));
    assert.ok(clauses.length >= 3, 'the TypeScript-only clauses were found');
    const at = (file: string): Context => ({
      'transformerLabs.labOpen': true, 'transformerLabs.activeLabOrder': 2, editorTextFocus: true,
      resourceFilename: file, resourceExtname: file.slice(file.lastIndexOf('.')),
    });
    for (const when of clauses) {
      assert.equal(evaluateWhen(when, at('attention.ts')), true, `${when} on attention.ts`);
      assert.equal(evaluateWhen(when, at('block.ts')), true, `${when} on block.ts`);
      assert.equal(evaluateWhen(when, at('learner.d.ts')), false, `${when} matches a .d.ts file`);
      assert.equal(evaluateWhen(when, at('INSTRUCTIONS.md')), false, `${when} matches Markdown`);
    }
  });

  it("the limit settings' defaults are the CLI's (core/checks/timeLimits.ts), so grade and Grade Lab agree", () => {
    const p = c.configuration.properties;
    assert.equal(p['transformerLabs.checks.timeLimitMs'].default, DEFAULT_LIMITS.timeoutMs);
    assert.equal(p['transformerLabs.checks.memoryLimitMb'].default, DEFAULT_LIMITS.memoryMb);
  });

  it('whole-number settings are integers, and every setting has its own order', () => {
    const props = Object.entries(c.configuration.properties);
    for (const [key, p] of props) {
      if (typeof p.default === 'number') {
        assert.ok(Number.isInteger(p.default), `${key} default`);
        assert.equal(p.type, 'integer', `${key} is a whole number of ms/MB: "integer" makes the Settings editor refuse 1.5`);
      }
      assert.equal(typeof p.order, 'number', `${key} has no "order" (the Settings editor would sort it alphabetically)`);
    }
    const orders = props.map(([, p]) => p.order);
    assert.equal(new Set(orders).size, orders.length, 'orders are distinct');
  });

  it('has no repository that points nowhere', () => {
    const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    if (url === undefined) return; // packaged with --allow-missing-repository until the project has a public home
    assert.doesNotMatch(url, /example\.(invalid|com|org)|localhost/, `repository ${url}`);
  });
});
